"""Every op through 0-d, 1-element and broadcast shapes, in both backward modes.

numpy hands back a scalar, not an array, for many 0-d results, and one-element or broadcast inputs take other paths
through sum_to and the saved tensors: a speed change that forgets one of them breaks backward there and nowhere else.
So every op (each built-in ``Function``) is checked here on those shapes:

* array mode (``create_graph=False``): gradcheck, analytical Jacobian against central differences in float64;
* graph mode (``create_graph=True``): the first gradients equal array mode's, and their own gradients (the second
  derivatives) pass gradcheck too.

``test_every_op_is_covered_on_0d_1element_and_broadcast_shapes`` walks every built-in ``Function`` subclass and
fails when one is not run by these rows on a 0-d, a 1-element and (for several inputs) a broadcast shape, unless
``CANNOT`` gives the reason it cannot take that shape; ``test_builtin_ops_run_their_backward_on_numpy_arrays``
checks that every op that opts in to array mode really runs there.
"""
import sys

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import minigrad as torch
import minigrad.nn.functional as F
from minigrad.autograd import gradcheck
from minigrad.autograd.function import Function

POS = "positive"
SCALAR, ONE, ONE_2D = (), (1,), (1, 1)


def _setitem(x, index, value):
    y = x * 1
    y[index] = value
    return y


def _scatter_first_row(t, x):
    """x's first row, doubled, written over row 0 (src has the index's shape, as PyTorch's backward requires)."""
    row = x[:1] if x.dim() else x
    return x.scatter(0, t.zeros(row.shape, dtype=t.int64), row * 2) ** 2


def _inplace(method, *args):
    return lambda t, x: getattr(x * 1, method)(*args)


