# SPDX-License-Identifier: MIT
# Values and gradients over NumPy arrays (python/src/arrays.cpp), checked against NumPy's own
# formulas, PyTorch's autograd, slope's scalar path point by point, and across chunk boundaries.
import threading

import numpy as np
import pytest

import slope


def test_relu_over_an_array_equals_numpy(xwb):
    x, w, b = xwb
    xs = np.linspace(-3, 3, 1001)
    assert np.array_equal(slope.eval(slope.relu(x), x=xs), np.maximum(xs, 0))
    grad = slope.grad(slope.relu(x), x=xs)["x"]
    assert np.array_equal(grad, np.where(xs > 0, 1.0, 0.0))
    assert slope.grad(slope.relu(x), x=xs, convention="right")["x"][500] == 1.0  # xs[500] = 0


def test_scalars_broadcast_and_span_many_chunks(xwb):
    x, w, b = xwb
    n = 200_003  # more than three chunks of 65,536, the last one short
    xs = np.random.default_rng(1).normal(size=n)
    f = slope.leaky_relu(w * x + b, 0.1)
    value, grad = slope.value_and_grad(f, x=xs, w=2.0, b=-0.5)
    z = 2.0 * xs - 0.5
    assert np.array_equal(value, np.where(z > 0, z, 0.1 * z))
    slope_z = np.where(z > 0, 1.0, 0.1)
    assert np.array_equal(grad["x"], 2.0 * slope_z)
    assert np.array_equal(grad["w"], xs * slope_z)
    assert np.array_equal(grad["b"], slope_z)
    assert list(grad) == ["x", "w", "b"]


def test_array_path_matches_the_scalar_path_point_by_point(xwb):
    x, w, b = xwb
    f = slope.softplus(w * x) * slope.clamp(x + b, -1, 1) + slope.abs(x) ** 1.5
    rng = np.random.default_rng(2)
    xs, ws, bs = rng.normal(size=(3, 50))
    values = slope.eval(f, x=xs, w=ws, b=bs)
    grads = slope.grad(f, x=xs, w=ws, b=bs, convention="average")
    for i in range(50):
        at = dict(x=xs[i], w=ws[i], b=bs[i])
        assert values[i] == slope.eval(f, **at)
        g = slope.grad(f, **at, convention="average")
        assert all(grads[k][i] == g[k] for k in "xwb")


def test_numpy_broadcasting_rules(xwb):
    x, w, b = xwb
    xs = np.arange(4.0)
    ws = np.array([[1.0], [-1.0]])
    out = slope.eval(slope.relu(w * x), x=xs, w=ws)
    assert out.shape == (2, 4)
    assert np.array_equal(out, np.maximum(ws * xs, 0))
    with pytest.raises(ValueError, match=r"cannot be broadcast together: x \(4,\), w \(3,\)"):
        slope.eval(w * x, x=xs, w=np.ones(3))


def test_inputs_of_any_layout_and_type(xwb):
    x, _, _ = xwb
    grid = np.arange(12.0).reshape(3, 4)
    assert np.array_equal(slope.eval(x * 2, x=grid[:, ::2]), grid[:, ::2] * 2)
    assert np.array_equal(slope.eval(x * 2, x=grid.T), grid.T * 2)
    assert np.array_equal(slope.eval(x + 1, x=[1, 2, 3]), [2.0, 3.0, 4.0])
    assert slope.eval(x + 1, x=np.arange(3, dtype=np.int32)).dtype == np.float64
    zero_d = slope.eval(x + 1, x=np.array(2.0))
    assert isinstance(zero_d, np.ndarray) and zero_d.shape == () and zero_d == 3.0
    assert slope.eval(x + 1, x=np.zeros(0)).shape == (0,)
    assert type(slope.eval(x + 1, x=np.float32(2))) is float
    with pytest.raises(TypeError, match="neither a number nor an array"):
        slope.eval(x, x="one")
    with pytest.raises(TypeError, match="is the expression"):
        slope.eval(x, x=slope.var("y"))
    # a value has no convention; the keyword is refused, not taken for a variable
    with pytest.raises(TypeError, match="slope.eval takes no convention"):
        slope.eval(slope.relu(x), x=0.0, convention="left")


def test_ieee_values_propagate(xwb):
    x, _, _ = xwb
    out = slope.eval(slope.log(x), x=np.array([0.0, -1.0, np.e, np.nan]))
    assert out[0] == -np.inf and np.isnan(out[1]) and out[2] == pytest.approx(1) and np.isnan(out[3])


def test_constants_and_unused_bindings(xwb):
    x, w, _ = xwb
    assert np.array_equal(slope.eval(slope.constant(3), x=np.arange(3.0)), [3.0, 3.0, 3.0])
    grad = slope.grad(slope.relu(x), x=np.arange(-1.0, 2.0), w=np.ones(3))
    assert np.array_equal(grad["w"], np.zeros(3))  # f does not depend on w
    assert slope.grad(slope.relu(x) - slope.relu(x), x=2.0) == {"x": 0.0}
    with pytest.raises(slope.UnboundVariableError):
        slope.eval(slope.relu(w * x), x=np.arange(3.0))


