"""Making tensors: from data, filled with a value, ranges, and random draws.

Dtype defaults follow PyTorch: Python floats give float32, ints give int64, bools give bool, and a numpy array or
number keeps its own dtype, also inside a list (``minigrad.from_data`` reads data step by step as PyTorch does).
Only floating-point tensors may be created with ``requires_grad=True``.
"""
import builtins
import math
import numbers
import warnings

import numpy as np

from minigrad import devices, dtypes, events, from_data, messages, random
from minigrad.ops import arguments
from minigrad.tensor import Size, Tensor
from minigrad.warn_once import warn_once

FACTORY_INT_GRAD_ERROR = "Only Tensors of floating point and complex dtype can require gradients"


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


def numpy_dtype_of(array):
    """The minigrad dtype of a numpy array, refusing what PyTorch refuses with its message, then what minigrad
    lacks (float16, int16, complex...) with its own."""
    return dtypes.from_numpy_dtype(from_data.numpy_dtype(array.dtype))


def tensor(data, dtype=None, device=None, requires_grad=False):
    """A new leaf tensor holding a copy of ``data`` (a number, nested lists, a numpy array or a tensor).

    Python floats become float32, ints int64, bools bool; a numpy array or number keeps its own dtype, also
    inside a list (``tensor([np.float64(0.5), 1])`` is float64). See ``minigrad.from_data`` for the steps.
    """
    dtype = arguments.dtype_argument("tensor", dtype)
    if isinstance(data, Tensor):
        warnings.warn("To copy construct from a tensor, it is recommended to use sourceTensor.detach().clone() or "
                      "sourceTensor.detach().clone().requires_grad_(True), rather than minigrad.tensor(sourceTensor).",
                      UserWarning, stacklevel=2)
        array = data._data.copy()
    elif isinstance(data, np.ndarray):
        from_data.check_numpy_array(data)
        array = data.copy(order="K")  # the copy keeps the layout (strides) of the array, as PyTorch's does
        if dtype is None:
            dtype = numpy_dtype_of(array)  # float16, int8... : minigrad's error unless a dtype it has is asked for
    else:
        if isinstance(data, (str, bytes)):
            raise TypeError(f"new(): invalid data type '{arguments.type_name(data)}'")
        sizes = from_data.shape_of(data)
        if dtype is None:
            dtype = dtypes.from_numpy_dtype(from_data.infer_dtype(data))
        array = from_data.store(data, sizes, dtype)
    return _finish(array, dtype, requires_grad)


_LEGACY_SIGNATURES = ["*, minigrad.device device = None", "minigrad.Storage storage", "Tensor other",
                      "tuple of ints size, *, minigrad.device device = None",
                      "object data, *, minigrad.device device = None"]


def legacy_new(*args, device=None, _dtype=dtypes.float32, _typed=False, **kwargs):
    """What ``Tensor(...)`` holds (``FloatTensor(...)``, ``LongTensor(...)``... for another ``_dtype``): data from a
    list or array, a shape from ints or a ``Size``, or the memory of another tensor (shared, as PyTorch's alias)."""
    if kwargs:
        error = arguments.invalid_combination("new", args, kwargs, _LEGACY_SIGNATURES)
        lines = str(error).split("\n")
        keywords = ", ".join(kwargs)
        lines.insert(2, f"      didn't match because some of the keywords were incorrect: {keywords}")
        raise TypeError("\n".join(lines))
    if not args:
        return _finish(np.zeros(0, _dtype.numpy))
    first = args[0]
    if len(args) == 1 and isinstance(first, Tensor):
        if _typed and first.dtype is not _dtype:  # Tensor(t) takes any dtype, FloatTensor(t) only float32
            raise TypeError(f"expected {_options(_dtype)} (got {_options(first.dtype)})")
        return Tensor._make(first._data, None, 0, first._version_counter)
    if isinstance(first, Size) or builtins.all(arguments.is_int(n) for n in args):
        return empty(*args, dtype=_dtype)
    if len(args) == 1:
        if isinstance(first, (str, bytes)):
            raise TypeError(f"new(): invalid data type '{arguments.type_name(first)}'")
        if not from_data.is_sequence(first):
            raise TypeError(f"new(): data must be a sequence (got {arguments.type_name(first)})")
        return tensor(first, dtype=_dtype)
    arguments.size_argument("new", args)  # PyTorch's message for the element that is not an int
    raise arguments.invalid_combination("new", args, {}, _LEGACY_SIGNATURES)


