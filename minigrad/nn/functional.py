"""``minigrad.nn.functional`` (``F``): the maths behind the layers and losses, as plain functions.

``F.linear`` is ``addmm`` (``AddmmBackward0``, from ``minigrad.ops.linalg``); ``F.mse_loss`` and ``F.nll_loss`` are
ops of their own here (``MseLoss``, ``NllLoss``),
named as PyTorch names their graph nodes; ``F.cross_entropy`` is ``nll_loss(log_softmax(x))``, so its graph shows
``NllLossBackward0`` fed by ``LogSoftmaxBackward0``, as in PyTorch.
"""
import warnings

import numpy as np

from minigrad import ops
from minigrad.autograd.function import Function
from minigrad.ops.arguments import type_name
from minigrad.ops.arithmetic import promoted, sum_to
from minigrad.ops.formula import backward_op, cast, constant, scaled, unsqueeze, values, zeros_like
from minigrad.ops.linalg import Addmm
from minigrad.tensor import Tensor, _type_word


# ----- linear layer -------------------------------------------------------------------------------------------
def _addmm(bias, mat1, mat2):
    """``bias + mat1 @ mat2`` for matrices, with PyTorch's checks (all made before anything is computed)."""
    if bias.dtype is not mat2.dtype:
        raise RuntimeError(f"self and mat2 must have the same dtype, but got {_type_word(bias.dtype)} and "
                           f"{_type_word(mat2.dtype)}")
    if mat1.dtype is not mat2.dtype:
        raise RuntimeError(f"mat1 and mat2 must have the same dtype, but got {_type_word(mat1.dtype)} and "
                           f"{_type_word(mat2.dtype)}")
    if mat1.shape[1] != mat2.shape[0]:
        raise RuntimeError(f"mat1 and mat2 shapes cannot be multiplied ({mat1.shape[0]}x{mat1.shape[1]} and "
                           f"{mat2.shape[0]}x{mat2.shape[1]})")
    rows, columns = mat1.shape[0], mat2.shape[1]
    shape = bias._data.shape
    if len(shape) > 2 or any(n != 1 and n != want for n, want in zip(reversed(shape), (columns, rows))):
        bias.detach().expand(rows, columns)  # a bias that does not broadcast: expand raises PyTorch's error
    return Addmm.apply(bias, mat1, mat2)


def linear(input, weight, bias=None):
    """y = x Wᵀ + b, for x of shape (..., in_features) and W of shape (out_features, in_features).

    The graph is the one PyTorch builds: ``AddmmBackward0`` for a matrix input with a bias; other inputs with a
    bias are flattened to a matrix first (``ViewBackward0`` on both sides); without a bias it is a ``matmul``.
    """
    if not isinstance(input, Tensor):
        raise TypeError(f"linear(): argument 'input' (position 1) must be Tensor, not {type_name(input)}")
    if input.dim() == 0 or weight.dim() == 0:
        raise RuntimeError(f"both arguments to linear need to be at least 1D, but they are {input.dim()}D and "
                           f"{weight.dim()}D")
    if bias is not None and input.dim() == 2:
        return _addmm(bias, input, weight.t())
    if bias is not None and input._data.flags.c_contiguous:
        # flatten every leading dim into one batch dim, multiply, then restore them
        rows = int(np.prod(input.shape[:-1], dtype=np.int64))
        output = _addmm(bias, input.reshape(rows, input.shape[-1]), weight.t())
        return output.view(*input.shape[:-1], output.shape[1])
    output = ops.matmul(input, weight.t())
    return output if bias is None else output + bias


# ----- activations --------------------------------------------------------------------------------------------
def relu(input, inplace=False):
    """max(x, 0)."""
    if not isinstance(input, Tensor):
        raise TypeError(f"relu(): argument 'input' (position 1) must be Tensor, not {type_name(input)}")
    return input.relu_() if inplace else input.relu()


def sigmoid(input):
    return input.sigmoid()


def tanh(input):
    return input.tanh()


def _softmax_dim(name, ndim, stacklevel):
    """PyTorch's old default dim, with its deprecation warning."""
    warnings.warn(f"Implicit dimension choice for {name} has been deprecated. Change the call to include dim=X as "
                  "an argument.", UserWarning, stacklevel=stacklevel)
    return 0 if ndim in (0, 1, 3) else 1


