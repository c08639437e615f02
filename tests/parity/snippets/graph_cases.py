"""Snippets about the graph each operation records: grad_fn names and next_functions.

Every snippet is run on PyTorch and on minigrad by test_api_parity.py, and the
printed text must agree.  Inputs are small integers so that printed values are
exact in float32 on both sides.
"""

SETUP = """\
x = torch.tensor([[1., 2.], [3., 4.]], requires_grad=True)
w = torch.tensor([[5., 6.], [7., 8.]], requires_grad=True)
v = torch.tensor([1., 2.], requires_grad=True)
u = torch.tensor([3., 4.], requires_grad=True)
s = torch.tensor(2., requires_grad=True)
b3 = torch.ones(3, 2, 2, requires_grad=True)
c3 = torch.ones(3, 2, 2, requires_grad=True)
"""

# Prints the node that made `y`, the nodes it links to, and `y` itself.
SHOW = """\
g = y.grad_fn
print(None if g is None else (g.name(), type(g).__name__))
if g is not None:
    print([(None if f is None else f.name(), i) for f, i in g.next_functions])
print(y.dtype, y.shape, y.requires_grad, y.is_leaf)
print(y)
"""

# Prints the whole graph below `y`, depth first, one node per line.
WALK = """\
def walk(node, depth=0):
    print('  ' * depth + ('None' if node is None else node.name()))
    if node is not None:
        for child, input_nr in node.next_functions:
            walk(child, depth + 1)
walk(y.grad_fn)
"""

EXPRESSIONS = [
    # arithmetic, tensor/tensor, tensor/python scalar, reflected, method and function forms
    "x + w", "x + 2", "x + 2.5", "2 + x", "x.add(w)", "torch.add(x, w)", "torch.add(x, w, alpha=2)", "x + s",
    "x - w", "x - 2", "2 - x", "x.sub(w)", "torch.sub(x, 2)",
    "x * w", "x * 2", "2 * x", "x.mul(w)", "torch.mul(x, 3)", "s * x",
    "x / w", "x / 2", "2 / x", "x.div(w)", "torch.div(x, 2)",
    "x ** 2", "x ** 0.5", "x ** 1", "x ** 0", "x ** w", "x ** x", "2 ** x", "2.0 ** x",
    "x.pow(2)", "torch.pow(x, w)", "torch.pow(2, x)",
    "-x", "x.neg()", "torch.neg(x)",
    # matmul in all its shapes
    "x @ w", "v @ u", "x @ v", "v @ x", "b3 @ c3", "b3 @ x",
    "torch.matmul(x, w)", "torch.matmul(v, u)", "torch.matmul(x, v)", "torch.matmul(v, x)", "torch.matmul(b3, c3)",
    "torch.mm(x, w)", "torch.mv(x, v)", "torch.dot(v, u)",
    # elementwise functions
    "x.exp()", "torch.exp(x)", "x.log()", "torch.log(x)", "x.sqrt()", "torch.sqrt(x)",
    "x.abs()", "torch.abs(x)", "abs(x)", "x.sin()", "x.cos()", "x.tanh()", "torch.tanh(x)",
    "x.sigmoid()", "torch.sigmoid(x)", "x.relu()", "torch.relu(x)", "torch.nn.functional.relu(x)",
    "torch.clamp(x, min=2)", "torch.clamp(x, max=2)", "torch.clamp(x, 2, 3)",
    "x.clamp(min=2)", "x.clamp(max=2)", "x.clamp(2, 3)",
    "torch.maximum(x, w)", "torch.minimum(x, w)", "torch.max(x, w)", "torch.min(x, w)",
    # reductions
    "x.sum()", "torch.sum(x)", "x.sum(0)", "x.sum(dim=1)", "x.sum(1, keepdim=True)", "x.sum((0, 1))", "x.sum(-1)",
    "s.sum()", "x.mean()", "x.mean(0)", "x.mean(1, keepdim=True)", "torch.mean(x)", "x.mean(dim=(0, 1))",
    "x.max()", "x.min()", "torch.max(x)", "x.max(0).values", "x.max(dim=1, keepdim=True)[0]",
    "x.min(0)[0]", "x.min(1).values", "x.max(0).indices",
    "x.norm()", "x.norm(2)", "x.norm(1)", "x.norm(dim=0)", "x.norm(p=1, dim=1)", "torch.norm(x)",
    "torch.softmax(x, dim=1)", "x.softmax(0)", "torch.nn.functional.softmax(x, dim=1)",
    "torch.log_softmax(x, dim=1)", "x.log_softmax(1)", "torch.nn.functional.log_softmax(x, dim=1)",
    # shape
    "x.reshape(4)", "x.reshape(-1)", "x.reshape(2, 2)", "x.reshape(4, 1)", "torch.reshape(x, (4,))",
    "x.view(4)", "x.view(-1)", "x.view(1, 4)", "x.view_as(w)", "x.flatten()", "torch.flatten(x)", "v.flatten()",
    "x.t()", "x.T", "v.t()", "x.transpose(0, 1)", "torch.transpose(x, 0, 1)", "x.permute(1, 0)",
    "b3.permute(2, 0, 1)", "x.squeeze()", "x.unsqueeze(0).squeeze()", "x.unsqueeze(0).squeeze(0)", "x.squeeze(0)",
    "x.unsqueeze(0)", "x.unsqueeze(-1)", "v.unsqueeze(1)", "v.expand(3, 2)", "v.expand(2)", "x.expand(2, 2)",
    "x.expand_as(b3)", "x.t().reshape(4)", "x.t().contiguous()", "x.contiguous()",
    # indexing
    "x[0]", "x[0, 1]", "x[:, 0]", "x[0:1]", "x[0, :]", "x[:]", "x[1:]", "x[::2]", "x[0:1, 1]",
    "x[[0, 1]]", "x[[0, 1], [1, 0]]", "x[torch.tensor([0, 1])]", "x[x > 2]", "x[torch.tensor([True, False])]",
    "x[None]", "x[..., 0]", "x[None, 0]", "v[0]", "v[-1]", "x[0][1]",
    # joining and selecting
    "torch.cat([x, w])", "torch.cat([x, w], dim=1)", "torch.cat((x, w), 0)", "torch.cat([x, w.detach()])",
    "torch.stack([x, w])", "torch.stack([v, u], dim=1)",
    "torch.where(x > 2, x, w)", "torch.where(x > 2, x, 0.0)", "torch.where(x > 2, 1.0, x)",
    # copies and conversions
    "x.clone()", "torch.clone(x)", "x.detach()", "x.float()", "x.double()", "x.to(torch.float64)",
    "x.to(torch.float32)", "x.to(dtype=torch.float64)", "x.double().float()", "x.long()",
    "x.exp().log()", "(x * 2).sum()", "x.sum() * s",
]

