// SPDX-License-Identifier: MIT
// slope eval through the built executable.
#include <boost/test/unit_test.hpp>
#include <cmath>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>

#include "cli/run_slope.hpp"
#include "slope/slope.hpp"
#include "support/chain_text.hpp"

using namespace cli_testing;

BOOST_AUTO_TEST_CASE(text_output_pipes_into_eval) {
  const Run d = run_slope({"diff", "leaky_relu(x)", "--format", "text"});
  const Run e = run_slope({"eval", "-", "--at", "x=-3"}, d.out);
  BOOST_TEST(e.status == 0);
  BOOST_TEST(e.out == "0.01\n");
}

BOOST_AUTO_TEST_CASE(eval_prints_the_shortest_exact_value) {
  BOOST_TEST(run_slope({"eval", "max(0, x)*2", "--at", "x=1.5"}).out == "3\n");
  BOOST_TEST(run_slope({"eval", "x + y", "--at", "x=0.1,y=0.2"}).out == "0.30000000000000004\n");
  BOOST_TEST(run_slope({"eval", "relu(x)", "--at", "x=-1e-3"}).out == "0\n");
  const Run nan = run_slope({"eval", "log(x)", "--at", "x=-1"});
  BOOST_TEST(nan.status == 0);
  BOOST_TEST(nan.out == "undefined\n");
  BOOST_TEST(nan.err == "warning: the value is undefined (NaN)\n");
}

BOOST_AUTO_TEST_CASE(definitions_do_not_capture_the_callers_variables) {
  const Run r = run_slope({"eval", "f(x) = x + y; g(y) = f(y); g(3)", "--at", "y=10"});
  BOOST_TEST(r.status == 0);
  BOOST_TEST(r.out == "13\n");  // f's y is the y given, g's parameter is 3
}

BOOST_AUTO_TEST_CASE(doubling_definitions_stop_at_the_expanded_size_limit) {
  std::string text = "f1(x) = sin(x) + cos(x)\n";
  for (int k = 2; k <= 22; ++k)
    text += "f" + std::to_string(k) + "(x) = f" + std::to_string(k - 1) + "(sin(x)) + f" +
            std::to_string(k - 1) + "(cos(x))\n";
  text += "f22(x)\n";
  const Run r = run_slope({"eval", "-", "--at", "x=1"}, text);
  BOOST_TEST(r.status == 1);
  BOOST_TEST(r.out.empty());
  BOOST_TEST(r.err ==
             "18:24: error: the definitions expand to more than 1000000 nodes (the limit)\n"
             "  f18(x) = f17(sin(x)) + f17(cos(x))\n"
             "                         ^^^\n"
             "hint: each call copies its definition, except one passing its caller's parameters "
             "on in order (u2(x) = relu(2*u1(x)) copies nothing, u2(x) = u1(relu(2*x)) copies "
             "u1); a definition calling another several times multiplies their sizes\n");
}

BOOST_AUTO_TEST_CASE(an_error_at_column_six_million_prints_an_excerpt) {
  std::string text;
  for (int i = 0; i < 3'000'000; ++i) text += "x+";
  text += ")";
  const Run r = run_slope({"eval", "-", "--at", "x=1"}, text);
  BOOST_TEST(r.status == 1);
  BOOST_TEST(r.err == "1:6000001: error: unmatched ')'\n  ..." + text.substr(5'999'920) + "\n  " +
                          std::string(83, ' ') + "^\nhint: remove it, or add the '(' it closes\n");
}

BOOST_AUTO_TEST_CASE(a_sum_of_twenty_thousand_variables_names_the_missing_one) {
  std::string text = "v0";
  for (int i = 1; i < 20000; ++i) text += " + v" + std::to_string(i);
  const Run r = run_slope({"eval", "-", "--at", "v0=1"}, text);
  BOOST_TEST(r.status == 1);
  BOOST_TEST(r.err ==
             "error: no value given for variable 'v1'\nhint: give it with --at, like --at v1=1\n");
}

BOOST_AUTO_TEST_CASE(a_list_of_points_prints_one_row_each) {
  // relu(x) = max(0, x): 2, 0, 0.1, 0
  const Run r = run_slope({"eval", "relu(x)", "--at", "x=2,0,0.1,-3"});
  BOOST_TEST(r.status == 0, r.err);
  BOOST_TEST(r.out == "  x  f(x)\n  2     2\n  0     0\n0.1   0.1\n -3     0\n");
  // leaky_relu(x, 0.01): 1, -0.1, 0, 15, -0.2; CSV
  BOOST_TEST(run_slope({"eval", "leaky_relu(x, 0.01)", "--at", "x=1,-10,0,15,-20", "--csv"}).out ==
             "x,f(x)\n1,1\n-10,-0.1\n0,0\n15,15\n-20,-0.2\n");
  // lists pair point by point; a single value holds at every point: w*x + b = 2x - 1, 3x - 1
  BOOST_TEST(run_slope({"eval", "w*x + b", "--at", "x=1,2,w=2,3,b=-1"}).out ==
             "x  w  f(x, w)\n1  2        1\n2  3        5\n");
}

