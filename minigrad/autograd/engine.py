"""The backward pass: a loop over the graph in dependency order, one node at a time.

1. Walk the graph once from the outputs (an explicit stack, no recursion, so 100 000-node chains work) and count,
   for every node, how many edges point at it: the gradients it must wait for.
2. Start with the outputs' nodes. Take a ready node, call its ``backward`` with the gradients gathered for it, and
   pass each result along ``next_functions``. When a node has received all its gradients it becomes ready.
   Among ready nodes the most recently created runs first, as in PyTorch.
3. ``AccumulateGrad`` nodes at the leaves add into ``.grad``. Without ``retain_graph`` every node that ran drops
   its saved tensors, so a second backward through it raises.

``backward_steps`` is that loop as a generator: it yields a ``BackwardStep`` after each node, so a viewer can walk
the real pass one node at a time. ``run_backward`` simply runs it to the end.
"""
import heapq
import itertools
import threading
import warnings

import numpy as np

from minigrad import events
from minigrad.autograd.function import (_FREED, SECOND_BACKWARD_ERROR, AccumulateGrad, _edge_to, _modified_message,
                                       check_hook_result, hook_name, run_hook)
from minigrad.autograd.anomaly_mode import is_anomaly_check_nan_enabled, is_anomaly_enabled
from minigrad.autograd.grad_mode import _set_enabled, is_grad_enabled


class BackwardStep:
    """What one node did: the gradients it received (per output) and sent on (per ``next_functions`` entry)."""

    __slots__ = ("index", "node", "grad_outputs", "grad_inputs")

    def __init__(self, index, node, grad_outputs, grad_inputs):
        self.index, self.node, self.grad_outputs, self.grad_inputs = index, node, grad_outputs, grad_inputs

    def __repr__(self):
        return f"BackwardStep({self.index}, {self.node.name()})"


def _check_roots(tensors, grad_tensors):
    """Validate outputs and their gradients before anything changes; return the root gradients."""
    if len(grad_tensors) != len(tensors):
        raise RuntimeError(f"got {len(tensors)} tensors and {len(grad_tensors)} gradients")
    roots = []
    for i, (tensor, grad) in enumerate(zip(tensors, grad_tensors)):
        if not tensor.requires_grad:
            raise RuntimeError(f"element {i} of tensors does not require grad and does not have a grad_fn")
        if grad is None:
            if tensor.numel() != 1:
                raise RuntimeError("grad can be implicitly created only for scalar outputs")
            grad = Tensor._make(np.ones_like(tensor._data))
        elif not isinstance(grad, Tensor):
            raise TypeError(f"gradients can be either Tensors or None, but got {type(grad).__name__}")
        elif grad.shape != tensor.shape:
            raise RuntimeError(
                f"Mismatch in shape: grad_output[{i}] has a shape of {Size(grad.shape)!r} and output[{i}] has a "
                f"shape of {Size(tensor.shape)!r}."
            )
        roots.append((_edge_to(tensor), grad))
    return roots


def _discover(root_nodes):
    """Every node reachable from the roots, and how many edges point at each (its number of dependencies)."""
    dependencies = {}
    seen = set(root_nodes)
    stack = list(root_nodes)
    order = []
    while stack:
        node = stack.pop()
        order.append(node)
        for next_node, _ in node.next_functions:
            if next_node is None:
                continue
            dependencies[next_node] = dependencies.get(next_node, 0) + 1
            if next_node not in seen:
                seen.add(next_node)
                stack.append(next_node)
    return order, dependencies


def _needed_for(order, targets):
    """The nodes that lie on a path to a target node: only these must run when ``inputs`` are given."""
    users = {}
    for node in order:
        for next_node, _ in node.next_functions:
            if next_node is not None:
                users.setdefault(next_node, []).append(node)
    needed = set(targets)
    stack = list(targets)
    while stack:
        for user in users.get(stack.pop(), ()):
            if user not in needed:
                needed.add(user)
                stack.append(user)
    return needed


