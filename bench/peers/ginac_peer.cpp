// SPDX-License-Identifier: MIT
// W3 and W4 in GiNaC (shared/bench/workloads.md), a peer for bench/compare. GiNaC has no relu,
// leaky_relu, elu, hardtanh or max, so each is a user function with its numeric value and its
// derivative (relu's is GiNaC's step). Each case builds the chain, differentiates in x and prints
// the result as text; GiNaC simplifies as it builds, and has no further simplify. Built only when
// GiNaC is installed (Debian: libginac-dev). The counters match bench_symbolic_diff's:
// printed_chars and d_at_00 .. d_at_19 (the derivative at x = 0.0123 - 1.95 + 0.2 j).
#include <benchmark/benchmark.h>
#include <fmt/format.h>
#include <ginac/ginac.h>

#include <sstream>
#include <string_view>

using namespace GiNaC;

namespace {
/// The number a user function's argument is, when it is one.
const numeric* number(const ex& u) {
  return is_exactly_a<numeric>(u) && ex_to<numeric>(u).is_real() ? &ex_to<numeric>(u) : nullptr;
}
const numeric half(1, 2);
}  // namespace

DECLARE_FUNCTION_1P(relu)
DECLARE_FUNCTION_1P(leaky)  // leaky_relu(v, 1/2)
DECLARE_FUNCTION_1P(leaky_slope)
DECLARE_FUNCTION_1P(elu)  // elu(v, 1/2)
DECLARE_FUNCTION_1P(elu_slope)
DECLARE_FUNCTION_1P(hardtanh)
DECLARE_FUNCTION_1P(hardtanh_slope)
DECLARE_FUNCTION_1P(absolute)
DECLARE_FUNCTION_2P(maximum)

namespace {
ex relu_eval(const ex& u) {
  if (const numeric* n = number(u)) return n->is_positive() ? u : ex(0);
  return relu(u).hold();
}
ex relu_deriv(const ex& u, unsigned) { return step(u); }
ex leaky_eval(const ex& u) {
  if (const numeric* n = number(u)) return n->is_positive() ? u : ex(half * *n);
  return leaky(u).hold();
}
ex leaky_deriv(const ex& u, unsigned) { return leaky_slope(u); }
ex leaky_slope_eval(const ex& u) {
  if (const numeric* n = number(u)) return n->is_positive() ? ex(1) : ex(half);
  return leaky_slope(u).hold();
}
ex elu_eval(const ex& u) {
  if (const numeric* n = number(u)) return n->is_positive() ? u : (exp(*n) - 1).evalf() * half;
  return elu(u).hold();
}
ex elu_deriv(const ex& u, unsigned) { return elu_slope(u); }
ex elu_slope_eval(const ex& u) {
  if (const numeric* n = number(u)) return n->is_positive() ? ex(1) : exp(*n).evalf() * half;
  return elu_slope(u).hold();
}
ex hardtanh_eval(const ex& u) {
  if (const numeric* n = number(u)) return *n < -1 ? ex(-1) : *n > 1 ? ex(1) : u;
  return hardtanh(u).hold();
}
ex hardtanh_deriv(const ex& u, unsigned) { return hardtanh_slope(u); }
ex hardtanh_slope_eval(const ex& u) {
  if (const numeric* n = number(u)) return *n > -1 && *n < 1 ? ex(1) : ex(0);
  return hardtanh_slope(u).hold();
}
ex absolute_eval(const ex& u) {
  if (const numeric* n = number(u)) return GiNaC::abs(*n);
  return absolute(u).hold();
}
ex absolute_deriv(const ex& u, unsigned) { return csgn(u); }
ex maximum_eval(const ex& a, const ex& b) {
  const numeric *m = number(a), *n = number(b);
  if (m && n) return *m < *n ? b : a;
  return maximum(a, b).hold();
}
ex maximum_deriv(const ex& a, const ex& b, unsigned which) {
  return which == 0 ? step(a - b) : step(b - a);
}
}  // namespace

