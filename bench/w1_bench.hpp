// SPDX-License-Identifier: MIT
// What every W1 benchmark program shares (shared/bench/workloads.md): the cached parameters and
// data, the per-gradient counters, and the hand-written baseline, registered in each program so
// every ratio is measured in one run.
#pragma once

#include <benchmark/benchmark.h>

#include "support/mlp.hpp"

namespace w1_bench {

namespace w1 = slope::testing::w1;
inline constexpr double ops_per_pass = 10498;  // elementary operations per pass (workloads.md)

inline const std::vector<double>& params() {
  static const auto p = w1::parameters();
  return p;
}
inline const std::vector<w1::Sample>& samples() {
  static const auto d = w1::data();
  return d;
}

inline void per_gradient_counters(benchmark::State& state) {
  state.counters["ns_per_gradient"] =
      benchmark::Counter(static_cast<double>(w1::n_samples) * state.iterations() * 1e-9,
                         benchmark::Counter::kIsRate | benchmark::Counter::kInvert);
  state.counters["ns_per_op"] = benchmark::Counter(
      static_cast<double>(w1::n_samples) * ops_per_pass * state.iterations() * 1e-9,
      benchmark::Counter::kIsRate | benchmark::Counter::kInvert);
}

/// The workload's check value as a counter, so bench/compare can hold every peer to slope: the sum
/// over the 200 samples of all gradient components (workloads.md: -6.833518508793e+02).
/// `gradient(sample, g)` fills g with the 5313 parameter adjoints of one sample.
template <class Gradient>
void gradient_sum_counter(benchmark::State& state, Gradient gradient) {
  std::vector<double> g;
  double total = 0;
  for (const auto& s : samples()) {
    gradient(s, g);
    for (double v : g) total += v;
  }
  state.counters["gradient_sum"] = total;
}

/// The baseline: hand-written backpropagation, no tape.
inline void W1_hand_backprop(benchmark::State& state) {
  std::vector<double> g;
  const auto hand = [](const w1::Sample& s, std::vector<double>& out) {
    w1::hand_gradient(params(), s, out);
  };
  for (auto _ : state)
    for (const auto& s : samples()) {
      hand(s, g);
      benchmark::DoNotOptimize(g.data());
    }
  per_gradient_counters(state);
  gradient_sum_counter(state, hand);
}

}  // namespace w1_bench
