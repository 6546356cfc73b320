// SPDX-License-Identifier: MIT
// What the commands share: the input and output options, --convention, --at, --wrt, and the
// error that means "slope was called wrongly" (exit 2).
#pragma once

#include <CLI/CLI.hpp>
#include <slope/slope.hpp>
#include <stdexcept>
#include <string>
#include <vector>

namespace slope::cli {

/// Errors in how slope was called (exit 2), as opposed to errors in the expression (exit 1).
struct UsageError : std::runtime_error {
  using std::runtime_error::runtime_error;
};

/// A parse error in a --file, already in `file:line:column: error: ...` form: printed as is,
/// exit 1.
struct FileParseError : std::runtime_error {
  using std::runtime_error::runtime_error;
};

/// `slope check` found a mismatch: its report is already written; exit 1.
struct CheckFailed : std::runtime_error {
  CheckFailed() : std::runtime_error("the gradient check failed") {}
};

/// Where the expression comes from: the positional EXPR ("-" for standard input) or --file.
struct InputOptions {
  std::string expr;
  std::string file;
};

/// Adds EXPR and --file to a command.
void add_input(CLI::App& command, InputOptions& input);

/// Adds --convention, parsed once into `convention` by a CLI11 transformer; returns the option
/// so a command can ask whether it was given. With `whole`, also accepts `whole:NAME` (the
/// convention applied to the whole expression's one-sided slopes) and sets *whole; without,
/// refuses it with a message naming the commands that take it.
CLI::Option* add_convention(CLI::App& command, Convention& convention, bool* whole = nullptr);

/// A validator for a value from a fixed list (--format's, --lang's): "'latx' is not a format;
/// did you mean latex?", else the list.
CLI::Validator one_of(const std::string& what, const std::vector<std::string>& names);

/// A validator for an unsigned 64-bit option (--seed): CLI11 would read -1 as 2^64 - 1 and
/// saturate 2^64 to it.
CLI::Validator whole_number();

/// Adds --out FILE ("-" for standard output, the default unless `required`).
void add_out(CLI::App& command, std::string& out, bool required = false);

/// Adds --wrt: the variable to differentiate by.
void add_wrt(CLI::App& command, std::string& wrt, const std::string& help);

/// Adds a floating-point option that refuses NaN and infinities.
CLI::Option* add_finite(CLI::App& command, const std::string& name, double& value,
                        const std::string& help);

/// Whether `name` is a variable name slope's parser reads (a letter or _, then letters, digits, _).
bool is_name(std::string_view name);

/// One variable of --at and its values: one for a point, several for a list of points.
struct AtValues {
  std::string name;
  std::vector<double> values;
};

/// --at x=2,0,0.1,-3,w=2: comma-separated items, each `name=value` or a bare value that adds to
/// the list of the variable before it (a value never contains `=`, so this is unambiguous). Each
/// value may be any constant expression (-1, 1e-3, inf). Names must be valid and given once
/// (`x=2,x=0` is an error naming x); `option` names the option in errors.
std::vector<AtValues> parse_at_lists(const std::string& text, const std::string& option = "--at");

/// --at x=1.5,w=2: one point (parse_at_lists with one value per variable; a list is an error
/// that points to slope eval and slope table --points).
Env parse_at(const std::string& text, const std::string& option = "--at");

/// Refuses a --at name that no expression spells (a likely typo: --at y=2 for relu(x)), naming
/// it with the nearest variable or the list of them. `texts` are the expressions' inputs, so a
/// variable written but simplified away (x in x - x + y) is still accepted. `varying`, if not
/// empty, is the variable the command moves itself (`role` says how, "the rows' variable"): a
/// value for it would be ignored, so it is refused too.
void check_at_names(const std::vector<std::string>& names, const std::vector<Expr>& fs,
                    const std::vector<std::string>& texts, const std::string& varying = "",
                    const std::string& role = "");

/// The names of an Env, for check_at_names.
std::vector<std::string> names_of(const Env& env);

/// A comma-separated list of finite constant values, like --points -10,0,1,15,-20.
std::vector<double> parse_values(const std::string& text, const std::string& option);

/// The variable to differentiate by: --wrt if given (checked to be a name; a note on standard
/// error when f does not depend on it), else x if f has it or no variables, else the first.
std::string variable_to_differentiate(const Expr& f, const std::string& wrt);

}  // namespace slope::cli
