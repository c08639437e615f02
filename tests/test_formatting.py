"""Behaviour of minigrad.formatting, without PyTorch.

Every expected string was printed by PyTorch 2.13 (with "torch." written as
"minigrad.") or follows from the rules in the module docstring; the comments
say which rule a case exercises.
"""

import math

import numpy as np
import pytest

from minigrad import formatting
from minigrad.formatting import format_tensor, needs_dtype_suffix

NAN, INF = math.nan, math.inf


@pytest.fixture(autouse=True)
def default_print_options():
    yield
    formatting.set_printoptions(profile="default")


def fmt(values, dtype=np.float32, **kwargs):
    data = np.array(values, dtype=dtype)
    name = "minigrad." + data.dtype.name if needs_dtype_suffix(data.dtype) else None
    return format_tensor(data, dtype_name=name, **kwargs)


# --- element style: int mode, fixed point, scientific ------------------------

@pytest.mark.parametrize("values, expected", [
    (27.0, "tensor(27.)"),                                  # whole number: "27."
    ([[1, 1], [1, 1]], "tensor([[1., 1.],\n        [1., 1.]])"),
    ([0.1, 0.2], "tensor([0.1000, 0.2000])"),               # 4 decimals
    ([1.0, 1000.0], "tensor([   1., 1000.])"),              # ratio 1000 is not > 1000
    ([1.0, 1001.0], "tensor([1.0000e+00, 1.0010e+03])"),    # ratio > 1000
    ([1e-5, 1.0], "tensor([1.0000e-05, 1.0000e+00])"),      # min < 1e-4
    ([1e9, 1.0], "tensor([1.0000e+09, 1.0000e+00])"),       # max > 1e8
])
def test_element_style(values, expected):
    assert fmt(values) == expected


def test_float32_prints_its_own_value_not_the_decimal_it_came_from():
    formatting.set_printoptions(precision=10)
    # float32(0.1) is 0.100000001490116...; float64(0.1) is closer to 0.1.
    assert fmt([0.1]) == "tensor([0.1000000015])"
    assert fmt([0.1], np.float64) == "tensor([0.1000000000], dtype=minigrad.float64)"


@pytest.mark.parametrize("values, expected", [
    ([NAN, INF, -INF, -0.0, 1.5], "tensor([   nan,    inf,   -inf, -0.0000, 1.5000])"),
    ([-0.0, 0.0], "tensor([-0., 0.])"),     # no scale values: int mode, width 1
    ([1.0, -INF], "tensor([1., -inf])"),    # width comes from finite values only
    (NAN, "tensor(nan)"),
    (-0.0, "tensor(-0.)"),
])
def test_special_values(values, expected):
    assert fmt(values) == expected


def test_bools_and_integers_are_right_aligned():
    assert fmt([True, False], np.bool_) == "tensor([ True, False])"
    assert fmt([1, -10, 100], np.int64) == "tensor([  1, -10, 100])"


# --- dtype and size suffixes -------------------------------------------------

def test_non_default_dtype_is_named():
    assert fmt([1.5, 2.0], np.float64) == "tensor([1.5000, 2.0000], dtype=minigrad.float64)"


@pytest.mark.parametrize("data, suffixes, expected", [
    (np.empty(0, np.float32), [], "tensor([])"),
    (np.empty((0, 3), np.int64), [], "tensor([], size=(0, 3), dtype=minigrad.int64)"),
    (np.empty(0, np.bool_), [], "tensor([], dtype=minigrad.bool)"),
    (np.empty((2, 0)), ["requires_grad=True"],
     "tensor([], size=(2, 0), dtype=minigrad.float64, requires_grad=True)"),
])
def test_empty_tensors_show_size_and_any_non_float32_dtype(data, suffixes, expected):
    name = "minigrad." + data.dtype.name if needs_dtype_suffix(data.dtype) else None
    assert format_tensor(data, dtype_name=name, suffixes=suffixes) == expected


@pytest.mark.parametrize("np_dtype, shown", [
    (np.float32, False), (np.int64, False), (np.bool_, False),
    (np.float64, True), (np.int32, True), (np.uint8, True),
])
def test_needs_dtype_suffix(np_dtype, shown):
    assert needs_dtype_suffix(np_dtype) is shown


# --- layout ------------------------------------------------------------------

def test_3d_slices_are_separated_by_a_blank_line():
    assert fmt(np.zeros((2, 2, 2))) == (
        "tensor([[[0., 0.],\n"
        "         [0., 0.]],\n"
        "\n"
        "        [[0., 0.],\n"
        "         [0., 0.]]])")


