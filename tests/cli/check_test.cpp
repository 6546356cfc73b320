// SPDX-License-Identifier: MIT
// slope check through the built executable: the report and the exit status.
#include <fmt/format.h>

#include <algorithm>
#include <boost/test/unit_test.hpp>
#include <cmath>
#include <regex>

#include "cli/run_slope.hpp"
#include "support/chain_text.hpp"

using namespace cli_testing;

BOOST_AUTO_TEST_CASE(a_valid_gradient_passes_also_at_a_kink) {
  const Run r = run_slope({"check", "relu(x) + sin(y)", "--at", "x=0,y=0.2"});
  BOOST_TEST(r.status == 0, r.err);
  BOOST_TEST(r.out ==
             "d/dx: tape 0, one-sided slopes 0 and 1 (differences 0 and 1): ok\n"
             "d/dy: tape 0.9800665778412416, finite difference 0.980066578: ok\n"
             "(convention at kinks: min_norm)\n");
}

BOOST_AUTO_TEST_CASE(the_composition_trap_fails_with_exit_1) {
  const Run r = run_slope({"check", "relu(x) - relu(-x)", "--at", "x=0"});
  BOOST_TEST(r.status == 1);
  BOOST_TEST(r.out ==
             "d/dx: tape 0, finite difference 1: MISMATCH (the tape's 0 lies outside f's "
             "one-sided slopes: the min_norm convention of relu(x), relu(-x), applied op by op, "
             "cannot see the whole function)\n"
             "(convention at kinks: min_norm)\n");
  BOOST_TEST(r.err == "slope check: the gradient check failed\n");
  // average puts 1 = (0 + 1)/2 + (0 + 1)/2 there: inside
  const Run average =
      run_slope({"check", "relu(x) - relu(-x)", "--at", "x=0", "--convention", "average"});
  BOOST_TEST(average.status == 0);
  BOOST_TEST(average.out ==
             "d/dx: tape 1, finite difference 1: ok\n"
             "(convention at kinks: average)\n");
}

BOOST_AUTO_TEST_CASE(bad_calls_are_refused) {
  BOOST_TEST(run_slope({"check", "relu(x)", "--at", "x=0", "--h", "0"}).status == 2);
  BOOST_TEST(run_slope({"check", "relu(x)", "--at", "x=0", "--h", "nan"}).status == 2);
  BOOST_TEST(run_slope({"check", "relu(x)", "--at", "x=0", "--convention", "whole:left"}).status ==
             2);
  const Run unbound = run_slope({"check", "relu(x)"});
  BOOST_TEST(unbound.status == 1);
  BOOST_TEST(contains(unbound.err, "'x'"));
}

BOOST_AUTO_TEST_CASE(a_name_the_expression_never_spells_is_refused) {
  const Run r = run_slope({"check", "relu(x)", "--at", "x=0,y=1"});
  BOOST_TEST(r.status == 2);
  BOOST_TEST(r.err == "slope: --at y: the expression has no variable y (its variables: x)\n");
}

BOOST_AUTO_TEST_CASE(a_16000_deep_chain_is_checked_against_the_chain_rule) {
  // relu(softplus(x) + 0.1) nested 16,000 deep: f's exact one-sided slopes (the smooth piece on
  // each side, differentiated) and the tape's value, against the chain rule multiplied out here.
  // The pieces once re-walked the chain below every op, and each level's product of factors was
  // copied into the next: 48 s (speed: bench/, not here).
  const auto [v, d] = slope::testing::softplus_chain(0.3, 16000);
  const Run r = run_slope({"check", "-", "--at", "x=0.3"},
                          slope::testing::nested_chain("relu(softplus(x) + 0.1)", {20, 20, 40}));
  BOOST_TEST(r.status == 0, r.err);
  std::smatch m;
  const std::regex line(R"(d/dx: tape (\S+), finite difference (\S+): ok\n)");
  BOOST_TEST_REQUIRE(std::regex_search(r.out, m, line), r.out);
  BOOST_TEST(std::stod(m[1]) == d, boost::test_tools::tolerance(1e-9));
  BOOST_TEST(std::stod(m[2]) == d, boost::test_tools::tolerance(1e-5));
}

BOOST_AUTO_TEST_CASE(under_undefined_a_tie_on_a_whole_stretch_has_fs_slope) {
  // Each is smooth at the point, with an op at a tie or kink that holds on a whole stretch:
  // clamp(x, relu(x), 1) is x on [0, 1], max(abs(x), x) is x for x >= 0, relu(relu(x) - x) is
  // 0 for x >= 0. Op by op, undefined would see a kink; the tape's forward sweep sees that
  // the tie's sides move together, and gives f's slope.
  const std::pair<const char*, const char*> cases[] = {
      {"clamp(x, relu(x), 1)", "x=0.5"}, {"max(abs(x), x)", "x=0.5"}, {"relu(relu(x) - x)", "x=1"}};
  for (const auto& [f, at] : cases) {
    const Run r = run_slope({"check", f, "--at", at, "--convention", "undefined"});
    BOOST_TEST(r.status == 0, f << ": " << r.out);
    const double slope = std::string(f).starts_with("relu") ? 0 : 1;
    BOOST_TEST(r.out == fmt::format("d/dx: tape {0}, finite difference {0}: ok\n"
                                    "(convention at kinks: undefined)\n",
                                    slope),
               f);
  }
  // hardtanh(relu(x) - x + 1) is 1 near 0, but relu sits at its kink at 0 itself: undefined,
  // op by op, has no value there (the composition trap), and the check names it
  const Run trap =
      run_slope({"check", "hardtanh(relu(x) - x + 1)", "--at", "x=0", "--convention", "undefined"});
  BOOST_TEST(trap.status == 1);
  BOOST_TEST(trap.out ==
             "d/dx: tape undefined, finite difference 0: MISMATCH (the tape's undefined lies "
             "outside f's one-sided slopes: the undefined convention of relu(x), "
             "hardtanh(relu(x) - x + 1, -1, 1), applied op by op, cannot see the whole "
             "function)\n(convention at kinks: undefined)\n");
}
