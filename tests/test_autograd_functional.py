"""autograd.functional.jacobian and hessian: against formulas written out by hand and against finite differences."""
import numpy as np
import pytest

import minigrad as torch
from minigrad.autograd.functional import hessian, jacobian


def f64(values):
    return torch.tensor(np.asarray(values, dtype=np.float64))


def numerical_jacobian(f, x, eps=1e-6):
    base = x.numpy()
    columns = []
    for i in range(base.size):
        step = np.zeros(base.size)
        step[i] = eps
        plus = f(f64(base + step.reshape(base.shape))).numpy()
        minus = f(f64(base - step.reshape(base.shape))).numpy()
        columns.append(((plus - minus) / (2 * eps)).reshape(-1))
    return np.stack(columns, axis=-1).reshape(np.shape(plus) + base.shape)


@pytest.mark.parametrize("f, shape", [
    (lambda a: a ** 2, (3,)), (lambda a: a.exp().sum(), (2, 2)), (lambda a: a @ a.t(), (2, 3)),
    (lambda a: a.softmax(0), (4,)), (lambda a: a * 3, ()), (lambda a: a.sin(), (1,)),
])
def test_jacobian_against_finite_differences(f, shape):
    x = f64(np.random.default_rng(0).standard_normal(shape))
    J = jacobian(f, x)
    np.testing.assert_allclose(J.numpy(), numerical_jacobian(f, x), rtol=1e-6, atol=1e-8)
    assert J.shape == tuple(f(x).shape) + tuple(x.shape) and not J.requires_grad and not x.requires_grad


def test_jacobian_is_rows_of_vector_jacobian_products():
    x = f64([1.0, 2.0, 3.0])
    W = f64(np.arange(6.0).reshape(2, 3))
    J = jacobian(lambda a: W @ a, x)
    np.testing.assert_array_equal(J.numpy(), W.numpy())  # d(Wx)/dx = W


def test_several_inputs_and_outputs():
    x, y = f64([1.0, 2.0]), f64(3.0)
    dx, dy = jacobian(lambda a, b: a * b, (x, y))
    assert dx.tolist() == [[3.0, 0.0], [0.0, 3.0]] and dy.tolist() == [1.0, 2.0]
    doubled, summed = jacobian(lambda a: (a * 2, a.sum()), x)
    assert doubled.tolist() == [[2.0, 0.0], [0.0, 2.0]] and summed.tolist() == [1.0, 1.0]
    assert jacobian(lambda a: f64([1.0, 1.0]), x).tolist() == [[0.0, 0.0], [0.0, 0.0]]  # does not depend on x


def test_create_graph_keeps_the_jacobian_differentiable():
    x = f64([1.0, 2.0])
    J = jacobian(lambda a: a ** 3, x, create_graph=True)
    assert J.requires_grad


def test_hessian():
    x = f64([1.0, 2.0])
    assert hessian(lambda a: (a ** 3).sum(), x).tolist() == [[6.0, 0.0], [0.0, 12.0]]
    A = f64([[2.0, 1.0], [1.0, 3.0]])
    np.testing.assert_allclose(hessian(lambda a: a @ A @ a / 2, x).numpy(), A.numpy())  # of a quadratic form
    blocks = hessian(lambda a, b: (a * b).sum(), (x, f64(3.0)))
    assert [[block.tolist() for block in row] for row in blocks] == [[[[0.0, 0.0], [0.0, 0.0]], [1.0, 1.0]],
                                                                     [[1.0, 1.0], 0.0]]


@pytest.mark.parametrize("call, kind, text", [
    (lambda x: jacobian(lambda a: 1, x), TypeError,
     "The outputs of the user-provided function given to jacobian must be either a Tensor or a tuple of Tensors but "
     "the given outputs of the user-provided function has type <class 'int'>."),
    (lambda x: jacobian(lambda a: a, 1.0), TypeError,
     "The inputs given to jacobian must be either a Tensor or a tuple of Tensors but the given inputs has type "
     "<class 'float'>."),
    (lambda x: jacobian(lambda a: a, [x]), TypeError,
     "The inputs given to jacobian must be either a Tensor or a tuple of Tensors but the given inputs has type "
     "<class 'list'>."),
    (lambda x: hessian(lambda a: a, x), RuntimeError,
     "The Tensor returned by the function given to hessian should contain a single element"),
    (lambda x: jacobian(lambda a: f64([1.0, 1.0]), x, strict=True), RuntimeError,
     "Output 0 of the user-provided function is independent of input 0. This is not allowed in strict mode."),
])
def test_errors(call, kind, text):
    with pytest.raises(kind) as caught:
        call(f64([1.0, 2.0]))
    assert str(caught.value) == text
