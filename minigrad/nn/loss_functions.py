"""More losses: binary cross-entropy (on probabilities or on logits), L1 and smooth L1.

- binary_cross_entropy(p, t) = -(t·log p + (1 - t)·log(1 - p)), each log clamped at -100 as in PyTorch;
  d/dp = (p - t) / (p(1 - p)).
- binary_cross_entropy_with_logits(x, t) is the same on p = σ(x), computed without forming p (no log(0)):
  max(x, 0) - x·t + log(1 + e^(-|x|));  d/dx = σ(x) - t, the simplest gradient in deep learning.
- l1_loss = mean |x - t| (built from sub, abs and mean, as PyTorch builds it);
- smooth_l1_loss: ½d²/β where |d| < β, |d| - ½β elsewhere (d = x - t): quadratic near 0, linear far out;
  d/dx = d/β or sign(d).
"""
import warnings

import numpy as np

from minigrad.autograd.function import Function
from minigrad.nn.activation_functions import Softplus
from minigrad.ops.arithmetic import promoted
from minigrad.ops.formula import backward_op, cast, constant, sum_to, values
from minigrad.tensor import Tensor


def _reduce(values, reduction):
    if reduction == "mean":
        return np.asarray(values.mean(dtype=values.dtype))
    if reduction == "sum":
        return np.asarray(values.sum(dtype=values.dtype))
    return values


def _spread(grad, reduction, shape, count):
    """The gradient of the reduced loss for every term: the same value, divided by the count for a mean."""
    if reduction == "none":
        return grad
    grad = grad.expand(shape)
    return grad / count if reduction == "mean" else grad


class BinaryCrossEntropy(Function):
    """-w(t·log p + (1 - t)·log(1 - p));  d/dp = w(p - t) / (p(1 - p)),  d/dt = -w·logit(p) = w(log(1 - p) - log p)."""

    _name = "BinaryCrossEntropyBackward0"
    _backward_on_arrays = True

    @staticmethod
    def forward(ctx, p, t, weight, reduction):
        # weight comes as a numpy array (or None): a fixed scale, not an input the graph differentiates
        ctx.save_for_backward(p, t)
        ctx.reduction, ctx.weight = reduction, weight
        x, y = promoted(p, t)
        with np.errstate(divide="ignore"):
            terms = -(y * np.maximum(np.log(x), -100) + (1 - y) * np.maximum(np.log1p(-x), -100))
        if weight is not None:
            terms = terms * weight
        return _reduce(terms.astype(x.dtype), reduction)

    @staticmethod
    def backward(ctx, grad):
        p, t = ctx.saved_tensors
        needs_p, needs_t = ctx.needs_input_grad[:2]
        grad_p = backward_op(BinaryCrossEntropyBackward, grad, p, t, ctx.weight, ctx.reduction) if needs_p else None
        grad_t = _bce_target_gradient(grad, p, ctx.weight, ctx.reduction) if needs_t else None
        return (None if grad_p is None else cast(grad_p, values(p).dtype),
                None if grad_t is None else cast(grad_t, values(t).dtype), None, None)


class BinaryCrossEntropyBackward(Function):
    """BinaryCrossEntropy's backward for p, grad · w(p - t) / max(p(1 - p), 1e-12) (divided by n for the mean), as
    an op of its own (PyTorch's ``binary_cross_entropy_backward``), so that it can be differentiated again. For an
    incoming v, with ε = 1e-12 keeping the denominators off 0 as PyTorch's formulas do:
    d/dgrad = Σ v · w(p - t) / ((p + ε)(1 - p + ε)),  d/dp = v · grad · w(p² - 2pt + t) / ((p + ε)²(1 - p + ε)²),
    d/dt = -v · grad · w / max(p(1 - p), ε)  (each /n for the mean)."""

    _name = "BinaryCrossEntropyBackwardBackward0"

    @staticmethod
    def formula(grad, p, t, weight, reduction):
        result = grad * (p - t) / np.maximum((1 - p) * p, 1e-12)
        if weight is not None:
            result = result * weight
        return result / p.size if reduction == "mean" else result

    @staticmethod
    def forward(ctx, grad, p, t, weight, reduction):
        ctx.save_for_backward(grad, p, t)
        ctx.weight, ctx.reduction = weight, reduction
        return BinaryCrossEntropyBackward.formula(grad._data, p._data, t._data, weight, reduction)

    @staticmethod
    def backward(ctx, v):
        grad, p, t = ctx.saved_tensors
        needs_grad, needs_p, needs_t = ctx.needs_input_grad[:3]
        weight = None if ctx.weight is None else Tensor._make(ctx.weight)
        eps = 1e-12

        def scaled_down(x):  # times the weight, divided by n for the mean
            x = x if weight is None else x * weight
            return x / p.numel() if ctx.reduction == "mean" else x

        grad_grad = sum_to(scaled_down((p - t) / ((p + eps) * (1 - p + eps)) * v), grad.shape) if needs_grad else None
        curvature = (p * p - 2 * p * t + t) / ((p + eps) ** 2 * (1 - p + eps) ** 2)
        grad_p = scaled_down(curvature * (v * grad)) if needs_p else None
        grad_t = scaled_down(-v * grad / ((1 - p) * p).clamp(min=eps)) if needs_t else None
        return grad_grad, grad_p, grad_t, None, None


