"""Bad input to creation functions, ops and autograd: PyTorch 2.13's exception and text, raised before anything
changes (the texts were read from PyTorch itself; tests/parity/test_malformed_calls.py compares live)."""
import re

import numpy as np
import pytest

import minigrad as torch

NUMPY_REFUSED = ("can't convert np.ndarray of type numpy.{}. The only supported types are: float64, float32, float16, "
                 "complex64, complex128, int64, int32, int16, int8, uint64, uint32, uint16, uint8, and bool.")


def raises(kind, text):
    return pytest.raises(kind, match="^" + re.escape(text) + "$")


# ----- numpy arrays of dtypes a tensor cannot hold are refused when the tensor is made --------------------------
@pytest.mark.parametrize("array, name", [
    (np.array([1, "a"], dtype=object), "object_"),
    (np.array(["ab", "c"]), "str_"),
    (np.array([b"ab"]), "bytes_"),
    (np.zeros(2, dtype="datetime64[s]"), "datetime64"),
    (np.zeros(2, dtype="timedelta64[s]"), "timedelta64"),
    (np.zeros(2, dtype=[("a", "i4"), ("b", "f4")]), "void"),
])
@pytest.mark.parametrize("make", [torch.tensor, torch.as_tensor, torch.from_numpy])
def test_numpy_dtypes_pytorch_refuses(make, array, name):
    with raises(TypeError, NUMPY_REFUSED.format(name)):
        make(array)


@pytest.mark.parametrize("dtype", ["float16", "complex64", "complex128", "uint64", "uint32", "uint16", "int16",
                                   "int8"])
@pytest.mark.parametrize("make", [torch.tensor, torch.as_tensor, torch.from_numpy])
def test_numpy_dtypes_minigrad_lacks_are_refused_at_creation(make, dtype):
    """PyTorch has these dtypes; minigrad does not, and says so at once instead of failing in a later repr."""
    with pytest.raises(TypeError, match=f"minigrad does not support numpy dtype {dtype}"):
        make(np.zeros(2, dtype=dtype))
    with pytest.raises(TypeError, match=f"minigrad does not support numpy dtype {dtype}"):
        torch.tensor(np.zeros((), dtype=dtype)[()])  # a numpy scalar too


def test_numpy_scalars_keep_their_dtype():
    assert torch.tensor(np.float64(1.5)).dtype is torch.float64
    assert torch.tensor(np.int32(3)).dtype is torch.int32
    assert torch.tensor(np.float32(2)).dtype is torch.float32


# ----- no silent truncation or overflow ---------------------------------------------------------------------------
@pytest.mark.parametrize("call, kind, text", [
    (lambda: torch.ones((2, 2.7)), TypeError,
     "ones(): argument 'size' failed to unpack the object at pos 2 with error \"type must be tuple of ints,but got "
     "float\""),
    (lambda: torch.zeros(2, 3.0), TypeError,
     "zeros(): argument 'size' failed to unpack the object at pos 2 with error \"type must be tuple of ints,but got "
     "float\""),
    (lambda: torch.ones("12"), TypeError, "ones(): argument 'size' (position 1) must be tuple of ints, not str"),
    (lambda: torch.rand(2.5), TypeError, "rand(): argument 'size' (position 1) must be tuple of ints, not float"),
    (lambda: torch.randn(None), TypeError, "randn(): argument 'size' (position 1) must be tuple of ints, not NoneType"),
    (lambda: torch.ones(-1), RuntimeError, "Trying to create tensor with negative dimension -1: [-1]"),
    (lambda: torch.tensor(2 ** 63), ValueError, "Overflow when unpacking long long"),
    (lambda: torch.tensor([1, 2 ** 63]), ValueError, "Overflow when unpacking long long"),
    (lambda: torch.tensor(2 ** 64), ValueError, "Overflow when unpacking long long"),
    (lambda: torch.tensor([2 ** 40], dtype=torch.int32), RuntimeError,
     "value cannot be converted to type int32 without overflow"),
    (lambda: torch.tensor([300], dtype=torch.uint8), RuntimeError,
     "value cannot be converted to type uint8 without overflow"),
    (lambda: torch.tensor([1e20], dtype=torch.int64), RuntimeError,
     "value cannot be converted to type int64 without overflow"),
    (lambda: torch.tensor([float("nan")], dtype=torch.int64), RuntimeError,
     "value cannot be converted to type int64 without overflow"),
    (lambda: torch.full((2,), 2 ** 40, dtype=torch.int32), RuntimeError,
     "value cannot be converted to type int without overflow"),
    (lambda: torch.arange(10, 0, 1), RuntimeError, "upper bound and lower bound inconsistent with step sign"),
    (lambda: torch.arange(0, 10, -1), RuntimeError, "upper bound and lower bound inconsistent with step sign"),
    (lambda: torch.arange(float("inf")), RuntimeError, "unsupported range: 0 -> inf"),
    (lambda: torch.full((2,), None), TypeError,
     "full(): argument 'fill_value' (position 2) must be Number, not NoneType"),
    (lambda: torch.full(2, 1.0), TypeError, "full(): argument 'size' (position 1) must be tuple of ints, not int"),
    (lambda: torch.ones(2).sum(0, keepdim=1), TypeError, "sum(): argument 'keepdim' must be bool, not int"),
    (lambda: torch.ones(2, dtype="float32"), TypeError, "ones(): argument 'dtype' must be minigrad.dtype, not str"),
    (lambda: torch.tensor([1], dtype="float32"), TypeError,
     "tensor(): argument 'dtype' must be minigrad.dtype, not str"),
    (lambda: torch.tensor(1, dtype=np.float32), TypeError,
     "tensor(): argument 'dtype' must be minigrad.dtype, not type"),
    (lambda: torch.ones(2).to("float32"), RuntimeError, "Invalid device string: 'float32'"),
    (lambda: torch.linspace(0, 1, -1), RuntimeError, "number of steps must be non-negative"),
    (lambda: torch.eye(-1), RuntimeError, "n must be greater or equal to 0, got -1"),
    (lambda: torch.eye(2.5), TypeError, "eye(): argument 'n' (position 1) must be int, not float"),
])
def test_refused_not_truncated(call, kind, text):
    with raises(kind, text):
        call()


