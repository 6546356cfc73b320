// SPDX-License-Identifier: MIT
// One-sided derivatives of a whole expression: the slope of the smooth piece f equals on each
// side (side.hpp), not a difference quotient.
#include "slope/one_sided.hpp"

#include <algorithm>
#include <array>
#include <cmath>
#include <limits>
#include <optional>
#include <stdexcept>

#include "core/evaluator.hpp"
#include "core/kink.hpp"
#include "core/op_table.hpp"
#include "slope/build.hpp"
#include "slope/diff.hpp"
#include "symbolic/one_sided_at.hpp"
#include "symbolic/side.hpp"

namespace slope {

namespace {

constexpr double inf_v = std::numeric_limits<double>::infinity();
constexpr double nan_v = std::numeric_limits<double>::quiet_NaN();

bool close(double a, double b) { return detail::meet_within_rounding(a, b); }

/// g's value at `at` where g is continuous there by rule: it holds no op that switches (a piece
/// never does) and every node's value there is finite, so each op is continuous at its
/// arguments. None otherwise (tanh(1/x) at 0 passes through 1/0 = inf).
std::optional<double> value_if_continuous(const Expr& g, const Env& at) {
  detail::PointValues value(at);
  for (const Expr& n : topological_order(g)) {
    if (is_logical(n.op()) || n.op() == Op::Piecewise || detail::row(n.op()).side.switches)
      return std::nullopt;
    if (!std::isfinite(value(n))) return std::nullopt;
  }
  return value(g);
}

/// The limit of a smooth formula g as x approaches `at` from the side `direction`, from g's
/// values along shrinking steps off the point: where they close in on g's value at the point,
/// that value (exact); where they settle elsewhere, where they settle (tanh(1/x) at 0 is 1, yet
/// from the left 1/x falls to -inf and tanh(1/x) to -1); +-inf where they grow without bound;
/// NaN where they do neither (sin(1/x) at 0) or g has no values there.
///
/// With `quotient_from` set to f(x0), the limit of the difference quotient (g(x) - f(x0))/(x - x0)
/// instead: the one-sided derivative itself, where g' has no limit (x^2*sin(1/x) at 0 from the
/// right: its quotient x*sin(1/x) tends to 0, its derivative 2x*sin(1/x) - cos(1/x) to nothing).
double limit_of(const Expr& g, std::string_view x, const Env& at, int direction,
                std::optional<double> quotient_from = std::nullopt) {
  // Exact where a rule says so; sampling would also read a value that overflows just off the
  // point (exp(1e300*x) at 0) as growing without bound.
  if (!quotient_from)
    if (const auto exact = value_if_continuous(g, at)) return *exact;
  const std::string name(x);
  const double x0 = at.at(name);
  const double v = quotient_from ? nan_v : eval(g, at);
  // Off the point, g is evaluated in t = x - x0: x0 + t substituted, so x - x0 folds to t and a
  // step far below x0's spacing still moves it (at 0.5, 0.5 + 2^-60 is 0.5, and
  // sqrt((x - 0.5)^2)' was 0/0 at every step).
  std::string t = "t_";
  const auto names = variables(g);
  while (std::find(names.begin(), names.end(), t) != names.end()) t += "_";
  Expr shifted = substitute(g, {{name, var(t) + x0}});
  if (quotient_from) shifted = (shifted - *quotient_from) / var(t);
  Env off = at;
  std::array<double, 4> beside{};  // at steps 2^-25, 2^-50, 2^-75, 2^-100
  for (std::size_t k = 0; k < beside.size(); ++k) {
    const double h = std::ldexp(1.0, -25 * static_cast<int>(k + 1));
    off[t] = direction * h;
    off[name] = x0 + direction * h;  // for any x the substitution left (none, normally)
    beside[k] = eval(shifted, off);
  }
  const double last = beside[3], step = beside[3] - beside[2],
               previous_step = beside[2] - beside[1];
  // Four steps can land on one phase of an oscillation by chance (relu(sin(1/x)) is 0 at each,
  // or climbs through them): where g holds a sine or cosine of something unbounded there, a
  // limit, or a trend, must also hold at irregular steps between the last two, whose values it
  // puts between theirs (up to rounding). Only there: irregular steps also meet the rounding
  // noise of formulas that cancel (sin(x)/x' is exactly 0 at powers of 2 alone).
  off[t] = direction * std::ldexp(1.0, -100);
  off[name] = x0 + direction * std::ldexp(1.0, -100);
  detail::PointValues nearest(off);  // every node valued once, however many sines share it
  const auto nodes = topological_order(shifted);
  const bool oscillating = std::any_of(nodes.begin(), nodes.end(), [&](const Expr& n) {
    return (n.op() == Op::Sin || n.op() == Op::Cos) && !(std::abs(nearest(n.arg(0))) < 1e12);
  });
  const auto holds_between = [&](double from, double to) {
    if (!oscillating) return true;
    const double slack = 1e-6 * std::max({1.0, std::abs(from), std::abs(to)});
    for (int k = 0; k < 6; ++k) {
      const double h = std::ldexp(1.0 + 0.37 * k, -78 - 4 * k);
      off[t] = direction * h;
      off[name] = x0 + direction * h;
      const double u = eval(shifted, off);
      if (!(u >= std::min(from, to) - slack && u <= std::max(from, to) + slack)) return false;
    }
    return true;
  };
  if (!std::isnan(v) && !std::isinf(v)) {
    const double near = std::abs(last - v), nearer_before = std::abs(beside[2] - v);
    if (std::isnan(last)) return v;
    // at v itself at each step, or closing in on it
    if (near == 0 && holds_between(v, v)) return v;
    if (near != 0 && near < 0.5 * nearer_before && holds_between(v, beside[2])) return v;
  }
  if (std::isnan(last)) return last;
  if (!std::isinf(last) && !holds_between(beside[2], last)) return nan_v;
  // A quotient whose steps round x0 + h back to x0 (where x - x0 does not fold to t) reads 0/h:
  // it counts only where the larger steps, which do move x, agree with it.
  if (quotient_from && std::max(std::abs(beside[1] - last), std::abs(beside[2] - last)) >
                           1e-6 * std::max(1.0, std::abs(last)))
    return nan_v;
  // the steps keep their direction and do not shrink: unbounded (log growth too)
  const double first_step = beside[1] - beside[0];
  const bool diverging = previous_step != 0 && first_step != 0 &&
                         std::signbit(step) == std::signbit(previous_step) &&
                         std::signbit(step) == std::signbit(first_step) &&
                         std::abs(step) >= 0.5 * std::abs(previous_step) && std::abs(step) > 1e-9;
  if (std::isinf(last) || diverging) return std::copysign(inf_v, std::isinf(last) ? last : step);
  if (std::abs(step) > 1e-6 * std::max(1.0, std::abs(last))) return nan_v;  // it oscillates
  // settled: a limit that is an integer up to rounding is that integer (abs(x^3)^(1/3) -> 1)
  const double whole = std::nearbyint(last);
  return std::abs(last - whole) <= 1e-12 * std::max(1.0, std::abs(whole)) ? whole : last;
}

/// Whether g has a value just to the side `direction` of `at` (sqrt(x) left of 0 has none).
bool defined_beside(const Expr& g, std::string_view x, const Env& at, int direction) {
  Env off = at;
  off[std::string(x)] = at.at(std::string(x)) + direction * std::ldexp(1.0, -30);
  return !std::isnan(eval(g, off));
}

/// The t in [0, 1] where |a + t (b - a)| is least. With an infinite slope every t > 0 is
/// infinitely far when a is finite (t = 0), and every t < 1 when b is (t = 1).
double nearest_zero_on_segment(const std::vector<double>& a, const std::vector<double>& b) {
  const auto finite = [](const std::vector<double>& v) {
    return std::all_of(v.begin(), v.end(), [](double e) { return std::isfinite(e); });
  };
  if (!finite(a) || !finite(b)) return finite(a) ? 0.0 : (finite(b) ? 1.0 : nan_v);
  double along = 0, length = 0;
  for (std::size_t i = 0; i < a.size(); ++i) {
    along += a[i] * (b[i] - a[i]);
    length += (b[i] - a[i]) * (b[i] - a[i]);
  }
  return length > 0 ? std::clamp(-along / length, 0.0, 1.0) : 0.0;
}

/// The slope of a smooth piece at `at`, from the side `direction`: the limit of its derivative.
double slope_of(const Expr& piece, std::string_view x, const Env& at, int direction) {
  return limit_of(diff(piece, x), x, at, direction);
}

}  // namespace

bool OneSided::differentiable() const {
  // relative only: slopes 0 and 1e-20 (relu(1e-20*x)) are a kink, however small
  return continuous && std::isfinite(left) && std::isfinite(right) &&
         std::abs(left - right) <=
             detail::relative_rounding * std::max(std::abs(left), std::abs(right));
}

Break OneSided::discontinuity() const {
  if (continuous) return Break::none;
  if (std::isinf(value) || std::isinf(left_limit) || std::isinf(right_limit)) return Break::pole;
  if ((has_left && std::isnan(left_limit)) || (has_right && std::isnan(right_limit)))
    return Break::no_limit;
  const bool limits_agree = close(left_limit, right_limit);
  // no value between limits that agree (or at the edge of f's domain, beside its only limit);
  // limits that differ are a jump, whether f has a value there (sign) or not (abs(x)/x)
  if (std::isnan(value))
    return limits_agree || std::isnan(left_limit) || std::isnan(right_limit) ? Break::hole
                                                                             : Break::jump;
  // (at the edge of f's domain a gap to its only limit is a jump)
  return limits_agree ? Break::removable : Break::jump;
}

std::string_view describe(Break b) {
  switch (b) {
    case Break::none:
      return "";
    case Break::pole:
      return "a pole";
    case Break::hole:
      return "a hole";
    case Break::removable:
      return "a removable gap";
    case Break::jump:
      return "a jump";
    case Break::no_limit:
      return "no limit";
  }
  return "";
}

namespace detail {

OneSided one_sided_at(const Expr& f, std::string_view x, const Env& left_of, const Env& right_of,
                      const Env& at) {
  Side left(x, left_of, -1), right(x, right_of, +1);
  const Expr pl = left.piece(f), pr = right.piece(f);
  OneSided s{};
  s.value = eval(f, at);
  // Where f has no values on a side, neither has its piece there: a flat op's piece (relu's 0
  // in relu(sqrt(x)) left of 0) does not see that its argument has none.
  const bool has_left = defined_beside(f, x, at, -1), has_right = defined_beside(f, x, at, +1);
  // f has values on a side where its piece has none: an op there switches on something with no
  // sign arbitrarily close to x0 (sign(sin(1/x)) right of 0). f has no one smooth piece there,
  // so its limits are read off f itself: none for sign(sin(1/x)), 0 for x*relu(sin(1/x)).
  const Expr lp = has_left && !defined_beside(pl, x, at, -1) ? f : pl,
             rp = has_right && !defined_beside(pr, x, at, +1) ? f : pr;
  // Between two doubles each side's slope is read on its own double: a smooth op on both sides
  // of a switch that touches 0 there (sqrt((x^2 - 2)^2) at sqrt(2)) has one piece, whose slope
  // changes sign between them.
  s.left = has_left ? slope_of(lp, x, left_of, -1) : nan_v;
  s.right = has_right ? slope_of(rp, x, right_of, +1) : nan_v;
  s.has_left = has_left;
  s.has_right = has_right;
  s.left_limit = has_left ? limit_of(lp, x, at, -1) : nan_v;
  s.right_limit = has_right ? limit_of(rp, x, at, +1) : nan_v;
  // Where the kink lies between two doubles, x0 is one of them, on one piece's side: the other
  // piece's value there differs from f(x0) by up to the steeper slope times x0's spacing, and
  // that much is still continuous (relu(sin(x)) near 1e5, where the spacing is 1.5e-11).
  const double x0 = std::abs(at.at(std::string(x)));
  double steepest = 0;
  for (double slope : {s.left, s.right})
    if (std::isfinite(slope)) steepest = std::max(steepest, std::abs(slope));
  const double drift = 2 * (std::nextafter(x0, HUGE_VAL) - x0) * steepest;
  const auto meets = [&](double limit) {
    return close(limit, s.value) || std::abs(limit - s.value) <= drift;
  };
  // at the edge of f's domain, continuous from the side it has values on
  s.continuous = std::isfinite(s.value) && (has_left || has_right) &&
                 (!has_left || meets(s.left_limit)) && (!has_right || meets(s.right_limit));
  // Where a piece meets f(x0) but its derivative has no limit, the one-sided derivative is the
  // limit of f's difference quotient, which may still exist (x^2*sin(1/x) beside 0 has slope 0).
  if (std::isfinite(s.value)) {
    if (std::isnan(s.left) && has_left && meets(s.left_limit))
      s.left = limit_of(lp, x, at, -1, s.value);
    if (std::isnan(s.right) && has_right && meets(s.right_limit))
      s.right = limit_of(rp, x, at, +1, s.value);
  }
  s.left += 0.0;  // -0 is 0: a slope has no sign to show
  s.right += 0.0;
  return s;
}

}  // namespace detail

OneSided one_sided(const Expr& f, std::string_view x, const Env& at) {
  if (!at.count(std::string(x)))
    throw std::invalid_argument("one_sided: no value for the variable '" + std::string(x) + "'");
  return detail::one_sided_at(f, x, at, at, at);
}

double defined_slope(const Expr& f, std::string_view x, const Env& at, double d) {
  if (!std::isnan(d) || !std::isfinite(eval(f, at))) return d;
  const OneSided s = one_sided(f, x, at);
  return s.differentiable() ? s.left : d;
}

std::vector<double> whole_gradient(const Expr& f, const std::vector<std::string>& vars,
                                   const Env& at, Convention c) {
  for (const std::string& v : vars)
    if (!at.count(v))
      throw std::invalid_argument("whole_gradient: no value for the variable '" + v + "'");
  const Expr piece_down = detail::Side(detail::all_moving(vars, -1), at).piece(f),
             piece_up = detail::Side(detail::all_moving(vars, +1), at).piece(f);
  std::vector<double> a, b;  // the two lexicographic derivatives
  for (std::size_t i = 0; i < vars.size(); ++i) {
    a.push_back(slope_of(piece_down, vars[i], at, -1) + 0.0);
    b.push_back(slope_of(piece_up, vars[i], at, +1) + 0.0);
  }
  const double v = eval(f, at);
  if (!std::isfinite(v) || !close(eval(piece_down, at), v) || !close(eval(piece_up, at), v)) {
    // f jumps here, so it has no Clarke gradient and the pieces' slopes bound nothing (a piece
    // met by moving x first can say nothing of y). Each partial is then taken alone, as in one
    // variable: where(x < 1, 5, 2*y + abs(y - 1)) at (1, 1) has y-slopes 1 | 3 there.
    std::vector<double> out;
    for (const std::string& var : vars) out.push_back(one_sided(f, var, at).whole(c));
    return out;
  }
  if (c == Convention::left) return a;
  if (c == Convention::right) return b;
  // one variable: the convention's own rule on [a, b] (min_norm of 1 and inf is 1)
  if (vars.size() == 1) return {at_kink(a[0], b[0], c)};
  std::vector<double> out(vars.size());
  double t = 0.5;  // where between a and b
  if (c == Convention::min_norm) t = nearest_zero_on_segment(a, b);
  for (std::size_t i = 0; i < a.size(); ++i) {
    if (c == Convention::undefined)
      out[i] = a[i] == b[i] ? a[i] : std::numeric_limits<double>::quiet_NaN();
    else
      out[i] = a[i] == b[i] || t == 0 ? a[i] : (t == 1 ? b[i] : a[i] + t * (b[i] - a[i]));
  }
  return out;
}

}  // namespace slope
