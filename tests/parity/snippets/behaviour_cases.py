"""Snippets about autograd semantics, dtypes, reprs, errors and warnings.

Each case is (id, code).  test_api_parity.py runs the code on PyTorch and on
minigrad and requires the same stdout, the same warnings and the same exception
(type and message) after normalisation (see harness.py).  The expected texts are
whatever PyTorch 2.13 does; none is written down here.
"""

CASES = []


def case(name, code):
    CASES.append((name, code.strip("\n") + "\n"))


# --- dtypes, promotion and sizes ---
case('float32 + float64 tensors', """
a = torch.ones(2)
b = torch.ones(2, dtype=torch.float64)
print((a + b).dtype, (b + a).dtype)
""")
case('int64 tensor + 2.5', """
a = torch.tensor([1, 2])
print(a.dtype, (a + 2.5).dtype, a + 2.5)
""")
case('int64 tensor * 2 / + True', """
a = torch.tensor([1, 2])
print((a * 2).dtype, (a + True).dtype)
""")
case('0-d float64 + float32 n-d', """
a = torch.tensor(1., dtype=torch.float64)
b = torch.ones(2)
print((a + b).dtype, (b + a).dtype)
""")
case('0-d float64 + int64 n-d', """
a = torch.tensor(1., dtype=torch.float64)
b = torch.tensor([1, 2])
print((a + b).dtype)
""")
case('0-d int64 + float32 n-d', """
a = torch.tensor(3)
b = torch.ones(2)
print((a + b).dtype)
""")
case('0-d float32 + 0-d float64', """
a = torch.tensor(1.)
b = torch.tensor(1., dtype=torch.float64)
print((a + b).dtype)
""")
case('bool + int', """
a = torch.tensor([True, False])
b = torch.tensor([1, 2])
print((a + b).dtype, a + b)
print((a + 1).dtype, (a + 1.5).dtype, (a + True).dtype)
""")
case('bool + bool', """
a = torch.tensor([True, False])
print(a + a, (a * a).dtype)
""")
case('int / int true division', """
a = torch.tensor([1, 2])
b = torch.tensor([2, 4])
print(a / b, (a / b).dtype)
print(a / 2, torch.tensor(3) / 2)
""")
case('int // int', """
a = torch.tensor([5, 7])
print(a // 2, (a // 2).dtype)
""")
case('int ** float / int ** int / int ** negative', """
a = torch.tensor([1, 2])
print(a ** 2, a ** 0.5)
print(torch.tensor([2]) ** -1)
""")
case('torch.tensor dtype inference', """
print(torch.tensor(1).dtype, torch.tensor(1.).dtype, torch.tensor(True).dtype, torch.tensor([1, 2.]).dtype, torch.tensor([True, 1]).dtype)
""")
case('default dtype / get_default_dtype', """
print(torch.get_default_dtype())
print(torch.ones(1).dtype, torch.zeros(2, 2).dtype, torch.arange(3).dtype, torch.arange(3.).dtype)
""")
case('torch.tensor from numpy float64', """
import numpy as np
a = torch.tensor(np.array([1., 2.]))
print(a.dtype)
b = torch.from_numpy(np.array([1., 2.]))
print(b.dtype)
print(torch.tensor(np.float32(1)).dtype)
""")
case('comparisons dtype', """
a = torch.tensor([1., 2.])
print(a > 1, (a > 1).dtype, a == 2)
""")
case('dtype reprs and attributes', """
print(torch.float64, torch.float32, torch.int64, torch.bool, torch.float, torch.double, torch.long)
print(repr(torch.float64), str(torch.float64))
print(torch.float64.is_floating_point, torch.int64.is_floating_point, torch.float is torch.float32, torch.double is torch.float64)
print(type(torch.float64))
""")
case('x.dtype, x.shape, x.size()', """
x = torch.ones(2, 2)
print(x.dtype)
print(x.shape)
print(x.size())
print(x.size(0), x.size(-1), x.shape[0], len(x))
print(repr(x.shape), type(x.shape))
print(x.shape == (2, 2), x.shape == [2, 2], tuple(x.shape), list(x.shape))
print(x.ndim, x.dim(), x.numel())
print(torch.ones(()).shape, torch.ones(3).shape)
""")
case('torch.Size arithmetic', """
s = torch.Size([2, 3])
print(s, s + (4,), s[1:], s[0], isinstance(s, tuple))
print(s.numel())
""")

