// SPDX-License-Identifier: MIT
// Code emission. Nodes are spelled in topological order (no recursion); a node used more than
// once, or nested too deep for one line, becomes a temporary, so the code is linear in the size
// of the graph. Every spelling computes what the op table's eval computes, NaN and infinities
// included: where the language's own function differs (Python's math raises, std::max drops a
// NaN, torch.sign(nan) is 0), a small helper or an explicit form restores slope's value. Each
// op's spelling is its op-table row's `code` column (or its definition); only the ops whose code
// depends on their arguments' form are written here.
#include "slope/codegen.hpp"

#include <algorithm>
#include <cmath>
#include <map>
#include <optional>
#include <set>
#include <stdexcept>
#include <unordered_map>
#include <unordered_set>
#include <utility>

#include "core/op_table.hpp"
#include "slope/build.hpp"
#include "slope/diff.hpp"
#include "slope/eval.hpp"
#include "slope/print.hpp"
#include "text/print_common.hpp"

namespace slope {
namespace {

using detail::above;

/// A node's code: numbers are doubles; conditions (comparisons, and/or/not) are booleans and
/// become 1.0 / 0.0 only where used as numbers.
enum class Kind { num, cond };

struct Piece {
  std::string text;
  Prec prec = Prec::Atom;
  Kind kind = Kind::num;
  int depth = 0;        ///< nesting of inlined operations
  bool atomic = false;  ///< a name or a number: may be repeated freely
  std::string negated;  ///< for a product with a negative coefficient: the product without it

