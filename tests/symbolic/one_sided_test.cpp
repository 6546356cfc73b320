// SPDX-License-Identifier: MIT
// one_sided: exact one-sided derivatives of whole expressions at their kinks, for every kinked
// op row and for compositions, against hand-worked values (issue 11) and, for 10,000 random
// compositions, against one-sided difference quotients of f itself taken just off the point.
#include <boost/test/data/monomorphic.hpp>
#include <boost/test/data/test_case.hpp>
#include <boost/test/unit_test.hpp>
#include <cmath>
#include <limits>

#include "slope/slope.hpp"
#include "support/random.hpp"

using namespace slope;
namespace bdata = boost::unit_test::data;

namespace {

const double inf = std::numeric_limits<double>::infinity();
const double nan = std::numeric_limits<double>::quiet_NaN();

struct Case {
  std::string f;  // as a user types it
  Env at;
  double left, right;
  bool continuous;
  std::string wrt = "x";
};
std::ostream& operator<<(std::ostream& os, const Case& c) { return os << c.f; }

// The slopes are the mathematics, worked by hand from the pieces on each side.
const Case cases[] = {
    // every kinked op row, at its kink
    {"relu(x)", {{"x", 0}}, 0, 1, true},
    {"abs(x)", {{"x", 0}}, -1, 1, true},
    {"sign(x)", {{"x", 0}}, 0, 0, false},
    {"max(x, 0.5)", {{"x", 0.5}}, 0, 1, true},
    {"min(x, 0.5)", {{"x", 0.5}}, 1, 0, true},
    {"clamp(x, -1, 2)", {{"x", -1}}, 0, 1, true},
    {"clamp(x, -1, 2)", {{"x", 2}}, 1, 0, true},
    {"leaky_relu(x, 0.01)", {{"x", 0}}, 0.01, 1, true},
    {"prelu(x, 0.25)", {{"x", 0}}, 0.25, 1, true},
    {"elu(x, 0.5)", {{"x", 0}}, 0.5, 1, true},
    {"elu(x)", {{"x", 0}}, 1, 1, true},
    {"hardtanh(x)", {{"x", 1}}, 1, 0, true},
    {"relu6(x)", {{"x", 6}}, 1, 0, true},
    {"heaviside(x)", {{"x", 0}}, 0, 0, false},
    {"hardswish(x)", {{"x", 3}}, 1.5, 1, true},
    {"hardswish(x)", {{"x", -3}}, 0, -0.5, true},
    {"hardsigmoid(x)", {{"x", 3}}, 1.0 / 6, 0, true},
    {"softsign(x)", {{"x", 0}}, 1, 1, true},
    // selu: scale*alpha*e^x | scale, PyTorch's published constants
    {"selu(x)",
     {{"x", 0}},
     1.0507009873554804934 * 1.6732632423543772848,
     1.0507009873554804934,
     true},
    {"sqrt(x)", {{"x", 0}}, std::nan(""), inf, true},
    // the kinks the table above left out: each bound of the clamped activations
    {"hardtanh(x)", {{"x", -1}}, 0, 1, true},
    {"relu6(x)", {{"x", 0}}, 0, 1, true},
    {"hardsigmoid(x)", {{"x", -3}}, 0, 1.0 / 6, true},
    {"clamp(x, 0, 1)", {{"x", 0}}, 0, 1, true},
    // smooth rows at 0, where their pieces' formulas meet: erf' = 2/sqrt(pi); gelu', silu' and
    // softplus' are 1/2; mish'(0) = tanh(softplus(0)) = tanh(log 2) = 3/5; tanh' = 1
    {"erf(x)", {{"x", 0}}, 2 / std::sqrt(std::acos(-1.0)), 2 / std::sqrt(std::acos(-1.0)), true},
    {"gelu(x)", {{"x", 0}}, 0.5, 0.5, true},
    {"silu(x)", {{"x", 0}}, 0.5, 0.5, true},
    {"softplus(x)", {{"x", 0}}, 0.5, 0.5, true},
    {"mish(x)", {{"x", 0}}, 0.6, 0.6, true},
    {"tanh(x)", {{"x", 0}}, 1, 1, true},
    // every comparison and logical op jumps (0 to 1 or back), with slope 0 on both sides
    {"x < 1", {{"x", 1}}, 0, 0, false},
    {"x <= 1", {{"x", 1}}, 0, 0, false},
    {"x > 1", {{"x", 1}}, 0, 0, false},
    {"x >= 1", {{"x", 1}}, 0, 0, false},
    {"x > 0 and x < 2", {{"x", 0}}, 0, 0, false},
    {"x < 0 or x > 2", {{"x", 2}}, 0, 0, false},
    {"not x > 0", {{"x", 0}}, 0, 0, false},
    {"x == 1", {{"x", 1}}, 0, 0, false},
    {"x != 1", {{"x", 1}}, 0, 0, false},
    {"piecewise(x < 0: x^2, otherwise: x + 1)", {{"x", 0}}, 0, 1, false},
    // compositions: smooth although an op sits on its kink
    {"x*relu(x)", {{"x", 0}}, 0, 0, true},
    {"relu(x)^2", {{"x", 0}}, 0, 0, true},
    {"abs(x)^3", {{"x", 0}}, 0, 0, true},
    {"relu(x^3)", {{"x", 0}}, 0, 0, true},
    {"relu(x) - relu(-x)", {{"x", 0}}, 1, 1, true},
    // jumps and infinite slopes
    {"where(x > 0, x + 1, x)", {{"x", 0}}, 1, 1, false},
    {"where(x > 0, sqrt(x), 0)", {{"x", 0}}, 0, inf, true},
    {"sqrt(relu(x))", {{"x", 0}}, 0, inf, true},
    // infinite slopes take their sign from the side: sqrt(-x) at 0 is -0, not a reason for +inf
    {"sqrt(abs(x))", {{"x", 0}}, -inf, inf, true},
    {"log(abs(x))", {{"x", 0}}, -inf, inf, false},
    {"x*log(abs(x))", {{"x", 0}}, -inf, -inf, false},  // 0 * -inf: f is undefined at 0
    {"abs(x^3)^(1/3)", {{"x", 0}}, -1, 1, true},       // a 0 * inf formula: its limit
    // the compositions
    {"max(2*x, x + 1)", {{"x", 1}}, 1, 2, true},
    {"relu(-x)", {{"x", 0}}, -1, 0, true},
    {"abs(x - 1) + abs(x + 1)", {{"x", 1}}, 0, 2, true},
    {"abs(x - 1) + abs(x + 1)", {{"x", -1}}, -2, 0, true},
    {"abs(x - 1) + abs(x + 1)", {{"x", 0}}, 0, 0, true},
    {"max(relu(x), 0.5*x)", {{"x", 0}}, 0, 1, true},
    {"relu(w*x + b)", {{"x", 0.5}, {"w", 2}, {"b", -1}}, 0, 2, true},
    {"relu(w*x + b)", {{"x", 0.5}, {"w", 2}, {"b", -1}}, 0, 0.5, true, "w"},
    {"relu(w*x + b)", {{"x", 0.5}, {"w", 2}, {"b", -1}}, 0, 1, true, "b"},
    {"relu(w*x + b)", {{"x", -0.5}, {"w", 2}, {"b", 1}}, 0, 2, true},
    {"min(x*y, 1)", {{"x", 1}, {"y", 1}}, 1, 0, true},
    {"min(x*y, 1)", {{"x", 1}, {"y", 1}}, 1, 0, true, "y"},
    // a tie that holds on a whole side is no boundary
    {"piecewise(relu(x) > 0: x^2, otherwise: 3*x)", {{"x", 0}}, 3, 0, true},
    {"piecewise(relu(x) > 0: x^2, otherwise: 3*x)", {{"x", -1}}, 3, 3, true},
    {"where(clamp(x, 0, 1) >= 1, 5*x, x)", {{"x", 3}}, 5, 5, true},
    {"where(hardtanh(x) < 1, 2*x, 7*x)", {{"x", 2}}, 7, 7, true},
    {"leaky_relu(leaky_relu(x))", {{"x", 0}}, 0.0001, 1, true},
    {"abs(sin(3*x))", {{"x", 0}}, -3, 3, true},
    // the switch decided by a higher derivative: x^3 - 3x^2 + 3x - 1 = (x - 1)^3
    {"relu(x^3 - 3*x^2 + 3*x - 1) + x", {{"x", 1}}, 1, 1, true},
    {"abs((x - 1)^2) + x", {{"x", 1}}, 1, 1, true},
    // a 0/0 formula away from 0: the limit is taken in t = x - x0, since 0.5 + 2^-60 is 0.5
    {"sqrt((x - 0.5)^2)", {{"x", 0.5}}, -1, 1, true},
    {"((x - 0.5)^2)^(1/3)", {{"x", 0.5}}, -inf, inf, true},
    {"sqrt((x - 0.3)^2) + 2*x", {{"x", 0.3}}, 1, 3, true},
    {"abs((x - 3)^3)^(1/3)", {{"x", 3}}, -1, 1, true},
    // through a pole: exp(-1/|x|) tends to 0 on both sides, flatter than any power
    {"exp(-1/abs(x))", {{"x", 0}}, 0, 0, true},
    // the edge of f's domain, under a flat piece: relu(sqrt(x)) has no values left of 0
    {"relu(sqrt(x))", {{"x", 0}}, nan, inf, true},
    {"relu(sqrt(x) - 1)", {{"x", 0}}, nan, 0, true},
    {"sqrt(x)*relu(x)", {{"x", 0}}, nan, 0, true},
    // f' has no limit beside 0, yet f's difference quotient has: x*sin(1/x) -> 0 (and times x, 1
    // more); with one power of x less the quotient sin(1/x) oscillates: no right derivative
    {"where(x > 0, x^2*sin(1/x), 0)", {{"x", 0}}, 0, 0, true},
    {"where(x > 1, (x - 1)^2*sin(1/(x - 1)), x - 1)", {{"x", 1}}, 1, 0, true},
    {"where(x < 0, x^2*cos(1/x) + 3*x, 3*x)", {{"x", 0}}, 3, 3, true},
    {"where(x > 0, x*sin(1/x), 0)", {{"x", 0}}, 0, nan, true},
    // a switch flat beyond the 8th order: its sign read off the point, at shrinking steps
    {"sign(x^9)", {{"x", 0}}, 0, 0, false},
    {"where(x^9 > 0, x, -x)", {{"x", 0}}, -1, 1, true},
    {"abs(x^9)^(1/9)", {{"x", 0}}, -1, 1, true},
    {"where(x^11 > 0, 2*x, x)", {{"x", 0}}, 1, 2, true},
    // an op switching on sin(1/x) has no piece beside 0: f's own limits, none where it keeps
    // taking values apart (a jump op), 0 where x damps it (with no right derivative then)
    {"where(x > 0, x*relu(sin(1/x)), 0)", {{"x", 0}}, 0, nan, true},
    {"where(x == 0, 0, x*sign(sin(1/x)))", {{"x", 0}}, nan, nan, true},
    // a vertical tangent: both slopes +inf, no corner and no derivative
    {"relu(x)^0.5 - relu(-x)^0.5", {{"x", 0}}, inf, inf, true},
    // pieces that overflow just off the point yet are continuous there (every node finite at
    // 0): their limits and slopes are their values, not "a pole"
    {"where(x > 0, exp(1e300*x), 1)", {{"x", 0}}, 0, 1e300, true},
    {"where(x < 0, exp(exp(-1e300*x)) - exp(1), 0)", {{"x", 0}}, -1e300 * std::exp(1.0), 0, true},
    // constants whose product overflows stay apart, so f is 0 at 0 and continuous (its slopes,
    // -+1e400, overflow); combined into inf*x it was NaN there and read as a pole
    {"abs(x*1e200)*1e200", {{"x", 0}}, -inf, inf, true},
    {"relu(1e200*x)*1e200 + x", {{"x", 0}}, 1, inf, true},
};

bool same(double a, double b) {
  if (std::isnan(a) || std::isnan(b)) return std::isnan(a) && std::isnan(b);
  if (std::isinf(a) || std::isinf(b)) return a == b;
  return a == b || std::abs(a - b) <= 1e-12 * std::max(1.0, std::abs(b));
}

}  // namespace

