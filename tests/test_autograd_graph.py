"""minigrad.autograd.graph: reading a graph changes nothing, and a dry run computes exactly what backward would."""
import warnings

import numpy as np
import pytest

import minigrad as torch
from minigrad import events
from minigrad.autograd import backward_steps, graph


def _diamond():
    x = torch.tensor([1., 2.], requires_grad=True)
    w = torch.tensor([3., -1.], requires_grad=True)
    h = x * w
    y = (h.exp() + h.tanh() * x).sum()
    return x, w, h, y


def test_nodes_are_every_reachable_node_once_in_the_order_backward_runs_them():
    x, w, h, y = _diamond()
    listed = graph.nodes(y)
    ran = [step.node for step in backward_steps([y], [None], retain_graph=True)]
    assert listed == ran
    assert len(set(map(id, listed))) == len(listed)
    assert [n.name() for n in listed] == ["SumBackward0", "AddBackward0", "MulBackward0", "TanhBackward0",
                                          "ExpBackward0", "MulBackward0", "torch::autograd::AccumulateGrad",
                                          "torch::autograd::AccumulateGrad"]
    assert {n.variable for n in listed if type(n) is graph.AccumulateGrad} == {x, w}


def test_nodes_of_several_outputs_and_of_a_leaf():
    x, w, h, y = _diamond()
    both = graph.nodes([h, y])
    assert both[0] is y.grad_fn and h.grad_fn in both
    (leaf_node,) = graph.nodes(x)
    assert type(leaf_node) is graph.AccumulateGrad and leaf_node.variable is x
    assert graph.nodes(torch.ones(2)) == []


def test_saved_tensors_alive_modified_and_freed():
    x = torch.tensor([1., 2.], requires_grad=True)
    a = x * 1
    b = a * a
    e = a.exp()
    (saved_a, saved_a2) = graph.saved_tensors(b.grad_fn)
    assert saved_a.state == saved_a2.state == "alive" and saved_a.tensor is a
    (saved_output,) = graph.saved_tensors(e.grad_fn)  # exp keeps its own result
    assert saved_output.state == "alive" and saved_output.tensor.tolist() == e.tolist()
    assert graph.saved_tensors(x.grad_fn or graph.get_gradient_edge(x).node) == ()
    assert not graph.is_modified(b.grad_fn) and not graph.is_modified(e.grad_fn)
    scaled = a * 2.0  # keeps the number, not a (its gradient is 2.0 whatever a is)
    a.add_(1)
    assert [s.state for s in graph.saved_tensors(b.grad_fn)] == ["modified", "modified"]
    assert graph.is_modified(b.grad_fn) and not graph.is_modified(scaled.grad_fn) and not graph.is_modified(e.grad_fn)
    exp_node = e.grad_fn
    e.mul_(2)  # exp's own result, saved as its output
    assert graph.is_modified(exp_node)
    z = (x * x).sum()
    node = z.grad_fn.next_functions[0][0]
    assert not graph.is_freed(node)
    z.backward()
    assert graph.is_freed(node) and graph.saved_tensors(node) == (graph.SavedTensor(None, "freed"),)
    assert not graph.is_modified(node)  # freed, not modified


def test_gradient_reads_a_non_leaf_without_the_warning():
    x = torch.tensor([1., 2.], requires_grad=True)
    h = x * 2
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        assert graph.gradient(h) is None
    h.retain_grad()
    h.sum().backward()
    assert graph.gradient(h).tolist() == [1., 1.] and graph.gradient(x).tolist() == [2., 2.]


def test_get_gradient_edge():
    x, w, h, y = _diamond()
    assert graph.get_gradient_edge(h) == (h.grad_fn, 0)
    edge = graph.get_gradient_edge(x)
    assert type(edge.node) is graph.AccumulateGrad and edge.node.variable is x and edge.output_nr == 0
    with pytest.raises(RuntimeError, match="does not require gradients"):
        graph.get_gradient_edge(torch.ones(2))


def _state(*tensors):
    return [(None if t._grad is None else (id(t._grad), t._grad.tolist()), t._version) for t in tensors]


def test_a_dry_run_computes_what_backward_does_and_changes_nothing():
    x, w, h, y = _diamond()
    w.grad = torch.tensor([10., 10.])  # an existing .grad must stay the same object with the same values
    fired = []
    x.register_hook(lambda g: fired.append("leaf hook"))
    h.register_hook(lambda g: fired.append("tensor hook"))
    h.grad_fn.register_hook(lambda gi, go: fired.append("node hook"))
    h.retain_grad()
    heard = []
    listener = lambda kind, subject: heard.append(kind)  # noqa: E731
    events.subscribe(listener)
    before = _state(x, w, h)

    steps = []
    for step in graph.dry_run(y):
        assert torch.is_grad_enabled()  # the caller's grad mode between steps
        steps.append(step)
    assert fired == [] and heard == [] and _state(x, w, h) == before
    assert not any(graph.is_freed(n) for n in graph.nodes(y))

    leaf_grads = {id(s.node.variable): s.grad_outputs[0].tolist() for s in steps
                  if type(s.node) is graph.AccumulateGrad}
    real = [(s.node, {k: g.tolist() for k, g in s.grad_outputs.items()}) for s in backward_steps([y], [None])]
    assert [(s.node, {k: g.tolist() for k, g in s.grad_outputs.items()}) for s in steps] == real
    assert fired  # the real pass ran the hooks, the dry run did not
    assert leaf_grads[id(x)] == x.grad.tolist()
    assert np.allclose(np.array(leaf_grads[id(w)]) + 10, w.grad.numpy())
    events.unsubscribe(listener)


