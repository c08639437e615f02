"""The widget in a classroom: a picture that stands still, frozen pictures, both languages, named constants.

Positions are read from Graphviz's own layout (``dot -Tjson``) of the DOT the view sends to the front end, so a
test sees exactly where every node would be drawn.
"""
import json
import shutil

import pytest

import minigrad as torch
from widgets import GraphView, dot, set_language
from widgets.words import TEXTS, say, ui_words

needs_dot = pytest.mark.skipif(shutil.which("dot") is None, reason="Graphviz's dot is not installed")


def seed_000():
    x = torch.ones(2, 2, requires_grad=True)
    y = x + 2
    z = y * y * 3
    out = z.mean()
    return x, y, z, out


def layout(view):
    """Every node's position and size, and the picture's bounding box, as Graphviz lays out the view's DOT."""
    data = json.loads(dot.to_dot(view.snapshot, view.direction, view.font_size).pipe(format="json"))
    return {o["name"]: (o["pos"], o["width"], o["height"]) for o in data["objects"]}, data["bb"]


@needs_dot
def test_positions_are_identical_across_every_step_backward_and_zero_grad():
    x, y, z, out = seed_000()
    view = GraphView(out, names={"x": x, "y": y, "z": z, "out": out})
    before = layout(view)
    for _ in range(view.step_count + 1):
        view.step()
        assert layout(view) == before
    view.reset()
    assert layout(view) == before
    out.backward()  # the real gradient appears where room was kept for it
    view.refresh()
    assert "grad" in "\n".join(view.snapshot.find(title="x")[0].lines) and layout(view) == before
    x.grad = None  # zero_grad(set_to_none=True)
    view.refresh()
    assert layout(view) == before


@needs_dot
def test_positions_stay_through_a_training_step():
    model = torch.nn.Linear(1, 1)
    data, target = torch.tensor([[1.0], [2.0]]), torch.tensor([[2.0], [4.0]])
    loss = torch.nn.functional.mse_loss(model(data), target)
    optimizer = torch.optim.SGD(model.parameters(), lr=0.1)
    view = GraphView(loss, names={"weight": model.weight, "bias": model.bias, "data": data, "target": target})
    before = layout(view)
    view.run_to_end()
    assert layout(view) == before
    loss.backward()
    optimizer.step()
    optimizer.zero_grad()
    view.refresh()
    assert layout(view) == before


def test_constants_say_which_input_they_are():
    model = torch.nn.Linear(1, 1)
    x, y = torch.tensor([[1.0], [2.0]]), torch.tensor([[2.0], [4.0]])
    loss = torch.nn.functional.mse_loss(model(x), y)
    view = GraphView(loss, names={"weight": model.weight, "bias": model.bias})
    tags = sorted(name for node in view.snapshot.nodes for name in node.constant_names)
    assert tags == ["x", "y"]
    loss.backward()  # frees what the nodes saved: the names stick
    view.refresh()
    assert sorted(name for node in view.snapshot.nodes for name in node.constant_names) == ["x", "y"]
    boxes = GraphView(loss, constants=True, names={"x": x, "y": y})
    assert sorted(n.title for n in boxes.snapshot.find(kind="constant")) == ["constant", "constant"]  # freed


def test_a_frozen_picture_keeps_its_moment_and_still_steps():
    x, y, z, out = seed_000()
    view = GraphView(out)
    before = view.freeze()
    assert repr(before) == "GraphView(out: 7 nodes, frozen)" and not before.live
    out.backward()
    view.refresh()
    before.refresh()
    assert any(line.startswith("grad") for line in view.snapshot.find(title="x")[0].lines)
    assert not any(line.startswith("grad") for line in before.snapshot.find(title="x")[0].lines)
    assert dict(before.select(x)["rows"])["grad"].startswith("None")  # its details too: the moment it keeps
    before.run_to_end()  # its walk was recorded with the live view, before backward() freed the graph
    assert before.walk_state == "finished" and before.snapshot.find(title="x")[0].would_add
    still = GraphView(out, live=False)
    assert not still.live and still.walk_state == "blocked"  # made after backward(): one line says why


def test_every_text_has_english_and_chinese():
    assert all(set(entry) == {"en", "zh"} and all(entry.values()) for entry in TEXTS.values())
    for entry in TEXTS.values():  # the same placeholders in both languages
        fields = [sorted(part.split("}")[0] for part in text.split("{")[1:]) for text in entry.values()]
        assert fields[0] == fields[1]


def test_a_view_speaks_chinese_and_keeps_pytorchs_names():
    x, y, z, out = seed_000()
    view = GraphView(out, lang="zh")
    assert view.step_status == "从 out 反向传播：共 5 个节点，按“单步”开始"
    view.step()
    assert view.step_status.startswith("第 1 步（共 5 步）：MeanBackward0 收到 1.")
    assert "AccumulateGrad" in [n.title for n in view.snapshot.nodes]
    assert [text for _, text, *_ in view.legend][:2] == ["grad_fn 节点", "叶子张量"]
    assert view.ui == ui_words("zh") and view.ui["step"] == "单步"
    assert dict(view.select(x)["rows"])["形状"] == "(2, 2)"
    assert "叶子，requires grad" in view.snapshot.find(title="x")[0].lines
    view.lang = "en"
    assert view.ui["step"] == "step" and view.step_status.startswith("step 1 of 5")


