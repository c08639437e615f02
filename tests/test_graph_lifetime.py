"""How long the graph lives and how the backward pass walks it (minigrad's own guarantees, no PyTorch needed):

- a 100 000-node chain backpropagates without RecursionError, in time linear in its length;
- nodes form no reference cycles: a graph is freed by reference counting as soon as its output is dropped;
- ``autograd.backward_steps`` yields one ``BackwardStep`` per node, each after every node that feeds it, and
  stepping through gives the same gradients as ``backward()``;
- ``minigrad.events`` tells subscribers about finished backward passes, new gradients and in-place changes, and
  holds them weakly.
"""
import gc
import math
import time
import weakref

import numpy as np
import pytest

import minigrad as torch
from minigrad import events
from minigrad.autograd import BackwardStep, Function, backward_steps


# ----- deep graphs ------------------------------------------------------------------------------------------------
def chain(length):
    x = torch.tensor(1., dtype=torch.float64, requires_grad=True)
    y = x
    for _ in range(length):
        y = y * 1.0001
    return x, y


def test_a_100000_deep_chain_backpropagates_in_linear_time_and_is_dropped_without_recursion():
    x, y = chain(100_000)
    start = time.perf_counter()
    y.backward()
    seconds_long = time.perf_counter() - start
    assert math.isclose(x.grad.item(), 1.0001 ** 100_000, rel_tol=1e-9)  # d/dx x·c^n = c^n
    node = weakref.ref(y.grad_fn)
    del y  # deleting 100 000 nested nodes must not overflow the stack either
    assert node() is None

    short_x, short_y = chain(20_000)
    start = time.perf_counter()
    short_y.backward()
    seconds_short = time.perf_counter() - start
    # five times the nodes: about five times the work (a quadratic walk would take 25 times as long)
    assert seconds_long < 12 * seconds_short + 0.5


# ----- no reference cycles ------------------------------------------------------------------------------------------
class Exp(Function):
    @staticmethod
    def forward(ctx, x):
        result = x.exp()
        ctx.save_for_backward(result)
        return result

    @staticmethod
    def backward(ctx, grad):
        (result,) = ctx.saved_tensors
        return grad * result


def build_graph(x, w):
    """A graph with many kinds of nodes: arithmetic, reductions, views, indexing, writes, cat, a custom Function."""
    h = (x @ w).tanh()
    h = h * 2 + 1
    h = h.exp() / (h * h + 1)
    h.retain_grad()
    v = h.t()[0]
    c = torch.cat([v, h[:, 1], h[[0, 1, 1], 0]])
    c = c * 1
    c[0] = w[0, 0]
    s = torch.stack([c, Exp.apply(c)])
    return s.sum() + s.mean()


@pytest.mark.parametrize("run_backward", [False, True], ids=["built only", "after backward"])
def test_a_dropped_graph_is_freed_without_the_garbage_collector(run_backward):
    x = torch.tensor([[1., 2.], [3., 4.]], requires_grad=True)
    w = torch.tensor([[.1, .2], [.3, .4]], requires_grad=True)
    gc.collect()
    gc.disable()
    try:
        loss = build_graph(x, w)
        nodes = [weakref.ref(node) for node in walk(loss.grad_fn)]
        assert len(nodes) > 20
        if run_backward:
            loss.backward()
        del loss
        assert [ref for ref in nodes if ref() is not None] == []
        assert gc.collect() == 0
    finally:
        gc.enable()


def walk(root):
    """Every node reachable from ``root`` (AccumulateGrad nodes included)."""
    seen, stack = [], [root]
    while stack:
        node = stack.pop()
        if node is None or any(node is s for s in seen):
            continue
        seen.append(node)
        stack.extend(next_node for next_node, _ in node.next_functions)
    return seen


def test_the_leaf_does_not_keep_its_accumulate_node_alive():
    x = torch.tensor([1., 2.], requires_grad=True)
    y = x * 2
    accumulate = weakref.ref(y.grad_fn.next_functions[0][0])
    del y
    assert accumulate() is None and x.requires_grad  # the leaf lives on, its node went with the graph


# ----- stepping through backward ----------------------------------------------------------------------------------
def test_backward_steps_visits_every_node_once_after_all_nodes_feeding_it():
    x = torch.tensor([[1., 2.], [3., 4.]], requires_grad=True)
    w = torch.tensor([[.1, .2], [.3, .4]], requires_grad=True)
    loss = build_graph(x, w)
    reachable = walk(loss.grad_fn)
    steps = list(backward_steps((loss,), (None,), retain_graph=True))
    assert all(isinstance(step, BackwardStep) for step in steps)
    assert [step.index for step in steps] == list(range(1, len(steps) + 1))  # step 1 is the first node run
    visited = [step.node for step in steps]
    assert len(visited) == len(reachable) and all(any(node is r for r in reachable) for node in visited)
    position = {id(node): i for i, node in enumerate(visited)}
    for node in visited:
        for next_node, _ in node.next_functions:
            if next_node is not None:
                assert position[id(next_node)] > position[id(node)]  # fed first, run later
    assert repr(steps[0]) == f"BackwardStep(1, {loss.grad_fn.name()})"