BOOST_DATA_TEST_CASE(exact_one_sided_derivatives, bdata::make(cases), c) {
  const OneSided s = one_sided(parse(c.f), c.wrt, c.at);
  BOOST_TEST(same(s.left, c.left), c.f << " left: " << s.left << ", expected " << c.left);
  BOOST_TEST(same(s.right, c.right), c.f << " right: " << s.right << ", expected " << c.right);
  BOOST_TEST(s.continuous == c.continuous);
  BOOST_TEST(s.differentiable() ==
             (c.continuous && same(c.left, c.right) && std::isfinite(c.left)));
  BOOST_TEST(same(s.value, eval(parse(c.f), c.at)));
}

BOOST_AUTO_TEST_CASE(limits_of_f_at_poles_and_holes_are_the_true_one_sided_limits) {
  struct Case {
    const char* f;
    double at, left_limit, right_limit;
  };
  const double inf = std::numeric_limits<double>::infinity();
  const Case cases[] = {
      {"1/abs(x - 1)", 1, inf, inf},  // the left piece -1/(x - 1) gives -1/+0 at the point
      {"1/(x - 3)", 3, -inf, inf},    // away from 0: a step of 2^-60 would not move x
      {"-1/abs(x + 100)", -100, -inf, -inf},
      {"sin(x)/x", 0, 1, 1},  // 0/0 at the point, 1 on both sides
      {"relu(x)/x", 0, 0, 1},
      // the value at the point is no limit where an argument passes through a pole: 1/0 is
      // +inf, but from the left 1/x falls to -inf
      {"tanh(1/x)", 0, -1, 1},
      {"sigmoid(1/x)", 0, 0, 1},
      {"exp(1/x)", 0, 0, inf},
      {"exp(-1/x)", 0, inf, 0},
      {"relu(1/x)", 0, 0, inf},
  };
  for (const Case& c : cases) {
    const OneSided s = one_sided(parse(c.f), "x", {{"x", c.at}});
    BOOST_TEST(s.left_limit == c.left_limit, c.f);
    BOOST_TEST(s.right_limit == c.right_limit, c.f);
    BOOST_TEST(!s.continuous, c.f);
  }
  // no limit at all: sin(1/x) keeps oscillating, and log(x) has no values left of 0
  for (const char* f : {"sin(1/x)", "log(x)"})
    BOOST_TEST(std::isnan(one_sided(parse(f), "x", {{"x", 0}}).left_limit), f);
  BOOST_TEST(std::isnan(one_sided(parse("x*sin(1/x)"), "x", {{"x", 0}}).right), "no slope");
}

