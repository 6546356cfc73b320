// SPDX-License-Identifier: MIT
// Kinks on an interval: the zeros of f's switch functions (side.hpp), solved exactly where a
// switch is affine in x and bracketed between adjacent doubles otherwise, each analysed by
// one_sided. The one kink solver: plots, --steps, notes and `slope kinks` all read it.
#include <algorithm>
#include <cmath>
#include <cstdint>
#include <functional>
#include <limits>
#include <optional>
#include <set>
#include <stdexcept>
#include <string>
#include <unordered_map>

#include "core/evaluator.hpp"
#include "core/node_memo.hpp"
#include "core/op_table.hpp"
#include "core/rebuild.hpp"
#include "core/zero_stretch.hpp"
#include "slope/build.hpp"
#include "slope/diff.hpp"
#include "slope/one_sided.hpp"
#include "slope/simplify.hpp"
#include "slope/tape.hpp"
#include "symbolic/affinity.hpp"
#include "symbolic/one_sided_at.hpp"
#include "symbolic/side.hpp"

namespace slope {

namespace {

// Switches not affine in x are evaluated on a grid of 2,000 intervals (beside each zero found,
// its step and the neighbouring ones are searched again: span), all on one shared pass per grid
// point; for expressions so large that this would cost over grid_budget node evaluations, the grid
// is coarser.
constexpr std::size_t grid_intervals = kink_search_steps, fewest_intervals = 16;
constexpr double grid_budget = 4e8;
// golden-section steps that narrow a dip of width 1e308 to adjacent subnormal doubles
constexpr int golden_steps = 3100;

int sign_of(double v) { return (v > 0) - (v < 0); }

/// A zero of one switch: exactly at a (a == b), or between the adjacent doubles a < b.
struct Zero {
  double a, b, x;  // x: the representative, the end where |g| is smaller
  detail::Switch s;
};

class Search {
 public:
  Search(std::string_view x, const Env& others, double from, double to)
      : x_(x), env_(others), from_(from), to_(to), affinity_(x) {}

  /// Every zero of the switches in [from, to].
  std::vector<Zero> zeros(const std::vector<detail::Switch>& all) {
    std::vector<Zero> out;
    std::vector<const detail::Switch*> pieced, curved;
    for (const detail::Switch& s : all) {
      switch (affinity_.of(s.g)) {
        case detail::Affinity::affine:
          env_[x_] = 0;
          affine_zero(s, eval(diff(s.g, x_), env_), out);
          break;
        case detail::Affinity::piecewise_affine:
          pieced.push_back(&s);
          break;
        case detail::Affinity::other:
          curved.push_back(&s);
          break;
        case detail::Affinity::constant:
          break;
      }
    }
    piece_zeros(pieced, out);  // after the affine zeros: they are where the pieces meet
    grid_zeros(curved, out);
    return out;
  }

 private:
  std::string x_;
  Env env_;
  double from_, to_;
  detail::Affinity affinity_;
  double noise_margin_ = 0;  // of a grid step: closer sign changes beside a zero are noise
  // While piece_zeros solves a switch: is it 0 at a double, read from one pass over all the
  // pieced switches per double. Many switches of a chain are 0 at one point (the abs chain's
  // layers 18, 22, 26 and 30 at 0.09), and the search for each one's stretch of zeros probes the
  // same doubles: one pass per double serves them all, where each alone walked the chain below it.
  std::function<bool(double)> shared_zero_at_;

  double g(detail::Evaluator& g_at, double v) {
    env_[x_] = v;
    return g_at.value(env_);
  }

  void add(const detail::Switch& s, detail::Evaluator& g_at, double a, double b,
           std::vector<Zero>& out) {
    if (b < from_ || a > to_) return;
    const double x = a == b || std::abs(g(g_at, a)) <= std::abs(g(g_at, b)) ? a : b;
    out.push_back({a, b, x, s});
  }

