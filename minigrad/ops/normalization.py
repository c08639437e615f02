"""Norms and softmax: reductions that rescale.

- ``norm(x, p)`` is the vector p-norm ``(Σ|x_i|^p)^(1/p)``; p=2 (the default) is the Euclidean length, p=1 the sum
  of absolute values, p=inf the largest absolute value, p=0 the number of non-zero elements.
- ``softmax(x, dim)`` turns scores into probabilities along ``dim``: ``e^x_i / Σ_j e^x_j``; ``log_softmax`` is its
  log. Both subtract the maximum first (``e^(x_i - m) / Σ e^(x_j - m)`` is the same value), so ``e^1000`` never
  overflows.
"""
import math
import numbers

import numpy as np

from minigrad.autograd.function import OUTPUT, Function
from minigrad.dtypes import as_dtype, promote_types
from minigrad.ops import arguments
from minigrad.ops.arguments import numpy_bool_as_float, type_name
from minigrad.ops.formula import backward_op, constant, exp, sum_over
from minigrad.ops.reduction import normalize_dims
from minigrad.tensor import Tensor, _type_word


def _vector_norm(data, p, dims, keepdim):
    """The p-norm of a numpy array over ``dims``, in numpy."""
    magnitude = np.abs(data)
    with np.errstate(divide="ignore", over="ignore", invalid="ignore"):  # p < 0 with zeros: inf, then 0
        if p == 2:
            return np.sqrt(np.sum(magnitude * magnitude, axis=dims, keepdims=keepdim))
        if p == 1:
            return np.sum(magnitude, axis=dims, keepdims=keepdim)
        if p == math.inf:
            return np.max(magnitude, axis=dims, keepdims=keepdim, initial=0)
        if p == -math.inf:
            return np.min(magnitude, axis=dims, keepdims=keepdim)
        if p == 0:
            return np.sum(magnitude != 0, axis=dims, keepdims=keepdim).astype(data.dtype)
        return np.sum(magnitude ** p, axis=dims, keepdims=keepdim) ** (1 / p)


class VectorNorm(Function):
    """‖x‖_p = (Σ|x_i|^p)^(1/p);  d/dx_i = sign(x_i)·|x_i|^(p-1) / ‖x‖_p^(p-1)  (x_i / ‖x‖ for p = 2)."""

    _name = "LinalgVectorNormBackward0"

    @staticmethod
    def forward(ctx, x, p, dims, keepdim, dtype=None):
        ctx.save_for_backward(x, OUTPUT)
        ctx.p, ctx.dims, ctx.keepdim, ctx.dtype = p, dims, keepdim, dtype
        data = x._data if dtype is None else x._data.astype(dtype.numpy)  # ``dtype=``: computed in that dtype
        every_dim = tuple(range(data.ndim)) if dims is None else dims  # None: no dim named, the norm of everything
        return np.asarray(_vector_norm(data, p, every_dim, keepdim), data.dtype)

    @staticmethod
    def backward(ctx, grad):
        x, norm = ctx.saved_tensors
        p, dims = ctx.p, ctx.dims
        if p == 0:  # a count of non-zeros is piecewise constant: PyTorch gives no gradient at all
            return None, None, None, None, None
        input_dtype = x.dtype
        if ctx.dtype is not None:
            x = x.to(ctx.dtype)
        if not ctx.keepdim and x.ndim and dims is not None:  # the named dims back (as size 1): norm and grad
            for d in dims:  # broadcast over x (the norm of everything is 0-d and broadcasts as it is)
                grad, norm = grad.unsqueeze(d), norm.unsqueeze(d)
        sign = x.sgn()  # recorded (SgnBackward0), as in PyTorch's formula, though its own gradient is 0
        if p == 1:
            result = sign * grad
        elif p == 2:
            result = grad * (x / norm).masked_fill(constant(norm._data == 0, grad), 0.0)  # 0/0 at the zero vector: 0
        elif math.isinf(p):  # the largest (smallest) |x_i|: shared evenly among ties, like max
            magnitude = np.abs(x._data)
            winners = (magnitude == norm._data) | np.isnan(magnitude)
            count = constant(winners.sum(axis=dims, keepdims=True).astype(x._data.dtype), grad)
            result = sign * (grad / count * constant(winners.astype(x._data.dtype), grad))
        else:
            zero_norm = constant(norm._data == 0, grad)
            if p < 1:
                scaled = sign * x.abs().pow(p - 1).masked_fill(constant(x._data == 0, grad), 0.0)
                result = scaled * grad * norm.pow(1 - p)
            elif p < 2:
                result = sign * x.abs().pow(p - 1) * (grad / norm.pow(p - 1)).masked_fill(zero_norm, 0.0)
            else:
                result = x * x.abs().pow(p - 2) * (grad / norm.pow(p - 1)).masked_fill(zero_norm, 0.0)
        return result.to(input_dtype), None, None, None, None