BOOST_AUTO_TEST_CASE(whole_expression_conventions_combine_the_one_sided_slopes) {
  const OneSided s = one_sided(parse("max(2*x, x + 1)"), "x", {{"x", 1}});  // slopes 1 and 2
  BOOST_TEST(s.whole(Convention::left) == 1.0);
  BOOST_TEST(s.whole(Convention::right) == 2.0);
  BOOST_TEST(s.whole(Convention::average) == 1.5);
  BOOST_TEST(s.whole(Convention::min_norm) == 1.0);  // the point of [1, 2] closest to 0
  BOOST_TEST(std::isnan(s.whole(Convention::undefined)));
  // the composition trap: relu(x) - relu(-x) is x, yet op by op min_norm gives 0 at 0
  const Expr trap = relu(var("x")) - relu(-var("x"));
  BOOST_TEST(eval(diff(trap, "x"), {{"x", 0}}) == 0.0);
  BOOST_TEST(one_sided(trap, "x", {{"x", 0}}).whole(Convention::min_norm) == 1.0);
  // a jump whose pieces share slope 1: f has no derivative, so whole:undefined gives none,
  // while whole:left takes the left piece's slope
  const Expr jump = parse("where(x > 0, x + 1, x)");
  const OneSided j = one_sided(jump, "x", {{"x", 0}});
  BOOST_TEST(std::isnan(j.whole(Convention::undefined)));
  BOOST_TEST(j.whole(Convention::left) == 1.0);
  BOOST_TEST(std::isnan(whole_gradient(jump, {"x"}, {{"x", 0}}, Convention::undefined)[0]));
  BOOST_TEST(whole_gradient(jump, {"x"}, {{"x", 0}}, Convention::right)[0] == 1.0);
  BOOST_TEST(whole_gradient(jump, {"x"}, {{"x", 1}}, Convention::undefined)[0] == 1.0);
}

