"""In-place operations and the version counter, as in PyTorch 2.13.

An in-place op on a tensor in the graph keeps the same Python object, bumps its version and gives it a new
``grad_fn``; on a leaf that requires grad it is refused (unless under ``no_grad``); a tensor saved for backward
that was changed in place makes backward fail. Gradients below follow from the maths (stated next to each case);
node names and error texts were observed from PyTorch 2.13.
"""
import numpy as np
import pytest

import minigrad as torch

WEIGHTS = [[1., 2.], [3., 4.]]  # the loss is sum(WEIGHTS * y), so dloss/dy = WEIGHTS
HINT = ("Hint: enable anomaly detection to find the operation that failed to compute its gradient, with "
        "minigrad.autograd.set_detect_anomaly(True, check_nan=False).")


def raises(kind, text, call):
    with pytest.raises(kind) as info:
        call()
    assert str(info.value) == text


def modified(description, version, expected=0):
    return ("one of the variables needed for gradient computation has been modified by an inplace operation: "
            f"{description} is at version {version}; expected version {expected} instead. {HINT}")


# (call, grad_fn name, next_functions names, y after, x.grad, w.grad) with x = [[1, 2], [3, 4]], w = [[5, 6], [7, 8]]
# and y = x * 1 before the call
INPLACE = [
    ("y.add_(1)", "AddBackward0", ["MulBackward0", None], [[2., 3.], [4., 5.]], WEIGHTS, None),
    ("y.add_(w, alpha=2)", "AddBackward0", ["MulBackward0", "torch::autograd::AccumulateGrad"],
     [[11., 14.], [17., 20.]], WEIGHTS, [[2., 4.], [6., 8.]]),  # d/dw (y + 2w) = 2
    ("y.sub_(w)", "SubBackward0", ["MulBackward0", "torch::autograd::AccumulateGrad"], [[-4., -4.], [-4., -4.]],
     WEIGHTS, [[-1., -2.], [-3., -4.]]),
    ("y.mul_(w)", "MulBackward0", ["MulBackward0", "torch::autograd::AccumulateGrad"], [[5., 12.], [21., 32.]],
     [[5., 12.], [21., 32.]], [[1., 4.], [9., 16.]]),  # d/dx = w, d/dw = x, times WEIGHTS
    ("y.div_(2)", "DivBackward0", ["MulBackward0", None], [[.5, 1.], [1.5, 2.]], [[.5, 1.], [1.5, 2.]], None),
    ("y.zero_()", "ZeroBackward0", ["MulBackward0"], [[0., 0.], [0., 0.]], [[0., 0.], [0., 0.]], None),
    ("y.fill_(3)", "FillBackward2", ["MulBackward0"], [[3., 3.], [3., 3.]], [[0., 0.], [0., 0.]], None),
    ("y.clamp_(0, 3)", "ClampBackward1", ["MulBackward0"], [[1., 2.], [3., 3.]], [[1., 2.], [3., 0.]], None),
    ("y.t_()", "TBackward1", ["MulBackward0"], [[1., 3.], [2., 4.]], [[1., 3.], [2., 4.]], None),
    ("y.copy_(w)", "torch::autograd::CopyBackwards", ["MulBackward0", "torch::autograd::AccumulateGrad"],
     [[5., 6.], [7., 8.]], [[0., 0.], [0., 0.]], WEIGHTS),  # y's old values are overwritten: no gradient to x
    ("y += w", "AddBackward0", ["MulBackward0", "torch::autograd::AccumulateGrad"], [[6., 8.], [10., 12.]],
     WEIGHTS, WEIGHTS),
    ("y *= 2", "MulBackward0", ["MulBackward0", None], [[2., 4.], [6., 8.]], [[2., 4.], [6., 8.]], None),
    ("y -= 1", "SubBackward0", ["MulBackward0", None], [[0., 1.], [2., 3.]], WEIGHTS, None),
    ("y.pow_(2)", "PowBackward0", ["MulBackward0"], [[1., 4.], [9., 16.]], [[2., 8.], [18., 32.]], None),  # 2x
    ("y.neg_()", "NegBackward0", ["MulBackward0"], [[-1., -2.], [-3., -4.]], [[-1., -2.], [-3., -4.]], None),
]


