// SPDX-License-Identifier: MIT
// simplify: interval bounds, range reasoning, piecewise normalisation.
#include <boost/test/unit_test.hpp>
#include <limits>

#include "slope/slope.hpp"
#include "support/random.hpp"

using namespace slope;

namespace {
const Expr x = var("x"), u = var("u"), w = var("w"), b = var("b");
const double inf = std::numeric_limits<double>::infinity();
}  // namespace

BOOST_AUTO_TEST_CASE(bounds_of_common_nodes) {
  BOOST_TEST((bounds(relu(x)) == Interval{0, inf}));
  BOOST_TEST((bounds(2 * relu(x) + 1) == Interval{1, inf}));
  BOOST_TEST((bounds(sigmoid(x)) == Interval{0, 1}));
  BOOST_TEST((bounds(hardtanh(x)) == Interval{-1, 1}));
  BOOST_TEST((bounds(relu6(x)) == Interval{0, 6}));
  BOOST_TEST((bounds(pow(x, 2) + 1) == Interval{1, inf}));
  BOOST_TEST((bounds(abs(x) * -1) == Interval{-inf, 0}));
  BOOST_TEST((bounds(exp(x)) == Interval{0, inf}));
  BOOST_TEST((bounds(where(x > 0, 2, 5)) == Interval{2, 5}));
  BOOST_TEST((bounds(x) == Interval{-inf, inf}));
}

// clamp(x, lo, hi) is hi wherever lo > hi, so a lower bound on lo bounds nothing when hi can be
// lower (the fuzzer found leaky_relu(hardtanh(x, x <= 0, 1 + abs(x) + l)) differentiated as if
// the hardtanh were never negative).
BOOST_AUTO_TEST_CASE(bounds_of_a_clamp_whose_bounds_may_cross) {
  const Expr l = var("l");
  BOOST_TEST((bounds(clamp(x, x <= 0, 1 + abs(x) + l)) == Interval{-inf, inf}));
  BOOST_TEST((bounds(clamp(x, x <= 0, 2 + abs(x))) == Interval{0, inf}));
  BOOST_TEST((bounds(clamp(x, relu(x) + 5, 3 * sigmoid(x))) == Interval{0, 3}));
  const Expr f = leaky_relu(hardtanh(x, x <= 0, 1 + abs(x) + l));
  const Env crossed{{"x", -1.29}, {"l", -2.58}};  // lo = 1 > hi = -0.29: f is 0.01*hi
  BOOST_TEST(eval(diff(f, "x"), crossed) == -0.01, boost::test_tools::tolerance(1e-12));
}

// b^inf is 0, 1 or inf (|b| below, at or above 1), not the range of an odd power: the fuzzer
// found hardtanh(w^inf + abs(x)) differentiated as the constant 1 (derivative 0 everywhere).
BOOST_AUTO_TEST_CASE(bounds_of_a_power_with_an_infinite_exponent) {
  const Expr w = var("w"), w_inf = pow(w, inf);
  BOOST_TEST((bounds(w_inf) == Interval{-inf, inf}));
  BOOST_TEST((bounds(pow(abs(w) + 0.5, inf)) == Interval{0, inf}));
  const Expr f = hardtanh(w_inf + abs(x));
  BOOST_TEST(eval(diff(f, "x"), {{"x", 0.37}, {"w", 0.5}}) == 1.0);  // hardtanh(0 + 0.37)
  BOOST_TEST(eval(diff(f, "x"), {{"x", -0.37}, {"w", -0.5}}) == -1.0);
  BOOST_TEST(eval(diff(f, "x"), {{"x", 0.37}, {"w", 2}}) == 0.0);  // hardtanh(inf) = 1
  BOOST_TEST(eval(diff(relu(w_inf - 0.5), "w"), {{"w", 0.5}}) == 0.0);
}

