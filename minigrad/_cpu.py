"""
Which of its CPU kernels PyTorch runs on this machine. PyTorch compiles each kernel several times
(plain x86, AVX2, AVX-512) and picks one when it starts; they add up and round a little
differently, and minigrad copies the one PyTorch picks (random numbers, sums).
"""

from __future__ import annotations

import os
import platform
from typing import Any

import numpy as np

_X86 = platform.machine().lower() in ("x86_64", "amd64")


def _cpuinfo_field(name: str) -> str | None:
    """The first value /proc/cpuinfo gives for `name` ('flags', 'vendor_id'); '' if it has none,
    None where there is no /proc/cpuinfo."""
    try:
        with open("/proc/cpuinfo") as cpuinfo:
            return next((line.split(":", 1)[1].strip() for line in cpuinfo if line.startswith(name)), "")
    except OSError:
        return None


def _pytorch_cpu_kernel() -> str:
    """Which of its CPU kernels PyTorch runs here: 'avx512' or 'avx2' on x86 CPUs with those
    instructions, else 'default' (ATEN_CPU_CAPABILITY decides first, as it does for PyTorch)."""
    chosen = os.environ.get("ATEN_CPU_CAPABILITY", "").lower()
    if chosen:
        return chosen
    if not _X86:
        return "default"
    flags = _cpuinfo_field("flags")
    if flags is None:
        return "avx2"  # (no /proc: most x86 CPUs of the last ten years)
    flags = set(flags.split())
    if {"avx512f", "avx512bw", "avx512vl", "avx512dq"} <= flags:
        return "avx512"
    return "avx2" if {"avx2", "fma"} <= flags else "default"


PYTORCH_KERNEL = _pytorch_cpu_kernel()
# whether PyTorch's kernels fuse a·b + c into one rounding: all but its plain x86 ones (x86 has FMA
# only from AVX2 on)
FUSED_MULTIPLY_ADD = PYTORCH_KERNEL != "default" or not _X86


# floats in one of its vectors: 32 bytes (AVX2, and the plain kernels' own vectors) or 64 (AVX-512)
VECTOR_BYTES = 64 if PYTORCH_KERNEL == "avx512" else 32
# ATen registers a kernel's AVX-512 build only where the kernel asks for it (softmax and exp do);
# the others, the sum and the normal-number kernels among them, run their AVX2 build on an AVX-512
# CPU, with 32-byte vectors (seen on an AMD EPYC with AVX-512: torch's sums agree with this order)
HAS_AVX2_BUILD = PYTORCH_KERNEL in ("avx2", "avx512")
AVX2_VECTOR_BYTES = 32


# PyTorch draws Bernoulli numbers (bernoulli_, dropout's masks) with MKL's own generator on Intel
# CPUs and with its Mersenne Twister elsewhere; minigrad draws the second way (random.py)
BERNOULLI_FROM_MKL = _X86 and _cpuinfo_field("vendor_id") == "GenuineIntel"

# ATen's GRAIN_SIZE: up to this many numbers a kernel runs in one thread; above it PyTorch may
# split the work between threads, each adding or rounding its own part (not followed here)
PARALLEL_GRAIN = 32768


def multiply_add(a: np.ndarray, b: Any, c: Any) -> np.ndarray:
    """a·b + c as PyTorch's compiled kernels compute it: fused into one rounding (FMA), except in
    its plain x86 kernels, which have no FMA instruction. In a's dtype, float32 or float64.

    The fused sum is emulated, correctly rounded, ties included: for float32 the product is exact
    in float64 and the sum, rounded to odd in float64, rounds to float32 once (a float64 rounded to
    nearest would round twice); for float64 the product is split into two doubles (Dekker), added
    to c exactly (TwoSum), and the small parts summed rounding to odd, which makes the last
    rounding to nearest correct (Boldo and Melquiond's emulation of FMA)."""
    b, c = np.asarray(b, a.dtype), np.asarray(c, a.dtype)  # (PyTorch computes in the tensor's dtype)
    if not FUSED_MULTIPLY_ADD:
        return a * b + c
    if a.dtype == np.float32:  # the product is exact in float64; the sum, rounded to odd there, rounds once
        exact_product = a.astype(np.float64) * b.astype(np.float64)
        return _sum_rounded_to_odd(exact_product, c.astype(np.float64)).astype(np.float32)
    product = a * b
    error = _product_error(a, b, product)  # product + error == a·b, exactly
    high, low = _two_sum(c, product)  # high + low == product + c, exactly
    result = high + _sum_rounded_to_odd(low, error)
    return np.where(np.isfinite(result), result, product + c)  # (inf and nan: as the plain formula)


def _two_sum(x: Any, y: Any) -> tuple[Any, Any]:
    """(s, e) with s = x + y rounded and s + e == x + y exactly (Knuth)."""
    s = x + y
    y_part = s - x
    return s, (x - (s - y_part)) + (y - y_part)


def _sum_rounded_to_odd(x: Any, y: Any) -> Any:
    """x + y rounded to odd: exact sums as they are, inexact ones to the neighbour whose last bit is 1."""
    s, e = _two_sum(x, y)
    even = (np.asarray(s).view(np.int64) & 1) == 0
    return np.where((e != 0) & even, np.nextafter(s, np.where(e > 0, np.inf, -np.inf)), s)


def _product_error(a: np.ndarray, b: float, product: np.ndarray) -> np.ndarray:
    """a·b - product, exactly (Dekker: split each factor into halves of 26 bits)."""
    a_high, a_low = _split(a)
    b_high, b_low = _split(b)
    return ((a_high * b_high - product) + a_high * b_low + a_low * b_high) + a_low * b_low


def _split(x: Any) -> tuple[Any, Any]:
    scaled = x * 134217729.0  # 2^27 + 1
    high = scaled - (scaled - x)
    return high, x - high
