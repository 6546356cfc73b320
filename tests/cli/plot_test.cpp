// SPDX-License-Identifier: MIT
// slope plot through the built executable: the SVG is checked by an XML parser.
#include <boost/property_tree/ptree.hpp>
#include <boost/property_tree/xml_parser.hpp>
#include <boost/test/unit_test.hpp>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "cli/run_slope.hpp"
#include "support/chain_text.hpp"

using namespace cli_testing;

namespace {
/// An SVG read by an XML parser, and its elements of one tag and class at any depth.
struct Svg {
  boost::property_tree::ptree tree;
  std::vector<boost::property_tree::ptree> all(const std::string& tag,
                                               const std::string& cls) const {
    std::vector<boost::property_tree::ptree> out;
    walk(tree.get_child("svg"), tag, cls, out);
    return out;
  }
  static void walk(const boost::property_tree::ptree& node, const std::string& tag,
                   const std::string& cls, std::vector<boost::property_tree::ptree>& out) {
    for (const auto& [t, child] : node) {
      if (t == "<xmlattr>") continue;
      if (t == tag && child.get("<xmlattr>.class", "") == cls) out.push_back(child);
      walk(child, tag, cls, out);
    }
  }
};

Svg parse(const std::string& text) {
  Svg svg;
  std::istringstream in(text);
  boost::property_tree::read_xml(in, svg.tree);
  return svg;
}
}  // namespace

BOOST_AUTO_TEST_CASE(plot_writes_valid_svg_atomically) {
  const auto path = std::filesystem::temp_directory_path() / "slope_cli_relu.svg";
  std::filesystem::remove(path);
  const Run r = run_slope({"plot", "relu(x)", "--from", "-2", "--to", "2", "--out", path.string()});
  BOOST_TEST(r.status == 0);
  boost::property_tree::ptree tree;
  BOOST_CHECK_NO_THROW(boost::property_tree::read_xml(path.string(), tree));
  BOOST_TEST(tree.get<std::string>("svg.<xmlattr>.width") == "640");
  const std::string svg = slurp(path);
  BOOST_TEST(svg.find("f(x) = relu(x)") != std::string::npos);
  BOOST_TEST(svg.find("stroke-dasharray=\"6 4\"") != std::string::npos);  // f' dashed
  BOOST_TEST(svg.find(">kink<") != std::string::npos);
  BOOST_TEST(!std::filesystem::exists(path.string() + ".tmp"));
  // a failing plot leaves nothing behind
  const auto bad = std::filesystem::temp_directory_path() / "no_such_dir" / "x.svg";
  BOOST_TEST(run_slope({"plot", "relu(x)", "--out", bad.string()}).status == 2);
  BOOST_TEST(run_slope({"plot", "rellu(x)", "--out", path.string() + "2"}).status == 1);
  BOOST_TEST(!std::filesystem::exists(path.string() + "2"));
}

BOOST_AUTO_TEST_CASE(plot_ranges_are_checked_and_out_dash_is_standard_output) {
  const Run svg = run_slope({"plot", "relu(x)", "--out", "-"});
  BOOST_TEST(svg.status == 0, svg.err);
  BOOST_TEST(contains(svg.out, "<svg"));
  BOOST_TEST(contains(svg.out, "</svg>"));
  const Run wide = run_slope({"plot", "x", "--from", "-1e308", "--to", "1e308", "--out", "-"});
  BOOST_TEST(wide.status == 2);
  BOOST_TEST(contains(wide.err, "its width overflows"), wide.err);
  BOOST_TEST(run_slope({"plot", "x", "--from", "-inf", "--out", "-"}).status == 2);
  BOOST_TEST(run_slope({"plot", "x", "--from", "1", "--to", "1", "--out", "-"}).status == 2);
  BOOST_TEST(run_slope({"plot", "x", "--points", "1", "--out", "-"}).status == 2);
  const Run ulp =
      run_slope({"plot", "x", "--from", "1", "--to", "1.0000000000000002", "--out", "-"});
  BOOST_TEST(ulp.status == 2);
  BOOST_TEST(contains(ulp.err, "is too narrow to plot"), ulp.err);
}

