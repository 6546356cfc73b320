// SPDX-License-Identifier: MIT
// slope grad through the built executable: text, and JSON parsed with its values asserted.
#include <algorithm>
#include <boost/test/unit_test.hpp>
#include <cmath>
#include <nlohmann/json.hpp>
#include <sstream>

#include "cli/run_slope.hpp"
#include "slope/slope.hpp"
#include "support/chain_text.hpp"

using namespace cli_testing;
using nlohmann::json;

namespace {
json grad_json(std::vector<std::string> args) {
  args.insert(args.begin(), "grad");
  args.push_back("--json");
  const Run r = run_slope(args);
  BOOST_TEST_REQUIRE(r.status == 0, r.err);
  return json::parse(r.out);
}
}  // namespace

BOOST_AUTO_TEST_CASE(grad_text) {
  BOOST_TEST(run_slope({"grad", "relu(w*x + b)", "--at", "x=1.5,w=2,b=-1"}).out ==
             "f = 2\ndf/dw = 1.5\ndf/dx = 2\ndf/db = 1\n(convention at kinks: min_norm)\n");
  // at the kink: the exact one-sided partials, and one line for the op on its kink
  BOOST_TEST(run_slope({"grad", "relu(w*x + b)", "--at", "x=0.5,w=2,b=-1"}).out ==
             "f = 0\n"
             "df/dw = 0  (0 from the left, 0.5 from the right)\n"
             "df/dx = 0  (0 from the left, 2 from the right)\n"
             "df/db = 0  (0 from the left, 1 from the right)\n"
             "relu(w*x + b) is at its kink (w*x + b = 0): its slope is 0 below, 1 above; "
             "min_norm uses 0\n"
             "(convention at kinks: min_norm)\n");
}

BOOST_AUTO_TEST_CASE(a_vertical_tangent_says_f_has_no_derivative) {
  // both one-sided slopes are +inf: relu's 0 under min_norm makes the tape's 0, which no
  // slope of f is; the note says so (it printed a bare 0)
  BOOST_TEST(
      run_slope({"grad", "relu(x)^0.5 - relu(-x)^0.5", "--at", "x=0"})
          .out.starts_with("f = 0\ndf/dx = 0  (a vertical tangent: slope inf from both sides, so f "
                           "has no derivative "
                           "here; 0 is the min_norm convention's value, applied op by op)\n"));
  const json j = grad_json({"relu(x)^0.5 - relu(-x)^0.5", "--at", "x=0"});
  BOOST_TEST(j["one_sided"]["x"]["left"] == "inf");
  BOOST_TEST(j["one_sided"]["x"]["right"] == "inf");
  BOOST_REQUIRE(j["warnings"].size() == 1U);
  BOOST_TEST(j["warnings"][0].get<std::string>().starts_with("d/dx: f has a vertical tangent"));
}

