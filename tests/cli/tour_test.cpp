// SPDX-License-Identifier: MIT
// `slope` alone: the tour, exactly as a learner sees it (relu'(0) undefined is "undefined", as
// every command writes NaN, never "nan").
#include <boost/test/unit_test.hpp>
#include <filesystem>
#include <fstream>

#include "cli/run_slope.hpp"

using namespace cli_testing;

BOOST_AUTO_TEST_CASE(the_tour) {
  const Run r = run_slope({});
  BOOST_TEST(r.status == 0);
  BOOST_TEST(
      r.out ==
      "relu(x) = max(0, x)\n\n"
      "d/dx relu(x) = ⎧ 1  if x > 0\n"
      "               ⎩ 0  otherwise\n\n"
      "At x = 0 the slope jumps from 0 to 1, so relu has no derivative there.\n"
      "Every library picks a value. slope lets you choose:\n\n"
      "  convention   relu'(0)   who uses it\n"
      "  min_norm     0          PyTorch, JAX, TensorFlow (slope's default)\n"
      "  left         0          the slope just left of 0\n"
      "  right        1          tutorials that write \"f'(x) = 1 for x >= 0\"\n"
      "  average      0.5        SymPy (Heaviside(0) = 1/2)\n"
      "  undefined    undefined  the mathematician's answer\n\n"
      "Try: slope diff \"leaky_relu(x)\"   slope plot \"relu(x)\" --out relu.svg   slope --help\n");
}
