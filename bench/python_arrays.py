#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""The Python module over arrays: slope.eval / slope.grad on 10 million points, against a Python
loop over scalars, for values and for gradients (issue 17 target: at least 20x faster) and against NumPy's own relu,
np.maximum(x, 0) (target: within 2x). Every result is checked against NumPy before timing.

Usage: PYTHONPATH=build/python python3 bench/python_arrays.py [--points N] [--loop-points M]
Times are medians of interleaved repetitions (so a change in load hits both sides alike); the
scalar loops run once over --loop-points points (all 10 million by default) and are reported
per point and scaled to the array size.
"""
import argparse
import os
import platform
import random
import statistics
import time

import numpy as np

import slope


def machine():
    model = platform.processor() or "unknown CPU"
    try:
        with open("/proc/cpuinfo", encoding="utf-8") as f:
            model = next(line.split(":", 1)[1].strip() for line in f if line.startswith("model name"))
    except (OSError, StopIteration):
        pass
    return f"{model}, {os.cpu_count()} cores, Python {platform.python_version()}, NumPy {np.__version__}, slope {slope.__version__}"


def interleaved(calls, repeats):
    """Median seconds of each call, repetitions in random order."""
    times = {name: [] for name in calls}
    for call in calls.values():
        call()  # warm-up
    order = [name for name in calls for _ in range(repeats)]
    random.Random(1).shuffle(order)
    for name in order:
        start = time.perf_counter()
        calls[name]()
        times[name].append(time.perf_counter() - start)
    return {name: statistics.median(t) for name, t in times.items()}


def once(call):
    start = time.perf_counter()
    call()
    return time.perf_counter() - start


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--points", type=int, default=10_000_000)
    parser.add_argument("--loop-points", type=int, default=None, help="points for the scalar loops")
    parser.add_argument("--repeats", type=int, default=15)
    args = parser.parse_args()
    n = args.points
    loop_n = args.loop_points or n

    xs = np.random.default_rng(17).normal(size=n)
    x = slope.var("x")
    relu, leaky = slope.relu(x), slope.leaky_relu(x, 0.01)
    fn = slope.compile(relu)

    # Correct first: slope's arrays equal NumPy's formulas, element by element.
    assert np.array_equal(slope.eval(relu, x=xs), np.maximum(xs, 0))
    assert np.array_equal(slope.grad(relu, x=xs)["x"], np.where(xs > 0, 1.0, 0.0))
    assert np.array_equal(slope.eval(leaky, x=xs), np.where(xs > 0, xs, 0.01 * xs))
    few = xs[:1000].tolist()
    assert [slope.grad(relu, x=v)["x"] for v in few] == [1.0 if v > 0 else 0.0 for v in few]

    t = interleaved({
        "slope.eval(relu)": lambda: slope.eval(relu, x=xs),
        "np.maximum(x, 0)": lambda: np.maximum(xs, 0),
        "slope.grad(relu)": lambda: slope.grad(relu, x=xs),
        "slope.value_and_grad(relu)": lambda: slope.value_and_grad(relu, x=xs),
        "np.maximum + np.where": lambda: (np.maximum(xs, 0), np.where(xs > 0, 1.0, 0.0)),
        "slope.eval(leaky_relu)": lambda: slope.eval(leaky, x=xs),
        "np.where(x > 0, x, 0.01*x)": lambda: np.where(xs > 0, xs, 0.01 * xs),
    }, args.repeats)

    scalars = xs[:loop_n].tolist()
    loops = {
        "loop: slope.eval(relu, x=v)": once(lambda: [slope.eval(relu, x=v) for v in scalars]),
        "loop: slope.grad(relu, x=v)": once(lambda: [slope.grad(relu, x=v) for v in scalars]),
        "loop: compiled fn(v)": once(lambda: [fn(v) for v in scalars]),
        "loop: max(0.0, v), plain Python": once(lambda: [max(0.0, v) for v in scalars]),
    }

    print(f"machine: {machine()}")
    print(f"{n:,} points; scalar loops over {loop_n:,} points, scaled to {n:,}\n")
    print(f"{'':36} {'ms':>10}")
    for name, seconds in t.items():
        print(f"{name:36} {seconds * 1e3:10.1f}")
    for name, seconds in loops.items():
        print(f"{name:36} {seconds / loop_n * n * 1e3:10.1f}   ({seconds / loop_n * 1e9:.0f} ns/point)")

    def scaled(name):
        return loops[name] / loop_n * n

    def verdict(ok):
        return "met" if ok else "NOT met"

    array, grad = t["slope.eval(relu)"], t["slope.grad(relu)"]
    eval_loop = scaled("loop: slope.eval(relu, x=v)") / array
    grad_loop = scaled("loop: slope.grad(relu, x=v)") / grad
    vs_numpy = array / t["np.maximum(x, 0)"]
    print()
    print(f"slope.eval over the array vs the slope.eval loop: {eval_loop:8.1f}x faster (target >= 20x: {verdict(eval_loop >= 20)})")
    print(f"slope.grad over the array vs the slope.grad loop: {grad_loop:8.1f}x faster (target >= 20x: {verdict(grad_loop >= 20)})")
    print(f"  slope.eval vs the compiled-function loop:       {scaled('loop: compiled fn(v)') / array:8.1f}x faster")
    print(f"  slope.eval vs the plain-Python max loop:        {scaled('loop: max(0.0, v), plain Python') / array:8.1f}x faster")
    print(f"slope.eval(relu) / np.maximum(x, 0):              {vs_numpy:8.2f}x (target <= 2x: {verdict(vs_numpy <= 2)})")
    print(f"slope.value_and_grad / np.maximum + np.where:     {t['slope.value_and_grad(relu)'] / t['np.maximum + np.where']:8.2f}x")
    print(f"slope.eval(leaky_relu) / np.where form:           {t['slope.eval(leaky_relu)'] / t['np.where(x > 0, x, 0.01*x)']:8.2f}x")

if __name__ == "__main__":
    main()
