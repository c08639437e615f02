"""A learner's own op, ``minigrad.autograd.Function``, as in PyTorch 2.13: forward and backward with ``ctx``,
saved tensors, ``needs_input_grad``, non-tensor arguments, several outputs, the checks on what backward returns,
node names and reprs, gradcheck, and no reference cycle when forward saves its own output."""
import gc
import re
import weakref

import pytest

import minigrad as torch
from minigrad.autograd import Function, gradcheck
from minigrad.autograd.gradcheck import GradcheckError

SECOND_BACKWARD = (
    "Trying to backward through the graph a second time (or directly access saved tensors after they have already "
    "been freed). Saved intermediate values of the graph are freed when you call .backward() or autograd.grad(). "
    "Specify retain_graph=True if you need to backward through the graph a second time or if you need to access saved "
    "tensors after calling backward."
)


def raises(kind, text, call):
    with pytest.raises(kind) as info:
        call()
    assert str(info.value) == text


class Exp(Function):
    """exp(x), saving its output: d/dx exp(x) = exp(x)."""

    @staticmethod
    def forward(ctx, x):
        result = x.exp()
        ctx.save_for_backward(result)
        return result

    @staticmethod
    def backward(ctx, grad):
        (result,) = ctx.saved_tensors
        return grad * result


class Cube(Function):
    """x³, saving its input: d/dx = 3x² (written with tensor ops, so it can be differentiated again)."""

    @staticmethod
    def forward(ctx, x):
        ctx.save_for_backward(x)
        return x ** 3

    @staticmethod
    def backward(ctx, grad):
        (x,) = ctx.saved_tensors
        return grad * 3 * x ** 2


def test_forward_and_backward():
    x = torch.tensor([0., 1.], requires_grad=True)
    y = Exp.apply(x)
    assert y.requires_grad and not y.is_leaf
    assert [round(v, 4) for v in y.tolist()] == [1.0, 2.7183]
    y.sum().backward()
    assert x.grad.tolist() == y.tolist()  # d/dx exp(x) = exp(x)


def test_node_name_repr_and_edges():
    x = torch.tensor([0., 1.], requires_grad=True)
    node = Exp.apply(x).grad_fn
    assert node.name() == "ExpBackward" and type(node).__name__ == "ExpBackward"
    assert re.fullmatch(r"<minigrad\.autograd\.function\.ExpBackward object at 0x[0-9a-f]+>", repr(node))
    ((accumulate, index),) = node.next_functions
    assert accumulate.name() == "torch::autograd::AccumulateGrad" and accumulate.variable is x and index == 0


def test_no_node_without_an_input_that_requires_grad_or_under_no_grad():
    y = Exp.apply(torch.tensor([0.]))
    assert y.requires_grad is False and y.grad_fn is None
    with torch.no_grad():
        y = Exp.apply(torch.tensor([0.], requires_grad=True))
    assert y.requires_grad is False and y.grad_fn is None


def test_saved_tensors_are_freed_by_backward():
    x = torch.tensor([0., 1.], requires_grad=True)
    y = Exp.apply(x)
    y.sum().backward()
    raises(RuntimeError, SECOND_BACKWARD, lambda: y.grad_fn.saved_tensors)
    raises(RuntimeError, SECOND_BACKWARD, lambda: y.sum().backward())


def test_non_tensor_arguments_and_needs_input_grad():
    seen = []

    class Scale(Function):
        """x * factor + w;  d/dx = factor,  d/dw = 1, nothing for the number."""

        @staticmethod
        def forward(ctx, x, factor, w):
            seen.append(("forward", ctx.needs_input_grad))
            ctx.factor = factor
            return x * factor + w

        @staticmethod
        def backward(ctx, grad):
            seen.append(("backward", ctx.needs_input_grad))
            return grad * ctx.factor, None, grad if ctx.needs_input_grad[2] else None

    x = torch.tensor([1., 2.], requires_grad=True)
    y = Scale.apply(x, 3.0, torch.ones(2))
    y.sum().backward()
    assert x.grad.tolist() == [3., 3.]
    assert seen == [("forward", (True, False, False)), ("backward", (True, False, False))]
    assert [(node.name() if node else None) for node, _ in y.grad_fn.next_functions] == [
        "torch::autograd::AccumulateGrad", None]  # one entry per tensor argument: the number has none


