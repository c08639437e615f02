"""Tensor values as short text: what fits in a graph node, an edge label, the status line or the details panel.

Numbers are spelt exactly as ``print(x)`` spells them (minigrad/formatting.py, PyTorch's rules: ``1.``,
``0.2500``, ``1.0000e-05``, columns aligned, ``set_printoptions`` respected), so the picture and the printed
tensors agree. Only the ``tensor(`` ... ``)`` around the numbers is left out. A node has room for a few numbers,
so small tensors are shown in full and larger ones as a summary (mean, min, max); the details panel shows what
``print`` shows.
"""
import unicodedata
from collections import namedtuple

import numpy as np

from minigrad.autograd import graph
from minigrad.formatting import format_tensor
from widgets.words import say

Look = namedtuple("Look", ["values", "grad", "version", "requires_grad", "grad_fn", "retains_grad"])
Look.__doc__ = """What the picture says about a tensor: its numbers, its ``.grad`` (a ``Look`` too, or None), its
version, its autograd state. Read through public names (``minigrad.autograd.graph``), never warning."""

NODE_LIMIT = 12  # at most this many numbers inside a node (a 3x4 tensor still fits)
EDGE_LIMIT = 4  # gradients written on edges must stay shorter still
# A compact picture (presentation mode, for a projector) writes every value on one line, and as numbers only
# up to EDGE_LIMIT of them (a 2x2 matrix); a bigger tensor shows its shape and mean. Hovering a node shows
# all its lines as usual (dot.py puts them in the node's tooltip).


def look(tensor, frozen=False):
    """A tensor's ``Look`` now; ``frozen=True`` copies the numbers, for a picture of this moment."""
    grad = graph.gradient(tensor)
    values = graph.values(tensor)
    non_leaf = tensor.grad_fn is not None
    return Look(values.copy() if frozen else values, None if grad is None else look(grad, frozen),
                graph.version(tensor), tensor.requires_grad, tensor.grad_fn, non_leaf and tensor.retains_grad)


def saved_look(node, still=None):
    """What ``node`` saved (``graph.saved_tensors``): now, or in a frozen picture as it was then (``still``, made
    by ``freeze_saved``), so a later ``backward()`` does not free the saved values of a picture of the moment."""
    frozen = (still or {}).get(("saved", id(node)))
    return frozen if frozen is not None else graph.saved_tensors(node)


def freeze_saved(node, still):
    """Note in ``still`` what ``node`` saved, and each saved tensor's ``Look`` (numbers copied)."""
    entries = graph.saved_tensors(node)
    still[("saved", id(node))] = entries
    for entry in entries:
        if entry.tensor is not None and id(entry.tensor) not in still:
            still[id(entry.tensor)] = look(entry.tensor, frozen=True)


def storage_key(tensor):
    """The same number for every tensor sharing memory with ``tensor`` (``detach()``, ``.data``, views of it): the
    id of the numpy array that owns the memory."""
    array = graph.values(tensor)
    while isinstance(array.base, np.ndarray):
        array = array.base
    return id(array)


def shape_text(state):
    """``(2, 2)``, ``(3,)`` or ``()`` for a scalar: Python's tuple spelling, short and familiar."""
    return str(tuple(state.values.shape))


def dtype_text(state):
    """``float32``: the dtype without the ``minigrad.`` prefix (the node is small)."""
    return str(state.values.dtype) if state.values.dtype.kind != "b" else "bool"


def printed(array, prefix=""):
    """``array`` as ``print`` shows a tensor holding it, without ``tensor(`` and ``)``.

    Rows after the first are indented to line up under the first ``[``, counting ``prefix`` (``"grad "``) as
    ``print`` counts ``"tensor("``. Several lines for a matrix: ``"[[1., 1.],\\n [1., 1.]]"``.
    """
    columns = columns_of(prefix)  # a wide (Chinese) character takes two columns of a monospace font
    text = format_tensor(np.asarray(array), dtype_name=None, prefix=" " * columns)
    return prefix + text[columns:-1]  # format_tensor closes the parenthesis of ``tensor(``; there is none here


def columns_of(text):
    """How many columns ``text`` takes in a monospace font (two for a wide character such as 梯)."""
    return sum(2 if unicodedata.east_asian_width(c) in ("W", "F") else 1 for c in text)


