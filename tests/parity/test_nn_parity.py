"""minigrad.nn and minigrad.optim against real PyTorch.

* text parity: each snippet runs on both libraries and must print the same text, warn the same warnings and raise
  the same exception (see harness.py);
* value parity: seeded layers get PyTorch's exact weights; losses and their gradients agree in float64; training
  the same model on the same data for 20 steps gives the same parameters within float32 tolerance.
"""
import numpy as np
import pytest

pytest.importorskip("torch")

from harness import assert_same_outcome  # noqa: E402

CASES = []


def case(name, code):
    CASES.append((name, code.strip("\n") + "\n"))


GRAPH = """
def walk(node, depth=0):
    print("  " * depth + (node.name() if node is not None else "None"))
    for child, _ in (node.next_functions if node is not None else ()):
        walk(child, depth + 1)
"""

# --- Parameter and Linear ---
case("parameter reprs", """
import torch
from torch import nn
print(nn.Parameter(torch.ones(2)))
print(nn.Parameter(torch.ones(2, dtype=torch.float64), requires_grad=False))
print(nn.Parameter(torch.tensor([[1.5, -2.0], [0.25, 3.0]])) * 2)
print(nn.Parameter())
""")
case("parameter of integers", """
import torch
from torch import nn
nn.Parameter(torch.tensor([1, 2]))
""")
case("seeded Linear has PyTorch's weights", """
import torch
from torch import nn
torch.manual_seed(0)
layer = nn.Linear(3, 2)
print(layer.weight)
print(layer.bias)
print(layer)
torch.manual_seed(1)
print(nn.Linear(4, 3, bias=False).weight)
print(nn.Linear(2, 2, dtype=torch.float64).weight)
""")
case("seeded Sequential has PyTorch's weights", """
import torch
from torch import nn
torch.manual_seed(42)
model = nn.Sequential(nn.Linear(2, 4), nn.ReLU(), nn.Linear(4, 3))
for name, p in model.named_parameters():
    print(name, p)
""")
for bias in (True, False):
    for shape in ["3", "4, 3", "5, 4, 3", "2, 5, 4, 3"]:
        for requires_grad in (True, False):
            case(f"Linear graph bias={bias} input ({shape}) requires_grad={requires_grad}", GRAPH + f"""
import torch
from torch import nn
layer = nn.Linear(3, 2, bias={bias})
y = layer(torch.randn({shape}, requires_grad={requires_grad}))
print(y.shape)
walk(y.grad_fn)
""")
case("Linear graph of non-contiguous inputs", GRAPH + """
import torch
from torch import nn
for bias in (True, False):
    layer = nn.Linear(3, 2, bias=bias)
    walk(layer(torch.randn(3, 4, requires_grad=True).t()).grad_fn)
    walk(layer(torch.randn(2, 3, 4, requires_grad=True).transpose(1, 2)).grad_fn)
""")
for name, x in [("double input", "torch.randn(4, 3, dtype=torch.float64)"), ("wrong width", "torch.randn(4, 2)"),
                ("wrong width 1-D", "torch.randn(2)"), ("wrong width 3-D", "torch.randn(5, 4, 2)"),
                ("int input", "torch.tensor([[1, 2, 3]])"), ("0-d input", "torch.tensor(1.)")]:
    case(f"Linear error: {name}", f"""
import torch
from torch import nn
nn.Linear(3, 2)({x})
""")
    case(f"Linear without bias error: {name}", f"""
import torch
from torch import nn
nn.Linear(3, 2, bias=False)({x})
""")

