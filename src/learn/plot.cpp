// SPDX-License-Identifier: MIT
// The SVG plotter: samples f and f', takes every kink and jump from find_kinks (exact one-sided
// values there), picks a robust y range per panel and "nice" ticks, and writes paths broken at
// jumps and cut at the panel's edges.
#include "slope/plot.hpp"

#include <algorithm>
#include <array>
#include <cmath>
#include <functional>
#include <limits>
#include <stdexcept>
#include <unordered_map>

#include "core/evaluator.hpp"
#include "slope/build.hpp"
#include "slope/diff.hpp"
#include "slope/error.hpp"
#include "slope/explain.hpp"
#include "slope/one_sided.hpp"
#include "slope/print.hpp"
#include "text/xml_text.hpp"

namespace slope {
namespace {

using detail::xml_escape;

constexpr std::size_t max_kinks = 200;  // per function; find_kinks analyses each, so bound it
constexpr std::array<const char*, 6> palette = {"#2563eb", "#dc2626", "#16a34a",
                                                "#9333ea", "#ca8a04", "#0891b2"};
constexpr const char* kink_colour = "#7c3aed";
constexpr std::size_t max_legend = 10'000;  // characters of a function's text in the legend

/// The tick step of 1, 2 or 5 times a power of ten that is at least `raw`.
double nice_step(double raw) {
  const double p = std::pow(10.0, std::floor(std::log10(raw)));
  for (double m : {1.0, 2.0, 5.0, 10.0})
    if (m * p >= raw) return m * p;
  return 10 * p;
}

std::string tick_label(double v, double step) {
  if (std::abs(v) < step * 1e-9) v = 0;
  return fmt::format("{:g}", v);
}

/// The ticks of [lo, hi]: multiples of a nice step, at least 3 of them.
std::vector<double> ticks(double lo, double hi, int count) {
  std::vector<double> out;
  for (int tries = 0; tries < 3 && out.size() < 3; ++tries, count *= 2) {
    const double step = nice_step(hi / count - lo / count);  // (hi - lo may overflow)
    out.clear();
    // (i * step - hi: hi + a little overflows to inf near the largest double, never stopping)
    for (double i = std::ceil(lo / step); i * step - hi <= step * 1e-9; ++i)
      out.push_back(i * step);
  }
  return out;
}

bool same(double a, double b) {
  if (a == b) return true;
  if (!std::isfinite(a) || !std::isfinite(b)) return false;
  return std::abs(a - b) <= 1e-12 * std::max({1.0, std::abs(a), std::abs(b)});
}

/// The q-quantile of sorted values (nearest rank).
double quantile(const std::vector<double>& sorted, double q) {
  return sorted[static_cast<std::size_t>(q * static_cast<double>(sorted.size() - 1) + 0.5)];
}

/// A y range for these values that shows the bulk of them and clips blow-ups: the 5%..95%
/// quantiles widened by 1.5 times their spread (or their size), never past the extremes; 0
/// joins the range when that at most doubles it; then 8% padding.
std::pair<double, double> robust_range(std::vector<double> v) {
  std::erase_if(v, [](double y) { return !std::isfinite(y); });
  if (v.empty()) return {-1, 1};
  std::sort(v.begin(), v.end());
  const double q05 = quantile(v, 0.05), q95 = quantile(v, 0.95);
  double scale = std::max({q95 - q05, std::abs(q05), std::abs(q95)});
  if (scale == 0) scale = v.back() - v.front();
  double lo = std::max(v.front(), q05 - 1.5 * scale), hi = std::min(v.back(), q95 + 1.5 * scale);
  if (lo > 0 && lo <= hi - lo) lo = 0;
  if (hi < 0 && -hi <= hi - lo) hi = 0;
  if (hi - lo <= 1e-9 * std::max(1.0, std::abs(hi))) {
    const double half = std::max(0.5, std::abs(hi) * 0.1);
    lo -= half, hi += half;
  }
  // halves first, and no end past the largest double: f may reach both ends of the doubles
  const double pad = (hi / 2 - lo / 2) * 0.16, most = std::numeric_limits<double>::max();
  return {std::max(lo - pad, -most), std::min(hi + pad, most)};
}

/// One point of a curve, or a break (the pen lifts: at a jump, or where the value is undefined).
struct Vertex {
  double x, y;
  bool gap = false;     ///< a break before this vertex
  bool sampled = true;  ///< a grid sample (a segment between two may be checked for a pole)
};

/// A rectangle of the picture where one quantity is drawn against x.
struct Panel {
  double left, right, top, bottom;
  double from, to, lo, hi;
  // (halves first: hi - lo overflows when the values reach both ends of the doubles)
  double px(double x) const {
    return left + (x / 2 - from / 2) / (to / 2 - from / 2) * (right - left);
  }
  double py(double y) const {
    return bottom - (y / 2 - lo / 2) / (hi / 2 - lo / 2) * (bottom - top);
  }
  bool inside(double y) const { return y >= lo && y <= hi; }
};

/// The SVG path data of a curve: joined vertex to vertex, lifted at gaps, at undefined values
/// and where a segment has a pole in it (its midpoint, from `value`, is undefined or far off the
/// chord), and cut where it leaves the panel.
std::string path_data(const std::vector<Vertex>& vs, const Panel& p,
                      const std::function<double(double)>& value) {
  std::string d;
  bool pen = false;
  auto move = [&](double x, double y) { d += fmt::format("M{:.2f},{:.2f} ", p.px(x), p.py(y)); };
  auto line = [&](double x, double y) { d += fmt::format("L{:.2f},{:.2f} ", p.px(x), p.py(y)); };
  for (std::size_t i = 1; i < vs.size(); ++i) {
    const Vertex &a = vs[i - 1], &b = vs[i];
    if (b.gap || !std::isfinite(a.y) || !std::isfinite(b.y)) {
      pen = false;
      continue;
    }
    if (a.sampled && b.sampled) {
      const double mid = value((a.x + b.x) / 2);
      if (!std::isfinite(mid) || std::abs(mid - (a.y + b.y) / 2) > p.hi - p.lo) {
        pen = false;
        continue;
      }
    }
    // the part of the segment inside lo <= y <= hi: t in [t0, t1]
    double t0 = 0, t1 = 1;
    const double dy = b.y - a.y;
    for (const double edge : {p.lo, p.hi}) {
      if (dy == 0) {
        if (!p.inside(a.y)) t0 = 1, t1 = 0;
        continue;
      }
      const double t = (edge - a.y) / dy;
      const bool entering = (edge == p.lo) == (dy > 0);  // crossing into the panel at t
      if (entering)
        t0 = std::max(t0, t);
      else
        t1 = std::min(t1, t);
    }
    if (t0 > t1) {
      pen = false;
      continue;
    }
    auto at = [&](double t, double& x, double& y) {
      x = a.x + (b.x - a.x) * t;
      y = t == 0 ? a.y : t == 1 ? b.y : std::clamp(a.y + dy * t, p.lo, p.hi);
    };
    double x0, y0, x1, y1;
    at(t0, x0, y0);
    at(t1, x1, y1);
    if (!pen || t0 > 0) move(x0, y0);
    line(x1, y1);
    pen = t1 == 1;
  }
  if (!d.empty()) d.pop_back();
  return d;
}

/// A quantity at a kink: the value taken there (NaN: none, as where the kink lies between two
/// doubles) and its one-sided limits.
struct KinkValues {
  double x, value, left, right;
  bool jump() const { return !same(left, right) || !same(left, value); }
};

struct Curve {
  Curve(Expr f_, Expr df_) : f(std::move(f_)), df(std::move(df_)) {}
  Expr f, df;
  std::string name, colour;
  std::vector<KinkPoint> kinks;
  bool more_kinks = false;          ///< find_kinks stopped at max_kinks
  std::vector<KinkValues> fk, dk;   ///< f and f' at each kink
  std::vector<Vertex> fv, dv;       ///< f and f' as drawn
  std::vector<double> grid_slopes;  ///< f' at the grid samples (for colour by slope)
};

/// A dot at a kink: filled at the value taken, open at a one-sided limit.
struct Dot {
  double x, y;
  bool filled;
};

/// The dots of a quantity at a kink: its value and its left and right limits.
std::vector<Dot> dots(double x, double value, double left, double right) {
  std::vector<Dot> out;
  if (std::isfinite(value)) out.push_back({x, value, true});
  for (double limit : {left, right})
    if (std::isfinite(limit) && !same(limit, value) &&
        std::none_of(out.begin(), out.end(), [&](const Dot& d) { return same(d.y, limit); }))
      out.push_back({x, limit, false});
  return out;
}

/// Vertices of a quantity over sorted samples, with each kink replaced by its left limit, a
/// break when the quantity jumps there, and its right limit.
std::vector<Vertex> vertices(const std::vector<double>& xs, const std::vector<double>& ys,
                             const std::vector<KinkValues>& ks) {
  std::vector<Vertex> out;
  std::size_t k = 0;
  for (std::size_t i = 0; i < xs.size(); ++i) {
    while (k < ks.size() && ks[k].x < xs[i]) ++k;
    if (k < ks.size() && ks[k].x == xs[i]) {
      const KinkValues& kv = ks[k];
      if (kv.jump()) {
        out.push_back({kv.x, kv.left, false, false});
        out.push_back({kv.x, kv.right, true, false});
      } else {
        out.push_back({kv.x, kv.value, false, false});
      }
      continue;
    }
    out.push_back({xs[i], ys[i]});
  }
  return out;
}

/// A colour from blue (t = -1) through grey (0) to red (1).
std::string slope_colour(double t) {
  t = std::round(std::clamp(t, -1.0, 1.0) * 8) / 8;  // 17 shades: a run of one shade is one path
  const std::array<int, 3> grey = {156, 163, 175}, blue = {37, 99, 235}, red = {220, 38, 38};
  const auto& end = t < 0 ? blue : red;
  std::array<int, 3> c{};
  for (int i = 0; i < 3; ++i)
    c[i] = static_cast<int>(std::lround(grey[i] + (end[i] - grey[i]) * std::abs(t)));
  return fmt::format("#{:02x}{:02x}{:02x}", c[0], c[1], c[2]);
}

}  // namespace

std::string plot_svg(const Expr& f, const PlotOptions& options) {
  return plot_svg(std::span<const Expr>(&f, 1), options);
}

std::string plot_svg(std::span<const Expr> functions, const PlotOptions& o) {
  if (!(o.to > o.from))
    throw std::invalid_argument("plot: the range is empty (--from must be less than --to)");
  if (o.points < 2) throw std::invalid_argument("plot: needs at least 2 points");
  if (functions.empty()) throw std::invalid_argument("plot: no function to plot");
  if (o.color_by_slope && functions.size() > 1)
    throw std::invalid_argument("plot: colouring by slope needs a single function");
  const bool one = functions.size() == 1;

  // Samples: the grid, plus every kink of every function (so corners are drawn exactly).
  std::vector<Curve> curves;
  std::vector<double> xs;
  for (int i = 0; i < o.points; ++i)
    xs.push_back(i == o.points - 1 ? o.to : o.from + (o.to - o.from) * i / (o.points - 1));
  for (std::size_t i = 0; i < functions.size(); ++i) {
    Curve c{functions[i], diff(functions[i], o.x, o.convention)};
    c.colour = palette[i % palette.size()];
    c.name = i < o.names.size() ? o.names[i] : text_or_size(c.f, max_legend);
    if (one && o.names.empty()) c.name = "f(" + o.x + ") = " + c.name;
    c.kinks = find_kinks(c.f, o.x, o.others, o.from, o.to, max_kinks + 1);
    if (c.kinks.size() > max_kinks) c.kinks.resize(max_kinks), c.more_kinks = true;
    for (const KinkPoint& k : c.kinks) xs.push_back(k.x);
    curves.push_back(std::move(c));
  }
  std::sort(xs.begin(), xs.end());
  xs.erase(std::unique(xs.begin(), xs.end()), xs.end());

  Env env = o.others;
  std::vector<double> f_values, d_values;  // for the y ranges
  for (Curve& c : curves) {
    std::vector<double> ys, ds;
    detail::Evaluator f_at(c.f), df_at(c.df);  // prepared once for all the samples
    for (double x : xs) {
      env[o.x] = x;
      ys.push_back(f_at.value(env));
      ds.push_back(defined_slope(c.f, o.x, env, df_at.value(env)));
    }
    for (const KinkPoint& k : c.kinks) {
      // A kink between two doubles (x = pi/3) is never reached: no convention applies there, so
      // f' takes neither value; a continuous f still passes through it.
      env[o.x] = k.x;
      const double nan = std::numeric_limits<double>::quiet_NaN();
      c.fk.push_back({k.x, k.exact || k.side.continuous ? k.side.value : nan, k.side.left_limit,
                      k.side.right_limit});
      c.dk.push_back({k.x, k.exact ? eval(c.df, env) : nan, k.side.left, k.side.right});
      for (double v : {k.side.value, k.side.left_limit, k.side.right_limit}) f_values.push_back(v);
      for (double v : {c.dk.back().value, k.side.left, k.side.right}) d_values.push_back(v);
    }
    c.fv = vertices(xs, ys, c.fk);
    c.dv = vertices(xs, ds, c.dk);
    f_values.insert(f_values.end(), ys.begin(), ys.end());
    d_values.insert(d_values.end(), ds.begin(), ds.end());
    c.grid_slopes = std::move(ds);
  }

  // Layout: title, legend, the f panel, and the f' panel below it.
  const int width = o.width;
  const int height = o.height > 0 ? o.height : o.derivative ? 600 : 400;
  const double legend_rows =
      static_cast<double>(curves.size()) + (o.derivative ? 2 : 1) + (o.color_by_slope ? 1 : 0);
  const double left = 70, right = width - 20.0, top = 44 + 16 * legend_rows + 14;
  const double bottom = height - 40.0, gap = o.derivative ? 34 : 0;
  const double panel_height = o.derivative ? (bottom - top - gap) / 2 : bottom - top;
  const auto [f_lo, f_hi] = robust_range(f_values);
  const Panel fp{left, right, top, top + panel_height, o.from, o.to, f_lo, f_hi};
  const auto [d_lo, d_hi] = robust_range(d_values);
  const Panel dp{left, right, fp.bottom + gap, bottom, o.from, o.to, d_lo, d_hi};
  std::vector<const Panel*> panels{&fp};
  if (o.derivative) panels.push_back(&dp);
  double slope_scale = 1e-300;  // the largest |f'| in view: the ends of the colour scale
  for (double v : d_values)
    if (std::isfinite(v) && v >= d_lo && v <= d_hi)
      slope_scale = std::max(slope_scale, std::abs(v));

  std::string title = o.title;
  if (title.empty()) {
    for (std::size_t i = 0; i < curves.size(); ++i)
      title += (i == 0                   ? ""
                : i + 1 == curves.size() ? " and "
                                         : ", ") +
               (i < o.names.size() ? o.names[i] : text_or_size(curves[i].f, max_legend));
    if (title.size() > 80) title = title.substr(0, 77) + "...";
    if (o.derivative) title += one ? " and its derivative" : " with their derivatives";
  }

  std::string svg = fmt::format(
      "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
      "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"{0}\" height=\"{1}\" "
      "viewBox=\"0 0 {0} {1}\" font-family=\"Helvetica, Arial, sans-serif\" font-size=\"12\">\n"
      "<rect width=\"100%\" height=\"100%\" fill=\"white\"/>\n"
      "<text class=\"title\" x=\"{2}\" y=\"24\" text-anchor=\"middle\" font-size=\"15\" "
      "font-weight=\"bold\">{3}</text>\n",
      width, height, width / 2.0, xml_escape(title));

  for (const Panel* p : panels) {
    const bool is_f = p == &fp;
    const auto xt = ticks(o.from, o.to, 8), yt = ticks(p->lo, p->hi, is_f ? 6 : 4);
    svg += fmt::format(
        "<rect class=\"panel\" data-of=\"{}\" x=\"{:.2f}\" y=\"{:.2f}\" width=\"{:.2f}\" "
        "height=\"{:.2f}\" data-from=\"{:.17g}\" data-to=\"{:.17g}\" data-lo=\"{:.17g}\" "
        "data-hi=\"{:.17g}\" fill=\"none\" stroke=\"#d1d5db\"/>\n",
        is_f ? "f" : "df", p->left, p->top, p->right - p->left, p->bottom - p->top, p->from, p->to,
        p->lo, p->hi);
    // regions coloured by the slope of f, behind everything else
    if (o.color_by_slope) {
      const Curve& c = curves.front();
      for (std::size_t i = 0; i + 1 < xs.size(); ++i) {
        const double s = c.grid_slopes[i];
        if (!std::isfinite(s)) continue;
        std::size_t j = i + 1;
        const std::string colour = slope_colour(s / slope_scale);
        while (j + 1 < xs.size() && std::isfinite(c.grid_slopes[j]) &&
               slope_colour(c.grid_slopes[j] / slope_scale) == colour)
          ++j;
        svg += fmt::format(
            "<rect class=\"slope-region\" x=\"{:.2f}\" y=\"{:.2f}\" width=\"{:.2f}\" "
            "height=\"{:.2f}\" fill=\"{}\" fill-opacity=\"0.15\"/>\n",
            p->px(xs[i]), p->top, p->px(xs[j]) - p->px(xs[i]), p->bottom - p->top, colour);
        i = j - 1;
      }
    }
    svg += "<g stroke=\"#e5e7eb\" stroke-width=\"1\">\n";
    for (double t : xt)
      svg += fmt::format("<line x1=\"{0:.2f}\" y1=\"{1:.2f}\" x2=\"{0:.2f}\" y2=\"{2:.2f}\"/>\n",
                         p->px(t), p->top, p->bottom);
    for (double t : yt)
      svg += fmt::format("<line x1=\"{1:.2f}\" y1=\"{0:.2f}\" x2=\"{2:.2f}\" y2=\"{0:.2f}\"/>\n",
                         p->py(t), p->left, p->right);
    svg += "</g>\n<g fill=\"#374151\">\n";
    const double xstep = xt.size() > 1 ? xt[1] - xt[0] : o.to - o.from;
    const double ystep = yt.size() > 1 ? yt[1] - yt[0] : p->hi - p->lo;
    for (double t : xt)
      svg += fmt::format("<text x=\"{:.2f}\" y=\"{:.2f}\" text-anchor=\"middle\">{}</text>\n",
                         p->px(t), p->bottom + 15, tick_label(t, xstep));
    for (double t : yt)
      svg += fmt::format("<text x=\"{:.2f}\" y=\"{:.2f}\" text-anchor=\"end\">{}</text>\n",
                         p->left - 6, p->py(t) + 4, tick_label(t, ystep));
    const std::string label =
        is_f ? "f(" + o.x + ")"
             : "f'(" + o.x + "), " + std::string(to_string(o.convention)) + " at kinks";
    const double mid = (p->top + p->bottom) / 2;
    svg += fmt::format(
        "<text class=\"ylabel\" x=\"18\" y=\"{1:.2f}\" text-anchor=\"middle\" "
        "transform=\"rotate(-90 18 {1:.2f})\">{0}</text>\n</g>\n",
        xml_escape(label), mid);
    // axes through the origin when it is in view
    svg += "<g class=\"axes\" stroke=\"#6b7280\" stroke-width=\"1.2\">\n";
    if (p->inside(0))
      svg += fmt::format("<line x1=\"{:.2f}\" y1=\"{:.2f}\" x2=\"{:.2f}\" y2=\"{:.2f}\"/>\n",
                         p->left, p->py(0), p->right, p->py(0));
    if (o.from <= 0 && o.to >= 0)
      svg += fmt::format("<line x1=\"{:.2f}\" y1=\"{:.2f}\" x2=\"{:.2f}\" y2=\"{:.2f}\"/>\n",
                         p->px(0), p->top, p->px(0), p->bottom);
    svg += "</g>\n";
  }
  svg += fmt::format(
      "<text x=\"{:.2f}\" y=\"{:.2f}\" text-anchor=\"end\" fill=\"#374151\">{}</text>\n", right,
      bottom + 32, xml_escape(o.x));

  // Kink lines over the axes (in a colour of their own, so one on x = 0 shows), under the
  // curves; one line per x even when several functions have a kink there.
  std::vector<double> kink_xs;
  for (const Curve& c : curves)
    for (const KinkPoint& k : c.kinks) kink_xs.push_back(k.x);
  std::sort(kink_xs.begin(), kink_xs.end());
  kink_xs.erase(std::unique(kink_xs.begin(), kink_xs.end()), kink_xs.end());
  auto label_at = [&](double x) -> const char* {  // kink, or jump where f is not continuous
    const char* label = "kink";
    for (const Curve& c : curves)
      for (const KinkPoint& k : c.kinks)
        if (k.x == x && !k.side.continuous) {
          if (std::isinf(k.side.left_limit) || std::isinf(k.side.right_limit)) return "pole";
          label = "jump";
        }
    return label;
  };
  auto exact_at = [&](double x) {  // a double sits on the kink, so the convention applies
    for (const Curve& c : curves)
      for (const KinkPoint& k : c.kinks)
        if (k.x == x && k.exact) return true;
    return false;
  };
  svg += "<g class=\"kinks\">\n";
  double last_label = -1e300;
  for (double k : kink_xs) {
    svg += fmt::format(
        "<line class=\"kink\" data-x=\"{:.17g}\" data-exact=\"{}\" x1=\"{:.2f}\" y1=\"{:.2f}\" "
        "x2=\"{:.2f}\" "
        "y2=\"{:.2f}\" stroke=\"{}\" stroke-width=\"1.5\" stroke-dasharray=\"4 3\"/>\n",
        k, exact_at(k), fp.px(k), fp.top, fp.px(k), panels.back()->bottom, kink_colour);
    if (fp.px(k) - last_label >= 34) {
      svg += fmt::format(
          "<text x=\"{:.2f}\" y=\"{:.2f}\" fill=\"{}\" text-anchor=\"middle\">{}</text>\n",
          fp.px(k), fp.top - 4, kink_colour, label_at(k));
      last_label = fp.px(k);
    }
  }
  svg += "</g>\n";

  // Curves, then dots on top; earlier functions wider, so a later one drawn over them on a
  // stretch where they agree (relu and leaky_relu for x > 0) leaves both visible.
  auto wider = [&](std::size_t ci) { return 2.0 * static_cast<double>(curves.size() - 1 - ci); };
  for (std::size_t ci = 0; ci < curves.size(); ++ci) {
    const Curve& c = curves[ci];
    Env at = o.others;
    // prepared once: every segment's midpoint is evaluated (eval walked f again for each)
    detail::Evaluator f_prepared(c.f), df_prepared(c.df);
    auto f_at = [&](double x) {
      at[o.x] = x;
      return f_prepared.value(at);
    };
    auto d_at = [&](double x) {
      at[o.x] = x;
      return defined_slope(c.f, o.x, at, df_prepared.value(at));
    };
    if (o.color_by_slope) {
      // f in runs of segments whose slope (at their midpoints) has one colour of the scale
      svg += fmt::format("<g class=\"f\" data-function=\"{}\" fill=\"none\" stroke-width=\"3\">\n",
                         ci);
      std::vector<Vertex> run;
      std::string run_colour;
      double run_slope = 0;
      auto flush = [&] {
        if (run.size() >= 2)
          svg += fmt::format(
              "<path data-slope=\"{:.17g}\" data-from=\"{:.17g}\" data-to=\"{:.17g}\" d=\"{}\" "
              "stroke=\"{}\"/>\n",
              run_slope, run.front().x, run.back().x, path_data(run, fp, f_at), run_colour);
      };
      for (std::size_t i = 0; i + 1 < c.fv.size(); ++i) {
        const double s = d_at((c.fv[i].x + c.fv[i + 1].x) / 2);
        const std::string colour = std::isfinite(s) ? slope_colour(s / slope_scale) : "#9ca3af";
        if (colour != run_colour || c.fv[i + 1].gap) {
          flush();
          run = {c.fv[i]};
          run.front().gap = false;
          run_colour = colour, run_slope = s;
        }
        run.push_back(c.fv[i + 1]);
      }
      flush();
      svg += "</g>\n";
    } else {
      svg += fmt::format(
          "<path class=\"f\" data-function=\"{}\" d=\"{}\" fill=\"none\" stroke=\"{}\" "
          "stroke-width=\"{}\"/>\n",
          ci, path_data(c.fv, fp, f_at), c.colour, 2 + wider(ci));
    }
    if (o.derivative)
      svg += fmt::format(
          "<path class=\"df\" data-function=\"{}\" d=\"{}\" fill=\"none\" stroke=\"{}\" "
          "stroke-width=\"{}\" stroke-dasharray=\"6 4\"/>\n",
          ci, path_data(c.dv, dp, d_at), c.colour, 2 + wider(ci));
  }
  // markers at the x grid lines
  if (o.markers) {
    for (const Panel* p : panels)
      for (std::size_t ci = 0; ci < curves.size(); ++ci) {
        const Curve& c = curves[ci];
        for (double t : ticks(o.from, o.to, 8)) {
          Env at = o.others;
          at[o.x] = t;
          const double y = eval(c.f, at);
          const double v = p == &fp ? y : defined_slope(c.f, o.x, at, eval(c.df, at));
          if (std::isfinite(v) && p->inside(v))
            svg += fmt::format(
                "<rect class=\"marker\" data-curve=\"{}\" data-function=\"{}\" data-x=\"{:.17g}\" "
                "data-y=\"{:.17g}\" x=\"{:.2f}\" y=\"{:.2f}\" width=\"6\" height=\"6\" "
                "fill=\"{}\" stroke=\"white\"/>\n",
                p == &fp ? "f" : "df", ci, t + 0.0, v, p->px(t) - 3, p->py(v) - 3, c.colour);
        }
      }
  }

  auto draw_dot = [&](const Dot& d, const Panel& p, const char* curve, std::size_t ci,
                      const std::string& colour) {
    if (!p.inside(d.y)) return;
    svg += fmt::format(
        "<circle class=\"dot\" data-curve=\"{}\" data-function=\"{}\" data-kind=\"{}\" "
        "data-x=\"{:.17g}\" data-y=\"{:.17g}\" cx=\"{:.2f}\" cy=\"{:.2f}\" r=\"{}\" fill=\"{}\" "
        "stroke=\"{}\" stroke-width=\"2\"/>\n",
        curve, ci, d.filled ? "filled" : "open", d.x, d.y, p.px(d.x), p.py(d.y), 4.5 + wider(ci),
        d.filled ? colour : "white", colour);
  };
  for (std::size_t ci = 0; ci < curves.size(); ++ci) {
    const Curve& c = curves[ci];
    for (const KinkValues& k : c.fk)
      for (const Dot& d : dots(k.x, k.value, k.left, k.right)) draw_dot(d, fp, "f", ci, c.colour);
    if (o.derivative)
      for (const KinkValues& k : c.dk)
        for (const Dot& d : dots(k.x, k.value, k.left, k.right))
          draw_dot(d, dp, "df", ci, c.colour);
  }

  // legend: one row per function, one for the dashed f', one for the colour scale
  svg += "<g class=\"legend\">\n";
  double row = 46;
  for (std::size_t ci = 0; ci < curves.size(); ++ci, row += 16) {
    const Curve& c = curves[ci];
    std::string name = c.name;
    if (c.more_kinks) name += fmt::format(" (only the first {} kinks marked)", max_kinks);
    svg += fmt::format(
        "<line x1=\"{0}\" y1=\"{1}\" x2=\"{2}\" y2=\"{1}\" stroke=\"{3}\" stroke-width=\"2\"/>"
        "<text class=\"legend-entry\" data-function=\"{4}\" x=\"{5}\" y=\"{6}\">{7}</text>\n",
        left, row, left + 28, c.colour, ci, left + 36, row + 4, xml_escape(name));
  }
  if (o.derivative) {
    svg += fmt::format(
        "<line x1=\"{0}\" y1=\"{1}\" x2=\"{2}\" y2=\"{1}\" stroke=\"#374151\" stroke-width=\"2\" "
        "stroke-dasharray=\"6 4\"/><text x=\"{3}\" y=\"{4}\">f'({5}), below ({6} convention at "
        "kinks)</text>\n",
        left, row, left + 28, left + 36, row + 4, xml_escape(o.x), to_string(o.convention));
    row += 16;
  }
  svg += fmt::format(
      "<circle cx=\"{0}\" cy=\"{1}\" r=\"4\" fill=\"#374151\"/><text x=\"{2}\" y=\"{3}\">the "
      "value at a kink</text><circle cx=\"{4}\" cy=\"{1}\" r=\"4\" fill=\"white\" "
      "stroke=\"#374151\" "
      "stroke-width=\"2\"/><text x=\"{5}\" y=\"{3}\">a one-sided limit it does not take</text>\n",
      left + 14, row, left + 36, row + 4, left + 200, left + 214);
  row += 16;
  if (o.color_by_slope) {
    for (int i = 0; i < 5; ++i)
      svg += fmt::format("<rect x=\"{}\" y=\"{}\" width=\"5.6\" height=\"10\" fill=\"{}\"/>",
                         left + i * 5.6, row - 5, slope_colour((i - 2) / 2.0));
    svg += fmt::format(
        "<text x=\"{}\" y=\"{}\">colour: f'({}) from {} (blue) through 0 (grey) to {} "
        "(red)</text>\n",
        left + 36, row + 4, xml_escape(o.x), tick_label(-slope_scale, slope_scale),
        tick_label(slope_scale, slope_scale));
  }
  svg += "</g>\n</svg>\n";
  return svg;
}

}  // namespace slope