def _check_saved(nodes):
    """Raise now, before any gradient is written, if a node's saved tensors were freed or modified in place."""
    for node in nodes:
        saved = node._saved
        if saved is _FREED:
            raise RuntimeError(SECOND_BACKWARD_ERROR)
        for entry in saved or ():
            if entry is None:
                continue
            tensor, version = entry
            if type(tensor) is int:  # an output the node saved: kept as its data and version counter
                counter = node._output_storage[tensor][1]
            else:
                counter = tensor._version_counter
            if counter.value != version:
                if type(tensor) is int:  # rebuilt with the node as its grad_fn, for the message
                    tensor = node._unpack_output(tensor)
                raise RuntimeError(_modified_message(tensor, version))


def backward_steps(tensors, grad_tensors, retain_graph=False, create_graph=False, inputs=None, accumulate=True,
                   report_steps=True):
    """Run the backward pass one node at a time, yielding a ``BackwardStep`` after each node.

    With ``accumulate=False`` (``autograd.grad``) leaves' ``.grad`` is left alone; the gradients of ``inputs`` are
    returned as the generator's value (``StopIteration.value``) instead. With ``report_steps=False`` it never
    pauses: the first ``next()`` runs the whole pass.
    """
    roots = _check_roots(tensors, grad_tensors)
    order, dependencies = _discover([node for (node, _), _ in roots if node is not None])
    captured = {}  # (node, output index) -> position in ``inputs``, for the gradients to hand back
    needed = None
    if inputs is not None:
        for position, tensor in enumerate(inputs):
            captured[_edge_to(tensor)] = position
        needed = _needed_for(order, {node for node, _ in captured})
    _check_saved(order if needed is None else [n for n in order if n in needed])

    buffers = {}  # node -> {output index: gradient so far}
    ready = []  # heap of (-sequence number, arrival order, node): later nodes first, ties first come first served
    arrival = itertools.count()
    for (node, output_nr), grad in roots:
        _add_grad(buffers, node, output_nr, grad, create_graph)
    for node in {node for (node, _), _ in roots}:
        if dependencies.get(node, 0) == 0:
            heapq.heappush(ready, (-node._sequence_nr, next(arrival), node))
    results = [None] * (len(inputs) if inputs is not None else 0)

    previous_mode = is_grad_enabled()
    step_index = 0
    try:
        while ready:
            node = heapq.heappop(ready)[2]
            grads = buffers.pop(node, {})
            if node._tensor_hooks or node._retained:
                _run_tensor_hooks(node, grads)
            runs = True
            if captured:  # autograd.grad / backward(inputs=...): hand back the gradients of the inputs
                if not accumulate and type(node) is AccumulateGrad and grads:  # a leaf's hooks still change
                    grads[0] = _run_leaf_hooks(node.variable, grads[0])  # what is returned for it
                runs = node in needed
                for output_nr, grad in grads.items():
                    position = captured.get((node, output_nr))
                    if position is not None:
                        results[position] = grad
                        if not accumulate or type(node) is not AccumulateGrad:
                            runs = runs and any(n in needed for n, _ in node.next_functions if n is not None)
            if not runs or not grads:
                grad_inputs = ()
            elif type(node) is AccumulateGrad:
                if accumulate:
                    node.apply(grads[0], create_graph)
                grad_inputs = ()
            else:
                _set_enabled(create_graph)  # backward's own operations are recorded only to build a graph
                try:
                    grad_inputs = _call_backward(node, grads)
                finally:
                    _set_enabled(previous_mode)
                if not retain_graph and node._saved is not None:
                    node._saved = _FREED
                    node._output_storage = None  # a saved output's values go too
            if node._post_hooks:
                grad_inputs = _run_node_hooks(node, _per_edge(node, grad_inputs), grads)
            for index, (next_node, output_nr) in enumerate(node.next_functions):
                if next_node is None:
                    continue
                if index < len(grad_inputs) and grad_inputs[index] is not None:
                    _add_grad(buffers, next_node, output_nr, grad_inputs[index], create_graph)
                remaining = dependencies[next_node] - 1
                dependencies[next_node] = remaining
                if remaining == 0:  # every gradient for next_node has arrived: it can run
                    heapq.heappush(ready, (-next_node._sequence_nr, next(arrival), next_node))
            if report_steps:
                yield BackwardStep(step_index, node, grads, _per_edge(node, grad_inputs))
            step_index += 1
    finally:
        _set_enabled(previous_mode)
    if accumulate and inputs is not None:  # backward(inputs=[non-leaf]) fills that tensor's .grad
        for tensor, grad in zip(inputs, results):
            if grad is not None and tensor.grad_fn is not None:
                _accumulate_into(tensor, grad, create_graph)
    if events.listeners:
        events.emit("backward_done", tuple(tensors))
    return results


