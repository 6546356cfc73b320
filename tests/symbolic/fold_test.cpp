// SPDX-License-Identifier: MIT
// fold: one piecewise over intervals of x. Each case states the folded form a textbook writes
// and checks it against the derivative worked out by hand, at and beside every switch point.
#include <boost/test/unit_test.hpp>
#include <cmath>
#include <functional>
#include <limits>
#include <numbers>

#include "slope/slope.hpp"
#include "support/random.hpp"
#include "support/w4_chains.hpp"

using namespace slope;

namespace {
const Expr x = var("x");

double at(const Expr& f, double v) { return eval(f, {{"x", v}}); }

/// The number of branches of a piecewise chain (1 for a plain expression).
int branches(const Expr& e) {
  return e.op() == Op::Piecewise ? branches(e.arg(1)) + branches(e.arg(2)) : 1;
}

/// f equals `truth` at every switch point, the doubles next to them, and a grid.
void equals_everywhere(const Expr& f, const std::function<double(double)>& truth,
                       std::initializer_list<double> points) {
  std::vector<double> xs;
  for (double p : points)
    xs.insert(xs.end(),
              {p, std::nextafter(p, -HUGE_VAL), std::nextafter(p, HUGE_VAL), p - 0.25, p + 0.25});
  for (int i = -40; i <= 40; ++i) xs.push_back(i / 8.0);
  for (double v : xs) BOOST_TEST(at(f, v) == truth(v), "at x = " << v << ": " << to_text(f));
}
}  // namespace

BOOST_AUTO_TEST_CASE(a_sum_of_abs_folds_into_one_piecewise_left_to_right) {
  const Expr d = diff(abs(x - 1) + abs(x + 1), "x");
  // min_norm takes abs'(0) = 0, so each kink point has a value of its own: -1 and 1.
  BOOST_TEST((d == piecewise({{x < -1, -2}, {eq(x, -1), -1}, {x < 1, 0}, {eq(x, 1), 1}}, 2)),
             to_text(d));
  equals_everywhere(d,
                    [](double v) {
                      return v < -1 ? -2 : v == -1 ? -1 : v < 1 ? 0 : v == 1 ? 1 : 2;
                    },
                    {-1, 1});
  // Under `left`, the kinks take the left slope and merge with their left neighbours.
  const Expr left = diff(abs(x - 1) + abs(x + 1), "x", Convention::left);
  BOOST_TEST((left == piecewise({{x <= -1, -2}, {x <= 1, 0}}, 2)), to_text(left));
}

BOOST_AUTO_TEST_CASE(relu_plus_its_mirror_is_the_sign) {
  const Expr d = diff(relu(x) + relu(-x), "x");
  BOOST_TEST((d == piecewise({{x < 0, -1}, {eq(x, 0), 0}}, 1)), to_text(d));
  equals_everywhere(d, [](double v) { return v < 0 ? -1 : v == 0 ? 0 : 1; }, {0});
}

BOOST_AUTO_TEST_CASE(hardtanh_plus_relu6_has_one_branch_per_slope) {
  const Expr d = diff(hardtanh(x) + relu6(x), "x");
  BOOST_TEST((d == piecewise({{x <= -1, 0}, {x <= 0, 1}, {x < 1, 2}, {x < 6, 1}}, 0)), to_text(d));
  equals_everywhere(d,
                    [](double v) {
                      const double h = -1 < v && v < 1 ? 1 : 0, r = 0 < v && v < 6 ? 1 : 0;
                      return h + r;
                    },
                    {-1, 0, 1, 6});
}

