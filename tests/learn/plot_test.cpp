// SPDX-License-Identifier: MIT
// plot_svg, read back by an XML parser (Boost.PropertyTree): kink lines at the exact kinks
// (solved by hand here), filled and open dots at the exact one-sided values, f' broken at each
// jump, the y range clipped near a pole; and rendered by headless Chromium, whose screenshot is
// decoded by python3 to check it is a picture and the kink line on the y axis shows.
#include <fmt/format.h>

#include <algorithm>
#include <boost/test/unit_test.hpp>
#include <cmath>
#include <map>
#include <numbers>
#include <sstream>

#include "slope/slope.hpp"
#include "support/chromium.hpp"
#include "support/svg.hpp"

using namespace slope;

namespace {

using namespace slope::testing;

using Dots = std::vector<std::string>;

const Expr x = var("x");

}  // namespace

BOOST_AUTO_TEST_CASE(kinks_of_non_affine_and_parameter_dependent_switches_are_marked_exactly) {
  // relu(x^2 - 1): x^2 = 1 at x = -1 and 1
  auto svg = parse_svg(plot_svg(parse("relu(x^2 - 1)")));
  BOOST_TEST(kink_xs(svg) == (std::vector<double>{-1, 1}), boost::test_tools::per_element());
  const Panel fp = panel(svg, "f");
  for (const Element& e : select(svg, "line", {{"class", "kink"}})) {
    BOOST_TEST(e.num("x1") == fp.px(e.num("data-x")), boost::test_tools::tolerance(0.006));
    BOOST_TEST(e.num("x2") == e.num("x1"));
  }
  // |sin(3x)| on [-2, 2]: 3x = k pi, x = -pi/3, 0, pi/3 (2 pi/3 = 2.09 is outside)
  svg = parse_svg(plot_svg(parse("abs(sin(3*x))")));
  const auto ks = kink_xs(svg);
  BOOST_REQUIRE_EQUAL(ks.size(), 3U);
  BOOST_TEST(ks[0] == -std::numbers::pi / 3, boost::test_tools::tolerance(1e-15));
  BOOST_TEST(ks[1] == 0.0);
  BOOST_TEST(ks[2] == std::numbers::pi / 3, boost::test_tools::tolerance(1e-15));
  // each is a corner of f (value 0, slopes -3 and 3): f' jumps there
  // (min_norm takes 0 at a corner of abs)
  BOOST_TEST(dots_at(svg, "df", 0.0) == (Dots{"-3 open", "0 filled", "3 open"}),
             boost::test_tools::per_element());
  // pi/3 lies between two doubles: no double reaches the kink, so no convention applies and f'
  // takes neither one-sided value there (both open); at 0 a double is on the kink
  const auto lines = select(svg, "line", {{"class", "kink"}});
  BOOST_TEST(lines[0].get("data-exact") == "false");
  BOOST_TEST(lines[1].get("data-exact") == "true");
  for (double k : {ks[0], ks[2]})
    BOOST_TEST(dots_at(svg, "df", k) == (Dots{"-3 open", "3 open"}),
               boost::test_tools::per_element());
  // relu(w*x + b) with w = 2, b = -1: the kink is where 2x - 1 = 0
  PlotOptions o;
  o.others = {{"w", 2}, {"b", -1}};
  svg = parse_svg(plot_svg(parse("relu(w*x+b)"), o));
  BOOST_TEST(kink_xs(svg) == (std::vector<double>{0.5}), boost::test_tools::per_element());
  BOOST_TEST(dots_at(svg, "df", 0.5) == (Dots{"0 filled", "2 open"}),
             boost::test_tools::per_element());
}

