"""The graph a backward pass records with ``create_graph=True`` is PyTorch's: the same nodes, named the same.

PyTorch writes its backward formulas in C++. Some are formulas of ordinary ops, and there a number is a Scalar:
``2 * result`` in sqrt's gradient is recorded as ``MulBackward1``, not as the ``MulBackward0`` that ``2 * x`` in
Python gives. Others are ops of their own (``tanh_backward``, ``threshold_backward``, ``_softmax_backward_data``...),
so the gradient hangs from one node, ``TanhBackwardBackward0``, that can be differentiated again. A learner draws
the graph of a gradient (lesson 06) and sees these names; each program below prints the graph of the first
derivatives, their values and the second derivatives, and must print exactly what PyTorch prints.
"""
import pytest

pytest.importorskip("torch")

from harness import assert_same_outcome  # noqa: E402

PRELUDE = '''
import torch.nn.functional as F

def tree(node):
    if node is None:
        return "None"
    inputs = [tree(next_node) for next_node, _ in node.next_functions]
    return type(node).__name__ + ("(" + ", ".join(inputs) + ")" if inputs else "")

def second_derivatives(f, *values):
    inputs = [torch.tensor(v, dtype=torch.float64, requires_grad=True) for v in values]
    out = f(*inputs)
    firsts = torch.autograd.grad(out.sum(), inputs, create_graph=True, allow_unused=True)
    for first in firsts:
        print(None if first is None else tree(first.grad_fn), first)
    recorded = [first for first in firsts if first is not None and first.requires_grad]
    if recorded:
        seconds = torch.autograd.grad(sum((first * first).sum() for first in recorded), inputs, allow_unused=True)
        print(seconds)
'''