def _options(dtype):
    return (f"TensorOptions(dtype={dtype.cpp_name}, device=cpu, layout=Strided, requires_grad=false (default), "
            "pinned_memory=false (default), memory_format=(nullopt))")


class tensortype(type):
    """The class of ``minigrad.FloatTensor``, ``LongTensor``...: PyTorch's old names for a tensor of one dtype.
    Calling one makes such a tensor (``LongTensor([1, 2])``), and ``isinstance(x, FloatTensor)`` checks x's dtype."""

    def __call__(cls, *args, **kwargs):
        return Tensor(legacy_new(*args, _dtype=cls.dtype, _typed=True, **kwargs))

    def __instancecheck__(cls, instance):
        return isinstance(instance, Tensor) and instance.dtype is cls.dtype

    def __repr__(cls):
        return f"<class 'minigrad.{cls.__name__}'>"


tensortype.__module__ = "minigrad"
_TENSOR_TYPES = {dtype: tensortype(f"{dtype.type_word}Tensor", (), {"dtype": dtype, "__module__": "minigrad"})
                 for dtype in (dtypes.float32, dtypes.float64, dtypes.int64, dtypes.int32, dtypes.uint8, dtypes.bool_)}
FloatTensor, DoubleTensor, LongTensor, IntTensor, ByteTensor, BoolTensor = _TENSOR_TYPES.values()


def get_default_dtype():
    """The dtype of tensors made from Python floats: float32."""
    return dtypes.float32


def as_tensor(data, dtype=None, device=None):
    """``data`` as a tensor, sharing memory where it can: a tensor of the right dtype is returned itself (of
    another dtype, converted as ``data.to(dtype)`` is, graph included), a numpy array of the right dtype is
    shared as ``from_numpy`` shares it; anything else is copied as ``tensor(data, dtype)`` copies it."""
    dtype = arguments.dtype_argument("as_tensor", dtype)
    if isinstance(data, Tensor):
        return data if dtype is None or dtype is data.dtype else data.to(dtype)
    if isinstance(data, np.ndarray) and (dtype is None or from_data.numpy_dtype(data.dtype) == dtype.numpy):
        return from_numpy(data)
    return tensor(data, dtype)


_NOT_WRITABLE_WARNING = (
    "The given NumPy array is not writable, and minigrad does not support non-writable tensors. This means writing to "
    "this tensor will result in undefined behavior. You may want to copy the array to protect its data or make it "
    "writable before converting it to a tensor. This type of warning will be suppressed for the rest of this program.")


def from_numpy(array):
    """A tensor sharing memory with a numpy array: changing one changes the other."""
    if not isinstance(array, np.ndarray):
        raise TypeError(f"expected np.ndarray (got {arguments.type_name(array)})")
    from_data.check_numpy_array(array)
    numpy_dtype_of(array)  # refuse unsupported dtypes now, not in a later repr or op
    if not array.flags.writeable:
        warn_once(_NOT_WRITABLE_WARNING, stacklevel=2)
    return Tensor._make(array)


def _filled(function, size, numpy_fill, dtype, requires_grad):
    """``zeros``/``ones``/``empty``: checked size and dtype, then a numpy array of them."""
    shape = arguments.size_argument(function, size)
    dtype = _default_float(arguments.dtype_argument(function, dtype))
    return _finish(numpy_fill(shape, dtype.numpy), None, requires_grad)


def zeros(*shape, size=arguments.NOT_GIVEN, dtype=None, device=None, requires_grad=False):
    size = arguments.size_or_keyword("zeros", shape, size)
    entries = size[0] if len(size) == 1 and isinstance(size[0], (tuple, list)) else size
    if any(arguments.is_size_entry(n) and n < 0 for n in entries):
        raise RuntimeError("zeros: Dimension size must be non-negative.")  # zeros has a message of its own
    return _filled("zeros", size, np.zeros, dtype, requires_grad)


def ones(*shape, size=arguments.NOT_GIVEN, dtype=None, device=None, requires_grad=False):
    return _filled("ones", arguments.size_or_keyword("ones", shape, size), np.ones, dtype, requires_grad)


def empty(*shape, size=arguments.NOT_GIVEN, dtype=None, device=None, requires_grad=False):
    """Uninitialised in PyTorch (whatever was in memory); minigrad fills it with zeros."""
    return _filled("empty", arguments.size_or_keyword("empty", shape, size), np.zeros, dtype, requires_grad)


# how PyTorch's C++ side names dtypes when a fill value does not fit
_FILL_TYPE_NAMES = {"float32": "float", "float64": "double", "int64": "int64_t", "int32": "int", "uint8": "uint8_t"}


