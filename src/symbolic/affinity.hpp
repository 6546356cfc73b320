// SPDX-License-Identifier: MIT
// How an expression depends on one variable, for the kink solvers: an affine switch has one
// zero, solved exactly; any other is searched for.
#pragma once

#include <algorithm>
#include <string>
#include <string_view>
#include <unordered_map>

#include "core/node_memo.hpp"
#include "core/op_table.hpp"
#include "slope/expr.hpp"

namespace slope::detail {

/// How an expression depends on x: not at all, affinely (its zero is one fixed x, solved
/// exactly), affinely between the zeros of its inner switches (abs(abs(x - 1) - 2): solved
/// piece by piece), or otherwise (searched on the grid). Memoized: a chain's switches share
/// their inner chain, which is classified once.
class Affinity {
 public:
  enum Kind { constant, affine, piecewise_affine, other };
  explicit Affinity(std::string_view x) : x_(x) {}
  Kind of(const Expr& e) {
    return detail::memoized(e, memo_, [this](const Expr& n) {
      if (n.is_var()) return n.name() == x_ ? affine : constant;
      std::size_t varying = 0;
      unsigned varying_args = 0;
      Kind widest = constant;
      for (std::size_t i = 0; i < n.size(); ++i) {
        const Kind k = memo_.at(n.arg(i).id());
        if (k == constant) continue;
        ++varying;
        varying_args |= 1U << std::min<std::size_t>(i, 31);
        widest = std::max(widest, k);
      }
      if (varying == 0) return constant;
      if (widest == other) return other;
      if (n.op() == Op::Add || (n.op() == Op::Mul && varying == 1)) return widest;
      const unsigned pieces_in = row(n.op()).side.affine_pieces_in;
      return (varying_args & ~pieces_in) == 0 ? piecewise_affine : other;
    });
  }

 private:
  std::string x_;
  IdMap<Kind> memo_;
};

}  // namespace slope::detail
