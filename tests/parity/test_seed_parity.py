"""The seed tutorials, cell by cell, on PyTorch and on minigrad.

Each tutorial runs in one namespace, after `torch.manual_seed(0)`, like a
notebook kernel: a cell sees the variables of the cells before it, and a final
bare expression is shown as its repr.  Every cell must print the same text, warn
the same way and raise the same exception on both libraries.
"""

import functools
import importlib.util
from pathlib import Path

import pytest

pytest.importorskip("torch")

from harness import Session  # noqa: E402


def _seed_cells():
    """The seed tutorials' code cells, from the one list the lesson tests use too (tests/seed_cells.py)."""
    path = Path(__file__).parent.parent / "seed_cells.py"
    spec = importlib.util.spec_from_file_location("seed_cells_for_parity", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return {name.split("_")[0]: cells for name, cells in module.SEED_CELLS.items()}


SEEDS = _seed_cells()
CELLS = [(tutorial, index) for tutorial, cells in SEEDS.items() for index in range(len(cells))]


@functools.lru_cache(maxsize=None)
def outcomes(tutorial, module):
    """All cell outcomes of one tutorial on one library (computed once, shared by the cell tests)."""
    session = Session(module, echo_last=True)
    seeding = session.run("torch.manual_seed(0)")
    assert seeding.exception is None, seeding.report()
    return [session.run(cell) for cell in SEEDS[tutorial]]


@pytest.mark.parametrize("tutorial, index", CELLS, ids=[f"{t}-cell{i}" for t, i in CELLS])
def test_seed_cell(tutorial, index, torch_module, minigrad_module):
    expected = outcomes(tutorial, torch_module)[index].normalised(rename=True)
    actual = outcomes(tutorial, minigrad_module)[index].normalised(rename=False)
    code = SEEDS[tutorial][index]
    assert actual == expected, (
        f"\n=== cell {index} of tutorial {tutorial} ===\n{code}\n"
        f"=== PyTorch (normalised) ===\n{expected.report()}\n"
        f"=== minigrad ===\n{actual.report()}"
    )
