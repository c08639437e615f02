"""Optimizer steps against PyTorch 2.13: for every option of SGD and Adam, the same parameter values after each
step, the same state (momentum buffers, averages, step counts) and the same version counters, on 0-d, 1-element,
vector and matrix parameters, in float32 and float64, with a parameter whose gradient is None on some steps and
one that never gets a gradient; and the same errors for a gradient that cannot update its parameter."""
import numpy as np
import pytest

torch = pytest.importorskip("torch")

import minigrad  # noqa: E402

SHAPES = [(), (1,), (3,), (2, 3)]
STEPS = 6


def trajectory(library, make_optimizer, dtype_name, steps=STEPS):
    """Values, versions and state after each step of ``make_optimizer(params)`` on a weighted quadratic plus a cube
    (a different gradient for every element); the matrix gets no gradient on odd steps, the last parameter never."""
    rng = np.random.default_rng(0)
    dtype = getattr(library, dtype_name)
    params = [library.tensor(rng.standard_normal(shape), dtype=dtype, requires_grad=True) for shape in SHAPES]
    unused = library.tensor(rng.standard_normal(2), dtype=dtype, requires_grad=True)
    targets = [library.tensor(rng.standard_normal(shape), dtype=dtype) for shape in SHAPES]
    optimizer = make_optimizer(library, params + [unused])
    history = []
    for step in range(steps):
        optimizer.zero_grad()
        used = params if step % 2 == 0 else params[:-1]
        loss = sum(((p - t) ** 2 * (i + 1) + 0.1 * p ** 3).sum() for i, (p, t) in enumerate(zip(used, targets)))
        loss.backward()
        optimizer.step()
        record = [(p.tolist(), p._version, p.grad is None) for p in params + [unused]]
        for p in params + [unused]:
            state = optimizer.state[p] if p in optimizer.state else {}
            record.append(sorted((key, value.tolist(), value._version, str(value.dtype).split(".")[-1])
                                 if hasattr(value, "tolist") else (key, value) for key, value in state.items()))
        history.append(record)
    return history


def assert_close(expected, actual, tolerance, where=""):
    """Nested values equal; floats up to ``tolerance`` (PyTorch may fuse a multiply-add and round once)."""
    if isinstance(expected, float):
        assert actual == pytest.approx(expected, rel=tolerance, abs=tolerance), where
    elif isinstance(expected, (list, tuple)):
        assert type(actual) is type(expected) and len(actual) == len(expected), (where, expected, actual)
        for index, (e, a) in enumerate(zip(expected, actual)):
            assert_close(e, a, tolerance, f"{where}[{index}]")
    else:
        assert actual == expected, (where, expected, actual)


SGD_OPTIONS = [
    {"lr": 0.05}, {"lr": 0.05, "momentum": 0.9}, {"lr": 0.05, "momentum": 0.9, "dampening": 0.3},
    {"lr": 0.05, "momentum": 0.9, "nesterov": True}, {"lr": 0.05, "weight_decay": 0.1},
    {"lr": 0.05, "maximize": True}, {"lr": 0.05, "weight_decay": 0.1, "maximize": True},
    {"lr": 0.05, "momentum": 0.5, "weight_decay": 0.1, "maximize": True},
    {"lr": 0.05, "momentum": 0.9, "nesterov": True, "weight_decay": 0.01, "maximize": True},
    {"lr": 0.05, "momentum": 0.9, "dampening": 0.5, "weight_decay": 0.2}, {"lr": 0.0, "momentum": 0.9},
]
ADAM_OPTIONS = [
    {}, {"lr": 0.1, "betas": (0.8, 0.99)}, {"lr": 0.1, "betas": (0.3, 0.9)}, {"lr": 0.1, "weight_decay": 0.1},
    {"lr": 0.1, "weight_decay": 0.1, "decoupled_weight_decay": True}, {"lr": 0.1, "amsgrad": True},
    {"lr": 0.1, "eps": 1e-2, "maximize": True},
    {"lr": 0.05, "amsgrad": True, "weight_decay": 0.1, "decoupled_weight_decay": True, "maximize": True},
    {"lr": 0.05, "amsgrad": True, "weight_decay": 0.1},
]
CASES = ([("SGD", options) for options in SGD_OPTIONS] + [("Adam", options) for options in ADAM_OPTIONS])


@pytest.mark.parametrize("dtype_name", ["float32", "float64"])
@pytest.mark.parametrize("name, options", CASES, ids=[f"{name}-{options}" for name, options in CASES])
def test_steps_follow_pytorch(torch_module, minigrad_module, name, options, dtype_name):
    def make(library, params):
        return getattr(library.optim, name)(params, **options)

    expected = trajectory(torch_module, make, dtype_name)
    actual = trajectory(minigrad_module, make, dtype_name)
    assert_close(expected, actual, 2e-6 if dtype_name == "float32" else 1e-12)


@pytest.mark.parametrize("name, options", [("SGD", {"lr": 0.1, "momentum": 0.9}), ("SGD", {"lr": 0.1}),
                                           ("Adam", {"lr": 0.1})])
def test_param_groups_with_their_own_settings_follow_pytorch(torch_module, minigrad_module, name, options):
    def make(library, params):
        return getattr(library.optim, name)([{"params": params[:2], "lr": 0.01}, {"params": params[2:]}], **options)

    assert_close(trajectory(torch_module, make, "float32"), trajectory(minigrad_module, make, "float32"), 2e-6)


@pytest.mark.parametrize("name, options", [("SGD", {"lr": 0.1}), ("SGD", {"lr": 0.1, "momentum": 0.9}),
                                           ("SGD", {"lr": 0.1, "weight_decay": 0.1, "nesterov": True,
                                                    "momentum": 0.5}),
                                           ("Adam", {"lr": 0.1}), ("Adam", {"lr": 0.1, "amsgrad": True})])
@pytest.mark.parametrize("grad_shape", [(1,), (), (3,), (2, 2), (1, 2)])
def test_a_gradient_of_another_shape_broadcasts_or_fails_as_in_pytorch(torch_module, minigrad_module, name, options,
                                                                       grad_shape):
    """A gradient set through ``.grad.data`` that broadcasts to the parameter updates it; one that does not raises
    PyTorch's error (and in minigrad changes nothing)."""
    outcomes = []
    for library in (torch_module, minigrad_module):
        p = library.tensor([1.0, -2.0], requires_grad=True)
        optimizer = getattr(library.optim, name)([p], **options)
        p.grad = library.ones(2)
        optimizer.step()
        p.grad.data = library.full(grad_shape, 0.5)
        try:
            optimizer.step()
            outcomes.append(("ok", p.tolist(), p._version))
        except RuntimeError as error:
            outcomes.append(("error", str(error)))
    expected, actual = outcomes
    assert_close(expected, actual, 2e-6)


def test_an_inference_parameter_cannot_be_stepped(torch_module, minigrad_module):
    messages = []
    for library in (torch_module, minigrad_module):
        with library.inference_mode():
            p = library.ones(2)
        p.grad = library.ones(2)
        with pytest.raises(RuntimeError) as caught:
            library.optim.SGD([p], lr=0.1).step()
        messages.append(str(caught.value))
    assert messages[0] == messages[1]