# (label, fn(torch, *inputs), shape cases (one shape per input), options)
UNARY = [
    ("exp", lambda t, x: x.exp()), ("log", lambda t, x: x.log(), POS), ("sqrt", lambda t, x: x.sqrt(), POS),
    ("sin", lambda t, x: x.sin()), ("cos", lambda t, x: x.cos()), ("tanh", lambda t, x: x.tanh()),
    ("sigmoid", lambda t, x: x.sigmoid()), ("relu", lambda t, x: x.relu()), ("abs", lambda t, x: x.abs()),
    ("neg", lambda t, x: -x), ("reciprocal", lambda t, x: x.reciprocal(), POS), ("square", lambda t, x: x ** 2),
    ("pow 3", lambda t, x: x ** 3), ("rsub", lambda t, x: 2 - x), ("rpow", lambda t, x: 2 ** x),
    # a Python number is an input of + - * / kept as a number (not a tensor): on either side, int or float
    ("add a number", lambda t, x: x + 2.5), ("number + x", lambda t, x: 3 + x),
    ("add a number, alpha", lambda t, x: t.add(x, 2.5, alpha=3)), ("add x to a number", lambda t, x: t.add(2.5, x)),
    ("sub a number", lambda t, x: x - 2), ("sub a number, alpha", lambda t, x: t.sub(x, 2.5, alpha=-2)),
    ("mul by a number", lambda t, x: x * 2.5), ("number * x", lambda t, x: 3 * x),
    ("mul a number by x", lambda t, x: t.mul(-1.5, x)), ("div by a number", lambda t, x: x / 2.5),
    ("div a number by x", lambda t, x: t.div(2.5, x), POS), ("number / x", lambda t, x: 2 / x, POS),
    ("x * number * x", lambda t, x: x * 1.0001 * x),
    ("remainder", lambda t, x: x % 10.0), ("clamp", lambda t, x: x.clamp(-0.5, 0.5)),
    ("clamp min only", lambda t, x: x.clamp(min=-0.5)), ("clamp max only", lambda t, x: x.clamp(max=0.5)),
    ("clamp_min", lambda t, x: t.clamp_min(x, -0.5)), ("clamp_max", lambda t, x: t.clamp_max(x, 0.5)),
    ("masked_fill", lambda t, x: x.masked_fill(x > 0, 2.0)),
    ("masked_fill tensor", lambda t, x: x.masked_fill(x > 0, t.tensor(2.0, dtype=t.float64))),
    ("sum", lambda t, x: x.sum()), ("mean", lambda t, x: x.mean()), ("max", lambda t, x: x.max()),
    ("min", lambda t, x: x.min()), ("norm", lambda t, x: x.norm()), ("norm p=3", lambda t, x: x.norm(3)),
    ("sum dim", lambda t, x: x.sum(0)), ("mean dim", lambda t, x: x.mean(-1)),
    ("max dim", lambda t, x: x.max(0).values), ("min dim", lambda t, x: x.min(-1).values),
    ("softmax", lambda t, x: x.softmax(0)), ("log_softmax", lambda t, x: x.log_softmax(-1)),
    ("clone", lambda t, x: x.clone()), ("alias", lambda t, x: x[...]), ("view", lambda t, x: x.view(-1)),
    ("reshape of a transposed", lambda t, x: x.t().reshape(-1)), ("expand", lambda t, x: x.expand(2, *x.shape)),
    ("reshape a strided view", lambda t, x: x.expand(2, *x.shape).reshape(2, *x.shape)),
    ("t", lambda t, x: x.t()), ("t_", _inplace("t_")), ("unsqueeze", lambda t, x: x.unsqueeze(0)),
    ("unsqueeze_", _inplace("unsqueeze_", 0)), ("squeeze", lambda t, x: x.squeeze()),
    ("squeeze_", _inplace("squeeze_")), ("squeeze dim", lambda t, x: x.unsqueeze(0).squeeze(0)),
    ("squeeze dims", lambda t, x: x.unsqueeze(0).squeeze((0,))), ("permute", lambda t, x: x.permute(*range(x.ndim))),
    ("zero_", _inplace("zero_")), ("fill_", _inplace("fill_", 2.0)),
    ("fill_ tensor", lambda t, x: (x * 1).fill_(t.tensor(2.0, dtype=t.float64))),
    ("stack", lambda t, x: t.stack([x, x * 2])), ("to float32 and back", lambda t, x: x.float().double()),
    # step functions (gradient 0) next to x, so the gradient is not all zeros
    ("round", lambda t, x: x.round() + x), ("round decimals", lambda t, x: x.round(decimals=1) * x),
    ("floor", lambda t, x: x.floor() + x), ("ceil", lambda t, x: x.ceil() * x), ("trunc", lambda t, x: x.trunc() + x),
    ("sign", lambda t, x: x.sign() * x), ("sgn", lambda t, x: t.sgn(x) * x), ("frac", lambda t, x: x.frac()),
    ("nan_to_num", lambda t, x: x.nan_to_num()),
    ("prod", lambda t, x: x.prod()), ("prod dim", lambda t, x: x.prod(0)),
    ("var correction 0", lambda t, x: x.var(correction=0)), ("amax", lambda t, x: x.amax()),
    ("amin dim", lambda t, x: x.amin(0)), ("logsumexp", lambda t, x: x.logsumexp(0)),
    ("cumsum", lambda t, x: x.cumsum(0)), ("cumprod", lambda t, x: x.cumprod(0)),
    ("sort", lambda t, x: x.sort(0).values ** 2), ("sort stable", lambda t, x: x.sort(dim=0, stable=True).values ** 2),
    ("topk", lambda t, x: x.topk(1, 0).values ** 2),
    ("flip", lambda t, x: x.flip(0) ** 2 if x.ndim else x.flip(()) ** 2), ("roll", lambda t, x: x.roll(1) ** 2),
    ("repeat", lambda t, x: x.repeat(2, 1)),
    ("transpose", lambda t, x: x.transpose(0, -1)), ("transpose_", lambda t, x: (x * 1).transpose_(0, -1)),
    ("transpose a new dim", lambda t, x: x.unsqueeze(0).transpose(0, -1)),
    ("sum_to_size", lambda t, x: x.expand(2, *x.shape).sum_to_size(x.shape)),
    ("squeeze dim of itself", lambda t, x: x.squeeze(0)), ("squeeze dims of itself", lambda t, x: x.squeeze((0,))),
    ("mask index", lambda t, x: x[x.detach() > -10] ** 2),
    ("mse_loss", lambda t, x: F.mse_loss(x, t.ones_like(x.detach()))),
    ("scatter", lambda t, x: _scatter_first_row(t, x)),
    ("scatter value", lambda t, x: x.scatter(0, t.zeros((1,) + x.shape[1:] if x.ndim else (), dtype=t.int64),
                                             1.5) ** 2),
    ("gather", lambda t, x: x.gather(0, t.zeros(x.shape, dtype=t.int64)) ** 2),
    ("index_select", lambda t, x: x.index_select(0, t.tensor([0] if x.ndim == 0 else [0, 0])) ** 2),
    ("gelu", lambda t, x: F.gelu(x)), ("gelu tanh", lambda t, x: F.gelu(x, approximate="tanh")),
    ("leaky_relu", lambda t, x: F.leaky_relu(x, 0.2)), ("elu", lambda t, x: F.elu(x)),
    ("softplus", lambda t, x: F.softplus(x, beta=2.0)), ("silu", lambda t, x: F.silu(x)),
    # in place, the node keeps the result and reads the gradient from it (LeakyReluBackward1, EluBackward1)
    ("leaky_relu in place", lambda t, x: F.leaky_relu(x * 1, 0.2, inplace=True) * x),
    ("elu in place", lambda t, x: F.elu(x * 1, inplace=True) * x),
    ("smooth_l1_loss", lambda t, x: F.smooth_l1_loss(x, t.full(x.shape, 0.5, dtype=t.float64))),
    ("binary_cross_entropy_with_logits", lambda t, x: F.binary_cross_entropy_with_logits(
        x, t.full(x.shape, 0.25, dtype=t.float64), pos_weight=t.tensor(2.0, dtype=t.float64))),
    ("binary_cross_entropy", lambda t, x: F.binary_cross_entropy(x.sigmoid(), t.full(x.shape, 0.25, dtype=t.float64),
                                                                 reduction="sum")),
    # its gradient as an op: the target's part is -logit(p) · grad / n, as PyTorch writes it (LogitBackward0)
    ("binary_cross_entropy's gradient", lambda t, x: t.autograd.grad(
        F.binary_cross_entropy(x.sigmoid(), (x * 0.5).sigmoid()), x, create_graph=True)[0]),
    # a gradient recorded with create_graph=True, as an op: sqrt's is grad / (2 * result), the 2 a Scalar (MulBackward1)
    ("sqrt's gradient", lambda t, x: t.autograd.grad(x.sqrt().sum(), x, create_graph=True)[0], POS),
    # silu's: 1.0 + x·(1 - σ) as PyTorch's C++ writes it, a sum with a Scalar (AddBackward1)
    ("silu's gradient", lambda t, x: t.autograd.grad(F.silu(x).sum(), x, create_graph=True)[0]),
]
UNARY_SHAPES = [(SCALAR,), (ONE,), (ONE_2D,), ((2, 3),)]

