"""Arithmetic: + - * / ** and negation, with broadcasting and PyTorch's dtype promotion.

Each op is a ``Function``: ``forward`` computes the values with numpy, ``backward`` turns the gradient of the output
into gradients of the inputs. The formulas use only operators and ``sum_to``, so the same text runs on numpy arrays
in a plain backward pass and on tensors when ``create_graph=True`` records it (see ``formula.py``). When an input was
broadcast, its gradient is summed back to its own shape (``sum_to``).

A Python number next to a tensor is an input of ``+ - * /`` as PyTorch takes it, which is why
``(x + 2).grad_fn.next_functions`` has a second entry ``(None, 0)``. It is kept as a 0-d numpy array of the
result's dtype (PyTorch's node keeps it as a number), not wrapped into a tensor: ``y * 1.0001`` then costs one
node and its result, nothing more (see ``Function._numbers_are_inputs``).

PyTorch computes inf - inf = nan or 1/0 = inf without a warning; numpy would warn, so forwards that can meet such
values run under ``np.errstate(...)``, used as a decorator (cheaper per call than a ``with`` block).
"""
import numbers

import numpy as np

from minigrad.autograd.function import OUTPUT, Function, shared
from minigrad.dtypes import result_type
from minigrad.ops.arguments import numpy_bool_as_float, type_name
from minigrad.ops import formula
from minigrad.ops.formula import log, masked_fill, scaled, sum_to, values, zeros_like
from minigrad.tensor import Tensor


def as_operands(a, b):
    """Both operands as tensors; a Python number becomes a 0-d tensor of the result's dtype."""
    if isinstance(a, Tensor) and isinstance(b, Tensor):
        return a, b
    a, b = number_operands(a, b)
    return (a if isinstance(a, Tensor) else Tensor._make(a)), (b if isinstance(b, Tensor) else Tensor._make(b))


def number_operands(a, b):
    """The operands of ``+ - * /``: a Python number becomes a 0-d numpy array of the result's dtype."""
    if isinstance(a, Tensor):
        if isinstance(b, Tensor):
            return a, b
        if a._data.dtype.kind == "f":
            return a, number_array(b, a._data.dtype)  # a number never widens a float tensor (result_type's rule)
    dtype = result_type(a, b).numpy
    if not isinstance(a, Tensor):
        a = number_array(a, dtype)
    if not isinstance(b, Tensor):
        b = number_array(b, dtype)
    return a, b


_FLOAT32_MAX = float(np.finfo(np.float32).max)


def number_array(number, dtype):
    """``number`` as a 0-d array of ``dtype``; one beyond float32's range becomes inf silently, as in PyTorch."""
    if isinstance(number, np.floating):  # compared as a Python float (an np.float16 overflows at float32's max)
        number = float(number)
    if abs(number) > _FLOAT32_MAX:  # rare: only then is numpy's overflow warning switched off
        with np.errstate(over="ignore"):
            return np.asarray(number, dtype)
    return np.asarray(number, dtype)


def broadcast_shape(*shapes):
    """The shape that broadcasting gives, or PyTorch's error naming the first pair of sizes that clash.

    Shapes are lined up from the right; a size 1 (or a missing dim) stretches to match the other size.
    """
    result = ()
    for shape in shapes:
        ndim = max(len(result), len(shape))
        a, b = (1,) * (ndim - len(result)) + tuple(result), (1,) * (ndim - len(shape)) + tuple(shape)
        for dim in reversed(range(ndim)):  # PyTorch checks from the last dim backwards
            m, n = a[dim], b[dim]
            if m != n and m != 1 and n != 1:
                raise RuntimeError(f"The size of tensor a ({m}) must match the size of tensor b ({n}) at "
                                   f"non-singleton dimension {dim}")
        result = tuple(n if m == 1 else m for m, n in zip(a, b))
    return result


def promoted(a, b):
    """The numpy arrays of two operands (tensors, or a tensor and a number's 0-d array), cast to their common
    (PyTorch-promoted) dtype; the shapes must broadcast."""
    x = a._data if isinstance(a, Tensor) else a
    y = b._data if isinstance(b, Tensor) else b
    if x.shape != y.shape and x.ndim and y.ndim:  # a 0-d operand (a number) always broadcasts
        broadcast_shape(x.shape, y.shape)
    if x.dtype != y.dtype:
        if not isinstance(a, Tensor):  # a number's array has the result's dtype already
            dtype = x.dtype
        elif not isinstance(b, Tensor):
            dtype = y.dtype
        else:
            dtype = result_type(a, b).numpy
        x, y = x.astype(dtype, copy=False), y.astype(dtype, copy=False)
    return x, y