def one_line(text):
    """A printed tensor on one line (for the status line): ``[[1., 1.], [1., 1.]]``."""
    return " ".join(line.strip() for line in text.split("\n") if line.strip())


def array_text(array, limit, prefix=""):
    """All values (as ``print`` lays them out) when there are at most ``limit``, else a one-line summary."""
    array = np.asarray(array)
    if array.size <= limit:
        return printed(array, prefix)
    return prefix + summary_text(array)


def summary_text(array):
    """``mean 0.1234, min -1.2000, max 2.5000`` (or ``0 of 12 true`` for booleans)."""
    if array.size == 0:
        return "empty"
    if array.dtype.kind == "b":
        return f"{int(array.sum())} of {array.size} true"
    if array.dtype.kind == "f" and not np.all(np.isfinite(array)):
        finite = array[np.isfinite(array)]
        bad = array.size - finite.size
        if finite.size == 0:
            return f"{bad} non-finite (nan/inf)"
        return f"{_scalar(finite.mean(), array.dtype)} mean of finite, {bad} nan/inf"
    return (f"mean {_scalar(array.mean(), array.dtype)}, min {_scalar(array.min(), array.dtype)}, "
            f"max {_scalar(array.max(), array.dtype)}")


def compact_text(array, prefix="", summary_prefix=None, shape=True):
    """One short line: ``[[1., 1.], [1., 1.]]`` (as ``print`` spells the numbers) for up to EDGE_LIMIT
    numbers, else the shape (unless ``shape=False``) and the mean, ``(8, 2) mean 0.8990``, after
    ``summary_prefix`` (by default ``prefix``)."""
    array = np.asarray(array)
    if array.size <= EDGE_LIMIT:
        return prefix + one_line(printed(array))
    prefix = (prefix if summary_prefix is None else summary_prefix) + (f"{tuple(array.shape)} " if shape else "")
    if array.size == 0 or array.dtype.kind == "b" or (array.dtype.kind == "f" and not np.all(np.isfinite(array))):
        return prefix + summary_text(array)
    return f"{prefix}mean {_scalar(array.mean(), array.dtype)}"


def value_text(array, compact=False, prefix="", **short):
    """A tensor's values in a node: as ``print`` lays them out (``array_text``), or ``compact_text`` (with
    ``short``: its ``summary_prefix`` and ``shape``)."""
    return compact_text(array, prefix, **short) if compact else array_text(array, NODE_LIMIT, prefix)


def _scalar(value, dtype):
    """One number as ``print`` shows a 0-d tensor of ``dtype`` (the mean of integers is a float)."""
    if dtype.kind != "f":
        dtype = np.asarray(value).dtype
    return printed(np.asarray(value, dtype=dtype))


def tensor_lines(state, show_values=True, show_versions=False, role=None, lang=None, compact=False):
    """The small lines under a tensor's name (``state`` is its ``Look``): shape and dtype, values, ``.grad``,
    autograd state, version.

    A matrix's values take several lines; they stay one entry (with ``\\n`` inside) of the returned list.
    ``compact`` (a projector): one line each, values as ``compact_text``, no shape line when the values are
    shown, no state line unless it is ``retains grad`` (the node's colour tells a leaf from a non-leaf).
    """
    lines = [] if compact and show_values else [f"{shape_text(state)} {dtype_text(state)}"]
    if show_values:
        lines.append(value_text(state.values, compact, "= ", summary_prefix=""))
    if role != "saved":  # a saved tensor is a copy kept for backward: its grad and state are its owner's story
        grad = state.grad
        if grad is not None:
            lines.append(value_text(grad.values, compact, "grad ", shape=False) if show_values
                         else say("node.grad_is_set", lang))
        if not compact or state.retains_grad and state.grad_fn is not None:
            lines.append(state_text(state, lang))
        if show_versions:
            lines.append(say("node.version", lang, v=state.version))
    return lines


def state_text(state, lang=None):
    """``leaf, requires grad`` / ``non-leaf, retains grad`` / ``requires_grad=False``."""
    if state.grad_fn is not None:
        return say("node.retains", lang) if state.retains_grad else say("node.non_leaf", lang)
    if state.requires_grad:
        return say("node.leaf", lang)
    return "requires_grad=False"
