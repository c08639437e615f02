"""The graph snapshot (widgets/snapshot.py): plain data taken from the engine, tested without Jupyter or Graphviz.

Expected graphs are the ones PyTorch records for the seed tutorials' code (grad_fn names and next_functions as
``torch`` prints them); expected values follow from the maths written next to each check.
"""
import numpy as np
import pytest

import minigrad as torch
from widgets.collapse import LONG_RUN, MIN_REPEATS
from widgets.names import Names, Namespace, caller_namespace, explicit_names
from widgets.snapshot import COLLAPSE_ABOVE, take_snapshot


def snap(*tensors, **options):
    """A snapshot named from the calling test's local variables, as a notebook cell's would be."""
    names = options.pop("names", None)
    return take_snapshot(tensors, Names(caller_namespace(1), explicit_names(names, tensors)), **options)


def titles(snapshot, kind=None):
    return [n.title for n in snapshot.nodes if kind is None or n.kind == kind]


def edge_titles(snapshot, kind="next"):
    """Edges as (source title, target title) pairs, sorted, so tests do not depend on drawing order."""
    title = {n.id: n.title for n in snapshot.nodes}
    return sorted((title[e.source], title[e.target]) for e in snapshot.edges if e.kind == kind)


def seed_000():
    x = torch.ones(2, 2, requires_grad=True)
    y = x + 2
    z = y * y * 3
    out = z.mean()
    return x, y, z, out


def test_seed_000_chain_nodes_names_and_edges():
    x, y, z, out = seed_000()
    s = snap(out)
    assert sorted(titles(s, "function")) == sorted(
        ["AccumulateGrad", "AddBackward0", "MulBackward0", "MulBackward0", "MeanBackward0"])
    assert titles(s, "leaf") == ["x"]
    assert titles(s, "output") == ["out"]
    assert sorted(titles(s, "tensor")) == ["y", "z"]  # named intermediates, found in the namespace
    # y = x + 2 and (y*y) * 3: the Python numbers are inputs that need no grad, (None, 0) at next_functions[1];
    # they are noted on their node, not drawn as boxes of their own
    assert titles(s, "constant") == []
    assert [(n.title, n.constants) for n in s.find(kind="function") if n.constants] == [
        ("AddBackward0", [1]), ("MulBackward0", [1])]
    assert edge_titles(s) == sorted([
        ("AccumulateGrad", "AddBackward0"),
        ("AddBackward0", "MulBackward0"), ("AddBackward0", "MulBackward0"),  # y * y uses y twice
        ("MulBackward0", "MulBackward0"),
        ("MulBackward0", "MeanBackward0"),
    ])
    boxes = snap(out, constants=True)  # the constants as boxes, each with its edge
    assert titles(boxes, "constant") == ["constant", "constant"]
    assert ("constant", "AddBackward0") in edge_titles(boxes) and ("constant", "MulBackward0") in edge_titles(boxes)
    assert boxes.graph_size == 7  # constants are not counted: they are not graph nodes
    assert edge_titles(s, "variable") == [("x", "AccumulateGrad")]
    assert edge_titles(s, "output") == [("AddBackward0", "y"), ("MeanBackward0", "out"), ("MulBackward0", "z")]
    # seven graph nodes: five grad_fn nodes, the leaf x, the output out
    assert s.graph_size == 7
    assert s.node(s.roots[0]).title == "out" and s.node(s.roots[0]).output


def test_seed_000_tensor_lines_before_and_after_backward():
    x, y, z, out = seed_000()
    leaf = snap(out).find(title="x")[0]
    # values as print(x) lays them out (tensor([[1., 1.],\n        [1., 1.]])), rows lined up after "= "
    assert leaf.lines == ["(2, 2) float32", "= [[1., 1.],\n   [1., 1.]]", "leaf, requires grad"]
    # out = mean(3 (x+2)^2)  =>  d out / dx = 6 (x+2) / 4 = 4.5 at x = 1; PyTorch prints 4.5000
    out.backward()
    leaf = snap(out).find(title="x")[0]
    assert "grad [[4.5000, 4.5000],\n      [4.5000, 4.5000]]" in leaf.lines
    output = snap(out).find(title="out")[0]
    assert output.lines == ["() float32", "= 27.", "non-leaf"]  # 3 * (1 + 2)^2 = 27, spelt as PyTorch prints it


