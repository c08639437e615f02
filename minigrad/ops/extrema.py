"""Largest and smallest: max, min, argmax, argmin, the elementwise maximum/minimum of two tensors, and clamp.

The output of a max is one of the inputs, so its gradient flows back to that input alone and every other element
gets 0. PyTorch's rules for ties, followed here:
- ``x.max()`` (over everything) shares the gradient evenly among all elements equal to the maximum;
- ``x.max(dim)`` also returns ``indices``, and the gradient goes only to the element at the returned index
  (the first maximum);
- ``maximum(a, b)`` gives half to each of a and b where they are equal.

``clamp(x, low, high)`` is ``min(max(x, low), high)``: its gradient goes to whichever of x, low, high it returned.
"""
import collections
import numbers

import numpy as np

from minigrad.autograd.function import OUTPUT, Function
from minigrad.dtypes import result_type
from minigrad.ops import arguments
from minigrad.ops.arguments import numpy_bool_as_float, type_name
from minigrad.ops.arithmetic import broadcast_shape, promoted
from minigrad.ops.elementwise import where
from minigrad.ops.formula import constant, masked, sum_to, unsqueeze, values, written_in_place
from minigrad.ops.reduction import normalize_dims
from minigrad.tensor import Tensor


def _values_indices(name):
    """The result type of ``max(dim)``: a tuple ``(values, indices)`` that also has those two attributes."""
    base = collections.namedtuple(name, ["values", "indices"])

    def __repr__(self):
        return f"minigrad.return_types.{name}(\nvalues={self.values!r},\nindices={self.indices!r})"

    return type(name, (base,), {"__slots__": (), "__repr__": __repr__, "__module__": "minigrad.return_types"})


max_result = _values_indices("max")
min_result = _values_indices("min")


class MaxAll(Function):
    """The largest element;  d/dx_i = 1/k for each of the k elements equal to it, 0 for the others."""

    _name = "MaxBackward1"
    _backward_on_arrays = True
    _saved_fields = {"self": 0, "result": 1}
    _reduce = staticmethod(np.max)

    @staticmethod
    def forward(ctx, x):
        ctx.save_for_backward(x, OUTPUT)
        return np.asarray(ctx._reduce(x._data))

    @staticmethod
    def backward(ctx, grad):
        x, result = ctx.saved_tensors
        x, best = values(x), values(result)
        winners = np.isnan(x) if np.isnan(best) else x == best  # a nan maximum: the nans share it
        return written_in_place(masked(grad / int(winners.sum()), winners), 1)  # PyTorch: zeros, masked_fill_


class MinAll(MaxAll):
    """The smallest element;  d/dx_i = 1/k for each of the k elements equal to it, 0 for the others."""

    _name = "MinBackward1"
    _reduce = staticmethod(np.min)


class MaxDim(Function):
    """The largest element along ``dim`` and its index;  d/dx_i = 1 at the returned index, 0 elsewhere."""

    _name = "MaxBackward0"
    _backward_on_arrays = True
    _arg = staticmethod(np.argmax)

    @staticmethod
    def forward(ctx, x, dim, keepdim):
        data = x._data if x._data.ndim else x._data.reshape(1)  # a 0-d tensor accepts dim 0 as a 1-element dim
        indices = np.expand_dims(ctx._arg(data, axis=dim), dim)  # first maximum (a nan counts as the maximum)
        values = np.take_along_axis(data, indices, axis=dim)
        ctx.input_shape, ctx.dim, ctx.keepdim, ctx.indices = x._data.shape, dim, keepdim, indices
        if not keepdim or x._data.ndim == 0:
            values, indices = values.squeeze(dim), indices.squeeze(dim)
            if x._data.ndim == 0:
                values, indices = values.reshape(()), indices.reshape(())
        indices = Tensor._make(indices.astype(np.int64))
        ctx.save_for_backward(indices)  # as PyTorch: indices changed in place since are refused by backward
        return values, indices

    @staticmethod
    def backward(ctx, grad):
        ctx.saved_tensors  # (checks the indices are as they were)
        if not ctx.input_shape:  # 0-d input: the value is the input itself
            return written_in_place(grad.copy() if type(grad) is np.ndarray else grad, 2), None, None
        if not ctx.keepdim:
            grad = unsqueeze(grad, ctx.dim)
        positions = np.arange(ctx.input_shape[ctx.dim]).reshape([-1 if d == ctx.dim else 1
                                                                 for d in range(len(ctx.input_shape))])
        chosen = positions == ctx.indices  # one True per slice along dim: the returned index
        return written_in_place(masked(grad, chosen), 2), None, None  # PyTorch: zeros, then scatter_


