"""Bounded drawing: however big the graph, a picture looks at a bounded part of it (widgets/snapshot.py).

A folded picture looks only at the ``LOOK_AHEAD * max_nodes`` nodes nearest the outputs and counts the rest;
``collapse=False`` on a graph past ``UNFOLDED_LIMIT`` nodes asks first; the step-through's node count is found
once per graph. (The timings these bounds buy are measured in benchmarks/bench_lifetime.py.)
"""
import random

import numpy as np
import pytest

import minigrad as torch
from minigrad.autograd import engine, graph
from minigrad.autograd.function import AccumulateGrad
from widgets import GraphView, trace
from widgets.collapse import Fold
from widgets.names import Names, Namespace
from widgets.snapshot import LOOK_AHEAD, MAX_NODES, TRACE_LOOK_AHEAD, UNFOLDED_LIMIT, reachable, take_snapshot
from widgets.walk import RECORD_AT_ONCE


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
    assert f"… {fold.size:,} more nodes" in drawn  # the picture says how many it hides, not how many it looked at
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


def counting_backward(monkeypatch, node):
    """Count the calls of ``node``'s kind of backward (every node of a chain is one kind)."""
    calls = []
    formula = type(node).backward

    def counted(*args):
        calls.append(1)
        return formula(*args)

    monkeypatch.setattr(type(node), "backward", staticmethod(counted))
    return calls


def test_the_first_step_of_a_big_walk_records_its_first_steps_only(monkeypatch):
    x, out = chain(20_000)
    total = 20_000 + 2  # the Muls, the Sum and x's AccumulateGrad
    runs = counting_backward(monkeypatch, out.grad_fn.next_functions[0][0])
    saved_checks = []
    check = engine.modified_saved
    monkeypatch.setattr(engine, "modified_saved", lambda node: saved_checks.append(1) or check(node))
    made = []
    make = torch.Tensor._make.__func__
    monkeypatch.setattr(torch.Tensor, "_make", classmethod(lambda cls, *a, **k: made.append(1) or make(cls, *a, **k)))
    view = GraphView(out)
    assert runs == [] and view.step_count == total
    saved_checks.clear()
    made.clear()
    view.step()
    assert view.step_status.startswith(f"step 1 of {total}:")  # counted whole, recorded in part
    assert 0 < len(runs) <= RECORD_AT_ONCE  # not 20 000
    assert len(saved_checks) <= 2 * total + RECORD_AT_ONCE  # a look at each node's saved values, not one per step
    assert len(made) < 50  # the steps' gradients become tensors only where the picture reads them
    view.step_index = 12_000  # the slider: records as far as it goes (and the next steps)
    assert RECORD_AT_ONCE < len(runs) <= 12_000 + RECORD_AT_ONCE
    assert view.step_status.startswith(f"step 12000 of {total}:")
    view.run_to_end()
    assert len(runs) == 20_000 and view.walk_state == "finished" and x.grad is None
    would_add = view._walk.leaf_grad(graph.accumulate_grad_node(x)).numpy().copy()
    out.backward()
    np.testing.assert_allclose(would_add, x.grad.numpy())


def test_a_backward_during_a_big_walk_lets_its_recording_finish_first():
    leaves, out = irregular(12_000)
    view = GraphView(out)
    total = view.step_count
    view.step()
    view.step()
    assert len(view._walk.recording) < total
    out.backward()  # frees the graph: the walk recorded the rest of the pass before the engine changed anything
    assert len(view._walk.recording) == total
    view.run_to_end()
    assert view.walk_state == "finished" and view.step_status.startswith(f"finished: {total} nodes ran.")
    for leaf in leaves[-3:] + leaves[:3]:
        np.testing.assert_allclose(view._walk.leaf_grad(graph.accumulate_grad_node(leaf)).numpy(), leaf.grad.numpy())


