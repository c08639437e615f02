"""The DOT stage (widgets/dot.py) and draw(): colours, labels, escaping, legend, rendering, and life without `dot`.

SVG differs between Graphviz versions, so tests look at the DOT source and at the parts of the SVG Graphviz
always writes (one ``<g class="node">`` per node, titled with the node id), never at SVG bytes.
"""
import html
import re
import shutil
from xml.etree import ElementTree

import graphviz
import pytest

import minigrad as torch
from widgets import draw
from widgets.dot import INSTALL_HELP, STYLES, DotNotFound, escape, render, to_dot
from widgets.names import Names, caller_namespace
from widgets.snapshot import take_snapshot

needs_dot = pytest.mark.skipif(shutil.which("dot") is None, reason="Graphviz's dot is not installed")


def seed_graph():
    x = torch.ones(2, 2, requires_grad=True)
    y = x + 2
    z = y * y * 3
    out = z.mean()
    return take_snapshot([out], Names(caller_namespace(0)))


def statements(source):
    """``{node id: attribute text}`` for the node statements of a DOT source."""
    found = {}
    for line in source.splitlines():
        match = re.match(r"\s*(\w+) \[(.*)\]$", line)
        if match and "->" not in line:
            found[match.group(1)] = match.group(2)
    return found


def fill(source, node_id):
    return re.search(r"fillcolor=(\S+)", statements(source)[node_id]).group(1).strip('"')


def test_colour_language_follows_torchviz():
    snapshot = seed_graph()
    source = to_dot(snapshot).source
    by_title = {n.title: n.id for n in snapshot.nodes}
    assert fill(source, by_title["MeanBackward0"]) == "lightgrey"
    assert fill(source, by_title["AccumulateGrad"]) == "lightgrey"
    assert fill(source, by_title["x"]) == "lightblue"
    assert fill(source, by_title["out"]) == "darkolivegreen1"
    out = snapshot.objects[snapshot.roots[0]]
    with_saved = take_snapshot([out], Names(), saved=True)
    saved_id = with_saved.find(kind="saved")[0].id
    assert fill(to_dot(with_saved).source, saved_id) == "orange"


def test_labels_edges_and_direction():
    snapshot = seed_graph()
    digraph = to_dot(snapshot, direction="LR", font_size=14)
    source = digraph.source
    assert "rankdir=LR" in source and "fontsize=14" in source
    for node in snapshot.nodes:
        assert f"<B>{escape(node.title)}</B>" in statements(source)[node.id]
    arrows = re.findall(r"^\s*(\w+) -> (\w+)", source, re.M)
    assert sorted(arrows) == sorted((e.source, e.target) for e in snapshot.edges)


def test_names_are_escaped_for_dot_and_html():
    x = torch.ones(1, requires_grad=True)
    out = (x * 2).sum()
    evil = '<script>alert(1)</script> & "quotes"'
    picture = draw(out, names={evil: x})
    assert "<script>" not in picture.source
    assert "&lt;script&gt;alert(1)&lt;/script&gt; &amp; &quot;quotes&quot;" in picture.source
    assert escape("a<b>&'c'") == "a&lt;b&gt;&amp;&#39;c&#39;"


@needs_dot
def test_escaped_name_renders_as_text_in_svg():
    x = torch.ones(1, requires_grad=True)
    out = (x * 2).sum()
    svg = render(draw(out, names={"<script>alert(1)</script>": x}))
    assert "<script" not in svg
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in svg


def svg_classes(svg, element="node"):
    """``{title: set of class names}`` for the node (or edge) groups of an SVG Graphviz wrote."""
    groups = re.findall(rf'<g id="{element}\d+" class="{element} ?([^"]*)">\s*<title>([^<]+)</title>', svg)
    return {html.unescape(title): set(html.unescape(classes).split()) for classes, title in groups}


@needs_dot
def test_render_svg_has_one_group_per_node_with_its_classes():
    snapshot = seed_graph()
    svg = render(to_dot(snapshot))
    assert svg.startswith("<svg")
    classes = svg_classes(svg)
    assert sorted(classes) == sorted(n.id for n in snapshot.nodes)
    by_title = {n.title: n.id for n in snapshot.nodes}
    assert classes[by_title["x"]] == {"leaf"}
    assert classes[by_title["out"]] == {"output"}
    assert classes[by_title["y"]] == {"tensor"}
    assert classes[by_title["AddBackward0"]] == {"function", "with-constant"}  # x + 2
    assert classes[by_title["MeanBackward0"]] == {"function"}


