// SPDX-License-Identifier: MIT
// W1 mlp-grad with ADOL-C, the established C++ operator-overloading tape, for scale
// (shared/bench/workloads.md): record the network for one sample with adouble, then gradient()
// (a forward and a reverse sweep over that tape). Built only when ADOL-C is installed
// (Debian: libadolc-dev). The hand-written baseline runs in the same program, so the ratio
// is measured in one run, as for slope's bench_mlp_grad.
#include <adolc/adolc.h>
#include <benchmark/benchmark.h>

#include "../w1_bench.hpp"

namespace {

using namespace w1_bench;

// relu with relu'(0) = 0, as the workload specifies: condassign(r, c, a, b) is r = c > 0 ? a : b.
adouble relu(const adouble& z) {
  adouble r;
  condassign(r, z, z, adouble(0.0));
  return r;
}

/// Records one sample's loss on tape `tag`, then its gradient with respect to the parameters.
void adolc_gradient(const w1::Sample& s, std::vector<double>& g) {
  constexpr short tag = 1;
  const auto& p0 = params();
  trace_on(tag);
  std::vector<adouble> p(w1::n_params);
  for (int i = 0; i < w1::n_params; ++i) p[i] <<= p0[i];
  std::vector<adouble> xs(s.x.begin(), s.x.end());
  adouble loss = w1::loss<adouble>(p, xs, adouble(s.target), relu);
  double y = 0;
  loss >>= y;
  trace_off();
  g.resize(w1::n_params);
  gradient(tag, w1::n_params, p0.data(), g.data());
}

BENCHMARK(W1_hand_backprop)->Unit(benchmark::kMillisecond);

void W1_adolc_record_and_gradient(benchmark::State& state) {
  std::vector<double> g;
  for (auto _ : state)
    for (const auto& s : samples()) {
      adolc_gradient(s, g);
      benchmark::DoNotOptimize(g.data());
    }
  per_gradient_counters(state);
  gradient_sum_counter(state, adolc_gradient);
}
BENCHMARK(W1_adolc_record_and_gradient)->Unit(benchmark::kMillisecond);

}  // namespace

BENCHMARK_MAIN();
