"""minigrad's ops against real PyTorch 2.13: values, gradients, second derivatives, graph structure, error texts.

* value parity: each op runs on the same random float64 inputs in both libraries; outputs, dtypes, the whole
  backward graph (node names, walked through ``next_functions``) and the gradients of a random weighted sum of the
  output must agree;
* text parity: small snippets (errors, integer dtypes, printed results) must print and raise the same in both,
  after harness.normalise (``torch.`` is expected as ``minigrad.``).
"""
import zlib

import numpy as np
import pytest

torch = pytest.importorskip("torch")

import minigrad  # noqa: E402
from harness import assert_same_outcome  # noqa: E402

POS = "positive"


def _array(spec, rng):
    if isinstance(spec, np.ndarray):
        return spec.astype(np.float64)
    shape, kind = spec if isinstance(spec, tuple) and len(spec) == 2 and isinstance(spec[1], str) else (spec, None)
    values = rng.standard_normal(shape)
    return np.abs(values) + 0.5 if kind == POS else values


def _graph(node):
    """The backward graph under ``node`` as nested (name, children) tuples."""
    if node is None:
        return None
    return node.name(), tuple(_graph(child) for child, _ in node.next_functions)


def _outputs(result):
    return tuple(result) if isinstance(result, tuple) else (result,)


def _run(lib, fn, arrays, weight_seed):
    inputs = [lib.tensor(a.copy(), requires_grad=True) for a in arrays]
    outputs = _outputs(fn(lib, *inputs))
    first = outputs[0]
    weights = np.random.default_rng(weight_seed).standard_normal(tuple(first.shape))
    first.backward(lib.tensor(weights))
    return {
        "values": [o.detach().numpy().copy() for o in outputs],
        "dtypes": [str(o.dtype).split(".")[-1] for o in outputs],
        "graph": _graph(first.grad_fn),
        "next": [(None if n is None else n.name(), i) for n, i in first.grad_fn.next_functions],
        "grads": [None if x.grad is None else x.grad.numpy().copy() for x in inputs],
        "grad_dtypes": [None if x.grad is None else str(x.grad.dtype).split(".")[-1] for x in inputs],
    }


A34 = np.array([[0.5, -1.0, 2.0, 2.0], [3.0, 3.0, -3.0, 0.0], [1.0, -2.0, 0.25, -0.25]])
TIES = np.array([1.0, 3.0, -3.0, 3.0])
MASK = np.array([[True, False, True, False], [False, False, True, True], [True, True, False, False]])