  /// An exact zero of a curved switch, found at v by a search, may be one double of a stretch
  /// where g rounds to 0 (exp(x) - 1 is 0 for |x| < 1.1e-16; 2 - (2 + x) for |x| < 2.2e-16):
  /// the kink is put at the simplest double of that stretch (0 there, not the 3.2e-17 a grid
  /// happened to reach), so where it lies does not depend on the interval searched. An
  /// `underflow` stretch (g is subnormal beside it) is taken whole, however wide: the 162nd layer
  /// of leaky_relu(leaky_relu(... x)) is 1e-322*x, 0 in doubles for x > -0.0245, and its zero is 0.
  /// A stretch g does not cross (1 - cos(x) around 2 pi: positive past both ends) is a touch,
  /// and a touch is a zero of g' as well, which rounding does not flatten: Newton's steps on g'
  /// find it to full precision (6.283185307179586, where the simplest number is 6.2831853).
  double simplest_of_zero_stretch(const Expr& g, detail::Evaluator& g_at, double v,
                                  bool underflow) {
    if (v == 0) return v;
    const auto at = [&](double u) {
      env_[x_] = u;
      return g_at.value(env_);
    };
    const auto zero_at = [&](double u) {
      return shared_zero_at_ ? shared_zero_at_(u) : at(u) == 0;
    };
    // rounding is far narrower
    const double reach = underflow ? HUGE_VAL : detail::rounding_reach(v);
    const auto [lo, hi] = detail::zero_stretch(zero_at, v, reach, from_, to_);
    if (lo <= 0 && 0 <= hi) return 0;
    // (a switch affine between its inner zeros has no curvature to lead the steps, and its
    // symbolic slopes would cost a walk of the chain below it per zero)
    if (lo < hi && affinity_.of(g) == detail::Affinity::other) {
      const int below = detail::sign_past(at, lo, -1, hi - lo),
                above = detail::sign_past(at, hi, +1, hi - lo);
      if (below != 0 && below == above)
        if (const auto t = touch_in(g, lo + (hi - lo) / 2); t && lo <= *t && *t <= hi) return *t;
    }
    return detail::simplest_double(lo, hi);
  }

  /// The zero of g' near `from` by Newton's steps, if they settle.
  std::optional<double> touch_in(const Expr& g, double from) {
    const Expr slope = diff(g, x_), curvature = diff(slope, x_);
    detail::Evaluator slope_at(slope), curvature_at(curvature);
    double t = from;
    for (int step = 0; step < 16; ++step) {
      env_[x_] = t;
      const double s = slope_at.value(env_), c = curvature_at.value(env_);
      if (s == 0) return t;
      const double next = t - s / c;
      if (!std::isfinite(next)) return std::nullopt;
      if (next == t) return t;
      t = next;
    }
    return std::nullopt;
  }

  void add_exact_zero(const detail::Switch& s, detail::Evaluator& g_at, double v,
                      std::vector<Zero>& out, bool underflow = false) {
    const double at = simplest_of_zero_stretch(s.g, g_at, v, underflow);
    add(s, g_at, at, at, out);
  }

  /// g = slope * x + c: the root, then the adjacent doubles around it where g changes sign.
  void affine_zero(const detail::Switch& s, double slope, std::vector<Zero>& out) {
    if (slope == 0 || !std::isfinite(slope)) return;
    detail::Evaluator g_at(s.g);
    double r = -g(g_at, 0) / slope;
    if (!std::isfinite(r)) return;
    double gr = g(g_at, r);
    const double toward = sign_of(gr) == sign_of(slope) ? -HUGE_VAL : HUGE_VAL;
    for (int step = 0; step < 16 && gr != 0; ++step) {
      const double next = std::nextafter(r, toward);
      const double gn = g(g_at, next);
      if (gn != 0 && sign_of(gn) == sign_of(gr)) {
        r = next, gr = gn;
        continue;
      }
      if (gn == 0)
        r = next, gr = 0;
      else
        return add(s, g_at, std::min(r, next), std::max(r, next), out);
    }
    add(s, g_at, r, r, out);
  }

