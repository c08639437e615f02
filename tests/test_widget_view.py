"""GraphView, the widget (widgets/view.py), driven from Python the way the front end and a notebook drive it.

No browser here: the traitlets the front end would receive are checked directly, and the front end's messages
are sent with the same handler a click reaches (``_on_message``). Expected gradients come from the maths stated
next to each check, or from running ``backward()`` on an identical graph.
"""
import base64
import gzip
import re
import shutil

import numpy as np
import pytest

import minigrad as torch
from widgets import GraphView
from widgets.live import Debouncer
from widgets.dot import DotNotFound, render
from widgets.vendor import MODULE

from held_timer import HeldTimer

needs_dot = pytest.mark.skipif(shutil.which("dot") is None, reason="Graphviz's dot is not installed")


def hold_timers(view, interval=60.0):
    """Make the view's debouncer deterministic: a long quiet time and timers that only fire by hand."""
    view._debouncer.timer = HeldTimer
    view._debouncer.interval = interval
    return view


def seed_000():
    x = torch.ones(2, 2, requires_grad=True)
    y = x + 2
    z = y * y * 3
    out = z.mean()
    return x, y, z, out


def node_lines(view, title):
    return view.snapshot.find(title=title)[0].lines


def node_of(view, title):
    return view.snapshot.find(title=title)[0]


# ----- what a notebook shows ------------------------------------------------------------------------------------

def test_repr_is_stable_and_counts_graph_nodes():
    x, y, z, out = seed_000()
    view = GraphView(out)
    assert repr(view) == "GraphView(out: 7 nodes)"
    assert "0x" not in repr(view)
    a = x * 2
    b = x.sum()
    assert repr(GraphView(a, b)) == "GraphView(a, b: 6 nodes)"  # Mul, Sum, AccumulateGrad, x, a, b


@needs_dot
def test_mimebundle_has_widget_text_and_static_pictures():
    """The saved picture: SVG (nbconvert, GitHub) and PNG (an untrusted notebook shows only images), both with
    the legend, the PNG at the SVG's size."""
    x, y, z, out = seed_000()
    view = GraphView(out)
    data, metadata = view._repr_mimebundle_()
    assert data["text/plain"] == "GraphView(out: 7 nodes)"
    assert "model_id" in data["application/vnd.jupyter.widget-view+json"]
    assert data["image/svg+xml"].startswith("<svg") and "legend" in data["image/svg+xml"]
    png = base64.b64decode(data["image/png"])
    assert png[:8] == b"\x89PNG\r\n\x1a\n"
    svg_width = float(re.search(r'width="([\d.]+)pt"', data["image/svg+xml"]).group(1)) * 4 / 3  # in CSS px
    assert abs(metadata["image/png"]["width"] - svg_width) <= 2
    assert int.from_bytes(png[16:20], "big") == pytest.approx(svg_width, abs=3)
    assert view.svg.startswith("<svg") and view.message == ""


def test_the_kernel_sends_dot_and_never_runs_dot_to_redraw(monkeypatch):
    """The browser lays the picture out: redrawing, stepping and expanding only write DOT (a big layout can
    no longer keep the kernel busy), and every view refers to the kernel's one Graphviz module."""
    import widgets.dot
    calls = []
    monkeypatch.setattr(widgets.dot, "render", lambda *args, **kwargs: calls.append(args) or "<svg></svg>")
    x, y, z, out = seed_000()
    view = GraphView(out)
    view.step()
    view.run_to_end()
    view.refresh()
    assert calls == [] and view.dot_source.startswith("digraph")
    other = GraphView(out)
    assert other._graphviz is view._graphviz and view._graphviz.module[:2] == b"\x1f\x8b"  # gzip
    assert gzip.decompress(view._graphviz.module) == MODULE.read_bytes()
    assert "DecompressionStream" in view._graphviz.worker


