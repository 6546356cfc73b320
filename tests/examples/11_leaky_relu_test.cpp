// SPDX-License-Identifier: MIT
// examples/11_leaky_relu.cpp: leaky_relu(x, 0.01) = x for x > 0, 0.01 x otherwise; its slope
// 1 or 0.01 (0.01 at 0 under min_norm); a unit below its kink still gets a gradient.
#include <cstdio>

#include "examples/example_output.hpp"

using namespace example_testing;

BOOST_AUTO_TEST_CASE(leaky_relu_at_the_tutorials_points) {
  const auto lines = starting_with(example_lines(), "Applying leaky_relu on ");
  struct Expected {
    double x, value, slope;
  };
  const Expected expected[] = {
      {1, 1, 1}, {-10, -0.1, 0.01}, {0, 0, 0.01}, {15, 15, 1}, {-20, -0.2, 0.01}};
  BOOST_TEST_REQUIRE(lines.size() == std::size(expected));
  for (std::size_t i = 0; i < lines.size(); ++i) {
    double at = 0, value = 0, slope = 0;
    int used = 0;
    const int n =
        std::sscanf(lines[i].c_str(), "Applying leaky_relu on %lf gives %lf (slope %lf)%n", &at,
                    &value, &slope, &used);
    BOOST_TEST_REQUIRE(n == 3, lines[i]);
    BOOST_TEST(static_cast<std::size_t>(used) == lines[i].size(), lines[i]);
    BOOST_TEST(at == expected[i].x);
    BOOST_TEST(value == expected[i].value, lines[i]);
    BOOST_TEST(slope == expected[i].slope, lines[i]);
  }
}

BOOST_AUTO_TEST_CASE(its_derivative_and_the_gradient_below_the_kink) {
  const auto lines = example_lines();
  const auto d = starting_with(lines, "leaky_relu'(x) = ");
  BOOST_TEST_REQUIRE(d.size() == 1u);
  BOOST_TEST(d[0] == "leaky_relu'(x) = ⎧ 1     if x > 0");
  // w*x + b = 0.5 - 3 < 0: relu passes nothing back; leaky_relu passes 0.01 * (x = 1, and 1)
  BOOST_TEST(starting_with(lines, "relu(w*x + b) ").at(0) ==
             "relu(w*x + b)              at w=0.5, b=-3, x=1: d/dw = 0.0, d/db = 0.0");
  BOOST_TEST(starting_with(lines, "leaky_relu(w*x + b, 0.01) ").at(0) ==
             "leaky_relu(w*x + b, 0.01)  at w=0.5, b=-3, x=1: d/dw = 0.01, d/db = 0.01");
}
