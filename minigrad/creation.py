"""Making tensors: from data, filled with a value, ranges, and random draws.

Dtype defaults follow PyTorch: Python floats give float32, ints give int64, bools give bool, and a numpy array keeps
its own dtype. Only floating-point tensors may be created with ``requires_grad=True``.
"""
import builtins
import math
import numbers
import warnings

import numpy as np

from minigrad import dtypes, events, random
from minigrad.ops import arguments
from minigrad.tensor import Tensor

FACTORY_INT_GRAD_ERROR = "Only Tensors of floating point and complex dtype can require gradients"

# numpy kinds PyTorch cannot hold at all: objects, strings, bytes, structured records, dates and durations
_NEVER_TENSORS = "OUSVMm"


def _finish(data, dtype=None, requires_grad=False):
    """Wrap ``data`` (cast to ``dtype``, a minigrad dtype) as a leaf, checking the requires_grad rule first."""
    if dtype is not None:
        with np.errstate(over="ignore", invalid="ignore"):  # a float too big for float32 is inf, as in PyTorch
            data = data.astype(dtype.numpy, copy=False)
    if requires_grad and data.dtype.kind != "f":
        raise RuntimeError(FACTORY_INT_GRAD_ERROR)
    tensor = Tensor._make(data)
    tensor._requires_grad = bool(requires_grad)
    return tensor


def _default_float(dtype):
    return dtype or dtypes.float32


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


def _has_huge_int(data):
    """Whether nested lists hold a Python int outside int64 (PyTorch reads ints as C ``long long``)."""
    if isinstance(data, list):
        return builtins.any(_has_huge_int(item) for item in data)
    return isinstance(data, builtins.int) and not -2 ** 63 <= data < 2 ** 63


def _check_fits(array, dtype, type_name=None):
    """PyTorch's check when Python numbers are written into an integer dtype: ``tensor([2**40], dtype=int32)``
    raises instead of keeping the low 32 bits. (Unsigned dtypes also take negatives down to -max: they wrap.)"""
    if dtype.is_floating_point or dtype is dtypes.bool_ or array.size == 0 or array.dtype.kind == "b":
        return
    info = np.iinfo(dtype.numpy)
    low = -info.max if info.min == 0 else info.min
    high_value, low_value = array.max().item(), array.min().item()  # Python numbers: compared exactly
    if high_value != high_value or high_value > info.max or low_value < low:  # x != x: nan
        raise RuntimeError(f"value cannot be converted to type {type_name or dtype.name} without overflow")


def numpy_dtype_of(array):
    """The minigrad dtype of a numpy array, refusing what PyTorch refuses with its message."""
    if array.dtype.kind in _NEVER_TENSORS:
        raise TypeError(f"can't convert np.ndarray of type numpy.{array.dtype.type.__name__}. The only supported types "
                        "are: float64, float32, float16, complex64, complex128, int64, int32, int16, int8, uint64, "
                        "uint32, uint16, uint8, and bool.")
    return dtypes.from_numpy_dtype(array.dtype)  # minigrad's own error for float16, complex, int16...


def tensor(data, dtype=None, device=None, requires_grad=False):
    """A new leaf tensor holding a copy of ``data`` (a number, nested lists, a numpy array or a tensor).

    Python floats become float32, ints int64, bools bool; a numpy array or number keeps its own dtype.
    """
    dtype = arguments.dtype_argument("tensor", dtype)
    if isinstance(data, Tensor):
        warnings.warn("To copy construct from a tensor, it is recommended to use sourceTensor.detach().clone() or "
                      "sourceTensor.detach().clone().requires_grad_(True), rather than minigrad.tensor(sourceTensor).",
                      UserWarning, stacklevel=2)
        array = data._data.copy()
    elif isinstance(data, (np.ndarray, np.generic)):
        array = np.array(data)
        numpy_dtype_of(array)
    else:
        _check_nested_lengths(data)
        data = _scalars(data)
        array = np.array(data)  # Python numbers: float64 / int64 / bool, exact so far
        if array.dtype.kind in "uO" or (array.dtype.kind == "f" and _has_huge_int(data)):
            # an int past int64 (numpy held it as uint64, object or float64): PyTorch takes it into floats only
            if _all_numbers(data):
                if not (dtype.is_floating_point if dtype is not None else _has_float(data)):
                    raise ValueError("Overflow when unpacking long long")
                array = np.array(data, dtype=np.float64)
        if array.dtype.kind not in "fiub":
            if isinstance(data, str):
                raise TypeError(f"new(): invalid data type '{type(data).__name__}'")
            if array.dtype.kind in "US":  # strings inside lists
                raise ValueError("too many dimensions 'str'")
            raise RuntimeError(f"Could not infer dtype of {type(_first_item(data)).__name__}")
        if dtype is None:  # Python floats become the default float dtype (float32), ints int64
            dtype = {"f": dtypes.float32, "i": dtypes.int64, "u": dtypes.int64, "b": dtypes.bool_}[array.dtype.kind]
        _check_fits(array, dtype)
    return _finish(array, dtype, requires_grad)


