"""Smooth and leaky relatives of ReLU, as ops: gelu, leaky_relu, elu, softplus, silu.

ReLU's gradient is exactly 0 for every negative input, so a unit that only sees negatives stops learning. These keep
a little slope there, or bend smoothly through 0:

- leaky_relu: x for x > 0, else a·x;                         d/dx = 1 or a
- elu:        x for x > 0, else α(eˣ - 1);                   d/dx = 1 or α·eˣ
- softplus:   log(1 + e^(βx)) / β (x itself past threshold); d/dx = σ(βx)
- silu:       x·σ(x);                                        d/dx = σ(x)·(1 + x(1 - σ(x)))
- gelu:       x·Φ(x), Φ the normal distribution's CDF;       d/dx = Φ(x) + x·φ(x)
  (``approximate='tanh'``: 0.5x(1 + tanh(√(2/π)(x + 0.044715x³))), the form GPT-2 used)
"""
import math

import numpy as np

from minigrad.autograd.function import OUTPUT, Function
from minigrad.ops import arguments
from minigrad.ops.elementwise import _rounded_once
from minigrad.ops.formula import added, backward_op, constant, subtracted_from, values, zeros_like
from minigrad.tensor import Tensor, _type_word

_erf = np.vectorize(math.erf, otypes=[np.float64])  # numpy has no erf; math's is exact to the last bit or two
_SQRT_2 = math.sqrt(2.0)
_SQRT_2_OVER_PI = math.sqrt(2.0 / math.pi)
_PDF_SCALE = 1 / math.sqrt(2 * math.pi)  # φ(x) = e^(-x²/2) / √(2π)


def _float_input(name, kernel, input):
    arguments.tensor_argument(name, "input", 1, input)
    if not input.is_floating_point():
        raise NotImplementedError(f"\"{kernel}\" not implemented for '{_type_word(input.dtype)}'")


class Gelu(Function):
    """x·Φ(x) with Φ(x) = (1 + erf(x/√2))/2;  d/dx = Φ(x) + x·φ(x), φ(x) = e^(-x²/2)/√(2π)."""

    _name = "GeluBackward0"
    _backward_on_arrays = True

    @staticmethod
    def forward(ctx, x, approximate):
        ctx.save_for_backward(x)
        ctx.approximate = approximate
        data = x._data
        if approximate == "tanh":
            return 0.5 * data * (1 + np.tanh(_SQRT_2_OVER_PI * (data + 0.044715 * data ** 3)))
        return (data * 0.5 * (1 + _erf(data / _SQRT_2))).astype(data.dtype)

    @staticmethod
    def backward(ctx, grad):
        (x,) = ctx.saved_tensors
        return backward_op(GeluBackward, grad, x, ctx.approximate), None


class GeluBackward(Function):
    """Gelu's backward, grad · gelu'(x), as an op of its own (PyTorch's ``gelu_backward``), so that its gradient
    can be differentiated again;  d/dgrad = gelu'(x),  d/dx = grad · gelu''(x), where gelu''(x) = φ(x)(2 - x²)
    (for ``approximate='tanh'``, 0.5x(1 + tanh u) with u = √(2/π)(x + 0.044715x³): (1 - tanh²u)(u' + x·u''/2 -
    x·tanh u·u'²))."""

    _name = "GeluBackwardBackward0"

    @staticmethod
    def formula(grad, x, approximate):
        # in x's precision, step by step as PyTorch's kernel computes it (so float32 rounds as it does there)
        if approximate == "tanh":
            t = _rounded_once(np.tanh, _SQRT_2_OVER_PI * (x + 0.044715 * (x * x * x)))
            slope = 0.5 * (1 + t) + 0.5 * x * (1 - t * t) * (_SQRT_2_OVER_PI * (1 + 3 * 0.044715 * (x * x)))
        else:
            cdf = 0.5 * (1 + _erf(x * (1 / _SQRT_2)).astype(x.dtype))
            slope = cdf + x * (_PDF_SCALE * _rounded_once(np.exp, x * x * -0.5))
        return grad * slope

    @staticmethod
    def forward(ctx, grad, x, approximate):
        ctx.save_for_backward(grad, x)
        ctx.approximate = approximate
        return GeluBackward.formula(grad._data, x._data, approximate)

    @staticmethod
    def backward(ctx, v):
        grad, x = ctx.saved_tensors
        grad_grad = GeluBackward.apply(v, x, ctx.approximate) if ctx.needs_input_grad[0] else None
        if not ctx.needs_input_grad[1]:
            return grad_grad, None, None
        if ctx.approximate == "tanh":
            slope = (1 + x * x * (3 * 0.044715)) * _SQRT_2_OVER_PI  # u'
            t = ((x + x * x * x * 0.044715) * _SQRT_2_OVER_PI).tanh()
            curvature = (1 - t * t) * (slope + x * x * (3 * 0.044715 * _SQRT_2_OVER_PI) - x * t * slope * slope)
        else:
            curvature = (x * x * -0.5).exp() / math.sqrt(2 * math.pi) * (2 - x * x)
        return grad_grad, v * grad * curvature, None


