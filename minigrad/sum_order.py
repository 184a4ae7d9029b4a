"""
The order in which PyTorch adds up a float tensor on the CPU, so that `loss.item()` prints
PyTorch's digits: float addition is not associative, and a float32 sum of five numbers added
in another order can differ in its last place (31667.593750 against PyTorch's 31667.597656).

PyTorch's sum kernel (ATen's native/cpu/SumKernel.cpp, for a contiguous tensor summed whole)
splits the numbers into vectors of 8 float32 (4 float64) lanes, twice that with AVX-512. It keeps four accumulating
vectors, adding vector 4i + k into the k-th, in blocks of 16 that a four-level cascade adds up
(a block into level 1, 16 of those into level 2, ...), so rounding errors stay small. Then the
leftover vectors go into the first accumulator, the four accumulators are added together, and
the leftover numbers and then the lanes are added one by one. Fewer numbers than a vector's
lanes take the same steps, one number per lane.

Only whole sums of up to 32768 numbers follow this order (above that PyTorch splits the work
between threads); other sums are NumPy's, which may differ from PyTorch's in the last place.
"""

from __future__ import annotations

import functools

import numpy as np

from minigrad._cpu import VECTOR_BYTES

_ILP = 4  # accumulators PyTorch keeps side by side
_LEVELS = 4  # levels of its cascade
_GRAIN = 32768  # above this many numbers PyTorch may split the sum between threads
_FLOATS = {np.dtype(np.float32), np.dtype(np.float64)}


def pytorch_sum(array: np.ndarray) -> np.ndarray:
    """The sum of a float32 or float64 array, added up in PyTorch's order (an array of one number)."""
    flat = array.reshape(-1) if array.ndim == 1 or array.flags.c_contiguous else array.T.reshape(-1)  # memory order
    lanes = VECTOR_BYTES // flat.itemsize  # one vector: 8 float32 or 4 float64 (AVX-512: twice that)
    if flat.size < lanes:  # one number per lane: the same steps, on numbers
        return _in_turn(flat[_row_order(flat.size)])
    vectors = flat.size // lanes
    rows = flat[: vectors * lanes].reshape(vectors, lanes)
    groups = vectors // _ILP
    leftover = rows[groups * _ILP :]
    if groups:  # accumulator 0, the leftover vectors, accumulators 1, 2, 3: in that order
        accumulators = _cascade_sum(rows[: groups * _ILP].reshape(groups, _ILP, lanes))
        leftover = np.concatenate([accumulators[:1], leftover, accumulators[1:]])
    by_lane = _in_order(leftover)
    return _in_turn(np.concatenate([flat[vectors * lanes :], by_lane]))  # the numbers left, then the lanes


def follows_pytorch(array: np.ndarray) -> bool:
    """Whether `pytorch_sum` applies: a float32 or float64 array of at most 32768 numbers."""
    return array.dtype in _FLOATS and 0 < array.size <= _GRAIN


@functools.cache
def _row_order(count: int) -> np.ndarray:
    """The order row_sum adds `count` numbers in: 0, then the ones after the first four, then 1, 2, 3."""
    if count < _ILP:
        return np.arange(count)
    return np.array([0, *range(_ILP, count), *range(1, _ILP)])


def _in_turn(numbers: np.ndarray) -> np.ndarray:
    """numbers[0] + numbers[1] + ..., one addition at a time (a running sum is computed in order)."""
    return np.add.accumulate(numbers)[-1:]


def _cascade_sum(groups: np.ndarray) -> np.ndarray:
    """The sum over the first axis, as PyTorch's multi_row_sum: blocks of 16 rows added in order,
    16 block sums into a level-1 sum, level-1 sums into a level-2 sum (at most 16 of them for the
    sizes taken here), then the rows left over, then the levels. Each sum starts from 0."""
    count = groups.shape[0]
    step = 1 << max(4, _ceil_log2(count) // _LEVELS)  # 16 rows to a block, below 2^16 groups
    blocks = count // step
    if not blocks:  # (fewer than 16 groups: all of them in order)
        return _in_order(groups)
    block_sums = _in_order(groups[: blocks * step].reshape(blocks, step, *groups.shape[1:]), axis=1)
    full = blocks // step  # level-1 sums that filled up and went into level 2
    level1 = _in_order(block_sums[full * step :])
    total = _in_order(groups[blocks * step :]) + level1 if blocks * step < count else level1
    if full:
        total = total + _in_order(_in_order(block_sums[: full * step].reshape(full, step, *groups.shape[1:]), axis=1))
    return total


def _in_order(rows: np.ndarray, axis: int = 0) -> np.ndarray:
    """0 + rows[0] + rows[1] + ... along `axis`, one addition at a time (NumPy adds along any
    axis but the last in order; only along the last does it add pairwise)."""
    return np.add.reduce(rows, axis=axis, initial=0)


def _ceil_log2(n: int) -> int:
    return max(n - 1, 0).bit_length()
