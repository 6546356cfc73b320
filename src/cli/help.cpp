// SPDX-License-Identifier: MIT
// slope help [COMMAND]: the same text as `slope [COMMAND] --help`; slope help functions: the
// functions the parser knows, from the op table.
#include <fmt/format.h>

#include "cli/commands.hpp"
#include "cli/io.hpp"
#include "cli/options.hpp"
#include "cli/suggest.hpp"
#include "slope/slope.hpp"

namespace slope::cli {
namespace {

/// Every function the parser knows, read from the op table: how to call it and, for an
/// activation, its definition in basic ops.
std::string functions_help() {
  std::vector<std::pair<std::string, std::string>> lines;
  std::size_t width = 0;
  for (int i = static_cast<int>(Op::Piecewise) + 1; i < op_count; ++i) {
    const auto op = static_cast<Op>(i);
    if (!spelling(op).symbol.empty()) continue;  // written infix: ^, ==, !=
    std::string defined;
    if (is_activation(op)) {
      std::vector<Expr> params;  // the definition over the parameters' own names
      for (const std::string& name : parameter_names(op)) params.push_back(var(name));
      defined = "= " + to_text(definition(make_op(op, params)));
    }
    lines.emplace_back(signature(op), defined);
    width = std::max(width, lines.back().first.size());
  }
  std::string out =
      "Functions (operators, conditions, piecewise and definitions: docs/syntax.md):\n";
  for (const auto& [call, defined] : lines)
    out += defined.empty() ? fmt::format("  {}\n", call)
                           : fmt::format("  {:<{}}  {}\n", call, width, defined);
  return out;
}

}  // namespace

void setup_help(CLI::App& app) {
  auto topic = std::make_shared<std::string>();
  CLI::App* cmd = app.add_subcommand(
      "help",
      "help on slope, on one command (slope help diff) or on the functions (slope help functions)");
  cmd->add_option("topic", *topic, "a command, or functions");
  cmd->callback([&app, topic] {
    if (*topic == "functions") return write_stdout(functions_help());
    // The same text as `slope --help` and `slope CMD --help` (app.help() would describe `help`).
    if (topic->empty())
      return write_stdout(
          app.get_formatter()->make_help(&app, "slope", CLI::AppFormatMode::Normal));
    for (const CLI::App* sub : app.get_subcommands([](const CLI::App*) { return true; }))
      if (sub->get_name() == *topic) return write_stdout(sub->help("slope"));
    throw UsageError(unknown_command_message(app, *topic));
  });
}

}  // namespace slope::cli
