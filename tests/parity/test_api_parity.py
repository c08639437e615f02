"""minigrad against real PyTorch, snippet by snippet and op by op.

Two kinds of checks:

* text parity: a snippet is run on both libraries and must print the same text,
  warn the same warnings and raise the same exception (see harness.py for the
  normalisation, e.g. `torch.float64` is expected as `minigrad.float64`);
* value parity: each differentiable op gets random float64 inputs, and its
  forward values and the gradients of a random weighted sum of its output must
  agree numerically.
"""

import zlib

import numpy as np
import pytest

pytest.importorskip("torch")

from harness import assert_same_outcome, load_snippets  # noqa: E402

GRAPH_CASES = load_snippets("graph_cases").CASES
BEHAVIOUR_CASES = load_snippets("behaviour_cases").CASES


def _ids(cases):
    return [name for name, _ in cases]


@pytest.mark.parametrize("code", [code for _, code in GRAPH_CASES], ids=_ids(GRAPH_CASES))
def test_graph_text(code, torch_module, minigrad_module):
    assert_same_outcome(code, torch_module, minigrad_module)


@pytest.mark.parametrize("code", [code for _, code in BEHAVIOUR_CASES], ids=_ids(BEHAVIOUR_CASES))
def test_behaviour_text(code, torch_module, minigrad_module):
    assert_same_outcome(code, torch_module, minigrad_module)


def test_there_are_enough_text_cases():
    assert len(GRAPH_CASES) + len(BEHAVIOUR_CASES) > 150
    assert len(set(_ids(GRAPH_CASES + BEHAVIOUR_CASES))) == len(GRAPH_CASES) + len(BEHAVIOUR_CASES)


# ---------------------------------------------------------------------------
# value parity
#
# Each entry: (name, function of (module, *inputs), input specs).  A spec is a
# shape, or (shape, "positive") for ops defined only there (log, sqrt, x ** 0.5).
# ---------------------------------------------------------------------------

MASK = np.array([[True, False, True, False], [False, False, True, True], [True, True, False, False]])


def _where(m, a, b):
    return m.where(m.tensor(MASK), a, b)


def _inplace_add(m, a, b):
    y = a * 1
    y.add_(b)
    return y


def _inplace_mul_assign(m, a, b):
    y = a * 1
    y *= b
    return y


def _inplace_t(m, a):
    y = a * 1
    y.t_()
    return y


def _index_assign(m, a, b):
    y = a * 2
    y[1] = b
    return y


def _slice_assign(m, a):
    y = a * 3  # not exp(): exp saves its output, so writing into it would (rightly) make backward fail
    y[:, 0] = 0.0
    return y


