"""Indexing without PyTorch: ``x[index]`` and ``x[index] = value``.

Values are compared with numpy (same indexing rules for everything tested here), gradients with the maths
(reading scatters the gradient back, adding where a position is read twice; writing zeroes the overwritten
positions) and with finite differences. Error texts and node names were observed from PyTorch 2.13;
tests/parity/test_engine_parity.py compares with real PyTorch directly.
"""
import warnings

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import minigrad as torch
from minigrad.autograd import gradcheck


def grid(requires_grad=True):
    """0, 1, ..., 23 as a [2, 3, 4] float32 leaf (not itself a view)."""
    return torch.tensor(np.arange(24.).reshape(2, 3, 4), dtype=torch.float32, requires_grad=requires_grad)


def node_chain(tensor):
    """grad_fn names from the tensor down to (not including) the leaf's AccumulateGrad."""
    names, node = [], tensor.grad_fn
    while node is not None and "AccumulateGrad" not in node.name():
        names.append(node.name())
        node = next((n for n, _ in node.next_functions if n is not None), None)
    return names


def scatter_expected(shape, index, weights):
    """d/dx sum(weights * x[index]): each weight lands where its value came from, added up on repeats."""
    expected = np.zeros(shape)
    np.add.at(expected, index, weights)
    return expected


# ----- reading: values and nodes ------------------------------------------------------------------------------
READS = [  # (index, grad_fn names from the result down, is it a view?)
    (0, ["SelectBackward0"], True),
    (-1, ["SelectBackward0"], True),
    (slice(1, None), ["SliceBackward0"], True),
    (slice(None, None, 2), ["SliceBackward0"], True),
    (slice(None), ["SliceBackward0"], True),
    ((slice(None), 1), ["SelectBackward0"], True),
    ((0, 1), ["SelectBackward0", "SelectBackward0"], True),
    ((0, 1, 2), ["SelectBackward0", "SelectBackward0", "SelectBackward0"], True),
    ((0, slice(1, None)), ["SliceBackward0", "SelectBackward0"], True),
    (None, ["UnsqueezeBackward0"], True),
    ((Ellipsis, 1), ["SelectBackward0"], True),
    ((0, None, 1), ["SelectBackward0", "UnsqueezeBackward0", "SelectBackward0"], True),
    ((slice(None), slice(None)), ["AliasBackward0"], True),
    (Ellipsis, ["AliasBackward0"], True),
    ([0, 1], ["IndexBackward0"], False),
    ([1, 0, 1], ["IndexBackward0"], False),
    ((slice(1, None), [0, 2]), ["IndexBackward0", "SliceBackward0"], False),
    (([0, 1], [1, 2]), ["IndexBackward0"], False),
    (([0, 1], slice(None), [1, 2]), ["IndexBackward0"], False),
    ((slice(None), [0, 1], None), ["IndexBackward0", "UnsqueezeBackward0"], False),
    ((0, Ellipsis, [0, 1], 0), ["IndexBackward0", "SelectBackward0", "SelectBackward0"], False),
    ((slice(1, 0),), ["SliceBackward0"], True),
]


@pytest.mark.parametrize("index, names, is_view", READS, ids=[repr(r[0]) for r in READS])
def test_read_matches_numpy_with_pytorch_nodes(index, names, is_view):
    x = grid()
    y = x[index]
    expected = np.arange(24.).reshape(2, 3, 4)[index]
    assert y.shape == expected.shape and np.array_equal(y.detach().numpy(), expected)
    assert node_chain(y) == names
    assert (y._base is x) is is_view
    assert (y._version_counter is x._version_counter) is is_view


@pytest.mark.parametrize("index", [r[0] for r in READS if r[0] is not None and "None" not in repr(r[0])],
                         ids=lambda i: repr(i))
def test_read_gradient_scatters_back(index):
    x = grid()
    y = x[index]
    weights = np.arange(1., y.numel() + 1).reshape(y.shape)
    (y * torch.tensor(weights, dtype=torch.float32)).sum().backward()
    assert np.array_equal(x.grad.numpy(), scatter_expected(x.shape, index, weights))


