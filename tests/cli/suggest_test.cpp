// SPDX-License-Identifier: MIT
// The command line before CLI11: expressions starting with '-', and "did you mean".
#include "cli/suggest.hpp"

#include <boost/test/unit_test.hpp>

#include "cli/commands.hpp"
#include "cli/run_slope.hpp"

using namespace slope::cli;
using namespace cli_testing;
using Args = std::vector<std::string>;

namespace {
CLI::App& app() {
  static CLI::App a;
  if (a.get_subcommands([](const CLI::App*) { return true; }).empty()) {
    setup_diff(a);
    setup_table(a);
    setup_eval(a);
  }
  return a;
}
}  // namespace

BOOST_AUTO_TEST_CASE(an_expression_that_starts_with_minus_moves_behind_a_double_dash) {
  BOOST_TEST(expressions_as_positionals(app(), Args{"slope", "diff", "-x^2"}) ==
             (Args{"slope", "diff", "--", "-x^2"}));
  BOOST_TEST(expressions_as_positionals(app(), Args{"slope", "diff", "-x^2", "--wrt", "x"}) ==
             (Args{"slope", "diff", "--wrt", "x", "--", "-x^2"}));
  // option values stay with their options, even when they start with '-'
  BOOST_TEST(expressions_as_positionals(app(), Args{"slope", "table", "-x", "--from", "-2"}) ==
             (Args{"slope", "table", "--from", "-2", "--", "-x"}));
  BOOST_TEST(expressions_as_positionals(app(), Args{"slope", "table", "--from=-2", "x"}) ==
             (Args{"slope", "table", "--from=-2", "x"}));
  // flags take no value; - alone is standard input; -h is help
  BOOST_TEST(expressions_as_positionals(app(), Args{"slope", "diff", "--steps", "-"}) ==
             (Args{"slope", "diff", "--steps", "-"}));
  BOOST_TEST(expressions_as_positionals(app(), Args{"slope", "diff", "-h"}) ==
             (Args{"slope", "diff", "-h"}));
  BOOST_TEST(expressions_as_positionals(app(), Args{"slope", "diff", "--", "-x"}) ==
             (Args{"slope", "diff", "--", "-x"}));
  // several expressions keep their order (slope plot); CLI11 stops a subcommand's positionals
  // at "--" if some came before it
  BOOST_TEST(expressions_as_positionals(app(), Args{"slope", "diff", "x", "-x^2", "--wrt", "x"}) ==
             (Args{"slope", "diff", "--wrt", "x", "--", "x", "-x^2"}));
}

BOOST_AUTO_TEST_CASE(mistyped_commands_get_a_suggestion) {
  BOOST_TEST(unknown_command_message(app(), "dif") == "unknown command 'dif'; did you mean diff?");
  BOOST_TEST(unknown_command_message(app(), "tabel") ==
             "unknown command 'tabel'; did you mean table?");
  BOOST_TEST(unknown_command_message(app(), "frobnicate") ==
             "unknown command 'frobnicate'; the commands are diff, table, eval");
  BOOST_TEST(check_command(app(), Args{"slope", "diff", "x"}).empty());
  BOOST_TEST(check_command(app(), Args{"slope", "--help"}).empty());
  BOOST_TEST(check_command(app(), Args{"slope"}).empty());
  const Run r = run_slope({"dif", "relu(x)"});
  BOOST_TEST(r.status == 2);
  BOOST_TEST(r.err == "slope: unknown command 'dif'; did you mean diff?\n");
  const Run expr = run_slope({"relu(x)"});
  BOOST_TEST(expr.status == 2);
  BOOST_TEST(contains(expr.err,
                      "hint: to work on an expression, name the command first: slope "
                      "diff \"relu(x)\""),
             expr.err);
}
