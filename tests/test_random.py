"""minigrad.random without PyTorch: the engine, seeding, state, the exact-arithmetic helpers, and sanity of the
distributions. Equality with PyTorch itself is checked in tests/parity/test_random_parity.py."""
import math
import subprocess
import sys
import time
from fractions import Fraction

import numpy as np
import pytest

from minigrad import random as mr

F32, F64 = np.float32, np.float64


def test_engine_is_the_standard_mt19937():
    # The C++ standard ([rand.predef]) requires the 10000th output of mt19937 seeded with 5489 to be 4123659995.
    words = mr.Generator().manual_seed(5489)._words(10000)
    assert words[0] == 3499211612 and words[-1] == 4123659995


def test_uniform_bits_come_from_the_raw_words():
    g = mr.Generator().manual_seed(5489)
    assert mr.uniform((1,), F32, generator=g)[0] == F32((3499211612 & 0xFFFFFF) / 2**24)
    words = mr.Generator().manual_seed(5489)._words(2)
    expected = ((int(words[0]) << 32 | int(words[1])) & (2**53 - 1)) / 2**53
    assert mr.uniform((1,), F64, generator=g.manual_seed(5489))[0] == expected


def test_seed_uses_its_low_32_bits_for_the_twister_but_remembers_all_64():
    a = mr.Generator().manual_seed(7)
    b = mr.Generator().manual_seed(7 + 2**32)
    assert np.array_equal(mr.uniform((50,), F32, generator=a), mr.uniform((50,), F32, generator=b))
    assert b.initial_seed() == 7 + 2**32


def test_same_seed_same_values_for_every_distribution():
    def draw():
        return [mr.uniform((5, 7), F32), mr.uniform((3,), F64, -2, 3), mr.normal((40,), F32), mr.normal((3,), F64),
                mr.normal((17,), F64, 1.0, 0.5), mr.randint(-3, 9, (4, 4)), mr.randperm(20)]

    mr.manual_seed(123)
    first = draw()
    mr.manual_seed(123)
    second = draw()
    for a, b in zip(first, second):
        assert a.dtype == b.dtype and a.shape == b.shape and np.array_equal(a, b)
    assert [a.shape for a in first] == [(5, 7), (3,), (40,), (3,), (17,), (4, 4), (20,)]
    assert [a.dtype for a in first] == [F32, F64, F32, F64, F64, np.int64, np.int64]


def test_different_seeds_differ():
    mr.manual_seed(1)
    a = mr.normal((100,), F32)
    mr.manual_seed(2)
    assert not np.array_equal(a, mr.normal((100,), F32))


def test_seed_values():
    assert mr.Generator().initial_seed() == 67280421310721
    g = mr.manual_seed(-1)
    assert g is mr.default_generator and mr.initial_seed() == 2**64 - 1
    assert mr.manual_seed(2.7).initial_seed() == 2  # torch.manual_seed calls int() first
    assert mr.manual_seed("5").initial_seed() == 5
    with pytest.raises(RuntimeError, match="^manual_seed expected a long, but got float$"):
        mr.Generator().manual_seed(1.5)
    for bad in (2**64, -2**63 - 1):
        with pytest.raises(ValueError, match="^Overflow when unpacking long long$"):
            mr.manual_seed(bad)
    assert mr.initial_seed() == 5  # a refused seed leaves the generator as it was


def test_seed_is_fresh_entropy():
    seeds = {mr.seed() for _ in range(20)}
    assert len(seeds) == 20 and mr.initial_seed() in seeds
    assert all(0 <= s < 2**64 for s in seeds)


def test_each_process_starts_from_its_own_seed():
    code = "import minigrad.random as r; print(r.initial_seed(), r.uniform((1,), 'float64')[0])"
    outputs = {subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
               for _ in range(2)}
    assert len(outputs) == 2


def test_state_round_trip_replays_the_same_values():
    g = mr.Generator().manual_seed(99)
    mr.normal((1,), F64, generator=g)  # leaves the second Box-Muller value cached
    saved = g.get_state()
    assert saved.dtype == np.uint8 and saved.shape == (5056,)
    first = [mr.normal((1,), F64, generator=g), mr.normal((20,), F32, generator=g), mr.randperm(9, generator=g)]
    g.set_state(saved)
    again = [mr.normal((1,), F64, generator=g), mr.normal((20,), F32, generator=g), mr.randperm(9, generator=g)]
    assert all(np.array_equal(a, b) for a, b in zip(first, again))
    assert g.initial_seed() == 99


def test_state_fields():
    g = mr.Generator().manual_seed(5)
    fresh = np.frombuffer(g.get_state().tobytes(), mr._STATE)[0]
    assert (fresh["seed"], fresh["left"], fresh["seeded"], fresh["next"]) == (5, 1, 1, 0)
    assert fresh["key"][0] == 5 and fresh["normal_valid"] == 0
    mr.uniform((3,), F32, generator=g)
    after = np.frombuffer(g.get_state().tobytes(), mr._STATE)[0]
    assert (after["left"], after["next"]) == (622, 3)
    g.set_state(g.get_state())  # a state read back in describes the same position
    assert np.array_equal(np.frombuffer(g.get_state().tobytes(), mr._STATE)[0]["key"], after["key"])


