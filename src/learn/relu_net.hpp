// SPDX-License-Identifier: MIT
// The relu'(0) lab's network (include/slope/relu_zero.hpp): fully connected in-h1-h2-out with
// relu hidden layers and a softmax cross-entropy loss, its forward and backward sweeps written
// once for any scalar type T. Every arithmetic operation of both sweeps is one operation in T,
// rounded to T, and so is every sum, the gradient summed over the mini-batch included: that is
// the point, since an exact zero pre-activation is an accident of rounding in T. Only exp and
// log are computed in float (double for double) and rounded to T once.
#pragma once

#include <cmath>
#include <cstddef>
#include <cstdint>
#include <span>
#include <vector>

namespace slope::learn {

/// The layer sizes of a ReluNet.
struct NetSizes {
  std::size_t in, h1, h2, out;
  /// Where each block of the flat parameter vector starts. A weight matrix is stored by input:
  /// the weight from input i to unit j of the next layer is at i * (units) + j.
  std::size_t w1() const { return 0; }
  std::size_t b1() const { return in * h1; }
  std::size_t w2() const { return b1() + h1; }
  std::size_t b2() const { return w2() + h1 * h2; }
  std::size_t w3() const { return b2() + h2; }
  std::size_t b3() const { return w3() + h2 * out; }
  std::size_t size() const { return b3() + out; }
};

template <class T>
T exp_in(T v) {
  if constexpr (sizeof(T) >= sizeof(double))
    return std::exp(v);
  else
    return static_cast<T>(std::exp(static_cast<float>(v)));
}

template <class T>
T log_in(T v) {
  if constexpr (sizeof(T) >= sizeof(double))
    return std::log(v);
  else
    return static_cast<T>(std::log(static_cast<float>(v)));
}

/// One mini-batch through the network: forward() keeps what backward() needs.
template <class T>
class ReluNet {
 public:
  explicit ReluNet(NetSizes s) : s_(s) {}

  const NetSizes& sizes() const { return s_; }
  /// Each example's cross-entropy in the last forward batch.
  const std::vector<T>& losses() const { return loss_; }

  /// The mean cross-entropy of the batch (rows of `x`, s_.in values each; labels in 0..out-1)
  /// under parameters `p`. Counts the hidden pre-activations exactly 0 (+0 or -0) into `hits`.
  T forward(std::span<const T> p, std::span<const T> x, std::span<const std::uint32_t> labels,
            std::uint64_t& hits) {
    const std::size_t batch = labels.size();
    x_.assign(x.begin(), x.end());
    labels_.assign(labels.begin(), labels.end());
    z1_.resize(batch * s_.h1);
    a1_.resize(batch * s_.h1);
    z2_.resize(batch * s_.h2);
    a2_.resize(batch * s_.h2);
    prob_.resize(batch * s_.out);
    loss_.resize(batch);
    T total = 0;
    for (std::size_t b = 0; b < batch; ++b) {
      const std::span<const T> in(x_.data() + b * s_.in, s_.in);
      const std::span<T> z1(z1_.data() + b * s_.h1, s_.h1), a1(a1_.data() + b * s_.h1, s_.h1);
      const std::span<T> z2(z2_.data() + b * s_.h2, s_.h2), a2(a2_.data() + b * s_.h2, s_.h2);
      layer(p, s_.w1(), s_.b1(), in, z1);
      hits += relu(z1, a1);
      layer(p, s_.w2(), s_.b2(), a1, z2);
      hits += relu(z2, a2);
      const std::span<T> prob(prob_.data() + b * s_.out, s_.out);
      layer(p, s_.w3(), s_.b3(), a2, prob);
      loss_[b] = softmax(prob, labels_[b]);
      total = total + loss_[b];
    }
    return total / static_cast<T>(static_cast<double>(batch));
  }

