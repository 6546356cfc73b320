// SPDX-License-Identifier: MIT
// find_kinks: kinks on an interval, exact for affine switches, bisected to adjacent doubles for
// others, with jumps, smooth points where an op sits on its kink, and flat ties left out.
#include <fmt/format.h>

#include <algorithm>
#include <boost/test/unit_test.hpp>
#include <cmath>
#include <numbers>
#include <tuple>

#include "slope/slope.hpp"
#include "support/w4_chains.hpp"

using namespace slope;

namespace {
std::vector<KinkPoint> kinks_of(const std::string& f, double from = -2, double to = 2,
                                const Env& others = {}) {
  return find_kinks(parse(f), "x", others, from, to);
}
std::vector<double> xs(const std::vector<KinkPoint>& ks) {
  std::vector<double> out;
  for (const auto& k : ks) out.push_back(k.x);
  return out;
}
}  // namespace

BOOST_AUTO_TEST_CASE(affine_switches_are_solved_exactly) {
  const auto ks = kinks_of("abs(x - 1) + abs(x + 1)");
  BOOST_TEST(xs(ks) == (std::vector<double>{-1, 1}), boost::test_tools::per_element());
  BOOST_TEST(ks[0].side.left == -2.0);
  BOOST_TEST(ks[0].side.right == 0.0);
  BOOST_TEST(ks[1].side.left == 0.0);
  BOOST_TEST(ks[1].side.right == 2.0);
  BOOST_TEST(ks[0].side.continuous);
  // w*x + b = 0 at x = 0.5 with w = 2, b = -1
  const auto r = kinks_of("relu(w*x + b)", -2, 2, {{"w", 2}, {"b", -1}});
  BOOST_TEST(xs(r) == std::vector<double>{0.5}, boost::test_tools::per_element());
  BOOST_TEST(r[0].side.right == 2.0);
  // outside the interval: none
  BOOST_TEST(kinks_of("relu(x - 5)").empty());
  BOOST_TEST(kinks_of("relu(x - 2)").size() == 1U);  // the end is inside
}

BOOST_AUTO_TEST_CASE(a_kink_f_evaluates_exactly_is_one_whatever_its_folded_piece_rounds_to) {
  // leaky_relu(.. + c_i, 0.5) for c_i = -0.01, 0.02, -0.03, ...: right of -0.03 each layer in
  // turn leaves its negative side, at x = 0.01, 0.02, 0.03, 0.04, and the slope doubles. At the
  // double 0.02, f's own sum (x - 0.01 + 0.02) - 0.03 is exactly 0, while the folded piece
  // x - 0.02 rounds a hair off it: the kink was listed as "differentiable" there.
  std::string f = "x";
  for (int i = 1; i <= 8; ++i)
    f = fmt::format("leaky_relu({} + {}, 0.5)", f, (i % 2 ? -1 : 1) * i / 100.0);
  const auto ks = kinks_of(f, 0, 0.05);
  BOOST_REQUIRE(ks.size() == 4U);
  for (std::size_t k = 0; k < ks.size(); ++k) {
    BOOST_TEST(ks[k].x == 0.01 * static_cast<double>(k + 1), boost::test_tools::tolerance(1e-12));
    BOOST_TEST(ks[k].side.left == std::ldexp(1.0, static_cast<int>(k) - 4));
    BOOST_TEST(ks[k].side.right == std::ldexp(1.0, static_cast<int>(k) - 3));
    BOOST_TEST(!ks[k].side.differentiable());
  }
  const OneSided at = one_sided(parse(f), "x", {{"x", 0.02}});
  BOOST_TEST(at.left == 0.125);
  BOOST_TEST(at.right == 0.25);
}

