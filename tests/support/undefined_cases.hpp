// SPDX-License-Identifier: MIT
// Points where an op sits at its switch under the undefined convention, and f's derivative there
// worked by hand: a value where f is differentiable (a max tie on a whole stretch, a touch with
// equal slopes, branches that meet with one slope), NaN at a kink or a jump. The tests also
// check each against the exact one-sided analysis (OneSided::whole(undefined)).
#pragma once

#include <limits>
#include <ostream>
#include <string>
#include <vector>

namespace slope::testing {

struct UndefinedCase {
  std::string text;  ///< f of x alone, as a user types it
  double x;
  double slope;  ///< f'(x), NaN where f has none
};

inline std::ostream& operator<<(std::ostream& os, const UndefinedCase& c) {
  return os << c.text << " at x = " << c.x;
}

inline std::vector<UndefinedCase> undefined_cases() {
  const double none = std::numeric_limits<double>::quiet_NaN();
  return {
      {"max(abs(x), x)", 0.5, 1},   // abs(x) = x on x >= 0: f = x there
      {"max(abs(x), x)", 0, none},  // slopes -1 | 1
      {"min(x, abs(x))", 2, 1},
      {"max(sin(x), x)", 0, 1},                          // a touch: sin'(0) = 1 = x'
      {"max(x^2, 0)", 0, 0},                             // f = x^2
      {"max(x, 2*x)", 0, none},                          // slopes 1 | 2
      {"min(x^3, -x^3)", 0, 0},                          // f = -|x|^3
      {"piecewise(x > 0: x^2, otherwise: 0)", 0, 0},     // the branches meet, slope 0
      {"piecewise(x > 0: sin(x), otherwise: x)", 0, 1},  // they meet with slope 1
      {"piecewise(x > 0: 2*x, otherwise: x)", 0, none},  // slopes 1 | 2
      {"where(x > 0, x + 1, x)", 0, none},               // a jump
      // an op at its kink on a whole stretch where its argument stays put: f is flat there
      {"relu(relu(x) - x)", 1, 0},
      {"abs(relu(x) - x)", 2, 0},
      {"log(abs(abs(x) + x) + 0.25)", -1, 0},
      {"hardtanh(relu(x) - x + 1)", 2, 0},
      // clamp at a tie with a bound that moves: as max (or min) of x and the bound
      {"clamp(x, relu(x), 1)", 0.5, 1},   // x on [0, 1]
      {"clamp(x, relu(x), 1)", 0, none},  // slopes 0 | 1
      {"clamp(x, x, 1)", 1, none},        // min(x, 1): slopes 1 | 0
      {"clamp(x, -1, x)", 0.3, 1},
      {"clamp(0, x, 1)", 1, none},      // lo meets hi: min(x, 1), slopes 1 | 0
      {"clamp(x, 1, 2*x)", 0.5, none},  // 2*x below 0.5, then 1: slopes 2 | 0
      {"clamp(x, 1, 2*x)", 0, 2},       // x meets hi where lo > hi: f is 2*x
      {"clamp(x, x, x)", 1, 1},         // all three tie: f = x
      // an argument max does not take passes nothing on, though its relu sits at its kink
      {"max(clamp(x, 0.5*x, x), relu(1 - x))", 1, 1},
  };
}

}  // namespace slope::testing
