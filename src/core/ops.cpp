// SPDX-License-Identifier: MIT
// THE op table: one row per op with its spelling, evaluation, numeric local partials (tape) and
// symbolic derivative (diff). Adding an op means adding a row here and an enum value in ops.hpp;
// tests/ops_test.cpp walks every row. Kinked rows are written with kink.hpp's step/at_kink so the
// numeric and the symbolic side apply the convention identically.
#include <array>
#include <cmath>
#include <limits>
#include <stdexcept>
#include <string>

#include "core/kink.hpp"
#include "core/op_table.hpp"
#include "core/scalar.hpp"
#include "slope/build.hpp"

namespace slope::detail {
namespace {

using std::span;
constexpr double nan_v = std::numeric_limits<double>::quiet_NaN();
constexpr double inf_v = std::numeric_limits<double>::infinity();

// ---- shared pieces -------------------------------------------------------------------------

void no_partials(const Local&, span<double> out) {
  for (double& o : out) o = 0.0;
}
Expr zero_derivative(const Symbolic&) { return 0; }

/// Chain rule for smooth ops: sum of partial_i * da_i, skipping arguments that do not vary.
template <std::size_t N>
Expr chain(const Symbolic& s, const std::array<Expr, N>& partial) {
  Expr sum = 0;
  for (std::size_t i = 0; i < N && i < s.da.size(); ++i)
    sum = plus(sum, times(partial[i], s.da[i]));
  return sum;
}

double sigmoid_of(double x) {
  return x >= 0 ? 1 / (1 + std::exp(-x)) : std::exp(x) / (1 + std::exp(x));
}
double softplus_of(double x) { return std::max(x, 0.0) + std::log1p(std::exp(-std::abs(x))); }
// clamp(x, lo, hi) = min(max(x, lo), hi), as PyTorch defines it: with lo > hi it is hi everywhere.
double clamp_of(double x, double lo, double hi) {
  const double t = x < lo ? lo : x;
  return t > hi ? hi : t;
}

// clamp and the activations built like it (hardtanh, relu6): slopes 0 | 1 | 0 in x, kinks at lo
// and hi (none at an infinite bound); d/dlo is 1 below lo, d/dhi is 1 above hi; (0, 0, 1) when
// lo > hi.
void clamp_partials(double x, double lo, double hi, Convention c, span<double> out) {
  double dx = step(x, lo, 0, 1, at_kink(0, 1, c));
  if (!std::isinf(hi)) dx = step(x, hi, dx, 0, at_kink(1, 0, c));
  const bool crossed = lo > hi;
  out[0] = crossed ? 0 : dx;
  if (out.size() > 1) out[1] = crossed ? 0 : step(x, lo, 1, 0, at_kink(1, 0, c));
  if (out.size() > 2) out[2] = crossed ? 1 : step(x, hi, 0, 1, at_kink(0, 1, c));
}
std::array<Expr, 3> clamp_partials(const Expr& x, const Expr& lo, const Expr& hi, Convention c) {
  Expr dx = step(x, lo, 0, 1, at_kink(Expr(0), Expr(1), c));
  if (!(hi.is_const() && std::isinf(hi.value())))
    dx = step(x, hi, dx, 0, at_kink(Expr(1), Expr(0), c));
  const Expr crossed = lo > hi;  // folds away when both bounds are constants
  return {where(crossed, 0, dx), where(crossed, 0, step(x, lo, 1, 0, at_kink(Expr(1), Expr(0), c))),
          where(crossed, 1, step(x, hi, 0, 1, at_kink(Expr(0), Expr(1), c)))};
}

// The rows of clamp and hardtanh (the same function under two names).
double clamp_eval(span<const double> a) { return clamp_of(a[0], a[1], a[2]); }
void clamp_row_partials(const Local& in, span<double> out) {
  clamp_partials(in.a[0], in.a[1], in.a[2], in.conv, out);
}
Expr clamp_derivative(const Symbolic& s) {
  return chain<3>(s, clamp_partials(s.a[0], s.a[1], s.a[2], s.conv));
}

// max(a, b) / min(a, b). With one constant argument the op is a function of the other alone
// (slopes 0 | 1 for max); with two varying arguments a tie splits as (s, 1 - s), s the
// convention's above_weight, "above" meaning a > b.
void extremum_partials(const Local& in, span<double> out, bool is_max) {
  const double a = in.a[0], b = in.a[1];
  const double lo = is_max ? 0 : 1, hi = is_max ? 1 : 0;  // slope in the varying arg below/above
  if (in.is_const(0) || in.is_const(1)) {
    const std::size_t v = in.is_const(0) ? 1 : 0;  // the varying argument
    out[1 - v] = 0;
    out[v] = step(in.a[v], in.a[1 - v], lo, hi, at_kink(lo, hi, in.conv));
    return;
  }
  const double s = above_weight(in.conv);  // weight of the branch active above (a > b)
  out[0] = step(a, b, lo, hi, is_max ? s : 1 - s);
  out[1] = step(a, b, hi, lo, is_max ? 1 - s : s);
}
Expr extremum_derivative(const Symbolic& s, bool is_max) {
  const Expr lo = is_max ? 0 : 1, hi = is_max ? 1 : 0;
  const Expr &a = s.a[0], &b = s.a[1];
  if (a.is_const() || b.is_const()) {
    const std::size_t v = a.is_const() ? 1 : 0;
    return times(step(s.a[v], s.a[1 - v], lo, hi, at_kink(lo, hi, s.conv)), s.da[v]);
  }
  const double w = above_weight(s.conv);
  return plus(times(step(a, b, lo, hi, is_max ? w : 1 - w), s.da[0]),
              times(step(a, b, hi, lo, is_max ? 1 - w : w), s.da[1]));
}

// leaky_relu(x, alpha) and prelu(x, a): slope alpha | 1 in x; d/dalpha is x below 0, 0 above.
void leaky_partials(const Local& in, span<double> out) {
  const double x = in.a[0], alpha = in.a[1];
  out[0] = step(x, 0, alpha, 1, at_kink(alpha, 1, in.conv));
  out[1] = step(x, 0, x, 0, 0);
}
Expr leaky_derivative(const Symbolic& s) {
  const Expr &x = s.a[0], &alpha = s.a[1];
  return chain<2>(s, {step(x, 0, alpha, 1, at_kink(alpha, Expr(1), s.conv)), step(x, 0, x, 0, 0)});
}

// A piecewise's condition, as the boundary rule needs it: which side "above" is, or none.
bool above_is_then(Op op) { return op == Op::Gt || op == Op::Ge; }
/// The same condition with the boundary point given to the side below (or above).
Expr boundary_to(const Expr& cond, bool above) {
  const Expr &l = cond.arg(0), &r = cond.arg(1);
  const bool gt = above_is_then(cond.op());
  if (above) return gt ? (l >= r) : (l < r);
  return gt ? (l > r) : (l <= r);
}

double piecewise_eval(span<const double> a) { return a[0] != 0 && !std::isnan(a[0]) ? a[1] : a[2]; }

void piecewise_partials(const Local& in, span<double> out) {
  out[0] = 0;
  const bool taken = piecewise_eval(std::array{in.a[0], 1.0, 0.0}) == 1.0;
  out[1] = taken ? 1 : 0;
  out[2] = taken ? 0 : 1;
  if (is_inequality(in.cond_op) && in.cond_lhs == in.cond_rhs) {
    auto [w_then, w_else] =
        boundary_weights(in.conv, above_is_then(in.cond_op), in.is_const(1), in.is_const(2));
    out[1] = w_then;
    out[2] = w_else;
  }
}

Expr piecewise_derivative(const Symbolic& s) {
  const Expr &cond = s.a[0], &da = s.da[1], &db = s.da[2];
  if (!is_inequality(cond.op())) return where(cond, da, db);
  const bool up = above_is_then(cond.op());
  const Expr& d_above = up ? da : db;
  const Expr& d_below = up ? db : da;
  Expr at;
  if (s.conv == Convention::undefined) {
    at = da.is_const(0) && db.is_const(0) ? Expr(0) : Expr(nan_v);
  } else {
    auto [w_then, w_else] = boundary_weights(s.conv, up, s.a[1].is_const(), s.a[2].is_const());
    at = plus(times(w_then, da), times(w_else, db));
  }
  if (da == db && at == da) return da;
  if (at == d_below) return where(boundary_to(cond, false), da, db);
  if (at == d_above) return where(boundary_to(cond, true), da, db);
  return where(eq(cond.arg(0), cond.arg(1)), at, where(cond, da, db));
}

// ---- the table -----------------------------------------------------------------------------

constexpr OpSpelling fn(std::string_view name, std::string_view latex, std::string_view params,
                        int n, int m = -2) {
  return {name, "", latex, n, m == -2 ? n : m, Prec::Atom, params};
}
constexpr OpSpelling infix(std::string_view name, std::string_view sym, std::string_view latex,
                           Prec p, int n, int m) {
  return {name, sym, latex, n, m, p, "a, b"};
}

#define UNARY_EVAL(F) []([[maybe_unused]] span<const double> a) -> double { return F; }

constexpr OpRow rows[] = {
    {.op = Op::Const,
     .spell = fn("constant", "", "", 0),
     .eval = UNARY_EVAL(nan_v),
     .partials = no_partials,
     .derivative = zero_derivative},
    {.op = Op::Var,
     .spell = fn("variable", "", "", 0),
     .eval = UNARY_EVAL(nan_v),
     .partials = no_partials,
     .derivative = zero_derivative},  // diff.cpp seeds variables

    // d/da_i (a_1 + ... + a_n) = 1
    {.op = Op::Add,
     .spell = infix("add", "+", "+", Prec::Add, 1, -1),
     .eval =
         [](span<const double> a) {
           double s = 0;
           for (double v : a) s += v;
           return s;
         },
     .partials =
         [](const Local&, span<double> out) {
           for (double& o : out) o = 1;
         },
     .derivative =
         [](const Symbolic& s) {
           Expr sum = 0;
           for (const Expr& d : s.da) sum = plus(sum, d);
           return sum;
         }},
    // d/da_i prod = prod of the others (no division, so zeros are fine)
    {.op = Op::Mul,
     .spell = infix("mul", "*", "\\,", Prec::Mul, 1, -1),
     .eval =
         [](span<const double> a) {
           double p = 1;
           for (double v : a) p *= v;
           return p;
         },
     .partials =
         [](const Local& in, span<double> out) {
           double left = 1;
           for (std::size_t i = 0; i < out.size(); ++i) {
             out[i] = left;
             left *= in.a[i];
           }
           double right = 1;
           for (std::size_t i = out.size(); i-- > 0;) {
             out[i] *= right;
             right *= in.a[i];
           }
         },
     .derivative =
         [](const Symbolic& s) {
           Expr sum = 0;
           for (std::size_t i = 0; i < s.a.size(); ++i) {
             if (s.da[i].is_const(0)) continue;
             std::vector<Expr> others;
             for (std::size_t j = 0; j < s.a.size(); ++j)
               if (j != i) others.push_back(s.a[j]);
             sum = plus(sum, times(s.da[i], make_op(Op::Mul, others)));
           }
           return sum;
         }},
    // d/db b^e = e b^(e-1);  d/de b^e = b^e log b
    {.op = Op::Pow,
     .spell = infix("pow", "^", "^", Prec::Pow, 2, 2),
     .eval = UNARY_EVAL(std::pow(a[0], a[1])),
     .partials =
         [](const Local& in, span<double> out) {
           out[0] = in.a[1] == 0 ? 0 : in.a[1] * std::pow(in.a[0], in.a[1] - 1);
           out[1] = in.is_const(1) ? 0 : in.r * std::log(in.a[0]);
         },
     .derivative =
         [](const Symbolic& s) {
           const Expr &b = s.a[0], &e = s.a[1];
           return chain<2>(s, {e * pow(b, e - 1), s.r * log(b)});
         }},

    {.op = Op::Exp,
     .spell = fn("exp", "\\exp", "x", 1),
     .eval = UNARY_EVAL(std::exp(a[0])),
     .partials = [](const Local& in, span<double> out) { out[0] = in.r; },
     .derivative = [](const Symbolic& s) { return chain<1>(s, {s.r}); }},
    {.op = Op::Log,
     .spell = fn("log", "\\log", "x", 1),
     .eval = UNARY_EVAL(std::log(a[0])),
     .partials = [](const Local& in, span<double> out) { out[0] = 1 / in.a[0]; },
     .derivative = [](const Symbolic& s) { return chain<1>(s, {1 / s.a[0]}); }},
    {.op = Op::Sqrt,
     .spell = fn("sqrt", "\\sqrt", "x", 1),
     .eval = UNARY_EVAL(std::sqrt(a[0])),
     .partials = [](const Local& in, span<double> out) { out[0] = 0.5 / in.r; },
     .derivative = [](const Symbolic& s) { return chain<1>(s, {0.5 / s.r}); }},
    {.op = Op::Sin,
     .spell = fn("sin", "\\sin", "x", 1),
     .eval = UNARY_EVAL(std::sin(a[0])),
     .partials = [](const Local& in, span<double> out) { out[0] = std::cos(in.a[0]); },
     .derivative = [](const Symbolic& s) { return chain<1>(s, {cos(s.a[0])}); }},
    {.op = Op::Cos,
     .spell = fn("cos", "\\cos", "x", 1),
     .eval = UNARY_EVAL(std::cos(a[0])),
     .partials = [](const Local& in, span<double> out) { out[0] = -std::sin(in.a[0]); },
     .derivative = [](const Symbolic& s) { return chain<1>(s, {-sin(s.a[0])}); }},
    {.op = Op::Tanh,
     .spell = fn("tanh", "\\tanh", "x", 1),
     .eval = UNARY_EVAL(std::tanh(a[0])),
     .partials = [](const Local& in, span<double> out) { out[0] = 1 - in.r * in.r; },
     .derivative = [](const Symbolic& s) { return chain<1>(s, {1 - pow(s.r, 2)}); }},
    {.op = Op::Sigmoid,
     .spell = fn("sigmoid", "\\sigma", "x", 1),
     .eval = UNARY_EVAL(sigmoid_of(a[0])),
     .partials = [](const Local& in, span<double> out) { out[0] = in.r * (1 - in.r); },
     .derivative = [](const Symbolic& s) { return chain<1>(s, {s.r * (1 - s.r)}); }},
    {.op = Op::Softplus,
     .spell = fn("softplus", "\\operatorname{softplus}", "x", 1),
     .eval = UNARY_EVAL(softplus_of(a[0])),
     .partials = [](const Local& in, span<double> out) { out[0] = sigmoid_of(in.a[0]); },
     .derivative = [](const Symbolic& s) { return chain<1>(s, {sigmoid(s.a[0])}); }},

    // |x|: slopes -1 | 1, kink at 0
    {.op = Op::Abs,
     .spell = fn("abs", "", "x", 1),
     .eval = UNARY_EVAL(std::abs(a[0])),
     .partials =
         [](const Local& in, span<double> out) {
           out[0] = step(in.a[0], 0, -1, 1, at_kink(-1, 1, in.conv));
         },
     .derivative =
         [](const Symbolic& s) {
           return chain<1>(s, {step(s.a[0], 0, -1, 1, at_kink(Expr(-1), Expr(1), s.conv))});
         }},
    // sign jumps at 0; its slope is 0 on both sides, so every convention gives 0 there
    {.op = Op::Sign,
     .spell = fn("sign", "\\operatorname{sign}", "x", 1),
     .eval = UNARY_EVAL(std::isnan(a[0]) ? a[0] : (a[0] > 0) - (a[0] < 0)),
     .partials = no_partials,
     .derivative = zero_derivative},
    {.op = Op::Max,
     .spell = fn("max", "\\max", "a, b", 2),
     .eval = UNARY_EVAL(std::isnan(a[0]) || std::isnan(a[1]) ? nan_v : std::max(a[0], a[1])),
     .partials = [](const Local& in, span<double> out) { extremum_partials(in, out, true); },
     .derivative = [](const Symbolic& s) { return extremum_derivative(s, true); }},
    {.op = Op::Min,
     .spell = fn("min", "\\min", "a, b", 2),
     .eval = UNARY_EVAL(std::isnan(a[0]) || std::isnan(a[1]) ? nan_v : std::min(a[0], a[1])),
     .partials = [](const Local& in, span<double> out) { extremum_partials(in, out, false); },
     .derivative = [](const Symbolic& s) { return extremum_derivative(s, false); }},
    {.op = Op::Clamp,
     .spell = fn("clamp", "\\operatorname{clamp}", "x, lo, hi", 3),
     .eval = clamp_eval,
     .partials = clamp_row_partials,
     .derivative = clamp_derivative},

    {.op = Op::Lt,
     .spell = infix("lt", "<", "<", Prec::Compare, 2, 2),
     .eval = UNARY_EVAL(a[0] < a[1]),
     .partials = no_partials,
     .derivative = zero_derivative},
    {.op = Op::Le,
     .spell = infix("le", "<=", "\\leq", Prec::Compare, 2, 2),
     .eval = UNARY_EVAL(a[0] <= a[1]),
     .partials = no_partials,
     .derivative = zero_derivative},
    {.op = Op::Gt,
     .spell = infix("gt", ">", ">", Prec::Compare, 2, 2),
     .eval = UNARY_EVAL(a[0] > a[1]),
     .partials = no_partials,
     .derivative = zero_derivative},
    {.op = Op::Ge,
     .spell = infix("ge", ">=", "\\geq", Prec::Compare, 2, 2),
     .eval = UNARY_EVAL(a[0] >= a[1]),
     .partials = no_partials,
     .derivative = zero_derivative},
    {.op = Op::Eq,
     .spell = infix("eq", "==", "=", Prec::Compare, 2, 2),
     .eval = UNARY_EVAL(a[0] == a[1]),
     .partials = no_partials,
     .derivative = zero_derivative},
    {.op = Op::Ne,
     .spell = infix("ne", "!=", "\\neq", Prec::Compare, 2, 2),
     .eval = UNARY_EVAL(a[0] != a[1]),
     .partials = no_partials,
     .derivative = zero_derivative},
    {.op = Op::And,
     .spell = infix("and", "and", "\\land", Prec::And, 2, 2),
     .eval = UNARY_EVAL(a[0] != 0 && a[1] != 0 && !std::isnan(a[0]) && !std::isnan(a[1])),
     .partials = no_partials,
     .derivative = zero_derivative},
    {.op = Op::Or,
     .spell = infix("or", "or", "\\lor", Prec::Or, 2, 2),
     .eval = UNARY_EVAL((a[0] != 0 && !std::isnan(a[0])) || (a[1] != 0 && !std::isnan(a[1]))),
     .partials = no_partials,
     .derivative = zero_derivative},
    {.op = Op::Not,
     .spell = infix("not", "not", "\\lnot", Prec::Not, 1, 1),
     .eval = UNARY_EVAL(a[0] == 0),
     .partials = no_partials,
     .derivative = zero_derivative},

    // piecewise(c: a, otherwise: b): slope 1 into the branch taken; at the boundary of an
    // inequality the convention splits it between the branches (kink.hpp, boundary_weights)
    {.op = Op::Piecewise,
     .spell = fn("piecewise", "", "cond: value, ..., otherwise: value", 3),
     .eval = piecewise_eval,
     .partials = piecewise_partials,
     .derivative = piecewise_derivative},

    // relu(x) = max(0, x): slopes 0 | 1
    {.op = Op::Relu,
     .spell = fn("relu", "\\operatorname{relu}", "x", 1),
     .eval = UNARY_EVAL(relu_value(a[0])),
     .partials = [](const Local& in,
                    span<double> out) { out[0] = step(in.a[0], 0, 0, 1, at_kink(0, 1, in.conv)); },
     .derivative =
         [](const Symbolic& s) {
           return chain<1>(s, {step(s.a[0], 0, 0, 1, at_kink(Expr(0), Expr(1), s.conv))});
         }},
    {.op = Op::LeakyRelu,
     .spell = fn("leaky_relu", "\\operatorname{leaky\\_relu}", "x, alpha = 0.01", 1, 2),
     .eval = UNARY_EVAL(leaky_value(a[0], a[1])),
     .partials = leaky_partials,
     .derivative = leaky_derivative},
    {.op = Op::Prelu,
     .spell = fn("prelu", "\\operatorname{prelu}", "x, a", 2),
     .eval = UNARY_EVAL(leaky_value(a[0], a[1])),
     .partials = leaky_partials,
     .derivative = leaky_derivative},
    // elu(x, alpha): slopes alpha e^x | 1 (alpha | 1 at the kink); d/dalpha is e^x - 1 below 0
    {.op = Op::Elu,
     .spell = fn("elu", "\\operatorname{elu}", "x, alpha = 1", 1, 2),
     .eval = UNARY_EVAL(a[0] > 0 ? a[0] : a[1] * std::expm1(a[0])),
     .partials =
         [](const Local& in, span<double> out) {
           const double x = in.a[0], alpha = in.a[1];
           out[0] = step(x, 0, alpha * std::exp(x), 1, at_kink(alpha, 1, in.conv));
           out[1] = step(x, 0, std::expm1(x), 0, 0);
         },
     .derivative =
         [](const Symbolic& s) {
           const Expr &x = s.a[0], &alpha = s.a[1];
           return chain<2>(s, {step(x, 0, alpha * exp(x), 1, at_kink(alpha, Expr(1), s.conv)),
                               step(x, 0, exp(x) - 1, 0, 0)});
         }},
    {.op = Op::Hardtanh,
     .spell = fn("hardtanh", "\\operatorname{hardtanh}", "x, lo = -1, hi = 1", 1, 3),
     .eval = clamp_eval,
     .partials = clamp_row_partials,
     .derivative = clamp_derivative},
    {.op = Op::Relu6,
     .spell = fn("relu6", "\\operatorname{relu6}", "x", 1),
     .eval = UNARY_EVAL(clamp_of(a[0], 0, 6)),
     .partials = [](const Local& in,
                    span<double> out) { clamp_partials(in.a[0], 0, 6, in.conv, out); },
     .derivative =
         [](const Symbolic& s) { return chain<1>(s, {clamp_partials(s.a[0], 0, 6, s.conv)[0]}); }},
    // heaviside jumps at 0 (value 1/2 there, as SymPy); slope 0 on both sides
    {.op = Op::Heaviside,
     .spell = fn("heaviside", "\\operatorname{H}", "x", 1),
     .eval = UNARY_EVAL(a[0] > 0 ? 1.0 : (a[0] < 0 ? 0.0 : (a[0] == 0 ? 0.5 : a[0]))),
     .partials = no_partials,
     .derivative = zero_derivative},
};
#undef UNARY_EVAL

static_assert(std::size(rows) == op_count, "one row per op");
constexpr bool rows_in_enum_order() {
  for (int i = 0; i < op_count; ++i)
    if (static_cast<int>(rows[i].op) != i) return false;
  return true;
}
static_assert(rows_in_enum_order(), "rows are listed in the order of enum class Op");

}  // namespace

const OpRow& row(Op op) { return rows[static_cast<int>(op)]; }

}  // namespace slope::detail

namespace slope {

const OpSpelling& spelling(Op op) { return detail::row(op).spell; }
std::string_view op_name(Op op) { return detail::row(op).spell.name; }
bool is_comparison(Op op) { return op >= Op::Lt && op <= Op::Ne; }
bool is_activation(Op op) { return op >= Op::Relu; }

}  // namespace slope
