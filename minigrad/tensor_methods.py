"""Tensor's maths methods and operators, each a call into ``minigrad.ops``.

``x + 2`` calls ``Tensor.__add__``, which calls ``ops.add(x, 2)``, which applies the ``Add`` function.
In-place methods (``add_``, ``mul_``, ``t_``, ``+=``...) run the same op and write the result back into the tensor
(``Tensor._write_inplace``), bumping its version counter.
"""
import numbers
import re
import warnings

import numpy as np

from minigrad import devices, dtypes, layouts, ops
from minigrad.ops import arguments
from minigrad.ops.arguments import binding_error, numpy_names
from minigrad.tensor import Tensor


def _method(name):
    """A method that forwards to ``ops.<name>`` (looked up at call time)."""

    def method(self, *args, **kwargs):
        op = getattr(ops, name)
        if kwargs:
            kwargs = numpy_names(op, (self, *args), kwargs)  # x.sum(axis=0): PyTorch takes numpy's names too
        try:
            return op(self, *args, **kwargs)
        except TypeError as error:
            if error.__traceback__.tb_next is None:  # Python could not bind the call (x.mul(othr=2)): nothing ran
                bound = binding_error(name, op, (self, *args), kwargs, method=True)
                if bound is None:
                    raise
                raise getattr(bound, "method_form", None) or bound from None
            if getattr(error, "method_form", None) is not None:  # x.sum(dim=1.5): PyTorch's words for a method
                raise error.method_form from None
            if "(position " not in str(error):
                raise
            # PyTorch counts a method's arguments after self: x.matmul(2) complains about position 1, not 2
            raise TypeError(_POSITION.sub(lambda m: f"(position {int(m[1]) - 1})", str(error))) from None

    method.__name__ = name
    method.__doc__ = f"Same as ``minigrad.{name}(self, ...)``."
    return method


_POSITION = re.compile(r"\(position (\d+)\)")


def _operator(name, numbers_too=True, reflected=False):
    """An operator method (``+``, ``==``, ``@``...). For an operand it does not take it answers ``NotImplemented``, so
    Python tries the other side and then falls back (``x == None`` is False, ``x + "a"`` is a TypeError), as
    PyTorch's operators do. A numpy array on the right (``x + array``) is taken as a tensor; on the left it is not."""
    # float and int are listed before numbers.Number only because checking an abstract class is slower
    accepted = (Tensor, float, int, numbers.Number) if numbers_too else (Tensor,)

    op = getattr(ops, name)

    def method(self, other):
        if isinstance(other, accepted):  # the common case first: a tensor or a number
            if isinstance(other, complex):  # (np.complex128 too; PyTorch reads an np.complex64 as a float)
                dtypes.from_numpy_dtype(np.complex64)  # PyTorch's result is complex: minigrad refuses, naming it
            return op(self, other)
        if numbers_too and isinstance(other, np.bool_):  # no numbers.Number, but PyTorch reads it as a float
            return op(self, float(other))
        if isinstance(other, np.ndarray) and not reflected:
            from minigrad.creation import as_tensor

            return op(self, as_tensor(other))
        return NotImplemented

    method.__name__ = f"__{'r' if reflected else ''}{name}__"
    return method


def _inplace(name, op_name=None):
    """An in-place method: ``x.add_(y)`` computes ``add(x, y)`` and writes it into ``x``."""
    op_name = op_name or name.rstrip("_")

    def compute(source, *args, **kwargs):
        result = getattr(ops, op_name)(source, *args, **kwargs)
        if result.shape != source.shape and not op_name.endswith("_inplace"):  # t_, squeeze_... reshape
            # the other operand may broadcast to the tensor's shape, but must not make it bigger
            raise RuntimeError(f"output with shape {list(source.shape)} doesn't match the broadcast shape "
                               f"{list(result.shape)}")
        return result

    def method(self, *args, **kwargs):
        return self._write_inplace(lambda source, *a: compute(source, *a, **kwargs), *args)

    method.__name__ = name
    method.__doc__ = f"In-place ``{op_name}``: writes the result into this tensor and bumps its version."
    return method


