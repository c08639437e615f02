"""Tensor values as short text: what fits in a graph node, an edge label, or the details panel.

A node in the picture has room for a few numbers, so small tensors are shown in full and larger ones as a
summary (mean, min, max). The details panel shows everything.
"""
import numpy as np

NODE_LIMIT = 12  # at most this many numbers inside a node (a 3x4 tensor still fits)
EDGE_LIMIT = 4  # gradients written on edges must stay shorter still
PANEL_LIMIT = 10_000  # the details panel prints up to this many numbers, then elides the middle


def shape_text(tensor):
    """``(2, 2)``, ``(3,)`` or ``()`` for a scalar: Python's tuple spelling, short and familiar."""
    return str(tuple(tensor._data.shape))


def dtype_text(tensor):
    """``float32``: the dtype without the ``minigrad.`` prefix (the node is small)."""
    return str(tensor._data.dtype) if tensor._data.dtype.kind != "b" else "bool"


def array_text(array, limit):
    """All values when there are at most ``limit`` of them, else a one-line summary."""
    array = np.asarray(array)
    if array.size <= limit:
        return _full(array)
    return summary_text(array)


def summary_text(array):
    """``mean 0.1234, min -1.2, max 2.5`` (or ``0 of 12 true`` for booleans)."""
    if array.size == 0:
        return "empty"
    if array.dtype.kind == "b":
        return f"{int(array.sum())} of {array.size} true"
    if array.dtype.kind == "f" and not np.all(np.isfinite(array)):
        finite = array[np.isfinite(array)]
        bad = array.size - finite.size
        if finite.size == 0:
            return f"{bad} non-finite (nan/inf)"
        return f"{_number(finite.mean())} mean of finite, {bad} nan/inf"
    return f"mean {_number(array.mean())}, min {_number(array.min())}, max {_number(array.max())}"


def full_text(array):
    """Every value (up to ``PANEL_LIMIT``), laid out as numpy prints it, for the details panel."""
    array = np.asarray(array)
    if array.ndim == 0:
        return _number(array.item())
    return np.array2string(array, precision=4, suppress_small=True, separator=", ", threshold=PANEL_LIMIT,
                           edgeitems=3, max_line_width=100)


def _full(array):
    """``[[1., 1.], [1., 1.]]``: numpy's and PyTorch's spelling, on one line (written by hand: numpy's printer
    is slow for the hundreds of small arrays a big graph shows)."""
    if array.ndim == 0:
        return _element(array.item())
    return _nested(array.tolist())


def _nested(values):
    if isinstance(values, list):
        return "[" + ", ".join(_nested(v) for v in values) + "]"
    return _element(values)


def _element(value):
    """One number as numpy prints it with 4 decimals: ``1.``, ``0.55``, ``-2.125``, ``1e-05``."""
    if isinstance(value, bool):
        return str(value)
    if isinstance(value, int):
        return str(value)
    if value != value or value in (float("inf"), float("-inf")):
        return str(value)  # nan, inf, -inf
    if value != 0 and not 1e-4 <= abs(value) < 1e8:
        return f"{value:.4g}"
    return f"{value:.4f}".rstrip("0")


def _number(value):
    """A scalar in at most 4 significant digits, as numpy and PyTorch would round it."""
    if isinstance(value, (bool, np.bool_)):
        return str(bool(value))
    if isinstance(value, (int, np.integer)):
        return str(int(value))
    value = float(value)
    if not np.isfinite(value):
        return str(value)  # nan, inf, -inf
    if value == int(value) and abs(value) < 1e15:
        return f"{value:.1f}"  # 4.0 rather than 4: the reader sees it is a float
    return f"{value:.4g}"


def tensor_lines(tensor, show_values=True, show_versions=False, role=None):
    """The small lines under a tensor's name: shape and dtype, values, ``.grad``, autograd state, version."""
    lines = [f"{shape_text(tensor)} {dtype_text(tensor)}"]
    if show_values:
        lines.append("= " + array_text(tensor._data, NODE_LIMIT))
    if role != "saved":  # a saved tensor is a copy kept for backward: its grad and state are its owner's story
        grad = tensor._grad
        if grad is not None:
            lines.append("grad " + array_text(grad._data, NODE_LIMIT) if show_values else "grad is set")
        lines.append(state_text(tensor))
        if show_versions:
            lines.append(f"version {tensor._version_counter.value}")
    return lines


def state_text(tensor):
    """``leaf, requires grad`` / ``non-leaf, retains grad`` / ``requires_grad=False``."""
    if tensor.grad_fn is not None:
        return "non-leaf, retains grad" if tensor.retains_grad else "non-leaf"
    if tensor._requires_grad:
        return "leaf, requires grad"
    return "requires_grad=False"