def _fill_number(function, value):
    """A fill value read as PyTorch reads a ``Number`` argument: Python numbers as they are, numpy ints as ints and
    other numpy numbers as floats (``np.bool_`` too, so ``full((2,), np.bool_(True))`` is float32), a 0-d tensor
    that does not require grad as its value."""
    if isinstance(value, Tensor) and value.ndim == 0 and not value.requires_grad:
        return value.item()
    if isinstance(value, np.integer):
        return builtins.int(value)
    if isinstance(value, np.complex128):
        return builtins.complex(value)
    if isinstance(value, np.generic) and not isinstance(value, (np.str_, np.bytes_)):
        return builtins.float(value)  # float64, float32, bool...; numpy warns if a complex64 loses its imaginary part
    if isinstance(value, builtins.int) and not -2 ** 63 <= value < 2 ** 64:
        raise OverflowError("int too big to convert")
    if isinstance(value, numbers.Number) and not isinstance(value, Tensor):
        return value
    raise TypeError(f"{function}(): argument 'fill_value' (position 2) must be Number, not "
                    f"{arguments.type_name(value)}")


def _full_of(shape, value, dtype, requires_grad):
    """``shape`` filled with the number ``value`` written into ``dtype``, with PyTorch's overflow check."""
    if isinstance(value, builtins.complex) and dtype is not dtypes.bool_ and not from_data.overflows(value, dtype):
        value = value.real
    if from_data.overflows(value, dtype):
        raise RuntimeError(f"value cannot be converted to type {_FILL_TYPE_NAMES[dtype.name]} without overflow")
    if isinstance(value, builtins.int) and not isinstance(value, builtins.bool) and not dtype.is_floating_point:
        return _finish(np.full(shape, value, np.int64), dtype, requires_grad)  # a negative wraps into uint8
    return _finish(np.full(shape, value, dtype.numpy), None, requires_grad)


def full(size=arguments.REQUIRED, fill_value=arguments.REQUIRED, dtype=None, device=None, requires_grad=False):
    """A tensor of shape ``size`` filled with ``fill_value``; the dtype follows the value (``full((2,), 7)`` is
    int64, as in PyTorch)."""
    if size is arguments.REQUIRED or fill_value is arguments.REQUIRED:  # PyTorch names the first one and all after
        missing = ["size", "fill_value"] if size is arguments.REQUIRED else ["fill_value"]
        raise TypeError(messages.missing_arguments("full", missing))
    if not isinstance(size, (tuple, list)):
        raise TypeError(f"full(): argument 'size' (position 1) must be tuple of ints, not {arguments.type_name(size)}")
    shape = arguments.size_argument("full", (size,))
    fill_value = _fill_number("full", fill_value)
    dtype = arguments.dtype_argument("full", dtype)
    if dtype is None:
        dtype = dtypes.from_numpy_dtype(from_data.infer_dtype(fill_value))  # bool, int64, float32 (complex: refused)
    return _full_of(shape, fill_value, dtype, requires_grad)


def _like(function, input, numpy_fill, dtype, requires_grad):
    arguments.tensor_argument(function, "input", 1, input)
    dtype = arguments.dtype_argument(function, dtype) or input.dtype
    return _finish(numpy_fill(input._data.shape, dtype.numpy), None, requires_grad)


def zeros_like(input, dtype=None, device=None, requires_grad=False):
    return _like("zeros_like", input, np.zeros, dtype, requires_grad)


def ones_like(input, dtype=None, device=None, requires_grad=False):
    return _like("ones_like", input, np.ones, dtype, requires_grad)


def empty_like(input, dtype=None, device=None, requires_grad=False):
    """Uninitialised in PyTorch (whatever was in memory); minigrad fills it with zeros."""
    return _like("empty_like", input, np.zeros, dtype, requires_grad)


def full_like(input, fill_value, dtype=None, device=None, requires_grad=False):
    arguments.tensor_argument("full_like", "input", 1, input)
    fill_value = _fill_number("full_like", fill_value)
    dtype = arguments.dtype_argument("full_like", dtype) or input.dtype
    return _full_of(input._data.shape, fill_value, dtype, requires_grad)


def _bound(value):
    """A range bound as PyTorch prints it in an error: 0 and 0.5, inf and nan."""
    return str(builtins.int(value)) if isinstance(value, builtins.float) and value.is_integer() else str(value)


def _range_number(name, value, position):
    """A bound or step of ``arange``: a number (a numpy bool counts as a float, as in PyTorch), never complex."""
    if isinstance(value, np.bool_):
        return builtins.float(value)
    value = arguments.number_argument("arange", name, value, position)
    if isinstance(value, builtins.complex):
        if from_data.overflows(value, dtypes.float64):
            raise RuntimeError("value cannot be converted to type double without overflow")
        return value.real
    return value


