// SPDX-License-Identifier: MIT
// W2 relu-batch (shared/bench/workloads.md): y = f(x) and d = f'(x) over 10,000,000 doubles for
// relu and leaky_relu(x, 0.01): slope's batched tape next to a plain fused loop and a
// STREAM-style copy, in one run. The same in float (FloatTape, 12 bytes per element): `_float`.
#include <benchmark/benchmark.h>

#if defined(__SSE2__)
#include <immintrin.h>
#endif

#include <numeric>
#include <slope/slope.hpp>

#include "support/random.hpp"

namespace {

constexpr std::size_t N = 10'000'000;

template <class T>
struct Arrays {
  std::vector<T> x, y, d;
  Arrays() : x(N), y(N), d(N) {
    slope::testing::SplitMix rng(42);
    for (T& v : x) v = static_cast<T>(rng.symmetric());
  }
};
template <class T = double>
Arrays<T>& arrays() {
  static Arrays<T> a;
  return a;
}

void bytes(benchmark::State& state, double per_element) {
  state.SetBytesProcessed(static_cast<int64_t>(state.iterations() * per_element * N));
}

/// Bytes, and the outputs' sums as counters, so bench/compare holds every peer to the same
/// arrays (workloads.md gives the relu and leaky_relu sums).
template <class T>
void outputs(benchmark::State& state, const Arrays<T>& a) {
  bytes(state, 3 * sizeof(T));
  state.counters["y_sum"] = std::accumulate(a.y.begin(), a.y.end(), 0.0);
  state.counters["d_sum"] = std::accumulate(a.d.begin(), a.d.end(), 0.0);
}

void W2_copy_baseline(benchmark::State& state) {
  Arrays<double>& a = arrays();
  for (auto _ : state) {
    std::copy(a.x.begin(), a.x.end(), a.y.begin());
    benchmark::ClobberMemory();
  }
  bytes(state, 16);
}
BENCHMARK(W2_copy_baseline)->Unit(benchmark::kMillisecond);

void W2_fused_loop_relu(benchmark::State& state) {
  Arrays<double>& a = arrays();
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
  outputs(state, a);
}
BENCHMARK(W2_fused_loop_relu)->Unit(benchmark::kMillisecond);

void W2_fused_loop_leaky(benchmark::State& state) {
  Arrays<double>& a = arrays();
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
  outputs(state, a);
}
BENCHMARK(W2_fused_loop_leaky)->Unit(benchmark::kMillisecond);

#if defined(__SSE2__)
// The fused loop with non-temporal stores: y and d go straight to memory, so their cache lines
// are never read first. On arrays far larger than the cache this is the best a hand-written
// loop does, so it is the bar the tape is held to (issue 15).
template <bool Leaky>
void W2_fused_loop_streaming(benchmark::State& state) {
  Arrays<double>& a = arrays();
  static_assert(N % 2 == 0);
  for (auto _ : state) {
    const __m128d zero = _mm_setzero_pd(), one = _mm_set1_pd(1.0), alpha = _mm_set1_pd(0.01);
    for (std::size_t i = 0; i < N; i += 2) {
      const __m128d v = _mm_loadu_pd(a.x.data() + i);
      const __m128d positive = _mm_cmpgt_pd(v, zero);
      if constexpr (Leaky) {
        _mm_stream_pd(a.y.data() + i, _mm_max_pd(v, _mm_mul_pd(v, alpha)));
        _mm_stream_pd(a.d.data() + i,
                      _mm_or_pd(_mm_and_pd(positive, one), _mm_andnot_pd(positive, alpha)));
      } else {
        _mm_stream_pd(a.y.data() + i, _mm_and_pd(positive, v));
        _mm_stream_pd(a.d.data() + i, _mm_and_pd(positive, one));
      }
    }
    _mm_sfence();
    benchmark::ClobberMemory();
  }
  outputs(state, a);
}
// malloc aligns to 16 bytes on x86-64, as _mm_stream_pd requires.
BENCHMARK(W2_fused_loop_streaming<false>)
    ->Name("W2_fused_streaming_relu")
    ->Unit(benchmark::kMillisecond);
BENCHMARK(W2_fused_loop_streaming<true>)
    ->Name("W2_fused_streaming_leaky")
    ->Unit(benchmark::kMillisecond);
#endif

template <class T = double>
void tape_case(benchmark::State& state, const slope::Expr& f) {
  Arrays<T>& a = arrays<T>();
  auto tape = slope::BasicTape<T>::compile(f, {"x"});
  const std::vector<std::span<const T>> in{a.x};
  const std::vector<std::span<T>> grad{a.d};
  for (auto _ : state) {
    tape.gradient_batch(in, 0, a.y, grad);
    benchmark::ClobberMemory();
  }
  outputs(state, a);
}
void W2_tape_relu(benchmark::State& state) { tape_case(state, slope::relu(slope::var("x"))); }
void W2_tape_leaky(benchmark::State& state) {
  tape_case(state, slope::leaky_relu(slope::var("x"), 0.01));
}
BENCHMARK(W2_tape_relu)->Unit(benchmark::kMillisecond);
BENCHMARK(W2_tape_leaky)->Unit(benchmark::kMillisecond);

// W2 in float: twice as many values per vector, half the bytes.
void W2_copy_baseline_float(benchmark::State& state) {
  Arrays<float>& a = arrays<float>();
  for (auto _ : state) {
    std::copy(a.x.begin(), a.x.end(), a.y.begin());
    benchmark::ClobberMemory();
  }
  bytes(state, 8);
}
BENCHMARK(W2_copy_baseline_float)->Unit(benchmark::kMillisecond);

void W2_fused_loop_relu_float(benchmark::State& state) {
  Arrays<float>& a = arrays<float>();
  for (auto _ : state) {
    const float* __restrict x = a.x.data();
    float* __restrict y = a.y.data();
    float* __restrict d = a.d.data();
    for (std::size_t i = 0; i < N; ++i) {
      y[i] = x[i] > 0 ? x[i] : 0.0f;
      d[i] = x[i] > 0 ? 1.0f : 0.0f;
    }
    benchmark::ClobberMemory();
  }
  outputs(state, a);
}
BENCHMARK(W2_fused_loop_relu_float)->Unit(benchmark::kMillisecond);

void W2_fused_loop_leaky_float(benchmark::State& state) {
  Arrays<float>& a = arrays<float>();
  for (auto _ : state) {
    const float* __restrict x = a.x.data();
    float* __restrict y = a.y.data();
    float* __restrict d = a.d.data();
    for (std::size_t i = 0; i < N; ++i) {
      y[i] = std::max(x[i], 0.01f * x[i]);
      d[i] = x[i] > 0 ? 1.0f : 0.01f;
    }
    benchmark::ClobberMemory();
  }
  outputs(state, a);
}
BENCHMARK(W2_fused_loop_leaky_float)->Unit(benchmark::kMillisecond);

void W2_tape_relu_float(benchmark::State& state) {
  tape_case<float>(state, slope::relu(slope::var("x")));
}
void W2_tape_leaky_float(benchmark::State& state) {
  tape_case<float>(state, slope::leaky_relu(slope::var("x"), 0.01));
}
BENCHMARK(W2_tape_relu_float)->Unit(benchmark::kMillisecond);
BENCHMARK(W2_tape_leaky_float)->Unit(benchmark::kMillisecond);

}  // namespace

BENCHMARK_MAIN();