def run_backward(tensors, grad_tensors, retain_graph=False, create_graph=False, inputs=None, accumulate=True):
    """Run the whole backward pass (``Tensor.backward``, ``autograd.backward`` and ``autograd.grad`` use this)."""
    steps = backward_steps(tensors, grad_tensors, retain_graph, create_graph, inputs, accumulate, report_steps=False)
    try:
        next(steps)  # without steps to report, the generator runs to its end at once
    except StopIteration as done:
        return done.value


def _add_grad(buffers, node, output_nr, grad, create_graph):
    """Sum gradients arriving at the same node output (a tensor used twice gets both contributions)."""
    slot = buffers.get(node)
    if slot is None:
        buffers[node] = {output_nr: grad}
    elif output_nr not in slot:
        slot[output_nr] = grad
    elif create_graph:
        slot[output_nr] = slot[output_nr] + grad
    else:
        slot[output_nr] = type(grad)._make(slot[output_nr]._data + grad._data)


def _run_tensor_hooks(node, grads):
    """Hooks registered on non-leaf tensors, then ``retain_grad``: both see the gradient about to enter ``node``."""
    hooks = node._tensor_hooks
    if hooks:
        for output_nr, fns in hooks.items():
            for fn in list(fns):
                if output_nr in grads:
                    grads[output_nr] = run_hook(fn, grads[output_nr])
    retained = node._retained
    if retained:
        for output_nr, tensor_ref in retained.items():
            tensor = tensor_ref()
            if tensor is not None and output_nr in grads:
                _accumulate_into(tensor, grads[output_nr], False)


def _run_leaf_hooks(variable, grad):
    if grad._data.dtype != variable._data.dtype:  # as AccumulateGrad does: a leaf's gradient has its dtype
        grad = grad.to(variable.dtype)
    for hook in list(variable._hooks or ()):
        grad = run_hook(hook, grad)
    return grad


def _run_node_hooks(node, grad_inputs, grads):
    """``grad_fn.register_hook(hook)``: ``hook(grad_inputs, grad_outputs)`` after the node ran; a returned
    tuple replaces the gradients it sends on."""
    count = len(node._output_shapes or ()) or 1
    grad_outputs = tuple(grads.get(i) for i in range(count))
    for hook in list(node._post_hooks):
        replacement = hook(tuple(grad_inputs), grad_outputs)
        if replacement is not None:
            grad_inputs = _checked_replacement(hook, grad_inputs, replacement)
    return grad_inputs


def _checked_replacement(hook, grad_inputs, replacement):
    """What a node hook returned, checked as PyTorch checks it: a tuple of one gradient (or None) per input, each
    with the type and size of the gradient it replaces."""
    if not isinstance(replacement, tuple):
        raise TypeError(f"expected tuple, but hook returned '{type(replacement).__name__}'")
    if len(replacement) != len(grad_inputs):
        raise RuntimeError(f"hook '{hook_name(hook)}' has returned an incorrect number of values (got "
                           f"{len(replacement)}, but expected {len(grad_inputs)})")
    for original, new in zip(grad_inputs, replacement):
        if new is None:
            continue
        if original is None:
            raise RuntimeError("can't replace a None gradient with a non-None value")
        check_hook_result(hook, original, new)
    return replacement


_RETAINED_GRAD_LOCK = threading.Lock()  # backward passes in several threads may add into one retained .grad