class MinDim(MaxDim):
    """The smallest element along ``dim`` and its index;  d/dx_i = 1 at the returned index, 0 elsewhere."""

    _name = "MinBackward0"
    _arg = staticmethod(np.argmin)


class Clamp(Function):
    """min(max(x, low), high) for numbers low, high;  d/dx = 1 where low <= x <= high, else 0."""

    _name = "ClampBackward1"
    _backward_on_arrays = True

    @staticmethod
    def forward(ctx, x, low, high):
        ctx.save_for_backward(x)
        ctx.low, ctx.high = low, high
        dtype = result_type(x, *(b for b in (low, high) if b is not None)).numpy
        data = x._data.astype(dtype, copy=False)
        if low is not None:
            data = np.maximum(data, np.asarray(low, dtype))
        if high is not None:
            data = np.minimum(data, np.asarray(high, dtype))
        return data

    @staticmethod
    def backward(ctx, grad):
        (x,) = ctx.saved_tensors
        x = values(x)
        inside = np.ones(x.shape, bool)
        if ctx.low is not None:
            inside &= x >= ctx.low
        if ctx.high is not None:
            inside &= x <= ctx.high
        return masked(grad, inside), None, None


class ClampTensor(Function):
    """min(max(x, low), high) for tensors low, high (broadcast);  each output element's gradient goes to the one
    of x, low, high that it equals: x where low <= x <= high, low where x < low (< high), high where x > high or
    high < low."""

    _name = "ClampBackward0"
    _backward_on_arrays = True

    @staticmethod
    def forward(ctx, x, low, high, has_low, has_high):
        # a missing bound still takes its slot (a placeholder tensor), so next_functions has PyTorch's 3 entries
        ctx.has = has_low, has_high
        ctx.save_for_backward(x, low if has_low else None, high if has_high else None)
        bounds = [b for b, present in ((low, has_low), (high, has_high)) if present]
        dtype = result_type(x, *bounds).numpy
        data = x._data.astype(dtype)
        if has_low:
            data = np.maximum(data, low._data.astype(dtype, copy=False))
        if has_high:
            data = np.minimum(data, high._data.astype(dtype, copy=False))
        return data

    @staticmethod
    def backward(ctx, grad):
        x, low, high = ctx.saved_tensors
        xd, low_values, high_values = values(x), values(low), values(high)
        inside = np.ones(grad.shape, bool)
        if low is not None:
            inside &= xd >= low_values
        if high is not None:
            inside &= xd <= high_values
        grads = [sum_to(masked(grad, inside), x.shape, x.dtype) if ctx.needs_input_grad[0] else None, None, None]
        if low is not None and ctx.needs_input_grad[1]:
            below = xd < low_values
            if high is not None:
                below = below & (low_values < high_values)  # when low > high the output is high, not low
            grads[1] = sum_to(masked(grad, below), low.shape, low.dtype)
        if high is not None and ctx.needs_input_grad[2]:
            above = xd > high_values
            if low is not None:
                above = above | (high_values < low_values)
            grads[2] = sum_to(masked(grad, above), high.shape, high.dtype)
        return grads[0], grads[1], grads[2], None, None




class Maximum(Function):
    """max(a, b) elementwise;  the gradient goes to the larger input, half to each on a tie."""

    _name = "MaximumBackward0"
    _saved_fields = {"self": 0, "other": 1}
    _larger_wins = True

    @staticmethod
    def forward(ctx, a, b):
        ctx.save_for_backward(a, b)
        x, y = promoted(a, b)
        return np.maximum(x, y) if ctx._larger_wins else np.minimum(x, y)  # both let nan win

    @staticmethod
    def backward(ctx, grad):
        a, b = ctx.saved_tensors
        x, y = promoted(a, b)
        shared = where(constant(x == y, grad), grad / 2, grad)
        a_loses, b_loses = (x < y, x > y) if ctx._larger_wins else (x > y, x < y)
        grad_a = sum_to(shared.masked_fill(constant(a_loses, grad), 0.0), a.shape, a.dtype)
        grad_b = sum_to(shared.masked_fill(constant(b_loses, grad), 0.0), b.shape, b.dtype)
        return (grad_a if ctx.needs_input_grad[0] else None), (grad_b if ctx.needs_input_grad[1] else None)


class Minimum(Maximum):
    """min(a, b) elementwise;  the gradient goes to the smaller input, half to each on a tie."""

    _name = "MinimumBackward0"
    _larger_wins = False


class ClampMin(Clamp):
    """max(x, low) for a number low (``clamp_min``);  d/dx = 1 where x >= low, else 0."""

    _name = "ClampMinBackward0"