BOOST_AUTO_TEST_CASE(a_missing_variable_is_an_error) {
  BOOST_CHECK_THROW(one_sided(parse("relu(x)"), "x", {{"y", 0}}), std::invalid_argument);
}

namespace {
/// A random composition of depth 3; every third a condition on a saturated activation, which
/// ties with its bound on a whole stretch (relu(u) > 0 for u < 0).
Expr random_composition(testing::RandomExpr& gen, int e) {
  if (e % 3 != 0) return gen.make(3);
  const Expr u = gen.make(2);
  const Expr sat[] = {relu(u) > 0, hardtanh(u) >= 1, clamp(u, 0, 1) <= 0, relu6(u) < 6,
                      eq(relu(u), 0)};
  return where(sat[gen.rng().below(5)], gen.make(2), gen.make(2));
}
}  // namespace

// Random compositions, including conditions on saturated activations, at points where kinks
// sit exactly (a lattice). The reference is f itself: on each side, the difference quotient
// (f(x0 + 2h) - f(x0 + h)) / h of the piece just off the point (so a jump at x0 does not enter),
// used only where two step sizes agree (no other kink within 2h).
BOOST_AUTO_TEST_CASE(random_compositions_match_one_sided_difference_quotients) {
  testing::RandomExpr gen(1111);
  const Expr x = var("x"), y = var("y");
  const double lattice[] = {-1, -0.5, 0, 0.5, 1};
  int compared = 0, at_kinks = 0;
  for (int e = 0; e < 10000; ++e) {
    const Expr f = random_composition(gen, e);
    const Env at{{"x", lattice[gen.rng().below(5)]}, {"y", lattice[gen.rng().below(5)]}};
    if (!std::isfinite(eval(f, at))) continue;
    const OneSided s = one_sided(f, "x", at);
    for (int side : {-1, 1}) {
      auto quotient = [&](double h) {
        Env near = at, nearer = at;
        near["x"] += side * 2 * h;
        nearer["x"] += side * h;
        return side * (eval(f, near) - eval(f, nearer)) / h;
      };
      const double q1 = quotient(1e-5), q2 = quotient(1e-6);
      if (!std::isfinite(q1) || !std::isfinite(q2) || std::abs(q1 - q2) > 1e-4 * (1 + std::abs(q2)))
        continue;  // not smooth on this side within 2h, or undefined there
      const double exact = side < 0 ? s.left : s.right;
      ++compared;
      at_kinks += testing::on_a_boundary(f, at);
      BOOST_TEST(std::abs(exact - q2) <= 1e-4 * (1 + std::abs(q2)),
                 to_text(f) << " at x=" << at.at("x") << ", y=" << at.at("y") << " from the "
                            << (side < 0 ? "left" : "right") << ": " << exact << ", quotient "
                            << q2);
    }
  }
  BOOST_TEST(compared > 15000);
  BOOST_TEST(at_kinks > 1000);  // many of the points sit exactly on a kink
}