def arrays_and_inputs(a, b):
    """For ``+ - * /``: the two operands' numpy arrays in their common dtype, and what the inputs' gradients must
    be summed and cast back to (their shapes and dtypes: one shared tuple for every node of the same kind)."""
    x = a._data if isinstance(a, Tensor) else a
    y = b._data if isinstance(b, Tensor) else b
    inputs = shared((x.shape, y.shape, x.dtype, y.dtype))
    if x.dtype != y.dtype or (x.shape != y.shape and x.ndim and y.ndim):
        x, y = promoted(a, b)  # cast to one dtype, or check the shapes broadcast (a 0-d operand always does)
    return x, y, inputs


class Add(Function):
    """a + alpha * b;  d/da = 1,  d/db = alpha."""

    _name = "AddBackward0"
    _backward_on_arrays = True
    _numbers_are_inputs = True
    _saved_fields = {"alpha": "alpha"}

    @staticmethod
    @np.errstate(over="ignore", invalid="ignore")  # inf - inf is nan, silently, like PyTorch
    def forward(ctx, a, b, alpha=1):
        x, y, ctx.inputs = arrays_and_inputs(a, b)
        ctx.alpha = alpha
        # alpha * y must not widen the result: bool + 2 * True stays bool in PyTorch (True)
        return x + y if alpha == 1 else (x + alpha * y).astype(x.dtype, copy=False)

    @staticmethod
    def backward(ctx, grad):
        a_shape, b_shape, a_dtype, b_dtype = ctx.inputs
        needs_a, needs_b = ctx.needs_input_grad[:2]
        grad_a = sum_to(grad, a_shape, a_dtype) if needs_a else None
        grad_b = sum_to(grad if ctx.alpha == 1 else grad * ctx.alpha, b_shape, b_dtype) if needs_b else None
        return grad_a, grad_b, None


class Sub(Function):
    """a - alpha * b;  d/da = 1,  d/db = -alpha."""

    _name = "SubBackward0"
    _backward_on_arrays = True
    _numbers_are_inputs = True
    _saved_fields = {"alpha": "alpha"}

    @staticmethod
    @np.errstate(over="ignore", invalid="ignore")
    def forward(ctx, a, b, alpha=1):
        x, y, ctx.inputs = arrays_and_inputs(a, b)
        ctx.alpha = alpha
        return x - y if alpha == 1 else x - alpha * y

    @staticmethod
    def backward(ctx, grad):
        a_shape, b_shape, a_dtype, b_dtype = ctx.inputs
        needs_a, needs_b = ctx.needs_input_grad[:2]
        grad_a = sum_to(grad, a_shape, a_dtype) if needs_a else None
        grad_b = sum_to(-grad if ctx.alpha == 1 else grad * -ctx.alpha, b_shape, b_dtype) if needs_b else None
        return grad_a, grad_b, None


class Rsub(Function):
    """number - a (``2 - x``);  d/da = -1."""

    _name = "RsubBackward1"
    _backward_on_arrays = True

    @staticmethod
    def forward(ctx, a, number):
        dtype = result_type(a, number).numpy  # 2.5 - int_tensor is float32, not numpy's float64
        return np.asarray(number, dtype) - a._data.astype(dtype, copy=False)

    @staticmethod
    def backward(ctx, grad):
        return -grad, None


class Mul(Function):
    """a * b;  d/da = b,  d/db = a."""

    _name = "MulBackward0"
    _backward_on_arrays = True
    _numbers_are_inputs = True
    _saved_fields = {"self": 0, "other": 1}

    @staticmethod
    @np.errstate(over="ignore", invalid="ignore")  # inf * 0 is nan, silently, like PyTorch
    def forward(ctx, a, b):
        # save only what backward will use: b for a's gradient, a for b's
        needs_a, needs_b = ctx.needs_input_grad
        ctx.save_for_backward(a if needs_b else None, b if needs_a else None)
        x, y, ctx.inputs = arrays_and_inputs(a, b)
        return x * y

    @staticmethod
    def backward(ctx, grad):
        a, b = ctx.saved_tensors
        a_shape, b_shape, a_dtype, b_dtype = ctx.inputs
        grad_a = sum_to(grad * b, a_shape, a_dtype) if b is not None else None
        grad_b = sum_to(grad * a, b_shape, b_dtype) if a is not None else None
        return grad_a, grad_b


