"""A leaf's ``.grad`` is laid out, kept or copied as PyTorch's ``AccumulateGrad`` does it.

- A matrix product computes each input's gradient in that input's layout: the gradient of ``weight.t()`` in a
  linear layer is ``(gradᵀ · x)ᵀ``, so after ``TBackward0`` it is row-major like the weight (not a transposed copy).
- The gradient layout contract: a dense leaf's ``.grad`` has the leaf's strides, any other leaf's is contiguous. A
  gradient that obeys it and that nothing else refers to is kept as it is (version 0), a view included (so
  ``x.view(4).backward(g)`` keeps a view of ``g``, and two views of one gradient share memory, as in PyTorch); any
  other is copied in the leaf's layout (version 1), a broadcast view (stride 0) always.
- With ``create_graph`` the weight's gradient is recorded as PyTorch records it: ``TBackward0`` over ``TBackward0``
  over ``MmBackward0``.
"""
import pytest

pytest.importorskip("torch")

from harness import assert_same_outcome  # noqa: E402

ARRAY_OPS = """\
x = torch.ones(2, requires_grad=True); y = torch.ones(3, requires_grad=True)
(torch.cat([x, y]) * 2).sum().backward(); print("cat", x.grad._version, y.grad._version, x.grad.stride())
a = torch.ones(2, 3, requires_grad=True); b = torch.ones(2, 3, requires_grad=True)
(torch.stack([a, b], 1) * 2).sum().backward(); print("stack", a.grad._version, b.grad._version, a.grad.stride())
c = torch.ones(4, 3, requires_grad=True)
(torch.cat([c, c], 1) * 3).sum().backward(); print("cat dim1", c.grad, c.grad._version, c.grad.stride())
d = torch.ones(3, 2, requires_grad=True)
(d[1] * 2).sum().backward(); print("select", d.grad._version)
(d[0:2] * 2).sum().backward(); print("slice", d.grad._version, d.grad)
e = torch.ones(3, requires_grad=True)
(e[torch.tensor([0, 0, 2])] * 2).sum().backward(); print("index", e.grad, e.grad._version)
f = torch.ones(2, 2, requires_grad=True)
torch.bmm(f.expand(1, 2, 2) * 1, torch.ones(1, 2, 2)).sum().backward()
print("bmm", f.grad, f.grad._version)
g = torch.tensor([0., 1., 2.], requires_grad=True)
h = torch.tensor([0., 2., 0.5], requires_grad=True)
(g ** h).sum().backward(); print("pow", g.grad, h.grad, g.grad._version, h.grad._version)
k = torch.tensor([1., -1.], requires_grad=True)
(2 ** k).sum().backward(); print("rpow", k.grad, k.grad._version)
m = torch.tensor([[1., 3., 3.], [2., 0., 5.]], requires_grad=True)
for f_ in (lambda: m.var(1), lambda: m.std(), lambda: m.amax(1), lambda: m.amin(),
           lambda: m.logsumexp(1)):
    m.grad = None; (f_() * 2).sum().backward(); print(m.grad, m.grad._version)
al = torch.ones(2, requires_grad=True)
(al[...] * 2).sum().backward(); print("alias", al.grad._version)
"""

SEVERAL_OUTPUTS_AND_SCANS = """\
x = torch.tensor([[1., 2., 3.], [4., 0., 6.]], requires_grad=True)
for name, f in [("split", lambda: x.split(1)[1] * 2), ("split sizes", lambda: x.split([1, 2], 1)[1] * 2),
                ("unbind", lambda: x.unbind(1)[2] * 3), ("chunk", lambda: x.chunk(3, 1)[0] * 2),
                ("cumsum", lambda: x.cumsum(1) * 2), ("cumprod", lambda: x.cumprod(1)),
                ("prod", lambda: x.prod()), ("prod dim", lambda: x.prod(1)),
                ("cumsum float64", lambda: x.cumsum(0, dtype=torch.float64))]:
    x.grad = None
    f().sum().backward()
    print(name, x.grad, x.grad._version, x.grad.stride())
"""

REORDERING_ROUNDING_CLAMPING = """\
x = torch.tensor([[1., -2.5, 3.], [4., 0.5, -6.]], requires_grad=True)
for name, f in [("gather", lambda: x.gather(1, torch.tensor([[0, 0], [2, 1]]))),
                ("index_select", lambda: x.index_select(1, torch.tensor([2, 2, 0]))),
                ("flip", lambda: x.flip(0)),
                ("roll", lambda: x.roll(1, 1)), ("repeat", lambda: x.repeat(2, 1)),
                ("round", lambda: x.round() + x),
                ("frac", lambda: x.frac()), ("lerp", lambda: x.lerp(torch.ones(3), 0.25)),
                ("lerp tensor", lambda: x.lerp(torch.ones(3), torch.full((2, 3), 0.5))),
                ("scatter", lambda: x.scatter(1, torch.tensor([[1], [0]]), x[:, :1] * 3)),
                ("scatter value", lambda: x.scatter(1, torch.tensor([[1], [0]]), 9.0)),
                ("clamp tensors", lambda: x.clamp(torch.tensor([0., 0., -1.]), torch.tensor(2.))),
                ("clamp_min tensor", lambda: torch.clamp_min(x, torch.zeros(3)))]:
    x.grad = None
    y = f()
    print(name, y.grad_fn.name())
    (y * torch.arange(y.numel()).reshape(y.shape)).sum().backward()
    print(name, x.grad, x.grad._version, x.grad.stride())
"""

