// SPDX-License-Identifier: MIT
/// \file
/// Printing expressions: one-line text (that the parser reads back) and fmt/iostream support.
#pragma once

#include <fmt/format.h>

#include <iosfwd>
#include <string>

#include "slope/expr.hpp"

namespace slope {

/**
 * One-line text with the fewest parentheses that keep the meaning; `parse(to_text(e)) == e`.
 * Numbers print in their shortest exact form (0.01, 1e-08), NaN as `undefined`.
 *
 * A graph whose tree would spell out more than 20,000 nodes has its shared parts named once,
 * as definitions without parameters: `u1() = x - 0.01; u2() = leaky_relu(u1(), 0.5); ...;
 * <expression>`, which parse back to the same graph in size proportional to the graph.
 *
 * **Example**: `to_text(relu(w*x + b))` is `"relu(w*x + b)"`;
 * `to_text(piecewise({{x > 0, x}}, 0))` is `"piecewise(x > 0: x, otherwise: 0)"`.
 */
std::string to_text(const Expr& e);

/// The text spelled out in full (nothing named), throwing TextTooLong as soon as it passes
/// `max_length` characters: the guard before a printer that spells every node out (pretty,
/// LaTeX); time and memory stay bounded by the limit, whatever the expression.
std::string to_text_within(const Expr& e, std::size_t max_length);

/// A label for e in at most about `max_length` characters: its text if that fits, else
/// `(an expression of N nodes)`, for headers, legends and notes that must stay readable.
std::string text_or_size(const Expr& e, std::size_t max_length);

/// Characters for the 2-D printer: Unicode box-drawing braces, or plain ASCII.
enum class Charset { unicode, ascii };

/**
 * 2-D text: a piecewise expression prints as a brace with one row per branch, aligned.
 *
 * **Example**: `to_pretty(diff(relu(x), x))` is
 *
 *     ⎧ 1  if x > 0
 *     ⎩ 0  otherwise
 *
 * Returns the lines joined with '\n' and no trailing newline. Cases nested more than 100
 * deep (no reader follows such a layout) print in the one-line `to_text` form instead.
 */
std::string to_pretty(const Expr& e, Charset charset = Charset::unicode);

/**
 * `lhs = <e in 2-D>`, the left side on the formula's middle row:
 * `pretty_equation("d/dx relu(x)", diff(relu(x), x))` gives
 *
 *     d/dx relu(x) = ⎧ 1  if x > 0
 *                    ⎩ 0  otherwise
 */
std::string pretty_equation(const std::string& lhs, const Expr& e,
                            Charset charset = Charset::unicode);

/// LaTeX (math mode, no delimiters): `\operatorname{relu}(x)`, `\frac{a}{b}`, and
/// `\begin{cases} ... \end{cases}` for piecewise. `to_latex(diff(relu(x), x))` is
/// `\begin{cases} 1 & \text{if } x > 0 \\ 0 & \text{otherwise} \end{cases}`.
std::string to_latex(const Expr& e);

/// Graphviz DOT of the graph: one box per node, so a shared subexpression is drawn once.
std::string to_dot(const Expr& e, std::string_view graph_name = "slope");

/// Columns that `text` takes in a terminal (UTF-8 code points; every character counts one).
std::size_t display_width(std::string_view text);

/// The shortest decimal that reads back to the same double; `inf`, `-inf`, `undefined`, and `0`
/// for both zeros (never `-0`).
std::string format_number(double v);

/// Writes `to_text(e)`: `std::cout << relu(x)` prints `relu(x)`.
std::ostream& operator<<(std::ostream& os, const Expr& e);

}  // namespace slope

/// \namespace fmt
/// {fmt}, whose formatter slope specialises for Expr.

/// `fmt::print("{}", f)` prints `to_text(f)`; width and alignment work as for strings.
template <>
struct fmt::formatter<slope::Expr> : fmt::formatter<fmt::string_view> {
  /// Formats `to_text(e)` with the string's format spec (`{:>20}`).
  auto format(const slope::Expr& e, format_context& ctx) const -> format_context::iterator;
};