class MulScalar(Function):
    """a * number, the product with a Scalar that PyTorch's own backward formulas use (``2 * result`` in sqrt's);
    d/da = number. A number in Python code is wrapped into a tensor instead (``Mul``): only formulas meet this one,
    through ``formula.scaled``."""

    _name = "MulBackward1"
    _backward_on_arrays = True
    _saved_fields = {"other": "number"}

    @staticmethod
    @np.errstate(over="ignore", invalid="ignore")
    def forward(ctx, a, number):
        ctx.number = number
        return a._data * np.asarray(number, result_type(a, number).numpy)

    @staticmethod
    def backward(ctx, grad):
        return scaled(grad, ctx.number), None


class AddScalar(Function):
    """a + number, the sum with a Scalar that PyTorch's own backward formulas use (``1.0 + x`` in silu's);
    d/da = 1. Like ``MulScalar``, only formulas meet it, through ``formula.added``."""

    _name = "AddBackward1"
    _backward_on_arrays = True

    @staticmethod
    @np.errstate(over="ignore", invalid="ignore")
    def forward(ctx, a, number):
        return a._data + np.asarray(number, result_type(a, number).numpy)

    @staticmethod
    def backward(ctx, grad):
        return grad, None


class Div(Function):
    """a / b;  d/da = 1/b,  d/db = -a/b²."""

    _name = "DivBackward0"
    _backward_on_arrays = True
    _numbers_are_inputs = True
    _saved_fields = {"self": 0, "other": 1}

    @staticmethod
    @np.errstate(divide="ignore", invalid="ignore")  # 1/0 is inf, 0/0 is nan, silently, like PyTorch
    def forward(ctx, a, b):
        # save only what backward will use: b for a's gradient, a and b for b's
        needs_a, needs_b = ctx.needs_input_grad
        ctx.save_for_backward(a if needs_b else None, b)
        x, y, ctx.inputs = arrays_and_inputs(a, b)
        if x.dtype.kind != "f":  # true division of integers gives the default float dtype, as in PyTorch
            x, y = x.astype(np.float32), y.astype(np.float32)
        return x / y

    @staticmethod
    def backward(ctx, grad):
        a, b = ctx.saved_tensors
        a_shape, b_shape, a_dtype, b_dtype = ctx.inputs
        needs_a, needs_b = ctx.needs_input_grad[:2]
        grad_a = sum_to(grad / b, a_shape, a_dtype) if needs_a else None
        grad_b = sum_to(-grad * (a / b / b), b_shape, b_dtype) if needs_b else None
        return grad_a, grad_b


class Reciprocal(Function):
    """1 / a;  d/da = -1/a²."""

    _name = "ReciprocalBackward0"
    _backward_on_arrays = True
    _saved_fields = {"result": 0}

    @staticmethod
    @np.errstate(divide="ignore")
    def forward(ctx, a):
        ctx.save_for_backward(OUTPUT)
        x = a._data if a._data.dtype.kind == "f" else a._data.astype(np.float32)
        return 1 / x

    @staticmethod
    def backward(ctx, grad):
        (result,) = ctx.saved_tensors
        return -grad * (result * result)


class Neg(Function):
    """-a;  d/da = -1."""

    _name = "NegBackward0"
    _backward_on_arrays = True

    @staticmethod
    def forward(ctx, a):
        return -a._data

    @staticmethod
    def backward(ctx, grad):
        return -grad


class PowScalar(Function):
    """a ** p for a number p;  d/da = p · a^(p-1)."""

    _name = "PowBackward0"
    _backward_on_arrays = True
    _saved_fields = {"self": 0, "exponent": "exponent"}

    @staticmethod
    @np.errstate(divide="ignore", invalid="ignore", over="ignore")
    def forward(ctx, a, exponent):
        ctx.save_for_backward(a)
        ctx.exponent = exponent
        dtype = result_type(a, exponent).numpy  # int tensor ** 0.5 is float32 (numpy alone would say float64)
        return np.power(a._data.astype(dtype, copy=False), np.asarray(exponent, dtype))

    @staticmethod
    def backward(ctx, grad):
        (a,) = ctx.saved_tensors
        p = ctx.exponent
        if p == 0:
            return zeros_like(grad), None
        return grad * scaled(a ** (p - 1), p), None


