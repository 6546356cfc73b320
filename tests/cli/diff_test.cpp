// slope diff through the built executable: every format, --steps, --order.
#include <boost/test/unit_test.hpp>
#include <filesystem>
#include <fstream>

#include "cli/run_slope.hpp"

using namespace cli_testing;

BOOST_AUTO_TEST_CASE(diff_pretty_with_the_convention_note) {
  const Run r = run_slope({"diff", "leaky_relu(x)"});
  BOOST_TEST(r.status == 0);
  BOOST_TEST(r.out ==
             "d/dx leaky_relu(x, 0.01) = ⎧ 1     if x > 0\n"
             "                           ⎩ 0.01  otherwise\n\n"
             "at x = 0: not differentiable (slope 0.01 from the left, 1 from the right);\n"
             "          using 0.01, the min_norm convention\n"
             "(--convention left|right|average|undefined to change)\n");
  const Run right = run_slope({"diff", "leaky_relu(x)", "--convention", "right"});
  BOOST_TEST(right.out.find("⎧ 1     if x >= 0") != std::string::npos);
  BOOST_TEST(right.out.find("using 1, the right convention\n") != std::string::npos);
  const Run ascii = run_slope({"diff", "relu(x)", "--format", "ascii"});
  BOOST_TEST(ascii.out.rfind("d/dx relu(x) = { 1  if x > 0\n               { 0  otherwise\n", 0) ==
             0U);
}

BOOST_AUTO_TEST_CASE(diff_formats) {
  BOOST_TEST(run_slope({"diff", "relu(w*x + b)", "--format", "text"}).out ==
             "piecewise(w*x + b > 0: w, otherwise: 0)\n");
  BOOST_TEST(run_slope({"diff", "relu(w*x + b)", "--wrt", "w", "--format", "text"}).out ==
             "piecewise(w*x + b > 0: x, otherwise: 0)\n");
  BOOST_TEST(run_slope({"diff", "abs(x)", "--format", "text", "--convention", "left"}).out ==
             "piecewise(x > 0: 1, otherwise: -1)\n");
  BOOST_TEST(run_slope({"diff", "leaky_relu(x, 0.01)", "--format", "latex"}).out ==
             "\\frac{d}{dx} \\operatorname{leaky\\_relu}\\left(x, 0.01\\right) =\n"
             "\\begin{cases} 1 & \\text{if } x > 0 \\\\ 0.01 & \\text{otherwise} \\end{cases}\n");
  BOOST_TEST(run_slope({"diff", "relu(x)", "--format", "json"}).out ==
             "{\"wrt\":\"x\",\"derivative\":\"piecewise(x > 0: 1, otherwise: "
             "0)\",\"latex\":\"\\\\begin{cases} 1 & "
             "\\\\text{if } x > 0 \\\\\\\\ 0 & \\\\text{otherwise} "
             "\\\\end{cases}\",\"convention\":\"min_norm\"}\n");
  BOOST_TEST(run_slope({"diff", "relu(x)", "--format", "dot"}).out.rfind("digraph \"d/dx\" {", 0) ==
             0U);
  BOOST_TEST(run_slope({"diff", "x^3", "--order", "2", "--format", "text"}).out == "6*x\n");
  BOOST_TEST(run_slope({"diff", "x^3", "--order", "2"}).out == "d^2/dx^2 x^3 = 6*x\n");
}

BOOST_AUTO_TEST_CASE(diff_steps) {
  const Run r = run_slope({"diff", "relu(w*x + b)", "--wrt", "x", "--steps"});
  BOOST_TEST(r.status == 0);
  BOOST_TEST(r.out.rfind("We want d/dx relu(w*x + b).\n\n1. Outer function. relu(u) = max(0, u) "
                         "with u = w*x + b.\n",
                         0) == 0U);
  BOOST_TEST(
      r.out.find("4. Put together and simplify.\n   d/dx relu(w*x + b) = ⎧ w  if w*x + b > 0\n") !=
      std::string::npos);
  BOOST_TEST(run_slope({"diff", "relu(x)", "--steps", "--format", "markdown"})
                 .out.find("1. **Rule for relu.**") != std::string::npos);
  BOOST_TEST(run_slope({"diff", "relu(x)", "--steps", "--format", "latex"})
                 .out.find("\\begin{enumerate}") != std::string::npos);
}
