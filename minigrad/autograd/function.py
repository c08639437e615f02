"""Nodes of the backward graph, and ``Function``: an op whose instance is its own graph node.

When an op runs on tensors that require grad, it records one node. A result's ``grad_fn`` is that node;
``grad_fn.next_functions`` points at the nodes of the op's inputs, so following them walks the graph
from the output back to the leaves, where ``AccumulateGrad`` nodes write ``.grad``.

``Function`` is the same class the built-in ops and a learner's custom op subclass (PyTorch's
``torch.autograd.Function``)::

    class Exp(Function):
        @staticmethod
        def forward(ctx, x):           # runs with recording switched off
            result = x.exp()
            ctx.save_for_backward(result)
            return result

        @staticmethod
        def backward(ctx, grad):       # d exp(x)/dx = exp(x)
            result, = ctx.saved_tensors
            return grad * result

An instance of the subclass is the ``ctx``: it keeps what forward saved until backward needs it.
"""
import itertools
import re
import sys
import threading
import traceback
import weakref

import numpy as np

from minigrad import events, messages
from minigrad.messages import SECOND_BACKWARD_ERROR
from minigrad.autograd.anomaly_mode import _state as _anomaly
from minigrad.autograd.grad_mode import _state as _mode
from minigrad.autograd.inference_mode import SAVED_INFERENCE_TENSOR_ERROR

_sequence = itertools.count()  # creation order: backward runs later nodes first, as PyTorch does



class Node:
    """A step of the backward pass: what ``tensor.grad_fn`` refers to.

    ``next_functions`` holds one ``(node, output_index)`` pair per tensor input of the op: the node that made that
    input (or its ``AccumulateGrad`` if it is a leaf), or ``(None, 0)`` when the input needs no gradient.
    """

    next_functions = ()
    _name = None
    # state many nodes never get: class defaults, so reading it costs no per-node storage
    _saved = None  # what save_for_backward stored, one entry per value; _FREED once a backward pass released it
    _saved_versions = ()  # each saved tensor's version when it was saved (backward checks it is unchanged)
    _post_hooks = None  # grad_fn.register_hook(...)
    _tensor_hooks = None  # {output index: hooks registered on that output tensor}
    _retained = None  # {output index: weak reference to a tensor that called retain_grad()}
    _arg_is_tensor = None  # one flag per forward argument, when some are not tensors
    _output_shapes = None  # (shape, dtype) per output of a learner's Function that returned several
    _backward_on_arrays = False  # see Function

    def name(self):
        """The name PyTorch gives this kind of node, e.g. ``"MulBackward0"``."""
        return self._name or type(self).__name__

    def __repr__(self):
        return f"<{self.name().split('::')[-1]} object at {id(self):#x}>"  # <CopySlices ...>: no C++ namespace

    @property
    def metadata(self):
        if "_metadata" not in self.__dict__:
            self._metadata = {}
        return self._metadata

    def __getattr__(self, name):
        """``node._saved_self``, ``node._saved_exponent``...: what the op saved, as PyTorch names it (saved.py)."""
        if name.startswith(("_saved_", "_raw_saved_")):
            from minigrad.autograd.saved import saved_attribute

            return saved_attribute(self, name)
        raise AttributeError(f"'{type(self).__name__}' object has no attribute '{name}'")

    def __dir__(self):
        """As PyTorch: the ``_saved_*`` names listed are the op's saved values (tools such as torchviz read them);
        minigrad's own bookkeeping (``_saved``, ``_saved_fields``) is left out."""
        from minigrad.autograd.saved import fields

        names = set(fields(self))
        return sorted({n for n in super().__dir__() if not n.startswith(("_saved", "_raw_saved"))} | names)

    def register_hook(self, hook):
        """Call ``hook(grad_inputs, grad_outputs)`` after this node runs; it may return replacement grad_inputs."""
        hooks = self.__dict__.setdefault("_post_hooks", [])
        hooks.append(hook)
        return RemovableHandle(hooks, hook)


