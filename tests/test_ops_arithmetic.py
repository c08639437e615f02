"""Arithmetic (+ - * / ** and negation), and the shape and copy ops it leans on (view, reshape, transpose,
expand, squeeze, clone, to, copy_, zero_, fill_).

Values are compared with numpy, gradients with finite differences (gradcheck in float64), dtypes, node names and
error texts with what PyTorch 2.13 shows.
"""
import math
import warnings

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import minigrad as torch
from minigrad.autograd import gradcheck


def f64(values, requires_grad=True):
    return torch.tensor(np.asarray(values, dtype=np.float64), requires_grad=requires_grad)


RNG = np.random.default_rng(2)


def random(*shape, low=-2.0, high=2.0):
    return RNG.uniform(low, high, shape)


def edges(tensor):
    """``next_functions`` as (name or None, index) pairs."""
    return [(None if n is None else n.name(), i) for n, i in tensor.grad_fn.next_functions]


ACC = ("torch::autograd::AccumulateGrad", 0)

# ----- binary ops between tensors ---------------------------------------------------------------------------------
BINARY = [
    ("add", lambda a, b: a + b, np.add, "AddBackward0"),
    ("sub", lambda a, b: a - b, np.subtract, "SubBackward0"),
    ("mul", lambda a, b: a * b, np.multiply, "MulBackward0"),
    ("div", lambda a, b: a / b, np.divide, "DivBackward0"),
    ("pow", lambda a, b: a ** b, np.power, "PowBackward1"),
]
SHAPES = [((3, 4), (3, 4)), ((3, 4), (4,)), ((3, 1), (1, 4)), ((2, 3, 4), (3, 1)), ((3, 4), ()), ((), (2, 2))]


@pytest.mark.parametrize("a_shape, b_shape", SHAPES)
@pytest.mark.parametrize("name, op, numpy_op, node", BINARY, ids=[b[0] for b in BINARY])
def test_binary_values_nodes_and_gradcheck(name, op, numpy_op, node, a_shape, b_shape):
    a_values = random(*a_shape, low=0.5, high=2.0) if name == "pow" else random(*a_shape)
    b_values = random(*b_shape, low=0.5, high=2.0) if name == "div" else random(*b_shape)
    a, b = f64(a_values), f64(b_values)
    y = op(a, b)
    np.testing.assert_allclose(y.detach().numpy(), numpy_op(a_values, b_values), rtol=1e-12)
    assert y.grad_fn.name() == node and edges(y) == [ACC, ACC]
    assert getattr(torch, name)(a, b).shape == y.shape
    assert gradcheck(op, (a, b))


def test_binary_gradient_formulas():
    a_values, b_values = np.array([1.5, 2.0]), np.array([0.5, -3.0])
    for op, grad_a, grad_b in [
        (lambda a, b: a * b, b_values, a_values),
        (lambda a, b: a / b, 1 / b_values, -a_values / b_values ** 2),
        (lambda a, b: a ** b, b_values * a_values ** (b_values - 1), a_values ** b_values * np.log(a_values)),
        (lambda a, b: torch.add(a, b, alpha=3), np.ones(2), np.full(2, 3.0)),
        (lambda a, b: torch.sub(a, b, alpha=2), np.ones(2), np.full(2, -2.0)),
    ]:
        a, b = f64(a_values), f64(b_values)
        op(a, b).sum().backward()
        np.testing.assert_allclose(a.grad.numpy(), grad_a)
        np.testing.assert_allclose(b.grad.numpy(), grad_b)


def test_broadcast_gradients_are_summed_back():
    a, b = f64(np.ones((2, 3))), f64([1.0, 2.0, 3.0])
    (a * b).sum().backward()
    assert b.grad.tolist() == [2.0, 2.0, 2.0] and a.grad.tolist() == [[1.0, 2.0, 3.0]] * 2


