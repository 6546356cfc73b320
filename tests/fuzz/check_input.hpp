// SPDX-License-Identifier: MIT
// The property the fuzzer checks on any input text (tests/fuzz/README.md):
// parse -> print -> parse gives the same graph; diff and simplify do not throw or crash;
// and at a few points the tape's gradient equals the symbolic derivative's value.
#pragma once

#include <string_view>

namespace slope::fuzz {
/// Returns normally when the property holds (or the text is not an expression);
/// calls std::abort() with a message on stderr when it is violated.
void check_input(std::string_view text);
}  // namespace slope::fuzz