def test_a_dry_run_of_a_non_scalar_output_with_a_gradient_and_with_create_graph_parts():
    x = torch.tensor([1., 2., 3.], requires_grad=True)
    y = x ** 2
    (step_pow, step_leaf) = list(graph.dry_run(y, torch.tensor([1., 0.1, 0.01])))
    assert step_leaf.grad_outputs[0].tolist() == pytest.approx([2., 0.4, 0.06])
    assert x.grad is None and not step_leaf.grad_outputs[0].requires_grad


def test_a_dry_run_raises_what_backward_would_before_any_step():
    x = torch.tensor([1., 2.], requires_grad=True)
    with pytest.raises(RuntimeError, match="^grad can be implicitly created only for scalar outputs$"):
        next(graph.dry_run(x * 2))
    y = (x * x).sum()
    y.backward()
    with pytest.raises(RuntimeError, match="^Trying to backward through the graph a second time"):
        next(graph.dry_run(y))
    a = x * 1
    z = (a * a).sum()
    a.add_(1)
    with pytest.raises(RuntimeError, match="modified by an inplace operation"):
        next(graph.dry_run(z))


@pytest.mark.parametrize("shape", [(), (1,), (2, 3)])
def test_a_dry_run_on_0d_one_element_and_broadcast_graphs(shape):
    x = torch.tensor(np.full(shape, 0.5), requires_grad=True)
    b = torch.tensor([1.5, -2.0, 0.25][: (shape[-1] if shape else 1)], requires_grad=True)
    y = ((x * b).tanh() + x.exp()).sum()
    steps = list(graph.dry_run(y))
    y.backward()
    got = {id(s.node.variable): s.grad_outputs[0].numpy() for s in steps if type(s.node) is graph.AccumulateGrad}
    np.testing.assert_allclose(got[id(x)], x.grad.numpy())
    np.testing.assert_allclose(got[id(b)], b.grad.numpy())


@pytest.mark.parametrize("shape", [(), (1,), (2, 3)])
def test_a_dry_run_wraps_a_steps_gradients_as_tensors_only_when_they_are_read(shape, monkeypatch):
    x = torch.tensor(np.full(shape, 0.5), requires_grad=True)
    b = torch.tensor([1.5, -2.0, 0.25][: (shape[-1] if shape else 1)], requires_grad=True)  # broadcast over x
    constant = torch.tensor(1.0001)
    y = x * b
    for _ in range(2000):
        y = y * constant
    y = y.sum()
    made = []
    make = torch.Tensor._make.__func__
    monkeypatch.setattr(torch.Tensor, "_make", classmethod(lambda cls, *a, **k: made.append(1) or make(cls, *a, **k)))
    steps = list(graph.dry_run(y))
    assert len(made) < 10  # a step per node, no tensor per gradient: O(1) small work per node
    monkeypatch.undo()
    mul = steps[1]
    assert mul.grad_inputs[1] is None and mul.grad_inputs[0].shape == (x * b).shape  # none to the constant
    assert mul.grad_inputs is mul.grad_inputs and mul.grad_outputs[0] is mul.grad_outputs[0]  # wrapped once
    y.backward()
    got = {id(s.node.variable): s.grad_outputs[0] for s in steps if type(s.node) is graph.AccumulateGrad}
    assert [type(got[id(t)]) for t in (x, b)] == [torch.Tensor, torch.Tensor]
    np.testing.assert_allclose(got[id(x)].numpy(), x.grad.numpy())
    np.testing.assert_allclose(got[id(b)].numpy(), b.grad.numpy())


def test_hooks_lists_what_backward_would_run_at_each_node():
    x = torch.tensor([1.0, 2.0], requires_grad=True)
    h = x * 3
    y = (h ** 2).sum()
    h.retain_grad()  # keeps h.grad, changes no gradient: not listed
    assert all(graph.hooks(node) == () for node in graph.nodes(y))
    on_h, on_x = (lambda grad: grad * 2), (lambda grad: None)
    handle = h.register_hook(on_h)
    x.register_hook(on_x)
    on_node = y.grad_fn.register_hook(lambda grad_inputs, grad_outputs: None)
    found = {(node.name(), kind, output_nr) for node in graph.nodes(y) for kind, output_nr, _ in graph.hooks(node)}
    assert found == {("MulBackward0", "tensor", 0), ("torch::autograd::AccumulateGrad", "leaf", 0),
                     ("SumBackward0", "node", None)}
    assert graph.hooks(h.grad_fn)[0].fn is on_h and graph.hooks(graph.get_gradient_edge(x).node)[0].fn is on_x
    handle.remove()
    on_node.remove()
    assert graph.hooks(h.grad_fn) == () and graph.hooks(y.grad_fn) == ()


