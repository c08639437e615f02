"""The graph widget in a real JupyterLab, as a learner uses it: open a notebook, Run All, look, click.

The notebook is lesson 03 when it exists. It draws seed 000's chain ``out = (3 * (x + 2)**2).mean()`` with
``x = ones(2, 2)``; what the test expects follows from that math, as PyTorch names and computes it:

- the nodes are MeanBackward0, MulBackward0 twice (``y * y``, then ``* 3``), AddBackward0 and AccumulateGrad;
- backward runs MeanBackward0 first, which sends 1/4 = 0.25 to each entry of z; the outer MulBackward0 runs
  next and sends 3 * 0.25 = 0.75 on towards ``y * y``;
- at the end ``x.grad = 6 * (x + 2) / 4 = 4.5`` in every entry.

The steps need a graph that no ``backward()`` has run through yet. When the lesson shows its graph only
after backward, the test checks the lesson's picture (names, 4.5), then does what a learner would: adds a cell
at the end that builds the chain afresh and shows it, and steps there. Without lesson 03 it opens a small
notebook of the same chain (see chain_notebook.py).

Everything is read from the page (the SVG, the status line, the details panel), never from Python.
"""
import re
import sys
import time
from pathlib import Path

import pytest

from chain_notebook import CHAIN_IMPORTS, SEED_CHAIN, runs_chain_backward

GRAD_FN_NAMES = ("MeanBackward0", "MulBackward0", "AddBackward0", "AccumulateGrad")
WAIT_MS = 20_000  # one round trip: click → kernel → Graphviz → new SVG; generous for a loaded CI machine


@pytest.fixture
def expect():
    from playwright.sync_api import expect

    expect.set_options(timeout=WAIT_MS)
    return expect


# ----- driving JupyterLab ---------------------------------------------------------------------------------------

def run_notebook(page, lab, notebook):
    """Open ``notebook``, wait for its kernel, Run All, and fail with the traceback if a cell failed."""
    started = time.monotonic()
    page.goto(lab.url(f"lab/tree/{notebook}"))
    page.locator(".jp-NotebookPanel .jp-Cell").first.wait_for(timeout=60_000)
    shown = time.monotonic()
    kernel = lab.wait_for_kernel(notebook)
    check_kernel_is_ours(lab, kernel)
    connected = time.monotonic()
    run_all_cells(page)
    failures = tracebacks(page)
    assert not failures, f"a cell of {notebook} failed:\n" + "\n".join(failures)
    lab.wait_for_kernel(notebook)  # idle again: every widget update of the last cells has been sent
    print(f"{notebook}: page {shown - started:.1f} s, kernel {connected - shown:.1f} s, "
          f"Run All {time.monotonic() - connected:.1f} s")


def run_all_cells(page):
    """Run → Run All Cells, then wait until every code cell has run (or one failed, which stops the run)."""
    page.locator(".lm-MenuBar-item", has_text=re.compile(r"^Run$")).click()
    page.locator('.lm-Menu-item[data-command="runmenu:run-all"]').click()
    page.wait_for_function("""() => {
        const prompts = [...document.querySelectorAll('.jp-CodeCell .jp-InputPrompt')];
        const ran = prompts.length > 0 && prompts.every(p => /\\[\\d+\\]/.test(p.textContent));
        const failed = [...document.querySelectorAll('[data-mime-type="application/vnd.jupyter.stderr"]')]
            .some(o => o.textContent.includes('Traceback'));
        return ran || failed;
    }""", timeout=60_000)


def add_and_run_cell(page, expect, code):
    """Add a code cell at the end of the notebook, type ``code`` into it and run it; returns the cell."""
    cells = page.locator(".jp-Notebook .jp-Cell")
    count = cells.count()
    cells.last.locator(".jp-InputPrompt").click()  # select the last cell (command mode)
    page.keyboard.press("Escape")
    page.keyboard.press("b")  # insert a cell below
    expect(cells).to_have_count(count + 1)
    cell = cells.nth(count)
    cell.locator(".cm-content").click()
    page.keyboard.insert_text(code)  # as pasted: no auto-indent or bracket closing on the way
    page.keyboard.press("Control+Enter")  # run, stay on the cell
    expect(cell.locator(".jp-InputPrompt")).to_have_text(re.compile(r"\[\d+\]"))
    return cell


