"""Elementwise functions: each output element depends on the input element at the same position only.

So the Jacobian is diagonal and backward is a plain product: ``grad_input = grad * f'(x)``. Functions whose result is
never an integer (exp, log, sqrt, sin, cos, tanh, sigmoid) turn integer and bool inputs into float32, as PyTorch does.

Piecewise functions (relu, abs, masked_fill, where) pick their gradient with a mask: ``masked(grad, mask)``, grad
where the mask is True and 0 elsewhere. The mask itself is a constant (its derivative is zero almost everywhere), so
it is a plain numpy array outside the graph.
(clamp, maximum and minimum live with max and min in ``extrema.py``.)

Where the derivative is simplest in terms of the result (exp, sqrt, tanh, sigmoid, relu), backward uses the saved
result, as PyTorch does: changing that result in place before backward is then an error, as in PyTorch. A built-in
forward returns a numpy array, and the result tensor is made from it only afterwards, so it says
``ctx.save_for_backward(OUTPUT)``: "save what I am about to return" (a learner's Function, which returns a tensor,
saves it by name as in PyTorch). The node keeps the result's values, not the tensor, which would keep its own
``grad_fn`` alive.
"""
import numbers

import numpy as np

from minigrad.autograd.function import OUTPUT, Function, shared
from minigrad.ops import arguments
from minigrad.ops.arithmetic import as_operands, broadcast_shape, pow, promoted
from minigrad.ops import formula
from minigrad.ops.formula import backward_op, cast, constant, masked, scaled, sum_to, values
from minigrad.tensor import Tensor, _type_word

def _floating(data):
    """``data`` itself if it is floating point, else converted to float32 (PyTorch's default float dtype)."""
    return data if data.dtype.kind == "f" else data.astype(np.float32)


def _rounded_once(function, data):
    """``function`` of a float array; float32 values are computed in float64 and rounded once to float32.

    numpy's own float32 exp, tanh, sin and cos (SIMD code on AVX-512 CPUs) miss the nearest float32 by one unit in
    the last place for up to 40% of inputs (``exp(1.)`` among them). Rounded once, the result is the nearest float32,
    and that is what PyTorch gives for the values learners try (integers, halves, tenths): ``x.exp().log()`` of
    ``[1., 2.]`` prints ``[1., 2.]`` in both.
    """
    data = _floating(data)
    if data.dtype == np.float32:
        return function(data.astype(np.float64)).astype(np.float32)
    return function(data)


# ----- smooth functions -----------------------------------------------------------------------------------------
class Exp(Function):
    """exp(x);  d/dx = exp(x)."""

    _name = "ExpBackward0"
    _backward_on_arrays = True
    _saved_fields = {"result": 0}

    @staticmethod
    @np.errstate(over="ignore")  # exp(89.) is inf in float32, silently, like PyTorch
    def forward(ctx, x):
        ctx.save_for_backward(OUTPUT)
        return _rounded_once(np.exp, x._data)

    @staticmethod
    def backward(ctx, grad):
        (result,) = ctx.saved_tensors
        return grad * result


class Log(Function):
    """ln(x);  d/dx = 1/x."""

    _name = "LogBackward0"
    _backward_on_arrays = True
    _saved_fields = {"self": 0}

    @staticmethod
    @np.errstate(divide="ignore", invalid="ignore")  # log(0) = -inf, log(-1) = nan, silently
    def forward(ctx, x):
        ctx.save_for_backward(x)
        # numpy's float32 log already agrees with PyTorch's (both give log(exp(1.)) = 1.; rounded once from
        # float64 it would be 0.99999994), so it is not rounded through float64 as exp is
        return np.log(_floating(x._data))

    @staticmethod
    def backward(ctx, grad):
        (x,) = ctx.saved_tensors
        return grad / x


class Sqrt(Function):
    """√x;  d/dx = 1 / (2√x)."""

    _name = "SqrtBackward0"
    _backward_on_arrays = True
    _saved_fields = {"result": 0}

    @staticmethod
    @np.errstate(invalid="ignore")  # sqrt(-1) is nan, silently
    def forward(ctx, x):
        ctx.save_for_backward(OUTPUT)
        return np.sqrt(_floating(x._data))

    @staticmethod
    def backward(ctx, grad):
        (result,) = ctx.saved_tensors
        return grad / scaled(result, 2)