def softmax(input, dim=None, _stacklevel=3, dtype=None):
    """exp(x_i) / Σ_j exp(x_j) along ``dim``: turns scores into probabilities."""
    if dim is None:
        dim = _softmax_dim("softmax", input.dim(), _stacklevel)
    if dtype is not None:
        input = input.to(dtype)
    return input.softmax(dim)


def log_softmax(input, dim=None, _stacklevel=3, dtype=None):
    """x_i - log Σ_j exp(x_j) along ``dim``: the log of softmax, computed without overflow."""
    if dim is None:
        dim = _softmax_dim("log_softmax", input.dim(), _stacklevel)
    if dtype is not None:
        input = input.to(dtype)
    return input.log_softmax(dim)


# ----- losses -------------------------------------------------------------------------------------------------
def _reduction_of(reduction, size_average=None, reduce=None):
    """Check ``reduction`` (or turn the old ``size_average``/``reduce`` flags into it), as PyTorch does."""
    if size_average is not None or reduce is not None:
        size_average = True if size_average is None else size_average
        reduce = True if reduce is None else reduce
        reduction = "mean" if size_average and reduce else "sum" if reduce else "none"
        warnings.warn(f"size_average and reduce args will be deprecated, please use reduction='{reduction}' "
                      "instead.", UserWarning, stacklevel=3)
    if reduction == "elementwise_mean":
        warnings.warn("reduction='elementwise_mean' is deprecated. Please use reduction='mean' instead.",
                      UserWarning, stacklevel=3)
        return "mean"
    if reduction not in ("none", "mean", "sum"):
        raise ValueError(f"{reduction} is not a valid value for reduction")
    return reduction


class MseLoss(Function):
    """(x - y)², averaged or summed;  d/dx = 2(x - y) (divided by n for the mean),  d/dy = -2(x - y)."""

    _name = "MseLossBackward0"
    _backward_on_arrays = True

    @staticmethod
    def forward(ctx, input, target, reduction):
        ctx.save_for_backward(input, target)
        ctx.reduction = reduction
        x, y = promoted(input, target)
        squared = (x - y) ** 2
        if reduction == "mean":
            return np.asarray(squared.mean(dtype=squared.dtype))
        if reduction == "sum":
            return np.asarray(squared.sum(dtype=squared.dtype))
        return squared

    @staticmethod
    def backward(ctx, grad):
        input, target = ctx.saved_tensors
        needs_input, needs_target = ctx.needs_input_grad[:2]
        # each gradient has its own input's dtype, even when the other side was wider
        return (cast(backward_op(MseLossBackward, grad, input, target, ctx.reduction), input.dtype)
                if needs_input else None,
                cast(backward_op(MseLossBackward, grad, target, input, ctx.reduction), target.dtype)
                if needs_target else None,
                None)


class MseLossBackward(Function):
    """MseLoss's backward for one side, 2(a - b) · grad (divided by n for the mean), as an op of its own (PyTorch's
    ``mse_loss_backward``; the other side's gradient is the same op with a and b swapped), so that the gradient of
    a squared error can be differentiated again. For an incoming v:  d/dgrad = Σ 2(a - b) · v (/n),
    d/da = 2 · grad · v (/n),  d/db = -2 · grad · v (/n)."""

    _name = "MseLossBackwardBackward0"

    @staticmethod
    def formula(grad, a, b, reduction):
        return (a - b) * _mse_norm(a, reduction) * grad

    @staticmethod
    def forward(ctx, grad, a, b, reduction):
        ctx.save_for_backward(grad, a, b)
        ctx.reduction = reduction
        return MseLossBackward.formula(grad._data, a._data, b._data, reduction)

    @staticmethod
    def backward(ctx, v):
        grad, a, b = ctx.saved_tensors
        norm = _mse_norm(a, ctx.reduction)
        needs_grad, needs_a, needs_b = ctx.needs_input_grad[:3]
        grad_grad = sum_to((a - b) * norm * v, grad.shape) if needs_grad else None
        grad_a = scaled(grad * v, norm) if needs_a or needs_b else None
        return grad_grad, grad_a if needs_a else None, -grad_a if needs_b else None, None


