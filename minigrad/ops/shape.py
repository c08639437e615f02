"""Shape ops: the same numbers, seen with another shape or order (views share memory with their input).

Their backward moves the gradient back to the input's layout: reshape it back, transpose it back, sum what an
``expand`` repeated. A view shares its input's version counter, so changing either in place is seen by autograd.
"""
import numpy as np

from minigrad import messages
from minigrad.autograd.function import Function
from minigrad.ops import arguments, formula
from minigrad.ops.reduction import normalize_dims
from minigrad.tensor import _type_word, _wrap_dim


def as_view(result, source):
    """Mark ``result`` as a view of ``source``: same memory, same version counter, same base."""
    if np.shares_memory(result._data, source._data):
        result._version_counter = source._version_counter
        result._base = source._base if source._base is not None else source
        if source._is_inference:  # a view of an inference tensor is one too
            result._is_inference = True
    return result


def _shape_arg(shape):
    """Accept both ``view(2, 3)`` and ``view((2, 3))``."""
    if len(shape) == 1 and not isinstance(shape[0], int):
        return tuple(shape[0])
    return tuple(shape)


def _infer_shape(shape, numel):
    """Resolve one ``-1`` entry, with PyTorch's error for an impossible shape."""
    known = 1
    for n in shape:
        if n != -1:
            known *= n
    if shape.count(-1) > 1:
        raise RuntimeError("only one dimension can be inferred")
    if -1 in shape:
        if known == 0 or numel % known:
            raise RuntimeError(f"shape '{list(shape)}' is invalid for input of size {numel}")
        shape = tuple(numel // known if n == -1 else n for n in shape)
    elif known != numel:
        raise RuntimeError(f"shape '{list(shape)}' is invalid for input of size {numel}")
    return shape


class View(Function):
    """The same values with a new shape;  the gradient is reshaped back."""

    _name = "ViewBackward0"
    _backward_on_arrays = True
    _saved_fields = {"self_sym_sizes": "input_shape"}

    @staticmethod
    def forward(ctx, x, shape):
        ctx.input_shape = x._data.shape
        return x._data.reshape(shape)

    @staticmethod
    def backward(ctx, grad):
        return grad.reshape(ctx.input_shape), None


class ReshapeAlias(View):
    """``reshape`` of a non-contiguous tensor that still needed no copy: same maths as View."""

    _name = "ReshapeAliasBackward0"


class UnsafeView(View):
    """``reshape`` that had to copy (non-contiguous input): same maths as View."""

    _name = "UnsafeViewBackward0"


class Expand(Function):
    """Repeat size-1 dims (no copy);  the gradient sums over the repeats."""

    _name = "ExpandBackward0"
    _backward_on_arrays = True
    _saved_fields = {"self_sym_sizes": "input_shape"}

    @staticmethod
    def forward(ctx, x, shape):
        ctx.input_shape = x._data.shape
        return np.broadcast_to(x._data, shape)

    @staticmethod
    def backward(ctx, grad):
        return formula.sum_to(grad, ctx.input_shape), None


class Unsqueeze(Function):
    """Insert a size-1 dim;  the gradient drops it again."""

    _name = "UnsqueezeBackward0"
    _backward_on_arrays = True

    @staticmethod
    def forward(ctx, x, dim):
        ctx.dim = dim
        return np.expand_dims(x._data, dim)

    @staticmethod
    def backward(ctx, grad):
        return formula.squeeze(grad, ctx.dim), None


class Squeeze(Function):
    """Drop size-1 dims;  the gradient gets them back."""

    _name = "SqueezeBackward0"
    _backward_on_arrays = True

    @staticmethod
    def forward(ctx, x, dims):
        ctx.dims = tuple(sorted(dims))  # the size-1 dims dropped
        return np.squeeze(x._data, axis=dims)

    @staticmethod
    def backward(ctx, grad):
        for dim in ctx.dims:  # from the lowest, so each dim lands where it was (UnsqueezeBackward0 on tensors)
            grad = formula.unsqueeze(grad, dim)
        return grad, None


class SqueezeDim(Squeeze):
    _name = "SqueezeBackward1"


class SqueezeDims(Squeeze):
    _name = "SqueezeBackward2"


class T(Function):
    """Transpose of a matrix (``t()``);  the gradient is transposed back."""

    _name = "TBackward0"
    _backward_on_arrays = True

    @staticmethod
    def forward(ctx, x):
        return x._data.T

    @staticmethod
    def backward(ctx, grad):
        return formula.t(grad)


class TInPlace(T):
    """``t_()``: the same maths, and PyTorch gives the in-place version its own node name."""

    _name = "TBackward1"


class Transpose(Function):
    """Swap two dims;  the gradient swaps them back."""

    _name = "TransposeBackward0"
    _backward_on_arrays = True

    @staticmethod
    def forward(ctx, x, dim0, dim1):
        ctx.dims = dim0, dim1
        return np.swapaxes(x._data, dim0, dim1) if x._data.ndim else x._data.view()  # a 0-d tensor: dims 0 and 0

    @staticmethod
    def backward(ctx, grad):
        return formula.transpose(grad, *ctx.dims), None, None


class Permute(Function):
    """Reorder dims;  the gradient applies the inverse order."""

    _name = "PermuteBackward0"
    _backward_on_arrays = True

    @staticmethod
    def forward(ctx, x, dims):
        ctx.inverse = tuple(np.argsort(dims))
        return np.transpose(x._data, dims)

    @staticmethod
    def backward(ctx, grad):
        return formula.permute(grad, ctx.inverse), None


# ----- functions ------------------------------------------------------------------------------------------------
def view(input, *shape, size=arguments.NOT_GIVEN):
    shape = arguments.spread_or_keyword("view", shape, size, "size")
    if arguments.is_spread_size(shape):  # view(2.0, 2): neither a dtype nor a size
        raise arguments.invalid_combination("view", shape, {}, ("minigrad.dtype dtype", "tuple of ints size"))
    shape = _infer_shape(arguments.size_entries("view", shape, position=2), input.numel())
    if not _viewable(input._data, shape):
        raise RuntimeError("view size is not compatible with input tensor's size and stride (at least one dimension "
                           "spans across two contiguous subspaces). Use .reshape(...) instead.")
    return as_view(View.apply(input, shape), input)


def reshape(input, *sizes, shape=arguments.REQUIRED):
    shape = arguments.spread_or_keyword("reshape", sizes, shape, "shape")
    if not shape:
        raise TypeError(messages.missing_arguments("reshape", ["shape"]))
    shape = _infer_shape(arguments.size_entries("reshape", shape, position=2, name="shape"), input.numel())
    if _viewable(input._data, shape):
        # PyTorch records a contiguous input's reshape as a view, a strided one as _reshape_alias
        node = View if input._data.flags.c_contiguous else ReshapeAlias
        return as_view(node.apply(input, shape), input)
    return UnsafeView.apply(input.clone(), shape)  # PyTorch: a copy (CloneBackward0) then _unsafe_view


def _viewable(data, shape):
    """Can ``data`` be reshaped without copying? (numpy answers by trying a copy-free reshape)."""
    try:
        data.view().shape = shape  # raises AttributeError when a copy would be needed
        return True
    except AttributeError:
        return False


def flatten(input, start_dim=0, end_dim=-1):
    start, end = _wrap_dim(start_dim, input.ndim), _wrap_dim(end_dim, input.ndim)
    if start > end:
        raise RuntimeError("flatten() has invalid args: start_dim cannot come after end_dim")
    if input.ndim == 0:
        return reshape(input, 1)
    if start == end:
        return input
    shape = input.shape
    new_shape = shape[:start] + (int(np.prod(shape[start:end + 1])),) + shape[end + 1:]
    return reshape(input, new_shape)


def expand(input, *sizes, size=arguments.NOT_GIVEN):
    sizes = _shape_arg(arguments.spread_or_keyword("expand", sizes, size, "size"))
    lead = len(sizes) - input.ndim
    if lead < 0:
        raise RuntimeError(f"expand(minigrad.{_type_word(input.dtype)}Tensor{{{list(input.shape)}}}, "
                           f"size={list(sizes)}): the number of sizes provided ({len(sizes)}) must be greater or equal "
                           f"to the number of dimensions in the tensor ({input.ndim})")
    if -1 in sizes[:lead]:
        raise RuntimeError(f"The expanded size of the tensor (-1) isn't allowed in a leading, non-existing dimension "
                           f"{sizes.index(-1)}")
    shape = tuple(n if n != -1 else input.shape[i - lead] for i, n in enumerate(sizes))
    for i, n in enumerate(input.shape):
        if n != 1 and n != shape[lead + i]:
            raise RuntimeError(f"The expanded size of the tensor ({shape[lead + i]}) must match the existing size "
                               f"({n}) at non-singleton dimension {lead + i}.  Target sizes: {list(sizes)}.  "
                               f"Tensor sizes: {list(input.shape)}")
    return as_view(Expand.apply(input, shape), input)


def expand_as(input, other):
    return expand(input, other.shape)


def unsqueeze(input, dim):
    dim = dim % (input.ndim + 1) if -input.ndim - 1 <= dim <= input.ndim else _bad_dim(dim, input.ndim + 1)
    return as_view(Unsqueeze.apply(input, dim), input)


def squeeze(input, dim=None):
    if dim is None:
        dims = tuple(i for i, n in enumerate(input.shape) if n == 1)
        return as_view(Squeeze.apply(input, dims), input)
    all_dims = normalize_dims(dim, input.ndim)
    dims = tuple(d for d in all_dims if input.shape[d] == 1)
    cls = SqueezeDim if isinstance(dim, int) else SqueezeDims
    return as_view(cls.apply(input, dims), input)


def t(input):
    if input.ndim > 2:
        raise RuntimeError(f"t() expects a tensor with <= 2 dimensions, but self is {input.ndim}D")
    return as_view(T.apply(input), input)


def transpose(input, dim0, dim1):
    d0, d1 = _wrap_dim(dim0, input.ndim), _wrap_dim(dim1, input.ndim)
    return as_view(Transpose.apply(input, d0, d1), input)


def permute(input, *spread, dims=arguments.NOT_GIVEN):
    dims = _shape_arg(arguments.spread_or_keyword("permute", spread, dims, "dims"))
    if len(dims) != input.ndim:
        raise RuntimeError("permute(sparse_coo): number of dimensions in the tensor input does not match the length "
                           "of the desired ordering of dimensions i.e. input.dim() = "
                           f"{input.ndim} is not equal to len(dims) = {len(dims)}")
    dims = tuple(_wrap_dim(d, input.ndim) for d in dims)
    if len(set(dims)) != len(dims):
        raise RuntimeError("permute(): duplicate dims are not allowed.")
    return as_view(Permute.apply(input, dims), input)


def _bad_dim(dim, ndim):
    raise IndexError(f"Dimension out of range (expected to be in range of [{-ndim}, {ndim - 1}], but got {dim})")


def t_inplace(input):
    """What ``x.t_()`` computes before writing it back into ``x`` (node ``TBackward1``)."""
    if input.ndim > 2:
        raise RuntimeError(f"t_() expects a tensor with <= 2 dimensions, but self is {input.ndim}D")
    return TInPlace.apply(input)


class TransposeInPlace(Transpose):
    """``transpose_``: the same maths as ``transpose``; PyTorch names the in-place node differently."""

    _name = "TransposeBackward1"


class SqueezeInPlace(Squeeze):
    _name = "SqueezeBackward3"


class UnsqueezeInPlace(Unsqueeze):
    _name = "UnsqueezeBackward1"


def transpose_inplace(input, dim0, dim1):
    """What ``x.transpose_(d0, d1)`` computes before writing it back into ``x``."""
    return TransposeInPlace.apply(input, _wrap_dim(dim0, input.ndim), _wrap_dim(dim1, input.ndim))


def squeeze_inplace(input, dim=None):
    dims = tuple(i for i, n in enumerate(input.shape) if n == 1) if dim is None else tuple(
        d for d in normalize_dims(dim, input.ndim) if input.shape[d] == 1)
    return SqueezeInPlace.apply(input, dims)


def unsqueeze_inplace(input, dim):
    dim = dim % (input.ndim + 1) if -input.ndim - 1 <= dim <= input.ndim else _bad_dim(dim, input.ndim + 1)
    return UnsqueezeInPlace.apply(input, dim)


def contiguous(input, memory_format=None):
    """``input`` itself when its memory is already in row-major order, else a row-major copy (``CloneBackward0``)."""
    if input._data.flags.c_contiguous:
        return input
    from minigrad.ops.copies import clone

    return clone(input)


def view_as(input, other):
    return view(input, other.shape)