def test_boolean_mask_picks_true_positions_and_scatters_back():
    x = grid()
    y = x[x > 5]
    assert y.tolist() == list(np.arange(6., 24.)) and node_chain(y) == ["IndexBackward0"]
    y.sum().backward()
    assert x.grad.numpy().ravel().tolist() == [0.0] * 6 + [1.0] * 18


def test_mask_over_two_dims_and_a_true_false_scalar():
    x = grid()
    mask = torch.tensor([[True, False, True], [False, False, True]])
    assert x[mask].tolist() == np.arange(24.).reshape(2, 3, 4)[mask.numpy()].tolist()
    assert x[True].shape == (1, 2, 3, 4) and node_chain(x[True]) == ["IndexBackward0", "UnsqueezeBackward0"]
    assert x[False].shape == (0, 2, 3, 4)


def test_integer_like_indices():
    x = grid(requires_grad=False)
    assert x[torch.tensor(1)].tolist() == x[1].tolist() and node_chain(grid()[torch.tensor(1)]) == ["SelectBackward0"]
    assert x[np.int64(1)].tolist() == x[1].tolist()
    assert x[torch.tensor([1, 0])].tolist() == x[[1, 0]].tolist()
    assert x[[]].shape == (0, 3, 4)
    assert x[torch.tensor([[0, 1], [1, 0]])].shape == (2, 2, 3, 4)


def test_repeated_positions_add_up_in_the_gradient():
    x = grid()
    x[[0, 0, 1]].sum().backward()
    assert x.grad[0, 0, 0].item() == 2.0 and x.grad[1, 0, 0].item() == 1.0


def test_zero_dim_tensor_indexing():
    s = torch.tensor(3., requires_grad=True)
    assert s[None].shape == (1,) and node_chain(s[None]) == ["UnsqueezeBackward0"]
    assert s[...].shape == () and node_chain(s[...]) == ["AliasBackward0"]
    with pytest.raises(IndexError, match=r"^invalid index of a 0-dim tensor\. Use `tensor\.item\(\)` in Python or "
                                         r"`tensor\.item<T>\(\)` in C\+\+ to convert a 0-dim tensor to a number$"):
        s[0]
    with pytest.raises(IndexError, match=r"^slice\(\) cannot be applied to a 0-dim tensor\.$"):
        s[:]
    with pytest.raises(IndexError, match=r"^too many indices for tensor of dimension 0$"):
        s[0, None]


def test_a_list_holding_slices_is_read_as_a_tuple_with_pytorchs_warning():
    x = grid(requires_grad=False)
    with pytest.warns(UserWarning, match=r"^Using a non-tuple sequence for multidimensional indexing is deprecated"):
        y = x[[0, slice(None)]]
    assert y.tolist() == x[0].tolist()


# ----- reading: errors (texts observed from PyTorch 2.13) -------------------------------------------------------
READ_ERRORS = [
    (5, IndexError, "index 5 is out of bounds for dimension 0 with size 2"),
    (-3, IndexError, "index -3 is out of bounds for dimension 0 with size 2"),
    ((slice(None), 5), IndexError, "index 5 is out of bounds for dimension 1 with size 3"),
    ((Ellipsis, 7), IndexError, "index 7 is out of bounds for dimension 1 with size 4"),
    ((0, Ellipsis, 7), IndexError, "index 7 is out of bounds for dimension 2 with size 4"),
    ((0, 0, 0, 0), IndexError, "too many indices for tensor of dimension 3"),
    (1.5, IndexError, "only integers, slices (`:`), ellipsis (`...`), None and long or byte Variables are valid "
                      "indices (got float)"),
    (slice(None, None, -1), ValueError, "step must be greater than zero"),
    (slice(None, None, 0), ValueError, "slice step cannot be zero"),
    (slice(0.5, None), TypeError, "slice indices must be integers or None or have an __index__ method"),
    ([5], IndexError, "index 5 is out of bounds for dimension 0 with size 2"),
    ((slice(None), [5]), IndexError, "index 5 is out of bounds for dimension 0 with size 3"),
    (([0, 9], [9, 0]), IndexError, "index 9 is out of bounds for dimension 1 with size 3"),
    (([0, 1], [0, 1, 2]), IndexError, "shape mismatch: indexing tensors could not be broadcast together with "
                                      "shapes [2], [3]"),
    ("a", TypeError, "new(): invalid data type 'str'"),
]


