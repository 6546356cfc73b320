// slope grad: the value and gradient at a point, through the reverse-mode tape.
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
  bool json = false;
};

std::string run(const GradOptions& o) {
  const Expr f = read_expression(o.input);
  const Env env = o.at.empty() ? Env{} : parse_at(o.at);
  const auto vars = variables(f);
  std::vector<double> values;
  for (const std::string& v : vars) {
    auto it = env.find(v);
    if (it == env.end()) throw UnboundVariable(v);
    values.push_back(it->second);
  }
  Tape tape = Tape::compile(f, vars, o.convention);
  const double value = tape.forward(values)[0];
  tape.reverse();
  if (o.json) {
    std::vector<std::string> warnings;
    const json v = json_number(value, warnings, "the value");
    json g = json::object();
    for (std::size_t i = 0; i < vars.size(); ++i)
      g[vars[i]] = json_number(tape.gradient()[i], warnings, "d/d" + vars[i]);
    json j{{"expression", to_text_within(f, limits::text_length)},
           {"value", v},
           {"gradient", g},
           {"convention", std::string(to_string(o.convention))}};
    if (!warnings.empty()) j["warnings"] = warnings;
    return j.dump() + "\n";
  }
  std::string text = "f = " + format_number(value) + "\n";
  for (std::size_t i = 0; i < vars.size(); ++i)
    text += "df/d" + vars[i] + " = " + format_number(tape.gradient()[i]) + "\n";
  return text + "(convention at kinks: " + std::string(to_string(o.convention)) + ")\n";
}

}  // namespace

void setup_grad(CLI::App& app) {
  auto o = std::make_shared<GradOptions>();
  CLI::App* cmd =
      app.add_subcommand("grad", "value and gradient at a point, through the reverse-mode tape");
  add_input(*cmd, o->input);
  cmd->add_option("--at", o->at, "variable values, like x=1.5,w=2");
  add_convention(*cmd, o->convention);
  cmd->add_flag("--json", o->json, "print JSON");
  add_out(*cmd, o->out);
  cmd->callback([o] { write_output(o->out, run(*o), o->input); });
}

}  // namespace slope::cli
