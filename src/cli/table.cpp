// SPDX-License-Identifier: MIT
// slope table: x, f(x) and f'(x) on a grid or at listed points. The function is compiled to a tape
// once and each row is one forward and one reverse sweep, so a deep chain costs its size per row,
// not more.
#include <fmt/format.h>

#include <algorithm>
#include <array>
#include <cmath>
#include <slope/slope.hpp>

#include "cli/commands.hpp"
#include "cli/io.hpp"
#include "cli/limits.hpp"
#include "cli/options.hpp"

namespace slope::cli {

namespace {

struct TableOptions {
  InputOptions input;
  std::string wrt, at, points, out = "-";
  CLI::Option* points_option = nullptr;  // given, even as --points "" (an error, not the grid)
  double from = -4, to = 4, step = 1;
  bool csv = false;
  Convention convention = Convention::min_norm;
};

/// The fewest decimal places (up to 15) that write v exactly as a short decimal: 0.1 has 1.
int decimal_places(double v) {
  double p = 1;
  for (int k = 0; k <= 15; ++k, p *= 10)
    if (std::nearbyint(v * p) / p == v) return k;  // (a tolerance took 1e-320 for 0)
  return -1;
}

/// Row i's x: the decimal from + i*step rounded once, when from and step are short decimals
/// (0 + 7 * 0.1 is 0.7, where the kink of relu(x - 0.7) is), else from + i*step in doubles.
double row_x(double from, double step, std::size_t i) {
  const int k = std::max(decimal_places(from), decimal_places(step));
  if (decimal_places(from) >= 0 && decimal_places(step) >= 0) {
    const double p = std::pow(10.0, k), first = std::nearbyint(from * p),
                 stride = std::nearbyint(step * p), n = first + static_cast<double>(i) * stride;
    if (std::abs(n) < 0x1p53) return n / p;  // integers exact: one rounding, in the division
  }
  return from + static_cast<double>(i) * step;
}

/// What a row at x sits on, if anything: a kink, a jump, or an op on its kink where f is smooth.
std::string kink_mark(const std::vector<KinkPoint>& kinks, double x) {
  for (const KinkPoint& k : kinks)
    if (k.x == x) {
      if (!k.side.continuous) return fmt::format("<- {}", describe(k.side.discontinuity()));
      if (k.side.differentiable())
        return "<- an op on its kink, but f is smooth here: slope " + format_number(k.side.left);
      return "<- kink: slope " + format_number(k.side.left) + " from the left, " +
             format_number(k.side.right) + " from the right";
    }
  return "";
}

/// The rows' x: --points in the order given, else from, from + step, ... up to to.
std::vector<double> row_xs(const TableOptions& o) {
  if (o.points_option->count() > 0) return parse_values(o.points, "--points");
  if (!(o.step > 0)) throw UsageError("--step must be positive");
  if (o.to < o.from) throw UsageError("--to must not be less than --from");
  // Rows are from + i*step (never accumulated, and as decimals, so a kink at 0.7 is hit exactly).
  const double count = std::floor((o.to - o.from) / o.step + 1e-9) + 1;
  if (!(count <= static_cast<double>(limits::table_rows)))
    throw UsageError(fmt::format("that is more than {} rows (the limit); use a larger --step",
                                 limits::table_rows));
  std::vector<double> xs;
  for (std::size_t i = 0; i < static_cast<std::size_t>(count); ++i)
    xs.push_back(row_x(o.from, o.step, i));
  return xs;
}

std::string run(const TableOptions& o) {
  std::string input;
  const Expr f = read_expression(o.input, &input);
  const std::string x = variable_to_differentiate(f, o.wrt);
  const std::vector<double> xs = row_xs(o);
  Env env = o.at.empty() ? Env{} : parse_at(o.at);
  check_at_names(names_of(env), {f}, {input}, x, "the rows' variable");
  std::vector<std::string> inputs{x};
  std::vector<double> values{0.0};
  for (const std::string& v : variables(f)) {
    if (v == x) continue;
    const auto it = env.find(v);
    if (it == env.end()) throw UnboundVariable(v);
    inputs.push_back(v);
    values.push_back(it->second);
  }
  Tape tape = Tape::compile(f, inputs, o.convention);
  // Kinks on the span, to mark the rows on them (CSV has no marks).
  const Env& others = env;
  std::vector<KinkPoint> kinks;
  if (!o.csv) {
    const auto [lowest, highest] = std::minmax_element(xs.begin(), xs.end());
    kinks = find_kinks(f, x, others, *lowest, *highest);
  }
  std::vector<std::string> marks;
  std::vector<std::array<std::string, 3>> rows;
  for (const double row : xs) {
    values[0] = row;
    const double value = tape.forward(values)[0];
    tape.reverse();
    Env at = others;
    at[x] = row;
    // NaN where no op is on its kink yet f is smooth (undefined at a tie on a whole stretch):
    // f's own slope. At a kink, undefined op by op has no value.
    double slope = tape.gradient()[0];
    if (std::isnan(slope) && kinks_at(f, at, o.convention).empty())
      slope = defined_slope(f, x, at, slope);
    rows.push_back({format_number(values[0]), format_number(value), format_number(slope)});
    marks.push_back(kink_mark(kinks, values[0]));
  }
  // The derivative's column names the convention that decides its value at kinks.
  const std::array<std::string, 3> head{
      x, "f(" + x + ")", "f'(" + x + ") [" + std::string(to_string(o.convention)) + "]"};
  std::string text;
  if (o.csv) {
    text = head[0] + "," + head[1] + "," + head[2] + "\n";
    for (const auto& r : rows) text += r[0] + "," + r[1] + "," + r[2] + "\n";
    return text;
  }
  std::array<std::size_t, 3> width{};
  for (int k = 0; k < 3; ++k) {
    width[k] = head[k].size();
    for (const auto& r : rows) width[k] = std::max(width[k], r[k].size());
  }
  auto line = [&](const std::array<std::string, 3>& r, const std::string& mark) {
    text += fmt::format("{:>{}}  {:>{}}  {:>{}}", r[0], width[0], r[1], width[1], r[2], width[2]);
    text += mark.empty() ? "\n" : "  " + mark + "\n";
  };
  line(head, "");
  for (std::size_t i = 0; i < rows.size(); ++i) line(rows[i], marks[i]);
  return text;
}

}  // namespace

void setup_table(CLI::App& app) {
  auto o = std::make_shared<TableOptions>();
  CLI::App* cmd = app.add_subcommand("table", "x, f(x), f'(x) on a grid");
  add_input(*cmd, o->input);
  add_wrt(*cmd, o->wrt, "the variable (default: x)");
  CLI::Option* from = add_finite(*cmd, "--from", o->from, "first x (default -4)");
  CLI::Option* to = add_finite(*cmd, "--to", o->to, "last x (default 4)");
  CLI::Option* step = add_finite(*cmd, "--step", o->step, "spacing (default 1)");
  o->points_option =
      cmd->add_option("--points", o->points,
                      "the rows' x instead of a grid, in this order, like --points=-10,0,1,15,-20")
          ->excludes(from)
          ->excludes(to)
          ->excludes(step);
  cmd->add_option("--at", o->at, "values of the other variables");
  cmd->add_flag("--csv", o->csv, "comma-separated output");
  add_convention(*cmd, o->convention);
  add_out(*cmd, o->out);
  cmd->callback([o] { write_output(o->out, run(*o), o->input); });
}

}  // namespace slope::cli
