// SPDX-License-Identifier: MIT
// Where the ops of an expression switch: the functions whose sign change can make an op kink or
// jump. Shared by the kink search (symbolic) and the tape's kink counters, from each row's
// SideRule.
#pragma once

#include <vector>

#include "slope/expr.hpp"

namespace slope::detail {

/// The switch functions of f: where one crosses 0 an op of f may kink or jump. Each comes with
/// the node it belongs to (an activation, not the basic op of its definition).
struct Switch {
  Expr g;
  Expr node;
};
std::vector<Switch> switches(const Expr& f);

}  // namespace slope::detail
