"""Making tensors: from data, filled with a value, ranges, and random draws.

Dtype defaults follow PyTorch: Python floats give float32, ints give int64, bools give bool, and a numpy array keeps
its own dtype. Only floating-point tensors may be created with ``requires_grad=True``.
"""
import builtins
import numbers
import warnings

import numpy as np

from minigrad import dtypes, events, random
from minigrad.tensor import Tensor

FACTORY_INT_GRAD_ERROR = "Only Tensors of floating point and complex dtype can require gradients"


def _finish(data, dtype=None, requires_grad=False):
    """Wrap ``data`` (cast to ``dtype``) as a leaf, checking the requires_grad rule first."""
    if dtype is not None:
        data = data.astype(dtypes.as_dtype(dtype).numpy, copy=False)
    if requires_grad and data.dtype.kind != "f":
        raise RuntimeError(FACTORY_INT_GRAD_ERROR)
    tensor = Tensor._make(data)
    tensor._requires_grad = bool(requires_grad)
    return tensor


def _size(size):
    """Accept ``ones(2, 3)``, ``ones((2, 3))`` and ``ones([2, 3])``."""
    if len(size) == 1 and not isinstance(size[0], numbers.Integral):
        return tuple(builtins.int(n) for n in size[0])
    return tuple(builtins.int(n) for n in size)


def _default_float(dtype):
    return dtypes.as_dtype(dtype) or dtypes.float32


def _check_nested_lengths(data, depth=0):
    """PyTorch's error for ragged nested lists, e.g. ``tensor([[1, 2], [3]])``."""
    if isinstance(data, (list, tuple)) and data and isinstance(data[0], (list, tuple)):
        expected = len(data[0])
        for item in data:
            if not isinstance(item, (list, tuple)):
                raise TypeError("not a sequence")
            if len(item) != expected:
                got = len(item) if isinstance(item, (list, tuple)) else None
                raise ValueError(f"expected sequence of length {expected} at dim {depth + 1} (got {got})")
            _check_nested_lengths(item, depth + 1)


def _scalars(data):
    """Replace 0-d tensors inside nested lists by their Python values."""
    if isinstance(data, Tensor):
        return data.item() if data.ndim == 0 else data._data.tolist()
    if isinstance(data, (list, tuple)):
        return [_scalars(item) for item in data]
    return data


def tensor(data, dtype=None, device=None, requires_grad=False):
    """A new leaf tensor holding a copy of ``data`` (a number, nested lists, a numpy array or a tensor)."""
    if isinstance(data, Tensor):
        warnings.warn("To copy construct from a tensor, it is recommended to use sourceTensor.detach().clone() or "
                      "sourceTensor.detach().clone().requires_grad_(True), rather than minigrad.tensor(sourceTensor).",
                      UserWarning, stacklevel=2)
        array = data._data.copy()
    elif isinstance(data, np.ndarray):
        array = data.copy()
    else:
        _check_nested_lengths(data)
        data = _scalars(data)
        array = np.array(data)  # Python numbers: float64 / int64 / bool, exact so far
        if array.dtype.kind not in "fiub":
            raise TypeError(f"Could not infer dtype of {type(data).__name__}")
        if dtype is None:  # Python floats become the default float dtype (float32), ints int64
            dtype = {"f": dtypes.float32, "i": dtypes.int64, "u": dtypes.int64, "b": dtypes.bool_}[array.dtype.kind]
    return _finish(array, dtype, requires_grad)


def get_default_dtype():
    """The dtype of tensors made from Python floats: float32."""
    return dtypes.float32


def as_tensor(data, dtype=None, device=None):
    if isinstance(data, Tensor) and (dtype is None or dtypes.as_dtype(dtype) is data.dtype):
        return data
    if isinstance(data, np.ndarray) and dtype is None:
        return from_numpy(data)
    return tensor(data, dtype)


def from_numpy(array):
    """A tensor sharing memory with a numpy array: changing one changes the other."""
    dtypes.from_numpy_dtype(array.dtype)  # refuse unsupported dtypes early
    return Tensor._make(array)


