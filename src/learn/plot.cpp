// SPDX-License-Identifier: MIT
// The SVG plotter: samples f and f', picks "nice" ticks, and writes paths broken at kinks.
#include "slope/plot.hpp"

#include <algorithm>
#include <cmath>
#include <stdexcept>
#include <unordered_map>

#include "slope/build.hpp"
#include "slope/diff.hpp"
#include "slope/error.hpp"
#include "slope/explain.hpp"
#include "slope/print.hpp"
#include "slope/simplify.hpp"

namespace slope {
namespace {

std::string xml_escape(std::string_view s) {
  std::string out;
  for (char c : s) {
    switch (c) {
      case '<':
        out += "&lt;";
        break;
      case '>':
        out += "&gt;";
        break;
      case '&':
        out += "&amp;";
        break;
      case '"':
        out += "&quot;";
        break;
      default:
        out += c;
    }
  }
  return out;
}

/// A tick step of 1, 2 or 5 times a power of ten giving about `count` ticks over `span`.
double nice_step(double span, int count) {
  const double raw = span / count;
  const double p = std::pow(10.0, std::floor(std::log10(raw)));
  for (double m : {1.0, 2.0, 5.0, 10.0})
    if (m * p >= raw) return m * p;
  return 10 * p;
}

std::string tick_label(double v, double step) {
  if (std::abs(v) < step * 1e-9) v = 0;
  return fmt::format("{:g}", v);
}

/// How an expression depends on x: not at all, affinely (a kink of it sits at one fixed x), or
/// otherwise. Memoized across calls, so the kinks of a 400-deep chain cost its size once rather
/// than a differentiation each (which made plotting it take seconds).
class Affinity {
 public:
  enum Kind { constant, affine, other };
  explicit Affinity(std::string x) : x_(std::move(x)) {}
  Kind of(const Expr& root) {
    std::vector<Expr> stack{root};
    while (!stack.empty()) {
      const Expr n = stack.back();
      if (memo_.count(n.id())) {
        stack.pop_back();
        continue;
      }
      bool ready = true;
      for (const Expr& a : n.args())
        if (!memo_.count(a.id())) stack.push_back(a), ready = false;
      if (!ready) continue;
      stack.pop_back();
      memo_.emplace(n.id(), kind(n));
    }
    return memo_.at(root.id());
  }

