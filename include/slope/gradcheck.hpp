// SPDX-License-Identifier: MIT
/// \file
/// Checking a tape's gradient against finite differences, and saying why a check fails at a kink.
#pragma once

#include <string>
#include <vector>

#include "slope/convention.hpp"
#include "slope/eval.hpp"
#include "slope/expr.hpp"
#include "slope/one_sided.hpp"

namespace slope {

/// The outcome of check_gradient for one input.
struct GradientEntry {
  std::string input;  ///< the input's name
  double tape;        ///< d f / d input from the reverse-mode tape
  double numeric;     ///< central difference (f(v + h) - f(v - h)) / 2h
  ///@{
  /// Exact one-sided derivatives of f (one_sided).
  double left, right;
  ///@}
  ///@{
  /// One-sided differences of f, second order.
  double numeric_left, numeric_right;
  ///@}
  bool continuous;                    ///< f is continuous there
  Break discontinuity = Break::none;  ///< how f breaks there, where it is not continuous
  bool ok;          ///< the tape's value passed the check
  /// Why it failed: the ops on their kinks whose convention left [left, right], or the kinks a
  /// difference step crosses ("relu(x) at x = 0").
  std::vector<std::string> kinks;
  std::string why;  ///< empty when ok
};

/// What check_gradient found: one entry per input of f.
struct GradientCheck {
  std::vector<GradientEntry> entries;  ///< in the order variables(f) lists the inputs
  /// Every entry passed.
  bool ok() const;
  /// One line per input; a failing one says why and names the ops or kinks behind it.
  std::string report() const;
};

/**
 * Checks the tape's gradient of f at a point, knowing about kinks. For each input, the exact
 * one-sided derivatives of f (one_sided) must agree with one-sided differences of step h (so a
 * wrong rule is caught), and the tape's value must lie between them (where they differ, any
 * value between is a valid subgradient; one outside is the composition trap). Away from kinks
 * this is the usual check against a central difference. `tolerance` is relative to 1 + |value|.
 *
 * **Example**: `check_gradient(relu(x) - relu(-x), {{"x", 0}})` fails: f is x, slope 1 from
 * both sides, but the tape's min_norm, op by op, gives 0; `report()` says so and names
 * relu(x) and relu(-x). At ordinary points (`relu(w*x + b)` at w = 2, x = 1.5, b = -1) it
 * passes.
 */
GradientCheck check_gradient(const Expr& f, const Env& at,
                             Convention convention = Convention::min_norm, double h = 1e-6,
                             double tolerance = 1e-5);

}  // namespace slope
