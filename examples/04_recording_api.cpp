// SPDX-License-Identifier: MIT
// Record ordinary C++ arithmetic onto a tape with Var, micrograd style, and print what was
// recorded.
#include <fmt/core.h>

#include <slope/slope.hpp>

int main() {
  using namespace slope;
  Tape tape;
  const Var a = tape_input(tape, "a", -4.0);
  const Var b = tape_input(tape, "b", 2.0);
  Var c = a + b;
  Var d = a * b + b * b * b;
  c = c + c + 1.0;
  c = c + 1.0 + c + (-a);
  d = d + d * 2.0 + relu(b + a);
  d = d + 3.0 * d + relu(b - a);
  const Var e = c - d;
  const Var f = e * e;
  Var g = f / 2.0;
  g = g + 10.0 / f;
  backward(g);
  fmt::print("g = {:.4f}\n", g.value());     // g = 24.7041
  fmt::print("dg/da = {:.4f}\n", a.grad());  // dg/da = 138.8338
  fmt::print("dg/db = {:.4f}\n", b.grad());  // dg/db = 645.5773

  tape.mark_output(g.index());
  // 37 instructions recorded (each "s + x * y" with a temporary product records as one)
  fmt::print("{} instructions recorded\n", tape.size());
}
