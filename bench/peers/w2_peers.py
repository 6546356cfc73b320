#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""W2 relu-batch with NumPy and PyTorch, for scale (shared/bench/workloads.md).

y = relu(x) and d = relu'(x) over 10,000,000 doubles, then leaky_relu(x, 0.01): NumPy's plain
form (new arrays each call) and its out= form (preallocated), and PyTorch on the CPU (forward,
then backward through autograd), next to a copy measured in the same process. Compare with
bench_relu_batch through the ratio to the copy. With --json, prints one JSON object per case
instead, with the sums of y and d the case computed (what bench/compare reads).
Usage: python3 bench/peers/w2_peers.py [--json]   (Debian: python3-numpy; python3-torch if installed)
"""
import json
import statistics
import sys
import time

import numpy as np

N = 10_000_000
MASK = (1 << 64) - 1


def splitmix_sym(seed: int, n: int) -> np.ndarray:
    """sym() of workloads.md for draws 1..n, vectorised (uint64 arithmetic wraps)."""
    with np.errstate(over="ignore"):
        s = np.uint64(seed) + np.arange(1, n + 1, dtype=np.uint64) * np.uint64(0x9E3779B97F4A7C15)
        z = (s ^ (s >> np.uint64(30))) * np.uint64(0xBF58476D1CE4E5B9)
        z = (z ^ (z >> np.uint64(27))) * np.uint64(0x94D049BB133111EB)
        z = z ^ (z >> np.uint64(31))
    return 2.0 * ((z >> np.uint64(11)).astype(np.float64) * 2.0**-53) - 1.0


def median_ms(call, repeats=20):
    call()  # warm-up
    times = []
    for _ in range(repeats):
        start = time.perf_counter()
        call()
        times.append((time.perf_counter() - start) * 1e3)
    return statistics.median(times)


def main():
    x = splitmix_sym(42, N)
    assert int((x > 0).sum()) == 4_999_088, "workload check: positive elements"
    y, d, c = np.empty(N), np.empty(N), np.empty(N)

    def relu_plain():
        return np.maximum(0, x), np.where(x > 0, 1.0, 0.0)

    def relu_out():
        np.maximum(x, 0.0, out=y)
        np.greater(x, 0.0, out=d)
        return y, d

    def leaky_plain():
        return np.where(x > 0, x, 0.01 * x), np.where(x > 0, 1.0, 0.01)

    def leaky_out():
        np.multiply(x, 0.01, out=y)
        np.maximum(x, y, out=y)
        d.fill(0.01)
        np.copyto(d, 1.0, where=x > 0)
        return y, d

    relu_out()
    assert abs(y.sum() - 2.499879819936331e06) < 1e-3 and d.sum() == 4_999_088
    leaky_out()
    assert abs(y.sum() - 2.474877679620283e06) < 1e-3 and abs(d.sum() - 5.04909712e06) < 1e-3

    cases = [("numpy relu, plain", relu_plain), ("numpy relu, out=", relu_out),
             ("numpy leaky_relu, plain", leaky_plain), ("numpy leaky_relu, out=", leaky_out)]
    versions = f"numpy {np.__version__}"
    try:
        import torch
    except ImportError:
        torch = None
    if torch is not None:
        versions += f", torch {torch.__version__} ({torch.get_num_threads()} thread)"
        tx = torch.from_numpy(x).clone().requires_grad_(True)
        ones = torch.ones_like(tx)

        def torch_case(activation):
            def call():
                tx.grad = None
                y = activation(tx)
                y.backward(ones)
                return y, tx.grad
            return call

        y_t, d_t = torch_case(torch.relu)()
        assert abs(float(y_t.sum()) - 2.499879819936331e06) < 1e-3
        assert float(d_t.sum()) == 4_999_088  # relu'(0) = 0 in PyTorch
        leaky = lambda v: torch.nn.functional.leaky_relu(v, 0.01)  # noqa: E731
        cases += [("torch relu + backward", torch_case(torch.relu)),
                  ("torch leaky_relu + backward", torch_case(leaky))]

    copy = median_ms(lambda: np.copyto(c, x))
    if "--json" in sys.argv[1:]:
        print(json.dumps({"case": "copy", "versions": versions, "ms": copy}))
        for name, call in cases:
            out_y, out_d = call()
            print(json.dumps({"case": name, "ms": median_ms(call), "y_sum": float(out_y.sum()),
                              "d_sum": float(out_d.sum())}), flush=True)
        return
    print(f"{versions}; N = {N:,}; median of 20 after a warm-up")
    print(f"{'copy (16 B/element)':32} {copy:8.2f} ms  {16 * N / copy / 1e6:6.1f} GB/s")
    for name, call in cases:
        ms = median_ms(call)
        print(f"{name:32} {ms:8.2f} ms  {24 * N / ms / 1e6:6.1f} GB/s  {ms / copy:5.2f}x the copy")


if __name__ == "__main__":
    main()
