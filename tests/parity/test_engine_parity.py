"""The engine against real PyTorch: backward, autograd.grad, hooks, requires_grad rules, detach, in-place
operations and the version counter, grad mode, custom Functions, indexing and joining.

Each snippet is run on both libraries and must print the same text, warn the same warnings and end with the same
exception (see harness.py for the normalisation). The behaviour tests in tests/test_*.py state the same facts
without needing PyTorch.
"""
import pytest

pytest.importorskip("torch")

from harness import assert_same_outcome, run_cells  # noqa: E402

CASES = []


def case(name, code):
    CASES.append((name, code.strip("\n") + "\n"))


# ----- backward ---------------------------------------------------------------------------------------------------
case("scalar backward", """
x = torch.tensor([1., 2., 3.], requires_grad=True)
(x * x).sum().backward()
print(x.grad)
""")
case("non-scalar backward needs a gradient", """
x = torch.tensor([1., 2., 3.], requires_grad=True)
(x * 2).backward()
""")
case("gradient argument is a vector-Jacobian product", """
x = torch.tensor([1., 2., 3.], requires_grad=True)
(x * x).backward(torch.tensor([1., 0.1, 0.01]))
print(x.grad)
""")
case("gradient of the wrong shape", """
x = torch.tensor([1., 2., 3.], requires_grad=True)
(x * 2).backward(torch.ones(2))
""")
case("gradient given as a number", """
x = torch.tensor([1., 2., 3.], requires_grad=True)
(x * 2).sum().backward(5.0)
""")
case("a float64 gradient is cast to a float32 output's dtype first", """
x = torch.tensor([1.1, 2.3, 3.7], requires_grad=True)
y = x * 3.3
y.register_hook(lambda g: print("hook sees", g.dtype, g))
gradient = torch.tensor([0.1, 0.2, 0.3], dtype=torch.float64)
y.backward(gradient)
print(x.grad.dtype, x.grad.tolist())
print(x.grad.tolist() == (gradient.float() * 3.3).tolist())
""")
case("an integer or bool gradient is cast to the output's dtype", """
x = torch.tensor([1.1, 2.3, 3.7], requires_grad=True)
(x * 3.3).backward(torch.tensor([1, 2, 3]))
print(x.grad.dtype, x.grad.tolist())
(x * 3.3).backward(torch.tensor([True, False, True]))
print(x.grad.tolist())
""")
case("autograd.grad casts grad_outputs to each output's dtype", """
x = torch.tensor([1.1, 2.3], requires_grad=True)
x64 = torch.tensor([1.1, 2.3], dtype=torch.float64, requires_grad=True)
g32, g64 = torch.autograd.grad([x * 3.3, x64 * 3.3], [x, x64],
                               [torch.tensor([0.1, 0.7], dtype=torch.float64), torch.tensor([0.1, 0.7])])
print(g32.dtype, g32.tolist(), g64.dtype, g64.tolist())
w = torch.tensor([0.1, 0.7], dtype=torch.float64, requires_grad=True)
(g,) = torch.autograd.grad(x * 3.3, x, w, create_graph=True)
print(g.dtype, g.grad_fn.name())
g.sum().backward()
print(w.grad.dtype, w.grad.tolist())
""")
case("scatter's backward refuses a src larger than its index", """
src = torch.arange(6.).reshape(2, 3).requires_grad_()
x = torch.zeros(3, 5, requires_grad=True)
out = x.scatter(1, torch.tensor([[0, 1]]), src)
out.sum().backward()
""")
case("second backward through freed graph", """
x = torch.tensor([1., 2., 3.], requires_grad=True)
y = (x * x).sum()
y.backward()
y.backward()
""")
case("retain_graph allows a second backward and grads accumulate", """
x = torch.tensor([1., 2., 3.], requires_grad=True)
y = (x * x).sum()
y.backward(retain_graph=True)
y.backward()
print(x.grad)
""")
case("a graph that saved nothing runs twice", """
x = torch.tensor([1., 2., 3.], requires_grad=True)
y = (x + 1).sum()
y.backward()
y.backward()
print(x.grad)
""")
case("zero_ and None reset the gradient", """
x = torch.tensor([1., 2.], requires_grad=True)
(x * 3).sum().backward()
g = x.grad
x.grad.zero_()
print(x.grad, g is x.grad)
(x * 3).sum().backward()
print(x.grad, g is x.grad)
x.grad = None
(x * 3).sum().backward()
print(x.grad, g is x.grad)
""")
case("backward of a tensor that does not require grad", """
torch.ones(2).sum().backward()
""")
case("create_graph gives second derivatives", """
x = torch.tensor(2., requires_grad=True)
y = x ** 3
(g,) = torch.autograd.grad(y, x, create_graph=True)
print(g)
(gg,) = torch.autograd.grad(g, x)
print(gg)
""")
case("backward with create_graph then backward of the grad", """
x = torch.tensor([1., 2.], requires_grad=True)
(x ** 3).sum().backward(create_graph=True)
print(x.grad)
g = x.grad
x.grad = None
g.sum().backward()
print(x.grad)
""")
case("autograd.grad leaves .grad alone", """
x = torch.tensor([1., 2.], requires_grad=True)
print(torch.autograd.grad((x * x).sum(), x), x.grad)
""")
case("autograd.grad unused input", """
x = torch.tensor([1., 2.], requires_grad=True)
u = torch.tensor([1., 2.], requires_grad=True)
torch.autograd.grad((x * 2).sum(), [x, u])
""")
case("autograd.grad allow_unused", """
x = torch.tensor([1., 2.], requires_grad=True)
u = torch.tensor([1., 2.], requires_grad=True)
print(torch.autograd.grad((x * 2).sum(), [x, u], allow_unused=True))
""")
case("autograd.grad materialize_grads", """
x = torch.tensor([1., 2.], requires_grad=True)
u = torch.tensor([1., 2.], requires_grad=True)
print(torch.autograd.grad((x * 2).sum(), [x, u], materialize_grads=True))
""")
case("autograd.grad input that does not require grad", """
x = torch.tensor([1., 2.], requires_grad=True)
torch.autograd.grad((x * 2).sum(), [torch.ones(2)])
""")
case("autograd.grad with grad_outputs", """
x = torch.tensor([1., 2., 3.], requires_grad=True)
print(torch.autograd.grad(x * x, x, torch.tensor([1., 10., 100.])))
""")
case("autograd.grad grad_outputs shape mismatch", """
x = torch.tensor([1., 2., 3.], requires_grad=True)
torch.autograd.grad(x * 2, x, torch.ones(3, 1))
""")
case("autograd.grad empty inputs", """
x = torch.tensor([1., 2.], requires_grad=True)
torch.autograd.grad((x * 2).sum(), [])
""")
case("autograd.backward with several tensors", """
x = torch.tensor([1., 2.], requires_grad=True)
torch.autograd.backward([x * 2, x * x], [torch.ones(2), torch.tensor([1., 10.])])
print(x.grad)
""")
case("autograd.backward count mismatch", """
x = torch.tensor([1., 2.], requires_grad=True)
torch.autograd.backward([(x * 2).sum(), (x * 3).sum()], [torch.tensor(1.)])
""")
case("backward(inputs=...) fills only those", """
a = torch.tensor([1., 2.], requires_grad=True)
b = torch.tensor([3., 4.], requires_grad=True)
(a * b).sum().backward(inputs=[a])
print(a.grad, b.grad)
""")
case("backward(inputs=[non-leaf])", """
a = torch.tensor([1., 2.], requires_grad=True)
h = a * 2
(h * h).sum().backward(inputs=[h])
print(h.grad, a.grad)
""")
case("backward(inputs=[]) is refused", """
a = torch.tensor([1., 2.], requires_grad=True)
(a * 2).sum().backward(inputs=[])
""")
case("gradient of another dtype gives the leaf's dtype", """
x = torch.tensor([1., 2.], requires_grad=True)
(x * 2).backward(torch.ones(2, dtype=torch.float64))
print(x.grad)
""")