def zeros(*size, dtype=None, device=None, requires_grad=False):
    return _finish(np.zeros(_size(size), _default_float(dtype).numpy), None, requires_grad)


def ones(*size, dtype=None, device=None, requires_grad=False):
    return _finish(np.ones(_size(size), _default_float(dtype).numpy), None, requires_grad)


def empty(*size, dtype=None, device=None, requires_grad=False):
    return zeros(*size, dtype=dtype, requires_grad=requires_grad)


def full(size, fill_value, dtype=None, device=None, requires_grad=False):
    if dtype is None:  # the fill value decides, as in PyTorch: full((2,), 7) is int64
        dtype = dtypes.bool_ if isinstance(fill_value, bool) else (
            dtypes.int64 if isinstance(fill_value, numbers.Integral) else dtypes.float32)
    return _finish(np.full(_size((size,)), fill_value, dtypes.as_dtype(dtype).numpy), None, requires_grad)


def zeros_like(input, dtype=None, device=None, requires_grad=False):
    return _finish(np.zeros(input._data.shape, (dtypes.as_dtype(dtype) or input.dtype).numpy), None, requires_grad)


def ones_like(input, dtype=None, device=None, requires_grad=False):
    return _finish(np.ones(input._data.shape, (dtypes.as_dtype(dtype) or input.dtype).numpy), None, requires_grad)


def full_like(input, fill_value, dtype=None, device=None, requires_grad=False):
    array = np.full(input._data.shape, fill_value, (dtypes.as_dtype(dtype) or input.dtype).numpy)
    return _finish(array, None, requires_grad)


def arange(start, end=None, step=1, dtype=None, device=None, requires_grad=False):
    """``arange(5)`` is ``tensor([0, 1, 2, 3, 4])``: int64 when all bounds are ints, else float32."""
    if end is None:
        start, end = 0, start
    if dtype is None:
        ints = all(isinstance(v, numbers.Integral) for v in (start, end, step))
        dtype = dtypes.int64 if ints else dtypes.float32
    return _finish(np.arange(start, end, step, dtype=np.float64).astype(dtypes.as_dtype(dtype).numpy), None,
                   requires_grad)


def linspace(start, end, steps, dtype=None, device=None, requires_grad=False):
    return _finish(np.linspace(start, end, steps).astype(_default_float(dtype).numpy), None, requires_grad)


def eye(n, m=None, dtype=None, device=None, requires_grad=False):
    return _finish(np.eye(n, m, dtype=_default_float(dtype).numpy), None, requires_grad)


def rand(*size, dtype=None, device=None, requires_grad=False, generator=None):
    """Uniform samples in [0, 1); the same numbers PyTorch draws after the same ``manual_seed``."""
    return _finish(random.uniform(_size(size), _default_float(dtype).numpy), None, requires_grad)


def randn(*size, dtype=None, device=None, requires_grad=False, generator=None):
    """Standard normal samples; the same numbers PyTorch draws after the same ``manual_seed``."""
    return _finish(random.normal(_size(size), _default_float(dtype).numpy), None, requires_grad)


def rand_like(input, dtype=None, device=None, requires_grad=False):
    return rand(input.shape, dtype=dtype or input.dtype, requires_grad=requires_grad)


def randn_like(input, dtype=None, device=None, requires_grad=False):
    return randn(input.shape, dtype=dtype or input.dtype, requires_grad=requires_grad)


def uniform_(self, a=0.0, b=1.0):
    """Fill in place with uniform samples in [a, b) (no graph is recorded for random fills)."""
    self._check_inplace()
    self._data[...] = random.uniform(self._data.shape, self._data.dtype, a, b)
    self._version_counter.value += 1
    if events.listeners:
        events.emit("data_changed", self)
    return self


def normal_(self, mean=0.0, std=1.0):
    """Fill in place with normal samples."""
    self._check_inplace()
    self._data[...] = random.normal(self._data.shape, self._data.dtype, mean, std)
    self._version_counter.value += 1
    if events.listeners:
        events.emit("data_changed", self)
    return self
