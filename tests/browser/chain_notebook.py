"""The notebooks the browser test opens: lesson 03 (seed 000's chain) when it exists, and a small one written here.

Seed 000 (the autograd tutorial) builds ``out = (3 * (x + 2)**2).mean()`` from ``x = ones(2, 2)``, so its graph
has MeanBackward0, MulBackward0 (twice), AddBackward0 and AccumulateGrad, and after backward
``x.grad = 3 * 2 * (x + 2) / 4 = 4.5`` in every entry: numbers a learner can check by hand.

Stepping through backward needs a graph that no ``backward()`` has run through yet (a finished pass frees the
saved tensors). A lesson usually shows its graph after ``backward()``; the small notebook shows the same chain
before it, so the widget's walk always has something to run.
"""
import json
from pathlib import Path

CHAIN_IMPORTS = "import minigrad as torch\nfrom widgets import GraphView"

# Seed 000's chain, character for character (its spacing included) as the lessons keep it.
SEED_CHAIN = """\
x = torch.ones(2, 2, requires_grad = True)
y = x + 2
z = y * y * 3
out = z.mean()"""

CHAIN_MARKERS = ("y * y * 3", "z.mean()")  # how a lesson cell is recognised as building that chain

LESSON = "03_*.ipynb"  # the lesson built around seed 000's graph; later ones reuse the chain with twists
WRITTEN = "graph_view_check.ipynb"


def code_cells(notebook_path):
    cells = json.loads(Path(notebook_path).read_text(encoding="utf-8"))["cells"]
    return ["".join(c["source"]) for c in cells if c["cell_type"] == "code"]


def draws_seed_chain(notebook_path):
    """True when the notebook builds seed 000's chain and shows a GraphView."""
    sources = code_cells(notebook_path)
    return (any(all(m in s for m in CHAIN_MARKERS) for s in sources)
            and any("GraphView(" in s for s in sources))


def runs_chain_backward(notebook_path):
    """True when the notebook itself calls ``out.backward()``, so its graph should show 4.5 after Run All."""
    return any("out.backward()" in s for s in code_cells(notebook_path))


def pick_lesson(root):
    """English lesson 03 under ``root`` (a copy of notebooks/), or None when it is missing or does not draw
    the chain."""
    for lesson in sorted(Path(root, "en").glob(LESSON)):
        if draws_seed_chain(lesson):
            return lesson
    return None


def write_chain_notebook(path):
    """A three-cell notebook: import, seed 000's chain, a GraphView of ``out`` (backward is left to the view)."""
    cells = [
        CHAIN_IMPORTS,
        SEED_CHAIN,
        "view = GraphView(out)\nview",
    ]
    notebook = {
        "nbformat": 4, "nbformat_minor": 5,
        "metadata": {
            "kernelspec": {"display_name": "Python 3 (ipykernel)", "language": "python", "name": "python3"},
            "language_info": {"name": "python"},
        },
        "cells": [{"cell_type": "code", "id": f"cell-{i}", "metadata": {}, "execution_count": None,
                   "outputs": [], "source": source} for i, source in enumerate(cells)],
    }
    Path(path).write_text(json.dumps(notebook, indent=1), encoding="utf-8")
    return Path(path)
