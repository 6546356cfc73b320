// SPDX-License-Identifier: MIT
// slope lab dying-relu: three small networks trained by SGD, their dead hidden units per epoch
// (src/learn/dying_relu.cpp does the work; examples/08_dying_relu.cpp runs the same lab).
// slope lab relu0: one network trained with relu'(0) = 0 and = 1 in float16, float32 and
// float64 (src/learn/relu_zero.cpp; examples/16_relu_zero.cpp).
#include <fmt/format.h>

#include <slope/slope.hpp>

#include "cli/commands.hpp"
#include "cli/io.hpp"
#include "cli/options.hpp"

namespace slope::cli {

namespace {

struct LabOptions {
  DyingReluOptions lab;
  std::string out;
};

struct ReluZeroLabOptions {
  ReluZeroOptions lab = defaults();
  std::string out;
  /// The command's network is smaller than the library's default: it runs in the docs' tests
  /// (docs/cli.md, docs/concepts.md) and under sanitizers, and float16 costs most of its time.
  static ReluZeroOptions defaults() {
    ReluZeroOptions o;
    o.hidden = 128;
    return o;
  }
};

/// The chart alone for "-", else the text, with the chart also written to `out` if given.
void write_lab(const std::string& out, std::string text, const std::string& svg) {
  if (out == "-") return write_stdout(svg);
  if (!out.empty()) {
    write_output(out, svg);
    text += "wrote " + out + "\n";
  }
  write_stdout(text);
}

void run_dying_relu(const LabOptions& o) {
  if (o.lab.epochs < 1 || o.lab.epochs > 200)
    throw UsageError(fmt::format("--epochs is {}; give 1 .. 200", o.lab.epochs));
  const DyingReluLab lab = run_dying_relu_lab(o.lab);
  write_lab(o.out, dying_relu_table(lab), dying_relu_svg(lab));
}

void run_relu_zero(const ReluZeroLabOptions& o) {
  if (o.lab.epochs < 1 || o.lab.epochs > 1000)
    throw UsageError(fmt::format("--epochs is {}; give 1 .. 1000", o.lab.epochs));
  if (o.lab.samples < o.lab.batch || o.lab.samples > 100000)
    throw UsageError(fmt::format("--samples is {}; give {} .. 100000", o.lab.samples, o.lab.batch));
  if (o.lab.hidden < 1 || o.lab.hidden > 512)
    throw UsageError(fmt::format("--hidden is {}; give 1 .. 512", o.lab.hidden));
  const ReluZeroLab lab = run_relu_zero_lab(o.lab);
  write_lab(o.out, relu_zero_table(lab), relu_zero_svg(lab));
}

}  // namespace

void setup_lab(CLI::App& app) {
  CLI::App* lab = app.add_subcommand(
      "lab", "experiments that show an idea at work: slope lab dying-relu, relu0");
  lab->require_subcommand(0, 1);
  lab->callback([lab] {
    if (lab->get_subcommands().empty())
      throw UsageError("lab needs an experiment: slope lab dying-relu or slope lab relu0");
  });
  auto o = std::make_shared<LabOptions>();
  CLI::App* cmd = lab->add_subcommand(
      "dying-relu",
      "train a 2-32-32-1 network three ways (relu sane, relu bad, leaky_relu bad) and count "
      "the dead hidden units per epoch");
  cmd->add_option("--epochs", o->lab.epochs,
                  fmt::format("epochs to train (default {})", o->lab.epochs));
  cmd->add_option("--seed", o->lab.seed,
                  fmt::format("data, weights and batches (default {})", o->lab.seed))
      ->check(whole_number());
  cmd->add_option(
      "--out", o->out,
      "also write an SVG chart of loss and dead units (- for standard output: the chart only)");
  cmd->callback([o] { run_dying_relu(*o); });

  auto z = std::make_shared<ReluZeroLabOptions>();
  CLI::App* relu0 = lab->add_subcommand(
      "relu0",
      fmt::format("train a {0}-{1}-{1}-{2} relu network with relu'(0) = 0 and = 1 in float16, "
                  "float32 and float64, and count the mini-batches whose gradient differs",
                  z->lab.inputs, z->lab.hidden, z->lab.classes));
  relu0->add_option("--epochs", z->lab.epochs,
                    fmt::format("epochs to train (default {})", z->lab.epochs));
  relu0->add_option("--hidden", z->lab.hidden,
                    fmt::format("units in each hidden layer (default {})", z->lab.hidden));
  relu0->add_option("--samples", z->lab.samples,
                    fmt::format("training examples (default {})", z->lab.samples));
  relu0
      ->add_option("--seed", z->lab.seed,
                   fmt::format("data, weights and batches (default {})", z->lab.seed))
      ->check(whole_number());
  relu0->add_option("--out", z->out,
                    "also write an SVG chart of loss and differing mini-batches (- for standard "
                    "output: the chart only)");
  relu0->callback([z] { run_relu_zero(*z); });
}

}  // namespace slope::cli
