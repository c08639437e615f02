"""minigrad.random against PyTorch 2.13: after the same seed, the same calls give the same values, bit for bit,
and the generator ends in the same state (the bytes of torch.get_rng_state())."""
import math

import numpy as np
import pytest

torch = pytest.importorskip("torch")
if torch.backends.cpu.get_cpu_capability() not in ("AVX2", "AVX512"):
    pytest.skip("minigrad.random reproduces torch's x86-64 AVX2/AVX512 CPU kernels", allow_module_level=True)

from minigrad import random as mr  # noqa: E402

SEEDS = [0, 1, 42, 2024, 123456789, 2**32 + 7, 2**63 + 11, -3]
SIZES = list(range(1, 41)) + [100, 1000, 784 * 256]
DTYPES = [(np.float32, torch.float32), (np.float64, torch.float64)]


def seed_both(seed):
    torch.manual_seed(seed)
    mr.manual_seed(seed)


def assert_same(ours, theirs, what=""):
    theirs = theirs.numpy()
    assert ours.dtype == theirs.dtype and ours.shape == theirs.shape, what
    mismatched = np.flatnonzero(~((ours == theirs) | (np.isnan(ours) & np.isnan(theirs))).ravel()) \
        if ours.dtype.kind == "f" else np.flatnonzero((ours != theirs).ravel())
    assert mismatched.size == 0, f"{what}: {mismatched.size} values differ, first at {mismatched[:5]}"


def assert_same_state():
    assert np.array_equal(mr.get_rng_state(), torch.get_rng_state().numpy())


@pytest.mark.parametrize("size", SIZES)
@pytest.mark.parametrize("np_dtype, torch_dtype", DTYPES, ids=["float32", "float64"])
def test_rand_and_randn(size, np_dtype, torch_dtype):
    for seed in SEEDS[:3] if size > 1000 else SEEDS:
        seed_both(seed)
        assert_same(mr.uniform((size,), np_dtype), torch.rand(size, dtype=torch_dtype), f"rand seed={seed}")
        assert_same(mr.normal((size,), np_dtype), torch.randn(size, dtype=torch_dtype), f"randn seed={seed}")
        assert_same_state()


@pytest.mark.parametrize("shape", [(), (2, 3), (4, 4), (3, 5, 7), (64, 784), (1, 1, 17)])
def test_shapes(shape):
    seed_both(5)
    assert_same(mr.normal(shape, np.float32), torch.randn(shape))
    assert_same(mr.uniform(shape, np.float64), torch.rand(shape, dtype=torch.float64))
    assert_same(mr.randint(0, 10, shape), torch.randint(0, 10, shape))


@pytest.mark.parametrize("fan_in, fan_out", [(1, 1), (2, 3), (10, 5), (784, 256), (256, 10), (1000, 17)])
def test_linear_layer_initialisation(fan_in, fan_out):
    """nn.Linear draws its weight with kaiming_uniform_(a=sqrt(5)) and then its bias, both through uniform_."""
    for seed in SEEDS[:4]:
        seed_both(seed)
        layer = torch.nn.Linear(fan_in, fan_out)
        gain = math.sqrt(2.0 / (1 + math.sqrt(5) ** 2))  # torch.nn.init.calculate_gain("leaky_relu", sqrt(5))
        weight_bound = math.sqrt(3.0) * (gain / math.sqrt(fan_in))
        bias_bound = 1 / math.sqrt(fan_in)
        weight = mr.uniform((fan_out, fan_in), np.float32, -weight_bound, weight_bound)
        bias = mr.uniform((fan_out,), np.float32, -bias_bound, bias_bound)
        assert_same(weight, layer.weight.detach(), f"weight seed={seed}")
        assert_same(bias, layer.bias.detach(), f"bias seed={seed}")


@pytest.mark.parametrize("np_dtype, torch_dtype", DTYPES, ids=["float32", "float64"])
@pytest.mark.parametrize("low, high", [(-0.1, 0.1), (0.0, 1.0), (-3.7, 12.25), (1e-3, 2e-3), (-1e6, 1e6),
                                       (2.0, 2.0), (-1e-39, 1e-39), (0.1, 0.30000001)])
def test_uniform_with_bounds(low, high, np_dtype, torch_dtype):
    for seed in SEEDS[:4]:
        for size in (1, 7, 16, 1000):
            seed_both(seed)
            theirs = torch.empty(size, dtype=torch_dtype).uniform_(low, high)
            assert_same(mr.uniform((size,), np_dtype, low, high), theirs, f"seed={seed} size={size}")


