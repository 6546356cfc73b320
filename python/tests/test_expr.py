# SPDX-License-Identifier: MIT
# slope.Expr (python/src/expr.cpp): operators, printing, substitution, identity, pickling.
import math
import pickle

import pytest

import slope


def test_operators_build_the_same_expressions_as_parsing(xwb):
    x, w, b = xwb
    cases = [
        (w * x + b, "w*x + b"),
        (x - 1, "x - 1"),
        (1 - x, "1 - x"),
        (2 * x, "2*x"),
        (x / w, "x/w"),
        (1 / x, "1/x"),
        (x ** 2, "x^2"),
        (2 ** x, "2^x"),
        (-x, "-x"),
        (+x, "x"),
        (abs(x), "abs(x)"),
        (x > 0, "x > 0"),
        (x <= w, "x <= w"),
        ((x > 0) & (w < 1), "x > 0 and w < 1"),
        ((x > 0) | (w < 1), "x > 0 or w < 1"),
        (~(x > 0), "not x > 0"),
    ]
    for built, text in cases:
        assert built == slope.parse(text), text
        assert str(built) == text


def test_numpy_scalars_on_the_left_defer_to_expr(xwb):
    np = pytest.importorskip("numpy")
    x, _, _ = xwb
    assert np.float64(2) * x == 2 * x
    assert np.float64(1) - x == 1 - x


def test_equality_is_structural_and_expressions_key_dicts(xwb):
    x, w, _ = xwb
    assert slope.relu(x) == slope.parse("relu(x)")
    assert slope.relu(x) != slope.relu(w)
    table = {slope.relu(x): 1}
    assert table[slope.parse("relu(x)")] == 1
    assert (x == 1) is False  # == compares expressions; slope.eq builds the condition
    assert str(slope.eq(x, 1)) == "x == 1"


def test_conditions_have_no_truth_value(xwb):
    x, _, _ = xwb
    with pytest.raises(TypeError, match="truth value of x > 0"):
        if x > 0:
            pass


def test_attributes_expose_the_graph(xwb):
    x, w, b = xwb
    f = slope.relu(w * x + b)
    assert f.op == "relu"
    assert f.args == (w * x + b,)
    assert f.variables == ("w", "x", "b")
    assert x.name == "x" and f.name is None
    assert slope.constant(2.5).value == 2.5 and x.value is None
    assert float(slope.constant(2.5)) == 2.5
    with pytest.raises(TypeError, match="not a number"):
        float(x)


def test_subs_replaces_variables_by_numbers_and_expressions(xwb):
    x, w, b = xwb
    f = slope.relu(w * x + b)
    assert f.subs(x=0) == slope.relu(b)
    assert f.subs({w: 1, "b": x}) == slope.relu(2 * x)
    assert slope.subs(f, {x: w}) == slope.relu(w ** 2 + b)
    with pytest.raises(TypeError, match="given twice"):
        f.subs({"x": 1}, x=2)


def test_printers(xwb):
    x, _, _ = xwb
    d = slope.diff(slope.relu(x), x)
    assert d.text() == "piecewise(x > 0: 1, otherwise: 0)"
    assert d.pretty() == "⎧ 1  if x > 0\n⎩ 0  otherwise"
    assert d.pretty(ascii=True).isascii()
    assert "\\begin{cases}" in d.latex()
    assert d._repr_latex_() == "$\\displaystyle " + d.latex() + "$"
    assert slope.latex(d) == d.latex() and slope.pretty(d) == d.pretty()
    assert d.dot().startswith("digraph")


def test_pickle_round_trips(xwb):
    x, w, b = xwb
    f = slope.leaky_relu(w * x + b, 0.2) / 3
    assert pickle.loads(pickle.dumps(f)) == f


def test_vars_splits_on_spaces_and_commas():
    assert slope.vars("a, b c") == (slope.var("a"), slope.var("b"), slope.var("c"))


def test_conventions_by_name_or_enum(xwb):
    x, _, _ = xwb
    assert slope.conventions == ("min_norm", "left", "right", "average", "undefined")
    by_name = slope.diff(slope.relu(x), x, convention="right")
    assert by_name == slope.diff(slope.relu(x), x, convention=slope.Convention.right)
    with pytest.raises(ValueError, match="unknown convention 'lft'"):
        slope.diff(slope.relu(x), x, convention="lft")
    with pytest.raises(TypeError, match="convention must be"):
        slope.diff(slope.relu(x), x, convention=3)


def test_simplify_and_bounds(xwb):
    x, _, _ = xwb
    u = slope.relu(x)
    assert slope.simplify(slope.relu(2 * u + 1)) == 2 * u + 1
    assert slope.bounds(slope.sigmoid(x)) == (0.0, 1.0)
    assert slope.bounds(u) == (0.0, math.inf)
