"""minigrad.nn without PyTorch: parameters, module bookkeeping, layers, losses (values from numpy, gradients from
finite differences) and two tiny models that must learn. Comparisons with real PyTorch are in
tests/parity/test_nn_parity.py."""
import copy
import math
import warnings

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import minigrad as torch
from minigrad import events
from minigrad import nn, optim
from minigrad.autograd import gradcheck
from minigrad.nn import functional as F


def double(*shape, seed=0, requires_grad=True):
    data = np.random.default_rng(seed).standard_normal(shape)
    return torch.tensor(data, dtype=torch.float64, requires_grad=requires_grad)


# ----- Parameter ----------------------------------------------------------------------------------------------
def test_parameter_is_a_leaf_that_requires_grad():
    p = nn.Parameter(torch.ones(2))
    assert isinstance(p, torch.Tensor) and p.requires_grad and p.is_leaf
    assert not nn.Parameter(torch.ones(2), requires_grad=False).requires_grad


def test_parameter_repr_has_the_pytorch_header():
    p = nn.Parameter(torch.ones(2))
    assert repr(p) == "Parameter containing:\n" + repr(torch.ones(2, requires_grad=True))
    assert repr(nn.Parameter(torch.ones(2), requires_grad=False)).startswith("Parameter containing:\ntensor(")


def test_parameter_shares_memory_and_version_with_its_data():
    data = torch.zeros(3)
    p = nn.Parameter(data)
    data.add_(1)
    assert p.tolist() == [1.0, 1.0, 1.0] and p._version == data._version == 1


def test_results_of_ops_on_parameters_are_plain_tensors():
    p = nn.Parameter(torch.ones(2))
    assert type(p * 2) is torch.Tensor and type(p.detach()) is torch.Tensor
    q = copy.deepcopy(p)
    assert type(q) is nn.Parameter and q.requires_grad and q is not p


def test_parameter_of_integers_cannot_require_grad():
    with pytest.raises(RuntimeError, match="^Only Tensors of floating point and complex dtype can require gradients$"):
        nn.Parameter(torch.tensor([1, 2]))
    assert nn.Parameter(torch.tensor([1, 2]), requires_grad=False).dtype is torch.int64


# ----- Module bookkeeping -------------------------------------------------------------------------------------
class TwoLayer(nn.Module):
    def __init__(self):
        super().__init__()
        self.hidden = nn.Linear(2, 3)
        self.scale = nn.Parameter(torch.ones(1))
        self.out = nn.Linear(3, 1)
        self.note = "not registered"

    def forward(self, x):
        return self.out(self.hidden(x).relu()) * self.scale


def test_setattr_registers_parameters_and_modules_in_order():
    model = TwoLayer()
    names = [name for name, _ in model.named_parameters()]
    assert names == ["scale", "hidden.weight", "hidden.bias", "out.weight", "out.bias"]
    assert [p for p in model.parameters()][0] is model.scale
    assert list(model.children()) == [model.hidden, model.out]
    assert [name for name, _ in model.named_modules()] == ["", "hidden", "out"]
    assert "note" not in model._parameters and model.note == "not registered"


def test_a_shared_parameter_is_listed_once():
    shared = nn.Linear(2, 2)
    model = nn.Sequential(shared, nn.ReLU(), shared)
    assert len(list(model.parameters())) == 2
    assert [name for name, _ in model.named_parameters()] == ["0.weight", "0.bias"]


def test_assigning_none_and_wrong_types():
    model = TwoLayer()
    model.scale = None
    assert "scale" not in [name for name, _ in model.named_parameters()] and model.scale is None
    with pytest.raises(TypeError, match=r"^cannot assign 'minigrad.FloatTensor' as parameter 'scale' "
                                        r"\(minigrad.nn.Parameter or None expected\)$"):
        model.scale = torch.ones(1)
    with pytest.raises(TypeError, match=r"^cannot assign 'int' as child module 'out' "):
        model.out = 3


