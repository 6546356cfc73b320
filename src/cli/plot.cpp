// slope plot: an SVG of f (solid) and f' (dashed) with the kinks marked.
#include <fmt/format.h>

#include <cmath>
#include <slope/slope.hpp>

#include "cli/commands.hpp"
#include "cli/io.hpp"
#include "cli/limits.hpp"
#include "cli/options.hpp"

namespace slope::cli {

namespace {

struct PlotCommandOptions {
  InputOptions input;
  std::string wrt, at, out;
  double from = -2, to = 2;
  int points = 400;
  Convention convention = Convention::min_norm;
};

std::string run(const PlotCommandOptions& o) {
  const Expr f = read_expression(o.input);
  PlotOptions p;
  p.x = variable_to_differentiate(f, o.wrt);
  p.from = o.from;
  p.to = o.to;
  p.points = o.points;
  p.convention = o.convention;
  if (!o.at.empty()) p.others = parse_at(o.at);
  if (!(o.to > o.from)) throw UsageError("--to must be greater than --from");
  if (!std::isfinite(o.to - o.from))
    throw UsageError("the range --from .. --to is too wide: its width overflows a double");
  if (o.points < 2 || o.points > limits::plot_points)
    throw UsageError(fmt::format("--points must be between 2 and {}", limits::plot_points));
  return plot_svg(f, p);
}

}  // namespace

void setup_plot(CLI::App& app) {
  auto o = std::make_shared<PlotCommandOptions>();
  CLI::App* cmd = app.add_subcommand("plot", "an SVG of f (solid) and f' (dashed), kinks marked");
  add_input(*cmd, o->input);
  add_wrt(*cmd, o->wrt, "the variable on the horizontal axis");
  add_finite(*cmd, "--from", o->from, "left end (default -2)");
  add_finite(*cmd, "--to", o->to, "right end (default 2)");
  cmd->add_option("--points", o->points, "samples (default 400)");
  cmd->add_option("--at", o->at, "values of the other variables");
  add_convention(*cmd, o->convention);
  add_out(*cmd, o->out, true);
  cmd->callback([o] {
    write_output(o->out, run(*o), o->input);
    if (o->out != "-") write_stdout("wrote " + o->out + "\n");
  });
}

}  // namespace slope::cli
