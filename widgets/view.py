"""``GraphView``: the live picture of a computation graph in a notebook.

    engine → Snapshot (snapshot.py) → DOT (dot.py) → this widget → the browser (static/graph.js), where
    Graphviz compiled to WebAssembly lays the DOT out in a Web Worker (layout.py hands the page its module)

The kernel never waits on a layout: it sends DOT text, and only a picture kept in a saved notebook (the
display's static fallback) or a file exported from Python runs the system ``dot`` program, when it is installed.

The widget listens to minigrad's change events (``minigrad.events``, through live.py): after ``backward()``, when
a ``.grad`` is set, accumulated or zeroed, when a tensor changes in place (an optimizer step), it redraws itself,
at most a few times a second (live.py) and always once more when the cell finishes. walk.py words the
step-through's state; names stick to their tensors once shown (names.py). The buttons of the front end call
the same methods a notebook can call: ``step()``, ``run_to_end()``, ``reset()``, ``select(...)``, ``export(...)``.
"""
import base64
import contextlib
import copy
import os
import pathlib
import re
import threading
import time

import anywidget
import ipywidgets
import traitlets

from minigrad.autograd import graph
from minigrad.autograd.graph import Function
from minigrad.tensor import Tensor
from widgets import dot as dot_stage
from widgets import live as live_views
from widgets.collapse import Fold
from widgets.details import describe
from widgets.drawing import notice_svg
from widgets.layout import GraphvizModule, shared_module
from widgets.names import NameMemory, Names, _is_module, caller_namespace, display_name, explicit_names, outputs_label
from widgets.values import freeze_saved, look, storage_key
from widgets.snapshot import MAX_NODES, UNFOLDED_LIMIT, take_snapshot
from widgets.walk import STEPPABLE, BackwardWalk, walk_status
from widgets import words

STATIC = pathlib.Path(__file__).parent / "static"


def _front_end(name):
    """The front end's text, read once. Given as a path, anywidget would watch the file for edits and keep every
    view ever made alive through that watcher; its live reload stays available for development
    (``ANYWIDGET_HMR=1``)."""
    path = STATIC / name
    return path if os.environ.get("ANYWIDGET_HMR") == "1" else path.read_text(encoding="utf-8")

DIRECTIONS = ("TB", "LR", "BT", "RL")
PRESENTATION_FONT = 16  # the text size of presentation mode, in points
_PRESENTATION = {"on": False}  # presentation mode for every view made from now on (widgets.presentation)
_REDRAW_ON = ("direction", "values", "saved", "versions", "detached", "grad_graph", "collapse", "constants",
              "font_size", "frame")


