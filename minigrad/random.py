"""PyTorch's CPU random numbers, reproduced bit for bit with numpy.

After ``manual_seed(s)``, ``uniform``/``normal``/``randint``/``randperm`` return exactly the values torch 2.13 gives
on an x86-64 CPU (AVX2 or better) for the same seed and the same sequence of calls. How torch makes them:

* Engine: one 32-bit Mersenne Twister (mt19937) per generator, seeded from the low 32 bits of the 64-bit seed with
  the textbook recurrence ``key[i] = 1812433253 * (key[i-1] ^ (key[i-1] >> 30)) + i``. numpy's ``MT19937`` bit
  generator runs the same twister, so we hand it that key and read raw 32-bit words. A 64-bit draw is two words,
  the first one becoming the high half.
* Uniform in [from, to): float32 keeps the low 24 bits of one word, float64 the low 53 bits of a 64-bit draw; times
  2**-24 (2**-53) that is an exact x in [0, 1). Then ``x * (to - from) + from``, which the compiled kernel evaluates
  as one fused multiply-add (fma): a single rounding, not two. numpy has no fma, so ``_fma32``/``_fma64`` build one.
* Normal, 16 or more contiguous values: Box-Muller on blocks of 16. Fill everything with uniforms u, then per block,
  for j < 8: r = sqrt(-2 log(1 - u[j])), theta = 2 pi u[j+8], out[j] = r cos(theta), out[j+8] = r sin(theta),
  scaled as fma(out, std, mean). A ragged end is redone with 16 fresh uniforms that overwrite the last 16 values.
  float32 blocks use the AVX2 polynomial log/sincos of avx_mathfun.h (Cephes); we replay that float32 arithmetic
  step by step. float64 blocks call the C library's log/cos/sin, as Python's ``math`` module does.
* Normal, fewer than 16 values (or a non-contiguous tensor): scalar Box-Muller in float64 from two 64-bit uniforms,
  r = sqrt(-2 log1p(-u2)), theta = 2 pi u1. It returns r cos(theta) and keeps r sin(theta) in the generator; the
  next scalar normal uses that cached value instead of drawing (``manual_seed`` clears it).
* randint: ``word % (high - low) + low`` with one word, or a 64-bit draw when the range is 2**28 or more.
  randperm: for i in 0..n-2 swap p[i] with p[i + word % (n - i)].

A fresh ``Generator()`` starts from seed 67280421310721; the default generator, like torch's, is seeded from the
operating system's entropy at import, so unseeded runs differ. ``get_state()`` bytes match ``torch.get_rng_state()``.
"""
import math
import operator
import os

import numpy as np

from minigrad import dtypes

_F32, _F64, _U64 = np.float32, np.float64, np.uint64
_DEFAULT_SEED = 67280421310721  # the seed of a freshly made torch.Generator()
_N = 624  # words of twister state
# Byte layout of torch's CPUGeneratorImplState, so get_state() is interchangeable with torch.get_rng_state().
# (Its float32 normal cache, at byte 5048, is never filled by the CPU kernels, so it stays zero.)
_STATE = np.dtype({"names": ["seed", "left", "seeded", "next", "key", "normal_y", "normal_valid"],
                   "formats": ["<u8", "<i4", "<i4", "<u8", ("<u8", _N), "<f8", "<i4"],
                   "offsets": [0, 8, 12, 16, 24, 5024, 5040], "itemsize": 5056})


def _seed_key(seed32):
    key = [seed32]
    for i in range(1, _N):
        key.append((1812433253 * (key[-1] ^ (key[-1] >> 30)) + i) & 0xFFFFFFFF)
    return np.array(key, dtype=np.uint32)