def test_the_kernel_language_is_the_default():
    x, y, z, out = seed_000()
    try:
        set_language("zh")
        assert GraphView(out).lang == "zh" and GraphView(out, lang="en").lang == "en"
    finally:
        set_language("en")
    with pytest.raises(ValueError):
        GraphView(out, lang="fr")
    assert say("status.none", "zh").startswith("没有")


def test_presentation_mode_makes_text_bigger_and_back():
    x, y, z, out = seed_000()
    view = GraphView(out)
    view.presentation = True
    assert view.font_size >= 16
    view.presentation = False
    assert view.font_size == 10


NODE = shutil.which("node")
VIZ = __import__("pathlib").Path(__file__).resolve().parents[1] / "widgets" / "static" / "graphviz" / "viz.js"
_POSITIONS_JS = """
const viz = await (await import(process.argv[1])).instance();
const dots = JSON.parse(require("fs").readFileSync(0, "utf8"));
console.log(JSON.stringify(dots.map(dot => viz.renderString(dot, {format: "plain"}).split("\\n")
    .filter(line => line.startsWith("node ")).map(line => line.split(" ").slice(1, 6).join(" ")))));
"""


@pytest.mark.skipif(NODE is None or not VIZ.exists(), reason="needs node and the vendored Graphviz (viz.js)")
@pytest.mark.parametrize("presentation", [False, True])
def test_positions_are_identical_across_steps_in_the_browsers_graphviz(presentation):
    """The browser lays the DOT out with Graphviz compiled to WebAssembly, which has no fonts and guesses text
    widths (a no-break space as a wide character): the same DOT texts at every step must still not move, in the
    notebook's picture and in presentation mode's compact one."""
    import subprocess

    x, y, z, out = seed_000()
    view = GraphView(out, names={"x": x, "y": y, "z": z, "out": out}, presentation=presentation)
    dots = [view.dot_source]
    for _ in range(view.step_count + 1):
        view.step()
        dots.append(view.dot_source)
    out.backward()
    view.refresh()
    dots.append(view.dot_source)
    script = "import { createRequire } from 'module'; const require = createRequire(import.meta.url);" + _POSITIONS_JS
    done = subprocess.run([NODE, "--input-type=module", "-e", script, str(VIZ)], input=json.dumps(dots),
                          capture_output=True, text=True, timeout=120, check=True)
    layouts = json.loads(done.stdout)
    assert len(set(map(tuple, layouts))) == 1, "the browser's layout moved between steps"


def test_the_walk_runs_no_hook_and_says_so_in_one_line():
    """A hook may print, count or change a gradient: stepping runs none (it changes nothing the program sees),
    and the view says so, naming where the hooks are; the real backward() runs them."""
    x = torch.tensor([1.0, 2.0], requires_grad=True)
    h = x * 3
    y = (h ** 2).sum()
    calls = []
    handle = h.register_hook(lambda grad: calls.append(grad) or grad.clamp(-5, 5))
    view = GraphView(y, names={"x": x, "h": h, "y": y})
    assert view.message == ("The walk runs no hooks (on h): backward() runs them, and a hook that returns a new "
                            "gradient changes the gradients from there on.")
    view.run_to_end()
    assert calls == [] and x.grad is None
    assert view.snapshot.find(title="x")[0].would_add == "would add [18., 36.]"  # 3 * 2h, no clipping
    x.register_hook(lambda grad: calls.append("leaf") or None)
    y.grad_fn.register_hook(lambda grad_inputs, grad_outputs: calls.append("node") or None)
    view.refresh()
    assert "(on SumBackward0, h, x)" in view.message  # in the order backward would run them
    y.backward()
    assert len(calls) == 3 and x.grad.tolist() == [15.0, 15.0]  # 3 * clamp([6, 12], -5, 5): the hook ran once
    handle.remove()
    assert GraphView(y).message == ""  # made after backward(): no walk, nothing to say about one
    plain = GraphView((torch.ones(2, requires_grad=True) * 2).sum())
    assert plain.message == ""