  Piece(std::string t = {}, Prec p = Prec::Atom, Kind k = Kind::num, int d = 0, bool a = false)
      : text(std::move(t)), prec(p), kind(k), depth(d), atomic(a) {}
};

constexpr int max_inline_depth = 8;

std::string wrap(const Piece& p, Prec need) { return p.prec < need ? "(" + p.text + ")" : p.text; }

std::string number(double v, Language l) {
  const bool cpp = l == Language::cpp;
  if (std::isnan(v))
    return cpp ? "std::numeric_limits<double>::quiet_NaN()"
               : (l == Language::numpy ? "np.nan" : "math.nan");
  if (std::isinf(v)) {
    const std::string inf = cpp ? "std::numeric_limits<double>::infinity()"
                                : (l == Language::numpy ? "np.inf" : "math.inf");
    return v > 0 ? inf : "-" + inf;
  }
  std::string s = format_number(v);
  if (s.find_first_of(".en") == std::string::npos) s += ".0";  // a floating literal
  return s;
}

// ---- helpers the C++ and Python bodies call: slope's scalar semantics, written once ----------

struct Helper {
  std::string_view name, cpp, python;
};
constexpr Helper helpers[] = {
    {"relu", "inline double relu(double x) { return x > 0 ? x : (x == x ? 0.0 : x); }",
     "def relu(x):\n    return x if x > 0 or x != x else 0.0"},
    {"leaky_relu",
     "inline double leaky_relu(double x, double alpha) { return x > 0 ? x : alpha * x; }",
     "def leaky_relu(x, alpha):\n    return x if x > 0 else alpha * x"},
    {"elu",
     "inline double elu(double x, double alpha) { return x > 0 ? x : alpha * std::expm1(x); }",
     "def elu(x, alpha):\n    return x if x > 0 else alpha * math.expm1(x)"},
    {"clamp",
     "inline double clamp(double x, double lo, double hi) {\n"
     "  if (lo != lo || hi != hi) return lo + hi;  // an undefined bound: undefined\n"
     "  const double t = x < lo ? lo : x;\n  return t > hi ? hi : t;\n}",
     "def clamp(x, lo, hi):\n    if lo != lo or hi != hi:\n        return math.nan\n"
     "    t = lo if x < lo else x\n    return hi if t > hi else t"},
    {"heaviside",
     "inline double heaviside(double x) { return x > 0 ? 1.0 : (x < 0 ? 0.0 : (x == 0 ? 0.5 : x)); "
     "}",
     "def heaviside(x):\n    return 1.0 if x > 0 else 0.0 if x < 0 else 0.5 if x == 0 else x"},
    {"sign", "inline double sign(double x) { return x != x ? x : double((x > 0) - (x < 0)); }",
     "def sign(x):\n    return x if x != x else float((x > 0) - (x < 0))"},
    {"maximum",
     "inline double maximum(double a, double b) { return a != a || b != b ? a + b : std::max(a, "
     "b); }",
     "def maximum(a, b):\n    return a + b if a != a or b != b else max(a, b)"},
    {"minimum",
     "inline double minimum(double a, double b) { return a != a || b != b ? a + b : std::min(a, "
     "b); }",
     "def minimum(a, b):\n    return a + b if a != a or b != b else min(a, b)"},
    {"sigmoid",
     "inline double sigmoid(double x) {\n"
     "  return x >= 0 ? 1 / (1 + std::exp(-x)) : std::exp(x) / (1 + std::exp(x));\n}",
     "def sigmoid(x):\n    return 1 / (1 + math.exp(-x)) if x >= 0 else math.exp(x) / (1 + "
     "math.exp(x))"},
    {"softplus",
     "inline double softplus(double x) { return std::max(x, 0.0) + "
     "std::log1p(std::exp(-std::abs(x))); "
     "}",
     "def softplus(x):\n    return max(x, 0.0) + math.log1p(math.exp(-abs(x)))"},
    // Python's float operations raise where IEEE 754 (and slope) gives inf or nan.
    {"div", "",
     "def div(a, b):\n    try:\n        return a / b\n    except ZeroDivisionError:\n"
     "        return math.nan if a == 0 or a != a else math.copysign(math.inf, a) * "
     "math.copysign(1.0, b)"},
    {"power", "",
     "def power(a, b):\n    try:\n        return math.pow(a, b)\n    except OverflowError:\n"
     "        return -math.inf if a < 0 and b % 2 == 1 else math.inf\n"
     "    except ValueError:  # 0 to a negative power, or a negative base to a fractional one\n"
     "        if a == 0:\n            return math.copysign(math.inf, a) if b % 2 == 1 else "
     "math.inf\n        return math.nan"},
    {"exp", "",
     "def exp(x):\n    try:\n        return math.exp(x)\n    except OverflowError:\n"
     "        return math.inf"},
    {"log", "",
     "def log(x):\n    try:\n        return math.log(x)\n    except ValueError:\n"
     "        return -math.inf if x == 0 else math.nan"},
    {"sqrt", "",
     "def sqrt(x):\n    try:\n        return math.sqrt(x) + 0.0\n    except ValueError:\n"
     "        return math.nan"},
    {"sin", "",
     "def sin(x):\n    try:\n        return math.sin(x)\n    except ValueError:\n"
     "        return math.nan"},
    {"cos", "",
     "def cos(x):\n    try:\n        return math.cos(x)\n    except ValueError:\n"
     "        return math.nan"},
};

// ---- names ---------------------------------------------------------------------------------

const std::set<std::string, std::less<>>& reserved(Language l) {
  static const std::set<std::string, std::less<>> cpp = {
      "alignas", "alignof", "and", "and_eq", "asm", "auto", "bitand", "bitor", "bool", "break",
      "case", "catch", "char", "char8_t", "char16_t", "char32_t", "class", "compl", "concept",
      "const", "consteval", "constexpr", "constinit", "const_cast", "continue", "co_await",
      "co_return", "co_yield", "decltype", "default", "delete", "do", "double", "dynamic_cast",
      "else", "enum", "explicit", "export", "extern", "false", "float", "for", "friend", "goto",
      "if", "inline", "int", "long", "mutable", "namespace", "new", "noexcept", "not", "not_eq",
      "nullptr", "operator", "or", "or_eq", "private", "protected", "public", "register",
      "reinterpret_cast", "requires", "return", "short", "signed", "sizeof", "static",
      "static_assert", "static_cast", "struct", "switch", "template", "this", "thread_local",
      "throw", "true", "try", "typedef", "typeid", "typename", "union", "unsigned", "using",
      "virtual", "void", "volatile", "wchar_t", "while", "xor", "xor_eq", "std", "main",
      // macros <cmath> may define
      "NAN", "INFINITY", "HUGE_VAL", "HUGE_VALF", "HUGE_VALL", "errno", "assert", "isnan", "isinf",
      "isfinite", "signbit", "fpclassify", "isnormal", "math_errhandling", "MATH_ERRNO",
      "MATH_ERREXCEPT", "FP_NAN", "FP_INFINITE", "FP_ZERO", "FP_NORMAL", "FP_SUBNORMAL"};
  static const std::set<std::string, std::less<>> python = [] {
    std::set<std::string, std::less<>> s = {
        "False",       "None",     "True",      "and",    "as",    "assert", "async",  "await",
        "break",       "class",    "continue",  "def",    "del",   "elif",   "else",   "except",
        "finally",     "for",      "from",      "global", "if",    "import", "in",     "is",
        "lambda",      "nonlocal", "not",       "or",     "pass",  "raise",  "return", "try",
        "while",       "with",     "yield",     "math",   "np",    "torch",  "abs",    "max",
        "min",         "float",    "int",       "super",  "tuple", "zip",    "self",   "ctx",
        "grad_output", "dtype",    "isinstance"};
    // nn.Module's attributes: FModule keeps each parameter under its variable's name
    for (const char* n : {"T_destination",
                          "add_module",
                          "apply",
                          "bfloat16",
                          "buffers",
                          "children",
                          "cpu",
                          "cuda",
                          "double",
                          "dump_patches",
                          "eval",
                          "extra_repr",
                          "float",
                          "forward",
                          "get_buffer",
                          "get_extra_state",
                          "get_parameter",
                          "get_submodule",
                          "half",
                          "ipu",
                          "load_state_dict",
                          "modules",
                          "named_buffers",
                          "named_children",
                          "named_modules",
                          "named_parameters",
                          "parameters",
                          "register_backward_hook",
                          "register_buffer",
                          "register_forward_hook",
                          "register_forward_pre_hook",
                          "register_full_backward_hook",
                          "register_load_state_dict_post_hook",
                          "register_module",
                          "register_parameter",
                          "requires_grad_",
                          "set_extra_state",
                          "share_memory",
                          "state_dict",
                          "to",
                          "to_empty",
                          "train",
                          "training",
                          "type",
                          "xpu",
                          "zero_grad"})
      s.insert(n);
    return s;
  }();
  return l == Language::cpp ? cpp : python;
}

bool is_reserved(const std::string& name, Language l) {
  for (const Helper& h : helpers)
    if (h.name == name) return true;
  if (name == "f" || name.rfind("df_d", 0) == 0 || name.rfind("f_", 0) == 0 ||
      name == "FFunction" || name == "FModule")
    return true;
  if (l == Language::cpp &&
      (name.rfind("__", 0) == 0 || (name.size() > 1 && name[0] == '_' && std::isupper(name[1]))))
    return true;  // reserved identifiers in C++
  return reserved(l).contains(name);
}

/// The variables as the code names them, and the prefix of temporaries (`t1`, `t2`, ...).
struct Names {
  std::vector<std::string> vars;  ///< in order of first appearance
  std::map<std::string, std::string, std::less<>> code;
  std::vector<std::pair<std::string, std::string>> renamed;
  std::string temp = "t";
  std::string of(const std::string& v) const { return code.at(v); }
};

Names names_for(const Expr& e, Language l) {
  Names n;
  n.vars = variables(e);
  std::set<std::string> taken(n.vars.begin(), n.vars.end());
  for (const std::string& v : n.vars) {
    std::string c = v;
    if (is_reserved(c, l)) {
      c += "_";  // lambda_; but a reserved prefix (f_, df_d, __) stays one whatever follows
      if (is_reserved(c, l)) c = "v_" + v;
      while (is_reserved(c, l) || taken.contains(c)) c += "_";
      taken.insert(c);
      n.renamed.emplace_back(v, c);
    }
    n.code.emplace(v, c);
  }
  // temporaries must not shadow a variable: t1 unless some variable is t<digits>
  auto clashes = [&](const std::string& prefix) {
    return std::any_of(taken.begin(), taken.end(), [&](const std::string& v) {
      return v.size() > prefix.size() && v.rfind(prefix, 0) == 0 &&
             v.find_first_not_of("0123456789", prefix.size()) == std::string::npos;
    });
  };
  while (clashes(n.temp) || is_reserved(n.temp + "1", l)) n.temp += "t";
  return n;
}

// ---- the emitter ---------------------------------------------------------------------------

class Emitter {
 public:
  Emitter(Language l, const Names& names, std::set<std::string>& helpers_used, bool temps)
      : lang_(l), names_(names), helpers_(helpers_used), temps_(temps) {}

