// SPDX-License-Identifier: MIT
// Tape::kink_sides against counts made independently: each kink's switch function (the
// pre-activation of a relu, a - b of a max, ...) evaluated with eval() at every point.
#include <boost/test/unit_test.hpp>
#include <cmath>
#include <limits>
#include <vector>

#include "slope/slope.hpp"
#include "support/random.hpp"

using namespace slope;

namespace {

const Expr x = var("x"), y = var("y");

struct Counts {
  std::size_t below = 0, at = 0, above = 0, nan = 0;
};

/// The sides of g's zero over the points, by eval (no tape involved).
Counts sides_by_eval(const Expr& g, const std::vector<double>& xs, const std::vector<double>& ys) {
  Counts c;
  for (std::size_t j = 0; j < xs.size(); ++j) {
    const double v = eval(g, {{"x", xs[j]}, {"y", ys[j]}});
    if (std::isnan(v))
      ++c.nan;
    else if (v < 0)
      ++c.below;
    else if (v > 0)
      ++c.above;
    else
      ++c.at;
  }
  return c;
}

void check(const KinkSides& k, const Counts& expected, const std::string& what) {
  BOOST_TEST_CONTEXT(what) {
    BOOST_TEST(k.below == expected.below);
    BOOST_TEST(k.at == expected.at);
    BOOST_TEST(k.above == expected.above);
    BOOST_TEST(k.nan == expected.nan);
  }
}

/// Random points on a grid of quarters, so many land exactly on kinks; n of them.
void points(std::size_t n, std::vector<double>& xs, std::vector<double>& ys) {
  testing::SplitMix rng(7);
  xs.resize(n);
  ys.resize(n);
  for (std::size_t j = 0; j < n; ++j) {
    xs[j] = std::round(rng.sym() * 12) / 4;
    ys[j] = std::round(rng.sym() * 12) / 4;
  }
}

std::vector<std::span<const double>> rows(const std::vector<double>& xs,
                                          const std::vector<double>& ys) {
  return {xs, ys};
}

}  // namespace

BOOST_AUTO_TEST_CASE(a_recorded_tape_reports_each_kink_in_recording_order) {
  Tape t;
  const Var vx = tape_input(t, "x", 0), vy = tape_input(t, "y", 0);
  const Var u = 2 * vx + vy - 1;
  const Var h = relu(u);                   // kinks at u = 0
  const Var l = leaky_relu(vx - vy, 0.1);  // at x - y = 0
  const Var m = max(h, vy);                // at h - y = 0, h = relu(2x + y - 1)
  const Var c = hardtanh(vx * vy);         // at xy = -1 and at xy = 1
  const Var s = sin(vx) + exp(vy);         // smooth: no entries
  t.mark_output((m + l + c + s).index());
  std::vector<double> xs, ys;
  points(3000, xs, ys);
  const auto sides = t.kink_sides(rows(xs, ys));
  BOOST_TEST_REQUIRE(sides.size() == 5U);
  const Expr pre = 2 * x + y - 1;
  check(sides[0], sides_by_eval(pre, xs, ys), "relu");
  check(sides[1], sides_by_eval(x - y, xs, ys), "leaky_relu");
  check(sides[2], sides_by_eval(relu(pre) - y, xs, ys), "max");
  check(sides[3], sides_by_eval(x * y + 1, xs, ys), "hardtanh, lower");
  check(sides[4], sides_by_eval(x * y - 1, xs, ys), "hardtanh, upper");
  BOOST_TEST((sides[0].op == Op::Relu));
  BOOST_TEST(sides[0].node == h.index());
  BOOST_TEST(sides[1].node == l.index());
  BOOST_TEST(sides[3].node == c.index());
  BOOST_TEST(sides[4].node == c.index());
  BOOST_TEST(to_text(sides[0].g) == "arg0");
  BOOST_TEST(to_text(sides[3].g) == "arg0 + 1");
  // the grid puts points on the kinks, so every side is exercised
  BOOST_TEST(sides[0].at > 0U);
  BOOST_TEST(sides[0].below > 0U);
  BOOST_TEST(sides[0].above > 0U);
  for (const KinkSides& k : sides) BOOST_TEST(k.points() == xs.size());
}