# ----- numbers next to tensors ---------------------------------------------------------------------------------
def test_numbers_become_constant_edges():
    x = f64([1.0, 2.0])
    for y, node, expected_edges in [
        (x + 2, "AddBackward0", [ACC, (None, 0)]), (2 + x, "AddBackward0", [ACC, (None, 0)]),
        (x - 2, "SubBackward0", [ACC, (None, 0)]), (2 - x, "RsubBackward1", [ACC]),
        (x * 2, "MulBackward0", [ACC, (None, 0)]), (2 * x, "MulBackward0", [ACC, (None, 0)]),
        (x / 2, "DivBackward0", [ACC, (None, 0)]), (2 / x, "MulBackward0", [("ReciprocalBackward0", 0), (None, 0)]),
        (x ** 2, "PowBackward0", [ACC]), (2 ** x, "PowBackward2", [ACC]), (-x, "NegBackward0", [ACC]),
        (x.reciprocal(), "ReciprocalBackward0", [ACC]),
    ]:
        assert y.grad_fn.name() == node and edges(y) == expected_edges


@pytest.mark.parametrize("fn, derivative", [
    (lambda x: 2 - x, lambda v: -np.ones_like(v)), (lambda x: 3 / x, lambda v: -3 / v ** 2),
    (lambda x: x ** 3, lambda v: 3 * v ** 2), (lambda x: x ** 0.5, lambda v: 0.5 / np.sqrt(v)),
    (lambda x: x ** -1, lambda v: -1 / v ** 2), (lambda x: 2 ** x, lambda v: 2 ** v * math.log(2)),
    (lambda x: x.reciprocal(), lambda v: -1 / v ** 2), (lambda x: -x, lambda v: -np.ones_like(v)),
])
def test_scalar_forms_derivatives_and_gradcheck(fn, derivative):
    values = random(3, 4, low=0.5, high=2.0)
    x = f64(values)
    fn(x).sum().backward()
    np.testing.assert_allclose(x.grad.numpy(), derivative(values), rtol=1e-12)
    assert gradcheck(fn, (f64(values),))


def test_pow_at_zero():
    x = f64([0.0, 1.0])
    (x ** x).sum().backward()  # d/da a^b = b·a^(b-1) is 0 where b == 0, even at a == 0
    assert x.grad.tolist() == [0.0, 1.0]
    x = f64([0.0, 1.0])
    (x ** 0).sum().backward()
    assert x.grad.tolist() == [0.0, 0.0]
    x = f64([0.0, 4.0])
    (x ** 0.5).sum().backward()
    assert x.grad.tolist() == [math.inf, 0.25]


def test_division_by_zero_and_overflow_are_silent():
    x = torch.tensor([1.0, -1.0, 0.0])
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        y = x / 0
        z = torch.tensor([3e38]) * 10 - torch.tensor([math.inf])
    assert y.tolist()[:2] == [math.inf, -math.inf] and math.isnan(y.tolist()[2])
    assert math.isnan(z.item())


# ----- dtypes ---------------------------------------------------------------------------------------------------
@pytest.mark.parametrize("make, dtype", [
    (lambda: torch.tensor([1, 2]) + torch.tensor([1.0, 2.0]), torch.float32),
    (lambda: torch.tensor([1, 2]) * 2.5, torch.float32),
    (lambda: torch.tensor([1, 2]) / torch.tensor([1, 2]), torch.float32),
    (lambda: torch.tensor([1, 2]) + True, torch.int64),
    (lambda: torch.tensor([1.0, 2.0]) + torch.tensor(2.0, dtype=torch.float64), torch.float32),
    (lambda: torch.tensor([1.0, 2.0]) + torch.tensor([2.0, 1.0], dtype=torch.float64), torch.float64),
    (lambda: torch.tensor([1, 2]) + torch.tensor(2.0, dtype=torch.float64), torch.float64),  # a higher category
    (lambda: torch.tensor([True]) + torch.tensor([True]), torch.bool),
    (lambda: torch.tensor(3) / torch.tensor(2), torch.float32),  # true division of two int tensors, 0-d
    (lambda: torch.tensor([1, 2]) / torch.tensor([2]), torch.float32),  # and broadcast against 1 element
    (lambda: torch.tensor([True]) * 2, torch.int64),
    (lambda: torch.tensor([1, 2]) ** 2, torch.int64),
    (lambda: torch.tensor([1, 2]) ** 0.5, torch.float32),
    (lambda: 2.5 ** torch.tensor([1, 2]), torch.float32),
    (lambda: torch.tensor([1, 2]) ** torch.tensor([1.5, 2.0]), torch.float32),
])
def test_dtype_promotion(make, dtype):
    assert make().dtype is dtype


