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

from minigrad import dtypes, messages
from minigrad.tensor import Size, Tensor


REQUIRED = object()  # the default of an argument PyTorch requires, so its own message can say it is missing
NOT_GIVEN = object()  # the default of an optional argument whose absence PyTorch tells apart from None (sum's dim)


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
    if type(value) is int:  # the common case first: the abstract-class check below is slower
        return True
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


def no_signature_fits(function, args, kwargs, signatures, method_signatures, longer_error, keyword_notes=False):
    """The TypeError when neither of ``function``'s two signatures fits (``x.sum(keepdim=True)``: keepdim only comes
    with a dim). PyTorch's parser first keeps the signatures that take as many arguments as were given: if the short
    one still does, it cannot tell which was meant (an invalid combination); if only the long one is left, it says
    what is wrong with that one: ``longer_error``, a text (``x.sum(keepdim=True, dtype=None)``: dim is missing).
    A method counts its arguments without self and words them with ``method_signatures`` (``method_form``)."""
    error = _no_signature_fits(function, args, kwargs, signatures, longer_error, keyword_notes)
    error.method_form = _no_signature_fits(function, args[1:], kwargs, method_signatures, longer_error, keyword_notes)
    return error


def _no_signature_fits(function, args, kwargs, signatures, longer_error, keyword_notes):
    short_takes, long_takes = (len([part for part in signatures[i].split(", ") if part and part != "*"])
                               for i in (0, -1))
    if short_takes < len(args) + len(kwargs) <= long_takes:
        return TypeError(longer_error)
    return _invalid_combination(function, args, kwargs, signatures, keyword_notes)


def reduction_arguments(function, input, dim, keepdim, dtype, dim_error, signatures, method_signatures):
    """Check a reduction's call as PyTorch's parser does: ``x.sum()`` and ``x.sum(dtype=...)`` fit the signature
    without a dim, ``x.sum(dim, keepdim, dtype=...)`` the one with it; ``x.sum(keepdim=True)`` and ``x.sum(dim=True)``
    fit neither. ``dim_error`` says what is wrong with dim, if anything. Returns keepdim and the dtype."""
    tensor_argument(function, "input", 1, input)
    given_dtype, dtype = dtype is not NOT_GIVEN, None if dtype is NOT_GIVEN else dtype  # dtype=None counts as given
    dtype_ok = dtype is None or isinstance(dtype, dtypes.dtype) or is_python_dtype(dtype)
    given_dim, given_keepdim = dim is not NOT_GIVEN, keepdim is not NOT_GIVEN
    keepdim_ok = not given_keepdim or isinstance(keepdim, bool)
    if (given_keepdim and not given_dim) or dim_error or not keepdim_ok or not dtype_ok:
        if not given_dim:
            longer_error = messages.missing_arguments(function, ["dim"])
        elif dim_error or not keepdim_ok:
            longer_error = dim_error or f"{function}(): argument 'keepdim' must be bool, not {type_name(keepdim)}"
        else:
            longer_error = f"{function}(): argument 'dtype' must be minigrad.dtype, not {type_name(dtype)}"
        # PyTorch lists the keywords in the reverse of the usual order (dim, keepdim, dtype)
        given = {key: value for key, value in (("dtype", dtype), ("keepdim", keepdim), ("dim", dim))
                 if value is not NOT_GIVEN and (key != "dtype" or given_dtype)}
        raise no_signature_fits(function, (input,), given, signatures, method_signatures, longer_error)
    return keepdim if given_keepdim else False, dtype_argument(function, dtype)


def dims_error(function, dim):
    """What is wrong with ``dim`` where PyTorch wants one int or a tuple of ints (None if nothing is)."""
    if dim is NOT_GIVEN or is_int(dim):
        return None
    return tuple_of_ints_error(function, "dim", dim)


def tuple_of_ints_error(function, name, value):
    """What is wrong with ``value``, given by keyword where PyTorch wants a tuple of ints (None if nothing is): its
    first element decides whether it is one at all (``size=(2.0,)``: "not tuple"), a later one fails to unpack."""
    if not isinstance(value, (tuple, list)) or (value and not is_int(value[0])):
        return f"{function}(): argument '{name}' must be tuple of ints, not {type_name(value)}"
    for place, n in enumerate(value, 1):
        if not is_int(n) and not isinstance(n, bool):  # PyTorch reads True as 1 after the first place
            return (f"{function}(): argument '{name}' failed to unpack the object at pos {place} with error "
                    f"\"type must be tuple of ints,but got {type_name(n)}\"")
    return None


