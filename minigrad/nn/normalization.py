"""
Layer normalization (layer_norm, nn.LayerNorm): each sample's last dimensions shifted to mean 0
and scaled to variance 1, then scaled by a learned weight and shifted by a learned bias. One op, as
in PyTorch (NativeLayerNormBackward0); its backward is written with tensor ops, recomputing the
mean and variance from the input, so that it can be differentiated again.

With x̂ = (x - μ)·r, r = 1/√(σ² + ε) (μ, σ² over the normalized dimensions, n numbers), y = x̂·w + b:

    dL/dx = r·(gw - mean(gw) - x̂·mean(gw·x̂)),   gw = dL/dy·w
    dL/dw = dL/dy·x̂,   dL/db = dL/dy            (summed over the other dimensions by the engine)
"""

from __future__ import annotations

from typing import Any

from minigrad.autograd.function import Function
from minigrad.tensor import Tensor


class LayerNorm(Function):
    """y = (x - μ)/√(σ² + ε)·w + b over the last dimensions (see the module docstring)."""

    node_name = "NativeLayerNormBackward0"

    @staticmethod
    def forward(ctx, x, weight, bias, dims, eps):
        ctx.save_for_backward(x, weight)
        ctx.dims, ctx.eps = dims, eps
        xp, a = x._device.xp, x._array
        mean = xp.mean(a, axis=dims, keepdims=True)
        centered = a - mean
        rstd = 1 / xp.sqrt(xp.mean(centered * centered, axis=dims, keepdims=True) + eps)
        y = centered * rstd
        if weight is not None:
            y = y * weight._array
        if bias is not None:
            y = y + bias._array
        return y

    @staticmethod
    def backward(ctx, grad_output):
        x, weight = ctx.saved_tensors
        dims, needs = ctx.dims, ctx.needs_input_grad
        centered = x - x.mean(dims, keepdim=True)
        rstd = ((centered * centered).mean(dims, keepdim=True) + ctx.eps).rsqrt()
        normalized = centered * rstd
        grad_x = None
        if needs[0]:
            scaled = grad_output if weight is None else grad_output * weight
            grad_x = rstd * (
                scaled - scaled.mean(dims, keepdim=True) - normalized * (scaled * normalized).mean(dims, keepdim=True)
            )
        grad_weight = grad_output * normalized if needs[1] else None
        grad_bias = grad_output if needs[2] else None
        return grad_x, grad_weight, grad_bias, None, None


def layer_norm(
    input: Tensor,
    normalized_shape: Any,
    weight: Tensor | None = None,
    bias: Tensor | None = None,
    eps: float = 1e-5,
) -> Tensor:
    """Normalize over the last len(normalized_shape) dimensions, then scale by weight and shift by bias."""
    if not isinstance(normalized_shape, (tuple, list)):
        raise TypeError(
            "layer_norm(): argument 'normalized_shape' (position 2) must be tuple of ints, "
            f"not {type(normalized_shape).__name__}"
        )
    shape = [int(size) for size in normalized_shape]
    count = len(shape)
    if list(input.shape[input.ndim - count :]) != shape or input.ndim < count:
        raise RuntimeError(
            f"Given normalized_shape={shape}, expected input with shape [*, {', '.join(map(str, shape))}], "
            f"but got input of size{list(input.shape)}"
        )
    for name, parameter in (("weight", weight), ("bias", bias)):
        if parameter is not None and list(parameter.shape) != shape:
            raise RuntimeError(
                f"Expected {name} to be of same shape as normalized_shape, but got {name} of shape "
                f"{list(parameter.shape)} and normalized_shape = {shape}"
            )
    dims = tuple(range(input.ndim - count, input.ndim))
    return LayerNorm.apply(input, weight, bias, dims, eps)
