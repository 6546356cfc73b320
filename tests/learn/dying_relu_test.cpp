// SPDX-License-Identifier: MIT
// The dying-ReLU lab against a network written out by hand in doubles: every reported loss and
// dead count recomputed from the reported parameters, a full-batch SGD step recomputed by hand
// backpropagation, and the effect the lab exists to show.
#include <boost/property_tree/ptree.hpp>
#include <boost/property_tree/xml_parser.hpp>
#include <boost/test/unit_test.hpp>
#include <cmath>
#include <sstream>

#include "slope/slope.hpp"
#include "support/lab_network.hpp"

using namespace slope;
using slope::testing::check_against_hand;
using slope::testing::Hand;
using slope::testing::nearly_equal;

BOOST_AUTO_TEST_CASE(dead_units_are_relu_like_units_whose_output_is_0_at_every_point) {
  const Expr x = var("x");
  Tape t = Tape::compile(
      relu(x - 5) + relu(x) + abs(x - 9) + leaky_relu(x - 3) + prelu(x + 2, 0.25), {"x"});
  const std::vector<double> xs{-1, 0, 2};
  const std::vector<std::span<const double>> in{xs};
  const DeadUnits d = dead_units(t.kink_sides(in));
  BOOST_TEST(d.units == 4U);        // abs is no unit
  BOOST_TEST(d.dead == 1U);         // relu(x - 5): x never exceeds 2
  BOOST_TEST(d.never_above == 2U);  // and leaky_relu(x - 3), whose output is alpha (x - 3) != 0
  BOOST_TEST(d.fraction() == 0.25);
  BOOST_TEST(d.never_above_fraction() == 0.5);
  // on the kink is not above it: relu(x) over {-1, 0} outputs 0 twice, dead
  const std::vector<double> low{-1, 0};
  const std::vector<std::span<const double>> in_low{low};
  Tape r = Tape::compile(relu(x) + leaky_relu(x * 0), {"x"});
  const DeadUnits both = dead_units(r.kink_sides(in_low));
  BOOST_TEST(both.dead == 1U);  // relu(x); leaky_relu(0 * x) simplifies to a constant
  // a leaky unit exactly on its kink at every point outputs 0: dead
  Tape k = Tape::compile(leaky_relu(x - 2), {"x"});
  const std::vector<double> twos{2, 2};
  const std::vector<std::span<const double>> in_twos{twos};
  BOOST_TEST(dead_units(k.kink_sides(in_twos)).dead == 1U);
  BOOST_TEST(DeadUnits{}.fraction() == 0.0);
}

BOOST_AUTO_TEST_CASE(every_reported_loss_and_dead_count_matches_the_hand_network) {
  DyingReluOptions o;
  o.hidden = 6;
  o.samples = 40;
  o.batch = 8;
  o.epochs = 4;
  o.bad_rate = 0.2;
  check_against_hand(run_dying_relu_lab(o));
}

BOOST_AUTO_TEST_CASE(a_full_batch_epoch_is_one_sgd_step_of_hand_backpropagation) {
  DyingReluOptions o;
  o.hidden = 5;
  o.samples = 30;
  o.batch = 30;  // one step per epoch, over every point
  o.epochs = 1;
  o.sane_rate = 0.1;
  o.bad_rate = 0.3;
  o.bad_bias = -0.5;
  o.alpha = 0.1;
  const DyingReluLab lab = run_dying_relu_lab(o);
  for (const DyingReluRun& run : lab.runs) {
    const std::vector<double>& before = run.parameters[0];
    std::vector<double> g(before.size(), 0.0);
    const Hand net{5, before, run.activation, o.alpha};
    for (std::size_t j = 0; j < lab.x1.size(); ++j)
      net.add_gradient(lab.x1[j], lab.x2[j], lab.target[j], g);
    for (std::size_t i = 0; i < before.size(); ++i) {
      const double expected = before[i] - run.rate / 30 * g[i];
      BOOST_TEST_CONTEXT(run.name << ", parameter " << i) {
        BOOST_TEST(nearly_equal(run.parameters[1][i], expected, 1e-12));
      }
    }
    // the runs' initial hidden biases are the settings'
    BOOST_TEST(before[net.b1()] == run.bias);
    BOOST_TEST(before[net.b2() + 4] == run.bias);
  }
  BOOST_TEST(lab.runs[0].bias == 0.0);
  BOOST_TEST(lab.runs[1].bias == -0.5);
  BOOST_TEST(lab.runs[1].rate == 0.3);
}

namespace {

/// Hidden units whose incoming weights and bias are equal before and after `epoch` (layout in
/// dying_relu.hpp), counted here from the stored parameters.
std::size_t unchanged_units(const DyingReluRun& run, std::size_t h, std::size_t epoch) {
  const std::vector<double>&a = run.parameters[epoch - 1], &b = run.parameters[epoch];
  const std::size_t b1 = 2 * h, w2 = b1 + h, b2 = w2 + h * h;
  std::size_t n = 0;
  for (std::size_t j = 0; j < h; ++j)
    n += a[b1 + j] == b[b1 + j] && a[2 * j] == b[2 * j] && a[2 * j + 1] == b[2 * j + 1];
  for (std::size_t j = 0; j < h; ++j) {
    bool same = a[b2 + j] == b[b2 + j];
    for (std::size_t i = 0; i < h; ++i) same = same && a[w2 + j * h + i] == b[w2 + j * h + i];
    n += same;
  }
  return n;
}

}  // namespace