BOOST_AUTO_TEST_CASE(nested_leaky_relu_is_two_pieces_at_any_depth) {
  Expr f = x;
  for (int depth = 1; depth <= 3; ++depth) f = leaky_relu(f, 0.1);
  const Expr d = diff(f, "x");
  const double below = 0.1 * 0.1 * 0.1;  // min_norm at 0 takes the smaller slope, 0.1, thrice
  BOOST_TEST((d == where(x > 0, 1, Expr(0.1) * 0.1 * 0.1)), to_text(d));
  equals_everywhere(d, [&](double v) { return v > 0 ? 1 : below; }, {0});
  // Twenty deep: still two branches, and a graph that grew linearly on the way.
  for (int depth = 4; depth <= 20; ++depth) f = leaky_relu(f, 0.5);
  const Expr d20 = diff(f, "x");
  BOOST_TEST(branches(d20) == 2);
  BOOST_TEST(at(d20, -1) == std::pow(0.5, 17) * below);
  BOOST_TEST(at(d20, 1) == 1);
}

BOOST_AUTO_TEST_CASE(a_chain_with_offsets_is_one_case_per_interval_however_deep) {
  // leaky_relu(.. + c_i, 0.5), c_i = -0.01, 0.02, -0.03, ...: each layer leaves its negative
  // side at its own x, and the slope doubles there. One pass solves one layer's condition, so
  // eight layers fold only if fold goes on passing (it stopped after four, leaving a case
  // inside a case).
  Expr f = x;
  for (int i = 1; i <= 8; ++i) f = leaky_relu(f + (i % 2 ? -1 : 1) * i / 100.0, 0.5);
  const Expr d = diff(f, "x");
  BOOST_TEST(branches(d) == 9, to_text(d));
  for (Expr rest = d; rest.op() == Op::Piecewise; rest = rest.arg(2))
    BOOST_TEST(rest.arg(1).is_const(), to_text(d));  // no case inside a case
  // the slope 2^(k - 8) where k layers are on their positive side, from the chain itself
  for (double v : {-8.0, -2.0, -0.5, -0.1, 0.0, 0.015, 0.025, 0.035, 0.05}) {
    double u = v, slope = 1;
    for (int i = 1; i <= 8; ++i) {
      const double w = u + (i % 2 ? -1 : 1) * i / 100.0;
      slope *= w > 0 ? 1 : 0.5;
      u = w > 0 ? w : 0.5 * w;
    }
    BOOST_TEST(at(d, v) == slope, "at x = " << v);
  }
}

BOOST_AUTO_TEST_CASE(three_or_more_pieces_run_left_to_right_each_ending_at_its_condition) {
  // leaky_relu(.. - 0.01*i, 0.5), i = 0..k-1: k + 1 pieces, switching at 0, 0.01, 0.03, 0.06,
  // 0.1, 0.15. Piece j's condition holds just left of the j-th switch and not just right of it
  // (x <= t, or a comparison kept as written where t has no short form): the 4-deep chain once
  // ended `x > 0.06: 1, otherwise: 0.5`, the last two pieces right one first.
  for (int depth = 3; depth <= 6; ++depth) {
    Expr f = x;
    for (int i = 0; i < depth; ++i) f = leaky_relu(f - 0.01 * i, 0.5);
    const Expr d = diff(f, "x");
    BOOST_TEST(branches(d) == depth + 1, to_text(d));
    double t = 0;
    int j = 0;
    for (Expr rest = d; rest.op() == Op::Piecewise; rest = rest.arg(2), ++j) {
      t += 0.01 * j;
      BOOST_TEST(eval(rest.arg(0), {{"x", t - 1e-9}}) == 1.0, "piece " << j << ": " << to_text(d));
      BOOST_TEST(eval(rest.arg(0), {{"x", t + 1e-9}}) == 0.0, "piece " << j << ": " << to_text(d));
    }
  }
}

