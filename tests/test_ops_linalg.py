"""Matrix products: dot, mv, mm, bmm and matmul (``@``) for every combination of dims.

Values are compared with numpy's matmul, gradients with finite differences (gradcheck in float64) and with
dL/dA = grad·Bᵀ, dL/dB = Aᵀ·grad; node names and error texts are the ones PyTorch 2.13 shows.
"""
import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import minigrad as torch
from minigrad.autograd import gradcheck


def f64(values, requires_grad=True):
    return torch.tensor(np.asarray(values, dtype=np.float64), requires_grad=requires_grad)


def random(*shape, seed=0):
    return np.random.default_rng(seed + sum(shape)).standard_normal(shape)


def graph(node):
    """The names of the backward graph under ``node``, as nested tuples."""
    if node is None:
        return None
    return node.name(), tuple(graph(child) for child, _ in node.next_functions)


# shapes of a and b, and the node PyTorch puts on top of a @ b (both inputs requiring grad)
MATMUL_CASES = [
    ((4,), (4,), "DotBackward0"),
    ((3, 4), (4,), "MvBackward0"),
    ((3,), (3, 4), "SqueezeBackward4"),
    ((3, 4), (4, 2), "MmBackward0"),
    ((2, 3, 4), (2, 4, 5), "UnsafeViewBackward0"),
    ((2, 3, 4), (4, 5), "UnsafeViewBackward0"),
    ((3, 4), (2, 4, 5), "CloneBackward0"),
    ((2, 3, 4), (4,), "UnsafeViewBackward0"),
    ((3,), (2, 3, 4), "UnsafeViewBackward0"),
    ((2, 1, 3, 4), (5, 4, 2), "UnsafeViewBackward0"),
    ((2, 5, 3, 4), (2, 5, 4, 2), "UnsafeViewBackward0"),
    ((1, 3, 4), (5, 4, 2), "CloneBackward0"),
    ((4,), (2, 2, 4, 3), "UnsafeViewBackward0"),
    ((2, 2, 3, 4), (4,), "UnsafeViewBackward0"),
]


@pytest.mark.parametrize("a_shape, b_shape, node", MATMUL_CASES, ids=[f"{a}@{b}" for a, b, _ in MATMUL_CASES])
def test_matmul_values_node_and_gradcheck(a_shape, b_shape, node):
    a_values, b_values = random(*a_shape), random(*b_shape, seed=1)
    a, b = f64(a_values), f64(b_values)
    y = a @ b
    np.testing.assert_allclose(y.detach().numpy(), np.matmul(a_values, b_values), rtol=1e-12)
    assert y.grad_fn.name() == node
    assert torch.matmul(a, b).shape == y.shape and a.matmul(b).shape == y.shape
    assert gradcheck(lambda p, q: p @ q, (a, b))


def test_matmul_builds_pytorch_graphs():
    v, m = f64(random(3)), f64(random(3, 4))
    acc = ("torch::autograd::AccumulateGrad", ())
    assert graph((v @ m).grad_fn) == ("SqueezeBackward4", (("MmBackward0", (("UnsqueezeBackward0", (acc,)), acc)),))
    a3, b3 = f64(random(5, 2, 3)), f64(random(5, 3, 4))
    assert graph((a3 @ b3).grad_fn) == ("UnsafeViewBackward0", (("BmmBackward0", (
        ("ViewBackward0", (("ExpandBackward0", (acc,)),)), ("ViewBackward0", (("ExpandBackward0", (acc,)),)))),))
    b2 = f64(random(3, 4))
    assert graph((a3 @ b2).grad_fn) == ("UnsafeViewBackward0", (("MmBackward0", (("ViewBackward0", (acc,)), acc)),))
    a2 = f64(random(2, 3))
    assert graph((a2 @ b3).grad_fn) == ("CloneBackward0", (("TransposeBackward0", (("UnsafeViewBackward0", (
        ("MmBackward0", (("UnsafeViewBackward0", (("CloneBackward0", (("TransposeBackward0", (acc,)),)),)),
                         ("TBackward0", (acc,)))),)),)),))


