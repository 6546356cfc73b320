// SPDX-License-Identifier: MIT
// examples/10_relu_derivative.cpp: relu'(x) = 1 for x > 0, else 0 (0 at the kink, min_norm),
// by formula and automatically, as cases and in LaTeX, and on x = -4 .. 4.
#include <cstdio>

#include "examples/example_output.hpp"

using namespace example_testing;

BOOST_AUTO_TEST_CASE(both_derivatives_print_as_the_same_cases) {
  const auto lines = example_lines();
  BOOST_TEST_REQUIRE(lines.size() >= 6u);
  BOOST_TEST(lines[0] == "by formula  relu'(x) = ⎧ 1  if x > 0");
  BOOST_TEST(lines[1] == "                       ⎩ 0  otherwise");
  BOOST_TEST(lines[2] == "automatic   relu'(x) = ⎧ 1  if x > 0");
  BOOST_TEST(lines[3] == "                       ⎩ 0  otherwise");
  BOOST_TEST(lines[4] ==
             "LaTeX: \\operatorname{relu}'(x) = \\begin{cases} 1 & \\text{if } x > 0 "
             "\\\\ 0 & \\text{otherwise} \\end{cases}");
  BOOST_TEST(lines[5] == "the same expression: true");
}

BOOST_AUTO_TEST_CASE(applying_relu_from_minus_four_to_four) {
  const auto lines = starting_with(example_lines(), "Applying relu on ");
  BOOST_TEST_REQUIRE(lines.size() == 9u);
  for (int i = 0; i < 9; ++i) {
    const double x = i - 4;
    double at = 0, value = 0, formula = 0, automatic = 0;
    int used = 0;
    const int n = std::sscanf(lines[i].c_str(),
                              "Applying relu on %lf gives %lf; its derivative by formula %lf, "
                              "automatic %lf%n",
                              &at, &value, &formula, &automatic, &used);
    BOOST_TEST_REQUIRE(n == 4, lines[i]);
    BOOST_TEST(static_cast<std::size_t>(used) == lines[i].size(), lines[i]);
    BOOST_TEST(lines[i].find(" on " + std::to_string(i - 4) + ".0 gives ") != std::string::npos,
               "Python's float style: " + lines[i]);
    BOOST_TEST(at == x);
    BOOST_TEST(value == (x > 0 ? x : 0.0), lines[i]);
    BOOST_TEST(formula == (x > 0 ? 1.0 : 0.0), lines[i]);
    BOOST_TEST(automatic == (x > 0 ? 1.0 : 0.0), lines[i]);  // 0 at x = 0: min_norm
  }
}

BOOST_AUTO_TEST_CASE(the_kink_is_explained) {
  const auto lines = example_lines();
  BOOST_TEST(lines.at(lines.size() - 2) ==
             "at x = 0: not differentiable (slope 0 from the left, 1 from the right);");
  BOOST_TEST(lines.back() == "          using 0, the min_norm convention");
}