class AccumulateGrad(Node):
    """The node at a leaf: adds the incoming gradient into ``variable.grad``."""

    _name = "torch::autograd::AccumulateGrad"  # PyTorch's name for it, C++ namespace included
    _sequence_nr = float("inf")  # ready leaves accumulate first, as in PyTorch (no next_functions: Node's ())

    def __init__(self, variable):
        self.variable = variable
        self._lock = threading.Lock()  # backward passes in several threads may add into one leaf's .grad

    def __repr__(self):
        return f"<AccumulateGrad object at {id(self):#x}>"

    def apply(self, grad, create_graph=False):
        """``variable.grad += grad``: a numpy array in a plain pass, a tensor when building a graph of gradients
        (then the accumulation is recorded too)."""
        variable = self.variable
        if variable._hooks:  # a leaf's hooks see the gradient as a tensor, and may replace it
            from minigrad.autograd.engine import _run_leaf_hooks

            grad = _run_leaf_hooks(variable, grad if create_graph else Tensor._make(grad))
            if not create_graph:
                grad = grad._data
        with self._lock:  # one accumulation at a time, as PyTorch locks it: none is lost
            if create_graph:
                self._accumulate_recorded(variable, grad)
            else:
                self._accumulate(variable, grad)
        if events.listeners:
            events.emit("grad_changed", variable)

    @staticmethod
    def _accumulate(variable, grad):
        if type(grad) is not np.ndarray:  # numpy gives a sum down to 0-d as a scalar: a fresh value all the same
            grad = np.asarray(grad)
        if grad.dtype != variable._data.dtype:  # a leaf's gradient always has the leaf's dtype
            grad = grad.astype(variable._data.dtype)
        if variable._grad is None:
            # PyTorch keeps the gradient itself when nothing else refers to it and it is laid out like the leaf,
            # else a copy in the leaf's layout (x + y sends one gradient to both x and y; two .grad sharing memory
            # would change together). The copy is written into a fresh tensor (version 1); a gradient kept keeps
            # its version (1 if summed in place, 2 from sort...)
            kept = _only_reference(grad) and _obeys_layout_contract(grad, variable._data)
            variable._grad = Tensor._make(grad if kept else _copy_in_layout_of(grad, variable._data))
            variable._grad._version_counter.value = _version_written(grad) if kept else 1
        elif variable._grad.requires_grad:
            variable._grad = variable._grad + Tensor._make(grad)
        else:
            variable._grad._data += grad  # in place: the old .grad object sees the update, as in PyTorch
            variable._grad._version_counter.value += 1

    @staticmethod
    def _accumulate_recorded(variable, grad):
        if grad._data.dtype != variable._data.dtype:
            grad = grad.to(variable.dtype)
        if variable._grad is None:  # PyTorch copies it into a fresh tensor: CopyBackwards, version 1
            from minigrad.ops.copies import copy_from

            variable._grad = copy_from(Tensor._make(np.zeros_like(grad._data)), grad)
            variable._grad._version_counter.value = 1
        else:
            variable._grad = variable._grad + grad


# sys.getrefcount of a gradient array that only the engine refers to, seen from _only_reference: the loop's buffer
# of gradients for this node, ``grad`` in apply and in _accumulate, _only_reference's argument, getrefcount's own
_ENGINE_REFERENCES = 5


# Gradients PyTorch writes in place before a leaf keeps one as its .grad: the engine adds into a gradient it alone
# holds (version 1), sort's backward scatters into zeros (version 2). minigrad makes a new array instead and notes,
# by id and without keeping it alive, the version PyTorch's would have.
_written_in_place = {1: weakref.WeakValueDictionary(), 2: weakref.WeakValueDictionary()}


def note_written_in_place(array, version=1):
    """``array`` is a gradient PyTorch would have written in place: a ``.grad`` that keeps it starts at ``version``."""
    _written_in_place[version][id(array)] = array


def _version_written(array):
    for version in (2, 1):
        if _written_in_place[version].get(id(array)) is array:
            return version
    return 0


def _only_reference(array):
    """True if ``array`` can become ``.grad`` as it is: nothing outside the engine refers to this array (not a saved
    tensor, not the gradient handed to backward), and it can be added into. As in PyTorch, a view counts on its own:
    ``x.view(4).backward(g)`` keeps the view of ``g``, which then shares ``g``'s memory."""
    return type(array) is np.ndarray and array.flags.writeable and sys.getrefcount(array) <= _ENGINE_REFERENCES


