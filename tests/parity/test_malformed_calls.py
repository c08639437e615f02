"""A table of malformed calls, each run on minigrad and (when it is installed) on PyTorch 2.13.

For every call, minigrad must raise PyTorch's exception type (and, where PyTorch's text is stable, its text after
harness.normalise), and leave everything as it was: every tensor's data, ``.grad``, version and ``requires_grad``,
the grad mode, the optimizer's state and the model's parameters. The state check needs no PyTorch; the comparison
is skipped without it.
"""
import types

import numpy as np
import pytest

try:
    import torch
except ImportError:  # the state checks still run
    torch = None

import minigrad  # noqa: E402
from harness import normalise  # noqa: E402


def make_state(lib):
    """The objects every call may touch (built the same way in both libraries)."""
    s = types.SimpleNamespace()
    s.x = lib.tensor([[1.0, 2.0, 3.0], [4.0, 5.0, 6.0]], requires_grad=True)
    s.x.grad = lib.ones(2, 3)
    s.y = s.x * 2  # not a leaf
    s.v = lib.tensor([1.0, 2.0, 3.0])
    s.d = lib.tensor([1.0, 2.0], dtype=lib.float64)
    s.i = lib.tensor([0, 1, 2])
    s.b = lib.tensor([True, False])
    s.m = lib.ones(3, 3)
    s.z = lib.tensor(2.0)
    s.p = lib.nn.Parameter(lib.ones(3))
    s.opt = lib.optim.SGD([s.p], lr=0.1, momentum=0.9)
    s.p.grad = lib.ones(3)
    s.opt.step()  # the optimizer has state (a momentum buffer) now
    s.adam = lib.optim.Adam([s.p], lr=0.1)
    s.model = lib.nn.Linear(3, 2)
    s.seq = lib.nn.Sequential(lib.nn.Linear(3, 2), lib.nn.ReLU())
    return s


def snapshot(lib, s):
    """Everything a failed call must leave as it was."""
    state = {"grad mode": lib.is_grad_enabled()}
    tensors = {name: t for name, t in vars(s).items() if isinstance(t, lib.Tensor)}
    for module_name in ("model", "seq"):
        for name, p in getattr(s, module_name).named_parameters():
            tensors[f"{module_name}.{name}"] = p
    for name, t in tensors.items():
        grad = t._grad if hasattr(t, "_grad") else t.grad
        state[name] = (tuple(t.shape), str(t.dtype), t.detach().numpy().tolist(), t._version, t.requires_grad,
                       None if grad is None else grad.numpy().tolist())
    for opt_name in ("opt", "adam"):
        opt = getattr(s, opt_name)
        state[opt_name] = (repr(opt.param_groups), {id(p): {k: (v.tolist() if isinstance(v, lib.Tensor) else v)
                                                             for k, v in st.items()} for p, st in opt.state.items()})
    state["modes"] = (s.model.training, s.seq.training)
    return state


def _big():
    return 2 ** 63