def test_presentation_draws_one_line_values_and_keeps_all_on_hover():
    x, y, z, out = seed_000()
    view = GraphView(out, names={"x": x, "y": y, "z": z, "out": out}, presentation=True)
    node = view.snapshot.find(title="y")[0]
    assert node.lines == ["= [[3., 3.], [3., 3.]]"]  # one line, no shape or state line
    assert node.hover == ["(2, 2) float32", "= [[3., 3.],\n   [3., 3.]]", "non-leaf"]  # all of it on hover
    statement = next(line for line in view.dot_source.split("\n") if line.strip().startswith("t"))
    assert "<B>y</B> = [[3., 3.], [3., 3.]]" in statement  # the title reads like the code: y = ...
    assert 'tooltip="y\\n(2, 2) float32\\n= [[3., 3.],\\n   [3., 3.]]\\nnon-leaf"' in statement
    view.run_to_end()
    edges = [e.label for e in view.snapshot.edges if e.label]
    assert "[[2.2500, 2.2500], [2.2500, 2.2500]]" in edges and all("\n" not in e for e in edges)
    assert view.snapshot.find(title="x")[0].would_add == "would add [[4.5000, 4.5000], [4.5000, 4.5000]]"
    assert {size for size in __import__("re").findall(r'POINT-SIZE="(\d+)"', view.dot_source)} <= {"16"}
    view.presentation = False  # back to the notebook's picture: shape, values as print() lays them out, state
    assert view.snapshot.find(title="y")[0].lines == ["(2, 2) float32", "= [[3., 3.],\n   [3., 3.]]", "non-leaf"]
    assert "[[2.2500, 2.2500],\n [2.2500, 2.2500]]" in [e.label for e in view.snapshot.edges]


def test_presentation_summarises_big_tensors_by_shape_and_mean():
    from widgets.values import compact_text

    torch.manual_seed(0)
    weight = torch.randn(8, 2, requires_grad=True)
    assert compact_text(weight._data, "= ", summary_prefix="") == f"(8, 2) mean {weight.mean().item():.4f}"
    assert compact_text(torch.tensor([True, False, True])._data) == "[ True, False,  True]"
    assert compact_text(torch.zeros(5, dtype=torch.bool)._data) == "(5,) 0 of 5 true"
    assert compact_text(torch.tensor(2.5)._data) == "2.5000"
    loss = (weight ** 2).sum()
    loss.backward(retain_graph=True)
    view = GraphView(loss, names={"weight": weight}, presentation=True)
    assert view.snapshot.find(title="weight")[0].lines == [
        f"(8, 2) mean {weight.mean().item():.4f}", f"grad mean {weight.grad.mean().item():.4f}"]


@pytest.mark.skipif(NODE is None or not VIZ.exists(), reason="needs node and the vendored Graphviz (viz.js)")
@pytest.mark.parametrize("presentation", [False, True])
def test_chinese_lines_start_inside_their_box_in_the_browsers_graphviz(presentation):
    """The browser's Graphviz guesses a wide character's width (about 1.8 em) and places a line by that guess:
    a cell too narrow for the guess made 将加上 start left of its box."""
    import re
    import subprocess

    x, y, z, out = seed_000()
    view = GraphView(out, names={"x": x, "y": y, "z": z, "out": out}, lang="zh", presentation=presentation)
    view.run_to_end()
    script = ("const viz = await (await import(process.argv[1])).instance();"
              "let dot = ''; for await (const chunk of process.stdin) dot += chunk;"
              "console.log(viz.renderString(dot, {format: 'svg'}));")
    svg = subprocess.run([NODE, "--input-type=module", "-e", script, str(VIZ)], input=view.dot_source,
                         capture_output=True, text=True, timeout=120, check=True).stdout
    leaf = re.search(r"<title>v0</title>(.*?)</g>\s*</g>", svg, re.S).group(1)
    left = min(float(point.split(",")[0]) for point in re.search(r'points="([^"]+)"', leaf).group(1).split())
    starts = {text: float(x) for x, text in re.findall(r'<text[^>]* x="([\d.]+)"[^>]*>([^<]+)</text>', leaf)}
    added = next(text for text in starts if text.startswith("将加上"))
    assert all(start > left for start in starts.values()), (left, starts)
    assert starts[added] == min(starts.values())  # lined up with the other left-aligned lines


def test_a_frozen_picture_keeps_what_was_saved_when_backward_frees_it():
    """A frozen view is its moment: switching ``saved`` on after a later backward() shows the values saved then,
    not 'saved tensors freed' (the live view shows that, as backward() freed them)."""
    x = torch.tensor([1.0, 2.0], requires_grad=True)
    y = x * x
    out = y.sum()
    live_view = GraphView(out, names={"x": x, "y": y, "out": out})
    frozen = live_view.freeze()
    out.backward()
    frozen.saved = True
    live_view.saved = True
    kinds = lambda view: sorted(n.kind for n in view.snapshot.nodes if n.kind in ("saved", "freed"))
    assert kinds(frozen) == ["saved", "saved"] and kinds(live_view) == ["freed"]
    saved_lines = [n.lines for n in frozen.snapshot.nodes if n.kind == "saved"]
    assert all(any("1., 2." in line for line in lines) for lines in saved_lines)  # x, saved twice by x * x
    mul = next(n.id for n in frozen.snapshot.nodes if n.title == "MulBackward0")
    frozen.select(mul)
    [saved_row] = [row for row in frozen.details["rows"] if row[0] == "saved tensors"]
    assert "1., 2." in saved_row[1] and "freed" not in saved_row[1]
    live_view.select(next(n.id for n in live_view.snapshot.nodes if n.title == "MulBackward0"))
    assert "freed" in next(row for row in live_view.details["rows"] if row[0] == "saved tensors")[1]