class Sin(Function):
    """sin(x);  d/dx = cos(x)."""

    _name = "SinBackward0"
    _backward_on_arrays = True
    _saved_fields = {"self": 0}

    @staticmethod
    def forward(ctx, x):
        ctx.save_for_backward(x)
        return _rounded_once(np.sin, x._data)

    @staticmethod
    def backward(ctx, grad):
        (x,) = ctx.saved_tensors
        return grad * formula.cos(x)


class Cos(Function):
    """cos(x);  d/dx = -sin(x)."""

    _name = "CosBackward0"
    _backward_on_arrays = True
    _saved_fields = {"self": 0}

    @staticmethod
    def forward(ctx, x):
        ctx.save_for_backward(x)
        return _rounded_once(np.cos, x._data)

    @staticmethod
    def backward(ctx, grad):
        (x,) = ctx.saved_tensors
        return grad * -formula.sin(x)


class Tanh(Function):
    """tanh(x);  d/dx = 1 - tanh(x)²."""

    _name = "TanhBackward0"
    _backward_on_arrays = True
    _saved_fields = {"result": 0}

    @staticmethod
    def forward(ctx, x):
        ctx.save_for_backward(OUTPUT)
        return _rounded_once(np.tanh, x._data)

    @staticmethod
    def backward(ctx, grad):
        (result,) = ctx.saved_tensors
        return backward_op(TanhBackward, grad, result)


class TanhBackward(Function):
    """Tanh's backward, grad·(1 - y²), as an op of its own (PyTorch's ``tanh_backward``), so that a gradient
    through tanh can be differentiated again;  d/dgrad = 1 - y²,  d/dy = -2·y·grad."""

    _name = "TanhBackwardBackward0"

    @staticmethod
    def formula(grad, y):
        return grad * (1 - y * y)

    @staticmethod
    def forward(ctx, grad, y):
        ctx.save_for_backward(grad, y)
        return TanhBackward.formula(grad._data, y._data)

    @staticmethod
    def backward(ctx, g):
        grad, y = ctx.saved_tensors
        grad_grad = TanhBackward.apply(g, y) if ctx.needs_input_grad[0] else None
        grad_y = g * (scaled(y, -2) * grad) if ctx.needs_input_grad[1] else None
        return grad_grad, grad_y


class Sigmoid(Function):
    """σ(x) = 1 / (1 + e^-x);  d/dx = σ(x)·(1 - σ(x))."""

    _name = "SigmoidBackward0"
    _backward_on_arrays = True
    _saved_fields = {"result": 0}

    @staticmethod
    @np.errstate(over="ignore")  # e^-x = inf for x < -88 gives exactly 0, as it should
    def forward(ctx, x):
        ctx.save_for_backward(OUTPUT)
        data = _floating(x._data)
        one = np.ones((), data.dtype)  # PyTorch's formula in the input's precision
        return one / (one + _rounded_once(np.exp, -data))

    @staticmethod
    def backward(ctx, grad):
        (result,) = ctx.saved_tensors
        return backward_op(SigmoidBackward, grad, result)


class SigmoidBackward(Function):
    """Sigmoid's backward, grad·y·(1 - y), as an op of its own (PyTorch's ``sigmoid_backward``), so that a
    gradient through sigmoid can be differentiated again;  d/dgrad = y·(1 - y),  d/dy = grad·(1 - 2y)."""

    _name = "SigmoidBackwardBackward0"

    @staticmethod
    def formula(grad, y):
        return grad * (y * (1 - y))

    @staticmethod
    def forward(ctx, grad, y):
        ctx.save_for_backward(grad, y)
        return SigmoidBackward.formula(grad._data, y._data)

    @staticmethod
    def backward(ctx, g):
        grad, y = ctx.saved_tensors
        grad_grad = SigmoidBackward.apply(g, y) if ctx.needs_input_grad[0] else None
        grad_y = g * (grad * (1 - scaled(y, 2))) if ctx.needs_input_grad[1] else None
        return grad_grad, grad_y


# ----- piecewise functions ----------------------------------------------------------------------------------------
class Abs(Function):
    """|x|;  d/dx = sign(x) (0 at x = 0, as PyTorch chooses)."""

    _name = "AbsBackward0"
    _backward_on_arrays = True
    _saved_fields = {"self": 0}

    @staticmethod
    def forward(ctx, x):
        ctx.save_for_backward(x)
        return np.abs(x._data)

    @staticmethod
    def backward(ctx, grad):
        (x,) = ctx.saved_tensors
        return grad * formula.sgn(x)


