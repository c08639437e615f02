"""The ops learners reach for after the tutorials: rounding, more reductions, running totals, sorting, gathering,
splitting, einsum... Gradients against finite differences (gradcheck in float64) on ordinary, 0-d and 1-element
shapes; values against numpy; PyTorch's node names and errors (tests/parity/test_ops_extended_parity.py compares
with PyTorch itself)."""
import numpy as np
import pytest

import minigrad as torch
from minigrad.autograd import gradcheck

IDX = torch.tensor([[0, 2, 1, 0], [2, 1, 0, 0]])


def f64(shape, seed=0, positive=False, distinct=True):
    rng = np.random.default_rng(seed)
    values = rng.uniform(0.5, 2.0, shape) if positive else rng.standard_normal(shape)
    return torch.tensor(np.asarray(values, dtype=np.float64), requires_grad=True)


# name, function, input shapes: each case also runs on a 0-d and a 1-element input where the op allows it
CASES = [
    ("round", lambda x: x.round() + x, [(3, 4), (), (1,)]),
    ("round decimals", lambda x: x.round(decimals=2) * x, [(3, 4), (), (1,)]),
    ("floor", lambda x: x.floor() + x, [(3, 4), (), (1,)]),
    ("ceil", lambda x: torch.ceil(x) * x, [(3, 4), (), (1,)]),
    ("trunc", lambda x: x.trunc() + x, [(3, 4), (), (1,)]),
    ("sign", lambda x: x.sign() * x, [(3, 4), (), (1,)]),
    ("frac", lambda x: x.frac(), [(3, 4), (), (1,)]),
    ("nan_to_num", lambda x: x.nan_to_num(), [(3, 4), (), (1,)]),
    ("lerp number", lambda x, y: x.lerp(y, 0.3), [(3, 4), (3, 4)]),
    ("lerp tensor", lambda x, y, w: torch.lerp(x, y, w), [(3, 4), (4,), (3, 1)]),
    ("lerp 0-d", lambda x, y, w: x.lerp(y, w), [(), (), ()]),
    ("prod", lambda x: x.prod(), [(3, 4), (), (1,)]),
    ("prod dim", lambda x: x.prod(1), [(3, 4), (1, 1)]),
    ("prod dim keepdim", lambda x: x.prod(0, keepdim=True), [(3, 4), ()]),
    ("var", lambda x: x.var(), [(3, 4), (2,)]),
    ("var dim", lambda x: x.var(1, keepdim=True), [(3, 4)]),
    ("var correction 0", lambda x: x.var(0, correction=0), [(3, 4), (1,)]),
    ("std", lambda x: x.std(), [(3, 4), (2,)]),
    ("std dims", lambda x: x.std((0, 1), unbiased=False), [(3, 4)]),
    ("amax", lambda x: x.amax(), [(3, 4), (), (1,)]),
    ("amax dim", lambda x: x.amax(1), [(3, 4), (1, 1)]),
    ("amin dims keepdim", lambda x: x.amin((0, 1), keepdim=True), [(3, 4)]),
    ("logsumexp", lambda x: x.logsumexp(1), [(3, 4)]),
    ("logsumexp 0-d and 1-element", lambda x: x.logsumexp(0), [(), (1,)]),
    ("cumsum", lambda x: x.cumsum(1), [(3, 4), (1, 1)]),
    ("cumsum 0-d and 1-element", lambda x: x.cumsum(-1), [(), (1,)]),
    ("cumsum dim 0", lambda x: torch.cumsum(x, 0), [(3, 4)]),
    ("cumprod", lambda x: x.cumprod(1), [(3, 4), (1, 1)]),
    ("cumprod 0-d and 1-element", lambda x: x.cumprod(0), [(), (1,)]),
    ("cumprod dim 0", lambda x: torch.cumprod(x, dim=0), [(3, 4)]),
    ("sort", lambda x: x.sort(1).values, [(3, 4), (1, 1)]),
    ("sort 0-d and 1-element", lambda x: x.sort().values, [(), (1,)]),
    ("sort descending", lambda x: x.sort(0, descending=True)[0], [(3, 4)]),
    ("topk", lambda x: x.topk(2).values, [(3, 4)]),
    ("topk 0-d and 1-element", lambda x: x.topk(1)[0], [(), (1,)]),
    ("flip", lambda x: x.flip(0), [(3, 4), (1,)]),
    ("flip two dims", lambda x: torch.flip(x, (0, 1)), [(3, 4)]),
    ("roll", lambda x: x.roll(1, 0), [(3, 4), (1,)]),
    ("roll flat", lambda x: x.roll(5), [(3, 4), (), (1,)]),
    ("roll two dims", lambda x: x.roll((1, -2), (0, 1)), [(3, 4)]),
    ("gather", lambda x: x.gather(0, IDX[:, :3]), [(3, 4)]),
    ("gather dim 1", lambda x: torch.gather(x, 1, IDX), [(3, 4)]),
    ("gather 1-element", lambda x: x.gather(0, torch.tensor([0, 0])), [(1,)]),
    ("scatter src", lambda x, s: x.scatter(0, torch.tensor([[0, 1, 2, 0]]), s), [(3, 4), (1, 4)]),
    ("scatter src 2-d index", lambda x, s: x.scatter(1, torch.tensor([[3, 0], [1, 2]]), s), [(3, 4), (2, 2)]),
    ("scatter value", lambda x: x.scatter(1, torch.tensor([[0], [3], [1]]), 1.5), [(3, 4)]),
    ("index_select", lambda x: x.index_select(0, torch.tensor([2, 0, 2])), [(3, 4)]),
    ("index_select dim 1", lambda x: torch.index_select(x, 1, torch.tensor([1])), [(3, 4)]),
    ("index_select 0-d and 1-element", lambda x: x.index_select(0, torch.tensor([0])), [(), (1,)]),
    ("repeat", lambda x: x.repeat(2, 3), [(3, 4), (1,)]),
    ("repeat more dims", lambda x: x.repeat(2, 1, 2), [(3, 4), (), (1,)]),
    ("chunk", lambda x: torch.stack([c.sum() for c in x.chunk(3, 1)]), [(3, 4), (1, 1)]),
    ("split", lambda x: x.split(2)[1] * 2, [(3, 4)]),
    ("split sizes", lambda x: torch.split(x, [1, 3], 1)[1], [(3, 4)]),
    ("split 1-element", lambda x: x.split(1)[0], [(1,)]),
    ("addmm", lambda c, a, b: torch.addmm(c, a, b), [(2, 4), (2, 3), (3, 4)]),
    ("addmm broadcast, beta and alpha", lambda c, a, b: c.addmm(a, b, beta=0.5, alpha=2.0), [(4,), (2, 3), (3, 4)]),
    ("addmm 0-d", lambda c, a, b: torch.addmm(c, a, b), [(), (1, 1), (1, 1)]),
    ("outer", lambda a, b: torch.outer(a, b), [(3,), (4,)]),
    ("outer 1-element", lambda a, b: a.outer(b), [(1,), (1,)]),
    ("einsum matmul", lambda a, b: torch.einsum("ij,jk->ik", a, b), [(2, 3), (3, 4)]),
    ("einsum batched matmul", lambda a, b: torch.einsum("bij,bjk->bik", a, b), [(2, 2, 3), (2, 3, 4)]),
    ("einsum rows dot", lambda a, b: torch.einsum("ij,ij->i", a, b), [(3, 4), (3, 4)]),
    ("einsum outer", lambda a, b: torch.einsum("i,j->ij", a, b), [(3,), (4,)]),
    ("einsum dot", lambda a, b: torch.einsum("i,i->", a, b), [(3,), (3,)]),
    ("einsum dot 1-element", lambda a, b: torch.einsum("i,i", a, b), [(1,), (1,)]),
    ("einsum transpose", lambda a: torch.einsum("ij->ji", a), [(3, 4)]),
    ("einsum implicit", lambda a, b: torch.einsum("ij,kj", a, b), [(2, 3), (4, 3)]),
    ("einsum sum", lambda a: torch.einsum("ij->", a), [(3, 4)]),
    ("einsum broadcast", lambda a, b: torch.einsum("ij,ij->j", a, b), [(3, 4), (1, 4)]),
    ("einsum list form", lambda a, b: torch.einsum("ij,jk", [a, b]), [(2, 3), (3, 4)]),
    ("einsum scalar operand", lambda a, b: torch.einsum(",i->i", a, b), [(), (3,)]),
    ("einsum ellipsis batch", lambda a, b: torch.einsum("...ij,jk->...ik", a, b), [(2, 3, 4), (4, 5)]),
    ("einsum ellipsis broadcast", lambda a, b: torch.einsum("...,...", a, b), [(3,), (2, 1)]),
    ("einsum ellipsis summed", lambda a, b: torch.einsum("b...j,jk->...k", a, b), [(2, 3, 4), (4, 5)]),
    ("einsum ellipsis 0-d", lambda a: torch.einsum("...->...", a), [()]),
    ("einsum ellipsis 1-element", lambda a, b: torch.einsum("...i,...i", a, b), [(1,), (1, 1)]),
    ("einsum diagonal", lambda a: torch.einsum("ii->i", a), [(3, 3)]),
    ("einsum trace", lambda a: torch.einsum("ii", a), [(3, 3)]),
    ("einsum trace 1-element", lambda a: torch.einsum("ii", a), [(1, 1)]),
    ("einsum batched diagonal", lambda a: torch.einsum("...ii->...i", a), [(2, 3, 3)]),
    ("einsum triple diagonal", lambda a, b: torch.einsum("iij,iii->j", a, b), [(2, 2, 3), (2, 2, 2)]),
    ("einsum three operands", lambda a, b, c: torch.einsum("ij,jk,k->i", a, b, c), [(2, 3), (3, 4), (4,)]),
]