# ----- .grad, retain_grad, hooks -----------------------------------------------------------------------------------
case(".grad of a non-leaf warns", """
x = torch.tensor([1., 2.], requires_grad=True)
y = x * 2
print(y.grad)
""")
case("retain_grad", """
x = torch.tensor([1., 2.], requires_grad=True)
y = x * 2
y.retain_grad()
(y * y).sum().backward()
print(y.grad, y.retains_grad, x.retains_grad)
""")
case("retain_grad without requires_grad", """
torch.ones(2).retain_grad()
""")
case("hook replaces the gradient of a leaf", """
x = torch.tensor([1., 2.], requires_grad=True)
x.register_hook(lambda g: g * 10)
(x * 2).sum().backward()
print(x.grad)
""")
case("hook on a non-leaf sees and replaces its gradient", """
x = torch.tensor([1., 2.], requires_grad=True)
y = x * 2
y.register_hook(lambda g: print("hook", g) or g + 1)
(y * 3).sum().backward()
print(x.grad)
""")
case("removed hook does not run", """
x = torch.tensor([1., 2.], requires_grad=True)
h = x.register_hook(lambda g: g * 10)
h.remove()
(x * 2).sum().backward()
print(x.grad)
""")
case("hook on a tensor that does not require grad", """
torch.ones(2).register_hook(lambda g: g)
""")

