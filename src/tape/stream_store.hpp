// SPDX-License-Identifier: MIT
// Non-temporal stores for the batch path's results when the caller's arrays are far larger
// than the cache: written straight to memory, their cache lines are never read first, which
// saves a third of the traffic of a relu(x) gradient (bench/relu_batch.cpp, W2). Where the
// target has no such store (or T is _Float16), rows are written the ordinary way.
#pragma once

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <type_traits>

#if defined(__SSE2__)
#include <immintrin.h>
#endif

namespace slope::detail {

/// Below this many bytes per row, results are likely read again soon and stay cached.
inline constexpr std::size_t stream_rows_from_bytes = std::size_t{8} << 20;

/// Bytes per non-temporal store (0: the target has none). 16-byte stores, as the hand-written
/// streaming loop in bench/relu_batch.cpp uses: a whole cache line per chunk either way.
#if defined(__SSE2__)
inline constexpr std::size_t stream_bytes = 16;
inline void stream_store(double* to, const double* from) { _mm_stream_pd(to, _mm_load_pd(from)); }
inline void stream_store(float* to, const float* from) { _mm_stream_ps(to, _mm_load_ps(from)); }
/// Orders the streamed stores before any later load or store (of this thread or another).
inline void stream_fence() { _mm_sfence(); }
#else
inline constexpr std::size_t stream_bytes = 0;
inline void stream_fence() {}
#endif
/// Whether rows of T can be streamed (_Float16 cannot).
template <class T>
inline constexpr bool streams = stream_bytes != 0 &&
                                (std::is_same_v<T, double> || std::is_same_v<T, float>);

/// Writes two rows of n results: fill(from, count, first, second) computes points [from, from +
/// count) into the two pointers. With `stream` (and both rows alike in alignment), the points
/// are computed a few vectors at a time into a small buffer in L1, then sent to memory with
/// non-temporal stores; otherwise fill writes the rows directly.
template <class T, class Fill>
void write_two_rows(T* first, T* second, std::size_t n, bool stream, Fill fill) {
  std::size_t j = 0;
  if constexpr (streams<T>) {
    const auto offset_in = [](const T* p, std::size_t bytes) {
      return reinterpret_cast<std::uintptr_t>(p) % bytes;
    };
    if (stream && offset_in(first, stream_bytes) == offset_in(second, stream_bytes)) {
      j = std::min(n, (stream_bytes - offset_in(first, stream_bytes)) % stream_bytes / sizeof(T));
      fill(0, j, first, second);
      // 256 bytes per row, a few vectors: the input's loads and the streamed stores interleave
      // finely. With 2 KiB an Intel Xeon (AVX-512) took 1.33x the time of the hand-fused
      // streaming loop, with 256 bytes 1.05x (bench_relu_batch, W2); with 64 bytes, 4.5x.
      constexpr std::size_t chunk = 256 / sizeof(T);
      constexpr std::size_t lanes = stream_bytes / sizeof(T);
      alignas(64) T a[chunk], b[chunk];
      for (; j + chunk <= n; j += chunk) {
        fill(j, chunk, a, b);
        for (std::size_t k = 0; k < chunk; k += lanes) {
          stream_store(first + j + k, a + k);
          stream_store(second + j + k, b + k);
        }
      }
    }
  }
  fill(j, n - j, first + j, second + j);
}

}  // namespace slope::detail
