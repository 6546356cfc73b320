// SPDX-License-Identifier: MIT
// The LaTeX printer: the text printer's precedence rules with LaTeX spellings (from the op
// table), \frac for quotients, ^{} for powers and a cases environment for piecewise. Emitted
// through print_common.hpp's explicit stack, so any depth prints in linear time.
#include <algorithm>
#include <cctype>
#include <cmath>

#include "slope/build.hpp"
#include "slope/print.hpp"
#include "text/latex_text.hpp"
#include "text/print_common.hpp"

namespace slope {
namespace {

using detail::above;
using detail::is_negative;
using detail::is_reciprocal;
using detail::Item;
using detail::lit;
using detail::sub;

const char* const greek[] = {"alpha",   "beta",  "gamma", "delta", "epsilon", "zeta",
                             "eta",     "theta", "iota",  "kappa", "lambda",  "mu",
                             "nu",      "xi",    "pi",    "rho",   "sigma",   "tau",
                             "upsilon", "phi",   "chi",   "psi",   "omega"};

bool is_identifier(std::string_view s) {
  const auto alpha = [](char c) { return std::isalpha(static_cast<unsigned char>(c)) || c == '_'; };
  const auto alnum = [&](char c) {
    return alpha(c) || std::isdigit(static_cast<unsigned char>(c));
  };
  return !s.empty() && alpha(s[0]) && std::all_of(s.begin() + 1, s.end(), alnum);
}

/// One piece of a name between underscores: a Greek letter, a letter, or an italic word.
std::string latex_word(std::string_view w) {
  for (const char* g : greek)
    if (w == g) return std::string("\\") + g;
  if (w.size() == 1) return std::string(w);
  return "\\mathit{" + std::string(w) + "}";  // xy is one name, not x times y
}

/// A variable's name in math mode, for any name (the parser's or a library user's): x_1 as
/// x_{1}, alpha as \alpha, x12 as x_{12}, w_out as w_{\mathit{out}}; a name LaTeX cannot
/// subscript (_x, x__y, a_b_c_d_e) as an italic word, and anything else as escaped text.
std::string latex_name(std::string_view name) {
  if (!is_identifier(name)) return "\\text{" + detail::latex_text(name) + "}";
  std::vector<std::string_view> parts;
  for (std::size_t start = 0;;) {
    const std::size_t u = name.find('_', start);
    parts.push_back(name.substr(start, u == std::string_view::npos ? u : u - start));
    if (u == std::string_view::npos) break;
    start = u + 1;
  }
  // Empty pieces cannot be subscripted, and TeX allows only so many nested groups.
  if (parts.size() > 4 || std::any_of(parts.begin(), parts.end(), [](auto p) { return p.empty(); }))
    return "\\mathit{" + detail::latex_text(name) + "}";
  if (parts.size() == 1) {  // x12: letters then digits, as x_{12}
    const std::size_t d = name.find_first_of("0123456789");
    if (d != std::string_view::npos &&
        name.find_first_not_of("0123456789", d) == std::string_view::npos)
      return latex_word(name.substr(0, d)) + "_{" + std::string(name.substr(d)) + "}";
  }
  std::string out = latex_word(parts[0]);
  for (std::size_t i = 1; i < parts.size(); ++i) out += "_{" + latex_word(parts[i]);
  return out + std::string(parts.size() - 1, '}');
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

/// How tightly the LaTeX form of e binds (decides \left( \right) around it).
Prec precedence(const Expr& e) {
  if (is_logical(e.op())) return spelling(e.op()).prec;
  switch (e.op()) {
    case Op::Const:
      return e.value() < 0 ? Prec::Unary : Prec::Atom;
    case Op::Variable:
      return Prec::Atom;
    case Op::Piecewise:
      // a brace among operators goes in \left( \right): a '+' or a '^{2}' after its last row
      // would read as part of that row; alone, or as an argument, it needs none
      return Prec::Compare;
    case Op::Add:
      return Prec::Add;
    case Op::Mul: {
      // "-x" alone is a unary minus; every other product (or \frac) binds as a product
      const auto f = e.args();
      const bool lone = f.size() == 2 && f[0].is_const(-1) && !is_reciprocal(f[1]);
      return lone ? Prec::Unary : Prec::Mul;
    }
    case Op::Pow:
      if (is_reciprocal(e)) return Prec::Mul;         // \frac{1}{...}
      if (e.arg(1).is_const(0.5)) return Prec::Atom;  // \sqrt{...}
      return Prec::Pow;
    default:
      // A form with a superscript (e^{x}) binds as a power; calls, \sqrt{x}, |x| and cases
      // are atoms.
      return spelling(e.op()).latex.find('^') != std::string_view::npos ? Prec::Pow : Prec::Atom;
  }
}

std::vector<Item> pieces(const Expr& e);

/// Whether e, printed where `need` binds, starts with a digit (then a product writes \cdot
/// before it). Follows the first piece down, without recursion.
bool starts_with_digit(Expr e, Prec need) {
  for (;;) {
    if (precedence(e) < need) return false;  // it starts with \left(
    const auto parts = pieces(e);
    if (parts.empty()) return false;
    if (!parts[0].is_node)
      return !parts[0].text.empty() && std::isdigit(static_cast<unsigned char>(parts[0].text[0]));
    need = parts[0].need;
    e = parts[0].node;
  }
}

/// A product c*f1*f2/(g1*g2) as \frac{c f1 f2}{g1 g2}, or c f1 f2 without a denominator.
std::vector<Item> product_pieces(const Expr& e) {
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
  std::vector<Item> out;
  auto join = [&](const std::vector<Expr>& fs, bool with_coefficient) {
    bool empty = true;
    if (with_coefficient && std::abs(c) != 1)
      out.push_back(lit(latex_number(std::abs(c)))), empty = false;
    for (const Expr& f : fs) {
      const Prec need = fs.size() == 1 && !den.empty() ? Prec::Lowest : above(Prec::Mul);
      if (!empty) out.push_back(lit(starts_with_digit(f, need) ? " \\cdot " : " "));
      out.push_back(sub(f, need));
      empty = false;
    }
    if (empty) out.push_back(lit("1"));
  };
  if (c < 0) out.push_back(lit("-"));
  if (den.empty()) {
    join(num, true);
  } else {
    out.push_back(lit("\\frac{"));
    join(num, true);
    out.push_back(lit("}{"));
    join(den, false);
    out.push_back(lit("}"));
  }
  return out;
}

/// The pieces of one node's LaTeX, left to right.
std::vector<Item> pieces(const Expr& e) {
  const OpSpelling& s = spelling(e.op());
  switch (e.op()) {
    case Op::Const:
      return {lit(latex_number(e.value()))};
    case Op::Variable:
      return {lit(latex_name(e.name()))};
    case Op::Add: {
      std::vector<Item> out{sub(e.arg(0), Prec::Add)};
      for (const Expr& t : e.args().subspan(1)) {
        if (is_negative(t))
          out.push_back(lit(" - ")), out.push_back(sub(-t, above(Prec::Add)));
        else
          out.push_back(lit(" + ")), out.push_back(sub(t, above(Prec::Add)));
      }
      return out;
    }
    case Op::Mul:
      return product_pieces(e);
    case Op::Pow: {
      const Expr &b = e.arg(0), &x = e.arg(1);
      if (is_reciprocal(e))
        return {lit("\\frac{1}{"), sub(pow(b, -x.value()), Prec::Lowest), lit("}")};
      if (x.is_const(0.5)) return {lit("\\sqrt{"), sub(b, Prec::Lowest), lit("}")};
      return {sub(b, Prec::Atom), lit("^{"), sub(x, Prec::Lowest), lit("}")};
    }
    case Op::Not:
      return {lit("\\lnot "), sub(e.arg(0), Prec::Not)};
    case Op::Piecewise: {
      std::vector<Item> out{lit("\\begin{cases} ")};
      Expr rest = e;
      while (rest.op() == Op::Piecewise) {
        out.push_back(sub(rest.arg(1), Prec::Lowest));
        out.push_back(lit(" & \\text{if } "));
        out.push_back(sub(rest.arg(0), Prec::Lowest));
        out.push_back(lit(" \\\\ "));
        rest = rest.arg(2);
      }
      out.push_back(sub(rest, Prec::Lowest));
      out.push_back(lit(" & \\text{otherwise} \\end{cases}"));
      return out;
    }
    default: {
      // Every other op from its row: infix, a form around its argument (e^{#}, \sqrt{#}), or
      // a call.
      if (!s.symbol.empty()) return detail::infix_pieces(e, s.latex);
      if (const auto hole = s.latex.find('#'); hole != std::string_view::npos)
        return {lit(std::string(s.latex.substr(0, hole))), sub(e.arg(0), Prec::Lowest),
                lit(std::string(s.latex.substr(hole + 1)))};
      return detail::call_pieces(e, std::string(s.latex) + "\\left(", "\\right)");
    }
  }
  return {lit("?")};
}

}  // namespace

/// A large graph's shared parts are named (u_{1}, u_{2}, ... after the formula, as SymPy's cse
/// output), so the LaTeX grows with the graph, not with its spelled-out tree.
std::string to_latex(const Expr& e) {
  const std::vector<Expr> shared = detail::nodes_to_name(e);
  if (shared.empty()) return detail::emit(e, pieces, precedence, "\\left(", "\\right)");
  const std::string prefix = latex_name(detail::free_prefix(e));
  std::unordered_map<NodeId, std::string> names;
  std::string definitions;
  for (const Expr& n : shared) {
    const std::string name = prefix + "_{" + std::to_string(names.size() + 1) + "}";
    definitions +=
        " \\\\\n" + name + " &= " +
        detail::emit(n, pieces, precedence, "\\left(", "\\right)", std::string::npos, &names);
    names.emplace(n.id(), name);
  }
  return "\\begin{aligned}\n&" +
         detail::emit(e, pieces, precedence, "\\left(", "\\right)", std::string::npos, &names) +
         ", \\text{ where}" + definitions + "\n\\end{aligned}";
}

}  // namespace slope
