"""The notebooks the browser tests open: lesson 03 (seed 000's chain) when it exists, and two small ones written here.

Seed 000 (the autograd tutorial) builds ``out = (3 * (x + 2)**2).mean()`` from ``x = ones(2, 2)``, so its graph
has MeanBackward0, MulBackward0 (twice), AddBackward0 and AccumulateGrad, and after backward
``x.grad = 3 * 2 * (x + 2) / 4 = 4.5`` in every entry: numbers a learner can check by hand.

Stepping through backward needs a graph that no ``backward()`` has run through yet (a finished pass frees the
saved tensors). A lesson usually shows its graph after ``backward()``; the small notebook shows the same chain
before it, so the widget's walk always has something to run.

The layout notebook holds pictures that stress the layout on a projector-sized screen: long printed numbers
and a chain taller than the frame.
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
LAYOUT = "graph_view_layout.ipynb"

# Numbers whose printed lines are long: ``grad [1.0240e+02, 1.0240e+03, 1.0240e-01]`` (d(w*w)/dw = 2w) is the
# line Graphviz used to measure narrower than a browser draws it. The tall chain needs the notebook scrolled.
WIDE_VALUES = """\
wide = torch.tensor([51.2, 512., 0.0512], requires_grad=True)
square = (wide * wide).sum()
square.backward(retain_graph=True)
GraphView(square)"""
TALL_CHAIN = """\
h = torch.ones(2, requires_grad=True)
for _ in range(10):
    h = h * 2
top = h.sum()
GraphView(top)"""


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
    return write_notebook(path, [CHAIN_IMPORTS, SEED_CHAIN, "view = GraphView(out)\nview"])


def write_layout_notebook(path):
    """Pictures that test the layout: seed 000's chain, long printed values, a chain taller than the screen."""
    return write_notebook(path, [CHAIN_IMPORTS, f"{SEED_CHAIN}\nGraphView(out)", WIDE_VALUES, TALL_CHAIN])


def write_notebook(path, cells):
    """An unexecuted notebook of code cells, for the python3 kernel."""
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
