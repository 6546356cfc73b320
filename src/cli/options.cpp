// SPDX-License-Identifier: MIT
// The options every command shares, and the checks on them.
#include "cli/options.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cctype>
#include <charconv>
#include <cmath>
#include <cstdint>
#include <cstdlib>
#include <iostream>
#include <map>

#include "cli/suggest.hpp"

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
        if (!parse_convention(is_whole ? lower.substr(prefix.size()) : lower)) {
          std::vector<std::string> names;
          for (const Convention c : all_conventions)
            names.push_back((is_whole ? "whole:" : "") + std::string(to_string(c)));
          if (const std::string near = did_you_mean(lower, names); !near.empty())
            return "'" + text + "' is not a convention; " + near;
          return "'" + text + "' is not a convention; use min_norm, left, right, average or " +
                 "undefined" + (whole ? ", or whole:min_norm, whole:left, ..." : "");
        }
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

CLI::Validator one_of(const std::string& what, const std::vector<std::string>& names) {
  std::string list;
  for (std::size_t i = 0; i < names.size(); ++i)
    list += (i == 0 ? "" : (i + 1 == names.size() ? " or " : ", ")) + names[i];
  return CLI::Validator(
      [what, names, list](std::string& text) -> std::string {
        if (std::find(names.begin(), names.end(), text) != names.end()) return {};
        const std::string near = did_you_mean(text, names);
        return "'" + text + "' is not " + what + "; " + (near.empty() ? "use " + list : near);
      },
      "{" + list + "}");
}

CLI::Validator whole_number() {
  return CLI::Validator(
      [](std::string& text) -> std::string {
        if (text.empty() || text.find_first_not_of("0123456789") != std::string::npos)
          return "'" + text + "' is not a whole number (0 or more)";
        std::uint64_t v = 0;  // CLI11 would saturate a larger one to 2^64 - 1
        if (std::from_chars(text.data(), text.data() + text.size(), v).ec != std::errc())
          return "'" + text + "' is too large (at most 18446744073709551615)";
        return {};
      },
      "");
}

void add_out(CLI::App& command, std::string& out, bool required) {
  CLI::Option* o = command.add_option(
      "--out", out,
      required ? "the file to write (- for standard output)"
               : "write to this file instead of standard output (- for standard output)");
  if (required) o->required();
  // (empty is how "not given" is kept, so an empty --out would silently mean standard output)
  o->check([](const std::string& file) {
    return file.empty() ? std::string("needs a file name, or - for standard output")
                        : std::string();
  });
}

void add_wrt(CLI::App& command, std::string& wrt, const std::string& help) {
  command.add_option("--wrt", wrt, help)->check([](const std::string& name) {
    // (empty is how "not given" is kept, so an empty --wrt would silently mean the default)
    return name.empty() ? std::string("must name a variable, like --wrt x") : std::string();
  });
}

