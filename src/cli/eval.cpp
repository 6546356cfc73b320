// SPDX-License-Identifier: MIT
// slope eval: the value at a point, or at a list of points (--at x=2,0,0.1,-3).
#include <fmt/format.h>
#include <fmt/ranges.h>

#include <algorithm>
#include <cmath>
#include <iostream>
#include <slope/slope.hpp>

#include "cli/commands.hpp"
#include "cli/io.hpp"
#include "cli/json.hpp"
#include "cli/limits.hpp"
#include "cli/options.hpp"

namespace slope::cli {

namespace {

struct EvalOptions {
  InputOptions input;
  std::string at, out = "-";
  bool csv = false, json = false;
};

/// The points --at describes: variables given a list are paired value by value (point i takes
/// the i-th value of each list), variables given one value keep it at every point.
struct Points {
  std::vector<std::string> listed;  // the variables given a list, in --at order
  std::vector<Env> envs;
};

Points points_of(const std::string& at, const Expr& f, const std::string& text) {
  Points p;
  const std::vector<AtValues> lists = at.empty() ? std::vector<AtValues>{} : parse_at_lists(at);
  std::vector<std::string> names;
  for (const AtValues& a : lists) names.push_back(a.name);
  check_at_names(names, {f}, {text});
  const AtValues* longest = nullptr;
  for (const AtValues& a : lists) {
    if (a.values.size() < 2) continue;
    if (longest && a.values.size() != longest->values.size())
      throw UsageError(fmt::format(
          "--at: {} has {} values and {} has {}; lists are paired point by point, so give them "
          "the same length",
          longest->name, longest->values.size(), a.name, a.values.size()));
    longest = &a;
    p.listed.push_back(a.name);
  }
  const std::size_t count = longest ? longest->values.size() : 1;
  for (std::size_t i = 0; i < count; ++i) {
    Env env;
    for (const AtValues& a : lists) env[a.name] = a.values.size() > 1 ? a.values[i] : a.values[0];
    p.envs.push_back(std::move(env));
  }
  return p;
}

/// "x=2, w=1": where a value was computed, for warnings.
std::string where(const Points& p, const Env& env) {
  std::string text;
  for (const std::string& name : p.listed)
    text += (text.empty() ? "" : ", ") + name + "=" + format_number(env.at(name));
  return text;
}

std::string run(const EvalOptions& o) {
  if (o.csv && o.json) throw UsageError("--csv and --json: choose one");
  std::string input;
  const Expr f = read_expression(o.input, &input);
  const Points points = points_of(o.at, f, input);
  std::vector<double> values;
  std::vector<std::string> warnings;
  for (const Env& env : points.envs) {
    const double v = eval(f, env);
    values.push_back(v);
    if (!std::isfinite(v)) {
      const std::string at = where(points, env);
      warnings.push_back((at.empty() ? "the value" : "at " + at + " the value") + " is " +
                         (std::isnan(v) ? "undefined (NaN)" : "infinite"));
    }
  }
  if (o.json) {
    // JSON has no NaN or infinity: those values are null, and "warnings" says why.
    std::vector<std::string> json_warnings;
    json rows = json::array();
    for (std::size_t i = 0; i < values.size(); ++i) {
      json at = json::object();
      for (const auto& [name, v] : points.envs[i]) at[name] = json_number(v, json_warnings, name);
      rows.push_back({{"at", at}, {"value", json_number(values[i], json_warnings, "a value")}});
    }
    json j{{"expression", limits::named_text(f)}, {"points", rows}};
    if (!warnings.empty()) j["warnings"] = warnings;
    return j.dump() + "\n";
  }
  for (const std::string& w : warnings) std::cerr << "warning: " << w << "\n";
  if (points.listed.empty() && !o.csv) return format_number(values[0]) + "\n";
  // Several points: one row each, the listed variables then the value, as `slope table` prints.
  std::vector<std::string> head = points.listed;
  std::string args;
  for (const std::string& name : points.listed) args += (args.empty() ? "" : ", ") + name;
  head.push_back(args.empty() ? "f" : "f(" + args + ")");
  std::vector<std::vector<std::string>> rows;
  for (std::size_t i = 0; i < values.size(); ++i) {
    std::vector<std::string> row;
    for (const std::string& name : points.listed)
      row.push_back(format_number(points.envs[i].at(name)));
    row.push_back(format_number(values[i]));
    rows.push_back(std::move(row));
  }
  std::string text;
  if (o.csv) {
    text = fmt::format("{}\n", fmt::join(head, ","));
    for (const auto& r : rows) text += fmt::format("{}\n", fmt::join(r, ","));
    return text;
  }
  std::vector<std::size_t> width(head.size());
  for (std::size_t k = 0; k < head.size(); ++k) {
    width[k] = head[k].size();
    for (const auto& r : rows) width[k] = std::max(width[k], r[k].size());
  }
  auto line = [&](const std::vector<std::string>& r) {
    std::string l;
    for (std::size_t k = 0; k < r.size(); ++k)
      l += fmt::format("{}{:>{}}", k ? "  " : "", r[k], width[k]);
    text += l + "\n";
  };
  line(head);
  for (const auto& r : rows) line(r);
  return text;
}

}  // namespace

void setup_eval(CLI::App& app) {
  auto o = std::make_shared<EvalOptions>();
  CLI::App* cmd = app.add_subcommand("eval", "the value at a point, or at a list of points");
  add_input(*cmd, o->input);
  cmd->add_option("--at", o->at,
                  "variable values, like x=1.5,w=2; a list of points like x=2,0,0.1,-3 (bare "
                  "values continue the variable before them)");
  cmd->add_flag("--csv", o->csv, "comma-separated output, one row per point");
  cmd->add_flag("--json", o->json, "print JSON");
  add_out(*cmd, o->out);
  cmd->callback([o] { write_output(o->out, run(*o), o->input); });
}

}  // namespace slope::cli
