// The `slope` command-line tool: argument parsing (CLI11) and output; the work is the library's.
// Exit status: 0 success, 1 an error in the user's expression or values, 2 bad usage.
#include <CLI/CLI.hpp>
#include <cmath>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <nlohmann/json.hpp>
#include <slope/slope.hpp>
#include <sstream>

namespace {

using namespace slope;
using json = nlohmann::ordered_json;  // keys in the documented order

/// Errors in how slope was called (exit 2), as opposed to errors in the expression (exit 1).
struct UsageError : std::runtime_error {
  using std::runtime_error::runtime_error;
};

struct Input {
  std::string expr;  // the positional EXPR, "-" for standard input
  std::string file;  // --file
  Expr read() const {
    std::string text;
    if (!file.empty()) {
      std::ifstream in(file, std::ios::binary);
      if (!in) throw UsageError("cannot read '" + file + "'");
      text.assign(std::istreambuf_iterator<char>(in), {});
    } else if (expr == "-") {
      text.assign(std::istreambuf_iterator<char>(std::cin), {});
    } else if (!expr.empty()) {
      text = expr;
    } else {
      throw UsageError(
          "give an expression, like: slope diff \"relu(x)\" (or --file F, or - for standard "
          "input)");
    }
    return parse(text);
  }
};

Convention convention_of(const std::string& name) { return *parse_convention(name); }

std::string default_wrt(const Expr& f, const std::string& wrt) {
  if (!wrt.empty()) return wrt;
  const auto vars = variables(f);
  if (vars.empty() || std::find(vars.begin(), vars.end(), "x") != vars.end()) return "x";
  return vars.front();
}

/// --at x=1.5,w=2: each value may be any constant expression (-1, 1e-3, inf).
Env parse_at(const std::string& text) {
  Env env;
  std::stringstream ss(text);
  std::string item;
  while (std::getline(ss, item, ',')) {
    const auto eq = item.find('=');
    if (eq == std::string::npos || eq == 0)
      throw UsageError(
          "--at expects name=value pairs separated by commas, like --at x=1.5,w=2 (got '" + item +
          "')");
    std::string name = item.substr(0, eq);
    name.erase(0, name.find_first_not_of(' '));
    name.erase(name.find_last_not_of(' ') + 1);
    const Expr v = parse(item.substr(eq + 1));
    if (!v.is_const())
      throw UsageError("--at " + name + "=" + item.substr(eq + 1) + ": the value must be a number");
    env[name] = v.value();
  }
  return env;
}

json number(double v, std::vector<std::string>& warnings, const std::string& what) {
  if (std::isfinite(v)) return v;
  warnings.push_back(what + " is " +
                     (std::isnan(v) ? "undefined (NaN)" : (v > 0 ? "+infinity" : "-infinity")));
  return nullptr;
}

std::string pretty_header(const std::string& x, int order) {
  return order == 1 ? "d/d" + x
                    : "d^" + std::to_string(order) + "/d" + x + "^" + std::to_string(order);
}

// ---- subcommands ---------------------------------------------------------------------------

int run_diff(const Input& in, const std::string& wrt_opt, const std::string& conv_name,
             bool conv_given, const std::string& format, bool steps, int order) {
  const Expr f = in.read();
  const std::string x = default_wrt(f, wrt_opt);
  const Convention c = convention_of(conv_name);
  if (order < 1) throw UsageError("--order must be 1 or more");
  const Expr d = diff(f, x, order, c);
  if (steps) {
    if (order != 1) throw UsageError("--steps explains first derivatives only (drop --order)");
    const Derivation how = explain(f, x, c);
    if (format == "latex")
      std::cout << render_latex(how);
    else if (format == "markdown")
      std::cout << render_markdown(how);
    else
      std::cout << render_text(how, format == "ascii" ? Charset::ascii : Charset::unicode);
    return 0;
  }
  if (format == "text") {
    std::cout << to_text(d) << "\n";
  } else if (format == "latex") {
    const std::string lhs = order == 1 ? "\\frac{d}{d" + x + "}"
                                       : "\\frac{d^{" + std::to_string(order) + "}}{d" + x + "^{" +
                                             std::to_string(order) + "}}";
    std::cout << lhs << " " << to_latex(f) << " =\n" << to_latex(d) << "\n";
  } else if (format == "dot") {
    std::cout << to_dot(d, "d/d" + x);
  } else if (format == "json") {
    json j{{"wrt", x},
           {"derivative", to_text(d)},
           {"latex", to_latex(d)},
           {"convention", to_string(c)}};
    if (order != 1) j["order"] = order;
    std::cout << j.dump() << "\n";
  } else {  // pretty, ascii
    const Charset cs = format == "ascii" ? Charset::ascii : Charset::unicode;
    if (order == 1) {
      std::string block = describe_derivative(f, x, c, cs);
      if (!conv_given && !kink_notes(f, x, c).empty())
        block += "(--convention left|right|average|undefined to change)\n";
      std::cout << block;
    } else {
      std::cout << pretty_equation(pretty_header(x, order) + " " + to_text(f), d, cs) << "\n";
    }
  }
  return 0;
}

int run_eval(const Input& in, const std::string& at) {
  const Expr f = in.read();
  const double v = eval(f, parse_at(at));
  std::cout << format_number(v) << "\n";
  if (!std::isfinite(v))
    std::cerr << "warning: the value is " << (std::isnan(v) ? "undefined (NaN)" : "infinite")
              << "\n";
  return 0;
}

int run_grad(const Input& in, const std::string& at, const std::string& conv_name, bool as_json) {
  const Expr f = in.read();
  const Convention c = convention_of(conv_name);
  const Env env = parse_at(at);
  const auto vars = variables(f);
  std::vector<double> values;
  for (const std::string& v : vars) {
    auto it = env.find(v);
    if (it == env.end()) throw UnboundVariable(v);
    values.push_back(it->second);
  }
  Tape tape = Tape::compile(f, vars, c);
  const double value = tape.forward(values)[0];
  tape.reverse();
  if (as_json) {
    std::vector<std::string> warnings;
    const json v = number(value, warnings, "the value");
    json g = json::object();
    for (std::size_t i = 0; i < vars.size(); ++i)
      g[vars[i]] = number(tape.gradient()[i], warnings, "d/d" + vars[i]);
    json j{{"expression", to_text(f)}, {"value", v}, {"gradient", g}, {"convention", to_string(c)}};
    if (!warnings.empty()) j["warnings"] = warnings;
    std::cout << j.dump() << "\n";
    return 0;
  }
  std::cout << "f = " << format_number(value) << "\n";
  for (std::size_t i = 0; i < vars.size(); ++i)
    std::cout << "df/d" << vars[i] << " = " << format_number(tape.gradient()[i]) << "\n";
  std::cout << "(convention at kinks: " << to_string(c) << ")\n";
  return 0;
}

int run_table(const Input& in, const std::string& wrt_opt, double from, double to, double step,
              bool csv, const std::string& conv_name, const std::string& at) {
  const Expr f = in.read();
  const std::string x = default_wrt(f, wrt_opt);
  if (!(step > 0)) throw UsageError("--step must be positive");
  if (to < from) throw UsageError("--to must not be less than --from");
  const double count = std::floor((to - from) / step + 1e-9) + 1;
  if (count > 1e6) throw UsageError("that is more than a million rows; use a larger --step");
  const Expr d = diff(f, x, convention_of(conv_name));
  Env env = at.empty() ? Env{} : parse_at(at);
  std::vector<std::array<std::string, 3>> rows;
  for (long i = 0; i < static_cast<long>(count); ++i) {
    const double xv = from + static_cast<double>(i) * step;
    env[x] = xv;
    rows.push_back({format_number(xv), format_number(eval(f, env)), format_number(eval(d, env))});
  }
  const std::array<std::string, 3> head{x, "f(" + x + ")", "f'(" + x + ")"};
  if (csv) {
    std::cout << head[0] << "," << head[1] << "," << head[2] << "\n";
    for (const auto& r : rows) std::cout << r[0] << "," << r[1] << "," << r[2] << "\n";
    return 0;
  }
  std::array<std::size_t, 3> width{};
  for (int k = 0; k < 3; ++k) {
    width[k] = head[k].size();
    for (const auto& r : rows) width[k] = std::max(width[k], r[k].size());
  }
  auto line = [&](const std::array<std::string, 3>& r) {
    std::cout << fmt::format("{:>{}}  {:>{}}  {:>{}}\n", r[0], width[0], r[1], width[1], r[2],
                             width[2]);
  };
  line(head);
  for (const auto& r : rows) line(r);
  return 0;
}

int run_plot(const Input& in, const std::string& wrt_opt, double from, double to, int points,
             const std::string& out, const std::string& conv_name, const std::string& at) {
  const Expr f = in.read();
  PlotOptions o;
  o.x = default_wrt(f, wrt_opt);
  o.from = from;
  o.to = to;
  o.points = points;
  o.convention = convention_of(conv_name);
  if (!at.empty()) o.others = parse_at(at);
  if (!(to > from)) throw UsageError("--to must be greater than --from");
  if (points < 2 || points > 100000) throw UsageError("--points must be between 2 and 100000");
  const std::string svg = plot_svg(f, o);
  // Write next to the target, then rename: an interrupted or failing write never leaves a
  // truncated file under the requested name.
  const std::filesystem::path target(out), temp = target.string() + ".tmp";
  {
    std::ofstream file(temp, std::ios::binary | std::ios::trunc);
    if (!file) throw UsageError("cannot write '" + temp.string() + "'");
    file << svg;
    file.close();
    if (!file) {
      std::filesystem::remove(temp);
      throw UsageError("writing '" + temp.string() + "' failed");
    }
  }
  std::error_code ec;
  std::filesystem::rename(temp, target, ec);
  if (ec) {
    std::filesystem::remove(temp);
    throw UsageError("cannot create '" + out + "': " + ec.message());
  }
  std::cout << "wrote " << out << "\n";
  return 0;
}

int run_emit(const Input& in, const std::string& lang, bool gradient,
             const std::string& conv_name) {
  const Expr f = in.read();
  Language l = Language::numpy;
  for (Language each : {Language::cpp, Language::python, Language::numpy, Language::torch})
    if (lang == to_string(each)) l = each;
  std::cout << emit(f, l, gradient, convention_of(conv_name));
  return 0;
}

int run_tour() {
  const Expr x = var("x"), f = relu(x);
  std::cout << "relu(x) = " << to_text(definition(f)) << "\n\n";
  std::cout << pretty_equation("d/dx relu(x)", diff(f, x), Charset::unicode) << "\n\n";
  std::cout << "At x = 0 the slope jumps from 0 to 1, so relu has no derivative there.\n"
               "Every library picks a value. slope lets you choose:\n\n";
  const char* who[] = {"PyTorch, JAX, TensorFlow (slope's default)", "the slope just left of 0",
                       "tutorials that write \"f'(x) = 1 for x >= 0\"",
                       "SymPy (Heaviside(0) = 1/2)", "the mathematician's answer"};
  std::cout << "  convention   relu'(0)   who uses it\n";
  for (std::size_t i = 0; i < std::size(all_conventions); ++i) {
    const Convention c = all_conventions[i];
    const double at0 = eval(diff(f, x, c), {{"x", 0}});
    std::cout << fmt::format("  {:<11}  {:<9}  {}\n", to_string(c),
                             std::isnan(at0) ? "nan" : format_number(at0), who[i]);
  }
  std::cout << "\nTry: slope diff \"leaky_relu(x)\"   slope plot \"relu(x)\" --out relu.svg   "
               "slope --help\n";
  return 0;
}

}  // namespace

