// SPDX-License-Identifier: MIT
// slope plot: an SVG of one or more functions f (solid) and f' (dashed, in a panel below), every
// kink and jump marked.
#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <iostream>
#include <slope/slope.hpp>

#include "cli/commands.hpp"
#include "cli/io.hpp"
#include "cli/limits.hpp"
#include "cli/options.hpp"

namespace slope::cli {

namespace {

struct PlotCommandOptions {
  std::vector<std::string> exprs;
  std::string file;
  std::string wrt, at, out, title;
  double from = -2, to = 2;
  int samples = 400;
  CLI::Option* samples_option = nullptr;
  /// --points alone: markers; --points N: the older spelling of --samples N
  std::string points;
  CLI::Option* points_option = nullptr;
  bool no_derivative = false, color_by_slope = false;
  Convention convention = Convention::min_norm;
};

bool is_count(const std::string& s) {
  return !s.empty() && s.size() <= 9 &&
         std::all_of(s.begin(), s.end(), [](char c) { return c >= '0' && c <= '9'; });
}

/// The functions, and the text each was read from (for check_at_names) in *texts.
std::vector<Expr> read_functions(const PlotCommandOptions& o, std::vector<std::string>* texts) {
  std::vector<std::string> exprs = o.exprs;
  // `--points relu(x)`: CLI11 took the expression as --points' value
  if (o.points_option->count() > 0 && !o.points.empty() && !is_count(o.points))
    exprs.insert(exprs.begin(), o.points);
  if (std::count(exprs.begin(), exprs.end(), "-") > 1)
    throw UsageError("standard input (-) can be read only once");
  texts->emplace_back();
  if (exprs.size() <= 1)
    return {read_expression({exprs.empty() ? "" : exprs.front(), o.file}, &texts->back())};
  texts->clear();
  if (!o.file.empty())
    throw UsageError(
        fmt::format("give the expressions or --file, not both (got {} expressions "
                    "and --file {})",
                    exprs.size(), o.file));
  std::vector<Expr> fs;
  for (std::size_t i = 0; i < exprs.size(); ++i) {
    try {
      texts->emplace_back();
      fs.push_back(read_expression({exprs[i], ""}, &texts->back()));
    } catch (const UsageError&) {
      throw;
    } catch (const Error& e) {
      throw Error(fmt::format("expression {} ('{}'): {}", i + 1,
                              exprs[i].size() > 60 ? exprs[i].substr(0, 57) + "..." : exprs[i],
                              e.what()));
    }
  }
  return fs;
}

std::string run(const PlotCommandOptions& o) {
  std::vector<std::string> texts;
  const std::vector<Expr> fs = read_functions(o, &texts);
  PlotOptions p;
  if (!o.wrt.empty()) {
    for (const Expr& f : fs) p.x = variable_to_differentiate(f, o.wrt);
  } else {
    p.x = variable_to_differentiate(fs.front(), "");
    for (const Expr& f : fs)
      if (const std::string x = variable_to_differentiate(f, ""); x != p.x) {
        const auto vars = variables(f);
        if (std::find(vars.begin(), vars.end(), p.x) == vars.end() && !vars.empty())
          throw UsageError(
              fmt::format("the functions vary in different variables ({} and {}); "
                          "choose the horizontal axis with --wrt",
                          p.x, x));
      }
  }
  p.from = o.from;
  p.to = o.to;
  p.convention = o.convention;
  p.derivative = !o.no_derivative;
  p.color_by_slope = o.color_by_slope;
  p.title = o.title;
  if (!o.at.empty()) p.others = parse_at(o.at);
  check_at_names(names_of(p.others), fs, texts, p.x, "the horizontal axis");
  if (!(o.to > o.from)) throw UsageError("--to must be greater than --from");
  if (!std::isfinite(o.to - o.from))
    throw UsageError("the range --from .. --to is too wide: its width overflows a double");
  if (o.to - o.from < limits::plot_min_relative_span * std::max(std::abs(o.from), std::abs(o.to)))
    throw UsageError(fmt::format(
        "the range --from {} --to {} is too narrow to plot (its width must be at least {} of "
        "the larger end)",
        format_number(o.from), format_number(o.to), limits::plot_min_relative_span));

  p.points = o.samples;
  std::string samples_name = "--samples";
  if (o.points_option->count() > 0 && is_count(o.points)) {
    if (o.samples_option->count() > 0)
      throw UsageError("give --samples N or --points N (its older spelling), not both");
    p.points = std::stoi(o.points);
    samples_name = "--points";
    std::cerr << "note: --points " << o.points << " sets the number of samples (the older "
              << "spelling of --samples " << o.points
              << "); --points alone marks the grid points\n";
  } else if (o.points_option->count() > 0 && o.points.empty()) {
    p.markers = true;
  } else if (o.points_option->count() > 0) {
    p.markers = true;  // its value was the expression
  }
  if (p.points < 2 || p.points > limits::plot_points)
    throw UsageError(fmt::format("{} must be between 2 and {}", samples_name, limits::plot_points));
  if (o.color_by_slope && fs.size() > 1)
    throw UsageError(fmt::format(
        "--color-by-slope colours one function by its slope; got {} functions (plot them "
        "one at a time, or drop --color-by-slope)",
        fs.size()));
  return plot_svg(fs, p);
}

}  // namespace

void setup_plot(CLI::App& app) {
  auto o = std::make_shared<PlotCommandOptions>();
  CLI::App* cmd = app.add_subcommand(
      "plot", "an SVG of f (solid) and f' (dashed, below), every kink and jump marked");
  cmd->add_option("expr", o->exprs,
                  "the expression (it may start with -, like \"-x^2\"), or - to read it from "
                  "standard input; several expressions are drawn in one plot, each in its own "
                  "colour");
  cmd->add_option("--file", o->file, "read definitions and the expression from a file");
  add_wrt(*cmd, o->wrt, "the variable on the horizontal axis");
  add_finite(*cmd, "--from", o->from, "left end (default -2)");
  add_finite(*cmd, "--to", o->to, "right end (default 2)");
  o->samples_option = cmd->add_option("--samples", o->samples,
                                      "samples across the range (default 400; kinks are added)");
  o->points_option =
      cmd->add_option("--points", o->points,
                      "mark each curve at the x grid lines; --points N is the older spelling of "
                      "--samples N")
          ->expected(0, 1)
          ->type_name("[N]");
  cmd->add_flag("--no-derivative", o->no_derivative, "draw f only, without the panel of f'");
  cmd->add_flag("--color-by-slope", o->color_by_slope,
                "colour f and the regions under it by the value of f' (one function)");
  cmd->add_option("--title", o->title, "the title (default: the functions)");
  cmd->add_option("--at", o->at, "values of the other variables");
  add_convention(*cmd, o->convention);
  add_out(*cmd, o->out, true);
  cmd->callback([o] {
    write_output(o->out, run(*o), {o->exprs.empty() ? "" : o->exprs.front(), o->file});
    if (o->out != "-") write_stdout("wrote " + o->out + "\n");
  });
}

}  // namespace slope::cli
