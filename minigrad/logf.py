"""
PyTorch's float32 log x where its own vector code computes it (log_softmax takes the log of each
row's sum of exponentials so), so that `F.log_softmax` prints PyTorch's digits. (torch.log itself
comes from Intel's MKL, which minigrad cannot follow.) As for e^x (expf.py), two routes:

- SLEEF's logf (Sleef_logf8_u10): log d = e·ln 2 + log m, with d = m·2^e and m in [0.75, 1.5);
  log m = 2·atanh(x), x = (m - 1)/(m + 1), as x·2 + x³·p(x²). SLEEF keeps each step as a pair of
  floats (a "double float": a value and the rounding error left over), using fused
  multiply-adds to find the errors, and rounds once at the end;
- on CPUs where PyTorch runs its plain kernels, the C library's logf (glibc's, from ARM's
  optimized routines): x = 2^k·z, log z = log c + log1p(z/c - 1) for c one of 16 table points,
  a degree-3 polynomial, in float64, rounded once.
"""

from __future__ import annotations

import numpy as np

from minigrad._cpu import PYTORCH_KERNEL, multiply_add

_LN2_HIGH = np.float32(0.69314718246459960938)  # ln 2 as a pair of floats
_LN2_LOW = np.float32(-1.904654323148236017e-09)
_POLYNOMIAL = [np.float32(c) for c in (0.3027294874, 0.3996108174, 0.6666694880)]


def vector_logf(x: np.ndarray) -> np.ndarray:
    """log x as PyTorch's vector code computes it for every number: SLEEF's, or the C library's."""
    return c_library_logf(x) if PYTORCH_KERNEL == "default" else sleef_logf(x)


def sleef_logf(d: np.ndarray) -> np.ndarray:
    """SLEEF's xlogf_u1 on a float32 array."""
    with np.errstate(all="ignore"):  # (zeros, negatives, inf and nan are put right at the end)
        tiny = d < np.finfo(np.float32).tiny  # subnormals: scaled up by 2^64 first
        scaled = np.where(tiny, d * np.float32(2.0**64), d)
        e = _exponent(scaled * np.float32(1 / 0.75))
        m = (scaled.view(np.int32) - (e << 23)).view(np.float32)  # d / 2^e, in [0.75, 1.5)
        e = np.where(tiny, e - 64, e).astype(np.float32)
        s = _mul(_LN2_HIGH, _LN2_LOW, e)  # e·ln 2
        x = _div(*_add(np.float32(-1), m), *_add(np.float32(1), m))  # (m - 1)/(m + 1)
        x2 = x[0] * x[0]
        t = np.full_like(x2, _POLYNOMIAL[0])
        for coefficient in _POLYNOMIAL[1:]:
            t = multiply_add(t, x2, coefficient)
        s = _add_pairs(s, (x[0] * 2, x[1] * 2))
        s = _add_pair_and_float(s, (x2 * x[0]) * t)
        result = s[0] + s[1]
    result = np.where(np.isposinf(d), np.float32(np.inf), result)
    result = np.where((d < 0) | np.isnan(d), np.float32(np.nan), result)
    return np.where(d == 0, np.float32(-np.inf), result)


def _exponent(d: np.ndarray) -> np.ndarray:
    """The unbiased exponent field of a float32 (vilogb2k)."""
    return ((d.view(np.int32) >> 23) & 0xFF) - 0x7F


# ---- double-float arithmetic: a value as (high, low), FMA versions ----


def _add(x: np.ndarray, y: np.ndarray) -> tuple:
    """x + y as a pair, exactly (dfadd2)."""
    s = x + y
    v = s - x
    return s, (x - (s - v)) + (y - v)


def _add_pairs(x: tuple, y: tuple) -> tuple:
    """(dfadd_vf2_vf2_vf2, for |x| >= |y|)"""
    s = x[0] + y[0]
    return s, (((x[0] - s) + y[0]) + x[1]) + y[1]


def _add_pair_and_float(x: tuple, y: np.ndarray) -> tuple:
    """(dfadd_vf2_vf2_vf, for |x| >= |y|)"""
    s = x[0] + y
    return s, ((x[0] - s) + y) + x[1]