class Relu(Function):
    """max(x, 0);  d/dx = 1 where x > 0, else 0."""

    _name = "ReluBackward0"
    _backward_on_arrays = True
    _saved_fields = {"result": 0}

    @staticmethod
    def forward(ctx, x):
        ctx.save_for_backward(OUTPUT)
        return np.maximum(x._data, np.zeros((), x._data.dtype))

    @staticmethod
    def backward(ctx, grad):
        (result,) = ctx.saved_tensors
        return backward_op(ThresholdBackward, grad, result, 0)


class ThresholdBackward(Function):
    """ReLU's backward, grad where x > threshold and 0 elsewhere, as an op of its own (PyTorch's
    ``threshold_backward``, given relu's result), so that a gradient through relu can be differentiated again;
    d/dgrad = the same mask,  d/dx = 0 (the mask is flat)."""

    _name = "ThresholdBackwardBackward0"

    @staticmethod
    def formula(grad, x, threshold):
        return masked(grad, values(x) > threshold)

    @staticmethod
    def forward(ctx, grad, x, threshold):
        ctx.save_for_backward(x)
        ctx.threshold = threshold
        return ThresholdBackward.formula(grad._data, x._data, threshold)

    @staticmethod
    def backward(ctx, g):
        (x,) = ctx.saved_tensors
        grad_grad = ThresholdBackward.apply(g, x, ctx.threshold) if ctx.needs_input_grad[0] else None
        return grad_grad, formula.zeros_like(g) if ctx.needs_input_grad[1] else None, None


class MaskedFill(Function):
    """x with ``value`` where mask is True;  d/dx = 1 where mask is False, else 0."""

    _name = "MaskedFillBackward0"
    _backward_on_arrays = True

    @staticmethod
    def forward(ctx, x, mask, value):
        ctx.mask, ctx.input_shape = mask, x._data.shape
        return np.where(mask, np.asarray(value).astype(x._data.dtype), x._data)

    @staticmethod
    def backward(ctx, grad):
        return sum_to(formula.masked_fill(grad, ctx.mask, 0.0), ctx.input_shape), None, None


class MaskedFillTensor(Function):
    """x with a 0-d tensor ``value`` where mask is True;  d/dx = not mask,  d/dvalue = number of filled places."""

    _name = "MaskedFillBackward1"
    _backward_on_arrays = True

    @staticmethod
    def forward(ctx, x, mask, value):
        ctx.mask, ctx.input_shape, ctx.value_dtype = mask, x._data.shape, value.dtype
        return np.where(mask, value._data.astype(x._data.dtype), x._data)

    @staticmethod
    def backward(ctx, grad):
        grad_x = sum_to(masked(grad, ~ctx.mask), ctx.input_shape) if ctx.needs_input_grad[0] else None
        grad_value = cast(masked(grad, ctx.mask).sum(), ctx.value_dtype) if ctx.needs_input_grad[2] else None
        return grad_x, None, grad_value


class Where(Function):
    """where(condition, a, b): a where condition is True, else b;  d/da = condition,  d/db = not condition."""

    _name = "WhereBackward0"
    _backward_on_arrays = True

    @staticmethod
    def forward(ctx, condition, a, b):
        # condition is a numpy array, not a tensor: it gets no gradient, so it is not an edge of the graph
        ctx.condition = condition
        ctx.inputs = shared((a._data.shape, b._data.shape, a.dtype, b.dtype))
        x, y = promoted(a, b)
        return np.where(condition, x, y)

    @staticmethod
    def backward(ctx, grad):
        condition = ctx.condition
        a_shape, b_shape, a_dtype, b_dtype = ctx.inputs
        grad_a = sum_to(masked(grad, condition), a_shape, a_dtype) if ctx.needs_input_grad[1] else None
        grad_b = sum_to(masked(grad, ~condition), b_shape, b_dtype) if ctx.needs_input_grad[2] else None
        return None, grad_a, grad_b


# ----- the functions ------------------------------------------------------------------------------------------------
def exp(input):
    return Exp.apply(input)


def log(input):
    return Log.apply(input)


def sqrt(input):
    return Sqrt.apply(input)


def sin(input):
    return Sin.apply(input)