# grad_fn.register_hook: what the hook returns replaces the gradients the node sends on, checked as PyTorch does
NODE_HOOK_RESULTS = {
    "a tensor of another size": "(torch.ones(7), None)",
    "one value for two inputs": "(gi[0],)",
    "three values for two inputs": "(gi[0], gi[1], None)",
    "a bare tensor": "gi[0]",
    "a list": "[gi[0], gi[1]]",
    "another dtype": "(gi[0].double(), gi[1])",
    "a number": "(1, gi[1])",
    "None for both": "(None, None)",
    "another shape, same count": "(gi[0].reshape(2, 1), gi[1])",
    "a 0-d tensor": "(torch.tensor(1.), gi[1])",
    "new values": "(gi[0] * 10, gi[1])",
}
for _name, _result in NODE_HOOK_RESULTS.items():
    case(f"node hook returns {_name}", f"""
x = torch.ones(2, requires_grad=True)
w = torch.ones(2, requires_grad=True)
h = x * w
h.grad_fn.register_hook(lambda gi, go: {_result})
h.sum().backward()
print(x.grad, w.grad)
""")
case("node hook gives a gradient to an input that needs none", """
x = torch.ones(2, requires_grad=True)
h = x * 2
h.grad_fn.register_hook(lambda gi, go: (torch.ones(2), torch.ones(2)))
h.sum().backward()
""")

# a backward that raises midway: what already reached a leaf's .grad stays, the rest never arrives
MIDWAY = """
class Boom(torch.autograd.Function):
    @staticmethod
    def forward(ctx, x):
        return x * 1

    @staticmethod
    def backward(ctx, grad):
        raise ZeroDivisionError("a learner's backward failed")

a = torch.ones(2, requires_grad=True)
b = torch.ones(2, requires_grad=True)
"""
for _order, _build in [("runs first", "q = Boom.apply(b)\np = a * 2"), ("runs last", "p = a * 2\nq = Boom.apply(b)")]:
    case(f"a Function whose backward raises {_order}", MIDWAY + _build + """
out = (p + q).sum()
try:
    out.backward()
except ZeroDivisionError as error:
    print('raised', error)
print(a.grad, b.grad)
out.backward()
""")
case("a failing backward leaves an existing .grad with what had arrived", MIDWAY + """
a.grad = torch.full((2,), 5.)
q = Boom.apply(b)
p = a * 2
try:
    (p + q).sum().backward()
except ZeroDivisionError:
    pass
print(a.grad, b.grad)
""")
case("a leaf hook that raises", """
a = torch.ones(2, requires_grad=True)
b = torch.ones(2, requires_grad=True)
b.register_hook(lambda g: 1 / 0)
try:
    ((a * 2).sum() + (b * 3).sum()).backward()
except ZeroDivisionError:
    print('raised')
print(a.grad, b.grad)
""")
case("a hook on an intermediate tensor that raises", """
a = torch.ones(2, requires_grad=True)
m = a * 2
m.register_hook(lambda g: 1 / 0)
try:
    (m.sum() + (a * 3).sum()).backward()
except ZeroDivisionError:
    print('raised')
print(a.grad)
""")


