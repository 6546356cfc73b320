// SPDX-License-Identifier: MIT
// examples/14_custom_activation.cpp: hardswish, x (x + 3) / 6 between -3 and 3, 0 below, x above;
// its derivative (2x + 3) / 6 between; the kink-aware check passes at the kinks; the emitted
// NumPy and PyTorch code is valid Python (python3 parses it).
#include <cstdio>

#include "examples/example_output.hpp"

using namespace example_testing;
using namespace cli_testing;

namespace {
double hardswish(double x) { return x <= -3 ? 0 : x >= 3 ? x : x * (x + 3) / 6; }
}  // namespace

BOOST_AUTO_TEST_CASE(values_and_derivative) {
  const auto all = example_lines();
  BOOST_TEST(all.at(0) == "the same expression: true");
  const auto lines = starting_with(all, "x = ");
  const double xs[] = {-4, -3, -1, 0, 1, 3, 5};
  BOOST_TEST_REQUIRE(lines.size() == std::size(xs));
  for (std::size_t i = 0; i < lines.size(); ++i) {
    const double x = xs[i];
    double at = 0, value = 0, slope = 0, builtin = 0, builtin_slope = 0;
    int used = 0;
    const int n = std::sscanf(lines[i].c_str(),
                              "x = %lf: hswish %lf, hswish' %lf (built-in hardswish: %lf, %lf)%n",
                              &at, &value, &slope, &builtin, &builtin_slope, &used);
    BOOST_TEST_REQUIRE(n == 5, lines[i]);
    BOOST_TEST(static_cast<std::size_t>(used) == lines[i].size(), lines[i]);
    BOOST_TEST(at == x);
    BOOST_TEST(value == hardswish(x), boost::test_tools::tolerance(1e-15));
    BOOST_TEST(builtin == hardswish(x), boost::test_tools::tolerance(1e-15));
    if (x == -3) {  // one-sided slopes 0 (left) and -0.5 (right)
      BOOST_TEST((slope <= 0 && slope >= -0.5), lines[i]);
    } else if (x == 3) {  // 1.5 (left) and 1 (right)
      BOOST_TEST((slope >= 1 && slope <= 1.5), lines[i]);
    } else {
      const double exact = x < -3 ? 0 : x > 3 ? 1 : (2 * x + 3) / 6;
      BOOST_TEST(slope == exact, boost::test_tools::tolerance(1e-15));
      BOOST_TEST(builtin_slope == exact, boost::test_tools::tolerance(1e-15));
    }
  }
}

BOOST_AUTO_TEST_CASE(the_kink_aware_check_passes_everywhere) {
  const auto checks = starting_with(example_lines(), "gradient check at x = ");
  BOOST_TEST(checks == (std::vector<std::string>{
                           "gradient check at x = -3: ok", "gradient check at x = -1: ok",
                           "gradient check at x = 0.5: ok", "gradient check at x = 3: ok"}),
             boost::test_tools::per_element());
}

BOOST_AUTO_TEST_CASE(emitted_numpy_and_pytorch_parse_as_python) {
  const auto lines = example_lines();
  std::string section, numpy, torch;
  for (const std::string& l : lines) {
    if (l == "--- NumPy ---" || l == "--- PyTorch ---" || l == "--- end ---") {
      section = l;
      continue;
    }
    if (section == "--- NumPy ---") numpy += l + "\n";
    if (section == "--- PyTorch ---") torch += l + "\n";
  }
  BOOST_TEST_REQUIRE(numpy.find("def df_dx(x):") != std::string::npos);
  BOOST_TEST_REQUIRE(torch.find("class FFunction(torch.autograd.Function):") != std::string::npos);
  const std::pair<std::string, std::string> cases[] = {
      {numpy, "['df_dx', 'f']\n"},
      {torch, "['FFunction', 'FModule', 'f', 'f_gradient', 'f_value']\n"}};
  for (const auto& [code, names] : cases) {
    const auto file = scratch() / "emitted.py";
    std::ofstream(file) << code;
    // ast.parse: valid Python without importing numpy or torch (not installed everywhere)
    const Run r = shell(
        "python3 -c 'import ast, sys; t = ast.parse(open(sys.argv[1]).read()); "
        "print(sorted(n.name for n in t.body if hasattr(n, \"name\")))' " +
        shell_quote(file.string()));
    BOOST_TEST(r.status == 0, r.err);
    BOOST_TEST(r.out == names);
  }
}