class Pow(Function):
    """a ** b for tensors;  d/da = b · a^(b-1),  d/db = a^b · ln a."""

    _name = "PowBackward1"
    _backward_on_arrays = True
    _saved_fields = {"self": 0, "exponent": 1}

    @staticmethod
    @np.errstate(divide="ignore", invalid="ignore")
    def forward(ctx, a, b):
        ctx.save_for_backward(a, b)
        x, y = promoted(a, b)
        return np.power(x, y)

    @staticmethod
    def backward(ctx, grad):
        a, b = ctx.saved_tensors
        # where b == 0 the term is b · a^(b-1) = 0 even at a = 0 (where a^-1 is inf): PyTorch masks it to 0
        grad_a = (sum_to(masked_fill(grad * b * a ** (b - 1), b == 0, 0.0), a.shape, a.dtype)
                  if ctx.needs_input_grad[0] else None)
        # where a == 0 the log is -inf but the true contribution is 0 (PyTorch masks it the same way)
        grad_b = (sum_to(grad * (a ** b) * masked_fill(log(a), a == 0, 0.0), b.shape, b.dtype)
                  if ctx.needs_input_grad[1] else None)
        return grad_a, grad_b


class RPow(Function):
    """number ** b (``2 ** x``);  d/db = number^b · ln(number)."""

    _name = "PowBackward2"
    _backward_on_arrays = True
    _saved_fields = {"self": "number", "result": 0}

    @staticmethod
    @np.errstate(divide="ignore", invalid="ignore", over="ignore")
    def forward(ctx, number, b):
        ctx.number = number
        ctx.save_for_backward(OUTPUT)
        dtype = result_type(number, b).numpy
        return np.power(np.asarray(number, dtype), b._data.astype(dtype, copy=False))

    @staticmethod
    def backward(ctx, grad):
        (result,) = ctx.saved_tensors
        grad_b = grad * scaled(result, float(np.log(ctx.number)))
        if ctx.number == 0:  # ln 0 = -inf, yet 0 ** b is flat for b >= 0 (where 0 ** b is 0 or 1, finite): 0 there
            grad_b = formula.where(np.isfinite(values(result)), 0.0, grad_b)
        return None, grad_b


# ----- the functions behind the operators -------------------------------------------------------------------------
def _check_other(name, other):
    """``other`` as the op takes it: a tensor or a number (a numpy bool read as a float), else PyTorch's TypeError."""
    if isinstance(other, (Tensor, float, int)):  # the common case first: the ABC check below is slower
        return other
    other = numpy_bool_as_float(other)
    if not isinstance(other, numbers.Number):
        raise TypeError(f"{name}(): argument 'other' (position 2) must be Tensor, not {type_name(other)}")
    return other


def _is_bool(value):
    return isinstance(value, bool) or (isinstance(value, Tensor) and value._data.dtype.kind == "b")


def _refuse_bool_subtraction(a, b):
    """PyTorch refuses ``-`` on booleans: ``mask1 - mask2`` is almost always a mistake for xor or not."""
    a_is_bool, b_is_bool = _is_bool(a), _is_bool(b)
    if a_is_bool and b_is_bool:
        raise RuntimeError("Subtraction, the `-` operator, with two bool tensors is not supported. Use the `^` or "
                           "`logical_xor()` operator instead.")
    if a_is_bool or b_is_bool:
        raise RuntimeError("Subtraction, the `-` operator, with a bool tensor is not supported. If you are trying to "
                           "invert a mask, use the `~` or `logical_not()` operator instead.")


def add(input, other, *, alpha=1):
    """``input + alpha * other``."""
    if alpha == 1 and isinstance(input, Tensor) and isinstance(other, Tensor):  # the common case, unchecked
        return Add.apply(input, other)
    other = _check_other("add", other)
    a, b = number_operands(input, other)
    return Add.apply(a, b, alpha) if alpha != 1 else Add.apply(a, b)


def sub(input, other, *, alpha=1):
    """``input - alpha * other``."""
    if alpha == 1 and isinstance(input, Tensor) and isinstance(other, Tensor):  # the common case, fewer checks
        _refuse_bool_subtraction(input, other)
        return Sub.apply(input, other)
    other = _check_other("sub", other)
    _refuse_bool_subtraction(input, other)
    a, b = number_operands(input, other)
    return Sub.apply(a, b, alpha) if alpha != 1 else Sub.apply(a, b)