# --- errors, warnings and autograd semantics ---
case('non-scalar backward() without gradient', """
x = torch.tensor([[1., 2.], [3., 4.]], requires_grad=True)
y = x * 2
y.backward()
""")
case('backward(gradient) with wrong shape', """
x = torch.tensor([[1., 2.], [3., 4.]], requires_grad=True)
y = x * 2
y.backward(torch.ones(3))
""")
case('backward(gradient) wrong shape 2x1', """
x = torch.tensor([[1., 2.], [3., 4.]], requires_grad=True)
y = x * 2
y.backward(torch.ones(2, 1))
""")
case('backward(gradient) right shape', """
x = torch.tensor([[1., 2.], [3., 4.]], requires_grad=True)
y = x * 2
y.backward(torch.ones(2, 2))
print(x.grad)
""")
case('backward(gradient) python float on scalar', """
x = torch.tensor([[1., 2.], [3., 4.]], requires_grad=True)
y = (x * 2).sum()
y.backward(torch.tensor(2.))
print(x.grad)
""")
case('backward of scalar with gradient of shape (1,)', """
x = torch.tensor([[1., 2.], [3., 4.]], requires_grad=True)
y = (x * 2).sum()
y.backward(torch.ones(1))
print(x.grad)
""")
case('backward(gradient) wrong dtype', """
x = torch.tensor([[1., 2.], [3., 4.]], requires_grad=True)
y = x * 2
y.backward(torch.ones(2, 2, dtype=torch.float64))
print(x.grad, x.grad.dtype)
""")
case('autograd.grad grad_outputs shape mismatch', """
x = torch.tensor([[1., 2.], [3., 4.]], requires_grad=True)
y = x * 2
torch.autograd.grad(y, x, torch.ones(3))
""")
case('autograd.grad non-scalar without grad_outputs', """
x = torch.tensor([[1., 2.], [3., 4.]], requires_grad=True)
y = x * 2
torch.autograd.grad(y, x)
""")
case('autograd.grad result repr', """
x = torch.tensor([[1., 2.], [3., 4.]], requires_grad=True)
y = (x * x).sum()
g = torch.autograd.grad(y, x)
print(g)
print(type(g), x.grad)
""")
case('autograd.grad create_graph', """
x = torch.tensor([[1., 2.], [3., 4.]], requires_grad=True)
y = (x ** 3).sum()
g, = torch.autograd.grad(y, x, create_graph=True)
print(g)
g2, = torch.autograd.grad(g.sum(), x)
print(g2)
""")
case('autograd.grad unused input', """
x = torch.tensor([[1., 2.], [3., 4.]], requires_grad=True)
w = torch.ones(2, requires_grad=True)
y = (x * 2).sum()
torch.autograd.grad(y, [x, w])
""")
case('autograd.grad unused input allow_unused', """
x = torch.tensor([[1., 2.], [3., 4.]], requires_grad=True)
w = torch.ones(2, requires_grad=True)
y = (x * 2).sum()
print(torch.autograd.grad(y, [x, w], allow_unused=True))
""")
case('autograd.grad input not requiring grad', """
x = torch.tensor([[1., 2.], [3., 4.]], requires_grad=True)
w = torch.ones(2)
y = (x * 2).sum()
torch.autograd.grad(y, [x, w])
""")
case("autograd.grad outputs don't require grad", """
a = torch.ones(2)
y = (a * 2).sum()
torch.autograd.grad(y, a)
""")
case("autograd.grad outputs don't require grad, input requires", """
x = torch.tensor([[1., 2.], [3., 4.]], requires_grad=True)
y = torch.ones(2).sum()
torch.autograd.grad(y, x)
""")
case('in-place on leaf requiring grad', """
x = torch.tensor([[1., 2.], [3., 4.]], requires_grad=True)
x.add_(1)
""")
case('in-place += on leaf requiring grad', """
x = torch.tensor([[1., 2.], [3., 4.]], requires_grad=True)
x += 1
""")
case('in-place *= on leaf requiring grad', """
x = torch.tensor([[1., 2.], [3., 4.]], requires_grad=True)
x *= 2
""")
case('index assignment on leaf', """
x = torch.tensor([[1., 2.], [3., 4.]], requires_grad=True)
x[0] = 5
""")
case('in-place zero_ on leaf', """
x = torch.tensor([[1., 2.], [3., 4.]], requires_grad=True)
x.zero_()
""")
case('in-place exp_ on leaf', """
x = torch.tensor([[1., 2.], [3., 4.]], requires_grad=True)
x.exp_()
""")
case('in-place on view of leaf', """
x = torch.tensor([[1., 2.], [3., 4.]], requires_grad=True)
v = x[0]
v.add_(1)
""")
case('in-place on view of leaf (view())', """
x = torch.tensor([[1., 2.], [3., 4.]], requires_grad=True)
v = x.view(4)
v.mul_(2)
""")
case('in-place on view of leaf (t())', """
x = torch.tensor([[1., 2.], [3., 4.]], requires_grad=True)
v = x.t()
v.add_(1)
""")
case('in-place on leaf under no_grad (allowed)', """
x = torch.tensor([[1., 2.], [3., 4.]], requires_grad=True)
with torch.no_grad():
    x.add_(1)
    x[0, 0] = 10
print(x)
print(x.requires_grad, x.is_leaf, x.grad_fn, x._version)
""")
case('in-place on leaf under no_grad: -= grad (SGD step)', """
x = torch.tensor([[1., 2.], [3., 4.]], requires_grad=True)
(x * x).sum().backward()
with torch.no_grad():
    x -= 0.5 * x.grad
print(x)
x.grad.zero_()
print(x.grad)
""")
case('integer tensor requiring grad: torch.tensor', """
a = torch.tensor([1], requires_grad=True)
""")
case('integer tensor requiring grad: requires_grad_()', """
a = torch.ones(2, dtype=torch.int64).requires_grad_()
""")
case('integer tensor requiring grad: attribute', """
a = torch.tensor([1, 2])
a.requires_grad = True
""")
case('integer tensor requiring grad: torch.ones(requires_grad)', """
a = torch.ones(2, dtype=torch.int64, requires_grad=True)
""")
case('integer tensor requiring grad: torch.arange(requires_grad)', """
a = torch.arange(3, requires_grad=True)
""")
case('bool tensor requiring grad', """
a = torch.tensor([True], requires_grad=True)
""")
case('backward through tensor that does not require grad', """
a = torch.ones(2)
(a * 2).sum().backward()
""")
case('backward on leaf not requiring grad', """
a = torch.tensor(1.)
a.backward()
""")
case('backward on leaf requiring grad (scalar)', """
a = torch.tensor(3., requires_grad=True)
a.backward()
print(a.grad)
""")
case('setting requires_grad on non-leaf', """
x = torch.tensor([[1., 2.], [3., 4.]], requires_grad=True)
y = x * 2
y.requires_grad = False
""")
case('setting requires_grad=True on non-leaf (allowed?)', """
x = torch.tensor([[1., 2.], [3., 4.]], requires_grad=True)
y = x * 2
y.requires_grad = True
print(y.requires_grad)
""")
case('requires_grad_() on non-leaf', """
x = torch.tensor([[1., 2.], [3., 4.]], requires_grad=True)
y = x * 2
y.requires_grad_()
print(y.requires_grad)
y.requires_grad_(False)
""")
case('.numpy() on tensor requiring grad', """
x = torch.tensor([[1., 2.], [3., 4.]], requires_grad=True)
x.numpy()
""")
case('.numpy() on non-leaf requiring grad', """
x = torch.tensor([[1., 2.], [3., 4.]], requires_grad=True)
(x * 2).numpy()
""")
case('.numpy() after detach', """
x = torch.tensor([[1., 2.], [3., 4.]], requires_grad=True)
print(x.detach().numpy())
print(type(x.detach().numpy()))
""")
case('.tolist() / .item() on grad tensor', """
x = torch.tensor([[1., 2.], [3., 4.]], requires_grad=True)
print(x.tolist(), x[0, 0].item(), type(x.sum().item()))
""")
case('second backward without retain_graph (mul saves)', """
x = torch.tensor([[1., 2.], [3., 4.]], requires_grad=True)
y = (x * x).sum()
y.backward()
y.backward()
""")
case('second backward with retain_graph', """
x = torch.tensor([[1., 2.], [3., 4.]], requires_grad=True)
y = (x * x).sum()
y.backward(retain_graph=True)
y.backward()
print(x.grad)
""")
case('second backward add+sum (nothing saved)', """
x = torch.tensor([[1., 2.], [3., 4.]], requires_grad=True)
y = (x + 1).sum()
y.backward()
y.backward()
print(x.grad)
""")
case('second backward mul by python scalar', """
x = torch.tensor([[1., 2.], [3., 4.]], requires_grad=True)
y = (x * 2).sum()
y.backward()
y.backward()
print(x.grad)
""")
case('second backward mean', """
x = torch.tensor([[1., 2.], [3., 4.]], requires_grad=True)
y = x.mean()
y.backward()
y.backward()
print(x.grad)
""")
case('second backward neg / sub', """
x = torch.tensor([[1., 2.], [3., 4.]], requires_grad=True)
y = (-x - 1).sum()
y.backward()
y.backward()
print(x.grad)
""")
case('second backward view/reshape/t', """
x = torch.tensor([[1., 2.], [3., 4.]], requires_grad=True)
y = x.reshape(4).t().sum()
y.backward()
y.backward()
print(x.grad)
""")
case('second backward x / 2', """
x = torch.tensor([[1., 2.], [3., 4.]], requires_grad=True)
y = (x / 2).sum()
y.backward()
y.backward()
print(x.grad)
""")
case('second backward exp', """
x = torch.tensor([[1., 2.], [3., 4.]], requires_grad=True)
y = x.exp().sum()
y.backward()
y.backward()
""")
case('second backward pow', """
x = torch.tensor([[1., 2.], [3., 4.]], requires_grad=True)
y = (x ** 2).sum()
y.backward()
y.backward()
""")
case('second backward relu', """
x = torch.tensor([[1., 2.], [3., 4.]], requires_grad=True)
y = x.relu().sum()
y.backward()
y.backward()
""")
case('second backward indexing x[0]', """
x = torch.tensor([[1., 2.], [3., 4.]], requires_grad=True)
y = x[0].sum()
y.backward()
y.backward()
print(x.grad)
""")
case('second backward x[[0]] (IndexBackward saves indices)', """
x = torch.tensor([[1., 2.], [3., 4.]], requires_grad=True)
y = x[[0]].sum()
y.backward()
y.backward()
print(x.grad)
""")
case('second backward cat', """
x = torch.tensor([[1., 2.], [3., 4.]], requires_grad=True)
y = torch.cat([x, x]).sum()
y.backward()
y.backward()
print(x.grad)
""")
case('second backward matmul', """
x = torch.tensor([[1., 2.], [3., 4.]], requires_grad=True)
y = (x @ x).sum()
y.backward()
y.backward()
""")
case('second backward sigmoid', """
x = torch.tensor([[1., 2.], [3., 4.]], requires_grad=True)
y = x.sigmoid().sum()
y.backward()
y.backward()
""")
case('second backward clone/expand/unsqueeze', """
x = torch.tensor([[1., 2.], [3., 4.]], requires_grad=True)
y = x.clone().unsqueeze(0).expand(3, 2, 2).sum()
y.backward()
y.backward()
print(x.grad)
""")
case('second backward sum(dim)', """
x = torch.tensor([[1., 2.], [3., 4.]], requires_grad=True)
y = x.sum(0).sum()
y.backward()
y.backward()
print(x.grad)
""")
case('second backward partial: x*x then +', """
x = torch.tensor([[1., 2.], [3., 4.]], requires_grad=True)
z = x * x
y1 = (z + 1).sum()
y1.backward()
y2 = (z * 2).sum()
y2.backward()
""")
case('saved tensor modified in place (non-leaf)', """
x = torch.tensor([[1., 2.], [3., 4.]], requires_grad=True)
y = x * 2
z = y * y
y.add_(1)
z.sum().backward()
""")
case('saved tensor modified in place twice', """
x = torch.tensor([[1., 2.], [3., 4.]], requires_grad=True)
y = x * 2
z = y * y
y.add_(1)
y.mul_(3)
z.sum().backward()
""")
case('saved output modified in place (exp)', """
x = torch.tensor([[1., 2.], [3., 4.]], requires_grad=True)
y = x.exp()
y.add_(1)
y.sum().backward()
""")
case('saved output modified in place (exp, separate)', """
x = torch.tensor([[1., 2.], [3., 4.]], requires_grad=True)
y = x.exp()
z = y.sum()
y.add_(1)
z.backward()
""")
case('saved output modified sigmoid_ in place then used', """
x = torch.tensor([[1., 2.], [3., 4.]], requires_grad=True)
y = x * 1
z = y.sigmoid()
z.mul_(2)
z.sum().backward()
""")
case('saved leaf modified in place under no_grad', """
x = torch.tensor([[1., 2.], [3., 4.]], requires_grad=True)
y = x * x
with torch.no_grad():
    x.add_(1)
y.sum().backward()
""")
case('saved 0-d leaf modified', """
a = torch.tensor(2., requires_grad=True)
b = a ** 2
with torch.no_grad():
    a.mul_(3)
b.backward()
""")
case('saved float64 leaf modified', """
a = torch.ones(3, dtype=torch.float64, requires_grad=True)
b = (a * a).sum()
with torch.no_grad():
    a += 1
b.backward()
""")
case('saved tensor modified by index assignment', """
x = torch.tensor([[1., 2.], [3., 4.]], requires_grad=True)
y = x * 2
z = y * y
y[0] = 0
z.sum().backward()
""")
case('in-place on tensor not saved (add) is fine', """
x = torch.tensor([[1., 2.], [3., 4.]], requires_grad=True)
y = x * 2
z = y + 1
y.add_(1)
z.sum().backward()
print(x.grad)
""")
case('_version counter', """
x = torch.tensor([[1., 2.], [3., 4.]], requires_grad=True)
y = x * 2
print(y._version)
y.add_(1)
y += 1
y[0] = 1
print(y._version, x._version)
v = y[1]
v.mul_(2)
print(y._version, v._version)
""")
case('.grad of a non-leaf (warning)', """
x = torch.tensor([[1., 2.], [3., 4.]], requires_grad=True)
y = x * 2
y.sum().backward()
print(y.grad)
""")
case('.grad of non-leaf before backward', """
x = torch.tensor([[1., 2.], [3., 4.]], requires_grad=True)
y = x * 2
print(y.grad)
""")
case('retain_grad()', """
x = torch.tensor([[1., 2.], [3., 4.]], requires_grad=True)
y = x * 2
y.retain_grad()
z = (y * y).sum()
z.backward()
print(y.grad)
print(x.grad)
print(y.retains_grad, x.retains_grad, z.retains_grad)
""")
case('retain_grad() on leaf is no-op', """
x = torch.tensor([[1., 2.], [3., 4.]], requires_grad=True)
x.retain_grad()
print(x.retains_grad)
""")
case('retain_grad() on tensor not requiring grad', """
a = torch.ones(2)
a.retain_grad()
""")
case("register_hook on tensor that doesn't require grad", """
a = torch.ones(2)
a.register_hook(lambda g: g)
""")
case('register_hook on leaf and non-leaf', """
x = torch.tensor([[1., 2.], [3., 4.]], requires_grad=True)
y = x * 2
h = y.register_hook(lambda g: print('y hook', g))
x.register_hook(lambda g: print('x hook', g))
y.sum().backward()
print(x.grad)
print(type(h).__name__)
""")
case('register_hook modifying gradient', """
x = torch.tensor([[1., 2.], [3., 4.]], requires_grad=True)
y = x * 2
y.register_hook(lambda g: g * 10)
y.sum().backward()
print(x.grad)
""")
case('hook removal', """
x = torch.tensor([[1., 2.], [3., 4.]], requires_grad=True)
h = x.register_hook(lambda g: g * 10)
h.remove()
(x * 2).sum().backward()
print(x.grad)
""")
case('item() on multi-element', """
x = torch.tensor([[1., 2.], [3., 4.]], requires_grad=True)
x.item()
""")
case('item() on 1-element and 0-d', """
print(torch.tensor([2.5]).item(), torch.tensor(3).item(), torch.tensor(True).item())
""")
case('float()/int() on multi-element', """
x = torch.tensor([[1., 2.], [3., 4.]], requires_grad=True)
float(x)
""")
case('bool() on multi-element', """
bool(torch.tensor([1, 2]))
""")
case('shape mismatch in add', """
a = torch.ones(2, 3)
b = torch.ones(3, 2)
a + b
""")
case('shape mismatch in add (1-D)', """
torch.ones(3) + torch.ones(4)
""")
case('shape mismatch in mul', """
torch.ones(2, 3) * torch.ones(2)
""")
case('shape mismatch in matmul 2-D', """
torch.ones(2, 3) @ torch.ones(2, 3)
""")
case('shape mismatch in matmul 1-D', """
torch.ones(3) @ torch.ones(4)
""")
case('shape mismatch in matmul 2-D @ 1-D', """
torch.ones(2, 3) @ torch.ones(2)
""")
case('shape mismatch in matmul 1-D @ 2-D', """
torch.ones(2) @ torch.ones(3, 2)
""")
case('shape mismatch in matmul batched', """
torch.ones(2, 2, 3) @ torch.ones(2, 2, 3)
""")
case('matmul 0-d', """
torch.tensor(1.) @ torch.ones(2)
""")
case('mm with 1-D', """
torch.mm(torch.ones(2), torch.ones(2, 2))
""")
case('dot with 2-D', """
torch.dot(torch.ones(2, 2), torch.ones(2))
""")
case('view on incompatible shape', """
torch.ones(2, 3).view(4)
""")
case('reshape on incompatible shape', """
torch.ones(2, 3).reshape(4)
""")
case('view with two -1', """
torch.ones(2, 3).view(-1, -1)
""")
case('view non-contiguous', """
torch.ones(2, 3).t().view(6)
""")
case('expand invalid', """
torch.ones(2, 3).expand(3, 3)
""")
case('expand fewer dims', """
torch.ones(2, 3).expand(3)
""")
case('index out of range', """
torch.ones(2, 3)[2]
""")
case('index out of range dim 1', """
torch.ones(2, 3)[0, 5]
""")
case('too many indices', """
torch.ones(2)[0, 0]
""")
case('dim out of range sum', """
torch.ones(2, 3).sum(2)
""")
case('dim out of range softmax', """
torch.ones(2, 3).softmax(2)
""")
case('transpose dim out of range', """
torch.ones(2, 3).transpose(0, 2)
""")
case('cat mismatched shapes', """
torch.cat([torch.ones(2, 3), torch.ones(2, 2)])
""")
case('cat empty list', """
torch.cat([])
""")
case('stack mismatched shapes', """
torch.stack([torch.ones(2), torch.ones(3)])
""")
case('torch.tensor on ragged list', """
torch.tensor([[1, 2], [3]])
""")
case('torch.tensor on ragged list 2', """
torch.tensor([[1, 2], 3])
""")
case('torch.tensor of tensors list', """
print(torch.tensor([torch.tensor(1.), torch.tensor(2.)]))
""")
case('torch.tensor of a tensor (warning)', """
a = torch.ones(2)
b = torch.tensor(a)
print(b)
""")
case('detach_() on a view', """
x = torch.tensor([[1., 2.], [3., 4.]], requires_grad=True)
v = x[0]
v.detach_()
""")
case('detach_() on a view of non-leaf', """
x = torch.tensor([[1., 2.], [3., 4.]], requires_grad=True)
y = x * 2
v = y[0]
v.detach_()
""")
case('detach_() on non-leaf', """
x = torch.tensor([[1., 2.], [3., 4.]], requires_grad=True)
y = x * 2
y.detach_()
print(y.requires_grad, y.is_leaf, y.grad_fn)
""")
case('detach shares storage', """
x = torch.tensor([[1., 2.], [3., 4.]], requires_grad=True)
d = x.detach()
d[0, 0] = 100
print(x)
print(d.requires_grad, d.is_leaf)
""")
case('grad accumulates across backward calls', """
x = torch.tensor([[1., 2.], [3., 4.]], requires_grad=True)
(x * 2).sum().backward()
(x * 3).sum().backward()
print(x.grad)
""")
case('grad is None before backward', """
x = torch.tensor([[1., 2.], [3., 4.]], requires_grad=True)
print(x.grad)
""")
case('grad zero_ and None', """
x = torch.tensor([[1., 2.], [3., 4.]], requires_grad=True)
(x * 2).sum().backward()
x.grad.zero_()
print(x.grad)
x.grad = None
print(x.grad)
""")
case('setting .grad wrong shape', """
x = torch.tensor([[1., 2.], [3., 4.]], requires_grad=True)
x.grad = torch.ones(3)
""")
case('setting .grad wrong type', """
x = torch.tensor([[1., 2.], [3., 4.]], requires_grad=True)
x.grad = 3
""")
case('setting .grad wrong dtype', """
x = torch.tensor([[1., 2.], [3., 4.]], requires_grad=True)
x.grad = torch.ones(2, 2, dtype=torch.float64)
""")
case('no_grad context', """
x = torch.tensor([[1., 2.], [3., 4.]], requires_grad=True)
with torch.no_grad():
    y = x * 2
print(y.requires_grad, y.grad_fn, y.is_leaf)
print(torch.is_grad_enabled())
""")
case('no_grad decorator', """
x = torch.tensor([[1., 2.], [3., 4.]], requires_grad=True)
@torch.no_grad()
def f(a):
    return a * 2
y = f(x)
print(y.requires_grad, torch.is_grad_enabled())
""")
case('enable_grad inside no_grad', """
x = torch.tensor([[1., 2.], [3., 4.]], requires_grad=True)
with torch.no_grad():
    with torch.enable_grad():
        y = x * 2
print(y.requires_grad)
""")
case('set_grad_enabled', """
x = torch.tensor([[1., 2.], [3., 4.]], requires_grad=True)
torch.set_grad_enabled(False)
y = x * 2
torch.set_grad_enabled(True)
print(y.requires_grad)
with torch.set_grad_enabled(False):
    z = x * 2
print(z.requires_grad, torch.is_grad_enabled())
""")
case('inference of requires_grad', """
a = torch.ones(2)
b = torch.ones(2, requires_grad=True)
print((a + b).requires_grad, (a + a).requires_grad, (a * 2).is_leaf, (b * 2).is_leaf)
""")
case('backward twice on leaf-derived with create_graph', """
x = torch.tensor([[1., 2.], [3., 4.]], requires_grad=True)
y = (x ** 2).sum()
y.backward(create_graph=True)
print(x.grad)
print(x.grad.requires_grad, x.grad.grad_fn)
""")
case('gradient through non-differentiable op (argmax)', """
x = torch.tensor([[1., 2.], [3., 4.]], requires_grad=True)
i = x.argmax()
print(i, i.requires_grad)
i.backward()
""")
case('backward on integer output', """
x = torch.tensor([[1., 2.], [3., 4.]], requires_grad=True)
y = (x > 1).sum()
print(y, y.requires_grad)
""")
case('requires_grad on float tensor with dtype float64', """
a = torch.tensor([1.], dtype=torch.float64, requires_grad=True)
print(a)
print(a * 2)
""")

