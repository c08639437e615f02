"""Elementwise ops: exp ... relu, square, clamp family, masked_fill, where, maximum/minimum.

Values are compared with numpy, derivatives with their formulas, gradients with finite differences (gradcheck in
float64), and error texts with the ones PyTorch 2.13 prints.
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


RNG = np.random.default_rng(0)
ANY = RNG.uniform(-2, 2, (3, 4))
POSITIVE = RNG.uniform(0.2, 3, (3, 4))

# name, input values, numpy function, derivative as a function of x, PyTorch's node name
UNARY = [
    ("exp", ANY, np.exp, np.exp, "ExpBackward0"),
    ("log", POSITIVE, np.log, lambda x: 1 / x, "LogBackward0"),
    ("sqrt", POSITIVE, np.sqrt, lambda x: 0.5 / np.sqrt(x), "SqrtBackward0"),
    ("abs", ANY, np.abs, np.sign, "AbsBackward0"),
    ("sin", ANY, np.sin, np.cos, "SinBackward0"),
    ("cos", ANY, np.cos, lambda x: -np.sin(x), "CosBackward0"),
    ("tanh", ANY, np.tanh, lambda x: 1 - np.tanh(x) ** 2, "TanhBackward0"),
    ("sigmoid", ANY, lambda x: 1 / (1 + np.exp(-x)), lambda x: np.exp(-x) / (1 + np.exp(-x)) ** 2, "SigmoidBackward0"),
    ("relu", ANY, lambda x: np.maximum(x, 0), lambda x: (x > 0).astype(float), "ReluBackward0"),
    ("square", ANY, np.square, lambda x: 2 * x, "PowBackward0"),
]


@pytest.mark.parametrize("name, values, numpy_fn, derivative, node", UNARY, ids=[u[0] for u in UNARY])
def test_unary_values_node_and_derivative(name, values, numpy_fn, derivative, node):
    x = f64(values)
    y = getattr(x, name)()
    np.testing.assert_allclose(y.detach().numpy(), numpy_fn(values), rtol=1e-12)
    assert y.dtype is torch.float64
    assert y.grad_fn.name() == node
    assert [(n.name(), i) for n, i in y.grad_fn.next_functions] == [("torch::autograd::AccumulateGrad", 0)]
    y.sum().backward()
    np.testing.assert_allclose(x.grad.numpy(), derivative(values), rtol=1e-10)
    assert getattr(torch, name)(x.detach()).shape == x.shape  # the function form too


@pytest.mark.parametrize("name, values, numpy_fn, derivative, node", UNARY, ids=[u[0] for u in UNARY])
def test_unary_gradcheck(name, values, numpy_fn, derivative, node):
    assert gradcheck(lambda x: getattr(torch, name)(x), (f64(values),))


@pytest.mark.parametrize("name", ["exp", "log", "sqrt", "sin", "cos", "tanh", "sigmoid"])
def test_float_only_functions_turn_integers_into_float32(name):
    numpy_fn = {u[0]: u[2] for u in UNARY}[name]
    result = getattr(torch.tensor([1, 2, 3]), name)()
    assert result.dtype is torch.float32
    np.testing.assert_allclose(result.numpy(), numpy_fn(np.array([1.0, 2.0, 3.0])), rtol=1e-6)
    assert getattr(torch.tensor([True, False]), name)().dtype is torch.float32


def test_abs_relu_square_keep_integers():
    a = torch.tensor([1, -2, 3])
    assert a.abs().tolist() == [1, 2, 3] and a.abs().dtype is torch.int64
    assert a.relu().tolist() == [1, 0, 3] and a.relu().dtype is torch.int64
    assert a.square().tolist() == [1, 4, 9] and a.square().dtype is torch.int64
    assert torch.tensor([True, False]).square().dtype is torch.int64


def test_bool_errors():
    with pytest.raises(NotImplementedError, match=r"^\"abs_cpu\" not implemented for 'Bool'$"):
        torch.tensor([True]).abs()
    with pytest.raises(RuntimeError, match="^Boolean inputs not supported for relu$"):
        torch.tensor([True]).relu()


def test_outside_the_domain_gives_nan_and_inf_silently():
    x = torch.tensor([-1.0, 0.0, 4.0])
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        log, root = x.log(), x.sqrt()
    assert math.isnan(log[0].item()) and log[1].item() == -math.inf and log[2].item() == pytest.approx(math.log(4))
    assert math.isnan(root[0].item()) and root.tolist()[1:] == [0.0, 2.0]


@pytest.mark.parametrize("shape", [(), (1,), (2, 3)], ids=["0-d", "1-element", "2x3"])
@pytest.mark.parametrize("dtype", [torch.float32, torch.float64])
def test_overflow_and_domain_edges_are_silent_on_every_shape(shape, dtype):
    """exp, log, sqrt and sigmoid switch numpy's warnings off around their forward (as a decorator): inf, -inf and
    nan come silently, as in PyTorch, on 0-d, 1-element and larger tensors, even when numpy is told to raise."""
    def full(value):
        return torch.full(shape, value, dtype=dtype, requires_grad=True)

    old = np.seterr(all="raise")
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error")
            big, zero, negative, very_negative = full(1000.0), full(0.0), full(-1.0), full(-1000.0)
            results = big.exp(), zero.log(), negative.sqrt(), very_negative.sigmoid()
            for result in results:
                result.sum().backward()
    finally:
        np.seterr(**old)
    exp, log, root, sigmoid = results
    assert exp.shape == log.shape == root.shape == sigmoid.shape == shape
    assert (exp.detach().numpy() == np.inf).all() and (log.detach().numpy() == -np.inf).all()
    assert np.isnan(root.detach().numpy()).all() and (sigmoid.detach().numpy() == 0).all()
    assert (big.grad.numpy() == np.inf).all() and (zero.grad.numpy() == np.inf).all()


def test_sigmoid_is_stable_for_large_inputs():
    x = torch.tensor([-1000.0, -30.0, 0.0, 30.0, 1000.0], dtype=torch.float64, requires_grad=True)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        s = x.sigmoid()
        s.sum().backward()
    expected = [0.0, 1 / (1 + math.exp(30)), 0.5, 1 / (1 + math.exp(-30)), 1.0]
    np.testing.assert_allclose(s.detach().numpy(), expected, rtol=1e-12, atol=0)
    assert np.isfinite(x.grad.numpy()).all()


def test_relu_and_abs_have_zero_gradient_at_zero():
    x = f64([0.0, 2.0, -2.0])
    (x.relu() + x.abs()).sum().backward()
    assert x.grad.tolist() == [0.0, 2.0, -1.0]


def _second_derivative(fn, values):
    x = f64(values)
    (first,) = torch.autograd.grad(fn(x).sum(), x, create_graph=True)
    (second,) = torch.autograd.grad(first.sum(), x)
    return first.detach().numpy(), second.numpy()


@pytest.mark.parametrize("name, values, first, second", [
    ("tanh", ANY, lambda x: 1 - np.tanh(x) ** 2, lambda x: -2 * np.tanh(x) * (1 - np.tanh(x) ** 2)),
    ("sigmoid", ANY, lambda x: (s := 1 / (1 + np.exp(-x))) * (1 - s),
     lambda x: (s := 1 / (1 + np.exp(-x))) * (1 - s) * (1 - 2 * s)),
    ("exp", ANY, np.exp, np.exp),
    ("log", POSITIVE, lambda x: 1 / x, lambda x: -1 / x ** 2),
    ("sqrt", POSITIVE, lambda x: 0.5 * x ** -0.5, lambda x: -0.25 * x ** -1.5),
    ("sin", ANY, np.cos, lambda x: -np.sin(x)),
    ("square", ANY, lambda x: 2 * x, lambda x: 2 + 0 * x),
])
def test_second_derivatives(name, values, first, second):
    got_first, got_second = _second_derivative(lambda x: getattr(x, name)(), values)
    np.testing.assert_allclose(got_first, first(values), rtol=1e-10)
    np.testing.assert_allclose(got_second, second(values), rtol=1e-9)


@pytest.mark.parametrize("name, op", [("exp", "Exp"), ("tanh", "Tanh"), ("sigmoid", "Sigmoid"), ("sqrt", "Sqrt"),
                                      ("relu", "Relu")])
def test_changing_a_saved_result_in_place_is_an_error(name, op):
    x = torch.tensor([1.0, 2.0], requires_grad=True)
    y = getattr(x, name)()
    y.mul_(2)
    with pytest.raises(RuntimeError, match=f"which is output 0 of {op}, is at version 1; expected version 0"):
        y.sum().backward()


def test_in_place_elementwise_methods():
    x = torch.tensor([0.5, -1.5, 2.0], requires_grad=True)
    y = x * 1
    for name in ["exp_", "sigmoid_", "tanh_", "sin_", "cos_", "abs_", "sqrt_", "log_", "relu_", "square_"]:
        before = y._version
        assert getattr(y, name)() is y
        assert y._version == before + 1
    assert y.grad_fn.name() == "PowBackward0"
    expected = np.array([0.5, -1.5, 2.0])
    for fn in [np.exp, lambda v: 1 / (1 + np.exp(-v)), np.tanh, np.sin, np.cos, np.abs, np.sqrt, np.log,
               lambda v: np.maximum(v, 0), np.square]:
        expected = fn(expected)
    np.testing.assert_allclose(y.detach().numpy(), expected.astype(np.float32), rtol=1e-5)
    with pytest.raises(RuntimeError, match="^result type Float can't be cast to the desired output type Long$"):
        torch.tensor([1, 2]).exp_()


# ----- clamp ---------------------------------------------------------------------------------------------------------
def test_clamp_values_match_numpy_clip():
    values = np.array([-3.0, -0.5, 0.0, 0.5, 3.0])
    x = torch.tensor(values)
    assert x.clamp(-1, 1).tolist() == np.clip(values, -1, 1).tolist()
    assert x.clamp(min=0).tolist() == np.maximum(values, 0).tolist()
    assert torch.clamp(x, max=0).tolist() == np.minimum(values, 0).tolist()
    assert x.clip(-1, 1).tolist() == x.clamp(-1, 1).tolist()
    assert x.clamp(2, 1).tolist() == [1.0] * 5  # min > max: everything becomes max
    assert math.isnan(torch.tensor([float("nan")]).clamp(0, 1).item())


def test_clamp_dtypes():
    assert torch.tensor([1, 2, 3]).clamp(min=1.5).dtype is torch.float32
    assert torch.tensor([1, 2, 3]).clamp(0, 2).tolist() == [1, 2, 2]
    assert torch.tensor([True, False]).clamp(min=0).dtype is torch.int64


def test_clamp_gradient_passes_inside_and_on_the_bounds():
    x = f64([-2.0, -1.0, 0.0, 1.0, 2.0])
    y = x.clamp(-1, 1)
    assert y.grad_fn.name() == "ClampBackward1" and len(y.grad_fn.next_functions) == 1
    y.sum().backward()
    assert x.grad.tolist() == [0.0, 1.0, 1.0, 1.0, 0.0]
    x = f64([0.0, 1.5, 3.0])
    x.clamp(2, 1).sum().backward()
    assert x.grad.tolist() == [0.0, 0.0, 0.0]


def test_clamp_with_tensor_bounds():
    x, low, high = f64([0.0, 0.5, 1.0, 2.0, -1.0]), f64([0.0] * 5), f64([1.0] * 5)
    y = x.clamp(low, high)
    assert y.grad_fn.name() == "ClampBackward0"
    y.sum().backward()
    assert x.grad.tolist() == [1.0, 1.0, 1.0, 0.0, 0.0]
    assert low.grad.tolist() == [0.0, 0.0, 0.0, 0.0, 1.0]
    assert high.grad.tolist() == [0.0, 0.0, 0.0, 1.0, 0.0]
    # min > max: the output is max, so max gets the gradient
    x, low, high = f64([0.0, 3.0]), f64([2.0, 2.0]), f64([1.0, 1.0])
    x.clamp(low, high).sum().backward()
    assert x.grad.tolist() == [0.0, 0.0] and low.grad.tolist() == [0.0, 0.0] and high.grad.tolist() == [1.0, 1.0]


def test_clamp_with_one_tensor_bound_keeps_three_edges():
    x, high = f64([1.0, -2.0]), f64([0.0, 0.0])
    y = x.clamp(max=high)
    assert [n is None for n, _ in y.grad_fn.next_functions] == [False, True, False]
    y = x.clamp(min=torch.tensor(0.5))  # a bound that needs no gradient is still an edge, to nowhere
    assert [n is None for n, _ in y.grad_fn.next_functions] == [False, True, True]


def test_clamp_gradcheck_with_broadcast_bounds():
    x = f64(RNG.uniform(-2, 2, (3, 4)))
    low, high = f64(RNG.uniform(-1.5, -0.5, (4,))), f64(RNG.uniform(0.5, 1.5, (3, 1)))
    assert gradcheck(lambda a, lo, hi: a.clamp(lo, hi), (x, low, high))
    assert gradcheck(lambda a, lo: torch.clamp(a, min=lo), (x, low))
    assert gradcheck(lambda a: a.clamp(-0.7, 0.9), (x,))


def test_clamp_min_and_clamp_max():
    x = f64([-1.0, 0.5, 2.0])
    assert x.clamp_min(0).grad_fn.name() == "ClampMinBackward0"
    assert x.clamp_max(1).grad_fn.name() == "ClampMaxBackward0"
    bound = f64([0.0, 1.0, 1.0])
    y = x.clamp_min(bound)
    assert y.grad_fn.name() == "ClampMinBackward1" and len(y.grad_fn.next_functions) == 2
    assert y.tolist() == [0.0, 1.0, 2.0]
    y.sum().backward()
    assert x.grad.tolist() == [0.0, 0.0, 1.0] and bound.grad.tolist() == [1.0, 1.0, 0.0]
    assert torch.clamp_max(x.detach(), 1).tolist() == [-1.0, 0.5, 1.0]


def test_clamp_errors():
    with pytest.raises(RuntimeError, match="^minigrad.clamp: At least one of 'min' or 'max' must not be None$"):
        torch.tensor([1.0]).clamp()
    with pytest.raises(TypeError, match=r"^clamp\(\) received an invalid combination of arguments - got "
                                        r"\(Tensor, Tensor, float\), but expected one of:"):
        torch.clamp(torch.ones(2), torch.zeros(2), 1.0)
    with pytest.raises(RuntimeError, match="^The size of tensor a \\(3\\) must match the size of tensor b \\(4\\) "
                                           "at non-singleton dimension 1$"):
        torch.ones(2, 3).clamp(torch.ones(3), torch.ones(4))
    # a 0-d tensor that needs no gradient counts as a number next to a number
    assert torch.tensor([1.0, -2.0]).clamp(min=torch.tensor(0.0), max=0.5).tolist() == [0.5, 0.0]


def test_clamp_in_place():
    x = torch.tensor([1.0, -2.0, 3.0])
    assert x.clamp_(0, 2) is x and x.tolist() == [1.0, 0.0, 2.0] and x._version == 1
    x.clip_(max=1)
    assert x.tolist() == [1.0, 0.0, 1.0] and x._version == 2
    with pytest.raises(RuntimeError, match=r"^output with shape \[3\] doesn't match the broadcast shape \[2, 3\]$"):
        x.clamp_(min=torch.zeros(2, 3))
    assert x._version == 2  # a refused call changes nothing


# ----- masked_fill and where -----------------------------------------------------------------------------------
MASK = np.array([[True, False, True, False], [False, False, True, True], [True, True, False, False]])


def test_masked_fill_values_and_gradients():
    x = f64(ANY)
    y = x.masked_fill(torch.tensor(MASK), 7.0)
    assert y.grad_fn.name() == "MaskedFillBackward0" and len(y.grad_fn.next_functions) == 1
    np.testing.assert_array_equal(y.detach().numpy(), np.where(MASK, 7.0, ANY))
    y.sum().backward()
    np.testing.assert_array_equal(x.grad.numpy(), (~MASK).astype(float))


def test_masked_fill_with_a_tensor_value():
    x, value = f64(ANY), f64(2.5)
    y = torch.masked_fill(x, torch.tensor(MASK), value)
    assert y.grad_fn.name() == "MaskedFillBackward1" and len(y.grad_fn.next_functions) == 2
    y.sum().backward()
    assert value.grad.item() == MASK.sum()  # d/dvalue: one for every filled place
    assert gradcheck(lambda a, v: a.masked_fill(torch.tensor(MASK), v), (f64(ANY), f64(0.5)))


def test_masked_fill_broadcasts_and_keeps_the_dtype():
    row = f64([1.0, 2.0, 3.0, 4.0])
    y = row.masked_fill(torch.tensor(MASK), 0.0)  # the input broadcasts to the mask's shape
    assert y.shape == (3, 4)
    y.sum().backward()
    assert row.grad.tolist() == (~MASK).sum(0).astype(float).tolist()
    a = torch.tensor([1, -2, 3])
    assert a.masked_fill(a > 0, 1.5).tolist() == [1, -2, 1] and a.masked_fill(a > 0, 1.5).dtype is torch.int64
    assert gradcheck(lambda r: r.masked_fill(torch.tensor(MASK[:1]), -1.0), (f64(ANY),))


def test_masked_fill_errors():
    x = torch.tensor([1.0, 2.0])
    with pytest.raises(RuntimeError, match="^masked_fill_ only supports boolean masks, but got mask with dtype "
                                           "long int$"):
        x.masked_fill(torch.tensor([1, 0]), 0.0)
    with pytest.raises(RuntimeError, match=r"^masked_fill_ only supports a 0-dimensional value tensor, but got "
                                           r"tensor with 1 dimension\(s\).$"):
        x.masked_fill(x > 0, torch.tensor([1.0, 2.0]))
    with pytest.raises(RuntimeError, match="^The size of tensor a \\(2\\) must match the size of tensor b \\(3\\)"):
        torch.ones(3).masked_fill(torch.ones(2, dtype=torch.bool), 1.0)
    with pytest.raises(TypeError, match="^masked_fill\\(\\) received an invalid combination of arguments"):
        x.masked_fill([True, False], 0.0)


def test_masked_fill_in_place():
    x = torch.tensor([1.0, 2.0, 3.0])
    x.masked_fill_(x > 1, 0.0)
    assert x.tolist() == [1.0, 0.0, 0.0] and x._version == 1


def test_where_values_gradients_and_edges():
    a, b = f64(ANY), f64(-ANY)
    y = torch.where(torch.tensor(MASK), a, b)
    assert y.grad_fn.name() == "WhereBackward0" and len(y.grad_fn.next_functions) == 2  # no edge for the mask
    np.testing.assert_array_equal(y.detach().numpy(), np.where(MASK, ANY, -ANY))
    y.sum().backward()
    np.testing.assert_array_equal(a.grad.numpy(), MASK.astype(float))
    np.testing.assert_array_equal(b.grad.numpy(), (~MASK).astype(float))


def test_where_with_numbers():
    x = f64([1.0, -2.0])
    y = torch.where(x > 0, x, 0.0)
    assert y.tolist() == [1.0, 0.0] and y.dtype is torch.float64
    assert [n is None for n, _ in y.grad_fn.next_functions] == [False, True]  # the number is a constant edge
    c = torch.tensor([True, False])
    assert torch.where(c, 1.0, 0.0).dtype is torch.float32
    assert torch.where(c, 1, 0).dtype is torch.int64
    assert torch.where(c, torch.tensor([1, 2]), 0.5).dtype is torch.float32


def test_where_method_order_and_condition_only():
    x, y = f64([1.0, 5.0]), f64([3.0, 2.0])
    assert x.where(x > y, y).tolist() == [3.0, 5.0]  # x.where(cond, y) is where(cond, x, y)
    rows, cols = torch.where(torch.tensor([[True, False], [False, True]]))
    assert rows.tolist() == [0, 1] and cols.tolist() == [0, 1] and rows.dtype is torch.int64


def test_where_errors():
    x = torch.ones(2)
    with pytest.raises(RuntimeError, match="^where expected condition to be a boolean tensor, but got a tensor with "
                                           "dtype Float$"):
        torch.where(x, x, x)
    with pytest.raises(RuntimeError, match="^The size of tensor a \\(2\\) must match the size of tensor b \\(3\\) "
                                           "at non-singleton dimension 0$"):
        torch.where(torch.ones(2, dtype=torch.bool), torch.ones(3), torch.ones(3))


def test_where_gradcheck_with_broadcasting():
    mask = torch.tensor(MASK)
    assert gradcheck(lambda a, b: torch.where(mask, a, b), (f64(RNG.standard_normal(4)), f64(RNG.standard_normal((3, 1)))))
    assert gradcheck(lambda a: torch.where(mask, a * a, 2.0), (f64(ANY),))


# ----- maximum and minimum ----------------------------------------------------------------------------------
def test_maximum_minimum_values():
    a, b = np.array([1.0, 5.0, float("nan")]), np.array([3.0, 2.0, 0.0])
    assert np.array_equal(torch.maximum(torch.tensor(a), torch.tensor(b)).numpy(), np.maximum(a, b), equal_nan=True)
    assert np.array_equal(torch.minimum(torch.tensor(a), torch.tensor(b)).numpy(), np.minimum(a, b), equal_nan=True)
    assert torch.max(torch.tensor(a), torch.tensor(b)).shape == (3,)  # max of two tensors is maximum
    assert torch.maximum(torch.tensor([1, 5]), torch.tensor([2.5, 0.0])).dtype is torch.float32


def test_maximum_shares_ties_evenly():
    a, b = f64([1.0, 2.0, 3.0]), f64([1.0, 1.0, 4.0])
    y = torch.maximum(a, b)
    assert y.grad_fn.name() == "MaximumBackward0"
    y.sum().backward()
    assert a.grad.tolist() == [0.5, 1.0, 0.0] and b.grad.tolist() == [0.5, 0.0, 1.0]
    a, b = f64([1.0, 2.0, 3.0]), f64([1.0, 1.0, 4.0])
    z = torch.minimum(a, b)
    assert z.grad_fn.name() == "MinimumBackward0"
    z.sum().backward()
    assert a.grad.tolist() == [0.5, 0.0, 1.0] and b.grad.tolist() == [0.5, 1.0, 0.0]


def test_maximum_gradcheck_with_broadcasting():
    a, b = f64(RNG.standard_normal((3, 4))), f64(RNG.standard_normal(4))
    assert gradcheck(torch.maximum, (a, b))
    assert gradcheck(torch.minimum, (a, f64(RNG.standard_normal((3, 1)))))


def test_maximum_gradient_dtypes_follow_the_inputs():
    a = torch.ones(2, requires_grad=True)
    b = torch.zeros(2, dtype=torch.float64, requires_grad=True)
    torch.maximum(a, b).sum().backward()
    assert a.grad.dtype is torch.float32 and b.grad.dtype is torch.float64


def test_maximum_errors():
    with pytest.raises(TypeError, match=r"^maximum\(\): argument 'other' \(position 2\) must be Tensor, not int$"):
        torch.maximum(torch.ones(2), 2)
    with pytest.raises(TypeError, match=r"^maximum\(\): argument 'other' \(position 1\) must be Tensor, not int$"):
        torch.ones(2).maximum(2)  # a method counts its arguments after self
    with pytest.raises(TypeError, match=r"^minimum\(\): argument 'input' \(position 1\) must be Tensor, not int$"):
        torch.minimum(2, torch.ones(2))
    with pytest.raises(RuntimeError, match="at non-singleton dimension 1$"):
        torch.maximum(torch.ones(3), torch.ones(1, 2))


# ----- properties ---------------------------------------------------------------------------------------------
def _broadcastable_pair(draw):
    """Two shapes that broadcast, 0-d and 1-element ones included."""
    shape = draw(st.lists(st.integers(1, 3), min_size=0, max_size=3))
    other = [1 if draw(st.booleans()) else n for n in shape][draw(st.integers(0, len(shape))):]
    return tuple(shape), tuple(other)


@st.composite
def pairs(draw):
    a_shape, b_shape = _broadcastable_pair(draw)
    if draw(st.booleans()):
        a_shape, b_shape = b_shape, a_shape
    seed = draw(st.integers(0, 2 ** 16))
    return a_shape, b_shape, seed


@settings(max_examples=40, deadline=None)
@given(pairs())
def test_property_where_and_maximum_route_every_gradient_to_one_input(pair):
    a_shape, b_shape, seed = pair
    rng = np.random.default_rng(seed)
    a, b = f64(rng.standard_normal(a_shape)), f64(rng.standard_normal(b_shape))
    out_shape = np.broadcast_shapes(a_shape, b_shape)
    weights = torch.tensor(rng.standard_normal(out_shape))
    for op in (lambda x, y: torch.where(x > y, x, y), torch.maximum, torch.minimum):
        a.grad = b.grad = None
        out = op(a, b)
        assert out.shape == out_shape
        out.backward(weights)
        assert a.grad.shape == a_shape and b.grad.shape == b_shape
        # each output element's gradient goes to exactly one of the inputs (ties aside), so nothing is lost
        assert a.grad.sum().item() + b.grad.sum().item() == pytest.approx(weights.sum().item(), abs=1e-9)


@settings(max_examples=30, deadline=None)
@given(st.lists(st.floats(-50, 50), min_size=1, max_size=8), st.floats(-5, 0), st.floats(0, 5))
def test_property_clamp_stays_within_its_bounds(values, low, high):
    y = torch.tensor(np.array(values)).clamp(low, high)
    assert all(low <= v <= high for v in y.tolist())
    assert y.tolist() == np.clip(values, low, high).tolist()


# Values learners print: integers, halves and tenths, and a seeded normal draw
FLOAT32_GRID = np.concatenate([np.arange(-10, 11), np.arange(-5, 5.01, 0.5), np.arange(-3, 3.01, 0.1),
                               np.random.default_rng(1).standard_normal(200)]).astype(np.float32)


@pytest.mark.parametrize("name", ["exp", "tanh", "sin", "cos"])
def test_float32_transcendental_is_the_nearest_float32(name):
    """Rounded once from float64, so exp(1.) is 2.7182817 (the nearest float32), not one unit in the last place off."""
    result = getattr(torch.tensor(FLOAT32_GRID), name)()
    nearest = getattr(np, name)(FLOAT32_GRID.astype(np.float64)).astype(np.float32)
    assert result.dtype is torch.float32
    assert result.numpy().view(np.uint32).tolist() == nearest.view(np.uint32).tolist()


def test_exp_then_log_of_integers_gives_the_integers_back():
    x = torch.tensor([[1., 2.], [3., 4.]], requires_grad=True)
    y = x.exp().log()
    assert y.detach().numpy().tolist() == [[1., 2.], [3., 4.]]
    assert repr(y) == "tensor([[1., 2.],\n        [3., 4.]], grad_fn=<LogBackward0>)"


def test_float32_sigmoid_is_one_over_one_plus_exp_minus_x():
    """PyTorch's formula in float32: e^-x overflows to inf below x = -88 and the result is exactly 0."""
    x = np.array([-100., -90., -88., -1., 0., 0.5, 1., 100.], dtype=np.float32)
    y = torch.tensor(x).sigmoid().numpy()
    with np.errstate(over="ignore"):
        expected = np.float32(1) / (np.float32(1) + np.exp(-x.astype(np.float64)).astype(np.float32))
    assert y.view(np.uint32).tolist() == expected.view(np.uint32).tolist()
    assert y[0] == 0.0 and y[1] == 0.0 and y[2] > 0.0
