"""
Activations beyond relu, sigmoid and tanh, for minigrad.nn.functional (PyTorch keeps them there
too, not in the torch namespace): softplus, silu, gelu, elu (and selu, celu), leaky_relu, logsigmoid,
hardtanh (and relu6), hardsigmoid, hardswish and mish. Each is one op,
as in PyTorch, with PyTorch's node name, its forward formula and its backward formula; the
backwards use Tensor ops so that they can be differentiated again.
"""

from __future__ import annotations

import math
from typing import Any

from minigrad.autograd.function import Function
from minigrad.backend import quiet
from minigrad.ops import elementwise, unary
from minigrad.tensor import Tensor

__all__ = [
    "softplus",
    "silu",
    "gelu",
    "elu",
    "selu",
    "celu",
    "leaky_relu",
    "logsigmoid",
    "hardtanh",
    "relu6",
    "hardsigmoid",
    "hardswish",
    "mish",
]


class Softplus(Function):
    """y = ln(1 + e^(βx))/β, a smooth relu; x itself where βx > threshold (there they agree to
    the last digit);  dy/dx = e^(βx)/(1 + e^(βx)), a sigmoid (1 above the threshold)."""

    node_name = "SoftplusBackward0"

    @staticmethod
    @quiet
    def forward(ctx, x, beta, threshold):
        ctx.save_for_backward(x)
        ctx.beta, ctx.threshold = beta, threshold
        xp, a = x._device.xp, x._array
        scaled = a * beta
        return xp.where(scaled > threshold, a, xp.log1p(xp.exp(scaled)) / beta)

    @staticmethod
    def backward(ctx, grad_output):
        (x,) = ctx.saved_tensors
        scaled = x * ctx.beta
        z = scaled.exp()
        return elementwise.where(scaled > ctx.threshold, grad_output, grad_output * z / (z + 1)), None, None


class Silu(Function):
    """y = x·σ(x) (swish);  dy/dx = σ(x)·(1 + x·(1 - σ(x)))."""

    node_name = "SiluBackward0"

    @staticmethod
    @quiet
    def forward(ctx, x):
        ctx.save_for_backward(x)
        a = x._array
        return a / (1 + x._device.xp.exp(-a))

    @staticmethod
    def backward(ctx, grad_output):
        (x,) = ctx.saved_tensors
        sigmoid = x.sigmoid()
        return grad_output * sigmoid * (1 + x * (1 - sigmoid))


class Gelu(Function):
    """y = x·Φ(x), Φ the standard normal's distribution function, Φ(x) = (1 + erf(x/√2))/2;
    dy/dx = Φ(x) + x·φ(x), φ(x) = e^(-x²/2)/√(2π). With approximate='tanh', Φ(x) is taken as
    (1 + tanh(√(2/π)·(x + 0.044715·x³)))/2, and the derivative is that formula's."""

    node_name = "GeluBackward0"

    @staticmethod
    @quiet
    def forward(ctx, x, approximate):
        ctx.save_for_backward(x)
        ctx.approximate = approximate
        if approximate == "tanh":
            return _gelu_tanh(x)._array
        return (x * 0.5 * (1 + (x * _SQRT_HALF).erf()))._array

    @staticmethod
    def backward(ctx, grad_output):
        (x,) = ctx.saved_tensors
        if ctx.approximate == "tanh":
            inner = _TANH_SCALE * (x + _KAPPA * x * x * x)
            tanh_inner = inner.tanh()
            left_derivative = 0.5 * (1 + tanh_inner)
            right_derivative = 0.5 * x * (1 - tanh_inner * tanh_inner) * _TANH_SCALE * (1 + 3 * _KAPPA * x * x)
            return grad_output * (left_derivative + right_derivative), None
        cdf = 0.5 * (1 + (x * _SQRT_HALF).erf())
        pdf = (-0.5 * x * x).exp() * _INVERSE_SQRT_TAU
        return grad_output * (cdf + x * pdf), None


