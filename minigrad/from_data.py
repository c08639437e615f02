"""How ``tensor(data)`` reads Python data (numbers, nested lists, numpy scalars and arrays, tensors), step by step
as PyTorch does it, so the same data gives the same dtype, values and errors:

1. the shape, from the first element at every level: ``[[1, 2], [3, 4]]`` is 2 x 2;
2. the dtype, from every element, promoted together: a Python float counts as float32, an int as int64, a bool
   as bool, but a numpy number or array keeps its own dtype, so ``[np.float64(0.3), 1]`` is float64;
3. the values, each written into that dtype with a check: ``tensor([300], dtype=uint8)`` raises instead of
   keeping the low 8 bits, and a numpy float32 is no integer (``tensor([np.float32(1)], dtype=int64)`` raises).
"""
import math
import operator

import numpy as np

from minigrad import dtypes
from minigrad.ops.arguments import type_name
from minigrad.tensor import Tensor
from minigrad.warn_once import warn_once

# the numpy dtypes PyTorch can hold (minigrad holds fewer: see dtypes.py)
_TORCH_NUMPY_TYPES = frozenset(np.dtype(name) for name in (
    "float64", "float32", "float16", "complex64", "complex128", "int64", "int32", "int16", "int8", "uint64",
    "uint32", "uint16", "uint8", "bool"))
_BAREBONES_UNSIGNED = frozenset(np.dtype(name) for name in ("uint16", "uint32", "uint64"))
# how PyTorch's C++ side names scalar types in messages
_SCALAR_TYPE_NAMES = {"bool": "Bool", "uint8": "Byte", "int8": "Char", "int16": "Short", "int32": "Int",
                      "int64": "Long", "float16": "Half", "float32": "Float", "float64": "Double",
                      "complex64": "ComplexFloat", "complex128": "ComplexDouble", "uint16": "UInt16",
                      "uint32": "UInt32", "uint64": "UInt64"}
_FLOAT32, _INT64, _BOOL, _COMPLEX64 = (np.dtype(name) for name in ("float32", "int64", "bool", "complex64"))
_PLAIN_NUMBERS = frozenset({float, int, bool})

LIST_OF_ARRAYS_WARNING = ("Creating a tensor from a list of numpy.ndarrays is extremely slow. Please consider converting "
                          "the list to a single numpy.ndarray with numpy.array() before converting to a tensor.")


def check_numpy_array(array):
    """PyTorch's checks on a numpy array it is given: a dtype it has, native byte order, no negative strides."""
    numpy_dtype(array.dtype)
    if not array.dtype.isnative:
        raise ValueError("given numpy array has byte order different from the native byte order. Conversion between "
                         "byte orders is currently not supported.")
    if any(stride < 0 for stride in array.strides):
        raise ValueError("At least one stride in the given numpy array is negative, and tensors with negative strides "
                         "are not currently supported. (You can probably work around this by making a copy of your "
                         "array  with array.copy().) ")


def numpy_dtype(np_dtype):
    """``np_dtype`` if PyTorch has it (float16, int8, complex... included), else PyTorch's TypeError."""
    if np_dtype.newbyteorder("=") not in _TORCH_NUMPY_TYPES:
        raise TypeError(f"can't convert np.ndarray of type numpy.{np_dtype.type.__name__}. The only supported types "
                        "are: float64, float32, float16, complex64, complex128, int64, int32, int16, int8, uint64, "
                        "uint32, uint16, uint8, and bool.")
    return np_dtype.newbyteorder("=")


def is_sequence(obj):
    """CPython's ``PySequence_Check``: lists, tuples, ranges, strings, numpy arrays... but not tensors (PyTorch's
    tensor is not a sequence to it), dicts or sets."""
    if isinstance(obj, (Tensor, dict)):
        return False
    if isinstance(obj, (list, tuple, range, str, bytes, bytearray, np.ndarray)):
        return True
    return not isinstance(obj, (np.generic, set, frozenset)) and hasattr(type(obj), "__getitem__") and hasattr(
        type(obj), "__len__")


def shape_of(data):
    """Step 1: the lengths of ``data``, of its first element, of that one's first element... (``len()`` of a 0-d
    numpy array inside a list raises, as in PyTorch)."""
    sizes = []
    while is_sequence(data):
        length = len(data)
        sizes.append(length)
        if len(sizes) > 64:
            raise ValueError(f"too many dimensions '{type_name(data)}'")  # a string: its first letter is a string
        if length == 0:
            break
        data = data[0]
    return sizes


def infer_dtype(data):
    """Step 2: the numpy dtype PyTorch would give ``data`` (possibly one minigrad lacks, such as float16)."""
    if isinstance(data, (np.ndarray, np.generic)) and not isinstance(data, (str, bytes)):
        return numpy_dtype(data.dtype)
    if isinstance(data, float):
        return _FLOAT32  # the default dtype
    if isinstance(data, bool):
        return _BOOL
    if isinstance(data, int):
        return _INT64
    if isinstance(data, complex):
        return _COMPLEX64
    if isinstance(data, Tensor):
        return data.dtype.numpy
    if isinstance(data, (str, bytes)):
        raise TypeError(f"new(): invalid data type '{type_name(data)}'")
    if is_sequence(data):
        kinds = set(map(type, data))
        if kinds and kinds <= _PLAIN_NUMBERS:  # plain Python numbers: decided by their types alone
            return _FLOAT32 if float in kinds else _INT64 if int in kinds else _BOOL
        return _promote_all(infer_dtype(item) for item in data) if len(data) else _FLOAT32
    raise RuntimeError(f"Could not infer dtype of {type_name(data)}")


def _promote_all(found):
    result = None
    for item in found:
        result = item if result is None else promote(result, item)
    return result


