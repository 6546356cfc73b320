// SPDX-License-Identifier: MIT
// examples/13_conventions_table.cpp: the derivative at each classic kink under every convention
// (min_norm: the value between the one-sided slopes closest to 0; left; right; average;
// undefined), from the one-sided slopes worked out by hand.
#include <cmath>

#include "examples/example_output.hpp"

using namespace example_testing;

namespace {
std::vector<std::string> words(const std::string& line) {
  std::vector<std::string> w;
  std::istringstream in(line);
  for (std::string s; in >> s;) w.push_back(s);
  return w;
}
}  // namespace

BOOST_AUTO_TEST_CASE(every_convention_at_every_kink) {
  const auto lines = example_lines();
  BOOST_TEST_REQUIRE(lines.size() == 10u);
  BOOST_TEST(words(lines[0]) == (std::vector<std::string>{"min_norm", "left", "right", "average",
                                                          "undefined", "PyTorch", "SymPy"}),
             boost::test_tools::per_element());
  struct Expected {
    std::string label;
    double min_norm, left, right, average;
    std::string pytorch, sympy;
  };
  // one-sided slopes (left, right): relu (0, 1); leaky (0.01, 1); abs (-1, 1); max(x, y) at a
  // tie: left takes y, right takes x; hardtanh at -1 (0, 1), at 1 (1, 0)
  const Expected expected[] = {
      {"relu'(0)", 0, 0, 1, 0.5, "0", "0.5"},
      {"leaky_relu'(0), alpha 0.01", 0.01, 0.01, 1, 0.505, "0.01", "1"},
      {"abs'(0)", 0, -1, 1, 0, "0", "0"},
      {"max(x, y), x = y = 1: d/dx", 0.5, 0, 1, 0.5, "0.5", "0.5"},
      {"max(x, y), x = y = 1: d/dy", 0.5, 1, 0, 0.5, "0.5", "0.5"},
      {"hardtanh'(-1)", 0, 0, 1, 0.5, "0", "-"},
      {"hardtanh'(1)", 0, 1, 0, 0.5, "0", "-"},
  };
  for (std::size_t i = 0; i < std::size(expected); ++i) {
    const std::string& line = lines[i + 1];
    const Expected& e = expected[i];
    BOOST_TEST_REQUIRE(line.starts_with(e.label), line);
    const auto w = words(line.substr(e.label.size()));
    BOOST_TEST_REQUIRE(w.size() == 7u, line);
    BOOST_TEST(number(w[0]) == e.min_norm, line);
    BOOST_TEST(number(w[1]) == e.left, line);
    BOOST_TEST(number(w[2]) == e.right, line);
    BOOST_TEST(number(w[3]) == e.average, line);
    BOOST_TEST(std::isnan(number(w[4])), line);
    BOOST_TEST(w[5] == e.pytorch, line);
    BOOST_TEST(w[6] == e.sympy, line);
  }
  BOOST_TEST(lines[8] == "PyTorch: min_norm");
  BOOST_TEST(lines[9] == "SymPy: no single convention");  // relu 1/2 is average, leaky 1 right
}
