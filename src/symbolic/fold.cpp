// SPDX-License-Identifier: MIT
// One variable's piecewise normal form. Every condition affine in x switches at one point; between
// those points every such condition is constant, so f is one plain expression per interval.
#include "symbolic/fold.hpp"

#include <algorithm>
#include <array>
#include <cmath>
#include <map>
#include <numeric>
#include <optional>
#include <span>
#include <tuple>
#include <unordered_map>
#include <utility>

#include "core/evaluator.hpp"
#include "core/node_memo.hpp"
#include "core/number.hpp"
#include "core/op_table.hpp"
#include "core/rebuild.hpp"
#include "core/zero_stretch.hpp"
#include "slope/build.hpp"
#include "slope/diff.hpp"
#include "slope/eval.hpp"
#include "slope/simplify.hpp"
#include "symbolic/affinity.hpp"

namespace slope::detail {

/// `e` as a*x + b, when x appears in it once and only through sums with constants and products
/// with constants. Then evaluating e in doubles is monotone in x (each rounding step is), which
/// is what makes the switch point of a comparison exact to find.
/// An empty x takes the first variable met.
std::optional<Affine> affine(const Expr& e, std::string& x, int& uses) {
  if (e.is_const()) return Affine{0, e.value()};
  if (e.op() == Op::Pow && e.arg(0).is_const() && e.arg(1).is_const())  // 1/3, as fold writes it
    return Affine{0, eval(e)};
  if (e.is_var()) {
    if (x.empty()) x = e.name();
    if (e.name() != x) return std::nullopt;
    ++uses;
    return Affine{1, 0};
  }
  if (e.op() != Op::Add && e.op() != Op::Mul) return std::nullopt;
  Affine sum{0, e.op() == Op::Mul ? 1.0 : 0.0};
  for (const Expr& term : e.args()) {
    const auto t = affine(term, x, uses);
    if (!t || uses > 1) return std::nullopt;
    if (e.op() == Op::Add) {
      sum = {sum.a + t->a, sum.b + t->b};
    } else {
      if (sum.a != 0 && t->a != 0) return std::nullopt;
      sum = {sum.a * t->b + t->a * sum.b, sum.b * t->b};
    }
  }
  return sum;
}

namespace {

/// A condition's truth on each side of its switch point t and at t itself.
struct Switch {
  Expr cond;
  double t;
  bool below, at, above;
  /// The last double of the stretch from t on where `at` holds: t itself, but for an equality
  /// that rounding makes hold at adjacent doubles (3*x == -1 at -0.33333333333333337 and
  /// -0.3333333333333333; 1 - x == x + 1 for |x| up to 1.1e-16).
  double t_end;
  bool rising;  ///< the condition's lhs - rhs grows with x
  /// Its truth on the open interval (lo, hi), which holds no double of [t, t_end], or at the
  /// point lo == hi.
  bool on(double lo, double hi) const {
    if (lo == hi) return lo < t ? below : lo > t_end ? above : at;
    return hi <= t ? below : lo >= t_end ? above : at;
  }
};

double down(double v) { return std::nextafter(v, -HUGE_VAL); }
double up(double v) { return std::nextafter(v, HUGE_VAL); }

/// The two sides of a comparison fold can split at, each a*x + b with x used at most once in
/// each. When x is on both sides their slopes have opposite signs (x > 2 - x): one side rises
/// as the other falls, so the comparison's truth is still monotone in x, rounding included.
/// An empty name takes the first variable met, and is set to it.
std::optional<std::pair<Affine, Affine>> affine_sides(const Expr& cond, std::string& name) {
  if (!is_comparison(cond.op())) return std::nullopt;
  int left_uses = 0, right_uses = 0;
  const auto l = affine(cond.arg(0), name, left_uses);
  const auto r = l ? affine(cond.arg(1), name, right_uses) : std::nullopt;
  if (!r || left_uses + right_uses == 0) return std::nullopt;
  if (left_uses + right_uses == 2 && !(l->a * r->a < 0)) return std::nullopt;
  return std::pair{*l, *r};
}

/// The exact switch of `cond` (x appearing once, affinely), found from the real root -b/a by
/// checking the doubles next to it: with monotone evaluation, the truth just below and just above
/// a point holds on the whole side. Nothing when rounding hides the switch (no double works).
std::optional<Switch> switch_of(const Expr& cond, std::string name) {
  const auto sides = affine_sides(cond, name);
  if (!sides) return std::nullopt;
  const auto& [l, r] = *sides;
  const double a = l.a - r.a, root = (r.b - l.b) / a;
  if (a == 0 || !std::isfinite(root)) return std::nullopt;
  const bool rising = a > 0;  // L - R grows with x
  bool below = false, above = false;
  switch (cond.op()) {
    case Op::Gt:
    case Op::Ge:
      below = !rising, above = rising;
      break;
    case Op::Lt:
    case Op::Le:
      below = rising, above = !rising;
      break;
    case Op::Ne:
      below = above = true;
      break;
    default:  // Eq
      break;
  }
  detail::Evaluator cond_at(cond);  // prepared once: the search below evaluates it often
  Env env{{name, 0.0}};
  double& at_x = env.begin()->second;
  const auto truth = [&](double v) {
    at_x = v;
    return cond_at.value(env) != 0;
  };
  // == and != switch only where the sides meet at a double; where they pass each other between
  // two adjacent doubles (x + 0.01 == -0.02: no double x gives exactly -0.02), == never holds
  std::optional<detail::Evaluator> less_at;  // for == and != only
  const auto passes_between = [&](double t) {
    if (!less_at) less_at.emplace(make_op(Op::Lt, std::vector<Expr>{cond.arg(0), cond.arg(1)}));
    at_x = t;
    const bool lower = less_at->value(env) != 0;
    at_x = up(t);
    const bool upper = less_at->value(env) != 0;
    return lower != upper && !truth(t) && !truth(up(t));
  };
  for (int step = 0; step <= 64; ++step)
    for (const double t : {root - step * (up(root) - root), root + step * (up(root) - root)}) {
      const bool at = truth(t);
      if (below == above && at != below) {  // == or != met at t: at t alone, or on a stretch
        const auto [first, last] =
            detail::zero_stretch([&](double u) { return truth(u) == at; }, t,
                                 detail::rounding_reach(t), -HUGE_VAL, HUGE_VAL);
        if (truth(down(first)) == below && truth(up(last)) == above)
          return Switch{cond, first, below, at, above, last, rising};
        continue;
      }
      if (truth(down(t)) != below || truth(up(t)) != above) continue;
      if (below == above) {  // an equality that holds at no double here ...
        if (passes_between(t))
          return Switch{cond, t, below, below, above, t, rising};  // ... nor anywhere
        continue;
      }
      return Switch{cond, t, below, at, above, t, rising};
    }
  // The sides can round to one number on a stretch wider than the scan (1 - x and x + 1 for
  // |x| up to 1.1e-16): an inequality switches at an end of it.
  if (below != above) {
    const std::array sides_of{cond.arg(0), cond.arg(1)};
    detail::Evaluator sides_at(sides_of);
    const auto sides_meet = [&](double u) {
      at_x = u;
      const std::vector<double> v = sides_at.values(env);
      return v[0] == v[1];
    };
    if (sides_meet(root)) {
      const auto [first, last] =
          detail::zero_stretch(sides_meet, root, detail::rounding_reach(root), -HUGE_VAL, HUGE_VAL);
      for (const double t : {down(first), first, last, up(last)})
        if (truth(down(t)) == below && truth(up(t)) == above)
          return Switch{cond, t, below, truth(t), above, t, rising};
    }
  }
  return std::nullopt;
}

/// switch_of, memoized for one fold: its passes meet most conditions again (an elu chain's
/// derivative 10 deep asks about 68 conditions some 250 times), and each answer is a search.
/// Keyed by node id, never reused; a found switch holds its condition.
class Switches {
 public:
  explicit Switches(std::string_view name) : name_(name) {}
  std::optional<Switch> of(const Expr& cond) {
    if (const auto* known = memo_.find(cond.id())) return *known;
    return memo_.emplace(cond.id(), switch_of(cond, name_));
  }
  const std::string& name() const { return name_; }

