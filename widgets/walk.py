"""Stepping through backward: a view of the pass, not an action on the program.

A ``BackwardWalk`` records every step of the backward pass from some outputs once (``graph.dry_run``), then moves
a position over the recording: ``step()``, ``run_to_end()``, ``seek(k)`` and ``reset()`` only move it. The
recording runs the nodes' own ``backward`` in the engine's order, but writes nothing the notebook can see: no
``.grad`` is set (a leaf is shown the gradient ``backward()`` *would* add), no hook runs (the view says so in one
line when the pass has hooks: ``hooked()``), the graph is not freed, no event is sent. So a learner's
``out.backward()`` afterwards prints what PyTorch prints, and a second one raises as in PyTorch.

The walk is recorded when the view is made (``record()``), so a ``backward()`` in a later cell, which frees the
graph, does not take it away. A graph of more than ``RECORD_AT_ONCE`` nodes is recorded as the walk goes: its
first ``RECORD_AT_ONCE`` steps at the first step, the next ones when the walk gets there, and all the rest
before a real backward pass runs (``Recording``). Where no walk can be made (the graph was freed before the
view; a non-scalar output without a gradient), ``problem`` says why.

The status line above the picture words where the walk stands (``walk_status``): its state tells the front end
which buttons work: ``none`` (nothing to walk: the bar is hidden), ``blocked`` (no walk can be made: the text says
why and what to do), ``ready``, ``running``, ``finished``, ``failed``. The text is one line in the view's
language; the front end shortens it to its width and shows all of it on hover.
"""
import contextlib
import io
import threading
import warnings

import minigrad
from minigrad import events
from minigrad.autograd import graph
from widgets.names import display_name
from widgets.values import EDGE_LIMIT, array_text, one_line
from widgets.words import say

FREED = "freed"  # a backward() without retain_graph=True ran through the graph before the walk was recorded
NEEDS_GRADIENT = "needs gradient"  # a non-scalar output and no gradient to start from
REFUSED = "refused"  # anything else the engine refuses before running a node (a saved tensor changed in place)
RECORD_AT_ONCE = 3000  # graphs up to this many nodes are recorded when the view is made, bigger ones on demand


@contextlib.contextmanager
def _kept_out_of_the_notebook():
    """Anything a learner's ``backward`` prints or warns while the walk is recorded stays out of the notebook."""
    quiet = io.StringIO()
    with warnings.catch_warnings(), contextlib.redirect_stdout(quiet), contextlib.redirect_stderr(quiet):
        warnings.simplefilter("ignore")
        yield


class Recording:
    """The steps of one dry run of the backward pass, taken from it as they are asked for (``extend_to``).

    A big graph's walk needs its first steps at once and the rest only as it goes on, so the dry run is paused
    between them. Nothing the program does in between may show in the steps still to come, so:

    - a real backward pass (which frees the graph and writes ``.grad``) first lets the recording finish: the
      engine says ``"backward_starting"`` before it changes anything;
    - a node whose saved tensors were changed in place since the walk began ends the recording there, with the
      error ``backward()`` would now raise, instead of steps computed from the changed values.

    Making one runs the engine's start-up checks: their errors (a freed graph, a missing gradient) are raised.
    """

    def __init__(self, outputs, gradients):
        self.steps = []
        self.step_of = {}  # node -> its BackwardStep
        self.stop_error = None  # the error the pass stops with after the recorded steps (a failing backward)
        self._outputs, self._gradients = outputs, gradients
        self._lock = threading.RLock()  # a backward in another thread may ask to finish while the walk steps
        self._recording_now = False  # (a learner's backward that runs a backward pass of its own asks too)
        with _kept_out_of_the_notebook():
            self._pass = graph.dry_run(outputs, gradients)
            try:
                self._add(next(self._pass))  # the engine's start-up checks raise here, before any node runs
            except StopIteration:
                self._pass = None
        if self._pass is not None:
            events.subscribe(self._on_event)

    @property
    def done(self):
        """Every step of the pass is recorded (or the pass stops after the last one recorded)."""
        return self._pass is None

    def extend_to(self, count):
        """Record steps until there are ``count`` of them or the pass is over."""
        with self._lock:
            if self._pass is None or len(self.steps) >= count or self._recording_now:
                return
            self._recording_now = True
            try:
                with _kept_out_of_the_notebook():
                    self._record(count)
            finally:
                self._recording_now = False

    def _record(self, count):
        try:
            while len(self.steps) < count:
                step = next(self._pass)
                if _changed_since_recorded(step.node):
                    return self._stop(_CHANGED)
                self._add(step)
        except StopIteration:
            self._stop(None)
        except Exception as error:  # the real pass would stop here with this error
            self._stop(str(error) if type(error) is RuntimeError else f"{type(error).__name__}: {error}")

    def finish(self):
        self.extend_to(float("inf"))

    def _add(self, step):
        self.steps.append(step)
        self.step_of[step.node] = step

    def _stop(self, error):
        if error is _CHANGED:  # backward() now refuses the whole pass, with this message
            error = _refusal(self._outputs, tuple(minigrad.ones_like(t) if g is None else g
                                                  for t, g in zip(self._outputs, self._gradients)))
        self.stop_error = error
        self._pass.close()
        self._pass = None
        events.unsubscribe(self._on_event)

    def _on_event(self, kind, subject):
        if kind == "backward_starting":
            self.finish()


