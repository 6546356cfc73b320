// The `slope` executable, run as a learner runs it: exact output for the tutorial cases, every
// subcommand, every error class and its exit status, and a plot checked by an XML parser.
#include <sys/wait.h>

#include <boost/property_tree/ptree.hpp>
#include <boost/property_tree/xml_parser.hpp>
#include <boost/test/unit_test.hpp>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>

namespace {

struct Run {
  int status;
  std::string out, err;
};

std::string quote(const std::string& s) {
  std::string q = "'";
  for (char c : s) q += c == '\'' ? std::string("'\\''") : std::string(1, c);
  return q + "'";
}
std::string slurp(const std::filesystem::path& p) {
  std::ifstream in(p, std::ios::binary);
  return {std::istreambuf_iterator<char>(in), {}};
}

/// Runs slope with the arguments (and optional standard input); captures everything.
Run slope(const std::vector<std::string>& args, const std::string& input = "") {
  static int counter = 0;
  const auto dir =
      std::filesystem::temp_directory_path() / ("slope_cli_test_" + std::to_string(::getpid()));
  std::filesystem::create_directories(dir);
  const auto base = dir / std::to_string(counter++);
  std::string cmd = quote(SLOPE_EXE);
  for (const auto& a : args) cmd += " " + quote(a);
  if (!input.empty()) {
    std::ofstream(base.string() + ".in") << input;
    cmd += " < " + quote(base.string() + ".in");
  } else {
    cmd += " < /dev/null";
  }
  cmd += " > " + quote(base.string() + ".out") + " 2> " + quote(base.string() + ".err");
  const int raw = std::system(cmd.c_str());
  return {WIFEXITED(raw) ? WEXITSTATUS(raw) : -1, slurp(base.string() + ".out"),
          slurp(base.string() + ".err")};
}

}  // namespace

BOOST_AUTO_TEST_CASE(the_tour) {
  const Run r = slope({});
  BOOST_TEST(r.status == 0);
  BOOST_TEST(
      r.out ==
      "relu(x) = max(0, x)\n\n"
      "d/dx relu(x) = ⎧ 1  if x > 0\n"
      "               ⎩ 0  otherwise\n\n"
      "At x = 0 the slope jumps from 0 to 1, so relu has no derivative there.\n"
      "Every library picks a value. slope lets you choose:\n\n"
      "  convention   relu'(0)   who uses it\n"
      "  min_norm     0          PyTorch, JAX, TensorFlow (slope's default)\n"
      "  left         0          the slope just left of 0\n"
      "  right        1          tutorials that write \"f'(x) = 1 for x >= 0\"\n"
      "  average      0.5        SymPy (Heaviside(0) = 1/2)\n"
      "  undefined    nan        the mathematician's answer\n\n"
      "Try: slope diff \"leaky_relu(x)\"   slope plot \"relu(x)\" --out relu.svg   slope --help\n");
}

BOOST_AUTO_TEST_CASE(diff_pretty_with_the_convention_note) {
  const Run r = slope({"diff", "leaky_relu(x)"});
  BOOST_TEST(r.status == 0);
  BOOST_TEST(r.out ==
             "d/dx leaky_relu(x, 0.01) = ⎧ 1     if x > 0\n"
             "                           ⎩ 0.01  otherwise\n\n"
             "at x = 0: not differentiable (slope 0.01 from the left, 1 from the right);\n"
             "          using 0.01, the min_norm convention\n"
             "(--convention left|right|average|undefined to change)\n");
  const Run right = slope({"diff", "leaky_relu(x)", "--convention", "right"});
  BOOST_TEST(right.out.find("⎧ 1     if x >= 0") != std::string::npos);
  BOOST_TEST(right.out.find("using 1, the right convention\n") != std::string::npos);
  const Run ascii = slope({"diff", "relu(x)", "--format", "ascii"});
  BOOST_TEST(ascii.out.rfind("d/dx relu(x) = { 1  if x > 0\n               { 0  otherwise\n", 0) ==
             0U);
}

