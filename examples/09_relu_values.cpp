// SPDX-License-Identifier: MIT
// What the ReLU tutorials print first: relu at a few points, then over a whole array at once.
// relu(x) = max(0, x): x itself when positive, 0 otherwise.
#include <fmt/core.h>
#include <fmt/ranges.h>

#include <slope/slope.hpp>
#include <vector>

int main() {
  using namespace slope;
  const Expr x = var("x");
  const Expr f = relu(x);

  // One point at a time, as `print(relu(2))` does.
  for (const double at : {2.0, 0.0, 0.1, -3.0})
    fmt::print("relu({}) = {}\n", format_number(at), format_number(eval(f, {{"x", at}})));
  // relu(2) = 2
  // relu(0) = 0
  // relu(0.1) = 0.1
  // relu(-3) = 0

  // A whole array in one call, as `np.maximum(0, x)` does: the tape evaluates every element.
  const std::vector<double> xs{-2, -1, 0, 0.5, 1, 2};
  std::vector<double> ys(xs.size());
  Tape tape = Tape::compile(f, {"x"});
  const std::vector<std::span<const double>> inputs{xs};
  const std::vector<std::span<double>> outputs{ys};
  tape.forward_batch(inputs, outputs);
  fmt::print("relu({}) = {}\n", xs, ys);
  // relu([-2, -1, 0, 0.5, 1, 2]) = [0, 0, 0, 0.5, 1, 2]
}
