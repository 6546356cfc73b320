// SPDX-License-Identifier: MIT
// Scalar formulas shared by the op table (ops.cpp) and the batched kernels (tape_batch.cpp),
// so a rule the batch loops inline is still written once; and the elementary functions in every
// precision a tape computes in (precision.hpp).
#pragma once

#include <cmath>
#include <limits>

#include "slope/precision.hpp"

namespace slope::detail {

/// relu(x) = max(0, x); NaN stays NaN, and -0 gives +0. One unordered compare (true for x > 0
/// and for NaN), so batch loops vectorise to a compare and a mask.
template <class T>
inline T relu_value(T x) {
  return !(x <= T(0)) ? x : T(0);
}
/// leaky_relu(x, alpha) and prelu(x, alpha).
template <class T>
inline T leaky_value(T x, T alpha) {
  return x > 0 ? x : alpha * x;
}

/// Elementary functions in T: the C library's double and float versions, and for _Float16 the
/// float version rounded once to _Float16 (the C library has no binary16 functions; float's
/// 24 bits hold every binary16 argument exactly). Arithmetic (+, -, *, /) is never routed
/// through here: it rounds in T.
namespace num {
using std::abs, std::cos, std::erf, std::erfc, std::exp, std::expm1, std::log, std::log1p, std::pow,
    std::sin, std::sqrt, std::tanh;
using std::isfinite, std::isinf, std::isnan;
template <class T>
inline T nan() {
  return T(std::numeric_limits<double>::quiet_NaN());
}
#ifdef SLOPE_HAS_FLOAT16
inline bool isnan(_Float16 x) { return x != x; }
inline bool isinf(_Float16 x) { return std::isinf(static_cast<float>(x)); }
inline bool isfinite(_Float16 x) { return std::isfinite(static_cast<float>(x)); }
#define SLOPE_HALF_VIA_FLOAT(F) \
  inline _Float16 F(_Float16 x) { return static_cast<_Float16>(std::F(static_cast<float>(x))); }
SLOPE_HALF_VIA_FLOAT(abs)
SLOPE_HALF_VIA_FLOAT(cos)
SLOPE_HALF_VIA_FLOAT(erf)
SLOPE_HALF_VIA_FLOAT(erfc)
SLOPE_HALF_VIA_FLOAT(exp)
SLOPE_HALF_VIA_FLOAT(expm1)
SLOPE_HALF_VIA_FLOAT(log)
SLOPE_HALF_VIA_FLOAT(log1p)
SLOPE_HALF_VIA_FLOAT(sin)
SLOPE_HALF_VIA_FLOAT(sqrt)
SLOPE_HALF_VIA_FLOAT(tanh)
#undef SLOPE_HALF_VIA_FLOAT
inline _Float16 pow(_Float16 b, _Float16 e) {
  return static_cast<_Float16>(std::pow(static_cast<float>(b), static_cast<float>(e)));
}
#endif
/// A condition holds when it is neither 0 nor NaN (a NaN comparison is false).
template <class T>
inline bool holds(T c) {
  return c != T(0) && !isnan(c);
}
}  // namespace num

}  // namespace slope::detail