// The whole-expression gradient, checked against the pieces worked by hand. Every answer lies in
// the Clarke generalized gradient (the convex hull of the pieces' gradients at the point).
BOOST_AUTO_TEST_CASE(whole_gradients_are_lexicographic_derivatives) {
  auto whole = [](const char* f, std::vector<std::string> vars, const Env& at, Convention c) {
    return whole_gradient(parse(f), vars, at, c);
  };
  using V = std::vector<double>;
  // one variable: the convention applied to f's one-sided slopes
  BOOST_TEST(whole("max(2*x, x + 1)", {"x"}, {{"x", 1}}, Convention::min_norm) == V{1});
  BOOST_TEST(whole("max(2*x, x + 1)", {"x"}, {{"x", 1}}, Convention::average) == V{1.5});
  BOOST_TEST(whole("relu(x) - relu(-x)", {"x"}, {{"x", 0}}, Convention::min_norm) == V{1});
  // min(x*y, 1) at (1, 1): pieces x*y (gradient (1, 1)) below, 1 (gradient (0, 0)) above
  const Env one{{"x", 1}, {"y", 1}};
  BOOST_TEST(whole("min(x*y, 1)", {"x", "y"}, one, Convention::left) == (V{1, 1}));
  BOOST_TEST(whole("min(x*y, 1)", {"x", "y"}, one, Convention::right) == (V{0, 0}));
  BOOST_TEST(whole("min(x*y, 1)", {"x", "y"}, one, Convention::average) == (V{0.5, 0.5}));
  BOOST_TEST(whole("min(x*y, 1)", {"x", "y"}, one, Convention::min_norm) == (V{0, 0}));
  // relu(x - y) at (0, 0) with y moving slower: x leads, so going up the piece is x - y
  const Env zero{{"x", 0}, {"y", 0}};
  BOOST_TEST(whole("relu(x - y)", {"x", "y"}, zero, Convention::right) == (V{1, -1}));
  BOOST_TEST(whole("relu(x - y)", {"x", "y"}, zero, Convention::left) == (V{0, 0}));
  // x*y sits on relu's kink only along an axis: decided by the mixed term, t1 * t2 > 0
  BOOST_TEST(whole("relu(x*y) + x", {"x", "y"}, zero, Convention::right) == (V{1, 0}));
  // min_norm: the point of the segment between the two closest to 0, not per component
  BOOST_TEST(whole("abs(x + y) + x", {"x", "y"}, zero, Convention::min_norm) == (V{0.5, -0.5}));
  // an infinite one-sided slope: min_norm takes the finite end ([1, inf] gives 1), or 0 where
  // the slopes run from -inf to inf (sqrt(abs(x)) at 0)
  const Env x0{{"x", 0}};
  BOOST_TEST(whole("where(x > 0, sqrt(x), x)", {"x"}, x0, Convention::min_norm) == V{1});
  BOOST_TEST(whole("sqrt(relu(x))", {"x"}, x0, Convention::min_norm) == V{0});
  BOOST_TEST(whole("sqrt(abs(x))", {"x"}, x0, Convention::min_norm) == V{0});
  BOOST_TEST(whole("where(x > 0, -sqrt(x), x)", {"x"}, x0, Convention::min_norm) == V{0});
  BOOST_TEST(whole("where(x > 0, sqrt(x), x) + y", {"x", "y"}, {{"x", 0}, {"y", 0}},
                   Convention::min_norm) == (V{1, 1}));
  BOOST_CHECK_THROW(whole("relu(x)", {"x", "y"}, {{"x", 0}}, Convention::left),
                    std::invalid_argument);
}

