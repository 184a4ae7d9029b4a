"""sum_to: the single place where broadcasting is undone."""

from __future__ import annotations

from minigrad.ops.reduce import SumDim
from minigrad.tensor import Tensor


def sum_to(grad: Tensor, shape: tuple) -> Tensor:
    """Sum `grad` down to `shape`: over the leading dimensions broadcasting added, and over the
    dimensions where the input had size 1. The gradient of a broadcast is this sum."""
    lead = grad._array.ndim - len(shape)
    if lead:  # the dimensions broadcasting added in front: summed away
        grad = SumDim.apply(grad, tuple(range(lead)), False)  # (valid dims: no need for sum()'s checks)
    grad_shape = grad._array.shape
    if grad_shape == shape:
        return grad
    kept = tuple(i for i, size in enumerate(shape) if size == 1 and grad_shape[i] != 1)
    if kept:  # the dimensions where the input had size 1: summed, keeping them as size 1
        grad = SumDim.apply(grad, kept, True)
    return grad
