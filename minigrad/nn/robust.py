"""
Regression losses that are squared near zero and absolute far from it, so that an outlier pulls
on the fit no harder than a fixed amount: huber_loss and smooth_l1_loss. Each is one op, as in
PyTorch (HuberLossBackward0, SmoothL1LossBackward0), with PyTorch's formula for each element;
its backward is one op too, differentiable again.

With d = input - target and a parameter c (huber's delta, smooth L1's beta):

    huber:      ½d² where |d| < c, else c·(|d| - ½c);    derivative: d clamped to [-c, c]
    smooth L1:  ½d²/c where |d| < c, else |d| - ½c;      derivative: d/c clamped to [-1, 1]

so smooth L1 is huber divided by c. The reduction ('mean', 'sum' or 'none') folds the elements.
"""

from __future__ import annotations

from typing import Any

from minigrad.autograd.function import Function
from minigrad.ops import elementwise
from minigrad.tensor import Tensor


class HuberLossGrad(Function):
    """z = g·s·clamp(d, -c, c), huber's gradient in one op (PyTorch's huber_loss_backward), itself
    differentiable:  dz/dg = s·clamp(d, -c, c),  dz/dinput = g·s where |d| < c (else 0), dz/dtarget = -dz/dinput."""

    node_name = "HuberLossBackwardBackward0"

    @staticmethod
    def slope(d: Tensor, c: float) -> Tensor:
        """The loss's derivative in d (tensor ops: forward and the second derivative share it)."""
        return d.clamp(-c, c)

    @staticmethod
    def inner_slope(c: float) -> float:
        """The second derivative where |d| < c."""
        return 1.0

    @classmethod
    def forward(cls, ctx, grad, input, target, c, scale):
        ctx.save_for_backward(grad, input, target)
        ctx.c, ctx.scale = c, scale
        return grad._array * scale * cls.slope(input - target, c)._array  # (forward runs unrecorded)

    @classmethod
    def backward(cls, ctx, grad_output):
        grad, input, target = ctx.saved_tensors
        c, scale, needs = ctx.c, ctx.scale, ctx.needs_input_grad
        d = input - target
        grad_grad = None
        if needs[0]:
            grad_grad = grad_output * scale * cls.slope(d, c)
        grad_input = None
        if needs[1] or needs[2]:
            inside = d.abs() < c
            grad_input = elementwise.where(inside, grad_output * grad * (scale * cls.inner_slope(c)), 0.0)
        return grad_grad, grad_input, -grad_input if needs[2] else None, None, None


class SmoothL1LossGrad(HuberLossGrad):
    """z = g·s·clamp(d/c, -1, 1) (PyTorch's smooth_l1_loss_backward); dz/dinput = g·s/c where |d| < c."""

    node_name = "SmoothL1LossBackwardBackward0"

    @staticmethod
    def slope(d: Tensor, c: float) -> Tensor:
        return (d / c).clamp(-1.0, 1.0)

    @staticmethod
    def inner_slope(c: float) -> float:
        return 1 / c


class HuberLoss(Function):
    """L = reduction of huber(d), d = input - target;  dL/dinput = s·clamp(d, -c, c), dL/dtarget = -dL/dinput
    (s = 1/n for the mean, else 1)."""

    node_name = "HuberLossBackward0"
    grad_op = HuberLossGrad

    @staticmethod
    def elementwise(xp: Any, d: Any, c: float) -> Any:
        size = xp.abs(d)
        return xp.where(size < c, 0.5 * d * d, c * (size - 0.5 * c))

    @classmethod
    def forward(cls, ctx, input, target, reduction, c):
        ctx.save_for_backward(input, target)
        ctx.reduction, ctx.c = reduction, c
        losses = cls.elementwise(input._device.xp, input._array - target._array, c)
        count = losses.size  # (the elements of the broadcast loss: the mean's divisor)
        ctx.scale = (1 / count if count else float("nan")) if reduction == "mean" else 1.0
        if reduction == "none":
            return losses
        total = input._device.sum(losses)
        return total if reduction == "sum" else total / losses.size

    @classmethod
    def backward(cls, ctx, grad_output):
        input, target = ctx.saved_tensors
        scale = ctx.scale
        grad = cls.grad_op.apply(grad_output, input, target, ctx.c, scale)  # g · s · clamped d, one op
        return grad if ctx.needs_input_grad[0] else None, -grad if ctx.needs_input_grad[1] else None, None, None


class SmoothL1Loss(HuberLoss):
    """L = reduction of smooth_l1(d) = huber(d)/c;  dL/dinput = s·clamp(d/c, -1, 1)."""

    node_name = "SmoothL1LossBackward0"
    grad_op = SmoothL1LossGrad

    @staticmethod
    def elementwise(xp: Any, d: Any, c: float) -> Any:
        size = xp.abs(d)
        return xp.where(size < c, 0.5 * d * d / c, size - 0.5 * c)
