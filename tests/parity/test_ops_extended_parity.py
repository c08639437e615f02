"""The ops learners reach for after the tutorials, against PyTorch 2.13: values, dtypes, the backward graph (node
names through ``next_functions``) and the gradients of a random weighted sum of the output, on float64 inputs.
einsum is built from other ops, so its graph differs from PyTorch's; its values and gradients are compared."""
import numpy as np
import pytest

torch = pytest.importorskip("torch")

import minigrad  # noqa: E402
from test_ops_parity import assert_same_run  # noqa: E402

IDX = [[0, 2, 1, 0], [2, 1, 0, 0]]
TIES = np.array([[1.0, 3.0, 3.0, -1.0], [2.0, 2.0, 0.5, 2.0], [0.0, -4.0, 1.0, 7.0]])

OPS = [
    ("round", lambda m, a: a.round() + a, [(3, 4)]),
    ("round decimals", lambda m, a: (a * 10).round(decimals=1) * a, [(3, 4)]),
    ("floor", lambda m, a: m.floor(a) * a, [(3, 4)]),
    ("ceil", lambda m, a: a.ceil() + a, [(3, 4)]),
    ("trunc", lambda m, a: m.trunc(a * 3) * a, [(3, 4)]),
    ("sign", lambda m, a: a.sign() * a, [(3, 4)]),
    ("frac", lambda m, a: (a * 3).frac(), [(3, 4)]),
    ("nan_to_num", lambda m, a: (a.log()).nan_to_num(), [(3, 4)]),
    ("lerp", lambda m, a, b: a.lerp(b, 0.25), [(3, 4), (4,)]),
    ("lerp tensor weight", lambda m, a, b, w: m.lerp(a, b, w), [(3, 4), (3, 4), (3, 1)]),
    ("prod", lambda m, a: a.prod(), [(3, 4)]),
    ("prod dim", lambda m, a: m.prod(a, 1), [(3, 4)]),
    ("prod keepdim", lambda m, a: a.prod(0, keepdim=True), [(3, 4)]),
    ("prod 0-d", lambda m, a: a.prod(), [()]),
    ("var", lambda m, a: a.var(), [(3, 4)]),
    ("var dim", lambda m, a: a.var(1), [(3, 4)]),
    ("var correction 0 keepdim", lambda m, a: m.var(a, 0, correction=0, keepdim=True), [(3, 4)]),
    ("var unbiased False", lambda m, a: a.var(1, unbiased=False), [(3, 4)]),
    ("std", lambda m, a: a.std(), [(3, 4)]),
    ("std dims", lambda m, a: m.std(a, (0, 1)), [(2, 3, 4)]),
    ("amax", lambda m, a: a.amax(), [(3, 4)]),
    ("amax ties", lambda m, a: a.amax(1), [TIES]),
    ("amin dims", lambda m, a: m.amin(a, (0, 1), keepdim=True), [(2, 3, 4)]),
    ("amin ties", lambda m, a: a.amin(), [TIES]),
    ("logsumexp", lambda m, a: a.logsumexp(1), [(3, 4)]),
    ("logsumexp dims keepdim", lambda m, a: m.logsumexp(a * 50, (0, 1), keepdim=True), [(3, 4)]),
    ("cumsum", lambda m, a: a.cumsum(1), [(3, 4)]),
    ("cumsum dim 0", lambda m, a: m.cumsum(a, 0), [(3, 4)]),
    ("cumprod", lambda m, a: a.cumprod(1), [(3, 4)]),
    ("cumprod with a zero", lambda m, a: (a * m.tensor([1.0, 0.0, 1.0, 1.0], dtype=m.float64)).cumprod(1),
     [(3, 4)]),
    ("sort", lambda m, a: a.sort(), [(3, 4)]),
    ("sort dim 0 descending", lambda m, a: m.sort(a, 0, descending=True), [(3, 4)]),
    ("argsort", lambda m, a: a * a.argsort(1), [(3, 4)]),
    ("topk", lambda m, a: a.topk(2), [(3, 4)]),
    ("topk smallest dim 0", lambda m, a: m.topk(a, 2, 0, largest=False), [(3, 4)]),
    ("flip", lambda m, a: a.flip(0), [(3, 4)]),
    ("flip dims", lambda m, a: m.flip(a, (0, 1)), [(3, 4)]),
    ("roll", lambda m, a: a.roll(1, 0), [(3, 4)]),
    ("roll flat", lambda m, a: m.roll(a, 5), [(3, 4)]),
    ("roll dims", lambda m, a: a.roll((1, -1), (0, 1)), [(3, 4)]),
    ("gather", lambda m, a: a.gather(0, m.tensor(IDX)), [(3, 4)]),
    ("gather smaller index", lambda m, a: m.gather(a, 1, m.tensor([[0], [3], [3]])), [(3, 4)]),
    ("scatter", lambda m, a, s: a.scatter(0, m.tensor([[0, 1, 2, 0]]), s), [(3, 4), (1, 4)]),
    ("scatter value", lambda m, a: m.scatter(a, 1, m.tensor([[0], [3], [1]]), 2.5), [(3, 4)]),
    ("index_select", lambda m, a: a.index_select(0, m.tensor([2, 0, 2])), [(3, 4)]),
    ("index_select dim 1", lambda m, a: m.index_select(a, 1, m.tensor([3])), [(3, 4)]),
    ("repeat", lambda m, a: a.repeat(2, 3), [(3, 4)]),
    ("repeat more dims", lambda m, a: a.repeat(2, 1, 2), [(3, 4)]),
    ("chunk", lambda m, a: a.chunk(2)[1], [(3, 4)]),
    ("split", lambda m, a: m.split(a, 3, 1)[0] * 2, [(3, 4)]),
    ("split sizes", lambda m, a: a.split([1, 3], 1)[1], [(3, 4)]),
    ("addmm", lambda m, c, a, b: m.addmm(c, a, b), [(2, 4), (2, 3), (3, 4)]),
    ("addmm broadcast beta alpha", lambda m, c, a, b: c.addmm(a, b, beta=0.5, alpha=-2.0), [(4,), (2, 3), (3, 4)]),
    ("outer", lambda m, a, b: m.outer(a, b), [(3,), (4,)]),
    ("contiguous", lambda m, a: a.t().contiguous(), [(3, 4)]),
    ("type", lambda m, a: a.type(m.float32).type(m.float64), [(3, 4)]),
    ("type_as", lambda m, a: a.type_as(m.ones(1)).double(), [(3, 4)]),
    ("masked_fill", lambda m, a: a.masked_fill(a > 0, 0.0), [(3, 4)]),
]


