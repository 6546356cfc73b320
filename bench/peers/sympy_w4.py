#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""W4 deep chains in SymPy, for scale next to bench_symbolic_diff's W4 rows (docs/performance.md).

The same five chains as tests/support/w4_chains.hpp (c_i = (-1)^i * i / 100), differentiated in x
and printed with str(); each depth runs in a child process stopped after --cap seconds, and a
chain's larger depths are skipped once one is stopped.

Usage: python3 bench/peers/sympy_w4.py [--cap SECONDS] [--depths 10,100,1000]
"""
import argparse
import multiprocessing as mp
import time


def chain(kind, depth):
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


def run(kind, depth, out):
    start = time.perf_counter()
    x, f = chain(kind, depth)
    text = str(f.diff(x))
    out.put((time.perf_counter() - start, len(text)))


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--cap", type=float, default=60)
    parser.add_argument("--depths", default="10,100,1000")
    args = parser.parse_args()
    import sympy
    print(f"SymPy {sympy.__version__}: build the chain, diff in x, str(); cap {args.cap:g} s")
    for kind in ("leaky", "elu", "abs", "hardtanh", "max"):
        for depth in (int(d) for d in args.depths.split(",")):
            out = mp.Queue()
            child = mp.Process(target=run, args=(kind, depth, out))
            child.start()
            child.join(args.cap)
            if child.is_alive():
                child.terminate()
                print(f"{kind:9} {depth:6}  over {args.cap:g} s (stopped)")
                break
            seconds, length = out.get()
            print(f"{kind:9} {depth:6}  {seconds * 1000:10.1f} ms  {length:>10} chars")


if __name__ == "__main__":
    main()