def rsub(input, other):
    """``other - input`` (what ``2 - x`` calls)."""
    if isinstance(other, Tensor):
        return sub(other, input)
    _refuse_bool_subtraction(other, input)
    return Rsub.apply(input, other)


def mul(input, other):
    if isinstance(input, Tensor) and isinstance(other, Tensor):  # the common case, without the checks below
        return Mul.apply(input, other)
    other = _check_other("mul", other)
    return Mul.apply(*number_operands(input, other))


def div(input, other, *, rounding_mode=None):
    if rounding_mode is not None:
        raise NotImplementedError("minigrad supports only true division (rounding_mode=None)")
    if isinstance(input, Tensor) and isinstance(other, Tensor):  # the common case, without the checks below
        return Div.apply(input, other)
    other = _check_other("div", other)
    return Div.apply(*number_operands(input, other))


def rdiv(input, other):
    """``other / input`` (what ``2 / x`` calls): PyTorch computes it as ``reciprocal(x) * 2``."""
    if isinstance(other, Tensor):
        return div(other, input)
    return mul(reciprocal(input), other)


def reciprocal(input):
    return Reciprocal.apply(input)


def neg(input):
    if input.dtype.name == "bool":
        raise RuntimeError("Negation, the `-` operator, on a bool tensor is not supported. If you are trying to "
                           "invert a mask, use the `~` or `logical_not()` operator instead.")
    return Neg.apply(input)


def pow(input, exponent):
    """``input ** exponent`` for a tensor or a number on either side."""
    input, exponent = numpy_bool_as_float(input), numpy_bool_as_float(exponent)
    if not all(isinstance(v, (Tensor, numbers.Number)) for v in (input, exponent)) or not (
            isinstance(input, Tensor) or isinstance(exponent, Tensor)):
        raise TypeError(f"pow() received an invalid combination of arguments - got ({type_name(input)}, "
                        f"{type_name(exponent)}), but expected one of:\n"
                        " * (Tensor input, Tensor exponent, *, Tensor out = None)\n"
                        " * (Number self, Tensor exponent, *, Tensor out = None)\n"
                        " * (Tensor input, Number exponent, *, Tensor out = None)\n")
    if not isinstance(input, Tensor):
        return RPow.apply(input, exponent)
    if isinstance(exponent, Tensor):
        return Pow.apply(input, exponent)
    if not input.dtype.is_floating_point and isinstance(exponent, numbers.Integral) and exponent < 0:
        raise RuntimeError("Integers to negative integer powers are not allowed.")
    return PowScalar.apply(input, exponent)


pow.signatures = (  # as a function and as a method: what a misspelt keyword is told (x.pow(exp=2))
    ("Tensor input, Tensor exponent, *, Tensor out = None", "Number self, Tensor exponent, *, Tensor out = None",
     "Tensor input, Number exponent, *, Tensor out = None"), ("Tensor exponent", "Number exponent"))


def rpow(input, other):
    """``other ** input`` (what ``2 ** x`` calls)."""
    return pow(other, input)


class FloorDivide(Function):
    """a // b, rounded down.  Its derivative is zero almost everywhere; PyTorch does not define one."""

    _name = "NotImplemented"

    @staticmethod
    @np.errstate(divide="ignore", invalid="ignore")
    def forward(ctx, a, b):
        x, y = promoted(a, b)
        return np.floor_divide(x, y)

    @staticmethod
    def backward(ctx, grad):
        raise RuntimeError("the derivative for 'floor_divide' is not implemented.")


class Remainder(Function):
    """a % b (sign of b, as Python);  d/da = 1,  d/db = -floor(a / b)."""

    _name = "RemainderBackward0"

    @staticmethod
    @np.errstate(divide="ignore", invalid="ignore")
    def forward(ctx, a, b):
        ctx.save_for_backward(a, b)
        x, y = promoted(a, b)
        return np.remainder(x, y)

    @staticmethod
    def backward(ctx, grad):
        a, b = ctx.saved_tensors
        grad_a = sum_to(grad, a.shape, a.dtype) if ctx.needs_input_grad[0] else None
        grad_b = sum_to(-grad * (a // b), b.shape, b.dtype) if ctx.needs_input_grad[1] else None
        return grad_a, grad_b


def floor_divide(input, other):
    return FloorDivide.apply(*as_operands(input, other))


def remainder(input, other):
    return Remainder.apply(*as_operands(input, other))
