// SPDX-License-Identifier: MIT
// slope help [COMMAND].
#include <boost/test/unit_test.hpp>

#include "cli/run_slope.hpp"

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