def tracebacks(page):
    return page.locator('[data-mime-type="application/vnd.jupyter.stderr"]', has_text="Traceback").all_inner_texts()


def check_kernel_is_ours(lab, kernel):
    """The kernel runs the Python of the environment running this test (the project's .venv)."""
    command = lab.kernel_command(kernel["id"])
    if command is None:
        return  # no /proc to look in
    assert Path(command[0]).parent == Path(sys.executable).parent, f"kernel runs {command[0]}, not {sys.executable}"


# ----- reading the widget ---------------------------------------------------------------------------------------

def chain_views(page):
    """The GraphViews whose picture shows the seed chain (a lesson holds other graphs too)."""
    return page.locator(".mg-graph-view").filter(
        has=page.locator(".mg-canvas svg", has_text="MeanBackward0").filter(has_text="AddBackward0"))


def ready_to_step(view):
    """Whether the view shows the chain before any backward: the walk waits, x has no grad line, no edge
    carries a gradient. (Read at once, no waiting: the notebook has finished running.)"""
    picture = view.locator(".mg-canvas svg")
    x = graph_node(picture, "x")
    return ("press step" in (view.locator(".mg-status").text_content() or "")
            and x.count() == 1 and x.locator("text", has_text=re.compile(r"^grad\b")).count() == 0
            and not edge_labels(picture))


def graph_node(picture, title):
    """The node whose title (the bold first line) is exactly ``title``."""
    exact = re.compile(rf"^(✓ )?{re.escape(title)}$")
    # a ``has=`` locator is matched inside each candidate, so it is built from the page, not from ``picture``
    return picture.locator("g.node").filter(has=picture.page.locator("text", has_text=exact))


def leaf_node(picture, title):
    """The leaf tensor node titled ``title``: dot.py gives every node its kind as an SVG class (``leaf``)."""
    return graph_node(picture, title).and_(picture.locator("g.node.leaf"))


def running_node(picture):
    """The node backward is running now (class ``running``; dot.py also fills it gold)."""
    return picture.locator("g.node.running")


def done_nodes(picture):
    return picture.locator("g.node.done")


def flowing_edges(picture):
    """The edges a gradient has flowed along (class ``flowing``; drawn red)."""
    return picture.locator("g.edge.flowing")


def overflowing_texts(picture):
    """Texts wider than the node drawn around them, as ``(text, pixels too wide)``: the browser's monospace font
    can be wider than the one Graphviz measured when it sized the boxes."""
    return picture.evaluate("""svg => {
        const found = [];
        for (const node of svg.querySelectorAll('g.node')) {
            const shape = node.querySelector('polygon, path, ellipse');
            if (!shape) continue;
            const box = shape.getBoundingClientRect();
            for (const text of node.querySelectorAll('text')) {
                const r = text.getBoundingClientRect();
                const over = Math.max(box.left - r.left, r.right - box.right);
                if (over > 0.5) found.push([text.textContent, Math.round(over * 10) / 10]);
            }
        }
        return found;
    }""")


def legend_words(view):
    return view.locator(".mg-legend .mg-legend-item").all_text_contents()


def edge_labels(picture):
    """The gradients written on the edges (empty until backward has sent some; the room kept for them is blank)."""
    return [text for text in picture.locator("g.edge text").all_text_contents() if text.strip()]


def detail_row(details, key):
    """The value cell of the details panel's row ``key``."""
    key_cell = details.page.locator("th", has_text=re.compile(rf"^{re.escape(key)}$"))
    return details.locator("tr").filter(has=key_cell).locator("td")


# ----- the test -------------------------------------------------------------------------------------------------

