"""Bitwise and logical ops: ``mask = (x > 0) & (y < 1)``, ``~mask``, ``minigrad.logical_and(a, b)``.

``&``, ``|``, ``^`` and ``~`` work bit by bit on bool and integer tensors (on bools they are and, or, xor, not);
``logical_*`` take any dtype, read each element as true when it is not zero, and give bools. Their results are
bool or integer tensors, which never require grad: there is nothing to differentiate, so these are plain functions
on the arrays, not ``Function`` nodes, and they record no ``grad_fn`` (as in PyTorch).
"""
import numpy as np

from minigrad import dtypes
from minigrad.ops.arguments import tensor_argument
from minigrad.ops.arithmetic import broadcast_shape
from minigrad.tensor import Tensor


def _bitwise(name, ufunc):
    def op(input, other):
        dtype = dtypes.result_type(input, other)  # PyTorch's promotion: a number does not widen the tensor
        if dtype.is_floating_point:
            raise NotImplementedError(f'"{name}_cpu" not implemented for \'{dtype.type_word}\'')
        a, b = (np.asarray(x._data if isinstance(x, Tensor) else x, dtype.numpy) for x in (input, other))
        broadcast_shape(a.shape, b.shape)  # PyTorch's error for shapes that do not broadcast
        return Tensor._make(np.asarray(ufunc(a, b)))

    op.__name__ = name
    op.__doc__ = f"Element by element ``{ufunc.__name__}`` of two bool or integer tensors (or a tensor and a number)."
    return op


def _logical(name, ufunc):
    def op(input, other):
        tensor_argument(name, "other", 2, other)
        broadcast_shape(input.shape, other.shape)
        return Tensor._make(np.asarray(ufunc(input._data, other._data)))

    op.__name__ = name
    op.__doc__ = f"``{ufunc.__name__}`` of two tensors read as truth values (not zero is True): a bool tensor."
    return op


bitwise_and = _bitwise("bitwise_and", np.bitwise_and)
bitwise_or = _bitwise("bitwise_or", np.bitwise_or)
bitwise_xor = _bitwise("bitwise_xor", np.bitwise_xor)
logical_and = _logical("logical_and", np.logical_and)
logical_or = _logical("logical_or", np.logical_or)
logical_xor = _logical("logical_xor", np.logical_xor)


def bitwise_not(input):
    """``~input``: not, for a bool tensor; every bit flipped for an integer tensor (``~5`` is -6)."""
    if input.dtype.is_floating_point:
        raise NotImplementedError(f"\"bitwise_not_cpu\" not implemented for '{input.dtype.type_word}'")
    return Tensor._make(np.asarray(np.invert(input._data)))


def logical_not(input):
    """True where ``input`` is zero (or False): a bool tensor."""
    return Tensor._make(np.asarray(np.logical_not(input._data)))


def _invert(self):
    """``~x``: Tensor's operator checks the dtype itself, with its own message."""
    if self.dtype.is_floating_point:
        raise TypeError("~ (operator.invert) is only implemented on integer and Boolean-type tensors")
    return bitwise_not(self)


def _wire():
    """The operators and methods on Tensor: ``a & b``, ``a &= b``, ``a.logical_or(b)``, ``a.bitwise_not_()``..."""
    def method(op):
        return lambda self, *args: op(self, *args)

    def reflected(op):
        return lambda self, other: op(self, other) if isinstance(other, (bool, int, np.bool_, np.integer)) \
            else NotImplemented

    def in_place(op):
        return lambda self, *args: self._write_inplace(op, *args)

    for symbol, op in (("and", bitwise_and), ("or", bitwise_or), ("xor", bitwise_xor)):
        setattr(Tensor, f"__{symbol}__", lambda self, other, op=op: op(self, other)
                if isinstance(other, (Tensor, bool, int, float, np.generic)) else NotImplemented)
        setattr(Tensor, f"__r{symbol}__", reflected(op))
        setattr(Tensor, f"__i{symbol}__", in_place(op))
    Tensor.__invert__ = _invert
    for op in (bitwise_and, bitwise_or, bitwise_xor, bitwise_not, logical_and, logical_or, logical_xor, logical_not):
        setattr(Tensor, op.__name__, method(op))
        setattr(Tensor, op.__name__ + "_", in_place(op))


_wire()