def test_gradient_dtypes_follow_the_inputs():
    x = torch.ones(2, requires_grad=True)
    y = torch.ones(2, dtype=torch.float64, requires_grad=True)
    s = torch.tensor(2.0, dtype=torch.float64, requires_grad=True)
    (x * y + x / s - y ** x + (x - s)).sum().backward()
    assert x.grad.dtype is torch.float32 and y.grad.dtype is torch.float64 and s.grad.dtype is torch.float64


@pytest.mark.parametrize("op", ["add", "sub", "mul", "div"])
@pytest.mark.parametrize("a_shape, b_shape", [((2, 3), (2, 3)), ((), ()), ((1,), (1,)), ((), (2, 3)), ((1,), (2, 3)),
                                              ((2, 3), (3,)), ((2, 1), (1, 3))])
@pytest.mark.parametrize("b_dtype", [torch.float32, torch.float64])
def test_operands_promoted_only_when_their_shapes_or_dtypes_differ(op, a_shape, b_shape, b_dtype):
    """+ - * / take same-shape, same-dtype operands as they are and promote or check the rest: 0-d, 1-element
    and broadcast operands, each side, give numpy's values, the promoted dtype and gradients of each input's own
    shape and dtype."""
    rng = np.random.default_rng(0)
    a_data, b_data = rng.uniform(1, 2, a_shape).astype(np.float32), rng.uniform(1, 2, b_shape).astype(b_dtype.numpy)
    for x_data, y_data in ((a_data, b_data), (b_data, a_data)):
        x = torch.tensor(x_data, requires_grad=True)
        y = torch.tensor(y_data, requires_grad=True)
        out = getattr(torch, op)(x, y)
        expected = getattr(np, {"add": "add", "sub": "subtract", "mul": "multiply", "div": "divide"}[op])(
            x_data.astype(np.float64), y_data.astype(np.float64))
        assert out.dtype is b_dtype and out.shape == np.broadcast_shapes(a_shape, b_shape)
        np.testing.assert_allclose(out.detach().numpy(), expected, rtol=1e-6)
        out.sum().backward()
        assert x.grad.shape == x_data.shape and x.grad.dtype is x.dtype
        assert y.grad.shape == y_data.shape and y.grad.dtype is y.dtype
    with pytest.raises(RuntimeError, match=r"^The size of tensor a \(2\) must match the size of tensor b \(3\) "
                                           r"at non-singleton dimension 0$"):
        getattr(torch, op)(torch.ones(2, dtype=b_dtype), torch.ones(3))


# ----- errors ---------------------------------------------------------------------------------------------------
def test_broadcast_error():
    with pytest.raises(RuntimeError, match="^The size of tensor a \\(2\\) must match the size of tensor b \\(3\\) at "
                                           "non-singleton dimension 2$"):
        torch.ones(2, 3, 2) + torch.ones(4, 3)


def test_bool_subtraction_and_negation_errors():
    b = torch.tensor([True, False])
    with pytest.raises(RuntimeError, match="^Subtraction, the `-` operator, with two bool tensors is not supported. "
                                           "Use the `\\^` or `logical_xor\\(\\)` operator instead.$"):
        b - b
    with pytest.raises(RuntimeError, match="^Subtraction, the `-` operator, with two bool tensors"):
        torch.tensor(True) - torch.tensor(True)  # 0-d
    for call in (lambda: 1 - b, lambda: b - 1, lambda: torch.tensor([1, 2]) - True, lambda: torch.tensor([True]) - 1,
                 lambda: torch.tensor(2.0) - True, lambda: torch.tensor([True]) - torch.ones(1),
                 lambda: torch.ones(2, 2) - torch.tensor(False)):  # two tensors take a shorter path: still refused
        with pytest.raises(RuntimeError, match="^Subtraction, the `-` operator, with a bool tensor is not supported. "
                                               "If you are trying to invert a mask"):
            call()
    with pytest.raises(RuntimeError, match="^Negation, the `-` operator, on a bool tensor is not supported."):
        -b
    assert (b + b).tolist() == [True, False]