  /// Zeros of the switches that are affine between their inner switches' zeros (abs(abs(x -
  /// 1) - 2)), inner ones first, as switches() lists them. Between two neighbouring points
  /// of those found so far (with the affine zeros and the interval's ends) each is affine: a
  /// sign change between the points is its one zero there, solved as an affine zero is, and no
  /// zero hides where their signs agree, so nothing is searched. The signs of all of them come
  /// from one shared pass per point, taken when the point is found.
  void piece_zeros(const std::vector<const detail::Switch*>& pieced, std::vector<Zero>& out) {
    if (pieced.empty()) return;
    std::vector<Expr> gs;
    for (const detail::Switch* s : pieced) gs.push_back(s->g);
    detail::Evaluator all(gs);
    const std::size_t m = pieced.size();
    constexpr std::int8_t undefined = 2;  // g is NaN there
    // the points in order, each with its row of the switches' signs in `signs`, where rows are
    // appended as points are found and never move
    std::vector<std::pair<double, std::size_t>> points;
    std::vector<std::int8_t> signs;
    std::vector<double> fresh{from_, to_};
    const auto zeros_since = [&](std::size_t first_zero) {
      for (std::size_t z = first_zero; z < out.size(); ++z)
        for (const double v : {out[z].a, out[z].b})
          if (from_ <= v && v <= to_) fresh.push_back(v);
    };
    const auto add_points = [&] {  // fresh, merged into points
      std::sort(fresh.begin(), fresh.end());
      fresh.erase(std::unique(fresh.begin(), fresh.end()), fresh.end());
      std::vector<std::pair<double, std::size_t>> merged;
      merged.reserve(points.size() + fresh.size());
      std::size_t i = 0;
      for (const double v : fresh) {
        for (; i < points.size() && points[i].first < v; ++i) merged.push_back(points[i]);
        if (i < points.size() && points[i].first == v) continue;  // known already
        env_[x_] = v;
        merged.emplace_back(v, signs.size());
        for (const double g : all.values(env_))
          signs.push_back(std::isnan(g) ? undefined : static_cast<std::int8_t>(sign_of(g)));
      }
      merged.insert(merged.end(), points.begin() + static_cast<std::ptrdiff_t>(i), points.end());
      points = std::move(merged);
      fresh.clear();
    };
    // which switches are 0 at each double probed, a bit per switch
    std::unordered_map<double, std::vector<bool>> zero_rows;
    const auto zero_row = [&](double u) -> const std::vector<bool>& {
      auto [it, fresh_row] = zero_rows.try_emplace(u);
      if (fresh_row) {
        env_[x_] = u;
        for (const double g : all.values(env_)) it->second.push_back(g == 0);
      }
      return it->second;
    };
    struct Done {  // the predicate reads this function's locals: gone with them
      std::function<bool(double)>& f;
      ~Done() { f = nullptr; }
    } done{shared_zero_at_};
    // the interval's ends and the affine zeros, then each switch's zeros as it is solved
    zeros_since(0);
    add_points();
    for (std::size_t k = 0; k < m; ++k) {
      const detail::Switch& s = *pieced[k];
      // s alone, prepared when one of its zeros is solved: preparing it walks the chain below
      // it, and most switches of a long chain have no zero here
      std::optional<detail::Evaluator> g_alone;
      const auto g_at = [&]() -> detail::Evaluator& {
        if (!g_alone) g_alone.emplace(s.g);
        return *g_alone;
      };
      shared_zero_at_ = [&zero_row, k](double u) { return zero_row(u)[k]; };
      const std::size_t first_zero = out.size();
      const auto sign = [&](std::size_t i) { return signs[points[i].second + k]; };
      for (std::size_t i = 0; i < points.size(); ++i) {
        if (sign(i) == 0) {
          // a zero on a whole stretch (relu(x) for x < 0) is a tie, not a kink: only its ends
          const bool flat = points.size() > 1 && (i == 0 || sign(i - 1) == 0) &&
                            (i + 1 == points.size() || sign(i + 1) == 0);
          if (!flat) add_exact_zero(s, g_at(), points[i].first, out);
        } else if (sign(i) != undefined && i + 1 < points.size() && sign(i + 1) == -sign(i)) {
          cross(s, g_at(), points[i].first, points[i + 1].first, out);
        }
      }
      if (k + 1 < m && out.size() > first_zero) {
        zeros_since(first_zero);
        add_points();
      }
    }
  }