class LeakyRelu(Function):
    """x for x > 0, else slope·x;  d/dx = 1 for x > 0, else slope."""

    _name = "LeakyReluBackward0"
    _backward_on_arrays = True

    @staticmethod
    def forward(ctx, x, slope):
        ctx.save_for_backward(x)
        ctx.slope = slope
        return np.where(x._data > 0, x._data, x._data * slope).astype(x._data.dtype)

    @staticmethod
    def backward(ctx, grad):
        (x,) = ctx.saved_tensors
        return backward_op(LeakyReluBackward, grad, x, ctx.slope), None


class LeakyReluInPlace(LeakyRelu):
    """leaky_relu in place (``inplace=True``): as PyTorch's ``leaky_relu_``, the node keeps the result, not the input
    it overwrote, and reads the gradient's mask from it (the result is > 0 where the input was, for a slope >= 0)."""

    _name = "LeakyReluBackward1"

    @staticmethod
    def forward(ctx, x, slope):
        result = LeakyRelu.forward(ctx, x, slope)
        ctx.save_for_backward(OUTPUT)  # (the result, in place of the input LeakyRelu.forward saved)
        return result

    @staticmethod
    def backward(ctx, grad):
        if ctx.slope < 0:  # a negative slope flips signs: the result no longer tells where the input was > 0
            raise RuntimeError(
                "In-place leakyReLu backward calculation is triggered with a negative slope which is not supported. "
                "This is caused by calling in-place forward function with a negative slope, please call out-of-place "
                "version instead. File an issue at https://github.com/pytorch/pytorch if you do require supporting "
                "in-place leakRelu backward calculation with negative slope")
        (result,) = ctx.saved_tensors
        return backward_op(LeakyReluBackward, grad, result, ctx.slope), None


class LeakyReluBackward(Function):
    """LeakyRelu's backward, grad · (1 where x > 0, else slope), as an op of its own (PyTorch's
    ``leaky_relu_backward``), so that its gradient can be differentiated again;  d/dgrad = the same factor,
    d/dx = 0 (the factor is flat in x)."""

    _name = "LeakyReluBackwardBackward0"

    @staticmethod
    def formula(grad, x, slope):
        x = values(x)
        return grad * constant(np.where(x > 0, 1.0, slope).astype(x.dtype), grad)

    @staticmethod
    def forward(ctx, grad, x, slope):
        ctx.save_for_backward(x)
        ctx.slope = slope
        return LeakyReluBackward.formula(grad._data, x._data, slope)

    @staticmethod
    def backward(ctx, v):
        (x,) = ctx.saved_tensors
        grad_grad = LeakyReluBackward.apply(v, x, ctx.slope) if ctx.needs_input_grad[0] else None
        return grad_grad, zeros_like(v) if ctx.needs_input_grad[1] else None, None