def test_long_rows_wrap_at_80_columns():
    # Elements are 3 wide plus ", ": (80 - 7) // 5 = 14 per line.
    assert fmt(np.arange(30)) == (
        "tensor([ 0.,  1.,  2.,  3.,  4.,  5.,  6.,  7.,  8.,  9., 10., 11., 12., 13.,\n"
        "        14., 15., 16., 17., 18., 19., 20., 21., 22., 23., 24., 25., 26., 27.,\n"
        "        28., 29.])")


def test_indent_follows_the_prefix():
    assert format_tensor(np.ones((2, 2), np.float32), dtype_name=None, prefix="x(") == (
        "x([[1., 1.],\n   [1., 1.]])")


# --- summarisation -----------------------------------------------------------

def test_vector_over_threshold_shows_three_items_at_each_end():
    assert fmt(np.arange(2000), np.int64) == "tensor([   0,    1,    2,  ..., 1997, 1998, 1999])"


def test_summarised_matrix_keeps_edge_rows():
    assert fmt(np.arange(2000).reshape(1000, 2), np.int64) == (
        "tensor([[   0,    1],\n"
        "        [   2,    3],\n"
        "        [   4,    5],\n"
        "        ...,\n"
        "        [1994, 1995],\n"
        "        [1996, 1997],\n"
        "        [1998, 1999]])")


def test_1000_elements_are_not_summarised():
    assert "..." not in fmt(np.arange(1000), np.int64)


# --- suffixes ----------------------------------------------------------------

def test_suffix_that_fits_stays_on_the_last_line():
    assert fmt([1.0, 2.0], suffixes=["grad_fn=<MulBackward0>"]) == (
        "tensor([1., 2.], grad_fn=<MulBackward0>)")


def test_suffix_that_would_overflow_goes_on_a_new_line():
    assert fmt(np.arange(14), suffixes=["requires_grad=True"]) == (
        "tensor([ 0.,  1.,  2.,  3.,  4.,  5.,  6.,  7.,  8.,  9., 10., 11., 12., 13.],\n"
        "       requires_grad=True)")


def test_the_wrap_measures_pytorchs_dtype_name():
    # The row is 57 characters; PyTorch's 19-character "dtype=torch.float64" still fits
    # (57 + 2 + 19 + 2 <= 80), so the line stays whole, as PyTorch's does, although
    # "dtype=minigrad.float64" is 3 characters longer: minigrad breaks lines where
    # PyTorch breaks them, so its output is PyTorch's with only the name changed.
    assert fmt(np.full(10, 10.0), np.float64) == (
        "tensor([10., 10., 10., 10., 10., 10., 10., 10., 10., 10.], dtype=minigrad.float64)")
    assert fmt(np.full(11, 10.0), np.float64) == (  # 4 more characters: now PyTorch wraps too
        "tensor([10., 10., 10., 10., 10., 10., 10., 10., 10., 10., 10.],\n"
        "       dtype=minigrad.float64)")


def test_suffixes_appear_in_order_after_the_dtype():
    assert fmt([1.0], np.float64, suffixes=["grad_fn=<AddBackward0>"]) == (
        "tensor([1.], dtype=minigrad.float64, grad_fn=<AddBackward0>)")


# --- print options -----------------------------------------------------------

DEFAULTS = dict(precision=4, threshold=1000, edgeitems=3, linewidth=80, sci_mode=None)


def test_default_options():
    assert formatting.get_printoptions() == DEFAULTS


def test_profiles():
    formatting.set_printoptions(profile="short")
    assert formatting.get_printoptions() == dict(DEFAULTS, precision=2, edgeitems=2)
    formatting.set_printoptions(profile="full")
    assert formatting.get_printoptions() == dict(DEFAULTS, threshold=math.inf)
    formatting.set_printoptions(profile="default")
    assert formatting.get_printoptions() == DEFAULTS


def test_explicit_options_override_the_profile_and_sci_mode_resets():
    formatting.set_printoptions(sci_mode=True)
    formatting.set_printoptions(profile="short", precision=5)
    assert formatting.get_printoptions() == dict(DEFAULTS, precision=5, edgeitems=2)


def test_options_change_the_output():
    formatting.set_printoptions(precision=2)
    assert fmt([1.12345]) == "tensor([1.12])"
    formatting.set_printoptions(profile="default", threshold=5)
    assert fmt(np.arange(10), np.int64) == "tensor([0, 1, 2,  ..., 7, 8, 9])"
    formatting.set_printoptions(profile="default", sci_mode=False)
    assert fmt([1e-8, 1e8]) == "tensor([        0.0000, 100000000.0000])"


def test_edgeitems_zero_shows_only_the_size():
    formatting.set_printoptions(edgeitems=0)
    assert fmt(np.arange(2000), np.int64) == "tensor([...], size=(2000,))"


def test_printoptions_context_restores():
    with formatting.printoptions(precision=1):
        assert fmt([0.25]) == "tensor([0.2])"  # round half to even
    assert formatting.get_printoptions() == DEFAULTS
