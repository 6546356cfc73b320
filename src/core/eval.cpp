// SPDX-License-Identifier: MIT
// Evaluation over the topological order: each node once, no recursion.
#include "slope/eval.hpp"

#include <unordered_map>

#include "core/evaluator.hpp"
#include "core/node_memo.hpp"
#include "core/op_table.hpp"
#include "slope/error.hpp"

namespace slope {

namespace detail {

Evaluator::Evaluator(std::span<const Expr> fs) : order_(topological_order(fs)) {
  IdMap<std::uint32_t> position;
  position.reserve(order_.size());
  first_arg_.reserve(order_.size() + 1);
  for (std::uint32_t i = 0; i < order_.size(); ++i) {
    position.emplace(order_[i].id(), i);
    first_arg_.push_back(static_cast<std::uint32_t>(args_.size()));
    for (const Expr& a : order_[i].args()) args_.push_back(position.at(a.id()));
  }
  first_arg_.push_back(static_cast<std::uint32_t>(args_.size()));
  for (const Expr& f : fs) roots_.push_back(position.at(f.id()));
  value_.resize(order_.size());
}

void Evaluator::run(const Env& env) {
  for (std::size_t i = 0; i < order_.size(); ++i) {
    const Expr& n = order_[i];
    if (n.is_const()) {
      value_[i] = n.value();
    } else if (n.is_var()) {
      auto it = env.find(n.name());
      if (it == env.end()) throw UnboundVariable(n.name());
      value_[i] = it->second;
    } else {
      scratch_.clear();
      for (std::uint32_t a = first_arg_[i]; a < first_arg_[i + 1]; ++a)
        scratch_.push_back(value_[args_[a]]);
      value_[i] = row(n.op()).eval(scratch_);
    }
  }
}

std::vector<double> Evaluator::values(const Env& env) {
  run(env);
  std::vector<double> out;
  for (const std::uint32_t r : roots_) out.push_back(value_[r]);
  return out;
}

double Evaluator::value(const Env& env) {
  run(env);
  return value_[roots_.front()];
}

double PointValues::operator()(const Expr& e) {
  return memoized(e, memo_, [this](const Expr& n) {
    if (n.is_const()) return n.value();
    if (n.is_var()) {
      auto it = at_.find(n.name());
      if (it == at_.end()) throw UnboundVariable(n.name());
      return it->second;
    }
    scratch_.clear();
    for (const Expr& a : n.args()) scratch_.push_back(memo_.at(a.id()));
    return row(n.op()).eval(scratch_);
  });
}

}  // namespace detail

std::vector<double> eval(std::span<const Expr> fs, const Env& env) {
  return detail::Evaluator(fs).values(env);
}

double eval(const Expr& f, const Env& env) { return detail::Evaluator(f).value(env); }

}  // namespace slope
