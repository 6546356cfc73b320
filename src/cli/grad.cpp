// SPDX-License-Identifier: MIT
// slope grad: the value and gradient at a point, through the reverse-mode tape.
#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <optional>
#include <slope/slope.hpp>

#include "cli/commands.hpp"
#include "cli/io.hpp"
#include "cli/json.hpp"
#include "cli/limits.hpp"
#include "cli/options.hpp"

namespace slope::cli {

namespace {

struct GradOptions {
  InputOptions input;
  std::string at, out = "-";
  Convention convention = Convention::min_norm;
  bool whole = false;  // --convention whole:NAME: applied to f itself, not op by op
  bool json = false;
};

/// One-sided partials: exact (one_sided) in each variable of an op sitting on its kink (any of
/// its switches may be the one that turns: clamp(x, 0, y) at 0, 0 kinks in y where lo meets hi);
/// every other partial is the tape's, which no convention touched.
std::vector<OneSided> one_sided_partials(const Expr& f, const Env& env,
                                         const std::vector<std::string>& vars,
                                         const std::vector<KinkHit>& hits, const Tape& tape,
                                         double value) {
  std::vector<OneSided> sides;
  for (std::size_t i = 0; i < vars.size(); ++i) {
    bool moves_a_kink = false;
    for (const KinkHit& h : hits) {
      const auto names = variables(h.node);
      moves_a_kink |= std::find(names.begin(), names.end(), vars[i]) != names.end();
    }
    const double g = tape.gradient()[i];
    sides.push_back(moves_a_kink ? one_sided(f, vars[i], env)
                                 : OneSided{value, g, g, value, value, std::isfinite(value)});
  }
  return sides;
}

/// A comparison at a tie of its sides, as the one variable x moves: its value (1 or 0) just
/// left, just right and at the point. None if f has several variables (each moves its own way).
struct ConditionInX {
  double left, right, here;
  std::string x;
  double x0;
};
std::optional<ConditionInX> condition_in_x(const KinkHit& h, const Env& env,
                                           const std::vector<std::string>& vars) {
  if (!is_comparison(h.node.op()) || vars.size() != 1) return std::nullopt;
  const OneSided c = one_sided(h.node, vars[0], env);
  if (!c.has_left || !c.has_right) return std::nullopt;
  return ConditionInX{c.left_limit, c.right_limit, c.value, vars[0], env.at(vars[0])};
}

/// An op at its switch with no corner for a convention to choose at (left == right): sqrt at 0
/// is the edge of its domain, sign jumps. What it does there, from its own one-sided analysis in
/// its argument. A comparison is described in x where that description differs: an inequality
/// that holds the same way on both sides, an equality that holds on one side only.
std::string no_corner_note(const KinkHit& h, const std::optional<ConditionInX>& in_x) {
  const auto text = [](const Expr& e) { return to_text_within(e, limits::text_length); };
  const Expr& n = h.node;
  const std::string at = fmt::format("{} is at {} = 0", text(n), text(h.argument));
  const auto truth = [](double v) { return v != 0 ? "true" : "false"; };
  bool unary = simplify(n.arg(0)) == h.argument;  // its switch is its argument
  for (std::size_t i = 1; i < n.size(); ++i) unary = unary && n.arg(i).is_const();
  // a condition that parts here: a boundary between branches, which the convention weighs (its
  // own slope, 0 on each side, says nothing of f's: x^3 > 8 at 2), or an equality that holds
  // on one side only
  if (in_x && in_x->left != in_x->right && (!unary || !is_inequality(n.op())))
    return fmt::format("{}: {} just left of {} = {}, {} just right of it", at, truth(in_x->left),
                       in_x->x, format_number(in_x->x0), truth(in_x->right));
  if (!unary)
    return fmt::format("{}, where its slope is {} whatever the convention", at,
                       format_number(h.left));
  const Expr u = var("u");
  std::vector<Expr> args(n.args().begin(), n.args().end());
  args[0] = u;
  const OneSided s = one_sided(make_op(n.op(), args), "u", {{"u", 0.0}});
  if (in_x && in_x->left == in_x->right && is_inequality(n.op()))
    return fmt::format("{}, and is {} on both sides of it{}", at, truth(in_x->left),
                       in_x->here == in_x->left
                           ? ""
                           : fmt::format(" ({} at that point alone)", truth(in_x->here)));
  if (std::isnan(s.left) != std::isnan(s.right))
    return fmt::format("{}, the edge of its domain: it has no value {}, slope {} {}", at,
                       std::isnan(s.left) ? "below" : "above",
                       format_number(std::isnan(s.left) ? s.right : s.left),
                       std::isnan(s.left) ? "above" : "below");
  if (s.discontinuity() == Break::pole)
    return fmt::format(
        "{}, where it has a pole (it tends to {} as {} rises to 0, {} as it falls "
        "to 0)",
        at, format_number(s.left_limit), text(h.argument), format_number(s.right_limit));
  if (!s.continuous && s.left_limit == s.right_limit)  // x != 0, x == 0: one point apart
    return fmt::format("{}, where it is {} at that point alone and {} on either side", at,
                       format_number(s.value), format_number(s.left_limit));
  if (!s.continuous)
    return fmt::format(
        "{}, where it jumps from {} to {} as {} rises through 0; its slope is {} "
        "on both sides",
        at, format_number(s.left_limit), format_number(s.right_limit), text(h.argument),
        format_number(s.left));
  return fmt::format("{}, where its slope is {} from both sides", at, format_number(s.left));
}

/// Why f has no derivative where it is not continuous, and the pieces' slopes where f has them.
std::string break_note(const OneSided& s) {
  const std::string slopes = fmt::format("slope {} from the left, {} from the right",
                                         format_number(s.left), format_number(s.right));
  switch (s.discontinuity()) {
    case Break::pole: {
      const auto from = [](double limit, std::string_view side) {  // no limit: no values there
        return std::isnan(limit)
                   ? fmt::format("has no values to the {}", side)
                   : fmt::format("tends to {} from the {}", format_number(limit), side);
      };
      const std::string right =
          std::isnan(s.left_limit) || std::isnan(s.right_limit)
              ? " and " + from(s.right_limit, "right")
              : fmt::format(", {} from the right", format_number(s.right_limit));
      return fmt::format("f has a pole here (it {}{}): no derivative", from(s.left_limit, "left"),
                         right);
    }
    case Break::hole:
      return "f has no value here: no derivative; " + slopes;
    case Break::no_limit:
      return fmt::format("f has no limit from the {} (it oscillates): no derivative",
                         s.has_left && std::isnan(s.left_limit) ? "left" : "right");
    case Break::removable:
      return fmt::format("f tends to {} from both sides but is {} here: no derivative; {}",
                         format_number(s.left_limit), format_number(s.value), slopes);
    default:
      return fmt::format("f jumps here, from {} to {}{}: no derivative; {}",
                         format_number(s.left_limit), format_number(s.right_limit),
                         std::isnan(s.value) ? ", and has no value" : "", slopes);
  }
}

/// What `conv` (empty for a whole: convention) takes at a tie of the op's arguments: the share
/// of each varying one's slope; undefined has no shares to give.
std::string shares(const KinkHit& h, const std::string& conv) {
  const auto text = [](const Expr& e) { return to_text_within(e, limits::text_length); };
  if (conv.empty()) return "";
  if (std::isnan(h.chosen))  // f has the arguments' slope where theirs agree
    return fmt::format("; {} gives a value only where their slopes agree", conv);
  std::vector<std::string> parts;
  for (std::size_t i = 0; i < h.node.size() && i < h.partials.size(); ++i)
    if (!h.node.arg(i).is_const())
      parts.push_back(fmt::format("{} of {}'s{}", format_number(h.partials[i]), text(h.node.arg(i)),
                                  parts.empty() ? " slope" : ""));
  std::string out = "; " + conv + " takes ";
  for (std::size_t i = 0; i < parts.size(); ++i)
    out += (i == 0 ? "" : i + 1 == parts.size() ? " and " : ", ") + parts[i];
  return out;
}

/// One line on an op at its kink, and what `conv` (empty for a whole: convention, where no op
/// chooses) takes there. max and min are at a tie of their arguments: the line names the tie
/// and the share of each argument's slope the convention takes, the numbers df/dx is made of.
std::string kink_note(const KinkHit& h, const std::string& conv, const Env& env,
                      const std::vector<std::string>& vars) {
  const auto text = [](const Expr& e) { return to_text_within(e, limits::text_length); };
  const Expr& n = h.node;
  if ((n.op() == Op::Max || n.op() == Op::Min) && n.size() == 2) {
    // h's slopes are the op's partial in its first non-constant argument
    const std::size_t first = n.arg(0).is_const() ? 1 : 0;
    const Expr &a = n.arg(first), &b = n.arg(1 - first);
    return fmt::format("{} is at a tie ({} = {}): it follows one argument on each side", text(n),
                       text(a), text(b)) +
           shares(h, conv) + "\n";
  }
  if ((n.op() == Op::Clamp || n.op() == Op::Hardtanh) && n.size() == 3 && !n.arg(0).is_const())
    for (std::size_t b : {1, 2})  // x at a tie with a bound that moves: as max's or min's tie
      if (!n.arg(b).is_const() && simplify(n.arg(0) - n.arg(b)) == h.argument)
        return fmt::format(
                   "{} is at a tie of {} with its {} bound ({} = {}): it follows one of them on "
                   "each side",
                   text(n), text(n.arg(0)), b == 1 ? "lower" : "upper", text(n.arg(0)),
                   text(n.arg(b))) +
               shares(h, conv) + "\n";
  if (h.left == h.right || (std::isnan(h.left) && std::isnan(h.right)))
    return no_corner_note(h, condition_in_x(h, env, vars)) + "\n";
  std::string note =
      fmt::format("{} is at its kink ({} = 0): its slope is {} below, {} above", text(n),
                  text(h.argument), format_number(h.left), format_number(h.right));
  if (!conv.empty()) note += fmt::format("; {} uses {}", conv, format_number(h.chosen));
  return note + "\n";
}

/// The composition trap: f is differentiable in this variable (equal one-sided slopes), yet the
/// ops' conventions at their kinks made the tape's value something else (relu(x) - relu(-x)).
bool trapped(const OneSided& side, double gradient) {
  // (a NaN gradient, undefined's no value at a kink of an op, is trapped too)
  return side.differentiable() &&
         !(std::abs(gradient - side.left) <= 1e-12 * std::max(1.0, std::abs(side.left)));
}

/// What the trap means for variable `var`. In one variable f is differentiable and whole: gives
/// its slope; with several, only the partial along `var` alone is (abs(x + y) - abs(x - y) at the
/// origin has partials 0 and 0, yet no gradient), and a whole: convention gives a lexicographic
/// derivative, which may differ from it.
std::string trap_note(const std::string& var, const OneSided& side, double gradient,
                      const GradOptions& o, std::size_t variable_count) {
  const std::string slope = format_number(side.left), name(to_string(o.convention));
  if (variable_count == 1)
    return fmt::format(
        "but f is differentiable here, slope {}: the convention, applied op by op, cannot see "
        "the whole function; --convention whole:{} gives {}",
        slope, name, slope);
  if (o.whole)
    return fmt::format(
        "along {} alone f has slope {}; whole:{} moves every variable at once and gives the "
        "lexicographic derivative, an element of f's Clarke gradient",
        var, slope, name);
  return fmt::format(
      "along {} alone f has slope {}, but the {} convention, applied op by op, gives {}; a whole: "
      "convention gives an element of f's Clarke gradient",
      var, slope, name, format_number(gradient));
}

std::string run(const GradOptions& o) {
  std::string input;
  const Expr f = read_expression(o.input, &input);
  const Env env = o.at.empty() ? Env{} : parse_at(o.at);
  check_at_names(names_of(env), {f}, {input});
  auto vars = variables(f);
  std::vector<double> values;
  for (const std::string& v : vars) {
    auto it = env.find(v);
    if (it == env.end()) throw UnboundVariable(v);
    values.push_back(it->second);
  }
  // A variable written that f no longer has (x - x + y) still gets its partial, 0, with or
  // without a value (f's does not depend on it).
  for (const std::string& name : variables_written(input))
    if (std::find(vars.begin(), vars.end(), name) == vars.end()) {
      vars.push_back(name);
      const auto it = env.find(name);
      values.push_back(it == env.end() ? 0.0 : it->second);
    }
  Tape tape = Tape::compile(f, vars, o.convention);
  const double value = tape.forward(values)[0];
  tape.reverse();
  const auto hits = kinks_at(f, env, o.convention);
  auto sides = one_sided_partials(f, env, vars, hits, tape, value);
  std::vector<double> gradient(tape.gradient().begin(), tape.gradient().end());
  if (o.whole && !hits.empty()) gradient = whole_gradient(f, vars, env, o.convention);
  // NaN where no op is on its kink yet f is smooth (undefined at a tie on a whole stretch):
  // f's own slope. At a kink, undefined op by op has no value, as its note says.
  for (std::size_t i = 0; i < vars.size() && hits.empty(); ++i) {
    gradient[i] = defined_slope(f, vars[i], env, gradient[i]);
    if (std::isnan(sides[i].left) && std::isnan(sides[i].right) && !std::isnan(gradient[i]))
      sides[i] = one_sided(f, vars[i], env);
  }
  const std::string conv = (o.whole ? "whole:" : "") + std::string(to_string(o.convention));
  if (o.json) {
    std::vector<std::string> warnings;
    const json v = json_number(value, warnings, "the value");
    json g = json::object(), one = json::object(), kinks = json::array();
    for (std::size_t i = 0; i < vars.size(); ++i) {
      g[vars[i]] = json_number(gradient[i], warnings, "d/d" + vars[i]);
      one[vars[i]] = {{"left", json_slope(sides[i].left)},
                      {"right", json_slope(sides[i].right)},
                      {"continuous", sides[i].continuous}};
      if (sides[i].vertical_tangent())
        warnings.push_back(fmt::format(
            "d/d{}: f has a vertical tangent here (slope {} from both sides) and no derivative; "
            "{} is the {} convention's value",
            vars[i], format_number(sides[i].left), format_number(gradient[i]), conv));
      if (!trapped(sides[i], gradient[i])) continue;
      // (in one variable JSON's warning names the value the convention gave, which the text
      // shows beside it)
      warnings.push_back(
          vars.size() == 1
              ? fmt::format(
                    "d/d{}: f is differentiable here with slope {}, but the {} "
                    "convention, applied op by op, gives {}; --convention whole:{} gives {}",
                    vars[i], format_number(sides[i].left), to_string(o.convention),
                    format_number(gradient[i]), to_string(o.convention),
                    format_number(sides[i].left))
              : "d/d" + vars[i] + ": " + trap_note(vars[i], sides[i], gradient[i], o, vars.size()));
    }
    for (const KinkHit& h : hits) {
      json k{{"node", to_text_within(h.node, limits::text_length)},
             {"argument", to_text_within(h.argument, limits::text_length)},
             {"left", json_slope(h.left)},
             {"right", json_slope(h.right)}};
      k["chosen"] = o.whole ? json(nullptr) : json_slope(h.chosen);  // whole: no op chooses
      kinks.push_back(k);
    }
    json j{{"expression", limits::named_text(f)},
           {"value", v},
           {"gradient", g},
           {"convention", conv},
           {"one_sided", one},
           {"kinks", kinks}};
    if (!warnings.empty()) j["warnings"] = warnings;
    return j.dump() + "\n";
  }
  std::string text = "f = " + format_number(value) + "\n";
  for (std::size_t i = 0; i < vars.size(); ++i) {
    text += "df/d" + vars[i] + " = " + format_number(gradient[i]);
    if (!sides[i].continuous)  // sign(x) at 0, 1/x at 0
      text += "  (" + break_note(sides[i]) + ")";
    else if (!(sides[i].left == sides[i].right))  // a kink in this variable: its exact slopes
      text += "  (" + format_number(sides[i].left) + " from the left, " +
              format_number(sides[i].right) + " from the right)";
    else if (sides[i].vertical_tangent())  // relu(x)^0.5 - relu(-x)^0.5 at 0
      text += "  (a vertical tangent: slope " + format_number(sides[i].left) +
              " from both sides, so f has no derivative here; " + format_number(gradient[i]) +
              " is the " + conv + " convention's value" + (o.whole ? "" : ", applied op by op") +
              ")";
    else if (trapped(sides[i], gradient[i]))
      text += "  (" + trap_note(vars[i], sides[i], gradient[i], o, vars.size()) + ")";
    text += "\n";
  }
  for (const KinkHit& h : hits) text += kink_note(h, o.whole ? "" : conv, env, vars);
  return text + "(convention at kinks: " + conv + ")\n";
}

}  // namespace

void setup_grad(CLI::App& app) {
  auto o = std::make_shared<GradOptions>();
  CLI::App* cmd =
      app.add_subcommand("grad", "value and gradient at a point, through the reverse-mode tape");
  add_input(*cmd, o->input);
  cmd->add_option("--at", o->at, "variable values, like x=1.5,w=2");
  add_convention(*cmd, o->convention, &o->whole);
  cmd->add_flag("--json", o->json, "print JSON");
  add_out(*cmd, o->out);
  cmd->callback([o] { write_output(o->out, run(*o), o->input); });
}

}  // namespace slope::cli
