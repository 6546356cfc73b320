// SPDX-License-Identifier: MIT
// An expression prepared for evaluation at many points. slope::eval walks the graph and hashes
// every node per call; a grid of 2,000 points (the kink search) paid that 2,000 times.
#pragma once

#include <cstdint>
#include <span>
#include <vector>

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

 private:
  void run(const Env& env);

  std::vector<Expr> order_;               // post-order: arguments before their users
  std::vector<std::uint32_t> first_arg_;  // node i's arguments: args_[first_arg_[i] ..
  std::vector<std::uint32_t> args_;       //   first_arg_[i + 1]), as positions in order_
  std::vector<std::uint32_t> roots_;      // the positions of fs
  std::vector<double> value_, scratch_;
};

}  // namespace slope::detail
