// SPDX-License-Identifier: MIT
// One variable's piecewise normal form (simplify's last step; slope::fold is its public face).
#pragma once

#include <cmath>
#include <cstddef>
#include <functional>
#include <optional>
#include <string>
#include <string_view>

#include "slope/expr.hpp"

namespace slope::detail {

/// a*x + b.
struct Affine {
  double a = 0, b = 0;
};

/// `e` as a*x + b, when x appears in it once and only through sums with constants and products
/// with constants (`uses` counts x's appearances). An empty x takes the first variable met.
std::optional<Affine> affine(const Expr& e, std::string& x, int& uses);

/// The largest formula fold works on: larger ones are returned as they are.
inline constexpr std::size_t fold_node_limit = 2'000;

/// A variable known to lie in [lo, hi] (no name: nothing known).
struct KnownRange {
  std::string name;
  double lo = -HUGE_VAL, hi = HUGE_VAL;
};
/// Simplifies an expression knowing the range of one variable.
using Tidy = std::function<Expr(const Expr&, const KnownRange&)>;

/**
 * f as one piecewise over intervals of x, left to right: every comparison affine in x (x once,
 * constant coefficients) is decided on each interval between the switch points, `tidy`
 * simplifies what is left there knowing x's range (relu(x) is x on x > 0), and equal neighbours
 * merge. Conditions read `x < t`, `x <= t` or `x == t`, with t the exact double where the original
 * comparison switches; two pieces read `x > t: right, otherwise: left`. f is returned as it is when
 * it has no such comparison, over 64 switch points, or over fold_node_limit nodes.
 */
Expr fold(const Expr& f, std::string_view x, const Tidy& tidy);

/// The values of e's choices as a textbook writes them, for diff's and simplify's results: a
/// short factor in x of a choice multiplied into its pieces (`2*x if x^2 > 4, -2*x otherwise`,
/// not `x*(2 if x^2 > 4, -2 otherwise)`; simplify lifts a factor common to two branches out of
/// them, as a chain's derivative wants), and a value affine in x alone written a*x + b where
/// that is shorter (-(x - 1) - x is 1 - 2*x). Formulas over fold_node_limit nodes are left as
/// they are.
Expr textbook_values(const Expr& e, std::string_view x);

/**
 * f with each comparison whose sides differ by a*x + r (r free of x, a a constant power of two,
 * positive or negative) written as `x OP -r/a`, the order flipped for a < 0: `2*x + b > 0` reads
 * `x > -0.5*b`, `y - x >= 0` reads `x <= y`. With such an a both forms agree at every double
 * (a*x and r/a are exact); with any other a (3*x + b > 0) rounding could make them differ at
 * the boundary, and the comparison stays as written, as does one whose a has no known sign.
 * So does one whose side with x sums more than one other term, or compares a sum with
 * something other than 0: `x + y >= 1` is not `x >= 1 - y` at every double.
 */
Expr solve_comparisons(const Expr& f, std::string_view x);

/// The one variable whose affine comparisons fold can decide, if f has exactly one (and at most
/// fold_node_limit nodes).
std::optional<std::string> fold_variable(const Expr& f);

}  // namespace slope::detail