@pytest.mark.parametrize("np_dtype, torch_dtype", DTYPES, ids=["float32", "float64"])
@pytest.mark.parametrize("mean, std", [(0.0, 1.0), (1.5, 0.25), (-3.0, 7.5), (0.0, 0.01), (100.0, 1e-3),
                                       (2.0, 0.0), (0.0, math.inf), (math.nan, 1.0), (1e30, 1e-30)])
def test_normal_with_mean_and_std(mean, std, np_dtype, torch_dtype):
    for seed in SEEDS[:4]:
        for size in (1, 2, 5, 15, 16, 17, 31, 33, 1000, 1003):
            seed_both(seed)
            theirs = torch.empty(size, dtype=torch_dtype).normal_(mean, std)
            assert_same(mr.normal((size,), np_dtype, mean, std), theirs, f"seed={seed} size={size}")


def test_interleaved_calls_advance_the_generator_identically():
    for seed in SEEDS:
        seed_both(seed)
        steps = [
            (lambda: mr.uniform((3,), np.float32), lambda: torch.rand(3)),
            (lambda: mr.normal((1,), np.float32), lambda: torch.randn(1)),  # leaves a cached normal
            (lambda: mr.normal((20,), np.float32), lambda: torch.randn(20)),  # blocks ignore the cache
            (lambda: mr.normal((3,), np.float64), lambda: torch.randn(3, dtype=torch.float64)),  # uses it
            (lambda: mr.uniform((5,), np.float64, -1, 1), lambda: torch.empty(5, dtype=torch.float64).uniform_(-1, 1)),
            (lambda: mr.randint(-5, 5, (7,)), lambda: torch.randint(-5, 5, (7,))),
            (lambda: mr.randperm(30), lambda: torch.randperm(30)),
            (lambda: mr.normal((100,), np.float64, 2, 3), lambda: torch.empty(100, dtype=torch.float64).normal_(2, 3)),
            (lambda: mr.uniform((1000,), np.float32), lambda: torch.rand(1000)),
            (lambda: mr.normal((2,), np.float32, 1, 2), lambda: torch.empty(2).normal_(1, 2)),
            (lambda: mr.randint(0, 2**40, (3,)), lambda: torch.randint(0, 2**40, (3,))),
        ] * 3
        for index, (ours, theirs) in enumerate(steps):
            assert_same(ours(), theirs(), f"seed={seed} step={index}")
            assert_same_state()


def test_state_moves_between_the_libraries():
    torch.manual_seed(77)
    torch.rand(700)  # part way through the second block of twister words
    torch.randn(1)  # with a cached normal
    mr.set_rng_state(torch.get_rng_state().numpy())
    assert_same(mr.normal((3,), np.float64), torch.randn(3, dtype=torch.float64))
    assert_same(mr.uniform((2000,), np.float32), torch.rand(2000))
    torch.set_rng_state(torch.from_numpy(mr.get_rng_state()))
    assert_same(mr.normal((50,), np.float32), torch.randn(50))
    assert_same_state()


def test_fresh_and_explicit_generators():
    ours, theirs = mr.Generator(), torch.Generator()
    assert ours.initial_seed() == theirs.initial_seed() == 67280421310721
    assert np.array_equal(ours.get_state(), theirs.get_state().numpy())
    assert_same(mr.normal((40,), np.float32, generator=ours), torch.randn(40, generator=theirs))
    assert ours.manual_seed(9) is ours and theirs.manual_seed(9) is theirs
    assert_same(mr.randperm(50, generator=ours), torch.randperm(50, generator=theirs))
    assert np.array_equal(ours.get_state(), theirs.get_state().numpy())


@pytest.mark.parametrize("seed", SEEDS)
def test_seed_values(seed):
    assert mr.manual_seed(seed).initial_seed() == torch.manual_seed(seed).initial_seed()
    assert mr.initial_seed() == torch.initial_seed()


def test_non_contiguous_normal_uses_the_scalar_method_in_memory_order():
    seed_both(3)
    theirs = torch.empty(4, 8).t().normal_()  # an (8, 4) view whose memory is the (4, 8) buffer
    ours = mr.normal((32,), np.float32, contiguous=False)
    assert_same(ours, theirs.t().contiguous().reshape(-1))


@pytest.mark.parametrize("low, high", [(0, 1), (0, 2), (-5, 5), (3, 1000), (0, 2**28 - 1), (0, 2**28),
                                       (5, 5 + 2**28), (-2**27, 2**27 - 1), (-2**31, 2**31), (0, 2**32 - 1),
                                       (0, 2**32), (-2**40, 2**40), (-2**63, 2**63 - 1), (2**62, 2**63 - 1)])
def test_randint(low, high):
    for seed in SEEDS[:4]:
        for size in (1, 5, 1000):
            seed_both(seed)
            assert_same(mr.randint(low, high, (size,)), torch.randint(low, high, (size,)), f"seed={seed}")


