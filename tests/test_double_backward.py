"""Second and third derivatives through the backward formulas that are ops of their own (TanhBackwardBackward0,
ThresholdBackwardBackward0, SoftmaxBackwardDataBackward0, ...) and through the Scalar products (MulBackward1),
checked against finite differences in float64 on 0-d, one-element and broadcast inputs.

``first(f)`` is the function x -> df/dx recorded with ``create_graph=True``; gradcheck of it checks the second
derivative, and gradcheck of ``first(first(f))`` the third (where the backward op's own backward runs)."""
import numpy as np
import pytest

import minigrad as torch
import minigrad.nn.functional as F
from minigrad.autograd import gradcheck

FUNCTIONS = {
    "pow": lambda x, w: x ** 3 * w,
    "rpow": lambda x, w: 2 ** x * w,
    "sqrt": lambda x, w: (x * x + 1).sqrt() * w,
    "reciprocal": lambda x, w: (x * x + 1).reciprocal() * w,
    "div": lambda x, w: x / (w * w + 1),
    "abs": lambda x, w: (x + 3).abs() * x * w,
    "tanh": lambda x, w: (x * w).tanh(),
    "sigmoid": lambda x, w: (x * w).sigmoid(),
    "relu": lambda x, w: (x * w + 5).relu() * x * x,
    "leaky_relu": lambda x, w: F.leaky_relu(x * w - 5, 0.1) * x * x,
    "softmax": lambda x, w: (x * w).softmax(dim=-1) * x,
    "log_softmax": lambda x, w: (x * w).log_softmax(dim=-1) * x,
    "mse_loss": lambda x, w: F.mse_loss(x * x, w * x),
    "mse_loss summed": lambda x, w: F.mse_loss(x * x, w, reduction="sum"),
    "masked_fill": lambda x, w: x.masked_fill(x > 10, 0.) * w * x,
    "var": lambda x, w: torch.stack([x * w, x * x * w]).var() * x,
    "var along a dim": lambda x, w: torch.stack([x * w, x * x * w], -1).var(dim=-1, correction=0),
    "std": lambda x, w: torch.stack([x * w, x * x * w]).std() * w,
    "std along a dim": lambda x, w: torch.stack([x * w, x * x * w], -1).std(dim=-1, keepdim=True)[..., 0] * x,
    "logsumexp": lambda x, w: (x * w).logsumexp(dim=-1) * x.sum(),
    "logsumexp keepdim": lambda x, w: (x * w * x).logsumexp(dim=(0, -1) if x.ndim + w.ndim > 2 else 0,
                                                             keepdim=True),
    "prod": lambda x, w: (x * w + 2).prod() * x,
    "prod along a dim": lambda x, w: (x * w + 2).prod(dim=-1) * x.sum(),
    "prod with a zero": lambda x, w: torch.cat([(x * w).reshape(-1), x.reshape(-1) * 0, x.reshape(-1)]).prod(),
    "prod along a dim with a zero": lambda x, w: torch.stack([x * w, x * w * 0, x * x * w], -1).prod(-1),
    "norm": lambda x, w: (x * w + 1).norm() * x,
    "norm along a dim": lambda x, w: (x * w + 1).norm(dim=-1, keepdim=True) * x,
    "norm, p=3": lambda x, w: (x * w + 1).norm(p=3) * x,
    "norm, p=1.5 along a dim": lambda x, w: (x * w + 1).norm(p=1.5, dim=0) * x.sum(),
    "gelu": lambda x, w: F.gelu(x * w + x) * x,
    "gelu tanh": lambda x, w: F.gelu(x * w + x, approximate="tanh") * x,
    "elu": lambda x, w: F.elu(x * w + 0.5, alpha=0.7) * x * x,
    "elu in place": lambda x, w: F.elu(x * w + 0.5, alpha=0.7, inplace=True) * x * x,
    "leaky_relu in place": lambda x, w: F.leaky_relu(x * w - 5, 0.1, inplace=True) * x * x,
    "softplus": lambda x, w: F.softplus(x * w, beta=2.0) * x,
    "softplus past its threshold": lambda x, w: F.softplus(x * w * 10 - 4, threshold=2.0) * x,
    "silu": lambda x, w: F.silu(x * w + x) * x,
    "binary_cross_entropy": lambda x, w: F.binary_cross_entropy((x * w).sigmoid(), (x * 0 + 0.25) * w / w),
    "binary_cross_entropy of a target": lambda x, w: F.binary_cross_entropy((x * w).sigmoid(), (x * x * w).sigmoid()),
    "binary_cross_entropy weighted": lambda x, w: F.binary_cross_entropy(
        (x * w).sigmoid(), (x * w * x).sigmoid(), torch.full_like(x * w, 2.0), reduction="none") * x,
}
SHAPES = {"0-d": ((), ()), "1-element": ((1,), (1,)), "broadcast": ((2, 3), (3,)), "broadcast the other way": ((3,), (2, 1))}


def first(f):
    """x, w -> every element of df/dx and df/dw in one vector, recorded so that it can be differentiated again."""
    def derivative(x, w):
        return torch.cat([d.reshape(-1) for d in torch.autograd.grad(f(x, w).sum(), [x, w], create_graph=True)])
    return derivative


def inputs(shape_x, shape_w):
    rng = np.random.default_rng(7)
    return (torch.tensor(rng.uniform(0.3, 1.2, shape_x), dtype=torch.float64, requires_grad=True),
            torch.tensor(rng.uniform(-1.2, -0.3, shape_w), dtype=torch.float64, requires_grad=True))


@pytest.mark.filterwarnings("ignore:Using a target size")  # mse_loss on broadcast shapes says so, rightly
@pytest.mark.parametrize("shapes", list(SHAPES.values()), ids=list(SHAPES))
@pytest.mark.parametrize("f", list(FUNCTIONS.values()), ids=list(FUNCTIONS))
def test_second_derivatives_match_finite_differences(f, shapes):
    assert gradcheck(first(f), inputs(*shapes))


THIRD = ("tanh", "sigmoid", "softmax", "log_softmax", "pow", "gelu", "gelu tanh", "elu", "softplus", "silu",
         "elu in place", "binary_cross_entropy of a target")


@pytest.mark.parametrize("f", [FUNCTIONS[name] for name in THIRD], ids=THIRD)
def test_third_derivatives_match_finite_differences(f):
    assert gradcheck(first(lambda x, w: first(f)(x, w).sum() * x), inputs((2, 3), (3,)))


def test_cross_entropy_second_derivative():
    target = torch.tensor([0, 2])
    assert gradcheck(first(lambda x, w: F.cross_entropy(x * w, target)), inputs((2, 3), (3,)))


def test_a_second_derivative_that_is_zero_is_a_tensor_not_an_error():
    """relu's and leaky_relu's gradients are flat in x: the second derivative is 0, and asking for it works."""
    for f in (lambda x: x.relu(), lambda x: F.leaky_relu(x, 0.2), lambda x: x.abs()):
        x = torch.tensor([-1.0, 2.0], requires_grad=True)
        (g,) = torch.autograd.grad(f(x).sum(), x, create_graph=True)
        assert g.requires_grad
        (h,) = torch.autograd.grad(g.sum(), x)
        assert h.tolist() == [0.0, 0.0]
