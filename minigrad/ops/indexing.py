"""Indexing: ``x[0]``, ``x[1:, None]``, ``x[[0, 2]]``, ``x[x > 0]``, and assignment ``x[0] = 5``.

An index is read the way PyTorch reads it, one entry at a time from the left (``index_parsing.py``):

- an int keeps one position and drops that dim (``select``, node ``SelectBackward0``);
- a slice keeps a range (``SliceBackward0``); ``None`` inserts a size-1 dim (``UnsqueezeBackward0``);
  ``...`` skips as many dims as the other entries leave over.

That is *basic* indexing: every step is a view sharing memory with ``x``. Lists, integer tensors and boolean masks
are *advanced* indexing: after the basic steps one ``index`` op gathers those positions into a new tensor
(``IndexBackward0``), a copy.

Reading: the gradient goes back to the positions the values came from, zeros elsewhere (a position read twice gets
both contributions). Writing ``x[index] = value`` changes ``x`` in place: the overwritten positions get no gradient,
and ``value`` gets the gradient of the positions it was written to, summed where it was broadcast.
"""
import numbers

import numpy as np

from minigrad.autograd.function import Function, note_written_in_place
from minigrad.autograd.grad_mode import is_grad_enabled
from minigrad.ops.arithmetic import sum_to
from minigrad.ops.formula import values
from minigrad.ops.index_parsing import at, resolve
from minigrad.ops.shape import expand, unsqueeze
from minigrad.tensor import Tensor, _type_word, _wrap_dim


# ----- reading: basic steps (views) ---------------------------------------------------------------------------------
class Select(Function):
    """x.select(dim, i): position i along dim, that dim dropped;  the gradient goes back to position i, zeros
    elsewhere."""

    _name = "SelectBackward0"
    _backward_on_arrays = True

    @staticmethod
    def forward(ctx, x, dim, index):
        ctx.input_shape, ctx.dim, ctx.index = x._data.shape, dim, index
        return x._data[at(dim, index)]

    @staticmethod
    def backward(ctx, grad):
        return _placed(grad, ctx.input_shape, ctx.dim, ctx.index, SelectBackward), None, None


def _placed(grad, input_shape, dim, key, node):
    """Zeros of the input's shape with ``grad`` at ``key`` along ``dim``: on a tensor, recorded as ``node`` (so that
    it can be differentiated again), on a numpy array computed at once."""
    if isinstance(grad, Tensor):
        return node.apply(grad, input_shape, dim, key)
    out = np.zeros(input_shape, grad.dtype)
    out[at(dim, key)] = grad
    return out


class SelectBackward(Function):
    """Select's backward as an op (zeros, ``grad`` at position i) so it can be differentiated again;  its gradient
    selects position i."""

    _name = "SelectBackwardBackward0"

    @staticmethod
    def forward(ctx, grad, input_shape, dim, index):
        ctx.dim, ctx.index = dim, index
        return _placed(grad._data, input_shape, dim, index, None)

    @staticmethod
    def backward(ctx, grad):
        return _select(grad, ctx.dim, ctx.index), None, None, None


class Slice(Function):
    """x[start:stop:step] along dim;  the gradient goes back to those positions, zeros elsewhere."""

    _name = "SliceBackward0"
    _backward_on_arrays = True

    @staticmethod
    def forward(ctx, x, dim, key):
        ctx.input_shape, ctx.dim, ctx.key = x._data.shape, dim, key
        return x._data[at(dim, key)]

    @staticmethod
    def backward(ctx, grad):
        return _placed(grad, ctx.input_shape, ctx.dim, ctx.key, SliceBackward), None, None


class SliceBackward(Function):
    """Slice's backward as an op (zeros, ``grad`` in the range);  its gradient slices the same range."""

    _name = "SliceBackwardBackward0"

    @staticmethod
    def forward(ctx, grad, input_shape, dim, key):
        ctx.dim, ctx.key = dim, key
        return _placed(grad._data, input_shape, dim, key, None)

    @staticmethod
    def backward(ctx, grad):
        return _slice(grad, ctx.dim, ctx.key), None, None, None


class Alias(Function):
    """x[...]: the same values through a new view;  d/dx = 1."""

    _name = "AliasBackward0"
    _backward_on_arrays = True

    @staticmethod
    def forward(ctx, x):
        return x._data.view()

    @staticmethod
    def backward(ctx, grad):
        return grad


def _view(result, source):
    """Basic indexing always gives a view: it shares ``source``'s memory, version counter and base (``as_view``
    cannot tell for an empty result, which shares no memory at all)."""
    result._version_counter = source._version_counter
    result._base = source._base if source._base is not None else source
    if source._is_inference:  # a view of an inference tensor is one too
        result._is_inference = True
    return result


def _select(x, dim, index):
    return _view(Select.apply(x, dim, index), x)