def test_module_level_state_functions():
    mr.manual_seed(3)
    saved = mr.get_rng_state()
    a = mr.uniform((10,), F32)
    mr.set_rng_state(saved)
    assert np.array_equal(a, mr.uniform((10,), F32))


def test_bad_states_are_refused_without_change():
    g = mr.Generator().manual_seed(11)
    before = g.get_state()
    with pytest.raises(TypeError, match="^RNG state must be a torch.ByteTensor$"):
        g.set_state(before.astype(np.float32))
    with pytest.raises(RuntimeError, match="^Expected a CPUGeneratorImplState of size 5056 but found the input RNG "
                                           "state size to be 10$"):
        g.set_state(np.zeros(10, np.uint8))
    with pytest.raises(RuntimeError, match="^Invalid mt19937 state$"):
        g.set_state(np.zeros(5056, np.uint8))  # `seeded` is 0
    assert np.array_equal(g.get_state(), before)


def test_scalar_normals_come_in_pairs():
    g = mr.Generator().manual_seed(8)
    pairs = mr.normal((4,), F64, generator=g)
    g.manual_seed(8)
    singles = [mr.normal((1,), F64, generator=g)[0] for _ in range(4)]
    assert np.array_equal(pairs, singles)
    g.manual_seed(8)
    mr.normal((1,), F64, generator=g)
    g.manual_seed(8)  # reseeding forgets the cached second value
    assert mr.normal((1,), F64, generator=g)[0] == singles[0]


def test_large_normal_draws_all_uniforms_then_redoes_the_ragged_end():
    g = mr.Generator().manual_seed(4)
    out = mr.normal((20,), F32, generator=g)  # 20 uniforms, then 16 fresh ones for values 4..19
    after = mr.uniform((1,), F32, generator=g)
    g.manual_seed(4)
    block = mr.normal((16,), F32, generator=g)  # the same first 16 uniforms
    mr.uniform((4,), F32, generator=g)
    tail = mr.normal((16,), F32, generator=g)
    assert np.array_equal(out[:4], block[:4]) and np.array_equal(out[4:], tail)
    assert np.array_equal(after, mr.uniform((1,), F32, generator=g))


def test_non_contiguous_normals_use_the_scalar_method():
    g = mr.Generator().manual_seed(6)
    scattered = mr.normal((4, 8), F32, generator=g, contiguous=False)
    g.manual_seed(6)
    assert np.array_equal(scattered.ravel(), np.concatenate([mr.normal((8,), F32, generator=g) for _ in range(4)]))


def test_uniform_range_and_moments():
    mr.manual_seed(0)
    for dtype in (F32, F64):
        x = mr.uniform((200_000,), dtype, -2.0, 3.0)
        assert x.min() >= -2.0 and x.max() < 3.0
        assert abs(x.mean() - 0.5) < 0.02 and abs(x.var() - 25 / 12) < 0.03
    assert np.all(mr.uniform((5,), F32, 1.5, 1.5) == 1.5)


def test_normal_moments():
    mr.manual_seed(0)
    for dtype in (F32, F64):
        for n, contiguous in ((200_000, True), (4000, False)):
            x = mr.normal((n,), dtype, 1.0, 2.0, contiguous=contiguous)
            tol = 5 * 2.0 / math.sqrt(n)
            assert abs(x.mean() - 1.0) < tol and abs(x.std() - 2.0) < tol
    assert np.all(mr.normal((30,), F32, 4.0, 0.0) == 4.0)


def test_randint_and_randperm():
    mr.manual_seed(0)
    x = mr.randint(-5, 5, (10_000,))
    assert x.dtype == np.int64 and x.min() == -5 and x.max() == 4
    g = mr.Generator().manual_seed(1)
    words = mr.Generator().manual_seed(1)._words(4)
    assert np.array_equal(mr.randint(0, 2**28 - 1, (2,), generator=g), words[:2] % (2**28 - 1))  # one word each
    pairs = words[0::2] << np.uint64(32) | words[1::2]
    assert np.array_equal(mr.randint(0, 2**28, (2,), generator=g.manual_seed(1)), pairs % 2**28)  # two words each
    big = mr.randint(0, 2**40, (1000,))
    assert big.min() >= 0 and big.max() < 2**40 and big.max() > 2**33
    assert mr.randint(-2**63, 2**63 - 1, (4,)).dtype == np.int64
    for n in (0, 1, 2, 17, 1000):
        assert sorted(mr.randperm(n).tolist()) == list(range(n))


