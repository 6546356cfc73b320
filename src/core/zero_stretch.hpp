// SPDX-License-Identifier: MIT
// Where a function rounds to 0 on a stretch of doubles (exp(x) - 1 for |x| < 1.1e-16, 1 - cos(x)
// within 1.5e-8 of 2 pi): its ends, and the one point of it a zero is put at. The kink search
// (symbolic/kinks.cpp) places kinks by it, and the exact one-sided slopes (symbolic/side.cpp) read
// a point of such a stretch by it, so both agree on which side of the zero a double lies.
#pragma once

#include <fmt/format.h>

#include <algorithm>
#include <bit>
#include <cmath>
#include <cstdint>
#include <cstdlib>
#include <limits>
#include <utility>

namespace slope::detail {

/// How far from v a stretch that rounding made is looked for: rounding is far narrower.
inline double rounding_reach(double v) { return 1e-8 * std::max(1.0, std::abs(v)); }

/// Doubles as integers in their order (-0 and +0 both 0), so a search can step by counts of
/// doubles: from 0 to 1e-18 is 2^62 doubles but some 1,000 doublings of a value.
inline std::int64_t double_order(double v) {
  const auto bits = std::bit_cast<std::int64_t>(v);
  return bits < 0 ? -(bits & std::numeric_limits<std::int64_t>::max()) : bits;
}
inline double double_at(std::int64_t order) {
  return order < 0 ? -std::bit_cast<double>(-order) : std::bit_cast<double>(order);
}

/// The first and last doubles of the stretch around v (where zero_at(v) holds; one stretch, not
/// several with gaps) on which zero_at holds, within [from, to] and, on each side, within
/// `reach` of v (v + reach rounded to a double): steps of 1, 2, 4, ... doubles
/// out, then bisection, both counted in doubles (at most some 64 steps each, where steps in
/// value from the smallest double to 1e-18 were 1,000), to the stretch's last double.
template <class ZeroAt>
std::pair<double, double> zero_stretch(ZeroAt zero_at, double v, double reach, double from,
                                       double to) {
  if (!std::isfinite(v) || !(from <= v && v <= to)) return {v, v};  // nothing to search
  const std::int64_t origin = double_order(v);
  const auto edge = [&](int direction) {
    // Counts of doubles are unsigned: from -1e308 to 1e308 is more doubles than int64 holds.
    const auto gap = [direction](std::int64_t near, std::int64_t far) {
      return direction > 0 ? std::uint64_t(far) - std::uint64_t(near)
                           : std::uint64_t(near) - std::uint64_t(far);
    };
    const auto past = [direction](std::int64_t order, std::uint64_t count) {
      return std::int64_t(direction > 0 ? std::uint64_t(order) + count
                                        : std::uint64_t(order) - count);
    };
    const double limit =
        std::clamp(direction > 0 ? std::min(to, v + reach) : std::max(from, v - reach),
                   -std::numeric_limits<double>::max(), std::numeric_limits<double>::max());
    const std::uint64_t room = gap(origin, double_order(limit));
    std::int64_t inside = origin, outside = origin;
    for (std::uint64_t step = 1;; step = step > room / 2 ? room : 2 * step) {
      const std::int64_t at = past(origin, std::min(step, room));
      const double u = double_at(at);
      if (at == inside) return u;  // no room to step
      if (!zero_at(u)) {
        outside = at;
        break;
      }
      inside = at;
      if (step >= room) return u;
    }
    for (std::uint64_t left = gap(inside, outside); left > 1; left = gap(inside, outside)) {
      const std::int64_t mid = past(inside, left / 2);
      (zero_at(double_at(mid)) ? inside : outside) = mid;
    }
    return double_at(inside);
  };
  return {edge(-1), edge(+1)};
}

/// The sign of a function just past one end of its stretch of zeros, going `direction` (+1 or
/// -1) from `end` at 1, 4, 16 and 64 stretch widths, where it holds there and grows outward as a
/// function leaving a zero does; 0 where it does not: rounding noise (sin(x)^2 + cos(x)^2 - 1)
/// neither keeps a sign nor grows. The same sign past both ends is a touch (1 - cos(x) at 2 pi),
/// opposite signs a crossing; the kink search and the one-sided slopes read it alike.
template <class At>
int sign_past(At at, double end, int direction, double width) {
  int sign = 0;
  double last = 0;
  for (int k = 0; k <= 3; ++k) {
    const double v = at(end + direction * width * std::ldexp(1.0, 2 * k));
    const int s = (v > 0) - (v < 0);
    if (s == 0 || std::isnan(v) || (k > 0 && (s != sign || !(std::abs(v) > 1.5 * last)))) return 0;
    sign = s, last = std::abs(v);
  }
  return sign;
}

/// The simplest double of [lo, hi]: 0 if it is there, else the one with the fewest significant
/// digits (so where a zero is put does not depend on where a search met the stretch).
inline double simplest_double(double lo, double hi) {
  if (lo <= 0 && 0 <= hi) return 0;
  const double mid = lo + (hi - lo) / 2;
  for (int digits = 1; digits < 17; ++digits) {
    const double r = std::strtod(fmt::format("{:.{}e}", mid, digits - 1).c_str(), nullptr);
    if (lo <= r && r <= hi) return r;
  }
  return mid;
}

}  // namespace slope::detail
