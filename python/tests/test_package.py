# SPDX-License-Identifier: MIT
# The pure-Python half (python/slope/__init__.py) and the generated type stubs.
import ast
import builtins
import os

import slope


def test_star_import_never_hides_a_builtin():
    names = set(slope.__all__)
    assert {"relu", "diff", "grad", "plot", "Expr"} <= names
    assert not names & set(dir(builtins))
    namespace = {}
    exec("from slope import *", namespace)
    assert "relu" in namespace and "max" not in namespace


def test_stubs_declare_every_public_name_with_the_op_table_signatures():
    stub = os.path.join(os.path.dirname(slope.__file__), "__init__.pyi")
    tree = ast.parse(open(stub, encoding="utf-8").read())
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
    major, minor, patch = (int(p) for p in slope.__version__.split("."))
    assert (major, minor, patch) >= (0, 1, 0)