def test_two_outputs_share_one_node_and_missing_gradients_are_zeros():
    received = []

    class Split(Function):
        """(2x, 3x);  d/dx = 2·g1 + 3·g2."""

        @staticmethod
        def forward(ctx, x):
            return x * 2, x * 3

        @staticmethod
        def backward(ctx, g1, g2):
            received.append((g1.tolist(), g2.tolist()))
            return g1 * 2 + g2 * 3

    x = torch.tensor([1., 2.], requires_grad=True)
    a, b = Split.apply(x)
    assert a.grad_fn is b.grad_fn and a.grad_fn.name() == "SplitBackward"
    a.sum().backward()
    assert received == [([1., 1.], [0., 0.])] and x.grad.tolist() == [2., 2.]


def test_set_materialize_grads_false_passes_none():
    received = []

    class Split(Function):
        @staticmethod
        def forward(ctx, x):
            ctx.set_materialize_grads(False)
            return x * 2, x * 3

        @staticmethod
        def backward(ctx, g1, g2):
            received.append(g2)
            return g1 * 2

    x = torch.tensor([1., 2.], requires_grad=True)
    Split.apply(x)[0].sum().backward()
    assert received == [None] and x.grad.tolist() == [2., 2.]


def test_non_differentiable_output():
    class MaxWithIndex(Function):
        @staticmethod
        def forward(ctx, x):
            index = x.argmax()
            ctx.mark_non_differentiable(index)
            ctx.save_for_backward(index)
            return x.max(), index

        @staticmethod
        def backward(ctx, grad, grad_index):
            (index,) = ctx.saved_tensors
            result = torch.zeros(2)
            result[index] = grad
            return result

    x = torch.tensor([1., 5.], requires_grad=True)
    value, index = MaxWithIndex.apply(x)
    assert value.requires_grad and not index.requires_grad and index.dtype is torch.int64
    value.backward()
    assert x.grad.tolist() == [0., 1.]


def test_what_backward_returns_is_checked():
    x = torch.tensor([1., 2.], requires_grad=True)

    class TooMany(Function):
        @staticmethod
        def forward(ctx, x):
            return x * 2

        @staticmethod
        def backward(ctx, grad):
            return grad, grad

    class WrongShape(TooMany):
        @staticmethod
        def backward(ctx, grad):
            return torch.ones(3)

    class NotATensor(TooMany):
        @staticmethod
        def backward(ctx, grad):
            return 5

    class TwoInputsOneGradient(Function):
        @staticmethod
        def forward(ctx, a, b):
            return a * b

        @staticmethod
        def backward(ctx, grad):
            return grad

    raises(RuntimeError, "function TooManyBackward returned an incorrect number of gradients (expected 1, got 2)",
           lambda: TooMany.apply(x).sum().backward())
    raises(RuntimeError, "Function WrongShapeBackward returned an invalid gradient at index 0 - got [3] but expected "
                         "shape compatible with [2]", lambda: WrongShape.apply(x).sum().backward())
    raises(RuntimeError, "expected Variable or None (got int)", lambda: NotATensor.apply(x).sum().backward())
    raises(RuntimeError, "function TwoInputsOneGradientBackward returned an incorrect number of gradients (expected 2, "
                         "got 1)", lambda: TwoInputsOneGradient.apply(x, x).sum().backward())
    assert x.grad is None


def test_missing_backward_and_bad_saves():
    class NoBackward(Function):
        @staticmethod
        def forward(ctx, x):
            return x * 2

    class SavesANumber(Function):
        @staticmethod
        def forward(ctx, x):
            ctx.save_for_backward(3)
            return x * 2

    x = torch.tensor([1., 2.], requires_grad=True)
    raises(NotImplementedError, "You must implement either the backward or vjp method for your custom "
                                "autograd.Function to use it with backward mode AD.",
           lambda: NoBackward.apply(x).sum().backward())
    raises(TypeError, "save_for_backward can only save variables, but argument 0 is of type int",
           lambda: SavesANumber.apply(x))