@pytest.mark.parametrize("call, name, nexts, after, x_grad, w_grad", INPLACE, ids=[c[0] for c in INPLACE])
def test_in_place_on_a_non_leaf(call, name, nexts, after, x_grad, w_grad):
    x = torch.tensor([[1., 2.], [3., 4.]], requires_grad=True)
    w = torch.tensor([[5., 6.], [7., 8.]], requires_grad=True)
    y = x * 1
    namespace = {"x": x, "w": w, "y": y}
    exec(call, {"torch": torch}, namespace)
    same, y = y, namespace["y"]  # ``y += w`` rebinds the name: it must still be the same tensor
    assert y is same and y._version == 1 and y.grad_fn.name() == name
    assert [(node.name() if node else None) for node, _ in y.grad_fn.next_functions] == nexts
    assert y.tolist() == after
    (y * torch.tensor(WEIGHTS)).sum().backward()
    assert x.grad.tolist() == x_grad
    assert (w.grad.tolist() if w.grad is not None else None) == w_grad


def test_div_by_a_tensor_in_place():
    x = torch.tensor([[1., 2.], [3., 4.]], requires_grad=True)
    w = torch.tensor([[5., 6.], [7., 8.]], requires_grad=True)
    y = x * 1
    y /= w
    (y * torch.tensor(WEIGHTS)).sum().backward()
    weights, xs, ws = np.array(WEIGHTS), x.detach().numpy(), w.detach().numpy()
    assert np.allclose(x.grad.numpy(), weights / ws)  # d(x/w)/dx = 1/w
    assert np.allclose(w.grad.numpy(), -weights * xs / ws ** 2)  # d(x/w)/dw = -x/w²


# ----- the version counter ----------------------------------------------------------------------------------------
def test_every_in_place_change_bumps_the_version_shared_with_views():
    y = torch.tensor([1., 2., 3., 4.], requires_grad=True) * 2
    view = y[1:]
    assert y._version == view._version == 0
    y.add_(1)
    y += 1
    y[0] = 5
    assert y._version == view._version == 3
    y.detach().mul_(2)  # detach() shares the counter
    assert y._version == 4
    y.data.mul_(2)  # .data does not
    assert y._version == 4
    y + 1  # out-of-place ops leave it alone
    assert y._version == 4


# ----- leaves -----------------------------------------------------------------------------------------------------
@pytest.mark.parametrize("call", ["x.add_(1)", "x.zero_()", "x.fill_(2)", "x.copy_(w)", "x.t_()", "x += 1",
                                  "x.mul_(w)"])
def test_in_place_on_a_leaf_that_requires_grad_is_refused(call):
    x = torch.tensor([[1., 2.], [3., 4.]], requires_grad=True)
    w = torch.tensor([[5., 6.], [7., 8.]], requires_grad=True)
    raises(RuntimeError, "a leaf Variable that requires grad is being used in an in-place operation.",
           lambda: exec(call, {"torch": torch}, {"x": x, "w": w}))
    assert x.tolist() == [[1., 2.], [3., 4.]] and x._version == 0 and x.is_leaf


@pytest.mark.parametrize("call", ["x[0] = 1", "x[0].add_(1)", "x.view(4).mul_(2)", "leaf_view.add_(1)"])
def test_in_place_on_a_view_of_a_leaf_that_requires_grad_is_refused(call):
    x = torch.tensor([[1., 2.], [3., 4.]], requires_grad=True)
    leaf_view = torch.arange(4.).reshape(2, 2).requires_grad_()  # a leaf, and a view of the arange result
    raises(RuntimeError, "a view of a leaf Variable that requires grad is being used in an in-place operation.",
           lambda: exec(call, {"torch": torch}, {"x": x, "leaf_view": leaf_view}))
    assert x._version == 0 and leaf_view._version == 0


def test_in_place_on_a_leaf_under_no_grad_is_allowed():
    x = torch.tensor([1., 2.], requires_grad=True)
    with torch.no_grad():
        x.add_(1)
        x.mul_(2)
        x[0] = 10
    assert x.tolist() == [10., 6.] and x._version == 3
    assert x.is_leaf and x.requires_grad and x.grad_fn is None
    (x * x).sum().backward()  # the graph starts from the new values
    assert x.grad.tolist() == [20., 12.]


# ----- saved tensors changed in place -------------------------------------------------------------------------
def test_changing_a_saved_non_leaf_breaks_backward():
    x = torch.tensor([1., 2.], requires_grad=True)
    y = x * 2
    z = y * y  # saves y
    y.add_(1)
    y.mul_(3)
    raises(RuntimeError, modified("[minigrad.FloatTensor [2]], which is output 0 of Mul,", 2),
           lambda: z.sum().backward())
    assert x.grad is None  # nothing was accumulated


