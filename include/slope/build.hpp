// SPDX-License-Identifier: MIT
/// \file
/// The algebra: canonicalising factories that read like math.
#pragma once

#include <concepts>
#include <initializer_list>
#include <map>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "slope/expr.hpp"

namespace slope {

/// A named variable. Names are identifiers: a letter or `_`, then letters, digits or `_`, and
/// not a reserved word (is_reserved_word).
Expr var(std::string name);
/// Whether the text syntax reserves `word` (and, or, not, otherwise, inf, nan, undefined): no
/// variable, definition or parameter takes one of these names.
bool is_reserved_word(std::string_view word);
/// A constant; `Expr` converts from numbers implicitly, so `x + 1` works.
Expr constant(double value);

///@{
/**
 * Arithmetic, canonicalised as it is built: constants fold (`2*3` is 6), 0 and 1 drop out, like
 * terms collect (`x + x` is `2*x`) and sums and products flatten. `a - b` is stored as
 * `a + (-1)*b` and `a / b` as `a * b^-1` (Op has no subtraction or division). Partials: Op::Add,
 * Op::Mul and Op::Pow.
 *
 * **Example**: `(x + 1) * 2 - x` prints as `2*(x + 1) - x`; `diff` of it in x is 1.
 */
Expr operator+(const Expr& a, const Expr& b);
Expr operator-(const Expr& a, const Expr& b);
Expr operator*(const Expr& a, const Expr& b);
Expr operator/(const Expr& a, const Expr& b);
Expr operator-(const Expr& a);
Expr& operator+=(Expr& a, const Expr& b);
Expr& operator-=(Expr& a, const Expr& b);
Expr& operator*=(Expr& a, const Expr& b);
Expr& operator/=(Expr& a, const Expr& b);
///@}

/// Builds `op(args)` through the canonicalising factory for that op, filling in optional
/// arguments from the op table (`leaky_relu(x)` is `leaky_relu(x, 0.01)`). The parser and the
/// simplifier use this; it throws std::invalid_argument when the number of arguments is wrong.
Expr make_op(Op op, std::span<const Expr> args);
/// The same, spelled for calls: `apply(Op::Relu, {x})`.
inline Expr apply(Op op, std::initializer_list<Expr> args) {
  return make_op(op, std::span(args.begin(), args.size()));
}

namespace detail {
template <class... A>
concept expr_arguments = sizeof...(A) > 0 && (std::convertible_to<const A&, Expr> && ...);
}  // namespace detail

/**
 * One factory per named op, generated from ops.hpp (`SLOPE_NAMED_OPS`): `pow(b, e)`, `exp`,
 * `log` (natural; log(0) = -inf), `sqrt`, `sin`, `cos`, `tanh`, `sigmoid` (1 / (1 + e^-x)),
 * `softplus` (log(1 + e^x)), `abs`, `sign` (-1, 0 or 1), `max`, `min`, `clamp(x, lo, hi)`
 * (min(max(x, lo), hi)), `eq`, `ne`, and the activations, remembered by name (`definition`
 * expands them): `relu`, `leaky_relu(x, alpha = 0.01)`, `prelu(x, a)`, `elu(x, alpha = 1)`,
 * `hardtanh(x, lo = -1, hi = 1)`, `relu6`, `heaviside` (0, 1/2 at 0, 1), ... `signature(op)`
 * gives each one's parameters and defaults. Arguments are expressions or numbers; a wrong count
 * throws std::invalid_argument. The value, partials and kinks of each are in the table on Op.
 *
 * **Example**: `relu(w*x + b)`, `leaky_relu(x)` (alpha 0.01), `leaky_relu(x, 0.2)`,
 * `clamp(x, 0, 1)`, `max(x, y)`.
 */
#define SLOPE_EXPR_FACTORY(E, name)                                   \
  template <class... A>                                               \
  requires detail::expr_arguments<A...> Expr name(const A&... args) { \
    return apply(Op::E, {Expr(args)...});                             \
  }
SLOPE_NAMED_OPS(SLOPE_EXPR_FACTORY)
#undef SLOPE_EXPR_FACTORY

///@{
/// Comparisons are 1 when true and 0 when false. `operator==` on Expr is identity, so equality
/// as an expression is `eq(a, b)`. Constants go to the right: `0 < x` is `x > 0`. Their
/// partials are 0 (the value jumps where a = b); a piecewise that uses one as its condition
/// has the kink.
Expr operator<(const Expr& a, const Expr& b);
Expr operator<=(const Expr& a, const Expr& b);
Expr operator>(const Expr& a, const Expr& b);
Expr operator>=(const Expr& a, const Expr& b);
///@}
///@{
/// `and`, `or` and `not` of conditions (true when neither 0 nor NaN), 1 or 0:
/// `piecewise({{logical_and(x > 0, x < 1), x}}, 0)`.
Expr logical_and(const Expr& a, const Expr& b);
Expr logical_or(const Expr& a, const Expr& b);
Expr logical_not(const Expr& a);
///@}

/// One `condition: value` branch of a piecewise expression.
struct Branch {
  Expr when;  ///< the condition: a comparison, or any expression (true when neither 0 nor NaN)
  Expr then;  ///< the value where it holds
};
/**
 * The first branch whose condition holds, else `otherwise`.
 *
 * **Example**: `piecewise({{x > 0, x}}, 0)` is relu; it prints `piecewise(x > 0: x, otherwise: 0)`.
 * Stored as nested two-way choices, so `piecewise({{c1, a}, {c2, b}}, d)` is
 * `where(c1, a, where(c2, b, d))`, and every rule handles one condition at a time.
 */
Expr piecewise(std::span<const Branch> branches, const Expr& otherwise);
/// The same for a braced list: `piecewise({{x < 0, -x}, {x < 1, x*x}}, x)`.
Expr piecewise(std::initializer_list<Branch> branches, const Expr& otherwise);
/// NumPy's where: `cond ? a : b`.
Expr where(const Expr& cond, const Expr& a, const Expr& b);

/// `e` with each variable named in `bindings` replaced by its expression, rebuilt through the
/// factories (so `substitute(w*x + b, {{"x", 0}})` is `b`).
Expr substitute(const Expr& e, const std::map<std::string, Expr, std::less<>>& bindings);

/// The activation's definition in terms of the basic nodes (relu(x) -> max(0, x)), from its
/// op-table row; other expressions are returned unchanged. Only the top node is expanded.
Expr definition(const Expr& e);

}  // namespace slope
