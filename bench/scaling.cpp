// SPDX-License-Identifier: MIT
// How costs grow with size: each benchmark reports its time per term (or per layer) as
// "per_item", which must stay flat (within 2x) across the sizes when the algorithm is linear.
// These replace the wall-clock limits the unit tests used to assert; the tests keep the values.
#include <benchmark/benchmark.h>

#include <slope/slope.hpp>
#include <string>

namespace {

void per_item(benchmark::State& state, std::int64_t items) {
  state.counters["per_item"] =
      benchmark::Counter(static_cast<double>(items), benchmark::Counter::kIsIterationInvariantRate |
                                                         benchmark::Counter::kInvert);
}

// "v0 - v1 + v2 - ...": quadratic when each term re-flattened the whole sum.
void parse_sum_of_names(benchmark::State& state) {
  const auto n = state.range(0);
  std::string text = "v0";
  for (std::int64_t i = 1; i < n; ++i) text += (i % 2 ? " - v" : " + v") + std::to_string(i);
  for (auto _ : state) benchmark::DoNotOptimize(slope::parse(text).size());
  per_item(state, n);
}
BENCHMARK(parse_sum_of_names)
    ->RangeMultiplier(10)
    ->Range(100, 100'000)
    ->Unit(benchmark::kMillisecond);

// relu(x*0.5 + 1) nested `depth` deep: one kink, found without differentiating the inner chain
// once per layer.
void plot_nested_relu(benchmark::State& state) {
  const auto depth = state.range(0);
  slope::Expr f = slope::var("x");
  for (std::int64_t i = 0; i < depth; ++i) f = slope::relu(f * 0.5 + 1);
  slope::PlotOptions options;
  options.from = -4;
  options.to = 4;
  for (auto _ : state) benchmark::DoNotOptimize(slope::plot_svg(f, options).size());
  per_item(state, depth);
}
BENCHMARK(plot_nested_relu)->RangeMultiplier(4)->Range(16, 1024)->Unit(benchmark::kMillisecond);

}  // namespace

BENCHMARK_MAIN();
