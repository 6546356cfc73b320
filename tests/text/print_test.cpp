// SPDX-License-Identifier: MIT
// The one-line text printer: golden strings, minimal parentheses, fmt and iostream.
#include <algorithm>
#include <boost/test/data/monomorphic.hpp>
#include <boost/test/data/test_case.hpp>
#include <boost/test/unit_test.hpp>
#include <limits>
#include <sstream>

#include "slope/slope.hpp"
#include "support/w4_chains.hpp"

using namespace slope;
namespace bdata = boost::unit_test::data;

namespace {
const Expr x = var("x"), y = var("y"), a = var("a"), b = var("b"), c = var("c"), w = var("w");
}

BOOST_AUTO_TEST_CASE(minimal_parentheses) {
  BOOST_TEST(to_text(-pow(x, 2)) == "-x^2");
  BOOST_TEST(to_text(pow(-x, 0.5)) == "(-x)^0.5");
  BOOST_TEST(to_text(pow(-x, 3)) == "-x^3");  // an odd power takes the sign out (build.cpp)
  BOOST_TEST(to_text(a - (b - c)) == "a - (b - c)");
  BOOST_TEST(to_text(a - b - c) == "a - b - c");
  BOOST_TEST(to_text(a / (b * c)) == "a/(b*c)");
  BOOST_TEST(to_text(a / b / c) == "a/b/c");
  BOOST_TEST(to_text(a / b * c) == "a/b*c");
  BOOST_TEST(to_text(pow(a, pow(b, c))) == "a^b^c");
  BOOST_TEST(to_text(pow(pow(a, b), c)) == "(a^b)^c");
  BOOST_TEST(to_text(pow(2, pow(3, 2))) == "512");
  BOOST_TEST(to_text(2 * (x + 1)) == "2*(x + 1)");
  BOOST_TEST(to_text(-(x + 1)) == "-(x + 1)");
  BOOST_TEST(to_text(-2 * x) == "-2*x");
  BOOST_TEST(to_text(-x * y) == "-x*y");
  BOOST_TEST(to_text(1 / x) == "1/x");
  BOOST_TEST(to_text(pow(x, -2)) == "1/x^2");
  BOOST_TEST(to_text(pow(x, 0.5)) == "x^0.5");
  BOOST_TEST(to_text(pow(x, -y)) == "x^(-y)");
  BOOST_TEST(to_text(pow(Expr(-2), x)) == "(-2)^x");
  // A number's reciprocal alone prints as what reads back: 1/3 stays a fraction, and 10^-1 a
  // power, since 1/10 is the number 0.1 (found by fuzzing).
  BOOST_TEST(to_text(pow(Expr(3), -1)) == "1/3");
  BOOST_TEST(to_text(pow(Expr(10), -1)) == "10^-1");
  BOOST_TEST(to_text(pow(Expr(-10), -1)) == "(-10)^-1");
  BOOST_TEST(to_text(pow(x, pow(Expr(10), -1))) == "x^10^-1");
  BOOST_TEST((parse("x^10^-1") == pow(x, pow(Expr(10), -1))));
  BOOST_TEST(to_text(x / 10) == "x/10");
  BOOST_TEST(to_text(w * x + b) == "w*x + b");
  BOOST_TEST(to_text(x - 1) == "x - 1");
  BOOST_TEST(to_text(-x + y) == "-x + y");
  BOOST_TEST(to_text(1 - x) == "1 - x");
  BOOST_TEST(to_text(-x - 1) == "-x - 1");
  BOOST_TEST(to_text(x - 2 * y) == "x - 2*y");
  BOOST_TEST(to_text(x / 3) == "x/3");
  BOOST_TEST(to_text(2 * x / 3) == "2*x/3");
  BOOST_TEST(to_text(Expr(6) / 3) == "2");
  BOOST_TEST(to_text(x / 4) == "0.25*x");
}