BOOST_AUTO_TEST_CASE(a_jump_in_f_prime_has_a_filled_dot_at_the_convention_and_an_open_one) {
  PlotOptions o;
  for (const auto& [c, filled, open] :
       {std::tuple{Convention::min_norm, 0.0, 1.0}, std::tuple{Convention::left, 0.0, 1.0},
        std::tuple{Convention::right, 1.0, 0.0}}) {
    o.convention = c;
    const auto svg = parse_svg(plot_svg(relu(x), o));
    Dots want{fmt::format("{} filled", filled), fmt::format("{} open", open)};
    if (open < filled) std::swap(want[0], want[1]);
    BOOST_TEST(dots_at(svg, "df", 0) == want, boost::test_tools::per_element());
    BOOST_TEST(dots_at(svg, "f", 0) == (Dots{"0 filled"}), boost::test_tools::per_element());
    // the dots sit where the panel's own mapping puts those values
    const Panel dp = panel(svg, "df");
    for (const Element& e : select(svg, "circle", {{"class", "dot"}, {"data-curve", "df"}})) {
      BOOST_TEST(e.num("cx") == dp.px(0), boost::test_tools::tolerance(0.006));
      BOOST_TEST(std::abs(e.num("cy") - dp.py(e.num("data-y"))) < 0.006);
    }
  }
  // leaky_relu(x, 0.1): the subgradient nearest 0 in [0.1, 1] is 0.1
  o.convention = Convention::min_norm;
  auto svg = parse_svg(plot_svg(parse("leaky_relu(x, 0.1)"), o));
  BOOST_TEST(dots_at(svg, "df", 0) == (Dots{"0.1 filled", "1 open"}),
             boost::test_tools::per_element());
  // the average convention takes a value neither side has: two open dots
  o.convention = Convention::average;
  svg = parse_svg(plot_svg(relu(x), o));
  BOOST_TEST(dots_at(svg, "df", 0) == (Dots{"0 open", "0.5 filled", "1 open"}),
             boost::test_tools::per_element());
  // f itself jumps: where(x > 0.5, x, -1) is -1 at 0.5, coming from -1 and leaving from 0.5
  o.convention = Convention::min_norm;
  svg = parse_svg(plot_svg(parse("where(x > 0.5, x, -1)"), o));
  BOOST_TEST(dots_at(svg, "f", 0.5) == (Dots{"-1 filled", "0.5 open"}),
             boost::test_tools::per_element());
  const auto jump_label = select(svg, "text", {{"fill", "#7c3aed"}});
  BOOST_REQUIRE_EQUAL(jump_label.size(), 1U);
  BOOST_TEST(jump_label[0].text == "jump");
}

BOOST_AUTO_TEST_CASE(f_prime_is_broken_at_every_jump_and_f_only_where_it_jumps) {
  const auto svg = parse_svg(plot_svg(parse("abs(sin(3*x))")));
  const Panel dp = panel(svg, "df"), fp = panel(svg, "f");
  const auto df_path = select(svg, "path", {{"class", "df"}});
  BOOST_REQUIRE_EQUAL(df_path.size(), 1U);
  const auto pieces = subpaths(df_path[0].get("d"));
  const std::vector<double> ks = kink_xs(svg);
  for (double k : ks) {
    const double px = dp.px(k);
    // no segment crosses the kink's x
    for (const auto& piece : pieces)
      for (std::size_t i = 1; i < piece.size(); ++i)
        BOOST_TEST(!(piece[i - 1].first < px - 0.01 && piece[i].first > px + 0.01),
                   "f' joined across the jump at " << k);
    // one piece ends at the left limit (-3) and the next starts at the right limit (3)
    bool ends = false, starts = false;
    for (const auto& piece : pieces) {
      ends |= std::abs(piece.back().first - px) < 0.006 &&
              std::abs(piece.back().second - dp.py(-3)) < 0.006;
      starts |= std::abs(piece.front().first - px) < 0.006 &&
                std::abs(piece.front().second - dp.py(3)) < 0.006;
    }
    BOOST_TEST(ends, "no f' piece ends at (" << k << ", -3)");
    BOOST_TEST(starts, "no f' piece starts at (" << k << ", 3)");
  }
  BOOST_TEST(pieces.size() == ks.size() + 1);
  // f is continuous: one piece through every kink, passing exactly through (k, 0)
  const auto f_pieces = subpaths(select(svg, "path", {{"class", "f"}})[0].get("d"));
  BOOST_TEST(f_pieces.size() == 1U);
  for (double k : ks)
    BOOST_TEST(std::any_of(f_pieces[0].begin(), f_pieces[0].end(), [&](const Point& p) {
      return std::abs(p.first - fp.px(k)) < 0.006 && std::abs(p.second - fp.py(0)) < 0.006;
    }));
}