# --- version counter, reprs, hooks, gradients at kinks ---
case('version error after clamp_ (ClampBackward1)', """
x = torch.tensor([[1., 2.], [3., 4.]], requires_grad=True)
y = x * 2
z = y * y
y.clamp_(min=0)
z.sum().backward()
""")
case('version error after t_ (TBackward1)', """
x = torch.tensor([[1., 2.], [3., 4.]], requires_grad=True)
y = x * 2
z = y * y
y.t_()
z.sum().backward()
""")
case('version error: saved view modified', """
x = torch.tensor([[1., 2.], [3., 4.]], requires_grad=True)
y = x * 2
v = y[0]
z = v * v
v.add_(1)
print(v.grad_fn)
z.sum().backward()
""")
case('version error: saved base, view modified', """
x = torch.tensor([[1., 2.], [3., 4.]], requires_grad=True)
y = x * 2
z = y * y
v = y[0]
v.add_(1)
print(y.grad_fn, v.grad_fn)
z.sum().backward()
""")
case('version error: 1-D float64 non-leaf', """
a = torch.ones(3, dtype=torch.float64, requires_grad=True)
b = a * 2
c = b.exp()
b.sub_(1)
c.sum().backward()
""")
case('version error: mul saved other operand', """
x = torch.tensor([[1., 2.], [3., 4.]], requires_grad=True)
w = torch.ones(2, 2, requires_grad=True)
y = w * 1
z = x * y
y.mul_(2)
z.sum().backward()
""")
case('version error: copy_ on saved', """
x = torch.tensor([[1., 2.], [3., 4.]], requires_grad=True)
y = x * 2
z = y * y
y.copy_(torch.zeros(2, 2))
z.sum().backward()
""")
case('version error: zero_ on saved', """
x = torch.tensor([[1., 2.], [3., 4.]], requires_grad=True)
y = x * 2
z = y.sin()
y.zero_()
z.sum().backward()
""")
case('version error: sigmoid_ on saved', """
x = torch.tensor([[1., 2.], [3., 4.]], requires_grad=True)
y = x * 2
z = y.sin()
y.sigmoid_()
z.sum().backward()
""")
case('version error: in-place under no_grad on non-leaf', """
x = torch.tensor([[1., 2.], [3., 4.]], requires_grad=True)
y = x * 2
z = y * y
with torch.no_grad():
    y.add_(1)
z.sum().backward()
""")
case('version error: autograd.grad', """
x = torch.tensor([[1., 2.], [3., 4.]], requires_grad=True)
y = x * 2
z = y * y
y.add_(1)
torch.autograd.grad(z.sum(), x)
""")
case('grad_fn repr / print', """
x = torch.tensor([[1., 2.], [3., 4.]], requires_grad=True)
y = x * 2
print(y.grad_fn)
print(repr(y.grad_fn))
print(y)
""")
case('AccumulateGrad repr', """
x = torch.tensor([[1., 2.], [3., 4.]], requires_grad=True)
y = x * 2
acc = y.grad_fn.next_functions[0][0]
print(acc)
print(acc.name(), type(acc).__name__, type(acc))
print(acc.variable is x)
print(acc.next_functions)
print(acc.variable)
""")
case('next_functions tuples printed', """
x = torch.tensor([[1., 2.], [3., 4.]], requires_grad=True)
y = x * 2 + x
print(y.grad_fn.next_functions)
print(y.grad_fn.next_functions[0][0].next_functions)
""")
case('next_functions with None', """
x = torch.tensor([[1., 2.], [3., 4.]], requires_grad=True)
y = x * 2
print(y.grad_fn.next_functions)
z = x + torch.ones(2, 2)
print(z.grad_fn.next_functions)
""")
case('grad_fn of leaf / requires_grad=False', """
x = torch.tensor([[1., 2.], [3., 4.]], requires_grad=True)
print(x.grad_fn, torch.ones(2).grad_fn, x.is_leaf, torch.ones(2).is_leaf)
""")
case('CopySlices / CopyBackwards repr', """
x = torch.tensor([[1., 2.], [3., 4.]], requires_grad=True)
y = x * 1
y[0] = 5
print(y.grad_fn)
print(y.grad_fn.name(), type(y.grad_fn).__name__)
z = x * 1
z.copy_(torch.zeros(2, 2))
print(z.grad_fn.name(), type(z.grad_fn).__name__)
""")
case('tensor repr with grad_fn', """
x = torch.tensor([[1., 2.], [3., 4.]], requires_grad=True)
print(x * 2)
print(x.sum())
print(x.mean(0))
print(x[0])
print(x @ x)
print(x.t())
""")
case('tensor repr requires_grad leaf', """
x = torch.tensor([[1., 2.], [3., 4.]], requires_grad=True)
print(x)
print(torch.tensor(1.5, requires_grad=True))
print(torch.ones(3, dtype=torch.float64, requires_grad=True))
""")
case('Parameter repr', """
p = torch.nn.Parameter(torch.tensor([[1., 2.], [3., 4.]]))
print(p)
print(repr(p))
print(type(p).__name__, p.requires_grad, p.is_leaf, isinstance(p, torch.Tensor))
print(p * 2)
""")
case('Parameter float64 and no-grad', """
p = torch.nn.Parameter(torch.ones(2, dtype=torch.float64))
print(p)
q = torch.nn.Parameter(torch.ones(2), requires_grad=False)
print(q)
""")
case('Parameter 0-d', """
p = torch.nn.Parameter(torch.tensor(2.))
print(p)
""")
case('x.grad_fn.next_functions[0][0].variable', """
x = torch.tensor([[1., 2.], [3., 4.]], requires_grad=True)
y = x.exp()
print(y.grad_fn.next_functions[0][0].variable)
print(y.grad_fn.next_functions[0][0].variable is x)
""")
case('is_leaf / requires_grad summary', """
x = torch.tensor([[1., 2.], [3., 4.]], requires_grad=True)
y = x * 2
print(x.is_leaf, y.is_leaf, x.requires_grad, y.requires_grad)
d = y.detach()
print(d.is_leaf, d.requires_grad, d.grad_fn)
""")
case('grad_fn is the same object each access', """
x = torch.tensor([[1., 2.], [3., 4.]], requires_grad=True)
y = x * 2
print(y.grad_fn is y.grad_fn, y.grad_fn == y.grad_fn)
""")
case('tensor.clone of leaf', """
x = torch.tensor([[1., 2.], [3., 4.]], requires_grad=True)
c = x.clone()
print(c)
print(c.is_leaf)
""")
case('t_() on leaf requiring grad', """
x = torch.tensor([[1., 2.], [3., 4.]], requires_grad=True)
x.t_()
""")
case('t_() on non-leaf', """
x = torch.tensor([[1., 2.], [3., 4.]], requires_grad=True)
y = x * 1
y.t_()
print(y)
y.sum().backward()
print(x.grad)
""")
case('t_() on 3-D', """
a = torch.ones(2, 2, 2)
a.t_()
""")
case('t() on 3-D', """
torch.ones(2, 2, 2).t()
""")
case('x.T on 3-D (deprecated warning)', """
a = torch.ones(2, 3, 4)
print(a.T.shape)
""")
case('x.T on 1-D', """
a = torch.ones(3)
print(a.T.shape)
""")
case('squeeze on non-1 dim', """
a = torch.ones(2, 3)
print(a.squeeze(0).shape, a.unsqueeze(0).shape, a.unsqueeze(2).shape)
""")
case('unsqueeze out of range', """
torch.ones(2, 3).unsqueeze(3)
""")
case('index assignment on non-leaf then backward', """
x = torch.tensor([[1., 2.], [3., 4.]], requires_grad=True)
y = x * 2
y[0] = 5
print(y)
y.sum().backward()
print(x.grad)
""")
case('index assignment of tensor requiring grad', """
x = torch.tensor([[1., 2.], [3., 4.]], requires_grad=True)
w = torch.tensor([10., 20.], requires_grad=True)
y = x * 1
y[1] = w
y.sum().backward()
print(x.grad, w.grad)
""")
case('in-place on non-leaf then backward', """
x = torch.tensor([[1., 2.], [3., 4.]], requires_grad=True)
y = x * 2
y.add_(1)
y.mul_(3)
y.sum().backward()
print(x.grad)
""")
case('in-place += on non-leaf rebinding semantics', """
x = torch.tensor([[1., 2.], [3., 4.]], requires_grad=True)
y = x * 2
z = y
y += 1
print(z is y, z)
""")
case('y = y + 1 vs y += 1', """
x = torch.tensor([[1., 2.], [3., 4.]], requires_grad=True)
y = x * 2
z = y
y = y + 1
print(z is y)
""")
case('where with scalar', """
x = torch.tensor([[1., 2.], [3., 4.]], requires_grad=True)
print(torch.where(x > 2, x, 0.))
print(torch.where(x > 2, 1., 0.))
""")
case('where condition only (nonzero)', """
x = torch.tensor([[1., 2.], [3., 4.]], requires_grad=True)
print(torch.where(x > 2))
""")
case('clamp with no args', """
x = torch.tensor([[1., 2.], [3., 4.]], requires_grad=True)
x.clamp()
""")
case('max with dim returns namedtuple', """
x = torch.tensor([[1., 2.], [3., 4.]], requires_grad=True)
r = x.max(dim=1)
print(r)
print(type(r).__name__)
print(r.values, r.indices)
v, i = x.min(0)
print(v, i)
""")
case('max keepdim', """
x = torch.tensor([[1., 2.], [3., 4.]], requires_grad=True)
print(x.max(1, keepdim=True))
""")
case('max of int tensor', """
a = torch.tensor([[3, 1], [2, 5]])
print(a.max(), a.max(0), a.sum(), a.mean(dtype=torch.float32))
""")
case('mean of int tensor error', """
torch.tensor([1, 2]).mean()
""")
case('sum of bool', """
print(torch.tensor([True, True, False]).sum())
""")
case('norm variants', """
x = torch.tensor([[1., 2.], [3., 4.]], requires_grad=True)
print(x.norm(), x.norm(1), x.norm(p=float('inf')), x.norm(dim=0), x.norm(dim=1, keepdim=True))
""")
case('norm of int tensor', """
torch.tensor([3, 4]).norm()
""")
case('softmax without dim', """
x = torch.tensor([[1., 2.], [3., 4.]], requires_grad=True)
print(torch.softmax(x))
""")
case('F.softmax without dim (warning)', """
x = torch.tensor([[1., 2.], [3., 4.]], requires_grad=True)
print(torch.nn.functional.softmax(x))
""")
case('softmax/log_softmax values', """
a = torch.tensor([[0., 0.], [0., 0.]], requires_grad=True)
print(torch.softmax(a, dim=1))
print(torch.log_softmax(a, 1))
""")
case('stack/cat grad', """
x = torch.tensor([[1., 2.], [3., 4.]], requires_grad=True)
w = torch.tensor([[5., 6.], [7., 8.]], requires_grad=True)
y = torch.stack([x, w], dim=0)
(y * torch.tensor([1., 2.]).view(2, 1, 1)).sum().backward()
print(x.grad, w.grad)
""")
case('expand grad', """
a = torch.tensor([1., 2.], requires_grad=True)
b = a.expand(3, 2)
print(b)
b.sum().backward()
print(a.grad)
""")
case('broadcast grad', """
a = torch.tensor([1., 2.], requires_grad=True)
b = torch.tensor([[1.], [2.], [3.]], requires_grad=True)
(a * b).sum().backward()
print(a.grad)
print(b.grad)
""")
case('0-d grad', """
a = torch.tensor(3., requires_grad=True)
b = a * a
b.backward()
print(a.grad, b)
""")
case('relu grad at 0', """
a = torch.tensor([-1., 0., 1.], requires_grad=True)
a.relu().sum().backward()
print(a.grad)
""")
case('abs grad at 0', """
a = torch.tensor([-1., 0., 1.], requires_grad=True)
a.abs().sum().backward()
print(a.grad)
""")
case('clamp grad at boundary', """
a = torch.tensor([-1., 0., 1., 2.], requires_grad=True)
a.clamp(0, 1).sum().backward()
print(a.grad)
""")
case('max grad ties (full reduction)', """
a = torch.tensor([1., 3., 3.], requires_grad=True)
a.max().backward()
print(a.grad)
""")
case('max grad ties (dim)', """
a = torch.tensor([[1., 3., 3.]], requires_grad=True)
a.max(dim=1).values.sum().backward()
print(a.grad)
""")
case('maximum grad ties', """
a = torch.tensor([1., 2.], requires_grad=True)
b = torch.tensor([1., 3.], requires_grad=True)
torch.maximum(a, b).sum().backward()
print(a.grad, b.grad)
""")
case('sqrt grad at 0', """
a = torch.tensor([0., 4.], requires_grad=True)
a.sqrt().sum().backward()
print(a.grad)
""")
case('norm grad at 0', """
a = torch.zeros(2, requires_grad=True)
a.norm().backward()
print(a.grad)
""")
case('pow 0 ** 0 grad', """
a = torch.tensor([0., 1.], requires_grad=True)
(a ** 0).sum().backward()
print(a.grad)
""")
case('x ** x at 0', """
a = torch.tensor([0., 1.], requires_grad=True)
(a ** a).sum().backward()
print(a.grad)
""")
case('2 ** x grad', """
a = torch.tensor([0., 1., 2.], requires_grad=True)
(2 ** a).sum().backward()
print(a.grad)
""")
case('log of 0 and negative', """
a = torch.tensor([0., -1.], requires_grad=True)
b = a.log()
print(b)
b.sum().backward()
print(a.grad)
""")

