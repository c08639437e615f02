"""``.grad`` on non-leaves, ``retain_grad``, tensor hooks (``register_hook``) and node hooks, as in PyTorch 2.13.

Values follow from the maths stated next to them; warning and error texts were observed from PyTorch 2.13
(its warning ends with " (Triggered internally at ...)", a C++ source location minigrad leaves out).
"""
import warnings

import pytest

import minigrad as torch

NON_LEAF_GRAD_WARNING = (
    "The .grad attribute of a Tensor that is not a leaf Tensor is being accessed. Its .grad attribute won't be "
    "populated during autograd.backward(). If you indeed want the .grad field to be populated for a non-leaf Tensor, "
    "use .retain_grad() on the non-leaf Tensor. If you access the non-leaf Tensor by mistake, make sure you access "
    "the leaf Tensor instead. See github.com/pytorch/pytorch/pull/30531 for more information."
)


def leaf(*values):
    return torch.tensor(list(values), requires_grad=True)


def raises(kind, text, call):
    with pytest.raises(kind) as info:
        call()
    assert str(info.value) == text


def grad_warnings(tensor):
    """``tensor.grad`` and the warnings that reading it gave."""
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        value = tensor.grad
    return value, [(w.category, str(w.message)) for w in caught]


# ----- .grad of a non-leaf ----------------------------------------------------------------------------------------
def test_grad_of_a_non_leaf_is_none_with_pytorchs_warning():
    x = leaf(1., 2.)
    y = x * 2
    (y * y).sum().backward()
    assert grad_warnings(y) == (None, [(UserWarning, NON_LEAF_GRAD_WARNING)])


def test_no_warning_for_leaves_and_retained_non_leaves():
    x = leaf(1., 2.)
    y = x * 2
    y.retain_grad()
    assert grad_warnings(x) == (None, []) and grad_warnings(y) == (None, [])


# ----- retain_grad ------------------------------------------------------------------------------------------------
def test_retain_grad_keeps_a_non_leaf_gradient():
    x = leaf(1., 2.)
    y = x * 2
    y.retain_grad()
    (y * y).sum().backward()  # d/dy sum(y²) = 2y
    assert y.grad.tolist() == [4., 8.] and x.grad.tolist() == [8., 16.]
    assert y.retains_grad and not x.retains_grad


def test_retain_grad_on_a_leaf_does_nothing_and_needs_requires_grad():
    x = leaf(1., 2.)
    x.retain_grad()
    assert x.retains_grad is False
    raises(RuntimeError, "can't retain_grad on Tensor that has requires_grad=False", torch.ones(2).retain_grad)


def test_retained_gradients_accumulate():
    x = leaf(1., 2.)
    y = x * 2
    y.retain_grad()
    s = (y * 3).sum()
    s.backward(retain_graph=True)
    s.backward()
    assert y.grad.tolist() == [6., 6.]


def test_retain_grad_sees_the_gradient_after_the_hooks_whatever_the_order():
    for retain_first in (True, False):
        x = leaf(1., 2.)
        y = x * 2
        if retain_first:
            y.retain_grad()
        y.register_hook(lambda g: g * 10)
        if not retain_first:
            y.retain_grad()
        (y * 3).sum().backward()
        assert y.grad.tolist() == [30., 30.] and x.grad.tolist() == [60., 60.]


# ----- register_hook ----------------------------------------------------------------------------------------------
def test_hook_on_a_leaf_replaces_what_is_accumulated():
    x = leaf(1., 2.)
    seen = []
    x.register_hook(lambda g: seen.append(g.tolist()) or g * 2)
    (x * 3).sum().backward()
    (x * 3).sum().backward()
    assert seen == [[3., 3.], [3., 3.]] and x.grad.tolist() == [12., 12.]


def test_hooks_on_a_non_leaf_run_in_order_and_each_sees_the_previous_result():
    x = leaf(1., 2.)
    y = x * 2
    seen = []
    y.register_hook(lambda g: seen.append(("first", g.tolist())))
    y.register_hook(lambda g: seen.append(("second", g.tolist())) or g * 10)
    y.register_hook(lambda g: seen.append(("third", g.tolist())))
    (y * 3).sum().backward()
    assert seen == [("first", [3., 3.]), ("second", [3., 3.]), ("third", [30., 30.])]
    assert x.grad.tolist() == [60., 60.]  # the replaced gradient flows on: 30 * dy/dx


def test_removed_hook_does_not_run():
    x = leaf(1., 2.)
    handle = x.register_hook(lambda g: g * 10)
    assert type(handle).__name__ == "RemovableHandle"
    handle.remove()
    handle.remove()  # a second remove is harmless
    (x * 2).sum().backward()
    assert x.grad.tolist() == [2., 2.]


def test_hooks_change_what_autograd_grad_returns():
    x = leaf(1., 2.)
    x.register_hook(lambda g: g * 100)
    assert torch.autograd.grad((x * 3).sum(), x)[0].tolist() == [300., 300.]
    y = x * 2
    y.register_hook(lambda g: g * 100)
    assert torch.autograd.grad((y * 3).sum(), x)[0].tolist() == [60000., 60000.]  # 3·100 → ·2 → x's hook ·100