BOOST_AUTO_TEST_CASE(functions_comparisons_and_logic) {
  BOOST_TEST(to_text(max(0, x)) == "max(0, x)");
  BOOST_TEST(to_text(max(x, 0)) == "max(0, x)");
  BOOST_TEST(to_text(relu(w * x + b)) == "relu(w*x + b)");
  BOOST_TEST(to_text(leaky_relu(x)) == "leaky_relu(x, 0.01)");
  BOOST_TEST(to_text(hardtanh(x)) == "hardtanh(x, -1, 1)");
  BOOST_TEST(to_text(x + y > 0) == "x + y > 0");
  BOOST_TEST(to_text(0 < x) == "x > 0");
  BOOST_TEST(to_text(logical_and(x > 0, y <= 1)) == "x > 0 and y <= 1");
  BOOST_TEST(to_text(logical_or(x > 0, logical_and(y > 0, x < 2))) == "x > 0 or y > 0 and x < 2");
  BOOST_TEST(to_text(logical_and(logical_or(x > 0, y > 0), x < 2)) == "(x > 0 or y > 0) and x < 2");
  BOOST_TEST(to_text(logical_not(x > 0)) == "not x > 0");
  BOOST_TEST(to_text((x > 0) * x) == "(x > 0)*x");
  BOOST_TEST(to_text(eq(x, 0)) == "x == 0");
  BOOST_TEST(to_text(ne(x, y)) == "x != y");
}

BOOST_AUTO_TEST_CASE(piecewise_prints_as_a_flat_list_of_branches) {
  BOOST_TEST(to_text(piecewise({{x > 0, x}}, 0)) == "piecewise(x > 0: x, otherwise: 0)");
  BOOST_TEST(to_text(piecewise({{x < 0, 0.01 * x}, {x < 1, x}}, 1)) ==
             "piecewise(x < 0: 0.01*x, x < 1: x, otherwise: 1)");
  BOOST_TEST(to_text(where(x > 0, 1, 0) + 1) == "piecewise(x > 0: 1, otherwise: 0) + 1");
}

BOOST_AUTO_TEST_CASE(numbers_print_shortest_and_exact) {
  BOOST_TEST(format_number(0.01) == "0.01");
  BOOST_TEST(format_number(2.0) == "2");
  BOOST_TEST(format_number(-0.0) == "0");  // a person reads -0 as another number
  BOOST_TEST(format_number(-2.0) == "-2");
  BOOST_TEST(format_number(1e-8) == "1e-08");
  BOOST_TEST(format_number(0.1 + 0.2) == "0.30000000000000004");
  BOOST_TEST(format_number(std::numeric_limits<double>::infinity()) == "inf");
  BOOST_TEST(format_number(-std::numeric_limits<double>::infinity()) == "-inf");
  BOOST_TEST(format_number(std::nan("")) == "undefined");
  BOOST_TEST(to_text(Expr(-3)) == "-3");
  BOOST_TEST(to_text(x + std::numeric_limits<double>::infinity()) == "x + inf");
}

BOOST_AUTO_TEST_CASE(fmt_and_iostream) {
  BOOST_TEST(fmt::format("{}", relu(x)) == "relu(x)");
  BOOST_TEST(fmt::format("[{:>9}]", relu(x)) == "[  relu(x)]");
  std::ostringstream os;
  os << max(0, x) * 2 + 1;
  BOOST_TEST(os.str() == "2*max(0, x) + 1");
}

// ---- 2-D pretty text, LaTeX and DOT for the tutorial derivatives ------------------------------