def _is_dense(array):
    """Non-overlapping and dense (PyTorch's test): the elements fill a block of memory, in some order of the dims."""
    dims = sorted((stride, size) for stride, size in zip(array.strides, array.shape) if size != 1)
    expected = array.itemsize
    for stride, size in dims:
        if size == 0:
            return True
        if stride != expected:
            return False
        expected *= size
    return True


def _obeys_layout_contract(grad, data):
    """PyTorch's gradient layout contract: a dense leaf's ``.grad`` has the leaf's strides (over the dims longer than
    1; no stride 0, which marks a broadcast view); any other leaf's is contiguous."""
    if data.flags.c_contiguous and grad.flags.c_contiguous and 0 not in grad.strides:
        return True  # the usual case: both row-major
    if not _is_dense(data):
        return grad.flags.c_contiguous
    for size, grad_stride, stride in zip(grad.shape, grad.strides, data.strides):
        if grad_stride != stride if size != 1 else grad_stride == 0:
            return False
    return True


def _copy_in_layout_of(grad, data):
    """A copy of ``grad`` that obeys the layout contract: strided like a dense leaf, else contiguous."""
    copy = np.empty_like(data, order="K" if _is_dense(data) else "C")
    np.copyto(copy, grad)
    return copy


class _Output:
    """``ctx.save_for_backward(OUTPUT)``: save the tensor this forward is about to return (e.g. exp's result)."""

    def __repr__(self):
        return "OUTPUT"


OUTPUT = _Output()


AccumulateGrad.__module__ = "builtins"  # printed as <class 'AccumulateGrad'>, as PyTorch's C++ class


