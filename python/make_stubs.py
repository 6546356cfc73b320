# SPDX-License-Identifier: MIT
"""Writes slope's type stubs: the template with one stub per function of the op table.

Usage: make_stubs.py TEMPLATE OUTPUT (with the built package importable). The op functions are
read from the module, so the stubs list exactly the functions the op table has.
"""
import os
import sys
import tempfile

sys.path.pop(0)  # this script's folder holds the package's sources, not the built package
import slope  # noqa: E402


def stub(name, params):
    parts = []
    for p in params.split(","):
        pname, _, default = (s.strip() for s in p.partition("="))
        parts.append(f"{pname}: ExprLike" + (f" = {float(default)!r}" if default else ""))
    return f"def {name}({', '.join(parts)}) -> Expr:\n    \"\"\"{name}({params}).\"\"\"\n"


def main(template, output):
    with open(template, encoding="utf-8") as f:
        text = f.read()
    ops = "\n".join(stub(n, p) for n, p in slope._slope._functions())
    text = text.replace("# @OP_FUNCTIONS@\n", ops)
    fd, tmp = tempfile.mkstemp(dir=os.path.dirname(os.path.abspath(output)))
    with os.fdopen(fd, "w", encoding="utf-8") as out:
        out.write(text)
    os.replace(tmp, output)


if __name__ == "__main__":
    main(*sys.argv[1:])
