"""Pictures of minigrad's computation graph, live in a notebook.

    from widgets import GraphView, trace, draw

- ``GraphView(out)``: a widget that draws the graph behind ``out`` and keeps itself current; step through
  backward with its buttons (or ``.step()``), click a node for its details.
- ``with trace() as view:`` draws a graph while the block builds it, op by op.
- ``draw(out)``: a static ``graphviz.Digraph`` of the same picture.

The stages, each usable alone: ``widgets.snapshot`` (graph → plain data), ``widgets.dot`` (data → DOT/SVG),
``widgets.view`` (the widget). See widgets/README.md.
"""
from widgets.drawing import draw
from widgets.tracing import trace
from widgets.view import GraphView, presentation
from widgets.words import set_language

__all__ = ["GraphView", "trace", "draw", "set_language", "presentation"]