  /// Code for each root (numbers); assignments needed first are in `lines`.
  std::vector<Piece> run(std::span<const Expr> roots) {
    walk(roots);
    std::vector<Piece> out;
    for (const Expr& r : roots) out.push_back(as_num(done_.at(r)));
    return out;
  }
  std::vector<std::string> lines;  ///< `name = code`, in order
  /// True when e has no variable (it is computed once, as a number, in NumPy and PyTorch).
  bool is_constant(const Expr& e) const { return constant_.contains(e); }

 private:
  Language lang_;
  const Names& names_;
  std::set<std::string>& helpers_;
  bool temps_;
  int temp_count_ = 0;
  std::unordered_map<Expr, int, ExprHash> uses_;
  std::unordered_map<Expr, Piece, ExprHash> done_;
  std::unordered_set<Expr, ExprHash> constant_;

  /// Spells every node of `roots`, children first, hoisting the shared and the deep ones.
  void walk(std::span<const Expr> roots) {
    const std::vector<Expr> order = topological_order(roots);
    for (const Expr& n : order)
      for (const Expr& a : n.args()) ++uses_[a];
    for (const Expr& r : roots) ++uses_[r];
    for (const Expr& n : order) {
      if (done_.contains(n)) continue;  // a placeholder of expand(), already given its piece
      bool fixed = !n.is_var();
      for (const Expr& a : n.args()) fixed = fixed && constant_.contains(a);
      if (fixed) constant_.insert(n);
      // Arrays: a part without variables is a number, computed here exactly as eval computes
      // it (a Python float would not be an array, and torch's functions refuse floats).
      Piece p = fixed && !n.is_const() && !(cpp() || py()) ? written(eval(n)) : make(n);
      done_.emplace(n, std::move(p));
      if (temps_ && !n.is_const() && !n.is_var() &&
          (uses_[n] > 1 || done_.at(n).depth > max_inline_depth))
        hoist(n);
    }
  }

  /// An op without a spelling of its own, written as its definition. The definition is built on
  /// placeholder variables that stand for n's arguments, never on the arguments themselves:
  /// rebuilt on them, the factories would merge it with them (3*softsign(y*x)*x became
  /// 3*y*x^2/(1 + |y*x|), which overflows where f does not), and the code would compute
  /// something other than what eval computes.
  Piece expand(const Expr& n) {
    std::vector<Expr> holders;
    for (std::size_t i = 0; i < n.size(); ++i) {
      hoist(n.arg(i));  // each argument computed once, however often the definition uses it
      holders.push_back(var("slope_argument_" + std::to_string(i)));
    }
    const Expr d = definition(make_op(n.op(), holders));
    if (d.op() == n.op())
      throw std::logic_error("codegen: no spelling or definition for " +
                             std::string(op_name(n.op())));
    // The definition's nodes are spelled in a scope of their own: the same placeholder nodes
    // stand for other arguments in the next expansion.
    auto outer_done = std::exchange(done_, {});
    auto outer_uses = std::exchange(uses_, {});
    auto outer_constant = std::exchange(constant_, {});
    for (std::size_t i = 0; i < n.size(); ++i) {
      done_.emplace(holders[i], outer_done.at(n.arg(i)));
      if (outer_constant.contains(n.arg(i))) constant_.insert(holders[i]);
    }
    walk(std::span(&d, 1));
    Piece p = done_.at(d);
    done_ = std::move(outer_done);
    uses_ = std::move(outer_uses);
    constant_ = std::move(outer_constant);
    return p;
  }

