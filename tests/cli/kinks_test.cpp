// SPDX-License-Identifier: MIT
// slope kinks through the built executable: the JSON parsed and its values asserted, the text
// form, and the errors.
#include <fmt/format.h>

#include <boost/test/unit_test.hpp>
#include <cmath>
#include <nlohmann/json.hpp>
#include <numbers>
#include <sstream>

#include "cli/run_slope.hpp"
#include "support/chain_text.hpp"

using namespace cli_testing;
using nlohmann::json;

namespace {
json kinks_json(std::vector<std::string> args) {
  args.insert(args.begin(), "kinks");
  args.push_back("--json");
  const Run r = run_slope(args);
  BOOST_TEST_REQUIRE(r.status == 0, r.err);
  return json::parse(r.out);
}
}  // namespace

BOOST_AUTO_TEST_CASE(json_lists_each_kink_with_its_one_sided_slopes) {
  const json j = kinks_json({"relu(x^2 - 1)", "--from", "-3", "--to", "3"});
  BOOST_TEST(j["expression"] == "relu(x^2 - 1)");
  BOOST_TEST(j["wrt"] == "x");
  BOOST_TEST(j["from"] == -3.0);
  BOOST_TEST(j["to"] == 3.0);
  BOOST_REQUIRE(j["kinks"].size() == 2U);
  const json& k = j["kinks"][1];
  BOOST_TEST(k["x"] == 1.0);
  BOOST_TEST(k["left"] == 0.0);
  BOOST_TEST(k["right"] == 2.0);
  BOOST_TEST(k["continuous"] == true);
  BOOST_TEST(k["differentiable"] == false);
  BOOST_TEST(k["value"] == 0.0);
  BOOST_TEST(k["derivative"]["right"] == 2.0);
  BOOST_TEST(k["derivative"]["min_norm"] == 0.0);
  BOOST_TEST(k["derivative"]["undefined"].is_null());
}

BOOST_AUTO_TEST_CASE(non_affine_switches_are_found_to_full_precision) {
  const json j = kinks_json({"abs(sin(3*x))", "--from", "-1.5", "--to", "1.5"});
  BOOST_REQUIRE(j["kinks"].size() == 3U);
  const double third = std::numbers::pi / 3;
  BOOST_TEST(std::abs(j["kinks"][0]["x"].get<double>() + third) < 1e-15);
  BOOST_TEST(j["kinks"][1]["x"] == 0.0);
  BOOST_TEST(std::abs(j["kinks"][2]["x"].get<double>() - third) < 1e-15);
}

BOOST_AUTO_TEST_CASE(infinite_slopes_are_strings_and_smooth_points_are_marked) {
  const json s = kinks_json({"where(x > 0, sqrt(x), 0)"});
  BOOST_TEST(s["kinks"][0]["right"] == "inf");
  BOOST_TEST(s["kinks"][0]["left"] == 0.0);
  const json t = kinks_json({"relu(x) - relu(-x)"});
  BOOST_REQUIRE(t["kinks"].size() == 1U);
  BOOST_TEST(t["kinks"][0]["differentiable"] == true);
  BOOST_TEST(t["kinks"][0]["left"] == 1.0);
  BOOST_TEST(t["kinks"][0]["derivative"]["min_norm"] == 0.0);  // the composition trap
  const json w = kinks_json({"relu(w*x + b)", "--at", "w=2,b=-1"});
  BOOST_TEST(w["kinks"][0]["x"] == 0.5);
  const json jump = kinks_json({"where(x > 0, x + 1, x)"});
  BOOST_TEST(jump["kinks"][0]["continuous"] == false);
}

BOOST_AUTO_TEST_CASE(text_names_the_kind_of_point) {
  const Run r = run_slope({"kinks", "abs(x - 1) + abs(x + 1)"});
  BOOST_TEST(r.status == 0);
  BOOST_TEST(r.out ==
             "abs(x - 1) + abs(x + 1) in x on [-4, 4]: 2 points\n"
             "\n"
             "x = -1: a kink, f = 2\n"
             "  slope -2 from the left, 0 from the right\n"
             "  at its kink: abs(x + 1)\n"
             "  op-by-op conventions give: min_norm -1, left -2, right 0, average -1; undefined "
             "gives no value\n"
             "\n"
             "x = 1: a kink, f = 2\n"
             "  slope 0 from the left, 2 from the right\n"
             "  at its kink: abs(x - 1)\n"
             "  op-by-op conventions give: min_norm 1, left 0, right 2, average 1; undefined gives "
             "no value\n");
  BOOST_TEST(run_slope({"kinks", "sin(x)"}).out == "sin(x) in x on [-4, 4]: no kinks\n");
}

