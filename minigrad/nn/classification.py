"""
The losses of classification: nll_loss and binary_cross_entropy as ops of their own, as in
PyTorch (their nodes print as NllLossBackward0 and BinaryCrossEntropyBackward0). cross_entropy
and binary_cross_entropy_with_logits are composites of them and of log_softmax / logsigmoid,
as PyTorch writes them, in functional.py.
"""

from __future__ import annotations

from typing import Any

from minigrad import dtypes
from minigrad.autograd.function import Function
from minigrad.backend import quiet
from minigrad.tensor import Tensor


class NllLoss(Function):
    """L = -Σ_i w[t_i]·x[i, t_i] / Σ_i w[t_i] (mean; the sum: no division; none: one loss per i),
    over the i whose target is not ignore_index;  dL/dx[i, c] = -w[t_i] / Σ w where c = t_i, else 0.

    `x` is (N, C) log-probabilities (or (C,), or (N, C, d1, ...) with the classes in dim 1), `t`
    the N class indices."""

    node_name = "NllLossBackward0"

    @staticmethod
    @quiet
    def forward(ctx, x, target, weight, reduction, ignore_index):
        xp, dev = x._device.xp, x._device
        scores, classes = _rows_of_classes(x)  # (M, C): one row per target
        t = xp.reshape(target._array, (-1,))
        kept = t != ignore_index
        safe_t = xp.where(kept, t, xp.zeros_like(t))
        out_of_bounds = kept & ((t < 0) | (t >= classes))
        if bool(xp.any(out_of_bounds)):
            raise IndexError(f"Target {int(t[out_of_bounds][0])} is out of bounds.")
        w = weight._array if weight is not None else xp.ones(classes, dtype=scores.dtype, **dev.on_device)
        row_weight = xp.where(kept, xp.take(w, safe_t), xp.zeros(t.shape, dtype=scores.dtype, **dev.on_device))
        picked = xp.take_along_axis(scores, xp.reshape(safe_t, (-1, 1)), axis=1)[:, 0]
        losses = -row_weight * picked
        is_target = xp.reshape(xp.arange(classes, **dev.on_device), (1, -1)) == xp.reshape(safe_t, (-1, 1))
        coefficients = xp.where(is_target, -xp.reshape(row_weight, (-1, 1)), xp.zeros_like(scores))
        ctx.reduction, ctx.input_shape = reduction, x.shape
        if reduction == "none":
            result = xp.reshape(losses, target.shape)
        elif reduction == "sum":
            result = dev.sum(losses)
        else:
            total_weight = dev.sum(row_weight)
            result, coefficients = dev.sum(losses) / total_weight, coefficients / total_weight  # (all ignored: nan)
        ctx.coefficients = Tensor._make(coefficients, dev)
        return result

    @staticmethod
    def backward(ctx, grad_output):
        if ctx.reduction == "none":  # one loss per row: each row's gradient scales its coefficients
            grad_output = grad_output.reshape(-1, 1)
        grad_rows = grad_output * ctx.coefficients  # (M, C)
        return _back_to_input_layout(grad_rows, ctx.input_shape), None, None, None, None


def _rows_of_classes(x: Tensor) -> tuple[Any, int]:
    """x's array as (M, C): the classes along dim 1 moved last, everything else flattened."""
    xp, a = x._device.xp, x._array
    if a.ndim == 1:
        return xp.reshape(a, (1, -1)), a.shape[0]
    classes = a.shape[1]
    if a.ndim > 2:  # (N, C, d1, ...) -> (N, d1, ..., C)
        a = xp.permute_dims(a, (0, *range(2, a.ndim), 1))
    return xp.reshape(a, (-1, classes)), classes


def _back_to_input_layout(grad_rows: Tensor, input_shape: tuple) -> Tensor:
    """The inverse of _rows_of_classes, with Tensor ops (so that it is differentiable)."""
    if len(input_shape) <= 2:
        return grad_rows.reshape(input_shape)
    moved = (input_shape[0], *input_shape[2:], input_shape[1])  # (N, d1, ..., C) -> (N, C, d1, ...)
    return grad_rows.reshape(moved).permute(0, len(moved) - 1, *range(1, len(moved) - 1))


