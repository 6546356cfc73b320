// SPDX-License-Identifier: MIT
/// \file
/// Explaining derivatives to a learner: where the kinks are, what each convention does there,
/// and the derivation step by step.
#pragma once

#include <optional>
#include <span>
#include <string>
#include <vector>

#include "slope/convention.hpp"
#include "slope/expr.hpp"
#include "slope/print.hpp"

namespace slope {

/// A point where `op` is not differentiable (or jumps): where `lhs == rhs`.
struct Kink {
  Expr op;    ///< the node with the kink: relu(w*x + b), max(x, y), a piecewise, ...
  Expr lhs;   ///< the kink is where lhs == rhs: (w*x + b, 0), (x, y)
  Expr rhs;   ///< the other side of the kink's equation
  bool jump;  ///< the value jumps there (sign, heaviside, a piecewise whose branches differ)
};

/// The kinks of `f` (of its simplified form, so a kink that cannot be reached is not listed),
/// innermost first, each once: `kinks(relu(w*x + b) + abs(y))` is relu(w*x + b) at
/// w*x + b = 0, then abs(y) at y = 0, neither a jump.
std::vector<Kink> kinks(const Expr& f);

/// Where a kink lies, in terms of x: "x = 0", or "w*x + b = 0, that is x = -b/w (for w ≠ 0)".
std::string kink_location(const Kink& k, std::string_view x);

/**
 * One note per kink of f in x saying what the derivative does there and which convention
 * chose its value, e.g. for leaky_relu(x, 0.01) under min_norm:
 *
 *     at x = 0: not differentiable (slope 0.01 from the left, 1 from the right);
 *               using 0.01, the min_norm convention
 *
 * `name` is what the notes call f: `f'` for the kinks of a first derivative (`slope diff
 * --order 2` describes those).
 */
std::vector<std::string> kink_notes(const Expr& f, std::string_view x, Convention c,
                                    std::string_view name = "f");

/// `d/dx f` (`d^2/dx^2 f` for order 2), with f in parentheses unless it is one call, name or
/// number: `d/dx (abs(x - 1) + abs(x + 1))` is not `d/dx abs(x - 1)` plus a term.
std::string derivative_of_text(const Expr& f, std::string_view x, int order = 1);

/**
 * `d/dx f = <derivative>` in 2-D text, followed by the kink notes. The block a learner sees
 * (`describe_derivative(relu(x), "x", Convention::min_norm)`, what `slope diff "relu(x)"` prints):
 *
 *     d/dx relu(x) = ⎧ 1  if x > 0
 *                    ⎩ 0  otherwise
 *
 *     at x = 0: not differentiable (slope 0 from the left, 1 from the right);
 *               using 0, the min_norm convention
 */
std::string describe_derivative(const Expr& f, std::string_view x, Convention c,
                                Charset charset = Charset::unicode);
/// The same block with its notes given (`kink_notes(f, x, c)`), for a caller that reads them
/// too: the kink search is the costly part.
std::string describe_derivative(const Expr& f, std::string_view x, Convention c, Charset charset,
                                std::span<const std::string> notes);

/// One step of a derivation.
struct Step {
  std::string rule;       ///< "Outer function", "Chain rule", "Sum rule", ...
  std::string reason;     ///< one sentence: why this step, what it uses
  std::string lhs;        ///< what is differentiated, as text: "d/du relu(u)"
  std::string lhs_latex;  ///< the same in LaTeX
  Expr result;            ///< what it equals (shown only when lhs is not empty)
  std::string note;       ///< a remark after the formula, e.g. about a kink
};

/// A derivation: the steps from f to its derivative, and notes on the kinks.
struct Derivation {
  Expr f;                          ///< the function differentiated
  std::string x;                   ///< the variable
  Convention convention;           ///< the convention the kinks are resolved by
  std::vector<Step> steps;         ///< in order, from f to its derivative
  Expr derivative;                 ///< d f / d x, as diff gives it
  std::vector<std::string> notes;  ///< where the kinks are and what the convention did
};

/**
 * Derives d f / d x step by step: outer function, chain rule, inner function, sum and product
 * rules, piecewise branches, then the simplified result and the kinks.
 *
 * **Example**: `explain(relu(w*x + b), "x")` has the steps Outer function (relu(u) with
 * u = w*x + b), Chain rule, Inner function (du/dx = w), Put together and simplify;
 * render_text() of it prints them numbered, with the note on the kink at x = -b/w.
 */
Derivation explain(const Expr& f, std::string_view x, Convention c = Convention::min_norm);

/// The derivation as numbered plain-text steps (2-D formulas in the chosen charset).
std::string render_text(const Derivation& d, Charset charset = Charset::unicode);
/**
 * The derivation as Markdown that any CommonMark renderer shows as written: prose escaped,
 * formulas as GitHub math (```math blocks and $`...`$ spans), so `w*x + b*y` never turns into
 * emphasis and no backslash of the LaTeX is lost. Names the convention.
 */
std::string render_markdown(const Derivation& d);
/// The derivation as a LaTeX fragment (text mode) that compiles in an `article` with `amsmath`:
/// a comment naming the convention, then an `enumerate` list; prose and names escaped.
std::string render_latex(const Derivation& d);
/// The derivation as one JSON object: `expression`, `wrt`, `convention`, `steps` (each with
/// `rule`, `reason`, `note` and, for a formula, `lhs`, `lhs_latex`, `result`, `result_latex`),
/// `derivative`, `derivative_latex` and `notes`.
std::string render_json(const Derivation& d);

/**
 * What `slope diff --format latex` prints: a comment naming the convention, then
 * `\[ \frac{d}{dx} f = g \]` with g the derivative (the order-th one for order > 1); a fragment
 * that compiles in an `article` with `amsmath`, for any expression and any variable name.
 */
std::string derivative_latex(const Expr& f, std::string_view x, Convention c, int order = 1);

/// A LaTeX fragment wrapped into a complete document (`article`, `amsmath`).
std::string latex_document(std::string_view fragment);

}  // namespace slope