# --- version-counter messages ---
case('version error name after y.fill_(1)', """
x = torch.tensor([[1., 2.], [3., 4.]], requires_grad=True)
y = x * 2
z = y * y
y.fill_(1)
z.sum().backward()
""")
case('version error name after y.squeeze_()', """
x = torch.tensor([[1., 2.], [3., 4.]], requires_grad=True)
y = x * 2
z = y * y
y.squeeze_()
z.sum().backward()
""")
case('version error name after y.div_(2)', """
x = torch.tensor([[1., 2.], [3., 4.]], requires_grad=True)
y = x * 2
z = y * y
y.div_(2)
z.sum().backward()
""")
case('version error name after y.pow_(2)', """
x = torch.tensor([[1., 2.], [3., 4.]], requires_grad=True)
y = x * 2
z = y * y
y.pow_(2)
z.sum().backward()
""")
case('version error name after y.clamp_min_(0)', """
x = torch.tensor([[1., 2.], [3., 4.]], requires_grad=True)
y = x * 2
z = y * y
y.clamp_min_(0)
z.sum().backward()
""")
case('version error name after y.exp_()', """
x = torch.tensor([[1., 2.], [3., 4.]], requires_grad=True)
y = x * 2
z = y * y
y.exp_()
z.sum().backward()
""")
case('version error name after y.relu_()', """
x = torch.tensor([[1., 2.], [3., 4.]], requires_grad=True)
y = x * 2
z = y * y
y.relu_()
z.sum().backward()
""")
case('version error name after y.unsqueeze_(0)', """
x = torch.tensor([[1., 2.], [3., 4.]], requires_grad=True)
y = x * 2
z = y * y
y.unsqueeze_(0)
z.sum().backward()
""")
case('version error name after y[y > 2] = 0', """
x = torch.tensor([[1., 2.], [3., 4.]], requires_grad=True)
y = x * 2
z = y * y
y[y > 2] = 0
z.sum().backward()
""")
case('version error where the saved tensor is a leaf modified under no_grad, 1-D', """
w = torch.ones(3, requires_grad=True)
z = (w * w).sum()
with torch.no_grad():
    w.mul_(2)
z.backward()
""")
case('version error: saved result of sigmoid modified after view', """
x = torch.tensor([[1., 2.], [3., 4.]], requires_grad=True)
y = x.sigmoid()
y[0, 0] = 0
y.sum().backward()
""")
case('version error: tanh output in-place', """
x = torch.tensor([[1., 2.], [3., 4.]], requires_grad=True)
y = x.tanh()
y.mul_(2)
y.sum().backward()
""")
case('version error: pow saves self (y ** 2) with y = x.exp()', """
x = torch.tensor([[1., 2.], [3., 4.]], requires_grad=True)
y = x.exp()
z = y ** 2
y.add_(1)
z.sum().backward()
""")