class Function(Node):
    """Base class of every op. Subclasses define ``forward(ctx, *args)`` and ``backward(ctx, *grads)``.

    The graph node of a call is an instance of a subclass named as PyTorch names it: ``AddBackward0`` for the
    built-in ``Add`` (its ``_name``), ``ExpBackward`` for a learner's ``Exp``.
    """

    def __init_subclass__(cls, **kwargs):
        super().__init_subclass__(**kwargs)
        if cls.__dict__.get("_is_node_class"):
            return
        name = cls._name
        if name is None:
            # a learner's Function, as in PyTorch: the node is an ``ExpBackward`` (not an ``Exp``) that knows the
            # backward to run and, as ``_forward_cls``, the class it came from
            class_name = cls.__name__ + "Backward"
            cls._node_class = type(class_name, (BackwardCFunction,), {
                "_is_node_class": True, "__module__": "minigrad.autograd.function", "__qualname__": class_name,
                "_forward_cls": cls, "backward": staticmethod(cls.backward)})
            return
        # a built-in op: the node class prints as PyTorch's (<class 'AddBackward0'>); its parent is the minigrad
        # class with the maths (type(node).__mro__[1])
        class_name = name.split("::")[-1]
        cls._node_class = type(class_name, (cls,), {"_is_node_class": True, "__module__": "builtins",
                                                    "__qualname__": class_name})

    _saves_output = False  # set by save_for_backward(OUTPUT)
    _output_storage = None  # {output index: (data, version counter)} for saved outputs
    _materialize_grads = True  # ctx.set_materialize_grads(False) turns it off
    _non_differentiable = ()  # ids of outputs given to ctx.mark_non_differentiable

    _needs_input_grad = None

    # A built-in op whose ``backward`` is written with operators and the functions of ``minigrad/ops/formula.py``
    # sets this: a backward pass without create_graph then hands it numpy arrays (its gradient and saved tensors)
    # instead of tensors, which is several times faster. A learner's Function always gets tensors, as in PyTorch.
    _backward_on_arrays = False

    @property
    def needs_input_grad(self):
        """One flag per ``forward`` argument: does it require grad? Set before forward runs, as in PyTorch (when
        no node is recorded, worked out only if forward asks: most calls under ``no_grad`` never do)."""
        flags = self._needs_input_grad
        if flags is None:
            flags = self._needs_input_grad = tuple(isinstance(a, Tensor) and a.requires_grad for a in self._args)
        return flags

    def save_for_backward(self, *tensors):
        """Keep tensors for backward; backward checks they were not modified in place since.

        What is kept is two flat tuples: the values (``_saved``) and their versions (``_saved_versions``; None where
        nothing was saved). An entry
        of ``_saved`` is a tensor, None, an int (the index of an output of this node: ``OUTPUT``, kept apart from
        its tensor, see ``_attach_output``) or, for a built-in op, a 0-d numpy array: a Python number the op took
        as an input (the 2 of ``x * 2``; PyTorch's node keeps it as a number too, not as a tensor).
        """
        if not self.next_functions:  # no graph node is being made (grad mode off, or no input requires grad;
            return  # _record sets the edges before forward runs): no backward will ask for them
        versions = []
        for t in tensors:
            if isinstance(t, Tensor):
                if t._is_inference:
                    raise RuntimeError(SAVED_INFERENCE_TENSOR_ERROR)
                versions.append(t._version_counter.value)
            elif t is None:  # nothing: a version of None says so, also once the saved values are freed
                versions.append(None)
            elif type(t) is np.ndarray and self._name is not None:  # a number
                versions.append(0)
            elif t is OUTPUT:  # not made yet: _record keeps it once forward has returned it
                self._saves_output = True
                versions.append(0)
            else:
                raise TypeError(f"save_for_backward can only save variables, but argument {len(versions)} is of "
                                f"type {type(t).__name__}")
        if self._saves_output:
            tensors = tuple(0 if t is OUTPUT else t for t in tensors)  # output 0: the only one a built-in saves
        self._saved = tensors
        self._saved_versions = shared(tuple(versions))  # (0, 0) and the like: one tuple for every node

    @property
    def saved_tensors(self):
        """The tensors given to ``save_for_backward``, checked against in-place changes (their numpy arrays when
        the backward pass runs this op on arrays)."""
        return self._unpack_saved(_mode.backward_on_arrays and self._backward_on_arrays)

    def _unpack_saved(self, as_arrays):
        saved = self._saved
        if saved is _FREED:
            raise RuntimeError(SECOND_BACKWARD_ERROR)
        if saved is None:
            return ()
        unpacked = []
        for entry, version in zip(saved, self._saved_versions):
            kind = type(entry)
            if entry is None:
                unpacked.append(None)
            elif kind is np.ndarray:  # a number the op took as an input
                unpacked.append(entry if as_arrays else Tensor._make(entry))
            else:
                if kind is int:  # an output of this node, stored without a reference cycle
                    data, counter = self._output_storage[entry]
                    if as_arrays and counter.value == version:
                        unpacked.append(data)
                        continue
                    entry = self._unpack_output(entry)
                if entry._version_counter.value != version:
                    raise RuntimeError(_modified_message(entry, version))
                unpacked.append(entry._data if as_arrays else entry)
        return tuple(unpacked)

    def mark_dirty(self, *tensors):
        """Accepted for PyTorch compatibility; in-place custom functions are not supported."""

    def mark_non_differentiable(self, *tensors):
        self._non_differentiable = {id(t) for t in tensors}

    def set_materialize_grads(self, value):
        self._materialize_grads = bool(value)

    @staticmethod
    def forward(ctx, *args):
        raise NotImplementedError("You must implement the forward function for custom autograd.Function.")

    @staticmethod
    def backward(ctx, *grad_outputs):
        raise NotImplementedError("You must implement either the backward or vjp method for your custom "
                                  "autograd.Function to use it with backward mode AD.")

    def __repr__(self):
        if self._name:
            return f"<{self._name.split('::')[-1]} object at {id(self):#x}>"  # <CopySlices ...>: no C++ namespace
        # PyTorch makes the node class of a custom Function inside torch.autograd.function
        return f"<minigrad.autograd.function.{self.name()} object at {id(self):#x}>"

    # Add, Sub, Mul and Div take a Python number as an input of their node, as PyTorch does (``x * 2`` is
    # MulBackward0 with two edges, the second ``(None, 0)``), kept as a plain 0-d numpy array, not a tensor
    _numbers_are_inputs = False

    @classmethod
    def apply(cls, *args):
        """Run forward on ``args``; record a graph node when grad mode is on and an input requires grad."""
        ctx = object.__new__(cls._node_class)
        if _mode.enabled:  # grad mode (grad_mode.py): a plain attribute of this thread's state
            for arg in args:
                if isinstance(arg, Tensor) and (arg._requires_grad or arg.grad_fn is not None):
                    return cls._record(ctx, args)
            ctx._args = args  # for needs_input_grad: forward may read it even when no node is recorded
            _mode.enabled = False  # forward's own tensor operations are never recorded
            try:
                return _plain_outputs(cls.forward(ctx, *args))
            finally:
                _mode.enabled = True
        ctx._args = args
        return _plain_outputs(cls.forward(ctx, *args))

    @classmethod
    def _record(cls, ctx, args):
        """Run forward and make ``ctx`` the ``grad_fn`` of its outputs, linked to the inputs' nodes."""
        next_functions = []  # one edge per input: each tensor argument (and number, see _numbers_are_inputs)
        needs_input_grad = []  # one flag per argument
        is_input = []  # one flag per argument: does it get an edge? (kept only when some do not: a dim, a dtype)
        for arg in args:
            if isinstance(arg, Tensor):
                if arg.grad_fn is not None:  # _edge_to, spelled out: this runs for every input of every op
                    next_functions.append((arg.grad_fn, arg._output_nr))
                    needs_input_grad.append(True)
                elif arg._requires_grad:
                    next_functions.append((arg._grad_accumulator_node(), 0))
                    needs_input_grad.append(True)
                else:
                    next_functions.append(NO_EDGE)  # the input needs no gradient
                    needs_input_grad.append(False)
                is_input.append(True)
            else:
                number_input = cls._numbers_are_inputs and type(arg) is np.ndarray
                if number_input:
                    next_functions.append(NO_EDGE)
                needs_input_grad.append(False)
                is_input.append(number_input)
        ctx._needs_input_grad = shared(tuple(needs_input_grad))
        ctx.next_functions = tuple(next_functions)  # before forward: save_for_backward sees a node is being made
        _mode.enabled = False
        try:
            result = cls.forward(ctx, *args)
        finally:
            _mode.enabled = True
        ctx._sequence_nr = next(_sequence)
        if len(next_functions) != len(args):
            ctx._arg_is_tensor = shared(tuple(is_input))
        if _anomaly.enabled:  # remember where this node was made, to report it if its backward fails
            ctx.metadata["traceback_"] = traceback.format_stack()[:-2]
        if events.node_listeners:  # a viewer tracing construction (widgets.trace) draws each node as it is recorded
            events.emit("node_created", ctx)
        if type(result) is not np.ndarray and isinstance(result, np.generic):
            result = np.asarray(result)  # numpy gives 0-d results as scalars (2. * 3.); keep them 0-d arrays
        if type(result) is np.ndarray and result.dtype.kind == "f":  # the common case: one float output
            output = Tensor._make(result, ctx, 0)
            if ctx._saves_output:
                ctx._output_storage = {0: (result, output._version_counter)}
            return output
        if cls._name is None:  # a learner's Function: remember shapes so the engine can check its backward
            ctx._input_shapes = tuple(a._data.shape for a in args if isinstance(a, Tensor))
        single = not isinstance(result, tuple)
        non_differentiable = ctx._non_differentiable
        wrapped = []
        for index, output in enumerate((result,) if single else result):
            if isinstance(output, (np.ndarray, np.generic)):  # integer outputs (e.g. argmax indices) carry no gradient
                output = Tensor._make(output, ctx, index) if output.dtype.kind == "f" else Tensor._make(output)
            elif isinstance(output, Tensor) and id(output) not in non_differentiable and output.is_floating_point():
                output = _attach_output(ctx, output, index, args)
            wrapped.append(output)
        if cls._name is None and not single:
            ctx._output_shapes = tuple((o._data.shape, o._data.dtype) for o in wrapped)
        return wrapped[0] if single else tuple(wrapped)

    def _unpack_output(self, index):
        data, version_counter = self._output_storage[index]
        return Tensor._make(data, self, index, version_counter)



