// SPDX-License-Identifier: MIT
// Range reasoning (an interval per node) and piecewise normalisation, as one bottom-up rebuild.
#include "slope/simplify.hpp"

#include <algorithm>
#include <cmath>
#include <limits>
#include <optional>

#include "slope/build.hpp"

namespace slope {
namespace {

constexpr double inf = std::numeric_limits<double>::infinity();
constexpr Interval everything{-inf, inf};

double times0(double a, double b) { return a == 0 || b == 0 ? 0 : a * b; }  // 0*inf = 0 for bounds

Interval hull(std::initializer_list<double> vs) {
  Interval r{inf, -inf};
  for (double v : vs)
    if (!std::isnan(v)) r = {std::min(r.lo, v), std::max(r.hi, v)};
  return r.lo > r.hi ? everything : r;
}
Interval join(Interval a, Interval b) { return {std::min(a.lo, b.lo), std::max(a.hi, b.hi)}; }
template <class F>
Interval monotone(Interval a, F f) {
  return hull({f(a.lo), f(a.hi)});
}

/// The bounds of one node from its arguments' bounds.
Interval node_bounds(const Expr& e, const std::vector<Interval>& a) {
  switch (e.op()) {
    case Op::Const:
      return {e.value(), e.value()};
    case Op::Var:
      return everything;
    case Op::Add: {
      Interval r{0, 0};
      for (const Interval& i : a) r = {r.lo + i.lo, r.hi + i.hi};
      return std::isnan(r.lo) || std::isnan(r.hi) ? everything : r;
    }
    case Op::Mul: {
      Interval r{1, 1};
      for (const Interval& i : a)
        r = hull({times0(r.lo, i.lo), times0(r.lo, i.hi), times0(r.hi, i.lo), times0(r.hi, i.hi)});
      return r;
    }
    case Op::Pow: {
      const Expr& n = e.arg(1);
      if (!n.is_const() || n.value() != std::floor(n.value()) || n.value() <= 0) {
        return a[0].lo >= 0 ? Interval{0, inf} : everything;
      }
      const double k = n.value();
      auto p = [k](double v) { return std::pow(v, k); };
      if (std::fmod(k, 2) != 0) return monotone(a[0], p);
      if (a[0].contains(0)) return {0, std::max(p(a[0].lo), p(a[0].hi))};
      return monotone(Interval{std::abs(a[0].lo), std::abs(a[0].hi)}, p);
    }
    case Op::Exp:
      return monotone(a[0], [](double v) { return std::exp(v); });
    case Op::Log:
      return {a[0].lo > 0 ? std::log(a[0].lo) : -inf, std::log(std::max(a[0].hi, 0.0))};
    case Op::Sqrt:
      return {std::sqrt(std::max(a[0].lo, 0.0)), std::sqrt(std::max(a[0].hi, 0.0))};
    case Op::Sin:
    case Op::Cos:
      return {-1, 1};
    case Op::Tanh:
      return monotone(a[0], [](double v) { return std::tanh(v); });
    case Op::Sigmoid:
      return monotone(a[0], [](double v) { return 1 / (1 + std::exp(-v)); });
    case Op::Softplus:
      return {0, a[0].hi > 30 ? inf : std::log1p(std::exp(a[0].hi))};
    case Op::Abs:
      if (a[0].lo >= 0) return a[0];
      if (a[0].hi <= 0) return {-a[0].hi, -a[0].lo};
      return {0, std::max(-a[0].lo, a[0].hi)};
    case Op::Sign:
      return monotone(a[0], [](double v) { return double((v > 0) - (v < 0)); });
    case Op::Max:
      return {std::max(a[0].lo, a[1].lo), std::max(a[0].hi, a[1].hi)};
    case Op::Min:
      return {std::min(a[0].lo, a[1].lo), std::min(a[0].hi, a[1].hi)};
    case Op::Clamp:
    case Op::Hardtanh:
      if (a[1].lo > a[2].hi) return a[2];  // crossed bounds give hi
      return {std::max(std::min(a[0].lo, a[2].lo), a[1].lo),
              std::min(std::max(a[0].hi, a[1].hi), a[2].hi)};
    case Op::Relu:
      return {std::max(a[0].lo, 0.0), std::max(a[0].hi, 0.0)};
    case Op::Relu6:
      return {std::clamp(a[0].lo, 0.0, 6.0), std::clamp(a[0].hi, 0.0, 6.0)};
    case Op::LeakyRelu:
    case Op::Prelu: {
      // x > 0 ? x : alpha*x: the positive part and the products over the alpha range.
      const Interval neg{std::min(a[0].lo, 0.0), std::min(a[0].hi, 0.0)};
      const Interval pos{std::max(a[0].lo, 0.0), std::max(a[0].hi, 0.0)};
      const Interval scaled = hull({times0(neg.lo, a[1].lo), times0(neg.lo, a[1].hi),
                                    times0(neg.hi, a[1].lo), times0(neg.hi, a[1].hi)});
      return join(a[0].hi > 0 ? pos : scaled, a[0].lo <= 0 ? scaled : pos);
    }
    case Op::Elu:
      if (a[1].lo >= 0) return {a[0].lo > 0 ? a[0].lo : -a[1].hi, std::max(a[0].hi, 0.0)};
      return everything;
    case Op::Heaviside:
      return monotone(a[0], [](double v) { return v > 0 ? 1.0 : (v < 0 ? 0.0 : 0.5); });
    case Op::Lt:
    case Op::Le:
    case Op::Gt:
    case Op::Ge:
    case Op::Eq:
    case Op::Ne:
    case Op::And:
    case Op::Or:
    case Op::Not:
      return {0, 1};
    case Op::Piecewise:
      return join(a[1], a[2]);
  }
  return everything;
}

/// A comparison the bounds of its sides decide: 1, 0, or nothing.
std::optional<double> decide(Op op, Interval l, Interval r) {
  switch (op) {
    case Op::Gt:
      if (l.lo > r.hi) return 1;
      if (l.hi <= r.lo) return 0;
      break;
    case Op::Ge:
      if (l.lo >= r.hi) return 1;
      if (l.hi < r.lo) return 0;
      break;
    case Op::Lt:
      return decide(Op::Gt, r, l);
    case Op::Le:
      return decide(Op::Ge, r, l);
    case Op::Eq:
      if (l.hi < r.lo || l.lo > r.hi) return 0;
      break;
    case Op::Ne:
      if (l.hi < r.lo || l.lo > r.hi) return 1;
      break;
    default:
      break;
  }
  return std::nullopt;
}

/// For `u OP c` with a constant c: the set of u it admits, as (lo, lo_open, hi, hi_open).
struct Half {
  Expr u;
  double lo, hi;
  bool lo_open, hi_open;
};
std::optional<Half> half_line(const Expr& cond) {
  if (cond.size() != 2 || !cond.arg(1).is_const()) return std::nullopt;
  const double c = cond.arg(1).value();
  switch (cond.op()) {
    case Op::Gt:
      return Half{cond.arg(0), c, inf, true, false};
    case Op::Ge:
      return Half{cond.arg(0), c, inf, false, false};
    case Op::Lt:
      return Half{cond.arg(0), -inf, c, false, true};
    case Op::Le:
      return Half{cond.arg(0), -inf, c, false, false};
    default:
      return std::nullopt;
  }
}
/// Does `outer` imply `inner` (both `u OP const` on the same u)?
bool implies(const Expr& outer, const Expr& inner) {
  auto o = half_line(outer), i = half_line(inner);
  if (!o || !i || !(o->u == i->u)) return false;
  const bool lo_ok = o->lo > i->lo || (o->lo == i->lo && (o->lo_open || !i->lo_open));
  const bool hi_ok = o->hi < i->hi || (o->hi == i->hi && (o->hi_open || !i->hi_open));
  return lo_ok && hi_ok;
}
/// not(u > c) is u <= c, and so on (numbers only: simplification assumes no NaN inputs).
std::optional<Expr> negation(const Expr& cond) {
  if (cond.size() != 2) return std::nullopt;
  const Expr &l = cond.arg(0), &r = cond.arg(1);
  switch (cond.op()) {
    case Op::Gt:
      return l <= r;
    case Op::Ge:
      return l < r;
    case Op::Lt:
      return l >= r;
    case Op::Le:
      return l > r;
    default:
      return std::nullopt;
  }
}
/// `a or b` as one half-line when one implies the other.
Expr either(const Expr& a, const Expr& b) {
  if (implies(a, b)) return b;
  if (implies(b, a)) return a;
  return logical_or(a, b);
}

std::vector<Expr> nonconstant_factors(const Expr& e) {
  if (e.op() != Op::Mul) return {e};
  std::vector<Expr> f;
  for (const Expr& a : e.args())
    if (!a.is_const()) f.push_back(a);
  return f;
}
/// e with one occurrence of the factor removed (structurally, so it always gets smaller).
Expr without(const Expr& e, const Expr& factor) {
  if (e == factor) return 1;
  std::vector<Expr> rest(e.args().begin(), e.args().end());
  rest.erase(std::find(rest.begin(), rest.end(), factor));
  return make_op(Op::Mul, rest);
}

class Simplifier {
 public:
  Expr run(const Expr& root) {
    for (const Expr& n : topological_order(root)) {
      std::vector<Expr> args;
      bool changed = false;
      for (const Expr& a : n.args()) {
        args.push_back(done_.at(a.node()));
        changed |= !(args.back() == a);
      }
      // A rule that fires gives the new node; otherwise the node is rebuilt only if an argument
      // changed (rebuilding an unchanged node would just look it up in the intern table again).
      std::optional<Expr> r = n.size() ? rewrite(n.op(), args) : std::nullopt;
      done_.emplace(n.node(), r ? *r : (changed ? make_op(n.op(), args) : n));
    }
    return done_.at(root.node());
  }

