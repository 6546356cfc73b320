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

}  // namespace

Expr as_cases(const Expr& f, std::string_view x) {
  detail::IdMap<Expr> done;
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
  // the values as diff writes them: hardswish is x*(x + 3)/6 between -3 and 3, not x times a
  // choice
  return detail::textbook_values(fold(expand(expand, f), x), x);
}

}  // namespace slope
