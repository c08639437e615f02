"""Mismatches with PyTorch 2.13 found by the learner probes in the ops and the engine: each program printed or
raised differently before its fix, and must now print and raise exactly what PyTorch does.

- Type names in errors are CPython's ``tp_name``, as PyTorch's C++ argument checks print them: ``numpy.ndarray``,
  ``numpy.float64``, ``numpy.bool`` (``arguments.type_name``), never the bare ``type(x).__name__``.
- A numpy bool is a number where an op takes one, read as the float 1. or 0. (``numbers.Number`` leaves it out).
- A size takes a 0-d integer numpy array as an int; a tuple's first element decides whether it is a size at all.
- A numpy array index is made a tensor as PyTorch makes it (negative strides refused) and is one index array,
  never a sequence read as a tuple.
- ``for row in x`` gives ``x.unbind(0)``'s rows (UnbindBackward0 views), as PyTorch's ``Tensor.__iter__`` does.
- ``x.grad._version`` counts as PyTorch's does: a gradient copied into ``.grad``, or summed in place by the engine
  before it is kept, is at version 1; every later in-place accumulation adds one."""
import pytest

pytest.importorskip("torch")

from harness import assert_same_outcome  # noqa: E402

PROGRAMS = {
    "numpy.ndarray named in add's type error": 'import numpy as np\ntorch.add(torch.ones(2), np.array([1.]))',
    "numpy.ndarray named in eq's invalid combination": 'import numpy as np\ntorch.eq(torch.ones(2), np.array([1.]))',
    "numpy.float64 named in maximum's type error": 'import numpy as np\ntorch.maximum(torch.ones(2), np.float64(1.))',
    "numpy.ndarray named in matmul's type error": 'import numpy as np\ntorch.matmul(torch.ones(2), np.ones(2))',
    "numpy types named in pow's invalid combination": 'import numpy as np\ntorch.pow(np.array([1.]), np.float64(2.))',
    "numpy types named in cat's errors": 'import numpy as np\nfor args, kwargs in [((np.ones(2),), {}), '
                                         '(([torch.ones(1), np.ones(1)],), {}), (([torch.ones(1)],), {"dim": '
                                         'np.float64(0)})]:\n    try:\n        torch.cat(*args, **kwargs)\n'
                                         '    except TypeError as e:\n        print(e)',
    "numpy types named in max and clamp's invalid combinations": 'import numpy as np\nfor f in [lambda: torch.max('
                                         'torch.ones(2), np.float64(0.)), lambda: torch.clamp(torch.ones(2), np.ones(1))]:'
                                         '\n    try:\n        f()\n    except TypeError as e:\n        print(e)',
    "numpy types named in equal, isclose, mm and dot": 'import numpy as np\nfor f in [torch.equal, torch.isclose, '
                                         'torch.dot]:\n    try:\n        f(torch.ones(1), np.ones(1))\n'
                                         '    except TypeError as e:\n        print(e)\ntorch.mm(torch.ones(1, 1), np.ones(1))',
    "numpy.float64 named in an invalid index": 'import numpy as np\ntorch.ones(2)[np.float64(0.5)]',
    "numpy.ndarray named when assigning .grad": 'import numpy as np\nx = torch.ones(1)\nx.grad = np.ones(1)',
    "numpy.bool named in set_grad_enabled's type error": 'import numpy as np\ntorch.set_grad_enabled(np.bool_(True))',
    "numpy.float64 named in autograd.grad's inputs error": 'import numpy as np\nx = torch.ones(1, requires_grad=True)\n'
                                                           'torch.autograd.grad(x.sum(), np.ones(1))',
    'np.bool_ as a number in add, mul, mul_': 'import numpy as np\nprint(torch.add(torch.ones(2), np.bool_(True)), '
                                              'torch.ones(2).mul_(np.bool_(True)), torch.mul(torch.tensor([2]), '
                                              'np.bool_(True)))',
    'np.bool_ as a float number in sub, div, pow, comparisons, clamp, where, masked_fill and norm': (
        'import numpy as np\nT, F = np.bool_(True), np.bool_(False)\ni = torch.tensor([2, 3])\n'
        'print(torch.sub(i, T), torch.div(i, T), torch.pow(i, T), torch.pow(T, i), torch.eq(i, T), torch.lt(i, F))\n'
        'print(torch.clamp(i, F, T), torch.where(i > 2, i, T), i.masked_fill(i > 2, F), torch.norm(torch.ones(2), p=T))'),
    'np.bool_ in an int tensor\'s mul_: the float result cannot be cast': 'import numpy as np\n'
                                                                           'torch.tensor([2]).mul_(np.bool_(True))',
    'np.bool_ with a bool tensor: add promotes, sub refuses': 'import numpy as np\nb = torch.tensor([True])\n'
                                                              'print(torch.add(b, np.bool_(True)))\ntorch.sub(b, np.bool_(True))',
    'a 0-d integer numpy array as a size': 'import numpy as np\nprint(torch.zeros(np.array(2)).shape)',
    "a float in a size tuple: PyTorch's found-element message": 'torch.zeros((2.0,))',
    '0-d integer numpy arrays anywhere in a size, and negative ones': (
        'import numpy as np\nprint(torch.ones(np.array(2), np.int32(3)).shape, torch.zeros((np.array(2), 3)).shape)\n'
        'for f in [lambda: torch.zeros(2, np.array(-1)), lambda: torch.ones((2, np.array(-1)))]:\n    try:\n'
        '        f()\n    except RuntimeError as e:\n        print(e)'),
    "a size's first element decides (found element at pos 0), a later one fails to unpack": (
        'import numpy as np\nfor f in [lambda: torch.empty((2.0,)), lambda: torch.rand([np.bool_(True), 2]), '
        'lambda: torch.full((np.array([2]),), 1.), lambda: torch.randint(3, (2.5,)), lambda: torch.zeros((2, 2.0)), '
        'lambda: torch.ones((2, np.array(2.))), lambda: torch.zeros(np.array(2.0))]:\n    try:\n        f()\n'
        '    except TypeError as e:\n        print(e)\nprint(torch.zeros((2, True)).shape)'),
    'indexing with a negative-strided numpy array (PyTorch refuses it)': 'import numpy as np\nx = torch.arange(5.)\n'
                                                                         'print(x[np.arange(3)[::-1]])',
    'negative-strided numpy index arrays anywhere in an index, and in setitem': (
        'import numpy as np\nx = torch.arange(6.).reshape(2, 3)\nr = np.arange(3)[::-1]\n'
        'for index in [(0, r), (slice(None), r[1:]), (np.array([True, False])[::-1],), (r[:0],)]:\n    try:\n'
        '        x[index]\n    except ValueError as e:\n        print(e)\ntry:\n    x[0, r] = 1.\n'
        'except ValueError as e:\n    print(e, x)\nprint(x[np.arange(2)[::-1].copy()], x[0, np.arange(4)[::2][:2]])'),
    'a 2-d numpy array index is one index array, not a sequence read as a tuple (no warning)': (
        'import numpy as np\nx = torch.arange(6.).reshape(2, 3)\nprint(x[np.array([[0, 1]])], x[np.array([[1], [0]])].shape)'),
    'iterating a tensor gives UnbindBackward0 rows (unbind)': 'x = torch.tensor([[1., 2.], [3., 4.]], requires_grad=True)\n'
                                                              'print([row.grad_fn for row in x], x.unbind(0))',
    "unbind along a dim: views, saved dim, gradient, empty dims, PyTorch's errors": (
        'x = torch.tensor([[1., 2.], [3., 4.]], requires_grad=True)\nr = torch.unbind(x, dim=-1)\n'
        'print(r, r[0]._base is x, r[0].grad_fn._saved_dim)\nr[0].sum().backward()\nprint(x.grad)\n'
        'print(torch.unbind(torch.ones(0, 2)), torch.ones(2, 0).unbind(1))\n'
        'for f in [lambda: torch.tensor(1.).unbind(), lambda: x.unbind(2), lambda: x.unbind(1.0), '
        'lambda: torch.unbind(x, 1.0), lambda: torch.unbind([1])]:\n    try:\n        f()\n'
        '    except (IndexError, TypeError) as e:\n        print(type(e).__name__, e)'),
    'iterating a 1-d tensor gives 0-d views; iterating a 0-d one is a TypeError': (
        'y = torch.tensor([1., 2.], requires_grad=True)\na, b = y\n(a * b).backward()\nprint(y.grad, a.shape)\n'
        'z = torch.zeros(2, 2)\nr0, r1 = z\nr0.add_(1)\nprint(z, r0._version, z._version)\nlist(torch.tensor(1.))'),
    "x.grad's version after backward is 1": 'x = torch.tensor([1., 2.], requires_grad=True)\n(x * x).sum().backward()\n'
                                             'print(x.grad._version)',
    "x.grad's version: in-place accumulation, a kept gradient, a copied one, create_graph": (
        'import warnings\nwarnings.simplefilter("ignore")\nx = torch.tensor([1., 2.], requires_grad=True)\n'
        'for _ in range(3):\n    (x * x).sum().backward()\n    print(x.grad._version)\nx.grad = None\n'
        '(x * 3).sum().backward()\nprint(x.grad._version)\nx.grad.zero_()\n(x * 3).sum().backward()\n'
        'print(x.grad._version)\nz = torch.tensor(2., requires_grad=True)\n(z * 1).backward(create_graph=True)\n'
        'print(z.grad._version)\n(z * z).backward(create_graph=True)\nprint(z.grad._version)\n'
        'v = torch.tensor([1., 2.], requires_grad=True)\ngiven = torch.ones(2)\n(v * 1).backward(given)\n'
        'print(v.grad._version, given._version)\na = torch.tensor([1., 2.], requires_grad=True)\n(a + a).sum().backward()\n'
        'print(a.grad._version)\nb = torch.ones(2, requires_grad=True)\nb.grad = torch.zeros(2)\n(b * 2).sum().backward()\n'
        'print(b.grad._version)\nd = torch.ones((), requires_grad=True)\nd.backward()\nprint(d.grad._version)\n'
        'e = torch.ones(2, requires_grad=True)\ne.expand(3, 2).sum().backward()\nprint(e.grad._version)'),
    "0-d tensors through transpose, transpose_, scatter and x[...] = t (found by the shape coverage check)": (
        'x = torch.tensor(0.5, requires_grad=True)\nfor f in [lambda: x.transpose(0, -1), '
        'lambda: (x * 1).transpose_(0, -1), lambda: x.scatter(0, torch.tensor(0), x * 2), '
        'lambda: x.scatter(0, torch.tensor(0), 1.5)]:\n    y = f()\n    print(y, y.grad_fn.name(), y.shape)\n'
        '    y.backward()\nprint(x.grad)\nfor target, value in [((), ()), ((2,), ()), ((1,), (1,))]:\n'
        '    y = torch.zeros(target, requires_grad=True) * 1\n    y[...] = torch.ones(value, requires_grad=True) * 2\n'
        '    print(y, y.grad_fn.name())'),
    "CUDA asked for on a machine without it: PyTorch's CPU build's AssertionError where the GPU tensor is made": (
        'for f in [lambda: torch.ones(2).to("cuda"), lambda: torch.ones(2).to("cuda:0", torch.float64), '
        'lambda: torch.ones(2).to(device="cuda"), lambda: torch.ones(2).to(torch.device("cuda")), '
        'lambda: torch.ones(2).cuda(), lambda: torch.ones(2, device="cuda"), lambda: torch.tensor([1.], device="cuda"), '
        'lambda: torch.randn(2, device="cuda"), lambda: torch.zeros_like(torch.ones(2), device="cuda"), '
        'lambda: torch.arange(3, device="cuda"), lambda: torch.ones(2).new_ones(2, device="cuda"), '
        'lambda: torch.nn.Linear(2, 2).to("cuda"), lambda: torch.nn.Linear(2, 2).cuda(), '
        'lambda: torch.nn.Linear(2, 2, device="cuda"), lambda: torch.cuda.current_device(), '
        'lambda: torch.ones(2).to("xpu"), lambda: torch.ones(2).to("mps"), lambda: torch.ones(2).to("hip"), '
        'lambda: torch.ones(2).to("gpu"), lambda: torch.ones(2, device="CUDA"), lambda: torch.ones(2).to(0), '
        'lambda: torch.ones(2).cuda(0), lambda: torch.ones(2, device="cuda:x"), lambda: torch.device("cuda:0", 1), '
        'lambda: torch.ones(2, device=True)]:\n'
        '    try:\n        print(f())\n    except (AssertionError, RuntimeError, TypeError) as e:\n'
        '        print(type(e).__name__, e)'),
    "the CPU as a device: device objects, cuda.is_available() and to/cpu on the CPU": (
        'x = torch.ones(2, requires_grad=True)\nprint(repr(x.device), x.device, x.device == "cpu", '
        'x.device == torch.device("cpu"), x.is_cuda)\nprint(torch.device("cuda"), repr(torch.device("cuda:0")), '
        'repr(torch.device("cuda", 1)), repr(torch.device("cpu", 0)), torch.device("cpu").type, '
        'torch.device("cpu").index)\nprint(torch.cuda.is_available(), torch.cuda.device_count(), '
        'torch.cuda.manual_seed(0), torch.cuda.manual_seed_all(0))\n'
        'device = "cuda" if torch.cuda.is_available() else "cpu"\ny = x.to(device)\nprint(y is x, x.cpu() is x, '
        'torch.ones(2, device=torch.device("cpu")), torch.ones(2, device="cpu:0"))\n'
        'm = torch.nn.Linear(2, 1, device="cpu")\nprint(m.to(device) is m, m.cpu() is m, type(torch.device("cpu")), '
        'hash(torch.device("cpu")) == hash(torch.device("cpu")))'),
    "requires_grad_ takes only a bool, checked before anything changes": (
        'import numpy as np\nx = torch.ones(2)\nfor flag in [2, 1.0, None, np.bool_(True), torch.tensor(True), 0]:\n'
        '    try:\n        x.requires_grad_(flag)\n    except TypeError as e:\n        print(e)\n'
        '    print(x.requires_grad)\ny = torch.ones(2, requires_grad=True) * 2\ntry:\n    y.requires_grad_(0)\n'
        'except TypeError as e:\n    print(e)\nprint(x.requires_grad_(True).requires_grad, x.requires_grad_(False).requires_grad)'),
    "generator= must be a Generator in rand, randn, randint and randperm; a given one is the one drawn from": (
        'for f in [lambda: torch.randn(2, 2, generator=3), lambda: torch.rand(2, generator="a"), '
        'lambda: torch.randn((2,), generator=3, dtype=torch.float64), lambda: torch.randint(3, (2,), generator=3), '
        'lambda: torch.randperm(3, generator=3)]:\n    try:\n        f()\n    except TypeError as e:\n        print(e)\n'
        'torch.manual_seed(0)\ng = torch.Generator().manual_seed(1)\nprint(torch.randn(3, generator=g), '
        'torch.rand(2, generator=g), torch.randint(5, (3,), generator=g), torch.randperm(4, generator=g), '
        'torch.randn(2), torch.randn(2, 2, generator=None))'),
    "sum and mean: PyTorch's words for a method (no self, the method's signatures) and for a function": (
        'x = torch.ones(2, 3, requires_grad=True)\nfor f in [lambda: x.sum(dim=1.5), lambda: torch.sum(x, dim=1.5), '
        'lambda: x.mean(dim=1.5), lambda: torch.mean(x, dim=1.5), lambda: x.sum(keepdim=1), '
        'lambda: x.sum(dtype="float32"), lambda: x.sum(1, keepdim=1), lambda: x.mean(0, keepdim=1.5)]:\n'
        '    try:\n        f()\n    except TypeError as e:\n        print(e)\n'
        'for y in [x.sum(None, True), x.sum(dim=None, keepdim=True), x.mean(None, True), torch.ones(()).sum(None, True), '
        'torch.tensor([1., 2.]).mean(dim=None, keepdim=True)]:\n    print(y)\nx.sum(None, True).backward(torch.ones(1, 1))\n'
        'print(x.grad)'),
    "argmax and argmin check dim and keepdim as PyTorch does": (
        'x = torch.tensor([[1., 3.], [2., 0.]])\nfor f in [lambda: x.argmax(dim=1.0), lambda: x.argmin(dim=True), '
        'lambda: torch.argmax(x, dim=0.5), lambda: x.argmax(0, keepdim=1)]:\n    try:\n        f()\n'
        '    except TypeError as e:\n        print(e)\nprint(x.argmax(dim=1), x.argmin(0, keepdim=True), x.argmax(), '
        'x.argmax(dim=torch.tensor(1)), x.argmax(keepdim=True))'),
    "a shape spread over arguments that does not start with an int: zeros(2.0, 3), reshape(2.0, 2), view(2.0, 2)": (
        'x = torch.ones(4)\nfor f in [lambda: torch.zeros(2.0, 3), lambda: torch.ones(True, 2), '
        'lambda: torch.empty(2.0, 3), lambda: torch.ones(3, 2.0), lambda: torch.randn(2.0, 3), lambda: torch.rand(2.0, 3), '
        'lambda: x.reshape(2.0, 2), lambda: x.reshape(2, 2.0), lambda: x.reshape(2.0), lambda: x.reshape((2.0, 2)), '
        'lambda: torch.reshape(x, 2.0), lambda: x.view(2.0, 2), lambda: x.view(2, 2.0)]:\n    try:\n        f()\n'
        '    except TypeError as e:\n        print(e)\nprint(x.reshape(-1, 2), x.view(-1), x.reshape(torch.tensor(2), 2), '
        'torch.ones(1).reshape(()), x.view(torch.Size([2, 2])), x.reshape([4]))'),
    "masked_fill without a value (or a mask): PyTorch's invalid combination, as a method and as a function": (
        'x = torch.ones(2)\nfor f in [lambda: x.masked_fill(x > 0), lambda: x.masked_fill(), '
        'lambda: torch.masked_fill(x, x > 0), lambda: torch.masked_fill(x), '
        'lambda: x.softmax()]:\n    try:\n        f()\n    except TypeError as e:\n        print(e)\n'
        'print(x.masked_fill(x > 0, 2.), torch.masked_fill(x, x < 0, value=3.), x.masked_fill(mask=x > 0, value=1.5))'),
    "max and min along a dim refuse a keepdim that is not a bool, as function and as method": (
        'x = torch.tensor([[1., 3.], [2., 0.]])\nfor f in [lambda: torch.max(x, dim=0, keepdim=1.5), '
        'lambda: torch.min(x, dim=1, keepdim=1), lambda: x.max(dim=0, keepdim=1.5), lambda: x.min(dim=0, keepdim=1)]:\n'
        '    try:\n        f()\n    except TypeError as e:\n        print(e)\nprint(x.max(dim=0, keepdim=True), '
        'torch.min(x, 1, True))'),
    "keepdim without a dim: sum, mean, prod, max, min and logsumexp refuse it; a dim of None keeps every dim": (
        'x = torch.ones(2, 3, requires_grad=True)\nfor f in [lambda: x.sum(keepdim=True), lambda: torch.sum(x, keepdim=True), '
        'lambda: x.sum(keepdim=False), lambda: x.mean(keepdim=True), lambda: torch.mean(x, keepdim=True), '
        'lambda: x.prod(keepdim=True), lambda: torch.prod(x, keepdim=True), lambda: x.sum(keepdim=True, '
        'dtype=torch.float64), lambda: x.sum(keepdim=True, dtype=None), lambda: torch.mean(x, keepdim=True, dtype=None), '
        'lambda: x.sort(stable=1), lambda: torch.sort(x, stable=1), lambda: torch.prod(x, keepdim=True, dtype=torch.float64), '
        'lambda: x.mean(keepdim=True, dtype=torch.float64), lambda: torch.mean(x, keepdim=True, dtype=torch.float64), '
        'lambda: x.sum(keepdim=None), lambda: x.sum(dim=None, keepdim=None), lambda: x.sum(None, keepdim=1), '
        'lambda: x.sum(dim=1.5, keepdim=True), lambda: x.sum(dim=[0, 1.5], keepdim=True), '
        'lambda: x.sum(0, True, dtype="a"), lambda: torch.sum(x, dim=None, dtype="a"), lambda: x.prod(dim=None), '
        'lambda: x.prod(dim=None, keepdim=True), lambda: x.prod(keepdim=1), lambda: x.max(keepdim=True), '
        'lambda: torch.max(x, keepdim=True), lambda: x.min(keepdim=False), lambda: x.logsumexp(keepdim=True), '
        'lambda: x.logsumexp(dim=None)]:\n    try:\n        f()\n    except TypeError as e:\n        print(e)\n'
        'for y in [x.sum(dim=None), x.mean(dim=None), x.sum(dim=None, keepdim=True), torch.sum(x, None, True), '
        'x.prod(keepdim=True, dim=0), x.max(0, keepdim=True).values, x.amax(keepdim=True), x.std(keepdim=True), '
        'torch.tensor(2.).sum(dim=None), x.sum(dim=(0, True), keepdim=True), x.sort(stable=True).values, '
        'x.sort(dim=0, stable=None)[0], torch.sort(x, stable=False).values]:\n    print(y)'),
    "size= by keyword in zeros, ones, empty, rand, randn, full and randint; no size at all": (
        'import numpy as np\nprint(torch.zeros(size=(2, 3)), torch.ones(size=[2]), torch.empty(size=(2,)).shape, '
        'torch.rand(size=(2,)).shape, torch.randn(size=torch.Size([1, 2])).shape, torch.full(size=(2,), fill_value=1.), '
        'torch.zeros(size=(np.int64(2),), dtype=torch.float64), torch.ones(size=[]), torch.zeros(size=(torch.tensor(2),)), '
        'torch.randint(3, size=(2,)).shape, torch.randint(1, 3, size=[2]).dtype, torch.ones(size=(2, True)).shape)\n'
        'for f in [lambda: torch.zeros(size=(2, 2.0)), lambda: torch.ones(size=[2.0]), lambda: torch.empty(size=2), '
        'lambda: torch.rand(size="ab"), lambda: torch.randn(size=(True, 2)), lambda: torch.zeros(size=np.array([2])), '
        'lambda: torch.zeros(2, size=(2,)), lambda: torch.empty(2, size=(2,)), lambda: torch.rand(2, size=(2,)), '
        'lambda: torch.randn(size=(2,), generator=3), lambda: torch.zeros(), lambda: torch.ones(), lambda: torch.empty(), '
        'lambda: torch.rand(), lambda: torch.randn(), lambda: torch.full(), lambda: torch.full(size=(2,)), '
        'lambda: torch.full(fill_value=1.), lambda: torch.zeros(size=(2, -1)), lambda: torch.ones(size=(2, -1)), '
        'lambda: torch.rand(size=(2, -1)), lambda: torch.randint(3, size=(2, -1)), lambda: torch.randint(3, size=2.0)]:\n'
        '    try:\n        f()\n    except (TypeError, RuntimeError) as e:\n        print(type(e).__name__, e)'),
    "inference_mode of anything but a bool decorates it, as PyTorch's does; set_detect_anomaly checks its bools": (
        'import numpy as np\nfor mode in [np.bool_(True), 1, None, "a"]:\n    f = torch.inference_mode(mode)\n'
        '    print(callable(f), isinstance(f, torch.inference_mode))\n    try:\n        with f:\n            pass\n'
        '    except (TypeError, AttributeError) as e:\n        print(type(e).__name__)\n    try:\n        f()\n'
        '    except TypeError as e:\n        print(e)\nprint(torch.is_inference_mode_enabled())\n'
        'for f in [lambda: torch.autograd.set_detect_anomaly(np.bool_(True)), lambda: torch.autograd.set_detect_anomaly(1), '
        'lambda: torch.autograd.set_detect_anomaly(False, 1)]:\n    try:\n        f()\n    except TypeError as e:\n'
        '        print(e)\nwith torch.autograd.set_detect_anomaly(False) as a:\n    print(a)'),
    "norm's p: numbers, 0-d tensors and strings; anything else in linalg_vector_norm's words, complex refused": (
        'import numpy as np\nx = torch.tensor([[1., -2., 3.], [0., 4., -1.]], requires_grad=True)\n'
        'print(x.norm(p=np.float64(2.)), x.norm(p=torch.tensor(1.)), x.norm(p=torch.tensor(1)), x.norm(p=np.int64(1)), '
        'x.norm(p=np.bool_(False)), x.norm(p=None), torch.norm(x, p=float("inf")))\n'
        'for f in [lambda: x.norm(p=np.array(2.0)), lambda: torch.norm(x, p=np.array(2.0)), lambda: x.norm(np.array(2.)), '
        'lambda: x.norm(p=[2]), lambda: x.norm(p=(1, 2)), lambda: x.norm(p=torch.tensor([2.])), '
        'lambda: x.norm(p=torch.tensor(2., requires_grad=True)), lambda: x.norm(p=2+0j), '
        'lambda: x.norm(p=np.complex128(2)), lambda: torch.tensor([1, 2]).norm(p=2+0j), lambda: x.norm(p="a")]:\n'
        '    try:\n        f()\n    except (TypeError, RuntimeError) as e:\n        print(type(e).__name__, e)'),
    "the gradient of sort, topk, max and min along a dim is at version 2, of max() at 1, as PyTorch writes them": (
        'x = torch.tensor([[3., 1., 2.], [0., 5., 4.]], requires_grad=True)\nfor f in [lambda: x.sort()[0], '
        'lambda: torch.sort(x, dim=0, descending=True).values, lambda: x.topk(2)[0], lambda: x.topk(1, dim=0, '
        'largest=False)[0], lambda: x.max(0)[0], lambda: x.min(1, keepdim=True).values, lambda: x.max(), '
        'lambda: x.amax(0), lambda: x.gather(1, torch.tensor([[0], [1]]))]:\n    x.grad = None\n'
        '    y = f()\n    print(y._version, y.grad_fn.name())\n    y.sum().backward()\n    print(x.grad._version)\n'
        '(x.sort()[0]).sum().backward()\nprint(x.grad._version)\nx.grad = None\n(x.sort()[0].sum() * 2).backward()\n'
        'print(x.grad._version, torch.autograd.grad(x.topk(2)[0].sum(), x)[0]._version)\n'
        'z = torch.tensor(2., requires_grad=True)\nz.sort()[0].backward()\nprint(z.grad._version)\nz.grad = None\n'
        'z.max(0)[0].backward()\nprint(z.grad._version)'),
    "to a CPU device with an index copies (it is not x.device); copy=True copies": (
        'x = torch.ones(2, requires_grad=True)\nfor y in [x.to("cpu:0"), x.to(torch.device("cpu", 0)), x.to("cpu:1"), '
        'x.to(device="cpu:0"), x.to("cpu:0", torch.float64), x.to("cpu", copy=True), x.to(copy=True), x.to("cpu"), '
        'x.to(torch.float32), x.to(device="cpu")]:\n    print(y is x, y.device, y.grad_fn.name() if y.grad_fn else None, '
        'y.dtype)\nprint(torch.ones(2, device="cpu:3").device, torch.device("cpu:0") == torch.device("cpu"))'),
    "the device types PyTorch's CPU build has no backend for: its error types where a tensor is moved or made": (
        'import warnings\nx = torch.ones(2, requires_grad=True)\nm = torch.nn.Linear(2, 2)\n'
        'for kind in ["xla", "lazy", "ipu", "vulkan", "maia", "fpga", "ve", "mps", "hip", "mkldnn", "ideep", "opengl", '
        '"opencl", "hpu", "privateuseone", "mtia", "xpu"]:\n    outcomes = []\n'
        '    for f in [lambda: x.to(kind), lambda: x.to(kind, torch.float64), lambda: m.to(kind), '
        'lambda: torch.tensor([1.], device=kind), lambda: torch.ones(2, device=kind), lambda: torch.randn(2, device=kind), '
        'lambda: torch.zeros_like(x, device=kind), lambda: torch.arange(3, device=kind), '
        'lambda: x.new_ones(2, device=kind), lambda: torch.nn.Linear(2, 2, device=kind)]:\n'
        '        try:\n            with warnings.catch_warnings():\n                warnings.simplefilter("ignore")\n'
        '                f()\n        except Exception as e:\n            outcomes.append(type(e).__name__)\n'
        '    print(kind, outcomes, x.grad, m.weight.shape)\nfor f in [lambda: x.to("vulkan"), lambda: x.to("mtia"), '
        'lambda: x.to("hpu"), lambda: torch.ones(2, device="privateuseone")]:\n    try:\n        f()\n'
        '    except Exception as e:\n        print(type(e).__name__, e)\ntorch.device("mkldnn")'),
    "numpy's argument names, as PyTorch's parser takes them: axis, keepdims, x, a, x1, x2": (
        'x = torch.tensor([[1., 2., 3.], [4., 5., 6.]], requires_grad=True)\n'
        'print(x.sum(axis=0, keepdims=True), torch.sum(a=x, axis=1), x.mean(axis=(0, 1)), torch.exp(x=x[0]), '
        'torch.add(x1=x, x2=x)[0], x.add(x2=x)[1], x.mul(x2=2)[0], x.unsqueeze(axis=0).shape, x.softmax(axis=0)[0], '
        'x.max(axis=0, keepdims=True).values, x.argmax(axis=1, keepdims=True), x.cumsum(axis=0)[1], '
        'x.var(axis=0, keepdims=True), x.prod(axis=0), x.amax(axis=0), x.logsumexp(axis=0), torch.cat([x, x], axis=1).shape, '
        'torch.stack([x], axis=0).shape, x.gather(axis=0, index=torch.tensor([[0]])), x.matmul(x2=x.t()))\n'
        'for f in [lambda: x.sum(dim=0, axis=1), lambda: x.sum(x=1), lambda: x.norm(dim=0, keepdims=True), '
        'lambda: torch.nn.functional.softmax(x, axis=0), lambda: x.split(1, axis=0)]:\n    try:\n        f()\n'
        '    except TypeError as e:\n        print(e)'),
    "misspelt keywords: PyTorch's parser's words (a missing argument, an invalid combination, an unexpected keyword)": (
        'x = torch.tensor([[1., 2., 3.], [4., 5., 6.]], requires_grad=True)\n'
        'for f in [lambda: x.clamp(mn=0), lambda: torch.clamp(x, mn=0), lambda: x.clamp(min=0, mx=1), '
        'lambda: x.clamp(0, mx=1), lambda: x.clamp(mn=0, mx=1), lambda: x.sum(dims=0), lambda: torch.sum(x, dims=0), '
        'lambda: x.sum(0, keep_dim=True), lambda: x.mean(dims=0), lambda: x.prod(dims=0), lambda: x.sum(foo=1), '
        'lambda: torch.mean(x, dims=0), lambda: x.softmax(dims=0), lambda: x.softmax(), lambda: x.mul(othr=2), '
        'lambda: x.transpose(dim=0, dim1=1), lambda: x.transpose(0), lambda: x.unsqueeze(dims=0), lambda: x.unsqueeze(), '
        'lambda: torch.unsqueeze(x), lambda: torch.matmul(x, othr=x.t()), lambda: x.matmul(), lambda: torch.exp(inpt=x), '
        'lambda: x.pow(exp=2), lambda: torch.pow(x, exp=2), lambda: x.pow(2, foo=1), lambda: x.add(x, alph=2), '
        'lambda: torch.add(x, x, alph=2), lambda: x.exp(1), lambda: x.exp(1, 2), lambda: x.sigmoid(foo=1), '
        'lambda: x.relu(inplace=True), lambda: x.t(1), lambda: x.abs(1), lambda: x.mul(2, 3), lambda: torch.mul(x, 2, 3), '
        'lambda: torch.exp(x, 1), lambda: torch.exp(x, foo=1), lambda: x.unsqueeze(0, foo=1), lambda: x.norm(P=2), '
        'lambda: x.clone(foo=1), lambda: x.softmax(0, foo=1), lambda: torch.zeros(2, dtyp=torch.float64), '
        'lambda: torch.ones(2, requires_grads=True), lambda: torch.tensor([1.], requires_grads=True), '
        'lambda: x.backward(gradients=torch.ones(2, 3))]:\n    try:\n        f()\n    except TypeError as e:\n'
        '        print(e)\nprint(x.grad, x._version)'),
    "sort, topk, max and min along a dim keep their indices: changed in place since, backward refuses": (
        'for f in [lambda z: z.sort(), lambda z: z.topk(2), lambda z: z.max(0), lambda z: z.min(0, keepdim=True), '
        'lambda z: torch.tensor(2., requires_grad=True).max(0)]:\n    z = torch.tensor([3., 1., 2.], requires_grad=True)\n'
        '    values, indices = f(z)\n    print(indices._version)\n    indices.add_(0)\n    try:\n'
        '        values.sum().backward()\n    except RuntimeError as e:\n        print(e)\n    print(z.grad)\n'
        'z = torch.tensor([3., 1., 2.], requires_grad=True)\nv, i = z.sort()\nv.sum().backward()\ni.add_(1)\n'
        'print(z.grad, i)\nwith torch.no_grad():\n    v, i = z.sort()\n    i.add_(1)\nprint(v, i)'),
    "a shape or dims by keyword: reshape(shape=), view(size=), permute(dims=), flip(dims=), expand(size=), "
    "repeat(repeats=), sum_to_size(size=), new_zeros(size=)": (
        'x = torch.tensor([[1., 2., 3.], [4., 5., 6.]], requires_grad=True)\n'
        'print(x.reshape(shape=(6,)).shape, torch.reshape(x, shape=[3, 2]).shape, x.view(size=(6,)).shape, '
        'x.permute(dims=(1, 0)).shape, torch.permute(x, dims=(1, 0)).shape, x.flip(dims=(0,)), torch.flip(x, dims=[0]), '
        'x.expand(size=(2, 2, 3)).shape, x.repeat(repeats=(1, 2)).shape, x.sum_to_size(size=(1, 3)), '
        'x.new_zeros(size=(2,)), x.new_ones(size=(1,)), x.new_empty(size=(1,)).shape, x.reshape(()).shape if False else 0)\n'
        'for f in [lambda: x.reshape(), lambda: x.reshape(size=(6,)), lambda: x.reshape(shap=(6,)), '
        'lambda: x.reshape(6, foo=1), lambda: x.flip(), lambda: x.flip(axis=0), lambda: x.flip(0, foo=1), '
        'lambda: x.permute(1, 0, dims=(1, 0))]:\n    try:\n        f()\n    except TypeError as e:\n        print(e)'),
}


@pytest.mark.parametrize("code", list(PROGRAMS.values()), ids=list(PROGRAMS))
def test_program_matches_pytorch(torch_module, minigrad_module, code):
    assert_same_outcome(code, torch_module, minigrad_module)
