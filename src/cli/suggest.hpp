// SPDX-License-Identifier: MIT
// Reading the command line before CLI11 does: expressions that start with '-', and a
// "did you mean" for a mistyped command.
#pragma once

#include <CLI/CLI.hpp>
#include <string>
#include <vector>

namespace slope::cli {

/// The arguments with each expression that starts with '-' (like "-x^2") moved behind a "--",
/// where CLI11 reads it as the positional EXPR instead of an unknown option. Values of options
/// (`--from -2`) and the options themselves stay in place. args[0] is the program name.
std::vector<std::string> expressions_as_positionals(const CLI::App& app,
                                                    std::vector<std::string> args);

/// "unknown command 'dif'; did you mean diff?" (with the list of commands when nothing is near).
std::string unknown_command_message(const CLI::App& app, const std::string& name);

/// If args[1] names no command (and is not an option), the message for it; else empty.
std::string check_command(const CLI::App& app, const std::vector<std::string>& args);

}  // namespace slope::cli