def test_graph_widget_in_jupyterlab(lab, lab_page, notebooks, expect, screenshot):
    started = time.monotonic()
    page = lab_page
    notebook = notebooks.lesson or notebooks.written
    print(f"opening {notebook}")
    run_notebook(page, lab, notebook)
    expect(chain_views(page).first).to_be_visible()  # the front end has drawn the pictures
    if notebooks.lesson:
        check_lesson_graph(page, expect, runs_chain_backward(notebooks.root / notebooks.lesson), screenshot)
    view = next((v for v in chain_views(page).all() if ready_to_step(v)), None)
    if view is None and notebooks.lesson:
        print(f"{notebooks.lesson} draws the chain only after backward: adding a cell that draws it before")
        cell = add_and_run_cell(page, expect, f"{CHAIN_IMPORTS}\n{SEED_CHAIN}\nGraphView(out)")
        assert not tracebacks(page), "the added cell failed:\n" + "\n".join(tracebacks(page))
        view = cell.locator(".mg-graph-view")
    assert view is not None, f"no view of the chain in {notebook} is ready to step"
    walk_through_backward(view, expect, screenshot)
    print(f"browser test took {time.monotonic() - started:.1f} s after the server started")


def check_lesson_graph(page, expect, backward, screenshot):
    """The lesson's pictures of the chain name PyTorch's nodes; after the lesson's backward, the leaf ``x`` shows
    4.5000 (as print(x.grad) does), and the view says at once that this used graph cannot be stepped through.

    Names stick: a later cell that binds ``x`` to another tensor does not rename the leaf of an earlier picture.
    """
    views = chain_views(page)
    page.watched = views.first
    expect(views.first).to_be_visible()
    for picture in views.locator(".mg-canvas svg").all():
        for name in GRAD_FN_NAMES:
            expect(picture).to_contain_text(name)
        expect(leaf_node(picture, "x")).to_have_count(1)
    if backward:
        with_gradient = views.filter(has=page.locator("svg g.node.leaf", has_text="4.5000"))
        expect(with_gradient.first).to_be_visible()
        view = with_gradient.first
        view.scroll_into_view_if_needed()
        # made after backward() freed the graph: the view says so up front, in one line, and offers no step
        expect(view.locator(".mg-status")).to_contain_text("cannot step")
        expect(view.locator(".mg-status")).to_contain_text("before this view was made")
        expect(view.locator('.mg-toolbar [data-action="step"]')).to_be_disabled()
        expect(view.locator('.mg-toolbar [data-action="run"]')).to_be_disabled()
        screenshot(view, "lesson-graph.png")