class BinaryCrossEntropy(Function):
    """L = -w·(t·ln x + (1 - t)·ln(1 - x)), each log at least -100 (PyTorch's clamp), reduced;
    dL/dx = w·(x - t) / max(x·(1 - x), 1e-12),  dL/dt = w·(ln(1 - x) - ln x)."""

    node_name = "BinaryCrossEntropyBackward0"

    @staticmethod
    @quiet
    def forward(ctx, x, target, weight, reduction):
        xp, a, t = x._device.xp, x._array, target._array
        if not bool(xp.all((a >= 0) & (a <= 1))):
            raise RuntimeError("all elements of input should be between 0 and 1")
        if not bool(xp.all((t >= 0) & (t <= 1))):
            raise RuntimeError("all elements of target should be between 0 and 1")
        ctx.save_for_backward(x, target, weight)
        ctx.reduction = reduction
        floor = xp.asarray(-100, dtype=a.dtype, **x._device.on_device)
        loss = (t - 1) * xp.maximum(xp.log1p(-a), floor) - t * xp.maximum(xp.log(a), floor)
        if weight is not None:
            loss = loss * weight._array
        if reduction == "none":
            return loss
        total = x._device.sum(loss)
        return total if reduction == "sum" else total / loss.size

    @staticmethod
    def backward(ctx, grad_output):
        x, target, weight = ctx.saved_tensors
        scale = grad_output / x.numel() if ctx.reduction == "mean" else grad_output
        if weight is not None:
            scale = scale * weight
        grad_x = scale * (x - target) / (x * (1 - x)).clamp(min=1e-12) if ctx.needs_input_grad[0] else None
        grad_target = None
        if ctx.needs_input_grad[1]:
            grad_target = scale * ((-x).log1p().clamp(min=-100) - x.log().clamp(min=-100))
        return grad_x, grad_target, None, None


def check_class_target(input: Tensor, target: Tensor) -> None:
    """PyTorch's errors for class-index targets that do not fit the input, in the order PyTorch
    checks them (its checks are spread over several kernels: (C,), (N, C), (N, C, H, W) and others)."""
    target_batch = target.shape[0] if target.ndim else 0
    if input.ndim != 1 and input.shape[0] != target_batch:
        raise ValueError(f"Expected input batch_size ({input.shape[0]}) to match target batch_size ({target_batch}).")
    batch_shape = (input.shape[0], *input.shape[2:])
    if input.ndim <= 2 and target.ndim > 1:
        raise RuntimeError("0D or 1D target tensor expected, multi-target not supported")
    if input.ndim == 4 and target.ndim != 3:
        raise RuntimeError(
            f"only batches of spatial targets supported (3D tensors) but got targets of dimension: {target.ndim}"
        )
    if input.ndim not in (1, 2, 4) and tuple(target.shape) != batch_shape:
        raise RuntimeError(f"Expected target size {list(batch_shape)}, got {list(target.shape)}")
    if target.dtype not in (dtypes.int64, dtypes.uint8):
        raise RuntimeError(f"expected target dtype to be Long or Byte, but got {dtypes.torch_type_name(target.dtype)}")
    if input.ndim != 1 and target.ndim == 0:  # (an empty batch and a 0-d target: PyTorch asks for its size 0)
        raise IndexError("Dimension specified as 0 but tensor has no dimensions")
    if input.ndim == 1 and target.ndim == 1 and target.shape[0] != 1:  # (C,) input: a target of one class
        raise ValueError(f"For 1D input, 1D target must have size 1, but got target size: {target.shape[0]}")
    if input.ndim == 4 and tuple(target.shape) != batch_shape:
        raise RuntimeError(f"size mismatch (got input: {list(input.shape)} , target: {list(target.shape)}")  # (sic)
    if input.ndim > 2 and target.dtype is dtypes.uint8:  # (the kernels for images take Long targets only)
        raise RuntimeError("expected scalar type Long but found Byte")