def arange(start, end=None, step=1, dtype=None, device=None, requires_grad=False):
    """``arange(5)`` is ``tensor([0, 1, 2, 3, 4])``: int64 when all bounds are ints, else float32.

    The values are start, start + step, ... up to but not including ``end``; a step that walks away from ``end``
    (``arange(10, 0, 1)``) is an error, not an empty tensor.
    """
    if end is None:
        start = _range_number("end", start, 1)
        start, end = 0, start
    else:
        start = _range_number("start", start, 1)
        end = _range_number("end", end, 2)
    step = _range_number("step", step, 3)
    dtype = arguments.dtype_argument("arange", dtype)
    if step == 0:
        raise RuntimeError("step must be nonzero")
    if dtype is not None and not dtype.is_floating_point and builtins.all(map(math.isfinite, (start, end, step))):
        start, end, step = builtins.int(start), builtins.int(end), builtins.int(step)  # PyTorch truncates first:
        if step == 0:  # arange(2.5, dtype=int64) is [0, 1]
            raise ValueError("step must be nonzero")
    if not (math.isfinite(start) and math.isfinite(end)):
        raise RuntimeError(f"unsupported range: {_bound(start)} -> {_bound(end)}")
    if not ((step > 0 and end >= start) or (step < 0 and end <= start)):
        raise RuntimeError("upper bound and lower bound inconsistent with step sign")
    if dtype is None:
        ints = builtins.all(isinstance(v, numbers.Integral) for v in (start, end, step))
        dtype = dtypes.int64 if ints else dtypes.float32
    return _finish(np.arange(start, end, step, dtype=np.float64), dtype, requires_grad)


# the keyword arguments every factory's signature ends with, as PyTorch prints them
_FACTORY_OPTIONS = ("Tensor out = None, minigrad.dtype dtype = None, minigrad.layout layout = None, minigrad.device "
                    "device = None, bool pin_memory = False, bool requires_grad = False")
_LINSPACE_SIGNATURES = [
    f"{start} start, {end} end, int steps, *, {_FACTORY_OPTIONS}"
    for start, end in (("Tensor", "Tensor"), ("Number", "Tensor"), ("Tensor", "Number"), ("Number", "Number"))]


def linspace(start, end, steps, dtype=None, device=None, requires_grad=False):
    """``steps`` evenly spaced values from ``start`` to ``end``, both included."""
    if not arguments.is_int(steps):
        given = {key: value for key, value in (("dtype", dtype), ("requires_grad", requires_grad)) if value}
        raise arguments.invalid_combination("linspace", (start, end, steps), given, _LINSPACE_SIGNATURES)
    start, end = (builtins.float(value) if isinstance(value, np.bool_) else value for value in (start, end))
    start = arguments.number_argument("linspace", "start", start, 1)
    end = arguments.number_argument("linspace", "end", end, 2)
    if isinstance(start, builtins.complex) or isinstance(end, builtins.complex):
        dtypes.from_numpy_dtype(np.complex64)  # PyTorch makes a complex64 tensor: minigrad has none
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


_SIZE_SIGNATURES = [
    f"tuple of ints size, *, {generator}{_FACTORY_OPTIONS}" for generator in ("minigrad.Generator generator, ", "")]


def _generator_argument(function, args, generator, dtype, requires_grad, given_size=None, fits=True,
                        signatures=_SIZE_SIGNATURES):
    """``generator=`` must be a ``minigrad.Generator`` (or None): ``randn(2, generator=3)`` fits no signature, nor
    does ``randn(2.0, 3)`` (nor what the caller says does not ``fit``)."""
    if (not fits or (generator is not None and not isinstance(generator, random.Generator))
            or arguments.is_spread_size(args)):
        given = {key: value for key, value in (("dtype", dtype), ("requires_grad", requires_grad)) if value}
        if generator is not None:
            given["generator"] = generator
        given.update(given_size or {})
        raise arguments.invalid_combination(function, args, given, signatures)


def _random_size(function, shape, size, generator, dtype, requires_grad):
    """rand/randn's shape, as ``rand(2, 3)``, ``rand((2, 3))`` or ``rand(size=(2, 3))``; with none of them, or two,
    no signature fits."""
    given_size = {} if size is arguments.NOT_GIVEN else {"size": size}
    one_size = bool(shape) != bool(given_size)
    _generator_argument(function, shape, generator, dtype, requires_grad, given_size, fits=one_size)
    return arguments.size_or_keyword(function, shape, size)