_CHANGED = object()  # a node's saved tensors changed in place after the walk began


def _changed_since_recorded(node):
    return graph.is_freed(node) or graph.is_modified(node)


def _refusal(outputs, gradients):
    """The message a backward pass from ``outputs`` refuses with before its first node ("" if it would run)."""
    try:
        next(graph.dry_run(outputs, gradients))
    except (RuntimeError, TypeError) as error:
        return str(error)
    except StopIteration:
        pass
    return ""


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
        self.problem = None  # (kind, message): why no walk could be recorded
        self.position = 0  # how many recorded steps are shown as run
        self.finished = False  # step() was asked for more after the last node
        self.failed = False  # ... and the pass stops there with ``stop_error``
        self._nodes = None
        self._recorded = None  # the Recording, once begun (shared with copies of the walk: a frozen view's)
        if record and len(self.nodes()) <= RECORD_AT_ONCE:
            self.record()

    # ----- the recording --------------------------------------------------------------------------------------
    @property
    def recording(self):
        """The steps recorded so far (all of them once the walk has gone that far), or None before recording."""
        return self._recorded.steps if self._recorded is not None else None

    @property
    def stop_error(self):
        """The error the pass stops with after the recorded steps (a failing backward)."""
        return self._recorded.stop_error if self._recorded is not None else None

    @property
    def _step_of(self):
        return self._recorded.step_of if self._recorded is not None else {}

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
        """How many nodes a full pass runs (those before the failing one, once the recording has reached it)."""
        if self._recorded is not None and self._recorded.done:
            return len(self._recorded.steps)
        return len(self.nodes())

    def record(self):
        """Begin the recording now (if not done yet): the first ``RECORD_AT_ONCE`` steps, the rest as the walk
        goes on. False, with ``problem`` set, when it cannot be made."""
        if self._recorded is not None:
            return True
        try:
            self._recorded = Recording(self.outputs, self.gradients)
        except (RuntimeError, TypeError) as error:  # refused before the first node: _check says which problem
            self.problem = self._check() or (REFUSED, str(error))  # comes first (a case it does not know: as is)
            return False
        self._recorded.extend_to(RECORD_AT_ONCE)
        return True

    def _recorded_steps(self, count):
        """How many steps are recorded, after recording the next ``RECORD_AT_ONCE`` if fewer than ``count``."""
        steps = self._recorded.steps
        if len(steps) < count:
            self._recorded.extend_to(count + RECORD_AT_ONCE)
        return len(steps)

    def why_not(self):
        """``(kind, message)`` if no walk can be shown (now or at the first step), else None."""
        if self._recorded is not None:
            return None
        return self.problem or self._check()

    def _check(self):
        """Why the pass cannot be recorded now, as ``(kind, PyTorch's error message)``; None if it can. The
        messages are the engine's own: its start-up checks run (``graph.dry_run`` raises before any node)."""
        nodes = self.nodes()
        if any(graph.is_freed(node) for node in nodes):  # a backward() without retain_graph ran through it
            return FREED, _refusal(self.outputs, self.gradients)
        if any(graph.is_modified(node) for node in nodes):
            # what a gradient would not mend comes first: a saved tensor changed in place since
            filled = tuple(minigrad.ones_like(t) if g is None else g for t, g in zip(self.outputs, self.gradients))
            return REFUSED, _refusal(self.outputs, filled)
        if any(g is None and t.numel() != 1 for t, g in zip(self.outputs, self.gradients)):
            return NEEDS_GRADIENT, _refusal(self.outputs, self.gradients)
        return None

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
        return (self._recorded is not None or self.problem is None) and not (self.finished or self.failed)

    def step(self):
        """Show the next node as run. Returns its ``BackwardStep``, or None when the pass is over (or fails)."""
        if not self.record() or self.finished or self.failed:
            return None
        if self.position == self._recorded_steps(self.position + 1):
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
        self.position = max(0, min(count, self._recorded_steps(count)))
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
        step = self._step_of.get(node)
        return step if step is not None and step.index <= self.position else None

    def edge_grad(self, consumer, position):
        """The gradient ``consumer`` sent to its input number ``position`` (None if it has not run)."""
        step = self._shown(consumer)
        if step is None or position >= len(step.grad_inputs):
            return None
        return step.grad_inputs[position]

    def final_edge_grad(self, consumer, position):
        """The gradient ``consumer`` sends to input ``position`` in the whole pass: room is kept for its label."""
        step = self._step_of.get(consumer)
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
        step = self._step_of.get(output.grad_fn) if output.grad_fn is not None else None
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
        return "finished", say("status.finished", lang, n=walk.position)
    if walk.position:
        last = walk.recording[walk.position - 1]
        received = ", ".join(one_line(array_text(graph.values(g), EDGE_LIMIT)) for g in last.grad_outputs.values())
        sent = sum(g is not None and target is not None  # nothing is sent to a constant
                   for g, (target, _) in zip(last.grad_inputs, last.node.next_functions))
        if isinstance(last.node, minigrad.autograd.AccumulateGrad):  # a leaf's end of the pass: nothing goes on
            return "running", say("status.accumulating", lang, k=walk.position, total=walk.total(),
                                  node=display_name(last.node), received=received or "-")
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