def test_compiled_function_positional_keyword_and_threads(xwb):
    x, w, b = xwb
    fn = slope.compile(slope.relu(w * x + b), inputs=[x, "w", b], convention="left")
    assert fn.inputs == ("x", "w", "b") and fn.convention == slope.Convention.left
    assert fn(1.0, 2.0, -1.0) == 1.0
    assert fn(1.0, b=-1.0, w=2.0) == 1.0
    assert fn.grad(0.5, 2.0, -1.0)["x"] == 0.0  # on the kink: the left slope
    with pytest.raises(TypeError, match="given twice"):
        fn(1.0, x=2.0, w=1.0, b=0.0)
    xs = np.linspace(-1, 1, 100_000)
    expected = np.maximum(2 * xs - 0.25, 0)
    results = []

    def work():
        results.append(np.array_equal(fn(xs, 2.0, -0.25), expected))

    threads = [threading.Thread(target=work) for _ in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert results == [True] * 4
    assert fn.size >= 4  # three inputs and the relu at least
    assert repr(fn) == f"<slope.Compiled (x, w, b) -> relu(w*x + b), left, {fn.size} instructions>"


def test_gradients_over_arrays_equal_pytorch_autograd_kinks_included(xwb):
    """min_norm is PyTorch's rule at each op's kink; the grid puts many points exactly on kinks."""
    torch = pytest.importorskip("torch")
    functional = pytest.importorskip("torch.nn.functional")
    x, w, b = xwb
    grid = np.meshgrid(np.arange(-2, 2.25, 0.25), [0.5, -1.0, 2.0], [-1.0, 0.0, 0.5], indexing="ij")
    xs, ws, bs = (a.ravel() for a in grid)
    on_a_kink = (ws * xs + bs == 0) | (xs == 1) | (ws == 0.5) | (np.abs(xs * bs) == 1)
    assert on_a_kink.sum() >= 60  # of 153 points

    f = (slope.relu(w * x + b) * slope.sigmoid(x) + slope.leaky_relu(x - 1, 0.1)
         + slope.abs(w - 0.5) * x + slope.hardtanh(x * b) + slope.elu(x) * w)
    t = {k: torch.tensor(v, dtype=torch.float64, requires_grad=True) for k, v in zip("xwb", (xs, ws, bs))}
    tx, tw, tb = t["x"], t["w"], t["b"]
    tf = (torch.relu(tw * tx + tb) * torch.sigmoid(tx) + functional.leaky_relu(tx - 1, 0.1)
          + torch.abs(tw - 0.5) * tx + functional.hardtanh(tx * tb) + functional.elu(tx) * tw)
    tf.sum().backward()

    value, grad = slope.value_and_grad(f, x=xs, w=ws, b=bs)
    assert value == pytest.approx(tf.detach().numpy(), rel=1e-14, abs=1e-15)
    for k in "xwb":
        assert grad[k] == pytest.approx(t[k].grad.numpy(), rel=1e-14, abs=1e-15), k
    # The kinks matter: under the right convention the x-partials differ from PyTorch's there.
    right = slope.grad(f, x=xs, w=ws, b=bs, convention="right")["x"]
    differs = np.abs(right - t["x"].grad.numpy()) > 1e-9
    assert differs.any() and not (differs & ~on_a_kink).any()


def test_a_max_tie_splits_the_gradient_as_pytorch_does_under_average():
    torch = pytest.importorskip("torch")
    x, y = slope.vars("x y")
    xs, ys = np.array([1.0, 0.0, -1.0, 3.0]), np.array([1.0, 2.0, -1.0, 2.0])
    tx, ty = (torch.tensor(a, requires_grad=True) for a in (xs, ys))
    torch.maximum(tx, ty).sum().backward()
    grad = slope.grad(slope.max(x, y), x=xs, y=ys, convention="average")
    assert np.array_equal(grad["x"], tx.grad.numpy()) and np.array_equal(grad["y"], ty.grad.numpy())
    assert np.array_equal(grad["x"], [0.5, 0.0, 0.5, 1.0])


def test_whole_conventions_apply_to_f_itself_at_kinks():
    # relu(x) - relu(-x) is x: slope 1 everywhere; op by op, min_norm gives 0 at the kink
    f = slope.parse("relu(x) - relu(-x)")
    assert slope.grad(f, x=0.0) == {"x": 0.0}
    assert slope.grad(f, x=0.0, convention="whole:min_norm") == {"x": 1.0}
    xs = np.array([-1.0, 0.0, 2.0])
    np.testing.assert_array_equal(slope.grad(f, x=xs, convention="whole:min_norm")["x"], [1, 1, 1])
    # abs(x): f's own slopes at 0 are -1 and 1; whole:right takes 1, whole:average 0
    g = slope.parse("abs(x)")
    assert slope.grad(g, x=0.0, convention="whole:right") == {"x": 1.0}
    value, grad = slope.value_and_grad(g, x=xs, convention="whole:average")
    np.testing.assert_array_equal(grad["x"], [-1, 0, 1])
    fn = slope.compile(f, convention="whole:average")
    assert fn.whole and fn.convention == slope.Convention.average
    assert "whole:average" in repr(fn)
    assert fn.grad(0.0) == {"x": 1.0}
    with pytest.raises(ValueError, match="applies to f itself at a point"):
        slope.diff(f, "x", convention="whole:min_norm")
    # a misspelt whole: convention is named, with the whole: form among the choices
    with pytest.raises(ValueError, match=r"unknown convention 'whole:bogus'; .*undefined, each also as whole:NAME"):
        slope.grad(f, x=0.0, convention="whole:bogus")
