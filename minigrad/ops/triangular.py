"""
tril and triu: the lower or upper triangle of a matrix (of each matrix in a batch), the rest set
to 0. `diagonal` moves the edge: 0 keeps the main diagonal, 1 starts above it, -1 below. The
gradient flows only to the elements kept, so each backward is the same op on the gradient.
"""

from __future__ import annotations

from typing import Any

from minigrad.autograd.function import Function
from minigrad.ops._common import as_index
from minigrad.tensor import Tensor


def _triangle_mask(x: Tensor, diagonal: int, lower: bool) -> Any:
    """True where column - row <= diagonal (lower) or >= diagonal (upper), over the last two dims."""
    xp, (rows, columns) = x._device.xp, x._array.shape[-2:]
    row = xp.reshape(xp.arange(rows, **x._device.on_device), (rows, 1))
    column = xp.reshape(xp.arange(columns, **x._device.on_device), (1, columns))
    return column - row <= diagonal if lower else column - row >= diagonal


class Tril(Function):
    """y = x where column - row <= diagonal, else 0;  the gradient is tril of the gradient."""

    node_name = "TrilBackward0"
    lower = True

    @classmethod
    def forward(cls, ctx, x, diagonal):
        ctx.diagonal = diagonal
        xp, a = x._device.xp, x._array
        return xp.where(_triangle_mask(x, diagonal, cls.lower), a, xp.zeros_like(a))

    @staticmethod
    def backward(ctx, grad_output):
        return ctx._forward_cls.apply(grad_output, ctx.diagonal), None


class Triu(Tril):
    """y = x where column - row >= diagonal, else 0;  the gradient is triu of the gradient."""

    node_name = "TriuBackward0"
    lower = False


def _triangle(op: type[Function], name: str, x: Tensor, diagonal: int) -> Tensor:
    if x.ndim < 2:
        raise RuntimeError(f"{name}: input tensor must have at least 2 dimensions")
    return op.apply(x, as_index(diagonal, "diagonal"))


def tril(x: Tensor, diagonal: int = 0) -> Tensor:
    return _triangle(Tril, "tril", x, diagonal)


def triu(x: Tensor, diagonal: int = 0) -> Tensor:
    return _triangle(Triu, "triu", x, diagonal)