BOOST_AUTO_TEST_CASE(the_default_lab_shows_relu_units_dying_where_leaky_ones_do_not) {
  const DyingReluLab lab = run_dying_relu_lab();
  BOOST_TEST_REQUIRE(lab.runs.size() == 3U);
  check_against_hand(lab);
  const DyingReluRun &sane = lab.runs[0], &bad = lab.runs[1], &leaky = lab.runs[2];
  BOOST_TEST(sane.loss.back() < sane.loss.front() / 2);  // the sane network learns
  const DeadUnits &r = bad.dead.back(), &l = leaky.dead.back();
  // Inactive (no point above the kink), the same quantity for both activations: about as many
  // leaky units as relu units, so no three-to-one ratio there (seed 7: 30 and 28 of 64).
  BOOST_TEST(r.never_above == 30U);
  BOOST_TEST(l.never_above == 28U);
  BOOST_TEST(r.never_above < 3 * l.never_above);
  // Stopped learning, measured from the parameters for both: every dead relu unit kept its
  // weights through the last epoch, no leaky unit did (relu at least three times leaky).
  const std::size_t h = 32, last = 30;
  BOOST_TEST(r.dead == 30U);
  BOOST_TEST(unchanged_units(bad, h, last) == 30U);
  BOOST_TEST(unchanged_units(leaky, h, last) == 0U);
  BOOST_TEST(l.dead == 0U);
  BOOST_TEST(unchanged_units(bad, h, last) >= 3 * unchanged_units(leaky, h, last));
  // and so the leaky network learns where the relu one barely moves
  BOOST_TEST(leaky.loss.back() < leaky.loss.front() / 2);
  BOOST_TEST(bad.loss.back() > bad.loss.front() / 2);
  // the same seed gives the same lab
  const DyingReluLab again = run_dying_relu_lab();
  for (std::size_t k = 0; k < 3; ++k) {
    BOOST_TEST(again.runs[k].loss == lab.runs[k].loss);
    BOOST_TEST(again.runs[k].parameters.back() == lab.runs[k].parameters.back());
  }
}

BOOST_AUTO_TEST_CASE(the_table_and_the_chart) {
  DyingReluOptions o;
  o.hidden = 4;
  o.samples = 20;
  o.batch = 5;
  o.epochs = 3;
  const DyingReluLab lab = run_dying_relu_lab(o);
  // the table: one line per epoch, each run's loss and dead fraction as computed
  std::istringstream table(dying_relu_table(lab));
  std::string line;
  int rows = 0;
  while (std::getline(table, line)) {
    std::istringstream fields(line);
    int epoch;
    if (!(fields >> epoch) || line.find("epochs") != std::string::npos) continue;
    BOOST_TEST_REQUIRE(epoch == rows);
    for (const DyingReluRun& run : lab.runs) {
      double loss, dead, inactive;
      BOOST_TEST_REQUIRE(static_cast<bool>(fields >> loss >> dead >> inactive));
      BOOST_TEST(std::abs(loss - run.loss[epoch]) <= 5e-5);
      // printed to 3 decimals
      BOOST_TEST(std::abs(dead - run.dead[epoch].fraction()) <= 5.0001e-4);
      BOOST_TEST(std::abs(inactive - run.dead[epoch].never_above_fraction()) <= 5.0001e-4);
    }
    ++rows;
  }
  BOOST_TEST(rows == 4);
  // the chart: XML with one line per run in each panel
  boost::property_tree::ptree tree;
  std::istringstream svg(dying_relu_svg(lab));
  BOOST_CHECK_NO_THROW(boost::property_tree::read_xml(svg, tree));
  int lines = 0;
  for (const auto& [name, node] : tree.get_child("svg"))
    if (name == "polyline") {
      ++lines;
      std::istringstream points(node.get<std::string>("<xmlattr>.points"));
      int count = 0;
      std::string point;
      while (points >> point) ++count;
      BOOST_TEST(count == 4);  // epochs 0 .. 3
    }
  BOOST_TEST(lines == 6);
}

BOOST_AUTO_TEST_CASE(settings_out_of_range_are_refused) {
  auto refused = [](auto change) {
    DyingReluOptions o;
    change(o);
    BOOST_CHECK_THROW(run_dying_relu_lab(o), std::invalid_argument);
  };
  refused([](DyingReluOptions& o) { o.hidden = 0; });
  refused([](DyingReluOptions& o) { o.samples = 0; });
  refused([](DyingReluOptions& o) { o.batch = o.samples + 1; });
  refused([](DyingReluOptions& o) { o.epochs = -1; });
  refused([](DyingReluOptions& o) { o.bad_rate = std::nan(""); });
  refused([](DyingReluOptions& o) { o.sane_rate = 0; });
  refused([](DyingReluOptions& o) { o.alpha = 1; });
}