def test_hook_errors():
    raises(RuntimeError, "cannot register a hook on a tensor that doesn't require gradient",
           lambda: torch.ones(2).register_hook(lambda g: g))
    x = leaf(1., 2.)
    x.register_hook(lambda g: 5)
    raises(TypeError, "expected Variable, but hook returned 'int'", lambda: (x * 3).sum().backward())
    x = leaf(1., 2.)
    x.register_hook(lambda g: torch.ones(3))
    raises(RuntimeError, "hook '<lambda>' has changed the size of value", lambda: (x * 3).sum().backward())
    assert x.grad is None

    def to_double(g):
        return g.double()

    y = leaf(1., 2.) * 2
    y.register_hook(to_double)
    raises(RuntimeError, "hook 'to_double' has changed the type of value (was minigrad.FloatTensor got "
                         "minigrad.DoubleTensor)", lambda: (y * 3).sum().backward())


def test_node_hook_sees_gradients_in_and_out():
    x = leaf(1., 2.)
    y = x * 2
    seen = []
    y.grad_fn.register_hook(lambda grad_inputs, grad_outputs: seen.append((grad_inputs, grad_outputs)))
    y.sum().backward()
    (grad_inputs, grad_outputs), = seen
    assert grad_inputs[0].tolist() == [2., 2.] and grad_inputs[1] is None  # nothing flows to the number 2
    assert grad_outputs[0].tolist() == [1., 1.]


def test_node_hook_can_replace_the_gradients_sent_on():
    x = leaf(1., 2.)
    y = x * 2
    y.grad_fn.register_hook(lambda grad_inputs, grad_outputs: (grad_inputs[0] * 0 + 7, None))
    y.sum().backward()
    assert x.grad.tolist() == [7., 7.]


# ----- assigning .grad --------------------------------------------------------------------------------------------
def test_assigning_grad():
    x = leaf(1., 2.)
    x.grad = torch.ones(2)
    assert x.grad.tolist() == [1., 1.]
    (x * 2).sum().backward()
    assert x.grad.tolist() == [3., 3.]
    del x.grad
    assert x.grad is None
    raises(RuntimeError, "attempting to assign a gradient of size '[3]' to a tensor of size '[2]'. Please ensure "
                         "that the gradient and the tensor are the same size",
           lambda: setattr(x, "grad", torch.ones(3)))
    raises(RuntimeError, "attempting to assign a gradient with dtype 'double' to a tensor with grad_dtype 'Float'. "
                         "The gradient must match the tensor's grad_dtype (defaults to the tensor's dtype). You can "
                         "set the tensor's grad_dtype attribute with a specific dtype, or None to allow any dtype. Set "
                         "grad_dtype with caution. Diverging the dtypes of a tensor and its gradient may break "
                         "downstream systems that assume they match.",
           lambda: setattr(x, "grad", torch.ones(2, dtype=torch.float64)))
    raises(TypeError, "assigned grad expected to be a Tensor or None but got grad of type int",
           lambda: setattr(x, "grad", 5))
    assert x.grad is None


@pytest.mark.parametrize("result, error, message", [
    ("(torch.ones(7), None)", RuntimeError, "hook 'hook' has changed the size of value"),
    ("(gi[0],)", RuntimeError, "hook 'hook' has returned an incorrect number of values (got 1, but expected 2)"),
    ("(gi[0], gi[1], None)", RuntimeError,
     "hook 'hook' has returned an incorrect number of values (got 3, but expected 2)"),
    ("gi[0]", TypeError, "expected tuple, but hook returned 'Tensor'"),
    ("[gi[0], gi[1]]", TypeError, "expected tuple, but hook returned 'list'"),
    ("(gi[0].double(), gi[1])", RuntimeError,
     "hook 'hook' has changed the type of value (was minigrad.FloatTensor got minigrad.DoubleTensor)"),
    ("(1, gi[1])", TypeError, "expected Variable, but hook returned 'int'"),
    ("(torch.tensor(1.), gi[1])", RuntimeError, "hook 'hook' has changed the size of value"),
])
def test_node_hook_results_are_checked_before_anything_is_accumulated(result, error, message):
    x = torch.ones(2, requires_grad=True)
    w = torch.ones(2, requires_grad=True)
    h = x * w

    def hook(gi, go):
        return eval(result)

    h.grad_fn.register_hook(hook)
    with pytest.raises(error) as raised:
        h.sum().backward()
    assert str(raised.value) == message
    assert x.grad is None and w.grad is None


def test_node_hook_cannot_give_a_gradient_to_an_input_that_needs_none():
    x = torch.ones(2, requires_grad=True)
    h = x * 2
    h.grad_fn.register_hook(lambda gi, go: (torch.ones(2), torch.ones(2)))
    with pytest.raises(RuntimeError, match=r"^can't replace a None gradient with a non-None value$"):
        h.sum().backward()


def test_node_hook_may_drop_gradients_with_none():
    x = torch.ones(2, requires_grad=True)
    w = torch.ones(2, requires_grad=True)
    h = x * w
    h.grad_fn.register_hook(lambda gi, go: (None, gi[1] * 3))
    h.sum().backward()
    assert x.grad is None and w.grad.tolist() == [3., 3.]