BOOST_AUTO_TEST_CASE(a_vertical_tangent_is_named_so_not_a_kink) {
  // sqrt(x) right of 0 and -sqrt(-x) left of it: both rise without bound into 0, f is
  // continuous and has no corner, and no derivative; a cusp (sqrt(abs(x))) is a kink
  const Run r = run_slope({"kinks", "relu(x)^0.5 - relu(-x)^0.5", "--from", "-1", "--to", "1"});
  BOOST_TEST(r.status == 0, r.err);
  std::istringstream lines(r.out);
  std::string line;
  std::getline(lines, line);
  std::getline(lines, line);
  std::getline(lines, line);
  BOOST_TEST(line == "x = 0: a vertical tangent, f = 0");
  const json cusp = kinks_json({"sqrt(abs(x))", "--from", "-1", "--to", "1"});
  BOOST_REQUIRE(cusp["kinks"].size() == 1U);
  BOOST_TEST(cusp["kinks"][0]["left"] == "-inf");
  BOOST_TEST(cusp["kinks"][0]["right"] == "inf");
  const Run c = run_slope({"kinks", "sqrt(abs(x))", "--from", "-1", "--to", "1"});
  BOOST_TEST(c.out.find("x = 0: a kink, f = 0\n") != std::string::npos, c.out);
}

BOOST_AUTO_TEST_CASE(op_sides_that_are_not_xs_sides_are_pointed_out) {
  // max(x, 2x) at 0: f's slopes are 1 | 2, but max's own left (a < b, which is x > 0) gives 2
  const Run r = run_slope({"kinks", "max(x, 2*x)", "--from", "-1", "--to", "1"});
  BOOST_TEST(r.status == 0, r.err);
  BOOST_TEST(r.out ==
             "max(x, 2*x) in x on [-1, 1]: 1 point\n"
             "\n"
             "x = 0: a kink, f = 0\n"
             "  slope 1 from the left, 2 from the right\n"
             "  at its kink: max(x, 2*x)\n"
             "  op-by-op conventions give: min_norm 1.5, left 2, right 1, average 1.5; undefined "
             "gives no value\n"
             "  (op by op, left and right are the sides of each op's switch, not of x)\n");
}

BOOST_AUTO_TEST_CASE(bad_calls_are_refused) {
  BOOST_TEST(run_slope({"kinks", "relu(x)", "--from", "1", "--to", "-1"}).status == 2);
  BOOST_TEST(run_slope({"kinks", "relu(x)", "--from", "-1e308", "--to", "1e308"}).status == 2);
  BOOST_TEST(run_slope({"kinks", "relu(x)", "--from", "nan"}).status == 2);
  const Run unbound = run_slope({"kinks", "relu(w*x)"});
  BOOST_TEST(unbound.status == 1);
  BOOST_TEST(unbound.err.find("'w'") != std::string::npos, unbound.err);
}

BOOST_AUTO_TEST_CASE(zero_is_never_negative) {
  // abs(x^3) has slope 3x^2*sign(x^3) -> 0 from both sides; from the left the double is -0,
  // which a reader would take for a different number.
  const Run r = run_slope({"kinks", "abs(x^3)", "--from", "-1", "--to", "1"});
  BOOST_TEST(r.status == 0, r.err);
  BOOST_TEST(r.out ==
             "abs(x^3) in x on [-1, 1]: 1 point\n"
             "\n"
             "x = 0: differentiable, f = 0\n"
             "  slope 0 from the left, 0 from the right\n"
             "  at its kink: abs(x^3)\n"
             "  op-by-op conventions give: min_norm 0, left 0, right 0, average 0, undefined 0\n");
  const Run j = run_slope({"kinks", "abs(x^3)", "--from", "-1", "--to", "1", "--json"});
  BOOST_TEST(j.status == 0, j.err);
  BOOST_TEST(!contains(j.out, "-0"), j.out);
  const json k = json::parse(j.out)["kinks"][0];
  BOOST_TEST(!std::signbit(k["left"].get<double>()));
  BOOST_TEST(!std::signbit(k["derivative"]["left"].get<double>()));
}