@pytest.mark.parametrize("index, kind, text", READ_ERRORS, ids=[repr(e[0]) for e in READ_ERRORS])
def test_read_errors_have_pytorchs_texts(index, kind, text):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # "a" is first read as a sequence, with the deprecation warning
        with pytest.raises(kind) as info:
            grid()[index]
    assert str(info.value) == text


def test_tensor_index_errors():
    x = grid()
    with pytest.raises(IndexError, match=r"^tensors used as indices must be long, int, byte or bool tensors$"):
        x[torch.tensor([0., 1.])]
    with pytest.raises(IndexError) as info:
        x[torch.tensor([True, False, True])]
    assert str(info.value) == ("The shape of the mask [3] at index 0 does not match the shape of the indexed tensor "
                               "[2, 3, 4] at index 0")
    with pytest.raises(IndexError) as info:
        x[:, torch.ones(2, dtype=torch.bool)]
    assert str(info.value) == ("The shape of the mask [2] at index 0 does not match the shape of the indexed tensor "
                               "[2, 3, 4] at index 1")


# ----- select and narrow ------------------------------------------------------------------------------------------
def test_select_and_narrow_are_views_with_pytorch_nodes():
    x = grid()
    assert x.select(1, -1).tolist() == x[:, 2].tolist() and x.select(1, -1).grad_fn.name() == "SelectBackward0"
    y = x.narrow(1, 1, 2)
    assert y.tolist() == x[:, 1:3].tolist() and y.grad_fn.name() == "SliceBackward0" and y._base is x
    assert x.narrow(1, -1, 1).tolist() == x[:, 2:].tolist()
    assert torch.narrow(x, 1, 3, 0).shape == (2, 0, 4)


@pytest.mark.parametrize("call, kind, text", [
    (lambda x: x.select(0, 5), IndexError,
     "select(): index 5 out of range for tensor of size [2, 3, 4] at dimension 0"),
    (lambda x: x.select(3, 0), IndexError, "Dimension out of range (expected to be in range of [-3, 2], but got 3)"),
    (lambda x: x.narrow(1, 2, 2), RuntimeError, "start (2) + length (2) exceeds dimension size (3)."),
    (lambda x: x.narrow(1, -1, 2), RuntimeError, "start (2) + length (2) exceeds dimension size (3)."),
    (lambda x: x.narrow(1, 4, 0), IndexError, "start out of range (expected to be in range of [-3, 3], but got 4)"),
    (lambda x: x.narrow(1, 0, -1), RuntimeError, "narrow(): length must be non-negative."),
    (lambda x: x[0, 0, 0].select(0, 0), IndexError, "select() cannot be applied to a 0-dim tensor."),
    (lambda x: x[0, 0, 0].narrow(0, 0, 1), RuntimeError, "narrow() cannot be applied to a 0-dim tensor."),
])
def test_select_and_narrow_errors(call, kind, text):
    with pytest.raises(kind) as info:
        call(grid())
    assert str(info.value) == text


# ----- reading: second derivatives -----------------------------------------------------------------------------
@pytest.mark.parametrize("index, name", [
    (0, "SelectBackwardBackward0"), (slice(1, None), "SliceBackwardBackward0"), ([0, 0], "IndexPutImplBackward0"),
])
def test_backward_of_a_read_is_itself_recorded(index, name):
    x = torch.arange(24., dtype=torch.float64).reshape(2, 3, 4).requires_grad_()
    y = x[index]
    v = torch.ones(y.shape, dtype=torch.float64, requires_grad=True)
    (g,) = torch.autograd.grad(y, x, v, create_graph=True)
    assert g.grad_fn.name() == name
    (gg,) = torch.autograd.grad((g * g).sum(), v)
    # g scatters v, so sum(g²) = sum over x's positions of (sum of the v's landing there)²
    weights = np.ones(y.shape)
    landed = scatter_expected(x.shape, index, weights)
    assert np.array_equal(gg.numpy(), 2 * landed[index])


@pytest.mark.parametrize("index", [0, (slice(1, None), slice(None, None, 2)), [0, 0, 1], (slice(None), [0, 2], None, 1),
                                   (Ellipsis, 1)], ids=repr)
