"""cat and stack without PyTorch: values against numpy, gradients (each input gets its own piece of the gradient),
dtype promotion, and PyTorch's argument errors (texts observed from PyTorch 2.13)."""
import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import minigrad as torch
from minigrad.autograd import gradcheck


def leaf(*shape, start=0.0, dtype=torch.float32):
    data = np.arange(start, start + np.prod(shape)).reshape(shape)
    return torch.tensor(data, dtype=dtype, requires_grad=True)


def next_names(tensor):
    return [(node.name() if node is not None else None) for node, _ in tensor.grad_fn.next_functions]


# ----- cat ------------------------------------------------------------------------------------------------------
def test_cat_joins_along_a_dim_and_hands_each_input_its_slice_of_the_gradient():
    a, b = leaf(2, 3), leaf(1, 3, start=10)
    y = torch.cat([a, b])
    assert y.tolist() == np.concatenate([a.detach().numpy(), b.detach().numpy()]).tolist()
    assert y.grad_fn.name() == "CatBackward0"
    assert next_names(y) == ["torch::autograd::AccumulateGrad", "torch::autograd::AccumulateGrad"]
    weights = np.arange(1., 10.).reshape(3, 3)
    (y * torch.tensor(weights, dtype=torch.float32)).sum().backward()
    assert a.grad.tolist() == weights[:2].tolist() and b.grad.tolist() == weights[2:].tolist()


def test_cat_negative_dim_and_keyword_and_tuple():
    a = leaf(2, 3)
    y = torch.cat((a, a * 2), dim=-1)
    assert y.shape == (2, 6) and next_names(y) == ["torch::autograd::AccumulateGrad", "MulBackward0"]
    y.sum().backward()
    assert a.grad.tolist() == [[3.0] * 3] * 2  # 1 from the first piece, 2 from a * 2
    assert torch.concat([a, a]).shape == torch.concatenate([a, a]).shape == (4, 3)


def test_cat_input_that_needs_no_grad_is_none_in_next_functions():
    y = torch.cat([leaf(2, 3), torch.zeros(1, 3)])
    assert next_names(y) == ["torch::autograd::AccumulateGrad", None]


def test_cat_promotes_dtypes_and_gives_each_input_a_gradient_of_its_own_dtype():
    a, d = leaf(2, 3), leaf(2, 3, dtype=torch.float64)
    y = torch.cat([a, d])
    assert y.dtype is torch.float64
    y.sum().backward()
    assert a.grad.dtype is torch.float32 and d.grad.dtype is torch.float64
    assert torch.cat([torch.tensor([True]), torch.tensor([1])]).dtype is torch.int64
    assert torch.cat([leaf(1, 3), torch.tensor([[1, 2, 3]])]).dtype is torch.float32


def test_cat_leaves_out_1d_empty_tensors():
    a, e = leaf(2, 2), torch.tensor([], requires_grad=True)
    y = torch.cat([e, a, e], 1)
    assert y.tolist() == a.tolist()
    y.sum().backward()
    assert e.grad.shape == (0,) and a.grad.tolist() == [[1.0, 1.0]] * 2
    assert torch.cat([torch.tensor([]), torch.tensor([])], 3).shape == (0,)


def test_cat_gradcheck():
    a = torch.randn(2, 3, dtype=torch.float64, requires_grad=True)
    b = torch.randn(2, 1, dtype=torch.float64, requires_grad=True)
    assert gradcheck(lambda a, b: torch.cat([a, b, a], 1), (a, b))


def test_cat_backward_is_recorded_as_slices():
    a = leaf(2, 3, dtype=torch.float64)
    y = torch.cat([a, a * 2], 0)
    v = torch.ones(4, 3, dtype=torch.float64, requires_grad=True)
    (g,) = torch.autograd.grad(y, a, v, create_graph=True)
    assert g.grad_fn.name() == "AddBackward0" and next_names(g) == ["SliceBackward0", "MulBackward0"]


CAT_ERRORS = [
    (lambda a: torch.cat([a, torch.zeros(1, 3)], 1), RuntimeError,
     "Sizes of tensors must match except in dimension 1. Expected size 2 but got size 1 for tensor number 1 in the "
     "list."),
    (lambda a: torch.cat([]), ValueError, "minigrad.cat(): expected a non-empty list of Tensors"),
    (lambda a: torch.cat([a, torch.tensor(1.)]), RuntimeError,
     "zero-dimensional tensor (at position 1) cannot be concatenated"),
    (lambda a: torch.cat([a, a], 2), IndexError,
     "Dimension out of range (expected to be in range of [-2, 1], but got 2)"),
    (lambda a: torch.cat([a, a], -3), IndexError,
     "Dimension out of range (expected to be in range of [-2, 1], but got -3)"),
    (lambda a: torch.cat([a, torch.ones(2)]), RuntimeError, "Tensors must have same number of dimensions: got 2 and 1"),
    (lambda a: torch.cat(a), TypeError, "cat(): argument 'tensors' (position 1) must be tuple of Tensors, not Tensor"),
    (lambda a: torch.cat([a, 1]), TypeError, "expected Tensor as element 1 in argument 0, but got int"),
    (lambda a: torch.cat([a, a], dim=1.5), TypeError, "cat(): argument 'dim' must be int, not float"),
    (lambda a: torch.cat([torch.ones(2, 0), torch.ones(2, 2)]), RuntimeError,
     "Sizes of tensors must match except in dimension 0. Expected size 0 but got size 2 for tensor number 1 in the "
     "list."),
]