def _expand(cases):
    """One test per shape for a one-input op; an op with several inputs takes its shapes together."""
    params = []
    for name, fn, shapes in cases:
        arity = fn.__code__.co_argcount
        sets = [shapes] if arity > 1 else [[s] for s in shapes]
        for shape_set in sets:
            params.append(pytest.param(fn, shape_set, id=f"{name} {shape_set}"))
    return params


@pytest.mark.parametrize("fn, shapes", _expand(CASES))
def test_gradcheck(fn, shapes):
    inputs = [f64(shape, seed=i) for i, shape in enumerate(shapes)]
    assert gradcheck(fn, tuple(inputs))


SECOND = [
    ("prod", lambda x: x.prod(), (2, 3)),
    ("cumprod", lambda x: x.cumprod(1), (2, 3)),
    ("cumsum", lambda x: x.cumsum(0), (2, 3)),
    ("gather", lambda x: x.gather(0, IDX[:, :3]) ** 2, (3, 4)),
    ("sort", lambda x: x.sort(1)[0] ** 2, (2, 3)),
    ("logsumexp", lambda x: x.logsumexp(1), (2, 3)),
    ("std", lambda x: x.std(1), (2, 3)),
    ("einsum", lambda x: torch.einsum("ij,jk->ik", x, x.t()), (2, 3)),
]