OPS = [
    # elementwise
    ("exp", lambda m, a: a.exp(), [(3, 4)]),
    ("log", lambda m, a: m.log(a), [((3, 4), POS)]),
    ("sqrt", lambda m, a: a.sqrt(), [((3, 4), POS)]),
    ("abs", lambda m, a: abs(a), [(3, 4)]),
    ("abs at 0", lambda m, a: a.abs(), [A34]),
    ("sin", lambda m, a: m.sin(a), [(3, 4)]),
    ("cos", lambda m, a: a.cos(), [(3, 4)]),
    ("tanh", lambda m, a: a.tanh(), [(3, 4)]),
    ("sigmoid", lambda m, a: m.sigmoid(a), [(3, 4)]),
    ("sigmoid large", lambda m, a: (a * 400).sigmoid(), [(3, 4)]),
    ("relu", lambda m, a: m.relu(a), [(3, 4)]),
    ("relu at 0", lambda m, a: a.relu(), [A34]),
    ("square", lambda m, a: a.square(), [(3, 4)]),
    ("square 0-d", lambda m, a: m.square(a), [()]),
    # clamp family
    ("clamp min", lambda m, a: a.clamp(min=-0.2), [(3, 4)]),
    ("clamp max", lambda m, a: m.clamp(a, max=0.3), [(3, 4)]),
    ("clamp both", lambda m, a: a.clamp(-0.5, 0.5), [(3, 4)]),
    ("clamp at the bounds", lambda m, a: a.clamp(-0.25, 2.0), [A34]),
    ("clamp min > max", lambda m, a: a.clamp(1.0, -1.0), [(3, 4)]),
    ("clip", lambda m, a: a.clip(-0.5, 0.5), [(3, 4)]),
    ("clamp tensor bounds", lambda m, a, lo, hi: a.clamp(lo, hi), [(3, 4), (3, 4), (3, 4)]),
    ("clamp tensor min", lambda m, a, lo: m.clamp(a, min=lo), [(3, 4), (4,)]),
    ("clamp tensor max broadcast", lambda m, a, hi: a.clamp(max=hi), [(3, 4), (3, 1)]),
    ("clamp tensor min > max", lambda m, a, lo, hi: a.clamp(lo, hi - 3), [(3, 4), (3, 4), (3, 4)]),
    ("clamp tensor 0-d", lambda m, a, lo: a.clamp(min=lo), [(3, 4), ()]),
    ("clamp ties with tensor bounds", lambda m, a, lo: a.clamp(lo, lo), [A34, (3, 4)]),
    ("clamp_min", lambda m, a: a.clamp_min(0.1), [(3, 4)]),
    ("clamp_max tensor", lambda m, a, b: a.clamp_max(b), [(3, 4), (3, 4)]),
    # masking
    ("masked_fill", lambda m, a: a.masked_fill(m.tensor(MASK), 0.5), [(3, 4)]),
    ("masked_fill broadcast mask", lambda m, a: a.masked_fill(m.tensor(MASK[:1]), -1.0), [(3, 4)]),
    ("masked_fill broadcast input", lambda m, a: m.masked_fill(a, m.tensor(MASK), 2.0), [(4,)]),
    ("masked_fill tensor value", lambda m, a, v: a.masked_fill(m.tensor(MASK), v), [(3, 4), ()]),
    ("where", lambda m, a, b: m.where(m.tensor(MASK), a, b), [(3, 4), (3, 4)]),
    ("where broadcast", lambda m, a, b: m.where(m.tensor(MASK), a, b), [(4,), (3, 1)]),
    ("where number", lambda m, a: m.where(a > 0, a, 0.0), [(3, 4)]),
    ("where number first", lambda m, a: m.where(a > 0, 1.5, a), [(3, 4)]),
    ("where method", lambda m, a, b: a.where(a > b, b), [(3, 4), (3, 4)]),
    ("where 0-d condition", lambda m, a, b: m.where(m.tensor(True), a, b), [(3, 4), (4,)]),
    # maximum and minimum
    ("maximum", lambda m, a, b: m.maximum(a, b), [(3, 4), (3, 4)]),
    ("maximum broadcast", lambda m, a, b: m.maximum(a, b), [(3, 4), (4,)]),
    ("maximum ties", lambda m, a, b: m.maximum(a, b), [A34, A34[::-1].copy()]),
    ("minimum", lambda m, a, b: m.minimum(a, b), [(3, 4), (3, 1)]),
    ("minimum ties", lambda m, a, b: m.minimum(a, b), [A34, A34[:, ::-1].copy()]),
    ("max of two tensors", lambda m, a, b: m.max(a, b), [(3, 4), (3, 4)]),
    ("min of two tensors", lambda m, a, b: a.min(b), [(3, 4), (4,)]),
    # reductions to the extreme value
    ("max", lambda m, a: a.max(), [(3, 4)]),
    ("max ties", lambda m, a: a.max(), [TIES]),
    ("min ties", lambda m, a: m.min(a), [-TIES]),
    ("max dim", lambda m, a: a.max(dim=1), [(3, 4)]),
    ("max dim ties", lambda m, a: a.max(0), [TIES]),
    ("max dim keepdim", lambda m, a: a.max(0, keepdim=True), [(3, 4)]),
    ("max dim -1 of 3-d", lambda m, a: m.max(a, -1), [(2, 3, 4)]),
    ("max dim of 0-d", lambda m, a: a.max(0), [()]),
    ("min dim", lambda m, a: a.min(1), [(3, 4)]),
    ("min dim ties", lambda m, a: a.min(1, True), [A34]),
    ("max 0-d", lambda m, a: a.max(), [()]),
    # norms
    ("norm", lambda m, a: a.norm(), [(3, 4)]),
    ("norm fro", lambda m, a: m.norm(a, "fro"), [(3, 4)]),
    ("norm p=1", lambda m, a: a.norm(1), [A34]),
    ("norm p=3", lambda m, a: a.norm(p=3), [(3, 4)]),
    ("norm p=1.5", lambda m, a: a.norm(1.5), [A34]),
    ("norm p=0.5", lambda m, a: a.norm(0.5), [A34]),
    ("norm p=-1", lambda m, a: a.norm(-1), [(3, 4)]),
    ("norm p=inf", lambda m, a: a.norm(float("inf")), [A34]),
    ("norm p=-inf", lambda m, a: a.norm(float("-inf")), [A34]),
    ("norm dim", lambda m, a: a.norm(dim=1), [(3, 4)]),
    ("norm dim keepdim", lambda m, a: m.norm(a, dim=0, keepdim=True), [(3, 4)]),
    ("norm dims", lambda m, a: a.norm(3, dim=(0, 2)), [(2, 3, 4)]),
    ("norm inf dim", lambda m, a: a.norm(float("inf"), dim=0), [A34]),
    ("norm of zeros", lambda m, a: (a * 0).norm(), [(3, 4)]),
    ("norm 0-d", lambda m, a: a.norm(), [()]),
    # softmax
    ("softmax dim 1", lambda m, a: m.softmax(a, dim=1), [(3, 4)]),
    ("softmax dim 0", lambda m, a: a.softmax(0), [(3, 4)]),
    ("softmax 3-d", lambda m, a: a.softmax(-2), [(2, 3, 4)]),
    ("softmax large", lambda m, a: (a * 1000).softmax(1), [(3, 4)]),
    ("softmax 0-d", lambda m, a: a.softmax(0), [()]),
    ("log_softmax", lambda m, a: m.log_softmax(a, dim=-1), [(3, 4)]),
    ("log_softmax dim 0", lambda m, a: a.log_softmax(0), [(2, 3, 4)]),
    ("log_softmax large", lambda m, a: (a * 1000).log_softmax(1), [(3, 4)]),
    # linear algebra
    ("dot", lambda m, a, b: a.dot(b), [(4,), (4,)]),
    ("mv", lambda m, a, b: m.mv(a, b), [(3, 4), (4,)]),
    ("mm", lambda m, a, b: a.mm(b), [(3, 4), (4, 2)]),
    ("bmm", lambda m, a, b: m.bmm(a, b), [(2, 3, 4), (2, 4, 5)]),
    ("matmul 1-d 1-d", lambda m, a, b: a @ b, [(4,), (4,)]),
    ("matmul 2-d 1-d", lambda m, a, b: a @ b, [(3, 4), (4,)]),
    ("matmul 1-d 2-d", lambda m, a, b: a @ b, [(3,), (3, 4)]),
    ("matmul 2-d 2-d", lambda m, a, b: m.matmul(a, b), [(3, 4), (4, 2)]),
    ("matmul 3-d 3-d", lambda m, a, b: a @ b, [(2, 3, 4), (2, 4, 5)]),
    ("matmul 3-d 2-d", lambda m, a, b: a @ b, [(2, 3, 4), (4, 5)]),
    ("matmul 2-d 3-d", lambda m, a, b: a @ b, [(3, 4), (2, 4, 5)]),
    ("matmul 3-d 1-d", lambda m, a, b: a @ b, [(2, 3, 4), (4,)]),
    ("matmul 1-d 3-d", lambda m, a, b: a @ b, [(3,), (2, 3, 4)]),
    ("matmul 4-d 3-d broadcast", lambda m, a, b: a @ b, [(2, 1, 3, 4), (5, 4, 2)]),
    ("matmul 4-d 4-d", lambda m, a, b: a @ b, [(2, 5, 3, 4), (2, 5, 4, 2)]),
    ("matmul batch of one", lambda m, a, b: a @ b, [(1, 3, 4), (5, 4, 2)]),
    ("matmul batch of one right", lambda m, a, b: a @ b, [(5, 3, 4), (1, 4, 2)]),
    ("matmul broadcast both", lambda m, a, b: a @ b, [(1, 3, 4), (2, 1, 4, 2)]),
    ("matmul 1-d 4-d", lambda m, a, b: a @ b, [(4,), (2, 2, 4, 3)]),
    ("matmul 4-d 1-d", lambda m, a, b: a @ b, [(2, 2, 3, 4), (4,)]),
    ("matmul transposed input", lambda m, a, b: a.transpose(1, 2) @ b, [(2, 4, 3), (4, 5)]),
    ("matmul of a transposed right side", lambda m, a, b: a @ b.mT, [(2, 3, 4), (2, 5, 4)]),
    ("two-layer net", lambda m, x, w1, w2: ((x @ w1).relu() @ w2).log_softmax(1), [(5, 3), (3, 4), (4, 2)]),
]