BOOST_AUTO_TEST_CASE(op_by_op_values_are_the_tapes_that_grad_gives) {
  // sqrt(u)' = inf at u = 0, but u' = 2(x - 0.5) is exactly 0 there: the tape drops the
  // infinite factor, so every convention gives 0 (the formula as printed reads 0*inf).
  const json j = kinks_json({"sqrt((x - 0.5)^2)", "--from", "0", "--to", "1"});
  BOOST_REQUIRE(j["kinks"].size() == 1U);
  const json& k = j["kinks"][0];
  BOOST_TEST(k["x"] == 0.5);
  BOOST_TEST(k["left"] == -1.0);
  BOOST_TEST(k["right"] == 1.0);
  for (const char* c : {"min_norm", "left", "right", "average", "undefined"})
    BOOST_TEST(k["derivative"][c] == 0.0, c);
  for (const char* c : {"min_norm", "undefined"}) {
    const Run g =
        run_slope({"grad", "sqrt((x - 0.5)^2)", "--at", "x=0.5", "--json", "--convention", c});
    BOOST_TEST(json::parse(g.out)["gradient"]["x"] == 0.0, c);
  }
}

BOOST_AUTO_TEST_CASE(the_edge_of_the_domain_is_named) {
  const Run r = run_slope({"kinks", "sqrt(x)", "--from", "-1", "--to", "1"});
  BOOST_TEST(r.status == 0, r.err);
  BOOST_TEST(r.out ==
             "sqrt(x) in x on [-1, 1]: 1 point\n"
             "\n"
             "x = 0: the edge of f's domain, f = 0\n"
             "  slope undefined from the left, inf from the right\n"
             "  at its kink: sqrt(x)\n"
             "  op-by-op conventions give: min_norm inf, left inf, right inf, average inf, "
             "undefined inf\n"
             "  (op by op, left and right are the sides of each op's switch, not of x)\n");
}

BOOST_AUTO_TEST_CASE(at_is_for_the_other_variables) {
  const Run searched = run_slope({"kinks", "relu(w*x)", "--at", "x=1,w=2"});
  BOOST_TEST(searched.status == 2);
  BOOST_TEST(searched.err ==
             "slope: --at x: x is the variable searched, so a value for it would be ignored "
             "(--wrt picks another variable)\n");
  const Run typo = run_slope({"kinks", "relu(w*x)", "--at", "v=2"});
  BOOST_TEST(typo.status == 2);
  BOOST_TEST(typo.err == "slope: --at v: the expression has no variable v; did you mean w?\n");
}

BOOST_AUTO_TEST_CASE(deep_chains_have_every_kink_with_exact_slopes) {
  // relu(x*0.5 + 1) nested 1,000 deep: one kink, at x = -2 (the innermost switch; every other
  // switch is at least 1), slope 0 on the left and 0.5^1000 on the right (exact: a power of 2).
  // Each switch was once searched on its own grid, re-walking the chain below it: 33 s.
  const Run relu = run_slope({"kinks", "-", "--json"},
                             slope::testing::nested_chain("relu(x*0.5 + 1)", {10, 10, 10}));
  BOOST_TEST_REQUIRE(relu.status == 0, relu.err);
  const json r = json::parse(relu.out)["kinks"];
  BOOST_REQUIRE_EQUAL(r.size(), 1U);
  BOOST_TEST(r[0]["x"] == -2.0);
  BOOST_TEST(r[0]["left"] == 0.0);
  BOOST_TEST(r[0]["right"] == std::ldexp(1.0, -1000));
  // abs(x) - 1 nested 1,000 deep is piecewise linear, slopes +-1, with its 999 curved switches
  // crossing 0 at integers: a kink at every integer of [-4, 4]. Its slopes, from the chain
  // evaluated here a quarter to each side (inside the linear pieces, so the quotient is exact):
  const auto f = [](double x) {
    for (int i = 0; i < 1000; ++i) x = std::abs(x) - 1;
    return x;
  };
  const Run abs_chain = run_slope({"kinks", "-", "--json", "--from", "-4", "--to", "4"},
                                  slope::testing::nested_chain("abs(x) - 1", {10, 10, 10}));
  BOOST_TEST_REQUIRE(abs_chain.status == 0, abs_chain.err);
  const json a = json::parse(abs_chain.out)["kinks"];
  BOOST_REQUIRE_EQUAL(a.size(), 9U);
  for (int n = -4; n <= 4; ++n) {
    const json& k = a[static_cast<std::size_t>(n + 4)];
    BOOST_TEST(k["x"] == double(n));
    BOOST_TEST(k["exact"] == true);
    BOOST_TEST(k["left"] == (f(n) - f(n - 0.25)) / 0.25, n);
    BOOST_TEST(k["right"] == (f(n + 0.25) - f(n)) / 0.25, n);
  }
}

