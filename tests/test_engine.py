"""The backward pass as PyTorch 2.13 documents and behaves: ``backward``, ``autograd.grad``, ``autograd.backward``,
the ``requires_grad`` rules, ``detach`` / ``.data`` and ``numpy()``.

Expected values come from the maths (stated next to each); error texts were observed from PyTorch 2.13.
tests/parity/test_engine_parity.py runs the same situations on real PyTorch side by side.
"""
import math
import numpy as np
import pytest

import minigrad as torch

SECOND_BACKWARD = (
    "Trying to backward through the graph a second time (or directly access saved tensors after they have already "
    "been freed). Saved intermediate values of the graph are freed when you call .backward() or autograd.grad(). "
    "Specify retain_graph=True if you need to backward through the graph a second time or if you need to access saved "
    "tensors after calling backward."
)


def raises(kind, text, call):
    """``call()`` must raise ``kind`` with exactly ``text``."""
    with pytest.raises(kind) as info:
        call()
    assert str(info.value) == text


def vector(*values, requires_grad=True):
    return torch.tensor(list(values), requires_grad=requires_grad)


# ----- backward -------------------------------------------------------------------------------------------------
def test_scalar_backward_fills_leaf_grads():
    x = vector(1., 2., 3.)
    (x * x).sum().backward()  # d/dx sum(x²) = 2x
    assert x.grad.tolist() == [2., 4., 6.]
    assert x.grad.requires_grad is False and x.grad.is_leaf


def test_non_scalar_backward_needs_a_gradient():
    x = vector(1., 2., 3.)
    raises(RuntimeError, "grad can be implicitly created only for scalar outputs", lambda: (x * 2).backward())
    assert x.grad is None


def test_gradient_argument_is_a_vector_jacobian_product():
    x = vector(1., 2., 3.)
    (x * x).backward(torch.tensor([1., 0.1, 0.01]))  # v · J with J = diag(2x)
    assert np.allclose(x.grad.numpy(), [2., 0.4, 0.06])


def test_gradient_argument_errors():
    x = vector(1., 2., 3.)
    raises(RuntimeError, "Mismatch in shape: grad_output[0] has a shape of minigrad.Size([2]) and output[0] has a "
                         "shape of minigrad.Size([3]).", lambda: (x * 2).backward(torch.ones(2)))
    raises(TypeError, "'float' object is not iterable", lambda: (x * 2).sum().backward(5.0))
    raises(RuntimeError, "element 0 of tensors does not require grad and does not have a grad_fn",
           lambda: torch.ones(2).sum().backward())


def test_a_gradient_of_another_dtype_gives_the_leaf_its_own_dtype():
    x = vector(1., 2.)
    (x * 2).backward(torch.ones(2, dtype=torch.float64))
    assert x.grad.dtype is torch.float32 and x.grad.tolist() == [2., 2.]


def test_second_backward_through_a_freed_graph():
    x = vector(1., 2., 3.)
    y = (x * x).sum()
    y.backward()
    raises(RuntimeError, SECOND_BACKWARD, y.backward)
    assert x.grad.tolist() == [2., 4., 6.]  # the failed call added nothing


def test_retain_graph_allows_a_second_backward_and_gradients_accumulate():
    x = vector(1., 2., 3.)
    y = (x * x).sum()
    y.backward(retain_graph=True)
    y.backward()
    assert x.grad.tolist() == [4., 8., 12.]


def test_a_graph_that_saved_nothing_runs_twice():
    x = vector(1., 2., 3.)
    y = (x + 1).sum()  # neither AddBackward0 (with a number) nor SumBackward0 keeps a tensor
    y.backward()
    y.backward()
    assert x.grad.tolist() == [2., 2., 2.]


def test_gradients_accumulate_across_backward_calls_in_the_same_tensor():
    x = vector(1., 2.)
    (x * 3).sum().backward()
    first = x.grad
    (x * x).sum().backward()  # 3 + 2x
    assert x.grad is first and x.grad.tolist() == [5., 7.]


def test_zero_and_none_reset_the_gradient():
    x = vector(1., 2.)
    (x * 3).sum().backward()
    g = x.grad
    x.grad.zero_()
    assert x.grad.tolist() == [0., 0.]
    (x * 3).sum().backward()
    assert x.grad is g and x.grad.tolist() == [3., 3.]  # added into the same tensor
    x.grad = None
    (x * 3).sum().backward()
    assert x.grad is not g and x.grad.tolist() == [3., 3.]


def test_create_graph_gives_second_derivatives():
    x = torch.tensor(2., requires_grad=True)
    (g,) = torch.autograd.grad(x ** 3, x, create_graph=True)  # 3x² = 12
    assert g.item() == 12.0 and g.requires_grad
    (gg,) = torch.autograd.grad(g, x)  # 6x = 12
    assert gg.item() == 12.0
    (ggg,) = torch.autograd.grad(torch.autograd.grad(torch.autograd.grad(x ** 3, x, create_graph=True)[0], x,
                                                     create_graph=True)[0], x)
    assert ggg.item() == 6.0  # d³(x³)/dx³ = 6