@pytest.mark.parametrize("call, kind, text", CAT_ERRORS)
def test_cat_errors(call, kind, text):
    with pytest.raises(kind) as info:
        call(leaf(2, 3))
    assert str(info.value) == text


# ----- stack ----------------------------------------------------------------------------------------------------
def test_stack_adds_a_dim_and_hands_each_input_its_position_of_the_gradient():
    a, b = leaf(2, 3), leaf(2, 3, start=6)
    y = torch.stack([a, b], 2)
    assert y.shape == (2, 3, 2) and y.grad_fn.name() == "StackBackward0"
    assert y.tolist() == np.stack([a.detach().numpy(), b.detach().numpy()], 2).tolist()
    weights = np.arange(1., 13.).reshape(2, 3, 2)
    (y * torch.tensor(weights, dtype=torch.float32)).sum().backward()
    assert a.grad.tolist() == weights[..., 0].tolist() and b.grad.tolist() == weights[..., 1].tolist()


def test_stack_of_0d_tensors_and_negative_dim():
    s = torch.tensor(1., requires_grad=True)
    y = torch.stack([s, s * 3])
    assert y.tolist() == [1.0, 3.0] and next_names(y) == ["torch::autograd::AccumulateGrad", "MulBackward0"]
    y.sum().backward()
    assert s.grad.item() == 4.0
    assert torch.stack([leaf(2, 3)] * 2, -1).shape == (2, 3, 2)


def test_stack_promotes_and_casts_gradients_back():
    a, d = leaf(2), leaf(2, dtype=torch.float64)
    y = torch.stack([a, d])
    y.sum().backward()
    assert y.dtype is torch.float64 and a.grad.dtype is torch.float32


def test_stack_backward_is_recorded_as_selects():
    a = leaf(2, 3, dtype=torch.float64)
    y = torch.stack([a, a * 2])
    v = torch.ones(2, 2, 3, dtype=torch.float64, requires_grad=True)
    (g,) = torch.autograd.grad(y, a, v, create_graph=True)
    assert next_names(g) == ["SelectBackward0", "MulBackward0"]


def test_stack_gradcheck():
    a = torch.randn(3, dtype=torch.float64, requires_grad=True)
    b = torch.randn(3, dtype=torch.float64, requires_grad=True)
    assert gradcheck(lambda a, b: torch.stack([a, b, a], 1), (a, b))


STACK_ERRORS = [
    (lambda a: torch.stack([a, torch.zeros(1, 3)]), RuntimeError,
     "stack expects each tensor to be equal size, but got [2, 3] at entry 0 and [1, 3] at entry 1"),
    (lambda a: torch.stack([]), RuntimeError, "stack expects a non-empty TensorList"),
    (lambda a: torch.stack([a, a], 3), IndexError,
     "Dimension out of range (expected to be in range of [-3, 2], but got 3)"),
    (lambda a: torch.stack([a, a], -4), IndexError,
     "Dimension out of range (expected to be in range of [-3, 2], but got -4)"),
    (lambda a: torch.stack(a), TypeError, "stack(): argument 'tensors' (position 1) must be tuple of Tensors, not "
                                          "Tensor"),
    (lambda a: torch.stack([torch.ones(2), torch.ones(3)], 5), IndexError,
     "Dimension out of range (expected to be in range of [-2, 1], but got 5)"),
]


@pytest.mark.parametrize("call, kind, text", STACK_ERRORS)
def test_stack_errors(call, kind, text):
    with pytest.raises(kind) as info:
        call(leaf(2, 3))
    assert str(info.value) == text


# ----- properties -------------------------------------------------------------------------------------------------
@settings(max_examples=50, deadline=None)
@given(st.data())
def test_cat_and_stack_match_numpy_for_random_shapes(data):
    ndim = data.draw(st.integers(1, 3), label="ndim")
    shape = data.draw(st.lists(st.integers(0, 3), min_size=ndim, max_size=ndim), label="shape")
    dim = data.draw(st.integers(-ndim, ndim - 1), label="dim")
    count = data.draw(st.integers(1, 3), label="count")
    arrays = []
    for i in range(count):
        own = list(shape)
        own[dim] = data.draw(st.integers(0, 3), label="size along dim")
        arrays.append(np.random.default_rng(i).standard_normal(own))
    tensors = [torch.tensor(a, requires_grad=True) for a in arrays]
    y = torch.cat(tensors, dim)
    assert np.array_equal(y.detach().numpy(), np.concatenate(arrays, dim))
    weights = np.random.default_rng(9).standard_normal(y.shape)
    (y * torch.tensor(weights)).sum().backward()
    pieces = np.split(weights, np.cumsum([a.shape[dim] for a in arrays])[:-1], axis=dim)
    for t, piece in zip(tensors, pieces):
        assert np.array_equal(t.grad.numpy(), piece)

    same = [torch.tensor(np.random.default_rng(i).standard_normal(shape), requires_grad=True) for i in range(count)]
    stack_dim = data.draw(st.integers(-ndim - 1, ndim), label="stack dim")
    z = torch.stack(same, stack_dim)
    assert np.array_equal(z.detach().numpy(), np.stack([t.detach().numpy() for t in same], stack_dim))
    z_weights = np.random.default_rng(7).standard_normal(z.shape)
    (z * torch.tensor(z_weights)).sum().backward()
    for i, t in enumerate(same):
        assert np.array_equal(t.grad.numpy(), np.take(z_weights, i, axis=stack_dim))
