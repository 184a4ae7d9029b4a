"""
cumsum: running sums along a dimension, y_i = x_0 + ... + x_i. Its backward is the running sum
of the gradient taken from the other end: x_j appears in every y_i with i >= j.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from minigrad import dtypes
from minigrad.autograd.function import Function
from minigrad.ops._common import normalize_dim
from minigrad.tensor import Tensor


class Cumsum(Function):
    """y_i = Σ_{j<=i} x_j along dim;  dL/dx_j = Σ_{i>=j} dL/dy_i, flip(cumsum(flip(grad)))."""

    node_name = "CumsumBackward0"

    @staticmethod
    def forward(ctx, x, dim):
        ctx.dim = dim
        xp, a = x._device.xp, x._array
        if a.ndim == 0:
            return xp.asarray(a, copy=True)
        running_sum = getattr(xp, "cumulative_sum", None) or getattr(xp, "cumsum")  # noqa: B009  (older CuPy: cumsum)
        if xp is np and a.dtype == np.float32:  # PyTorch adds float32 in float64, rounding each sum once
            return running_sum(a.astype(np.float64), axis=dim).astype(np.float32)
        return running_sum(a, axis=dim)

    @staticmethod
    def backward(ctx, grad_output):
        if grad_output.ndim == 0 or grad_output.shape[ctx.dim] <= 1:
            return grad_output, None
        return grad_output.flip(ctx.dim).cumsum(ctx.dim).flip(ctx.dim), None


def cumsum(x: Tensor, dim: int, *, dtype: Any = None) -> Tensor:
    """The running sums of x along dim. Integers and bools are summed as int64, as in PyTorch."""
    dim = normalize_dim(dim, x.ndim)
    if dtype is not None:
        x = x.to(dtypes.to_dtype(dtype))
    elif not x.dtype.is_floating_point:
        x = x.to(dtypes.int64)
    return Cumsum.apply(x, dim)
