// SPDX-License-Identifier: MIT
// One relu neuron fitted by gradient descent: the recording API inside an ordinary training loop.
#include <fmt/core.h>

#include <slope/slope.hpp>

int main() {
  using namespace slope;
  // Data from y = relu(2x - 1).
  const double xs[] = {-1, -0.5, 0, 0.5, 1, 1.5, 2};
  double w = 0.5, b = 0.1;  // start away from the answer
  Tape tape;
  for (int step = 0; step < 200; ++step) {
    tape.clear();  // re-record each step; the tape keeps its memory
    const Var vw = tape_input(tape, "w", w), vb = tape_input(tape, "b", b);
    Var loss = vw.constant(0);
    for (double x : xs) {
      const Var err = relu(vw * x + vb) - std::max(0.0, 2 * x - 1);
      loss = loss + err * err;
    }
    backward(loss);
    w -= 0.05 * vw.grad();
    b -= 0.05 * vb.grad();
    if (step % 50 == 0) fmt::print("step {:>3}: loss {:.6f}\n", step, loss.value());
  }
  fmt::print("w = {:.3f}, b = {:.3f}\n", w, b);  // w = 2.000, b = -1.000
}
