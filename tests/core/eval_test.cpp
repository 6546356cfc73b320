// SPDX-License-Identifier: MIT
// eval: every node and activation on a grid that includes each kink point, checked against
// formulas written out here independently of the op table; IEEE behaviour; unbound variables.
#include <boost/test/data/monomorphic.hpp>
#include <boost/test/data/test_case.hpp>
#include <boost/test/unit_test.hpp>
#include <cmath>
#include <functional>
#include <limits>

#include "core/evaluator.hpp"
#include "slope/slope.hpp"

using namespace slope;
namespace bdata = boost::unit_test::data;

namespace {

const Expr x = var("x");

struct Case {
  const char* name;
  Expr f;
  std::function<double(double)> expected;
};
std::ostream& operator<<(std::ostream& os, const Case& c) { return os << c.name; }

// Includes every kink: 0 (relu, abs, max, leaky, elu, heaviside, sign), -1 and 1 (hardtanh,
// clamp), 6 (relu6), -3 and 3 (hardswish, hardsigmoid), and the tie x = 0.5 of max(x, 1 - x).
const double grid[] = {-7, -6, -3, -2.5, -1, -0.75, -0.5, 0, 0.25, 0.5, 1, 1.5, 3, 6, 6.5};

const Case cases[] = {
    {"erf", erf(x), [](double v) { return std::erf(v); }},
    {"hardswish", hardswish(x),
     [](double v) { return v * std::min(std::max(v + 3, 0.0), 6.0) / 6; }},
    {"hardsigmoid", hardsigmoid(x),
     [](double v) { return std::min(std::max(v + 3, 0.0), 6.0) / 6; }},
    {"silu", silu(x), [](double v) { return v / (1 + std::exp(-v)); }},
    {"gelu", gelu(x), [](double v) { return v * 0.5 * std::erfc(-v / std::sqrt(2.0)); }},
    {"softsign", softsign(x), [](double v) { return v / (1 + std::abs(v)); }},
    {"mish", mish(x), [](double v) { return v * std::tanh(std::log1p(std::exp(v))); }},
    {"selu", selu(x),  // PyTorch's constants
     [](double v) {
       return 1.0507009873554805 * (v > 0 ? v : 1.6732632423543772 * std::expm1(v));
     }},
    {"x + 1", x + 1, [](double v) { return v + 1; }},
    {"3 - x", 3 - x, [](double v) { return 3 - v; }},
    {"2*x", 2 * x, [](double v) { return 2 * v; }},
    {"x/4", x / 4, [](double v) { return v / 4; }},
    {"-x", -x, [](double v) { return -v; }},
    {"x^2", pow(x, 2), [](double v) { return v * v; }},
    {"x^3", pow(x, 3), [](double v) { return v * v * v; }},
    {"2^x", pow(2, x), [](double v) { return std::pow(2.0, v); }},
    {"exp", exp(x), [](double v) { return std::exp(v); }},
    {"log(x^2 + 1)", log(pow(x, 2) + 1), [](double v) { return std::log(v * v + 1); }},
    {"sqrt(x^2 + 1)", sqrt(pow(x, 2) + 1), [](double v) { return std::sqrt(v * v + 1); }},
    {"sin", sin(x), [](double v) { return std::sin(v); }},
    {"cos", cos(x), [](double v) { return std::cos(v); }},
    {"tanh", tanh(x), [](double v) { return std::tanh(v); }},
    {"sigmoid", sigmoid(x), [](double v) { return 1 / (1 + std::exp(-v)); }},
    {"softplus", softplus(x), [](double v) { return std::log1p(std::exp(v)); }},
    {"abs", abs(x), [](double v) { return v < 0 ? -v : v; }},
    {"sign", sign(x), [](double v) { return v > 0 ? 1.0 : (v < 0 ? -1.0 : 0.0); }},
    {"max(0, x)", max(0, x), [](double v) { return v > 0 ? v : 0.0; }},
    {"max(x, 1 - x)", max(x, 1 - x), [](double v) { return v > 1 - v ? v : 1 - v; }},
    {"min(0, x)", min(0, x), [](double v) { return v < 0 ? v : 0.0; }},
    {"clamp(x, -1, 1)", clamp(x, -1, 1),
     [](double v) { return v < -1 ? -1.0 : (v > 1 ? 1.0 : v); }},
    {"x < 0", x < 0, [](double v) { return v < 0 ? 1.0 : 0.0; }},
    {"x <= 0", x <= 0, [](double v) { return v <= 0 ? 1.0 : 0.0; }},
    {"x > 0", x > 0, [](double v) { return v > 0 ? 1.0 : 0.0; }},
    {"x >= 0", x >= 0, [](double v) { return v >= 0 ? 1.0 : 0.0; }},
    {"x == 0", eq(x, 0), [](double v) { return v == 0 ? 1.0 : 0.0; }},
    {"x != 0", ne(x, 0), [](double v) { return v != 0 ? 1.0 : 0.0; }},
    {"x > -1 and x < 1", logical_and(x > -1, x < 1),
     [](double v) { return v > -1 && v < 1 ? 1.0 : 0.0; }},
    {"x < -1 or x > 1", logical_or(x<-1, x> 1),
     [](double v) { return v < -1 || v > 1 ? 1.0 : 0.0; }},
    {"not x > 0", logical_not(x > 0), [](double v) { return v > 0 ? 0.0 : 1.0; }},
    {"piecewise", piecewise({{x < 0, 0.01 * x}, {x < 1, x}}, 1),
     [](double v) { return v < 0 ? 0.01 * v : (v < 1 ? v : 1.0); }},
    {"relu", relu(x), [](double v) { return v > 0 ? v : 0.0; }},
    {"leaky_relu", leaky_relu(x), [](double v) { return v > 0 ? v : 0.01 * v; }},
    {"leaky_relu 0.2", leaky_relu(x, 0.2), [](double v) { return v > 0 ? v : 0.2 * v; }},
    {"prelu a=0.25", prelu(x, 0.25), [](double v) { return v > 0 ? v : 0.25 * v; }},
    {"elu", elu(x), [](double v) { return v > 0 ? v : std::exp(v) - 1; }},
    {"elu 0.5", elu(x, 0.5), [](double v) { return v > 0 ? v : 0.5 * (std::exp(v) - 1); }},
    {"hardtanh", hardtanh(x), [](double v) { return v < -1 ? -1.0 : (v > 1 ? 1.0 : v); }},
    {"relu6", relu6(x), [](double v) { return v < 0 ? 0.0 : (v > 6 ? 6.0 : v); }},
    {"heaviside", heaviside(x), [](double v) { return v > 0 ? 1.0 : (v < 0 ? 0.0 : 0.5); }},
};

}  // namespace

