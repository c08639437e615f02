"""Keeping every GraphView current: one listener for minigrad's events, one hook after each notebook cell.

Views register here when made. ``minigrad.events`` reports changes (``.grad`` set, a tensor changed in place,
``backward()`` done); each view decides whether the change concerns its picture. After every IPython cell each
view also checks for changes no event reports (a name bound in a later cell, ``requires_grad_()``).
"""
import weakref

from minigrad import events
from widgets.names import _ipython_shell

_LIVE = weakref.WeakSet()  # every open view (held weakly: a view nobody shows any more may go)


def register(view):
    _LIVE.add(view)
    _listen()


def unregister(view):
    _LIVE.discard(view)


def _listen():
    """Once: one listener for minigrad's events (not one per view), and a hook after each IPython cell."""
    if not any(ref() is _dispatch for ref in events.listeners):
        events.subscribe(_dispatch)
    shell = _ipython_shell()
    if shell is not None and not getattr(shell, "_minigrad_views_hooked", False):
        shell._minigrad_views_hooked = True
        shell.events.register("post_run_cell", _after_cell)


def _dispatch(kind, subject):
    """Hand a change to the views; ``node_created`` (every recorded op) returns at once, for speed."""
    if kind == "node_created":
        return
    for view in list(_LIVE):
        view._on_event(kind, subject)


def _after_cell(*_):
    for view in list(_LIVE):
        try:
            view._after_cell()
        except Exception as error:  # one broken view must not break the notebook
            view.message = f"could not redraw: {error}"
