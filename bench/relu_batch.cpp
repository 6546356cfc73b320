// SPDX-License-Identifier: MIT
// W2 relu-batch (shared/bench/workloads.md): y = f(x) and d = f'(x) over 10,000,000 doubles for
// relu and leaky_relu(x, 0.01): slope's batched tape next to a plain fused loop and a
// STREAM-style copy, in one run.
#include <benchmark/benchmark.h>

#include <slope/slope.hpp>

#include "support/random.hpp"

namespace {

constexpr std::size_t N = 10'000'000;

struct Arrays {
  std::vector<double> x, y, d;
  Arrays() : x(N), y(N), d(N) {
    slope::testing::SplitMix rng(42);
    for (double& v : x) v = rng.sym();
  }
};
Arrays& arrays() {
  static Arrays a;
  return a;
}

void bytes(benchmark::State& state, double per_element) {
  state.SetBytesProcessed(static_cast<int64_t>(state.iterations() * per_element * N));
}

void W2_copy_baseline(benchmark::State& state) {
  Arrays& a = arrays();
  for (auto _ : state) {
    std::copy(a.x.begin(), a.x.end(), a.y.begin());
    benchmark::ClobberMemory();
  }
  bytes(state, 16);
}
BENCHMARK(W2_copy_baseline)->Unit(benchmark::kMillisecond);

void W2_fused_loop_relu(benchmark::State& state) {
  Arrays& a = arrays();
  for (auto _ : state) {
    const double* __restrict x = a.x.data();
    double* __restrict y = a.y.data();
    double* __restrict d = a.d.data();
    for (std::size_t i = 0; i < N; ++i) {
      y[i] = x[i] > 0 ? x[i] : 0.0;
      d[i] = x[i] > 0 ? 1.0 : 0.0;
    }
    benchmark::ClobberMemory();
  }
  bytes(state, 24);
}
BENCHMARK(W2_fused_loop_relu)->Unit(benchmark::kMillisecond);

void W2_fused_loop_leaky(benchmark::State& state) {
  Arrays& a = arrays();
  for (auto _ : state) {
    const double* __restrict x = a.x.data();
    double* __restrict y = a.y.data();
    double* __restrict d = a.d.data();
    for (std::size_t i = 0; i < N; ++i) {
      y[i] = std::max(x[i], 0.01 * x[i]);  // vectorises, unlike the ternary under trapping math
      d[i] = x[i] > 0 ? 1.0 : 0.01;
    }
    benchmark::ClobberMemory();
  }
  bytes(state, 24);
}
BENCHMARK(W2_fused_loop_leaky)->Unit(benchmark::kMillisecond);

void tape_case(benchmark::State& state, const slope::Expr& f) {
  Arrays& a = arrays();
  slope::Tape tape = slope::Tape::compile(f, {"x"});
  const std::vector<std::span<const double>> in{a.x};
  const std::vector<std::span<double>> grad{a.d};
  for (auto _ : state) {
    tape.gradient_batch(in, 0, a.y, grad);
    benchmark::ClobberMemory();
  }
  bytes(state, 24);
}
void W2_tape_relu(benchmark::State& state) { tape_case(state, slope::relu(slope::var("x"))); }
void W2_tape_leaky(benchmark::State& state) {
  tape_case(state, slope::leaky_relu(slope::var("x"), 0.01));
}
BENCHMARK(W2_tape_relu)->Unit(benchmark::kMillisecond);
BENCHMARK(W2_tape_leaky)->Unit(benchmark::kMillisecond);

}  // namespace

BENCHMARK_MAIN();