BOOST_AUTO_TEST_CASE(a_tie_of_max_or_min_names_each_arguments_share) {
  // df/dx = 0.5 * 1 + 0.5 * 2 under min_norm, 0 * 1 + 1 * 2 under left: the shares add up to f'
  const std::vector<std::pair<std::string, std::string>> cases{
      {"min_norm",
       "1.5  (1 from the left, 2 from the right)\nmax(x, 2*x) is at a tie (x = 2*x): "
       "it follows one argument on each side; min_norm takes 0.5 of x's slope and 0.5 "
       "of 2*x's\n"},
      {"left",
       "2  (1 from the left, 2 from the right)\nmax(x, 2*x) is at a tie (x = 2*x): it "
       "follows one argument on each side; left takes 0 of x's slope and 1 of 2*x's\n"},
      {"whole:left",
       "1  (1 from the left, 2 from the right)\nmax(x, 2*x) is at a tie (x = 2*x): "
       "it follows one argument on each side\n"}};
  for (const auto& [convention, line] : cases)
    BOOST_TEST(run_slope({"grad", "max(x, 2*x)", "--at", "x=0", "--convention", convention}).out ==
               "f = 0\ndf/dx = " + line + "(convention at kinks: " + convention + ")\n");
  // clamp at a tie with a bound that moves is max(x, y) there: the same shares, named so
  BOOST_TEST(run_slope({"grad", "clamp(x, y, 1)", "--at", "x=0.5,y=0.5"}).out ==
             "f = 0.5\n"
             "df/dx = 0.5  (0 from the left, 1 from the right)\n"
             "df/dy = 0.5  (0 from the left, 1 from the right)\n"
             "clamp(x, y, 1) is at a tie of x with its lower bound (x = y): it follows one of "
             "them on each side; min_norm takes 0.5 of x's slope and 0.5 of y's\n"
             "(convention at kinks: min_norm)\n");
  // all three tie: max's shares pass through min's, so z takes half and x and y a quarter each
  // (the partials printed above the line); in z, f = min(1, z) there: slopes 1 | 0
  BOOST_TEST(run_slope({"grad", "clamp(x, y, z)", "--at", "x=1,y=1,z=1"}).out ==
             "f = 1\n"
             "df/dx = 0.25  (along x alone f has slope 0, but the min_norm convention, applied "
             "op by op, gives 0.25; a whole: convention gives an element of f's Clarke gradient)\n"
             "df/dy = 0.25  (along y alone f has slope 0, but the min_norm convention, applied "
             "op by op, gives 0.25; a whole: convention gives an element of f's Clarke gradient)\n"
             "df/dz = 0.5  (1 from the left, 0 from the right)\n"
             "clamp(x, y, z) is at a tie of x with its lower bound (x = y): it follows one of "
             "them on each side; min_norm takes 0.25 of x's slope, 0.25 of y's and 0.5 of z's\n"
             "(convention at kinks: min_norm)\n");
  // x at a constant lo, where hi meets it: the kink is in y (f = min(0, y) along y)
  const json bounds_meet = grad_json({"clamp(x, 0, y)", "--at", "x=0,y=0"});
  BOOST_TEST(bounds_meet["one_sided"]["y"]["left"] == 1.0);
  BOOST_TEST(bounds_meet["one_sided"]["y"]["right"] == 0.0);
  BOOST_TEST(bounds_meet["one_sided"]["x"]["left"] == 0.0);
  // undefined has no shares: a value where the arguments' slopes agree (sin'(0) = 1 = x')
  BOOST_TEST(
      run_slope({"grad", "max(sin(x), x)", "--at", "x=0", "--convention", "undefined"}).out ==
      "f = 0\ndf/dx = 1\nmax(sin(x), x) is at a tie (sin(x) = x): it follows one argument on "
      "each side; undefined gives a value only where their slopes agree\n"
      "(convention at kinks: undefined)\n");
  // against a constant only the varying argument's share is named
  BOOST_TEST(run_slope({"grad", "min(x, 1)", "--at", "x=1", "--convention", "right"}).out ==
             "f = 1\ndf/dx = 0  (1 from the left, 0 from the right)\n"
             "min(1, x) is at a tie (x = 1): it follows one argument on each side; right takes 0 "
             "of x's slope\n(convention at kinks: right)\n");
}

