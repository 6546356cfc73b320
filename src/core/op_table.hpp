// SPDX-License-Identifier: MIT
// The op table's row type. Each op is one row in ops.cpp: spelling, defaults, evaluation, local
// partials (written once over double and Expr: the tape and diff read the same rule), interval
// bounds, the definition `--steps` shows, and how each target language spells it.
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <optional>
#include <span>
#include <string_view>
#include <type_traits>
#include <utility>
#include <vector>

#include "slope/convention.hpp"
#include "slope/expr.hpp"
#include "slope/ops.hpp"
#include "slope/precision.hpp"
#include "slope/simplify.hpp"

namespace slope::detail {

/// What a numeric partial rule sees, in the tape's precision T: argument values, the result,
/// the convention, which arguments are constant nodes, and (Piecewise only) the condition's
/// comparison.
template <class T>
struct LocalIn {
  std::span<const T> a;
  T r;
  Convention conv;
  std::uint32_t const_args = 0;  ///< bit i set: argument i is a constant node
  Op cond_op = Op::Const;        ///< Piecewise: Lt/Le/Gt/Ge of its condition, else Const
  T cond_lhs = 0, cond_rhs = 0;
  bool is_const(std::size_t i) const { return (const_args >> i) & 1U; }
};
using Local = LocalIn<double>;

/// One numeric function of a row in every precision a tape computes in (precision.hpp), made
/// from one generic lambda or function template: `Sig<double>`, `Sig<float>`, `Sig<_Float16>`.
/// Called with doubles it is the double one, so `row(op).eval(args)` reads as before.
template <template <class> class Sig>
struct PerPrecision {
  Sig<double>* f64;
  Sig<float>* f32;
#ifdef SLOPE_HAS_FLOAT16
  Sig<_Float16>* f16;
#endif
  /// None: the row leaves it to the default (LocalRule::tangent).
  constexpr PerPrecision(std::nullptr_t)  // NOLINT(google-explicit-constructor)
      : f64(nullptr),
        f32(nullptr)
#ifdef SLOPE_HAS_FLOAT16
        ,
        f16(nullptr)
#endif
  {
  }
  template <class F>
  constexpr PerPrecision(F f)  // NOLINT(google-explicit-constructor): rows are written as lambdas
      : f64(f),
        f32(f)
#ifdef SLOPE_HAS_FLOAT16
        ,
        f16(f)
#endif
  {
  }
  /// The function for precision T.
  template <class T>
  constexpr Sig<T>* in() const {
    if constexpr (std::is_same_v<T, double>)
      return f64;
    else if constexpr (std::is_same_v<T, float>)
      return f32;
#ifdef SLOPE_HAS_FLOAT16
    else
      return f16;
#endif
  }
  template <class... A>
  decltype(auto) operator()(A&&... a) const {
    return f64(std::forward<A>(a)...);
  }
};
template <class T>
using EvalSig = T(std::span<const T>);
template <class T>
using PartialsSig = void(const LocalIn<T>&, std::span<T>);
/// The op's slope along x from its arguments' values and slopes (for a piecewise whose condition
/// compares, its condition's sides follow as a[3], a[4]).
template <class T>
using TangentSig = T(std::span<const T> a, std::span<const T> da);

/// Where a tied condition's sides l and r part as x moves, as conditions over x
/// (symbolic/side.hpp, sides_part): they cross (l - r changes sign: a boundary), or they touch
/// and part with l > r (`above`) or l < r (`below`) on both sides, so both sides take one branch.
struct SidesPart {
  Expr crosses, above, below;
};

/// A point where a piecewise's condition sides tie and their difference may jump or kink, or an
/// equality or a combination ties (`here`: x == p): the branch both sides of it take (true:
/// then), or at a boundary the branch on the side above (where the tied lhs - rhs is larger),
/// and whether the branches meet there up to rounding (none: not known as a number, they hold
/// other variables) (symbolic/side.hpp, exact_ties).
struct ExactTie {
  Expr here;
  std::optional<bool> beside, above, meet;
};

/// What a symbolic derivative rule sees: arguments, result, the arguments' derivatives, and
/// (for a piecewise, whose condition's sides are not its arguments) any earlier node's.
struct Symbolic {
  std::span<const Expr> a;
  const Expr& r;
  std::span<const Expr> da;
  Convention conv;
  const std::function<Expr(const Expr&)>& derivative_of;
  /// Where a tied condition's sides part as x moves, given their difference's slope
  /// (symbolic/side.hpp, sides_part).
  const std::function<SidesPart(const Expr&)>& sides_part;
  /// The points of a piecewise's ties that sides_part cannot read (symbolic/side.hpp).
  const std::function<std::vector<ExactTie>(const Expr&)>& exact_ties;
};

/// The local partials of an op, numerically (the tape) and symbolically (diff). Rows with a
/// fixed arity write the rule once, as a template over double and Expr (ops.cpp, `rule<...>`),
/// and get both from it; only the n-ary sum and product and piecewise write the two by hand.
struct LocalRule {
  /// Writes d result / d a[i] into out[i], in each precision.
  PerPrecision<PartialsSig> partials;
  /// d result / dx given d a[i] / dx (chain rule included, so piecewise rules can combine).
  Expr (*derivative)(const Symbolic& in);
  /// The slope under `undefined`, where partials cannot say: at a tie of max's two moving
  /// arguments, or a crossing of a piecewise condition, f has a slope only where the sides'
  /// slopes agree. Tape::tangent's forward sweep reads it; diff under `undefined` reads the same
  /// rule over Expr. Null: the partials times the arguments' slopes.
  PerPrecision<TangentSig> tangent = nullptr;
};

/// How the code emitter (src/text/codegen.cpp) writes the op in each language, computing what
/// eval computes (NaN and infinities included):
/// - a function name, called with the arguments: `np.exp`;
/// - `@name`: one of the emitter's helper functions (C++ and Python), written into the file when
///   used: `@relu`, where the language's own function differs from slope's value;
/// - a form with `$0`, `$1` for the arguments: `np.maximum($0, 0.0)`. An argument used twice is
///   computed once; the form must be a call, or wholly in parentheses;
/// - empty: the op's definition is written instead (a new activation needs nothing here).
/// Sums, products, powers of -1, conditions, piecewise and the clamps are written by the emitter
/// itself: their code depends on the arguments' form.
struct CodeSpelling {
  std::string_view cpp, python, numpy, torch;
};

/// The sign a smooth expression takes as x moves off the point to one side: the first non-zero
/// of its value and its derivatives there (exact one-sided calculus, src/symbolic/one_sided.cpp).
using SideSign = std::function<int(const Expr&)>;

/// What exact one-sided calculus needs of an op that is not smooth everywhere.
struct SideRule {
  /// The smooth expression the op equals just to one side of a point, from its arguments' pieces
  /// there: abs(u) is u or -u as the sign of u says. Null: the op is rebuilt from its arguments'
  /// pieces (smooth ops); activations use their definition.
  Expr (*piece)(std::span<const Expr> a, const SideSign& sign) = nullptr;
  /// Appends the op's switch functions: where one crosses 0, the op may kink or jump.
  void (*switches)(std::span<const Expr> a, std::vector<Expr>& out) = nullptr;
  /// The arguments (bit i: a[i]) in which the op is continuous and, between the zeros of its
  /// switches, affine, when it is constant in the others: abs, max, clamp, relu, leaky_relu.
  /// A chain of such ops over x is affine between its inner switches' zeros, so the kink search
  /// solves it piece by piece (symbolic/affinity.hpp) instead of searching a grid.
  std::uint8_t affine_pieces_in = 0;
};

struct OpRow {
  Op op;
  OpSpelling spell;
  /// Values of the optional trailing arguments (min_args ... max_args - 1): leaky_relu's 0.01.
  std::array<double, 2> defaults{};
  /// The value from the arguments' values, in each precision.
  PerPrecision<EvalSig> eval;
  LocalRule local;
  /// The op's range from its arguments' ranges (simplify's range reasoning); null: unknown.
  Interval (*bounds)(std::span<const Interval> a) = nullptr;
  /// The op in basic ops (relu(x) -> max(0, x)); set for activations only.
  Expr (*definition)(std::span<const Expr> a) = nullptr;
  CodeSpelling code{};
  SideRule side{};
};

const OpRow& row(Op op);

/// The op can kink or jump at some arguments: its row names switches or one-sided pieces, or it
/// is an activation (defined through ops that may; smooth ones such as softplus count too).
inline bool may_switch(Op op) {
  const OpRow& r = row(op);
  return r.definition || r.side.piece || r.side.switches;
}

/// The comparisons a condition combines through and, or and not, in order (the condition
/// itself, if it compares).
void comparisons_in(const Expr& cond, std::vector<Expr>& out);
/// At a boundary of a combination (and, or, not), whether the convention weighs its branches
/// (along the first tied comparison) rather than f taking the branch taken: where it combines
/// at most four inequalities and no equality. An equality ties at a point alone, and the
/// conditions diff's own rules write hold one (a crossing is l == r and l' != r'): the derivative
/// of a derivative keeps the branch taken there, rather than nesting the rule in itself.
bool weighs_boundary(const Expr& combination);

/// `args` with the op's missing optional arguments filled in from its row's defaults.
std::vector<Expr> with_defaults(Op op, std::span<const Expr> args);

}  // namespace slope::detail
