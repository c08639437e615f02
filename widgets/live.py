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
"""
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
    """Hand a change to the views; ``node_created`` (every recorded op) returns at once, for speed."""
    if kind == "node_created":
        return
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


_hook_cells()  # importing widgets in a notebook hooks its cells at once (events are listened to once a view exists)