  bool cpp() const { return lang_ == Language::cpp; }
  bool py() const { return lang_ == Language::python; }
  bool np() const { return lang_ == Language::numpy; }
  bool torch() const { return lang_ == Language::torch; }
  std::string num_lit(double v) const { return number(v, lang_); }

  std::string helper(std::string_view name) {
    helpers_.insert(std::string(name));
    return std::string(name);
  }

  /// A named temporary holding `p` (or, in one-expression mode, `p` in parentheses).
  Piece temporary(const Piece& p) {
    if (!temps_) return {"(" + p.text + ")", Prec::Atom, p.kind, 0, true};
    const std::string name = names_.temp + std::to_string(++temp_count_);
    if (cpp())
      lines.push_back(std::string(p.kind == Kind::cond ? "const bool " : "const double ") + name +
                      " = " + p.text + ";");
    else
      lines.push_back(name + " = " + p.text);
    return {name, Prec::Atom, p.kind, 0, true};
  }
  void hoist(const Expr& n) {
    Piece& p = done_.at(n);
    if (!p.atomic) p = temporary(p);
  }

  // The number a condition stands for, and the condition a number stands for (true when
  // non-zero and not NaN, as eval reads conditions).
  Piece as_num(const Piece& c) {
    if (c.kind == Kind::num) return c;
    Piece p{{}, Prec::Atom, Kind::num, c.depth + 1, false};
    if (cpp()) p.text = "(" + wrap(c, Prec::Or) + " ? 1.0 : 0.0)";
    if (py()) p.text = "(1.0 if " + wrap(c, Prec::Or) + " else 0.0)";
    if (np()) p.text = "np.where(" + c.text + ", 1.0, 0.0)";
    if (torch()) p.text = wrap(c, Prec::Atom) + ".to(" + ref() + ".dtype)";
    return p;
  }
  std::string ref() const { return names_.of(names_.vars.at(0)); }

  const Piece& arg(const Expr& e, std::size_t i) { return done_.at(e.arg(i)); }
  std::string num(const Expr& e, std::size_t i, Prec need) { return wrap(as_num(arg(e, i)), need); }
  std::string atom(const Expr& e, std::size_t i, Prec need = Prec::Lowest) {
    if (torch() && constant_.contains(e.arg(i)))  // used where torch needs a tensor
      return ref() + ".new_tensor(" + num(e, i, Prec::Lowest) + ")";
    hoist(e.arg(i));
    return num(e, i, need);
  }
  std::string cond(const Expr& e, std::size_t i, Prec need) {
    if (arg(e, i).kind == Kind::cond) return wrap(arg(e, i), need);
    const std::string a = atom(e, i, above(Prec::Compare));
    Piece p{{}, Prec::Atom, Kind::cond, 0, false};
    if (cpp()) p = {a + " != 0 && " + a + " == " + a, Prec::And, Kind::cond, 0, false};
    if (py()) p = {a + " != 0 and " + a + " == " + a, Prec::And, Kind::cond, 0, false};
    if (np()) p.text = "np.logical_and(" + a + " != 0, " + a + " == " + a + ")";
    if (torch()) p.text = "torch.logical_and(" + a + " != 0, " + a + " == " + a + ")";
    return wrap(p, need);
  }
  std::string args(const Expr& e) {
    std::string out;
    for (std::size_t i = 0; i < e.size(); ++i) out += (i ? ", " : "") + num(e, i, Prec::Lowest);
    return out;
  }
  std::string call(std::string_view name, const Expr& e) {
    return std::string(name) + "(" + args(e) + ")";
  }
  std::string select(const std::string& c, const std::string& a, const std::string& b) const {
    if (cpp()) return "(" + c + " ? " + a + " : " + b + ")";
    if (py()) return "(" + a + " if " + c + " else " + b + ")";
    return (np() ? "np.where(" : "torch.where(") + c + ", " + a + ", " + b + ")";
  }
  /// torch.where reads a Python number as float32: a constant branch becomes a tensor of the
  /// inputs' dtype.
  std::string tensor_if_const(const Expr& v, const std::string& text) const {
    return torch() && constant_.contains(v) ? ref() + ".new_tensor(" + text + ")" : text;
  }
  /// Argument i when it has no variable and is not NaN (a bound torch.clamp or np.clip takes).
  bool number_arg(const Expr& e, std::size_t i) const {
    return constant_.contains(e.arg(i)) && !std::isnan(eval(e.arg(i)));
  }

  Piece make(const Expr& e) {
    Piece p = written(e);
    if (!p.atomic) {
      int d = 0;
      for (const Expr& a : e.args()) d = std::max(d, done_.at(a).depth);
      p.depth = std::max(p.depth, d + 1);
    }
    return p;
  }

