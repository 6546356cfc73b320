# SPDX-License-Identifier: MIT
# scripts/install-python, the learners' one command, into a fresh virtual environment (with the
# system's site packages, as the README says): the package lands there and imports from there.
import os
import subprocess
import sys
import sysconfig

SOURCE = os.environ.get("SLOPE_SOURCE_DIR", os.path.join(os.path.dirname(__file__), "..", ".."))
BUILD = os.environ.get("SLOPE_BINARY_DIR")


def test_install_python_into_a_virtual_environment(tmp_path):
    venv = tmp_path / "venv"
    subprocess.run([sys.executable, "-m", "venv", "--system-site-packages", "--without-pip",
                    str(venv)], check=True)
    python = str(venv / "bin" / "python")
    env = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "SLOPE_BUILD_DIR")}
    env["PYTHON"] = python
    if BUILD:
        env["SLOPE_BUILD_DIR"] = BUILD  # the module ctest just built: install it, no rebuild
    run = subprocess.run(["sh", os.path.join(SOURCE, "scripts", "install-python")], env=env,
                         capture_output=True, text=True)
    assert run.returncode == 0, run.stdout + run.stderr
    check = subprocess.run(
        [python, "-c", "import slope; x = slope.var('x');"
                       "print(slope.__file__); print(slope.diff(slope.relu(x), x))"],
        env=env, cwd=str(tmp_path), capture_output=True, text=True, check=True)
    where, derivative = check.stdout.splitlines()
    assert where.startswith(str(venv)), where
    assert derivative == "piecewise(x > 0: 1, otherwise: 0)"
    installed = set(os.listdir(os.path.dirname(where)))
    suffix = sysconfig.get_config_var("EXT_SUFFIX")
    assert {"__init__.py", "__init__.pyi", "py.typed", "_slope" + suffix} <= installed
