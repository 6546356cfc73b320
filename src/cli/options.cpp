// The options every command shares, and the checks on them.
#include "cli/options.hpp"

#include <algorithm>
#include <cctype>
#include <cmath>
#include <iostream>
#include <map>

namespace slope::cli {

void add_input(CLI::App& command, InputOptions& input) {
  command.add_option("expr", input.expr,
                     "the expression (it may start with -, like \"-x^2\"), or - to read it from "
                     "standard input");
  command.add_option("--file", input.file, "read definitions and the expression from a file");
}

CLI::Option* add_convention(CLI::App& command, Convention& convention, bool* whole) {
  // The transformer checks the name (any case) and turns it into the canonical spelling; the
  // option's function then stores the Convention, so commands never see the string.
  constexpr std::string_view prefix = "whole:";
  const CLI::Validator convention_name(
      [whole, prefix](std::string& text) -> std::string {
        const std::string lower = CLI::detail::to_lower(text);
        const bool is_whole = lower.starts_with(prefix);
        if (is_whole && !whole)
          return "'" + text +
                 "' applies to the whole expression at a point: use it with slope grad (slope "
                 "kinks lists the one-sided slopes it combines)";
        if (!parse_convention(is_whole ? lower.substr(prefix.size()) : lower))
          return "'" + text + "' is not a convention; use min_norm, left, right, average or " +
                 "undefined" + (whole ? ", or whole:min_norm, whole:left, ..." : "");
        text = lower;
        return {};
      },
      whole ? "{min_norm,left,right,average,undefined,whole:...}"
            : "{min_norm,left,right,average,undefined}");
  return command
      .add_option_function<std::string>(
          "--convention",
          [&convention, whole, prefix](const std::string& name) {
            const bool is_whole = name.starts_with(prefix);
            if (whole) *whole = is_whole;
            convention = *parse_convention(is_whole ? name.substr(prefix.size()) : name);
          },
          whole ? "the derivative at kinks: min_norm (default), left, right, average, undefined, "
                  "each op by op; or whole:min_norm, whole:left, ... applied to f itself"
                : "the derivative at kinks: min_norm (default), left, right, average, undefined")
      ->transform(convention_name);
}

void add_out(CLI::App& command, std::string& out, bool required) {
  CLI::Option* o = command.add_option(
      "--out", out,
      required ? "the file to write (- for standard output)"
               : "write to this file instead of standard output (- for standard output)");
  if (required) o->required();
}

void add_wrt(CLI::App& command, std::string& wrt, const std::string& help) {
  command.add_option("--wrt", wrt, help);
}

CLI::Option* add_finite(CLI::App& command, const std::string& name, double& value,
                        const std::string& help) {
  return command.add_option(name, value, help)
      ->check(CLI::Validator(
          [](std::string& text) -> std::string {
            double v = 0;
            try {
              std::size_t used = 0;
              v = std::stod(text, &used);
              if (used != text.size()) return "'" + text + "' is not a number";
            } catch (const std::exception&) {
              return "'" + text + "' is not a number";
            }
            if (!std::isfinite(v)) return "must be a finite number, not " + text;
            return {};
          },
          "NUMBER"));
}

bool is_name(std::string_view name) {
  if (name.empty()) return false;
  if (!(std::isalpha(static_cast<unsigned char>(name[0])) || name[0] == '_')) return false;
  for (const char c : name)
    if (!(std::isalnum(static_cast<unsigned char>(c)) || c == '_')) return false;
  for (const std::string_view reserved :
       {"inf", "nan", "undefined", "otherwise", "and", "or", "not", "where", "piecewise"})
    if (name == reserved) return false;
  const auto functions = function_names();
  return std::find(functions.begin(), functions.end(), name) == functions.end();
}

namespace {
std::string trimmed(std::string s) {
  s.erase(0, s.find_first_not_of(' '));
  s.erase(s.find_last_not_of(' ') + 1);
  return s;
}
}  // namespace

Env parse_at(const std::string& text, const std::string& option) {
  Env env;
  std::size_t start = 0;
  for (;;) {
    const std::size_t comma = text.find(',', start);
    const std::string item =
        text.substr(start, comma == std::string::npos ? std::string::npos : comma - start);
    const auto eq = item.find('=');
    if (eq == std::string::npos)
      throw UsageError(option + " expects name=value pairs separated by commas, like " + option +
                       " x=1.5,w=2 (got '" + item + "')");
    const std::string name = trimmed(item.substr(0, eq)), value = trimmed(item.substr(eq + 1));
    if (!is_name(name))
      throw UsageError(option + ": '" + name +
                       "' is not a variable name (a letter or _, then letters, digits or _)");
    if (value.empty())
      throw UsageError(option + " " + name + "=: the value is missing, like " + option + " " +
                       name + "=1.5");
    if (env.count(name)) throw UsageError(option + ": " + name + " is given twice");
    Expr v;
    try {
      v = parse(value);
    } catch (const ParseError& e) {
      throw UsageError(option + " " + name + "=" + value + ": " + e.message());
    }
    if (!v.is_const())
      throw UsageError(option + " " + name + "=" + value + ": the value must be a number");
    env[name] = v.value();
    if (comma == std::string::npos) break;
    start = comma + 1;
  }
  return env;
}

std::string variable_to_differentiate(const Expr& f, const std::string& wrt) {
  const auto vars = variables(f);
  if (wrt.empty()) {
    if (vars.empty() || std::find(vars.begin(), vars.end(), "x") != vars.end()) return "x";
    return vars.front();
  }
  if (!is_name(wrt))
    throw UsageError("--wrt '" + wrt +
                     "' is not a variable name (a letter or _, then letters, digits or _)");
  if (std::find(vars.begin(), vars.end(), wrt) == vars.end())
    std::cerr << "note: the expression does not depend on " << wrt << "\n";
  return wrt;
}

}  // namespace slope::cli
