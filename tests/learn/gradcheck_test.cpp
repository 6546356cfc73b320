// SPDX-License-Identifier: MIT
// check_gradient: passes a tape whose value at a kink lies between f's exact one-sided slopes
// and whose slopes agree with one-sided differences; fails, naming the ops, on the composition
// trap, and names the kink a difference step crosses.
#include <boost/test/unit_test.hpp>
#include <cmath>
#include <tuple>

#include "slope/slope.hpp"

using namespace slope;

namespace {
const Expr x = var("x"), y = var("y");
}

BOOST_AUTO_TEST_CASE(away_from_kinks_it_is_the_usual_check) {
  const GradientCheck fine = check_gradient(relu(x) + sin(y), {{"x", 0.7}, {"y", 0.2}});
  BOOST_TEST(fine.ok());
  BOOST_TEST(fine.report() ==
             "d/dx: tape 1, finite difference 1: ok\nd/dy: tape 0.9800665778412416, finite "
             "difference 0.980066578: ok\n");
}

BOOST_AUTO_TEST_CASE(at_a_kink_any_value_between_the_one_sided_slopes_passes) {
  for (Convention c : {Convention::min_norm, Convention::left, Convention::right,
                       Convention::average, Convention::undefined}) {
    const GradientCheck at_kink = check_gradient(relu(x) + sin(y), {{"x", 0.0}, {"y", 0.2}}, c);
    BOOST_TEST(at_kink.ok(), to_string(c) << ": " << at_kink.report());
    const GradientEntry& e = at_kink.entries[0];
    BOOST_TEST(e.left == 0.0);
    BOOST_TEST(e.right == 1.0);
    BOOST_TEST(std::abs(e.numeric_left) < 1e-9);
    BOOST_TEST(std::abs(e.numeric_right - 1) < 1e-9);
    BOOST_TEST(e.numeric == 0.5, boost::test_tools::tolerance(1e-9));  // central: the average
  }
  const GradientCheck m = check_gradient(max(2 * x, x + 1), {{"x", 1}});
  BOOST_TEST(m.ok());
  BOOST_TEST(m.report() == "d/dx: tape 1.5, one-sided slopes 1 and 2 (differences 1 and 2): ok\n");
}

BOOST_AUTO_TEST_CASE(the_composition_trap_fails_and_names_the_ops) {
  const GradientCheck trap = check_gradient(relu(x) - relu(-x), {{"x", 0}});
  BOOST_TEST(!trap.ok());
  const GradientEntry& e = trap.entries[0];
  BOOST_TEST(e.tape == 0.0);
  BOOST_TEST(e.left == 1.0);
  BOOST_TEST(e.right == 1.0);
  BOOST_TEST((e.kinks == std::vector<std::string>{"relu(x)", "relu(-x)"}));
  BOOST_TEST(trap.report() ==
             "d/dx: tape 0, finite difference 1: MISMATCH (the tape's 0 lies outside f's "
             "one-sided slopes: the min_norm convention of relu(x), relu(-x), applied op by op, "
             "cannot see the whole function)\n");
  // relu(x) - 2 relu(-x) under right: 1 + 2 = 3, outside [1, 2]
  BOOST_TEST(!check_gradient(relu(x) - 2 * relu(-x), {{"x", 0}}, Convention::right).ok());
  BOOST_TEST(check_gradient(relu(x) - 2 * relu(-x), {{"x", 0}}, Convention::average).ok());  // 1.5
}

BOOST_AUTO_TEST_CASE(a_difference_step_across_a_kink_is_explained) {
  // 1e-8 right of the kink: f is smooth here (slope 1), and the left difference of the default
  // step reaches across; a smaller step stays on this side and agrees
  const GradientCheck beside = check_gradient(abs(x - 1), {{"x", 1 + 1e-8}});
  BOOST_TEST(beside.ok(), beside.report());
  BOOST_TEST(beside.entries[0].numeric == 1.0, boost::test_tools::tolerance(1e-6));
  // one double right of the kink no step stays on this side: the failure says why
  const GradientCheck near = check_gradient(abs(x - 1), {{"x", std::nextafter(1.0, 2.0)}});
  BOOST_TEST(!near.ok());
  BOOST_TEST(
      near.entries[0].kinks == std::vector<std::string>{"abs(x - 1) at x - 1 = 0, that is x = 1"},
      boost::test_tools::per_element());
  BOOST_TEST(near.entries[0].why.find("the step crosses the kink of abs(x - 1)") == 0U);
  // a kink in another variable does not matter
  const GradientCheck two = check_gradient(relu(x) * relu(y), {{"x", 0.0}, {"y", 2.0}});
  BOOST_TEST(two.ok());
}

