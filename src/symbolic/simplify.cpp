// SPDX-License-Identifier: MIT
// Range reasoning (an interval per node) and piecewise normalisation, as one bottom-up rebuild.
#include "slope/simplify.hpp"

#include <algorithm>
#include <cmath>
#include <limits>
#include <optional>
#include <string>

#include "core/id_map.hpp"
#include "core/op_table.hpp"
#include "core/rebuild.hpp"
#include "slope/build.hpp"
#include "symbolic/fold.hpp"

namespace slope {
namespace {

constexpr double inf = std::numeric_limits<double>::infinity();
constexpr Interval everything{-inf, inf};

/// The bounds of one node from its arguments' bounds: leaves here, every other op from its row.
Interval node_bounds(const Expr& e, const std::vector<Interval>& a) {
  if (e.is_const()) return {e.value(), e.value()};
  const auto rule = detail::row(e.op()).bounds;
  return rule ? rule(a) : everything;
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
    case Op::Eq:  // the closed interval [c, c]
      return Half{cond.arg(0), c, c, false, false};
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
  if (cond.size() != 2 || !is_comparison(cond.op())) return std::nullopt;
  return make_op(negated(cond.op()), std::vector<Expr>{cond.arg(0), cond.arg(1)});
}
/// u with its clamp bounds, for the ops that equal u between lo and hi and are flat outside.
struct Clamped {
  Expr u;
  double lo, hi;
};
std::optional<Clamped> clamped(const Expr& e) {
  switch (e.op()) {
    case Op::Relu:
      return Clamped{e.arg(0), 0, inf};
    case Op::Relu6:
      return Clamped{e.arg(0), 0, 6};
    case Op::Clamp:
    case Op::Hardtanh:
      if (e.arg(1).is_const() && e.arg(2).is_const())
        return Clamped{e.arg(0), e.arg(1).value(), e.arg(2).value()};
      return std::nullopt;
    default:
      return std::nullopt;
  }
}
/// `m(u) OP c` for a clamp-like m, as the same test on u where that is exact: relu(x) > 0 is
/// x > 0, relu(x) == 0 is x <= 0, clamp(x, 0, 1) >= 1 is x >= 1. (Cases the bounds decide, like
/// relu(x) >= 0, are left to `decide`.)
std::optional<Expr> unclamped(Op op, const Expr& lhs, const Expr& rhs) {
  const auto m = clamped(lhs);
  if (!m || !rhs.is_const() || !is_comparison(op)) return std::nullopt;
  const double c = rhs.value();
  if (m->lo < c && c < m->hi) return make_op(op, std::vector<Expr>{m->u, rhs});
  if (c == m->lo) {
    if (op == Op::Gt || op == Op::Le) return make_op(op, std::vector<Expr>{m->u, rhs});
    if (op == Op::Eq) return m->u <= rhs;
    if (op == Op::Ne) return m->u > rhs;
  }
  if (c == m->hi) {
    if (op == Op::Ge || op == Op::Lt) return make_op(op, std::vector<Expr>{m->u, rhs});
    if (op == Op::Eq) return m->u >= rhs;
    if (op == Op::Ne) return m->u < rhs;
  }
  return std::nullopt;
}

/// `m(u) OP 0` as `u OP 0` for an op that keeps the sign of u: leaky_relu, prelu and elu with a
/// positive slope, tanh, sign, and odd powers. Nested leaky_relu then tests x itself, and fold can
/// solve it.
bool keeps_sign(const Expr& e) {
  switch (e.op()) {
    case Op::LeakyRelu:
    case Op::Prelu:
    case Op::Elu:
      return e.arg(1).is_const() && e.arg(1).value() > 0;
    case Op::Tanh:
    case Op::Sign:
      return true;
    case Op::Pow:  // odd powers: relu(x^3)' tests x^3 > 0, which is x > 0
      return e.arg(1).is_const() && e.arg(1).value() > 0 && std::fmod(e.arg(1).value(), 2) == 1;
    default:
      return false;
  }
}
std::optional<Expr> sign_kept(Op op, const Expr& lhs, const Expr& rhs) {
  if (!rhs.is_const(0) || !is_comparison(op) || !keeps_sign(lhs)) return std::nullopt;
  Expr u = lhs;
  while (keeps_sign(u)) u = u.arg(0);  // every layer at once: one pass for a whole chain
  return make_op(op, std::vector<Expr>{u, rhs});
}

/// `m(u) OP 0` for an m that is 0 only where u is: abs(u) and even powers (relu(x^2)' tests
/// x^2 > 0, which is x != 0), and exp, sigmoid and softplus, which are never 0 (where a double
/// underflows to 0 the branches agree anyway: both are 0).
std::optional<Expr> zero_test(Op op, const Expr& lhs, const Expr& rhs) {
  if (!rhs.is_const(0) || lhs.size() == 0) return std::nullopt;
  const bool even_power = lhs.op() == Op::Pow && lhs.arg(1).is_const() && lhs.arg(1).value() > 0 &&
                          std::fmod(lhs.arg(1).value(), 2) == 0;
  if (even_power || lhs.op() == Op::Abs) {
    const Expr& u = lhs.arg(0);
    if (op == Op::Gt || op == Op::Ne) return ne(u, rhs);
    if (op == Op::Le || op == Op::Eq) return eq(u, rhs);
  }
  if (lhs.op() == Op::Exp || lhs.op() == Op::Sigmoid || lhs.op() == Op::Softplus) {
    if (op == Op::Gt || op == Op::Ne) return Expr(1);
    if (op == Op::Le || op == Op::Eq) return Expr(0);
  }
  return std::nullopt;
}

/// `3*x > x + 1` as `2*x - 1 > 0`, which fold solves (x > 0.5): x on both sides, rising (or
/// falling) on both, is a comparison fold cannot split exactly as written.
std::optional<Expr> one_sided_comparison(Op op, const Expr& lhs, const Expr& rhs) {
  std::string x;
  int left_uses = 0, right_uses = 0;
  const auto l = detail::affine(lhs, x, left_uses);
  const auto r = l ? detail::affine(rhs, x, right_uses) : std::nullopt;
  if (!r || left_uses != 1 || right_uses != 1 || !(l->a * r->a > 0)) return std::nullopt;
  const Expr gap = (l->a - r->a) * var(x) + (l->b - r->b);
  return make_op(op, std::vector<Expr>{gap, Expr(0)});
}

/// The conjuncts of `a and (b and c)`: a, b, c.
void conjuncts(const Expr& e, std::vector<Expr>& out) {
  if (e.op() != Op::And) return out.push_back(e);
  for (const Expr& a : e.args()) conjuncts(a, out);
}
/// `u == 0` and `p OP 0` with OP one of !=, >, < and u a factor of the product p (or p itself,
/// or a positive power of u): p is 0 wherever u is, so they never hold together. diff's tie rule
/// builds them: sin(x) == 0 and sin(x)*cos(x) != 0 (a crossing of sin(x)^2 > 0).
bool zero_factor_excludes(const Expr& zero, const Expr& strict) {
  if (zero.op() != Op::Eq || !zero.arg(1).is_const(0)) return false;
  if (strict.op() != Op::Ne && strict.op() != Op::Gt && strict.op() != Op::Lt) return false;
  if (!strict.arg(1).is_const(0)) return false;
  const Expr& u = zero.arg(0);
  const auto vanishes_with_u = [&](const Expr& f) {
    return f == u ||
           (f.op() == Op::Pow && f.arg(0) == u && f.arg(1).is_const() && f.arg(1).value() > 0);
  };
  const Expr& p = strict.arg(0);
  if (vanishes_with_u(p)) return true;
  return p.op() == Op::Mul && std::any_of(p.args().begin(), p.args().end(), vanishes_with_u);
}
/// `a and b` can never hold: some conjunct is another's negation, two half-lines on the same
/// u are disjoint (x > 0 and x <= 0), or a factor's zero rules out a product's sign; an `or`
/// never holds with b when neither of its sides does. The tie rule of diff builds such
/// conjunctions.
bool contradicts(const Expr& a, const Expr& b) {
  for (const auto& [either_side, other] : {std::pair{a, b}, std::pair{b, a}})
    if (either_side.op() == Op::Or)
      return contradicts(either_side.arg(0), other) && contradicts(either_side.arg(1), other);
  std::vector<Expr> all;
  conjuncts(a, all);
  conjuncts(b, all);
  for (std::size_t i = 0; i < all.size(); ++i)
    for (std::size_t j = i + 1; j < all.size(); ++j) {
      if (auto n = negation(all[i]); n && *n == all[j]) return true;
      if (zero_factor_excludes(all[i], all[j]) || zero_factor_excludes(all[j], all[i])) return true;
      auto p = half_line(all[i]), q = half_line(all[j]);
      if (!p || !q || !(p->u == q->u)) continue;
      const double lo = std::max(p->lo, q->lo), hi = std::min(p->hi, q->hi);
      const bool open = (p->lo == lo && p->lo_open) || (q->lo == lo && q->lo_open) ||
                        (p->hi == hi && p->hi_open) || (q->hi == hi && q->hi_open);
      if (lo > hi || (lo == hi && open)) return true;
    }
  return false;
}
/// Some conjunct of `outer` implies `inner` (a condition implies itself).
bool implied_by(const Expr& outer, const Expr& inner) {
  if (outer == inner) return true;
  std::vector<Expr> all;
  conjuncts(outer, all);
  return std::any_of(all.begin(), all.end(), [&](const Expr& c) { return implies(c, inner); });
}
/// `a or b` on the same u as one half-line where together they are one: u == 1 or u > 1 is
/// u >= 1 (where(x^2 > 1, 1, x^2)' was `0 if x^2 == 1 or x^2 > 1`).
std::optional<Expr> joined(const Expr& a, const Expr& b) {
  const auto p = half_line(a), q = half_line(b);
  if (!p || !q || !(p->u == q->u)) return std::nullopt;
  // they meet or overlap: no gap between them
  const auto meets = [](const Half& l, const Half& r) {
    return l.hi > r.lo || (l.hi == r.lo && !(l.hi_open && r.lo_open));
  };
  if (!(p->lo <= q->lo ? meets(*p, *q) : meets(*q, *p))) return std::nullopt;
  const bool lo_first = p->lo < q->lo || (p->lo == q->lo && !p->lo_open);
  const double lo = std::min(p->lo, q->lo), hi = std::max(p->hi, q->hi);
  const bool lo_open = (lo_first ? *p : *q).lo_open;
  const bool hi_first = p->hi > q->hi || (p->hi == q->hi && !p->hi_open);
  const bool hi_open = (hi_first ? *p : *q).hi_open;
  const Expr c_lo = Expr(lo), c_hi = Expr(hi);
  if (lo == -inf && hi == inf) return Expr(1);
  if (lo == -inf) return make_op(hi_open ? Op::Lt : Op::Le, std::vector<Expr>{p->u, c_hi});
  if (hi == inf) return make_op(lo_open ? Op::Gt : Op::Ge, std::vector<Expr>{p->u, c_lo});
  return std::nullopt;  // a bounded interval is two comparisons as it is
}
/// `a or b` as one half-line when one implies the other, or when together they are one.
Expr either(const Expr& a, const Expr& b) {
  if (implies(a, b)) return b;
  if (implies(b, a)) return a;
  if (const auto j = joined(a, b)) return *j;
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
  /// `known`: a variable known to lie in an interval (fold simplifies each piece on its own).
  /// `bounds`: each node's bounds under `known`, kept across passes (a node's bounds never
  /// change, and most nodes of one pass are in the next).
  Simplifier(const detail::KnownRange& known, detail::IdMap<Interval>& bounds)
      : bounds_(bounds), known_(known) {}
  Expr run(const Expr& root) {
    // A rule that fires gives the node's new form; otherwise it is rebuilt over its arguments.
    return detail::rebuild(root, [this](const Expr& n, const std::vector<Expr>& args) {
      return n.size() ? rewrite(n.op(), args) : std::nullopt;
    });
  }

 private:
  detail::IdMap<Interval>& bounds_;
  std::vector<Interval> scratch_;   // a node's argument bounds
  std::vector<const Expr*> stack_;  // b's walk
  detail::KnownRange known_;

  /// Bounds, computed for the nodes not seen yet only (a walk that stops at known nodes).
  Interval b(const Expr& e) {
    std::vector<const Expr*>& stack = stack_;
    stack.assign(1, &e);
    while (!stack.empty()) {
      const Expr& n = *stack.back();
      if (bounds_.contains(n.id())) {
        stack.pop_back();
        continue;
      }
      bool ready = true;
      for (const Expr& c : n.args())
        if (!bounds_.contains(c.id())) {
          stack.push_back(&c);
          ready = false;
        }
      if (!ready) continue;
      scratch_.clear();
      for (const Expr& c : n.args()) scratch_.push_back(bounds_.at(c.id()));
      const bool known = n.is_var() && n.name() == known_.name;
      bounds_.emplace(n.id(), known ? Interval{known_.lo, known_.hi} : node_bounds(n, scratch_));
      stack.pop_back();
    }
    return bounds_.at(e.id());
  }

  /// u clamped to [lo, hi] where its range decides it: u itself inside, a bound it stays past
  /// (bounds that may cross are left alone).
  std::optional<Expr> clamp_rewrite(const Expr& u, const Expr& lo, const Expr& hi) {
    if (b(lo).hi > b(hi).lo) return std::nullopt;
    if (b(lo).hi <= b(u).lo && b(u).hi <= b(hi).lo) return u;
    if (b(u).hi <= b(lo).lo) return lo;
    if (b(u).lo >= b(hi).hi) return hi;
    return std::nullopt;
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
        // bounds of each overlap, yet their difference may keep one sign: max(x, 0.5*x) is
        // 0.5*x wherever x <= 0, as x - 0.5*x = 0.5*x <= 0 there
        const Interval gap = b(a[0] - a[1]);
        if (gap.lo >= 0) return op == Op::Max ? a[0] : a[1];
        if (gap.hi <= 0) return op == Op::Max ? a[1] : a[0];
        break;
      }
      case Op::Clamp:
      case Op::Hardtanh:
        return clamp_rewrite(u, a[1], a[2]);
      case Op::Relu6:
        return clamp_rewrite(u, 0, 6);
      case Op::Piecewise:
        return choose(a[0], a[1], a[2]);
      case Op::Not:
        return negation(u);
      case Op::And:
        if (contradicts(a[0], a[1])) return Expr(0);
        if (implies(a[0], a[1])) return a[0];  // x > 1 and x > 0 is x > 1
        if (implies(a[1], a[0])) return a[1];
        break;
      case Op::Or:  // a condition or its negation always holds (diff's tie rules build them)
        if (auto n = negation(a[0]); n && *n == a[1]) return Expr(1);
        if (implies(a[0], a[1])) return a[1];
        if (implies(a[1], a[0])) return a[0];
        if (auto j = joined(a[0], a[1])) return j;
        break;
      default:
        if (is_comparison(op)) {
          if (auto d = decide(op, b(a[0]), b(a[1]))) return Expr(*d);
          if (auto s = sign_kept(op, a[0], a[1])) return s;
          if (auto z = zero_test(op, a[0], a[1])) return z;
          if (auto o = one_sided_comparison(op, a[0], a[1])) return o;
          return unclamped(op, a[0], a[1]);
        }
        break;
    }
    return std::nullopt;
  }