def test_stepping_gives_the_same_gradients_as_backward():
    def gradients(run):
        x = torch.tensor([[1., 2.], [3., 4.]], requires_grad=True)
        w = torch.tensor([[.1, .2], [.3, .4]], requires_grad=True)
        run(build_graph(x, w))
        return x.grad.numpy().copy(), w.grad.numpy().copy()

    def step_by_step(loss):
        for _ in backward_steps((loss,), (None,)):
            pass

    by_backward, by_steps = gradients(lambda loss: loss.backward()), gradients(step_by_step)
    for a, b in zip(by_backward, by_steps):
        assert np.array_equal(a, b)


def test_a_step_records_what_its_node_received_and_sent():
    x = torch.tensor([1., 2.], requires_grad=True)
    y = (x * 3).sum()
    steps = list(backward_steps((y,), (None,)))
    assert [step.node.name() for step in steps] == ["SumBackward0", "MulBackward0", "torch::autograd::AccumulateGrad"]
    total, multiply, accumulate = steps
    assert total.grad_outputs[0].item() == 1.0 and total.grad_inputs[0].tolist() == [1., 1.]
    assert multiply.grad_outputs[0].tolist() == [1., 1.]
    assert multiply.grad_inputs[0].tolist() == [3., 3.] and multiply.grad_inputs[1] is None  # nothing for the 3
    assert accumulate.grad_inputs == () and x.grad.tolist() == [3., 3.]


def test_grad_is_only_written_when_the_accumulate_step_runs():
    x = torch.tensor([1., 2.], requires_grad=True)
    steps = backward_steps(((x * 3).sum(),), (None,))
    next(steps)
    next(steps)
    assert x.grad is None
    next(steps)
    assert x.grad.tolist() == [3., 3.]


# ----- events -----------------------------------------------------------------------------------------------------
class Recorder:
    def __init__(self):
        self.seen = []

    def __call__(self, kind, subject):
        self.seen.append((kind, subject))

    def on_event(self, kind, subject):
        self.seen.append((kind, subject))


KINDS = ("backward_done", "grad_changed", "data_changed")


def kinds(recorder, wanted=KINDS):
    return [kind for kind, _ in recorder.seen if kind in wanted]


def test_events_for_backward_new_gradients_and_in_place_changes():
    recorder = Recorder()
    events.subscribe(recorder)
    try:
        x = torch.tensor([1., 2.], requires_grad=True)
        loss = (x * 3).sum()
        loss.backward()
        assert kinds(recorder, wanted=("backward_starting",) + KINDS) == ["backward_starting", "grad_changed",
                                                                          "backward_done"]
        (_, starting), (_, changed), (_, done) = [event for event in recorder.seen if event[0] != "node_created"]
        assert starting == (loss,) and changed is x and done == (loss,)
        recorder.seen.clear()
        y = torch.zeros(3)
        y.add_(1)
        y[0] = 5
        x.grad = None
        assert kinds(recorder) == ["data_changed", "data_changed", "grad_changed"]
        assert [subject for _, subject in recorder.seen] == [y, y, x]
    finally:
        events.unsubscribe(recorder)


def test_subscribers_are_held_weakly():
    recorder = Recorder()
    subscription = events.subscribe(recorder.on_event)  # a bound method: held through its object
    probe = weakref.ref(recorder)
    del recorder
    assert probe() is None and subscription() is None
    torch.zeros(2).add_(1)  # the next event drops the dead subscriber
    assert all(ref is not subscription for ref in events.listeners)


def test_unsubscribe_stops_the_events():
    recorder = Recorder()
    events.subscribe(recorder)
    events.unsubscribe(recorder)
    torch.zeros(2).add_(1)
    assert recorder.seen == []


@pytest.mark.parametrize("op", ["tanh", "exp", "sigmoid", "sqrt", "relu"])
def test_backward_frees_saved_outputs_and_still_refuses_a_second_pass(op):
    """Without retain_graph, backward frees every saved tensor, outputs included (their values are kept apart from
    the tensor, to avoid a reference cycle, and must go too), while the graph itself stays alive through loss."""
    y = torch.ones(1000, requires_grad=True)
    values = []
    for _ in range(5):
        y = getattr(y * 1.01, op)()
        values.append(weakref.ref(y._data))
    loss = y.sum()
    del y
    loss.backward()
    gc.collect()
    assert [ref() is None for ref in values] == [True] * 5
    with pytest.raises(RuntimeError, match="^Trying to backward through the graph a second time"):
        loss.backward()


def test_memory_after_backward_through_saved_outputs_is_what_pytorch_keeps():
    """Issue scenario: 20 tanh layers on a 1000x1000 tensor. PyTorch keeps ~9 MiB (leaf, its grad); so must we."""
    import tracemalloc

    tracemalloc.start()
    x = torch.ones(1000, 1000, requires_grad=True)
    y = x
    for _ in range(20):
        y = (y * 1.01).tanh()
    loss = y.sum()
    del y
    loss.backward()
    gc.collect()
    held, _ = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    assert held < 12 * 2 ** 20, f"{held / 2 ** 20:.0f} MiB still held after backward"
