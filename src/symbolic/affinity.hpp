// SPDX-License-Identifier: MIT
// How an expression depends on one variable, for the kink solvers: an affine switch has one
// zero, solved exactly; any other is searched for.
#pragma once

#include <string>
#include <string_view>
#include <unordered_map>

#include "core/node_memo.hpp"
#include "slope/expr.hpp"

namespace slope::detail {

/// How an expression depends on x: not at all, affinely (its zero is one fixed x, solved
/// exactly), or otherwise (searched on the grid). Memoized: a chain's switches share their
/// inner chain, which is classified once.
class Affinity {
 public:
  enum Kind { constant, affine, other };
  explicit Affinity(std::string_view x) : x_(x) {}
  Kind of(const Expr& e) {
    return detail::memoized(e, memo_, [this](const Expr& n) {
      if (n.is_var()) return n.name() == x_ ? affine : constant;
      std::size_t varying = 0;
      bool all_affine = true;
      for (const Expr& a : n.args()) {
        const Kind k = memo_.at(a.id());
        varying += k != constant;
        all_affine &= k != other;
      }
      if (varying == 0) return constant;
      if (n.op() == Op::Add && all_affine) return affine;
      if (n.op() == Op::Mul && varying == 1 && all_affine) return affine;
      return other;
    });
  }

 private:
  std::string x_;
  std::unordered_map<NodeId, Kind> memo_;
};

}  // namespace slope::detail
