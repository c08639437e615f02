"""trace(): the graph drawn while a block builds it, and the engine event it relies on."""
import pytest

import minigrad as torch
from minigrad import events
from widgets import GraphView, trace


def test_engine_emits_node_created_for_recorded_ops_only():
    seen, changes = [], []

    def listener(kind, subject):
        seen.append((kind, subject.name()))

    def change_listener(kind, subject):
        changes.append(kind)

    events.subscribe(listener, "node_created")
    events.subscribe(change_listener)  # (hears changes only: node_created is for those who ask for it)
    try:
        x = torch.ones(2, requires_grad=True)
        (x * 2).sum()
        with torch.no_grad():
            x * 3  # not recorded: no node, no event
        torch.ones(2) + 1  # no input requires grad: no node either
    finally:
        events.unsubscribe(listener)
        events.unsubscribe(change_listener)
    assert seen == [("node_created", "MulBackward0"), ("node_created", "SumBackward0")]
    assert changes == []


def test_only_a_node_created_subscriber_makes_ops_emit():
    """A live view (a change listener) leaves the per-op check false: ops do not call emit for nobody."""
    def change_listener(kind, subject):
        pass

    events.subscribe(change_listener)
    try:
        assert events.listeners and not any(ref() is not None for ref in events.node_listeners)
    finally:
        events.unsubscribe(change_listener)
    with pytest.raises(ValueError, match="kind must be None"):
        events.subscribe(change_listener, "grad_changed")


def test_trace_grows_op_by_op_and_replays():
    x = torch.ones(2, 2, requires_grad=True)
    with trace() as view:
        y = x + 2
        z = y * y * 3
        out = z.mean()
        during = len(view._trace_nodes)  # (the slider's frame_count follows at each redraw)
    assert isinstance(view, GraphView) and view.traced and not view.tracing
    assert during == 4 and view.frame_count == 4 and view.frame == 4  # Add, Mul, Mul, Mean
    assert repr(view) == "GraphView(trace: 7 nodes)"  # the same 7 as GraphView(out): 5 grad_fn nodes, x, out
    functions = [n.title for n in view.snapshot.nodes if n.kind == "function"]
    assert sorted(functions) == sorted(["AddBackward0", "MulBackward0", "MulBackward0", "MeanBackward0",
                                        "AccumulateGrad"])
    outputs = [n.title for n in view.snapshot.nodes if n.output]
    assert outputs == ["out"]  # the last op's result, found by its name
    view.frame = 1  # replay: only y = x + 2 so far
    assert sorted(n.title for n in view.snapshot.nodes) == ["AccumulateGrad", "AddBackward0", "x", "y"]
    assert view.snapshot.find(title="AddBackward0")[0].constants == [1]  # the 2 of x + 2
    view.frame = 0
    assert view.snapshot.nodes == []


def test_trace_stops_at_nodes_made_before_it():
    x = torch.ones(2, requires_grad=True)
    before = x * 2
    with trace() as view:
        after = before + 1
    kinds = {n.title: n.kind for n in view.snapshot.nodes}
    assert kinds["MulBackward0"] == "boundary"  # drawn, but what lies behind it is not part of the trace
    assert "AccumulateGrad" not in kinds and kinds["after"] == "output"


def test_trace_stops_listening_after_the_block():
    x = torch.ones(2, requires_grad=True)
    with trace() as view:
        y = x * 2
    (x * 5).sum()
    assert view.frame_count == 1


def test_names_seen_mid_trace_do_not_stick():
    # run as a notebook cell runs: module-level code, so the names are looked up live while the block runs
    cell = {"torch": torch, "trace": trace}
    exec(
        "x = torch.ones(2, requires_grad=True)\n"
        "with trace() as view:\n"
        "    h = x * 2\n"
        "    for _ in range(3):\n"
        "        h = h * 2\n"
        "        view.refresh()  # a redraw while the block runs (the debouncer makes some)\n",
        cell)
    named = [n.title for n in cell["view"].snapshot.nodes if n.kind in ("tensor", "output")]
    assert named == ["h"]  # the h the block ended with; the earlier ones were passing steps of the loop
