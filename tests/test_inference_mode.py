"""inference_mode: no recording, inference tensors, and PyTorch's errors when they are used in autograd later
(texts read from PyTorch 2.13, with minigrad's names where PyTorch prints ``torch.``)."""
import pytest

import minigrad as torch
from minigrad.autograd.inference_mode import (INPLACE_INFERENCE_TENSOR_ERROR, REQUIRES_GRAD_INFERENCE_TENSOR_ERROR,
                                              SAVED_INFERENCE_TENSOR_ERROR)


def test_inside_nothing_is_recorded_and_tensors_are_inference_tensors():
    w = torch.ones(2, requires_grad=True)
    with torch.inference_mode():
        assert torch.is_inference_mode_enabled() and not torch.is_grad_enabled()
        x, y = torch.ones(2), w * 2
        assert x.is_inference() and y.is_inference() and not y.requires_grad and y.grad_fn is None
        z = torch.ones(2)
        z.add_(1)  # in place is fine inside
        assert z.tolist() == [2.0, 2.0]
    assert not torch.is_inference_mode_enabled() and torch.is_grad_enabled()
    assert not w.is_inference() and not torch.ones(1).is_inference()


def _inference_tensor():
    with torch.inference_mode():
        return torch.ones(2)


def test_saving_an_inference_tensor_for_backward_is_refused():
    x, w = _inference_tensor(), torch.ones(2, requires_grad=True)
    with pytest.raises(RuntimeError) as caught:
        x * w
    assert str(caught.value) == SAVED_INFERENCE_TENSOR_ERROR
    assert "`minigrad.no_grad()` instead of `minigrad.inference_mode()`" in SAVED_INFERENCE_TENSOR_ERROR
    with pytest.raises(RuntimeError, match="^Inference tensors cannot be saved for backward"):
        w @ x
    assert (w.exp() + x).grad_fn.name() == "AddBackward0"  # add saves nothing: allowed, as in PyTorch
    assert (x.clone() * w).grad_fn.name() == "MulBackward0"  # the way out: a clone is an ordinary tensor


@pytest.mark.parametrize("change", [lambda x: x.add_(1), lambda x: x.zero_(), lambda x: x.__setitem__(0, 5.0),
                                    lambda x: x.view(2).mul_(2), lambda x: x.detach().fill_(3.0),
                                    lambda x: x.uniform_()])
def test_changing_an_inference_tensor_in_place_outside_is_refused_and_changes_nothing(change):
    x = _inference_tensor()
    with pytest.raises(RuntimeError) as caught:
        change(x)
    assert str(caught.value) == INPLACE_INFERENCE_TENSOR_ERROR
    assert x.tolist() == [1.0, 1.0] and x._version == 0  # PyTorch 2.13 writes x before raising; minigrad does not


def test_requires_grad_on_an_inference_tensor_outside_is_refused():
    x = _inference_tensor()
    for make_it_require_grad in (lambda: x.requires_grad_(), lambda: setattr(x, "requires_grad", True)):
        with pytest.raises(RuntimeError) as caught:
            make_it_require_grad()
        assert str(caught.value) == REQUIRES_GRAD_INFERENCE_TENSOR_ERROR
    assert not x.requires_grad


def test_views_of_inference_tensors_are_inference_tensors():
    x = _inference_tensor()
    assert x.detach().is_inference() and x.view(2).is_inference() and x[0:1].is_inference()
    assert not x.clone().is_inference() and not x.exp().is_inference()


def test_decorator_forms_and_mode_false():
    w = torch.ones(2, requires_grad=True)

    @torch.inference_mode()
    def with_parentheses(a):
        return a * 2, torch.is_grad_enabled()

    @torch.inference_mode
    def bare(a):
        return a * 2

    result, grad_enabled = with_parentheses(w)
    assert result.is_inference() and not grad_enabled and bare(w).is_inference()
    assert with_parentheses.__name__ == "with_parentheses"
    with torch.inference_mode(False):
        assert torch.is_grad_enabled() and not torch.ones(1).is_inference()
    with torch.no_grad():
        with torch.inference_mode():
            pass
        assert not torch.is_grad_enabled()  # the mode from before comes back


def test_mode_comes_back_after_an_exception():
    with pytest.raises(ZeroDivisionError):
        with torch.inference_mode():
            1 / 0
    assert torch.is_grad_enabled() and not torch.is_inference_mode_enabled()


def test_the_mode_is_per_thread_as_in_pytorch():
    """A thread inside inference_mode leaves another thread's tensors ordinary, and each thread starts outside it."""
    import threading

    inside, release, seen = threading.Event(), threading.Event(), {}

    def background():
        with torch.inference_mode():
            seen["background"] = (torch.is_inference_mode_enabled(), torch.ones(1).is_inference())
            inside.set()
            release.wait(5)

    def fresh_thread():
        seen["fresh"] = (torch.is_inference_mode_enabled(), torch.is_grad_enabled(), torch.ones(1).is_inference())

    worker = threading.Thread(target=background)
    worker.start()
    assert inside.wait(5)
    try:
        w = torch.ones(2, requires_grad=True)
        y = w * 2  # recorded here while the other thread is in inference mode
        assert not torch.is_inference_mode_enabled() and not y.is_inference() and y.grad_fn is not None
        y.sum().backward()
        assert w.grad.tolist() == [2.0, 2.0]
    finally:
        release.set()
        worker.join()
    assert seen["background"] == (True, True)
    with torch.inference_mode():
        other = threading.Thread(target=fresh_thread)
        other.start()
        other.join()
    assert seen["fresh"] == (False, True, False)
