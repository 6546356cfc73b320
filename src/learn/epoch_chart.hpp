// SPDX-License-Identifier: MIT
// The labs' SVG chart: panels stacked vertically, each a grid over epochs with one polyline per
// series, and a legend at the right. Both labs draw through this, so their charts read alike.
#pragma once

#include <string>
#include <vector>

namespace slope::learn {

/// One line of a panel: a value per epoch, starting at `first_epoch`.
struct EpochSeries {
  std::vector<double> values;
  std::string colour;
  bool dashed = false;
  int first_epoch = 0;
  /// The stroke in pixels. Lines that can coincide (two precisions that never differ) are drawn
  /// widest first, so each one still shows as a band around the next.
  double width = 2;
};

/// One panel: its title, its vertical range and its lines (values outside [lo, hi] are clamped).
struct EpochPanel {
  std::string title;
  double lo = 0, hi = 1;
  std::vector<EpochSeries> series;
};

struct LegendEntry {
  std::string label, colour;
};

struct EpochChart {
  std::string title;  ///< the SVG's <title>, what a screen reader or a tooltip shows
  int epochs = 1;     ///< the horizontal axis runs from 0 to epochs
  std::vector<EpochPanel> panels;
  std::vector<LegendEntry> legend;
};

/// A tidy top for a vertical axis from 0: the largest finite value rounded up to the next grid
/// line, the grid spaced 1, 2, 2.5 or 5 times a power of ten in at most six steps (0.37 -> 0.4,
/// 2.2 -> 2.5, 5 -> 5), so the grid lines read as short numbers; 1 when no value is positive.
double axis_top(const std::vector<std::vector<double>>& series);

/// The chart as a standalone SVG document, 640 pixels wide.
std::string epoch_chart_svg(const EpochChart& chart);

/// Colours that tell lines apart (the usual plotting palette), repeating after three.
const char* line_colour(std::size_t k);

}  // namespace slope::learn
