// SPDX-License-Identifier: MIT
// slope diff: the derivative formula, with a note on each kink.
#include <fmt/format.h>

#include <algorithm>
#include <slope/slope.hpp>

#include "cli/commands.hpp"
#include "cli/io.hpp"
#include "cli/json.hpp"
#include "cli/limits.hpp"
#include "cli/options.hpp"

namespace slope::cli {

namespace {

struct DiffOptions {
  InputOptions input;
  std::string wrt, format = "pretty", out = "-";
  Convention convention = Convention::min_norm;
  bool convention_given = false, steps = false, standalone = false;
  int order = 1;
};

/// The formats, the one list: --format's check, its help and the refusals are made from it.
struct Format {
  std::string_view name;
  bool plain, steps;  // printed without --steps, with --steps
};
constexpr Format formats[] = {
    {"pretty", true, true}, {"ascii", true, true}, {"text", true, false},    {"latex", true, true},
    {"dot", true, false},   {"json", true, true},  {"markdown", false, true}};

/// "pretty, ascii, latex, markdown or json": the formats printed with --steps (or without).
std::string format_names(bool steps) {
  std::vector<std::string_view> names;
  for (const Format& f : formats)
    if (steps ? f.steps : f.plain) names.push_back(f.name);
  std::string out;
  for (std::size_t i = 0; i < names.size(); ++i)
    out +=
        std::string(i == 0 ? "" : (i + 1 == names.size() ? " or " : ", ")) + std::string(names[i]);
  return out;
}

std::string steps_output(const DiffOptions& o, const Expr& f, const std::string& x) {
  if (o.order != 1) throw UsageError("--steps explains first derivatives only (drop --order)");
  for (const Format& format : formats)
    if (format.name == o.format && !format.steps)
      throw UsageError("--steps prints " + format_names(true) + ", not --format " + o.format);
  const Derivation how = explain(f, x, o.convention);
  if (o.format == "latex") return render_latex(how);
  if (o.format == "markdown") return render_markdown(how);
  if (o.format == "json") return render_json(how);
  return render_text(how, o.format == "ascii" ? Charset::ascii : Charset::unicode);
}

/// Nodes plus arguments: what the next differentiation walks, and more or less what it costs.
std::size_t graph_size(const Expr& e) {
  std::size_t n = 0;
  for (const Expr& node : topological_order(e)) n += 1 + node.size();
  return n;
}

/// The order-th derivative, one order at a time. Each order of a product of k factors has k
/// times the terms of the last (--order 12 of a five-factor product: 5^12), so a derivative
/// grown past the limit is not differentiated again.
Expr derivative(const Expr& f, const std::string& x, int order, Convention convention) {
  const std::size_t limit = std::max(limits::derivative_size, 4 * graph_size(f));
  Expr d = f;
  for (int k = 1; k <= order; ++k) {
    d = diff(d, x, convention);
    if (k == order) break;
    if (const std::size_t size = graph_size(d); size > limit)
      throw UsageError(fmt::format(
          "--order {}: the derivative of order {} already has {} nodes and arguments, over the "
          "limit of {} for differentiating it again; ask for --order {} or less",
          order, k, size, limit, k));
  }
  return d;
}

/// The pretty output's last line: every format names the convention. A kink note already has
/// (`using 0, the min_norm convention`), so after notes the line says how to change it.
std::string convention_line(const DiffOptions& o, bool has_notes) {
  if (has_notes)
    return o.convention_given ? "" : "(--convention left|right|average|undefined to change)\n";
  return "(derivatives at kinks follow the " + std::string(to_string(o.convention)) +
         " convention)\n";
}

std::string run(const DiffOptions& o) {
  if (o.standalone && o.format != "latex")
    throw UsageError("--standalone goes with --format latex");
  const Expr f = read_expression(o.input);
  // Every format prints f with its shared parts named (u1() = ...): refuse one whose text is
  // huge even so before a printer runs for hours. (Spelled out, max(u, 0.5*u) 24 deep is 2^24
  // copies of x.)
  (void)limits::named_text(f);
  const std::string x = variable_to_differentiate(f, o.wrt);
  if (o.steps) {
    const std::string steps = steps_output(o, f, x);
    return o.standalone ? latex_document(steps) : steps;
  }
  for (const Format& format : formats)
    if (format.name == o.format && !format.plain)
      throw UsageError("--format " + o.format + " is for --steps; without it use " +
                       format_names(false));
  if (o.order < 1 || o.order > limits::max_order)
    throw UsageError(fmt::format("--order must be between 1 and {}", limits::max_order));
  const Expr d = derivative(f, x, o.order, o.convention);
  // Every printer names the shared parts of a large derivative (u1 = ...), so each output is
  // about as long as the named text; dot draws each node once.
  const std::string d_text = limits::named_text(d);
  if (o.format == "text")  // a comment the parser skips, so it still pipes into `slope eval -`
    return d_text + "  # " + std::string(to_string(o.convention)) + " convention at kinks\n";
  if (o.format == "latex") {
    const std::string fragment = derivative_latex(f, x, o.convention, o.order);
    return o.standalone ? latex_document(fragment) : fragment;
  }
  if (o.format == "dot") {
    std::string comment = "// d/d" + x + " " + text_or_size(f, 10'000) + "; " +
                          std::string(to_string(o.convention)) + " convention at kinks";
    std::replace(comment.begin(), comment.end(), '\n', ' ');
    return comment + "\n" + to_dot(d, "d/d" + x);
  }
  if (o.format == "json") {
    json j{{"wrt", x},
           {"derivative", to_text(d)},
           {"latex", to_latex(d)},
           {"convention", std::string(to_string(o.convention))}};
    if (o.order != 1) j["order"] = o.order;
    return j.dump() + "\n";
  }
  const Charset cs = o.format == "ascii" ? Charset::ascii : Charset::unicode;  // pretty, ascii
  if (o.order != 1) {
    // The kinks of this order are those of the order below, which it differentiates.
    std::string out = pretty_equation(derivative_of_text(f, x, o.order), d, cs) + "\n";
    // the notes describe that derivative: f' (f'' ...) jumps, not f
    const auto notes = kink_notes(derivative(f, x, o.order - 1, o.convention), x, o.convention,
                                  "f" + std::string(static_cast<std::size_t>(o.order - 1), '\''));
    if (!notes.empty())
      out +=
          fmt::format("\nthe kinks of the derivative of order {}, which this one differentiates:\n",
                      o.order - 1);
    for (const std::string& n : notes) out += n + "\n";
    return out + convention_line(o, !notes.empty());
  }
  const auto notes = kink_notes(f, x, o.convention);
  return describe_derivative(f, x, o.convention, cs, notes) + convention_line(o, !notes.empty());
}

}  // namespace

void setup_diff(CLI::App& app) {
  auto o = std::make_shared<DiffOptions>();
  CLI::App* cmd = app.add_subcommand("diff", "the derivative formula, with a note on each kink");
  add_input(*cmd, o->input);
  add_wrt(*cmd, o->wrt, "the variable (default: x, else the first one)");
  CLI::Option* convention = add_convention(*cmd, o->convention);
  std::vector<std::string> names;
  for (const Format& f : formats) names.emplace_back(f.name);
  cmd->add_option("--format", o->format,
                  "pretty (2-D, default), ascii, text (one line), latex, dot, json, markdown "
                  "(with --steps)")
      ->check(one_of("a format", names));
  cmd->add_flag("--steps", o->steps, "derive it step by step");
  cmd->add_option("--order", o->order, "derivative order (default 1)");
  cmd->add_flag("--standalone", o->standalone, "with --format latex: a complete document");
  add_out(*cmd, o->out);
  cmd->callback([o, convention] {
    o->convention_given = convention->count() > 0;
    write_output(o->out, run(*o), o->input);
  });
}

}  // namespace slope::cli