BOOST_AUTO_TEST_CASE(kinks_that_cannot_be_reached_disappear) {
  BOOST_TEST((simplify(relu(2 * relu(u) + 1)) == 2 * relu(u) + 1));
  BOOST_TEST((simplify(relu(-relu(u))) == Expr(0)));
  BOOST_TEST((simplify(abs(exp(x))) == exp(x)));
  BOOST_TEST((simplify(max(0, sigmoid(x))) == sigmoid(x)));
  BOOST_TEST((simplify(clamp(tanh(x), -1, 1)) == tanh(x)));
  // a clamp held at one bound is that bound (a helper found clamp(2*x, -1, 1) left in a piece
  // of x <= -0.5), and relu6 likewise; one whose bounds may cross is left alone
  BOOST_TEST((simplify(clamp(-exp(x) - 1, -1, 1)) == Expr(-1)));
  BOOST_TEST((simplify(clamp(exp(x) + 2, -1, 1)) == Expr(1)));
  BOOST_TEST((simplify(hardtanh(exp(x) + 1)) == Expr(1)));
  BOOST_TEST((simplify(relu6(-exp(x))) == Expr(0)));
  BOOST_TEST((simplify(relu6(exp(x) + 6)) == Expr(6)));
  BOOST_TEST((simplify(clamp(-exp(x), x, 1)) == clamp(-exp(x), x, 1)));
  const Expr folded = diff(clamp(2 * x, -1, 1) * x, "x");
  BOOST_TEST(to_text(folded) == "piecewise(x <= -0.5: -1, x < 0.5: 4*x, otherwise: 1)");
  BOOST_TEST((simplify(relu(x)) == relu(x)));
  BOOST_TEST((simplify(where(pow(x, 2) + 1 > 0, x, 3)) == x));
  BOOST_TEST((simplify(leaky_relu(-exp(x), 0.1)) == -0.1 * exp(x)));
}

BOOST_AUTO_TEST_CASE(a_max_whose_arguments_overlap_is_decided_by_their_difference) {
  // exp(x) and 0.5*exp(x) share the range (0, inf), but their difference 0.5*exp(x) is
  // positive: max is the first, min the second
  BOOST_TEST((simplify(max(exp(x), 0.5 * exp(x))) == exp(x)));
  BOOST_TEST((simplify(min(exp(x), 0.5 * exp(x))) == 0.5 * exp(x)));
  BOOST_TEST((simplify(max(0.5 * exp(x), exp(x))) == exp(x)));
  BOOST_TEST((simplify(max(-exp(x), -0.5 * exp(x))) == -0.5 * exp(x)));
  // a difference of either sign decides nothing
  BOOST_TEST((simplify(max(x, 0.5 * x)) == max(x, 0.5 * x)));
}

BOOST_AUTO_TEST_CASE(the_derivative_has_no_branch_for_an_unreachable_kink) {
  const Expr f = relu(2 * relu(u) + 1);
  BOOST_TEST(to_text(diff(f, u)) == "piecewise(u > 0: 2, otherwise: 0)");
}

BOOST_AUTO_TEST_CASE(a_first_branch_the_last_repeats_is_the_last) {
  // where(x^2 > 4, x, 0)' under min_norm was piecewise(x^2 == 4: 0, x^2 > 4: 1, otherwise: 0)
  const Expr sq = pow(x, 2);
  BOOST_TEST(to_text(simplify(where(eq(sq, 4), 0, where(sq > 4, 1, 0)))) ==
             "piecewise(x^2 > 4: 1, otherwise: 0)");
  BOOST_TEST(to_text(diff(where(sq > 4, x, 0), "x")) == "piecewise(x^2 > 4: 1, otherwise: 0)");
  // ... only where the middle condition excludes the first: x^2 >= 4 holds at x^2 == 4
  BOOST_TEST(to_text(simplify(where(eq(sq, 4), 0, where(sq >= 4, 1, 0)))) ==
             "piecewise(x^2 == 4: 0, x^2 >= 4: 1, otherwise: 0)");
  // ... and through a longer chain, each middle condition excluding the first (u is x^2 == 4
  // or x^2 == 9 there, so x^2 < 1 and x^2 > 16 never hold with it)
  const Expr first = logical_or(eq(sq, 4), eq(sq, 9));
  BOOST_TEST(to_text(simplify(where(first, 0, where(sq < 1, 1, where(sq > 16, 2, 0))))) ==
             "piecewise(x^2 < 1: 1, x^2 > 16: 2, otherwise: 0)");
  BOOST_TEST(to_text(simplify(where(first, 0, where(sq < 5, 1, 0)))) ==
             "piecewise(x^2 == 4 or x^2 == 9: 0, x^2 < 5: 1, otherwise: 0)");
}

