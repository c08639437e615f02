"""Reductions beyond sum and mean: prod, var, std, amax, amin and logsumexp.

Each combines many elements into one, so backward sends one gradient back to every element that was combined, times
how much that element moved the result:

- prod:  d/dx_i = product of all the other elements: result / x_i, or, where an element is 0, running products;
- var:   d/dx_i = 2 (x_i - mean) / (N - correction);   std = sqrt(var): d/dx_i = (x_i - mean) / ((N - correction) std);
- amax / amin: the gradient is shared evenly among the elements equal to the result (unlike ``max(dim)``, which
  gives it all to the returned index);
- logsumexp = log Σ exp(x_i):  d/dx_i = exp(x_i - logsumexp), the softmax of x.
"""
import builtins
import math
import warnings

import numpy as np

from minigrad import messages
from minigrad.autograd.function import OUTPUT, Function
from minigrad.creation import get_default_dtype
from minigrad.ops import arguments, formula
from minigrad.ops.formula import cast, constant, exp, masked_fill, mean_over, scaled, values
from minigrad.ops.reduction import expand_back, normalize_dims, unsqueeze_back
from minigrad.tensor import Tensor


def _dims(dim, ndim):
    """``dim`` as sorted non-negative dims; None or an empty tuple means all of them."""
    if dim is None or (not arguments.is_int(dim) and len(dim) == 0):
        return tuple(range(ndim))
    return normalize_dims(int(dim) if arguments.is_int(dim) else tuple(int(d) for d in dim), ndim)


class Prod(Function):
    """product of all elements;  d/dx_i = product of the others: result / x_i, or, where an element is 0, running
    products from both ends (``_products_of_the_others``)."""

    _name = "ProdBackward0"
    _backward_on_arrays = True

    @staticmethod
    def forward(ctx, x):
        ctx.save_for_backward(x, OUTPUT)
        return np.asarray(x._data.prod(dtype=x._data.dtype if x._data.dtype.kind == "f" else np.int64))

    @staticmethod
    def backward(ctx, grad):
        x, result = ctx.saved_tensors
        if x.ndim == 0:
            return grad
        zeros = np.count_nonzero(values(x) == 0)
        if not zeros:
            return grad * (result / x)
        if zeros > 1 and not isinstance(x, Tensor):  # every product of the others has a 0: PyTorch's zeros_like
            return np.zeros_like(x)  # (recorded, it takes the running products, which may give -0)
        return _products_of_the_others(grad, x.reshape(-1), 0).reshape(x.shape)


class ProdDim(Function):
    """product along ``dim``;  d/dx_i = product of the others in its slice (result / x_i where no element is 0)."""

    _name = "ProdBackward1"
    _backward_on_arrays = True

    @staticmethod
    def forward(ctx, x, dim, keepdim):
        ctx.save_for_backward(x, OUTPUT)
        ctx.dim, ctx.keepdim = dim, keepdim
        data = x._data if x._data.ndim else x._data.reshape(1)
        result = data.prod(axis=dim, keepdims=keepdim, dtype=data.dtype if data.dtype.kind == "f" else np.int64)
        return result.reshape(()) if x._data.ndim == 0 else result

    @staticmethod
    def backward(ctx, grad):
        x, result = ctx.saved_tensors
        if x.ndim == 0:
            return grad, None, None
        grad, result = unsqueeze_back(grad, (ctx.dim,), ctx.keepdim), unsqueeze_back(result, (ctx.dim,), ctx.keepdim)
        if not (values(x) == 0).any():
            return grad * (result / x), None, None
        return _products_of_the_others(grad, x, ctx.dim), None, None