BOOST_AUTO_TEST_CASE(zeros_between_grid_points_that_touch_or_cross_twice_are_found) {
  // Neither sign changes between grid points (step 0.004 on [-4, 4]), and 0.3 is not one: a dip
  // of |switch| is followed down to adjacent doubles.
  const json touch = kinks_json({"sqrt((x - 0.3)^2)"})["kinks"];  // |x - 0.3|
  BOOST_REQUIRE_EQUAL(touch.size(), 1U);
  BOOST_TEST(touch[0]["x"] == 0.3);
  BOOST_TEST(touch[0]["left"] == -1.0);
  BOOST_TEST(touch[0]["right"] == 1.0);
  // (x - 0.3)(x - 0.3001) is negative only on (0.3, 0.3001): relu kinks at both ends, where the
  // product's slope is 0.3 - 0.3001 and 0.3001 - 0.3
  const json twice = kinks_json({"relu((x - 0.3)*(x - 0.3001))"})["kinks"];
  BOOST_REQUIRE_EQUAL(twice.size(), 2U);
  BOOST_TEST(twice[0]["x"] == 0.3);
  BOOST_TEST(twice[0]["left"].get<double>() == 0.3 - 0.3001, boost::test_tools::tolerance(1e-9));
  BOOST_TEST(twice[0]["right"] == 0.0);
  BOOST_TEST(twice[1]["x"] == 0.3001);
  BOOST_TEST(twice[1]["left"] == 0.0);
  BOOST_TEST(twice[1]["right"].get<double>() == 0.3001 - 0.3, boost::test_tools::tolerance(1e-9));
  // Three and four crossings within one grid step (the ends' signs show only one), on the
  // default interval and on one whose grid has a point exactly at the first zero
  for (const std::vector<std::string>& interval :
       {std::vector<std::string>{}, std::vector<std::string>{"--from", "-1", "--to", "1"}}) {
    for (const std::vector<double>& roots : {std::vector<double>{0.3, 0.3001, 0.3002},
                                             std::vector<double>{0.5, 0.5001, 0.5002, 0.5003}}) {
      std::string product;
      for (double r : roots) product += fmt::format("{}(x - {})", product.empty() ? "" : "*", r);
      std::vector<std::string> args{"abs(" + product + ")"};
      args.insert(args.end(), interval.begin(), interval.end());
      const json found = kinks_json(args)["kinks"];
      BOOST_TEST_CONTEXT(args[0] << ' ' << interval.size()) {
        BOOST_REQUIRE_EQUAL(found.size(), roots.size());
        for (std::size_t i = 0; i < roots.size(); ++i) {
          BOOST_TEST(found[i]["x"].get<double>() == roots[i], boost::test_tools::tolerance(1e-15));
          // |g| with g's slope at a simple root r: the product of (r - other roots)
          double slope = 1;
          for (double other : roots)
            if (other != roots[i]) slope *= roots[i] - other;
          BOOST_TEST(found[i]["right"].get<double>() == std::abs(slope),
                     boost::test_tools::tolerance(1e-6));
          BOOST_TEST(found[i]["left"].get<double>() == -std::abs(slope),
                     boost::test_tools::tolerance(1e-6));
        }
      }
    }
  }
  // An expanded (x - 1)^3 flickers in sign within about 1e-5 of 1 from rounding: one point, at 1
  const json noisy = kinks_json({"abs(x^3 - 3*x^2 + 3*x - 1)"})["kinks"];
  BOOST_REQUIRE_EQUAL(noisy.size(), 1U);
  BOOST_TEST(noisy[0]["x"] == 1.0);
  BOOST_TEST(noisy[0]["differentiable"] == true);
}

BOOST_AUTO_TEST_CASE(poles_and_gaps_are_named_and_a_crowded_search_says_so) {
  const json pole = kinks_json({"log(abs(x))"});
  BOOST_REQUIRE(pole["kinks"].size() == 1U);
  BOOST_TEST(pole["kinks"][0]["continuous"] == false);
  BOOST_TEST(run_slope({"kinks", "1/x"}).out.find("x = 0: a pole, f = inf\n") != std::string::npos);
  BOOST_TEST(run_slope({"kinks", "heaviside(x^2)"}).out.find("x = 0: a removable gap, f = 0.5\n") !=
             std::string::npos);
  // relu(sin(10000*x)) has about 25,465 kinks on [-4, 4]: far more than the grid can resolve
  const json many = kinks_json({"relu(sin(10000*x))"});
  BOOST_REQUIRE(many.contains("warnings"));
  BOOST_TEST(many["warnings"][0].get<std::string>().find("narrow --from and --to") !=
             std::string::npos);
  BOOST_TEST(!kinks_json({"relu(sin(100*x))"}).contains("warnings"));  // all 255 found
  // kinks packed near one end (e^(2x) = k*pi: 948 on [-4, 4], most near 4) warn as well
  const json packed = kinks_json({"relu(sin(exp(2*x)))"});
  BOOST_TEST(packed["kinks"].size() < 948U);
  BOOST_TEST_REQUIRE(packed.contains("warnings"));
  BOOST_TEST(packed["warnings"][0].get<std::string>().find("near x = ") != std::string::npos);
}

