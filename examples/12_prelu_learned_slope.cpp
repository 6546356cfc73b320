// SPDX-License-Identifier: MIT
// PReLU: leaky ReLU whose negative slope a is a parameter, learned by gradient descent like a
// weight. Here a starts at 0.01 and learns 0.25 from data made with slope 0.25.
#include <fmt/core.h>

#include <slope/slope.hpp>
#include <vector>

int main() {
  using namespace slope;
  const Expr a = var("a");
  // prelu(x, a) = x for x > 0, a*x otherwise; the data: prelu(x, 0.25) at x = -2, -1, 1, 2.
  const std::vector<double> xs{-2, -1, 1, 2}, ys{-0.5, -0.25, 1, 2};
  Expr loss = constant(0);
  for (std::size_t i = 0; i < xs.size(); ++i) {
    const Expr error = prelu(constant(xs[i]), a) - ys[i];
    loss += error * error;
  }
  loss = loss / static_cast<double>(xs.size());   // the mean squared error
  fmt::print("d loss/da = {}\n", diff(loss, a));  // only the points with x < 0 depend on a
  // d loss/da = 0.25*(-4*(0.5 - 2*a) - 2*(0.25 - a))

  Tape tape = Tape::compile(loss, {"a"});
  double slope_a = 0.01;
  const double learning_rate = 0.1;
  for (int step = 1; step <= 5; ++step) {
    const double value = tape.forward(std::vector<double>{slope_a})[0];
    tape.reverse();
    const double gradient = tape.gradient()[0];
    slope_a -= learning_rate * gradient;
    fmt::print("step {}: loss {:.6g}, d loss/da {:.6g}, a -> {:.6g}\n", step, value, gradient,
               slope_a);
  }
  // step 1: loss 0.072, d loss/da -0.6, a -> 0.07
  // step 2: loss 0.0405, d loss/da -0.45, a -> 0.115
  // step 3: loss 0.0227813, d loss/da -0.3375, a -> 0.14875
  // step 4: loss 0.0128145, d loss/da -0.253125, a -> 0.174063
  // step 5: loss 0.00720813, d loss/da -0.189844, a -> 0.193047
  // (each step closes a quarter of the gap to 0.25: d loss/da = 2.5 (a - 0.25))
}