BOOST_AUTO_TEST_CASE(a_compiled_tape_counts_every_kinked_op) {
  // each op once, so each entry is known by its op whatever the compiled order
  const Expr f =
      relu(x * y - 0.5) + abs(x - y) + piecewise({{x > 1, x}}, 0) + relu6(y + 2) + min(x, 2 * y);
  Tape t = Tape::compile(f, {"x", "y"});
  std::vector<double> xs, ys;
  points(10000, xs, ys);  // more than one block of the batch loops
  const auto sides = t.kink_sides(rows(xs, ys));
  BOOST_TEST_REQUIRE(sides.size() == 6U);
  auto entry = [&](Op op, std::size_t which = 0) -> const KinkSides& {
    for (const KinkSides& k : sides)
      if (k.op == op && which-- == 0) return k;
    throw std::logic_error("no entry for " + std::string(op_name(op)));
  };
  check(entry(Op::Relu), sides_by_eval(x * y - 0.5, xs, ys), "relu");
  check(entry(Op::Abs), sides_by_eval(x - y, xs, ys), "abs");
  check(entry(Op::Gt), sides_by_eval(x - 1, xs, ys), "piecewise's x > 1");
  check(entry(Op::Relu6), sides_by_eval(y + 2, xs, ys), "relu6, lower");
  check(entry(Op::Relu6, 1), sides_by_eval(y + 2 - 6, xs, ys), "relu6, upper");
  check(entry(Op::Min), sides_by_eval(x - 2 * y, xs, ys), "min");
}

BOOST_AUTO_TEST_CASE(nan_points_and_constant_kinks) {
  Tape t;
  const Var vx = tape_input(t, "x", 0);
  const Var r = relu(vx);
  const Var k = relu(vx.constant(2.0));  // no input moves it: not listed
  t.mark_output((r + k).index());
  const double nan = std::numeric_limits<double>::quiet_NaN();
  const std::vector<double> xs{-1, 0, 0, 2, nan, 3, -0.0};
  const std::vector<std::span<const double>> in{xs};
  const auto sides = t.kink_sides(in);
  BOOST_TEST_REQUIRE(sides.size() == 1U);
  BOOST_TEST(sides[0].below == 1U);
  BOOST_TEST(sides[0].at == 3U);  // -0.0 is on the kink too
  BOOST_TEST(sides[0].above == 2U);
  BOOST_TEST(sides[0].nan == 1U);
  BOOST_TEST(sides[0].fraction_above() == 2.0 / 7.0);
  // an empty batch lists the kinks with no points
  const std::vector<double> none;
  const std::vector<std::span<const double>> empty{none};
  const auto zero = t.kink_sides(empty);
  BOOST_TEST_REQUIRE(zero.size() == 1U);
  BOOST_TEST(zero[0].points() == 0U);
  BOOST_TEST(zero[0].fraction_below() == 0.0);
}

BOOST_AUTO_TEST_CASE(the_scalar_state_is_kept_and_bad_batches_are_refused) {
  Tape t = Tape::compile(relu(x - y), {"x", "y"});
  const std::vector<double> at{3.0, 1.0};
  t.forward(at);
  std::vector<double> xs, ys;
  points(50, xs, ys);
  t.kink_sides(rows(xs, ys));
  t.reverse();
  BOOST_TEST(t.outputs()[0] == 2.0);
  BOOST_TEST(t.gradient()[0] == 1.0);
  BOOST_TEST(t.gradient()[1] == -1.0);
  const std::vector<std::span<const double>> one{xs};
  BOOST_CHECK_THROW(t.kink_sides(one), std::invalid_argument);
  const std::vector<double> shorter(3, 0.0);
  const std::vector<std::span<const double>> uneven{xs, shorter};
  BOOST_CHECK_THROW(t.kink_sides(uneven), std::invalid_argument);
}
