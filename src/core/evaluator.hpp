// SPDX-License-Identifier: MIT
// An expression prepared for evaluation at many points. slope::eval walks the graph and hashes
// every node per call; a grid of 2,000 points (the kink search) paid that 2,000 times.
#pragma once

#include <cstdint>
#include <span>
#include <unordered_map>
#include <utility>
#include <vector>

#include "core/id_map.hpp"
#include "slope/eval.hpp"
#include "slope/expr.hpp"

namespace slope::detail {

class Evaluator {
 public:
  /// Walks fs once (each shared node once) into a flat program.
  explicit Evaluator(std::span<const Expr> fs);
  explicit Evaluator(const Expr& f) : Evaluator(std::span(&f, 1)) {}
  /// The values of fs at env, in order; throws UnboundVariable like eval.
  std::vector<double> values(const Env& env);
  /// The value of the first expression at env.
  double value(const Env& env);
  /// The nodes of fs (shared ones once): the cost of one evaluation.
  std::size_t size() const { return order_.size(); }

 private:
  void run(const Env& env);

  /// An op node's evaluation: its row's function over the values at args_[first .. end).
  struct Step {
    double (*eval)(std::span<const double>);
    std::uint32_t at, first, end;
  };
  std::vector<Expr> order_;               // post-order: arguments before their users
  std::vector<std::uint32_t> args_;       // each step's arguments, as positions in order_
  std::vector<Step> steps_;               // the op nodes, in order
  std::vector<std::uint32_t> variables_;  // the positions of the variables, in order
  std::vector<std::uint32_t> roots_;      // the positions of fs
  std::vector<double> value_, scratch_;   // constants' values are set once
};

/// Values at one point of many overlapping expressions, each node computed once and kept by id
/// (node_memo.hpp): the switches of a chain, or the pieces a side of a point builds one by one.
class PointValues {
 public:
  explicit PointValues(Env at) : at_(std::move(at)) {}
  /// e's value at the point; throws UnboundVariable like eval.
  double operator()(const Expr& e);

 private:
  Env at_;
  IdMap<double> memo_;
  std::vector<double> scratch_;
};

}  // namespace slope::detail
