// SPDX-License-Identifier: MIT
// slope lab dying-relu through the built executable: the printed table shows the effect (in the
// bad setting about as many relu as leaky units inactive, but only the relu ones dead and
// frozen; the sane network learning), its numbers are those of a network recomputed by hand,
// and the SVG parses as XML. slope lab relu0: its table is the library lab's, float64 never
// differs.
#include <boost/property_tree/ptree.hpp>
#include <boost/property_tree/xml_parser.hpp>
#include <boost/test/unit_test.hpp>
#include <filesystem>
#include <sstream>

#include "cli/run_slope.hpp"
#include "slope/relu_zero.hpp"
#include "support/lab_network.hpp"

using namespace cli_testing;

namespace {

struct Cell {
  double loss, dead, inactive;
};

/// The table's epoch lines: per epoch, (loss, dead, inactive) for each of the three runs.
std::vector<std::vector<Cell>> epoch_rows(const std::string& out) {
  std::vector<std::vector<Cell>> rows;
  std::istringstream text(out);
  std::string line;
  while (std::getline(text, line)) {
    std::istringstream fields(line);
    std::size_t epoch;
    if (!(fields >> epoch) || epoch != rows.size()) continue;  // not an epoch line
    std::vector<Cell> row;
    Cell c{};
    while (fields >> c.loss >> c.dead >> c.inactive) row.push_back(c);
    if (row.size() == 3) rows.push_back(row);
  }
  return rows;
}

/// The two counts (relu, leaky_relu) at the end of the summary line that starts with `label`.
std::pair<int, int> summary_counts(const std::string& out, const std::string& label) {
  std::istringstream text(out);
  std::string line;
  while (std::getline(text, line))
    if (line.starts_with("  " + label)) {
      std::istringstream words(line);
      std::vector<std::string> w;
      for (std::string word; words >> word;) w.push_back(word);
      if (w.size() < 2) break;
      return {std::stoi(w[w.size() - 2]), std::stoi(w.back())};
    }
  return {-1, -1};
}

}  // namespace

BOOST_AUTO_TEST_CASE(the_table_shows_relu_units_dying_in_the_bad_setting) {
  const auto path = scratch() / "dying.svg";
  const Run r = run_slope({"lab", "dying-relu", "--out", path.string()});
  BOOST_TEST_REQUIRE(r.status == 0, r.err);
  const auto rows = epoch_rows(r.out);
  const slope::DyingReluLab lab = slope::run_dying_relu_lab();  // the command's defaults
  BOOST_TEST_REQUIRE(rows.size() == static_cast<std::size_t>(lab.options.epochs) + 1, r.out);
  // the effect, read from the printed table
  const auto& last = rows.back();
  BOOST_TEST(last[0].loss < rows.front()[0].loss / 2, "the sane relu network learns");
  BOOST_TEST(last[1].dead > 0.0);
  BOOST_TEST(last[2].dead == 0.0);
  // inactive, the same quantity for both: no three-to-one ratio (30 and 28 of 64 with seed 7)
  BOOST_TEST(last[1].inactive < 3 * last[2].inactive);
  BOOST_TEST((summary_counts(r.out, "inactive:") == std::pair{30, 28}));
  BOOST_TEST((summary_counts(r.out, "dead:") == std::pair{30, 0}));
  // frozen: the relu units that stopped learning, none of the leaky ones
  BOOST_TEST((summary_counts(r.out, "frozen:") == std::pair{30, 0}));
  // every printed number recomputed: the lab's networks, evaluated by hand in doubles
  slope::testing::check_against_hand(lab);
  for (std::size_t e = 0; e < rows.size(); ++e)
    for (std::size_t k = 0; k < 3; ++k) {
      const slope::DeadUnits& d = lab.runs[k].dead[e];
      BOOST_TEST(std::abs(rows[e][k].loss - lab.runs[k].loss[e]) <= 5e-5);
      // printed to 3 decimals
      BOOST_TEST(std::abs(rows[e][k].dead - d.fraction()) <= 5.0001e-4);
      BOOST_TEST(std::abs(rows[e][k].inactive - d.never_above_fraction()) <= 5.0001e-4);
    }
  BOOST_TEST(contains(r.out, "wrote " + path.string()));
  // the chart: XML, two panels of three lines
  boost::property_tree::ptree tree;
  BOOST_CHECK_NO_THROW(boost::property_tree::read_xml(path.string(), tree));
  BOOST_TEST(tree.get<std::string>("svg.<xmlattr>.width") == "640");
  int lines = 0;
  for (const auto& child : tree.get_child("svg")) lines += child.first == "polyline";
  BOOST_TEST(lines == 6);
}

