// slope eval: the value at a point.
#include <cmath>
#include <iostream>
#include <slope/slope.hpp>

#include "cli/commands.hpp"
#include "cli/io.hpp"
#include "cli/options.hpp"

namespace slope::cli {

namespace {

struct EvalOptions {
  InputOptions input;
  std::string at, out = "-";
};

std::string run(const EvalOptions& o) {
  const Expr f = read_expression(o.input);
  const double v = eval(f, o.at.empty() ? Env{} : parse_at(o.at));
  if (!std::isfinite(v))
    std::cerr << "warning: the value is " << (std::isnan(v) ? "undefined (NaN)" : "infinite")
              << "\n";
  return format_number(v) + "\n";
}

}  // namespace

void setup_eval(CLI::App& app) {
  auto o = std::make_shared<EvalOptions>();
  CLI::App* cmd = app.add_subcommand("eval", "the value at a point");
  add_input(*cmd, o->input);
  cmd->add_option("--at", o->at, "variable values, like x=1.5,w=2");
  add_out(*cmd, o->out);
  cmd->callback([o] { write_output(o->out, run(*o), o->input); });
}

}  // namespace slope::cli