BOOST_AUTO_TEST_CASE(a_missing_slope_is_f_s_own_where_f_is_differentiable) {
  const double nan = std::nan("");
  const Expr x = var("x");
  // a tie on a whole stretch: max(abs(x), x) is x for x >= 0
  BOOST_TEST(defined_slope(max(abs(x), x), "x", {{"x", 0.5}}, nan) == 1.0);
  // a 0/0 formula where f is flat
  BOOST_TEST(defined_slope(sqrt(relu(x)), "x", {{"x", -2}}, nan) == 0.0);
  // a real kink keeps no value, and a value given is kept
  BOOST_TEST(std::isnan(defined_slope(relu(x), "x", {{"x", 0}}, nan)));
  BOOST_TEST(defined_slope(relu(x), "x", {{"x", 0}}, 0.25) == 0.25);
}

// Every convention, every way of computing f' (10,000 random compositions, a third with a
// condition on a saturated activation, each under one convention in turn): where no op sits on its
// kink, f is smooth at the point, so the tape's reverse sweep, the batched tape and diff's formula
// must all give f's one exact slope (from the smooth pieces, not from the ops' local rules the tape
// and diff share). The points form a lattice, so many sit on a kink, where op-by-op conventions may
// legitimately differ from f's slopes (the composition trap) and only the batch is compared.
BOOST_AUTO_TEST_CASE(tape_batch_and_diff_give_the_exact_slope_under_every_convention) {
  testing::RandomExpr gen(2024, true);
  const double lattice[] = {-1, -0.5, 0, 0.5, 1};
  int smooth = 0, on_kinks = 0;
  for (int e = 0; e < 10000; ++e) {
    const Expr f = random_composition(gen, e);
    const Env at{{"x", lattice[gen.rng().below(5)]}, {"y", lattice[gen.rng().below(5)]}};
    if (!std::isfinite(eval(f, at))) continue;
    const std::vector<std::string> vars{"x", "y"};
    const bool on_a_kink = !kinks_at(f, at, Convention::min_norm).empty();
    const OneSided s = one_sided(f, "x", at);
    on_kinks += on_a_kink;
    const bool compare = !on_a_kink && s.differentiable();
    smooth += compare;
    {  // one convention per composition, in turn: 2,000 compositions each
      const Convention c =
          all_conventions[static_cast<std::size_t>(e) % std::size(all_conventions)];
      Tape tape = Tape::compile(f, vars, c);
      tape.forward(std::vector<double>{at.at("x"), at.at("y")});
      tape.reverse();
      const double by_tape = tape.gradient()[0];
      // the batch, one point, equal bit for bit to the scalar sweep
      const std::vector<double> xs{at.at("x")}, ys{at.at("y")};
      std::vector<double> value(1), dx(1), dy(1);
      const std::vector<std::span<const double>> in{xs, ys};
      const std::vector<std::span<double>> grads{dx, dy};
      tape.gradient_batch(in, 0, value, grads);
      BOOST_TEST(same(dx[0], by_tape), to_text(f) << " batch " << dx[0] << " tape " << by_tape);
      if (!compare) continue;
      const double by_diff = eval(diff(f, "x", c), at);
      // op by op, undefined has no value at a tie that holds on a whole stretch: f's slope then
      const double tape_slope = defined_slope(f, "x", at, by_tape);
      const double diff_slope = defined_slope(f, "x", at, by_diff);
      const auto where = [&] {
        return to_text(f) + " at x=" + std::to_string(at.at("x")) +
               ", y=" + std::to_string(at.at("y")) + " under " + std::string(to_string(c));
      };
      BOOST_TEST(same(tape_slope, s.left), where() << ": tape " << by_tape << ", exact " << s.left);
      BOOST_TEST(same(diff_slope, s.left), where() << ": diff " << by_diff << ", exact " << s.left);
    }
  }
  BOOST_TEST(smooth > 3000);
  BOOST_TEST(on_kinks > 700);
}

