// SPDX-License-Identifier: MIT
/// \file
/// slope: derivatives of piecewise functions. Umbrella header; includes the public headers only.
#pragma once

#include "slope/build.hpp"
#include "slope/codegen.hpp"
#include "slope/convention.hpp"
#include "slope/diff.hpp"
#include "slope/dying_relu.hpp"
#include "slope/error.hpp"
#include "slope/eval.hpp"
#include "slope/explain.hpp"
#include "slope/expr.hpp"
#include "slope/gradcheck.hpp"
#include "slope/one_sided.hpp"
#include "slope/ops.hpp"
#include "slope/parse.hpp"
#include "slope/plot.hpp"
#include "slope/print.hpp"
#include "slope/record.hpp"
#include "slope/relu_zero.hpp"
#include "slope/simplify.hpp"
#include "slope/tape.hpp"
#include "slope/version.hpp"

/**
 * \mainpage slope: derivatives of piecewise functions
 *
 * `#include <slope/slope.hpp>` and link `slope::slope` (CMake) or `pkg-config slope`. Every
 * declaration is in namespace slope; the README's "What is here" table says which header gives
 * what.
 *
 * **Example**:
 *
 *     #include <slope/slope.hpp>
 *     #include <fmt/core.h>
 *
 *     int main() {
 *       using namespace slope;
 *       Expr x = var("x");
 *       Expr d = diff(relu(x), x);          // under min_norm: relu'(0) = 0
 *       fmt::print("{}\n", d);              // piecewise(x > 0: 1, otherwise: 0)
 *       fmt::print("{}\n", to_pretty(d));   // the same as cases, in 2-D
 *       fmt::print("{}\n", eval(d, {{"x", 2.0}}));  // 1
 *     }
 *
 * Where to start:
 * - \ref slope::Expr "Expr" (expr.hpp) and the factories of build.hpp build expressions;
 *   parse() reads them from text.
 * - diff(), gradient() and simplify() compute with them; eval() gives values.
 * - \ref slope::Convention "Convention" says what a derivative is at a kink; \ref slope::Op "Op"
 *   lists every op with its value, partials and kinks.
 * - to_text(), to_pretty(), to_latex() and emit() print them; explain() derives step by step.
 * - \ref slope::Tape "Tape" (compiled) and \ref slope::Var "Var" (recorded C++) give fast
 *   gradients; check_gradient() checks them.
 * - one_sided(), find_kinks() and whole_gradient() do exact calculus at kinks.
 */

/// \namespace slope
/// Everything slope declares. `slope::detail` is internal.