int main(int argc, char** argv) {
  CLI::App app{
      "slope: derivatives of piecewise functions, derived, explained and computed.\n"
      "Run `slope` alone for a short tour."};
  app.set_version_flag("--version", "slope 0.1.0");
  app.require_subcommand(0, 1);
  const std::vector<std::string> conventions{"min_norm", "left", "right", "average", "undefined"};

  Input input;
  std::string wrt, conv = "min_norm", format = "pretty", at, out, lang = "numpy";
  bool steps = false, as_json = false, csv = false, gradient = false;
  int order = 1, points = 400;
  double from = -4, to = 4, step = 1;

  auto add_input = [&](CLI::App* sub) {
    sub->add_option("expr", input.expr, "the expression, or - to read it from standard input");
    sub->add_option("--file", input.file, "read definitions and the expression from a file");
  };
  auto add_convention = [&](CLI::App* sub) {
    return sub
        ->add_option("--convention", conv,
                     "the derivative at kinks: min_norm (default), left, right, average, undefined")
        ->check(CLI::IsMember(conventions));
  };

  CLI::App* diff_cmd =
      app.add_subcommand("diff", "the derivative formula, with a note on each kink");
  add_input(diff_cmd);
  diff_cmd->add_option("--wrt", wrt, "the variable (default: x, else the first one)");
  CLI::Option* conv_opt = add_convention(diff_cmd);
  diff_cmd
      ->add_option("--format", format,
                   "pretty (2-D, default), ascii, text (one line), latex, dot, json, markdown "
                   "(with --steps)")
      ->check(CLI::IsMember({"pretty", "ascii", "text", "latex", "dot", "json", "markdown"}));
  diff_cmd->add_flag("--steps", steps, "derive it step by step");
  diff_cmd->add_option("--order", order, "derivative order (default 1)");

  CLI::App* eval_cmd = app.add_subcommand("eval", "the value at a point");
  add_input(eval_cmd);
  eval_cmd->add_option("--at", at, "variable values, like x=1.5,w=2");

  CLI::App* grad_cmd =
      app.add_subcommand("grad", "value and gradient at a point, through the reverse-mode tape");
  add_input(grad_cmd);
  grad_cmd->add_option("--at", at, "variable values, like x=1.5,w=2");
  add_convention(grad_cmd);
  grad_cmd->add_flag("--json", as_json, "print JSON");

  CLI::App* table_cmd = app.add_subcommand("table", "x, f(x), f'(x) on a grid");
  add_input(table_cmd);
  table_cmd->add_option("--wrt", wrt, "the variable (default: x)");
  table_cmd->add_option("--from", from, "first x (default -4)");
  table_cmd->add_option("--to", to, "last x (default 4)");
  table_cmd->add_option("--step", step, "spacing (default 1)");
  table_cmd->add_option("--at", at, "values of the other variables");
  table_cmd->add_flag("--csv", csv, "comma-separated output");
  add_convention(table_cmd);

  CLI::App* plot_cmd =
      app.add_subcommand("plot", "an SVG of f (solid) and f' (dashed), kinks marked");
  add_input(plot_cmd);
  plot_cmd->add_option("--wrt", wrt, "the variable on the horizontal axis");
  plot_cmd->add_option("--from", from, "left end (default -2)");
  plot_cmd->add_option("--to", to, "right end (default 2)");
  plot_cmd->add_option("--points", points, "samples (default 400)");
  plot_cmd->add_option("--out", out, "the SVG file to write")->required();
  plot_cmd->add_option("--at", at, "values of the other variables");
  add_convention(plot_cmd);

  CLI::App* emit_cmd = app.add_subcommand("emit", "source code for f (and its derivatives)");
  add_input(emit_cmd);
  emit_cmd
      ->add_option("--lang", lang, "cpp, python, numpy (default) or torch (an autograd.Function)")
      ->check(CLI::IsMember({"cpp", "python", "numpy", "torch"}));
  emit_cmd->add_flag("--grad", gradient, "also emit the derivatives");
  add_convention(emit_cmd);

  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    const int code = app.exit(e);
    return code == 0 ? 0 : 2;
  }
  if (plot_cmd->parsed()) {
    if (plot_cmd->count("--from") == 0) from = -2;
    if (plot_cmd->count("--to") == 0) to = 2;
  }
  try {
    if (diff_cmd->parsed())
      return run_diff(input, wrt, conv, conv_opt->count() > 0, format, steps, order);
    if (eval_cmd->parsed()) return run_eval(input, at);
    if (grad_cmd->parsed()) return run_grad(input, at, conv, as_json);
    if (table_cmd->parsed()) return run_table(input, wrt, from, to, step, csv, conv, at);
    if (plot_cmd->parsed()) return run_plot(input, wrt, from, to, points, out, conv, at);
    if (emit_cmd->parsed()) return run_emit(input, lang, gradient, conv);
    return run_tour();
  } catch (const UsageError& e) {
    std::cerr << "slope: " << e.what() << "\n";
    return 2;
  } catch (const ParseError& e) {
    std::cerr << e.what() << "\n";
    return 1;
  } catch (const UnboundVariable& e) {
    std::cerr << "error: " << e.what() << "\nhint: give it with --at, like --at " << e.name()
              << "=1\n";
    return 1;
  } catch (const std::exception& e) {
    std::cerr << "error: " << e.what() << "\n";
    return 1;
  }
}