  /// d(mean cross-entropy)/dp for the last forward batch, into `g` (size of p), with relu'(0)
  /// = `slope_at_zero` (0 or 1 in the lab).
  void backward(std::span<const T> p, T slope_at_zero, std::span<T> g) {
    const std::size_t batch = labels_.size();
    for (T& v : g) v = 0;
    const T scale = T(1) / static_cast<T>(static_cast<double>(batch));
    d3_.resize(s_.out);
    d2_.resize(s_.h2);
    d1_.resize(s_.h1);
    for (std::size_t b = 0; b < batch; ++b) {
      const T* prob = prob_.data() + b * s_.out;
      for (std::size_t k = 0; k < s_.out; ++k)
        d3_[k] = (k == labels_[b] ? prob[k] - T(1) : prob[k]) * scale;
      back_layer(p, s_.w3(), s_.b3(), std::span<const T>(a2_.data() + b * s_.h2, s_.h2), d3_, g,
                 d2_);
      relu_back(std::span<const T>(z2_.data() + b * s_.h2, s_.h2), slope_at_zero, d2_);
      back_layer(p, s_.w2(), s_.b2(), std::span<const T>(a1_.data() + b * s_.h1, s_.h1), d2_, g,
                 d1_);
      relu_back(std::span<const T>(z1_.data() + b * s_.h1, s_.h1), slope_at_zero, d1_);
      back_layer(p, s_.w1(), s_.b1(), std::span<const T>(x_.data() + b * s_.in, s_.in), d1_, g, {});
    }
  }

 private:
  /// z = b + sum over i of w_i * in_i, summed in input order (one rounding per operation).
  static void layer(std::span<const T> p, std::size_t w, std::size_t bias, std::span<const T> in,
                    std::span<T> z) {
    const std::size_t n = z.size();
    for (std::size_t j = 0; j < n; ++j) z[j] = p[bias + j];
    for (std::size_t i = 0; i < in.size(); ++i) {
      const T v = in[i];
      const T* row = p.data() + w + i * n;
      for (std::size_t j = 0; j < n; ++j) z[j] = z[j] + row[j] * v;
    }
  }

  static std::uint64_t relu(std::span<const T> z, std::span<T> a) {
    std::uint64_t hits = 0;
    for (std::size_t j = 0; j < z.size(); ++j) {
      hits += z[j] == T(0);
      a[j] = z[j] > T(0) ? z[j] : T(0);
    }
    return hits;
  }

  /// In place: the logits become probabilities; returns this sample's cross-entropy.
  static T softmax(std::span<T> v, std::uint32_t label) {
    T top = v[0];
    for (const T u : v) top = u > top ? u : top;
    const T shifted_label = v[label] - top;
    T sum = 0;
    for (T& u : v) {
      u = exp_in<T>(u - top);
      sum = sum + u;
    }
    for (T& u : v) u = u / sum;
    return log_in<T>(sum) - shifted_label;
  }

  /// A weight that is exactly 0 carries nothing (as on slope's tape), so relu'(z) = 0 below the
  /// kink gives 0 even for an infinite upstream gradient.
  static void relu_back(std::span<const T> z, T slope_at_zero, std::span<T> d) {
    for (std::size_t j = 0; j < z.size(); ++j) {
      const T slope = z[j] > T(0) ? T(1) : (z[j] == T(0) ? slope_at_zero : T(0));
      d[j] = slope == T(0) ? T(0) : d[j] * slope;
    }
  }

  /// Adds the layer's weight and bias gradients for upstream `d` and input `in` to `g`, and
  /// writes d(loss)/d(in) to `d_in` (unless it is empty).
  static void back_layer(std::span<const T> p, std::size_t w, std::size_t bias,
                         std::span<const T> in, std::span<const T> d, std::span<T> g,
                         std::span<T> d_in) {
    const std::size_t n = d.size();
    for (std::size_t j = 0; j < n; ++j) g[bias + j] = g[bias + j] + d[j];
    for (std::size_t i = 0; i < in.size(); ++i) {
      const T v = in[i];
      T* row = g.data() + w + i * n;
      for (std::size_t j = 0; j < n; ++j) row[j] = row[j] + d[j] * v;
    }
    for (std::size_t i = 0; i < d_in.size(); ++i) {
      const T* row = p.data() + w + i * n;
      T sum = 0;
      for (std::size_t j = 0; j < n; ++j) sum = sum + row[j] * d[j];
      d_in[i] = sum;
    }
  }

  NetSizes s_;
  std::vector<T> loss_, x_, z1_, a1_, z2_, a2_, prob_, d3_, d2_, d1_;
  std::vector<std::uint32_t> labels_;
};

}  // namespace slope::learn
