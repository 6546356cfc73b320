// SPDX-License-Identifier: MIT
// slope diff through the built executable: every format, --steps, --order.
#include <fmt/format.h>

#include <algorithm>
#include <boost/test/unit_test.hpp>
#include <cmath>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <regex>

#include "cli/run_slope.hpp"
#include "slope/slope.hpp"
#include "support/chain_text.hpp"
#include "support/dot_graph.hpp"

using namespace cli_testing;

BOOST_AUTO_TEST_CASE(diff_pretty_with_the_convention_note) {
  const Run r = run_slope({"diff", "leaky_relu(x)"});
  BOOST_TEST(r.status == 0);
  BOOST_TEST(r.out ==
             "d/dx leaky_relu(x, 0.01) = ⎧ 1     if x > 0\n"
             "                           ⎩ 0.01  otherwise\n\n"
             "at x = 0: not differentiable (slope 0.01 from the left, 1 from the right);\n"
             "          using 0.01, the min_norm convention\n"
             "(--convention left|right|average|undefined to change)\n");
  const Run right = run_slope({"diff", "leaky_relu(x)", "--convention", "right"});
  BOOST_TEST(right.out.find("⎧ 1     if x >= 0") != std::string::npos);
  BOOST_TEST(right.out.find("using 1, the right convention\n") != std::string::npos);
  const Run ascii = run_slope({"diff", "relu(x)", "--format", "ascii"});
  BOOST_TEST(ascii.out.rfind("d/dx relu(x) = { 1  if x > 0\n               { 0  otherwise\n", 0) ==
             0U);
}

BOOST_AUTO_TEST_CASE(the_note_gives_grads_value_and_the_formulas_where_they_differ) {
  const Run r = run_slope({"diff", "sqrt((x - 0.5)^2)"});
  BOOST_TEST(r.status == 0, r.err);
  BOOST_TEST(r.out ==
             "d/dx sqrt((x - 0.5)^2) = 1/sqrt((x - 0.5)^2)*(x - 0.5)\n\n"
             "at x = 0.5: not differentiable (slope -1 from the left, 1 from the right);\n"
             "            using 0, which every convention gives\n"
             "            (the formula as printed gives undefined there)\n"
             "(--convention left|right|average|undefined to change)\n");
  const Run g = run_slope({"grad", "sqrt((x - 0.5)^2)", "--at", "x=0.5"});
  BOOST_TEST(g.out.rfind("f = 0\ndf/dx = 0  (-1 from the left, 1 from the right)\n", 0) == 0U,
             g.out);
}

