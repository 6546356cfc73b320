// SPDX-License-Identifier: MIT
/// \file
/// Evaluating an expression at a point.
#pragma once

#include <map>
#include <span>
#include <string>
#include <vector>

#include "slope/expr.hpp"

namespace slope {

/// Values of variables by name.
using Env = std::map<std::string, double, std::less<>>;

/**
 * The value of `f` with its variables bound by `env`; throws UnboundVariable naming a missing one.
 * Arithmetic follows IEEE 754: log(0) = -inf, log(-1) = sqrt(-1) = NaN, 1/0 = inf, and NaN
 * propagates. Conditions are true when non-zero and not NaN.
 *
 * **Example**: `eval(max(0, x) * 2, {{"x", 1.5}})` is 3.
 */
double eval(const Expr& f, const Env& env = {});
/// Several expressions at once; shared subexpressions are evaluated once.
std::vector<double> eval(std::span<const Expr> fs, const Env& env = {});

}  // namespace slope