  // The product of e's factors from `first` on, left to right, after `coefficient` (when it is
  // not 1). b^-1 is written 1 / b, so a * b^-1 reads a * (1.0 / b): computed as slope does.
  Piece product(const Expr& e, std::size_t first, double coefficient) {
    std::string out;
    Prec prec = Prec::Atom;
    if (coefficient != 1) {
      out = num_lit(coefficient);
      prec = coefficient < 0 ? Prec::Unary : Prec::Atom;
    }
    for (std::size_t i = first; i < e.size(); ++i) {
      const std::string factor = num(e, i, above(Prec::Mul));
      if (out.empty()) {
        out = factor;
        prec = std::max(as_num(arg(e, i)).prec, above(Prec::Mul));
      } else {
        out += " * " + factor;
        prec = Prec::Mul;
      }
    }
    return {out, prec};
  }

  /// e's code: the emitter's own for the ops whose code depends on their arguments' form, else
  /// the op table's spelling in this language, else the op's definition.
  Piece written(const Expr& e) {
    if (std::optional<Piece> p = structural(e)) return *p;
    const std::string_view form = code_in(detail::row(e.op()).code);
    return form.empty() ? expand(e) : from_row(e, form);
  }

  std::string_view code_in(const detail::CodeSpelling& code) const {
    switch (lang_) {
      case Language::cpp:
        return code.cpp;
      case Language::python:
        return code.python;
      case Language::numpy:
        return code.numpy;
      case Language::torch:
        return code.torch;
    }
    return {};
  }

  /// e written from its row's spelling (op_table.hpp, CodeSpelling): a name, `@helper`, or a
  /// form with $0, $1. In a form, an argument standing alone in an argument list is written as
  /// it is; elsewhere (`-$0`, `$1 * $0`, `$0.new_tensor`) it is parenthesised as needed.
  Piece from_row(const Expr& e, std::string_view form) {
    if (form.starts_with('@')) return {call(helper(form.substr(1)), e)};
    if (form.find('$') == std::string_view::npos) return {call(form, e)};
    std::string out;
    for (std::size_t k = 0; k < form.size(); ++k) {
      if (form[k] != '$') {
        out += form[k];
        continue;
      }
      const std::size_t i = static_cast<std::size_t>(form[++k] - '0');
      const std::string_view placeholder = form.substr(k - 1, 2);
      const bool listed =
          (form.substr(0, k - 1).ends_with('(') || form.substr(0, k - 1).ends_with(", ")) &&
          (k + 1 == form.size() || form[k + 1] == ',' || form[k + 1] == ')');
      const Prec need = listed ? Prec::Lowest : Prec::Atom;
      std::size_t uses = 0;
      for (std::size_t at = form.find(placeholder); at != std::string_view::npos;
           at = form.find(placeholder, at + 1))
        ++uses;
      out += uses > 1 ? atom(e, i, need) : num(e, i, need);  // computed once when used twice
    }
    if (form.front() == '(' && form.back() == ')')  // a form wholly in parentheses: a sum, say
      return {out.substr(1, out.size() - 2), loosest_operator(form.substr(1, form.size() - 2))};
    return {out};
  }

  /// The precedence of a form's text: that of its loosest operator outside parentheses.
  static Prec loosest_operator(std::string_view form) {
    Prec p = Prec::Atom;
    int depth = 0;
    for (std::size_t k = 0; k + 2 < form.size(); ++k) {
      depth += form[k] == '(' ? 1 : form[k] == ')' ? -1 : 0;
      if (depth != 0 || form[k] != ' ' || form[k + 2] != ' ') continue;
      if (form[k + 1] == '+' || form[k + 1] == '-') return Prec::Add;
      if (form[k + 1] == '*' || form[k + 1] == '/') p = Prec::Mul;
    }
    return p == Prec::Atom ? Prec::Lowest : p;  // anything else: parenthesised wherever used
  }

