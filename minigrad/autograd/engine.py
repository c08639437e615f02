"""The backward pass: run the graph's nodes one at a time, in the order PyTorch runs them.

1. ``run_order``: walk the graph once from the outputs (an explicit stack, no recursion, so 100 000-node chains
   work) and count, for every node, the edges that point at it: the gradients it waits for. A node is ready once
   all of them have arrived; among ready nodes the most recently created runs first, as in PyTorch.
2. ``backward_steps``: take the nodes in that order. Each one's ``backward`` gets the gradients summed for it and
   sends one gradient along each ``next_functions`` edge; ``AccumulateGrad`` nodes at the leaves add into ``.grad``.
3. Without ``retain_graph`` every node that ran drops its saved tensors, so a second backward through it raises.

The gradients that flow are plain numpy arrays unless ``create_graph=True`` asks for a graph of the gradients
themselves: then they are tensors, and every formula's operations are recorded. Built-in ops compute their
backward on whichever they get (``minigrad/ops/formula.py``); a learner's ``Function`` and every hook see tensors.

What differs between passes (``inputs=``, hooks, anomaly mode, a dry run that changes nothing) is decided once,
before the loop, by ``_Pass``: the loop itself is the same for every pass. ``backward_steps`` is a generator that
yields a ``BackwardStep`` after each node, so a viewer can walk the real pass one node at a time; ``run_backward``
simply runs it to the end.
"""
import functools
import heapq
import itertools
import threading
import warnings

import numpy as np

from minigrad import events
from minigrad.autograd.function import (_FREED, SECOND_BACKWARD_ERROR, AccumulateGrad, _edge_to, _modified_message,
                                         _version_written, note_written_in_place,
                                       check_hook_result, hook_name, run_hook)
from minigrad.autograd.anomaly_mode import is_anomaly_check_nan_enabled, is_anomaly_enabled
from minigrad.autograd.grad_mode import _set_enabled, _state as _mode, is_grad_enabled


class BackwardStep:
    """What one node did: the gradients it received (``grad_outputs``, per output) and sent on (``grad_inputs``,
    per ``next_functions`` entry), as tensors. The pass keeps what it computed and wraps it as tensors when first
    read: a viewer walking a 100 000-node pass reads a few steps, not all of them."""

    __slots__ = ("index", "node", "_computed", "_as_tensor", "_tensors")

    def __init__(self, index, node, grads, grad_inputs, as_tensor=None):
        self.index, self.node = index, node
        self._computed, self._as_tensor, self._tensors = (grads, grad_inputs), as_tensor, None

    @property
    def grad_outputs(self):
        return self._wrapped()[0]

    @property
    def grad_inputs(self):
        return self._wrapped()[1]

    def _wrapped(self):
        if self._tensors is None:
            grads, grad_inputs = self._computed
            tensor = self._as_tensor or _same
            self._tensors = ({i: tensor(g) for i, g in grads.items()},
                             tuple(None if g is None else tensor(g) for g in _per_edge(self.node, grad_inputs)))
        return self._tensors

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
        if grad._data.dtype != tensor._data.dtype:  # as PyTorch: a gradient is cast to its output's dtype first
            grad = grad.to(tensor.dtype)
        roots.append((_edge_to(tensor), grad))
    return roots


def run_order(root_nodes):
    """Every node reachable from ``root_nodes``, in the order backward runs them (step 1 above)."""
    waiting_for = {}  # node -> how many edges point at it
    seen = set(root_nodes)
    stack = list(seen)
    while stack:
        for next_node, _ in stack.pop().next_functions:
            if next_node is not None:
                waiting_for[next_node] = waiting_for.get(next_node, 0) + 1
                if next_node not in seen:
                    seen.add(next_node)
                    stack.append(next_node)
    arrival = itertools.count()  # ties (leaves) run in the order they became ready
    ready = [(-node._sequence_nr, next(arrival), node) for node in root_nodes if node not in waiting_for]
    heapq.heapify(ready)
    order = []
    while ready:
        node = heapq.heappop(ready)[2]
        order.append(node)
        for next_node, _ in node.next_functions:
            if next_node is not None:
                waiting_for[next_node] -= 1
                if waiting_for[next_node] == 0:  # its last gradient comes from this node: it is ready next
                    heapq.heappush(ready, (-next_node._sequence_nr, next(arrival), next_node))
    return order