# ops that need at least one dimension (indexing, joining along a dim, transposing two dims)
AT_LEAST_1D = [
    # squared, so that in graph mode the gradient reaching the op depends on x and its backward is recorded too
    ("select", lambda t, x: x[0] ** 2), ("slice", lambda t, x: x[0:1] ** 2),
    ("index", lambda t, x: x[t.tensor([0, 0])] ** 2),
    ("cat", lambda t, x: t.cat([x, x * 2])), ("setitem", lambda t, x: _setitem(x, 0, 2.0)),
    ("setitem advanced", lambda t, x: _setitem(x, t.tensor([0]), 2.0)),
    ("split", lambda t, x: x.split(1)[0] ** 2), ("split sizes", lambda t, x: t.stack(x.split([1] * len(x))) ** 2),
    ("chunk", lambda t, x: x.chunk(2)[-1] ** 2),
    # a 1-d input unbinds into 0-d slices; the slices that get no gradient count zero
    ("unbind", lambda t, x: x.unbind(0)[-1] ** 2), ("unbind every slice", lambda t, x: t.stack(x.unbind(-1)) ** 2),
    ("iterate", lambda t, x: t.stack([row * 2 for row in x]) ** 2),
]
AT_LEAST_1D_SHAPES = [(ONE,), (ONE_2D,), ((2, 3),)]

# two inputs: same shape, 0-d against any shape, 1-element against any shape, and broadcast on both sides
BINARY = [
    ("add", lambda t, a, b: a + b), ("sub", lambda t, a, b: a - b), ("mul", lambda t, a, b: a * b),
    ("div", lambda t, a, b: a / b, (None, POS)), ("pow", lambda t, a, b: a ** b, (POS, None)),
    ("maximum", lambda t, a, b: t.maximum(a, b)), ("minimum", lambda t, a, b: t.minimum(a, b)),
    ("where", lambda t, a, b: t.where(a > b, a, b)),
    ("clamp tensors", lambda t, a, b: a.clamp(b - 1, b + 1)),
    ("clamp min tensor", lambda t, a, b: a.clamp(min=b)), ("clamp max tensor", lambda t, a, b: a.clamp(max=b)),
    ("clamp_min tensor", lambda t, a, b: t.clamp_min(a, b)), ("clamp_max tensor", lambda t, a, b: t.clamp_max(a, b)),
    ("copy_", lambda t, a, b: (a * 1).copy_(b), "b fits a"),
    ("lerp", lambda t, a, b: a.lerp(b, 0.3)),
    ("setitem a tensor", lambda t, a, b: _setitem(a, ..., b), "b fits a"),
]
BINARY_SHAPES = [((), ()), ((1,), ()), ((), (2, 3)), ((1,), (2, 3)), ((2, 3), (3,)), ((2, 1), (1, 3)),
                 ((1, 1), (2, 3))]

MATRIX = [
    ("mm", lambda t, a, b: a @ b, [((1, 1), (1, 1)), ((2, 3), (3, 2))]),
    # transposed (column-major) operands take the other formula, which keeps each gradient in its input's layout
    ("mm of transposed", lambda t, a, b: a.t() @ b.t(), [((1, 1), (1, 1)), ((3, 2), (2, 3))]),
    ("mv", lambda t, a, b: a @ b, [((1, 1), (1,)), ((2, 3), (3,))]),
    ("dot", lambda t, a, b: a @ b, [((1,), (1,)), ((3,), (3,))]),
    ("vector @ matrix", lambda t, a, b: a @ b, [((1,), (1, 1)), ((3,), (3, 2))]),
    ("bmm", lambda t, a, b: a @ b, [((1, 1, 1), (1, 1, 1)), ((2, 2, 3), (2, 3, 2))]),
    ("batched @ matrix", lambda t, a, b: a @ b, [((1, 1, 1), (1, 1)), ((2, 2, 3), (3, 2))]),
    ("broadcast batches", lambda t, a, b: a @ b, [((2, 1, 1, 3), (3, 3, 2))]),
    ("addmm", lambda t, c, a, b: t.addmm(c, a, b, beta=0.5, alpha=2.0),
     [((), (1, 1), (1, 1)), ((1,), (1, 1), (1, 1)), ((3,), (2, 3), (3, 3)), ((2, 3), (2, 3), (3, 3))]),
    ("addmm of transposed", lambda t, c, a, b: t.addmm(c, a.t(), b.t(), beta=0.5, alpha=2.0),
     [((), (1, 1), (1, 1)), ((3,), (3, 2), (3, 3)), ((2, 1), (3, 2), (1, 3))]),
    ("lerp tensor weight", lambda t, a, b, w: a.lerp(b, w), [((), (), ()), ((1,), (2, 3), (3,)), ((2, 1), (3,), ())]),
    ("linear", lambda t, x, w, b: F.linear(x, w, b), [((1, 1), (1, 1), (1,)), ((4, 3), (2, 3), (2,)),
                                                       ((4, 3), (2, 3), ())]),
]