_SQRT_HALF = math.sqrt(0.5)
_INVERSE_SQRT_TAU = 1 / math.sqrt(2 * math.pi)
_TANH_SCALE = math.sqrt(2 / math.pi)
_KAPPA = 0.044715


def _gelu_tanh(x: Tensor) -> Tensor:
    return 0.5 * x * (1 + (_TANH_SCALE * (x + _KAPPA * x * x * x)).tanh())


class Elu(Function):
    """PyTorch's elu with its two scales, s and r (selu and celu are this op too):
    y = s·x for x > 0, s·α·(e^(r·x) - 1) below;  dy/dx = s for x > 0, s·α·r·e^(r·x) below."""

    node_name = "EluBackward0"

    @staticmethod
    @quiet
    def forward(ctx, x, alpha, scale, input_scale):
        ctx.save_for_backward(x)
        ctx.alpha, ctx.scale, ctx.input_scale = alpha, scale, input_scale
        xp, a = x._device.xp, x._array
        return xp.where(a > 0, a * scale, xp.expm1(a * input_scale) * (alpha * scale))

    @staticmethod
    def backward(ctx, grad_output):
        (x,) = ctx.saved_tensors
        alpha, scale, input_scale = ctx.alpha, ctx.scale, ctx.input_scale
        below = grad_output * (alpha * scale * input_scale) * (x * input_scale).exp()
        # (x <= 0, as PyTorch asks it: a nan input takes the positive side's gradient, s)
        return elementwise.where(x <= 0, below, grad_output * scale), None, None, None


class Celu(Elu):
    """celu(x, α) = elu with s = 1 and r = 1/α: x for x > 0, α·(e^(x/α) - 1) below."""

    node_name = "CeluBackward0"


class LeakyRelu(Function):
    """y = x for x > 0, slope·x below;  dy/dx = 1 for x > 0, slope below (and at 0)."""

    node_name = "LeakyReluBackward0"

    @staticmethod
    def forward(ctx, x, negative_slope):
        ctx.save_for_backward(x)
        ctx.negative_slope = negative_slope
        a = x._array
        return x._device.xp.where(a > 0, a, a * negative_slope)

    @staticmethod
    def backward(ctx, grad_output):
        (x,) = ctx.saved_tensors
        return elementwise.where(x > 0, grad_output, grad_output * ctx.negative_slope), None


class Hardtanh(Function):
    """y = x clamped to [low, high];  dy/dx = 1 strictly between them, else 0 (at the ends too)."""

    node_name = "HardtanhBackward0"

    forward = staticmethod(unary.Clamp.forward)  # clamp's values; only the gradient at the ends differs

    @staticmethod
    def backward(ctx, grad_output):
        (x,) = ctx.saved_tensors
        return HardtanhGrad.apply(grad_output, x, ctx.low, ctx.high), None, None


class HardtanhGrad(Function):
    """z = g where low < x < high, else 0: hardtanh's backward in one op (PyTorch's
    hardtanh_backward). Differentiable again: dz/dg is the same mask, dz/dx = 0."""

    node_name = "HardtanhBackwardBackward0"

    @staticmethod
    def forward(ctx, grad, x, low, high):
        ctx.save_for_backward(x)
        ctx.low, ctx.high = low, high
        xp, a, g = x._device.xp, x._array, grad._array
        return xp.where((a <= low) | (a >= high), xp.zeros_like(g), g)  # (so a nan input passes g, as in PyTorch)

    @staticmethod
    def backward(ctx, grad_output):
        (x,) = ctx.saved_tensors
        return HardtanhGrad.apply(grad_output, x, ctx.low, ctx.high), x.new_zeros(x.shape), None, None


