"""Comparisons: ``==  !=  >  <  >=  <=`` elementwise, and questions about a whole tensor (all, any, equal, allclose).

Their results are booleans, so they have no gradient and never get a ``grad_fn``: a step function's derivative is
zero wherever it exists. They are plain functions, not graph nodes. The two sides are compared in their common
(promoted) dtype, with broadcasting, exactly like arithmetic.
"""
import numbers

import numpy as np

from minigrad.ops.arguments import numpy_bool_as_float, type_name
from minigrad.ops.arithmetic import as_operands, broadcast_shape, promoted
from minigrad.ops.reduction import normalize_dims
from minigrad.tensor import Tensor, _type_word


def _compare(name, numpy_op, input, other):
    other = numpy_bool_as_float(other)
    if not isinstance(other, (Tensor, numbers.Number)):
        raise TypeError(f"{name}() received an invalid combination of arguments - got (Tensor, "
                        f"{type_name(other)}), but expected one of:\n"
                        " * (Tensor input, Tensor other, *, Tensor out = None)\n"
                        " * (Tensor input, Number other, *, Tensor out = None)\n")
    x, y = promoted(*as_operands(input, other))
    return Tensor._make(np.asarray(numpy_op(x, y)))


def eq(input, other):
    """``input == other`` elementwise (nan is not equal to anything, itself included)."""
    return _compare("eq", np.equal, input, other)


def ne(input, other):
    return _compare("ne", np.not_equal, input, other)


def gt(input, other):
    return _compare("gt", np.greater, input, other)


def lt(input, other):
    return _compare("lt", np.less, input, other)


def ge(input, other):
    return _compare("ge", np.greater_equal, input, other)


def le(input, other):
    return _compare("le", np.less_equal, input, other)


def _logical_reduction(numpy_op, input, dim, keepdim):
    data = input._data
    axes = normalize_dims(dim, data.ndim) if dim is not None else None
    result = numpy_op(data, axis=axes, keepdims=keepdim)
    # PyTorch keeps uint8 for uint8 input (an old convention for masks); everything else gives bool
    return Tensor._make(np.asarray(result, np.uint8 if data.dtype == np.uint8 else np.bool_))


def all(input, dim=None, keepdim=False):
    """True if every element (along ``dim``) is non-zero; True for an empty tensor."""
    return _logical_reduction(np.all, input, dim, keepdim)


def any(input, dim=None, keepdim=False):
    """True if some element (along ``dim``) is non-zero; False for an empty tensor."""
    return _logical_reduction(np.any, input, dim, keepdim)


def _check_other(name, other):
    if not isinstance(other, Tensor):
        raise TypeError(f"{name}(): argument 'other' (position 2) must be Tensor, not {type_name(other)}")


def equal(input, other):
    """A Python bool: same shape and the same values (dtypes may differ; nan is never equal)."""
    _check_other("equal", other)
    if input.shape != other.shape:
        return False
    return bool(np.array_equal(*promoted(input, other)))


def allclose(input, other, rtol=1e-05, atol=1e-08, equal_nan=False):
    """A Python bool: ``|input - other| <= atol + rtol * |other|`` everywhere (shapes broadcast, dtypes must match)."""
    _check_other("allclose", other)
    if input.dtype is not other.dtype:
        raise RuntimeError(f"{_type_word(input.dtype)} did not match {_type_word(other.dtype)}")
    x, y = promoted(input, other)  # checks that the shapes broadcast
    return bool(np.isclose(x, y, rtol=rtol, atol=atol, equal_nan=equal_nan).all())


def isclose(input, other, rtol=1e-05, atol=1e-08, equal_nan=False):
    """Elementwise ``|input - other| <= atol + rtol * |other|`` (a bool tensor); ``allclose`` asks it of all."""
    if not isinstance(other, Tensor):
        raise TypeError(f"isclose(): argument 'other' (position 2) must be Tensor, not {type_name(other)}")
    if input.dtype is not other.dtype:
        raise RuntimeError(f"{_type_word(input.dtype)} did not match {_type_word(other.dtype)}")
    broadcast_shape(input.shape, other.shape)
    with np.errstate(invalid="ignore", over="ignore"):
        return Tensor._make(np.isclose(input._data, other._data, rtol=rtol, atol=atol, equal_nan=equal_nan))