BOOST_AUTO_TEST_CASE(a_vertical_tangent_is_neither_a_derivative_nor_a_corner) {
  const OneSided up = one_sided(parse("relu(x)^0.5 - relu(-x)^0.5"), "x", {{"x", 0}});
  BOOST_TEST(up.vertical_tangent());
  BOOST_TEST(!up.differentiable());
  BOOST_TEST(!one_sided(parse("sqrt(abs(x))"), "x", {{"x", 0}}).vertical_tangent());  // a cusp
  BOOST_TEST(!one_sided(parse("sqrt(x)"), "x", {{"x", 0}}).vertical_tangent());  // one side only
}

BOOST_AUTO_TEST_CASE(a_kink_that_rounding_made_is_no_kink) {
  // relu(1 - cos(x)) is 1 - cos(x) everywhere (it is never negative): slope sin(x). In doubles
  // 1 - cos(x) is 0 within 1.5e-8 of 0 and 2 pi, where relu sits on its kink; f is still
  // differentiable there (it was called "not differentiable, slope 0 | -7.2e-9").
  const Expr f = relu(1 - cos(var("x")));
  for (const double at : {6.2831853, -6.2831853, 1e-9, 0.0}) {
    const OneSided s = one_sided(f, "x", {{"x", at}});
    BOOST_TEST(s.differentiable(), at);
    BOOST_TEST(s.left == std::sin(at), at);
    BOOST_TEST(s.right == std::sin(at), at);
  }
}

BOOST_AUTO_TEST_CASE(a_point_of_a_rounded_crossing_is_on_one_side_of_it) {
  // exp(x) - 1 is 0 in doubles for |x| < 1.1e-16 and crosses 0 at 0 (where the kink search puts
  // the crossing): 1e-17 is right of it, -1e-17 left (both were called kinks, slopes 0 | 1)
  const Expr f = relu(exp(var("x")) - 1);
  const std::tuple<double, double, double> cases[] = {
      {1e-17, 1, 1}, {5e-17, 1, 1}, {-1e-17, 0, 0}, {0.0, 0, 1}};
  for (const auto& [at, left, right] : cases) {
    const OneSided s = one_sided(f, "x", {{"x", at}});
    BOOST_TEST(s.left == left, at);
    BOOST_TEST(s.right == right, at);
  }
}

BOOST_AUTO_TEST_CASE(tiny_different_slopes_are_a_kink_not_rounding) {
  const Expr x = var("x");
  // slopes 0 and 1e-20: a kink however small (an absolute tolerance once called it smooth)
  BOOST_TEST(!one_sided(relu(1e-20 * x), "x", {{"x", 0}}).differentiable());
  BOOST_TEST(one_sided(relu(1e-20 * x), "x", {{"x", 0}}).right == 1e-20);
  BOOST_TEST(!one_sided(where(x > 0, sqrt(x), 0), "x", {{"x", 0}}).differentiable());  // 0 | inf
  BOOST_TEST(one_sided(relu(x) - relu(-x), "x", {{"x", 0}}).differentiable());
}

BOOST_AUTO_TEST_CASE(pieces_a_rounding_apart_meet) {
  // 3*0.3 is 0.9 - 1.1e-16 in doubles: f is 3x, continuous with slope 3
  const OneSided s = one_sided(parse("where(x != 0.3, 3*x, 0.9)"), "x", {{"x", 0.3}});
  BOOST_TEST(s.continuous);
  BOOST_TEST(s.differentiable());
  BOOST_TEST(s.left == 3.0);
}