def assert_same_run(name, fn, specs, graph=True):
    """Run ``fn`` on the same float64 inputs in both libraries; compare graph (unless ``graph=False``), values,
    dtypes and the gradients of a random weighted sum of the first output."""
    rng = np.random.default_rng(zlib.crc32(name.encode()))
    arrays = [_array(spec, rng) for spec in specs]
    expected = _run(torch, fn, arrays, weight_seed=1)
    actual = _run(minigrad, fn, arrays, weight_seed=1)
    if graph:
        assert actual["graph"] == expected["graph"]
        assert actual["next"] == expected["next"]
    assert actual["dtypes"] == expected["dtypes"]
    for mine, theirs in zip(actual["values"], expected["values"]):
        assert mine.shape == theirs.shape
        np.testing.assert_allclose(mine, theirs, rtol=1e-10, atol=1e-12)
    assert actual["grad_dtypes"] == expected["grad_dtypes"]
    for mine, theirs in zip(actual["grads"], expected["grads"]):
        assert (mine is None) == (theirs is None)
        if mine is not None:
            np.testing.assert_allclose(mine, theirs, rtol=1e-9, atol=1e-12)


@pytest.mark.parametrize("name, fn, specs", OPS, ids=[name for name, _, _ in OPS])
def test_values_gradients_and_graph(name, fn, specs):
    assert_same_run(name, fn, specs)


SECOND_ORDER = [
    ("tanh", lambda m, a: a.tanh(), [(3, 4)]),
    ("sigmoid", lambda m, a: a.sigmoid(), [(3, 4)]),
    ("exp", lambda m, a: a.exp(), [(3, 4)]),
    ("log", lambda m, a: a.log(), [((3, 4), POS)]),
    ("sqrt", lambda m, a: a.sqrt(), [((3, 4), POS)]),
    ("sin cos", lambda m, a: a.sin() * a.cos(), [(3, 4)]),
    ("pow", lambda m, a: a ** 3, [(3, 4)]),
    ("pow tensor", lambda m, a, b: a ** b, [((3, 4), POS), (3, 4)]),
    ("matmul", lambda m, a, b: (a @ b).tanh(), [(3, 4), (4, 2)]),
    ("batched matmul", lambda m, a, b: (a @ b) ** 2, [(2, 3, 4), (4, 2)]),
    ("softmax", lambda m, a: a.softmax(1), [(3, 4)]),
    ("log_softmax", lambda m, a: a.log_softmax(0), [(3, 4)]),
    ("norm", lambda m, a: a.norm(dim=1), [(3, 4)]),
    ("norm p=3", lambda m, a: a.norm(3), [(3, 4)]),
    ("maximum", lambda m, a, b: m.maximum(a, b) ** 2, [(3, 4), (3, 4)]),
    ("clamp", lambda m, a: a.clamp(-0.5, 0.5) ** 2, [(3, 4)]),
    ("where", lambda m, a, b: m.where(a > b, a * b, a), [(3, 4), (3, 4)]),
    ("max dim", lambda m, a: a.max(1).values ** 2, [(3, 4)]),
]


def _second_derivatives(lib, fn, arrays):
    inputs = [lib.tensor(a.copy(), requires_grad=True) for a in arrays]
    out = fn(lib, *inputs)
    weights = lib.tensor(np.random.default_rng(3).standard_normal(tuple(out.shape)))
    firsts = lib.autograd.grad((out * weights).sum(), inputs, create_graph=True)
    second_weights = [lib.tensor(np.random.default_rng(4 + i).standard_normal(tuple(g.shape)))
                      for i, g in enumerate(firsts)]
    total = sum((g * w).sum() for g, w in zip(firsts, second_weights))
    seconds = lib.autograd.grad(total, inputs, allow_unused=True)
    return [g.detach().numpy().copy() for g in firsts], [None if g is None else g.numpy().copy() for g in seconds]