BOOST_AUTO_TEST_CASE(diff_formats) {
  BOOST_TEST(slope({"diff", "relu(w*x + b)", "--format", "text"}).out ==
             "piecewise(w*x + b > 0: w, otherwise: 0)\n");
  BOOST_TEST(slope({"diff", "relu(w*x + b)", "--wrt", "w", "--format", "text"}).out ==
             "piecewise(w*x + b > 0: x, otherwise: 0)\n");
  BOOST_TEST(slope({"diff", "abs(x)", "--format", "text", "--convention", "left"}).out ==
             "piecewise(x > 0: 1, otherwise: -1)\n");
  BOOST_TEST(slope({"diff", "leaky_relu(x, 0.01)", "--format", "latex"}).out ==
             "\\frac{d}{dx} \\operatorname{leaky\\_relu}\\left(x, 0.01\\right) =\n"
             "\\begin{cases} 1 & \\text{if } x > 0 \\\\ 0.01 & \\text{otherwise} \\end{cases}\n");
  BOOST_TEST(slope({"diff", "relu(x)", "--format", "json"}).out ==
             "{\"wrt\":\"x\",\"derivative\":\"piecewise(x > 0: 1, otherwise: "
             "0)\",\"latex\":\"\\\\begin{cases} 1 & "
             "\\\\text{if } x > 0 \\\\\\\\ 0 & \\\\text{otherwise} "
             "\\\\end{cases}\",\"convention\":\"min_norm\"}\n");
  BOOST_TEST(slope({"diff", "relu(x)", "--format", "dot"}).out.rfind("digraph \"d/dx\" {", 0) ==
             0U);
  BOOST_TEST(slope({"diff", "x^3", "--order", "2", "--format", "text"}).out == "6*x\n");
  BOOST_TEST(slope({"diff", "x^3", "--order", "2"}).out == "d^2/dx^2 x^3 = 6*x\n");
}

BOOST_AUTO_TEST_CASE(diff_steps) {
  const Run r = slope({"diff", "relu(w*x + b)", "--wrt", "x", "--steps"});
  BOOST_TEST(r.status == 0);
  BOOST_TEST(r.out.rfind("We want d/dx relu(w*x + b).\n\n1. Outer function. relu(u) = max(0, u) "
                         "with u = w*x + b.\n",
                         0) == 0U);
  BOOST_TEST(
      r.out.find("4. Put together and simplify.\n   d/dx relu(w*x + b) = ⎧ w  if w*x + b > 0\n") !=
      std::string::npos);
  BOOST_TEST(slope({"diff", "relu(x)", "--steps", "--format", "markdown"})
                 .out.find("1. **Rule for relu.**") != std::string::npos);
  BOOST_TEST(
      slope({"diff", "relu(x)", "--steps", "--format", "latex"}).out.find("\\begin{enumerate}") !=
      std::string::npos);
}

BOOST_AUTO_TEST_CASE(text_output_pipes_into_eval) {
  const Run d = slope({"diff", "leaky_relu(x)", "--format", "text"});
  const Run e = slope({"eval", "-", "--at", "x=-3"}, d.out);
  BOOST_TEST(e.status == 0);
  BOOST_TEST(e.out == "0.01\n");
}

BOOST_AUTO_TEST_CASE(eval_prints_the_shortest_exact_value) {
  BOOST_TEST(slope({"eval", "max(0, x)*2", "--at", "x=1.5"}).out == "3\n");
  BOOST_TEST(slope({"eval", "x + y", "--at", "x=0.1,y=0.2"}).out == "0.30000000000000004\n");
  BOOST_TEST(slope({"eval", "relu(x)", "--at", "x=-1e-3"}).out == "0\n");
  const Run nan = slope({"eval", "log(x)", "--at", "x=-1"});
  BOOST_TEST(nan.status == 0);
  BOOST_TEST(nan.out == "undefined\n");
  BOOST_TEST(nan.err == "warning: the value is undefined (NaN)\n");
}