# ----- requires_grad rules, detach, .data, numpy ---------------------------------------------------------------
case("integer tensors cannot require grad (three ways)", """
for make in [lambda: torch.tensor([1, 2], requires_grad=True),
             lambda: torch.tensor([1, 2]).requires_grad_(),
             lambda: setattr(torch.tensor([1, 2]), "requires_grad", True)]:
    try:
        make()
    except RuntimeError as error:
        print(error)
""")
case("requires_grad of a non-leaf", """
x = torch.tensor([1., 2.], requires_grad=True)
y = x * 2
for change in [lambda: setattr(y, "requires_grad", False), lambda: setattr(y, "requires_grad", True),
               lambda: y.requires_grad_(False)]:
    try:
        change()
        print("ok")
    except RuntimeError as error:
        print(error)
y.requires_grad_(True)
print(y.requires_grad)
""")
case("numpy() on a tensor that requires grad", """
x = torch.tensor([1., 2.], requires_grad=True)
print(x.detach().numpy())
x.numpy()
""")
case("detach shares memory and version counter, .data shares memory only", """
x = torch.tensor([1., 2.], requires_grad=True)
d = x.detach()
d.add_(1)
print(x, x._version, d._version, d.requires_grad, d.is_leaf)
e = x.data
e.mul_(2)
print(x, x._version, e._version, e.requires_grad)
""")
case("detach_ on a non-leaf", """
x = torch.tensor([1., 2.], requires_grad=True)
y = x * 2
y.detach_()
print(y, y.grad_fn, y.requires_grad, y.is_leaf)
""")
case("detach_ on a view", """
x = torch.tensor([1., 2.], requires_grad=True)
x[0:1].detach_()
""")
case("a modified detached tensor breaks backward", """
x = torch.tensor([1., 2.], requires_grad=True)
y = x.exp()
y.detach().zero_()
y.sum().backward()
""")

# ----- in-place operations --------------------------------------------------------------------------------------
for name, call in [("add_", "y.add_(1)"), ("sub_", "y.sub_(w)"), ("mul_", "y.mul_(w)"), ("div_", "y.div_(2)"),
                   ("zero_", "y.zero_()"), ("fill_", "y.fill_(3)"), ("clamp_", "y.clamp_(0, 3)"), ("t_", "y.t_()"),
                   ("copy_", "y.copy_(w)"), ("+=", "y += w"), ("*=", "y *= 2")]:
    case(f"in-place {name} on a non-leaf", f"""
x = torch.tensor([[1., 2.], [3., 4.]], requires_grad=True)
w = torch.tensor([[5., 6.], [7., 8.]], requires_grad=True)
y = x * 1
{call}
print(y, y._version)
print([(f.name() if f else None, i) for f, i in y.grad_fn.next_functions])
(y * torch.tensor([[1., 2.], [3., 4.]])).sum().backward()
print(x.grad, w.grad)
""")
case("in-place on a leaf that requires grad", """
x = torch.tensor([1., 2.], requires_grad=True)
for change in [lambda: x.add_(1), lambda: x.zero_(), lambda: x.mul_(2)]:
    try:
        change()
    except RuntimeError as error:
        print(error)
print(x, x._version)
""")
case("in-place on a leaf under no_grad", """
x = torch.tensor([1., 2.], requires_grad=True)
with torch.no_grad():
    x.add_(1)
    x.mul_(2)
print(x, x._version, x.is_leaf, x.grad_fn)
""")
case("in-place on a leaf view made by reshape", """
x = torch.arange(4.).reshape(2, 2).requires_grad_()
x.add_(1)
""")
case("modified saved tensor", """
x = torch.tensor([1., 2.], requires_grad=True)
y = x * 2
z = y * y
y.add_(1)
z.sum().backward()
""")
case("modified saved leaf under no_grad", """
x = torch.tensor([1., 2.], requires_grad=True)
w = torch.tensor([3., 4.], requires_grad=True)
z = (x * w).sum()
with torch.no_grad():
    w.add_(1)
z.backward()
""")
case("failed in-place call changes nothing", """
x = torch.tensor([1., 2.], requires_grad=True)
y = x * 2
node = y.grad_fn
try:
    y.add_(torch.ones(3))
except RuntimeError as error:
    print(error)
print(y, y._version, y.grad_fn is node)
i = torch.tensor([1, 2])
try:
    i.add_(1.5)
except RuntimeError as error:
    print(error)
print(i, i._version)
""")

# ----- grad mode ------------------------------------------------------------------------------------------------
case("no_grad, enable_grad, set_grad_enabled", """
x = torch.tensor([1., 2.], requires_grad=True)
with torch.no_grad():
    print((x * 2).requires_grad, torch.is_grad_enabled())
    with torch.enable_grad():
        print((x * 2).requires_grad)
    print((x * 2).requires_grad)
with torch.set_grad_enabled(False):
    print((x * 2).requires_grad)
torch.set_grad_enabled(False)
print(torch.is_grad_enabled())
torch.set_grad_enabled(True)
print(torch.is_grad_enabled(), (x * 2).requires_grad)
""")
case("grad mode decorators", """
x = torch.tensor([1., 2.], requires_grad=True)

@torch.no_grad()
def double(t):
    return t * 2

@torch.enable_grad()
def triple(t):
    return t * 3

print(double(x).requires_grad)
with torch.no_grad():
    print(triple(x).requires_grad)
print(torch.is_grad_enabled())
""")