BOOST_AUTO_TEST_CASE(diff_formats) {
  BOOST_TEST(run_slope({"diff", "relu(w*x + b)", "--format", "text"}).out ==
             "piecewise(w*x + b > 0: w, otherwise: 0)  # min_norm convention at kinks\n");
  BOOST_TEST(run_slope({"diff", "relu(w*x + b)", "--wrt", "w", "--format", "text"}).out ==
             "piecewise(w*x + b > 0: x, otherwise: 0)  # min_norm convention at kinks\n");
  BOOST_TEST(run_slope({"diff", "abs(x)", "--format", "text", "--convention", "left"}).out ==
             "piecewise(x > 0: 1, otherwise: -1)  # left convention at kinks\n");
  BOOST_TEST(run_slope({"diff", "leaky_relu(x, 0.01)", "--format", "latex"}).out ==
             "% d/dx leaky_relu(x, 0.01); derivatives at kinks follow the min_norm convention\n"
             "\\[\n\\frac{d}{dx} \\operatorname{leaky\\_relu}\\left(x, 0.01\\right) =\n"
             "\\begin{cases} 1 & \\text{if } x > 0 \\\\ 0.01 & \\text{otherwise} \\end{cases}\n"
             "\\]\n");
  BOOST_TEST(run_slope({"diff", "relu(x)", "--format", "json"}).out ==
             "{\"wrt\":\"x\",\"derivative\":\"piecewise(x > 0: 1, otherwise: "
             "0)\",\"latex\":\"\\\\begin{cases} 1 & "
             "\\\\text{if } x > 0 \\\\\\\\ 0 & \\\\text{otherwise} "
             "\\\\end{cases}\",\"convention\":\"min_norm\"}\n");
  BOOST_TEST(run_slope({"diff", "relu(x)", "--format", "dot"}).out.find("\ndigraph \"d/dx\" {") ==
             std::string("// d/dx relu(x); min_norm convention at kinks").size());
  BOOST_TEST(run_slope({"diff", "x^3", "--order", "2", "--format", "text"}).out ==
             "6*x  # min_norm convention at kinks\n");
  // every format names the convention, the pretty one in its last line when no kink note does
  BOOST_TEST(run_slope({"diff", "x^3", "--order", "2"}).out ==
             "d^2/dx^2 x^3 = 6*x\n(derivatives at kinks follow the min_norm convention)\n");
  BOOST_TEST(run_slope({"diff", "x^2", "--convention", "left"}).out ==
             "d/dx x^2 = 2*x\n(derivatives at kinks follow the left convention)\n");
  // Every order of f with a kink follows the convention (x >= 0 here, from right), and the
  // kink notes are those of the order below: x*relu(x) is x^2 for x > 0 and 0 below, so its
  // first derivative has slopes 0 and 2 at 0.
  BOOST_TEST(run_slope({"diff", "relu(x)*x", "--order", "2", "--convention", "right"}).out ==
             "d^2/dx^2 (relu(x)*x) = ⎧ 2  if x >= 0\n"
             "                       ⎩ 0  otherwise\n"
             "\n"
             "the kinks of the derivative of order 1, which this one differentiates:\n"
             "at x = 0: not differentiable (slope 0 from the left, 2 from the right);\n"
             "          using 2, the right convention\n");
  // The notes of the order below name it: f' of relu(x^2 - 1) jumps at -1 and 1, f does not.
  const std::string second = run_slope({"diff", "relu(x^2 - 1)", "--order", "2"}).out;
  BOOST_TEST(second.find("at x = -1: f' jumps from -2 to 0, so it has no derivative there") !=
                 std::string::npos,
             second);
  BOOST_TEST(second.find(": f jumps") == std::string::npos, second);
  // x^3*relu(x): x^4 for x > 0; its third derivative 24x meets 0 at 0 with slopes 0 and 24.
  const std::string fourth = run_slope({"diff", "x^3*relu(x)", "--order", "4"}).out;
  BOOST_TEST(
      fourth.find("at x = 0: not differentiable (slope 0 from the left, 24 from the right)") !=
      std::string::npos);
  // A kink in two variables has no one-sided slopes to state: the note names the convention.
  BOOST_TEST(run_slope({"diff", "relu(x*y)", "--order", "2", "--convention", "left"}).out ==
             "d^2/dx^2 relu(x*y) = 0\n"
             "\n"
             "the kinks of the derivative of order 1, which this one differentiates:\n"
             "where x*y = 0, that is x = 0 (for y ≠ 0):\n"
             "      piecewise(x*y > 0: y, otherwise: 0) is not differentiable; the left convention "
             "sets the slope there\n");
}

BOOST_AUTO_TEST_CASE(diff_steps) {
  const Run r = run_slope({"diff", "relu(w*x + b)", "--wrt", "x", "--steps"});
  BOOST_TEST(r.status == 0);
  BOOST_TEST(r.out.rfind("We want d/dx relu(w*x + b). Derivatives at kinks follow the min_norm "
                         "convention.\n\n1. Outer function. relu(u) = max(0, u) "
                         "with u = w*x + b.\n",
                         0) == 0U);
  BOOST_TEST(
      r.out.find("4. Put together and simplify.\n   d/dx relu(w*x + b) = ⎧ w  if w*x + b > 0\n") !=
      std::string::npos);
  BOOST_TEST(run_slope({"diff", "relu(x)", "--steps", "--format", "markdown"})
                 .out.find("1. **Rule for relu.**") != std::string::npos);
  BOOST_TEST(run_slope({"diff", "relu(x)", "--steps", "--format", "latex"})
                 .out.find("\\begin{enumerate}") != std::string::npos);
  const Run json = run_slope({"diff", "relu(w*x + b*y)", "--steps", "--format", "json"});
  BOOST_TEST(json.status == 0);
  const auto j = nlohmann::json::parse(json.out);
  BOOST_TEST(j.at("convention").get<std::string>() == "min_norm");
  BOOST_TEST(j.at("steps")[0].at("rule").get<std::string>() == "Outer function");
}

