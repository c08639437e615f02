"""Ops that move elements around: gather, scatter, index_select, sort, argsort, topk, flip, roll, repeat.

Every output element is a copy of one input element, so backward sends each output's gradient back to the place it
came from. Where several outputs came from one place (``index_select`` picking a row twice, ``repeat``), their
gradients add up there. ``gather`` reads from positions and its backward adds into them (``ScatterAdd``); the two are
each other's backward, which is why second derivatives work through them.
"""
import numpy as np

from minigrad import messages
from minigrad.autograd.function import Function, note_written_in_place
from minigrad.ops import arguments
from minigrad.ops.extrema import _values_indices
from minigrad.ops.formula import backward_op, constant, masked_fill, sum_over, written_in_place
from minigrad.ops.joining import cat
from minigrad.ops.reduction import normalize_dims
from minigrad.tensor import Tensor

sort_result = _values_indices("sort")
topk_result = _values_indices("topk")


def _positions(index, dim):
    """numpy's fancy-index tuple that reads ``index`` along ``dim`` and the matching position along the others."""
    if index.ndim == 0:  # a 0-d tensor's one element (the index can only be 0)
        return ()
    grid = list(np.indices(index.shape, sparse=True))
    grid[dim] = index
    return tuple(grid)


class Gather(Function):
    """out[..., j, ...] = x[..., index[..., j, ...], ...] along ``dim``;  d/dx adds each grad back at its index."""

    _name = "GatherBackward0"
    _backward_on_arrays = True

    @staticmethod
    def forward(ctx, x, dim, index):
        ctx.input_shape, ctx.dim, ctx.index = x._data.shape, dim, index
        return Gather.formula(x._data, dim, index)

    @staticmethod
    def formula(x, dim, index):
        return x.copy() if x.ndim == 0 else x[_positions(index, dim)]

    @staticmethod
    def backward(ctx, grad):
        if not ctx.input_shape:
            return grad, None, None
        return backward_op(ScatterAdd, grad, ctx.input_shape, ctx.dim, ctx.index), None, None


class ScatterAdd(Function):
    """zeros of ``shape`` with each grad added at its index along ``dim`` (gather's backward);  d/dgrad = gather."""

    _name = "ScatterAddBackward0"

    @staticmethod
    def forward(ctx, grad, shape, dim, index):
        ctx.dim, ctx.index = dim, index
        return ScatterAdd.formula(grad._data, shape, dim, index)

    @staticmethod
    def formula(grad, shape, dim, index):
        result = np.zeros(shape, grad.dtype)
        np.add.at(result, _positions(index, dim), grad)  # add.at: repeated positions add up
        note_written_in_place(result)  # as PyTorch's scatter_add_ into zeros: a .grad that keeps it is at version 1
        return result

    @staticmethod
    def backward(ctx, grad):
        return backward_op(Gather, grad, ctx.dim, ctx.index), None, None, None


class Scatter(Function):
    """x with src written at ``index`` along ``dim``;  d/dx = grad with the overwritten places zeroed,
    d/dsrc = grad gathered from the places written (so src needs the index's shape, as in PyTorch)."""

    _name = "ScatterBackward0"
    _backward_on_arrays = True

    @staticmethod
    def forward(ctx, x, dim, index, src):
        ctx.dim, ctx.index, ctx.src_shape = dim, index, src._data.shape
        result = x._data.copy()
        positions = _positions(index, dim)
        result[positions] = src._data[tuple(slice(0, n) for n in index.shape)]
        ctx.written = np.zeros(x._data.shape, bool)
        ctx.written[positions] = True
        return result

    @staticmethod
    def backward(ctx, grad):
        grad_x = masked_fill(grad, constant(ctx.written, grad), 0.0) if ctx.needs_input_grad[0] else None
        grad_src = None
        if ctx.needs_input_grad[3]:
            if ctx.index.shape != ctx.src_shape:  # src's elements past the index were never read: PyTorch refuses
                raise RuntimeError(
                    f"Function ScatterBackward0 returned an invalid gradient at index 1 - got {list(ctx.index.shape)} "
                    f"but expected shape compatible with {list(ctx.src_shape)}")
            grad_src = backward_op(Gather, grad, ctx.dim, ctx.index)
        return grad_x, None, None, grad_src


