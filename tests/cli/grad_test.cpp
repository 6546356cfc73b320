// slope grad through the built executable: text and JSON.
#include <boost/test/unit_test.hpp>
#include <filesystem>
#include <fstream>

#include "cli/run_slope.hpp"

using namespace cli_testing;

BOOST_AUTO_TEST_CASE(grad_text_and_json) {
  BOOST_TEST(run_slope({"grad", "relu(w*x + b)", "--at", "x=1.5,w=2,b=-1"}).out ==
             "f = 2\ndf/dw = 1.5\ndf/dx = 2\ndf/db = 1\n(convention at kinks: min_norm)\n");
  BOOST_TEST(run_slope({"grad", "relu(w*x + b)", "--at", "x=1.5,w=2,b=-1", "--json"}).out ==
             "{\"expression\":\"relu(w*x + "
             "b)\",\"value\":2.0,\"gradient\":{\"w\":1.5,\"x\":2.0,\"b\":1.0},\"convention\":\"min_"
             "norm\"}\n");
  BOOST_TEST(run_slope({"grad", "relu(x)", "--at", "x=0", "--convention", "right", "--json"}).out ==
             "{\"expression\":\"relu(x)\",\"value\":0.0,\"gradient\":{\"x\":1.0},\"convention\":"
             "\"right\"}\n");
  BOOST_TEST(run_slope({"grad", "x/3", "--at", "x=1", "--json"}).out ==
             "{\"expression\":\"x/"
             "3\",\"value\":0.3333333333333333,\"gradient\":{\"x\":0.3333333333333333},"
             "\"convention\":\"min_norm\"}\n");
  BOOST_TEST(run_slope({"grad", "log(x)", "--at", "x=0", "--json"}).out ==
             "{\"expression\":\"log(x)\",\"value\":null,\"gradient\":{\"x\":null},\"convention\":"
             "\"min_norm\","
             "\"warnings\":[\"the value is -infinity\",\"d/dx is +infinity\"]}\n");
}

BOOST_AUTO_TEST_CASE(json_refuses_an_expression_whose_text_is_two_to_the_forty) {
  // 135 characters; each f doubles the text, so f(f(...f(x)...)) 40 deep spells out to 2^40.
  std::string e = "f(x)=x+sin(x);";
  for (int i = 0; i < 40; ++i) e += "f(";
  e += "x" + std::string(40, ')');
  const Run r = run_slope({"grad", e, "--at", "x=0", "--json"});
  BOOST_TEST(r.status == 1);
  BOOST_TEST(r.out.empty());
  BOOST_TEST(r.err ==
             "error: the expression's text is longer than 10000000 characters (it repeats shared "
             "subexpressions)\n");
  // The text form of grad does not print f, so it still answers: d/dx at 0 is 2^40.
  BOOST_TEST(run_slope({"grad", e, "--at", "x=0"}).out ==
             "f = 0\ndf/dx = 1099511627776\n(convention at kinks: min_norm)\n");
}
