"""Data types: thin names over numpy dtypes, printed the way PyTorch prints them.

A tensor's dtype decides two things a learner meets early:
- only floating-point tensors can require gradients (a derivative of an integer step function is useless);
- mixing dtypes promotes, with PyTorch's rule: a Python number never widens a tensor's dtype
  (``float32_tensor * 2.5`` stays float32), and a 0-d tensor only widens the category (int -> float).
"""
import builtins

import numpy as np


class dtype:
    """A tensor element type, e.g. ``minigrad.float32``."""

    __slots__ = ("name", "numpy", "is_floating_point", "itemsize", "_rank", "type_word", "cpp_name")

    def __init__(self, name, numpy_dtype, rank, type_word, cpp_name):
        self.name = name
        self.numpy = np.dtype(numpy_dtype)
        self.is_floating_point = self.numpy.kind == "f"
        self.itemsize = self.numpy.itemsize
        self._rank = rank  # orders dtypes inside one category: bool < int < float
        # how PyTorch's messages spell it: "Float" (minigrad.FloatTensor, "expected scalar type Float"), and the
        # C++ type ("expected dtype float", "long int")
        self.type_word, self.cpp_name = type_word, cpp_name

    def __repr__(self):
        return f"minigrad.{self.name}"

    def __reduce__(self):  # so dtypes survive pickling / deepcopy as the same singletons
        return (from_numpy_dtype, (self.numpy,))


# the one table of dtype names: minigrad's, numpy's, the order of promotion, and PyTorch's two spellings
bool_ = dtype("bool", np.bool_, 0, "Bool", "bool")
uint8 = dtype("uint8", np.uint8, 1, "Byte", "unsigned char")
int32 = dtype("int32", np.int32, 2, "Int", "int")
int64 = dtype("int64", np.int64, 3, "Long", "long int")
float32 = dtype("float32", np.float32, 10, "Float", "float")
float64 = dtype("float64", np.float64, 11, "Double", "double")

dtype.__module__ = "minigrad"  # printed as <class 'minigrad.dtype'>

_BY_NUMPY = {d.numpy: d for d in (bool_, uint8, int32, int64, float32, float64)}


def from_numpy_dtype(np_dtype):
    """The minigrad dtype of a numpy dtype (float16 and complex are not supported)."""
    try:
        return _BY_NUMPY[np.dtype(np_dtype)]
    except KeyError:
        raise TypeError(f"minigrad does not support numpy dtype {np.dtype(np_dtype)} (it has bool, uint8, int32, int64, "
                        "float32 and float64)") from None


def as_dtype(spec):
    """Accept PyTorch spellings: a minigrad dtype, Python ``float``/``int``/``bool``, or a numpy dtype."""
    if spec is None or isinstance(spec, dtype):
        return spec
    if spec is builtins.float:
        return float64  # torch.tensor(..., dtype=float) is float64, as in the tutorials
    if spec is builtins.int:
        return int64
    if spec is builtins.bool:
        return bool_
    return from_numpy_dtype(spec)


def _category(d):
    return 2 if d.is_floating_point else (0 if d is bool_ else 1)


def promote_types(a, b):
    """The wider of two dtypes (PyTorch's ``torch.promote_types``)."""
    return a if a._rank >= b._rank else b


def result_type(*operands):
    """The dtype of an op's result, by PyTorch's rule.

    Tensors with dimensions decide; a 0-d tensor or a Python number only counts when it brings a higher category
    (bool < int < float): ``int_tensor * 2.5`` is float32 (the default float), ``float32_tensor * 2.5`` stays float32.
    """
    from minigrad.tensor import Tensor  # tensor.py imports this module

    dimensioned = zero_dim = number = None
    for x in operands:
        if isinstance(x, Tensor):
            if x._data.ndim:
                dimensioned = x.dtype if dimensioned is None else promote_types(dimensioned, x.dtype)
            else:
                zero_dim = x.dtype if zero_dim is None else promote_types(zero_dim, x.dtype)
        else:
            # a numpy int counts as an int; any other numpy number (np.bool_ too) as a float, as in PyTorch
            d = bool_ if isinstance(x, builtins.bool) else int64 if isinstance(x, (builtins.int, np.integer)) else float32
            number = d if number is None else promote_types(number, d)
    result = dimensioned
    for candidate in (zero_dim, number):
        if candidate is not None and (result is None or _category(candidate) > _category(result)):
            result = candidate
    return result


# PyTorch's aliases (defined last: they shadow Python's builtins inside this module)
float = float32
double = float64
long = int64
int = int32
bool = bool_