REGISTER_FUNCTION(relu, eval_func(relu_eval).derivative_func(relu_deriv))
REGISTER_FUNCTION(leaky, eval_func(leaky_eval).derivative_func(leaky_deriv))
REGISTER_FUNCTION(leaky_slope, eval_func(leaky_slope_eval))
REGISTER_FUNCTION(elu, eval_func(elu_eval).derivative_func(elu_deriv))
REGISTER_FUNCTION(elu_slope, eval_func(elu_slope_eval))
REGISTER_FUNCTION(hardtanh, eval_func(hardtanh_eval).derivative_func(hardtanh_deriv))
REGISTER_FUNCTION(hardtanh_slope, eval_func(hardtanh_slope_eval))
REGISTER_FUNCTION(absolute, eval_func(absolute_eval).derivative_func(absolute_deriv))
REGISTER_FUNCTION(maximum, eval_func(maximum_eval).derivative_func(maximum_deriv))

namespace {

/// W3: relu(w_k*relu(... relu(w_1*x + b_1) ...) + b_k), w_i = 1 + i/10, b_i = (-1)^i i/100.
ex w3_chain(const realsymbol& x, int depth) {
  ex f = x;
  for (int i = 1; i <= depth; ++i)
    f = relu(numeric(10 + i, 10) * f + numeric((i % 2 ? -1 : 1) * i, 100));
  return f;
}

/// W4's five chains, c_i = (-1)^i i/100 (tests/support/w4_chains.hpp).
ex w4_chain(const realsymbol& x, std::string_view kind, int depth) {
  ex u = x;
  for (int i = 1; i <= depth; ++i) {
    const numeric c((i % 2 ? -1 : 1) * i, 100);
    if (kind == "leaky")
      u = leaky(u + c);
    else if (kind == "elu")
      u = elu(numeric(9, 10) * u + c);
    else if (kind == "abs")
      u = absolute(u - c);
    else if (kind == "hardtanh")
      u = hardtanh(numeric(11, 10) * u + c);
    else
      u = maximum(u, numeric(3, 10) * u + c);
  }
  return u;
}

void derivative_counters(benchmark::State& state, const ex& df, const realsymbol& x) {
  for (int j = 0; j < 20; ++j)
    state.counters[fmt::format("d_at_{:02}", j)] =
        ex_to<numeric>(df.subs(x == numeric(0.0123 - 1.95 + 0.2 * j)).evalf()).to_double();
}

template <class Chain>
void run(benchmark::State& state, Chain chain) {
  const realsymbol x("x");
  ex df;
  std::size_t length = 0;
  for (auto _ : state) {
    df = chain(x).diff(x);
    std::ostringstream text;
    text << df;
    length = text.str().size();
    benchmark::DoNotOptimize(length);
  }
  state.counters["printed_chars"] = static_cast<double>(length);
  derivative_counters(state, df, x);
}

void GiNaC_W3(benchmark::State& state) {
  const int depth = static_cast<int>(state.range(0));
  run(state, [&](const realsymbol& x) { return w3_chain(x, depth); });
}
BENCHMARK(GiNaC_W3)->Arg(10)->Arg(50)->Arg(200)->Arg(1000)->Unit(benchmark::kMillisecond);

const bool w4_registered = [] {
  for (const std::string_view kind : {"leaky", "elu", "abs", "hardtanh", "max"}) {
    auto* b = benchmark::RegisterBenchmark(
        fmt::format("GiNaC_W4/{}", kind).c_str(), [kind](benchmark::State& state) {
          const int depth = static_cast<int>(state.range(0));
          run(state, [&](const realsymbol& x) { return w4_chain(x, kind, depth); });
        });
    b->Arg(3)->Arg(10)->Unit(benchmark::kMillisecond);
    // max(u, 0.3*u + c) names u twice, and GiNaC differentiates and prints a tree, not a graph:
    // its derivative doubles per layer (21 ms at depth 10), so depth 100 would never end.
    if (kind != "max") b->Arg(100)->Arg(1000);
  }
  return true;
}();

}  // namespace

BENCHMARK_MAIN();