BOOST_AUTO_TEST_CASE(out_dash_writes_only_the_chart_and_options_change_the_run) {
  const Run svg = run_slope({"lab", "dying-relu", "--epochs", "2", "--out", "-"});
  BOOST_TEST_REQUIRE(svg.status == 0, svg.err);
  boost::property_tree::ptree tree;
  std::istringstream in(svg.out);
  BOOST_CHECK_NO_THROW(boost::property_tree::read_xml(in, tree));
  BOOST_TEST(tree.get<std::string>("svg.title") ==
             "Dying ReLU: loss and dead hidden units per epoch");
  const Run seeded = run_slope({"lab", "dying-relu", "--epochs", "2", "--seed", "3"});
  BOOST_TEST_REQUIRE(seeded.status == 0, seeded.err);
  BOOST_TEST(epoch_rows(seeded.out).size() == 3U);
  BOOST_TEST(contains(seeded.out, "seed 3"));
}

BOOST_AUTO_TEST_CASE(bad_usage_is_refused_with_status_2) {
  const Run bare = run_slope({"lab"});
  BOOST_TEST(bare.status == 2);
  BOOST_TEST(contains(bare.err, "lab needs an experiment: slope lab dying-relu or slope lab relu0"),
             bare.err);
  BOOST_TEST(run_slope({"lab", "dying-relus"}).status == 2);
  const Run zero = run_slope({"lab", "dying-relu", "--epochs", "0"});
  BOOST_TEST(zero.status == 2);
  BOOST_TEST(contains(zero.err, "--epochs is 0"), zero.err);
  BOOST_TEST(run_slope({"lab", "dying-relu", "--epochs", "many"}).status == 2);
  BOOST_TEST(run_slope({"lab", "dying-relu", "--seed", "-1"}).status == 2);
  const auto missing = scratch() / "no_such_dir" / "x.svg";
  BOOST_TEST(run_slope({"lab", "dying-relu", "--epochs", "1", "--out", missing.string()}).status ==
             2);
  BOOST_TEST(!std::filesystem::exists(missing));
}

namespace {

struct PrecisionRow {
  std::string name;
  std::size_t differing, all;
  double hits, loss0, loss1;
};

/// The relu0 table's precision rows.
std::vector<PrecisionRow> precision_rows(const std::string& out) {
  std::vector<PrecisionRow> rows;
  std::istringstream text(out);
  std::string line;
  while (std::getline(text, line)) {
    std::istringstream fields(line);
    PrecisionRow r;
    std::string of, percent;
    double per_million = 0;
    if (fields >> r.name >> r.differing >> of >> r.all >> percent >> r.hits >> per_million >>
            r.loss0 >> r.loss1 &&
        of == "of")
      rows.push_back(r);
  }
  return rows;
}

}  // namespace

