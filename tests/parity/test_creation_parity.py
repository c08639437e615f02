"""Making tensors from numpy numbers and arrays, Python numbers and nested lists: the same dtype, values, repr,
warnings and errors as PyTorch 2.13 (``torch.tensor([np.float64(0.3), 1])`` is float64, not float32).

Where PyTorch makes a tensor of a dtype minigrad does not have (float16, int8, complex64...), minigrad refuses
with its own TypeError naming the dtype; the tests check that too, so the list of such cases stays honest."""
import warnings

import numpy as np
import pytest

torch = pytest.importorskip("torch")

import minigrad  # noqa: E402
from harness import normalise  # noqa: E402

# dtypes PyTorch has and minigrad lacks: making one is refused by minigrad
LACKING = {"float16", "bfloat16", "int8", "int16", "uint16", "uint32", "uint64", "complex64", "complex128"}

NUMPY_SCALARS = ["np.float64(0.3)", "np.float32(0.3)", "np.float16(0.5)", "np.int64(3)", "np.int32(-3)",
                 "np.int16(3)", "np.int8(3)", "np.uint8(3)", "np.uint16(3)", "np.uint32(3)", "np.uint64(3)",
                 "np.bool_(True)", "np.bool_(False)", "np.complex64(1)", "np.complex128(1+2j)", "np.longdouble(1)"]

# every numpy number in every place a learner puts one
SCALAR_CASES = [template.format(v=v) for v in NUMPY_SCALARS for template in (
    "torch.tensor({v})", "torch.tensor([{v}])", "torch.tensor([{v}, 2])", "torch.tensor([2, {v}])",
    "torch.tensor([{v}, 2.5])", "torch.tensor([True, {v}])", "torch.tensor([[{v}], [1]])",
    "torch.tensor(np.array({v}))", "torch.tensor([np.array({v})])", "torch.as_tensor({v})",
    "torch.as_tensor(np.array({v}))", "torch.from_numpy(np.array({v}))", "torch.from_numpy({v})",
    "torch.tensor({v}, dtype=torch.float64)", "torch.tensor({v}, dtype=torch.int32)",
    "torch.tensor([{v}], dtype=torch.uint8)", "torch.tensor([{v}], dtype=torch.bool)",
    "torch.tensor({v}, requires_grad=True)", "torch.full((2,), {v})", "torch.full((2,), {v}, dtype=torch.int64)",
    "torch.full_like(torch.zeros(2), {v})", "torch.full_like(torch.zeros(2, dtype=torch.int64), {v})",
    "torch.zeros(2).new_full((2,), {v})", "torch.ones(2) + {v}", "{v} * torch.ones(2)",
    "torch.tensor([2]) * {v}", "torch.tensor([2], dtype=torch.int32) - {v}")]

