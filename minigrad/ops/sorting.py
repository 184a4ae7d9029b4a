"""
sort, argsort and topk along a dimension. The values are gathered from x by the sorting order,
so the gradient is scattered back by the same order (each value's gradient goes to the element
it came from; elements topk left out get 0). Equal values keep their order, as a stable sort
does; NaN counts as the largest value, so it comes last ascending and first descending, as in
PyTorch.
"""

from __future__ import annotations

from minigrad import dtypes
from minigrad.autograd.function import Function
from minigrad.ops._common import normalize_dim
from minigrad.ops.indexing import IndexPut, _gather_key
from minigrad.ops.reduce import _ValuesIndices
from minigrad.tensor import Tensor


class sort_result(_ValuesIndices):  # noqa: N801  (torch.return_types.sort)
    __slots__ = ()
    name = "sort"


class topk_result(_ValuesIndices):  # noqa: N801  (torch.return_types.topk)
    __slots__ = ()
    name = "topk"


def _sorting_order(x: Tensor, dim: int, descending: bool):  # noqa: ANN202  (an array)
    """The indices that sort x along dim, stably; descending: sort the reversed x and reverse
    back, so that equal values still keep their order and NaN, last ascending, comes first."""
    xp, a = x._device.xp, x._array
    if not descending:
        return xp.argsort(a, axis=dim, stable=True)
    last = a.shape[dim] - 1
    return last - xp.flip(xp.argsort(xp.flip(a, axis=dim), axis=dim, stable=True), axis=dim)


class Sort(Function):
    """(values, indices): x's elements along dim in order;  dL/dx[indices[i]] = dL/dvalues[i]."""

    node_name = "SortBackward0"

    @staticmethod
    def forward(ctx, x, dim, descending, k):
        xp = x._device.xp
        order = xp.astype(_sorting_order(x, dim, descending), xp.int64)
        if k is not None:  # topk: the first k of the order
            order = order[(slice(None),) * dim + (slice(0, k), ...)]
        indices = Tensor._make(order, x._device)
        ctx.key, ctx.shape = _gather_key(x, dim, indices), x.shape
        ctx.mark_non_differentiable(indices)
        return xp.take_along_axis(x._array, order, axis=dim), indices

    @staticmethod
    def backward(ctx, grad_values, grad_indices):
        return IndexPut.apply(grad_values, ctx.key, ctx.shape), None, None, None


class Topk(Sort):
    node_name = "TopkBackward0"


def sort(x: Tensor, dim: int = -1, descending: bool = False, stable: bool = False) -> sort_result:
    """The values along dim in ascending order (descending: largest first) and where each came from.
    (The sort is always stable, which `stable=False` allows.)"""
    dim = normalize_dim(dim, x.ndim)
    if x.ndim == 0:
        return sort_result(x.clone(), x.new_zeros((), dtype=dtypes.int64))
    return sort_result(*Sort.apply(x, dim, descending, None))


def argsort(x: Tensor, dim: int = -1, descending: bool = False, stable: bool = False) -> Tensor:
    """The indices that sort x along dim: sort(x, dim, descending).indices, without the values."""
    dim = normalize_dim(dim, x.ndim)
    if x.ndim == 0:
        return x.new_zeros((), dtype=dtypes.int64)
    xp = x._device.xp
    return Tensor._make(xp.astype(_sorting_order(x, dim, descending), xp.int64), x._device)


def topk(x: Tensor, k: int, dim: int = -1, largest: bool = True, sorted: bool = True) -> topk_result:  # noqa: A002
    """The k largest values along dim (largest=False: the k smallest), in order, and their indices."""
    dim = normalize_dim(dim, x.ndim)
    size = x.shape[dim] if x.ndim else 1
    if not 0 <= k <= size:
        raise RuntimeError("selected index k out of range")
    if x.ndim == 0:
        return topk_result(x.clone(), x.new_zeros((), dtype=dtypes.int64))
    return topk_result(*Topk.apply(x, dim, largest, k))