class ClampMax(Clamp):
    """min(x, high) for a number high (``clamp_max``);  d/dx = 1 where x <= high, else 0."""

    _name = "ClampMaxBackward0"


class ClampMinTensor(ClampTensor):
    """max(x, low) for a tensor low;  d/dx = 1 where x >= low,  d/dlow = 1 where x < low."""

    _name = "ClampMinBackward1"


class ClampMaxTensor(ClampTensor):
    """min(x, high) for a tensor high;  d/dx = 1 where x <= high,  d/dhigh = 1 where x > high."""

    _name = "ClampMaxBackward1"


def _signature_error(name, got, why_not_first=""):
    """PyTorch's TypeError when no signature of max/min fits; ``why_not_first`` is its note under the first one."""
    return TypeError(f"{name}() received an invalid combination of arguments - got ({got}), but expected one of:\n"
                     f" * (Tensor input, *, Tensor out = None)\n{why_not_first}"
                     " * (Tensor input, Tensor other, *, Tensor out = None)\n"
                     " * (Tensor input, int dim, bool keepdim = False, *, tuple of Tensors out = None)\n")


def _keepdim_error(name, keepdim):
    """``max(x, dim=0, keepdim=1.5)``: in PyTorch's words for ``minigrad.max`` (which reads the keywords) and for
    the method ``x.max(dim=0, keepdim=1.5)`` (which checks the argument)."""
    error = _signature_error(name, f"Tensor, keepdim={type_name(keepdim)}, dim=int",
                             "      didn't match because some of the keywords were incorrect: keepdim, dim\n")
    error.method_form = TypeError(f"{name}(): argument 'keepdim' must be bool, not {type_name(keepdim)}")
    return error


def _keepdim_without_dim(name, keepdim):
    """``max(x, keepdim=True)``: keepdim only comes with a dim; PyTorch's words for the function and the method."""
    got = f"keepdim={type_name(keepdim)}"
    error = _signature_error(name, f"Tensor, {got}")
    why_not = "      didn't match because some of the keywords were incorrect: keepdim\n"
    error.method_form = TypeError(f"{name}() received an invalid combination of arguments - got ({got}, ), but "
                                  f"expected one of:\n * ()\n{why_not} * (Tensor other)\n{why_not}"
                                  " * (int dim, bool keepdim = False)\n")
    return error


def _reduce(name, all_op, dim_op, result_class, pairwise, input, dim, keepdim, other):
    if isinstance(dim, Tensor) or other is not None:  # max(a, b): the elementwise maximum of two tensors
        return pairwise(input, other if other is not None else dim)
    if dim is None:
        if keepdim is not arguments.NOT_GIVEN:
            raise _keepdim_without_dim(name, keepdim)
        if input.numel() == 0:
            raise RuntimeError(f"{name}(): Expected reduction dim to be specified for input.numel() == 0. Specify "
                               "the reduction dim with the 'dim' argument.")
        return all_op.apply(input)
    if not isinstance(dim, int):
        raise _signature_error(name, f"Tensor, {type_name(dim)}")
    keepdim = False if keepdim is arguments.NOT_GIVEN else keepdim
    if not isinstance(keepdim, bool):
        raise _keepdim_error(name, keepdim)
    dims = normalize_dims(dim, input.ndim)
    axis = dims[0] if dims else 0
    if input.ndim and input.shape[axis] == 0:
        raise IndexError(f"{name}(): Expected reduction dim {axis} to have non-zero size.")
    return result_class(*dim_op.apply(input, axis, keepdim))


def max(input, dim=None, keepdim=arguments.NOT_GIVEN, *, other=None):
    """``max(x)``: the largest element; ``max(x, dim)``: ``(values, indices)`` along dim; ``max(x, y)``: the
    elementwise maximum."""
    return _reduce("max", MaxAll, MaxDim, max_result, maximum, input, dim, keepdim, other)


def min(input, dim=None, keepdim=arguments.NOT_GIVEN, *, other=None):
    """``min(x)``: the smallest element; ``min(x, dim)``: ``(values, indices)`` along dim; ``min(x, y)``: the
    elementwise minimum."""
    return _reduce("min", MinAll, MinDim, min_result, minimum, input, dim, keepdim, other)


