"""Reductions: sum, mean, sum_to_size, max/min (all, along a dim), argmax/argmin, norm, softmax, log_softmax.

Values are compared with numpy, gradients with finite differences (gradcheck in float64) and with their formulas,
and error texts with the ones PyTorch 2.13 prints.
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


RNG = np.random.default_rng(1)
X = RNG.standard_normal((2, 3, 4))
DIMS = [None, 0, 1, -1, (0, 2), (1, -1), (0, 1, 2)]


def _axis(dim):
    return dim if dim is None or isinstance(dim, int) else tuple(dim)


# ----- sum and mean --------------------------------------------------------------------------------------------
@pytest.mark.parametrize("dim", DIMS)
@pytest.mark.parametrize("keepdim", [False, True])
def test_sum_and_mean_values_nodes_and_gradients(dim, keepdim):
    for name, numpy_fn in [("sum", np.sum), ("mean", np.mean)]:
        x = f64(X)
        y = getattr(x, name)() if dim is None else getattr(x, name)(dim, keepdim=keepdim)
        expected = numpy_fn(X, axis=_axis(dim), keepdims=keepdim and dim is not None)
        np.testing.assert_allclose(y.detach().numpy(), expected, rtol=1e-12)
        number = "0" if dim is None else "1"
        assert y.grad_fn.name() == f"{name.capitalize()}Backward{number}"
        y.sum().backward()
        count = X.size / max(y.numel(), 1)
        np.testing.assert_allclose(x.grad.numpy(), np.full(X.shape, 1.0 if name == "sum" else 1 / count))
        assert gradcheck(lambda t: getattr(t, name)() if dim is None else getattr(t, name)(dim, keepdim), (f64(X),))


def test_sum_and_mean_dtypes():
    i = torch.tensor([[1, 2], [3, 4]])
    assert i.sum().dtype is torch.int64 and i.sum().item() == 10
    assert torch.tensor([True, False, True]).sum().item() == 2
    assert torch.tensor([1, 2], dtype=torch.int32).sum().dtype is torch.int64
    assert i.sum(dtype=torch.float32).dtype is torch.float32
    assert i.mean(dtype=torch.float64).item() == 2.5
    with pytest.raises(RuntimeError, match="^mean\\(\\): could not infer output dtype. Input dtype must be either a "
                                           "floating point or complex dtype. Got: Long$"):
        i.mean()


def test_sum_with_dtype_casts_inside_the_node():
    x = torch.tensor([1.0, 2.0], requires_grad=True)
    y = x.sum(dtype=torch.float64)
    assert y.dtype is torch.float64
    assert [n.name() for n, _ in y.grad_fn.next_functions] == ["torch::autograd::AccumulateGrad"]
    y.backward()
    assert x.grad.dtype is torch.float32 and x.grad.tolist() == [1.0, 1.0]
    z = x.mean(0, dtype=torch.float64)
    z.backward()
    assert x.grad.tolist() == [1.5, 1.5]


def test_empty_and_zero_dim_reductions():
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        assert torch.zeros(0).sum().item() == 0.0
        assert math.isnan(torch.zeros(0).mean().item())
        assert torch.zeros(0, 3).sum(1).shape == (0,)
    s = torch.tensor(3.0)
    assert s.sum(0).item() == 3.0 and s.mean(-1).item() == 3.0
    assert f64(X).sum(dim=()).shape == ()  # an empty list of dims means all of them


def test_reduction_dim_errors():
    with pytest.raises(IndexError, match=r"^Dimension out of range \(expected to be in range of \[-1, 0\], but got 1\)$"):
        torch.ones(2).sum(1)
    with pytest.raises(IndexError, match=r"^Dimension out of range \(expected to be in range of \[-1, 0\], but got 1\)$"):
        torch.tensor(3.0).sum(1)
    with pytest.raises(RuntimeError, match="^dim 0 appears multiple times in the list of dims$"):
        torch.ones(2, 2).sum((0, 0))
    with pytest.raises(RuntimeError, match="^dim 1 appears multiple times in the list of dims$"):
        torch.ones(2, 2).mean((1, -1))


def test_sum_to_size():
    x = f64(RNG.standard_normal((2, 3)))
    y = x.sum_to_size(1, 3)
    np.testing.assert_allclose(y.detach().numpy(), x.detach().numpy().sum(0, keepdims=True))
    assert y.grad_fn.name() == "SumBackward1"
    assert x.sum_to_size(2, 3) is x
    assert x.sum_to_size((2, 1)).shape == (2, 1) and x.sum_to_size(3).shape == (3,)
    assert gradcheck(lambda t: t.sum_to_size(1, 3), (x,))
    with pytest.raises(RuntimeError, match=r"^size \{\[3, 3\]\} is not expandable to size \{\[2, 3\]\}.$"):
        x.sum_to_size(3, 3)
    with pytest.raises(RuntimeError, match=r"^size \{\[4\]\} is not expandable to size \{\[2, 3\]\}.$"):
        x.sum_to_size(4)


# ----- max, min, argmax, argmin ------------------------------------------------------------------------------------
def test_max_and_min_over_everything():
    x = f64(X)
    y = x.max()
    assert y.item() == X.max() and y.grad_fn.name() == "MaxBackward1"
    assert torch.min(x).item() == X.min() and x.min().grad_fn.name() == "MinBackward1"
    y.backward()
    assert x.grad.numpy().sum() == 1.0 and x.grad.numpy().reshape(-1)[X.argmax()] == 1.0
    assert gradcheck(lambda t: t.max(), (f64(X),)) and gradcheck(lambda t: t.min(), (f64(X),))


def test_max_over_everything_shares_ties_evenly():
    x = f64([1.0, 3.0, -3.0, 3.0])
    x.max().backward()
    assert x.grad.tolist() == [0.0, 0.5, 0.0, 0.5]
    x = f64([2.0, float("nan"), float("nan")])
    x.max().backward()  # a nan maximum: the nans share the gradient
    assert x.grad.tolist() == [0.0, 0.5, 0.5]


@pytest.mark.parametrize("dim", [0, 1, 2, -1])
@pytest.mark.parametrize("keepdim", [False, True])
def test_max_and_min_along_a_dim(dim, keepdim):
    for name, numpy_max, numpy_arg in [("max", np.max, np.argmax), ("min", np.min, np.argmin)]:
        x = f64(X)
        result = getattr(x, name)(dim, keepdim)
        values, indices = result
        assert result.values is values and result.indices is indices and isinstance(result, tuple)
        np.testing.assert_array_equal(values.detach().numpy(), numpy_max(X, axis=dim, keepdims=keepdim))
        expected_indices = numpy_arg(X, axis=dim)
        np.testing.assert_array_equal(indices.numpy(), np.expand_dims(expected_indices, dim) if keepdim
                                      else expected_indices)
        assert indices.dtype is torch.int64 and indices.grad_fn is None
        assert values.grad_fn.name() == f"{name.capitalize()}Backward0"
        assert gradcheck(lambda t: getattr(t, name)(dim, keepdim).values, (f64(X),))


def test_max_along_a_dim_gives_the_gradient_to_the_returned_index():
    x = f64([[1.0, 3.0, 3.0], [7.0, 7.0, 0.0]])
    values, indices = x.max(1)
    assert indices.tolist() == [1, 0]  # the first maximum
    values.sum().backward()
    assert x.grad.tolist() == [[0.0, 1.0, 0.0], [1.0, 0.0, 0.0]]


def test_max_result_repr_and_other_forms():
    r = torch.tensor([[1.0, 5.0], [7.0, 2.0]]).max(1)
    assert repr(r) == ("minigrad.return_types.max(\nvalues=tensor([5., 7.]),\nindices=tensor([1, 0]))")
    assert repr(torch.tensor([[1.0, 5.0]]).min(dim=0, keepdim=True)).startswith("minigrad.return_types.min(\n")
    assert torch.tensor(4.0).max(0).indices.item() == 0
    a, b = torch.tensor([1.0, 5.0]), torch.tensor([3.0, 2.0])
    assert a.max(b).tolist() == [3.0, 5.0] and torch.min(a, other=b).tolist() == [1.0, 2.0]
    assert torch.tensor([3, 9, 2]).max().item() == 9 and torch.tensor([True, False]).max().item() is True


def test_max_errors():
    with pytest.raises(RuntimeError, match=r"^max\(\): Expected reduction dim to be specified for input.numel\(\) "
                                           r"== 0. Specify the reduction dim with the 'dim' argument.$"):
        torch.zeros(0).max()
    with pytest.raises(IndexError, match=r"^min\(\): Expected reduction dim 0 to have non-zero size.$"):
        torch.zeros(0, 3).min(0)
    assert torch.zeros(0, 3).max(1).values.shape == (0,)
    with pytest.raises(IndexError, match=r"^Dimension out of range \(expected to be in range of \[-1, 0\], but got 2\)"):
        torch.ones(3).max(2)
    with pytest.raises(TypeError, match=r"^max\(\) received an invalid combination of arguments - got "
                                        r"\(Tensor, tuple\)"):
        torch.max(torch.ones(3), (0,))


def test_argmax_and_argmin():
    x = torch.tensor(X)
    assert x.argmax().item() == X.argmax() and x.argmin().item() == X.argmin()
    np.testing.assert_array_equal(x.argmax(1).numpy(), X.argmax(1))
    np.testing.assert_array_equal(torch.argmin(x, -1, keepdim=True).numpy(), X.argmin(-1)[..., None])
    assert x.argmax(keepdim=True).shape == (1, 1, 1)
    ties = torch.tensor([[1.0, 7.0, 7.0], [9.0, 0.0, 9.0]])
    assert ties.argmax(1).tolist() == [1, 0]  # the first of equal values
    assert torch.tensor([1.0, float("nan"), 3.0]).argmax().item() == 1  # nan counts as the largest
    assert torch.tensor([1, 5, 2]).argmax().dtype is torch.int64


def test_argmax_errors():
    with pytest.raises(RuntimeError, match=r"^argmax\(\): does not support bool input$"):
        torch.tensor([True, False]).argmax()
    with pytest.raises(IndexError, match=r"^argmin\(\): Expected reduction dim to be specified for "
                                         r"input.numel\(\) == 0.$"):
        torch.zeros(0).argmin()
    with pytest.raises(IndexError, match=r"^argmax\(\): Expected reduction dim 0 to have non-zero size.$"):
        torch.zeros(0, 3).argmax(0)


# ----- norm ----------------------------------------------------------------------------------------------------
ORDERS = [2, 1, 3, 1.5, 0.5, -1, float("inf"), float("-inf")]


def _numpy_norm(data, p, axis=None, keepdims=False):
    magnitude = np.abs(data)
    if p == float("inf"):
        return magnitude.max(axis=axis, keepdims=keepdims)
    if p == float("-inf"):
        return magnitude.min(axis=axis, keepdims=keepdims)
    return (magnitude ** p).sum(axis=axis, keepdims=keepdims) ** (1 / p)


@pytest.mark.parametrize("p", ORDERS)
def test_norm_values_and_gradcheck(p):
    x = f64(X)
    y = x.norm(p)
    assert y.grad_fn.name() == "LinalgVectorNormBackward0"
    np.testing.assert_allclose(y.item(), _numpy_norm(X, p), rtol=1e-12)
    assert gradcheck(lambda t: t.norm(p), (f64(X),))
    for dim, keepdim in [(1, False), ((0, 2), True), (-1, True)]:
        z = torch.norm(f64(X), p, dim=dim, keepdim=keepdim)
        np.testing.assert_allclose(z.detach().numpy(), _numpy_norm(X, p, _axis(dim), keepdim), rtol=1e-12)
        assert gradcheck(lambda t: t.norm(p, dim=dim, keepdim=keepdim), (f64(X),))


def test_norm_gradient_formulas():
    x = f64([3.0, 0.0, -4.0])
    x.norm().backward()  # x / ‖x‖
    np.testing.assert_allclose(x.grad.numpy(), [0.6, 0.0, -0.8])
    x = f64([0.0, 0.0])
    x.norm().backward()  # at the zero vector PyTorch picks 0, not 0/0
    assert x.grad.tolist() == [0.0, 0.0]
    x = f64([3.0, -3.0, 1.0])
    x.norm(float("inf")).backward()  # shared among the largest |x_i|, with their signs
    assert x.grad.tolist() == [0.5, -0.5, 0.0]
    x = f64([3.0, 0.0])
    x.norm(0).backward()  # a count of non-zero elements: no gradient at all
    assert x.grad is None


def test_norm_special_values_and_defaults():
    x = torch.tensor([3.0, 0.0, -1.0], dtype=torch.float64)
    assert x.norm(0).item() == 2.0
    assert x.norm("fro").item() == pytest.approx(math.sqrt(10))
    assert x.norm(-1).item() == 0.0  # a zero element: 1/(Σ 1/|x_i|) -> 0
    assert torch.zeros(0).norm().item() == 0.0
    assert torch.ones(2, 3).norm(keepdim=True).shape == (1, 1)
    assert x.norm(p=None).item() == x.norm().item()


def test_norm_dtype_argument():
    x = torch.tensor([3.0, 4.0], requires_grad=True)
    y = x.norm(dtype=torch.float64)
    assert y.dtype is torch.float64 and y.item() == 5.0
    assert [n.name() for n, _ in y.grad_fn.next_functions] == ["torch::autograd::AccumulateGrad"]
    y.backward()
    assert x.grad.dtype is torch.float32 and x.grad.tolist() == pytest.approx([0.6, 0.8])


def test_norm_errors():
    with pytest.raises(RuntimeError, match="^linalg.vector_norm: Expected a floating point or complex tensor as "
                                           "input. Got Long$"):
        torch.tensor([1, 2]).norm()
    with pytest.raises(RuntimeError, match="^linalg.vector_norm: dtype should be floating point or complex, but got "
                                           "Long$"):
        torch.ones(2).norm(dtype=torch.long)
    with pytest.raises(RuntimeError, match="^linalg.matrix_norm: Order abc not supported.$"):
        torch.ones(2, 2).norm("abc")
    with pytest.raises(RuntimeError, match="^linalg.matrix_norm: dim must be a 2-tuple. Got 0 1 2$"):
        torch.ones(2, 2, 2).norm("fro", dim=(0, 1, 2))
    with pytest.raises(RuntimeError, match="^dim 0 appears multiple times in the list of dims$"):
        torch.ones(2, 2).norm(dim=(0, 0))
    with pytest.raises(RuntimeError, match="^linalg.vector_norm cannot compute the inf norm on an empty tensor "
                                           "because the operation does not have an identity$"):
        torch.zeros(0).norm(float("inf"))
    with pytest.raises(RuntimeError, match="^linalg.vector_norm cannot compute the -inf norm on the dimension "
                                           "0because this dimension is empty"):
        torch.zeros(0, 2).norm(float("-inf"), dim=0)


# ----- softmax and log_softmax ---------------------------------------------------------------------------------
def _numpy_softmax(data, axis):
    e = np.exp(data - data.max(axis=axis, keepdims=True))
    return e / e.sum(axis=axis, keepdims=True)


@pytest.mark.parametrize("dim", [0, 1, 2, -1])
def test_softmax_and_log_softmax_values_and_gradcheck(dim):
    x = f64(X)
    s, ls = x.softmax(dim), torch.log_softmax(x, dim=dim)
    assert s.grad_fn.name() == "SoftmaxBackward0" and ls.grad_fn.name() == "LogSoftmaxBackward0"
    np.testing.assert_allclose(s.detach().numpy(), _numpy_softmax(X, dim), rtol=1e-12)
    np.testing.assert_allclose(ls.detach().numpy(), np.log(_numpy_softmax(X, dim)), rtol=1e-12)
    np.testing.assert_allclose(s.detach().numpy().sum(dim), 1.0)
    assert gradcheck(lambda t: torch.softmax(t, dim), (f64(X),))
    assert gradcheck(lambda t: t.log_softmax(dim), (f64(X),))


def test_softmax_gradient_formula():
    x = f64([1.0, 2.0, 3.0])
    s = x.softmax(0)
    weights = torch.tensor([0.5, -1.0, 2.0], dtype=torch.float64)
    s.backward(weights)
    sv, w = s.detach().numpy(), weights.numpy()
    np.testing.assert_allclose(x.grad.numpy(), sv * (w - (w * sv).sum()))  # s · (grad - Σ grad_j s_j)
    x = f64([1.0, 2.0, 3.0])
    x.log_softmax(0).backward(weights)
    np.testing.assert_allclose(x.grad.numpy(), w - sv * w.sum())  # grad - softmax · Σ grad_j


def test_softmax_is_numerically_stable():
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        big = torch.tensor([1000.0, 0.0])
        assert big.softmax(0).tolist() == [1.0, 0.0]
        assert big.log_softmax(0).tolist() == [0.0, -1000.0]
        assert torch.tensor([float("-inf"), 0.0]).log_softmax(0).tolist() == [-math.inf, 0.0]
        assert all(math.isnan(v) for v in torch.tensor([-math.inf, -math.inf]).softmax(0).tolist())


def test_softmax_edge_shapes_and_dtype():
    assert torch.tensor(2.0).softmax(0).item() == 1.0 and torch.tensor(2.0).log_softmax(-1).item() == 0.0
    assert torch.zeros(0, 3).softmax(0).shape == (0, 3)
    x = torch.tensor([1.0, 2.0], requires_grad=True)
    y = x.softmax(0, dtype=torch.float64)
    assert y.dtype is torch.float64 and y.grad_fn.next_functions[0][0].name() == "ToCopyBackward0"
    assert torch.tensor([1, 2]).log_softmax(0, dtype=torch.float64).dtype is torch.float64


def test_softmax_errors():
    with pytest.raises(TypeError, match='^softmax\\(\\) missing 1 required positional arguments: "dim"$'):
        torch.ones(2).softmax()
    with pytest.raises(NotImplementedError, match="^\"softmax_lastdim_kernel_impl\" not implemented for 'Long'$"):
        torch.tensor([1, 2]).softmax(0)
    with pytest.raises(NotImplementedError, match="^\"log_softmax_kernel_impl\" not implemented for 'Long'$"):
        torch.ones(2, 2, dtype=torch.long).log_softmax(0)
    with pytest.raises(IndexError, match=r"^Dimension out of range \(expected to be in range of \[-1, 0\], but got 1\)"):
        torch.ones(2).softmax(1)


def test_second_derivatives_of_softmax_and_norm():
    for fn in (lambda t: t.softmax(1), lambda t: t.log_softmax(0), lambda t: t.norm(dim=1), lambda t: t.norm(3)):
        def first_derivative(t, fn=fn):
            (g,) = torch.autograd.grad((fn(t) * torch.tensor(np.arange(fn(t).numel()).reshape(fn(t).shape) + 1.0,
                                                             dtype=torch.float64)).sum(), t, create_graph=True)
            return g
        assert gradcheck(first_derivative, (f64(X[0]),))


def test_saved_result_modified_in_place():
    x = torch.tensor([1.0, 2.0], requires_grad=True)
    y = x.softmax(0)
    z = y * 1
    y.add_(1)
    with pytest.raises(RuntimeError, match="which is output 0 of Softmax, is at version 1"):
        z.sum().backward()


# ----- properties ----------------------------------------------------------------------------------------------
shapes = st.lists(st.integers(1, 4), min_size=1, max_size=3).map(tuple)


@settings(max_examples=40, deadline=None)
@given(shapes, st.data())
def test_property_reductions_match_numpy(shape, data):
    values = np.random.default_rng(data.draw(st.integers(0, 2 ** 16))).standard_normal(shape)
    dim = data.draw(st.integers(-len(shape), len(shape) - 1))
    keepdim = data.draw(st.booleans())
    x = torch.tensor(values)
    np.testing.assert_allclose(x.sum(dim, keepdim).numpy(), values.sum(dim, keepdims=keepdim), rtol=1e-12)
    np.testing.assert_allclose(x.mean(dim, keepdim).numpy(), values.mean(dim, keepdims=keepdim), rtol=1e-12)
    np.testing.assert_array_equal(x.max(dim, keepdim).values.numpy(), values.max(dim, keepdims=keepdim))
    np.testing.assert_array_equal(x.argmin(dim).numpy(), values.argmin(dim))
    np.testing.assert_allclose(x.norm(dim=dim).numpy(), np.sqrt((values ** 2).sum(dim)), rtol=1e-12)
    softmax = x.softmax(dim).numpy()
    np.testing.assert_allclose(softmax.sum(dim), 1.0, rtol=1e-12)
    np.testing.assert_allclose(x.log_softmax(dim).numpy(), np.log(softmax), rtol=1e-10, atol=1e-12)


@settings(max_examples=30, deadline=None)
@given(shapes, st.integers(0, 2 ** 16))
def test_property_softmax_ignores_a_shift(shape, seed):
    values = np.random.default_rng(seed).standard_normal(shape)
    x = torch.tensor(values)
    np.testing.assert_allclose((x + 100.0).softmax(-1).numpy(), x.softmax(-1).numpy(), rtol=1e-9)


@pytest.mark.parametrize("call", [lambda x: x.sum(keepdim=True), lambda x: torch.mean(x, keepdim=False),
                                  lambda x: x.prod(keepdim=True), lambda x: x.max(keepdim=True),
                                  lambda x: torch.min(x, keepdim=True)])
def test_keepdim_needs_a_dim(call):
    x = torch.ones(2, 3, requires_grad=True)
    with pytest.raises(TypeError, match="invalid combination of arguments"):
        call(x)
    with pytest.raises(TypeError, match='sum\\(\\) missing 1 required positional arguments: "dim"'):
        x.sum(keepdim=True, dtype=torch.float64)
    assert x.grad is None and x._version == 0


def test_a_dim_of_none_reduces_every_dim():
    x = f64([[1.0, 2.0], [3.0, 4.0]])
    for y, value in [(x.sum(None, keepdim=True), [[10.0]]), (x.mean(dim=None), 2.5), (x.sum(dim=None), 10.0)]:
        assert y.grad_fn.name() in ("SumBackward1", "MeanBackward1")
        assert y.tolist() == value


def test_norm_order_must_be_a_real_number_or_a_string():
    x = f64([3.0, -4.0])
    assert x.norm(p=torch.tensor(1.0)).item() == 7.0 and x.norm(p=np.float64(2.0)).item() == 5.0
    with pytest.raises(TypeError, match=r"linalg_vector_norm\(\): argument 'ord' \(position 2\) must be Number, "
                                        r"not numpy.ndarray"):
        x.norm(p=np.array(2.0))
    with pytest.raises(RuntimeError, match="non-complex scalar"):
        x.norm(p=2 + 0j)


def test_numpy_names_and_misspelt_keywords():
    x = f64([[1.0, 2.0], [3.0, 4.0]])
    assert x.sum(axis=0, keepdims=True).tolist() == [[4.0, 6.0]] and torch.mean(a=x, axis=1).tolist() == [1.5, 3.5]
    with pytest.raises(TypeError, match="clamp\\(\\) received an invalid combination of arguments - got \\(mn=int, \\)"):
        x.clamp(mn=0)
    with pytest.raises(TypeError, match='unsqueeze\\(\\) missing 1 required positional arguments: "dim"'):
        x.unsqueeze(dims=0)
    with pytest.raises(TypeError, match="TensorBase.exp\\(\\) takes no keyword arguments"):
        x.exp(out=None)
    assert x.grad is None and x._version == 0