def test_backward_with_create_graph_records_the_gradient():
    x = vector(1., 2.)
    with pytest.warns(UserWarning, match=r"^Using backward\(\) with create_graph=True will create a reference cycle "
                                         r"between the parameter and its gradient"):
        (x ** 3).sum().backward(create_graph=True)
    g = x.grad  # 3x²
    assert g.tolist() == [3., 12.] and g.requires_grad
    x.grad = None
    g.sum().backward()  # d/dx sum(3x²) = 6x
    assert x.grad.tolist() == [6., 12.]


# ----- autograd.grad and autograd.backward ------------------------------------------------------------------------
def test_grad_returns_gradients_and_leaves_dot_grad_alone():
    x = vector(1., 2.)
    (g,) = torch.autograd.grad((x * x).sum(), x)
    assert g.tolist() == [2., 4.] and x.grad is None


def test_grad_unused_inputs():
    x, u = vector(1., 2.), vector(1., 2.)
    raises(RuntimeError, "The differentiated Tensor at index 1 appears to not have been used in the graph. Set "
                         "allow_unused=True if this is the desired behavior.",
           lambda: torch.autograd.grad((x * 2).sum(), [x, u]))
    gx, gu = torch.autograd.grad((x * 2).sum(), [x, u], allow_unused=True)
    assert gx.tolist() == [2., 2.] and gu is None
    gx, gu = torch.autograd.grad((x * 2).sum(), [x, u], materialize_grads=True)
    assert gu.tolist() == [0., 0.]


def test_grad_argument_errors():
    x = vector(1., 2., 3.)
    raises(RuntimeError, "One of the differentiated Tensors does not require grad",
           lambda: torch.autograd.grad((x * 2).sum(), [torch.ones(2)]))
    raises(RuntimeError, "`inputs` argument to `grad()` cannot be empty.",
           lambda: torch.autograd.grad((x * 2).sum(), []))
    raises(RuntimeError, "element 0 of tensors does not require grad and does not have a grad_fn",
           lambda: torch.autograd.grad(torch.ones(2).sum(), torch.ones(2)))
    raises(RuntimeError, "Mismatch in shape: grad_output[0] has a shape of minigrad.Size([3, 1]) and output[0] has "
                         "a shape of minigrad.Size([3]).", lambda: torch.autograd.grad(x * 2, x, torch.ones(3, 1)))
    raises(TypeError, "gradients can be either Tensors or None, but got float",
           lambda: torch.autograd.grad((x * 2).sum(), x, [1.0]))


def test_grad_outputs_weight_the_outputs():
    x = vector(1., 2., 3.)
    (g,) = torch.autograd.grad(x * x, x, torch.tensor([1., 10., 100.]))  # v · diag(2x)
    assert g.tolist() == [2., 40., 600.]


def test_autograd_backward_with_several_tensors():
    x = vector(1., 2.)
    torch.autograd.backward([x * 2, x * x], [torch.ones(2), torch.tensor([1., 10.])])  # 2 + v·2x
    assert x.grad.tolist() == [4., 42.]
    raises(RuntimeError, "got 2 tensors and 1 gradients",
           lambda: torch.autograd.backward([(x * 2).sum(), (x * 3).sum()], [torch.tensor(1.)]))


def test_backward_inputs_fills_only_those():
    a, b = vector(1., 2.), vector(3., 4.)
    (a * b).sum().backward(inputs=[a])
    assert a.grad.tolist() == [3., 4.] and b.grad is None
    h = a * 2
    (h * h).sum().backward(inputs=[h])  # d/dh sum(h²) = 2h, and a is left alone
    assert h.grad.tolist() == [4., 8.] and a.grad.tolist() == [3., 4.]
    raises(RuntimeError, "`inputs` argument to `backward()` cannot be empty.",
           lambda: (a * 2).sum().backward(inputs=[]))


def test_a_tensor_used_twice_gets_both_contributions():
    x = vector(3.)
    y = x * x + x  # 2x + 1 = 7
    y.sum().backward()
    assert x.grad.tolist() == [7.]


# ----- requires_grad rules ----------------------------------------------------------------------------------------
def test_integer_tensors_cannot_require_grad():
    raises(RuntimeError, "Only Tensors of floating point and complex dtype can require gradients",
           lambda: torch.tensor([1, 2], requires_grad=True))
    raises(RuntimeError, "only Tensors of floating point dtype can require gradients",
           lambda: torch.tensor([1, 2]).requires_grad_())
    i = torch.tensor([1, 2])
    raises(RuntimeError, "only Tensors of floating point and complex dtype can require gradients",
           lambda: setattr(i, "requires_grad", True))
    assert i.requires_grad is False


