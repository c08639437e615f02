"""Where a tensor lives. ``x.device`` is ``device(type='cpu')``: minigrad's tensors are numpy arrays in main memory.

Code written for a GPU (``x.to("cuda")``, ``x.cuda()``, ``minigrad.ones(2, device="cuda")``) fails as it does on
PyTorch's CPU build, with ``AssertionError: Torch not compiled with CUDA enabled``, at the line that asks for the
GPU; ``minigrad.cuda.is_available()`` is False, so ``"cuda" if minigrad.cuda.is_available() else "cpu"`` picks the CPU.
"""
import functools
import inspect
import re

from minigrad import messages

# the device types PyTorch's device strings may start with, in the order its message lists them
DEVICE_TYPES = ("cpu", "cuda", "ipu", "xpu", "mkldnn", "opengl", "opencl", "ideep", "hip", "ve", "fpga", "maia",
                "xla", "lazy", "vulkan", "mps", "meta", "hpu", "mtia", "privateuseone")
_NOT_COMPILED = {"cuda": "CUDA", "xpu": "XPU"}  # PyTorch's CPU build asserts for these...
_NOT_LINKED = ("hip", "mps")  # ...and says it is not linked with these
_DEVICE_STRING = re.compile(r"([a-zA-Z_]+)(?::(0|[1-9][0-9]*))?")  # "cuda", "cuda:0"


class device:
    """``device('cpu')``, ``device('cuda:0')``, ``device('cuda', 1)``: a device type and an optional index."""

    __slots__ = ("type", "index")

    def __init__(self, type, index=None):
        if isinstance(type, device):
            type, index = type.type, type.index
        elif isinstance(type, int) and not isinstance(type, bool):  # a bare index means "the accelerator"
            raise RuntimeError(messages.NO_ACCELERATOR_ERROR)
        elif isinstance(type, str):
            parts = _DEVICE_STRING.fullmatch(type)
            if parts is None:
                raise RuntimeError(f"Invalid device string: '{type}'")
            name, number = parts.groups()
            if name not in DEVICE_TYPES:
                raise RuntimeError(messages.unknown_device_type(name, DEVICE_TYPES))
            if number is not None:
                if index is not None:
                    raise RuntimeError("type (string) must not include an index because index was passed "
                                       f"explicitly: {type}")
                index = int(number)
            type = name
        else:
            raise TypeError(f"device(): argument 'type' must be str, not {_type_name(type)}")
        self.type, self.index = type, index

    def __repr__(self):
        index = "" if self.index is None else f", index={self.index}"
        return f"device(type='{self.type}'{index})"

    def __str__(self):
        return self.type if self.index is None else f"{self.type}:{self.index}"

    def __eq__(self, other):
        return isinstance(other, device) and (self.type, self.index) == (other.type, other.index)

    def __hash__(self):
        return hash((self.type, self.index))

    def __reduce__(self):
        return device, (self.type, self.index)


device.__module__ = "minigrad"  # printed as <class 'minigrad.device'>, as PyTorch's torch.device

CPU = device("cpu")


def _type_name(value):
    from minigrad.ops.arguments import type_name  # (arguments imports tensor, which imports this module)

    return type_name(value)


def check_device(function, value):
    """``value`` given as ``device=`` must name the CPU: a GPU is refused with PyTorch's CPU build's error, and
    ``device=1.5`` with its TypeError. ``meta`` is let through (minigrad makes an ordinary tensor)."""
    if value is None:
        return
    if not isinstance(value, (device, str, int)) or isinstance(value, bool):
        raise TypeError(f"{function}(): argument 'device' must be minigrad.device, not {_type_name(value)}")
    kind = device(value).type
    if kind in _NOT_COMPILED:
        raise AssertionError(messages.not_compiled_with(_NOT_COMPILED[kind]))
    if kind in _NOT_LINKED:
        raise RuntimeError(messages.not_linked_with(kind))


def checks_device(function):
    """``function`` with its ``device=`` argument checked first, before anything is made."""
    name = function.__name__

    @functools.wraps(function)
    def checked(*args, **kwargs):
        check_device(name, kwargs.get("device"))
        return function(*args, **kwargs)

    return checked


def wrap_device_functions(namespace):
    """Give every public function in ``namespace`` that takes ``device=`` the device check."""
    for key, value in list(namespace.items()):
        if inspect.isfunction(value) and not key.startswith("_") and "device" in inspect.signature(value).parameters:
            namespace[key] = checks_device(value)