def cos(input):
    return Cos.apply(input)


def tanh(input):
    return Tanh.apply(input)


def sigmoid(input):
    return Sigmoid.apply(input)


def abs(input):
    if input.dtype.name == "bool":
        raise NotImplementedError("\"abs_cpu\" not implemented for 'Bool'")
    return Abs.apply(input)


def relu(input):
    if input.dtype.name == "bool":
        raise RuntimeError("Boolean inputs not supported for relu")
    return Relu.apply(input)


def square(input):
    """x²: PyTorch computes it as ``x ** 2`` (node ``PowBackward0``)."""
    return pow(input, 2)


def masked_fill(input, mask=arguments.REQUIRED, value=arguments.REQUIRED):
    """A copy of ``input`` with ``value`` wherever ``mask`` (a bool tensor, broadcast) is True."""
    if value is arguments.REQUIRED:  # x.masked_fill(mask): which signature was meant, PyTorch cannot tell
        given = tuple(a for a in (input, mask) if a is not arguments.REQUIRED)
        raise arguments.invalid_combination("masked_fill", given, {}, (
            "Tensor input, Tensor mask, Tensor value", "Tensor input, Tensor mask, Number value"), (
            "Tensor mask, Tensor value", "Tensor mask, Number value"))
    value = arguments.numpy_bool_as_float(value)
    if not isinstance(mask, Tensor) or not isinstance(value, (Tensor, numbers.Number)):
        raise _masked_fill_arguments_error(mask, value)
    if mask.dtype.name != "bool":
        raise RuntimeError("masked_fill_ only supports boolean masks, but got mask with dtype "
                           f"{mask.dtype.cpp_name}")
    if isinstance(value, Tensor) and value.ndim:
        raise RuntimeError("masked_fill_ only supports a 0-dimensional value tensor, but got tensor with "
                           f"{value.ndim} dimension(s).")
    broadcast_shape(mask.shape, input.shape)
    if isinstance(value, Tensor):
        return MaskedFillTensor.apply(input, mask._data, value)
    return MaskedFill.apply(input, mask._data, value)


def _masked_fill_arguments_error(mask, value):
    """PyTorch's TypeError for wrong argument types; from the first wrong one on, types are marked with !...!."""
    described = []
    for argument in (mask, value):
        text = arguments.type_name(argument)
        if isinstance(argument, list):  # PyTorch shows a list's element types: list of [bool, bool]
            text += f" of [{', '.join(arguments.type_name(item) for item in argument)}]"
        described.append(text)
    first_bad = 0 if not isinstance(mask, Tensor) else 1
    marked = ["Tensor"] + [f"!{d}!" if i >= first_bad else d for i, d in enumerate(described)]
    got = ", ".join(["Tensor", arguments.type_name(mask), arguments.type_name(value)])
    why = f"      didn't match because some of the arguments have invalid types: ({', '.join(marked)})\n"
    return TypeError(f"masked_fill() received an invalid combination of arguments - got ({got}), but expected one "
                     f"of:\n * (Tensor input, Tensor mask, Tensor value)\n{why}"
                     f" * (Tensor input, Tensor mask, Number value)\n{why}")


def where(condition, input=None, other=None):
    """``input`` where ``condition`` is True, else ``other`` (either may be a number).

    With only a condition, the indices of its True elements, one tensor per dim (like ``nonzero(as_tuple=True)``).
    """
    if condition.dtype.name != "bool" and (input is not None or other is not None):
        raise RuntimeError("where expected condition to be a boolean tensor, but got a tensor with dtype "
                           f"{_type_word(condition.dtype)}")
    if input is None and other is None:
        return tuple(Tensor._make(i) for i in np.nonzero(np.atleast_1d(condition._data)))
    input, other = arguments.numpy_bool_as_float(input), arguments.numpy_bool_as_float(other)
    if not all(isinstance(v, (Tensor, numbers.Number)) for v in (input, other)):
        raise arguments.invalid_combination("where", (condition, input, other), {}, (
            "Tensor condition", "Tensor condition, Tensor input, Tensor other, *, Tensor out = None",
            "Tensor condition, Number self, Tensor other", "Tensor condition, Tensor input, Number other",
            "Tensor condition, Number self, Number other"))
    a, b = as_operands(input, other)
    broadcast_shape(condition.shape, a.shape, b.shape)
    return Where.apply(condition._data, a, b)