@needs_dot
def test_walk_classes_reach_the_svg():
    from widgets.walk import BackwardWalk

    x = torch.ones(2, requires_grad=True)
    out = (x * 3).sum()
    walk = BackwardWalk([out])
    walk.step(), walk.step()
    snapshot = take_snapshot([out], Names(caller_namespace(0)), walk=walk)
    svg = render(to_dot(snapshot))
    classes = svg_classes(svg)
    ids = {n.title: n.id for n in snapshot.nodes}
    assert "running" in classes[ids["MulBackward0"]] and "done" in classes[ids["SumBackward0"]]
    assert "output" in classes[ids["out"]] and "leaf" in classes[ids["x"]]
    flowing = [title for title, names in svg_classes(svg, "edge").items() if "flowing" in names]
    # out <- SumBackward0 (the starting 1.), SumBackward0 -> MulBackward0, MulBackward0 -> AccumulateGrad
    assert len(flowing) == 3


@needs_dot
def test_render_png():
    png = render(to_dot(seed_graph()), "png")
    assert png[:8] == b"\x89PNG\r\n\x1a\n"


def test_legend_lists_the_kinds_in_the_picture():
    snapshot = seed_graph()
    source = to_dot(snapshot, legend=True).source
    legend = statements(source)["legend"]
    for words in ["grad_fn node", "leaf tensor", "output", "named tensor", "an input that needs no grad"]:
        assert words in legend
    assert "saved tensor" not in legend  # not in this picture
    assert "running now" not in legend
    walking = statements(to_dot(snapshot, legend=True, walk_active=True).source)["legend"]
    for words in ["running now", "gradient flowing", "done: the node has run"]:
        assert words in walking
    assert "legend" not in statements(to_dot(snapshot).source)


def test_legend_entries_say_how_each_swatch_looks():
    from widgets.dot import legend_entries

    entries = legend_entries(seed_graph(), walk_active=True)
    marks = {words: (colour, mark) for colour, words, mark in entries}
    assert marks["leaf tensor"] == ("lightblue", "box")
    assert marks["constant: an input that needs no grad"] == ("white", "dashed")
    assert marks["running now"] == ("gold", "box")
    assert [mark for _, words, mark in entries if words.startswith("gradient flowing")] == ["line"]
    assert [mark for _, words, mark in entries if words.startswith("done")] == ["tick"]


def test_constants_are_tags_on_their_node_or_boxes_when_asked():
    x = torch.ones(2, requires_grad=True)
    out = (x + 2).sum()
    names = Names(caller_namespace(0))
    inline = take_snapshot([out], names)
    add = inline.find(title="AddBackward0")[0]
    assert add.constants == [1] and inline.find(kind="constant") == []  # next_functions[1] is (None, 0)
    assert "constant</FONT>" in statements(to_dot(inline).source)[add.id]
    boxes = take_snapshot([out], names, constants=True)
    assert boxes.find(title="AddBackward0")[0].constants == []
    constant, = boxes.find(kind="constant")
    assert [(e.source, e.target) for e in boxes.edges if e.source == constant.id] == [(constant.id, add.id)]


def test_matrix_values_keep_their_rows_and_columns():
    from widgets.dot import node_label
    from widgets.records import GraphNode

    node = GraphNode("v0", "leaf", "w", ["(2, 2) float32", "= [[ 1.5000, -2.0000],\n   [10.0000,  0.2500]]"])
    label = node_label(node, 10)
    # one row per printed line, its spaces as printed: Graphviz measures plain spaces right (in the browser it
    # takes a no-break space for a wide character) and writes runs of them into the SVG as no-break spaces
    assert ">= [[ 1.5000, -2.0000],<" in label
    assert ">   [10.0000,  0.2500]]<" in label
    if shutil.which("dot"):
        from widgets.dot import render

        picture = graphviz.Digraph()
        picture.node("v0", label=label, shape="box")
        svg = render(picture)
        assert 'xml:space="preserve"' in svg[:svg.find(">")]
        assert re.search(r">[ \xa0]{3}\[10\.0000,[ \xa0]{2}0\.2500\]\]<", svg.replace("&#160;", "\xa0"))


def test_every_label_cell_is_wide_enough_for_a_browsers_monospace_font():
    """DejaVu Sans Mono (Linux browsers' monospace) advances 1233/2048 em a character, and a CJK character twice
    that: each cell asks for at least that much, as Graphviz's own measure of small text falls short of it."""
    from widgets.dot import node_label
    from widgets.records import GraphNode

    advance = 1233 / 2048
    lines = ["(3,) float32", "grad [5.1200e+01, 5.1200e+02, 5.1200e-02]"]
    for font_size in (8, 10, 14):
        node = GraphNode("v0", "leaf", "梯度", lines, constants=[1])
        label = node_label(node, font_size)
        widths = [int(w) for w in re.findall(r'WIDTH="(\d+)"', label)]
        title, tag, *rows = widths
        assert title >= 4 * advance * font_size  # two wide characters
        assert tag >= len("constant") * advance * max(font_size - 3, 6)
        assert [w >= len(line) * advance * (font_size - 2) for w, line in zip(rows, lines)] == [True, True]