def _products_of_the_others(grad, x, dim):
    """grad times, for each element, the product of the *other* elements of its slice along ``dim``, without a
    division (PyTorch's ``prod_safe_zeros_backward``): the running products of the elements before it (a cumprod
    of 1, x_0, ..., x_{n-2}) times those of the elements after it (the same from the other end, flipped)."""
    n = x.shape[dim]
    if values(x).size == 0:
        return formula.expand(grad, x.shape)
    if n == 1:
        return grad
    ones = constant(np.ones(x.shape[:dim] + (1,) + x.shape[dim + 1:], values(grad).dtype), grad)
    before = formula.cumprod(formula.cat([ones, formula.narrow(x, dim, 0, n - 1)], dim), dim)
    after_reversed = formula.cat([ones, formula.flip(formula.narrow(x, dim, 1, n - 1), dim)], dim)
    after = formula.flip(formula.cumprod(after_reversed, dim), dim)
    return grad * (before * after)


def _degrees_of_freedom(name, count, correction):
    if count - correction <= 0:
        warnings.warn(f"{name}(): degrees of freedom is <= 0. Correction should be strictly less than the reduction "
                      "factor (input numel divided by output numel).", UserWarning, stacklevel=4)
    return builtins.max(count - correction, 0)


def _var_backward(grad, x, named_dims, correction, keepdim):
    """PyTorch's ``var_backward``: 2/(N - correction) · grad · (x - mean), N the count of elements reduced.

    Written with the ops PyTorch's formula uses, so a recorded gradient is its graph: a Scalar product
    (MulBackward1), then ``* (x - x.mean())``. With no dim named (or a 0-d input) the mean is of everything
    (MeanBackward0); there, when N - correction <= 0, 2/(N - correction) is infinite: the gradient is nan where x
    is its mean (inf · 0) and inf elsewhere. With dims named the mean is along them (MeanBackward1) and a reduced
    gradient gets its dims back (UnsqueezeBackward0) to broadcast."""
    if named_dims is None:
        dof = values(x).size - correction
        if dof <= 0:
            at_mean = values(x) == values(x).mean()
            infinite = constant(np.where(at_mean, np.nan, np.inf).astype(get_default_dtype().numpy), grad)
            return cast(grad * infinite, values(x).dtype)  # float32 beside a 0-d grad: the engine casts it back
        return scaled(grad, 2.0 / dof) * (x - x.mean())
    if x.ndim > 1:
        grad = unsqueeze_back(grad, named_dims, keepdim)
    dof = math.prod(x.shape[d] for d in named_dims) - correction
    return scaled(grad, 2.0 / dof if dof else math.inf) * (x - mean_over(x, named_dims, keepdim=True))


class Var(Function):
    """Σ (x_i - mean)² / (N - correction);  d/dx_i = 2 (x_i - mean) / (N - correction)."""

    _name = "VarBackward0"
    _backward_on_arrays = True

    @staticmethod
    def forward(ctx, x, dims, correction, keepdim, named_dims):
        ctx.save_for_backward(x)
        count = math.prod(x._data.shape[d] for d in dims)
        ctx.correction, ctx.keepdim, ctx.named_dims = correction, keepdim, named_dims
        dof = _degrees_of_freedom("var", count, correction)
        with np.errstate(invalid="ignore", divide="ignore"):
            centred = x._data - x._data.mean(axis=dims, keepdims=True)
            return np.asarray((centred * centred).sum(axis=dims, keepdims=keepdim) / x._data.dtype.type(dof))

    @staticmethod
    @np.errstate(invalid="ignore")  # inf · 0 is nan, as in PyTorch
    def backward(ctx, grad):
        (x,) = ctx.saved_tensors
        return _var_backward(grad, x, ctx.named_dims, ctx.correction, ctx.keepdim), None, None, None, None