BOOST_AUTO_TEST_CASE(range_reasoning_removes_branches_that_never_happen) {
  // relu(x^2) is x^2: its derivative 2*x everywhere (0 at 0 on either reading).
  BOOST_TEST((diff(relu(pow(x, 2)), "x") == 2 * x), to_text(diff(relu(pow(x, 2)), "x")));
  // exp is never 0, so relu(exp(x))' is exp(x) under every convention.
  for (Convention c : all_conventions)
    BOOST_TEST((diff(relu(exp(x)), "x", c) == exp(x)), to_string(c));
  // abs(relu(x)) is relu(x): no branch for a negative relu.
  const Expr d = diff(abs(relu(x)), "x");
  BOOST_TEST((d == where(x > 0, 1, 0)), to_text(d));
}

BOOST_AUTO_TEST_CASE(a_staircase_reads_step_by_step) {
  const Expr stairs = (x > 0) + (x > 1) + (x > 2);
  const Expr folded = simplify(stairs);
  BOOST_TEST((folded == piecewise({{x <= 0, 0}, {x <= 1, 1}, {x <= 2, 2}}, 3)), to_text(folded));
  equals_everywhere(folded, [](double v) { return (v > 0) + (v > 1) + (v > 2); }, {0, 1, 2});
}

BOOST_AUTO_TEST_CASE(switch_points_are_the_exact_doubles_where_the_comparison_flips) {
  // 3*x - 1 > 0 switches near 1/3; the folded test must agree with it at every double there.
  const Expr f = where(3 * x - 1 > 0, 1, 0) + where(x > 2, 1, 0);
  const Expr folded = fold(f, "x");
  BOOST_TEST(branches(folded) == 3);
  double v = 1.0 / 3 - 20 * std::numeric_limits<double>::epsilon();
  for (int i = 0; i < 80; ++i, v = std::nextafter(v, HUGE_VAL))
    BOOST_TEST(at(folded, v) == at(f, v), "at x = " << v);
}

BOOST_AUTO_TEST_CASE(x_on_both_sides_of_a_comparison_is_solved_when_the_sides_move_apart) {
  // max(x, 2 - x): one side rises as the other falls, so the tie is the one point x = 1.
  const Expr d = diff(max(x, 2 - x), "x");
  BOOST_TEST((d == piecewise({{x < 1, -1}, {eq(x, 1), 0}}, 1)), to_text(d));
  equals_everywhere(d, [](double v) { return v < 1 ? -1 : v == 1 ? 0 : 1; }, {1});
  // 1 - x/3 < 2*x switches at 3/7, which no double is: the comparison itself is kept
  const Expr f = where(1 - x / 3 < 2 * x, 5, 0);
  const Expr folded = fold(f, "x");
  double v = 3.0 / 7 - 20 * std::numeric_limits<double>::epsilon();
  for (int i = 0; i < 80; ++i, v = std::nextafter(v, HUGE_VAL))
    BOOST_TEST(at(folded, v) == at(f, v), "at x = " << v << ": " << to_text(folded));
  // Both sides rising (3*x > x + 1): as written, rounding could make the truth flip near the
  // root; simplify moves x to one side first (2*x > 1, as algebra does, like collecting terms),
  // which fold then solves as a textbook does.
  const Expr same_way = where(3 * x > x + 1, 1, 0);
  BOOST_TEST((fold(same_way, "x") == where(x > 0.5, 1, 0)), to_text(fold(same_way, "x")));
  BOOST_TEST(to_text(simplify(3 * x > x + 1)) == "2*x > 1");
  BOOST_TEST(to_text(simplify(x + 1 >= 3 * x)) == "-2*x >= -1");
  BOOST_TEST(to_text(simplify(-x > -2 * x - 4)) == "x > -4");
  const Expr solved = diff(where(3 * x > x + 1, x * x, 0), "x");
  BOOST_TEST((solved == where(x > 0.5, 2 * x, 0)), to_text(solved));
  equals_everywhere(solved, [](double v) { return v > 0.5 ? 2 * v : 0; }, {0.5});
  // with a second variable, or x on one side only, nothing moves
  const Expr y = var("y");
  BOOST_TEST(to_text(simplify(3 * x > x + y)) == "3*x > x + y");
}

