"""Matrix products: dot (vector·vector), mv (matrix·vector), mm (matrix·matrix), bmm (a batch of mm), and
``matmul`` (the ``@`` operator), which picks one of them by the inputs' dims.

For C = A·B the backward is two more products: dL/dA = dL/dC · Bᵀ and dL/dB = Aᵀ · dL/dC. As in PyTorch, a
gradient is computed in its input's layout: for a transposed input (a linear layer's ``weight.t()``) the product is
taken the other way round and transposed, (B · dL/dCᵀ)ᵀ or (dL/dCᵀ · A)ᵀ, so that ``weight.grad`` comes out in the
weight's own row-major layout, ready to be kept as it is.

``matmul`` builds the same graph PyTorch builds: ``a @ b`` with a 3-D ``a`` and a 2-D ``b`` folds the batch into the
rows of one big ``mm`` (``UnsafeViewBackward0`` over ``MmBackward0``), broadcast batches become ``expand`` +
``reshape`` + ``bmm``, and a 1-D ``b`` becomes ``mv``. So ``grad_fn`` and ``next_functions`` read as in PyTorch.
"""
import numpy as np

from minigrad.autograd.function import Function, shared
from minigrad.ops import formula
from minigrad.ops.arguments import type_name
from minigrad.ops.arithmetic import broadcast_shape, sum_to
from minigrad.ops.shape import Squeeze, UnsafeView, expand, reshape, squeeze, transpose, unsqueeze
from minigrad.tensor import Tensor, _type_word


class Dot(Function):
    """a·b = Σ a_i b_i for vectors;  d/da = b,  d/db = a."""

    _name = "DotBackward0"
    _backward_on_arrays = True
    _saved_fields = {"self": 0, "tensor": 1}

    @staticmethod
    def forward(ctx, a, b):
        ctx.save_for_backward(a, b)
        return np.asarray(np.dot(a._data, b._data))

    @staticmethod
    def backward(ctx, grad):
        a, b = ctx.saved_tensors
        return (grad * b if ctx.needs_input_grad[0] else None), (grad * a if ctx.needs_input_grad[1] else None)


class Mv(Function):
    """A·v for a matrix A and a vector v;  d/dA = grad ⊗ v (outer product),  d/dv = Aᵀ·grad."""

    _name = "MvBackward0"
    _backward_on_arrays = True
    _saved_fields = {"self": 0, "vec": 1}

    @staticmethod
    def forward(ctx, matrix, vector):
        ctx.save_for_backward(matrix, vector)
        return matrix._data @ vector._data

    @staticmethod
    def backward(ctx, grad):
        matrix, vector = ctx.saved_tensors
        grad_matrix = formula.unsqueeze(grad, 1) * formula.unsqueeze(vector, 0) if ctx.needs_input_grad[0] else None
        grad_vector = formula.t(matrix) @ grad if ctx.needs_input_grad[1] else None
        return grad_matrix, grad_vector


def column_major(matrix):
    """Is this matrix stored column by column, as ``w.t()`` is (element strides ``(1, rows)``)? PyTorch's test."""
    rows = matrix.shape[0]
    return matrix.strides == (matrix.itemsize, rows * matrix.itemsize)


def grad_of_first(grad, b, first_column_major):
    """dL/dA = grad·Bᵀ, computed as (B·gradᵀ)ᵀ when A is column-major, so that it has A's layout."""
    return formula.t(b @ formula.t(grad)) if first_column_major else grad @ formula.t(b)


def grad_of_second(grad, a, second_column_major):
    """dL/dB = Aᵀ·grad, computed as (gradᵀ·A)ᵀ when B is column-major, so that it has B's layout."""
    return formula.t(formula.t(grad) @ a) if second_column_major else formula.t(a) @ grad


class Mm(Function):
    """A·B for matrices;  d/dA = grad·Bᵀ,  d/dB = Aᵀ·grad (each in its input's layout)."""

    _name = "MmBackward0"
    _backward_on_arrays = True
    _saved_fields = {"self": 0, "mat2": 1}

    @staticmethod
    def forward(ctx, a, b):
        ctx.save_for_backward(a, b)
        ctx.column_major = shared((column_major(a._data), column_major(b._data)))
        return a._data @ b._data

    @staticmethod
    def backward(ctx, grad):
        a, b = ctx.saved_tensors
        a_column_major, b_column_major = ctx.column_major
        grad_a = grad_of_first(grad, b, a_column_major) if ctx.needs_input_grad[0] else None
        grad_b = grad_of_second(grad, a, b_column_major) if ctx.needs_input_grad[1] else None
        return grad_a, grad_b


