"""minigrad.optim without PyTorch: each update rule against a numpy transcription of its formula, the in-place
bookkeeping (versions, events, no graph), param groups and PyTorch's errors. The 20-step comparisons with real
PyTorch are in tests/parity/test_nn_parity.py."""
import warnings

import numpy as np
import pytest

import minigrad as torch
from minigrad import events, nn, optim


def quadratic_grads(params, targets):
    """Set p.grad to the gradient of Σ (p - target)² · (index + 1), a different gradient for every element."""
    for p, target in zip(params, targets):
        weights = np.arange(1, p.numel() + 1, dtype=np.float64).reshape(p.shape)
        loss = (((p - torch.tensor(target)) ** 2) * torch.tensor(weights)).sum()
        loss.backward()


def run(optimizer_class, steps=5, **options):
    """Run ``steps`` steps on two float64 parameters; return their values after each step."""
    rng = np.random.default_rng(0)
    starts = [rng.standard_normal((2, 3)), rng.standard_normal(4)]
    targets = [rng.standard_normal((2, 3)), rng.standard_normal(4)]
    params = [torch.tensor(s, requires_grad=True) for s in starts]
    optimizer = optimizer_class(params, **options)
    history = []
    for _ in range(steps):
        optimizer.zero_grad()
        quadratic_grads(params, targets)
        optimizer.step()
        history.append([p.detach().numpy().copy() for p in params])
    return starts, targets, history


def numpy_gradient(p, target):
    return 2 * (p - target) * np.arange(1, p.size + 1).reshape(p.shape)


def sgd_reference(starts, targets, steps, lr, momentum=0, dampening=0, weight_decay=0, nesterov=False,
                  maximize=False):
    """SGD as the PyTorch documentation writes it."""
    params, buffers, history = [s.copy() for s in starts], [None] * len(starts), []
    for _ in range(steps):
        for i, (p, target) in enumerate(zip(params, targets)):
            g = numpy_gradient(p, target)
            g = -g if maximize else g
            g = g + weight_decay * p
            if momentum:
                buffers[i] = g.copy() if buffers[i] is None else momentum * buffers[i] + (1 - dampening) * g
                g = g + momentum * buffers[i] if nesterov else buffers[i]
            params[i] = p - lr * g
        history.append([p.copy() for p in params])
    return history


def adam_reference(starts, targets, steps, lr=1e-3, betas=(0.9, 0.999), eps=1e-8, weight_decay=0, amsgrad=False,
                   maximize=False, decoupled_weight_decay=False):
    """Adam (and AdamW when the weight decay is decoupled) as the PyTorch documentation writes it."""
    beta1, beta2 = betas
    params, history = [s.copy() for s in starts], []
    m = [np.zeros_like(s) for s in starts]
    v = [np.zeros_like(s) for s in starts]
    v_max = [np.zeros_like(s) for s in starts]
    for t in range(1, steps + 1):
        for i, (p, target) in enumerate(zip(params, targets)):
            g = numpy_gradient(p, target)
            g = -g if maximize else g
            if decoupled_weight_decay:
                p = p * (1 - lr * weight_decay)
            else:
                g = g + weight_decay * p
            m[i] = beta1 * m[i] + (1 - beta1) * g
            v[i] = beta2 * v[i] + (1 - beta2) * g * g
            v_max[i] = np.maximum(v_max[i], v[i])
            m_hat = m[i] / (1 - beta1 ** t)
            v_hat = (v_max[i] if amsgrad else v[i]) / (1 - beta2 ** t)
            params[i] = p - lr * m_hat / (np.sqrt(v_hat) + eps)
        history.append([p.copy() for p in params])
    return history


SGD_OPTIONS = [
    {"lr": 0.01},
    {"lr": 0.01, "momentum": 0.9},
    {"lr": 0.01, "momentum": 0.9, "dampening": 0.3},
    {"lr": 0.01, "momentum": 0.9, "nesterov": True},
    {"lr": 0.01, "weight_decay": 0.1},
    {"lr": 0.01, "momentum": 0.5, "weight_decay": 0.1, "maximize": True},
]


@pytest.mark.parametrize("options", SGD_OPTIONS, ids=str)
def test_sgd_follows_its_formula(options):
    starts, targets, history = run(optim.SGD, steps=6, **options)
    expected = sgd_reference(starts, targets, 6, **options)
    for got, want in zip(history, expected):
        for g, w in zip(got, want):
            np.testing.assert_allclose(g, w, rtol=1e-12, atol=1e-12)


ADAM_OPTIONS = [
    {},
    {"lr": 0.1, "betas": (0.8, 0.99)},
    {"lr": 0.1, "weight_decay": 0.1},
    {"lr": 0.1, "weight_decay": 0.1, "decoupled_weight_decay": True},
    {"lr": 0.1, "amsgrad": True},
    {"lr": 0.1, "eps": 1e-2, "maximize": True},
]


