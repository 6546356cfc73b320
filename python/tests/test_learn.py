# SPDX-License-Identifier: MIT
# What a learner reads (python/src/learn.cpp): derivations, notes, plots, emitted code and
# gradient checks, each checked by what consumes it (SVG parsed, LaTeX compiled, code run).
import math
import os
import shutil
import subprocess
import xml.etree.ElementTree as ET

import pytest

import slope


def test_explain_gives_steps_and_renders_three_ways():
    x, w, b = slope.vars("x w b")
    d = slope.explain(slope.relu(w * x + b), x)
    assert d.derivative == slope.diff(slope.relu(w * x + b), x)
    assert [s.rule for s in d.steps][:2] == ["Outer function", "Chain rule"]
    assert d.x == "x" and d.convention == slope.Convention.min_norm
    assert str(d) == d.text()
    assert d._repr_markdown_() == d.markdown()
    assert d.markdown().count("```math") >= 2  # formulas as GitHub math blocks
    assert "\\begin{enumerate}" in d.latex()
    assert any("w*x + b = 0" in n for n in d.notes)


def test_derivation_markdown_renders_with_cmark():
    cmark = shutil.which("cmark")
    if cmark is None:
        pytest.skip("cmark is not installed")
    x, w, b = slope.vars("x w b")
    d = slope.explain(slope.relu(w * x + b), x)
    html = subprocess.run([cmark], input=d.markdown(), capture_output=True, text=True,
                          check=True).stdout
    assert "<ol>" in html and html.count("<li>") >= len(d.steps)


def test_latex_of_expressions_compiles(tmp_path):
    if shutil.which("pdflatex") is None:
        pytest.skip("pdflatex is not installed")
    x, w, b = slope.vars("x w b")
    f = slope.relu(w * x + b)
    body = "\n\n".join([
        slope.diff(f, x)._repr_latex_(),
        slope.diff(slope.hardtanh(x), x, convention="average")._repr_latex_(),
        slope.leaky_relu(f, 0.2)._repr_latex_(),
    ])
    (tmp_path / "doc.tex").write_text(
        "\\documentclass{article}\\usepackage{amsmath}\\begin{document}\n" + body + "\n\\end{document}\n")
    run = subprocess.run(["pdflatex", "-interaction=nonstopmode", "-halt-on-error", "doc.tex"],
                         cwd=tmp_path, capture_output=True, text=True)
    assert run.returncode == 0, run.stdout[-2000:]
    assert (tmp_path / "doc.pdf").stat().st_size > 1000


def test_plot_is_an_svg_string_jupyter_displays(tmp_path):
    x, w = slope.vars("x w")
    svg = slope.plot(slope.relu(w * x), w=2, xlim=(-1, 3), width=320, height=200)
    assert isinstance(svg, str) and svg._repr_svg_() == str(svg)
    root = ET.fromstring(svg.encode())
    assert root.tag == "{http://www.w3.org/2000/svg}svg"
    assert root.get("width") == "320"
    path = tmp_path / "relu.svg"
    svg.save(str(path))
    assert path.read_text() == svg
    with pytest.raises(ValueError):
        slope.plot(slope.relu(x), xlim=(1, 1))
    # by default 600 pixels high: f on top, f' below; the kink of relu(2x - 1) is at x = 0.5
    b = slope.var("b")
    root = ET.fromstring(slope.plot(slope.relu(w * x + b), w=2, b=-1).encode())
    assert root.get("height") == "600"
    kinks = [e for e in root.iter("{http://www.w3.org/2000/svg}line") if e.get("class") == "kink"]
    assert [float(e.get("data-x")) for e in kinks] == [0.5]


def test_emitted_numpy_code_runs_and_matches_eval():
    np = pytest.importorskip("numpy")
    x = slope.var("x")
    f = slope.leaky_relu(2 * x - 1, 0.1)
    namespace = {}
    exec(slope.emit(f, "numpy", gradient=True), namespace)
    xs = np.linspace(-2, 2, 101)
    assert np.array_equal(namespace["f"](xs), slope.eval(f, x=xs))
    assert np.array_equal(namespace["df_dx"](xs), slope.grad(f, x=xs)["x"])
    assert slope.to_code(slope.relu(x), "numpy") == "np.maximum(x, 0.0)"


def test_describe_and_kink_notes():
    x = slope.var("x")
    text = slope.describe(slope.leaky_relu(x), x)
    assert text.startswith("d/dx leaky_relu(x, 0.01) = ⎧ 1     if x > 0")
    assert slope.kink_notes(slope.relu(x), x, "right")[0].startswith("at x = 0")


def test_check_gradient_knows_about_kinks():
    x = slope.var("x")
    assert slope.check_gradient(slope.relu(x), x=1.0)
    at_kink = slope.check_gradient(slope.relu(x), x=0.0)  # 0 lies in [0, 1]: a valid choice
    assert at_kink.ok
    assert (at_kink.entries[0].left, at_kink.entries[0].right) == (0.0, 1.0)
    trap = slope.check_gradient(slope.relu(x) - slope.relu(-x), x=0.0)
    assert not trap.ok
    assert trap.entries[0].kinks == ["relu(x)", "relu(-x)"]
    assert trap.entries[0].why.startswith("the tape's 0 lies outside f's one-sided slopes")


def test_one_sided_and_kinks():
    x = slope.var("x")
    trap = slope.relu(x) - slope.relu(-x)
    s = slope.one_sided(trap, "x", x=0.0)
    assert (s.left, s.right, s.continuous, s.differentiable) == (1.0, 1.0, True, True)
    assert s.whole("min_norm") == 1.0
    ks = slope.kinks(slope.parse("relu(x^2 - 1)"), "x", start=-3, stop=3)
    assert [k.x for k in ks] == [-1.0, 1.0]
    assert (ks[1].side.left, ks[1].side.right) == (0.0, 2.0)
    assert ks[1].exact
    assert str(ks[1].ops[0]) == "relu(x^2 - 1)"
    w = slope.kinks(slope.parse("relu(w*x + b)"), start=-3, stop=3, w=2.0, b=-1.0)
    assert [k.x for k in w] == [0.5]
    assert slope.one_sided(slope.parse("sqrt(abs(x))"), x, x=0.0).left == float("-inf")
    # no values left of 0 (log) is not the same as no limit (sin(1/x) oscillates)
    log0 = slope.one_sided(slope.parse("log(x)"), x, x=0.0)
    assert (log0.has_left, log0.has_right) == (False, True)
    wave = slope.one_sided(slope.parse("where(x > 0, sin(1/x), 0)"), x, x=0.0)
    assert (wave.has_left, wave.has_right, wave.left_limit) == (True, True, 0.0)
    assert math.isnan(wave.right_limit)
