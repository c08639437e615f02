"""Rounding and cleaning up values: round, floor, ceil, trunc, sign, sgn, frac, nan_to_num, and lerp.

round, floor, ceil, trunc, sign and sgn are step functions: flat between the jumps, so their derivative is 0 wherever it
exists, and PyTorch's backward returns zeros. ``frac(x) = x - trunc(x)`` is the same line shifted at each integer:
its derivative is 1. ``nan_to_num`` replaces nan and ±inf by numbers; the gradient passes where the value was kept.
"""
import numpy as np

from minigrad.autograd.function import Function
from minigrad.ops import arguments
from minigrad.ops.arithmetic import broadcast_shape, promoted, sum_to
from minigrad.ops.formula import masked, zeros_like


class _Step(Function):
    """A step function;  d/dx = 0 (wherever the derivative exists)."""

    _backward_on_arrays = True

    _numpy = None

    @staticmethod
    def forward(ctx, x):
        return type(ctx)._numpy(x._data)

    @staticmethod
    def backward(ctx, grad):
        return zeros_like(grad)


class Round(_Step):
    """x rounded to the nearest integer, halves to even (2.5 -> 2);  d/dx = 0."""

    _name = "RoundBackward0"
    _numpy = staticmethod(np.round)


class RoundDecimals(Function):
    """x rounded to ``decimals`` places;  d/dx = 0."""

    _name = "RoundBackward1"
    _backward_on_arrays = True

    @staticmethod
    def forward(ctx, x, decimals):
        return np.round(x._data, decimals)

    @staticmethod
    def backward(ctx, grad):
        return zeros_like(grad), None


class Floor(_Step):
    """the largest integer <= x;  d/dx = 0."""

    _name = "FloorBackward0"
    _numpy = staticmethod(np.floor)


class Ceil(_Step):
    """the smallest integer >= x;  d/dx = 0."""

    _name = "CeilBackward0"
    _numpy = staticmethod(np.ceil)


class Trunc(_Step):
    """x with its fractional part dropped (towards 0);  d/dx = 0."""

    _name = "TruncBackward0"
    _numpy = staticmethod(np.trunc)


class Sign(_Step):
    """-1, 0 or 1;  d/dx = 0."""

    _name = "SignBackward0"
    _numpy = staticmethod(np.sign)


class Sgn(_Step):
    """the sign of a number, x / |x| (0 at 0): for real numbers the same as sign;  d/dx = 0. It is what abs's
    gradient is made of: grad · sgn(x)."""

    _name = "SgnBackward0"
    _numpy = staticmethod(np.sign)


class Frac(Function):
    """x - trunc(x), the fractional part (keeps x's sign);  d/dx = 1."""

    _name = "FracBackward0"
    _backward_on_arrays = True

    @staticmethod
    def forward(ctx, x):
        return x._data - np.trunc(x._data)

    @staticmethod
    def backward(ctx, grad):
        return grad


class NanToNum(Function):
    """nan -> ``nan``, +inf -> ``posinf``, -inf -> ``neginf`` (the dtype's largest numbers by default);
    d/dx = 1 where x was finite, 0 where it was replaced."""

    _name = "NanToNumBackward0"
    _backward_on_arrays = True

    @staticmethod
    def forward(ctx, x, nan, posinf, neginf):
        ctx.finite = np.isfinite(x._data)
        return np.nan_to_num(x._data, nan=nan, posinf=posinf, neginf=neginf)

    @staticmethod
    def backward(ctx, grad):
        return masked(grad, ctx.finite), None, None, None


class Lerp(Function):
    """start + w·(end - start) for a number w;  d/dstart = 1 - w,  d/dend = w."""

    _name = "LerpBackward0"
    _backward_on_arrays = True

    @staticmethod
    def forward(ctx, start, end, weight):
        ctx.shapes, ctx.dtypes, ctx.weight = (start._data.shape, end._data.shape), (start.dtype, end.dtype), weight
        a, b = promoted(start, end)
        return a + weight * (b - a)

    @staticmethod
    def backward(ctx, grad):
        (start_shape, end_shape), (start_dtype, end_dtype) = ctx.shapes, ctx.dtypes
        grad_start = sum_to(grad * (1 - ctx.weight), start_shape, start_dtype) if ctx.needs_input_grad[0] else None
        grad_end = sum_to(grad * ctx.weight, end_shape, end_dtype) if ctx.needs_input_grad[1] else None
        return grad_start, grad_end, None