def test_a_saved_value_changed_in_place_during_a_big_walk_ends_it_where_backward_would_now_fail():
    x = torch.ones(2, requires_grad=True)
    a = x * 1
    y = a * a  # saves a: its backward runs near the end of the pass
    for _ in range(RECORD_AT_ONCE + 1000):
        y = y * 1.0001
    out = y.sum()
    view = GraphView(out)
    view.step()
    with torch.no_grad():
        a.add_(1)  # after the walk began: the steps still to come would use the new values
    view.run_to_end()
    assert view.walk_state == "failed"
    with pytest.raises(RuntimeError) as refused:
        out.backward()
    assert view._walk.error == str(refused.value) and "modified by an inplace operation" in view._walk.error
    assert view.step_status.endswith(f": {refused.value}")  # "backward would fail here: ..."
    assert len(view._walk.recording) == RECORD_AT_ONCE + 1001  # every step before a * a's, none after
    assert x.grad is None


@pytest.mark.parametrize("shape", [(), (1,), (2, 3)])
def test_a_big_walk_recorded_as_it_goes_on_0d_one_element_and_broadcast_graphs(shape):
    x = torch.tensor(np.full(shape, 0.5), requires_grad=True)
    b = torch.tensor([1.5, -2.0, 0.25][: (shape[-1] if shape else 1)], requires_grad=True)  # broadcast over x
    y = x * b
    for i in range(2 * RECORD_AT_ONCE):
        y = y * 1.0001 if i % 2 else y + x
    out = y.sum()
    view = GraphView(out)
    view.step()
    view.step_index = RECORD_AT_ONCE + 5  # past the first steps recorded
    assert view.step_status.startswith(f"step {RECORD_AT_ONCE + 5} of {view.step_count}:")
    view.run_to_end()
    walk = view._walk
    would_add = [walk.leaf_grad(graph.accumulate_grad_node(t)).numpy().copy() for t in (x, b)]
    out.backward()
    assert [g.shape for g in would_add] == [x.shape, b.shape]
    np.testing.assert_allclose(would_add[0], x.grad.numpy())
    np.testing.assert_allclose(would_add[1], b.grad.numpy())


def traced_chain(length, **options):
    with trace(**options) as view:
        x, out = chain(length)
    return view, out


def test_a_long_traced_loop_is_looked_at_near_its_results_and_counted_whole():
    view, out = traced_chain(20_000)
    looked_at = TRACE_LOOK_AHEAD * MAX_NODES
    assert view.snapshot.graph_size == GraphView(out).snapshot.graph_size == 20_000 + 1 + 2 + 1  # + Sum, x, out
    more = more_fold(view.snapshot)
    assert more.size == 20_000 + 2 - looked_at  # the earlier ops and x's AccumulateGrad fold into "… more"
    drawn = {n.title for n in view.snapshot.nodes}
    assert f"… {more.size:,} more nodes" in drawn and "out" in drawn
    [repeat] = [o for o in view.snapshot.objects.values() if isinstance(o, Fold) and o.kind == "repeat"]
    assert repeat.repeats <= looked_at  # only the latest ops were looked into (the old picture: × 19 996)
    view.select(view.snapshot.id_of(more))  # clicked: looks twice as far, as in a view of the graph
    [repeat] = [o for o in view.snapshot.objects.values() if isinstance(o, Fold) and o.kind == "repeat"]
    assert looked_at < repeat.repeats <= 2 * looked_at and more_fold(view.snapshot).size < more.size
    view.close()


def test_a_short_traced_loop_is_still_drawn_whole():
    view, out = traced_chain(looked_at := TRACE_LOOK_AHEAD * MAX_NODES - 10)
    assert not any(isinstance(o, Fold) and o.kind == "more" for o in view.snapshot.objects.values())
    [repeat] = [o for o in view.snapshot.objects.values() if isinstance(o, Fold) and o.kind == "repeat"]
    assert repeat.repeats > looked_at - 20  # one fold of (nearly) every op
    view.close()


def test_collapse_false_on_a_long_trace_asks_instead_of_drawing_everything():
    view, out = traced_chain(UNFOLDED_LIMIT + 500, collapse=False)
    assert "view.show_all()" in view.message and len(view.snapshot.nodes) <= MAX_NODES + 10
    view.show_all()
    assert view.message == "" and len(view.snapshot.nodes) > UNFOLDED_LIMIT
    view.close()