BOOST_AUTO_TEST_CASE(a_repeated_variable_is_an_error_not_an_overwrite) {
  const Run r = run_slope({"eval", "relu(x)", "--at", "x=2,x=0"});
  BOOST_TEST(r.status == 2);
  BOOST_TEST(r.out.empty());
  BOOST_TEST(r.err ==
             "slope: --at: x is given twice (x=2 and x=0); for several points list the values "
             "once, like --at x=2,0,-3\n");
  const Run lengths = run_slope({"eval", "x*y", "--at", "x=1,2,3,y=1,2"});
  BOOST_TEST(lengths.status == 2);
  BOOST_TEST(lengths.err ==
             "slope: --at: x has 3 values and y has 2; lists are paired point by point, so give "
             "them the same length\n");
  BOOST_TEST(run_slope({"eval", "x", "--at", "x=1", "--csv", "--json"}).status == 2);
}

BOOST_AUTO_TEST_CASE(json_names_the_shared_parts_of_the_expression) {
  // max(u, 0.5*u) 24 deep spells out to 2^24 copies of x (once refused as too long): the
  // "expression" is the named text, which parses back to the same function
  const std::string f = slope::testing::shared_chain("max(u, 0.5*u)", 24);
  const Run r = run_slope({"eval", f, "--at", "x=-2,3", "--json"});
  BOOST_TEST_REQUIRE(r.status == 0, r.err);
  const auto j = nlohmann::json::parse(r.out);
  const slope::Expr back = slope::parse(j.at("expression").get<std::string>());
  BOOST_TEST(slope::eval(back, {{"x", -2.0}}) == -2 * std::pow(0.5, 24));
  BOOST_TEST(j.at("points")[0].at("value").get<double>() == -2 * std::pow(0.5, 24));
  BOOST_TEST(j.at("points")[1].at("value").get<double>() == 3.0);
}

BOOST_AUTO_TEST_CASE(json_lists_every_point) {
  const Run r = run_slope({"eval", "log(x) + y", "--at", "x=1,0,-1,y=0.5", "--json"});
  BOOST_TEST(r.status == 0, r.err);
  BOOST_TEST(r.err.empty());  // the warnings are in the JSON
  const auto j = nlohmann::json::parse(r.out);
  BOOST_TEST(j.at("expression").get<std::string>() == "log(x) + y");
  const auto& points = j.at("points");
  BOOST_TEST_REQUIRE(points.size() == 3u);
  BOOST_TEST(points[0].at("at").at("x").get<double>() == 1.0);
  BOOST_TEST(points[0].at("at").at("y").get<double>() == 0.5);
  BOOST_TEST(points[0].at("value").get<double>() == 0.5);  // log(1) + 0.5
  BOOST_TEST(points[1].at("at").at("x").get<double>() == 0.0);
  BOOST_TEST(points[1].at("value").is_null());  // log(0) = -inf: no JSON number
  BOOST_TEST(points[2].at("value").is_null());  // log(-1) = NaN
  BOOST_TEST(j.at("warnings") == nlohmann::json({"at x=0 the value is infinite",
                                                 "at x=-1 the value is undefined (NaN)"}));
  // one point: the same shape, one entry
  const auto one =
      nlohmann::json::parse(run_slope({"eval", "relu(x)", "--at", "x=-3", "--json"}).out);
  BOOST_TEST(one.at("points").size() == 1u);
  BOOST_TEST(one.at("points")[0].at("value").get<double>() == 0.0);
  BOOST_TEST(!one.contains("warnings"));
}

BOOST_AUTO_TEST_CASE(list_warnings_name_the_point) {
  const Run r = run_slope({"eval", "sqrt(x)", "--at", "x=4,-1"});
  BOOST_TEST(r.status == 0);
  BOOST_TEST(r.out == " x       f(x)\n 4          2\n-1  undefined\n");
  BOOST_TEST(r.err == "warning: at x=-1 the value is undefined (NaN)\n");
}

BOOST_AUTO_TEST_CASE(a_value_for_a_variable_the_expression_lacks_is_refused) {
  const Run typo = run_slope({"eval", "relu(x)", "--at", "y=2"});
  BOOST_TEST(typo.status == 2);
  BOOST_TEST(typo.out.empty());
  BOOST_TEST(typo.err == "slope: --at y: the expression has no variable y; did you mean x?\n");
  const Run extra = run_slope({"eval", "relu(x)", "--at", "x=1,2,y=2"});
  BOOST_TEST(extra.status == 2);
  BOOST_TEST(extra.err == "slope: --at y: the expression has no variable y (its variables: x)\n");
  // x is written, and simplified away: 0 at every point
  const Run cancelled = run_slope({"eval", "x - x", "--at", "x=1"});
  BOOST_TEST(cancelled.status == 0, cancelled.err);
  BOOST_TEST(cancelled.out == "0\n");
}
