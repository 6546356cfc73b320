// SPDX-License-Identifier: MIT
// The relu'(0) lab (include/slope/relu_zero.hpp): the network of learn/relu_net.hpp trained by
// plain mini-batch SGD in float16, float32 and float64, with relu'(0) = 0 and = 1. At every
// step of the relu'(0) = 0 run the batch's gradient is computed a second time with relu'(0) = 1
// and the two compared bit for bit.
#include "slope/relu_zero.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <cstring>
#include <numeric>
#include <stdexcept>

#include "learn/epoch_chart.hpp"
#include "learn/relu_net.hpp"
#include "learn/splitmix.hpp"
#include "slope/precision.hpp"

namespace slope {

std::string_view to_string(Precision p) {
  switch (p) {
    case Precision::float16:
      return "float16";
    case Precision::float32:
      return "float32";
    case Precision::float64:
      return "float64";
  }
  return "?";
}

bool float16_available() {
#ifdef SLOPE_HAS_FLOAT16
  return true;
#else
  return false;
#endif
}

double relu_slope_at_zero(Convention c) { return at_kink(0, 1, c); }

double ReluZeroRun::differing_fraction() const {
  const std::size_t all = batches * differing.size();
  return all == 0 ? 0.0 : static_cast<double>(differing_total()) / static_cast<double>(all);
}

std::size_t ReluZeroRun::differing_total() const {
  return std::accumulate(differing.begin(), differing.end(), std::size_t{0});
}

std::uint64_t ReluZeroRun::kink_hits_total() const {
  return std::accumulate(kink_hits.begin(), kink_hits.end(), std::uint64_t{0});
}

namespace {

using learn::NetSizes;
using learn::ReluNet;
using learn::SplitMix;

NetSizes sizes_of(const ReluZeroOptions& o) {
  return {static_cast<std::size_t>(o.inputs), static_cast<std::size_t>(o.hidden),
          static_cast<std::size_t>(o.hidden), static_cast<std::size_t>(o.classes)};
}

/// Mean cross-entropy over the training set: each example's loss computed in T, their mean in
/// double (a measurement, not part of training).
template <class T>
double mean_loss(ReluNet<T>& net, const std::vector<T>& p, const std::vector<T>& x,
                 const std::vector<std::uint32_t>& labels) {
  const std::size_t n = labels.size(), in = net.sizes().in, chunk = 256;
  double sum = 0;
  std::uint64_t ignored = 0;
  for (std::size_t from = 0; from < n; from += chunk) {
    const std::size_t to = std::min(n, from + chunk);
    net.forward(p, std::span(x).subspan(from * in, (to - from) * in),
                std::span(labels).subspan(from, to - from), ignored);
    for (const T v : net.losses()) sum += static_cast<double>(v);
  }
  return sum / static_cast<double>(n);
}

template <class T>
void sgd_step(std::vector<T>& p, const std::vector<T>& g, T rate) {
  for (std::size_t i = 0; i < p.size(); ++i) p[i] = p[i] - rate * g[i];
}

template <class T>
std::vector<double> as_doubles(const std::vector<T>& v) {
  std::vector<double> d(v.size());
  for (std::size_t i = 0; i < v.size(); ++i) d[i] = static_cast<double>(v[i]);
  return d;
}

template <class T>
ReluZeroRun train(const ReluZeroLab& lab, Precision precision) {
  const ReluZeroOptions& o = lab.options;
  const NetSizes s = sizes_of(o);
  // relu'(0) as slope's conventions give it: min_norm (PyTorch's choice) 0, right 1
  const T zero = static_cast<T>(relu_slope_at_zero(Convention::min_norm));
  const T one = static_cast<T>(relu_slope_at_zero(Convention::right));
  const T rate = static_cast<T>(o.rate);
  ReluNet<T> net(s);
  std::vector<T> x(lab.pixels.size()), p0(lab.initial.size());
  std::transform(lab.pixels.begin(), lab.pixels.end(), x.begin(),
                 [](double v) { return static_cast<T>(v); });
  std::transform(lab.initial.begin(), lab.initial.end(), p0.begin(),
                 [](double v) { return static_cast<T>(v); });
  std::vector<T> p1 = p0, g0(p0.size()), g1(p0.size()), bx;
  const std::vector<std::uint32_t> labels(lab.labels.begin(), lab.labels.end());
  std::vector<std::uint32_t> by;
  const std::size_t n = labels.size(), batch = static_cast<std::size_t>(o.batch);

  ReluZeroRun run;
  run.precision = precision;
  run.batches = (n + batch - 1) / batch;
  run.pre_activations = static_cast<std::uint64_t>(n) * (s.h1 + s.h2);
  run.loss_zero.push_back(mean_loss(net, p0, x, labels));
  run.loss_one.push_back(mean_loss(net, p1, x, labels));
  SplitMix shuffle(o.seed ^ 0xBA7C4ULL);  // the same batches for every run
  std::vector<std::size_t> order(n);
  std::iota(order.begin(), order.end(), std::size_t{0});
  for (int epoch = 1; epoch <= o.epochs; ++epoch) {
    for (std::size_t i = n; i > 1; --i) std::swap(order[i - 1], order[shuffle.below(i)]);
    std::size_t differing = 0;
    std::uint64_t hits = 0;
    for (std::size_t from = 0; from < n; from += batch) {
      const std::size_t to = std::min(n, from + batch);
      bx.clear();
      by.clear();
      for (std::size_t k = from; k < to; ++k) {
        const auto row = x.begin() + static_cast<std::ptrdiff_t>(order[k] * s.in);
        bx.insert(bx.end(), row, row + static_cast<std::ptrdiff_t>(s.in));
        by.push_back(labels[order[k]]);
      }
      std::uint64_t batch_hits = 0;
      net.forward(p0, bx, by, batch_hits);
      net.backward(p0, zero, g0);
      // relu'(0) enters the backward sweep only where a pre-activation is exactly 0: with no
      // such hit the sweep with relu'(0) = 1 does the same operations on the same values.
      if (batch_hits > 0) {
        net.backward(p0, one, g1);
        differing += std::memcmp(g0.data(), g1.data(), g0.size() * sizeof(T)) != 0;
      }
      hits += batch_hits;
      sgd_step(p0, g0, rate);
      std::uint64_t ignored = 0;
      net.forward(p1, bx, by, ignored);
      net.backward(p1, one, g1);
      sgd_step(p1, g1, rate);
    }
    run.differing.push_back(differing);
    run.kink_hits.push_back(hits);
    run.loss_zero.push_back(mean_loss(net, p0, x, labels));
    run.loss_one.push_back(mean_loss(net, p1, x, labels));
  }
  run.final_zero = as_doubles(p0);
  run.final_one = as_doubles(p1);
  return run;
}

#ifdef SLOPE_HAS_FLOAT16
#if defined(__GNUC__) && defined(__x86_64__) && !defined(__F16C__)
// Without F16C, GCC rounds every _Float16 operation through libgcc calls, some 30 times slower.
// The same training compiled for F16C (flatten: everything it calls inlined into it, so no
// F16C code escapes into functions other callers use), run when the processor has it. Both
// round each operation to _Float16 exactly alike (through float, which is exact here: 24 bits
// are at least 2 * 11 + 2), so the results are the same bits.
[[gnu::target("f16c"), gnu::flatten]] ReluZeroRun train_float16_f16c(const ReluZeroLab& lab) {
  return train<_Float16>(lab, Precision::float16);
}
#define SLOPE_F16C_DISPATCH 1
#endif

ReluZeroRun train_float16(const ReluZeroLab& lab) {
#ifdef SLOPE_F16C_DISPATCH
  if (__builtin_cpu_supports("f16c")) return train_float16_f16c(lab);
#endif
  return train<_Float16>(lab, Precision::float16);
}
#endif

void check(const ReluZeroOptions& o) {
  auto refuse = [](const std::string& what) {
    throw std::invalid_argument("slope::run_relu_zero_lab: " + what);
  };
  auto range = [&](const char* name, int v, int lo, int hi) {
    if (v < lo || v > hi) refuse(fmt::format("{} is {}, not {} .. {}", name, v, lo, hi));
  };
  range("inputs", o.inputs, 1, 64);
  range("hidden", o.hidden, 1, 512);
  range("classes", o.classes, 2, 64);
  range("samples", o.samples, 1, 100000);
  range("batch", o.batch, 1, o.samples);
  range("epochs", o.epochs, 0, 1000);
  if (!(o.rate > 0) || !std::isfinite(o.rate))
    refuse(fmt::format("rate is {}, not a finite number > 0", o.rate));
}

}  // namespace

ReluZeroLab run_relu_zero_lab(const ReluZeroOptions& options) {
  check(options);
  ReluZeroLab lab;
  lab.options = options;
  const auto in = static_cast<std::size_t>(options.inputs);
  const auto classes = static_cast<std::size_t>(options.classes);
  // Each class is a prototype image with pixels in [-1, 1); an example is its class's
  // prototype plus noise, clipped to [0, 1] and quantised to k/255 as 8-bit images are: the
  // pixels below 0 (about half) are exactly 0.
  SplitMix rng(options.seed);
  std::vector<double> prototype(classes * in);
  for (double& v : prototype) v = rng.symmetric();
  for (int j = 0; j < options.samples; ++j) {
    const std::size_t c = rng.below(classes);
    lab.labels.push_back(static_cast<int>(c));
    for (std::size_t i = 0; i < in; ++i) {
      const double v = std::clamp(prototype[c * in + i] + 0.5 * rng.symmetric(), 0.0, 1.0);
      lab.pixels.push_back(std::round(v * 255) / 255);
    }
  }
  // PyTorch's default for a linear layer: weights and biases uniform in +-1/sqrt(fan-in).
  const NetSizes s = sizes_of(options);
  lab.initial.assign(s.size(), 0.0);
  SplitMix init(options.seed ^ 0x5EED5EEDULL);
  auto fill = [&](std::size_t from, std::size_t count, std::size_t fan_in) {
    const double bound = 1 / std::sqrt(static_cast<double>(fan_in));
    for (std::size_t i = 0; i < count; ++i) lab.initial[from + i] = bound * init.symmetric();
  };
  fill(s.w1(), s.in * s.h1, s.in);
  fill(s.b1(), s.h1, s.in);
  fill(s.w2(), s.h1 * s.h2, s.h1);
  fill(s.b2(), s.h2, s.h1);
  fill(s.w3(), s.h2 * s.out, s.h2);
  fill(s.b3(), s.out, s.h2);
#ifdef SLOPE_HAS_FLOAT16
  lab.runs.push_back(train_float16(lab));
#endif
  lab.runs.push_back(train<float>(lab, Precision::float32));
  lab.runs.push_back(train<double>(lab, Precision::float64));
  return lab;
}

std::string relu_zero_table(const ReluZeroLab& lab) {
  const ReluZeroOptions& o = lab.options;
  const auto zeros =
      static_cast<std::size_t>(std::count(lab.pixels.begin(), lab.pixels.end(), 0.0));
  const double zero_share = lab.pixels.empty() ? 0.0
                                               : 100.0 * static_cast<double>(zeros) /
                                                     static_cast<double>(lab.pixels.size());
  // (each epoch's last batch holds what is left when the batch size does not divide the set)
  const int left = o.samples % o.batch;
  const std::string batches =
      left == 0 ? fmt::format("batches of {}", o.batch)
                : fmt::format("batches of {} (the last of each epoch {})", o.batch, left);
  std::string s = fmt::format(
      "relu'(0) = 0 or 1? A {0}-{1}-{1}-{2} relu network trained by plain SGD (learning rate {3}) "
      "on\n{4} examples in {5} for {6} epoch{9}, seed {7}; {8:.0f}% of the input "
      "pixels are exactly 0.\nIn each precision both choices start from the same weights, and "
      "every operation is done in it.\n",
      o.inputs, o.hidden, o.classes, o.rate, o.samples, batches, o.epochs, o.seed, zero_share,
      o.epochs == 1 ? "" : "s");
  const std::uint64_t per_epoch = lab.runs.empty() ? 0 : lab.runs.front().pre_activations;
  s += fmt::format(
      "differing: mini-batches whose gradient with relu'(0) = 1 differs in any bit from the one "
      "with\nrelu'(0) = 0 (same weights, same batch, along the relu'(0) = 0 run); kink hits: "
      "hidden\npre-activations exactly 0, of {} per epoch; loss: mean cross-entropy on the "
      "training set\n\n",
      per_epoch);
  s += fmt::format("{:<9}  {:>21}  {:>13}  {:>9}  {:>16}  {:>16}\n", "precision",
                   "differing batches", "hits/epoch", "hits/1e6", "loss relu'(0)=0",
                   "loss relu'(0)=1");
  for (const ReluZeroRun& r : lab.runs) {
    const double epochs = std::max(1.0, static_cast<double>(r.kink_hits.size()));
    const double hits = static_cast<double>(r.kink_hits_total());
    const double per_million =
        r.pre_activations == 0 ? 0.0 : hits / epochs / static_cast<double>(r.pre_activations) * 1e6;
    s += fmt::format("{:<9}  {:>5} of {:<5} {:>6.1f}%  {:>13.1f}  {:>9.3f}  {:>16.4f}  {:>16.4f}\n",
                     to_string(r.precision), r.differing_total(), r.batches * r.differing.size(),
                     100 * r.differing_fraction(), hits / epochs, per_million, r.loss_zero.back(),
                     r.loss_one.back());
  }
  return s;
}

namespace {

const char* colour_of(Precision p) {
  switch (p) {
    case Precision::float16:
      return "#d62728";
    case Precision::float32:
      return "#1f77b4";
    case Precision::float64:
      return "#2ca02c";
  }
  return "#000";
}

}  // namespace

std::string relu_zero_svg(const ReluZeroLab& lab) {
  learn::EpochChart chart{"relu'(0) = 0 or 1: training loss and differing mini-batches per epoch",
                          std::max(lab.options.epochs, 1),
                          {{"training loss (solid: relu'(0) = 0, dashed: relu'(0) = 1)", 0, 0, {}},
                           {"mini-batches whose gradient differs (fraction)", 0, 1, {}}},
                          {}};
  learn::EpochPanel& loss = chart.panels[0];
  learn::EpochPanel& differ = chart.panels[1];
  std::vector<std::vector<double>> losses;
  for (std::size_t k = 0; k < lab.runs.size(); ++k) {
    const ReluZeroRun& r = lab.runs[k];
    const std::string colour = colour_of(r.precision);
    // widest first: float32 and float64 often coincide (no differing batch, the same losses)
    const double width = 2.0 + 2.0 * static_cast<double>(lab.runs.size() - 1 - k);
    loss.series.push_back({r.loss_zero, colour, false, 0, width});
    loss.series.push_back({r.loss_one, colour, true, 0, width});
    losses.push_back(r.loss_zero);
    losses.push_back(r.loss_one);
    std::vector<double> fraction;
    for (const std::size_t d : r.differing)
      fraction.push_back(r.batches == 0 ? 0.0
                                        : static_cast<double>(d) / static_cast<double>(r.batches));
    differ.series.push_back({std::move(fraction), colour, false, 1, width});  // epoch 1 first
    chart.legend.push_back({std::string(to_string(r.precision)), colour});
  }
  loss.hi = learn::axis_top(losses);
  return learn::epoch_chart_svg(chart);
}

}  // namespace slope
