// SPDX-License-Identifier: MIT
// Emitted code, proven by running it: 2,000 random expressions (every op, conditions, nested
// activations) are emitted in each language, compiled with g++ or run by python3 (one process
// per language), and f and every partial are compared with eval, diff and the tape at random
// points, exactly at kinks, and at NaN, infinities and large arguments.
#include <unistd.h>

#include <boost/test/unit_test.hpp>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <map>
#include <sstream>

#include "slope/slope.hpp"
#include "support/random.hpp"

using namespace slope;
namespace fs = std::filesystem;

namespace {

constexpr int expression_count = 2000;

struct Point {
  double x, y;
  double f, dx, dy;         // eval of f and of diff(f, v, conv)
  double tape_dx, tape_dy;  // the tape's gradient (NaN unless every node of f is finite)
};
struct Case {
  Expr f;
  Convention conv;
  std::vector<std::string> vars;
  std::vector<Point> points;
};

double value_of(const Expr& e, double x, double y) { return eval(e, {{"x", x}, {"y", y}}); }

/// Random points, points exactly on kinks (x or y at a constant of f, x = y, 0), and special
/// values: NaN, infinities, arguments where exp overflows.
std::vector<std::pair<double, double>> points_for(const Expr& f, testing::SplitMix& rng) {
  std::vector<std::pair<double, double>> p;
  for (int k = 0; k < 4; ++k) p.emplace_back(3 * rng.symmetric(), 3 * rng.symmetric());
  const double r = 2 * rng.symmetric();
  const double lattice[] = {-1, -0.5, 0, 0.5, 1};  // where many kinks sit (x = 0, x = y, ...)
  for (int k = 0; k < 6; ++k) p.emplace_back(lattice[rng.below(5)], lattice[rng.below(5)]);
  p.emplace_back(0, 0);
  p.emplace_back(r, r);
  p.emplace_back(0, r);
  p.emplace_back(r, 0);
  int constants = 0;
  for (const Expr& n : topological_order(f))
    if (n.is_const() && std::isfinite(n.value()) && constants++ < 3) {
      p.emplace_back(n.value(), r);
      p.emplace_back(-n.value(), n.value());
      p.emplace_back(r, n.value());
    }
  const double nan = std::nan(""), inf = INFINITY;
  p.insert(p.end(), {{nan, 0.5}, {inf, -1}, {-inf, 2}, {800, -800}, {-800, 710}, {1e300, -1e-300}});
  return p;
}

const std::vector<Case>& cases() {
  static const std::vector<Case> all = [] {
    std::vector<Case> out;
    testing::RandomExpr gen(20261201, true);  // every op
    // Expressions that went wrong once, then the random ones.
    const std::vector<std::pair<const char*, Convention>> found = {
        // softsign's definition, rebuilt on its argument, merged with the product around it:
        // the code computed x^2 (inf at x = 1e300) where eval computes softsign(y*x)*x
        {"leaky_relu(softsign(y*x), (x*y)^3)*max(-0.63, y)/8.132280212260433", Convention::right},
        // a constant written as its definition: NumPy returned a float, not an array
        {"elu(softplus(hardsigmoid(7.14/3.09)), 0.5)", Convention::min_norm},
        // sqrt(-0) is -0 in IEEE: -0.5/sqrt(-x) at x = 0 gave +inf where slope gives -inf
        {"sqrt(abs(x))", Convention::left},
    };
    for (int i = 0; i < expression_count + static_cast<int>(found.size()); ++i) {
      const bool random = i >= static_cast<int>(found.size());
      Case c{random ? gen.make(i % 2 ? 4 : 5) : parse(found[i].first),
             random ? all_conventions[i % 5] : found[i].second,
             {},
             {}};
      c.vars = variables(c.f);
      const Expr dx = diff(c.f, "x", c.conv), dy = diff(c.f, "y", c.conv);
      Tape tape = Tape::compile(c.f, {"x", "y"}, c.conv);
      for (auto [x, y] : points_for(c.f, gen.rng())) {
        Point p{x, y, value_of(c.f, x, y), value_of(dx, x, y), value_of(dy, x, y), NAN, NAN};
        const std::vector<double> nodes = eval(topological_order(c.f), {{"x", x}, {"y", y}});
        tape.forward(std::vector{x, y});
        if (std::all_of(nodes.begin(), nodes.end(), [](double v) { return std::isfinite(v); })) {
          tape.reverse();
          p.tape_dx = tape.gradient()[0];
          p.tape_dy = tape.gradient()[1];
        }
        c.points.push_back(p);
      }
      out.push_back(std::move(c));
    }
    return out;
  }();
  return all;
}

std::string hex(double v) {
  char buf[64];
  std::snprintf(buf, sizeof buf, "%a", v);
  return buf;
}

std::string shell_quote(const std::string& s) { return "'" + s + "'"; }

/// A fresh folder for one language's files.
fs::path folder(const std::string& lang) {
  const fs::path dir =
      fs::temp_directory_path() / ("slope_codegen_test_" + lang + "_" + std::to_string(::getpid()));
  fs::remove_all(dir);
  fs::create_directories(dir);
  return dir;
}

void write_points(const fs::path& dir, const std::vector<int>& which) {
  std::ofstream points(dir / "points.txt");
  for (int i : which)
    for (std::size_t j = 0; j < cases()[i].points.size(); ++j)
      points << i << ' ' << j << ' ' << hex(cases()[i].points[j].x) << ' '
             << hex(cases()[i].points[j].y) << '\n';
}

std::string run(const std::string& command) {
  std::string out;
  FILE* pipe = ::popen(command.c_str(), "r");
  BOOST_REQUIRE(pipe);
  char buf[4096];
  while (std::size_t n = std::fread(buf, 1, sizeof buf, pipe)) out.append(buf, n);
  BOOST_TEST(::pclose(pipe) == 0, command << "\n" << out.substr(0, 4000));
  return out;
}

bool agrees(double got, double want) {
  if (std::isnan(got) || std::isnan(want)) return std::isnan(got) && std::isnan(want);
  if (got == want) return true;
  if (std::isinf(got) || std::isinf(want)) return false;
  return std::abs(got - want) <= 1e-9 * std::max({1.0, std::abs(got), std::abs(want)});
}

bool same_class(double a, double b) {
  if (std::isnan(a) || std::isnan(b)) return std::isnan(a) && std::isnan(b);
  if (std::isinf(a) || std::isinf(b)) return a == b;
  return true;
}

/// Compares the program's output ("i j f dx dy" in hex, or "i ERROR ...") with eval, diff and
/// the tape; every expression of `which` must have all its points.
void compare(const std::string& lang, const std::string& output, const std::vector<int>& which) {
  std::map<std::pair<int, int>, std::array<double, 3>> got;
  std::istringstream in(output);
  std::string line;
  while (std::getline(in, line)) {
    std::istringstream words(line);
    int i;
    std::string j;
    words >> i >> j;
    if (j == "ERROR") {
      BOOST_ERROR(lang << ": " << to_text(cases()[i].f) << ": " << line);
      continue;
    }
    std::array<double, 3> v;
    for (double& d : v) {
      std::string w;
      words >> w;
      d = std::strtod(w.c_str(), nullptr);
    }
    got[{i, std::stoi(j)}] = v;
  }
  int compared = 0, at_kinks = 0, tape_checked = 0;
  for (int i : which) {
    const Case& c = cases()[i];
    for (std::size_t j = 0; j < c.points.size(); ++j) {
      const Point& p = c.points[j];
      auto it = got.find({i, static_cast<int>(j)});
      if (it == got.end()) {
        BOOST_ERROR(lang << ": no output for " << to_text(c.f));
        break;
      }
      const auto& [f, dx, dy] = it->second;
      const std::string where = lang + " " + std::string(to_string(c.conv)) + " " + to_text(c.f) +
                                " at (" + hex(p.x) + ", " + hex(p.y) + ")";
      // NumPy's and PyTorch's exp and sin differ from glibc's in the last bit, which sin(e^200)
      // magnifies to anything: at large arguments they must agree on NaN, infinity or finite.
      const bool own_libm =
          (lang == "numpy" || lang == "torch") && !(std::abs(p.x) < 100 && std::abs(p.y) < 100);
      auto same = [&](double a, double b) { return own_libm ? same_class(a, b) : agrees(a, b); };
      BOOST_TEST(same(f, p.f), where << ": f = " << f << ", eval " << p.f);
      BOOST_TEST(same(dx, p.dx), where << ": df/dx = " << dx << ", diff " << p.dx);
      BOOST_TEST(same(dy, p.dy), where << ": df/dy = " << dy << ", diff " << p.dy);
      ++compared;
      const bool finite = std::isfinite(p.x) && std::isfinite(p.y) && std::abs(p.x) < 100;
      if (finite && testing::on_a_boundary(c.f, {{"x", p.x}, {"y", p.y}})) ++at_kinks;
      // The tape as tape_test compares it with diff: where f is finite and no tie is read
      // otherwise (testing::tie_read_exactly); under `undefined` diff may say NaN where the
      // tape finds an exact zero weight.
      if (finite && !std::isnan(p.tape_dx) &&
          !testing::tie_read_exactly(c.f, {{"x", p.x}, {"y", p.y}})) {
        const bool undefined = c.conv == Convention::undefined;
        BOOST_TEST((testing::same_value(dx, p.tape_dx) || agrees(dx, p.tape_dx) ||
                    (undefined && std::isnan(dx))),
                   where << ": df/dx = " << dx << ", tape " << p.tape_dx);
        BOOST_TEST((testing::same_value(dy, p.tape_dy) || agrees(dy, p.tape_dy) ||
                    (undefined && std::isnan(dy))),
                   where << ": df/dy = " << dy << ", tape " << p.tape_dy);
        ++tape_checked;
      }
    }
  }
  BOOST_TEST_MESSAGE(lang << ": " << compared << " points compared, " << at_kinks
                          << " exactly on a kink, " << tape_checked << " against the tape");
  BOOST_TEST(compared > 10 * static_cast<int>(which.size()));
  BOOST_TEST(at_kinks > 600);
}

std::vector<int> every_case() {
  std::vector<int> all(cases().size());
  for (std::size_t i = 0; i < all.size(); ++i) all[i] = static_cast<int>(i);
  return all;
}

/// Writes e<i>.py and vars.txt for a Python-family language.
std::vector<int> write_python(const fs::path& dir, Language lang) {
  std::ofstream vars(dir / "vars.txt");
  std::vector<int> which;
  for (int i : every_case()) {
    const Case& c = cases()[i];
    if (lang == Language::torch && c.vars.empty()) continue;  // nothing to differentiate
    std::ofstream(dir / ("e" + std::to_string(i) + ".py")) << emit(c.f, lang, true, c.conv);
    vars << i;
    for (const std::string& v : c.vars) vars << ' ' << v;
    vars << '\n';
    which.push_back(i);
  }
  return which;
}

bool has_module(const std::string& module) {
  return std::system(
             (std::string(SLOPE_PYTHON) + " -c 'import " + module + "' 2>/dev/null").c_str()) == 0;
}

void check_python_language(Language lang, const std::string& module) {
  const std::string name(language_name(lang));
  if (!module.empty() && !has_module(module)) {
    BOOST_TEST_MESSAGE("SKIPPED: " << SLOPE_PYTHON << " cannot import " << module
                                   << " (install python3-" << module << ")");
    return;
  }
  const fs::path dir = folder(name);
  const std::vector<int> which = write_python(dir, lang);
  write_points(dir, which);
  const std::string out = run(std::string(SLOPE_PYTHON) + " " +
                              shell_quote(std::string(SLOPE_SOURCE_DIR) + "/codegen_run.py") + " " +
                              name + " " + shell_quote(dir.string()));
  compare(name, out, which);
  fs::remove_all(dir);
}

}  // namespace