# --- Module bookkeeping ---
case("module reprs", """
import torch
from torch import nn
class Net(nn.Module):
    def __init__(self):
        super().__init__()
        self.body = nn.Sequential(nn.Linear(2, 3), nn.Tanh(), nn.Sequential(nn.Linear(3, 3), nn.Sigmoid()))
        self.head = nn.Linear(3, 1, bias=False)
        self.scale = nn.Parameter(torch.ones(1))
    def forward(self, x):
        return self.head(self.body(x)) * self.scale
net = Net()
print(net)
print([name for name, _ in net.named_parameters()])
print([name for name, _ in net.named_modules()])
print(list(net.children())[1])
print(nn.ReLU(inplace=True), nn.Softmax(dim=1), nn.LogSoftmax(dim=-1), nn.MSELoss(), nn.CrossEntropyLoss())
print(nn.MSELoss(reduction="sum"), nn.CrossEntropyLoss(weight=torch.ones(3)), nn.Softmax())
""")
case("parameters list and state_dict", """
import torch
from torch import nn
torch.manual_seed(3)
model = nn.Sequential(nn.Linear(2, 2), nn.ReLU(), nn.Linear(2, 1))
print(list(model.parameters()))
print(model.state_dict())
print(model.load_state_dict(model.state_dict()))
print(model.load_state_dict({"0.weight": torch.zeros(2, 2), "x": torch.zeros(1)}, strict=False))
print(model[0].weight)
""")
case("load_state_dict errors", """
import torch
from torch import nn
model = nn.Sequential(nn.Linear(2, 3), nn.ReLU(), nn.Sequential(nn.Linear(3, 1), nn.Sigmoid()))
model.load_state_dict({"0.weight": torch.zeros(3), "x": torch.zeros(1), "2.0.bias": torch.zeros(1)})
""")
case("module attribute errors", """
import torch
from torch import nn
class Net(nn.Module):
    pass
net = Net()
try:
    net(torch.ones(1))
except NotImplementedError as error:
    print(error)
try:
    net.weight
except AttributeError as error:
    print(error)
layer = nn.Linear(1, 1)
try:
    layer.weight = torch.ones(1, 1)
except TypeError as error:
    print(error)
layer.bias = None
print(layer, [n for n, _ in layer.named_parameters()])
nn.Sequential(nn.ReLU())[1]
""")
case("zero_grad, train and eval", """
import torch
from torch import nn
model = nn.Sequential(nn.Linear(2, 1), nn.Sigmoid())
model(torch.ones(3, 2)).sum().backward()
print(model[0].weight.grad is None)
model.zero_grad()
print(model[0].weight.grad)
print(model.training, model.eval().training, model[1].training, model.train().training)
""")

case("deepcopy, dtype conversion, buffers and ModuleList", """
import copy
import torch
from torch import nn, optim
torch.manual_seed(0)
m = nn.Sequential(nn.Linear(2, 2), nn.ReLU())
m(torch.ones(2)).sum().backward()
c = copy.deepcopy(m)
print(c, c[0].weight, c[0].weight.grad, c[0].weight is m[0].weight)
m.to(torch.float64)
print(m[0].weight, m[0].weight.grad)
m.float()
optim.SGD(m.parameters(), lr=1.0).step()
print(m[0].weight)
class Net(nn.Module):
    def __init__(self):
        super().__init__()
        self.register_buffer("running", torch.zeros(2))
        self.register_buffer("tmp", torch.ones(1), persistent=False)
        self.layers = nn.ModuleList([nn.Linear(2, 2), nn.Linear(2, 2), nn.Linear(2, 2), nn.Tanh(), nn.Linear(2, 1)])
    def forward(self, x):
        for layer in self.layers:
            x = layer(x)
        return x
n = Net()
print(n, n.state_dict().keys(), [k for k, _ in n.named_buffers()])
print(n.layers[-1], len(n.layers), nn.ModuleList())
n.running = torch.ones(2)
print(n.state_dict()["running"])
for bad in [lambda: setattr(n, "running", 3), lambda: n.register_buffer("layers", torch.ones(1)),
            lambda: n.register_parameter("a.b", None), lambda: m.to(torch.int64)]:
    try:
        bad()
    except Exception as error:
        print(type(error).__name__, error)
""")

# --- activations and losses ---
case("activation and loss graphs", GRAPH + """
import torch
import torch.nn.functional as F
from torch import nn
x = torch.randn(4, 3, requires_grad=True)
t = torch.tensor([0, 2, 1, 1])
for loss in [F.cross_entropy(x, t), nn.CrossEntropyLoss(reduction="none")(x, t), F.nll_loss(x.log_softmax(1), t),
             F.cross_entropy(x[0], torch.tensor(1)), F.mse_loss(x, torch.randn(4, 3)),
             nn.MSELoss(reduction="sum")(x, torch.randn(4, 3, requires_grad=True)), nn.ReLU()(x).sum(),
             nn.Sigmoid()(x).sum(), nn.Tanh()(x).sum(), F.softmax(x, dim=1).sum(), nn.LogSoftmax(1)(x).sum()]:
    walk(loss.grad_fn)
""")
case("loss values print alike", """
import torch
import torch.nn.functional as F
x = torch.tensor([[1.0, 2.0, 0.5], [0.1, -1.0, 3.0]], requires_grad=True)
t = torch.tensor([1, 2])
print(F.cross_entropy(x, t), F.cross_entropy(x, t, reduction="sum"), F.cross_entropy(x, t, reduction="none"))
print(F.cross_entropy(x, t, weight=torch.tensor([1.0, 2.0, 0.5])), F.cross_entropy(x, torch.tensor([1, -100])))
print(F.mse_loss(x, torch.zeros(2, 3)), F.mse_loss(x, torch.ones(2, 3), reduction="none"))
print(F.cross_entropy(x, torch.tensor([[0.2, 0.3, 0.5], [1.0, 0.0, 0.0]])))
""")
case("mse_loss broadcast warning", """
import torch
import torch.nn.functional as F
x = torch.randn(4, 3, requires_grad=True)
print(F.mse_loss(x, torch.zeros(3)).shape)
print(F.mse_loss(x, torch.zeros(4, 1)).shape)
""")
case("mse_loss size mismatch", """
import torch
import torch.nn.functional as F
F.mse_loss(torch.randn(4, 3), torch.randn(5))
""")
case("softmax implicit dim warning", """
import torch
import torch.nn.functional as F
print(F.softmax(torch.zeros(2, 2)), F.log_softmax(torch.zeros(2)))
""")
for name, args in [("float target", "x, t.float()"), ("int32 target", "x, t.int()"),
                   ("target out of bounds", "x, torch.tensor([0, 3, 1, 1])"),
                   ("negative target", "x, torch.tensor([0, -1, 1, 1])"),
                   ("batch mismatch", "x, torch.tensor([0, 1, 1])"), ("2-D target", "x, t.unsqueeze(1)"),
                   ("bad reduction", "x, t, reduction='avg'"), ("wrong weight", "x, t, weight=torch.ones(2)"),
                   ("1-D input with 1-D target", "x[0], t"), ("0-d input", "x.sum(), t")]:
    case(f"cross_entropy error: {name}", f"""
import torch
import torch.nn.functional as F
x = torch.randn(4, 3, requires_grad=True)
t = torch.tensor([0, 2, 1, 1])
F.cross_entropy({args})
""")