@pytest.mark.parametrize("options", ADAM_OPTIONS, ids=str)
def test_adam_follows_its_formula(options):
    starts, targets, history = run(optim.Adam, steps=6, **options)
    expected = adam_reference(starts, targets, 6, **options)
    for got, want in zip(history, expected):
        for g, w in zip(got, want):
            np.testing.assert_allclose(g, w, rtol=1e-10, atol=1e-12)


def test_adam_state_after_one_step():
    p = torch.tensor([1.0, -2.0], requires_grad=True)
    optimizer = optim.Adam([p], lr=0.1)
    (p * p).sum().backward()
    optimizer.step()
    state = optimizer.state[p]
    assert list(state) == ["step", "exp_avg", "exp_avg_sq"]
    assert state["step"].item() == 1.0 and state["step"].dtype is torch.float32
    np.testing.assert_allclose(state["exp_avg"].numpy(), [0.2, -0.4], rtol=1e-6)
    # the first step of Adam moves every element by lr (m̂ / sqrt(v̂) = g / |g|)
    np.testing.assert_allclose(p.detach().numpy(), [0.9, -1.9], rtol=1e-6)


def test_a_step_changes_parameters_in_place_and_records_no_graph():
    p = torch.tensor([1.0, 2.0], requires_grad=True)
    data, version = p._data, p._version
    optimizer = optim.SGD([p], lr=0.5, momentum=0.9)
    (p * p).sum().backward()
    optimizer.step()
    assert p._data is data and p._version == version + 1
    assert p.is_leaf and p.grad_fn is None and p.requires_grad
    assert p.tolist() == [0.0, 0.0]
    assert not optimizer.state[p]["momentum_buffer"].requires_grad
    assert torch.is_grad_enabled()


def test_step_emits_data_changed_for_each_parameter():
    params = [torch.tensor([1.0], requires_grad=True), torch.tensor([2.0], requires_grad=True)]
    optimizer = optim.Adam(params)
    sum(p * p for p in params).sum().backward()
    changed = []

    def listener(kind, subject):
        if kind == "data_changed":
            changed.append(subject)

    events.subscribe(listener)
    try:
        optimizer.step()
    finally:
        events.unsubscribe(listener)
    assert all(any(s is p for s in changed) for p in params)


def test_parameters_without_a_gradient_are_left_alone():
    used, unused = torch.tensor([1.0], requires_grad=True), torch.tensor([1.0], requires_grad=True)
    optimizer = optim.Adam([used, unused], lr=0.1)
    (used * 2).sum().backward()
    optimizer.step()
    assert unused.tolist() == [1.0] and unused._version == 0 and len(optimizer.state[unused]) == 0
    assert used.tolist() != [1.0]


def test_zero_grad_sets_none_by_default_or_zeroes_in_place():
    p = torch.tensor([1.0, 2.0], requires_grad=True)
    optimizer = optim.SGD([p], lr=0.1)
    (p * 3).sum().backward()
    grad = p.grad
    optimizer.zero_grad(set_to_none=False)
    assert p.grad is grad and grad.tolist() == [0.0, 0.0]
    optimizer.zero_grad()
    assert p.grad is None


def test_param_groups_have_their_own_settings():
    a, b = torch.tensor([1.0], requires_grad=True), torch.tensor([1.0], requires_grad=True)
    optimizer = optim.SGD([{"params": [a]}, {"params": b, "lr": 0.5}], lr=0.1, momentum=0.9)
    assert [g["lr"] for g in optimizer.param_groups] == [0.1, 0.5]
    assert optimizer.param_groups[1]["params"][0] is b and optimizer.param_groups[1]["momentum"] == 0.9
    (a + b).sum().backward()
    optimizer.step()
    np.testing.assert_allclose([a.item(), b.item()], [0.9, 0.5], rtol=1e-6)


def test_named_parameters_are_accepted():
    model = nn.Linear(2, 1)
    optimizer = optim.SGD(model.named_parameters(), lr=0.1)
    assert optimizer.param_groups[0]["param_names"] == ["weight", "bias"]
    assert optimizer.param_groups[0]["params"][0] is model.weight


def test_closure_is_evaluated_with_grad_enabled():
    p = torch.tensor([3.0], requires_grad=True)
    optimizer = optim.SGD([p], lr=0.25)

    def closure():
        optimizer.zero_grad()
        loss = (p * p).sum()
        loss.backward()
        return loss

    with torch.no_grad():
        loss = optimizer.step(closure)
    assert loss.item() == 9.0 and p.item() == 1.5


def test_repr_lists_the_settings_as_pytorch():
    optimizer = optim.SGD([torch.zeros(1, requires_grad=True)], lr=0.1)
    assert repr(optimizer) == ("SGD (\nParameter Group 0\n    dampening: 0\n    differentiable: False\n"
                               "    foreach: None\n    fused: None\n    lr: 0.1\n    maximize: False\n"
                               "    momentum: 0\n    nesterov: False\n    weight_decay: 0\n)")


