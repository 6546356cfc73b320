// SPDX-License-Identifier: MIT
// Checking a tape's gradient against finite differences, and saying why a check fails at a kink.
#pragma once

#include <string>
#include <vector>

#include "slope/convention.hpp"
#include "slope/eval.hpp"
#include "slope/expr.hpp"

namespace slope {

/// The outcome of check_gradient for one input.
struct GradientEntry {
  std::string input;
  double tape;     ///< d f / d input from the reverse-mode tape
  double numeric;  ///< central difference (f(v + h) - f(v - h)) / 2h
  bool ok;         ///< within tolerance
  std::vector<std::string>
      kinks;  ///< kinks the step [v - h, v + h] crosses, e.g. "relu(x) at x = 0"
};

struct GradientCheck {
  std::vector<GradientEntry> entries;
  bool ok() const;
  /// One line per input; a failing one names the kink that explains it, if any.
  std::string report() const;
};

/**
 * Compares the tape's gradient of f at a point with central differences of step h. Where they
 * disagree by more than `tolerance` (relative to 1 + |numeric|), the entry lists the kinks whose
 * location lies within h of the point: the reason a numerical check fails at x = 0 for relu.
 */
GradientCheck check_gradient(const Expr& f, const Env& at,
                             Convention convention = Convention::min_norm, double h = 1e-6,
                             double tolerance = 1e-5);

}  // namespace slope
