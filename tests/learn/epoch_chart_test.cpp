// SPDX-License-Identifier: MIT
// The labs' chart read back as XML: each series is one polyline whose points are the values
// mapped into its panel (epoch 0 at the left edge, the last epoch at the right, lo at the bottom,
// hi at the top), clamped to the panel, dashed when asked; the legend and title are as given.
// Then rendered by headless Chromium: each line shows, in its own panel only.
#include "learn/epoch_chart.hpp"

#include <boost/property_tree/ptree.hpp>
#include <boost/property_tree/xml_parser.hpp>
#include <boost/test/unit_test.hpp>
#include <limits>
#include <sstream>

#include "support/chromium.hpp"

using namespace slope::learn;

namespace {

struct Point {
  double x, y;
};

std::vector<Point> points_of(const boost::property_tree::ptree& polyline) {
  std::istringstream in(polyline.get<std::string>("<xmlattr>.points"));
  std::vector<Point> out;
  Point p{};
  char comma = 0;
  while (in >> p.x >> comma >> p.y) out.push_back(p);
  return out;
}

/// The rectangles that frame the panels: x, y, width, height.
std::vector<std::array<double, 4>> frames_of(const boost::property_tree::ptree& svg) {
  std::vector<std::array<double, 4>> out;
  for (const auto& [name, node] : svg)
    if (name == "rect" && node.get_optional<double>("<xmlattr>.x"))
      out.push_back({node.get<double>("<xmlattr>.x"), node.get<double>("<xmlattr>.y"),
                     node.get<double>("<xmlattr>.width"), node.get<double>("<xmlattr>.height")});
  return out;
}

}  // namespace

BOOST_AUTO_TEST_CASE(series_are_polylines_mapped_into_their_panels) {
  const EpochChart chart{"a & b: two panels",
                         4,
                         {{"first", 0, 2, {{{0, 1, 2, 3, 4}, "#111"}, {{2, 9, -1}, "#222", true}}},
                          {"second", -1, 1, {{{-1, 1}, "#333", false, 3}}}},
                         {{"one", "#111"}, {"two", "#222"}}};
  boost::property_tree::ptree tree;
  std::istringstream svg(epoch_chart_svg(chart));
  boost::property_tree::read_xml(svg, tree);
  const auto& root = tree.get_child("svg");
  BOOST_TEST(root.get<std::string>("title") == chart.title);  // escaped and read back

  const auto frames = frames_of(root);
  BOOST_TEST_REQUIRE(frames.size() == 2U);
  std::vector<std::vector<Point>> lines;
  std::vector<bool> dashed;
  for (const auto& [name, node] : root)
    if (name == "polyline") {
      lines.push_back(points_of(node));
      dashed.push_back(node.get_optional<std::string>("<xmlattr>.stroke-dasharray").has_value());
    }
  BOOST_TEST_REQUIRE(lines.size() == 3U);
  BOOST_TEST((dashed == std::vector<bool>{false, true, false}));

  // expected pixel of (epoch, value) in panel k with vertical range [lo, hi]
  auto expect = [&](std::size_t k, double lo, double hi, double epoch, double v, Point p) {
    const auto [left, top, width, height] = frames[k];
    BOOST_TEST(std::abs(p.x - (left + width * epoch / chart.epochs)) <= 0.006);
    BOOST_TEST(std::abs(p.y - (top + height * (hi - v) / (hi - lo))) <= 0.006);
  };
  BOOST_TEST_REQUIRE(lines[0].size() == 5U);
  for (int e = 0; e <= 4; ++e) expect(0, 0, 2, e, std::min(e, 2), lines[0][e]);  // 3, 4 clamped
  BOOST_TEST_REQUIRE(lines[1].size() == 3U);
  expect(0, 0, 2, 0, 2, lines[1][0]);
  expect(0, 0, 2, 1, 2, lines[1][1]);  // 9 clamped to the top
  expect(0, 0, 2, 2, 0, lines[1][2]);  // -1 clamped to the bottom
  BOOST_TEST_REQUIRE(lines[2].size() == 2U);
  expect(1, -1, 1, 3, -1, lines[2][0]);  // this series starts at epoch 3
  expect(1, -1, 1, 4, 1, lines[2][1]);
  BOOST_TEST(frames[1][1] > frames[0][1] + frames[0][3]);  // the second panel below the first

  std::vector<std::string> legend;
  for (const auto& [name, node] : root)
    if (name == "text") legend.push_back(node.data());
  for (const auto& entry : chart.legend)
    BOOST_TEST(std::count(legend.begin(), legend.end(), entry.label) == 1);
}