# --- optimizers ---
case("optimizer reprs and groups", """
import torch
from torch import nn, optim
model = nn.Linear(2, 1)
print(optim.SGD(model.parameters(), lr=0.1))
print(optim.SGD(model.parameters(), lr=0.1, momentum=0.9, nesterov=True, weight_decay=1e-4))
print(optim.Adam(model.parameters()))
print(optim.Adam([{"params": [model.weight]}, {"params": [model.bias], "lr": 0.1}], amsgrad=True))
p = torch.ones(2, requires_grad=True)
opt = optim.SGD([p], lr=0.1, momentum=0.9)
print(opt.param_groups)
print(opt.state)
""")
case("optimizer state after a step", """
import torch
from torch import optim
p = torch.tensor([1.0, -2.0, 0.5], requires_grad=True)
sgd = optim.SGD([p], lr=0.1, momentum=0.9)
(p * p).sum().backward()
sgd.step()
print(p, p._version, p.grad)
print(sgd.state[p])
q = torch.tensor([1.0, -2.0, 0.5], requires_grad=True)
adam = optim.Adam([q], lr=0.1)
(q * q).sum().backward()
adam.step()
print(q)
print(adam.state[q])
adam.zero_grad()
print(q.grad)
""")
for name, code in [
    ("a tensor instead of a list", "optim.SGD(torch.ones(2, requires_grad=True), lr=0.1)"),
    ("an empty list", "optim.SGD([], lr=0.1)"),
    ("a non-leaf", "optim.SGD([torch.ones(2, requires_grad=True) * 2], lr=0.1)"),
    ("a number", "optim.SGD([1], lr=0.1)"),
    ("a negative lr", "optim.Adam([torch.ones(1, requires_grad=True)], lr=-0.1)"),
    ("a bad momentum", "optim.SGD([torch.ones(1, requires_grad=True)], lr=0.1, momentum=-1)"),
    ("nesterov without momentum", "optim.SGD([torch.ones(1, requires_grad=True)], lr=0.1, nesterov=True)"),
    ("a bad beta", "optim.Adam([torch.ones(1, requires_grad=True)], betas=(0.9, 1.0))"),
    ("a negative eps", "optim.Adam([torch.ones(1, requires_grad=True)], eps=-1.0)"),
    ("a set of parameters", "optim.SGD({torch.ones(1, requires_grad=True)}, lr=0.1)"),
    ("a repeated parameter", "p = torch.ones(1, requires_grad=True)\nprint(optim.SGD([p, p], lr=0.1))"),
    ("overlapping groups", "p = torch.ones(1, requires_grad=True)\noptim.SGD([{'params': [p]}, {'params': [p]}], lr=1)"),
]:
    case(f"optimizer error: {name}", f"""
import torch
from torch import optim
{code}
""")


@pytest.mark.parametrize("code", [code for _, code in CASES], ids=[name for name, _ in CASES])
def test_text(code, torch_module, minigrad_module):
    assert_same_outcome(code, torch_module, minigrad_module)


# ---------------------------------------------------------------------------
# value parity
# ---------------------------------------------------------------------------
def _both(torch_module, minigrad_module, build):
    """Run ``build(lib)`` on each library; return both results as numpy arrays."""
    return [np.asarray(build(lib)) for lib in (torch_module, minigrad_module)]


