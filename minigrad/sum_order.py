"""
The order in which PyTorch adds up a float tensor on the CPU, so that `loss.item()` and a bias's
gradient print PyTorch's digits: float addition is not associative, and a float32 sum of five
numbers added in another order can differ in its last place (31667.593750 against PyTorch's
31667.597656).

PyTorch's sum kernel (ATen's native/cpu/SumKernel.cpp) builds every sum from two ways of adding
a sequence of numbers, each starting from 0:

- the cascade (`multi_row_sum`): blocks of 16 numbers added in turn, each block's sum added into
  a level-1 sum, which after 16 blocks goes into a level-2 sum, and so on over four levels, so
  that only numbers of similar size meet;
- the row sum (`row_sum`): the numbers dealt round-robin to four accumulators, each a cascade;
  then the numbers left over go into the first, and the other three are added to it.

Which one a sum takes depends on its memory layout. A tensor is seen as (pre, n, post): n summed
numbers, `post` apart in memory, for each of pre·post results.

- post = 1, the summed numbers lie side by side (a whole sum, or `sum(dim=-1)`). Rows of at
  least 8 float32 (4 float64; the sum kernel has no AVX-512 build) are read as vectors: a row sum over the
  vectors, then the numbers left after the last vector, then the vector's lanes one by one.
  Shorter rows take a row sum of their numbers.
- post > 1 (`sum(dim=0)` of a matrix: a bias's gradient). Vector lanes run across the results,
  so each result adds its own column: the first results in groups of 32 (4 vectors; of 4 below
  8 results) take the cascade, the rest a row sum.

Only sums of up to 32768 numbers follow this order (above that PyTorch splits the work between
threads), over dimensions that lie next to each other (dimensions of size 1 aside) in a
row-major tensor, or over the whole of a column-major one. Other sums are NumPy's, which may
differ from PyTorch's in the last place.
"""

from __future__ import annotations

import functools
import math

import numpy as np

from minigrad._cpu import AVX2_VECTOR_BYTES, PARALLEL_GRAIN

_ILP = 4  # accumulators PyTorch keeps side by side (and vectors per group across results)
_LEVELS = 4  # levels of its cascade
_FLOATS = {np.dtype(np.float32), np.dtype(np.float64)}


def pytorch_sum(array: np.ndarray, axis: int | tuple | None) -> np.ndarray | None:
    """The sums over `axis` (NumPy's meaning: None for all) in PyTorch's order, in the order of
    the dimensions kept (to be reshaped); None where minigrad does not follow PyTorch's order
    (see above), for NumPy's sum to take over.

    The helpers below take the numbers to add along their first axis, and the sums to make
    side by side along the others (left out when there is one sum), laid out row by row."""
    if array.dtype not in _FLOATS or not 0 < array.size <= PARALLEL_GRAIN:
        return None
    layout = _layout(array.shape, axis)
    lanes = AVX2_VECTOR_BYTES // array.itemsize  # one vector: 8 float32 or 4 float64 (no AVX-512 build)
    if layout == "whole":  # only the memory order counts
        flat = in_memory_order(array)
        return None if flat is None else _from_zero(_inner_sums(flat, lanes))
    if layout is None or not array.flags.c_contiguous:
        return None
    if layout == "split":
        return _from_zero(_split_sum(array, axis, lanes))
    _, pre, n, post = layout
    if post == 1:  # each sum's numbers side by side
        rows = array.reshape(n) if pre == 1 else np.ascontiguousarray(array.reshape(pre, n).T)
        return _from_zero(_inner_sums(rows, lanes))
    columns = array.reshape(n, post) if pre == 1 else array.reshape(pre, n, post).transpose(1, 0, 2)
    return _from_zero(_outer_sums(columns, lanes))


@functools.lru_cache(maxsize=256)
def _layout(shape: tuple, axis: int | tuple | None) -> str | tuple | None:
    """How PyTorch's kernel walks a row-major tensor of this shape summed over `axis`: "whole",
    ("run", pre, n, post) for summed dimensions side by side (n numbers per sum, `post` apart),
    "split" for summed dimensions with kept ones between them, or None (nothing summed but
    dimensions of size 1)."""
    axes = range(len(shape)) if axis is None else axis if isinstance(axis, tuple) else (axis,)
    if math.prod(shape[i] for i in axes) == math.prod(shape):
        return "whole"
    sizes = [size for size in shape if size != 1]  # (size-1 dimensions change nothing)
    runs = _runs([i in axes for i, size in enumerate(shape) if size != 1])
    if not runs:
        return None
    if len(runs) > 1:
        return "split"
    first, last = runs[0]
    return "run", math.prod(sizes[:first]), math.prod(sizes[first:last]), math.prod(sizes[last:])


def in_memory_order(array: np.ndarray) -> np.ndarray | None:
    """The numbers of a row- or column-major array in the order they lie in memory (the order
    PyTorch's kernels take a whole tensor in); None for any other layout."""
    if array.ndim <= 1 or array.flags.c_contiguous:
        return array.reshape(-1)
    return array.T.reshape(-1) if array.flags.f_contiguous else None


def _from_zero(sums: np.ndarray) -> np.ndarray:
    """PyTorch's sums start from +0.0, so none of them is -0.0 (as sums of -0.0 alone are here)."""
    return sums + 0.0


def _runs(summed: list) -> list[tuple[int, int]]:
    """(start, stop) of each run of summed dimensions."""
    runs, start = [], None
    for i, is_summed in enumerate([*summed, False]):
        if is_summed and start is None:
            start = i
        elif not is_summed and start is not None:
            runs.append((start, i))
            start = None
    return runs


