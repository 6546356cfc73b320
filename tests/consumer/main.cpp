// SPDX-License-Identifier: MIT
// A downstream program: builds relu(x), differentiates it, prints both.
#include <fmt/core.h>

#include <slope/slope.hpp>

int main() {
  const slope::Expr x = slope::var("x");
  fmt::print("{} | {}\n", slope::relu(x), slope::diff(slope::relu(x), x));
}
