// SPDX-License-Identifier: MIT
// Runs the built `slope` executable (SLOPE_EXE) as a user's shell would and captures its exit
// status, standard output and standard error. Shared by the tests of every command.
#pragma once

#include <sys/wait.h>
#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

namespace cli_testing {

struct Run {
  int status;
  std::string out, err;
};

inline std::string shell_quote(const std::string& s) {
  std::string q = "'";
  for (char c : s) q += c == '\'' ? std::string("'\\''") : std::string(1, c);
  return q + "'";
}

inline std::string slurp(const std::filesystem::path& p) {
  std::ifstream in(p, std::ios::binary);
  return {std::istreambuf_iterator<char>(in), {}};
}

/// A fresh folder for this test process's files, removed by nobody (the system's temp cleaner).
inline std::filesystem::path scratch() {
  static const auto dir = [] {
    const auto d =
        std::filesystem::temp_directory_path() / ("slope_cli_test_" + std::to_string(::getpid()));
    std::filesystem::create_directories(d);
    return d;
  }();
  return dir;
}

/// Runs a shell command line (for redirections the helper below cannot express).
inline Run shell(const std::string& command_line) {
  static int counter = 0;
  const auto base = scratch() / ("sh" + std::to_string(counter++));
  const std::string cmd = "( " + command_line + " ) > " + shell_quote(base.string() + ".out") +
                          " 2> " + shell_quote(base.string() + ".err");
  const int raw = std::system(cmd.c_str());
  return {WIFEXITED(raw) ? WEXITSTATUS(raw) : -1, slurp(base.string() + ".out"),
          slurp(base.string() + ".err")};
}

/// The slope command line for the arguments, each quoted.
inline std::string slope_command(const std::vector<std::string>& args) {
  std::string cmd = shell_quote(SLOPE_EXE);
  for (const auto& a : args) cmd += " " + shell_quote(a);
  return cmd;
}

/// Runs slope with the arguments (and optional standard input); captures everything.
inline Run run_slope(const std::vector<std::string>& args, const std::string& input = "") {
  static int counter = 0;
  const auto base = scratch() / std::to_string(counter++);
  std::string cmd = slope_command(args);
  if (!input.empty()) {
    std::ofstream(base.string() + ".in", std::ios::binary) << input;
    cmd += " < " + shell_quote(base.string() + ".in");
  } else {
    cmd += " < /dev/null";
  }
  return shell(cmd);
}

inline bool contains(const std::string& haystack, const std::string& needle) {
  return haystack.find(needle) != std::string::npos;
}

/// Writes `document` to dir/doc.tex and runs pdflatex on it there; its log is dir/doc.log.
inline bool pdflatex_compiles(const std::filesystem::path& dir, const std::string& document) {
  std::ofstream(dir / "doc.tex") << document;
  const std::string cmd =
      "cd " + shell_quote(dir.string()) +
      " && pdflatex -interaction=nonstopmode -halt-on-error doc.tex > /dev/null 2>&1";
  return std::system(cmd.c_str()) == 0;
}

}  // namespace cli_testing