class Threshold(Function):
    """y = x where x > t, else a given value;  dy/dx = 1 above t, 0 at and below it."""

    node_name = "ThresholdBackward0"

    @staticmethod
    def forward(ctx, x, threshold, value):
        ctx.save_for_backward(x)
        ctx.threshold = threshold
        xp, a = x._device.xp, x._array
        return xp.where(a <= threshold, xp.asarray(value, dtype=a.dtype, **x._device.on_device), a)  # (nan stays)

    @staticmethod
    def backward(ctx, grad_output):
        (x,) = ctx.saved_tensors
        return elementwise.where(x <= ctx.threshold, grad_output.new_zeros(()), grad_output), None, None


class PreluKernel(Function):
    """y = x for x > 0, a·x below (a broadcast against x);  dy/dx = 1 or a, dy/da = 0 or x."""

    node_name = "PreluKernelBackward0"

    @staticmethod
    def forward(ctx, x, slope):
        ctx.save_for_backward(x, slope)
        xp, a = x._device.xp, x._array
        return xp.where(a > 0, a, slope._array * a)

    @staticmethod
    def backward(ctx, grad_output):
        x, slope = ctx.saved_tensors
        positive = x > 0
        grad_x = elementwise.where(positive, grad_output, slope * grad_output) if ctx.needs_input_grad[0] else None
        grad_slope = (
            elementwise.where(positive, grad_output.new_zeros(()), x * grad_output) if ctx.needs_input_grad[1] else None
        )
        return grad_x, grad_slope  # (grad_slope is summed to the slope's shape by the engine)


class Hardsigmoid(Function):
    """y = min(max(x + 3, 0), 6)/6, a piecewise-linear sigmoid;  dy/dx = 1/6 for -3 < x < 3, else 0."""

    node_name = "HardsigmoidBackward0"

    @staticmethod
    def forward(ctx, x):
        ctx.save_for_backward(x)
        return _relu6_of_x_plus_3(x) / 6

    @staticmethod
    def backward(ctx, grad_output):
        (x,) = ctx.saved_tensors
        inside = (x > -3).logical_and(x < 3)
        return elementwise.where(inside, grad_output / 6, 0.0)


class Hardswish(Function):
    """y = x·min(max(x + 3, 0), 6)/6;  dy/dx = 0 up to -3, x/3 + 1/2 between -3 and 3, 1 from 3 on
    (PyTorch's hardswish_backward, which takes the outer pieces at both ends)."""

    node_name = "HardswishBackward0"

    @staticmethod
    def forward(ctx, x):
        ctx.save_for_backward(x)
        return x._array * _relu6_of_x_plus_3(x) / 6  # (x·r)/6, in PyTorch's order

    @staticmethod
    def backward(ctx, grad_output):
        (x,) = ctx.saved_tensors
        upper = elementwise.where(x < 3, grad_output * (x / 3 + 0.5), grad_output)
        return elementwise.where(x <= -3, 0.0, upper)


def _relu6_of_x_plus_3(x: Tensor) -> Any:
    """min(max(x + 3, 0), 6), the ramp that hardsigmoid and hardswish are built on (an array)."""
    xp, a = x._device.xp, x._array
    return xp.minimum(xp.maximum(a + 3, xp.zeros_like(a)), xp.full_like(a, 6))


class Mish(Function):
    """y = x·tanh(softplus(x)), softplus(x) = ln(1 + e^x);  dy/dx = t + x·σ(x)·(1 - t²), t = tanh(softplus(x))."""

    node_name = "MishBackward0"

    @staticmethod
    @quiet
    def forward(ctx, x):
        ctx.save_for_backward(x)
        xp, a = x._device.xp, x._array
        return a * xp.tanh(xp.log1p(xp.exp(a)))

    @staticmethod
    def backward(ctx, grad_output):
        (x,) = ctx.saved_tensors
        t = (x.exp() + 1).log().tanh()
        return grad_output * (t + x * x.sigmoid() * (1 - t * t))


