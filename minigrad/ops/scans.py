"""Running totals along a dim: cumsum and cumprod (output k combines elements 0..k).

- cumsum:  y_k = Σ_{i<=k} x_i, so d/dx_i = Σ_{k>=i} grad_k: the gradient summed from the end (a reversed cumsum).
- cumprod: y_k = Π_{i<=k} x_i, so d/dx_i = Σ_{k>=i} grad_k · Π_{j<=k, j≠i} x_j. Dividing y_k by x_i would fail at a
  zero, so backward builds the products of the *other* elements from running products instead.
"""
import numpy as np

from minigrad.autograd.function import Function
from minigrad.ops import arguments
from minigrad.ops import formula
from minigrad.ops.formula import cast, select
from minigrad.ops.reduction import normalize_dims


def _along(data, dim):
    return data if data.ndim else data.reshape(1)


class Cumsum(Function):
    """y_k = x_0 + ... + x_k along ``dim``;  d/dx_i = Σ_{k>=i} grad_k."""

    _name = "CumsumBackward0"
    _backward_on_arrays = True

    @staticmethod
    def forward(ctx, x, dim, dtype):
        ctx.dim, ctx.input_dtype = dim, x.dtype
        data = x._data
        result = np.cumsum(_along(data, dim), axis=dim, dtype=dtype or (data.dtype if data.dtype.kind == "f"
                                                                         else np.int64))
        return result.reshape(data.shape)

    @staticmethod
    def backward(ctx, grad):
        if grad.ndim == 0:
            return cast(grad, ctx.input_dtype), None, None
        dim = ctx.dim
        return cast(formula.flip(formula.cumsum(formula.flip(grad, dim), dim), dim), ctx.input_dtype), None, None


class Cumprod(Function):
    """y_k = x_0 · ... · x_k along ``dim``;  d/dx_i = Σ_{k>=i} grad_k · Π_{j<=k, j≠i} x_j."""

    _name = "CumprodBackward0"
    _backward_on_arrays = True

    @staticmethod
    def forward(ctx, x, dim):
        ctx.save_for_backward(x)
        ctx.dim = dim
        data = x._data
        result = np.cumprod(_along(data, dim), axis=dim, dtype=data.dtype if data.dtype.kind == "f" else np.int64)
        return result.reshape(data.shape)

    @staticmethod
    def backward(ctx, grad):
        (x,) = ctx.saved_tensors
        if x.ndim == 0:
            return grad, None
        dim, n = ctx.dim, x.shape[ctx.dim]
        xs, grads = [select(x, dim, i) for i in range(n)], [select(grad, dim, i) for i in range(n)]
        # later_k = Σ_{k>=i} grad_k Π_{i<j<=k} x_j, from the end: later_i = grad_i + x_{i+1} · later_{i+1}
        later = [None] * n
        later[n - 1] = grads[n - 1]
        for i in reversed(range(n - 1)):
            later[i] = grads[i] + xs[i + 1] * later[i + 1]
        before, result = None, []  # before = x_0 · ... · x_{i-1}
        for i in range(n):
            result.append(later[i] if before is None else before * later[i])
            before = xs[i] if before is None else before * xs[i]
        return formula.stack(result, dim), None


def _scan_dim(name, input, dim):
    dims = normalize_dims(arguments.int_argument(name, "dim", dim), input.ndim)  # () for a 0-d tensor
    return dims[0] if dims else 0


def cumsum(input, dim, *, dtype=None):
    """Running sums along ``dim``: ``tensor([1, 2, 3]).cumsum(0)`` is ``tensor([1, 3, 6])``."""
    dtype = arguments.dtype_argument("cumsum", dtype)
    return Cumsum.apply(input, _scan_dim("cumsum", input, dim), dtype.numpy if dtype is not None else None)


def cumprod(input, dim, *, dtype=None):
    """Running products along ``dim``: ``tensor([1, 2, 3]).cumprod(0)`` is ``tensor([1, 2, 6])``."""
    dtype = arguments.dtype_argument("cumprod", dtype)
    if dtype is not None:
        input = input.to(dtype)
    return Cumprod.apply(input, _scan_dim("cumprod", input, dim))