BOOST_DATA_TEST_CASE(values_on_the_grid, bdata::make(cases), c) {
  for (double v : grid) {
    const double got = eval(c.f, {{"x", v}});
    BOOST_TEST(got == c.expected(v), boost::test_tools::tolerance(1e-14));
    // An activation's definition (relu -> max(0, x)) has the same value everywhere.
    // (To 1e-14 of the value's size: gelu's textbook definition, 1 + erf(x/sqrt 2), cancels in
    // the far left tail that its row computes with erfc.)
    BOOST_TEST(std::abs(eval(definition(c.f), {{"x", v}}) - got) <= 1e-14 * (1 + std::abs(got)));
  }
}

BOOST_AUTO_TEST_CASE(every_op_is_covered_by_the_grid) {
  std::vector<bool> seen(op_count, false);
  for (const Case& c : cases)
    for (const Expr& n : topological_order(c.f)) seen[static_cast<int>(n.op())] = true;
  for (int i = 0; i < op_count; ++i) BOOST_TEST(seen[i], "op " << op_name(static_cast<Op>(i)));
}

BOOST_AUTO_TEST_CASE(ieee_special_values) {
  const double inf = std::numeric_limits<double>::infinity();
  BOOST_TEST(eval(log(x), {{"x", 0}}) == -inf);
  BOOST_TEST(std::isnan(eval(log(x), {{"x", -1}})));
  BOOST_TEST(std::isnan(eval(sqrt(x), {{"x", -1}})));
  BOOST_TEST(eval(1 / x, {{"x", 0}}) == inf);
  BOOST_TEST(eval(-1 / x, {{"x", 0}}) == -inf);
  BOOST_TEST(std::isnan(eval(relu(x), {{"x", std::nan("")}})));
  BOOST_TEST(std::isnan(eval(max(0, x), {{"x", std::nan("")}})));
  // An undefined bound makes clamp undefined, as it does its definition min(max(x, lo), hi): a
  // comparison would ignore the bound and give x a value the bound never allowed.
  const Expr y = var("y");
  for (const Expr& f : {clamp(x, y, 1), clamp(x, -1, y), hardtanh(x, y, 1), min(max(x, y), 1)})
    BOOST_TEST(std::isnan(eval(f, {{"x", -0.5}, {"y", std::nan("")}})), to_text(f));
  BOOST_TEST(eval(sigmoid(x), {{"x", -800}}) == 0.0);  // no overflow warning, no NaN
  BOOST_TEST(eval(softplus(x), {{"x", 800}}) == 800.0);
}