@pytest.mark.parametrize("name, fn, shape", SECOND, ids=[s[0] for s in SECOND])
def test_second_derivatives_match_finite_differences(name, fn, shape):
    """The backward formulas are written with tensor ops, so create_graph differentiates them again."""
    x = f64(shape, positive=True)
    first = lambda x: torch.autograd.grad(fn(x).sum(), x, create_graph=True)[0]  # noqa: E731
    assert gradcheck(first, (x,))


def test_values_against_numpy():
    rng = np.random.default_rng(1)
    a = rng.standard_normal((3, 4))
    x = torch.tensor(a)
    np.testing.assert_allclose(x.prod(1).numpy(), a.prod(1))
    np.testing.assert_allclose(x.var().numpy(), a.var(ddof=1))
    np.testing.assert_allclose(x.std(0, correction=0).numpy(), a.std(0))
    np.testing.assert_allclose(x.logsumexp(1).numpy(), np.log(np.exp(a).sum(1)))
    np.testing.assert_allclose(x.cumprod(1).numpy(), np.cumprod(a, 1))
    np.testing.assert_allclose(torch.einsum("ij,kj->ik", x, x).numpy(), a @ a.T)
    assert x.sort(1).indices.tolist() == np.argsort(a, 1).tolist()
    assert x.argsort(0, descending=True).tolist() == np.argsort(-a, 0).tolist()
    np.testing.assert_allclose(x.topk(2).values.numpy(), -np.sort(-a, 1)[:, :2])
    big = torch.tensor([1000.0, 1000.0], dtype=torch.float64)
    assert big.logsumexp(0).item() == pytest.approx(1000 + np.log(2))  # no overflow