def test_seed_4_1_w_x_a_b_y():
    x = torch.tensor([2.], requires_grad=True)
    w = torch.tensor([1.], requires_grad=True)
    a = torch.add(w, x)
    b = torch.add(w, 1)
    y = torch.mul(a, b)
    s = snap(y)
    assert titles(s, "leaf") == ["w", "x"]  # w is used first (by a = add(w, x))
    assert sorted(titles(s, "tensor")) == ["a", "b"]
    assert titles(s, "output") == ["y"]
    assert edge_titles(s, "variable") == [("w", "AccumulateGrad"), ("x", "AccumulateGrad")]
    ids = {n.title: n.id for n in s.nodes if n.kind in ("leaf", "tensor", "output")}
    made_by = {e.target: e.source for e in s.edges if e.kind in ("output", "variable")}
    acc = {s.node(e.source).title: e.target for e in s.edges if e.kind == "variable"}
    add_a, add_b, mul = made_by[ids["a"]], made_by[ids["b"]], made_by[ids["y"]]
    nexts = sorted((e.source, e.target) for e in s.edges if e.kind == "next")
    assert nexts == sorted([(acc["w"], add_a), (acc["x"], add_a), (acc["w"], add_b), (add_a, mul), (add_b, mul)])
    assert s.node(add_b).constants == [1] and s.node(add_a).constants == []  # b = add(w, 1): the 1 needs no grad
    # w is used twice, yet has one AccumulateGrad node (PyTorch shares it too)
    assert titles(s, "function").count("AccumulateGrad") == 2
    # y = (w + x)(w + 1)  =>  dy/dw = (w + 1) + (w + x) = 5,  dy/dx = w + 1 = 2
    y.backward()
    s = snap(y)
    assert "grad [5.]" in s.find(title="w")[0].lines
    assert "grad [2.]" in s.find(title="x")[0].lines


def test_fallback_names_and_explicit_names():
    def build():
        leaf = torch.ones(3, requires_grad=True)
        return (leaf * 2).sum()

    out = build()  # the leaf's variable is gone: it gets a fallback name
    s = take_snapshot([out], Names())
    assert titles(s, "leaf") == ["leaf0"] and titles(s, "output") == ["output"]
    x = out.grad_fn.next_functions[0][0].next_functions[0][0].variable
    s = take_snapshot([out], Names(explicit=explicit_names({"weights": x, "loss": out}, [out])))
    assert titles(s, "leaf") == ["weights"] and titles(s, "output") == ["loss"]
    s = take_snapshot([out], Names(explicit=explicit_names(["total"], [out])))
    assert titles(s, "output") == ["total"]
    with pytest.raises(TypeError):
        explicit_names(["a", "b"], [out])


def test_explicit_names_win_over_the_namespace():
    x = torch.ones(2, requires_grad=True)
    out = (x * 3).sum()
    s = snap(out, names={x: "input"})
    assert titles(s, "leaf") == ["input"]


def test_names_follow_the_live_namespace():
    namespace = {}
    x = torch.ones(2, requires_grad=True)
    out = (x + 1).sum()
    live = Namespace(live=[namespace])
    assert titles(take_snapshot([out], Names(live)), "leaf") == ["leaf0"]
    namespace["x"] = x  # a later cell binds the name
    assert titles(take_snapshot([out], Names(live)), "leaf") == ["x"]
    namespace["_hidden"] = out  # IPython's _, __ and _3 are not names a learner gave
    assert titles(take_snapshot([out], Names(live)), "output") == ["output"]


def test_module_parameters_get_dotted_names():
    nn = pytest.importorskip("minigrad.nn")
    if not hasattr(nn, "Linear"):
        pytest.skip("minigrad.nn.Linear is not there yet")
    torch.manual_seed(0)
    model = nn.Linear(2, 1)
    out = model(torch.ones(1, 2)).sum()
    assert sorted(titles(snap(out), "leaf")) == ["model.bias", "model.weight"]


def test_escaping_is_left_to_the_drawing_stage_names_are_kept_verbatim():
    x = torch.ones(1, requires_grad=True)
    out = x * 2
    s = snap(out, names={"<script>alert(1)</script>": x})
    assert titles(s, "leaf") == ["<script>alert(1)</script>"]


