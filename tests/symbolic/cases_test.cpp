// SPDX-License-Identifier: MIT
// as_cases(f, x): f itself as one piecewise over intervals of x. The expected forms are worked by
// hand; each is also held equal to f at 201 points, kinks included, by evaluating f as written.
#include <boost/test/data/test_case.hpp>
#include <boost/test/unit_test.hpp>
#include <cmath>
#include <ostream>
#include <string>

#include "slope/slope.hpp"

using namespace slope;
namespace bdata = boost::unit_test::data;

namespace {
struct Case {
  std::string f, folded;
};
std::ostream& operator<<(std::ostream& os, const Case& c) { return os << c.f; }

const Case cases_by_hand[] = {
    // |x - 1| + |x + 1|: -2x left of -1, 2 between, 2x right of 1
    {"abs(x - 1) + abs(x + 1)", "piecewise(x <= -1: -2*x, x <= 1: 2, otherwise: 2*x)"},
    {"relu(x) + relu(-x)", "piecewise(x > 0: x, otherwise: -x)"},
    // hardtanh is -1, x, 1 at -1 and 1; relu6 is 0, x, 6 at 0 and 6: four breaks
    {"hardtanh(x) + relu6(x)",
     "piecewise(x <= -1: -1, x <= 0: x, x <= 1: 2*x, x <= 6: x + 1, otherwise: 7)"},
    {"clamp(x, 0, 1)", "piecewise(x <= 0: 0, x <= 1: x, otherwise: 1)"},
    // a staircase of slopes: each relu adds 1 to the slope from its break on
    {"relu(x) + relu(x - 1) + relu(x - 2)",
     "piecewise(x <= 0: 0, x <= 1: x, x <= 2: 2*x - 1, otherwise: 3*x - 3)"},
    // a staircase of values: heaviside(0) is 0.5, so each step has a point of its own
    {"heaviside(x) + heaviside(x - 1)",
     "piecewise(x < 0: 0, x == 0: 0.5, x < 1: 1, x == 1: 1.5, otherwise: 2)"},
    {"leaky_relu(x, 0.5) + abs(x)", "piecewise(x > 0: 2*x, otherwise: -0.5*x)"},
    {"max(x, 1) - min(x, 1)", "piecewise(x > 1: x - 1, otherwise: 1 - x)"},
    // an abs inside a condition: solved once each side of 0 is known (a helper found these
    // left as x*piecewise(x < 0: -1, otherwise: 1) < 1)
    {"min(1, abs(x))", "piecewise(x <= -1: 1, x <= 0: -x, x <= 1: x, otherwise: 1)"},
    {"where(abs(x) > 1, x, 0)", "piecewise(x < -1: x, x <= 1: 0, otherwise: x)"},
    // a short factor in x goes into the cases (a helper found x*piecewise(...) as a branch)
    {"hardswish(x)", "piecewise(x <= -3: 0, x <= 3: x*(x + 3)/6, otherwise: x)"},
    {"clamp(2*x, -1, 1)*x", "piecewise(x <= -0.5: -x, x <= 0.5: 2*x^2, otherwise: x)"},
};
}  // namespace

BOOST_DATA_TEST_CASE(f_as_cases_over_intervals, bdata::make(cases_by_hand), c) {
  const Expr f = parse(c.f);
  const Expr folded = as_cases(f, "x");
  BOOST_TEST(to_text(folded) == c.folded);
  for (int i = 0; i <= 200; ++i) {
    const double x = -8 + 0.08 * i;  // -1, 0, 1, 2 and 6 are among them (to rounding)
    for (const double at : {x, std::round(x)}) {
      const Env env{{"x", at}};
      BOOST_TEST(eval(folded, env) == eval(f, env), boost::test_tools::tolerance(1e-12));
    }
  }
}

BOOST_AUTO_TEST_CASE(other_variables_stay_readable) {
  // w*x + b has no known sign of w: its condition stays as written, inside the cases of x
  const Expr f = parse("relu(w*x + b) + relu(x)");
  const Expr folded = as_cases(f, "x");
  BOOST_TEST(to_text(folded) ==
             "piecewise(x > 0: piecewise(w*x + b > 0: w*x + b, otherwise: 0) + x, "
             "w*x + b > 0: w*x + b, otherwise: 0)");
  for (const Env& at : {Env{{"x", -1}, {"w", 2}, {"b", 3}}, Env{{"x", 2}, {"w", -1}, {"b", 1}}})
    BOOST_TEST(eval(folded, at) == eval(f, at));
}

BOOST_AUTO_TEST_CASE(a_slope_that_over_or_underflows_keeps_the_product_as_written) {
  // Collected into slope*x, 1e-200*(1e-200*x) would be 0*x (the slope 1e-400 underflows), 0
  // everywhere, where f is 1e-100 at 1e300; 1e200*(1e200*x) would be inf*x, NaN at 0.
  for (const char* text : {"1e-200*(1e-200*x)", "1e200*(1e200*x)", "relu(1e-200*(1e-200*x))"}) {
    const Expr f = parse(text);
    const Expr folded = as_cases(f, "x");
    for (const double at : {-1e300, -1.0, 0.0, 1.0, 1e300}) {
      const Env env{{"x", at}};
      const double want = eval(f, env), got = eval(folded, env);
      BOOST_TEST(
          (got == want || (std::isnan(got) && std::isnan(want))),
          text << " at " << at << ": " << to_text(folded) << " gives " << got << ", f " << want);
    }
  }
}
