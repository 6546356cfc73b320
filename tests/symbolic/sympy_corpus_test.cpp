// SPDX-License-Identifier: MIT
// The SymPy corpus: slope's folded derivative of each one-variable expression has no more
// branches than SymPy's `simplify(piecewise_fold(diff(f)))` (one extra allowed: a kink point the
// convention values separately) and equals it at 200 points off the kinks.
//
// SymPy's answers are data, tests/symbolic/sympy_corpus.json. Regenerate them with
//     /usr/bin/python3 tests/symbolic/sympy_corpus.py > tests/symbolic/sympy_corpus.json
// (Debian's python3-sympy). Entries marked "known_gap" are over the branch bound today; for
// them only the values are checked, and the reason says why.
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

BOOST_AUTO_TEST_CASE(folded_derivatives_have_no_more_branches_than_sympy_and_equal_it) {
  const auto data = corpus();
  const auto points = data.at("points").get<std::vector<double>>();
  int within = 0, gaps = 0;
  for (const auto& entry : data.at("entries")) {
    const auto text = entry.at("slope").get<std::string>();
    const Expr d = diff(parse(text), "x");
    const int mine = branches(d), theirs = entry.at("sympy_branches").get<int>();
    const bool gap = entry.value("known_gap", false);
    BOOST_TEST_CONTEXT(text << "\n  slope: " << to_text(d)
                            << "\n  sympy: " << entry.at("sympy").get<std::string>()) {
      if (gap) {
        ++gaps;
        BOOST_TEST(!entry.at("reason").get<std::string>().empty());
        // A gap that closes must lose its mark, so the bound is checked from then on.
        BOOST_TEST(mine > theirs + 1, "within the bound now: drop its known_gap in the script");
      } else {
        BOOST_TEST(mine <= theirs + 1, "slope " << mine << " branches, SymPy " << theirs);
      }
      within += mine <= theirs + 1;
      const auto values = entry.at("values").get<std::vector<double>>();
      for (std::size_t i = 0; i < points.size(); ++i) {
        const double got = eval(d, {{"x", points[i]}}), want = values[i];
        BOOST_TEST(std::abs(got - want) <= 1e-9 * std::abs(want) + 1e-12,
                   "at x = " << points[i] << ": slope " << got << ", SymPy " << want);
      }
    }
  }
  BOOST_TEST_MESSAGE(within << " of " << data.at("entries").size()
                            << " within SymPy's branches + 1; " << gaps << " known gaps");
}
