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

constexpr Language languages[] = {Language::cpp, Language::python, Language::numpy,
                                  Language::torch};

}  // namespace

void setup_emit(CLI::App& app) {
  auto o = std::make_shared<EmitOptions>();
  CLI::App* cmd = app.add_subcommand("emit", "source code for f (and its derivatives)");
  add_input(*cmd, o->input);
  std::vector<std::string> names;
  for (const Language l : languages) names.emplace_back(language_name(l));
  cmd->add_option_function<std::string>(
         "--lang",
         [o](const std::string& name) {
           for (const Language l : languages)
             if (language_name(l) == name) o->language = l;
         },
         "cpp, python, numpy (default) or torch (an autograd.Function and nn.Module, always "
         "with the derivative)")
      ->check(one_of("a language", names))
      ->option_text("TEXT:{cpp,python,numpy,torch}");
  cmd->add_flag("--grad", o->gradient, "also emit the derivatives (not with --lang torch)");
  add_convention(*cmd, o->convention);
  add_out(*cmd, o->out);
  cmd->callback([o] {
    // The torch bridge's backward is the derivative: there is nothing for --grad to add.
    if (o->gradient && o->language == Language::torch)
      throw UsageError(
          "--grad does not go with --lang torch: its code always has the derivative (f_gradient, "
          "the autograd backward); drop --grad");
    const Expr f = read_expression(o->input);
    write_output(o->out, emit(f, o->language, o->gradient, o->convention), o->input);
  });
}

}  // namespace slope::cli
