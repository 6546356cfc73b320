// SPDX-License-Identifier: MIT
// slope help [COMMAND], slope help functions.
#include <boost/test/unit_test.hpp>
#include <set>
#include <sstream>

#include "cli/run_slope.hpp"
#include "slope/slope.hpp"

using namespace cli_testing;

BOOST_AUTO_TEST_CASE(help_command_prints_the_commands_help) {
  const Run r = run_slope({"help", "diff"});
  BOOST_TEST(r.status == 0);
  BOOST_TEST(r.out == run_slope({"diff", "--help"}).out);
  BOOST_TEST(contains(r.out, "--convention"));
  const Run all = run_slope({"help"});
  BOOST_TEST(all.status == 0);
  BOOST_TEST(all.out == run_slope({"--help"}).out);
  const Run bad = run_slope({"help", "dif"});
  BOOST_TEST(bad.status == 2);
  BOOST_TEST(bad.err == "slope: unknown command 'dif'; did you mean diff?\n");
}

BOOST_AUTO_TEST_CASE(help_functions_lists_every_function_with_a_definition_that_holds) {
  // Each line is a call, and for an activation "= its definition": the call parses to its op,
  // every function of the op table is listed, and each definition has the function's values.
  const Run r = run_slope({"help", "functions"});
  BOOST_TEST_REQUIRE(r.status == 0, r.err);
  std::set<slope::Op> listed;
  int definitions = 0;
  std::istringstream lines(r.out);
  std::string line;
  std::getline(lines, line);  // the heading
  while (std::getline(lines, line)) {
    const std::size_t eq = line.find("  = ");
    std::string call = line.substr(0, eq);
    for (std::size_t d; (d = call.find(" = ")) != std::string::npos;)  // "alpha = 0.01": alpha
      call.erase(d, call.find_first_of(",)", d) - d);
    const slope::Expr f = slope::parse(call);
    BOOST_TEST(listed.insert(f.op()).second, "listed twice: " << line);
    if (eq == std::string::npos) continue;
    ++definitions;
    const slope::Expr defined = slope::parse(line.substr(eq + 4));
    for (double x : {-7.0, -3.0, -1.5, -1.0, -1e-300, 0.0, 0.25, 1.0, 3.0, 6.0, 6.5}) {
      const slope::Env env{{"x", x}, {"alpha", 0.3}, {"a", 0.2}, {"lo", -1.5}, {"hi", 2}};
      const double want = slope::eval(f, env), got = slope::eval(defined, env);
      BOOST_TEST(std::abs(got - want) <= 1e-15 * (1 + std::abs(want)), line << " at x = " << x);
    }
  }
  for (int i = static_cast<int>(slope::Op::Piecewise) + 1; i < slope::op_count; ++i) {
    const auto op = static_cast<slope::Op>(i);
    BOOST_TEST(listed.count(op) == slope::spelling(op).symbol.empty(), slope::op_name(op));
  }
  BOOST_TEST(definitions > 10);
}
