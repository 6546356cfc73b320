# SPDX-License-Identifier: MIT
# The op table's functions (python/src/ops.cpp and their wrappers in slope/__init__.py),
# piecewise and where, and diff checked against SymPy away from kinks.
import builtins
import inspect
import random

import pytest

import slope


def test_every_function_the_parser_knows_is_a_python_function():
    x, y, z = slope.vars("x y z")
    names = [name for name, _ in slope._slope._functions()]
    assert {"relu", "leaky_relu", "max", "clamp", "exp", "heaviside"} <= set(names)
    for name, params in slope._slope._functions():
        f = getattr(slope, name)
        required = [p for p in inspect.signature(f).parameters.values()
                    if p.default is inspect.Parameter.empty]
        args = [x, y, z][: len(required)]
        text = f"{name}({', '.join(str(a) for a in args)})"
        assert f(*args) == slope.parse(text), text
        assert name in slope.__all__ or hasattr(builtins, name)


def test_defaults_and_keywords_come_from_the_op_table():
    x = slope.var("x")
    assert str(slope.leaky_relu(x)) == "leaky_relu(x, 0.01)"
    assert slope.leaky_relu(x, alpha=0.2) == slope.parse("leaky_relu(x, 0.2)")
    assert slope.hardtanh(x, hi=3) == slope.parse("hardtanh(x, -1, 3)")
    assert str(inspect.signature(slope.hardtanh)) == "(x, lo=-1.0, hi=1.0)"
    with pytest.raises(TypeError, match=r"leaky_relu\(x, alpha = 0.01\)"):
        slope.leaky_relu(x, beta=1)


def test_piecewise_and_where():
    x = slope.var("x")
    relu = slope.piecewise((x > 0, x), otherwise=0)
    assert relu == slope.parse("piecewise(x > 0: x, otherwise: 0)")
    two = slope.piecewise((x < -1, -1), (x < 1, x), otherwise=1)
    assert two == slope.parse("piecewise(x < -1: -1, x < 1: x, otherwise: 1)")
    assert slope.where(x > 0, x, 0) == relu
    with pytest.raises(TypeError, match="pair"):
        slope.piecewise(x > 0, otherwise=0)


def test_kinked_derivatives_under_each_convention():
    x = slope.var("x")
    d = {c: slope.eval(slope.diff(slope.leaky_relu(x, 0.1), x, convention=c), x=0.0)
         for c in ("min_norm", "left", "right", "average")}
    assert d == {"min_norm": 0.1, "left": 0.1, "right": 1.0, "average": 0.55}


def test_diff_agrees_with_sympy_away_from_kinks():
    sympy = pytest.importorskip("sympy")
    sx = sympy.Symbol("x", real=True)
    x = slope.var("x")
    cases = [  # slope expression, the same in SymPy
        (slope.relu(x ** 2 - 1) * slope.sin(x), sympy.Max(0, sx ** 2 - 1) * sympy.sin(sx)),
        (slope.leaky_relu(3 * x - 1, 0.2) ** 2, sympy.Piecewise((3 * sx - 1, 3 * sx - 1 > 0), (0.2 * (3 * sx - 1), True)) ** 2),
        (slope.softplus(x) * slope.tanh(x), sympy.log(1 + sympy.exp(sx)) * sympy.tanh(sx)),
        (slope.abs(x - 0.5) / (1 + x ** 2), sympy.Abs(sx - 0.5) / (1 + sx ** 2)),
        (slope.clamp(2 * x, -1, 1) + slope.sigmoid(x), sympy.Min(sympy.Max(2 * sx, -1), 1) + 1 / (1 + sympy.exp(-sx))),
        (slope.elu(x) * slope.exp(-x), sympy.Piecewise((sx, sx > 0), (sympy.exp(sx) - 1, True)) * sympy.exp(-sx)),
    ]
    rng = random.Random(17)
    for f, g in cases:
        df = slope.diff(f, x)
        dg = sympy.lambdify(sx, sympy.diff(g, sx), "math")
        for _ in range(20):
            v = rng.uniform(-3, 3)
            assert slope.eval(df, x=v) == pytest.approx(dg(v), rel=1e-12, abs=1e-12), (str(f), v)


def test_gradient_is_symbolic_and_per_variable():
    x, w, b = slope.vars("x w b")
    g = slope.gradient(slope.relu(w * x + b), convention="right")
    assert list(g) == ["w", "x", "b"]
    assert g["x"] == slope.diff(slope.relu(w * x + b), x, convention="right")


def test_definition_expands_an_activation():
    x = slope.var("x")
    assert slope.definition(slope.relu(x)) == slope.max(0, x)
