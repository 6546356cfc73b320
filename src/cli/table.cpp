// slope table: x, f(x) and f'(x) on a grid. The function is compiled to a tape once and each row
// is one forward and one reverse sweep, so a deep chain costs its size per row, not more.
#include <fmt/format.h>

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
  std::string wrt, at, out = "-";
  double from = -4, to = 4, step = 1;
  bool csv = false;
  Convention convention = Convention::min_norm;
};

std::string run(const TableOptions& o) {
  const Expr f = read_expression(o.input);
  const std::string x = variable_to_differentiate(f, o.wrt);
  if (!(o.step > 0)) throw UsageError("--step must be positive");
  if (o.to < o.from) throw UsageError("--to must not be less than --from");
  // Rows are from + i*step (never accumulated, so a kink at 0.7 is hit exactly).
  const double count = std::floor((o.to - o.from) / o.step + 1e-9) + 1;
  if (!(count <= static_cast<double>(limits::table_rows)))
    throw UsageError(fmt::format("that is more than {} rows (the limit); use a larger --step",
                                 limits::table_rows));
  Env env = o.at.empty() ? Env{} : parse_at(o.at);
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
  std::vector<std::array<std::string, 3>> rows;
  for (std::size_t i = 0; i < static_cast<std::size_t>(count); ++i) {
    values[0] = o.from + static_cast<double>(i) * o.step;
    const double value = tape.forward(values)[0];
    tape.reverse();
    // + 0.0 prints -0 as 0: a table is read, not fed back
    rows.push_back({format_number(values[0] + 0.0), format_number(value + 0.0),
                    format_number(tape.gradient()[0] + 0.0)});
  }
  const std::array<std::string, 3> head{x, "f(" + x + ")", "f'(" + x + ")"};
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
  auto line = [&](const std::array<std::string, 3>& r) {
    text += fmt::format("{:>{}}  {:>{}}  {:>{}}\n", r[0], width[0], r[1], width[1], r[2], width[2]);
  };
  line(head);
  for (const auto& r : rows) line(r);
  return text;
}

}  // namespace

void setup_table(CLI::App& app) {
  auto o = std::make_shared<TableOptions>();
  CLI::App* cmd = app.add_subcommand("table", "x, f(x), f'(x) on a grid");
  add_input(*cmd, o->input);
  add_wrt(*cmd, o->wrt, "the variable (default: x)");
  add_finite(*cmd, "--from", o->from, "first x (default -4)");
  add_finite(*cmd, "--to", o->to, "last x (default 4)");
  add_finite(*cmd, "--step", o->step, "spacing (default 1)");
  cmd->add_option("--at", o->at, "values of the other variables");
  cmd->add_flag("--csv", o->csv, "comma-separated output");
  add_convention(*cmd, o->convention);
  add_out(*cmd, o->out);
  cmd->callback([o] { write_output(o->out, run(*o), o->input); });
}

}  // namespace slope::cli