_SHARED_TUPLES = {}


def shared(values):
    """One tuple object for each value it takes, such as the flags ``(True, False)`` or two inputs' shapes and
    dtypes, shared by every node that keeps it: a long graph then holds far fewer objects for Python's garbage
    collector to track (and time spent there is a large part of building a graph)."""
    return _SHARED_TUPLES.setdefault(values, values)


class BackwardCFunction(Function):
    """Base of the node classes made for learners' Functions (PyTorch's name for it)."""

    _is_node_class = True

class _Freed:
    """Marks saved tensors released by a backward pass without ``retain_graph``."""

    def __repr__(self):
        return "<freed>"


_FREED = _Freed()


def _plain_outputs(result):
    """Forward's result as tensors outside any graph."""
    if type(result) is np.ndarray:
        return Tensor._make(result)
    if isinstance(result, np.generic):  # numpy gives 0-d results as scalars (2. * 3.); keep them 0-d arrays
        return Tensor._make(np.asarray(result))
    if isinstance(result, tuple):
        return tuple(Tensor._make(o) if isinstance(o, (np.ndarray, np.generic)) else o for o in result)
    return result


NO_EDGE = (None, 0)  # the edge of an input that needs no gradient: one tuple, shared by every node


def _edge_to(tensor):
    """The ``(node, output_index)`` pair through which a gradient reaches ``tensor``."""
    if tensor.grad_fn is not None:
        return (tensor.grad_fn, tensor._output_nr)
    if tensor._requires_grad:
        return (tensor._grad_accumulator_node(), 0)
    return NO_EDGE


