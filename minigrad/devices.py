"""Where a tensor lives. ``x.device`` is ``device(type='cpu')``: minigrad's tensors are numpy arrays in main memory.

Code written for a GPU (``x.to("cuda")``, ``x.cuda()``, ``minigrad.ones(2, device="cuda")``) fails as it does on
PyTorch's CPU build, with ``AssertionError: Torch not compiled with CUDA enabled``, at the line that asks for the
GPU; ``minigrad.cuda.is_available()`` is False, so ``"cuda" if minigrad.cuda.is_available() else "cpu"`` picks the CPU.
"""
import functools
import inspect
import re
import warnings

from minigrad import messages

# the device types PyTorch's device strings may start with, in the order its message lists them
DEVICE_TYPES = ("cpu", "cuda", "ipu", "xpu", "mkldnn", "opengl", "opencl", "ideep", "hip", "ve", "fpga", "maia",
                "xla", "lazy", "vulkan", "mps", "meta", "hpu", "mtia", "privateuseone")
# What PyTorch's CPU build says for a tensor asked for on a device type it knows but has no backend for:
_NOT_COMPILED = {"cuda": "CUDA", "xpu": "XPU"}  # an AssertionError, wherever it is asked for
_NO_MODULE = ("hpu", "privateuseone")  # a ModuleNotFoundError (minigrad.hpu)
_CAFFE2 = ("mkldnn", "ideep", "opengl", "opencl")  # old device types: made there, an internal assert
_BACKEND_NAMES = {"xla": "XLA", "lazy": "Lazy", "ipu": "IPU", "vulkan": "Vulkan", "maia": "MAIA", "fpga": "FPGA",
                  "ve": "VE", "mps": "MPS", "hip": "HIP"}  # made there: no kernel; moved there: not linked
_MOVES = ("to", "tensor", "as_tensor")  # the functions that move data that exists to a device
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
        if type == "mkldnn":
            warnings.warn(messages.MKLDNN_DEVICE_WARNING, UserWarning, stacklevel=2)
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
    """``value`` given as ``device=`` (or to ``to``) must name the CPU (``"cpu"``, ``"cpu:0"``): any other device is
    refused with what PyTorch's CPU build says there, before anything is made, and ``device=1.5`` with its TypeError.
    minigrad has no ``meta`` tensors (shapes without numbers) either."""
    if value is None:
        return
    if not isinstance(value, (device, str, int)) or isinstance(value, bool):
        raise TypeError(f"{function}(): argument 'device' must be minigrad.device, not {_type_name(value)}")
    kind = device(value).type
    if kind == "cpu":
        return
    if kind in _NOT_COMPILED:
        raise AssertionError(messages.not_compiled_with(_NOT_COMPILED[kind]))
    if kind == "mtia":
        raise AssertionError(messages.NOT_COMPILED_WITH_MTIA)
    if kind in _NO_MODULE:
        raise ModuleNotFoundError(f"No module named 'minigrad.{kind}'")
    if kind == "meta":
        raise NotImplementedError(messages.NO_META_TENSORS)
    moving = function in _MOVES
    if moving and kind != "lazy":
        raise RuntimeError(messages.not_linked_with(kind))
    if kind in _CAFFE2:
        raise RuntimeError(messages.caffe2_device_type(kind))
    operator = "aten::empty_strided" if function.endswith("_like") else "aten::empty.memory_format"
    raise NotImplementedError(messages.no_kernel_for(operator, _BACKEND_NAMES[kind]))


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
