"""Joining tensors: ``cat`` puts them end to end along an existing dim, ``stack`` along a new one.

The backward pass cuts the gradient back into the pieces: ``cat`` gives each input its slice along ``dim``
(``narrow``), ``stack`` gives each input its position along the new dim (``select``). Inputs of a narrower dtype
get their piece converted back to their own dtype.
"""
import functools

import numpy as np

from minigrad.autograd.function import Function
from minigrad.dtypes import promote_types
from minigrad.ops.arguments import type_name
from minigrad.ops import formula
from minigrad.ops.formula import cast, constant, narrow, select
from minigrad.tensor import Tensor, _wrap_dim


class Cat(Function):
    """cat(tensors, dim): the inputs end to end along ``dim``;  d/d tensors[i] = the gradient's slice of tensors[i]."""

    _name = "CatBackward0"
    _backward_on_arrays = True

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
                grads.append(constant(np.zeros((0,), dtype.numpy), grad) if ctx.needs_input_grad[i + 1] else None)
                continue
            size = shape[ctx.dim]
            piece = cast(narrow(grad, ctx.dim, offset, size), dtype) if ctx.needs_input_grad[i + 1] else None
            grads.append(piece)
            offset += size
        return tuple(grads)


class Stack(Function):
    """stack(tensors, dim): the inputs side by side along a new dim;  d/d tensors[i] = the gradient at position i."""

    _name = "StackBackward0"
    _backward_on_arrays = True

    @staticmethod
    def forward(ctx, dim, *tensors):
        ctx.dim, ctx.dtypes = dim, [t.dtype for t in tensors]
        dtype = _common_dtype(tensors)
        return np.stack([t._data.astype(dtype, copy=False) for t in tensors], axis=dim)

    @staticmethod
    def backward(ctx, grad):
        return (None,) + tuple(cast(select(grad, ctx.dim, i), dtype) if ctx.needs_input_grad[i + 1] else None
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
                        f"{type_name(tensors)}")
    for i, t in enumerate(tensors):
        if not isinstance(t, Tensor):
            raise TypeError(f"expected Tensor as element {i} in argument 0, but got {type_name(t)}")
    if not isinstance(dim, int) or isinstance(dim, bool):
        raise TypeError(f"{function}(): argument 'dim' must be int, not {type_name(dim)}")


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


class Split(Function):
    """split(x, size, dim): consecutive pieces of ``size`` along ``dim`` (views);  d/dx = the pieces' gradients
    put back end to end (``cat``)."""

    _name = "SplitBackward0"
    _backward_on_arrays = True

    @staticmethod
    def forward(ctx, x, sizes, dim):
        ctx.dim = dim
        bounds = np.cumsum((0,) + tuple(sizes))
        pieces = tuple(x._data[(slice(None),) * dim + (slice(int(a), int(b)),)] for a, b in zip(bounds, bounds[1:]))
        ctx._output_shapes = tuple((p.shape, p.dtype) for p in pieces)  # backward gets a gradient for every piece
        return pieces

    @staticmethod
    def backward(ctx, *grads):
        return formula.cat(grads, ctx.dim), None, None


class SplitWithSizes(Split):
    """split(x, [sizes], dim): pieces of the given sizes along ``dim`` (views);  d/dx = the pieces' gradients
    put back end to end (``cat``)."""

    _name = "SplitWithSizesBackward0"


def _split(input, sizes, dim, node):
    from minigrad.ops.shape import as_view

    pieces = node.apply(input, tuple(sizes), dim)
    return tuple(as_view(piece, input) for piece in pieces)


def split(tensor, split_size_or_sections, dim=0):
    """Cut ``tensor`` along ``dim`` into pieces of ``split_size_or_sections`` elements (the last may be smaller), or
    into pieces of the sizes in a list. The pieces are views: they share memory with ``tensor``."""
    from minigrad.ops import arguments

    if tensor.ndim == 0:
        raise RuntimeError("split expects at least a 1-dimensional tensor")
    dim = _wrap_dim(arguments.int_argument("split", "dim", dim), tensor.ndim)
    length = tensor.shape[dim]
    if arguments.is_int(split_size_or_sections):
        size = int(split_size_or_sections)
        if size < 0:
            raise RuntimeError(f"split expects split_size be non-negative, but got split_size={size}")
        if size == 0 and length != 0:
            raise RuntimeError(f"split_size can only be 0 if dimension size is 0, but got dimension size of {length}")
        count = max(-(-length // size), 1) if size else 1
        sizes = [size] * (count - 1) + [length - size * (count - 1)]
        return _split(tensor, sizes, dim, Split)
    sizes = [arguments.int_argument("split", "split_size", n) for n in split_size_or_sections]
    if sum(sizes) != length or any(n < 0 for n in sizes):
        raise RuntimeError(f"split_with_sizes expects split_sizes to sum exactly to {length} (input tensor's size at "
                           f"dimension {dim}), but got split_sizes={sizes}")
    return _split(tensor, sizes, dim, SplitWithSizes)


class Unbind(Function):
    """unbind(x, dim): every slice of ``x`` along ``dim``, that dim removed (views);  d/dx = the slices' gradients
    stacked back along ``dim`` (a slice that got none counts zero)."""

    _name = "UnbindBackward0"
    _backward_on_arrays = True
    _saved_fields = {"dim": "given_dim"}

    @staticmethod
    def forward(ctx, x, dim, given_dim):
        ctx.dim = dim
        ctx.given_dim = given_dim % 2 ** 64  # PyTorch keeps the dim as given, unsigned: -1 reads 18446744073709551615
        slices = tuple(x._data[(slice(None),) * dim + (i,)] for i in range(x._data.shape[dim]))
        ctx._output_shapes = tuple((s.shape, s.dtype) for s in slices)  # backward gets a gradient for every slice
        return slices

    @staticmethod
    def backward(ctx, *grads):
        return formula.stack(grads, ctx.dim), None, None


def unbind(input, dim=0):
    """The slices of ``input`` along ``dim``, as a tuple of views with that dim removed: ``for row in x`` uses it."""
    from minigrad.ops import arguments
    from minigrad.ops.shape import as_view

    given_dim = arguments.int_argument("unbind", "dim", dim, 2)
    if input.ndim == 0:
        raise IndexError("Dimension specified as 0 but tensor has no dimensions")
    dim = _wrap_dim(given_dim, input.ndim)
    if input.shape[dim] == 0:
        return ()
    return tuple(as_view(piece, input) for piece in Unbind.apply(input, dim, given_dim))


def chunk(input, chunks, dim=0):
    """Cut ``input`` into ``chunks`` pieces of (nearly) equal size along ``dim``: ``ceil(size / chunks)`` each, so
    the last piece can be smaller: ``arange(10).chunk(4)`` gives pieces of 3, 3, 3 and 1."""
    from minigrad.ops import arguments

    chunks = arguments.int_argument("chunk", "chunks", chunks, 2)
    if input.ndim == 0:
        raise RuntimeError("chunk expects at least a 1-dimensional tensor")
    if chunks <= 0:
        raise RuntimeError(f"chunk expects `chunks` to be greater than 0, got: {chunks}")
    dim = _wrap_dim(arguments.int_argument("chunk", "dim", dim), input.ndim)
    length = input.shape[dim]
    if length == 0:  # PyTorch gives ``chunks`` empty pieces
        return _split(input, [0] * chunks, dim, Split)
    return split(input, -(-length // chunks), dim)
