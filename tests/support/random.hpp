// SPDX-License-Identifier: MIT
// Shared test support: the workloads' splitmix64 generator and random expressions over every op.
#pragma once

#include <cmath>
#include <cstdint>
#include <string>
#include <vector>

#include "core/op_table.hpp"
#include "learn/splitmix.hpp"
#include "slope/slope.hpp"

namespace slope {
using ::slope::Env;
}

namespace slope::testing {

using SplitMix = learn::SplitMix;

/// Random expressions in the variables x and y, constants with two decimals. The classic mix
/// (the one the older tests' seeds were chosen with) has the ops slope started with, up to
/// heaviside; `every_op` adds the rows appended after it (erf onwards, read from the op table), so
/// a test that must see every op sees a new row without being edited.
class RandomExpr {
 public:
  explicit RandomExpr(std::uint64_t seed, bool every_op = false)
      : rng_(seed), every_op_(every_op) {}
  SplitMix& rng() { return rng_; }

  Expr leaf() {
    switch (rng_.below(5)) {
      case 0:
      case 1:
        return var("x");
      case 2:
        return var("y");
      default:
        return std::round(rng_.symmetric() * 300) / 100;  // e.g. -1.37
    }
  }
  Expr condition(int depth) {
    const Expr a = make(depth - 1), b = leaf();
    switch (rng_.below(8)) {
      case 0:
        return a < b;
      case 1:
        return a <= b;
      case 2:
        return a > b;
      case 3:
        return a >= b;
      case 4:
        return eq(a, b);
      case 5:
        return ne(a, b);
      case 6:
        return logical_and(a > b, make(depth - 1) < leaf());
      default:
        return rng_.below(2) ? logical_or(a > b, make(depth - 1) < leaf()) : logical_not(a > b);
    }
  }
  Expr make(int depth) {
    if (depth <= 0 || rng_.below(4) == 0) return leaf();
    auto sub = [&] { return make(depth - 1); };
    switch (rng_.below(every_op_ ? 34 : 27)) {
      case 0:
        return sub() + sub();
      case 1:
        return sub() - sub();
      case 2:
        return sub() * sub();
      case 3:
        return sub() / (sub() + 3.5);
      case 4:
        return pow(sub(), static_cast<double>(rng_.below(4)) + 1);
      case 5:
        return pow(abs(sub()) + 0.5, sub());
      case 6:
        return exp(sub() / 4);
      case 7:
        return log(abs(sub()) + 0.25);
      case 8:
        return sqrt(abs(sub()) + 0.25);
      case 9:
        return sin(sub());
      case 10:
        return cos(sub());
      case 11:
        return tanh(sub());
      case 12:
        return sigmoid(sub());
      case 13:
        return softplus(sub());
      case 14:
        return abs(sub());
      case 15:
        return sign(sub()) * sub();
      case 16:
        return max(sub(), sub());
      case 17:
        return min(sub(), sub());
      case 18:
        return clamp(sub(), -1, 1);
      case 19:
        return where(condition(depth), sub(), sub());
      case 20:
        return relu(sub());
      case 21:
        return leaky_relu(sub(), rng_.below(2) ? Expr(0.01) : sub());
      case 22:
        return prelu(sub(), sub());
      case 23:
        return elu(sub(), rng_.below(2) ? Expr(1) : Expr(0.5));
      case 24:
        return hardtanh(sub());
      case 25:
        return relu6(sub() * 4);
      case 26:
        return heaviside(sub()) + sub();
      default:
        return named_op(sub);
    }
  }

 private:
  /// A row appended after the classic mix on its fewest arguments; the first is often tripled,
  /// so kinks away from 0 (hardswish's at -3 and 3) are met where sub() is x = -1 or 1.
  template <class Sub>
  Expr named_op(Sub& sub) {
    const int first = static_cast<int>(Op::Heaviside) + 1;
    const auto op = static_cast<Op>(first + static_cast<int>(rng_.below(op_count - first)));
    std::vector<Expr> args;
    for (int i = 0; i < spelling(op).min_args; ++i)
      args.push_back(i == 0 && rng_.below(2) ? sub() * 3 : sub());
    return make_op(op, args);
  }

  SplitMix rng_;
  bool every_op_;
};

/// Central difference of f in `name` at env, step h.
inline double central_difference(const Expr& f, const Env& env, const std::string& name, double h) {
  Env up = env, down = env;
  up[name] += h;
  down[name] -= h;
  return (eval(f, up) - eval(f, down)) / (2 * h);
}

/// True when some inequality or max/min in f sits exactly on its boundary at env (a kink point,
/// even where the function happens to be smooth, e.g. `relu(x) > x` for x > 0).
inline bool on_a_boundary(const Expr& f, const Env& env) {
  for (const Expr& n : topological_order(f)) {
    const bool two_sided = n.op() == Op::Lt || n.op() == Op::Le || n.op() == Op::Gt ||
                           n.op() == Op::Ge || n.op() == Op::Max || n.op() == Op::Min;
    if (two_sided && eval(n.arg(0), env) == eval(n.arg(1), env)) return true;
  }
  return false;
}

/// Some piecewise of f has a comparison (its condition, or one its condition combines by and, or,
/// not) whose sides tie at env and may kink or jump there (an op
/// that may switch sits inside them): the tape reads such a tie exactly on each side of the
/// point, diff's formula through the derivatives of the sides' difference, so the two can differ
/// there (docs/conventions.md). Tests compare the tape with f's exact derivative at such points.
inline bool tie_read_exactly(const Expr& f, const Env& env) {
  for (const Expr& n : topological_order(f)) {
    if (n.op() != Op::Piecewise || !is_logical(n.arg(0).op())) continue;
    std::vector<Expr> compared;  // the condition, or those it combines by and, or, not
    detail::comparisons_in(n.arg(0), compared);
    for (const Expr& cond : compared) {
      if (eval(cond.arg(0), env) != eval(cond.arg(1), env)) continue;
      for (const Expr& side : {cond.arg(0), cond.arg(1)})
        for (const Expr& m : topological_order(side))
          if (m.size() && detail::may_switch(m.op())) return true;
    }
  }
  return false;
}

/// Equal to 1e-12 relative (rounding differs between e.g. expm1(x) and exp(x) - 1), or both NaN.
inline bool same_value(double a, double b) {
  if (std::isnan(a) || std::isnan(b)) return std::isnan(a) && std::isnan(b);
  return a == b || std::abs(a - b) <= 1e-12 * std::max(std::abs(a), std::abs(b));
}

}  // namespace slope::testing
