// The shared options: --at, variable names, --wrt, --convention and finite numbers.
#include "cli/options.hpp"

#include <boost/test/unit_test.hpp>

#include "cli/run_slope.hpp"

using namespace slope;
using namespace slope::cli;
using namespace cli_testing;

namespace {
std::string usage_error_of(const std::string& at) {
  try {
    parse_at(at);
  } catch (const UsageError& e) {
    return e.what();
  }
  BOOST_FAIL("no UsageError for --at " + at);
  return {};
}
}  // namespace

BOOST_AUTO_TEST_CASE(at_reads_names_and_constant_values) {
  const Env env = parse_at("x=1.5, w = -2,b=1e-3,c=inf");
  BOOST_TEST(env.at("x") == 1.5);
  BOOST_TEST(env.at("w") == -2);
  BOOST_TEST(env.at("b") == 1e-3);
  BOOST_TEST(std::isinf(env.at("c")));
}

BOOST_AUTO_TEST_CASE(at_errors_name_the_option_and_the_problem) {
  BOOST_TEST(usage_error_of("x=") == "--at x=: the value is missing, like --at x=1.5");
  BOOST_TEST(usage_error_of("x=1,x=2") == "--at: x is given twice");
  BOOST_TEST(contains(usage_error_of("1x=2"), "'1x' is not a variable name"));
  BOOST_TEST(contains(usage_error_of("x"), "expects name=value pairs"));
  BOOST_TEST(contains(usage_error_of("=1"), "'' is not a variable name"));
  BOOST_TEST(contains(usage_error_of("x=y"), "the value must be a number"));
  BOOST_TEST(contains(usage_error_of("x=(1"), "never closed"));
  BOOST_TEST(contains(usage_error_of("relu=1"), "'relu' is not a variable name"));
}

BOOST_AUTO_TEST_CASE(names_are_what_the_parser_reads_as_variables) {
  for (const char* good : {"x", "_", "w_1", "Alpha2", "lambda"}) BOOST_TEST(is_name(good), good);
  for (const char* bad : {"", "1x", "x ", " x", "x-y", "3", "inf", "nan", "and", "relu", "max",
                          "piecewise", "where", "otherwise"})
    BOOST_TEST(!is_name(bad), bad);
}

BOOST_AUTO_TEST_CASE(wrt_must_name_a_variable) {
  const Expr f = parse("x^2 + y");
  BOOST_TEST(variable_to_differentiate(f, "") == "x");
  BOOST_TEST(variable_to_differentiate(parse("w*b"), "") == "w");
  BOOST_TEST(variable_to_differentiate(f, "y") == "y");
  BOOST_CHECK_THROW(variable_to_differentiate(f, "3"), UsageError);
  BOOST_CHECK_THROW(variable_to_differentiate(f, "x "), UsageError);
  const Run number = run_slope({"diff", "x^2", "--wrt", "3"});
  BOOST_TEST(number.status == 2);
  BOOST_TEST(
      number.err ==
      "slope: --wrt '3' is not a variable name (a letter or _, then letters, digits or _)\n");
  const Run absent = run_slope({"diff", "x^2", "--wrt", "z", "--format", "text"});
  BOOST_TEST(absent.status == 0);
  BOOST_TEST(absent.out == "0\n");
  BOOST_TEST(absent.err == "note: the expression does not depend on z\n");
}

BOOST_AUTO_TEST_CASE(convention_is_parsed_once_by_a_transformer) {
  CLI::App app;
  Convention c = Convention::min_norm;
  add_convention(app, c);
  app.parse(std::vector<std::string>{"RIGHT", "--convention"});  // CLI11 reads a reversed list
  BOOST_TEST((c == Convention::right));
  BOOST_CHECK_THROW(app.parse(std::vector<std::string>{"sideways", "--convention"}),
                    CLI::ValidationError);
  const Run bad = run_slope({"diff", "x", "--convention", "sideways"});
  BOOST_TEST(bad.status == 2);
  BOOST_TEST(contains(bad.err, "'sideways' is not a convention"), bad.err);
}

BOOST_AUTO_TEST_CASE(finite_options_refuse_nan_and_infinity) {
  for (const char* v : {"nan", "inf", "-inf", "1e999", "two"}) {
    const Run r = run_slope({"table", "x", "--from", v});
    BOOST_TEST(r.status == 2, v);
    BOOST_TEST(contains(r.err, "--from"), r.err);
  }
  BOOST_TEST(run_slope({"table", "x", "--step", "nan"}).status == 2);
  BOOST_TEST(run_slope({"plot", "x", "--to", "inf", "--out", "-"}).status == 2);
}