class ScatterValue(Function):
    """x with a number written at ``index`` along ``dim``;  d/dx = grad with the overwritten places zeroed."""

    _name = "ScatterBackward1"
    _backward_on_arrays = True

    @staticmethod
    def forward(ctx, x, dim, index, value):
        result = x._data.copy()
        result[_positions(index, dim)] = value
        ctx.written = np.zeros(x._data.shape, bool)
        ctx.written[_positions(index, dim)] = True
        return result

    @staticmethod
    def backward(ctx, grad):
        return masked_fill(grad, constant(ctx.written, grad), 0.0), None, None, None


class IndexSelect(Function):
    """the slices of x at ``index`` along ``dim``;  d/dx adds each slice's grad back into its slice."""

    _name = "IndexSelectBackward0"
    _backward_on_arrays = True

    @staticmethod
    def forward(ctx, x, dim, index):
        ctx.input_shape, ctx.dim = x._data.shape, dim
        if x._data.ndim == 0:
            return x._data.reshape(1)[index].reshape(())
        result = np.take(x._data, index, axis=dim)
        # the same positions as a gather index, so backward can reuse ScatterAdd
        shape = [1] * result.ndim
        shape[dim] = len(index)
        ctx.index = np.broadcast_to(index.reshape(shape), result.shape)
        return result

    @staticmethod
    def backward(ctx, grad):
        if not ctx.input_shape:
            return grad.sum(), None, None
        return backward_op(ScatterAdd, grad, ctx.input_shape, ctx.dim, ctx.index), None, None


class Sort(Function):
    """the values along ``dim`` in order, and where each came from;  d/dx puts each grad back at its index."""

    _name = "SortBackward0"
    _backward_on_arrays = True

    @staticmethod
    def forward(ctx, x, dim, descending, k):
        data = x._data if x._data.ndim else x._data.reshape(1)
        order = np.argsort(-data if descending else data, axis=dim, kind="stable")
        if k is not None:
            order = np.take(order, np.arange(k), axis=dim)
        values = np.take_along_axis(data, order, axis=dim)
        ctx.input_shape, ctx.dim, ctx.index = x._data.shape, dim, order
        if x._data.ndim == 0:
            values, order = values.reshape(()), order.reshape(())
        indices = Tensor._make(order.astype(np.int64))
        ctx.save_for_backward(indices)  # as PyTorch: indices changed in place since are refused by backward
        return values, indices

    @staticmethod
    def backward(ctx, grad, _indices_grad=None):
        ctx.saved_tensors  # (checks the indices are as they were)
        if not ctx.input_shape:
            gradient = grad.copy() if type(grad) is np.ndarray else grad
        else:
            gradient = backward_op(ScatterAdd, grad, ctx.input_shape, ctx.dim, ctx.index)
        return written_in_place(gradient, 2), None, None, None  # PyTorch: zeros, then scatter_


class SortStable(Sort):
    """sort called with ``stable=``: the same sort and gradient, under PyTorch's name for that overload."""

    _name = "SortBackward1"


class TopK(Sort):
    """the k largest (or smallest) values along ``dim`` and their indices;  d/dx puts each grad back at its index."""

    _name = "TopkBackward0"


class Flip(Function):
    """the elements in reverse order along ``dims``;  d/dx = grad flipped back."""

    _name = "FlipBackward0"
    _backward_on_arrays = True

    @staticmethod
    def forward(ctx, x, dims):
        ctx.dims = dims
        return Flip.formula(x._data, dims)

    @staticmethod
    def formula(x, dims):
        return np.flip(x, dims).copy() if dims else x.copy()

    @staticmethod
    def backward(ctx, grad):
        return backward_op(Flip, grad, ctx.dims), None


class Roll(Function):
    """the elements shifted along ``dims``, wrapping around;  d/dx = grad shifted back."""

    _name = "RollBackward0"
    _backward_on_arrays = True

    @staticmethod
    def forward(ctx, x, shifts, dims):
        ctx.shifts, ctx.dims = shifts, dims
        return Roll.formula(x._data, shifts, dims)

    @staticmethod
    def formula(x, shifts, dims):
        return np.roll(x.reshape(-1), shifts).reshape(x.shape) if dims is None else np.roll(x, shifts, dims)

    @staticmethod
    def backward(ctx, grad):
        back = -ctx.shifts if ctx.dims is None else tuple(-s for s in ctx.shifts)
        return backward_op(Roll, grad, back, ctx.dims), None, None


