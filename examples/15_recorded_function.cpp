// SPDX-License-Identifier: MIT
// An ordinary C++ function with a loop and a branch, differentiated by recording: run it on Vars
// and the tape keeps the operations that actually ran, which print as an expression.
#include <fmt/core.h>

#include <algorithm>
#include <slope/slope.hpp>

namespace {
double relu(double v) { return std::max(0.0, v); }
double value_of(double v) { return v; }
double value_of(const slope::Var& v) { return v.value(); }

/// Three rounds of "grow while small, else shrink": written once, for double and for Var.
template <class Number>
Number grow_or_shrink(Number x) {
  Number y = x;
  for (int round = 0; round < 3; ++round) {
    if (value_of(y) < 2.0)  // a branch on the value: the recording keeps the path taken
      y = relu(y) * 1.5 + 0.5;
    else
      y = y - 1.0;
  }
  return y;
}
}  // namespace

int main() {
  using namespace slope;
  for (const double at : {1.0, -1.0, 3.0}) {
    Tape tape;
    const Var x = tape_input(tape, "x", at);
    const Var y = grow_or_shrink(x);
    backward(y);
    tape.mark_output(y.index());
    fmt::print("x = {}: f = {} (plain double: {}), f' = {}\n", at, y.value(), grow_or_shrink(at),
               x.grad());
    fmt::print("  recorded: {}\n", tape.to_expr());
  }
  // x = 1: f = 2 (plain double: 2), f' = 2.25          1 grows to 2, shrinks to 1, grows to 2
  //   recorded: 1.5*relu(1.5*relu(x) - 0.5) + 0.5
  // x = -1: f = 2.375 (plain double: 2.375), f' = 0    relu(-1) = 0: the input no longer matters
  //   recorded: 1.5*relu(1.5*relu(1.5*relu(x) + 0.5) + 0.5) + 0.5
  // x = 3: f = 2 (plain double: 2), f' = 1.5           3 shrinks to 2, then 1, then grows to 2
  //   recorded: 1.5*relu(x - 2) + 0.5
  // The recorded expression is f only near the point where it was recorded: another x may take
  // the other branch. Use where(...) on Vars to record both branches.
}
