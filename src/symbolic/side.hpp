// SPDX-License-Identifier: MIT
// One side of a point: the smooth piece each expression equals there, and the sign a smooth
// expression takes as x moves off the point to that side. The engine of exact one-sided
// calculus (one_sided.cpp, kinks.cpp); each op's own rule is its row's SideRule.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "core/evaluator.hpp"
#include "core/op_table.hpp"
#include "core/switches.hpp"
#include "slope/eval.hpp"
#include "slope/expr.hpp"

namespace slope::detail {

/// A move off the point: variable `var` increases (direction +1) or decreases (-1).
struct Move {
  std::string var;
  int direction;
};

class Side {
 public:
  /// direction +1: the right of the point `at[x]`; -1: the left.
  Side(std::string_view x, const Env& at, int direction);
  /// Several variables moving at once, each infinitely faster than the next (t1 >> t2 >> ...):
  /// the side the lexicographic derivative takes (Nesterov; Khan and Barton).
  Side(std::vector<Move> moves, const Env& at);

  /// The smooth expression e equals on this side, arbitrarily close to the point.
  Expr piece(const Expr& e);
  /// The sign of a smooth expression on this side: of its value if not 0, else of the first
  /// non-zero derivative (times direction^k; with several moves, the first non-zero Taylor
  /// coefficient in the order the moves dominate); 0 if all vanish up to the 8th order. A 0
  /// that rounding made, one double of a stretch where the expression evaluates to 0 (1 - cos(x)
  /// for |x - 2 pi| < 1.5e-8), is read just past the stretch: at 6.2831853 the expansion would
  /// see a simple zero (the slope sin(x) is -7.2e-9 there), where 1 - cos(x) is 2.6e-17 and
  /// crosses nothing. At a
  /// pole (an infinite value), the sign of its value just off the point. Where the expansion
  /// gives nothing (x^9 at 0 vanishes to the 8th order; sin(x)/x has no value at 0), the sign is
  /// read off the point at shrinking steps, and counts only where it is the same at each (and,
  /// for a flat zero, |e| shrinks with the step, as a power does and rounding noise does not).
  /// Where it is not (sin(1/x) beside 0 takes both signs), the op switching on it has no piece
  /// on this side: piece gives NaN for it.
  int sign(const Expr& smooth) const;

 private:
  std::vector<Move> moves_;
  Env at_;
  mutable PointValues values_;  // at at_: the pieces share their nodes, so each is valued once
  mutable std::vector<PointValues> beside_;  // at the points sign_beside reads, made when asked
  // per move, node -> its derivative in that move's variable (lexicographic)
  mutable std::vector<IdMap<Expr>> derivatives_;
  int lexicographic(const Expr& e, int k, int& budget) const;
  Expr piece_of_node(const Expr& n);
  /// The sign of e at shrinking steps off the point, if the same at each (0 if not).
  int sign_beside(const Expr& e, bool shrinking) const;
  /// Where e is 0 at the point and at the doubles on either side of it, one double of a stretch
  /// where e rounds to 0: its sign past the stretch where that is the same on both sides (a
  /// touch), else on the side of the crossing the point is, the crossing put where the kink
  /// search puts it (core/zero_stretch.hpp); 0 if no sign settles near.
  int sign_past_rounded_zero(const Expr& e) const;
  mutable bool undetermined_ = false;  // a sign asked while building a piece had none
  IdMap<Expr> done_;                   // node -> its piece
  std::vector<Expr> kept_;             // definitions built here: keeps their nodes (and ids) alive
  // pieces within a hair of 0 at the point whose node f evaluates to 0 or to the other sign:
  // the node's value, which the piece takes (pieces live in done_, so their ids stay theirs)
  std::unordered_map<NodeId, double> as_evaluated_;
  double rounding_ = 0;  // how far off 0 such a hair may be
};

/// Every variable moving the same way (+1 or -1), in the order given.
std::vector<Move> all_moving(const std::vector<std::string>& vars, int direction);
/// g is 0 at `at` and stays 0 on both sides as `vars` move (relu(x) for x < 0): a tie that
/// holds on a whole stretch, not a kink.
bool stays_zero(const Expr& g, const std::vector<std::string>& vars, const Env& at);
/// The same with the two sides (every variable moving down, and up) made once for many g: their
/// pieces share nodes, so each is built once.
bool stays_zero(const Expr& g, Side& below, Side& above);

/// Where the two sides of a tied condition part as x moves, given the slope of their difference
/// under the convention in use, (l - r)': by the first of it and its higher derivatives that is
/// not 0 (these taken under `undefined`, so a kink in the slope counts as moving). An odd order
/// crosses: the tie is a boundary, where the convention picks a branch. An even order touches:
/// `x^2 >= 0` at 0 holds on both sides, so f takes one branch there and the tie is no boundary
/// (`x^2 > 0` at 0 is false at the point alone). All vanishing, the sides stay tied (`relu(x) > 0`
/// for x < 0). diff (the piecewise row's rule) reads this; the tape, at one point, reads
/// tie_sides instead, which has none of these limits. Higher derivatives
/// are taken of a slope of at most 64 nodes; inside them, a tie is read to the second order
/// only, and no deeper; beyond that, the slope alone.
SidesPart sides_part(const Expr& gap_slope, std::string_view x);

/// The points where the condition of `piecewise` (over x alone) ties at a zero of a switch of
/// its sides (an op at its kink or jump: `sign(x) == 0` and `abs(x) > 0` at 0), where an
/// equality with sides affine in x ties (`x != 0.3`), and where a comparison combined by and,
/// or, not ties and the combination changes there (`x > 0 and x < 1` at 0) or both sides of the
/// point take the branch the point does not (`x^2 > 0 and x < 1` at 0); for switches affine in x,
/// each zero solved exactly as the kink search solves it; with how the branches lie there
/// (tie_sides) and whether they meet. diff writes f's slope at these points from them, where the
/// derivatives of the sides' difference (sides_part) cannot read it, or rounding parts branches
/// that meet (3*0.3 is not 0.9 in doubles). None for conditions of more than 64 nodes.
std::vector<ExactTie> exact_ties(const Expr& piecewise, std::string_view x);

/// How a condition's branches lie on the two sides of a tie at `at` as x moves, read from the
/// pieces of its arguments there (exact: a difference that jumps, kinks or is flatter than any
/// power counts as it moves).
struct TieSides {
  /// The branch each side takes (true: then); none where a side has none (sin(1/x) > 0 beside 0).
  std::optional<bool> left, right;
  /// The side where the tied comparison's lhs - rhs is the larger, the side "above" a convention
  /// weighs (kink-conventions): +1 the right, -1 the left, 0 neither. For a combination (and,
  /// or, not), the first comparison in it whose sides tie and cross (one tied on both sides, as
  /// relu(x) > 0 left of 0, decides nothing).
  int above = 0;
  /// Both sides take one branch: that one.
  std::optional<bool> both() const {
    return left && right && *left == *right ? left : std::nullopt;
  }
  /// At a boundary, the branch on the side above, if one is.
  std::optional<bool> branch_above() const {
    if (both() || !left || !right || above == 0) return std::nullopt;
    return above > 0 ? right : left;
  }
};
/// diff (exact_ties) and the tape read this at a tie of a piecewise's condition.
TieSides tie_sides(const Expr& cond, std::string_view x, const Env& at);

}  // namespace slope::detail
