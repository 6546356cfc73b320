// SPDX-License-Identifier: MIT
// The conventions table: what the derivative is at each classic kink under every convention,
// next to what PyTorch and SymPy return there, and which convention each framework follows.
#include <fmt/core.h>

#include <cmath>
#include <limits>
#include <slope/slope.hpp>
#include <string>
#include <vector>

namespace {
constexpr double none = std::numeric_limits<double>::quiet_NaN();  // the framework has no such op

struct Row {
  std::string label;
  slope::Expr f;
  std::string wrt;
  slope::Env at;
  double pytorch, sympy;  // measured with PyTorch 1.13 and SymPy 1.11 (docs/conventions.md)
};

std::string cell(double v) { return std::isnan(v) ? "-" : slope::format_number(v); }
}  // namespace

int main() {
  using namespace slope;
  const Expr x = var("x"), y = var("y");
  const std::vector<Row> rows{
      {"relu'(0)", relu(x), "x", {{"x", 0}}, 0, 0.5},
      {"leaky_relu'(0), alpha 0.01", leaky_relu(x, 0.01), "x", {{"x", 0}}, 0.01, 1},
      {"abs'(0)", abs(x), "x", {{"x", 0}}, 0, 0},
      {"max(x, y), x = y = 1: d/dx", max(x, y), "x", {{"x", 1}, {"y", 1}}, 0.5, 0.5},
      {"max(x, y), x = y = 1: d/dy", max(x, y), "y", {{"x", 1}, {"y", 1}}, 0.5, 0.5},
      {"hardtanh'(-1)", hardtanh(x), "x", {{"x", -1}}, 0, none},
      {"hardtanh'(1)", hardtanh(x), "x", {{"x", 1}}, 0, none},
  };
  fmt::print("{:<28}", "");
  for (const Convention c : all_conventions) fmt::print("{:>10}", to_string(c));
  fmt::print("{:>9}{:>7}\n", "PyTorch", "SymPy");
  for (const Row& r : rows) {
    fmt::print("{:<28}", r.label);
    for (const Convention c : all_conventions) {
      const double d = eval(diff(r.f, r.wrt, c), r.at);
      fmt::print("{:>10}", format_number(d));
    }
    fmt::print("{:>9}{:>7}\n", cell(r.pytorch), cell(r.sympy));
  }
  //                               min_norm      left     right   average undefined  PyTorch  SymPy
  // relu'(0)                             0         0         1       0.5 undefined        0    0.5
  // leaky_relu'(0), alpha 0.01        0.01      0.01         1     0.505 undefined     0.01      1
  // abs'(0)                              0        -1         1         0 undefined        0      0
  // max(x, y), x = y = 1: d/dx         0.5         0         1       0.5 undefined      0.5    0.5
  // max(x, y), x = y = 1: d/dy         0.5         1         0       0.5 undefined      0.5    0.5
  // hardtanh'(-1)                        0         0         1       0.5 undefined        0      -
  // hardtanh'(1)                         0         1         0       0.5 undefined        0      -

  // Which convention gives each framework's answer on every row it has.
  for (const bool torch : {true, false}) {
    std::vector<std::string> all;
    for (const Convention c : all_conventions) {
      bool every = true;
      for (const Row& r : rows) {
        const double want = torch ? r.pytorch : r.sympy;
        if (!std::isnan(want)) every = every && eval(diff(r.f, r.wrt, c), r.at) == want;
      }
      if (every) all.emplace_back(to_string(c));
    }
    fmt::print("{}: {}\n", torch ? "PyTorch" : "SymPy",
               all.empty() ? std::string("no single convention") : all.front());
  }
  // PyTorch: min_norm
  // SymPy: no single convention   (relu'(0) = 1/2 is average, leaky_relu'(0) = 1 is right)
  // JAX returns 1 for leaky_relu and abs at 0 (right) and 0.5 at max ties; TensorFlow gives a
  // max tie's whole gradient to its first argument (right, for max(x, y)).
}
