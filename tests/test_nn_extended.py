"""The nn and optim pieces learners reach for next: more activations and losses, dropout with train()/eval(),
one_hot, optimizer state_dict / load_state_dict and StepLR. Formulas against numpy and finite differences; PyTorch's
error texts (tests/parity/test_nn_extended_parity.py compares with PyTorch itself)."""
import math
import warnings

import numpy as np
import pytest

import minigrad as torch
import minigrad.nn.functional as F
from minigrad import nn, optim
from minigrad.autograd import gradcheck

X = np.linspace(-3, 3, 13)


def f64(values, requires_grad=True):
    return torch.tensor(np.asarray(values, dtype=np.float64), requires_grad=requires_grad)


@pytest.mark.parametrize("fn, reference", [
    (F.gelu, lambda x: x * 0.5 * (1 + np.vectorize(math.erf)(x / math.sqrt(2)))),
    (lambda x: F.gelu(x, approximate="tanh"),
     lambda x: 0.5 * x * (1 + np.tanh(math.sqrt(2 / math.pi) * (x + 0.044715 * x ** 3)))),
    (F.leaky_relu, lambda x: np.where(x > 0, x, 0.01 * x)),
    (lambda x: F.elu(x, 0.5), lambda x: np.where(x > 0, x, 0.5 * (np.exp(x) - 1))),
    (F.softplus, lambda x: np.log1p(np.exp(x))),
    (F.silu, lambda x: x / (1 + np.exp(-x))),
])
def test_activation_values_and_gradients(fn, reference):
    x = f64(X)
    np.testing.assert_allclose(fn(x).detach().numpy(), reference(X), rtol=1e-12, atol=1e-15)
    assert gradcheck(fn, (f64(X + 0.05),))


def test_inplace_activations():
    x = f64(X, requires_grad=False)
    assert F.leaky_relu(x, 0.1, inplace=True) is x and x._version == 1
    assert x.tolist() == pytest.approx(np.where(X > 0, X, 0.1 * X).tolist())


@pytest.mark.parametrize("loss, reference", [
    (lambda p, t: F.binary_cross_entropy(p.sigmoid(), t),
     lambda a, t: np.mean(-(t * np.log(1 / (1 + np.exp(-a))) + (1 - t) * np.log(1 - 1 / (1 + np.exp(-a)))))),
    (lambda x, t: F.binary_cross_entropy_with_logits(x, t),
     lambda a, t: np.mean(np.maximum(a, 0) - a * t + np.log1p(np.exp(-np.abs(a))))),
    (lambda x, t: F.l1_loss(x, t, reduction="sum"), lambda a, t: np.abs(a - t).sum()),
    (lambda x, t: F.smooth_l1_loss(x, t), lambda a, t: np.mean(np.where(np.abs(a - t) < 1, 0.5 * (a - t) ** 2,
                                                                         np.abs(a - t) - 0.5))),
])
def test_loss_values_and_gradients(loss, reference):
    rng = np.random.default_rng(0)
    a, t = rng.standard_normal((3, 4)) * 2, rng.uniform(0, 1, (3, 4))
    assert loss(f64(a), f64(t)).item() == pytest.approx(reference(a, t), rel=1e-12)
    assert gradcheck(loss, (f64(a), f64(t)))


def test_binary_cross_entropy_clamps_the_log_at_minus_100():
    assert F.binary_cross_entropy(torch.tensor([0.0]), torch.tensor([1.0])).item() == 100.0


@pytest.mark.parametrize("call, kind, text", [
    (lambda: F.dropout(torch.ones(2), 1.5), ValueError, "dropout probability has to be between 0 and 1, but got 1.5"),
    (lambda: nn.Dropout(-1), ValueError, "dropout probability has to be between 0 and 1, but got -1"),
    (lambda: F.binary_cross_entropy(torch.rand(3, 4), torch.rand(3)), ValueError,
     "Using a target size (minigrad.Size([3])) that is different to the input size (minigrad.Size([3, 4])) is "
     "deprecated. Please ensure they have the same size."),
    (lambda: F.binary_cross_entropy(torch.ones(2) * 3, torch.ones(2)), RuntimeError,
     "all elements of input should be between 0 and 1"),
    (lambda: F.binary_cross_entropy_with_logits(torch.rand(3, 4), torch.rand(3)), ValueError,
     "Target size (minigrad.Size([3])) must be the same as input size (minigrad.Size([3, 4]))"),
    (lambda: F.one_hot(torch.tensor([1.0])), RuntimeError,
     "one_hot is only applicable to index tensor of type LongTensor."),
    (lambda: F.one_hot(torch.tensor([-1])), RuntimeError, "Class values must be non-negative."),
    (lambda: F.one_hot(torch.tensor([3]), 2), RuntimeError, "Class values must be smaller than num_classes."),
    (lambda: F.one_hot(torch.tensor([], dtype=torch.int64)), RuntimeError,
     "Can not infer total number of classes from empty tensor."),
    (lambda: F.gelu(torch.ones(2), approximate="foo"), RuntimeError, "approximate argument must be either none or "
                                                                     "tanh."),
    (lambda: F.gelu(torch.tensor([1, 2])), NotImplementedError, "\"GeluKernelImpl\" not implemented for 'Long'"),
    (lambda: F.leaky_relu(torch.tensor([1, 2])), NotImplementedError,
     "\"leaky_relu_cpu\" not implemented for 'Long'"),
    (lambda: F.binary_cross_entropy(torch.rand(2), torch.rand(2), reduction="bad"), ValueError,
     "bad is not a valid value for reduction"),
])
def test_errors(call, kind, text):
    with pytest.raises(kind) as caught:
        call()
    assert str(caught.value) == text


