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
    xs[j] = std::round(rng.symmetric() * 12) / 4;
    ys[j] = std::round(rng.symmetric() * 12) / 4;
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

// ---- kink hits in each precision, and whether the convention changed a gradient --------------

namespace {
/// A batch for relu(x*y + c), c = -(1 + 2e), built so that the relu's argument is exactly 0 at
/// known points: `both` points where x*y = 1 + 2e exactly (x = 1), `rounded` points where
/// x = y = 1 + e, so x*y = 1 + 2e + e^2 is 1 + 2e only once rounded to a type without room for
/// e^2 (float for e = 2^-12, _Float16 for e = 2^-6), and `away` points off the kink.
struct KinkBatch {
  std::vector<double> xs, ys;
  std::size_t both = 7, rounded = 5, away = 3000;
  double c;
  explicit KinkBatch(int e_exponent) {
    const double e = std::ldexp(1.0, e_exponent);
    c = -(1 + 2 * e);
    testing::SplitMix rng(3);
    for (std::size_t j = 0; j < both + rounded + away; ++j) {
      if (j % 100 == 0 && j / 100 < both) {
        xs.push_back(1.0);
        ys.push_back(1 + 2 * e);
      } else if (j % 100 == 50 && j / 100 < rounded) {
        xs.push_back(1 + e);
        ys.push_back(1 + e);
      } else {
        // x*y = 1 + an odd number of 64ths: never 1 + 2e, in any precision
        xs.push_back(0.5 + (2 * std::floor(rng.symmetric() * 32) + 1) / 128);
        ys.push_back(2.0);
      }
    }
    away = xs.size() - both - rounded;
  }
};

template <class T>
std::vector<T> as(const std::vector<double>& v) {
  return {v.begin(), v.end()};
}
}  // namespace

BOOST_AUTO_TEST_CASE(kink_hits_are_counted_in_the_tapes_precision) {
  const KinkBatch batch(-12);  // float loses e^2
  const Expr f = relu(x * y + batch.c);
  // double: the relu's argument is exactly 0 at the `both` points only (checked with eval)
  Tape td = Tape::compile(f, {"x", "y"});
  const auto d = td.kink_sides(rows(batch.xs, batch.ys));
  BOOST_TEST_REQUIRE(d.size() == 1U);
  BOOST_TEST(d[0].at == batch.both);
  check(d[0], sides_by_eval(x * y + batch.c, batch.xs, batch.ys), "double");
  // float: also at the `rounded` points, where x*y rounds to 1 + 2e
  FloatTape tf = FloatTape::compile(f, {"x", "y"});
  const auto fx = as<float>(batch.xs), fy = as<float>(batch.ys);
  const auto s = tf.kink_sides(std::vector<std::span<const float>>{fx, fy});
  BOOST_TEST_REQUIRE(s.size() == 1U);
  BOOST_TEST(s[0].at == batch.both + batch.rounded);
  BOOST_TEST(s[0].below + s[0].above == batch.away);
  BOOST_TEST(s[0].node == d[0].node);
#ifdef SLOPE_HAS_FLOAT16
  // _Float16 with e = 2^-6: float keeps e^2 = 2^-12, binary16 does not
  const KinkBatch coarse(-6);
  const Expr g = relu(x * y + coarse.c);
  HalfTape th = HalfTape::compile(g, {"x", "y"});
  FloatTape tf2 = FloatTape::compile(g, {"x", "y"});
  const auto hx = as<_Float16>(coarse.xs), hy = as<_Float16>(coarse.ys);
  const auto cx = as<float>(coarse.xs), cy = as<float>(coarse.ys);
  BOOST_TEST(th.kink_sides(std::vector<std::span<const _Float16>>{hx, hy})[0].at ==
             coarse.both + coarse.rounded);
  BOOST_TEST(tf2.kink_sides(std::vector<std::span<const float>>{cx, cy})[0].at == coarse.both);
#endif
}

BOOST_AUTO_TEST_CASE(exact_zeros_in_the_data_put_a_neuron_on_its_kink) {
  // relu(w0 x0 + w1 x1 + b) with b = 0: wherever both inputs are 0 (a black pixel pair), the
  // pre-activation is exactly 0 in every precision: 40 of the 200 points here.
  Tape t;
  const Var w0 = tape_input(t, "w0", 0.3), w1 = tape_input(t, "w1", -0.7),
            b = tape_input(t, "b", 0.0), x0 = tape_input(t, "x0", 0.0),
            x1 = tape_input(t, "x1", 0.0);
  const Var h = relu(b + w0 * x0 + w1 * x1);
  t.mark_output(h.index());
  const std::size_t n = 200;
  std::vector<double> vw0(n, 0.3), vw1(n, -0.7), vb(n, 0.0), vx0(n), vx1(n);
  std::size_t zeros = 0;
  testing::SplitMix rng(11);
  for (std::size_t j = 0; j < n; ++j) {
    const bool black = j % 5 == 0;
    zeros += black;
    vx0[j] = black ? 0.0 : 0.5 + rng.symmetric() * 0.25;  // 0.3 x0 - 0.7 x1 != 0 off the black ones
    vx1[j] = black ? 0.0 : 0.25 * vx0[j];
  }
  const std::vector<std::span<const double>> in{vw0, vw1, vb, vx0, vx1};
  const auto sides = t.kink_sides(in);
  BOOST_TEST_REQUIRE(sides.size() == 1U);
  BOOST_TEST(sides[0].at == zeros);
  BOOST_TEST(zeros == 40U);
  // relu'(0) = 0 or 1 changes d/dw0, d/dw1 (x = 0: no), d/db (yes) and d/dx0, d/dx1 (yes)
  const ConventionChange c = t.convention_changes_gradient(in, Convention::left, Convention::right);
  BOOST_TEST(c.points == n);
  BOOST_TEST(c.points_changed == zeros);
  BOOST_TEST(c.entries_changed == 3 * zeros);  // b, x0, x1 (w0, w1 get x = 0 either way)
  BOOST_TEST(c.sums_changed == 3U);
  BOOST_TEST(c.changed());
}