PYTHON_CASES = [
    "torch.tensor(True)", "torch.tensor(3)", "torch.tensor(0.3)", "torch.tensor(1+2j)", "torch.tensor([1, 2.0])",
    "torch.tensor([True, 2])", "torch.tensor([True, 2.0])", "torch.tensor([1, 1+2j])", "torch.tensor(())",
    "torch.tensor([])", "torch.tensor([[], []])", "torch.tensor([[], [2, 3]])", "torch.tensor([[1, 2], []])",
    "torch.tensor([[1], [2, 3]])", "torch.tensor(range(3))", "torch.tensor((np.float64(1), 2))",
    "torch.tensor([2 ** 70])", "torch.tensor(2 ** 63)", "torch.tensor([2 ** 70, 1.5])",
    "torch.tensor([2 ** 70], dtype=torch.float32)", "torch.tensor([2 ** 1100, 1.])",
    "torch.tensor([2 ** 40], dtype=torch.int32)", "torch.tensor([300], dtype=torch.uint8)",
    "torch.tensor([300, 2 ** 70], dtype=torch.uint8)", "torch.tensor([2 ** 70, 300], dtype=torch.uint8)",
    "torch.tensor([[1, 2], [3, 2 ** 63]])", "torch.tensor([[1, 2], [3, -2 ** 63]])",
    "torch.tensor([-1, -255], dtype=torch.uint8)", "torch.tensor([-256], dtype=torch.uint8)",
    "torch.tensor([-0.5], dtype=torch.uint8)", "torch.tensor([255.9], dtype=torch.uint8)",
    "torch.tensor([256.0], dtype=torch.uint8)", "torch.tensor([float('inf')], dtype=torch.int64)",
    "torch.tensor([float('nan')], dtype=torch.bool)", "torch.tensor([1e39])", "torch.tensor([1.7, -1.7], dtype=torch.int32)",
    "torch.tensor([1, [2]])", "torch.tensor([1, [2]], dtype=torch.int64)", "torch.tensor([True, [2]], dtype=torch.bool)",
    "torch.tensor([[1, 2], 3])", "torch.tensor([[1, 2], (3, 4)])", "torch.tensor([[1, 2], range(2)])",
    "torch.tensor([[1, 2], {3, 4}])", "torch.tensor([None])", "torch.tensor(None)",
    "torch.tensor([None], dtype=torch.float32)", "torch.tensor([None], dtype=torch.int64)",
    "torch.tensor([None], dtype=torch.bool)", "torch.tensor('a')", "torch.tensor(['a'])",
    "torch.tensor(['a'], dtype=torch.float32)", "torch.tensor([1, 'ab'], dtype=torch.float32)",
    "torch.tensor([1, 'a'])", "torch.tensor(b'ab')", "torch.tensor([object()])", "torch.tensor({1})",
    "torch.tensor((i for i in range(2)))", "torch.tensor({1: 2})", "torch.tensor([1+2j], dtype=torch.float64)",
    "torch.tensor([1+2j], dtype=torch.bool)", "torch.tensor(1+2j, dtype=torch.int64)",
    "torch.tensor(1.5, dtype=float)", "torch.tensor(np.float32(1.5), dtype=float)",
    "torch.tensor([np.float64(0.1), np.float64(1 / 3)])", "torch.tensor([np.float32(0.1)]).double().item()",
    "torch.tensor([np.float64(0.1)], dtype=torch.float32).double().item()",
    "type(torch.tensor([np.float64(0.1)]).item())", "torch.tensor(np.float32(0.3)).tolist()",
]