def norm(input, p="fro", dim=None, keepdim=False, dtype=None):
    """The p-norm of all elements, or of each slice along ``dim`` (an int or a tuple of ints)."""
    if isinstance(p, str):
        dim_count = 1 if isinstance(dim, int) else (input.ndim if dim is None else len(dim))
        if p not in ("fro", "nuc"):
            raise RuntimeError(f"linalg.matrix_norm: Order {p} not supported.")
        if p == "nuc" and input.ndim < 2:
            raise RuntimeError("linalg.matrix_norm: The input tensor A must have at least 2 dimensions.")
        if p == "fro" and dim_count > 2 and dim is not None:
            raise RuntimeError(f"linalg.matrix_norm: dim must be a 2-tuple. Got {' '.join(str(d) for d in dim)}")
        if p == "nuc":
            raise NotImplementedError("minigrad does not implement the nuclear norm (p='nuc')")
        p = 2  # the Frobenius norm is the 2-norm of all the matrix's elements
    elif p is None:
        p = 2
    elif isinstance(p, Tensor) and p.ndim == 0 and not p.requires_grad:  # a 0-d tensor is a number here
        p = p.item()
    p = numpy_bool_as_float(p)
    if not isinstance(p, numbers.Number):  # PyTorch's norm hands p on to linalg.vector_norm as its ord
        error = TypeError(f"linalg_vector_norm(): argument 'ord' (position 2) must be Number, not {type_name(p)}")
        error.method_form = error  # the same words from x.norm(p=...): position 2 is linalg_vector_norm's
        raise error
    if dim is not None and not isinstance(dim, int) and len(dim) == 0:
        dim = None  # an empty list of dims means all of them, as in linalg.vector_norm
    if dtype is not None:
        dtype = as_dtype(dtype)
        if not dtype.is_floating_point:
            raise RuntimeError(f"linalg.vector_norm: dtype should be floating point or complex, but got "
                               f"{_type_word(dtype)}")
    if not input.dtype.is_floating_point:
        raise RuntimeError("linalg.vector_norm: Expected a floating point or complex tensor as input. Got "
                           f"{_type_word(input.dtype)}")
    if dtype is not None and promote_types(input.dtype, dtype) is not dtype:
        raise RuntimeError(f"linalg.vector_norm: the dtype of the input ({_type_word(input.dtype)}) should be "
                           f"convertible without narrowing to the specified dtype ({_type_word(dtype)})")
    if isinstance(p, complex):
        raise RuntimeError("linalg.vector_norm: Expected a non-complex scalar as the order of norm.")
    p = float(p)
    dims = normalize_dims(dim, input.ndim)
    if math.isinf(p):
        _check_identity(input, p, dim, dims)
    if dim is None:
        dims = None  # all of them
    if dtype is not None and dtype is not input.dtype:
        return VectorNorm.apply(input, p, dims, keepdim, dtype)
    return VectorNorm.apply(input, p, dims, keepdim)


def _check_identity(input, p, dim, dims):
    """max/min of nothing is undefined: an inf-norm over an empty tensor or an empty dim is an error."""
    name = "inf" if p > 0 else "-inf"
    if dim is None and input.numel() == 0:
        raise RuntimeError(f"linalg.vector_norm cannot compute the {name} norm on an empty tensor because the "
                           "operation does not have an identity")
    for d in dims:
        if input.shape[d] == 0:
            raise RuntimeError(f"linalg.vector_norm cannot compute the {name} norm on the dimension {d}because "
                               "this dimension is empty and the operation does not have an identity")


# ----- softmax ------------------------------------------------------------------------------------------------------
def _shifted(data, dim):
    """``data - max(data)`` along ``dim``: the same softmax, but every exponent is <= 0."""
    if data.size == 0:
        return data
    with np.errstate(invalid="ignore"):  # a slice of all -inf gives nan, as in PyTorch
        return data - data.max(axis=dim, keepdims=True)


class Softmax(Function):
    """s_i = e^x_i / Σ_j e^x_j along dim;  vector-Jacobian product: s · (grad - Σ_j grad_j s_j)."""

    _name = "SoftmaxBackward0"
    _backward_on_arrays = True
    _saved_fields = {"dim": "dim", "result": 0}

    @staticmethod
    def forward(ctx, x, dim):
        ctx.save_for_backward(OUTPUT)
        ctx.dim = dim
        data = x._data.reshape(x._data.shape or (1,))  # a 0-d tensor is a softmax over one element
        e = np.exp(_shifted(data, dim))
        return (e / e.sum(axis=dim, keepdims=True)).reshape(x._data.shape)

    @staticmethod
    def backward(ctx, grad):
        (s,) = ctx.saved_tensors
        return backward_op(SoftmaxBackward, grad, s, ctx.dim), None


