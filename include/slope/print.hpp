// Printing expressions: one-line text (that the parser reads back) and fmt/iostream support.
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
 * **Example**: `to_text(relu(w*x + b))` is `"relu(w*x + b)"`;
 * `to_text(piecewise({{x > 0, x}}, 0))` is `"piecewise(x > 0: x, otherwise: 0)"`.
 */
std::string to_text(const Expr& e);

/// The shortest decimal that reads back to the same double; `inf`, `-inf`, `undefined`.
std::string format_number(double v);

std::ostream& operator<<(std::ostream& os, const Expr& e);

}  // namespace slope

/// `fmt::print("{}", f)` prints `to_text(f)`; width and alignment work as for strings.
template <>
struct fmt::formatter<slope::Expr> : fmt::formatter<fmt::string_view> {
  auto format(const slope::Expr& e, format_context& ctx) const -> format_context::iterator;
};
