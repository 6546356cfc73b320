#!/usr/bin/python3
# SPDX-License-Identifier: MIT
"""SymPy's derivatives of the one-variable corpus, for tests/symbolic/sympy_corpus_test.cpp.

Regenerate (Debian's python3 with python3-sympy, not the pyenv one first on PATH):

    /usr/bin/python3 tests/symbolic/sympy_corpus.py > tests/symbolic/sympy_corpus.json

Each expression is written once, in slope's syntax (docs/syntax.md), and read by SymPy with the
activations defined below, so both sides differentiate the same text. SymPy's answer is
`simplify(piecewise_fold(diff(f)))` with Max/Min/Abs/Heaviside/sign first rewritten as Piecewise
(otherwise SymPy answers relu' with Heaviside(x), which counts no branches at all). For each
entry the JSON stores the slope text, SymPy's derivative (as text, for reading), the number of
its Piecewise pieces (1 when it is not a Piecewise), the number of intervals of x those pieces
cover (a piece with an Or condition covers several), and its values at 200 points of [-5, 5]
placed off every kink of the corpus (an offset grid: -4.975, -4.925, ..., 4.975, shifted by
0.0013 so that no point is a multiple of 1/4 or 1/3 either).
"""

import json
import sys

from sympy import (Abs, Float, FiniteSet, Heaviside, Interval, Max, Min, Piecewise, Rational,
                   Symbol, Union, exp, log, oo, sign, simplify, sqrt, tanh, piecewise_fold,
                   sympify)

x = Symbol("x", real=True)


def relu(u):
    return Max(0, u)


def leaky_relu(u, alpha=Rational(1, 100)):
    return Piecewise((u, u > 0), (alpha * u, True))


def elu(u, alpha=1):
    return Piecewise((u, u > 0), (alpha * (exp(u) - 1), True))


def clamp(u, lo, hi):
    return Min(Max(u, lo), hi)


def hardtanh(u, lo=-1, hi=1):
    return clamp(u, lo, hi)


def relu6(u):
    return clamp(u, 0, 6)


def where(c, a, b):
    return Piecewise((a, c), (b, True))


def sigmoid(u):
    return 1 / (1 + exp(-u))


def softplus(u):
    return log(1 + exp(u))


NAMES = {
    "x": x, "relu": relu, "leaky_relu": leaky_relu, "elu": elu, "clamp": clamp,
    "hardtanh": hardtanh, "relu6": relu6, "where": where, "sigmoid": sigmoid,
    "softplus": softplus, "abs": Abs, "max": Max, "min": Min, "heaviside": Heaviside,
    "sign": sign, "exp": exp, "log": log, "tanh": tanh, "sqrt": sqrt,
}