def test_options_reach_the_picture():
    x, y, z, out = seed_000()
    view = GraphView(out, direction="LR", values=False, font_size=13)
    assert "rankdir=LR" in view.dot_source and "fontsize=13" in view.dot_source
    assert "[[1., 1.]" not in view.dot_source
    view.values = True
    assert "= [[1., 1.],<" in view.dot_source  # the first of the two rows print(x) shows
    view.direction = "TB"
    assert "rankdir=TB" in view.dot_source
    view.saved = True
    assert any(n.kind == "saved" for n in view.snapshot.nodes)
    with pytest.raises(ValueError):
        GraphView(out, direction="sideways")
    with pytest.raises(TypeError):
        GraphView(3.0)


# ----- keeping itself current -----------------------------------------------------------------------------------

def test_updates_after_backward_zero_grad_and_an_sgd_step():
    x, y, z, out = seed_000()
    view = hold_timers(GraphView(out))
    assert not any(line.startswith("grad") for line in node_lines(view, "x"))
    out.backward(retain_graph=True)
    view._after_cell()  # what IPython runs when the cell finishes
    # out = mean(3 (x+2)^2): d out/dx = 6 (x+2) / 4 = 4.5, printed by PyTorch as 4.5000
    assert "grad [[4.5000, 4.5000],\n      [4.5000, 4.5000]]" in node_lines(view, "x")
    assert "grad [[4.5000, 4.5000],<" in view.dot_source

    x.grad.zero_()  # in place on the .grad tensor
    view._after_cell()
    assert "grad [[0., 0.],\n      [0., 0.]]" in node_lines(view, "x")

    out.backward(retain_graph=True)
    with torch.no_grad():  # one step of plain SGD, lr = 0.1: x = 1 - 0.1 * 4.5 = 0.55
        x -= 0.1 * x.grad
    x.grad = None  # the optimizer's zero_grad(set_to_none=True)
    view._after_cell()
    assert node_lines(view, "x")[1] == "= [[0.5500, 0.5500],\n   [0.5500, 0.5500]]"
    assert not any(line.startswith("grad") for line in node_lines(view, "x"))


def test_events_redraw_without_waiting_for_the_cell():
    x, y, z, out = seed_000()
    view = hold_timers(GraphView(out))
    runs = view._debouncer.runs
    out.backward(retain_graph=True)  # the first change draws at once (nothing drawn for a while)
    assert view._debouncer.runs == runs + 1
    assert "grad [[4.5000, 4.5000],\n      [4.5000, 4.5000]]" in node_lines(view, "x")


def test_in_place_change_through_data_is_seen():
    x, y, z, out = seed_000()
    view = hold_timers(GraphView(out))
    x.data.mul_(2)  # a new Tensor object sharing x's array: the view watches arrays too
    view._debouncer.flush()
    assert node_lines(view, "x")[1] == "= [[2., 2.],\n   [2., 2.]]"


def test_unrelated_changes_do_not_redraw():
    x, y, z, out = seed_000()
    view = hold_timers(GraphView(out))
    runs = view._debouncer.runs
    other = torch.ones(3, requires_grad=True)
    (other * 2).sum().backward()
    assert view._debouncer.runs == runs and not view._debouncer.pending


def test_debouncing_a_training_loop_keeps_the_last_state():
    w = torch.tensor([1.0, -2.0], requires_grad=True)
    target = torch.tensor([3.0, 1.0])
    loss = ((w - target) ** 2).sum()
    view = hold_timers(GraphView(loss))
    runs = view._debouncer.runs
    for _ in range(50):  # plain SGD on (w - t)^2: each step moves w 20% of the way to t (lr 0.1, grad 2(w-t))
        loss = ((w - target) ** 2).sum()
        loss.backward()
        with torch.no_grad():
            w -= 0.1 * w.grad
        w.grad = None
    assert view._debouncer.runs == runs + 1  # 50 steps x (grad set, data changed, grad cleared): one redraw
    assert view._debouncer.pending
    view._after_cell()
    expected = np.array([3.0, 1.0]) + np.array([-2.0, -3.0]) * 0.8 ** 50
    shown = node_lines(view, "w")[1]
    assert shown == "= [3.0000, 1.0000]"  # within 1e-4 of the target, not whole: PyTorch prints 3.0000, 1.0000
    np.testing.assert_allclose(w.detach().numpy(), expected, rtol=1e-5)