def _mul(high: np.float32, low: np.float32, y: np.ndarray) -> tuple:
    """(high, low)·y (dfmul_vf2_vf2_vf): the product's rounding error found by a fused multiply-add."""
    s = high * y
    return s, multiply_add(np.full_like(y, low), y, multiply_add(np.full_like(y, high), y, -s))


def _div(n_high: np.ndarray, n_low: np.ndarray, d_high: np.ndarray, d_low: np.ndarray) -> tuple:
    """(n_high, n_low) / (d_high, d_low) (dfdiv_vf2_vf2_vf2)."""
    t = np.float32(1) / d_high
    q = n_high * t
    u = multiply_add(t, n_high, -q)
    v = multiply_add(-d_low, t, multiply_add(-d_high, t, np.float32(1)))
    return q, multiply_add(q, v, multiply_add(n_low, t, u))


# ---- the C library's logf ----

_H = float.fromhex
# the 16 table points c: 1/c and log c (glibc's e_logf_data.c)
_INV_C = np.array([_H(v) for v in (
    "0x1.661ec79f8f3bep+0", "0x1.571ed4aaf883dp+0", "0x1.49539f0f010bp+0", "0x1.3c995b0b80385p+0",
    "0x1.30d190c8864a5p+0", "0x1.25e227b0b8eap+0", "0x1.1bb4a4a1a343fp+0", "0x1.12358f08ae5bap+0",
    "0x1.0953f419900a7p+0", "0x1p+0", "0x1.e608cfd9a47acp-1", "0x1.ca4b31f026aap-1",
    "0x1.b2036576afce6p-1", "0x1.9c2d163a1aa2dp-1", "0x1.886e6037841edp-1", "0x1.767dcf5534862p-1",
)])  # fmt: skip
_LOG_C = np.array([_H(v) for v in (
    "-0x1.57bf7808caadep-2", "-0x1.2bef0a7c06ddbp-2", "-0x1.01eae7f513a67p-2", "-0x1.b31d8a68224e9p-3",
    "-0x1.6574f0ac07758p-3", "-0x1.1aa2bc79c81p-3", "-0x1.a4e76ce8c0e5ep-4", "-0x1.1973c5a611cccp-4",
    "-0x1.252f438e10c1ep-5", "0x0p+0", "0x1.aa5aa5df25984p-5", "0x1.c5e53aa362eb4p-4",
    "0x1.526e57720db08p-3", "0x1.bc2860d22477p-3", "0x1.1058bc8a07ee1p-2", "0x1.4043057b6ee09p-2",
)])  # fmt: skip
_LN2 = _H("0x1.62e42fefa39efp-1")
_A = (_H("-0x1.00ea348b88334p-2"), _H("0x1.5575b0be00b6ap-2"), _H("-0x1.ffffef20a4123p-2"))
_OFF = 0x3F330000  # the bits of about 0.7: z's range [0.7, 1.4) starts there


def c_library_logf(x: np.ndarray) -> np.ndarray:
    """glibc's logf: log x = k·ln 2 + log c + log1p(r), r = z/c - 1, in float64."""
    with np.errstate(all="ignore"):  # (zeros, negatives, inf and nan are put right at the end)
        bits = x.view(np.uint32).astype(np.int64)
        subnormal = (bits > 0) & (bits < 0x00800000)
        bits = np.where(subnormal, (x * np.float32(2.0**23)).view(np.uint32).astype(np.int64) - (23 << 23), bits)
        offset = bits - _OFF
        i = (offset >> 19) % 16  # which of the 16 subintervals
        k = (offset.astype(np.int32) >> 23).astype(np.float64)
        z = (bits - (offset & 0xFF800000)).astype(np.uint32).view(np.float32).astype(np.float64)
        r = z * _INV_C[i] - 1
        r2 = r * r
        y = _A[0] * r2 + (_A[1] * r + _A[2])
        result = (y * r2 + ((_LOG_C[i] + k * _LN2) + r)).astype(np.float32)
    result = np.where(np.isposinf(x), np.float32(np.inf), result)
    result = np.where((x < 0) | np.isnan(x), np.float32(np.nan), result)
    return np.where(x == 0, np.float32(-np.inf), result)