@pytest.mark.parametrize("n", list(range(0, 41)) + [100, 1000, 60000])
def test_randperm(n):
    for seed in SEEDS[:3]:
        seed_both(seed)
        assert_same(mr.randperm(n), torch.randperm(n), f"seed={seed}")
        assert_same_state()


ERROR_CASES = [
    ("uniform_ reversed", lambda: mr.uniform((3,), np.float32, 1, 0), lambda: torch.empty(3).uniform_(1, 0)),
    ("uniform_ reversed double", lambda: mr.uniform((3,), np.float64, 1 / 3, 0.1),
     lambda: torch.empty(3, dtype=torch.float64).uniform_(1 / 3, 0.1)),
    ("uniform_ too wide", lambda: mr.uniform((3,), np.float32, -3e38, 3e38),
     lambda: torch.empty(3).uniform_(-3e38, 3e38)),
    ("uniform_ too wide double", lambda: mr.uniform((3,), np.float64, -1.7e308, 1.7e308),
     lambda: torch.empty(3, dtype=torch.float64).uniform_(-1.7e308, 1.7e308)),
    ("uniform_ from nan", lambda: mr.uniform((3,), np.float32, math.nan, 1),
     lambda: torch.empty(3).uniform_(math.nan, 1)),
    ("uniform_ to inf", lambda: mr.uniform((3,), np.float64, 0, math.inf),
     lambda: torch.empty(3, dtype=torch.float64).uniform_(0, math.inf)),
    ("uniform_ below float", lambda: mr.uniform((3,), np.float32, -3.5e38, 0),
     lambda: torch.empty(3).uniform_(-3.5e38, 0)),
    ("uniform_ empty", lambda: mr.uniform((0,), np.float32, 1, 0), lambda: torch.empty(0).uniform_(1, 0)),
    ("uniform_ long", lambda: mr.uniform((3,), np.int64), lambda: torch.empty(3, dtype=torch.long).uniform_()),
    ("uniform_ bool", lambda: mr.uniform((3,), np.bool_), lambda: torch.empty(3, dtype=torch.bool).uniform_()),
    ("normal_ negative std", lambda: mr.normal((3,), np.float32, 0, -1), lambda: torch.empty(3).normal_(0, -1)),
    ("normal_ nan std", lambda: mr.normal((3,), np.float32, 0, math.nan), lambda: torch.empty(3).normal_(0, math.nan)),
    ("normal_ std -0.5", lambda: mr.normal((20,), np.float64, 0, -0.5),
     lambda: torch.empty(20, dtype=torch.float64).normal_(0, -0.5)),
    ("normal_ empty", lambda: mr.normal((0,), np.float32, 0, -1), lambda: torch.empty(0).normal_(0, -1)),
    ("normal_ long", lambda: mr.normal((20,), np.int64), lambda: torch.empty(20, dtype=torch.long).normal_()),
    ("randint empty range", lambda: mr.randint(5, 5, (3,)), lambda: torch.randint(5, 5, (3,))),
    ("randint reversed", lambda: mr.randint(5, 3, (3,)), lambda: torch.randint(5, 3, (3,))),
    ("randint zero high", lambda: mr.randint(0, 0, (3,)), lambda: torch.randint(0, (3,))),
    ("randperm negative", lambda: mr.randperm(-1), lambda: torch.randperm(-1)),
    ("seed overflow", lambda: mr.manual_seed(2**64), lambda: torch.manual_seed(2**64)),
    ("seed underflow", lambda: mr.manual_seed(-2**63 - 1), lambda: torch.manual_seed(-2**63 - 1)),
    ("generator seed float", lambda: mr.Generator().manual_seed(1.5), lambda: torch.Generator().manual_seed(1.5)),
    ("state short", lambda: mr.set_rng_state(np.zeros(10, np.uint8)),
     lambda: torch.set_rng_state(torch.zeros(10, dtype=torch.uint8))),
    ("state unseeded", lambda: mr.set_rng_state(np.zeros(5056, np.uint8)),
     lambda: torch.set_rng_state(torch.zeros(5056, dtype=torch.uint8))),
    ("state float", lambda: mr.set_rng_state(np.zeros(5056, np.float32)),
     lambda: torch.set_rng_state(torch.zeros(5056, dtype=torch.float32))),
]


@pytest.mark.parametrize("ours, theirs", [case[1:] for case in ERROR_CASES], ids=[case[0] for case in ERROR_CASES])
def test_errors(ours, theirs):
    seed_both(0)
    with pytest.raises(Exception) as expected:
        theirs()
    with pytest.raises(Exception) as actual:
        ours()
    assert (type(actual.value), str(actual.value)) == (type(expected.value), str(expected.value))
    assert_same_state()  # a refused call draws nothing and changes nothing
