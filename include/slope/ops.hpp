// SPDX-License-Identifier: MIT
// The operation codes and the public view of the op table (src/core/ops.cpp).
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

namespace slope {

/// The ops that are called by name and have a factory of that name in build.hpp (`relu(x)`) and
/// in record.hpp (`relu(v)` on a tape). `SLOPE_NAMED_OPS(X)` expands X(Enum, name) for each, so
/// a new op is one line here and one row in src/core/ops.cpp (docs/adding-an-op.md).
#define SLOPE_NAMED_OPS(X)                                                                  \
  X(Pow, pow)                                                                               \
  X(Exp, exp)                                                                               \
  X(Log, log)                                                                               \
  X(Sqrt, sqrt)                                                                             \
  X(Sin, sin)                                                                               \
  X(Cos, cos)                                                                               \
  X(Tanh, tanh)                                                                             \
  X(Sigmoid, sigmoid)                                                                       \
  X(Softplus, softplus)                                                                     \
  X(Abs, abs)                                                                               \
  X(Sign, sign)                                                                             \
  X(Max, max)                                                                               \
  X(Min, min)                                                                               \
  X(Clamp, clamp)                                                                           \
  X(Eq, eq)                                                                                 \
  X(Ne, ne)                                                                                 \
  X(Relu, relu)                                                                             \
  X(LeakyRelu, leaky_relu)                                                                  \
  X(Prelu, prelu)                                                                           \
  X(Elu, elu)                                                                               \
  X(Hardtanh, hardtanh)                                                                     \
  X(Relu6, relu6)                                                                           \
  X(Heaviside, heaviside)                                                                   \
  X(Erf, erf)                                                                               \
  X(Hardswish, hardswish)                                                                   \
  X(Hardsigmoid, hardsigmoid)                                                               \
  X(Silu, silu)                                                                             \
  X(Gelu, gelu)                                                                             \
  X(Softsign, softsign)                                                                     \
  X(Mish, mish)

/// Every node kind. Subtraction, negation and division are not ops: `a - b` is
/// `a + (-1)*b` and `a / b` is `a * b^-1`, so each rule exists once (see docs/architecture.md).
/// The rows of src/core/ops.cpp follow this order.
enum class Op : std::uint8_t {
  Const,
  Variable,  // leaves: a number, a named variable
  Add,
  Mul,  // n-ary algebra
  Lt,
  Le,
  Gt,
  Ge,  // inequalities: 1 when true, 0 when false
  And,
  Or,
  Not,
  Piecewise,  // piecewise(cond: then, otherwise: else)
#define SLOPE_OP_ENUM(E, name) E,
  SLOPE_NAMED_OPS(SLOPE_OP_ENUM)
#undef SLOPE_OP_ENUM
};
inline constexpr int op_count = 0
#define SLOPE_OP_COUNT(E, name) +1
    SLOPE_NAMED_OPS(SLOPE_OP_COUNT)
#undef SLOPE_OP_COUNT
    + static_cast<int>(Op::Piecewise) + 1;

/// Binding strength used by the printers and the parser (higher binds tighter).
enum class Prec : std::uint8_t { Lowest, Or, And, Not, Compare, Add, Mul, Unary, Pow, Atom };

/// What the printers, the parser and the docs need to know about an op.
struct OpSpelling {
  std::string_view name;    ///< function name in text (`relu`), or a descriptive name (`add`)
  std::string_view symbol;  ///< infix symbol (`+`, `>=`, `and`), empty for function calls
  std::string_view latex;   ///< LaTeX: `\operatorname{relu}`, `\max`, `\geq`
  int min_args, max_args;   ///< arity range; max_args -1 means any number
  Prec prec;                ///< precedence as an infix operator (Atom for calls)
  std::string_view params;  ///< parameter names: "x, alpha" (signature() adds the defaults)
};

const OpSpelling& spelling(Op op);
std::string_view op_name(Op op);
/// <, <=, > or >=: a comparison with a boundary a kink can sit on (== and != have none).
constexpr bool is_inequality(Op op) {
  return op == Op::Lt || op == Op::Le || op == Op::Gt || op == Op::Ge;
}
/// <, <=, >, >=, == or !=.
constexpr bool is_comparison(Op op) { return is_inequality(op) || op == Op::Eq || op == Op::Ne; }
/// The comparison that holds exactly where `op` does not, for numbers (not NaN): `<` gives `>=`,
/// `==` gives `!=`. Any other op is returned unchanged.
constexpr Op negated(Op op) {
  switch (op) {
    case Op::Lt:
      return Op::Ge;
    case Op::Le:
      return Op::Gt;
    case Op::Gt:
      return Op::Le;
    case Op::Ge:
      return Op::Lt;
    case Op::Eq:
      return Op::Ne;
    case Op::Ne:
      return Op::Eq;
    default:
      return op;
  }
}
/// A comparison, `and`, `or` or `not`: an expression whose value is 1 or 0.
constexpr bool is_logical(Op op) {
  return is_comparison(op) || op == Op::And || op == Op::Or || op == Op::Not;
}
/// An op with a definition in basic ops (relu(x) = max(0, x)): `--steps` shows it.
bool is_activation(Op op);
/// How a learner calls the op, defaults included: "leaky_relu(x, alpha = 0.01)".
std::string signature(Op op);

}  // namespace slope