  /// The ops whose code depends on their arguments' form; nullopt for the rest.
  std::optional<Piece> structural(const Expr& e) {
    const auto call_piece = [&](std::string name) -> Piece { return {call(name, e)}; };
    if (is_comparison(e.op()))
      return Piece{num(e, 0, above(Prec::Compare)) + " " + std::string(spelling(e.op()).symbol) +
                       " " + num(e, 1, above(Prec::Compare)),
                   Prec::Compare, Kind::cond};
    switch (e.op()) {
      case Op::Const: {
        const double v = e.value();
        const bool neg = v < 0 || (std::isinf(v) && v < 0);
        return Piece{num_lit(v), neg ? Prec::Unary : Prec::Atom, Kind::num, 0, true};
      }
      case Op::Variable:
        return Piece{names_.of(e.name()), Prec::Atom, Kind::num, 0, true};
      case Op::Add: {
        std::string out = num(e, 0, Prec::Add);
        for (std::size_t i = 1; i < e.size(); ++i) {
          const Piece& t = arg(e, i);
          if (e.arg(i).is_const() && e.arg(i).value() < 0)
            out += " - " + num_lit(-e.arg(i).value());
          else if (!t.negated.empty())
            out += " - " + wrap({t.negated, Prec::Mul}, above(Prec::Add));
          else
            out += " + " + num(e, i, above(Prec::Add));
        }
        return Piece{out, Prec::Add};
      }
      case Op::Mul: {
        const Expr& c = e.arg(0);
        if (c.is_const() && c.value() < 0 && e.size() > 1) {
          Piece rest = product(e, 1, -c.value());
          Piece p{"-" + wrap(rest, Prec::Mul), rest.prec == Prec::Mul ? Prec::Mul : Prec::Unary};
          if (rest.prec == Prec::Atom) p.text = "-" + rest.text;
          p.negated = wrap(rest, Prec::Mul);
          return p;
        }
        return product(e, 0, 1);
      }
      case Op::Pow:
        if (e.arg(1).is_const(-1)) {  // as eval computes it: the reciprocal, then the product
          if (py()) return Piece{helper("div") + "(1.0, " + num(e, 0, Prec::Lowest) + ")"};
          return Piece{"1.0 / " + num(e, 0, above(Prec::Mul)), Prec::Mul};
        }
        return std::nullopt;
      case Op::Max:
      case Op::Min:
        if (torch())  // torch.clamp_min takes a number bound, and agrees with eval for it
          for (std::size_t c = 0; c < 2; ++c)
            if (number_arg(e, c))
              return Piece{
                  std::string(e.op() == Op::Max ? "torch.clamp_min(" : "torch.clamp_max(") +
                  num(e, 1 - c, Prec::Lowest) + ", " + num(e, c, Prec::Lowest) + ")"};
        return std::nullopt;
      case Op::Clamp:
      case Op::Hardtanh:
      case Op::Relu6:
        return clamp(e);
      case Op::And:
      case Op::Or: {
        const bool is_and = e.op() == Op::And;
        const Prec p = is_and ? Prec::And : Prec::Or;
        if (cpp() || py())
          return Piece{cond(e, 0, p) +
                           (cpp() ? (is_and ? " && " : " || ") : (is_and ? " and " : " or ")) +
                           cond(e, 1, above(p)),
                       p, Kind::cond};
        return Piece{std::string(np() ? "np." : "torch.") +
                         (is_and ? "logical_and(" : "logical_or(") + cond(e, 0, Prec::Lowest) +
                         ", " + cond(e, 1, Prec::Lowest) + ")",
                     Prec::Atom, Kind::cond};
      }
      case Op::Not:
        if (arg(e, 0).kind == Kind::num)  // not a  is  a == 0, as eval reads it
          return Piece{num(e, 0, above(Prec::Compare)) + " == 0", Prec::Compare, Kind::cond};
        if (cpp()) return Piece{"!" + wrap(arg(e, 0), Prec::Atom), Prec::Unary, Kind::cond};
        if (py()) return Piece{"not " + wrap(arg(e, 0), Prec::Not), Prec::Not, Kind::cond};
        return Piece{std::string(np() ? "np." : "torch.") + "logical_not(" + arg(e, 0).text + ")",
                     Prec::Atom, Kind::cond};
      case Op::Piecewise: {
        const Prec branch = py() ? Prec::Or : Prec::Lowest;
        const std::string a = tensor_if_const(e.arg(1), num(e, 1, branch)),
                          b = tensor_if_const(e.arg(2), num(e, 2, branch));
        return Piece{select(cond(e, 0, cpp() || py() ? Prec::Or : Prec::Lowest), a, b)};
      }
      case Op::LeakyRelu:
      case Op::Prelu:  // a number slope: torch's own function, which agrees with eval
        if (torch() && number_arg(e, 1)) return call_piece("torch.nn.functional.leaky_relu");
        return std::nullopt;
      default:
        return std::nullopt;
    }
  }