CORPUS = [
    # activations
    "relu(x)",
    "leaky_relu(x)",
    "leaky_relu(x, 0.2)",
    "elu(x)",
    "hardtanh(x)",
    "hardtanh(x, -2, 3)",
    "relu6(x)",
    "abs(x)",
    "clamp(x, -1, 2)",
    "clamp(2*x + 1, 0, 3)",
    "max(x, 0.5*x)",
    "min(x, 0)",
    "max(x, 2 - x)",
    "max(abs(x), 1)",
    # sums of abs and of activations
    "abs(x - 1) + abs(x + 1)",
    "abs(x) + abs(x - 2) + abs(x + 3)",
    "abs(2*x - 1) + abs(x)",
    "abs(abs(x) - 1)",
    "relu(x) + relu(-x)",
    "hardtanh(x) + relu6(x)",
    "relu(x - 1) + relu(x - 2) + relu(x - 3)",
    "relu(x) - relu(x - 1)",
    "relu(x) - 2*relu(x - 1) + relu(x - 2)",
    "min(max(x, -1), 1) + x",
    # hinge losses
    "max(0, 1 - x)",
    "max(0, 1 - 2*x)",
    "max(0, 1 - x)^2",
    "max(0, 1 + x) + max(0, 1 - x)",
    "max(0, 0.5 - x) + 0.1*x^2",
    # clamps and staircases
    "clamp(x, 0, 1) + clamp(x - 2, 0, 1) + clamp(x - 4, 0, 1)",
    "where(x > -2, 1, 0) + where(x > 0, 1, 0) + where(x > 2, 1, 0)",
    "heaviside(x) + heaviside(x - 1) + heaviside(x - 2)",
    "where(x > 0, x, 0) + where(x > 1, x, 0) + where(x > 2, x, 0)",
    "where(x < 0, x^2, x)",
    "where(x < -1, -1, where(x < 1, x^3, 1))",
    # nested leaky_relu
    "leaky_relu(leaky_relu(x, 0.1), 0.1)",
    "leaky_relu(leaky_relu(leaky_relu(x, 0.1), 0.1), 0.1)",
    "leaky_relu(leaky_relu(x - 1, 0.2), 0.3)",
    "leaky_relu(leaky_relu(x, 0.5) - 1, 0.1)",
    "leaky_relu(leaky_relu(leaky_relu(x, 0.2) + 1, 0.3) - 2, 0.5)",
    # products and compositions
    "x*relu(x)",
    "relu(x)^2",
    "relu(x)^3",
    "x*abs(x)",
    "abs(x)*abs(x - 1)",
    "relu(x)*relu(1 - x)",
    "abs(relu(x))",
    "relu(x^2 - 1)",
    "relu(x^2)",
    "relu(exp(x))",
    "relu(tanh(x))",
    "sigmoid(relu(x))",
    "abs(x)/(1 + x^2)",
    "sign(x)*x^2",
]

# Off every kink: the kinks of the corpus are multiples of 1/2 (and none at the shifted points).
POINTS = [round(-5 + (i + 0.5) * 0.05 + 0.0013, 6) for i in range(200)]

ROUGH = (Max, Min, Abs, Heaviside, sign)


def branches(d):
    return len(d.args) if isinstance(d, Piecewise) else 1


def intervals(d):
    """The pieces of d as intervals of x left to right: a piece whose condition joins
    non-adjacent intervals with Or counts once per interval, a point once, and touching
    intervals with the same expression count once."""
    if not isinstance(d, Piecewise):
        return 1
    parts = []
    for expr, where in d.as_expr_set_pairs(Interval(-oo, oo)):
        for part in where.args if isinstance(where, Union) else [where]:
            if isinstance(part, FiniteSet):
                parts += [(p, p, expr) for p in part.args]
            elif not part.is_empty:
                parts.append((part.inf, part.sup, expr))
    parts.sort(key=lambda t: (t[0], t[1]))
    merged = []
    for lo, hi, expr in parts:
        if merged and merged[-1][2] == expr and merged[-1][1] == lo:
            merged[-1] = (merged[-1][0], hi, expr)
        else:
            merged.append((lo, hi, expr))
    return len(merged)


def entry(text):
    f = sympify(text, locals=NAMES, convert_xor=True, rational=True)
    f = f.rewrite(Piecewise)
    d = simplify(piecewise_fold(f.diff(x)))
    d = piecewise_fold(d.rewrite(Piecewise))
    if any(d.has(r) for r in ROUGH) or (not isinstance(d, Piecewise) and d.has(Piecewise)):
        sys.exit(f"{text}: SymPy's derivative {d} is not one Piecewise; its branches are unclear")
    values = [float(d.subs(x, Rational(str(p)))) for p in POINTS]
    return {"slope": text, "sympy": str(d), "sympy_branches": branches(d),
            "sympy_intervals": intervals(d), "values": values}


def main():
    entries = [entry(text) for text in CORPUS]
    json.dump({"points": POINTS, "entries": entries}, sys.stdout, indent=1)
    sys.stdout.write("\n")


if __name__ == "__main__":
    main()
