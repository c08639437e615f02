"""Fixtures for the parity tests: the two libraries that are run side by side.

Every parity test module starts with `pytest.importorskip("torch")`, so without
PyTorch installed the whole directory is reported as skipped.  minigrad is
imported lazily here so that a broken minigrad shows up as failing tests, not as
a collection error.
"""

import importlib
import sys
from pathlib import Path

import pytest

# The test modules import `harness` from this directory, whatever pytest's import mode.
_HERE = str(Path(__file__).resolve().parent)
if _HERE not in sys.path:
    sys.path.insert(0, _HERE)


@pytest.fixture(scope="session")
def torch_module():
    torch = pytest.importorskip("torch")
    # Some PyTorch warnings are issued once per process (TORCH_WARN_ONCE); make them
    # appear every time so that a comparison does not depend on which test ran first.
    torch.set_warn_always(True)
    return torch


@pytest.fixture(scope="session")
def minigrad_module():
    try:
        module = importlib.import_module("minigrad")
        module.set_warn_always(True)  # as torch_module: every comparison sees every warning
        return module
    except Exception as exc:  # report any import failure as a test failure with its cause
        pytest.fail(f"import minigrad failed: {type(exc).__name__}: {exc}")