class Generator:
    """A CPU random generator with torch.Generator's methods; ``default_generator`` serves calls without one."""

    def __init__(self, device="cpu"):
        self.manual_seed(_DEFAULT_SEED)

    def manual_seed(self, seed):
        try:
            seed = operator.index(seed)
        except TypeError:
            from minigrad.ops.arguments import type_name

            raise RuntimeError(f"manual_seed expected a long, but got {type_name(seed)}") from None
        if not -2**63 <= seed < 2**64:
            raise ValueError("Overflow when unpacking long long")
        self._seed = seed % 2**64  # a negative seed wraps to its unsigned 64-bit pattern, as in C++
        self._bits = np.random.MT19937(0)
        # pos=624 means "state used up": the twister regenerates it before the first word, exactly as torch does.
        self._bits.state = {"bit_generator": "MT19937",
                            "state": {"key": _seed_key(self._seed & 0xFFFFFFFF), "pos": _N}}
        self._fresh = True  # nothing drawn since seeding (visible only in get_state's `next` field)
        self._next_normal = None  # the second value of the last scalar Box-Muller, kept for the next call
        return self

    def seed(self):
        """Reseed from the operating system's entropy and return the new seed."""
        new_seed = int.from_bytes(os.urandom(8), "little")
        self.manual_seed(new_seed)
        return new_seed

    def initial_seed(self):
        return self._seed

    def get_state(self):
        twister = self._bits.state["state"]
        state = np.zeros((), _STATE)
        state["seed"], state["left"], state["seeded"] = self._seed, _N + 1 - twister["pos"], 1
        state["next"], state["key"] = 0 if self._fresh else twister["pos"], twister["key"]
        if self._next_normal is not None:
            state["normal_y"], state["normal_valid"] = self._next_normal, 1
        return np.frombuffer(state.tobytes(), np.uint8).copy()

    def set_state(self, new_state):
        new_state = np.asarray(new_state)
        if new_state.dtype != np.uint8:
            raise TypeError("RNG state must be a torch.ByteTensor")
        if new_state.size != _STATE.itemsize:
            raise RuntimeError(f"Expected a CPUGeneratorImplState of size {_STATE.itemsize} but found the input RNG "
                               f"state size to be {new_state.size}")
        state = np.frombuffer(new_state.tobytes(), _STATE)[0]
        left, nxt = int(state["left"]), int(state["next"])
        if not (state["seeded"] and 0 < left <= _N and nxt <= _N):
            raise RuntimeError("Invalid mt19937 state")
        # torch reads word `next` and regenerates when `left` runs out; in every state torch makes, next == 625 - left
        # (or 0 right after seeding), so `left` alone gives numpy's position.
        key = (state["key"] & 0xFFFFFFFF).astype(np.uint32)
        self._bits.state = {"bit_generator": "MT19937", "state": {"key": key, "pos": _N + 1 - left}}
        self._seed, self._fresh = int(state["seed"]), left == 1 and nxt == 0
        self._next_normal = float(state["normal_y"]) if state["normal_valid"] else None
        return self

    def _words(self, n):
        """n raw 32-bit outputs of the twister (as uint64, so arithmetic on them cannot overflow)."""
        self._fresh = self._fresh and n == 0
        return self._bits.random_raw(n)

    def _words64(self, n):
        words = self._words(2 * n)
        return (words[0::2] << _U64(32)) | words[1::2]

    def _uniform01(self, n, dtype):
        if dtype == _F32:
            return (self._words(n) & _U64(0xFFFFFF)).astype(_F32) * _F32(2.0**-24)
        return (self._words64(n) & _U64(2**53 - 1)).astype(_F64) * 2.0**-53


default_generator = Generator()
default_generator.seed()  # like torch: every process starts from a different seed until manual_seed is called


def manual_seed(seed):
    return default_generator.manual_seed(int(seed))


def seed():
    return default_generator.seed()


def initial_seed():
    return default_generator.initial_seed()


def get_rng_state():
    return default_generator.get_state()


def set_rng_state(new_state):
    default_generator.set_state(new_state)


# ---- an exact fused multiply-add on numpy ----------------------------------------------------------------------

