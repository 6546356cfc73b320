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

BOOST_AUTO_TEST_CASE(suggestions_are_near_names) {
  BOOST_TEST(did_you_mean("formt", {"format", "from", "file"}) == "did you mean format?");
  BOOST_TEST(did_you_mean("form", {"format", "from"}) == "did you mean format or from?");
  BOOST_TEST(did_you_mean("bogus", {"format", "from"}).empty());
}

BOOST_AUTO_TEST_CASE(unknown_options_are_named_with_a_suggestion) {
  const Run formt = run_slope({"diff", "x", "--formt", "latex"});
  BOOST_TEST(formt.status == 2);
  BOOST_TEST(formt.out.empty());
  BOOST_TEST(formt.err == "slope: unknown option '--formt' for diff; did you mean --format?\n");
  // with its value attached, and before the expression
  BOOST_TEST(run_slope({"diff", "--formt=latex", "x"}).err ==
             "slope: unknown option '--formt' for diff; did you mean --format?\n");
  // an option of other commands: say whose it is
  BOOST_TEST(run_slope({"diff", "x", "--at", "x=1"}).err ==
             "slope: unknown option '--at' for diff; --at is an option of eval, grad, kinks, "
             "check, table and plot\n");
  const Run lab = run_slope({"lab", "--epochs", "-3"});
  BOOST_TEST(lab.status == 2);
  BOOST_TEST(lab.err ==
             "slope: unknown option '--epochs' for lab; --epochs is an option of lab "
             "dying-relu and lab relu0\n");
  BOOST_TEST(run_slope({"diff", "x", "--bogus"}).err ==
             "slope: unknown option '--bogus' for diff; slope diff --help lists the options\n");
  BOOST_TEST(run_slope({"--bogus"}).err ==
             "slope: unknown option '--bogus'; slope --help lists the options\n");
  // values of options are not options, even when they start with --
  const Run title = run_slope({"plot", "x", "--title", "--x--", "--out", "-"});
  BOOST_TEST(title.status == 0, title.err);
}

BOOST_AUTO_TEST_CASE(a_labs_options_may_have_negative_values) {
  // -3 is --epochs' value, not an expression: the lab's own check refuses it
  const Run r = run_slope({"lab", "dying-relu", "--epochs", "-3"});
  BOOST_TEST(r.status == 2);
  BOOST_TEST(r.err == "slope: --epochs is -3; give 1 .. 200\n");
}

BOOST_AUTO_TEST_CASE(a_mistyped_lab_gets_a_suggestion) {
  const Run r = run_slope({"lab", "dying-rlu"});
  BOOST_TEST(r.status == 2);
  BOOST_TEST(r.err == "slope: unknown lab 'dying-rlu'; did you mean dying-relu?\n");
}

BOOST_AUTO_TEST_CASE(an_unquoted_expression_with_spaces_is_named) {
  const Run r = run_slope({"diff", "relu(x)", "+", "1"});
  BOOST_TEST(r.status == 2);
  BOOST_TEST(r.err ==
             "slope: diff takes one expression, got 3 words: relu(x) + 1\n"
             "hint: quote an expression that has spaces: slope diff \"relu(x) + 1\"\n");
  BOOST_TEST(run_slope({"help", "diff", "eval"}).err ==
             "slope: help takes one topic, got 2 words: diff eval\n");
  BOOST_TEST(run_slope({"lab", "dying-relu", "extra"}).err ==
             "slope: lab dying-relu takes no arguments, got: extra\n");
}

BOOST_AUTO_TEST_CASE(cli11_errors_are_in_slopes_words) {
  const auto err = [](const Args& args) {
    const Run r = run_slope(args);
    BOOST_TEST(r.status == 2, r.err);
    BOOST_TEST(r.out.empty());
    return r.err;
  };
  BOOST_TEST(err({"diff", "x", "--order", "abc"}) == "slope: --order abc: not a whole number\n");
  BOOST_TEST(err({"diff", "x", "--order", "99999999999"}) ==
             "slope: --order 99999999999: too large\n");
  // CLI11 alone reads -1 as 2^64 - 1
  BOOST_TEST(err({"lab", "dying-relu", "--seed", "-1"}) ==
             "slope: --seed: '-1' is not a whole number (0 or more)\n");
  BOOST_TEST(err({"lab", "dying-relu", "--seed", "18446744073709551616"}) ==
             "slope: --seed: '18446744073709551616' is too large (at most "
             "18446744073709551615)\n");
  BOOST_TEST(err({"lab", "dying-relu", "--epochs", "many"}) ==
             "slope: --epochs many: not a whole number\n");
  BOOST_TEST(err({"eval", "x", "--at"}) == "slope: --at needs a value\n");
  BOOST_TEST(err({"diff", "x", "--format", "latex", "--format", "json"}) ==
             "slope: --format is given more than once; give it once\n");
  BOOST_TEST(err({"plot", "relu(x)"}) == "slope: plot needs --out\n");
  BOOST_TEST(err({"table", "x", "--points", "1,2", "--from", "0"}) ==
             "slope: --from and --points cannot be given together\n");
  BOOST_TEST(err({"diff", "x", "--format", "latx"}) ==
             "slope: --format: 'latx' is not a format; did you mean latex?\n");
  BOOST_TEST(err({"diff", "x", "--format", "pdf"}) ==
             "slope: --format: 'pdf' is not a format; use pretty, ascii, text, latex, dot, json "
             "or markdown\n");
  BOOST_TEST(err({"diff", "x", "--convention", "min-norm"}) ==
             "slope: --convention: 'min-norm' is not a convention; did you mean min_norm?\n");
  BOOST_TEST(err({"emit", "x", "--lang", "fortran"}) ==
             "slope: --lang: 'fortran' is not a language; use cpp, python, numpy or torch\n");
  BOOST_TEST(err({"emit", "x", "--lang", "pyton"}) ==
             "slope: --lang: 'pyton' is not a language; did you mean python?\n");
}
