// SPDX-License-Identifier: MIT
// Kinks on an interval: the zeros of f's switch functions (side.hpp), solved exactly where a
// switch is affine in x and bracketed between adjacent doubles otherwise, each analysed by
// one_sided. The one kink solver: plots, --steps, notes and `slope kinks` all read it.
#include <algorithm>
#include <cmath>
#include <stdexcept>

#include "core/evaluator.hpp"
#include "core/op_table.hpp"
#include "slope/diff.hpp"
#include "slope/one_sided.hpp"
#include "slope/simplify.hpp"
#include "symbolic/one_sided_at.hpp"
#include "symbolic/side.hpp"

namespace slope {

namespace {

constexpr int grid_intervals = 2000;  // for switches not affine in x: brackets zeros farther
                                      // apart than (to - from) / 2000

int sign_of(double v) { return (v > 0) - (v < 0); }

/// A zero of one switch: exactly at a (a == b), or between the adjacent doubles a < b.
struct Zero {
  double a, b, x;  // x: the representative, the end where |g| is smaller
  detail::Switch s;
};

class Search {
 public:
  Search(std::string_view x, const Env& others, double from, double to)
      : x_(x), env_(others), from_(from), to_(to) {}

  double g(const Expr& s, double v) {
    env_[x_] = v;
    return eval(s, env_);
  }

  void zeros_of(const detail::Switch& s, std::vector<Zero>& out) {
    const Expr d = diff(s.g, x_);
    const auto vars = variables(d);
    if (std::find(vars.begin(), vars.end(), x_) == vars.end())
      affine_zero(s, eval(d, env_), out);
    else
      grid_zeros(s, out);
  }

 private:
  std::string x_;
  Env env_;
  double from_, to_;

  void add(const detail::Switch& s, double a, double b, std::vector<Zero>& out) {
    if (b < from_ || a > to_) return;
    const double x = a == b || std::abs(g(s.g, a)) <= std::abs(g(s.g, b)) ? a : b;
    out.push_back({a, b, x, s});
  }

  /// g = slope * x + c: the root, then the adjacent doubles around it where g changes sign.
  void affine_zero(const detail::Switch& s, double slope, std::vector<Zero>& out) {
    if (slope == 0 || !std::isfinite(slope)) return;
    double r = -g(s.g, 0) / slope;
    if (!std::isfinite(r)) return;
    double gr = g(s.g, r);
    const double toward = sign_of(gr) == sign_of(slope) ? -HUGE_VAL : HUGE_VAL;
    for (int step = 0; step < 16 && gr != 0; ++step) {
      const double next = std::nextafter(r, toward);
      const double gn = g(s.g, next);
      if (gn != 0 && sign_of(gn) == sign_of(gr)) {
        r = next, gr = gn;
        continue;
      }
      if (gn == 0)
        r = next, gr = 0;
      else
        return add(s, std::min(r, next), std::max(r, next), out);
    }
    add(s, r, r, out);
  }

  /// Zeros on a grid, sign changes bisected to adjacent doubles. An exact zero between two
  /// exact zeros is taken to be inside a flat stretch (relu(x) for x < 0) and left out.
  void grid_zeros(const detail::Switch& s, std::vector<Zero>& out) {
    std::vector<double> xs(grid_intervals + 1), gs(grid_intervals + 1);
    detail::Evaluator g_at(s.g);  // prepared once for the whole grid
    for (int i = 0; i <= grid_intervals; ++i) {
      xs[i] = i == grid_intervals ? to_ : from_ + (to_ - from_) * i / grid_intervals;
      env_[x_] = xs[i];
      gs[i] = g_at.value(env_);
    }
    for (int i = 0; i <= grid_intervals; ++i) {
      if (gs[i] == 0) {
        const bool flat = (i == 0 || gs[i - 1] == 0) && (i == grid_intervals || gs[i + 1] == 0);
        if (!flat) add(s, xs[i], xs[i], out);
      } else if (i > 0 && gs[i - 1] != 0 && sign_of(gs[i]) == -sign_of(gs[i - 1]) &&
                 !std::isnan(gs[i - 1]) && !std::isnan(gs[i])) {
        bisect(s, xs[i - 1], xs[i], gs[i - 1], out);
      }
    }
  }