def test_matmul_result_is_not_a_view():
    y = f64(random(3)) @ torch.ones(3, 2, dtype=torch.float64)
    assert y._base is None


def test_products_and_their_gradient_formulas():
    a_values, b_values, v_values = random(3, 4), random(4, 2, seed=1), random(4, seed=2)
    a, b, v = f64(a_values), f64(b_values), f64(v_values)
    y = a.mm(b)
    assert y.grad_fn.name() == "MmBackward0"
    weights = random(3, 2, seed=3)
    y.backward(torch.tensor(weights))
    np.testing.assert_allclose(a.grad.numpy(), weights @ b_values.T)  # grad · Bᵀ
    np.testing.assert_allclose(b.grad.numpy(), a_values.T @ weights)  # Aᵀ · grad
    a.grad = None
    z = torch.mv(a, v)
    assert z.grad_fn.name() == "MvBackward0"
    z.backward(torch.tensor(weights[:, 0].copy()))
    np.testing.assert_allclose(a.grad.numpy(), np.outer(weights[:, 0], v_values))  # grad ⊗ v
    np.testing.assert_allclose(v.grad.numpy(), a_values.T @ weights[:, 0])
    u = f64(v_values[::-1].copy())
    d = v.dot(u)
    assert d.grad_fn.name() == "DotBackward0" and d.shape == ()
    assert d.item() == pytest.approx(float(v_values @ v_values[::-1]))


def test_bmm():
    a_values, b_values = random(2, 3, 4), random(2, 4, 5, seed=1)
    a, b = f64(a_values), f64(b_values)
    y = torch.bmm(a, b)
    assert y.grad_fn.name() == "BmmBackward0"
    np.testing.assert_allclose(y.detach().numpy(), a_values @ b_values)
    assert gradcheck(torch.bmm, (a, b))


@pytest.mark.parametrize("fn, shapes", [
    (torch.mm, [(3, 4), (4, 2)]), (torch.mv, [(3, 4), (4,)]), (torch.dot, [(4,), (4,)]),
    (lambda a, b: (a @ b).tanh(), [(3, 4), (4, 2)]), (lambda a, b: (a @ b) ** 2, [(2, 3, 4), (4,)]),
    (lambda a, b: (a @ b).sin(), [(3,), (2, 3, 4)]),
])
def test_second_derivatives_of_products(fn, shapes):
    inputs = [f64(random(*s, seed=i)) for i, s in enumerate(shapes)]

    def first_derivatives(*xs):
        out = fn(*xs)
        weights = torch.tensor(random(*out.shape, seed=7) if out.ndim else np.array(0.7))
        return torch.autograd.grad((out * weights).sum(), xs, create_graph=True)

    assert gradcheck(first_derivatives, inputs)


def test_integer_products_keep_their_dtype():
    a = torch.tensor([[1, 2], [3, 4]])
    assert (a @ a).tolist() == [[7, 10], [15, 22]] and (a @ a).dtype is torch.int64
    assert (a @ a[0]).tolist() == [5, 11] and (a[0] @ a[1]).item() == 11
    assert a.int().mm(a.int()).dtype is torch.int32
    assert (torch.ones(0) @ torch.ones(0)).item() == 0.0
    assert (torch.ones(2, 0) @ torch.ones(0, 3)).tolist() == [[0.0] * 3] * 2