def _split_sum(array: np.ndarray, axis: tuple, lanes: int) -> np.ndarray:
    """Summed dimensions with kept ones between them, as (A, B, C) summed over 0 and 2. PyTorch
    sums the last run's numbers (a row each, as an inner sum: vectors only if that run is the last
    dimension) and adds those row sums up one at a time, the other summed dimensions in order."""
    summed = [i in axis for i, size in enumerate(array.shape) if size != 1]
    array = array.reshape([size for size in array.shape if size != 1])
    first, last = _runs(summed)[-1]
    others = [i for i, is_summed in enumerate(summed) if is_summed and not first <= i < last]
    kept = [i for i, is_summed in enumerate(summed) if not is_summed]
    m, n, k = (math.prod(array.shape[i] for i in dims) for dims in (others, range(first, last), kept))
    blocks = array.transpose([*others, *range(first, last), *kept]).reshape(m, n, k)
    rows = np.ascontiguousarray(blocks.transpose(1, 0, 2)).reshape(n, m * k)  # row by row
    row_sums = _inner_sums(rows, lanes if last == array.ndim else n + 1)  # (n + 1 lanes: no vectors)
    return _in_order(row_sums.reshape(m, k) if k > 1 else row_sums.reshape(m))


def _inner_sums(rows: np.ndarray, lanes: int) -> np.ndarray:
    """Sums of numbers lying side by side (vectorized_inner_sum, scalar_inner_sum), one per column."""
    n = rows.shape[0]
    if n < lanes:
        return _row_sum(rows)
    vectors = n // lanes
    by_lane = _row_sum(rows[: vectors * lanes].reshape(vectors, lanes, *rows.shape[1:]))
    if vectors * lanes < n:  # the numbers left after the last vector, then the lanes
        by_lane = np.concatenate([rows[vectors * lanes :], by_lane])
    return _in_order(by_lane)


def _outer_sums(columns: np.ndarray, lanes: int) -> np.ndarray:
    """Sums whose lanes run across results (vectorized_outer_sum, scalar_outer_sum): each result
    its own column; the first ones, in whole groups, by the cascade, the rest by a row sum."""
    post = columns.shape[-1]
    group = _ILP * lanes if post >= lanes else _ILP
    cascaded = post // group * group
    if cascaded == post:
        return _cascade(columns)
    if cascaded == 0:
        return _row_sum(columns)
    return np.concatenate([_cascade(columns[..., :cascaded]), _row_sum(columns[..., cascaded:])], axis=-1)


def _row_sum(numbers: np.ndarray) -> np.ndarray:
    """row_sum over the first axis: dealt to 4 accumulators, each a cascade; then the numbers
    left over into the first, then the other three."""
    count = numbers.shape[0]
    if count < 2 * _ILP:  # at most one number per accumulator: one sequence, in row_sum's order
        return _in_order(numbers[_row_order(count)])
    rounds = count // _ILP
    accumulators = _cascade(numbers[: rounds * _ILP].reshape(rounds, _ILP, *numbers.shape[1:]))
    if rounds * _ILP < count:  # the numbers left over go into the first accumulator
        accumulators = np.concatenate([accumulators[:1], numbers[rounds * _ILP :], accumulators[1:]])
    return _in_order(accumulators)


@functools.cache
def _row_order(count: int) -> np.ndarray:
    """The order row_sum adds fewer than 8 numbers in: 0, then the ones after the first four, then 1, 2, 3."""
    if count < _ILP:
        return np.arange(count)
    return np.array([0, *range(_ILP, count), *range(1, _ILP)])


def _cascade(numbers: np.ndarray) -> np.ndarray:
    """multi_row_sum over the first axis. Level 0 adds the numbers in turn, and after each block
    of `step` of them (16, below 2^16 numbers) passes its sum on to level 1 and starts again from
    0; levels 1 and 2 likewise pass on the sum of every `step` sums they get; level 3 keeps all.
    At the end: what level 0 holds, plus what levels 1, 2 and 3 hold, in that order."""
    step = 1 << max(4, _ceil_log2(numbers.shape[0]) // _LEVELS)
    rest = numbers.shape[1:]
    held = []  # what each level holds at the end (a level left holding nothing adds nothing)
    sums = numbers
    for _ in range(_LEVELS - 1):
        passed = sums.shape[0] // step
        if passed * step < sums.shape[0]:
            held.append(_in_order(sums[passed * step :]))
        if not passed:
            break
        sums = _in_order(sums[: passed * step].reshape(passed, step, *rest), axis=1)
    else:
        held.append(_in_order(sums))
    total = held[0]
    for level_sum in held[1:]:
        total = total + level_sum
    return total


def _in_order(rows: np.ndarray, axis: int = 0) -> np.ndarray:
    """rows[0] + rows[1] + ... along `axis`, one addition at a time.

    NumPy's sum does that when its innermost loop walks the last axis, adding whole rows in
    turn: when there is a last axis after `axis`, of more than one number, lying side by side
    in memory (the layouts here have no axis closer together). Otherwise it may add pairwise,
    and a running sum is taken instead. (PyTorch starts from 0, which only matters for the sign
    of a zero: pytorch_sum adds 0 at the end.)"""
    if rows.shape[axis] == 1:
        return rows[0] if axis == 0 else rows.take(0, axis=axis)
    if rows.ndim > axis + 1 and rows.shape[-1] > 1 and rows.strides[-1] == rows.itemsize:
        return np.add.reduce(rows, axis=axis)
    if rows.shape[axis] == 0:
        return np.zeros(rows.shape[:axis] + rows.shape[axis + 1 :], rows.dtype)
    running = np.add.accumulate(rows, axis=axis)
    return running[-1] if axis == 0 else running.take(-1, axis=axis)


def _ceil_log2(n: int) -> int:
    return max(n - 1, 0).bit_length()