def test_read_gradcheck(index):
    x = torch.randn(2, 3, 4, dtype=torch.float64, requires_grad=True)
    assert gradcheck(lambda t: t[index], (x,))


@settings(max_examples=50, deadline=None)
@given(st.data())
def test_random_basic_and_advanced_reads_match_numpy(data):
    shape = data.draw(st.lists(st.integers(1, 4), min_size=1, max_size=3), label="shape")
    entries = []
    for n in shape[:data.draw(st.integers(1, len(shape)), label="count")]:  # one entry per dim, maybe after a None
        if data.draw(st.booleans(), label="None first"):
            entries.append(None)
        kind = data.draw(st.sampled_from(["int", "slice", "list"]), label="kind")
        if kind == "int":
            entries.append(data.draw(st.integers(-n, n - 1)))
        elif kind == "slice":
            entries.append(slice(data.draw(st.integers(-n, n)), data.draw(st.integers(-n, n)),
                                 data.draw(st.integers(1, 3))))
        else:
            entries.append(data.draw(st.lists(st.integers(-n, n - 1), min_size=1, max_size=3)))
    if any(isinstance(e, list) for e in entries):
        # None between lists would move numpy's advanced dims around; lists must broadcast: keep them equally long
        entries = [e for e in entries if e is not None]
        length = min(len(e) for e in entries if isinstance(e, list))
        entries = [e[:length] if isinstance(e, list) else e for e in entries]
    index = tuple(entries)
    values = np.arange(float(np.prod(shape))).reshape(shape)
    # PyTorch applies ints, slices and None first and the lists afterwards, on the dims that are left (numpy
    # would treat an int next to a list as one more list); numpy does each stage
    basic = tuple(slice(None) if isinstance(e, list) else e for e in index)
    lists = tuple(e if isinstance(e, list) else slice(None) for e in index if not isinstance(e, int))
    x = torch.tensor(values, requires_grad=True)
    y = x[index]
    assert np.array_equal(y.detach().numpy(), values[basic][lists])
    if y.numel():
        weights = np.arange(1., y.numel() + 1).reshape(y.shape)
        (y * torch.tensor(weights)).sum().backward()
        expected = np.zeros(shape)
        np.add.at(expected[basic + (...,)], lists, weights)  # a view (even 0-d): the sums land in expected
        assert np.array_equal(x.grad.numpy(), expected)


# ----- writing --------------------------------------------------------------------------------------------------
def written(index, value, requires_grad=True):
    """y = x * 1 for the grid x, then y[index] = value; returns x, y."""
    x = grid()
    y = x * 1
    y[index] = value
    return x, y


@pytest.mark.parametrize("index, name", [
    (0, "torch::autograd::CopySlices"), ((0, 1), "torch::autograd::CopySlices"),
    ((slice(None), slice(1, None)), "torch::autograd::CopySlices"), (None, "torch::autograd::CopySlices"),
    ((slice(1, None), [0, 2]), "torch::autograd::CopySlices"), ([0, 1], "IndexPutBackward0"),
    ((slice(None), [0, 2]), "IndexPutBackward0"), (slice(None), "FillBackward3"), (Ellipsis, "FillBackward3"),
    (slice(0, 2), "FillBackward3"),
], ids=repr)
def test_write_records_pytorchs_node_and_bumps_the_version(index, name):
    w = torch.tensor(2., requires_grad=True)
    x = grid()
    y = x * 1
    y[index] = w
    assert y.grad_fn.name() == name and y._version == 1
    assert [(n.name() if n else None) for n, _ in y.grad_fn.next_functions] == [
        "MulBackward0", "torch::autograd::AccumulateGrad"]
    expected = np.arange(24.).reshape(2, 3, 4)
    expected[index] = 2.0
    assert np.array_equal(y.detach().numpy(), expected)


def test_write_gradients_zero_the_overwritten_positions_and_sum_the_broadcast_value():
    w = torch.tensor(2., requires_grad=True)
    x, y = written((0, 1), w)
    weights = np.arange(1., 25.).reshape(2, 3, 4)
    (y * torch.tensor(weights, dtype=torch.float32)).sum().backward()
    expected = weights.copy()
    expected[0, 1] = 0
    assert np.array_equal(x.grad.numpy(), expected)
    assert w.grad.item() == weights[0, 1].sum()