class GraphView(anywidget.AnyWidget):
    """The graph behind ``tensors``, drawn live; see widgets/README.md for a tour."""

    _esm = _front_end("graph.js")
    _css = _front_end("graph.css")

    dot_source = traitlets.Unicode("").tag(sync=True)  # what the front end lays out and draws
    message = traitlets.Unicode("").tag(sync=True)  # a notice above the picture
    unfold_offer = traitlets.Int(0).tag(sync=True)  # collapse=False on a graph this big was folded: offer to draw it
    _graphviz = traitlets.Instance(GraphvizModule).tag(sync=True, **ipywidgets.widget_serialization)
    layout_budget = traitlets.Float(8.0).tag(sync=True)  # seconds the browser may spend laying out one picture
    label = traitlets.Unicode("").tag(sync=True)
    legend = traitlets.List().tag(sync=True)  # [[colour, words, mark, short words], ...]: what the picture uses
    direction = traitlets.Unicode("TB").tag(sync=True)
    values = traitlets.Bool(True).tag(sync=True)
    saved = traitlets.Bool(False).tag(sync=True)
    versions = traitlets.Bool(False).tag(sync=True)
    detached = traitlets.Bool(False).tag(sync=True)
    grad_graph = traitlets.Bool(False).tag(sync=True)
    collapse = traitlets.Bool(True).tag(sync=True)
    constants = traitlets.Bool(False).tag(sync=True)  # inputs that need no grad as boxes of their own
    font_size = traitlets.Int(10).tag(sync=True)
    zoom = traitlets.Float(1.0).tag(sync=True)
    selected = traitlets.Unicode("").tag(sync=True)
    details = traitlets.Dict().tag(sync=True)
    can_step = traitlets.Bool(False).tag(sync=True)  # step and run to end would do something now
    walk_state = traitlets.Unicode("none").tag(sync=True)  # none | blocked | ready | running | finished | failed
    step_index = traitlets.Int(0).tag(sync=True)  # how many nodes of backward have run in the walk
    step_count = traitlets.Int(0).tag(sync=True)
    step_status = traitlets.Unicode("").tag(sync=True)
    traced = traitlets.Bool(False).tag(sync=True)  # made by trace(): a build slider replays construction
    tracing = traitlets.Bool(False).tag(sync=True)
    frame = traitlets.Int(0).tag(sync=True)  # trace replay: show the first ``frame`` recorded nodes
    frame_count = traitlets.Int(0).tag(sync=True)
    _ready = False  # (class defaults: events may arrive before __init__ has finished)
    _busy = False
    _closed = False
    _show_all = False  # show_all() was called: collapse=False draws every node, however many
    _unreported = (frozenset(), ())  # what _after_cell compares: names bound, drawn tensors' flags
    live = traitlets.Bool(True).tag(sync=True)  # False: a frozen picture of one moment (it can still be stepped)
    lang = traitlets.Unicode("en").tag(sync=True)  # the language of every text: "en" or "zh"
    ui = traitlets.Dict().tag(sync=True)  # the front end's button texts and tooltips, in that language
    presentation = traitlets.Bool(False).tag(sync=True)  # for a projector: bigger text, details hidden

    def __init__(self, *tensors, names=None, values=True, saved=False, versions=False, direction="TB",
                 collapse=True, gradient=None, detached=False, grad_graph=False, font_size=10, namespace=None,
                 constants=False, live=True, lang=None, presentation=None, layout_budget=8.0, _traced=None,
                 _walk=None, _still=None, _memory=None):
        for tensor in tensors:
            if not isinstance(tensor, Tensor):
                raise TypeError(f"GraphView expects tensors, got {type(tensor).__name__}")
        if direction not in DIRECTIONS:
            raise ValueError(f"direction must be one of {', '.join(DIRECTIONS)}, got {direction!r}")
        lang = words.check_language(lang or words.get_language())
        if presentation is None:
            presentation = _PRESENTATION["on"]
        self._ready = False
        live_views.register(self)  # (before the comm opens: its cell, and the weak hold of the comm, need it)
        super().__init__(_graphviz=shared_module(), values=values, saved=saved, versions=versions,
                         direction=direction, collapse=collapse, detached=detached, grad_graph=grad_graph,
                         font_size=font_size, constants=constants, lang=lang, ui=words.ui_words(lang),
                         layout_budget=layout_budget,
                         _view_count=0)  # 0, not None: the front end counts its views of this one
        self._font_before_presentation = font_size
        self._tensors = tensors
        self._namespace = namespace if namespace is not None else caller_namespace(1)
        self._explicit = explicit_names(names, tensors)
        self._memory = _memory or NameMemory()  # the names this view has shown stick to their tensors
        self._trace_nodes = _traced
        self._gradient = gradient
        # the walk through backward is recorded now, so a backward() in a later cell does not take it away
        if _walk is not None:
            self._walk = _walk
        elif any(t.grad_fn is not None for t in tensors):
            self._walk = BackwardWalk(tensors, gradient)
        else:
            self._walk = None
        self._still = _still  # a frozen view: what its tensors looked like at its moment
        self._expanded = set()
        self._max_nodes = MAX_NODES
        self._busy = False  # our own walk is changing .grad: do not react to those events
        self._watched = set()
        self._snapshot = None
        self._debouncer = live_views.Debouncer(self.refresh)
        self._drawing = threading.RLock()  # the debouncer's timer thread and the notebook may both redraw
        self.traced = _traced is not None
        self.label = self._describe_outputs()
        self._ready = True
        self.refresh()
        if not live and self._still is None:
            self._still = _still_tensors(self._snapshot)
            self.live = False
        elif not live:
            self.live = False
        if presentation:
            self.presentation = True

    # ----- the public API -------------------------------------------------------------------------------------
    @property
    def snapshot(self):
        """The plain-data graph currently drawn (a ``widgets.snapshot.Snapshot``)."""
        return self._snapshot

    def refresh(self):
        """Redraw now from the engine's current state (runs by itself after changes; call it to force one)."""
        if self._closed:
            return
        self._debouncer.cancel()  # before taking the lock: the timer thread holds the debouncer's lock
        with self._drawing:
            self._redraw()

    def _redraw(self):
        names = self._names()
        walk = self._walk if self._walk is not None and self._walk.recording is not None else None
        traced = None
        if self._trace_nodes is not None:
            if self.frame_count != len(self._trace_nodes):
                self._follow_trace()
            traced = self._trace_nodes[:self.frame]
        snapshot = take_snapshot(self._tensors, names, values=self.values, saved=self.saved, versions=self.versions,
                                 detached=self.detached, grad_graph=self.grad_graph, collapse=self.collapse,
                                 constants=self.constants, expanded=self._expanded, max_nodes=self._max_nodes,
                                 walk=walk, traced=traced, unfolded_limit=None if self._show_all else UNFOLDED_LIMIT,
                                 lang=self.lang, still=self._still, compact=self.presentation)
        if not self.tracing:  # (mid-trace, a loop's ``h`` is a different tensor at every redraw)
            self._remember_names(snapshot, names)
        source = dot_stage.to_dot(snapshot, self.direction, self.font_size, lang=self.lang,
                                  compact=self.presentation).source
        self._snapshot, self._names_now = snapshot, names
        self._watch(snapshot)
        with self.hold_sync():
            self.message = "\n".join(filter(None, (self._asking(snapshot), self._hooks_note(names))))
            self.unfold_offer = snapshot.folded_instead
            self.dot_source = source  # the front end lays it out (unchanged DOT: nothing is sent)
            self._update_walk_traits()
            walking = self.walk_state not in ("none", "blocked")  # explain the walk's colours before the first step
            short = [text for _, text, _ in dot_stage.legend_entries(snapshot, walking, self.lang, short=True)]
            self.legend = [[dot_stage.css_colour(colour), text, mark, brief] for (colour, text, mark), brief
                           in zip(dot_stage.legend_entries(snapshot, walking, self.lang), short)]
            if self.selected:
                self._show_details(self.selected)

    def show_all(self):
        """Draw every node unfolded, however big the graph (``collapse=False`` asks first past
        ``UNFOLDED_LIMIT`` nodes: laying out thousands of boxes can take minutes)."""
        self._show_all = True
        if self.collapse:
            self.collapse = False  # (redraws)
        else:
            self.refresh()

    def _asking(self, snapshot):
        if not snapshot.folded_instead:
            return ""
        return words.say("message.folded_instead", self.lang, n=f"{snapshot.folded_instead:,}")

    def _hooks_note(self, names):
        """One line when the walk's pass has hooks: the walk runs none (it changes nothing the program sees),
        so a hook that returns a new gradient makes ``backward()`` differ from what the walk shows."""
        walk = self._walk
        if walk is None or walk.why_not() is not None:
            return ""
        places = []
        for node, hook in walk.hooked():
            if hook.kind == "node":
                places.append(display_name(node))
            elif hook.kind == "leaf":
                places.append(names.name_of(node.variable) or words.say("message.a_leaf", self.lang))
            else:
                named = [names.name_of(t) for t in names.named_tensors()
                         if t.grad_fn is node and graph.get_gradient_edge(t).output_nr == hook.output_nr]
                places.append(named[0] if named else words.say("message.output_of", self.lang,
                                                                node=display_name(node)))
        if not places:
            return ""
        return words.say("message.hooks", self.lang, places=", ".join(dict.fromkeys(places)))

    def step(self):
        """Show the next node of the backward pass as run; returns its ``BackwardStep`` (None at the end, or
        when no walk can be made: ``step_status`` says why). Nothing in the program changes: no ``.grad`` is
        written, no hook runs, the graph is not freed (the leaves show what ``backward()`` would add)."""
        if not self._steppable():
            self.refresh()  # the status line says why
            return None
        with self._quiet():
            step = self._walk.step()
        self.refresh()
        return step

    def run_to_end(self):
        """Show the rest of the backward pass as run (the leaves show what ``backward()`` would add to .grad)."""
        if self._steppable():
            with self._quiet():
                self._walk.run_to_end()
        self.refresh()

    def reset(self):
        """Back to the start of the walk (nothing to undo: a walk writes nothing)."""
        if self._walk is not None:
            with self._quiet():
                self._walk.reset()
            self.refresh()

    def select(self, target):
        """Open the details of a node: a tensor, a ``grad_fn`` node, a node's title (``"x"``) or its id."""
        node_id = self._find(target)
        if node_id is None:
            raise ValueError(f"no node for {target!r} in this graph")
        obj = self._snapshot.objects.get(node_id)
        if isinstance(obj, Fold):  # clicking a folded node opens it
            self._expand(obj)
            return None
        self.selected = node_id
        self._show_details(node_id)
        return self.details

    @property
    def svg(self):
        """The picture as SVG drawn by the system ``dot`` (for scripts and tests; the notebook's picture is laid
        out in the browser). Raises ``DotNotFound`` when Graphviz is not installed."""
        return dot_stage.render(self._digraph(legend=False))

    def export(self, path):
        """Save the picture (with its legend) as ``.svg``, ``.png`` or ``.dot``; returns the path. SVG and PNG need
        the system ``dot`` (the toolbar's download buttons do not: the browser draws those)."""
        path = pathlib.Path(path)
        data = self._export_bytes(path.suffix.lower().lstrip("."))
        path.write_bytes(data)
        return path

    def close(self):
        """Close the widget, stop redrawing it, and let go of the graph it showed."""
        if live_views is None:  # (from __del__ while the interpreter shuts down: nothing is left to release)
            return
        live_views.unregister(self)
        if "_debouncer" in self.__dict__:  # close() also runs from __del__, even after a failed __init__
            self._debouncer.cancel()
            with self._drawing:
                self._closed = True
                self._tensors, self._walk, self._trace_nodes, self._snapshot = (), None, None, None
                self._memory, self._watched, self._names_now = NameMemory(), set(), None
                self._namespace, self._explicit, self._gradient = None, {}, None
        layout = self.__dict__.get("_trait_values", {}).get("layout")
        super().close()
        if layout is not None:
            layout.close()  # ipywidgets keeps the view's Layout widget until it is closed too
        if "_debouncer" in self.__dict__:  # IPython's Out may keep the object: not its picture's texts
            self.dot_source, self.legend, self.details, self.step_status = "", [], {}, ""

    def freeze(self):
        """A frozen picture of this moment: a new view that keeps today's values and gradients while this one
        follows later changes (show "before" and "after" side by side). It can still be stepped."""
        walk = None
        if self._walk is not None:
            walk = copy.copy(self._walk)
        return GraphView(*self._tensors, names=self._explicit or None, values=self.values, saved=self.saved,
                         versions=self.versions, direction=self.direction, collapse=self.collapse,
                         gradient=self._gradient, detached=self.detached, grad_graph=self.grad_graph,
                         font_size=self._font_before_presentation, namespace=self._namespace,
                         constants=self.constants, live=False, lang=self.lang, presentation=self.presentation,
                         _walk=walk, _still=_still_tensors(self._snapshot), _memory=self._memory)

    def __repr__(self):
        size = self._snapshot.graph_size if self._snapshot is not None else 0
        frozen = ", frozen" if not self.live else ""
        return f"GraphView({self.label}: {size} nodes{frozen})"

    def _repr_mimebundle_(self, **kwargs):
        live_views.shown(self)  # displayed: held for its front end until that output goes
        data, metadata = super()._repr_mimebundle_(**kwargs)
        pictures, sizes = static_pictures(self._digraph(legend=True), repr(self))
        data.update(pictures)
        metadata.update(sizes)
        return data, metadata

    # ----- reacting to the engine and to the front end --------------------------------------------------------
    def _on_event(self, kind, subject):
        if self._busy or not self._ready or not self.live:
            return
        if kind == "backward_done":
            relevant = any(t.grad_fn is not None and id(t.grad_fn) in self._watched for t in subject)
        else:
            relevant = isinstance(subject, Tensor) and (id(subject) in self._watched
                                                        or storage_key(subject) in self._watched)
        if not relevant:
            return
        self._debouncer.request()  # the walk stays where it is: it describes the pass, not .grad

    def _after_cell(self):
        """After each cell: draw what is due, or what changed without an event (a new name, requires_grad_()).

        Events report every change to values and gradients, so all that is left to look at is the names and the
        drawn tensors' flags: the cost is the size of the namespace and of the picture, not of the graph."""
        if not self.live:
            return
        if self._debouncer.pending:
            self._debouncer.flush()
        elif self._changed_without_event():
            self.refresh()

    def _unreported_state(self):
        """``(names, flags)``: which tensor each notebook name is bound to, and the autograd flags of every
        drawn tensor."""
        names = []
        for name, value in self._namespace.items() if self._namespace is not None else ():
            if isinstance(value, Tensor):
                names.append((name, id(value)))
            elif _is_module(value):
                names.extend((f"{name}.{n}", id(p)) for n, p in value.named_parameters())
        snapshot = self._snapshot
        drawn = snapshot.objects.values() if snapshot is not None else ()
        flags = tuple((id(t), t.requires_grad, t.retains_grad, id(t.grad_fn)) for t in drawn if isinstance(t, Tensor))
        return frozenset(names), flags

    def _changed_without_event(self):
        names, flags = self._unreported_state()
        old_names, old_flags = self._unreported
        if flags != old_flags:
            return True
        if names == old_names:
            return False
        self._unreported = (names, flags)
        new = {value_id for _, value_id in names - old_names}
        if not new:
            return False  # a name went away: names stick to what the picture shows
        reach = self._snapshot.reach if self._snapshot is not None else frozenset()
        for value in self._namespace_values(new):
            if not isinstance(value, Tensor):  # a module's parameters changed
                return True
            if id(value) in self._watched or id(value.grad_fn) in reach:
                return True  # a drawn tensor, or an intermediate of the graph, got a (new) name
            if self.detached and storage_key(value) in self._watched:
                return True  # a view of a drawn tensor's memory (detach(), .data)
        return False

    def _namespace_values(self, ids):
        for _, value in self._namespace.items():
            if id(value) in ids:
                yield value
            elif _is_module(value) and any(id(p) in ids for p in value.parameters()):
                yield value

    @traitlets.observe("comm")
    def _comm_changed(self, change):
        super()._comm_changed(change)
        if change["new"] is not None:
            live_views.hold_weakly(self)

    @traitlets.observe("_view_count")
    def _front_end_views(self, change):
        if change["new"]:  # the front end shows it (in any output, or inside another widget): hold it
            self._seen_by_front_end = True
            live_views.shown(self)

    def _handle_custom_msg(self, content, buffers):
        """A message from the front end (called directly, not through on_msg: no bound method kept)."""
        self._on_message(self, content, buffers)

    def _on_message(self, _widget, content, _buffers):
        action = content.get("action")
        if action == "step":
            self.step()
        elif action == "run_to_end":
            self.run_to_end()
        elif action == "reset":
            self.reset()
        elif action == "select":
            if content.get("id"):
                self.select(content["id"])
            else:
                self.selected, self.details = "", {}
        elif action == "show_all":
            self.show_all()
        elif action == "fold_all":
            self._expanded.clear()
            self._max_nodes = MAX_NODES
            self.refresh()
        elif action == "limit":  # the front end's way out of a layout over its time budget
            self._max_nodes = max(int(content.get("nodes", MAX_NODES)), 10)
            if self.collapse:
                self.refresh()
            else:
                self.collapse = True  # (redraws)
        elif action == "export":  # the browser draws the SVG and PNG from this DOT: no `dot` needed here
            fmt = content.get("format", "svg")
            if fmt in ("svg", "png", "dot"):
                self.send({"export": fmt, "filename": f"{self._file_stem()}.{fmt}",
                           "dot": self._digraph(legend=True).source})

    @traitlets.observe(*_REDRAW_ON)
    def _option_changed(self, change):
        if self._ready:
            if change["name"] == "direction" and change["new"] not in DIRECTIONS:
                self.direction = change["old"]
                return
            self.refresh()

    @traitlets.observe("presentation")
    def _presentation_changed(self, change):
        """Presentation mode: a compact picture (one-line values, all text at least PRESENTATION_FONT points, the
        boxes closer together; the front end also hides the details and fits it to the screen)."""
        before = self.font_size
        if change["new"]:
            self._font_before_presentation = self.font_size
            self.font_size = max(self.font_size, PRESENTATION_FONT)
        else:
            self.font_size = self._font_before_presentation
        if self._ready and self.font_size == before:  # (a new font size redraws by itself)
            self.refresh()

    @traitlets.observe("lang")
    def _lang_changed(self, change):
        if change["new"] not in words.LANGUAGES:
            self.lang = change["old"]
            return
        self.ui = words.ui_words(change["new"])
        if self._ready:
            self.refresh()

    @traitlets.observe("step_index")
    def _slider_moved(self, change):
        if (self._ready and self._walk is not None and change["new"] != self._walk.position
                and self._steppable(moving_back=True)):
            with self._quiet():
                self._walk.seek(max(change["new"], 0))
            self.refresh()

    # ----- helpers --------------------------------------------------------------------------------------------
    def _names(self):
        return Names(self._namespace, self._explicit, self._memory)

    def _steppable(self, moving_back=False):
        """Whether the walk can go on (asked afresh: the graph may have been freed since the last redraw)."""
        state, _ = walk_status(self._walk, self.label, lang=self.lang)
        return state in STEPPABLE or (moving_back and state in ("finished", "failed"))

    def _remember_names(self, snapshot, names):
        """Keep the name of every tensor drawn, so a later cell that rebinds the name does not change it."""
        for obj in snapshot.objects.values():
            if isinstance(obj, Tensor):
                name = names.name_of(obj)
                if name is not None:
                    self._memory.remember(obj, name)

    @contextlib.contextmanager
    def _quiet(self):
        self._busy = True
        try:
            yield
        finally:
            self._busy = False

    def _watch(self, snapshot):
        """Remember what the picture shows, to tell which change events concern it."""
        watched = set()
        for obj in snapshot.objects.values():
            watched.add(id(obj))
            if isinstance(obj, Tensor):
                watched.add(storage_key(obj))
                grad = graph.gradient(obj)
                if grad is not None:
                    watched.add(id(grad))
                    watched.add(storage_key(grad))
        self._watched = watched
        self._unreported = self._unreported_state()

    def _update_walk_traits(self):
        walk = self._walk
        if walk is None and self._trace_nodes is not None:
            self.walk_state, self.step_status = "none", ""
            return
        state, status = walk_status(walk, self.label, several=len(self._tensors) > 1, lang=self.lang)
        if walk is not None:
            self.step_count = walk.total()
            self.step_index = walk.position
        self.walk_state, self.step_status = state, status
        self.can_step = state in STEPPABLE

    def _show_details(self, node_id):
        try:
            self.details = describe(self._snapshot, node_id, self._names_now, self.lang, self._walk, self._still)
        except KeyError:  # the node is gone (the graph changed)
            self.selected, self.details = "", {}

    def _find(self, target):
        snapshot = self._snapshot
        if isinstance(target, str):
            if any(n.id == target for n in snapshot.nodes):
                return target
            matches = snapshot.find(title=target)
            return matches[0].id if matches else None
        return snapshot.id_of(target)

    def _expand(self, fold):
        if fold.kind == "more":
            self._max_nodes *= 2
        else:
            self._expanded.add(fold.key)
        self.selected, self.details = "", {}
        self.refresh()

    def _digraph(self, legend):
        return dot_stage.to_dot(self._snapshot, self.direction, self.font_size, legend=legend,
                                walk_active=self._walk is not None and self._walk.recording is not None,
                                lang=self.lang, compact=self.presentation)

    def _export_bytes(self, fmt):
        if fmt == "dot":
            return self._digraph(legend=True).source.encode("utf-8")
        if fmt == "svg":
            return dot_stage.render(self._digraph(legend=True)).encode("utf-8")
        if fmt == "png":
            return dot_stage.render(self._digraph(legend=True), "png")
        raise ValueError(f"export to .svg, .png or .dot, not {fmt!r}")

    def _file_stem(self):
        return "".join(c if c.isalnum() else "_" for c in self.label) or "graph"

    def _describe_outputs(self):
        if self._trace_nodes is not None:
            return "trace"
        return outputs_label(self._names(), self._tensors) or "nothing"

    # ----- tracing (used by widgets.trace) --------------------------------------------------------------------
    def _add_traced(self, kind, node):
        """A node recorded inside the ``with`` block (a ``node_created`` event): noted, drawn at the next redraw
        (each op costs a list append and a debouncer request, not a message to the front end)."""
        self._trace_nodes.append(node)
        self._debouncer.request()

    def _follow_trace(self):
        """Before a redraw: the build slider's length, and its position if it was at the end (it follows)."""
        following = self.frame == self.frame_count
        self._ready = False  # (a redraw is under way: the frame observer must not start another)
        try:
            self.frame_count = len(self._trace_nodes)
            if following:
                self.frame = self.frame_count
        finally:
            self._ready = True


