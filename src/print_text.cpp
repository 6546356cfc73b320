// The one-line text printer. It walks the topological order once, keeping each node's text and
// precedence, and parenthesises a child only when its precedence is below what its parent needs.
#include <algorithm>
#include <cmath>
#include <ostream>
#include <unordered_map>

#include "slope/build.hpp"
#include "slope/print.hpp"

namespace slope {

std::string format_number(double v) {
  if (std::isnan(v)) return "undefined";
  if (std::isinf(v)) return v > 0 ? "inf" : "-inf";
  return fmt::format("{}", v);
}

namespace {

struct Piece {
  std::string text;
  Prec prec;
};

class TextPrinter {
 public:
  std::string print(const Expr& root) {
    for (const Expr& n : topological_order(root)) done_.emplace(n.node(), piece(n));
    return done_.at(root.node()).text;
  }

 private:
  std::unordered_map<const Node*, Piece> done_;

  /// The child's text, in parentheses when it binds looser than `need`.
  std::string at(const Expr& e, Prec need) {
    auto it = done_.find(e.node());
    Piece p = it != done_.end() ? it->second : piece(e);
    return p.prec < need ? "(" + p.text + ")" : p.text;
  }
  static Prec above(Prec p) { return static_cast<Prec>(static_cast<int>(p) + 1); }
  static bool is_negative(const Expr& t) {
    return (t.is_const() && t.value() < 0) || (t.op() == Op::Mul && t.arg(0).is_const() && t.arg(0).value() < 0);
  }

  Piece piece(const Expr& e) {
    const OpSpelling& s = spelling(e.op());
    switch (e.op()) {
      case Op::Const: {
        const double v = e.value();
        return {format_number(v), v < 0 ? Prec::Unary : Prec::Atom};
      }
      case Op::Var: return {e.name(), Prec::Atom};
      case Op::Add: {
        // "1 - x" rather than "-x + 1": the factory keeps the constant last whatever order it is
        // written in, so leading with it still parses back to the same node.
        std::vector<Expr> terms(e.args().begin(), e.args().end());
        if (is_negative(terms.front()) && terms.back().is_const() && !is_negative(terms.back()))
          std::rotate(terms.begin(), terms.end() - 1, terms.end());
        std::string out = at(terms[0], Prec::Add);
        for (std::size_t i = 1; i < terms.size(); ++i) {
          if (is_negative(terms[i])) out += " - " + at(-terms[i], above(Prec::Add));
          else out += " + " + at(terms[i], above(Prec::Add));
        }
        return {out, Prec::Add};
      }
      case Op::Mul: return product(e);
      case Op::Pow: {
        const Expr &b = e.arg(0), &x = e.arg(1);
        if (x.is_const() && x.value() < 0) return {"1/" + at(pow(b, -x.value()), above(Prec::Mul)), Prec::Mul};
        return {at(b, above(Prec::Pow)) + "^" + at(x, Prec::Pow), Prec::Pow};
      }
      case Op::Lt:
      case Op::Le:
      case Op::Gt:
      case Op::Ge:
      case Op::Eq:
      case Op::Ne:
        return {at(e.arg(0), above(Prec::Compare)) + " " + std::string(s.symbol) + " " +
                    at(e.arg(1), above(Prec::Compare)),
                Prec::Compare};
      case Op::And:
      case Op::Or:
        return {at(e.arg(0), s.prec) + " " + std::string(s.symbol) + " " + at(e.arg(1), above(s.prec)), s.prec};
      case Op::Not: return {"not " + at(e.arg(0), Prec::Not), Prec::Not};
      case Op::Piecewise: {
        // The else-chain of nested two-way choices prints as one flat list of branches.
        std::string out = "piecewise(";
        Expr rest = e;
        while (rest.op() == Op::Piecewise) {
          out += at(rest.arg(0), Prec::Lowest) + ": " + at(rest.arg(1), Prec::Lowest) + ", ";
          rest = rest.arg(2);
        }
        return {out + "otherwise: " + at(rest, Prec::Lowest) + ")", Prec::Atom};
      }
      case Op::Exp:
      case Op::Log:
      case Op::Sqrt:
      case Op::Sin:
      case Op::Cos:
      case Op::Tanh:
      case Op::Sigmoid:
      case Op::Softplus:
      case Op::Abs:
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
      case Op::Heaviside: {
        std::string out = std::string(s.name) + "(";
        for (std::size_t i = 0; i < e.size(); ++i) out += (i ? ", " : "") + at(e.arg(i), Prec::Lowest);
        return {out + ")", Prec::Atom};
      }
    }
    return {"?", Prec::Atom};
  }

  // c*f1*f2/f3: coefficient first, factors with negative exponents after a '/'.
  Piece product(const Expr& e) {
    double c = 1;
    auto factors = e.args();
    if (factors[0].is_const()) {
      c = factors[0].value();
      factors = factors.subspan(1);
    }
    std::string out;
    bool first = true, any_division = false;
    for (const Expr& f : factors) {
      const bool divide = f.op() == Op::Pow && f.arg(1).is_const() && f.arg(1).value() < 0;
      any_division |= divide;
      std::string text = at(divide ? pow(f.arg(0), -f.arg(1).value()) : f, above(Prec::Mul));
      if (first && divide) out = format_number(std::abs(c)) + "/" + text;
      else if (first) out = (std::abs(c) == 1 ? "" : format_number(std::abs(c)) + "*") + text;
      else out += (divide ? "/" : "*") + text;
      first = false;
    }
    if (c < 0) {
      // "-x" alone is a unary minus (binds looser than ^); "-2*x" is a product.
      const bool lone = std::abs(c) == 1 && factors.size() == 1 && !any_division;
      return {"-" + (lone ? at(factors[0], Prec::Unary) : out), lone ? Prec::Unary : Prec::Mul};
    }
    return {out, Prec::Mul};
  }
};

}  // namespace

std::string to_text(const Expr& e) { return TextPrinter{}.print(e); }

std::ostream& operator<<(std::ostream& os, const Expr& e) { return os << to_text(e); }

}  // namespace slope

auto fmt::formatter<slope::Expr>::format(const slope::Expr& e, format_context& ctx) const
    -> format_context::iterator {
  return fmt::formatter<fmt::string_view>::format(slope::to_text(e), ctx);
}