BOOST_AUTO_TEST_CASE(the_legend_of_a_huge_expression_names_its_size) {
  std::string e = "f(x)=x+sin(x);";
  for (int i = 0; i < 40; ++i) e += "f(";
  e += "x" + std::string(40, ')');
  const Run r = run_slope({"plot", e, "--out", "-"});
  BOOST_TEST(r.status == 0);
  boost::property_tree::ptree tree;
  std::istringstream in(r.out);
  BOOST_CHECK_NO_THROW(boost::property_tree::read_xml(in, tree));
  std::vector<std::string> legend;
  for (const auto& [tag, node] : tree.get_child("svg"))
    if (tag == "g" && node.get("<xmlattr>.class", "") == "legend")
      for (const auto& [t, entry] : node)
        if (t == "text" && entry.get("<xmlattr>.class", "") == "legend-entry")
          legend.push_back(entry.data());
  BOOST_TEST(legend == (std::vector<std::string>{"f(x) = (an expression of 81 nodes)"}),
             boost::test_tools::per_element());
}

BOOST_AUTO_TEST_CASE(a_400_deep_chain_plots_with_its_kink) {
  // relu(x*0.5 + 1) nested 400 deep: 400 switches, one crossing 0 (the innermost, at x = -2).
  // Finding where each sits differentiated its whole inner chain (over 6 s), and a grid search
  // of each switch alone cost about 2,000 * size^2; the search now classifies the switches in one
  // memoized pass and evaluates the curved ones together (speed: bench/, not here).
  const std::string text = slope::testing::nested_chain("relu(x*0.5 + 1)", {20, 20});
  const Run r = run_slope({"plot", "-", "--from", "-4", "--to", "4", "--out", "-"}, text);
  BOOST_TEST(r.status == 0, r.err);
  const Svg svg = parse(r.out);
  const auto kinks = svg.all("line", "kink");
  BOOST_REQUIRE_EQUAL(kinks.size(), 1U);
  BOOST_TEST(kinks[0].get("<xmlattr>.data-x", "") == "-2");
  // the line sits at x = -2 of the f panel: left + (-2 + 4) / 8 * width
  const auto panel = svg.all("rect", "panel")[0];
  const double left = panel.get<double>("<xmlattr>.x"),
               width = panel.get<double>("<xmlattr>.width");
  BOOST_TEST(kinks[0].get<double>("<xmlattr>.x1") == left + 2.0 / 8 * width,
             boost::test_tools::tolerance(0.006));
}

BOOST_AUTO_TEST_CASE(several_functions_in_one_plot_each_with_its_colour_and_legend) {
  const Run r = run_slope({"plot", "relu(x)", "leaky_relu(x, 0.1)", "--out", "-"});
  BOOST_TEST(r.status == 0, r.err);
  const Svg svg = parse(r.out);
  const auto f = svg.all("path", "f");
  BOOST_REQUIRE_EQUAL(f.size(), 2U);
  BOOST_TEST(f[0].get("<xmlattr>.stroke", "") == "#2563eb");
  BOOST_TEST(f[1].get("<xmlattr>.stroke", "") == "#dc2626");
  const auto legend = svg.all("text", "legend-entry");
  BOOST_REQUIRE_EQUAL(legend.size(), 2U);
  BOOST_TEST(legend[0].data() == "relu(x)");
  BOOST_TEST(legend[1].data() == "leaky_relu(x, 0.1)");
  BOOST_TEST(svg.all("path", "df").size() == 2U);
  // an expression starting with - is still one of them
  const Run neg = run_slope({"plot", "relu(x)", "-x^2", "--out", "-"});
  BOOST_TEST(neg.status == 0, neg.err);
  BOOST_TEST(parse(neg.out).all("text", "legend-entry")[1].data() == "-x^2");
  // errors name the expression
  const Run bad = run_slope({"plot", "relu(x)", "rellu(x)", "--out", "-"});
  BOOST_TEST(bad.status == 1);
  BOOST_TEST(contains(bad.err, "expression 2 ('rellu(x)'): "), bad.err);
  BOOST_TEST(bad.out.empty());
  const Run vars = run_slope({"plot", "relu(x)", "relu(y)", "--out", "-"});
  BOOST_TEST(vars.status == 2);
  BOOST_TEST(contains(vars.err, "the functions vary in different variables (x and y)"), vars.err);
  BOOST_TEST(
      run_slope({"plot", "relu(x)", "relu(y)", "--wrt", "y", "--at", "x=1", "--out", "-"}).status ==
      0);
  const Run twice = run_slope({"plot", "-", "-", "--out", "-"}, "x");
  BOOST_TEST(twice.status == 2);
  BOOST_TEST(contains(twice.err, "standard input (-) can be read only once"), twice.err);
}

