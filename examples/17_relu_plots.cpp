// SPDX-License-Identifier: MIT
// The tutorials' two figures: relu and its derivative on [-2, 2] with 400 points, and relu
// against leaky_relu in one figure. Each is an SVG: f above, f' (dashed) below, the kink at 0
// marked, and f' drawn with a filled dot at the value the convention takes there (0 for relu
// under min_norm) and an open dot at the one-sided limit it does not take (1).
//
// Usage: example_17_relu_plots [FOLDER]   (default: the current folder)
#include <fmt/core.h>

#include <filesystem>
#include <fstream>
#include <slope/slope.hpp>
#include <string>
#include <vector>

namespace {
void write(const std::filesystem::path& path, const std::string& svg, const std::string& what) {
  std::ofstream(path) << svg;
  fmt::print("wrote {}: {}\n", path.string(), what);
}
}  // namespace

int main(int argc, char** argv) {
  using namespace slope;
  const std::filesystem::path folder = argc > 1 ? argv[1] : ".";
  const Expr x = var("x");

  PlotOptions one;  // (these are also the defaults)
  one.from = -2, one.to = 2, one.points = 400;
  one.title = "relu(x) and its derivative";
  const std::vector<Expr> relu_only{relu(x)};
  write(folder / "relu.svg", plot_svg(relu_only, one),
        "relu(x) and relu'(x) on [-2, 2], 400 points");
  // wrote ./relu.svg: relu(x) and relu'(x) on [-2, 2], 400 points

  PlotOptions both = one;
  both.title = "relu against leaky_relu";
  const std::vector<Expr> pair{relu(x), leaky_relu(x, 0.1)};
  write(folder / "relu_vs_leaky_relu.svg", plot_svg(pair, both),
        "relu(x) and leaky_relu(x, 0.1) with their derivatives on [-2, 2]");
  // wrote ./relu_vs_leaky_relu.svg: relu(x) and leaky_relu(x, 0.1) with their derivatives on
  // [-2, 2]
}