def test_optimizer_step_redraws():
    optim = pytest.importorskip("minigrad.optim")
    x, y, z, out = seed_000()
    view = hold_timers(GraphView(out))
    sgd = optim.SGD([x], lr=0.1)
    out.backward(retain_graph=True)
    sgd.step()
    sgd.zero_grad()
    view._after_cell()
    assert node_lines(view, "x")[1] == "= [[0.5500, 0.5500],\n   [0.5500, 0.5500]]"  # 1 - 0.1 * 4.5


# ----- the debouncer alone --------------------------------------------------------------------------------------

def test_debouncer_leading_run_then_one_trailing_run():
    now = [0.0]
    calls = []
    debouncer = Debouncer(lambda: calls.append(now[0]), interval=1.0, clock=lambda: now[0], timer=HeldTimer)
    HeldTimer.made.clear()
    debouncer.request()  # runs at once
    for t in (0.1, 0.2, 0.3):
        now[0] = t
        debouncer.request()  # inside the quiet time: remembered, one timer armed
    assert calls == [0.0] and len(HeldTimer.made) == 1
    assert HeldTimer.made[0].wait == pytest.approx(0.9)  # the rest of the interval after the request at 0.1
    now[0] = 1.0
    HeldTimer.made[0].fire()
    assert calls == [0.0, 1.0] and not debouncer.pending
    now[0] = 1.5
    debouncer.request()
    debouncer.flush()  # a flush makes the due run at once
    assert calls == [0.0, 1.0, 1.5]
    debouncer.flush()  # nothing due: nothing runs
    assert calls == [0.0, 1.0, 1.5]


def test_debouncer_timer_fires_with_real_threads():
    import threading

    done = threading.Event()
    calls = []

    def action():
        calls.append(1)
        if len(calls) == 2:
            done.set()

    debouncer = Debouncer(action, interval=0.05)
    debouncer.request()
    debouncer.request()
    assert done.wait(5.0) and len(calls) == 2


# ----- stepping through backward --------------------------------------------------------------------------------

def test_stepping_shows_the_real_pass_and_writes_nothing():
    x1, _, _, out1 = seed_000()
    out1.backward()
    x2, _, _, out2 = seed_000()
    view = GraphView(out2)
    assert view.can_step and view.step_count == 5 and view.step_index == 0
    steps = []
    while (step := view.step()) is not None:
        steps.append(step)
    # backward runs MeanBackward0, the outer then inner MulBackward0, AddBackward0, then x's AccumulateGrad
    assert [s.node.name() for s in steps] == ["MeanBackward0", "MulBackward0", "MulBackward0", "AddBackward0",
                                              "torch::autograd::AccumulateGrad"]
    assert [s.index for s in steps] == [1, 2, 3, 4, 5]  # one numbering: "step 1 of 5" is BackwardStep(1, ...)
    np.testing.assert_array_equal(steps[-1].grad_outputs[0].numpy(), x1.grad.numpy())
    assert x2.grad is None  # a walk is a view: nothing written
    assert view.step_index == 5 and view.step_status.startswith("finished")
    assert node_of(view, "x2").would_add == "would add [[4.5000, 4.5000],\n           [4.5000, 4.5000]]"


def test_lesson_03_sequence_run_to_end_then_backward_is_pytorchs():
    """Run to end on a view, forget reset, then the notebook's own backward: 4.5, and a second one raises."""
    x, y, z, out = seed_000()
    view = GraphView(out)
    view.run_to_end()  # the walk does not keep the graph alive for the notebook nor fill x.grad
    out.backward()
    assert x.grad.tolist() == [[4.5, 4.5], [4.5, 4.5]]
    with pytest.raises(RuntimeError) as error:
        out.backward()
    assert str(error.value).startswith("Trying to backward through the graph a second time (or directly access saved tensors after they have already been freed).")
    assert x.grad.tolist() == [[4.5, 4.5], [4.5, 4.5]]
    view.reset()  # the view still steps: its walk was recorded when it was made
    assert view.can_step and view.step() is not None and x.grad.tolist() == [[4.5, 4.5], [4.5, 4.5]]