# ----- custom Function --------------------------------------------------------------------------------------------
case("ctx.needs_input_grad is set before forward, with and without a graph being recorded", """
class Scale(torch.autograd.Function):
    @staticmethod
    def forward(ctx, x, k):
        print(ctx.needs_input_grad)
        return x * k

    @staticmethod
    def backward(ctx, grad):
        return grad, None

x = torch.ones(2, requires_grad=True)
with torch.no_grad():
    Scale.apply(x, 2)
Scale.apply(torch.ones(2), 2)
Scale.apply(x, 2)
Scale.apply(x, torch.ones(2))
""")
EXP = """
class Exp(torch.autograd.Function):
    @staticmethod
    def forward(ctx, x):
        result = x.exp()
        ctx.save_for_backward(result)
        return result

    @staticmethod
    def backward(ctx, grad):
        (result,) = ctx.saved_tensors
        return grad * result
"""
case("custom Function forward, backward, node name and repr", EXP + """
x = torch.tensor([0., 1.], requires_grad=True)
y = Exp.apply(x)
y.sum().backward()
print(y, x.grad)
print(y.grad_fn.name(), y.grad_fn)
print(y.grad_fn.next_functions)
""")
case("custom Function with non-tensor arguments and needs_input_grad", """
class Scale(torch.autograd.Function):
    @staticmethod
    def forward(ctx, x, factor, w):
        ctx.factor = factor
        print(ctx.needs_input_grad)
        return x * factor + w

    @staticmethod
    def backward(ctx, grad):
        return grad * ctx.factor, None, grad

x = torch.tensor([1., 2.], requires_grad=True)
w = torch.tensor([3., 4.])
y = Scale.apply(x, 3.0, w)
y.sum().backward()
print(x.grad, y.grad_fn.next_functions)
""")
case("custom Function returning the wrong number of gradients", """
class Bad(torch.autograd.Function):
    @staticmethod
    def forward(ctx, x, y):
        return x * y

    @staticmethod
    def backward(ctx, grad):
        return grad

a = torch.tensor([1., 2.], requires_grad=True)
Bad.apply(a, a).sum().backward()
""")
case("custom Function with two outputs", """
class Split(torch.autograd.Function):
    @staticmethod
    def forward(ctx, x):
        return x * 2, x * 3

    @staticmethod
    def backward(ctx, g1, g2):
        return g1 * 2 + g2 * 3

x = torch.tensor([1., 2.], requires_grad=True)
a, b = Split.apply(x)
print(a.grad_fn is b.grad_fn, a.grad_fn.name())
a.sum().backward()
print(x.grad)
""")

# ----- indexing and joining ---------------------------------------------------------------------------------------
for index in ["0", "-1", "1:", "::2", ":, 1", "0, 1", "0, 1:", "None", "..., 1", "0, None, 1", "[0, 1]", "x > 5",
              "1:, [0, 2]", "[0, 1], [1, 2]", ":, :", "...", ":", "True", "torch.tensor(1)", "5", ":, 5",
              "0, 0, 0, 0", "1.5", "::-1", "[5]", "[0, 1], [0, 1, 2]", "torch.tensor([True, False, True])"]:
    case(f"x[{index}]", f"""
x = torch.arange(24.).reshape(2, 3, 4).requires_grad_()
y = x[{index}]
print(y.shape, y.grad_fn.name(), [(f.name() if f else None, i) for f, i in y.grad_fn.next_functions])
(y * torch.arange(float(y.numel())).reshape(y.shape)).sum().backward()
print(x.grad)
""")
for index, value in [("0", "5"), ("0", "w"), ("0, 1", "w"), (":, 1:", "w"), ("[0, 1]", "5"), ("[0, 1]", "w"),
                     ("y > 5", "0"), ("None", "w"), ("...", "w"), ("1:, [0, 2]", "w"), ("0", "torch.ones(5)"),
                     ("[0, 1]", "torch.ones(5)"), ("0", "'a'"), (":", "w"), ("0", "v")]:
    case(f"y[{index}] = {value}", f"""
x = torch.arange(24.).reshape(2, 3, 4).requires_grad_()
w = torch.tensor(2., requires_grad=True)
v = torch.ones(1, 3, 4, requires_grad=True)
y = x * 1
y[{index}] = {value}
print(y.grad_fn, y._version, [(f.name() if f else None, i) for f, i in y.grad_fn.next_functions])
(y * torch.arange(24.).reshape(2, 3, 4)).sum().backward()
print(x.grad, w.grad, v.grad)
""")
case("index assignment into a leaf", """
w = torch.ones(2, 3, requires_grad=True)
for index in [0, [0], slice(None)]:
    try:
        w[index] = 1
    except RuntimeError as error:
        print(error)
""")
for call in ["torch.cat([a, b])", "torch.cat([a, a], 1)", "torch.cat([a, b], 1)", "torch.cat([a, a], 2)",
             "torch.cat([])", "torch.cat([a, torch.tensor(1.)])", "torch.cat([a, c])", "torch.stack([a, a])",
             "torch.stack([a, a], -1)", "torch.stack([a, b])", "torch.stack([])", "torch.stack([a, a], 3)"]:
    case(call, f"""
a = torch.ones(2, 3, requires_grad=True)
b = torch.zeros(1, 3)
c = torch.ones(2, 3, dtype=torch.float64, requires_grad=True)
y = {call}
print(y, [(f.name() if f else None, i) for f, i in y.grad_fn.next_functions])
(y * torch.arange(float(y.numel())).reshape(y.shape)).sum().backward()
print(a.grad, c.grad)
""")


