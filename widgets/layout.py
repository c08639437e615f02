"""The Graphviz the page lays graphs out with, sent once per kernel to the browser.

Every ``GraphView`` refers to one shared widget model, ``GraphvizModule``, holding the vendored
WebAssembly build of Graphviz (``static/graphviz/viz.js``, gzip-compressed: about 470 KB) and the worker
script that runs it (``static/layout_worker.js``). The page gets the module from the kernel, not from a
CDN, so lessons draw with no network; and because it is a widget model, a notebook saved with its widget
state carries it too, so the saved views draw again when the notebook is reopened without a kernel.

The model has no view of its own: graph.js asks the widget manager for it by id.
"""
import functools
import gzip

import ipywidgets
import traitlets

from widgets.vendor import MODULE, PIN

WORKER = MODULE.parents[1] / "layout_worker.js"


@functools.cache
def compressed_module():
    """viz.js, gzip-compressed the same way every time (no timestamp: a rebuilt notebook does not change)."""
    return gzip.compress(MODULE.read_bytes(), compresslevel=9, mtime=0)


class GraphvizModule(ipywidgets.Widget):
    """Graphviz for the browser (``@viz-js/viz``, see ``widgets/static/graphviz/VENDOR.json``)."""

    module = traitlets.Bytes().tag(sync=True)  # viz.js, gzip-compressed
    worker = traitlets.Unicode().tag(sync=True)  # the layout worker's source (a module worker)
    version = traitlets.Unicode().tag(sync=True)  # "@viz-js/viz 3.31.0, Graphviz 16.1.0"

    def __repr__(self):
        return f"GraphvizModule({self.version})"


_shared = None


def shared_module():
    """The kernel's one ``GraphvizModule`` (made at the first view, made again if it was closed)."""
    global _shared
    if _shared is None or _shared.comm is None:
        _shared = GraphvizModule(module=compressed_module(), worker=WORKER.read_text(encoding="utf-8"),
                                 version=f"{PIN['package']} {PIN['version']}, Graphviz {PIN['graphviz']}")
    return _shared
