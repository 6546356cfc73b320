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

/// The baseline: hand-written backpropagation, no tape.
inline void W1_hand_backprop(benchmark::State& state) {
  std::vector<double> g;
  for (auto _ : state)
    for (const auto& s : samples()) {
      w1::hand_gradient(params(), s, g);
      benchmark::DoNotOptimize(g.data());
    }
  per_gradient_counters(state);
}

}  // namespace w1_bench
