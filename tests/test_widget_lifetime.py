"""How long a GraphView lives and what it costs the notebook (widgets/live.py, widgets/view.py).

- a view is held only by what displays it: ``del``, a re-run cell or ``close()`` lets it go, with its listeners
  and the graph it showed; nothing in minigrad or the widget package holds it;
- what a live view does after a cell depends on what changed, not on the size of its graph;
- the redraw throttle keeps throttling when one redraw takes longer than its interval;
- stepping through a backward whose Function raises says so and leaves no half-filled ``.grad``.
"""
import gc
import threading
import time
import types
import weakref

import numpy as np
import pytest

import minigrad as torch
from minigrad import events
from minigrad.autograd import Function
from widgets import GraphView, live
from widgets import dot as dot_stage
from widgets.live import Debouncer

from held_timer import HeldTimer


# ----- the redraw throttle -----------------------------------------------------------------------------------------

def test_a_redraw_slower_than_the_interval_still_throttles():
    now = [0.0]
    runs = []

    def slow_redraw():  # takes 0.25 s of the 0.2 s interval
        now[0] += 0.25
        runs.append(now[0])

    HeldTimer.made.clear()
    debouncer = Debouncer(slow_redraw, interval=0.2, clock=lambda: now[0], timer=HeldTimer)
    for _ in range(20):
        now[0] += 0.001
        debouncer.request()
    assert len(runs) == 1 and debouncer.pending  # the quiet time starts when the run ends, not when it starts
    # and lasts twice as long as the run took (0.5 s), counted from the first request after it
    assert len(HeldTimer.made) == 1 and HeldTimer.made[0].wait == pytest.approx(0.499)
    now[0] += 0.5
    HeldTimer.made[0].fire()
    assert len(runs) == 2 and not debouncer.pending  # the last state, drawn once


def test_a_slow_redraw_with_real_threads_runs_twice_for_twenty_requests():
    runs = []
    debouncer = Debouncer(lambda: (time.sleep(0.25), runs.append(1)), interval=0.2)
    for _ in range(20):
        debouncer.request()
    deadline = time.monotonic() + 5
    while (len(runs) < 2 or debouncer.pending or debouncer._running) and time.monotonic() < deadline:
        time.sleep(0.02)
    time.sleep(0.3)  # nothing more comes
    assert len(runs) == 2


def test_a_request_during_a_timer_run_does_not_wait_for_it():
    started, release = threading.Event(), threading.Event()
    runs = []

    def redraw():
        if runs:  # the second run (on the timer thread) is slow
            started.set()
            release.wait(5)
        runs.append(1)

    debouncer = Debouncer(redraw, interval=0.01)
    debouncer.request()
    debouncer.request()  # due: the timer runs it
    assert started.wait(5)
    begun = time.perf_counter()
    debouncer.request()  # while the timer thread draws: noted, not waited for
    waited = time.perf_counter() - begun
    release.set()
    assert waited < 0.5 and debouncer.pending


def test_the_debouncer_holds_its_view_weakly():
    class Owner:
        def redraw(self):
            pass

    owner = Owner()
    debouncer = Debouncer(owner.redraw)
    ref = weakref.ref(owner)
    del owner
    assert ref() is None
    debouncer.request()  # nothing to call: no error


# ----- stepping through a backward that fails ----------------------------------------------------------------------

class BrokenScale(Function):
    """x / n whose backward divides by a Python 0 (a learner's mistake): a ZeroDivisionError, not a RuntimeError."""

    @staticmethod
    def forward(ctx, x):
        ctx.count = 0
        return x * 1

    @staticmethod
    def backward(ctx, grad):
        return grad * (1 / ctx.count)


def test_stepping_a_backward_that_raises_a_non_runtime_error_reports_it_and_restores_grad():
    x = torch.tensor([1.0, 2.0], requires_grad=True)
    w = torch.tensor([3.0, 4.0], requires_grad=True)
    out = (BrokenScale.apply(x) + w * 2).sum()  # w's branch runs before the broken node
    view = GraphView(out)
    ran = 0
    while view.step() is not None:
        ran += 1
    assert ran >= 3 and view.walk_state == "failed"  # Sum, Add, Mul (and w's AccumulateGrad) ran first
    assert view.step_status == "backward would fail here: ZeroDivisionError: division by zero"
    assert w.grad is None and x.grad is None  # nothing half-filled
    with pytest.raises(ZeroDivisionError):  # backward() itself raises the same error
        out.backward(retain_graph=True)


# ----- a view is held only by what displays it ---------------------------------------------------------------------

def widget_registry():
    from ipywidgets.widgets import widget

    return widget._instances


def seed_000():
    x = torch.ones(2, 2, requires_grad=True)
    y = x + 2
    z = y * y * 3
    out = z.mean()
    return x, out


def test_a_closed_view_lets_go_of_its_graph():
    x, out = seed_000()
    leaf = weakref.ref(x)
    view = GraphView(out)
    view.close()
    del view, x, out
    gc.collect()
    assert leaf() is None  # nothing (anywidget's file watcher included) keeps the graph alive


def test_a_deleted_view_is_freed_at_once_with_its_graph_and_listeners():
    x, out = seed_000()
    leaf = weakref.ref(x)
    registry = len(widget_registry())
    view = GraphView(out, saved=True)
    view.step()
    ref = weakref.ref(view)
    gc.disable()  # by reference counting alone: no cycle waits for the garbage collector
    try:
        del view, x, out
        assert ref() is None and leaf() is None
    finally:
        gc.enable()
    assert len(widget_registry()) == registry  # its Layout widget went too
    assert ref not in [weakref.ref(v) for v in live.open_views()]