# --- conversions ---
case("x.float/.double/.to on an int tensor", """
x = torch.tensor([1, 2])
print(x.float(), x.double(), x.to(torch.float64), x.long(), x.bool())
print(x.to(torch.float32).dtype, x.float().requires_grad)
""")
case("dtype=float (the Python type) means float64", """
x = torch.tensor([3], dtype=float, requires_grad=True)
print(x, x.dtype)
""")
case("conversion keeps the graph", """
x = torch.tensor([1., 2.], requires_grad=True)
y = x.double() * x.double()
y.sum().backward()
print(y, x.grad, x.grad.dtype)
""")

# --- random numbers (minigrad's generator reproduces PyTorch's CPU stream) ---
case("manual_seed then randn", """
torch.manual_seed(0)
print(torch.randn(2, 3))
print(torch.randn(3, requires_grad=True))
""")
case("manual_seed then rand", """
torch.manual_seed(0)
print(torch.rand(2, 2))
print(torch.rand(5, dtype=torch.float64))
""")
case("manual_seed then randn float64", """
torch.manual_seed(0)
print(torch.randn(4, dtype=torch.float64))
""")
case("manual_seed then randn 3x4 requires_grad (tutorial 001)", """
torch.manual_seed(0)
a = torch.randn(3, 4, requires_grad=True)
print(a)
""")
case("manual_seed returns a Generator", """
g = torch.manual_seed(0)
print(type(g).__name__)
""")

