"""``draw()``: a static picture of the graph, as a ``graphviz.Digraph``.

Use it where a live widget is not wanted: in a script, for a figure, or to save a file
(``draw(out).render("graph", format="png")``). In a notebook it shows inline as SVG.
"""
import textwrap

import graphviz

from widgets import dot as dot_stage
from widgets.names import Names, caller_namespace, explicit_names, outputs_label
from widgets.snapshot import MAX_NODES, take_snapshot


class Picture(graphviz.Digraph):
    """A ``graphviz.Digraph`` shown with ``dot`` run within its time budget (``dot.render``), that says what went
    wrong (how to install Graphviz, a layout that took too long) instead of failing."""

    summary = ""

    def _repr_mimebundle_(self, include=None, exclude=None, **kwargs):
        try:
            return {"image/svg+xml": dot_stage.render(self)}
        except RuntimeError as failure:  # DotNotFound, DotTimeout, dot failed: say so in the picture's place
            return {"image/svg+xml": notice_svg(self.summary, str(failure))}

    def __repr__(self):
        return f"Picture({self.summary})"


def draw(*tensors, names=None, values=True, saved=False, versions=False, direction="TB", collapse=True,
         detached=False, grad_graph=False, font_size=10, legend=True, namespace=None, constants=False):
    """The graph behind ``tensors`` as a ``graphviz.Digraph`` (same options as ``GraphView``)."""
    namespace = namespace if namespace is not None else caller_namespace(1)
    explicit = explicit_names(names, tensors)
    found = Names(namespace, explicit)
    snapshot = take_snapshot(tensors, found, values=values, saved=saved, versions=versions, detached=detached,
                             grad_graph=grad_graph, collapse=collapse, constants=constants, max_nodes=MAX_NODES)
    picture = dot_stage.to_dot(snapshot, direction, font_size, legend=legend, factory=Picture)
    picture.summary = f"{outputs_label(found, tensors)}: {snapshot.graph_size} nodes"
    picture.snapshot = snapshot
    return picture


def notice_svg(title, words):
    """A small SVG of two lines of text, in place of a picture."""
    lines = [title] + textwrap.wrap(words, 90)[:4]
    height = 14 + 16 * len(lines)
    bold = ' font-weight="bold"'
    texts = "".join(f'<text x="8" y="{20 + 16 * i}"{bold if i == 0 else ""}>{dot_stage.escape(line)}</text>'
                    for i, line in enumerate(lines))
    return (f'<svg xmlns="http://www.w3.org/2000/svg" width="600" height="{height}" font-family="monospace" '
            f'font-size="12"><rect width="100%" height="100%" fill="#fff8dc" stroke="#e0b000"/>{texts}</svg>')
