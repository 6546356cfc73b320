// slope eval through the built executable.
#include <boost/test/unit_test.hpp>
#include <filesystem>
#include <fstream>

#include "cli/run_slope.hpp"

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
             "hint: each call copies its definition; a definition calling another several times "
             "multiplies their sizes\n");
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
