// SPDX-License-Identifier: MIT
// Runs one example program (EXAMPLE_EXE) and reads its printed lines; the tests compare the
// values in them with values they compute themselves, never with a copy of the output.
#pragma once

#include <boost/test/unit_test.hpp>
#include <cstdio>
#include <sstream>
#include <string>
#include <vector>

#include "cli/run_slope.hpp"

namespace example_testing {

/// The example's standard output, split into lines; the test fails unless it exits with 0.
inline std::vector<std::string> example_lines() {
  const cli_testing::Run r = cli_testing::shell(cli_testing::shell_quote(EXAMPLE_EXE));
  BOOST_TEST_REQUIRE(r.status == 0, r.err);
  std::vector<std::string> lines;
  std::istringstream in(r.out);
  for (std::string line; std::getline(in, line);) lines.push_back(line);
  return lines;
}

/// The lines that start with `prefix`, in order.
inline std::vector<std::string> starting_with(const std::vector<std::string>& lines,
                                              const std::string& prefix) {
  std::vector<std::string> found;
  for (const std::string& l : lines)
    if (l.starts_with(prefix)) found.push_back(l);
  return found;
}

/// A whole number as slope prints it (shortest decimal, or "undefined" for NaN); fails the
/// test on anything else.
inline double number(const std::string& text) {
  if (text == "undefined") return std::numeric_limits<double>::quiet_NaN();
  std::size_t used = 0;
  double v = 0;
  try {
    v = std::stod(text, &used);
  } catch (const std::exception&) {
    used = 0;
  }
  BOOST_TEST_REQUIRE(used == text.size(), "not a number: '" + text + "'");
  return v;
}

}  // namespace example_testing
