// SPDX-License-Identifier: MIT
// as_cases(f, x): every op that switches written as a piecewise over the signs of its switches,
// from the op table's side rules (the same rules the one-sided analysis reads), then folded.
#include <array>
#include <cmath>
#include <limits>
#include <optional>
#include <span>
#include <unordered_map>
#include <vector>

#include "core/node_memo.hpp"
#include "core/op_table.hpp"
#include "slope/build.hpp"
#include "slope/diff.hpp"
#include "slope/eval.hpp"
#include "slope/simplify.hpp"
#include "symbolic/affinity.hpp"
#include "symbolic/fold.hpp"

namespace slope {

namespace {

/// `piece` on each combination of signs of `switches` (below, at and above 0), nested as
/// conditions on them; none when the piece asks the sign of anything else.
std::optional<Expr> over_signs(const detail::SideRule& side, std::span<const Expr> a,
                               const std::vector<Expr>& switches, std::vector<int>& signs) {
  if (signs.size() == switches.size()) {
    bool known = true;
    const detail::SideSign sign = [&](const Expr& s) {
      if (s.is_const()) return (s.value() > 0) - (s.value() < 0);
      for (std::size_t i = 0; i < switches.size(); ++i) {  // the factories collect like terms
        if (s == switches[i] || (s - switches[i]).is_const(0)) return signs[i];
        if (s == -switches[i] || (s + switches[i]).is_const(0))  // max(1, x) asks of 1 - x
          return -signs[i];
      }
      known = false;
      return 0;
    };
    Expr piece = side.piece(a, sign);
    if (!known) return std::nullopt;
    return piece;
  }
  const Expr& g = switches[signs.size()];
  std::array<Expr, 3> branch;  // g < 0, g == 0, g > 0
  for (int s = -1; s <= 1; ++s) {
    signs.push_back(s);
    auto b = over_signs(side, a, switches, signs);
    signs.pop_back();
    if (!b) return std::nullopt;
    branch[static_cast<std::size_t>(s + 1)] = *b;
  }
  // the point g == 0 joins the side whose piece it shares, as textbooks write relu
  if (branch[1] == branch[0]) return where(g > 0, branch[2], branch[0]);
  if (branch[1] == branch[2]) return where(g < 0, branch[0], branch[2]);
  return where(g < 0, branch[0], where(eq(g, 0), branch[1], branch[2]));
}

/// The slope of v (affine in x) with every term's contribution taken by its size: 2 for
/// 1 - (x - 1) + x, whose slope 0 is a cancellation, and 1e-400, rounded to 0, for
/// 1e-200*(1e-200*x), whose slope 0 is an underflow.
double slope_scale(const Expr& v, const std::string& x) {
  struct Scale {
    bool varies;
    double size;  // of the slope, where it varies; else of the value
  };
  std::unordered_map<NodeId, Scale> scale;
  for (const Expr& n : topological_order(v)) {
    Scale s{false, 0};
    if (n.is_var() && n.name() == x) {
      s = {true, 1};
    } else if (n.op() == Op::Add) {
      for (const Expr& a : n.args())
        if (const Scale& t = scale.at(a.id()); t.varies) s = {true, s.size + t.size};
    } else if (n.op() == Op::Mul) {  // v is affine: one factor varies, the others are numbers
      s.size = 1;
      for (const Expr& a : n.args()) {
        const Scale& t = scale.at(a.id());
        s.varies = s.varies || t.varies;
        s.size *= t.size;
      }
    }
    if (!s.varies) s.size = std::abs(eval(n));
    scale.emplace(n.id(), s);
  }
  return scale.at(v.id()).size;
}

/// A branch value affine in x alone, written a*x + b when that is no longer: -(x - 1) - (x + 1)
/// is -2*x (the factories collect like terms, but do not multiply out a sum).
Expr collected(const Expr& v, const std::string& x) {
  const auto vars = variables(v);
  if (vars.size() != 1 || vars[0] != x || detail::Affinity(x).of(v) != detail::Affinity::affine)
    return v;
  const Env at_0{{x, 0.0}};
  const double slope = eval(diff(v, x), at_0), intercept = eval(v, at_0);
  // A slope that overflowed (1e200*(1e200*x)) would make inf*x, NaN at 0 where v is 0; one
  // that underflowed (1e-200*(1e-200*x): 0) would lose v's values at large x (1e-100 at 1e300).
  if (!std::isfinite(slope) || !std::isfinite(intercept) ||
      slope_scale(v, x) < std::numeric_limits<double>::min())
    return v;
  const Expr r = slope * var(x) + intercept;
  return node_count(r) <= node_count(v) ? r : v;
}

/// collected() on each value of a chain of branches.
Expr collect_branches(const Expr& e, const std::string& x) {
  if (e.op() != Op::Piecewise) return collected(e, x);
  return where(e.arg(0), collect_branches(e.arg(1), x), collect_branches(e.arg(2), x));
}

}  // namespace

Expr as_cases(const Expr& f, std::string_view x) {
  std::unordered_map<NodeId, Expr> done;
  std::vector<Expr> kept;  // definitions built here keep their ids alive while `done` holds them
  const auto expand = [&](const auto& self, const Expr& e) -> Expr {
    return detail::memoized(e, done, [&](const Expr& n) -> Expr {
      if (!n.size()) return n;
      std::vector<Expr> a;
      for (const Expr& arg : n.args()) a.push_back(done.at(arg.id()));
      const detail::OpRow& r = detail::row(n.op());
      if (r.definition) {  // an activation: its definition over the expanded arguments
        kept.push_back(r.definition(a));
        return self(self, kept.back());
      }
      if (r.side.piece && r.side.switches && n.op() != Op::Piecewise && !is_logical(n.op())) {
        std::vector<Expr> switches;
        r.side.switches(a, switches);
        std::vector<int> signs;
        if (!switches.empty() && switches.size() <= 3)
          if (auto expanded = over_signs(r.side, a, switches, signs)) return *expanded;
      }
      return make_op(n.op(), a);
    });
  };
  // a short factor in x goes into the cases, as in diff: hardswish is x*(x + 3)/6 between -3
  // and 3, not x times a choice
  const Expr cases = detail::factors_into_cases(
      fold(expand(expand, f), x), x,
      [](const Expr& e, const detail::KnownRange&) { return simplify(e); });
  return collect_branches(cases, std::string(x));
}

}  // namespace slope
