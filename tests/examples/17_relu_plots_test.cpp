// SPDX-License-Identifier: MIT
// examples/17_relu_plots.cpp: its two SVGs read back by an XML parser, every vertex of every
// curve mapped back through its panel and held to relu, leaky_relu and their slopes worked out
// here, and the kink at 0 with the convention's dots.
#include <cmath>
#include <filesystem>
#include <functional>

#include "examples/example_output.hpp"
#include "support/svg.hpp"

using namespace example_testing;
using namespace slope::testing;

namespace {

/// The SVG the example says it wrote to `folder` under `name`.
std::vector<Element> written(const std::filesystem::path& folder, const std::string& name) {
  const cli_testing::Run r = cli_testing::shell(cli_testing::shell_quote(EXAMPLE_EXE) + " " +
                                                cli_testing::shell_quote(folder.string()));
  BOOST_TEST_REQUIRE(r.status == 0, r.err);
  const std::string path = (folder / name).string();
  BOOST_TEST_REQUIRE(r.out.find("wrote " + path + ": ") != std::string::npos, r.out);
  return parse_svg(cli_testing::slurp(path));
}

/// Every vertex of the curve (`f` or `df`) of function `i`, mapped back to data through its
/// panel, equals `truth` to within the pixel rounding (0.005 px each way); returns the count.
std::size_t curve_follows(const std::vector<Element>& svg, const std::string& curve, int i,
                          const std::function<double(double)>& truth) {
  const Panel p = panel(svg, curve);
  const auto paths = select(svg, "path", {{"class", curve}, {"data-function", std::to_string(i)}});
  BOOST_TEST_REQUIRE(paths.size() == 1U);
  const double dx = 0.006 * (p.to - p.from) / p.width, dy = 0.006 * (p.hi - p.lo) / p.height;
  std::size_t n = 0;
  for (const auto& piece : subpaths(paths[0].get("d")))
    for (const auto& [px, py] : piece) {
      const double x = p.x_at(px), y = p.y_at(py);
      // the worst the rounding can do: y at an x off by dx, plus dy (slopes here are at most 1)
      const double want = truth(x), slack = dy + dx + 1e-12;
      const bool near_kink = std::abs(x) <= dx;  // f' jumps there
      BOOST_TEST((near_kink || std::abs(y - want) <= slack), curve << " of function " << i
                                                                   << " at x = " << x << ": " << y
                                                                   << ", want " << want);
      ++n;
    }
  return n;
}

double relu(double x) { return x > 0 ? x : 0; }
double leaky(double x) { return x > 0 ? x : 0.1 * x; }

}  // namespace

BOOST_AUTO_TEST_CASE(relu_and_its_derivative_on_400_points) {
  const auto folder = cli_testing::scratch() / "relu";
  std::filesystem::create_directories(folder);
  const auto svg = written(folder, "relu.svg");
  BOOST_TEST(panel(svg, "f").from == -2);
  BOOST_TEST(panel(svg, "f").to == 2);
  // 400 samples plus the kink's own points
  BOOST_TEST(curve_follows(svg, "f", 0, relu) >= 400U);
  BOOST_TEST(curve_follows(svg, "df", 0, [](double x) { return x > 0 ? 1.0 : 0.0; }) >= 400U);
  BOOST_TEST(kink_xs(svg) == std::vector<double>{0});
  // min_norm takes relu'(0) = 0 (filled), and the right-hand limit 1 is open
  BOOST_TEST(dots_at(svg, "df", 0) == (std::vector<std::string>{"0 filled", "1 open"}),
             boost::test_tools::per_element());
  std::filesystem::remove_all(folder);
}

BOOST_AUTO_TEST_CASE(relu_against_leaky_relu_in_one_figure) {
  const auto folder = cli_testing::scratch() / "relu_vs_leaky_relu";
  std::filesystem::create_directories(folder);
  const auto svg = written(folder, "relu_vs_leaky_relu.svg");
  const auto legend = select(svg, "text", {{"class", "legend-entry"}});
  BOOST_TEST_REQUIRE(legend.size() == 2U);
  BOOST_TEST(legend[0].text == "relu(x)");
  BOOST_TEST(legend[1].text == "leaky_relu(x, 0.1)");
  curve_follows(svg, "f", 0, relu);
  curve_follows(svg, "f", 1, leaky);
  curve_follows(svg, "df", 1, [](double x) { return x > 0 ? 1.0 : 0.1; });
  BOOST_TEST(kink_xs(svg) == std::vector<double>{0});
  // leaky_relu keeps a slope of 0.1 left of the kink, and min_norm takes it at 0
  BOOST_TEST(dots_at(svg, "df", 0, "1") == (std::vector<std::string>{"0.1 filled", "1 open"}),
             boost::test_tools::per_element());
  std::filesystem::remove_all(folder);
}