  /// The one zero of g in (lo, hi), where g is affine and has opposite signs at the ends: the
  /// root of the line through the ends, then the adjacent doubles around it where g changes
  /// sign (bisected, should rounding keep the root from them).
  void cross(const detail::Switch& s, detail::Evaluator& g_at, double lo, double hi,
             std::vector<Zero>& out) {
    const double g_lo = g(g_at, lo), g_hi = g(g_at, hi);
    double r = lo + (hi - lo) * (g_lo / (g_lo - g_hi));
    if (!(lo < r && r < hi)) r = lo + (hi - lo) / 2;
    double gr = g(g_at, r);
    for (int step = 0; step < 16; ++step) {
      if (gr == 0) return add_exact_zero(s, g_at, r, out);
      const double next = std::nextafter(r, sign_of(gr) == sign_of(g_lo) ? hi : lo);
      const double gn = g(g_at, next);
      if (gn != 0 && sign_of(gn) != sign_of(gr))
        return add(s, g_at, std::min(r, next), std::max(r, next), out);
      r = next, gr = gn;
    }
    if (sign_of(gr) == sign_of(g_lo))
      bisect(s, g_at, r, hi, gr, out);
    else
      bisect(s, g_at, lo, r, g_lo, out);
  }

  /// Zeros on a grid shared by all the curved switches (one pass over their union per point),
  /// sign changes bisected to adjacent doubles. An exact zero between two exact zeros is taken
  /// to be inside a flat stretch (relu(x) for x < 0) and left out.
  void grid_zeros(const std::vector<const detail::Switch*>& curved, std::vector<Zero>& out) {
    if (curved.empty()) return;
    std::vector<Expr> gs;
    for (const detail::Switch* s : curved) gs.push_back(s->g);
    detail::Evaluator all(gs);
    if (from_ == to_) {  // one point (table --points 1): no grid to tell a stretch from a kink;
      env_[x_] = from_;  // find_kinks asks stays_zero of each zero
      const std::vector<double> at = all.values(env_);
      for (std::size_t k = 0; k < curved.size(); ++k)
        if (at[k] == 0) out.push_back({from_, from_, from_, *curved[k]});
      return;
    }
    const double nodes = static_cast<double>(all.size());
    const std::size_t n =
        std::clamp(static_cast<std::size_t>(grid_budget / nodes), fewest_intervals, grid_intervals);
    noise_margin_ = (to_ - from_) / static_cast<double>(n) * 1e-2;
    const auto x_at = [&](std::size_t i) {
      return i == n ? to_ : from_ + (to_ - from_) * static_cast<double>(i) / static_cast<double>(n);
    };
    const auto row = [&](std::size_t i) {
      env_[x_] = x_at(i);
      return all.values(env_);
    };
    std::vector<double> before, here = row(0), after;
    std::vector<std::pair<std::size_t, std::size_t>> dips;  // (switch, grid point)
    for (std::size_t i = 0; i <= n; ++i) {
      if (i < n) after = row(i + 1);
      for (std::size_t k = 0; k < curved.size(); ++k) {
        const double g = here[k];
        if (g == 0) {
          const bool flat = (i == 0 || before[k] == 0) && (i == n || after[k] == 0);
          if (!flat) {
            detail::Evaluator g_at(curved[k]->g);
            const auto subnormal = [](double u) {
              return u != 0 && std::abs(u) < std::numeric_limits<double>::min();
            };
            add_exact_zero(*curved[k], g_at, x_at(i), out,
                           (i > 0 && subnormal(before[k])) || (i < n && subnormal(after[k])));
            // the grid steps on either side may hold a pair of crossings more
            beside(*curved[k], g_at, x_at(i == 0 ? 0 : i - 1), {x_at(i), x_at(i)},
                   x_at(std::min(i + 1, n)), out, 0);
          }
        } else if (i > 0 && before[k] != 0 && sign_of(g) == -sign_of(before[k]) &&
                   !std::isnan(before[k]) && !std::isnan(g)) {
          // beside it, the neighbouring steps too: a cluster of crossings may straddle two
          detail::Evaluator g_at(curved[k]->g);
          if (const auto zero = bisect(*curved[k], g_at, x_at(i - 1), x_at(i), before[k], out))
            beside(*curved[k], g_at, x_at(i < 2 ? 0 : i - 2), *zero, x_at(std::min(i + 1, n)), out,
                   0);
        } else if (i > 0 && i < n && sign_of(g) == sign_of(before[k]) &&
                   sign_of(g) == sign_of(after[k]) && std::abs(g) < std::abs(before[k]) &&
                   std::abs(g) <= std::abs(after[k])) {
          dips.emplace_back(k, i);  // |g| dips without a sign change: it may touch 0 or cross twice
        }
      }
      before = std::move(here);
      here = std::move(after);
      after.clear();
    }
    double budget = grid_budget;  // node evaluations for the dips, in grid order
    for (const auto& [k, i] : dips) {
      detail::Evaluator g_at(curved[k]->g);
      budget -= golden_steps * static_cast<double>(g_at.size());
      if (budget < 0) break;
      dip(*curved[k], g_at, x_at(i - 1), x_at(i + 1), out);
    }
  }