PROGRAMS = {
    "a linear layer's weight.grad is row-major and kept": (
        "torch.manual_seed(0)\nlayer = torch.nn.Linear(5, 4)\nx = torch.randn(3, 5, requires_grad=True)\n"
        "(layer(x) ** 2).sum().backward()\n"
        "for p in (layer.weight, layer.bias, x):\n    print(tuple(p.grad.shape), p.grad.stride(), p.grad._version)"),
    "mm with transposed operands: gradients in each operand's layout": (
        "torch.manual_seed(0)\na = torch.randn(3, 4, requires_grad=True)\nb = torch.randn(5, 4, requires_grad=True)\n"
        "c = torch.randn(4, 3, requires_grad=True)\n(a @ b.t()).sum().backward()\n(c.t() @ b.t()).sum().backward()\n"
        "for p in (a, b, c):\n    print(p.grad.stride(), p.grad._version)\n"
        "r = torch.randn(1, 3, requires_grad=True)\n(r.t() @ torch.randn(1, 2)).sum().backward()\n"
        "print(r.grad.stride(), r.grad._version)"),
    "addmm with alpha and beta on transposed operands": (
        "torch.manual_seed(0)\nb = torch.randn(3, 2, requires_grad=True)\nc = torch.randn(5, 2, requires_grad=True)\n"
        "bias = torch.randn(5, requires_grad=True)\nout = torch.addmm(bias, b, c.t(), beta=0.5, alpha=3.0)\n"
        "(out * out).sum().backward()\nfor p in (b, c, bias):\n    print(p.grad, p.grad.stride(), p.grad._version)"),
    "a view of the given gradient is kept (sharing its memory), a transposed one copied": (
        "x = torch.ones(3, 4, requires_grad=True)\ng = torch.arange(12.).reshape(3, 4)\nx.view(3, 4).backward(g)\n"
        "print(x.grad.data_ptr() == g.data_ptr(), x.grad._version)\ny = torch.ones(3, 4, requires_grad=True)\n"
        "h = torch.arange(12.).reshape(4, 3)\ny.t().backward(h)\n"
        "print(y.grad.data_ptr() == h.data_ptr(), y.grad.stride(), y.grad._version)"),
    "two views of one gradient share memory; a plain use of it is copied": (
        "x = torch.ones(2, 2, requires_grad=True)\ny = torch.ones(2, 2, requires_grad=True)\n"
        "((x.view(4) + y.view(4)) * 2).sum().backward()\n"
        "print(x.grad.data_ptr() == y.grad.data_ptr(), x.grad._version, y.grad._version)\n"
        "u = torch.ones(2, 2, requires_grad=True)\nv = torch.ones(4, requires_grad=True)\n"
        "((u.view(4) + v) * 2).sum().backward()\nprint(u.grad.data_ptr() == v.grad.data_ptr(), u.grad._version, "
        "v.grad._version)"),
    "a broadcast gradient (sum's) is copied, at version 1": (
        "x = torch.ones(3, 4, requires_grad=True)\nx.sum().backward()\nprint(x.grad.stride(), x.grad._version)\n"
        "w = torch.ones(3, 1, requires_grad=True)\n(w.expand(3, 4) * torch.ones(3, 4)).sum().backward()\n"
        "print(w.grad.stride(), w.grad._version)\nm = torch.ones(2, 3, requires_grad=True)\nm.mean().backward()\n"
        "print(m.grad.stride(), m.grad._version)"),
    "a 0-d gradient summed down from a broadcast is kept (numpy hands it over as a scalar)": (
        "x = torch.tensor(1., requires_grad=True)\n((x + torch.ones(3)) * 2).sum().backward()\n"
        "print(x.grad, x.grad._version)\ny = torch.tensor(1., requires_grad=True)\n(y.expand(3) * 2).sum().backward()\n"
        "print(y.grad, y.grad._version)"),
    "leaves that are not row-major: strided like the leaf if dense, else contiguous": (
        "torch.manual_seed(0)\nx = torch.randn(4, 6)[:, ::2].detach().requires_grad_()\n(x * 2).sum().backward()\n"
        "print(x.grad.stride(), x.grad._version, x.grad.is_contiguous())\n"
        "y = torch.randn(4, 3).t().detach().requires_grad_()\nfor _ in range(2):\n    (y * 2).sum().backward()\n"
        "    print(y.grad.stride(), y.grad._version)\n"
        "z = torch.randn(2, 3, 4).permute(2, 0, 1).detach().requires_grad_()\n"
        "z.exp().sum().backward()\nprint(z.grad.stride(), z.grad._version)"),
    "with create_graph the weight's gradient is TBackward0 over TBackward0 over MmBackward0": (
        "torch.manual_seed(0)\nlayer = torch.nn.Linear(3, 2)\nx = torch.randn(4, 3)\n"
        "(g,) = torch.autograd.grad((layer(x) ** 2).sum(), layer.weight, create_graph=True)\n"
        "node = g.grad_fn\nfor _ in range(3):\n    print(node.name(), g.stride() if node is g.grad_fn else '')\n"
        "    node = node.next_functions[0][0]\n(h,) = torch.autograd.grad(g.sum(), layer.weight)\nprint(h)"),
    "ops whose backward runs on arrays: cat, stack, select, slice, index, bmm, pow, statistics": ARRAY_OPS,
    "split, unbind, chunk, cumsum, cumprod and prod on arrays (zeros for the pieces no gradient reached)":
        SEVERAL_OUTPUTS_AND_SCANS,
    "gather, index_select, flip, roll, repeat, rounding, lerp, scatter and clamp by tensors on arrays":
        REORDERING_ROUNDING_CLAMPING,
}


@pytest.mark.parametrize("code", list(PROGRAMS.values()), ids=list(PROGRAMS))
def test_program_matches_pytorch(torch_module, minigrad_module, code):
    assert_same_outcome(code, torch_module, minigrad_module)
