// SPDX-License-Identifier: MIT
/// \file
/// Source code for f and its derivatives: C++, Python, NumPy, and a PyTorch autograd bridge.
#pragma once

#include <string>

#include "slope/convention.hpp"
#include "slope/expr.hpp"

namespace slope {

/// A target language of to_code and emit: C++, plain Python, NumPy, or PyTorch.
enum class Language { cpp, python, numpy, torch };

/// The language's name as the CLI spells it (`cpp`, `python`, `numpy`, `torch`).
std::string_view language_name(Language language);

/**
 * One expression computing e in the language, as the body of the functions `emit` writes:
 * `relu(w * x + b)` (C++ and Python call the small helpers `emit` defines, which give NaN,
 * infinities and overflow exactly as slope does), `np.maximum(w * x + b, 0.0)`,
 * `torch.relu(w * x + b)` (for `relu(w*x + b)`). Shared parts are repeated; prefer `emit` for
 * anything large.
 */
std::string to_code(const Expr& e, Language language);

/**
 * A complete source file computing what slope computes: `f(vars...)` and, with `gradient`,
 * one `df_dv(vars...)` per variable, differentiated under the convention, which a comment names.
 * Shared subexpressions become temporaries, so the code is linear in the size of the graph.
 *
 * - C++: `double f(double x, ...)` plus the inline helpers it uses.
 * - Python: plain floats; helpers make 1/0, log(0), overflow and 0/0 follow IEEE 754 (no
 *   exceptions), as slope does.
 * - NumPy: float64 arrays of the broadcast shape of the inputs, never warning.
 * - PyTorch (`gradient` is implied): `f_value`, `f_gradient`, a `torch.autograd.Function` whose
 *   backward is slope's derivative, `f` (its apply) and an `nn.Module` wrapper; any batch shape,
 *   device and floating dtype.
 *
 * Variables whose names are keywords or library names in the language are renamed with a
 * trailing `_` (`lambda` -> `lambda_`), and the header comment says so.
 *
 * **Example** (numpy, gradient): `def df_dx(x): ... return np.where(x > 0, 1.0, 0.0)`.
 */
std::string emit(const Expr& e, Language language, bool gradient,
                 Convention convention = Convention::min_norm);

}  // namespace slope
