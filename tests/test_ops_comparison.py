"""Comparisons (== != > < >= <=), all/any, equal and allclose.

Results are booleans: no gradient, no grad_fn. Values are compared with numpy, error texts with PyTorch 2.13's.
"""
import operator

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import minigrad as torch

OPS = [("eq", operator.eq, np.equal), ("ne", operator.ne, np.not_equal), ("gt", operator.gt, np.greater),
       ("lt", operator.lt, np.less), ("ge", operator.ge, np.greater_equal), ("le", operator.le, np.less_equal)]
A = np.array([[1.0, -2.0, 3.0], [0.0, 2.0, float("nan")]])
B = np.array([1.0, 2.0, 3.0])


@pytest.mark.parametrize("name, python_op, numpy_op", OPS, ids=[o[0] for o in OPS])
def test_comparison_values(name, python_op, numpy_op):
    a, b = torch.tensor(A), torch.tensor(B)
    for result in (python_op(a, b), getattr(torch, name)(a, b), getattr(a, name)(b)):
        assert result.dtype is torch.bool and result.grad_fn is None
        np.testing.assert_array_equal(result.numpy(), numpy_op(A, B))
    np.testing.assert_array_equal(python_op(a, 2).numpy(), numpy_op(A, 2))
    np.testing.assert_array_equal(python_op(2, a).numpy(), numpy_op(2, A))  # Python reflects: 2 < a is a > 2


def test_comparisons_promote_and_never_record():
    x = torch.tensor([1.0, -2.0], requires_grad=True)
    y = x > 0
    assert y.tolist() == [True, False] and not y.requires_grad and y.grad_fn is None
    assert (torch.tensor([1, 2, 3]) > 1.5).tolist() == [False, True, True]  # int vs float compares as float
    b = torch.tensor([True, False])
    assert (b == 1).tolist() == [True, False] and (b > 0).tolist() == [True, False]
    nan = torch.tensor(float("nan"))
    assert not (nan == nan).item() and (nan != nan).item()


def test_comparisons_broadcast():
    column, row = torch.tensor([[1.0], [2.0]]), torch.tensor([1.0, 2.0, 3.0])
    assert (column < row).tolist() == [[False, True, True], [False, False, True]]
    with pytest.raises(RuntimeError, match="^The size of tensor a \\(3\\) must match the size of tensor b \\(2\\) "
                                           "at non-singleton dimension 0$"):
        torch.ones(3) == torch.ones(2)


def test_equality_with_other_objects_falls_back_to_python():
    x = torch.tensor([1.0, 2.0])
    assert (x == None) is False and (x != None) is True  # noqa: E711
    assert (x == "a") is False and (x == [1.0, 2.0]) is False
    assert x in [x]  # membership checks identity first
    with pytest.raises(RuntimeError, match="^Boolean value of Tensor with more than one value is ambiguous$"):
        x in [x * 2]  # noqa: B015  (then ==, which compares elementwise, as in PyTorch)
    with pytest.raises(TypeError, match="^'<' not supported between instances of 'Tensor' and 'NoneType'$"):
        x < None  # noqa: B015
    with pytest.raises(TypeError, match=r"^eq\(\) received an invalid combination of arguments - got \(Tensor, str\), "
                                        r"but expected one of:\n \* \(Tensor input, Tensor other, \*, Tensor out = None\)"
                                        r"\n \* \(Tensor input, Number other, \*, Tensor out = None\)\n$"):
        torch.eq(x, "a")


def test_comparisons_work_in_boolean_contexts():
    x = torch.tensor([3.0])
    assert bool(x > 2) and not bool(x < 2)
    with pytest.raises(RuntimeError, match="^Boolean value of Tensor with more than one value is ambiguous$"):
        bool(torch.ones(2) > 0)


@pytest.mark.parametrize("dim, keepdim", [(None, False), (0, False), (1, True), (-1, False), ((0, 1), False),
                                          ((0,), True)])
