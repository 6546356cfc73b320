// SPDX-License-Identifier: MIT
// What counts as a number in a graph: a constant, or a fraction kept as one (1/3 is the node
// 3^-1, so that x/3 prints as x/3). The builder folds ops on numbers by it, and the parser
// checks written bounds by it. And which numbers read as short.
#pragma once

#include <fmt/format.h>

#include <array>
#include <cstddef>
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

/// The characters v prints as (its shortest round-trip form), counted without making the string.
inline std::size_t printed_length(double v) { return fmt::formatted_size("{}", v); }

/// A number a reader takes in at a glance: 8 characters at most (0.125, -1.5e-07). Longer
/// quotients stay fractions (1/3), and a fold's point or slope is written short where it can be.
inline bool reads_short(double v) { return printed_length(v) <= 8; }

}  // namespace slope::detail