def _cross_entropy(t, x):
    return F.cross_entropy(x, t.tensor([0] * x.shape[0]))


OTHER = [
    ("std", lambda t, x: x.std(), [((2,),), ((2, 3),)]), ("std dim", lambda t, x: x.std(-1), [((1, 2),), ((2, 3),)]),
    ("cross_entropy", _cross_entropy, [((1, 1),), ((2, 3),)]),
    ("nll_loss sum", lambda t, x: F.nll_loss(x, t.tensor([0] * x.shape[0]), reduction="sum"), [((1, 1),), ((2, 3),)]),
    ("cross_entropy 1-d", lambda t, x: F.cross_entropy(x, t.tensor(0)), [((1,),), ((3,),)]),
    ("setitem a 1-element tensor", lambda t, a, b: _setitem(a, ..., b), [((1,), (1,)), ((1, 1), (1,))]),
    ("cross_entropy with probabilities", lambda t, x: F.cross_entropy(x, t.ones_like(x.detach()) / x.shape[-1]),
     [((1,),), ((1, 1),), ((2, 3),)]),
]


def _cases():
    for label, fn, *domain in UNARY:
        for shapes in UNARY_SHAPES:
            yield label, fn, shapes, tuple(domain) or (None,)
    for label, fn in AT_LEAST_1D:
        for shapes in AT_LEAST_1D_SHAPES:
            yield label, fn, shapes, (None,)
    for label, fn, *options in BINARY:
        domain = options[0] if options and isinstance(options[0], tuple) else (None, None)
        for shapes in BINARY_SHAPES:
            if "b fits a" in options and np.broadcast_shapes(*shapes) != shapes[0]:
                continue
            yield label, fn, shapes, domain
    for label, fn, shape_cases in MATRIX + OTHER:
        for shapes in shape_cases:
            yield label, fn, shapes, (None,) * len(shapes)


CASES = list(_cases())
IDS = [f"{label} {' '.join(str(list(s)) for s in shapes)}" for label, _, shapes, _ in CASES]


def _inputs(shapes, domain, seed=0):
    rng = np.random.default_rng(seed)
    tensors = []
    for shape, kind in zip(shapes, domain):
        # well apart from 0 and from each other, so relu, abs, max and clamp are differentiable at every point
        values = rng.permutation(np.linspace(0.3, 1.7, int(np.prod(shape, dtype=int)) or 1))[:int(np.prod(shape))]
        values = values * rng.choice([-1.0, 1.0], values.shape) if kind != POS else values
        tensors.append(torch.tensor(np.asarray(values.reshape(shape) + 0.01 * len(tensors)), requires_grad=True))
    return tensors


@pytest.mark.parametrize("label, fn, shapes, domain", CASES, ids=IDS)
def test_array_mode_gradients_match_finite_differences(label, fn, shapes, domain):
    inputs = _inputs(shapes, domain)
    assert gradcheck(lambda *xs: fn(torch, *xs), inputs, **TOLERANCES.get(label, {}))
    out = fn(torch, *inputs)  # and backward() itself, which runs the same pass into .grad
    out.backward(torch.ones_like(out.detach()))
    for x in inputs:
        assert x.grad is not None and x.grad.shape == x.shape and x.grad.dtype is torch.float64


TOLERANCES = {"to float32 and back": dict(eps=1e-3, atol=1e-3)}  # float32 rounding swamps a 1e-6 step


def _first_gradients(fn, inputs, create_graph):
    out = fn(torch, *inputs)
    weights = torch.tensor(np.random.default_rng(7).standard_normal(tuple(out.shape)))
    return torch.autograd.grad((out * weights).sum(), inputs, create_graph=create_graph, allow_unused=True)


ONCE_DIFFERENTIABLE = {"setitem", "setitem advanced", "setitem a tensor", "copy_"}


