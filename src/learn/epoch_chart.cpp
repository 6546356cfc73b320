// SPDX-License-Identifier: MIT
#include "learn/epoch_chart.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>

#include "text/xml_text.hpp"

namespace slope::learn {

namespace {

constexpr double chart_width = 640, panel_left = 70, panel_width = 410, panel_height = 170,
                 panel_pitch = 250, first_panel_top = 40, legend_left = 500;

/// Where a panel sits, and the map from (epoch, value) to pixels.
struct Frame {
  double top, lo, hi;
  int epochs;
  double x(double epoch) const { return panel_left + panel_width * epoch / std::max(epochs, 1); }
  double y(double v) const { return top + panel_height * (hi - v) / (hi - lo); }
};

/// The spacing of a panel's grid lines: 1, 2, 2.5 or 5 times a power of ten, giving at most
/// six intervals, so every line's value is a short number.
double grid_step(double span) {
  const double raw = span / 6;
  const double power = std::pow(10.0, std::floor(std::log10(raw)));
  for (const double m : {1.0, 2.0, 2.5, 5.0})
    if (m * power >= raw) return m * power;
  return 10 * power;
}

std::string panel_svg(const Frame& f, const EpochPanel& panel) {
  std::string s = fmt::format(
      "<rect x=\"{}\" y=\"{}\" width=\"{}\" height=\"{}\" fill=\"none\" stroke=\"#999\"/>\n"
      "<text x=\"{}\" y=\"{}\" font-weight=\"bold\">{}</text>\n",
      panel_left, f.top, panel_width, panel_height, panel_left, f.top - 8,
      detail::xml_escape(panel.title));
  const double step = grid_step(f.hi - f.lo);
  const int lines = static_cast<int>(std::lround((f.hi - f.lo) / step));
  for (int k = 0; k <= lines; ++k) {  // horizontal grid lines with their values
    const double v = f.lo + step * k;
    s += fmt::format(
        "<line x1=\"{0}\" y1=\"{1:.2f}\" x2=\"{2}\" y2=\"{1:.2f}\" stroke=\"#eee\"/>\n"
        "<text x=\"{3}\" y=\"{4:.2f}\" text-anchor=\"end\">{5:.4g}</text>\n",
        panel_left, f.y(v), panel_left + panel_width, panel_left - 6, f.y(v) + 4, v);
  }
  const int every = std::max(1, f.epochs / 10);  // at most about ten epoch labels
  for (int e = 0; e <= f.epochs; e += every)
    s += fmt::format("<text x=\"{:.2f}\" y=\"{}\" text-anchor=\"middle\">{}</text>\n", f.x(e),
                     f.top + panel_height + 16, e);
  for (const EpochSeries& line : panel.series) {
    std::string points;
    for (std::size_t e = 0; e < line.values.size(); ++e)
      points += fmt::format("{}{:.2f},{:.2f}", e ? " " : "",
                            f.x(static_cast<double>(e) + line.first_epoch),
                            f.y(std::clamp(line.values[e], f.lo, f.hi)));
    s += fmt::format(
        "<polyline points=\"{}\" fill=\"none\" stroke=\"{}\" stroke-width=\"{}\"{}/>\n", points,
        line.colour, line.width, line.dashed ? " stroke-dasharray=\"6 4\"" : "");
    // a line of one point draws nothing: mark the point
    if (line.values.size() == 1)
      s += fmt::format("<circle cx=\"{:.2f}\" cy=\"{:.2f}\" r=\"{}\" fill=\"{}\"/>\n",
                       f.x(line.first_epoch), f.y(std::clamp(line.values[0], f.lo, f.hi)),
                       line.width + 1, line.colour);
  }
  return s;
}

}  // namespace

double axis_top(const std::vector<std::vector<double>>& series) {
  double top = 0;
  for (const auto& values : series)
    for (const double v : values)
      if (std::isfinite(v)) top = std::max(top, v);
  if (!(top > 0)) return 1;
  const double step = grid_step(top);
  return std::ceil(top / step * (1 - 1e-12)) * step;  // a top already on the grid stays
}

const char* line_colour(std::size_t k) {
  static constexpr const char* colours[] = {"#1f77b4", "#d62728", "#2ca02c"};
  return colours[k % 3];
}

std::string epoch_chart_svg(const EpochChart& chart) {
  const double height = first_panel_top + panel_pitch * static_cast<double>(chart.panels.size());
  std::string s = fmt::format(
      "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"{0}\" height=\"{1}\" "
      "viewBox=\"0 0 {0} {1}\" font-family=\"sans-serif\" font-size=\"12\">\n"
      "<title>{2}</title>\n"
      "<rect width=\"{0}\" height=\"{1}\" fill=\"white\"/>\n",
      chart_width, height, detail::xml_escape(chart.title));
  for (std::size_t k = 0; k < chart.panels.size(); ++k) {
    const EpochPanel& p = chart.panels[k];
    const Frame frame{first_panel_top + panel_pitch * static_cast<double>(k), p.lo, p.hi,
                      chart.epochs};
    s += panel_svg(frame, p);
  }
  s += fmt::format("<text x=\"{}\" y=\"{}\" text-anchor=\"middle\">epoch</text>\n",
                   panel_left + panel_width / 2, height - 20);
  for (std::size_t k = 0; k < chart.legend.size(); ++k) {
    const double y = first_panel_top + 20 + 20 * static_cast<double>(k);
    s += fmt::format(
        "<line x1=\"{0}\" y1=\"{1}\" x2=\"{2}\" y2=\"{1}\" stroke=\"{3}\" stroke-width=\"2\"/>\n"
        "<text x=\"{4}\" y=\"{5}\">{6}</text>\n",
        legend_left, y, legend_left + 25, chart.legend[k].colour, legend_left + 30, y + 4,
        detail::xml_escape(chart.legend[k].label));
  }
  return s + "</svg>\n";
}

}  // namespace slope::learn
