// SPDX-License-Identifier: MIT
// What counts as a number in a graph: a constant, or a fraction kept as one (1/3 is the node
// 3^-1, so that x/3 prints as x/3). The builder folds ops on numbers by it, and the parser
// checks written bounds by it.
#pragma once

#include <array>
#include <optional>

#include "core/op_table.hpp"
#include "slope/expr.hpp"

namespace slope::detail {

/// e's value when e is a number, else nothing.
inline std::optional<double> number_value(const Expr& e) {
  if (e.is_const()) return e.value();
  if (e.op() == Op::Pow && e.arg(0).is_const() && e.arg(1).is_const())
    return row(Op::Pow).eval(std::array{e.arg(0).value(), e.arg(1).value()});
  return std::nullopt;
}

}  // namespace slope::detail
