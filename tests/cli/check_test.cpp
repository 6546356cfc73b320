// SPDX-License-Identifier: MIT
// slope check through the built executable: the report and the exit status.
#include <boost/test/unit_test.hpp>

#include "cli/run_slope.hpp"

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