class Logit(Function):
    """logit(p) = log(p / (1 - p)), the inverse of sigmoid;  d/dp = 1 / (p(1 - p)). (Only the target gradient of
    binary_cross_entropy uses it here, as PyTorch's formula does: -logit(p).)"""

    _name = "LogitBackward0"
    _backward_on_arrays = True

    @staticmethod
    def forward(ctx, p):
        ctx.save_for_backward(p)
        return _logit(p._data)

    @staticmethod
    def backward(ctx, grad):
        (p,) = ctx.saved_tensors
        return grad / (p * (1 - p))


@np.errstate(divide="ignore", invalid="ignore")  # p = 0 or 1: -inf or inf, as in PyTorch
def _logit(p):
    return np.log(p / (1 - p))


def _bce_target_gradient(grad, p, weight, reduction):
    """PyTorch's ``binary_cross_entropy_target_backward``: -logit(p) · grad, times the weight, divided by n for the
    mean (on tensors: NegBackward0 of LogitBackward0, MulBackward0, DivBackward1)."""
    from minigrad.nn.functional import _DivByCount

    result = (-Logit.apply(p) if isinstance(p, Tensor) else -_logit(p)) * grad
    if weight is not None:
        result = result * constant(weight, result)
    if reduction != "mean":
        return result
    return _DivByCount.apply(result, values(p).size) if isinstance(result, Tensor) else result / values(p).size


class BinaryCrossEntropyWithLogits(Function):
    """BCE on p = σ(x), with pos_weight q scaling the positive term:
    (1 - t)·x + (1 + (q - 1)t)·log(1 + e^(-x));  d/dx = (1 + (q - 1)t)·σ(x) - q·t  (σ(x) - t without q)."""

    _name = "BinaryCrossEntropyWithLogitsBackward0"

    @staticmethod
    def forward(ctx, x, t, weight, pos_weight, reduction):
        # weight and pos_weight come as numpy arrays (or None): fixed scales, not inputs the graph differentiates
        ctx.save_for_backward(x, t)
        ctx.reduction, ctx.weight, ctx.pos_weight = reduction, weight, pos_weight
        a, y = promoted(x, t)
        softplus_neg = np.logaddexp(0, -a)  # log(1 + e^(-x)) without overflow
        if pos_weight is None:
            terms = (1 - y) * a + softplus_neg
        else:
            terms = (1 - y) * a + (1 + (pos_weight - 1) * y) * softplus_neg
        if weight is not None:
            terms = terms * weight
        return _reduce(terms.astype(a.dtype), reduction)

    @staticmethod
    def backward(ctx, grad):
        x, t = ctx.saved_tensors
        grad = _spread(grad, ctx.reduction, x.shape, x.numel())
        if ctx.weight is not None:
            grad = grad * Tensor._make(ctx.weight)
        s = x.sigmoid()
        pos_weight = None if ctx.pos_weight is None else Tensor._make(ctx.pos_weight)
        if pos_weight is None:
            slope, slope_t = s - t, -x
        else:
            slope = (1 + (pos_weight - 1) * t) * s - pos_weight * t
            slope_t = -x + (pos_weight - 1) * Softplus.apply(-x, 1.0, 20.0)  # log(1 + e^(-x))
        return (grad * slope if ctx.needs_input_grad[0] else None,
                grad * slope_t if ctx.needs_input_grad[1] else None, None, None, None)