BOOST_AUTO_TEST_CASE(pretty_tutorial_derivatives) {
  BOOST_TEST(to_pretty(diff(relu(x), x)) == "⎧ 1  if x > 0\n⎩ 0  otherwise");
  BOOST_TEST(to_pretty(diff(relu(x), x), Charset::ascii) == "{ 1  if x > 0\n{ 0  otherwise");
  BOOST_TEST(to_pretty(diff(leaky_relu(x, 0.01), x)) == "⎧ 1     if x > 0\n⎩ 0.01  otherwise");
  BOOST_TEST(to_pretty(diff(relu(w * x + b), x)) == "⎧ w  if w*x + b > 0\n⎩ 0  otherwise");
  BOOST_TEST(to_pretty(diff(abs(x), x)) == "⎧ -1  if x < 0\n⎨ 0   if x == 0\n⎩ 1   otherwise");
  BOOST_TEST(to_pretty(diff(max(x, y), x)) ==
             "⎧ 0.5  if x == y\n⎨ 1    if x > y\n⎩ 0    otherwise");
  BOOST_TEST(to_pretty(diff(hardtanh(x), x)) == "⎧ 0  if x <= -1\n⎨ 1  if x < 1\n⎩ 0  otherwise");
  BOOST_TEST(
      to_pretty(diff(hardtanh(x), x, Convention::average), Charset::ascii) ==
      "{ 0    if x < -1\n{ 0.5  if x == -1\n{ 1    if x < 1\n{ 0.5  if x == 1\n{ 0    otherwise");
  BOOST_TEST(to_pretty(x + 1) == "x + 1");  // no piecewise: the one-line form
  BOOST_TEST(to_pretty(2 * where(x > 0, x, 0) + 1) == "2*⎛⎧ x  if x > 0 ⎞ + 1\n  ⎝⎩ 0  otherwise⎠");
}

BOOST_AUTO_TEST_CASE(a_brace_among_operators_is_in_parentheses) {
  // The text printer's operators, order and parentheses, laid out in two dimensions; a brace
  // beside '+', '*' or '^' is fenced, or what follows its rows reads as part of a condition.
  const Expr s = where(x * y > 0, y, 0);
  BOOST_TEST(to_pretty(6 * pow(s, 2) * relu(x * y)) ==
             "6*⎛⎧ y  if x*y > 0⎞^2*relu(x*y)\n"
             "  ⎝⎩ 0  otherwise ⎠");  // was 6*^(⎧ y  if x*y > 0, 2)*relu(x*y)
  BOOST_TEST(to_pretty(-1 * pow(abs(x * y) + 1, -2) * s) ==
             "-1/(abs(x*y) + 1)^2*⎛⎧ y  if x*y > 0⎞\n"
             "                    ⎝⎩ 0  otherwise ⎠");  // was -1*1/(...)^2*
  BOOST_TEST(to_pretty(where(x > 0, 1, 0) + where(x > 1, 1, 0)) ==
             "⎛⎧ 1  if x > 0 ⎞ + ⎛⎧ 1  if x > 1 ⎞\n"
             "⎝⎩ 0  otherwise⎠   ⎝⎩ 0  otherwise⎠");
  // a brace as a row's value: its rows and the outer condition stay apart
  BOOST_TEST(to_pretty(where(eq(x * y, 0), 0, y * where(x * y > 0, 1, -1))) ==
             "⎧ 0                     if x*y == 0\n"
             "⎨ y*⎛⎧ 1   if x*y > 0⎞  otherwise\n"
             "⎩   ⎝⎩ -1  otherwise ⎠");
  // a brace as an argument is held by the call's parentheses
  BOOST_TEST(to_pretty(exp(s)) == "exp(⎧ y  if x*y > 0)\n    ⎩ 0  otherwise");
  // LaTeX: \left( \right) around cases among operators, none alone or as an argument
  BOOST_TEST(to_latex(6 * pow(s, 2)) ==
             "6 \\left(\\begin{cases} y & \\text{if } x y > 0 \\\\ 0 & \\text{otherwise} "
             "\\end{cases}\\right)^{2}");
  BOOST_TEST(to_latex(exp(s)).find("\\left(\\begin{cases}") == std::string::npos);
}

