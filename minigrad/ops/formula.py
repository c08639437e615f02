"""What backward formulas are written with besides operators: functions that take numpy arrays or tensors alike.

A backward pass that builds no graph of the gradients (``create_graph=False``, the usual case) hands a built-in
op's ``backward`` plain numpy arrays: its gradient and its saved tensors. Nothing is recorded, so nothing needs to
pay for a ``Tensor``. With ``create_graph=True`` the very same formula gets tensors, its operations are recorded,
and the gradient can be differentiated again (double backward).

So a formula sticks to what means the same on both: operators (``grad * b``, ``-grad``, ``a @ b``), ``.shape``,
``.reshape``, and the functions below, where numpy and minigrad spell something differently (``a.t()`` against
``a.T``, ``x.sum(dim, keepdim=True)`` against ``x.sum(axis=dim, keepdims=True)``). An op opts in with
``_backward_on_arrays = True`` (see ``Function``); a formula that needs more stays on tensors in both modes.
"""
import numpy as np

from minigrad import dtypes
from minigrad.autograd.function import note_written_in_place
from minigrad.tensor import Tensor


def values(x):
    """The numpy values of ``x``: for a constant worked out from saved values, such as a mask or a sign."""
    return x._data if isinstance(x, Tensor) else x


def sum_to(grad, shape, dtype=None):
    """Sum a broadcast gradient back down to ``shape`` (the reverse of broadcasting), in the input's ``dtype``.

    An input's gradient always has the input's dtype: ``float32 * float64`` computes in float64, but the float32
    input gets a float32 gradient (PyTorch's engine casts it the same way).
    """
    if isinstance(grad, Tensor):
        if grad._data.shape != shape:
            grad = grad.sum_to_size(shape)
    elif grad.shape != shape:
        grad = summed_to(grad, shape)
    return grad if dtype is None else cast(grad, dtype)


def summed_to(data, shape):
    """A numpy array summed over the dims that broadcasting added or stretched, so it has ``shape``."""
    leading = data.ndim - len(shape)
    if leading:
        data = data.sum(axis=tuple(range(leading)))
    stretched = tuple(i for i, n in enumerate(shape) if n == 1 and data.shape[i] != 1)
    if stretched:
        data = data.sum(axis=stretched, keepdims=True)
    return data


def cast(x, dtype):
    """``x`` in ``dtype``, unchanged if it has it already. ``dtype`` is a minigrad dtype or a numpy dtype (a
    minigrad dtype names its numpy dtype ``.numpy``)."""
    dtype = getattr(dtype, "numpy", dtype)
    if isinstance(x, Tensor):
        return x if x._data.dtype == dtype else x.to(dtypes.from_numpy_dtype(dtype))
    return x if x.dtype == dtype else x.astype(dtype)


def where(mask, a, b):
    """``a`` where the boolean array ``mask`` is True, else ``b`` (an inf gradient stays out: 0, not nan)."""
    if isinstance(a, Tensor) or isinstance(b, Tensor):
        from minigrad.ops.elementwise import where as tensor_where

        return tensor_where(Tensor._make(np.asarray(mask)), a, b)
    return np.where(mask, a, b)


def expand(x, shape):
    """``x`` broadcast to ``shape`` (no copy: a view with stride 0 along the stretched dims, which a leaf's
    ``.grad`` never keeps as it is)."""
    if isinstance(x, Tensor):
        return x.expand(shape)
    return np.broadcast_to(x, shape)


def unsqueeze(x, dim):
    """``x`` with a new dim of size 1 at ``dim``."""
    return x.unsqueeze(dim) if isinstance(x, Tensor) else np.expand_dims(x, dim)


def squeeze(x, dim):
    """``x`` without its size-1 dim ``dim``."""
    return x.squeeze(dim) if isinstance(x, Tensor) else np.squeeze(x, dim)


def t(x):
    """A matrix transposed (a vector stays as it is)."""
    return x.t() if isinstance(x, Tensor) else x.T


def transpose(x, dim0, dim1):
    """``x`` with two dims swapped (a 0-d ``x`` as it is)."""
    if isinstance(x, Tensor):
        return x.transpose(dim0, dim1)
    return np.swapaxes(x, dim0, dim1) if x.ndim else x


def permute(x, dims):
    """``x`` with its dims in the order ``dims``."""
    return x.permute(dims) if isinstance(x, Tensor) else np.transpose(x, dims)


def sum_over(x, dim, keepdim=False):
    """The sum of ``x`` over ``dim`` (a 0-d ``x`` is its own sum, as in PyTorch)."""
    if isinstance(x, Tensor):
        return x.sum(dim, keepdim=keepdim)
    return x.sum(axis=dim, keepdims=keepdim) if x.ndim else x


def sgn(x):
    """-1, 0 or 1 by the sign of each element (recorded as SgnBackward0 on tensors: abs's gradient is grad · sgn)."""
    return x.sgn() if isinstance(x, Tensor) else np.sign(x)


def exp(x):
    return x.exp() if isinstance(x, Tensor) else np.exp(x)


def log(x):
    return x.log() if isinstance(x, Tensor) else np.log(x)


def sin(x):
    return x.sin() if isinstance(x, Tensor) else np.sin(x)


def cos(x):
    return x.cos() if isinstance(x, Tensor) else np.cos(x)


def masked(grad, mask):
    """``grad`` where the boolean array ``mask`` is True, exactly +0 elsewhere (as ``np.where(mask, grad, 0)``).

    On arrays this is done on the bits, several times faster than ``np.where``: each number's bits are ANDed with
    all ones (-1, kept) or with all zeros (0, the bits of +0). A product with the mask would be as quick but wrong
    at the edges: -2 · 0 is -0 (printed ``-0.``, PyTorch prints ``0.``) and inf · 0 is nan."""
    if isinstance(grad, Tensor):
        return where(mask, grad, 0.0)
    grad = np.asarray(grad)
    keep = -np.asarray(mask).astype(np.dtype(f"i{grad.itemsize}"))  # True -> -1 (all bits set), False -> 0
    return (grad.view(keep.dtype) & keep).view(grad.dtype)


