// SPDX-License-Identifier: MIT
#include "symbolic/side.hpp"

#include <algorithm>
#include <cmath>
#include <limits>
#include <map>
#include <set>
#include <utility>

#include "core/kink.hpp"
#include "core/node_memo.hpp"
#include "core/op_table.hpp"
#include "core/switches.hpp"
#include "core/zero_stretch.hpp"
#include "slope/build.hpp"
#include "slope/diff.hpp"
#include "slope/simplify.hpp"
#include "symbolic/affinity.hpp"
#include "symbolic/raw_derivative.hpp"

namespace slope::detail {

namespace {
constexpr int highest_order = 8;  // x^8 at 0 is decided; x^9 and flatter count as a tie

int sign_of(double v) { return (v > 0) - (v < 0); }

bool same_up_to_order(const Expr& a, const Expr& b);

/// Each of a matches a different one of b, same_up_to_order.
bool same_multiset(std::span<const Expr> a, std::span<const Expr> b) {
  if (a.size() != b.size()) return false;
  std::vector<bool> used(b.size());
  for (const Expr& x : a) {
    bool found = false;
    for (std::size_t j = 0; j < b.size() && !found; ++j)
      if (!used[j] && same_up_to_order(x, b[j])) used[j] = found = true;
    if (!found) return false;
  }
  return true;
}

/// a and b are the same up to the order of the terms of sums and the factors of products
/// (sin(x)*cos(x) and cos(x)*sin(x)).
bool same_up_to_order(const Expr& a, const Expr& b) {
  if (a == b) return true;
  if (a.op() != b.op() || a.size() != b.size() || a.size() == 0) return false;
  if (a.op() == Op::Add || a.op() == Op::Mul) return same_multiset(a.args(), b.args());
  for (std::size_t i = 0; i < a.size(); ++i)
    if (!same_up_to_order(a.arg(i), b.arg(i))) return false;
  return true;
}

/// A term as its number and the rest of its factors: 8*sin(x)^2 is 8 and sin(x)^2.
std::pair<double, std::vector<Expr>> coefficient(const Expr& term) {
  if (term.op() != Op::Mul) return {1.0, {term}};
  std::vector<Expr> rest;
  double c = 1;
  for (const Expr& f : term.args()) {
    if (f.is_const())
      c *= f.value();
    else
      rest.push_back(f);
  }
  return {c, rest};
}

/// a is a non-zero number times b, up to order: 8*sin(x)^2 - 8*cos(x)^2 and
/// 2*cos(x)^2 - 2*sin(x)^2 are 0 at the same points.
bool proportional(const Expr& a, const Expr& b) {
  if (same_up_to_order(a, b)) return true;
  const bool sums = a.op() == Op::Add && b.op() == Op::Add;
  const auto terms_a = sums ? std::vector<Expr>(a.args().begin(), a.args().end()) : std::vector{a};
  const auto terms_b = sums ? std::vector<Expr>(b.args().begin(), b.args().end()) : std::vector{b};
  if (terms_a.size() != terms_b.size()) return false;
  double ratio = 0;
  std::vector<bool> used(terms_b.size());
  for (const Expr& t : terms_a) {
    const auto [ca, rest_a] = coefficient(t);
    bool found = false;
    for (std::size_t j = 0; j < terms_b.size() && !found; ++j) {
      if (used[j]) continue;
      const auto [cb, rest_b] = coefficient(terms_b[j]);
      if (!same_multiset(rest_a, rest_b) || ca == 0 || cb == 0) continue;
      if (ratio == 0) ratio = ca / cb;
      found = used[j] = ca / cb == ratio;
    }
    if (!found) return false;
  }
  return std::isfinite(ratio) && ratio != 0;
}

/// e has at most `budget` nodes, counted as a tree (a shared node counts each time it is met).
bool within_nodes(const Expr& e, int& budget) {
  if (--budget < 0) return false;
  for (const Expr& a : e.args())
    if (!within_nodes(a, budget)) return false;
  return true;
}
}  // namespace

Side::Side(std::string_view x, const Env& at, int direction)
    : Side(std::vector<Move>{{std::string(x), direction}}, at) {}

Side::Side(std::vector<Move> moves, const Env& at)
    : moves_(std::move(moves)), at_(at), values_(at), derivatives_(moves_.size()) {
  // rounding in a piece evaluated at the point: a few ulps of the largest coordinate, or of 1
  double scale = 1;
  for (const auto& [name, v] : at_)
    if (std::isfinite(v)) scale = std::max(scale, std::abs(v));
  rounding_ = 64 * std::numeric_limits<double>::epsilon() * scale;
}

int Side::sign(const Expr& smooth) const {
  // A pole has no expansion, and its value at the point (1/0 is +inf) says nothing of a side
  // (1/x is negative left of 0): there the sign is read just off the point.
  const double v = values_(smooth);
  if (std::isinf(v)) return sign_beside(smooth, false);
  if (std::isnan(v)) {  // no value here (sin(x)/x at 0): a limit's sign, if it has one
    const int s = sign_beside(smooth, false);
    if (s == 0) undetermined_ = true;  // sin(1/x) at 0 takes both signs on every side
    return s;
  }
  if (v == 0 && !smooth.is_const() && moves_.size() == 1)
    if (const int s = sign_past_rounded_zero(smooth)) return s;
  int budget = 4096;  // derivatives evaluated at most: beyond it, a tie
  if (const int s = lexicographic(smooth, static_cast<int>(moves_.size()) - 1, budget)) return s;
  // flat to the 8th order (x^9 at 0), or zero on a whole stretch (then 0 at every step)
  return smooth.is_const() ? 0 : sign_beside(smooth, true);
}

int Side::sign_beside(const Expr& e, bool shrinking) const {
  // ten steps from 2^-24 down to 2^-51, irregular so that no oscillation (sin(1/x)) is met at
  // one phase each time. The points are the same whatever e is, and their values are kept: the
  // pieces of a chain are each the piece below and one layer more, so evaluating each afresh was
  // quadratic in the depth (a 5,000-deep relu chain whose weights overflow: 35 s).
  constexpr int steps = 10;
  if (beside_.empty())
    for (int k = 0; k < steps; ++k) {
      Env off = at_;
      int scale = -24 - 3 * k;  // each move far smaller than the one before
      for (const Move& m : moves_) {
        double& v = off[m.var];
        v += m.direction * std::ldexp((1 + 0.37 * k) * std::max(1.0, std::abs(v)), scale);
        scale -= 10;
      }
      beside_.emplace_back(std::move(off));
    }
  int sign = 0;
  double previous = HUGE_VAL;
  for (int k = 0; k < steps; ++k) {
    const double beside = beside_[k](e);
    const int s = std::isnan(beside) ? 0 : sign_of(beside);
    if (s == 0 || (sign != 0 && s != sign)) return 0;
    if (shrinking && !(std::abs(beside) < 0.5 * previous)) return 0;
    sign = s;
    previous = std::abs(beside);
  }
  return sign;
}

int Side::sign_past_rounded_zero(const Expr& e) const {
  const Move& m = moves_.front();
  const double x0 = at_.at(m.var);
  if (!std::isfinite(x0)) return 0;
  Env off = at_;
  double& x = off[m.var];
  Evaluator e_at(e);  // prepared once: the walk below evaluates e often
  const auto at = [&](double v) {
    x = v;
    return e_at.value(off);
  };
  if (at(std::nextafter(x0, -HUGE_VAL)) != 0 || at(std::nextafter(x0, HUGE_VAL)) != 0) return 0;
  // as far as rounding reaches: a zero of order k rounds to 0 within about (2^-53)^(1/k) of it,
  // 1.5e-8 for 1 - cos(x)
  const double reach = 1e-6 * std::max(1.0, std::abs(x0));
  // (not a structured binding: the lambda below captures the ends, which C++20 clang refuses)
  const std::pair<double, double> stretch =
      zero_stretch([&](double v) { return at(v) == 0; }, x0, reach, -HUGE_VAL, HUGE_VAL);
  const double lo = stretch.first, hi = stretch.second;
  const int below = sign_past(at, lo, -1, hi - lo), above = sign_past(at, hi, +1, hi - lo);
  if (below == 0 || above == 0) return 0;
  if (below == above) return below;  // a touch: the same sign on both sides of it
  // a crossing inside the stretch, where the kink search puts it: a point of the stretch beside
  // it is on one side of it (relu(exp(x) - 1) at 1e-17 is right of its kink at 0)
  const double crossing = simplest_double(lo, hi);
  if (x0 == crossing) return m.direction > 0 ? above : below;
  return x0 < crossing ? below : above;
}

// The sign of e(x0 + t_0 d_0 + ... + t_k d_k) with t_0 >> t_1 >> ... >> t_k > 0: a term with a
// lower power of the slowest move t_k dominates every term with a higher one, so the powers of
// t_k are tried in turn, each with the faster moves' expansion inside.
int Side::lexicographic(const Expr& e, int k, int& budget) const {
  if (k < 0) {
    const auto evaluated = as_evaluated_.find(e.id());
    const double v = evaluated != as_evaluated_.end() ? evaluated->second : values_(e);
    return std::isnan(v) ? 0 : sign_of(v);
  }
  const Move& m = moves_[static_cast<std::size_t>(k)];
  Expr d = e;
  int toward = 1;  // direction^b
  for (int b = 0; b <= highest_order && budget > 0; ++b, --budget) {
    if (b > 0) {
      // unsimplified, kept across calls: the pieces of a chain share their nodes, and only their
      // values are read (each new piece of an abs chain costs O(1), where diff walked it whole)
      d = raw_derivative(d, m.var, Convention::min_norm, derivatives_[static_cast<std::size_t>(k)]);
      toward *= m.direction;
    }
    if (d.is_const(0)) return 0;  // every higher derivative vanishes too
    if (const int s = lexicographic(d, k - 1, budget)) return s * toward;
  }
  return 0;
}

std::vector<Move> all_moving(const std::vector<std::string>& vars, int direction) {
  std::vector<Move> moves;
  for (const std::string& v : vars) moves.push_back({v, direction});
  return moves;
}

bool stays_zero(const Expr& g, const std::vector<std::string>& vars, const Env& at) {
  Side below(all_moving(vars, -1), at), above(all_moving(vars, +1), at);
  return stays_zero(g, below, above);
}

bool stays_zero(const Expr& g, Side& below, Side& above) {
  return below.sign(below.piece(g)) == 0 && above.sign(above.piece(g)) == 0;
}

std::vector<ExactTie> exact_ties(const Expr& piecewise, std::string_view x) {
  std::vector<ExactTie> ties;
  const Expr& cond = piecewise.arg(0);
  int nodes = 64;
  if (!is_logical(cond.op()) || !within_nodes(cond, nodes)) return ties;
  const auto names = variables(cond);
  if (names.size() != 1 || names[0] != x) return ties;
  const bool logic = !is_comparison(cond.op()), weighs = logic && weighs_boundary(cond);
  std::vector<Expr> compared;
  comparisons_in(cond, compared);
  // the functions whose zeros may be such ties, each with the comparison that ties there
  std::vector<std::pair<Expr, Expr>> zeros;
  for (const Expr& c : compared) {
    const Expr gap = c.arg(0) - c.arg(1);
    // an inequality's own crossing is sides_part's, unless combined with others
    if (logic || !is_inequality(c.op())) zeros.emplace_back(gap, c);
    bool may_jump_or_kink = false;  // else sides_part reads every tie
    for (const Expr& n : topological_order(c))
      may_jump_or_kink |= n.size() && !(n == c) && may_switch(n.op());
    if (may_jump_or_kink)
      for (const Switch& s : switches(gap)) zeros.emplace_back(s.g, c);
  }
  const std::string name(x);
  const bool branches_in_x = variables(piecewise).size() == 1;  // (cond holds x)
  Affinity affinity(x);
  std::vector<double> points;
  for (auto [g, c] : zeros) {
    while (g.op() == Op::Pow && g.arg(1).is_const() && g.arg(1).value() > 0)
      g = g.arg(0);  // u^k is 0 where u is
    if (affinity.of(g) != Affinity::affine) continue;
    const Expr slope = diff(g, x);
    if (!slope.is_const() || slope.value() == 0) continue;
    const double p = -eval(g, {{name, 0.0}}) / slope.value() + 0.0;  // + 0.0: no -0
    const Env at{{name, p}};
    // the zero exact in doubles, the sides tied there, each point once
    if (!std::isfinite(p) || eval(g, at) != 0 || eval(c.arg(0), at) != eval(c.arg(1), at) ||
        std::find(points.begin(), points.end(), p) != points.end())
      continue;
    const TieSides sides = tie_sides(cond, x, at);
    // a combination's formula reads a tie where both sides take the branch taken at the point,
    // and its boundaries where the convention does not weigh them (the branch taken)
    const auto both = sides.both();
    if (logic && (both ? *both == (eval(cond, at) != 0) : !weighs)) continue;
    points.push_back(p);
    std::optional<bool> meet;
    if (branches_in_x)
      meet = meet_within_rounding(eval(piecewise.arg(1), at), eval(piecewise.arg(2), at));
    ties.push_back({eq(var(name), p), both, sides.branch_above(), meet});
  }
  return ties;
}

SidesPart sides_part(const Expr& gap_slope, std::string_view x) {
  SidesPart part{nonzero(gap_slope), 0, 0};
  // The derivatives below have ties of their own, read one level down to the second order
  // (the slope of clamp(x^2, 0, 1) switches where x^2 touches 0), and no further: each level
  // multiplies the derivatives taken.
  static thread_local int depth = 0;
  int nodes = 64;
  if (depth >= 2 || part.crosses.is_const() || !within_nodes(gap_slope, nodes)) return part;
  const int highest = depth == 0 ? highest_order : 2;
  ++depth;
  struct Leave {
    ~Leave() { --depth; }
  } leave;
  Expr d = gap_slope;
  Expr parted = part.crosses;           // some lower order is not 0
  std::vector<Expr> tested{gap_slope};  // the derivatives tested so far
  for (int order = 2; order <= highest && !parted.is_const(1); ++order) {
    d = diff(d, x, Convention::undefined);
    if (d.is_const(0)) break;  // every higher derivative vanishes too
    // A derivative a number times a lower one (sin, cos, -sin, -cos, ... repeat): where that
    // order vanishes this one does too, so it decides nothing, and would only lengthen the rule.
    if (std::any_of(tested.begin(), tested.end(),
                    [&](const Expr& lower) { return proportional(d, lower); }))
      continue;
    tested.push_back(d);
    const Expr test = nonzero(d);
    const Expr first = logical_not(parted);  // this order decides where the lower ones vanish
    if (order % 2 == 1) {
      part.crosses = logical_or(part.crosses, logical_and(first, test));
    } else {
      const Expr positive = branchwise(d, [](const Expr& v) { return v > 0; });
      const Expr negative = branchwise(d, [](const Expr& v) { return v < 0; });
      part.above = logical_or(part.above, logical_and(first, positive));
      part.below = logical_or(part.below, logical_and(first, negative));
      // NaN (a kink in a higher slope) has no sign: a boundary, as at first order
      const Expr nan = branchwise(d, [](const Expr& v) {
        return v.is_const() && std::isnan(v.value()) ? constant(1) : constant(0);
      });
      part.crosses = logical_or(part.crosses, logical_and(first, nan));
    }
    parted = logical_or(parted, test);
  }
  // Touching told apart from crossing leaves conditions like x != 0 or x == 0, true: simplified,
  // the rule writes a boundary everywhere simply (without touches, as built is as simple)
  if (part.above.is_const(0) && part.below.is_const(0)) return part;
  return {simplify(part.crosses), simplify(part.above), simplify(part.below)};
}

TieSides tie_sides(const Expr& cond, std::string_view x, const Env& at) {
  Side below(x, at, -1), above(x, at, +1);
  const auto branch = [](const Expr& piece) -> std::optional<bool> {
    if (!piece.is_const() || std::isnan(piece.value())) return std::nullopt;
    return piece.value() != 0;
  };
  TieSides sides{branch(below.piece(cond)), branch(above.piece(cond))};
  std::vector<Expr> compared;
  comparisons_in(cond, compared);
  for (const Expr& c : compared) {
    if (eval(c.arg(0), at) != eval(c.arg(1), at)) continue;
    const Expr gap = c.arg(0) - c.arg(1);
    const int l = below.sign(below.piece(gap)), r = above.sign(above.piece(gap));
    if (l == r) continue;  // tied on both sides (relu(x) > 0 left of 0), or touching: no boundary
    sides.above = (r > l) - (r < l);
    break;
  }
  return sides;
}

Expr Side::piece(const Expr& e) {
  // memoized: a node already done (the arguments of a definition below) is not walked again
  return memoized(e, done_, [&](const Expr& n) {
    const Expr p = piece_of_node(n);
    // The piece is a rebuilt formula (constants folded: x - 0.01 + 0.02 - 0.03 is x - 0.02),
    // which can round to a hair off 0 where f's own evaluation gives exactly 0, or a hair on
    // the other side of it: there the switch is where f's evaluation puts it, as the kink
    // search and the tape see it (the abs chain's layer 18 near -0.11). (Only a hair: beside
    // a jump, as heaviside's, the piece is not f's value at the point at all.)
    if (n.size() && !p.is_const()) {
      const double node = values_(n), folded = values_(p);
      if (std::abs(folded) <= rounding_ && std::abs(node) <= rounding_ &&
          sign_of(node) != sign_of(folded))
        as_evaluated_.emplace(p.id(), node);
    }
    return p;
  });
}

Expr Side::piece_of_node(const Expr& n) {
  const SideSign sign = [this](const Expr& s) { return this->sign(s); };
  if (!n.size()) return n;
  const OpRow& r = row(n.op());
  std::vector<Expr> args;
  bool changed = false;
  for (const Expr& a : n.args()) {
    args.push_back(done_.at(a.id()));
    changed |= !(args.back() == a);
  }
  if (r.definition) {
    // over the original arguments, whose pieces are known: only the new nodes are walked.
    // (A copy: a definition holding an activation pushes onto kept_ again, moving its items.)
    const Expr defined = r.definition(n.args());
    kept_.push_back(defined);
    return piece(defined);
  }
  if (r.side.piece) {
    undetermined_ = false;
    const Expr p = r.side.piece(args, sign);
    // a switch with no sign on this side (sign(sin(1/x)) right of 0): no piece, no limit
    return undetermined_ ? constant(std::numeric_limits<double>::quiet_NaN()) : p;
  }
  return changed ? make_op(n.op(), args) : n;
}

}  // namespace slope::detail
