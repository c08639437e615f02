"""minigrad.formatting against the repr of real PyTorch tensors.

The layout is compared with dtype names spelled exactly as PyTorch spells
them ("torch.float64"), so every character, line break included, must agree.
"""

import math

import numpy as np
import pytest

torch = pytest.importorskip("torch")
hypothesis = pytest.importorskip("hypothesis")
from hypothesis import given, settings, strategies as st  # noqa: E402

from minigrad import formatting  # noqa: E402
from minigrad.formatting import format_tensor, needs_dtype_suffix  # noqa: E402

NAN, INF = math.nan, math.inf


@pytest.fixture(autouse=True)
def default_print_options():
    yield
    torch.set_printoptions(profile="default")
    formatting.set_printoptions(profile="default")


def suffixes_of(t):
    """The autograd suffix PyTorch would add, taken from the torch tensor."""
    if t.grad_fn is not None:
        return [f"grad_fn=<{type(t.grad_fn).__name__}>"]
    if t.requires_grad:
        return ["requires_grad=True"]
    return []


def minigrad_repr(t, dtype_prefix="torch."):
    """format_tensor's output, naming dtypes with the given prefix."""
    data = t.detach().numpy()
    shown = needs_dtype_suffix(data.dtype) or data.size == 0
    name = dtype_prefix + str(t.dtype).removeprefix("torch.") if shown else None
    return format_tensor(data, dtype_name=name, suffixes=suffixes_of(t))


def assert_same(t, options=None):
    options = options or {}
    torch.set_printoptions(**options)
    formatting.set_printoptions(**options)
    assert minigrad_repr(t) == repr(t)


def rng():
    return np.random.default_rng(0)


def t_(values, dtype=None, requires_grad=False):
    return torch.tensor(values, dtype=dtype, requires_grad=requires_grad)


def randn(*shape, dtype=np.float32, scale=1.0):
    return torch.from_numpy((rng().standard_normal(shape) * scale).astype(dtype))


def randint(*shape, low=-100, high=100):
    return torch.from_numpy(rng().integers(low, high, size=shape, dtype=np.int64))


