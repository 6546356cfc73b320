// slope diff: the derivative formula, with a note on each kink.
#include <fmt/format.h>

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
  bool convention_given = false, steps = false;
  int order = 1;
};

std::string steps_output(const DiffOptions& o, const Expr& f, const std::string& x) {
  if (o.order != 1) throw UsageError("--steps explains first derivatives only (drop --order)");
  const Derivation how = explain(f, x, o.convention);
  if (o.format == "latex") return render_latex(how);
  if (o.format == "markdown") return render_markdown(how);
  if (o.format == "pretty" || o.format == "ascii")
    return render_text(how, o.format == "ascii" ? Charset::ascii : Charset::unicode);
  throw UsageError("--steps prints pretty, ascii, latex or markdown, not --format " + o.format);
}

std::string header(const std::string& x, int order) {
  return order == 1 ? "d/d" + x
                    : "d^" + std::to_string(order) + "/d" + x + "^" + std::to_string(order);
}

std::string run(const DiffOptions& o) {
  const Expr f = read_expression(o.input);
  const std::string x = variable_to_differentiate(f, o.wrt);
  if (o.steps) return steps_output(o, f, x);
  if (o.format == "markdown")
    throw UsageError("--format markdown is for --steps; without it use text, latex or json");
  if (o.order < 1 || o.order > limits::max_order)
    throw UsageError(fmt::format("--order must be between 1 and {}", limits::max_order));
  const Expr d = diff(f, x, o.order, o.convention);
  if (o.format == "text") return to_text(d) + "\n";
  if (o.format == "latex") {
    const std::string lhs = o.order == 1
                                ? "\\frac{d}{d" + to_latex(var(x)) + "}"
                                : "\\frac{d^{" + std::to_string(o.order) + "}}{d" +
                                      to_latex(var(x)) + "^{" + std::to_string(o.order) + "}}";
    return lhs + " " + to_latex(f) + " =\n" + to_latex(d) + "\n";
  }
  if (o.format == "dot") return to_dot(d, "d/d" + x);
  if (o.format == "json") {
    json j{{"wrt", x},
           {"derivative", to_text(d)},
           {"latex", to_latex(d)},
           {"convention", std::string(to_string(o.convention))}};
    if (o.order != 1) j["order"] = o.order;
    return j.dump() + "\n";
  }
  const Charset cs = o.format == "ascii" ? Charset::ascii : Charset::unicode;  // pretty, ascii
  if (o.order != 1) return pretty_equation(header(x, o.order) + " " + to_text(f), d, cs) + "\n";
  std::string block = describe_derivative(f, x, o.convention, cs);
  if (!o.convention_given && !kink_notes(f, x, o.convention).empty())
    block += "(--convention left|right|average|undefined to change)\n";
  return block;
}

}  // namespace

void setup_diff(CLI::App& app) {
  auto o = std::make_shared<DiffOptions>();
  CLI::App* cmd = app.add_subcommand("diff", "the derivative formula, with a note on each kink");
  add_input(*cmd, o->input);
  add_wrt(*cmd, o->wrt, "the variable (default: x, else the first one)");
  CLI::Option* convention = add_convention(*cmd, o->convention);
  cmd->add_option("--format", o->format,
                  "pretty (2-D, default), ascii, text (one line), latex, dot, json, markdown "
                  "(with --steps)")
      ->check(CLI::IsMember({"pretty", "ascii", "text", "latex", "dot", "json", "markdown"}));
  cmd->add_flag("--steps", o->steps, "derive it step by step");
  cmd->add_option("--order", o->order, "derivative order (default 1)");
  add_out(*cmd, o->out);
  cmd->callback([o, convention] {
    o->convention_given = convention->count() > 0;
    write_output(o->out, run(*o), o->input);
  });
}

}  // namespace slope::cli
