// SPDX-License-Identifier: MIT
// The operation codes and the public view of the op table (src/core/ops.cpp).
#pragma once

#include <cstdint>
#include <string_view>

namespace slope {

/// Every node kind. Subtraction, negation and division are not ops: `a - b` is
/// `a + (-1)*b` and `a / b` is `a * b^-1`, so each rule exists once (see docs/architecture.md).
enum class Op : std::uint8_t {
  Const,
  Var,  // leaves
  Add,
  Mul,
  Pow,  // algebra (Add and Mul are n-ary)
  Exp,
  Log,
  Sqrt,
  Sin,
  Cos,
  Tanh,
  Sigmoid,
  Softplus,
  Abs,
  Sign,
  Max,
  Min,
  Clamp,  // piecewise-linear building blocks
  Lt,
  Le,
  Gt,
  Ge,
  Eq,
  Ne,  // comparisons: 1 when true, 0 when false
  And,
  Or,
  Not,
  Piecewise,  // piecewise(cond: then, otherwise: else)
  Relu,
  LeakyRelu,
  Prelu,
  Elu,
  Hardtanh,
  Relu6,
  Heaviside,  // activations, kept by name
};
inline constexpr int op_count = static_cast<int>(Op::Heaviside) + 1;

/// Binding strength used by the printers and the parser (higher binds tighter).
enum class Prec : std::uint8_t { Lowest, Or, And, Not, Compare, Add, Mul, Unary, Pow, Atom };

/// What the printers, the parser and the docs need to know about an op.
struct OpSpelling {
  std::string_view name;    ///< function name in text (`relu`), or a descriptive name (`add`)
  std::string_view symbol;  ///< infix symbol (`+`, `>=`, `and`), empty for function calls
  std::string_view latex;   ///< LaTeX: `\operatorname{relu}`, `\max`, `\geq`
  int min_args, max_args;   ///< arity range; max_args -1 means any number
  Prec prec;                ///< precedence as an infix operator (Atom for calls)
  std::string_view params;  ///< parameters as a learner writes them: "x, alpha = 0.01"
};

const OpSpelling& spelling(Op op);
std::string_view op_name(Op op);
bool is_comparison(Op op);
/// <, <=, > or >=: a comparison with a boundary a kink can sit on (== and != have none).
constexpr bool is_inequality(Op op) {
  return op == Op::Lt || op == Op::Le || op == Op::Gt || op == Op::Ge;
}
bool is_activation(Op op);

}  // namespace slope