BOOST_AUTO_TEST_CASE(grad_text_and_json) {
  BOOST_TEST(slope({"grad", "relu(w*x + b)", "--at", "x=1.5,w=2,b=-1"}).out ==
             "f = 2\ndf/dw = 1.5\ndf/dx = 2\ndf/db = 1\n(convention at kinks: min_norm)\n");
  BOOST_TEST(slope({"grad", "relu(w*x + b)", "--at", "x=1.5,w=2,b=-1", "--json"}).out ==
             "{\"expression\":\"relu(w*x + "
             "b)\",\"value\":2.0,\"gradient\":{\"w\":1.5,\"x\":2.0,\"b\":1.0},\"convention\":\"min_"
             "norm\"}\n");
  BOOST_TEST(slope({"grad", "relu(x)", "--at", "x=0", "--convention", "right", "--json"}).out ==
             "{\"expression\":\"relu(x)\",\"value\":0.0,\"gradient\":{\"x\":1.0},\"convention\":"
             "\"right\"}\n");
  BOOST_TEST(slope({"grad", "x/3", "--at", "x=1", "--json"}).out ==
             "{\"expression\":\"x/"
             "3\",\"value\":0.3333333333333333,\"gradient\":{\"x\":0.3333333333333333},"
             "\"convention\":\"min_norm\"}\n");
  BOOST_TEST(slope({"grad", "log(x)", "--at", "x=0", "--json"}).out ==
             "{\"expression\":\"log(x)\",\"value\":null,\"gradient\":{\"x\":null},\"convention\":"
             "\"min_norm\","
             "\"warnings\":[\"the value is -infinity\",\"d/dx is +infinity\"]}\n");
}

BOOST_AUTO_TEST_CASE(table_text_and_csv) {
  BOOST_TEST(slope({"table", "relu(x)", "--from", "-2", "--to", "2"}).out ==
             " x  f(x)  f'(x)\n-2     0      0\n-1     0      0\n 0     0      0\n 1     1      "
             "1\n 2     2      1\n");
  BOOST_TEST(slope({"table", "leaky_relu(x)", "--from", "-1", "--to", "1", "--csv", "--convention",
                    "average"})
                 .out == "x,f(x),f'(x)\n-1,-0.01,0.01\n0,0,0.505\n1,1,1\n");
  BOOST_TEST(slope({"table", "x", "--step", "0"}).status == 2);
}

BOOST_AUTO_TEST_CASE(plot_writes_valid_svg_atomically) {
  const auto path = std::filesystem::temp_directory_path() / "slope_cli_relu.svg";
  std::filesystem::remove(path);
  const Run r = slope({"plot", "relu(x)", "--from", "-2", "--to", "2", "--out", path.string()});
  BOOST_TEST(r.status == 0);
  boost::property_tree::ptree tree;
  BOOST_CHECK_NO_THROW(boost::property_tree::read_xml(path.string(), tree));
  BOOST_TEST(tree.get<std::string>("svg.<xmlattr>.width") == "640");
  const std::string svg = slurp(path);
  BOOST_TEST(svg.find("f(x) = relu(x)") != std::string::npos);
  BOOST_TEST(svg.find("stroke-dasharray=\"6 4\"") != std::string::npos);  // f' dashed
  BOOST_TEST(svg.find(">kink<") != std::string::npos);
  BOOST_TEST(!std::filesystem::exists(path.string() + ".tmp"));
  // a failing plot leaves nothing behind
  const auto bad = std::filesystem::temp_directory_path() / "no_such_dir" / "x.svg";
  BOOST_TEST(slope({"plot", "relu(x)", "--out", bad.string()}).status == 2);
  BOOST_TEST(slope({"plot", "rellu(x)", "--out", path.string() + "2"}).status == 1);
  BOOST_TEST(!std::filesystem::exists(path.string() + "2"));
}

BOOST_AUTO_TEST_CASE(emit_code) {
  BOOST_TEST(slope({"emit", "relu(x)", "--lang", "numpy", "--grad"}).out ==
             "import numpy as np\n\n# f = relu(x)\ndef f(x):\n    return np.maximum(0, x)\n\n"
             "# d/dx f = piecewise(x > 0: 1, otherwise: 0)  (min_norm convention at kinks)\n"
             "def df_dx(x):\n    return np.where(x > 0, 1.0, 0.0)\n");
  BOOST_TEST(slope({"emit", "leaky_relu(x)", "--lang", "cpp"})
                 .out.find("double f(double x) { return (x > 0.0 ? x : 0.01 * x); }") !=
             std::string::npos);
  BOOST_TEST(slope({"emit", "relu(x)", "--lang", "python"}).out.find("return max(0, x)") !=
             std::string::npos);
}