BOOST_AUTO_TEST_CASE(the_expressions_cover_every_op_conditions_and_nested_activations) {
  // What the issue asks of the corpus, counted: every op appears, and many expressions have a
  // condition or an activation inside another activation.
  std::map<Op, int> ops;
  int with_condition = 0, nested = 0;
  auto activation = [](Op op) {  // the table's activations, and the functions used like them
    return is_activation(op) || op == Op::Sigmoid || op == Op::Softplus || op == Op::Tanh ||
           op == Op::Abs || op == Op::Max || op == Op::Min || op == Op::Clamp;
  };
  for (const Case& c : cases()) {
    bool condition = false, inner = false;
    for (const Expr& n : topological_order(c.f)) {
      ++ops[n.op()];
      condition = condition || is_logical(n.op()) || n.op() == Op::Piecewise;
      if (activation(n.op()))
        for (const Expr& a : n.args())
          for (const Expr& m : topological_order(a)) inner = inner || activation(m.op());
    }
    with_condition += condition;
    nested += inner;
  }
  for (int k = 0; k < op_count; ++k)
    BOOST_TEST(ops[static_cast<Op>(k)] > 0, "no expression uses " << op_name(static_cast<Op>(k)));
  BOOST_TEST(with_condition > 100);
  BOOST_TEST(nested > 200);
  BOOST_TEST_MESSAGE(with_condition << " expressions with a condition, " << nested
                                    << " with an activation inside another");
}