# ----- a Python number as an input of + - * / (kept as a number, not a tensor) -------------------------------------
case("a number's dtype: result dtype for every tensor dtype, on both sides", """
for dtype in (torch.float32, torch.float64, torch.int32, torch.int64, torch.uint8, torch.bool):
    t = torch.tensor([1, 0, 3]).to(dtype)
    for number in (2, 2.5, True):
        for name, result in (("add", t + number), ("radd", number + t), ("mul", t * number), ("rmul", number * t),
                             ("div", t / number), ("add alpha", torch.add(t, number, alpha=2))):
            print(dtype, number, name, result.dtype, result)
        if dtype is not torch.bool and number is not True:
            print(dtype, number, "sub", (t - number).dtype, t - number, (number - t).dtype)
""")
case("x * number and number * x: two edges, the number's (None, 0); saved as a 0-d tensor", """
x = torch.tensor([1., 2., 3.], requires_grad=True)
for y in (x * 2, 2 * x, x * 1.0001, torch.mul(2, x), x / 4, x + 2, 2 + x, x - 2):
    node = y.grad_fn
    print(node.name(), [(type(n).__name__, i) for n, i in node.next_functions])
print((x * 2).grad_fn._saved_self, (x / 4).grad_fn._saved_self)
y = x * 3
y.sum().backward()
print(x.grad)
""")
case("gradients through numbers, 0-d and 1-element tensors, both backward modes", """
for shape in ((), (1,), (2, 3)):
    x = torch.full(shape, 1.5, requires_grad=True)
    y = ((x * 2.5 + 1) / 4 - 0.5) * x * 1.0001
    (g,) = torch.autograd.grad(y.sum(), x, create_graph=True)
    (h,) = torch.autograd.grad(g.sum(), x)
    y.sum().backward()
    print(shape, g.grad_fn.name(), torch.allclose(x.grad, g.detach()), h)
""")
case("float32 tensor times a number too large for float32", """
x = torch.ones(2, requires_grad=True)
y = x * 1e39
print(y, y.grad_fn.name())
y.sum().backward()
print(x.grad)
""")
case("in-place arithmetic with a number: versions, and the saved tensor check", """
x = torch.tensor([1., 2.], requires_grad=True)
y = x * 1
z = y * y
y.mul_(2)
y.add_(1, alpha=3)
print(y._version, y)
try:
    z.sum().backward()
except RuntimeError as error:
    print("RuntimeError", str(error).splitlines()[0])
w = (x * 2) * 3
w.sum().backward()
print(x.grad)
""")


@pytest.mark.parametrize("code", [code for _, code in CASES], ids=[name for name, _ in CASES])
def test_engine_text(code, torch_module, minigrad_module):
    assert_same_outcome(code, torch_module, minigrad_module)


def test_grad_mode_is_per_thread_in_both(torch_module, minigrad_module):
    code = """
import threading
seen = []
with torch.no_grad():
    thread = threading.Thread(target=lambda: seen.append(torch.is_grad_enabled()))
    thread.start()
    thread.join()
print(seen, torch.is_grad_enabled())
"""
    outcomes = [run_cells([code], module)[0] for module in (torch_module, minigrad_module)]
    assert outcomes[0].stdout == outcomes[1].stdout == "[True] True\n"