# (name, function of the inputs, inputs): the inputs are a 2x2 matrix, a 0-d number, a one-element vector, and a
# pair that broadcasts, so each formula runs on every shape it meets.
X, W = [[0.5, -1.5], [2.0, 0.25]], [[1.5, 0.5], [-0.5, 2.0]]
SHAPES = {"2x2": (X, W), "0-d": (0.75, -1.25), "1-element": ([0.75], [-1.25]), "broadcast": ([0.5, -1.5], [[1.5], [-0.5]])}
FUNCTIONS = {
    "x ** 2 (pow with a number: MulBackward1 of PowBackward0)": "lambda x, w: x ** 2 * w",
    "x ** 3": "lambda x, w: x ** 3",
    "x.square()": "lambda x, w: x.square() + w",
    "2 ** x (PowBackward2, its result times ln 2)": "lambda x, w: 2 ** x * w",
    "sqrt (2 * result is MulBackward1)": "lambda x, w: (x * x + 1).sqrt() * w",
    "1 / x (reciprocal: its result squared)": "lambda x, w: 1 / (x * x + 1) + w",
    "reciprocal": "lambda x, w: (x * x + 1).reciprocal() * w",
    "x / w (DivBackward0: (x / w) / w)": "lambda x, w: x / (w * w + 1)",
    "abs (its gradient is grad * sgn, SgnBackward0)": "lambda x, w: x.abs() * w",
    "log of abs": "lambda x, w: x.abs().log() * w",
    "sign and round: their zero gradient is a constant": "lambda x, w: x.sign() * x + x.round() * w",
    "tanh (TanhBackwardBackward0)": "lambda x, w: (x * w).tanh()",
    "sigmoid (SigmoidBackwardBackward0)": "lambda x, w: (x * w).sigmoid()",
    "relu (ThresholdBackwardBackward0)": "lambda x, w: (x * w).relu() * x",
    "leaky_relu (LeakyReluBackwardBackward0)": "lambda x, w: F.leaky_relu(x * w, 0.1) * x",
    "softmax (SoftmaxBackwardDataBackward0)": "lambda x, w: (x * w).softmax(dim=-1) * x",
    "log_softmax (LogSoftmaxBackwardDataBackward0)": "lambda x, w: (x * w).log_softmax(dim=-1) * x",
    "mse_loss (MseLossBackwardBackward0)": "lambda x, w: F.mse_loss(x * x, w)",
    "mse_loss, summed": "lambda x, w: F.mse_loss(x * x, w, reduction='sum')",
    "masked_fill (MaskedFillBackward0)": "lambda x, w: x.masked_fill(x > 1, 0.) * w",
    "a broadcast gradient summed back (SumBackward1, ViewBackward0)": "lambda x, w: x * w * x",
    "var (a Scalar product, then times x - x.mean(): MeanBackward0)": "lambda x, w: (x * w).var()",
    "var along a dim (the gradient unsqueezed, MeanBackward1)": "lambda x, w: (x * w).var(dim=-1)",
    "var keepdim, no Bessel correction": "lambda x, w: (x * w).var(0, keepdim=True, correction=0)",
    "std (var's gradient of grad / (2 std), masked where std is 0)": "lambda x, w: (x * w).std()",
    "std along a dim": "lambda x, w: (x * w).std(dim=-1) * w",
    "logsumexp (grad times exp(x - result), both unsqueezed)": "lambda x, w: (x * w).logsumexp(dim=-1) * w",
    "logsumexp keepdim": "lambda x, w: (x * w).logsumexp(dim=0, keepdim=True)",
    "prod (grad times result / x)": "lambda x, w: (x * w).prod()",
    "prod along a dim": "lambda x, w: (x * w).prod(dim=-1) * w",
    "prod with a zero (running products: CumprodBackward0, FlipBackward0)": "lambda x, w: (x * w).relu().prod()",
    "prod along a dim with zeros": "lambda x, w: (x * w).relu().prod(0, keepdim=True) * x",
    "norm (no unsqueeze for the norm of everything)": "lambda x, w: (x * w).norm()",
    "norm along a dim": "lambda x, w: (x * w).norm(dim=-1) * w",
    "norm, p=1 (sgn(x) * grad: SgnBackward0)": "lambda x, w: (x * w).norm(p=1) * w",
    "norm, p=3": "lambda x, w: (x * w).norm(p=3)",
    "norm, p=inf": "lambda x, w: (x * w).norm(p=float('inf'), dim=0) * w",
    "gelu (GeluBackwardBackward0)": "lambda x, w: F.gelu(x * w) * x",
    "gelu, tanh approximation": "lambda x, w: F.gelu(x * w, approximate='tanh')",
    "elu (EluBackwardBackward0)": "lambda x, w: F.elu(x * w, alpha=0.5) * x",
    "elu in place (EluBackward1 keeps the result, its gradient is read from it)":
        "lambda x, w: F.elu(x * w, alpha=0.5, inplace=True) * x",
    "leaky_relu in place (LeakyReluBackward1)": "lambda x, w: F.leaky_relu(x * w, 0.1, inplace=True) * x",
    "leaky_relu in place with a negative slope: its backward refuses": "lambda x, w: F.leaky_relu(x * w, -0.1, "
                                                                         "inplace=True) * x",
    "softplus (SoftplusBackwardBackward0)": "lambda x, w: F.softplus(x * w) * x",
    "softplus past its threshold": "lambda x, w: F.softplus(x * w, beta=2, threshold=1)",
    "silu (1.0 + ... is AddBackward1, 1.0 - s a SubBackward0)": "lambda x, w: F.silu(x * w) * x",
    "binary_cross_entropy (BinaryCrossEntropyBackwardBackward0)":
        "lambda x, w: F.binary_cross_entropy((x * w).sigmoid(), torch.full_like(x * w, 0.25))",
    "binary_cross_entropy, weighted, not reduced": "lambda x, w: F.binary_cross_entropy((x * w).sigmoid(), "
                                                   "torch.full_like(x * w, 0.75), torch.full_like(x * w, 2.), "
                                                   "reduction='none') * x",
    "binary_cross_entropy's target gradient (-logit(p): LogitBackward0)":
        "lambda x, w: F.binary_cross_entropy((x * w).sigmoid(), (x * x * w).sigmoid(), reduction='sum')",
}


