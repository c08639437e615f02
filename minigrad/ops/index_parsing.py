"""Reading an index expression (``x[0, 1:, None, [2, 0]]``) the way PyTorch does, before any op runs.

``resolve`` walks the entries from the left, keeping track of the shape, and returns a ``ResolvedIndex``:

- ``steps``: the basic steps in order, each a view: ``("select", dim, i)`` for an int (the dim disappears),
  ``("slice", dim, slice)`` for a slice, ``("unsqueeze", dim, None)`` for ``None``; ``...`` just moves ``dim`` on;
- ``arrays``: the advanced entries (lists, integer tensors, boolean masks) as ``(dim, numpy array)``, applied after
  the steps by one gather. ``finish()`` checks them and turns masks into the positions of their True entries.

Errors are PyTorch's, raised in PyTorch's order: the basic entries while reading, the advanced ones in ``finish()``
(for ``x[index] = value`` PyTorch checks them only after checking that ``x`` may be written to).
"""
import numbers
import warnings

import numpy as np

from minigrad.ops.arguments import type_name
from minigrad.tensor import Tensor

ZERO_DIM_INDEX_ERROR = ("invalid index of a 0-dim tensor. Use `tensor.item()` in Python or `tensor.item<T>()` in C++ "
                        "to convert a 0-dim tensor to a number")
SEQUENCE_AS_TUPLE_WARNING = (
    "Using a non-tuple sequence for multidimensional indexing is deprecated and will be changed in pytorch 2.9; "
    "use x[tuple(seq)] instead of x[seq]. In pytorch 2.9 this will be interpreted as tensor index, "
    "x[minigrad.tensor(seq)], which will result either in an error or a different result"
)


def at(dim, key):
    """A numpy index applying ``key`` at ``dim`` (the trailing ``...`` keeps a 0-d result a view, not a scalar)."""
    return (slice(None),) * dim + (key, Ellipsis)


class ResolvedIndex:
    """An index resolved against a tensor's shape.

    ``steps`` are the basic steps in order: ``("select", dim, i)``, ``("slice", dim, slice)``,
    ``("unsqueeze", dim, None)``. ``arrays`` are the advanced entries as ``(dim, numpy array)``; ``finish()`` checks
    them and turns them into ``positions``, a numpy index of integer arrays. ``shape`` is the shape of ``x[index]``.
    """

    def __init__(self, steps, arrays, shape):
        self.steps, self.arrays, self.positions = steps, arrays, None
        self.shape = self._sliced_shape = tuple(shape)

    def finish(self):
        """Check the advanced entries in PyTorch's order (dtypes, masks, broadcasting, bounds); build ``positions``."""
        if self.positions is not None or not self.arrays:
            return self
        shape = self._sliced_shape
        for _, array in self.arrays:
            if array.dtype.kind not in "biu":
                raise IndexError("tensors used as indices must be long, int, byte or bool tensors")
        dims, picks = [], []
        for dim, array in self.arrays:
            if not _is_mask(array):
                dims.append(dim)
                picks.append(array.astype(np.int64, copy=False))
                continue
            if array.dtype == np.uint8:
                warnings.warn("indexing with dtype minigrad.uint8 is now deprecated, please use a dtype minigrad.bool "
                              "instead.", UserWarning, stacklevel=4)
            for j, n in enumerate(array.shape):
                if n != shape[dim + j]:
                    raise IndexError(f"The shape of the mask {list(array.shape)} at index {j} does not match the "
                                     f"shape of the indexed tensor {list(shape)} at index {dim + j}")
            for j, picked in enumerate(np.nonzero(array)):  # a mask over k dims = k arrays of the True positions
                dims.append(dim + j)
                picks.append(picked)
        try:
            broadcast = np.broadcast_arrays(*picks)
        except ValueError:
            shapes = ", ".join(str(list(p.shape)) for p in picks)
            raise IndexError(f"shape mismatch: indexing tensors could not be broadcast together with shapes "
                             f"{shapes}") from None
        sizes = [shape[d] for d in dims]
        _check_bounds(broadcast, sizes)
        positions = [slice(None)] * (dims[-1] + 1)
        for dim, picked, size in zip(dims, picks, sizes):
            positions[dim] = picked % size if size else picked  # negative positions count from the end
        self.positions = tuple(positions)
        self.shape = np.broadcast_to(np.empty((), np.int8), shape)[self.positions].shape
        return self

    def region(self, array):
        """The numpy view of ``array`` that the basic steps pick."""
        for kind, dim, key in self.steps:
            array = np.expand_dims(array, dim) if kind == "unsqueeze" else array[at(dim, key)]
        return array

    def write(self, array, values):
        """``array[index] = values`` in numpy (the last write wins where positions repeat)."""
        region = self.region(array)
        region[self.positions if self.positions is not None else ...] = values


def _check_bounds(arrays, sizes):
    """PyTorch's error for the first out-of-range position, walking the picked positions in order."""
    bad = [(a < -n) | (a >= n) for a, n in zip(arrays, sizes)]
    if not any(b.any() for b in bad):
        return
    table = np.stack([b.ravel() for b in bad], axis=1)  # a row per picked position, a column per indexed dim
    row = np.flatnonzero(table.any(axis=1))[0]
    column = np.flatnonzero(table[row])[0]
    raise IndexError(f"index {arrays[column].ravel()[row]} is out of bounds for dimension {column} with size "
                     f"{sizes[column]}")


