// SPDX-License-Identifier: MIT
// `slope` alone: a short tour of relu, its derivative and relu'(0) under every convention.
#include <fmt/format.h>

#include <slope/slope.hpp>

#include "cli/commands.hpp"
#include "cli/io.hpp"

namespace slope::cli {

void run_tour() {
  const Expr x = var("x"), f = relu(x);
  std::string text = "relu(x) = " + to_text(definition(f)) + "\n\n";
  text += pretty_equation("d/dx relu(x)", diff(f, x), Charset::unicode) + "\n\n";
  text +=
      "At x = 0 the slope jumps from 0 to 1, so relu has no derivative there.\n"
      "Every library picks a value. slope lets you choose:\n\n";
  const char* who[] = {"PyTorch, JAX, TensorFlow (slope's default)", "the slope just left of 0",
                       "tutorials that write \"f'(x) = 1 for x >= 0\"",
                       "SymPy (Heaviside(0) = 1/2)", "the mathematician's answer"};
  text += "  convention   relu'(0)   who uses it\n";
  for (std::size_t i = 0; i < std::size(all_conventions); ++i) {
    const Convention c = all_conventions[i];
    const double at0 = eval(diff(f, x, c), {{"x", 0}});
    // format_number says "undefined" for NaN, as every other command does
    text += fmt::format("  {:<11}  {:<9}  {}\n", to_string(c), format_number(at0), who[i]);
  }
  text +=
      "\nTry: slope diff \"leaky_relu(x)\"   slope plot \"relu(x)\" --out relu.svg   "
      "slope --help\n";
  write_stdout(text);
}

}  // namespace slope::cli
