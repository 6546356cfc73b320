# SPDX-License-Identifier: MIT
# examples/notebooks/relu.ipynb executed as a learner runs it (nbclient, a fresh kernel): any
# error in any cell, an assert included, fails the test. Then its displayed outputs are checked
# against slope's own: the LaTeX, the Markdown derivation and the SVG the learner sees.
import os
import xml.etree.ElementTree as ET

import pytest

import slope

nbformat = pytest.importorskip("nbformat")
nbclient = pytest.importorskip("nbclient")

NOTEBOOK = os.path.join(os.environ.get("SLOPE_SOURCE_DIR", os.path.join(os.path.dirname(__file__), "..", "..")),
                        "examples", "notebooks", "relu.ipynb")


def test_relu_notebook_runs_without_error(tmp_path):
    nb = nbformat.read(NOTEBOOK, as_version=4)
    client = nbclient.NotebookClient(nb, timeout=120, kernel_name="python3",
                                     resources={"metadata": {"path": str(tmp_path)}})
    # The kernel imports the slope this test imports, whatever the working directory.
    env = dict(os.environ)
    env["PYTHONPATH"] = os.pathsep.join(
        [os.path.dirname(os.path.dirname(os.path.abspath(slope.__file__)))]
        + [p for p in env.get("PYTHONPATH", "").split(os.pathsep) if p])
    client.execute(env=env)  # raises CellExecutionError on the first failing cell
    outputs = [o for cell in nb.cells if cell.cell_type == "code" for o in cell.outputs]
    assert not [o for o in outputs if o.output_type == "error"]
    shown = {}
    for o in outputs:
        for kind, data in o.get("data", {}).items():
            shown.setdefault(kind, []).append(data)

    x = slope.var("x")
    assert shown["text/latex"][:2] == [slope.relu(x)._repr_latex_(),
                                       slope.diff(slope.relu(x), x)._repr_latex_()]
    assert "\\begin{cases}" in shown["text/latex"][1]
    assert shown["text/markdown"] == [slope.explain(slope.relu(2 * x - 1), x).markdown()]
    svgs = [ET.fromstring(svg.encode()) for svg in shown["image/svg+xml"]]
    assert [s.tag for s in svgs] == ["{http://www.w3.org/2000/svg}svg"] * 2
    assert shown["image/svg+xml"][0] == slope.plot(slope.relu(x), xlim=(-2, 2))
    assert shown["image/svg+xml"][1] == slope.plot(slope.leaky_relu(x, 0.1), xlim=(-2, 2))
    printed = [o.text for o in outputs if o.output_type == "stream"]
    assert printed == [slope.describe(slope.relu(x), x, convention="right") + "\n",
                       slope.emit(slope.leaky_relu(x, 0.1), "numpy", gradient=True) + "\n"]