BOOST_AUTO_TEST_CASE(no_derivative_points_samples_and_color_by_slope) {
  Run r = run_slope({"plot", "relu(x)", "--no-derivative", "--out", "-"});
  BOOST_TEST(r.status == 0, r.err);
  BOOST_TEST(parse(r.out).all("path", "df").empty());
  BOOST_TEST(parse(r.out).all("path", "f").size() == 1U);

  // --points alone: markers at the grid lines -2, -1.5, ..., 2 (9 on f, 9 on f'), wherever it is
  for (const std::vector<std::string>& args :
       {std::vector<std::string>{"plot", "relu(x)", "--points", "--out", "-"},
        std::vector<std::string>{"plot", "--points", "relu(x)", "--out", "-"}}) {
    r = run_slope(args);
    BOOST_TEST(r.status == 0, r.err);
    const auto marks = parse(r.out).all("rect", "marker");
    BOOST_REQUIRE_EQUAL(marks.size(), 18U);
    BOOST_TEST(marks[8].get("<xmlattr>.data-x", "") == "2");
    BOOST_TEST(marks[8].get("<xmlattr>.data-y", "") == "2");  // relu(2)
  }
  // --points N keeps its old meaning, the number of samples (now also --samples N)
  for (const std::string option : {"--points", "--samples"}) {
    r = run_slope({"plot", "x^2", option, "5", "--out", "-"});
    BOOST_TEST(r.status == 0, r.err);
    const auto f = parse(r.out).all("path", "f");
    std::size_t vertices = 0;
    for (char c : f[0].get("<xmlattr>.d", "")) vertices += c == 'M' || c == 'L';
    BOOST_TEST(vertices == 5U);
    BOOST_TEST(parse(r.out).all("rect", "marker").empty());
    BOOST_TEST(contains(r.err, "older spelling") == (option == "--points"), r.err);
  }
  r = run_slope({"plot", "x", "--samples", "1", "--out", "-"});
  BOOST_TEST(r.status == 2);
  BOOST_TEST(contains(r.err, "--samples must be between 2 and 100000"), r.err);
  r = run_slope({"plot", "x", "--samples", "5", "--points", "5", "--out", "-"});
  BOOST_TEST(r.status == 2);
  BOOST_TEST(contains(r.err, "not both"), r.err);

  // colour by slope: relu's pieces grey (slope 0) left of 0 and red (slope 1) right of it
  r = run_slope({"plot", "relu(x)", "--color-by-slope", "--out", "-"});
  BOOST_TEST(r.status == 0, r.err);
  const Svg svg = parse(r.out);
  std::vector<std::string> runs;  // slope and colour of each run of f
  for (const auto& group : svg.all("g", "f"))
    for (const auto& [tag, path] : group)
      if (tag == "path")
        runs.push_back(path.get("<xmlattr>.data-slope", "") + " " +
                       path.get("<xmlattr>.stroke", ""));
  BOOST_TEST(runs == (std::vector<std::string>{"0 #9ca3af", "1 #dc2626"}),
             boost::test_tools::per_element());
  r = run_slope({"plot", "relu(x)", "x", "--color-by-slope", "--out", "-"});
  BOOST_TEST(r.status == 2);
  BOOST_TEST(contains(r.err, "--color-by-slope colours one function by its slope; got 2"), r.err);
}

BOOST_AUTO_TEST_CASE(kinks_that_depend_on_at_and_the_help) {
  const Run r = run_slope({"plot", "relu(w*x+b)", "--at", "w=2,b=-1", "--out", "-"});
  BOOST_TEST(r.status == 0, r.err);
  const auto kinks = parse(r.out).all("line", "kink");
  BOOST_REQUIRE_EQUAL(kinks.size(), 1U);
  BOOST_TEST(kinks[0].get("<xmlattr>.data-x", "") == "0.5");
  // the axis' variable and a name no expression spells are refused
  const Run axis = run_slope({"plot", "relu(x)", "--at", "x=1", "--out", "-"});
  BOOST_TEST(axis.status == 2);
  BOOST_TEST(axis.err ==
             "slope: --at x: x is the horizontal axis, so a value for it would be ignored (--wrt "
             "picks another variable)\n");
  const Run typo = run_slope({"plot", "relu(x)", "w*x", "--at", "v=1", "--out", "-"});
  BOOST_TEST(typo.status == 2);
  BOOST_TEST(typo.err == "slope: --at v: the expressions have no variable v; did you mean w?\n");
  const Run help = run_slope({"plot", "--help"});
  BOOST_TEST(help.status == 0);
  for (const char* flag :
       {"--no-derivative", "--points", "--samples", "--color-by-slope", "--title"})
    BOOST_TEST(contains(help.out, flag), flag);
}
