"""The status line above the picture: where the step-through of backward stands, in words.

``walk_status`` turns a ``BackwardWalk`` into ``(state, text)``. The state tells the front end which buttons
work: ``none`` (nothing to walk: the bar is hidden), ``blocked`` (the graph cannot be walked: the text says why
and what to do), ``ready``, ``running``, ``finished``, ``failed``.
"""
from widgets.collapse import display_name
from widgets.values import EDGE_LIMIT, array_text, one_line
from widgets.walk import FREED, NEEDS_GRADIENT

STEPPABLE = ("ready", "running")  # the states in which step and run to end do something


def walk_status(walk, label, several=False):
    """``(state, text)`` for ``walk`` (None: no output has a ``grad_fn``); ``label`` names the outputs."""
    if walk is None:
        return "none", "nothing to step: no output has a grad_fn"
    if walk.error:
        return "failed", f"backward failed: {walk.error}"
    if walk.finished:
        return "finished", (f"finished: {len(walk.steps)} nodes ran and the leaves' .grad hold the gradients "
                            "(reset puts them back)")
    if walk.steps:
        last = walk.steps[-1]
        received = ", ".join(one_line(array_text(g._data, EDGE_LIMIT)) for g in last.grad_outputs.values())
        sent = sum(g is not None and target is not None  # nothing is sent to a constant
                   for g, (target, _) in zip(last.grad_inputs, last.node.next_functions))
        return "running", (f"step {len(walk.steps)} of {walk.total()}: {display_name(last.node)} received "
                           f"{received} and sent {sent} gradient{'s' if sent != 1 else ''} on")
    problem = walk.problem()
    if problem is not None:
        return "blocked", _blocked_text(*problem, label, several)
    return "ready", f"backward from {label}: {walk.total()} nodes to run, press step"


def _blocked_text(kind, message, label, several):
    if kind == FREED:
        return (f"cannot step: backward() already ran through this graph without retain_graph=True, which freed "
                f"what its nodes saved for backward. To step through it, re-run the cell that builds {label}, "
                "or call backward(retain_graph=True) there.")
    if kind == NEEDS_GRADIENT:
        example = "gradient=(v, ...)" if several else f"GraphView({label}, gradient=v), as {label}.backward(v) does"
        return (f"cannot step: backward from a non-scalar output needs a gradient to start from ({message}). "
                f"Give one: {example}.")
    return f"cannot step: backward would fail: {message}"
