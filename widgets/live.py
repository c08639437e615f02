"""Keeping every GraphView current, and letting it go when nothing shows it.

Current: ``minigrad.events`` reports changes (``.grad`` set, a tensor changed in place, ``backward()`` done); one
listener hands them to the views, and each decides whether the change concerns its picture. After every IPython
cell each view also checks, cheaply, for the changes no event reports (a name bound in that cell,
``requires_grad_()``): what it does after a cell depends on what changed, never on the size of its graph.

Lifetime: a view is held only by the code that refers to it and by what displays it.

- The engine holds its listeners weakly, and everything here holds views weakly (``_LIVE``, the redraw
  throttle's action, the handler that brings the front end's messages): a view nobody refers to is freed at once.
- ipywidgets keeps every widget in a registry until ``close()``, so that its front end can reach it. A view is
  in that registry only while it is *displayed*: from the moment it is shown until the front end says its last
  view of it went away (ipywidgets' ``_view_count`` back to 0, noticed at the next cell) or the cell that showed
  it runs again (which replaces its output).
- A cell that runs again replaces the views its previous run made: each is closed once no other output shows
  it. Closing releases everything the view held (the graph, its walk, the names it remembered).

Redrawing (``Debouncer``): at most a few times a second, and always once more at the end. A training loop
changes ``.grad`` and the parameters thousands of times; redrawing on every change would flood the notebook. A
``Debouncer`` runs its action at once if it has been quiet for ``interval`` seconds, and otherwise remembers that
a run is due and makes it at the end of the quiet time (on a timer thread), or when ``flush()`` is called (the
widget flushes after every cell). So the last state is always the one drawn.

The quiet time is counted from when a run *ends*, and lasts at least twice as long as that run took: a redraw
that takes longer than the interval (a big graph, a slow machine) must not make every later request run at once,
and drawing never takes more than a third of the time of the loop it watches.
A run on the timer thread happens outside the lock, so a request made meanwhile only notes that one more is due.
"""
import threading
import time
import weakref

from ipywidgets.widgets import widget as _ipywidgets

from minigrad import events
from widgets.names import _ipython_shell

_LIVE = weakref.WeakSet()  # every open view (held weakly: a view nobody shows any more may go)
_running_cell = [None]  # the id of the notebook cell running now (JupyterLab sends one with each run), if known


def register(view):
    """A new view: listen for it, and note the cell that made it (so running that cell again replaces it)."""
    _listen()
    view._made_in = _running_cell[0]
    view._shown_in = set()  # the cells whose output shows this view
    view._superseded = False  # the cell that made it ran again
    _LIVE.add(view)


def unregister(view):
    _LIVE.discard(view)
    _release_hold(view)


def open_views():
    """The views alive now (for tests and for a notebook asking what keeps memory)."""
    return list(_LIVE)


def hold_weakly(view):
    """Once its comm is open: the comm reaches the view through a weak reference, and ipywidgets' registry
    keeps it only while it is displayed."""
    ref = weakref.ref(view)

    def deliver(message):
        target = ref()
        if target is not None:
            target._handle_msg(message)

    view.comm.on_msg(deliver)
    if not view._shown_in:
        _release_hold(view)


def shown(view):
    """The view was displayed (in the output of the running cell): keep it for its front end."""
    view._shown_in.add(_running_cell[0])
    if view.comm is not None:
        _ipywidgets._instances[view.model_id] = view


def _release_hold(view):
    if view.__dict__.get("_model_id") is not None:
        _ipywidgets._instances.pop(view._model_id, None)


def _listen():
    """Once: one listener for minigrad's events (not one per view), and hooks around each IPython cell."""
    if not any(ref() is _dispatch for ref in list(events.listeners)):
        events.subscribe(_dispatch)
    _hook_cells()


def _hook_cells():
    shell = _ipython_shell()
    if shell is not None and not getattr(shell, "_minigrad_views_hooked", False):
        shell._minigrad_views_hooked = True
        shell.events.register("pre_run_cell", _before_cell)
        shell.events.register("post_run_cell", _after_cell)
        # hooked in the middle of a cell (the one importing widgets): that cell's id, from the kernel's request
        parent = shell.get_parent() if hasattr(shell, "get_parent") else None
        _running_cell[0] = ((parent or {}).get("metadata") or {}).get("cellId")


