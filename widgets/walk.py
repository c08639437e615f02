"""Stepping through backward: a view of the pass, not an action on the program.

A ``BackwardWalk`` records every step of the backward pass from some outputs once (``dry_run``), then moves a
position over the recording: ``step()``, ``run_to_end()``, ``seek(k)`` and ``reset()`` only move it. The
recording runs the nodes' own ``backward`` in the engine's order, but writes nothing the notebook can see: no
``.grad`` is set (a leaf is shown the gradient ``backward()`` *would* add), no hook runs (the view says so in one
line when the pass has hooks: ``hooked()``), the graph is not freed, no event is sent. So a learner's
``out.backward()`` afterwards prints what PyTorch prints, and a second one raises as in PyTorch.

The walk is recorded when the view is made (``record()``; for graphs of more than ``RECORD_AT_ONCE`` nodes, at
the first step), so a ``backward()`` in a later cell, which frees the graph, does not take it away. Where no walk
can be made (the graph was freed before the view; a non-scalar output without a gradient), ``problem`` says why.

The status line above the picture words where the walk stands (``walk_status``): its state tells the front end
which buttons work: ``none`` (nothing to walk: the bar is hidden), ``blocked`` (no walk can be made: the text says
why and what to do), ``ready``, ``running``, ``finished``, ``failed``. The text is one line in the view's
language; the front end shortens it to its width and shows all of it on hover.
"""
import contextlib
import io
import warnings

import minigrad
from minigrad.autograd import graph
from widgets.names import display_name
from widgets.values import EDGE_LIMIT, array_text, one_line
from widgets.words import say

FREED = "freed"  # a backward() without retain_graph=True ran through the graph before the walk was recorded
NEEDS_GRADIENT = "needs gradient"  # a non-scalar output and no gradient to start from
REFUSED = "refused"  # anything else the engine refuses before running a node (a saved tensor changed in place)
RECORD_AT_ONCE = 3000  # graphs up to this many nodes are recorded when the view is made, bigger ones on demand


def dry_run(outputs, gradients):
    """Every ``BackwardStep`` of a backward pass from ``outputs`` (numbered from 1), computed without changing
    anything (``minigrad.autograd.graph.dry_run``): ``(steps, error)``, where ``error`` is the message of the
    exception the pass stops with after those steps (None if it runs through). An error before the first step
    (a freed graph, a non-scalar output without a gradient) is raised.

    Anything a learner's ``backward`` prints or warns while the walk is recorded is kept out of the notebook.
    """
    steps = []
    quiet = io.StringIO()
    with warnings.catch_warnings(), contextlib.redirect_stdout(quiet), contextlib.redirect_stderr(quiet):
        warnings.simplefilter("ignore")
        walk = graph.dry_run(outputs, gradients)
        try:
            steps.append(next(walk))  # the engine's start-up checks raise here, before any node runs
        except StopIteration:
            return steps, None
        try:
            steps.extend(walk)
        except Exception as error:  # the real pass would stop here with this error
            return steps, str(error) if type(error) is RuntimeError else f"{type(error).__name__}: {error}"
    return steps, None


