// SPDX-License-Identifier: MIT
// The derivative of relu the tutorials write by hand (1 for x > 0, else 0) next to the one slope
// derives, printed as cases (2-D and LaTeX), then both on x = -4 .. 4 in the tutorials' words.
#include <fmt/core.h>

#include <slope/slope.hpp>
#include <string>

namespace {
/// A number as Python prints a float: 1.0, -0.5, 0.0.
std::string py(double v) {
  std::string s = slope::format_number(v + 0.0);  // + 0.0: -0 prints as 0
  return s.find_first_of(".en") == std::string::npos ? s + ".0" : s;
}
}  // namespace

int main() {
  using namespace slope;
  const Expr x = var("x");
  const Expr f = relu(x);
  const Expr by_formula = parse("piecewise(x > 0: 1, otherwise: 0)");  // the tutorial's der_relu
  const Expr automatic = diff(f, x);  // min_norm: at the kink 0, the slope closest to 0, which is 0

  fmt::print("{}\n", pretty_equation("by formula  relu'(x)", by_formula));
  fmt::print("{}\n", pretty_equation("automatic   relu'(x)", automatic));
  // by formula  relu'(x) = ⎧ 1  if x > 0
  //                        ⎩ 0  otherwise
  // automatic   relu'(x) = ⎧ 1  if x > 0
  //                        ⎩ 0  otherwise
  fmt::print("LaTeX: \\operatorname{{relu}}'(x) = {}\n", to_latex(automatic));
  // LaTeX: \operatorname{relu}'(x) = \begin{cases} 1 & \text{if } x > 0 \\ 0 & \text{otherwise}
  // \end{cases}
  fmt::print("the same expression: {}\n", by_formula == automatic);  // the same expression: true

  for (int i = -4; i <= 4; ++i) {
    const double at = i;
    const Env env{{"x", at}};
    fmt::print("Applying relu on {} gives {}; its derivative by formula {}, automatic {}\n", py(at),
               py(eval(f, env)), py(eval(by_formula, env)), py(eval(automatic, env)));
  }
  // Applying relu on -4.0 gives 0.0; its derivative by formula 0.0, automatic 0.0
  // ...
  // Applying relu on 0.0 gives 0.0; its derivative by formula 0.0, automatic 0.0
  // Applying relu on 1.0 gives 1.0; its derivative by formula 1.0, automatic 1.0
  // ...
  // Applying relu on 4.0 gives 4.0; its derivative by formula 1.0, automatic 1.0

  // At 0 relu has no derivative: the slope is 0 from the left and 1 from the right. The formula
  // chose 0 by writing x > 0; slope says which choice it made and why.
  fmt::print("{}", describe_derivative(f, "x", Convention::min_norm));
  // d/dx relu(x) = ⎧ 1  if x > 0
  //                ⎩ 0  otherwise
  //
  // at x = 0: not differentiable (slope 0 from the left, 1 from the right);
  //           using 0, the min_norm convention
}
