"""``Tensor``: a numpy array plus the autograd bookkeeping PyTorch keeps beside it.

- ``_data`` is the numpy array holding the values.
- ``requires_grad`` says whether gradients should flow to this tensor.
- ``grad_fn`` is the graph node that made it (``None`` for a leaf: a tensor you created yourself).
- ``grad`` is where backward puts d(output)/d(this tensor) for leaves.
- a version counter, shared with views, counts in-place changes, so backward can refuse stale saved values.

This file holds only that state. The maths lives in ``minigrad/ops``; ``minigrad/tensor_methods.py`` wires it onto
``Tensor`` as methods and operators (``x.exp()``, ``x * y``), imported by the package once ``Tensor`` exists.
"""
import threading
import warnings
import weakref

import numpy as np

from minigrad import devices, dtypes, events, messages
from minigrad.warn_once import warn_once
from minigrad.autograd import views
from minigrad.autograd.grad_mode import _state as _mode, is_grad_enabled
from minigrad.autograd.inference_mode import INPLACE_INFERENCE_TENSOR_ERROR, REQUIRES_GRAD_INFERENCE_TENSOR_ERROR



_ACCUMULATOR_LOCK = threading.Lock()


class Size(tuple):
    """A tensor's shape: a tuple that prints as ``minigrad.Size([2, 2])``."""

    def __repr__(self):
        return f"minigrad.Size({list(self)})"

    def __getitem__(self, index):
        item = tuple.__getitem__(self, index)
        return Size(item) if isinstance(index, slice) else item

    def __add__(self, other):
        return Size(tuple(self) + tuple(other))

    def numel(self):
        return int(np.prod(self, dtype=np.int64))


class _VersionCounter:
    """How many times a tensor's values were changed in place; views share their base's counter."""

    value = 0  # a class default: counters are made for every tensor, and most are never bumped


