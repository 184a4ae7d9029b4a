"""
Random numbers as PyTorch draws them on the CPU: after `manual_seed(1)`, `randn(3)` prints
PyTorch's numbers, and so does everything drawn from them (nn.Linear's first weights, ...).

PyTorch's CPU generator is a 32-bit Mersenne Twister (mt19937) started from the seed's low 32
bits, the very twister NumPy's legacy seeding builds. What PyTorch makes of its raw 32-bit
draws is written out below, function by function, from ATen's DistributionsHelper.h and
native/cpu/DistributionTemplates.h:

- uniform on [low, high): the low 24 bits of one draw times 2^-24 (float64: the low 53 bits of
  two draws put together, times 2^-53), times (high - low), plus low;
- normal, fewer than 16 numbers: one at a time, by the Box-Muller transform of two float64
  uniforms; the pair's second number is kept for the next one asked for;
- normal, 16 or more: all uniforms first, then Box-Muller on each block of 16 (the first eight
  with the last eight); when 16 does not divide the count, the last 16 are drawn afresh;
- integers in [low, high): a draw modulo the range; permutations: Fisher-Yates, a draw per swap;
- Bernoulli(p) (bernoulli_, dropout's mask): 1 where a float64 uniform is below p, else 0. (This
  is PyTorch's kernel except on Intel CPUs, where PyTorch asks MKL's own generator instead: there
  the masks differ from PyTorch's, though they are drawn alike.)

Every device draws here, on the host (PyTorch's CUDA generator is another algorithm, Philox:
its numbers differ from its CPU's, and so from these).
"""

from __future__ import annotations

import secrets
from typing import Any

import numpy as np

from minigrad._cpu import HAS_AVX2_BUILD, multiply_add
from minigrad.random_avx2 import box_muller_avx2

_MANTISSA_BITS = {np.dtype(np.float16): 24, np.dtype(np.float32): 24, np.dtype(np.float64): 53}  # (float16: as float32)


