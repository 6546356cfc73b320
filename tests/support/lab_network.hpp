// SPDX-License-Identifier: MIT
// The dying-ReLU lab's network written out by hand in doubles (no tape), and a check that every
// epoch the lab reports (loss, dead hidden units) matches it. Shared by the lab's library and
// CLI tests.
#pragma once

#include <algorithm>
#include <boost/test/unit_test.hpp>
#include <cmath>
#include <vector>

#include "slope/dying_relu.hpp"

namespace slope::testing {

/// The 2-h-h-1 network of dying_relu.hpp's layout, in plain doubles.
struct Hand {
  std::size_t h;
  const std::vector<double>& p;
  Activation a;
  double alpha;
  std::size_t b1() const { return 2 * h; }
  std::size_t w2() const { return 3 * h; }
  std::size_t b2() const { return 3 * h + h * h; }
  std::size_t w3() const { return 4 * h + h * h; }
  std::size_t b3() const { return 5 * h + h * h; }
  double act(double z) const { return z > 0 ? z : (a == Activation::relu ? 0.0 : alpha * z); }
  double slope(double z) const { return z > 0 ? 1.0 : (a == Activation::relu ? 0.0 : alpha); }

  /// The output; z1, z2 receive the pre-activations.
  double forward(double x1, double x2, std::vector<double>& z1, std::vector<double>& z2) const {
    z1.assign(h, 0);
    z2.assign(h, 0);
    for (std::size_t j = 0; j < h; ++j) z1[j] = p[b1() + j] + p[2 * j] * x1 + p[2 * j + 1] * x2;
    for (std::size_t j = 0; j < h; ++j) {
      z2[j] = p[b2() + j];
      for (std::size_t i = 0; i < h; ++i) z2[j] += p[w2() + j * h + i] * act(z1[i]);
    }
    double y = p[b3()];
    for (std::size_t i = 0; i < h; ++i) y += p[w3() + i] * act(z2[i]);
    return y;
  }

  /// Adds d (y - t)^2 / d p to g.
  void add_gradient(double x1, double x2, double t, std::vector<double>& g) const {
    std::vector<double> z1, z2;
    const double dy = 2 * (forward(x1, x2, z1, z2) - t);
    g[b3()] += dy;
    std::vector<double> dz2(h), dh1(h, 0.0);
    for (std::size_t i = 0; i < h; ++i) {
      g[w3() + i] += dy * act(z2[i]);
      dz2[i] = dy * p[w3() + i] * slope(z2[i]);
    }
    for (std::size_t j = 0; j < h; ++j) {
      g[b2() + j] += dz2[j];
      for (std::size_t i = 0; i < h; ++i) {
        g[w2() + j * h + i] += dz2[j] * act(z1[i]);
        dh1[i] += dz2[j] * p[w2() + j * h + i];
      }
    }
    for (std::size_t j = 0; j < h; ++j) {
      const double dz1 = dh1[j] * slope(z1[j]);
      g[b1() + j] += dz1;
      g[2 * j] += dz1 * x1;
      g[2 * j + 1] += dz1 * x2;
    }
  }
};

inline bool nearly_equal(double a, double b, double tolerance) {
  return std::abs(a - b) <= tolerance * std::max(1.0, std::abs(b));
}

/// Every epoch of every run: the loss and dead units recomputed from its parameters.
inline void check_against_hand(const DyingReluLab& lab) {
  const auto h = static_cast<std::size_t>(lab.options.hidden);
  for (const DyingReluRun& run : lab.runs) {
    BOOST_TEST_REQUIRE(run.loss.size() == static_cast<std::size_t>(lab.options.epochs) + 1);
    BOOST_TEST_REQUIRE(run.parameters.size() == run.loss.size());
    BOOST_TEST_REQUIRE(run.dead.size() == run.loss.size());
    for (std::size_t e = 0; e < run.loss.size(); ++e) {
      const Hand net{h, run.parameters[e], run.activation, lab.options.alpha};
      // per unit: some point gives a non-zero output; some point is above the kink
      std::vector<char> alive(2 * h, 0), above(2 * h, 0);
      double sum = 0;
      std::vector<double> z1, z2;
      for (std::size_t j = 0; j < lab.x1.size(); ++j) {
        const double y = net.forward(lab.x1[j], lab.x2[j], z1, z2);
        sum += (y - lab.target[j]) * (y - lab.target[j]);
        for (std::size_t u = 0; u < h; ++u) {
          alive[u] |= net.act(z1[u]) != 0;
          alive[h + u] |= net.act(z2[u]) != 0;
          above[u] |= z1[u] > 0;
          above[h + u] |= z2[u] > 0;
        }
      }
      const auto dead = static_cast<std::size_t>(std::count(alive.begin(), alive.end(), 0));
      const auto never_above = static_cast<std::size_t>(std::count(above.begin(), above.end(), 0));
      BOOST_TEST_CONTEXT(run.name << ", epoch " << e) {
        BOOST_TEST(nearly_equal(run.loss[e], sum / static_cast<double>(lab.x1.size()), 1e-9));
        BOOST_TEST(run.dead[e].dead == dead);
        BOOST_TEST(run.dead[e].never_above == never_above);
        BOOST_TEST(run.dead[e].units == 2 * h);
      }
    }
  }
}

}  // namespace slope::testing
