// SPDX-License-Identifier: MIT
// Deep chains as the CLI reads them: the parser refuses nesting over 500 levels, so a chain is
// written as definitions that each nest the one before.
#pragma once

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

}  // namespace slope::testing