BOOST_AUTO_TEST_CASE(variables_with_the_codes_own_names_are_renamed_and_the_code_runs) {
  // f, f_1 and df_dx are names the code gives its functions, lambda a Python keyword, __y a C++
  // reserved name: each variable is renamed (f_ would still be reserved: it becomes v_f).
  const Expr e = parse("relu(f*x) + f_1 - df_dx*lambda + __y");
  const std::vector<std::string> vars = variables(e);
  Env env;
  std::string args;
  for (std::size_t i = 0; i < vars.size(); ++i) {
    env[vars[i]] = 0.5 + static_cast<double>(i);
    args += (i ? ", " : "") + format_number(env[vars[i]]);
  }
  const fs::path dir = folder("renamed");
  std::ofstream(dir / "renamed.py")
      << emit(e, Language::python, true) << "\nprint(repr(f(" << args << ")))\n";
  const std::string out =
      run(std::string(SLOPE_PYTHON) + " " + shell_quote((dir / "renamed.py").string()));
  BOOST_TEST(std::stod(out) == eval(e, env), out);
  for (Language l : {Language::cpp, Language::numpy, Language::torch})
    BOOST_TEST(emit(e, l, l != Language::torch).find("v_f") != std::string::npos, language_name(l));
  fs::remove_all(dir);
}