# (label, call, PyTorch's text is stable); each call raises in PyTorch 2.13
CALLS = [
    # ----- making tensors
    ("tensor of a str", lambda t, s: t.tensor("abc"), False),
    ("tensor ragged", lambda t, s: t.tensor([[1, 2], [3]]), True),
    ("tensor of None", lambda t, s: t.tensor(None), True),
    ("tensor overflow int64", lambda t, s: t.tensor(_big()), True),
    ("tensor overflow int32", lambda t, s: t.tensor([2 ** 40], dtype=t.int32), True),
    ("tensor dtype string", lambda t, s: t.tensor([1.0], dtype="float32"), True),
    ("tensor dtype numpy", lambda t, s: t.tensor([1.0], dtype=np.float32), True),
    ("tensor of an object array", lambda t, s: t.tensor(np.array([1, "a"], dtype=object)), True),
    ("from_numpy of strings", lambda t, s: t.from_numpy(np.array(["a"])), True),
    ("tensor int requires_grad", lambda t, s: t.tensor([1, 2], requires_grad=True), True),
    ("ones float size", lambda t, s: t.ones((2, 2.7)), True),
    ("ones str size", lambda t, s: t.ones("12"), True),
    ("zeros None size", lambda t, s: t.zeros(None), True),
    ("zeros negative", lambda t, s: t.zeros(2, -3), True),
    ("rand float size", lambda t, s: t.rand(2.5), True),
    ("zeros size keyword of floats", lambda t, s: t.zeros(size=(2, 2.0)), True),
    ("ones size twice", lambda t, s: t.ones(2, size=(2,)), True),
    ("zeros no size", lambda t, s: t.zeros(), True),
    ("randn no size", lambda t, s: t.randn(), True),
    ("randn str", lambda t, s: t.randn("a"), True),
    ("ones int requires_grad", lambda t, s: t.ones(2, dtype=t.int64, requires_grad=True), True),
    ("full None", lambda t, s: t.full((2,), None), True),
    ("full int size", lambda t, s: t.full(2, 1.0), True),
    ("full overflow", lambda t, s: t.full((2,), 2 ** 40, dtype=t.int32), True),
    ("arange wrong sign", lambda t, s: t.arange(10, 0, 1), True),
    ("arange zero step", lambda t, s: t.arange(0, 10, 0), True),
    ("arange str", lambda t, s: t.arange("a"), True),
    ("arange inf", lambda t, s: t.arange(float("inf")), True),
    ("linspace negative steps", lambda t, s: t.linspace(0, 1, -1), True),
    ("eye negative", lambda t, s: t.eye(-1), True),
    ("eye float", lambda t, s: t.eye(2.5), True),
    ("zeros_like of a list", lambda t, s: t.zeros_like([1, 2]), False),
    # ----- ops given the wrong type
    ("exp of a str", lambda t, s: t.exp("a"), True),
    ("exp of a float", lambda t, s: t.exp(1.0), True),
    ("sum of a list", lambda t, s: t.sum([1, 2]), False),
    ("add str", lambda t, s: t.add(s.x, "a"), True),
    ("add str first", lambda t, s: t.add("a", s.x), True),
    ("x + None", lambda t, s: s.x + None, True),
    ("x ** str", lambda t, s: s.x ** "a", True),
    ("matmul int", lambda t, s: t.matmul(s.x, 2), True),
    ("x @ list", lambda t, s: s.x @ [1, 2], False),
    ("maximum number", lambda t, s: t.maximum(s.x, 1.0), True),
    ("where str", lambda t, s: t.where(s.b, "a", s.d), False),
    ("cat of a tensor", lambda t, s: t.cat(s.x), False),
    ("stack of ints", lambda t, s: t.stack([1, 2]), False),
    ("isclose number", lambda t, s: t.isclose(s.v, 1.0), True),
    ("lerp str weight", lambda t, s: s.v.lerp(s.v, "a"), False),
    # ----- shapes that do not fit
    ("add shapes", lambda t, s: s.x + s.v[:2], True),
    ("mul shapes", lambda t, s: s.x * t.ones(3, 2), True),
    ("mm shapes", lambda t, s: s.x.mm(s.x), True),
    ("mm of a vector", lambda t, s: s.x.mm(s.v), True),
    ("matmul shapes", lambda t, s: s.x @ s.x, True),
    ("dot of matrices", lambda t, s: t.dot(s.x, s.x), True),
    ("dot lengths", lambda t, s: t.dot(s.v, s.v[:2]), True),
    ("mv shapes", lambda t, s: t.mv(s.x, s.v[:2]), True),
    ("bmm of matrices", lambda t, s: t.bmm(s.x, s.x), True),
    ("view wrong size", lambda t, s: s.x.view(4), True),
    ("view two -1", lambda t, s: s.x.view(-1, -1), True),
    ("view of a transposed", lambda t, s: s.x.t().view(6), True),
    ("reshape wrong size", lambda t, s: s.x.reshape(5), True),
    ("expand smaller", lambda t, s: s.x.expand(3), True),
    ("expand mismatch", lambda t, s: s.x.expand(2, 4), True),
    ("cat shapes", lambda t, s: t.cat([s.x, s.v]), True),
    ("stack shapes", lambda t, s: t.stack([s.x, s.v]), True),
    ("cat empty list", lambda t, s: t.cat([]), True),
    ("addmm bias", lambda t, s: t.addmm(t.ones(4), s.x, s.m), True),
    ("outer of a matrix", lambda t, s: t.outer(s.x, s.v), True),
    ("einsum too few", lambda t, s: t.einsum("ij,jk->ik", s.x), True),
    ("einsum sizes", lambda t, s: t.einsum("ij,jk->ik", s.x, s.x), True),
    ("einsum output letter", lambda t, s: t.einsum("ij->k", s.x), True),
    ("einsum dims", lambda t, s: t.einsum("i", s.x), True),
    ("einsum repeated letter sizes", lambda t, s: t.einsum("ii", s.x), True),
    ("einsum output letter twice", lambda t, s: t.einsum("i->ii", s.x[0]), True),
    ("einsum digit subscript", lambda t, s: t.einsum("i1", s.x), True),
    ("einsum two ellipses", lambda t, s: t.einsum("...i...", s.x), True),
    ("einsum stray dot", lambda t, s: t.einsum("i.j", s.x), True),
    ("einsum ellipsis too many letters", lambda t, s: t.einsum("...ijk", s.x), True),
    ("einsum ellipsis sizes", lambda t, s: t.einsum("...,...", s.x, s.x[:1, 0].expand(2)), True),
    ("split sizes sum", lambda t, s: s.x.split([1, 1], 1), True),
    ("chunk zero", lambda t, s: s.x.chunk(0), True),
    ("chunk 0-d", lambda t, s: s.z.chunk(2), True),
    ("repeat too few", lambda t, s: s.x.repeat(2), True),
    ("roll misaligned", lambda t, s: s.x.roll(1, (0, 1)), True),
    ("flip repeated dim", lambda t, s: s.x.flip(0, 0), True),
    ("masked_fill mask shape", lambda t, s: s.v.masked_fill(s.b, 0.0), True),
    ("lerp shapes", lambda t, s: s.v.lerp(t.ones(2), 0.5), True),
    ("sum_to_size", lambda t, s: s.x.sum_to_size(3, 3), True),
    # ----- dims and indices out of range
    ("sum dim", lambda t, s: s.x.sum(2), True),
    ("sum dim negative", lambda t, s: s.x.sum(-3), True),
    ("sum dim repeated", lambda t, s: s.x.sum((0, 0)), True),
    ("mean dim", lambda t, s: s.x.mean(5), True),
    ("max dim", lambda t, s: s.x.max(3), True),
    ("softmax dim", lambda t, s: s.x.softmax(2), True),
    ("unsqueeze dim", lambda t, s: s.x.unsqueeze(4), True),
    ("squeeze dim", lambda t, s: s.x.squeeze(3), True),
    ("transpose dim", lambda t, s: s.x.transpose(0, 2), True),
    ("permute too few", lambda t, s: s.x.permute(0), True),
    ("permute repeated", lambda t, s: s.x.permute(0, 0), True),
    ("t of 3-d", lambda t, s: t.ones(2, 2, 2).t(), True),
    ("size dim", lambda t, s: s.x.size(2), True),
    ("cumsum dim", lambda t, s: s.x.cumsum(2), True),
    ("sort dim", lambda t, s: s.x.sort(dim=5), True),
    ("select index", lambda t, s: s.x.select(0, 5), True),
    ("narrow too long", lambda t, s: s.x.narrow(1, 2, 5), True),
    ("x[5]", lambda t, s: s.x[5], True),
    ("x[0, 0, 0]", lambda t, s: s.x[0, 0, 0], True),
    ("x[tensor 9]", lambda t, s: s.x[t.tensor([9])], True),
    ("x[float]", lambda t, s: s.x[1.5], False),
    ("x[str]", lambda t, s: s.x["a"], False),
    ("gather out of range", lambda t, s: s.x.gather(0, t.tensor([[5, 0, 0]])), True),
    ("gather float index", lambda t, s: s.x.gather(0, t.tensor([[0.0]])), True),
    ("gather ndim", lambda t, s: s.x.gather(0, s.i), True),
    ("index_select 2-d", lambda t, s: s.x.index_select(0, t.tensor([[0]])), True),
    ("index_select out of range", lambda t, s: s.x.index_select(0, t.tensor([7])), True),
    ("topk too many", lambda t, s: s.x.topk(9), True),
    ("argmax dim", lambda t, s: s.x.argmax(2), True),
    # ----- dtypes
    ("mean of ints", lambda t, s: s.i.mean(), True),
    ("var of ints", lambda t, s: s.i.var(), True),
    ("frac of ints", lambda t, s: s.i.frac(), True),
    ("bool minus bool", lambda t, s: s.b - s.b, True),
    ("mm dtypes", lambda t, s: s.x.mm(t.ones(3, 2, dtype=t.float64)), True),
    ("scatter src dtype", lambda t, s: s.x.scatter(0, t.tensor([[0]]), t.ones(1, 1, dtype=t.float64)), True),
    ("lerp dtypes", lambda t, s: s.v.lerp(t.ones(3, dtype=t.float64), 0.5), True),
    ("isclose dtypes", lambda t, s: t.isclose(s.v, t.ones(3, dtype=t.float64)), True),
    ("int add_ float", lambda t, s: s.i.add_(1.5), True),
    ("int requires_grad_", lambda t, s: s.i.requires_grad_(), True),
    ("norm p an array", lambda t, s: s.x.norm(p=np.array(2.0)), True),
    ("norm p complex", lambda t, s: t.norm(s.v, p=2 + 0j), True),
    ("clamp misspelt min", lambda t, s: s.x.clamp(mn=0), True),
    ("sum misspelt dim", lambda t, s: t.sum(s.x, dims=0), True),
    ("mul misspelt other", lambda t, s: s.x.mul(othr=2), True),
    ("exp given an argument", lambda t, s: s.x.exp(1), True),
    ("sum dtype str", lambda t, s: s.x.sum(dtype="float32"), False),
    ("sum dim bool", lambda t, s: s.x.sum(dim=True), False),
    ("sum keepdim int", lambda t, s: s.x.sum(0, keepdim=1), True),
    ("sum keepdim without dim", lambda t, s: s.x.sum(keepdim=True), True),
    ("mean keepdim without dim", lambda t, s: t.mean(s.x, keepdim=True), True),
    ("prod keepdim without dim", lambda t, s: s.x.prod(keepdim=True), True),
    ("max keepdim without dim", lambda t, s: s.x.max(keepdim=True), True),
    ("to str", lambda t, s: s.x.to("float32"), True),
    ("to numpy dtype", lambda t, s: s.x.to(np.float64), False),
    ("one_hot of floats", lambda t, s: t.nn.functional.one_hot(s.v), True),
    ("gelu of ints", lambda t, s: t.nn.functional.gelu(s.i), True),
    # ----- autograd
    ("backward of a non-scalar", lambda t, s: s.y.backward(), True),
    ("backward of no grad", lambda t, s: s.v.sum().backward(), True),
    ("backward wrong gradient shape", lambda t, s: s.y.backward(t.ones(3)), True),
    ("backward numpy gradient", lambda t, s: s.y.backward(np.ones((2, 3))), True),
    ("backward float gradient", lambda t, s: s.y.backward([1.0]), True),
    ("backward inputs empty", lambda t, s: s.y.sum().backward(inputs=[]), True),
    ("grad of a list of floats", lambda t, s: t.autograd.grad(s.y.sum(), [1.0]), True),
    ("grad no grad input", lambda t, s: t.autograd.grad(s.y.sum(), s.v), True),
    ("grad unused", lambda t, s: t.autograd.grad(s.y.sum(), [s.x, t.ones(1, requires_grad=True)]), True),
    ("grad empty inputs", lambda t, s: t.autograd.grad(s.y.sum(), []), True),
    ("leaf in place", lambda t, s: s.x.add_(1), True),
    ("leaf view in place", lambda t, s: s.x[0].mul_(2), True),
    ("leaf setitem", lambda t, s: s.x.__setitem__(0, 1.0), True),
    ("leaf zero_", lambda t, s: s.x.zero_(), True),
    ("requires_grad of a non-leaf", lambda t, s: setattr(s.y, "requires_grad", False), True),
    ("retain_grad no grad", lambda t, s: s.v.retain_grad(), True),
    ("register_hook no grad", lambda t, s: s.v.register_hook(lambda g: g), True),
    ("numpy of requires grad", lambda t, s: s.x.numpy(), True),
    ("item of many", lambda t, s: s.x.item(), True),
    ("float of many", lambda t, s: float(s.v), True),
    ("bool of many", lambda t, s: bool(s.v), True),
    ("len of 0-d", lambda t, s: len(s.z), True),
    ("iter of 0-d", lambda t, s: iter(s.z), True),
    ("grad wrong shape", lambda t, s: setattr(s.x, "grad", t.ones(3)), True),
    ("grad wrong dtype", lambda t, s: setattr(s.x, "grad", t.ones(2, 3, dtype=t.float64)), True),
    ("grad a list", lambda t, s: setattr(s.x, "grad", [1.0]), True),
    ("data a str", lambda t, s: setattr(s.x, "data", "abc"), True),
    ("detach_ of a view", lambda t, s: s.x[0].detach_(), True),
    ("deepcopy non-leaf", lambda t, s: __import__("copy").deepcopy(s.y), True),
    ("set_grad_enabled int", lambda t, s: t.set_grad_enabled(1), True),
    ("jacobian of a list", lambda t, s: t.autograd.functional.jacobian(lambda a: a, [s.v]), True),
    ("hessian of a vector output", lambda t, s: t.autograd.functional.hessian(lambda a: a, s.v), True),
    # ----- devices: minigrad, like PyTorch's CPU build, has no GPU
    ("to cuda", lambda t, s: s.x.to("cuda"), True),
    ("to cuda with a dtype", lambda t, s: s.x.to("cuda", t.float64), True),
    ("cuda()", lambda t, s: s.y.cuda(), True),
    ("ones on cuda", lambda t, s: t.ones(2, device="cuda"), True),
    ("model to cuda", lambda t, s: s.model.to("cuda"), True),
    ("model to float64 on cuda", lambda t, s: s.seq.to("cuda", t.float64), True),
    ("model cuda()", lambda t, s: s.model.cuda(), True),
    ("to an unknown device", lambda t, s: s.x.to("gpu"), True),
    ("to xla", lambda t, s: s.x.to("xla"), True),
    ("ones on xla", lambda t, s: t.ones(2, device="xla"), False),
    ("model to vulkan", lambda t, s: s.model.to("vulkan"), True),
    ("zeros on hpu", lambda t, s: t.zeros(2, device="hpu"), True),
    # ----- nn and optim
    ("linear wrong features", lambda t, s: s.model(t.ones(2, 4)), True),
    ("linear of a 0-d", lambda t, s: s.model(s.z), True),
    ("sequential wrong features", lambda t, s: s.seq(t.ones(5)), True),
    ("mse_loss shapes", lambda t, s: t.nn.functional.mse_loss(s.x, t.ones(3, 3)), True),
    ("cross_entropy float target ndim", lambda t, s: t.nn.functional.cross_entropy(s.x, t.ones(5)), False),
    ("cross_entropy class out of range", lambda t, s: t.nn.functional.cross_entropy(s.x, t.tensor([0, 7])), True),
    ("nll_loss batch", lambda t, s: t.nn.functional.nll_loss(s.x, t.tensor([0, 1, 2])), True),
    ("bce out of range", lambda t, s: t.nn.functional.binary_cross_entropy(s.v, t.ones(3)), True),
    ("bce shapes", lambda t, s: t.nn.functional.binary_cross_entropy(t.ones(2, 3) * 0.5, t.ones(3)), True),
    ("bce logits shapes", lambda t, s: t.nn.functional.binary_cross_entropy_with_logits(s.x, t.ones(3)), True),
    ("reduction name", lambda t, s: t.nn.functional.l1_loss(s.v, s.v, reduction="avg"), True),
    ("dropout p", lambda t, s: t.nn.functional.dropout(s.v, 1.5), True),
    ("Dropout p", lambda t, s: t.nn.Dropout(-0.1), True),
    ("one_hot too small", lambda t, s: t.nn.functional.one_hot(t.tensor([3]), 2), True),
    ("train mode str", lambda t, s: s.model.train("yes"), True),
    ("load_state_dict missing", lambda t, s: s.model.load_state_dict({}), False),
    ("SGD negative lr", lambda t, s: t.optim.SGD([s.p], lr=-1.0), True),
    ("SGD empty", lambda t, s: t.optim.SGD([], lr=0.1), True),
    ("SGD a tensor", lambda t, s: t.optim.SGD(s.p, lr=0.1), True),
    ("SGD nesterov", lambda t, s: t.optim.SGD([s.p], lr=0.1, nesterov=True), True),
    ("Adam beta", lambda t, s: t.optim.Adam([s.p], betas=(1.5, 0.9)), True),
    ("add_param_group again", lambda t, s: s.opt.add_param_group({"params": [s.p]}), True),
    ("optimizer load groups", lambda t, s: s.opt.load_state_dict({"state": {}, "param_groups": []}), True),
    ("step with a wrong grad shape", lambda t, s: (setattr(s.p.grad, "data", t.ones(4)), s.opt.step()), True),
    ("adam step with a wrong grad shape", lambda t, s: (setattr(s.p.grad, "data", t.ones(4)), s.adam.step()), True),
    ("StepLR of an int", lambda t, s: t.optim.lr_scheduler.StepLR(5, 1), True),
    ("F.relu of a str", lambda t, s: t.nn.functional.relu("a"), True),
    ("F.gelu of a str", lambda t, s: t.nn.functional.gelu("a"), True),
    ("F.silu of a list", lambda t, s: t.nn.functional.silu([1.0]), True),
    ("F.dropout of a str", lambda t, s: t.nn.functional.dropout("a"), True),
    ("F.linear of a str", lambda t, s: t.nn.functional.linear("a", s.m), True),
    ("F.one_hot of a list", lambda t, s: t.nn.functional.one_hot([1]), True),
]