# --- gradient accumulation and the classic tutorial graph ---
case("tutorial graph y = (w + x) * (w + 1)", """
x = torch.tensor([2.], requires_grad=True)
w = torch.tensor([1.], requires_grad=True)
a = torch.add(w, x)
b = torch.add(w, 1)
y = torch.mul(a, b)
y.backward()
print(w.grad, x.grad)
print(x.is_leaf, w.is_leaf, a.is_leaf, b.is_leaf, y.is_leaf)
print(y.grad_fn, a.grad_fn, b.grad_fn)
""")
case("torch.autograd.backward with grad_tensors", """
x = torch.tensor([1., 2.], requires_grad=True)
y = x * x
torch.autograd.backward(y, grad_tensors=torch.tensor([1., 10.]))
print(x.grad)
""")
case("torch.autograd.backward on a list of outputs", """
x = torch.tensor([1., 2.], requires_grad=True)
y1 = (x * 2).sum()
y2 = (x * x).sum()
torch.autograd.backward([y1, y2])
print(x.grad)
""")
case("second derivative with autograd.grad", """
x = torch.tensor(3., requires_grad=True)
y = x ** 3
g, = torch.autograd.grad(y, x, create_graph=True)
print(g)
h, = torch.autograd.grad(g, x)
print(h)
""")
case("retain_graph then accumulate", """
x = torch.tensor([1., 2.], requires_grad=True)
y = (x * x).sum()
y.backward(retain_graph=True)
print(x.grad)
y.backward()
print(x.grad)
""")
case("backward(gradient) on a vector (tutorial 003)", """
x = torch.tensor([1., 2., 3.], requires_grad=True)
y = x * 2
w = torch.tensor([0.1, 1.0, 0.001])
y.backward(w)
print(x.grad)
""")