@pytest.mark.parametrize("make, error, text", [
    (lambda: optim.SGD(torch.ones(2, requires_grad=True), lr=0.1), TypeError,
     "params argument given to the optimizer should be an iterable of Tensors or dicts, but got minigrad.FloatTensor"),
    (lambda: optim.SGD([], lr=0.1), ValueError, "optimizer got an empty parameter list"),
    (lambda: optim.SGD([torch.ones(2, requires_grad=True) * 2], lr=0.1), ValueError,
     "can't optimize a non-leaf Tensor"),
    (lambda: optim.SGD([1.0], lr=0.1), TypeError, "optimizer can only optimize Tensors, but one of the params is float"),
    (lambda: optim.SGD([torch.ones(1, requires_grad=True)], lr=-1), ValueError, "Invalid learning rate: -1"),
    (lambda: optim.SGD([torch.ones(1, requires_grad=True)], lr=0.1, nesterov=True), ValueError,
     "Nesterov momentum requires a momentum and zero dampening"),
    (lambda: optim.Adam([torch.ones(1, requires_grad=True)], betas=(1.0, 0.999)), ValueError,
     "Invalid beta parameter at index 0: 1.0"),
])
def test_errors_are_pytorch_texts(make, error, text):
    with pytest.raises(error) as caught:
        make()
    assert str(caught.value) == text


def test_a_refused_param_group_leaves_the_optimizer_unchanged():
    a = torch.ones(1, requires_grad=True)
    optimizer = optim.SGD([a], lr=0.1)
    group = {"params": [torch.ones(1, requires_grad=True), a]}
    with pytest.raises(ValueError, match="^some parameters appear in more than one parameter group$"):
        optimizer.add_param_group(group)
    assert len(optimizer.param_groups) == 1 and "lr" not in group


def test_duplicate_parameters_warn():
    a = torch.ones(1, requires_grad=True)
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        optim.SGD([a, a], lr=0.1)
    assert [str(w.message) for w in caught] == [
        "optimizer contains a parameter group with duplicate parameters; in future, this will cause an error; see "
        "github.com/pytorch/pytorch/issues/40967 for more information"]


@pytest.mark.parametrize("make", [
    lambda params: optim.SGD(params, lr=0.1, momentum=0.9),
    lambda params: optim.SGD(params, lr=0.1, momentum=0.9, nesterov=True, weight_decay=0.1),
    lambda params: optim.SGD(params, lr=0.1),
    lambda params: optim.Adam(params, lr=0.1),
    lambda params: optim.Adam(params, lr=0.1, amsgrad=True, weight_decay=0.1, decoupled_weight_decay=True),
], ids=["sgd-momentum", "sgd-nesterov", "sgd", "adam", "adamw-amsgrad"])
def test_a_failed_step_changes_nothing(make):
    """A gradient of the wrong shape makes step() raise; every parameter and every piece of state stays as it was,
    so once the gradient is fixed the next step is the first step (no momentum buffer of the wrong shape left)."""
    first, second = torch.zeros(2, requires_grad=True), torch.zeros(2, requires_grad=True)
    optimizer = make([first, second])
    for warm_up in range(2):  # state exists already, and a step after it fails
        first.grad, second.grad = torch.ones(2), torch.ones(2)
        if warm_up:
            second.grad.data = torch.ones(3)
            before = [(p.tolist(), p._version, p.grad.tolist()) for p in (first, second)]
            state = {id(p): {k: v.tolist() if isinstance(v, torch.Tensor) else v for k, v in s.items()}
                     for p, s in optimizer.state.items()}
            with pytest.raises(RuntimeError, match="must match the size of tensor b"):
                optimizer.step()
            assert [(p.tolist(), p._version, p.grad.tolist()) for p in (first, second)] == before
            assert {id(p): {k: v.tolist() if isinstance(v, torch.Tensor) else v for k, v in s.items()}
                    for p, s in optimizer.state.items()} == state
            second.grad = torch.ones(2)
        optimizer.step()
    assert first.tolist() == second.tolist()  # both took the same two steps


def test_a_failed_first_step_leaves_no_state():
    p = torch.zeros(2, requires_grad=True)
    optimizer = optim.SGD([p], lr=0.1, momentum=0.9)
    p.grad = torch.ones(2)
    p.grad.data = torch.ones(3)
    with pytest.raises(RuntimeError):
        optimizer.step()
    assert len(optimizer.state) == 0 and p.tolist() == [0.0, 0.0] and p._version == 0
    p.grad = torch.ones(2)
    optimizer.step()
    assert optimizer.state[p]["momentum_buffer"].tolist() == [1.0, 1.0]
