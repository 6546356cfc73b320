// SPDX-License-Identifier: MIT
// SVG plots of f and its derivative, for learners' notes and slides; no Python needed.
#pragma once

#include <string>

#include "slope/convention.hpp"
#include "slope/eval.hpp"
#include "slope/expr.hpp"

namespace slope {

struct PlotOptions {
  std::string x = "x";       ///< the variable on the horizontal axis
  double from = -2, to = 2;  ///< its range
  int points = 400;          ///< samples across the range
  Convention convention = Convention::min_norm;
  Env others;  ///< values of the other variables
  int width = 640, height = 400;
};

/**
 * An SVG image: f as a solid line, f' as a dashed one, axes with ticks and labels, a legend,
 * and each kink inside the range marked with a dotted line and a dot on f. Lines break at kinks
 * and at undefined values, so a jump in f' is not drawn as a vertical stroke.
 * Throws std::invalid_argument for an empty range or fewer than 2 points.
 */
std::string plot_svg(const Expr& f, const PlotOptions& options = {});

}  // namespace slope