BOOST_AUTO_TEST_CASE(the_cases_that_were_wrong_pass_with_the_right_rule) {
  // issue 11, wrong today 1: a tie on a whole interval; the tape now takes the branch
  for (const char* f : {"piecewise(relu(x) > 0: x^2, otherwise: 3*x)",
                        "where(clamp(x, 0, 1) >= 1, 5*x, x)", "where(hardtanh(x) < 1, 2*x, 7*x)"})
    for (double at : {-1.0, 2.0, 3.0})
      BOOST_TEST(check_gradient(parse(f), {{"x", at}}).ok(), f << " at " << at);
}

BOOST_AUTO_TEST_CASE(a_jump_is_reported_as_one) {
  const GradientCheck j = check_gradient(where(x > 0, x + 1, x), {{"x", 0}});
  BOOST_TEST(j.ok());
  BOOST_TEST(!j.entries[0].continuous);
  BOOST_TEST(j.report() ==
             "d/dx: tape 1, f has a jump here: its pieces' slopes 1 and 1 (differences 1 "
             "and 1): ok\n");
}

BOOST_AUTO_TEST_CASE(where_f_has_no_value_there_is_no_derivative_to_pass) {
  // 1/x and log(x) at 0 are poles, sin(x)/x and relu(x)/x at 0 are 0/0 (a hole, a jump):
  // whatever the tape gives, f has no derivative there, so the check fails and says why
  const std::tuple<const char*, Break, const char*> cases[] = {
      {"1/x", Break::pole, "f has a pole here: no derivative"},
      {"log(x)", Break::pole, "f has a pole here: no derivative"},
      {"sin(x)/x", Break::hole, "f has a hole here: no derivative"},
      {"relu(x)/x", Break::jump, "f has a jump and no value here: no derivative"},
      {"where(x > 0, sin(1/x), 0)", Break::no_limit, "f has no limit here: no derivative"}};
  for (const auto& [text, kind, why] : cases) {
    const GradientCheck c = check_gradient(parse(text), {{"x", 0}});
    BOOST_TEST(!c.ok(), text);
    BOOST_TEST((c.entries[0].discontinuity == kind), text);
    BOOST_TEST(c.entries[0].why == why, text);
  }
  // a removable gap has a value: the tape's slope of the pieces passes, named for what it is
  const GradientCheck gap = check_gradient(parse("heaviside(x^2)"), {{"x", 0}});
  BOOST_TEST(gap.ok());
  BOOST_TEST((gap.entries[0].discontinuity == Break::removable));
}

BOOST_AUTO_TEST_CASE(a_vertical_tangent_is_not_matched_by_a_finite_value) {
  // sign(x)*|x|^(1/3) is the cube root: slope +inf from both sides at 0 (by hand). Op by op the
  // tape gives 0 (sign's slope 0 times an infinite one dropped), which no finite value matches.
  const Expr cube_root = sign(x) * pow(abs(x), 1.0 / 3);
  const GradientCheck c = check_gradient(cube_root, {{"x", 0}});
  BOOST_TEST(c.entries[0].left == HUGE_VAL);
  BOOST_TEST(c.entries[0].right == HUGE_VAL);
  BOOST_TEST(c.entries[0].tape == 0.0);
  BOOST_TEST(!c.ok());
  // beside 0 the slope is finite, however large, and the tape matches it
  BOOST_TEST(check_gradient(pow(x, 1.0 / 3), {{"x", 1e-300}}).ok());
}

BOOST_AUTO_TEST_CASE(large_coordinates_take_a_step_that_is_a_double) {
  // 1e8 + 1e-5 is no double: dividing by 1e-5 rather than the step taken made 2*x's slope
  // 2.00048 and relu(x - 1e8) fail at its own kink
  for (const auto& [f, x] : std::vector<std::pair<const char*, double>>{
           {"2*x", 1e7}, {"relu(x - 1e8)", 1e8}, {"abs(x - 1e7)", 1e7}}) {
    const GradientCheck c = check_gradient(parse(f), {{"x", x}});
    BOOST_REQUIRE(c.entries.size() == 1U);
    BOOST_TEST(c.entries[0].ok, f << ": numeric " << c.entries[0].numeric_left << " | "
                                  << c.entries[0].numeric_right);
  }
  const GradientCheck line = check_gradient(parse("2*x"), {{"x", 1e7}});
  BOOST_TEST(line.entries[0].numeric == 2.0, boost::test_tools::tolerance(1e-9));
}