class Std(Function):
    """sqrt(var);  d/dx_i = (x_i - mean) / ((N - correction) · std): var's gradient of grad / (2 std)."""

    _name = "StdBackward0"
    _backward_on_arrays = True

    @staticmethod
    def forward(ctx, x, dims, correction, keepdim, named_dims):
        ctx.save_for_backward(x, OUTPUT)
        count = math.prod(x._data.shape[d] for d in dims)
        ctx.correction, ctx.keepdim, ctx.named_dims = correction, keepdim, named_dims
        dof = _degrees_of_freedom("std", count, correction)
        with np.errstate(invalid="ignore", divide="ignore"):
            centred = x._data - x._data.mean(axis=dims, keepdims=True)
            return np.sqrt(np.asarray((centred * centred).sum(axis=dims, keepdims=keepdim)
                                      / x._data.dtype.type(dof)))

    @staticmethod
    @np.errstate(invalid="ignore", divide="ignore")
    def backward(ctx, grad):
        x, result = ctx.saved_tensors
        # d std = d var / (2 std); where std is 0 PyTorch sends 0, not grad / 0
        grad_var = masked_fill(grad / scaled(result, 2), values(result) == 0, 0)
        return _var_backward(grad_var, x, ctx.named_dims, ctx.correction, ctx.keepdim), None, None, None, None


class Amax(Function):
    """the largest element (over ``dims``);  d/dx_i = 1/k for each of the k elements equal to it, else 0."""

    _name = "AmaxBackward0"
    _backward_on_arrays = True
    _numpy = staticmethod(np.max)

    @staticmethod
    def forward(ctx, x, dims, keepdim):
        ctx.save_for_backward(x, OUTPUT)
        ctx.dims, ctx.keepdim = dims, keepdim
        return np.asarray(type(ctx)._numpy(x._data, axis=dims, keepdims=keepdim))

    @staticmethod
    def backward(ctx, grad):
        x, result = ctx.saved_tensors
        winners = values(x) == values(expand_back(result, x.shape, ctx.dims, ctx.keepdim))
        count = winners.sum(axis=ctx.dims, keepdims=True)
        share = constant(np.where(winners, 1.0 / count, 0.0).astype(values(x).dtype), grad)
        return expand_back(grad, x.shape, ctx.dims, ctx.keepdim) * share, None, None


class Amin(Amax):
    """the smallest element (over ``dims``);  d/dx_i = 1/k for each of the k elements equal to it, else 0."""

    _name = "AminBackward0"
    _numpy = staticmethod(np.min)


class LogSumExp(Function):
    """log Σ exp(x_i) along ``dims``, computed as m + log Σ exp(x_i - m) with m the maximum (no overflow);
    d/dx_i = exp(x_i - logsumexp) (the softmax)."""

    _name = "LogsumexpBackward0"
    _backward_on_arrays = True

    @staticmethod
    def forward(ctx, x, dims, keepdim):
        ctx.save_for_backward(x, OUTPUT)
        ctx.dims, ctx.keepdim = dims, keepdim
        data = x._data if x._data.dtype.kind == "f" else x._data.astype(np.float32)
        if data.size == 0:
            return np.log(np.exp(data).sum(axis=dims, keepdims=keepdim))
        peak = np.max(data, axis=dims, keepdims=True)
        peak = np.where(np.isfinite(peak), peak, 0)  # all -inf (or an inf): no shift, the plain formula is right
        with np.errstate(divide="ignore"):
            total = np.log(np.exp(data - peak).sum(axis=dims, keepdims=True)) + peak
        return np.asarray(total if keepdim else total.reshape([n for d, n in enumerate(total.shape)
                                                                if d not in dims]))

    @staticmethod
    def backward(ctx, grad):
        x, result = ctx.saved_tensors
        if x.ndim:  # the reduced dims back as size 1: grad and result broadcast over x
            grad, result = unsqueeze_back(grad, ctx.dims, ctx.keepdim), unsqueeze_back(result, ctx.dims, ctx.keepdim)
        return grad * exp(x - result), None, None


# ----- functions ----------------------------------------------------------------------------------------------------
_PROD_METHOD_SIGNATURES = ("*, minigrad.dtype dtype = None",
                           "int dim, bool keepdim = False, *, minigrad.dtype dtype = None")
