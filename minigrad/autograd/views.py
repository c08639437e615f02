"""In-place changes through a view: how ``v = y[0]; v.add_(1)`` keeps ``y``'s gradient right.

A view shares memory with its base, so changing the view in place changes the base too. Autograd must record that
on the base: its new ``grad_fn`` is a ``CopySlices`` node, which says "the base as it was, except that the region the
view covers now holds op(old region, other inputs)". Its backward passes the gradient through unchanged outside the
region, and through the op's own backward inside it.

The view itself becomes a fresh view of the new base (``AsStridedBackward0``): gradients reaching it flow into the
base's region.

The region is described as numpy describes a view: where it starts in the base's memory, its shape and its strides.
"""
import numpy as np

from minigrad.autograd.function import Node, _edge_to

DEFAULT_GEOMETRY_ERROR = ("minigrad supports in-place changes through a view only when the base tensor's memory is "
                          "one row-major block; clone() the base first.")


def region_of(view_array, base_array):
    """(element offset, shape, element strides) of ``view_array`` inside the row-major ``base_array``."""
    if not base_array.flags.c_contiguous:
        raise RuntimeError(DEFAULT_GEOMETRY_ERROR)
    itemsize = base_array.itemsize
    offset_bytes = view_array.__array_interface__["data"][0] - base_array.__array_interface__["data"][0]
    return offset_bytes // itemsize, view_array.shape, tuple(s // itemsize for s in view_array.strides)


def region(array, geometry):
    """The view of a base-shaped (row-major) ``array`` that ``geometry`` describes: writes go through to ``array``."""
    offset, shape, strides = geometry
    flat = array.reshape(-1)
    return np.lib.stride_tricks.as_strided(flat[offset:], shape=shape,
                                           strides=tuple(s * array.itemsize for s in strides))


class CopySlices(Node):
    """A base after one of its views was changed in place by ``op_node``.

    next_functions: the base's old history first, then the op's other inputs.
    """

    _name = "torch::autograd::CopySlices"

    def __init__(self, base_edge, geometry, op_node, sequence_nr):
        self.geometry = geometry
        self.op_node = op_node
        self.next_functions = (base_edge,) + tuple(op_node.next_functions[1:])
        self._sequence_nr = sequence_nr

    @staticmethod
    def backward(ctx, grad):
        """Outside the view's region the gradient goes straight to the old base; inside, through the op."""
        from minigrad.autograd.engine import _call_backward
        from minigrad.tensor import Tensor

        result = np.ascontiguousarray(grad._data).copy()
        inside = region(result, ctx.geometry)
        op_grads = _call_backward(ctx.op_node, {0: Tensor._make(inside.copy())})
        if op_grads and op_grads[0] is not None:
            inside[...] = op_grads[0]._data
        else:
            inside[...] = 0
        return (Tensor._make(result),) + tuple(op_grads[1:])


class AsStrided(Node):
    """A view re-made on its base after an in-place change: its gradient lands in the base's region."""

    _name = "AsStridedBackward0"

    def __init__(self, base_node, base_shape, base_dtype, geometry, sequence_nr):
        self.next_functions = ((base_node, 0),)
        self.base_shape, self.base_dtype, self.geometry = base_shape, base_dtype, geometry
        self._sequence_nr = sequence_nr

    @staticmethod
    def backward(ctx, grad):
        """d view / d base: 1 inside the region, 0 outside."""
        from minigrad.tensor import Tensor

        result = np.zeros(ctx.base_shape, ctx.base_dtype)
        region(result, ctx.geometry)[...] += grad._data
        return (Tensor._make(result),)


def rebase_after_inplace(view, result, base_edge_before):
    """Record on ``view._base`` that ``view`` now holds ``result`` (the in-place op's output)."""
    from minigrad.autograd.function import _sequence

    base = view._base
    geometry = region_of(view._data, base._data)
    copy_slices = CopySlices(base_edge_before, geometry, result.grad_fn, next(_sequence))
    base.grad_fn, base._output_nr = copy_slices, 0
    view.grad_fn = AsStrided(copy_slices, base._data.shape, base._data.dtype, geometry, next(_sequence))
    view._output_nr = 0


def base_edge(view):
    """The edge to the base's history as it is now (before the in-place change)."""
    return _edge_to(view._base)
