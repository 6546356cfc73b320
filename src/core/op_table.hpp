// SPDX-License-Identifier: MIT
// The op table's row type. Each op is one row in ops.cpp: spelling, evaluation, numeric local
// partials (for the tape) and symbolic derivative (for diff).
#pragma once

#include <cstdint>
#include <span>

#include "slope/convention.hpp"
#include "slope/expr.hpp"
#include "slope/ops.hpp"

namespace slope::detail {

/// What a numeric partial rule sees: argument values, the result, the convention, which
/// arguments are constant nodes, and (Piecewise only) the condition's comparison.
struct Local {
  std::span<const double> a;
  double r;
  Convention conv;
  std::uint32_t const_args = 0;  ///< bit i set: argument i is a constant node
  Op cond_op = Op::Const;        ///< Piecewise: Lt/Le/Gt/Ge of its condition, else Const
  double cond_lhs = 0, cond_rhs = 0;
  bool is_const(std::size_t i) const { return (const_args >> i) & 1U; }
};

/// What a symbolic derivative rule sees: arguments, result, the arguments' derivatives.
struct Symbolic {
  std::span<const Expr> a;
  const Expr& r;
  std::span<const Expr> da;
  Convention conv;
};

struct OpRow {
  Op op;
  OpSpelling spell;
  double (*eval)(std::span<const double> a);
  /// Writes d result / d a[i] into out[i]; Const and Var have none.
  void (*partials)(const Local& in, std::span<double> out);
  /// d result / dx given d a[i] / dx (chain rule included, so piecewise rules can combine).
  Expr (*derivative)(const Symbolic& in);
};

const OpRow& row(Op op);

}  // namespace slope::detail