for _name in [
    # arithmetic
    "add", "sub", "mul", "div", "pow", "neg", "reciprocal",
    # elementwise
    "exp", "log", "sqrt", "abs", "sin", "cos", "tanh", "sigmoid", "relu", "clamp", "clip", "maximum", "minimum",
    "masked_fill", "square", "clamp_min", "clamp_max",
    # reductions
    "sum", "mean", "max", "min", "norm", "softmax", "log_softmax", "argmax", "argmin", "sum_to_size",
    # linear algebra
    "matmul", "mm", "dot", "mv", "bmm",
    # shape
    "reshape", "view", "flatten", "t", "transpose", "permute", "squeeze", "unsqueeze", "expand", "expand_as",
    # indexing
    "select", "narrow",
    # comparison
    "eq", "ne", "gt", "lt", "ge", "le", "all", "any", "equal", "allclose",
    # copies and conversion
    "clone", "to",
    # rounding, cleaning up, interpolating
    "round", "floor", "ceil", "trunc", "fix", "sign", "sgn", "frac", "nan_to_num", "lerp",
    # more reductions and running totals
    "prod", "std", "var", "amax", "amin", "logsumexp", "cumsum", "cumprod",
    # moving elements around
    "sort", "argsort", "topk", "flip", "roll", "gather", "scatter", "index_select", "repeat", "chunk", "split", "unbind",
    # more comparison and linear algebra
    "isclose", "addmm", "outer", "ger",
]:
    setattr(Tensor, _name, _method(_name))

for _name in ["add_", "sub_", "mul_", "div_", "pow_", "clamp_", "clip_", "neg_", "exp_", "log_", "sqrt_", "abs_",
              "sigmoid_", "tanh_", "relu_", "masked_fill_", "sin_", "cos_", "square_", "clamp_min_", "clamp_max_",
              "round_", "floor_", "ceil_", "trunc_", "fix_", "sign_", "frac_", "nan_to_num_", "lerp_", "cumsum_",
              "cumprod_", "scatter_", "addmm_"]:
    setattr(Tensor, _name, _inplace(_name))

Tensor.t_ = _inplace("t_", "t_inplace")
Tensor.transpose_ = _inplace("transpose_", "transpose_inplace")
Tensor.squeeze_ = _inplace("squeeze_", "squeeze_inplace")
Tensor.unsqueeze_ = _inplace("unsqueeze_", "unsqueeze_inplace")
Tensor.contiguous = _method("contiguous")
Tensor.view_as = _method("view_as")
Tensor.copy_ = _inplace("copy_", "copy_from")
Tensor.zero_ = _inplace("zero_", "zeroed")
Tensor.fill_ = _inplace("fill_", "filled")
Tensor.uniform_ = _method("uniform_")
Tensor.normal_ = _method("normal_")

Tensor.__add__ = _operator("add")
Tensor.__radd__ = _operator("add", reflected=True)
Tensor.__sub__ = _operator("sub")
Tensor.__rsub__ = _operator("rsub", reflected=True)
Tensor.__mul__ = _operator("mul")
Tensor.__rmul__ = _operator("mul", reflected=True)
Tensor.__truediv__ = _operator("div")
Tensor.__rtruediv__ = _operator("rdiv", reflected=True)
Tensor.__pow__ = _operator("pow")
Tensor.__rpow__ = _operator("rpow", reflected=True)
Tensor.__matmul__ = _operator("matmul", numbers_too=False)
Tensor.__rmatmul__ = _method("rmatmul")
Tensor.__neg__ = Tensor.neg
Tensor.__floordiv__ = Tensor.floor_divide = _method("floor_divide")
Tensor.__rfloordiv__ = lambda self, other: ops.floor_divide(other, self)
Tensor.__mod__ = Tensor.remainder = _method("remainder")
Tensor.__rmod__ = lambda self, other: ops.remainder(other, self)
Tensor.__abs__ = Tensor.abs
Tensor.__iadd__ = Tensor.add_
Tensor.__isub__ = Tensor.sub_
Tensor.__imul__ = Tensor.mul_
Tensor.__itruediv__ = Tensor.div_
Tensor.__ipow__ = Tensor.pow_
Tensor.__eq__ = _operator("eq")
Tensor.__ne__ = _operator("ne")
Tensor.__gt__ = _operator("gt")
Tensor.__lt__ = _operator("lt")
Tensor.__ge__ = _operator("ge")
Tensor.__le__ = _operator("le")
Tensor.__array_priority__ = 1000  # as PyTorch: numpy leaves ``array @ tensor`` etc. to the tensor's operators


