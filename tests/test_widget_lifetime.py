"""How long a GraphView lives and what it costs the notebook (widgets/live.py, widgets/debounce.py, widgets/view.py).

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
from widgets.debounce import Debouncer


class HeldTimer:
    """Stands in for threading.Timer: nothing fires on its own, so the test decides when time passes."""

    made = []

    def __init__(self, wait, callback):
        self.wait, self.callback, self.cancelled, self.daemon = wait, callback, False, False
        HeldTimer.made.append(self)

    def start(self):
        pass

    def cancel(self):
        self.cancelled = True

    def fire(self):
        if not self.cancelled:
            self.callback()


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
    assert len(HeldTimer.made) == 1 and HeldTimer.made[0].wait == pytest.approx(0.199)  # armed by the first request after the run
    now[0] += 0.2
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
    assert view.step_status == "backward failed: ZeroDivisionError: division by zero"
    assert w.grad is None and x.grad is None  # nothing half-filled
    with pytest.raises(ZeroDivisionError):  # backward() itself raises the same error
        out.backward(retain_graph=True)
