// SPDX-License-Identifier: MIT
// Simplification beyond the factories: range reasoning and piecewise normalisation.
#pragma once

#include <unordered_map>

#include "slope/expr.hpp"

namespace slope {

/// A closed interval [lo, hi] that contains every value an expression can take (NaN aside).
struct Interval {
  double lo, hi;
  bool contains(double v) const { return lo <= v && v <= hi; }
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
 * The factories already fold constants, drop neutral elements, collect like terms and flatten.
 */
Expr simplify(const Expr& e);

}  // namespace slope
