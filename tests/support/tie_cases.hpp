// SPDX-License-Identifier: MIT
// Conditions that hold with equality on a whole interval (issue 11, "wrong today" 1-3). The
// expected slopes are the mathematics, worked by hand: on the interval the condition's value
// picks one branch for every nearby point, so that branch's slope is the derivative. The tests
// also confirm each by a central difference, since none of these points is a kink of f.
#pragma once

#include <ostream>
#include <string>
#include <vector>

#include "slope/slope.hpp"

namespace slope::testing {

struct TieCase {
  std::string text;           ///< parsed, so the cases read as a user types them
  Env at;                     ///< a point inside the interval where the sides tie
  std::vector<double> slope;  ///< d f / d x, then d f / d y when f has y
};

inline std::ostream& operator<<(std::ostream& os, const TieCase& c) { return os << c.text; }

inline std::vector<TieCase> tie_cases() {
  return {
      // f = 3x for every x < 0: relu(x) > 0 is false there and stays false
      {"piecewise(relu(x) > 0: x^2, otherwise: 3*x)", {{"x", -1}}, {3}},
      // clamp(x, 0, 1) = 1 for x >= 1: the condition holds on the whole interval
      {"where(clamp(x, 0, 1) >= 1, 5*x, x)", {{"x", 3}}, {5}},
      // relu(x) = relu(y) = 0 while both are negative: the else branch 2y
      {"where(relu(x) > relu(y), x, 2*y)", {{"x", -1}, {"y", -2}}, {0, 2}},
      // hardtanh(x) = 1 for x >= 1: the condition hardtanh(x) < 1 stays false
      {"where(hardtanh(x) < 1, 2*x, 7*x)", {{"x", 2}}, {7}},
      // abs(relu(x)) >= 0 always: x^2 everywhere
      {"piecewise(abs(relu(x)) >= 0: x*x, otherwise: 0)", {{"x", -1.5}}, {-3}},
      {"piecewise(abs(relu(x)) >= 0: x*x, otherwise: 0)", {{"x", 2}}, {4}},
      // 0 times infinity: f is 0 for x < 0, so f' is 0 there, not undefined
      {"sqrt(relu(x))", {{"x", -1}}, {0}},
      {"sqrt(relu(x))", {{"x", 4}}, {0.25}},
      {"relu(x)^0.5 + sqrt(relu(-x))", {{"x", 4}}, {0.25}},
  };
}

/// Ties whose sides jump, kink or part flatter than any power (issue 11): which branch each side
/// of the point takes is read from the sides' pieces there (symbolic/side.hpp), not from the
/// derivatives of their difference; and equalities whose branches meet up to rounding. Slopes
/// worked by hand.
struct SidesTie {
  std::string text;
  /// f's slope under the left and the right convention: equal where f is differentiable, and
  /// then f's slope under every convention
  double below, above;
  double at = 0;  ///< x
};

inline std::ostream& operator<<(std::ostream& os, const SidesTie& c) { return os << c.text; }

inline std::vector<SidesTie> sides_tie_cases() {
  return {
      // sign(x) == 0 at 0 alone, where 2x = 3x = 0: f = 3x near 0 and at 0
      {"where(sign(x) == 0, 2*x, 3*x)", 3, 3},
      // abs(x) > 0 beside 0 on both sides; at 0 the else branch, also 0 there: f = 2x
      {"where(abs(x) > 0, 2*x, 3*x)", 2, 2},
      // leaky_relu(x, x) < x nowhere near 0 (x^2 - x > 0 left, tied right): f = x
      {"where(leaky_relu(x, x) < x, cos(x), x)", 1, 1},
      // the left side jumps (tanh(-2.39), tanh(-1.39), 0 at 0) and stays below x: f = x
      {"where(tanh(sign(x^2)*(heaviside(x) - 2.39)) <= x, x, 5*x)", 1, 1},
      // relu(x) >= 0 holds on both sides (tied on the left, above on the right): f = x^2 + x
      {"where(relu(x) >= 0, x^2 + x, 3*x)", 1, 1},
      // boundaries: sign(x) and relu(x) - x part upward (along lhs - rhs) to the right, so the
      // left convention takes the branch on the left
      {"where(sign(x) > 0, 2*x, 3*x)", 3, 2},
      {"where(relu(x) > 0, x^2, 3*x)", 3, 0},
      // an equality tied on the left only: a boundary along relu(x) - 0 (f is |x|)
      {"where(relu(x) == 0, -x, x)", -1, 1},
      // combined by and, or, not: x^2 > 0 holds on both sides of 0, not at it; 2x = 3x there
      {"where(x^2 > 0 and x < 1, 2*x, 3*x)", 2, 2},
      {"where(not (abs(x) > 0) or x > 5, 3*x, 2*x)", 2, 2},
      // 3*0.3 is 0.9 - 1.1e-16 in doubles: the branches meet (f = 3x), up to rounding
      {"where(x != 0.3, 3*x, 0.9)", 3, 3, 0.3},
      {"where(x == 0.3, 0.9, 3*x)", 3, 3, 0.3},
  };
}

}  // namespace slope::testing