def test_missing_attribute_and_missing_forward():
    class Empty(nn.Module):
        pass

    with pytest.raises(AttributeError, match="^'Empty' object has no attribute 'weight'$"):
        Empty().weight
    with pytest.raises(NotImplementedError, match='^Module \\[Empty\\] is missing the required "forward" function$'):
        Empty()(torch.ones(1))


def test_assigning_before_init_is_refused():
    class Forgetful(nn.Module):
        def __init__(self):
            self.w = nn.Parameter(torch.ones(1))

    with pytest.raises(AttributeError, match=r"^cannot assign parameters before Module.__init__\(\) call$"):
        Forgetful()


def test_train_and_eval_reach_every_module():
    model = nn.Sequential(nn.Linear(1, 1), nn.Sequential(nn.ReLU()))
    model.eval()
    assert [m.training for m in model.modules()] == [False, False, False, False]
    assert model.train() is model and all(m.training for m in model.modules())
    with pytest.raises(ValueError, match="^training mode is expected to be boolean$"):
        model.train("yes")


def test_zero_grad_sets_none_or_zeroes_in_place():
    model = nn.Linear(2, 1)
    model(torch.ones(3, 2)).sum().backward()
    grad = model.weight.grad
    model.zero_grad(set_to_none=False)
    assert model.weight.grad is grad and grad.tolist() == [[0.0, 0.0]]
    model.zero_grad()
    assert model.weight.grad is None and model.bias.grad is None


def test_requires_grad_false_freezes_a_module():
    model = nn.Linear(2, 1).requires_grad_(False)
    assert not any(p.requires_grad for p in model.parameters())
    assert model(torch.ones(2)).grad_fn is None


def test_double_converts_values_but_keeps_the_parameter_objects():
    model = nn.Linear(2, 1)
    weight = model.weight
    before = weight.tolist()
    assert model.double() is model
    assert model.weight is weight and weight.dtype is torch.float64 and weight.tolist() == before
    assert model(torch.ones(2, dtype=torch.float64)).dtype is torch.float64


# ----- reprs (texts as PyTorch 2.13 prints them) ----------------------------------------------------------------
def test_module_reprs():
    model = nn.Sequential(nn.Linear(2, 3), nn.ReLU(), nn.Sequential(nn.Linear(3, 1, bias=False), nn.Sigmoid()))
    assert repr(model) == (
        "Sequential(\n"
        "  (0): Linear(in_features=2, out_features=3, bias=True)\n"
        "  (1): ReLU()\n"
        "  (2): Sequential(\n"
        "    (0): Linear(in_features=3, out_features=1, bias=False)\n"
        "    (1): Sigmoid()\n"
        "  )\n"
        ")"
    )
    assert repr(TwoLayer()) == ("TwoLayer(\n  (hidden): Linear(in_features=2, out_features=3, bias=True)\n"
                                "  (out): Linear(in_features=3, out_features=1, bias=True)\n)")
    assert [repr(m) for m in (nn.Tanh(), nn.ReLU(inplace=True), nn.MSELoss(), nn.CrossEntropyLoss(),
                              nn.Softmax(dim=1))] == ["Tanh()", "ReLU(inplace=True)", "MSELoss()",
                                                      "CrossEntropyLoss()", "Softmax(dim=1)"]


def test_sequential_indexing():
    layers = [nn.Linear(1, 2), nn.ReLU(), nn.Linear(2, 1)]
    model = nn.Sequential(*layers)
    assert model[0] is layers[0] and model[-1] is layers[2] and len(model) == 3 and list(model) == layers
    assert list(model[1:]) == layers[1:]
    with pytest.raises(IndexError, match="^index 3 is out of range$"):
        model[3]
    del model[1]
    assert list(model._modules) == ["0", "1"] and model[1] is layers[2]


