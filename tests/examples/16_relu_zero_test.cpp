// SPDX-License-Identifier: MIT
// examples/16_relu_zero.cpp: the unit's pre-activation recomputed here in each precision (each
// operation rounded to it), and its slope under both choices of relu'(0); the lab's table
// compared with `slope lab relu0` at the same size, and the paper's ordering read from it.
#include <cmath>
#include <cstdio>
#include <map>

#include "examples/example_output.hpp"

using namespace example_testing;
using namespace cli_testing;

namespace {

template <class T>
T z_in() {
  // 0.01 + 0.22 * 174/255 - 0.16 * 1 + 0.4 * 0 - 0.7 * 0, in this order
  T z = static_cast<T>(0.01);
  z = z + static_cast<T>(0.22) * static_cast<T>(174.0 / 255);
  z = z + static_cast<T>(-0.16) * static_cast<T>(1.0);
  z = z + static_cast<T>(0.4) * static_cast<T>(0.0);
  z = z + static_cast<T>(-0.7) * static_cast<T>(0.0);
  return z;
}

template <class T>
void check_unit(const std::string& line) {
  double z = 0, at0 = 0, at1 = 0;
  char name[16] = {};
  int used = 0;
  const int n =
      std::sscanf(line.c_str(), "%15[^:]: z = %lf, d relu(z)/d w1 = %lf (min_norm), %lf (right)%n",
                  name, &z, &at0, &at1, &used);
  BOOST_TEST_REQUIRE(n == 4, line);
  BOOST_TEST(static_cast<std::size_t>(used) == line.size(), line);
  const T expected = z_in<T>();
  BOOST_TEST(z == static_cast<double>(expected), line);
  const double x1 = static_cast<double>(static_cast<T>(174.0 / 255));
  // relu'(z) x1: on the kink 0 under min_norm and 1 under right, else 1 (z > 0) or 0
  const double above = expected > T(0) ? x1 : 0.0;
  BOOST_TEST(at0 == (expected == T(0) ? 0.0 : above), line);
  BOOST_TEST(at1 == (expected == T(0) ? x1 : above), line);
}

struct Row {
  double differing, all, percent, hits, per_million, loss0, loss1;
};

/// The table's precision rows, by name.
std::map<std::string, Row> rows(const std::vector<std::string>& lines) {
  std::map<std::string, Row> found;
  for (const std::string& line : lines) {
    char name[16] = {};
    Row r{};
    if (std::sscanf(line.c_str(), "%15s %lf of %lf %lf%% %lf %lf %lf %lf", name, &r.differing,
                    &r.all, &r.percent, &r.hits, &r.per_million, &r.loss0, &r.loss1) == 8)
      found[name] = r;
  }
  return found;
}

}  // namespace

BOOST_AUTO_TEST_CASE(a_pre_activation_exactly_0_in_float16_only) {
  const auto lines = example_lines();
  const auto f16 = starting_with(lines, "float16: z"), f32 = starting_with(lines, "float32: z"),
             f64 = starting_with(lines, "float64: z");
  BOOST_TEST_REQUIRE(f32.size() == 1U);
  BOOST_TEST_REQUIRE(f64.size() == 1U);
  check_unit<float>(f32[0]);
  check_unit<double>(f64[0]);
  BOOST_TEST(z_in<float>() != 0.0f);
  BOOST_TEST(z_in<double>() != 0.0);
#if defined(__FLT16_MANT_DIG__)
  BOOST_TEST_REQUIRE(f16.size() == 1U);
  check_unit<_Float16>(f16[0]);
  BOOST_TEST(static_cast<double>(z_in<_Float16>()) == 0.0);  // the point of the example
#endif
}

BOOST_AUTO_TEST_CASE(the_lab_table_is_the_commands_and_shows_the_ordering) {
  const auto example = rows(example_lines());
  const Run r = run_slope({"lab", "relu0", "--hidden", "32", "--epochs", "3"});
  BOOST_TEST_REQUIRE(r.status == 0, r.err);
  std::vector<std::string> command_lines;
  std::istringstream in(r.out);
  for (std::string line; std::getline(in, line);) command_lines.push_back(line);
  const auto command = rows(command_lines);
  BOOST_TEST_REQUIRE(example.size() >= 2U);
  BOOST_TEST_REQUIRE(command.size() == example.size());
  for (const auto& [name, row] : example) {
    BOOST_TEST_CONTEXT(name) {
      BOOST_TEST_REQUIRE(command.count(name) == 1U);
      const Row& c = command.at(name);
      BOOST_TEST(row.differing == c.differing);
      BOOST_TEST(row.all == c.all);
      BOOST_TEST(row.hits == c.hits);
      BOOST_TEST(row.loss0 == c.loss0);
      BOOST_TEST(row.loss1 == c.loss1);
      BOOST_TEST(row.all == 96.0);  // 1024 examples: 32 batches of 32 in each of 3 epochs
      BOOST_TEST(row.percent == 100 * row.differing / row.all, boost::test_tools::tolerance(0.1));
    }
  }
  BOOST_TEST(example.at("float64").differing == 0.0);
  BOOST_TEST(example.at("float32").differing >= example.at("float64").differing);
  if (example.count("float16") != 0)
    BOOST_TEST(example.at("float16").differing > example.at("float32").differing);
}