class SmoothL1Loss(Function):
    """½d²/β where |d| < β, else |d| - ½β, with d = x - t;  d/dx = d/β or sign(d),  d/dt = -(d/dx)."""

    _name = "SmoothL1LossBackward0"

    @staticmethod
    def forward(ctx, x, t, reduction, beta):
        ctx.save_for_backward(x, t)
        ctx.reduction, ctx.beta = reduction, beta
        a, y = promoted(x, t)
        d = a - y
        size = np.abs(d)
        terms = np.where(size < beta, 0.5 * d * d / beta if beta else 0 * d, size - 0.5 * beta)
        return _reduce(terms.astype(a.dtype), reduction)

    @staticmethod
    def backward(ctx, grad):
        x, t = ctx.saved_tensors
        grad = _spread(grad, ctx.reduction, x.shape, x.numel())
        d = x - t
        near = Tensor._make(np.abs(d._data) < ctx.beta)
        slope = (d / ctx.beta if ctx.beta else d * 0).where(near, d.sign())
        return (grad * slope if ctx.needs_input_grad[0] else None,
                -(grad * slope) if ctx.needs_input_grad[1] else None, None, None)


def _same_size_warning(input, target):
    if target.shape != input.shape:
        warnings.warn(f"Using a target size ({target.shape}) that is different to the input size ({input.shape}). "
                      "This will likely lead to incorrect results due to broadcasting. Please ensure they have the "
                      "same size.", UserWarning, stacklevel=3)


def binary_cross_entropy(input, target, weight=None, size_average=None, reduce=None, reduction="mean"):
    """The loss for a yes/no prediction given as a probability in [0, 1] (e.g. after ``sigmoid``)."""
    from minigrad.nn.functional import _reduction_of

    reduction = _reduction_of(reduction, size_average, reduce)
    if target.shape != input.shape:
        raise ValueError(f"Using a target size ({target.shape}) that is different to the input size "
                         f"({input.shape}) is deprecated. Please ensure they have the same size.")
    if input.numel() and (input._data.min() < 0 or input._data.max() > 1):
        raise RuntimeError("all elements of input should be between 0 and 1")
    weight = None if weight is None else np.broadcast_to(weight._data, input.shape)
    return BinaryCrossEntropy.apply(input, target, weight, reduction)


def binary_cross_entropy_with_logits(input, target, weight=None, size_average=None, reduce=None, reduction="mean",
                                     pos_weight=None):
    """Binary cross-entropy on raw scores (logits): ``sigmoid`` and the loss in one stable step."""
    from minigrad.nn.functional import _reduction_of

    reduction = _reduction_of(reduction, size_average, reduce)
    if target.shape != input.shape:
        raise ValueError(f"Target size ({target.shape}) must be the same as input size ({input.shape})")
    weight = None if weight is None else np.broadcast_to(weight._data, input.shape)
    pos_weight = None if pos_weight is None else np.broadcast_to(pos_weight._data, input.shape)
    return BinaryCrossEntropyWithLogits.apply(input, target, weight, pos_weight, reduction)


def l1_loss(input, target, size_average=None, reduce=None, reduction="mean"):
    """Mean absolute error: mean |input - target|."""
    from minigrad.nn.functional import _reduction_of

    _same_size_warning(input, target)
    reduction = _reduction_of(reduction, size_average, reduce)
    terms = (input - target).abs()
    return terms.mean() if reduction == "mean" else terms.sum() if reduction == "sum" else terms


def smooth_l1_loss(input, target, size_average=None, reduce=None, reduction="mean", beta=1.0):
    """Squared error for small errors (below ``beta``), absolute error beyond: less sensitive to outliers."""
    from minigrad.nn.functional import _reduction_of

    _same_size_warning(input, target)
    reduction = _reduction_of(reduction, size_average, reduce)
    if beta < 0:
        raise RuntimeError("smooth_l1_loss does not support negative values for beta.")
    if beta == 0:
        return l1_loss(input, target, reduction=reduction)
    shape = np.broadcast_shapes(tuple(input.shape), tuple(target.shape))
    input = input if input.shape == shape else input.expand(shape)
    target = target if target.shape == shape else target.expand(shape)
    return SmoothL1Loss.apply(input, target, reduction, beta)