def test_saved_tensors_tell_the_version_they_were_saved_at_and_which_are_outputs():
    x = torch.tensor([1., 2.], requires_grad=True)
    a = x * 1
    b = a * a
    e = a.exp()
    saved_a = graph.saved_tensors(b.grad_fn)[0]
    assert (saved_a.saved_version, saved_a.output_nr) == (0, None)
    (saved_e,) = graph.saved_tensors(e.grad_fn)
    assert saved_e.output_nr == 0 and saved_e.saved_version == 0 and graph.output_nr(saved_e.tensor) == 0
    a.add_(1)
    saved_a = graph.saved_tensors(b.grad_fn)[0]
    assert saved_a.state == "modified" and saved_a.saved_version == 0 and graph.version(saved_a.tensor) == 1


def test_sequence_nr_is_creation_order_and_leaves_come_last():
    x = torch.tensor([1., 2.], requires_grad=True)
    first = x * 2
    second = first + 1
    third = x.exp()
    numbers = [graph.sequence_nr(t.grad_fn) for t in (first, second, third)]
    assert numbers == sorted(numbers) and len(set(numbers)) == 3
    assert graph.sequence_nr(graph.get_gradient_edge(x).node) == float("inf")
    assert first.grad_fn.next_functions[0][0].next_functions == ()  # a leaf's AccumulateGrad leads nowhere


def test_output_nr_of_each_output_of_a_node():
    x = torch.tensor([[1., 2.], [3., 4.]], requires_grad=True)
    rows = (x * 1).split(1)  # one node, two outputs
    assert [graph.output_nr(r) for r in rows] == [0, 1]
    assert all(r.grad_fn is rows[0].grad_fn for r in rows)
    assert graph.output_nr(x) == 0 and graph.output_nr(x * 2) == 0


def test_accumulate_grad_node_never_makes_one():
    x = torch.tensor([1., 2.], requires_grad=True)
    assert graph.accumulate_grad_node(x) is None  # nothing has used x yet
    y = x * 2
    node = graph.accumulate_grad_node(x)
    assert type(node) is graph.AccumulateGrad and node.variable is x
    assert y.grad_fn.next_functions[0][0] is node
    assert graph.accumulate_grad_node(y) is None  # not a leaf
    assert graph.accumulate_grad_node(torch.ones(2)) is None


def test_values_and_version_read_without_checks():
    x = torch.tensor([1., 2.], requires_grad=True)
    with pytest.raises(RuntimeError, match="requires grad"):
        x.numpy()
    assert isinstance(graph.values(x), np.ndarray) and graph.values(x).tolist() == [1., 2.]
    assert graph.values(x.detach()) is graph.values(x)  # the same memory
    assert graph.version(x) == 0
    with torch.no_grad():
        x.mul_(2)
    assert graph.version(x) == 1 and graph.values(x).tolist() == [2., 4.]
    assert torch.tensor(3.)._version == graph.version(torch.tensor(3.)) == 0


def test_a_number_operand_is_kept_as_a_number_and_shown_as_a_saved_constant():
    """``x * 2`` keeps the 2 as a number (no tensor, no version counter), yet inspection shows it as PyTorch's 0-d
    tensor, saved at version 0 and never modified; backward frees it with the rest."""
    import gc

    for dtype in (torch.float32, torch.float64):
        x = torch.ones(3, dtype=dtype, requires_grad=True)
        node = (x * 2).grad_fn
        held = [r for r in gc.get_referents(*gc.get_referents(node)) if isinstance(r, torch.Tensor)]
        assert held == []
        saved = graph.saved_tensors(node)
        assert saved[0].tensor is None  # x is not needed: the number needs no gradient
        constant = saved[1]
        assert (constant.state, constant.saved_version, constant.output_nr) == ("alive", 0, None)
        assert constant.tensor.shape == () and constant.tensor.dtype is dtype and constant.tensor.item() == 2
        assert not constant.tensor.requires_grad and node._saved_other.item() == 2
        y = x * 2
        y.sum().backward()
        assert graph.is_freed(y.grad_fn) and x.grad.tolist() == [2.0, 2.0, 2.0]


def test_a_chain_node_holds_three_collected_objects_at_most():
    """A node of ``y = y * 1.0001``: the node, its next_functions and the pair in it (PyTorch keeps 0.3)."""
    import gc

    x = torch.ones(3, requires_grad=True)
    y = x * 1.0001
    gc.collect()
    before = len(gc.get_objects())
    for _ in range(1000):
        y = y * 1.0001
    gc.collect()  # what stays tracked: a tuple holding only numbers is left alone by the collector after a pass
    assert (len(gc.get_objects()) - before) / 1000 <= 3.01