BOOST_AUTO_TEST_CASE(piecewise_normalisation) {
  // neighbouring equal branches merge; a weaker condition absorbs a stronger one
  BOOST_TEST(to_text(simplify(piecewise({{x > 1, 0}, {x > 0, 0}}, 1))) ==
             "piecewise(x <= 0: 1, otherwise: 0)");
  BOOST_TEST(to_text(simplify(piecewise({{x > 1, w}, {u > 0, w}}, 1))) ==
             "piecewise(x > 1 or u > 0: w, otherwise: 1)");
  // an inner condition implied by the outer one
  BOOST_TEST(to_text(simplify(where(x > 1, where(x > 0, w, b), 3))) ==
             "piecewise(x > 1: w, otherwise: 3)");
  BOOST_TEST(to_text(simplify(where(x > 1, 2, where(x <= 1, w, b)))) ==
             "piecewise(x > 1: 2, otherwise: w)");
  // ... by one conjunct of it, or ruled out by one (as diff's tie rules nest them: an equality
  // tie's case inside a case that holds that equality)
  BOOST_TEST(to_text(simplify(where(logical_and(x > 1, u > 0), where(x > 0, w, b), 3))) ==
             "piecewise(x > 1 and u > 0: w, otherwise: 3)");
  BOOST_TEST(to_text(simplify(where(logical_and(eq(sin(u), 0), x > 0), where(ne(sin(u), 0), w, b),
                                    3))) == "piecewise(sin(u) == 0 and x > 0: b, otherwise: 3)");
  // a common factor comes out
  BOOST_TEST(to_text(simplify(where(x > 0, w, 0.01 * w))) ==
             "w*piecewise(x > 0: 1, otherwise: 0.01)");
  BOOST_TEST(to_text(simplify(where(x > 0, w, 0))) == "piecewise(x > 0: w, otherwise: 0)");
}

BOOST_AUTO_TEST_CASE(a_comparison_of_a_clamped_value_becomes_one_of_its_argument) {
  const std::pair<Expr, std::string> cases[] = {{relu(x) > 0, "x > 0"},
                                                {eq(relu(x), 0), "x <= 0"},
                                                {ne(relu(x), 0), "x > 0"},
                                                {relu(x) <= 0, "x <= 0"},
                                                {relu(x) > 2, "x > 2"},
                                                {clamp(x, 0, 1) >= 1, "x >= 1"},
                                                {eq(clamp(x, 0, 1), 1), "x >= 1"},
                                                {hardtanh(x) < 1, "x < 1"},
                                                {eq(relu6(x), 6), "x >= 6"},
                                                {relu6(x) < 3, "x < 3"},
                                                // not equivalent to a test on x alone: kept
                                                {clamp(x, 0, 1) > 1, "0"},
                                                {relu(x) < 0, "0"},
                                                {clamp(x, 0, 1) >= 0.5, "x >= 0.5"},
                                                // sign keeps the sign of its argument
                                                {eq(sign(x - 1), 0), "x == 1"},
                                                {sign(x) > 0, "x > 0"},
                                                {sign(x) <= 0, "x <= 0"}};
  for (const auto& [c, expected] : cases) {
    BOOST_TEST(to_text(simplify(c)) == expected);
    for (double v : {-7.0, -1.0, 0.0, 0.5, 1.0, 2.0, 3.0, 6.0, 9.0})  // the same truth table
      BOOST_TEST(eval(simplify(c), {{"x", v}}) == eval(c, {{"x", v}}), to_text(c) << " at " << v);
  }
}