@pytest.mark.parametrize("label, fn, shapes, domain", CASES, ids=IDS)
def test_graph_mode_gives_the_same_gradients_and_their_own_gradients(label, fn, shapes, domain):
    inputs = _inputs(shapes, domain)
    plain = _first_gradients(fn, inputs, create_graph=False)
    built = _first_gradients(fn, inputs, create_graph=True)
    for p, b in zip(plain, built):
        assert (p is None) == (b is None)
        if p is not None:
            assert b.shape == p.shape
            np.testing.assert_allclose(b.detach().numpy(), p.numpy(), rtol=1e-12, atol=1e-14)
            assert not p.requires_grad
    if label in ONCE_DIFFERENTIABLE:
        return

    def first(*xs):
        grads = _first_gradients(fn, xs, create_graph=True)
        return tuple(torch.zeros(1, dtype=torch.float64) if g is None else g for g in grads)

    assert gradcheck(first, inputs, eps=1e-6, atol=1e-5)


def _builtin_ops():
    """Every built-in op: the Function subclasses PyTorch names (a learner's Function has no ``_name``), found by
    walking the subclasses, so that a new op is in this list the moment it is written."""
    found, stack = set(), [Function]
    while stack:
        for cls in stack.pop().__subclasses__():
            stack.append(cls)
            if cls._name and not cls.__dict__.get("_is_node_class"):
                found.add(cls)
    return found


def _op_name(cls):
    """``module.Class``, e.g. ``linalg.Mm`` (two modules may name a class alike)."""
    return f"{cls.__module__.rsplit('.', 1)[-1]}.{cls.__name__}"


def _shape_kinds(arrays, inputs):
    """Which of the shape kinds an op call touches: a 0-d tensor, a 1-element tensor with dims, both among its
    inputs and outputs; inputs of different shapes, or one broadcast by ``expand`` (stride 0), for broadcasting."""
    kinds = set()
    for a in arrays:
        if a.ndim == 0:
            kinds.add("0-d")
        elif a.size == 1:
            kinds.add("1-element")
    if len({a.shape for a in inputs}) > 1 or any(
            stride == 0 and n > 1 for a in inputs for stride, n in zip(a.strides, a.shape)):
        kinds.add("broadcast")
    return kinds


def _kinds_seen(monkeypatch):
    """Run every row, forward and its first gradients with create_graph (so the ops that backward formulas record
    count too), and note for each op the shape kinds its calls touched and whether it had several tensor inputs."""
    seen, several_inputs = {}, set()
    record = Function._record.__func__

    def spy(cls, ctx, args):
        result = record(cls, ctx, args)
        op = cls.__mro__[1] if cls.__dict__.get("_is_node_class") else cls
        inputs = [a._data for a in args if isinstance(a, torch.Tensor)]
        outputs = [o._data for o in (result if isinstance(result, tuple) else (result,)) if isinstance(o, torch.Tensor)]
        seen.setdefault(op, set()).update(_shape_kinds(inputs + outputs, inputs))
        if len(inputs) > 1:
            several_inputs.add(op)
        return result

    monkeypatch.setattr(Function, "_record", classmethod(spy))
    for label, fn, shapes, domain in CASES:
        inputs = _inputs(shapes, domain)
        fn(torch, *inputs)
        _first_gradients(fn, inputs, create_graph=True)
    return seen, several_inputs


NOT_DIFFERENTIABLE = {"arithmetic.FloorDivide"}  # floor division has no gradient in PyTorch either

# The shape kinds an op cannot take, and why. Every other kind must be reached by some row above (each row runs in
# both backward modes, with gradcheck and, where twice differentiable, a gradcheck of its gradients).
CANNOT = {
    "linalg.Mm": {"0-d": "matrices only"}, "linalg.Bmm": {"0-d": "batches of matrices only"},
    "linalg.Mv": {"0-d": "a matrix and a vector"},
    "linalg.Dot": {"broadcast": "two vectors of one length"},
    "shape.UnsafeView": {"0-d": "matmul's fold: at least a matrix"},
    "linalg.SqueezeInPlace": {"0-d": "vector @ matrix gives a vector"},
    "indexing.Slice": {"0-d": "a slice keeps its dim"}, "indexing.SliceBackward": {"0-d": "a slice keeps its dim"},
    "joining.Split": {"0-d": "split needs a dim"}, "joining.SplitWithSizes": {"0-d": "split needs a dim"},
    "joining.Cat": {"0-d": "cat needs a dim", "broadcast": "cat never broadcasts"},
    "joining.Stack": {"broadcast": "stacked tensors have one shape"},
    "shape.ReshapeAlias": {"0-d": "a 0-d tensor is contiguous: its reshape is a view",
                     "1-element": "a 1-element tensor is contiguous: its reshape is a view"},
    "functional.MseLoss": {"broadcast": "mse_loss broadcasts by expand first, as PyTorch does"},
    "loss_functions.SmoothL1Loss": {"broadcast": "smooth_l1_loss broadcasts by expand first, as PyTorch does"},
    "loss_functions.BinaryCrossEntropy": {"broadcast": "the target must have the input's shape"},
    "loss_functions.Logit": {"broadcast": "it has one input"},
    "loss_functions.BinaryCrossEntropyWithLogits": {"broadcast": "the target must have the input's shape"},
    "indexing.Index": {"0-d": "a 0-d integer index selects (SelectBackward0); a mask unsqueezes a 0-d tensor first"},
    "indexing.IndexAdd": {"0-d": "it is Index's backward"},
    "reordering.ScatterAdd": {"0-d": "it is gather's backward, which hands a 0-d input its gradient as it is"},
    "reduction.SumToSize": {"0-d": "it keeps the summed dims; a 0-d result is a view of its (1, ...) sum, as PyTorch's "
                                   "sum_to (ViewBackward0 of SumBackward1)"},
    **{f"{module}.{op}Backward": {"broadcast": "a backward op: the gradient has the shape of what it is the gradient "
                                               "of (tests/test_double_backward.py runs it on broadcast inputs)"}
       for module, op in [("elementwise", "Tanh"), ("elementwise", "Sigmoid"), ("elementwise", "Threshold"),
                          ("activation_functions", "LeakyRelu"), ("activation_functions", "Gelu"),
                          ("activation_functions", "Elu"), ("activation_functions", "Softplus"),
                          ("normalization", "Softmax"),
                          ("normalization", "LogSoftmax")]},
}
KINDS = ("0-d", "1-element", "broadcast")