  Expr choose(const Expr& c, Expr then, Expr other) {
    // A condition implied by the one enclosing it: where(u > 1, where(u > 0, p, q), r) -> p;
    // or ruled out by it: where(u == 0 and v > 0, where(u != 0, p, q), r) -> q.
    for (bool changed = true; changed && then.op() == Op::Piecewise;) {
      changed = true;
      if (implied_by(c, then.arg(0)))
        then = then.arg(1);
      else if (contradicts(c, then.arg(0)))
        then = then.arg(2);
      else
        changed = false;
    }
    // ... and likewise in the else branch, where the negated condition holds.
    if (auto not_c = negation(c))
      while (other.op() == Op::Piecewise && implies(*not_c, other.arg(0))) other = other.arg(1);
    // Neighbouring branches with equal values merge: where(c1, v, where(c2, v, r)).
    if (other.op() == Op::Piecewise && other.arg(1) == then)
      return choose(either(c, other.arg(0)), then, other.arg(2));
    // A first branch the last repeats, under a condition every one between excludes, is the
    // last: where(u == 4, 0, where(u > 4, 1, 0)) is where(u > 4, 1, 0).
    if (other.op() == Op::Piecewise) {
      Expr rest = other;
      while (rest.op() == Op::Piecewise && contradicts(c, rest.arg(0))) rest = rest.arg(2);
      if (rest == then) return other;
    }
    // A factor common to both branches moves outside: where(c, w, 0.01*w) -> w*where(c, 1, 0.01).
    // Only between short products, and never a piecewise factor: lifting where(c, d, 0.5*d) to
    // d*where(c, 1, 0.5) at every layer of a chain built one product of k factors per layer
    // (quadratic in depth, and cubic with the search); kept, the chain stays linear.
    const auto tf = nonconstant_factors(then), of = nonconstant_factors(other);
    if (!then.is_const(0) && !other.is_const(0) && then.op() != Op::Piecewise &&
        other.op() != Op::Piecewise && tf.size() <= 4 && of.size() <= 4) {
      for (const Expr& f : tf)
        if (f.op() != Op::Piecewise && std::find(of.begin(), of.end(), f) != of.end() &&
            !(then == f && other == f))
          return f * choose(c, without(then, f), without(other, f));
    }
    return where(c, then, other);
  }
};

}  // namespace

Interval bounds(const Expr& e) {
  detail::IdMap<Interval> known;
  std::vector<Interval> a;
  for (const Expr& n : topological_order(e)) {
    a.clear();
    for (const Expr& c : n.args()) a.push_back(known.at(c.id()));
    known.emplace(n.id(), node_bounds(n, a));
  }
  return known.at(e.id());
}

namespace {
Expr bottom_up_passes(const Expr& e, const detail::KnownRange& known) {
  detail::IdMap<Interval> bounds;
  Expr current = e;
  for (int pass = 0; pass < 4; ++pass) {  // each pass is bottom-up; a fixpoint comes fast
    Expr next = Simplifier{known, bounds}.run(current);
    if (next == current) break;
    current = next;
  }
  return current;
}
}  // namespace

Expr simplify(const Expr& e) {
  const Expr reduced = bottom_up_passes(e, {});
  if (const auto x = detail::fold_variable(reduced))
    return detail::fold(reduced, *x, bottom_up_passes);
  return reduced;
}

Expr fold(const Expr& e, std::string_view x) {
  return detail::fold(bottom_up_passes(e, {}), x, bottom_up_passes);
}

}  // namespace slope
