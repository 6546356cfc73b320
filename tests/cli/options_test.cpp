// SPDX-License-Identifier: MIT
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
  // a constant expression, whether or not its quotient is exact (1/3 stays 1/3 as a formula)
  const Env thirds = parse_at("x=1/3, y=-1/3, z=sqrt(2)/2");
  BOOST_TEST(thirds.at("x") == 1.0 / 3);
  BOOST_TEST(thirds.at("y") == -1.0 / 3);
  BOOST_TEST(thirds.at("z") == std::sqrt(2.0) / 2);
}

BOOST_AUTO_TEST_CASE(at_errors_name_the_option_and_the_problem) {
  BOOST_TEST(usage_error_of("x=") == "--at x=: the value is missing, like --at x=1.5");
  BOOST_TEST(usage_error_of("x=1,x=2") ==
             "--at: x is given twice (x=1 and x=2); for several points list the values once, "
             "like --at x=2,0,-3");
  BOOST_TEST(usage_error_of("x=1,2") ==
             "--at x=1,2...: this command takes one value per variable; lists of points are for "
             "slope eval (and slope table --points)");
  BOOST_TEST(usage_error_of("x=1,,2") == "--at x=...: an empty value after a comma");
  BOOST_TEST(contains(usage_error_of("1x=2"), "'1x' is not a variable name"));
  BOOST_TEST(contains(usage_error_of("x"), "expects name=value pairs"));
  BOOST_TEST(contains(usage_error_of("=1"), "'' is not a variable name"));
  BOOST_TEST(contains(usage_error_of("x=y"), "the value must be a number"));
  BOOST_TEST(contains(usage_error_of("x=(1"), "never closed"));
  BOOST_TEST(contains(usage_error_of("relu=1"), "'relu' is not a variable name"));
}

BOOST_AUTO_TEST_CASE(at_lists_continue_the_variable_before_them) {
  const std::vector<AtValues> lists = parse_at_lists("x=2,0,0.1,-3, w=1/2,b=-1,-2");
  BOOST_TEST_REQUIRE(lists.size() == 3u);
  BOOST_TEST(lists[0].name == "x");
  BOOST_TEST(lists[0].values == (std::vector<double>{2, 0, 0.1, -3}),
             boost::test_tools::per_element());
  BOOST_TEST(lists[1].name == "w");
  BOOST_TEST(lists[1].values == std::vector<double>{0.5}, boost::test_tools::per_element());
  BOOST_TEST(lists[2].name == "b");
  BOOST_TEST(lists[2].values == (std::vector<double>{-1, -2}), boost::test_tools::per_element());
  // a repeated name is an error naming it, even after a list
  BOOST_CHECK_EXCEPTION(parse_at_lists("x=2,0,y=1,x=5"), UsageError, [](const UsageError& e) {
    return std::string(e.what()) ==
           "--at: x is given twice (x=2 and x=5); for several points list the values once, like "
           "--at x=2,0,-3";
  });
  BOOST_CHECK_EXCEPTION(parse_at_lists("1,x=2"), UsageError, [](const UsageError& e) {
    return std::string(e.what()) ==
           "--at expects name=value pairs separated by commas, like --at x=1.5,w=2 (got '1')";
  });
  BOOST_CHECK_EXCEPTION(parse_at_lists("x=1,y"), UsageError, [](const UsageError& e) {
    return std::string(e.what()) == "--at x=...,y: the value must be a number";
  });
}