def _first_item(data):
    """The first thing in nested lists that is not a number (what PyTorch names when it cannot infer a dtype)."""
    if isinstance(data, list):
        for item in data:
            found = _first_item(item)
            if not isinstance(found, numbers.Number):
                return found
        return data[0] if data else data
    return data


def _all_numbers(data):
    if isinstance(data, list):
        return builtins.all(_all_numbers(item) for item in data)
    return isinstance(data, numbers.Number)


def _has_float(data):
    if isinstance(data, list):
        return builtins.any(_has_float(item) for item in data)
    return isinstance(data, numbers.Real) and not isinstance(data, numbers.Integral)


def get_default_dtype():
    """The dtype of tensors made from Python floats: float32."""
    return dtypes.float32


def as_tensor(data, dtype=None, device=None):
    """``data`` as a tensor, sharing memory where it can (a tensor of the right dtype, a numpy array)."""
    dtype = arguments.dtype_argument("as_tensor", dtype)
    if isinstance(data, Tensor) and (dtype is None or dtype is data.dtype):
        return data
    if isinstance(data, np.ndarray) and dtype is None:
        return from_numpy(data)
    return tensor(data, dtype)


def from_numpy(array):
    """A tensor sharing memory with a numpy array: changing one changes the other."""
    if not isinstance(array, np.ndarray):
        raise TypeError(f"expected np.ndarray (got {type(array).__name__})")
    numpy_dtype_of(array)  # refuse unsupported dtypes now, not in a later repr or op
    return Tensor._make(array)


def _filled(function, size, numpy_fill, dtype, requires_grad):
    """``zeros``/``ones``/``empty``: checked size and dtype, then a numpy array of them."""
    shape = arguments.size_argument(function, size)
    dtype = _default_float(arguments.dtype_argument(function, dtype))
    return _finish(numpy_fill(shape, dtype.numpy), None, requires_grad)


def zeros(*size, dtype=None, device=None, requires_grad=False):
    if any(arguments.is_int(n) and n < 0 for n in (size[0] if len(size) == 1 and isinstance(size[0], (tuple, list))
                                                     else size)):
        raise RuntimeError("zeros: Dimension size must be non-negative.")  # zeros has a message of its own
    return _filled("zeros", size, np.zeros, dtype, requires_grad)


def ones(*size, dtype=None, device=None, requires_grad=False):
    return _filled("ones", size, np.ones, dtype, requires_grad)


def empty(*size, dtype=None, device=None, requires_grad=False):
    """Uninitialised in PyTorch (whatever was in memory); minigrad fills it with zeros."""
    return _filled("empty", size, np.zeros, dtype, requires_grad)


# how PyTorch's C++ side names dtypes in full()'s overflow message
_FILL_TYPE_NAMES = {"float32": "float", "float64": "double", "int64": "int64_t", "int32": "int", "uint8": "uint8_t"}


def full(size, fill_value, dtype=None, device=None, requires_grad=False):
    """A tensor of shape ``size`` filled with ``fill_value``; the dtype follows the value (``full((2,), 7)`` is
    int64, as in PyTorch)."""
    if not isinstance(size, (tuple, list)):
        raise TypeError(f"full(): argument 'size' (position 1) must be tuple of ints, not {type(size).__name__}")
    shape = arguments.size_argument("full", (size,))
    fill_value = arguments.number_argument("full", "fill_value", fill_value, 2)
    dtype = arguments.dtype_argument("full", dtype)
    if dtype is None:
        dtype = dtypes.bool_ if isinstance(fill_value, (bool, np.bool_)) else (
            dtypes.int64 if isinstance(fill_value, numbers.Integral) else dtypes.float32)
    value = np.array(fill_value)
    if dtype is dtypes.float32 and abs(value) > np.finfo(np.float32).max:
        raise RuntimeError("value cannot be converted to type float without overflow")
    _check_fits(value, dtype, _FILL_TYPE_NAMES.get(dtype.name))
    return _finish(np.full(shape, value, dtype.numpy), None, requires_grad)