def _where(self, condition, other):
    """``x.where(condition, y)`` is ``minigrad.where(condition, x, y)``."""
    return ops.where(condition, self, other)


Tensor.where = _where
Tensor.__getitem__ = _method("getitem")
Tensor.__setitem__ = lambda self, index, value: ops.setitem(self, index, value)
def _T(self):
    """All dims reversed (``permute``); PyTorch deprecates it for anything but matrices."""
    if self.ndim == 0:
        warnings.warn("Tensor.T is deprecated on 0-D tensors. This function is the identity in these cases.",
                      UserWarning, stacklevel=2)
    elif self.ndim != 2:
        warnings.warn("The use of `x.T` on tensors of dimension other than 2 to reverse their shape is deprecated "
                      "and it will throw an error in a future release. Consider `x.mT` to transpose batches of "
                      "matrices or `x.permute(*minigrad.arange(x.ndim - 1, -1, -1))` to reverse the dimensions of a "
                      "tensor.", UserWarning, stacklevel=2)
    return ops.permute(self, tuple(reversed(range(self.ndim))))


Tensor.T = property(_T)
Tensor.mT = property(lambda self: ops.transpose(self, -2, -1), doc="The last two dims swapped.")


def _conversion(dtype_name):
    def method(self):
        from minigrad import dtypes

        return ops.to(self, getattr(dtypes, dtype_name))

    method.__name__ = dtype_name
    return method


for _name, _dtype in [("float", "float32"), ("double", "float64"), ("long", "int64"), ("int", "int32"),
                      ("bool", "bool_")]:
    setattr(Tensor, _name, _conversion(_dtype))


# ----- memory layout: what PyTorch's strided tensors expose, read from the numpy array ---------------------------
def _is_contiguous(self, memory_format=None):
    """True when the elements lie in memory in row-major order, one after another (``x.t()`` is not)."""
    return bool(self._data.flags.c_contiguous)


