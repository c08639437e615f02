"""Arithmetic: + - * / ** and negation, with broadcasting and PyTorch's dtype promotion.

Each op is a ``Function``: ``forward`` computes the values with numpy, ``backward`` turns the gradient of the output
into gradients of the inputs, written with tensor operations so that it can itself be differentiated
(``create_graph=True``). When an input was broadcast, its gradient is summed back to its own shape (``sum_to``).

A Python number next to a tensor is wrapped into a 0-d tensor for ``+ - * /``, as PyTorch does, which is why
``(x + 2).grad_fn.next_functions`` has a second entry ``(None, 0)``.
"""
import numbers

import numpy as np

from minigrad.autograd.function import Function
from minigrad.dtypes import result_type
from minigrad.tensor import Tensor


def as_operands(a, b):
    """Both operands as tensors; a Python number becomes a 0-d tensor of the result's dtype."""
    if isinstance(a, Tensor) and isinstance(b, Tensor):
        return a, b
    dtype = result_type(a, b).numpy
    if not isinstance(a, Tensor):
        a = Tensor._make(np.asarray(a, dtype))
    if not isinstance(b, Tensor):
        b = Tensor._make(np.asarray(b, dtype))
    return a, b


def promoted(a, b):
    """The numpy arrays of two tensors, cast to their common (PyTorch-promoted) dtype."""
    x, y = a._data, b._data
    if x.dtype != y.dtype:
        dtype = result_type(a, b).numpy
        x, y = x.astype(dtype, copy=False), y.astype(dtype, copy=False)
    return x, y


def sum_to(grad, shape):
    """Sum a broadcast gradient back down to ``shape`` (the reverse of broadcasting)."""
    if grad.shape == shape:
        return grad
    return grad.sum_to_size(shape)


class Add(Function):
    """a + alpha * b;  d/da = 1,  d/db = alpha."""

    _name = "AddBackward0"

    @staticmethod
    def forward(ctx, a, b, alpha=1):
        ctx.shapes, ctx.alpha = (a._data.shape, b._data.shape), alpha
        x, y = promoted(a, b)
        return x + y if alpha == 1 else x + alpha * y

    @staticmethod
    def backward(ctx, grad):
        a_shape, b_shape = ctx.shapes
        grad_b = grad if ctx.alpha == 1 else grad * ctx.alpha
        return sum_to(grad, a_shape), sum_to(grad_b, b_shape), None


class Sub(Function):
    """a - alpha * b;  d/da = 1,  d/db = -alpha."""

    _name = "SubBackward0"

    @staticmethod
    def forward(ctx, a, b, alpha=1):
        ctx.shapes, ctx.alpha = (a._data.shape, b._data.shape), alpha
        x, y = promoted(a, b)
        return x - y if alpha == 1 else x - alpha * y

    @staticmethod
    def backward(ctx, grad):
        a_shape, b_shape = ctx.shapes
        return sum_to(grad, a_shape), sum_to(-grad if ctx.alpha == 1 else grad * -ctx.alpha, b_shape), None


class Rsub(Function):
    """number - a (``2 - x``);  d/da = -1."""

    _name = "RsubBackward1"

    @staticmethod
    def forward(ctx, a, number):
        return np.asarray(number, result_type(a, number).numpy) - a._data

    @staticmethod
    def backward(ctx, grad):
        return -grad, None


class Mul(Function):
    """a * b;  d/da = b,  d/db = a."""

    _name = "MulBackward0"

    @staticmethod
    def forward(ctx, a, b):
        # save only what backward will use: b for a's gradient, a for b's
        needs_a, needs_b = getattr(ctx, "needs_input_grad", (False, False))
        ctx.save_for_backward(a if needs_b else None, b if needs_a else None)
        ctx.shapes = a._data.shape, b._data.shape
        x, y = promoted(a, b)
        return x * y

    @staticmethod
    def backward(ctx, grad):
        a, b = ctx.saved_tensors
        a_shape, b_shape = ctx.shapes
        grad_a = sum_to(grad * b, a_shape) if b is not None else None
        grad_b = sum_to(grad * a, b_shape) if a is not None else None
        return grad_a, grad_b


class Div(Function):
    """a / b;  d/da = 1/b,  d/db = -a/b²."""

    _name = "DivBackward0"

    @staticmethod
    def forward(ctx, a, b):
        ctx.save_for_backward(a, b)
        x, y = promoted(a, b)
        if x.dtype.kind != "f":  # true division of integers gives the default float dtype, as in PyTorch
            x, y = x.astype(np.float32), y.astype(np.float32)
        with np.errstate(divide="ignore", invalid="ignore"):  # 1/0 is inf, 0/0 is nan, silently, like PyTorch
            return x / y

    @staticmethod
    def backward(ctx, grad):
        a, b = ctx.saved_tensors
        grad_a = sum_to(grad / b, a.shape) if ctx.needs_input_grad[0] else None
        grad_b = sum_to(-grad * a / (b * b), b.shape) if ctx.needs_input_grad[1] else None
        return grad_a, grad_b


