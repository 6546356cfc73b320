// SPDX-License-Identifier: MIT
// Conditions whose sides tie at a point without crossing to first order: they touch (x^2 > 0 at
// 0) or cross at a higher order (x^3 > 0 at 0). The sides still part there, so the tie is a
// boundary of the piecewise and each convention picks as the reference says
// (../shared/reference/kink-conventions.md): measured along t = lhs - rhs, `left` takes the slope
// of the branch active for t < 0, `right` of the one for t > 0, `average` their mean, `min_norm`
// 0 when a branch is constant and their mean otherwise, `undefined` none. Worked by hand.
#pragma once

#include <limits>
#include <ostream>
#include <string>
#include <vector>

#include "slope/slope.hpp"

namespace slope::testing {

struct TouchCase {
  std::string text;  ///< as a user types it
  Env at;            ///< the point where the sides tie
  std::string wrt;
  double min_norm, left, right, average, undefined;
};

inline std::ostream& operator<<(std::ostream& os, const TouchCase& c) {
  return os << c.text << " d/d" << c.wrt;
}

inline std::vector<TouchCase> touch_cases() {
  const double none = std::numeric_limits<double>::quiet_NaN();
  const Env origin{{"x", 0}}, both{{"x", 0}, {"y", 0}};
  return {
      // t = x^2 >= 0: then-branch x above (slope 1), otherwise 0 below
      {"where(x^2 > 0, x, 0)", origin, "x", 0, 0, 1, 0.5, none},
      {"piecewise(x^2 > 0: 0, otherwise: x)", origin, "x", 0, 1, 0, 0.5, none},
      // t = cos(x) - 1 <= 0: `<` takes the then-branch 3x below, x above
      {"where(cos(x) < 1, 3*x, x)", origin, "x", 2, 3, 1, 2, none},
      // t = x^3 and x - sin(x) cross with slope 0 (their first non-zero derivative is the third),
      // x*abs(x) with a slope that has a kink there
      {"piecewise(x^3 > 0: 2*x, otherwise: x)", origin, "x", 1.5, 1, 2, 1.5, none},
      {"where(x - sin(x) > 0, 2*x, x)", origin, "x", 1.5, 1, 2, 1.5, none},
      {"where(x*abs(x) > 0, 2*x, x)", origin, "x", 1.5, 1, 2, 1.5, none},
      // t = x^2 + y^2 touches 0 as either variable moves alone
      {"where(x^2 + y^2 > 0, x + 2*y, 0)", both, "x", 0, 0, 1, 0.5, none},
      {"where(x^2 + y^2 > 0, x + 2*y, 0)", both, "y", 0, 0, 2, 1, none},
  };
}

}  // namespace slope::testing