class Elu(Function):
    """x for x > 0, else α(eˣ - 1);  d/dx = 1 for x > 0, else α·eˣ."""

    _name = "EluBackward0"
    _backward_on_arrays = True

    @staticmethod
    def forward(ctx, x, alpha):
        ctx.save_for_backward(x)
        ctx.alpha = alpha
        with np.errstate(over="ignore"):
            return np.where(x._data > 0, x._data, alpha * np.expm1(np.minimum(x._data, 0))).astype(x._data.dtype)

    @staticmethod
    def backward(ctx, grad):
        (x,) = ctx.saved_tensors
        return backward_op(EluBackward, grad, x, ctx.alpha), None


class EluInPlace(Elu):
    """elu in place (``inplace=True``): as PyTorch's ``elu_``, the node keeps the result y, not the input it
    overwrote, and the gradient is read from it: α·eˣ = y + α where y <= 0."""

    _name = "EluBackward1"

    @staticmethod
    def forward(ctx, x, alpha):
        result = Elu.forward(ctx, x, alpha)
        ctx.save_for_backward(OUTPUT)
        return result

    @staticmethod
    def backward(ctx, grad):
        (result,) = ctx.saved_tensors
        return backward_op(EluBackward, grad, result, ctx.alpha, True), None


class EluBackward(Function):
    """Elu's backward, grad · α·eˣ where x <= 0 and grad elsewhere, as an op of its own (PyTorch's
    ``elu_backward``);  d/dgrad = the same factor,  d/dx = grad · α·eˣ where x <= 0, else 0. Given the result y
    instead (``is_result``, for elu in place) the factor is y + α where y <= 0, and d/dy = grad where y < 0."""

    _name = "EluBackwardBackward0"

    @staticmethod
    def formula(grad, x, alpha, is_result=False):
        if is_result:
            return np.where(x <= 0, grad * (x + alpha), grad).astype(grad.dtype)
        return np.where(x <= 0, grad * alpha * _rounded_once(np.exp, np.minimum(x, 0)), grad).astype(grad.dtype)

    @staticmethod
    def forward(ctx, grad, x, alpha, is_result=False):
        ctx.save_for_backward(grad, x)
        ctx.alpha, ctx.is_result = alpha, is_result
        return EluBackward.formula(grad._data, x._data, alpha, is_result)

    @staticmethod
    def backward(ctx, v):
        grad, x = ctx.saved_tensors
        grad_grad = EluBackward.apply(v, x, ctx.alpha, ctx.is_result) if ctx.needs_input_grad[0] else None
        if not ctx.needs_input_grad[1]:
            return grad_grad, None, None, None
        if ctx.is_result:
            return grad_grad, v * grad * constant((x._data < 0).astype(x._data.dtype), v), None, None
        curved = v * grad * ctx.alpha * x.clamp(max=0).exp()
        return grad_grad, curved.where(constant(x._data <= 0, v), 0.0), None, None


class Softplus(Function):
    """log(1 + e^(βx)) / β, or x where βx > threshold (equal there to float precision);  d/dx = σ(βx), 1 past it."""

    _name = "SoftplusBackward0"
    _backward_on_arrays = True

    @staticmethod
    def forward(ctx, x, beta, threshold):
        ctx.save_for_backward(x)
        ctx.beta, ctx.threshold = beta, threshold
        scaled = x._data * beta
        with np.errstate(over="ignore", divide="ignore", invalid="ignore"):
            return np.where(scaled > threshold, x._data, np.logaddexp(0, scaled) / beta).astype(x._data.dtype)

    @staticmethod
    def backward(ctx, grad):
        (x,) = ctx.saved_tensors
        return backward_op(SoftplusBackward, grad, x, ctx.beta, ctx.threshold), None, None