def _slice(x, dim, key):
    return _view(Slice.apply(x, dim, key), x)


# ----- reading: advanced indexing (a copy) ------------------------------------------------------------------------
class Index(Function):
    """x[arrays]: the positions the integer arrays pick, gathered into a new tensor;  the gradient is scattered
    back to those positions and added up where a position was picked more than once."""

    _name = "IndexBackward0"
    _backward_on_arrays = True

    @staticmethod
    def forward(ctx, x, positions):
        ctx.input_shape = x._data.shape
        _save_positions(ctx, positions)
        return x._data[positions]

    @staticmethod
    def backward(ctx, grad):
        positions = _saved_positions(ctx)
        if isinstance(grad, Tensor):  # recorded as an op, so that it can be differentiated again
            return IndexAdd.apply(Tensor._make(np.zeros(ctx.input_shape, grad._data.dtype)), grad, positions), None
        gradient = _added_at(np.zeros(ctx.input_shape, grad.dtype), positions, grad)
        note_written_in_place(gradient)  # PyTorch adds into its zeros in place (index_put_): a kept .grad is at 1
        return gradient, None


def _added_at(base, positions, values):
    """``base`` with ``values`` added at ``positions`` (in place: unlike ``base[positions] += values``, a position
    picked several times gets every value)."""
    np.add.at(base, positions, values)
    return base


class IndexAdd(Function):
    """base with ``values`` added at ``positions`` (Index's backward, as an op);  d/dbase = 1,  d/dvalues = the
    gradient gathered at ``positions``."""

    _name = "IndexPutImplBackward0"

    @staticmethod
    def forward(ctx, base, values, positions):
        _save_positions(ctx, positions)
        return _added_at(base._data.copy(), positions, values._data)

    @staticmethod
    def backward(ctx, grad):
        grad_values = Index.apply(grad, _saved_positions(ctx)) if ctx.needs_input_grad[1] else None
        return (grad if ctx.needs_input_grad[0] else None), grad_values, None


def _save_positions(ctx, positions):
    """Keep the index arrays as saved tensors, as PyTorch does: a backward without ``retain_graph`` frees them,
    so a second backward through the node fails with PyTorch's error."""
    ctx.layout = tuple(p if isinstance(p, slice) else None for p in positions)
    ctx.save_for_backward(*(Tensor._make(p) for p in positions if not isinstance(p, slice)))


def _saved_positions(ctx):
    arrays = iter(ctx.saved_tensors)  # numpy arrays already when backward runs on arrays
    return tuple(values(next(arrays)) if p is None else p for p in ctx.layout)


# ----- writing ----------------------------------------------------------------------------------------------------
class CopySlices(Function):
    """x with ``value`` written at ``where`` (``x[index] = value``);  d/dx = 1 outside ``where``, 0 inside (those
    values were overwritten);  d/dvalue = the gradient at ``where``, summed over the positions value was broadcast
    to."""

    _name = "torch::autograd::CopySlices"

    @staticmethod
    def forward(ctx, x, value, where):
        ctx.where, ctx.value_shape, ctx.value_dtype = where, value._data.shape, value.dtype
        # PyTorch's CopySlices and index_put_ nodes keep state that a backward without retain_graph frees, so a
        # second backward through them fails; the fill_ / copy_ nodes for a whole-tensor write keep nothing
        if where.steps or where.positions is not None:
            _save_positions(ctx, where.positions or ())
        out = x._data.copy()
        where.write(out, value._data)
        return out

    @staticmethod
    def backward(ctx, grad):
        grad_x = grad_value = None
        if ctx.needs_input_grad[0]:
            grad_x = grad.clone()
            _write(grad_x, ctx.where, Tensor._make(np.zeros((), grad._data.dtype)))
        if ctx.needs_input_grad[1]:
            grad_value = sum_to(_gather(grad, ctx.where), ctx.value_shape).to(ctx.value_dtype)
        return grad_x, grad_value, None


class IndexPut(CopySlices):
    """The same maths when the index holds only lists, integer tensors and masks (PyTorch's ``index_put_``)."""

    _name = "IndexPutBackward0"


class FillWithTensor(CopySlices):
    """The same maths when the whole tensor is overwritten by one 0-d value (``x[:] = 5``: PyTorch's ``fill_``)."""

    _name = "FillBackward3"


class CopyInto(CopySlices):
    """The same maths when the whole tensor is overwritten by a tensor (``x[:] = t``: PyTorch's ``copy_``)."""

    _name = "torch::autograd::CopyBackwards"


def _gather(x, where):
    """``x[index]`` for a resolved index, as recorded ops."""
    for kind, dim, key in where.steps:
        if kind == "select":
            x = _select(x, dim, key)
        elif kind == "slice":
            x = _slice(x, dim, key)
        else:
            x = unsqueeze(x, dim)
    if where.positions is not None:
        x = Index.apply(x, where.positions)
    return x