def test_write_with_a_number_lists_none_for_it():
    x, y = written(0, 5)
    assert y.grad_fn.name() == "torch::autograd::CopySlices"
    assert [(n.name() if n else None) for n, _ in y.grad_fn.next_functions] == ["MulBackward0", None]
    y.sum().backward()
    assert x.grad.numpy().ravel().tolist() == [0.0] * 12 + [1.0] * 12


def test_advanced_write_gradients():
    w = torch.tensor([10., 20.], requires_grad=True)
    x, y = written(([0, 1], [1, 2], [3, 3]), w)
    assert y.grad_fn.name() == "IndexPutBackward0" and y[0, 1, 3].item() == 10 and y[1, 2, 3].item() == 20
    weights = np.arange(1., 25.).reshape(2, 3, 4)
    (y * torch.tensor(weights, dtype=torch.float32)).sum().backward()
    assert w.grad.tolist() == [weights[0, 1, 3], weights[1, 2, 3]]
    assert x.grad[0, 1, 3].item() == 0 and x.grad[1, 2, 3].item() == 0 and x.grad[0, 0, 0].item() == 1


def test_mask_write():
    x, y = written(grid() > 5, 0)
    assert y.grad_fn.name() == "IndexPutBackward0"
    assert y.detach().numpy().ravel().tolist() == [0., 1., 2., 3., 4., 5.] + [0.] * 18


def test_value_with_leading_ones_and_one_that_broadcasts():
    v = torch.ones(1, 3, 4, requires_grad=True)
    x, y = written(0, v)
    assert y.grad_fn.next_functions[1][0].name() == "ViewBackward0"  # the leading 1 is dropped by a view
    row = torch.ones(4, requires_grad=True)
    x, y = written(0, row)
    assert y.grad_fn.next_functions[1][0].name() == "ExpandBackward0"
    y.sum().backward()
    assert row.grad.tolist() == [3.0] * 4  # written to 3 rows


def test_write_converts_numbers_and_values_to_the_tensors_dtype():
    i = torch.arange(6).reshape(2, 3)
    i[0] = 2.7
    assert i.tolist() == [[2, 2, 2], [3, 4, 5]]
    d = torch.tensor(1.5, dtype=torch.float64, requires_grad=True)
    x, y = written(0, d)
    assert y.dtype is torch.float32
    y.sum().backward()
    assert d.grad.dtype is torch.float64 and d.grad.item() == 12.0


def test_writing_a_value_that_requires_grad_into_a_plain_tensor_puts_it_in_the_graph():
    w = torch.tensor(2., requires_grad=True)
    y = torch.zeros(3)
    y[1] = w
    assert y.grad_fn.name() == "torch::autograd::CopySlices" and not y.is_leaf
    (y * torch.tensor([1., 5., 1.])).sum().backward()
    assert w.grad.item() == 5.0


def test_write_through_a_view_of_a_plain_tensor_changes_the_base():
    a = torch.zeros(3, 3)
    row = a[0]
    row[1] = 5
    assert a.tolist()[0] == [0.0, 5.0, 0.0] and a._version == row._version == 1


def test_false_index_writes_nothing():
    x, y = written(False, 7)
    assert y._version == 0 and y.grad_fn.name() == "MulBackward0"


def test_write_gradcheck():
    x = torch.randn(2, 3, 4, dtype=torch.float64, requires_grad=True)
    w = torch.randn(3, 4, dtype=torch.float64, requires_grad=True)

    def f(x, w):
        y = x * 1
        y[0] = w
        y[1, :, [0, 2]] = w[:, :1] * 2
        y[[1, 0], 2] = w[0]
        return y

    assert gradcheck(f, (x, w))


def test_second_derivative_through_a_write():
    x = torch.tensor([1., 2., 3.], dtype=torch.float64, requires_grad=True)
    w = torch.tensor(2., dtype=torch.float64, requires_grad=True)
    y = x * x
    y[0] = w ** 3
    (gw,) = torch.autograd.grad(y.sum(), w, create_graph=True)  # 3w²
    (gww,) = torch.autograd.grad(gw, w)  # 6w
    assert gw.item() == 12.0 and gww.item() == 12.0