SHAPE_ERRORS = [
    ((2, 3), (2, 3), "mat1 and mat2 shapes cannot be multiplied (2x3 and 2x3)"),
    ((3,), (4,), "inconsistent tensor size, expected tensor [3] and src [4] to have the same number of elements, "
                 "but got 3 and 4 elements respectively"),
    ((2, 3), (2,), "size mismatch, got input (2), mat (2x3), vec (2)"),
    ((2,), (3, 4), "mat1 and mat2 shapes cannot be multiplied (1x2 and 3x4)"),
    ((5, 2, 3), (5, 2, 3), "Expected size for first two dimensions of batch2 tensor to be: [5, 3] but got: [5, 2]."),
    ((5, 2, 3), (2, 3), "mat1 and mat2 shapes cannot be multiplied (10x3 and 2x3)"),
    ((4, 2, 3), (5, 3, 4), "The size of tensor a (4) must match the size of tensor b (5) at non-singleton dimension 0"),
    ((2, 2, 3), (4,), "size mismatch, got input (4), mat (4x3), vec (4)"),
    ((4,), (2, 2, 3), "Expected size for first two dimensions of batch2 tensor to be: [2, 4] but got: [2, 2]."),
    ((2, 3), (2, 4, 2), "Expected size for first two dimensions of batch2 tensor to be: [2, 3] but got: [2, 4]."),
]


@pytest.mark.parametrize("a_shape, b_shape, message", SHAPE_ERRORS)
def test_matmul_shape_errors(a_shape, b_shape, message):
    with pytest.raises(RuntimeError) as error:
        torch.ones(*a_shape) @ torch.ones(*b_shape)
    assert str(error.value) == message


def test_matmul_error_depends_on_which_input_needs_grad():
    with pytest.raises(RuntimeError) as error:
        torch.ones(4, requires_grad=True) @ torch.ones(2, 2, 3)  # folded into one mv, as PyTorch does
    assert str(error.value) == "size mismatch, got input (6), mat (6x2), vec (4)"


def test_matmul_dim_and_type_errors():
    with pytest.raises(RuntimeError, match="^both arguments to matmul need to be at least 1D, but they are 0D and "
                                           "1D$"):
        torch.tensor(2.0) @ torch.ones(3)
    with pytest.raises(TypeError, match=r"^unsupported operand type\(s\) for @: 'Tensor' and 'int'$"):
        torch.ones(3) @ 2
    with pytest.raises(TypeError, match=r"^unsupported operand type\(s\) for @: 'int' and 'Tensor'$"):
        2 @ torch.ones(3)
    with pytest.raises(TypeError, match=r"^unsupported operand type\(s\) for @: 'numpy.ndarray' and 'Tensor'$"):
        np.ones(3) @ torch.ones(3)
    with pytest.raises(TypeError, match=r"^matmul\(\): argument 'other' \(position 2\) must be Tensor, not int$"):
        torch.matmul(torch.ones(3), 2)
    with pytest.raises(TypeError, match=r"^matmul\(\): argument 'other' \(position 1\) must be Tensor, not int$"):
        torch.ones(3).matmul(2)


@pytest.mark.parametrize("call, message", [
    (lambda: torch.ones(3).mm(torch.ones(3, 2)), "self must be a matrix"),
    (lambda: torch.ones(2, 3).mm(torch.ones(3)), "mat2 must be a matrix"),
    (lambda: torch.ones(2, 3).mm(torch.ones(3, 2, dtype=torch.float64)),
     "expected m1 and m2 to have the same dtype, but got: float != double"),
    (lambda: torch.ones(2, 3, dtype=torch.int32).mm(torch.ones(3, 3, dtype=torch.long)),
     "expected m1 and m2 to have the same dtype, but got: int != long int"),
    (lambda: torch.ones(2, 3).dot(torch.ones(3)), "1D tensors expected, but got 2D and 1D tensors"),
    (lambda: torch.ones(3).dot(torch.ones(2, dtype=torch.float64)),
     "dot : expected both vectors to have same dtype, but found Float and Double"),
    (lambda: torch.ones(2, 3).mv(torch.ones(2, 3)), "vector + matrix @ vector expected, got 1, 2, 2"),
    (lambda: torch.ones(2, 3).mv(torch.ones(3, dtype=torch.float64)),
     "addmv input tensors must have the same dtype, but got Double, Float, and Double"),
    (lambda: torch.ones(2, 3).bmm(torch.ones(2, 3, 3)), "batch1 must be a 3D tensor"),
    (lambda: torch.ones(2, 2, 3).bmm(torch.ones(2, 3)), "batch2 must be a 3D tensor"),
    (lambda: torch.ones(2, 2, 3).bmm(torch.ones(2, 3, 3, dtype=torch.float64)),
     "expected scalar type Float but found Double"),
])
def test_product_errors(call, message):
    with pytest.raises(RuntimeError) as error:
        call()
    assert str(error.value) == message