  /// A dip of |g| in (lo, hi) with g of one sign at the grid points: its minimum, by golden
  /// section down to adjacent doubles, where g is 0 (sqrt((x - 0.3)^2) touches 0 at 0.3 without
  /// crossing) or has the other sign (relu((x - 0.3)*(x - 0.3001)) crosses twice within a grid
  /// step): zeros the grid alone misses.
  void dip(const detail::Switch& s, detail::Evaluator& g_at, double lo, double hi,
           std::vector<Zero>& out, int depth = 0) {
    const auto g = [&](double v) {
      env_[x_] = v;
      return g_at.value(env_);
    };
    const double g_lo = g(lo);
    const auto found = [&](double v, double gv) {
      if (gv == 0) {
        add_exact_zero(s, g_at, v, out);
        return true;
      }
      if (sign_of(gv) != -sign_of(g_lo)) return false;
      span(s, g_at, lo, v, out, depth);  // crossed on each side of v
      span(s, g_at, v, hi, out, depth);
      return true;
    };
    constexpr double golden = 0.6180339887498949;
    double a = lo, b = hi, c = b - golden * (b - a), d = a + golden * (b - a);
    double gc = g(c), gd = g(d);
    // down to adjacent doubles, however small: near 0 the doubles are dense, and a touch at 0
    // (sqrt(x^2)) or at 1e-100 is only reached by narrowing through ~3,000 golden steps (or until
    // g underflows to an exact 0)
    for (int step = 0; step < golden_steps; ++step) {
      // each step reuses a point whose place carries the last one's rounding, which grows by
      // the golden ratio per step: once the points are out of order they are placed afresh
      if (!(a < c && c < d && d < b)) {
        c = b - golden * (b - a), d = a + golden * (b - a);
        if (!(c < d)) break;  // adjacent doubles
        gc = g(c), gd = g(d);
      }
      if (std::isnan(gc) || std::isnan(gd)) return;
      if (found(c, gc) || found(d, gd)) return;
      if (std::abs(gc) <= std::abs(gd)) {
        b = d, d = c, gd = gc, c = b - golden * (b - a), gc = g(c);
      } else {
        a = c, c = d, gc = gd, d = a + golden * (b - a), gd = g(d);
      }
    }
    // the last few doubles around the minimum, one by one
    double v = std::nextafter(std::nextafter(a, lo), lo), best = v, g_best = HUGE_VAL;
    for (int step = 0; step < 12 && v <= b; ++step, v = std::nextafter(v, hi)) {
      const double gv = g(v);
      if (found(v, gv)) return;
      if (std::abs(gv) < g_best) best = v, g_best = std::abs(gv);
    }
    // A double root between two doubles (sqrt((x^2 - 2)^2) at sqrt(2)) leaves at the nearest
    // double what g = c*(x - r)^2 is within an ulp of r, about c*ulp^2, where the dip's ends
    // give c*(hi - lo)^2 <= |g(lo)| + |g(hi)|. A minimum that small is a touch: a zero between
    // the best double and its neighbour nearer to 0. (Any larger, g stays off 0.)
    const double ulp = std::nextafter(best, HUGE_VAL) - best, ratio = ulp / (hi - lo);
    // (an end where g overflowed bounds nothing: relu(x^2) is inf past 1.3e154, and no touch)
    const double ends = std::abs(g_lo) + std::abs(g(hi));
    if (!std::isfinite(ends) || !(g_best <= 16 * ends * ratio * ratio)) return;
    const double left = std::nextafter(best, -HUGE_VAL), right = best + ulp;
    if (std::abs(g(left)) < std::abs(g(right)))
      add(s, g_at, left, best, out);
    else
      add(s, g_at, best, right, out);
  }

