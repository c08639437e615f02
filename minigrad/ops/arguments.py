"""Checking arguments as PyTorch's argument parser does, with its messages.

PyTorch checks every argument's type before an op runs, so ``torch.exp('a')`` says which argument is wrong
(``exp(): argument 'input' (position 1) must be Tensor, not str``) instead of failing somewhere inside.
These helpers give minigrad's functions the same checks; each raises before anything has changed.
Where PyTorch prints ``torch.dtype``, minigrad prints ``minigrad.dtype`` (its own class).
"""
import builtins
import functools
import inspect
import numbers

import numpy as np

from minigrad import dtypes
from minigrad.tensor import Size, Tensor


REQUIRED = object()  # the default of an argument PyTorch requires, so its own message can say it is missing


def type_name(value):
    """How PyTorch names a value's type in messages (CPython's ``tp_name``): ``str``, ``float``, ``numpy.ndarray``,
    ``numpy.float64``, and a class written in Python by its bare name."""
    kind = type(value)
    if kind is dtypes.dtype or kind is Size:  # C types in PyTorch: torch.dtype, torch.Size
        return f"minigrad.{kind.__name__}"
    if kind.__module__ == "builtins" or kind.__flags__ & _HEAP_TYPE:
        return kind.__name__
    return f"{kind.__module__}.{kind.__name__}"


_HEAP_TYPE = 1 << 9  # Py_TPFLAGS_HEAPTYPE: a class made by a class statement, whose tp_name is only its name


def tensor_argument(function, name, position, value):
    """``value`` must be a tensor."""
    if not isinstance(value, Tensor):
        where = f" (position {position})" if position else ""
        raise TypeError(f"{function}(): argument '{name}'{where} must be Tensor, not {type_name(value)}")
    return value


def is_int(value):
    """True for Python and numpy ints and one-element integer tensors (not for bools, which PyTorch's int
    arguments refuse, nor for floats)."""
    if isinstance(value, Tensor):
        return not value.is_floating_point() and value.dtype is not dtypes.bool_ and value.numel() == 1
    return isinstance(value, numbers.Integral) and not isinstance(value, bool)


def int_argument(function, name, value, position=None):
    """``value`` must be an int (``unsqueeze(1.5)`` and ``unsqueeze(True)`` are refused)."""
    if not is_int(value):
        where = f" (position {position})" if position else ""
        raise TypeError(f"{function}(): argument '{name}'{where} must be int, not {type_name(value)}")
    return int(value)


def bool_argument(function, name, value, position=None):
    """``value`` must be a bool (``keepdim=1`` is refused, as in PyTorch)."""
    if not isinstance(value, bool):
        where = f" (position {position})" if position else ""
        raise TypeError(f"{function}(): argument '{name}'{where} must be bool, not {type_name(value)}")
    return value


def number_argument(function, name, value, position=None):
    """``value`` must be a number (a Python or numpy number, or a one-element tensor)."""
    if isinstance(value, Tensor) and value.numel() == 1:
        return value.item()
    if not isinstance(value, numbers.Number):
        where = f" (position {position})" if position else ""
        raise TypeError(f"{function}(): argument '{name}'{where} must be Number, not {type_name(value)}")
    return value


def numpy_bool_as_float(value):
    """A numpy bool given where a number goes, read as PyTorch reads it: the float 1. or 0. (``numbers.Number``
    leaves np.bool_ out, so it needs saying); everything else is returned as it is."""
    return float(value) if isinstance(value, np.bool_) else value


def is_python_dtype(value):
    """``float``, ``int`` or ``bool`` given as a dtype (``dtype=float`` is float64, as in PyTorch)."""
    return value is float or value is int or value is bool


def dtype_argument(function, value, name="dtype"):
    """A minigrad dtype, or Python's ``float`` / ``int`` / ``bool`` (PyTorch takes those too); strings and numpy
    dtypes are refused: ``dtype='float32'`` would otherwise be a silent guess."""
    if value is None or isinstance(value, dtypes.dtype):
        return value
    if is_python_dtype(value):
        return dtypes.as_dtype(value)
    raise TypeError(f"{function}(): argument '{name}' must be minigrad.dtype, not {type_name(value)}")


def is_size_entry(value):
    """An int (Python, numpy, a one-element integer tensor) or a 0-d integer numpy array: what has an index."""
    return is_int(value) or (isinstance(value, np.ndarray) and value.ndim == 0 and value.dtype.kind in "iu")


def is_spread_size(size):
    """True when ``size`` (the positional arguments) spreads a shape over several arguments, as ``ones(2, 3)`` does,
    but does not start with an int (``ones(2.0, 3)``): PyTorch then reads only one argument, the shape."""
    return len(size) > 1 and not is_size_entry(size[0])


