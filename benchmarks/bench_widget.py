"""Graph widget, the kernel's share of an update: from a change in the engine to new DOT in the widget's state.

The browser lays the DOT out (Graphviz in WebAssembly): bench_browser.py measures the whole way to the new SVG in
a real page. The ``dot`` column here is the system ``dot`` program drawing the same picture, for comparison (the
kernel runs it only for the static picture of a saved notebook and for export from Python); it is left out when
``dot`` is not installed.

Goals (from the project's issue; printed figures to watch, not tests that fail):
- the seed graphs (about 12 drawn nodes): <= 50 ms end to end;
- any graph, 1000+ nodes included: <= 300 ms (big graphs are folded to stay readable and fast).

Each update is what a change sets off: a leaf's ``.grad`` is set (so the picture really differs and the
render cache cannot help), the view hears the event and redraws. Its stages, timed separately: snapshot
(engine -> plain data) and DOT (data -> Graphviz source). Times are medians of 7 updates.
"""
import os
import pathlib
import random
import shutil
import statistics
import sys
import time

sys.path.insert(0, str(pathlib.Path(__file__).resolve().parents[1]))  # run from anywhere: this checkout first

import minigrad as torch  # noqa: E402
from widgets import GraphView  # noqa: E402
from widgets.dot import render, to_dot  # noqa: E402
from widgets.names import Names, Namespace  # noqa: E402
from widgets.snapshot import take_snapshot  # noqa: E402

REPEATS = 7
HAVE_DOT = shutil.which("dot") is not None


def seed_graph():
    """Seed 000: out = mean(3 (x + 2)^2)."""
    x = torch.ones(2, 2, requires_grad=True)
    y = x + 2
    z = y * y * 3
    out = z.mean()
    return out, x, {"x": x, "y": y, "z": z, "out": out}


def doubling_graph(ops):
    """Lesson 04's loop, ``y = y * 2`` over and over: short runs are drawn whole, long ones fold."""
    x = torch.ones(3, requires_grad=True)
    y = x * 2
    for _ in range(ops - 1):
        y = y * 2
    return y.sum(), x, {"x": x, "y": y}


def loop_graph(ops):
    """An unrolled recurrence, ``h = tanh(h * w + 1)``: three ops a step, one shared weight (it folds)."""
    h = torch.ones(4, requires_grad=True)
    w = torch.full((4,), 0.5, requires_grad=True)
    state = h
    for _ in range(ops // 3):
        state = (state * w + 1).tanh()
    loss = state.sum()
    return loss, w, {"h": h, "w": w, "loss": loss}


def irregular_graph(ops):
    """A running total mixing +, *, - in no repeating order over many leaves (nothing to fold by pattern)."""
    choose = random.Random(0).choice
    leaves = [torch.full((2,), 1.0 + i / ops, requires_grad=True) for i in range(ops // 3)]
    total = leaves[0] * 1
    for leaf in leaves[1:]:
        total = choose([lambda a, b: a + b, lambda a, b: a * b, lambda a, b: a - b])(total, leaf.exp())
    loss = total.sum()
    return loss, leaves[-1], {"loss": loss}


def measure(make, size, collapse=True):
    output, leaf, names = make(size) if size else make()
    namespace = Namespace(live=[names])
    view = GraphView(output, collapse=collapse, namespace=namespace)
    stages = {"snapshot": [], "dot": [], "render": [], "update": []}
    for i in range(REPEATS):
        view._debouncer._last_end = None  # as after a quiet moment: the next change redraws at once
        started = time.perf_counter()
        leaf.grad = torch.full(tuple(leaf.shape), float(i))  # event -> snapshot -> DOT -> SVG -> traits
        stages["update"].append(time.perf_counter() - started)
        assert view._debouncer.runs == i + 1, "the change did not redraw the view"
        t0 = time.perf_counter()
        snapshot = take_snapshot([output], Names(namespace), collapse=collapse)
        t1 = time.perf_counter()
        digraph = to_dot(snapshot)
        digraph.source
        t2 = time.perf_counter()
        if HAVE_DOT:
            render(digraph)
        t3 = time.perf_counter()
        stages["snapshot"].append(t1 - t0)
        stages["dot"].append(t2 - t1)
        stages["render"].append(t3 - t2)
    median = {name: statistics.median(times) * 1000 for name, times in stages.items()}
    return view.snapshot.graph_size, len(view.snapshot.nodes), median


def main():
    if not HAVE_DOT:
        print("(Graphviz's dot is not installed: its column stays empty)")
    cases = [
        ("seed 000 chain", seed_graph, None, True, 50),
        ("doubling loop, 10 ops (drawn whole)", doubling_graph, 10, True, 50),
        ("doubling loop, 100 ops (folded)", doubling_graph, 100, True, 300),
        ("loop, 100 ops", loop_graph, 100, True, 300),
        ("loop, 300 ops", loop_graph, 300, True, 300),
        ("loop, 1000 ops", loop_graph, 1000, True, 300),
        ("irregular, 100 ops", irregular_graph, 100, True, 300),
        ("irregular, 300 ops", irregular_graph, 300, True, 300),
        ("irregular, 1000 ops", irregular_graph, 1000, True, 300),
        ("irregular, 100 ops, collapse=False", irregular_graph, 100, False, None),
        ("irregular, 300 ops, collapse=False", irregular_graph, 300, False, None),
    ]
    load = os.getloadavg()[0] if hasattr(os, "getloadavg") else float("nan")
    print(f"{os.cpu_count()} CPUs, load average {load:.1f}; 'update' is the kernel's share (the browser lays "
          "out: bench_browser.py); 'dot' the system program, for comparison")
    header = f"{'graph':36} {'graph nodes':>11} {'drawn':>6} {'snapshot':>9} {'DOT':>7} {'dot':>8} " \
             f"{'update':>8}  goal"
    print(header)
    print("-" * len(header))
    for label, make, size, collapse, goal in cases:
        graph_size, drawn, ms = measure(make, size, collapse)
        verdict = "" if goal is None else f"<= {goal} ms: {'met' if ms['update'] <= goal else 'NOT met'}"
        dot_ms = f"{ms['render']:.1f}ms" if HAVE_DOT else "-"
        print(f"{label:36} {graph_size:>11} {drawn:>6} {ms['snapshot']:>7.1f}ms {ms['dot']:>5.1f}ms "
              f"{dot_ms:>8} {ms['update']:>6.1f}ms  {verdict}")


if __name__ == "__main__":
    main()
