"""sum_to: the single place where broadcasting is undone."""

from __future__ import annotations

from minigrad.autograd import grad_mode
from minigrad.ops.reduce import SumDim
from minigrad.ops.shape import Reshape
from minigrad.tensor import Tensor


def sum_to(grad: Tensor, shape: tuple) -> Tensor:
    """Sum `grad` down to `shape`: over the leading dimensions broadcasting added, and over the
    dimensions where the input had size 1. The gradient of a broadcast is this sum.

    As in PyTorch, one sum over all those dimensions, so that its numbers are added in PyTorch's
    order (minigrad/sum_order.py); where size-1 dimensions are summed with leading ones, it keeps
    them (size 1) and a view then drops the leading ones."""
    grad_shape = grad._array.shape
    if grad_shape == shape:
        return grad
    lead = len(grad_shape) - len(shape)
    if lead and grad_shape[lead:] == shape:  # only leading dimensions were added (a bias): sum those
        dims = tuple(range(lead))
        if not grad_mode._state.enabled:  # a plain backward records nothing: the sum alone will do
            return Tensor._make(grad._device.sum(grad._array, axis=dims), grad._device)
        return SumDim.apply(grad, dims, False)  # (valid dims: no need for sum()'s checks)
    summed = tuple(range(lead)) + tuple(
        lead + i for i, size in enumerate(shape) if size == 1 and grad_shape[lead + i] != 1
    )
    grad = SumDim.apply(grad, summed, True)  # the input's size-1 dimensions kept as size 1
    return Reshape.apply(grad, shape) if lead else grad