CASES = {
    # 0-d tensors
    "scalar_int_valued": (lambda: t_(27.0), None),
    "scalar_fraction": (lambda: t_(3.14159), None),
    "scalar_tiny": (lambda: t_(1e-7), None),
    "scalar_huge": (lambda: t_(3e12), None),
    "scalar_nan": (lambda: t_(NAN), None),
    "scalar_neg_inf": (lambda: t_(-INF), None),
    "scalar_neg_zero": (lambda: t_(-0.0), None),
    "scalar_int64": (lambda: t_(-12), None),
    "scalar_bool": (lambda: t_(True), None),
    "scalar_float64": (lambda: t_(2.5, torch.float64), None),
    "scalar_requires_grad": (lambda: t_(2.0, requires_grad=True), None),
    # fixed point, int mode and alignment
    "point_one_float32": (lambda: t_([0.1, 0.2, 0.3]), None),
    "point_one_float64": (lambda: t_([0.1, 0.2, 0.3], torch.float64), None),
    "ones_2x2": (lambda: torch.ones(2, 2), None),
    "mixed_width": (lambda: t_([1.5, -123.25, 7.0]), None),
    "int_valued_mixed_sign": (lambda: t_([-1.0, 20.0, 300.0]), None),
    "rounding_half": (lambda: t_([0.00005, 0.00015, 1.0]), None),
    "randn_4": (lambda: randn(4), None),
    "randn_3x5": (lambda: randn(3, 5), None),
    "randn_2x3x4": (lambda: randn(2, 3, 4), None),
    "randn_2x2x2x2": (lambda: randn(2, 2, 2, 2), None),
    "randn_float64_3x3": (lambda: randn(3, 3, dtype=np.float64), None),
    # scientific notation switch
    "sci_small": (lambda: t_([1e-5, 1.0]), None),
    "sci_ratio": (lambda: t_([1.0, 1001.0]), None),
    "no_sci_ratio_1000": (lambda: t_([1.0, 1000.0]), None),
    "no_sci_min_1e-4_float64": (lambda: t_([1e-4, 1e-3], torch.float64), None),
    "sci_min_1e-4_float32": (lambda: t_([1e-4, 1e-3]), None),  # float32(1e-4) < 1e-4
    "no_sci_max_1e8": (lambda: t_([1e8, 1e6]), None),
    "sci_large": (lambda: t_([1e9, 1.0]), None),
    "sci_above_1e8": (lambda: t_([2e8, 3e8]), None),
    "sci_int_valued": (lambda: t_([1e10, 2e10]), None),
    "sci_with_nan_inf": (lambda: t_([1e-6, NAN, INF, -INF, 0.0]), None),
    "sci_float64_extremes": (lambda: t_([1e-300, 1e300], torch.float64), None),
    "subnormal_float32": (lambda: t_([1e-45, 1.0]), None),
    "float32_max": (lambda: t_([3.4028235e38, -1.0]), None),
    # special values
    "nan_inf_fraction": (lambda: t_([NAN, INF, -INF, -0.0, 1.5]), None),
    "inf_wider_than_ints": (lambda: t_([1.0, -INF]), None),
    "all_nan": (lambda: t_([NAN, NAN]), None),
    "zeros_and_neg_zero": (lambda: t_([-0.0, 0.0]), None),
    "neg_zero_fraction": (lambda: t_([-0.0, 0.5]), None),
    "zeros_3d": (lambda: torch.zeros(2, 2, 2), None),
    # integers and bools
    "int64_align": (lambda: t_([1, -10, 100]), None),
    "int64_big": (lambda: t_([2**62, -(2**62)]), None),
    "int64_matrix": (lambda: randint(4, 6), None),
    "int32_dtype": (lambda: t_([1, 2], torch.int32), None),
    "int16_dtype": (lambda: t_([1, -2], torch.int16), None),
    "uint8_dtype": (lambda: t_([1, 255], torch.uint8), None),
    "float16_dtype": (lambda: t_([0.1, 1000.0], torch.float16), None),
    "bool_vector": (lambda: t_([True, False, True]), None),
    "bool_matrix": (lambda: t_([[True], [False]]), None),
    # empty tensors
    "empty_float32": (lambda: torch.empty(0), None),
    "empty_float64": (lambda: torch.empty(0, dtype=torch.float64), None),
    "empty_int64_2d": (lambda: torch.empty(0, 3, dtype=torch.int64), None),
    "empty_bool": (lambda: torch.empty(0, dtype=torch.bool), None),
    "empty_2x0_requires_grad": (lambda: torch.empty(2, 0, requires_grad=True), None),
    "empty_3d": (lambda: torch.empty(2, 0, 4), None),
    # line wrapping
    "wrap_arange_30": (lambda: torch.arange(30.0), None),
    "wrap_randn_40": (lambda: randn(40), None),
    "wrap_int_100": (lambda: torch.arange(100), None),
    "wrap_rows_2x40": (lambda: randn(2, 40), None),
    "wrap_bool_30": (lambda: torch.from_numpy(rng().random(30) < 0.5), None),
    "wrap_sci_20": (lambda: randn(20, scale=1e-6), None),
    # summarisation
    "summary_arange_2000": (lambda: torch.arange(2000), None),
    "summary_randn_1001": (lambda: randn(1001), None),
    "summary_2d_40x50": (lambda: torch.arange(2000.0).reshape(40, 50), None),
    "summary_2d_wide_rows": (lambda: randn(2, 600), None),
    "summary_2d_tall": (lambda: randn(600, 2), None),
    "summary_3d_20": (lambda: torch.arange(8000).reshape(20, 20, 20), None),
    "summary_3d_short_dims": (lambda: randn(2, 3, 200), None),
    "summary_4d": (lambda: randn(8, 8, 8, 8), None),
    "summary_width_from_edges": (lambda: torch.cat([randn(3), t_([1e6] * 1000), randn(3)]), None),
    "threshold_exactly_1000": (lambda: torch.arange(1000), None),
    # suffixes and their wrapping
    "requires_grad": (lambda: t_([1.0, 2.0], requires_grad=True), None),
    "grad_fn_mul": (lambda: t_([1.0, 2.0], requires_grad=True) * 2, None),
    "grad_fn_sum": (lambda: t_([1.0, 2.0], requires_grad=True).sum(), None),
    "float64_requires_grad": (lambda: t_([1.0, 2.0], torch.float64, requires_grad=True), None),
    "suffix_wraps": (lambda: torch.arange(14.0, requires_grad=True), None),
    "suffix_just_fits": (lambda: torch.arange(13.0, requires_grad=True), None),
    "suffix_boundary_wraps": (lambda: torch.ones(13, requires_grad=True), None),
    "grad_fn_boundary_wraps": (lambda: torch.full((10,), 10.0, requires_grad=True) * 1, None),
    "dtype_boundary_fits": (lambda: torch.full((10,), 10.0, dtype=torch.float64), None),
    "suffix_boundary_2d": (lambda: -torch.ones(2, 10, requires_grad=True), None),
    "dtype_wraps": (lambda: torch.arange(14.0, dtype=torch.float64), None),
    "second_suffix_wraps": (lambda: torch.arange(12.0, dtype=torch.float64, requires_grad=True) * 1, None),
    "two_suffixes_both_wrap": (lambda: torch.arange(14.0, dtype=torch.float64, requires_grad=True) * 1,
                               dict(linewidth=45)),
    "suffix_after_multiline": (lambda: torch.arange(30.0, requires_grad=True) * 1.5, None),
    "suffix_after_matrix": (lambda: torch.ones(3, 17, dtype=torch.float64, requires_grad=True), None),
    # print options
    "precision_2": (lambda: randn(5), dict(precision=2)),
    "precision_0": (lambda: t_([1.5, 2.25, -0.4]), dict(precision=0)),
    "precision_8_float64": (lambda: randn(3, dtype=np.float64), dict(precision=8)),
    "sci_forced_on": (lambda: t_([1.0, 2.5]), dict(sci_mode=True)),
    "sci_forced_on_zeros": (lambda: torch.zeros(3), dict(sci_mode=True)),
    "sci_forced_off": (lambda: t_([1e-8, 1e8]), dict(sci_mode=False)),
    "threshold_5": (lambda: torch.arange(10), dict(threshold=5)),
    "threshold_0_scalar": (lambda: t_(2.5), dict(threshold=0)),
    "threshold_0_edgeitems_0_scalar": (lambda: t_(2.5), dict(threshold=0, edgeitems=0)),
    "threshold_0_matrix": (lambda: randn(7, 7), dict(threshold=0)),
    "threshold_inf_full": (lambda: torch.arange(1200), dict(profile="full")),
    "edgeitems_1": (lambda: randn(10, 10, 10), dict(edgeitems=1)),
    "edgeitems_0_vector": (lambda: torch.arange(2000), dict(edgeitems=0)),
    "edgeitems_0_matrix": (lambda: torch.arange(2000.0).reshape(2, 1000), dict(edgeitems=0)),
    "edgeitems_0_small": (lambda: torch.arange(5), dict(edgeitems=0)),
    "linewidth_40": (lambda: randn(20), dict(linewidth=40)),
    "linewidth_tiny": (lambda: randn(2, 5), dict(linewidth=5)),
    "linewidth_suffix": (lambda: t_([1.0, 2.0], requires_grad=True), dict(linewidth=20)),
    "profile_short": (lambda: randn(2000), dict(profile="short")),
    "profile_short_precision": (lambda: randn(4), dict(profile="short", precision=5)),
}