@needs_dot
def test_label_widths_leave_no_graphviz_warning():
    x = torch.tensor([51.2, 512.0, 0.0512], requires_grad=True)
    out = (x * 2).sum()
    out.backward(retain_graph=True)
    digraph = to_dot(take_snapshot([out], Names(caller_namespace(0))))
    done = graphviz.backend.execute.run_check(["dot", "-Tsvg"], input=digraph.source.encode(), capture_output=True)
    assert done.stderr == b""


def test_walk_states_are_drawn():
    from widgets.walk import BackwardWalk

    x = torch.ones(2, requires_grad=True)
    out = (x * 3).sum()
    walk = BackwardWalk([out])
    walk.step()
    walk.step()
    snapshot = take_snapshot([out], Names(caller_namespace(0)), walk=walk)
    source = to_dot(snapshot).source
    running = snapshot.find(title="MulBackward0")[0].id
    done = snapshot.find(title="SumBackward0")[0].id
    assert fill(source, running) == "gold"
    assert "<B>✓</B>" in statements(source)[done] and "<B>✓</B>" not in statements(source)[running]
    flowing = [line for line in source.splitlines() if "->" in line and "color=red" in line]
    # out <- SumBackward0 (the starting 1.0), SumBackward0 -> MulBackward0, MulBackward0 -> AccumulateGrad
    assert len(flowing) == 3 and all("dir=back" in line for line in flowing)


def test_every_kind_has_a_style_and_legend_words():
    from widgets.dot import LEGEND
    from widgets.words import TEXTS

    kinds = ["function", "leaf", "output", "tensor", "constant", "saved", "freed", "summary", "detached", "grad",
             "boundary"]  # every kind snapshot.py makes
    assert set(STYLES) == set(kinds) and LEGEND == kinds
    assert all(set(TEXTS["legend." + kind]) == {"en", "zh"} for kind in kinds)


def hide_dot(monkeypatch):
    monkeypatch.setenv("PATH", "/nonexistent")


def test_without_dot_render_says_how_to_install(monkeypatch):
    hide_dot(monkeypatch)
    with pytest.raises(DotNotFound) as info:
        render(to_dot(seed_graph()))
    assert "sudo apt-get install graphviz" in str(info.value)
    assert "brew install graphviz" in str(info.value)


def test_draw_returns_a_digraph_that_degrades_without_dot(monkeypatch):
    x = torch.ones(2, requires_grad=True)
    out = (x * 2).sum()
    picture = draw(out)
    assert isinstance(picture, graphviz.Digraph)
    assert repr(picture) == "Picture(out: 5 nodes)"  # AccumulateGrad, MulBackward0, SumBackward0, x, out
    hide_dot(monkeypatch)
    bundle = picture._repr_mimebundle_()
    # the same kind of output as with dot (a saved notebook's outputs compare alike on every machine): an SVG
    # note in the picture's place that says what is missing
    assert set(bundle) == {"image/svg+xml"}
    note = ElementTree.fromstring(bundle["image/svg+xml"])
    words = " ".join(text.text for text in note.iter("{http://www.w3.org/2000/svg}text"))
    assert words.startswith("out: 5 nodes ")
    assert " ".join(INSTALL_HELP.split())[:60] in words


@needs_dot
def test_draw_renders_inline_svg():
    x = torch.ones(2, requires_grad=True)
    out = (x * 2).sum()
    bundle = draw(out)._repr_mimebundle_()
    assert "<svg" in bundle["image/svg+xml"]


def test_an_edge_to_a_tensor_given_to_the_view_is_solid_to_other_named_tensors_dotted():
    x = torch.ones(2, 2, requires_grad=True)
    y = x + 2
    out = (y * 3).mean()
    snapshot = take_snapshot([out], Names(caller_namespace(0)))
    title = {n.id: n.title for n in snapshot.nodes}
    flags = {title[e.target]: e.output for e in snapshot.edges if e.kind == "output"}
    assert flags == {"out": True, "y": False}
    styles = {}
    for line in to_dot(snapshot).source.splitlines():
        match = re.match(r"\s*(\w+) -> (\w+) \[.*style=(\w+)", line)
        if match and title.get(match.group(2)) in flags:
            styles[title[match.group(2)]] = match.group(3)
    assert styles == {"out": "solid", "y": "dotted"}