def test_stepping_seed_4_1_and_reset():
    x = torch.tensor([2.], requires_grad=True)
    w = torch.tensor([1.], requires_grad=True)
    a = torch.add(w, x)
    b = torch.add(w, 1)
    y = torch.mul(a, b)
    view = GraphView(y, names={"x": x, "w": w})
    view.run_to_end()
    assert w.grad is None and x.grad is None
    # what backward would add: dy/dw = (w+1) + (w+x) = 5, dy/dx = w+1 = 2
    assert node_of(view, "w").would_add == "would add [5.]" and node_of(view, "x").would_add == "would add [2.]"
    view.reset()
    assert view.step_index == 0 and not node_of(view, "w").would_add
    view.run_to_end()  # and again
    assert node_of(view, "w").would_add == "would add [5.]"


def test_a_walk_leaves_an_existing_grad_alone():
    x = torch.ones(3, requires_grad=True)
    out = (x * 2).sum()
    out.backward(retain_graph=True)
    grad_object = x.grad
    view = GraphView(out)
    view.run_to_end()
    assert x.grad is grad_object and x.grad.tolist() == [2.0, 2.0, 2.0]
    lines = node_of(view, "x")
    assert "grad [2., 2., 2.]" in lines.lines and lines.would_add == "would add [2., 2., 2.]"


def test_a_walk_fires_no_hook_and_retains_nothing():
    x = torch.ones(2, requires_grad=True)
    seen = []
    x.register_hook(lambda g: seen.append("x"))
    y = x * 3
    y.retain_grad()
    y.register_hook(lambda g: seen.append("y"))
    out = y.sum()
    out.grad_fn.register_hook(lambda gi, go: seen.append("node"))
    view = GraphView(out)
    view.run_to_end()
    assert seen == [] and y.grad is None and x.grad is None
    out.backward()  # the notebook's own backward: hooks fire, the graph is freed, as in PyTorch
    assert sorted(seen) == ["node", "x", "y"] and x.grad.tolist() == [3.0, 3.0]


def test_a_learners_backward_that_prints_or_fails_is_shown_not_run_in_the_notebook(capsys):
    class Loud(torch.autograd.Function):
        @staticmethod
        def forward(ctx, a):
            return a * 2

        @staticmethod
        def backward(ctx, grad):
            print("backward ran")
            return grad * 2

    class Broken(torch.autograd.Function):
        @staticmethod
        def forward(ctx, a):
            return a * 1

        @staticmethod
        def backward(ctx, grad):
            raise ZeroDivisionError("division by zero")

    x = torch.ones(2, requires_grad=True)
    view = GraphView(Loud.apply(x).sum())
    view.run_to_end()
    assert capsys.readouterr().out == "" and node_of(view, "x").would_add == "would add [2., 2.]"
    broken = GraphView(Broken.apply(x).sum())
    broken.run_to_end()
    assert broken.walk_state == "failed" and "ZeroDivisionError" in broken.step_status
    assert x.grad is None


def test_step_highlights_and_edge_gradients():
    x, y, z, out = seed_000()
    view = GraphView(out)
    view.step()
    running = [n for n in view.snapshot.nodes if n.state == "running"]
    assert [n.title for n in running] == ["MeanBackward0"]
    assert view.step_status == "step 1 of 5: MeanBackward0 received 1. and sent 1 gradient on"
    flowing = sorted(e.label for e in view.snapshot.edges if e.flowing)
    assert flowing == ["1.", "[[0.2500, 0.2500],\n [0.2500, 0.2500]]"]  # d mean / dz = 1/4 per entry
    view.step()  # the outer MulBackward0: 3 * 0.25 = 0.75 to y * y
    assert "[[0.7500, 0.7500],\n [0.7500, 0.7500]]" in [e.label for e in view.snapshot.edges if e.flowing]
    view.step(), view.step()
    assert not node_of(view, "x").would_add  # x's AccumulateGrad has not run yet
    view.step()
    assert node_of(view, "x").would_add.startswith("would add [[4.5000, 4.5000],")
    assert x.grad is None
    # AccumulateGrad ends the pass at a leaf: it sends nothing on (not "sent 0 gradients on"), it is what
    # backward() adds to .grad; said so in both languages
    assert view.step_status == ("step 5 of 5: AccumulateGrad received [[4.5000, 4.5000], [4.5000, 4.5000]]: "
                                "backward() would add it to .grad")
    view.lang = "zh"
    assert view.step_status == ("第 5 步（共 5 步）：AccumulateGrad 收到 [[4.5000, 4.5000], [4.5000, 4.5000]]，"
                                "backward() 会把它加进 .grad")