def backward_steps(tensors, grad_tensors, retain_graph=False, create_graph=False, inputs=None, accumulate=True,
                   report_steps=True, dry_run=False):
    """Run the backward pass one node at a time, yielding a ``BackwardStep`` after each node.

    With ``accumulate=False`` (``autograd.grad``) leaves' ``.grad`` is left alone; the gradients of ``inputs`` are
    returned as the generator's value (``StopIteration.value``) instead. With ``report_steps=False`` it never
    pauses: the first ``next()`` runs the whole pass. A ``dry_run`` computes every step and changes nothing: no
    ``.grad`` is written, no hook runs, nothing is freed.
    """
    roots = _check_roots(tensors, grad_tensors)
    order = run_order(list(dict.fromkeys(node for (node, _), _ in roots if node is not None)))
    this_pass = _Pass(order, inputs, accumulate and not dry_run, retain_graph or dry_run, create_graph, not dry_run)
    _check_saved(this_pass.order)
    buffers = {}  # node -> {output index: the sum of the gradients that arrived for that output}
    for (node, output_nr), grad in roots:
        _add_grad(buffers, node, output_nr, this_pass.value(grad))

    if not dry_run and events.listeners:  # a viewer still recording a dry run of this graph finishes it now
        events.emit("backward_starting", tuple(tensors))
    this_pass.enter()
    try:
        for index, node in enumerate(this_pass.order, start=1):  # step 1 is the first node run
            grads = buffers.pop(node, {})
            grad_inputs = this_pass.run(node, grads)
            _send_on(buffers, node, grad_inputs)
            if report_steps:
                this_pass.leave()  # the caller's code runs between steps, in the caller's modes
                yield this_pass.step(index, node, grads, grad_inputs)
                this_pass.enter()
            del grads, grad_inputs  # hold on to no gradient: a leaf may then keep the one it gets without a copy
    finally:
        this_pass.leave()
    return this_pass.finish(tensors, inputs)


def run_backward(tensors, grad_tensors, retain_graph=False, create_graph=False, inputs=None, accumulate=True):
    """Run the whole backward pass (``Tensor.backward``, ``autograd.backward`` and ``autograd.grad`` use this)."""
    steps = backward_steps(tensors, grad_tensors, retain_graph, create_graph, inputs, accumulate, report_steps=False)
    try:
        next(steps)  # without steps to report, the generator runs to its end at once
    except StopIteration as done:
        return done.value


def _send_on(buffers, node, grad_inputs):
    """Each gradient a node computed goes along its edge, to wait in ``buffers`` until that node runs."""
    for (next_node, output_nr), grad in zip(node.next_functions, grad_inputs):
        if next_node is not None and grad is not None:
            _add_grad(buffers, next_node, output_nr, grad)


def _add_grad(buffers, node, output_nr, grad):
    """Sum gradients arriving at the same node output (a tensor used twice gets both contributions)."""
    slot = buffers.get(node)
    if slot is None:
        buffers[node] = {output_nr: grad}
    elif output_nr in slot:
        old = slot[output_nr]
        slot[output_nr] = summed = old + grad  # a new array (or a recorded add): the old one may be shared
        if (type(node) is AccumulateGrad and node.variable._grad is None and type(summed) is np.ndarray
                and old is not grad and (old.base is None or grad.base is None)):
            note_written_in_place(summed)  # PyTorch adds into the one it owns: the new .grad's version is 1
    else:
        slot[output_nr] = grad


