// SPDX-License-Identifier: MIT
// Leaky ReLU: alpha*x instead of 0 for x < 0, so its slope there is alpha, not 0, and a unit
// whose input is negative still receives a gradient and can learn its way back.
#include <fmt/core.h>

#include <slope/slope.hpp>
#include <string>

namespace {
/// A number as Python prints a float: 1.0, -0.1, 0.0.
std::string py(double v) {
  std::string s = slope::format_number(v + 0.0);
  return s.find_first_of(".en") == std::string::npos ? s + ".0" : s;
}
}  // namespace

int main() {
  using namespace slope;
  const Expr x = var("x");
  const Expr f = leaky_relu(x, 0.01);
  const Expr df = diff(f, x);
  for (const double at : {1.0, -10.0, 0.0, 15.0, -20.0}) {
    const Env env{{"x", at}};
    fmt::print("Applying leaky_relu on {} gives {} (slope {})\n", py(at), py(eval(f, env)),
               py(eval(df, env)));
  }
  // Applying leaky_relu on 1.0 gives 1.0 (slope 1.0)
  // Applying leaky_relu on -10.0 gives -0.1 (slope 0.01)
  // Applying leaky_relu on 0.0 gives 0.0 (slope 0.01)    (min_norm: 0.01 and 1 give 0.01)
  // Applying leaky_relu on 15.0 gives 15.0 (slope 1.0)
  // Applying leaky_relu on -20.0 gives -0.2 (slope 0.01)

  fmt::print("{}\n", pretty_equation("leaky_relu'(x)", df));
  // leaky_relu'(x) = ⎧ 1     if x > 0
  //                  ⎩ 0.01  otherwise

  // Why it keeps gradients alive: a unit relu(w*x + b) whose input is negative (here w*x + b =
  // -2.5) gets no gradient for w or b at all, so gradient descent never moves it again. Leaky
  // ReLU passes alpha times the gradient back: small, but never zero.
  const Expr w = var("w"), b = var("b");
  const Env unit{{"w", 0.5}, {"b", -3.0}, {"x", 1.0}};
  for (const Expr& act : {relu(w * x + b), leaky_relu(w * x + b, 0.01)}) {
    fmt::print("{:<26} at w=0.5, b=-3, x=1: d/dw = {}, d/db = {}\n", to_text(act),
               py(eval(diff(act, w), unit)), py(eval(diff(act, b), unit)));
  }
  // relu(w*x + b)              at w=0.5, b=-3, x=1: d/dw = 0.0, d/db = 0.0
  // leaky_relu(w*x + b, 0.01)  at w=0.5, b=-3, x=1: d/dw = 0.01, d/db = 0.01
}