BOOST_AUTO_TEST_CASE(sqrt_of_relu_keeps_its_zero_slope_left_of_the_kink) {
  // f' = relu'(x) / (2 sqrt(relu(x))) is 0/0 for x < 0, but f is 0 there, so f' is 0
  const auto svg = parse_svg(plot_svg(parse("sqrt(relu(x))")));
  const Panel dp = panel(svg, "df");
  const auto pieces = subpaths(select(svg, "path", {{"class", "df"}})[0].get("d"));
  BOOST_REQUIRE(!pieces.empty());
  const auto& first = pieces.front();
  BOOST_TEST(first.front().first == dp.px(-2), boost::test_tools::tolerance(0.006));
  BOOST_TEST(first.back().first == dp.px(0), boost::test_tools::tolerance(0.006));
  for (const Point& p : first) BOOST_TEST(std::abs(p.second - dp.py(0)) < 0.006);
  BOOST_TEST(first.size() >= 200U);  // every grid sample left of 0, not a stray segment
}

BOOST_AUTO_TEST_CASE(a_pole_is_clipped_and_the_curve_cut_at_the_panel) {
  const auto svg = parse_svg(plot_svg(parse("1/x")));
  const Panel fp = panel(svg, "f");
  // the samples nearest 0 are +-1/0.005 = +-200 (and the mean of |1/x| is larger still); the
  // range shows the bulk of 1/x, |1/x| <= 25, not them
  BOOST_TEST(fp.hi >= 5.0);
  BOOST_TEST(fp.hi <= 40.0);
  BOOST_TEST(fp.lo <= -5.0);
  BOOST_TEST(fp.lo >= -40.0);
  const auto pieces = subpaths(select(svg, "path", {{"class", "f"}})[0].get("d"));
  BOOST_TEST(pieces.size() == 2U);  // left and right of the pole, not joined through it
  BOOST_TEST(select(svg, "text", {{"fill", "#7c3aed"}})[0].text == "pole");
  for (const auto& piece : pieces)
    for (const Point& p : piece) {
      BOOST_TEST(p.second >= fp.top - 0.006);
      BOOST_TEST(p.second <= fp.top + fp.height + 0.006);
    }
  // each piece is cut at the panel's edge near the pole: at the bottom left of 0, top right
  BOOST_TEST(pieces[0].back().second == fp.top + fp.height, boost::test_tools::tolerance(0.006));
  BOOST_TEST(pieces[1].front().second == fp.top, boost::test_tools::tolerance(0.006));
  // and the cut is where 1/x reaches the edge, up to the grid's linear interpolation
  BOOST_TEST(pieces[1].front().first >= fp.px(1 / fp.hi) - 2);
  BOOST_TEST(pieces[1].front().first <= fp.px(1 / fp.hi) + 2);
  // a function without a pole is not clipped: relu shows all of [0, 2] with 8% padding
  const Panel relu_panel = panel(parse_svg(plot_svg(relu(x))), "f");
  BOOST_TEST(relu_panel.lo == -0.16, boost::test_tools::tolerance(1e-12));
  BOOST_TEST(relu_panel.hi == 2.16, boost::test_tools::tolerance(1e-12));
}

BOOST_AUTO_TEST_CASE(kink_line_is_drawn_over_the_y_axis_in_its_own_colour_with_title_and_labels) {
  const auto svg = parse_svg(plot_svg(relu(x)));
  const Panel fp = panel(svg, "f"), dp = panel(svg, "df");
  std::size_t axis_index = 0, kink_index = 0;
  std::string axis_colour;
  for (std::size_t i = 0; i < svg.size(); ++i) {
    if (svg[i].tag == "g" && svg[i].get("class") == "axes")
      axis_index = i, axis_colour = svg[i].get("stroke");
    if (svg[i].get("class") == "kink") kink_index = i;
  }
  BOOST_TEST(kink_index > axis_index);  // later in the document: painted over the axis
  const Element kink = svg[kink_index];
  BOOST_TEST(kink.get("stroke") != axis_colour);
  BOOST_TEST(kink.num("x1") == fp.px(0), boost::test_tools::tolerance(0.006));
  BOOST_TEST(kink.num("y1") == fp.top);
  BOOST_TEST(kink.num("y2") == dp.top + dp.height);  // across both panels
  // the dots of f and f' at the kink are in different panels, not on one spot
  const auto f_dot = select(svg, "circle", {{"class", "dot"}, {"data-curve", "f"}});
  const auto d_dot =
      select(svg, "circle", {{"class", "dot"}, {"data-curve", "df"}, {"data-kind", "filled"}});
  BOOST_REQUIRE_EQUAL(f_dot.size(), 1U);
  BOOST_REQUIRE_EQUAL(d_dot.size(), 1U);
  BOOST_TEST(f_dot[0].num("cy") <= fp.top + fp.height);
  BOOST_TEST(d_dot[0].num("cy") >= dp.top);
  // a title and y labels
  const auto title = select(svg, "text", {{"class", "title"}});
  BOOST_REQUIRE_EQUAL(title.size(), 1U);
  BOOST_TEST(title[0].text == "relu(x) and its derivative");
  const auto ylabels = select(svg, "text", {{"class", "ylabel"}});
  BOOST_REQUIRE_EQUAL(ylabels.size(), 2U);
  BOOST_TEST(ylabels[0].text == "f(x)");
  BOOST_TEST(ylabels[1].text == "f'(x), min_norm at kinks");
  PlotOptions o;
  o.title = "ReLU <3";
  BOOST_TEST(select(parse_svg(plot_svg(relu(x), o)), "text", {{"class", "title"}})[0].text ==
             "ReLU <3");
}

