// SPDX-License-Identifier: MIT
// Where a function rounds to 0 on a stretch of doubles (exp(x) - 1 for |x| < 1.1e-16, 1 - cos(x)
// within 1.5e-8 of 2 pi): its ends, and the one point of it a zero is put at. The kink search
// (symbolic/kinks.cpp) places kinks by it, and the exact one-sided slopes (symbolic/side.cpp) read
// a point of such a stretch by it, so both agree on which side of the zero a double lies.
#pragma once

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <cstdlib>
#include <utility>

namespace slope::detail {

/// How far from v a stretch that rounding made is looked for: rounding is far narrower.
inline double rounding_reach(double v) { return 1e-8 * std::max(1.0, std::abs(v)); }

/// The first and last doubles of the stretch around v (where zero_at(v) holds) on which zero_at
/// holds, within [from, to] and, on each side, within `reach` of v: doubling steps out, then
/// bisection to the stretch's last double.
template <class ZeroAt>
std::pair<double, double> zero_stretch(ZeroAt zero_at, double v, double reach, double from,
                                       double to) {
  const auto edge = [&](double direction) {
    double inside = v, outside = v;
    double step = std::abs(std::nextafter(v, direction * HUGE_VAL) - v);
    for (;;) {
      const double u = std::clamp(v + direction * step, from, to);
      if (u == inside || !std::isfinite(u))
        return inside;  // the end of the interval, or of doubles
      if (!zero_at(u)) {
        outside = u;
        break;
      }
      inside = u;
      if (step > reach) return inside;
      step *= 2;
    }
    for (;;) {
      const double mid = inside + (outside - inside) / 2;
      if (mid == inside || mid == outside) return inside;
      (zero_at(mid) ? inside : outside) = mid;
    }
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