CLI::Option* add_finite(CLI::App& command, const std::string& name, double& value,
                        const std::string& help) {
  return command.add_option(name, value, help)
      ->check(CLI::Validator(
          [](std::string& text) -> std::string {
            // strtod, not stod: stod refuses a subnormal (1e-320) as out of range
            char* end = nullptr;
            const double v = std::strtod(text.c_str(), &end);
            if (text.empty() || std::isspace(static_cast<unsigned char>(text[0])) ||
                end != text.c_str() + text.size())
              return "'" + text + "' is not a number";
            if (!std::isfinite(v)) {
              const bool spelled = text.find_first_of("nNiI") != std::string::npos;
              return spelled ? "must be a finite number, not " + text
                             : "'" + text +
                                   "' is too large for a double (the largest is about 1.8e308)";
            }
            // CLI11 converts the text again, refusing a subnormal: hand it the number's own form
            text = fmt::format("{}", v);
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

namespace {
/// The comma-separated items of `text`, trimmed (empty ones kept, so the caller can name them).
std::vector<std::string> split_items(const std::string& text) {
  std::vector<std::string> items;
  std::size_t start = 0;
  for (;;) {
    const std::size_t comma = text.find(',', start);
    items.push_back(trimmed(
        text.substr(start, comma == std::string::npos ? std::string::npos : comma - start)));
    if (comma == std::string::npos) return items;
    start = comma + 1;
  }
}

/// A constant value; `where` says which item in errors ("--at x=abc").
double constant_value(const std::string& value, const std::string& where) {
  Expr v;
  try {
    v = parse(value);
  } catch (const ParseError& e) {
    throw UsageError(where + ": " + e.message() + (e.hint().empty() ? "" : "; " + e.hint()));
  }
  // 1/3 stays 1/3 as an expression (the quotient is not exact), yet has one value
  if (!variables(v).empty()) throw UsageError(where + ": the value must be a number");
  return eval(v, {});
}
}  // namespace

std::vector<AtValues> parse_at_lists(const std::string& text, const std::string& option) {
  std::vector<AtValues> lists;
  for (const std::string& item : split_items(text)) {
    const auto eq = item.find('=');
    if (eq == std::string::npos) {
      // A bare value continues the list of the variable before it: --at x=2,0,0.1
      if (lists.empty())
        throw UsageError(option + " expects name=value pairs separated by commas, like " + option +
                         " x=1.5,w=2 (got '" + item + "')");
      AtValues& last = lists.back();
      if (item.empty())
        throw UsageError(option + " " + last.name + "=...: an empty value after a comma");
      last.values.push_back(constant_value(item, option + " " + last.name + "=...," + item));
      continue;
    }
    const std::string name = trimmed(item.substr(0, eq)), value = trimmed(item.substr(eq + 1));
    if (!is_name(name))
      throw UsageError(option + ": '" + name +
                       "' is not a variable name (a letter or _, then letters, digits or _)");
    if (value.empty())
      throw UsageError(option + " " + name + "=: the value is missing, like " + option + " " +
                       name + "=1.5");
    for (const AtValues& earlier : lists)
      if (earlier.name == name)
        throw UsageError(option + ": " + name + " is given twice (" + name + "=" +
                         format_number(earlier.values.front()) + " and " + item +
                         "); for several points list the values once, like " + option + " " + name +
                         "=2,0,-3");
    lists.push_back({name, {constant_value(value, option + " " + name + "=" + value)}});
  }
  return lists;
}

Env parse_at(const std::string& text, const std::string& option) {
  Env env;
  for (const AtValues& a : parse_at_lists(text, option)) {
    if (a.values.size() > 1)
      throw UsageError(option + " " + a.name + "=" + format_number(a.values[0]) + "," +
                       format_number(a.values[1]) +
                       "...: this command takes one value per variable; lists of points are for "
                       "slope eval (and slope table --points)");
    env[a.name] = a.values.front();
  }
  return env;
}

void check_at_names(const std::vector<std::string>& names, const std::vector<Expr>& fs,
                    const std::vector<std::string>& texts, const std::string& varying,
                    const std::string& role) {
  std::vector<std::string> vars, spelled;
  for (const Expr& f : fs)
    for (const std::string& v : variables(f))
      if (std::find(vars.begin(), vars.end(), v) == vars.end()) vars.push_back(v);
  for (const std::string& text : texts)
    for (std::string& n : names_in(text)) spelled.push_back(std::move(n));
  const bool several = fs.size() > 1;
  const std::string expression = several ? "the expressions have" : "the expression has";
  for (const std::string& name : names) {
    if (!varying.empty() && name == varying)
      throw UsageError("--at " + name + ": " + name + " is " + role +
                       ", so a value for it would be ignored (--wrt picks another variable)");
    // A constant has nothing to mistype: `slope diff 2*x --format text | slope eval - --at x=3`
    // evaluates the derivative 2 at x = 3, as for any other derivative.
    if (vars.empty()) continue;
    if (std::find(vars.begin(), vars.end(), name) != vars.end() ||
        std::find(spelled.begin(), spelled.end(), name) != spelled.end())
      continue;
    std::vector<std::string> unset;  // the variables still without a value: likely meant
    for (const std::string& v : vars)
      if (v != varying && std::find(names.begin(), names.end(), v) == names.end())
        unset.push_back(v);
    std::string message = "--at " + name + ": " + expression + " no variable " + name;
    if (const std::string near = did_you_mean(name, unset); !near.empty())
      throw UsageError(message + "; " + near);
    std::string list;
    for (std::size_t i = 0; i < vars.size(); ++i)
      list += (i == 0 ? "" : (i + 1 == vars.size() ? " and " : ", ")) + vars[i];
    throw UsageError(message + (several ? " (their variables: " : " (its variables: ") + list +
                     ")");
  }
}

std::vector<std::string> names_of(const Env& env) {
  std::vector<std::string> names;
  for (const auto& [name, value] : env) names.push_back(name);
  return names;
}

std::vector<double> parse_values(const std::string& text, const std::string& option) {
  std::vector<double> values;
  if (text.empty())
    throw UsageError(option + " is empty: list the values, like " + option + " -10,0,1");
  for (const std::string& item : split_items(text)) {
    if (item.empty())
      throw UsageError(option + ": an empty value (values are separated by single commas, like " +
                       option + " -10,0,1)");
    const double v = constant_value(item, option + " " + item);
    if (!std::isfinite(v)) throw UsageError(option + " " + item + ": must be a finite number");
    values.push_back(v);
  }
  return values;
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