BOOST_AUTO_TEST_CASE(options_no_derivative_several_functions_markers_and_colour_by_slope) {
  PlotOptions o;
  o.derivative = false;
  auto svg = parse_svg(plot_svg(relu(x), o));
  BOOST_TEST(select(svg, "path", {{"class", "df"}}).empty());
  BOOST_TEST(select(svg, "rect", {{"class", "panel"}}).size() == 1U);
  BOOST_TEST(select(svg, "circle", {{"class", "dot"}, {"data-curve", "df"}}).empty());
  BOOST_TEST(select(svg, "svg")[0].get("height") == "400");

  // several functions: each its own colour and legend entry, one kink line at the shared 0
  const std::vector<Expr> fs{parse("relu(x)"), parse("leaky_relu(x, 0.1)")};
  svg = parse_svg(plot_svg(fs));
  const auto f_paths = select(svg, "path", {{"class", "f"}});
  BOOST_REQUIRE_EQUAL(f_paths.size(), 2U);
  BOOST_TEST(f_paths[0].get("stroke") != f_paths[1].get("stroke"));
  const auto legend = select(svg, "text", {{"class", "legend-entry"}});
  BOOST_REQUIRE_EQUAL(legend.size(), 2U);
  BOOST_TEST(legend[0].text == "relu(x)");
  BOOST_TEST(legend[1].text == "leaky_relu(x, 0.1)");
  BOOST_TEST(kink_xs(svg) == (std::vector<double>{0}), boost::test_tools::per_element());
  BOOST_TEST(dots_at(svg, "df", 0, "1") == (Dots{"0.1 filled", "1 open"}),
             boost::test_tools::per_element());
  // leaky_relu at x = -2 is -0.2: its f path starts there
  const Panel fp = panel(svg, "f");
  const auto leaky = subpaths(f_paths[1].get("d"));
  BOOST_TEST(leaky.front().front().second == fp.py(-0.2), boost::test_tools::tolerance(0.006));
  BOOST_TEST(select(svg, "text", {{"class", "title"}})[0].text ==
             "relu(x) and leaky_relu(x, 0.1) with their derivatives");

  // markers at the x grid lines -2, -1.5, ..., 2, on f and f'
  o = {};
  o.markers = true;
  svg = parse_svg(plot_svg(relu(x), o));
  for (const std::string curve : {"f", "df"}) {
    const auto marks = select(svg, "rect", {{"class", "marker"}, {"data-curve", curve}});
    BOOST_REQUIRE_EQUAL(marks.size(), 9U);
    for (std::size_t i = 0; i < marks.size(); ++i) {
      const double t = -2 + 0.5 * static_cast<double>(i);
      BOOST_TEST(marks[i].num("data-x") == t);
      const double want = curve == "f" ? std::max(t, 0.0) : t > 0 ? 1.0 : 0.0;
      BOOST_TEST(marks[i].num("data-y") == want);
    }
  }

  // colour by slope: grey where relu's slope is 0, red where it is 1
  o = {};
  o.color_by_slope = true;
  svg = parse_svg(plot_svg(relu(x), o));
  std::vector<Element> runs;
  for (const Element& e : select(svg, "path"))
    if (e.attr.count("data-slope")) runs.push_back(e);
  BOOST_REQUIRE_EQUAL(runs.size(), 2U);
  BOOST_TEST(runs[0].num("data-slope") == 0.0);
  BOOST_TEST(runs[0].get("stroke") == "#9ca3af");
  BOOST_TEST(runs[0].num("data-from") == -2.0);
  BOOST_TEST(runs[0].num("data-to") == 0.0);
  BOOST_TEST(runs[1].num("data-slope") == 1.0);
  BOOST_TEST(runs[1].get("stroke") == "#dc2626");
  BOOST_TEST(runs[1].num("data-from") == 0.0);
  BOOST_TEST(runs[1].num("data-to") == 2.0);
  // the runs meet at the corner (0, 0) of the f panel
  const Panel cp = panel(svg, "f");
  const auto left_run = subpaths(runs[0].get("d")), right_run = subpaths(runs[1].get("d"));
  BOOST_TEST(left_run.back().back().first == cp.px(0), boost::test_tools::tolerance(0.006));
  BOOST_TEST(right_run.front().front().first == cp.px(0), boost::test_tools::tolerance(0.006));
  BOOST_TEST(right_run.front().front().second == cp.py(0), boost::test_tools::tolerance(0.006));
  const auto regions = select(svg, "rect", {{"class", "slope-region"}});
  BOOST_TEST(regions.size() >= 2U);
  BOOST_CHECK_THROW(plot_svg(fs, o), std::invalid_argument);
  BOOST_CHECK_THROW(plot_svg(std::vector<Expr>{}, PlotOptions{}), std::invalid_argument);
}