def _two_sum(a, b):
    """s + err == a + b exactly, s being the rounded sum (Knuth)."""
    s = a + b
    b_part = s - a
    return s, (a - (s - b_part)) + (b - b_part)


def _add_round_to_odd(a, b):
    """a + b in float64 rounded "to odd": an inexact sum gets an odd last bit. Rounding that once more to fewer
    bits gives the correctly rounded value, which rounding to nearest twice would not always give."""
    s, err = _two_sum(np.asarray(a, _F64), np.asarray(b, _F64))
    bits = np.array(s).view(np.int64)
    inexact_even = (err != 0) & ((bits & 1) == 0) & np.isfinite(s)
    bits[inexact_even] += np.where((err > 0) == (s > 0), 1, -1)[inexact_even]
    return bits.view(_F64)


def _fma32(a, b, c):
    """round_f32(a*b + c). A product of two float32 is exact in float64, so only the sum rounds, then the float32
    conversion rounds again. That double rounding errs only when the float64 sum lands exactly halfway between two
    float32 values (or among float32's tiny subnormals); those rare elements are redone with rounding to odd."""
    total = np.multiply(a, b, dtype=_F64)
    total += c
    result = total.astype(_F32)
    suspect = (total.view(np.int64) & 0x1FFFFFFF) == 0x10000000
    suspect |= (np.abs(total) < 2.0**-125) & (total != 0)
    if suspect.any():
        a, b, c = (np.broadcast_to(v, total.shape)[suspect] for v in (a, b, c))
        result[suspect] = _add_round_to_odd(np.multiply(a, b, dtype=_F64), c).astype(_F32)
    return result


def _fma64(a, b, c):
    """round_f64(a*b + c) (Boldo and Melquiond): split a*b and the sum into exact pieces, add the small pieces
    rounding to odd, and round once at the end."""
    a, b, c = np.broadcast_arrays(np.asarray(a, _F64), np.asarray(b, _F64), np.asarray(c, _F64))
    product = a * b  # product + product_err == a * b exactly (Dekker: halves of 26 bits multiply exactly)
    a_hi, b_hi = a * 134217729.0 - (a * 134217729.0 - a), b * 134217729.0 - (b * 134217729.0 - b)
    a_lo, b_lo = a - a_hi, b - b_hi
    product_err = ((a_hi * b_hi - product) + a_hi * b_lo + a_lo * b_hi) + a_lo * b_lo
    total, total_err = _two_sum(c, product)
    fused = total + _add_round_to_odd(total_err, product_err)
    return np.where(np.isfinite(fused), fused, a * b + c)  # with inf or nan there is no rounding to get right


# ---- the distributions ----------------------------------------------------------------------------------------

def _float_dtype(dtype, kernel):
    dtype = np.dtype(dtype)
    if dtype not in (_F32, _F64):
        name = dtypes._BY_NUMPY[dtype].type_word if dtype in dtypes._BY_NUMPY else dtype.name
        raise NotImplementedError(f"\"{kernel}\" not implemented for '{name}'")
    return dtype


@np.errstate(all="ignore")  # inf/nan bounds or scales give inf/nan quietly, as in torch
def uniform(shape, dtype=_F32, low=0.0, high=1.0, generator=None):
    """Samples in [low, high) as torch.rand / Tensor.uniform_ draw them, returned as a numpy array of `shape`."""
    dtype = _float_dtype(dtype, "check_uniform_bounds")
    c_name, torch_name = dtypes._BY_NUMPY[dtype].cpp_name, dtypes._BY_NUMPY[dtype].type_word
    largest = float(np.finfo(dtype).max)
    low, high = float(low), float(high)
    for value, name in ((low, "from"), (high, "to")):
        if not -largest <= value <= largest:
            raise RuntimeError(f"{name} is out of bounds for {c_name}")
    if low > high:
        raise RuntimeError(f"uniform_ expects to return a [from, to) range, but found from={low:g} > to={high:g}")
    if high - low > largest:
        raise RuntimeError(f"uniform_ expects to-from <= std::numeric_limits<{torch_name}>::max(), but found "
                           f"to={high:g} and from={low:g} which result in to-from to exceed the limit")
    x = (generator or default_generator)._uniform01(math.prod(shape), dtype)
    low, high = dtype.type(low), dtype.type(high)  # the bounds are rounded to the tensor's dtype first
    fma = _fma32 if dtype == _F32 else _fma64
    return fma(x, high - low, low).reshape(shape)


