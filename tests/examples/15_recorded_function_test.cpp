// SPDX-License-Identifier: MIT
// examples/15_recorded_function.cpp: three rounds of "y < 2: y = 1.5 relu(y) + 0.5, else y - 1",
// recorded. By hand: x = 1 -> 2 -> 1 -> 2, slope 1.5 * 1.5 = 2.25; x = -1 -> 0.5 -> 1.25 ->
// 2.375, slope 0 (relu(-1)); x = 3 -> 2 -> 1 -> 2, slope 1.5. The printed recorded expression,
// read back by `slope eval`, is f near the point (the same branches taken).
#include <algorithm>
#include <cstdio>

#include "examples/example_output.hpp"

using namespace example_testing;
using namespace cli_testing;

namespace {
double f(double x) {
  double y = x;
  for (int round = 0; round < 3; ++round) y = y < 2 ? 1.5 * std::max(0.0, y) + 0.5 : y - 1;
  return y;
}
}  // namespace

BOOST_AUTO_TEST_CASE(values_slopes_and_recorded_expressions) {
  const auto lines = example_lines();
  struct Expected {
    double x, value, slope, nearby;  // nearby: a point on the same branches
  };
  const Expected expected[] = {{1, 2, 2.25, 1.1}, {-1, 2.375, 0, -0.5}, {3, 2, 1.5, 3.2}};
  BOOST_TEST_REQUIRE(lines.size() == 2 * std::size(expected));
  for (std::size_t i = 0; i < std::size(expected); ++i) {
    const Expected& e = expected[i];
    double at = 0, value = 0, plain = 0, slope = 0;
    int used = 0;
    const std::string& line = lines[2 * i];
    const int n = std::sscanf(line.c_str(), "x = %lf: f = %lf (plain double: %lf), f' = %lf%n", &at,
                              &value, &plain, &slope, &used);
    BOOST_TEST_REQUIRE(n == 4, line);
    BOOST_TEST(static_cast<std::size_t>(used) == line.size(), line);
    BOOST_TEST(at == e.x);
    BOOST_TEST(value == e.value);
    BOOST_TEST(plain == e.value);
    BOOST_TEST(slope == e.slope);
    const std::string& recorded = lines[2 * i + 1];
    BOOST_TEST_REQUIRE(recorded.starts_with("  recorded: "), recorded);
    const std::string expr = recorded.substr(12);
    for (const double x : {e.x, e.nearby}) {
      const Run r = run_slope({"eval", expr, "--at", "x=" + std::to_string(x)});
      BOOST_TEST(r.status == 0, r.err);
      BOOST_TEST(number(r.out.substr(0, r.out.size() - 1)) == f(x),
                 boost::test_tools::tolerance(1e-12));
    }
  }
}
