// SPDX-License-Identifier: MIT
// The dying-ReLU lab (include/slope/dying_relu.hpp): three 2-h-h-1 networks trained by plain
// mini-batch SGD through the recording tape; after each epoch the network is recorded once
// more with the inputs as tape inputs, and its kink sides over the training set say which
// hidden units are dead.
#include "slope/dying_relu.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <numeric>
#include <stdexcept>

#include "learn/epoch_chart.hpp"
#include "learn/splitmix.hpp"
#include "slope/record.hpp"

namespace slope {

DeadUnits dead_units(std::span<const KinkSides> sides) {
  DeadUnits d;
  for (const KinkSides& k : sides) {
    if (k.op != Op::Relu && k.op != Op::LeakyRelu && k.op != Op::Prelu) continue;
    ++d.units;
    if (k.points() == 0) continue;
    const bool never_above = k.above == 0;
    d.never_above += never_above;
    d.dead += k.op == Op::Relu ? never_above && k.nan == 0 : k.at == k.points();
  }
  return d;
}

namespace {

using learn::SplitMix;

/// Where each block of the flat parameter vector starts (the layout dying_relu.hpp documents).
struct Layout {
  std::size_t h, w1 = 0, b1, w2, b2, w3, b3, size;
  explicit Layout(std::size_t hidden)
      : h(hidden), b1(2 * h), w2(b1 + h), b2(w2 + h * h), w3(b2 + h), b3(w3 + h), size(b3 + 1) {}
};

struct Run {
  Activation activation;
  double rate, bias;
};

/// The network's output, recorded: parameters and inputs are Vars on one tape (constants or
/// tape inputs, as the caller chose).
Var network(const Layout& l, std::span<const Var> p, const Var& x1, const Var& x2, Activation a,
            double alpha) {
  auto act = [&](const Var& z) { return a == Activation::relu ? relu(z) : leaky_relu(z, alpha); };
  std::vector<Var> h1, h2;
  h1.reserve(l.h);
  h2.reserve(l.h);
  for (std::size_t j = 0; j < l.h; ++j)
    h1.push_back(act(p[l.b1 + j] + p[l.w1 + 2 * j] * x1 + p[l.w1 + 2 * j + 1] * x2));
  for (std::size_t j = 0; j < l.h; ++j) {
    Var z = p[l.b2 + j];
    for (std::size_t i = 0; i < l.h; ++i) z += p[l.w2 + j * l.h + i] * h1[i];
    h2.push_back(act(z));
  }
  Var y = p[l.b3];
  for (std::size_t i = 0; i < l.h; ++i) y += p[l.w3 + i] * h2[i];
  return y;
}

/// He-style uniform weights (the same for every run); hidden biases `bias`, output bias 0.
std::vector<double> initial_parameters(const Layout& l, std::uint64_t seed, double bias) {
  SplitMix rng(seed ^ 0x5EED5EEDULL);
  std::vector<double> p(l.size, 0.0);
  auto fill = [&](std::size_t from, std::size_t count, double scale) {
    for (std::size_t i = 0; i < count; ++i) p[from + i] = scale * rng.symmetric();
  };
  const auto h = static_cast<double>(l.h);
  fill(l.w1, 2 * l.h, std::sqrt(6.0 / 2));
  fill(l.w2, l.h * l.h, std::sqrt(6.0 / h));
  fill(l.w3, l.h, std::sqrt(3.0 / h));
  std::fill_n(p.begin() + static_cast<std::ptrdiff_t>(l.b1), l.h, bias);
  std::fill_n(p.begin() + static_cast<std::ptrdiff_t>(l.b2), l.h, bias);
  return p;
}

/// Loss and dead units of the network over the training set, from one recording of it with the
/// inputs as tape inputs and the parameters as constants.
void measure(const Layout& l, const std::vector<double>& params, const DyingReluLab& lab,
             Activation a, DyingReluRun& run) {
  Tape t;
  const Var x1 = tape_input(t, "x1", 0), x2 = tape_input(t, "x2", 0);
  std::vector<Var> p;
  p.reserve(params.size());
  for (const double v : params) p.push_back(Var::of_new_instruction(t, t.push_constant(v)));
  t.mark_output(network(l, p, x1, x2, a, lab.options.alpha).index());
  const std::vector<std::span<const double>> inputs{lab.x1, lab.x2};
  std::vector<double> y(lab.x1.size());
  const std::span<double> out(y);
  t.forward_batch(inputs, std::span(&out, 1));
  double sum = 0;
  for (std::size_t j = 0; j < y.size(); ++j) sum += (y[j] - lab.target[j]) * (y[j] - lab.target[j]);
  run.loss.push_back(sum / static_cast<double>(y.size()));
  run.dead.push_back(dead_units(t.kink_sides(inputs)));
  run.parameters.push_back(params);
}

DyingReluRun train(const DyingReluLab& lab, const Layout& l, const Run& r, std::string name) {
  const DyingReluOptions& o = lab.options;
  DyingReluRun run;
  run.name = std::move(name);
  run.activation = r.activation;
  run.rate = r.rate;
  run.bias = r.bias;
  std::vector<double> params = initial_parameters(l, o.seed, r.bias);
  measure(l, params, lab, r.activation, run);
  SplitMix shuffle(o.seed ^ 0xBA7C4ULL);  // the same batches for every run
  std::vector<std::size_t> order(lab.x1.size());
  std::iota(order.begin(), order.end(), std::size_t{0});
  Tape tape;
  std::vector<Var> p;
  const auto batch = static_cast<std::size_t>(o.batch);
  for (int epoch = 1; epoch <= o.epochs; ++epoch) {
    for (std::size_t i = order.size(); i > 1; --i) std::swap(order[i - 1], order[shuffle.below(i)]);
    for (std::size_t from = 0; from < order.size(); from += batch) {
      const std::size_t to = std::min(order.size(), from + batch);
      tape.clear();  // re-recorded each step; the tape keeps its memory
      p.clear();
      tape_inputs(tape, params, p);
      Var loss = p[0].constant(0);
      for (std::size_t k = from; k < to; ++k) {
        const std::size_t j = order[k];
        const Var y = network(l, p, p[0].constant(lab.x1[j]), p[0].constant(lab.x2[j]),
                              r.activation, o.alpha);
        const Var e = y - lab.target[j];
        loss += e * e;
      }
      backward(loss);  // the batch's mean below: the step is rate / count times the sum's slope
      const double step = r.rate / static_cast<double>(to - from);
      for (std::size_t i = 0; i < params.size(); ++i) params[i] -= step * p[i].grad();
    }
    measure(l, params, lab, r.activation, run);
  }
  return run;
}

void check(const DyingReluOptions& o) {
  auto refuse = [](const std::string& what) {
    throw std::invalid_argument("slope::run_dying_relu_lab: " + what);
  };
  if (o.hidden < 1 || o.hidden > 256) refuse(fmt::format("hidden is {}, not 1 .. 256", o.hidden));
  if (o.samples < 1 || o.samples > 100000)
    refuse(fmt::format("samples is {}, not 1 .. 100000", o.samples));
  if (o.batch < 1 || o.batch > o.samples)
    refuse(fmt::format("batch is {}, not 1 .. samples ({})", o.batch, o.samples));
  if (o.epochs < 0 || o.epochs > 1000) refuse(fmt::format("epochs is {}, not 0 .. 1000", o.epochs));
  for (const double rate : {o.sane_rate, o.bad_rate})
    if (!(rate > 0) || !std::isfinite(rate))
      refuse(fmt::format("a learning rate is {}, not a finite number > 0", rate));
  if (!std::isfinite(o.bad_bias)) refuse("bad_bias is not finite");
  if (!(o.alpha > 0 && o.alpha < 1)) refuse(fmt::format("alpha is {}, not in (0, 1)", o.alpha));
}

}  // namespace

DyingReluLab run_dying_relu_lab(const DyingReluOptions& options) {
  check(options);
  DyingReluLab lab;
  lab.options = options;
  SplitMix rng(options.seed);
  for (int j = 0; j < options.samples; ++j) {
    const double x1 = rng.symmetric(), x2 = rng.symmetric();
    lab.x1.push_back(x1);
    lab.x2.push_back(x2);
    lab.target.push_back(std::sin(2 * x1) * std::cos(2 * x2));
  }
  const Layout l(static_cast<std::size_t>(options.hidden));
  lab.runs.push_back(train(lab, l, {Activation::relu, options.sane_rate, 0.0}, "relu, sane"));
  lab.runs.push_back(
      train(lab, l, {Activation::relu, options.bad_rate, options.bad_bias}, "relu, bad"));
  lab.runs.push_back(train(lab, l, {Activation::leaky_relu, options.bad_rate, options.bad_bias},
                           "leaky_relu, bad"));
  return lab;
}

namespace {

/// Hidden units whose incoming weights and bias SGD left exactly unchanged during `epoch`
/// (from the stored parameters): the units that stopped learning, measured the same way for
/// every activation.
std::size_t frozen_units(const DyingReluRun& r, std::size_t hidden, std::size_t epoch) {
  const Layout l(hidden);
  const std::vector<double>&before = r.parameters[epoch - 1], &after = r.parameters[epoch];
  auto same = [&](std::size_t i) { return before[i] == after[i]; };
  std::size_t n = 0;
  for (std::size_t j = 0; j < l.h; ++j)
    n += same(l.b1 + j) && same(l.w1 + 2 * j) && same(l.w1 + 2 * j + 1);
  for (std::size_t j = 0; j < l.h; ++j) {
    bool all = same(l.b2 + j);
    for (std::size_t i = 0; i < l.h && all; ++i) all = same(l.w2 + j * l.h + i);
    n += all;
  }
  return n;
}

std::string describe(const DyingReluRun& r, double alpha) {
  std::string s =
      fmt::format("{}: learning rate {}, hidden biases start at {}", r.name, r.rate, r.bias);
  if (r.activation == Activation::leaky_relu) s += fmt::format(", alpha {}", alpha);
  return s;
}

}  // namespace

std::string dying_relu_table(const DyingReluLab& lab) {
  const DyingReluOptions& o = lab.options;
  std::string s = fmt::format(
      "Dying ReLU: a 2-{0}-{0}-1 network fitting sin(2 x1) cos(2 x2) on {1} points, plain SGD "
      "in batches of {2}, seed {3}\n",
      o.hidden, o.samples, o.batch, o.seed);
  for (const DyingReluRun& r : lab.runs) s += "  " + describe(r, o.alpha) + "\n";
  s += fmt::format(
      "loss: mean squared error on the training points; of the {} hidden units, dead: output 0 "
      "at\nevery training point; inactive: no training point above the kink (pre-activation "
      "<= 0 at all)\n\n",
      2 * o.hidden);
  s += "epoch";
  for (const DyingReluRun& r : lab.runs) s += fmt::format("  {:>24}", r.name);
  s += "\n     ";
  for (std::size_t k = 0; k < lab.runs.size(); ++k)
    s += fmt::format("  {:>7} {:>6} {:>9}", "loss", "dead", "inactive");
  s += "\n";
  for (std::size_t e = 0; e <= static_cast<std::size_t>(o.epochs); ++e) {
    s += fmt::format("{:>5}", e);
    for (const DyingReluRun& r : lab.runs)
      s += fmt::format("  {:>7.4f} {:>6.3f} {:>9.3f}", r.loss[e], r.dead[e].fraction(),
                       r.dead[e].never_above_fraction());
    s += "\n";
  }
  if (lab.runs.size() == 3 && o.epochs > 0) {
    const DyingReluRun &sane = lab.runs[0], &bad = lab.runs[1], &leaky = lab.runs[2];
    const DeadUnits &r = bad.dead.back(), &l = leaky.dead.back();
    const auto h = static_cast<std::size_t>(o.hidden), last = static_cast<std::size_t>(o.epochs);
    s += fmt::format("\n{}: loss {:.4f} -> {:.4f}\n", sane.name, sane.loss.front(),
                     sane.loss.back());
    const std::string head =
        fmt::format("bad setting after {} epochs (of {} hidden units)", o.epochs, r.units);
    const std::string frozen = fmt::format("frozen: weights and bias unchanged in epoch {}", last);
    const std::size_t w = std::max(head.size(), frozen.size() + 2);
    s += fmt::format("{:<{}}  {:>5}  {:>10}\n", head, w, "relu", "leaky_relu");
    s += fmt::format("  {:<{}}  {:>5}  {:>10}\n", "inactive: no point above the kink", w - 2,
                     r.never_above, l.never_above);
    s += fmt::format("  {:<{}}  {:>5}  {:>10}\n", "dead: output 0 at every point", w - 2, r.dead,
                     l.dead);
    s += fmt::format("  {:<{}}  {:>5}  {:>10}\n", frozen, w - 2, frozen_units(bad, h, last),
                     frozen_units(leaky, h, last));
    s += fmt::format(
        "Below its kink a relu unit has slope 0, a leaky_relu unit slope {}: inactive leaky units "
        "still\nlearn. Loss in the bad setting: leaky_relu {:.4f} -> {:.4f}, relu {:.4f} -> "
        "{:.4f}\n",
        o.alpha, leaky.loss.front(), leaky.loss.back(), bad.loss.front(), bad.loss.back());
  }
  return s;
}

std::string dying_relu_svg(const DyingReluLab& lab) {
  learn::EpochChart chart{
      "Dying ReLU: loss and dead hidden units per epoch",
      lab.options.epochs,
      {{"loss (mean squared error)", 0, 1, {}}, {"dead hidden units (fraction)", 0, 1, {}}},
      {}};
  std::vector<std::vector<double>> losses;
  for (std::size_t k = 0; k < lab.runs.size(); ++k) {
    const DyingReluRun& r = lab.runs[k];
    const std::string colour = learn::line_colour(k);
    std::vector<double> dead;
    for (const DeadUnits& d : r.dead) dead.push_back(d.fraction());
    chart.panels[0].series.push_back({r.loss, colour});
    chart.panels[1].series.push_back({std::move(dead), colour});
    chart.legend.push_back({r.name, colour});
    losses.push_back(r.loss);
  }
  chart.panels[0].hi = learn::axis_top(losses);
  return learn::epoch_chart_svg(chart);
}

}  // namespace slope