# A saved notebook shows this where no widget can be drawn: JupyterLab and Notebook 7 before "Trust Notebook"
# (they show PNG, not SVG, from an untrusted notebook), nbconvert's HTML, GitHub. Drawn by the system `dot`
# when it is installed; without it, an SVG that says where the picture is (and a saved notebook's outputs keep
# the same kinds, so nbval compares them the same way on machines with and without `dot`).
PNG_DPI = 96  # the SVG's size, pixel for pixel (a sharper one would make saved lessons much bigger)
# cairo draws the picture (smooth lines, every script's letters); gd writes it with a palette of at most 256
# colours: a third of the bytes of cairo's own 32-bit PNG, and the same to the eye. A kernel keeps every output it
# showed (IPython's output history), so this is also memory: a training notebook re-running its view cell.
# Graphviz builds without gd take cairo's PNG.
PNG_FORMATS = ["png:cairo:gd", "png"]
PNG_WIDTH = 1200  # at most this many pixels wide: a notebook's column is narrower, and shrinks a wider picture


def static_pictures(digraph, title):
    """``({"image/svg+xml": ..., "image/png": ...}, metadata)`` of ``digraph`` drawn by ``dot``; when ``dot`` is
    missing or fails, only an SVG saying so."""
    try:
        svg = dot_stage.render(digraph)
        digraph = digraph.copy()
        digraph.graph_attr["dpi"] = f"{_png_dpi(svg):.4g}"
        png = _png(digraph)
    except dot_stage.DotNotFound:
        return {"image/svg+xml": notice_svg(title, "no static picture: Graphviz's dot was not installed "
                                            "when this cell ran (the live widget draws without it)")}, {}
    except RuntimeError as failure:  # dot failed or took too long: the live widget does not need it
        return {"image/svg+xml": notice_svg(title, f"no static picture: {failure}")}, {}
    width = int.from_bytes(png[16:20], "big")  # the PNG header's width, in pixels
    # the SVG in ASCII (any other character as &#...;): the kernel keeps each output it showed, and Python would
    # store the whole text at 2 or 4 bytes a character for one ✓ or 梯 in it
    svg = svg.encode("ascii", "xmlcharrefreplace").decode("ascii")
    return ({"image/svg+xml": svg, "image/png": base64.b64encode(png).decode("ascii")},
            {"image/png": {"width": width}})


