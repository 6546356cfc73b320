// SPDX-License-Identifier: MIT
// Conditions whose sides tie at a point without crossing to first order. Where they cross at a
// higher order (x^3 > 0 at 0) the tie is a boundary of the piecewise and each convention picks
// as the reference says (../shared/reference/kink-conventions.md): measured along
// t = lhs - rhs, `left` takes the slope of the branch active for t < 0, `right` of the one for
// t > 0, `average` their mean, `min_norm` 0 when a branch is constant and their mean otherwise,
// `undefined` none. Where they only touch (x^2 > 0 at 0), both sides take one branch: where f
// is continuous its slope is that branch's under every convention (f is differentiable there);
// where f jumps at the point alone, the slope of the branch taken at the point, as at any jump
// (undefined: none, unless both pieces are flat). An equality l == r (or l != r) at a point
// where the sides part is the same: beside it, l != r on both sides. Worked by hand.
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
      // t = x^2 >= 0 touches: the then-branch x on both sides, and at 0 the else-branch 0 meets
      // it, so f is x (slope 1); the other way round f is 0
      {"where(x^2 > 0, x, 0)", origin, "x", 1, 1, 1, 1, 1},
      {"piecewise(x^2 > 0: 0, otherwise: x)", origin, "x", 0, 0, 0, 0, 0},
      // x^2 >= 0 holds everywhere: f is 5x; -x^2 > 0 nowhere: f is 5x
      {"where(x^2 >= 0, 5*x, x)", origin, "x", 5, 5, 5, 5, 5},
      {"where(-x^2 > 0, x, 5*x)", origin, "x", 5, 5, 5, 5, 5},
      // t = cos(x) - 1 <= 0: `<` takes the then-branch 3x on both sides, and x meets it at 0
      {"where(cos(x) < 1, 3*x, x)", origin, "x", 3, 3, 3, 3, 3},
      // f jumps at the point alone (x beside 0, 5 at 0): the slope of the branch taken there
      {"where(x^2 > 0, x, 5)", origin, "x", 0, 0, 0, 0, none},
      // a jump between branches of one slope: that slope under each convention, none under
      // undefined, touching or crossing (the tape once skipped the sides where slopes agreed)
      {"where(x^2 > 0, 2*x + 1, 2*x)", origin, "x", 2, 2, 2, 2, none},
      {"where(x^3 > 0, 2*x + 1, 2*x)", origin, "x", 2, 2, 2, 2, none},
      // an equality: beside 0, x != 0 holds on both sides, so f is 2x (slope 2); where f is
      // apart at 0 alone the branch taken there, flat or not (undefined: only a flat jump)
      {"where(x != 0, 2*x, 0)", origin, "x", 2, 2, 2, 2, 2},
      {"where(x == 0, 0, 2*x)", origin, "x", 2, 2, 2, 2, 2},
      {"where(x != 0, x, 5)", origin, "x", 0, 0, 0, 0, none},
      {"where(x != 0, 1, 3)", origin, "x", 0, 0, 0, 0, 0},
      // a switch inside the sides' slope that itself touches (clamp's slope switches where x^2
      // touches 0): f is 0 on both sides and at 0
      {"where(clamp(x^2, 0, 1) <= 0, x, 0)", origin, "x", 0, 0, 0, 0, 0},
      {"where(relu(x^2) <= 0, x, 0)", origin, "x", 0, 0, 0, 0, 0},
      // t = x^3 and x - sin(x) cross with slope 0 (their first non-zero derivative is the third),
      // x*abs(x) with a slope that has a kink there
      {"piecewise(x^3 > 0: 2*x, otherwise: x)", origin, "x", 1.5, 1, 2, 1.5, none},
      {"where(x - sin(x) > 0, 2*x, x)", origin, "x", 1.5, 1, 2, 1.5, none},
      {"where(x*abs(x) > 0, 2*x, x)", origin, "x", 1.5, 1, 2, 1.5, none},
      // a comparison combined by and, or, not, at its boundary: the convention weighs it as it
      // would the comparison alone, along its lhs - rhs (min_norm: halves, as both branches move)
      {"where(x > 0 and x < 1, 2*x, 3*x)", origin, "x", 2.5, 3, 2, 2.5, none},
      {"where(x > 0 and x < 1, 2*x, 3*x)", {{"x", 1}}, "x", 2.5, 2, 3, 2.5, none},
      {"where(not (x > 0), 3*x, 2*x)", origin, "x", 2.5, 3, 2, 2.5, none},
      {"where(x < -1 or x > 1, x^2, 5*x)", {{"x", 1}}, "x", 3.5, 5, 2, 3.5, none},
      // relu(x) > 0 is tied on both sides of -1 and decides nothing there: x < -1 does, first
      // or second (the tied one once decided, giving 3 under every convention)
      {"where(relu(x) > 0 or x < -1, 2*x, 3*x)", {{"x", -1}}, "x", 2.5, 2, 3, 2.5, none},
      {"where(x < -1 or relu(x) > 0, 2*x, 3*x)", {{"x", -1}}, "x", 2.5, 2, 3, 2.5, none},
      {"where(relu(x) <= 0 and x > -1, 2*x, 3*x)", {{"x", -1}}, "x", 2.5, 3, 2, 2.5, none},
      // a constant branch under min_norm, as for a comparison alone: the flat one
      {"where(x > 0 and x < 1, 2*x, 0)", origin, "x", 0, 0, 2, 1, none},
      // in two variables: along x the combination is x > 0 (y < 1 holds); along y it holds on
      // both sides of y = 0
      {"where(x > 0 and y < 1, 2*x + y, 3*x)", both, "x", 2.5, 3, 2, 2.5, none},
      {"where(x > 0 and y < 1, 2*x + y, 3*x)", both, "y", 0, 0, 0, 0, 0},
      // t = x^2 + y^2 touches 0 as either variable moves alone; f is x + 2*y
      {"where(x^2 + y^2 > 0, x + 2*y, 0)", both, "x", 1, 1, 1, 1, 1},
      {"where(x^2 + y^2 > 0, x + 2*y, 0)", both, "y", 2, 2, 2, 2, 2},
  };
}

}  // namespace slope::testing