def test_changing_a_saved_leaf_under_no_grad_breaks_backward():
    x = torch.tensor([1., 2.], requires_grad=True)
    w = torch.tensor([3., 4.], requires_grad=True)
    z = (x * w).sum()  # saves x and w
    with torch.no_grad():
        w.add_(1)
    raises(RuntimeError, modified("[minigrad.FloatTensor [2]]", 1), z.backward)
    assert x.grad is None and w.grad is None


def test_changing_a_saved_output_names_the_node_that_made_it():
    x = torch.tensor([1., 2.], requires_grad=True)
    y = x.exp()  # ExpBackward0 keeps its result, exp(x) being its own derivative
    z = y.sum()
    y.add_(1)
    raises(RuntimeError, modified("[minigrad.FloatTensor [2]], which is output 0 of Exp,", 1), z.backward)


def test_changing_a_saved_tensor_names_its_latest_node():
    x = torch.tensor([1., 2.], requires_grad=True)
    b = x * 1
    c = b * b
    b.zero_()
    raises(RuntimeError, modified("[minigrad.FloatTensor [2]], which is output 0 of Zero,", 1),
           lambda: c.sum().backward())


def test_changing_a_tensor_nobody_saved_is_fine():
    x = torch.tensor([1., 2.], requires_grad=True)
    y = x + 1  # AddBackward0 saves nothing
    z = (y * 3).sum()  # MulBackward0 keeps only the number 3
    y.add_(10)
    z.backward()
    assert x.grad.tolist() == [3., 3.]


# ----- failed calls change nothing --------------------------------------------------------------------------------
FAILURES = [
    ("y.add_(torch.ones(3))", RuntimeError,
     "The size of tensor a (2) must match the size of tensor b (3) at non-singleton dimension 1"),
    ("y.copy_(torch.ones(3))", RuntimeError,
     "The size of tensor a (2) must match the size of tensor b (3) at non-singleton dimension 1"),
    ("b.add_(torch.ones(2, 2))", RuntimeError, "output with shape [2] doesn't match the broadcast shape [2, 2]"),
    ("i.add_(1.5)", RuntimeError, "result type Float can't be cast to the desired output type Long"),
    ("i.div_(2)", RuntimeError, "result type Float can't be cast to the desired output type Long"),
    ("i.mul_(torch.ones(2))", RuntimeError, "result type Float can't be cast to the desired output type Long"),
    ("y3.t_()", RuntimeError, "t_() expects a tensor with <= 2 dimensions, but self is 3D"),
    ("y.fill_(torch.ones(2))", RuntimeError,
     "fill_ only supports 0-dimension value tensor but got tensor with 1 dimensions."),
    ("y.clamp_()", RuntimeError, "minigrad.clamp: At least one of 'min' or 'max' must not be None"),
    ("x.add_(1)", RuntimeError, "a leaf Variable that requires grad is being used in an in-place operation."),
]


@pytest.mark.parametrize("call, kind, text", FAILURES, ids=[f[0] for f in FAILURES])
def test_a_failed_in_place_call_changes_nothing(call, kind, text):
    x = torch.tensor([[1., 2.], [3., 4.]], requires_grad=True)
    y, y3, i, b = x * 1, torch.ones(2, 2, 2) * 1, torch.tensor([1, 2]), torch.ones(2)

    def state():
        return [(t.detach().tolist(), t._version, t.grad_fn) for t in (x, y, y3, i, b)]

    before = state()
    raises(kind, text, lambda: exec(call, {"torch": torch}, {"x": x, "y": y, "y3": y3, "i": i, "b": b}))
    assert state() == before


def test_a_gradient_scattered_into_zeros_starts_at_version_2():
    """PyTorch's sort/topk/max(dim) backward is zeros, then an in-place scatter: the kept .grad is at version 2."""
    x = torch.tensor([[3.0, 1.0, 2.0], [0.0, 5.0, 4.0]], requires_grad=True)
    for make in (lambda: x.sort()[0], lambda: x.topk(2)[0], lambda: x.max(1)[0]):
        x.grad = None
        make().sum().backward()
        assert x.grad._version == 2
    make().sum().backward()  # accumulated in place: one more
    assert x.grad._version == 3


def test_indices_of_a_sort_changed_in_place_are_refused_by_backward():
    x = torch.tensor([3.0, 1.0, 2.0], requires_grad=True)
    values, indices = x.sort()
    indices.add_(0)  # PyTorch's SortBackward0 keeps the indices: a change makes the gradient unsafe
    with pytest.raises(RuntimeError, match=r"LongTensor \[3\]\] is at version 1; expected version 0"):
        values.sum().backward()
    assert x.grad is None
