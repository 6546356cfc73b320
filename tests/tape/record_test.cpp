// SPDX-License-Identifier: MIT
// The recorder (src/tape/record.cpp, include/slope/record.hpp) in every precision: one function
// template records W1's network as Var, FloatVar and HalfVar; recorded values equal the same
// arithmetic done directly in that type, bit for bit, and gradients agree with the double ones
// within the type's precision. Built with -ffp-contract=off, so the direct arithmetic here
// rounds every product as the tape does.
#include <boost/test/unit_test.hpp>
#include <cmath>
#include <utility>
#include <vector>

#include "slope/slope.hpp"
#include "support/mlp.hpp"

using namespace slope;
namespace w1 = slope::testing::w1;

namespace {
/// W1's loss at sample s, recorded on a tape of T: the parameters are inputs, the sample
/// constants. Returns the loss Var; the parameters' Vars are left in p.
template <class T>
BasicVar<T> record_w1(BasicTape<T>& tape, const w1::Sample& s, std::vector<BasicVar<T>>& p) {
  const std::vector<double> params = w1::parameters();
  const std::vector<T> rounded(params.begin(), params.end());
  tape.clear();
  p.clear();
  tape_inputs(tape, rounded, p);
  std::vector<BasicVar<T>> xs;
  for (double v : s.x) xs.push_back(p[0].constant(static_cast<T>(v)));
  return w1::loss<BasicVar<T>>(p, xs, p[0].constant(static_cast<T>(s.target)),
                               [](const BasicVar<T>& z) { return relu(z); });
}

/// The same loss in plain T arithmetic, no tape.
template <class T>
T direct_w1(const w1::Sample& s) {
  const std::vector<double> params = w1::parameters();
  const std::vector<T> p(params.begin(), params.end());
  std::vector<T> xs(s.x.begin(), s.x.end());
  return w1::loss<T>(p, xs, static_cast<T>(s.target), [](T z) { return z > T(0) ? z : T(0); });
}
}  // namespace

BOOST_AUTO_TEST_CASE(one_template_records_w1_in_double_and_float) {
  const auto data = w1::data();
  Tape td;
  FloatTape tf;
  std::vector<Var> pd;
  std::vector<FloatVar> pf;
  double worst = 0;
  for (int k = 0; k < 5; ++k) {
    const Var ld = record_w1(td, data[k], pd);
    const FloatVar lf = record_w1(tf, data[k], pf);
    BOOST_TEST(ld.value() == direct_w1<double>(data[k]));
    BOOST_TEST(lf.value() == direct_w1<float>(data[k]));  // rounded in float, op by op
    backward(ld);
    backward(lf);
    std::vector<double> hand;
    w1::hand_gradient(w1::parameters(), data[k], hand);
    for (std::size_t i = 0; i < pd.size(); ++i) {
      BOOST_TEST(std::abs(pd[i].grad() - hand[i]) <= 1e-12 * (1 + std::abs(hand[i])));
      worst = std::max(worst, std::abs(pf[i].grad() - hand[i]) / (1 + std::abs(hand[i])));
    }
  }
  // float: about 2^-24 per operation, a few hundred operations deep
  BOOST_TEST(worst < 1e-4);
  BOOST_TEST(worst > 0.0);
}

#ifdef SLOPE_HAS_FLOAT16
BOOST_AUTO_TEST_CASE(half_vars_round_every_operation_to_half) {
  const auto data = w1::data();
  HalfTape th;
  std::vector<HalfVar> ph;
  const HalfVar lh = record_w1(th, data[0], ph);
  BOOST_TEST(static_cast<double>(lh.value()) == static_cast<double>(direct_w1<_Float16>(data[0])));
  // a neuron by hand: relu(b + w0 x0 + w1 x1), each step rounded to binary16
  const auto h = [](float v) { return static_cast<_Float16>(v); };
  const _Float16 w0 = h(0.1f), w1v = h(-0.3f), x0 = h(1.7f), x1 = h(0.5f), b = h(0.05f);
  HalfTape t;
  const HalfVar vw0 = tape_input(t, "w0", w0), vw1 = tape_input(t, "w1", w1v),
                vb = tape_input(t, "b", b);
  HalfVar z = vb + vw0 * x0;  // a _Float16 (or any number) is a constant on the tape
  z += vw1 * x1;
  const HalfVar r = relu(z);
  _Float16 expected = w0 * x0;
  expected = b + expected;
  const _Float16 second = w1v * x1;
  expected = expected + second;
  BOOST_TEST_REQUIRE(static_cast<double>(expected) > 0.0);
  BOOST_TEST(static_cast<double>(r.value()) == static_cast<double>(expected));
  backward(r);
  BOOST_TEST(static_cast<double>(vw0.grad()) == static_cast<double>(x0));
  BOOST_TEST(static_cast<double>(vw1.grad()) == static_cast<double>(x1));
  BOOST_TEST(static_cast<double>(vb.grad()) == 1.0);
  BOOST_TEST(sizeof(vw0.value()) == 2U);
}
#endif

BOOST_AUTO_TEST_CASE(float_vars_have_the_double_recorders_operations) {
  FloatTape t;
  FloatRecording rec(t);
  const FloatVar a = input<float>("a", 3.0f), b = input<float>("b", -2.0f);
  const FloatVar c(0.5f);  // a constant on the recording tape
  const FloatVar q = a / b;
  const FloatVar w = where(a > b, a * c, b - 1);
  const FloatVar m = max(a, 0) + pow(b, 2) + leaky_relu(b) - sin(a);
  BOOST_TEST(q.value() == 3.0f / -2.0f);
  BOOST_TEST(w.value() == 1.5f);
  BOOST_TEST(m.value() == 3.0f + 4.0f + 0.01f * -2.0f - std::sin(3.0f));
  backward(m);
  BOOST_TEST(a.grad() == 1.0f - std::cos(3.0f));
  BOOST_TEST(b.grad() == 2.0f * -2.0f + 0.01f);
  // the thread's double Recording is separate: there is none here
  BOOST_CHECK_THROW(Var(1.0), std::logic_error);
  BOOST_CHECK_THROW(input("x", 1.0), std::logic_error);
  FloatTape other;
  const FloatVar o = tape_input(other, 1.0f);
  BOOST_CHECK_THROW(a + o, std::invalid_argument);
  BOOST_CHECK_THROW(record(Op::Max, {a, o}), std::invalid_argument);
}

// A recorded condition whose sides touch without crossing (x*x >= 0 at 0 holds on both sides):
// f is 5x there, and the recorder's reverse sweep, the tape's rule, gives 5 under every
// convention; where they cross at a higher order (x*x*x > 0), the convention's split.
BOOST_AUTO_TEST_CASE(recorded_ties_that_touch_take_the_branch_both_sides_take) {
  const double none = std::nan("");
  const std::pair<Convention, double> crossing_slope[] = {{Convention::min_norm, 1.5},
                                                          {Convention::left, 1},
                                                          {Convention::right, 2},
                                                          {Convention::average, 1.5},
                                                          {Convention::undefined, none}};
  for (const auto& [c, split] : crossing_slope) {
    Tape t(c);
    Recording rec(t);
    const Var x = input("x", 0.0);
    backward(where(x * x >= 0, 5 * x, x));
    BOOST_TEST(x.grad() == 5.0, "under " << to_string(c));
    backward(where(x * x * x > 0, 2 * x, x));
    BOOST_TEST((x.grad() == split || (std::isnan(split) && std::isnan(x.grad()))),
               "under " << to_string(c) << ": " << x.grad());
  }
}
