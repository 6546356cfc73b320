// SPDX-License-Identifier: MIT
// W4 deep chains (shared/bench/workloads.md): five chains of depth k with c_i = (-1)^i * i / 100.
// Shared by the size test (tests/symbolic/diff_test.cpp) and the benchmark (bench/symbolic_diff).
#pragma once

#include <array>
#include <string_view>

#include "slope/slope.hpp"

namespace slope::w4 {

inline constexpr std::array<std::string_view, 5> chains{"leaky", "elu", "abs", "hardtanh", "max"};

inline Expr chain(std::string_view kind, int depth) {
  Expr u = var("x");
  for (int i = 1; i <= depth; ++i) {
    const double c = (i % 2 ? -1.0 : 1.0) * i / 100;
    if (kind == "leaky")
      u = leaky_relu(u + c, 0.5);
    else if (kind == "elu")
      u = elu(0.9 * u + c, 0.5);
    else if (kind == "abs")
      u = abs(u - c);
    else if (kind == "hardtanh")
      u = hardtanh(1.1 * u + c);
    else
      u = max(u, 0.3 * u + c);
  }
  return u;
}

}  // namespace slope::w4