class Tensor:
    # every tensor sets these; the rest keep the class defaults below until something changes them
    __slots__ = ("_data", "grad_fn", "_output_nr", "_version_counter", "__weakref__", "__dict__")

    _requires_grad = False
    _grad = None
    _accumulator_ref = None  # weak reference to this leaf's AccumulateGrad node
    _hooks = None
    _base = None  # the tensor a view was taken from
    _is_inference = False  # made inside inference_mode (autograd/inference_mode.py)

    def __init__(self, *args, **kwargs):
        """PyTorch's old constructor: ``Tensor([1, 2])`` is float32 data, ``Tensor(2, 3)`` a 2 x 3 tensor (zeros
        in minigrad, uninitialised in PyTorch). Prefer ``minigrad.tensor(...)``, which keeps ints as ints."""
        from minigrad.creation import legacy_new

        made = legacy_new(*args, **kwargs)
        Tensor._init(self, made._data, None, 0, made._version_counter)

    @staticmethod
    def _init(tensor, data, grad_fn, output_nr, version_counter):
        """Set the four fields every tensor has, on a tensor that exists already: ``Tensor(...)`` and
        ``nn.Parameter(t)`` (which shares ``t``'s values and version counter) come here; ops make their results
        with ``_make``, which skips ``__init__``'s conversion of Python data."""
        tensor._data = data
        tensor.grad_fn = grad_fn
        tensor._output_nr = output_nr
        tensor._version_counter = version_counter or _VersionCounter()

    @classmethod
    def _make(cls, data, grad_fn=None, output_nr=0, version_counter=None):
        """Wrap a numpy array without copying (the fast path every op result takes)."""
        tensor = object.__new__(cls)
        tensor._data = data if type(data) is np.ndarray else np.asarray(data)
        tensor.grad_fn = grad_fn
        tensor._output_nr = output_nr
        tensor._version_counter = version_counter or _VersionCounter()
        if _mode.inference:  # inside inference_mode in this thread
            tensor._is_inference = True
        return tensor

    # ----- autograd state -------------------------------------------------------------------------------------
    @property
    def requires_grad(self):
        return self._requires_grad or self.grad_fn is not None

    @requires_grad.setter
    def requires_grad(self, flag):
        if not isinstance(flag, bool):  # x.requires_grad = 1 is refused: requires_grad_(1) is the call that takes it
            raise RuntimeError("requires_grad must be a bool")
        if self.grad_fn is not None:
            raise RuntimeError(messages.NON_LEAF_REQUIRES_GRAD_ERROR if flag else
                               messages.NON_LEAF_REQUIRES_GRAD_OFF_ERROR)
        if flag and not self.dtype.is_floating_point:
            raise RuntimeError("only Tensors of floating point and complex dtype can require gradients")
        if flag and self._is_inference and not _mode.inference:
            raise RuntimeError(REQUIRES_GRAD_INFERENCE_TENSOR_ERROR)
        self._requires_grad = bool(flag)

    def requires_grad_(self, requires_grad=True):
        """Turn gradient tracking on (or off) for this leaf, in place; returns the tensor."""
        from minigrad.ops import arguments  # (it builds on this module)

        arguments.bool_argument("requires_grad_", "requires_grad", requires_grad, position=1)
        if self.grad_fn is not None and not requires_grad:
            raise RuntimeError(messages.NON_LEAF_REQUIRES_GRAD_OFF_ERROR)
        if requires_grad and not self.dtype.is_floating_point:
            raise RuntimeError("only Tensors of floating point dtype can require gradients")
        if requires_grad and self._is_inference and not _mode.inference:
            raise RuntimeError(REQUIRES_GRAD_INFERENCE_TENSOR_ERROR)
        if self.grad_fn is None:
            self._requires_grad = bool(requires_grad)
        return self

    @property
    def is_leaf(self):
        """A leaf was made by you, not by an op on tensors that require grad: it has no ``grad_fn``."""
        return self.grad_fn is None

    @property
    def grad(self):
        if self.grad_fn is not None and not self.retains_grad and self._grad is None:
            warnings.warn(messages.NON_LEAF_GRAD_WARNING, UserWarning, stacklevel=2)
        return self._grad

    @grad.setter
    def grad(self, value):
        if value is not None:
            if not isinstance(value, Tensor):
                from minigrad.ops.arguments import type_name  # ops are built on Tensor

                raise TypeError(f"assigned grad expected to be a Tensor or None but got grad of type "
                                f"{type_name(value)}")
            if value.dtype is not self.dtype:
                raise RuntimeError(messages.grad_dtype_mismatch(value.dtype, self.dtype))
            if value.shape != self.shape:
                raise RuntimeError(messages.grad_size_mismatch(value.shape, self.shape))
        self._grad = value
        if events.listeners:
            events.emit("grad_changed", self)

    @grad.deleter
    def grad(self):
        self.grad = None

    @property
    def retains_grad(self):
        node = self.grad_fn
        return node is not None and self._output_nr in node.__dict__.get("_retained", {})

    def retain_grad(self):
        """Keep ``.grad`` for this non-leaf tensor too (leaves always keep theirs)."""
        if not self.requires_grad:
            raise RuntimeError("can't retain_grad on Tensor that has requires_grad=False")
        if self.grad_fn is not None:
            self.grad_fn.__dict__.setdefault("_retained", {})[self._output_nr] = weakref.ref(self)

    def register_hook(self, hook):
        """Call ``hook(grad)`` when this tensor's gradient is computed; a returned tensor replaces the gradient."""
        from minigrad.autograd.function import RemovableHandle

        if not self.requires_grad:
            raise RuntimeError("cannot register a hook on a tensor that doesn't require gradient")
        if self.grad_fn is None:
            if self._hooks is None:
                self._hooks = []
            hooks = self._hooks
        else:
            hooks = self.grad_fn.__dict__.setdefault("_tensor_hooks", {}).setdefault(self._output_nr, [])
        hooks.append(hook)
        return RemovableHandle(hooks, hook)

    def _grad_accumulator_node(self):
        """This leaf's ``AccumulateGrad`` node, created once and shared by every op that uses the leaf."""
        node = self._accumulator_ref() if self._accumulator_ref is not None else None
        if node is None:
            with _ACCUMULATOR_LOCK:  # two threads recording ops on one leaf must share one node (and its lock)
                node = self._accumulator_ref() if self._accumulator_ref is not None else None
                if node is None:
                    node = AccumulateGrad(self)
                    self._accumulator_ref = weakref.ref(node)  # weak: the graph owns the node, not the leaf
        return node

    def backward(self, gradient=None, retain_graph=None, create_graph=False, inputs=None):
        """Compute d(self)/d(leaf) for every leaf that requires grad and add it into ``leaf.grad``.

        ``gradient`` is d(loss)/d(self) and is needed when ``self`` has more than one element: the result is the
        vector-Jacobian product ``gradient @ J``.
        """
        from minigrad.autograd import backward

        backward(self, gradient, retain_graph, create_graph, inputs=inputs)

    def detach(self):
        """The same values (shared memory and version counter), cut off from the graph."""
        out = Tensor._make(self._data, None, 0, self._version_counter)
        if self._is_inference:  # a view of an inference tensor is one too
            out._is_inference = True
        return out

    def detach_(self):
        """Cut this tensor off from the graph, in place: it becomes a leaf."""
        if self._base is not None and self._base.requires_grad:
            raise RuntimeError(messages.DETACH_VIEW_INPLACE_ERROR)
        self.grad_fn = None
        self._output_nr = 0
        self._requires_grad = False
        return self

    @property
    def data(self):
        """The values as a tensor outside the graph. Unlike ``detach()``, in-place changes through it are not
        seen by the version counter, so autograd cannot warn you: prefer ``detach()``."""
        return Tensor._make(self._data)

    @data.setter
    def data(self, other):
        if not isinstance(other, Tensor):
            kind = type(other)
            name = kind.__name__ if kind.__module__ == "builtins" else f"{kind.__module__}.{kind.__qualname__}"
            raise TypeError(f"Variable data has to be a tensor, but got {name}")
        self._data = other._data
        if events.listeners:
            events.emit("data_changed", self)

    @property
    def _version(self):
        return self._version_counter.value

    # ----- shape and conversion ------------------------------------------------------------------------------
    @property
    def shape(self):
        return Size(self._data.shape)

    def size(self, dim=None):
        if dim is None:
            return Size(self._data.shape)
        return self._data.shape[_wrap_dim(dim, self._data.ndim)]

    @property
    def dtype(self):
        try:
            return dtypes._BY_NUMPY[self._data.dtype]  # an array's dtype is already a numpy dtype: look it up
        except KeyError:
            return dtypes.from_numpy_dtype(self._data.dtype)  # raises minigrad's error for an unsupported one

    @property
    def device(self):
        return devices.CPU

    @property
    def ndim(self):
        return self._data.ndim

    def dim(self):
        return self._data.ndim

    def numel(self):
        return self._data.size

    def nelement(self):
        return self._data.size

    def element_size(self):
        return self._data.itemsize

    def is_floating_point(self):
        return self._data.dtype.kind == "f"

    def numpy(self):
        """The values as a numpy array sharing memory (refused while gradients are tracked)."""
        if self.requires_grad:
            raise RuntimeError("Can't call numpy() on Tensor that requires grad. Use tensor.detach().numpy() instead.")
        return self._data

    def __array__(self, dtype=None, copy=None):
        array = self.numpy()
        return array if dtype is None else array.astype(dtype)

    def tolist(self):
        return self._data.tolist()

    def item(self):
        if self._data.size != 1:
            raise RuntimeError(f"a Tensor with {self._data.size} elements cannot be converted to Scalar")
        return self._data.reshape(()).item()

    def _python_scalar(self, warn=True):
        """The value behind ``float(t)`` / ``int(t)``, with PyTorch's warning (once per process, as PyTorch gives
        it; ``int(t)`` does not warn in PyTorch) and error."""
        if warn and self.requires_grad:
            warn_once("Converting a tensor with requires_grad=True to a scalar may lead to unexpected behavior.\n"
                      "Consider using tensor.detach() first.", UserWarning, stacklevel=3)
        if self._data.size != 1:
            raise ValueError("only one element tensors can be converted to Python scalars")
        return self._data.reshape(()).item()

    def __float__(self):
        return float(self._python_scalar())

    def __int__(self):
        return int(self._python_scalar(warn=False))

    def __index__(self):
        if self.dtype.is_floating_point or self._data.size != 1:
            raise TypeError("only integer tensors of a single element can be converted to an index")
        return int(self.item())

    def __bool__(self):
        if self._data.size != 1:
            raise RuntimeError(f"Boolean value of Tensor with more than one value is ambiguous")
        return bool(self.item())

    def __len__(self):
        if self._data.ndim == 0:
            raise TypeError("len() of a 0-d tensor")
        return self._data.shape[0]

    def __iter__(self):
        """The rows, as ``unbind(0)`` gives them (each with grad_fn UnbindBackward0), as PyTorch iterates."""
        if self._data.ndim == 0:
            raise TypeError("iteration over a 0-d tensor")
        return iter(self.unbind(0))

    def __hash__(self):
        return id(self)

    def __repr__(self, *, prefix="tensor("):
        from minigrad.formatting import format_tensor, needs_dtype_suffix

        suffixes = []
        if self.grad_fn is not None:
            suffixes.append(f"grad_fn=<{self.grad_fn.name().split('::')[-1]}>")  # <CopySlices>, no C++ namespace
        elif self._requires_grad:
            suffixes.append("requires_grad=True")
        dtype_name = repr(self.dtype) if needs_dtype_suffix(self._data.dtype) else None
        return format_tensor(self._data, dtype_name=dtype_name, suffixes=suffixes, prefix=prefix)

    # ----- in-place machinery ------------------------------------------------------------------------------------
    def _check_inplace(self):
        """PyTorch's rule: a leaf that requires grad may only be changed in place under ``no_grad``."""
        if self._is_inference and not _mode.inference:
            raise RuntimeError(INPLACE_INFERENCE_TENSOR_ERROR)
        if not is_grad_enabled():
            return
        base = self._base
        # checked first, as PyTorch does: ``arange(6.).view(2, 3).requires_grad_()`` is a leaf AND a view of a leaf
        if base is not None and base.grad_fn is None and self.requires_grad:
            raise RuntimeError("a view of a leaf Variable that requires grad is being used in an in-place operation.")
        if self.grad_fn is None and self._requires_grad:
            raise RuntimeError("a leaf Variable that requires grad is being used in an in-place operation.")

    def _write_inplace(self, op, *args):
        """``self = op(self, *args)`` in place: same tensor object, new values, new ``grad_fn`` when recording."""
        self._check_inplace()
        recording = is_grad_enabled() and (self.requires_grad or any(
            isinstance(a, Tensor) and a.requires_grad for a in args))
        through_view = recording and self._base is not None
        if through_view:  # the base's graph must learn about the change too (see autograd/views.py)
            views.region_of(self._data, self._base._data)  # refuse now, before anything changes, if unsupported
            base_edge_before = views.base_edge(self)
        if recording:  # op sees a snapshot of the old self, so saved values stay valid after we overwrite self
            source = Tensor._make(self._data.copy(), self.grad_fn, self._output_nr)
            source._requires_grad = self._requires_grad
            result = op(source, *args)
        else:
            result = op(self, *args)
        if dtypes._category(result.dtype) > dtypes._category(self.dtype):
            raise RuntimeError(f"result type {_type_word(result.dtype)} can't be cast to the desired output type "
                               f"{_type_word(self.dtype)}")
        if result._data.shape == self._data.shape:
            np.copyto(self._data, result._data, casting="unsafe")  # views of self see the new values
        else:
            self._data = result._data.astype(self._data.dtype, copy=False)  # a shape change (t_): rebind
        self._version_counter.value += 1
        if through_view:
            views.rebase_after_inplace(self, result, base_edge_before)
        elif recording:
            self.grad_fn, self._output_nr = result.grad_fn, result._output_nr
        if events.listeners:
            events.emit("data_changed", self)
        return self


def _type_word(dtype):
    """PyTorch's word for a dtype in messages: "Float" for float32 (see dtypes.py)."""
    return dtype.type_word


def _wrap_dim(dim, ndim):
    """Python-style negative dims, with PyTorch's error for an out-of-range one."""
    low, high = (-1, 0) if ndim == 0 else (-ndim, ndim - 1)
    if not low <= dim <= high:
        raise IndexError(f"Dimension out of range (expected to be in range of [{low}, {high}], but got {dim})")
    return dim % ndim if ndim else 0


Tensor.__module__ = Size.__module__ = "minigrad"  # printed as <class 'minigrad.Tensor'>, where learners find it

from minigrad.autograd.function import AccumulateGrad  # noqa: E402  (it needs Tensor first)
