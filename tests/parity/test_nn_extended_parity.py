"""nn.functional's activations and losses learners meet after the tutorials, and dropout, against PyTorch 2.13:
values, graph node names, gradients (float64), the dropout mask after ``manual_seed``, module reprs, and
train()/eval()."""
import numpy as np
import pytest

torch = pytest.importorskip("torch")

import minigrad  # noqa: E402
from test_ops_parity import assert_same_run  # noqa: E402


def F(m):
    return m.nn.functional


OPS = [
    ("gelu", lambda m, a: F(m).gelu(a), [(3, 4)]),
    ("gelu tanh", lambda m, a: F(m).gelu(a * 3, approximate="tanh"), [(3, 4)]),
    ("leaky_relu", lambda m, a: F(m).leaky_relu(a), [(3, 4)]),
    ("leaky_relu slope", lambda m, a: F(m).leaky_relu(a, 0.3), [(3, 4)]),
    ("elu", lambda m, a: F(m).elu(a * 2), [(3, 4)]),
    ("elu alpha", lambda m, a: F(m).elu(a, alpha=0.5), [(3, 4)]),
    ("softplus", lambda m, a: F(m).softplus(a), [(3, 4)]),
    ("softplus beta threshold", lambda m, a: F(m).softplus(a * 10, beta=2.0, threshold=5.0), [(3, 4)]),
    ("silu", lambda m, a: F(m).silu(a), [(3, 4)]),
    ("binary_cross_entropy", lambda m, a, t: F(m).binary_cross_entropy(a.sigmoid(), t.sigmoid()), [(3, 4), (3, 4)]),
    ("binary_cross_entropy sum weight",
     lambda m, a, t, w: F(m).binary_cross_entropy(a.sigmoid(), t.sigmoid().detach(), weight=w.detach(),
                                                  reduction="sum"), [(3, 4), (3, 4), (4,)]),
    ("binary_cross_entropy none", lambda m, a, t: F(m).binary_cross_entropy(a.sigmoid(), t.sigmoid().detach(),
                                                                              reduction="none"), [(3, 4), (3, 4)]),
    ("bce with logits", lambda m, a, t: F(m).binary_cross_entropy_with_logits(a * 5, t.sigmoid()), [(3, 4), (3, 4)]),
    ("bce with logits pos_weight", lambda m, a, t, p: F(m).binary_cross_entropy_with_logits(
        a, t.sigmoid().detach(), pos_weight=p.abs().detach()), [(3, 4), (3, 4), (4,)]),
    ("bce with logits weight none", lambda m, a, t, w: F(m).binary_cross_entropy_with_logits(
        a, t.sigmoid().detach(), weight=w.detach(), reduction="none"), [(3, 4), (3, 4), (3, 1)]),
    ("l1_loss", lambda m, a, b: F(m).l1_loss(a, b), [(3, 4), (3, 4)]),
    ("l1_loss sum", lambda m, a, b: F(m).l1_loss(a, b, reduction="sum"), [(3, 4), (3, 4)]),
    ("smooth_l1_loss", lambda m, a, b: F(m).smooth_l1_loss(a * 2, b), [(3, 4), (3, 4)]),
    ("smooth_l1_loss beta none", lambda m, a, b: F(m).smooth_l1_loss(a, b, reduction="none", beta=0.5),
     [(3, 4), (3, 4)]),
    ("smooth_l1_loss beta 0", lambda m, a, b: F(m).smooth_l1_loss(a, b, beta=0.0), [(3, 4), (3, 4)]),
]


@pytest.mark.parametrize("name, fn, specs", OPS, ids=[o[0] for o in OPS])
def test_values_gradients_and_graph(name, fn, specs):
    assert_same_run(name, fn, specs)


@pytest.mark.parametrize("shape, p, dtype", [((20,), 0.5, "float32"), ((10, 100), 0.2, "float32"),
                                             ((3, 7), 0.9, "float64"), ((1,), 0.5, "float32"), ((), 0.3, "float64"),
                                             ((4, 5), 1.0, "float32")])