def test_dropout_keeps_the_expected_value_and_is_off_in_eval():
    torch.manual_seed(0)
    x = torch.ones(100000)
    y = F.dropout(x, 0.3)
    kept = y.numpy() != 0
    assert abs(kept.mean() - 0.7) < 0.01
    np.testing.assert_allclose(y.numpy()[kept], 1 / 0.7, rtol=1e-6)
    assert F.dropout(x, 0.3, training=False) is x and F.dropout(x, 0.0) is x
    assert F.dropout(x, 1.0).sum().item() == 0.0
    layer = nn.Dropout(0.3)
    assert layer.eval()(x) is x and not layer.training
    assert layer.train()(x) is not x and layer.training


def test_dropout_gradient_goes_through_the_kept_elements():
    torch.manual_seed(1)
    x = torch.ones(50, requires_grad=True)
    y = F.dropout(x, 0.5)
    y.sum().backward()
    np.testing.assert_array_equal(x.grad.numpy(), y.detach().numpy())  # kept: 1/(1-p), dropped: 0
    assert y.grad_fn.name() == "MulBackward0"


def test_same_seed_same_mask():
    masks = []
    for _ in range(2):
        torch.manual_seed(42)
        masks.append(F.dropout(torch.ones(30), 0.5).numpy().copy())
    np.testing.assert_array_equal(*masks)


def _trained(optimizer_class, steps, **options):
    p = nn.Parameter(torch.tensor([1.0, -2.0, 3.0]))
    optimizer = optimizer_class([p], **options)
    for _ in range(steps):
        optimizer.zero_grad()
        (p ** 2).sum().backward()
        optimizer.step()
    return p, optimizer


@pytest.mark.parametrize("optimizer_class, options", [(optim.SGD, dict(lr=0.1, momentum=0.9)),
                                                      (optim.Adam, dict(lr=0.1))])
def test_state_dict_round_trip_resumes_training(optimizer_class, options):
    p, optimizer = _trained(optimizer_class, 3, **options)
    saved = optimizer.state_dict()
    assert saved["param_groups"][0]["params"] == [0] and set(saved["state"]) == {0}
    q = nn.Parameter(p.detach().clone())
    resumed = optimizer_class([q], lr=123.0)
    resumed.load_state_dict(saved)
    assert resumed.param_groups[0]["lr"] == options["lr"] and resumed.param_groups[0]["params"][0] is q
    for state in resumed.state[q].values():  # copies, not the same tensors
        assert all(state is not other for other in optimizer.state[p].values())
    for opt, param in ((optimizer, p), (resumed, q)):
        opt.zero_grad()
        (param ** 2).sum().backward()
        opt.step()
    assert q.tolist() == p.tolist()


def test_load_state_dict_that_does_not_fit_changes_nothing():
    p, optimizer = _trained(optim.SGD, 2, lr=0.1, momentum=0.9)
    other = optim.SGD([nn.Parameter(torch.ones(3)), nn.Parameter(torch.ones(1))], lr=0.5)
    before = (other.state_dict()["param_groups"], dict(other.state))
    with pytest.raises(ValueError, match="^loaded state dict contains a parameter group that doesn't match the size "
                                         "of optimizer's group$"):
        other.load_state_dict(optimizer.state_dict())
    with pytest.raises(ValueError, match="^loaded state dict has a different number of parameter groups$"):
        other.load_state_dict({"state": {}, "param_groups": []})
    assert (other.state_dict()["param_groups"], dict(other.state)) == before


def test_zero_grad_sets_to_none_by_default():
    p, optimizer = _trained(optim.SGD, 1, lr=0.1)
    optimizer.zero_grad()
    assert p.grad is None
    (p ** 2).sum().backward()
    optimizer.zero_grad(set_to_none=False)
    assert p.grad.tolist() == [0.0, 0.0, 0.0]


def test_step_lr():
    p = nn.Parameter(torch.ones(1))
    optimizer = optim.SGD([p], lr=1.0)
    scheduler = optim.lr_scheduler.StepLR(optimizer, step_size=2, gamma=0.5)
    rates = []
    for _ in range(6):
        p.grad = torch.ones(1)
        optimizer.step()
        scheduler.step()
        rates.append(scheduler.get_last_lr()[0])
    assert rates == [1.0, 0.5, 0.5, 0.25, 0.25, 0.125]
    assert optimizer.param_groups[0]["initial_lr"] == 1.0 and scheduler.last_epoch == 6
    state = scheduler.state_dict()
    assert "optimizer" not in state and state["last_epoch"] == 6
    fresh = optim.lr_scheduler.StepLR(optim.SGD([p], lr=1.0), step_size=2, gamma=0.5)
    fresh.load_state_dict(state)
    assert fresh.last_epoch == 6


def test_step_lr_before_optimizer_step_warns():
    optimizer = optim.SGD([nn.Parameter(torch.ones(1))], lr=1.0)
    scheduler = optim.lr_scheduler.StepLR(optimizer, step_size=1)
    with pytest.warns(UserWarning, match=r"^Detected call of `lr_scheduler.step\(\)` before `optimizer.step\(\)`"):
        scheduler.step()
    with pytest.raises(TypeError, match="^int is not an Optimizer$"):
        optim.lr_scheduler.StepLR(5, 1)