  /// The zeros of g in [lo, hi] that the signs at its ends show (a crossing, bisected to
  /// adjacent doubles) and, beside them, pairs they cannot show (a dip):
  /// abs((x - 0.3)*(x - 0.3001)*(x - 0.3002)) crosses three times within one grid step.
  /// `depth` bounds how often the search goes round again.
  void span(const detail::Switch& s, detail::Evaluator& g_at, double lo, double hi,
            std::vector<Zero>& out, int depth) {
    if (!(lo < hi) || depth > 3) return;
    env_[x_] = lo;
    const double g_lo = g_at.value(env_);
    env_[x_] = hi;
    const double g_hi = g_at.value(env_);
    if (std::isnan(g_lo) || std::isnan(g_hi) || g_lo == 0 || g_hi == 0) return;
    if (sign_of(g_lo) == sign_of(g_hi)) return dip(s, g_at, lo, hi, out, depth + 1);
    if (const auto zero = bisect(s, g_at, lo, hi, g_lo, out))
      beside(s, g_at, lo, *zero, hi, out, depth);
  }

  /// The rest of [lo, hi] on each side of a zero found in it, searched again.
  void beside(const detail::Switch& s, detail::Evaluator& g_at, double lo,
              std::pair<double, double> zero, double hi, std::vector<Zero>& out, int depth) {
    // Rounding makes g noisy right beside a zero (an expanded (x - 1)^3 flickers in sign within
    // 1e-5 of 1): sign changes that close to one found are noise, not more kinks.
    span(s, g_at, lo, zero.first - noise_margin_, out, depth + 1);
    span(s, g_at, zero.second + noise_margin_, hi, out, depth + 1);
  }

