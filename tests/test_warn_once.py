"""The scalar-conversion warning is given once per process, as PyTorch gives it (TORCH_WARN_ONCE), or at every
conversion after set_warn_always(True); int() does not warn, as in PyTorch. Run in fresh interpreters, compared with
PyTorch's own output when it is installed."""
import importlib.util
import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
SCRIPT = """
import {lib} as torch
torch.set_warn_always({always})
x = torch.tensor(2., requires_grad=True)
for i in range(3):
    float(x)
for i in range(2):
    int(x)
float(x)
values = [float(x) for _ in range(2)]
text = "%.2f" % x
float(torch.tensor(1.))
"""


def warned_lines(lib, always):
    env = dict(os.environ, PYTHONPATH=str(ROOT))
    run = subprocess.run([sys.executable, "-c", SCRIPT.format(lib=lib, always=always)], capture_output=True,
                         text=True, env=env, check=True)
    return [line.split(":")[1] for line in run.stderr.splitlines() if "UserWarning: Converting a tensor" in line]


@pytest.mark.parametrize("always, expected", [(False, ["6"]), (True, ["6", "9", "10", "11"])])
def test_once_per_process_or_once_per_line(always, expected):
    assert warned_lines("minigrad", always) == expected


@pytest.mark.skipif(importlib.util.find_spec("torch") is None, reason="PyTorch is not installed")
@pytest.mark.parametrize("always", [False, True])
def test_same_lines_as_pytorch(always):
    assert warned_lines("minigrad", always) == warned_lines("torch", always)
