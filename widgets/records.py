"""The plain data a picture is made from: ``GraphNode``, ``GraphEdge`` and the ``Snapshot`` holding them.

Strings, numbers and lists only, so a snapshot can be tested, printed and compared without Jupyter or Graphviz.
snapshot.py fills them in from the engine; dot.py draws them.
"""
from dataclasses import asdict, dataclass, field


@dataclass
class GraphNode:
    id: str
    # function (a grad_fn node), leaf, output, tensor (a named intermediate), constant (an input needing no grad,
    # drawn as its own box only when asked for), saved, freed (saved tensors released), summary (folded nodes),
    # detached, grad (a .grad with its own graph), boundary (made before a trace)
    kind: str
    title: str  # the big text: a grad_fn name or a tensor's name
    lines: list = field(default_factory=list)  # smaller text under the title (a matrix's values: one entry, \n)
    output: bool = False  # a tensor given to the view: drawn in the outputs' green
    state: str = ""  # during a step-through: "running" (this step) or "done"
    layer: str = ""  # "grad_graph" for nodes of a graph built by create_graph=True
    constants: list = field(default_factory=list)  # positions in next_functions of inputs that need no grad
    constant_names: list = field(default_factory=list)  # what to call each of them (``x``, ``y``, ``constant``)
    # room kept so the picture does not move while a walk or a backward() fills it in: texts of rows that may
    # appear (drawn blank now, below the lines), and whether the title may get a tick
    room: list = field(default_factory=list)
    tick_room: bool = False
    would_add: str = ""  # during a walk, on a leaf: the gradient backward() would add (nothing is written)
    hover: list = field(default_factory=list)  # a compact picture's node: all its lines, shown on hover


@dataclass
class GraphEdge:
    source: str
    target: str
    kind: str = "next"  # next | variable | output | saved | detached | grad
    label: str = ""  # during a step-through: the gradient that flowed along this edge
    flowing: bool = False
    room: str = ""  # the label this edge gets later in the walk: its place is kept (drawn blank) until then
    output: bool = False  # from a node to a tensor given to the view (drawn solid; to other named tensors dotted)


@dataclass
class Snapshot:
    nodes: list
    edges: list
    roots: list  # ids of the nodes of the tensors given to the view
    graph_size: int  # autograd nodes + leaf tensors + outputs, before any folding
    objects: dict = field(default_factory=dict, repr=False, compare=False)  # id -> tensor, Node or Fold
    reach: frozenset = field(default=frozenset(), repr=False, compare=False)  # id() of every graph node, folded too
    folded_instead: int = 0  # collapse=False was asked for a graph this big (past UNFOLDED_LIMIT): folded instead

    def node(self, node_id):
        for node in self.nodes:
            if node.id == node_id:
                return node
        raise KeyError(node_id)

    def find(self, title=None, kind=None):
        """Nodes with this title and/or kind, in drawing order."""
        return [n for n in self.nodes if (title is None or n.title == title) and (kind is None or n.kind == kind)]

    def id_of(self, obj):
        """The id of the node drawing ``obj`` (a tensor, a grad_fn node); None if it is not drawn."""
        for node_id, drawn in self.objects.items():
            if drawn is obj:
                return node_id
        return None

    def to_dict(self):
        """Plain JSON-able data: nodes, edges, roots and size."""
        return {"nodes": [asdict(n) for n in self.nodes], "edges": [asdict(e) for e in self.edges],
                "roots": list(self.roots), "graph_size": self.graph_size}

    def __repr__(self):
        return f"Snapshot({len(self.nodes)} nodes, {len(self.edges)} edges, graph_size={self.graph_size})"
