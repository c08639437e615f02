"""Reductions: sum and mean, over everything or over some dims.

The gradient of a reduction spreads the output's gradient back over the elements that were combined:
every element of a sum gets the same gradient, every element of a mean gets it divided by the count.
"""
import math

import numpy as np

from minigrad import dtypes
from minigrad.autograd.function import Function
from minigrad.ops import formula
from minigrad.ops.formula import cast, summed_to
from minigrad.ops import arguments


def normalize_dims(dim, ndim):
    """``dim`` (an int, a tuple, or None for all) as a sorted tuple of non-negative dims."""
    if dim is None:
        return tuple(range(ndim))
    dims = (dim,) if isinstance(dim, int) else tuple(dim)
    if ndim == 0:  # a 0-d tensor accepts dim 0 / -1, as PyTorch does, once
        for i, d in enumerate(dims):
            if d not in (0, -1):
                raise IndexError(f"Dimension out of range (expected to be in range of [-1, 0], but got {d})")
            if i:
                raise RuntimeError("dim 0 appears multiple times in the list of dims")
        return ()
    result = []
    for d in dims:
        if not -ndim <= d < ndim:
            raise IndexError(f"Dimension out of range (expected to be in range of [{-ndim}, {ndim - 1}], but got {d})")
        if d % ndim in result:
            raise RuntimeError(f"dim {d % ndim} appears multiple times in the list of dims")
        result.append(d % ndim)
    return tuple(sorted(result))


def expand_back(grad, input_shape, dims, keepdim):
    """Broadcast a reduced gradient back to the input's shape (re-inserting the reduced dims first)."""
    return formula.expand(unsqueeze_back(grad, dims, keepdim), input_shape)


def unsqueeze_back(grad, dims, keepdim):
    """A reduced gradient with its reduced dims back as size 1 (PyTorch's ``unsqueeze_multiple``): it then
    broadcasts against the input in a product, with no expand of its own."""
    if not keepdim:
        for d in dims:
            grad = formula.unsqueeze(grad, d)
    return grad


class Sum(Function):
    """sum of all elements;  d/dx_i = 1."""

    _name = "SumBackward0"
    _backward_on_arrays = True
    _saved_fields = {"self_sym_sizes": "input_shape"}

    @staticmethod
    def forward(ctx, x, dtype):
        ctx.input_shape, ctx.input_dtype = x._data.shape, x.dtype
        return np.asarray(x._data.sum(dtype=dtype or _sum_dtype(x._data)))

    @staticmethod
    def backward(ctx, grad):
        return cast(formula.expand(grad, ctx.input_shape), ctx.input_dtype), None


class SumDim(Function):
    """sum over ``dims``;  d/dx_i = 1 for each element that went into a sum."""

    _name = "SumBackward1"
    _backward_on_arrays = True
    _saved_fields = {"dim": "dims", "keepdim": "keepdim", "self_sym_sizes": "input_shape"}

    @staticmethod
    def forward(ctx, x, dims, keepdim, dtype):
        ctx.input_shape, ctx.dims, ctx.keepdim, ctx.input_dtype = x._data.shape, dims, keepdim, x.dtype
        return np.asarray(x._data.sum(axis=dims, keepdims=keepdim, dtype=dtype or _sum_dtype(x._data)))

    @staticmethod
    def backward(ctx, grad):
        return cast(expand_back(grad, ctx.input_shape, ctx.dims, ctx.keepdim), ctx.input_dtype), None, None, None


def _mean(data, dims, keepdim, dtype):
    """Sum / count; the mean of nothing is nan (0/0), without numpy's warnings."""
    count = math.prod(data.shape[d] for d in dims)
    total = data.sum(axis=dims, keepdims=keepdim, dtype=dtype)
    if count == 0:
        with np.errstate(invalid="ignore", divide="ignore"):
            return np.asarray(total / np.asarray(count, dtype), dtype)
    return np.asarray(total / np.asarray(count, dtype), dtype)


class Mean(Function):
    """mean of all n elements;  d/dx_i = 1/n."""

    _name = "MeanBackward0"
    _backward_on_arrays = True
    _saved_fields = {"self_sym_sizes": "input_shape", "self_sym_numel": "count"}

    @staticmethod
    def forward(ctx, x, dtype):
        ctx.input_shape, ctx.count, ctx.input_dtype = x._data.shape, x._data.size, x.dtype
        return _mean(x._data, tuple(range(x._data.ndim)), False, dtype or x._data.dtype)

    @staticmethod
    def backward(ctx, grad):
        return cast(formula.expand(grad, ctx.input_shape) / ctx.count, ctx.input_dtype), None


class MeanDim(Function):
    """mean over ``dims`` (n elements each);  d/dx_i = 1/n."""

    _name = "MeanBackward1"
    _backward_on_arrays = True
    _saved_fields = {"dim": "dims", "keepdim": "keepdim", "self_sym_numel": lambda node: math.prod(node.input_shape),
                     "self_sym_sizes": "input_shape"}

    @staticmethod
    def forward(ctx, x, dims, keepdim, dtype):
        ctx.input_shape, ctx.dims, ctx.keepdim, ctx.input_dtype = x._data.shape, dims, keepdim, x.dtype
        ctx.count = math.prod(x._data.shape[d] for d in dims)
        return _mean(x._data, dims, keepdim, dtype or x._data.dtype)

    @staticmethod
    def backward(ctx, grad):
        grad = expand_back(grad, ctx.input_shape, ctx.dims, ctx.keepdim) / ctx.count
        return cast(grad, ctx.input_dtype), None, None, None