POS = "positive"
OPS = [
    ("add", lambda m, a, b: a + b, [(3, 4), (3, 4)]),
    ("add broadcast row", lambda m, a, b: a + b, [(3, 4), (4,)]),
    ("add broadcast outer", lambda m, a, b: a + b, [(3, 1), (1, 4)]),
    ("add 0-d", lambda m, a, b: a + b, [(3, 4), ()]),
    ("add scalar", lambda m, a: a + 2.5, [(3, 4)]),
    ("radd scalar", lambda m, a: 2.5 + a, [(3, 4)]),
    ("add alpha", lambda m, a, b: m.add(a, b, alpha=3), [(3, 4), (3, 4)]),
    ("sub", lambda m, a, b: a - b, [(3, 4), (3, 4)]),
    ("sub broadcast", lambda m, a, b: a - b, [(2, 3, 4), (3, 1)]),
    ("rsub scalar", lambda m, a: 2 - a, [(3, 4)]),
    ("mul", lambda m, a, b: a * b, [(3, 4), (3, 4)]),
    ("mul broadcast", lambda m, a, b: a * b, [(3, 4), (3, 1)]),
    ("mul self", lambda m, a: a * a, [(3, 4)]),
    ("mul scalar", lambda m, a: 3 * a, [(3, 4)]),
    ("div", lambda m, a, b: a / b, [(3, 4), ((3, 4), POS)]),
    ("div broadcast", lambda m, a, b: a / b, [(3, 4), ((4,), POS)]),
    ("div scalar", lambda m, a: a / 4, [(3, 4)]),
    ("rdiv scalar", lambda m, a: 2 / a, [((3, 4), POS)]),
    ("pow 2", lambda m, a: a**2, [(3, 4)]),
    ("pow 3", lambda m, a: a.pow(3), [(3, 4)]),
    ("pow 0.5", lambda m, a: a**0.5, [((3, 4), POS)]),
    ("pow -1", lambda m, a: a**-1, [((3, 4), POS)]),
    ("pow tensor", lambda m, a, b: a**b, [((3, 4), POS), (3, 4)]),
    ("pow self", lambda m, a: a**a, [((3, 4), POS)]),
    ("rpow scalar", lambda m, a: 2**a, [(3, 4)]),
    ("neg", lambda m, a: -a, [(3, 4)]),
    ("matmul 2d 2d", lambda m, a, b: a @ b, [(3, 4), (4, 2)]),
    ("matmul 1d 1d", lambda m, a, b: a @ b, [(4,), (4,)]),
    ("matmul 2d 1d", lambda m, a, b: a @ b, [(3, 4), (4,)]),
    ("matmul 1d 2d", lambda m, a, b: a @ b, [(3,), (3, 4)]),
    ("matmul 3d 3d", lambda m, a, b: m.matmul(a, b), [(2, 3, 4), (2, 4, 5)]),
    ("matmul 3d 2d", lambda m, a, b: a @ b, [(2, 3, 4), (4, 5)]),
    ("matmul 2d 3d", lambda m, a, b: a @ b, [(3, 4), (2, 4, 5)]),
    ("matmul batch broadcast", lambda m, a, b: a @ b, [(2, 1, 3, 4), (5, 4, 2)]),
    ("mm", lambda m, a, b: m.mm(a, b), [(3, 4), (4, 2)]),
    ("exp", lambda m, a: a.exp(), [(3, 4)]),
    ("log", lambda m, a: m.log(a), [((3, 4), POS)]),
    ("sqrt", lambda m, a: a.sqrt(), [((3, 4), POS)]),
    ("abs", lambda m, a: a.abs(), [(3, 4)]),
    ("sin", lambda m, a: a.sin(), [(3, 4)]),
    ("cos", lambda m, a: m.cos(a), [(3, 4)]),
    ("tanh", lambda m, a: a.tanh(), [(3, 4)]),
    ("sigmoid", lambda m, a: m.sigmoid(a), [(3, 4)]),
    ("relu", lambda m, a: a.relu(), [(3, 4)]),
    ("clamp min", lambda m, a: a.clamp(min=-0.2), [(3, 4)]),
    ("clamp max", lambda m, a: m.clamp(a, max=0.3), [(3, 4)]),
    ("clamp both", lambda m, a: a.clamp(-0.5, 0.5), [(3, 4)]),
    ("maximum", lambda m, a, b: m.maximum(a, b), [(3, 4), (3, 4)]),
    ("minimum", lambda m, a, b: m.minimum(a, b), [(3, 4), (3, 4)]),
    ("sum", lambda m, a: a.sum(), [(3, 4)]),
    ("sum dim 0", lambda m, a: a.sum(0), [(3, 4)]),
    ("sum dim -1 keepdim", lambda m, a: a.sum(-1, keepdim=True), [(3, 4)]),
    ("sum dims tuple", lambda m, a: a.sum((0, 2)), [(2, 3, 4)]),
    ("sum 0-d", lambda m, a: a.sum(), [()]),
    ("mean", lambda m, a: a.mean(), [(3, 4)]),
    ("mean dim", lambda m, a: m.mean(a, dim=1), [(3, 4)]),
    ("mean dim keepdim", lambda m, a: a.mean(0, keepdim=True), [(3, 4)]),
    ("max", lambda m, a: a.max(), [(3, 4)]),
    ("max dim", lambda m, a: a.max(dim=1).values, [(3, 4)]),
    ("max dim keepdim", lambda m, a: a.max(0, keepdim=True)[0], [(3, 4)]),
    ("min", lambda m, a: a.min(), [(3, 4)]),
    ("min dim", lambda m, a: m.min(a, 1).values, [(3, 4)]),
    ("norm", lambda m, a: a.norm(), [(3, 4)]),
    ("norm p=1", lambda m, a: a.norm(1), [(3, 4)]),
    ("norm p=3", lambda m, a: a.norm(p=3), [(3, 4)]),
    ("norm dim", lambda m, a: a.norm(dim=1), [(3, 4)]),
    ("norm dim keepdim", lambda m, a: m.norm(a, dim=0, keepdim=True), [(3, 4)]),
    ("softmax dim 1", lambda m, a: m.softmax(a, dim=1), [(3, 4)]),
    ("softmax dim 0", lambda m, a: a.softmax(0), [(3, 4)]),
    ("log_softmax", lambda m, a: m.log_softmax(a, dim=-1), [(3, 4)]),
    ("functional softmax", lambda m, a: m.nn.functional.softmax(a, dim=1), [(3, 4)]),
    ("reshape", lambda m, a: a.reshape(4, 3), [(3, 4)]),
    ("reshape -1", lambda m, a: a.reshape(-1), [(3, 4)]),
    ("view", lambda m, a: a.view(2, 6), [(3, 4)]),
    ("flatten", lambda m, a: a.flatten(), [(2, 3, 4)]),
    ("t", lambda m, a: a.t(), [(3, 4)]),
    ("T", lambda m, a: a.T, [(3, 4)]),
    ("transpose", lambda m, a: a.transpose(0, 2), [(2, 3, 4)]),
    ("permute", lambda m, a: a.permute(2, 0, 1), [(2, 3, 4)]),
    ("t then reshape", lambda m, a: a.t().reshape(12), [(3, 4)]),
    ("squeeze", lambda m, a: a.squeeze(), [(3, 1, 4)]),
    ("squeeze dim", lambda m, a: a.squeeze(1), [(3, 1, 4)]),
    ("unsqueeze", lambda m, a: a.unsqueeze(1), [(3, 4)]),
    ("expand", lambda m, a: a.expand(2, 3, 4), [(3, 1)]),
    ("index int", lambda m, a: a[1], [(3, 4)]),
    ("index negative int", lambda m, a: a[-1], [(3, 4)]),
    ("index slice", lambda m, a: a[1:], [(3, 4)]),
    ("index step", lambda m, a: a[:, ::2], [(3, 4)]),
    ("index int and slice", lambda m, a: a[1, 1:3], [(3, 4)]),
    ("index list", lambda m, a: a[[0, 2, 0]], [(3, 4)]),
    ("index two lists", lambda m, a: a[[0, 2], [1, 3]], [(3, 4)]),
    ("index long tensor", lambda m, a: a[m.tensor([2, 0])], [(3, 4)]),
    ("index bool mask", lambda m, a: a[m.tensor(MASK)], [(3, 4)]),
    ("index None", lambda m, a: a[None], [(3, 4)]),
    ("index Ellipsis", lambda m, a: a[..., 1], [(2, 3, 4)]),
    ("cat dim 0", lambda m, a, b: m.cat([a, b]), [(3, 4), (2, 4)]),
    ("cat dim 1", lambda m, a, b: m.cat((a, b), dim=1), [(3, 4), (3, 2)]),
    ("stack", lambda m, a, b: m.stack([a, b]), [(3, 4), (3, 4)]),
    ("stack dim 1", lambda m, a, b: m.stack([a, b], dim=1), [(3, 4), (3, 4)]),
    ("where", _where, [(3, 4), (3, 4)]),
    ("where scalar", lambda m, a: m.where(m.tensor(MASK), a, 0.0), [(3, 4)]),
    ("clone", lambda m, a: a.clone(), [(3, 4)]),
    ("in-place add_ on non-leaf", _inplace_add, [(3, 4), (3, 4)]),
    ("in-place *= on non-leaf", _inplace_mul_assign, [(3, 4), (4,)]),
    ("in-place t_ on non-leaf", _inplace_t, [(3, 4)]),
    ("index assignment of a tensor", _index_assign, [(3, 4), (4,)]),
    ("slice assignment of a number", _slice_assign, [(3, 4)]),
    ("two-layer net", lambda m, x, w1, w2: ((x @ w1).relu() @ w2).log_softmax(1), [(5, 3), (3, 4), (4, 2)]),
    ("tutorial z = (x + 2) * (x + 2) * 3", lambda m, x: ((x + 2) * (x + 2) * 3).mean(), [(2, 2)]),
]