def _arg_reduce(name, numpy_op, input, dim, keepdim):
    if dim is not None:
        dim = arguments.int_argument(name, "dim", dim)  # argmax(dim=1.0) is refused, not read as dims to iterate
    arguments.bool_argument(name, "keepdim", keepdim)
    data = input._data
    if data.dtype == np.bool_:
        raise RuntimeError(f"{name}(): does not support bool input")
    if dim is None:
        if data.size == 0:
            raise IndexError(f"{name}(): Expected reduction dim to be specified for input.numel() == 0.")
        index = np.asarray(numpy_op(data), np.int64)  # position in the flattened tensor
        return Tensor._make(index.reshape((1,) * data.ndim) if keepdim else index)
    dims = normalize_dims(dim, data.ndim)
    if not dims:  # a 0-d tensor: its only element is at index 0
        return Tensor._make(np.zeros((), np.int64))
    if data.shape[dims[0]] == 0:
        raise IndexError(f"{name}(): Expected reduction dim {dims[0]} to have non-zero size.")
    return Tensor._make(np.asarray(numpy_op(data, axis=dims[0], keepdims=keepdim), np.int64))


def argmax(input, dim=None, keepdim=False):
    """Index of the first largest element (in the flattened tensor, or along ``dim``); never has a gradient."""
    return _arg_reduce("argmax", np.argmax, input, dim, keepdim)


def argmin(input, dim=None, keepdim=False):
    """Index of the first smallest element (in the flattened tensor, or along ``dim``); never has a gradient."""
    return _arg_reduce("argmin", np.argmin, input, dim, keepdim)


def _check_tensors(name, input, other):
    for argument, position, value in (("input", 1, input), ("other", 2, other)):
        if not isinstance(value, Tensor):
            raise TypeError(f"{name}(): argument '{argument}' (position {position}) must be Tensor, not "
                            f"{type_name(value)}")


def maximum(input, other):
    """The larger of two tensors, element by element (nan wins)."""
    _check_tensors("maximum", input, other)
    return Maximum.apply(input, other)


def minimum(input, other):
    """The smaller of two tensors, element by element (nan wins)."""
    _check_tensors("minimum", input, other)
    return Minimum.apply(input, other)


def _bounds_error(name, bounds):
    given = bounds if bounds[-1] is not None else bounds[:-1]
    got = ", ".join(type_name(b) for b in given)
    return TypeError(f"{name}() received an invalid combination of arguments - got (Tensor, {got}), but expected "
                     f"one of:\n * (Tensor input, Tensor min = None, Tensor max = None, *, Tensor out = None)\n"
                     f" * (Tensor input, Number min = None, Number max = None, *, Tensor out = None)\n")


def clamp(input, min=None, max=None):
    """Limit every element to ``[min, max]``: either bound may be left out, and either may be a tensor."""
    if min is None and max is None:
        raise RuntimeError("minigrad.clamp: At least one of 'min' or 'max' must not be None")
    min, max = bounds = (numpy_bool_as_float(min), numpy_bool_as_float(max))
    if not all(b is None or isinstance(b, (Tensor, numbers.Number)) for b in bounds):
        raise _bounds_error("clamp", bounds)
    tensors = [b for b in bounds if isinstance(b, Tensor)]
    if tensors and len(tensors) < sum(b is not None for b in bounds):
        # a tensor next to a number: PyTorch accepts it only as a number (a 0-d tensor that needs no gradient)
        if any(t.ndim or t.requires_grad for t in tensors):
            raise _bounds_error("clamp", bounds)
        min, max = (b.item() if isinstance(b, Tensor) else b for b in bounds)
        tensors = []
    if not tensors:
        return Clamp.apply(input, min, max)
    broadcast_shape(input.shape, *(b.shape for b in bounds if b is not None))
    placeholder = Tensor._make(np.zeros((), input._data.dtype))  # keeps the missing bound's slot: (None, 0)
    return ClampTensor.apply(input, placeholder if min is None else min, placeholder if max is None else max,
                             min is not None, max is not None)


clamp.signatures = (  # as a function and as a method: what a misspelt keyword is told (x.clamp(mn=0))
    ("Tensor input, Tensor min = None, Tensor max = None, *, Tensor out = None",
     "Tensor input, Number min = None, Number max = None, *, Tensor out = None"),
    ("Tensor min = None, Tensor max = None", "Number min = None, Number max = None"))


def clip(input, min=None, max=None):
    """Another name for ``clamp``."""
    return clamp(input, min, max)


def clamp_min(input, min):
    """``max(input, min)`` elementwise (``min`` a number or a tensor)."""
    if isinstance(min, Tensor):
        broadcast_shape(input.shape, min.shape)
        return ClampMinTensor.apply(input, min, None, True, False)
    return ClampMin.apply(input, min, None)


def clamp_max(input, max):
    """``min(input, max)`` elementwise (``max`` a number or a tensor)."""
    if isinstance(max, Tensor):
        broadcast_shape(input.shape, max.shape)
        return ClampMaxTensor.apply(input, None, max, False, True)
    return ClampMax.apply(input, None, max)