def test_prod_and_cumprod_gradients_with_zeros():
    """d/dx_i of a product is the product of the others, also where x_i (or another element) is 0."""
    x = torch.tensor([2.0, 0.0, 3.0], dtype=torch.float64, requires_grad=True)
    x.prod().backward()
    assert x.grad.tolist() == [0.0, 6.0, 0.0]
    x.grad = None
    x.cumprod(0).sum().backward()  # y = [2, 0, 0]: dy/dx_1 = 2 + 2*3
    assert x.grad.tolist() == [1.0, 8.0, 0.0]
    assert gradcheck(lambda x: x.cumprod(0), (x,))


def test_amax_shares_ties_max_dim_does_not():
    x = torch.tensor([1.0, 3.0, 3.0], requires_grad=True)
    x.amax().backward()
    assert x.grad.tolist() == [0.0, 0.5, 0.5]


def test_node_names_are_pytorch_s():
    x = f64((3, 4))
    names = {
        "RoundBackward0": x.round(), "RoundBackward1": x.round(decimals=1), "FloorBackward0": x.floor(),
        "CeilBackward0": x.ceil(), "SignBackward0": x.sign(), "TruncBackward0": x.trunc(), "FracBackward0": x.frac(),
        "ProdBackward0": x.prod(), "ProdBackward1": x.prod(1), "StdBackward0": x.std(), "VarBackward0": x.var(1),
        "CumsumBackward0": x.cumsum(1), "CumprodBackward0": x.cumprod(0), "SortBackward0": x.sort()[0],
        "TopkBackward0": x.topk(2)[0], "FlipBackward0": x.flip(0), "RollBackward0": x.roll(1, 0),
        "GatherBackward0": x.gather(0, IDX), "ScatterBackward1": x.scatter(0, IDX, 1.0),
        "IndexSelectBackward0": x.index_select(1, torch.tensor([0])), "AmaxBackward0": x.amax(1),
        "AminBackward0": x.amin(), "LogsumexpBackward0": x.logsumexp(1), "SplitBackward0": x.chunk(2)[0],
        "SplitWithSizesBackward0": x.split([1, 2])[0], "NanToNumBackward0": x.nan_to_num(),
        "LerpBackward0": x.lerp(x, 0.5), "LerpBackward1": x.lerp(x, x), "AddmmBackward0": torch.addmm(x, x, f64((4, 4))),
        "RepeatBackward0": x.repeat(1, 2), "MulBackward0": torch.outer(x[0], x[1]),
    }
    assert {name: t.grad_fn.name() for name, t in names.items()} == {name: name for name in names}


def test_split_pieces_are_views():
    x = torch.arange(6.0)
    first, second = x.split(3)
    x.add_(1)
    assert first.tolist() == [1.0, 2.0, 3.0] and second._version == x._version
    assert [p.shape[0] for p in torch.arange(10).chunk(4)] == [3, 3, 3, 1]
    assert len(torch.ones(0).chunk(2)) == 2


def test_layout():
    x = torch.arange(12.0).reshape(3, 4)
    assert x.is_contiguous() and x.stride() == (4, 1) and x.stride(0) == 4 and x.storage_offset() == 0
    t = x.t()
    assert not t.is_contiguous() and t.stride() == (1, 4)
    c = t.contiguous()
    assert c.is_contiguous() and c.stride() == (3, 1) and c.data_ptr() != t.data_ptr()  # really copied
    assert c.grad_fn is None and x.contiguous() is x
    assert x[1:].storage_offset() == 4 and x[1, 2:].storage_offset() == 6
    assert x.detach().data_ptr() == x.data_ptr()
    assert torch.ones(2, 3).expand(4, 2, 3).stride() == (0, 3, 1)