def walk_through_backward(view, expect, screenshot):
    """Step, run to end, click nodes, move the slider, reset: each visible on the page."""
    view.page.watched = view
    expect(view).to_be_visible()
    view.scroll_into_view_if_needed()
    picture = view.locator(".mg-canvas svg")
    status = view.locator(".mg-status")
    step = view.locator('.mg-toolbar [data-action="step"]')
    details = view.locator(".mg-details")

    # The graph: PyTorch's node names, the multiplication twice, nothing run yet.
    for name in GRAD_FN_NAMES:
        expect(picture).to_contain_text(name)
    expect(graph_node(picture, "MulBackward0")).to_have_count(2)
    expect(graph_node(picture, "x")).to_have_count(1)
    expect(status).to_contain_text("press step")
    expect(step).to_be_enabled()
    expect(running_node(picture)).to_have_count(0)
    assert edge_labels(picture) == [], "gradients drawn before backward ran"
    legend = " | ".join(legend_words(view))
    for words in ("running now", "gradient flowing", "done"):
        assert words in legend, f"the legend does not explain the walk ({words!r}): {legend}"

    # Step 1: MeanBackward0 runs (highlighted) and sends 0.25 down.
    step.click()
    expect(status).to_contain_text("step 1 of")
    expect(running_node(picture)).to_have_count(1)
    expect(running_node(picture)).to_contain_text("MeanBackward0")
    expect(flowing_edges(picture).locator("text", has_text="0.2500").first).to_be_visible()  # as print() spells it
    after_first = edge_labels(picture)

    # Step 2: the highlight moves to the outer MulBackward0, which sends 3 * 0.25 = 0.75 on.
    step.click()
    expect(status).to_contain_text("step 2 of")
    expect(running_node(picture)).to_contain_text("MulBackward0")
    expect(done_nodes(picture)).to_have_count(1)
    expect(done_nodes(picture)).to_contain_text("MeanBackward0")
    expect(flowing_edges(picture).locator("text", has_text="0.7500").first).to_be_visible()
    assert edge_labels(picture) != after_first, "the gradients on the edges did not change with the step"
    screenshot(view, "graph-widget-step-2.png")

    # Run to end: the pass is shown to its end and x shows the gradient backward() would add, 4.5.
    view.locator('.mg-toolbar [data-action="run"]').click()
    expect(status).to_contain_text("finished")
    expect(step).to_be_disabled()
    expect(graph_node(picture, "x")).to_contain_text("would add [[4.5000")
    assert not overflowing_texts(picture), f"text wider than its node: {overflowing_texts(picture)}"

    # Click the leaf: the details panel names it and shows its values and gradient.
    graph_node(picture, "x").click()
    expect(details.locator(".mg-details-header strong")).to_have_text("x")
    expect(details.locator(".mg-kind")).to_contain_text("leaf")
    expect(detail_row(details, "grad")).to_contain_text("None")  # a walk writes nothing
    expect(detail_row(details, "walk")).to_contain_text("would add [[4.5000")
    expect(detail_row(details, "values")).to_contain_text("1.")
    expect(graph_node(picture, "x")).to_have_class(re.compile(r"\bmg-selected\b"))
    screenshot(view, "graph-widget.png")

    # Click a grad_fn node: its own details.
    graph_node(picture, "MeanBackward0").click()
    expect(details.locator(".mg-details-header strong")).to_have_text("MeanBackward0")
    expect(detail_row(details, "name()")).to_have_text("MeanBackward0")

    # The slider walks the same pass: back to two steps, the outer multiplication running again.
    view.locator(".mg-toolbar .mg-walk .mg-slider").fill("2")
    expect(status).to_contain_text("step 2 of")
    expect(running_node(picture)).to_contain_text("MulBackward0")
    expect(graph_node(picture, "x")).not_to_contain_text("4.5")

    # Reset: back to the start of the walk.
    view.locator('.mg-toolbar [data-action="reset"]').click()
    expect(status).to_contain_text("press step")
    expect(running_node(picture)).to_have_count(0)
    expect(flowing_edges(picture)).to_have_count(0)
    assert edge_labels(picture) == [], "gradients left on the edges after reset"


# ----- on a projector ---------------------------------------------------------------------------------------------

PROJECTOR = {"width": 1280, "height": 800}  # a common projector; JupyterLab's file browser stays open


