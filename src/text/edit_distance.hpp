// SPDX-License-Identifier: MIT
// Levenshtein distance, for "did you mean" hints (the parser's names, the CLI's commands).
#pragma once

#include <cstddef>
#include <string_view>

namespace slope::detail {

std::size_t edit_distance(std::string_view a, std::string_view b);

}  // namespace slope::detail