def promote(a, b):
    """PyTorch's ``promote_types`` on numpy dtypes: a float wins over any integer (float16 + int64 is float16),
    within a kind the wider wins (int8 + uint8 is int16)."""
    if a == b:
        return a
    if a in _BAREBONES_UNSIGNED or b in _BAREBONES_UNSIGNED:
        if a.kind == "f" or b.kind == "f":
            return a if a.kind == "f" else b
        raise RuntimeError("Promotion for uint16, uint32, uint64 types is not supported, attempted to promote "
                           f"{_SCALAR_TYPE_NAMES[a.name]} and {_SCALAR_TYPE_NAMES[b.name]}")
    rank_a, rank_b = _kind_rank(a), _kind_rank(b)
    if rank_a == rank_b or {rank_a, rank_b} == {2, 3}:  # same kind, or float with complex: widest precision
        return np.promote_types(a, b)
    return a if rank_a > rank_b else b


def _kind_rank(np_dtype):
    return {"b": 0, "u": 1, "i": 1, "f": 2, "c": 3}[np_dtype.kind]


def store(data, sizes, dtype):
    """Step 3: the values of ``data`` as a numpy array of shape ``sizes`` and minigrad dtype ``dtype``, each
    element checked as PyTorch checks it."""
    if math.prod(sizes) == 0:
        return np.zeros(sizes, dtype.numpy)  # nothing to write: the other rows are not looked at
    if dtype.is_floating_point:
        convert, plain, holder = _as_float, _PLAIN_NUMBERS, np.float64
    elif dtype is dtypes.bool_:
        convert, plain, holder = _as_bool, {bool}, np.bool_
    else:
        convert, plain, holder = (lambda item: _as_integer(item, dtype)), {int, bool}, np.int64
    values = []
    _store_into(values, data, sizes, 0, convert, plain)
    try:
        array = np.array(values, dtype=holder)  # Python's numbers as float64 / bool / int64 (exact)
    except OverflowError:  # an int past int64 went by unchecked: find it the slow way, for PyTorch's error
        values = []
        _store_into(values, data, sizes, 0, convert, frozenset())
        raise
    if holder is np.int64 and array.size:  # ints that went by unchecked, checked at once: the largest and smallest
        for value in (array.max().item(), array.min().item()):
            if overflows(value, dtype):
                raise RuntimeError(f"value cannot be converted to type {dtype.name} without overflow")
    with np.errstate(over="ignore"):  # a negative int wraps into uint8, a float too big for float32 is inf
        return array.astype(dtype.numpy, copy=False).reshape(sizes)


def _store_into(values, data, sizes, dim, convert, plain):
    if dim == len(sizes):
        values.append(convert(data))
        return
    items = _as_list(data)
    if len(items) != sizes[dim]:
        raise ValueError(f"expected sequence of length {sizes[dim]} at dim {dim} (got {len(items)})")
    if dim + 1 == len(sizes) and set(map(type, items)) <= plain:
        values.extend(items)  # plain numbers that need no check: the fast path for long lists
        return
    for item in items:
        if isinstance(item, np.ndarray):
            warn_once(LIST_OF_ARRAYS_WARNING, stacklevel=5)
        _store_into(values, item, sizes, dim + 1, convert, plain)


def _as_list(data):
    """CPython's ``PySequence_Fast``: anything iterable, as a list."""
    if isinstance(data, (list, tuple)):
        return data
    try:
        iterator = iter(data)
    except TypeError:
        raise TypeError("not a sequence") from None
    return list(iterator)


def _as_float(item):
    """A value for a float tensor: what ``PyFloat_AsDouble`` takes (numbers and anything with ``__float__``; not
    strings, lists or complex numbers)."""
    if isinstance(item, float):
        return item
    kind = type(item)
    if isinstance(item, (str, bytes, bytearray)) or not (hasattr(kind, "__float__") or hasattr(kind, "__index__")):
        raise TypeError(f"must be real number, not {type_name(item)}")
    return float(item)


def _as_bool(item):
    """A value for a bool tensor: floats and complex numbers by whether they are zero, anything else through
    ``__index__``."""
    if isinstance(item, (float, complex, np.bool_)):
        return bool(item)
    value = operator.index(item)  # "'list' object cannot be interpreted as an integer"
    return value != 0


def _as_integer(item, dtype):
    """A value for an integer tensor: a float is truncated (if it fits), anything else must have ``__index__``
    (a numpy float32 or bool has none)."""
    if isinstance(item, float):
        if overflows(item, dtype):
            raise RuntimeError(f"value cannot be converted to type {dtype.name} without overflow")
        return int(item)
    value = operator.index(item)
    if not -2 ** 63 <= value < 2 ** 63:
        raise ValueError("Overflow when unpacking long long")
    if overflows(value, dtype):
        raise RuntimeError(f"value cannot be converted to type {dtype.name} without overflow")
    return value


def overflows(value, dtype):
    """PyTorch's check before it writes one number into ``dtype`` (c10's ``overflows``): a float outside the range
    (not infinity, and not nan into a float dtype), or an int outside it. Unsigned dtypes also take negative ints
    down to -max, which wrap: -1 is 255 in uint8."""
    if dtype is dtypes.bool_:
        return False
    if isinstance(value, complex):
        return value.imag != 0 or overflows(value.real, dtype)
    if dtype.is_floating_point:
        return math.isfinite(value) and abs(value) > float(np.finfo(dtype.numpy).max)
    info = np.iinfo(dtype.numpy)
    if isinstance(value, float):
        return value != value or value < info.min or value > info.max
    if info.min == 0:
        return value > info.max or -value > info.max
    return not info.min <= value <= info.max
