"""
Trigonometric and hyperbolic functions beyond sin and cos (those are in unary.py): tan, asin,
acos, atan, atan2, sinh and cosh. Each backward is PyTorch's formula, written with Tensor ops
so that it can be differentiated again; integer inputs give floats, as in PyTorch.
"""

from __future__ import annotations

from minigrad import backend
from minigrad.autograd.function import Function
from minigrad.backend import quiet
from minigrad.ops._common import check_tensor_argument, floating, promote
from minigrad.tensor import Tensor


class Tan(Function):
    """y = tan x;  dy/dx = 1 + tan²x = 1 + y²."""

    node_name = "TanBackward0"

    @staticmethod
    @quiet
    def forward(ctx, x):
        result = Tensor._make(backend.transcendental(x._device, "tan", floating(x)), x._device)
        ctx.save_for_backward(result)  # the output, as PyTorch
        return result

    @staticmethod
    def backward(ctx, grad_output):
        (y,) = ctx.saved_tensors
        return grad_output * (1 + y * y)


class Asin(Function):
    """y = arcsin x;  dy/dx = 1/√(1 - x²)."""

    node_name = "AsinBackward0"

    @staticmethod
    @quiet
    def forward(ctx, x):
        ctx.save_for_backward(x)
        return backend.transcendental(x._device, "asin", floating(x))

    @staticmethod
    def backward(ctx, grad_output):
        (x,) = ctx.saved_tensors
        return grad_output * (1 - x * x).rsqrt()


class Acos(Function):
    """y = arccos x;  dy/dx = -1/√(1 - x²)."""

    node_name = "AcosBackward0"

    @staticmethod
    @quiet
    def forward(ctx, x):
        ctx.save_for_backward(x)
        return backend.transcendental(x._device, "acos", floating(x))

    @staticmethod
    def backward(ctx, grad_output):
        (x,) = ctx.saved_tensors
        return grad_output * -(1 - x * x).rsqrt()


class Atan(Function):
    """y = arctan x;  dy/dx = 1/(1 + x²)."""

    node_name = "AtanBackward0"

    @staticmethod
    def forward(ctx, x):
        ctx.save_for_backward(x)
        return backend.transcendental(x._device, "atan", floating(x))

    @staticmethod
    def backward(ctx, grad_output):
        (x,) = ctx.saved_tensors
        return grad_output / (x * x + 1)


class Atan2(Function):
    """z = atan2(y, x), the angle of the point (x, y);  dz/dy = x/(x² + y²),  dz/dx = -y/(x² + y²)."""

    node_name = "Atan2Backward0"

    @staticmethod
    @quiet
    def forward(ctx, y, x):
        ctx.save_for_backward(y, x)
        return backend.transcendental(y._device, "atan2", y._array, x._array)

    @staticmethod
    def backward(ctx, grad_output):
        y, x = ctx.saved_tensors
        squared_radius = y * y + x * x
        grad_y = grad_output * x / squared_radius if ctx.needs_input_grad[0] else None
        grad_x = grad_output * -y / squared_radius if ctx.needs_input_grad[1] else None
        return grad_y, grad_x


class Sinh(Function):
    """y = sinh x;  dy/dx = cosh x."""

    node_name = "SinhBackward0"

    @staticmethod
    @quiet
    def forward(ctx, x):
        ctx.save_for_backward(x)
        return backend.transcendental(x._device, "sinh", floating(x))

    @staticmethod
    def backward(ctx, grad_output):
        (x,) = ctx.saved_tensors
        return grad_output * x.cosh()


class Cosh(Function):
    """y = cosh x;  dy/dx = sinh x."""

    node_name = "CoshBackward0"

    @staticmethod
    @quiet
    def forward(ctx, x):
        ctx.save_for_backward(x)
        return backend.transcendental(x._device, "cosh", floating(x))

    @staticmethod
    def backward(ctx, grad_output):
        (x,) = ctx.saved_tensors
        return grad_output * x.sinh()


def tan(x: Tensor) -> Tensor:
    return Tan.apply(x)


def asin(x: Tensor) -> Tensor:
    return Asin.apply(x)


def acos(x: Tensor) -> Tensor:
    return Acos.apply(x)


def atan(x: Tensor) -> Tensor:
    return Atan.apply(x)


def sinh(x: Tensor) -> Tensor:
    return Sinh.apply(x)


def cosh(x: Tensor) -> Tensor:
    return Cosh.apply(x)


def atan2(input: Tensor, other: Tensor) -> Tensor:  # noqa: A002  (torch.atan2's names)
    """The angle of the point (other, input) from the x axis, in (-π, π]."""
    check_tensor_argument("atan2", "input", 1, input)
    check_tensor_argument("atan2", "other", 2, other)
    y, x = promote(input, other)
    if not y.dtype.is_floating_point:  # atan2 of integers is float, as in PyTorch
        y, x = Tensor._make(floating(y), y._device), Tensor._make(floating(x), x._device)
    return Atan2.apply(y, x)
