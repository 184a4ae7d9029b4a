"""
How PyTorch computes `var` and `std` on the CPU, so that `x.std(dim=0)` (feature normalization)
prints PyTorch's digits: float32 numbers in float64 steps, in one of two ways (ATen's
ReduceOps.cpp and its Welford reduction):

- all numbers into one result (`x.var()`): the float32 mean first (sum_order.py's sum, then a
  division), then the squared distances from it, in float64, added one at a time in memory order,
  divided by n - correction, and for std the square root, each in float64;
- several results (`x.std(dim=0)`): Welford's running mean and sum of squared distances for
  each, in float64, the numbers taken in order; then the division and square root, in float64.

Either way the float32 result is rounded from the float64 one, once. Only tensors of up to 32768
numbers (above that PyTorch splits the work between threads) laid out row by row (or, for one
result, column by column), with at most 4096 numbers behind each result, follow this: Welford's
steps run once per number here. Other variances are NumPy's, which may differ in the last place.
"""

from __future__ import annotations

import math

import numpy as np

from minigrad import sum_order
from minigrad._cpu import PARALLEL_GRAIN

_WELFORD_STEPS = 4096  # numbers per result up to which Welford's steps are followed, one per number
_FLOATS = {np.dtype(np.float32), np.dtype(np.float64)}


def pytorch_var(array: np.ndarray, axes: tuple, divisor: float, take_sqrt: bool) -> np.ndarray | None:
    """The variance (or, with `take_sqrt`, the standard deviation) over `axes`, the sum of squared
    distances divided by `divisor` (n - correction, or 0), computed as PyTorch does, in the order
    of the dimensions kept (to be reshaped); None where it is not followed."""
    if array.dtype not in _FLOATS or not 0 < array.size <= PARALLEL_GRAIN:
        return None
    count = math.prod(array.shape[i] for i in axes)
    if count == array.size:
        numbers = sum_order.in_memory_order(array)
        if numbers is None:
            return None
        return _finish(_divide(_all_in_one(numbers, array), divisor), take_sqrt, array.dtype)
    if not array.flags.c_contiguous or count > _WELFORD_STEPS:
        return None
    kept = [i for i in range(array.ndim) if i not in axes]
    numbers = array.transpose([*axes, *kept]).reshape(count, -1)  # each result's numbers, in order
    return _finish(_divide(_welford(numbers), divisor), take_sqrt, array.dtype)


def _all_in_one(numbers: np.ndarray, array: np.ndarray) -> np.float64:
    """std_var_all_cpu: the squared distances from the tensor's own mean, summed in float64."""
    mean = sum_order.pytorch_sum(array, None) / array.dtype.type(array.size)
    distances = numbers.astype(np.float64) - np.float64(mean)
    return np.add.accumulate(distances * distances)[-1]


def _welford(numbers: np.ndarray) -> np.ndarray:
    """WelfordOps over the first axis, for all columns at once: after n numbers, mean_n =
    mean_(n-1) + (x - mean_(n-1)) / n, and m2_n = m2_(n-1) + (x - mean_(n-1))·(x - mean_n);
    returns the m2s."""
    mean = np.zeros(numbers.shape[1:])
    m2 = np.zeros(numbers.shape[1:])
    for n, x in enumerate(numbers.astype(np.float64), start=1):
        delta = x - mean
        mean = mean + delta / n
        m2 = m2 + delta * (x - mean)
    return m2


def _divide(total: np.ndarray, divisor: float) -> np.ndarray:
    """total / divisor, with PyTorch's silent inf or nan when the divisor is 0."""
    with np.errstate(divide="ignore", invalid="ignore"):
        return total / np.float64(divisor)


def _finish(variance: np.ndarray, take_sqrt: bool, dtype: np.dtype) -> np.ndarray:
    return np.asarray(np.sqrt(variance) if take_sqrt else variance).astype(dtype)
