"""The graph behind some tensors, copied into plain data: the first stage of every picture.

    engine (tensors, grad_fn nodes)  →  Snapshot (this module)  →  DOT (dot.py)  →  SVG  →  widget (view.py)

A ``Snapshot`` is a list of ``GraphNode`` and ``GraphEdge`` records: strings and numbers only, so it can be
tested, printed and compared without Jupyter or Graphviz. What it contains:

- one node per ``grad_fn`` (``MulBackward0``, ``AccumulateGrad``, ...), edges exactly as ``next_functions``
  lists them (from the input's node to the node that uses it, the direction data flows forward);
- the leaf tensor behind each ``AccumulateGrad`` (``.variable``), the tensors given to the view (outputs), and
  every other tensor the notebook has a name for;
- an input that needs no gradient (``(None, 0)`` in ``next_functions``: the ``2`` of ``x + 2``) noted on the node
  that uses it, or, with ``constants=True``, as a ``constant`` node of its own;
- optional layers: saved tensors, version numbers, detached copies, and the graph behind a ``.grad`` built
  with ``create_graph=True``;
- the state of a step-through of backward (which node runs, which gradient flows along which edge).

The records themselves (``GraphNode``, ``GraphEdge``, ``Snapshot``) are in records.py.
"""
from collections import defaultdict, deque

from minigrad.autograd import graph
from minigrad.autograd.graph import AccumulateGrad, Function
from minigrad.tensor import Tensor
from widgets.collapse import LONG_RUN, MIN_REPEATS, Fold, find_repeats, fold_remainder
from widgets.names import Names, display_name, output_name
from widgets.records import GraphEdge, GraphNode, Snapshot
from widgets.values import (EDGE_LIMIT, NODE_LIMIT, array_text, compact_text, look, saved_look, storage_key,
                            tensor_lines, value_text)
from widgets.words import say

COLLAPSE_ABOVE = 30  # in graphs of more than this many ops, any pattern repeating MIN_REPEATS times folds
MAX_NODES = 150  # beyond this many drawn nodes, the farthest part is folded (Graphviz slows down past it)
LOOK_AHEAD = 20  # a folded picture looks at most LOOK_AHEAD * max_nodes nodes nearest the outputs; the rest are
# only counted, so a 100 000-node graph is drawn in a fraction of a second
TRACE_LOOK_AHEAD = 10  # ... a trace's picture half as far: it is redrawn while the traced block runs, and each
# redraw takes time from the block (widgets.trace)
UNFOLDED_LIMIT = 1000  # collapse=False on a bigger graph asks first (laying it out could take minutes)


def take_snapshot(tensors=(), names=None, *, values=True, saved=False, versions=False, detached=False,
                  grad_graph=False, collapse=True, constants=False, expanded=(), max_nodes=MAX_NODES, walk=None,
                  traced=None, unfolded_limit=None, lang=None, still=None, compact=False):
    """Copy the graph behind ``tensors`` into a ``Snapshot``.

    ``names`` is a ``widgets.names.Names``; ``walk`` a ``widgets.walk.BackwardWalk`` whose progress is drawn;
    ``traced`` a list of nodes recorded by ``widgets.trace`` (the graph is then made of those nodes);
    ``constants=True`` gives every input that needs no grad a node of its own. With ``collapse=False``, a graph
    of more than ``unfolded_limit`` nodes is folded all the same, and ``Snapshot.folded_instead`` says how big it is.
    ``lang`` is the language of the texts (``widgets.words``); ``still`` (id(tensor) -> a copy of its state, and
    what each op saved: ``view._still_tensors``) draws a frozen picture's moment.
    ``compact`` writes short one-line texts (``widgets.values.compact_text``), for a projector.
    """
    builder = _Builder(names or Names(), values, versions, constants, lang, still, compact)
    return builder.build(list(tensors), traced, saved=saved, detached=detached, grad_graph=grad_graph,
                         collapse=collapse, expanded=set(expanded), max_nodes=max_nodes, walk=walk,
                         unfolded_limit=unfolded_limit)


def reachable(starts):
    """Every autograd node reachable from ``starts``, found with as little work per node as Python allows."""
    seen = set(starts)
    stack = list(seen)
    while stack:
        for node, _ in stack.pop().next_functions:
            if node is not None and node not in seen:
                seen.add(node)
                stack.append(node)
    return seen


