# SPDX-License-Identifier: MIT
# examples/notebooks/relu.ipynb executed as a learner runs it (nbclient, a fresh kernel): any
# error in any cell, an assert included, fails the test.
import os

import pytest

nbformat = pytest.importorskip("nbformat")
nbclient = pytest.importorskip("nbclient")

NOTEBOOK = os.path.join(os.environ.get("SLOPE_SOURCE_DIR", os.path.join(os.path.dirname(__file__), "..", "..")),
                        "examples", "notebooks", "relu.ipynb")


def test_relu_notebook_runs_without_error(tmp_path):
    nb = nbformat.read(NOTEBOOK, as_version=4)
    client = nbclient.NotebookClient(nb, timeout=120, kernel_name="python3",
                                     resources={"metadata": {"path": str(tmp_path)}})
    client.execute()  # raises CellExecutionError on the first failing cell
    outputs = [o for cell in nb.cells if cell.cell_type == "code" for o in cell.outputs]
    kinds = {kind for o in outputs for kind in o.get("data", {})}
    assert {"text/latex", "image/svg+xml", "text/markdown"} <= kinds
    assert not [o for o in outputs if o.output_type == "error"]
