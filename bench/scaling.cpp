// SPDX-License-Identifier: MIT
// How costs grow with size: each benchmark reports its time per term (or per layer) as
// "per_item", which must stay flat (within 2x) across the sizes when the algorithm is linear.
// These replace the wall-clock limits the unit tests used to assert; the tests keep the values.
#include <benchmark/benchmark.h>

#include <slope/slope.hpp>
#include <string>
#include <vector>

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

// Issue 15's sizes: the 16-w-w-1 relu network built as an expression in its parameters and
// compiled to a tape (w = 16 .. 1024: 561 to 1.07 million parameters); "per_item" is per
// parameter. Each neuron is z = b + sum w*x, built term by term as a user writes it.
void network_build_and_compile(benchmark::State& state) {
  using slope::Expr;
  const auto width = static_cast<int>(state.range(0));
  constexpr int inputs = 16;
  std::vector<std::string> names;
  for (int i = 0; i < inputs; ++i) names.push_back("x" + std::to_string(i));
  const auto parameter = [&names] {
    names.push_back("p" + std::to_string(names.size()));
    return slope::var(names.back());
  };
  for (auto _ : state) {
    names.resize(inputs);
    std::vector<Expr> h;
    for (int i = 0; i < inputs; ++i) h.push_back(slope::var(names[i]));
    for (int layer = 0; layer < 2; ++layer) {
      std::vector<Expr> next;
      for (int j = 0; j < width; ++j) {
        Expr z = parameter();
        for (const Expr& in : h) z = z + parameter() * in;
        next.push_back(slope::relu(z));
      }
      h = std::move(next);
    }
    Expr y = parameter();
    for (const Expr& in : h) y = y + parameter() * in;
    const slope::Tape tape = slope::Tape::compile(y * y, names);
    benchmark::DoNotOptimize(tape.size());
  }
  per_item(state, static_cast<std::int64_t>(names.size()) - inputs);
}
BENCHMARK(network_build_and_compile)
    ->RangeMultiplier(4)
    ->Range(16, 1024)
    ->Unit(benchmark::kMillisecond);

// The yardstick for the one above (issue 15 asks for build + compile within 3x of it): the same
// network recorded with Var on a tape, one forward pass; "per_item" is per parameter.
void network_record(benchmark::State& state) {
  const auto width = static_cast<std::size_t>(state.range(0));
  constexpr std::size_t inputs = 16;
  const std::size_t parameters = width * (inputs + 1) + width * (width + 1) + width + 1;
  const std::vector<double> values(inputs + parameters, 0.5);
  slope::Tape tape;
  std::vector<slope::Var> v;
  for (auto _ : state) {
    tape.clear();
    v.clear();
    slope::tape_inputs(tape, values, v);
    std::size_t next = inputs;
    std::vector<slope::Var> h(v.begin(), v.begin() + inputs);
    for (int layer = 0; layer < 2; ++layer) {
      std::vector<slope::Var> out;
      for (std::size_t j = 0; j < width; ++j) {
        slope::Var z = v[next++];
        for (const slope::Var& in : h) z = z + v[next++] * in;
        out.push_back(slope::relu(z));
      }
      h = std::move(out);
    }
    slope::Var y = v[next++];
    for (const slope::Var& in : h) y = y + v[next++] * in;
    benchmark::DoNotOptimize((y * y).value());
  }
  per_item(state, static_cast<std::int64_t>(parameters));
}
BENCHMARK(network_record)->RangeMultiplier(4)->Range(16, 1024)->Unit(benchmark::kMillisecond);

// Chains of depth 10 .. 10,000, differentiated (diff simplifies, and folds formulas of up to
// 2,000 nodes) and printed: W3's relu chain, and the smooth tanh and softplus chains whose
// derivative graphs are as long as the chain. "per_item" is per layer.
template <class Layer>
void chain_diff_print(benchmark::State& state, Layer layer) {
  const auto depth = state.range(0);
  for (auto _ : state) {
    slope::Expr f = slope::var("x");
    for (std::int64_t i = 1; i <= depth; ++i) f = layer(f, i);
    benchmark::DoNotOptimize(slope::to_text(slope::diff(f, "x")).size());
  }
  per_item(state, depth);
}
void relu_chain(benchmark::State& state) {  // W3 (shared/bench/workloads.md)
  chain_diff_print(state, [](const slope::Expr& f, std::int64_t i) {
    return slope::relu((1 + i / 10.0) * f + (i % 2 ? -1.0 : 1.0) * i / 100.0);
  });
}
void tanh_chain(benchmark::State& state) {
  chain_diff_print(state, [](const slope::Expr& f, std::int64_t i) {
    return slope::tanh(0.9 * f + (i % 2 ? -0.1 : 0.1));
  });
}
void softplus_chain(benchmark::State& state) {
  chain_diff_print(state, [](const slope::Expr& f, std::int64_t i) {
    return slope::softplus(0.9 * f + (i % 2 ? -0.1 : 0.1));
  });
}
// The W3 chain as the CLI reads it from a file, one definition per layer, parsed and then
// differentiated and printed as relu_chain does (issue 15: parsing definitions was quadratic, and
// the CLI with definitions is to stay within 1.5x of the library).
void relu_chain_definitions(benchmark::State& state) {
  const auto depth = state.range(0);
  std::string text = "u0(x) = x\n";
  for (std::int64_t i = 1; i <= depth; ++i)
    text += "u" + std::to_string(i) + "(x) = relu(" + std::to_string(1 + i / 10.0) + "*u" +
            std::to_string(i - 1) + "(x) + " + std::to_string((i % 2 ? -1.0 : 1.0) * i / 100.0) +
            ")\n";
  text += "u" + std::to_string(depth) + "(x)";
  for (auto _ : state)
    benchmark::DoNotOptimize(slope::to_text(slope::diff(slope::parse(text), "x")).size());
  per_item(state, depth);
}
BENCHMARK(relu_chain)->RangeMultiplier(10)->Range(10, 10'000)->Unit(benchmark::kMillisecond);
BENCHMARK(relu_chain_definitions)
    ->RangeMultiplier(10)
    ->Range(10, 10'000)
    ->Unit(benchmark::kMillisecond);
BENCHMARK(tanh_chain)->RangeMultiplier(10)->Range(10, 10'000)->Unit(benchmark::kMillisecond);
BENCHMARK(softplus_chain)->RangeMultiplier(10)->Range(10, 10'000)->Unit(benchmark::kMillisecond);

}  // namespace

BENCHMARK_MAIN();