@pytest.mark.parametrize("name", sorted(CASES))
def test_repr_matches_torch(name):
    make, options = CASES[name]
    assert_same(make(), options)


# "minigrad.float64" is 3 characters longer than "torch.float64", but the
# line breaks are PyTorch's: where its suffix just fits, minigrad's line is
# 3 characters longer rather than broken somewhere PyTorch does not break it.
@pytest.mark.parametrize("name", sorted(CASES))
def test_minigrad_names_match_torch_output_renamed(name):
    make, options = CASES[name]
    t = make()
    torch.set_printoptions(**(options or {}))
    formatting.set_printoptions(**(options or {}))
    renamed = repr(t).replace("torch.", "minigrad.")
    assert minigrad_repr(t, "minigrad.") == renamed


def test_parameter_repr_matches_torch():
    param = torch.nn.Parameter(torch.ones(2, 3))
    mine = "Parameter containing:\n" + format_tensor(
        param.detach().numpy(), dtype_name=None, suffixes=["requires_grad=True"])
    assert mine == repr(param)


@pytest.mark.parametrize("np_dtype, torch_dtype", [
    (np.float16, torch.float16), (np.float32, torch.float32), (np.float64, torch.float64),
    (np.int8, torch.int8), (np.int16, torch.int16), (np.int32, torch.int32),
    (np.int64, torch.int64), (np.uint8, torch.uint8), (np.bool_, torch.bool),
])
def test_needs_dtype_suffix_matches_torch(np_dtype, torch_dtype):
    assert needs_dtype_suffix(np_dtype) == ("dtype=" in repr(torch.ones(2, dtype=torch_dtype)))


