// SPDX-License-Identifier: MIT
// The one bottom-up rewrite walk: simplify's passes, substitute, fold's regions and the solving
// of comparisons each change some nodes and rebuild what lies above them.
#pragma once

#include <optional>
#include <vector>

#include "core/id_map.hpp"
#include "slope/build.hpp"
#include "slope/expr.hpp"

namespace slope::detail {

/// e rebuilt bottom-up, each distinct node once, arguments first. `rule(n, args)` gets a node
/// and its arguments as rebuilt and returns the node's new form, or nothing for n's op over
/// those arguments (n itself when none changed: rebuilding it would only find it again).
template <class Rule>
Expr rebuild(const Expr& e, Rule&& rule) {
  const std::vector<Expr> order = topological_order(e);
  IdMap<Expr> done;
  done.reserve(order.size());
  std::vector<Expr> args;  // reused: one allocation per walk, not per node
  for (const Expr& n : order) {
    args.clear();
    bool changed = false;
    for (const Expr& a : n.args()) {
      args.push_back(done.at(a.id()));
      changed |= !(args.back() == a);
    }
    std::optional<Expr> r = rule(n, static_cast<const std::vector<Expr>&>(args));
    done.emplace(n.id(), r ? std::move(*r) : changed ? make_op(n.op(), args) : n);
  }
  return done.at(e.id());
}

}  // namespace slope::detail
