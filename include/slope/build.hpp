// SPDX-License-Identifier: MIT
// The algebra: canonicalising factories that read like math.
#pragma once

#include <initializer_list>
#include <map>
#include <span>
#include <string>
#include <vector>

#include "slope/expr.hpp"

namespace slope {

/// A named variable. Names are identifiers: a letter or `_`, then letters, digits or `_`.
Expr var(std::string name);
/// A constant; `Expr` converts from numbers implicitly, so `x + 1` works.
Expr constant(double value);

Expr operator+(const Expr& a, const Expr& b);
Expr operator-(const Expr& a, const Expr& b);
Expr operator*(const Expr& a, const Expr& b);
Expr operator/(const Expr& a, const Expr& b);
Expr operator-(const Expr& a);
Expr& operator+=(Expr& a, const Expr& b);
Expr& operator-=(Expr& a, const Expr& b);
Expr& operator*=(Expr& a, const Expr& b);
Expr& operator/=(Expr& a, const Expr& b);

/// a^b. Integer and real exponents; `(b^m)^n` folds to `b^(m*n)` only where that is exact.
Expr pow(const Expr& base, const Expr& exponent);
Expr exp(const Expr& x);
Expr log(const Expr& x);  ///< natural logarithm; log(0) = -inf, log(-1) = NaN (IEEE)
Expr sqrt(const Expr& x);
Expr sin(const Expr& x);
Expr cos(const Expr& x);
Expr tanh(const Expr& x);
Expr sigmoid(const Expr& x);   ///< 1 / (1 + e^-x)
Expr softplus(const Expr& x);  ///< log(1 + e^x)
Expr abs(const Expr& x);
Expr sign(const Expr& x);  ///< -1, 0 or 1
Expr max(const Expr& a, const Expr& b);
Expr min(const Expr& a, const Expr& b);
Expr clamp(const Expr& x, const Expr& lo, const Expr& hi);  ///< min(max(x, lo), hi)

/// Comparisons are 1 when true and 0 when false. `operator==` on Expr is identity, so equality
/// as an expression is `eq(a, b)`.
Expr operator<(const Expr& a, const Expr& b);
Expr operator<=(const Expr& a, const Expr& b);
Expr operator>(const Expr& a, const Expr& b);
Expr operator>=(const Expr& a, const Expr& b);
Expr eq(const Expr& a, const Expr& b);
Expr ne(const Expr& a, const Expr& b);
Expr logical_and(const Expr& a, const Expr& b);
Expr logical_or(const Expr& a, const Expr& b);
Expr logical_not(const Expr& a);

/// One `condition: value` branch of a piecewise expression.
struct Branch {
  Expr when;
  Expr then;
};
/**
 * The first branch whose condition holds, else `otherwise`.
 *
 * **Example**: `piecewise({{x > 0, x}}, 0)` is relu; it prints `piecewise(x > 0: x, otherwise: 0)`.
 * Stored as nested two-way choices, so `piecewise({{c1, a}, {c2, b}}, d)` is
 * `where(c1, a, where(c2, b, d))`, and every rule handles one condition at a time.
 */
Expr piecewise(std::span<const Branch> branches, const Expr& otherwise);
Expr piecewise(std::initializer_list<Branch> branches, const Expr& otherwise);
/// NumPy's where: `cond ? a : b`.
Expr where(const Expr& cond, const Expr& a, const Expr& b);

// Activations, remembered by name (`definition` expands them).
Expr relu(const Expr& x);                                  ///< max(0, x)
Expr leaky_relu(const Expr& x, const Expr& alpha = 0.01);  ///< x > 0 ? x : alpha*x
Expr prelu(const Expr& x, const Expr& a);                  ///< leaky relu with a learnable slope
Expr elu(const Expr& x, const Expr& alpha = 1.0);          ///< x > 0 ? x : alpha*(e^x - 1)
Expr hardtanh(const Expr& x, const Expr& lo = -1.0, const Expr& hi = 1.0);  ///< clamp(x, lo, hi)
Expr relu6(const Expr& x);                                                  ///< clamp(x, 0, 6)
Expr heaviside(const Expr& x);                                              ///< 0, 1/2 at 0, 1

/// Builds `op(args)` through the canonicalising factory for that op. The parser and the
/// simplifier use this; it checks the arity and throws std::invalid_argument when it is wrong.
Expr make_op(Op op, std::span<const Expr> args);

/// `e` with each variable named in `bindings` replaced by its expression, rebuilt through the
/// factories (so `substitute(w*x + b, {{"x", 0}})` is `b`).
Expr substitute(const Expr& e, const std::map<std::string, Expr, std::less<>>& bindings);

/// The activation's definition in terms of the basic nodes (relu(x) -> max(0, x)); other
/// expressions are returned unchanged. Only the top node is expanded.
Expr definition(const Expr& e);

}  // namespace slope
