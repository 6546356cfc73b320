// SPDX-License-Identifier: MIT
// Source code for f and its derivatives, in the style tutorials use.
#pragma once

#include <string>

#include "slope/convention.hpp"
#include "slope/expr.hpp"

namespace slope {

enum class Language { cpp, python, numpy };

/// An expression in the language: `std::max(0.0, x)`, `max(0, x)`, `np.maximum(0, x)`;
/// piecewise becomes a conditional (`x > 0 ? 1.0 : 0.0`, `np.where(x > 0, 1.0, 0.0)`).
std::string to_code(const Expr& e, Language language);

/**
 * A function `f(vars...)` computing e and, with `gradient`, one `df_dv(vars...)` per variable,
 * differentiated under the convention (which the comment names).
 *
 * **Example** (numpy, gradient): `def df_dx(x): return np.where(x > 0, 1.0, 0.0)`.
 */
std::string emit(const Expr& e, Language language, bool gradient,
                 Convention convention = Convention::min_norm);

}  // namespace slope
