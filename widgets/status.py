"""The status line above the picture: where the step-through of backward stands, in words.

``walk_status`` turns a ``BackwardWalk`` into ``(state, text)``. The state tells the front end which buttons
work: ``none`` (nothing to walk: the bar is hidden), ``blocked`` (no walk can be made: the text says why and
what to do), ``ready``, ``running``, ``finished``, ``failed``. The text is one line in the view's language; the
front end shortens it to its width and shows all of it on hover.
"""
from minigrad.autograd import graph
from widgets.collapse import display_name
from widgets.values import EDGE_LIMIT, array_text, one_line
from widgets.walk import FREED, NEEDS_GRADIENT, RECORD_AT_ONCE
from widgets.words import say

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