def _like(function, input, numpy_fill, dtype, requires_grad):
    arguments.tensor_argument(function, "input", 1, input)
    dtype = arguments.dtype_argument(function, dtype) or input.dtype
    return _finish(numpy_fill(input._data.shape, dtype.numpy), None, requires_grad)


def zeros_like(input, dtype=None, device=None, requires_grad=False):
    return _like("zeros_like", input, np.zeros, dtype, requires_grad)


def ones_like(input, dtype=None, device=None, requires_grad=False):
    return _like("ones_like", input, np.ones, dtype, requires_grad)


def full_like(input, fill_value, dtype=None, device=None, requires_grad=False):
    fill_value = arguments.number_argument("full_like", "fill_value", fill_value, 2)
    return _like("full_like", input, lambda shape, dt: np.full(shape, fill_value, dt), dtype, requires_grad)


def _bound(value):
    """A range bound as PyTorch prints it in an error: 0 and 0.5, inf and nan."""
    return str(builtins.int(value)) if isinstance(value, builtins.float) and value.is_integer() else str(value)


def arange(start, end=None, step=1, dtype=None, device=None, requires_grad=False):
    """``arange(5)`` is ``tensor([0, 1, 2, 3, 4])``: int64 when all bounds are ints, else float32.

    The values are start, start + step, ... up to but not including ``end``; a step that walks away from ``end``
    (``arange(10, 0, 1)``) is an error, not an empty tensor.
    """
    if end is None:
        start = arguments.number_argument("arange", "end", start, 1)
        start, end = 0, start
    else:
        start = arguments.number_argument("arange", "start", start, 1)
        end = arguments.number_argument("arange", "end", end, 2)
    step = arguments.number_argument("arange", "step", step, 3)
    dtype = arguments.dtype_argument("arange", dtype)
    if step == 0:
        raise RuntimeError("step must be nonzero")
    if not (math.isfinite(start) and math.isfinite(end)):
        raise RuntimeError(f"unsupported range: {_bound(start)} -> {_bound(end)}")
    if not ((step > 0 and end >= start) or (step < 0 and end <= start)):
        raise RuntimeError("upper bound and lower bound inconsistent with step sign")
    if dtype is None:
        ints = builtins.all(isinstance(v, numbers.Integral) for v in (start, end, step))
        dtype = dtypes.int64 if ints else dtypes.float32
    return _finish(np.arange(start, end, step, dtype=np.float64), dtype, requires_grad)


def linspace(start, end, steps, dtype=None, device=None, requires_grad=False):
    """``steps`` evenly spaced values from ``start`` to ``end``, both included."""
    start = arguments.number_argument("linspace", "start", start, 1)
    end = arguments.number_argument("linspace", "end", end, 2)
    steps = arguments.int_argument("linspace", "steps", steps, 3)
    dtype = _default_float(arguments.dtype_argument("linspace", dtype))
    if steps < 0:
        raise RuntimeError("number of steps must be non-negative")
    return _finish(np.linspace(start, end, steps), dtype, requires_grad)


def eye(n, m=None, dtype=None, device=None, requires_grad=False):
    """The ``n`` x ``m`` identity matrix (ones on the diagonal)."""
    n = arguments.int_argument("eye", "n", n, 1)
    m = n if m is None else arguments.int_argument("eye", "m", m, 2)
    dtype = _default_float(arguments.dtype_argument("eye", dtype))
    for name, value in (("n", n), ("m", m)):
        if value < 0:
            raise RuntimeError(f"{name} must be greater or equal to 0, got {value}")
    return _finish(np.eye(n, m, dtype=dtype.numpy), None, requires_grad)


def rand(*size, dtype=None, device=None, requires_grad=False, generator=None):
    """Uniform samples in [0, 1); the same numbers PyTorch draws after the same ``manual_seed``."""
    shape = arguments.size_argument("rand", size)
    dtype = _default_float(arguments.dtype_argument("rand", dtype))
    return _finish(random.uniform(shape, dtype.numpy), None, requires_grad)


def randn(*size, dtype=None, device=None, requires_grad=False, generator=None):
    """Standard normal samples; the same numbers PyTorch draws after the same ``manual_seed``."""
    shape = arguments.size_argument("randn", size)
    dtype = _default_float(arguments.dtype_argument("randn", dtype))
    return _finish(random.normal(shape, dtype.numpy), None, requires_grad)


def rand_like(input, dtype=None, device=None, requires_grad=False):
    arguments.tensor_argument("rand_like", "input", 1, input)
    return rand(input.shape, dtype=dtype or input.dtype, requires_grad=requires_grad)


def randn_like(input, dtype=None, device=None, requires_grad=False):
    arguments.tensor_argument("randn_like", "input", 1, input)
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