class Repeat(Function):
    """x tiled ``repeats`` times along each dim;  d/dx = the sum of the grads of all the copies."""

    _name = "RepeatBackward0"
    _backward_on_arrays = True

    @staticmethod
    def forward(ctx, x, repeats):
        ctx.input_shape, ctx.repeats = x._data.shape, repeats
        return np.tile(x._data.reshape((1,) * (len(repeats) - x._data.ndim) + x._data.shape), repeats)

    @staticmethod
    def backward(ctx, grad):
        padded = (1,) * (len(ctx.repeats) - len(ctx.input_shape)) + ctx.input_shape
        split = [n for pair in zip(ctx.repeats, padded) for n in pair]  # (copies, size) per dim
        summed = sum_over(grad.reshape(split), tuple(range(0, len(split), 2))) if split else grad
        return summed.reshape(ctx.input_shape), None


# ----- checks and functions -----------------------------------------------------------------------------------------
def _dim(name, input, dim):
    dims = normalize_dims(arguments.int_argument(name, "dim", dim), input.ndim)
    return dims[0] if dims else 0


def _index(name, index, kind="gather"):
    arguments.tensor_argument(name, "index", 3 if kind != "index_select" else 3, index)
    if index.dtype.name not in ("int64", "int32"):
        raise RuntimeError(f"{name}(): Expected dtype int32/int64 for index" if kind != "index_select" else
                           f"{name}(): Expected dtype int32 or int64 for index")
    return index._data.astype(np.int64)


def _check_gather_shapes(name, input, dim, index):
    if index.ndim != builtins_max(input.ndim, 1) and not (input.ndim == 0 and index.ndim == 0):
        raise RuntimeError("Index tensor must have the same number of dimensions as input tensor")
    size = input._data.shape[dim] if input.ndim else 1
    if index.size and (index.max() >= size or index.min() < -size):
        bad = index.max() if index.max() >= size else index.min()
        raise RuntimeError(f"index {bad} is out of bounds for dimension {dim} with size {size}")
    for d in range(input.ndim):
        if d != dim and index.shape[d] > input._data.shape[d]:
            raise RuntimeError(f"Size does not match at dimension {d} expected index {list(index.shape)} to be no "
                               f"larger than self {list(input.shape)} apart from dimension {dim}")
    return index % size if index.size else index


def builtins_max(a, b):
    return a if a > b else b


def gather(input, dim, index, *, sparse_grad=False):
    """``out[i][j] = input[index[i][j]][j]`` for ``dim=0`` (``input[i][index[i][j]]`` for ``dim=1``): pick one
    element per output position. Classic use: ``log_probs.gather(1, labels[:, None])``."""
    dim = _dim("gather", input, dim)
    index = _check_gather_shapes("gather", input, dim, _index("gather", index))
    return Gather.apply(input, dim, index)


def scatter(input, dim, index, src=None, *, value=None, reduce=None):
    """A copy of ``input`` with ``src`` (a tensor or a number) written at ``index`` along ``dim`` (gather's
    reverse). Where an index repeats, which value is kept is undefined, as in PyTorch."""
    if src is None:
        src = value
    dim = _dim("scatter", input, dim)
    index = _check_gather_shapes("scatter", input, dim, _index("scatter", index))
    if isinstance(src, Tensor):
        if src.dtype is not input.dtype:
            raise RuntimeError("scatter(): Expected self.dtype to be equal to src.dtype")
        return Scatter.apply(input, dim, index, src)
    src = arguments.number_argument("scatter", "value", src, 4)
    return ScatterValue.apply(input, dim, index, src)


def index_select(input, dim, index):
    """The slices of ``input`` at the positions ``index`` (a 1-d integer tensor) along ``dim``."""
    dim = _dim("index_select", input, dim)
    arguments.tensor_argument("index_select", "index", 3, index)
    if index.ndim > 1:
        raise IndexError("index_select(): Index is supposed to be a vector")
    if index.dtype.name not in ("int64", "int32"):
        raise RuntimeError("index_select(): Expected dtype int32 or int64 for index")
    positions = index._data.reshape(-1).astype(np.int64)
    if input.ndim == 0 and positions.size != 1:
        raise RuntimeError(f"index_select(): Index to scalar can have only 1 value, got {positions.size} value(s)")
    size = input._data.shape[dim] if input.ndim else 1
    if positions.size and (positions.max() >= size or positions.min() < -size):
        raise IndexError("index out of range in self")
    return IndexSelect.apply(input, dim, positions % size if positions.size else positions)