def test_types_and_new_tensors():
    x = torch.ones(2, dtype=torch.float64)
    assert x.type() == "minigrad.DoubleTensor" and torch.ones(2).type() == "minigrad.FloatTensor"
    assert x.type(torch.float32).dtype is torch.float32 and x.type("torch.LongTensor").dtype is torch.int64
    assert x.type(torch.float64) is x
    assert torch.ones(2).type_as(x).dtype is torch.float64
    assert x.new_zeros(2, 3).dtype is torch.float64 and x.new_zeros((2, 3)).shape == (2, 3)
    assert x.new_ones(1).tolist() == [1.0] and x.new_full((2,), 7).tolist() == [7.0, 7.0]
    assert x.new_tensor([1, 2]).dtype is torch.float64
    assert x.new_zeros(2, dtype=torch.int64).dtype is torch.int64
    with pytest.raises(ValueError, match="invalid type: 'torch.HalfTensor'"):
        x.type("torch.HalfTensor")


def test_isclose():
    a = torch.tensor([1.0, 2.0, float("nan")])
    b = torch.tensor([1.0 + 1e-9, 2.1, float("nan")])
    assert torch.isclose(a, b).tolist() == [True, False, False]
    assert a.isclose(b, equal_nan=True).tolist() == [True, False, True]
    with pytest.raises(TypeError, match=r"isclose\(\): argument 'other' \(position 2\) must be Tensor, not float"):
        torch.isclose(a, 1.0)
    with pytest.raises(RuntimeError, match="^Float did not match Double$"):
        torch.isclose(a, b.double())


@pytest.mark.parametrize("call, kind, text", [
    (lambda x: x.gather(0, torch.tensor([[5]])), RuntimeError, "index 5 is out of bounds for dimension 0 with size 3"),
    (lambda x: x.gather(0, torch.tensor([[0.0]])), RuntimeError, "gather(): Expected dtype int32/int64 for index"),
    (lambda x: x.gather(0, torch.tensor([0])), RuntimeError,
     "Index tensor must have the same number of dimensions as input tensor"),
    (lambda x: x.index_select(0, torch.tensor([[0]])), IndexError, "index_select(): Index is supposed to be a vector"),
    (lambda x: x.index_select(0, torch.tensor([7])), IndexError, "index out of range in self"),
    (lambda x: x.scatter(0, torch.tensor([[0]]), torch.ones(1, 1, dtype=torch.float64)), RuntimeError,
     "scatter(): Expected self.dtype to be equal to src.dtype"),
    (lambda x: x.topk(9), RuntimeError, "selected index k out of range"),
    (lambda x: x.repeat(2), RuntimeError,
     "Number of dimensions of repeat dims can not be smaller than number of dimensions of tensor"),
    (lambda x: x.flip(0, 0), RuntimeError, "dim 0 appears multiple times in the list of dims"),
    (lambda x: x.roll(1, (0, 1)), RuntimeError, "shifts and dimensions must align. shifts: 1, dims:2"),
    (lambda x: x.sort(dim=5), IndexError, "Dimension out of range (expected to be in range of [-2, 1], but got 5)"),
    (lambda x: x.chunk(0), RuntimeError, "chunk expects `chunks` to be greater than 0, got: 0"),
    (lambda x: x.split([1, 1]), RuntimeError,
     "split_with_sizes expects split_sizes to sum exactly to 3 (input tensor's size at dimension 0), but got "
     "split_sizes=[1, 1]"),
    (lambda x: torch.tensor(2.0).chunk(2), RuntimeError, "chunk expects at least a 1-dimensional tensor"),
    (lambda x: torch.outer(x, x[0]), RuntimeError, "outer: Expected 1-D argument self, but got 2-D"),
    (lambda x: torch.addmm(torch.ones(4), x, x.t()), RuntimeError,
     "The expanded size of the tensor (3) must match the existing size (4) at non-singleton dimension 1.  Target "
     "sizes: [3, 3].  Tensor sizes: [4]"),
    (lambda x: torch.einsum("ij,jk->ik", x), RuntimeError,
     "einsum(): fewer operands were provided than specified in the equation"),
    (lambda x: torch.einsum("ij,jk->ik", x, x), RuntimeError,
     "einsum(): subscript j has size 3 for operand 1 which does not broadcast with previously seen size 4"),
    (lambda x: torch.einsum("ij->k", x), RuntimeError,
     "einsum(): output subscript k does not appear in the equation for any input operand"),
    (lambda x: torch.einsum("i", x), RuntimeError,
     "einsum(): the number of subscripts in the equation (1) does not match the number of dimensions (2) for "
     "operand 0 and no ellipsis was given"),
    (lambda x: torch.einsum("ii", x), RuntimeError,
     "einsum(): subscript i is repeated for operand 0 but the sizes don't match, 4 != 3"),
    (lambda x: torch.einsum("i->ii", x[0]), RuntimeError, "einsum(): output subscript i appears more than once in the output"),
    (lambda x: torch.einsum("i1", x), RuntimeError,
     "einsum(): invalid subscript given at index 1 in the equation string, subscripts must be in [a-zA-Z]"),
    (lambda x: torch.einsum("...i...", x), RuntimeError, "einsum(): found '.' for operand 0 for which an ellipsis was already found"),
    (lambda x: torch.einsum("i.j", x), RuntimeError, "einsum(): found '.' for operand 0 that is not part of any ellipsis"),
    (lambda x: torch.einsum("...ijk", x), RuntimeError,
     "einsum(): the number of subscripts in the equation (3) is more than the number of dimensions (2) for operand 0"),
    (lambda x: torch.einsum("...,...", x, x[:2, 0]), RuntimeError,
     "einsum(): dimension 0 covered by ellipsis in operand 1has size 2 which does not broadcast with previously seen "
     "ellipsis with size 4 for the respective dimension"),
    (lambda x: x.logsumexp(), TypeError, None),
    (lambda x: torch.ones(0).amax(), RuntimeError,
     "amax(): Expected reduction dim to be specified for input.numel() == 0. Specify the reduction dim with the "
     "'dim' argument."),
    (lambda x: torch.tensor([1, 2]).var(), RuntimeError, "std and var only support floating point and complex dtypes"),
    (lambda x: torch.tensor([1, 2]).frac(), NotImplementedError, "\"frac_cpu\" not implemented for 'Long'"),
    (lambda x: x.lerp(x.double(), 0.5), RuntimeError, "expected dtype float for `end` but got dtype double"),
])
def test_errors(call, kind, text):
    x = torch.ones(3, 4)
    with pytest.raises(kind) as caught:
        call(x)
    if text is not None:
        assert str(caught.value) == text