def _accumulate_into(tensor, grad, create_graph):
    with _RETAINED_GRAD_LOCK:
        if tensor._grad is None:
            tensor._grad = grad if create_graph else grad.detach().clone()
        else:
            tensor._grad = tensor._grad + grad
    if events.listeners:
        events.emit("grad_changed", tensor)


def _call_backward(node, grads):
    """Call ``node.backward`` with one gradient per output; keep the gradients of its tensor inputs."""
    output_shapes = node._output_shapes
    if output_shapes is None:
        grad_outputs = (grads.get(0),)
    else:  # a learner's Function with several outputs: missing gradients are zeros (None after
        materialize = node._materialize_grads  # ctx.set_materialize_grads(False)), as in PyTorch
        grad_outputs = tuple(
            grads[i] if i in grads else Tensor._make(np.zeros(*meta)) if materialize else None
            for i, meta in enumerate(output_shapes)
        )
    if is_anomaly_enabled():
        return _call_backward_checked(node, grad_outputs)
    grad_inputs = node.backward(node, *grad_outputs)
    if not isinstance(grad_inputs, tuple):
        grad_inputs = (grad_inputs,)
    return _finish_gradients(node, grad_inputs)


def _call_backward_checked(node, grad_outputs):
    """Anomaly mode: on failure, show where the node was created; with check_nan, refuse NaN gradients."""
    try:
        grad_inputs = node.backward(node, *grad_outputs)
    except Exception:
        stack = "".join(node.metadata.get("traceback_", ["(no forward traceback recorded)\n"]))
        warnings.warn(f"Error detected in {node.name()}. Traceback of forward call that caused the error:\n{stack}",
                      UserWarning, stacklevel=2)
        raise
    if not isinstance(grad_inputs, tuple):
        grad_inputs = (grad_inputs,)
    if is_anomaly_check_nan_enabled():
        for i, grad in enumerate(grad_inputs):
            if grad is not None and hasattr(grad, "_data") and np.isnan(grad._data).any():
                raise RuntimeError(f"Function '{node.name()}' returned nan values in its {i}th output.")
    return _finish_gradients(node, grad_inputs)


def _finish_gradients(node, grad_inputs):
    arg_is_tensor = node._arg_is_tensor
    if node._name is None:
        _check_custom_gradients(node, grad_inputs, arg_is_tensor)
    if arg_is_tensor is not None:  # backward returns one gradient per forward argument; keep the tensors' ones
        grad_inputs = tuple(g for g, is_tensor in zip(grad_inputs, arg_is_tensor) if is_tensor)
    return grad_inputs


def _per_edge(node, grad_inputs):
    """One gradient per ``next_functions`` edge, as hooks and reported steps see them: none flows to an input that
    needs no gradient (a constant). (The loop itself simply skips those edges.)"""
    return tuple(None if next_node is None else g for (next_node, _), g in zip(node.next_functions, grad_inputs))


def _check_custom_gradients(node, grad_inputs, arg_is_tensor):
    """A learner's ``backward`` must return one gradient per ``forward`` argument, shaped like that argument."""
    expected = len(arg_is_tensor) if arg_is_tensor is not None else len(node.next_functions)
    if len(grad_inputs) != expected:
        raise RuntimeError(
            f"function {node.name()} returned an incorrect number of gradients (expected {expected}, "
            f"got {len(grad_inputs)})"
        )
    tensor_grads = [g for g, t in zip(grad_inputs, arg_is_tensor or [True] * expected) if t]
    for i, (grad, shape) in enumerate(zip(tensor_grads, node._input_shapes)):
        if grad is None:
            continue
        if not isinstance(grad, Tensor):
            raise RuntimeError(f"expected Variable or None (got {type(grad).__name__})")
        if tuple(grad.shape) != shape:
            raise RuntimeError(
                f"Function {node.name()} returned an invalid gradient at index {i} - got {list(grad.shape)} "
                f"but expected shape compatible with {list(shape)}"
            )


from minigrad.tensor import Size, Tensor  # noqa: E402  (at the end: tensor.py needs this package first)