class LerpTensor(Function):
    """start + w·(end - start) for a tensor w;  d/dstart = 1 - w,  d/dend = w,  d/dw = end - start."""

    _name = "LerpBackward1"
    _backward_on_arrays = True

    @staticmethod
    def forward(ctx, start, end, weight):
        ctx.save_for_backward(start, end, weight)
        a, b = promoted(start, end)
        return a + weight._data.astype(a.dtype, copy=False) * (b - a)

    @staticmethod
    def backward(ctx, grad):
        start, end, weight = ctx.saved_tensors
        needs = ctx.needs_input_grad
        return (sum_to(grad * (1 - weight), start.shape, start.dtype) if needs[0] else None,
                sum_to(grad * weight, end.shape, end.dtype) if needs[1] else None,
                sum_to(grad * (end - start), weight.shape, weight.dtype) if needs[2] else None)


# ----- functions ----------------------------------------------------------------------------------------------------
def round(input, *, decimals=0):
    """Nearest integer (halves to even, as numpy and PyTorch do), or ``decimals`` places after the point."""
    decimals = arguments.int_argument("round", "decimals", decimals)
    return Round.apply(input) if decimals == 0 else RoundDecimals.apply(input, decimals)


def floor(input):
    """The largest integer <= each element: ``floor(-1.5)`` is -2. Its gradient is 0."""
    return Floor.apply(input)


def ceil(input):
    """The smallest integer >= each element: ``ceil(-1.5)`` is -1. Its gradient is 0."""
    return Ceil.apply(input)


def trunc(input):
    """Each element with its fractional part dropped, towards 0: ``trunc(-1.5)`` is -1. Its gradient is 0."""
    return Trunc.apply(input)


def fix(input):
    """Another name for ``trunc``."""
    return Trunc.apply(input)


def sign(input):
    """-1, 0 or 1 by the sign of each element. Its gradient is 0."""
    return Sign.apply(input)


def sgn(input):
    """x / |x| (0 at 0): the sign of each element, as for complex numbers; for real ones the same as ``sign``."""
    return Sgn.apply(input)


def frac(input):
    """The fractional part ``x - trunc(x)``, with x's sign: ``frac(-1.25)`` is -0.25. Its gradient is 1."""
    if not input.is_floating_point():
        raise NotImplementedError(f"\"frac_cpu\" not implemented for '{_type_word(input.dtype)}'")
    return Frac.apply(input)


def nan_to_num(input, nan=0.0, posinf=None, neginf=None):
    """nan, inf and -inf replaced by numbers (by default 0 and the dtype's largest and smallest finite values)."""
    if input.is_floating_point():
        info = np.finfo(input._data.dtype)
        posinf = info.max if posinf is None else posinf
        neginf = info.min if neginf is None else neginf
    return NanToNum.apply(input, nan, posinf, neginf)


def lerp(input, end, weight):
    """Linear interpolation: ``input + weight * (end - input)`` (weight 0 gives input, 1 gives end)."""
    arguments.tensor_argument("lerp", "end", 2, end)
    if input.dtype is not end.dtype:
        raise RuntimeError(f"expected dtype {input.dtype.cpp_name} for `end` but got dtype "
                           f"{end.dtype.cpp_name}")
    broadcast_shape(input.shape, end.shape)
    if isinstance(weight, arguments.Tensor):
        broadcast_shape(input.shape, end.shape, weight.shape)
        return LerpTensor.apply(input, end, weight)
    weight = arguments.number_argument("lerp", "weight", weight, 3)
    return Lerp.apply(input, end, weight)


from minigrad.tensor import _type_word  # noqa: E402