def test_slider_seeks_forward_and_back():
    x, y, z, out = seed_000()
    view = GraphView(out)
    view.step_index = 5
    assert x.grad is None and node_of(view, "x").would_add
    view.step_index = 2  # back: two nodes shown as run; x's AccumulateGrad has not run
    assert view._walk.position == 2 and not node_of(view, "x").would_add
    assert view.step_status.startswith("step 2 of 5: MulBackward0")


def test_front_end_buttons_send_the_same_actions():
    x, y, z, out = seed_000()
    view = GraphView(out)
    press = lambda **content: view._on_message(view, content, [])
    press(action="step")
    assert view.step_index == 1
    press(action="run_to_end")
    assert x.grad is None and view.step_index == 5 and view.walk_state == "finished"
    press(action="reset")
    assert x.grad is None and view.step_index == 0 and view.walk_state == "ready"
    press(action="select", id=view.snapshot.find(title="x")[0].id)
    assert view.details["title"] == "x"
    press(action="select", id="")
    assert view.details == {} and view.selected == ""


def test_a_view_made_after_backward_says_in_one_line_why_it_cannot_step():
    x, y, z, out = seed_000()
    out.backward()  # no retain_graph: the engine frees what the nodes saved, before the view exists
    view = GraphView(out)
    assert view.walk_state == "blocked" and not view.can_step
    assert view.step_status == ("cannot step: backward() freed this graph (no retain_graph=True) before this view "
                                "was made. Make the view before backward(), or re-run the cell that builds out.")
    assert "\n" not in view.step_status
    assert view.step() is None and view.step_index == 0
    view.run_to_end()
    view.step_index = 3  # the slider cannot move either
    assert x.grad.tolist() == [[4.5, 4.5], [4.5, 4.5]]  # untouched
    # the walk's colours are not explained: there will be no walk
    assert not any("running now" in text for _, text, *_ in view.legend)


def test_a_backward_in_a_later_cell_does_not_take_the_walk_away():
    x, y, z, out = seed_000()
    view = hold_timers(GraphView(out))
    assert view.walk_state == "ready" and view.can_step
    assert "running now" in [text for _, text, *_ in view.legend]  # explained before the first step
    out.backward()  # frees the graph; the view recorded its walk when it was made
    view._after_cell()
    assert view.walk_state == "ready" and view.can_step
    assert "grad [[4.5000, 4.5000]," in "\n".join(node_of(view, "x").lines)  # the live view shows the real .grad
    view.run_to_end()
    assert view.walk_state == "finished" and x.grad.tolist() == [[4.5, 4.5], [4.5, 4.5]]


def test_a_saved_tensor_changed_in_place_blocks_the_walk_with_pytorchs_message():
    x = torch.ones(2, requires_grad=True)
    y = x * 1
    z = (y * y).sum()
    with torch.no_grad():
        y.add_(1)  # y was saved by y * y at version 0
    view = GraphView(z)
    assert view.walk_state == "blocked"
    assert view.step_status.startswith("cannot step: backward would fail: one of the variables needed for "
                                       "gradient computation has been modified by an inplace operation")
    v = y * 1  # non-scalar, nothing it saved has changed: it needs a gradient to start from
    assert GraphView(v).step_status.startswith("cannot step: backward from a non-scalar output needs a gradient")
    w = y * y  # non-scalar too, and it saves y at version 1 ...
    with torch.no_grad():
        y.add_(1)  # ... which is now 2
    # ... a gradient would not help: the change in place is what is reported
    assert GraphView(w).step_status.startswith("cannot step: backward would fail: one of the variables")


