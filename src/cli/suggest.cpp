// SPDX-License-Identifier: MIT
// Command-line fixes before CLI11 parses: expressions starting with '-', mistyped commands.
#include "cli/suggest.hpp"

#include <algorithm>

#include "text/edit_distance.hpp"

namespace slope::cli {

namespace {

using detail::edit_distance;

/// Edit distance where swapping two neighbours counts once ("tabel" is one step from "table").
std::size_t typo_distance(std::string_view a, std::string_view b) {
  std::size_t d = edit_distance(a, b);
  for (std::size_t i = 0; i + 1 < a.size(); ++i) {
    std::string swapped(a);
    std::swap(swapped[i], swapped[i + 1]);
    if (swapped != a) d = std::min(d, 1 + edit_distance(swapped, b));
  }
  return d;
}

bool takes_value(const CLI::Option* option) {
  return option != nullptr && option->get_items_expected_min() > 0;
}

/// An option whose value may be left out (slope plot --points [N]): a number after it is its value.
bool optional_number(const CLI::Option* option) {
  return option != nullptr && option->get_items_expected_min() == 0 &&
         option->get_items_expected_max() > 0;
}

bool is_number(const std::string& s) {
  return !s.empty() && std::all_of(s.begin(), s.end(), [](char c) { return c >= '0' && c <= '9'; });
}

}  // namespace

std::vector<std::string> expressions_as_positionals(const CLI::App& app,
                                                    std::vector<std::string> args) {
  if (args.size() < 3) return args;
  const CLI::App* command = nullptr;
  for (const CLI::App* sub : app.get_subcommands([](const CLI::App*) { return true; }))
    if (sub->get_name() == args[1]) command = sub;
  if (command == nullptr) return args;
  // Every positional goes after "--" in its order once one starts with '-': CLI11 stops a
  // subcommand's positionals at "--" if some came before it (slope plot 'relu(x)' '-x^2').
  std::vector<std::string> kept(args.begin(), args.begin() + 2), positionals, rest;
  bool dashed = false;
  for (std::size_t i = 2; i < args.size(); ++i) {
    const std::string& a = args[i];
    if (a == "--") {
      rest.assign(args.begin() + static_cast<std::ptrdiff_t>(i) + 1, args.end());
      break;
    }
    if (a.size() < 2 || a[0] != '-') {
      // slope lab dying-relu: the lab's own options follow its name
      const CLI::App* sub = nullptr;
      if (positionals.empty())
        for (const CLI::App* s : command->get_subcommands([](const CLI::App*) { return true; }))
          if (s->get_name() == a) sub = s;
      if (sub != nullptr) {
        command = sub;
        kept.push_back(a);
      } else {
        positionals.push_back(a);
      }
      continue;
    }
    const bool long_form = a[1] == '-';
    const std::string name = long_form ? a.substr(0, a.find('=')) : a.substr(0, 2);
    const CLI::Option* option = command->get_option_no_throw(name);
    if (option == nullptr && !long_form) {
      positionals.push_back(a);  // "-x^2", "-1": not an option, so the expression
      dashed = true;
      continue;
    }
    kept.push_back(a);
    const bool value_attached = long_form ? a.find('=') != std::string::npos : a.size() > 2;
    if (value_attached || i + 1 >= args.size()) continue;
    if (takes_value(option) || (optional_number(option) && is_number(args[i + 1])))
      kept.push_back(args[++i]);
  }
  if (!dashed && rest.empty()) return args;
  kept.push_back("--");
  kept.insert(kept.end(), positionals.begin(), positionals.end());
  kept.insert(kept.end(), rest.begin(), rest.end());
  return kept;
}

std::string did_you_mean(const std::string& name, const std::vector<std::string>& known) {
  std::vector<std::string> near;
  for (const std::string& k : known) {
    const std::size_t d = typo_distance(name, k);
    if (d <= std::max<std::size_t>(1, k.size() / 3) || (name.size() >= 2 && k.rfind(name, 0) == 0))
      near.push_back(k);
  }
  if (near.empty()) return {};
  std::string message = "did you mean ";
  for (std::size_t i = 0; i < near.size(); ++i)
    message += (i == 0 ? "" : (i + 1 == near.size() ? " or " : ", ")) + near[i];
  return message + "?";
}

std::string unknown_command_message(const CLI::App& app, const std::string& name) {
  std::vector<std::string> names;
  for (const CLI::App* sub : app.get_subcommands([](const CLI::App*) { return true; }))
    names.push_back(sub->get_name());
  // slope's commands, or a command's own (slope lab's labs)
  const std::string kind = app.get_parent() == nullptr ? "command" : app.get_name();
  std::string message = "unknown " + kind + " '" + name + "'";
  if (const std::string near = did_you_mean(name, names); !near.empty())
    return message + "; " + near;
  message += "; the " + kind + "s are ";
  for (std::size_t i = 0; i < names.size(); ++i) message += (i == 0 ? "" : ", ") + names[i];
  if (app.get_parent() == nullptr && name.find_first_of("()+*/^ ") != std::string::npos)
    message +=
        "\nhint: to work on an expression, name the command first: slope diff \"" + name + "\"";
  return message;
}

namespace {

bool is_positional(const CLI::Option* option) {
  return option->get_lnames().empty() && option->get_snames().empty();
}

std::vector<const CLI::App*> subcommands(const CLI::App& app) {
  return app.get_subcommands([](const CLI::App*) { return true; });
}

/// "lab dying-relu" for slope lab dying-relu; empty for slope itself.
std::string path_of(const CLI::App* command) {
  std::string path;
  for (; command != nullptr && command->get_parent() != nullptr; command = command->get_parent())
    path = command->get_name() + (path.empty() ? "" : " " + path);
  return path;
}

/// Every command under `app` (commands and their own subcommands), depth first.
void all_commands(const CLI::App& app, std::vector<const CLI::App*>& out) {
  for (const CLI::App* sub : subcommands(app)) {
    out.push_back(sub);
    all_commands(*sub, out);
  }
}

std::string unknown_option_message(const CLI::App& app, const CLI::App& command,
                                   const std::string& name) {
  const std::string path = path_of(&command);
  std::string message =
      "unknown option '" + name + "'" + (path.empty() ? "" : " for " + path) + "; ";
  std::vector<std::string> options;
  for (const CLI::Option* o : command.get_options())
    for (const std::string& long_name : o->get_lnames()) options.push_back("--" + long_name);
  if (const std::string near = did_you_mean(name, options); !near.empty()) return message + near;
  // An option of another command (--at given to diff, --epochs to lab): say whose it is.
  std::vector<const CLI::App*> commands;
  all_commands(app, commands);
  std::vector<std::string> owners;
  for (const CLI::App* other : commands)
    if (other != &command && other->get_option_no_throw(name) != nullptr)
      owners.push_back(path_of(other));
  if (!owners.empty()) {
    message += name + " is an option of ";
    for (std::size_t i = 0; i < owners.size(); ++i)
      message += (i == 0 ? "" : (i + 1 == owners.size() ? " and " : ", ")) + owners[i];
    return message;
  }
  return message + "slope " + (path.empty() ? "" : path + " ") + "--help lists the options";
}

/// What check_command and command_path read from the command line: the command called, and
/// the first problem, if any.
struct Reading {
  const CLI::App* command;
  std::string problem;
};

Reading read_command_line(const CLI::App& app, const std::vector<std::string>& args) {
  const CLI::App* command = &app;
  std::vector<std::string> positionals;
  auto positional = [&](const std::string& a) -> std::string {
    // The first word names a command (or one of a command's own, like a lab) where one is due.
    const auto subs = subcommands(*command);
    if (!subs.empty() && positionals.empty()) {
      for (const CLI::App* sub : subs)
        if (sub->get_name() == a) {
          command = sub;
          return {};
        }
      bool takes_positionals = false;
      for (const CLI::Option* o : command->get_options()) takes_positionals |= is_positional(o);
      if (!takes_positionals) return unknown_command_message(*command, a);
    }
    positionals.push_back(a);
    return {};
  };
  for (std::size_t i = 1; i < args.size(); ++i) {
    const std::string& a = args[i];
    std::string problem;
    if (a == "--") {
      for (++i; i < args.size() && problem.empty(); ++i) problem = positional(args[i]);
      if (!problem.empty()) return {command, problem};
      break;
    }
    if (a.size() > 2 && a.starts_with("--")) {
      const std::string name = a.substr(0, a.find('='));
      const CLI::Option* option = command->get_option_no_throw(name);
      if (option == nullptr) return {command, unknown_option_message(app, *command, name)};
      if (a.find('=') == std::string::npos && i + 1 < args.size() &&
          (takes_value(option) || (optional_number(option) && is_number(args[i + 1]))))
        ++i;
      continue;
    }
    // -h, or an expression like -x^2 (which expressions_as_positionals moves behind "--")
    if (a.size() >= 2 && a[0] == '-' && command->get_option_no_throw(a.substr(0, 2)) != nullptr)
      continue;
    problem = positional(a);
    if (!problem.empty()) return {command, problem};
  }
  // More words than the command reads: most often an expression with spaces, unquoted.
  std::size_t room = 0;
  std::string what = "argument";
  for (const CLI::Option* o : command->get_options())
    if (is_positional(o)) {
      room += static_cast<std::size_t>(o->get_items_expected_max());
      what = o->get_name(true) == "expr" ? "expression" : o->get_name(true);
    }
  if (positionals.size() > room && command != &app) {
    std::string joined;
    for (const std::string& p : positionals) joined += (joined.empty() ? "" : " ") + p;
    std::string message = path_of(command) +
                          (room == 0 ? " takes no arguments, got: "
                                     : " takes one " + what + ", got " +
                                           std::to_string(positionals.size()) + " words: ") +
                          joined;
    if (what == "expression")
      message += "\nhint: quote an expression that has spaces: slope " + path_of(command) + " \"" +
                 joined + "\"";
    return {command, message};
  }
  return {command, {}};
}

}  // namespace

std::string check_command(const CLI::App& app, const std::vector<std::string>& args) {
  return read_command_line(app, args).problem;
}

std::string command_path(const CLI::App& app, const std::vector<std::string>& args) {
  return path_of(read_command_line(app, args).command);
}

std::string usage_message(const CLI::App& app, const std::vector<std::string>& args,
                          const CLI::ParseError& error) {
  const CLI::App& command = *read_command_line(app, args).command;
  const std::string what = error.what();
  const std::string path = path_of(&command);
  // CLI11 spells its messages "NAME: ..." or "... NAME ..."; each kind is reworded here.
  if (dynamic_cast<const CLI::ConversionError*>(&error) != nullptr) {
    constexpr std::string_view prefix = "Could not convert: ";
    const std::size_t eq = what.find(" = ");
    if (what.starts_with(prefix) && eq != std::string::npos) {
      const std::string name = what.substr(prefix.size(), eq - prefix.size()),
                        value = what.substr(eq + 3);
      const CLI::Option* option = command.get_option_no_throw(name);
      const std::string type = option ? option->get_type_name() : "";
      const bool digits =
          !value.empty() && value.find_first_not_of("-0123456789") == std::string::npos;
      std::string why = "not a number";
      if (type == "INT") why = digits ? "too large" : "not a whole number";
      if (type == "UINT")
        why = digits && value[0] != '-' ? "too large" : "not a whole number (0 or more)";
      return name + " " + value + ": " + why;
    }
  }
  if (dynamic_cast<const CLI::ArgumentMismatch*>(&error) != nullptr) {
    const std::string name = what.substr(0, what.find(':'));
    if (what.find(" required but received ") != std::string::npos)  // given twice or more
      return name + " is given more than once; give it once";
    if (what.find(" missing") != std::string::npos) return name + " needs a value";
  }
  if (dynamic_cast<const CLI::RequiredError*>(&error) != nullptr) {
    const std::string name = what.substr(0, what.find(" is required"));
    return (path.empty() ? "slope" : path) + " needs " + name;
  }
  if (dynamic_cast<const CLI::ExcludesError*>(&error) != nullptr) {
    const std::size_t at = what.find(" excludes ");
    if (at != std::string::npos)
      return what.substr(0, at) + " and " + what.substr(at + 10) + " cannot be given together";
  }
  // ValidationError: slope's validators already name the value and the problem ("--from:
  // 'two' is not a number"); anything else is CLI11's words, with where to look.
  if (dynamic_cast<const CLI::ValidationError*>(&error) != nullptr) return what;
  return what + " (slope " + (path.empty() ? "" : path + " ") + "--help lists the options)";
}

}  // namespace slope::cli
