// SPDX-License-Identifier: MIT
// THE op table: one row per op with its spelling, evaluation, numeric local partials (tape) and
// symbolic derivative (diff). Adding an op means adding a row here and an enum value in ops.hpp;
// tests/ops_test.cpp walks every row. Kinked rows are written with kink.hpp's step/at_kink so the
// numeric and the symbolic side apply the convention identically.
#include <fmt/format.h>

#include <algorithm>
#include <array>
#include <cmath>
#include <limits>
#include <stdexcept>
#include <string>
#include <unordered_map>
#include <vector>

#include "core/kink.hpp"
#include "core/op_table.hpp"
#include "core/scalar.hpp"
#include "slope/build.hpp"

namespace slope::detail {
namespace {

using std::span;
constexpr double nan_v = std::numeric_limits<double>::quiet_NaN();
constexpr double inf_v = std::numeric_limits<double>::infinity();

// ---- rules over numbers and Expr ------------------------------------------------------------
// A row's local partials are one generic lambda over a Point<T> (the tape, T its precision:
// double, float or _Float16) or a Point<Expr> (diff). The functions below give the numeric side
// the names the Expr side has in build.hpp (found there by argument-dependent lookup), so one
// expression serves both. Numeric rules compute in T: every constant is converted to T first,
// and the elementary functions are scalar.hpp's num:: ones.

/// A tape's number type, constrained so that Expr arguments go to build.hpp's functions.
template <class T>
concept number = is_tape_scalar<T>;
/// The element type of a span of arguments.
template <class S>
using elem_t = std::remove_cv_t<typename S::element_type>;

template <number T>
T exp(T x) {
  return num::exp(x);
}
template <number T>
T sin(T x) {
  return num::sin(x);
}
template <number T>
T cos(T x) {
  return num::cos(x);
}
template <number T>
T expm1(T x) {
  return num::expm1(x);
}
Expr expm1(const Expr& x) { return exp(x) - 1; }
template <number T>
T tanh(T x) {
  return num::tanh(x);
}
template <number T>
T abs(T x) {
  return num::abs(x);
}
template <number T>
T where(bool c, T a, T b) {
  return c ? a : b;
}
template <number T>
bool eq(T a, T b) {
  return a == b;
}
bool logical_and(bool a, bool b) { return a && b; }
bool logical_or(bool a, bool b) { return a || b; }
template <number T>
bool nonzero(T v) {
  return v != 0;
}
using detail::nonzero;  // over Expr (kink.hpp): the rules below are written once for both
/// A condition holds when it is neither 0 nor NaN (as an expression, it is its own test).
template <number T>
bool holds(T c) {
  return num::holds(c);
}
const Expr& holds(const Expr& c) { return c; }
template <number T>
bool is_infinite(T v) {
  return num::isinf(v);
}
bool is_infinite(const Expr& v) { return v.is_const() && std::isinf(v.value()); }

template <number T>
T sigmoid_of(T x) {
  return x >= 0 ? T(1) / (T(1) + num::exp(-x)) : num::exp(x) / (T(1) + num::exp(x));
}
template <number T>
T sigmoid(T x) {
  return sigmoid_of(x);
}
template <number T>
T softplus_of(T x) {
  return std::max(x, T(0)) + num::log1p(num::exp(-num::abs(x)));
}
template <number T>
T softplus(T x) {
  return softplus_of(x);
}

/// Where a rule is evaluated: the arguments, the result and the convention, as numbers or as
/// expressions.
template <class T>
struct Point {
  std::span<const T> a;
  const T& r;
  Convention conv;
  std::uint32_t const_args;  ///< bit i: argument i is a constant node
  bool is_const(std::size_t i) const { return (const_args >> i) & 1U; }
  /// The convention's slope at a kink between the slopes below and above.
  T at(const T& below, const T& above) const {
    // at_kink only selects, or halves a sum of two T values, which double holds exactly: its
    // result rounded to T is what T arithmetic gives.
    if constexpr (number<T>)
      return T(slope::at_kink(static_cast<double>(below), static_cast<double>(above), conv));
    else
      return detail::at_kink(below, above, conv);
  }
  /// A constant in the rule's type (a double would widen a float rule's arithmetic).
  T c(double v) const { return T(v); }
  /// The partials, in argument order.
  template <class... X>
  std::array<T, sizeof...(X)> d(const X&... x) const {
    return {T(x)...};
  }
};

template <auto Rule, class T>
void numeric_partials(const LocalIn<T>& in, span<T> out) {
  const auto p = Rule(Point<T>{in.a, in.r, in.conv, in.const_args});
  for (std::size_t i = 0; i < out.size(); ++i) out[i] = i < p.size() ? p[i] : T(0);
}
template <auto Rule>
Expr symbolic_derivative(const Symbolic& s) {
  std::uint32_t consts = 0;
  for (std::size_t i = 0; i < s.a.size(); ++i) consts |= s.a[i].is_const() ? 1U << i : 0U;
  const auto p = Rule(Point<Expr>{s.a, s.r, s.conv, consts});
  Expr sum = 0;  // chain rule: sum of partial_i * da_i, skipping arguments that do not vary
  for (std::size_t i = 0; i < p.size() && i < s.da.size(); ++i)
    if (!s.da[i].is_const(0)) sum = plus(sum, times(p[i], s.da[i]));
  return sum;
}
/// diff with a tangent rule: under `undefined` the tangent over Expr, else the partials.
template <auto Rule, auto Tangent>
Expr partials_or_tangent(const Symbolic& s) {
  if (s.conv != Convention::undefined) return symbolic_derivative<Rule>(s);
  return Tangent(s.a, s.da);
}
/// The tape's and diff's rule from one generic lambda `[](const auto& p) { return p.d(...); }`,
/// and optionally the slope under `undefined` from one generic `[](auto a, auto da)`, which
/// diff then reads too (max and clamp at a tie look at the arguments' slopes). diff's rule may
/// be given on its own where it prints better.
template <auto Rule, auto Tangent = nullptr, auto Derivative = nullptr>
constexpr LocalRule rule() {
  const auto partials = [](const auto& in, auto out) { numeric_partials<Rule>(in, out); };
  if constexpr (!std::is_null_pointer_v<decltype(Derivative)>)
    return {partials, Derivative, Tangent};
  else if constexpr (!std::is_null_pointer_v<decltype(Tangent)>)
    return {partials, partials_or_tangent<Rule, Tangent>, Tangent};
  else
    return {partials, symbolic_derivative<Rule>};
}

Expr zero_derivative(const Symbolic&) { return 0; }
/// Comparisons, logic, sign and heaviside: constant on each side, so no slope passes through.
constexpr LocalRule flat{[](const auto&, auto out) {
                           for (auto& o : out) o = 0;
                         },
                         zero_derivative};

// clamp(x, lo, hi) = min(max(x, lo), hi), as PyTorch defines it: with lo > hi it is hi everywhere,
// and an undefined bound makes it undefined (as max and min do; a NaN bound is no bound at all
// only to a comparison, which would give x a value and a slope the bound never allowed).
template <number T>
T clamp_of(T x, T lo, T hi) {
  if (num::isnan(lo) || num::isnan(hi)) return num::nan<T>();
  const T t = x < lo ? lo : x;
  return t > hi ? hi : t;
}

// max(u, v) / min(u, v) at a tie: the slopes in u and in v. Two moving arguments split as
// (s, 1 - s), s the convention's above_weight, "above" meaning u > v; against an argument that
// does not move, the moving one takes its own kink's convention slope (relu's, for max(x, 0)).
template <bool is_max, class T>
std::array<T, 2> tie_slopes(const Point<T>& p, bool u_moves, bool v_moves) {
  const T below = is_max ? 0 : 1, above = is_max ? 1 : 0;  // the moving one's slope
  if (!v_moves) return {p.at(below, above), T(0)};
  if (!u_moves) return {T(0), p.at(below, above)};
  const double s = above_weight(p.conv);
  return {T(is_max ? s : 1 - s), T(is_max ? 1 - s : s)};
}
/// The slopes of max(u, v) (or min) in u and in v, everywhere.
template <bool is_max, class T>
std::array<T, 2> extremum_slopes(const Point<T>& p, const T& u, const T& v, bool u_moves,
                                 bool v_moves) {
  const T below = is_max ? 0 : 1, above = is_max ? 1 : 0;  // u's slope below v and above it
  const auto tie = tie_slopes<is_max>(p, u_moves, v_moves);
  if (!u_moves) return {T(0), step(v, u, below, above, tie[1])};  // conditions read in v
  return {step(u, v, below, above, tie[0]), v_moves ? step(u, v, above, below, tie[1]) : T(0)};
}
template <bool is_max>
constexpr auto extremum_rule = [](const auto& p) {
  return extremum_slopes<is_max>(p, p.a[0], p.a[1], !p.is_const(0), !p.is_const(1));
};

// clamp and the activations built like it (hardtanh, relu6) are min(max(x, lo), hi), as PyTorch
// defines them. With constant bounds: slopes 0 | 1 | 0 in x, kinks at lo and hi (none at an
// infinite bound), and slope 0 when lo >= hi (clamp(x, 1, 1) is 1 everywhere). With a bound that
// moves, each of the three ties is max's or min's: x with lo (clamp(x, x, 1)' is 1, not the 0 a
// constant bound's rule would give each partial), x with hi, and lo with hi (clamp(0, x, 1) has
// its kink at x = 1); at a tie of all three the slopes of max pass through min's.
template <class T>
std::array<T, 3> clamp_slopes(const Point<T>& p, const T& x, const T& lo, const T& hi, bool x_moves,
                              bool lo_moves, bool hi_moves) {
  if (!lo_moves && !hi_moves) {  // written in x alone, so diff prints the textbook cases
    T dx = step(x, lo, T(0), T(1), p.at(0, 1));
    if (!is_infinite(hi)) dx = step(x, hi, dx, T(0), p.at(1, 0));
    const auto crossed = lo >= hi;  // folds away: both bounds are constants
    return {where(crossed, T(0), dx), where(crossed, T(0), step(x, lo, T(1), T(0), p.at(1, 0))),
            where(crossed, T(1), step(x, hi, T(0), T(1), p.at(0, 1)))};
  }
  const auto [tie_x, tie_lo] = tie_slopes<true>(p, x_moves, lo_moves);  // max(x, lo) at x == lo
  if (is_infinite(hi))
    return {step(x, lo, T(0), T(1), tie_x), step(x, lo, T(1), T(0), tie_lo), T(0)};
  // above lo the result is min(x, hi), below it min(lo, hi); at x == lo, max's slopes in x and
  // lo pass through min(., hi), whose first argument moves when either does
  const auto above = extremum_slopes<false>(p, x, hi, x_moves, hi_moves);
  const auto below = extremum_slopes<false>(p, lo, hi, lo_moves, hi_moves);
  const auto at = extremum_slopes<false>(p, x, hi, x_moves || lo_moves, hi_moves);
  const auto through = [&](const T& tie) {  // min passing 0 on passes nothing (NaN included)
    if constexpr (number<T>)
      return at[0] == 0 ? T(0) : tie * at[0];
    else
      return times(at[0], tie);
  };
  return {step(x, lo, T(0), above[0], through(tie_x)), step(x, lo, below[0], T(0), through(tie_lo)),
          step(x, lo, below[1], above[1], at[1])};
}
constexpr auto clamp_rule = [](const auto& p) {
  return clamp_slopes(p, p.a[0], p.a[1], p.a[2], !p.is_const(0), !p.is_const(1), !p.is_const(2));
};

// max/min under `undefined` (diff and Tape::tangent): at a tie of two moving arguments f is
// differentiable exactly where their slopes agree (a tie that holds on a whole stretch,
// max(abs(x), x) for x > 0, or a touch, max(x^2, 0) at 0): that slope, else no value. An
// argument that does not move has slope 0, so max(x, 0) at 0 has none (relu's kink).
template <bool is_max>
constexpr auto extremum_tangent = [](auto a, auto da) {
  using T = std::decay_t<decltype(da[0])>;
  const auto tie = eq(a[0], a[1]);
  // Flat, so diff prints one piecewise: the smooth tie, the kink, then the two sides.
  return where(logical_and(tie, eq(da[0], da[1])), da[0],
               where(tie, T(nan_v),
                     is_max ? where(a[0] > a[1], da[0], da[1]) : where(a[0] < a[1], da[0], da[1])));
};
template <class T>
T larger(const T& a, const T& b) {
  if constexpr (number<T>)
    return std::max(a, b);
  else
    return max(a, b);
}
// clamp is min(max(x, lo), hi): under `undefined` each tie is max's or min's (clamp(x,
// relu(x), 1) is x on [0, 1], so its slope is 1 there).
constexpr auto clamp_tangent = [](auto a, auto da) {
  using T = std::decay_t<decltype(da[0])>;
  const std::array<T, 2> inner{a[0], a[1]}, inner_d{da[0], da[1]};
  const T low = larger(a[0], a[1]);
  const std::array<T, 2> outer{low, a[2]}, outer_d{extremum_tangent<true>(inner, inner_d), da[2]};
  return extremum_tangent<false>(outer, outer_d);
};
// diff of clamp: with constant bounds the partials, which print the textbook cases in x.
Expr clamp_derivative(const Symbolic& s) {
  if (s.conv != Convention::undefined || (s.a[1].is_const() && s.a[2].is_const()))
    return symbolic_derivative<clamp_rule>(s);
  return clamp_tangent(s.a, s.da);
}

// leaky_relu(x, alpha) and prelu(x, a): slope alpha | 1 in x; d/dalpha is x below 0, 0 above.
constexpr auto leaky_rule = [](const auto& p) {
  const auto &x = p.a[0], &alpha = p.a[1];
  return p.d(step(x, 0, alpha, 1, p.at(alpha, 1)), step(x, 0, x, 0, 0));
};

// Interval helpers for the bounds column.
constexpr Interval everything{-inf_v, inf_v};
double times0(double a, double b) { return a == 0 || b == 0 ? 0 : a * b; }  // 0*inf = 0 here
Interval hull(std::initializer_list<double> vs) {
  Interval r{inf_v, -inf_v};
  for (double v : vs)
    if (!std::isnan(v)) r = {std::min(r.lo, v), std::max(r.hi, v)};
  return r.lo > r.hi ? everything : r;
}
Interval join(Interval a, Interval b) { return {std::min(a.lo, b.lo), std::max(a.hi, b.hi)}; }
/// Bounds of a nondecreasing function of its first argument.
template <auto F>
Interval increasing(span<const Interval> a) {
  return hull({F(a[0].lo), F(a[0].hi)});
}
Interval boolean(span<const Interval>) { return {0, 1}; }
// min(max(x, lo), hi) is nondecreasing in each argument, so its ends are the ends' values; where
// lo > hi the result is hi, which may lie below every lo.
Interval clamp_bounds(span<const Interval> a) {
  return {std::min(std::max(a[0].lo, a[1].lo), a[2].lo),
          std::min(std::max(a[0].hi, a[1].hi), a[2].hi)};
}
Interval leaky_bounds(span<const Interval> a) {
  // x > 0 ? x : alpha*x: the positive part and the products over the alpha range.
  const Interval neg{std::min(a[0].lo, 0.0), std::min(a[0].hi, 0.0)};
  const Interval pos{std::max(a[0].lo, 0.0), std::max(a[0].hi, 0.0)};
  const Interval scaled = hull({times0(neg.lo, a[1].lo), times0(neg.lo, a[1].hi),
                                times0(neg.hi, a[1].lo), times0(neg.hi, a[1].hi)});
  return join(a[0].hi > 0 ? pos : scaled, a[0].lo <= 0 ? scaled : pos);
}

/// The same condition with the boundary point given to the side below (or above).
Expr boundary_to(const Expr& cond, bool above) {
  const Expr &l = cond.arg(0), &r = cond.arg(1);
  const bool gt = above_is_then(cond.op());
  if (above) return gt ? (l >= r) : (l < r);
  return gt ? (l > r) : (l <= r);
}

// ---- one-sided pieces: the smooth expression an op equals on one side (op_table.hpp) ----------

/// Comparisons and logic take the value their row gives for the arguments' side signs: a tie
/// that holds on the whole side (sign 0) compares as equal, so `x <= x` stays true.
template <Op op>
Expr logic_piece(span<const Expr> a, const SideSign& sign);
Expr piecewise_piece(span<const Expr> a, const SideSign& sign) {
  return sign(a[0]) != 0 ? a[1] : a[2];
}
Expr abs_piece(span<const Expr> a, const SideSign& sign) { return sign(a[0]) < 0 ? -a[0] : a[0]; }
Expr sign_piece(span<const Expr> a, const SideSign& sign) { return Expr(sign(a[0])); }
template <bool is_max>
Expr extremum_piece(span<const Expr> a, const SideSign& sign) {
  const int s = sign(a[0] - a[1]);
  return (is_max ? s >= 0 : s <= 0) ? a[0] : a[1];
}
Expr clamp_piece(span<const Expr> a, const SideSign& sign) {
  const Expr low = sign(a[0] - a[1]) >= 0 ? a[0] : a[1];
  return sign(low - a[2]) <= 0 ? low : a[2];
}

void first_switches(span<const Expr> a, std::vector<Expr>& out) { out.push_back(a[0]); }
void difference_switches(span<const Expr> a, std::vector<Expr>& out) {
  // max(0, u) switches at u, not -u: the argument as the user wrote it, constant on the right
  out.push_back(a[0].is_const() ? a[1] - a[0] : a[0] - a[1]);
}
void clamp_switches(span<const Expr> a, std::vector<Expr>& out) {
  out.push_back(a[0] - a[1]);
  out.push_back(a[0] - a[2]);
  if (!a[1].is_const() || !a[2].is_const()) out.push_back(a[1] - a[2]);  // lo meets hi
}
/// A condition that is not a comparison switches where it crosses 0.
void condition_switches(span<const Expr> a, std::vector<Expr>& out) {
  if (!is_logical(a[0].op())) out.push_back(a[0]);
}
/// b^e with e not a whole number >= 0 loses smoothness (or its value) where b = 0.
void pow_switches(span<const Expr> a, std::vector<Expr>& out) {
  if (!a[1].is_const() || a[1].value() < 0 || a[1].value() != std::floor(a[1].value()))
    out.push_back(a[0]);
}
template <Op op>
constexpr SideRule comparison_side{logic_piece<op>, difference_switches};

template <class T>
void piecewise_partials(const LocalIn<T>& in, span<T> out) {
  out[0] = 0;
  const bool taken = holds(in.a[0]);
  out[1] = taken ? 1 : 0;
  out[2] = taken ? 0 : 1;
  if (is_inequality(in.cond_op) && in.cond_lhs == in.cond_rhs) {
    auto [w_then, w_else] =
        boundary_weights(in.conv, above_is_then(in.cond_op), in.is_const(1), in.is_const(2));
    out[1] = T(w_then);
    out[2] = T(w_else);
  }
}

// piecewise under `undefined` (diff and Tape::tangent; a = cond, then, else and, when the
// condition compares, its sides). A tie of the sides is a boundary only where they cross, that
// is where their slopes differ; where they stay tied (relu(x) > 0 for x < 0) the condition's own
// value picks the branch, as it does for every nearby point. A crossing has a value where the
// branches meet with one slope (piecewise(x > 0: x^2, otherwise: 0) at 0: f is differentiable),
// or where both slopes are 0 (a jump between flat pieces is flat, as sign and heaviside are).
constexpr auto piecewise_tangent = [](auto a, auto da) {
  using T = std::decay_t<decltype(da[0])>;
  if (a.size() < 5) return where(holds(a[0]), da[1], da[2]);
  const auto crossing = logical_and(eq(a[3], a[4]), nonzero(da[3] - da[4]));
  const auto smooth = logical_and(eq(da[1], da[2]), logical_or(eq(da[1], T(0)), eq(a[1], a[2])));
  // Flat, so diff prints one piecewise.
  return where(logical_and(crossing, smooth), da[1],
               where(crossing, T(nan_v), where(holds(a[0]), da[1], da[2])));
};

/// At a tie where both sides of the point take one branch (then, if `then_beside`): where f is
/// continuous (`meet`, the branches meet, or `taken_there`, the condition at the point takes
/// that branch too) that branch's slope is f's; where f jumps at the point alone, the slope of the
/// branch taken there, as at any jump (undefined: 0 between flat pieces, as sign and heaviside
/// are, none otherwise). The tape reads the same rule at one point (Tape::apart).
Expr one_branch_beside(const Symbolic& s, bool then_beside, const Expr& taken_there,
                       const Expr& meet) {
  const Expr &da = s.da[1], &db = s.da[2];
  const Expr at_point = s.conv == Convention::undefined
                            ? where(logical_and(eq(da, 0), eq(db, 0)), 0, constant(nan_v))
                            : (then_beside ? db : da);
  return where(logical_or(taken_there, meet), then_beside ? da : db, at_point);
}

/// l == r or l != r, at a point where l = r and the sides part as x moves: beside it the
/// condition is l != r on both sides, the branch f takes there (`where(x != 0, 2*x, 0)` is 2x).
Expr equality_derivative(const Symbolic& s, const SidesPart& part) {
  const Expr& cond = s.a[0];
  const Expr apart = logical_or(part.crosses, logical_or(part.above, part.below));
  if (apart.is_const(0)) return where(cond, s.da[1], s.da[2]);
  // at the tie itself the condition takes the other branch: == holds, != does not
  return where(logical_and(eq(cond.arg(0), cond.arg(1)), apart),
               one_branch_beside(s, cond.op() == Op::Ne, constant(0), eq(s.a[1], s.a[2])),
               where(cond, s.da[1], s.da[2]));
}

Expr derivative_by_parting(const Symbolic& s);

/// cond with the comparison c replaced by its truth.
Expr with_truth(const Expr& cond, const Expr& c, bool truth) {
  if (cond == c) return constant(truth ? 1 : 0);
  if (!is_logical(cond.op()) || is_comparison(cond.op())) return cond;
  std::vector<Expr> args;
  for (const Expr& a : cond.args()) args.push_back(with_truth(a, c, truth));
  return make_op(cond.op(), args);
}

/// A combination (and, or, not) at a tie of one of its comparisons c, where c's truth decides
/// the combination's, is c or its negation there: f is where(c, then, else) or where(c, else,
/// then) around the point, and that piecewise's rule reads the tie (a crossing weighed by the
/// convention along c's lhs - rhs, a touch, sides that stay tied), as for a plain comparison.
/// The first tied comparison whose sides part there decides, as it gives tie_sides its side
/// above. Elsewhere, the branch taken.
Expr combination_derivative(const Symbolic& s) {
  const Expr &cond = s.a[0], &da = s.da[1], &db = s.da[2];
  Expr d = where(cond, da, db);
  if (!weighs_boundary(cond)) return d;
  std::vector<Expr> compared;
  comparisons_in(cond, compared);
  for (auto c = compared.rbegin(); c != compared.rend(); ++c) {
    // a comparison tied on both sides (relu(x) > 0 left of 0) decides nothing: the next does
    const SidesPart part = s.sides_part(s.derivative_of(c->arg(0)) - s.derivative_of(c->arg(1)));
    const Expr parts = logical_or(part.crosses, logical_or(part.above, part.below));
    if (parts.is_const(0)) continue;
    const Expr when_true = with_truth(cond, *c, true), when_false = with_truth(cond, *c, false);
    const Expr tie = logical_and(eq(c->arg(0), c->arg(1)), parts);
    const auto as = [&](bool same) {  // f around the tie, as where(c, ...)
      const std::array<Expr, 3> a{*c, same ? s.a[1] : s.a[2], same ? s.a[2] : s.a[1]};
      const std::array<Expr, 3> d_a{constant(0), same ? da : db, same ? db : da};
      return derivative_by_parting(
          {a, s.r, d_a, s.conv, s.derivative_of, s.sides_part, s.exact_ties});
    };
    d = where(
        logical_and(tie, logical_and(when_true, logical_not(when_false))), as(true),
        where(logical_and(tie, logical_and(when_false, logical_not(when_true))), as(false), d));
  }
  return d;
}

/// The slope everywhere but at the ties exact_ties reads: the sides' parting from sides_part.
Expr derivative_by_parting(const Symbolic& s) {
  const Expr &cond = s.a[0], &da = s.da[1], &db = s.da[2];
  if (is_logical(cond.op()) && !is_comparison(cond.op())) return combination_derivative(s);
  if (!is_comparison(cond.op())) return where(cond, da, db);
  const Expr &l = cond.arg(0), &r = cond.arg(1);
  const SidesPart part = s.sides_part(s.derivative_of(l) - s.derivative_of(r));
  if (!is_inequality(cond.op())) return equality_derivative(s, part);
  const bool touches = !part.above.is_const(0) || !part.below.is_const(0);
  if (part.crosses.is_const(0) && !touches) return where(cond, da, db);  // the sides never part
  const bool up = above_is_then(cond.op());
  const Expr& d_above = up ? da : db;
  const Expr& d_below = up ? db : da;
  const Expr tie = eq(l, r);
  // Where the sides touch, both sides take one branch (x^2 >= 0 at 0): a convention has
  // nothing to choose.
  const auto with_touches = [&](const Expr& elsewhere) {
    if (!touches) return elsewhere;
    const auto beside = [&](bool above) {
      return one_branch_beside(s, above == up, above == up ? cond : logical_not(cond),
                               eq(s.a[1], s.a[2]));
    };
    return where(logical_and(tie, part.above), beside(true),
                 where(logical_and(tie, part.below), beside(false), elsewhere));
  };
  if (s.conv == Convention::undefined) {
    if (da == db && logical_or(eq(da, 0), eq(s.a[1], s.a[2])).is_const(1)) return da;
    // the sides' slopes as the rule reads them: apart (1 and 0) exactly where the sides cross
    const std::array<Expr, 5> a{cond, s.a[1], s.a[2], l, r},
        d{0, da, db, where(part.crosses, 1, 0), 0};
    return with_touches(piecewise_tangent(std::span<const Expr>(a), std::span<const Expr>(d)));
  }
  const Expr crossing = logical_and(tie, part.crosses);
  auto [w_then, w_else] = boundary_weights(s.conv, up, s.a[1].is_const(), s.a[2].is_const());
  const Expr at = plus(times(w_then, da), times(w_else, db));
  if (da == db && at == da) return da;
  if (part.crosses.is_const(1)) {  // (then they never merely touch)
    if (at == d_below) return where(boundary_to(cond, false), da, db);
    if (at == d_above) return where(boundary_to(cond, true), da, db);
  }
  return with_touches(where(crossing, at, where(cond, da, db)));
}

/// f's slope at a tie whose sides' difference jumps or kinks, or of an equality or a combination
/// (symbolic/side.hpp, exact_ties), from the branch both sides take; at a boundary, as at any
/// crossing: the convention's weights along the tied lhs - rhs, or under undefined a value only
/// where f is differentiable across.
Expr at_exact_tie(const Symbolic& s, const ExactTie& tie) {
  const Expr& cond = s.a[0];
  const Expr &da = s.da[1], &db = s.da[2];
  const Expr meet = tie.meet ? constant(*tie.meet ? 1 : 0) : eq(s.a[1], s.a[2]);
  if (tie.beside)
    return one_branch_beside(s, *tie.beside, *tie.beside ? cond : logical_not(cond), meet);
  if (!tie.above) return where(cond, da, db);  // no side above: the branch taken
  if (s.conv == Convention::undefined)
    return where(logical_and(eq(da, db), logical_or(eq(da, 0), meet)), da, constant(nan_v));
  auto [w_then, w_else] =
      boundary_weights(s.conv, *tie.above, s.a[1].is_const(), s.a[2].is_const());
  return plus(times(w_then, da), times(w_else, db));
}

Expr piecewise_derivative(const Symbolic& s) {
  Expr d = derivative_by_parting(s);
  for (const ExactTie& t : s.exact_ties(s.r)) d = where(t.here, at_exact_tie(s, t), d);
  return d;
}

/// Bounds of a function that falls to its minimum at `x_min` and rises after it (silu, gelu,
/// mish, hardswish); `at_minus_inf` is its limit at -inf.
Interval dip(double (*of)(double), double x_min, double at_minus_inf, Interval a) {
  auto f = [&](double x) { return x == -inf_v ? at_minus_inf : of(x); };
  return {f(std::clamp(x_min, a.lo, a.hi)), std::max(f(a.lo), f(a.hi))};
}
// Floating-point template arguments are not in clang 14, so each row wraps dip in a lambda.
#define DIP(F, x_min, at_minus_inf) \
  [](span<const Interval> a) { return dip(F, x_min, at_minus_inf, a[0]); }
constexpr double sqrt_half = 0.70710678118654752440;     // 1/sqrt(2)
constexpr double inv_sqrt_2pi = 0.39894228040143267794;  // 1/sqrt(2 pi)
constexpr double two_over_sqrt_pi = 1.12837916709551257390;
template <number T>
T hardswish_of(T x) {
  return x <= T(-3) ? T(0) : (x >= T(3) ? x : x * (x + T(3)) / T(6));
}
template <number T>
T silu_of(T x) {
  return x * sigmoid_of(x);
}
/// Phi(x), the standard normal distribution function; erfc keeps its left tail accurate.
template <number T>
T normal_cdf(T x) {
  return T(0.5) * num::erfc(-x * T(sqrt_half));
}
Expr normal_cdf(const Expr& x) { return 0.5 * (1 + erf(x * sqrt_half)); }
template <number T>
T gelu_of(T x) {
  return x * normal_cdf(x);
}
template <number T>
T mish_of(T x) {
  return x * num::tanh(softplus_of(x));
}
// selu's self-normalising constants (Klambauer et al. 2017, as PyTorch rounds them)
constexpr double selu_scale = 1.0507009873554804934;
constexpr double selu_alpha = 1.6732632423543772848;
constexpr double selu_low = selu_scale * selu_alpha;  // its slope just left of 0, and -selu(-inf)
template <number T>
T selu_of(T x) {
  return x > T(0) ? T(selu_scale) * x : T(selu_low) * num::expm1(x);
}

// ---- the table -----------------------------------------------------------------------------

constexpr OpSpelling fn(std::string_view name, std::string_view latex, std::string_view params,
                        int n, int m = -2) {
  return {name, "", latex, n, m == -2 ? n : m, Prec::Atom, params};
}
constexpr OpSpelling infix(std::string_view name, std::string_view sym, std::string_view latex,
                           Prec p, int n, int m) {
  return {name, sym, latex, n, m, p, "a, b"};
}
/// The op's spellings in C++, Python, NumPy and PyTorch (op_table.hpp, CodeSpelling).
constexpr CodeSpelling lib(std::string_view cpp, std::string_view python, std::string_view numpy,
                           std::string_view torch) {
  return {cpp, python, numpy, torch};
}

// A row's value in every precision, from one generic lambda (op_table.hpp, PerPrecision).
#define EVAL(F)                                     \
  []([[maybe_unused]] auto a) {                     \
    using T [[maybe_unused]] = elem_t<decltype(a)>; \
    return static_cast<elem_t<decltype(a)>>(F);     \
  }
#define BOUNDS(...) []([[maybe_unused]] span<const Interval> a) -> Interval { return __VA_ARGS__; }
#define DEFINE(F) []([[maybe_unused]] span<const Expr> a) -> Expr { return F; }

constexpr OpRow rows[] = {
    {.op = Op::Const, .spell = fn("constant", "", "", 0), .eval = EVAL(nan_v), .local = flat},
    {.op = Op::Variable,
     .spell = fn("variable", "", "", 0),
     .eval = EVAL(nan_v),
     .local = flat},  // diff.cpp seeds variables

    // d/da_i (a_1 + ... + a_n) = 1
    {.op = Op::Add,
     .spell = infix("add", "+", "+", Prec::Add, 1, -1),
     .eval =
         [](auto a) {
           elem_t<decltype(a)> s = 0;
           for (const auto v : a) s += v;
           return s;
         },
     .local = {[](const auto&, auto out) { std::fill(out.begin(), out.end(), 1); },
               [](const Symbolic& s) {
                 // One sum built once: adding term by term re-flattens it each time (quadratic
                 // in the terms). Piecewise terms on one condition merge, as plus() merges two.
                 std::vector<Expr> terms;
                 std::unordered_map<NodeId, std::size_t> on_condition;
                 for (const Expr& d : s.da) {
                   if (d.is_const(0)) continue;
                   if (d.op() == Op::Piecewise) {
                     const auto [at, fresh] = on_condition.try_emplace(d.arg(0).id(), terms.size());
                     if (!fresh) {
                       terms[at->second] = plus(terms[at->second], d);
                       continue;
                     }
                   }
                   terms.push_back(d);
                 }
                 if (terms.size() < 2) return terms.empty() ? Expr(0) : terms[0];
                 return make_op(Op::Add, terms);
               }},
     .bounds =
         [](span<const Interval> a) {
           Interval r{0, 0};
           for (const Interval& i : a) r = {r.lo + i.lo, r.hi + i.hi};
           return std::isnan(r.lo) || std::isnan(r.hi) ? everything : r;
         }},
    // d/da_i prod = prod of the others (no division, so zeros are fine)
    {.op = Op::Mul,
     .spell = infix("mul", "*", "\\,", Prec::Mul, 1, -1),
     .eval =
         [](auto a) {
           elem_t<decltype(a)> p = 1;
           for (const auto v : a) p *= v;
           return p;
         },
     .local = {[](const auto& in, auto out) {
                 elem_t<decltype(out)> left = 1;
                 for (std::size_t i = 0; i < out.size(); ++i) {
                   out[i] = left;
                   left *= in.a[i];
                 }
                 elem_t<decltype(out)> right = 1;
                 for (std::size_t i = out.size(); i-- > 0;) {
                   out[i] *= right;
                   right *= in.a[i];
                 }
               },
               [](const Symbolic& s) {
                 Expr sum = 0;
                 std::vector<Expr> others;
                 for (std::size_t i = 0; i < s.a.size(); ++i) {
                   if (s.da[i].is_const(0)) continue;
                   others.clear();
                   for (std::size_t j = 0; j < s.a.size(); ++j)
                     if (j != i) others.push_back(s.a[j]);
                   // a*u has the partial a, a product of the others' one factor
                   const Expr partial = others.size() == 1 ? others[0] : make_op(Op::Mul, others);
                   sum = plus(sum, times(partial, s.da[i]));
                 }
                 return sum;
               }},
     .bounds =
         [](span<const Interval> a) {
           Interval r{1, 1};
           for (const Interval& i : a)
             r = hull(
                 {times0(r.lo, i.lo), times0(r.lo, i.hi), times0(r.hi, i.lo), times0(r.hi, i.hi)});
           return r;
         }},

    {.op = Op::Lt,
     .spell = infix("lt", "<", "<", Prec::Compare, 2, 2),
     .eval = EVAL(a[0] < a[1]),
     .local = flat,
     .bounds = boolean,
     .side = comparison_side<Op::Lt>},
    {.op = Op::Le,
     .spell = infix("le", "<=", "\\leq", Prec::Compare, 2, 2),
     .eval = EVAL(a[0] <= a[1]),
     .local = flat,
     .bounds = boolean,
     .side = comparison_side<Op::Le>},
    {.op = Op::Gt,
     .spell = infix("gt", ">", ">", Prec::Compare, 2, 2),
     .eval = EVAL(a[0] > a[1]),
     .local = flat,
     .bounds = boolean,
     .side = comparison_side<Op::Gt>},
    {.op = Op::Ge,
     .spell = infix("ge", ">=", "\\geq", Prec::Compare, 2, 2),
     .eval = EVAL(a[0] >= a[1]),
     .local = flat,
     .bounds = boolean,
     .side = comparison_side<Op::Ge>},
    {.op = Op::And,
     .spell = infix("and", "and", "\\land", Prec::And, 2, 2),
     .eval = EVAL(num::holds(a[0]) && num::holds(a[1])),
     .local = flat,
     .bounds = boolean,
     .side = {logic_piece<Op::And>}},
    {.op = Op::Or,
     .spell = infix("or", "or", "\\lor", Prec::Or, 2, 2),
     .eval = EVAL(num::holds(a[0]) || num::holds(a[1])),
     .local = flat,
     .bounds = boolean,
     .side = {logic_piece<Op::Or>}},
    {.op = Op::Not,
     .spell = infix("not", "not", "\\lnot", Prec::Not, 1, 1),
     .eval = EVAL(a[0] == 0),
     .local = flat,
     .bounds = boolean,
     .side = {logic_piece<Op::Not>}},

    // piecewise(c: a, otherwise: b): slope 1 into the branch taken; at the boundary of an
    // inequality the convention splits it between the branches (kink.hpp, boundary_weights)
    {.op = Op::Piecewise,
     .spell = fn("piecewise", "", "cond: value, ..., otherwise: value", 3),
     .eval = [](auto a) { return holds(a[0]) ? a[1] : a[2]; },
     .local = {[](const auto& in, auto out) { piecewise_partials(in, out); }, piecewise_derivative,
               piecewise_tangent},
     .bounds = BOUNDS(join(a[1], a[2])),
     .side = {piecewise_piece, condition_switches}},

    // d/db b^e = e b^(e-1);  d/de b^e = b^e log b
    {.op = Op::Pow,
     .spell = infix("pow", "^", "^", Prec::Pow, 2, 2),
     .eval = EVAL(num::pow(a[0], a[1])),
     .local = {[](const auto& in, auto out) {
                 using T = elem_t<decltype(out)>;
                 out[0] = in.a[1] == 0 ? T(0) : in.a[1] * num::pow(in.a[0], in.a[1] - T(1));
                 out[1] = in.is_const(1) ? T(0) : in.r * num::log(in.a[0]);
               },
               [](const Symbolic& s) {
                 const Expr &b = s.a[0], &e = s.a[1];
                 return plus(times(e * pow(b, e - 1), s.da[0]),
                             s.da[1].is_const(0) ? Expr(0) : times(s.r * log(b), s.da[1]));
               }},
     .bounds = [](span<const Interval> a) -> Interval {
       const double k = a[1].lo;  // a constant exponent has a one-point range
       // (b^inf is 0, 1 or inf as |b| is below, at or above 1: no finite power's shape)
       if (a[1].hi != k || !std::isfinite(k) || k != std::floor(k) || k <= 0)
         return a[0].lo >= 0 ? Interval{0, inf_v} : everything;
       auto p = [k](double v) { return std::pow(v, k); };
       if (std::fmod(k, 2) != 0) return hull({p(a[0].lo), p(a[0].hi)});
       if (a[0].contains(0)) return {0, std::max(p(a[0].lo), p(a[0].hi))};
       return hull({p(std::abs(a[0].lo)), p(std::abs(a[0].hi))});
     },
     .code = lib("std::pow", "@power", "np.power", "torch.pow"),
     .side = {nullptr, pow_switches}},

    {.op = Op::Exp,
     .spell = fn("exp", "e^{#}", "x", 1),
     .eval = EVAL(num::exp(a[0])),
     .local = rule<[](const auto& p) { return p.d(p.r); }>(),
     .bounds = increasing<([](double a) { return std::exp(a); })>,
     .code = lib("std::exp", "@exp", "np.exp", "torch.exp")},
    {.op = Op::Log,
     .spell = fn("log", "\\log", "x", 1),
     .eval = EVAL(num::log(a[0])),
     .local = rule<[](const auto& p) { return p.d(1 / p.a[0]); }>(),
     .bounds = BOUNDS(
         Interval{a[0].lo > 0 ? std::log(a[0].lo) : -inf_v, std::log(std::max(a[0].hi, 0.0))}),
     .code = lib("std::log", "@log", "np.log", "torch.log"),
     .side = {nullptr, first_switches}},  // where its argument reaches 0, log has no value
    {.op = Op::Sqrt,
     .spell = fn("sqrt", "\\sqrt{#}", "x", 1),
     // sqrt(-0) is 0, unsigned: IEEE gives -0, and -0.5/sqrt(-x) at x = 0 then said +inf.
     .eval = EVAL(num::sqrt(a[0]) + T(0)),
     .local = rule<[](const auto& p) { return p.d(p.c(0.5) / p.r); }>(),
     .bounds =
         BOUNDS(Interval{std::sqrt(std::max(a[0].lo, 0.0)), std::sqrt(std::max(a[0].hi, 0.0))}),
     // + 0.0: sqrt(-0) is -0, eval's value is +0 (so -0.5/sqrt(-x) at 0 is -inf, as in eval)
     .code = lib("(std::sqrt($0) + 0.0)", "@sqrt", "(np.sqrt($0) + 0.0)", "(torch.sqrt($0) + 0.0)"),
     .side = {nullptr, first_switches}},
    {.op = Op::Sin,
     .spell = fn("sin", "\\sin", "x", 1),
     .eval = EVAL(num::sin(a[0])),
     .local = rule<[](const auto& p) { return p.d(cos(p.a[0])); }>(),
     .bounds = BOUNDS(Interval{-1, 1}),
     .code = lib("std::sin", "@sin", "np.sin", "torch.sin")},
    {.op = Op::Cos,
     .spell = fn("cos", "\\cos", "x", 1),
     .eval = EVAL(num::cos(a[0])),
     .local = rule<[](const auto& p) { return p.d(-sin(p.a[0])); }>(),
     .bounds = BOUNDS(Interval{-1, 1}),
     .code = lib("std::cos", "@cos", "np.cos", "torch.cos")},
    {.op = Op::Tanh,
     .spell = fn("tanh", "\\tanh", "x", 1),
     .eval = EVAL(num::tanh(a[0])),
     .local = rule<[](const auto& p) { return p.d(1 - p.r * p.r); }>(),
     .bounds = increasing<([](double a) { return std::tanh(a); })>,
     .code = lib("std::tanh", "math.tanh", "np.tanh", "torch.tanh")},
    {.op = Op::Sigmoid,
     .spell = fn("sigmoid", "\\sigma", "x", 1),
     .eval = EVAL(sigmoid_of(a[0])),
     .local = rule<[](const auto& p) { return p.d(p.r * (1 - p.r)); }>(),
     .bounds = increasing<([](double a) { return sigmoid_of(a); })>,
     .code = lib("@sigmoid", "@sigmoid",
                 "np.where($0 >= 0, 1.0 / (1.0 + np.exp(-$0)), np.exp($0) / (1.0 + np.exp($0)))",
                 "torch.sigmoid")},
    {.op = Op::Softplus,
     .spell = fn("softplus", "\\operatorname{softplus}", "x", 1),
     .eval = EVAL(softplus_of(a[0])),
     .local = rule<[](const auto& p) { return p.d(sigmoid(p.a[0])); }>(),
     .bounds = BOUNDS(Interval{0, a[0].hi > 30 ? inf_v : std::log1p(std::exp(a[0].hi))}),
     .code = lib("@softplus", "@softplus", "(np.maximum($0, 0.0) + np.log1p(np.exp(-np.abs($0))))",
                 "(torch.relu($0) + torch.log1p(torch.exp(-torch.abs($0))))")},

    // |x|: slopes -1 | 1, kink at 0
    {.op = Op::Abs,
     .spell = fn("abs", "\\left|#\\right|", "x", 1),
     .eval = EVAL(num::abs(a[0])),
     .local = rule<[](const auto& p) { return p.d(step(p.a[0], 0, -1, 1, p.at(-1, 1))); }>(),
     .bounds = [](span<const Interval> a) -> Interval {
       if (a[0].lo >= 0) return a[0];
       if (a[0].hi <= 0) return {-a[0].hi, -a[0].lo};
       return {0, std::max(-a[0].lo, a[0].hi)};
     },
     .code = lib("std::abs", "abs", "np.abs", "torch.abs"),
     .side = {abs_piece, first_switches, 0b1}},
    // sign jumps at 0; its slope is 0 on both sides, so every convention gives 0 there
    {.op = Op::Sign,
     .spell = fn("sign", "\\operatorname{sign}", "x", 1),
     .eval = EVAL(num::isnan(a[0]) ? a[0] : (a[0] > 0) - (a[0] < 0)),
     .local = flat,
     .bounds = increasing<([](double a) { return double((a > 0) - (a < 0)); })>,
     .code = lib("@sign", "@sign", "np.sign", "torch.where($0 == $0, torch.sign($0), $0)"),
     .side = {sign_piece, first_switches}},
    {.op = Op::Max,
     .spell = fn("max", "\\max", "a, b", 2),
     .eval = EVAL(num::isnan(a[0]) || num::isnan(a[1]) ? num::nan<T>() : std::max(a[0], a[1])),
     .local = rule<extremum_rule<true>, extremum_tangent<true>>(),
     .bounds = BOUNDS(Interval{std::max(a[0].lo, a[1].lo), std::max(a[0].hi, a[1].hi)}),
     .code = lib("@maximum", "@maximum", "np.maximum", "torch.maximum"),
     .side = {extremum_piece<true>, difference_switches, 0b11}},
    {.op = Op::Min,
     .spell = fn("min", "\\min", "a, b", 2),
     .eval = EVAL(num::isnan(a[0]) || num::isnan(a[1]) ? num::nan<T>() : std::min(a[0], a[1])),
     .local = rule<extremum_rule<false>, extremum_tangent<false>>(),
     .bounds = BOUNDS(Interval{std::min(a[0].lo, a[1].lo), std::min(a[0].hi, a[1].hi)}),
     .code = lib("@minimum", "@minimum", "np.minimum", "torch.minimum"),
     .side = {extremum_piece<false>, difference_switches, 0b11}},
    {.op = Op::Clamp,
     .spell = fn("clamp", "\\operatorname{clamp}", "x, lo, hi", 3),
     .eval = EVAL(clamp_of(a[0], a[1], a[2])),
     .local = rule<clamp_rule, clamp_tangent, clamp_derivative>(),
     .bounds = clamp_bounds,
     .side = {clamp_piece, clamp_switches, 0b111}},
    {.op = Op::Eq,
     .spell = infix("eq", "==", "=", Prec::Compare, 2, 2),
     .eval = EVAL(a[0] == a[1]),
     .local = flat,
     .bounds = boolean,
     .side = comparison_side<Op::Eq>},
    {.op = Op::Ne,
     .spell = infix("ne", "!=", "\\neq", Prec::Compare, 2, 2),
     .eval = EVAL(a[0] != a[1]),
     .local = flat,
     .bounds = boolean,
     .side = comparison_side<Op::Ne>},

    // ---- activations: each has a definition in basic ops, which `--steps` shows --------------
    // relu(x) = max(0, x): slopes 0 | 1
    {.op = Op::Relu,
     .spell = fn("relu", "\\operatorname{relu}", "x", 1),
     .eval = EVAL(relu_value(a[0])),
     .local = rule<[](const auto& p) { return p.d(step(p.a[0], 0, 0, 1, p.at(0, 1))); }>(),
     .bounds = BOUNDS(Interval{std::max(a[0].lo, 0.0), std::max(a[0].hi, 0.0)}),
     .definition = DEFINE(max(0, a[0])),
     .code = lib("@relu", "@relu", "np.maximum($0, 0.0)", "torch.relu"),
     .side = {.affine_pieces_in = 0b1}},
    {.op = Op::LeakyRelu,
     .spell = fn("leaky_relu", "\\operatorname{leaky\\_relu}", "x, alpha", 1, 2),
     .defaults = {0.01},
     .eval = EVAL(leaky_value(a[0], a[1])),
     .local = rule<leaky_rule>(),
     .bounds = leaky_bounds,
     .definition = DEFINE(piecewise({{a[0] > 0, a[0]}}, a[1] * a[0])),
     .code = lib("@leaky_relu", "@leaky_relu", "np.where($0 > 0, $0, $1 * $0)",
                 "torch.where($0 > 0, $0, $1 * $0)"),
     .side = {.affine_pieces_in = 0b1}},
    {.op = Op::Prelu,
     .spell = fn("prelu", "\\operatorname{prelu}", "x, a", 2),
     .eval = EVAL(leaky_value(a[0], a[1])),
     .local = rule<leaky_rule>(),
     .bounds = leaky_bounds,
     .definition = DEFINE(piecewise({{a[0] > 0, a[0]}}, a[1] * a[0])),
     .code = lib("@leaky_relu", "@leaky_relu", "np.where($0 > 0, $0, $1 * $0)",
                 "torch.where($0 > 0, $0, $1 * $0)"),
     .side = {.affine_pieces_in = 0b1}},
    // elu(x, alpha): slopes alpha e^x | 1 (alpha | 1 at the kink); d/dalpha is e^x - 1 below 0
    {.op = Op::Elu,
     .spell = fn("elu", "\\operatorname{elu}", "x, alpha", 1, 2),
     .defaults = {1.0},
     .eval = EVAL(a[0] > 0 ? a[0] : a[1] * num::expm1(a[0])),
     .local = rule<[](const auto& p) {
       const auto &x = p.a[0], &alpha = p.a[1];
       return p.d(step(x, 0, alpha * exp(x), 1, p.at(alpha, 1)), step(x, 0, expm1(x), 0, 0));
     }>(),
     .bounds =
         [](span<const Interval> a) {
           if (a[1].lo >= 0)
             return Interval{a[0].lo > 0 ? a[0].lo : -a[1].hi, std::max(a[0].hi, 0.0)};
           return everything;
         },
     .definition = DEFINE(piecewise({{a[0] > 0, a[0]}}, a[1] * (exp(a[0]) - 1))),
     .code = lib("@elu", "@elu", "np.where($0 > 0, $0, $1 * np.expm1($0))",
                 "torch.where($0 > 0, $0, $1 * torch.expm1($0))")},
    {.op = Op::Hardtanh,
     .spell = fn("hardtanh", "\\operatorname{hardtanh}", "x, lo, hi", 1, 3),
     .defaults = {-1.0, 1.0},
     .eval = EVAL(clamp_of(a[0], a[1], a[2])),
     .local = rule<clamp_rule, clamp_tangent, clamp_derivative>(),
     .bounds = clamp_bounds,
     .definition = DEFINE(clamp(a[0], a[1], a[2])),
     .side = {.affine_pieces_in = 0b111}},
    {.op = Op::Relu6,
     .spell = fn("relu6", "\\operatorname{relu6}", "x", 1),
     .eval = EVAL(clamp_of(a[0], T(0), T(6))),
     .local = rule<[](const auto& p) {
       using T = std::decay_t<decltype(p.r)>;
       return p.d(clamp_slopes(p, p.a[0], T(0), T(6), true, false, false)[0]);
     }>(),
     .bounds = BOUNDS(Interval{std::clamp(a[0].lo, 0.0, 6.0), std::clamp(a[0].hi, 0.0, 6.0)}),
     .definition = DEFINE(clamp(a[0], 0, 6)),
     .side = {.affine_pieces_in = 0b1}},
    // heaviside jumps at 0 (value 1/2 there, as SymPy); slope 0 on both sides
    {.op = Op::Heaviside,
     .spell = fn("heaviside", "\\operatorname{H}", "x", 1),
     .eval = EVAL(a[0] > 0 ? T(1) : (a[0] < 0 ? T(0) : (a[0] == 0 ? T(0.5) : a[0]))),
     .local = flat,
     .bounds = increasing<([](double a) { return a > 0 ? 1.0 : (a < 0 ? 0.0 : 0.5); })>,
     .definition = DEFINE(piecewise({{a[0] > 0, 1}, {eq(a[0], 0), 0.5}}, 0)),
     .code = lib("@heaviside", "@heaviside", "np.heaviside($0, 0.5)",
                 "torch.where($0 == $0, torch.heaviside($0, $0.new_tensor(0.5)), $0)")},
    // erf(x) = 2/sqrt(pi) * integral of e^(-t^2) from 0 to x (gelu's building block)
    {.op = Op::Erf,
     .spell = fn("erf", "\\operatorname{erf}", "x", 1),
     .eval = EVAL(num::erf(a[0])),
     .local =
         rule<[](const auto& p) { return p.d(p.c(two_over_sqrt_pi) * exp(-p.a[0] * p.a[0])); }>(),
     .bounds = increasing<([](double a) { return std::erf(a); })>,
     .code = lib("std::erf", "math.erf", "np.vectorize(math.erf, otypes=[float])", "torch.erf")},
    // hardswish(x) = x * relu6(x + 3) / 6: slopes 0 | (2x + 3)/6 | 1, kinks at -3 (0 | -1/2)
    // and 3 (3/2 | 1)
    {.op = Op::Hardswish,
     .spell = fn("hardswish", "\\operatorname{hardswish}", "x", 1),
     .eval = EVAL(hardswish_of(a[0])),
     .local = rule<[](const auto& p) {
       const auto& x = p.a[0];
       const auto below_3 = step(x, -3, 0, (2 * x + 3) / 6, p.at(0, -0.5));
       return p.d(step(x, 3, below_3, 1, p.at(1.5, 1)));
     }>(),
     .bounds = DIP(hardswish_of, -1.5, 0.0),
     .definition = DEFINE(piecewise({{a[0] <= -3, 0}, {a[0] >= 3, a[0]}}, a[0] * (a[0] + 3) / 6))},
    // hardsigmoid(x) = relu6(x + 3) / 6: slopes 0 | 1/6 | 0, kinks at -3 and 3
    {.op = Op::Hardsigmoid,
     .spell = fn("hardsigmoid", "\\operatorname{hardsigmoid}", "x", 1),
     .eval = EVAL(a[0] <= -3 ? T(0) : (a[0] >= 3 ? T(1) : a[0] / T(6) + T(0.5))),
     .local = rule<[](const auto& p) {
       const auto& x = p.a[0];
       const auto below_3 = step(x, -3, 0, 1.0 / 6, p.at(0, 1.0 / 6));
       return p.d(step(x, 3, below_3, 0, p.at(1.0 / 6, 0)));
     }>(),
     .bounds = increasing<([](double a) { return a <= -3 ? 0.0 : (a >= 3 ? 1.0 : a / 6 + 0.5); })>,
     .definition = DEFINE(piecewise({{a[0] <= -3, 0}, {a[0] >= 3, 1}}, a[0] / 6 + 0.5))},
    // silu(x) = swish(x) = x * sigmoid(x): slope s + x s (1 - s), s = sigmoid(x)
    {.op = Op::Silu,
     .spell = fn("silu", "\\operatorname{silu}", "x", 1),
     .eval = EVAL(silu_of(a[0])),
     .local = rule<[](const auto& p) {
       const auto s = sigmoid(p.a[0]);
       return p.d(s + p.a[0] * s * (1 - s));
     }>(),
     .bounds = DIP(silu_of, -1.2784645427610738, 0.0),
     .definition = DEFINE(a[0] * sigmoid(a[0]))},
    // gelu(x) = x * Phi(x) = x/2 * (1 + erf(x / sqrt 2)): slope Phi(x) + x phi(x)
    {.op = Op::Gelu,
     .spell = fn("gelu", "\\operatorname{gelu}", "x", 1),
     .eval = EVAL(gelu_of(a[0])),
     .local = rule<[](const auto& p) {
       const auto& x = p.a[0];
       return p.d(normal_cdf(x) + x * p.c(inv_sqrt_2pi) * exp(p.c(-0.5) * x * x));
     }>(),
     .bounds = DIP(gelu_of, -0.7517915241, 0.0),
     .definition = DEFINE(0.5 * a[0] * (1 + erf(a[0] * sqrt_half))),
     // erfc, as eval: 1 + erf(x/sqrt 2) cancels to 0 for x below about -8.3, where gelu is tiny
     // but negative (heaviside(gelu(x)) is 0 there, not 1/2)
     .code = lib("$0 * (0.5 * std::erfc(-$0 * 0.7071067811865476))",
                 "$0 * (0.5 * math.erfc(-$0 * 0.7071067811865476))",
                 "$0 * (0.5 * np.vectorize(math.erfc, otypes=[float])(-$0 * 0.7071067811865476))",
                 "$0 * (0.5 * torch.erfc(-$0 * 0.7071067811865476))")},
    // softsign(x) = x / (1 + |x|): slope 1 / (1 + |x|)^2, smooth at 0
    {.op = Op::Softsign,
     .spell = fn("softsign", "\\operatorname{softsign}", "x", 1),
     .eval = EVAL(a[0] / (T(1) + num::abs(a[0]))),
     .local = rule<[](const auto& p) {
       const auto d = 1 + abs(p.a[0]);
       return p.d(1 / (d * d));
     }>(),
     .bounds = increasing<(
         [](double a) { return std::isinf(a) ? std::copysign(1.0, a) : a / (1 + std::abs(a)); })>,
     .definition = DEFINE(a[0] / (1 + abs(a[0])))},
    // mish(x) = x * tanh(softplus(x)): slope t + x (1 - t^2) sigmoid(x), t = tanh(softplus(x))
    {.op = Op::Mish,
     .spell = fn("mish", "\\operatorname{mish}", "x", 1),
     .eval = EVAL(mish_of(a[0])),
     .local = rule<[](const auto& p) {
       const auto& x = p.a[0];
       const auto t = tanh(softplus(x));
       return p.d(t + x * (1 - t * t) * sigmoid(x));
     }>(),
     .bounds = DIP(mish_of, -1.1923695412, 0.0),
     .definition = DEFINE(a[0] * tanh(softplus(a[0])))},
    // selu(x) = scale * elu(x, alpha): slopes scale*alpha*e^x | scale, a kink at 0 (1.758 | 1.051)
    {.op = Op::Selu,
     .spell = fn("selu", "\\operatorname{selu}", "x", 1),
     .eval = EVAL(selu_of(a[0])),
     .local = rule<[](const auto& p) {
       const auto& x = p.a[0];
       return p.d(step(x, 0, selu_low * exp(x), selu_scale, p.at(selu_low, selu_scale)));
     }>(),
     .bounds = increasing<selu_of<double>>,
     // as a scaled elu, whose code keeps expm1's accuracy near 0 (e^x - 1 would cancel)
     .definition = DEFINE(selu_scale * elu(a[0], selu_alpha))},
};
#undef DEFINE
#undef BOUNDS

#undef EVAL
#undef DIP

static_assert(std::size(rows) == op_count, "one row per op");
constexpr bool rows_in_enum_order() {
  for (int i = 0; i < op_count; ++i)
    if (static_cast<int>(rows[i].op) != i) return false;
  return true;
}
static_assert(rows_in_enum_order(), "rows are listed in the order of enum class Op");
constexpr bool named_ops_spelled_by_their_factory() {
#define SLOPE_CHECK_NAME(E, factory) \
  if (rows[static_cast<int>(Op::E)].spell.name != #factory) return false;
  SLOPE_NAMED_OPS(SLOPE_CHECK_NAME)
#undef SLOPE_CHECK_NAME
  return true;
}
static_assert(named_ops_spelled_by_their_factory(),
              "a named op's text name is its factory's name (ops.hpp, SLOPE_NAMED_OPS)");
constexpr bool defaults_fit() {
  for (const OpRow& r : rows)
    if (r.spell.max_args - r.spell.min_args > static_cast<int>(r.defaults.size()) &&
        r.spell.max_args >= 0)
      return false;
  return true;
}
static_assert(defaults_fit(), "every optional argument has a default");

template <Op op>
Expr logic_piece(span<const Expr> a, const SideSign& sign) {
  std::array<double, 2> v{};
  if constexpr (is_comparison(op))
    v[0] = sign(a[0] - a[1]);
  else
    for (std::size_t i = 0; i < a.size(); ++i) v[i] = sign(a[i]);
  return Expr(row(op).eval(span<const double>(v.data(), is_comparison(op) ? 2 : a.size())));
}

}  // namespace

const OpRow& row(Op op) { return rows[static_cast<int>(op)]; }

void comparisons_in(const Expr& cond, std::vector<Expr>& out) {
  if (is_comparison(cond.op())) return out.push_back(cond);
  if (cond.op() == Op::And || cond.op() == Op::Or || cond.op() == Op::Not)
    for (const Expr& a : cond.args()) comparisons_in(a, out);
}

bool weighs_boundary(const Expr& combination) {
  std::vector<Expr> compared;
  comparisons_in(combination, compared);
  constexpr std::size_t most_compared = 4;  // each adds a comparison's rule to diff's formula
  return compared.size() <= most_compared &&
         std::all_of(compared.begin(), compared.end(),
                     [](const Expr& c) { return is_inequality(c.op()); });
}

std::vector<Expr> with_defaults(Op op, std::span<const Expr> args) {
  const OpRow& r = row(op);
  std::vector<Expr> full(args.begin(), args.end());
  const int have = static_cast<int>(full.size());
  if (have >= r.spell.min_args && r.spell.max_args >= 0)
    for (int i = have; i < r.spell.max_args; ++i)
      full.emplace_back(r.defaults[static_cast<std::size_t>(i - r.spell.min_args)]);
  return full;
}

}  // namespace slope::detail

namespace slope {

const OpSpelling& spelling(Op op) { return detail::row(op).spell; }
std::string_view op_name(Op op) { return detail::row(op).spell.name; }
bool is_activation(Op op) { return detail::row(op).definition != nullptr; }

std::vector<std::string> parameter_names(Op op) {
  std::vector<std::string> names;
  for (std::string_view params = detail::row(op).spell.params; !params.empty();) {
    const std::size_t comma = params.find(", ");
    names.emplace_back(params.substr(0, comma));
    params.remove_prefix(comma == std::string_view::npos ? params.size() : comma + 2);
  }
  return names;
}

std::string signature(Op op) {
  const detail::OpRow& r = detail::row(op);
  std::string out = std::string(r.spell.name) + "(";
  const std::vector<std::string> names = parameter_names(op);
  for (int i = 0; i < static_cast<int>(names.size()); ++i) {
    out += (i ? ", " : "") + names[static_cast<std::size_t>(i)];
    if (i >= r.spell.min_args && r.spell.max_args >= 0 && i < r.spell.max_args)
      out += fmt::format(" = {}", r.defaults[static_cast<std::size_t>(i - r.spell.min_args)]);
  }
  return out + ")";
}

}  // namespace slope