BOOST_AUTO_TEST_CASE(unsupported_format_combinations_are_refused) {
  for (const std::vector<std::string>& args :
       {std::vector<std::string>{"diff", "relu(x)", "--format", "markdown"},
        {"diff", "relu(x)", "--steps", "--format", "dot"},
        {"diff", "relu(x)", "--steps", "--format", "text"},
        {"diff", "relu(x)", "--standalone"},
        {"diff", "relu(x)", "--standalone", "--format", "json"}}) {
    const Run r = run_slope(args);
    BOOST_TEST(r.status == 2);
    BOOST_TEST(r.out.empty());
    BOOST_TEST(r.err.find("--") != std::string::npos, r.err);  // names the option
  }
}

BOOST_AUTO_TEST_CASE(standalone_latex_compiles) {
  const auto dir =
      std::filesystem::temp_directory_path() / ("slope_cli_tex_" + std::to_string(::getpid()));
  std::filesystem::create_directories(dir);
  for (const bool steps : {false, true}) {
    std::vector<std::string> args{
        "diff", "leaky_relu(w_1*x + b__) + abs(x)", "--format", "latex", "--standalone", "--wrt",
        "b__"};
    if (steps) args.push_back("--steps");
    const Run r = run_slope(args);
    BOOST_TEST(r.status == 0);
    BOOST_TEST(r.out.rfind("\\documentclass{article}", 0) == 0U);
    BOOST_TEST(pdflatex_compiles(dir, r.out), slurp(dir / "doc.log"));
  }
  // cases raised to a power, \left( \right) around them
  const Run power =
      run_slope({"diff", "relu(x*y)^3", "--order", "2", "--format", "latex", "--standalone"});
  BOOST_TEST(power.status == 0, power.err);
  BOOST_TEST(pdflatex_compiles(dir, power.out), slurp(dir / "doc.log"));
  std::filesystem::remove_all(dir);
}

