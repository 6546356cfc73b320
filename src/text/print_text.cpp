// SPDX-License-Identifier: MIT
// The one-line text printer: each node's pieces, emitted through print_common.hpp's explicit
// stack (linear time, constant stack at any depth). A child is parenthesised only when its
// precedence is below what its place needs.
#include <algorithm>
#include <cmath>
#include <ostream>

#include "slope/build.hpp"
#include "slope/print.hpp"
#include "text/print_common.hpp"

namespace slope {

std::string format_number(double v) {
  if (std::isnan(v)) return "undefined";
  if (std::isinf(v)) return v > 0 ? "inf" : "-inf";
  // -0 (a slope from the left of abs(x^3), 0 * -1) reads as a different number to a person; as
  // a constant it is 0 anyway (Expr keeps one zero), so every printer writes it 0.
  if (v == 0) return "0";
  return fmt::format("{}", v);
}

namespace detail {

namespace {
using detail::above;
using detail::is_negative;
using detail::is_reciprocal;
using detail::Item;
using detail::lit;
using detail::sub;

/// 10^-1 alone prints as that power: written 1/10 it would read back as the number 0.1 (found by
/// fuzzing), where 1/3 reads back as the fraction it is.
bool reads_back_as_number(const Expr& e) {
  return is_reciprocal(e) && e.arg(0).is_const() && !(Expr(1) / e.arg(0) == e);
}

}  // namespace

Prec text_precedence(const Expr& e) {
  switch (e.op()) {
    case Op::Const:
      return e.value() < 0 ? Prec::Unary : Prec::Atom;
    case Op::Add:
      return Prec::Add;
    case Op::Mul: {
      // "-x" alone is a unary minus (binds looser than ^); "-2*x" and "x/y" are products.
      const bool lone = e.size() == 2 && e.arg(0).is_const(-1) && !is_reciprocal(e.arg(1));
      return lone ? Prec::Unary : Prec::Mul;
    }
    case Op::Pow:
      return is_reciprocal(e) && !reads_back_as_number(e) ? Prec::Mul : Prec::Pow;
    default:
      return spelling(e.op()).prec;
  }
}

std::vector<Item> text_pieces(const Expr& e) {
  const OpSpelling& s = spelling(e.op());
  switch (e.op()) {
    case Op::Const:
      return {lit(format_number(e.value()))};
    case Op::Variable:
      return {lit(e.name())};
    case Op::Add: {
      // "1 - x" rather than "-x + 1": the factory keeps the constant last whatever order it is
      // written in, so leading with it still parses back to the same node.
      std::vector<Expr> terms(e.args().begin(), e.args().end());
      if (is_negative(terms.front()) && terms.back().is_const() && !is_negative(terms.back()))
        std::rotate(terms.begin(), terms.end() - 1, terms.end());
      std::vector<Item> out{sub(terms[0], Prec::Add)};
      for (std::size_t i = 1; i < terms.size(); ++i) {
        if (is_negative(terms[i]))
          out.push_back(lit(" - ")), out.push_back(sub(-terms[i], above(Prec::Add)));
        else
          out.push_back(lit(" + ")), out.push_back(sub(terms[i], above(Prec::Add)));
      }
      return out;
    }
    case Op::Mul: {
      // c*f1*f2/f3: coefficient first, factors with negative exponents after a '/'.
      double c = 1;
      auto factors = e.args();
      if (factors[0].is_const()) {
        c = factors[0].value();
        factors = factors.subspan(1);
      }
      std::vector<Item> out;
      if (c < 0) out.push_back(lit("-"));
      if (text_precedence(e) == Prec::Unary) {
        out.push_back(sub(factors[0], Prec::Unary));
        return out;
      }
      for (std::size_t i = 0; i < factors.size(); ++i) {
        const Expr& f = factors[i];
        const bool divide = is_reciprocal(f);
        if (i == 0) {
          if (divide)
            out.push_back(lit(format_number(std::abs(c)) + "/"));
          else if (std::abs(c) != 1)
            out.push_back(lit(format_number(std::abs(c)) + "*"));
        } else {
          out.push_back(lit(divide ? "/" : "*"));
        }
        out.push_back(sub(divide ? pow(f.arg(0), -f.arg(1).value()) : f, above(Prec::Mul)));
      }
      return out;
    }
    case Op::Pow: {
      const Expr &b = e.arg(0), &x = e.arg(1);
      if (reads_back_as_number(e))
        return {sub(b, above(Prec::Pow)), lit("^" + format_number(x.value()))};
      if (is_reciprocal(e)) return {lit("1/"), sub(pow(b, -x.value()), above(Prec::Mul))};
      return {sub(b, above(Prec::Pow)), lit("^"), sub(x, Prec::Pow)};
    }
    case Op::Not:
      return {lit("not "), sub(e.arg(0), Prec::Not)};
    case Op::Piecewise: {
      // The else-chain of nested two-way choices prints as one flat list of branches.
      std::vector<Item> out{lit("piecewise(")};
      Expr rest = e;
      while (rest.op() == Op::Piecewise) {
        out.push_back(sub(rest.arg(0), Prec::Lowest));
        out.push_back(lit(": "));
        out.push_back(sub(rest.arg(1), Prec::Lowest));
        out.push_back(lit(", "));
        rest = rest.arg(2);
      }
      out.push_back(lit("otherwise: "));
      out.push_back(sub(rest, Prec::Lowest));
      out.push_back(lit(")"));
      return out;
    }
    default:  // every other op: an infix operator, or a call by its name
      if (!s.symbol.empty()) return detail::infix_pieces(e, s.symbol);
      return detail::call_pieces(e, std::string(s.name) + "(", ")");
  }
  return {lit("?")};
}

}  // namespace detail

namespace {
constexpr std::size_t npos = std::string::npos;
using detail::text_pieces, detail::text_precedence;

/// The text, with the shared parts of a large graph named first, as definitions the parser
/// reads back: `u1() = x - 0.01; u2() = leaky_relu(u1(), 0.5); ...; <expression>`.
std::string text_of(const Expr& e) {
  const std::vector<Expr> shared = detail::nodes_to_name(e);
  if (shared.empty()) return detail::emit(e, text_pieces, text_precedence, "(", ")");
  const std::string prefix = detail::free_prefix(e);
  std::unordered_map<NodeId, std::string> names;
  std::string out;
  for (const Expr& n : shared) {
    const std::string name = prefix + std::to_string(names.size() + 1) + "()";
    out +=
        name + " = " + detail::emit(n, text_pieces, text_precedence, "(", ")", npos, &names) + "; ";
    names.emplace(n.id(), name);
  }
  return out + detail::emit(e, text_pieces, text_precedence, "(", ")", npos, &names);
}
}  // namespace

std::string to_text(const Expr& e) { return text_of(e); }
std::string to_text_within(const Expr& e, std::size_t max_length) {
  return detail::emit(e, text_pieces, text_precedence, "(", ")", max_length);
}

std::string text_or_size(const Expr& e, std::size_t max_length) {
  try {
    return to_text_within(e, max_length);
  } catch (const TextTooLong&) {  // a shared graph can spell out to 2^40 characters
    return fmt::format("(an expression of {} nodes)", node_count(e));
  }
}

std::ostream& operator<<(std::ostream& os, const Expr& e) { return os << to_text(e); }

}  // namespace slope

auto fmt::formatter<slope::Expr>::format(const slope::Expr& e, format_context& ctx) const
    -> format_context::iterator {
  return fmt::formatter<fmt::string_view>::format(slope::to_text(e), ctx);
}
