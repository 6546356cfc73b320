// SPDX-License-Identifier: MIT
// Side: the piece an expression equals on one side of a point, the lexicographic sign that
// chooses it.
#include "symbolic/side.hpp"

#include <boost/test/unit_test.hpp>

#include "slope/slope.hpp"

using namespace slope;
using detail::Side;

namespace {
const Expr x = var("x"), y = var("y");
}

BOOST_AUTO_TEST_CASE(the_sign_is_the_first_non_zero_of_value_and_derivatives) {
  const Env at0{{"x", 0}, {"y", 0}};
  Side right(x.name(), at0, +1), left(x.name(), at0, -1);
  BOOST_TEST(right.sign(x) == 1);
  BOOST_TEST(left.sign(x) == -1);
  BOOST_TEST(right.sign(x * x) == 1);  // value 0, slope 0, curvature 2
  BOOST_TEST(left.sign(x * x) == 1);
  BOOST_TEST(left.sign(pow(x, 3)) == -1);   // decided by the third derivative
  BOOST_TEST(left.sign(-pow(x, 8)) == -1);  // the eighth
  // past the highest order, the sign at shrinking steps off the point: x^9 shrinks with them
  BOOST_TEST(right.sign(pow(x, 9)) == 1);
  BOOST_TEST(left.sign(pow(x, 9)) == -1);
  // rounding noise does not shrink with the step: sin(x)^2 + cos(x)^2 - 1 is a tie
  BOOST_TEST(right.sign(pow(sin(x + 1), 2) + pow(cos(x + 1), 2) - 1) == 0);
  // no value at the point: the sign of its limit (sin(x)/x tends to 1)
  BOOST_TEST(left.sign(sin(x) / x) == 1);
  BOOST_TEST(right.sign(y) == 0);       // y is not moved by x: stays 0
  BOOST_TEST(right.sign(x - 1) == -1);  // the value decides
}

BOOST_AUTO_TEST_CASE(a_zero_that_rounding_made_is_read_past_it) {
  // 1 - cos(x) is 0 in doubles within 1.5e-8 of 2 pi, and positive past that on both sides:
  // at 6.2831853 (7.2e-9 below 2 pi) its slope sin(x) is -7.2e-9, a simple zero the value of
  // 2.6e-17 does not have. The sign is that past the stretch, on each side.
  const Expr g = 1 - cos(x);
  for (const double at : {6.2831853, 1e-9}) {
    const Env point{{"x", at}};
    BOOST_TEST(eval(g, point) == 0.0);  // the premise: rounding made the 0
    BOOST_TEST(Side(x.name(), point, +1).sign(g) == 1, at);
    BOOST_TEST(Side(x.name(), point, -1).sign(g) == 1, at);
  }
  // a zero that is f's own keeps its crossing: x - 0.3 at 0.3, exp(x) - 1 at 0
  BOOST_TEST(Side(x.name(), {{"x", 0.3}}, -1).sign(x - 0.3) == -1);
  BOOST_TEST(Side(x.name(), {{"x", 0}}, -1).sign(exp(x) - 1) == -1);
  BOOST_TEST(Side(x.name(), {{"x", 0}}, +1).sign(exp(x) - 1) == 1);
}

BOOST_AUTO_TEST_CASE(pieces_are_the_smooth_expressions_on_each_side) {
  const Env at0{{"x", 0}};
  Side right(x.name(), at0, +1), left(x.name(), at0, -1);
  BOOST_TEST((right.piece(relu(x)) == x));
  BOOST_TEST((left.piece(relu(x)) == Expr(0)));
  BOOST_TEST((left.piece(abs(x)) == -x));
  BOOST_TEST((right.piece(max(2 * x, x)) == 2 * x));
  BOOST_TEST((left.piece(max(2 * x, x)) == x));
  BOOST_TEST((left.piece(leaky_relu(x, 0.1)) == 0.1 * x));
  BOOST_TEST((right.piece(where(x > 0, sin(x), cos(x))) == sin(x)));
  BOOST_TEST((left.piece(where(x > 0, sin(x), cos(x))) == cos(x)));
  BOOST_TEST((right.piece(exp(relu(x))) == exp(x)));  // smooth ops rebuilt from the pieces
}

// A touching tie of a transcendental difference: cos(x) - 1 has derivatives -sin, -cos, sin,
// cos, ... repeating, and sin(x)^2's are numbers times two shapes. An order a number times a
// lower one decides nothing, so the rule reads each shape once. Reading all 8 orders, diff
// printed tests like `not (sin(x) != 0 or cos(x) != 0 or sin(x) != 0)`: 57 nodes and 1,081
// bytes for the first, 88 and 1,752 for the second (now 22 and 170, 32 and 313).
BOOST_AUTO_TEST_CASE(a_derivative_proportional_to_a_lower_one_decides_nothing) {
  const Expr x = var("x");
  struct Case {
    Expr f;
    double at_0, at_1;  // f's slope: continuous at 0, the branch beside it x or 2x
    std::size_t most_nodes;
  };
  for (const Case& c : {Case{where(cos(x) >= 1, x, 2 * x), 2, 2, 30},
                        Case{where(pow(sin(x), 2) > 0, x, 2 * x), 1, 1, 40}}) {
    const Expr d = diff(c.f, "x");
    BOOST_TEST(eval(d, {{"x", 0.0}}) == c.at_0, to_text(d));
    BOOST_TEST(eval(d, {{"x", 1.0}}) == c.at_1, to_text(d));
    BOOST_TEST(node_count(d) <= c.most_nodes, to_text(d));
  }
}
