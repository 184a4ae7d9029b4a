"""sum_to: the single place where broadcasting is undone."""

from __future__ import annotations

from minigrad.ops.reduce import SumDim
from minigrad.ops.shape import Reshape
from minigrad.tensor import Tensor


def sum_to(grad: Tensor, shape: tuple) -> Tensor:
    """Sum `grad` down to `shape`: over the leading dimensions broadcasting added, and over the
    dimensions where the input had size 1. The gradient of a broadcast is this sum.

    As in PyTorch, one sum over all those dimensions, so that its numbers are added in PyTorch's
    order (minigrad/sum_order.py). It keeps the input's size-1 dimensions; if leading ones were
    summed too, a view then drops those."""
    grad_shape = grad._array.shape
    if grad_shape == shape:
        return grad
    lead = len(grad_shape) - len(shape)
    summed = tuple(range(lead)) + tuple(
        lead + i for i, size in enumerate(shape) if size == 1 and grad_shape[lead + i] != 1
    )
    keepdim = len(summed) > lead  # some of the input's size-1 dimensions are summed: kept as size 1
    grad = SumDim.apply(grad, summed, keepdim)  # (valid dims: no need for sum()'s checks)
    return Reshape.apply(grad, shape) if keepdim and lead else grad
