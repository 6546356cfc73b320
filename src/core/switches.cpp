// SPDX-License-Identifier: MIT
#include "core/switches.hpp"

#include <map>
#include <set>
#include <string>
#include <unordered_map>
#include <utility>

#include "core/node_memo.hpp"
#include "core/op_table.hpp"
#include "slope/build.hpp"

namespace slope::detail {

std::vector<Switch> switches(const Expr& f) {
  std::vector<Switch> out;
  std::set<std::pair<NodeId, NodeId>> seen;  // (switch, op): relu(x), relu(-x) both kept
  std::vector<Expr> g;
  // whether a node holds a variable, memoized: a chain's switches share their inner chain
  IdMap<std::uint8_t> varies;  // a bool (IdMap keeps a std::vector of its values)
  const auto constant = [&varies](const Expr& e) {
    return !memoized(e, varies, [&varies](const Expr& n) {
      if (n.is_var()) return true;
      for (const Expr& a : n.args())
        if (varies.at(a.id())) return true;
      return false;
    });
  };
  // A definition's switches are found over placeholders, then bound to the real arguments, so
  // a chain of activations is not walked once per level.
  for (const Expr& n : topological_order(f)) {
    const OpRow& r = row(n.op());
    if (r.definition) {
      // the definition's own switches, over placeholders then bound to the real arguments
      std::vector<Expr> slots;
      std::map<std::string, Expr, std::less<>> bind;
      for (std::size_t i = 0; i < n.size(); ++i) {
        const std::string name = "_arg" + std::to_string(i);  // the definition has no other names
        slots.push_back(var(name));
        bind.emplace(name, n.arg(i));
      }
      for (const Switch& s : switches(r.definition(slots))) {
        const Expr bound = substitute(s.g, bind);
        if (!constant(bound) && seen.insert({bound.id(), n.id()}).second) out.push_back({bound, n});
      }
      continue;
    }
    if (!r.side.switches) continue;
    g.clear();
    r.side.switches(n.args(), g);
    for (const Expr& s : g)
      if (!constant(s) && seen.insert({s.id(), n.id()}).second) out.push_back({s, n});
  }
  return out;
}

}  // namespace slope::detail
