"""Bounded drawing: however big the graph, a picture looks at a bounded part of it (widgets/snapshot.py).

A folded picture looks only at the ``LOOK_AHEAD * max_nodes`` nodes nearest the outputs and counts the rest;
``collapse=False`` on a graph past ``UNFOLDED_LIMIT`` nodes asks first; the step-through's node count is found
once per graph. (The timings these bounds buy are measured in benchmarks/bench_lifetime.py.)
"""
import random

import minigrad as torch
from minigrad.autograd.function import AccumulateGrad
from widgets import GraphView
from widgets.collapse import Fold
from widgets.names import Names, Namespace
from widgets.snapshot import LOOK_AHEAD, MAX_NODES, UNFOLDED_LIMIT, reachable, take_snapshot


def chain(length):
    x = torch.ones(1, requires_grad=True)
    y = x
    for _ in range(length):
        y = y * 1.0001
    return x, y.sum()


def irregular(ops, seed=0):
    """A running total mixing +, *, - over many leaves (nothing repeats): the hard case for folding."""
    choose = random.Random(seed).choice
    leaves = [torch.full((2,), 1.0 + i / ops, requires_grad=True) for i in range(ops // 3)]
    total = leaves[0] * 1
    for leaf in leaves[1:]:
        total = choose([lambda a, b: a + b, lambda a, b: a * b, lambda a, b: a - b])(total, leaf.exp())
    return leaves, total.sum()


def counted_nodes(out):
    nodes = reachable([out.grad_fn])
    return len(nodes) + sum(type(n) is AccumulateGrad for n in nodes) + 1  # + the output tensor


def more_fold(snapshot):
    [fold] = [obj for obj in snapshot.objects.values() if isinstance(obj, Fold) and obj.kind == "more"]
    return fold


def test_a_big_graph_is_looked_at_near_its_outputs_and_counted_whole():
    x, out = chain(20_000)
    snapshot = take_snapshot([out], Names(Namespace(live=[{"out": out}])))
    assert snapshot.graph_size == 20_000 + 1 + 2 + 1  # the Muls, the Sum, AccumulateGrad and x, the output
    fold = more_fold(snapshot)
    looked_at = LOOK_AHEAD * MAX_NODES
    assert fold.size == 20_000 + 2 - looked_at  # every node not looked into (here the near part fits: a chain)
    assert fold.title == f"… {fold.size} more nodes"
    drawn = {n.title for n in snapshot.nodes}
    assert "x" not in drawn and "SumBackward0" in drawn and "MulBackward0 × 2996" in drawn  # the near part folds
    assert len(snapshot.reach) == 20_000 + 2  # every node, for the after-cell check


def test_a_small_graph_is_drawn_exactly_as_before():
    x, out = chain(2_000)  # under LOOK_AHEAD * MAX_NODES: looked at whole
    snapshot = take_snapshot([out], Names(Namespace(live=[{"x": x, "out": out}])))
    assert [n.title for n in snapshot.nodes if n.kind == "leaf"] == ["x"]
    assert not any(isinstance(o, Fold) and o.kind == "more" for o in snapshot.objects.values())


def test_clicking_more_looks_further():
    leaves, out = irregular(3_000)
    view = GraphView(out)
    before = more_fold(view.snapshot)
    view.select(view.snapshot.id_of(before))  # opens it: twice the nodes drawn, twice as far looked
    after = more_fold(view.snapshot)
    assert after.size < before.size and len(view.snapshot.nodes) > MAX_NODES
    assert view.snapshot.graph_size == counted_nodes(out)


def test_stepping_a_big_graph_counts_every_node_once():
    leaves, out = irregular(12_000)
    view = GraphView(out)
    total = len(reachable([out.grad_fn]))
    assert view.step_count == total and view._walk.nodes() is view._walk.nodes()  # found once
    for _ in range(3):
        view.step()
    assert view.step_status.startswith(f"step 3 of {total}:")
    view.run_to_end()  # a walk writes nothing: what backward() would add is on the walk's leaves
    assert all(leaf.grad is None for leaf in leaves[-3:])
    expected = [view._walk.leaf_grad(leaf._accumulator_ref()).numpy().copy() for leaf in leaves[-3:]]
    view.reset()
    out.backward()
    assert all((leaf.grad.numpy() == e).all() for leaf, e in zip(leaves[-3:], expected))


def test_collapse_false_past_the_limit_asks_instead_of_drawing_everything():
    leaves, out = irregular(UNFOLDED_LIMIT)  # about 1 700 nodes
    view = GraphView(out, collapse=False)
    assert "collapse=False asks for every node, but this graph has" in view.message
    assert "view.show_all()" in view.message
    assert len(view.snapshot.nodes) <= MAX_NODES + 10  # drawn folded meanwhile
    assert view.unfold_offer == view.snapshot.graph_size  # the front end's "draw all" button
    view._on_message(view, {"action": "show_all"}, [])  # pressed
    assert view.message == "" and view.unfold_offer == 0 and len(view.snapshot.nodes) > UNFOLDED_LIMIT
    small_leaves, small = irregular(90)
    assert GraphView(small, collapse=False).message == ""  # a graph under the limit is drawn whole at once