BOOST_AUTO_TEST_CASE(latex_tutorial_derivatives) {
  BOOST_TEST(to_latex(relu(x)) == "\\operatorname{relu}\\left(x\\right)");
  BOOST_TEST(to_latex(leaky_relu(x)) == "\\operatorname{leaky\\_relu}\\left(x, 0.01\\right)");
  BOOST_TEST(to_latex(diff(relu(x), x)) ==
             "\\begin{cases} 1 & \\text{if } x > 0 \\\\ 0 & \\text{otherwise} \\end{cases}");
  BOOST_TEST(to_latex(diff(leaky_relu(x, 0.01), x)) ==
             "\\begin{cases} 1 & \\text{if } x > 0 \\\\ 0.01 & \\text{otherwise} \\end{cases}");
  BOOST_TEST(to_latex(diff(relu(w * x + b), x)) ==
             "\\begin{cases} w & \\text{if } w x + b > 0 \\\\ 0 & \\text{otherwise} \\end{cases}");
  BOOST_TEST(to_latex(diff(abs(x), x)) ==
             "\\begin{cases} -1 & \\text{if } x < 0 \\\\ 0 & \\text{if } x = 0 \\\\ 1 & "
             "\\text{otherwise} \\end{cases}");
  BOOST_TEST(to_latex(diff(max(x, y), x)) ==
             "\\begin{cases} 0.5 & \\text{if } x = y \\\\ 1 & \\text{if } x > y \\\\ 0 & "
             "\\text{otherwise} \\end{cases}");
  BOOST_TEST(to_latex(diff(hardtanh(x), x)) ==
             "\\begin{cases} 0 & \\text{if } x \\leq -1 \\\\ 1 & \\text{if } x < 1 \\\\ 0 & "
             "\\text{otherwise} \\end{cases}");
  BOOST_TEST(to_latex(a / (b + 1)) == "\\frac{a}{b + 1}");
  BOOST_TEST(to_latex(pow(x, 2) * 3) == "3 x^{2}");
  BOOST_TEST(to_latex(sqrt(x) + exp(-x)) == "\\sqrt{x} + e^{-x}");
  BOOST_TEST(to_latex(var("alpha") * var("x_1")) == "\\alpha x_{1}");
  BOOST_TEST(to_latex(Expr(1e-8)) == "1 \\cdot 10^{-8}");
  BOOST_TEST(to_latex(abs(x)) == "\\left|x\\right|");
}

BOOST_AUTO_TEST_CASE(dot_draws_shared_nodes_once) {
  const Expr r = relu(x);
  const std::string dot = to_dot(r * r + sin(r));
  auto count = [&](const std::string& s) {
    std::size_t n = 0;
    for (auto p = dot.find(s); p != std::string::npos; p = dot.find(s, p + 1)) ++n;
    return n;
  };
  BOOST_TEST(dot.rfind("digraph \"slope\" {", 0) == 0U);
  BOOST_TEST(count("[label=\"relu\"]") == 1U);  // one relu box...
  BOOST_TEST(count("-> n1") == 2U);             // ...with two arrows into it (^ and sin)
  BOOST_TEST(count("[label=\"x\"") == 1U);
  BOOST_TEST(dot.find("[label=\"base\"]") != std::string::npos);
  BOOST_TEST(display_width("⎧ 1") == 3U);
}

BOOST_AUTO_TEST_CASE(dot_escapes_every_name) {
  // A graph name can come from anywhere (a --wrt); quotes, backslashes and line breaks in it
  // must not end the quoted string or turn into DOT's \N, \G, \l escapes.
  const std::string dot = to_dot(var("_x__") * var("lambda_"), "d/d\"x\\N\nend");
  BOOST_TEST(dot.rfind("digraph \"d/d\\\"x\\\\N\\nend\" {\n", 0) == 0U);
  BOOST_TEST(dot.find("[label=\"_x__\", style=filled") != std::string::npos);
  BOOST_TEST(dot.find("\n\n") == std::string::npos);  // one statement per line
}

