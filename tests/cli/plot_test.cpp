// slope plot through the built executable: the SVG is checked by an XML parser.
#include <boost/property_tree/ptree.hpp>
#include <boost/property_tree/xml_parser.hpp>
#include <boost/test/unit_test.hpp>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "cli/run_slope.hpp"

using namespace cli_testing;

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
  BOOST_TEST(r.out.find("<text x=\"92\" y=\"20\">f(x) = (an expression of 81 nodes)</text>") !=
             std::string::npos);
}

BOOST_AUTO_TEST_CASE(a_400_deep_chain_plots_with_its_one_kink) {
  // relu(x*0.5 + 1) nested 400 deep: 400 kinks. Finding where each sits differentiated its
  // whole inner chain: over 6 s. Only the innermost is at a fixed x (x = -2).
  std::string text = "f0(x) = relu(x*0.5 + 1)\n";
  text += "f1(x) = " + [] {
    std::string s;
    for (int i = 0; i < 20; ++i) s += "f0(";
    return s + "x" + std::string(20, ')');
  }() + "\n";
  text += "f2(x) = " + [] {
    std::string s;
    for (int i = 0; i < 20; ++i) s += "f1(";
    return s + "x" + std::string(20, ')');
  }() + "\nf2(x)\n";
  const Run r = run_slope({"plot", "-", "--from", "-4", "--to", "4", "--out", "-"}, text);
  BOOST_TEST(r.status == 0, r.err);
  std::size_t kinks = 0;
  for (std::size_t at = r.out.find(">kink<"); at != std::string::npos;
       at = r.out.find(">kink<", at + 1))
    ++kinks;
  BOOST_TEST(kinks == 1U);
  // the kink marker sits at x = -2: 56 + (-2 + 4)/8 * (624 - 56)
  BOOST_TEST(
      contains(
          r.out,
          "<text x=\"198.00\" y=\"58.00\" fill=\"#6b7280\" text-anchor=\"middle\">kink</text>"),
      r.out.substr(0, 200));
}
