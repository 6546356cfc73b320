// SPDX-License-Identifier: MIT
// Forward symbolic differentiation over the topological order, one derivative per node.
#include "slope/diff.hpp"

#include <stdexcept>
#include <unordered_map>

#include "core/node_memo.hpp"
#include "core/op_table.hpp"
#include "slope/build.hpp"
#include "slope/simplify.hpp"
#include "symbolic/fold.hpp"
#include "symbolic/raw_derivative.hpp"
#include "symbolic/side.hpp"

namespace slope {

namespace detail {

Expr raw_derivative(const Expr& f, std::string_view x, Convention convention, IdMap<Expr>& memo) {
  std::vector<Expr> da;
  const std::function<Expr(const Expr&)> derivative_of = [&memo](const Expr& e) {
    return memo.at(e.id());
  };
  const std::function<SidesPart(const Expr&)> sides_part = [x](const Expr& gap_slope) {
    return detail::sides_part(gap_slope, x);
  };
  const std::function<std::vector<ExactTie>(const Expr&)> exact_ties = [x](const Expr& piecewise) {
    return detail::exact_ties(piecewise, x);
  };
  return memoized(f, memo, [&](const Expr& n) -> Expr {
    if (n.is_var()) return n.name() == x ? 1 : 0;
    if (n.is_const()) return 0;
    da.clear();
    bool varies = false;
    for (const Expr& a : n.args()) {
      da.push_back(memo.at(a.id()));
      varies |= !da.back().is_const(0);
    }
    // Only an argument that depends on x can move the result (conditions included).
    if (!varies) return 0;
    return row(n.op()).local.derivative(
        {n.args(), n, da, convention, derivative_of, sides_part, exact_ties});
  });
}

}  // namespace detail

Expr diff(const Expr& f, std::string_view x, Convention convention) {
  detail::IdMap<Expr> memo;  // node -> its derivative
  const Expr raw = detail::raw_derivative(f, x, convention, memo);
  // Conditions are solved for x as fold writes them, in a formula of a size a reader takes in
  // as cases (a deep chain's derivative is left as it is, by the same limit).
  const bool readable = node_count(raw) <= detail::fold_node_limit;
  const Expr d = simplify(readable ? detail::solve_comparisons(raw, x) : raw);
  // A slope is a number: a condition (x*(x > 0) has slope x > 0) reads as its cases, 1 or 0.
  if (is_logical(d.op())) return where(d, 1, 0);
  return detail::textbook_values(d, x);
}

Expr diff(const Expr& f, const Expr& x, Convention convention) {
  if (!x.is_var())
    throw std::invalid_argument("slope::diff: can only differentiate with respect to a variable");
  return diff(f, x.name(), convention);
}

Expr diff(const Expr& f, std::string_view x, int order, Convention convention) {
  if (order < 0) throw std::invalid_argument("slope::diff: the order must be 0 or more");
  Expr result = f;
  for (int i = 0; i < order; ++i) result = diff(result, x, convention);
  return result;
}

std::vector<Expr> gradient(const Expr& f, Convention convention) {
  std::vector<Expr> g;
  for (const std::string& v : variables(f)) g.push_back(diff(f, v, convention));
  return g;
}

}  // namespace slope
