"""Every op minigrad knows, as functions: ``ops.add(x, y)`` is what ``x + y`` and ``minigrad.add`` call."""
from minigrad.ops.arithmetic import add, div, mul, neg, pow, rdiv, reciprocal, rpow, rsub, sub
from minigrad.ops.reduction import mean, sum, sum_to_size
from minigrad.ops.shape import (expand, expand_as, flatten, permute, reshape, squeeze, t, t_inplace, transpose,
                                unsqueeze, view)
from minigrad.creation import normal_, uniform_
from minigrad.ops.copies import clone, copy_from, filled, to, zeroed
from minigrad.ops.elementwise import abs, cos, exp, log, masked_fill, relu, sigmoid, sin, sqrt, square, tanh, where
from minigrad.ops.comparison import all, allclose, any, eq, equal, ge, gt, le, lt, ne
from minigrad.ops.extrema import argmax, argmin, clamp, clamp_max, clamp_min, clip, max, maximum, min, minimum
from minigrad.ops.normalization import log_softmax, norm, softmax
from minigrad.ops.linalg import bmm, dot, matmul, mm, mv, rmatmul
from minigrad.ops.indexing import getitem, narrow, select, setitem
from minigrad.ops.joining import cat, concat, concatenate, stack
from minigrad.ops.arithmetic import floor_divide, remainder
from minigrad.ops.shape import contiguous, squeeze_inplace, transpose_inplace, unsqueeze_inplace, view_as
from minigrad.ops.rounding import ceil, fix, floor, frac, lerp, nan_to_num, round, sgn, sign, trunc
from minigrad.ops.scans import cumprod, cumsum
from minigrad.ops.statistics import amax, amin, logsumexp, prod, std, var
from minigrad.ops.reordering import argsort, flip, gather, index_select, repeat, roll, scatter, sort, topk
from minigrad.ops.joining import chunk, split, unbind
from minigrad.ops.linalg import addmm, ger, outer
from minigrad.ops.einsum import einsum
from minigrad.ops.comparison import isclose

# What ``from minigrad.ops import *`` gives the top-level package: PyTorch's top-level names only. The rest above
# (getitem, setitem, rdiv, rpow, zeroed, t_inplace, view, ...) are what Tensor's methods and operators call; they
# stay here as minigrad.ops.getitem and are not minigrad.getitem, as torch.getitem does not exist.
__all__ = [
    "abs", "add", "addmm", "all", "allclose", "amax", "amin", "any", "argmax", "argmin", "argsort", "bmm", "cat",
    "ceil", "chunk", "clamp", "clamp_max", "clamp_min", "clip", "clone", "concat", "concatenate", "cos", "cumprod",
    "cumsum", "div", "dot", "einsum", "eq", "equal", "exp", "fix", "flatten", "flip", "floor", "floor_divide",
    "frac", "gather", "ge", "ger", "gt", "index_select", "isclose", "le", "lerp", "log", "log_softmax", "logsumexp",
    "lt", "masked_fill", "matmul", "max", "maximum", "mean", "min", "minimum", "mm", "mul", "mv", "nan_to_num",
    "narrow", "ne", "neg", "norm", "outer", "permute", "pow", "prod", "reciprocal", "relu", "remainder", "reshape",
    "roll", "round", "rsub", "scatter", "select", "sgn", "sigmoid", "sign", "sin", "softmax", "sort", "split", "sqrt",
    "square", "squeeze", "stack", "std", "sub", "sum", "t", "tanh", "topk", "transpose", "trunc", "unbind", "unsqueeze",
    "var",
    "where",
]