BOOST_AUTO_TEST_CASE(other_switches_are_bracketed_to_adjacent_doubles) {
  const auto ks = kinks_of("relu(x^2 - 1)");
  BOOST_TEST(xs(ks) == (std::vector<double>{-1, 1}), boost::test_tools::per_element());
  BOOST_TEST(ks[0].side.left == -2.0);
  BOOST_TEST(ks[0].side.right == 0.0);
  const auto s = kinks_of("abs(sin(3*x))", -1.5, 1.5);
  BOOST_REQUIRE(s.size() == 3U);
  const double third = std::numbers::pi / 3;
  BOOST_TEST(std::abs(s[0].x + third) <= 2e-16 * 4);
  BOOST_TEST(s[1].x == 0.0);
  BOOST_TEST(std::abs(s[2].x - third) <= 2e-16 * 4);
  BOOST_TEST(!s[0].exact);  // pi/3 lies between two doubles
  BOOST_TEST(s[1].exact);
  BOOST_TEST(!s[2].exact);
  for (const auto& k : s) {
    BOOST_TEST(std::abs(k.side.left + 3) < 1e-9);  // |sin 3x| turns from falling to rising
    BOOST_TEST(std::abs(k.side.right - 3) < 1e-9);
    // f at the kink itself, which no double reaches: |sin 3x| is 0 there (the double beside
    // pi/3 evaluates it to about 3.7e-16)
    BOOST_TEST(k.side.value == 0.0);
  }
  BOOST_TEST(eval(parse("abs(sin(3*x))"), {{"x", s[2].x}}) > 0.0);
  // the rest of f is taken at the double: relu(3*x - 1) + x at 1/3 is 1/3 up to x's rounding
  const auto r = kinks_of("relu(3*x - 1) + x", 0, 1);
  BOOST_REQUIRE(r.size() == 1U);
  BOOST_TEST(r[0].side.value == r[0].x);
}

BOOST_AUTO_TEST_CASE(switches_affine_between_inner_kinks_are_solved_piece_by_piece) {
  // ||x| - 1| - 0.5|: by hand, kinks at 0, +-1 (inner) and +-0.5, +-1.5 (outer), every one a
  // corner with slopes of opposite sign
  const auto ks = kinks_of("abs(abs(abs(x) - 1) - 0.5)", -3, 3);
  BOOST_TEST(xs(ks) == (std::vector<double>{-1.5, -1, -0.5, 0, 0.5, 1, 1.5}),
             boost::test_tools::per_element());
  for (const KinkPoint& k : ks) {
    BOOST_TEST(k.exact);
    BOOST_TEST(std::abs(k.side.left) == 1.0);
    BOOST_TEST(k.side.right == -k.side.left);
  }
  // a touch, no crossing: |x - 1| reaches 0 at 1 and leaves it upward; relu of it is |x - 1|
  const auto touch = kinks_of("relu(abs(x - 1)) + x", -3, 3);
  BOOST_REQUIRE(touch.size() == 1U);
  BOOST_TEST(touch[0].x == 1.0);
  BOOST_TEST(touch[0].side.left == 0.0);
  BOOST_TEST(touch[0].side.right == 2.0);
}

