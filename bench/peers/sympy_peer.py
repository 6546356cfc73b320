#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""W3 and W4 in SymPy (shared/bench/workloads.md), a peer for bench/compare.

W3: build relu(w_k*relu(... relu(w_1*x + b_1) ...) + b_k) with Max(0, .), diff in x, simplify,
str(). W4: the five chains of tests/support/w4_chains.hpp, diff in x, str(). Each case runs in
a child process stopped after --cap seconds (a chain's larger depths are then skipped). Prints
one JSON object per line: workload, chain, depth, seconds, printed (length of the text) and
values (the derivative at x = 0.0123 - 1.95 + 0.2 j, j = 0..19, the points of
bench_symbolic_diff's d_at_00 .. d_at_19); or "stopped": true (over the cap), "failed": true
(the child died), or "skipped": true (a smaller depth of the chain was stopped or failed).

Usage: python3 bench/peers/sympy_peer.py [--cap SECONDS] [--w3 10,50,200,1000] [--w4 10,100,1000]
"""
import argparse
import json
import multiprocessing as mp
import time

CHECK_POINTS = [0.0123 - 1.95 + 0.2 * j for j in range(20)]  # as doubles, like the C++ side


def w3_chain(depth):
    import sympy as sp
    x = sp.Symbol("x", real=True)
    f = x
    for i in range(1, depth + 1):
        f = sp.Max(0, sp.Rational(10 + i, 10) * f + sp.Rational((-1) ** (i % 2) * i, 100))
    return x, f


def w4_chain(kind, depth):
    import sympy as sp
    x = sp.Symbol("x", real=True)
    u = x
    for i in range(1, depth + 1):
        c = sp.Rational((-1) ** (i % 2) * i, 100)  # -i/100 for odd i, as the C++ chains
        if kind == "leaky":
            v = u + c
            u = sp.Piecewise((v, v > 0), (v / 2, True))
        elif kind == "elu":
            v = sp.Rational(9, 10) * u + c
            u = sp.Piecewise((v, v > 0), ((sp.exp(v) - 1) / 2, True))
        elif kind == "abs":
            u = sp.Abs(u - c)
        elif kind == "hardtanh":
            v = sp.Rational(11, 10) * u + c
            u = sp.Min(sp.Max(v, -1), 1)
        else:
            u = sp.Max(u, sp.Rational(3, 10) * u + c)
    return x, u


def values(df, x):
    """The derivative at the check points, each given exactly as the double it is."""
    import sympy as sp
    return [float(sp.N(df.subs(x, sp.Rational(p)), 30)) for p in CHECK_POINTS]


def run(workload, kind, depth, out):
    import sympy as sp
    start = time.perf_counter()
    if workload == "W3":
        x, f = w3_chain(depth)
        df = sp.simplify(f.diff(x))
    else:
        x, f = w4_chain(kind, depth)
        df = f.diff(x)
    text = str(df)
    seconds = time.perf_counter() - start
    out.put({"seconds": seconds, "printed": len(text), "values": values(df, x)})


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--cap", type=float, default=60, help="seconds per case (> 0)")
    parser.add_argument("--w3", default="10,50,200,1000")
    parser.add_argument("--w4", default="10,100,1000")
    args = parser.parse_args()
    if not args.cap > 0:
        parser.error("--cap must be a positive number of seconds")
    import queue

    import sympy

    cases = [("W3", "relu", int(d)) for d in args.w3.split(",") if d]
    cases += [("W4", kind, int(d)) for kind in ("leaky", "elu", "abs", "hardtanh", "max")
              for d in args.w4.split(",") if d]
    stopped = set()
    for workload, kind, depth in cases:
        row = {"peer": f"SymPy {sympy.__version__}", "workload": workload, "chain": kind,
               "depth": depth}
        if (workload, kind) in stopped:
            row["skipped"] = True
            print(json.dumps(row), flush=True)
            continue
        out = mp.Queue()
        child = mp.Process(target=run, args=(workload, kind, depth, out))
        child.start()
        child.join(args.cap)
        if child.is_alive():
            child.terminate()
            child.join()
            stopped.add((workload, kind))
            row["stopped"] = True
        else:
            try:  # a child that died (an exception, out of memory) put nothing
                row.update(out.get(timeout=5))
            except queue.Empty:
                stopped.add((workload, kind))
                row["failed"] = True
        print(json.dumps(row), flush=True)


if __name__ == "__main__":
    main()
