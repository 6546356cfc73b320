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
    {"ReLU(x)", "unknown function 'ReLU'", 1, 1, 4, "did you mean relu"},  // PyTorch's spelling
    {"LeakyReLU(x)", "unknown function 'LeakyReLU'", 1, 1, 9, "did you mean leaky_relu"},
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
    {"f(x) = x\nf(1, 2)", "f takes 1 argument, got 2", 2, 1, 1, "usage: f(x)"},
    {"f(u, v) = u*v; f(2)", "f takes 2 arguments, got 1", 1, 16, 1, "usage: f(u, v)"},
    // reserved words and functions name no parameter or definition (f(inf) = inf + 1 read inf
    // as the number and ignored its argument)
    {"f(inf) = inf + 1; f(3)", "'inf' is a reserved word and cannot name a parameter", 1, 3, 3,
     "choose another name"},
    {"f(x, and) = x; f(1, 2)", "'and' is a reserved word and cannot name a parameter", 1, 6, 3,
     "choose another name"},
    {"nan(x) = x; 1", "'nan' is a reserved word and cannot name a definition", 1, 1, 3, "my_nan"},
    {"g(exp) = exp + 1; g(2)", "'exp' is a function and cannot name a parameter", 1, 3, 3,
     "choose another name"},
    {"f(x) = x; g(f) = f(1) + f; g(2)", "'f' is a function and cannot name a parameter", 1, 13, 1,
     "choose another name"},
    {"f(f) = f; f(2)", "'f' names the definition and cannot name its parameter", 1, 3, 1,
     "choose another name"},
    // a definition further down is named, not a look-alike built-in
    {"f(x) = g(x)\ng(x) = x\nf(1)", "'g' is used before its definition (line 2)", 1, 8, 1,
     "move the definition of g above its first use"},
    {"relu(x) = x; relu(1)", "'relu' is a built-in function and cannot be redefined", 1, 1, 4,
     "my_relu"},
    {"x $ y", "unexpected character '$'", 1, 3, 1, ""},
    {"x +", "the expression ends too early", 1, 4, 1, "it needs a value"},
    {"a < b < c", "comparisons cannot be chained", 1, 7, 1, "a < b and b < c"},
    {"relu", "'relu' is a function; call it like relu(x)", 1, 1, 4, ""},
    {"x = 1", "'=' defines a function and needs a name and parameters on its left", 1, 3, 1, "=="},
    {"", "expected an expression", 1, 1, 1, "relu(x)"},
    // maths notation's products, written with '*' in the hint
    {"2 x", "unexpected 'x' after the expression", 1, 3, 1, "to multiply, write 2*x"},
    {"2x", "unexpected 'x' after the expression", 1, 2, 1, "to multiply, write 2*x"},
    {"3*2w + 1", "unexpected 'w' after the expression", 1, 4, 1, "to multiply, write 2*w"},
    {"2(x + 1)", "unexpected '(' after the expression", 1, 2, 1, "to multiply, write 2*(...)"},
    {"(x + 1)(x - 1)", "unexpected '(' after the expression", 1, 8, 1,
     "to multiply, write (...)*(...)"},
    {"relu(x y)", "unexpected 'y' in the arguments of relu", 1, 8, 1, "to multiply, write x*y"},
    {"f(x) = 2x; f(1)", "unexpected 'x' after the definition of f", 1, 9, 1,
     "to multiply, write 2*x"},
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

BOOST_AUTO_TEST_CASE(names_in_are_the_names_the_text_spells) {
  // x is written but simplified away; 2x spells x; comments and exponents spell nothing
  BOOST_TEST(names_in("x - x + y") == (std::vector<std::string>{"x", "y"}),
             boost::test_tools::per_element());
  BOOST_TEST(
      names_in("f(u) = relu(u); f(2w) # b") == (std::vector<std::string>{"f", "relu", "u", "w"}),
      boost::test_tools::per_element());
  BOOST_TEST(names_in("1e5 + 2.5E-3").empty());
  BOOST_TEST(variables(parse("x - x + y")) == std::vector<std::string>{"y"},
             boost::test_tools::per_element());
  BOOST_CHECK_THROW(names_in("x $ y"), ParseError);
}

