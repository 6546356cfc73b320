// SPDX-License-Identifier: MIT
// Compile an expression to a tape: one reverse sweep gives the gradient for every input, and
// the tape re-runs on new inputs without rebuilding. It agrees with diff.
#include <fmt/core.h>

#include <slope/slope.hpp>

int main() {
  using namespace slope;
  const Expr w = var("w"), x = var("x"), b = var("b");
  const Expr f = relu(w * x + b);
  Tape tape = Tape::compile(f);  // inputs in order of appearance: w, x, b
  fmt::print("inputs: {}\n", fmt::join(tape.inputs(), ", "));  // inputs: w, x, b

  for (double xv : {1.5, -1.5}) {
    const std::vector<double> in{2.0, xv, -1.0};
    const double value = tape.forward(in)[0];
    tape.reverse();
    fmt::print("x = {:>4}: f = {}, gradient = [{}]\n", xv, value, fmt::join(tape.gradient(), ", "));
  }
  // x =  1.5: f = 2, gradient = [1.5, 2, 1]
  // x = -1.5: f = 0, gradient = [0, 0, 0]

  // The symbolic derivative says the same.
  fmt::print("d/dw = {}\n", diff(f, w));  // d/dw = piecewise(w*x + b > 0: x, otherwise: 0)
  fmt::print("at x = 1.5: {}\n",
             eval(diff(f, w), {{"w", 2}, {"x", 1.5}, {"b", -1}}));  // at x = 1.5: 1.5
}