 private:
  Kind kind(const Expr& n) const {
    if (n.is_var()) return n.name() == x_ ? affine : constant;
    std::size_t varying = 0;
    bool all_affine = true;
    for (const Expr& a : n.args()) {
      const Kind k = memo_.at(a.id());
      varying += k != constant;
      all_affine &= k != other;
    }
    if (varying == 0) return constant;
    if (n.op() == Op::Add && all_affine) return affine;
    if (n.op() == Op::Mul && varying == 1 && all_affine) return affine;
    return other;
  }
  std::string x_;
  std::unordered_map<NodeId, Kind> memo_;
};

}  // namespace

std::string plot_svg(const Expr& f, const PlotOptions& o) {
  if (!(o.to > o.from))
    throw std::invalid_argument("plot: the range is empty (--from must be less than --to)");
  if (o.points < 2) throw std::invalid_argument("plot: needs at least 2 points");
  const Expr df = diff(f, o.x, o.convention);

  // Kink positions inside the range (only those at a fixed x).
  std::vector<double> kink_x;
  Affinity affinity(o.x);
  for (const Kink& k : kinks(f)) {
    if (affinity.of(k.lhs) == Affinity::other || affinity.of(k.rhs) == Affinity::other) continue;
    const Expr t = k.lhs - k.rhs;
    Env env = o.others;
    const Expr slope = diff(t, o.x);
    if (!is_constant_expr(slope) || slope.is_const(0)) continue;
    env[o.x] = 0;
    try {
      const double at = -eval(t, env) / eval(slope, env);
      if (at >= o.from && at <= o.to && std::find(kink_x.begin(), kink_x.end(), at) == kink_x.end())
        kink_x.push_back(at);
    } catch (const Error&) {
    }
  }
  std::sort(kink_x.begin(), kink_x.end());

  struct Sample {
    double x, y, dy;
  };
  std::vector<Sample> samples;
  Env env = o.others;
  auto sample = [&](double xv) {
    env[o.x] = xv;
    samples.push_back({xv, eval(f, env), eval(df, env)});
  };
  for (int i = 0; i < o.points; ++i) sample(o.from + (o.to - o.from) * i / (o.points - 1));
  for (double k : kink_x) sample(k);
  std::sort(samples.begin(), samples.end(),
            [](const Sample& a, const Sample& b) { return a.x < b.x; });

  double lo = 0, hi = 0;
  for (const Sample& s : samples)
    for (double v : {s.y, s.dy})
      if (std::isfinite(v)) lo = std::min(lo, v), hi = std::max(hi, v);
  const double limit = 1e6;  // keep blow-ups (1/x) from flattening the picture
  lo = std::max(lo, -limit), hi = std::min(hi, limit);
  if (hi - lo < 1e-9) hi = lo + 1;
  const double pad = (hi - lo) * 0.08;
  lo -= pad, hi += pad;

  const double left = 56, right = o.width - 16.0, top = 62, bottom = o.height - 36.0;
  auto px = [&](double xv) { return left + (xv - o.from) / (o.to - o.from) * (right - left); };
  auto py = [&](double yv) {
    return bottom - (std::clamp(yv, lo, hi) - lo) / (hi - lo) * (bottom - top);
  };

  std::string svg = fmt::format(
      "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
      "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"{}\" height=\"{}\" viewBox=\"0 0 {} {}\" "
      "font-family=\"Helvetica, Arial, sans-serif\" font-size=\"12\">\n"
      "<rect width=\"100%\" height=\"100%\" fill=\"white\"/>\n",
      o.width, o.height, o.width, o.height);

  // grid, ticks and labels
  const double xs = nice_step(o.to - o.from, 8), ys = nice_step(hi - lo, 6);
  svg += "<g stroke=\"#e5e7eb\" stroke-width=\"1\">\n";
  for (double t = std::ceil(o.from / xs) * xs; t <= o.to + xs * 1e-9; t += xs)
    svg += fmt::format("<line x1=\"{0:.2f}\" y1=\"{1:.2f}\" x2=\"{0:.2f}\" y2=\"{2:.2f}\"/>\n",
                       px(t), top, bottom);
  for (double t = std::ceil(lo / ys) * ys; t <= hi + ys * 1e-9; t += ys)
    svg += fmt::format("<line x1=\"{1:.2f}\" y1=\"{0:.2f}\" x2=\"{2:.2f}\" y2=\"{0:.2f}\"/>\n",
                       py(t), left, right);
  svg += "</g>\n<g fill=\"#374151\">\n";
  for (double t = std::ceil(o.from / xs) * xs; t <= o.to + xs * 1e-9; t += xs)
    svg += fmt::format("<text x=\"{:.2f}\" y=\"{:.2f}\" text-anchor=\"middle\">{}</text>\n", px(t),
                       bottom + 16, tick_label(t, xs));
  for (double t = std::ceil(lo / ys) * ys; t <= hi + ys * 1e-9; t += ys)
    svg += fmt::format("<text x=\"{:.2f}\" y=\"{:.2f}\" text-anchor=\"end\">{}</text>\n", left - 6,
                       py(t) + 4, tick_label(t, ys));
  svg += fmt::format("<text x=\"{:.2f}\" y=\"{:.2f}\" text-anchor=\"end\">{}</text>\n</g>\n", right,
                     bottom + 30, xml_escape(o.x));

  // axes through the origin when it is in view
  svg += "<g stroke=\"#6b7280\" stroke-width=\"1.2\">\n";
  if (lo <= 0 && hi >= 0)
    svg += fmt::format("<line x1=\"{:.2f}\" y1=\"{:.2f}\" x2=\"{:.2f}\" y2=\"{:.2f}\"/>\n", left,
                       py(0), right, py(0));
  if (o.from <= 0 && o.to >= 0)
    svg += fmt::format("<line x1=\"{:.2f}\" y1=\"{:.2f}\" x2=\"{:.2f}\" y2=\"{:.2f}\"/>\n", px(0),
                       top, px(0), bottom);
  svg += "</g>\n";

  // curves: a new path segment after each kink and around undefined values
  auto curve = [&](auto value, const char* colour, const char* dash) {
    std::string d;
    bool pen_down = false;
    std::size_t next_kink = 0;
    for (const Sample& s : samples) {
      const double v = value(s);
      bool crossed = false;
      while (next_kink < kink_x.size() && kink_x[next_kink] < s.x) ++next_kink, crossed = true;
      const bool at_kink = next_kink < kink_x.size() && kink_x[next_kink] == s.x;
      if (!std::isfinite(v) || at_kink) {
        pen_down = false;  // the kink's own value is shown as a dot, not joined to its neighbours
        continue;
      }
      d += fmt::format("{}{:.2f},{:.2f} ", pen_down && !crossed ? "L" : "M", px(s.x), py(v));
      pen_down = true;
    }
    return fmt::format("<path d=\"{}\" fill=\"none\" stroke=\"{}\" stroke-width=\"2\"{}/>\n", d,
                       colour, dash);
  };
  svg += curve([](const Sample& s) { return s.y; }, "#2563eb", "");
  svg += curve([](const Sample& s) { return s.dy; }, "#ea580c", " stroke-dasharray=\"6 4\"");

  // kinks: a dotted line, a dot on f and one on the value f' takes there
  for (double k : kink_x) {
    env = o.others;
    env[o.x] = k;
    const double fy = eval(f, env), dy = eval(df, env);
    svg += fmt::format(
        "<line x1=\"{0:.2f}\" y1=\"{1:.2f}\" x2=\"{0:.2f}\" y2=\"{2:.2f}\" stroke=\"#9ca3af\" "
        "stroke-dasharray=\"2 3\"/>\n",
        px(k), top, bottom);
    if (std::isfinite(fy))
      svg += fmt::format("<circle cx=\"{:.2f}\" cy=\"{:.2f}\" r=\"4\" fill=\"#2563eb\"/>\n", px(k),
                         py(fy));
    if (std::isfinite(dy))
      svg += fmt::format("<circle cx=\"{:.2f}\" cy=\"{:.2f}\" r=\"4\" fill=\"#ea580c\"/>\n", px(k),
                         py(dy));
    svg += fmt::format(
        "<text x=\"{:.2f}\" y=\"{:.2f}\" fill=\"#6b7280\" text-anchor=\"middle\">kink</text>\n",
        px(k), top - 4);
  }

  // legend
  std::string name = "f(" + o.x + ") = ";
  try {
    name += to_text_within(f, 10'000);
  } catch (const TextTooLong&) {  // no legend shows more; a shared graph can spell out to 2^40
    name += fmt::format("(an expression of {} nodes)", node_count(f));
  }
  svg += fmt::format(
      "<g>\n<line x1=\"{0}\" y1=\"16\" x2=\"{1}\" y2=\"16\" stroke=\"#2563eb\" stroke-width=\"2\"/>"
      "<text x=\"{2}\" y=\"20\">{3}</text>\n"
      "<line x1=\"{0}\" y1=\"32\" x2=\"{1}\" y2=\"32\" stroke=\"#ea580c\" stroke-width=\"2\" "
      "stroke-dasharray=\"6 4\"/>"
      "<text x=\"{2}\" y=\"36\">f'({4}) ({5} convention at kinks)</text>\n</g>\n</svg>\n",
      left, left + 28, left + 36, xml_escape(name), xml_escape(o.x), to_string(o.convention));
  return svg;
}

}  // namespace slope
