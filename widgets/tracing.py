"""``trace()``: watch a graph being built, one recorded op at a time.

    with trace() as view:
        y = x + 2
        z = y * y * 3
        out = z.mean()

Every op that records a node makes minigrad emit a ``node_created`` event (``minigrad/events.py``; only while
someone asks for that event, so other code pays nothing). The view collects those nodes and redraws as they come.
After the block, its build slider replays the construction op by op: handy for an instructor stepping through a cell.
"""
import sys

from minigrad import events
from widgets.names import caller_namespace


class trace:
    """A context manager whose ``with`` block is drawn as it runs; ``as`` gives the ``GraphView``."""

    def __init__(self, names=None, **options):
        self.names = names
        self.options = options  # passed on to GraphView: values, saved, direction, ...
        self.namespace = caller_namespace(1)
        self.view = None
        self.display = None  # IPython's handle on the displayed output, to update it when the block ends

    def __enter__(self):
        from widgets.view import GraphView

        self.view = GraphView(names=self.names, namespace=self.namespace, _traced=[], **self.options)
        self.view.tracing = True
        events.subscribe(self.view._add_traced, "node_created")  # (held weakly: the view's lifetime is its own)
        self.display = _display(self.view)
        return self.view

    def __exit__(self, *exc_info):
        events.unsubscribe(self.view._add_traced)
        self.view._namespace = caller_namespace(1)  # inside a function: the block's new local names, too
        self.view.tracing = False
        self.view.refresh()  # the final state, whatever the debouncer was waiting for
        if self.display is not None:  # the saved output (and its static picture) shows the finished graph
            self.display.update(self.view)
        return False


def _display(view):
    """Show the view at once in a notebook (a ``with`` statement is not an expression that displays)."""
    ipython = sys.modules.get("IPython")
    shell = ipython.get_ipython() if ipython is not None else None
    if shell is None or getattr(shell, "kernel", None) is None:
        return None
    from IPython.display import display

    return display(view, display_id=True)