def rand(*shape, size=arguments.NOT_GIVEN, dtype=None, device=None, requires_grad=False, generator=None):
    """Uniform samples in [0, 1); the same numbers PyTorch draws after the same ``manual_seed``."""
    size = _random_size("rand", shape, size, generator, dtype, requires_grad)
    shape = arguments.size_argument("rand", size)
    dtype = _default_float(arguments.dtype_argument("rand", dtype))
    return _finish(random.uniform(shape, dtype.numpy, generator=generator), None, requires_grad)


def randn(*shape, size=arguments.NOT_GIVEN, dtype=None, device=None, requires_grad=False, generator=None):
    """Standard normal samples; the same numbers PyTorch draws after the same ``manual_seed``."""
    size = _random_size("randn", shape, size, generator, dtype, requires_grad)
    shape = arguments.size_argument("randn", size)
    dtype = _default_float(arguments.dtype_argument("randn", dtype))
    return _finish(random.normal(shape, dtype.numpy, generator=generator), None, requires_grad)


_RANDINT_SIGNATURES = [
    f"{bounds}tuple of ints size, *, {generator}{_FACTORY_OPTIONS}"
    for bounds in ("int high, ", "int low, int high, ") for generator in ("minigrad.Generator generator, ", "")]


def randint(*args, size=arguments.NOT_GIVEN, generator=None, dtype=None, device=None, requires_grad=False, **kwargs):
    """``randint(high, size)`` or ``randint(low, high, size)``: integers uniform in [low, high) (low is 0 by
    default), int64 unless ``dtype`` says otherwise; the same numbers PyTorch draws after the same ``manual_seed``."""
    if size is not arguments.NOT_GIVEN and not kwargs and len(args) in (1, 2):  # randint(3, size=(2,))
        error = arguments.tuple_of_ints_error("randint", "size", size)
        if error:
            raise TypeError(error)
        args = (*args, tuple(size))
    elif size is not arguments.NOT_GIVEN:
        kwargs["size"] = size
    if (kwargs or len(args) not in (2, 3) or not isinstance(args[-1], (tuple, list))
            or not (generator is None or isinstance(generator, random.Generator))):
        given = {**kwargs, **{key: value for key, value in (("dtype", dtype), ("requires_grad", requires_grad),
                                                            ("generator", generator)) if value}}
        raise arguments.invalid_combination("randint", args, given, _RANDINT_SIGNATURES)
    *bounds, size = args
    names = ("high",) if len(bounds) == 1 else ("low", "high")
    bounds = [arguments.int_argument("randint", name, value, position)
              for position, (name, value) in enumerate(zip(names, bounds), 1)]
    low, high = (0, *bounds) if len(bounds) == 1 else bounds
    shape = arguments.size_argument("randint", (size,), position=len(bounds) + 1)
    dtype = arguments.dtype_argument("randint", dtype) or dtypes.int64
    if requires_grad and not dtype.is_floating_point:
        raise RuntimeError(FACTORY_INT_GRAD_ERROR)
    return _finish(random.randint(low, high, shape, generator), dtype, requires_grad)


def randint_like(input, low_or_high, high=None, *, dtype=None, device=None, requires_grad=False):
    """``randint`` with ``input``'s shape and dtype: ``randint_like(x, 10)`` or ``randint_like(x, 2, 5)``."""
    arguments.tensor_argument("randint_like", "input", 1, input)
    low, high = (0, low_or_high) if high is None else (low_or_high, high)
    dtype = arguments.dtype_argument("randint_like", dtype) or input.dtype
    return randint(low, high, tuple(input.shape), dtype=dtype, requires_grad=requires_grad)


_RANDPERM_SIGNATURES = [f"int n, *, {generator}{_FACTORY_OPTIONS}" for generator in ("minigrad.Generator generator, ", "")]


def randperm(n, *, generator=None, dtype=None, device=None, requires_grad=False):
    """A random order of 0, 1, ..., n-1 (int64); the same PyTorch draws after the same ``manual_seed``."""
    _generator_argument("randperm", (n,), generator, dtype, requires_grad, signatures=_RANDPERM_SIGNATURES)
    n = arguments.int_argument("randperm", "n", n, 1)
    dtype = arguments.dtype_argument("randperm", dtype) or dtypes.int64
    return _finish(random.randperm(n, generator), dtype, requires_grad)


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


devices.wrap_device_functions(globals())  # ones(2, device="cuda"): PyTorch's CPU build's error, before anything is made