@pytest.mark.parametrize("name, fn, specs", SECOND_ORDER, ids=[name for name, _, _ in SECOND_ORDER])
def test_second_derivatives(name, fn, specs):
    rng = np.random.default_rng(zlib.crc32(name.encode()))
    arrays = [_array(spec, rng) for spec in specs]
    firsts_t, seconds_t = _second_derivatives(torch, fn, arrays)
    firsts_m, seconds_m = _second_derivatives(minigrad, fn, arrays)
    for mine, theirs in zip(firsts_m + seconds_m, firsts_t + seconds_t):
        if theirs is None:  # PyTorch: the gradient does not depend on this input at all
            assert mine is None or np.allclose(mine, 0)
        else:
            np.testing.assert_allclose(mine, theirs, rtol=1e-9, atol=1e-12)


SNIPPETS = {
    # dtypes and values outside float64
    "float ops on integers": "a = torch.tensor([1, -2, 3])\n"
                             "for f in ['exp', 'log', 'sqrt', 'sin', 'cos', 'tanh', 'sigmoid']:\n"
                             "    print(f, getattr(a, f)())",
    "float ops on bools": "b = torch.tensor([True, False])\nprint(b.exp(), b.sigmoid(), b.square())",
    "abs, relu, square keep integers": "a = torch.tensor([1, -2, 3])\nprint(a.abs(), a.relu(), a.square(), abs(a))",
    "abs of bool": "torch.tensor([True]).abs()",
    "relu of bool": "torch.tensor([True]).relu()",
    "float32 results": "x = torch.tensor([0.5, -1.5, 2.0])\n"
                       "print(x.exp(), x.sigmoid(), x.tanh(), x.abs().sqrt(), x.norm(), x.softmax(0))",
    "log and sqrt outside the domain": "x = torch.tensor([-1., 0., 1.])\nprint(x.log(), x.sqrt())",
    "sigmoid saturates": "print(torch.tensor([-1000., 1000.]).sigmoid())",
    # clamp
    "clamp with no bounds": "torch.tensor([1.]).clamp()",
    "clamp integers with a float bound": "print(torch.tensor([1, 2, 3]).clamp(min=1.5))",
    "clamp integers with int bounds": "print(torch.tensor([1, 2, 3]).clamp(0, 2))",
    "clamp bools": "print(torch.tensor([True, False]).clamp(min=0))",
    "clamp nan": "print(torch.tensor([float('nan'), 1.]).clamp(0, 0.5))",
    "clamp with nan bound": "print(torch.tensor([1., 2.]).clamp(min=float('nan')))",
    "clamp tensor and number": "x = torch.tensor([1., -2., 3.])\nprint(x.clamp(min=torch.tensor(0.), max=1.))",
    "clamp grad tensor and number": "x = torch.tensor([1., -2., 3.])\n"
                                    "m = torch.tensor(0., requires_grad=True)\ntorch.clamp(x, m, 1.)",
    "clamp number and 1-d tensor": "torch.clamp(torch.ones(2), 0., torch.ones(2))",
    "clamp with a string": "torch.clamp(torch.ones(2), 'a')",
    "clamp integers with tensor bound": "print(torch.tensor([1, 2, 3]).clamp(min=torch.tensor([0.5, 2.5, 3.5])))",
    "clamp tensor bounds next_functions": "x = torch.tensor([1., -2.], requires_grad=True)\n"
                                          "y = x.clamp(max=torch.tensor([0., 0.], requires_grad=True))\n"
                                          "print(y.grad_fn.name(), [(n is None) for n, _ in y.grad_fn.next_functions])",
    "clamp broadcast error": "torch.ones(2, 3).clamp(torch.ones(3), torch.ones(4))",
    "clamp_ and clip_": "x = torch.tensor([1., -2., 3.])\nx.clamp_(0, 2)\nx.clip_(max=1)\nprint(x, x._version)",
    "clamp_min and clamp_max": "x = torch.tensor([1., -2., 3.], requires_grad=True)\n"
                               "print(x.clamp_min(0), x.clamp_max(torch.tensor(2.)))",
    # masked_fill and where
    "masked_fill int with float": "a = torch.tensor([1, -2, 3])\nprint(a.masked_fill(a > 0, 1.5))",
    "masked_fill with a long mask": "torch.tensor([1., 2.]).masked_fill(torch.tensor([1, 0]), 0.)",
    "masked_fill with a float mask": "torch.tensor([1., 2.]).masked_fill(torch.tensor([1., 0.]), 0.)",
    "masked_fill with a list mask": "torch.masked_fill(torch.ones(2), [True, False], 0.)",
    "masked_fill with a string value": "x = torch.ones(2)\ntorch.masked_fill(x, x > 0, 'a')",
    "masked_fill with a 1-d value": "x = torch.tensor([1., 2.])\nx.masked_fill(x > 0, torch.tensor([1., 2.]))",
    "masked_fill shape mismatch": "torch.ones(3).masked_fill(torch.ones(2, dtype=torch.bool), 1.)",
    "masked_fill broadcasts the input": "print(torch.zeros(3).masked_fill(torch.tensor([[True], [False]]), 1.))",
    "masked_fill_ in place": "x = torch.tensor([1., 2., 3.])\nx.masked_fill_(x > 1, 0.)\nprint(x, x._version)",
    "masked_fill value dtypes": "x = torch.tensor([1., 2.])\n"
                                "print(x.masked_fill(x > 1, torch.tensor(5)), "
                                "x.masked_fill(x > 1, torch.tensor(2.5, dtype=torch.float64)))",
    "masked_fill next_functions": "x = torch.tensor([1., 2.], requires_grad=True)\n"
                                  "v = torch.tensor(0.5, dtype=torch.float64, requires_grad=True)\n"
                                  "y = x.masked_fill(x > 1, v)\ny.sum().backward()\n"
                                  "print(y, [(n is None) for n, _ in y.grad_fn.next_functions], v.grad, x.grad)",
    "where with numbers only": "c = torch.tensor([True, False])\n"
                               "print(torch.where(c, 1., 0.), torch.where(c, 1, 0), torch.where(c, True, False))",
    "where promotes": "c = torch.tensor([True, False])\n"
                      "print(torch.where(c, torch.tensor([1, 2]), 0.5), "
                      "torch.where(c, torch.ones(2), torch.zeros(2, dtype=torch.float64)))",
    "where with a float condition": "x = torch.ones(2)\ntorch.where(x, x, x)",
    "where shape mismatch": "torch.where(torch.ones(2, dtype=torch.bool), torch.ones(3), torch.ones(3))",
    "where with a condition only": "print(torch.where(torch.tensor([[True, False], [False, True]])), "
                                   "torch.where(torch.tensor(True)))",
    "where next_functions": "x = torch.tensor([1., -2.], requires_grad=True)\n"
                            "y = torch.where(x > 0, 2., x)\nprint(y, [(n is None) for n, _ in y.grad_fn.next_functions])",
    # maximum / max / argmax
    "maximum with a number": "torch.maximum(torch.ones(2), 2)",
    "maximum method with a number": "torch.ones(2).maximum(2)",
    "maximum of a number": "torch.maximum(2, torch.ones(2))",
    "maximum promotes and keeps nan": "print(torch.maximum(torch.tensor([1, 5]), torch.tensor([2.5, float('nan')])))",
    "maximum of integers and bools": "print(torch.minimum(torch.tensor([1, 5]), torch.tensor([3, 2])), "
                                     "torch.maximum(torch.tensor([True, False]), torch.tensor([False, False])))",
    "maximum shape mismatch": "torch.maximum(torch.ones(3), torch.ones(1, 2))",
    "max named tuple": "r = torch.tensor([[1., 5.], [7., 2.]]).max(1)\nprint(r)\nv, i = r\n"
                       "print(v, i, r.values, r.indices, r[0], len(r), isinstance(r, tuple))",
    "min named tuple keepdim": "print(torch.tensor([[1., 5.], [7., 2.]]).min(dim=0, keepdim=True))",
    "max of integers and bools": "print(torch.tensor([3, 9, 2]).max(), torch.tensor([True, False]).max(), "
                                 "torch.tensor([3, 9, 2]).min(0))",
    "max with nan": "x = torch.tensor([1., float('nan'), 3.])\nprint(x.max(), x.max(0), x.argmax(), x.min(), x.argmin())",
    "max of empty": "torch.zeros(0).max()",
    "min of empty": "torch.zeros(0).min()",
    "max over an empty dim": "torch.zeros(0, 3).max(0)",
    "max over a non-empty dim of an empty tensor": "print(torch.zeros(0, 3).max(1))",
    "max dim out of range": "torch.ones(3).max(1)",
    "max with a number is a dim": "torch.ones(3).max(2)",
    "max with a tuple": "torch.max(torch.ones(3), (0,))",
    "max with a float": "torch.max(torch.ones(3), 1.5)",
    "max with keepdim only": "torch.min(torch.ones(3), keepdim=True)",
    "max of 0-d along dim": "print(torch.tensor(4.).max(0), torch.tensor(4.).argmax(0))",
    "argmax": "x = torch.tensor([[1., 7., 7.], [9., 0., 9.]])\n"
              "print(x.argmax(), x.argmax(1), x.argmax(0, keepdim=True), x.argmax(keepdim=True), torch.argmin(x, 1))",
    "argmax of bools": "torch.tensor([True, False]).argmax()",
    "argmin of bools": "torch.tensor([True, False]).argmin(0)",
    "argmax of empty": "torch.zeros(0).argmax()",
    "argmax over an empty dim": "torch.zeros(0, 3).argmax(0)",
    "argmax dim out of range": "torch.ones(2, 3).argmax(2)",
    # norm
    "norm of integers": "torch.tensor([1, 2]).norm()",
    "norm with an integer dtype": "torch.tensor([1., 2.]).norm(dtype=torch.long)",
    "norm dtype": "x = torch.tensor([3., 4.], requires_grad=True)\ny = x.norm(dtype=torch.float64)\n"
                  "y.backward()\nprint(y, x.grad, [n.name() for n, _ in y.grad_fn.next_functions])",
    "norm orders": "x = torch.tensor([3., 0., -1.], dtype=torch.float64)\n"
                   "print([x.norm(p).item() for p in [0, 1, 2, 3, 0.5, -1, float('inf'), float('-inf')]])",
    "norm p=0 has no gradient": "x = torch.tensor([3., 0.], requires_grad=True)\nx.norm(0).backward()\nprint(x.grad)",
    "norm of an unknown order": "torch.ones(2, 2).norm('abc')",
    "norm fro over 3 dims": "torch.ones(2, 2, 2).norm('fro', dim=(0, 1, 2))",
    "norm nuc of a vector": "torch.ones(2).norm('nuc')",
    "norm repeated dim": "torch.ones(2, 2).norm(dim=(0, 0))",
    "norm with a dtype narrower than the input's": "torch.ones(2, dtype=torch.float64).norm(dtype=torch.float32)",
    "norm with a wider dtype": "print(torch.ones(2).norm(dtype=torch.float64))",
    "a 0-d tensor's dim twice": "torch.tensor(1.).norm(dim=(0, -1))",
    "a 0-d tensor's dim twice, in a sum, a logsumexp, a var":
        "for f in (lambda x: x.sum((0, -1)), lambda x: x.logsumexp((0, 0)), lambda x: x.var((-1, 0))):\n"
        "    try:\n        f(torch.tensor(1.))\n    except RuntimeError as error:\n        print(error)",
    "a 0-d tensor's dims out of range before repeated": "torch.tensor(1.).sum((0, 5))",
    "norm inf of empty": "torch.zeros(0).norm(float('inf'))",
    "norm -inf over an empty dim": "torch.zeros(0, 2).norm(float('-inf'), dim=0)",
    "norm of empty": "print(torch.zeros(0).norm(), torch.zeros(0, 2).norm(float('inf'), dim=1))",
    "norm keepdim and dims": "x = torch.ones(2, 3)\nprint(x.norm(keepdim=True), x.norm(dim=-1), x.norm(p=1, dim=[0, 1]))",
    # softmax
    "softmax without dim": "torch.ones(2).softmax()",
    "torch.softmax without dim": "torch.softmax(torch.ones(2))",
    "softmax of integers": "torch.tensor([1, 2]).softmax(0)",
    "softmax of integers, not the last dim": "torch.ones(2, 2, dtype=torch.long).softmax(0)",
    "log_softmax of integers": "torch.tensor([1, 2]).log_softmax(0)",
    "softmax with dtype": "x = torch.tensor([1., 2.], requires_grad=True)\ny = x.softmax(0, dtype=torch.float64)\n"
                          "print(y, [n.name() for n, _ in y.grad_fn.next_functions])\n"
                          "print(torch.tensor([1, 2]).log_softmax(0, dtype=torch.float64))",
    "softmax dim out of range": "torch.ones(2).softmax(1)",
    "softmax extremes": "print(torch.tensor([1000., 0.]).softmax(0), torch.tensor([1000., 0.]).log_softmax(0), "
                        "torch.tensor([float('-inf'), float('-inf')]).softmax(0), "
                        "torch.tensor([float('-inf'), 0.]).log_softmax(0))",
    "softmax of 0-d and empty": "print(torch.tensor(2.).softmax(0), torch.tensor(2.).log_softmax(-1), "
                                "torch.zeros(0, 3).softmax(0))",
    # matrix products
    "matmul shape errors": "A = torch.ones(2, 3)\nfor f in [lambda: A @ A, lambda: torch.ones(3) @ torch.ones(4), "
                           "lambda: A @ torch.ones(2), lambda: torch.ones(2) @ torch.ones(3, 4), "
                           "lambda: torch.ones(5, 2, 3) @ torch.ones(5, 2, 3), lambda: torch.ones(5, 2, 3) @ A, "
                           "lambda: torch.ones(4, 2, 3) @ torch.ones(5, 3, 4), "
                           "lambda: torch.ones(2, 3, 2, 3) @ torch.ones(4, 3, 2), "
                           "lambda: torch.ones(2, 2, 3) @ torch.ones(4), lambda: torch.ones(4) @ torch.ones(2, 2, 3), "
                           "lambda: torch.ones(4, requires_grad=True) @ torch.ones(2, 2, 3), "
                           "lambda: torch.ones(2, 3) @ torch.ones(2, 4, 2), "
                           "lambda: torch.ones(2, 2, 2, 3) @ torch.ones(4)]:\n"
                           "    try:\n        f()\n    except RuntimeError as e:\n        print(e)",
    "matmul of 0-d": "torch.tensor(2.) @ torch.ones(3)",
    "matmul with 0-d right": "torch.ones(3) @ torch.tensor(2.)",
    "matmul with a number": "torch.ones(3) @ 2",
    "number matmul": "2 @ torch.ones(3)",
    "list matmul": "[1., 2., 3.] @ torch.ones(3)",
    "numpy array matmul": "import numpy as np\nnp.ones(3) @ torch.ones(3)",
    "matmul method with a number": "torch.ones(3).matmul(2)",
    "torch.matmul with a number": "torch.matmul(torch.ones(3), 2)",
    "mm with a number": "torch.ones(2, 2).mm(2)",
    "products with a number": "for f in [lambda: torch.mm(torch.ones(2, 2), 2), lambda: torch.mv(torch.ones(2, 2), 2), "
                              "lambda: torch.ones(2).dot(2), lambda: torch.dot(torch.ones(2), 2), "
                              "lambda: torch.bmm(torch.ones(1, 2, 2), 2), lambda: torch.ones(2, 2).mv(2)]:\n"
                              "    try:\n        f()\n    except TypeError as e:\n        print(e)",
    "matmul dtype errors": "for f in [lambda: torch.ones(3) @ torch.ones(3, dtype=torch.float64), "
                           "lambda: torch.ones(2, 3) @ torch.ones(3, 2, dtype=torch.float64), "
                           "lambda: torch.ones(2, 3) @ torch.ones(3, dtype=torch.float64), "
                           "lambda: torch.ones(2, 3, dtype=torch.float64) @ torch.ones(3), "
                           "lambda: torch.ones(2, 2, 3, dtype=torch.float64) @ torch.ones(2, 3, 2), "
                           "lambda: torch.ones(3) @ torch.ones(3, 2, dtype=torch.float64), "
                           "lambda: torch.ones(2, 2, 3) @ torch.ones(3, 2, dtype=torch.float64), "
                           "lambda: torch.ones(2, 2, 3) @ torch.ones(3, dtype=torch.float64)]:\n"
                           "    try:\n        f()\n    except RuntimeError as e:\n        print(e)",
    "mm, mv, dot, bmm errors": "for f in [lambda: torch.ones(3).mm(torch.ones(3, 2)), "
                               "lambda: torch.ones(2, 3).mm(torch.ones(3)), "
                               "lambda: torch.ones(2, 2, 3).mm(torch.ones(3, 2)), "
                               "lambda: torch.ones(2, 3).mm(torch.ones(2, 3)), "
                               "lambda: torch.ones(2, 3, dtype=torch.int32).mm(torch.ones(3, 3, dtype=torch.long)), "
                               "lambda: torch.ones(2, 3).dot(torch.ones(3)), "
                               "lambda: torch.ones(3).dot(torch.ones(2, 3)), "
                               "lambda: torch.ones(3).dot(torch.ones(2, dtype=torch.float64)), "
                               "lambda: torch.ones(2, 3).mv(torch.ones(2, 3)), "
                               "lambda: torch.ones(3).mv(torch.ones(3)), "
                               "lambda: torch.ones(2, 3).mv(torch.ones(2)), "
                               "lambda: torch.ones(2, 3).bmm(torch.ones(2, 3, 3)), "
                               "lambda: torch.ones(2, 2, 3).bmm(torch.ones(2, 3)), "
                               "lambda: torch.ones(2, 2, 3).bmm(torch.ones(3, 3, 3)), "
                               "lambda: torch.ones(2, 2, 3).bmm(torch.ones(2, 3, 3, dtype=torch.float64))]:\n"
                               "    try:\n        f()\n    except RuntimeError as e:\n        print(e)",
    "products of bools": "for f in [lambda: torch.ones(2, 2, dtype=torch.bool).mm(torch.ones(2, 2, dtype=torch.bool)), "
                         "lambda: torch.ones(2, dtype=torch.bool).dot(torch.ones(2, dtype=torch.bool)), "
                         "lambda: torch.ones(2, 2, dtype=torch.bool).mv(torch.ones(2, dtype=torch.bool)), "
                         "lambda: torch.ones(1, 2, 2, dtype=torch.bool).bmm(torch.ones(1, 2, 2, dtype=torch.bool))]:\n"
                         "    try:\n        f()\n    except NotImplementedError as e:\n        print(e)",
    "integer products": "a = torch.tensor([[1, 2], [3, 4]])\n"
                        "print(a @ a, a @ a[0], a[0] @ a[1], a.int().mm(a.int()), "
                        "torch.ones(2, 2, 3, dtype=torch.long) @ torch.ones(3, 2, dtype=torch.long))",
    "matmul of empty": "print(torch.ones(0) @ torch.ones(0), torch.ones(2, 0) @ torch.ones(0, 3))",
    "1-d @ 2-d is not a view": "x = torch.ones(3, requires_grad=True)\ny = x @ torch.ones(3, 2)\n"
                               "print(y._base is None, y.grad_fn.name())",
    # comparisons
    "comparisons": "x = torch.tensor([1., -2., 3.])\ni = torch.tensor([1, 2, 3])\n"
                   "print(x == 1, x != i, x > 0, x < i, x >= 3, x <= -2, 1 < x, 2 == x, i > 1.5)",
    "comparison functions": "x = torch.tensor([1., -2., 3.])\n"
                            "print(torch.eq(x, 1), torch.ne(x, x), torch.gt(x, 0), x.lt(0), x.ge(x), x.le(1))",
    "comparisons give no grad_fn": "x = torch.tensor([1., -2.], requires_grad=True)\nprint(x > 0, (x > 0).requires_grad)",
    "comparisons with nan and bools": "n = torch.tensor(float('nan'))\nb = torch.tensor([True, False])\n"
                                      "print(n == n, n != n, b == 1, b > 0)",
    "comparison broadcast error": "torch.ones(3) == torch.ones(2)",
    "comparison broadcasts": "print(torch.tensor([[1.], [2.]]) < torch.tensor([1., 2., 3.]))",
    "== with other objects": "x = torch.tensor([1., 2.])\nprint(x == None, x != None, x == 'a', x == [1., 2.])",
    "< with None": "torch.tensor([1.]) < None",
    "eq with a string": "torch.eq(torch.tensor([1.]), 'a')",
    "all and any": "x = torch.tensor([[1., 0.], [1., 1.]])\n"
                   "print(x.all(), x.any(), x.all(1), x.any(0), x.all(1, keepdim=True), torch.all(x, dim=(0, 1)), "
                   "x.any(dim=(0,)))",
    "all and any of uint8, empty and nan": "print(torch.tensor([1, 2], dtype=torch.uint8).all(), "
                                           "torch.zeros(0).any(), torch.zeros(0).all(), "
                                           "torch.tensor([float('nan')]).all())",
    "all dim out of range": "torch.ones(3).all(3)",
    "equal": "x = torch.tensor([1., 2.])\nprint(torch.equal(x, x.clone()), torch.equal(x, torch.zeros(3)), "
             "torch.equal(x, x.double()), torch.equal(torch.tensor([1, 2]), x), "
             "torch.equal(torch.tensor([float('nan')]), torch.tensor([float('nan')])), x.equal(x * 2), "
             "torch.equal(torch.ones(1), torch.ones(3)))",
    "equal with a number": "torch.equal(torch.ones(2), 1)",
    "allclose": "x = torch.tensor([1., 2.])\n"
                "print(torch.allclose(x, x + 1e-9), torch.allclose(x, x + 1e-3), x.allclose(x + 1e-3, 1e-2, 1e-2), "
                "torch.allclose(torch.tensor([1, 2]), torch.tensor([1, 2])), "
                "torch.allclose(torch.ones(1), torch.ones(3)), "
                "torch.allclose(torch.tensor([float('nan')]), torch.tensor([float('nan')])), "
                "torch.allclose(torch.tensor([float('nan')]), torch.tensor([float('nan')]), equal_nan=True), "
                "torch.allclose(torch.tensor([float('inf')]), torch.tensor([float('inf')])))",
    "allclose dtype mismatch": "torch.allclose(torch.ones(2), torch.ones(2, dtype=torch.float64))",
    "allclose int and float": "torch.allclose(torch.ones(2, dtype=torch.long), torch.ones(2))",
    "allclose shape mismatch": "torch.allclose(torch.ones(2), torch.ones(3))",
    "allclose with a number": "torch.allclose(torch.ones(2), 1.)",
    # in place
    "in-place elementwise methods": "x = torch.tensor([0.5, -1.5, 2.])\ny = x * 1\n"
                                    "for f in ['exp_', 'sigmoid_', 'tanh_', 'sin_', 'cos_', 'abs_', 'sqrt_', 'log_', "
                                    "'relu_', 'square_']:\n    getattr(y, f)()\n    print(f, y, y._version)",
    "in-place on a non-leaf records the op": "x = torch.tensor([0.5, -1.5], requires_grad=True)\ny = x * 1\n"
                                             "y.tanh_()\nprint(y.grad_fn.name(), y._version)\ny.sum().backward()\n"
                                             "print(x.grad)",
    "exp_ of integers": "torch.tensor([1, 2]).exp_()",
    "relu_ and clamp_ of integers": "a = torch.tensor([1, -2, 3])\na.relu_()\na.clamp_(min=2)\nprint(a)",
    "saved output modified: relu": "x = torch.tensor([1., -2.], requires_grad=True)\ny = x.relu()\ny.mul_(2)\n"
                                   "y.sum().backward()",
    "saved output modified: sqrt": "x = torch.tensor([1., 2.], requires_grad=True)\ny = x.sqrt()\ny.add_(1)\n"
                                   "y.sum().backward()",
    "saved output modified: softmax": "x = torch.tensor([1., 2.], requires_grad=True)\ny = x.softmax(0)\n"
                                      "z = y * 1\ny.add_(1)\nz.sum().backward()",
    "saved output modified: norm": "x = torch.tensor([1., 2.], requires_grad=True)\ny = x.norm()\ny.add_(1)\n"
                                   "y.backward()",
    "saved input modified: mm": "a = torch.ones(2, 2, requires_grad=True)\nb = a * 1\nc = b @ b\nb.add_(1)\n"
                                "c.sum().backward()",
    # mixed dtypes: an input's gradient has the input's dtype
    "gradient dtypes follow the inputs": "x = torch.ones(2, requires_grad=True)\n"
                                         "y = torch.ones(2, dtype=torch.float64, requires_grad=True)\n"
                                         "s = torch.tensor(2., dtype=torch.float64, requires_grad=True)\n"
                                         "(torch.maximum(x, y) + torch.where(x > 0, x, y) + x * s).sum().backward()\n"
                                         "print(x.grad, y.grad, s.grad)",
    "repr of grad_fn results": "x = torch.tensor([[1., -2.], [3., 4.]], requires_grad=True)\n"
                               "print(x.exp(), x.relu(), x.max(), x.max(1), x.norm(), x @ x, x.clamp(0, 1))",
}