class SoftmaxBackward(Function):
    """Softmax's backward, s · (grad - Σ grad·s), as an op of its own (PyTorch's ``_softmax_backward_data``), so
    that a gradient through softmax can be differentiated again. For an incoming v:
    d/dgrad = s · (v - Σ v·s) (the same op),  d/ds = v · (grad - Σ grad·s) - grad · Σ v·s."""

    _name = "SoftmaxBackwardDataBackward0"

    @staticmethod
    def formula(grad, s, dim):
        return s * (grad - sum_over(grad * s, dim, keepdim=True))

    @staticmethod
    def forward(ctx, grad, s, dim):
        ctx.save_for_backward(grad, s)
        ctx.dim = dim
        return SoftmaxBackward.formula(grad._data, s._data, dim)

    @staticmethod
    def backward(ctx, v):
        grad, s = ctx.saved_tensors
        grad_grad = SoftmaxBackward.apply(v, s, ctx.dim) if ctx.needs_input_grad[0] else None
        grad_s = (v * (grad - sum_over(grad * s, ctx.dim, keepdim=True))
                  - grad * sum_over(v * s, ctx.dim, keepdim=True)) if ctx.needs_input_grad[1] else None
        return grad_grad, grad_s, None


class LogSoftmax(Function):
    """x_i - log Σ_j e^x_j along dim;  vector-Jacobian product: grad - softmax(x) · Σ_j grad_j
    (softmax(x) is e^result)."""

    _name = "LogSoftmaxBackward0"
    _backward_on_arrays = True
    _saved_fields = {"dim": "dim", "result": 0}

    @staticmethod
    @np.errstate(divide="ignore")
    def forward(ctx, x, dim):
        ctx.save_for_backward(OUTPUT)
        ctx.dim = dim
        data = x._data.reshape(x._data.shape or (1,))
        shifted = _shifted(data, dim)
        return (shifted - np.log(np.exp(shifted).sum(axis=dim, keepdims=True))).reshape(x._data.shape)

    @staticmethod
    def backward(ctx, grad):
        (result,) = ctx.saved_tensors
        return backward_op(LogSoftmaxBackward, grad, result, ctx.dim), None


class LogSoftmaxBackward(Function):
    """LogSoftmax's backward, grad - e^y · Σ grad (y its result), as an op of its own (PyTorch's
    ``_log_softmax_backward_data``), so that a gradient through log_softmax can be differentiated again. For an
    incoming v:  d/dgrad = v - Σ v·e^y,  d/dy = -e^y · v · Σ grad."""

    _name = "LogSoftmaxBackwardDataBackward0"

    @staticmethod
    def formula(grad, y, dim):
        return grad - exp(y) * sum_over(grad, dim, keepdim=True)

    @staticmethod
    def forward(ctx, grad, y, dim):
        ctx.save_for_backward(grad, y)
        ctx.dim = dim
        return LogSoftmaxBackward.formula(grad._data, y._data, dim)

    @staticmethod
    def backward(ctx, v):
        grad, y = ctx.saved_tensors
        grad_grad = v - sum_over(v * exp(y), ctx.dim, keepdim=True) if ctx.needs_input_grad[0] else None
        grad_y = -sum_over(grad, ctx.dim, keepdim=True) * exp(y) * v if ctx.needs_input_grad[1] else None
        return grad_grad, grad_y, None


def _softmax(name, function, input, dim, dtype):
    if dim is arguments.REQUIRED:
        raise TypeError(f'{name}() missing 1 required positional arguments: "dim"')
    if dtype is not None:
        input = input.to(as_dtype(dtype))
    (axis,) = normalize_dims(dim, input.ndim) or (0,)
    if not input.dtype.is_floating_point:
        kernel = "lastdim_kernel_impl" if axis == input.ndim - 1 or input.ndim == 0 else "kernel_impl"
        raise NotImplementedError(f"\"{name}_{kernel}\" not implemented for '{_type_word(input.dtype)}'")
    return function.apply(input, axis)


def softmax(input, dim=arguments.REQUIRED, dtype=None):
    """Probabilities along ``dim``: every slice becomes positive and sums to 1."""
    return _softmax("softmax", Softmax, input, dim, dtype)


def log_softmax(input, dim=arguments.REQUIRED, dtype=None):
    """log(softmax(x)) along ``dim``, computed without ever taking the log of a tiny number."""
    return _softmax("log_softmax", LogSoftmax, input, dim, dtype)
