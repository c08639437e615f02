"""Copies and conversions: clone, dtype conversion, and what ``copy_``, ``zero_`` and ``fill_`` compute.

A copy passes the gradient straight through (d copy(x)/dx = 1); a value that was overwritten (``zero_``, ``fill_``,
the destination of ``copy_``) gets no gradient at all, because the result no longer depends on it.
"""
import numpy as np

from minigrad import devices, dtypes
from minigrad.autograd.function import Function
from minigrad.ops.formula import cast
from minigrad.ops import arguments
from minigrad.ops.arithmetic import broadcast_shape, sum_to
from minigrad.tensor import Tensor


class Clone(Function):
    """A copy;  d/dx = 1."""

    _name = "CloneBackward0"
    _backward_on_arrays = True

    @staticmethod
    def forward(ctx, x):
        return x._data.copy()

    @staticmethod
    def backward(ctx, grad):
        return grad


class ToCopy(Function):
    """A copy in another dtype;  the gradient is converted back to the input's dtype."""

    _name = "ToCopyBackward0"
    _backward_on_arrays = True

    @staticmethod
    def forward(ctx, x, dtype):
        ctx.input_dtype = x.dtype
        return x._data.astype(dtype.numpy)

    @staticmethod
    def backward(ctx, grad):
        return cast(grad, ctx.input_dtype), None


class CopyFrom(Function):
    """``dest.copy_(src)``: the result is ``src`` (broadcast to dest's shape);  d/d dest = 0,  d/d src = 1."""

    _name = "torch::autograd::CopyBackwards"

    @staticmethod
    def forward(ctx, dest, src):
        ctx.src_shape, ctx.src_dtype = src._data.shape, src.dtype
        return np.broadcast_to(src._data, dest._data.shape).astype(dest._data.dtype)

    @staticmethod
    def backward(ctx, grad):
        return grad * 0, sum_to(grad, ctx.src_shape).to(ctx.src_dtype)


class Zero(Function):
    """``zero_()``: the result is all zeros;  d/dx = 0."""

    _name = "ZeroBackward0"

    @staticmethod
    def forward(ctx, x):
        return np.zeros_like(x._data)

    @staticmethod
    def backward(ctx, grad):
        return grad * 0


class Fill(Function):
    """``fill_(value)``: every element becomes ``value``;  d/dx = 0."""

    _name = "FillBackward2"

    @staticmethod
    def forward(ctx, x, value):
        return np.full_like(x._data, value)

    @staticmethod
    def backward(ctx, grad):
        return grad * 0, None


class FillTensor(Function):
    """``fill_(value)`` with a 0-d tensor: every element becomes ``value``;  d/dx = 0,  d/dvalue = Σ grad."""

    _name = "FillBackward3"

    @staticmethod
    def forward(ctx, x, value):
        ctx.value_dtype = value.dtype
        return np.full_like(x._data, value._data)

    @staticmethod
    def backward(ctx, grad):
        return grad * 0, grad.sum().to(ctx.value_dtype)


def clone(input, *, memory_format=None):
    return Clone.apply(input)


_TO_SIGNATURES = (
    "minigrad.device device = None, minigrad.dtype dtype = None, bool non_blocking = False, bool copy = False, *, "
    "minigrad.memory_format memory_format = None",
    "minigrad.dtype dtype, bool non_blocking = False, bool copy = False, *, minigrad.memory_format memory_format = "
    "None",
    "Tensor tensor, bool non_blocking = False, bool copy = False, *, minigrad.memory_format memory_format = None")


def to(input, *args, dtype=None, copy=False, device=None, **_options):
    """``x.to(minigrad.float64)`` or ``x.to(other)`` (other's dtype): a converted copy, or ``x`` itself when nothing
    changes. The only device is the CPU: ``x.to("cuda")`` fails as on PyTorch's CPU build."""
    if sum(isinstance(arg, (str, devices.device)) for arg in args) > 1:  # x.to("cuda", "cpu")
        raise arguments.invalid_combination("to", args, {}, _TO_SIGNATURES)
    for arg in args:
        if isinstance(arg, (dtypes.dtype, Tensor)) or arguments.is_python_dtype(arg):
            dtype = arg.dtype if isinstance(arg, Tensor) else arg
        elif isinstance(arg, (str, devices.device)) or (isinstance(arg, int) and not isinstance(arg, bool)):
            devices.check_device("to", arg)
            device = arg
        elif not isinstance(arg, bool) and arg is not None:
            raise arguments.invalid_combination("to", args, {}, _TO_SIGNATURES)
    devices.check_device("to", device)
    if dtype is not None and not isinstance(dtype, dtypes.dtype) and not arguments.is_python_dtype(dtype):
        raise arguments.invalid_combination("to", args, {"dtype": dtype}, _TO_SIGNATURES)
    dtype = dtypes.as_dtype(dtype) or input.dtype
    # "cpu:0" is not x.device (device(type='cpu')), so PyTorch copies, as it does for copy=True or another dtype
    moved = device is not None and devices.device(device).index is not None
    if dtype is input.dtype and not copy and not moved:
        return input
    return ToCopy.apply(input, dtype)


def copy_from(dest, src):
    from minigrad.creation import as_tensor

    src = src if hasattr(src, "_data") else as_tensor(src)
    shape = broadcast_shape(dest.shape, src.shape)
    if shape != tuple(dest.shape):
        raise RuntimeError(f"output with shape {list(dest.shape)} doesn't match the broadcast shape {list(shape)}")
    return CopyFrom.apply(dest, src)


def zeroed(input):
    return Zero.apply(input)


def filled(input, value):
    if hasattr(value, "_data"):  # a tensor value: it must be 0-d, and it gets a gradient
        if value.ndim:
            raise RuntimeError(f"fill_ only supports 0-dimension value tensor but got tensor with {value.ndim} "
                               "dimensions.")
        return FillTensor.apply(input, value)
    return Fill.apply(input, value)