@pytest.mark.parametrize("name, fn, specs", OPS, ids=[name for name, _, _ in OPS])
def test_values_gradients_and_graph(name, fn, specs):
    assert_same_run(name, fn, specs)


EINSUM = [
    ("matmul", "ij,jk->ik", [(2, 3), (3, 4)]), ("batched", "bij,bjk->bik", [(2, 2, 3), (2, 3, 4)]),
    ("rows dot", "ij,ij->i", [(3, 4), (3, 4)]), ("outer", "i,j->ij", [(3,), (4,)]), ("dot", "i,i->", [(3,), (3,)]),
    ("transpose", "ij->ji", [(3, 4)]), ("implicit", "ij,kj", [(2, 3), (4, 3)]), ("sum", "ij->", [(3, 4)]),
    ("column sums", "ij->j", [(3, 4)]), ("bilinear", "ik,kj->ji", [(2, 3), (3, 4)]),
    ("broadcast", "ij,ij->j", [(3, 4), (1, 4)]),
    ("ellipsis batch matmul", "...ij,jk->...ik", [(2, 3, 4), (4, 5)]), ("ellipsis implicit", "...ij,jk", [(2, 3, 4), (4, 5)]),
    ("ellipsis summed away", "...ij,jk->ik", [(2, 3, 4), (4, 5)]), ("ellipsis in the middle", "b...j,jk->...k",
                                                                     [(2, 3, 4), (4, 5)]),
    ("ellipsis broadcast", "...,...", [(3,), (2, 1)]), ("ellipsis of a 0-d", "...", [()]),
    ("ellipsis of a 1-element", "...i,...i->...", [(1,), (2, 1)]), ("ellipsis empty", "...ij->ji", [(2, 3)]),
    ("diagonal", "ii->i", [(3, 3)]), ("trace", "ii", [(3, 3)]), ("trace 1-element", "ii", [(1, 1)]),
    ("batched diagonal", "...ii->...i", [(2, 3, 3)]), ("diagonal and a dim", "iij->ji", [(2, 2, 3)]),
    ("triple diagonal", "iii->i", [(2, 2, 2)]), ("diagonal times a vector", "ii,i->i", [(3, 3), (3,)]),
    ("ellipsis between a repeat", "i...i", [(3, 2, 3)]), ("three operands", "i,i,i", [(3,), (3,), (3,)]),
    ("upper case", "Ab,ba", [(2, 3), (3, 2)]), ("chain of three", "ij,jk,kl->il", [(2, 3), (3, 4), (4, 2)]),
]


@pytest.mark.parametrize("name, equation, specs", EINSUM, ids=[e[0] for e in EINSUM])
def test_einsum_values_and_gradients(name, equation, specs):
    assert_same_run(name, lambda m, *xs: m.einsum(equation, *xs), specs, graph=False)


def test_layout_matches():
    for lib in (torch, minigrad):
        x = lib.arange(12.0).reshape(3, 4)
        assert x.t().stride() == (1, 4) and x[1:, 2:].storage_offset() == 6 and not x.t().is_contiguous()
    assert [p.shape[0] for p in minigrad.arange(10).chunk(4)] == [p.shape[0] for p in torch.arange(10).chunk(4)]