BOOST_AUTO_TEST_CASE(cpp_compiled_with_gxx_computes_what_slope_computes) {
  const fs::path dir = folder("cpp");
  constexpr int units = 4;  // translation units, compiled two at a time
  std::vector<std::ofstream> tu;
  for (int u = 0; u < units; ++u) {
    tu.emplace_back(dir / ("unit" + std::to_string(u) + ".cpp"));
    tu.back() << "#include <algorithm>\n#include <cmath>\n#include <limits>\n";
  }
  std::ofstream main(dir / "main.cpp");
  main << "#include <cstdio>\n#include <cstdlib>\n";
  for (int i : every_case())
    main << "namespace e" << i << " { double call(int, double, double); }\n";
  main << "using Fn = double (*)(int, double, double);\nFn calls[] = {";
  for (int i : every_case()) main << "e" << i << "::call,";
  main << "};\nint main(int, char** argv) {\n"
          "  FILE* in = std::fopen(argv[1], \"r\");\n  int i, j;\n  char x[64], y[64];\n"
          "  while (std::fscanf(in, \"%d %d %63s %63s\", &i, &j, x, y) == 4) {\n"
          "    const double a = std::strtod(x, nullptr), b = std::strtod(y, nullptr);\n"
          "    std::printf(\"%d %d %a %a %a\\n\", i, j, calls[i](0, a, b), calls[i](1, a, b), "
          "calls[i](2, a, b));\n  }\n}\n";
  main.close();
  for (int i : every_case()) {
    const Case& c = cases()[i];
    std::string code = emit(c.f, Language::cpp, true, c.conv);
    // the includes go once at the top of the unit; everything else into the namespace
    std::string body;
    std::istringstream lines(code);
    for (std::string l; std::getline(lines, l);)
      if (l.rfind("#include", 0) != 0) body += l + "\n";
    auto call = [&](const std::string& fn, const std::string& v) {
      if (!v.empty() && std::find(c.vars.begin(), c.vars.end(), v) == c.vars.end())
        return std::string("0.0");
      std::string args;
      for (const std::string& name : c.vars) args += (args.empty() ? "" : ", ") + name;
      return fn + "(" + args + ")";
    };
    tu[i % units] << "namespace e" << i << " {\n"
                  << body << "double call(int which, double x, double y) {\n"
                  << "  (void)x; (void)y;\n  return which == 0 ? " << call("f", "")
                  << " : which == 1 ? " << call("df_dx", "x") << " : " << call("df_dy", "y")
                  << ";\n}\n}  // namespace e" << i << "\n";
  }
  for (auto& t : tu) t.close();
  std::vector<int> all = every_case();
  write_points(dir, all);
  const std::string d = shell_quote(dir.string()), cxx = SLOPE_CXX;
  std::string compile = "cd " + d + " && (";
  for (int u = 0; u < units; ++u) {
    compile +=
        cxx + " -std=c++17 -O1 -w -c unit" + std::to_string(u) + ".cpp " + (u % 2 ? "; " : "& ");
  }
  compile += cxx + " -std=c++17 -c main.cpp; wait) && " + cxx + " *.o -o emitted 2>&1";
  run(compile);
  compare("cpp", run(d + "/emitted " + d + "/points.txt"), all);
  fs::remove_all(dir);
}