def test_bool_products_are_not_implemented():
    b = torch.ones(2, 2, dtype=torch.bool)
    with pytest.raises(NotImplementedError, match="^\"addmm_impl_cpu_\" not implemented for 'Bool'$"):
        b.mm(b)
    with pytest.raises(NotImplementedError, match="^\"dot\" not implemented for 'Bool'$"):
        b[0].dot(b[0])
    one = torch.ones(1, 1, dtype=torch.bool)  # 1-element matrices take the same checks
    with pytest.raises(NotImplementedError, match="^\"addmm_impl_cpu_\" not implemented for 'Bool'$"):
        one.mm(one)
    with pytest.raises(RuntimeError, match=r"^mat1 and mat2 shapes cannot be multiplied \(1x1 and 2x1\)$"):
        torch.ones(1, 1) @ torch.ones(2, 1)
    assert (torch.ones(1, 1) @ torch.ones(1, 3)).shape == (1, 3)


def test_changing_a_saved_input_in_place_is_an_error():
    a = torch.ones(2, 2, requires_grad=True)
    b = a * 1
    c = b @ b
    b.add_(1)
    with pytest.raises(RuntimeError, match="which is output 0 of Add, is at version 1; expected version 0"):
        c.sum().backward()


batch = st.lists(st.integers(1, 3), min_size=0, max_size=2).map(tuple)


@st.composite
def matmul_shapes(draw):
    n, m, p = draw(st.integers(1, 3)), draw(st.integers(1, 3)), draw(st.integers(1, 3))
    a_batch = draw(batch)
    b_batch = tuple(1 if draw(st.booleans()) else k for k in a_batch)[draw(st.integers(0, len(a_batch))):]
    if draw(st.booleans()):
        a_batch, b_batch = b_batch, a_batch
    a_shape = (m,) if draw(st.booleans()) and not a_batch else a_batch + (n, m)
    b_shape = (m,) if draw(st.booleans()) and not b_batch else b_batch + (m, p)
    return a_shape, b_shape, draw(st.booleans()), draw(st.booleans())


@settings(max_examples=50, deadline=None)
@given(matmul_shapes())
def test_property_matmul_matches_numpy_and_sends_back_input_shaped_gradients(shapes):
    a_shape, b_shape, a_grad, b_grad = shapes
    a_values, b_values = random(*a_shape), random(*b_shape, seed=5)
    a, b = f64(a_values, a_grad), f64(b_values, b_grad)
    y = a @ b
    expected = np.matmul(a_values, b_values)
    np.testing.assert_allclose(y.detach().numpy(), expected, rtol=1e-12, atol=1e-12)
    if a_grad or b_grad:
        weights = random(*expected.shape, seed=9) if expected.ndim else np.array(1.3)
        y.backward(torch.tensor(weights))
        # the gradient of a @ b with respect to a is grad @ bᵀ, summed over broadcast batch dims
        a2, b2 = (a_values[None] if a_values.ndim == 1 else a_values), (b_values[:, None] if b_values.ndim == 1
                                                                        else b_values)
        w2 = weights.reshape(np.matmul(a2, b2).shape)
        if a_grad:
            grad_a = np.matmul(w2, np.swapaxes(b2, -1, -2))
            grad_a = grad_a.reshape(-1, *a2.shape).sum(0) if grad_a.ndim > a2.ndim else grad_a
            grad_a = grad_a.sum(tuple(i for i, k in enumerate(a2.shape) if k == 1 and grad_a.shape[i] != 1),
                                keepdims=True)
            np.testing.assert_allclose(a.grad.numpy(), grad_a.reshape(a_shape), rtol=1e-10, atol=1e-12)
        if b_grad:
            assert b.grad.shape == b_shape
