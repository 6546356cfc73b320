// SPDX-License-Identifier: MIT
/// \file
/// Symbolic differentiation.
#pragma once

#include <string_view>
#include <vector>

#include "slope/convention.hpp"
#include "slope/expr.hpp"

namespace slope {

/**
 * d f / d x as a new expression, with every kink resolved by `convention` (see convention.hpp).
 * Shared subexpressions are differentiated once, so the result has O(size of f) nodes. Kinked
 * ops differentiate to piecewise expressions: under min_norm, d/dx max(0, x) is
 * `piecewise(x > 0: 1, otherwise: 0)`; under right, `piecewise(x >= 0: 1, otherwise: 0)`.
 *
 * **Example**:
 *
 *     auto x = var("x"), w = var("w"), b = var("b");
 *     diff(relu(w*x + b), x);   // piecewise(w*x + b > 0: w, otherwise: 0)
 */
Expr diff(const Expr& f, const Expr& x, Convention convention = Convention::min_norm);
/// d f / d x with x given by name: `diff(f, "x")` is `diff(f, var("x"))`.
Expr diff(const Expr& f, std::string_view x, Convention convention = Convention::min_norm);
/// The order-th derivative: f itself for order 0; throws std::invalid_argument for order < 0.
Expr diff(const Expr& f, std::string_view x, int order,
          Convention convention = Convention::min_norm);

/// One derivative per variable of f, in the order variables(f) lists them:
/// `gradient(relu(w*x + b))` is, for w, x and b, `piecewise(w*x + b > 0: x, otherwise: 0)`,
/// the same with w, and the same with 1.
std::vector<Expr> gradient(const Expr& f, Convention convention = Convention::min_norm);

}  // namespace slope
