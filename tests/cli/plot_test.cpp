// slope plot through the built executable: the SVG is checked by an XML parser.
#include <boost/property_tree/ptree.hpp>
#include <boost/property_tree/xml_parser.hpp>
#include <boost/test/unit_test.hpp>
#include <filesystem>
#include <fstream>

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
