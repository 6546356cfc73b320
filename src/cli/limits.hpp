// SPDX-License-Identifier: MIT
// The CLI's limits, each listed with its error message in docs/robustness.md.
#pragma once

#include <cstddef>
#include <string>

#include "slope/error.hpp"
#include "slope/print.hpp"

namespace slope::cli::limits {

inline constexpr std::size_t table_rows = 1'000'000;    ///< slope table
inline constexpr int plot_points = 100'000;             ///< slope plot --points
inline constexpr double plot_min_relative_span = 1e-9;  ///< (to - from) / max(|from|, |to|)
inline constexpr int max_order = 100;                   ///< slope diff --order
/// slope diff --order: a derivative whose nodes plus arguments exceed this (or 4 times f's,
/// if more) is not differentiated again.
/// Characters of an expression's one-line text in the output (slope grad --json, slope diff).
inline constexpr std::size_t text_length = 10'000'000;
inline constexpr std::size_t derivative_size = 10'000;

/// e's text for the output, its shared parts named (`u1() = ...; u2()`), so as long as e is
/// large, not as long as it spells out; refused past text_length.
inline std::string named_text(const Expr& e) {
  std::string text = to_text(e);
  if (text.size() > text_length) throw TextTooLong(text_length);
  return text;
}

}  // namespace slope::cli::limits
