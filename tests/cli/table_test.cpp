// slope table through the built executable.
#include <boost/test/unit_test.hpp>
#include <filesystem>
#include <fstream>

#include "cli/run_slope.hpp"

using namespace cli_testing;

BOOST_AUTO_TEST_CASE(table_text_and_csv) {
  BOOST_TEST(run_slope({"table", "relu(x)", "--from", "-2", "--to", "2"}).out ==
             " x  f(x)  f'(x)\n-2     0      0\n-1     0      0\n 0     0      0\n 1     1      "
             "1\n 2     2      1\n");
  BOOST_TEST(run_slope({"table", "leaky_relu(x)", "--from", "-1", "--to", "1", "--csv",
                        "--convention", "average"})
                 .out == "x,f(x),f'(x)\n-1,-0.01,0.01\n0,0,0.505\n1,1,1\n");
  BOOST_TEST(run_slope({"table", "x", "--step", "0"}).status == 2);
}