BOOST_AUTO_TEST_CASE(a_condition_that_holds_on_both_sides_of_its_tie_says_so) {
  // x^2 touches 0 without crossing; abs(x) > 0 is false at 0 alone. The sides' difference has
  // a kink there, yet the slope is f's (2x beside 0 and 0 = 3*0 at it): read on each side.
  BOOST_TEST(run_slope({"grad", "where(x^2 >= 0, 5*x, x)", "--at", "x=0"}).out ==
             "f = 0\ndf/dx = 5\nx^2 >= 0 is at x^2 = 0, and is true on both sides of it\n"
             "(convention at kinks: min_norm)\n");
  BOOST_TEST(
      run_slope({"grad", "where(abs(x) > 0, 2*x, 3*x)", "--at", "x=0", "--convention", "right"})
          .out ==
      "f = 0\ndf/dx = 2\n"
      "abs(x) is at its kink (x = 0): its slope is -1 below, 1 above; right "
      "uses 1\n"
      "abs(x) > 0 is at abs(x) = 0, and is true on both sides of it (false at "
      "that point alone)\n"
      "(convention at kinks: right)\n");
  // an inequality that parts at the point: a boundary the convention weighs, not "a slope of 0
  // whatever the convention" (that is the comparison's own slope, not f's: right gives 1 here)
  BOOST_TEST(run_slope({"grad", "where(x^3 > 8, x, 2*x - 2)", "--at", "x=2"}).out ==
             "f = 2\ndf/dx = 1.5  (2 from the left, 1 from the right)\n"
             "x^3 > 8 is at x^3 - 8 = 0: false just left of x = 2, true just right of it\n"
             "(convention at kinks: min_norm)\n");
  // an equality that holds on one side only: a boundary (f is |x|), described in x
  BOOST_TEST(
      run_slope({"grad", "where(relu(x) == 0, -x, x)", "--at", "x=0", "--convention", "left"})
          .out ==
      "f = 0\ndf/dx = -1  (-1 from the left, 1 from the right)\n"
      "relu(x) is at its kink (x = 0): its slope is 0 below, 1 above; left "
      "uses 0\n"
      "relu(x) == 0 is at relu(x) = 0: true just left of x = 0, false just "
      "right of it\n"
      "(convention at kinks: left)\n");
  // a comparison that switches keeps its own description
  BOOST_TEST(run_slope({"grad", "where(sign(x) == 0, 2*x, 3*x)", "--at", "x=0"}).out ==
             "f = 0\ndf/dx = 3\n"
             "sign(x) is at x = 0, where it jumps from -1 to 1 as x rises through 0; its slope "
             "is 0 on both sides\n"
             "sign(x) == 0 is at sign(x) = 0, where it is 1 at that point alone and 0 on either "
             "side\n"
             "(convention at kinks: min_norm)\n");
}

BOOST_AUTO_TEST_CASE(an_op_with_no_corner_says_so) {
  // sqrt at 0 has one side only; sign at 0 jumps with slope 0 on both sides: no convention
  // has two slopes to choose between, and a jump of f is no derivative whatever df/dx says.
  BOOST_TEST(run_slope({"grad", "sqrt(x)", "--at", "x=0"}).out ==
             "f = 0\n"
             "df/dx = inf  (undefined from the left, inf from the right)\n"
             "sqrt(x) is at x = 0, the edge of its domain: it has no value below, slope inf "
             "above\n"
             "(convention at kinks: min_norm)\n");
  BOOST_TEST(run_slope({"grad", "sign(x)", "--at", "x=0"}).out ==
             "f = 0\n"
             "df/dx = 0  (f jumps here, from -1 to 1: no derivative; slope 0 from the left, 0 "
             "from the right)\n"
             "sign(x) is at x = 0, where it jumps from -1 to 1 as x rises through 0; its slope "
             "is 0 on both sides\n"
             "(convention at kinks: min_norm)\n");
  BOOST_TEST(run_slope({"grad", "1/x", "--at", "x=0"}).out ==
             "f = inf\n"
             "df/dx = -inf  (f has a pole here (it tends to -inf from the left, inf from the "
             "right): no derivative)\n"
             "1/x is at x = 0, where it has a pole (it tends to -inf as x rises to 0, inf as it "
             "falls to 0)\n"
             "(convention at kinks: min_norm)\n");
  BOOST_TEST(run_slope({"grad", "log(x)", "--at", "x=0"}).out ==
             "f = -inf\n"
             "df/dx = inf  (f has a pole here (it has no values to the left and tends to -inf "
             "from the right): no derivative)\n"
             "log(x) is at x = 0, the edge of its domain: it has no value below, slope inf above\n"
             "(convention at kinks: min_norm)\n");
  const json jump = grad_json({"sign(x)", "--at", "x=0"});
  BOOST_TEST(jump["one_sided"]["x"]["continuous"] == false);
  BOOST_TEST(jump["one_sided"]["x"]["left"] == 0.0);
  const json kink = grad_json({"relu(x)", "--at", "x=0"});
  BOOST_TEST(kink["one_sided"]["x"]["continuous"] == true);
  BOOST_TEST(kink["one_sided"]["x"]["right"] == 1.0);
}