@pytest.mark.parametrize("call", [
    lambda x: x.sum(dim=True), lambda x: torch.sum(x, dim=True), lambda x: x.sum(dtype="float32"),
    lambda x: x.mean(dtype="float32"), lambda x: x.mean(dim=True), lambda x: x.sum(dim=1.0),
    lambda x: x.to(np.float64), lambda x: x.to(dtype="float32"),
])
def test_arguments_that_fit_no_signature(call):
    with pytest.raises(TypeError, match=r"^(sum|mean|to)\(\) received an invalid combination of arguments - got \("):
        call(torch.ones(2, 3))


def test_what_pytorch_still_accepts():
    assert torch.ones((2, True)).shape == (2, 1)
    assert torch.ones(np.int64(2), torch.tensor(3)).shape == (2, 3)
    assert torch.tensor(-2 ** 63).item() == -2 ** 63
    assert torch.tensor([1.5, 2 ** 63]).tolist() == [1.5, 2.0 ** 63]
    assert torch.tensor(2 ** 64, dtype=torch.float64).item() == 2.0 ** 64
    assert torch.tensor([-1], dtype=torch.uint8).tolist() == [255]  # unsigned dtypes wrap negatives, as in PyTorch
    assert torch.tensor(1e300, dtype=torch.float32).item() == float("inf")
    assert torch.arange(5, 5).shape == (0,)
    assert torch.ones(2, 3).sum(dim=(0, True)).shape == ()
    assert torch.ones(2, dtype=float).dtype is torch.float64
    assert torch.ones(2).to(float).dtype is torch.float64  # Python's float is float64 here too
    assert torch.ones(2).sum(dtype=float).dtype is torch.float64
    assert torch.full([2], 1.0).tolist() == [1.0, 1.0]


# ----- errors that name the problem -------------------------------------------------------------------------------
def test_backward_with_a_numpy_gradient():
    y = torch.ones(2, 2, requires_grad=True) * 2
    with raises(TypeError, "gradients can be either Tensors or None, but got ndarray"):
        y.backward(np.ones((2, 2)))
    y.backward(torch.ones(2, 2))  # nothing was used up by the refused call


@pytest.mark.parametrize("value", ["a", 1.0, [1.0], None])
def test_op_on_a_non_tensor(value):
    with raises(TypeError, f"exp(): argument 'input' (position 1) must be Tensor, not {type(value).__name__}"):
        torch.exp(value)
    with raises(TypeError, f"sum(): argument 'input' (position 1) must be Tensor, not {type(value).__name__}"):
        torch.sum(value)
    assert torch.add(2, torch.ones(2)).tolist() == [3.0, 3.0]  # a number first is fine where PyTorch allows it


@pytest.mark.parametrize("value, name", [("abc", "str"), (np.ones(2), "numpy.ndarray"), (1.0, "float")])
def test_data_must_be_a_tensor(value, name):
    x = torch.ones(2)
    with raises(TypeError, f"Variable data has to be a tensor, but got {name}"):
        x.data = value
    assert x.tolist() == [1.0, 1.0]


@pytest.mark.parametrize("inputs, name", [([1.0], "float"), (["a"], "str")])
def test_grad_of_a_non_tensor(inputs, name):
    leaf = torch.ones(2, requires_grad=True)
    out = (leaf * 2).sum()
    with raises(RuntimeError, f"all inputs have to be Tensors or GradientEdges, but got {name}"):
        torch.autograd.grad(out, inputs)
    assert torch.autograd.grad(out, [leaf])[0].tolist() == [2.0, 2.0]  # the graph is still there


def test_arange_with_a_zero_step():
    with raises(RuntimeError, "step must be nonzero"):
        torch.arange(0, 10, 0)
    with raises(RuntimeError, "step must be nonzero"):
        torch.arange(0.0, 1.0, 0.0)
    with raises(TypeError, "arange(): argument 'end' (position 1) must be Number, not str"):
        torch.arange("a")