def test_values_small_in_full_large_summarised():
    small = torch.tensor([[1., 2., 3.], [4., 5., 6.]], requires_grad=True)
    big = torch.ones(5, 5, requires_grad=True)
    out = (small.sum() + big.sum())
    s = snap(out)
    assert "= [[1., 2., 3.],\n   [4., 5., 6.]]" in s.find(title="small")[0].lines
    assert "= mean 1., min 1., max 1." in s.find(title="big")[0].lines  # as print(big.mean()) spells 1
    hidden = snap(out, values=False).find(title="small")[0].lines
    assert hidden == ["(2, 3) float32", "leaf, requires grad"]


def test_retained_grad_state():
    x = torch.ones(2, requires_grad=True)
    y = x * 2
    y.retain_grad()
    out = y.sum()
    out.backward()
    node = snap(out).find(title="y")[0]
    assert "non-leaf, retains grad" in node.lines
    assert "grad [1., 1.]" in node.lines  # d sum(y) / dy = 1


def test_saved_tensors_and_freeing():
    x, y, z, out = seed_000()
    s = snap(out, saved=True)
    # MulBackward0 of y * y saved both factors (y, y); the one of (y*y) * 3 saved the constant 3 for y*y's grad
    assert sorted(titles(s, "saved")) == ["saved", "y", "y"]
    assert "a constant (needs no grad)" in s.find(title="saved")[0].lines  # the 3
    assert all("saved at version 0" in n.lines for n in s.find(kind="saved"))
    savers = {e.target for e in s.edges if e.kind == "saved"}
    out.backward()  # no retain_graph: every node drops what it saved
    s = snap(out, saved=True)
    assert titles(s, "saved") == []
    freed = s.find(kind="freed")
    assert {e.target for e in s.edges if e.kind == "saved"} == savers and len(freed) == len(savers)


def test_saved_tensor_modified_in_place_is_flagged():
    x = torch.ones(2, requires_grad=True)
    y = x * 1
    z = y * y
    with torch.no_grad():
        y.add_(1)  # bumps y's version after z saved it
    saved = snap(z, saved=True).find(kind="saved")
    stale = [n.title for n in saved if "now version 1: backward will fail" in n.lines]
    assert stale == ["y", "y"]  # z = y * y saved y twice; x * 1 saved the untouched constant 1


def test_versions_layer():
    x = torch.ones(2, requires_grad=True)
    out = (x * 2).sum()
    with torch.no_grad():
        x.mul_(3)
        x.add_(1)
    assert "version 2" in snap(out, versions=True).find(title="x")[0].lines
    assert not any(line.startswith("version") for line in snap(out).find(title="x")[0].lines)


def test_detached_and_no_grad_results():
    x = torch.ones(2, requires_grad=True)
    out = (x * 2).sum()
    x_copy = x.detach()
    s = snap(out, detached=True)
    assert titles(s, "detached") == ["x_copy"]
    assert edge_titles(s, "detached") == [("x", "x_copy")]
    assert titles(snap(out), "detached") == []  # off unless asked for
    with torch.no_grad():
        squared = x ** 2
    s = snap(squared)
    assert [(n.kind, n.title) for n in s.nodes] == [("detached", "squared")]
    assert "requires_grad=False" in s.nodes[0].lines


@pytest.mark.filterwarnings("ignore:Using backward\\(\\) with create_graph=True")  # PyTorch warns the same
def test_graph_built_by_create_graph():
    x = torch.tensor([3.], requires_grad=True)
    y = x * x * x
    y.backward(create_graph=True)  # x.grad = 3 x^2 = 27, itself the output of a graph
    assert x.grad.grad_fn is not None
    s = snap(y, grad_graph=True)
    grads = s.find(kind="grad")
    assert [g.title for g in grads] == ["x.grad"]
    assert "= [27.]" in grads[0].lines
    assert any(n.layer == "grad_graph" for n in s.find(kind="function"))
    assert not snap(y).find(kind="grad")


def test_leaf_and_several_outputs():
    x = torch.ones(2, requires_grad=True)
    a = x * 2
    b = x + 1
    s = snap(a, b)
    assert titles(s, "output") == ["a", "b"]
    assert titles(s, "leaf") == ["x"]
    s = snap(x)
    assert [(n.kind, n.title, n.output) for n in s.nodes if n.kind == "leaf"] == [("leaf", "x", True)]