BOOST_AUTO_TEST_CASE(python_run_by_python3_computes_what_slope_computes) {
  check_python_language(Language::python, "");
}

BOOST_AUTO_TEST_CASE(numpy_arrays_of_the_inputs_shape_without_warnings) {
  check_python_language(Language::numpy, "numpy");
}

BOOST_AUTO_TEST_CASE(torch_function_forward_and_backward_equal_slope) {
  check_python_language(Language::torch, "torch");
}

BOOST_AUTO_TEST_CASE(torch_bridge_matches_pytorch_at_kinks_and_passes_gradcheck) {
  if (!has_module("torch")) {
    BOOST_TEST_MESSAGE("SKIPPED: " << SLOPE_PYTHON
                                   << " cannot import torch (install python3-torch)");
    return;
  }
  const fs::path dir = folder("torch_bridge");
  const std::map<std::string, std::string> files = {
      {"relu", "relu(x)"},
      {"leaky_relu", "leaky_relu(x, 0.01)"},
      {"elu", "elu(x, 0.5)"},
      {"hardtanh", "hardtanh(x)"},
      {"relu6", "relu6(x)"},
      {"g0", "elu(w*x + b, 0.5) + softplus(x) * sigmoid(w)"},
      {"g1", "prelu(x, a) * tanh(a)"},
      {"g2", "relu(x)^2 + abs(x - y) / (1 + y^2)"},
      {"g3", "hardtanh(3*x) + leaky_relu(x - 1, 0.2) * max(x, y)"},
      {"batch", "relu6(w*x + b) + leaky_relu(x, 0.1) * w"},
      {"prelu", "prelu(x, a)"},
  };
  for (const auto& [name, text] : files)
    std::ofstream(dir / (name + ".py")) << emit(parse(text), Language::torch, true);
  run(std::string(SLOPE_PYTHON) + " " +
      shell_quote(std::string(SLOPE_SOURCE_DIR) + "/codegen_torch_check.py") + " " +
      shell_quote(dir.string()) + " 2>&1");
  fs::remove_all(dir);
}