  /// The zero of g in (lo, hi), where g(lo) = g_lo and g(hi) has the other sign, as the
  /// adjacent doubles around it (or one double where g is exactly 0); none where g is NaN.
  std::optional<std::pair<double, double>> bisect(const detail::Switch& s, detail::Evaluator& g_at,
                                                  double lo, double hi, double g_lo,
                                                  std::vector<Zero>& out) {
    for (;;) {
      const double mid = lo + (hi - lo) / 2;
      if (mid <= lo || mid >= hi) break;
      env_[x_] = mid;
      const double gm = g_at.value(env_);
      if (gm == 0) {
        add_exact_zero(s, g_at, mid, out);
        return std::pair{mid, mid};
      }
      if (std::isnan(gm)) return std::nullopt;  // no crossing to locate: f is undefined there
      (sign_of(gm) == sign_of(g_lo) ? lo : hi) = mid;
    }
    add(s, g_at, lo, hi, out);
    return std::pair{lo, hi};
  }
};

/// Where several switches vanish at one point (layers 18, 22, 26 and 30 of the abs chain
/// |...|x + 0.01| - 0.02| ...| at 0.09), rounding puts their zeros on doubles a few apart, and
/// the slopes between those are rounding's, not f's: zeros that close are one kink.
double past_rounding(double b) {
  for (int step = 0; step < 64; ++step) b = std::nextafter(b, HUGE_VAL);
  return b;
}

/// f at a kink between two doubles, which no double reaches: each comparison in `ties` (x^2 == 2,
/// sin(x) > 0) replaced by its truth where its sides meet (a removable gap at sqrt(2)), and each
/// op in `on_kink` whose switch is its first argument (relu(g), abs(g)) given that argument's
/// exact 0 (abs(sin(3*x)) is 0 at pi/3, and 3.7e-16 at the double beside it).
Expr at_the_kink(const Expr& f, const std::vector<Expr>& ties, const std::vector<Expr>& on_kink) {
  const auto holds = [](const std::vector<Expr>& list, const Expr& n) {
    return std::find(list.begin(), list.end(), n) != list.end();
  };
  return detail::rebuild(
      f, [&](const Expr& n, const std::vector<Expr>& args) -> std::optional<Expr> {
        if (holds(ties, n))  // its two sides equal
          return constant(n.op() == Op::Eq || n.op() == Op::Ge || n.op() == Op::Le ? 1.0 : 0.0);
        if (!holds(on_kink, n)) return std::nullopt;
        std::vector<Expr> at_zero = args;
        at_zero[0] = constant(0);
        return make_op(n.op(), at_zero);
      });
}

}  // namespace

std::vector<KinkPoint> find_kinks(const Expr& f, std::string_view x, const Env& others, double from,
                                  double to, std::size_t max_points) {
  if (!std::isfinite(from) || !std::isfinite(to) || !std::isfinite(to - from) || !(from <= to))
    throw std::invalid_argument("find_kinks: the interval must be finite with from <= to");
  Search search(x, others, from, to);
  std::vector<Zero> zeros = search.zeros(detail::switches(f));
  std::sort(zeros.begin(), zeros.end(), [](const Zero& p, const Zero& q) { return p.a < q.a; });

  const std::string name(x);
  auto at = [&](double v) {
    Env e = others;
    e[name] = v;
    return e;
  };
  // f' under each op-by-op convention: the tape's value, as grad, table and the batch give it
  // (where a factor's slope is exactly 0, an infinite one beside it adds nothing: the formula
  // can read 0*inf there, sqrt((x - 0.5)^2)' at 0.5), compiled on first use.
  std::optional<Tape> tape;
  std::vector<std::string> inputs{name};
  std::vector<double> values{0.0};
  for (const auto& [v, value] : others)
    if (v != name) inputs.push_back(v), values.push_back(value);
  std::vector<KinkPoint> kinks;
  for (std::size_t i = 0; i < zeros.size() && kinks.size() < max_points;) {
    // zeros that meet (brackets overlapping, an exact zero inside one, or a few doubles apart)
    // are one point
    double a = zeros[i].a, b = zeros[i].b, rep = zeros[i].x;
    bool exact = a == b;
    std::vector<Expr> ops;
    const std::size_t first = i;
    for (; i < zeros.size() && zeros[i].a <= past_rounding(b); ++i) {
      b = std::max(b, zeros[i].b);
      if (zeros[i].a == zeros[i].b) rep = zeros[i].a, exact = true;  // the better point
      if (std::find(ops.begin(), ops.end(), zeros[i].s.node) == ops.end())
        ops.push_back(zeros[i].s.node);
    }
    // An exact zero of switches that stay 0 on both sides (relu(x) for x < 0) is no kink.
    if (a == b) {
      // (the two sides made once for the point: the switches share their nodes)
      detail::Side below(x, at(a), -1), above(x, at(a), +1);
      bool crosses = false;
      for (std::size_t k = first; k < i && !crosses; ++k)
        crosses = !detail::stays_zero(zeros[k].s.g, below, above);
      if (!crosses) continue;
    }
    rep += 0.0;  // no -0 in a list of points
    KinkPoint k{.x = rep,
                .exact = exact,
                .side = detail::one_sided_at(f, x, at(a), at(b), at(rep)),
                .local = {},
                .ops = ops};
    std::vector<Expr> ties;
    for (const Expr& op : ops)
      if (op.op() == Op::Eq || op.op() == Op::Ne) ties.push_back(op);
    std::vector<Expr> on_kink;  // ops switching on their own first argument
    for (std::size_t z = first; z < i; ++z)
      if (zeros[z].s.node.size() > 0 && zeros[z].s.g == zeros[z].s.node.arg(0))
        on_kink.push_back(zeros[z].s.node);
    if (!exact && ties.empty() && !on_kink.empty() && k.side.continuous) {
      const double there = eval(at_the_kink(f, {}, on_kink), at(rep));
      if (std::isfinite(there)) k.side.value = there;
    }
    // An inequality parting between the doubles is at its tie there: x > c false, x >= c true
    // (where(x > 0 and sin(x) > 0, x^2, 0) is 0 at pi, and 9.87 at the double beside it). A value
    // more than rounding off the pieces' is a gap only the kink has.
    std::vector<Expr> parted;
    for (const Expr& op : ops)
      if (is_inequality(op.op())) parted.push_back(op);
    if (!exact && ties.empty() && !parted.empty()) {
      const double there = eval(at_the_kink(f, parted, on_kink), at(rep));
      const double v = k.side.value;
      if (std::isfinite(there)) {
        if (!(std::abs(there - v) <= 1e-9 * std::max({1.0, std::abs(there), std::abs(v)})))
          k.side.continuous = false;
        k.side.value = there;
      }
    }
    if (!exact && !ties.empty()) {
      const double there = eval(at_the_kink(f, ties, {}), at(rep));
      if (!(there == k.side.value || (std::isnan(there) && std::isnan(k.side.value)))) {
        k.side.value = there;
        k.side.continuous = false;
      }
    }
    if (!tape) tape = Tape::compile(f, inputs);
    values[0] = rep;
    tape->forward(values);
    for (Convention c : all_conventions) {
      tape->set_convention(c);
      tape->reverse();
      k.local.push_back(tape->gradient()[0] + 0.0);
    }
    kinks.push_back(std::move(k));
  }
  return kinks;
}

namespace {
/// The op's numeric partial in argument `k` at the point, by the row's own rule (the tape's).
double partial(const Expr& node, detail::PointValues& at, Convention c, std::size_t k) {
  std::vector<double> a;
  detail::Local in{.a = {}, .r = at(node), .conv = c};
  for (std::size_t i = 0; i < node.size(); ++i) {
    a.push_back(at(node.arg(i)));
    if (node.arg(i).is_const()) in.const_args |= 1U << i;
  }
  in.a = a;
  const Expr& cond = node.arg(0);
  if (node.op() == Op::Piecewise && is_inequality(cond.op())) {
    in.cond_op = cond.op();
    in.cond_lhs = at(cond.arg(0));
    in.cond_rhs = at(cond.arg(1));
  }
  std::vector<double> out(node.size());
  detail::row(node.op()).local.partials(in, out);
  return out[k];
}
}  // namespace

namespace {
/// visit(s, flat, values) for each switch s of f that is 0 at `at`; flat: it stays 0 as f's
/// variables move (relu(x) > 0 for x < 0), a tie on a whole stretch rather than a kink.
template <class Visit>
void zero_switches(const Expr& f, const Env& at, Visit visit) {
  detail::PointValues values(at);  // the switches share their nodes: each is valued once
  const auto vars = variables(f);  // the two sides are made once, for the same reason
  detail::Side below(detail::all_moving(vars, -1), at), above(detail::all_moving(vars, +1), at);
  for (const detail::Switch& s : detail::switches(f))
    if (values(s.g) == 0) visit(s, detail::stays_zero(s.g, below, above), values);
}
}  // namespace

std::vector<KinkHit> kinks_at(const Expr& f, const Env& at, Convention c) {
  std::vector<KinkHit> hits;
  std::set<NodeId> hit;
  zero_switches(f, at, [&](const detail::Switch& s, bool flat, detail::PointValues& values) {
    if (flat || !hit.insert(s.node.id()).second) return;
    // the first argument that is not a constant (min(1, x*y): x*y); a piecewise's then-branch
    std::size_t k = s.node.op() == Op::Piecewise ? 1 : 0;
    while (k + 1 < s.node.size() && s.node.arg(k).is_const()) ++k;
    std::vector<double> partials;
    for (std::size_t i = 0; i < s.node.size(); ++i)
      partials.push_back(partial(s.node, values, c, i));
    hits.push_back({s.node, simplify(s.g), partial(s.node, values, Convention::left, k),
                    partial(s.node, values, Convention::right, k), partials[k], partials});
  });
  return hits;
}

std::vector<Expr> ties_on_a_stretch(const Expr& f, const Env& at) {
  std::vector<Expr> ops;
  std::set<NodeId> seen;
  zero_switches(f, at, [&](const detail::Switch& s, bool flat, detail::PointValues&) {
    if (flat && seen.insert(s.node.id()).second) ops.push_back(s.node);
  });
  return ops;
}

}  // namespace slope
