// SPDX-License-Identifier: MIT
// How main() maps errors to exit statuses, and the command line as a whole.
#include <boost/test/unit_test.hpp>
#include <filesystem>
#include <fstream>
#include <slope/version.hpp>
#include <string>

#include "cli/run_slope.hpp"

using namespace cli_testing;

BOOST_AUTO_TEST_CASE(errors_exit_1_with_a_caret) {
  const Run unknown = run_slope({"diff", "rellu(x)"});
  BOOST_TEST(unknown.status == 1);
  BOOST_TEST(unknown.out.empty());
  BOOST_TEST(unknown.err ==
             "1:1: error: unknown function 'rellu'\n  rellu(x)\n  ^^^^^\nhint: did you mean relu, "
             "elu or gelu?\n");
  BOOST_TEST(run_slope({"diff", "max(x)"}).err.find("max takes 2 arguments, got 1") !=
             std::string::npos);
  BOOST_TEST(run_slope({"diff", "(x + 1"}).err.find("this '(' is never closed") !=
             std::string::npos);
  BOOST_TEST(run_slope({"diff", "piecewise(x > 0: x)"})
                 .err.find("piecewise needs an 'otherwise' branch") != std::string::npos);
  BOOST_TEST(run_slope({"diff", "f(x) = f(x); f(1)"}).err.find("calls itself") !=
             std::string::npos);
  const Run unbound = run_slope({"eval", "w*x", "--at", "x=1"});
  BOOST_TEST(unbound.status == 1);
  BOOST_TEST(unbound.err ==
             "error: no value given for variable 'w'\nhint: give it with --at, like --at w=1\n");
  const Run deep = run_slope({"diff", std::string(2000, '(') + "x" + std::string(2000, ')')});
  BOOST_TEST(deep.status == 1);
  BOOST_TEST(deep.err.find("nested too deeply") != std::string::npos);
}

BOOST_AUTO_TEST_CASE(usage_errors_exit_2) {
  BOOST_TEST(run_slope({"diff"}).status == 2);
  BOOST_TEST(run_slope({"diff", "x", "--convention", "bogus"}).status == 2);
  BOOST_TEST(run_slope({"diff", "x", "--format", "pdf"}).status == 2);
  BOOST_TEST(run_slope({"frobnicate"}).status == 2);
  BOOST_TEST(run_slope({"eval", "x", "--at", "x"}).status == 2);
  BOOST_TEST(run_slope({"plot", "relu(x)"}).status == 2);  // --out is required
  const Run help = run_slope({"diff", "--help"});
  BOOST_TEST(help.status == 0);
  BOOST_TEST(help.out.find("--convention") != std::string::npos);
  BOOST_TEST(run_slope({"--help"}).out.find("grad") != std::string::npos);
}

BOOST_AUTO_TEST_CASE(version_is_the_projects_version_once) {
  // <slope/version.hpp> is generated from project(VERSION); --version prints the same string.
  const std::string version = std::to_string(slope::version_major) + "." +
                              std::to_string(slope::version_minor) + "." +
                              std::to_string(slope::version_patch);
  BOOST_TEST(version == slope::version_string);
  const Run r = run_slope({"--version"});
  BOOST_TEST(r.status == 0);
  BOOST_TEST(r.out == "slope " + version + "\n");
  BOOST_TEST(r.err.empty());
}

BOOST_AUTO_TEST_CASE(an_expression_may_start_with_minus) {
  const Run r = run_slope({"diff", "-x^2", "--format", "text"});
  BOOST_TEST(r.status == 0, r.err);
  BOOST_TEST(r.out == "-2*x  # min_norm convention at kinks\n");
  BOOST_TEST(run_slope({"eval", "-x^2", "--at", "x=3"}).out == "-9\n");
  BOOST_TEST(run_slope({"eval", "-1"}).out == "-1\n");
  BOOST_TEST(run_slope({"table", "--from", "-1", "-x", "--to", "1", "--csv"}).out ==
             "x,f(x),f'(x) [min_norm]\n-1,1,-1\n0,0,-1\n1,-1,-1\n");
}

BOOST_AUTO_TEST_CASE(a_failed_write_to_standard_output_exits_1) {
  if (!std::filesystem::exists("/dev/full")) return;
  for (const auto& args : std::vector<std::vector<std::string>>{
           {"eval", "x", "--at", "x=2"}, {"diff", "relu(x)"}, {}, {"--help"}, {"help", "diff"}}) {
    const Run r = shell(slope_command(args) + " > /dev/full");
    BOOST_TEST(r.status == 1, slope_command(args));
    BOOST_TEST(contains(r.err, "standard output"), r.err);
  }
}