# ----- state_dict ---------------------------------------------------------------------------------------------
def test_state_dict_round_trip_copies_in_place():
    source, target = nn.Sequential(nn.Linear(2, 2), nn.Tanh(), nn.Linear(2, 1)), nn.Sequential(
        nn.Linear(2, 2), nn.Tanh(), nn.Linear(2, 1))
    state = source.state_dict()
    assert list(state) == ["0.weight", "0.bias", "2.weight", "2.bias"]
    assert all(not t.requires_grad for t in state.values())
    weight = target[0].weight
    version = weight._version
    result = target.load_state_dict(state)
    assert repr(result) == "<All keys matched successfully>"
    assert target[0].weight is weight and weight.tolist() == source[0].weight.tolist()
    assert weight._version == version + 1


def test_load_state_dict_reports_every_problem_and_changes_nothing():
    model = nn.Sequential(nn.Linear(2, 3), nn.ReLU(), nn.Linear(3, 1))
    before = [p.tolist() for p in model.parameters()]
    bad = {"0.weight": torch.zeros(3, 2), "0.bias": torch.zeros(2), "x": torch.zeros(1)}
    with pytest.raises(RuntimeError) as error:
        model.load_state_dict(bad)
    assert str(error.value) == (
        "Error(s) in loading state_dict for Sequential:\n"
        '\tMissing key(s) in state_dict: "2.weight", "2.bias". \n'
        '\tUnexpected key(s) in state_dict: "x". \n'
        "\tsize mismatch for 0.bias: copying a param with shape minigrad.Size([2]) from checkpoint, "
        "the shape in current model is minigrad.Size([3]).")
    assert [p.tolist() for p in model.parameters()] == before  # 0.weight was fine, but was not copied either
    result = model.load_state_dict({"0.weight": torch.zeros(3, 2), "x": torch.zeros(1)}, strict=False)
    assert result.missing_keys == ["0.bias", "2.weight", "2.bias"] and result.unexpected_keys == ["x"]
    assert model[0].weight.tolist() == [[0.0, 0.0]] * 3


# ----- Linear -------------------------------------------------------------------------------------------------
def test_linear_initial_values_lie_within_one_over_sqrt_fan_in():
    torch.manual_seed(0)
    layer = nn.Linear(16, 50)
    bound = 1 / math.sqrt(16)
    for p in (layer.weight, layer.bias):
        values = p.detach().numpy()
        assert np.all(np.abs(values) <= bound) and values.std() > bound / 3  # spread over the range, not all 0


@pytest.mark.parametrize("shape, graph", [
    ((3,), ["ViewBackward0", "AddmmBackward0"]),
    ((4, 3), ["AddmmBackward0"]),
    ((5, 4, 3), ["ViewBackward0", "AddmmBackward0"]),
])
def test_linear_with_bias_values_and_graph(shape, graph):
    layer = nn.Linear(3, 2)
    x = torch.randn(*shape)
    y = layer(x)
    w, b = layer.weight.detach().numpy(), layer.bias.detach().numpy()
    np.testing.assert_allclose(y.detach().numpy(), x.numpy() @ w.T + b, rtol=1e-6, atol=1e-6)
    assert y.shape == shape[:-1] + (2,)
    names, node = [], y.grad_fn
    while node is not None and node.name() != "AddmmBackward0":
        names.append(node.name())
        node = node.next_functions[0][0]
    assert names + [node.name()] == graph
    bias_edge, input_edge, weight_edge = node.next_functions
    assert bias_edge[0].variable is layer.bias and input_edge == (None, 0)
    assert weight_edge[0].name() == "TBackward0" and weight_edge[0].next_functions[0][0].variable is layer.weight


@pytest.mark.parametrize("shape", [(3,), (4, 3), (2, 4, 3)])
def test_linear_without_bias(shape):
    layer = nn.Linear(3, 2, bias=False)
    assert layer.bias is None and [n for n, _ in layer.named_parameters()] == ["weight"]
    x = torch.randn(*shape)
    np.testing.assert_allclose(layer(x).detach().numpy(), x.numpy() @ layer.weight.detach().numpy().T, rtol=1e-6,
                               atol=1e-6)


@pytest.mark.parametrize("shape", [(3,), (4, 3), (2, 2, 3)])
@pytest.mark.parametrize("with_bias", [True, False])
def test_linear_gradcheck(shape, with_bias):
    x, w = double(*shape, seed=1), double(2, 3, seed=2)
    b = double(2, seed=3) if with_bias else None
    inputs = (x, w, b) if with_bias else (x, w)
    assert gradcheck(lambda *args: F.linear(*args), inputs)


