"""sum_to: the single place where broadcasting is undone."""

from __future__ import annotations

from minigrad.tensor import Tensor


def sum_to(grad: Tensor, shape: tuple) -> Tensor:
    """Sum `grad` down to `shape`: over the leading dimensions broadcasting added, and over the
    dimensions where the input had size 1. The gradient of a broadcast is this sum."""
    lead = grad.ndim - len(shape)
    dims = tuple(range(lead)) + tuple(
        lead + i for i, size in enumerate(shape) if size == 1 and grad.shape[lead + i] != 1
    )
    if dims:
        grad = grad.sum(dims, keepdim=True)
    if lead or grad.shape != tuple(shape):
        grad = grad.reshape(shape)
    return grad