def test_errors_match_torch_text():
    cases = [
        (lambda: mr.uniform((3,), F32, 1, 0), RuntimeError,
         "uniform_ expects to return a [from, to) range, but found from=1 > to=0"),
        (lambda: mr.uniform((3,), F32, 1 / 3, 0.1), RuntimeError,
         "uniform_ expects to return a [from, to) range, but found from=0.333333 > to=0.1"),
        (lambda: mr.uniform((3,), F32, -3e38, 3e38), RuntimeError,
         "uniform_ expects to-from <= std::numeric_limits<Float>::max(), but found to=3e+38 and from=-3e+38 which "
         "result in to-from to exceed the limit"),
        (lambda: mr.uniform((3,), F32, float("nan"), 1), RuntimeError, "from is out of bounds for float"),
        (lambda: mr.uniform((3,), F64, 0, float("inf")), RuntimeError, "to is out of bounds for double"),
        (lambda: mr.uniform((3,), np.int64), NotImplementedError,
         "\"check_uniform_bounds\" not implemented for 'Long'"),
        (lambda: mr.normal((3,), F32, 0, -1), RuntimeError, "normal expects std >= 0.0, but found std -1"),
        (lambda: mr.normal((3,), F32, 0, float("nan")), RuntimeError, "normal expects std >= 0.0, but found std nan"),
        (lambda: mr.normal((3,), np.bool_), NotImplementedError, "\"normal_kernel_cpu\" not implemented for 'Bool'"),
        (lambda: mr.randint(5, 5, (3,)), RuntimeError,
         "random_ expects 'from' to be less than 'to', but got from=5 >= to=5"),
        (lambda: mr.randperm(-1), RuntimeError, "Trying to create tensor with negative dimension -1: [-1]"),
    ]
    for call, kind, text in cases:
        mr.manual_seed(0)
        before = mr.get_rng_state()
        with pytest.raises(kind) as info:
            call()
        assert str(info.value) == text
        assert np.array_equal(mr.get_rng_state(), before)  # nothing was drawn


def _exact(values):
    return [Fraction(float(v)) for v in values]


def _nearest_f32(exact):
    """The float32 nearest to a Fraction, ties to even (a float64 in between could round twice)."""
    guess = F32(float(exact))
    candidates = [np.nextafter(guess, F32(-np.inf)), guess, np.nextafter(guess, F32(np.inf))]
    return min(candidates, key=lambda v: (abs(Fraction(float(v)) - exact), int(v.view(np.int32)) & 1))


def test_fma32_rounds_once():
    rng = np.random.default_rng(1)
    a, b, c = (rng.standard_normal(2000).astype(F32) for _ in range(3))
    # 641 * 6700417 = 2**32 + 1, so a*b = 2**-24 + 2**-56: a*b + 1 lies a hair above the midpoint between 1 and the
    # next float32. In float64 the hair is lost, and rounding that exact midpoint to even would give 1.
    a[:4], b[:4], c[:4] = F32(641 * 2.0**-28), F32(6700417 * 2.0**-28), [1.0, -1.0, 2.0**-10, 3.0]
    b[1] = -b[1]
    got = mr._fma32(a, b, c)
    want = np.array([_nearest_f32(x * y + z) for x, y, z in zip(_exact(a), _exact(b), _exact(c))], dtype=F32)
    assert np.array_equal(got, want)
    assert got[0] == np.nextafter(F32(1), F32(2)) and got[1] == -got[0]
    assert (a[:2].astype(F64) * b[:2] + c[:2]).astype(F32)[0] == 1  # what two roundings would have said


def test_fma64_rounds_once():
    rng = np.random.default_rng(2)
    a, b, c = rng.random(5000), rng.standard_normal(5000) * 3, rng.standard_normal(5000)
    got = mr._fma64(a, b, c)
    want = [float(x * y + z) for x, y, z in zip(_exact(a), _exact(b), _exact(c))]  # Fraction -> float rounds once
    assert np.array_equal(got, want)
    assert not np.array_equal(got, a * b + c)  # the fused result really differs from two roundings somewhere


def test_float32_log_and_sincos_are_accurate():
    x = np.linspace(2.0**-24, 1.0, 100_001, dtype=F32)
    assert np.allclose(mr._log_f32(x), np.log(x.astype(F64)), rtol=3e-7, atol=1e-7)
    theta = np.linspace(0.0, 2 * math.pi, 100_001, dtype=F32)
    sin, cos = mr._sincos_f32(theta)
    assert np.allclose(sin, np.sin(theta.astype(F64)), atol=2e-7)
    assert np.allclose(cos, np.cos(theta.astype(F64)), atol=2e-7)


def test_large_draws_are_vectorised():
    mr.manual_seed(0)
    start = time.perf_counter()
    mr.normal((784 * 256,), F32)
    mr.uniform((784 * 256,), F32, -0.1, 0.1)
    # Well above the ~20 ms this takes; a Python loop per element would take seconds.
    assert time.perf_counter() - start < 1.0