def size_or_keyword(function, size, keyword):
    """The shape given as ``zeros(2, 3)``, ``zeros((2, 3))`` or ``zeros(size=(2, 3))``, in the first two forms."""
    if keyword is NOT_GIVEN and not size:
        raise TypeError(messages.missing_arguments(function, ["size"]))
    if keyword is not NOT_GIVEN and not size:
        error = tuple_of_ints_error(function, "size", keyword)
        if error:
            raise TypeError(error)
    return spread_or_keyword(function, size, keyword, "size")


def spread_or_keyword(function, spread, keyword, name):
    """A shape or dims given spread over arguments (``x.permute(1, 0)``), as one (``x.permute((1, 0))``) or by its
    keyword (``x.permute(dims=(1, 0))``), in the first two forms."""
    if keyword is NOT_GIVEN or keyword is REQUIRED:
        return spread
    if spread:
        raise TypeError(f"{function}() got multiple values for argument '{name}'")
    return (tuple(keyword) if isinstance(keyword, list) else keyword,)


def _invalid_combination(function, args, kwargs, signatures, keyword_notes=False):
    got = ", ".join(["Tensor" if isinstance(a, Tensor) else type_name(a) for a in args]
                    + [f"{key}={type_name(value)}" for key, value in kwargs.items()])
    got += ", " if kwargs and not args else ""  # PyTorch's own spelling: (Tensor, dim=bool) but (dim=bool, )
    lines = "".join(f" * ({signature})\n" + (_keyword_note(signature, args, kwargs) if keyword_notes else "")
                    for signature in signatures)
    return TypeError(f"{function}() received an invalid combination of arguments - got ({got}), but expected one "
                     f"of:\n{lines}")


def _keyword_note(signature, args, kwargs):
    """PyTorch's note under a signature that takes as many arguments as were given, but not by those keywords
    (``x.clamp(mn=0, mx=1)``)."""
    names = [part.split(" = ")[0].split()[-1] for part in signature.split(", ") if part]
    if "*" in names or len(names) != len(args) + len(kwargs) or all(key in names for key in kwargs):
        return ""
    return f"      didn't match because some of the keywords were incorrect: {', '.join(kwargs)}\n"


# the top-level functions PyTorch also takes with a number first (``torch.add(2, x)``), as long as a tensor follows
NUMBER_FIRST = frozenset({"add", "sub", "mul", "div", "floor_divide", "remainder", "bitwise_and", "bitwise_or",
                          "bitwise_xor"})
OWN_CHECKS = frozenset({"pow"})  # pow(2, x) is fine and pow('a', x) has its own message


def checks_input(function):
    """``minigrad.exp``, ``minigrad.sum``...: ``function`` with PyTorch's check that its first argument is a tensor,
    numpy's argument names (``minigrad.sum(x, axis=0)``) and PyTorch's words for a call that does not bind.

    Methods (``x.exp()``) call the op directly: their ``self`` is always a tensor.
    """
    name = function.__name__
    number_first = name in NUMBER_FIRST

    @functools.wraps(function)
    def checked(*args, **kwargs):
        if kwargs:
            kwargs = numpy_names(function, args, kwargs)
        input = args[0] if args else kwargs.get("input", REQUIRED)
        if input is not REQUIRED and not isinstance(input, Tensor) and not (
                number_first and isinstance(input, numbers.Number)
                and builtins.any(isinstance(a, Tensor) for a in (*args, *kwargs.values()))):
            raise TypeError(f"{name}(): argument 'input' (position 1) must be Tensor, not {type_name(input)}")
        try:
            return function(*args, **kwargs)
        except TypeError as error:
            if error.__traceback__.tb_next is None:  # Python could not bind the call: nothing ran
                raise binding_error(name, function, args, kwargs) or error from None
            raise

    return checked


# PyTorch's parser also takes numpy's names for these arguments: x.sum(axis=0, keepdims=True)
_NUMPY_NAMES = {"axis": "dim", "keepdims": "keepdim", "x": "input", "a": "input", "x1": "input", "x2": "other"}
# ...but not these functions, written in Python in PyTorch
_PYTHON_FUNCTIONS = frozenset({"norm", "split", "einsum"})


@functools.cache
def _parameters(function):
    return inspect.signature(function).parameters