def backward_seconds(x, repeats=30):
    start = time.perf_counter()
    for _ in range(repeats):
        ((x * 2 + 1) ** 2).sum().backward()
    return (time.perf_counter() - start) / repeats


def test_500_views_made_and_dropped_leave_objects_listeners_and_backward_time_as_before(monkeypatch):
    monkeypatch.setattr(dot_stage, "render", lambda digraph, format="svg": "<svg/>")  # (fast: dot is not the point)
    x = torch.ones(3, requires_grad=True)
    gc.collect()
    before = backward_seconds(x)
    views_before, registry_before = len(live.open_views()), len(widget_registry())
    listeners_before = len(events.listeners)
    refs = []
    for i in range(500):
        out = ((x * 2 + 1) ** 2).sum()
        view = GraphView(out)  # a loop re-binding the name, as re-running `view = GraphView(out)` does
        refs.append(weakref.ref(view))
        if i % 100 == 0:
            view.step()
    del view, out
    gc.collect()
    assert sum(r() is not None for r in refs) == 0
    assert len(live.open_views()) == views_before and len(widget_registry()) == registry_before
    assert len(events.listeners) == listeners_before
    after = backward_seconds(x)
    assert after < 2 * before + 0.002  # (500 live views took 198 s for one backward)


def test_a_view_the_front_end_no_longer_shows_is_let_go_at_the_next_cell():
    x, out = seed_000()
    view = GraphView(out)
    view._repr_mimebundle_()  # displayed
    assert widget_registry().get(view.model_id) is view
    live._before_cell()
    assert widget_registry().get(view.model_id) is view  # still displayed: kept for the front end
    view.set_state({"_view_count": 1})  # the front end rendered it ...
    view.set_state({"_view_count": 0})  # ... and closed that output
    live._before_cell()
    assert view.model_id not in widget_registry()
    ref = weakref.ref(view)
    del view
    assert ref() is None


def test_the_front_ends_messages_reach_the_view_without_keeping_it():
    x, out = seed_000()
    view = GraphView(out)
    message = {"content": {"data": {"method": "custom", "content": {"action": "step"}}}, "buffers": []}
    view.comm.handle_msg(message)
    assert view.step_index == 1
    comm, ref = view.comm, weakref.ref(view)
    del view
    assert ref() is None
    comm.handle_msg(message)  # a late message for a view that is gone: ignored


@pytest.fixture
def shell():
    """A real IPython shell (what a notebook's kernel runs), with cells run by id as JupyterLab runs them."""
    from IPython.core.interactiveshell import InteractiveShell

    shell = InteractiveShell.instance()
    shell.run_cell("import minigrad as torch\nfrom widgets import GraphView, live\nlive._hook_cells()",
                    store_history=True)  # (_hook_cells: what importing widgets does in a notebook, done before here)

    def run(code, cell_id):
        result = shell.run_cell(code, store_history=True, cell_id=cell_id)
        result.raise_error()
        return result.result

    yield types.SimpleNamespace(run=run, ns=shell.user_ns)
    for view in live.open_views():
        view.close()
    InteractiveShell.clear_instance()


def test_a_re_run_cell_replaces_the_view_it_made(shell):
    shell.run("x = torch.ones(2, 2, requires_grad=True)\nout = (x * 3).sum()", "build")
    first = shell.run("GraphView(out)", "view")  # displayed, and kept in Out[] by IPython
    assert first in live.open_views()
    views = set()
    for _ in range(20):
        views.add(shell.run("GraphView(out)", "view"))
    assert first._closed and first not in live.open_views()
    assert [v for v in live.open_views() if v in views] == [shell.run("_", "other")]  # only the newest
    assert first._tensors == () and first.snapshot is None  # a closed view holds no graph
    shell.run("out.backward()", "train")
    latest = [v for v in live.open_views() if v in views][0]
    assert "grad [[3., 3.],\n      [3., 3.]]" in latest.snapshot.find(title="x")[0].lines


def test_a_re_run_cell_keeps_a_view_another_output_still_shows(shell):
    shell.run("x = torch.ones(2, requires_grad=True)\nout = (x * 3).sum()\nview = GraphView(out)", "make")
    kept = shell.run("view", "show")  # a later cell displays it
    shell.run("view = GraphView(out)", "make")
    assert not kept._closed  # the output of "show" still shows it
    shell.run("view", "show")  # that output is replaced too: now nothing shows the old view
    assert kept._closed


def count_redraws(view):
    redraws = []
    redraw = view._redraw
    view._redraw = lambda: (redraws.append(1), redraw())
    return redraws


def test_a_trivial_cell_does_not_redraw_a_view_of_a_big_graph(shell):
    shell.run("x = torch.ones(1, requires_grad=True)\ny = x\n"
              "for _ in range(20000):\n    y = y * 1.0001\nout = y.sum()\nview = GraphView(out)", "build")
    view = shell.ns["view"]
    redraws = count_redraws(view)
    shell.run("1 + 1", "trivial")
    shell.run("a = torch.ones(3)", "unrelated")  # a new tensor, not part of the graph
    shell.run("node = y.grad_fn.next_functions[0][0]", "no tensor")
    shell.run("b = a * 2\ndel a", "unrelated again")
    assert redraws == []
    shell.run("y.retain_grad()", "flag")  # no event reports it: the after-cell check does
    assert redraws == [1] and "non-leaf, retains grad" in view.snapshot.find(title="y")[0].lines
    shell.run("x.requires_grad_(False)", "flag far away")  # x is folded away (20 000 nodes from the output)
    assert redraws == [1]
    shell.run("inside = y", "a name for a tensor of the graph")  # y is drawn already: a second name for it
    assert len(redraws) == 2 and view.select(shell.ns["y"])["rows"][0] == ["names", "y, inside"]
