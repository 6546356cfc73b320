// SPDX-License-Identifier: MIT
// slope table through the built executable.
#include <algorithm>
#include <boost/test/unit_test.hpp>
#include <filesystem>
#include <fstream>

#include "cli/run_slope.hpp"

using namespace cli_testing;

BOOST_AUTO_TEST_CASE(table_text_and_csv) {
  BOOST_TEST(run_slope({"table", "relu(x)", "--from", "-2", "--to", "2"}).out ==
             " x  f(x)  f'(x) [min_norm]\n-2     0                 0\n-1     0                 0\n"
             " 0     0                 0  <- kink: slope 0 from the left, 1 from the right\n"
             " 1     1                 1\n 2     2                 1\n");
  BOOST_TEST(run_slope({"table", "leaky_relu(x)", "--from", "-1", "--to", "1", "--csv",
                        "--convention", "average"})
                 .out == "x,f(x),f'(x) [average]\n-1,-0.01,0.01\n0,0,0.505\n1,1,1\n");
  BOOST_TEST(run_slope({"table", "x", "--step", "0"}).status == 2);
}

BOOST_AUTO_TEST_CASE(rows_are_from_plus_i_times_step) {
  // 0 + 7 * 0.1 in doubles is 0.7000000000000001, past the kink at 0.7; rows are decimals
  const Run r = run_slope({"table", "relu(x - 0.7)", "--from", "0", "--to", "1", "--step", "0.1",
                           "--csv", "--convention", "right"});
  BOOST_TEST(r.status == 0, r.err);
  BOOST_TEST(contains(r.out, "\n0.7,0,1\n"), r.out);  // exactly on the kink: right's slope
  BOOST_TEST(contains(r.out, "\n0.3,0,0\n"), r.out);
  const Run exact = run_slope({"table", "relu(x - 0.75)", "--from", "0.5", "--to", "1", "--step",
                               "0.25", "--csv", "--convention", "right"});
  BOOST_TEST(exact.out == "x,f(x),f'(x) [right]\n0.5,0,0\n0.75,0,1\n1,0.25,1\n");
}

BOOST_AUTO_TEST_CASE(rows_on_a_kink_are_marked) {
  const Run r =
      run_slope({"table", "relu(x) - relu(-x) + where(x > 1, 1, 0)", "--from", "-1", "--to", "2"});
  BOOST_TEST(r.status == 0, r.err);
  BOOST_TEST(r.out ==
             " x  f(x)  f'(x) [min_norm]\n"
             "-1    -1                 1\n"
             " 0     0                 0  <- an op on its kink, but f is smooth here: "
             "slope 1\n"
             " 1     1                 1  <- a jump\n"
             " 2     3                 1\n");
}

BOOST_AUTO_TEST_CASE(a_deep_chain_is_compiled_once) {
  std::string f = "x";
  for (int i = 0; i < 400; ++i) f = "relu(" + f + " * 0.5 + 0.25)";
  std::string defs;
  const Run r =
      run_slope({"table", "-", "--from", "-1", "--to", "1", "--step", "0.001", "--csv"}, f);
  BOOST_TEST(r.status == 0, r.err);
  BOOST_TEST(std::count(r.out.begin(), r.out.end(), '\n') == 2002);
}

BOOST_AUTO_TEST_CASE(grid_limits_are_usage_errors) {
  BOOST_TEST(run_slope({"table", "x", "--step", "-1"}).status == 2);
  BOOST_TEST(run_slope({"table", "x", "--from", "1", "--to", "0"}).status == 2);
  const Run many = run_slope({"table", "x", "--from", "-1e308", "--to", "1e308"});
  BOOST_TEST(many.status == 2);
  BOOST_TEST(contains(many.err, "more than 1000000 rows"), many.err);
}