class SoftplusBackward(Function):
    """Softplus's backward, grad · σ(βx) (grad itself past the threshold), as an op of its own (PyTorch's
    ``softplus_backward``, which writes σ(βx) as z / (z + 1), z = e^(βx));  d/dgrad = the same factor,
    d/dx = grad · β·σ(βx)(1 - σ(βx)) below the threshold, 0 past it."""

    _name = "SoftplusBackwardBackward0"

    @staticmethod
    @np.errstate(over="ignore", invalid="ignore")  # e^(βx) overflows only past the threshold, where it is unused
    def formula(grad, x, beta, threshold):
        z = _rounded_once(np.exp, x * beta)
        return np.where(x * beta > threshold, grad, grad * z / (z + 1)).astype(grad.dtype)

    @staticmethod
    def forward(ctx, grad, x, beta, threshold):
        ctx.save_for_backward(grad, x)
        ctx.beta, ctx.threshold = beta, threshold
        return SoftplusBackward.formula(grad._data, x._data, beta, threshold)

    @staticmethod
    def backward(ctx, v):
        grad, x = ctx.saved_tensors
        beta, threshold = ctx.beta, ctx.threshold
        grad_grad = SoftplusBackward.apply(v, x, beta, threshold) if ctx.needs_input_grad[0] else None
        if not ctx.needs_input_grad[1]:
            return grad_grad, None, None, None
        s = (x * beta).sigmoid()
        below = constant((x._data * beta < threshold).astype(x._data.dtype), v)
        return grad_grad, v * grad * s * (1 - s) * below * beta, None, None


class Silu(Function):
    """x·σ(x) (also called swish);  d/dx = σ(x)·(1 + x·(1 - σ(x)))."""

    _name = "SiluBackward0"

    @staticmethod
    def forward(ctx, x):
        ctx.save_for_backward(x)
        return x._data * x.sigmoid()._data

    @staticmethod
    def backward(ctx, grad):
        (x,) = ctx.saved_tensors
        s = x.sigmoid()
        # written as PyTorch's C++ writes it: 1.0 + ... is a sum with a Scalar, 1.0 - s a filled tensor minus s
        return grad * s * added(x * subtracted_from(1.0, s), 1.0)


def _inplace(input, result):
    """PyTorch's ``inplace=True``: the result written into ``input`` (it must not be a leaf that requires grad)."""
    return input._write_inplace(lambda source: result(source))


def gelu(input, approximate="none"):
    """x·Φ(x): weights each input by how likely a standard normal draw is to be below it (a smooth ReLU)."""
    _float_input("gelu", "GeluKernelImpl", input)
    if approximate not in ("none", "tanh"):
        raise RuntimeError("approximate argument must be either none or tanh.")
    return Gelu.apply(input, approximate)


def leaky_relu(input, negative_slope=0.01, inplace=False):
    """x for x > 0, else ``negative_slope``·x: negative inputs keep a small gradient."""
    _float_input("leaky_relu", "leaky_relu_cpu", input)
    negative_slope = arguments.number_argument("leaky_relu", "negative_slope", negative_slope, 2)
    if inplace:
        return _inplace(input, lambda source: LeakyReluInPlace.apply(source, negative_slope))
    return LeakyRelu.apply(input, negative_slope)


def elu(input, alpha=1.0, inplace=False):
    """x for x > 0, else ``alpha``·(eˣ - 1): bends smoothly down to -alpha."""
    _float_input("elu", "elu_cpu", input)
    if inplace:
        return _inplace(input, lambda source: EluInPlace.apply(source, alpha))
    return Elu.apply(input, alpha)


def softplus(input, beta=1.0, threshold=20.0):
    """log(1 + e^(βx)) / β, a smooth ReLU; x itself where βx > ``threshold`` (equal there to float precision)."""
    _float_input("softplus", "softplus_cpu", input)
    return Softplus.apply(input, beta, threshold)


def silu(input, inplace=False):
    """x·σ(x) (swish): like ReLU for large |x|, smooth and slightly negative around 0."""
    _float_input("silu", "silu_cpu", input)
    if inplace:
        return _inplace(input, lambda source: Silu.apply(source))
    return Silu.apply(input)