def _is_mask(array):
    return array.dtype.kind == "b" or array.dtype == np.uint8


def _data_of(entry):
    return entry._data if isinstance(entry, Tensor) else entry


def _as_int(entry):
    """The position an int-like entry stands for (ints, numpy ints, 0-d integer tensors), else None."""
    if isinstance(entry, (bool, np.bool_)):
        return None
    if isinstance(entry, numbers.Integral):
        return int(entry)
    data = _data_of(entry)
    if isinstance(data, np.ndarray) and data.ndim == 0 and data.dtype.kind == "i":
        return int(data)
    return None


def _as_bool(entry):
    """True/False for a bool entry (Python, numpy, or a 0-d bool tensor), else None."""
    if isinstance(entry, (bool, np.bool_)):
        return bool(entry)
    data = _data_of(entry)
    if isinstance(data, np.ndarray) and data.ndim == 0 and _is_mask(data):
        return bool(data)
    return None


def _dims_used(entry):
    """How many of the tensor's dims an entry consumes (``None``, ``...`` and bools consume none; a mask its ndim)."""
    if entry is None or entry is Ellipsis or _as_bool(entry) is not None:
        return 0
    if isinstance(entry, Tensor) and _is_mask(entry._data):
        return entry.ndim
    return 1


def _index_array(entry):
    """A list, tuple or tensor entry as a numpy array of positions (or a mask)."""
    if isinstance(entry, Tensor):
        return entry._data
    if isinstance(entry, str):
        raise TypeError("new(): invalid data type 'str'")
    if isinstance(entry, np.ndarray):
        from minigrad.from_data import check_numpy_array

        check_numpy_array(entry)  # PyTorch makes a tensor of it: no negative strides (x[np.arange(3)[::-1]])
    if isinstance(entry, (list, tuple, range, np.ndarray)):
        from minigrad.creation import tensor

        data = entry if isinstance(entry, np.ndarray) else tensor(entry)._data
        return data if data.dtype.kind == "b" else data.astype(np.int64)  # a list is read as positions or a mask
    raise IndexError("only integers, slices (`:`), ellipsis (`...`), None and long or byte Variables are valid indices "
                     f"(got {type_name(entry)})")


def _sequence_as_tuple(index):
    """NumPy's old rule, which PyTorch still follows (with a warning): a list holding slices, ``None``, ``...``,
    sequences or tensors means a tuple, so ``x[[0, slice(None)]]`` is ``x[0, :]``. A numpy array never does: it is
    one index array, as a tensor is."""
    if not isinstance(index, (list, range, str)) or len(index) >= 32:
        return False
    for item in index:
        if item is None or item is Ellipsis or isinstance(item, (Tensor, list, tuple, range, np.ndarray, slice, str)):
            warnings.warn(SEQUENCE_AS_TUPLE_WARNING, UserWarning, stacklevel=5)
            return True
    return False


def resolve(x, index, keep_full_slices):
    """Read ``index`` against ``x``'s shape, raising PyTorch's errors for the basic entries now.

    ``keep_full_slices``: ``x[:]`` alone records a slice, but inside a tuple (and when writing) PyTorch skips a
    slice that keeps everything.
    """
    ndim, shape = x.ndim, list(x._data.shape)
    if not isinstance(index, tuple):
        if ndim == 0 and _as_int(index) is not None:
            raise IndexError(ZERO_DIM_INDEX_ERROR)
        if ndim == 0 and isinstance(index, slice):
            raise IndexError("slice() cannot be applied to a 0-dim tensor.")
        index = tuple(index) if _sequence_as_tuple(index) else (index,)
    used = sum(_dims_used(entry) for entry in index)
    if used > ndim:
        raise IndexError(f"too many indices for tensor of dimension {ndim}")
    steps, arrays, dim = [], [], 0
    for position, entry in enumerate(index):
        number, flag = _as_int(entry), _as_bool(entry)
        if number is not None:
            size = shape[dim]
            if not -size <= number < size:  # PyTorch names the entry's position in the index as the dimension
                raise IndexError(f"index {number} is out of bounds for dimension {position} with size {size}")
            steps.append(("select", dim, number % size))
            del shape[dim]
        elif isinstance(entry, slice):
            start, stop, step = entry.indices(shape[dim])  # Python's own errors for a zero step or float bounds
            if step < 0:
                raise ValueError("step must be greater than zero")
            if keep_full_slices or (start, stop, step) != (0, shape[dim], 1):
                steps.append(("slice", dim, slice(start, stop, step)))
                shape[dim] = len(range(start, stop, step))
            dim += 1
        elif entry is Ellipsis:
            dim += ndim - used
        elif entry is None or flag is not None:
            steps.append(("unsqueeze", dim, None))
            shape.insert(dim, 1)
            if flag is not None:  # True picks the new dim's only position, False picks none
                arrays.append((dim, np.arange(int(flag))))
            dim += 1
        else:
            array = _index_array(entry)
            arrays.append((dim, array))
            dim += array.ndim if _is_mask(array) else 1
    return ResolvedIndex(steps, arrays, shape)
