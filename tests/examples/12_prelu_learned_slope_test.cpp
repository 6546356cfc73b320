// SPDX-License-Identifier: MIT
// examples/12_prelu_learned_slope.cpp: the negative slope a of prelu learned by gradient descent.
// With data prelu(x, 0.25) at x = -2, -1, 1, 2, the mean squared error is
// ((a - 0.25)^2 (4 + 1)) / 4 = 1.25 (a - 0.25)^2, its derivative 2.5 (a - 0.25).
#include <cmath>
#include <cstdio>

#include "examples/example_output.hpp"

using namespace example_testing;

BOOST_AUTO_TEST_CASE(five_steps_of_gradient_descent) {
  const auto lines = starting_with(example_lines(), "step ");
  BOOST_TEST_REQUIRE(lines.size() == 5u);
  double a = 0.01;
  for (int k = 0; k < 5; ++k) {
    const double loss = 1.25 * (a - 0.25) * (a - 0.25), gradient = 2.5 * (a - 0.25);
    a -= 0.1 * gradient;
    int step = 0, used = 0;
    double printed_loss = 0, printed_gradient = 0, printed_a = 0;
    const int n = std::sscanf(lines[k].c_str(), "step %d: loss %lf, d loss/da %lf, a -> %lf%n",
                              &step, &printed_loss, &printed_gradient, &printed_a, &used);
    BOOST_TEST_REQUIRE(n == 4, lines[k]);
    BOOST_TEST(static_cast<std::size_t>(used) == lines[k].size(), lines[k]);
    BOOST_TEST(step == k + 1);
    // printed with 6 significant digits
    BOOST_TEST(printed_loss == loss, boost::test_tools::tolerance(1e-5));
    BOOST_TEST(printed_gradient == gradient, boost::test_tools::tolerance(1e-5));
    BOOST_TEST(printed_a == a, boost::test_tools::tolerance(1e-5));
  }
  BOOST_TEST(std::abs(a - 0.25) < 0.06);  // a quarter of the gap closed per step: 0.24 * 0.75^5
}
