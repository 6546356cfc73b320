// SPDX-License-Identifier: MIT
// Dying ReLU: hidden biases that start negative leave relu units on the flat side of their kink
// for every training point; their slope there is 0, so SGD never moves them again. leaky_relu
// keeps a slope alpha below the kink, so its units keep learning there. (`slope lab dying-relu`
// runs the same lab and can also draw it: --out chart.svg.)
#include <fmt/core.h>

#include <slope/slope.hpp>

int main() {
  using namespace slope;
  const DyingReluLab lab = run_dying_relu_lab();  // 2-32-32-1, seed 7, 30 epochs
  fmt::print("{}", dying_relu_table(lab));
  // The effect the tutorials describe (the table's last lines): in the bad setting about as
  // many leaky units as relu units sit below their kink at every point ("inactive"), but only
  // the relu ones are dead (output and slope 0), and only that network stops learning.
  const DeadUnits& relu = lab.runs[1].dead.back();
  const DeadUnits& leaky = lab.runs[2].dead.back();
  const bool sane_learns = lab.runs[0].loss.back() < lab.runs[0].loss.front() / 2;
  const bool leaky_learns = lab.runs[2].loss.back() < lab.runs[2].loss.front() / 2;
  return relu.dead > 0 && leaky.dead == 0 && leaky.never_above > 0 && sane_learns && leaky_learns
             ? 0
             : 1;
}