BOOST_AUTO_TEST_CASE(relu0_prints_the_labs_numbers_and_writes_the_chart) {
  const auto path = scratch() / "relu0.svg";
  const Run r = run_slope({"lab", "relu0", "--hidden", "16", "--epochs", "2", "--samples", "512",
                           "--seed", "3", "--out", path.string()});
  BOOST_TEST_REQUIRE(r.status == 0, r.err);
  slope::ReluZeroOptions o;
  o.hidden = 16;
  o.epochs = 2;
  o.samples = 512;
  o.seed = 3;
  const slope::ReluZeroLab lab = slope::run_relu_zero_lab(o);
  const auto rows = precision_rows(r.out);
  BOOST_TEST_REQUIRE(rows.size() == lab.runs.size(), r.out);
  for (std::size_t k = 0; k < rows.size(); ++k) {
    const slope::ReluZeroRun& run = lab.runs[k];
    BOOST_TEST(rows[k].name == slope::to_string(run.precision));
    BOOST_TEST(rows[k].differing == run.differing_total());
    BOOST_TEST(rows[k].all == 2 * run.batches);
    BOOST_TEST(run.batches == 512U / 32U);  // --samples reached the lab
    BOOST_TEST(std::abs(rows[k].hits - static_cast<double>(run.kink_hits_total()) / 2) <= 0.05);
    BOOST_TEST(std::abs(rows[k].loss0 - run.loss_zero.back()) <= 5e-5);
    BOOST_TEST(std::abs(rows[k].loss1 - run.loss_one.back()) <= 5e-5);
  }
  BOOST_TEST(rows.back().name == "float64");
  BOOST_TEST(rows.back().differing == 0U);
  BOOST_TEST(contains(r.out, "wrote " + path.string()));
  boost::property_tree::ptree tree;
  BOOST_CHECK_NO_THROW(boost::property_tree::read_xml(path.string(), tree));
  int lines = 0;
  for (const auto& child : tree.get_child("svg")) lines += child.first == "polyline";
  BOOST_TEST(lines == static_cast<int>(3 * lab.runs.size()));  // two losses and differing each
}

BOOST_AUTO_TEST_CASE(relu0_out_dash_writes_only_the_chart_and_bad_usage_is_refused) {
  const Run svg = run_slope({"lab", "relu0", "--hidden", "4", "--epochs", "1", "--out", "-"});
  BOOST_TEST_REQUIRE(svg.status == 0, svg.err);
  boost::property_tree::ptree tree;
  std::istringstream in(svg.out);
  BOOST_CHECK_NO_THROW(boost::property_tree::read_xml(in, tree));
  BOOST_TEST(tree.get<std::string>("svg.title") ==
             "relu'(0) = 0 or 1: training loss and differing mini-batches per epoch");
  const Run zero = run_slope({"lab", "relu0", "--epochs", "0"});
  BOOST_TEST(zero.status == 2);
  BOOST_TEST(contains(zero.err, "--epochs is 0"), zero.err);
  const Run wide = run_slope({"lab", "relu0", "--hidden", "513"});
  BOOST_TEST(wide.status == 2);
  BOOST_TEST(contains(wide.err, "--hidden is 513"), wide.err);
  BOOST_TEST(run_slope({"lab", "relu0", "--hidden", "wide"}).status == 2);
  const Run few = run_slope({"lab", "relu0", "--samples", "8"});  // fewer than one batch of 32
  BOOST_TEST(few.status == 2);
  BOOST_TEST(contains(few.err, "--samples is 8; give 32 .. 100000"), few.err);
  const Run negative_seed = run_slope({"lab", "relu0", "--seed", "-1"});  // not wrapped to 2^64 - 1
  BOOST_TEST(negative_seed.status == 2);
  BOOST_TEST(contains(negative_seed.err, "'-1' is not a whole number (0 or more)"),
             negative_seed.err);
  // a batch size that does not divide the examples: the header says what the last batch holds
  const Run partial =
      run_slope({"lab", "relu0", "--hidden", "4", "--samples", "40", "--epochs", "1"});
  BOOST_TEST_REQUIRE(partial.status == 0, partial.err);
  BOOST_TEST(
      contains(partial.out, "40 examples in batches of 32 (the last of each epoch 8) for 1 epoch,"),
      partial.out);
  BOOST_TEST(contains(partial.out, "of 2 "), partial.out);  // two batches in the one epoch
  const Run long_run = run_slope({"lab", "relu0", "--epochs", "1001"});
  BOOST_TEST(long_run.status == 2);
  BOOST_TEST(contains(long_run.err, "--epochs is 1001; give 1 .. 1000"), long_run.err);
  const auto missing = scratch() / "no_such_dir" / "x.svg";
  BOOST_TEST(
      run_slope({"lab", "relu0", "--hidden", "4", "--epochs", "1", "--out", missing.string()})
          .status == 2);
  BOOST_TEST(!std::filesystem::exists(missing));
}
