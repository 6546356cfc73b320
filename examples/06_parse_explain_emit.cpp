// SPDX-License-Identifier: MIT
// Parse a custom activation with a definition, explain its derivative, and emit code for it.
#include <fmt/core.h>

#include <slope/slope.hpp>

int main() {
  using namespace slope;
  const Expr f = parse("squash(u) = clamp(u, 0, 1)\nsquash(2*x + 1)");
  fmt::print("{}\n", f);  // clamp(2*x + 1, 0, 1)
  fmt::print("{}", render_text(explain(f, "x")));
  // We want d/dx clamp(2*x + 1, 0, 1).
  // 1. Outer function. clamp(u, 0, 1) with u = 2*x + 1.  ... four steps ...
  // Kink at 2*x + 1 = 0, that is x = -0.5: not differentiable (slope 0 from the left, 2 from the
  // right);
  fmt::print("{}", emit(f, Language::numpy, true));
  // def df_dx(x):
  //     x = np.asarray(x, dtype=np.float64)
  //     t1 = 2.0 * x + 1.0
  //     return np.where(t1 >= 1.0, 0.0, np.where(t1 > 0.0, 2.0, 0.0))
  fmt::print("{}", to_dot(diff(f, "x")).substr(0, 16));  // digraph "slope"
  fmt::print("\n");
}