def _sorted(name, node, result_type, input, dim, descending, k=None):
    dim = _dim(name, input, dim)
    values, indices = node.apply(input, dim, arguments.bool_argument(name, "descending", descending), k)
    return result_type(values, indices)


_SORT_SIGNATURES = (  # as a function and as a method
    ("Tensor input, *, bool stable, int dim = -1, bool descending = False, tuple of Tensors out = None",
     "Tensor input, int dim = -1, bool descending = False, *, tuple of Tensors out = None"),
    ("*, bool stable, int dim = -1, bool descending = False", "int dim = -1, bool descending = False"))


def sort(input, dim=-1, descending=False, *, stable=arguments.NOT_GIVEN):
    """The values along ``dim`` in increasing order (``descending=True``: decreasing) and the indices they came from.
    Equal values keep their order (``stable=`` picks PyTorch's other overload: SortBackward1, the same sort)."""
    node = Sort
    if stable is not arguments.NOT_GIVEN:
        if stable is not None and not isinstance(stable, bool):
            raise arguments.invalid_combination("sort", (input,), {"stable": stable}, *_SORT_SIGNATURES)
        node = SortStable
    return _sorted("sort", node, sort_result, input, dim, descending)


def argsort(input, dim=-1, descending=False, *, stable=False):
    """The indices that would sort ``input`` along ``dim`` (no gradient: indices are integers)."""
    return sort(input, dim, descending).indices


def topk(input, k, dim=-1, largest=True, sorted=True):
    """The ``k`` largest values along ``dim`` (``largest=False``: smallest) and their indices, largest first."""
    k = arguments.int_argument("topk", "k", k, 1)
    size = input._data.shape[_dim("topk", input, dim)] if input.ndim else 1
    if not 0 <= k <= size:
        raise RuntimeError("selected index k out of range")
    return _sorted("topk", TopK, topk_result, input, dim, largest, k)


def flip(input, *spread, dims=arguments.REQUIRED):
    """The elements in reverse order along each of ``dims``."""
    dims = arguments.spread_or_keyword("flip", spread, dims, "dims")
    if not dims:
        raise TypeError(messages.missing_arguments("flip", ["dims"]))
    dims = tuple(dims[0]) if len(dims) == 1 and not arguments.is_int(dims[0]) else dims
    wrapped = []
    for d in dims:
        (w,) = normalize_dims(arguments.int_argument("flip", "dims", d), input.ndim) or (0,)
        if w in wrapped:
            raise RuntimeError(f"dim {w} appears multiple times in the list of dims")
        wrapped.append(w)
    return Flip.apply(input, tuple(wrapped) if input.ndim else ())


def roll(input, shifts, dims=None):
    """The elements shifted by ``shifts`` along ``dims``, the ones pushed off the end coming back at the start
    (without ``dims``: over the flattened tensor)."""
    shifts = (shifts,) if arguments.is_int(shifts) else tuple(shifts)
    if dims is None:
        if len(shifts) != 1:
            raise RuntimeError(f"shifts and dimensions must align. shifts: {len(shifts)}, dims:0")
        return Roll.apply(input, int(shifts[0]), None)
    dims = (dims,) if arguments.is_int(dims) else tuple(dims)
    if len(shifts) != len(dims):
        raise RuntimeError(f"shifts and dimensions must align. shifts: {len(shifts)}, dims:{len(dims)}")
    if input.ndim == 0:
        return Roll.apply(input, 0, None)
    dims = tuple(normalize_dims(int(d), input.ndim)[0] for d in dims)
    return Roll.apply(input, tuple(int(s) for s in shifts), dims)


def repeat(input, *spread, repeats=arguments.NOT_GIVEN):
    """``input`` tiled: ``x.repeat(2, 1)`` stacks two copies along dim 0. (Unlike ``expand``, it copies.)"""
    repeats = arguments.spread_or_keyword("repeat", spread, repeats, "repeats")
    repeats = tuple(repeats[0]) if len(repeats) == 1 and not arguments.is_int(repeats[0]) else repeats
    repeats = tuple(arguments.int_argument("repeat", "repeats", r) for r in repeats)
    if len(repeats) < input.ndim:
        raise RuntimeError("Number of dimensions of repeat dims can not be smaller than number of dimensions of "
                           "tensor")
    if any(r < 0 for r in repeats):
        raise RuntimeError(f"Trying to create tensor with negative dimension {min(repeats)}: {list(repeats)}")
    return Repeat.apply(input, repeats)
