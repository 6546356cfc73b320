// SPDX-License-Identifier: MIT
// The derivative rules of the op table applied node by node, without simplifying the result:
// diff's first step, and on its own for callers that only evaluate derivatives.
#pragma once

#include <string_view>
#include <unordered_map>

#include "core/id_map.hpp"
#include "slope/convention.hpp"
#include "slope/expr.hpp"

namespace slope::detail {

/// d f / d x as the rows build it (constants folded, like terms collected, nothing simplified),
/// extending `memo` (node -> its derivative) with the nodes of f not yet in it: a caller that
/// differentiates many expressions sharing nodes (the pieces of a chain on one side of a point)
/// pays for each node once.
Expr raw_derivative(const Expr& f, std::string_view x, Convention convention, IdMap<Expr>& memo);

}  // namespace slope::detail
