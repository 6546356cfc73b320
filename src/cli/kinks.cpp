// SPDX-License-Identifier: MIT
// slope kinks: every point of an interval where f is not differentiable, jumps, or has an op on
// its kink, with the exact one-sided slopes and what each convention gives there.
#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <iterator>
#include <optional>
#include <slope/slope.hpp>

#include "cli/commands.hpp"
#include "cli/io.hpp"
#include "cli/json.hpp"
#include "cli/options.hpp"

namespace slope::cli {

namespace {

struct KinksOptions {
  InputOptions input;
  std::string wrt, at, out = "-";
  double from = -4, to = 4;
  bool json = false;
};

std::string slope_text(double v) { return std::isnan(v) ? "undefined" : format_number(v); }

/// The op that sits on its kink, shortened for a one-line note (its text may be long).
std::string op_text(const Expr& op) {
  try {
    return to_text_within(op, 60);
  } catch (const TextTooLong&) {  // (spelling it all out first cost its size at every kink)
    const OpSpelling& s = spelling(op.op());  // `... > ...`, not the op's inner name `gt(...)`
    return s.symbol.empty() ? std::string(s.name) + "(...)"
                            : "... " + std::string(s.symbol) + " ...";
  }
}

bool same_slope(double a, double b) { return a == b || (std::isnan(a) && std::isnan(b)); }

std::string what_it_is(const KinkPoint& k) {
  if (!k.side.continuous) return std::string(describe(k.side.discontinuity()));
  // f has no value on one side (sqrt(x) at 0): a one-sided slope at most, no derivative
  if (!k.side.has_left || !k.side.has_right) return "the edge of f's domain";
  if (k.side.differentiable()) return "differentiable";
  // values on both sides, yet no limit of f's difference quotient on one (x*sin(1/x) beside 0)
  if (std::isnan(k.side.left) || std::isnan(k.side.right)) return "no one-sided derivative";
  if (k.side.vertical_tangent()) return "a vertical tangent";
  return "a kink";
}

/// Where the points found are as dense as one per four grid steps over a stretch of 100 steps,
/// kinks of a curved switch are likely closer together than a step there, and some were
/// missed: say so, and where (kinks packed near one end count as much as kinks everywhere).
std::optional<std::string> crowded(const std::vector<KinkPoint>& ks, double from, double to,
                                   const std::string& x) {
  constexpr std::size_t window = 100, dense = window / 4;  // grid steps, points
  const double width = (to - from) / kink_search_steps * window;
  for (std::size_t i = 0, j = 0; j < ks.size(); ++j) {
    while (ks[j].x - ks[i].x > width) ++i;
    if (j - i + 1 >= dense)
      return fmt::format(
          "{} points within {} of the search grid's {} steps near {} = {}: kinks of a curved "
          "switch closer together than a step may be missing; narrow --from and --to to see "
          "them all",
          j - i + 1, window, kink_search_steps, x, format_number(ks[i].x));
  }
  return std::nullopt;
}

std::string as_text(const Expr& f, const std::string& x, const KinksOptions& o,
                    const std::vector<KinkPoint>& ks) {
  std::string out = fmt::format("{} in {} on [{}, {}]: ", text_or_size(f, 10'000), x,
                                format_number(o.from), format_number(o.to));
  if (ks.empty()) return out + "no kinks\n";
  out += fmt::format("{} point{}\n", ks.size(), ks.size() == 1 ? "" : "s");
  if (const auto warning = crowded(ks, o.from, o.to, x)) out += "(" + *warning + ")\n";
  for (const KinkPoint& k : ks) {
    out += fmt::format("\n{} = {}: {}, f = {}\n", x, format_number(k.x), what_it_is(k),
                       slope_text(k.side.value));
    out += fmt::format("  slope {} from the left, {} from the right\n", slope_text(k.side.left),
                       slope_text(k.side.right));
    std::string ops;
    for (const Expr& op : k.ops) ops += (ops.empty() ? "" : ", ") + op_text(op);
    out += "  at its kink: " + ops + "\n";
    std::string local;
    for (std::size_t c = 0; c < k.local.size(); ++c) {
      const Convention convention = all_conventions[c];
      // undefined has no value at an op's kink (said last); an op without a corner has one
      if (convention == Convention::undefined && std::isnan(k.local[c])) continue;
      local += fmt::format("{}{} {}", local.empty() ? "" : ", ", to_string(convention),
                           slope_text(k.local[c]));
    }
    const bool undefined_has_none = std::isnan(k.local_under(Convention::undefined));
    out += k.exact ? "  op-by-op conventions give: " + local +
                         (undefined_has_none ? "; undefined gives no value\n" : "\n")
                   : fmt::format(
                         "  (between two doubles: {} is beside the kink, where no "
                         "convention applies)\n",
                         x);
    if (k.exact && !(same_slope(k.local_under(Convention::left), k.side.left) &&
                     same_slope(k.local_under(Convention::right), k.side.right)))
      out += fmt::format(
          "  (op by op, left and right are the sides of each op's switch, not of {})\n", x);
  }
  return out;
}

std::string as_json(const Expr& f, const std::string& x, const KinksOptions& o,
                    const std::vector<KinkPoint>& ks) {
  json list = json::array();
  for (const KinkPoint& k : ks) {
    json d = json::object();
    for (std::size_t c = 0; c < k.local.size(); ++c)
      d[std::string(to_string(all_conventions[c]))] = json_slope(k.local[c]);
    json ops = json::array();
    for (const Expr& op : k.ops) ops.push_back(op_text(op));
    list.push_back({{"x", json_finite(k.x)},
                    {"left", json_slope(k.side.left)},
                    {"right", json_slope(k.side.right)},
                    {"exact", k.exact},
                    {"continuous", k.side.continuous},
                    {"differentiable", k.side.differentiable()},
                    {"value", json_slope(k.side.value)},
                    {"derivative", d},
                    {"ops", ops}});
  }
  json j{{"expression", to_text(f)},
         {"wrt", x},
         {"from", json_finite(o.from)},
         {"to", json_finite(o.to)},
         {"kinks", list}};
  if (const auto warning = crowded(ks, o.from, o.to, x)) j["warnings"] = json::array({*warning});
  return j.dump() + "\n";
}

std::string run(const KinksOptions& o) {
  if (o.to < o.from) throw UsageError("--to must not be less than --from");
  if (!std::isfinite(o.to - o.from)) throw UsageError("the span from --from to --to overflows");
  std::string input;
  const Expr f = read_expression(o.input, &input);
  const std::string x = variable_to_differentiate(f, o.wrt);
  Env others = o.at.empty() ? Env{} : parse_at(o.at);
  check_at_names(names_of(others), {f}, {input}, x, "the variable searched");
  for (const std::string& v : variables(f))
    if (v != x && !others.count(v)) throw UnboundVariable(v);
  const auto ks = find_kinks(f, x, others, o.from, o.to);
  return o.json ? as_json(f, x, o, ks) : as_text(f, x, o, ks);
}

}  // namespace

void setup_kinks(CLI::App& app) {
  auto o = std::make_shared<KinksOptions>();
  CLI::App* cmd = app.add_subcommand(
      "kinks", "where f is not differentiable on an interval, with exact one-sided slopes");
  add_input(*cmd, o->input);
  add_wrt(*cmd, o->wrt, "the variable to search along (default x)");
  add_finite(*cmd, "--from", o->from, "start of the interval (default -4)");
  add_finite(*cmd, "--to", o->to, "end of the interval (default 4)");
  cmd->add_option("--at", o->at, "values of the other variables, like w=2,b=-1");
  cmd->add_flag("--json", o->json, "print JSON");
  add_out(*cmd, o->out);
  cmd->callback([o] { write_output(o->out, run(*o), o->input); });
}

}  // namespace slope::cli