MIXED_CASES = [
    "torch.tensor([np.float64(0.3), 1])", "torch.tensor([1, np.float64(0.3)])",
    "torch.tensor([np.float32(0.3), np.float64(0.3)])", "torch.tensor([np.int32(3), np.int64(3)])",
    "torch.tensor([np.int32(3), 1.5])", "torch.tensor([np.float16(3), 1.5])", "torch.tensor([np.uint8(1), np.int32(2)])",
    "torch.tensor([np.uint8(1), True])", "torch.tensor([np.float32(1), np.int64(2)])",
    "torch.tensor([np.float64(1e39), np.float32(1)])", "torch.tensor([np.bool_(1), np.int32(2)])",
    "torch.tensor([np.bool_(1), np.float32(2)])", "torch.tensor([np.int8(3), np.uint8(3)])",
    "torch.tensor([np.float16(1), np.int64(3)])", "torch.tensor([np.uint16(1), 2])", "torch.tensor([np.uint8(3), -1])",
    "torch.tensor([[np.float64(1), 2], [3, np.int32(4)]])", "torch.tensor([np.float64(1), 'a'])",
    "torch.tensor([np.str_('a')])", "torch.tensor(np.str_('a'))", "torch.tensor(np.bytes_(b'a'))",
    "torch.tensor([np.datetime64('2020')])", "torch.tensor(np.datetime64('2020'))",
    "torch.tensor([np.float32(1)], dtype=torch.int64)", "torch.tensor([np.float16(1)], dtype=torch.int64)",
    "torch.tensor([np.float32(0.5), 0.0], dtype=torch.bool)", "torch.tensor([np.int64(300)], dtype=torch.uint8)",
    "torch.tensor([np.int32(-1), np.int8(-1)], dtype=torch.uint8)", "torch.tensor([np.int64(2 ** 40)], dtype=torch.int32)",
    "torch.tensor([np.float64(1e10)], dtype=torch.int32)", "torch.tensor([np.uint64(2 ** 63)], dtype=torch.int64)",
    "torch.tensor([np.uint64(2 ** 63)], dtype=torch.float32)", "torch.tensor(np.float64(-1.7), dtype=torch.uint8)",
    "torch.tensor(np.float64('nan'), dtype=torch.int64)", "torch.tensor(np.int64(300), dtype=torch.uint8)",
    "torch.tensor(np.float64(1e300), dtype=torch.float32)", "torch.tensor([np.float64(1.7)] * 2, dtype=torch.int32)",
    "torch.tensor([np.complex64(1 + 2j)], dtype=torch.float32)", "torch.tensor([np.float16(0.1)], dtype=torch.float64)",
    "torch.tensor([np.longdouble(1)], dtype=torch.float32)",
    # tensors inside lists
    "torch.tensor([np.float64(0.5), torch.tensor(1.)])", "torch.tensor([torch.tensor(1., dtype=torch.float64), 0.5])",
    "torch.tensor([torch.tensor(1), 0.5])", "torch.tensor([torch.tensor([1, 2]), torch.tensor([1, 2])])",
    "torch.tensor([torch.tensor([1., 2.]), torch.tensor([3., 4.])])", "torch.tensor([torch.tensor([1.]), torch.tensor([3.])])",
    "torch.tensor([[torch.tensor(1.)], [torch.tensor(2.)]])", "torch.tensor([torch.tensor(1., requires_grad=True), 2.])",
    "torch.tensor([torch.tensor(1), torch.tensor(2.5, dtype=torch.float64)])", "torch.tensor([torch.tensor(True), 2])",
    "torch.tensor([torch.tensor(1, dtype=torch.int32), 2])", "torch.tensor([torch.tensor(1.5)], dtype=torch.int64)",
    "torch.tensor([torch.tensor(300)], dtype=torch.uint8)", "torch.tensor([torch.tensor(1.)], dtype=torch.bool)",
    "torch.tensor([torch.tensor([True, False])])", "torch.tensor([[1, 2], torch.tensor([3, 4])])",
    "torch.tensor([[1, 2], torch.tensor([3, 4, 5])])",
    # numpy arrays, alone and inside lists
    "torch.tensor([np.arange(2), np.arange(2)])", "torch.tensor([np.arange(2.), np.arange(2.)])",
    "torch.tensor([np.arange(2, dtype=np.float32), [1., 2.]])", "torch.tensor([[1, 2], np.arange(2.)])",
    "torch.tensor([np.arange(2), np.arange(3)])", "torch.tensor([np.ones((2, 2), np.float32)] * 2)",
    "torch.tensor([np.arange(2), 1])", "torch.tensor([np.float64(0.1), [1]])",
    "torch.tensor([np.array(1.5), np.array(2)])", "torch.tensor([np.array([]), np.array([])])",
    "torch.tensor([np.arange(2.) + 0.5, [1, 2]], dtype=torch.int64)", "torch.tensor([np.array([300]), [1]], dtype=torch.uint8)",
    "torch.tensor([np.ones(2, np.float16), [1., 2]])", "torch.tensor([np.array([1], dtype=object)])",
    "torch.tensor(np.array([1, 2], dtype=object))", "torch.tensor(np.array(['a']))",
    "torch.tensor(np.array([1.], dtype=np.longdouble), dtype=torch.float32)",
    "torch.tensor(np.array([1.], np.float16), dtype=torch.float32)", "torch.tensor(np.array(300), dtype=torch.uint8)",
    "torch.tensor(np.array([np.nan]), dtype=torch.int32)", "torch.tensor(np.array([1.7, -1.7], np.float32), dtype=torch.int32)",
    "torch.tensor(np.array([])).dtype", "torch.tensor(np.ones((3, 4), order='F')).stride()",
    "torch.tensor(np.ones((2, 3))[:, ::2])", "torch.tensor(np.arange(3.)[::-1])", "torch.from_numpy(np.arange(3.)[::-1])",
    "torch.tensor(np.ones(2, '>f8'))", "torch.from_numpy(np.ones(2, '>f8'))", "torch.tensor(np.ones(2, '>u1'))",
    "torch.tensor(np.broadcast_to(np.ones(1), (2,)))", "torch.from_numpy(np.ones((3, 4))[:, ::2]).stride()",
    "torch.from_numpy(np.ones((3, 4), order='F')).stride()", "torch.from_numpy([1])", "torch.from_numpy(np.float64(0.5))",
    "torch.as_tensor(np.float64(0.5), dtype=torch.float32)", "torch.as_tensor([np.float64(0.5)])",
    "torch.as_tensor([np.int32(1), np.int32(2)])", "torch.as_tensor(np.arange(3.)[::-1])",
    "torch.as_tensor(torch.ones(2, requires_grad=True), dtype=torch.float64)", "torch.as_tensor([torch.tensor(1.), torch.tensor(2.)])",
    "torch.as_tensor([np.ones(2), np.ones(2)])", "torch.as_tensor('a')", "torch.as_tensor(None)",
]

