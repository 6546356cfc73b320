// Code emission: the text printer's precedence scheme with each language's spellings, read from
// the op table; an op a language has no spelling for is written through its definition.
#include "slope/codegen.hpp"

#include <cmath>
#include <unordered_map>

#include "core/op_table.hpp"
#include "text/print_common.hpp"
#include "slope/build.hpp"
#include "slope/diff.hpp"
#include "slope/print.hpp"

namespace slope {
namespace {

using detail::above;

struct Piece {
  std::string text;
  Prec prec;
};

class CodePrinter {
 public:
  explicit CodePrinter(Language l) : lang_(l) {}

  std::string print(const Expr& root) { return piece(root).text; }

 private:
  Language lang_;
  std::unordered_map<Expr, Piece, ExprHash> done_;  // keeps each node (definitions too) alive

  std::string number(double v) const {
    if (std::isnan(v))
      return lang_ == Language::cpp ? "std::numeric_limits<double>::quiet_NaN()"
                                    : (lang_ == Language::numpy ? "np.nan" : "math.nan");
    if (std::isinf(v)) {
      const std::string inf = lang_ == Language::cpp
                                  ? "std::numeric_limits<double>::infinity()"
                                  : (lang_ == Language::numpy ? "np.inf" : "math.inf");
      return v > 0 ? inf : "-" + inf;
    }
    std::string s = format_number(v);
    if (lang_ == Language::cpp && s.find_first_of(".e") == std::string::npos)
      s += ".0";  // a double literal
    return s;
  }
  std::string fn(std::string_view cpp, std::string_view python, std::string_view numpy) const {
    return std::string(lang_ == Language::cpp ? cpp : (lang_ == Language::python ? python : numpy));
  }
  std::string at(const Expr& e, Prec need) {
    Piece p = piece(e);
    return p.prec < need ? "(" + p.text + ")" : p.text;
  }
  std::string args(const Expr& e) {
    std::string out;
    for (std::size_t i = 0; i < e.size(); ++i) out += (i ? ", " : "") + at(e.arg(i), Prec::Lowest);
    return out;
  }
  std::string call(std::string_view name, const Expr& e) {
    return std::string(name) + "(" + args(e) + ")";
  }
  std::string conditional(const std::string& c, const std::string& a, const std::string& b) const {
    if (lang_ == Language::cpp) return "(" + c + " ? " + a + " : " + b + ")";
    if (lang_ == Language::python) return "(" + a + " if " + c + " else " + b + ")";
    return "np.where(" + c + ", " + a + ", " + b + ")";
  }
  std::string boolean(const std::string& c) const {
    return lang_ == Language::cpp ? "(" + c + " ? 1.0 : 0.0)" : conditional(c, "1.0", "0.0");
  }

  Piece piece(const Expr& e) {
    if (auto it = done_.find(e); it != done_.end()) return it->second;
    Piece p = make(e);
    done_.emplace(e, p);
    return p;
  }

  /// An op as its row spells it in this language: a function name, a form with $0, $1 for the
  /// arguments, or (no spelling) the op's definition.
  Piece spelled(const Expr& e) {
    const detail::CodeSpelling& c = detail::row(e.op()).code;
    const std::string_view form =
        lang_ == Language::cpp ? c.cpp : (lang_ == Language::python ? c.python : c.numpy);
    if (form.empty() && is_activation(e.op())) return piece(definition(e));
    if (form.empty()) return {call(op_name(e.op()), e), Prec::Atom};  // no spelling: by name
    if (form.find('$') == std::string_view::npos) return {call(form, e), Prec::Atom};
    std::string out;
    for (std::size_t i = 0; i < form.size(); ++i) {
      if (form[i] != '$') {
        out += form[i];
        continue;
      }
      const std::size_t k = static_cast<std::size_t>(form[++i] - '0');
      // An argument alone between brackets or commas needs no parentheses of its own.
      const bool alone = ((i >= 2 && form[i - 2] == '(') || (i >= 3 && form.substr(i - 3, 2) == ", ")) &&
                         (i + 1 == form.size() || form[i + 1] == ')' || form[i + 1] == ',');
      out += at(e.arg(k), alone ? Prec::Lowest : Prec::Atom);
    }
    return {out, form_precedence(form)};
  }
  /// How tightly a spelled form binds: by its loosest operator outside brackets.
  static Prec form_precedence(std::string_view form) {
    Prec p = Prec::Atom;
    int depth = 0;
    for (std::size_t i = 0; i + 2 < form.size(); ++i) {
      depth += form[i] == '(' ? 1 : (form[i] == ')' ? -1 : 0);
      if (depth != 0 || form[i] != ' ') continue;
      if (form[i + 1] == '+' || form[i + 1] == '-') return Prec::Add;
      if (form[i + 1] == '*' || form[i + 1] == '/') p = Prec::Mul;
    }
    return p;
  }