BOOST_AUTO_TEST_CASE(a_conjunction_that_can_never_hold_is_false) {
  BOOST_TEST((simplify(logical_and(x > 0, x <= 0)) == Expr(0)));
  BOOST_TEST((simplify(logical_and(x > 1, logical_and(u > 0, x < 0))) == Expr(0)));
  BOOST_TEST((simplify(logical_and(eq(relu(u), w), logical_not(eq(relu(u), w)))) == Expr(0)));
  BOOST_TEST((simplify(logical_and(x >= 1, x <= 1)) == logical_and(x >= 1, x <= 1)));  // x = 1
  BOOST_TEST((simplify(logical_not(x > 1)) == (x <= 1)));
  // a condition or its negation always holds; one implied by the other adds nothing
  BOOST_TEST((simplify(logical_or(ne(x, 0), eq(x, 0))) == Expr(1)));
  BOOST_TEST((simplify(logical_and(eq(pow(x, 3), 8), logical_or(ne(x, 0), eq(x, 0)))) ==
              eq(pow(x, 3), 8)));
  BOOST_TEST((simplify(logical_and(x > 1, x > 0)) == (x > 1)));
  BOOST_TEST((simplify(logical_or(u > 1, u > 0)) == (u > 0)));
  // half-lines that meet are one: u == 1 or u > 1 is u >= 1; u < 1 or u > 0 always holds; u < 0
  // or u > 0 leaves 0 out, and stays two
  BOOST_TEST((simplify(logical_or(eq(u, 1), u > 1)) == (u >= 1)));
  BOOST_TEST((simplify(logical_or(u < -2, u <= -2)) == (u <= -2)));
  BOOST_TEST((simplify(logical_or(eq(u, -2), u < -2)) == (u <= -2)));
  BOOST_TEST((simplify(logical_or(u<1, u> 0)) == Expr(1)));
  BOOST_TEST((simplify(logical_or(u<0, u> 0)) == logical_or(u<0, u> 0)));
  BOOST_TEST((simplify(logical_or(u<0, u> 1)) == logical_or(u<0, u> 1)));
  // a product is 0 where a factor is: sin(u) == 0 rules out sin(u)*cos(u) != 0, > 0 and < 0,
  // and a positive power of it, but not a product without it
  for (const Expr& p : {sin(u) * cos(u), pow(sin(u), 3) * w, sin(u)})
    for (const Expr& strict : {ne(p, 0), p > 0, p < 0})
      BOOST_TEST((simplify(logical_and(eq(sin(u), 0), strict)) == Expr(0)), to_text(strict));
  const Expr free = logical_and(eq(sin(u), 0), ne(cos(u) * w, 0));
  BOOST_TEST((simplify(free) == free), to_text(simplify(free)));
  BOOST_TEST((simplify(logical_and(eq(sin(u), 0), sin(u) * w >= 0)) ==
              logical_and(eq(sin(u), 0), sin(u) * w >= 0)));
}

BOOST_AUTO_TEST_CASE(simplify_keeps_values_on_random_expressions) {
  testing::RandomExpr gen(4242);
  int compared = 0;
  for (int i = 0; i < 3000; ++i) {
    const Expr f = gen.make(4);
    const Expr s = simplify(f);
    for (int k = 0; k < 3; ++k) {
      const Env at{{"x", 3 * gen.rng().symmetric()}, {"y", 3 * gen.rng().symmetric()}};
      const double a = eval(f, at), c = eval(s, at);
      if (std::isnan(a)) continue;
      ++compared;
      BOOST_TEST(testing::same_value(a, c),
                 to_text(f) << " -> " << to_text(s) << ": " << a << " vs " << c);
    }
  }
  BOOST_TEST(compared > 5000);
}