BOOST_AUTO_TEST_CASE(unbound_variables_are_named) {
  const Expr y = var("weight");
  try {
    eval(x * y, {{"x", 1}});
    BOOST_FAIL("expected UnboundVariable");
  } catch (const UnboundVariable& e) {
    BOOST_TEST(e.name() == "weight");
    BOOST_TEST(std::string(e.what()) == "no value given for variable 'weight'");
  }
}

BOOST_AUTO_TEST_CASE(several_outputs_share_work) {
  const auto values = eval(std::vector<Expr>{relu(x), x + 1}, {{"x", -2}});
  BOOST_TEST(values[0] == 0.0);
  BOOST_TEST(values[1] == -1.0);
}

BOOST_AUTO_TEST_CASE(a_prepared_expression_gives_the_same_values_at_every_point) {
  // The kink search evaluates one prepared switch on a 2,001-point grid: reuse must not leak
  // one point's values into the next. Checked against the formula written out here.
  const Expr w = var("w");
  const Expr f = relu(w * x - 1) * x + abs(x);
  detail::Evaluator prepared(f);
  for (int i = -20; i <= 20; ++i) {
    const double xv = i / 4.0, wv = 1.5;
    const double expected = std::max(0.0, wv * xv - 1) * xv + std::abs(xv);
    BOOST_TEST(prepared.value({{"x", xv}, {"w", wv}}) == expected);
  }
  BOOST_CHECK_THROW(prepared.value({{"x", 1}}), UnboundVariable);
  const std::vector<Expr> two{relu(x), relu(x) + 1};
  detail::Evaluator both(two);
  BOOST_TEST(both.values({{"x", 3}}) == (std::vector<double>{3, 4}),
             boost::test_tools::per_element());
}

BOOST_AUTO_TEST_CASE(point_values_of_overlapping_expressions_are_each_computed_once) {
  // The switches of a chain hold the chain below them; PointValues keeps every node's value, so
  // asking about each is right (against the chain computed here) and shares the work.
  detail::PointValues at({{"x", 0.75}});
  Expr chain = x;
  double expected = 0.75;
  for (int i = 0; i < 50; ++i) {
    chain = tanh(chain) * 2 - 0.25;
    expected = std::tanh(expected) * 2 - 0.25;
    BOOST_TEST(at(chain) == expected, boost::test_tools::tolerance(1e-15));
  }
  BOOST_TEST(at(relu(chain - 1)) == std::max(0.0, expected - 1));
  detail::PointValues unbound({{"y", 1}});
  BOOST_CHECK_THROW(unbound(x + 1), UnboundVariable);
}