class Bmm(Function):
    """A_k·B_k for each k of a batch of matrices;  d/dA_k = grad_k·B_kᵀ,  d/dB_k = A_kᵀ·grad_k."""

    _name = "BmmBackward0"
    _backward_on_arrays = True
    _saved_fields = {"self": 0, "mat2": 1}

    @staticmethod
    def forward(ctx, a, b):
        ctx.save_for_backward(a, b)
        return a._data @ b._data

    @staticmethod
    def backward(ctx, grad):
        a, b = ctx.saved_tensors
        grad_a = formula.bmm(grad, formula.transpose(b, 1, 2)) if ctx.needs_input_grad[0] else None
        grad_b = formula.bmm(formula.transpose(a, 1, 2), grad) if ctx.needs_input_grad[1] else None
        return grad_a, grad_b


class SqueezeInPlace(Squeeze):
    """``squeeze_(0)`` on the fresh result of ``mm`` (in 1-D @ 2-D): PyTorch names this in-place node
    ``SqueezeBackward4``."""

    _name = "SqueezeBackward4"


# ----- checks with PyTorch's messages -------------------------------------------------------------------------------
def _check_tensor(name, argument, position, value):
    if not isinstance(value, Tensor):
        raise TypeError(f"{name}(): argument '{argument}' (position {position}) must be Tensor, not "
                        f"{type_name(value)}")


def _check_supported(kernel, *tensors):
    for t in tensors:
        if t._data.dtype.kind == "b":
            raise NotImplementedError(f"\"{kernel}\" not implemented for 'Bool'")


def _sizes(tensor):
    return "x".join(str(n) for n in tensor.shape)


def dot(input, other):
    """Σ input_i · other_i for two vectors of the same length."""
    _check_tensor("dot", "tensor", 2, other)
    if input.ndim != 1 or other.ndim != 1:
        raise RuntimeError(f"1D tensors expected, but got {input.ndim}D and {other.ndim}D tensors")
    if input.dtype is not other.dtype:
        raise RuntimeError("dot : expected both vectors to have same dtype, but found "
                           f"{_type_word(input.dtype)} and {_type_word(other.dtype)}")
    if input.shape != other.shape:
        n, m = input.shape[0], other.shape[0]
        raise RuntimeError(f"inconsistent tensor size, expected tensor [{n}] and src [{m}] to have the same number "
                           f"of elements, but got {n} and {m} elements respectively")
    _check_supported("dot", input)
    return Dot.apply(input, other)


def mv(input, vec):
    """Matrix · vector."""
    _check_tensor("mv", "vec", 2, vec)
    if input.ndim != 2 or vec.ndim != 1:
        raise RuntimeError(f"vector + matrix @ vector expected, got 1, {input.ndim}, {vec.ndim}")
    if input.shape[1] != vec.shape[0]:
        raise RuntimeError(f"size mismatch, got input ({input.shape[0]}), mat ({_sizes(input)}), "
                           f"vec ({vec.shape[0]})")
    if input.dtype is not vec.dtype:
        raise RuntimeError("addmv input tensors must have the same dtype, but got "
                           f"{_type_word(vec.dtype)}, {_type_word(input.dtype)}, and {_type_word(vec.dtype)}")
    _check_supported("addmv_impl_cpu", input)
    return Mv.apply(input, vec)


def mm(input, mat2):
    """Matrix · matrix: (n×m)·(m×p) = n×p."""
    _check_tensor("mm", "mat2", 2, mat2)
    if input.ndim != 2:
        raise RuntimeError("self must be a matrix")
    if mat2.ndim != 2:
        raise RuntimeError("mat2 must be a matrix")
    if input._data.shape[1] != mat2._data.shape[0]:
        raise RuntimeError(f"mat1 and mat2 shapes cannot be multiplied ({_sizes(input)} and {_sizes(mat2)})")
    if input.dtype is not mat2.dtype:
        raise RuntimeError("expected m1 and m2 to have the same dtype, but got: "
                           f"{input.dtype.cpp_name} != {mat2.dtype.cpp_name}")
    _check_supported("addmm_impl_cpu_", input)
    return Mm.apply(input, mat2)


