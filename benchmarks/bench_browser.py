"""Graph widget in a real browser: from a change in the kernel to the new picture in the page.

JupyterLab (the browser tests' server, tests/browser/labserver.py) in headless Chromium runs a notebook with
three views. Each update is what a learner sets off: a cell runs ``backward(retain_graph=True)`` (the gradients
change, so the picture really differs) or an optimizer step; the cell records ``time.time()`` just
before the change, and the page records when the new SVG was in the document (graph.js stamps the view's
``data-drawn-at``; both clocks are this machine's). In between: the change event, the redraw (snapshot, DOT),
the comm message, the layout by Graphviz (WebAssembly) in the page's worker, and inserting the SVG.

Goals (from the project's issue; figures to watch, not tests): seed chain <= 50 ms, folded 1000-op loop
<= 150 ms, 150-node irregular graph <= 300 ms. Also printed: how long the WebAssembly Graphviz takes to load
on first display. Times are medians of 9 updates. Needs /usr/bin/chromium and playwright (the test extra).
"""
import json
import os
import pathlib
import statistics
import sys
import tempfile
import time

HERE = pathlib.Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parents[0] / "tests" / "browser"))

UPDATES = 9
CHROMIUM = pathlib.Path("/usr/bin/chromium")

SETUP = """\
import sys, time
sys.path.insert(0, {benchmarks!r})
import minigrad as torch
from widgets import GraphView
from widgets.names import Namespace
import bench_widget as graphs

def change(kind, output, leaf, optimizer):
    started = time.time()
    if kind == "backward":
        output.backward(retain_graph=True)
    else:
        optimizer.step()
    return started
"""

CASES = [  # (label, how the graph is made, what changes, goal in ms)
    ("seed 000 chain", "graphs.seed_graph()", "backward", 50),
    ("loop, 1000 ops (folded)", "graphs.loop_graph(1000)", "backward", 150),
    ("irregular graph, 150 nodes", "graphs.irregular_graph(150)", "backward", 300),
    ("irregular graph, 150 nodes: SGD step", "graphs.irregular_graph(150)", "step", 300),
]


def notebook_cells():
    cells = [SETUP.format(benchmarks=str(HERE))]
    for number, (_, make, _, _) in enumerate(CASES):
        cells.append(f"out{number}, leaf{number}, names{number} = {make}\n"
                     f"out{number}.backward(retain_graph=True)\n"
                     f"opt{number} = torch.optim.SGD([leaf{number}], lr=0.01)\n"
                     f"view{number} = GraphView(out{number}, namespace=Namespace(live=[names{number}]))\n"
                     f"view{number}")
    return cells


def main():
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        print("playwright is not installed (pip install -e '.[test]'): nothing to measure")
        return
    if not CHROMIUM.exists():
        print(f"no {CHROMIUM} (apt-get install chromium): nothing to measure")
        return
    from chain_notebook import write_notebook
    from conftest import CHROMIUM_ARGS
    from labserver import LabServer
    from test_graph_widget import add_and_run_cell, run_all_cells

    with tempfile.TemporaryDirectory() as folder:
        root = pathlib.Path(folder, "notebooks")
        root.mkdir()
        write_notebook(root / "bench.ipynb", notebook_cells())
        server = LabServer(root, pathlib.Path(folder, "home")).launch()
        try:
            with sync_playwright() as playwright:
                browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
                page = browser.new_page(viewport={"width": 1400, "height": 1000})
                server.wait_ready()
                page.goto(server.url("lab/tree/bench.ipynb"))
                page.locator(".jp-NotebookPanel .jp-Cell").first.wait_for(timeout=60_000)
                server.wait_for_kernel("bench.ipynb")
                run_all_cells(page)
                views = page.locator(".mg-graph-view")
                views.nth(len(CASES) - 1).locator(".mg-canvas svg g.node").first.wait_for(timeout=60_000)
                report(page, views)
                browser.close()
        finally:
            server.stop()


def report(page, views):
    from playwright.sync_api import expect

    from test_graph_widget import add_and_run_cell

    engine = page.evaluate("""() => { const e = globalThis[Symbol.for('minigrad.graph-layout-engine')];
        return {load: e.loadMs, graphviz: e.graphviz}; }""")
    first = views.first.get_attribute("data-layout-ms")
    load = os.getloadavg()[0] if hasattr(os, "getloadavg") else float("nan")
    print(f"Chromium headless, {os.cpu_count()} CPUs, load average {load:.1f}; Graphviz {engine['graphviz']} "
          f"(WebAssembly) loaded in {engine['load']:.0f} ms on first display (decompress, compile, start the "
          f"worker); first layout {first} ms")
    header = f"{'update (change -> new SVG in the page)':42} {'drawn':>6} {'layout':>7} {'update':>8}  goal"
    print(header)
    print("-" * len(header))
    for number, (label, _, kind, goal) in enumerate(CASES):
        view = views.nth(number)
        latencies, layouts = [], []
        for _ in range(UPDATES):
            time.sleep(0.35)  # a quiet moment: the redraw throttle lets the next change draw at once
            before = view.get_attribute("data-drawn-at")
            cell = add_and_run_cell(page, expect, f"print(repr(change({kind!r}, out{number}, leaf{number}, "
                                                  f"opt{number})))")
            started = float(cell.locator(".jp-OutputArea-output").text_content()) * 1000
            page.wait_for_function("([view, before]) => view.dataset.drawnAt !== before",
                                   arg=[view.element_handle(), before], timeout=30_000)
            latencies.append(float(view.get_attribute("data-drawn-at")) - started)
            layouts.append(float(view.get_attribute("data-layout-ms")))
            cell.locator(".jp-InputPrompt").click()
            page.keyboard.press("Escape")
            page.keyboard.press("d")
            page.keyboard.press("d")  # delete the cell again: the notebook stays short
        drawn = view.locator(".mg-canvas svg g.node").count()
        median = statistics.median(latencies)
        print(f"{label:42} {drawn:>6} {statistics.median(layouts):>5.0f}ms {median:>6.0f}ms  "
              f"<= {goal} ms: {'met' if median <= goal else 'NOT met'}")
    print(json.dumps({"load_ms": round(engine["load"])}))


if __name__ == "__main__":
    main()