def _inputs(specs, seed):
    rng = np.random.default_rng(seed)
    arrays = []
    for spec in specs:
        shape, domain = spec if isinstance(spec, tuple) and len(spec) == 2 and isinstance(spec[1], str) else (spec, "")
        values = rng.standard_normal(shape)
        # Keep positive inputs away from 0, where log, sqrt and 1/x blow up.
        arrays.append(np.abs(values) + 0.5 if domain == POS else values)
    return arrays


def _forward_backward(module, fn, arrays, weight_seed):
    inputs = [module.tensor(a, dtype=module.float64, requires_grad=True) for a in arrays]
    out = fn(module, *inputs)
    values = out.detach().numpy().copy()
    # A random weighting makes every element of the output matter to the gradient.
    weights = np.random.default_rng(weight_seed).standard_normal(values.shape)
    (out * module.tensor(weights, dtype=module.float64)).sum().backward()
    grads = [None if i.grad is None else i.grad.numpy().copy() for i in inputs]
    return str(out.dtype).split(".")[-1], values, grads


@pytest.mark.parametrize("name, fn, specs", OPS, ids=[name for name, _, _ in OPS])
def test_values_and_gradients(name, fn, specs, torch_module, minigrad_module):
    arrays = _inputs(specs, seed=zlib.crc32(name.encode()))
    dtype_t, values_t, grads_t = _forward_backward(torch_module, fn, arrays, weight_seed=1)
    dtype_m, values_m, grads_m = _forward_backward(minigrad_module, fn, arrays, weight_seed=1)
    assert dtype_m == dtype_t
    assert values_m.shape == values_t.shape
    np.testing.assert_allclose(values_m, values_t, rtol=1e-10, atol=1e-12)
    for k, (g_m, g_t) in enumerate(zip(grads_m, grads_t)):
        assert (g_m is None) == (g_t is None), f"input {k}: gradient presence differs"
        if g_t is not None:
            assert g_m.shape == g_t.shape, f"input {k}: gradient shape differs"
            np.testing.assert_allclose(g_m, g_t, rtol=1e-10, atol=1e-12, err_msg=f"input {k}")