  Piece make(const Expr& e) {
    switch (e.op()) {
      case Op::Const:
        return {number(e.value()), e.value() < 0 ? Prec::Unary : Prec::Atom};
      case Op::Variable:
        return {e.name(), Prec::Atom};
      case Op::Add: {
        std::string out = at(e.arg(0), Prec::Add);
        for (const Expr& t : e.args().subspan(1)) out += " + " + at(t, above(Prec::Add));
        return {out, Prec::Add};
      }
      case Op::Mul: {
        std::string out;
        for (const Expr& f : e.args()) {
          if (f.op() == Op::Pow && f.arg(1).is_const(-1))
            out += (out.empty() ? number(1) : "") + " / " + at(f.arg(0), above(Prec::Mul));
          else
            out += (out.empty() ? "" : " * ") + at(f, above(Prec::Mul));
        }
        return {out, Prec::Mul};
      }
      case Op::Pow:
        if (lang_ == Language::cpp) return {"std::pow(" + args(e) + ")", Prec::Atom};
        return {at(e.arg(0), Prec::Atom) + " ** " + at(e.arg(1), Prec::Pow), Prec::Pow};
      case Op::And:
        return {lang_ == Language::numpy ? "np.logical_and(" + args(e) + ")"
                                         : at(e.arg(0), Prec::And) + fn(" && ", " and ", "") +
                                               at(e.arg(1), above(Prec::And)),
                lang_ == Language::numpy ? Prec::Atom : Prec::And};
      case Op::Or:
        return {lang_ == Language::numpy ? "np.logical_or(" + args(e) + ")"
                                         : at(e.arg(0), Prec::Or) + fn(" || ", " or ", "") +
                                               at(e.arg(1), above(Prec::Or)),
                lang_ == Language::numpy ? Prec::Atom : Prec::Or};
      case Op::Not:
        return {lang_ == Language::numpy
                    ? "np.logical_not(" + args(e) + ")"
                    : fn("!", "not ", "") +
                          at(e.arg(0), lang_ == Language::cpp ? Prec::Atom : Prec::Not),
                lang_ == Language::numpy ? Prec::Atom : Prec::Not};
      case Op::Piecewise: {
        // Branch values that are whole numbers read as floats: np.where(x > 0, 1.0, 0.0).
        auto value = [&](const Expr& v) {
          if (v.is_const() && std::isfinite(v.value()) && v.value() == std::floor(v.value()))
            return format_number(v.value()) + ".0";
          return at(v, is_comparison(v.op()) ? Prec::Atom : Prec::Lowest);
        };
        return {conditional(at(e.arg(0), Prec::Lowest), value(e.arg(1)), value(e.arg(2))),
                Prec::Atom};
      }
      default:
        if (is_comparison(e.op()))
          return {at(e.arg(0), above(Prec::Compare)) + " " +
                      std::string(spelling(e.op()).symbol) + " " +
                      at(e.arg(1), above(Prec::Compare)),
                  Prec::Compare};
        return spelled(e);
    }
    return {"?", Prec::Atom};
  }
};

std::string signature_args(const std::vector<std::string>& vars, Language l) {
  std::string out;
  for (const std::string& v : vars)
    out += (out.empty() ? "" : ", ") + (l == Language::cpp ? "double " + v : v);
  return out;
}

std::string function(const std::string& name, const std::vector<std::string>& vars,
                     const Expr& body, Language l) {
  const std::string code = to_code(body, l);
  if (l == Language::cpp)
    return "double " + name + "(" + signature_args(vars, l) + ") { return " + code + "; }\n";
  return "def " + name + "(" + signature_args(vars, l) + "):\n    return " + code + "\n";
}

}  // namespace

std::string to_code(const Expr& e, Language language) {
  // Comparisons used as numbers (Iverson brackets) become 1.0 / 0.0 explicitly.
  if (is_logical(e.op())) return CodePrinter(language).print(where(e, 1, 0));
  return CodePrinter(language).print(e);
}

std::string emit(const Expr& e, Language l, bool gradient, Convention convention) {
  std::vector<std::string> vars = variables(e);
  const char* comment = l == Language::cpp ? "//" : "#";
  std::string out;
  if (l == Language::cpp) out += "#include <algorithm>\n#include <cmath>\n#include <limits>\n\n";
  if (l == Language::python) out += "import math\n\n";
  if (l == Language::numpy) out += "import numpy as np\n\n";
  out += std::string(comment) + " f = " + to_text(e) + "\n" + function("f", vars, e, l);
  if (gradient) {
    for (const std::string& v : vars) {
      const Expr d = diff(e, v, convention);
      out += "\n" + std::string(comment) + " d/d" + v + " f = " + to_text(d) + "  (" +
             std::string(to_string(convention)) + " convention at kinks)\n" +
             function("df_d" + v, vars, d, l);
    }
  }
  return out;
}

}  // namespace slope