def test_integer_power_errors():
    with pytest.raises(RuntimeError, match="^Integers to negative integer powers are not allowed.$"):
        torch.tensor([2]) ** -1
    assert (torch.tensor([2]) ** -1.0).tolist() == [0.5]


def test_wrong_operand_types():
    x = torch.ones(2)
    with pytest.raises(TypeError, match=r"^unsupported operand type\(s\) for \+: 'Tensor' and 'NoneType'$"):
        x + None
    with pytest.raises(TypeError, match=r"^unsupported operand type\(s\) for \*\* or pow\(\): 'Tensor' and 'str'$"):
        x ** "a"
    with pytest.raises(TypeError, match=r"^add\(\): argument 'other' \(position 2\) must be Tensor, not str$"):
        torch.add(x, "a")
    with pytest.raises(TypeError, match=r"^add\(\): argument 'other' \(position 1\) must be Tensor, not str$"):
        x.add("a")
    with pytest.raises(TypeError, match=r"^pow\(\) received an invalid combination of arguments - got \(str, Tensor\)"):
        torch.pow("a", x)
    assert (x + np.ones(2)).dtype is torch.float64  # a numpy array on the right is taken as a tensor


# ----- in place ---------------------------------------------------------------------------------------------------
def test_in_place_operators():
    x = torch.tensor([1.0, 2.0], requires_grad=True)
    y = x * 1
    y += 2
    y -= 1
    y *= 3
    y /= 2
    y **= 2
    assert y._version == 5 and y.grad_fn.name() == "PowBackward0"
    y.sum().backward()
    v = np.array([1.0, 2.0])
    np.testing.assert_allclose(x.grad.numpy(), 2 * ((v + 1) * 1.5) * 1.5)
    i = torch.tensor([1, 2])
    i *= 2
    i += True
    assert i.tolist() == [3, 5]
    with pytest.raises(RuntimeError, match="^result type Float can't be cast to the desired output type Long$"):
        i /= 2
    with pytest.raises(RuntimeError, match=r"^output with shape \[2\] doesn't match the broadcast shape \[2, 2\]$"):
        i += torch.ones(2, 2, dtype=torch.long)
    assert i.tolist() == [3, 5] and i._version == 2  # refused calls changed nothing


def test_in_place_on_a_leaf_that_requires_grad():
    x = torch.ones(2, requires_grad=True)
    with pytest.raises(RuntimeError, match="^a leaf Variable that requires grad is being used in an in-place "
                                           "operation.$"):
        x += 1
    with torch.no_grad():
        x += 1
    assert x.tolist() == [2.0, 2.0] and x.grad_fn is None


# ----- second derivatives ---------------------------------------------------------------------------------------
@pytest.mark.parametrize("fn, n_inputs", [
    (lambda a: a ** 3, 1), (lambda a: a ** 0.5, 1), (lambda a, b: a ** b, 2), (lambda a, b: a / b, 2),
    (lambda a, b: a * b * a, 2), (lambda a: 2 ** a, 1), (lambda a: 1 / a, 1),
])
def test_second_derivatives(fn, n_inputs):
    inputs = [f64(random(2, 3, low=0.5, high=2.0)) for _ in range(n_inputs)]

    def first_derivatives(*xs):
        return torch.autograd.grad(fn(*xs).sum(), xs, create_graph=True)

    assert gradcheck(first_derivatives, inputs)


def test_second_derivative_of_a_cube():
    x = f64([1.0, -2.0])
    (g,) = torch.autograd.grad((x ** 3).sum(), x, create_graph=True)
    (h,) = torch.autograd.grad(g.sum(), x)
    assert g.tolist() == [3.0, 12.0] and h.tolist() == [6.0, -12.0]


# ----- shape ops ------------------------------------------------------------------------------------------------
X = random(2, 3, 4)