BOOST_AUTO_TEST_CASE(grad_json_values_and_gradient) {
  const json j = grad_json({"relu(w*x + b)", "--at", "x=1.5,w=2,b=-1"});
  BOOST_TEST(j["expression"] == "relu(w*x + b)");
  BOOST_TEST(j["value"] == 2.0);
  BOOST_TEST(j["gradient"]["w"] == 1.5);
  BOOST_TEST(j["gradient"]["x"] == 2.0);
  BOOST_TEST(j["gradient"]["b"] == 1.0);
  BOOST_TEST(j["convention"] == "min_norm");
  BOOST_TEST(j["one_sided"]["x"]["left"] == 2.0);
  BOOST_TEST(j["one_sided"]["x"]["right"] == 2.0);
  BOOST_TEST(j["kinks"].empty());
  const json third = grad_json({"x/3", "--at", "x=1"});
  BOOST_TEST(third["gradient"]["x"] == 1.0 / 3);
  const json log0 = grad_json({"log(x)", "--at", "x=0"});
  BOOST_TEST(log0["value"].is_null());
  BOOST_TEST(log0["warnings"] == json({"the value is -infinity", "d/dx is +infinity"}));
}

BOOST_AUTO_TEST_CASE(grad_json_at_a_kink_names_the_op_and_the_exact_slopes) {
  const json j = grad_json({"relu(x)", "--at", "x=0", "--convention", "right"});
  BOOST_TEST(j["gradient"]["x"] == 1.0);
  BOOST_TEST(j["one_sided"]["x"]["left"] == 0.0);
  BOOST_TEST(j["one_sided"]["x"]["right"] == 1.0);
  BOOST_REQUIRE(j["kinks"].size() == 1U);
  BOOST_TEST(j["kinks"][0]["node"] == "relu(x)");
  BOOST_TEST(j["kinks"][0]["argument"] == "x");
  BOOST_TEST(j["kinks"][0]["left"] == 0.0);
  BOOST_TEST(j["kinks"][0]["right"] == 1.0);
  BOOST_TEST(j["kinks"][0]["chosen"] == 1.0);
  // max(2x, x + 1) at 1: slopes 1 and 2; min_norm op by op gives 1.5
  const json m = grad_json({"max(2*x, x + 1)", "--at", "x=1"});
  BOOST_TEST(m["gradient"]["x"] == 1.5);
  BOOST_TEST(m["one_sided"]["x"]["left"] == 1.0);
  BOOST_TEST(m["one_sided"]["x"]["right"] == 2.0);
  BOOST_TEST(m["kinks"][0]["argument"] == "2*x - (x + 1)");  // where the two sides tie
  // min(x*y, 1) at (1, 1): 1 from the left, 0 from the right, in each variable
  const json mm = grad_json({"min(x*y, 1)", "--at", "x=1,y=1"});
  BOOST_TEST(mm["one_sided"]["x"]["left"] == 1.0);
  BOOST_TEST(mm["one_sided"]["x"]["right"] == 0.0);
  BOOST_TEST(mm["one_sided"]["y"]["left"] == 1.0);
  BOOST_TEST(mm["one_sided"]["y"]["right"] == 0.0);
}

