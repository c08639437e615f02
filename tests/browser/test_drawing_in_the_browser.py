"""The graph is laid out in the browser (Graphviz compiled to WebAssembly, in a Web Worker): what a learner sees
on a machine with no Graphviz program, in saved lessons opened fresh, in Jupyter Notebook 7, and with a graph too
big to lay out quickly.

Every lesson is opened twice on a JupyterLab whose kernels cannot find `dot`: first as it was saved (untrusted,
no cell run), where every graph must be drawn from the saved widget state; then after Run All, where every graph
is drawn live. Any console error fails the test (conftest.py); a failure keeps a screenshot of the page.
"""
import json
import re
import time
from pathlib import Path

import pytest

from chain_notebook import CHAIN_IMPORTS, SEED_CHAIN, write_notebook
from test_graph_widget import (GRAD_FN_NAMES, WAIT_MS, add_and_run_cell, check_kernel_is_ours, running_node,
                               run_all_cells, tracebacks)

GRAPH_VIEW_MODEL = "AnyModel"  # anywidget's model name: a GraphView in the saved widget state


@pytest.fixture
def expect():
    from playwright.sync_api import expect

    expect.set_options(timeout=WAIT_MS)
    return expect


def lessons(root, language):
    return sorted(p.relative_to(root).as_posix() for p in (Path(root) / language).glob("[0-9][0-9]_*.ipynb"))


def saved_graph_views(path):
    """How many outputs of the saved notebook show a GraphView (a widget output whose model is an anywidget)."""
    notebook = json.loads(Path(path).read_text(encoding="utf-8"))
    state = notebook["metadata"].get("widgets", {}).get("application/vnd.jupyter.widget-state+json", {})
    models = state.get("state", {})
    count = 0
    for cell in notebook["cells"]:
        for output in cell.get("outputs", []):
            view = output.get("data", {}).get("application/vnd.jupyter.widget-view+json")
            if view and models.get(view["model_id"], {}).get("model_name") == GRAPH_VIEW_MODEL:
                count += 1
    return count, bool(models)


def open_in_lab(page, server, notebook, workspace):
    """Open ``notebook`` in a workspace of its own (no tabs left open by an earlier test); returns its panel."""
    page.goto(server.url(f"lab/workspaces/{workspace}/tree/{notebook}"))
    panel = page.locator(".jp-NotebookPanel:not(.lm-mod-hidden)")
    panel.locator(".jp-Cell").first.wait_for(timeout=60_000)
    return panel


def expect_every_view_drawn(panel, expect, count, where):
    """``count`` graph views, each showing a laid-out picture (boxes in its SVG) and no layout problem."""
    views = panel.locator(".mg-graph-view")
    expect(views).to_have_count(count)
    for index, view in enumerate(views.all()):
        panel.page.watched = view
        view.scroll_into_view_if_needed()
        expect(view.locator(".mg-canvas svg g.node").first).to_be_attached()
        problem = view.locator(".mg-layout-notice")
        assert not problem.is_visible(), f"{where}, view {index + 1}: {problem.text_content()}"
    assert panel.get_by_text("model not found").count() == 0, f"{where}: a widget reads 'model not found'"
    panel.page.watched = None


@pytest.mark.parametrize("language", ["en", "zh"])
def test_saved_lessons_draw_their_graphs_and_draw_them_again_without_dot(lab_without_dot, page_without_dot,
                                                                         notebooks, expect, screenshot, language):
    """Opened fresh (untrusted, no kernel has run a cell), every lesson shows every graph from its saved widget
    state. Then (English lessons) Run All on a kernel without `dot`: every graph is drawn again, live."""
    page = page_without_dot
    names = lessons(notebooks.root, language)
    assert names, f"no lessons under {notebooks.root / language}"
    for notebook in names:
        count, has_state = saved_graph_views(notebooks.root / notebook)
        assert has_state or count == 0, f"{notebook} shows graphs but was saved without its widget state"
        started = time.monotonic()
        panel = open_in_lab(page, lab_without_dot, notebook, f"fresh-{Path(notebook).stem}-{language}")
        expect_every_view_drawn(panel, expect, count, f"{notebook} opened fresh")
        if notebook == names[0] or count and notebook.startswith(f"{language}/03"):
            screenshot(panel.locator(".mg-graph-view").first if count else page, f"fresh-{Path(notebook).stem}.png")
        opened = time.monotonic()
        if language == "en":
            kernel = lab_without_dot.wait_for_kernel(notebook)
            check_kernel_is_ours(lab_without_dot, kernel)
            run_all_cells(page)
            failures = tracebacks(page)
            assert not failures, f"a cell of {notebook} failed without dot:\n" + "\n".join(failures)
            lab_without_dot.wait_for_kernel(notebook)
            expect_every_view_drawn(panel, expect, count, f"{notebook} after Run All without dot")
        print(f"{notebook}: {count} graphs, opened {opened - started:.1f} s, ran {time.monotonic() - opened:.1f} s")