def test_non_scalar_output_needs_a_gradient():
    x = torch.tensor([1.0, 2.0, 3.0], requires_grad=True)
    y = x * 2
    view = GraphView(y)
    view.run_to_end()
    assert view.step() is None and view.walk_state == "blocked"
    assert view.step_status == (
        "cannot step: backward from a non-scalar output needs a gradient to start from (grad can be implicitly "
        "created only for scalar outputs). Give one: GraphView(y, gradient=v), as y.backward(v) does.")
    v = torch.tensor([0.1, 1.0, 0.0001])
    with_gradient = GraphView(y, gradient=v, names={"x": x})
    with_gradient.run_to_end()
    assert x.grad is None
    added = with_gradient._walk.leaf_grad(x._accumulator_ref())
    np.testing.assert_allclose(added.numpy(), 2 * v.numpy())  # y.backward(v) gives v * dy/dx = 2 v


def test_an_outside_backward_keeps_the_walk_where_it_is():
    x, y, z, out = seed_000()
    view = hold_timers(GraphView(out))
    view.step()
    out.backward(retain_graph=True)
    view._after_cell()
    assert view.step_index == 1 and [n.title for n in view.snapshot.nodes if n.state] == ["MeanBackward0"]
    assert x.grad.tolist() == [[4.5, 4.5], [4.5, 4.5]]


# ----- details, folding, export ---------------------------------------------------------------------------------

def test_select_shows_details():
    x, y, z, out = seed_000()
    out.backward(retain_graph=True)
    view = GraphView(out)
    details = view.select(x)
    rows = dict(details["rows"])
    assert details["title"] == "x" and rows["shape"] == "(2, 2)" and rows["dtype"] == "float32"
    assert rows["grad"] == "[[4.5000, 4.5000],\n [4.5000, 4.5000]]" and rows["is_leaf"] == "True"
    assert rows["values"] == "[[1., 1.],\n [1., 1.]]"  # as print(x) shows it, without tensor( )
    assert view.selected == view.snapshot.find(title="x")[0].id
    mul = dict(view.select(z.grad_fn)["rows"])
    assert mul["grad_fn"] == "MulBackward0"
    assert mul["next_functions"] == "0: (MulBackward0, 0)\n1: (None, 0)  an input that needs no grad"
    assert "saved at version 0" in mul["saved tensors"]
    assert dict(view.select("AccumulateGrad")["rows"])["name()"] == "torch::autograd::AccumulateGrad"
    with pytest.raises(ValueError):
        view.select("no such node")


def test_clicking_a_fold_expands_it():
    x = torch.ones(1, requires_grad=True)
    y = x * 1.5
    for _ in range(60):
        y = y * 1.5
    view = GraphView(y)
    summary = view.snapshot.find(kind="summary")[0]
    assert view.select(summary.id) is None
    assert view.snapshot.find(kind="summary") == []
    view._on_message(view, {"action": "fold_all"}, [])
    assert len(view.snapshot.find(kind="summary")) == 1


@needs_dot
def test_export_svg_png_dot(tmp_path):
    x, y, z, out = seed_000()
    view = GraphView(out)
    assert view.export(tmp_path / "g.svg").read_text().startswith("<svg")
    assert view.export(tmp_path / "g.png").read_bytes()[:4] == b"\x89PNG"
    dot_text = view.export(tmp_path / "g.dot").read_text()
    assert dot_text.startswith("digraph") and "legend" in dot_text
    with pytest.raises(ValueError):
        view.export(tmp_path / "g.jpg")



def test_download_buttons_get_the_dot_with_legend_to_draw_in_the_browser(monkeypatch):
    monkeypatch.setenv("PATH", "/nonexistent")  # no `dot`: the browser lays the download out
    x, y, z, out = seed_000()
    view = GraphView(out)
    sent = []
    view.send = lambda content, buffers=None: sent.append((content, buffers))
    for fmt in ("png", "svg", "dot"):
        view._on_message(view, {"action": "export", "format": fmt}, [])
    assert [content["filename"] for content, _ in sent] == ["out.png", "out.svg", "out.dot"]
    assert all(content["dot"] == view._digraph(legend=True).source and buffers is None for content, buffers in sent)
    assert "legend" in sent[0][0]["dot"] and "legend" not in view.dot_source