class LogSigmoid(Function):
    """y = ln σ(x) = min(x, 0) - ln(1 + e^-|x|), PyTorch's form, which neither overflows nor
    loses digits;  dy/dx = 1 - σ(x)."""

    node_name = "LogSigmoidBackward0"

    @staticmethod
    @quiet
    def forward(ctx, x):
        ctx.save_for_backward(x)
        xp, a = x._device.xp, x._array
        return xp.minimum(a, xp.zeros_like(a)) - xp.log1p(xp.exp(-xp.abs(a)))

    @staticmethod
    def backward(ctx, grad_output):
        (x,) = ctx.saved_tensors
        return LogSigmoidGrad.apply(grad_output, x)


class LogSigmoidGrad(Function):
    """z = g·(1 - σ(x)), logsigmoid's backward in one op, computed as PyTorch's kernel does from
    e = e^-|x|: g·(e/(1 + e)) for x ≥ 0, g·(1 - e/(1 + e)) below. Itself differentiable (e^-|x|
    has a kink at 0 that 1 - σ(x) has not, so the second derivative is written out):
    dz/dg = 1 - σ(x),  dz/dx = -g·σ(x)·(1 - σ(x))."""

    node_name = "LogSigmoidBackwardBackward0"

    @staticmethod
    @quiet
    def forward(ctx, grad, x):
        ctx.save_for_backward(grad, x)
        xp, a = x._device.xp, x._array
        e = xp.exp(-xp.abs(a))
        share = e / (1 + e)
        return grad._array * xp.where(a < 0, 1 - share, share)

    @staticmethod
    def backward(ctx, grad_output):
        grad, x = ctx.saved_tensors
        sigmoid = x.sigmoid()
        grad_grad = grad_output * (1 - sigmoid) if ctx.needs_input_grad[0] else None
        grad_x = -grad_output * grad * sigmoid * (1 - sigmoid) if ctx.needs_input_grad[1] else None
        return grad_grad, grad_x


def softplus(x: Tensor, beta: float = 1.0, threshold: float = 20.0) -> Tensor:
    return Softplus.apply(x, beta, threshold)


def silu(x: Tensor) -> Tensor:
    return Silu.apply(x)


def gelu(x: Tensor, approximate: str = "none") -> Tensor:
    if approximate not in ("none", "tanh"):
        raise RuntimeError("approximate argument must be either none or tanh.")
    return Gelu.apply(x, approximate)


def elu(x: Tensor, alpha: float = 1.0) -> Tensor:
    return Elu.apply(x, alpha, 1.0, 1.0)


# selu's constants (Klambauer et al., "Self-Normalizing Neural Networks"), as PyTorch writes them
_SELU_ALPHA = 1.6732632423543772848170429916717
_SELU_SCALE = 1.0507009873554804934193349852946


def selu(x: Tensor) -> Tensor:
    """scale·elu(x, α) with the self-normalizing constants."""
    return Elu.apply(x, _SELU_ALPHA, _SELU_SCALE, 1.0)


def celu(x: Tensor, alpha: float = 1.0) -> Tensor:
    if alpha == 0:
        raise RuntimeError("ZeroDivisionError: alpha cannot be 0 for CELU")
    return Celu.apply(x, alpha, 1.0, 1 / alpha)


def hardtanh(x: Tensor, min_val: float = -1.0, max_val: float = 1.0) -> Tensor:
    if min_val > max_val:
        raise ValueError("min_val cannot be greater than max_val")
    return Hardtanh.apply(x, min_val, max_val)


def relu6(x: Tensor) -> Tensor:
    """min(max(x, 0), 6): hardtanh between 0 and 6, as PyTorch records it."""
    return Hardtanh.apply(x, 0.0, 6.0)


def hardsigmoid(x: Tensor) -> Tensor:
    return Hardsigmoid.apply(x)


def hardswish(x: Tensor) -> Tensor:
    return Hardswish.apply(x)


def mish(x: Tensor) -> Tensor:
    return Mish.apply(x)


def leaky_relu(x: Tensor, negative_slope: float = 0.01) -> Tensor:
    return LeakyRelu.apply(x, negative_slope)


def logsigmoid(x: Tensor) -> Tensor:
    return LogSigmoid.apply(x)