@pytest.mark.parametrize(
    "convert",
    [lambda x: x.float(), lambda x: x.double(), lambda x: x.to(x.dtype), lambda x: x.float().double()],
    ids=["float", "double", "to same dtype", "float then double"],
)
def test_conversion_values_and_gradients(convert, torch_module, minigrad_module):
    data = np.random.default_rng(7).standard_normal((3, 4))
    results = []
    for module in (torch_module, minigrad_module):
        x = module.tensor(data, dtype=module.float64, requires_grad=True)
        y = convert(x)
        (y * y).sum().backward()
        results.append((str(y.dtype).split(".")[-1], y.detach().double().numpy(), x.grad.numpy()))
    (dtype_t, values_t, grad_t), (dtype_m, values_m, grad_m) = results
    assert dtype_m == dtype_t
    np.testing.assert_allclose(values_m, values_t, rtol=1e-7)
    np.testing.assert_allclose(grad_m, grad_t, rtol=1e-6)


def test_second_derivatives_match(torch_module, minigrad_module):
    data = np.random.default_rng(3).standard_normal(5)
    results = []
    for m in (torch_module, minigrad_module):
        x = m.tensor(data, dtype=m.float64, requires_grad=True)
        y = (x.sin() * x**3).sum()
        (g,) = m.autograd.grad(y, x, create_graph=True)
        (h,) = m.autograd.grad(g.sum(), x)
        results.append((g.detach().numpy(), h.numpy()))
    np.testing.assert_allclose(results[1][0], results[0][0], rtol=1e-10)
    np.testing.assert_allclose(results[1][1], results[0][1], rtol=1e-10)