def test_collapse_folds_a_long_loop_and_expands():
    x = torch.ones(3, requires_grad=True)
    y = x * 2
    steps = COLLAPSE_ABOVE + 20
    for _ in range(steps):
        y = y * 2
    full = snap(y, collapse=False)
    assert titles(full, "function").count("MulBackward0") == steps + 1
    folded = snap(y)
    summaries = folded.find(kind="summary")
    assert len(summaries) == 1
    # visible: x * 2, the first doubling (its input x * 2 is a one-op side branch, so it looks different),
    # the first and the last repetition of the run, and y itself (an output is never folded)
    assert summaries[0].title == f"MulBackward0 × {steps - 4}"
    assert titles(folded, "function").count("MulBackward0") == 5
    assert len(folded.nodes) == 5 + 1 + 3  # those five, the fold, AccumulateGrad, x, y
    key = folded.objects[summaries[0].id].key
    opened = snap(y, expanded={key})
    assert opened.find(kind="summary") == [] and len(opened.nodes) == len(full.nodes)


def test_collapse_keeps_small_graphs_whole():
    x = torch.ones(3, requires_grad=True)
    y = x
    for _ in range(MIN_REPEATS + 3):
        y = y * 2
    assert snap(y).find(kind="summary") == []


def doubling_loop(steps):
    """Lesson 04's loop: y = x * 2, then y = y * 2 again and again."""
    x = torch.ones(3, requires_grad=True)
    y = x * 2
    for _ in range(steps - 1):
        y = y * 2
    return x, y


def test_a_short_loop_stays_whole_a_long_one_folds():
    # In a chain of doublings, x * 2 reads a leaf and the second doubling reads that one-op branch, so both look
    # different from the rest; y's own node is pinned (an output). The run that repeats: steps - 3 doublings.
    x, y = doubling_loop(LONG_RUN + 3)  # a run of exactly LONG_RUN: drawn in full, every step visible
    assert len(y.grad_fn.next_functions) == 2 and snap(y).find(kind="summary") == []
    x, y = doubling_loop(LONG_RUN + 4)  # one more: folded, though the graph is small (under COLLAPSE_ABOVE ops)
    assert LONG_RUN + 4 <= COLLAPSE_ABOVE
    summary, = snap(y).find(kind="summary")
    fold = snap(y).objects[summary.id]
    assert fold.repeats == LONG_RUN + 1 - 2  # the first and last repetitions stay drawn
    x, y = doubling_loop(100)
    assert len(snap(y).find(kind="summary")) == 1
    assert snap(y, collapse=False).find(kind="summary") == []


def test_collapse_folds_a_loop_with_side_branches_and_shared_leaves():
    h = torch.ones(3, requires_grad=True)
    w = torch.ones(3, requires_grad=True)
    state = h
    for _ in range(200):
        state = (state * w + 1).tanh()
    loss = state.sum()
    s = snap(loss)
    summary, = s.find(kind="summary")
    fold = s.objects[summary.id]
    assert sorted(fold.pattern) == ["AddBackward0", "MulBackward0", "TanhBackward0"]  # the loop body
    assert len(fold.members) == 3 * fold.repeats and fold.repeats > 190
    assert summary.title.endswith(f"× {fold.repeats}")
    visible_ops = len(s.find(kind="function")) - titles(s, "function").count("AccumulateGrad")
    assert visible_ops + len(fold.members) == 3 * 200 + 1  # every op is either drawn or in the fold (+ sum)
    assert sorted(titles(s, "leaf")) == ["h", "w"]  # w is shared by every step: it stays visible
    assert len(s.nodes) < 30


def test_over_budget_part_is_folded_into_more():
    import random

    choose = random.Random(0).choice  # an irregular mix of ops: no repeating pattern to fold
    leaves = [torch.ones(1, requires_grad=True) for _ in range(60)]
    total = leaves[0] * 1
    for leaf in leaves[1:]:
        total = choose([lambda t, v: t + v, lambda t, v: t * v, lambda t, v: t - v])(total, leaf.exp())
    s = snap(total, max_nodes=40)
    more = [n for n in s.nodes if n.title.startswith("…")]
    assert len(more) == 1 and more[0].kind == "summary"
    hidden = len(s.objects[more[0].id].members)
    assert more[0].title == f"… {hidden} more nodes"
    # what is drawn: at most 40 graph nodes, the "more" node and the output tensor
    assert len(s.nodes) <= 40 + 2
    opened = snap(total, max_nodes=40, expanded={"more"})
    assert not [n for n in opened.nodes if n.title.startswith("…")]
    assert snap(total, max_nodes=40, collapse=False).find(kind="summary") == []