BOOST_AUTO_TEST_CASE(chromium_renders_a_picture_with_the_kink_line_on_the_y_axis) {
  if (!slope::testing::can_render_svg()) {
    BOOST_TEST_MESSAGE("skipped: chromium or python3 is not installed (apt-get install chromium)");
    return;
  }
  const std::string svg_text = plot_svg(relu(x));
  const slope::testing::RenderedSvg picture(svg_text, 640, 600);
  // the kink line's column in the f panel, from the SVG's own layout
  const auto svg = parse_svg(svg_text);
  const Panel fp = panel(svg, "f");
  const int column = static_cast<int>(std::lround(fp.px(0)));
  const auto stats =
      picture.stats(fmt::format("{} {} {} {}", column - 2, column + 2, static_cast<int>(fp.top) + 2,
                                static_cast<int>(fp.top + fp.height) - 2));
  BOOST_TEST_REQUIRE(stats.size() == 5U);
  const double w = stats[0], h = stats[1], colours = stats[2], ink = stats[3], violet = stats[4];
  BOOST_TEST(w == 640);
  BOOST_TEST(h == 600);
  BOOST_TEST(colours > 20);  // curves, dots, text, grid: not a blank page
  BOOST_TEST(ink > 0.02);
  BOOST_TEST(ink < 0.6);
  // the dashed kink line (4 on, 3 off) covers about 4/7 of the panel's rows on x = 0, over the
  // grey y axis
  const double rows = fp.height - 4;
  BOOST_TEST(violet > 0.4 * rows, violet << " violet rows of " << rows);
}

// Values that reach both ends of the doubles: hi - lo overflows, and the picture must not turn
// into NaN coordinates (1e308*x on [-10, 10] wrote 74 of them).
BOOST_AUTO_TEST_CASE(values_near_the_largest_double_still_map_to_the_panel) {
  PlotOptions o;
  o.from = -10, o.to = 10, o.points = 101;
  const auto svg = parse_svg(plot_svg(1e308 * x, o));
  const Panel p = panel(svg, "f");
  const auto paths = select(svg, "path", {{"class", "f"}});
  BOOST_TEST_REQUIRE(paths.size() == 1U);
  int vertices = 0;
  for (const auto& piece : subpaths(paths[0].get("d")))
    for (const auto& [px, py] : piece) {
      ++vertices;
      BOOST_TEST((px >= p.left - 0.01 && px <= p.left + p.width + 0.01), px);
      BOOST_TEST((py >= p.top - 0.01 && py <= p.top + p.height + 0.01), py);
      // mapped back, y is 1e308 x to the pixel rounding
      const double xv = p.x_at(px), y = p.y_at(py);
      BOOST_TEST(std::abs(y / 1e308 - xv) <= 0.02 * (1 + std::abs(xv)), "at x = " << xv);
    }
  BOOST_TEST(vertices > 10);
}