def program(function, shape):
    x, w = SHAPES[shape]
    return PRELUDE + f"second_derivatives({function}, {x!r}, {w!r})\n"


@pytest.mark.parametrize("shape", list(SHAPES))
@pytest.mark.parametrize("function", list(FUNCTIONS.values()), ids=list(FUNCTIONS))
def test_the_graph_of_a_gradient_is_pytorchs(torch_module, minigrad_module, function, shape):
    assert_same_outcome(program(function, shape), torch_module, minigrad_module)


CLASSIFIERS = {
    "cross_entropy (NllLossBackwardBackward0 into LogSoftmaxBackwardDataBackward0)":
        "lambda x, w: F.cross_entropy(x * w, torch.tensor([0, 1]))",
    "nll_loss, one score per row": "lambda x, w: F.nll_loss((x * w).log_softmax(1), torch.tensor([1, 0]), "
                                   "reduction='none')",
    "nll_loss, one sample": "lambda x, w: F.nll_loss((x * w)[0].log_softmax(0), torch.tensor(1))",
}


@pytest.mark.parametrize("function", list(CLASSIFIERS.values()), ids=list(CLASSIFIERS))
def test_the_graph_of_a_classifiers_gradient_is_pytorchs(torch_module, minigrad_module, function):
    assert_same_outcome(program(function, "2x2"), torch_module, minigrad_module)


SQUEEZES = {
    "squeeze() then unsqueezed back, one dim at a time (UnsqueezeBackward0)": "w.squeeze() * v",
    "squeeze(dim) twice": "w.squeeze(-1).squeeze(1) * v",
    "squeeze(dims)": "w.squeeze((1, 3)) * v",
    "sum_to_size over a leading dim (ViewBackward0 of SumBackward1)": "w.squeeze((1, 3)).sum_to_size(3) * v[0]",
}


@pytest.mark.parametrize("code", list(SQUEEZES.values()), ids=list(SQUEEZES))
def test_the_graph_through_squeeze_is_pytorchs(torch_module, minigrad_module, code):
    assert_same_outcome(PRELUDE + "w = torch.ones(2, 1, 3, 1, dtype=torch.float64, requires_grad=True)\n"
                        "v = torch.ones(2, 3, dtype=torch.float64, requires_grad=True)\n"
                        f"firsts = torch.autograd.grad(({code}).sum() * 1, [w, v], create_graph=True)\n"
                        "print([tree(first.grad_fn) for first in firsts])\n", torch_module, minigrad_module)


MASKED = {
    "relu": "x.relu()", "clamp": "x.clamp(min=0)", "masked_fill": "x.masked_fill(x < 0, 0.)",
    "where": "torch.where(x < 0, 0., x)", "maximum": "torch.maximum(x, torch.zeros(4))",
    "an inf gradient": "x.relu() * torch.tensor([float('inf'), 1., float('-inf'), 1.])",
}


@pytest.mark.parametrize("code", list(MASKED.values()), ids=list(MASKED))
def test_a_gradient_masked_out_is_plus_zero(torch_module, minigrad_module, code):
    """Where a piecewise op lets no gradient through it is +0, printed ``0.``: a product of a negative gradient
    and a 0 in the mask would be -0 and print ``-0.``."""
    assert_same_outcome(f"x = torch.tensor([-1., 2., -3., 0.], requires_grad=True)\n(({code}) * -2).sum().backward()\n"
                        "print(x.grad)\ny = torch.tensor(-1., dtype=torch.float64, requires_grad=True)\n"
                        "(y.relu() * -2).backward()\nprint(y.grad)", torch_module, minigrad_module)
