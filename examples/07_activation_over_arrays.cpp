// SPDX-License-Identifier: MIT
// A custom activation as an engineer ships it: its values and its derivative over a whole
// array in one call through the batched tape, with the kink convention stated, not implied.
#include <fmt/core.h>

#include <slope/slope.hpp>
#include <vector>

int main() {
  using namespace slope;
  const Expr x = var("x");
  const Expr act = min(leaky_relu(x, 0.01), 6);  // a leaky relu capped at 6: kinks at 0 and 6
  fmt::print("f'(x) = {}\n", to_text(diff(act, x)));
  // f'(x) = piecewise(leaky_relu(x, 0.01) >= 6: 0, x > 0: 1, otherwise: 0.01)

  // One million points from -2 to 8, the kinks 0 and 6 among them exactly.
  const std::size_t n = 1'000'001;
  std::vector<double> xs(n), ys(n), slopes(n);
  for (std::size_t i = 0; i < n; ++i) xs[i] = -2.0 + 10.0 * static_cast<double>(i) / (n - 1);
  Tape tape = Tape::compile(act, {"x"}, Convention::min_norm);
  const std::vector<std::span<const double>> inputs{xs};
  const std::vector<std::span<double>> gradients{slopes};
  tape.gradient_batch(inputs, 0, ys, gradients);

  for (const double at : {-1.0, 0.0, 3.0, 6.0, 7.0}) {
    const auto i = static_cast<std::size_t>((at + 2.0) / 10.0 * (n - 1) + 0.5);
    fmt::print("x = {:>2}: f = {:<5} f' = {}\n", xs[i], ys[i], slopes[i]);
  }
  // x = -1: f = -0.01 f' = 0.01
  // x =  0: f = 0     f' = 0.01   (min_norm: of the one-sided slopes 0.01 and 1, the smaller)
  // x =  3: f = 3     f' = 1
  // x =  6: f = 6     f' = 0      (min_norm: 1 and 0 give 0)
  // x =  7: f = 6     f' = 0
  fmt::print("convention: {}\n", to_string(tape.convention()));  // convention: min_norm
}