BOOST_AUTO_TEST_CASE(breaks_are_named_for_what_they_are) {
  const std::pair<const char*, Break> cases[] = {{"sign(x)", Break::jump},
                                                 {"heaviside(x^2)", Break::removable},
                                                 {"1/x", Break::pole},
                                                 {"log(abs(x))", Break::pole},
                                                 {"sin(x)/x", Break::hole},
                                                 {"relu(x)/x", Break::jump},
                                                 {"abs(x)/x", Break::jump},
                                                 {"relu(x)", Break::none},
                                                 {"sin(1/x)", Break::no_limit},
                                                 {"where(x > 0, sin(1/x), 0)", Break::no_limit},
                                                 {"x*sin(1/x)", Break::hole},
                                                 {"tanh(1/x)", Break::jump},
                                                 {"sqrt(x)", Break::none},
                                                 {"log(x)", Break::pole},
                                                 {"heaviside(sqrt(x))", Break::jump},
                                                 // small steps are steps, not rounding
                                                 {"where(x > 0, 1e-13, 0)", Break::jump},
                                                 {"1e-13*heaviside(x)", Break::jump}};
  for (const auto& [text, kind] : cases)
    BOOST_TEST((one_sided(parse(text), "x", {{"x", 0}}).discontinuity() == kind), text);
  BOOST_TEST(describe(Break::removable) == "a removable gap");
  BOOST_TEST(describe(Break::no_limit) == "no limit");
  // no values on a side (log(x) left of 0) is not the same as no limit (sin(1/x))
  const OneSided log_at_0 = one_sided(parse("log(x)"), "x", {{"x", 0}});
  BOOST_TEST(!log_at_0.has_left);
  BOOST_TEST(log_at_0.has_right);
  const OneSided oscillating = one_sided(parse("where(x > 0, sin(1/x), 0)"), "x", {{"x", 0}});
  BOOST_TEST((oscillating.has_left && oscillating.has_right));
  BOOST_TEST(oscillating.left_limit == 0.0);
  BOOST_TEST(std::isnan(oscillating.right_limit));
}

BOOST_AUTO_TEST_CASE(a_kink_beside_a_large_x_is_continuous) {
  // relu(sin(x)) near 1e5: the kink lies between two doubles 1.5e-11 apart, and the piece on
  // the far side differs from f(x0) by up to that times the slope: no jump
  const auto ks = find_kinks(parse("relu(sin(x))"), "x", {}, 99990, 100000);
  BOOST_REQUIRE_EQUAL(ks.size(), 3U);
  for (const KinkPoint& k : ks) {
    BOOST_TEST(k.side.continuous, k.x);
    BOOST_TEST(std::abs(std::sin(k.x)) < 1e-10, k.x);
  }
}

BOOST_AUTO_TEST_CASE(whole_gradient_where_f_jumps_takes_each_partial_alone) {
  // At x = 1, f jumps from 5 to 2*y + |y - 1| = 2: no Clarke gradient. Along y alone f is
  // 2*y + |y - 1|, slopes 1 | 3 (by hand), and each whole convention combines those; moving x
  // first read the piece 5 and gave 0, outside both.
  const Expr f = parse("where(x < 1, 5, 2*y + abs(y - 1))");
  const Env at{{"x", 1}, {"y", 1}};
  const std::pair<Convention, double> expected[] = {{Convention::min_norm, 1},
                                                    {Convention::left, 1},
                                                    {Convention::right, 3},
                                                    {Convention::average, 2}};
  for (const auto& [c, dy] : expected)
    BOOST_TEST(whole_gradient(f, {"x", "y"}, at, c)[1] == dy, to_string(c));
}

BOOST_AUTO_TEST_CASE(an_op_switching_on_an_oscillation_leaves_f_no_limit) {
  // sign(sin(1/x)), relu(sin(1/x)) and max(sin(1/x), 0.5) keep taking values apart as x falls to
  // 0: f has values there but no limit, so it is not continuous (it was called differentiable)
  for (const char* f :
       {"where(x > 0, sign(sin(1/x)), 0)", "where(x > 0, relu(sin(1/x)), 0)",
        "where(x > 0, max(sin(1/x), 0.5), 0)", "where(x > 0, heaviside(sin(1/x)), 0)"}) {
    const OneSided s = one_sided(parse(f), "x", {{"x", 0}});
    BOOST_TEST(s.has_right, f);
    BOOST_TEST(std::isnan(s.right_limit), f << ": right limit " << s.right_limit);
    BOOST_TEST(s.left_limit == 0.0, f);
    BOOST_TEST(!s.continuous, f);
    BOOST_TEST((s.discontinuity() == Break::no_limit), f);
  }
}