def bmm(input, mat2):
    """A batch of matrix products: (b×n×m)·(b×m×p) = b×n×p."""
    _check_tensor("bmm", "mat2", 2, mat2)
    if input.ndim != 3:
        raise RuntimeError("batch1 must be a 3D tensor")
    if mat2.ndim != 3:
        raise RuntimeError("batch2 must be a 3D tensor")
    if mat2.shape[:2] != (input.shape[0], input.shape[2]):
        raise RuntimeError(f"Expected size for first two dimensions of batch2 tensor to be: "
                           f"[{input.shape[0]}, {input.shape[2]}] but got: [{mat2.shape[0]}, {mat2.shape[1]}].")
    if input.dtype is not mat2.dtype:
        raise RuntimeError(f"expected scalar type {_type_word(input.dtype)} but found {_type_word(mat2.dtype)}")
    _check_supported("bmm", input)
    return Bmm.apply(input, mat2)


class Addmm(Function):
    """beta·C + alpha·(A·B);  d/dC = beta·grad (summed back over broadcast dims),  d/dA = alpha·grad·Bᵀ,
    d/dB = alpha·Aᵀ·grad (each in its input's layout, as for ``Mm``)."""

    _name = "AddmmBackward0"
    _backward_on_arrays = True

    @staticmethod
    def forward(ctx, c, a, b, beta=1, alpha=1):
        # save only what backward will use: B for A's gradient, A for B's (a linear layer's input needs none)
        _, needs_a, needs_b = ctx.needs_input_grad[:3]
        ctx.save_for_backward(a if needs_b else None, b if needs_a else None)
        ctx.c_shape, ctx.beta, ctx.alpha = c._data.shape, beta, alpha
        ctx.column_major = shared((column_major(a._data), column_major(b._data)))
        product = a._data @ b._data
        return (beta * c._data if beta != 1 else c._data) + (alpha * product if alpha != 1 else product)

    @staticmethod
    def backward(ctx, grad):
        a, b = ctx.saved_tensors
        a_column_major, b_column_major = ctx.column_major
        alpha = ctx.alpha
        grad_c = sum_to(grad * ctx.beta if ctx.beta != 1 else grad, ctx.c_shape) if ctx.needs_input_grad[0] else None
        grad_a = grad_of_first(grad, b, a_column_major) if b is not None else None
        grad_b = grad_of_second(grad, a, b_column_major) if a is not None else None
        if alpha != 1:  # PyTorch scales the product, not the gradient: the same rounding
            grad_a = grad_a * alpha if grad_a is not None else None
            grad_b = grad_b * alpha if grad_b is not None else None
        return grad_c, grad_a, grad_b, None, None


def addmm(input, mat1, mat2, *, beta=1, alpha=1):
    """``beta * input + alpha * (mat1 @ mat2)``: a linear layer's ``bias + x @ W.T`` in one op."""
    _check_tensor("addmm", "mat1", 2, mat1)
    _check_tensor("addmm", "mat2", 3, mat2)
    product_shape = tuple(mm(mat1.detach(), mat2.detach()).shape)  # mm's errors for mismatched matrices
    shape = tuple(input.shape)
    padded = (1,) * (2 - len(shape)) + shape
    for dim, (have, want) in enumerate(zip(padded, product_shape)):
        if len(shape) > 2 or have not in (1, want):
            raise RuntimeError(f"The expanded size of the tensor ({want}) must match the existing size ({have}) at "
                               f"non-singleton dimension {dim}.  Target sizes: {list(product_shape)}.  Tensor sizes: "
                               f"{list(shape)}")
    return Addmm.apply(input, mat1, mat2, beta, alpha)


def outer(input, vec2):
    """The outer product: ``out[i][j] = input[i] * vec2[j]``, built as PyTorch builds it (a column times a row)."""
    _check_tensor("outer", "vec2", 2, vec2)
    for name, vector in (("self", input), ("vec2", vec2)):
        if vector.ndim != 1:
            raise RuntimeError(f"outer: Expected 1-D argument {name}, but got {vector.ndim}-D")
    return input.reshape(-1, 1) * vec2


ger = outer


