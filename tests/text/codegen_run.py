# SPDX-License-Identifier: MIT
"""Runs code that `slope emit` wrote, as its users would, and prints what it computes.

Usage: codegen_run.py LANG FOLDER, LANG one of python, numpy, torch. FOLDER holds e<i>.py (the
emitted file of expression i), vars.txt ("i name name ..." per expression) and points.txt
("i j x y" per point, floats in hex). Prints "i j f df/dx df/dy" per point (hex; a partial in a
variable f does not use is 0), or "i ERROR message" when expression i fails a check.
NumPy: all points of an expression in one call, under warnings-as-errors, the result checked to
be float64 of the input's shape. PyTorch: the values come from the autograd.Function's forward
and the partials from its backward (grad_output = 1), on float64 batches.
"""
import sys
import warnings

lang, folder = sys.argv[1], sys.argv[2]
if lang == "numpy":
    import numpy as np
if lang == "torch":
    import torch

variables = {}
for line in open(f"{folder}/vars.txt"):
    i, *names = line.split()
    variables[int(i)] = names
points = {}
for line in open(f"{folder}/points.txt"):
    i, j, x, y = line.split()
    points.setdefault(int(i), []).append((int(j), float.fromhex(x), float.fromhex(y)))


def hexes(values):
    return " ".join(float(v).hex() for v in values)


def run_python(ns, names, pts):
    for j, x, y in pts:
        args = [x if n == "x" else y for n in names]
        row = [ns["f"](*args)]
        for v in ("x", "y"):
            row.append(ns["df_d" + v](*args) if v in names else 0.0)
        if not all(isinstance(r, float) for r in row):
            raise TypeError(f"returned {[type(r).__name__ for r in row]}, not float")
        yield j, row


def run_numpy(ns, names, pts):
    xs = np.array([p[1] for p in pts]).reshape(len(pts), 1)
    ys = np.array([p[2] for p in pts]).reshape(len(pts), 1)
    args = [xs if n == "x" else ys for n in names]
    shape = xs.shape if names else ()  # a constant f of no inputs gives one number
    columns = []
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        for fn in ["f"] + ["df_d" + v for v in ("x", "y")]:
            if fn != "f" and fn[-1] not in names:
                columns.append(np.zeros(shape))
                continue
            out = ns[fn](*args)
            if not (isinstance(out, np.ndarray) and out.shape == shape and out.dtype == np.float64):
                raise TypeError(f"{fn} returned {type(out).__name__} {getattr(out, 'shape', '')}"
                                f" {getattr(out, 'dtype', '')}, not float64 of shape {shape}")
            columns.append(out)
        if names:  # a scalar call gives a 0-d result
            scalar = ns["f"](*[float(a[0, 0]) for a in args])
            if np.shape(scalar) != ():
                raise TypeError(f"f of scalars has shape {np.shape(scalar)}")
    for k, (j, _, _) in enumerate(pts):
        yield j, [c[k, 0] if names else c for c in columns]


def run_torch(ns, names, pts):
    xs = torch.tensor([p[1] for p in pts], dtype=torch.float64).reshape(len(pts), 1)
    ys = torch.tensor([p[2] for p in pts], dtype=torch.float64).reshape(len(pts), 1)
    inputs = [(xs if n == "x" else ys).clone().requires_grad_() for n in names]
    value = ns["f"](*inputs)
    value.backward(torch.ones_like(value))
    grads = {n: i.grad for n, i in zip(names, inputs)}
    if value.dtype != torch.float64 or value.shape != xs.shape:
        raise TypeError(f"f returned {value.dtype} {tuple(value.shape)}")
    direct = ns["f_gradient"](*[i.detach() for i in inputs])
    for n, d in zip(names, direct):  # the backward is grad_output * f_gradient
        if not torch.equal(torch.nan_to_num(d, 7.0), torch.nan_to_num(grads[n], 7.0)):
            raise ValueError(f"backward and f_gradient differ in d/d{n}")
    for k, (j, _, _) in enumerate(pts):
        row = [value[k, 0].item()]
        for v in ("x", "y"):
            row.append(grads[v][k, 0].item() if v in names else 0.0)
        yield j, row


run = {"python": run_python, "numpy": run_numpy, "torch": run_torch}[lang]
out = []
for i, names in sorted(variables.items()):
    try:
        ns = {}
        path = f"{folder}/e{i}.py"
        exec(compile(open(path).read(), path, "exec"), ns)
        for j, row in run(ns, names, points.get(i, [])):
            out.append(f"{i} {j} {hexes(row)}")
    except Exception as error:  # reported per expression, with its message
        message = f"{type(error).__name__}: {error}".replace("\n", " ")
        out.append(f"{i} ERROR {message}")
print("\n".join(out))