def _write(x, where, value):
    """``x[index] = value`` for a resolved index, in place, with the node PyTorch records for that kind of index."""
    if where.steps:
        op = CopySlices
    elif where.arrays:
        op = IndexPut
    else:
        op = FillWithTensor if value.ndim == 0 and x.ndim else CopyInto  # PyTorch copies into a 0-d x

    def write(source, value):
        if where.arrays:  # PyTorch checks an advanced index only after checking that x may be written to
            where.finish()
            _check_value_for_advanced(x, value, where.shape)
        return op.apply(source, value, where)

    return x._write_inplace(write, value)


def _check_value_for_advanced(x, value, target_shape):
    """index_put_'s checks: the value must broadcast to the picked positions and have x's dtype."""
    shape = tuple(value.shape)
    fits = len(shape) <= len(target_shape) and all(
        n == 1 or n == m for n, m in zip(reversed(shape), reversed(target_shape)))
    if not fits:
        raise RuntimeError(f"shape mismatch: value tensor of shape {list(shape)} cannot be broadcast to indexing "
                           f"result of shape {list(target_shape)}")
    if value.dtype is not x.dtype:
        raise RuntimeError(f"Index put requires the source and destination dtypes match, got {_type_word(x.dtype)} "
                           f"for the destination and {_type_word(value.dtype)} for the source.")


def _as_value(x, value):
    """The value of ``x[index] = value`` as a tensor (a number takes x's dtype)."""
    if isinstance(value, Tensor):
        return value
    if isinstance(value, numbers.Number):
        return Tensor._make(np.asarray(value, x._data.dtype))
    kind = type(value)
    name = kind.__name__ if kind.__module__ == "builtins" else f"{kind.__module__}.{kind.__qualname__}"
    raise TypeError(f"can't assign a {name} to a minigrad.{_type_word(x.dtype)}Tensor")


def _strip_leading_ones(value):
    """PyTorch drops a value's leading size-1 dims before broadcasting it, so a [1, 3] row fits a [3] slot."""
    shape = tuple(value.shape)
    first = next((i for i, n in enumerate(shape) if n != 1), len(shape))
    return value.view(shape[first:]) if first else value


def _fit(value, shape):
    """PyTorch's rule for basic indexing: a value of the region's shape, or a 0-d one, is written as it is; any
    other value loses its leading size-1 dims and is expanded to the region (with expand's error if it cannot be)."""
    if value.shape == shape or value.ndim == 0:
        return value
    value = _strip_leading_ones(value)
    return value if value.shape == shape else expand(value, shape)


# ----- the functions behind ``x[index]`` and ``x[index] = value`` -------------------------------------------------
def getitem(input, index):
    """``input[index]``: a view for basic indexing (ints, slices, None, ...), a copy when lists, tensors or masks
    are used."""
    where = resolve(input, index, keep_full_slices=isinstance(index, slice)).finish()
    result = _gather(input, where)
    return _view(Alias.apply(input), input) if result is input else result


def setitem(input, index, value):
    """``input[index] = value``, in place: bumps the version and, when recording, gives ``input`` a new grad_fn."""
    value = _as_value(input, value)
    if index is False:
        return  # PyTorch leaves the tensor alone, not even bumping its version
    where = resolve(input, index, keep_full_slices=False)
    value = _strip_leading_ones(value) if where.arrays else _fit(value, where.shape)
    if where.steps and is_grad_enabled() and input.grad_fn is None and input._requires_grad:
        raise RuntimeError("a view of a leaf Variable that requires grad is being used in an in-place operation.")
    _write(input, where, value)


def select(input, dim, index):
    """``input.select(dim, i)``: position i along ``dim``, that dim dropped (a view)."""
    if input.ndim == 0:
        raise IndexError("select() cannot be applied to a 0-dim tensor.")
    dim = _wrap_dim(dim, input.ndim)
    size = input.shape[dim]
    if not -size <= index < size:
        raise IndexError(f"select(): index {index} out of range for tensor of size {list(input.shape)} at dimension "
                         f"{dim}")
    return _select(input, dim, index % size)


def narrow(input, dim, start, length):
    """``input.narrow(dim, start, length)``: positions start .. start+length-1 along ``dim`` (a view)."""
    if input.ndim == 0:
        raise RuntimeError("narrow() cannot be applied to a 0-dim tensor.")
    dim = _wrap_dim(dim, input.ndim)
    size = input.shape[dim]
    if length < 0:
        raise RuntimeError("narrow(): length must be non-negative.")
    if not -size <= start <= size:
        raise IndexError(f"start out of range (expected to be in range of [{-size}, {size}], but got {start})")
    start = start + size if start < 0 else start
    if start + length > size:
        raise RuntimeError(f"start ({start}) + length ({length}) exceeds dimension size ({size}).")
    return _slice(input, dim, slice(start, start + length, 1))
