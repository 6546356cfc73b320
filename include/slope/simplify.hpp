// SPDX-License-Identifier: MIT
/// \file
/// Simplification beyond the factories: range reasoning and piecewise normalisation.
#pragma once

#include <string_view>
#include <unordered_map>

#include "slope/expr.hpp"

namespace slope {

/// A closed interval [lo, hi] that contains every value an expression can take (NaN aside).
struct Interval {
  ///@{
  /// The lower and upper bound (either may be infinite).
  double lo, hi;
  ///@}
  /// lo <= v <= hi.
  bool contains(double v) const { return lo <= v && v <= hi; }
  /// The same bounds.
  friend bool operator==(const Interval&, const Interval&) = default;
};

/// Bounds of `e` with every variable free (in [-inf, inf]). Examples: relu(u) is in [0, inf],
/// sigmoid(u) in [0, 1], 2*relu(u) + 1 in [1, inf].
Interval bounds(const Expr& e);

/**
 * Rewrites `e` into a simpler equal expression:
 * - range reasoning: an op whose argument never reaches its kink is replaced by the branch it
 *   always takes (`relu(2*relu(u) + 1)` is `2*relu(u) + 1`), and a condition the bounds decide
 *   becomes a constant, dropping its branch;
 * - piecewise normalisation: neighbouring branches with equal values merge (`u > 1: 0, u > 0: 0`
 *   is `u > 0: 0`), a condition implied by an enclosing branch's is dropped, and a factor
 *   common to both branches is lifted out.
 * - one variable's normal form: when the conditions that are affine in a variable all concern
 *   the same one, the result is `fold(e, x)`.
 * The factories already fold constants, drop neutral elements, collect like terms and flatten.
 */
Expr simplify(const Expr& e);

/**
 * e as one piecewise over intervals of x, left to right, the way a textbook writes it:
 * `d/dx abs(x - 1) + abs(x + 1)` folds to `piecewise(x < -1: -2, x == -1: -1, x < 1: 0,
 * x == 1: 1, otherwise: 2)`. Each comparison affine in x (x appearing once, constant
 * coefficients) is solved for x at the exact double where it switches; on each interval
 * between those points, and at each point, what is left is simplified, and equal neighbours
 * merge, so a kink point has a branch of its own only where its value differs. Comparisons
 * that are not affine in x stay as written. Two pieces read the way tutorials write relu':
 * `piecewise(x > 0: 1, otherwise: 0)`. e is returned unchanged past 64 switch points or past
 * 2,000 nodes (no reader takes that in as cases, and each interval is a pass over all of it).
 */
Expr fold(const Expr& e, std::string_view x);

/**
 * f itself as one piecewise over intervals of x: each op that switches (relu, abs, max, min,
 * clamp, sign, the activations through their definitions) written as cases on the sign of its
 * switch, then `fold(..., x)`. `as_cases(abs(x - 1) + abs(x + 1), "x")` is
 * `piecewise(x < -1: -2*x, x < 1: 2, otherwise: 2*x)`; a kink point where f is continuous has
 * no branch of its own. The same limits as fold apply.
 */
Expr as_cases(const Expr& f, std::string_view x);

}  // namespace slope
