# SPDX-License-Identifier: MIT
# Shared fixtures of the Python tests (ctest runs each file with the built package on PYTHONPATH).
import pytest

import slope


@pytest.fixture
def xwb():
    return slope.vars("x w b")
