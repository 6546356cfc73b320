// SPDX-License-Identifier: MIT
// W1 mlp-grad from shared/bench/workloads.md: a 16-64-64-1 relu network with squared loss, its
// parameters and data, the gradient by hand-written backpropagation (the reference), and the
// same network written once as a template so it runs on doubles, Vars or Exprs.
#pragma once

#include <array>
#include <cmath>
#include <vector>

#include "support/random.hpp"

namespace slope::testing::w1 {

inline constexpr int n_in = 16, n_hidden = 64;
inline constexpr int n_params =
    n_hidden * n_in + n_hidden + n_hidden * n_hidden + n_hidden + n_hidden + 1;  // 5313
inline constexpr int n_samples = 200;
// Offsets of each block in the flat parameter vector.
inline constexpr int W1 = 0, B1 = W1 + n_hidden * n_in, W2 = B1 + n_hidden,
                     B2 = W2 + n_hidden * n_hidden, W3 = B2 + n_hidden, B3 = W3 + n_hidden;

inline std::vector<double> parameters() {
  SplitMix rng(42);
  std::vector<double> p(n_params);
  auto fill = [&](int from, int count, double scale) {
    for (int i = 0; i < count; ++i) p[from + i] = rng.symmetric() * scale;
  };
  fill(W1, n_hidden * n_in, std::sqrt(6.0 / n_in));
  fill(B1, n_hidden, 0.1);
  fill(W2, n_hidden * n_hidden, std::sqrt(6.0 / n_hidden));
  fill(B2, n_hidden, 0.1);
  fill(W3, n_hidden, std::sqrt(6.0 / n_hidden));
  fill(B3, 1, 0.1);
  return p;
}

struct Sample {
  std::array<double, n_in> x;
  double target;
};
inline std::vector<Sample> data() {
  SplitMix rng(1234);
  std::vector<Sample> d(n_samples);
  for (Sample& s : d) {
    for (double& v : s.x) v = rng.symmetric();
    s.target = rng.symmetric();
  }
  return d;
}

/// The loss, written once for any number type T (double, Var, Expr): P indexes parameters,
/// X the sample's inputs. Each neuron is b + sum_i w_i x_i accumulated in index order.
template <class T, class Params, class Inputs, class Relu>
T loss(const Params& p, const Inputs& x, const T& target, Relu relu_of) {
  std::vector<T> h1, h2;
  h1.reserve(n_hidden);
  h2.reserve(n_hidden);
  for (int j = 0; j < n_hidden; ++j) {
    T z = p[B1 + j];
    for (int i = 0; i < n_in; ++i) z = z + p[W1 + j * n_in + i] * x[i];
    h1.push_back(relu_of(z));
  }
  for (int j = 0; j < n_hidden; ++j) {
    T z = p[B2 + j];
    for (int i = 0; i < n_hidden; ++i) z = z + p[W2 + j * n_hidden + i] * h1[i];
    h2.push_back(relu_of(z));
  }
  T y = p[B3];
  for (int i = 0; i < n_hidden; ++i) y = y + p[W3 + i] * h2[i];
  T d = y - target;
  return d * d;
}

/// Hand-written backpropagation, no tape: the practical limit and the reference gradient.
inline void hand_gradient(const std::vector<double>& p, const Sample& s, std::vector<double>& g) {
  std::array<double, n_hidden> z1, h1, z2, h2, dz2, dh1;
  for (int j = 0; j < n_hidden; ++j) {
    double z = p[B1 + j];
    for (int i = 0; i < n_in; ++i) z += p[W1 + j * n_in + i] * s.x[i];
    z1[j] = z;
    h1[j] = z > 0 ? z : 0;
  }
  for (int j = 0; j < n_hidden; ++j) {
    double z = p[B2 + j];
    for (int i = 0; i < n_hidden; ++i) z += p[W2 + j * n_hidden + i] * h1[i];
    z2[j] = z;
    h2[j] = z > 0 ? z : 0;
  }
  double y = p[B3];
  for (int i = 0; i < n_hidden; ++i) y += p[W3 + i] * h2[i];
  const double dy = 2 * (y - s.target);
  g.assign(n_params, 0.0);
  g[B3] = dy;
  for (int i = 0; i < n_hidden; ++i) {
    g[W3 + i] = dy * h2[i];
    dz2[i] = z2[i] > 0 ? dy * p[W3 + i] : 0;  // relu'(0) = 0
  }
  dh1.fill(0);
  for (int j = 0; j < n_hidden; ++j) {
    g[B2 + j] = dz2[j];
    for (int i = 0; i < n_hidden; ++i) {
      g[W2 + j * n_hidden + i] = dz2[j] * h1[i];
      dh1[i] += dz2[j] * p[W2 + j * n_hidden + i];
    }
  }
  for (int j = 0; j < n_hidden; ++j) {
    const double dz1 = z1[j] > 0 ? dh1[j] : 0;
    g[B1 + j] = dz1;
    for (int i = 0; i < n_in; ++i) g[W1 + j * n_in + i] = dz1 * s.x[i];
  }
}

}  // namespace slope::testing::w1
