"""minigrad: PyTorch's autograd, small enough to read, on numpy.

``import minigrad as torch`` and tutorial code runs unchanged: tensors that remember how they were made
(``grad_fn``), a backward pass that fills ``.grad``, and the same names, reprs and errors as PyTorch 2.13.
"""
from minigrad import autograd, cuda, dtypes, events, ops
from minigrad.autograd import (enable_grad, inference_mode, is_grad_enabled, is_inference_mode_enabled, no_grad,
                               set_grad_enabled)
from minigrad.creation import (BoolTensor, ByteTensor, DoubleTensor, FloatTensor, IntTensor, LongTensor, arange, as_tensor, empty, empty_like, get_default_dtype, eye, from_numpy, full, full_like, linspace, ones, ones_like,
                               rand, rand_like, randint, randint_like, randn, randn_like, randperm, tensor, zeros, zeros_like)
from minigrad.devices import device
from minigrad.dtypes import bool_ as bool
from minigrad.dtypes import double, dtype, float, float32, float64, int, int32, int64, long, promote_types, uint8
from minigrad.formatting import get_printoptions, set_printoptions
from minigrad.logical import (bitwise_and, bitwise_not, bitwise_or, bitwise_xor, logical_and, logical_not,
                              logical_or, logical_xor)
from minigrad.layouts import channels_last, contiguous_format, layout, memory_format, preserve_format, strided
from minigrad.ops import *  # noqa: F401,F403  (minigrad.add, minigrad.exp, ... as in torch)
from minigrad.ops.arguments import wrap_public_functions as _wrap_public_functions
from minigrad.random import Generator, default_generator, initial_seed, manual_seed, seed
from minigrad.tensor import Size, Tensor
from minigrad import tensor_methods  # noqa: E402,F401  (wires the maths methods and operators onto Tensor)
from minigrad.warn_once import is_warn_always_enabled, set_warn_always

from minigrad import nn, optim  # noqa: E402  (after Tensor: they build on it)

__version__ = "0.1.0"


def is_tensor(obj):
    return isinstance(obj, Tensor)


def numel(input):
    return input.numel()


def result_type(tensor1, tensor2):
    return dtypes.result_type(tensor1, tensor2)


_wrap_public_functions(globals())  # minigrad.exp('a'): PyTorch's TypeError naming the argument, not an AttributeError
