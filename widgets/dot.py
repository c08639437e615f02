"""From a Snapshot to a Graphviz picture: the colour language, the labels, and rendering with ``dot``.

Colours follow torchviz, which many PyTorch users already know: ``grad_fn`` nodes grey, leaf tensors light blue,
saved tensors orange, outputs green. During a step-through of backward the running node turns gold, finished
nodes get a tick, and every edge a gradient has flowed along turns red, labelled with that gradient and with its
arrow pointing the way the gradient went (towards the inputs).

Every node and edge also carries Graphviz ``class`` names (``function``, ``leaf``, ``output``, ``running``,
``done``, ``flowing``, ...), which end up in the SVG: ``g.node.running`` finds the running node without knowing
its colour.

Every text that reaches a label (tensor names come from the learner) is escaped for Graphviz's HTML-like labels,
so a tensor named ``<script>`` is drawn as those characters.
"""
import ctypes
import math
import re
import shutil
import subprocess
import sys
import unicodedata

import graphviz

from widgets.names import visible
from widgets.words import say

# "Courier": Graphviz in the browser (WebAssembly) has no fonts to measure and estimates text widths from
# built-in tables, which know Courier (0.6 em a character) but take "monospace" for Times (narrower), so text
# ran over its box. The SVG asks for "Courier,monospace": a browser without Courier draws its monospace font.
FONT = "Courier"
# Graphviz sizes a box from its own measure of the text, which at small sizes comes out a few percent narrower
# than the monospace font a browser then draws (DejaVu Sans Mono, Menlo, Courier New: 0.60 em a character), so
# a long line of numbers ran over the right edge of its box. Every cell asks for the width such a font needs.
MONO_ADVANCE = 0.61

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
RUNNING_FILL = "gold"
FLOW_COLOUR = "red"
GRAD_GRAPH_COLOUR = "purple"
# Graphviz knows X11 colour names that CSS does not; the HTML legend of the widget needs CSS ones
CSS_COLOURS = {"darkolivegreen1": "#caff70", "lightgrey": "#d3d3d3", "gray40": "#666666", "gray50": "#7f7f7f",
               "gray30": "#4d4d4d", "darkorange3": "#cd6600"}

WOULD_ADD_COLOUR = "darkgoldenrod"  # a leaf's "backward would add": shown, never written
LEGEND = ["function", "leaf", "output", "tensor", "constant", "saved", "freed", "summary", "detached", "grad",
          "boundary"]  # the kinds, in the order the legend lists them (words: widgets/words.py, legend.<kind>)