def _dispatch(kind, subject):
    """Hand a change to the views."""
    for view in list(_LIVE):
        view._on_event(kind, subject)


def _before_cell(info=None):
    """A cell is about to run: its old output (and the views it showed) is being replaced."""
    cell = getattr(info, "cell_id", None)
    for view in list(_LIVE):
        if cell is not None:
            view._shown_in.discard(cell)
            if view._made_in == cell:
                view._superseded = True
        if view._view_count == 0 and view.__dict__.get("_seen_by_front_end"):
            view._shown_in.clear()  # the front end showed it, and has closed every view of it since
        if view._shown_in:
            continue
        if view._superseded:
            view.close()
        else:
            _release_hold(view)  # the code that refers to it keeps it, or nothing does
    _running_cell[0] = cell
    if not _LIVE:  # no view left: the engine need not report anything (it skips events nobody listens to)
        events.unsubscribe(_dispatch)


def _after_cell(*_):
    for view in list(_LIVE):
        try:
            view._after_cell()
        except Exception as error:  # one broken view must not break the notebook
            view.message = f"could not redraw: {error}"


class Debouncer:
    """Calls ``action`` (held weakly when it is a bound method: a debouncer never keeps its view alive)."""

    def __init__(self, action, interval=0.2, clock=time.monotonic, timer=threading.Timer):
        self._action = weakref.WeakMethod(action) if hasattr(action, "__self__") else (lambda: action)
        self.interval = interval
        self.clock = clock
        self.timer = timer  # a threading.Timer-like factory; tests pass one they trigger by hand
        self.pending = False
        self.runs = 0
        self._last_end = None  # when the last run finished
        self._last_duration = 0.0  # how long it took
        self._running = False
        self._armed = None
        self._lock = threading.RLock()

    def request(self):
        """Ask for a run: now if it has been quiet long enough, else at the end of the quiet time."""
        if self.pending and self._armed is not None:
            return  # already due, and the timer set (the common case inside a loop: no lock to take)
        with self._lock:
            now = self.clock()
            quiet = self._last_end is None or now - self._last_end >= self._quiet_time()
            if self._armed is None and not self._running and quiet:
                self._run()
                return
            self.pending = True
            if self._armed is None and not self._running:  # a run in progress re-arms when it ends
                self._arm(now)

    def flush(self):
        """Make a due run now."""
        with self._lock:
            self._disarm()
            if self.pending:
                self._run()

    def cancel(self):
        with self._lock:
            self._disarm()
            self.pending = False

    def _quiet_time(self):
        return max(self.interval, 2 * self._last_duration)

    def _arm(self, now):
        wait = self._quiet_time()
        if self._last_end is not None:
            wait = max(wait - (now - self._last_end), 0.0)
        self._armed = self.timer(wait, self._on_timer)
        self._armed.daemon = True
        self._armed.start()

    def _on_timer(self):
        with self._lock:
            self._armed = None
            if not self.pending or self._running:
                return
            self.pending, self._running = False, True
            started = self.clock()
        try:
            self._call()
        except Exception:  # the notebook may be mid-change; the next flush draws the final state
            self.pending = True
        finally:
            with self._lock:
                self._running = False
                self._last_end = self.clock()
                self._last_duration = self._last_end - started
                if self.pending and self._armed is None:
                    self._arm(self._last_end)

    def _disarm(self):
        if self._armed is not None:
            self._armed.cancel()
            self._armed = None

    def _run(self):
        self.pending = False
        self._running = True
        started = self.clock()
        try:
            self._call()
        finally:
            self._running = False
            self._last_end = self.clock()
            self._last_duration = self._last_end - started

    def _call(self):
        self.runs += 1
        action = self._action()
        if action is not None:  # (its view is gone: nothing to draw)
            action()


_hook_cells()  # importing widgets in a notebook hooks its cells at once (events are listened to once a view exists)
