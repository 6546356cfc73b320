// The CLI's limits, each listed with its error message in docs/robustness.md.
#pragma once

#include <cstddef>

namespace slope::cli::limits {

inline constexpr std::size_t table_rows = 1'000'000;  ///< slope table
inline constexpr int plot_points = 100'000;           ///< slope plot --points
inline constexpr int max_order = 100;                 ///< slope diff --order

}  // namespace slope::cli::limits
