"""``node._saved_*``: what an op saved for backward, readable as PyTorch names it (no PyTorch needed here;
tests/parity/test_saved_attributes_parity.py compares with it)."""
import pytest

import minigrad as torch
from minigrad.autograd.function import SECOND_BACKWARD_ERROR


def test_saved_inputs_outputs_and_values():
    x = torch.tensor([1.0, 2.0], requires_grad=True)
    w = torch.tensor([3.0, 4.0], requires_grad=True)
    mul = (x * w).grad_fn
    assert mul._saved_self is x and mul._saved_other is w
    assert "_saved_self" in dir(mul) and "_raw_saved_other" in dir(mul) and "_saved" not in dir(mul)
    y = x.exp()
    assert y.grad_fn._saved_result.tolist() == y.tolist() and y.grad_fn._saved_result.grad_fn is y.grad_fn
    assert (x ** 3).grad_fn._saved_exponent == 3
    assert x.sum(0).grad_fn._saved_dim == (0,) and x.sum(0).grad_fn._saved_keepdim is False
    assert (x * 2).grad_fn._saved_self is None  # x is not needed for the gradient of x * 2
    assert type(mul._raw_saved_self).__name__ == "SavedTensor"
    assert repr(type(mul._raw_saved_self)) == "<class 'minigrad._C._autograd.SavedTensor'>"


def test_freed_by_backward():
    x = torch.tensor([1.0, 2.0], requires_grad=True)
    y = (x ** 2).sum()
    node = y.grad_fn.next_functions[0][0]
    y.backward()
    with pytest.raises(RuntimeError) as caught:
        node._saved_self
    assert str(caught.value) == SECOND_BACKWARD_ERROR
    assert node._saved_exponent == 2  # plain values stay


def test_unknown_names_are_attribute_errors():
    node = (torch.ones(1, requires_grad=True) * 2).grad_fn
    with pytest.raises(AttributeError):
        node._saved_exponent
    assert not hasattr(node, "_raw_saved_alpha")
    assert getattr(node, "needs_input_grad", "default") != "default"  # ordinary attributes still work


def test_a_field_that_saved_nothing_is_none_before_and_after_backward():
    x = torch.tensor([1.0, 2.0], requires_grad=True)
    y = x * 3  # the product by a number keeps the number, not x
    node = y.grad_fn
    assert node._saved_self is None
    y.sum().backward()
    assert node._saved_self is None
    with pytest.raises(RuntimeError, match="backward through the graph a second time"):
        node._saved_other