class _Pass:
    """What one backward pass does around each node's ``backward``, decided once for the whole pass.

    - what flows along the edges: numpy arrays, unless the pass builds a graph of the gradients (``create_graph``),
      where they are tensors whose operations are recorded. Built-in ops compute on the arrays directly; a
      learner's Function, hooks and reported steps see them wrapped as tensors;
    - ``inputs=`` (``autograd.grad``, ``backward(inputs=...)``): only nodes on a path to an input run, and the
      gradient arriving at each input is kept to hand back;
    - hooks (``register_hook``, ``retain_grad``) run unless this is a dry run;
    - saved tensors are freed after a node ran unless the graph is retained;
    - anomaly mode checks each ``backward`` call.
    """

    def __init__(self, order, inputs, accumulate, retain_graph, create_graph, run_hooks):
        self.accumulate, self.retain_graph, self.create_graph, self.run_hooks = (
            accumulate, retain_graph, create_graph, run_hooks)
        if create_graph:
            self.value, self.tensor, self.call_backward = _same, _same, _call_backward
        else:
            self.value, self.tensor, self.call_backward = _values, _as_tensor, _call_backward_on_arrays
        if is_anomaly_enabled():
            self.call_backward = functools.partial(_call_backward_checked, self.call_backward)
        self.captured = {}  # (node, output index) -> position in ``inputs``
        self.results = [None] * (len(inputs) if inputs is not None else 0)
        self.stop_at = ()  # captured nodes with nothing needed behind them: their backward need not run
        if inputs is not None:
            for position, tensor in enumerate(inputs):
                self.captured[_edge_to(tensor)] = position
            needed = _needed_for(order, {node for node, _ in self.captured})
            order = [node for node in order if node in needed]
            self.stop_at = {node for node, _ in self.captured
                            if not (accumulate and type(node) is AccumulateGrad)
                            and not any(n in needed for n, _ in node.next_functions)}
        self.order = order
        self.quiet = None  # the np.errstate of the pass while it runs

    def enter(self):
        """Record the pass's own operations only to build a graph of the gradients, else let built-in ops compute
        on arrays; no numpy float warnings (PyTorch gives inf and nan silently)."""
        self.caller_mode = is_grad_enabled()
        self.caller_arrays = _mode.backward_on_arrays
        self.quiet = np.errstate(all="ignore")
        self.quiet.__enter__()
        _set_enabled(self.create_graph)
        _mode.backward_on_arrays = not self.create_graph

    def leave(self):
        """Back to the caller's modes (once: a generator closed between steps has left already)."""
        if self.quiet is not None:
            _set_enabled(self.caller_mode)
            _mode.backward_on_arrays = self.caller_arrays
            self.quiet.__exit__()
            self.quiet = None

    def run(self, node, grads):
        """Run one node: hooks before, its backward (or the accumulation into a leaf), node hooks after."""
        if self.run_hooks and (node._tensor_hooks or node._retained):
            self._run_tensor_hooks(node, grads)
        if not grads or (self.captured and self._capture(node, grads)):
            grad_inputs = ()
        elif type(node) is AccumulateGrad:
            if self.accumulate:
                node.apply(grads[0], self.create_graph)
            grad_inputs = ()
        else:
            grad_inputs = self.call_backward(node, grads)
            if not self.retain_graph and node._saved is not None:
                node._saved = _FREED
                node._output_storage = None  # a saved output's values go too
        if self.run_hooks and node._post_hooks:
            grad_inputs = self._run_node_hooks(node, grad_inputs, grads)
        return grad_inputs

    def step(self, index, node, grads, grad_inputs):
        """What a viewer sees of one node: the gradients, as tensors once it reads them."""
        return BackwardStep(index, node, grads, grad_inputs, self.tensor)

    def _capture(self, node, grads):
        """Keep the gradients arriving at ``inputs``; True if the node need not run."""
        if self.run_hooks and not self.accumulate and type(node) is AccumulateGrad:  # a leaf's hooks still change
            grads[0] = self.value(_run_leaf_hooks(node.variable, self.tensor(grads[0])))  # what grad() returns
        for output_nr, grad in grads.items():
            position = self.captured.get((node, output_nr))
            if position is not None:
                self.results[position] = grad
        return node in self.stop_at

    def _run_tensor_hooks(self, node, grads):
        """Hooks registered on non-leaf tensors, then ``retain_grad``: both see the gradient about to enter
        ``node``, as a tensor."""
        hooks = node._tensor_hooks
        if hooks:
            for output_nr, fns in hooks.items():
                if output_nr in grads and fns:
                    grad = self.tensor(grads[output_nr])
                    for fn in list(fns):
                        grad = run_hook(fn, grad)
                    grads[output_nr] = self.value(grad)
        retained = node._retained
        if retained:
            for output_nr, tensor_ref in retained.items():
                tensor = tensor_ref()
                if tensor is not None and output_nr in grads:
                    _accumulate_into(tensor, self.tensor(grads[output_nr]), self.create_graph)

    def _run_node_hooks(self, node, grad_inputs, grads):
        """``grad_fn.register_hook(hook)``: ``hook(grad_inputs, grad_outputs)`` after the node ran; a returned
        tuple replaces the gradients it sends on."""
        tensor = self.tensor
        grad_inputs = tuple(None if g is None else tensor(g) for g in _per_edge(node, grad_inputs))
        count = len(node._output_shapes or ()) or 1
        grad_outputs = tuple(None if grads.get(i) is None else tensor(grads[i]) for i in range(count))
        for hook in list(node._post_hooks):
            replacement = hook(grad_inputs, grad_outputs)
            if replacement is not None:
                grad_inputs = _checked_replacement(hook, grad_inputs, replacement)
        return tuple(None if g is None else self.value(g) for g in grad_inputs)

    def finish(self, tensors, inputs):
        results = [None if grad is None else self.tensor(grad) for grad in self.results]
        if self.accumulate and inputs is not None:  # backward(inputs=[non-leaf]) fills that tensor's .grad
            for tensor, grad in zip(inputs, results):
                if grad is not None and tensor.grad_fn is not None:
                    _accumulate_into(tensor, grad, self.create_graph)
        if self.run_hooks and events.listeners:
            events.emit("backward_done", tuple(tensors))
        return results


