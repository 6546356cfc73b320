// SPDX-License-Identifier: MIT
// slope help [COMMAND]: the same text as `slope [COMMAND] --help`.
#include "cli/commands.hpp"
#include "cli/io.hpp"
#include "cli/options.hpp"
#include "cli/suggest.hpp"

namespace slope::cli {

void setup_help(CLI::App& app) {
  auto topic = std::make_shared<std::string>();
  CLI::App* cmd = app.add_subcommand("help", "help on slope or on one command: slope help diff");
  cmd->add_option("command", *topic, "the command to explain");
  cmd->callback([&app, topic] {
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
