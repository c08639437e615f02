"""tensor() and the fill functions read numpy numbers as PyTorch 2.13 does (checked against PyTorch itself in
tests/parity/test_creation_parity.py; these run without it)."""
import warnings

import numpy as np
import pytest

import minigrad as torch


@pytest.mark.parametrize("data, dtype", [
    ([np.float64(0.3), 1], torch.float64), ([1, np.float64(0.3)], torch.float64), ([np.float32(1), 2.5], torch.float32),
    ([np.int32(3), 2], torch.int64), ([True, np.int32(1)], torch.int32), ([np.uint8(1), True], torch.uint8),
    ([np.uint8(1), np.int32(2)], torch.int32), ([np.float16(3), 1.5], torch.float32), ([[], [2, 3]], torch.float32),
    ([torch.tensor(1., dtype=torch.float64), 0.5], torch.float64), ([torch.tensor(1), 0.5], torch.float32),
    ([np.arange(2.), [1, 2]], torch.float64), (np.float64(0.3), torch.float64), (np.bool_(True), torch.bool),
])
def test_numpy_numbers_and_tensors_in_lists_keep_their_dtype(data, dtype):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # a list of arrays warns that it is slow
        assert torch.tensor(data).dtype is dtype


@pytest.mark.parametrize("make, error, message", [
    (lambda: torch.tensor([np.float32(1)], dtype=torch.int64), TypeError,
     "'numpy.float32' object cannot be interpreted as an integer"),
    (lambda: torch.tensor([np.bool_(True), 2]), TypeError, "'numpy.bool' object cannot be interpreted as an integer"),
    (lambda: torch.tensor([np.int64(300)], dtype=torch.uint8), RuntimeError,
     "value cannot be converted to type uint8 without overflow"),
    (lambda: torch.tensor([-0.5], dtype=torch.uint8), RuntimeError,
     "value cannot be converted to type uint8 without overflow"),
    (lambda: torch.tensor([np.array(1.5)]), TypeError, "len() of unsized object"),
    (lambda: torch.tensor([torch.tensor([1., 2.])]), ValueError, "only one element tensors can be converted to Python scalars"),
    (lambda: torch.tensor([np.uint16(1), 2]), RuntimeError,
     "Promotion for uint16, uint32, uint64 types is not supported, attempted to promote UInt16 and Long"),
    (lambda: torch.tensor(np.arange(3.)[::-1]), ValueError, "At least one stride in the given numpy array is negative"),
    (lambda: torch.from_numpy(np.float64(0.5)), TypeError, "expected np.ndarray (got numpy.float64)"),
    (lambda: torch.tensor([np.float16(1.)]), TypeError, "minigrad does not support numpy dtype float16"),
    (lambda: torch.tensor(1 + 2j), TypeError, "minigrad does not support numpy dtype complex64"),
    (lambda: torch.ones(2) + 1j, TypeError, "minigrad does not support numpy dtype complex64"),
    (lambda: torch.full((2,), -1.5, dtype=torch.uint8), RuntimeError,
     "value cannot be converted to type uint8_t without overflow"),
    (lambda: torch.full((2,), torch.tensor([3.])), TypeError,
     "full(): argument 'fill_value' (position 2) must be Number, not Tensor"),
])
def test_bad_data_is_refused_as_pytorch_refuses_it(make, error, message):
    with pytest.raises(error) as caught:
        make()
    assert str(caught.value).startswith(message)


def test_fill_values_and_numpy_operands_are_read_as_pytorch_reads_numbers():
    assert torch.full((2,), np.float64(0.5)).dtype is torch.float32  # a numpy float is a float, like 0.5
    assert torch.full((2,), np.bool_(True)).dtype is torch.float32  # and so is a numpy bool
    assert torch.full((2,), np.int64(-1), dtype=torch.uint8).tolist() == [255, 255]
    assert torch.full((2,), float("inf")).tolist() == [float("inf")] * 2
    assert (torch.tensor([2]) * np.int64(3)).dtype is torch.int64
    assert (torch.tensor([2]) * np.bool_(True)).dtype is torch.float32
    assert torch.arange(2.5, dtype=torch.int64).tolist() == [0, 1]
    assert torch.arange(np.bool_(True)).dtype is torch.float32


def test_shared_and_copied_numpy_memory():
    array = np.zeros(2)
    torch.as_tensor(array, dtype=torch.float64).add_(1)  # the array's own dtype: shared
    torch.as_tensor(array, dtype=torch.float32).add_(1)  # another: a copy
    torch.tensor(array).add_(1)
    assert array.tolist() == [1, 1]
    assert torch.tensor(np.ones((3, 4), order="F")).stride() == (1, 3)  # the copy keeps the layout


@pytest.mark.parametrize("factory", [torch.zeros, torch.ones, torch.empty, torch.rand, torch.randn])
def test_size_by_keyword(factory):
    assert factory(size=(2, 3)).shape == (2, 3) and factory(size=[]).shape == ()
    assert factory(size=(2,), dtype=torch.float64).dtype is torch.float64
    with pytest.raises(TypeError, match="must be tuple of ints, not int"):
        factory(size=2)
    with pytest.raises(TypeError):  # a size both ways, or none at all
        factory(2, size=(2,))
    with pytest.raises(TypeError):
        factory()


def test_a_device_without_a_backend_is_refused_before_anything_is_made():
    x = torch.ones(2, requires_grad=True)
    assert x.to("cpu") is x and x.to("cpu:0") is not x and x.to("cpu:0").grad_fn.name() == "ToCopyBackward0"
    with pytest.raises(RuntimeError, match="not linked with support for xla devices"):
        x.to("xla")
    with pytest.raises(NotImplementedError, match="'XLA' backend"):
        torch.ones(2, device="xla")
    with pytest.raises(NotImplementedError, match="no meta tensors"):
        torch.zeros(2, device="meta")
    assert x.grad is None and x._version == 0


def test_int_arguments_of_every_kind_and_refusals_around_the_plain_int_fast_path():
    """is_int takes a plain int first; numpy ints and one-element integer tensors still count, bools and floats do
    not (a bool is an int subclass: only a plain int may skip the checks)."""
    assert torch.ones(2, 3).shape == (2, 3)
    assert torch.ones(np.int64(2), 3).shape == (2, 3)
    assert torch.ones(torch.tensor(2), 1).shape == (2, 1)
    assert torch.ones(2, True).shape == (2, 1)  # as in PyTorch: True is 1 past the first entry
    x = torch.arange(4.0)
    assert x.view(np.int64(4)).shape == (4,) and x.sum(np.int64(0)).item() == 6.0
    for size in [(True, 2), (2.0, 3)]:
        with pytest.raises(TypeError, match=r"^ones\(\) takes 1 positional argument but 2 were given$"):
            torch.ones(*size)
    with pytest.raises(TypeError, match="failed to unpack the object at pos 2"):
        torch.ones(2, 2.5)
