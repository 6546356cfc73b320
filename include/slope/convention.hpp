// SPDX-License-Identifier: MIT
/// \file
/// Convention: what a derivative is at a kink, where the one-sided derivatives differ.
#pragma once

#include <optional>
#include <span>
#include <string_view>

namespace slope {

/**
 * The value a derivative takes at a kink (relu at 0, abs at 0, max(a, b) at a tie, the bounds of
 * clamp and hardtanh, the boundary of a piecewise). With d- and d+ the one-sided derivatives:
 *
 * | convention | value at the kink                                  |
 * |------------|----------------------------------------------------|
 * | min_norm   | the value in [d-, d+] closest to 0 (PyTorch's rule) |
 * | left       | d-                                                 |
 * | right      | d+                                                 |
 * | average    | (d- + d+) / 2                                      |
 * | undefined  | NaN, printed `undefined`                           |
 *
 * Conventions are local: each operation applies it to its own arguments, in `diff` and on the
 * tape alike (docs/conventions.md).
 */
enum class Convention { min_norm, left, right, average, undefined };

/// The five conventions in declaration order (the order of KinkPoint::local).
inline constexpr Convention all_conventions[] = {Convention::min_norm, Convention::left,
                                                 Convention::right, Convention::average,
                                                 Convention::undefined};

/// The convention's name: `min_norm`, `left`, `right`, `average` or `undefined`.
std::string_view to_string(Convention c);
/// Parses `min_norm`, `left`, `right`, `average` or `undefined`.
std::optional<Convention> parse_convention(std::string_view text);

/// The one-sided rule: the derivative used at a kink between slopes `below` and `above`.
/// Equal slopes are no kink: every convention returns that slope. `at_kink(0, 1, min_norm)` is
/// relu'(0) = 0; `at_kink(-1, 1, average)` is abs'(0) = 0; `at_kink(0.01, 1, right)` is 1.
double at_kink(double below, double above, Convention c);

/// At a tie between two non-constant arguments (max(a, b) with a = b, or the boundary of a
/// piecewise whose branches both vary) the local partials are (s, 1 - s) for the branch active
/// above the boundary and the one below. Returns s: left 0, right 1, average and min_norm 1/2
/// (the minimum-norm point of that segment), undefined NaN.
double above_weight(Convention c);

}  // namespace slope