BOOST_AUTO_TEST_CASE(a_series_keeps_its_width_and_a_one_point_series_is_marked) {
  // Lines that coincide stay visible when drawn widest first; a polyline of one point draws
  // nothing, so the point gets a dot of the line's colour.
  const EpochChart chart{
      "widths", 1, {{"p", 0, 1, {{{0.5}, "#111", false, 1, 6}, {{0.5}, "#222", false, 1, 2}}}}, {}};
  boost::property_tree::ptree tree;
  std::istringstream svg(epoch_chart_svg(chart));
  boost::property_tree::read_xml(svg, tree);
  std::vector<double> widths;
  std::vector<std::pair<std::string, double>> dots;  // colour, radius
  double dot_x = 0, dot_y = 0;
  for (const auto& [name, node] : tree.get_child("svg")) {
    if (name == "polyline") widths.push_back(node.get<double>("<xmlattr>.stroke-width"));
    if (name == "circle") {
      dots.emplace_back(node.get<std::string>("<xmlattr>.fill"), node.get<double>("<xmlattr>.r"));
      dot_x = node.get<double>("<xmlattr>.cx"), dot_y = node.get<double>("<xmlattr>.cy");
    }
  }
  BOOST_TEST((widths == std::vector<double>{6, 2}));
  BOOST_TEST_REQUIRE(dots.size() == 2U);
  BOOST_TEST(dots[0].first == "#111");
  BOOST_TEST(dots[0].second > dots[1].second);  // the wider line's dot shows around the other
  const auto frames = frames_of(tree.get_child("svg"));
  BOOST_TEST_REQUIRE(frames.size() == 1U);
  const auto [left, top, width, height] = frames[0];
  BOOST_TEST(std::abs(dot_x - (left + width)) <= 0.006);  // epoch 1 of 1: the right edge
  BOOST_TEST(std::abs(dot_y - (top + height / 2)) <= 0.006);
}

BOOST_AUTO_TEST_CASE(axis_top_rounds_up_to_a_grid_line_of_a_short_step,
                     *boost::unit_test::tolerance(1e-12)) {
  const double inf = std::numeric_limits<double>::infinity();
  const double nan = std::numeric_limits<double>::quiet_NaN();
  BOOST_TEST(axis_top({{0.37}}) == 0.4);
  BOOST_TEST(axis_top({{0.1, 2.2}, {1.0}}) == 2.5);
  BOOST_TEST(axis_top({{5.0}}) == 5.0);  // on a grid line already
  BOOST_TEST(axis_top({{2.26}}) == 2.5);
  BOOST_TEST(axis_top({{0.0512, inf, nan}}) == 0.06);  // the non-finite values ignored
  BOOST_TEST(axis_top({{-3.0}, {}}) == 1.0);           // nothing positive
  BOOST_TEST(axis_top({}) == 1.0);
}

BOOST_AUTO_TEST_CASE(chromium_draws_each_line_in_its_own_panel) {
  if (!slope::testing::can_render_svg()) {
    BOOST_TEST_MESSAGE("skipped: chromium or python3 is not installed (apt-get install chromium)");
    return;
  }
  std::vector<double> falling, flat(11, 0.5), rising;
  for (int e = 0; e <= 10; ++e) falling.push_back(1 - 0.09 * e), rising.push_back(0.09 * e);
  const EpochChart chart{"render",
                         10,
                         {{"loss", 0, 1, {{falling, "#1f77b4"}, {flat, "#d62728", true}}},
                          {"accuracy", 0, 1, {{rising, "#2ca02c"}}}},
                         {{"falling", "#1f77b4"}, {"flat", "#d62728"}, {"rising", "#2ca02c"}}};
  const std::string svg = epoch_chart_svg(chart);
  boost::property_tree::ptree tree;
  std::istringstream in(svg);
  boost::property_tree::read_xml(in, tree);
  const auto& root = tree.get_child("svg");
  const auto frames = frames_of(root);
  BOOST_TEST_REQUIRE(frames.size() == 2U);
  const int height = static_cast<int>(root.get<double>("<xmlattr>.height"));
  const slope::testing::RenderedSvg picture(svg, 640, height);

  // Pixels of each line's colour inside each panel (1 px inside the frame, off its border).
  std::string queries;
  for (const char* colour : {"1f77b4", "d62728", "2ca02c"})
    for (const auto& [left, top, width, h] : frames)
      queries += fmt::format(" --colour {} {} {} {} {}", colour, static_cast<int>(left) + 1,
                             static_cast<int>(top) + 1, static_cast<int>(left + width) - 1,
                             static_cast<int>(top + h) - 1);
  const auto stats = picture.stats(queries);
  BOOST_TEST_REQUIRE(stats.size() == 10U);
  BOOST_TEST(stats[0] == 640);
  BOOST_TEST(stats[1] == height);
  const double blue_top = stats[4], blue_bottom = stats[5], red_top = stats[6],
               red_bottom = stats[7], green_top = stats[8], green_bottom = stats[9];
  const double panel_width = frames[0][2];
  // A solid line crosses the panel: at least one pixel per column; the dashed one about half.
  BOOST_TEST(blue_top > panel_width, blue_top);
  BOOST_TEST(green_bottom > panel_width, green_bottom);
  BOOST_TEST(red_top > 0.3 * panel_width, red_top);
  BOOST_TEST(red_top < blue_top, "dashed draws less than solid: " << red_top << " vs " << blue_top);
  // ... and nothing of a line shows in the other panel.
  BOOST_TEST(blue_bottom == 0);
  BOOST_TEST(red_bottom == 0);
  BOOST_TEST(green_top == 0);
}
