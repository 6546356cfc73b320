// SPDX-License-Identifier: MIT
// explain: kinks, kink notes naming the convention, and step-by-step derivations.
#include <boost/test/unit_test.hpp>

#include "slope/slope.hpp"

using namespace slope;

namespace {
const Expr x = var("x"), w = var("w"), b = var("b"), y = var("y");
}

BOOST_AUTO_TEST_CASE(kinks_are_found_where_they_are) {
  const auto k = kinks(relu(w * x + b) + abs(x));
  BOOST_REQUIRE(k.size() == 2U);
  BOOST_TEST((k[0].op == relu(w * x + b)));
  BOOST_TEST((k[0].lhs == w * x + b));
  BOOST_TEST((k[0].rhs == Expr(0)));
  BOOST_TEST(kink_location(k[0], "x") == "w*x + b = 0, that is x = -b/w (for w ≠ 0)");
  BOOST_TEST(kink_location(k[1], "x") == "x = 0");
  BOOST_TEST(kinks(hardtanh(x)).size() == 2U);
  BOOST_TEST(kinks(elu(x, 1)).empty());                   // alpha = 1: smooth
  BOOST_TEST(kinks(relu(2 * relu(x) + 1)).size() == 1U);  // the outer kink is unreachable
  BOOST_TEST(kinks(sign(x))[0].jump);
  BOOST_TEST(kink_location(kinks(relu(2 * x - 1))[0], "x") == "2*x - 1 = 0, that is x = 0.5");
}

BOOST_AUTO_TEST_CASE(the_derivative_block_a_learner_sees) {
  BOOST_TEST(describe_derivative(leaky_relu(x, 0.01), "x", Convention::min_norm) ==
             "d/dx leaky_relu(x, 0.01) = ⎧ 1     if x > 0\n"
             "                           ⎩ 0.01  otherwise\n"
             "\n"
             "at x = 0: not differentiable (slope 0.01 from the left, 1 from the right);\n"
             "          using 0.01, the min_norm convention\n");
  BOOST_TEST(describe_derivative(leaky_relu(x, 0.01), "x", Convention::right) ==
             "d/dx leaky_relu(x, 0.01) = ⎧ 1     if x >= 0\n"
             "                           ⎩ 0.01  otherwise\n"
             "\n"
             "at x = 0: not differentiable (slope 0.01 from the left, 1 from the right);\n"
             "          using 1, the right convention\n");
  BOOST_TEST(describe_derivative(relu(x), "x", Convention::min_norm, Charset::ascii) ==
             "d/dx relu(x) = { 1  if x > 0\n"
             "               { 0  otherwise\n"
             "\n"
             "at x = 0: not differentiable (slope 0 from the left, 1 from the right);\n"
             "          using 0, the min_norm convention\n");
  BOOST_TEST(describe_derivative(sin(x), "x", Convention::min_norm) == "d/dx sin(x) = cos(x)\n");
}

BOOST_AUTO_TEST_CASE(notes_for_every_convention_and_for_what_no_convention_fixes) {
  const auto undefined = kink_notes(relu(x), "x", Convention::undefined);
  BOOST_REQUIRE(undefined.size() == 1U);
  BOOST_TEST(undefined[0].find("using undefined, the undefined convention") != std::string::npos);
  const auto average = kink_notes(abs(x), "x", Convention::average);
  BOOST_TEST(average[0].find("slope -1 from the left, 1 from the right") != std::string::npos);
  // relu(x) - relu(-x) = x: slope 1, but per-op conventions give 0 at 0.
  const auto local = kink_notes(relu(x) - relu(-x), "x", Convention::min_norm);
  BOOST_REQUIRE(local.size() == 1U);
  BOOST_TEST(local[0].find(
                 "differentiable (slope 1 from both sides), but the min_norm convention") == 10U);
  BOOST_TEST(local[0].find("gives 0") != std::string::npos);
  const auto symbolic = kink_notes(relu(w * x + b), "x", Convention::min_norm);
  BOOST_TEST(
      symbolic[0] ==
      "where w*x + b = 0, that is x = -b/w (for w ≠ 0):\n"
      "      relu(w*x + b) is not differentiable; its slope there is 0 by the min_norm convention");
}

BOOST_AUTO_TEST_CASE(derivation_of_relu_of_an_affine_argument) {
  const Derivation d = explain(relu(w * x + b), "x");
  BOOST_REQUIRE(d.steps.size() == 4U);
  BOOST_TEST(d.steps[0].rule == "Outer function");
  BOOST_TEST(d.steps[0].reason == "relu(u) = max(0, u) with u = w*x + b.");
  BOOST_TEST(to_text(d.steps[0].result) == "piecewise(u > 0: 1, otherwise: 0)");
  BOOST_TEST(d.steps[0].note ==
             "(relu has a kink at u = 0; by the min_norm convention its slope there is 0.)");
  BOOST_TEST(d.steps[1].rule == "Chain rule");
  BOOST_TEST(d.steps[2].rule == "Inner function");
  BOOST_TEST((d.steps[2].result == w));
  BOOST_TEST(d.steps[2].reason == "(w and b do not depend on x.)");
  BOOST_TEST(d.steps[3].rule == "Put together and simplify");
  BOOST_TEST(to_text(d.derivative) == "piecewise(w*x + b > 0: w, otherwise: 0)");
  BOOST_TEST(d.notes.size() == 1U);

  const std::string text = render_text(d);
  BOOST_TEST(text.rfind("We want d/dx relu(w*x + b).\n\n1. Outer function. relu(u) = max(0, u) "
                        "with u = w*x + b.\n"
                        "   d/du relu(u) = ⎧ 1  if u > 0\n"
                        "                  ⎩ 0  otherwise\n",
                        0) == 0U);
  BOOST_TEST(
      text.find(
          "3. Inner function. (w and b do not depend on x.)\n   du/dx = d/dx (w*x + b) = w\n") !=
      std::string::npos);
  BOOST_TEST(text.find("Kink where w*x + b = 0") != std::string::npos);

  const std::string md = render_markdown(d);
  BOOST_TEST(md.find("1. **Outer function.** relu(u) = max(0, u) with u = w*x + b.") !=
             std::string::npos);
  BOOST_TEST(md.find("$$\\frac{du}{dx} = \\frac{d}{dx}\\left(w x + b\\right) = w$$") !=
             std::string::npos);
  const std::string tex = render_latex(d);
  BOOST_TEST(tex.find("\\begin{enumerate}") != std::string::npos);
  BOOST_TEST(tex.find("\\item \\textbf{Chain rule.}") != std::string::npos);
}

BOOST_AUTO_TEST_CASE(derivations_of_other_shapes) {
  BOOST_TEST(explain(relu(x) + sin(x), "x").steps[0].rule == "Sum rule");
  BOOST_TEST(explain(relu(x) * sin(x), "x").steps[0].rule == "Product rule");
  BOOST_TEST(explain(piecewise({{x > 0, x}}, 0), "x").steps[0].rule == "Branch by branch");
  BOOST_TEST(explain(relu(x), "x").steps[0].rule == "Rule for relu");
  BOOST_TEST(explain(relu(2 * relu(x) + 1), "x").steps[0].rule == "Simplify first");
}