# ----- writing: errors and what they leave behind ---------------------------------------------------------------
WRITE_ERRORS = [
    (5, 1, IndexError, "index 5 is out of bounds for dimension 0 with size 2"),
    ([5], 1, IndexError, "index 5 is out of bounds for dimension 0 with size 2"),
    (0, "a", TypeError, "can't assign a str to a minigrad.FloatTensor"),
    (0, None, TypeError, "can't assign a NoneType to a minigrad.FloatTensor"),
    (0, [1., 2.], TypeError, "can't assign a list to a minigrad.FloatTensor"),
    (0, np.ones(3), TypeError, "can't assign a numpy.ndarray to a minigrad.FloatTensor"),
    (0, torch.ones(5), RuntimeError, "The expanded size of the tensor (4) must match the existing size (5) at "
                                     "non-singleton dimension 1.  Target sizes: [3, 4].  Tensor sizes: [5]"),
    (0, torch.ones(2, 3, 4), RuntimeError, "expand(minigrad.FloatTensor{[2, 3, 4]}, size=[3, 4]): the number of "
                                           "sizes provided (2) must be greater or equal to the number of dimensions "
                                           "in the tensor (3)"),
    ([0, 1], torch.ones(5), RuntimeError, "shape mismatch: value tensor of shape [5] cannot be broadcast to indexing "
                                          "result of shape [2, 3, 4]"),
    ([0], torch.ones(1, 5), RuntimeError, "shape mismatch: value tensor of shape [5] cannot be broadcast to indexing "
                                          "result of shape [1, 3, 4]"),
    ([0], torch.ones(3, 4, dtype=torch.float64), RuntimeError, "Index put requires the source and destination dtypes "
                                                                "match, got Float for the destination and Double for "
                                                                "the source."),
]


@pytest.mark.parametrize("index, value, kind, text", WRITE_ERRORS, ids=[repr(e[0]) + "-" + e[2].__name__ for e in
                                                                         WRITE_ERRORS])
def test_failed_write_raises_pytorchs_error_and_changes_nothing(index, value, kind, text):
    x = grid()
    y = x * 1
    node, before = y.grad_fn, y.detach().numpy().copy()
    with pytest.raises(kind) as info:
        y[index] = value
    assert str(info.value) == text
    assert y._version == 0 and y.grad_fn is node and np.array_equal(y.detach().numpy(), before)


@pytest.mark.parametrize("index, text", [
    (slice(None), "a leaf Variable that requires grad is being used in an in-place operation."),
    ([0], "a leaf Variable that requires grad is being used in an in-place operation."),
    ([5], "a leaf Variable that requires grad is being used in an in-place operation."),  # bounds checked later
    (0, "a view of a leaf Variable that requires grad is being used in an in-place operation."),
    ((0, [0]), "a view of a leaf Variable that requires grad is being used in an in-place operation."),
], ids=repr)
def test_writing_into_a_leaf_that_requires_grad(index, text):
    w = torch.ones(2, 3, requires_grad=True)
    with pytest.raises(RuntimeError) as info:
        w[index] = 1
    assert str(info.value) == text and w._version == 0 and w.tolist() == [[1.0] * 3] * 2


def test_writing_into_a_leaf_under_no_grad_is_allowed():
    w = torch.ones(2, 3, requires_grad=True)
    with torch.no_grad():
        w[0] = 5
    assert w.tolist() == [[5.0] * 3, [1.0] * 3] and w._version == 1 and w.is_leaf and w.requires_grad


def test_a_write_invalidates_a_saved_view():
    x = torch.ones(2, 3, requires_grad=True)
    w = torch.ones(3, requires_grad=True)
    y = x * 1
    z = (y[0] * w).sum()  # Mul saved the view y[0]
    y[0, 1:] = 5
    with pytest.raises(RuntimeError) as info:
        z.backward()
    assert str(info.value) == (
        "one of the variables needed for gradient computation has been modified by an inplace operation: "
        "[minigrad.FloatTensor [3]], which is output 0 of AsStrided, is at version 1; expected version 0 instead. "
        "Hint: enable anomaly detection to find the operation that failed to compute its gradient, with "
        "minigrad.autograd.set_detect_anomaly(True, check_nan=False).")
