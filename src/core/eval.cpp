// SPDX-License-Identifier: MIT
// Evaluation over the topological order: each node once, no recursion.
#include "slope/eval.hpp"

#include <unordered_map>

#include "core/op_table.hpp"
#include "slope/error.hpp"

namespace slope {

std::vector<double> eval(std::span<const Expr> fs, const Env& env) {
  std::unordered_map<NodeId, double> value;
  std::vector<double> args;
  for (const Expr& n : topological_order(fs)) {
    double v;
    if (n.is_const()) {
      v = n.value();
    } else if (n.is_var()) {
      auto it = env.find(n.name());
      if (it == env.end()) throw UnboundVariable(n.name());
      v = it->second;
    } else {
      args.clear();
      for (const Expr& a : n.args()) args.push_back(value.at(a.id()));
      v = detail::row(n.op()).eval(args);
    }
    value.emplace(n.id(), v);
  }
  std::vector<double> out;
  for (const Expr& f : fs) out.push_back(value.at(f.id()));
  return out;
}

double eval(const Expr& f, const Env& env) { return eval(std::span(&f, 1), env)[0]; }

}  // namespace slope