class Generator:
    """PyTorch's CPU random number generator (`torch.Generator()`), in NumPy."""

    def __init__(self, seed: int | None = None) -> None:
        self.manual_seed(secrets.randbits(64) if seed is None else seed)  # PyTorch starts unseeded, too

    def manual_seed(self, seed: Any) -> Generator:
        seed = int(seed)
        if not -(2**63) <= seed < 2**64:
            raise ValueError("Overflow when unpacking long long")
        self._seed = seed % 2**64  # a negative seed counts from 2^64, as in PyTorch
        self._twister = np.random.MT19937(0)  # ... then given mt19937's own seeding, as PyTorch's:
        self._twister.state = np.random.RandomState(self._seed & 0xFFFFFFFF).get_state(legacy=False)
        self._next_normal: float | None = None  # the second number of the last Box-Muller pair
        return self

    def initial_seed(self) -> int:
        return self._seed

    def seed(self) -> int:
        """Seed afresh from the operating system; returns the new seed."""
        self.manual_seed(secrets.randbits(64))
        return self._seed

    # ---- the raw draws ----

    def _draws32(self, count: int) -> np.ndarray:
        return self._twister.random_raw(count).astype(np.uint64)

    def _draws64(self, count: int) -> np.ndarray:
        pairs = self._draws32(2 * count).reshape(count, 2)
        return (pairs[:, 0] << np.uint64(32)) | pairs[:, 1]  # the first draw is the high half

    # ---- the distributions ----

    def uniform(self, count: int, dtype: Any, low: float = 0.0, high: float = 1.0) -> np.ndarray:
        """`count` numbers in [low, high), of NumPy float `dtype`."""
        dtype = np.dtype(dtype)
        bits = _MANTISSA_BITS[dtype]
        draws = self._draws64(count) if bits > 32 else self._draws32(count)
        compute = np.float64 if dtype == np.float64 else np.float32  # (PyTorch's CPU arithmetic for dtype)
        unit = (draws & np.uint64(2**bits - 1)).astype(compute) * compute(2.0**-bits)
        low, high = compute(dtype.type(low)), compute(dtype.type(high))  # PyTorch casts the bounds first
        return multiply_add(unit, high - low, low).astype(dtype)

    def normal(self, count: int, dtype: Any, mean: float = 0.0, std: float = 1.0) -> np.ndarray:
        """`count` numbers from N(mean, std²), of NumPy float `dtype`."""
        dtype = np.dtype(dtype)
        if count < 16:
            return multiply_add(np.array([self._one_normal() for _ in range(count)]), std, mean).astype(dtype)
        values = self.uniform(count, dtype)
        for start in range(0, count - 15, 16):
            values[start : start + 16] = _box_muller_16(values[start : start + 16], dtype, mean, std)
        if count % 16:
            values[-16:] = _box_muller_16(self.uniform(16, dtype), dtype, mean, std)
        return values

    def _one_normal(self) -> float:
        if self._next_normal is not None:
            value, self._next_normal = self._next_normal, None
            return value
        u1, u2 = self.uniform(2, np.float64)
        radius = np.sqrt(-2.0 * np.log1p(-u2))
        theta = 2.0 * np.pi * u1
        self._next_normal = float(radius * np.sin(theta))
        return float(radius * np.cos(theta))

    def bernoulli(self, count: int, p: float) -> np.ndarray:
        """`count` draws of 1 (with probability p) or 0, as float64."""
        return (self.uniform(count, np.float64) < p).astype(np.float64)

    def integers(self, count: int, low: int, high: int) -> np.ndarray:
        """`count` integers in [low, high)."""
        span = high - low
        draws = self._draws64(count) if span >= 2**32 else self._draws32(count)
        return (draws % np.uint64(span)).astype(np.int64) + low

    def permutation(self, n: int) -> np.ndarray:
        """0 .. n-1 shuffled (Fisher-Yates: position i swaps with one of i .. n-1)."""
        order = np.arange(n, dtype=np.int64)
        if n > 1:
            draws = self._draws32(n - 1)
            for i in range(n - 1):
                j = i + int(draws[i] % np.uint64(n - i))
                order[i], order[j] = order[j], order[i]
        return order


def _box_muller_16(uniforms: np.ndarray, dtype: np.dtype, mean: float, std: float) -> np.ndarray:
    """Sixteen uniforms become sixteen normals: the first eight give the radii, the last eight the
    angles, radius·cos(angle) fills the first half and radius·sin(angle) the second."""
    if dtype == np.float32 and HAS_AVX2_BUILD:  # PyTorch's vectorized kernel (AVX2 only), bit for bit
        return box_muller_avx2(uniforms, mean, std)
    # PyTorch's plain kernel: float64 steps for float64, else float32 ones with the C library's
    # float32 log, cos and sin, taken here as float64 ones rounded to float32 (the C library's
    # are within an ulp of those, so a number may differ in its last bit)
    compute = np.float64 if dtype == np.float64 else np.float32
    u1 = (1 - uniforms[:8].astype(compute)).astype(dtype).astype(compute)
    radius = np.sqrt(-2 * np.log(u1.astype(np.float64)).astype(compute)).astype(dtype).astype(compute)
    theta = (2.0 * np.pi * uniforms[8:].astype(np.float64)).astype(dtype).astype(compute)
    cos = np.cos(theta.astype(np.float64)).astype(compute)
    sin = np.sin(theta.astype(np.float64)).astype(compute)
    std, mean = compute(std), compute(mean)
    return multiply_add(np.concatenate([radius * cos, radius * sin]), std, mean).astype(dtype)


default_generator = Generator()


def manual_seed(seed: Any) -> Generator:
    """Seed the random numbers of every device; returns the generator, as PyTorch does."""
    return default_generator.manual_seed(seed)


def seed() -> int:
    return default_generator.seed()


def initial_seed() -> int:
    return default_generator.initial_seed()