BOOST_AUTO_TEST_CASE(the_argument_is_written_as_the_user_wrote_it) {
  const json j = grad_json({"relu(-x)", "--at", "x=0"});
  BOOST_TEST(j["kinks"][0]["argument"] == "-x");
  BOOST_TEST(j["one_sided"]["x"]["left"] == -1.0);
  const json s = grad_json({"sqrt(abs(x))", "--at", "x=0"});
  BOOST_TEST(s["one_sided"]["x"]["left"] == "-inf");
  BOOST_TEST(s["one_sided"]["x"]["right"] == "inf");
}

BOOST_AUTO_TEST_CASE(a_variable_the_expression_lost_still_has_its_partial) {
  const json j = grad_json({"x - x + y", "--at", "x=1,y=2"});
  BOOST_TEST(j["gradient"]["x"] == 0.0);
  BOOST_TEST(j["gradient"]["y"] == 1.0);
  // with no value for it too (f does not depend on it), and through a definition; a
  // definition's parameter is no variable of f
  const json k = grad_json({"x - x + y", "--at", "y=2"});
  BOOST_TEST(k["gradient"].size() == 2U);
  BOOST_TEST(k["gradient"]["x"] == 0.0);
  const json d = grad_json({"g(u) = u - u + 2*u; g(y) + 0*z", "--at", "y=2"});
  BOOST_TEST(d["gradient"].size() == 2U);
  BOOST_TEST(d["gradient"]["y"] == 2.0);
  BOOST_TEST(d["gradient"]["z"] == 0.0);
}

BOOST_AUTO_TEST_CASE(a_tie_on_a_whole_interval_is_no_kink) {
  // issue 11, wrong today 1: f is 3x for every x < 0
  const json j = grad_json({"piecewise(relu(x) > 0: x^2, otherwise: 3*x)", "--at", "x=-1"});
  BOOST_TEST(j["gradient"]["x"] == 3.0);
  const json w = grad_json({"where(relu(x) > relu(y), x, 2*y)", "--at", "x=-1,y=-2"});
  BOOST_TEST(w["gradient"]["x"] == 0.0);
  BOOST_TEST(w["gradient"]["y"] == 2.0);
}

BOOST_AUTO_TEST_CASE(whole_expression_conventions) {
  // relu(x) - relu(-x) is x: op by op min_norm gives 0 at 0, whole:min_norm gives 1
  BOOST_TEST(grad_json({"relu(x) - relu(-x)", "--at", "x=0"})["gradient"]["x"] == 0.0);
  const json w = grad_json({"relu(x) - relu(-x)", "--at", "x=0", "--convention", "whole:min_norm"});
  BOOST_TEST(w["gradient"]["x"] == 1.0);
  BOOST_TEST(w["convention"] == "whole:min_norm");
  BOOST_TEST(w["kinks"][0]["chosen"].is_null());  // no op chose: the whole expression did
  const json m = grad_json({"min(x*y, 1)", "--at", "x=1,y=1", "--convention", "WHOLE:left"});
  BOOST_TEST(m["gradient"]["x"] == 1.0);
  BOOST_TEST(m["gradient"]["y"] == 1.0);
  const Run refused = run_slope({"diff", "relu(x)", "--convention", "whole:left"});
  BOOST_TEST(refused.status == 2);
  BOOST_TEST(contains(refused.err, "'whole:left' applies to the whole expression at a point"));
  BOOST_TEST(run_slope({"grad", "x", "--at", "x=0", "--convention", "whole:sideways"}).status == 2);
}