BOOST_AUTO_TEST_CASE(the_notes_name_the_variable_searched) {
  // relu(x) - relu(-y) in y: at y = 0 relu(-y) has slope -1 below and 0 above, so f's slopes
  // are 1 | 0, while op by op `left` reads the side of relu's own switch (-y below 0), which is
  // y's right
  const Run r = run_slope({"kinks", "relu(x) - relu(-y)", "--wrt", "y", "--at", "x=1"});
  BOOST_TEST(r.status == 0, r.err);
  BOOST_TEST(r.out ==
             "relu(x) - relu(-y) in y on [-4, 4]: 1 point\n"
             "\n"
             "y = 0: a kink, f = 1\n"
             "  slope 1 from the left, 0 from the right\n"
             "  at its kink: relu(-y)\n"
             "  op-by-op conventions give: min_norm 0, left 0, right 1, average 0.5; undefined "
             "gives no value\n"
             "  (op by op, left and right are the sides of each op's switch, not of y)\n");
}

BOOST_AUTO_TEST_CASE(a_long_condition_is_named_by_its_operator) {
  // past 60 characters the op is shortened: `... > ...`, not its inner name `gt(...)`
  std::string long_side = "sin(x)*cos(x)*exp(x)*tanh(x)";
  for (int i = 0; i < 3; ++i) long_side += " + sigmoid(x)*softplus(x)*tanh(x)";
  const Run r =
      run_slope({"kinks", "where(" + long_side + " > 0.3, x, 2*x)", "--from", "-1", "--to", "1"});
  BOOST_TEST_REQUIRE(r.status == 0, r.err);
  std::vector<std::string> named;
  std::istringstream lines(r.out);
  for (std::string line; std::getline(lines, line);)
    if (line.rfind("  at its kink: ", 0) == 0) named.push_back(line);
  BOOST_TEST(named == std::vector<std::string>(named.size(), "  at its kink: ... > ..."),
             boost::test_tools::per_element());
  BOOST_TEST(!named.empty());
}

BOOST_AUTO_TEST_CASE(an_oscillating_side_is_no_edge_of_the_domain) {
  // f has values on both sides of 0; x^2*sin(1/x)'s difference quotient tends to 0 (slope 0),
  // x*sin(1/x)'s oscillates (no right derivative): neither is the edge of f's domain
  const json smooth = kinks_json({"where(x > 0, x^2*sin(1/x), 0)", "--from", "-1", "--to", "1"});
  BOOST_REQUIRE(smooth["kinks"].size() == 1U);
  BOOST_TEST(smooth["kinks"][0]["right"] == 0.0);
  BOOST_TEST(smooth["kinks"][0]["differentiable"] == true);
  const Run r = run_slope({"kinks", "where(x > 0, x*sin(1/x), 0)", "--from", "-1", "--to", "1"});
  BOOST_TEST(r.status == 0, r.err);
  std::istringstream lines(r.out);
  std::string line;
  for (int i = 0; i < 3; ++i) std::getline(lines, line);
  BOOST_TEST(line == "x = 0: no one-sided derivative, f = 0");
  std::getline(lines, line);
  BOOST_TEST(line == "  slope 0 from the left, undefined from the right");
}

BOOST_AUTO_TEST_CASE(an_equality_at_a_point_no_double_reaches_is_a_removable_gap) {
  const json j = kinks_json({"where(x^2 == 2, 1, 0)", "--from", "0", "--to", "2"});
  BOOST_REQUIRE(j["kinks"].size() == 1U);
  const json& k = j["kinks"][0];
  BOOST_TEST(k["x"].get<double>() == std::numbers::sqrt2, boost::test_tools::tolerance(1e-15));
  BOOST_TEST(k["exact"] == false);
  BOOST_TEST(k["value"] == 1.0);
  BOOST_TEST(k["continuous"] == false);
  BOOST_TEST(k["differentiable"] == false);
}
