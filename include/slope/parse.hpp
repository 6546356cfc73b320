// SPDX-License-Identifier: MIT
/// \file
/// Reading expressions from text: the grammar of docs/syntax.md.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "slope/error.hpp"
#include "slope/expr.hpp"

namespace slope {

/// Limits that keep hostile input from exhausting memory or the stack.
struct ParseLimits {
  std::size_t max_length = 10'000'000;  ///< characters
  std::size_t max_depth = 500;          ///< nesting of parentheses, calls and operators
  /// Nodes that calls of definitions may add in all (each call counts its definition's size).
  std::size_t max_expanded = 1'000'000;
};

/**
 * Parses an expression, optionally preceded by definitions (`f(x) = max(0, x); f(2*y)`),
 * separated by `;` or newlines. Reads everything `to_text` prints, so `parse(to_text(e)) == e`.
 * Throws ParseError with the line, column and a hint.
 *
 * **Example**: `parse("piecewise(x < 0: 0.01*x, otherwise: x)")`, `parse("-x^2")` is `-(x^2)`.
 */
Expr parse(std::string_view text, const ParseLimits& limits = {});

/// Every name `text` spells (variables, functions, parameters of definitions), as the parser's
/// lexer reads it: `2x` spells x, `# w` (a comment) and `1e5` spell nothing. A variable written
/// but simplified away (x in `x - x + y`) is here and not in `variables(parse(text))`. Throws
/// ParseError on a character the parser refuses.
std::vector<std::string> names_in(std::string_view text);

/// The variables `text` reads, in order of first use: those of `variables(parse(text))` and
/// those the factories folded away (x in `x - x + y`), not a definition's parameters. Throws
/// ParseError as parse does.
std::vector<std::string> variables_written(std::string_view text);

/// The names the parser knows as functions (the op table's and `where`), for hints and docs.
std::vector<std::string_view> function_names();

}  // namespace slope