BOOST_AUTO_TEST_CASE(points_are_the_rows_in_the_order_given) {
  // leaky_relu(x, 0.01) = x for x > 0, 0.01 x otherwise; its slope 1 or 0.01 (0.01 at 0: min_norm)
  const Run r = run_slope({"table", "leaky_relu(x)", "--points", "-10,0,1,15,-20"});
  BOOST_TEST(r.status == 0, r.err);
  BOOST_TEST(r.out ==
             "  x  f(x)  f'(x) [min_norm]\n"
             "-10  -0.1              0.01\n"
             "  0     0              0.01  <- kink: slope 0.01 from the left, 1 from the right\n"
             "  1     1                 1\n"
             " 15    15                 1\n"
             "-20  -0.2              0.01\n");
  BOOST_TEST(
      run_slope({"table", "relu(x)", "--points=2,0,0.1,-3", "--csv", "--convention", "right"})
          .out == "x,f(x),f'(x) [right]\n2,2,1\n0,0,1\n0.1,0.1,1\n-3,0,0\n");
}

BOOST_AUTO_TEST_CASE(points_exclude_the_grid_and_must_be_finite) {
  const Run both = run_slope({"table", "relu(x)", "--points", "1,2", "--from", "0"});
  BOOST_TEST(both.status == 2);
  BOOST_TEST(both.err == "slope: --from and --points cannot be given together\n");
  const Run inf = run_slope({"table", "relu(x)", "--points", "1,inf"});
  BOOST_TEST(inf.status == 2);
  BOOST_TEST(inf.err == "slope: --points inf: must be a finite number\n");
  const Run word = run_slope({"table", "relu(x)", "--points", "1,y"});
  BOOST_TEST(word.status == 2);
  BOOST_TEST(word.err == "slope: --points y: the value must be a number\n");
  // An empty list is a mistake (an unset shell variable), never a silent fall back to the grid.
  const Run empty = run_slope({"table", "relu(x)", "--points", ""});
  BOOST_TEST(empty.status == 2);
  BOOST_TEST(empty.out == "");
  BOOST_TEST(empty.err == "slope: --points is empty: list the values, like --points -10,0,1\n");
}

BOOST_AUTO_TEST_CASE(at_is_for_the_other_variables) {
  // x is the rows' variable: a value for it would be silently replaced by each row's
  const Run rows = run_slope({"table", "relu(x)", "--at", "x=2"});
  BOOST_TEST(rows.status == 2);
  BOOST_TEST(rows.out.empty());
  BOOST_TEST(rows.err ==
             "slope: --at x: x is the rows' variable, so a value for it would be ignored (--wrt "
             "picks another variable)\n");
  const Run typo = run_slope({"table", "w*x", "--at", "W=2"});
  BOOST_TEST(typo.status == 2);
  BOOST_TEST(typo.err == "slope: --at W: the expression has no variable W; did you mean w?\n");
  const Run other = run_slope({"table", "w*x", "--points", "1,2", "--at", "w=3", "--csv"});
  BOOST_TEST(other.status == 0, other.err);
  BOOST_TEST(other.out == "x,f(x),f'(x) [min_norm]\n1,3,3\n2,6,3\n");
}

BOOST_AUTO_TEST_CASE(undefined_has_a_slope_where_a_tie_holds_on_a_whole_stretch) {
  const Run r = run_slope(
      {"table", "max(abs(x), x)", "--convention", "undefined", "--points", "-1,0.5,1", "--csv"});
  BOOST_TEST(r.status == 0, r.err);
  BOOST_TEST(r.out == "x,f(x),f'(x) [undefined]\n-1,1,-1\n0.5,0.5,1\n1,1,1\n");
}

BOOST_AUTO_TEST_CASE(a_single_point_on_a_curved_switch_is_marked) {
  // one point is a search span of width 0: the grid could not tell a kink from a flat stretch
  BOOST_TEST(run_slope({"table", "relu(x^2 - 1)", "--points", "1"}).out ==
             "x  f(x)  f'(x) [min_norm]\n"
             "1     0                 0  <- kink: slope 0 from the left, 2 from the right\n");
  BOOST_TEST(contains(run_slope({"table", "sqrt((x - 0.5)^2)", "--points", "0.5"}).out,
                      "<- kink: slope -1 from the left, 1 from the right"));
  // a flat stretch stays unmarked: relu(x^2 - 1) is 0 on (-1, 1)
  BOOST_TEST(!contains(run_slope({"table", "relu(x^2 - 1)", "--points", "0.5"}).out, "<-"));
}
