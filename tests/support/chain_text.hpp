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

/// `step` applied `depth` times to x, each layer a definition naming the one below: with
/// step = "max(u, 0.5*u)" (every letter u is the layer below, so spell no other name with one),
/// `u1() = max(x, 0.5*x); u2() = max(u1(), 0.5*u1()); ...; u<depth>()`. Each layer uses the
/// last twice: short to write, 2^depth copies of x spelled out.
inline std::string shared_chain(const std::string& step, int depth) {
  std::string text;
  for (int i = 1; i <= depth; ++i) {
    const std::string below = i == 1 ? "x" : "u" + std::to_string(i - 1) + "()";
    text += "u" + std::to_string(i) + "() = ";
    for (const char c : step) text += c == 'u' ? below : std::string(1, c);
    text += "; ";
  }
  return text + "u" + std::to_string(depth) + "()";
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
