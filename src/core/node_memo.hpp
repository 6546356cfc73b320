// SPDX-License-Identifier: MIT
// A per-node result computed bottom-up and kept by id across calls. Asking about many
// overlapping expressions (the switches of a 16,000-deep chain each hold the whole chain below
// them) then costs their union once; asking about each alone was quadratic.
#pragma once

#include <utility>
#include <vector>

#include "core/id_map.hpp"
#include "slope/expr.hpp"

namespace slope::detail {

/// rule(n) for root and every node below it not yet in memo, arguments first, without
/// recursion; rule reads its arguments' results from memo. Ids are never reused, so a memo may
/// outlive the expressions it has seen.
template <class T, class Rule>
const T& memoized(const Expr& root, IdMap<T>& memo, Rule&& rule) {
  if (const T* known = memo.find(root.id())) return *known;
  std::vector<std::pair<Expr, bool>> stack{{root, false}};  // (node, its arguments are done)
  while (!stack.empty()) {
    auto [n, ready] = stack.back();
    stack.pop_back();
    if (memo.contains(n.id())) continue;
    if (ready) {
      T result = rule(n);
      memo.emplace(n.id(), std::move(result));
      continue;
    }
    stack.push_back({n, true});
    for (const Expr& a : n.args())
      if (!memo.contains(a.id())) stack.push_back({a, false});
  }
  return memo.at(root.id());
}

}  // namespace slope::detail