@pytest.mark.parametrize("fn, numpy_fn, node", [
    (lambda t: t.view(6, 4), lambda a: a.reshape(6, 4), "ViewBackward0"),
    (lambda t: t.reshape(-1), lambda a: a.reshape(-1), "ViewBackward0"),
    (lambda t: t.flatten(1), lambda a: a.reshape(2, 12), "ViewBackward0"),
    (lambda t: t.transpose(0, 2), lambda a: a.transpose(2, 1, 0), "TransposeBackward0"),
    (lambda t: t.permute(2, 0, 1), lambda a: a.transpose(2, 0, 1), "PermuteBackward0"),
    (lambda t: t.unsqueeze(1), lambda a: a[:, None], "UnsqueezeBackward0"),
    (lambda t: t[None].squeeze(0), lambda a: a, "SqueezeBackward1"),
    (lambda t: t[:, :1].squeeze(), lambda a: a[:, 0], "SqueezeBackward0"),
    (lambda t: t[:1].expand(3, 3, 4), lambda a: np.broadcast_to(a[:1], (3, 3, 4)), "ExpandBackward0"),
    (lambda t: t.transpose(1, 2).reshape(2, 12), lambda a: a.transpose(0, 2, 1).reshape(2, 12),
     "UnsafeViewBackward0"),
    (lambda t: t.transpose(0, 1).reshape(3, 2, 2, 2), lambda a: a.transpose(1, 0, 2).reshape(3, 2, 2, 2),
     "ReshapeAliasBackward0"),
    (lambda t: t.mT, lambda a: a.transpose(0, 2, 1), "TransposeBackward0"),
    (lambda t: t[0].t(), lambda a: a[0].T, "TBackward0"),
])
def test_shape_ops(fn, numpy_fn, node):
    x = f64(X)
    y = fn(x)
    np.testing.assert_array_equal(y.detach().numpy(), numpy_fn(X))
    assert y.grad_fn.name() == node
    assert gradcheck(fn, (f64(X),))


def test_views_share_memory_and_version():
    x = torch.ones(2, 3)
    y = x.view(3, 2)
    y[0, 0] = 5.0
    assert x[0, 0].item() == 5.0 and x._version == 1 and y._base is x
    assert x.t()._base is x and x.unsqueeze(0)._base is x and x.expand(4, 2, 3)._base is x


def test_shape_errors():
    x = torch.ones(2, 3)
    for call, error, message in [
        (lambda: x.view(4, -1), RuntimeError, "shape '[4, -1]' is invalid for input of size 6"),
        (lambda: x.view(-1, -1), RuntimeError, "only one dimension can be inferred"),
        (lambda: x.t().view(6), RuntimeError, "view size is not compatible with input tensor's size and stride (at "
                                              "least one dimension spans across two contiguous subspaces). Use "
                                              ".reshape(...) instead."),
        (lambda: x.flatten(2), IndexError, "Dimension out of range (expected to be in range of [-2, 1], but got 2)"),
        (lambda: x.flatten(1, 0), RuntimeError, "flatten() has invalid args: start_dim cannot come after end_dim"),
        (lambda: x.transpose(0, 2), IndexError, "Dimension out of range (expected to be in range of [-2, 1], but "
                                                "got 2)"),
        (lambda: x.permute(0, 0), RuntimeError, "permute(): duplicate dims are not allowed."),
        (lambda: x.permute(0), RuntimeError, "permute(sparse_coo): number of dimensions in the tensor input does not "
                                             "match the length of the desired ordering of dimensions i.e. input.dim() "
                                             "= 2 is not equal to len(dims) = 1"),
        (lambda: x.unsqueeze(3), IndexError, "Dimension out of range (expected to be in range of [-3, 2], but got 3)"),
        (lambda: torch.ones(3, 1).expand(4, 4), RuntimeError, "The expanded size of the tensor (4) must match the "
                                                              "existing size (3) at non-singleton dimension 0.  "
                                                              "Target sizes: [4, 4].  Tensor sizes: [3, 1]"),
        (lambda: torch.ones(3, 1).expand(-1, -1, 2), RuntimeError, "The expanded size of the tensor (-1) isn't "
                                                                   "allowed in a leading, non-existing dimension 0"),
        (lambda: torch.ones(2, 3, 4).t(), RuntimeError, "t() expects a tensor with <= 2 dimensions, but self is 3D"),
    ]:
        with pytest.raises(error) as raised:
            call()
        assert str(raised.value) == message


def test_t_in_place_changes_the_shape():
    x = torch.ones(2, 3, requires_grad=True)
    z = x * 1
    z.t_()
    assert z.shape == (3, 2) and z.grad_fn.name() == "TBackward1" and z._version == 1