  void bisect(const detail::Switch& s, double lo, double hi, double g_lo, std::vector<Zero>& out) {
    for (;;) {
      const double mid = lo + (hi - lo) / 2;
      if (mid <= lo || mid >= hi) break;
      const double gm = g(s.g, mid);
      if (gm == 0) return add(s, mid, mid, out);
      if (std::isnan(gm)) return;  // no crossing to locate: f is undefined in between
      (sign_of(gm) == sign_of(g_lo) ? lo : hi) = mid;
    }
    add(s, lo, hi, out);
  }
};

}  // namespace

std::vector<KinkPoint> find_kinks(const Expr& f, std::string_view x, const Env& others, double from,
                                  double to, std::size_t max_points) {
  if (!std::isfinite(from) || !std::isfinite(to) || !std::isfinite(to - from) || !(from <= to))
    throw std::invalid_argument("find_kinks: the interval must be finite with from <= to");
  Search search(x, others, from, to);
  std::vector<Zero> zeros;
  for (const detail::Switch& s : detail::switches(f)) search.zeros_of(s, zeros);
  std::sort(zeros.begin(), zeros.end(), [](const Zero& p, const Zero& q) { return p.a < q.a; });

  const std::string name(x);
  auto at = [&](double v) {
    Env e = others;
    e[name] = v;
    return e;
  };
  std::vector<Expr> derivative;  // under each local convention, built on first use
  std::vector<KinkPoint> kinks;
  for (std::size_t i = 0; i < zeros.size() && kinks.size() < max_points;) {
    // zeros that meet (brackets overlapping, or an exact zero inside one) are one point
    double a = zeros[i].a, b = zeros[i].b, rep = zeros[i].x;
    bool exact = a == b;
    std::vector<Expr> ops;
    const std::size_t first = i;
    for (; i < zeros.size() && zeros[i].a <= b; ++i) {
      b = std::max(b, zeros[i].b);
      if (zeros[i].a == zeros[i].b) rep = zeros[i].a, exact = true;  // the better point
      if (std::find(ops.begin(), ops.end(), zeros[i].s.node) == ops.end())
        ops.push_back(zeros[i].s.node);
    }
    // An exact zero of switches that stay 0 on both sides (relu(x) for x < 0) is no kink.
    if (a == b) {
      const Env point = at(a);
      bool crosses = false;
      for (std::size_t k = first; k < i && !crosses; ++k)
        crosses = !detail::stays_zero(zeros[k].s.g, {name}, point);
      if (!crosses) continue;
    }
    rep += 0.0;  // no -0 in a list of points
    KinkPoint k{.x = rep,
                .exact = exact,
                .side = detail::one_sided_at(f, x, at(a), at(b), at(rep)),
                .local = {},
                .ops = ops};
    if (derivative.empty())
      for (Convention c : all_conventions) derivative.push_back(diff(f, x, c));
    for (const Expr& d : derivative) k.local.push_back(eval(d, at(rep)));
    kinks.push_back(std::move(k));
  }
  return kinks;
}

namespace {
/// The op's numeric partial in argument `k` at the point, by the row's own rule (the tape's).
double partial(const Expr& node, const Env& at, Convention c, std::size_t k) {
  std::vector<double> a;
  detail::Local in{.a = {}, .r = eval(node, at), .conv = c};
  for (std::size_t i = 0; i < node.size(); ++i) {
    a.push_back(eval(node.arg(i), at));
    if (node.arg(i).is_const()) in.const_args |= 1U << i;
  }
  in.a = a;
  const Expr& cond = node.arg(0);
  if (node.op() == Op::Piecewise && is_inequality(cond.op())) {
    in.cond_op = cond.op();
    in.cond_lhs = eval(cond.arg(0), at);
    in.cond_rhs = eval(cond.arg(1), at);
  }
  std::vector<double> out(node.size());
  detail::row(node.op()).local.partials(in, out);
  return out[k];
}
}  // namespace

std::vector<KinkHit> kinks_at(const Expr& f, const Env& at, Convention c) {
  std::vector<KinkHit> hits;
  for (const detail::Switch& s : detail::switches(f)) {
    if (eval(s.g, at) != 0) continue;
    // a switch that stays 0 as its variables move (relu(x) > 0 for x < 0) is no kink
    if (detail::stays_zero(s.g, variables(s.g), at)) continue;
    if (std::any_of(hits.begin(), hits.end(), [&](const KinkHit& h) { return h.node == s.node; }))
      continue;
    // the first argument that is not a constant (min(1, x*y): x*y); a piecewise's then-branch
    std::size_t k = s.node.op() == Op::Piecewise ? 1 : 0;
    while (k + 1 < s.node.size() && s.node.arg(k).is_const()) ++k;
    hits.push_back({s.node, simplify(s.g), partial(s.node, at, Convention::left, k),
                    partial(s.node, at, Convention::right, k), partial(s.node, at, c, k)});
  }
  return hits;
}

}  // namespace slope