# In-place statements applied to `y`, a non-leaf made by `y = x * 1`.
INPLACE = [
    "y.add_(1)", "y.add_(w)", "y += 1", "y += w", "y -= 1", "y.sub_(w)", "y *= 2", "y.mul_(w)", "y /= 2",
    "y.div_(w)", "y **= 2", "y.pow_(2)", "y.neg_()", "y.exp_()", "y.log_()", "y.sqrt_()", "y.abs_()",
    "y.sin_()", "y.cos_()", "y.tanh_()", "y.sigmoid_()", "y.relu_()", "y.clamp_(min=2)", "y.clamp_(2, 3)",
    "y.zero_()", "y.fill_(1)", "y.copy_(w)", "y.t_()", "y.transpose_(0, 1)", "y.squeeze_()", "y.unsqueeze_(0)",
    "y[0] = 5", "y[0, 1] = 5", "y[:, 0] = w[:, 0]", "y[y > 2] = 0", "y[[0, 1]] = 0", "y[0] += 1",
    "y.detach_()",
]

# Whole graphs, for the cases where one call records several nodes.
WALKS = [
    "v @ x", "b3 @ c3", "b3 @ x", "2 / x", "2 - x", "x[None, 0]", "x[0:1, 1]", "x[0, [0, 1]]",
    "x.t().reshape(4)", "x.unsqueeze(0).flatten()", "(x * 2).sum()", "(x + w).mean()",
    "torch.stack([x, w.detach(), x])", "x.expand(3, 2, 2).sum()", "x * 2 + x", "((x + 2) * (x + 2) * 3).mean()",
]

CASES = (
    [(f"graph {e}", SETUP + f"y = {e}\n" + SHOW) for e in EXPRESSIONS]
    + [(f"inplace {st}", SETUP + "y = x * 1\n" + st + "\nprint(y._version)\n" + SHOW) for st in INPLACE]
    + [(f"walk {e}", SETUP + f"y = {e}\n" + WALK) for e in WALKS]
)
