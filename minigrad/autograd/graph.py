"""``minigrad.autograd.graph``: look inside a backward graph without changing it (PyTorch: ``torch.autograd.graph``).

Everything here only reads: no ``.grad`` is written, no hook runs, no saved tensor is freed, no warning is shown.

- ``nodes(outputs)``: every node reachable from the outputs, in the order backward would run them;
- ``saved_tensors(node)``: what a node saved for its backward, each ``"alive"``, ``"freed"`` or ``"modified"``;
  ``is_freed(node)`` and ``is_modified(node)`` ask the same in one word;
- ``gradient(tensor)``: a tensor's ``.grad`` as it is now (no non-leaf warning);
- ``hooks(node)``: the hooks backward would run at a node (on a tensor, on a leaf, on the node itself);
- ``dry_run(outputs)``: the backward pass computed one node at a time, without any of its effects;
- ``GradientEdge`` / ``get_gradient_edge(tensor)``: the ``(node, output_nr)`` through which a gradient reaches a
  tensor, as in PyTorch;
- ``sequence_nr(node)``: the node's creation order; ``output_nr(tensor)``: which output of its ``grad_fn`` it is;
- ``accumulate_grad_node(leaf)``: a leaf's ``AccumulateGrad`` node if one exists (never makes one);
- ``values(tensor)`` and ``version(tensor)``: its numbers and its version counter, read without any check.

::

    y = (x * w).sum()
    for node in graph.nodes(y):
        print(node.name(), [s.state for s in graph.saved_tensors(node)])
    for step in graph.dry_run(y):          # x.grad and w.grad stay as they were
        print(step.node.name(), step.grad_outputs)
"""
from collections import namedtuple

import numpy as np

from minigrad.autograd import engine
from minigrad.autograd.function import _FREED, AccumulateGrad, Function, Node, _edge_to

__all__ = ["AccumulateGrad", "Function", "GradientEdge", "Hook", "Node", "SavedTensor", "accumulate_grad_node",
           "dry_run", "get_gradient_edge", "gradient", "hooks", "is_freed", "is_modified", "nodes", "output_nr",
           "saved_tensors", "sequence_nr", "values", "version"]

GradientEdge = namedtuple("GradientEdge", ["node", "output_nr"])
GradientEdge.__doc__ = "The node a gradient flows into and which of its outputs it belongs to (PyTorch's name)."

SavedTensor = namedtuple("SavedTensor", ["tensor", "state", "saved_version", "output_nr"], defaults=(None, None))
SavedTensor.__doc__ = """One value a node saved for its backward.

``state`` is ``"alive"`` (backward can use it), ``"modified"`` (an in-place operation changed it since: backward will
raise) or ``"freed"`` (a backward pass without ``retain_graph`` released it; ``tensor`` is then None).
``saved_version`` is the tensor's version when it was saved (backward checks it is still the same);
``output_nr`` says which of the node's own outputs it is (``exp`` saves its result), None for an input."""


def _as_tuple(outputs):
    return (outputs,) if isinstance(outputs, Tensor) else tuple(outputs)


def get_gradient_edge(tensor):
    """The edge through which backward sends ``tensor`` its gradient: ``(tensor.grad_fn, output_nr)``, or the
    ``AccumulateGrad`` node of a leaf that requires grad."""
    node, output_nr = _edge_to(tensor)
    if node is None:
        raise RuntimeError("It is not possible to get the gradient edge for a Tensor that does not require gradients")
    return GradientEdge(node, output_nr)


def nodes(outputs):
    """Every node reachable from ``outputs`` (a tensor or several), each once, in the order backward runs them:
    a node comes after every node that sends it a gradient; among those free to go, later-created ones first."""
    roots = [t.grad_fn if t.grad_fn is not None else _edge_to(t)[0] for t in _as_tuple(outputs)]
    return engine.run_order(list(dict.fromkeys(node for node in roots if node is not None)))


def saved_tensors(node):
    """What ``node`` saved for its backward, in the order it saved them (an empty tuple if nothing).

    Unlike ``node.saved_tensors`` this never raises: a freed or modified value is reported as such.
    """
    saved = node._saved
    if saved is _FREED:
        return (SavedTensor(None, "freed"),)
    if saved is None:
        return ()
    entries = []
    for entry, saved_version in zip(saved, node._saved_versions):
        if entry is None:  # save_for_backward(None): a slot with nothing in it
            entries.append(SavedTensor(None, "alive"))
            continue
        output = None
        if type(entry) is np.ndarray:  # a number the op took as an input (the 2 of x * 2), shown as the 0-d
            entry = Tensor._make(entry)  # tensor PyTorch shows for it
        elif type(entry) is int:  # an output of the node, stored apart from the tensor to avoid a reference cycle
            output, entry = entry, node._unpack_output(entry)
        state = "alive" if entry._version_counter.value == saved_version else "modified"
        entries.append(SavedTensor(entry, state, saved_version, output))
    return tuple(entries)


