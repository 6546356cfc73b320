// SPDX-License-Identifier: MIT
// Canonicalising factories. Every node is built here, in canonical form, before it is interned;
// docs/architecture.md lists the invariants these functions establish.
#include "slope/build.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <array>
#include <cmath>
#include <cstdint>
#include <limits>
#include <numeric>
#include <optional>
#include <stdexcept>
#include <unordered_map>
#include <vector>

#include "core/node.hpp"
#include "core/number.hpp"
#include "core/op_table.hpp"
#include "core/rebuild.hpp"

namespace slope {
namespace {

constexpr double nan_v = std::numeric_limits<double>::quiet_NaN();
constexpr double inf_v = std::numeric_limits<double>::infinity();

bool is_integer(double v) { return std::isfinite(v) && v == std::floor(v); }
bool is_boolean_valued(const Expr& e) { return is_logical(e.op()); }
bool is_truthy(double v) { return v != 0 && !std::isnan(v); }

/// Folds an op whose arguments are all numbers to its value: 1/3 > 1 is false, as 0.5 > 1 is.
std::optional<Expr> fold(Op op, std::span<const Expr> args) {
  for (const Expr& a : args)
    if (!detail::number_value(a)) return std::nullopt;
  std::array<double, 4> few;  // most ops take up to 4 arguments: no allocation for them
  std::vector<double> many;
  if (args.size() > few.size()) many.resize(args.size());
  const std::span<double> values = many.empty() ? std::span(few).first(args.size()) : many;
  for (std::size_t i = 0; i < args.size(); ++i) values[i] = *detail::number_value(args[i]);
  return Expr(detail::row(op).eval(values));
}

/// Is a / c exact in doubles? 1/c is kept as a node when it is not (1/3), so x/3 prints as
/// x/3, not 0.3333333333333333*x.
bool exact_quotient(double a, double c) { return c != 0 && std::fma(a / c, c, -a) == 0; }

/// Whether a quotient of two numbers stays a fraction (1/3, printed so): only where its decimal
/// is long and the fraction evaluates to the quotient itself. 3/10 is the number 0.3, and 10/3
/// the number 3.3333333333333335, since 10 times 1/3 rounds to 3.333333333333333.
bool stays_fraction(double c, double k) {
  const double q = c / k;
  return !exact_quotient(c, k) && c * (1 / k) == q && !detail::reads_short(q);
}

/// Splits a term into (coefficient, rest): 3*x*y -> (3, x*y), x -> (1, x).
std::pair<double, Expr> split_coefficient(const Expr& t) {
  if (t.op() == Op::Mul && t.arg(0).is_const()) {
    auto rest = t.args().subspan(1);
    if (rest.size() == 1) return {t.arg(0).value(), rest[0]};
    return {t.arg(0).value(), make_node(Op::Mul, std::span<const Expr>(rest.begin(), rest.end()))};
  }
  return {1.0, t};
}

/// The factors of a term's rest (x*y -> x, y; x -> x).
std::span<const Expr> factors_of(const Expr& rest) {
  return rest.op() == Op::Mul ? rest.args() : std::span<const Expr>(&rest, 1);
}

/// A key that is the same for the same factors in any order: products are not sorted (they keep
/// the order a reader wrote), so s^2*(1 - s)^2 and (1 - s)^2*s^2 are two nodes of one term.
std::uint64_t factors_key(const Expr& rest) {
  std::uint64_t key = 0;
  for (const Expr& f : factors_of(rest)) key += f.hash();  // a sum: the order does not matter
  return key;
}

/// The same factors, in any order (each factor a node, so equal factors are equal ids).
bool same_factors(const Expr& a, const Expr& b) {
  if (a == b) return true;
  const auto fa = factors_of(a), fb = factors_of(b);
  if (fa.size() != fb.size()) return false;
  std::vector<NodeId> ia, ib;
  for (const Expr& f : fa) ia.push_back(f.id());
  for (const Expr& f : fb) ib.push_back(f.id());
  std::sort(ia.begin(), ia.end());
  std::sort(ib.begin(), ib.end());
  return ia == ib;
}

// A sum or product of more than max_flattened terms is not flattened into another: it stays one
// term. The derivative of a k-deep chain is a product (or sum) of k parts, one more per level,
// and copying the whole of it at every level made differentiating a chain quadratic in its depth.
constexpr std::size_t max_flattened = 16;

/// The factors_key of a term's rest, as add's full path splits it (3*x*y -> x*y), without making
/// the rest's node.
std::uint64_t term_key(const Expr& t) {
  if (t.op() != Op::Mul || !t.arg(0).is_const()) return factors_key(t);
  const auto rest = t.args().subspan(1);
  if (rest.size() == 1) return factors_key(rest[0]);
  std::uint64_t key = 0;
  for (const Expr& f : rest) key += f.hash();
  return key;
}

/// z + t, for a sum z short enough to flatten and one new term t with coefficient 1 and unlike
/// every term of z: z's terms with t first (t_first) or before z's constant. This is how a sum
/// is built term by term (z = z + w*x), and the full path below would collect z's terms again
/// each time; it gives the same node (build_test compares the two). Nothing when it does not
/// apply.
std::optional<Expr> append_term(const Expr& z, const Expr& t, bool t_first) {
  if (z.op() != Op::Add || z.size() > max_flattened || t.is_const() || t.op() == Op::Add ||
      (t.op() == Op::Mul && t.arg(0).is_const()))
    return std::nullopt;
  const std::uint64_t key = factors_key(t);
  for (const Expr& u : z.args())
    if (!u.is_const() && term_key(u) == key) return std::nullopt;  // maybe like: the full path
  const bool has_constant = z.args().back().is_const();
  std::vector<Expr> out;
  out.reserve(z.size() + 1);
  if (t_first) out.push_back(t);
  out.insert(out.end(), z.args().begin(), z.args().end() - (has_constant ? 1 : 0));
  if (!t_first) out.push_back(t);
  if (has_constant) out.push_back(z.args().back());
  return make_node(Op::Add, std::move(out));
}

// Sum: flattened (up to max_flattened), like terms collected (2*x + 3*x -> 5*x, and x*y + y*x ->
// 2*x*y), constants folded into one last term, zeros dropped. Terms keep the order and the factor
// order in which they first appeared.
Expr add(std::span<const Expr> args) {
  if (args.size() == 2) {
    if (auto sum = append_term(args[0], args[1], false)) return *sum;
    if (args[1].op() == Op::Add && args[0].op() != Op::Add)
      if (auto sum = append_term(args[1], args[0], true)) return *sum;
  }
  std::vector<std::pair<Expr, double>> terms;
  terms.reserve(args.size());
  // Like terms are found along `terms` while there are few (a map allocated per term, and most
  // sums have two or three), through `index` beyond that.
  constexpr std::size_t few = 16;
  std::vector<std::uint64_t> keys;  // factors_key of each term
  keys.reserve(args.size());
  std::unordered_multimap<std::uint64_t, std::size_t> index;  // factors_key -> terms
  double constant = 0;
  // The first term with rest's factors takes c, unless finite coefficients would add up past
  // the largest double: those stay apart (1e308*x + 1e308*x is 0 at 0, inf*x is NaN there; as
  // for products, see mul). Whether the search is over.
  enum Found { other, taken, apart };
  const auto collect = [&](std::size_t i, const Expr& rest, double c) {
    if (!same_factors(terms[i].first, rest)) return other;
    double& collected = terms[i].second;
    if (std::isinf(collected + c) && std::isfinite(collected) && std::isfinite(c)) return apart;
    collected += c;
    return taken;
  };
  auto push = [&](const Expr& t) {
    if (t.is_const()) {
      constant += t.value();
      return;
    }
    auto [c, rest] = split_coefficient(t);
    const std::uint64_t key = factors_key(rest);
    Found found = other;
    if (terms.size() < few) {
      for (std::size_t i = 0; i < terms.size() && found == other; ++i)
        if (keys[i] == key) found = collect(i, rest, c);
    } else {
      if (index.empty())
        for (std::size_t i = 0; i < terms.size(); ++i) index.emplace(keys[i], i);
      std::vector<std::size_t> same_key;  // oldest first, as along `terms`
      for (auto [it, end] = index.equal_range(key); it != end; ++it) same_key.push_back(it->second);
      std::sort(same_key.begin(), same_key.end());
      for (std::size_t i = 0; i < same_key.size() && found == other; ++i)
        found = collect(same_key[i], rest, c);
      if (found != taken) index.emplace(key, terms.size());
    }
    if (found == taken) return;
    keys.push_back(key);
    terms.emplace_back(rest, c);
  };
  for (const Expr& a : args) {
    if (a.op() == Op::Add && a.size() <= max_flattened)
      for (const Expr& t : a.args()) push(t);
    else
      push(a);
  }
  std::vector<Expr> out;
  out.reserve(terms.size() + 1);
  bool reshaped = false;  // a coefficient absorbed a constant factor: -3 * (x * 3^-1) is -x
  for (auto& [rest, c] : terms) {
    if (c == 0) continue;
    const Expr t = c == 1 ? rest : make_op(Op::Mul, std::array{Expr(c), rest});
    if (t.is_const()) {  // -3 * 3^-1 is -1: a number joins the constant, which comes last
      constant += t.value();
      continue;
    }
    // kept whole: t is c * rest's factors, one more argument than rest has (no node lookup);
    // a product too long to flatten is one factor (else every pass saw a reshape: fuzzing)
    const std::size_t rest_size =
        rest.op() == Op::Mul && rest.size() <= max_flattened ? rest.size() : 1;
    // (or c * rest nested, where c times rest's coefficient overflows: see mul)
    const bool whole = t.op() == Op::Mul && t.arg(0).is_const(c) &&
                       (t.size() == rest_size + 1 || (t.size() == 2 && t.arg(1) == rest));
    reshaped = reshaped || (c != 1 && !whole);
    out.push_back(t);
  }
  if (std::isnan(constant)) return nan_v;
  if (constant != 0 || out.empty()) out.push_back(constant);
  if (out.size() == 1) return out[0];
  // A reshaped term may now be like another (-x and -x): collect once more. Each pass takes
  // constant factors out of the terms, so this ends.
  if (reshaped) return add(out);
  return make_node(Op::Add, std::move(out));
}

// Product: flattened (up to max_flattened), one constant coefficient first, equal bases with
// integer exponents combined (x*x -> x^2, x/x -> 1), ones dropped, zero absorbing. Dividing by a
// constant b folds into the coefficient when that is exact — 1/b exact (b = 4), or b divides an
// integer coefficient (6*x/3 is 2*x) — and otherwise stays a factor b^-1, so x/3 prints as x/3. The
// coefficient is complete before any such decision, which makes the form independent of the
// order factors arrive in (the fuzzer found the order-dependent version).
// A zero factor absorbs every other one, infinities included, as 0*x is 0 for every x: a constant
// that overflowed (the product of a deep chain's weights) must not turn the 0 of a derivative's
// flat region into NaN.
// Finite factors whose coefficient over- or underflows a double are not combined into inf or 0:
// 1e200*(1e200*x) is 0 at 0, and inf*x is NaN there. Such a product is a*(b*rest), split by
// the exact coefficient alone (wide_split), so that the form does not depend on how the
// factors were grouped: parse(to_text(e)) is e (the fuzzer found a grouping-dependent form).

/// The exact coefficient p (long double) as a*b, b a power of two and both normal doubles, or
/// nothing when p is out of reach of two doubles. A function of the rounded p alone: a*b is
/// exact, so splitting a*b again gives a and b.
std::optional<std::pair<double, double>> wide_split(long double p) {
  int e = 0;
  double m = static_cast<double>(std::frexp(p, &e));  // p = m * 2^e, rounded to a double
  if (std::abs(m) == 1) m /= 2, ++e;                  // rounding carried into the exponent
  const int k = e / 2;
  const double a = std::ldexp(m, e - k), b = std::ldexp(1.0, k);
  if (!std::isnormal(a) || !std::isnormal(b)) return std::nullopt;
  return std::pair{a, b};
}

Expr mul(std::span<const Expr> args) {
  // Two plain factors (w*x, the most common product) are the product as written; the full path
  // below gives the same node for them, after three allocations.
  const auto plain = [](const Expr& f) {
    return f.op() != Op::Const && f.op() != Op::Mul && f.op() != Op::Pow;
  };
  if (args.size() == 2 && args[0] != args[1] && plain(args[0]) && plain(args[1]))
    return make_node(Op::Mul, args);
  std::vector<std::pair<Expr, double>> factors;  // base, integer exponent
  factors.reserve(args.size());
  // Where each base is: searched along `factors` while there are few (most products have two
  // or three factors, and a map allocated per factor), through `index` beyond that.
  constexpr std::size_t few = 16;
  std::unordered_map<NodeId, std::size_t> index;
  const auto place_of = [&](const Expr& base) -> std::pair<std::size_t, bool> {  // (where, new)
    if (factors.size() < few) {
      for (std::size_t i = 0; i < factors.size(); ++i)
        if (factors[i].first == base) return {i, false};
      return {factors.size(), true};
    }
    if (index.empty())
      for (std::size_t i = 0; i < factors.size(); ++i) index.emplace(factors[i].first.id(), i);
    const auto [it, fresh] = index.emplace(base.id(), factors.size());
    return {it->second, fresh};
  };
  double coefficient = 1;
  long double wide = 1;  // the coefficient in a wider range, for one that leaves a double's
  bool zero = false, nan = false, infinite = false;
  // Products inside products flatten all the way down: the only such nesting a product keeps is
  // a*(b*rest) (below), and a*(b*y)*z must be a*(b*y*z) however it was grouped.
  auto push = [&](const auto& self, const Expr& f) -> void {
    if (f.op() == Op::Mul && f.size() <= max_flattened) {
      for (const Expr& g : f.args()) self(self, g);
      return;
    }
    if (f.is_const()) {
      zero = zero || f.value() == 0;
      nan = nan || std::isnan(f.value());
      infinite = infinite || std::isinf(f.value());
      coefficient *= f.value();
      wide *= f.value();
      return;
    }
    Expr base = f;
    double e = 1;
    if (f.op() == Op::Pow && f.arg(1).is_const() && is_integer(f.arg(1).value())) {
      base = f.arg(0);
      e = f.arg(1).value();
    }
    const auto [at, fresh] = place_of(base);
    if (fresh)
      factors.emplace_back(base, e);
    else
      factors[at].second += e;
  };
  for (const Expr& a : args) push(push, a);
  if (zero && !nan) return 0;
  // Constant bases with positive exponents are plain numbers: into the coefficient first.
  for (auto& [base, e] : factors)
    if (base.is_const() && e > 0) {
      const double power = std::pow(base.value(), e);
      infinite = infinite || std::isinf(power);
      coefficient *= power;
      wide *= std::pow(static_cast<long double>(base.value()), e);
      e = 0;
    }
  std::vector<Expr> out;
  out.reserve(factors.size() + 2);
  out.emplace_back(0);  // slot 0: the coefficient, filled in below
  const double c0 = coefficient;
  double kept = 1;          // the constant divisors that do not fold, combined
  std::size_t kept_at = 0;  // into one factor 1/kept at the first one's place
  for (auto& [base, e] : factors) {
    if (e == 0) continue;
    if (base.is_const()) {  // a reciprocal 1/B of a constant
      wide *= std::pow(static_cast<long double>(base.value()), e);
      const double B = std::pow(base.value(), -e);
      const bool divides = is_integer(c0) && is_integer(B) && B != 0 && std::fmod(c0, B) == 0;
      if (!std::isfinite(B) || B == 0 || exact_quotient(1, B) || divides) {
        coefficient /= B;
      } else {
        if (kept_at == 0) {
          kept_at = out.size();
          out.push_back(0);
        }
        kept *= B;
      }
      continue;
    }
    out.push_back(e == 1 ? base : pow(base, e));
  }
  if (kept_at != 0) {
    // The kept divisors can multiply out to something exact (5 * 0.2 is 1), and a product of
    // numbers alone is a number unless it stays a fraction (3/6 is 0.5, 3/10 is 0.3; 1/3
    // stays 1/3): fold.
    // And the combined divisor can divide the final coefficient, though each alone did not
    // divide the first (a/5/b/5*5/0.2: 25 and 0.2 are kept, 5 is left; 5*a/5 is a, found by
    // fuzzing: its printed form parsed to a/b/c).
    const bool only_numbers = out.size() == 2;
    if (only_numbers && is_integer(coefficient) && is_integer(kept) &&
        std::abs(coefficient) < 0x1p53 && std::abs(kept) < 0x1p53) {  // in lowest terms: 2/6 is 1/3
      const auto g = static_cast<double>(
          std::gcd(static_cast<std::int64_t>(coefficient), static_cast<std::int64_t>(kept)));
      if (g > 1) coefficient /= g, kept /= g;
    }
    const bool divides = is_integer(coefficient) && is_integer(kept) && kept != 0 &&
                         std::fmod(coefficient, kept) == 0;
    if (std::isfinite(kept) && !exact_quotient(1, kept) && !divides &&
        !(only_numbers && !stays_fraction(coefficient, kept))) {
      out[kept_at] = make_node(Op::Pow, {Expr(kept), Expr(-1)});
    } else {
      coefficient /= kept;
      out.erase(out.begin() + static_cast<std::ptrdiff_t>(kept_at));
      kept_at = 0;
    }
  }
  // (a subnormal coefficient has lost digits: 1e-7 * 1e-271 * 1e-40 times 1e300 is 9.99989e-19)
  const bool out_of_range =
      coefficient == 0 || std::isinf(coefficient) || std::fpclassify(coefficient) == FP_SUBNORMAL;
  const bool symbols = out.size() > (kept_at != 0 ? 2 : 1);
  if (!infinite && symbols && out_of_range) {
    // The exact coefficient decides (it holds the kept divisors too): a double where only the
    // order of the factors left the range (1e-200 * 1e-200 * 1e300), as the product printed
    // and parsed again is; else a*(b*rest).
    const double exact = static_cast<double>(wide);
    const auto split = std::isnormal(exact) ? std::nullopt : wide_split(wide);
    if (std::isnormal(exact) || split) {
      if (kept_at != 0) out.erase(out.begin() + static_cast<std::ptrdiff_t>(kept_at)), kept_at = 0;
      if (split) {
        out[0] = split->second;  // b * rest, then a times that
        return make_node(Op::Mul, {Expr(split->first), make_node(Op::Mul, std::move(out))});
      }
      coefficient = exact;
    }
  }
  if (coefficient == 0 || std::isnan(coefficient)) return coefficient;
  if (coefficient == 1)
    out.erase(out.begin());
  else
    out[0] = coefficient;
  if (out.empty()) return 1;
  if (out.size() == 1) return out[0];
  return make_node(Op::Mul, std::move(out));
}

Expr power(const Expr& b, const Expr& e) {
  if (b.is_const() && e.is_const(-1) && std::isfinite(b.value()) && b.value() != 0 &&
      !exact_quotient(1, b.value()))
    return make_node(Op::Pow, {b, e});  // 1/3 stays 1/3 (see mul)
  if (e.is_const() && b.op() == Op::Pow && b.arg(1).is_const()) {
    // (b^m)^n = b^(m n) exactly when both are integers, and always for n = -1 (a reciprocal);
    // before fold, which would round the fraction 1/49 first: 1/(1/49) is 49.
    const double m = b.arg(1).value(), n = e.value();
    if ((is_integer(m) && is_integer(n)) || n == -1) return pow(b.arg(0), m * n);
  }
  if (auto folded = fold(Op::Pow, std::array{b, e})) return *folded;
  if (e.is_const(0)) return 1;
  if (e.is_const(1)) return b;
  if (b.is_const(1)) return 1;
  // (-u)^n is u^n for even n and -(u^n) for odd n: the sign leaves the power, so 1/(-l) is
  // -1/l and a product can collect it with l.
  if (e.is_const() && is_integer(e.value()) && b.op() == Op::Mul && b.arg(0).is_const(-1)) {
    const Expr u_n = pow(b.size() == 2 ? b.arg(1) : make_node(Op::Mul, b.args().subspan(1)), e);
    return std::fmod(e.value(), 2) == 0 ? u_n : -u_n;
  }
  return make_node(Op::Pow, {b, e});
}

Expr extremum(Op op, Expr a, Expr b) {
  if (a == b) return a;
  if (b.is_const() && !a.is_const()) std::swap(a, b);  // constants first: max(x, 0) is max(0, x)
  if (a.is_const()) {
    const double identity = op == Op::Max ? -inf_v : inf_v;
    if (a.value() == identity) return b;
    if (a.value() == -identity) return a;
  }
  return make_node(op, {a, b});
}

Expr compare(Op op, const Expr& a, const Expr& b) {
  // (a rule below can leave numbers alone: 1/532 + 0.15 != 0 is 1/532 != -0.15, found by fuzzing)
  if (auto folded = fold(op, std::array{a, b})) return *folded;
  // x > x is false and x >= x true (for every number; NaN inputs are the documented exception).
  if (a == b) return op == Op::Le || op == Op::Ge || op == Op::Eq ? 1 : 0;
  if (a.is_const() && !b.is_const()) return compare(mirrored(op), b, a);  // constants right
  // Conditions solved for what varies, as a textbook writes them. x > 0.01*x is 0.99*x > 0 (so
  // x > 0): the sides are one term apart. Sums of several terms stay as written (relu(x) > y).
  if (!a.is_const() && !b.is_const()) {
    const Expr d = a - b;
    if (!d.is_const() && d.op() != Op::Add) return compare(op, d, 0);
  }
  // 2*x + 1 >= 1 is 2*x >= 0: a constant term moves right where the difference is exact and no
  // longer to read (x + 0.1 > 0.3 stays: 0.3 - 0.1 is 0.19999999999999998).
  if (b.is_const() && a.op() == Op::Add) {
    const double k = b.value();
    for (std::size_t i = 0; i < a.size(); ++i) {
      if (!a.arg(i).is_const()) continue;
      const double c = a.arg(i).value(), moved = k - c;
      using detail::printed_length;
      if (!std::isfinite(moved) || moved + c != k || k - moved != c ||
          (k != 0 && printed_length(moved) > std::max(printed_length(k), printed_length(c))))
        break;
      std::vector<Expr> rest;
      for (std::size_t j = 0; j < a.size(); ++j)
        if (j != i) rest.push_back(a.arg(j));
      return compare(op, add(rest), moved);
    }
  }
  // -x > 0 is x < 0, 2*x > 0 is x > 0: divide by the coefficient where that is exact.
  if (b.is_const() && a.op() == Op::Mul && a.arg(0).is_const()) {
    const double c = a.arg(0).value(), k = b.value();
    if (c != 0 && std::isfinite(c) && (k == 0 || c == -1)) {
      auto rest = a.args().subspan(1);
      const Expr r = rest.size() == 1
                         ? rest[0]
                         : make_node(Op::Mul, std::span<const Expr>(rest.begin(), rest.end()));
      return compare(c < 0 ? mirrored(op) : op, r, k / c);
    }
  }
  return make_node(op, {a, b});
}

Expr logical(Op op, Expr a, Expr b) {
  if (a.is_const() && !b.is_const()) std::swap(a, b);
  if (b.is_const() && is_boolean_valued(a)) {
    const bool t = is_truthy(b.value());
    if (op == Op::And) return t ? a : Expr(0);
    return t ? Expr(1) : a;
  }
  if (a == b && is_boolean_valued(a)) return a;
  return make_node(op, {a, b});
}

Expr choose(const Expr& c, const Expr& a, const Expr& b) {
  if (c.is_const()) return is_truthy(c.value()) ? a : b;
  if (a == b) return a;
  // where(c, where(c, p, q), r) = where(c, p, r), and likewise in the else branch.
  if (a.op() == Op::Piecewise && a.arg(0) == c) return choose(c, a.arg(1), b);
  if (b.op() == Op::Piecewise && b.arg(0) == c) return choose(c, a, b.arg(2));
  return make_node(Op::Piecewise, {c, a, b});
}

void check_arity(Op op, std::size_t n) {
  const OpSpelling& s = spelling(op);
  if (static_cast<int>(n) < s.min_args || (s.max_args >= 0 && static_cast<int>(n) > s.max_args))
    throw std::invalid_argument(fmt::format("slope: {} takes {}{} argument{}, not {} ({})", s.name,
                                            s.min_args,
                                            s.max_args == s.min_args ? ""
                                            : s.max_args < 0         ? " or more"
                                                             : fmt::format(" to {}", s.max_args),
                                            s.max_args == 1 ? "" : "s", n, signature(op)));
}

bool valid_identifier(const std::string& s) {
  if (s.empty() || !(std::isalpha(static_cast<unsigned char>(s[0])) || s[0] == '_')) return false;
  for (char ch : s)
    if (!(std::isalnum(static_cast<unsigned char>(ch)) || ch == '_')) return false;
  return !is_reserved_word(s);
}

}  // namespace

Expr make_op(Op op, std::span<const Expr> args) {
  if (op == Op::Const || op == Op::Variable)
    throw std::invalid_argument("slope::make_op: use constant() or var() for leaves");
  check_arity(op, args.size());
  if (static_cast<int>(args.size()) < spelling(op).max_args)  // optional arguments
    return make_op(op, detail::with_defaults(op, args));
  // The ops with rules of their own; every other op folds constants and is interned as it is.
  if (op == Op::Add) return add(args);
  if (op == Op::Mul) return mul(args);
  if (op == Op::Pow) return power(args[0], args[1]);
  // Bounds that cross are hi everywhere (as torch.clamp): say so in the graph, so it prints as
  // what it is (a definition called with crossed bounds prints as the number, which parses).
  if (op == Op::Clamp || op == Op::Hardtanh) {
    const auto lo = detail::number_value(args[1]), hi = detail::number_value(args[2]);
    if (lo && hi && *lo > *hi) return args[2];
  }
  if (auto folded = fold(op, args)) return *folded;
  if (is_comparison(op)) return compare(op, args[0], args[1]);
  switch (op) {
    case Op::Log:
      if (args[0].op() == Op::Exp) return args[0].arg(0);
      break;
    case Op::Abs:
      if (args[0].op() == Op::Abs) return args[0];
      if (args[0].op() == Op::Mul && args[0].arg(0).is_const(-1)) return abs(-args[0]);
      break;
    case Op::Sign:
    case Op::Relu:
      if (args[0].op() == op) return args[0];  // idempotent
      break;
    case Op::Max:
    case Op::Min:
      return extremum(op, args[0], args[1]);
    case Op::Clamp:
      if (args[1].is_const(-inf_v) && args[2].is_const(inf_v)) return args[0];
      break;
    case Op::And:
    case Op::Or:
      return logical(op, args[0], args[1]);
    case Op::Not:
      if (args[0].op() == Op::Not && is_boolean_valued(args[0].arg(0))) return args[0].arg(0);
      break;
    case Op::Piecewise:
      return choose(args[0], args[1], args[2]);
    default:
      break;
  }
  return make_node(op, args);
}

bool is_reserved_word(std::string_view word) {
  static constexpr std::string_view reserved[] = {"and", "or",  "not",      "otherwise",
                                                  "inf", "nan", "undefined"};
  return std::find(std::begin(reserved), std::end(reserved), word) != std::end(reserved);
}

Expr var(std::string name) {
  if (!valid_identifier(name))
    throw std::invalid_argument("slope::var: '" + name +
                                "' is not a valid variable name (a letter or _, then letters, "
                                "digits or _; not a keyword)");
  return make_node(Op::Variable, {}, 0.0, name);
}
Expr constant(double value) { return Expr(value); }

Expr operator+(const Expr& a, const Expr& b) { return apply(Op::Add, {a, b}); }
Expr operator-(const Expr& a, const Expr& b) { return apply(Op::Add, {a, -b}); }
Expr operator*(const Expr& a, const Expr& b) { return apply(Op::Mul, {a, b}); }
Expr operator/(const Expr& a, const Expr& b) { return apply(Op::Mul, {a, pow(b, -1)}); }
Expr operator-(const Expr& a) { return apply(Op::Mul, {-1, a}); }
Expr& operator+=(Expr& a, const Expr& b) { return a = a + b; }
Expr& operator-=(Expr& a, const Expr& b) { return a = a - b; }
Expr& operator*=(Expr& a, const Expr& b) { return a = a * b; }
Expr& operator/=(Expr& a, const Expr& b) { return a = a / b; }
Expr operator<(const Expr& a, const Expr& b) { return apply(Op::Lt, {a, b}); }
Expr operator<=(const Expr& a, const Expr& b) { return apply(Op::Le, {a, b}); }
Expr operator>(const Expr& a, const Expr& b) { return apply(Op::Gt, {a, b}); }
Expr operator>=(const Expr& a, const Expr& b) { return apply(Op::Ge, {a, b}); }
Expr logical_and(const Expr& a, const Expr& b) { return apply(Op::And, {a, b}); }
Expr logical_or(const Expr& a, const Expr& b) { return apply(Op::Or, {a, b}); }
Expr logical_not(const Expr& a) { return apply(Op::Not, {a}); }

Expr where(const Expr& c, const Expr& a, const Expr& b) { return apply(Op::Piecewise, {c, a, b}); }
Expr piecewise(std::span<const Branch> branches, const Expr& otherwise) {
  Expr result = otherwise;
  for (auto it = branches.rbegin(); it != branches.rend(); ++it)
    result = where(it->when, it->then, result);
  return result;
}
Expr piecewise(std::initializer_list<Branch> branches, const Expr& otherwise) {
  return piecewise(std::span(branches.begin(), branches.size()), otherwise);
}

Expr substitute(const Expr& e, const std::map<std::string, Expr, std::less<>>& bindings) {
  return detail::rebuild(e, [&](const Expr& n, const std::vector<Expr>&) -> std::optional<Expr> {
    if (n.is_var())
      if (auto it = bindings.find(n.name()); it != bindings.end()) return it->second;
    return std::nullopt;
  });
}

Expr definition(const Expr& e) {
  const auto define = detail::row(e.op()).definition;
  return define ? define(e.args()) : e;
}

}  // namespace slope