def numpy_names(function, args, kwargs):
    """``kwargs`` with numpy's names put in PyTorch's, where ``function`` has that argument and it is not given
    too, by keyword or among ``args`` (``x.sum(dim=0, axis=1)`` leaves axis unexpected)."""
    if function.__name__ in _PYTHON_FUNCTIONS or not _NUMPY_NAMES.keys() & kwargs.keys():
        return kwargs
    parameters, renamed = list(_parameters(function)), {}
    taken = set(kwargs) | set(parameters[:len(args)])
    for key, value in kwargs.items():
        name = _NUMPY_NAMES.get(key, key)
        renamed[name if name in parameters and name not in taken else key] = value
    return renamed


def binding_error(name, function, args, kwargs, method=False):
    """PyTorch's TypeError for a call Python could not bind to ``function`` (None if it has none): a required
    argument missing ('unsqueeze() missing 1 required positional arguments: "dim"', naming it and every required one
    after it), a keyword it does not take, too many arguments. ``args`` include the tensor a ``method`` is called on.
    An op with two signatures (``function.signatures``: as a function, as a method) cannot tell which was meant."""
    parameters = _parameters(function)
    kinds = (inspect.Parameter.POSITIONAL_OR_KEYWORD, inspect.Parameter.KEYWORD_ONLY)
    if method and function.__name__ in _PYTHON_FUNCTIONS:
        name = f"Tensor.{name}"  # a method written in Python in PyTorch: Python's words, with its class
    elif method and len(parameters) == 1:  # x.exp(1), x.relu(inplace=True): a method that takes nothing
        return TypeError(f"TensorBase.{name}() takes no keyword arguments" if kwargs else
                         f"TensorBase.{name}() takes no arguments ({len(args) - 1} given)")
    unknown = next((key for key in kwargs if key not in parameters), None)
    signatures = getattr(function, "signatures", None)
    if unknown is not None and signatures is not None:
        reversed_kwargs = dict(reversed(list(kwargs.items())))  # PyTorch lists the keywords last to first
        return no_signature_fits(name, args, reversed_kwargs, *signatures,
                                 f"{name}() got an unexpected keyword argument '{unknown}'", keyword_notes=True)
    positional = [p.name for p in parameters.values() if p.kind is inspect.Parameter.POSITIONAL_OR_KEYWORD]
    given = set(kwargs) | set(positional[:len(args)])
    if len(args) > len(positional):  # x.reshape(6, foo=1): the shape spread over arguments is given
        given |= {p.name for p in parameters.values() if p.kind is inspect.Parameter.KEYWORD_ONLY}
    required = [p.name for p in parameters.values()
                if p.kind in kinds and (p.default is inspect.Parameter.empty or p.default is REQUIRED)]
    for place, parameter in enumerate(required):
        if parameter not in given:
            return TypeError(messages.missing_arguments(name, required[place:]))
    if unknown is not None:
        return TypeError(f"{name}() got an unexpected keyword argument '{unknown}'")
    if len(args) > len(positional) and not any(p.kind is inspect.Parameter.VAR_POSITIONAL
                                               for p in parameters.values()):
        takes, got = len(positional) - method, len(args) - method
        return TypeError(f"{name}() takes {takes} positional argument{'' if takes == 1 else 's'} but {got} were "
                         "given")
    return None


def wrap_public_functions(namespace):
    """Give every function in ``namespace`` whose first parameter is ``input`` the tensor check."""
    for key, value in list(namespace.items()):
        if inspect.isfunction(value) and not key.startswith("_"):
            parameters = list(inspect.signature(value).parameters)
            if parameters and parameters[0] == "input" and key not in OWN_CHECKS:
                namespace[key] = checks_input(value)
            elif parameters and (parameters[0] == "tensors" or key in OWN_CHECKS):  # cat, stack, pow
                namespace[key] = _parsed(value)


def _parsed(function):
    """``function`` taking numpy's argument names too (``minigrad.cat(ts, axis=1)``), with PyTorch's words for a
    call that does not bind."""

    @functools.wraps(function)
    def parsed(*args, **kwargs):
        if kwargs:
            kwargs = numpy_names(function, args, kwargs)
        try:
            return function(*args, **kwargs)
        except TypeError as error:
            if error.__traceback__.tb_next is None:  # Python could not bind the call: nothing ran
                raise binding_error(function.__name__, function, args, kwargs) or error from None
            raise

    return parsed
