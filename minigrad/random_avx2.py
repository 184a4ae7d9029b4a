"""
PyTorch's AVX2 kernel for float32 normal numbers, step by step in NumPy, so that `randn` of 16
or more float32 numbers is PyTorch's to the last bit on a CPU where PyTorch runs that kernel.

The kernel (normal_fill_16_AVX2 in ATen's native/cpu/DistributionTemplates.h) takes log, sin
and cos from avx_mathfun, Cephes' float32 polynomials, not from the C library, and the compiler
fuses some of their multiply-adds into one rounding (FMA). Both are copied here: each
`_fused(a, b, c)` is one of those fused a·b + c, computed exactly in float64 and rounded once.
"""

from __future__ import annotations

import numpy as np

f32 = np.float32


def box_muller_avx2(uniforms: np.ndarray, mean: float, std: float) -> np.ndarray:
    """Sixteen float32 uniforms to sixteen normals, as normal_fill_16_AVX2."""
    u1 = f32(1) - uniforms[:8]
    radius = np.sqrt(f32(-2) * _log(u1))
    sin, cos = _sincos(f32(2.0 * np.pi) * uniforms[8:])
    first, second = radius * cos, radius * sin
    return np.concatenate([_fused(first, f32(std), f32(mean)), _fused(second, f32(std), f32(mean))])


def _fused(a: np.ndarray, b: np.ndarray | np.float32, c: np.ndarray | np.float32) -> np.ndarray:
    """a·b + c with one rounding (a float32 product is exact in float64)."""
    return (np.asarray(a, np.float64) * np.asarray(b, np.float64) + np.asarray(c, np.float64)).astype(f32)


_LOG_POLYNOMIAL = [
    7.0376836292e-2, -1.1514610310e-1, 1.1676998740e-1, -1.2420140846e-1, 1.4249322787e-1,
    -1.6668057665e-1, 2.0000714765e-1, -2.4999993993e-1, 3.3333331174e-1,
]  # fmt: skip


def _log(x: np.ndarray) -> np.ndarray:
    """avx_mathfun's log256_ps: x = m·2^e with m in [√½, √2), log x = e·ln 2 + a polynomial in m - 1."""
    bits = np.maximum(x, f32(1.17549435e-38)).view(np.int32)
    exponent = ((bits >> 23) - 0x7F).astype(f32) + f32(1)
    m = ((bits & ~0x7F800000) | 0x3F000000).view(f32)  # the mantissa, in [0.5, 1)
    small = m < f32(0.707106781186547524)
    exponent = exponent - np.where(small, f32(1), f32(0))
    m = (m - f32(1)) + np.where(small, m, f32(0))
    squared = m * m
    y = np.full_like(m, f32(_LOG_POLYNOMIAL[0]))
    for coefficient in _LOG_POLYNOMIAL[1:]:
        y = _fused(y, m, f32(coefficient))
    y = _fused(y * m, squared, exponent * f32(-2.12194440e-4))
    y = _fused(squared, f32(-0.5), y)
    return _fused(exponent, f32(0.693359375), m + y)


def _sincos(x: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """avx_mathfun's sincos256_ps for x >= 0: reduce x by multiples of π/4 (in three parts, for
    precision), then one polynomial for sin and one for cos on [-π/4, π/4], swapped and signed by octant."""
    octant = (x * f32(1.27323954473516)).astype(np.int32)  # x · 4/π, truncated
    octant = (octant + 1) & ~1
    y = octant.astype(f32)
    for part in (-0.78515625, -2.4187564849853515625e-4, -3.77489497744594108e-8):
        x = _fused(y, f32(part), x)
    squared = x * x
    cos = _fused(f32(2.443315711809948e-5), squared, f32(-1.388731625493765e-3))
    cos = _fused(cos, squared, f32(4.166664568298827e-2))
    cos = _fused(cos * squared, squared, -(squared * f32(0.5))) + f32(1)
    sin = _fused(f32(-1.9515295891e-4), squared, f32(8.3321608736e-3))
    sin = _fused(sin, squared, f32(-1.6666654611e-1))
    sin = _fused(sin * squared, x, x)
    swapped = (octant & 2) != 0
    sin, cos = np.where(swapped, cos, sin), np.where(swapped, sin, cos)
    sin = np.where((octant & 4) != 0, -sin, sin)
    cos = np.where(((octant - 2) & 4) == 0, -cos, cos)
    return sin, cos