def test_every_op_is_covered_on_0d_1element_and_broadcast_shapes(monkeypatch):
    """Each built-in op is run by the rows above on a 0-d, a 1-element and (with several inputs) a broadcast shape,
    unless ``CANNOT`` says why it cannot be: a new op without such rows fails here, and so does a stale excuse."""
    seen, several_inputs = _kinds_seen(monkeypatch)
    ops = {_op_name(cls): cls for cls in _builtin_ops()}
    assert set(CANNOT) <= set(ops), f"CANNOT names no op: {sorted(set(CANNOT) - set(ops))}"
    missing, stale = [], []
    for name, cls in sorted(ops.items()):
        if name in NOT_DIFFERENTIABLE:
            continue
        if cls not in seen:
            missing.append(f"{name}: no row at all")
            continue
        wanted = {k for k in KINDS if k != "broadcast" or cls in several_inputs}
        excused = CANNOT.get(name, {})
        missing += [f"{name}: {kind}" for kind in sorted(wanted - seen[cls] - set(excused))]
        stale += [f"{name}: {kind}" for kind in sorted(set(excused) & seen[cls])]
    assert not missing, f"ops without a row in tests/test_op_shapes.py for: {missing}"
    assert not stale, f"CANNOT excuses kinds that rows reach after all: {stale}"


def test_the_coverage_check_fails_for_an_op_without_rows(monkeypatch):
    """The check above is not vacuous: an op no row runs, and an op left without its 0-d row, are reported."""

    class Unused(Function):
        _name = "UnusedBackward0"

        @staticmethod
        def forward(ctx, x):
            return x._data * 2

        @staticmethod
        def backward(ctx, grad):
            return grad * 2

    with pytest.raises(AssertionError, match="test_op_shapes.Unused: no row at all"):
        test_every_op_is_covered_on_0d_1element_and_broadcast_shapes(monkeypatch)
    del Unused
    import gc

    gc.collect()  # the class goes again (subclass lists hold it weakly)
    assert not any(cls.__name__ == "Unused" for cls in _builtin_ops())
    monkeypatch.undo()
    monkeypatch.setattr(sys.modules[__name__], "CASES", [case for case in CASES if case[2] != (SCALAR,)])
    with pytest.raises(AssertionError, match="elementwise.Exp: 0-d"):
        test_every_op_is_covered_on_0d_1element_and_broadcast_shapes(monkeypatch)


# ----- properties over drawn shapes, 0-d and 1-element ones included ---------------------------------------------
@st.composite
def broadcastable_shapes(draw):
    """Two shapes that broadcast: 0-d, 1-element and size-1 dims are as likely as any."""
    shape = tuple(draw(st.lists(st.integers(1, 3), min_size=0, max_size=3)))
    other = tuple(1 if draw(st.booleans()) else n for n in shape)[draw(st.integers(0, len(shape))):]
    return (other, shape) if draw(st.booleans()) else (shape, other)


@settings(max_examples=200, deadline=None)
@given(broadcastable_shapes(), st.sampled_from([op for op in BINARY if "b fits a" not in op]), st.booleans())
def test_property_binary_ops_reduce_gradients_to_each_input_shape(shapes, op, create_graph):
    label, fn, *options = op
    domain = options[0] if options and isinstance(options[0], tuple) else (None, None)
    a, b = _inputs(shapes, domain, seed=len(label))
    out = fn(torch, a, b)
    assert out.shape == np.broadcast_shapes(*shapes)
    grads = torch.autograd.grad(out.sum(), [a, b], create_graph=create_graph)
    assert [tuple(g.shape) for g in grads] == [tuple(a.shape), tuple(b.shape)]


@settings(max_examples=300, deadline=None)
@given(st.lists(st.integers(1, 3), min_size=0, max_size=2), st.sampled_from(UNARY), st.booleans())  # t() needs <= 2-d
def test_property_unary_ops_backward_on_any_shape(shape, op, create_graph):
    label, fn, *domain = op
    (x,) = _inputs([tuple(shape)], tuple(domain) or (None,))
    out = fn(torch, x)
    (g,) = torch.autograd.grad(out.sum(), [x], create_graph=create_graph)
    assert g.shape == x.shape and g.dtype is torch.float64