def test_pictures_fit_a_projector_screen(lab, lab_page, notebooks, expect, screenshot):
    """At 1280x800 (see chain_notebook.write_layout_notebook for the pictures): no text runs over its box, the
    picture has the whole width until a node is clicked, the details open beside the clicked node even far down a
    tall picture, the whole view (buttons, picture, legend) fits the screen, the download buttons stay on one line,
    stepping keeps the running node in the frame, and "fit" shows the whole picture in its frame."""
    page = lab_page
    page.set_viewport_size(PROJECTOR)
    run_notebook(page, lab, notebooks.layout)
    notebook = page.locator(".jp-NotebookPanel:not(.lm-mod-hidden)")  # lab may reopen the other test's tab too
    views = notebook.locator(".mg-graph-view")
    expect(views).to_have_count(3)
    for view in views.all():
        view.scroll_into_view_if_needed()
        picture = view.locator(".mg-canvas svg")
        expect(picture.locator("g.node").first).to_be_visible()
        assert not overflowing_texts(picture), f"text wider than its node: {overflowing_texts(picture)}"
    wide = views.nth(1).locator(".mg-canvas svg")
    # d(wide * wide)/d wide = 2 * wide, printed in scientific notation as PyTorch does (max/min > 1000)
    expect(leaf_node(wide, "wide")).to_contain_text("grad [1.0240e+02, 1.0240e+03, 1.0240e-01]")

    tall = views.nth(2)
    page.watched = tall
    tall.scroll_into_view_if_needed()
    details = tall.locator(".mg-details")
    expect(details).to_be_hidden()
    expect(tall.locator(".mg-hint")).to_be_visible()
    canvas = tall.locator(".mg-canvas")
    assert canvas.bounding_box()["width"] > 0.9 * tall.bounding_box()["width"], "the picture does not get the width"
    # buttons, picture and legend on one screen: a step and what it changes are seen without scrolling the page
    notebook_height = notebook.locator(".jp-WindowedPanel-outer").bounding_box()["height"]
    assert tall.bounding_box()["height"] <= notebook_height, f"the view is taller than the {notebook_height} px shown"
    controls = tall.locator(".mg-toolbar > button, .mg-toolbar > details").all()
    assert len({round(control.bounding_box()["y"]) for control in controls}) == 1, "the toolbar takes two rows"

    node = graph_node(tall.locator(".mg-canvas svg"), "SumBackward0")  # the bottom of ten multiplications
    node.scroll_into_view_if_needed()
    node.click()
    expect(details.locator(".mg-details-header strong")).to_have_text("SumBackward0")
    expect(tall.locator(".mg-hint")).to_be_hidden()
    node_box, details_box = node.bounding_box(), details.bounding_box()
    assert details_box["y"] <= node_box["y"] + node_box["height"] and node_box["y"] <= details_box["y"] + \
        details_box["height"], f"details at {details_box}, far from the clicked node at {node_box}"
    assert 0 <= details_box["y"] and details_box["y"] + details_box["height"] <= PROJECTOR["height"]
    screenshot(page, "projector-details.png")

    # Stepping through the chain, the running node stays in the frame: first at the bottom, then (slider) far up
    canvas.evaluate("frame => { frame.scrollTop = 0; }")
    in_frame = """frame => {
        const node = frame.querySelector('g.node.running');
        if (!node) return false;
        const box = node.getBoundingClientRect(), room = frame.getBoundingClientRect();
        return box.top >= room.top && box.bottom <= room.bottom;
    }"""
    tall.locator('.mg-toolbar [data-action="step"]').click()
    expect(running_node(tall.locator(".mg-canvas svg"))).to_contain_text("SumBackward0")
    page.wait_for_function(in_frame, arg=canvas.element_handle(), timeout=WAIT_MS)
    tall.locator(".mg-toolbar .mg-walk .mg-slider").fill("9")
    expect(tall.locator(".mg-status")).to_contain_text("step 9 of")
    page.wait_for_function(in_frame, arg=canvas.element_handle(), timeout=WAIT_MS)

    tall.locator('.mg-toolbar [data-action="fit"]').click()
    # fit shows the whole picture, or, where that would make text smaller than 12 px, scrolls at 12 px
    page.wait_for_function("""canvas => {
        const svg = canvas.querySelector('svg'), picture = svg.getBoundingClientRect();
        const fits = picture.width <= canvas.clientWidth && picture.height <= canvas.clientHeight;
        const small = (parseFloat(svg.querySelector('g.node:not(.legend) text[font-size]')
                                  ? Math.min(...[...svg.querySelectorAll('g.node:not(.legend) text')]
                                      .map(t => parseFloat(t.getAttribute('font-size')))) : 0))
            * picture.width / svg.viewBox.baseVal.width;
        return fits || small >= 11.95;
    }""", arg=canvas.element_handle(), timeout=WAIT_MS)
    screenshot(page, "projector-fit.png")