def written_in_place(gradient, version):
    """A gradient PyTorch makes by writing into zeros in place (sort's ``zeros().scatter_()`` is version 2): a
    ``.grad`` that keeps it starts at that ``version``, as PyTorch's does. A recorded gradient is copied instead."""
    if type(gradient) is np.ndarray:
        note_written_in_place(gradient, version)
    return gradient


def constant(array, like):
    """``array`` (a mask, a sign) as a fixed number in a formula on ``like``: a tensor outside the graph beside a
    tensor, the array itself beside an array."""
    return Tensor._make(np.asarray(array)) if isinstance(like, Tensor) else array


def masked_fill(x, mask, value):
    """``x`` with ``value`` where the boolean ``mask`` is True (a ``MaskedFillBackward0`` node on tensors)."""
    if isinstance(x, Tensor):
        return x.masked_fill(mask if isinstance(mask, Tensor) else Tensor._make(np.asarray(mask)), value)
    return np.where(values(mask), np.asarray(value, x.dtype), x)


def mean_over(x, dims, keepdim=False):
    """The mean of ``x`` over the dims ``dims``."""
    if isinstance(x, Tensor):
        return x.mean(dims, keepdim=keepdim)
    return x.mean(axis=dims, keepdims=keepdim)


def bmm(a, b):
    """A batch of matrix products (``BmmBackward0`` on tensors, not matmul's reshapes)."""
    return a.bmm(b) if isinstance(a, Tensor) else np.matmul(a, b)


def narrow(x, dim, start, length):
    """Positions ``start`` to ``start + length`` along ``dim`` (a view)."""
    if isinstance(x, Tensor):
        return x.narrow(dim, start, length)
    return x[(slice(None),) * dim + (slice(start, start + length),)]


def select(x, dim, index):
    """Position ``index`` along ``dim``, that dim dropped (a view)."""
    if isinstance(x, Tensor):
        return x.select(dim, index)
    return x[(slice(None),) * dim + (index,)]


def stack(xs, dim):
    """The arrays or tensors ``xs`` side by side along a new dim ``dim``."""
    if isinstance(xs[0], Tensor):
        from minigrad.ops.joining import stack as tensor_stack

        return tensor_stack(xs, dim)
    return np.stack(xs, axis=dim)


def cat(xs, dim):
    """The arrays or tensors ``xs`` end to end along ``dim``."""
    if isinstance(xs[0], Tensor):
        from minigrad.ops.joining import cat as tensor_cat

        return tensor_cat(xs, dim)
    return np.concatenate(xs, axis=dim)


def flip(x, dim):
    """``x`` in reverse order along ``dim``: a copy, as PyTorch's flip is (numpy's is a view with negative strides,
    which a leaf's ``.grad`` would not keep)."""
    return x.flip(dim) if isinstance(x, Tensor) else np.flip(x, dim).copy()


def cumsum(x, dim):
    """Running sums of ``x`` along ``dim``."""
    return x.cumsum(dim) if isinstance(x, Tensor) else np.cumsum(x, axis=dim)


def cumprod(x, dim):
    """Running products of ``x`` along ``dim``."""
    return x.cumprod(dim) if isinstance(x, Tensor) else np.cumprod(x, axis=dim)


def zeros_like(grad):
    """Zeros shaped like ``grad``, outside the graph (a step function's gradient: PyTorch's ``zeros_like(grad)``,
    a constant even with ``create_graph=True``, and +0 where ``grad * 0`` would give -0)."""
    if isinstance(grad, Tensor):
        return Tensor._make(np.zeros_like(grad._data))
    return np.zeros_like(grad)


def scaled(x, number):
    """``number * x``, as PyTorch's own formulas write it in C++: on tensors a product with a Scalar, recorded as
    ``MulBackward1``. (A number in a learner's Python code is wrapped into a 0-d tensor first: ``MulBackward0``.)"""
    if isinstance(x, Tensor):
        from minigrad.ops.arithmetic import MulScalar

        return MulScalar.apply(x, number)
    return x * number


def added(x, number):
    """``number + x``, as PyTorch's formulas write it in C++: on tensors a sum with a Scalar, ``AddBackward1``."""
    if isinstance(x, Tensor):
        from minigrad.ops.arithmetic import AddScalar

        return AddScalar.apply(x, number)
    return x + number


def subtracted_from(number, x):
    """``number - x``, as PyTorch's formulas write it in C++: a tensor filled with ``number``, minus x, so on
    tensors a ``SubBackward0`` whose first input is a constant (not the ``RsubBackward1`` of Python's ``1 - x``)."""
    if isinstance(x, Tensor):
        from minigrad.ops.arithmetic import Sub

        return Sub.apply(Tensor._make(np.full(x._data.shape, number, x._data.dtype)), x)
    return number - x


def backward_op(function, *args):
    """A backward formula that PyTorch runs as an op of its own (``tanh_backward``, ``threshold_backward``...).

    ``function`` is that op as a ``Function`` (named ``TanhBackwardBackward0`` and so on) whose ``formula`` works
    on arrays. Given tensors (``create_graph=True``) it is applied, so the gradient hangs from one node that can be
    differentiated again, as in PyTorch; given arrays, its formula simply runs."""
    if isinstance(args[0], Tensor):
        return function.apply(*args)
    return function.formula(*args)