# ----- the array path is really taken ----------------------------------------------------------------------------
# the ops of the lessons and the benchmarks: each computes its backward on numpy arrays in a plain backward pass
ON_ARRAYS = {"Add", "Sub", "Rsub", "Mul", "Div", "Neg", "Reciprocal", "PowScalar", "Exp", "Log", "Sqrt", "Sin", "Cos",
             "Tanh", "Sigmoid", "Relu", "Abs", "Where", "Sum", "SumDim", "Mean", "MeanDim", "Dot", "Mv", "Mm", "Addmm",
             "View", "Expand", "Unsqueeze", "Squeeze", "T", "Transpose", "Permute", "Clone", "ToCopy", "MaxAll",
             "MaxDim", "Clamp", "Softmax", "LogSoftmax", "NllLoss", "MseLoss", "Bmm", "Pow", "RPow", "Var", "Std",
             "Amax", "Amin", "LogSumExp", "Cat", "Stack", "Select", "Slice", "Alias", "Index", "Prod", "ProdDim",
             "Cumsum", "Cumprod", "Split", "SplitWithSizes", "Unbind", "Gather", "Scatter", "ScatterValue",
             "IndexSelect", "Sort", "TopK", "Flip", "Roll", "Repeat", "Round", "RoundDecimals", "Floor", "Ceil",
             "Trunc",
             "Sign", "Frac", "Lerp", "LerpTensor", "ClampTensor", "ClampMinTensor", "ClampMaxTensor"}


def _is_array(value):
    return isinstance(value, (np.ndarray, np.generic))


def test_builtin_ops_run_their_backward_on_numpy_arrays(monkeypatch):
    """Without create_graph, an op that opts in (``_backward_on_arrays``) gets its gradient and its saved tensors as
    numpy arrays and returns arrays: if the engine quietly went back to tensors, this fails."""
    from minigrad.autograd import engine

    ran, wrong = set(), []
    call_on_arrays = engine._call_backward_on_arrays
    unpack = Function.saved_tensors.fget

    def spy_call(node, grads):
        name = type(node).__mro__[1].__name__
        result = call_on_arrays(node, grads)
        if node._backward_on_arrays:
            ran.add(name)
            if not all(_is_array(g) for g in grads.values()) or not all(g is None or _is_array(g) for g in result):
                wrong.append(name)
        return result

    def spy_saved(ctx):
        saved = unpack(ctx)
        if ctx._backward_on_arrays and engine._mode.backward_on_arrays:
            if not all(s is None or _is_array(s) for s in saved):
                wrong.append(type(ctx).__mro__[1].__name__ + " saved")
        return saved

    monkeypatch.setattr(engine, "_call_backward_on_arrays", spy_call)
    monkeypatch.setattr(Function, "saved_tensors", property(spy_saved))
    for label, fn, shapes, domain in CASES:
        _first_gradients(fn, _inputs(shapes, domain), create_graph=False)
    assert not wrong, f"got or gave tensors in array mode: {sorted(set(wrong))}"
    assert ON_ARRAYS <= ran, f"no longer on arrays: {sorted(ON_ARRAYS - ran)}"
    flagged = {cls.__name__ for cls in _builtin_ops() if cls._backward_on_arrays}
    assert flagged <= ran, f"opted in but never run on arrays by a row: {sorted(flagged - ran)}"


def test_with_create_graph_every_op_gets_tensors(monkeypatch):
    """The other side: building a graph of the gradients, no op may see arrays (its formula would not be recorded,
    and the second derivative would silently be missing)."""
    from minigrad.autograd import engine

    wrong = []
    call = engine._call_backward

    def spy_call(node, grads):
        if not all(isinstance(g, torch.Tensor) for g in grads.values()):
            wrong.append(type(node).__name__)
        return call(node, grads)

    monkeypatch.setattr(engine, "_call_backward", spy_call)
    monkeypatch.setattr(engine, "_call_backward_on_arrays", lambda node, grads: wrong.append("on arrays"))
    for label, fn, shapes, domain in CASES[::7]:
        _first_gradients(fn, _inputs(shapes, domain), create_graph=True)
    assert not wrong and not engine._mode.backward_on_arrays


def test_learner_functions_and_hooks_still_see_tensors():
    """A learner's Function gets tensors in its backward, as in PyTorch, and hooks get tensors, while the built-in
    ops around them run on arrays."""
    seen = []

    class Double(Function):
        @staticmethod
        def forward(ctx, x):
            ctx.save_for_backward(x)
            return x * 2

        @staticmethod
        def backward(ctx, grad):
            (x,) = ctx.saved_tensors
            seen.append(("backward", type(grad), type(x)))
            return grad * 2

    x = torch.tensor([1.0, -2.0], requires_grad=True)
    x.register_hook(lambda g: seen.append(("leaf hook", type(g))))
    y = Double.apply(x * 3)
    y.register_hook(lambda g: seen.append(("tensor hook", type(g))))
    y.retain_grad()
    y.grad_fn.register_hook(lambda grad_inputs, grad_outputs: seen.append(
        ("node hook", type(grad_inputs[0]), type(grad_outputs[0]))))
    (y * y).sum().backward()
    assert seen == [("tensor hook", torch.Tensor), ("backward", torch.Tensor, torch.Tensor),
                    ("node hook", torch.Tensor, torch.Tensor), ("leaf hook", torch.Tensor)]
    assert isinstance(y.grad, torch.Tensor) and y.grad.tolist() == [12.0, -24.0]
    assert x.grad.tolist() == [72.0, -144.0]


