// SPDX-License-Identifier: MIT
// Scalar formulas shared by the op table (ops.cpp) and the batched kernels (tape_batch.cpp),
// so a rule the batch loops inline is still written once.
#pragma once

namespace slope::detail {

/// relu(x) = max(0, x); NaN stays NaN, and -0 gives +0.
inline double relu_value(double x) { return x > 0 ? x : (x == x ? 0.0 : x); }
/// leaky_relu(x, alpha) and prelu(x, alpha).
inline double leaky_value(double x, double alpha) { return x > 0 ? x : alpha * x; }

}  // namespace slope::detail