def _log_f32(x):
    """log(x) for x > 0 as avx_mathfun.h computes it in float32 (Cephes logf): x = m * 2**e with m in
    [sqrt(1/2), sqrt(2)), log x = e log 2 + log m, log(1 + f) by a polynomial. _fma32 marks each place where the
    compiler fused a multiply into the add after it."""
    bits = x.view(np.int32)
    e = ((bits >> 23) - 0x7F).astype(_F32) + _F32(1)
    m = ((bits & ~0x7F800000) | 0x3F000000).view(_F32)  # the mantissa, scaled into [0.5, 1)
    small = m < _F32(0.707106781186547524)
    f = (m - _F32(1)) + np.where(small, m, _F32(0))  # for small m use 2m - 1 and one less in the exponent
    e = e - np.where(small, _F32(1), _F32(0))
    z = f * f
    y = np.full_like(f, 7.0376836292E-2)
    for coef in (-1.1514610310E-1, 1.1676998740E-1, -1.2420140846E-1, 1.4249322787E-1, -1.6668057665E-1,
                 2.0000714765E-1, -2.4999993993E-1, 3.3333331174E-1):
        y = _fma32(y, f, _F32(coef))
    y = _fma32(y * f, z, e * _F32(-2.12194440e-4))
    y = y - z * _F32(0.5)
    return _fma32(e, _F32(0.693359375), f + y)  # log 2 = 0.693359375 - 2.12194440e-4, split for accuracy


def _sincos_f32(x):
    """(sin x, cos x) for x >= 0 as avx_mathfun.h's sincos256_ps computes them in float32 (Cephes sinf/cosf):
    subtract the multiple j of pi/4, then a polynomial near 0 for sin and one for cos, swapped and signed by j."""
    j = (x * _F32(1.27323954473516)).astype(np.int32)  # x / (pi/4), truncated
    j = (j + 1) & ~1
    y = j.astype(_F32)
    for part in (-0.78515625, -2.4187564849853515625e-4, -3.77489497744594108e-8):  # -pi/4 in three pieces
        x = _fma32(y, _F32(part), x)
    z = x * x
    cos_poly = _fma32(_fma32(np.full_like(z, 2.443315711809948E-005), z, _F32(-1.388731625493765E-003)), z,
                      _F32(4.166664568298827E-002)) * z
    cos_poly = _fma32(cos_poly, z, z * _F32(-0.5)) + _F32(1)
    sin_poly = _fma32(_fma32(np.full_like(z, -1.9515295891E-4), z, _F32(8.3321608736E-3)), z,
                      _F32(-1.6666654611E-1)) * z
    sin_poly = _fma32(sin_poly, x, x)
    swap = (j & 2) != 0
    sin, cos = np.where(swap, cos_poly, sin_poly), np.where(swap, sin_poly, cos_poly)
    return np.where((j & 4) != 0, -sin, sin), np.where((~(j - 2) & 4) != 0, -cos, cos)


def _libm(function, values):
    """A `math` function elementwise: the C library's results, which numpy's own SIMD log does not always match."""
    return np.frompyfunc(function, 1, 1)(values).astype(_F64)


