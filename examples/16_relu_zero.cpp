// SPDX-License-Identifier: MIT
// Does relu'(0) matter? Only where a pre-activation is exactly 0, and rounding makes that
// happen far more often in low precision: first one unit whose pre-activation is exactly 0 in
// float16 but not in float32 or float64, then the relu'(0) lab on a small network.
// (`slope lab relu0` runs the lab at its own size and can also draw it: --out chart.svg.)
#include <fmt/core.h>

#include <slope/slope.hpp>

namespace {

/// z = b + w1 x1 + w2 x2 + w3 x3 + w4 x4, each operation rounded to T.
template <class T>
T pre_activation() {
  const double b = 0.01, w[] = {0.22, -0.16, 0.4, -0.7}, x[] = {174.0 / 255, 1, 0, 0};
  T z = static_cast<T>(b);
  for (int i = 0; i < 4; ++i) z = z + static_cast<T>(w[i]) * static_cast<T>(x[i]);
  return z;
}

/// d relu(z) / d w1 = relu'(z) x1, with relu'(0) taken from the convention.
template <class T>
void show(const char* name, slope::Convention a, slope::Convention b) {
  const T z = pre_activation<T>();
  const T x1 = static_cast<T>(174.0 / 255);
  auto slope_at = [&](slope::Convention c) {
    const T s = z > T(0) ? T(1) : z == T(0) ? static_cast<T>(slope::relu_slope_at_zero(c)) : T(0);
    return static_cast<double>(s * x1);
  };
  fmt::print("{}: z = {}, d relu(z)/d w1 = {} ({}), {} ({})\n", name, static_cast<double>(z),
             slope_at(a), slope::to_string(a), slope_at(b), slope::to_string(b));
}

}  // namespace

int main() {
  using namespace slope;
  fmt::print(
      "z = 0.01 + 0.22 x1 - 0.16 x2 + 0.4 x3 - 0.7 x4 at the pixels x = (174/255, 1, 0, 0)\n");
#if defined(__FLT16_MANT_DIG__)
  show<_Float16>("float16", Convention::min_norm, Convention::right);
#endif
  show<float>("float32", Convention::min_norm, Convention::right);
  show<double>("float64", Convention::min_norm, Convention::right);
  // float16: z = 0, d relu(z)/d w1 = 0 (min_norm), 0.68212890625 (right)
  // float32: z = 0.0001176595687866211, d relu(z)/d w1 = 0.6823529601097107 (min_norm),
  //          0.6823529601097107 (right)
  // float64: z = 0.00011764705882352788, the same slope 0.6823529411764706 under both
  // In float16 0.01 + 0.22 * 174/255 rounds to 0.16 (the exact 0.1601176... is closer to it
  // than to the neighbouring float16 numbers, 2^-13 apart), and 0.16 - 0.16 is 0: the kink.

  fmt::print("\n");
  ReluZeroOptions o;  // the lab at a size that runs in a moment: 16-32-32-10, 3 epochs
  o.hidden = 32;
  o.epochs = 3;
  const ReluZeroLab lab = run_relu_zero_lab(o);
  fmt::print("{}", relu_zero_table(lab));
  // precision      differing batches     hits/epoch   hits/1e6   loss relu'(0)=0   loss relu'(0)=1
  // float16       11 of 96      11.5%            3.7     55.949            2.0290            2.0290
  // float32        0 of 96       0.0%            0.0      0.000            2.0288            2.0288
  // float64        0 of 96       0.0%            0.0      0.000            2.0288            2.0288
  // float16 differs in some mini-batches, float32 and float64 in none: at this size a float32
  // pre-activation is exactly 0 about once in 10^8
  // (docs/concepts.md#does-the-value-at-the-kink-matter).
  const ReluZeroRun& f64 = lab.runs.back();
  return f64.differing_total() == 0 ? 0 : 1;
}