def test_linear_on_a_transposed_input_takes_the_matmul_path():
    x = double(3, 4, seed=4)
    w, b = double(2, 3, seed=5), double(2, seed=6)
    # x.t() is not contiguous: PyTorch does not flatten such an input through a view
    assert gradcheck(lambda x, w, b: F.linear(x.t(), w, b), (x, w, b))
    x3 = double(2, 3, 4, seed=7).transpose(1, 2)
    y = F.linear(x3, w, b)
    assert y.grad_fn.name() == "AddBackward0"
    np.testing.assert_allclose(y.detach().numpy(), x3.detach().numpy() @ w.detach().numpy().T + b.detach().numpy())


@settings(max_examples=40, deadline=None)
@given(leading=st.lists(st.integers(1, 3), max_size=3), sizes=st.tuples(st.integers(1, 4), st.integers(1, 4)),
       with_bias=st.booleans(), seed=st.integers(0, 2**16))
def test_linear_matches_its_formula_for_any_batch_shape(leading, sizes, with_bias, seed):
    """y = x Wᵀ + b over the last dim;  dL/dW = Σ_rows gᵀ x,  dL/db = Σ_rows g,  dL/dx = g W  (g = dL/dy)."""
    in_features, out_features = sizes
    x = double(*leading, in_features, seed=seed)
    w = double(out_features, in_features, seed=seed + 1)
    b = double(out_features, seed=seed + 2) if with_bias else None
    y = F.linear(x, w, b)
    g = np.random.default_rng(seed + 3).standard_normal(y.shape)
    y.backward(torch.tensor(g))
    xs, ws = x.detach().numpy(), w.detach().numpy()
    bias = b.detach().numpy() if with_bias else 0
    np.testing.assert_allclose(y.detach().numpy(), xs @ ws.T + bias, rtol=1e-12, atol=1e-12)
    rows_x, rows_g = xs.reshape(-1, in_features), g.reshape(-1, out_features)
    np.testing.assert_allclose(w.grad.numpy(), rows_g.T @ rows_x, rtol=1e-12, atol=1e-12)
    np.testing.assert_allclose(x.grad.numpy(), g @ ws, rtol=1e-12, atol=1e-12)
    if with_bias:
        np.testing.assert_allclose(b.grad.numpy(), rows_g.sum(0), rtol=1e-12, atol=1e-12)


def test_linear_errors_are_pytorch_texts():
    layer = nn.Linear(3, 2)
    with pytest.raises(RuntimeError, match=r"^mat1 and mat2 shapes cannot be multiplied \(4x2 and 3x2\)$"):
        layer(torch.randn(4, 2))
    with pytest.raises(RuntimeError, match="^mat1 and mat2 must have the same dtype, but got Double and Float$"):
        layer(torch.randn(4, 3, dtype=torch.float64))
    with pytest.raises(RuntimeError, match="^both arguments to linear need to be at least 1D, but they are 0D and 2D$"):
        layer(torch.tensor(1.0))


# ----- losses ---------------------------------------------------------------------------------------------------
@pytest.mark.parametrize("reduction", ["mean", "sum", "none"])
def test_mse_loss_values_and_gradcheck(reduction):
    x, y = double(4, 3, seed=1), double(4, 3, seed=2)
    squared = (x.detach().numpy() - y.detach().numpy()) ** 2
    expected = {"mean": squared.mean(), "sum": squared.sum(), "none": squared}[reduction]
    loss = F.mse_loss(x, y, reduction=reduction)
    np.testing.assert_allclose(loss.detach().numpy(), expected)
    assert loss.grad_fn.name() == "MseLossBackward0"
    assert gradcheck(lambda a, b: F.mse_loss(a, b, reduction=reduction), (x, y))
    assert nn.MSELoss(reduction=reduction)(x, y).tolist() == loss.tolist()