class BackwardWalk:
    """A backward pass from ``outputs`` (with ``gradients`` for non-scalar outputs), recorded once and shown one
    node at a time."""

    def __init__(self, outputs, gradients=None, record=True):
        self.outputs = tuple(outputs)
        if gradients is None:
            gradients = (None,) * len(self.outputs)
        elif not isinstance(gradients, (tuple, list)):
            gradients = (gradients,)
        self.gradients = tuple(gradients)
        self.recording = None  # every BackwardStep of the pass, once recorded
        self.stop_error = None  # the error the pass stops with after the recorded steps (a failing backward)
        self.problem = None  # (kind, message): why no walk could be recorded
        self.position = 0  # how many recorded steps are shown as run
        self.finished = False  # step() was asked for more after the last node
        self.failed = False  # ... and the pass stops there with ``stop_error``
        self._nodes = None
        self._step_of = {}
        if record and len(self.nodes()) <= RECORD_AT_ONCE:
            self.record()

    # ----- the recording --------------------------------------------------------------------------------------
    def nodes(self):
        """Every node a full pass runs, in the order it runs them."""
        if self._nodes is None:
            self._nodes = list(graph.nodes([t for t in self.outputs if t.grad_fn is not None]))
        return self._nodes

    def hooked(self):
        """``(node, graph.Hook)`` for every hook a real ``backward()`` from the outputs would run, now. The walk
        runs none of them: a hook may print, count or change a gradient, and stepping changes nothing the
        program can see. So where a hook would return a new gradient, ``backward()`` differs from the walk."""
        return [(node, hook) for node in self.nodes() for hook in graph.hooks(node)]

    def total(self):
        """How many nodes a full pass runs."""
        return len(self.recording) if self.recording is not None else len(self.nodes())

    def record(self):
        """Record the pass now (if not done yet); False, with ``problem`` set, when it cannot be made."""
        if self.recording is not None:
            return True
        self.problem = self._check()
        if self.problem is not None:
            return False
        try:
            steps, self.stop_error = dry_run(self.outputs, self.gradients)
        except (RuntimeError, TypeError) as error:  # refused before the first node (a case _check did not see)
            self.problem = (REFUSED, str(error))
            return False
        self.recording = steps
        self._step_of = {step.node: step for step in steps}
        return True

    def why_not(self):
        """``(kind, message)`` if no walk can be shown (now or at the first step), else None."""
        if self.recording is not None:
            return None
        return self.problem or self._check()

    def _check(self):
        """Why the pass cannot be recorded now, as ``(kind, PyTorch's error message)``; None if it can. The
        messages are the engine's own: its start-up checks run (``graph.dry_run`` raises before any node)."""
        nodes = self.nodes()
        if any(graph.is_freed(node) for node in nodes):  # a backward() without retain_graph ran through it
            return FREED, self._refusal(self.gradients)
        if any(saved.state == "modified" for node in nodes for saved in graph.saved_tensors(node)):
            # what a gradient would not mend comes first: a saved tensor changed in place since
            filled = tuple(minigrad.ones_like(t) if g is None else g for t, g in zip(self.outputs, self.gradients))
            return REFUSED, self._refusal(filled)
        if any(g is None and t.numel() != 1 for t, g in zip(self.outputs, self.gradients)):
            return NEEDS_GRADIENT, self._refusal(self.gradients)
        return None

    def _refusal(self, gradients):
        try:
            next(graph.dry_run(self.outputs, gradients))
        except (RuntimeError, TypeError) as error:
            return str(error)
        except StopIteration:
            pass
        return ""

    # ----- moving over it -------------------------------------------------------------------------------------
    @property
    def steps(self):
        """The steps shown as run so far."""
        return self.recording[:self.position] if self.recording is not None else []

    @property
    def started(self):
        return self.position > 0 or self.finished

    @property
    def error(self):
        """The engine's message once the walk has gone past the last node that runs before the pass fails."""
        return self.stop_error if self.failed else None

    @property
    def can_step(self):
        return (self.recording is not None or self.problem is None) and not (self.finished or self.failed)

    def step(self):
        """Show the next node as run. Returns its ``BackwardStep``, or None when the pass is over (or fails)."""
        if not self.record() or self.finished or self.failed:
            return None
        if self.position == len(self.recording):
            self.failed = self.stop_error is not None
            self.finished = not self.failed
            return None
        step = self.recording[self.position]
        self.position += 1
        return step

    def run_to_end(self):
        while self.step() is not None:
            pass

    def seek(self, count):
        """Show exactly ``count`` nodes as run."""
        if not self.record():
            return
        self.position = max(0, min(count, len(self.recording)))
        self.finished = self.failed = False

    def reset(self):
        """Back to the start (the recording is kept: nothing needs undoing, as nothing was written)."""
        self.position = 0
        self.finished = self.failed = False

    # ----- what the picture needs -----------------------------------------------------------------------------
    def node_state(self, node):
        """``"running"`` for the node of the latest step, ``"done"`` for earlier ones, ``""`` otherwise."""
        if not self.position:
            return ""
        if self.recording[self.position - 1].node is node and not self.finished:
            return "running"
        step = self._step_of.get(node)
        return "done" if step is not None and step.index <= self.position else ""

    def _shown(self, node):
        step = self._step_of.get(node) if self.recording is not None else None
        return step if step is not None and step.index <= self.position else None

    def edge_grad(self, consumer, position):
        """The gradient ``consumer`` sent to its input number ``position`` (None if it has not run)."""
        step = self._shown(consumer)
        if step is None or position >= len(step.grad_inputs):
            return None
        return step.grad_inputs[position]

    def final_edge_grad(self, consumer, position):
        """The gradient ``consumer`` sends to input ``position`` in the whole pass: room is kept for its label."""
        step = self._step_of.get(consumer) if self.recording is not None else None
        if step is None or position >= len(step.grad_inputs):
            return None
        return step.grad_inputs[position]

    def root_grad(self, position):
        """The gradient the walk started from at output number ``position`` (once the walk has started)."""
        output = self.outputs[position]
        step = self._shown(output.grad_fn) if output.grad_fn is not None else None
        return None if step is None else step.grad_outputs.get(graph.output_nr(output))

    def final_root_grad(self, position):
        output = self.outputs[position]
        step = self._step_of.get(output.grad_fn) if self.recording is not None and output.grad_fn else None
        return None if step is None else step.grad_outputs.get(graph.output_nr(output))

    def leaf_grad(self, accumulator, final=False):
        """The gradient the leaf's ``AccumulateGrad`` received: what ``backward()`` would add to its ``.grad``
        (once the walk has reached it, or in the whole pass with ``final=True``)."""
        if self.recording is None:
            return None
        step = self._step_of.get(accumulator) if final else self._shown(accumulator)
        return None if step is None else step.grad_outputs.get(0)