BOOST_AUTO_TEST_CASE(json_names_the_parts_of_an_expression_whose_text_is_two_to_the_forty) {
  // 135 characters; each f doubles the text, so f(f(...f(x)...)) 40 deep spells out to 2^40
  // (once refused): "expression" names its shared parts, and reads back as the same function.
  std::string e = "f(x)=x+sin(x);";
  for (int i = 0; i < 40; ++i) e += "f(";
  e += "x" + std::string(40, ')');
  const Run r = run_slope({"grad", e, "--at", "x=0", "--json"});
  BOOST_TEST_REQUIRE(r.status == 0, r.err);
  const auto j = nlohmann::json::parse(r.out);
  const std::string text = j.at("expression").get<std::string>();
  BOOST_TEST(text.size() < 10'000U);
  double u = 0.7;
  for (int i = 0; i < 40; ++i) u += std::sin(u);
  BOOST_TEST(slope::eval(slope::parse(text), {{"x", 0.7}}) == u);
  BOOST_TEST(j.at("gradient").at("x").get<double>() == 1099511627776.0);  // 2^40
  // The text form of grad does not print f, so it still answers: d/dx at 0 is 2^40.
  BOOST_TEST(run_slope({"grad", e, "--at", "x=0"}).out ==
             "f = 0\ndf/dx = 1099511627776\n(convention at kinks: min_norm)\n");
}

BOOST_AUTO_TEST_CASE(a_name_the_expression_never_spells_is_refused) {
  // x - x + y spells x (its partial is 0, above); z is nowhere: a typo, not a variable
  const Run r = run_slope({"grad", "w*x", "--at", "x=1,w=2,z=3"});
  BOOST_TEST(r.status == 2);
  BOOST_TEST(r.out.empty());
  BOOST_TEST(r.err == "slope: --at z: the expression has no variable z (its variables: w and x)\n");
}

BOOST_AUTO_TEST_CASE(a_16000_deep_chain_has_the_gradient_of_the_chain_rule) {
  // relu(softplus(x) + 0.1) nested 16,000 deep (48,000 ops); each layer's slope is the sigmoid
  // of its input, multiplied here layer by layer. Finding the ops on their kinks once evaluated
  // each switch alone, walking the chain below it: quadratic, 16 s (speed: bench/, not here).
  const auto [v, d] = slope::testing::softplus_chain(0.3, 16000);
  const Run r = run_slope({"grad", "-", "--at", "x=0.3", "--json"},
                          slope::testing::nested_chain("relu(softplus(x) + 0.1)", {20, 20, 40}));
  BOOST_TEST_REQUIRE(r.status == 0, r.err);
  const json j = json::parse(r.out);
  BOOST_TEST(j["value"].get<double>() == v, boost::test_tools::tolerance(1e-12));
  BOOST_TEST(j["gradient"]["x"].get<double>() == d, boost::test_tools::tolerance(1e-9));
  BOOST_TEST(j["kinks"].empty());
}

BOOST_AUTO_TEST_CASE(undefined_has_a_slope_where_a_tie_holds_on_a_whole_stretch) {
  // max(abs(x), x) is x for x >= 0: its arguments tie on the whole stretch, where op by op
  // undefined has no value, yet f's slope is 1. At 0 the slopes differ: undefined.
  BOOST_TEST(
      run_slope({"grad", "max(abs(x), x)", "--at", "x=0.5", "--convention", "undefined"}).out ==
      "f = 0.5\ndf/dx = 1\n(convention at kinks: undefined)\n");
  const json j = grad_json({"max(abs(x), x)", "--at", "x=0", "--convention", "undefined"});
  BOOST_TEST(j["gradient"]["x"].is_null());
  // clamp's bound ties with x on [0, 1]: the tape sees a kink there, grad gives f's slope
  BOOST_TEST(
      run_slope({"grad", "clamp(x, relu(x), 1)", "--at", "x=0.5", "--convention", "undefined"})
          .out == "f = 0.5\ndf/dx = 1\n(convention at kinks: undefined)\n");
}

BOOST_AUTO_TEST_CASE(the_composition_trap_is_said_where_the_gradient_is_printed) {
  // relu(x) - relu(-x) is x: slope 1 from both sides at 0, where min_norm op by op gives 0
  const Run r = run_slope({"grad", "relu(x) - relu(-x)", "--at", "x=0"});
  BOOST_TEST(contains(r.out,
                      "df/dx = 0  (but f is differentiable here, slope 1: the convention, applied "
                      "op by op, cannot see the whole function; --convention whole:min_norm "
                      "gives 1)\n"),
             r.out);
  const json j = grad_json({"relu(x) - relu(-x)", "--at", "x=0"});
  BOOST_TEST(j["gradient"]["x"] == 0.0);
  BOOST_TEST(j["one_sided"]["x"]["left"] == 1.0);
  BOOST_REQUIRE(j["warnings"].size() == 1U);
  BOOST_TEST(j["warnings"][0] ==
             "d/dx: f is differentiable here with slope 1, but the min_norm convention, applied op "
             "by op, gives 0; --convention whole:min_norm gives 1");
  // no warning where the tape is right: average gives 0.5 + 0.5
  BOOST_TEST(!grad_json({"relu(x) - relu(-x)", "--at", "x=0", "--convention", "average"})
                  .contains("warnings"));
}

BOOST_AUTO_TEST_CASE(undefined_at_an_ops_kink_keeps_no_value_and_says_f_is_smooth) {
  // relu(x) - relu(-x) at 0: op by op undefined has no value; f is x, slope 1
  const Run r =
      run_slope({"grad", "relu(x) - relu(-x)", "--at", "x=0", "--convention", "undefined"});
  BOOST_TEST(contains(r.out,
                      "df/dx = undefined  (but f is differentiable here, slope 1: the convention, "
                      "applied op by op, cannot see the whole function; --convention "
                      "whole:undefined gives 1)\n"),
             r.out);
}

BOOST_AUTO_TEST_CASE(an_equality_condition_differs_at_one_point_only) {
  // x != 0 is 0 at x = 0 and 1 on both sides: no jump (it said "jumps from 1 to 1")
  const Run r = run_slope({"grad", "--at", "x=0", "--", "where(x != 0, x, 0)"});
  BOOST_TEST(r.status == 0, r.err);
  BOOST_TEST(contains(r.out,
                      "x != 0 is at x = 0, where it is 0 at that point alone and 1 on "
                      "either side\n"),
             r.out);
  BOOST_TEST(!contains(r.out, "jumps"));
}

BOOST_AUTO_TEST_CASE(a_combined_condition_at_its_boundary_follows_the_convention) {
  // x > 0 and x < 1 is x > 0 around 0: right takes the branch right of 0 (2x), left the one
  // left of it (3x), as for where(x > 0, 2*x, 3*x); they took the branch taken (3x) under all
  const auto at_zero = [](const char* convention) {
    return run_slope({"grad", "--at", "x=0", "--convention", convention, "--",
                      "where(x > 0 and x < 1, 2*x, 3*x)"})
        .out;
  };
  const std::string note =
      "x > 0 is at x = 0, where it jumps from 0 to 1 as x rises through 0; its slope is 0 on "
      "both sides\n";
  BOOST_TEST(at_zero("right") == "f = 0\ndf/dx = 2  (3 from the left, 2 from the right)\n" + note +
                                     "(convention at kinks: right)\n");
  BOOST_TEST(at_zero("left") == "f = 0\ndf/dx = 3  (3 from the left, 2 from the right)\n" + note +
                                    "(convention at kinks: left)\n");
}

BOOST_AUTO_TEST_CASE(several_variables_are_not_called_differentiable_from_their_partials) {
  // abs(x + y) - abs(x - y) has partials 0 and 0 at the origin but no gradient; whole:left gives
  // the lexicographic derivative (0, -2), which the note must not contradict
  const Run r = run_slope(
      {"grad", "abs(x + y) - abs(x - y)", "--at", "x=0,y=0", "--convention", "whole:left"});
  BOOST_TEST(r.status == 0, r.err);
  std::istringstream lines(r.out);
  std::string line;
  for (int i = 0; i < 3; ++i) std::getline(lines, line);
  BOOST_TEST(line ==
             "df/dy = -2  (along y alone f has slope 0; whole:left moves every variable at once "
             "and gives the lexicographic derivative, an element of f's Clarke gradient)");
}