FILL_AND_RANGE_CASES = [
    "torch.full((2,), np.float32(0.1), dtype=torch.float64).item()", "torch.full((2,), np.int64(2 ** 40), dtype=torch.int32)",
    "torch.full((2,), np.float64('nan'), dtype=torch.int64)", "torch.full((2,), 300, dtype=torch.uint8)",
    "torch.full((2,), np.int64(-1), dtype=torch.uint8)", "torch.full((2,), -256, dtype=torch.uint8)",
    "torch.full((2,), -1.5, dtype=torch.uint8)", "torch.full((2,), 1e300)", "torch.full((2,), np.float64(1e300))",
    "torch.full((2,), float('inf'))", "torch.full((2,), 2 ** 63)", "torch.full((2,), 2 ** 70)",
    "torch.full((2,), 1+2j)", "torch.full((2,), 1+2j, dtype=torch.float32)", "torch.full((2,), 1+0j, dtype=torch.float32)",
    "torch.full((2,), torch.tensor([3.]))", "torch.full((2,), torch.tensor(3., requires_grad=True))",
    "torch.full((2,), torch.tensor(3., dtype=torch.float64))", "torch.full((2,), torch.tensor(True))",
    "torch.full((2,), np.array(3.))", "torch.full((2,), None)", "torch.full((2,), 'a')",
    "torch.full((2,), np.float64(0.5), requires_grad=True)", "torch.full((2,), np.int64(1), requires_grad=True)",
    "torch.full(np.int64(2), 1)", "torch.full((np.int64(2),), 1)",
    "torch.full_like(torch.zeros(2, dtype=torch.int64), np.float64('nan'))",
    "torch.full_like(torch.zeros(2, dtype=torch.uint8), 300)", "torch.full_like(torch.zeros(2, dtype=torch.uint8), -1)",
    "torch.full_like(torch.zeros(2, dtype=torch.uint8), -256)", "torch.full_like(torch.zeros(2, dtype=torch.int32), 2 ** 40)",
    "torch.full_like(torch.zeros(2, dtype=torch.int32), np.float32(1.7))", "torch.full_like(torch.zeros(2), np.float64(1e300))",
    "torch.full_like(torch.zeros(2, dtype=torch.bool), float('nan'))", "torch.full_like(torch.zeros(2), 1+2j)",
    "torch.full_like(torch.zeros(2), float('inf'))", "torch.full_like(torch.zeros(2, dtype=torch.float64), 1e300)",
    "torch.full_like(torch.zeros(2), torch.tensor([3.]))", "torch.full_like(torch.zeros(2), torch.tensor(3))",
    "torch.full_like(torch.zeros(2), np.float64(0.1), dtype=torch.float64, requires_grad=True)",
    "torch.full_like(torch.zeros(2, dtype=torch.int64), 1, requires_grad=True)", "torch.full_like(torch.zeros(2), np.array(1.))",
    "torch.full_like(np.zeros(2), 1)", "torch.zeros_like(torch.zeros(2), dtype=torch.int64, requires_grad=True)",
    "torch.zeros_like(torch.zeros(2, requires_grad=True))", "torch.ones_like(torch.tensor(np.float64(2.)))",
    "torch.empty_like(torch.zeros(2, 3, dtype=torch.float64)).shape", "torch.empty_like(torch.ones(2)).dtype",
    "torch.zeros_like(np.ones(2))", "torch.zeros(np.int64(2))", "torch.zeros(np.int64(2), np.int32(3))",
    "torch.zeros((np.int64(2),))", "torch.ones(np.float64(2))", "torch.zeros(np.bool_(True))", "torch.zeros(np.float32(2))",
    "torch.zeros(np.int64(-1))", "torch.ones(np.int64(-1))", "torch.zeros((2, np.float64(2)))",
    "torch.arange(np.int64(3))", "torch.arange(np.int32(3))", "torch.arange(np.float64(3))", "torch.arange(np.float32(1.5))",
    "torch.arange(0, np.float64(1), 0.25)", "torch.arange(np.int64(1), np.int64(4), np.int64(2))",
    "torch.arange(np.bool_(True))", "torch.arange(np.bool_(False), 3)", "torch.arange(True)", "torch.arange(1+2j)",
    "torch.arange(0, 1, np.float32(0.25))", "torch.arange(torch.tensor(3.))", "torch.arange(np.array(3))",
    "torch.arange(np.float64(2.5), dtype=torch.int64)", "torch.arange(2.5, dtype=torch.int64)",
    "torch.arange(0.5, 3.7, 1.5, dtype=torch.int64)", "torch.arange(0, 2.5, 0.5, dtype=torch.int64)",
    "torch.arange(-2.5, 2, dtype=torch.int64)", "torch.arange(0., 3., 0.)",
    "torch.linspace(np.float64(0), 1, np.int64(3))", "torch.linspace(np.float32(0), np.float64(1), 3)",
    "torch.linspace(0, 1, np.float64(3))", "torch.linspace(0, 1, 3.0)", "torch.linspace(0, 1, 3.0, dtype=torch.float64)",
    "torch.linspace(0, 1, np.array(3))", "torch.linspace(0, 1, np.int32(3))", "torch.linspace(np.bool_(False), 1, 3)",
    "torch.linspace(1+2j, 1, 3)", "torch.eye(np.int64(2))", "torch.eye(np.int32(2), np.int64(3))", "torch.eye(np.float64(2))",
    "torch.eye(2.0)", "torch.eye(np.bool_(True))", "torch.eye(True)", "torch.randn(np.int64(2), np.int32(2)).shape",
    "torch.rand((np.int64(2),)).shape", "torch.tensor(1., dtype=np.float64)", "torch.zeros(2, dtype=np.float64)",
    "torch.tensor(1.5, dtype='float32')",
]


