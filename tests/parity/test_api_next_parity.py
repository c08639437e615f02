"""Snippets a learner writes after the tutorials, run on PyTorch 2.13 and on minigrad: the same printed output,
warnings and errors (after harness.normalise: ``torch.`` is expected as ``minigrad.``)."""
import pytest

torch = pytest.importorskip("torch")

import minigrad  # noqa: E402
from harness import assert_same_outcome  # noqa: E402

SNIPPETS = {
    "inference_mode": "w = torch.ones(2, requires_grad=True)\n"
                      "with torch.inference_mode():\n"
                      "    x = torch.ones(2)\n"
                      "    y = w * 2\n"
                      "    print(x.is_inference(), y.is_inference(), y.requires_grad, torch.is_grad_enabled())\n"
                      "    print(y, y.grad_fn, torch.is_inference_mode_enabled())\n"
                      "print(torch.is_inference_mode_enabled(), torch.is_grad_enabled(), x.detach().is_inference(),"
                      " x.clone().is_inference())\n"
                      "print(w.exp() + x)\n"
                      "try:\n    x * w\nexcept RuntimeError as e:\n    print(e)\n"
                      "try:\n    x.requires_grad_()\nexcept RuntimeError as e:\n    print(e)\n"
                      "try:\n    x.add_(1)\nexcept RuntimeError as e:\n    print(e)\n",
    "inference_mode decorator": "@torch.inference_mode()\ndef f(a):\n    return a * 2\n"
                                "@torch.inference_mode\ndef g(a):\n    return a * 2\n"
                                "w = torch.ones(2, requires_grad=True)\n"
                                "print(f(w), f(w).is_inference(), g(w).is_inference(), torch.is_grad_enabled())\n"
                                "with torch.inference_mode(False):\n    print(torch.ones(1).is_inference())",
    "jacobian and hessian": "from torch.autograd.functional import jacobian, hessian\n"
                            "x = torch.tensor([1., 2.])\n"
                            "print(jacobian(lambda a: a ** 2, x))\n"
                            "print(jacobian(lambda a, b: a * b, (x, torch.tensor(3.))))\n"
                            "print(jacobian(lambda a: (a * 2, a.sum()), x))\n"
                            "print(hessian(lambda a: (a ** 3).sum(), x))\n"
                            "print(torch.autograd.functional.hessian(lambda a, b: (a * b).sum(), (x, torch.tensor(3.))))\n"
                            "try:\n    jacobian(lambda a: 1, x)\nexcept TypeError as e:\n    print(e)",
    "sort, topk and max print their result types": "x = torch.tensor([[3., 1., 2.], [0., 5., 4.]])\n"
                                                   "print(x.sort(1))\nprint(x.topk(2))\nprint(x.sort(0, descending=True).indices)\n"
                                                   "print(x.argsort(), x.amax(1), x.logsumexp(1))",
    "reductions print": "x = torch.tensor([[1., 2., 3.], [4., 5., 6.]], requires_grad=True)\n"
                        "print(x.prod(), x.prod(1), x.std(), x.var(0), x.cumsum(1), x.cumprod(0))\n"
                        "print(x.round(), x.floor(), x.ceil(), x.sign(), x.trunc(), x.frac())",
    "moving elements": "x = torch.arange(12.).reshape(3, 4).requires_grad_()\n"
                       "print(x.flip(0), x.roll(1, 1), x.repeat(1, 2))\n"
                       "print(x.gather(1, torch.tensor([[0], [3], [1]])), x.index_select(0, torch.tensor([2, 0])))\n"
                       "print(x.scatter(0, torch.tensor([[2, 1, 0, 2]]), -1.))\n"
                       "print(x.chunk(2, 1), x.split([1, 2]))",
    "einsum, outer, addmm": "a = torch.arange(6.).reshape(2, 3)\nb = torch.arange(12.).reshape(3, 4)\n"
                            "print(torch.einsum('ij,jk->ik', a, b), torch.einsum('ij->ji', a), torch.einsum('i,i', b[0], b[1]))\n"
                            "print(torch.outer(a[0], a[1]), torch.addmm(torch.ones(4), a, b, beta=2, alpha=0.5))",
    "layout and types": "x = torch.arange(12.).reshape(3, 4)\n"
                        "print(x.stride(), x.t().stride(), x.t().is_contiguous(), x.t().contiguous().stride())\n"
                        "print(x[1:, 1:].storage_offset(), x.data_ptr() == x.detach().data_ptr())\n"
                        "print(x.type(), x.type(torch.int64), x.type_as(torch.ones(1, dtype=torch.float64)).dtype)\n"
                        "print(x.new_zeros(2), x.new_ones((1, 2)), x.new_tensor([1, 2]), x.new_full((2,), 3))\n"
                        "print(torch.isclose(x, x + 1e-7), torch.ones(2).lerp(torch.zeros(2), 0.25), "
                        "torch.tensor([float('nan'), float('inf'), 1.]).nan_to_num())",
    "dropout after manual_seed": "torch.manual_seed(0)\nx = torch.ones(4, 5, requires_grad=True)\n"
                                 "y = torch.nn.functional.dropout(x, 0.4)\nprint(y)\ny.sum().backward()\nprint(x.grad)\n"
                                 "m = torch.nn.Dropout(0.5)\nm.eval()\nprint(m(x) is x, m)",
    "activations and losses print": "x = torch.tensor([-2., -0.5, 0., 1.5], requires_grad=True)\nF = torch.nn.functional\n"
                                    "print(F.gelu(x), F.leaky_relu(x), F.elu(x), F.softplus(x), F.silu(x))\n"
                                    "t = torch.tensor([0., 1., 1., 0.])\n"
                                    "print(F.binary_cross_entropy(x.sigmoid(), t), F.binary_cross_entropy_with_logits(x, t))\n"
                                    "print(F.l1_loss(x, t), F.smooth_l1_loss(x, t), F.one_hot(torch.tensor([0, 2])))",
    "optimizer state_dict and StepLR": "p = torch.nn.Parameter(torch.tensor([1., -2.]))\n"
                                       "opt = torch.optim.SGD([p], lr=0.5, momentum=0.9)\n"
                                       "sched = torch.optim.lr_scheduler.StepLR(opt, step_size=2, gamma=0.1)\n"
                                       "for _ in range(3):\n    opt.zero_grad()\n    (p ** 2).sum().backward()\n"
                                       "    opt.step()\n    sched.step()\n    print(sched.get_last_lr(), p.grad)\n"
                                       "opt.zero_grad()\nprint(p.grad, opt.state_dict())\n"
                                       "q = torch.nn.Parameter(torch.zeros(2))\nopt2 = torch.optim.SGD([q], lr=1.)\n"
                                       "opt2.load_state_dict(opt.state_dict())\nprint(opt2.state_dict())\n"
                                       "try:\n    torch.optim.SGD([q, p], lr=1.).load_state_dict(opt.state_dict())\n"
                                       "except ValueError as e:\n    print(e)",
    "in-place variants": "x = torch.tensor([[1.5, -2.25, 3.0], [0.5, 4.0, -1.0]])\n"
                         "for name, args in [('round_', ()), ('floor_', ()), ('ceil_', ()), ('trunc_', ()), ('fix_', ()),"
                         " ('sign_', ()), ('frac_', ()), ('nan_to_num_', ()), ('cumsum_', (1,)), ('cumprod_', (0,)),"
                         " ('lerp_', (torch.ones(2, 3), 0.5)), ('scatter_', (0, torch.tensor([[1, 0, 1]]), 9.0)),"
                         " ('addmm_', (torch.ones(2, 2), torch.ones(2, 3)))]:\n"
                         "    y = x.clone()\n    r = getattr(y, name)(*args)\n    print(name, r is y, y._version, y)\n"
                         "try:\n    torch.ones(2, requires_grad=True).round_()\nexcept RuntimeError as e:\n    print(e)",
    "StepLR before optimizer.step warns": "opt = torch.optim.SGD([torch.nn.Parameter(torch.ones(1))], lr=1.)\n"
                                          "s = torch.optim.lr_scheduler.StepLR(opt, 1)\ns.step()\nprint(s.get_last_lr())",
}


@pytest.mark.parametrize("code", list(SNIPPETS.values()), ids=list(SNIPPETS))
def test_snippet_prints_and_raises_as_pytorch(code):
    assert_same_outcome(code, torch, minigrad)