def test_way_out_of_a_layout_over_budget_draws_fewer_nodes():
    """The front end's "draw the first N nodes" (after a layout ran over its time budget)."""
    h = torch.ones(2, requires_grad=True)
    for i in range(400):
        h = h * 1.5 if i % 3 else h.exp() + h
    view = GraphView(h.sum(), collapse=False)
    assert len(view.snapshot.nodes) > 400
    view._on_message(view, {"action": "limit", "nodes": 50}, [])
    assert view.collapse and len(view.snapshot.nodes) <= 60 and view.snapshot.find(kind="summary")


def test_without_dot_the_widget_works_and_only_the_static_picture_is_missing(monkeypatch):
    monkeypatch.setenv("PATH", "/nonexistent")
    x, y, z, out = seed_000()
    view = GraphView(out)
    assert view.message == "" and view.dot_source.startswith("digraph")  # the browser draws it
    data, _ = view._repr_mimebundle_()
    # the same kinds of output as with dot (nbval compares a saved notebook on either machine), no PNG
    assert set(data) == {"text/plain", "application/vnd.jupyter.widget-view+json", "image/svg+xml"}
    assert "dot was not installed" in data["image/svg+xml"] and "GraphView(out" in data["image/svg+xml"]
    with pytest.raises(DotNotFound, match="sudo apt-get install graphviz"):
        view.export("never.png")
    view.run_to_end()
    assert view.walk_state == "finished" and x.grad is None


def test_escaped_name_in_widget():
    x = torch.ones(1, requires_grad=True)
    out = (x * 2).sum()
    view = GraphView(out, names={"<script>alert(1)</script>": x})
    assert "<script>" not in view.dot_source
    if shutil.which("dot"):
        assert "<script" not in view.svg
    assert view.select(x)["title"] == "<script>alert(1)</script>"  # the front end inserts it as text


def test_an_unchanged_picture_sends_nothing():
    x, y, z, out = seed_000()
    view = GraphView(out)
    changes = []
    view.observe(changes.append, "dot_source")
    view.refresh()
    assert changes == [] and re.search(r"GraphView\(out: \d+ nodes\)", repr(view))


def test_no_gradient_is_drawn_towards_a_constant():
    x, y, z, out = seed_000()
    view = GraphView(out, constants=True)
    view.run_to_end()
    constants = {n.id for n in view.snapshot.nodes if n.kind == "constant"}
    assert constants and not [e for e in view.snapshot.edges if e.source in constants and e.flowing]
    view.reset()
    view.step_index = 4  # AddBackward0 (x + 2) ran last: it sends one gradient, to x's AccumulateGrad
    assert view.step_status.endswith("AddBackward0 received [[4.5000, 4.5000], [4.5000, 4.5000]] and sent 1 "
                                     "gradient on")
    view.constants = False  # the toolbar's toggle: constants become tags on their nodes
    assert view.snapshot.find(kind="constant") == []
    assert [n.title for n in view.snapshot.nodes if n.constants] == ["AddBackward0", "MulBackward0"]


# ----- names ----------------------------------------------------------------------------------------------------

