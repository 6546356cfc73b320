// SPDX-License-Identifier: MIT
// slope simplify: f in piecewise normal form, one set of cases over intervals of x.
#include <slope/slope.hpp>

#include "cli/commands.hpp"
#include "cli/io.hpp"
#include "cli/json.hpp"
#include "cli/limits.hpp"
#include "cli/options.hpp"

namespace slope::cli {

namespace {

struct SimplifyOptions {
  InputOptions input;
  std::string wrt, format = "pretty", out = "-";
  bool standalone = false;
};

std::string run(const SimplifyOptions& o) {
  if (o.standalone && o.format != "latex")
    throw UsageError("--standalone goes with --format latex");
  const Expr f = read_expression(o.input);
  (void)limits::named_text(f);  // refuses what no printer could spell out (see diff)
  const std::string x = variable_to_differentiate(f, o.wrt);
  const Expr folded = as_cases(f, x);
  const std::string folded_text = limits::named_text(folded);
  if (o.format == "text") return folded_text + "\n";  // parses back, so it pipes on
  if (o.format == "latex") {
    const std::string fragment = "\\[\n" + to_latex(f) + " =\n" + to_latex(folded) + "\n\\]\n";
    return o.standalone ? latex_document(fragment) : fragment;
  }
  if (o.format == "json")
    return json{{"expression", to_text(f)},
                {"wrt", x},
                {"simplified", folded_text},
                {"latex", to_latex(folded)}}
               .dump() +
           "\n";
  return pretty_equation(text_or_size(f, 200), folded,
                         o.format == "ascii" ? Charset::ascii : Charset::unicode) +
         "\n";
}

}  // namespace

void setup_simplify(CLI::App& app) {
  auto o = std::make_shared<SimplifyOptions>();
  CLI::App* cmd = app.add_subcommand(
      "simplify", "f as one set of cases over intervals of x (the form diff prints)");
  add_input(*cmd, o->input);
  add_wrt(*cmd, o->wrt, "the variable the cases are over (default: x, else the first one)");
  cmd->add_option("--format", o->format,
                  "pretty (2-D, default), ascii, text (one line), latex, json")
      ->check(one_of("a format", {"pretty", "ascii", "text", "latex", "json"}));
  cmd->add_flag("--standalone", o->standalone, "with --format latex: a complete document");
  add_out(*cmd, o->out);
  cmd->callback([o] { write_output(o->out, run(*o), o->input); });
}

}  // namespace slope::cli