def _raised(lib, call):
    s = make_state(lib)
    before = snapshot(lib, s)
    try:
        call(lib, s)
    except Exception as error:  # noqa: BLE001  (the table is about which exception)
        return s, before, error
    return s, before, None


@pytest.mark.filterwarnings("ignore")  # some calls warn before they fail (a target size, a deprecated flag)
@pytest.mark.parametrize("label, call, stable", CALLS, ids=[c[0] for c in CALLS])
def test_minigrad_refuses_and_changes_nothing(label, call, stable):
    s, before, error = _raised(minigrad, call)
    assert error is not None, f"{label}: minigrad accepted it"
    if "grad shape" in label:  # the call itself swapped p.grad's data before step(); put it back to compare
        s.p.grad.data = minigrad.ones(3)
    after = snapshot(minigrad, s)
    assert after == before


def test_the_table_is_big_enough():
    assert len(CALLS) >= 100 and len({c[0] for c in CALLS}) == len(CALLS)


@pytest.mark.skipif(torch is None, reason="PyTorch is not installed")
@pytest.mark.filterwarnings("ignore")
@pytest.mark.parametrize("label, call, stable", CALLS, ids=[c[0] for c in CALLS])
def test_same_exception_as_pytorch(label, call, stable):
    torch.set_warn_always(True)
    _, _, expected = _raised(torch, call)
    _, _, actual = _raised(minigrad, call)
    assert expected is not None, f"{label}: PyTorch accepts it (the table is wrong)"
    assert type(actual).__name__ == type(expected).__name__, f"{label}: {actual!r} vs PyTorch's {expected!r}"
    if stable:
        assert str(actual) == normalise(str(expected))
