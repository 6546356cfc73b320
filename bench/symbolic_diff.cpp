// SPDX-License-Identifier: MIT
// W3 symbolic-diff: build f = relu(w_k*relu(... relu(w_1*x + b_1) ...) + b_k), differentiate in x,
// simplify, print as one line. Reports nodes of the derivative and the printed length.
#include <benchmark/benchmark.h>
#include <fmt/format.h>

#include <slope/slope.hpp>

#include "support/w4_chains.hpp"

namespace {

slope::Expr chain(int depth) {
  using namespace slope;
  Expr f = var("x");
  for (int i = 1; i <= depth; ++i) f = relu((1 + i / 10.0) * f + (i % 2 ? -1.0 : 1.0) * i / 100.0);
  return f;
}

/// The derivative's values at x = 0.0123 - 1.95 + 0.2 j, j = 0..19 (off the kinks of W3 and W4 at
/// the depths measured), as counters d_at_00 .. d_at_19: bench/compare holds every peer's
/// derivative to these, point by point.
void derivative_counters(benchmark::State& state, const slope::Expr& df) {
  for (int j = 0; j < 20; ++j)
    state.counters[fmt::format("d_at_{:02}", j)] =
        slope::eval(df, {{"x", 0.0123 - 1.95 + 0.2 * j}});
}

void W3_build_diff_simplify_print(benchmark::State& state) {
  const int depth = static_cast<int>(state.range(0));
  std::size_t nodes = 0, length = 0;
  slope::Expr df;
  for (auto _ : state) {
    const slope::Expr f = chain(depth);
    df = slope::diff(f, "x");  // diff simplifies its result
    const std::string text = slope::to_text(df);
    nodes = slope::node_count(df);
    length = text.size();
    benchmark::DoNotOptimize(text.data());
  }
  state.counters["derivative_nodes"] = static_cast<double>(nodes);
  state.counters["printed_chars"] = static_cast<double>(length);
  derivative_counters(state, df);
}
BENCHMARK(W3_build_diff_simplify_print)
    ->Arg(10)
    ->Arg(50)
    ->Arg(200)
    ->Arg(1000)
    ->Unit(benchmark::kMillisecond);

// W4 deep chains: build, differentiate, simplify, print. Nodes, printed bytes and the time per
// layer
// ("per_layer") must grow linearly with depth.
void W4_deep_chain(benchmark::State& state, std::string_view kind) {
  const int depth = static_cast<int>(state.range(0));
  std::size_t nodes = 0, length = 0;
  slope::Expr df;
  for (auto _ : state) {
    df = slope::diff(slope::w4::chain(kind, depth), "x");  // built inside, as the peers do
    const std::string text = slope::to_text(df);
    nodes = slope::node_count(df);
    length = text.size();
    benchmark::DoNotOptimize(text.data());
  }
  state.counters["derivative_nodes"] = static_cast<double>(nodes);
  state.counters["printed_bytes"] = static_cast<double>(length);
  derivative_counters(state, df);
  state.counters["per_layer"] = benchmark::Counter(
      depth, benchmark::Counter::kIsIterationInvariantRate | benchmark::Counter::kInvert);
}
// Nested leaky_relu with the default slope, 24 deep: before sharing, its derivative printed 1 GB
// in 38 s; the goal is under 2 kB in under 50 ms (diff, then the pretty printer with its note).
void Nested_leaky_24_pretty(benchmark::State& state) {
  slope::Expr f = slope::var("x");
  for (int i = 0; i < 24; ++i) f = slope::leaky_relu(f);
  std::size_t length = 0;
  for (auto _ : state) {
    const std::string text = slope::describe_derivative(f, "x", slope::Convention::min_norm);
    length = text.size();
    benchmark::DoNotOptimize(text.data());
  }
  state.counters["printed_bytes"] = static_cast<double>(length);
}
BENCHMARK(Nested_leaky_24_pretty)->Unit(benchmark::kMillisecond);

// What `slope diff` prints for a W4 chain: the derivative in 2-D and its kink notes (the kink
// search and the solved locations). "per_layer" must stay flat with depth.
void W4_pretty_with_notes(benchmark::State& state, std::string_view kind) {
  const int depth = static_cast<int>(state.range(0));
  const slope::Expr f = slope::w4::chain(kind, depth);
  std::size_t length = 0;
  for (auto _ : state) {
    const std::string text = slope::describe_derivative(f, "x", slope::Convention::min_norm);
    length = text.size();
    benchmark::DoNotOptimize(text.data());
  }
  state.counters["printed_bytes"] = static_cast<double>(length);
  state.counters["per_layer"] = benchmark::Counter(
      depth, benchmark::Counter::kIsIterationInvariantRate | benchmark::Counter::kInvert);
}
const bool w4_pretty_registered = [] {
  for (const std::string_view kind : slope::w4::chains)
    benchmark::RegisterBenchmark(fmt::format("W4_pretty_with_notes/{}", kind).c_str(),
                                 W4_pretty_with_notes, kind)
        ->Arg(100)
        ->Arg(1000)
        ->Unit(benchmark::kMillisecond);
  return true;
}();

// One registration per chain, so a chain added to w4::chains is benchmarked too.
const bool w4_registered = [] {
  for (const std::string_view kind : slope::w4::chains)
    benchmark::RegisterBenchmark(fmt::format("W4_deep_chain/{}", kind).c_str(), W4_deep_chain, kind)
        ->Arg(3)  // SymPy's largest depth for most chains (bench/peers/sympy_peer.py)
        ->RangeMultiplier(10)
        ->Range(10, 10'000)
        ->Unit(benchmark::kMillisecond);
  return true;
}();

}  // namespace

BENCHMARK_MAIN();