def test_dropout_mask_and_values_match_after_manual_seed(shape, p, dtype):
    results = []
    for lib in (torch, minigrad):
        lib.manual_seed(7)
        lib.rand(3)  # the generator has moved on before dropout draws
        x = lib.ones(shape, dtype=getattr(lib, dtype), requires_grad=True)
        y = lib.nn.functional.dropout(x, p)
        y.sum().backward()
        results.append((y.detach().numpy().copy(), x.grad.numpy().copy(), lib.rand(2).numpy().copy(),
                        y.grad_fn.name(), [(n.name() if n else None) for n, _ in y.grad_fn.next_functions]))
    (t_values, t_grad, t_next, t_node, t_edges), (m_values, m_grad, m_next, m_node, m_edges) = results
    np.testing.assert_array_equal(m_values, t_values)
    np.testing.assert_array_equal(m_grad, t_grad)
    np.testing.assert_array_equal(m_next, t_next)  # and the generator is left where PyTorch leaves it
    assert (m_node, m_edges) == (t_node, t_edges)


def test_train_and_eval_switch_dropout():
    outputs = []
    for lib in (torch, minigrad):
        lib.manual_seed(3)
        model = lib.nn.Sequential(lib.nn.Linear(4, 6), lib.nn.ReLU(), lib.nn.Dropout(0.5), lib.nn.Linear(6, 2))
        x = lib.ones(5, 4)
        trained = model(x).detach().numpy().copy()
        model.eval()
        evaluated = model(x).detach().numpy().copy()
        flags = [m.training for m in model.modules()]
        model.train()
        outputs.append((trained, evaluated, flags, model.training, repr(model)))
    (t_train, t_eval, t_flags, t_mode, t_repr), (m_train, m_eval, m_flags, m_mode, m_repr) = outputs
    np.testing.assert_allclose(m_train, t_train, rtol=1e-6, atol=1e-7)
    np.testing.assert_allclose(m_eval, t_eval, rtol=1e-6, atol=1e-7)
    assert (m_flags, m_mode, m_repr) == (t_flags, t_mode, t_repr)


MODULES = ["GELU()", "GELU('tanh')", "LeakyReLU()", "LeakyReLU(0.2, True)", "ELU()", "ELU(0.5, True)", "Softplus()",
           "Softplus(2.0, 10.0)", "SiLU()", "SiLU(True)", "Dropout()", "Dropout(0.2, True)", "BCELoss()",
           "BCEWithLogitsLoss()", "L1Loss()", "SmoothL1Loss()", "SmoothL1Loss(beta=0.5)", "L1Loss(reduction='sum')"]


@pytest.mark.parametrize("expression", MODULES)
def test_module_reprs(expression):
    assert repr(eval("minigrad.nn." + expression)) == repr(eval("torch.nn." + expression))


@pytest.mark.parametrize("module, args", [
    ("GELU", ()), ("LeakyReLU", (0.1,)), ("ELU", ()), ("Softplus", ()), ("SiLU", ()),
])
def test_activation_modules_compute_their_function(module, args):
    a = np.linspace(-3, 3, 12).reshape(3, 4)
    mine = getattr(minigrad.nn, module)(*args)(minigrad.tensor(a)).numpy()
    theirs = getattr(torch.nn, module)(*args)(torch.tensor(a)).numpy()
    np.testing.assert_allclose(mine, theirs, rtol=1e-12)


@pytest.mark.parametrize("module, inputs", [
    ("BCELoss", lambda lib: (lib.tensor([0.2, 0.9]), lib.tensor([0.0, 1.0]))),
    ("BCEWithLogitsLoss", lambda lib: (lib.tensor([-1.0, 2.0]), lib.tensor([0.0, 1.0]))),
    ("L1Loss", lambda lib: (lib.tensor([1.0, 2.0]), lib.tensor([0.0, 4.0]))),
    ("SmoothL1Loss", lambda lib: (lib.tensor([1.0, 2.0]), lib.tensor([0.5, 4.0]))),
])
def test_loss_modules(module, inputs):
    mine = getattr(minigrad.nn, module)()(*inputs(minigrad)).item()
    theirs = getattr(torch.nn, module)()(*inputs(torch)).item()
    assert mine == pytest.approx(theirs, rel=1e-6)


def test_one_hot():
    for values, classes in [([0, 2, 1], -1), ([[1], [0]], 3), ([], 4)]:
        mine = minigrad.nn.functional.one_hot(minigrad.tensor(values, dtype=minigrad.int64), classes)
        theirs = torch.nn.functional.one_hot(torch.tensor(values, dtype=torch.int64), classes)
        assert mine.tolist() == theirs.tolist() and mine.shape == tuple(theirs.shape)
        assert str(mine.dtype).split(".")[-1] == str(theirs.dtype).split(".")[-1]
