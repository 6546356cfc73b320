// SPDX-License-Identifier: MIT
// The parser: precedence, definitions, round trip with the printer, and every error class with
// its exact line, column, caret and hint.
#include <boost/test/data/monomorphic.hpp>
#include <boost/test/data/test_case.hpp>
#include <boost/test/unit_test.hpp>
#include <limits>

#include "slope/slope.hpp"
#include "support/random.hpp"

using namespace slope;
namespace bdata = boost::unit_test::data;

namespace {
const Expr x = var("x"), y = var("y"), a = var("a"), b = var("b"), c = var("c"), w = var("w");
}

BOOST_AUTO_TEST_CASE(precedence_and_associativity) {
  BOOST_TEST((parse("-x^2") == -pow(x, 2)));
  BOOST_TEST((parse("(-x)^2") == pow(-x, 2)));
  BOOST_TEST((parse("a^b^c") == pow(a, pow(b, c))));
  BOOST_TEST((parse("2^3^2") == Expr(512)));
  BOOST_TEST((parse("a - b - c") == a - b - c));
  BOOST_TEST((parse("a - (b - c)") == a - (b - c)));
  BOOST_TEST((parse("a / b / c") == a / b / c));
  BOOST_TEST((parse("a/(b*c)") == a / (b * c)));
  BOOST_TEST((parse("w*x + b > 0 and not x < 1 or y == 2") ==
              logical_or(logical_and(w * x + b > 0, logical_not(x < 1)), eq(y, 2))));
  BOOST_TEST((parse("x^-2") == pow(x, -2)));
  BOOST_TEST((parse("x ** 2") == pow(x, 2)));
  BOOST_TEST((parse("+x") == x));
}

BOOST_AUTO_TEST_CASE(numbers_functions_and_piecewise) {
  BOOST_TEST(parse("42").value() == 42.0);
  BOOST_TEST(parse("0.01").value() == 0.01);
  BOOST_TEST(parse(".5").value() == 0.5);
  BOOST_TEST(parse("1e-3").value() == 0.001);
  BOOST_TEST(parse("2.5E+2").value() == 250.0);
  BOOST_TEST(parse("inf").value() == std::numeric_limits<double>::infinity());
  BOOST_TEST(std::isnan(parse("undefined").value()));
  BOOST_TEST((parse("max(0, x)") == max(0, x)));
  BOOST_TEST((parse("leaky_relu(x, 0.01)") == leaky_relu(x)));
  BOOST_TEST((parse("leaky_relu(x)") == leaky_relu(x, 0.01)));
  BOOST_TEST((parse("clamp(x, -1, 1)") == clamp(x, -1, 1)));
  BOOST_TEST((parse("hardtanh(x)") == hardtanh(x, -1, 1)));
  BOOST_TEST((parse("piecewise(x < 0: 0.01*x, x < 1: x, otherwise: 1)") ==
              piecewise({{x < 0, 0.01 * x}, {x < 1, x}}, 1)));
  BOOST_TEST((parse("where(x > 0, x, 0)") == where(x > 0, x, 0)));
  BOOST_TEST((parse("max(0,\n  x)  # a comment") == max(0, x)));
}

BOOST_AUTO_TEST_CASE(definitions) {
  BOOST_TEST((parse("f(x) = max(0, x); f(w*x + b)") == max(0, w * x + b)));
  BOOST_TEST((parse("f(x) = max(0, x)\ng(u, v) = f(u) * v\n\ng(x, 2)") == max(0, x) * 2));
  BOOST_TEST((parse("k() = 3; k() + x") == x + 3));
  BOOST_TEST((parse("s(t) = t * a; s(2)") == 2 * a));  // free variables stay variables
}

BOOST_AUTO_TEST_CASE(printing_then_parsing_gives_the_same_graph) {
  testing::RandomExpr gen(31337);
  for (int i = 0; i < 10000; ++i) {
    const Expr e = gen.make(4);
    const std::string text = to_text(e);
    BOOST_TEST((parse(text) == e), text << " reads back as " << to_text(parse(text)));
  }
  // and for derivatives, which carry undefined, == and >= conditions
  for (Convention conv : all_conventions) {
    const Expr d = diff(hardtanh(w * x + b) + abs(x - y), x, conv);
    BOOST_TEST((parse(to_text(d)) == d), to_text(d));
  }
}