BOOST_AUTO_TEST_CASE(an_abs_chain_has_the_kinks_of_its_broken_line) {
  // u_k = |u_(k-1) - c_k| (W4's abs chain), checked against the chain kept as a broken line:
  // its corners in order, each layer's crossings of c_k put in by linear interpolation. Every
  // zero of a switch is a corner of the next layer, so the broken line's corners are the kinks.
  constexpr int depth = 30;
  constexpr double from = -1.5, to = 1.5;
  std::vector<std::pair<double, double>> line{{from, from}, {to, to}};  // (x, u) at the corners
  std::vector<double> corners;
  for (int k = 1; k <= depth; ++k) {
    const double c = (k % 2 ? -1.0 : 1.0) * k / 100;
    std::vector<std::pair<double, double>> next;
    for (std::size_t i = 0; i < line.size(); ++i) {
      const auto [x0, u0] = line[i];
      if (u0 == c) corners.push_back(x0);
      next.emplace_back(x0, std::abs(u0 - c));
      if (i + 1 == line.size()) break;
      const auto [x1, u1] = line[i + 1];
      if ((u0 - c) * (u1 - c) < 0) {
        const double x = x0 + (x1 - x0) * (c - u0) / (u1 - u0);
        corners.push_back(x);
        next.emplace_back(x, 0.0);
      }
    }
    line = std::move(next);
  }
  std::sort(corners.begin(), corners.end());
  const auto chain = w4::chain("abs", depth);
  const auto ks = find_kinks(chain, "x", {}, from, to, 100'000);
  BOOST_TEST_REQUIRE(!ks.empty());
  const auto near = [](const std::vector<double>& among, double x) {
    const auto i = std::lower_bound(among.begin(), among.end(), x - 1e-12);
    return i != among.end() && *i <= x + 1e-12;
  };
  for (const double x : corners) BOOST_TEST(near(xs(ks), x), "the corner at " << x);
  for (const KinkPoint& k : ks) {
    BOOST_TEST(near(corners, k.x), "the kink at " << k.x);
    // the broken line's slopes beside the corner
    const double h = 1e-9;
    const double left = (eval(chain, {{"x", k.x}}) - eval(chain, {{"x", k.x - h}})) / h;
    const double right = (eval(chain, {{"x", k.x + h}}) - eval(chain, {{"x", k.x}})) / h;
    BOOST_TEST(std::abs(k.side.left - left) < 1e-5, k.x);
    BOOST_TEST(std::abs(k.side.right - right) < 1e-5, k.x);
  }
}

BOOST_AUTO_TEST_CASE(a_switch_that_overflows_on_a_stretch_has_no_touch_there) {
  // x^2 is inf past 1.3e154: a finite value between two infinite grid values is no dip toward
  // 0 (it listed two "poles" near +-1e297); only relu's real point, 0, remains
  const auto ks = kinks_of("relu(x^2)", -1e300, 1e300);
  BOOST_REQUIRE(ks.size() == 1U);
  BOOST_TEST(ks[0].x == 0.0);
  BOOST_TEST(ks[0].side.differentiable());
}

BOOST_AUTO_TEST_CASE(a_switch_that_rounds_to_0_on_a_stretch_has_its_kink_at_the_simplest_double) {
  // exp(x) - 1 is 0 in doubles for |x| < 1.1e-16, 2 - (2 + x) for |x| < 2.2e-16, and a search
  // landed wherever its grid led (3.2e-17, -5e-324): the kink is 0, from every interval
  const std::tuple<const char*, double, double> cases[] = {
      {"relu(exp(x) - 1)", -1.3, 0.4},         {"relu(exp(x) - 1)", -0.7, 1.9},
      {"relu(x*(x - 0.25))", -2.2, 2.9},       {"relu(x*(x - 0.25))", -1.37, 2.71},
      {"max(max(2, x), 2 + x)", -1.608, 2.32}, {"max(max(2, x), 2 + x)", -0.3, 0.11}};
  for (const auto& [f, from, to] : cases) {
    const auto ks = kinks_of(f, from, to);
    BOOST_TEST_REQUIRE(!ks.empty(), f);
    BOOST_TEST(ks[0].x == 0.0, f << " on [" << from << ", " << to << "]");
    BOOST_TEST(ks[0].exact, f);
    BOOST_TEST(!ks[0].side.differentiable(), f);
  }
  // away from 0: the stretch's double with the fewest digits (1 + exp(x - 1) - 2 rounds to 0
  // for x within about 1.1e-16 of 1)
  const auto one = kinks_of("relu(exp(x - 1) - 1)", 0.13, 1.77);
  BOOST_TEST_REQUIRE(one.size() == 1U);
  BOOST_TEST(one[0].x == 1.0);
}

BOOST_AUTO_TEST_CASE(a_touch_that_rounds_to_0_on_a_stretch_is_where_the_slope_is_0) {
  // 1 - cos(x) is 0 in doubles within 1.5e-8 of 2 pi k and positive past that: a touch, at the
  // zero of its slope sin(x), found to the double nearest 2 pi k (the stretch's simplest double,
  // 6.2831853, is 7.2e-9 off, where relu(1 - cos(x)) has slope -7.2e-9, not about 0)
  const auto ks = kinks_of("relu(1 - cos(x))", -1, 13);
  BOOST_TEST_REQUIRE(ks.size() == 3U);
  const double at[] = {0, 2 * std::numbers::pi, 4 * std::numbers::pi};
  for (std::size_t i = 0; i < 3; ++i) {
    BOOST_TEST(ks[i].x == at[i]);
    BOOST_TEST(ks[i].side.differentiable());
    BOOST_TEST(ks[i].side.left == std::sin(at[i]));  // 0, -2.4e-16, -4.9e-16
  }
}

BOOST_AUTO_TEST_CASE(underflow_to_0_on_a_stretch_is_not_a_kink) {
  // Layer k of leaky_relu(leaky_relu(... x)) is 0.01^k * x for x < 0: from k = 162 on it
  // underflows to 0 near x = -0.0245, which looked like a kink there (slopes 0 and 1e-322). The
  // only kink is 0, on every interval; the stretch 1e-310*x rounds to 0 on is no kink either.
  Expr f = var("x");
  for (int k = 0; k < 1000; ++k) f = leaky_relu(f);
  for (const auto& [from, to] :
       {std::pair{-1.0, 1.0}, std::pair{-4.0, 4.0}, std::pair{-0.3, 0.7}}) {
    const auto ks = find_kinks(f, "x", {}, from, to);
    BOOST_TEST_REQUIRE(ks.size() == 1U, "[" << from << ", " << to << "]");
    BOOST_TEST(ks[0].x == 0.0);
    BOOST_TEST(ks[0].side.right == 1.0);
  }
  const auto tiny = kinks_of("abs(1e-310*x)", -1, 2);
  BOOST_TEST_REQUIRE(tiny.size() == 1U);
  BOOST_TEST(tiny[0].x == 0.0);
  BOOST_TEST(tiny[0].side.right == 1e-310);
}

BOOST_AUTO_TEST_CASE(jumps_and_smooth_points_on_a_kink_are_listed_as_such) {
  const auto j = kinks_of("where(x > 0, x + 1, x)");
  BOOST_REQUIRE(j.size() == 1U);
  BOOST_TEST(!j[0].side.continuous);
  BOOST_TEST(!j[0].side.differentiable());
  const auto t = kinks_of("relu(x) - relu(-x)");
  BOOST_REQUIRE(t.size() == 1U);
  BOOST_TEST(t[0].side.differentiable());
  BOOST_TEST(t[0].side.left == 1.0);
  // ... where the op-by-op conventions fall outside [1, 1]: the composition trap
  BOOST_REQUIRE(t[0].local.size() == 5U);  // in all_conventions order
  BOOST_TEST(t[0].local[0] == 0.0);        // min_norm
  BOOST_TEST(t[0].local[1] == 0.0);        // left: relu'(0) = 0 for both relus
  BOOST_TEST(t[0].local[2] == 2.0);        // right: 1 + 1
  BOOST_TEST(t[0].local[3] == 1.0);        // average
  BOOST_TEST(std::isnan(t[0].local[4]));   // undefined
  BOOST_TEST(to_text(t[0].ops[0]) == "relu(x)");
}

BOOST_AUTO_TEST_CASE(a_tie_on_a_whole_interval_is_no_kink) {
  // relu(x) > 0 ties for every x < 0; f is 3x there, x^2 after 0: one kink, at 0
  const auto ks = kinks_of("piecewise(relu(x) > 0: x^2, otherwise: 3*x)");
  BOOST_TEST(xs(ks) == std::vector<double>{0}, boost::test_tools::per_element());
  BOOST_TEST(ks[0].side.left == 3.0);
  BOOST_TEST(ks[0].side.right == 0.0);
  BOOST_TEST(kinks_of("relu(relu(x) - 1)").size() == 2U);  // relu(x) at 0 (smooth), then 1
  BOOST_TEST(kinks_of("hardswish(x)", -5, 5).size() == 2U);
  BOOST_TEST(kinks_of("sin(x) + x^2").empty());
}

// clamp is min(max(x, lo), hi): it switches where x meets either bound and where the bounds meet
// (with lo > hi it is hi). The slopes are worked by hand; the op-by-op conventions at a tie of a
// moving lo with a constant hi follow min's rule in lo (left 1, right 0, min_norm 0).
BOOST_AUTO_TEST_CASE(clamp_switches_where_its_bounds_meet) {
  const auto moving_lo = kinks_of("clamp(0, x, 1)");  // 0 below 0, then x, then 1
  BOOST_TEST(xs(moving_lo) == (std::vector<double>{0, 1}), boost::test_tools::per_element());
  BOOST_TEST(moving_lo[1].side.left == 1.0);
  BOOST_TEST(moving_lo[1].side.right == 0.0);
  BOOST_REQUIRE(moving_lo[1].local.size() == 5U);  // in all_conventions order
  BOOST_TEST(moving_lo[1].local[0] == 0.0);        // min_norm
  BOOST_TEST(moving_lo[1].local[1] == 1.0);        // left
  BOOST_TEST(moving_lo[1].local[2] == 0.0);        // right
  BOOST_TEST(std::isnan(moving_lo[1].local[4]));   // undefined

  std::vector<double> corners;  // 2*x below 0.5 (lo > hi), then 1, then x above 1
  for (const auto& k : kinks_of("clamp(x, 1, 2*x)", -3, 3))
    if (!k.side.differentiable()) corners.push_back(k.x);
  BOOST_TEST(corners == (std::vector<double>{0.5, 1}), boost::test_tools::per_element());
  const auto met = kinks_of("clamp(x, 1, 2*x)", 0.25, 0.75);
  BOOST_REQUIRE(met.size() == 1U);
  BOOST_TEST(met[0].side.left == 2.0);
  BOOST_TEST(met[0].side.right == 0.0);

  for (const auto& k : kinks_of("clamp(x, 1, 1)"))  // 1 everywhere: no slope at all
    for (double d : k.local) BOOST_TEST(d == 0.0, k.x);
}

// log has no value where its argument is below 0: its switch is its argument, and the side
// without values has no limit (NaN), not the -inf of log(0) with a borrowed sign.
BOOST_AUTO_TEST_CASE(log_reaching_0_is_the_edge_of_its_domain) {
  const auto ks = kinks_of("log(x)");
  BOOST_TEST_REQUIRE(xs(ks) == std::vector<double>{0}, boost::test_tools::per_element());
  BOOST_TEST(std::isnan(ks[0].side.left));
  BOOST_TEST(ks[0].side.right == HUGE_VAL);  // 1/x from the right
  BOOST_TEST(std::isnan(ks[0].side.left_limit));
  BOOST_TEST(ks[0].side.right_limit == -HUGE_VAL);
  BOOST_TEST((ks[0].side.discontinuity() == Break::pole));
  const auto both = kinks_of("log(x^2 - 1)");  // no values between -1 and 1
  BOOST_TEST_REQUIRE(xs(both) == (std::vector<double>{-1, 1}), boost::test_tools::per_element());
  BOOST_TEST(both[0].side.left == -HUGE_VAL);
  BOOST_TEST(std::isnan(both[0].side.right_limit));
  BOOST_TEST(std::isnan(both[1].side.left_limit));
  BOOST_TEST(kinks_of("log(x^2 + 1)").empty());  // its argument never reaches 0
}

BOOST_AUTO_TEST_CASE(bad_intervals_are_refused) {
  BOOST_CHECK_THROW(kinks_of("relu(x)", 1, -1), std::invalid_argument);
  BOOST_CHECK_THROW(kinks_of("relu(x)", -INFINITY, 1), std::invalid_argument);
  BOOST_CHECK_THROW(kinks_of("relu(x)", -1e308, 1e308), std::invalid_argument);
}

BOOST_AUTO_TEST_CASE(kinks_at_a_point_name_the_ops_on_their_kinks) {
  const Expr f = parse("relu(w*x + b) + abs(y)");
  const auto hits = kinks_at(f, {{"x", 0.5}, {"w", 2}, {"b", -1}, {"y", 3}}, Convention::average);
  BOOST_REQUIRE(hits.size() == 1U);
  BOOST_TEST(to_text(hits[0].node) == "relu(w*x + b)");
  BOOST_TEST(to_text(hits[0].argument) == "w*x + b");
  BOOST_TEST(hits[0].left == 0.0);
  BOOST_TEST(hits[0].right == 1.0);
  BOOST_TEST(hits[0].chosen == 0.5);
  BOOST_TEST(kinks_at(f, {{"x", 1}, {"w", 2}, {"b", -1}, {"y", 3}}, Convention::left).empty());
  const auto both = kinks_at(f, {{"x", 0.5}, {"w", 2}, {"b", -1}, {"y", 0}}, Convention::left);
  BOOST_TEST(both.size() == 2U);
}

BOOST_AUTO_TEST_CASE(ties_on_a_stretch_are_the_zero_switches_that_stay_zero) {
  const Expr x = var("x");
  // abs(x) - x is 0 for all x >= 0: a tie on a stretch at 0.5, a kink (no stretch) at 0
  const Expr f = max(abs(x), x);
  const auto ties = ties_on_a_stretch(f, {{"x", 0.5}});
  BOOST_REQUIRE_EQUAL(ties.size(), 1U);
  BOOST_TEST((ties[0] == f));
  BOOST_TEST(kinks_at(f, {{"x", 0.5}}, Convention::min_norm).empty());
  BOOST_TEST(ties_on_a_stretch(f, {{"x", -0.5}}).empty());  // abs(x) > x there
  // relu(x) > 0 for x < 0 stays false: the piecewise's condition ties on the stretch
  const Expr g = where(relu(x) > 0, x * x, 3 * x);
  BOOST_TEST(ties_on_a_stretch(g, {{"x", -1}}).size() == 1U);
  BOOST_TEST(kinks_at(g, {{"x", -1}}, Convention::min_norm).empty());
}

BOOST_AUTO_TEST_CASE(an_equality_between_two_doubles_is_a_removable_gap) {
  // x^2 == 2 holds at sqrt(2) alone, which no double reaches: every double gives f = 0, but f is
  // 1 at the kink itself, so f is not continuous there (its limits 0 on both sides agree)
  const auto eq = kinks_of("where(x^2 == 2, 1, 0)", -2, 2);
  BOOST_TEST_REQUIRE(eq.size() == 2U);
  for (const KinkPoint& k : eq) {
    BOOST_TEST(!k.exact);
    BOOST_TEST(std::abs(k.x) == std::sqrt(2.0), boost::test_tools::tolerance(1e-15));
    BOOST_TEST(k.side.value == 1.0);
    BOOST_TEST(k.side.left_limit == 0.0);
    BOOST_TEST(k.side.right_limit == 0.0);
    BOOST_TEST(!k.side.continuous);
    BOOST_TEST((k.side.discontinuity() == Break::removable));
  }
  const auto ne = kinks_of("where(x^2 != 2, 1, 0)", -2, 2);
  BOOST_TEST_REQUIRE(ne.size() == 2U);
  BOOST_TEST(ne[1].side.value == 0.0);
  BOOST_TEST(ne[1].side.right_limit == 1.0);
  BOOST_TEST(!ne[1].side.continuous);
  // an inequality between two doubles is a jump as before: the limits differ
  const auto ge = kinks_of("where(x^2 >= 2, 1, 0)", 0, 2);
  BOOST_TEST_REQUIRE(ge.size() == 1U);
  BOOST_TEST((ge[0].side.discontinuity() == Break::jump));
}

BOOST_AUTO_TEST_CASE(an_inequality_between_two_doubles_gives_f_at_its_tie) {
  // f at the kink itself, where the sides of the comparison are equal: sin(x) > 0 is false at pi
  // (the double beside it has sin(x) = 1.2e-16 > 0, and f = pi^2 there)
  const auto jump = kinks_of("where(x > 0 and sin(x) > 0, x^2, 0)", 3, 3.5);
  BOOST_TEST_REQUIRE(jump.size() == 1U);
  BOOST_TEST(!jump[0].exact);
  BOOST_TEST(jump[0].side.value == 0.0);
  BOOST_TEST(jump[0].side.left_limit == std::numbers::pi * std::numbers::pi,
             boost::test_tools::tolerance(1e-12));
  BOOST_TEST((jump[0].side.discontinuity() == Break::jump));
  // >= holds at its tie; a value a rounding off the pieces' stays continuous
  BOOST_TEST(kinks_of("where(sin(x) >= 0, x^2, 0)", 3, 3.5).at(0).side.value ==
                 std::numbers::pi * std::numbers::pi,
             boost::test_tools::tolerance(1e-12));
  const auto kink = kinks_of("where(sin(x) > 0, sin(x), 0)", 3, 3.5);
  BOOST_TEST_REQUIRE(kink.size() == 1U);
  BOOST_TEST(kink[0].side.value == 0.0);
  BOOST_TEST(kink[0].side.continuous);
  // true on both sides, false at the kink alone: a removable gap
  const auto gap = kinks_of("where(x^2 > 2 or x^2 < 2, 1, 0)", 1, 2);
  BOOST_TEST_REQUIRE(gap.size() == 1U);
  BOOST_TEST(gap[0].side.value == 0.0);
  BOOST_TEST((gap[0].side.discontinuity() == Break::removable));
}

BOOST_AUTO_TEST_CASE(a_switch_that_touches_0_between_two_doubles_is_found) {
  // sqrt((x^2 - 2)^2) is |x^2 - 2|: corners at -sqrt(2) and sqrt(2), slopes -+2*sqrt(2) on either
  // side, though g = (x^2 - 2)^2 is 0 at no double; sqrt(sin(x)^2) is |sin(x)|, corners at
  // multiples of pi with slopes -1 | 1. Lifted off 0 by 1e-20, g has no zero and f no kink.
  const double r2 = std::sqrt(2.0);
  const auto square = kinks_of("sqrt((x^2 - 2)^2)", -4, 4);
  BOOST_TEST_REQUIRE(xs(square).size() == 2U);
  for (std::size_t i = 0; i < 2; ++i) {
    const double at = i == 0 ? -r2 : r2;
    BOOST_TEST(square[i].x == at, boost::test_tools::tolerance(1e-15));
    BOOST_TEST(!square[i].side.differentiable());
    BOOST_TEST(square[i].side.left == -2 * r2, boost::test_tools::tolerance(1e-12));
    BOOST_TEST(square[i].side.right == 2 * r2, boost::test_tools::tolerance(1e-12));
  }
  const auto sine = kinks_of("sqrt(sin(x)^2)", -4, 4);
  BOOST_TEST_REQUIRE(sine.size() == 3U);
  for (std::size_t i = 0; i < 3; ++i) {
    BOOST_TEST(sine[i].x == (static_cast<double>(i) - 1) * std::numbers::pi,
               boost::test_tools::tolerance(1e-15));
    BOOST_TEST(sine[i].side.left == -1.0, boost::test_tools::tolerance(1e-12));
    BOOST_TEST(sine[i].side.right == 1.0, boost::test_tools::tolerance(1e-12));
  }
  BOOST_TEST(kinks_of("sqrt((x^2 - 2)^2 + 1e-20)", -4, 4).empty());
}

BOOST_AUTO_TEST_CASE(touches_off_the_grid_are_followed_down_to_adjacent_doubles) {
  // on [-1, 2] no grid point is 0: each dip of |g| is narrowed until g is exactly 0 (x^2
  // underflows below 1e-162) or its zero sits between adjacent doubles (1e-100)
  const auto at_zero = [](const char* f) {
    const auto ks = kinks_of(f, -1, 2);
    BOOST_TEST_REQUIRE(ks.size() == 1U, f);
    return ks[0];
  };
  const KinkPoint abs_like = at_zero("sqrt(x^2)");
  BOOST_TEST(abs_like.x == 0.0);
  BOOST_TEST(abs_like.side.left == -1.0);
  BOOST_TEST(abs_like.side.right == 1.0);
  const KinkPoint gap = at_zero("heaviside(x^4)");
  BOOST_TEST(gap.x == 0.0);
  BOOST_TEST(gap.side.value == 0.5);
  BOOST_TEST((gap.side.discontinuity() == Break::removable));
  BOOST_TEST(at_zero("sqrt((x - 1e-100)^2)").x == 1e-100);
  BOOST_TEST(at_zero("sqrt(x^4)").x == 0.0);  // no point at -8.8e-26, where g is 6e-101
  const auto pair = kinks_of("abs(x^2 - 1e-300)", -1, 2);
  BOOST_TEST_REQUIRE(pair.size() == 2U);
  BOOST_TEST(pair[0].x == -1e-150, boost::test_tools::tolerance(1e-15));
  BOOST_TEST(pair[1].x == 1e-150, boost::test_tools::tolerance(1e-15));
}
