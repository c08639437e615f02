"""Stepping through backward: the engine's own pass, paused after every node.

``minigrad.autograd.engine.backward_steps`` is the backward loop written as a generator: each ``next()`` runs one
node and reports what it received and what it sent on. A ``BackwardWalk`` holds that generator, so the widget can
show the pass one node at a time. Nothing here computes a gradient: the leaves' ``.grad`` fill up because the
real engine writes them.

The walk keeps the graph (``retain_graph=True``) and remembers every ``.grad`` it may change, so ``reset()`` puts
the gradients back as they were and the same graph can be walked again. Before the first step, ``problem()``
runs the engine's own start-up checks, so a graph that cannot be walked (already used by a ``backward()``
without ``retain_graph=True``) is known before the learner presses step.
"""
import numpy as np

from minigrad import events
from minigrad.autograd.engine import _check_roots, _check_saved, backward_steps
from minigrad.autograd.function import _FREED, SECOND_BACKWARD_ERROR, AccumulateGrad

FREED = "freed"  # a backward() without retain_graph=True ran through the graph: its saved tensors are gone
NEEDS_GRADIENT = "needs gradient"  # a non-scalar output and no gradient to start from
REFUSED = "refused"  # anything else the engine refuses before running a node (a saved tensor changed in place)


class BackwardWalk:
    """A backward pass from ``outputs`` (with ``gradients`` for non-scalar outputs) taken one node at a time."""

    def __init__(self, outputs, gradients=None):
        self.outputs = tuple(outputs)
        if gradients is None:
            gradients = (None,) * len(self.outputs)
        elif not isinstance(gradients, (tuple, list)):
            gradients = (gradients,)
        self.gradients = tuple(gradients)
        self.steps = []  # the BackwardStep of every node run so far
        self._step_of = {}  # node -> its BackwardStep
        self.error = None  # the engine's error message, if the pass failed
        self.finished = False
        self._generator = None
        self._remembered = None
        self._nodes = None  # (which outputs' grad_fn, the nodes behind them)

    @property
    def started(self):
        return self._generator is not None or self.finished or self.error is not None

    def nodes(self):
        """Every node a full pass runs: those reachable from the outputs' ``grad_fn`` (found once per graph: the
        status line asks at every redraw, and a graph can have 100 000 nodes)."""
        key = tuple(id(t.grad_fn) for t in self.outputs)  # (an in-place op on an output gives it a new grad_fn)
        if self._nodes is None or self._nodes[0] != key:
            self._nodes = (key, self._find_nodes())
        return self._nodes[1]

    def _find_nodes(self):
        seen = set()
        stack = [t.grad_fn for t in self.outputs if t.grad_fn is not None]
        seen.update(stack)
        order = list(stack)
        while stack:
            for node, _ in stack.pop().next_functions:
                if node is not None and node not in seen:
                    seen.add(node)
                    stack.append(node)
                    order.append(node)
        return order

    def total(self):
        """How many nodes a full pass runs."""
        return len(self.nodes())

    def problem(self):
        """Why the pass cannot start now, as ``(kind, PyTorch's error message)``; None if it can.

        The checks are the engine's own (``backward_steps`` makes them before it runs a node), so this is exactly
        what the first step would raise. ``kind`` is FREED, NEEDS_GRADIENT or REFUSED.
        """
        if self.started:
            return None
        nodes = self.nodes()
        if any(node.__dict__.get("_saved") is _FREED for node in nodes):  # the engine marks what it freed
            return FREED, SECOND_BACKWARD_ERROR
        try:  # what the graph cannot undo first: a saved tensor changed in place since
            _check_saved(nodes)
        except RuntimeError as error:
            return REFUSED, str(error)
        try:
            _check_roots(self.outputs, self.gradients)
        except (RuntimeError, TypeError) as error:
            scalar_needed = any(g is None and t.numel() != 1 for t, g in zip(self.outputs, self.gradients))
            return (NEEDS_GRADIENT if scalar_needed else REFUSED), str(error)
        return None

    def step(self):
        """Run the next node. Returns its ``BackwardStep``, or None when the pass is over (or failed)."""
        if self.finished or self.error is not None:
            return None
        if self._generator is None:
            self._remember()
            self._generator = backward_steps(self.outputs, self.gradients, retain_graph=True)
        try:
            step = next(self._generator)
        except StopIteration:
            self._generator = None
            self.finished = True
            return None
        except Exception as error:  # the graph was freed by an earlier backward(), a Function's backward raised...
            self._generator = None
            # PyTorch's own refusals are RuntimeErrors, worded as it words them; anything else names its type
            self.error = str(error) if type(error) is RuntimeError else f"{type(error).__name__}: {error}"
            self._restore()  # no half-filled .grad: the walk failed as a whole, as backward() would
            return None
        self.steps.append(step)
        self._step_of[step.node] = step
        return step

    def run_to_end(self):
        while self.step() is not None:
            pass

    def seek(self, count):
        """Have exactly ``count`` nodes run (starting over when going back: the engine only goes forward)."""
        if count < len(self.steps) or self.error is not None:
            self.reset()
        while len(self.steps) < count and self.step() is not None:
            pass

    def reset(self):
        """Forget the walk and put every ``.grad`` it touched back as it was."""
        if self._generator is not None:
            self._generator.close()
            self._generator = None
        self._restore()
        self.steps = []
        self._step_of = {}
        self.error = None
        self.finished = False

    # ----- what the picture needs -----------------------------------------------------------------------------
    def node_state(self, node):
        """``"running"`` for the node of the latest step, ``"done"`` for earlier ones, ``""`` otherwise."""
        if not self.steps:
            return ""
        if self.steps[-1].node is node and not self.finished:
            return "running"
        return "done" if node in self._step_of else ""

    def edge_grad(self, consumer, position):
        """The gradient ``consumer`` sent to its input number ``position`` (None if it has not run)."""
        step = self._step_of.get(consumer)
        if step is None or position >= len(step.grad_inputs):
            return None
        return step.grad_inputs[position]

    def root_grad(self, position):
        """The gradient the walk started from at output number ``position`` (once the walk has started)."""
        if not self.steps:
            return None
        output = self.outputs[position]
        step = self._step_of.get(output.grad_fn)
        if step is None:
            return None
        return step.grad_outputs.get(output._output_nr)

    # ----- remembering gradients ------------------------------------------------------------------------------
    def _remember(self):
        """Copy the ``.grad`` of every tensor the pass may write: leaves and non-leaves that retain grad."""
        tensors = []
        seen = set()
        stack = [t.grad_fn for t in self.outputs if t.grad_fn is not None]
        while stack:
            node = stack.pop()
            if node in seen:
                continue
            seen.add(node)
            if type(node) is AccumulateGrad:
                tensors.append(node.variable)
            for ref in node.__dict__.get("_retained", {}).values():
                if ref() is not None:
                    tensors.append(ref())
            stack.extend(m for m, _ in node.next_functions if m is not None)
        self._remembered = [(t, t._grad, None if t._grad is None else t._grad._data.copy()) for t in tensors]

    def _restore(self):
        for tensor, grad, data in self._remembered or ():
            if grad is not None:
                if grad._data.shape == data.shape:
                    np.copyto(grad._data, data)  # the engine may have added into this very array
                else:
                    grad._data = data
            tensor._grad = grad
            if events.listeners:
                events.emit("grad_changed", tensor)
        self._remembered = None
