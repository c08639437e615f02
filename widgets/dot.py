"""From a Snapshot to a Graphviz picture: the colour language, the labels, and rendering with ``dot``.

Colours follow torchviz, which many PyTorch users already know: ``grad_fn`` nodes grey, leaf tensors light blue,
saved tensors orange, outputs green. During a step-through of backward the running node turns gold, finished
nodes get a tick, and every edge a gradient has flowed along turns red, labelled with that gradient and with its
arrow pointing the way the gradient went (towards the inputs).

Every text that reaches a label (tensor names come from the learner) is escaped for Graphviz's HTML-like labels,
so a tensor named ``<script>`` is drawn as those characters.
"""
import graphviz

FONT = "monospace"

# kind -> (fill colour, Graphviz node style, border colour)
STYLES = {
    "function": ("lightgrey", "filled", "black"),
    "leaf": ("lightblue", "filled", "black"),
    "output": ("darkolivegreen1", "filled", "black"),
    "tensor": ("white", "filled", "gray40"),
    "constant": ("white", "filled,dashed", "gray50"),
    "saved": ("orange", "filled", "black"),
    "freed": ("moccasin", "filled,dashed", "darkorange3"),
    "summary": ("lightgrey", "filled,bold", "black"),
    "detached": ("white", "filled,dotted", "gray30"),
    "grad": ("plum", "filled", "black"),
    "boundary": ("lightgrey", "filled,dashed", "gray40"),
}
OUTPUT_FILL = "darkolivegreen1"
# Graphviz knows X11 colour names that CSS does not; the HTML legend of the widget needs CSS ones
CSS_COLOURS = {"darkolivegreen1": "#caff70", "lightgrey": "#d3d3d3"}


def css_colour(colour):
    return CSS_COLOURS.get(colour, colour)
RUNNING_FILL = "gold"
FLOW_COLOUR = "red"

LEGEND = [  # (kind, words) in the order the legend lists them
    ("function", "grad_fn node"),
    ("leaf", "leaf tensor"),
    ("output", "output"),
    ("tensor", "named tensor"),
    ("constant", "needs no grad"),
    ("saved", "saved tensor"),
    ("freed", "saved tensors freed"),
    ("summary", "folded (click)"),
    ("detached", "not tracked"),
    ("grad", ".grad with a graph"),
    ("boundary", "made before trace"),
]

INSTALL_HELP = (
    "Graphviz's `dot` program was not found, so the graph cannot be drawn here.\n"
    "Install it, then restart the kernel:\n"
    "  Debian/Ubuntu:  sudo apt-get install graphviz\n"
    "  macOS:          brew install graphviz\n"
    "  conda:          conda install -c conda-forge graphviz\n"
    "  Windows:        winget install graphviz\n"
    "Everything else in the notebook keeps working."
)


class DotNotFound(RuntimeError):
    """Graphviz's ``dot`` program is not installed (the Python ``graphviz`` package only writes DOT text)."""

    def __init__(self):
        super().__init__(INSTALL_HELP)


def escape(text):
    """Text made safe for a Graphviz HTML-like label (and so for the SVG and HTML it ends up in)."""
    return (str(text).replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace('"', "&quot;")
            .replace("'", "&#39;"))


def node_label(node, font_size):
    """A bold title over small lines, as an HTML-like label."""
    small = max(font_size - 2, 6)
    title = escape(node.title)
    if node.state == "done":
        title = "✓ " + title
    rows = [f'<TR><TD ALIGN="CENTER"><B>{title}</B></TD></TR>']
    for line in node.lines:
        rows.append(f'<TR><TD ALIGN="LEFT"><FONT POINT-SIZE="{small}">{escape(line)}</FONT></TD></TR>')
    return '<<TABLE BORDER="0" CELLBORDER="0" CELLSPACING="0" CELLPADDING="1">' + "".join(rows) + "</TABLE>>"