def _mse_norm(a, reduction):
    """The factor of a squared error's derivative: 2, or 2/n for the mean over n elements."""
    return 2 / values(a).size if reduction == "mean" else 2


def _broadcast_shape(a, b):
    """The common shape of two broadcast shapes, with PyTorch's error naming the first clash from the right."""
    ndim = max(len(a), len(b))
    a, b = (1,) * (ndim - len(a)) + tuple(a), (1,) * (ndim - len(b)) + tuple(b)
    for dim in reversed(range(ndim)):
        if a[dim] != b[dim] and a[dim] != 1 and b[dim] != 1:
            raise RuntimeError(f"The size of tensor a ({a[dim]}) must match the size of tensor b ({b[dim]}) at "
                               f"non-singleton dimension {dim}")
    return tuple(n if m == 1 else m for m, n in zip(a, b))


def mse_loss(input, target, size_average=None, reduce=None, reduction="mean", weight=None):
    """Mean squared error: mean((input - target)²) (or the sum, or every term with ``reduction="none"``)."""
    if target.shape != input.shape:
        warnings.warn(f"Using a target size ({target.shape}) that is different to the input size ({input.shape}). "
                      "This will likely lead to incorrect results due to broadcasting. Please ensure they have the "
                      "same size.", UserWarning, stacklevel=2)
    if size_average is not None or reduce is not None:
        reduction = _reduction_of(reduction, size_average, reduce)
    # broadcast first, as PyTorch does: a stretched side shows up as ExpandBackward0 in the graph
    shape = _broadcast_shape(input.shape, target.shape)
    input = input if input.shape == shape else input.expand(shape)
    target = target if target.shape == shape else target.expand(shape)
    if weight is None:
        return MseLoss.apply(input, target, _reduction_of(reduction))
    # a weighted loss is composed of ordinary ops: Σ w (x - y)² / Σ w for the mean
    if weight.shape != input.shape:
        raise ValueError("Weights and input must have the same size.")
    weighted = (input - target) ** 2 * weight
    if reduction == "none":
        return weighted
    if reduction == "sum":
        return weighted.sum()
    if reduction == "mean":
        return weighted.sum() / weight.sum()
    raise ValueError(f"Invalid reduction mode: {reduction}. Expected one of 'none', 'mean', 'sum'.")


class NllLoss(Function):
    """-w[t_i] · x[i, t_i] per row i (the log-probability of the right class), averaged with weights w[t_i];
    d/dx[i, t_i] = -w[t_i] (divided by Σ_i w[t_i] for the mean), and 0 for every other class."""

    _name = "NllLossBackward0"
    _backward_on_arrays = True

    @staticmethod
    def forward(ctx, input, target, weight, reduction, ignore_index):
        # target and weight come as numpy arrays: no gradient flows to them, so the node has one input edge
        log_probs = input._data if input.ndim == 2 else input._data[None]  # a single sample is a batch of one
        classes = target.reshape(-1)
        kept = classes != ignore_index
        if kept.all():  # the usual case: every row counts (with weight 1 when no class has a weight)
            safe_classes = classes
            row_weight = np.ones(len(classes), log_probs.dtype) if weight is None else weight[classes]
        else:
            safe_classes = np.where(kept, classes, 0)  # ignored rows read any valid class, then weigh 0
            class_weight = np.ones(log_probs.shape[1], log_probs.dtype) if weight is None else weight
            row_weight = np.where(kept, class_weight[safe_classes], 0).astype(log_probs.dtype)
        rows = np.arange(log_probs.shape[0])
        losses = -row_weight * log_probs[rows, safe_classes]
        # d(loss_i)/d(x[i, t_i]) = -w[t_i]; this matrix of coefficients is all backward needs
        coefficients = np.zeros_like(log_probs)
        coefficients[rows, safe_classes] = -row_weight
        if reduction == "mean":
            total_weight = row_weight.sum(dtype=log_probs.dtype)
            with np.errstate(divide="ignore", invalid="ignore"):  # all rows ignored: 0/0 = nan, as in PyTorch
                result = np.asarray(losses.sum(dtype=log_probs.dtype) / total_weight)
                coefficients = coefficients / total_weight
        elif reduction == "sum":
            result = np.asarray(losses.sum(dtype=log_probs.dtype))
        else:
            result = losses.reshape(target.shape)
        ctx.save_for_backward(input)  # not for its values: the node's second derivative has an edge to it
        ctx.coefficients = coefficients.reshape(input.shape)
        ctx.per_row = reduction == "none" and input.ndim == 2
        return result

    @staticmethod
    def backward(ctx, grad):
        (input,) = ctx.saved_tensors
        return backward_op(NllLossBackward, grad, input, ctx.coefficients, ctx.per_row), None, None, None, None