// Printers memoise per node. Keyed by a raw address, a memo entry outlived its node: a temporary
// (an activation's definition in the code printer) was freed, the next temporary reused the
// address, and the printer wrote the first one's code again. Keys are now node ids, never reused.
BOOST_AUTO_TEST_CASE(caches_survive_temporaries_that_die_between_lookups) {
  const Expr x = var("x"), y = var("y");
  // Each definition below is a temporary built and freed inside one call.
  // The same output however many temporaries were made and freed in between.
  const Expr f = elu(x * y) + leaky_relu(y - x, 0.2) + hardswish(x) + heaviside(y);
  const std::string code = to_code(diff(f, "x"), Language::numpy);
  const std::string pretty = to_pretty(diff(f, "y"));
  for (int round = 0; round < 200; ++round) {
    const Expr temporary = relu6(x + round) * leaky_relu(y, round);
    BOOST_TEST(to_code(diff(temporary, "x"), Language::cpp).find("0.0 :") != std::string::npos);
    BOOST_TEST(to_code(diff(f, "x"), Language::numpy) == code);
    BOOST_TEST(to_pretty(diff(f, "y")) == pretty);
  }
}

BOOST_AUTO_TEST_CASE(text_with_a_length_limit_stops_at_it) {
  Expr e = x;
  for (int i = 0; i < 40; ++i) e = e + sin(e);  // 81 nodes whose text doubles 40 times
  BOOST_TEST(node_count(e) == 81U);
  try {
    (void)to_text_within(e, 1000);
    BOOST_FAIL("expected TextTooLong");
  } catch (const TextTooLong& error) {
    BOOST_TEST(error.limit() == 1000U);
    BOOST_TEST(std::string(error.what()) ==
               "the expression's text is longer than 1000 characters (it repeats shared "
               "subexpressions)");
  }
  BOOST_TEST(to_text_within(x + sin(x), 10) == "x + sin(x)");  // exactly at the limit is fine
  BOOST_CHECK_THROW((void)to_text_within(x + sin(x), 9), TextTooLong);
}

BOOST_DATA_TEST_CASE(a_large_shared_derivative_names_its_shared_parts, bdata::make(w4::chains),
                     kind) {
  // Spelled out, a 300-deep chain's derivative repeats its inner chain in every condition
  // (quadratic, or exponential where a part is used twice). Named, the text grows with the
  // graph, and it reads back as definitions to the very same graph.
  const Expr d = diff(w4::chain(kind, 300), "x");
  const std::string text = to_text(d);
  BOOST_TEST(text.size() <= 300U * 300U, kind << ": " << text.size() << " characters");
  BOOST_TEST((parse(text) == d), kind);
  if (node_count(d) > 50) BOOST_TEST(text.rfind("u1() = ", 0) == 0U, text.substr(0, 80));
  // A small expression prints as before, with nothing named.
  BOOST_TEST(to_text(diff(w4::chain(kind, 2), "x")).find("()") == std::string::npos);
}

