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
      positionals.push_back(a);
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

std::string unknown_command_message(const CLI::App& app, const std::string& name) {
  std::vector<std::string> names, near;
  for (const CLI::App* sub : app.get_subcommands([](const CLI::App*) { return true; })) {
    names.push_back(sub->get_name());
    const std::size_t d = typo_distance(name, sub->get_name());
    if (d <= std::max<std::size_t>(1, sub->get_name().size() / 3) ||
        (name.size() >= 2 && sub->get_name().rfind(name, 0) == 0))
      near.push_back(sub->get_name());
  }
  std::string message = "unknown command '" + name + "'";
  if (!near.empty()) {
    message += "; did you mean ";
    for (std::size_t i = 0; i < near.size(); ++i)
      message += (i == 0 ? "" : (i + 1 == near.size() ? " or " : ", ")) + near[i];
    return message + "?";
  }
  message += "; the commands are ";
  for (std::size_t i = 0; i < names.size(); ++i) message += (i == 0 ? "" : ", ") + names[i];
  if (name.find_first_of("()+*/^ ") != std::string::npos)
    message +=
        "\nhint: to work on an expression, name the command first: slope diff \"" + name + "\"";
  return message;
}

std::string check_command(const CLI::App& app, const std::vector<std::string>& args) {
  if (args.size() < 2 || (!args[1].empty() && args[1][0] == '-')) return {};
  for (const CLI::App* sub : app.get_subcommands([](const CLI::App*) { return true; }))
    if (sub->get_name() == args[1]) return {};
  return unknown_command_message(app, args[1]);
}

}  // namespace slope::cli
