// SPDX-License-Identifier: MIT
// slope lab dying-relu: three small networks trained by SGD, their dead hidden units per epoch
// (src/learn/dying_relu.cpp does the work; examples/08_dying_relu.cpp runs the same lab).
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

void run_dying_relu(const LabOptions& o) {
  if (o.lab.epochs < 1 || o.lab.epochs > 200)
    throw UsageError(fmt::format("--epochs is {}; give 1 .. 200", o.lab.epochs));
  const DyingReluLab lab = run_dying_relu_lab(o.lab);
  if (o.out == "-") return write_stdout(dying_relu_svg(lab));
  std::string text = dying_relu_table(lab);
  if (!o.out.empty()) {
    write_output(o.out, dying_relu_svg(lab));
    text += "wrote " + o.out + "\n";
  }
  write_stdout(text);
}

}  // namespace

void setup_lab(CLI::App& app) {
  CLI::App* lab =
      app.add_subcommand("lab", "experiments that show an idea at work: slope lab dying-relu");
  lab->require_subcommand(0, 1);
  lab->callback([lab] {
    if (lab->get_subcommands().empty())
      throw UsageError("lab needs an experiment: slope lab dying-relu");
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
}

}  // namespace slope::cli
