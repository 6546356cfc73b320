# SPDX-License-Identifier: MIT
# The pure-Python half (python/slope/__init__.py) and the generated type stubs.
import ast
import builtins
import inspect
import os
import re

import slope

STUB = os.path.join(os.path.dirname(slope.__file__), "__init__.pyi")


def test_star_import_never_hides_a_builtin():
    names = set(slope.__all__)
    assert {"relu", "diff", "grad", "plot", "Expr"} <= names
    assert not names & set(dir(builtins))
    namespace = {}
    exec("from slope import *", namespace)
    assert "relu" in namespace and "max" not in namespace


def test_stubs_declare_every_public_name_with_the_op_table_signatures():
    tree = ast.parse(open(STUB, encoding="utf-8").read())
    declared = {node.name for node in tree.body
                if isinstance(node, (ast.FunctionDef, ast.ClassDef))}
    declared |= {node.target.id for node in tree.body if isinstance(node, ast.AnnAssign)}
    public = {n for n in dir(slope) if not n.startswith("_")} - {"annotations"}
    assert public - declared == set()
    hardtanh = next(n for n in tree.body if isinstance(n, ast.FunctionDef) and n.name == "hardtanh")
    assert [a.arg for a in hardtanh.args.args] == ["x", "lo", "hi"]
    assert os.path.exists(os.path.join(os.path.dirname(slope.__file__), "py.typed"))


def test_every_public_function_has_a_docstring():
    for name in dir(slope):
        obj = getattr(slope, name)
        if not name.startswith("_") and callable(obj):
            assert obj.__doc__ and len(obj.__doc__.strip()) > 10, name


def test_version_is_the_projects():
    """Defined once, in CMakeLists.txt's project(VERSION): the module reports the same."""
    source = os.environ.get("SLOPE_SOURCE_DIR", os.path.join(os.path.dirname(__file__), "..", ".."))
    cmake = open(os.path.join(source, "CMakeLists.txt"), encoding="utf-8").read()
    declared = re.search(r"project\(slope VERSION (\d+\.\d+\.\d+)", cmake).group(1)
    assert slope.__version__ == declared
    assert slope._slope.__version__ == declared


def _parameters(args):
    """[(name, kind, default)] of an ast.arguments; *args and **kwargs by kind only (their names
    are no part of a call)."""
    positional = args.posonlyargs + args.args
    defaults = [None] * (len(positional) - len(args.defaults)) + list(args.defaults)
    out = [(p.arg, "positional", d and ast.literal_eval(d)) for p, d in zip(positional, defaults)]
    if args.vararg:
        out.append(("*", "var_positional", None))
    out += [(p.arg, "keyword_only", d and ast.literal_eval(d)) for p, d in zip(args.kwonlyargs, args.kw_defaults)]
    if args.kwarg:
        out.append(("**", "var_keyword", None))
    return [p for p in out if p[0] != "self"]


def _runtime_parameters(function):
    """The same from the running module: inspect for Python functions, and for compiled ones the
    signature pybind11 writes as the first line of the docstring."""
    try:
        parameters = inspect.signature(function).parameters.values()
    except (TypeError, ValueError):
        line = function.__doc__.splitlines()[0]
        line = line[: line.rindex(" -> ")] if " -> " in line else line
        tree = ast.parse(f"def f({line[line.index('(') + 1:-1]}): pass")
        return _parameters(tree.body[0].args)
    kinds = {"POSITIONAL_OR_KEYWORD": "positional", "VAR_POSITIONAL": "var_positional",
             "KEYWORD_ONLY": "keyword_only", "VAR_KEYWORD": "var_keyword"}
    return [({"var_positional": "*", "var_keyword": "**"}.get(kinds[p.kind.name], p.name),
             kinds[p.kind.name], None if p.default is p.empty else p.default)
            for p in parameters if p.name != "self"]


def test_stub_signatures_match_the_module():
    """Every function and method the stubs declare takes the parameters the module does: the
    same names, order, kinds and defaults (as a type checker reading the stubs would assume)."""
    checked = []
    for node in ast.parse(open(STUB, encoding="utf-8").read()).body:
        if isinstance(node, ast.FunctionDef):
            pairs = [(node.name, node, getattr(slope, node.name))]
        elif isinstance(node, ast.ClassDef):
            cls = getattr(slope, node.name)
            pairs = [(f"{node.name}.{m.name}", m, getattr(cls, m.name)) for m in node.body
                     if isinstance(m, ast.FunctionDef)
                     and not any(getattr(d, "id", "") == "property" for d in m.decorator_list)
                     and (not m.name.startswith("__") or m.name in ("__init__", "__call__"))]
        else:
            continue
        for name, stub, function in pairs:
            assert _parameters(stub.args) == _runtime_parameters(function), name
            checked.append(name)
    assert {"diff", "grad", "plot", "kinks", "relu", "hardtanh", "Expr.subs", "Compiled.grad",
            "OneSided.whole", "SVG.save"} <= set(checked)