# what a step-through of backward adds: (colour, words, mark)
WALK_LEGEND = [
    (RUNNING_FILL, "running", "box"),
    (FLOW_COLOUR, "flowing", "line"),
    ("black", "done", "tick"),
    (WOULD_ADD_COLOUR, "would_add", "text"),
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


def css_colour(colour):
    return CSS_COLOURS.get(colour, colour)


def escape(text):
    """Text made safe for a Graphviz HTML-like label (and so for the SVG and HTML it ends up in).

    Besides ``&<>"'``, what XML cannot hold is spelt out (``visible``: a tab as ``\\t``), and a backslash is
    doubled: Graphviz reads ``\\N`` as the node's id and ``\\G`` as the graph's name, even in a label."""
    return _entities(text).replace("\\", "\\\\")


def quoted_text(text):
    """Text for a double-quoted DOT attribute (a tooltip), escaped as for a label. There Graphviz undoes a
    backslash twice (reading the string, then its ``\\N``, ``\\n`` escapes), so one is written as four; a
    character reference would not do (it is decoded before the escapes)."""
    return _entities(text).replace("\\", "\\" * 4)


def _entities(text):
    return (visible(str(text)).replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
            .replace('"', "&quot;").replace("'", "&#39;"))


def title_text(title):
    """A node's title (often a name the learner chose), escaped with its spaces kept (``_text``); its ``]`` as a
    character reference, since Graphviz's label parser fails on a text that is only ``]`` or ``]]``."""
    return _text(title).replace("]", "&#93;")


def _text(line):
    """One line of a label, escaped. The spaces that line up a printed matrix's columns stay plain spaces:
    Graphviz measures them right (a no-break space it takes for a wide character, in the browser), and its SVG
    keeps them (``xml:space="preserve"``, added by ``render`` where the system ``dot`` leaves it out)."""
    return escape(line)


def text_width(line, size, wide=2):
    """The points a line of monospace text needs at ``size`` (a wide character, such as 梯度's, takes ``wide``
    columns), plus the padding of the cell around it: a cell's minimum ``WIDTH``.

    The browser's Graphviz places a line by its own guess of the line's width, which takes a wide character for
    about 1.8 em (three columns): a line guessed wider than its cell starts left of the box (将加上, 叶子，requires
    grad over the border), so node labels count three columns."""
    columns = sum(wide if unicodedata.east_asian_width(c) in ("W", "F") else 1 for c in line)
    return math.ceil(columns * size * MONO_ADVANCE) + 2


TICK = "✓ "
TENSORS = ("leaf", "output", "tensor", "detached", "grad", "saved")  # the kinds of node that draw a tensor


def line_height(size, padding=2):
    """The points a line of text of ``size`` takes in a cell (Graphviz's line spacing, 1.2, and the padding)."""
    return math.ceil(size * 1.2) + padding


def _fixed(width, height):
    """A cell of exactly this size, whatever Graphviz estimates for its text. In the browser Graphviz has no
    fonts and guesses text widths from tables that take a no-break space (the indent of a printed matrix's rows)
    for a wide character: a line with its text would be laid out wider than the same line kept blank, and the
    picture would move when a walk fills it in."""
    return f'FIXEDSIZE="TRUE" WIDTH="{width}" HEIGHT="{height}"'


def text_sizes(font_size, compact=False):
    """``(lines, tags)``: the point sizes of a node's small lines and of its constants' tags. A compact picture
    (a projector) writes everything at the title's size: the smallest text sets how far "fit" may shrink it."""
    if compact:
        return font_size, font_size
    small = max(font_size - 2, 6)
    return small, small  # a tag (a model's input x) is read as often as the lines under it


def node_label(node, font_size, compact=False):
    """A bold title (with a dashed tag for each input that needs no grad: ``x``, ``constant``) over small lines.

    Room kept for what a walk or a ``backward()`` adds later (a tick, a leaf's gradient lines) is drawn blank,
    so every step of a walk gives the same picture geometry: nothing moves, only colours and texts change.
    """
    small, tag = text_sizes(font_size, compact)
    wide = 3  # the browser's Graphviz guesses a wide character (叶子, 梯度) at about three columns

    def width(line, size):
        return text_width(line, size, wide)

    cells = []
    if node.tick_room:  # a cell of its own, as wide when blank as with its tick: the title never moves
        tick = "✓" if node.state == "done" else "&#160;"
        cells.append(f'<TD ALIGN="RIGHT" CELLPADDING="0" {_fixed(2 * font_size, line_height(font_size))}>'
                     f'<B>{tick}</B></TD>')
        title = visible(node.title)
    else:
        title = visible(TICK + node.title if node.state == "done" else node.title)
    lines = list(node.lines)
    if compact and node.kind in TENSORS and lines and "\n" not in lines[0] and not node.constants:
        value = " " + lines.pop(0)  # a compact tensor reads like the code that made it: x = [[1., 1.], [1., 1.]]
        cells.append(f'<TD ALIGN="LEFT" {_fixed(width(title + value + " ", font_size), line_height(font_size))}>'
                     f'<B>{title_text(title)}</B>{_text(value)}</TD>')
    else:
        cells.append(f'<TD ALIGN="CENTER" WIDTH="{width(title, font_size)}"><B>{title_text(title)}</B></TD>')
    for position, name in zip(node.constants, node.constant_names or ["constant"] * len(node.constants)):
        # the 2 of x + 2, a model's input x: next_functions lists it as (None, 0), and no gradient goes there
        cells.append(f'<TD BORDER="1" STYLE="dashed" COLOR="gray50" BGCOLOR="white" CELLPADDING="2" '
                     f'WIDTH="{max(width(name, tag) + 4, 2 * tag)}">'
                     f'<FONT POINT-SIZE="{tag}" COLOR="gray30">{title_text(name)}</FONT></TD>')
    span = f' COLSPAN="{len(cells)}"' if len(cells) > 1 else ""
    rows = ["<TR>" + "".join(cells) + "</TR>"]

    def add_rows(entry, colour=None, blank=False):
        for line in entry.split("\n"):  # a matrix prints on several lines, as print() lays it out
            font = f'<FONT POINT-SIZE="{small}" COLOR="{colour}">' if colour else f'<FONT POINT-SIZE="{small}">'
            text = "&#160;" if blank else _text(line)
            rows.append(f'<TR><TD ALIGN="LEFT"{span} {_fixed(width(line, small), line_height(small))}>'
                        f'{font}{text}</FONT></TD></TR>')

    for entry in lines:
        add_rows(entry)
    if node.would_add:
        add_rows(node.would_add, WOULD_ADD_COLOUR)
    for entry in node.room:
        add_rows(entry, blank=True)
    spacing = ' CELLSPACING="2"' if node.constants else ' CELLSPACING="0"'
    return f'<<TABLE BORDER="0" CELLBORDER="0"{spacing} CELLPADDING="1">' + "".join(rows) + "</TABLE>>"


def edge_label(text, font_size=8, room=""):
    """An edge's text (a gradient, maybe several lines of a matrix), each line left-aligned, in a cell as wide as
    a browser draws it (so it never runs into the edge or past the picture). ``room``: the text this label will
    show later; its place is kept now (drawn blank) so the layout does not change when it appears."""
    shown = text.split("\n") if text else []
    sized = (room or text).split("\n")
    widest = max(text_width(" " + line, font_size) for line in sized)
    lines = [_text(line) for line in shown] + ["&#160;"] * max(len(sized) - len(shown), 0)
    body = "<BR ALIGN=\"LEFT\"/>".join(lines) + '<BR ALIGN="LEFT"/>'
    size = _fixed(widest, len(lines) * line_height(font_size, padding=0) + 4)
    return (f'<<TABLE BORDER="0" CELLBORDER="0" CELLSPACING="0" CELLPADDING="2"><TR><TD ALIGN="LEFT" '
            f'{size} BALIGN="LEFT">{body}</TD></TR></TABLE>>')


def node_classes(node):
    """Graphviz ``class`` names of a node: its kind, ``output``, its walk state, ``grad-graph``."""
    classes = [node.kind]
    if node.output and node.kind != "output":
        classes.append("output")
    if node.state:
        classes.append(node.state)
    if node.constants:
        classes.append("with-constant")
    if node.layer == "grad_graph":
        classes.append("grad-graph")
    return " ".join(classes)


# A compact picture (a projector) sets its boxes closer: every point saved is a bigger text on the screen
SPACING = {False: {"nodesep": "0.25", "ranksep": "0.35"}, True: {"nodesep": "0.15", "ranksep": "0.12"}}


def to_dot(snapshot, direction="TB", font_size=10, legend=False, walk_active=False, factory=graphviz.Digraph,
           lang=None, compact=False):
    """A ``graphviz.Digraph`` drawing ``snapshot``: nodes in id order, edges as the snapshot lists them.
    ``compact``: for a snapshot taken with ``compact=True`` (one-line texts), every text at ``font_size`` and
    the boxes closer together, so the picture fits a projector's screen with its text still big."""
    dot = factory("graph", graph_attr={
        "rankdir": direction, **SPACING[bool(compact)], "bgcolor": "white", "fontname": FONT,
    }, node_attr={  # small margins: each label cell asks for the width a browser's monospace font needs (text_width)
        "shape": "box", "style": "filled", "fontname": FONT, "fontsize": str(font_size), "margin": "0.08,0.04",
        "height": "0.2",
    }, edge_attr={"fontname": FONT, "fontsize": str(text_sizes(font_size, compact)[0]), "arrowsize": "0.7"})
    grad_graph = [n for n in snapshot.nodes if n.layer == "grad_graph"]
    for node in snapshot.nodes:
        if node.layer != "grad_graph":
            dot.node(node.id, **_node_attrs(node, font_size, lang, compact))
    if grad_graph:  # a frame around the graph backward built (create_graph=True), apart from the forward graph
        with dot.subgraph(name="cluster_grad_graph") as frame:
            frame.attr(label=say("graph.grad_graph", lang), style="dashed,rounded", color=GRAD_GRAPH_COLOUR,
                       fontcolor=GRAD_GRAPH_COLOUR, fontsize=str(max(font_size - 2, 6)), labeljust="l")
            for node in grad_graph:
                frame.node(node.id, **_node_attrs(node, font_size, lang, compact))
    edge_size = text_sizes(font_size, compact)[0]  # (the edge's fontsize above: its label's text has no FONT)
    for edge in snapshot.edges:
        dot.edge(edge.source, edge.target, **_edge_attrs(edge, edge_size))
    if legend:
        _add_legend(dot, snapshot, font_size, walk_active, lang)
    return dot


def _node_attrs(node, font_size, lang=None, compact=False):
    fill, style, border = STYLES[node.kind]
    attrs = {"label": node_label(node, font_size, compact), "fillcolor": fill, "style": style, "color": border,
             "tooltip": _tooltip(node, lang), "class": node_classes(node)}
    if node.output and node.kind != "output":
        attrs["color"], attrs["penwidth"] = OUTPUT_FILL.replace("1", "3"), "3"
    if node.kind == "summary":  # the 3-D box draws its depth inside the node: room for it around the title
        attrs["shape"], attrs["margin"] = "box3d", "0.16,0.08"
    if node.kind == "constant":
        attrs["fontcolor"] = "gray30"
    if node.layer == "grad_graph" and node.kind == "function":
        attrs["style"] = "filled,dashed"
    if node.state == "running":
        attrs["fillcolor"], attrs["penwidth"], attrs["color"] = RUNNING_FILL, "3", "red"
    elif node.state == "done":
        attrs["penwidth"] = "2"
    return attrs


def _tooltip(node, lang=None):
    """What hovering the node shows (quoted for DOT): what its title and tags mean, and in a compact picture all
    its lines (a matrix on several, as ``print`` lays it out)."""
    if node.constants:
        positions = ", ".join(str(p) for p in node.constants)
        text = say("tooltip.constant", lang, title=node.title, positions=positions)
    elif node.would_add:
        text = f"{node.title}: {say('tooltip.would_add', lang)}"
    else:
        text = node.title
    lines = [text] + [line for entry in node.hover for line in entry.split("\n")]
    return "\\n".join(quoted_text(line) for line in lines)  # (DOT's newline escape)


def _edge_attrs(edge, font_size=8):
    attrs = {"class": edge.kind + (" flowing" if edge.flowing else "")}
    if edge.kind == "saved":
        attrs.update(style="dashed", dir="none", color="darkorange")
    elif edge.kind == "output":
        attrs.update(style="solid" if edge.output else "dotted", color="gray40")
    elif edge.kind == "detached":
        attrs.update(style="dotted", color="gray30", arrowhead="odot")
    elif edge.kind == "grad":
        attrs.update(style="dashed", color=GRAD_GRAPH_COLOUR, fontcolor=GRAD_GRAPH_COLOUR)
    if edge.label or edge.room:
        attrs["label"] = edge_label(edge.label, font_size, edge.room)
    if edge.flowing:
        attrs.update(color=FLOW_COLOUR, fontcolor=FLOW_COLOUR, penwidth="2", dir="back", style="solid")
    return attrs


def legend_entries(snapshot, walk_active=False, lang=None, short=False):
    """``(colour, words, mark)`` for what the picture uses; mark is how the swatch looks: ``box`` (filled),
    ``dashed`` or ``dotted`` (its border), ``line`` (an edge), ``tick``, ``text`` (coloured text). ``short``: a
    word or two each (``legend_short.*``), for a legend that stays one row on a projector."""
    group = "legend_short." if short else "legend."
    kinds = {n.kind for n in snapshot.nodes} | {"function"}
    if any(n.output for n in snapshot.nodes):
        kinds.add("output")
    if any(n.constants for n in snapshot.nodes):
        kinds.add("constant")
    entries = []
    for kind in LEGEND:
        if kind in kinds:
            fill, style, _ = STYLES[kind]
            mark = "dashed" if "dashed" in style else "dotted" if "dotted" in style else "box"
            entries.append((fill, say(group + kind, lang), mark))
        if kind == "function" and any(n.layer == "grad_graph" and n.kind == "function" for n in snapshot.nodes):
            entries.append((STYLES["function"][0], say(group + "grad_graph_function", lang), "dashed"))
    if walk_active:
        entries.extend((colour, say(group + kind, lang), mark) for colour, kind, mark in WALK_LEGEND)
    return entries


def _add_legend(dot, snapshot, font_size, walk_active, lang=None):
    """One table node at the bottom: a swatch and a few words for everything the picture uses."""
    rows = [_legend_row(colour, words, mark, font_size)
            for colour, words, mark in legend_entries(snapshot, walk_active, lang)]
    title = say("legend.title", lang)
    label = ('<<TABLE BORDER="0" CELLBORDER="0" CELLSPACING="2" CELLPADDING="1">'
             f'<TR><TD COLSPAN="2"><B>{escape(title)}</B></TD></TR>{"".join(rows)}</TABLE>>')
    with dot.subgraph(name="legend_rank") as sink:
        sink.attr(rank="sink")
        sink.node("legend", label=label, shape="box", style="rounded", color="gray60", fillcolor="white",
                  tooltip="legend", **{"class": "legend"})


def _legend_row(colour, words, mark, font_size):
    small = max(font_size - 2, 6)
    if mark == "line":
        swatch = f'<TD><FONT COLOR="{colour}"><B>←</B></FONT></TD>'
    elif mark == "tick":
        swatch = f'<TD><FONT COLOR="{colour}"><B>✓</B></FONT></TD>'
    elif mark == "text":
        swatch = f'<TD><FONT COLOR="{colour}" POINT-SIZE="{small}"><B>+g</B></FONT></TD>'
    elif mark in ("dashed", "dotted"):  # a dashed cell border is drawn only in part in PNG: dashes inside instead
        dashes = "┄┄" if mark == "dashed" else "┈┈"
        swatch = (f'<TD BGCOLOR="{colour}" WIDTH="14" HEIGHT="10" BORDER="1" COLOR="gray50">'
                  f'<FONT POINT-SIZE="{max(small - 2, 5)}" COLOR="gray40">{dashes}</FONT></TD>')
    else:
        swatch = f'<TD BGCOLOR="{colour}" WIDTH="14" HEIGHT="10" BORDER="1"> </TD>'
    return (f'<TR>{swatch}<TD ALIGN="LEFT" WIDTH="{text_width(words, small)}">'
            f'<FONT POINT-SIZE="{small}">{escape(words)}</FONT></TD></TR>')


DOT_SECONDS = 20  # a layout taking longer than this is stopped (a graph so big needs folding, not waiting)


class DotTimeout(RuntimeError):
    """``dot`` took longer than its time budget and was stopped."""


def render(digraph, format="svg", timeout=None):
    """Run ``dot`` on the graph: SVG text (without the XML prolog, ready to inline) or PNG bytes.

    ``dot`` runs as a child process with a time budget (``DOT_SECONDS``), stopped when it runs over; on Linux it
    is also stopped if the kernel that started it dies, so no layout keeps a core busy for nobody. Every failure
    is a ``RuntimeError`` with a message a person can read (``DotNotFound`` when Graphviz is not installed)."""
    program = shutil.which("dot")
    if program is None:
        raise DotNotFound()
    timeout = DOT_SECONDS if timeout is None else timeout
    try:
        process = subprocess.Popen([program, f"-K{digraph.engine}", f"-T{format}"], stdin=subprocess.PIPE,
                                   stdout=subprocess.PIPE, stderr=subprocess.PIPE, preexec_fn=_stop_with_parent)
    except OSError as failure:
        raise RuntimeError(f"Graphviz's dot could not be started: {failure}") from None
    try:
        data, errors = process.communicate(digraph.source.encode("utf-8"), timeout=timeout)
    except subprocess.TimeoutExpired:
        process.kill()
        process.communicate()
        raise DotTimeout(f"Graphviz's dot took more than {timeout:g} s to lay out this graph and was stopped: fold "
                         "it (collapse=True) or draw a part of it") from None
    except OSError as failure:  # dot went away while we wrote to it (BrokenPipeError)
        process.kill()
        process.wait()
        raise RuntimeError(f"Graphviz's dot stopped before it had read the graph: {failure}") from None
    if process.returncode != 0:
        message = errors.decode("utf-8", "replace").strip() or f"it exited with status {process.returncode}"
        raise RuntimeError(f"Graphviz's dot could not draw this graph: {message}")
    if format != "svg":
        return data
    text = data.decode("utf-8", "replace")  # (a dot built with another default charset: never a crash)
    text = text[text.find("<svg"):]  # drop <?xml ...> and the DOCTYPE: the SVG is placed inside HTML
    if 'xml:space="preserve"' not in text[:text.find(">")]:  # keep the spaces that line up a matrix's rows
        text = text.replace("<svg", '<svg xml:space="preserve"', 1)
    return text


def _stop_with_parent():
    """(Runs in the child just before it becomes ``dot``.) On Linux: ask to be killed when our parent dies."""
    if _PRCTL is not None:
        _PRCTL(1, 9, 0, 0, 0)  # prctl(PR_SET_PDEATHSIG, SIGKILL)


def _find_prctl():
    if not sys.platform.startswith("linux"):
        return None
    try:
        return ctypes.CDLL(None).prctl  # looked up once here, not in the child
    except (OSError, AttributeError):
        return None


_PRCTL = _find_prctl()