class NllLossBackward(Function):
    """NllLoss's backward, grad times the coefficients -w[t_i] (/Σ w for the mean) at each row's class and 0
    elsewhere, as an op of its own (PyTorch's ``nll_loss_backward``), so that the gradient of a classification
    loss can be differentiated again. It is linear in grad and does not depend on the input's values:
    d/dgrad = Σ coefficients · v (per row for reduction="none"),  d/dinput = 0."""

    _name = "NllLossBackwardBackward0"

    @staticmethod
    def formula(grad, input, coefficients, per_row):
        coefficients = constant(coefficients.astype(values(grad).dtype, copy=False), grad)
        if per_row:
            grad = unsqueeze(grad, 1)  # one gradient per row, spread over that row's classes
        return grad * coefficients

    @staticmethod
    def forward(ctx, grad, input, coefficients, per_row):
        ctx.coefficients, ctx.per_row = coefficients, per_row
        return NllLossBackward.formula(grad._data, input._data, coefficients, per_row)

    @staticmethod
    def backward(ctx, v):
        weighted = v * constant(ctx.coefficients.astype(values(v).dtype, copy=False), v)
        grad_grad = weighted.sum(1) if ctx.per_row else weighted.sum()
        return grad_grad, zeros_like(v), None, None


def nll_loss(input, target, weight=None, size_average=None, ignore_index=-100, reduce=None, reduction="mean"):
    """Negative log-likelihood: -input[i, target[i]], averaged. ``input`` holds log-probabilities (N, C) or (C)."""
    reduction = _reduction_of(reduction, size_average, reduce)
    if input.dim() < 1:
        raise ValueError(f"Expected 1 or more dimensions (got {input.dim()})")
    target_batch = target.shape[0] if target.dim() else 0
    if input.dim() != 1 and input.shape[0] != target_batch:
        raise ValueError(f"Expected input batch_size ({input.shape[0]}) to match target batch_size ({target_batch}).")
    if input.dim() > 2:
        raise NotImplementedError("minigrad's nll_loss and cross_entropy take inputs of shape (C) or (N, C), not "
                                  f"{input.dim()}-dimensional ones")
    if target.dim() > 1:
        raise RuntimeError("0D or 1D target tensor expected, multi-target not supported")
    if input.dim() == 1 and target.dim() == 1 and target.shape[0] != 1:
        raise ValueError(f"For 1D input, 1D target must have size 1, but got target size: {target.shape[0]}")
    n_classes = input.shape[-1]
    if weight is not None and tuple(weight.shape) != (n_classes,):
        raise RuntimeError(f"weight tensor should be defined either for all {n_classes} classes or no classes but "
                           f"got weight tensor of shape: {list(weight.shape)}")
    if target.dtype.name not in ("int64", "uint8"):
        raise RuntimeError(f"expected target dtype to be Long or Byte, but got {_type_word(target.dtype)}")
    classes = target._data.astype(np.int64, copy=False)
    if classes.size and not (0 <= classes.min() and classes.max() < n_classes):  # else look for the one to name
        out_of_bounds = (classes != ignore_index) & ((classes < 0) | (classes >= n_classes))
        if out_of_bounds.any():
            raise IndexError(f"Target {classes[out_of_bounds][0]} is out of bounds.")
    if input.dim() == 1:
        classes = classes.reshape(())  # a single sample: a (1,) target counts as a 0-d one, as in PyTorch
    weights = None if weight is None else weight._data.astype(input._data.dtype)
    return NllLoss.apply(input, classes, weights, reduction, ignore_index)


