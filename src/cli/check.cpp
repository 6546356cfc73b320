// SPDX-License-Identifier: MIT
// slope check: the tape's gradient at a point against f's exact one-sided slopes and one-sided
// differences; exit status 1 when a partial fails, so scripts can rely on it.
#include <slope/slope.hpp>

#include "cli/commands.hpp"
#include "cli/io.hpp"
#include "cli/options.hpp"

namespace slope::cli {

namespace {

struct CheckOptions {
  InputOptions input;
  std::string at, out = "-";
  Convention convention = Convention::min_norm;
  double h = 1e-6, tolerance = 1e-5;
};

}  // namespace

void setup_check(CLI::App& app) {
  auto o = std::make_shared<CheckOptions>();
  CLI::App* cmd = app.add_subcommand(
      "check", "check the tape's gradient at a point, knowing about kinks (exit 1 on a mismatch)");
  add_input(*cmd, o->input);
  cmd->add_option("--at", o->at, "variable values, like x=0,w=2");
  add_convention(*cmd, o->convention);
  add_finite(*cmd, "--h", o->h, "difference step (default 1e-6)");
  add_finite(*cmd, "--tolerance", o->tolerance, "relative tolerance (default 1e-5)");
  add_out(*cmd, o->out);
  cmd->callback([o] {
    if (!(o->h > 0)) throw UsageError("--h must be positive");
    if (!(o->tolerance >= 0)) throw UsageError("--tolerance must not be negative");
    std::string input;
    const Expr f = read_expression(o->input, &input);
    const Env at = o->at.empty() ? Env{} : parse_at(o->at);
    check_at_names(names_of(at), {f}, {input});
    const GradientCheck check = check_gradient(f, at, o->convention, o->h, o->tolerance);
    // The last line names the convention the tape's values at kinks follow, as grad's does.
    write_output(
        o->out,
        check.report() + "(convention at kinks: " + std::string(to_string(o->convention)) + ")\n",
        o->input);
    if (!check.ok()) throw CheckFailed();
  });
}

}  // namespace slope::cli