def test_mse_loss_warns_when_shapes_differ_and_broadcasts():
    x, y = double(4, 3, seed=1), double(3, seed=2)
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        loss = F.mse_loss(x, y)
    assert [str(w.message) for w in caught] == [
        "Using a target size (minigrad.Size([3])) that is different to the input size (minigrad.Size([4, 3])). This "
        "will likely lead to incorrect results due to broadcasting. Please ensure they have the same size."]
    assert caught[0].category is UserWarning
    np.testing.assert_allclose(loss.item(), ((x.detach().numpy() - y.detach().numpy()) ** 2).mean())
    assert loss.grad_fn.next_functions[1][0].name() == "ExpandBackward0"
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        assert gradcheck(F.mse_loss, (x, y))
        with pytest.raises(RuntimeError, match="^The size of tensor a \\(3\\) must match the size of tensor b \\(5\\) "
                                               "at non-singleton dimension 1$"):
            F.mse_loss(x, double(5))


def test_bad_reduction_is_refused():
    with pytest.raises(ValueError, match="^avg is not a valid value for reduction$"):
        F.mse_loss(double(2), double(2), reduction="avg")
    with pytest.raises(ValueError, match="^avg is not a valid value for reduction$"):
        F.cross_entropy(double(2, 3), torch.tensor([0, 1]), reduction="avg")


def _cross_entropy_numpy(scores, target, weight=None, reduction="mean", ignore_index=-100):
    """-log softmax(scores)[target], from the definition (log-sum-exp with the max subtracted)."""
    shifted = scores - scores.max(axis=1, keepdims=True)
    log_probs = shifted - np.log(np.exp(shifted).sum(axis=1, keepdims=True))
    weight = np.ones(scores.shape[1]) if weight is None else weight
    kept = target != ignore_index
    safe = np.where(kept, target, 0)
    w = np.where(kept, weight[safe], 0.0)
    losses = -w * log_probs[np.arange(len(target)), safe]
    return {"none": losses, "sum": losses.sum(), "mean": losses.sum() / w.sum()}[reduction]


@pytest.mark.parametrize("reduction", ["mean", "sum", "none"])
@pytest.mark.parametrize("options", [{}, {"weight": [0.5, 2.0, 1.0]}, {"ignore_index": 1}])
def test_cross_entropy_values_and_gradcheck(reduction, options):
    scores = double(5, 3, seed=8)
    target = torch.tensor([0, 2, 1, 1, 0])
    weight = torch.tensor(options["weight"], dtype=torch.float64) if "weight" in options else None
    ignore_index = options.get("ignore_index", -100)
    loss = F.cross_entropy(scores, target, weight=weight, ignore_index=ignore_index, reduction=reduction)
    expected = _cross_entropy_numpy(scores.detach().numpy(), target.numpy(), options.get("weight") and
                                    np.array(options["weight"]), reduction, ignore_index)
    np.testing.assert_allclose(loss.detach().numpy(), expected)
    assert loss.grad_fn.name() == "NllLossBackward0"
    assert [n.name() for n, _ in loss.grad_fn.next_functions] == ["LogSoftmaxBackward0"]
    assert gradcheck(lambda s: F.cross_entropy(s, target, weight=weight, ignore_index=ignore_index,
                                               reduction=reduction), (scores,))


def test_cross_entropy_of_a_single_sample_and_of_class_probabilities():
    scores = double(3, seed=9)
    np.testing.assert_allclose(F.cross_entropy(scores, torch.tensor(2)).item(),
                               _cross_entropy_numpy(scores.detach().numpy()[None], np.array([2])))
    batch = double(4, 3, seed=10)
    probabilities = torch.tensor(np.random.default_rng(0).dirichlet(np.ones(3), size=4))
    log_q = batch.detach().numpy() - np.log(np.exp(batch.detach().numpy()).sum(1, keepdims=True))
    np.testing.assert_allclose(F.cross_entropy(batch, probabilities).item(),
                               -(probabilities.numpy() * log_q).sum() / 4)
    assert gradcheck(lambda s: F.cross_entropy(s, probabilities, reduction="none"), (batch,))


