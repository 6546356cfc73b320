#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""W1 mlp-grad with PyTorch scalar autograd, for scale (shared/bench/workloads.md).

The 16-64-64-1 relu network built from scalar tensors, one operation at a time as the workload
counts them, then backward() to the 5,313 parameters, afresh for each sample. Checks the
workload's value (sum of all gradient components over the 200 samples) before reporting the
median time per gradient. Compare with bench_mlp_grad's hand-written time (a separate run).
With --json, prints one JSON object instead (what bench/compare reads).
Usage: python3 bench/peers/w1_torch.py [--json]   (Debian: python3-torch)
"""
import json
import statistics
import sys
import time

import torch

MASK = (1 << 64) - 1
N_IN, N_HIDDEN = 16, 64


class SplitMix:
    def __init__(self, seed):
        self.s = seed

    def next(self):
        self.s = (self.s + 0x9E3779B97F4A7C15) & MASK
        z = self.s
        z = ((z ^ (z >> 30)) * 0xBF58476D1CE4E5B9) & MASK
        z = ((z ^ (z >> 27)) * 0x94D049BB133111EB) & MASK
        return z ^ (z >> 31)

    def sym(self):
        return 2.0 * ((self.next() >> 11) * 2.0**-53) - 1.0


def parameters():
    rng = SplitMix(42)
    blocks = [(N_HIDDEN * N_IN, (6.0 / N_IN) ** 0.5), (N_HIDDEN, 0.1),
              (N_HIDDEN * N_HIDDEN, (6.0 / N_HIDDEN) ** 0.5), (N_HIDDEN, 0.1),
              (N_HIDDEN, (6.0 / N_HIDDEN) ** 0.5), (1, 0.1)]
    return [rng.sym() * scale for count, scale in blocks for _ in range(count)]


def data():
    rng = SplitMix(1234)
    return [([rng.sym() for _ in range(N_IN)], rng.sym()) for _ in range(200)]


def gradient(params, sample):
    p = [torch.tensor(v, dtype=torch.float64, requires_grad=True) for v in params]
    x, target = sample
    w1, b1 = 0, N_HIDDEN * N_IN
    w2 = b1 + N_HIDDEN
    b2 = w2 + N_HIDDEN * N_HIDDEN
    w3 = b2 + N_HIDDEN
    b3 = w3 + N_HIDDEN
    h1 = []
    for j in range(N_HIDDEN):
        z = p[b1 + j]
        for i in range(N_IN):
            z = z + p[w1 + j * N_IN + i] * x[i]
        h1.append(torch.relu(z))
    h2 = []
    for j in range(N_HIDDEN):
        z = p[b2 + j]
        for i in range(N_HIDDEN):
            z = z + p[w2 + j * N_HIDDEN + i] * h1[i]
        h2.append(torch.relu(z))
    y = p[b3]
    for i in range(N_HIDDEN):
        y = y + p[w3 + i] * h2[i]
    d = y - target
    (d * d).backward()
    return [t.grad.item() if t.grad is not None else 0.0 for t in p]


def main():
    torch.set_num_threads(1)
    params, samples = parameters(), data()
    total, times = 0.0, []
    for s in samples:
        start = time.perf_counter()
        g = gradient(params, s)
        times.append(time.perf_counter() - start)
        total += sum(g)
    if "--json" in sys.argv[1:]:
        print(json.dumps({"peer": f"PyTorch {torch.__version__}", "seconds_per_gradient":
                          statistics.median(times), "gradient_sum": total}))
        return
    print(f"torch {torch.__version__}: check {total:.12e} (expected -6.833518508793e+02)")
    print(f"median {statistics.median(times) * 1e6:,.0f} us per gradient (record + backward), "
          f"{statistics.median(times) * 1e9 / 10498:,.0f} ns per elementary op")


if __name__ == "__main__":
    main()