def _png_dpi(svg):
    """PNG_DPI, or less for a picture that would be more than PNG_WIDTH pixels wide (the SVG's width is in points,
    1/72 inch)."""
    match = re.search(r'width="([\d.]+)pt"', svg[:svg.find(">")])
    width = float(match.group(1)) * PNG_DPI / 72 if match else 0
    return PNG_DPI * min(1.0, PNG_WIDTH / width) if width else PNG_DPI


def _png(digraph):
    """The PNG in the first of ``PNG_FORMATS`` this Graphviz knows (the others are then not tried again)."""
    while True:
        try:
            return dot_stage.render(digraph, PNG_FORMATS[0])
        except RuntimeError as failure:
            if len(PNG_FORMATS) == 1 or "not recognized" not in str(failure):
                raise
            del PNG_FORMATS[0]


def presentation(on=True):
    """Presentation mode for the whole kernel: every view made from now on starts in it (bigger text, details
    hidden); ``view.presentation = True`` (or the toolbar's button) turns it on for one view."""
    _PRESENTATION["on"] = bool(on)


def _still_tensors(snapshot):
    """id(tensor) -> what it looked like now (its ``Look``, numbers copied), for every tensor a snapshot draws,
    and what each drawn op saved (``values.freeze_saved``): a frozen picture shows its moment, with or without
    its saved tensors drawn."""
    still = {id(obj): look(obj, frozen=True) for obj in snapshot.objects.values() if isinstance(obj, Tensor)}
    for obj in snapshot.objects.values():
        if isinstance(obj, Function):
            freeze_saved(obj, still)
    return still
