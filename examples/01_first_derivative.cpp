// SPDX-License-Identifier: MIT
// Build relu(x) = max(0, x), print it, evaluate it around the kink, and differentiate it.
#include <fmt/core.h>

#include <slope/slope.hpp>

int main() {
  using namespace slope;
  const Expr x = var("x");
  const Expr f = max(0, x);
  fmt::print("f(x)  = {}\n", f);                     // f(x)  = max(0, x)
  fmt::print("f(-1) = {}\n", eval(f, {{"x", -1}}));  // f(-1) = 0
  fmt::print("f(2)  = {}\n", eval(f, {{"x", 2}}));   // f(2)  = 2

  const Expr df = diff(f, x);                        // the min_norm convention: slope 0 at the kink
  fmt::print("f'(x) = {}\n", df);                    // f'(x) = piecewise(x > 0: 1, otherwise: 0)
  fmt::print("f'(0) = {}\n", eval(df, {{"x", 0}}));  // f'(0) = 0

  const Expr df_right = diff(f, x, Convention::right);
  fmt::print("f'(x) = {}  (right)\n",
             df_right);  // f'(x) = piecewise(x >= 0: 1, otherwise: 0)  (right)

  const Expr w = var("w"), b = var("b");
  fmt::print("d/dx relu(w*x + b) = {}\n", diff(relu(w * x + b), x));
  // d/dx relu(w*x + b) = piecewise(w*x + b > 0: w, otherwise: 0)
}