  // clamp(x, lo, hi) as eval computes it: undefined when a bound is, else t = (x < lo ? lo : x),
  // then (t > hi ? hi : t).
  Piece clamp(const Expr& e) {
    const bool relu6 = e.op() == Op::Relu6;
    auto bound = [&](std::size_t i, double fixed) {
      return relu6 ? num_lit(fixed) : num(e, i, Prec::Lowest);
    };
    const auto is_number = [&](std::size_t i) { return relu6 || number_arg(e, i); };
    if (cpp() || py())
      return {helper("clamp") + "(" + num(e, 0, Prec::Lowest) + ", " + bound(1, 0) + ", " +
              bound(2, 6) + ")"};
    if (is_number(1) && is_number(2))  // np.clip and torch.clamp agree with eval for number bounds
      return {std::string(np() ? "np.clip(" : "torch.clamp(") + num(e, 0, Prec::Lowest) + ", " +
              bound(1, 0) + ", " + bound(2, 6) + ")"};
    // maximum and minimum pass NaN on from any argument, as eval does (atoms are tensors in torch)
    const std::string lib = np() ? "np." : "torch.";
    return {lib + "minimum(" + lib + "maximum(" + atom(e, 0) + ", " + atom(e, 1) + "), " +
            atom(e, 2) + ")"};
  }
};

// ---- whole files ---------------------------------------------------------------------------

std::string comment(Language l) { return l == Language::cpp ? "// " : "# "; }

/// f's text for a comment, or a note when printing it in full would be too long.
std::string shown(const Expr& e) {
  std::unordered_map<Expr, double, ExprHash> size;  // printed size, shared parts repeated
  double total = 0;
  for (const Expr& n : topological_order(e)) {
    double s = 1;
    for (const Expr& a : n.args()) s += size.at(a);
    size.emplace(n, s);
    total = s;
  }
  if (total > 400) return "(an expression of " + std::to_string(node_count(e)) + " operations)";
  std::string t = to_text(e);
  std::replace(t.begin(), t.end(), '\n', ' ');
  return t;
}

std::string convention_note(Convention c) {
  switch (c) {
    case Convention::min_norm:
      return "min_norm (the value between the one-sided slopes closest to 0, PyTorch's rule)";
    case Convention::left:
      return "left (the slope from the left)";
    case Convention::right:
      return "right (the slope from the right)";
    case Convention::average:
      return "average (the mean of the one-sided slopes)";
    case Convention::undefined:
      return "undefined (NaN)";
  }
  return std::string(to_string(c));
}

std::string params(const Names& n, Language l) {
  std::string out;
  for (const std::string& v : n.vars)
    out += std::string(out.empty() ? "" : ", ") + (l == Language::cpp ? "double " : "") + n.of(v);
  return out;
}
std::string names_list(const Names& n) {
  std::string out;
  for (const std::string& v : n.vars) out += (out.empty() ? "" : ", ") + n.of(v);
  return out;
}

/// The statements of a function body computing `roots`, ending in a return.
std::vector<std::string> body(std::span<const Expr> roots, Language l, const Names& names,
                              std::set<std::string>& helpers_used, bool as_tuple) {
  Emitter em(l, names, helpers_used, true);
  std::vector<Piece> result = em.run(roots);
  std::vector<std::string> lines;
  const bool arrays = l == Language::numpy || l == Language::torch;
  if (arrays && !names.vars.empty()) {
    const std::string all = names_list(names);
    if (l == Language::numpy) {
      std::string conv;
      for (const std::string& v : names.vars)
        conv += (conv.empty() ? "" : ", ") + ("np.asarray(" + names.of(v) + ", dtype=np.float64)");
      lines.push_back(names.vars.size() == 1 ? all + " = " + conv
                                             : all + " = np.broadcast_arrays(" + conv + ")");
    } else if (names.vars.size() > 1) {
      lines.push_back(all + " = torch.broadcast_tensors(" + all + ")");
    }
  }
  lines.insert(lines.end(), em.lines.begin(), em.lines.end());
  std::vector<std::string> values;
  for (std::size_t i = 0; i < roots.size(); ++i) {
    const Expr& r = roots[i];
    std::string v = result[i].text;
    if (arrays && (em.is_constant(r) || r.is_var())) {  // a fresh array of the inputs' shape
      const std::string first = names.vars.empty() ? "" : names.of(names.vars[0]);
      if (l == Language::numpy)
        v = r.is_var() ? v + ".copy()"
                       : "np.full(" + (first.empty() ? "()" : first + ".shape") + ", " + v + ")";
      else
        v = r.is_var() ? v + ".clone()" : "torch.full_like(" + first + ", " + v + ")";
    }
    values.push_back(v);
  }
  std::string ret = values[0];
  if (values.size() > 1 || as_tuple) {
    ret.clear();
    for (const std::string& v : values) ret += (ret.empty() ? "" : ", ") + v;
    ret = "(" + ret + (values.size() == 1 ? ",)" : ")");
  }
  lines.push_back(l == Language::cpp ? "return " + ret + ";" : "return " + ret);
  return lines;
}

std::string function(const std::string& name, std::span<const Expr> roots, Language l,
                     const Names& names, std::set<std::string>& helpers_used,
                     const std::string& doc = {}, bool as_tuple = false) {
  std::vector<std::string> lines = body(roots, l, names, helpers_used, as_tuple);
  std::string out;
  if (l == Language::cpp) {
    out = "double " + name + "(" + params(names, l) + ") {\n";
    for (const std::string& s : lines) out += "  " + s + "\n";
    return out + "}\n";
  }
  if (l == Language::numpy)
    out += "@np.errstate(all=\"ignore\")  # inf and nan as IEEE 754 gives them\n";
  out += "def " + name + "(" + params(names, l) + "):\n";
  if (!doc.empty()) out += "    \"\"\"" + doc + "\"\"\"\n";
  for (const std::string& s : lines) out += "    " + s + "\n";
  return out;
}

std::string torch_bridge(const Names& n) {
  const std::string all = names_list(n);
  const std::string& input = n.code.contains("x") ? n.of("x") : n.of(n.vars[0]);
  std::vector<std::string> parameters;
  for (const std::string& v : n.vars)
    if (n.of(v) != input) parameters.push_back(n.of(v));
  std::string out =
      "\n\nclass FFunction(torch.autograd.Function):\n"
      "    \"\"\"f, with slope's derivative as its backward (the convention above).\"\"\"\n\n"
      "    @staticmethod\n"
      "    def forward(ctx, " +
      all +
      "):\n"
      "        ctx.save_for_backward(" +
      all + (n.vars.size() == 1 ? "," : "") +
      ")\n"
      "        return f_value(" +
      all +
      ")\n\n"
      "    @staticmethod\n"
      "    def backward(ctx, grad_output):\n"
      "        inputs = ctx.saved_tensors\n"
      "        partials = f_gradient(*inputs)\n"
      "        return tuple(\n"
      "            (grad_output * d).sum_to_size(i.shape).to(i.dtype) if need else None\n"
      "            for need, d, i in zip(ctx.needs_input_grad, partials, inputs))\n\n\n"
      "def f(" +
      all +
      "):\n"
      "    \"\"\"f on tensors of any broadcastable shapes; numbers become tensors like the "
      "first.\"\"\"\n"
      "    like = next((v for v in (" +
      all + (n.vars.size() == 1 ? "," : "") +
      ") if isinstance(v, torch.Tensor)), None)\n"
      "    " +
      all + (n.vars.size() == 1 ? "," : "") +
      " = (v if isinstance(v, torch.Tensor) else "
      "torch.as_tensor(v, dtype=like.dtype if like is not None else None, device=like.device if "
      "like is not None else None) for v in (" +
      all + (n.vars.size() == 1 ? "," : "") +
      "))\n"
      "    return FFunction.apply(" +
      all +
      ")\n\n\n"
      "class FModule(torch.nn.Module):\n"
      "    \"\"\"f as a layer: forward(" +
      input + ")";
  if (!parameters.empty()) {
    std::string ps;
    for (const std::string& p : parameters) ps += (ps.empty() ? "" : ", ") + p;
    out += "; " + ps + " are learnable parameters.\"\"\"\n\n    def __init__(self, " + ps +
           "):\n        super().__init__()\n";
    for (const std::string& p : parameters)
      out += "        self." + p + " = torch.nn.Parameter(torch.as_tensor(" + p +
             ", dtype=torch.get_default_dtype()))\n";
  } else {
    out += ".\"\"\"\n";
  }
  out += "\n    def forward(self, " + input + "):\n        return f(";
  std::string call_args;
  for (const std::string& v : n.vars)
    call_args += (call_args.empty() ? "" : ", ") + (n.of(v) == input ? input : "self." + n.of(v));
  out += call_args + ")\n";
  return out;
}

}  // namespace

std::string_view language_name(Language language) {
  switch (language) {
    case Language::cpp:
      return "cpp";
    case Language::python:
      return "python";
    case Language::numpy:
      return "numpy";
    case Language::torch:
      return "torch";
  }
  return "?";
}

std::string to_code(const Expr& e, Language language) {
  const Names names = names_for(e, language);
  if (language == Language::torch && names.vars.empty()) return number(e.value(), language);
  std::set<std::string> used;
  Emitter em(language, names, used, false);
  const std::string text = em.run(std::span(&e, 1))[0].text;
  if (text.size() > 10'000'000)
    throw std::length_error("to_code: the expression is too large for one line; use emit");
  return text;
}

std::string emit(const Expr& e, Language l, bool gradient, Convention convention) {
  const Names names = names_for(e, l);
  if (l == Language::torch && names.vars.empty())
    throw std::invalid_argument(
        "emit --lang torch: f has no variables, so there is nothing for PyTorch to differentiate");
  const std::string c = comment(l);
  std::string head = c + "Generated by slope: f = " + shown(e) + "\n";
  head += c + "Derivatives at kinks: " + convention_note(convention) + " convention.\n";
  if (l == Language::cpp) head += c + "Computes in double, as slope does.\n";
  if (l == Language::python) head += c + "Computes in Python floats (double), as slope does.\n";
  if (l == Language::numpy)
    head += c + "Computes in float64 arrays of the inputs' broadcast shape, as slope does.\n";
  if (l == Language::torch)
    head += c + "Computes in the inputs' floating dtype (float32 or float64), on their device.\n";
  for (const auto& [from, to] : names.renamed)
    head += c + "The variable " + from + " is written " + to + " here (a reserved name in " +
            std::string(language_name(l)) + ").\n";

  std::set<std::string> used;
  std::string code;
  if (l == Language::torch) {
    code += "\n\n" + function("f_value", std::span(&e, 1), l, names, used, "f, elementwise.");
    std::vector<Expr> partials;
    for (const std::string& v : names.vars) partials.push_back(diff(e, v, convention));
    std::string order;
    for (const std::string& v : names.vars) order += (order.empty() ? "" : ", ") + ("df/d" + v);
    code += "\n\n" + function("f_gradient", partials, l, names, used,
                              "(" + order + ")" + ", elementwise, by the " +
                                  std::string(to_string(convention)) + " convention at kinks.",
                              true);
    code += torch_bridge(names);
  } else {
    const std::string gap = l == Language::cpp ? "\n" : "\n\n";
    code += gap + c + "f = " + shown(e) + "\n" + function("f", std::span(&e, 1), l, names, used);
    if (gradient) {
      for (const std::string& v : names.vars) {
        const Expr d = diff(e, v, convention);
        code += gap + c + "d/d" + v + " f = " + shown(d) + "  (" +
                std::string(to_string(convention)) + " convention at kinks)\n" +
                function("df_d" + names.of(v), std::span(&d, 1), l, names, used);
      }
    }
  }

  std::string prelude;
  if (l == Language::cpp) {
    prelude = "#include <algorithm>\n#include <cmath>\n#include <limits>\n";
    bool first = true;
    for (const Helper& h : helpers)
      if (used.contains(std::string(h.name)) && !h.cpp.empty()) {
        prelude += (first ? "\n" : "") + std::string(h.cpp) + "\n";
        first = false;
      }
  } else {
    if (l == Language::python || l == Language::torch) prelude += "import math\n";
    if (l == Language::numpy) prelude += "import math\nimport numpy as np\n";
    if (l == Language::torch) prelude += "\nimport torch\n";
    for (const Helper& h : helpers)
      if (used.contains(std::string(h.name)) && l == Language::python)
        prelude += "\n\n" + std::string(h.python) + "\n";
  }
  return head + "\n" + prelude + code;
}

}  // namespace slope