# --- tensors as Python values, .data, small API details ---
case('.data semantics', """
x = torch.tensor([[1., 2.], [3., 4.]], requires_grad=True)
d = x.data
print(d, d.requires_grad, d.is_leaf, d.grad_fn)
d[0, 0] = 100
print(x, x._version)
y = x * 2
print(y.data)
print(y.data.norm())
""")
case('.data modification does not trip the version check', """
x = torch.tensor([[1., 2.], [3., 4.]], requires_grad=True)
y = x * x
x.data.mul_(2)
y.sum().backward()
print(x.grad)
""")
case('requires_grad_ returns self', """
x = torch.tensor([[1., 2.], [3., 4.]], requires_grad=True)
a = torch.ones(2)
b = a.requires_grad_()
print(b is a, a)
""")
case('backward returns None', """
x = torch.tensor([[1., 2.], [3., 4.]], requires_grad=True)
print(x.sum().backward())
""")
case('len of 0-d', """
len(torch.tensor(1.))
""")
case('iterate 0-d', """
for v in torch.tensor(1.):
    pass
""")
case('iterate 1-d', """
for v in torch.tensor([1., 2.]):
    print(v)
""")
case('unexpected kwarg', """
torch.ones(2, 2, requries_grad=True)
""")
case('unexpected kwarg tensor', """
torch.tensor([1.], requries_grad=True)
""")
case('x.eq(y).all()', """
x = torch.tensor([[1., 2.], [3., 4.]], requires_grad=True)
y = x.detach()
print(x.eq(y), x.eq(y).all(), (x == y).any())
""")
case('no_grad object repr', """
print(torch.no_grad)
print(type(torch.no_grad()))
""")
case('grad.data.zero_()', """
x = torch.tensor([[1., 2.], [3., 4.]], requires_grad=True)
(x * 2).sum().backward()
x.grad.data.zero_()
print(x.grad)
""")
case('is_tensor / isinstance', """
x = torch.tensor([[1., 2.], [3., 4.]], requires_grad=True)
print(torch.is_tensor(x), isinstance(x, torch.Tensor), type(x))
""")
case('print grad_fn None', """
a = torch.ones(2)
print(a.grad_fn)
""")
case('0-d tensor formatting', """
print(torch.tensor(2.5), torch.tensor(3), torch.tensor(1e-5), torch.tensor(123456.))
""")
case('tensor in f-string', """
x = torch.tensor([[1., 2.], [3., 4.]], requires_grad=True)
print(f'{x.sum()}')
print(f'{x.sum().item():.2f}')
""")
case('format spec on 0-d tensor', """
x = torch.tensor([[1., 2.], [3., 4.]], requires_grad=True)
print(format(x.sum(), '.2f'))
""")
case('format spec on n-d tensor', """
x = torch.tensor([[1., 2.], [3., 4.]], requires_grad=True)
print(format(x, '.2f'))
""")
case('comparison with python number', """
x = torch.tensor([[1., 2.], [3., 4.]], requires_grad=True)
print(x > 2, x.sum() > 5, bool(x.sum() > 5))
""")
case('while loop on tensor condition', """
a = torch.tensor(1.)
n = 0
while a < 100:
    a = a * 3
    n += 1
print(n, a)
""")
case('x.grad is a leaf without grad', """
x = torch.tensor([[1., 2.], [3., 4.]], requires_grad=True)
(x * 2).sum().backward()
print(x.grad.requires_grad, x.grad.is_leaf, x.grad.grad_fn)
""")
case('tensor.T on 0-d', """
print(torch.tensor(1.).T)
""")
