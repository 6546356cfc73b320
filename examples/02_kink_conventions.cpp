// SPDX-License-Identifier: MIT
// What relu'(0) is under each convention, and the same answer whatever way relu is spelled.
#include <fmt/core.h>

#include <slope/slope.hpp>

int main() {
  using namespace slope;
  const Expr x = var("x");
  for (Convention c : all_conventions) {
    const Expr d = diff(relu(x), x, c);
    fmt::print("{:<10} relu'(0) = {:<10} {}\n", to_string(c), format_number(eval(d, {{"x", 0}})),
               d);
  }
  // min_norm   relu'(0) = 0          piecewise(x > 0: 1, otherwise: 0)
  // left       relu'(0) = 0          piecewise(x > 0: 1, otherwise: 0)
  // right      relu'(0) = 1          piecewise(x >= 0: 1, otherwise: 0)
  // average    relu'(0) = 0.5        piecewise(x == 0: 0.5, x > 0: 1, otherwise: 0)
  // undefined  relu'(0) = undefined  piecewise(x == 0: undefined, x > 0: 1, otherwise: 0)

  const Expr spellings[] = {relu(x), max(0, x), max(x, 0), piecewise({{x > 0, x}}, 0)};
  for (const Expr& f : spellings)
    fmt::print("{:<35} -> {}\n", to_text(f),
               diff(f, x, Convention::right) == diff(relu(x), x, Convention::right));
  // relu(x) -> true, max(0, x) -> true, max(0, x) -> true, piecewise(x > 0: x, otherwise: 0) ->
  // true

  fmt::print("{}", describe_derivative(leaky_relu(x, 0.01), "x", Convention::min_norm));
  // d/dx leaky_relu(x, 0.01) = ⎧ 1     if x > 0
  //                            ⎩ 0.01  otherwise
  //
  // at x = 0: not differentiable (slope 0.01 from the left, 1 from the right);
  //           using 0.01, the min_norm convention
}
