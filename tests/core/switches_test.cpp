// SPDX-License-Identifier: MIT
// switches: the functions whose sign change makes an op of f kink or jump, with their op.
#include "core/switches.hpp"

#include <boost/test/unit_test.hpp>

#include "slope/slope.hpp"

using namespace slope;

namespace {
const Expr x = var("x"), y = var("y");
}

BOOST_AUTO_TEST_CASE(switches_name_their_op_and_where_it_switches) {
  const auto s = detail::switches(relu(x - 1) + max(x, y) + hardtanh(2 * x));
  std::vector<std::string> text;
  for (const auto& w : s) text.push_back(to_text(w.g) + " of " + to_text(w.node));
  const std::vector<std::string> expected{"x - 1 of relu(x - 1)", "x - y of max(x, y)",
                                          "2*x + 1 of hardtanh(2*x, -1, 1)",
                                          "2*x - 1 of hardtanh(2*x, -1, 1)"};
  BOOST_TEST(text == expected, boost::test_tools::per_element());
  BOOST_TEST(detail::switches(sin(x) * exp(x) + x * x).empty());
}

BOOST_AUTO_TEST_CASE(an_activation_switches_where_its_definition_does) {
  // leaky_relu is max(a*x, x) by its definition: one switch, named by the activation itself
  const auto s = detail::switches(leaky_relu(x - 2, 0.1));
  BOOST_TEST_REQUIRE(s.size() == 1U);
  BOOST_TEST(eval(s[0].g, {{"x", 2}}) == 0.0);
  BOOST_TEST(eval(s[0].g, {{"x", 3}}) != 0.0);
  BOOST_TEST((s[0].node == leaky_relu(x - 2, 0.1)));
}

BOOST_AUTO_TEST_CASE(a_switch_that_holds_no_variable_is_left_out) {
  BOOST_TEST(detail::switches(relu(Expr(2)) * x).empty());
  BOOST_TEST(detail::switches(sqrt(x) + sqrt(Expr(3))).size() == 1U);
}