BOOST_AUTO_TEST_CASE(the_convention_changes_a_float_gradient_where_double_sees_no_kink) {
  const KinkBatch batch(-12);
  const Expr f = relu(x * y + batch.c);
  Tape td = Tape::compile(f, {"x", "y"}, Convention::left);
  FloatTape tf = FloatTape::compile(f, {"x", "y"}, Convention::left);
  const auto fx = as<float>(batch.xs), fy = as<float>(batch.ys);
  // relu'(0) = 0 (min_norm) against 1 (right): d/dx = relu' * y and d/dy = relu' * x differ at
  // each point on the kink, and nowhere else
  const ConventionChange d = td.convention_changes_gradient(
      rows(batch.xs, batch.ys), Convention::min_norm, Convention::right);
  const ConventionChange s = tf.convention_changes_gradient(
      std::vector<std::span<const float>>{fx, fy}, Convention::min_norm, Convention::right);
  BOOST_TEST(d.points == batch.xs.size());
  BOOST_TEST(d.points_changed == batch.both);
  BOOST_TEST(d.entries_changed == 2 * batch.both);
  BOOST_TEST(s.points_changed == batch.both + batch.rounded);
  BOOST_TEST(s.entries_changed == 2 * (batch.both + batch.rounded));
  BOOST_TEST(s.sums_changed == 2U);  // the batch's summed gradient moves too
  // the tapes keep their own convention
  BOOST_TEST((tf.convention() == Convention::left));
  // min_norm and left agree on relu (both 0): nothing changes, kinks or not
  BOOST_TEST(!tf.convention_changes_gradient(std::vector<std::span<const float>>{fx, fy},
                                             Convention::min_norm, Convention::left)
                  .changed());
}

BOOST_AUTO_TEST_CASE(a_kink_behind_a_zero_weight_changes_nothing) {
  // relu(x - 1) * y with y = 0 wherever x = 1: the kink is hit, but its slope is multiplied by 0
  const Expr f = relu(x - 1) * y;
  Tape t = Tape::compile(f, {"x", "y"});
  std::vector<double> xs, ys;
  for (int j = 0; j < 300; ++j) {
    xs.push_back(j % 3 == 0 ? 1.0 : 0.25 * (j % 17) + 0.125);
    ys.push_back(j % 3 == 0 ? 0.0 : 1.5);
  }
  const auto sides = t.kink_sides(rows(xs, ys));
  BOOST_TEST_REQUIRE(sides.size() == 1U);
  BOOST_TEST(sides[0].at == sides_by_eval(x - 1, xs, ys).at);
  BOOST_TEST(sides[0].at == 100U);
  const ConventionChange c =
      t.convention_changes_gradient(rows(xs, ys), Convention::left, Convention::right);
  BOOST_TEST(c.points == 300U);
  BOOST_TEST(!c.changed());
  BOOST_TEST(c.points_changed == 0U);
  BOOST_TEST(c.sums_changed == 0U);
  // with y = 1 there, it does: d/dx = relu'(0) * 1
  for (std::size_t j = 0; j < ys.size(); j += 3) ys[j] = 1.0;
  const ConventionChange c2 =
      t.convention_changes_gradient(rows(xs, ys), Convention::left, Convention::right);
  BOOST_TEST(c2.points_changed == sides[0].at);
  BOOST_TEST(c2.entries_changed == sides[0].at);  // d/dy = relu(0) = 0 either way
}

BOOST_AUTO_TEST_CASE(convention_changes_checks_its_arguments_and_spans_chunks) {
  Tape t = Tape::compile(relu(x) + relu(y), {"x", "y"});
  std::vector<double> xs(10000, 0.0), ys(10000, 1.0);  // three chunks; every x on the kink
  const auto c = t.convention_changes_gradient(rows(xs, ys), Convention::left, Convention::right);
  BOOST_TEST(c.points_changed == 10000U);
  BOOST_TEST(c.entries_changed == 10000U);
  BOOST_CHECK_THROW(
      t.convention_changes_gradient(rows(xs, ys), Convention::left, Convention::right, 1),
      std::out_of_range);
  const std::vector<double> shorter(3);
  BOOST_CHECK_THROW(
      t.convention_changes_gradient(rows(xs, shorter), Convention::left, Convention::right),
      std::invalid_argument);
  const std::vector<double> none;
  const auto empty =
      t.convention_changes_gradient(rows(none, none), Convention::left, Convention::right);
  BOOST_TEST(empty.points == 0U);
  BOOST_TEST(!empty.changed());
}
