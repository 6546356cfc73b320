// SPDX-License-Identifier: MIT
/// \file
/// SVG plots of f and its derivative, for learners' notes and slides; no Python needed.
#pragma once

#include <span>
#include <string>
#include <vector>

#include "slope/convention.hpp"
#include "slope/eval.hpp"
#include "slope/expr.hpp"

namespace slope {

/// What plot_svg draws and how.
struct PlotOptions {
  std::string x = "x";  ///< the variable on the horizontal axis
  ///@{
  /// The range of x.
  double from = -2, to = 2;
  ///@}
  int points = 400;  ///< samples across the range (kinks are added to them)
  Convention convention = Convention::min_norm;  ///< for f' at the kinks
  Env others;                                    ///< values of the other variables
  int width = 640;                               ///< pixels
  int height = 0;                                ///< 0: 400, or 600 with the derivative panel
  bool derivative = true;                        ///< a second panel below f with f'
  bool markers = false;            ///< a square marker on each curve at each x grid line
  bool color_by_slope = false;     ///< colour f and the regions under it by f' (one function only)
  std::string title;               ///< empty: the functions' names
  std::vector<std::string> names;  ///< legend names, one per function; empty: their text
};

/**
 * An SVG image: a panel with f (solid) and, unless `derivative` is false, a panel below with f'
 * (dashed, the convention's value at kinks), sharing the x axis, with a title, y labels, ticks
 * and a legend. Every kink and jump found by find_kinks in the range is marked with a line
 * across both panels and dots: a filled dot at the value f (or f') takes there, an open dot at
 * each one-sided limit that differs from it, and the curve broken there. The y range of each
 * panel comes from quantiles of the finite samples, so a pole (1/x) does not flatten the
 * picture; a curve leaving the panel is cut at its edge. The elements carry classes and data-
 * attributes (exact x and y values) so that tests and tools can read them back.
 * Throws std::invalid_argument for an empty range, fewer than 2 points, no functions, or
 * color_by_slope with several functions.
 */
std::string plot_svg(std::span<const Expr> functions, const PlotOptions& options = {});

/// plot_svg of one function:
/// `plot_svg(relu(x), {.from = -2, .to = 2, .points = 400})` draws relu and its derivative,
/// with the kink at 0 marked.
std::string plot_svg(const Expr& f, const PlotOptions& options = {});

}  // namespace slope