def _same(value):
    return value


def _values(tensor):
    return tensor._data


def _as_tensor(array):
    tensor = Tensor._make(array)
    tensor._version_counter.value = _version_written(array)  # autograd.grad(sort(x)...): version 2, as in PyTorch
    return tensor


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
        modified = modified_saved(node)
        if modified is not None:
            raise RuntimeError(_modified_message(*modified))


def modified_saved(node):
    """``(tensor, version when saved)`` for the first value ``node`` saved that was modified in place since, or
    None (also for a freed node)."""
    saved = node._saved
    if saved is _FREED or saved is None:
        return None
    for entry, version in zip(saved, node._saved_versions):
        kind = type(entry)
        if entry is None or kind is np.ndarray:  # nothing saved there, or a number (never changed in place)
            continue
        if kind is int:  # an output the node saved: kept as its data and version counter
            if node._output_storage[entry][1].value != version:
                return node._unpack_output(entry), version  # rebuilt with the node as its grad_fn
        elif entry._version_counter.value != version:
            return entry, version
    return None


def _run_leaf_hooks(variable, grad):
    if grad._data.dtype != variable._data.dtype:  # as AccumulateGrad does: a leaf's gradient has its dtype
        grad = grad.to(variable.dtype)
    for hook in list(variable._hooks or ()):
        grad = run_hook(hook, grad)
    return grad


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
    """Call ``node.backward`` with one gradient (a tensor) per output; keep the gradients of its tensor inputs."""
    grad_inputs = node.backward(node, *_grad_outputs(node, grads))
    return _finish_gradients(node, grad_inputs if type(grad_inputs) is tuple else (grad_inputs,))


def _call_backward_on_arrays(node, grads):
    """The same in a pass that builds no graph: gradients are numpy arrays. A built-in op that computes on arrays
    gets them as they are (and its saved tensors as arrays too); any other node gets them as tensors."""
    if not node._backward_on_arrays:
        grad_inputs = _call_backward(node, {i: Tensor._make(g) for i, g in grads.items()})
        return tuple(None if g is None else g._data for g in grad_inputs)
    output_shapes = node._output_shapes
    if output_shapes is None:  # one output that carries a gradient: most built-in ops
        grad_inputs = node.backward(node, grads.get(0))
    else:  # several (split, unbind): zeros for the outputs no gradient reached
        grad_inputs = node.backward(node, *(grads[i] if i in grads else np.zeros(*meta)
                                            for i, meta in enumerate(output_shapes)))
    return _finish_gradients(node, grad_inputs if type(grad_inputs) is tuple else (grad_inputs,))


def _call_backward_checked(call_backward, node, grads):
    """Anomaly mode: on failure, show where the node was created; with check_nan, refuse NaN gradients."""
    try:
        grad_inputs = call_backward(node, grads)
    except Exception:
        stack = "".join(node.metadata.get("traceback_", ["(no forward traceback recorded)\n"]))
        warnings.warn(f"Error detected in {node.name()}. Traceback of forward call that caused the error:\n{stack}",
                      UserWarning, stacklevel=2)
        raise
    if is_anomaly_check_nan_enabled():
        for i, grad in enumerate(grad_inputs):
            if grad is not None and np.isnan(grad._data if isinstance(grad, Tensor) else grad).any():
                raise RuntimeError(f"Function '{node.name()}' returned nan values in its {i}th output.")
    return grad_inputs


def _grad_outputs(node, grads):
    """One gradient per output of the node: built-in ops have one; a learner's Function may have several, and
    gets zeros for the ones no gradient reached (None after ``ctx.set_materialize_grads(False)``), as in PyTorch."""
    output_shapes = node._output_shapes
    if output_shapes is None:
        return (grads.get(0),)
    materialize = node._materialize_grads
    return tuple(grads[i] if i in grads else Tensor._make(np.zeros(*meta)) if materialize else None
                 for i, meta in enumerate(output_shapes))


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