def _attach_output(ctx, output, index, args):
    """Make a tensor returned by a custom forward an output of ``ctx`` (without a reference cycle)."""
    if any(output is a for a in args):  # forward returned an input as is: the output is a new alias of it
        output = output.detach()
    output.grad_fn = ctx
    output._output_nr = index
    saved = ctx._saved
    if saved and any(entry is output for entry in saved):
        # a saved output would hold its own grad_fn (ctx) alive forever: keep its data instead, re-wrap on unpack
        ctx._saved = tuple(index if entry is output else entry for entry in saved)
        if ctx._output_storage is None:
            ctx._output_storage = {}
        ctx._output_storage[index] = (output._data, output._version_counter)
    return output


def _modified_message(tensor, expected_version):
    """PyTorch's text for a saved tensor that an in-place operation changed."""
    op = None
    if tensor.grad_fn is not None:
        # PyTorch names the op without "Backward" and a trailing 0: "Mul" for MulBackward0, "T1" for TBackward1,
        # and keeps other names whole ("torch::autograd::CopyBackwards")
        op = re.sub(r"Backward0$|Backward(?=\d+$)", "", tensor.grad_fn.name())
        if tensor._base is not None:  # PyTorch rebuilds a view's node once its memory changed in place: AsStrided
            op = "AsStrided"
    return messages.modified_by_inplace(tensor, expected_version, op)


def run_hook(hook, grad):
    """Call a tensor hook: a returned tensor replaces ``grad``, and must keep its type and size (PyTorch's checks)."""
    result = hook(grad)
    if result is None:
        return grad
    check_hook_result(hook, grad, result)
    return result


def hook_name(hook):
    return getattr(hook, "__name__", type(hook).__name__)


def check_hook_result(hook, original, result):
    """A gradient a hook returned must be a tensor of the type and size of the one it replaces (PyTorch's checks)."""
    if not isinstance(result, Tensor):
        raise TypeError(f"expected Variable, but hook returned '{type(result).__name__}'")
    if result.dtype is not original.dtype:
        raise RuntimeError(f"hook '{hook_name(hook)}' has changed the type of value (was "
                           f"minigrad.{original.dtype.type_word}Tensor got minigrad.{result.dtype.type_word}Tensor)")
    if result.shape != original.shape:
        raise RuntimeError(f"hook '{hook_name(hook)}' has changed the size of value")


class RemovableHandle:
    """Returned by ``register_hook``: ``handle.remove()`` takes the hook away again."""

    def __init__(self, hooks, hook):
        self._hooks, self._hook = hooks, hook

    def remove(self):
        if self._hook in self._hooks:
            self._hooks.remove(self._hook)


from minigrad.tensor import Tensor  # noqa: E402  (at the end: tensor.py imports this module's names first)