BOOST_AUTO_TEST_CASE(what_cannot_be_solved_for_x_stays_as_written) {
  // Conditions in two variables, or not affine in x, are left alone.
  const Expr w = var("w"), b = var("b");
  const Expr two = where(w * x + b > 0, w, 0);
  BOOST_TEST((fold(two, "x") == two));
  const Expr curved = where(sin(x) > 0, 1, 0);
  BOOST_TEST((fold(curved, "x") == curved));
  // Two pieces read the way tutorials write relu': `1 if x > 0, 0 otherwise`.
  const Expr two_pieces = where(x > 0, 1, 0);
  BOOST_TEST((fold(where(x <= 0, 0, 1), "x") == two_pieces));
  BOOST_TEST((diff(relu(x), "x") == two_pieces));
  BOOST_TEST((fold(where(x < 2, 0, 1), "x") == where(x >= 2, 1, 0)));
  // ... and the piece that is not 0 comes first: the hinge loss max(0, 1 - x).
  const Expr hinge = diff(max(0, 1 - x), "x");
  BOOST_TEST((hinge == where(x < 1, -1, 0)), to_text(hinge));
  equals_everywhere(hinge, [](double v) { return v < 1 ? -1 : 0; }, {1});
}

BOOST_AUTO_TEST_CASE(a_point_inside_one_formula_is_an_exception_not_a_split) {
  // sin(x)^2 > 0 fails at the multiples of pi: f = x but 2x there, and at 0 the two meet. The
  // cases a reader wants: 1 at 0 and wherever sin(x) != 0, 2 (the branch taken) at the others;
  // not the formula repeated on each side of 0, nor tests of the second derivative (sin(x) == 0
  // and sin(x)*cos(x) != 0 never holds).
  const Expr d = diff(where(pow(sin(x), 2) > 0, x, 2 * x), "x");
  BOOST_TEST((d == where(logical_or(eq(x, 0), ne(sin(x), 0)), 1, 2)), to_text(d));
  const double pi = std::numbers::pi;
  equals_everywhere(d, [](double v) { return v == 0 || std::sin(v) != 0 ? 1 : 2; }, {0, pi});
  // Split at 0 by the x == 0 case, each side is the same formula: one case with the exception.
  const Expr side = where(sin(x) > 0, x, 3);
  const Expr folded = fold(where(x < 0, side, where(eq(x, 0), 5, side)), "x");
  BOOST_TEST((folded == where(eq(x, 0), 5, side)), to_text(folded));
  // Cases fewer as written stay as written: a split would repeat sin(u) == 0 on each side.
  const Expr u = var("u");
  const Expr few = where(logical_and(eq(sin(u), 0), x > 0), u, 3);
  BOOST_TEST((simplify(few) == few), to_text(simplify(few)));
}

BOOST_AUTO_TEST_CASE(folding_never_changes_a_value) {
  // Random expressions in x (y held at a number): fold(e) equals e on a grid and at every
  // switch point of e's affine conditions, where a wrong closed/open end would show.
  testing::RandomExpr random(2024);
  int folded_some = 0;
  for (int i = 0; i < 3000; ++i) {
    Expr e = random.make(3);
    if (i % 2) {  // half of them with an affine test for sure: a hinge on a random line
      const double slope = std::round(random.rng().symmetric() * 300) / 100;
      const double offset = std::round(random.rng().symmetric() * 300) / 100;
      e = e + where(slope * x + offset > 0, random.make(1), random.make(1));
    }
    e = substitute(e, {{"y", Expr(0.5)}});
    const Expr f = fold(e, "x");
    if (branches(f) > 1 && !(f == e)) ++folded_some;
    std::vector<double> xs;
    for (int k = -24; k <= 24; ++k) xs.push_back(k / 8.0);
    for (const Expr& n : topological_order(e))
      if (is_comparison(n.op()) && n.arg(1).is_const())
        for (double p : {n.arg(1).value(), -n.arg(1).value()})
          xs.insert(xs.end(), {p, std::nextafter(p, -HUGE_VAL), std::nextafter(p, HUGE_VAL)});
    // ... and the switch points fold found, which are the ends of its conditions.
    for (const Expr& n : topological_order(f))
      if (is_comparison(n.op()) && n.arg(0) == x && n.arg(1).is_const()) {
        const double p = n.arg(1).value();
        xs.insert(xs.end(), {p, std::nextafter(p, -HUGE_VAL), std::nextafter(p, HUGE_VAL)});
      }
    for (double v : xs) {
      const double want = at(e, v), got = at(f, v);
      // Algebra may round differently ((x - 0.5) + 0.5 is x): equal to 1e-12, absolute near 0.
      const bool same = (std::isnan(want) && std::isnan(got)) || want == got ||
                        std::abs(want - got) <= 1e-12 * (1 + std::abs(want));
      BOOST_TEST(same, to_text(e) << " at x = " << v << ": " << to_text(f));
    }
  }
  BOOST_TEST(folded_some > 100);  // the property is about folds that happened
}