BOOST_AUTO_TEST_CASE(points_are_finite_constants) {
  BOOST_TEST(parse_values("-10, 0,1,15,-20,2^-1", "--points") ==
                 (std::vector<double>{-10, 0, 1, 15, -20, 0.5}),
             boost::test_tools::per_element());
  BOOST_CHECK_EXCEPTION(parse_values("1,inf", "--points"), UsageError, [](const UsageError& e) {
    return std::string(e.what()) == "--points inf: must be a finite number";
  });
  BOOST_CHECK_EXCEPTION(parse_values("1,,2", "--points"), UsageError, [](const UsageError& e) {
    return std::string(e.what()) ==
           "--points: an empty value (values are separated by single commas, like --points "
           "-10,0,1)";
  });
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
  const Run empty = run_slope({"diff", "x^2", "--wrt", ""});  // not silently the default x
  BOOST_TEST(empty.status == 2);
  BOOST_TEST(empty.out.empty());
  BOOST_TEST(empty.err.find("--wrt") != std::string::npos, empty.err);
  BOOST_TEST(empty.err.find("must name a variable") != std::string::npos, empty.err);
  const Run absent = run_slope({"diff", "x^2", "--wrt", "z", "--format", "text"});
  BOOST_TEST(absent.status == 0);
  BOOST_TEST(absent.out == "0  # min_norm convention at kinks\n");
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
  // too large is said so; a subnormal is a finite number like any other
  BOOST_TEST(run_slope({"table", "x", "--from", "1e400"}).err ==
             "slope: --from: '1e400' is too large for a double (the largest is about 1.8e308)\n");
  const Run tiny =
      run_slope({"table", "x", "--from", "1e-320", "--to", "1", "--step", "0.5", "--csv"});
  BOOST_TEST(tiny.status == 0, tiny.err);
  BOOST_TEST(tiny.out.substr(0, tiny.out.find('\n', tiny.out.find('\n') + 1)) ==
             "x,f(x),f'(x) [min_norm]\n1e-320,1e-320,1");
  BOOST_TEST(run_slope({"plot", "x", "--to", "inf", "--out", "-"}).status == 2);
}

BOOST_AUTO_TEST_CASE(an_empty_out_is_refused_not_read_as_standard_output) {
  const Run r = run_slope({"eval", "x", "--at", "x=1", "--out", ""});
  BOOST_TEST(r.status == 2);
  BOOST_TEST(r.out.empty());
  BOOST_TEST(r.err == "slope: --out: needs a file name, or - for standard output\n");
  const Run at = run_slope({"eval", "x", "--at", "x=1e400"});
  BOOST_TEST(at.status == 2);
  BOOST_TEST(at.err ==
             "slope: --at x=1e400: '1e400' is too large for a double (the largest is about "
             "1.8e308); for infinity write inf\n");
}

BOOST_AUTO_TEST_CASE(at_names_the_expression_never_spells_are_refused) {
  const auto refusal = [](const std::vector<std::string>& names, const std::string& text,
                          const std::string& varying = "", const std::string& role = "") {
    try {
      check_at_names(names, {parse(text)}, {text}, varying, role);
    } catch (const UsageError& e) {
      return std::string(e.what());
    }
    return std::string();
  };
  // a likely typo: the nearest variable still without a value is suggested
  BOOST_TEST(refusal({"y"}, "relu(x)") ==
             "--at y: the expression has no variable y; did you mean x?");
  BOOST_TEST(refusal({"W", "x"}, "w*x") ==
             "--at W: the expression has no variable W; did you mean w?");
  BOOST_TEST(refusal({"x", "y"}, "relu(x)") ==
             "--at y: the expression has no variable y (its variables: x)");
  // a constant (a derivative piped from `slope diff --format text`) takes any point
  BOOST_TEST(refusal({"x"}, "2 + 3").empty());
  // written but simplified away (x - x), or spelled inside a definition: not a typo
  BOOST_TEST(refusal({"x", "y"}, "x - x + y").empty());
  BOOST_TEST(refusal({"y"}, "f(x) = x + y; f(3)").empty());
  // the variable the command moves itself
  BOOST_TEST(refusal({"x"}, "relu(x)", "x", "the rows' variable") ==
             "--at x: x is the rows' variable, so a value for it would be ignored (--wrt picks "
             "another variable)");
  // several expressions: a name any of them spells is fine
  BOOST_CHECK_NO_THROW(check_at_names({"a"}, {parse("x"), parse("a*x")}, {"x", "a*x"}, "x"));
  BOOST_CHECK_EXCEPTION(check_at_names({"b"}, {parse("x"), parse("a*x")}, {"x", "a*x"}, "x"),
                        UsageError, [](const UsageError& e) {
                          return std::string(e.what()) ==
                                 "--at b: the expressions have no variable b; did you mean a?";
                        });
}
