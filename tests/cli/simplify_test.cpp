// SPDX-License-Identifier: MIT
// slope simplify through the built executable, each format read by its consumer: the text by
// slope's own parser (equal to f at many points), the JSON by a JSON parser, the LaTeX by
// pdflatex.
#include <boost/test/unit_test.hpp>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>

#include "cli/run_slope.hpp"
#include "slope/slope.hpp"

using namespace cli_testing;
using json = nlohmann::json;

BOOST_AUTO_TEST_CASE(pretty_shows_f_as_cases) {
  const Run r = run_slope({"simplify", "abs(x - 1) + abs(x + 1)"});
  BOOST_TEST(r.status == 0, r.err);
  BOOST_TEST(r.out ==
             "                          ⎧ -2*x  if x <= -1\n"
             "abs(x - 1) + abs(x + 1) = ⎨ 2     if x <= 1\n"
             "                          ⎩ 2*x   otherwise\n");
}

BOOST_AUTO_TEST_CASE(the_text_parses_back_to_the_same_function) {
  for (const std::string f :
       {"abs(x - 1) + abs(x + 1)", "hardtanh(x) + relu6(x)", "relu(x) + relu(x - 1) + relu(x - 2)",
        "elu(x) - relu(x)", "relu(y*x - 1) + abs(y)"}) {
    const Run r = run_slope({"simplify", f, "--format", "text"});
    BOOST_TEST_REQUIRE(r.status == 0, r.err);
    const slope::Expr back = slope::parse(r.out), given = slope::parse(f);
    for (int i = 0; i <= 100; ++i) {
      const slope::Env at{{"x", -4 + 0.08 * i}, {"y", 0.5}};
      BOOST_TEST(slope::eval(back, at) == slope::eval(given, at),
                 boost::test_tools::tolerance(1e-12));
    }
  }
}

BOOST_AUTO_TEST_CASE(json_names_the_parts) {
  const Run r = run_slope({"simplify", "relu(y) + abs(y - 2)", "--format", "json"});
  BOOST_TEST_REQUIRE(r.status == 0, r.err);
  const json j = json::parse(r.out);
  BOOST_TEST(j["expression"] == "relu(y) + abs(y - 2)");
  BOOST_TEST(j["wrt"] == "y");  // no x: the first variable
  BOOST_TEST(j["simplified"] == "piecewise(y <= 0: 2 - y, y <= 2: 2, otherwise: 2*y - 2)");
  BOOST_TEST(!j["latex"].get<std::string>().empty());
}

BOOST_AUTO_TEST_CASE(latex_compiles_with_pdflatex) {
  const auto dir = std::filesystem::temp_directory_path() / "slope_simplify_latex_test";
  std::filesystem::create_directories(dir);
  const Run r =
      run_slope({"simplify", "hardtanh(x) + relu6(x)", "--format", "latex", "--standalone"});
  BOOST_TEST_REQUIRE(r.status == 0, r.err);
  BOOST_TEST(pdflatex_compiles(dir, r.out), slurp(dir / "doc.log"));
  std::filesystem::remove_all(dir);
}

BOOST_AUTO_TEST_CASE(a_deep_formulas_latex_names_a_part_every_100_levels_and_compiles) {
  // A 1,000-deep chain shares nothing, yet spelled out it nests 3,000 levels: TeX's groups
  // (255) and the parser (500) take fewer, so a part is named every 100 levels.
  const auto dir = std::filesystem::temp_directory_path() / "slope_simplify_deep_latex_test";
  std::filesystem::create_directories(dir);
  std::string text = "u0(x) = x\n";
  for (int i = 1; i <= 1000; ++i)
    text += "u" + std::to_string(i) + "(x) = sin(0.9*u" + std::to_string(i - 1) + "(x) + 0.1)\n";
  text += "u1000(x)\n";
  std::ofstream(dir / "chain.txt") << text;
  const Run r = run_slope(
      {"simplify", "--file", (dir / "chain.txt").string(), "--format", "latex", "--standalone"});
  BOOST_TEST_REQUIRE(r.status == 0, r.err);
  BOOST_TEST(contains(r.out, "u_{29} &= "), r.out.substr(0, 400));
  BOOST_TEST(!contains(r.out, "u_{30}"));
  BOOST_TEST(pdflatex_compiles(dir, r.out), slurp(dir / "doc.log"));
  std::filesystem::remove_all(dir);
}

BOOST_AUTO_TEST_CASE(bad_input_is_refused_with_a_reason) {
  const Run bad = run_slope({"simplify", "relu(x"});
  BOOST_TEST(bad.status == 1);  // an error in the expression
  BOOST_TEST(contains(bad.err, "relu(x"));
  const Run standalone = run_slope({"simplify", "x", "--standalone"});
  BOOST_TEST(standalone.status == 2);
  BOOST_TEST(contains(standalone.err, "--standalone goes with --format latex"));
}