def _reach_of_trace(traced, starts):
    """The nodes a trace recorded, and every node they read (nodes made before the block are not looked behind)."""
    seen = set(traced)
    seen.update(starts)
    for node in traced:
        for m, _ in node.next_functions:
            seen.add(m)
    seen.discard(None)
    return seen


def _size(nodes):
    """Nodes as ``graph_size`` counts them: each autograd node, and a leaf tensor for each AccumulateGrad."""
    return len(nodes) + sum(1 for n in nodes if type(n) is AccumulateGrad)


class _Builder:
    def __init__(self, names, show_values, show_versions, constant_nodes, lang=None, still=None, compact=False):
        self.names = names
        self.compact = compact
        self.lang = lang
        self.still = still or {}
        self.show_values = show_values
        self.show_versions = show_versions
        self.constant_nodes = constant_nodes
        self.nodes, self.edges, self.objects = [], [], {}
        self.tensor_ids = {}  # id(tensor) -> node id, for tensors already drawn

    # ----- discovery ------------------------------------------------------------------------------------------
    def _discover_nearest(self, starts, limit):
        """The ``limit`` nodes nearest ``starts`` (breadth first); returns the ones found but not looked into."""
        queue = deque(n for n in dict.fromkeys(starts))
        for node in queue:
            self.inputs[node] = None
        looked = 0
        while queue and looked < limit:
            node = queue.popleft()
            looked += 1
            targets = [m for m, _ in node.next_functions]
            self.inputs[node] = targets
            for m in targets:
                if m is not None and m not in self.inputs:
                    self.inputs[m] = None
                    queue.append(m)
        frontier = set(queue)
        for node in frontier:
            self.inputs[node] = []  # what lies behind it is folded into "… more", uncounted here
        return frontier

    def _discover(self, starts):
        """Every node reachable from ``starts`` (an explicit stack: 10 000-node chains are fine)."""
        stack = [n for n in starts if n not in self.inputs]
        for node in stack:
            self.inputs[node] = None
        while stack:
            node = stack.pop()
            targets = [m for m, _ in node.next_functions]
            self.inputs[node] = targets
            for m in targets:
                if m is not None and m not in self.inputs:
                    self.inputs[m] = None
                    stack.append(m)

    def _discover_traced(self, starts, traced, limit=None):
        """The nodes a trace recorded and what they read; an op made before the block is a boundary, not looked
        into (a leaf's AccumulateGrad reads nothing). With ``limit``, only the ``limit`` latest (nearest the
        trace's results) are looked into; returns the earlier ones they read, which fold into "… more"."""
        inputs = self.inputs
        latest = traced if limit is None or len(traced) <= limit else traced[-limit:]
        earlier = set(traced[:-len(latest)]) if len(latest) < len(traced) else ()
        self.latest = latest
        for node in latest:
            inputs[node] = [m for m, _ in node.next_functions]
        reached = [m for targets in list(inputs.values()) for m in targets if m is not None and m not in inputs]
        frontier = set()
        for node in reached + [n for n in starts if n not in inputs]:
            if node not in inputs:
                inputs[node] = []
                if node in earlier:
                    frontier.add(node)
                elif type(node) is not AccumulateGrad:
                    self.boundary.add(node)
        return frontier

    def build(self, roots, traced, *, saved, detached, grad_graph, collapse, expanded, max_nodes, walk,
              unfolded_limit):
        self.inputs, self.boundary = {}, set()
        starts = [t.grad_fn for t in roots if t.grad_fn is not None]
        starts += [graph.accumulate_grad_node(t) for t in roots if t.grad_fn is None]
        starts = [n for n in starts if n is not None]
        whole, frontier, asked = None, set(), False
        if not grad_graph:  # (a quick count first: it decides how much to look at)
            whole = reachable(starts) if traced is None else _reach_of_trace(traced, starts)
            if not collapse and unfolded_limit is not None and _size(whole) > unfolded_limit:
                collapse, asked = True, True
        limit = (LOOK_AHEAD if traced is None else TRACE_LOOK_AHEAD) * max_nodes
        if whole is None or not collapse or "more" in expanded or len(whole) <= limit:
            limit = None  # looked at whole
        if traced is not None:
            frontier = self._discover_traced(starts, traced, limit)
            starts = starts + self.latest[::-1]  # (the latest nearest the results)
        elif limit is not None:
            frontier = self._discover_nearest(starts, limit)
        else:
            self._discover(starts)
        main_graph = set(self.inputs)
        if grad_graph:  # the graphs behind .grad tensors (create_graph=True) join the picture
            while True:
                grads = [graph.gradient(t).grad_fn for t in self._tensors_with_grads()
                         if graph.gradient(t).grad_fn is not None]
                new = [g for g in grads if g not in self.inputs]
                if not new:
                    break
                self._discover(new)
        self.grad_graph_nodes = set(self.inputs) - main_graph
        users = defaultdict(list)  # node -> the nodes that read it
        for node, targets in self.inputs.items():
            for m in targets:
                if m is not None:
                    users[m].append(node)
        self.users = users
        self._assign_ids()

        # which tensors the notebook names, keyed by the node and output that made them
        named_outputs = {}
        for tensor in self.names.named_tensors():
            if tensor.grad_fn is not None and tensor.grad_fn in self.inputs:
                named_outputs.setdefault((tensor.grad_fn, graph.output_nr(tensor)), tensor)
        root_nodes = {t.grad_fn for t in roots if t.grad_fn is not None}
        pinned = root_nodes | {node for node, _ in named_outputs} | frontier  # (the frontier folds into "more")
        self.named_outputs = named_outputs
        functions = [n for n in self.ordered if type(n) is not AccumulateGrad]
        folds = []
        if collapse:  # a short loop stays whole (a learner counts its steps); long ones, or any in a big graph, fold
            min_repeats = MIN_REPEATS if len(functions) > COLLAPSE_ABOVE else LONG_RUN + 1
            folds = find_repeats(functions, self.inputs, users, pinned, expanded, min_repeats)
        fold_of = {member: fold for fold in folds for member in fold.members}
        if collapse and "more" not in expanded:
            def cost(node):  # drawn nodes a visible graph node brings: a leaf's tensor, constants' own boxes
                if type(node) is AccumulateGrad:
                    return 2
                return 1 + (sum(m is None for m in self.inputs[node]) if self.constant_nodes else 0)

            remainder = fold_remainder(starts, self.inputs, fold_of, cost, max_nodes)
            if frontier:  # the nodes not looked into, and all behind them, are part of the "… more" fold
                hidden = set(remainder.members) if remainder is not None else set()
                members = sorted(hidden | frontier, key=graph.sequence_nr)
                remainder = Fold(members, kind="more", uncounted=len(whole) - len(self.inputs))
            if remainder is not None:  # (a repeat fold is hidden whole or not at all)
                for member in remainder.members:
                    fold_of[member] = remainder
        self.fold_of = fold_of
        self.fold_ids = {fold: f"fold{self.id[fold.members[0]]}" for fold in set(fold_of.values())}
        self.walk = walk

        self._draw_nodes(saved)
        self._draw_edges()
        root_ids = self._draw_roots(roots)
        self._draw_named(named_outputs, traced)
        if grad_graph:
            self._draw_grads()
        if detached:
            self._draw_detached()
        # the autograd nodes, each leaf tensor, and each output drawn as its own tensor node
        counted = self.inputs if whole is None else whole
        graph_size = _size(counted) + sum(1 for n in self.nodes if n.output and n.kind != "leaf")
        return Snapshot(self.nodes, self.edges, root_ids, graph_size, self.objects, frozenset(map(id, counted)),
                        graph_size if asked else 0)

    def _tensors_with_grads(self):
        leaves = [n.variable for n in self.inputs if type(n) is AccumulateGrad]
        return [t for t in leaves if graph.gradient(t) is not None]

    def _assign_ids(self):
        """Ids that stay put while a graph grows: ops by creation order, leaves by their first user."""
        ops = sorted((n for n in self.inputs if type(n) is not AccumulateGrad), key=graph.sequence_nr)
        self.id = {node: f"n{i}" for i, node in enumerate(ops)}
        leaves = [n for n in self.inputs if type(n) is AccumulateGrad]

        def first_use(leaf):  # (the op made first among those reading it, and where it reads it)
            users = self.users.get(leaf)
            if not users:
                return float("inf"), 0
            user = min(users, key=graph.sequence_nr)
            return graph.sequence_nr(user), self.inputs[user].index(leaf)

        leaves.sort(key=first_use)
        for i, node in enumerate(leaves):
            self.id[node] = f"a{i}"
        self.ordered = ops + leaves

    # ----- drawing --------------------------------------------------------------------------------------------
    def _add(self, node, obj):
        if self.compact and isinstance(obj, Tensor):  # hovering a compact node shows all it would say in full
            full = tensor_lines(self._look(obj), self.show_values, self.show_versions,
                                "saved" if node.kind == "saved" else None, self.lang)
            node.hover = full + node.hover
        self.nodes.append(node)
        self.objects[node.id] = obj
        return node

    def unit_id(self, node):
        """The id of what draws ``node``: its own box, or the fold it is part of."""
        fold = self.fold_of.get(node)
        return self.id[node] if fold is None else self.fold_ids[fold]

    def _draw_nodes(self, saved):
        drawn_folds = set()
        for node in self.ordered:
            fold = self.fold_of.get(node)
            if fold is not None:
                if fold not in drawn_folds:
                    drawn_folds.add(fold)
                    self._draw_fold(fold)
                continue
            node_id = self.id[node]
            layer = "grad_graph" if node in self.grad_graph_nodes else ""
            kind, lines = "function", []
            if node in self.boundary:
                kind, lines = "boundary", [say("node.before_trace", self.lang)]
            constants = [position for position, m in enumerate(self.inputs[node]) if m is None]
            constant_names = self._constant_names(node, constants)
            self._add(GraphNode(node_id, kind, display_name(node), lines, state=self._state(node), layer=layer,
                                constants=[] if self.constant_nodes else constants,
                                constant_names=[] if self.constant_nodes else constant_names,
                                tick_room=self.walk is not None), node)
            if type(node) is AccumulateGrad:
                leaf = node.variable
                leaf_id = "v" + node_id[1:]
                self._add(self._leaf_node(leaf_id, node, leaf), leaf)
                self.tensor_ids[id(leaf)] = leaf_id
                self.edges.append(GraphEdge(leaf_id, node_id, "variable"))
            for position, title in zip(constants, constant_names) if self.constant_nodes else ():
                const_id = f"c{node_id[1:]}_{position}"
                self._add(GraphNode(const_id, "constant", title, ["requires_grad=False"]), None)
                self.edges.append(self._next_edge(const_id, node, position))
            if saved and isinstance(node, Function) and node not in self.boundary:
                self._draw_saved(node, node_id)

    def _leaf_node(self, leaf_id, accumulator, leaf):
        """A leaf tensor; during a walk it shows what backward() would add to its ``.grad`` (nothing is written),
        and room is kept for that line, and for its ``.grad`` line while it has none, so nothing moves."""
        node = GraphNode(leaf_id, "leaf", self._name(leaf, "leaf" + leaf_id[1:]), self._lines(leaf))
        if self.walk is None:
            return node
        prefix = say("node.would_add", self.lang)
        final = self.walk.leaf_grad(accumulator, final=True)
        if final is None:
            return node
        grad_text = (value_text(graph.values(final), self.compact, "grad ", shape=False) if self.show_values
                     else say("node.grad_is_set", self.lang))
        add_text = (value_text(graph.values(final), self.compact, prefix, shape=False) if self.show_values
                    else prefix.strip())
        if self._look(leaf).grad is None:
            node.room.append(grad_text)
        if self.walk.leaf_grad(accumulator) is not None:
            node.would_add = add_text
            if self.compact and self.show_values:
                node.hover.append(array_text(graph.values(final), NODE_LIMIT, prefix))
        else:
            node.room.append(add_text)
        return node

    def _constant_names(self, node, positions):
        """What to call each input of ``node`` that needs no grad: the notebook's name for it when the node saved
        it (``y`` of ``mse_loss(pred, y)``, ``x`` of a linear layer), else ``constant``. Names found once stick
        (a backward() frees what the node saved)."""
        if not positions:
            return []
        memory = getattr(self.names, "memory", None)
        remembered = memory.constants.get(node) if memory is not None else None
        if remembered is not None and len(remembered) == len(positions):
            return list(remembered)
        found = []
        for entry in graph.saved_tensors(node):
            tensor = entry.tensor
            if entry.output_nr is not None or tensor is None or tensor.requires_grad:
                continue
            name = self.names.name_of(tensor)
            if name is not None and name not in found:
                found.append(name)
        fallback = say("node.constant", self.lang)
        names = found if len(found) == len(positions) else [fallback] * len(positions)
        if memory is not None and found and len(found) == len(positions):
            memory.constants[node] = tuple(names)
        return names

    def _draw_fold(self, fold):
        fold_id = self.fold_ids[fold]
        if fold.kind == "more":
            lines = [say("node.farthest", self.lang), say("node.click_show", self.lang)]
        else:
            lines = [say("node.folded", self.lang, n=len(fold.members)), say("node.click_expand", self.lang)]
        states = {self._state(m) for m in fold.members}
        state = "running" if "running" in states else "done" if states == {"done"} else ""
        # (a "more" fold's size counts the nodes behind it never looked at, too: its members are only the near ones)
        title = say("node.more_more", self.lang, n=f"{fold.size:,}") if fold.kind == "more" else fold.title
        self._add(GraphNode(fold_id, "summary", title, lines, state=state, tick_room=self.walk is not None), fold)

    def _state(self, node):
        return self.walk.node_state(node) if self.walk is not None else ""

    def _next_edge(self, source_id, consumer, position):
        """The edge from an input to ``consumer``, labelled with the gradient it carried in a step-through."""
        edge = GraphEdge(source_id, self.unit_id(consumer), "next")
        if self.walk is not None and self.inputs[consumer][position] is not None:  # none flows to a constant
            self._label_edge(edge, self.walk.edge_grad(consumer, position),
                             self.walk.final_edge_grad(consumer, position))
        return edge

    def _label_edge(self, edge, grad, final):
        """The gradient an edge carried so far in the walk, and room for the one it carries in the whole pass."""
        if final is not None:
            edge.room = self._edge_text(final)
        if grad is not None:
            edge.label = self._edge_text(grad)
            edge.flowing = True

    def _edge_text(self, grad):
        if not self.show_values:
            return "grad"
        values = graph.values(grad)
        return compact_text(values) if self.compact else array_text(values, EDGE_LIMIT)

    def _draw_edges(self):
        seen = set()
        fold_of = self.fold_of
        for node in self.ordered:
            node_fold = fold_of.get(node)
            for position, m in enumerate(self.inputs[node]):
                if m is None:
                    continue
                m_fold = fold_of.get(m)
                if m_fold is not None and m_fold is node_fold:
                    continue  # inside one fold
                source = self.id[m] if m_fold is None else self.fold_ids[m_fold]
                target = self.id[node] if node_fold is None else self.fold_ids[node_fold]
                if m_fold is not None or node_fold is not None:
                    if (source, target) in seen:
                        continue  # a fold shows one edge per neighbour, not one per member
                    seen.add((source, target))
                self.edges.append(self._next_edge(source, node, position))

    def _draw_saved(self, node, node_id):
        entries = saved_look(node, self.still)
        if any(entry.state == "freed" for entry in entries):
            freed_id = f"s{node_id[1:]}"
            self._add(GraphNode(freed_id, "freed", say("node.freed", self.lang),
                                [say("node.freed_why", self.lang)]), None)
            self.edges.append(GraphEdge(freed_id, node_id, "saved"))
            return
        for position, entry in enumerate(entries):
            tensor = entry.tensor
            if tensor is None:
                continue
            made_here = entry.output_nr is not None  # an output of this node (exp saves its result)
            title = None
            if made_here:
                title = self.names.name_of(self.named_outputs.get((node, entry.output_nr)))  # that output's name
            saved_id = f"s{node_id[1:]}_{position}"
            lines = self._lines(tensor, role="saved")
            if made_here:
                lines.insert(1, say("node.output_of_node", self.lang))
            elif tensor.grad_fn is None and not tensor.requires_grad:
                lines.insert(1, say("node.saved_constant", self.lang))  # the 2 of x * 2, kept for x's gradient
            lines.append(say("node.saved_at", self.lang, v=entry.saved_version))
            if entry.state == "modified":
                lines.append(say("node.now_version", self.lang, v=self._look(tensor).version))
            title = title or self.names.name_of(tensor) or say("node.saved", self.lang)
            self._add(GraphNode(saved_id, "saved", title, lines), tensor)
            self.edges.append(GraphEdge(saved_id, node_id, "saved"))

    def _draw_roots(self, roots):
        root_ids = []
        for position, tensor in enumerate(roots):
            drawn = self.tensor_ids.get(id(tensor))
            if drawn is not None:  # a leaf given as an output: already drawn, mark it
                self._node(drawn).output = True
                root_ids.append(drawn)
                continue
            node_id = f"o{position}"
            if tensor.grad_fn is not None:
                kind = "output"
            elif tensor.requires_grad:
                kind = "leaf"
            else:
                kind = "detached"
            self._add(GraphNode(node_id, kind, output_name(self.names, roots, position), self._lines(tensor),
                                output=True), tensor)
            self.tensor_ids[id(tensor)] = node_id
            root_ids.append(node_id)
            if tensor.grad_fn is not None:
                edge = GraphEdge(self.unit_id(tensor.grad_fn), node_id, "output", output=True)
                if self.walk is not None:
                    self._label_edge(edge, self.walk.root_grad(position), self.walk.final_root_grad(position))
                self.edges.append(edge)
        return root_ids

    def _draw_named(self, named_outputs, traced):
        sinks = set()
        if traced is not None:
            sinks = {n for n in self.latest if not self.users.get(n)}
        for (node, output_nr), tensor in sorted(named_outputs.items(), key=lambda item: graph.sequence_nr(item[0][0])):
            if id(tensor) in self.tensor_ids:
                continue
            node_id = f"t{self.id[node][1:]}_{output_nr}"
            kind = "output" if node in sinks else "tensor"  # a trace's results are its outputs
            self._add(GraphNode(node_id, kind, self.names.name_of(tensor), self._lines(tensor),
                                output=node in sinks), tensor)
            self.tensor_ids[id(tensor)] = node_id
            self.edges.append(GraphEdge(self.unit_id(node), node_id, "output"))

    def _draw_grads(self):
        for tensor, owner_id in [(self.objects[i], i) for i in list(self.tensor_ids.values())]:
            grad = graph.gradient(tensor)
            if grad is None or grad.grad_fn is None or grad.grad_fn not in self.inputs:
                continue
            grad_id = f"g{owner_id}"
            title = f"{self._node(owner_id).title}.grad"
            self._add(GraphNode(grad_id, "grad", title, self._lines(grad), layer="grad_graph"), grad)
            self.edges.append(GraphEdge(self.unit_id(grad.grad_fn), grad_id, "output"))
            self.edges.append(GraphEdge(owner_id, grad_id, "grad", label=".grad"))

    def _draw_detached(self):
        """Tensors the notebook names that share memory with a drawn tensor but are outside the graph."""
        by_storage = {}
        for tensor_id, node_id in self.tensor_ids.items():
            tensor = self.objects[node_id]
            by_storage.setdefault(storage_key(tensor), node_id)
        count = 0
        for tensor in self.names.named_tensors():
            if id(tensor) in self.tensor_ids or tensor.requires_grad:
                continue
            source = by_storage.get(storage_key(tensor))
            if source is None:
                continue
            node_id = f"d{count}"
            count += 1
            self._add(GraphNode(node_id, "detached", self.names.name_of(tensor), self._lines(tensor)), tensor)
            self.tensor_ids[id(tensor)] = node_id
            self.edges.append(GraphEdge(source, node_id, "detached", label="detach()"))

    # ----- text -----------------------------------------------------------------------------------------------
    def _node(self, node_id):
        for node in reversed(self.nodes):
            if node.id == node_id:
                return node
        raise KeyError(node_id)

    def _name(self, tensor, fallback):
        return self.names.name_of(tensor) or fallback

    def _look(self, tensor):
        """The tensor as drawn: now, or (a frozen picture) as it was then."""
        return self.still.get(id(tensor)) or look(tensor)

    def _lines(self, tensor, role=None):
        return tensor_lines(self._look(tensor), self.show_values, self.show_versions, role, self.lang,
                            self.compact)