class _DivByCount(Function):
    """x / n for a Python number n (PyTorch's Tensor-by-Scalar division node);  d/dx = 1/n."""

    _name = "DivBackward1"

    @staticmethod
    def forward(ctx, x, n):
        ctx.n = n
        return x._data / np.asarray(n, x._data.dtype)

    @staticmethod
    def backward(ctx, grad):
        return grad / ctx.n, None


def cross_entropy(input, target, weight=None, size_average=None, ignore_index=-100, reduce=None, reduction="mean"):
    """-log softmax(input)[target]: small when the right class gets a high score. ``input`` holds raw scores.

    ``target`` holds class indices (int64), or, when it has the same shape as ``input``, class probabilities.
    """
    reduction = _reduction_of(reduction, size_average, reduce)
    class_dim = 0 if input.dim() == 1 else 1
    log_probs = input.log_softmax(class_dim)
    if target.shape != input.shape:
        return nll_loss(log_probs, target, weight, ignore_index=ignore_index, reduction=reduction)
    # class probabilities p: -Σ_c p_c log q_c for each sample
    if not target.dtype.is_floating_point:
        raise RuntimeError(f"Expected floating point type for target with class probabilities, got "
                           f"{_type_word(target.dtype)}")
    terms = log_probs * target
    if weight is not None:
        terms = terms * weight.reshape([-1 if d == class_dim else 1 for d in range(input.dim())])
    if reduction == "none":
        return -terms.sum(class_dim)
    if reduction == "sum":
        return -terms.sum()
    return _DivByCount.apply(-terms.sum(), input.numel() // input.shape[class_dim])


# ----- more activations and losses (in their own files), dropout and one_hot ------------------------------------
from minigrad.nn.activation_functions import elu, gelu, leaky_relu, silu, softplus  # noqa: E402
from minigrad.nn.loss_functions import (binary_cross_entropy, binary_cross_entropy_with_logits,  # noqa: E402
                                        l1_loss, smooth_l1_loss)


def dropout(input, p=0.5, training=True, inplace=False):
    """During training, zero each element with probability ``p`` and scale the rest by 1/(1 - p), so the expected
    value is unchanged; outside training (``model.eval()``), do nothing.

    The kept elements are those whose uniform draw u (float64, from the global generator) is below 1 - p: after
    ``manual_seed`` the mask is PyTorch's, element for element. The graph is ``input * mask / (1 - p)``
    (``MulBackward0``): the gradient flows through the kept elements only, scaled the same way.
    """
    from minigrad import random
    from minigrad.ops import arguments

    arguments.tensor_argument("dropout", "input", 1, input)
    if not 0.0 <= p <= 1.0:
        raise ValueError(f"dropout probability has to be between 0 and 1, but got {p}")
    if p == 0 or not training or input.numel() == 0:
        return input
    dtype = input._data.dtype
    if p == 1:
        noise = Tensor._make(np.zeros((), dtype))
    else:
        keep = random.uniform(input._data.shape, np.float64) < 1 - p
        noise = Tensor._make(keep.astype(dtype) / np.asarray(1 - p, dtype))
    return input.mul_(noise) if inplace else input * noise


def one_hot(tensor, num_classes=-1):
    """Class indices as rows of 0s with a 1 at the index: ``one_hot(tensor([0, 2]))`` is ``[[1, 0, 0], [0, 0, 1]]``
    (int64, one more dim than ``tensor``; never has a gradient)."""
    if not isinstance(tensor, Tensor):
        raise TypeError(f"one_hot(): argument 'input' (position 1) must be Tensor, not {type_name(tensor)}")
    if tensor.dtype.name != "int64":
        raise RuntimeError("one_hot is only applicable to index tensor of type LongTensor.")
    values = tensor._data
    if num_classes == -1:
        if values.size == 0:
            raise RuntimeError("Can not infer total number of classes from empty tensor.")
        num_classes = int(values.max()) + 1
    if values.size and values.min() < 0:
        raise RuntimeError("Class values must be non-negative.")
    if values.size and values.max() >= num_classes:
        raise RuntimeError("Class values must be smaller than num_classes.")
    return Tensor._make((values[..., None] == np.arange(num_classes)).astype(np.int64))
