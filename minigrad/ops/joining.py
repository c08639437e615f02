"""Joining tensors: ``cat`` puts them end to end along an existing dim, ``stack`` along a new one.

The backward pass cuts the gradient back into the pieces: ``cat`` gives each input its slice along ``dim``
(``narrow``), ``stack`` gives each input its position along the new dim (``select``). Inputs of a narrower dtype
get their piece converted back to their own dtype.
"""
import functools

import numpy as np

from minigrad.autograd.function import Function
from minigrad.dtypes import promote_types
from minigrad.ops.indexing import narrow, select
from minigrad.tensor import Tensor, _wrap_dim


class Cat(Function):
    """cat(tensors, dim): the inputs end to end along ``dim``;  d/d tensors[i] = the gradient's slice of tensors[i]."""

    _name = "CatBackward0"

    @staticmethod
    def forward(ctx, dim, *tensors):
        ctx.dim = dim
        ctx.pieces = [(t._data.shape, t.dtype) for t in tensors]
        dtype = _common_dtype(tensors)
        kept = [t._data.astype(dtype, copy=False) for t in tensors if not _skipped(t)]
        if not kept:  # only legacy empty [0] tensors: the result is one of them
            return np.zeros((0,), dtype)
        return np.concatenate(kept, axis=dim)

    @staticmethod
    def backward(ctx, grad):
        grads, offset = [None], 0
        for i, (shape, dtype) in enumerate(ctx.pieces):
            if shape == (0,):  # a left-out empty input gets an empty gradient
                grads.append(Tensor._make(np.zeros((0,), dtype.numpy)) if ctx.needs_input_grad[i + 1] else None)
                continue
            size = shape[ctx.dim]
            piece = narrow(grad, ctx.dim, offset, size).to(dtype) if ctx.needs_input_grad[i + 1] else None
            grads.append(piece)
            offset += size
        return tuple(grads)


class Stack(Function):
    """stack(tensors, dim): the inputs side by side along a new dim;  d/d tensors[i] = the gradient at position i."""

    _name = "StackBackward0"

    @staticmethod
    def forward(ctx, dim, *tensors):
        ctx.dim, ctx.dtypes = dim, [t.dtype for t in tensors]
        dtype = _common_dtype(tensors)
        return np.stack([t._data.astype(dtype, copy=False) for t in tensors], axis=dim)

    @staticmethod
    def backward(ctx, grad):
        return (None,) + tuple(select(grad, ctx.dim, i).to(dtype) if ctx.needs_input_grad[i + 1] else None
                               for i, dtype in enumerate(ctx.dtypes))


def _common_dtype(tensors):
    """The widest of the inputs' dtypes (float64 > float32 > int64 > ... > bool), as a numpy dtype."""
    return functools.reduce(promote_types, (t.dtype for t in tensors)).numpy


def _skipped(tensor):
    """A 1-d empty tensor (``tensor([])``) is left out by cat whatever its other tensors look like (legacy rule)."""
    return tensor._data.shape == (0,)


def _check_sequence(function, tensors, dim):
    """The argument checks PyTorch's Python binding does, with its messages."""
    if isinstance(tensors, Tensor) or not isinstance(tensors, (list, tuple)):
        raise TypeError(f"{function}(): argument 'tensors' (position 1) must be tuple of Tensors, not "
                        f"{type(tensors).__name__}")
    for i, t in enumerate(tensors):
        if not isinstance(t, Tensor):
            raise TypeError(f"expected Tensor as element {i} in argument 0, but got {type(t).__name__}")
    if not isinstance(dim, int) or isinstance(dim, bool):
        raise TypeError(f"{function}(): argument 'dim' must be int, not {type(dim).__name__}")


def cat(tensors, dim=0, *, out=None):
    """Join ``tensors`` end to end along ``dim``; all other dims must match."""
    _check_sequence("cat", tensors, dim)
    if len(tensors) == 0:
        raise ValueError("minigrad.cat(): expected a non-empty list of Tensors")
    for i, t in enumerate(tensors):
        if t.ndim == 0:
            raise RuntimeError(f"zero-dimensional tensor (at position {i}) cannot be concatenated")
    kept = [(i, t) for i, t in enumerate(tensors) if not _skipped(t)]
    if not kept:
        return Cat.apply(0, *tensors)
    first = kept[0][1]
    dim = _wrap_dim(dim, first.ndim)
    for i, t in kept:
        if t.ndim != first.ndim:
            raise RuntimeError(f"Tensors must have same number of dimensions: got {first.ndim} and {t.ndim}")
        for d in range(first.ndim):
            if d != dim and t.shape[d] != first.shape[d]:
                raise RuntimeError(f"Sizes of tensors must match except in dimension {dim}. Expected size "
                                   f"{first.shape[d]} but got size {t.shape[d]} for tensor number {i} in the list.")
    return Cat.apply(dim, *tensors)


concat = concatenate = cat


def stack(tensors, dim=0, *, out=None):
    """Join equally shaped ``tensors`` along a new dim at position ``dim``."""
    _check_sequence("stack", tensors, dim)
    if len(tensors) == 0:
        raise RuntimeError("stack expects a non-empty TensorList")
    dim = _wrap_dim(dim, tensors[0].ndim + 1)
    for i, t in enumerate(tensors):
        if t.shape != tensors[0].shape:
            raise RuntimeError(f"stack expects each tensor to be equal size, but got {list(tensors[0].shape)} at entry "
                               f"0 and {list(t.shape)} at entry {i}")
    return Stack.apply(dim, *tensors)