def test_second_derivative_through_a_custom_function():
    t = torch.tensor(2., requires_grad=True)
    (g,) = torch.autograd.grad(Cube.apply(t), t, create_graph=True)  # 3t² = 12
    (gg,) = torch.autograd.grad(g, t)  # 6t = 12
    assert g.item() == 12.0 and g.grad_fn.name() == "MulBackward0" and gg.item() == 12.0


def test_gradcheck_accepts_a_right_backward_and_catches_a_wrong_one():
    class WrongCube(Cube):
        @staticmethod
        def backward(ctx, grad):
            (x,) = ctx.saved_tensors
            return grad * 2 * x ** 2  # should be 3x²

    x = torch.tensor([1., 2.], dtype=torch.float64, requires_grad=True)
    assert gradcheck(Cube.apply, (x,)) is True
    assert gradcheck(Exp.apply, (x,)) is True
    assert gradcheck(WrongCube.apply, (x,), raise_exception=False) is False
    with pytest.raises(GradcheckError, match=r"^Jacobian mismatch for output 0 with respect to input 0,\nnumerical:"):
        gradcheck(WrongCube.apply, (x,))


def test_saving_the_output_makes_no_reference_cycle():
    gc.collect()
    gc.disable()
    try:
        x = torch.tensor([0., 1.], requires_grad=True)
        y = Exp.apply(x)
        node = weakref.ref(y.grad_fn)
        y.sum()  # a graph on top, dropped at once
        del y
        assert node() is None  # freed by reference counting alone: nothing points back at it
        assert gc.collect() == 0
    finally:
        gc.enable()


def test_saved_output_survives_while_the_output_is_dropped_and_backward_still_works():
    x = torch.tensor([0., 1.], requires_grad=True)
    loss = Exp.apply(x).sum()  # the output itself is only referenced by the graph now
    loss.backward()
    assert [round(v, 4) for v in x.grad.tolist()] == [1.0, 2.7183]


def test_needs_input_grad_is_set_before_forward_even_when_nothing_is_recorded():
    seen = []

    class Scale(torch.autograd.Function):
        @staticmethod
        def forward(ctx, x, k):
            seen.append(ctx.needs_input_grad)
            return x * k

        @staticmethod
        def backward(ctx, grad):
            return grad, None

    x = torch.ones(2, requires_grad=True)
    with torch.no_grad():  # as PyTorch: it says which inputs require grad, even under no_grad
        Scale.apply(x, 2)
    Scale.apply(torch.ones(2), 2)
    Scale.apply(x, 2)
    assert seen == [(True, False), (False, False), (True, False)]


@pytest.mark.parametrize("x_shape, w_shape", [((), ()), ((1,), (1,)), ((2, 3), (3,)), ((1,), (2, 2))],
                         ids=["0-d", "1-element", "broadcast w", "broadcast x"])
def test_gradients_reach_the_inputs_past_non_tensor_arguments_on_every_shape(x_shape, w_shape):
    """A node notes which arguments are inputs (not the number between them): each gradient backward returns goes
    to its own input, for a learner's Function and for a built-in op with an option (add's alpha), on 0-d,
    1-element and broadcast shapes."""

    class Scale(Function):
        """x * factor + w;  d/dx = factor,  d/dw = 1."""

        @staticmethod
        def forward(ctx, x, factor, w):
            ctx.factor, ctx.shapes = factor, (x.shape, w.shape)
            return x * factor + w

        @staticmethod
        def backward(ctx, grad):
            x_shape, w_shape = ctx.shapes
            return (grad * ctx.factor).sum_to_size(x_shape), None, grad.sum_to_size(w_shape)

    for apply in (lambda x, w: Scale.apply(x, 3.0, w), lambda x, w: torch.add(w, x, alpha=3.0)):
        x = torch.full(x_shape, 2.0, requires_grad=True)
        w = torch.full(w_shape, 1.0, requires_grad=True)
        out = apply(x, w)
        out.backward(torch.ones(out.shape))
        stretch_x = out.numel() // x.numel()
        stretch_w = out.numel() // w.numel()
        assert x.grad.shape == x_shape and w.grad.shape == w_shape
        assert (x.grad.numpy() == 3.0 * stretch_x).all() and (w.grad.numpy() == stretch_w).all()