 private:
  std::unordered_map<const Node*, Expr> done_;
  std::unordered_map<const Node*, Interval> bounds_;

  /// Bounds, computed for the nodes not seen yet only (a walk that stops at known nodes).
  Interval b(const Expr& e) {
    std::vector<const Expr*> stack{&e};
    while (!stack.empty()) {
      const Expr& n = *stack.back();
      if (bounds_.count(n.node())) {
        stack.pop_back();
        continue;
      }
      bool ready = true;
      for (const Expr& c : n.args())
        if (!bounds_.count(c.node())) {
          stack.push_back(&c);
          ready = false;
        }
      if (!ready) continue;
      std::vector<Interval> a;
      for (const Expr& c : n.args()) a.push_back(bounds_.at(c.node()));
      bounds_.emplace(n.node(), node_bounds(n, a));
      stack.pop_back();
    }
    return bounds_.at(e.node());
  }

  std::optional<Expr> rewrite(Op op, const std::vector<Expr>& a) {
    const Expr& u = a[0];
    switch (op) {
      case Op::Relu:
        if (b(u).lo >= 0) return u;
        if (b(u).hi <= 0) return Expr(0);
        break;
      case Op::LeakyRelu:
      case Op::Prelu:
      case Op::Elu:
        if (b(u).lo >= 0) return u;
        if (op != Op::Elu && b(u).hi <= 0) return a[1] * u;
        break;
      case Op::Abs:
        if (b(u).lo >= 0) return u;
        if (b(u).hi <= 0) return -u;
        break;
      case Op::Max:
      case Op::Min: {
        const bool first_wins = op == Op::Max ? b(a[0]).lo >= b(a[1]).hi : b(a[0]).hi <= b(a[1]).lo;
        const bool second_wins =
            op == Op::Max ? b(a[1]).lo >= b(a[0]).hi : b(a[1]).hi <= b(a[0]).lo;
        if (first_wins) return a[0];
        if (second_wins) return a[1];
        break;
      }
      case Op::Clamp:
      case Op::Hardtanh:
        if (b(a[1]).hi <= b(u).lo && b(u).hi <= b(a[2]).lo) return u;
        break;
      case Op::Relu6:
        if (b(u).lo >= 0 && b(u).hi <= 6) return u;
        break;
      case Op::Lt:
      case Op::Le:
      case Op::Gt:
      case Op::Ge:
      case Op::Eq:
      case Op::Ne:
        if (auto d = decide(op, b(a[0]), b(a[1]))) return Expr(*d);
        break;
      case Op::Piecewise:
        return choose(a[0], a[1], a[2]);
      default:
        break;
    }
    return std::nullopt;
  }