@pytest.mark.parametrize("sizes", [(3, 2), (1, 1), (16, 50), (7, 5)])
def test_seeded_linear_is_bit_identical(sizes, torch_module, minigrad_module):
    def weights(lib):
        lib.manual_seed(123)
        layer = __import__(lib.__name__ + ".nn", fromlist=["Linear"]).Linear(*sizes)
        return [layer.weight.detach().numpy().copy(), layer.bias.detach().numpy().copy()]

    (tw, tb), (mw, mb) = weights(torch_module), weights(minigrad_module)
    assert np.array_equal(tw, mw) and np.array_equal(tb, mb)


def _loss_and_grads(lib, loss_name, x, w, b, target, options):
    nn = __import__(lib.__name__ + ".nn", fromlist=["functional"])
    xs = [lib.tensor(a, dtype=lib.float64, requires_grad=True) for a in (x, w, b)]
    prediction = nn.functional.linear(*xs)
    if loss_name == "cross_entropy":
        loss = nn.functional.cross_entropy(prediction, lib.tensor(target), **options)
    else:
        loss = nn.functional.mse_loss(prediction, lib.tensor(target, dtype=lib.float64), **options)
    loss.backward(lib.ones_like(loss))
    return [loss.detach().numpy()] + [t.grad.numpy() for t in xs]


@pytest.mark.parametrize("loss_name, options", [
    ("mse_loss", {}), ("mse_loss", {"reduction": "sum"}), ("mse_loss", {"reduction": "none"}),
    ("cross_entropy", {}), ("cross_entropy", {"reduction": "none"}), ("cross_entropy", {"ignore_index": 0}),
])
def test_losses_and_gradients_match(loss_name, options, torch_module, minigrad_module):
    rng = np.random.default_rng(5)
    x, w, b = rng.standard_normal((6, 4)), rng.standard_normal((3, 4)), rng.standard_normal(3)
    target = rng.integers(0, 3, 6) if loss_name == "cross_entropy" else rng.standard_normal((6, 3))
    expected = _loss_and_grads(torch_module, loss_name, x, w, b, target, options)
    got = _loss_and_grads(minigrad_module, loss_name, x, w, b, target, options)
    for e, g in zip(expected, got):
        np.testing.assert_allclose(g, e, rtol=1e-12, atol=1e-12)


OPTIMIZERS = [
    ("SGD", {"lr": 0.1}),
    ("SGD", {"lr": 0.05, "momentum": 0.9}),
    ("SGD", {"lr": 0.05, "momentum": 0.9, "nesterov": True, "weight_decay": 0.01}),
    ("SGD", {"lr": 0.05, "momentum": 0.8, "dampening": 0.5}),
    ("Adam", {"lr": 0.01}),
    ("Adam", {"lr": 0.01, "betas": (0.8, 0.99), "weight_decay": 0.01}),
    ("Adam", {"lr": 0.01, "amsgrad": True}),
    ("Adam", {"lr": 0.01, "weight_decay": 0.1, "decoupled_weight_decay": True}),
]


def _train(lib, optimizer_name, options, task):
    """20 steps on a small seeded MLP; the data are drawn after the model, from the same seed in both libraries."""
    nn = __import__(lib.__name__ + ".nn", fromlist=["Linear"])
    optim = __import__(lib.__name__ + ".optim", fromlist=["SGD"])
    lib.manual_seed(0)
    model = nn.Sequential(nn.Linear(3, 8), nn.Tanh(), nn.Linear(8, 3 if task == "classify" else 1))
    x = lib.randn(16, 3)
    if task == "classify":
        target, loss_fn = (x[:, 0] > 0).long() + (x[:, 1] > 0).long(), nn.CrossEntropyLoss()
    else:
        target, loss_fn = (x * x).sum(1, keepdim=True), nn.MSELoss()
    optimizer = getattr(optim, optimizer_name)(model.parameters(), **options)
    losses = []
    for _ in range(20):
        optimizer.zero_grad()
        loss = loss_fn(model(x), target)
        loss.backward()
        optimizer.step()
        losses.append(loss.item())
    return losses, [p.detach().numpy().copy() for p in model.parameters()]


@pytest.mark.parametrize("task", ["regress", "classify"])
@pytest.mark.parametrize("optimizer_name, options", OPTIMIZERS, ids=[f"{n}{o}" for n, o in OPTIMIZERS])
def test_twenty_training_steps_match(optimizer_name, options, task, torch_module, minigrad_module):
    torch_losses, torch_params = _train(torch_module, optimizer_name, options, task)
    losses, params = _train(minigrad_module, optimizer_name, options, task)
    np.testing.assert_allclose(losses, torch_losses, rtol=1e-5, atol=1e-6)
    for got, expected in zip(params, torch_params):
        np.testing.assert_allclose(got, expected, rtol=1e-5, atol=1e-5)
