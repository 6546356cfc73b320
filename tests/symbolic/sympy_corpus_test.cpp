// SPDX-License-Identifier: MIT
// The SymPy corpus: slope's folded derivative of each one-variable expression equals SymPy's
// `simplify(piecewise_fold(diff(f)))` at 200 points off the kinks, and is no longer than it.
//
// "No longer" is counted in intervals of x, left to right, the form slope prints: slope's
// branches other than kink points are at most SymPy's intervals (a SymPy piece whose condition
// joins non-adjacent intervals with Or, as `(x >= 0) | (x < -1)`, counts once per interval), and
// slope's kink points (`x == a` branches, where the convention gives a kink a value of its own:
// op by op, abs(x - 1) + abs(x + 1) is -1 + 0 at x = -1, neither side's slope) are at most one
// per boundary between SymPy's intervals. SymPy's raw piece count is reported too.
//
// SymPy's answers are data, tests/symbolic/sympy_corpus.json. Regenerate them with
//     /usr/bin/python3 tests/symbolic/sympy_corpus.py > tests/symbolic/sympy_corpus.json
// (Debian's python3-sympy).
#include <boost/test/unit_test.hpp>
#include <cmath>
#include <fstream>
#include <nlohmann/json.hpp>

#include "slope/slope.hpp"

using namespace slope;

namespace {
/// The leaves of a where/piecewise chain (1 for a plain expression).
int branches(const Expr& e) {
  return e.op() == Op::Piecewise ? branches(e.arg(1)) + branches(e.arg(2)) : 1;
}
/// The branches of a chain that hold at one point, `x == a`: kinks valued on their own.
int points(const Expr& e) {
  if (e.op() != Op::Piecewise) return 0;
  const Expr& c = e.arg(0);
  const bool point = c.op() == Op::Eq && (c.arg(0).is_const() || c.arg(1).is_const());
  return point + points(e.arg(1)) + points(e.arg(2));
}

nlohmann::json corpus() {
  std::ifstream in(SLOPE_SYMPY_CORPUS);
  BOOST_TEST_REQUIRE(in.good(), "cannot read " << SLOPE_SYMPY_CORPUS);
  return nlohmann::json::parse(in);
}
}  // namespace

BOOST_AUTO_TEST_CASE(the_corpus_has_forty_expressions_and_two_hundred_points) {
  const auto data = corpus();
  BOOST_TEST(data.at("entries").size() >= 40u);
  BOOST_TEST(data.at("points").size() == 200u);
  for (const auto& entry : data.at("entries"))
    BOOST_TEST(entry.at("values").size() == 200u, entry.at("slope").get<std::string>());
}

BOOST_AUTO_TEST_CASE(folded_derivatives_are_no_longer_than_sympys_and_equal_it) {
  const auto data = corpus();
  const auto points_x = data.at("points").get<std::vector<double>>();
  int within_pieces = 0;
  for (const auto& entry : data.at("entries")) {
    const auto text = entry.at("slope").get<std::string>();
    const Expr d = diff(parse(text), "x");
    const int kinks = points(d), intervals = branches(d) - kinks;
    const int theirs = entry.at("sympy_intervals").get<int>();
    BOOST_TEST_CONTEXT(text << "\n  slope: " << to_text(d)
                            << "\n  sympy: " << entry.at("sympy").get<std::string>()) {
      BOOST_TEST(intervals <= theirs, "slope " << intervals << " intervals, SymPy " << theirs);
      BOOST_TEST(kinks <= theirs - 1,
                 "slope " << kinks << " kink points, SymPy " << theirs - 1 << " boundaries");
      within_pieces += branches(d) <= entry.at("sympy_branches").get<int>() + 1;
      const auto values = entry.at("values").get<std::vector<double>>();
      for (std::size_t i = 0; i < points_x.size(); ++i) {
        const double got = eval(d, {{"x", points_x[i]}}), want = values[i];
        BOOST_TEST(std::abs(got - want) <= 1e-9 * std::abs(want) + 1e-12,
                   "at x = " << points_x[i] << ": slope " << got << ", SymPy " << want);
      }
    }
  }
  BOOST_TEST_MESSAGE(within_pieces << " of " << data.at("entries").size()
                                   << " have at most SymPy's piece count + 1 branches");
}
