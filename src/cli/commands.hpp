// SPDX-License-Identifier: MIT
// One setup function per command: each adds its subcommand, its options and a callback that
// runs it (CLI11's subcommand-in-files pattern). main() calls them all.
#pragma once

#include <CLI/CLI.hpp>

namespace slope::cli {

void setup_diff(CLI::App& app);
void setup_simplify(CLI::App& app);
void setup_eval(CLI::App& app);
void setup_grad(CLI::App& app);
void setup_kinks(CLI::App& app);
void setup_check(CLI::App& app);
void setup_table(CLI::App& app);
void setup_plot(CLI::App& app);
void setup_emit(CLI::App& app);
void setup_help(CLI::App& app);
void setup_lab(CLI::App& app);

/// `slope` alone: a short tour of relu and the conventions.
void run_tour();

}  // namespace slope::cli
