// SPDX-License-Identifier: MIT
// examples/09_relu_values.cpp: relu(x) = max(0, x) at 2, 0, 0.1, -3 and over an array.
#include <algorithm>

#include "examples/example_output.hpp"

using namespace example_testing;

BOOST_AUTO_TEST_CASE(relu_at_the_tutorials_points) {
  const auto lines = starting_with(example_lines(), "relu(");
  BOOST_TEST_REQUIRE(lines.size() == 5u);
  const std::vector<std::pair<double, double>> expected{{2, 2}, {0, 0}, {0.1, 0.1}, {-3, 0}};
  for (std::size_t i = 0; i < expected.size(); ++i) {
    const std::string& l = lines[i];  // relu(X) = Y
    const auto close = l.find(") = ");
    BOOST_TEST_REQUIRE(close != std::string::npos, l);
    BOOST_TEST(number(l.substr(5, close - 5)) == expected[i].first, l);
    BOOST_TEST(number(l.substr(close + 4)) == expected[i].second, l);
  }
}

BOOST_AUTO_TEST_CASE(relu_over_an_array) {
  const std::string l = starting_with(example_lines(), "relu([").at(0);  // relu([..]) = [..]
  auto list = [](const std::string& text) {
    std::vector<double> v;
    std::string item;
    std::istringstream in(text);
    while (std::getline(in, item, ',')) {
      item.erase(0, item.find_first_not_of(' '));
      v.push_back(number(item));
    }
    return v;
  };
  const auto mid = l.find("]) = [");
  BOOST_TEST_REQUIRE(mid != std::string::npos, l);
  BOOST_TEST_REQUIRE(l.back() == ']');
  const std::vector<double> xs = list(l.substr(6, mid - 6));
  const std::vector<double> ys = list(l.substr(mid + 6, l.size() - mid - 7));
  BOOST_TEST(xs == (std::vector<double>{-2, -1, 0, 0.5, 1, 2}), boost::test_tools::per_element());
  BOOST_TEST(ys == (std::vector<double>{0, 0, 0, 0.5, 1, 2}), boost::test_tools::per_element());
}