def test_a_leaf_keeps_a_gradient_nothing_else_holds_and_copies_a_shared_one():
    """AccumulateGrad keeps the first gradient itself when only the engine refers to it (as PyTorch does), and
    copies it when it is shared: x + y sends the same gradient to both, the gradient handed to backward is the
    caller's, and a gradient stays apart from later in-place accumulation into another leaf."""
    x, y = torch.ones(3, requires_grad=True), torch.ones(3, requires_grad=True)
    seed = torch.ones(3)
    (x + y).backward(seed)
    assert not np.shares_memory(x.grad.numpy(), y.grad.numpy())
    assert not np.shares_memory(x.grad.numpy(), seed.numpy()) and not np.shares_memory(y.grad.numpy(), seed.numpy())
    (x * 2 + y).backward(seed)
    assert x.grad.tolist() == [3.0] * 3 and y.grad.tolist() == [2.0] * 3 and seed.tolist() == [1.0] * 3


def test_a_gradient_only_the_engine_holds_is_kept_without_a_copy(monkeypatch):
    from minigrad.autograd import function

    answers = []
    only_reference = function._only_reference
    monkeypatch.setattr(function, "_only_reference", lambda array: answers.append(only_reference(array)) or
                        answers[-1])
    monkeypatch.setattr(function, "_ENGINE_REFERENCES", function._ENGINE_REFERENCES + 1)  # the lambda's own
    w = torch.ones(2, 2, requires_grad=True)
    (w * 3).backward(torch.ones(2, 2))  # MulBackward0 makes a fresh array that nothing else refers to
    assert answers == [True] and w.grad.tolist() == [[3.0, 3.0], [3.0, 3.0]]
    (w * 3).backward(torch.ones(2, 2))  # the second time it is added in place
    assert answers == [True] and w.grad.tolist() == [[6.0, 6.0], [6.0, 6.0]]


def test_a_linear_layers_weight_gradient_is_computed_in_the_weights_layout_and_kept():
    """The gradient of ``weight.t()`` is computed as (gradᵀ·x)ᵀ, so after TBackward0 it is row-major like the weight
    and is kept as ``weight.grad`` (version 0) instead of being copied out of a transposed view."""
    layer = torch.nn.Linear(5, 4)
    x = torch.randn(3, 5, requires_grad=True)
    (layer(x) ** 2).sum().backward()
    for p in (layer.weight, layer.bias, x):
        assert p.grad.stride() == p.stride() and p.grad._version == 0
    expected = 2 * layer(x).detach().t() @ x.detach()
    np.testing.assert_allclose(layer.weight.grad.numpy(), expected.numpy(), rtol=1e-6)


def test_a_gradient_that_breaks_the_layout_contract_or_cannot_be_written_is_copied():
    """A broadcast view (stride 0) and a read-only array are never kept as ``.grad``: the copy is laid out like the
    leaf, dense leaves in their own strides (a transposed leaf stays transposed), others contiguous."""
    from minigrad.autograd.function import _copy_in_layout_of, _obeys_layout_contract, _only_reference

    leaf = np.ones((3, 4))
    assert not _obeys_layout_contract(np.broadcast_to(np.ones(4), (3, 4)), leaf)
    assert _obeys_layout_contract(np.ones((3, 4)), leaf) and not _obeys_layout_contract(np.ones((4, 3)).T, leaf)
    assert _obeys_layout_contract(np.ones((3, 1)), np.ones((3, 1)))  # a size-1 dim's stride does not matter...
    stride_0 = np.lib.stride_tricks.as_strided(np.ones(3), (3, 1), (8, 0))  # ...unless it is 0, a broadcast's mark
    assert not _obeys_layout_contract(stride_0, np.ones((3, 1)))
    read_only = np.ones(3)
    read_only.flags.writeable = False
    assert not _only_reference(read_only)
    transposed_leaf = np.ones((4, 3)).T
    assert _copy_in_layout_of(np.ones((3, 4)), transposed_leaf).strides == transposed_leaf.strides
    strided_leaf = np.ones((3, 8))[:, ::2]
    copy = _copy_in_layout_of(np.full((3, 4), 2.0), strided_leaf)
    assert copy.flags.c_contiguous and copy.tolist() == [[2.0] * 4] * 3
    x = torch.ones(3, 4, requires_grad=True)
    x.sum().backward()  # sum's backward broadcasts the 0-d gradient: copied, version 1 (PyTorch's)
    assert x.grad._version == 1 and x.grad.stride() == (4, 1) and x.grad.numpy().flags.writeable