def test_deep_chain_no_recursion_error():
    x = torch.ones(1, requires_grad=True)
    y = x
    for _ in range(5000):
        y = y + 1.0
    s = snap(y)
    assert s.graph_size == 5000 + 3
    assert len(s.nodes) < 30


def test_walk_overlay_marks_nodes_and_edges():
    from widgets.walk import BackwardWalk

    x, y, z, out = seed_000()
    walk = BackwardWalk([out])
    walk.step()
    s = snap(out, walk=walk)
    mean = s.find(title="MeanBackward0")[0]
    assert mean.state == "running"
    flowing = [e for e in s.edges if e.flowing]
    # MeanBackward0 got d out/d out = 1 and sent 1/4 to each of z's 4 elements (PyTorch prints 0.2500)
    assert sorted(e.label for e in flowing) == ["1.", "[[0.2500, 0.2500],\n [0.2500, 0.2500]]"]
    walk.step()
    assert snap(out, walk=walk).find(title="MeanBackward0")[0].state == "done"


def test_to_dict_is_plain_data():
    import json

    x, y, z, out = seed_000()
    data = snap(out).to_dict()
    assert json.loads(json.dumps(data)) == data
    assert data["graph_size"] == 7


def test_values_text_helpers():
    from widgets.values import array_text, one_line, printed

    assert array_text(np.float32(2.5), 4) == "2.5000"  # print(torch.tensor(2.5)): tensor(2.5000)
    assert array_text(np.array([1.0, np.nan, 3.0]), 2) == "2. mean of finite, 1 nan/inf"
    assert array_text(np.array([True, False, True]), 2) == "2 of 3 true"
    assert printed(np.arange(4.0).reshape(2, 2)) == "[[0., 1.],\n [2., 3.]]"
    assert printed(np.ones((2, 2)), "grad ") == "grad [[1., 1.],\n      [1., 1.]]"
    assert one_line("[[0., 1.],\n [2., 3.]]") == "[[0., 1.], [2., 3.]]"


def test_values_are_printed_as_pytorch_prints_them():
    torch_ref = pytest.importorskip("torch")
    cases = [
        [[1.0, 1.0], [1.0, 1.0]],
        [788.99, -150.2356, -1115.5402],  # lesson 04's y: numpy would print 788.99, PyTorch 788.9900
        [51.2, 512.0, 0.0512],  # lesson 04's x.grad: scientific notation
        [[0.1, -2.0, 3.0], [1e-05, 4.0, 5.5]],
        [True, False, True],
        [3, -20, 7],
        2.5,
    ]
    for values in cases:
        mine = torch.tensor(values)
        theirs = torch_ref.tensor(values)
        body = repr(theirs)[len("tensor("):].rsplit(")", 1)[0].split(", dtype=")[0]
        shown = snap(mine).nodes[0].lines[1]
        # the node shows PyTorch's numbers and layout, indented under "= " rather than under "tensor("
        assert shown == "= " + body.replace("\n" + " " * len("tensor("), "\n" + " " * len("= ")), values


def test_custom_function_saving_its_output():
    from minigrad.autograd import Function

    class Exp(Function):
        @staticmethod
        def forward(ctx, x):
            result = x.exp()
            ctx.save_for_backward(result)
            return result

        @staticmethod
        def backward(ctx, grad):  # d exp(x)/dx = exp(x)
            result, = ctx.saved_tensors
            return grad * result

    x = torch.zeros(2, requires_grad=True)
    y = Exp.apply(x)
    out = y.sum()
    s = snap(out, saved=True)
    assert titles(s, "function") == ["ExpBackward", "SumBackward0", "AccumulateGrad"]  # PyTorch's naming
    saved, = s.find(kind="saved")
    assert saved.title == "y" and "an output of this node" in saved.lines and "= [1., 1.]" in saved.lines
