// SPDX-License-Identifier: MIT
// Evaluation over the topological order: each node once, no recursion.
#include "slope/eval.hpp"

#include <algorithm>
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
  value_.resize(order_.size());
  std::size_t widest = 0;
  for (std::uint32_t i = 0; i < order_.size(); ++i) {
    const Expr& n = order_[i];
    position.emplace(n.id(), i);
    if (n.is_const()) {
      value_[i] = n.value();
    } else if (n.is_var()) {
      variables_.push_back(i);
    } else {
      const auto first = static_cast<std::uint32_t>(args_.size());
      for (const Expr& a : n.args()) args_.push_back(position.at(a.id()));
      steps_.push_back({row(n.op()).eval.f64, i, first, static_cast<std::uint32_t>(args_.size())});
      widest = std::max<std::size_t>(widest, n.size());
    }
  }
  scratch_.resize(widest);
  for (const Expr& f : fs) roots_.push_back(position.at(f.id()));
}

void Evaluator::run(const Env& env) {
  for (const std::uint32_t v : variables_) {
    const auto it = env.find(order_[v].name());
    if (it == env.end()) throw UnboundVariable(order_[v].name());
    value_[v] = it->second;
  }
  for (const Step& s : steps_) {
    for (std::uint32_t a = s.first; a < s.end; ++a) scratch_[a - s.first] = value_[args_[a]];
    value_[s.at] = s.eval(std::span<const double>(scratch_.data(), s.end - s.first));
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
