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