@pytest.mark.parametrize("code", list(SNIPPETS.values()), ids=list(SNIPPETS))
def test_snippet_prints_and_raises_as_pytorch(code):
    assert_same_outcome(code, torch, minigrad)


# Integers and halves. (PyTorch's float32 functions are not always the nearest float32: exp(3.75), sigmoid(-7.5)
# and sin or cos of a few quarters are one unit in the last place away from it; minigrad's are the nearest.)
FLOAT32_VALUES = np.concatenate([np.arange(-10, 11), np.arange(-5, 5.01, 0.5)]).astype(np.float32)


@pytest.mark.parametrize("name", ["exp", "tanh", "sigmoid"])
def test_float32_values_learners_print_match_pytorch_to_the_last_bit(name):
    mine = getattr(minigrad.tensor(FLOAT32_VALUES), name)().numpy()
    theirs = getattr(torch.tensor(FLOAT32_VALUES), name)().numpy()
    assert mine.view(np.uint32).tolist() == theirs.view(np.uint32).tolist()


def test_float32_log_of_exp_matches_pytorch_to_the_last_bit():
    values = np.arange(1, 21, dtype=np.float32)
    mine = minigrad.tensor(values).exp().log().numpy()
    theirs = torch.tensor(values).exp().log().numpy()
    assert mine.view(np.uint32).tolist() == theirs.view(np.uint32).tolist()
