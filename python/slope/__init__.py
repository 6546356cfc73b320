# SPDX-License-Identifier: MIT
"""slope: derivatives of piecewise functions, derived, explained and computed.

    >>> import slope
    >>> x = slope.var("x")
    >>> slope.diff(slope.relu(x), x)
    piecewise(x > 0: 1, otherwise: 0)

Expressions display as LaTeX in Jupyter, derivations (slope.explain) as Markdown and plots
(slope.plot) as SVG. slope.eval and slope.grad take NumPy arrays and run slope's batched tape
over every point in C++. At a kink the derivative follows a convention (slope.conventions):
min_norm by default, as PyTorch; docs/conventions.md explains them.
"""

import builtins as _builtins
import inspect as _inspect
import os as _os
import tempfile as _tempfile

from . import _slope
from ._slope import (  # noqa: F401  (re-exported)
    Compiled,
    Convention,
    Derivation,
    Error,
    Expr,
    GradientCheck,
    GradientEntry,
    KinkPoint,
    OneSided,
    ParseError,
    Step,
    UnboundVariableError,
    bounds,
    check_gradient,
    compile,
    constant,
    conventions,
    definition,
    describe,
    diff,
    emit,
    eq,
    eval,
    explain,
    grad,
    gradient,
    kink_notes,
    kinks,
    latex,
    logical_and,
    logical_not,
    logical_or,
    ne,
    one_sided,
    parse,
    piecewise,
    pow,
    pretty,
    simplify,
    subs,
    to_code,
    value_and_grad,
    var,
    vars,
    where,
)

__version__ = _slope.__version__


def _parameter(text):
    """'alpha = 0.01' -> inspect.Parameter('alpha', default=0.01)."""
    name, _, default = (part.strip() for part in text.partition("="))
    kind = _inspect.Parameter.POSITIONAL_OR_KEYWORD
    if not default:
        return _inspect.Parameter(name, kind)
    return _inspect.Parameter(name, kind, default=float(default))


def _op_function(name, params):
    signature = _inspect.Signature([_parameter(p) for p in params.split(",")])

    def function(*args, **kwargs):
        try:
            bound = signature.bind(*args, **kwargs)
        except TypeError as e:
            raise TypeError(f"{name}({params}): {e}") from None
        bound.apply_defaults()
        return _slope._apply(name, list(bound.arguments.values()))

    function.__name__ = function.__qualname__ = name
    function.__module__ = __name__
    function.__signature__ = signature
    function.__doc__ = (
        f"{name}({params}) as an expression; its arguments are expressions or numbers.\n\n"
        f"Differentiate it with slope.diff; docs/syntax.md lists every function."
    )
    return function


# One function per row of slope's op table (relu, leaky_relu, max, clamp, exp, ...): a row added
# in C++ is a function here, with its parameters and defaults as the table spells them.
_op_names = []
for _name, _params in _slope._functions():
    globals()[_name] = _op_function(_name, _params)
    _op_names.append(_name)
del _name, _params


def _from_text(text):
    """Unpickles an expression (Expr.__reduce__ stores its text, which parses back)."""
    return parse(text)


class SVG(str):
    """An SVG image as a string; Jupyter displays it, .save(path) writes it."""

    def _repr_svg_(self):
        return str(self)

    def save(self, path):
        """Writes the image to path atomically (a reader never sees half a file)."""
        directory = _os.path.dirname(_os.path.abspath(path))
        fd, tmp = _tempfile.mkstemp(dir=directory, prefix=".slope-", suffix=".svg")
        try:
            with _os.fdopen(fd, "w", encoding="utf-8") as out:
                out.write(self)
            _os.replace(tmp, path)
        except BaseException:
            _os.unlink(tmp)
            raise


def plot(f, x="x", *, xlim=(-2.0, 2.0), points=400, convention="min_norm", width=640,
         height=0, **others):
    """f (solid) and, in a panel below, its derivative (dashed), every kink marked; an SVG string.

    x is the variable on the horizontal axis, xlim its range; the other variables of f take
    the values given as keywords: slope.plot(slope.relu(w*x + b), w=2, b=1).
    In Jupyter the result displays as the image. height=0 picks 600 pixels (docs/cli.md#plot).
    """
    return SVG(_slope._plot_svg(f, x, xlim, points, convention, width, height, **others))


# `from slope import *` brings everything but the names that would hide Python's builtins
# (abs, max, min, pow, eval, compile, vars): call those as slope.max(...).
__all__ = [name for name in [
    "Compiled", "Convention", "Derivation", "Error", "Expr", "GradientCheck", "GradientEntry",
    "KinkPoint", "OneSided", "kinks", "one_sided",
    "ParseError", "SVG", "Step", "UnboundVariableError", "bounds", "check_gradient", "compile",
    "constant", "conventions", "definition", "describe", "diff", "emit", "eq", "eval",
    "explain", "grad", "gradient", "kink_notes", "latex", "logical_and", "logical_not",
    "logical_or", "ne", "parse", "piecewise", "plot", "pow", "pretty", "simplify", "subs",
    "to_code", "value_and_grad", "var", "vars", "where",
] + _op_names if not hasattr(_builtins, name)]
