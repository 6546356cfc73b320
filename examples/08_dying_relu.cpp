// SPDX-License-Identifier: MIT
// Dying ReLU: hidden biases that start negative leave relu units on the flat side of their kink
// for every training point; their slope there is 0, so SGD never moves them again. leaky_relu
// keeps a slope alpha below the kink, and its units come back. (`slope lab dying-relu` runs
// the same lab and can also draw it: --out chart.svg.)
#include <fmt/core.h>

#include <slope/slope.hpp>

int main() {
  using namespace slope;
  const DyingReluLab lab = run_dying_relu_lab();  // 2-32-32-1, seed 7, 20 epochs
  fmt::print("{}", dying_relu_table(lab));
  // The effect the tutorials describe (the table's last lines): many more dead relu units than
  // dead leaky ones in the same bad setting, while the sane relu network learns.
  const double relu_dead = lab.runs[1].dead.back().fraction();
  const double leaky_dead = lab.runs[2].dead.back().fraction();
  const bool sane_learns = lab.runs[0].loss.back() < lab.runs[0].loss.front() / 2;
  return relu_dead >= 3 * leaky_dead && relu_dead > 0 && sane_learns ? 0 : 1;
}
