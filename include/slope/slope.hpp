// SPDX-License-Identifier: MIT
// slope: derivatives of piecewise functions. Umbrella header; includes the public headers only.
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
#include "slope/simplify.hpp"
#include "slope/tape.hpp"
#include "slope/version.hpp"