namespace {
struct ErrorCase {
  const char* input;
  const char* message;
  std::size_t line, column, length;
  const char* hint;  // a fragment the hint must contain ("" for no hint)
};
std::ostream& operator<<(std::ostream& os, const ErrorCase& c) { return os << c.input; }

const ErrorCase error_cases[] = {
    {"rellu(x)", "unknown function 'rellu'", 1, 1, 5, "did you mean relu"},
    {"x + sigmod(y)", "unknown function 'sigmod'", 1, 5, 6, "did you mean sigmoid"},
    {"max(x)", "max takes 2 arguments, got 1", 1, 1, 3, "usage: max(a, b)"},
    {"relu(x, 1)", "relu takes 1 argument, got 2", 1, 1, 4, "usage: relu(x)"},
    {"leaky_relu()", "leaky_relu takes 1 to 2 arguments, got 0", 1, 1, 10, "alpha = 0.01"},
    {"(x + 1", "this '(' is never closed", 1, 1, 1, "add a ')'"},
    {"max(0, x", "the call to max( is never closed", 1, 1, 3, "add a ')'"},
    {"x + 1)", "unmatched ')'", 1, 6, 1, "remove it"},
    {"piecewise(x > 0: x)", "piecewise needs an 'otherwise' branch", 1, 19, 1, "otherwise: 0"},
    {"piecewise(x > 0: x, 0)", "a piecewise branch needs 'condition: value'", 1, 22, 1,
     "otherwise"},
    {"f(x) = f(x) + 1; f(2)", "'f' calls itself; definitions cannot be recursive", 1, 8, 1, ""},
    {"f(x) = x\nf(1, 2)", "f takes 1 argument, got 2", 2, 1, 1, ""},
    {"relu(x) = x; relu(1)", "'relu' is a built-in function and cannot be redefined", 1, 1, 4,
     "my_relu"},
    {"x $ y", "unexpected character '$'", 1, 3, 1, ""},
    {"x +", "the expression ends too early", 1, 4, 1, "it needs a value"},
    {"a < b < c", "comparisons cannot be chained", 1, 7, 1, "a < b and b < c"},
    {"relu", "'relu' is a function; call it like relu(x)", 1, 1, 4, ""},
    {"x = 1", "'=' defines a function and needs a name and parameters on its left", 1, 3, 1, "=="},
    {"", "expected an expression", 1, 1, 1, "relu(x)"},
    {"2 x", "unexpected 'x' after the expression", 1, 3, 1, ""},
    {"otherwise", "'otherwise' can only be the last branch of piecewise(...)", 1, 1, 9,
     "piecewise(x > 0"},
    {"()", "empty parentheses", 1, 2, 1, "(x + 1)"},
    {"x\ny", "unexpected text after the expression", 2, 1, 1, "definitions"},
    {"abs(x) * (y +\n  )", "unexpected ')' where a value was expected", 2, 3, 1, ""},
};
}  // namespace

BOOST_DATA_TEST_CASE(errors_name_the_problem_and_where_it_is, bdata::make(error_cases), c) {
  try {
    parse(c.input);
    BOOST_FAIL("no error for " << c.input);
  } catch (const ParseError& e) {
    BOOST_TEST(e.message() == c.message);
    BOOST_TEST(e.line() == c.line);
    BOOST_TEST(e.column() == c.column);
    BOOST_TEST(e.length() == c.length);
    if (*c.hint)
      BOOST_TEST(e.hint().find(c.hint) != std::string::npos, e.hint());
    else
      BOOST_TEST(e.hint().empty(), e.hint());
  }
}

BOOST_AUTO_TEST_CASE(the_message_shows_the_line_and_a_caret) {
  try {
    parse("f(x) = max(0, x)\ng(x) = rellu(x)\ng(1)");
  } catch (const ParseError& e) {
    BOOST_TEST(std::string(e.what()) ==
               "2:8: error: unknown function 'rellu'\n"
               "  g(x) = rellu(x)\n"
               "         ^^^^^\n"
               "hint: did you mean relu, elu or gelu?");
  }
}

BOOST_AUTO_TEST_CASE(limits_give_errors_not_crashes) {
  const std::string deep = std::string(100000, '(') + "x" + std::string(100000, ')');
  BOOST_CHECK_THROW(parse(deep), ParseError);
  try {
    parse(deep);
  } catch (const ParseError& e) {
    BOOST_TEST(e.message() == "the expression is nested too deeply (more than 500 levels)");
  }
  BOOST_CHECK_THROW(parse(std::string(100000, '-') + "x"), ParseError);
  BOOST_CHECK_THROW(parse("x" + std::string(100000, '^')), ParseError);
  std::string chain = "x";
  for (int i = 0; i < 300; ++i) chain = "relu(" + chain + ")";
  BOOST_TEST(node_count(parse(chain)) == 2U);  // relu(relu(x)) folds: 300 levels within the limit
  BOOST_CHECK_THROW(parse("x + 1", ParseLimits{.max_length = 3}), ParseError);
  std::string wide = "x";
  for (int i = 0; i < 50000; ++i) wide += " + x";  // long but flat: fine
  BOOST_TEST((parse(wide) == 50001 * x));
}