Hook = namedtuple("Hook", ["kind", "output_nr", "fn"])
Hook.__doc__ = """A hook backward runs at a node: ``kind`` is ``"tensor"`` (``t.register_hook(fn)`` on the node's
output number ``output_nr``), ``"leaf"`` (a leaf's ``register_hook``, run at its ``AccumulateGrad``) or ``"node"``
(``grad_fn.register_hook(fn)``; ``output_nr`` is None)."""


def hooks(node):
    """The hooks a backward pass runs at ``node``, in the order it runs them. ``retain_grad()`` is not one of
    them here: it only keeps a gradient as ``.grad`` and changes none."""
    leaf_hooks = node.variable._hooks if type(node) is AccumulateGrad else None
    if not (node._tensor_hooks or leaf_hooks or node._post_hooks):  # most nodes: nothing to build
        return ()
    found = [Hook("tensor", output_nr, fn) for output_nr, fns in sorted((node._tensor_hooks or {}).items())
             for fn in fns]
    found += [Hook("leaf", 0, fn) for fn in leaf_hooks or ()]
    found += [Hook("node", None, fn) for fn in node._post_hooks or ()]
    return tuple(found)


def is_modified(node):
    """True if a value ``node`` saved for its backward was changed in place since (backward would raise)."""
    return engine.modified_saved(node) is not None


def is_freed(node):
    """True once a backward pass without ``retain_graph`` ran through ``node`` and released what it saved."""
    return node._saved is _FREED


def sequence_nr(node):
    """The node's creation order: every recorded op takes the next number (PyTorch: ``node._sequence_nr()``).

    Among nodes ready at the same time, backward runs the later-created one first. A leaf's ``AccumulateGrad``
    has no place in that order (infinity, as in PyTorch: it is ready as soon as its gradient arrives)."""
    return node._sequence_nr


def output_nr(tensor):
    """Which output of ``tensor.grad_fn`` the tensor is (0 for most ops; ``unbind`` makes 0, 1, ...), as PyTorch's
    ``tensor.output_nr``; 0 for a leaf."""
    return tensor._output_nr


def accumulate_grad_node(tensor):
    """The ``AccumulateGrad`` node of a leaf, if an op or ``get_gradient_edge`` has made one, else None.

    Unlike ``get_gradient_edge`` this never makes one: a leaf nothing has used yet has no node."""
    ref = tensor._accumulator_ref
    return ref() if ref is not None and tensor.grad_fn is None else None


def values(tensor):
    """The numpy array holding ``tensor``'s numbers (shared, not copied: read it, do not write it).

    ``tensor.numpy()`` refuses while gradients are tracked (as PyTorch does); this is for looking only."""
    return tensor._data


def version(tensor):
    """How many times ``tensor`` (or a view sharing its memory) was changed in place (PyTorch:
    ``tensor._version``). A saved tensor whose version moved on makes backward raise."""
    return tensor._version_counter.value


def gradient(tensor):
    """``tensor.grad`` as it is now, without the warning PyTorch gives when reading a non-leaf's ``.grad``."""
    return tensor._grad


def dry_run(outputs, grad_outputs=None):
    """The backward pass of ``outputs``, node by node, with none of its effects.

    Yields a ``BackwardStep`` per node, in the order ``backward()`` runs them, each with the gradients the node
    received (``grad_outputs``) and sent on (``grad_inputs``): at a leaf's ``AccumulateGrad`` the received gradient
    is what ``backward()`` would add into its ``.grad``. Nothing changes: no ``.grad`` is written, no hook runs,
    the graph is not freed (a real ``backward()`` afterwards works). Errors are the ones ``backward()`` would
    raise, before the first step: a freed graph, a saved tensor modified in place, a missing or misshapen
    ``grad_outputs``.
    """
    outputs = _as_tuple(outputs)
    if grad_outputs is None:
        grad_outputs = (None,) * len(outputs)
    else:
        grad_outputs = _as_tuple(grad_outputs)
    return engine.backward_steps(outputs, grad_outputs, retain_graph=True, accumulate=False, dry_run=True)


from minigrad.tensor import Tensor  # noqa: E402  (at the end: tensor.py needs this package first)