LONG_LOOP = """\
x = torch.ones(3, requires_grad=True)
y = x
for _ in range(2000):
    y = y * 1.001
loop = y.sum()
view = GraphView(loop)
view"""


def test_expanding_the_folded_2000_op_loop_never_blocks_the_kernel(lab_without_dot, page_without_dot, notebooks,
                                                                   expect, screenshot):
    """Click the folded loop: a cell run right after the click answers at once, the page keeps responding, and
    the expanded picture arrives. A picture over its layout budget says so and offers a way out that works."""
    page = page_without_dot
    name = "long_loop.ipynb"
    write_notebook(notebooks.root / name, [CHAIN_IMPORTS, LONG_LOOP])
    panel = open_in_lab(page, lab_without_dot, name, "long-loop")
    lab_without_dot.wait_for_kernel(name)
    run_all_cells(page)
    view = panel.locator(".mg-graph-view").first
    page.watched = view
    summary = view.locator(".mg-canvas svg g.node.summary")
    expect(summary).to_have_count(1)
    expect(summary).to_contain_text("MulBackward0 × ")
    before = view.locator(".mg-canvas svg g.node").count()

    summary.click()
    clicked = time.monotonic()
    cell = add_and_run_cell(page, expect, "print('the kernel answers', 6 * 7)")
    expect(cell.locator(".jp-OutputArea-output")).to_contain_text("the kernel answers 42", timeout=5_000)
    answered = time.monotonic() - clicked
    # the page never froze: a timer on its main thread keeps firing while Graphviz works in the worker
    gaps = page.evaluate("""() => new Promise(resolve => {
        const gaps = []; let last = performance.now();
        const timer = setInterval(() => { const now = performance.now(); gaps.push(now - last); last = now; }, 20);
        setTimeout(() => { clearInterval(timer); resolve(Math.max(...gaps)); }, 1500);
    })""")
    expect(view.locator(".mg-canvas svg g.node.summary")).to_have_count(0, timeout=60_000)
    drawn = view.locator(".mg-canvas svg g.node").count()
    assert drawn > before + 100, f"the expanded loop shows {drawn} boxes (folded: {before})"
    assert gaps < 500, f"the page's main thread stalled for {gaps:.0f} ms"
    print(f"kernel answered {answered:.2f} s after the click; longest main-thread gap {gaps:.0f} ms; {drawn} boxes")
    screenshot(view, "long-loop-expanded.png")

    # Over budget: everything unfolded and a budget no layout of it can meet. The view says so, keeps the
    # kernel free, and "draw the first 150 nodes" gives a picture.
    cell = add_and_run_cell(page, expect, "whole = GraphView(loop, collapse=False, layout_budget=0.05)\nwhole")
    whole = cell.locator(".mg-graph-view")
    page.watched = whole
    notice = whole.locator(".mg-layout-notice")
    expect(notice).to_contain_text("needed more than 0.05 s")
    expect(notice).to_contain_text(re.compile(r"has \d{4} boxes"))
    screenshot(whole, "over-budget.png")
    answer = add_and_run_cell(page, expect, "print('still free', len(whole.snapshot.nodes) > 2000)")
    expect(answer.locator(".jp-OutputArea-output")).to_contain_text("still free True", timeout=5_000)
    whole.locator(".mg-layout-notice button", has_text="draw the first 150 nodes").click()
    expect(notice).to_be_hidden(timeout=30_000)
    expect(whole.locator(".mg-canvas svg g.node.summary")).not_to_have_count(0)
    assert whole.locator(".mg-canvas svg g.node").count() <= 160


def test_graph_widget_in_notebook_7(notebook7, notebook7_page, notebooks, expect, screenshot):
    """Jupyter Notebook 7: the chain is drawn with PyTorch's node names, and stepping works."""
    page = notebook7_page
    name = "notebook7_chain.ipynb"
    write_notebook(notebooks.root / name, [CHAIN_IMPORTS, f"{SEED_CHAIN}\nview = GraphView(out)\nview"])
    page.goto(notebook7.url(f"notebooks/{name}"))
    page.locator(".jp-NotebookPanel .jp-Cell").first.wait_for(timeout=60_000)
    notebook7.wait_for_kernel(name)
    run_all_cells(page)
    assert not tracebacks(page), "\n".join(tracebacks(page))
    view = page.locator(".mg-graph-view").first
    page.watched = view
    picture = view.locator(".mg-canvas svg")
    for node in GRAD_FN_NAMES:
        expect(picture).to_contain_text(node)
    view.locator(".mg-walk button", has_text="step").click()
    expect(running_node(picture)).to_contain_text("MeanBackward0")
    view.locator(".mg-walk button", has_text="run to end").click()
    expect(view.locator(".mg-walk .mg-status")).to_contain_text("finished")
    expect(picture.locator("g.node.leaf")).to_contain_text("4.5000")
    screenshot(view, "notebook7.png")