def test_printoptions_match_torch_internal_options():
    for kwargs in [dict(profile="short"), dict(profile="full"), dict(precision=7, sci_mode=True),
                   dict(linewidth=100), dict(profile="default")]:
        torch.set_printoptions(**kwargs)
        formatting.set_printoptions(**kwargs)
        assert formatting.get_printoptions() == torch._tensor_str.get_printoptions()


# --- random tensors ----------------------------------------------------------

SPECIALS = [NAN, INF, -INF, 0.0, -0.0, 1e-45, 5e-324, 3e38, 1e300, 0.5, -1.0, 123456.0]
SCALES = [1e-30, 1e-7, 1e-4, 1e-2, 1.0, 10.0, 1e3, 1e5, 1e8, 1e12, 1e35]


@st.composite
def tensors(draw):
    ndim = draw(st.integers(0, 3))
    if draw(st.booleans()):  # sizes around and over the summarising threshold
        shape = tuple(draw(st.integers(1, 1100 if ndim == 1 else 60)) for _ in range(ndim))
    else:
        shape = tuple(draw(st.integers(0, 6)) for _ in range(ndim))
    kind = draw(st.sampled_from(["float32", "float64", "int64", "bool"]))
    gen = np.random.default_rng(draw(st.integers(0, 2**32 - 1)))
    if kind == "bool":
        data = gen.random(shape) < 0.5
    elif kind == "int64":
        bound = 10 ** draw(st.integers(0, 18))
        data = gen.integers(-bound, bound, size=shape, dtype=np.int64)
    else:
        data = gen.standard_normal(shape) * draw(st.sampled_from(SCALES))
        if draw(st.booleans()):
            data = np.round(data)  # whole numbers: "int mode"
        with np.errstate(over="ignore"):
            data = np.asarray(data, dtype=kind)
        if data.size:
            flat = data.reshape(-1)
            for value in draw(st.lists(st.sampled_from(SPECIALS), max_size=4)):
                with np.errstate(over="ignore"):
                    flat[draw(st.integers(0, data.size - 1))] = value
    t = torch.from_numpy(np.array(data))
    autograd = draw(st.sampled_from(["none", "leaf", "op"])) if kind.startswith("float") else "none"
    if autograd != "none":
        t.requires_grad_(True)
        if autograd == "op":
            t = t * 1  # same values, now with grad_fn=<MulBackward0>
    return t


@settings(max_examples=200, deadline=None)
@given(
    t=tensors(),
    options=st.fixed_dictionaries({
        "precision": st.sampled_from([4, 4, 2, 6]),
        "linewidth": st.sampled_from([80, 80, 40, 120]),
        "edgeitems": st.sampled_from([3, 3, 1, 2]),
        "sci_mode": st.sampled_from([None, None, None, True, False]),
    }),
)
def test_random_tensors_match_torch(t, options):
    try:
        assert_same(t, options)
    finally:
        torch.set_printoptions(profile="default")
        formatting.set_printoptions(profile="default")