def test_all_and_any(dim, keepdim):
    values = np.array([[1.0, 0.0, 2.0], [1.0, 1.0, 0.0]])
    x = torch.tensor(values)
    for name, numpy_op in [("all", np.all), ("any", np.any)]:
        result = getattr(x, name)() if dim is None else getattr(torch, name)(x, dim, keepdim)
        expected = numpy_op(values, axis=dim, keepdims=keepdim and dim is not None)
        assert result.dtype is torch.bool and result.grad_fn is None
        np.testing.assert_array_equal(result.numpy(), expected)


def test_all_and_any_edge_cases():
    assert torch.zeros(0).all().item() is True and torch.zeros(0).any().item() is False
    assert torch.tensor([float("nan")]).all().item() is True  # nan is not zero
    u = torch.tensor([1, 2], dtype=torch.uint8)
    assert u.all().dtype is torch.uint8 and u.all().item() == 1  # PyTorch keeps uint8 for uint8 input
    with pytest.raises(IndexError, match=r"^Dimension out of range \(expected to be in range of \[-1, 0\], but got 3\)$"):
        torch.ones(3).all(3)


def test_equal():
    x = torch.tensor([1.0, 2.0])
    assert torch.equal(x, x.clone()) is True
    assert torch.equal(x, torch.zeros(3)) is False  # different shapes
    assert torch.equal(torch.ones(1), torch.ones(3)) is False  # no broadcasting
    assert torch.equal(x, x.double()) and torch.equal(torch.tensor([1, 2]), x)  # dtypes may differ
    assert not torch.equal(torch.tensor([float("nan")]), torch.tensor([float("nan")]))
    assert x.equal(x * 2) is False
    with pytest.raises(TypeError, match=r"^equal\(\): argument 'other' \(position 2\) must be Tensor, not int$"):
        torch.equal(x, 1)


def test_allclose():
    x = torch.tensor([1.0, 2.0])
    assert torch.allclose(x, x + 1e-9) is True and torch.allclose(x, x + 1e-3) is False
    assert x.allclose(x + 1e-3, 1e-2, 1e-2) is True
    assert torch.allclose(torch.ones(1), torch.ones(3))  # shapes broadcast
    nan, inf = torch.tensor([float("nan")]), torch.tensor([float("inf")])
    assert not torch.allclose(nan, nan) and torch.allclose(nan, nan, equal_nan=True) and torch.allclose(inf, inf)
    assert torch.allclose(torch.tensor([1, 2]), torch.tensor([1, 2]))
    assert torch.allclose(x.requires_grad_(), x)


def test_allclose_errors():
    with pytest.raises(RuntimeError, match="^Float did not match Double$"):
        torch.allclose(torch.ones(2), torch.ones(2, dtype=torch.float64))
    with pytest.raises(RuntimeError, match="^Long did not match Float$"):
        torch.allclose(torch.ones(2, dtype=torch.long), torch.ones(2))
    with pytest.raises(RuntimeError, match="^The size of tensor a \\(2\\) must match the size of tensor b \\(3\\)"):
        torch.allclose(torch.ones(2), torch.ones(3))
    with pytest.raises(TypeError, match=r"^allclose\(\): argument 'other' \(position 2\) must be Tensor, not float$"):
        torch.allclose(torch.ones(2), 1.0)


values = st.lists(st.sampled_from([-2.0, -1.0, 0.0, 0.5, 1.0, float("nan")]), min_size=1, max_size=6)


@settings(max_examples=50, deadline=None)
@given(values, values, st.booleans())
def test_property_comparisons_match_numpy_with_broadcasting(a_values, b_values, as_column):
    a = np.array(a_values)[:, None] if as_column else np.array(a_values)
    b = np.array(b_values)
    if not as_column and len(a) != len(b) and len(a) != 1 and len(b) != 1:
        b = b[:1]
    for _, python_op, numpy_op in OPS:
        np.testing.assert_array_equal(python_op(torch.tensor(a), torch.tensor(b)).numpy(), numpy_op(a, b))
    assert torch.equal(torch.tensor(a), torch.tensor(a)) == (not np.isnan(a).any())
    expected = bool(np.isclose(a, b).all())
    assert torch.allclose(torch.tensor(a), torch.tensor(b)) is expected
