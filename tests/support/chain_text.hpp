// SPDX-License-Identifier: MIT
// Deep chains as the CLI reads them: the parser refuses nesting over 500 levels, so a chain is
// written as definitions that each nest the one before.
#pragma once

#include <algorithm>
#include <cmath>
#include <initializer_list>
#include <string>

namespace slope::testing {

/// `base` (an expression in x) nested factors[0] * factors[1] * ... deep: `f0(x) = base`, then
/// f1 nests f0 factors[0] deep, f2 nests f1 factors[1] deep, ...; the last line calls the last.
inline std::string nested_chain(const std::string& base, std::initializer_list<int> factors) {
  std::string text = "f0(x) = " + base + "\n";
  int level = 0;
  for (const int k : factors) {
    const std::string inner = "f" + std::to_string(level);
    text += "f" + std::to_string(++level) + "(x) = ";
    for (int i = 0; i < k; ++i) text += inner + "(";
    text += "x" + std::string(static_cast<std::size_t>(k), ')') + "\n";
  }
  return text + "f" + std::to_string(level) + "(x)\n";
}

/// f and f' at x of relu(softplus(x) + 0.1) nested `depth` deep, by the chain rule multiplied
/// out layer by layer (each layer's slope is the sigmoid of its input): the reference the CLI's
/// deep-chain tests compare with.
struct ChainValue {
  double value, slope;
};
inline ChainValue softplus_chain(double x, int depth) {
  double v = x, d = 1;
  for (int i = 0; i < depth; ++i) {
    d /= 1 + std::exp(-v);                                            // softplus' is the sigmoid
    v = std::max(v, 0.0) + std::log1p(std::exp(-std::abs(v))) + 0.1;  // softplus, then + 0.1
  }
  return {v, d};
}

}  // namespace slope::testing
