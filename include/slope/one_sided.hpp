// SPDX-License-Identifier: MIT
/// \file
/// Exact calculus at kinks: one-sided derivatives of a whole expression, and its kinks on an
/// interval, computed by rules (each op's one-sided piece, op_table.hpp), not by probing.
#pragma once

#include <cmath>
#include <cstdint>
#include <iterator>
#include <limits>
#include <string>
#include <string_view>
#include <vector>

#include "slope/convention.hpp"
#include "slope/eval.hpp"
#include "slope/expr.hpp"

namespace slope {

/// How f fails to be continuous at a point.
enum class Break {
  none,       ///< continuous
  pole,       ///< f or a one-sided limit is infinite (1/x, log(x) at 0): no value there
  hole,       ///< f has no value (0/0) where its limits agree (sin(x)/x at 0)
  removable,  ///< the limits agree but f differs there (heaviside(x^2) at 0)
  jump,       ///< the limits differ (sign(x) at 0; abs(x)/x, which has no value there)
  no_limit,   ///< f has values on a side but no limit there: it oscillates (sin(1/x) at 0)
};
/// The name a reader sees: "a pole", "a hole", "a removable gap", "a jump", "no limit" ("" for
/// none).
std::string_view describe(Break b);

/// f near a point x0, in one variable x.
struct OneSided {
  double value;        ///< f(x0)
  double left;         ///< the derivative from the left: of the piece f equals just left of x0
  double right;        ///< ... and from the right; either may be +inf or -inf
  double left_limit;   ///< the limit of f from the left (at a jump, where f comes from); NaN
                       ///< where f has no values on that side (log(x) left of 0)
  double right_limit;  ///< ... and from the right
  /// f(x0) is finite and the pieces meet it (up to rounding: 1e-12 relative, 1.4e-14 near 0):
  /// at the edge of f's domain, the piece on the side it has values on.
  bool continuous;
  bool has_left = true;   ///< f has values just left of x0 (sqrt(x) at 0 has none): a NaN
                          ///< left_limit where it has is no limit (sin(1/x) at 0)
  bool has_right = true;  ///< ... and just right of x0
  /// Continuous with equal, finite one-sided slopes (up to rounding, relative 1e-12).
  bool differentiable() const;
  /// Continuous with the same infinite slope on both sides (cbrt-like: x^(1/3) - (-x)^(1/3) at
  /// 0): no derivative, and no corner either.
  bool vertical_tangent() const { return continuous && std::isinf(left) && left == right; }
  /// How f breaks here, if it does.
  Break discontinuity() const;
  /// The derivative a whole-expression convention gives: the convention applied to (left,
  /// right) of f itself, not op by op (docs/conventions.md). Under undefined, f' where f has
  /// one, else NaN: at a jump the pieces' slopes may agree, yet f has no derivative.
  double whole(Convention c) const {
    if (c != Convention::undefined) return at_kink(left, right, c);
    return differentiable() ? left : std::numeric_limits<double>::quiet_NaN();
  }
};

/**
 * The left and right derivative of f in x at `at` (which also holds the other variables), and
 * whether f is continuous there. Each op near the point is replaced by the smooth piece it
 * equals on that side, chosen by the sign of its switch (value, then derivatives up to the 8th,
 * as x moves to that side); the slope is the limit of that piece's derivative, or where it has
 * none but f is continuous from that side, the limit of f's difference quotient
 * (where(x > 0, x^2*sin(1/x), 0) at 0: 0 from the right). At a jump, left and right are the
 * slopes of the pieces (the one-sided limits of f').
 *
 *     one_sided(relu(x) - relu(-x), "x", {{"x", 0}})   // left 1, right 1: differentiable
 *     one_sided(max(2*x, x + 1), "x", {{"x", 1}})      // left 1, right 2
 */
OneSided one_sided(const Expr& f, std::string_view x, const Env& at);

/**
 * f' in x at `at`, where a formula or a tape gave `d`: d itself, unless d is NaN where f is
 * differentiable; then the slope both sides of f agree on (one_sided). A formula can be 0/0 where
 * f is not (sqrt(relu(x))' for x < 0), and op by op the undefined convention has no value at a
 * tie that holds on a whole stretch (max(abs(x), x) for x > 0), where f is smooth.
 *
 *     defined_slope(max(abs(x), x), "x", {{"x", 0.5}}, NaN)   // 1
 *     defined_slope(relu(x), "x", {{"x", 0}}, NaN)            // NaN: a kink, no slope to agree on
 */
double defined_slope(const Expr& f, std::string_view x, const Env& at, double d);

/// A point where f is not differentiable, not continuous, or where an op sits on its kink.
struct KinkPoint {
  double x;  ///< where: the switch's zero, or the double nearest it
  /// x is exactly where a switch is 0. False where the kink lies between two doubles (x = pi/3):
  /// x is then the nearer one, just off the kink, where no convention applies.
  bool exact;
  /// f's one-sided analysis at x. Where the kink lies between two doubles and f has a value of
  /// its own there (where(x^2 == 2, 1, 0) is 1 at sqrt(2), 0 at every double), side.value is
  /// that value and continuous is false: a removable gap no double shows.
  OneSided side;
  /// d f/dx at x under each local (op-by-op) convention, in all_conventions order: the tape's
  /// value (grad's), where a factor with slope exactly 0 drops an infinite one beside it.
  std::vector<double> local;
  /// local's entry for convention c.
  double local_under(Convention c) const {
    for (std::size_t i = 0; i < std::size(all_conventions); ++i)
      if (all_conventions[i] == c) return local.at(i);
    return local.at(std::size(all_conventions));  // (no such convention: throws)
  }
  /// The ops at their kinks there (`relu(x)`; an activation, not its definition's basic ops).
  std::vector<Expr> ops;
};

/// The steps of the grid find_kinks searches a switch that is not affine in x on. Beside each
/// zero it searches its step and the neighbouring ones again, so up to four zeros within one step
/// are found; zeros within 1% of a step of one found are taken as rounding noise.
inline constexpr std::size_t kink_search_steps = 2000;

/**
 * Every point of [from, to] where a switch of f (relu's argument, max's difference, a
 * piecewise condition's sides) crosses or touches 0, with its one-sided analysis, sorted by x.
 * A switch affine in x is solved exactly; any other is located on a grid and refined by
 * bisection to adjacent doubles, and where |switch| dips between grid points without a sign
 * change, its minimum is followed down (a switch that touches 0, or crosses twice in one step).
 * A switch that is 0 on a whole interval is no kink there.
 * Analysing a point costs about the size of f, so at most `max_points` points are analysed
 * and returned (the leftmost). Throws std::invalid_argument for a span that is not finite or
 * empty.
 *
 *     find_kinks(abs(x - 1) + relu(x), "x", {}, -5, 5)
 *     // x = 0 (slopes -1 / 0) and x = 1 (slopes 0 / 2), both exact
 */
std::vector<KinkPoint> find_kinks(const Expr& f, std::string_view x, const Env& others, double from,
                                  double to, std::size_t max_points = SIZE_MAX);

/**
 * The gradient of f at `at` in `vars` under a whole-expression convention. Two lexicographic
 * derivatives (Nesterov; Khan and Barton) are taken: the gradient of the piece f equals as all
 * of `vars` decrease, each infinitely faster than the next in the order given, and as they all
 * increase. Both lie in f's Clarke generalized gradient, and so does every point between them:
 * left takes the first, right the second, average their mean, min_norm the point between them
 * closest to 0, undefined NaN where they differ or f jumps. For one variable these are exactly
 * OneSided::whole. Throws std::invalid_argument when a variable has no value.
 *
 *     whole_gradient(relu(x) - relu(-x), {"x"}, {{"x", 0}}, Convention::min_norm)  // {1}
 *     // where diff, op by op, gives 0: the composition trap (docs/conventions.md)
 */
std::vector<double> whole_gradient(const Expr& f, const std::vector<std::string>& vars,
                                   const Env& at, Convention c);

/// An op of f sitting exactly on its kink at a point, and what its own slope does there.
struct KinkHit {
  Expr node;      ///< the op: relu(w*x + b)
  Expr argument;  ///< its switch, 0 here: w*x + b (for a piecewise, its condition's lhs - rhs)
  ///@{
  /// The op's own partial in its first non-constant argument (a piecewise: the weight of its
  /// then-branch) by the left and right conventions, and by the convention in use.
  double left, right, chosen;
  ///@}
  /// The op's partial in each argument by the convention in use: at a tie of max's arguments,
  /// the share of each one's slope (0.5 and 0.5 under min_norm).
  std::vector<double> partials;
};

/// The ops of f whose switch is exactly 0 at `at` (all variables given), innermost first:
/// `kinks_at(relu(x) + abs(y), {{"x", 0}, {"y", 1}}, Convention::min_norm)` is one hit:
/// relu(x), left 0, right 1, chosen 0.
std::vector<KinkHit> kinks_at(const Expr& f, const Env& at, Convention c);

/// The ops of f whose switch is 0 at `at` and stays 0 as the variables move: a tie on a whole
/// stretch, no kink (kinks_at leaves them out), though op by op a convention such as undefined
/// still sees one. `ties_on_a_stretch(max(abs(x), x), {{"x", 0.5}})` is max(abs(x), x).
std::vector<Expr> ties_on_a_stretch(const Expr& f, const Env& at);

}  // namespace slope
