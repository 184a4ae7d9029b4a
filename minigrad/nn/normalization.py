"""
Normalization: layer_norm (each sample over its last dimensions) and batch_norm (each channel over
the batch and the positions), each shifting to mean 0 and scaling to variance 1, then scaling by a
learned weight and shifting by a learned bias. One op each, as in PyTorch (NativeLayerNormBackward0,
NativeBatchNormBackward0): the same arithmetic over different dimensions. The backward is written
with tensor ops, recomputing the mean and variance from the input, so that it can be differentiated
again. In evaluation, batch_norm uses the running statistics instead: plain tensor ops.

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


class BatchNorm(LayerNorm):
    """The same op over the batch (and position) dimensions: one mean and variance per channel."""

    node_name = "NativeBatchNormBackward0"


def batch_norm(
    input: Tensor,
    running_mean: Tensor | None,
    running_var: Tensor | None,
    weight: Tensor | None = None,
    bias: Tensor | None = None,
    training: bool = False,
    momentum: float = 0.1,
    eps: float = 1e-5,
) -> Tensor:
    """Normalize each channel (dim 1) over the batch and the other dimensions. In training, with the
    batch's mean and (biased) variance, and the running statistics, if given, move towards the batch's
    (the variance unbiased): running = (1 - momentum)·running + momentum·batch. Otherwise with them."""
    channels = input.shape[1] if input.ndim > 1 else 1
    for name, tensor in (("running_mean", running_mean), ("running_var", running_var)):
        if tensor is not None and tensor.numel() != channels:
            raise RuntimeError(f"{name} should contain {channels} elements not {tensor.numel()}")
    per_channel = (channels,) + (1,) * (input.ndim - 2)  # a (C,) vector against (N, C, L, ...)
    weight = None if weight is None else weight.reshape(per_channel)
    bias = None if bias is None else bias.reshape(per_channel)
    if not training:
        scale = (running_var.reshape(per_channel) + eps).rsqrt()
        output = (input - running_mean.reshape(per_channel)) * scale
        output = output if weight is None else output * weight
        return output if bias is None else output + bias
    dims = (0, *range(2, input.ndim))
    count = input.numel() // channels
    if count <= 1:
        raise ValueError(f"Expected more than 1 value per channel when training, got input size {input.size()}")
    if running_mean is not None or running_var is not None:
        _update_running_stats(input.detach(), dims, running_mean, running_var, momentum)
    return BatchNorm.apply(input, weight, bias, dims, eps)


def _update_running_stats(x: Tensor, dims: tuple, mean: Tensor | None, var: Tensor | None, momentum: float) -> None:
    """running = (1 - momentum)·running + momentum·batch, in place and unrecorded; the batch's variance
    unbiased (·n/(n - 1)), as PyTorch keeps it."""
    from minigrad.autograd import no_grad

    with no_grad():
        if mean is not None:
            mean.copy_(momentum * x.mean(dims) + (1 - momentum) * mean)
        if var is not None:
            var.copy_(momentum * x.var(dims) + (1 - momentum) * var)  # (var: unbiased, n - 1)
