// slope emit through the built executable.
#include <boost/test/unit_test.hpp>
#include <filesystem>
#include <fstream>

#include "cli/run_slope.hpp"

using namespace cli_testing;

BOOST_AUTO_TEST_CASE(emit_code) {
  BOOST_TEST(run_slope({"emit", "relu(x)", "--lang", "numpy", "--grad"}).out ==
             "import numpy as np\n\n# f = relu(x)\ndef f(x):\n    return np.maximum(0, x)\n\n"
             "# d/dx f = piecewise(x > 0: 1, otherwise: 0)  (min_norm convention at kinks)\n"
             "def df_dx(x):\n    return np.where(x > 0, 1.0, 0.0)\n");
  BOOST_TEST(run_slope({"emit", "leaky_relu(x)", "--lang", "cpp"})
                 .out.find("double f(double x) { return (x > 0.0 ? x : 0.01 * x); }") !=
             std::string::npos);
  BOOST_TEST(run_slope({"emit", "relu(x)", "--lang", "python"}).out.find("return max(0, x)") !=
             std::string::npos);
}