def test_cross_entropy_second_derivative():
    scores = double(3, 4, seed=11)
    target = torch.tensor([3, 0, 1])

    def gradient(s):
        with torch.enable_grad():  # gradcheck evaluates under no_grad; the inner gradient needs a graph
            return torch.autograd.grad(F.cross_entropy(s, target), s, create_graph=True)[0]

    assert gradcheck(gradient, (scores,))


def test_nll_loss_errors_are_pytorch_texts():
    log_probs = double(4, 3).log_softmax(1)
    cases = [
        (torch.tensor([0.0, 1.0, 2.0, 1.0]), RuntimeError, "expected target dtype to be Long or Byte, but got Float"),
        (torch.tensor([0, 3, 1, 1]), IndexError, "Target 3 is out of bounds."),
        (torch.tensor([0, 1, 1]), ValueError, "Expected input batch_size (4) to match target batch_size (3)."),
        (torch.tensor([[0], [1], [1], [1]]), RuntimeError, "0D or 1D target tensor expected, multi-target not "
                                                           "supported"),
    ]
    for target, error, text in cases:
        with pytest.raises(error) as caught:
            F.nll_loss(log_probs, target)
        assert str(caught.value) == text
    assert F.nll_loss(log_probs, torch.tensor([0, 1, 1, 1], dtype=torch.uint8)).grad_fn.name() == "NllLossBackward0"


def test_nll_loss_with_every_target_ignored_is_nan_as_pytorch():
    loss = F.nll_loss(double(2, 3), torch.tensor([-100, -100]))
    assert math.isnan(loss.item())


# ----- learning -------------------------------------------------------------------------------------------------
def test_a_tiny_regression_learns_a_line():
    torch.manual_seed(0)
    x = torch.linspace(-1, 1, 32).reshape(32, 1)
    y = 3 * x - 0.5
    model = nn.Linear(1, 1)
    optimizer = optim.SGD(model.parameters(), lr=0.5)
    losses = []
    for _ in range(60):
        optimizer.zero_grad()
        loss = nn.MSELoss()(model(x), y)
        loss.backward()
        optimizer.step()
        losses.append(loss.item())
    assert losses[-1] < 1e-6 < losses[0]
    assert abs(model.weight.item() - 3) < 1e-3 and abs(model.bias.item() + 0.5) < 1e-3


def test_a_tiny_network_separates_three_classes():
    torch.manual_seed(0)
    centres = torch.tensor([[2.0, 0.0], [-1.0, 1.7], [-1.0, -1.7]])
    target = torch.arange(3).reshape(3, 1).expand(3, 20).reshape(60)
    x = centres[target] + 0.3 * torch.randn(60, 2)
    model = nn.Sequential(nn.Linear(2, 8), nn.Tanh(), nn.Linear(8, 3))
    optimizer = optim.Adam(model.parameters(), lr=0.05)
    loss_fn = nn.CrossEntropyLoss()
    first = None
    for _ in range(100):
        optimizer.zero_grad()
        loss = loss_fn(model(x), target)
        loss.backward()
        optimizer.step()
        first = loss.item() if first is None else first
    assert loss.item() < 0.05 < first
    assert model(x).argmax(1).tolist() == target.tolist()


def test_a_training_step_tells_viewers_what_changed():
    model = nn.Linear(2, 1)
    optimizer = optim.SGD(model.parameters(), lr=0.1)
    seen = []

    def listener(kind, subject):
        seen.append((kind, subject))

    version = model.weight._version
    events.subscribe(listener)
    try:
        model(torch.ones(2)).sum().backward()
        optimizer.step()
        optimizer.zero_grad()
    finally:
        events.unsubscribe(listener)
    changed = [s for k, s in seen if k == "data_changed"]
    assert any(s is model.weight for s in changed) and any(s is model.bias for s in changed)
    assert model.weight._version == version + 1 and model.weight.is_leaf and model.weight.grad_fn is None
    assert sum(1 for k, s in seen if k == "grad_changed" and s is model.weight) == 2  # backward, then zero_grad
