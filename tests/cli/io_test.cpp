// Input and output: standard input, files, limits, and atomic writes.
#include <boost/test/unit_test.hpp>
#include <filesystem>
#include <fstream>

#include "cli/run_slope.hpp"

using namespace cli_testing;

BOOST_AUTO_TEST_CASE(input_from_stdin_and_files) {
  BOOST_TEST(run_slope({"diff", "-", "--format", "text"}, "f(x) = max(0, x)\nf(2*x)\n").out ==
             "piecewise(x > 0: 2, otherwise: 0)\n");
  const auto file = std::filesystem::temp_directory_path() / "slope_cli_defs.txt";
  std::ofstream(file) << "# a custom activation\nsquash(x) = clamp(x, 0, 1)\nsquash(3*x)\n";
  BOOST_TEST(run_slope({"diff", "--file", file.string(), "--format", "text"}).out ==
             "piecewise(3*x >= 1: 0, x > 0: 3, otherwise: 0)\n");
  BOOST_TEST(run_slope({"diff", "--file", "/no/such/file"}).status == 2);
}

BOOST_AUTO_TEST_CASE(a_ten_megabyte_expression_on_standard_input) {
  std::string big = "x";
  big.reserve(10'000'000);
  while (big.size() < 9'999'990) big += " + x*y";  // 1,666,665 terms of x*y
  const Run e = run_slope({"eval", "-", "--at", "x=1,y=2"}, big);
  BOOST_TEST(e.status == 0, e.err);
  BOOST_TEST(e.out == "3333331\n");  // 1 + 2 * 1,666,665
  // over the 10,000,000-character limit: a clear error, exit 1, no crash
  const Run over = run_slope({"eval", "-", "--at", "x=1,y=2"}, big + std::string(20, ' '));
  BOOST_TEST(over.status == 1);
  BOOST_TEST(over.err.find("10000000") != std::string::npos, over.err);
}