# ----- copies ---------------------------------------------------------------------------------------------------
def test_clone_and_to():
    x = f64([1.0, 2.0])
    c = x.clone()
    assert c.grad_fn.name() == "CloneBackward0" and not np.shares_memory(c._data, x._data)
    f = x.to(torch.float32)
    assert f.dtype is torch.float32 and f.grad_fn.name() == "ToCopyBackward0"
    assert x.to(torch.float64) is x and x.double() is x
    f.sum().backward()
    assert x.grad.dtype is torch.float64 and x.grad.tolist() == [1.0, 1.0]
    assert torch.tensor([1.7, -2.7]).long().tolist() == [1, -2]
    assert gradcheck(lambda t: t.clone() * t.to(torch.float64), (f64([1.0, 2.0]),))


def test_copy_zero_fill_in_place():
    x, w = f64([1.0, 2.0]), f64([5.0, 6.0])
    y = x * 1
    y.copy_(w)
    assert y.tolist() == [5.0, 6.0] and y.grad_fn.name() == "torch::autograd::CopyBackwards"
    y.sum().backward()
    assert x.grad.tolist() == [0.0, 0.0] and w.grad.tolist() == [1.0, 1.0]
    y = x * 1
    y.zero_()
    assert y.tolist() == [0.0, 0.0] and y.grad_fn.name() == "ZeroBackward0"
    y = x * 1
    y.fill_(3)
    assert y.tolist() == [3.0, 3.0] and y.grad_fn.name() == "FillBackward2"
    v = f64(3.0)
    y = x * 1
    y.fill_(v)
    assert y.grad_fn.name() == "FillBackward3" and len(y.grad_fn.next_functions) == 2
    y.sum().backward()
    assert v.grad.item() == 2.0  # d/dvalue: one for every element filled
    z = torch.zeros(2, 2)
    z.copy_(torch.tensor([1.0, 2.0]))  # the source broadcasts
    assert z.tolist() == [[1.0, 2.0], [1.0, 2.0]]


def test_copy_and_fill_errors():
    with pytest.raises(RuntimeError, match="^The size of tensor a \\(2\\) must match the size of tensor b \\(3\\) at "
                                           "non-singleton dimension 0$"):
        torch.zeros(2).copy_(torch.ones(3))
    with pytest.raises(RuntimeError, match=r"^output with shape \[2\] doesn't match the broadcast shape \[2, 2\]$"):
        torch.zeros(2).copy_(torch.ones(2, 2))
    with pytest.raises(RuntimeError, match="^fill_ only supports 0-dimension value tensor but got tensor with 1 "
                                           "dimensions.$"):
        torch.ones(2).fill_(torch.tensor([1.0, 2.0]))


# ----- properties -----------------------------------------------------------------------------------------------
@st.composite
def broadcast_pairs(draw):
    shape = tuple(draw(st.lists(st.integers(1, 3), min_size=0, max_size=3)))
    other = tuple(1 if draw(st.booleans()) else n for n in shape)[draw(st.integers(0, len(shape))):]
    return (other, shape) if draw(st.booleans()) else (shape, other)


@settings(max_examples=50, deadline=None)
@given(broadcast_pairs(), st.integers(0, 2 ** 16))
def test_property_binary_ops_broadcast_like_numpy(shapes, seed):
    a_shape, b_shape = shapes
    rng = np.random.default_rng(seed)
    a_values, b_values = rng.uniform(0.5, 2, a_shape), rng.uniform(0.5, 2, b_shape)
    for _, op, numpy_op, _ in BINARY:
        a, b = f64(a_values), f64(b_values)
        y = op(a, b)
        np.testing.assert_allclose(y.detach().numpy(), numpy_op(a_values, b_values), rtol=1e-12)
        y.sum().backward()
        assert a.grad.shape == a_shape and b.grad.shape == b_shape
    a, b = f64(a_values), f64(b_values)
    (a + b).sum().backward()  # each input gets one for every output element it reached
    out = np.broadcast_shapes(a_shape, b_shape)
    assert a.grad.sum().item() == pytest.approx(np.prod(out)) and b.grad.sum().item() == pytest.approx(np.prod(out))