class Reciprocal(Function):
    """1 / a;  d/da = -1/a²."""

    _name = "ReciprocalBackward0"

    @staticmethod
    def forward(ctx, a):
        ctx.save_for_backward(a)
        x = a._data if a._data.dtype.kind == "f" else a._data.astype(np.float32)
        with np.errstate(divide="ignore"):
            return 1 / x

    @staticmethod
    def backward(ctx, grad):
        (a,) = ctx.saved_tensors
        return -grad / (a * a)


class Neg(Function):
    """-a;  d/da = -1."""

    _name = "NegBackward0"

    @staticmethod
    def forward(ctx, a):
        return -a._data

    @staticmethod
    def backward(ctx, grad):
        return -grad


class PowScalar(Function):
    """a ** p for a number p;  d/da = p · a^(p-1)."""

    _name = "PowBackward0"

    @staticmethod
    def forward(ctx, a, exponent):
        ctx.save_for_backward(a)
        ctx.exponent = exponent
        with np.errstate(divide="ignore", invalid="ignore"):
            return np.power(a._data, np.asarray(exponent, result_type(a, exponent).numpy))

    @staticmethod
    def backward(ctx, grad):
        (a,) = ctx.saved_tensors
        p = ctx.exponent
        if p == 0:
            return grad * 0, None
        return grad * p * a ** (p - 1), None


class Pow(Function):
    """a ** b for tensors;  d/da = b · a^(b-1),  d/db = a^b · ln a."""

    _name = "PowBackward1"

    @staticmethod
    def forward(ctx, a, b):
        ctx.save_for_backward(a, b)
        x, y = promoted(a, b)
        with np.errstate(divide="ignore", invalid="ignore"):
            return np.power(x, y)

    @staticmethod
    def backward(ctx, grad):
        a, b = ctx.saved_tensors
        grad_a = sum_to(grad * b * a ** (b - 1), a.shape) if ctx.needs_input_grad[0] else None
        # where a == 0 the log is -inf but the true contribution is 0 (PyTorch masks it the same way)
        grad_b = sum_to(grad * (a ** b) * a.log().masked_fill(a == 0, 0.0), b.shape) if ctx.needs_input_grad[1] else None
        return grad_a, grad_b


class RPow(Function):
    """number ** b (``2 ** x``);  d/db = number^b · ln(number)."""

    _name = "PowBackward2"

    @staticmethod
    def forward(ctx, number, b):
        ctx.number = number
        ctx.save_for_backward(b)
        with np.errstate(divide="ignore", invalid="ignore"):
            return np.power(np.asarray(number, result_type(number, b).numpy), b._data)

    @staticmethod
    def backward(ctx, grad):
        (b,) = ctx.saved_tensors
        return None, grad * (ctx.number ** b) * float(np.log(ctx.number))


# ----- the functions behind the operators -------------------------------------------------------------------------
def add(input, other, *, alpha=1):
    """``input + alpha * other``."""
    a, b = as_operands(input, other)
    return Add.apply(a, b, alpha) if alpha != 1 else Add.apply(a, b)


def sub(input, other, *, alpha=1):
    """``input - alpha * other``."""
    a, b = as_operands(input, other)
    return Sub.apply(a, b, alpha) if alpha != 1 else Sub.apply(a, b)


def rsub(input, other):
    """``other - input`` (what ``2 - x`` calls)."""
    if isinstance(other, Tensor):
        return sub(other, input)
    return Rsub.apply(input, other)


def mul(input, other):
    return Mul.apply(*as_operands(input, other))


def div(input, other, *, rounding_mode=None):
    if rounding_mode is not None:
        raise NotImplementedError("minigrad supports only true division (rounding_mode=None)")
    return Div.apply(*as_operands(input, other))


def rdiv(input, other):
    """``other / input`` (what ``2 / x`` calls): PyTorch computes it as ``reciprocal(x) * 2``."""
    if isinstance(other, Tensor):
        return div(other, input)
    return mul(reciprocal(input), other)


def reciprocal(input):
    return Reciprocal.apply(input)


def neg(input):
    return Neg.apply(input)


def pow(input, exponent):
    """``input ** exponent`` for a tensor or a number on either side."""
    if not isinstance(input, Tensor):
        return RPow.apply(input, exponent)
    if isinstance(exponent, Tensor):
        return Pow.apply(input, exponent)
    if not isinstance(exponent, numbers.Number):
        raise TypeError(f"pow(): argument 'exponent' must be Tensor or Number, not {type(exponent).__name__}")
    return PowScalar.apply(input, exponent)


def rpow(input, other):
    """``other ** input`` (what ``2 ** x`` calls)."""
    return pow(other, input)