_PROD_SIGNATURES = ("Tensor input, *, minigrad.dtype dtype = None",
                    "Tensor input, int dim, bool keepdim = False, *, minigrad.dtype dtype = None, Tensor out = None")


def prod(input, dim=arguments.NOT_GIVEN, keepdim=arguments.NOT_GIVEN, *,
        dtype=arguments.NOT_GIVEN):
    """The product of all elements, or along ``dim`` (one int)."""
    dim_error = None if dim is arguments.NOT_GIVEN or arguments.is_int(dim) else (
        f"prod(): argument 'dim' must be int, not {arguments.type_name(dim)}")
    keepdim, dtype = arguments.reduction_arguments("prod", input, dim, keepdim, dtype, dim_error, _PROD_SIGNATURES,
                                                   _PROD_METHOD_SIGNATURES)
    if dtype is not None:
        input = input.to(dtype)
    if dim is arguments.NOT_GIVEN:
        return Prod.apply(input)
    dims = normalize_dims(int(dim), input.ndim)  # () for a 0-d tensor
    return ProdDim.apply(input, dims[0] if dims else 0, keepdim)


prod.signatures = (_PROD_SIGNATURES, _PROD_METHOD_SIGNATURES)


def _spread_arguments(name, input, dim, unbiased, keepdim, correction):
    if not input.is_floating_point():
        raise RuntimeError("std and var only support floating point and complex dtypes")
    if isinstance(dim, bool):  # x.var(True): the old (unbiased) form
        dim, unbiased = None, dim
    if correction is None:
        correction = 1 if unbiased is None or unbiased else 0
    dims = _dims(dim, input.ndim)
    named_dims = None if dim is None or input.ndim == 0 else dims if len(_as_tuple(dim)) else ()
    return dims, correction, arguments.bool_argument(name, "keepdim", keepdim), named_dims


def _as_tuple(dim):
    return (dim,) if arguments.is_int(dim) else tuple(dim)


def var(input, dim=None, unbiased=None, keepdim=False, *, correction=None):
    """Variance: the mean squared distance from the mean, divided by N - 1 (``correction=1``, Bessel's) by default."""
    return Var.apply(input, *_spread_arguments("var", input, dim, unbiased, keepdim, correction))


def std(input, dim=None, unbiased=None, keepdim=False, *, correction=None):
    """Standard deviation: the square root of ``var`` (same ``correction``)."""
    return Std.apply(input, *_spread_arguments("std", input, dim, unbiased, keepdim, correction))


def _extreme(name, node, input, dim, keepdim):
    dims = _dims(dim, input.ndim)
    if input.numel() == 0 and (dim is None or dim == () or dim == []):
        raise RuntimeError(f"{name}(): Expected reduction dim to be specified for input.numel() == 0. Specify the "
                           "reduction dim with the 'dim' argument.")
    return node.apply(input, dims, arguments.bool_argument(name, "keepdim", keepdim))


def amax(input, dim=(), keepdim=False):
    """The largest value over ``dim`` (an int or a tuple; all dims by default). Ties share the gradient."""
    return _extreme("amax", Amax, input, dim, keepdim)


def amin(input, dim=(), keepdim=False):
    """The smallest value over ``dim`` (an int or a tuple; all dims by default). Ties share the gradient."""
    return _extreme("amin", Amin, input, dim, keepdim)


def logsumexp(input, dim=arguments.REQUIRED, keepdim=False):
    """log(exp(x).sum(dim)), without overflow: the smooth maximum that log_softmax and cross-entropy are built on."""
    if dim is arguments.REQUIRED:
        raise TypeError(messages.missing_arguments("logsumexp", ["dim"]))
    if dim is None:
        raise TypeError("logsumexp(): argument 'dim' must be tuple of ints, not NoneType")
    return LogSumExp.apply(input, _dims(dim, input.ndim), arguments.bool_argument("logsumexp", "keepdim", keepdim))
