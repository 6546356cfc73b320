// SPDX-License-Identifier: MIT
// The `slope` command-line tool: main() wires the commands (one file each) to CLI11 and maps
// errors to exit statuses: 0 success, 1 an error in the user's expression or values or a failed
// write, 2 bad usage.
#include <CLI/CLI.hpp>
#include <iostream>
#include <slope/slope.hpp>
#include <sstream>

#include "cli/commands.hpp"
#include "cli/io.hpp"
#include "cli/options.hpp"
#include "cli/suggest.hpp"

int main(int argc, char** argv) {
  using namespace slope;
  using namespace slope::cli;
  CLI::App app{
      "slope: derivatives of piecewise functions, derived, explained and computed.\n"
      "Run `slope` alone for a short tour."};
  app.name("slope");
  app.set_version_flag("--version", "slope " SLOPE_VERSION_STRING);
  app.require_subcommand(0, 1);
  setup_diff(app);
  setup_simplify(app);
  setup_eval(app);
  setup_grad(app);
  setup_kinks(app);
  setup_check(app);
  setup_table(app);
  setup_plot(app);
  setup_emit(app);
  setup_lab(app);
  setup_help(app);

  const std::vector<std::string> given(argv, argv + argc);
  try {
    // Mistyped commands and options are found here, so the message can suggest the right one.
    if (const std::string problem = check_command(app, given); !problem.empty())
      throw UsageError(problem);
    const std::vector<std::string> args = expressions_as_positionals(app, given);
    std::vector<std::string> reversed(args.rbegin(), args.rend() - 1);  // CLI11 parses a stack
    app.parse(reversed);
    if (app.get_subcommands().empty()) run_tour();
    return 0;
  } catch (const CLI::ParseError& e) {
    if (e.get_exit_code() != 0) {  // CLI11's error, in slope's words
      std::cerr << "slope: " << usage_message(app, given, e) << "\n";
      return 2;
    }
    std::ostringstream out, err;  // --help and --version text goes through write_stdout
    const int code = app.exit(e, out, err);
    std::cerr << err.str();
    try {
      write_stdout(out.str());
    } catch (const std::exception& failed) {
      std::cerr << "error: " << failed.what() << "\n";
      return 1;
    }
    return code == 0 ? 0 : 2;
  } catch (const CheckFailed& e) {
    std::cerr << "slope check: " << e.what() << "\n";
    return 1;
  } catch (const UsageError& e) {
    std::cerr << "slope: " << e.what() << "\n";
    return 2;
  } catch (const ParseError& e) {
    std::cerr << e.what() << "\n";
    return 1;
  } catch (const FileParseError& e) {
    std::cerr << e.what() << "\n";
    return 1;
  } catch (const UnboundVariable& e) {
    std::cerr << "error: " << e.what() << "\nhint: give it with --at, like --at " << e.name()
              << "=1\n";
    return 1;
  } catch (const std::exception& e) {
    std::cerr << "error: " << e.what() << "\n";
    return 1;
  }
}
