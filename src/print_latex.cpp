// The LaTeX printer: the text printer's precedence rules with LaTeX spellings (from the op
// table), \frac for quotients, ^{} for powers and a cases environment for piecewise.
#include <cmath>
#include <unordered_map>

#include "print_common.hpp"
#include "slope/build.hpp"
#include "slope/print.hpp"

namespace slope {
namespace {

using detail::above;
using detail::is_negative;
using detail::is_reciprocal;

struct Piece {
  std::string text;
  Prec prec;
};

const char* const greek[] = {"alpha",   "beta",  "gamma", "delta", "epsilon", "zeta",
                             "eta",     "theta", "iota",  "kappa", "lambda",  "mu",
                             "nu",      "xi",    "pi",    "rho",   "sigma",   "tau",
                             "upsilon", "phi",   "chi",   "psi",   "omega"};

std::string latex_name(const std::string& name) {
  for (const char* g : greek)
    if (name == g) return std::string("\\") + g;
  if (auto u = name.find('_'); u != std::string::npos && u > 0 && u + 1 < name.size())
    return latex_name(name.substr(0, u)) + "_{" + name.substr(u + 1) + "}";
  std::string out;
  for (char c : name) out += c == '_' ? std::string("\\_") : std::string(1, c);
  return out;
}

std::string latex_number(double v) {
  if (std::isnan(v)) return "\\text{undefined}";
  if (std::isinf(v)) return v > 0 ? "\\infty" : "-\\infty";
  std::string s = format_number(v);
  if (auto e = s.find('e'); e != std::string::npos) {  // 1e-08 -> 1 \cdot 10^{-8}
    const int exponent = std::stoi(s.substr(e + 1));
    return s.substr(0, e) + " \\cdot 10^{" + std::to_string(exponent) + "}";
  }
  return s;
}

class LatexPrinter {
 public:
  std::string print(const Expr& root) {
    for (const Expr& n : topological_order(root)) done_.emplace(n.node(), piece(n));
    return done_.at(root.node()).text;
  }

 private:
  std::unordered_map<const Node*, Piece> done_;

  std::string at(const Expr& e, Prec need) {
    auto it = done_.find(e.node());
    Piece p = it != done_.end() ? it->second : piece(e);
    if (p.prec >= need) return p.text;
    return "\\left(" + p.text + "\\right)";
  }

  std::string call(std::string_view name, const Expr& e) {
    std::string out = std::string(name) + "\\left(";
    for (std::size_t i = 0; i < e.size(); ++i) out += (i ? ", " : "") + at(e.arg(i), Prec::Lowest);
    return out + "\\right)";
  }

  Piece piece(const Expr& e) {
    const OpSpelling& s = spelling(e.op());
    switch (e.op()) {
      case Op::Const:
        return {latex_number(e.value()), e.value() < 0 ? Prec::Unary : Prec::Atom};
      case Op::Var:
        return {latex_name(e.name()), Prec::Atom};
      case Op::Add: {
        std::string out = at(e.arg(0), Prec::Add);
        for (const Expr& t : e.args().subspan(1))
          out +=
              is_negative(t) ? " - " + at(-t, above(Prec::Add)) : " + " + at(t, above(Prec::Add));
        return {out, Prec::Add};
      }
      case Op::Mul: {
        double c = 1;
        std::vector<Expr> num, den;
        for (const Expr& f : e.args()) {
          if (f.is_const())
            c = f.value();
          else if (is_reciprocal(f))
            den.push_back(pow(f.arg(0), -f.arg(1).value()));
          else
            num.push_back(f);
        }
        auto join = [&](const std::vector<Expr>& fs, bool with_coefficient) {
          std::string out = with_coefficient && std::abs(c) != 1 ? latex_number(std::abs(c)) : "";
          for (const Expr& f : fs) {
            std::string t = at(f, fs.size() == 1 && !den.empty() ? Prec::Lowest : above(Prec::Mul));
            const bool digit_next = !t.empty() && std::isdigit(static_cast<unsigned char>(t[0]));
            out += out.empty() ? t : (digit_next ? " \\cdot " : " ") + t;
          }
          return out.empty() ? std::string("1") : out;
        };
        std::string body = den.empty()
                               ? join(num, true)
                               : "\\frac{" + join(num, true) + "}{" + join(den, false) + "}";
        if (c < 0)
          return {"-" + body, num.size() == 1 && den.empty() && c == -1 ? Prec::Unary : Prec::Mul};
        return {body, Prec::Mul};
      }
      case Op::Pow: {
        const Expr &b = e.arg(0), &x = e.arg(1);
        if (x.is_const() && x.value() < 0)
          return {"\\frac{1}{" + at(pow(b, -x.value()), Prec::Lowest) + "}", Prec::Mul};
        if (x.is_const(0.5)) return {"\\sqrt{" + at(b, Prec::Lowest) + "}", Prec::Atom};
        return {at(b, Prec::Atom) + "^{" + at(x, Prec::Lowest) + "}", Prec::Pow};
      }
      case Op::Exp:
        return {"e^{" + at(e.arg(0), Prec::Lowest) + "}", Prec::Pow};
      case Op::Sqrt:
        return {"\\sqrt{" + at(e.arg(0), Prec::Lowest) + "}", Prec::Atom};
      case Op::Abs:
        return {"\\left|" + at(e.arg(0), Prec::Lowest) + "\\right|", Prec::Atom};
      case Op::Lt:
      case Op::Le:
      case Op::Gt:
      case Op::Ge:
      case Op::Eq:
      case Op::Ne:
        return {at(e.arg(0), above(Prec::Compare)) + " " + std::string(s.latex) + " " +
                    at(e.arg(1), above(Prec::Compare)),
                Prec::Compare};
      case Op::And:
      case Op::Or:
        return {
            at(e.arg(0), s.prec) + " " + std::string(s.latex) + " " + at(e.arg(1), above(s.prec)),
            s.prec};
      case Op::Not:
        return {"\\lnot " + at(e.arg(0), Prec::Not), Prec::Not};
      case Op::Piecewise: {
        std::string out = "\\begin{cases} ";
        Expr rest = e;
        while (rest.op() == Op::Piecewise) {
          out += at(rest.arg(1), Prec::Lowest) + " & \\text{if } " + at(rest.arg(0), Prec::Lowest) +
                 " \\\\ ";
          rest = rest.arg(2);
        }
        return {out + at(rest, Prec::Lowest) + " & \\text{otherwise} \\end{cases}", Prec::Atom};
      }
      case Op::Log:
      case Op::Sin:
      case Op::Cos:
      case Op::Tanh:
      case Op::Sigmoid:
      case Op::Softplus:
      case Op::Sign:
      case Op::Max:
      case Op::Min:
      case Op::Clamp:
      case Op::Relu:
      case Op::LeakyRelu:
      case Op::Prelu:
      case Op::Elu:
      case Op::Hardtanh:
      case Op::Relu6:
      case Op::Heaviside:
        return {call(s.latex, e), Prec::Atom};
    }
    return {"?", Prec::Atom};
  }
};

}  // namespace

std::string to_latex(const Expr& e) { return LatexPrinter{}.print(e); }

}  // namespace slope