# ----- matmul: choose the product by the dims, as PyTorch does --------------------------------------------------
def matmul(input, other):
    """The ``@`` operator: dot, mv, mm, or a broadcast batch of matrix products, chosen by the inputs' dims."""
    _check_tensor("matmul", "other", 2, other)
    dim1, dim2 = input.ndim, other.ndim
    if dim1 == 0 or dim2 == 0:
        raise RuntimeError(f"both arguments to matmul need to be at least 1D, but they are {dim1}D and {dim2}D")
    if dim1 == 1 and dim2 == 1:
        return dot(input, other)
    if dim1 == 2 and dim2 == 1:
        return mv(input, other)
    if dim1 == 1 and dim2 == 2:  # a row vector times a matrix, then the row dim is dropped again
        return SqueezeInPlace.apply(mm(unsqueeze(input, 0), other), (0,))
    if dim1 == 2 and dim2 == 2:
        return mm(input, other)
    if _should_fold(input, other):
        return _folded(input, other)
    return _batched(input, other)


def _should_fold(tensor1, tensor2):
    """Can the batch dims of the bigger tensor be folded into matrix rows (one mm/mv instead of bmm)?"""
    first_larger = tensor1.ndim >= tensor2.ndim
    big = tensor1._data if first_larger else np.swapaxes(tensor2._data, -1, -2)
    small = tensor2 if first_larger else tensor1
    if not (big.ndim >= 3 and small.ndim <= 2):
        return False
    if small.requires_grad:  # folding then avoids expanding the small tensor's gradient to the batch size
        return True
    if tensor1.ndim == 2:
        return False
    if big.size == 0:
        return True
    # folding must not need a copy: the batch dims must be laid out one after the other in memory
    strides, shape = big.strides, big.shape
    return all(strides[i] == strides[i + 1] * shape[i + 1] for i in range(big.ndim - 2))


def _folded(tensor1, tensor2):
    """(..., n, m) @ (m, p) as one (N·n, m) @ (m, p) product; a bigger right side is handled transposed."""
    swap = tensor2.ndim > tensor1.ndim  # a @ B = (Bᵀ @ aᵀ)ᵀ
    big = transpose(tensor2, -2, -1) if swap else tensor1
    small = (tensor1.t() if tensor1.ndim == 2 else tensor1) if swap else tensor2
    output_shape = big.shape[:-1] + ((small.shape[1],) if small.ndim == 2 else ())
    rows = reshape(big, (int(np.prod(big.shape[:-1])), big.shape[-1]))
    if small.ndim == 1:
        return UnsafeView.apply(mv(rows, small), output_shape)
    output = UnsafeView.apply(mm(rows, small), output_shape)
    if not swap:
        return output
    output = transpose(output, -2, -1)
    return output if output._data.flags.c_contiguous else output.clone()  # PyTorch's .contiguous()


def _batched(tensor1, tensor2):
    """Broadcast the batch dims, flatten them into one, and run bmm."""
    dim1, dim2 = tensor1.ndim, tensor2.ndim
    if dim1 == 3 and dim2 == 3 and tensor1.shape[0] != tensor2.shape[0]:
        # a batch of one that needs a gradient: drop it, so the fold path avoids an expanded gradient
        if tensor1.shape[0] == 1 and tensor1.requires_grad:
            return matmul(squeeze(tensor1, 0), tensor2)
        if tensor2.shape[0] == 1 and tensor2.requires_grad:
            return matmul(tensor1, squeeze(tensor2, 0))
    n = tensor1.shape[-2] if dim1 > 1 else 1
    m1 = tensor1.shape[-1]
    m2 = tensor2.shape[-2] if dim2 > 1 else tensor2.shape[0]
    p = tensor2.shape[-1] if dim2 > 1 else 1
    batch = broadcast_shape(tensor1.shape[:max(dim1 - 2, 0)], tensor2.shape[:max(dim2 - 2, 0)])
    batch_size = int(np.prod(batch))
    left = reshape(expand(tensor1, batch + (n, m1)), (batch_size, n, m1))
    if dim2 == 1:
        right = unsqueeze(reshape(expand(tensor2, batch + (m2,)), (batch_size, m2)), 2)
    else:
        right = reshape(expand(tensor2, batch + (m2, p)), (batch_size, m2, p))
    output_shape = batch + ((n,) if dim1 > 1 else ()) + ((p,) if dim2 > 1 else ())
    product = bmm(left, right)
    if dim2 == 1:
        product = squeeze(product, -1)
    return UnsafeView.apply(product, output_shape)


def rmatmul(input, other):
    """``other @ input`` when ``other`` is not a tensor: PyTorch declines (``NotImplemented``), so Python raises
    its usual ``unsupported operand type(s) for @`` TypeError."""
    if isinstance(other, Tensor):
        return matmul(other, input)
    return NotImplemented
