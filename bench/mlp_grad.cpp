// SPDX-License-Identifier: MIT
// W1 mlp-grad (shared/bench/workloads.md): the gradient of a 16-64-64-1 relu network's squared
// loss with respect to its 5313 parameters, one sample at a time. Three ways, measured together:
// hand-written backpropagation (the practical limit), slope's recording Var API (record afresh +
// reverse, per sample), and a compiled tape re-run on each sample.
#include <benchmark/benchmark.h>
#include <sys/resource.h>

#include <atomic>
#include <cstdlib>
#include <new>
#include <slope/slope.hpp>

#include "w1_bench.hpp"

// Counts heap allocations, to show that recording allocates nothing per operation once the
// tape has grown (the network code's own small vectors are all that remains).
namespace {
std::atomic<long> allocations{0};
}
// GCC 12 inlines these and then misreads malloc/free as a mismatched pair.
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wmismatched-new-delete"
void* operator new(std::size_t n) {
  allocations.fetch_add(1, std::memory_order_relaxed);
  if (void* p = std::malloc(n == 0 ? 1 : n)) return p;
  throw std::bad_alloc();
}
void operator delete(void* p) noexcept { std::free(p); }
void operator delete(void* p, std::size_t) noexcept { std::free(p); }
#pragma GCC diagnostic pop

namespace {

using namespace w1_bench;

BENCHMARK(W1_hand_backprop)->Unit(benchmark::kMillisecond);

/// Records one sample's loss afresh on `tape` and sweeps it back; the gradient is in p's adjoints.
void record_and_reverse(slope::Tape& tape, std::vector<slope::Var>& p, std::vector<slope::Var>& xs,
                        const w1::Sample& s) {
  using slope::Var;
  tape.clear();  // keeps capacity: no allocation per operation once grown
  p.clear();
  xs.clear();
  slope::tape_inputs(tape, params(), p);
  for (double v : s.x) xs.push_back(p[0].constant(v));
  const Var loss =
      w1::loss<Var>(p, xs, p[0].constant(s.target), [](const Var& z) { return slope::relu(z); });
  slope::backward(loss);
}

void W1_record_and_reverse(benchmark::State& state) {
  slope::Tape tape;
  std::vector<slope::Var> p, xs;
  double tape_bytes = 0, adjoint_bytes = 0, instructions = 0;
  long allocations_before = 0, gradients = 0;
  for (auto _ : state) {
    if (gradients == 0) allocations_before = allocations.load();
    for (const auto& s : samples()) {
      record_and_reverse(tape, p, xs, s);
      benchmark::DoNotOptimize(p[0].grad());
      tape_bytes = static_cast<double>(tape.bytes());
      adjoint_bytes = static_cast<double>(tape.adjoint_bytes());
      instructions = static_cast<double>(tape.size());
    }
    gradients += w1::n_samples;
  }
  per_gradient_counters(state);
  // Per elementary operation as workloads.md counts them (10,498 per pass; the tape also holds
  // the 5,313 parameters and the sample as inputs and constants).
  state.counters["tape_bytes_per_op"] = tape_bytes / ops_per_pass;
  state.counters["adjoint_bytes_per_op"] = adjoint_bytes / ops_per_pass;
  state.counters["instructions"] = instructions;
  state.counters["allocations_per_gradient"] =
      static_cast<double>(allocations.load() - allocations_before) / static_cast<double>(gradients);
  rusage usage{};
  getrusage(RUSAGE_SELF, &usage);
  state.counters["peak_rss_MiB"] = static_cast<double>(usage.ru_maxrss) / 1024.0;
  gradient_sum_counter(state, [&](const w1::Sample& s, std::vector<double>& g) {
    record_and_reverse(tape, p, xs, s);
    g.clear();
    for (const auto& v : p) g.push_back(v.grad());
  });
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
  const auto run = [&](const w1::Sample& s) {
    std::copy(s.x.begin(), s.x.end(), in.begin() + w1::n_params);
    in.back() = s.target;
    tape.forward(in);
    tape.reverse();
  };
  for (auto _ : state)
    for (const auto& s : samples()) {
      run(s);
      benchmark::DoNotOptimize(tape.gradient().data());
    }
  per_gradient_counters(state);
  state.counters["instructions"] = static_cast<double>(tape.size());
  gradient_sum_counter(state, [&](const w1::Sample& s, std::vector<double>& g) {
    run(s);
    const auto all = tape.gradient();  // parameters first, then the sample's inputs and target
    g.assign(all.begin(), all.begin() + w1::n_params);
  });
}
BENCHMARK(W1_compiled_tape)->Unit(benchmark::kMillisecond);

}  // namespace

BENCHMARK_MAIN();
