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