BOOST_AUTO_TEST_CASE(variables_written_are_the_variables_read_folded_or_not) {
  // in order of first use; a definition's parameter and a function's name are none
  BOOST_TEST(variables_written("y + x - x") == (std::vector<std::string>{"y", "x"}),
             boost::test_tools::per_element());
  BOOST_TEST(
      variables_written("f(u) = relu(u) + b; f(2*w) # c") == (std::vector<std::string>{"b", "w"}),
      boost::test_tools::per_element());
  BOOST_CHECK_THROW(variables_written("x +"), ParseError);
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

BOOST_AUTO_TEST_CASE(an_ops_rule_on_its_arguments_is_a_located_error) {
  const auto message = [](const std::string& text) -> std::string {
    try {
      parse(text);
    } catch (const ParseError& e) {
      return e.what();
    }
    return "(no error)";
  };
  BOOST_TEST(message("1 + clamp(x, 2, 1)") ==
             "1:5: error: clamp(x, lo, hi) needs lo <= hi; got lo = 2 and hi = 1\n"
             "  1 + clamp(x, 2, 1)\n"
             "      ^^^^^\n"
             "hint: usage: clamp(x, lo, hi)");
  // fractions are numbers too (hardtanh(x, 1/3, 1/7) quietly read as 1/7, found by a review)
  BOOST_TEST(message("hardtanh(x, 1/3, 1/7)") ==
             "1:1: error: hardtanh(x, lo, hi) needs lo <= hi; got lo = 1/3 and hi = 1/7\n"
             "  hardtanh(x, 1/3, 1/7)\n"
             "  ^^^^^^^^\n"
             "hint: usage: hardtanh(x, lo = -1, hi = 1)");
  // Bounds that only become constants through a definition's parameters are the op's business:
  // hi everywhere, as PyTorch.
  const Expr crossed = parse("f(a, b) = hardtanh(x, a, b)\nf(1, -1)");
  BOOST_TEST(eval(crossed, {{"x", 0.5}}) == -1.0);
  BOOST_TEST((parse(to_text(crossed)) == crossed));  // printed as -1, which parses back
}

BOOST_AUTO_TEST_CASE(a_number_too_large_for_a_double_is_an_error_not_infinity) {
  // 1e400 once became inf without a word; a number below the smallest double is its nearest one
  try {
    parse("x + 2e308");
    BOOST_FAIL("2e308 parsed");
  } catch (const ParseError& e) {
    BOOST_TEST(e.message() == "'2e308' is too large for a double (the largest is about 1.8e308)");
    BOOST_TEST(e.column() == 5U);
  }
  BOOST_TEST(parse("1e-320").value() == 1e-320);
  BOOST_TEST(parse("1e-400").value() == 0.0);
  BOOST_TEST(std::isinf(parse("inf").value()));
  BOOST_TEST(parse("1.7976931348623157e308").value() == std::numeric_limits<double>::max());
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

BOOST_AUTO_TEST_CASE(definitions_do_not_capture_free_variables) {
  // f's free y is the global y; g's parameter y is another thing, bound to 3 at the call.
  const Expr e = parse("f(x) = x + y; g(y) = f(y); g(3)");
  BOOST_TEST((e == y + 3));
  BOOST_TEST(eval(e, {{"y", 10.0}}) == 13.0);
  BOOST_TEST((parse("f(x) = x + y; g(y) = f(y); g(y)") == 2 * y));
  BOOST_TEST((parse("f(a, b) = a - b; g(b, a) = f(b, a); g(x, y)") == x - y));
  BOOST_TEST((parse("f(x) = x*y; g(y, x) = f(y) + x; g(2, 5)") == 2 * y + 5));
  // A name in the text that looks like the parser's own names is still an ordinary variable.
  BOOST_TEST((parse("f(x) = x + _p0 + _p1; f(2)") == var("_p0") + var("_p1") + 2));
  // Arguments passed on in another order are substituted all at once, not one after another.
  BOOST_TEST((parse("f(a, b) = a - b; g(a, b) = f(b, a); g(x, y)") == y - x));
  BOOST_TEST((parse("f(a, b, c) = a + 2*b + 3*c; g(a, b, c) = f(c, a, b); g(x, y, z)") ==
              var("z") + 2 * x + 3 * y));
}

// Parameters take their own names as placeholders where no body reads that name as a free
// variable and no definition has it at another position; each text against the expression
// built by hand.
const std::pair<const char*, Expr> binding_cases[] = {
    {"f(x) = x + y; g(y) = f(y); g(x)", x + y},              // y free in f: not f's or g's name
    {"f(y) = y + x; f(x)", 2 * x},                           // x free in f
    {"f(y) = y + x; f(y)", y + x},                           //
    {"f(x) = x + a; g(a) = 2*f(a); g(x)", 2 * (x + a)},      // g's a is not f's free a
    {"f(x, y) = x - y; f(y, x)", y - x},                     // swapped at the top
    {"h(x, y) = x - y; k(y, x) = h(x, y); k(x, y)", y - x},  // names at two positions
    {"f(x) = relu(x); f(x) + x", relu(x) + x},               // the name at the top as well
    {"f(x) = x^2; f(x + 1)", pow(x + 1, 2)},                 //
    {"u(x) = relu(x); v(z) = u(z) + z; v(x)", relu(x) + x},  // two names for one position
    {"f(x) = x + 1; g(x) = x*f(x); g(y)", y*(y + 1)},        //
    {"g(y) = 2*y; f(x) = x + y; f(x)", x + y},               // y a parameter, then free
    {"g(y) = 2*y; f(x) = g(x) + y; f(3)", 6 + y},            //
    {"f(_p0) = _p0 + x; f(x)", 2 * x},
    // a body goes on across a newline inside parentheses or after an operator (found by a
    // helper: the free y on the second line was captured)
    {"f(y) = y\ng(x) = f(x) +\ny\ng(3)", 3 + y},
    {"f(y) = y\ng(x) = (f(x)\n+ y)\ng(3)", 3 + y},
    {"f(y) = y\ng(x) =\n  f(x) + y\ng(3)", 3 + y},
    {"f(y) = y\ng(x) = max(f(\n x), y)\ng(3)", max(Expr(3), y)},  // a name like the parser's own
};
BOOST_DATA_TEST_CASE(definitions_bind_their_parameters_and_nothing_else,
                     bdata::xrange(std::size(binding_cases))) {
  const auto& [text, expected] = binding_cases[sample];
  BOOST_TEST((parse(text) == expected), text << " reads " << to_text(parse(text)));
}

BOOST_AUTO_TEST_CASE(a_chain_of_definitions_is_the_chain_and_is_not_refused) {
  // W3's chain written one definition per layer, each passing its parameter on: every call is
  // the body already built (nothing copied), so 5,000 layers are far within the expanded-size
  // limit that stopped them at layer 638 when each call copied the chain below it.
  constexpr int depth = 5000;
  std::string text = "u0(x) = x\n";
  Expr built = x;
  for (int i = 1; i <= depth; ++i) {
    const double w = 1 + i / 10.0, b = (i % 2 ? -1.0 : 1.0) * i / 100.0;
    text += fmt::format("u{}(x) = relu({}*u{}(x) + {})\n", i, w, i - 1, b);
    built = relu(w * built + b);
  }
  BOOST_TEST((parse(text + fmt::format("u{}(x)", depth)) == built));
  // called on x, the name its parameter has, not even the last call copies it
  BOOST_CHECK_NO_THROW(parse(text + fmt::format("u{}(x)", depth), ParseLimits{.max_expanded = 1}));
  // called on something else, the chain is copied once, and counted
  const Expr at_y = parse(text + fmt::format("u{}(2*y)", depth));
  BOOST_TEST((at_y == substitute(built, {{"x", 2 * y}})));
  BOOST_CHECK_THROW(parse(text + fmt::format("u{}(2*y)", depth), ParseLimits{.max_expanded = 100}),
                    ParseError);
}

BOOST_AUTO_TEST_CASE(definitions_that_double_stop_at_the_expanded_size_limit) {
  std::string text = "f1(x) = sin(x) + cos(x)\n";
  for (int k = 2; k <= 22; ++k)
    text += fmt::format("f{}(x) = f{}(sin(x)) + f{}(cos(x))\n", k, k - 1, k - 1);
  text += "f22(x)";
  try {
    parse(text);
    BOOST_FAIL("expected a ParseError");
  } catch (const ParseError& e) {
    BOOST_TEST(e.message() == "the definitions expand to more than 1000000 nodes (the limit)");
    BOOST_TEST(e.line() == 18U);  // the first call over the limit, in a definition
  }
  // Under the limit the same definitions work, and another limit is honoured.
  BOOST_TEST(node_count(parse("f(x) = sin(x) + cos(x); g(x) = f(sin(x)) + f(cos(x)); g(x)")) == 8U);
  // (the inner f(x) is f's body itself; each outer call copies its 4 nodes)
  BOOST_CHECK_NO_THROW(parse("f(x) = sin(x) + cos(x); f(f(x))", ParseLimits{.max_expanded = 7}));
  BOOST_CHECK_THROW(parse("f(x) = sin(x) + cos(x); f(f(f(x)))", ParseLimits{.max_expanded = 7}),
                    ParseError);
  BOOST_TEST(
      (parse("f(x) = sin(x) + cos(x); f(x)", ParseLimits{.max_expanded = 4}) == sin(x) + cos(x)));
}

BOOST_AUTO_TEST_CASE(an_error_far_along_a_long_line_shows_an_excerpt) {
  const std::string text = "x" + std::string(5'999'999, ' ') + ")";
  try {
    parse(text);
    BOOST_FAIL("expected a ParseError");
  } catch (const ParseError& e) {
    BOOST_TEST(e.column() == 6'000'001U);
    BOOST_TEST(e.source_line() == "..." + text.substr(6'000'000 - 80));
    BOOST_TEST(e.caret_column() == 84U);
    const std::string what = e.what();
    BOOST_TEST(what.size() < 500U);
    BOOST_TEST(what == "1:6000001: error: unmatched ')'\n  " + e.source_line() + "\n  " +
                           std::string(83, ' ') + "^\nhint: remove it, or add the '(' it closes");
  }
  // In the middle of a long line: cut on both sides, the caret under the token.
  const std::string middle = std::string(1000, 'a') + " ? " + std::string(1000, 'b');
  try {
    parse(middle);
    BOOST_FAIL("expected a ParseError");
  } catch (const ParseError& e) {
    BOOST_TEST(e.column() == 1002U);
    BOOST_TEST(e.source_line() == "..." + middle.substr(921, 200) + "...");
    BOOST_TEST(e.source_line()[e.caret_column() - 1] == '?');
  }
}

BOOST_AUTO_TEST_CASE(a_sum_of_twenty_thousand_names_parses_in_linear_time) {
  std::string text = "v0";
  std::vector<Expr> terms{var("v0")};
  for (int i = 1; i < 20000; ++i) {
    text += (i % 2 ? " - v" : " + v") + std::to_string(i);
    terms.push_back(i % 2 ? -var("v" + std::to_string(i)) : var("v" + std::to_string(i)));
  }
  std::string product = "v0";
  for (int i = 1; i < 20000; ++i) product += (i % 2 ? " / v" : " * v") + std::to_string(i);
  // Its speed (over 20 s when each term re-flattened the whole sum) is bench_scaling's.
  const Expr e = parse(text);
  const Expr p = parse(product);
  BOOST_TEST((e == make_op(Op::Add, terms)));
  BOOST_TEST(e.size() == 20000U);
  BOOST_TEST(p.size() == 20000U);
  BOOST_TEST((p.arg(1) == pow(var("v1"), -1)));
}