BOOST_AUTO_TEST_CASE(input_from_stdin_and_files) {
  BOOST_TEST(slope({"diff", "-", "--format", "text"}, "f(x) = max(0, x)\nf(2*x)\n").out ==
             "piecewise(x > 0: 2, otherwise: 0)\n");
  const auto file = std::filesystem::temp_directory_path() / "slope_cli_defs.txt";
  std::ofstream(file) << "# a custom activation\nsquash(x) = clamp(x, 0, 1)\nsquash(3*x)\n";
  BOOST_TEST(slope({"diff", "--file", file.string(), "--format", "text"}).out ==
             "piecewise(3*x >= 1: 0, x > 0: 3, otherwise: 0)\n");
  BOOST_TEST(slope({"diff", "--file", "/no/such/file"}).status == 2);
}

BOOST_AUTO_TEST_CASE(a_ten_megabyte_expression_on_standard_input) {
  std::string big = "x";
  big.reserve(10'000'000);
  while (big.size() < 9'999'990) big += " + x*y";  // 1,666,665 terms of x*y
  const Run e = slope({"eval", "-", "--at", "x=1,y=2"}, big);
  BOOST_TEST(e.status == 0, e.err);
  BOOST_TEST(e.out == "3333331\n");  // 1 + 2 * 1,666,665
  // over the 10,000,000-character limit: a clear error, exit 1, no crash
  const Run over = slope({"eval", "-", "--at", "x=1,y=2"}, big + std::string(20, ' '));
  BOOST_TEST(over.status == 1);
  BOOST_TEST(over.err.find("10000000") != std::string::npos, over.err);
}

BOOST_AUTO_TEST_CASE(errors_exit_1_with_a_caret) {
  const Run unknown = slope({"diff", "rellu(x)"});
  BOOST_TEST(unknown.status == 1);
  BOOST_TEST(unknown.out.empty());
  BOOST_TEST(unknown.err ==
             "1:1: error: unknown function 'rellu'\n  rellu(x)\n  ^^^^^\nhint: did you mean relu, "
             "elu or gelu?\n");
  BOOST_TEST(slope({"diff", "max(x)"}).err.find("max takes 2 arguments, got 1") !=
             std::string::npos);
  BOOST_TEST(slope({"diff", "(x + 1"}).err.find("this '(' is never closed") != std::string::npos);
  BOOST_TEST(
      slope({"diff", "piecewise(x > 0: x)"}).err.find("piecewise needs an 'otherwise' branch") !=
      std::string::npos);
  BOOST_TEST(slope({"diff", "f(x) = f(x); f(1)"}).err.find("calls itself") != std::string::npos);
  const Run unbound = slope({"eval", "w*x", "--at", "x=1"});
  BOOST_TEST(unbound.status == 1);
  BOOST_TEST(unbound.err ==
             "error: no value given for variable 'w'\nhint: give it with --at, like --at w=1\n");
  const Run deep = slope({"diff", std::string(2000, '(') + "x" + std::string(2000, ')')});
  BOOST_TEST(deep.status == 1);
  BOOST_TEST(deep.err.find("nested too deeply") != std::string::npos);
}

BOOST_AUTO_TEST_CASE(usage_errors_exit_2) {
  BOOST_TEST(slope({"diff"}).status == 2);
  BOOST_TEST(slope({"diff", "x", "--convention", "bogus"}).status == 2);
  BOOST_TEST(slope({"diff", "x", "--format", "pdf"}).status == 2);
  BOOST_TEST(slope({"frobnicate"}).status == 2);
  BOOST_TEST(slope({"eval", "x", "--at", "x"}).status == 2);
  BOOST_TEST(slope({"plot", "relu(x)"}).status == 2);  // --out is required
  const Run help = slope({"diff", "--help"});
  BOOST_TEST(help.status == 0);
  BOOST_TEST(help.out.find("--convention") != std::string::npos);
  BOOST_TEST(slope({"--help"}).out.find("grad") != std::string::npos);
}