BOOST_AUTO_TEST_CASE(a_mid_sized_formula_that_repeats_much_is_named_too) {
  // The elu chain 10 deep: its derivative's graph has a few hundred nodes, but spelled out it
  // repeats the inner chain until the tree is dozens of times larger (56 kB of text). Past 2,000
  // tree nodes and 8 times the graph, its shared parts are named, and it reads back the same.
  const Expr d = diff(w4::chain("elu", 10), "x");
  const std::string text = to_text(d);
  BOOST_TEST(text.rfind("u1() = ", 0) == 0U, text.substr(0, 80));
  BOOST_TEST(text.size() < 8'000U, text.size());
  BOOST_TEST((parse(text) == d));
  // One that repeats little stays spelled out, past 2,000 tree nodes too: 400 distinct terms
  Expr sum = 0;
  for (int i = 1; i <= 400; ++i) sum = sum + i * sin(i * x) * cos(x + i);
  BOOST_TEST(node_count(sum) > 2000U);
  BOOST_TEST(to_text(sum).find("()") == std::string::npos);
}

BOOST_AUTO_TEST_CASE(a_deep_formula_is_cut_into_named_parts_that_read_back) {
  // The parser reads 500 levels of nesting; a chain 1,000 deep, shared nowhere, printed whole
  // nested 1,000 calls. Every 100 levels a part is named, so each definition nests at most 100.
  Expr chain = x;
  for (int i = 1; i <= 1000; ++i) chain = sin(chain + 0.5 * i);
  const std::string text = to_text(chain);
  BOOST_TEST(text.rfind("u1() = ", 0) == 0U, text.substr(0, 80));
  BOOST_TEST((parse(text) == chain));
  std::size_t deepest = 0, open = 0;
  for (const char c : text) {
    if (c == '(') deepest = std::max(deepest, ++open);
    if (c == ')') --open;
    if (c == ';') BOOST_TEST(open == 0U);
  }
  BOOST_TEST(deepest <= 200U);
  BOOST_TEST(deepest >= 45U);  // a layer is two levels, the sum and the sine: 50 calls a part
  BOOST_TEST(eval(parse(text), {{"x", 0.25}}) == eval(chain, {{"x", 0.25}}));
  // 99 levels print as they are
  Expr shallow = x;
  for (int i = 1; i <= 99; ++i) shallow = sin(shallow);
  BOOST_TEST(to_text(shallow).find("()") == std::string::npos);
  BOOST_TEST((parse(to_text(shallow)) == shallow));
}

BOOST_DATA_TEST_CASE(pretty_and_latex_name_the_same_shared_parts, bdata::make(w4::chains), kind) {
  // The 2-D and LaTeX forms of a large derivative name its shared parts too ("where u1 = ..."),
  // so they grow with the graph. Each one-line definition in the 2-D form is the text form's
  // (which parses back to the graph, above) without the call parentheses.
  const Expr d = diff(w4::chain(kind, 300), "x");
  if (node_count(d) <= 50) return;  // hardtanh saturates: its derivative is 0
  const std::string text = to_text(d), pretty = to_pretty(d), latex = to_latex(d);
  BOOST_TEST(pretty.size() <= 2 * text.size() + 2000, kind << ": " << pretty.size());
  BOOST_TEST(latex.size() <= 3 * text.size() + 2000, kind << ": " << latex.size());
  BOOST_TEST(latex.rfind("\\begin{aligned}", 0) == 0U, latex.substr(0, 80));
  std::vector<std::string> text_definitions;  // "u1 = ..." from "u1() = ...; "
  for (std::size_t at = 0, end; (end = text.find("; ", at)) != std::string::npos; at = end + 2) {
    std::string definition = text.substr(at, end - at);
    for (std::size_t p; (p = definition.find("()")) != std::string::npos;) definition.erase(p, 2);
    text_definitions.push_back(definition);
  }
  std::istringstream lines(pretty.substr(pretty.find("\nwhere\n") + 7));
  const char* const braces[] = {"⎧", "⎨", "⎪", "⎩"};
  std::size_t compared = 0, next = 0;
  for (std::string line; std::getline(lines, line);) {
    if (line.rfind("  u", 0) != 0 || line.find(" = ") == std::string::npos) continue;  // 2-D
    const std::string name = line.substr(2, line.find(" = ") - 2);
    while (next < text_definitions.size() && text_definitions[next].rfind(name + " = ", 0) != 0)
      ++next;
    BOOST_REQUIRE(next < text_definitions.size());
    const bool one_line = std::none_of(std::begin(braces), std::end(braces), [&](const char* c) {
      return line.find(c) != std::string::npos;
    });  // the name sits on a middle row of a 2-D definition's brace otherwise
    if (one_line) {
      BOOST_TEST(line.substr(2) == text_definitions[next]);
      ++compared;
    }
  }
  BOOST_TEST(compared >= 10U, kind << ": " << compared);
}

BOOST_AUTO_TEST_CASE(text_or_size_labels_an_expression_within_a_length) {
  const Expr x = var("x");
  BOOST_TEST(text_or_size(relu(x - 1), 100) == "relu(x - 1)");
  // 40 doublings spell out to 2^40 characters: a label gives the node count instead
  Expr doubled = x;
  for (int i = 0; i < 40; ++i) doubled = sin(doubled) + cos(doubled);
  BOOST_TEST(text_or_size(doubled, 10'000) ==
             "(an expression of " + std::to_string(node_count(doubled)) + " nodes)");
}