def test_names_stick_when_a_later_cell_rebinds_them():
    from widgets.names import Namespace

    cells = {}  # a notebook's namespace
    live = Namespace(live=[cells])
    cells["x"] = x = torch.ones(2, requires_grad=True)
    cells["y"] = y = x * 2
    cells["out"] = out = y.sum()
    first = hold_timers(GraphView(out, namespace=live))
    cells["x"] = cells["x"]  # rebinding a name to the same tensor changes nothing
    # a later cell builds another graph under the same names
    cells["x"] = x2 = torch.zeros(3, requires_grad=True)
    cells["y"] = y2 = x2 + 1
    cells["out"] = out2 = y2.sum()
    del x, y  # nothing else holds the first y: the view keeps it (it shows it)
    second = hold_timers(GraphView(out2, namespace=live))
    first._after_cell(), second._after_cell()
    assert sorted(n.title for n in first.snapshot.nodes if n.kind in ("leaf", "tensor", "output")) == [
        "out", "x", "y"]
    assert first.snapshot.find(title="x")[0].lines[1] == "= [1., 1.]"  # still the first x
    assert second.snapshot.find(title="x")[0].lines[1] == "= [0., 0., 0.]"
    # grad_fn nodes (Mul or Add, Sum, AccumulateGrad), x, out; the label is the name at the time the view was made
    assert repr(first) == "GraphView(out: 5 nodes)" and repr(second) == "GraphView(out: 5 nodes)"


def test_a_tensor_named_later_gets_its_name_and_explicit_names_still_win():
    from widgets.names import Namespace

    cells = {}
    live = Namespace(live=[cells])
    leaf = torch.ones(2, requires_grad=True)
    out = (leaf * 3).sum()
    view = hold_timers(GraphView(out, namespace=live))
    assert view.snapshot.find(kind="leaf")[0].title == "leaf0"  # no name yet: a fallback, not remembered
    cells["w"] = leaf
    view._after_cell()
    assert view.snapshot.find(kind="leaf")[0].title == "w"
    cells["v"] = cells.pop("w")  # renamed: the first name found stays
    view._after_cell()
    assert view.snapshot.find(kind="leaf")[0].title == "w"
    assert GraphView(out, namespace=live, names={"weights": leaf}).snapshot.find(kind="leaf")[0].title == "weights"


@needs_dot
def test_saved_png_is_palette_coloured_and_small(monkeypatch):
    """The PNG kept in a saved notebook (and in the kernel's output history) uses a palette: a third of the bytes
    of a 32-bit one; a Graphviz without gd gives its own PNG instead. The SVG is ASCII (Python keeps such a text
    at one byte a character)."""
    import widgets.view as view_module

    x, y, z, out = seed_000()
    data, _ = GraphView(out)._repr_mimebundle_()
    png = base64.b64decode(data["image/png"])
    assert png[25] == 3  # IHDR colour type 3: indexed colours
    digraph = GraphView(out)._digraph(legend=True)
    digraph.graph_attr["dpi"] = str(view_module.PNG_DPI)
    full = render(digraph, "png")  # cairo's own PNG: 32-bit colour
    assert png[25] != full[25] and len(png) < len(full) / 2
    梯度 = out * 1
    svg = GraphView(梯度, lang="zh")._repr_mimebundle_()[0]["image/svg+xml"]
    assert svg.isascii() and "&#26799;&#24230;" in svg  # kept at one byte a character
    from xml.etree import ElementTree
    assert "梯度" in "".join(ElementTree.fromstring(svg).itertext())  # and read back as written
    monkeypatch.setattr(view_module, "PNG_FORMATS", ["png:no-such-renderer", "png"])
    data, metadata = GraphView(out)._repr_mimebundle_()
    assert base64.b64decode(data["image/png"])[:8] == b"\x89PNG\r\n\x1a\n" and view_module.PNG_FORMATS == ["png"]


@needs_dot
def test_saved_png_of_a_wide_graph_is_at_most_a_column_wide():
    import widgets.view as view_module

    leaves = [torch.full((3,), float(i), requires_grad=True) for i in range(24)]
    total = sum((leaf * 2 for leaf in leaves[1:]), leaves[0] * 2).sum()  # 24 leaves side by side
    data, metadata = GraphView(total, collapse=False)._repr_mimebundle_()
    png = base64.b64decode(data["image/png"])
    width = int.from_bytes(png[16:20], "big")
    svg_width = float(re.search(r'width="([\d.]+)pt"', data["image/svg+xml"]).group(1)) * 4 / 3
    assert svg_width > view_module.PNG_WIDTH  # (the picture is wider than a column)
    assert view_module.PNG_WIDTH - 3 <= width <= view_module.PNG_WIDTH and metadata["image/png"]["width"] == width
