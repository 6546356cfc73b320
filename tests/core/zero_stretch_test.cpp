// SPDX-License-Identifier: MIT
// zero_stretch: the ends of a stretch of doubles where a test holds, found in a few dozen
// evaluations however many doubles it spans, and never past the interval or the reach.
#include "core/zero_stretch.hpp"

#include <boost/test/data/test_case.hpp>
#include <boost/test/unit_test.hpp>
#include <cfloat>
#include <cmath>
#include <tuple>
#include <vector>

namespace bdata = boost::unit_test::data;
using slope::detail::double_at;
using slope::detail::double_order;
using slope::detail::zero_stretch;

BOOST_AUTO_TEST_CASE(double_order_counts_doubles_in_their_order) {
  const std::vector<double> sorted{-HUGE_VAL, -DBL_MAX, -1.0,    -DBL_MIN, -4.9e-324, 0.0,
                                   4.9e-324,  DBL_MIN,  0x1p-53, 1.0,      DBL_MAX,   HUGE_VAL};
  for (std::size_t i = 0; i < sorted.size(); ++i) {
    BOOST_TEST(double_at(double_order(sorted[i])) == sorted[i]);
    if (i > 0) BOOST_TEST(double_order(sorted[i]) > double_order(sorted[i - 1]));
  }
  BOOST_TEST(double_order(-0.0) == 0);
  BOOST_TEST(double_order(4.9e-324) - double_order(-4.9e-324) == 2);  // -min, 0, +min
  BOOST_TEST(double_at(double_order(1.0) + 1) == std::nextafter(1.0, 2.0));
}

namespace {
struct Band {  // a test that holds on [lo, hi] exactly, searched from v
  double lo, hi, v;
};
std::ostream& operator<<(std::ostream& os, const Band& b) {
  return os << "[" << b.lo << ", " << b.hi << "] from " << b.v;
}
const std::vector<Band> bands{
    {-1.0, 2.0, 0.5},
    {-4.9e-324, 1e-310, 0.0},         // subnormal ends
    {1e-300, 1e-300, 1e-300},         // one double
    {0.1, 0.30000000000000004, 0.3},  // searched from near an end
    {-1e300, 1e300, 0.0},             // 2^63 doubles and more
    {-DBL_MAX, DBL_MAX, -3.0},        // every finite double
    {-0x1p-54, 0x1p-53, 0.0},         // where 1 + u rounds to 1
};
}  // namespace

BOOST_DATA_TEST_CASE(the_ends_of_a_stretch_are_its_first_and_last_doubles, bdata::make(bands), b) {
  int calls = 0;
  const auto inside = [&](double u) {
    ++calls;
    return b.lo <= u && u <= b.hi;
  };
  const auto [lo, hi] = zero_stretch(inside, b.v, HUGE_VAL, -HUGE_VAL, HUGE_VAL);
  BOOST_TEST(lo == b.lo);
  BOOST_TEST(hi == b.hi);
  // Steps and bisection both count doubles: some 64 of each per side at most.
  BOOST_TEST(calls <= 4 * 66);
}

BOOST_AUTO_TEST_CASE(rounding_makes_a_stretch_found_in_few_evaluations) {
  // 1 + u rounds to 1 for u in [-2^-54, 2^-53] (ties to even): some 2^62 doubles either side of
  // 0, which doubling steps in value took about a thousand evaluations to cross.
  int calls = 0;
  const auto rounds_to_one = [&](double u) {
    ++calls;
    return 1.0 + u == 1.0;
  };
  const auto [lo, hi] =
      zero_stretch(rounds_to_one, 0.0, slope::detail::rounding_reach(0.0), -HUGE_VAL, HUGE_VAL);
  BOOST_TEST(lo == -0x1p-54);
  BOOST_TEST(hi == 0x1p-53);
  BOOST_TEST(calls <= 4 * 66);
}

BOOST_AUTO_TEST_CASE(the_search_stops_at_the_reach_and_the_interval) {
  const auto always = [](double) { return true; };
  const auto [lo, hi] = zero_stretch(always, 0.0, 1e-3, -HUGE_VAL, HUGE_VAL);
  BOOST_TEST(lo == -1e-3);
  BOOST_TEST(hi == 1e-3);
  const auto [from, to] = zero_stretch(always, 0.5, HUGE_VAL, 0.25, 0.75);
  BOOST_TEST(from == 0.25);
  BOOST_TEST(to == 0.75);
  // without a bound, the last finite doubles
  const auto [most_negative, most_positive] =
      zero_stretch(always, 1.0, HUGE_VAL, -HUGE_VAL, HUGE_VAL);
  BOOST_TEST(most_negative == -DBL_MAX);
  BOOST_TEST(most_positive == DBL_MAX);
  // v outside the interval, or no interval: nothing is searched
  for (const auto& [v, lo, hi] : {std::tuple(2.0, 0.0, 1.0), std::tuple(0.5, 1.0, 0.0),
                                  std::tuple(0.5, std::nan(""), std::nan(""))}) {
    const auto [first, last] = zero_stretch(always, v, HUGE_VAL, lo, hi);
    BOOST_TEST(first == v);
    BOOST_TEST(last == v);
  }
  // a point where the test fails at once is a stretch of one double
  const auto [a, b] =
      zero_stretch([](double u) { return u == 2.0; }, 2.0, 1.0, -HUGE_VAL, HUGE_VAL);
  BOOST_TEST(a == 2.0);
  BOOST_TEST(b == 2.0);
}