def _box_muller_blocks(u, mean, std):
    """Rows of 16 uniforms -> rows of 16 normals, with the arithmetic of torch's normal_fill_16 kernels."""
    u1, u2 = 1 - u[:, :8], u[:, 8:]  # 1 - u lies in (0, 1], safe for log
    if u.dtype == _F32:
        radius = np.sqrt(_F32(-2) * _log_f32(u1))
        sin, cos = _sincos_f32(_F32(2 * math.pi) * u2)
        fma, mean, std = _fma32, _F32(mean), _F32(std)
    else:
        radius = np.sqrt(-2 * _libm(math.log, u1))
        theta = 2 * math.pi * u2
        sin, cos, fma = _libm(math.sin, theta), _libm(math.cos, theta), _fma64
    return np.concatenate([fma(radius * cos, std, mean), fma(radius * sin, std, mean)], axis=1)


@np.errstate(all="ignore")
def normal(shape, dtype=_F32, mean=0.0, std=1.0, generator=None, contiguous=True):
    """Samples of N(mean, std**2) as torch.randn / Tensor.normal_ draw them. For a tensor whose memory is not
    contiguous torch uses the scalar method whatever the size: pass contiguous=False and place the values in the
    order the tensor's elements sit in memory."""
    mean, std = float(mean), float(std)
    if not std >= 0.0:
        raise RuntimeError(f"normal expects std >= 0.0, but found std {std:g}")
    dtype = _float_dtype(dtype, "normal_kernel_cpu")
    gen, n = generator or default_generator, math.prod(shape)
    if n >= 16 and contiguous:
        out = np.empty((n // 16, 16), dtype)
        blocks = gen._uniform01(n, dtype)[:out.size].reshape(-1, 16)
        for start in range(0, len(blocks), 2048):  # a slice at a time keeps the temporaries in the CPU cache
            out[start:start + 2048] = _box_muller_blocks(blocks[start:start + 2048], mean, std)
        out = out.ravel()
        if n % 16:
            tail = _box_muller_blocks(gen._uniform01(16, dtype).reshape(1, 16), mean, std).ravel()
            out = np.concatenate([out[:n - 16], tail])
        return out.reshape(shape)
    values = np.empty(n)
    for i in range(n):
        if gen._next_normal is None:
            u1, u2 = gen._uniform01(2, _F64).tolist()
            radius, theta = math.sqrt(-2.0 * math.log1p(-u2)), 2.0 * math.pi * u1
            values[i], gen._next_normal = radius * math.cos(theta), radius * math.sin(theta)
        else:
            values[i], gen._next_normal = gen._next_normal, None
    return _fma64(values, std, mean).astype(dtype).reshape(shape)


def randint(low, high, shape, generator=None):
    """Integers uniform in [low, high) as torch.randint draws them (int64)."""
    low, high = int(low), int(high)
    if not low < high:
        raise RuntimeError(f"random_ expects 'from' to be less than 'to', but got from={low} >= to={high}")
    gen, n, span = generator or default_generator, math.prod(shape), high - low
    words = gen._words64(n) if span >= 2**28 else gen._words(n)  # 64 bits keep `%` close to uniform
    return (words % _U64(span) + _U64(low % 2**64)).view(np.int64).reshape(shape)  # wraps mod 2**64 as in C++


def randperm(n, generator=None):
    """A random permutation of 0..n-1 as torch.randperm draws it (int64)."""
    n = operator.index(n)
    if n < 0:
        raise RuntimeError(f"Trying to create tensor with negative dimension {n}: [{n}]")
    gen, perm = generator or default_generator, list(range(n))
    if n < 0xFFFFFFFF // 20:
        picks = gen._words(max(n - 1, 0)) % np.arange(n, 1, -1, dtype=_U64)  # word % (n - i)
        for i, offset in enumerate(picks.tolist()):
            perm[i], perm[i + offset] = perm[i + offset], perm[i]
    else:  # for huge n torch switches to 64-bit draws, so that `%` stays close to uniform
        picks = gen._words64(n) % np.arange(1, n + 1, dtype=_U64)  # word % (i + 1)
        for i, z in enumerate(picks.tolist()):
            perm[i], perm[z] = perm[z], i
    return np.array(perm, dtype=np.int64)