STEPPABLE = ("ready", "running")  # the states in which step and run to end do something


def walk_status(walk, label, several=False, lang=None):
    """``(state, text)`` for ``walk`` (None: no output has a ``grad_fn``); ``label`` names the outputs."""
    if walk is None:
        return "none", say("status.none", lang)
    if walk.error:
        return "failed", say("status.failed", lang, error=walk.error)
    if walk.finished:
        return "finished", say("status.finished", lang, n=len(walk.steps))
    if walk.position:
        last = walk.steps[-1]
        received = ", ".join(one_line(array_text(graph.values(g), EDGE_LIMIT)) for g in last.grad_outputs.values())
        sent = sum(g is not None and target is not None  # nothing is sent to a constant
                   for g, (target, _) in zip(last.grad_inputs, last.node.next_functions))
        sent_text = say("status.gradient", lang) if sent == 1 else say("status.gradients", lang, n=sent)
        return "running", say("status.running", lang, k=walk.position, total=walk.total(),
                              node=display_name(last.node), received=received or "-", sent=sent_text)
    problem = walk.why_not()
    if problem is not None:
        return "blocked", _blocked_text(*problem, label, several, lang, big=walk.total() > RECORD_AT_ONCE)
    return "ready", say("status.ready", lang, label=label, total=walk.total())


def _blocked_text(kind, message, label, several, lang, big=False):
    if kind == FREED:
        return say("status.too_big" if big else "status.freed", lang, label=label, limit=RECORD_AT_ONCE)
    if kind == NEEDS_GRADIENT:
        example = (say("status.example_several", lang) if several
                   else say("status.example_one", lang, label=label))
        return say("status.needs_gradient", lang, message=message, example=example)
    return say("status.refused", lang, message=message)
