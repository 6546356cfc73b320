# SPDX-License-Identifier: MIT
"""Checks slope's PyTorch bridge (emit --lang torch) against PyTorch itself.

Usage: codegen_torch_check.py FOLDER. FOLDER holds <name>.py files emitted under min_norm:
relu, leaky_relu, elu, hardtanh, relu6 (f of x alone), and g0.py ... (smooth away from kinks,
for gradcheck), prelu.py (prelu(x, a)), batch.py (in x, w, b). Prints every failure and exits 1
if there is one.
"""
import sys

import torch

folder = sys.argv[1]
F = torch.nn.functional
failures = []


def load(name):
    ns = {}
    path = f"{folder}/{name}.py"
    exec(compile(open(path).read(), path, "exec"), ns)
    return ns


def check(ok, message):
    if not ok:
        failures.append(message)


# 1. The built-in activations: values and gradients equal torch's own, at their kinks too, in
#    float32 and float64 (min_norm is PyTorch's rule for these five).
builtins = {
    "relu": (torch.relu, [-1.0, 0.0, 2.0]),
    "leaky_relu": (lambda x: F.leaky_relu(x, 0.01), [-1.0, 0.0, 2.0]),
    "elu": (lambda x: F.elu(x, 0.5), [-1.0, 0.0, 2.0]),
    "hardtanh": (F.hardtanh, [-2.0, -1.0, 0.0, 1.0, 2.0]),
    "relu6": (F.relu6, [-1.0, 0.0, 3.0, 6.0, 7.0]),
}
for name, (torch_fn, points) in builtins.items():
    ns = load(name)
    for dtype in (torch.float32, torch.float64):
        ours = torch.tensor(points, dtype=dtype, requires_grad=True)
        theirs = torch.tensor(points, dtype=dtype, requires_grad=True)
        y_ours, y_theirs = ns["f"](ours), torch_fn(theirs)
        y_ours.sum().backward()
        y_theirs.sum().backward()
        check(y_ours.dtype == dtype, f"{name}: {dtype} in, {y_ours.dtype} out")
        check(torch.allclose(y_ours, y_theirs), f"{name} {dtype}: f {y_ours} vs torch {y_theirs}")
        check(torch.equal(ours.grad, theirs.grad),
              f"{name} {dtype}: gradient {ours.grad.tolist()} vs torch {theirs.grad.tolist()} at {points}")

# 2. gradcheck away from kinks (random float64 points; kinks have measure zero).
torch.manual_seed(7)
for k in range(4):
    ns = load(f"g{k}")
    names = ns["f"].__code__.co_varnames[: ns["f"].__code__.co_argcount]
    inputs = tuple(torch.randn(6, dtype=torch.float64, requires_grad=True) for _ in names)
    try:
        ok = torch.autograd.gradcheck(ns["f"], inputs, eps=1e-6, atol=1e-5)
    except RuntimeError as error:
        ok = False
        print(error)
    check(ok, f"g{k}: gradcheck failed")

# 2b. float32: the same functions on float32 tensors give float32 values and gradients, equal to
#     the float64 ones to float32's precision (away from kinks, where rounding cannot switch a
#     branch).
for k in range(4):
    ns = load(f"g{k}")
    names = ns["f"].__code__.co_varnames[: ns["f"].__code__.co_argcount]
    wide = [torch.randn(3, 5, dtype=torch.float64, requires_grad=True) for _ in names]
    narrow = [w.detach().float().requires_grad_() for w in wide]
    y64, y32 = ns["f"](*wide), ns["f"](*narrow)
    y64.sum().backward()
    y32.sum().backward()
    check(y32.dtype == torch.float32 and all(n.grad.dtype == torch.float32 for n in narrow),
          f"g{k}: float32 in, {y32.dtype} out")
    check(torch.allclose(y32.double(), y64, rtol=1e-4, atol=1e-5), f"g{k}: float32 values")
    for n, w in zip(narrow, wide):
        check(torch.allclose(n.grad.double(), w.grad, rtol=1e-4, atol=1e-5),
              f"g{k}: float32 gradient {n.grad.tolist()} vs float64 {w.grad.tolist()}")

# 3. Batches of any shape with broadcast parameters: gradients summed to each input's shape,
#    equal to the summed partials; float32 stays float32.
ns = load("batch")  # f(x, w, b)
x = torch.randn(2, 3, 4, dtype=torch.float64, requires_grad=True)
w = torch.randn(4, dtype=torch.float64, requires_grad=True)
b = torch.tensor(0.3, dtype=torch.float64, requires_grad=True)
y = ns["f"](x, w, b)
check(y.shape == (2, 3, 4), f"batch: output shape {tuple(y.shape)}")
y.backward(torch.ones_like(y))
dx, dw, db = ns["f_gradient"](x.detach(), w.detach(), b.detach())
check(torch.allclose(x.grad, dx), "batch: d/dx")
check(w.grad.shape == (4,) and torch.allclose(w.grad, dw.sum(dim=(0, 1))), "batch: d/dw summed")
check(b.grad.shape == () and torch.allclose(b.grad, db.sum()), "batch: d/db summed")
x32 = torch.randn(5, 7, dtype=torch.float32)
check(ns["f"](x32, w.detach().float()[:1], 0.5).dtype == torch.float32, "batch: float32 kept")

# 4. The nn.Module: prelu(x, a) with a learnable; one optimiser step moves a as its gradient says.
ns = load("prelu")
layer = ns["FModule"](a=0.25)
check([n for n, _ in layer.named_parameters()] == ["a"], "prelu: parameters")
data = torch.tensor([-2.0, -1.0, 0.5, 3.0])
loss = layer(data.to(torch.get_default_dtype())).sum()
loss.backward()
check(abs(layer.a.grad.item() - (-3.0)) < 1e-6, f"prelu: d/da = {layer.a.grad.item()}, want -3")
opt = torch.optim.SGD(layer.parameters(), lr=0.1)
opt.step()
check(abs(layer.a.item() - 0.55) < 1e-6, f"prelu: a after a step = {layer.a.item()}")

# 5. On a GPU when there is one.
if torch.cuda.is_available():
    g = torch.randn(3, device="cuda", requires_grad=True)
    out = load("relu")["f"](g)
    out.sum().backward()
    check(out.device.type == "cuda" and g.grad.device.type == "cuda", "cuda: device kept")
else:
    print("no CUDA device: the GPU case is not run")

for f in failures:
    print("FAIL:", f)
sys.exit(1 if failures else 0)
