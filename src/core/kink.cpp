// SPDX-License-Identifier: MIT
// Conventions at kinks: the numeric rule, its symbolic twin, and chain-rule helpers.
#include "core/kink.hpp"

#include <cmath>
#include <limits>

#include "slope/build.hpp"

namespace slope {

std::string_view to_string(Convention c) {
  switch (c) {
    case Convention::min_norm:
      return "min_norm";
    case Convention::left:
      return "left";
    case Convention::right:
      return "right";
    case Convention::average:
      return "average";
    case Convention::undefined:
      return "undefined";
  }
  return "?";
}

std::optional<Convention> parse_convention(std::string_view text) {
  for (Convention c : all_conventions)
    if (to_string(c) == text) return c;
  return std::nullopt;
}

double at_kink(double below, double above, Convention c) {
  if (below == above) return below;
  switch (c) {
    case Convention::left:
      return below;
    case Convention::right:
      return above;
    case Convention::average:
      return (below + above) / 2;
    case Convention::undefined:
      return std::numeric_limits<double>::quiet_NaN();
    case Convention::min_norm:
      // The point of [below, above] nearest 0: 0 when the slopes differ in sign.
      if (below * above <= 0) return 0.0;
      return std::abs(below) <= std::abs(above) ? below : above;
  }
  return std::numeric_limits<double>::quiet_NaN();
}

double above_weight(Convention c) {
  switch (c) {
    case Convention::left:
      return 0.0;
    case Convention::right:
      return 1.0;
    case Convention::average:
    case Convention::min_norm:
      return 0.5;
    case Convention::undefined:
      return std::numeric_limits<double>::quiet_NaN();
  }
  return std::numeric_limits<double>::quiet_NaN();
}

namespace detail {

Expr step(const Expr& u, const Expr& k, const Expr& below, const Expr& above, const Expr& at) {
  if (below == above && at == below) return below;
  if (at == below) return where(u > k, above, below);
  if (at == above) return where(u >= k, above, below);
  return where(eq(u, k), at, where(u > k, above, below));
}

Expr at_kink(const Expr& below, const Expr& above, Convention c) {
  if (below == above) return below;
  if (below.is_const() && above.is_const()) return slope::at_kink(below.value(), above.value(), c);
  switch (c) {
    case Convention::left:
      return below;
    case Convention::right:
      return above;
    case Convention::average:
      return (below + above) / 2;
    case Convention::undefined:
      return std::numeric_limits<double>::quiet_NaN();
    case Convention::min_norm:
      if (below.is_const(0) || above.is_const(0)) return 0;
      return piecewise({{below * above <= 0, 0}, {abs(below) <= abs(above), below}}, above);
  }
  return std::numeric_limits<double>::quiet_NaN();
}

std::pair<double, double> boundary_weights(Convention c, bool above_is_then, bool then_const,
                                           bool else_const) {
  double w_above = above_weight(c);
  if (c == Convention::min_norm && (then_const || else_const)) {
    const bool above_const = above_is_then ? then_const : else_const;
    w_above = above_const ? 1.0 : 0.0;
  }
  const double w_below = 1.0 - w_above;  // NaN stays NaN under undefined
  return above_is_then ? std::pair{w_above, w_below} : std::pair{w_below, w_above};
}

namespace {
/// A piecewise of numbers only, at most `limit` nodes in all (choices and numbers), never walking
/// more.
bool few_numbers(const Expr& e, int& limit) {
  if (--limit < 0) return false;  // every node counts, so a deep piecewise costs nothing to reject
  if (e.op() != Op::Piecewise) return e.is_const();
  return few_numbers(e.arg(1), limit) && few_numbers(e.arg(2), limit);
}
}  // namespace

Expr times(const Expr& p, const Expr& d) {
  if (p.is_const(0) || d.is_const(0)) return 0;
  if (p.is_const(1)) return d;  // also keeps deep derivatives from being walked again
  if (d.is_const(1)) return p;
  if (p.op() == Op::Piecewise) return where(p.arg(0), times(p.arg(1), d), times(p.arg(2), d));
  // Distributing also over a piecewise d keeps 0 * (infinite p) out of the regions where d is 0:
  // d/dx sqrt(relu(x)) is 0, not NaN, for x < 0. Only over a few numbers, though: copying a
  // larger d into every layer of a chain made the derivative of nested leaky_relu exponential.
  // A number p (a convention's undefined, an infinite slope) is spread over a larger d as well:
  // each leaf costs one product, and abs(relu6(x))' under undefined is 0 for x < 0, where
  // relu6' (5 leaves) is 0, not undefined * 0.
  if (int limit = p.is_const() ? 31 : 7;  // 16 leaves, 15 choices; else 4 leaves, 3 choices
      d.op() == Op::Piecewise && few_numbers(d, limit))
    return where(d.arg(0), times(p, d.arg(1)), times(p, d.arg(2)));
  // An undefined or infinite p times any other d: 0 where d is 0 (relu at its kink under
  // undefined, on a stretch where its argument stays put: relu(relu(x) - x) for x > 0).
  if (p.is_const() && !std::isfinite(p.value()) && !d.is_const()) return where(eq(d, 0), 0, p * d);
  return p * d;
}

Expr branchwise(const Expr& e, Expr (*test)(const Expr&), int depth) {
  if (e.op() != Op::Piecewise || depth >= 8 || !is_logical(e.arg(0).op())) return test(e);
  const Expr &c = e.arg(0), t = branchwise(e.arg(1), test, depth + 1),
             f = branchwise(e.arg(2), test, depth + 1);
  if (t.is_const() && f.is_const())
    return t.value() == f.value() ? t : (t.is_const(1) ? c : logical_not(c));
  if (t.is_const()) return t.is_const(1) ? logical_or(c, f) : logical_and(logical_not(c), f);
  if (f.is_const()) return f.is_const(1) ? logical_or(logical_not(c), t) : logical_and(c, t);
  return where(c, t, f);
}

// A tie rule reads `relu(x) == 0 and x > 0`, not `piecewise(x > 0: 1, ...) != 0`.
Expr nonzero(const Expr& e) {
  return branchwise(e, [](const Expr& v) { return ne(v, 0); });
}

Expr plus(const Expr& a, const Expr& b) {
  if (a.is_const(0)) return b;
  if (b.is_const(0)) return a;
  if (a.op() == Op::Piecewise && b.op() == Op::Piecewise && a.arg(0) == b.arg(0))
    return where(a.arg(0), plus(a.arg(1), b.arg(1)), plus(a.arg(2), b.arg(2)));
  return a + b;
}

}  // namespace detail
}  // namespace slope