BOOST_AUTO_TEST_CASE(a_deep_chains_latex_names_shared_parts_and_compiles) {
  // Spelled out, this derivative is over the 10^7-character limit; named (u_{1} = ...) it is
  // linear, and pdflatex must accept it as a standalone document.
  std::string f = "x";
  for (int i = 1; i <= 200; ++i)
    f = "elu(0.9*" + f + (i % 2 ? " - " : " + ") + std::to_string(i / 100.0) + ", 0.5)";
  const auto dir = std::filesystem::temp_directory_path() / "slope_deep_latex_test";
  std::filesystem::create_directories(dir);
  const Run r = run_slope({"diff", f, "--format", "latex", "--standalone"});
  BOOST_TEST(r.status == 0, r.err);
  BOOST_TEST(r.out.size() < 200'000U, r.out.size());
  BOOST_TEST(contains(r.out, "\\text{ where} \\\\\nu_{1} &= "), r.out.substr(0, 400));
  BOOST_TEST(pdflatex_compiles(dir, r.out), slurp(dir / "doc.log"));
  std::filesystem::remove_all(dir);
  // The 2-D form names them too: a "where" block after the equation, one line per part.
  const Run pretty = run_slope({"diff", f});
  BOOST_TEST(pretty.status == 0, pretty.err);
  BOOST_TEST(
      contains(pretty.out, "\nwhere\n  u1 = 0.9*x\n  u2 = u1 - 0.01\n  u3 = 0.9*elu(u2, 0.5)\n"));
}

BOOST_AUTO_TEST_CASE(a_max_chain_with_shared_parts_folds_at_any_depth) {
  // u_k = max(u_{k-1}, 0.5*u_{k-1}): 2^24 copies of x spelled out (the CLI refused it as over
  // 10^7 characters), 24 definitions as written. Every max sits on its kink at 0: slope 0.5^24
  // left of it, 1 right of it, and op by op under min_norm each tie takes (1 + 0.5)/2 of the
  // slope below, 0.75^24 at 0.
  const std::string f = slope::testing::shared_chain("max(u, 0.5*u)", 24);
  const Run r = run_slope({"diff", f, "--format", "text"});
  BOOST_TEST_REQUIRE(r.status == 0, r.err);
  const std::string d = r.out.substr(0, r.out.find("  #"));
  const slope::Expr printed = slope::parse(d);
  BOOST_TEST(slope::eval(printed, {{"x", -1.0}}) == std::pow(0.5, 24));
  BOOST_TEST(slope::eval(printed, {{"x", 0.0}}) == std::pow(0.75, 24), d);
  BOOST_TEST(slope::eval(printed, {{"x", 2.0}}) == 1.0);
  BOOST_TEST(d.size() < 100U, d);  // one piecewise of three cases
}

BOOST_AUTO_TEST_CASE(unsupported_combinations_and_limits_are_usage_errors) {
  const Run markdown = run_slope({"diff", "relu(x)", "--format", "markdown"});
  BOOST_TEST(markdown.status == 2);
  // every format that prints without --steps, from the one list of formats
  BOOST_TEST(markdown.err ==
             "slope: --format markdown is for --steps; without it use pretty, ascii, text, latex, "
             "dot or json\n");
  const Run dot = run_slope({"diff", "relu(x)", "--steps", "--format", "dot"});
  BOOST_TEST(dot.status == 2);
  BOOST_TEST(dot.err ==
             "slope: --steps prints pretty, ascii, latex, json or markdown, not --format dot\n");
  const Run huge = run_slope({"diff", "x^3", "--order", "2000000000"});
  BOOST_TEST(huge.status == 2);
  BOOST_TEST(huge.err == "slope: --order must be between 1 and 100\n");
  BOOST_TEST(run_slope({"diff", "x^3", "--order", "0"}).status == 2);
  BOOST_TEST(run_slope({"diff", "x^3", "--order", "100", "--format", "text"}).out ==
             "0  # min_norm convention at kinks\n");
}

BOOST_AUTO_TEST_CASE(a_high_order_of_a_product_stops_at_the_size_limit) {
  // Each order multiplies the terms of a five-factor product: --order 12 ran for hours. With
  // like terms merged (whatever their factor order) the growth is slower, and the derivative of
  // order 11 is the first past the limit, so order 12 is never computed.
  const std::string f = "sin(x)*cos(x)*exp(x)*tanh(x)*sigmoid(x)";
  const Run r = run_slope({"diff", f, "--order", "12"});
  BOOST_TEST(r.status == 2);
  BOOST_TEST(r.out.empty());
  BOOST_TEST(r.err ==
             "slope: --order 12: the derivative of order 11 already has 12223 nodes and "
             "arguments, over the limit of 10000 for differentiating it again; ask for --order 11 "
             "or less\n");
  // Up to the limit it works, and what it prints is the derivative: x^3 to order 3 is 6.
  const Run six = run_slope({"diff", f, "--order", "6", "--format", "text"});
  BOOST_TEST(six.status == 0);
  BOOST_TEST(run_slope({"diff", "x^3", "--order", "3", "--format", "text"}).out ==
             "6  # min_norm convention at kinks\n");
}

BOOST_AUTO_TEST_CASE(latex_names_the_variable_escaped) {
  BOOST_TEST(run_slope({"diff", "my_var^2", "--wrt", "my_var", "--format", "latex"}).out ==
             "% d/dmy_var my_var^2; derivatives at kinks follow the min_norm convention\n"
             "\\[\n\\frac{d}{d\\mathit{my}_{\\mathit{var}}} \\mathit{my}_{\\mathit{var}}^{2} =\n"
             "2 \\mathit{my}_{\\mathit{var}}\n\\]\n");
}

BOOST_AUTO_TEST_CASE(an_expression_whose_text_is_two_to_the_forty_prints_with_names) {
  // f composed 40 times spells out to 2^40 characters (the CLI once refused it); with its shared
  // parts named it is short, in every format, and the text parses back to the derivative:
  // the product of 1 + cos(u_k) along u_{k+1} = u_k + sin(u_k)
  std::string e = "f(x)=x+sin(x);";
  for (int i = 0; i < 40; ++i) e += "f(";
  e += "x" + std::string(40, ')');
  for (const char* format : {"pretty", "text", "latex", "json"}) {
    const Run r = run_slope({"diff", e, "--format", format});
    BOOST_TEST(r.status == 0, format << ": " << r.err);
    BOOST_TEST(r.out.size() < 100'000U, format);
  }
  const Run text = run_slope({"diff", e, "--format", "text"});
  const slope::Expr d = slope::parse(text.out.substr(0, text.out.find("  #")));
  double u = 0.3, slope_at = 1;
  for (int i = 0; i < 40; ++i) slope_at *= 1 + std::cos(u), u += std::sin(u);
  BOOST_TEST(std::abs(slope::eval(d, {{"x", 0.3}}) - slope_at) <= 1e-12 * std::abs(slope_at));
}

BOOST_AUTO_TEST_CASE(a_sum_of_2000_relus_gets_its_first_kink_notes) {
  // relu(x - i/1000) for i = 0 .. 1999: at x = i/1000 the slope steps from i to i + 1. The notes
  // list the first kinks exactly and say where the rest are listed.
  std::string f;
  for (int i = 0; i < 2000; ++i)
    f += (i ? " + relu(x - " : "relu(x - ") + fmt::format("{}", i / 1000.0) + ")";
  const Run r = run_slope({"diff", "-"}, f);
  BOOST_TEST_REQUIRE(r.status == 0, r.err);
  const std::regex note(
      R"(x = (\S+): not differentiable \(slope (\S+) from the left, (\S+) from the right\))");
  int i = 0;
  double last = 0;
  for (auto it = std::sregex_iterator(r.out.begin(), r.out.end(), note);
       it != std::sregex_iterator(); ++it, ++i) {
    const std::smatch& m = *it;
    BOOST_TEST(std::stod(m[1]) == i / 1000.0);
    BOOST_TEST(std::stod(m[2]) == double(i));
    BOOST_TEST(std::stod(m[3]) == double(i + 1));
    last = std::stod(m[1]);
  }
  BOOST_TEST(i >= 10);
  BOOST_TEST(
      contains(
          r.out,
          fmt::format("... and more kinks after x = {} on [-10, 10]: slope kinks lists them all\n",
                      last)),
      r.out.substr(r.out.size() - 300));
}

BOOST_AUTO_TEST_CASE(the_dot_of_a_16000_deep_chain_draws_its_derivative) {
  // relu(softplus(x) + 0.1) nested 16,000 deep. The DOT is read back into an expression (every node
  // a statement, every argument an edge, in order) and evaluated: it is f', by the chain rule
  // multiplied out here.
  const auto [v, d] = slope::testing::softplus_chain(0.3, 16000);
  const Run r = run_slope({"diff", "-", "--format", "dot"},
                          slope::testing::nested_chain("relu(softplus(x) + 0.1)", {20, 20, 40}));
  BOOST_TEST_REQUIRE(r.status == 0, r.err);
  const slope::Expr drawn = slope::testing::read_dot(r.out);
  BOOST_TEST(slope::eval(drawn, {{"x", 0.3}}) == d, boost::test_tools::tolerance(1e-9));
}
