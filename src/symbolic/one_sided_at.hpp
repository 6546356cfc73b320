// SPDX-License-Identifier: MIT
// one_sided with the two sides' pieces chosen at neighbouring points: find_kinks brackets a
// kink between adjacent doubles a < b, choosing the left piece at a and the right piece at b.
#pragma once

#include <string_view>

#include "slope/one_sided.hpp"

namespace slope::detail {

OneSided one_sided_at(const Expr& f, std::string_view x, const Env& left_of, const Env& right_of,
                      const Env& at);

}  // namespace slope::detail