class SumToSize(Function):
    """Sum a broadcast tensor back to ``shape`` (used by the backward of broadcasting ops);  d/dx_i = 1."""

    _name = "SumBackward1"
    _backward_on_arrays = True

    @staticmethod
    def forward(ctx, x, shape):
        ctx.input_shape = x._data.shape
        return np.asarray(summed_to(x._data, shape))

    @staticmethod
    def backward(ctx, grad):
        return formula.expand(grad, ctx.input_shape), None


def _sum_to_size(input, shape):
    """``input`` summed to ``shape`` as PyTorch's ``sum_to`` does it: over the stretched and the leading dims at once,
    keeping them (SumBackward1), then the leading ones viewed away (ViewBackward0). To a 0-d shape it is the
    plain sum of everything (SumBackward0)."""
    if not shape:
        return input.sum()
    leading = input.ndim - len(shape)
    reduced = tuple(range(leading)) + tuple(leading + i for i, n in enumerate(shape)
                                            if n == 1 and input.shape[leading + i] != 1)
    summed = SumToSize.apply(input, tuple(1 if i in reduced else n for i, n in enumerate(input.shape)))
    return summed.view(shape) if leading else summed


def _sum_dtype(data):
    """Integers and booleans sum to int64, as in PyTorch; floats keep their dtype."""
    return data.dtype if data.dtype.kind == "f" else np.int64


# how PyTorch prints sum's and mean's signatures: as functions (minigrad.sum(x, ...)) and as methods (x.sum(...))
_REDUCTION_METHOD_SIGNATURES = ("*, minigrad.dtype dtype = None",
                                "tuple of ints dim, bool keepdim = False, *, minigrad.dtype dtype = None")
_REDUCTION_SIGNATURES = {
    "sum": ("Tensor input, *, minigrad.dtype dtype = None",
            "Tensor input, tuple of ints dim, bool keepdim = False, *, minigrad.dtype dtype = None, Tensor out = None"),
    "mean": ("Tensor input, *, minigrad.dtype dtype = None, Tensor out = None",
             "Tensor input, tuple of ints dim, bool keepdim = False, *, minigrad.dtype dtype = None, Tensor out = None")}


def _reduction_arguments(name, input, dim, keepdim, dtype):
    """Check a sum/mean call; dim may be None there (every dim). Returns keepdim and the dtype."""
    dim_error = arguments.dims_error(name, dim) if dim is not None else None
    return arguments.reduction_arguments(name, input, dim, keepdim, dtype, dim_error, _REDUCTION_SIGNATURES[name],
                                         _REDUCTION_METHOD_SIGNATURES)


def _reduced_dims(dim, ndim):
    """``dim`` as sorted non-negative dims; an empty list of dims means all of them, as in PyTorch."""
    if dim is not None and not isinstance(dim, int):
        dim = int(dim) if arguments.is_int(dim) else tuple(int(d) for d in dim)
    if dim is not None and not isinstance(dim, int) and len(dim) == 0:
        dim = None
    return normalize_dims(dim, ndim)


def sum(input, dim=arguments.NOT_GIVEN, keepdim=arguments.NOT_GIVEN, *,
        dtype=arguments.NOT_GIVEN):
    """Sum of all elements, or along ``dim`` (an int or a tuple of ints); ``dtype`` is the dtype to sum in."""
    keepdim, dtype = _reduction_arguments("sum", input, dim, keepdim, dtype)
    dtype = dtype.numpy if dtype is not None else None
    if dim is arguments.NOT_GIVEN:
        return Sum.apply(input, dtype)
    if dim is None:  # x.sum(None, keepdim=True): every dim
        return SumDim.apply(input, tuple(range(input.ndim)), keepdim, dtype)
    return SumDim.apply(input, _reduced_dims(dim, input.ndim), keepdim, dtype)


def mean(input, dim=arguments.NOT_GIVEN, keepdim=arguments.NOT_GIVEN, *,
        dtype=arguments.NOT_GIVEN):
    """Average of all elements, or along ``dim``; ``dtype`` is the dtype to average in."""
    keepdim, dtype = _reduction_arguments("mean", input, dim, keepdim, dtype)
    result_dtype = dtype if dtype is not None else input.dtype
    if not result_dtype.is_floating_point:
        raise RuntimeError(
            "mean(): could not infer output dtype. Input dtype must be either a floating point or complex dtype. "
            f"Got: {_dtype_word(result_dtype)}"
        )
    dtype = result_dtype.numpy if dtype is not None else None
    if dim is arguments.NOT_GIVEN:
        return Mean.apply(input, dtype)
    if dim is None:
        return MeanDim.apply(input, tuple(range(input.ndim)), keepdim, dtype)
    return MeanDim.apply(input, _reduced_dims(dim, input.ndim), keepdim, dtype)


sum.signatures = (_REDUCTION_SIGNATURES["sum"], _REDUCTION_METHOD_SIGNATURES)  # what a misspelt keyword is told
mean.signatures = (_REDUCTION_SIGNATURES["mean"], _REDUCTION_METHOD_SIGNATURES)


def sum_to_size(input, *spread, size=arguments.NOT_GIVEN):
    size = arguments.spread_or_keyword("sum_to_size", spread, size, "size")
    shape = tuple(size[0]) if len(size) == 1 and not isinstance(size[0], int) else tuple(size)
    if tuple(input.shape) == shape:
        return input
    lead = input.ndim - len(shape)
    if lead < 0 or any(n != 1 and n != input.shape[lead + i] for i, n in enumerate(shape)):
        raise RuntimeError(f"size {{{list(shape)}}} is not expandable to size {{{list(input.shape)}}}.")
    return _sum_to_size(input, shape)


def _dtype_word(dtype):
    return {"int64": "Long", "int32": "Int", "bool": "Bool", "uint8": "Byte"}.get(dtype.name, dtype.name)
