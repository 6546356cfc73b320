// W1 mlp-grad (shared/bench/workloads.md): the gradient of a 16-64-64-1 relu network's squared
// loss with respect to its 5313 parameters, one sample at a time. Three ways, measured together:
// hand-written backpropagation (the practical limit), slope's recording Var API (record afresh +
// reverse, per sample), and a compiled tape re-run on each sample.
#include <benchmark/benchmark.h>

#include <slope/slope.hpp>

#include "support/mlp.hpp"

namespace {

namespace w1 = slope::testing::w1;
constexpr double ops_per_pass = 10498;  // elementary operations per forward pass (workloads.md)

const std::vector<double>& params() {
  static const auto p = w1::parameters();
  return p;
}
const std::vector<w1::Sample>& samples() {
  static const auto d = w1::data();
  return d;
}

void per_gradient_counters(benchmark::State& state) {
  state.counters["ns_per_gradient"] =
      benchmark::Counter(static_cast<double>(w1::n_samples) * state.iterations() * 1e-9,
                         benchmark::Counter::kIsRate | benchmark::Counter::kInvert);
  state.counters["ns_per_op"] = benchmark::Counter(
      static_cast<double>(w1::n_samples) * ops_per_pass * state.iterations() * 1e-9,
      benchmark::Counter::kIsRate | benchmark::Counter::kInvert);
}

void W1_hand_backprop(benchmark::State& state) {
  std::vector<double> g;
  for (auto _ : state)
    for (const auto& s : samples()) {
      w1::hand_gradient(params(), s, g);
      benchmark::DoNotOptimize(g.data());
    }
  per_gradient_counters(state);
}
BENCHMARK(W1_hand_backprop)->Unit(benchmark::kMillisecond);

void W1_record_and_reverse(benchmark::State& state) {
  using slope::Var;
  slope::Tape tape;
  std::vector<Var> p;
  std::vector<Var> xs;
  double bytes_per_op = 0;
  for (auto _ : state)
    for (const auto& s : samples()) {
      tape.clear();  // keeps capacity: no allocation per operation once grown
      p.clear();
      xs.clear();
      slope::tape_inputs(tape, params(), p);
      for (double v : s.x) xs.push_back(p[0].constant(v));
      const Var loss = w1::loss<Var>(p, xs, p[0].constant(s.target),
                                     [](const Var& z) { return slope::relu(z); });
      slope::backward(loss);
      benchmark::DoNotOptimize(p[0].grad());
      bytes_per_op = static_cast<double>(tape.bytes()) / static_cast<double>(tape.size());
    }
  per_gradient_counters(state);
  state.counters["tape_bytes_per_op"] = bytes_per_op;
}
BENCHMARK(W1_record_and_reverse)->Unit(benchmark::kMillisecond);

void W1_compiled_tape(benchmark::State& state) {
  using slope::Expr;
  // The network as an expression in the parameters, inputs and target; compiled once.
  std::vector<Expr> p, xs;
  std::vector<std::string> names;
  for (int i = 0; i < w1::n_params; ++i) names.push_back("p" + std::to_string(i));
  for (int i = 0; i < w1::n_in; ++i) names.push_back("x" + std::to_string(i));
  names.push_back("t");
  for (int i = 0; i < w1::n_params; ++i) p.push_back(slope::var(names[i]));
  for (int i = 0; i < w1::n_in; ++i) xs.push_back(slope::var(names[w1::n_params + i]));
  const Expr loss =
      w1::loss<Expr>(p, xs, slope::var("t"), [](const Expr& z) { return slope::relu(z); });
  slope::Tape tape = slope::Tape::compile(loss, names);
  std::vector<double> in(params());
  in.resize(names.size());
  for (auto _ : state)
    for (const auto& s : samples()) {
      std::copy(s.x.begin(), s.x.end(), in.begin() + w1::n_params);
      in.back() = s.target;
      tape.forward(in);
      tape.reverse();
      benchmark::DoNotOptimize(tape.gradient().data());
    }
  per_gradient_counters(state);
  state.counters["instructions"] = static_cast<double>(tape.size());
}
BENCHMARK(W1_compiled_tape)->Unit(benchmark::kMillisecond);

}  // namespace

BENCHMARK_MAIN();
