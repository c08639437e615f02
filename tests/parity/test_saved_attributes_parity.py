"""Built-in nodes' ``_saved_*`` / ``_raw_saved_*`` attributes against PyTorch 2.13: the names ``dir(node)`` lists
(what torchviz reads), their values, and the error once backward has freed them."""
import pytest

torch = pytest.importorskip("torch")

import minigrad  # noqa: E402
from harness import assert_same_outcome  # noqa: E402

OPS = {
    "mul": "x * w", "pow": "x ** 2", "pow tensor": "x ** w", "exp": "x.exp()", "tanh": "x.tanh()",
    "sum dim": "x.sum(0)", "sum": "x.sum()", "mean": "x.mean()", "div": "x / w", "relu": "x.relu()",
    "log": "x.log()", "sigmoid": "x.sigmoid()", "add": "x + w", "sub": "x - w", "sqrt": "x.sqrt()", "max": "x.max()",
    "softmax": "x.softmax(0)", "view": "x.view(2, 1)", "sin": "x.sin()", "cos": "x.cos()", "abs": "x.abs()",
    "mean dim": "x.mean(0, keepdim=True)", "log_softmax": "x.log_softmax(0)", "mm": "x[None].mm(w[:, None])",
    "dot": "x.dot(w)", "mv": "torch.stack([x, w]).mv(w)", "bmm": "x[None, None].bmm(w[None, :, None])",
    "maximum": "torch.maximum(x, w)", "minimum": "torch.minimum(x, w)", "expand": "x.expand(3, 2)",
    "expand a 0-d": "x[0].expand(2)",
}




@pytest.mark.parametrize("expression", list(OPS.values()), ids=list(OPS))
def test_saved_attributes_as_pytorch(expression):
    code = ("x = torch.tensor([1., 2.], requires_grad=True)\nw = torch.tensor([3., 4.], requires_grad=True)\n"
            f"g = ({expression}).grad_fn\n"
            "names = [a for a in dir(g) if a.startswith(('_saved', '_raw_saved')) and 'sym_strides' not in a\n"
            "         and not (g.name() == 'MmBackward0' and 'sym' in a)\n"
            "         and not (g.name() == 'PowBackward1' and 'result' in a)]\n"
            "print(g.name(), names)\n"
            "for a in names:\n"
            "    v = getattr(g, a)\n"
            "    print(a, type(v).__name__ if a.startswith('_raw') else v)\n")
    assert_same_outcome(code, torch, minigrad)


def test_freed_saved_tensors_raise_and_plain_values_stay():
    code = ("x = torch.tensor([1., 2.], requires_grad=True)\nw = torch.tensor([3., 4.], requires_grad=True)\n"
            "y = (x * w) ** 2\ng = y.grad_fn\nm = g.next_functions[0][0]\ny.sum().backward()\n"
            "print(g._saved_exponent, type(m._raw_saved_self).__name__)\n"
            "try:\n    m._saved_self\nexcept RuntimeError as e:\n    print(e)\n"
            "try:\n    m._saved_nothing\nexcept AttributeError as e:\n    print('AttributeError')\n")
    assert_same_outcome(code, torch, minigrad)


def test_a_field_that_saved_nothing_stays_none_after_backward():
    """``(x * 3).grad_fn._saved_self`` is None (a product by a number needs no x): still None once backward has
    freed what was saved, while the fields that saved a tensor raise."""
    code = ("x = torch.tensor([1., 2.], requires_grad=True)\nw = torch.tensor([3., 4.], requires_grad=True)\n"
            "for y in [x * 3, x * torch.tensor([1., 2.]), x / 2, torch.tensor([1., 2.]) / x, x * w, x ** 2]:\n"
            "    g = y.grad_fn\n    names = [a for a in dir(g) if a.startswith('_saved')]\n"
            "    print(g.name(), [(a, getattr(g, a) is None) for a in names])\n    y.sum().backward()\n"
            "    for a in names:\n        try:\n            print(a, getattr(g, a))\n"
            "        except RuntimeError as e:\n            print(a, str(e)[:40])\n")
    assert_same_outcome(code, torch, minigrad)
