// SPDX-License-Identifier: MIT
// Turning a convention into a value or a piecewise formula, numerically and symbolically.
// Every kinked op in ops.cpp is written with these, so its tape partial and its symbolic
// derivative come from the same description: a point k, the slope below, above, and at k.
#pragma once

#include <algorithm>
#include <cmath>
#include <type_traits>
#include <utility>

#include "slope/convention.hpp"
#include "slope/expr.hpp"
#include "slope/precision.hpp"

namespace slope::detail {

/// below for u < k, above for u > k, at for u == k (and below when u or k is NaN), in the
/// precision of u (the other numbers are converted to it).
template <class T>
requires is_tape_scalar<T>
inline T step(T u, std::type_identity_t<T> k, std::type_identity_t<T> below,
              std::type_identity_t<T> above, std::type_identity_t<T> at) {
  // Two independent selects rather than nested branches, so batch loops vectorise.
  T slope = u > k ? above : below;
  slope = u == k ? at : slope;
  return slope;
}
/// The same as a piecewise expression: `piecewise(u > k: above, otherwise: below)` when `at` is
/// the slope below, `u >= k` when it is the slope above, else an extra `u == k: at` branch.
Expr step(const Expr& u, const Expr& k, const Expr& below, const Expr& above, const Expr& at);
/// Symbolic at_kink(below, above, c): folds to a number when both slopes are constants.
Expr at_kink(const Expr& below, const Expr& above, Convention c);

/// Two values of f (or of its branches) that differ by rounding only, 1e-12 relative, or 64 ulps
/// of 1 near 0: pieces that meet there. `where(x != 0.3, 3*x, 0.9)` is continuous at 0.3,
/// though 3*0.3 is 0.9 - 1.1e-16 in doubles; a step of 1e-13 (`where(x > 0, 1e-13, 0)`) is a
/// jump. Exact one-sided calculus and the tie rules of diff and the tape all read this.
constexpr double relative_rounding = 1e-12;
constexpr double rounding_near_0 = 64 * 2.220446049250313e-16;
inline bool meet_within_rounding(double a, double b) {
  if (a == b) return true;
  if (!(std::abs(a - b) < HUGE_VAL)) return false;  // an infinity, or NaN
  return std::abs(a - b) <=
         std::max(relative_rounding * std::max(std::abs(a), std::abs(b)), rounding_near_0);
}

/// A piecewise's condition lhs OP rhs, as the boundary rules need it: whether the branch taken
/// where lhs > rhs ("above") is the then-branch.
inline bool above_is_then(Op op) { return op == Op::Gt || op == Op::Ge; }

/// Weights (then, else) of a piecewise at the boundary of its condition: the convention's
/// above_weight for the branch active above, except that min_norm puts all the weight on a
/// constant branch when there is one (its derivative, 0, is the smallest).
std::pair<double, double> boundary_weights(Convention c, bool above_is_then, bool then_const,
                                           bool else_const);

/// Chain-rule product p * d, distributing over piecewise so `piecewise(c: 1, otherwise: 0) * w`
/// reads `piecewise(c: w, otherwise: 0)`. Zero factors vanish.
Expr times(const Expr& p, const Expr& d);
/// A test of e's value as a condition, branch by branch: a piecewise whose branches test to
/// constants folds into the logic of its conditions, so the simplifier sees no comparison of a
/// piecewise (whose NaN branches its range reasoning does not see).
Expr branchwise(const Expr& e, Expr (*test)(const Expr&), int depth = 0);
/// `e != 0` as a condition (true where e is NaN), branchwise:
/// `piecewise(x > 0: 1, otherwise: 0) != 0` is `x > 0`.
Expr nonzero(const Expr& e);
/// Sum a + b, adding branch by branch when both are piecewise over the same condition.
Expr plus(const Expr& a, const Expr& b);

}  // namespace slope::detail
