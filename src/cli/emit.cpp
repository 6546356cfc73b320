// SPDX-License-Identifier: MIT
// slope emit: source code for f and its derivatives.
#include <slope/slope.hpp>

#include "cli/commands.hpp"
#include "cli/io.hpp"
#include "cli/options.hpp"

namespace slope::cli {

namespace {

struct EmitOptions {
  InputOptions input;
  Language language = Language::numpy;
  Convention convention = Convention::min_norm;
  bool gradient = false;
  std::string out = "-";
};

}  // namespace

void setup_emit(CLI::App& app) {
  auto o = std::make_shared<EmitOptions>();
  CLI::App* cmd = app.add_subcommand("emit", "source code for f (and its derivatives)");
  add_input(*cmd, o->input);
  const std::map<std::string, Language> languages{{"cpp", Language::cpp},
                                                  {"python", Language::python},
                                                  {"numpy", Language::numpy},
                                                  {"torch", Language::torch}};
  cmd->add_option("--lang", o->language,
                  "cpp, python, numpy (default) or torch (an autograd.Function and nn.Module)")
      ->transform(CLI::CheckedTransformer(languages))
      ->option_text("TEXT:{cpp,python,numpy,torch}");
  cmd->add_flag("--grad", o->gradient, "also emit the derivatives");
  add_convention(*cmd, o->convention);
  add_out(*cmd, o->out);
  cmd->callback([o] {
    const Expr f = read_expression(o->input);
    write_output(o->out, emit(f, o->language, o->gradient, o->convention), o->input);
  });
}

}  // namespace slope::cli
