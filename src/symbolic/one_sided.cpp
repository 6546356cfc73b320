// SPDX-License-Identifier: MIT
// One-sided derivatives of a whole expression: the slope of the smooth piece f equals on each
// side (side.hpp), not a difference quotient.
#include "slope/one_sided.hpp"

#include <algorithm>
#include <cmath>
#include <limits>
#include <stdexcept>

#include "slope/diff.hpp"
#include "symbolic/one_sided_at.hpp"
#include "symbolic/side.hpp"

namespace slope {

namespace {

constexpr double relative_rounding = 1e-12;
constexpr double inf_v = std::numeric_limits<double>::infinity();
constexpr double nan_v = std::numeric_limits<double>::quiet_NaN();

bool close(double a, double b) {
  if (a == b) return true;
  if (!std::isfinite(a) || !std::isfinite(b)) return false;
  return std::abs(a - b) <= relative_rounding * std::max({1.0, std::abs(a), std::abs(b)});
}

/// The slope of a smooth piece at `at`, from the side `direction`; NaN where f is undefined on
/// that side. Where its formula gives 0/0
/// or 0*inf (x*sqrt(x) at 0), the one-sided limit of the formula instead, approached along
/// shrinking steps: +-inf when it grows without bound.
double slope_of(const Expr& piece, std::string_view x, const Env& at, int direction) {
  const std::string name(x);
  auto near = [&](double h) {
    Env e = at;
    e[name] = at.at(name) + direction * h;
    return e;
  };
  // f undefined just off the point (sqrt(x) left of 0): no slope on that side
  if (std::isnan(eval(piece, near(std::ldexp(1.0, -30))))) return nan_v;
  const Expr d = diff(piece, x);
  const double v = eval(d, at);
  // An infinite slope takes its sign from just off the point: at x = 0, sqrt(-x) is -0, and
  // -0.5 / sqrt(-x) would say +inf where the slope from the left is -inf.
  if (std::isinf(v)) return std::copysign(inf_v, eval(d, near(std::ldexp(1.0, -60))));
  if (!std::isnan(v)) return v;
  // 0/0 or 0*inf in the formula (x*sqrt(x) at 0): its limit, along shrinking steps.
  double last = nan_v, step = nan_v, previous_step = nan_v;
  bool diverging = true;
  for (int e = 25; e <= 100; e += 25) {
    const double next = eval(d, near(std::ldexp(1.0, -e)));
    previous_step = step;
    step = next - last;
    if (e >= 75)  // the steps keep their direction and do not shrink: unbounded (log growth)
      diverging = diverging && std::signbit(step) == std::signbit(previous_step) &&
                  std::abs(step) >= 0.5 * std::abs(previous_step) && std::abs(step) > 1e-9;
    last = next;
  }
  if (std::isnan(last)) return last;
  if (std::isinf(last) || diverging) return std::copysign(inf_v, std::isinf(last) ? last : step);
  // converged: a limit that is an integer up to rounding is that integer (abs(x^3)^(1/3) -> 1)
  const double whole = std::nearbyint(last);
  return std::abs(last - whole) <= 1e-12 * std::max(1.0, std::abs(whole)) ? whole : last;
}

}  // namespace

bool OneSided::differentiable() const {
  return continuous && std::isfinite(left) && close(left, right);
}

namespace detail {

OneSided one_sided_at(const Expr& f, std::string_view x, const Env& left_of, const Env& right_of,
                      const Env& at) {
  Side left(x, left_of, -1), right(x, right_of, +1);
  const Expr pl = left.piece(f), pr = right.piece(f);
  OneSided s{};
  s.value = eval(f, at);
  s.left = slope_of(pl, x, at, -1);
  s.right = slope_of(pr, x, at, +1);
  s.left_limit = eval(pl, at);
  s.right_limit = eval(pr, at);
  s.continuous =
      std::isfinite(s.value) && close(s.left_limit, s.value) && close(s.right_limit, s.value);
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
  if (c == Convention::left) return a;
  if (c == Convention::right) return b;
  std::vector<double> out(vars.size());
  double t = 0.5;  // where between a and b
  if (c == Convention::min_norm) {
    double along = 0, length = 0;  // minimise |a + t (b - a)| over t in [0, 1]
    for (std::size_t i = 0; i < a.size(); ++i) {
      along += a[i] * (b[i] - a[i]);
      length += (b[i] - a[i]) * (b[i] - a[i]);
    }
    t = length > 0 ? std::clamp(-along / length, 0.0, 1.0) : 0.0;
  }
  for (std::size_t i = 0; i < a.size(); ++i) {
    if (c == Convention::undefined)
      out[i] = a[i] == b[i] ? a[i] : std::numeric_limits<double>::quiet_NaN();
    else
      out[i] = a[i] == b[i] ? a[i] : a[i] + t * (b[i] - a[i]);
  }
  return out;
}

}  // namespace slope
