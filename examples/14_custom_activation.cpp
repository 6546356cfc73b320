// SPDX-License-Identifier: MIT
// A custom piecewise activation, hardswish, written as text and in C++: the same expression, its
// derivative (kinks at -3 and 3), the kink-aware gradient check, and code for NumPy and PyTorch.
#include <fmt/core.h>

#include <slope/slope.hpp>

int main() {
  using namespace slope;
  // hardswish(x) = 0 for x <= -3, x for x >= 3, x (x + 3) / 6 between.
  const Expr as_text = parse(
      "hswish(x) = piecewise(x <= -3: 0, x >= 3: x, otherwise: x*(x + 3)/6)\n"
      "hswish(x)");
  const Expr x = var("x");
  const Expr in_cpp = piecewise({{x <= -3, 0}, {x >= 3, x}}, x * (x + 3) / 6);
  fmt::print("the same expression: {}\n", as_text == in_cpp);  // the same expression: true

  const Expr f = in_cpp, df = diff(f, x);
  fmt::print("{}\n", pretty_equation("hswish'(x)", df));
  //              ⎧ 0                if x <= -3
  // hswish'(x) = ⎪ (x + 3)/6 + x/6  if x < 3
  //              ⎪ 1.25             if x == 3
  //              ⎩ 1                otherwise

  for (const double at : {-4.0, -3.0, -1.0, 0.0, 1.0, 3.0, 5.0}) {
    const Env env{{"x", at}};
    fmt::print("x = {}: hswish {}, hswish' {} (built-in hardswish: {}, {})\n", at,
               format_number(eval(f, env)), format_number(eval(df, env)),
               format_number(eval(hardswish(x), env)),
               format_number(eval(diff(hardswish(x), x), env)));
  }
  // x = -4: hswish 0, hswish' 0 (built-in hardswish: 0, 0)
  // x = -3: hswish 0, hswish' 0 (built-in hardswish: 0, 0)
  // x = -1: hswish -0.3333333333333333, hswish' 0.16666666666666666 (built-in hardswish: ...)
  // x = 0: hswish 0, hswish' 0.5 (...)
  // x = 1: hswish 0.6666666666666666, hswish' 0.8333333333333333 (...)
  // x = 3: hswish 3, hswish' 1.25 (built-in hardswish: 3, ...)
  // x = 5: hswish 5, hswish' 1 (built-in hardswish: 5, 1)
  // At the kinks the one-sided slopes are 0 and -0.5 (at -3) and 1.5 and 1 (at 3). Conventions
  // are local: at 3 both branches of the piecewise vary, and min_norm splits the tie evenly
  // between them, (1.5 + 1) / 2 = 1.25; at -3 one branch is the constant 0 and min_norm takes 0.

  // The check knows about kinks: at -3 and 3 it accepts any value between the one-sided slopes,
  // where a plain finite difference would report a failure.
  for (const double at : {-3.0, -1.0, 0.5, 3.0}) {
    const GradientCheck check = check_gradient(f, {{"x", at}});
    fmt::print("gradient check at x = {}: {}\n", at, check.ok() ? "ok" : "FAILED");
    fmt::print("{}", check.report());
  }

  fmt::print("--- NumPy ---\n{}", emit(f, Language::numpy, true));
  fmt::print("--- PyTorch ---\n{}", emit(f, Language::torch, true));
  fmt::print("--- end ---\n");
}
