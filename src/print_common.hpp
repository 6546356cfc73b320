// Small facts about expressions that every printer (text, LaTeX, code) asks.
#pragma once

#include "slope/expr.hpp"
#include "slope/ops.hpp"

namespace slope::detail {

/// The next tighter binding strength: what a right operand of a left-associative op needs.
inline Prec above(Prec p) { return static_cast<Prec>(static_cast<int>(p) + 1); }

/// A negative constant or a product with a negative coefficient: printed after " - ".
inline bool is_negative(const Expr& t) {
  return (t.is_const() && t.value() < 0) ||
         (t.op() == Op::Mul && t.arg(0).is_const() && t.arg(0).value() < 0);
}

/// b^-k with a constant k > 0: printed as a division.
inline bool is_reciprocal(const Expr& f) {
  return f.op() == Op::Pow && f.arg(1).is_const() && f.arg(1).value() < 0;
}

}  // namespace slope::detail
