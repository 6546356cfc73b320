// SPDX-License-Identifier: MIT
// Reading the command line before CLI11 does: expressions that start with '-', and a
// "did you mean" for a mistyped command, lab or option; and CLI11's errors in slope's words.
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

/// "did you mean diff?" when `name` is a likely typo of one or more of `known` (a swap of two
/// neighbours counts as one edit), else empty.
std::string did_you_mean(const std::string& name, const std::vector<std::string>& known);

/// "unknown command 'dif'; did you mean diff?" (with the list of commands when nothing is near).
/// For a command's own subcommands (slope lab's) it says "unknown lab 'dying-rlu'".
std::string unknown_command_message(const CLI::App& app, const std::string& name);

/// The message for the first thing in args (args[0] is the program name) that names no
/// command, no lab, no option of its command, or is one argument too many; else empty:
/// "unknown option '--formt' for diff; did you mean --format?".
std::string check_command(const CLI::App& app, const std::vector<std::string>& args);

/// "diff", "lab dying-relu": the command that args call (empty for slope alone).
std::string command_path(const CLI::App& app, const std::vector<std::string>& args);

/// CLI11's error for the command line args, in slope's words: the option, its value and what
/// was wrong ("--order abc: not a whole number").
std::string usage_message(const CLI::App& app, const std::vector<std::string>& args,
                          const CLI::ParseError& error);

}  // namespace slope::cli