def size_entries(function, size, position=1, name="size"):
    """The ints of a shape given as ``(2, 3)``, ``((2, 3),)`` or ``([2, 3],)``, checked as PyTorch checks them
    (``ones((2, 2.7))`` is refused, not rounded down; ``ones('12')`` is not read as two dims).

    As in PyTorch, a tuple's first element decides whether it is a size at all (``ones((2.0,))`` is "found element
    of type float at pos 0"); a later one that is not an int fails to unpack (``ones((2, 2.0))``)."""
    if is_spread_size(size):
        raise TypeError(f"{function}() takes 1 positional argument but {len(size)} were given")
    if len(size) == 1 and not is_size_entry(size[0]):
        size = size[0]
        if not isinstance(size, (tuple, list)):
            raise TypeError(f"{function}(): argument '{name}' (position {position}) must be tuple of ints, not "
                            f"{type_name(size)}")
        if size and not is_size_entry(size[0]):
            raise TypeError(f"{function}(): argument '{name}' (position {position}) must be tuple of ints, but found "
                            f"element of type {type_name(size[0])} at pos 0")
    for place, n in enumerate(size, 1):
        if not is_size_entry(n) and not isinstance(n, bool):  # PyTorch reads True as 1 here (not first)
            raise TypeError(f"{function}(): argument '{name}' failed to unpack the object at pos {place} with error "
                            f"\"type must be tuple of ints,but got {type_name(n)}\"")
    return tuple(int(n) for n in size)


def size_argument(function, size, position=1):
    """A shape to make a tensor of (``ones(2, 3)``, ``ones((2, 3))``, ``ones([2, 3])``): ints, none negative."""
    shape = size_entries(function, size, position)
    for n in shape:
        if n < 0:
            raise RuntimeError(f"Trying to create tensor with negative dimension {n}: {list(shape)}")
    return shape


def invalid_combination(function, args, kwargs, signatures, method_signatures=None):
    """PyTorch's TypeError when no signature of ``function`` fits the arguments, e.g. ``minigrad.sum(x, dim=True)``.

    PyTorch words it differently for a method (``x.sum(dim=True)``): without the tensor the method is called on,
    and with the method's own signatures. Given ``method_signatures``, the error carries that wording as
    ``method_form``, which the Tensor method raises instead."""
    error = _invalid_combination(function, args, kwargs, signatures)
    if method_signatures is not None:
        error.method_form = _invalid_combination(function, args[1:], kwargs, method_signatures)
    return error


def _invalid_combination(function, args, kwargs, signatures):
    got = ", ".join(["Tensor" if isinstance(a, Tensor) else type_name(a) for a in args]
                    + [f"{key}={type_name(value)}" for key, value in kwargs.items()])
    got += ", " if kwargs and not args else ""  # PyTorch's own spelling: (Tensor, dim=bool) but (dim=bool, )
    lines = "".join(f" * ({signature})\n" for signature in signatures)
    return TypeError(f"{function}() received an invalid combination of arguments - got ({got}), but expected one "
                     f"of:\n{lines}")


# the top-level functions PyTorch also takes with a number first (``torch.add(2, x)``), as long as a tensor follows
NUMBER_FIRST = frozenset({"add", "sub", "mul", "div", "floor_divide", "remainder", "bitwise_and", "bitwise_or",
                          "bitwise_xor"})
OWN_CHECKS = frozenset({"pow"})  # pow(2, x) is fine and pow('a', x) has its own message


def checks_input(function):
    """``minigrad.exp``, ``minigrad.sum``...: ``function`` with PyTorch's check that its first argument is a tensor.

    Methods (``x.exp()``) call the op directly: their ``self`` is always a tensor.
    """
    name = function.__name__
    number_first = name in NUMBER_FIRST

    @functools.wraps(function)
    def checked(input, *args, **kwargs):
        if not isinstance(input, Tensor) and not (
                number_first and isinstance(input, numbers.Number)
                and builtins.any(isinstance(a, Tensor) for a in (*args, *kwargs.values()))):
            raise TypeError(f"{name}(): argument 'input' (position 1) must be Tensor, not {type_name(input)}")
        return function(input, *args, **kwargs)

    return checked


def wrap_public_functions(namespace):
    """Give every function in ``namespace`` whose first parameter is ``input`` the tensor check."""
    for key, value in list(namespace.items()):
        if inspect.isfunction(value) and not key.startswith("_"):
            parameters = list(inspect.signature(value).parameters)
            if parameters and parameters[0] == "input" and key not in OWN_CHECKS:
                namespace[key] = checks_input(value)
