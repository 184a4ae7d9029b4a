"""
PyTorch's float32 e^x where its own CPU kernels compute it, so that `torch.sigmoid` prints
PyTorch's digits. (torch.exp itself comes from Intel's MKL, which minigrad cannot follow.)

PyTorch's elementwise kernels run over a row-major tensor in vectors, two at a time (16 float32
with AVX2, 32 with AVX-512), and hand the numbers left after the last such pair to the plain C
function. So e^x takes two routes:

- whole vectors: SLEEF's expf (Sleef_expf8_u10): x = q·ln 2 + s with q a rounded integer, a
  degree-6 polynomial in s, fused multiply-adds throughout, then a scaling by 2^q;
- the rest: the C library's expf (glibc's, from ARM's optimized routines): x·32/ln 2 = k + r,
  2^(k/32) from a table of 32 numbers, a degree-3 polynomial in r, all in float64, rounded once.

On CPUs where PyTorch runs its plain x86 kernels, every number takes the C library's route.
Only tensors of up to 32768 numbers are split so (above that PyTorch splits the work between
threads, each with its own leftover); larger ones take SLEEF's route throughout.
"""

from __future__ import annotations

import numpy as np

from minigrad._cpu import PARALLEL_GRAIN, PYTORCH_KERNEL, VECTOR_BYTES, multiply_add


def pytorch_expf(x: np.ndarray) -> np.ndarray:
    """e^x for a float32 array, number by number as PyTorch's own kernels compute it."""
    if PYTORCH_KERNEL == "default" or not x.flags.c_contiguous or x.size > PARALLEL_GRAIN:
        return vector_expf(x)  # one route for every number
    flat = x.reshape(-1)  # (row-major order: the order PyTorch's loop takes a contiguous tensor)
    pair = 2 * VECTOR_BYTES // 4  # float32s in two vectors: 16 (AVX2) or 32 (AVX-512)
    vectorized = x.size // pair * pair
    return np.concatenate([sleef_expf(flat[:vectorized]), c_library_expf(flat[vectorized:])]).reshape(x.shape)


def vector_expf(x: np.ndarray) -> np.ndarray:
    """e^x as PyTorch's vector code computes it for every number (softmax's kernel, which takes
    its last, partial vector through the vector exp too): SLEEF's, or on CPUs with PyTorch's
    plain kernels the C library's."""
    return c_library_expf(x) if PYTORCH_KERNEL == "default" else sleef_expf(x)


# ---- SLEEF's expf ----

_R_LN2 = np.float32(1.442695040888963407359924681001892137426645954152985934135449406931)
_L2U = np.float32(0.693145751953125)  # ln 2 in two parts: the upper bits, exact in float32 ...
_L2L = np.float32(1.428606765330187045e-06)  # ... and the rest
_SLEEF_POLYNOMIAL = [
    np.float32(c)
    for c in (
        0.000198527617612853646278381,
        0.00139304355252534151077271,
        0.00833336077630519866943359,
        0.0416664853692054748535156,
        0.166666671633720397949219,
        0.5,
    )
]


def sleef_expf(d: np.ndarray) -> np.ndarray:
    """SLEEF's xexpf: e^d = 2^q · e^s, q = rint(d / ln 2), e^s ≈ 1 + s + s²·p(s)."""
    with np.errstate(over="ignore", invalid="ignore"):
        q = np.rint(d * _R_LN2).astype(np.int32)  # (round half to even, as cvtps_epi32)
        qf = q.astype(np.float32)
        s = multiply_add(qf, -_L2U, d)
        s = multiply_add(qf, -_L2L, s)
        u = np.full_like(d, _SLEEF_POLYNOMIAL[0])
        for coefficient in _SLEEF_POLYNOMIAL[1:]:
            u = multiply_add(u, s, coefficient)
        u = np.float32(1) + multiply_add(s * s, u, s)
        half = q >> 1  # 2^q in two factors, so that neither overflows on its own
        u = u * np.ldexp(np.float32(1), half) * np.ldexp(np.float32(1), q - half)
    u = np.where(d < -104, np.float32(0), u)
    return np.where(d > 100, np.float32(np.inf), u)


# ---- the C library's expf ----

_N = 32  # table entries: 2^(i/32)
_INV_LN2_N = float.fromhex("0x1.71547652b82fep+0") * _N
_SHIFT = float.fromhex("0x1.8p+52")  # adding it rounds to an integer k, kept in the low bits
_C_POLYNOMIAL = (
    float.fromhex("0x1.c6af84b912394p-5") / _N**3,
    float.fromhex("0x1.ebfce50fac4f3p-3") / _N**2,
    float.fromhex("0x1.62e42ff0c52d6p-1") / _N,
)
# 2^(i/32)'s bits, less i·2^47, so that adding k·2^47 (k = 32·j + i) multiplies by 2^j as well
_TABLE = np.array([np.float64(2.0 ** (i / _N)).view(np.uint64) - np.uint64(i << 47) for i in range(_N)])
_OVERFLOW = np.float32(float.fromhex("0x1.62e42ep6"))  # above: inf
_UNDERFLOW = np.float32(float.fromhex("-0x1.9fe368p6"))  # below: 0


def c_library_expf(x: np.ndarray) -> np.ndarray:
    """glibc's expf: e^x = 2^(k/32) · 2^(r/32), with r in [-1/2, 1/2], in float64."""
    with np.errstate(all="ignore"):  # (inf and nan are put right at the end)
        z = _INV_LN2_N * x.astype(np.float64)
        kd = z + _SHIFT
        k = kd.view(np.uint64)
        r = z - (kd - _SHIFT)
        scale = (_TABLE[k % np.uint64(_N)] + (k << np.uint64(47))).view(np.float64)
        c0, c1, c2 = _C_POLYNOMIAL
        y = (((c0 * r + c1) * (r * r) + (c2 * r + 1)) * scale).astype(np.float32)
    result = np.where(x > _OVERFLOW, np.float32(np.inf), y)
    result = np.where(x < _UNDERFLOW, np.float32(0), result)
    return np.where(np.isnan(x), x, result)