 private:
  std::string name_;
  IdMap<std::optional<Switch>> memo_;
};

/// What one fold's passes share, each found once: each condition's switch, each piece tidied on
/// an interval, and each piece's value at a point. A pass meets again most of what the last one
/// found (the cases it already solved, on the same intervals). Keyed by node id, never reused.
struct FoldMemo {
  FoldMemo(std::string_view x, const Tidy& tidy_once)
      : switches(x), tidy([this, &tidy_once](const Expr& e, const KnownRange& range) {
          const auto key = std::tuple(e.id(), range.lo, range.hi, range.name.empty());
          if (const auto known = tidied.find(key); known != tidied.end()) return known->second;
          return tidied.emplace(key, tidy_once(e, range)).first->second;
        }) {}
  FoldMemo(const FoldMemo&) = delete;  // `tidy` refers to this memo's own map
  FoldMemo& operator=(const FoldMemo&) = delete;
  Switches switches;
  std::map<std::tuple<NodeId, double, double, bool>, Expr> tidied;
  std::map<std::pair<NodeId, double>, Expr> at_points;
  Tidy tidy;  ///< the caller's tidy, through `tidied`
};

/// f with each switch's condition replaced by its truth on [lo, hi] (lo == hi: a point).
Expr on_region(const Expr& f, const std::vector<Switch>& switches, double lo, double hi,
               const IdMap<std::size_t>& switch_index) {
  // Choices at the top on a switch keep only the branch taken here: the rest is not walked (a
  // chain's derivative is such choices nested, and most regions take a 0 at the first).
  Expr taken = f;
  while (taken.op() == Op::Piecewise)
    if (const std::size_t* s = switch_index.find(taken.arg(0).id()))
      taken = switches[*s].on(lo, hi) ? taken.arg(1) : taken.arg(2);
    else
      break;
  return rebuild(taken, [&](const Expr& n, const std::vector<Expr>&) -> std::optional<Expr> {
    if (const std::size_t* s = switch_index.find(n.id()))
      return Expr(switches[*s].on(lo, hi) ? 1.0 : 0.0);
    return std::nullopt;
  });
}

/// t as the reader wants it: 0.5 as is, 0.3333333333333333 as 1/3 when that expression evaluates
/// to the very same double; nothing when t has no short form.
std::optional<Expr> short_form(double t) {
  if (reads_short(t)) return Expr(t);
  for (int k = 2; k <= 16; ++k) {
    const double n = std::round(t * k);
    // Most k are far off: skip them before building the expression (the exact test is below).
    if (std::abs(n / k - t) > 4 * std::abs(std::nextafter(t, HUGE_VAL) - t)) continue;
    // in lowest terms, and a fraction that is one (a quotient whose fraction would evaluate
    // elsewhere is built as a number): 0.30000000000000004 is not 3/10, which is 0.3
    if (std::abs(n) >= 1e6 || std::gcd(static_cast<long>(n), long{k}) != 1) continue;
    const Expr q = Expr(n) / Expr(double(k));
    if (!q.is_const() && eval(q) == t) return q;
  }
  return std::nullopt;
}

/// Which of (below t, at t, above t) satisfy `x OP t`.
std::array<bool, 3> truth_pattern(Op op) {
  switch (op) {
    case Op::Lt:
      return {true, false, false};
    case Op::Le:
      return {true, true, false};
    case Op::Gt:
      return {false, false, true};
    case Op::Ge:
      return {false, true, true};
    default:
      return {false, true, false};  // Eq
  }
}

/// The condition `x OP t` printed at a piece's end. A t with no short form (3*x - 1 > 0 switches
/// at 0.33333333333333337) reuses the comparison it came from, or its negation: exact and
/// shorter.
Expr boundary(Op op, double t, const Expr& x, std::span<const Switch> switches) {
  if (const auto n = short_form(t)) return make_op(op, std::vector<Expr>{x, *n});
  const auto want = truth_pattern(op);
  for (const Switch& s : switches) {
    // an end of an equality's stretch: the sides compared as they are, rounding and all
    // (`3*x < -1`, not `x < -0.33333333333333337`)
    if (s.t != s.t_end && (s.t == t || s.t_end == t)) {
      if ((s.t == t) != (op == Op::Lt || op == Op::Ge)) continue;
      return make_op(s.rising ? op : mirrored(op), std::vector<Expr>{s.cond.arg(0), s.cond.arg(1)});
    }
    if (s.t != t || s.t_end != t) continue;
    const std::array has{s.below, s.at, s.above};
    if (has == want) return s.cond;
    if (has == std::array{!want[0], !want[1], !want[2]})
      return make_op(negated(s.cond.op()), std::vector<Expr>{s.cond.arg(0), s.cond.arg(1)});
  }
  return make_op(op, std::vector<Expr>{x, Expr(t)});
}

/// f is what another fold pass would give back: a chain of choices on solved comparisons whose
/// pieces are smooth (no comparison, no op that kinks), in fold's order. A piece with one may
/// change in the next pass: `-x - 1 > 0` left of 0 in abs(abs(x) - 1) becomes a switch, and an
/// elu inside a piece simplifies once its interval is known. The check is one walk, where the
/// pass it saves rebuilds f once per interval.
bool folded(const Expr& f, Switches& switches_of) {
  const std::string& name = switches_of.name();
  const auto smooth = [](const Expr& piece) {
    for (const Expr& n : topological_order(piece))
      if (!n.is_const() && !n.is_var() && (is_comparison(n.op()) || row(n.op()).side.switches))
        return false;
    return true;
  };
  // Where a condition switches, and whether it holds left of that point, for a condition fold
  // writes: x OP t, or a comparison affine in x kept as written because t has no short form
  // (boundary), which another pass keeps too.
  struct Solved {
    double t;
    bool left;
  };
  const auto solved = [&](const Expr& cond) -> std::optional<Solved> {
    if (!is_comparison(cond.op())) return std::nullopt;
    if (cond.arg(0).is_var() && cond.arg(0).name() == name && cond.arg(1).is_const()) {
      const Op op = cond.op();
      return Solved{cond.arg(1).value(), op == Op::Lt || op == Op::Le || op == Op::Eq};
    }
    const auto s = switches_of.of(cond);
    if (!s || short_form(s->t)) return std::nullopt;
    return Solved{s->t, s->below && !s->above};
  };
  // Two pieces may come right one first (`1 if x > 0, 0 otherwise`); more run left to right,
  // each condition saying where its piece ends.
  std::size_t pieces = 1;
  for (Expr rest = f; rest.op() == Op::Piecewise; rest = rest.arg(2)) ++pieces;
  double end = -HUGE_VAL;
  Expr rest = f;
  for (; rest.op() == Op::Piecewise; rest = rest.arg(2)) {
    const auto at = solved(rest.arg(0));
    if (!at || !smooth(rest.arg(1))) return false;
    if (pieces > 2 && (!at->left || at->t < end)) return false;
    end = at->t;
  }
  return smooth(rest);
}

/// One fold: the comparisons affine in x as f is written.
/// A short factor in x of a folded piecewise, multiplied into its pieces: a textbook writes
/// `2*x if x > 0, 0.02*x otherwise`, not `x*piecewise(x > 0: 2, otherwise: 0.02)`. A factor
/// free of x (w*piecewise(...)) stays outside, where it reads as the chain rule's factor.
Expr factor_in_x_inside(const Expr& e, const std::string& x, const Tidy& tidy) {
  if (e.op() != Op::Mul) return e;
  std::optional<Expr> cases;
  Expr factor = 1;
  for (const Expr& a : e.args()) {
    if (a.op() == Op::Piecewise && !cases) {
      cases = a;
      continue;
    }
    factor = factor * a;
  }
  constexpr std::size_t short_factor = 12;  // nodes: copied into every piece
  const auto vars = variables(factor);
  if (!cases || std::find(vars.begin(), vars.end(), x) == vars.end() ||
      node_count(factor) > short_factor)
    return e;
  const auto inside = [&](auto& self, const Expr& p) -> Expr {
    if (p.op() != Op::Piecewise) return tidy(factor * p, {});
    return where(p.arg(0), tidy(factor * p.arg(1), {}), self(self, p.arg(2)));
  };
  return inside(inside, *cases);
}

Expr fold_once(const Expr& f, std::string_view x, FoldMemo& memo) {
  Switches& switches_of = memo.switches;
  const Tidy& tidy = memo.tidy;
  std::vector<Switch> switches;
  IdMap<std::size_t> switch_index;
  const std::vector<Expr> order = topological_order(f);
  for (const Expr& n : order)
    if (is_comparison(n.op()))
      if (auto s = switches_of.of(n)) {
        switch_index.emplace(n.id(), switches.size());
        switches.push_back(std::move(*s));
      }
  // A condition stays a condition: `relu(x) > 0` simplifies to `x > 0`, not to a piecewise.
  if (switches.empty() || is_logical(f.op())) return f;

  std::vector<double> points;
  for (const Switch& s : switches) {
    points.push_back(s.t);
    if (s.t_end != s.t) points.push_back(s.t_end);
  }
  std::sort(points.begin(), points.end());
  points.erase(std::unique(points.begin(), points.end()), points.end());
  // One rebuild of f per region: keep the work near linear in f.
  constexpr std::size_t max_points = 64, max_work = 4'000'000;
  if (points.size() > max_points || (2 * points.size() + 1) * order.size() > max_work) return f;

  // Regions left to right: (-inf, t1), {t1}, (t1, t2), ..., {tm}, (tm, inf). At a point, x is
  // the number t itself, so its value is usually a constant.
  const std::string name(x);
  const auto at_point = [&](const Expr& e, double t) {
    const auto key = std::pair(e.id(), t);
    if (const auto known = memo.at_points.find(key); known != memo.at_points.end())
      return known->second;
    const Expr v = tidy(substitute(e, {{name, Expr(t)}}), {});
    // -3*x^2 at 0 is -0: a slope of 0 all the same
    return memo.at_points.emplace(key, v.is_const(0) ? Expr(0.0) : v).first->second;
  };
  struct Region {
    double lo, hi;
    Expr value;
    bool point() const { return lo == hi; }
  };
  std::vector<Region> regions;
  const auto add = [&](double lo, double hi) {
    const Expr on = on_region(f, switches, lo, hi, switch_index);
    // At a point, x is put in before any algebra: tidied first, relu(x)/x^2 on x >= 0 would
    // become 1/x, and 0/0 at 0 a pole.
    regions.push_back({lo, hi, lo == hi ? at_point(on, lo) : tidy(on, {name, lo, hi})});
  };
  add(-HUGE_VAL, points.front());
  for (std::size_t i = 0; i < points.size(); ++i) {
    add(points[i], points[i]);
    const double next = i + 1 < points.size() ? points[i + 1] : HUGE_VAL;
    if (next != up(points[i])) add(points[i], next);  // else no double lies between them
  }

  // Neighbours merge into runs when one formula serves both: equal values, or a point whose
  // value is what its neighbour's formula gives there (relu(x^2)' is 2*x on both sides and 0 at
  // 0: one run, 2*x). A run ends at a point t: before it (`x < t`) or with it (`x <= t`).
  struct Run {
    Expr value;
    double end;
    bool with_end, only_the_point;
  };
  std::vector<Run> runs;
  for (const Region& r : regions) {
    if (!runs.empty()) {
      Run& run = runs.back();
      if (r.point() && (r.value == run.value || at_point(run.value, r.lo) == r.value)) {
        run.end = r.lo, run.with_end = true, run.only_the_point = false;
        continue;
      }
      if (!r.point() && (r.value == run.value ||
                         (run.only_the_point && at_point(r.value, run.end) == run.value))) {
        run.value = r.value, run.end = r.hi, run.with_end = false, run.only_the_point = false;
        continue;
      }
    }
    runs.push_back({r.value, r.hi, r.point(), r.point()});
  }

  const Expr var_x = var(name);
  const auto ends_here = [&](const Run& run) {
    return boundary(run.only_the_point ? Op::Eq
                    : run.with_end     ? Op::Le
                                       : Op::Lt,
                    run.end, var_x, switches);
  };
  // Two pieces read as the tutorials write them, the right one first (`1 if x > 0, 0 otherwise`)
  // unless only the left one is not 0.
  if (runs.size() == 2) {
    const Run& left = runs[0];
    if (!left.only_the_point) {
      // The piece that is not 0 first, as `-1 if x < 1, 0 otherwise` for max(0, 1 - x)'.
      if (runs[1].value.is_const(0) && !left.value.is_const(0))
        return factor_in_x_inside(tidy(where(ends_here(left), left.value, runs[1].value), {}), name,
                                  tidy);
      const Expr right_of = boundary(left.with_end ? Op::Gt : Op::Ge, left.end, var_x, switches);
      return factor_in_x_inside(tidy(where(right_of, runs[1].value, left.value), {}), name, tidy);
    }
  }
  // A point whose two sides are one formula is an exception inside one run: `1 if x == 0,
  // P otherwise`, not P left of 0, 1 at 0, and P again right of it. Each run's exceptions are
  // tested before it.
  struct Piece {
    Run run;
    std::vector<std::pair<double, Expr>> points;
  };
  std::vector<Piece> pieces;
  for (std::size_t i = 0; i < runs.size(); ++i) {
    if (runs[i].only_the_point && !pieces.empty() && !pieces.back().run.only_the_point &&
        i + 1 < runs.size() && !runs[i + 1].only_the_point &&
        runs[i + 1].value == pieces.back().run.value) {
      Piece& around = pieces.back();
      around.points.emplace_back(runs[i].end, runs[i].value);
      around.run.end = runs[i + 1].end, around.run.with_end = runs[i + 1].with_end;
      ++i;  // the run right of the point is the one left of it
      continue;
    }
    pieces.push_back({runs[i], {}});
  }
  const auto with_points = [&](const Piece& piece, Expr rest) {
    for (auto p = piece.points.rbegin(); p != piece.points.rend(); ++p)
      rest = where(boundary(Op::Eq, p->first, var_x, switches), p->second, rest);
    return rest;
  };
  Expr result = with_points(pieces.back(), pieces.back().run.value);
  for (auto piece = pieces.rbegin() + 1; piece != pieces.rend(); ++piece)
    result = with_points(*piece, where(ends_here(piece->run), piece->run.value, result));
  // tidy lifts a factor common to all pieces: w*piecewise(x > 0: 1, ...); one in x goes back in
  return factor_in_x_inside(tidy(result, {}), name, tidy);
}

}  // namespace

namespace {
/// The rows e prints as: a choice's cases, and for a choice inside a formula the rows its brace
/// adds. Counted as printed, a shared part each time it is met (capped: a DAG's tree can be
/// exponentially larger).
double cases_in(const Expr& e) {
  IdMap<double> rows;
  return memoized(e, rows, [&](const Expr& n) {
    double r = 1;
    if (n.op() == Op::Piecewise)
      r = rows.at(n.arg(1).id()) + rows.at(n.arg(2).id());
    else
      for (const Expr& a : n.args()) r += rows.at(a.id()) - 1;
    return std::min(r, 1e9);
  });
}
}  // namespace

namespace {

/// The slope of v (affine in x) with every term's contribution taken by its size: 2 for
/// 1 - (x - 1) + x, whose slope 0 is a cancellation, and 1e-400, rounded to 0, for
/// 1e-200*(1e-200*x), whose slope 0 is an underflow.
double slope_scale(const Expr& v, const std::string& x) {
  struct Scale {
    bool varies;
    double size;  // of the slope, where it varies; else of the value
  };
  std::unordered_map<NodeId, Scale> scale;
  for (const Expr& n : topological_order(v)) {
    Scale s{false, 0};
    if (n.is_var() && n.name() == x) {
      s = {true, 1};
    } else if (n.op() == Op::Add) {
      for (const Expr& a : n.args())
        if (const Scale& t = scale.at(a.id()); t.varies) s = {true, s.size + t.size};
    } else if (n.op() == Op::Mul) {  // v is affine: one factor varies, the others are numbers
      s.size = 1;
      for (const Expr& a : n.args()) {
        const Scale& t = scale.at(a.id());
        s.varies = s.varies || t.varies;
        s.size *= t.size;
      }
    }
    if (!s.varies) s.size = std::abs(eval(n));
    scale.emplace(n.id(), s);
  }
  return scale.at(v.id()).size;
}

/// A branch value affine in x alone, written a*x + b when that is shorter: -(x - 1) - (x + 1)
/// is -2*x (the factories collect like terms, but do not multiply out a sum).
Expr collected(const Expr& v, const std::string& x) {
  const auto vars = variables(v);
  if (vars.size() != 1 || vars[0] != x || detail::Affinity(x).of(v) != detail::Affinity::affine)
    return v;
  const Env at_0{{x, 0.0}};
  const double slope = eval(diff(v, x), at_0), intercept = eval(v, at_0);
  // A slope that overflowed (1e200*(1e200*x)) would make inf*x, NaN at 0 where v is 0; one
  // that underflowed (1e-200*(1e-200*x): 0) would lose v's values at large x (1e-100 at 1e300).
  if (!std::isfinite(slope) || !std::isfinite(intercept) ||
      slope_scale(v, x) < std::numeric_limits<double>::min())
    return v;
  const Expr r = slope * var(x) + intercept;
  // ... with short numbers: (2*x + 3)/6 stays, not 0.3333333333333333*x + 0.5
  return node_count(r) <= node_count(v) && reads_short(slope) && reads_short(intercept) ? r : v;
}

/// e with `value` applied to each value of its choices, nested ones included.
template <class Value>
Expr map_values(const Expr& e, Value value) {
  // Branches share subchains: walk each node once, or nested choices cost 2^depth.
  IdMap<Expr> done;
  const auto in_branches = [&](auto& self, const Expr& c) -> Expr {
    if (const Expr* known = done.find(c.id())) return *known;
    const Expr r = c.op() != Op::Piecewise
                       ? value(c)
                       : where(c.arg(0), self(self, c.arg(1)), self(self, c.arg(2)));
    done.emplace(c.id(), r);
    return r;
  };
  return in_branches(in_branches, e);
}

}  // namespace

Expr textbook_values(const Expr& e, std::string_view x) {
  if (node_count(e) > fold_node_limit) return e;
  const std::string name(x);
  const Tidy tidy = [](const Expr& v, const KnownRange&) { return simplify(v); };
  // a factor goes in first: the values it makes are then collected
  const Expr factored =
      map_values(e, [&](const Expr& v) { return factor_in_x_inside(v, name, tidy); });
  return map_values(factored, [&](const Expr& v) { return collected(v, name); });
}

Expr fold(const Expr& f, std::string_view x, const Tidy& tidy) {
  // A comparison on a piece of f becomes affine only once that piece is known: in
  // abs(abs(x) - 1), `abs(x) - 1 > 0` reads `-x - 1 > 0` left of 0. Fold again until nothing
  // changes; each pass is linear in its input, and the passes are few. Only a formula a reader
  // can take in gets the extra passes: on a 1,000-deep chain each one copies the graph per
  // interval for a result nobody reads as cases.
  // Past fold_node_limit nodes no reader takes f in as cases, and each interval costs a pass
  // over all of it (a 1,000-deep chain's derivative has 7,500 nodes).
  if (node_count(f) > fold_node_limit) return f;
  // Each pass solves one more layer of a chain (an 8-deep leaky_relu chain needs 8): passes
  // stop when nothing changes, and only while the formula is small.
  constexpr int max_passes = 64;
  FoldMemo memo(x, tidy);
  Switches& switches_of = memo.switches;
  Expr current = fold_once(f, x, memo);
  bool flat = folded(current, switches_of);
  for (int pass = 1; pass < max_passes && !flat && node_count(current) <= 500; ++pass) {
    Expr next = fold_once(current, x, memo);
    if (next == current) break;
    current = std::move(next);
    flat = folded(current, switches_of);
  }
  // Folding is for flat cases on solved conditions. Where a condition mixes an affine test with
  // others (`sin(u) == 0 and x > 0`), splitting at its point repeats the rest on each side: a
  // result still nested, with more cases than were written, stays as written.
  const bool worse = f.op() == Op::Piecewise && !flat && cases_in(current) > cases_in(f);
  return worse ? f : current;
}

namespace {
/// Whether `lhs OP rhs` reads `x OP t` with the same truth at every double, t the x-free part
/// moved over and divided by x's coefficient a (+-2^k): where the side with x is a*x alone, or
/// a*x plus one term with 0 on the other side, that side rounds once and its sign is the exact
/// one. Otherwise a rounded sum would be replaced by a differently rounded one: `x + y >= 1` is
/// not `x >= 1 - y` (at x = 1.0275709373091533, y = -0.02757093730915335 the first is false and
/// the second true). Numbers alone are exempt: their sums are worked out, not rounded anew.
bool rounds_alike(const Expr& lhs, const Expr& rhs, const Expr& x, Affinity& affinity) {
  const bool left_has_x = affinity.of(lhs) != Affinity::constant,
             right_has_x = affinity.of(rhs) != Affinity::constant;
  if (left_has_x == right_has_x) return false;
  const Expr &side = left_has_x ? lhs : rhs, &other = left_has_x ? rhs : lhs;
  const auto scaled_x = [&](const Expr& e) {
    return e == x || (e.op() == Op::Mul && e.size() == 2 && e.arg(0).is_const() && e.arg(1) == x);
  };
  if (scaled_x(side)) return true;
  return side.op() == Op::Add && side.size() == 2 && other.is_const(0) &&
         scaled_x(side.arg(0)) != scaled_x(side.arg(1));
}

/// a is +-2^k with k >= 0: a*x neither rounds nor underflows, and -r/a is exact.
bool exact_scale(double a) {
  int exponent = 0;
  return std::isfinite(a) && std::abs(std::frexp(a, &exponent)) == 0.5 && exponent >= 1;
}
}  // namespace

namespace {
/// Whether lhs - rhs can have a slope of +-2^k in x: false when arithmetic on the constants of
/// each side puts it clearly elsewhere (1.1, 1.32), which spares building the difference and the
/// symbolic diff that would confirm it.
bool may_be_exact_scale(const Expr& lhs, const Expr& rhs, std::string_view x_name) {
  std::string x(x_name);
  int lhs_uses = 0, rhs_uses = 0;
  const auto l = affine(lhs, x, lhs_uses);
  const auto r = l ? affine(rhs, x, rhs_uses) : std::nullopt;
  if (!r) return true;  // let diff decide
  const double slope = l->a - r->a;
  if (!std::isfinite(slope) || slope == 0) return true;
  int exponent = 0;
  const double mantissa = std::abs(std::frexp(slope, &exponent));  // in [0.5, 1)
  return mantissa - 0.5 < 1e-9 || 1 - mantissa < 1e-9;             // rounding aside, a power of two
}
}  // namespace

Expr solve_comparisons(const Expr& f, std::string_view x_name) {
  const Expr x = var(std::string(x_name));
  Affinity affinity(x_name);
  const auto straight = [&](const Expr& side) {
    const Affinity::Kind kind = affinity.of(side);
    return kind == Affinity::affine || kind == Affinity::constant;
  };
  return rebuild(f, [&](const Expr& n, const std::vector<Expr>& args) -> std::optional<Expr> {
    // sides checked before their difference is built: most comparisons fail here
    if (!is_comparison(n.op()) || args[0] == x || !straight(args[0]) || !straight(args[1]) ||
        !may_be_exact_scale(args[0], args[1], x_name))
      return std::nullopt;
    const Expr gap = args[0] - args[1];
    if (affinity.of(gap) != Affinity::affine) return std::nullopt;
    const Expr a = diff(gap, x_name);
    if (!a.is_const() || !exact_scale(a.value())) return std::nullopt;
    const Expr rest = simplify(substitute(gap, {{std::string(x_name), Expr(0.0)}}));
    if (!rest.is_const() && !rounds_alike(args[0], args[1], x, affinity)) return std::nullopt;
    const Op op = a.value() > 0 ? n.op() : mirrored(n.op());
    return make_op(op, std::vector<Expr>{x, simplify(-rest / a.value())});
  });
}

std::optional<std::string> fold_variable(const Expr& f) {
  const std::vector<Expr> order = topological_order(f);
  if (order.size() > fold_node_limit) return std::nullopt;  // fold would return it as it is
  std::optional<std::string> only;
  for (const Expr& n : order) {
    if (!is_comparison(n.op())) continue;
    std::string name;
    if (!affine_sides(n, name)) continue;
    if (only && *only != name) return std::nullopt;  // two variables: leave it readable
    only = name;
  }
  return only;
}

}  // namespace slope::detail
