// SPDX-License-Identifier: MIT
/// \file
/// The operation codes and the public view of the op table (src/core/ops.cpp).
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace slope {

/// The ops that are called by name and have a factory of that name in build.hpp (`relu(x)`) and
/// in record.hpp (`relu(v)` on a tape). `SLOPE_NAMED_OPS(X)` expands X(Enum, name) for each, so
/// a new op is one line here and one row in src/core/ops.cpp (docs/adding-an-op.md).
#define SLOPE_NAMED_OPS(X)    \
  X(Pow, pow)                 \
  X(Exp, exp)                 \
  X(Log, log)                 \
  X(Sqrt, sqrt)               \
  X(Sin, sin)                 \
  X(Cos, cos)                 \
  X(Tanh, tanh)               \
  X(Sigmoid, sigmoid)         \
  X(Softplus, softplus)       \
  X(Abs, abs)                 \
  X(Sign, sign)               \
  X(Max, max)                 \
  X(Min, min)                 \
  X(Clamp, clamp)             \
  X(Eq, eq)                   \
  X(Ne, ne)                   \
  X(Relu, relu)               \
  X(LeakyRelu, leaky_relu)    \
  X(Prelu, prelu)             \
  X(Elu, elu)                 \
  X(Hardtanh, hardtanh)       \
  X(Relu6, relu6)             \
  X(Heaviside, heaviside)     \
  X(Erf, erf)                 \
  X(Hardswish, hardswish)     \
  X(Hardsigmoid, hardsigmoid) \
  X(Silu, silu)               \
  X(Gelu, gelu)               \
  X(Softsign, softsign)       \
  X(Mish, mish)               \
  X(Selu, selu)

/**
 * Every node kind. Subtraction, negation and division are not ops: `a - b` is
 * `a + (-1)*b` and `a / b` is `a * b^-1`, so each rule exists once (see docs/architecture.md).
 * The rows of src/core/ops.cpp follow this order: the basic nodes Const ... Piecewise, then one
 * enumerator per SLOPE_NAMED_OPS row (Op::Pow ... Op::Selu), each with a factory of its name.
 *
 * Each op's value and local partials, which `diff` and the Tape both read from the op table;
 * "s- / s+" are the slopes below and above a kink, and "kinks" says where they are.
 *
 * | op | value | partials | kinks |
 * |----|-------|----------|-------|
 * | Add | a1 + ... + an | 1 each | |
 * | Mul | a1 * ... * an | the product of the others | |
 * | Lt Le Gt Ge Eq Ne | 1 if a < b (<=, >, >=, ==, !=), else 0 | 0 | jumps at a = b |
 * | And Or Not | 1 or 0 | 0 | |
 * | Piecewise(c, a, b) | a where c holds, else b | 1 into the branch taken, 0 for c | (1) |
 * | Pow(b, e) | b^e | e b^(e-1) (0 if e = 0); b^e log b | b = 0, unless e is whole, >= 0 |
 * | Exp, Log, Sqrt | e^x, log x (natural), sqrt x | e^x, 1/x, 1/(2 sqrt x) | sqrt: 0 |
 * | Sin, Cos, Tanh | sin x, cos x, tanh x | cos x, -sin x, 1 - tanh(x)^2 | |
 * | Sigmoid | s = 1 / (1 + e^-x) | s (1 - s) | |
 * | Softplus | log(1 + e^x) | sigmoid(x) | |
 * | Erf | (2/sqrt pi) times the integral of e^(-t^2), 0 to x | (2/sqrt pi) e^(-x^2) | |
 * | Abs | abs(x) | -1 / 1 | 0 |
 * | Sign | -1, 0 or 1 | 0 | jumps at 0 |
 * | Max(a, b), Min(a, b) | the larger, the smaller | (2) | a = b |
 * | Clamp(x, lo, hi) | min(max(x, lo), hi) | x: 0 / 1 / 0; lo: 1 below; hi: 1 above | lo, hi |
 * | Relu(x) | max(0, x) | 0 / 1 | 0 |
 * | LeakyRelu(x, alpha = 0.01) | x if x > 0, else alpha x | x: alpha / 1; alpha: min(x, 0) | 0 |
 * | Prelu(x, a) | leaky_relu with slope a | x: a / 1; a: min(x, 0) | 0 |
 * | Elu(x, alpha = 1) | x if x > 0, else alpha (e^x - 1) | x: alpha e^x / 1; alpha: (3) | 0 |
 * | Hardtanh(x, lo = -1, hi = 1) | clamp(x, lo, hi) | as clamp | lo, hi |
 * | Relu6(x) | clamp(x, 0, 6) | 0 / 1 / 0 | 0, 6 |
 * | Heaviside(x) | 0 below 0, 1/2 at 0, 1 above | 0 | jumps at 0 |
 * | Hardswish(x) | x relu6(x + 3) / 6 | 0 / (2x + 3)/6 / 1 | -3 (0 / -1/2), 3 (3/2 / 1) |
 * | Hardsigmoid(x) | relu6(x + 3) / 6 | 0 / 1/6 / 0 | -3, 3 |
 * | Silu(x) | x s, s = sigmoid(x) | s + x s (1 - s) | |
 * | Gelu(x) | x Phi(x) = x (1 + erf(x / sqrt 2)) / 2 | Phi(x) + x phi(x) (phi: the density) | |
 * | Softsign(x) | x / (1 + abs(x)) | 1 / (1 + abs(x))^2 | |
 * | Mish(x) | x t, t = tanh(softplus(x)) | t + x (1 - t^2) sigmoid(x) | |
 * | Selu(x) | s x if x > 0, else s a (e^x - 1); s = 1.0507..., a = 1.6732... | s a e^x / s | 0 |
 *
 * At a kink the Convention chooses between s- and s+ (min_norm: the value in [s-, s+] nearest
 * 0; left: s-; right: s+; average: their mean; undefined: NaN): relu'(0) is 0, 0, 1, 1/2;
 * abs'(0) is 0, -1, 1, 0; leaky_relu'(0) is 0.01, 0.01, 1, 0.505 (min_norm, left, right,
 * average). Sign and heaviside jump with slope 0 on both sides, so every convention gives 0.
 * Clamp has no kink at an infinite bound; with lo > hi it gives hi (as in PyTorch). The parser
 * refuses constant bounds written that way round, as a likely mistake.
 * A condition is true when it is neither 0 nor NaN.
 *
 * (1) Where c compares l with r (<, <=, >, >=) and l - r varies, the boundary l = r is a kink:
 * the branch above (l > r) gets weight s = above_weight() and the one below 1 - s, except that
 * min_norm gives all the weight to a constant branch (so `piecewise(x > 0: x, otherwise: 0)`
 * agrees with relu). Other conditions follow the branch taken.
 *
 * (2) With a constant argument, 0 / 1 in the other (max; min: 1 / 0). With two varying ones,
 * 1 to the larger (max) or the smaller (min), and a tie splits as (s, 1 - s), s =
 * above_weight(): min_norm and average 1/2, left 0, right 1.
 *
 * (3) e^x - 1 below 0, 0 from 0 on.
 *
 * **Example**: `diff(leaky_relu(x), x)` is `piecewise(x > 0: 1, otherwise: 0.01)` under min_norm;
 * `spelling(Op::LeakyRelu).params` is `"x, alpha"`.
 */
enum class Op : std::uint8_t {
  Const,      ///< leaf: a number
  Variable,   ///< leaf: a named variable
  Add,        ///< n-ary: a1 + ... + an
  Mul,        ///< n-ary: a1 * ... * an
  Lt,         ///< a < b, 1 when true, 0 when false
  Le,         ///< a <= b
  Gt,         ///< a > b
  Ge,         ///< a >= b
  And,        ///< a and b
  Or,         ///< a or b
  Not,        ///< not a
  Piecewise,  ///< piecewise(cond: then, otherwise: else); then the named ops, Pow ... Selu
#define SLOPE_OP_ENUM(E, name) E,
  SLOPE_NAMED_OPS(SLOPE_OP_ENUM)
#undef SLOPE_OP_ENUM
};
/// The number of ops, enumerators of Op: they run from 0 to op_count - 1.
inline constexpr int op_count = 0
#define SLOPE_OP_COUNT(E, name) +1
                                SLOPE_NAMED_OPS(SLOPE_OP_COUNT)
#undef SLOPE_OP_COUNT
                                + static_cast<int>(Op::Piecewise) + 1;
/** \def SLOPE_OP_ENUM
 * One enumerator per named op (used once, inside Op). */
/** \def SLOPE_OP_COUNT
 * Counts the named ops (used once, in op_count). */

/// Binding strength used by the printers and the parser (higher binds tighter).
enum class Prec : std::uint8_t { Lowest, Or, And, Not, Compare, Add, Mul, Unary, Pow, Atom };

/// What the printers, the parser and the docs need to know about an op.
struct OpSpelling {
  std::string_view name;    ///< function name in text (`relu`), or a descriptive name (`add`)
  std::string_view symbol;  ///< infix symbol (`+`, `>=`, `and`), empty for function calls
  std::string_view latex;   ///< LaTeX: `\operatorname{relu}`, `\max`, `\geq`
  ///@{
  /// The arity range; max_args -1 means any number.
  int min_args, max_args;
  ///@}
  Prec prec;                ///< precedence as an infix operator (Atom for calls)
  std::string_view params;  ///< parameter names: "x, alpha" (signature() adds the defaults)
};

/// The op's row of spelling: `spelling(Op::Ge).symbol` is `">="`.
const OpSpelling& spelling(Op op);
/// The op's name, `spelling(op).name`: `relu`, `leaky_relu`, `add`.
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
/// The comparison with its sides swapped: `a OP b` is `b mirrored(OP) a` (`<` gives `>`; `==` and
/// `!=` stay). Any other op is returned unchanged.
constexpr Op mirrored(Op op) {
  switch (op) {
    case Op::Lt:
      return Op::Gt;
    case Op::Le:
      return Op::Ge;
    case Op::Gt:
      return Op::Lt;
    case Op::Ge:
      return Op::Le;
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
/// The op's parameter names, in order: {"x", "alpha"} for leaky_relu.
std::vector<std::string> parameter_names(Op op);
/// How a learner calls the op, defaults included: "leaky_relu(x, alpha = 0.01)".
std::string signature(Op op);

}  // namespace slope