  Expr choose(const Expr& c, Expr then, Expr other) {
    // A condition implied by the one enclosing it: where(u > 1, where(u > 0, p, q), r) -> p.
    while (then.op() == Op::Piecewise && implies(c, then.arg(0))) then = then.arg(1);
    // ... and likewise in the else branch, where the negated condition holds.
    if (auto not_c = negation(c))
      while (other.op() == Op::Piecewise && implies(*not_c, other.arg(0))) other = other.arg(1);
    // Neighbouring branches with equal values merge: where(c1, v, where(c2, v, r)).
    if (other.op() == Op::Piecewise && other.arg(1) == then)
      return choose(either(c, other.arg(0)), then, other.arg(2));
    // A factor common to both branches moves outside: where(c, w, 0.01*w) -> w*where(c, 1, 0.01).
    if (!then.is_const(0) && !other.is_const(0) && then.op() != Op::Piecewise &&
        other.op() != Op::Piecewise) {
      for (const Expr& f : nonconstant_factors(then)) {
        const auto of = nonconstant_factors(other);
        if (std::find(of.begin(), of.end(), f) != of.end() && !(then == f && other == f))
          return f * choose(c, without(then, f), without(other, f));
      }
    }
    return where(c, then, other);
  }
};

}  // namespace

Interval bounds(const Expr& e) {
  std::unordered_map<const Node*, Interval> known;
  for (const Expr& n : topological_order(e)) {
    std::vector<Interval> a;
    for (const Expr& c : n.args()) a.push_back(known.at(c.node()));
    known.emplace(n.node(), node_bounds(n, a));
  }
  return known.at(e.node());
}

Expr simplify(const Expr& e) {
  Expr current = e;
  for (int pass = 0; pass < 4; ++pass) {  // each pass is bottom-up; a fixpoint comes fast
    Expr next = Simplifier{}.run(current);
    if (next == current) break;
    current = next;
  }
  return current;
}

}  // namespace slope