def test_requires_grad_of_a_non_leaf():
    y = vector(1., 2.) * 2
    raises(RuntimeError, "you can only change requires_grad flags of leaf variables. If you want to use a computed "
                         "variable in a subgraph that doesn't require differentiation use var_no_grad = var.detach().",
           lambda: setattr(y, "requires_grad", False))
    raises(RuntimeError, "you can only change requires_grad flags of leaf variables.",
           lambda: setattr(y, "requires_grad", True))
    raises(RuntimeError, "you can only change requires_grad flags of leaf variables. If you want to use a computed "
                         "variable in a subgraph that doesn't require differentiation use var_no_grad = var.detach().",
           lambda: y.requires_grad_(False))
    assert y.requires_grad_(True) is y and y.requires_grad


def test_results_require_grad_when_an_input_does():
    x, c = vector(1., 2.), vector(1., 2., requires_grad=False)
    assert (x * c).requires_grad and not (c * c).requires_grad
    assert (x * c).is_leaf is False and (c * c).is_leaf is True


def test_numpy_of_a_tensor_that_requires_grad():
    x = vector(1., 2.)
    raises(RuntimeError, "Can't call numpy() on Tensor that requires grad. Use tensor.detach().numpy() instead.",
           x.numpy)
    raises(RuntimeError, "Can't call numpy() on Tensor that requires grad. Use tensor.detach().numpy() instead.",
           (x * 2).numpy)
    assert x.detach().numpy().tolist() == [1., 2.]


# ----- detach, detach_, .data -------------------------------------------------------------------------------------
def test_detach_shares_memory_and_the_version_counter():
    x = vector(1., 2.)
    d = x.detach()
    assert d.requires_grad is False and d.is_leaf and d.grad_fn is None
    d.add_(1)
    assert x.tolist() == [2., 3.] and x._version == d._version == 1


def test_data_shares_memory_but_not_the_version_counter():
    x = vector(1., 2.)
    e = x.data
    e.mul_(2)
    assert x.tolist() == [2., 4.] and x._version == 0 and e._version == 1 and e.requires_grad is False


def test_detach_lets_in_place_changes_be_caught_but_data_does_not():
    x = vector(1., 2.)
    y = x.exp()  # ExpBackward0 saves its result
    y.detach().zero_()
    raises(RuntimeError, "one of the variables needed for gradient computation has been modified by an inplace "
                         "operation: [minigrad.FloatTensor [2]], which is output 0 of Exp, is at version 1; expected "
                         "version 0 instead. Hint: enable anomaly detection to find the operation that failed to "
                         "compute its gradient, with minigrad.autograd.set_detect_anomaly(True, check_nan=False).",
           lambda: y.sum().backward())
    z = x.exp()
    z.data.zero_()  # unseen by autograd: backward silently uses the zeros as exp(x)
    z.sum().backward()
    assert x.grad.tolist() == [0., 0.]


def test_detach_in_place_makes_a_leaf():
    x = vector(1., 2.)
    y = x * 2
    assert y.detach_() is y
    assert y.grad_fn is None and y.requires_grad is False and y.is_leaf
    raises(RuntimeError, "Can't detach views in-place. Use detach() instead. If you are using DistributedDataParallel "
                         "(DDP) for training, and gradient_as_bucket_view is set as True, gradients are views of DDP "
                         "buckets, and hence detach_() cannot be called on these gradients. To fix this error, please "
                         "refer to the Optimizer.zero_grad() function in torch/optim/optimizer.py as the solution.",
           lambda: x[0:1].detach_())


@pytest.mark.parametrize("op", ["exp", "tanh", "sqrt", "relu", "sigmoid"])
def test_backward_through_an_op_that_saves_its_output_on_a_0d_tensor(op):
    """numpy returns a scalar for a 0-d result; the node must still keep it as its saved output."""
    x = torch.tensor(4., requires_grad=True)
    y = getattr(x, op)()
    y.backward()
    expected = {"exp": math.exp(4.), "tanh": 1 - math.tanh(4.) ** 2, "sqrt": 0.25, "relu": 1.0,
                "sigmoid": math.exp(-4.) / (1 + math.exp(-4.)) ** 2}[op]
    assert x.grad.shape == () and x.grad.item() == pytest.approx(expected, rel=1e-3)  # float32: 1 - tanh² is rounded


def test_a_step_through_closed_between_steps_leaves_the_callers_modes():
    """The pass silences numpy's float warnings and sets grad mode while a node runs, and gives the caller its own
    modes back between steps and when the walk is dropped half-way (a viewer closing its step-through)."""
    from minigrad.autograd import backward_steps

    x = torch.ones(2, requires_grad=True)
    y = (x * 2).sum()
    before = np.geterr()
    with torch.no_grad():
        steps = backward_steps([y], [None], create_graph=True)
        next(steps)
        assert not torch.is_grad_enabled() and np.geterr() == before
        steps.close()
        assert not torch.is_grad_enabled() and np.geterr() == before
    assert torch.is_grad_enabled()