def _stride(self, dim=None):
    """How many elements to step in memory to move one place along each dim (numpy counts bytes; PyTorch counts
    elements)."""
    itemsize = self._data.itemsize
    strides = tuple(s // itemsize for s in self._data.strides)
    if dim is None:
        return strides
    from minigrad.tensor import _wrap_dim

    return strides[_wrap_dim(dim, self._data.ndim)] if self._data.ndim else 1


def _memory_owner(array):
    while isinstance(array.base, np.ndarray):
        array = array.base
    return array


def _data_ptr(self):
    """The address of the first element: equal for a tensor and its ``detach()`` (same memory)."""
    return self._data.__array_interface__["data"][0]


def _storage_offset(self):
    """How many elements into its memory block the tensor starts (``x[1:]`` starts 1 in)."""
    owner = _memory_owner(self._data)
    return (_data_ptr(self) - owner.__array_interface__["data"][0]) // self._data.itemsize


Tensor.is_contiguous = _is_contiguous
Tensor.stride = _stride
Tensor.data_ptr = _data_ptr
Tensor.storage_offset = _storage_offset


# ----- types and new tensors like this one -----------------------------------------------------------------------
def _type(self, dtype=None, non_blocking=False, **kwargs):
    """Without an argument, the type's name (``'minigrad.FloatTensor'``); with a dtype or such a name, a converted
    copy (the tensor itself when nothing changes)."""
    from minigrad import dtypes

    if dtype is None:
        return f"minigrad.{self.dtype.type_word}Tensor"
    if isinstance(dtype, str):
        by_name = {f"{d.type_word}Tensor": d for d in dtypes._BY_NUMPY.values()}
        name = dtype.split(".")[-1]
        if dtype.split(".")[0] not in ("torch", "minigrad") or name not in by_name:
            raise ValueError(f"invalid type: '{dtype}'")
        dtype = by_name[name]
    return ops.to(self, dtype)


def _type_as(self, other):
    """This tensor converted to ``other``'s dtype."""
    return ops.to(self, other.dtype)


def _new(fill):
    def method(self, *shape, size=arguments.NOT_GIVEN, dtype=None, device=None, requires_grad=False):
        from minigrad import creation

        devices.check_device(method.__name__, device)
        return getattr(creation, fill)(*shape, size=size, dtype=dtype or self.dtype, requires_grad=requires_grad)

    method.__name__ = "new_" + fill.rstrip("s")
    method.__doc__ = f"A new tensor of ``{fill}`` with this tensor's dtype (unless ``dtype`` is given)."
    return method


def _new_full(self, size, fill_value, *, dtype=None, device=None, requires_grad=False):
    from minigrad import creation

    devices.check_device("new_full", device)
    return creation.full(size, fill_value, dtype=dtype or self.dtype, requires_grad=requires_grad)


def _new_tensor(self, data, dtype=None, device=None, requires_grad=False):
    """``minigrad.tensor(data)`` with this tensor's dtype (unless ``dtype`` is given)."""
    from minigrad import creation

    devices.check_device("new_tensor", device)
    return creation.tensor(data, dtype=dtype or self.dtype, requires_grad=requires_grad)


def _cuda(self, device=None, non_blocking=False, memory_format=None):
    """A copy on the GPU: on minigrad, as on PyTorch's CPU build, there is none to copy to."""
    devices.check_device("cuda", "cuda" if device is None else device)


def _cpu(self, memory_format=None):
    """This tensor itself: it is already in main memory."""
    return self


Tensor.cuda = _cuda
Tensor.cpu = _cpu
Tensor.type = _type
Tensor.type_as = _type_as
Tensor.new_zeros = _new("zeros")
Tensor.new_ones = _new("ones")
Tensor.new_empty = _new("empty")
Tensor.new_full = _new_full
Tensor.new_tensor = _new_tensor


def _is_inference(self):
    """True for a tensor made inside ``inference_mode`` (it may not join a recorded graph later)."""
    return self._is_inference


Tensor.is_inference = _is_inference


# ----- Python protocols: format() and copy.deepcopy() ------------------------------------------------------------
def _format(self, spec):
    """``f"{t:.3f}"`` formats a 0-d tensor's value; other tensors only format without a spec (as their repr)."""
    if self._data.ndim == 0:
        return self.item().__format__(spec)
    if spec:
        raise TypeError("unsupported format string passed to Tensor.__format__")
    return repr(self)


def _deepcopy(self, memo):
    """A new leaf with copied values (and a copied ``.grad``); PyTorch refuses non-leaves."""
    from minigrad import messages

    if self.grad_fn is not None:
        raise RuntimeError(messages.DEEPCOPY_NON_LEAF_ERROR)
    out = type(self).__new__(type(self))
    Tensor._init(out, self._data.copy(), None, 0, None)
    out._requires_grad = self._requires_grad
    if self._grad is not None:
        out._grad = self._grad.__deepcopy__(memo)
    memo[id(self)] = out
    return out


Tensor.__format__ = _format
Tensor.__deepcopy__ = _deepcopy


# what a tensor says about where and how it is stored: always a dense (strided) CPU array of real numbers
Tensor.layout = property(lambda self: layouts.strided, doc="How the elements are stored: ``minigrad.strided``.")
for _flag in ("is_cuda", "is_sparse", "is_quantized", "is_meta", "is_mkldnn", "is_nested", "is_mps", "is_xpu"):
    setattr(Tensor, _flag, property(lambda self: False, doc="False: minigrad tensors live in main memory, dense."))
Tensor.is_complex = lambda self: False  # minigrad has no complex dtypes
