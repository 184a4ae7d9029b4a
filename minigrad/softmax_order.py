"""
PyTorch's CPU softmax and log_softmax over the last dimension (ATen's SoftMaxKernel.cpp) in
float32, step by step, so that `F.softmax(logits, dim=1)` and its gradient print PyTorch's digits.
For each row:

1. its max;
2. e^(x - max) for every number, by the vector exp (expf.py: SLEEF's, or the C library's on
   CPUs with PyTorch's plain kernels), the last, partial vector included;
3. their sum in PyTorch's vector order (`reduce_all`, below);
4. each e^(x - max) times 1/sum; for log_softmax, (x - max) - log sum instead, the log SLEEF's
   or the C library's (logf.py). log_softmax's backward is g - e^y·Σg, Σg in the same order and the last step one
   fused multiply-add.

The backward, (g - Σ g·y)·y, adds its Σ in the same order. A row's sum in that order: vectors of
8 lanes (16 with AVX-512) added lane by lane into the first vector, the last partial vector into
its first lanes only; then the lanes folded in halves (lane i plus lane i + 4, then i + 2, then
i + 1, a shuffle each). A row shorter than a vector adds its numbers in turn. (AVX-512's fold
follows the same rule from lane i + 8; it is written from ATen's source, untested here.)
"""

from __future__ import annotations

import numpy as np

from minigrad import expf, logf
from minigrad._cpu import PYTORCH_KERNEL, VECTOR_BYTES, multiply_add

_LANES = VECTOR_BYTES // 4  # float32 lanes in one of PyTorch's vectors


def softmax_lastdim(array: np.ndarray) -> np.ndarray:
    """softmax over the last dimension of a float32 array, as PyTorch's kernel computes it."""
    rows = np.ascontiguousarray(array).reshape(-1, array.shape[-1])  # (PyTorch makes it contiguous too)
    exps = expf.vector_expf(rows - rows.max(axis=1, keepdims=True))
    return (exps * (np.float32(1) / _reduce_all_sum(exps))[:, None]).reshape(array.shape)


def softmax_grad_lastdim(grad: np.ndarray, y: np.ndarray) -> np.ndarray:
    """(g - Σ g·y)·y over the last dimension: softmax's backward, as PyTorch's kernel computes it."""
    g, out = (np.ascontiguousarray(a).reshape(-1, a.shape[-1]) for a in (grad, y))
    return ((g - _reduce_all_dot(g, out, fused_tail=len(g) == 1)[:, None]) * out).reshape(y.shape)


def log_softmax_lastdim(array: np.ndarray) -> np.ndarray:
    """log_softmax over the last dimension of a float32 array, as PyTorch's kernel computes it."""
    rows = np.ascontiguousarray(array).reshape(-1, array.shape[-1])
    shifted = rows - rows.max(axis=1, keepdims=True)
    log_sums = logf.vector_logf(_reduce_all_sum(expf.vector_expf(shifted)))
    return (shifted - log_sums[:, None]).reshape(array.shape)


def log_softmax_grad_lastdim(grad: np.ndarray, y: np.ndarray) -> np.ndarray:
    """g - e^y·Σg over the last dimension: log_softmax's backward, as PyTorch's kernel computes it."""
    g, out = (np.ascontiguousarray(a).reshape(-1, a.shape[-1]) for a in (grad, y))
    exps = expf.vector_expf(out)
    sums = np.broadcast_to(_reduce_all_sum(g)[:, None], g.shape)
    return multiply_add(-exps, sums, g).reshape(y.shape)  # g - e^y·Σg, rounded once


def _reduce_all_sum(rows: np.ndarray) -> np.ndarray:
    """Each row's sum in the order of PyTorch's vec::reduce_all (see above)."""
    if rows.shape[1] < _LANES:  # one partial vector: its numbers in turn
        return np.add.accumulate(rows, axis=1)[:, -1]
    accumulator, whole = _add_whole_vectors(rows)
    accumulator[:, : rows.shape[1] - whole] += rows[:, whole:]  # the partial vector, into the first lanes
    return _fold_lanes(accumulator)


def _reduce_all_dot(a: np.ndarray, b: np.ndarray, fused_tail: bool) -> np.ndarray:
    """Each row's Σ a·b as PyTorch's vec::map2_reduce_all adds it: the products vector by vector.
    With `fused_tail`, those of the last, partial vector go into their lanes by fused multiply-adds
    instead: PyTorch's build does so when the tensor is a single row (a contraction of acc + a·b
    in the code compiled for that case; found by comparing with torch, not read in its source)."""
    products = a * b
    if products.shape[1] < _LANES:
        return np.add.accumulate(products, axis=1)[:, -1]
    accumulator, whole = _add_whole_vectors(products)
    left = products.shape[1] - whole
    if fused_tail:
        accumulator[:, :left] = multiply_add(a[:, whole:], b[:, whole:], accumulator[:, :left])
    else:
        accumulator[:, :left] += products[:, whole:]
    return _fold_lanes(accumulator)


def _add_whole_vectors(rows: np.ndarray) -> tuple[np.ndarray, int]:
    """The whole vectors of each row added lane by lane into the first; and where they end."""
    whole = rows.shape[1] - rows.shape[1] % _LANES
    accumulator = rows[:, :_LANES].copy()
    for start in range(_LANES, whole, _LANES):
        accumulator += rows[:, start : start + _LANES]
    return accumulator, whole


def _fold_lanes(accumulator: np.ndarray) -> np.ndarray:
    """The lanes' total: in halves by shuffles (lane i plus lane i + 4, then i + 2, then i + 1),
    or in turn on CPUs with PyTorch's plain kernels."""
    if PYTORCH_KERNEL == "default":
        return np.add.accumulate(accumulator, axis=1)[:, -1]
    lanes = np.arange(_LANES)
    half = _LANES // 2
    while half:
        accumulator = accumulator + accumulator[:, lanes ^ half]
        half //= 2
    return accumulator[:, 0]