def test_var_with_no_degrees_of_freedom_warns():
    with pytest.warns(UserWarning, match=r"^var\(\): degrees of freedom is <= 0"):
        assert np.isnan(torch.ones(1).var().item())
    with pytest.warns(UserWarning, match=r"^std\(\): degrees of freedom is <= 0"):
        torch.tensor(2.0).std()


def test_integer_dtypes():
    assert torch.tensor([1, 2], dtype=torch.int32).cumsum(0).dtype is torch.int64
    assert torch.tensor([1, 2]).prod().item() == 2
    assert torch.tensor([1, 2]).logsumexp(0).dtype is torch.float32
    assert torch.tensor([True, True]).prod().dtype is torch.int64
    assert torch.tensor([3, 1, 2]).sort().values.tolist() == [1, 2, 3]


def test_scatter_backward_refuses_a_src_larger_than_its_index():
    """PyTorch's backward raises when src has elements the index never read (no zero gradient for them), but
    only when src needs a gradient: x's gradient alone is fine."""
    src = torch.arange(6.).reshape(2, 3).requires_grad_()
    out = torch.zeros(3, 5).scatter(1, torch.tensor([[0, 1]]), src)
    with pytest.raises(RuntimeError, match=r"Function ScatterBackward0 returned an invalid gradient at index 1 - "
                                           r"got \[1, 2\] but expected shape compatible with \[2, 3\]"):
        out.sum().backward()
    assert src.grad is None
    x = torch.zeros(3, 5, requires_grad=True)
    x.scatter(1, torch.tensor([[0, 1]]), src.detach()).sum().backward()
    assert x.grad[0].tolist() == [0, 0, 1, 1, 1] and x.grad[1:].sum().item() == 10