def _run(library, expression):
    """The outcome of one expression: its repr (and dtype) or its exception, and the warnings on the way."""
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        try:
            value = eval(expression, {"torch": library, "np": np})
            result = ("value", repr(value), repr(getattr(value, "dtype", None)))
        except Exception as error:  # the outcome to compare, not a failure of the test
            result = ("error", type(error).__name__, str(error))
    return result, [(w.category.__name__, str(w.message)) for w in caught]


def _lacking(expression, torch_result):
    """The dtype minigrad lacks that PyTorch made, or None. A numpy number of such a dtype that PyTorch refuses in
    its own way (``tensor(np.uint64(3))``, ``tensor(np.int8(3), requires_grad=True)``) counts too: minigrad
    refuses it for what it is."""
    kind, *rest = torch_result
    if kind == "value":
        name = rest[1].removeprefix("torch.")
        return name if name in LACKING else None
    given = [name for name in sorted(LACKING) if f"np.{name}(" in expression]
    return given[0] if given else None


@pytest.mark.parametrize("expression", SCALAR_CASES + PYTHON_CASES + MIXED_CASES + FILL_AND_RANGE_CASES)
def test_creation_matches_pytorch(torch_module, minigrad_module, expression):
    expected, expected_warnings = _run(torch_module, expression)
    actual, actual_warnings = _run(minigrad_module, expression)
    same = (tuple(normalise(part) for part in expected),
            [(category, normalise(message)) for category, message in expected_warnings])
    if (actual, actual_warnings) == same:
        return
    lacking = _lacking(expression, expected)
    assert lacking is not None, f"{expression}\n  PyTorch:  {same}\n  minigrad: {(actual, actual_warnings)}"
    # minigrad has no such dtype: a clear refusal naming it
    assert actual[:2] == ("error", "TypeError") and f"minigrad does not support numpy dtype {lacking}" in actual[2], \
        (expression, expected, actual)


def test_numpy_arrays_pytorch_cannot_write_warn_once_with_minigrads_name(torch_module, minigrad_module):
    """A read-only array (a broadcast view) is shared with a warning; minigrad's says minigrad where PyTorch's
    says PyTorch."""
    for library in (torch_module, minigrad_module):
        for make in (library.from_numpy, library.as_tensor):
            array = np.broadcast_to(np.ones(1), (2,))
            with warnings.catch_warnings(record=True) as caught:
                warnings.simplefilter("always")
                result = make(array)
            assert result.stride() == (0,)
            (warning,) = caught
            name = "PyTorch" if library is torch_module else "minigrad"
            assert str(warning.message).startswith(f"The given NumPy array is not writable, and {name} does not support "
                                                   "non-writable tensors. This means writing to this tensor will result "
                                                   "in undefined behavior.")


@pytest.mark.parametrize("dtype", [np.float64, np.float32, np.int64])
def test_as_tensor_shares_an_array_of_the_asked_dtype(torch_module, minigrad_module, dtype):
    for library in (torch_module, minigrad_module):
        array = np.zeros(2, dtype)
        asked = getattr(library, np.dtype(dtype).name)
        library.as_tensor(array, dtype=asked).add_(1)
        assert array.tolist() == [1, 1]
        other = library.float64 if dtype is not np.float64 else library.float32
        library.as_tensor(array, dtype=other).add_(1)  # another dtype: a copy
        assert array.tolist() == [1, 1]
