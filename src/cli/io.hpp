// SPDX-License-Identifier: MIT
// Reading the user's input and writing results: bounded reads, atomic file writes, and standard
// output whose failure is an error.
#pragma once

#include <string>

#include "cli/options.hpp"

namespace slope::cli {

/// The text of the input: EXPR, standard input for "-", or --file. Reads at most the parser's
/// input limit (so `--file /dev/zero` stops), refuses directories, devices other than standard
/// input, NUL bytes and both EXPR and --file at once; skips a UTF-8 byte-order mark.
std::string read_input(const InputOptions& input);

/// read_input, parsed; the text read goes to *text if given (for check_at_names).
Expr read_expression(const InputOptions& input, std::string* text = nullptr);

/// Writes `text` to `out`: standard output for "-", else the file, atomically (io.cpp and
/// docs/robustness.md give the rules). `input` is refused as a target. Throws UsageError for a
/// target that cannot be written and std::runtime_error when a write fails.
void write_output(const std::string& out, const std::string& text, const InputOptions& input = {});

/// Writes the whole text to standard output; throws std::runtime_error if it fails (a full disk,
/// a closed pipe).
void write_stdout(const std::string& text);

/// Writes `text` to `path` atomically: a temporary created with O_EXCL in the same folder, the
/// whole text written and synced, then renamed over `path`. Refuses a `path` that is a directory,
/// FIFO, device or other non-regular file, a read-only file, and a symlink (docs/robustness.md).
void write_file_atomically(const std::string& path, const std::string& text);

}  // namespace slope::cli