BOOST_AUTO_TEST_CASE(conditions_on_inner_pieces_fold_in_a_second_pass) {
  // abs(x) - 1 > 0 is not affine in x; on x < 0 it reads -x - 1 > 0, which a second pass solves.
  const Expr d = diff(abs(abs(x) - 1), "x");
  BOOST_TEST(
      (d ==
       piecewise(
           {{x < -1, -1}, {eq(x, -1), 0}, {x < 0, 1}, {eq(x, 0), 0}, {x < 1, -1}, {eq(x, 1), 0}},
           1)),
      to_text(d));
  equals_everywhere(d,
                    [](double v) {
                      if (v == -1 || v == 0 || v == 1) return 0.0;
                      return (std::abs(v) > 1 ? 1.0 : -1.0) * (v > 0 ? 1.0 : -1.0);
                    },
                    {-1, 0, 1});
  // The outer leaky_relu switches where the inner one is 1: at x = 1, seen once x > 0 is known.
  const Expr leaky = diff(leaky_relu(leaky_relu(x, 0.5) - 1, 0.1), "x");
  BOOST_TEST((leaky == piecewise({{x <= 0, 0.05}, {x <= 1, 0.1}}, 1)), to_text(leaky));
  equals_everywhere(leaky, [](double v) { return v <= 0 ? 0.05 : v <= 1 ? 0.1 : 1; }, {0, 1});
}

BOOST_AUTO_TEST_CASE(a_folded_derivative_folds_to_itself) {
  // fold stops early when its result is already folded; had it stopped too early, folding the
  // result again would change it (an elu inside a piece simplifies once its interval is known).
  std::vector<Expr> fs{abs(abs(x) - 1), relu(x - 1) * relu(2 - x)};
  for (const std::string_view kind : w4::chains) fs.push_back(w4::chain(kind, 3));
  for (const Expr& f : fs) {
    const Expr d = diff(f, "x");  // diff folds its result
    BOOST_TEST((fold(d, "x") == d), to_text(f) << "\n  " << to_text(d));
  }
}

BOOST_AUTO_TEST_CASE(a_factor_in_x_goes_into_the_pieces) {
  // x*leaky_relu(x)' = 2x for x > 0 and 0.02x otherwise, as a textbook writes it, not
  // x*piecewise(x > 0: 2, otherwise: 0.02)
  const Expr leaky = diff(x * leaky_relu(x), "x");
  BOOST_TEST((leaky == where(x > 0, 2 * x, 0.02 * x)), to_text(leaky));
  equals_everywhere(leaky, [](double v) { return v > 0 ? 2 * v : 0.02 * v; }, {0});
  const Expr odd_square = diff(x * abs(x), "x");  // x|x| = x^2 sign(x)
  BOOST_TEST((odd_square == where(x > 0, 2 * x, -2 * x)), to_text(odd_square));
  equals_everywhere(odd_square, [](double v) { return 2 * std::abs(v); }, {0});
  // a factor free of x stays outside: it is the chain rule's factor
  const Expr w = var("w");
  const Expr scaled = simplify(w * where(x > 0, 1, 0.5));
  BOOST_TEST(to_text(scaled) == "w*piecewise(x > 0: 1, otherwise: 0.5)");
}

