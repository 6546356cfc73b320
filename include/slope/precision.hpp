// SPDX-License-Identifier: MIT
/// \file
/// The floating-point types a tape can compute in (tape.hpp, record.hpp): `double`, `float`,
/// and `_Float16` where SLOPE_HAS_FLOAT16 says the compiler has it.
#pragma once

#include <type_traits>

/**
 * \def SLOPE_HAS_FLOAT16
 * Defined (as 1) when tapes in `_Float16` exist: `slope::HalfTape`, `slope::HalfVar`. That is
 * GCC 12 or later on x86-64 or AArch64, where `_Float16` is an IEEE binary16 whose every
 * operation rounds to binary16 (the library is built with `-fexcess-precision=fast` on GCC 13 and
 * later, which keeps it so). Clang evaluates `_Float16` expressions in float by default, so
 * slope leaves the type out there rather than round differently. Test it with `#ifdef`.
 */
#if defined(SLOPE_DOXYGEN) ||                                                                     \
    (defined(__GNUC__) && !defined(__clang__) && __GNUC__ >= 12 && defined(__FLT16_MANT_DIG__) && \
     (defined(__x86_64__) || defined(__aarch64__)))
#define SLOPE_HAS_FLOAT16 1
#endif

namespace slope {

/// True for the types a tape computes in: double, float and (SLOPE_HAS_FLOAT16) _Float16.
template <class T>
inline constexpr bool is_tape_scalar = std::is_same_v<T, double> || std::is_same_v<T, float>
#ifdef SLOPE_HAS_FLOAT16
                                       || std::is_same_v<T, _Float16>
#endif
    ;

}  // namespace slope
