// SPDX-License-Identifier: MIT
#include "symbolic/side.hpp"

#include <cmath>
#include <map>
#include <ranges>
#include <unordered_set>

#include "core/op_table.hpp"
#include "slope/build.hpp"
#include "slope/diff.hpp"

namespace slope::detail {

namespace {
constexpr int highest_order = 8;  // x^8 at 0 is decided; x^9 and flatter count as a tie

int sign_of(double v) { return (v > 0) - (v < 0); }
}  // namespace

Side::Side(std::string_view x, const Env& at, int direction)
    : x_(x), at_(at), direction_(direction) {}

int Side::sign(const Expr& smooth) const {
  double v = eval(smooth, at_);
  if (std::isnan(v)) return 0;
  if (v != 0) return sign_of(v);
  Expr d = smooth;
  int toward = 1;  // direction^k
  for (int k = 1; k <= highest_order; ++k) {
    d = diff(d, x_);
    toward *= direction_;
    if (d.is_const(0)) return 0;
    v = eval(d, at_);
    if (std::isnan(v)) return 0;
    if (v != 0) return sign_of(v) * toward;
  }
  return 0;
}

Expr Side::piece(const Expr& e) {
  const SideSign sign = [this](const Expr& s) { return this->sign(s); };
  for (const Expr& n : topological_order(e)) {
    if (done_.count(n.id())) continue;
    Expr p = n;
    if (n.size()) {
      const OpRow& r = row(n.op());
      std::vector<Expr> args;
      bool changed = false;
      for (const Expr& a : n.args()) {
        args.push_back(done_.at(a.id()));
        changed |= !(args.back() == a);
      }
      if (r.definition) {
        // over the original arguments, whose pieces are known: only the new nodes are walked
        kept_.push_back(r.definition(n.args()));
        p = piece(kept_.back());
      } else if (r.side.piece) {
        p = r.side.piece(args, sign);
      } else if (changed) {
        p = make_op(n.op(), args);
      }
    }
    done_.emplace(n.id(), p);
  }
  return done_.at(e.id());
}

namespace {
/// -g has the zeros of g: `x - 1`, not `-(x - 1)`, for relu(x - 1) = max(0, x - 1).
Expr unnegated(const Expr& g) {
  if (g.op() == Op::Mul && g.size() == 2 && g.arg(0).is_const(-1)) return g.arg(1);
  return g;
}
}  // namespace

std::vector<Switch> switches(const Expr& f) {
  std::vector<Switch> out;
  std::unordered_set<NodeId> seen;
  std::vector<Expr> g;
  // A definition's switches are found over placeholders, then bound to the real arguments, so
  // a chain of activations is not walked once per level.
  for (const Expr& n : topological_order(f)) {
    const OpRow& r = row(n.op());
    if (r.definition) {
      // the definition's own switches, over placeholders then bound to the real arguments
      std::vector<Expr> slots;
      std::map<std::string, Expr, std::less<>> bind;
      for (std::size_t i = 0; i < n.size(); ++i) {
        const std::string name = "_arg" + std::to_string(i);  // the definition has no other names
        slots.push_back(var(name));
        bind.emplace(name, n.arg(i));
      }
      for (const Switch& s : switches(r.definition(slots))) {
        const Expr bound = unnegated(substitute(s.g, bind));
        if (!is_constant_expr(bound) && seen.insert(bound.id()).second) out.push_back({bound, n});
      }
      continue;
    }
    if (!r.side.switches) continue;
    g.clear();
    r.side.switches(n.args(), g);
    for (const Expr& s : g | std::views::transform(unnegated))
      if (!is_constant_expr(s) && seen.insert(s.id()).second) out.push_back({s, n});
  }
  return out;
}

}  // namespace slope::detail