BOOST_AUTO_TEST_CASE(an_equality_that_holds_at_no_double_is_false) {
  // x + 0.01 is never exactly -0.02: the sides pass each other between two adjacent doubles
  // (abs(abs(abs(x + 0.01) - 0.02) + 0.03)' kept this test as an unreachable branch)
  const Expr never = where(eq(x + 0.01, -0.02), 5, 2 * x);
  BOOST_TEST(to_text(fold(never, "x")) == "2*x");
  for (double v : {-0.03, std::nextafter(-0.03, 0.0), std::nextafter(-0.03, -1.0)})
    BOOST_TEST(at(never, v) == 2 * v);
  // where the sides do meet at a double, the point stays
  BOOST_TEST(to_text(fold(where(eq(x + 0.5, 1), 5, 2 * x), "x")) ==
             "piecewise(x == 0.5: 5, otherwise: 2*x)");
}

BOOST_AUTO_TEST_CASE(an_equality_that_holds_at_two_doubles_is_one_stretch) {
  // 3*x + 1 rounds to 0 at two doubles, -0.33333333333333337 and -0.3333333333333333 (a helper
  // found abs(2*x - 1) + abs(3*x + 1)' printed with nested cases, one never reached): abs' is
  // min_norm's 0 at both, and the cases run left to right with the stretch's ends as f rounds
  const Expr f = abs(2 * x - 1) + abs(3 * x + 1), d = diff(f, "x");
  BOOST_TEST(to_text(d) ==
             "piecewise(3*x < -1: -5, x <= -1/3: -2, x < 0.5: 1, x == 0.5: 3, otherwise: 5)");
  // the truth, read off f's own arithmetic: each abs has slope -+k or 0 where its argument is
  const auto abs_slope = [](double u, double k) { return u < 0 ? -k : u > 0 ? k : 0.0; };
  const auto truth = [&](double v) { return abs_slope(2 * v - 1, 2) + abs_slope(3 * v + 1, 3); };
  const double first = -0.33333333333333337, last = -0.3333333333333333;
  BOOST_TEST(3 * first + 1 == 0);
  BOOST_TEST(3 * last + 1 == 0);
  equals_everywhere(d, truth, {first, last, 0.5});
  // one abs alone, falling: its stretch is written from the other side
  const Expr g = diff(abs(1 - 3 * x), "x");
  equals_everywhere(g, [&](double v) { return abs_slope(1 - 3 * v, -3); }, {-first, -last});
  BOOST_TEST(branches(g) == 3);
}

BOOST_AUTO_TEST_CASE(sides_that_round_to_one_number_on_a_stretch_switch_at_its_ends) {
  // 1 - x and x + 1 are both 1 for |x| up to 1.1e-16: max(abs(x - 1), abs(x + 1))' ties on that
  // whole stretch (a helper found it printed as nested cases)
  const Expr d = diff(max(abs(x - 1), abs(x + 1)), "x");
  BOOST_TEST(branches(d) == 3, to_text(d));
  const auto truth = [](double v) {  // read off f's own arithmetic; a tie is min_norm's 0
    const double a = std::abs(v - 1), b = std::abs(v + 1);
    return a > b ? (v - 1 < 0 ? -1.0 : 1.0) : b > a ? (v + 1 < 0 ? -1.0 : 1.0) : 0.0;
  };
  equals_everywhere(
      d, truth,
      {-1, 0, 1, 1e-17, -1e-17, 1.1102230246251565e-16, -1.1102230246251565e-16, 2e-16, -2e-16});
}