def to_dot(snapshot, direction="TB", font_size=10, legend=False, walk_active=False, factory=graphviz.Digraph):
    """A ``graphviz.Digraph`` drawing ``snapshot``: nodes in id order, edges as the snapshot lists them."""
    dot = factory("graph", graph_attr={
        "rankdir": direction, "nodesep": "0.25", "ranksep": "0.35", "bgcolor": "white", "fontname": FONT,
    }, node_attr={  # a wide margin: a browser's monospace font may be wider than the one Graphviz measured
        "shape": "box", "style": "filled", "fontname": FONT, "fontsize": str(font_size), "margin": "0.15,0.05",
        "height": "0.2",
    }, edge_attr={"fontname": FONT, "fontsize": str(max(font_size - 2, 6)), "arrowsize": "0.7"})
    for node in snapshot.nodes:
        fill, style, border = STYLES[node.kind]
        attrs = {"label": node_label(node, font_size), "fillcolor": fill, "style": style, "color": border,
                 "tooltip": escape(node.title)}
        if node.output and node.kind != "output":
            attrs["color"], attrs["penwidth"] = OUTPUT_FILL.replace("1", "3"), "3"
        if node.kind == "summary":
            attrs["shape"] = "box3d"
        if node.kind == "constant":
            attrs["fontcolor"] = "gray30"
        if node.layer == "grad_graph" and node.kind == "function":
            attrs["style"] = "filled,dashed"
        if node.state == "running":
            attrs["fillcolor"], attrs["penwidth"], attrs["color"] = RUNNING_FILL, "3", "red"
        elif node.state == "done":
            attrs["penwidth"] = "2"
        dot.node(node.id, **attrs)
    for edge in snapshot.edges:
        dot.edge(edge.source, edge.target, **_edge_attrs(edge))
    if legend:
        _add_legend(dot, snapshot, font_size, walk_active)
    return dot


def _edge_attrs(edge):
    attrs = {}
    if edge.kind == "saved":
        attrs.update(style="dashed", dir="none", color="darkorange")
    elif edge.kind == "output":
        attrs.update(style="dotted" if edge.target[0] != "o" else "solid", color="gray40")
    elif edge.kind == "detached":
        attrs.update(style="dotted", color="gray30", arrowhead="odot")
    elif edge.kind == "grad":
        attrs.update(style="dashed", color="purple", fontcolor="purple")
    if edge.label:
        attrs["label"] = " " + edge.label + " "  # spaces keep the text off the line
    if edge.flowing:
        attrs.update(color=FLOW_COLOUR, fontcolor=FLOW_COLOUR, penwidth="2", dir="back", style="solid")
    return attrs


def _add_legend(dot, snapshot, font_size, walk_active):
    """One table node at the bottom: a swatch and a few words for every kind the picture uses."""
    kinds = {n.kind for n in snapshot.nodes} | {"function"}
    if any(n.output for n in snapshot.nodes):
        kinds.add("output")
    rows = []
    for kind, words in LEGEND:
        if kind in kinds:
            rows.append(_legend_row(STYLES[kind][0], words, font_size))
    if walk_active:
        rows.append(_legend_row(RUNNING_FILL, "running now", font_size))
        rows.append(_legend_row(FLOW_COLOUR, "gradient flowing", font_size))
    label = ('<<TABLE BORDER="0" CELLBORDER="0" CELLSPACING="2" CELLPADDING="1">'
             f'<TR><TD COLSPAN="2"><B>legend</B></TD></TR>{"".join(rows)}</TABLE>>')
    with dot.subgraph(name="legend_rank") as sink:
        sink.attr(rank="sink")
        sink.node("legend", label=label, shape="box", style="rounded", color="gray60", fillcolor="white",
                  tooltip="legend")


def _legend_row(colour, words, font_size):
    small = max(font_size - 2, 6)
    return (f'<TR><TD BGCOLOR="{colour}" WIDTH="14" HEIGHT="10" BORDER="1"> </TD>'
            f'<TD ALIGN="LEFT"><FONT POINT-SIZE="{small}">{escape(words)}</FONT></TD></TR>')


def render(digraph, format="svg"):
    """Run ``dot`` on the graph: SVG text (without the XML prolog, ready to inline) or PNG bytes."""
    try:
        data = digraph.pipe(format=format)
    except graphviz.ExecutableNotFound:
        raise DotNotFound() from None
    except graphviz.CalledProcessError as failure:
        raise RuntimeError(f"Graphviz's dot could not draw this graph: {failure.stderr!r}") from None
    if format != "svg":
        return data
    text = data.decode("utf-8")
    return text[text.find("<svg"):]  # drop <?xml ...> and the DOCTYPE: the SVG is placed inside HTML
