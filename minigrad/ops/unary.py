"""
Unary math: neg, exp, log, sqrt, abs, sin, cos, tanh, sigmoid, relu, clamp and their relatives
(square, rsqrt, reciprocal, log1p, expm1, log2, log10, exp2, erf); tan, asin and the other
trigonometric functions are in trigonometric.py, floor and round in rounding.py. Each op's
forward and backward sit side by side; tanh and relu save their output and have their backward
as one op of its own, as PyTorch's.
"""

from __future__ import annotations

import math
from typing import Any

from minigrad import backend, dtypes
from minigrad import erf as erf_module
from minigrad.autograd.function import Function
from minigrad.backend import quiet
from minigrad.ops import arithmetic, elementwise
from minigrad.ops._common import as_dtype, broadcast_shape, floating, invalid_combination, operand
from minigrad.tensor import OPERAND_TYPES, Tensor

# ---- unary functions ----


class Neg(Function):
    """y = -x;  dy/dx = -1."""

    node_name = "NegBackward0"

    @staticmethod
    def forward(ctx, x):
        return -x._array

    @staticmethod
    def backward(ctx, grad_output):
        return -grad_output


class Exp(Function):
    """y = e^x;  dy/dx = e^x."""

    node_name = "ExpBackward0"

    @staticmethod
    @quiet
    def forward(ctx, x):
        result = Tensor._make(backend.transcendental(x._device, "exp", floating(x)), x._device)
        ctx.save_for_backward(result)  # the output, as PyTorch: backward needs no second exp
        return result

    @staticmethod
    def backward(ctx, grad_output):
        (result,) = ctx.saved_tensors
        return grad_output * result


class Log(Function):
    """y = ln x;  dy/dx = 1/x."""

    node_name = "LogBackward0"

    @staticmethod
    @quiet
    def forward(ctx, x):
        ctx.save_for_backward(x)
        return backend.transcendental(x._device, "log", floating(x))

    @staticmethod
    def backward(ctx, grad_output):
        (x,) = ctx.saved_tensors
        return grad_output / x


class Log1p(Function):
    """y = ln(1 + x), exact near 0 where log(1 + x) rounds 1 + x first (log1p(1e-10) is 1e-10, not 0);
    dy/dx = 1/(1 + x)."""

    node_name = "Log1PBackward0"

    @staticmethod
    @quiet
    def forward(ctx, x):
        ctx.save_for_backward(x)
        return backend.transcendental(x._device, "log1p", floating(x))

    @staticmethod
    def backward(ctx, grad_output):
        (x,) = ctx.saved_tensors
        return grad_output / (x + 1)


class Expm1(Function):
    """y = e^x - 1, exact near 0 where exp(x) - 1 cancels (expm1(1e-10) is 1e-10, not 0);
    dy/dx = e^x = y + 1."""

    node_name = "Expm1Backward0"

    @staticmethod
    @quiet
    def forward(ctx, x):
        result = Tensor._make(backend.transcendental(x._device, "expm1", floating(x)), x._device)
        ctx.save_for_backward(result)  # the output, as PyTorch: backward needs no second exp
        return result

    @staticmethod
    def backward(ctx, grad_output):
        (y,) = ctx.saved_tensors
        return grad_output * (y + 1)


class Log2(Function):
    """y = log₂ x;  dy/dx = 1/(x·ln 2)."""

    node_name = "Log2Backward0"

    @staticmethod
    @quiet
    def forward(ctx, x):
        ctx.save_for_backward(x)
        return backend.transcendental(x._device, "log2", floating(x))

    @staticmethod
    def backward(ctx, grad_output):
        (x,) = ctx.saved_tensors
        return grad_output / (x * math.log(2))


class Log10(Function):
    """y = log₁₀ x;  dy/dx = 1/(x·ln 10)."""

    node_name = "Log10Backward0"

    @staticmethod
    @quiet
    def forward(ctx, x):
        ctx.save_for_backward(x)
        return backend.transcendental(x._device, "log10", floating(x))

    @staticmethod
    def backward(ctx, grad_output):
        (x,) = ctx.saved_tensors
        return grad_output / (x * math.log(10))


class Exp2(Function):
    """y = 2^x;  dy/dx = 2^x·ln 2 = y·ln 2."""

    node_name = "Exp2Backward0"

    @staticmethod
    @quiet
    def forward(ctx, x):
        array = floating(x)
        if hasattr(x._device.xp, "exp2"):
            array = backend.transcendental(x._device, "exp2", array)
        else:  # the Array API has no exp2
            array = 2.0**array
        result = Tensor._make(array, x._device)
        ctx.save_for_backward(result)  # the output, as PyTorch
        return result

    @staticmethod
    def backward(ctx, grad_output):
        (y,) = ctx.saved_tensors
        return grad_output * y * math.log(2)


class Erf(Function):
    """y = erf x = 2/√π ∫₀ˣ e^(-t²) dt;  dy/dx = 2/√π · e^(-x²)."""

    node_name = "ErfBackward0"

    @staticmethod
    @quiet
    def forward(ctx, x):
        ctx.save_for_backward(x)
        xp, array = x._device.xp, floating(x)
        wide = xp.astype(array, x._device.dtype_of(dtypes.float64))  # (float32: rounded once, at the end)
        return xp.astype(erf_module.erf(xp, wide), array.dtype)

    @staticmethod
    def backward(ctx, grad_output):
        (x,) = ctx.saved_tensors
        return grad_output * (2 / math.sqrt(math.pi)) * (-x * x).exp()


class Sqrt(Function):
    """y = √x;  dy/dx = 1/(2√x)."""

    node_name = "SqrtBackward0"

    @staticmethod
    @quiet
    def forward(ctx, x):
        ctx.save_for_backward(x)
        return x._device.xp.sqrt(floating(x))

    @staticmethod
    def backward(ctx, grad_output):
        (x,) = ctx.saved_tensors
        return grad_output / (2 * x.sqrt())


class Rsqrt(Function):
    """y = 1/√x;  dy/dx = -1/(2·x^(3/2)) = -y³/2."""

    node_name = "RsqrtBackward0"

    @staticmethod
    @quiet
    def forward(ctx, x):
        xp = x._device.xp
        result = Tensor._make(1 / xp.sqrt(floating(x)), x._device)  # (rsqrt(-0.) is -inf, as in PyTorch)
        ctx.save_for_backward(result)  # the output, as PyTorch
        return result

    @staticmethod
    def backward(ctx, grad_output):
        (y,) = ctx.saved_tensors
        return -0.5 * grad_output * y**3  # (PyTorch's formula: +inf at x = -0., where y = -inf)


class Reciprocal(Function):
    """y = 1/x;  dy/dx = -1/x² = -y²."""

    node_name = "ReciprocalBackward0"

    @staticmethod
    @quiet
    def forward(ctx, x):
        result = Tensor._make(1 / floating(x), x._device)
        ctx.save_for_backward(result)  # the output, as PyTorch
        return result

    @staticmethod
    def backward(ctx, grad_output):
        (y,) = ctx.saved_tensors
        return -grad_output * (y * y)


class Abs(Function):
    """y = |x|;  dy/dx = sign(x) (0 at x = 0, as in PyTorch)."""

    node_name = "AbsBackward0"

    @staticmethod
    def forward(ctx, x):
        ctx.save_for_backward(x)
        return x._device.xp.abs(x._array)

    @staticmethod
    def backward(ctx, grad_output):
        (x,) = ctx.saved_tensors
        return grad_output * elementwise.sign(x)


class Sin(Function):
    """y = sin x;  dy/dx = cos x."""

    node_name = "SinBackward0"

    @staticmethod
    def forward(ctx, x):
        ctx.save_for_backward(x)
        return backend.transcendental(x._device, "sin", floating(x))

    @staticmethod
    def backward(ctx, grad_output):
        (x,) = ctx.saved_tensors
        return grad_output * x.cos()


class Cos(Function):
    """y = cos x;  dy/dx = -sin x."""

    node_name = "CosBackward0"

    @staticmethod
    def forward(ctx, x):
        ctx.save_for_backward(x)
        return backend.transcendental(x._device, "cos", floating(x))

    @staticmethod
    def backward(ctx, grad_output):
        (x,) = ctx.saved_tensors
        return -grad_output * x.sin()


class Tanh(Function):
    """y = tanh x;  dy/dx = 1 - tanh²x."""

    node_name = "TanhBackward0"

    @staticmethod
    def forward(ctx, x):
        result = Tensor._make(backend.transcendental(x._device, "tanh", floating(x)), x._device)
        ctx.save_for_backward(result)  # the output, as PyTorch: backward needs y, not x
        return result

    @staticmethod
    def backward(ctx, grad_output):
        (y,) = ctx.saved_tensors
        return TanhGrad.apply(grad_output, y)  # grad_output · (1 - y²), as one op


class TanhGrad(Function):
    """z = g·(1 - y²), tanh's backward in one op (PyTorch's tanh_backward), itself differentiable
    for second derivatives:  dz/dg = 1 - y²,  dz/dy = -2·g·y."""

    node_name = "TanhBackwardBackward0"

    @staticmethod
    def forward(ctx, grad, y):
        ctx.save_for_backward(grad, y)
        return grad._array * (1 - y._array * y._array)

    @staticmethod
    def backward(ctx, grad_output):
        grad, y = ctx.saved_tensors
        grad_grad = grad_output * (1 - y * y) if ctx.needs_input_grad[0] else None
        grad_y = grad_output * -2 * grad * y if ctx.needs_input_grad[1] else None
        return grad_grad, grad_y


class Sigmoid(Function):
    """y = 1 / (1 + e^-x);  dy/dx = (1 - y)·y."""

    node_name = "SigmoidBackward0"

    @staticmethod
    def forward(ctx, x):
        result = Tensor._make(backend.sigmoid(x._device, floating(x)), x._device)
        ctx.save_for_backward(result)  # the output, as PyTorch: backward needs y, not x
        return result

    @staticmethod
    def backward(ctx, grad_output):
        (y,) = ctx.saved_tensors
        return grad_output * (1 - y) * y  # (in PyTorch's order, so its last digit is PyTorch's)


class Relu(Function):
    """y = max(x, 0);  dy/dx = 1 where x > 0, else 0."""

    node_name = "ReluBackward0"

    @staticmethod
    def forward(ctx, x):
        a, device = x._array, x._device
        zero = device.xp.asarray(0, dtype=a.dtype, **device.on_device)  # 0-d: broadcast, not a full array
        # maximum, not where(x < 0, 0, x): where branches on every element and is ~6x slower.
        # relu(nan) is nan as in PyTorch; relu(-0.) is 0. where PyTorch keeps -0. (the same number)
        result = Tensor._make(device.xp.maximum(a, zero), device)
        ctx.save_for_backward(result)  # the output, as PyTorch (y <= 0 exactly where x <= 0)
        return result

    @staticmethod
    def backward(ctx, grad_output):
        (y,) = ctx.saved_tensors
        return ReluGrad.apply(grad_output, y)


class ReluGrad(Function):
    """z = g where y > 0 else 0, relu's backward in one op (PyTorch's threshold_backward); a nan y
    passes g through, as in PyTorch. Differentiable again:  dz/dg is the same mask, dz/dy = 0."""

    node_name = "ThresholdBackwardBackward0"

    @staticmethod
    def forward(ctx, grad, y):
        ctx.save_for_backward(y)
        xp, g = y._device.xp, grad._array
        stopped = y._array <= 0
        if bool(xp.all(xp.isfinite(g))):  # multiplying by a 0/1 mask: far faster than where()
            return g * xp.astype(~stopped, g.dtype)
        return xp.where(stopped, xp.zeros_like(g), g)  # an inf or nan gradient is stopped too (inf·0 is nan)

    @staticmethod
    def backward(ctx, grad_output):
        (y,) = ctx.saved_tensors
        return ReluGrad.apply(grad_output, y) if ctx.needs_input_grad[0] else None, None


class Clamp(Function):
    """y = min(max(x, low), high);  dy/dx = 1 where low ≤ x ≤ high, else 0."""

    node_name = "ClampBackward1"

    @staticmethod
    def forward(ctx, x, low, high):
        ctx.save_for_backward(x)
        ctx.low, ctx.high = low, high
        xp = x._device.xp
        result = x._array
        if low is not None:
            result = xp.maximum(result, xp.asarray(low, dtype=result.dtype, **x._device.on_device))
        if high is not None:
            result = xp.minimum(result, xp.asarray(high, dtype=result.dtype, **x._device.on_device))
        return result

    @staticmethod
    def backward(ctx, grad_output):
        (x,) = ctx.saved_tensors
        inside = x == x  # all True, then narrowed by each bound
        if ctx.low is not None:
            inside = inside & (x >= ctx.low)
        if ctx.high is not None:
            inside = inside & (x <= ctx.high)
        return grad_output * inside, None, None


class ClampMin(Clamp):
    """y = max(x, low) (clamp_min);  dy/dx = 1 where x ≥ low, else 0."""

    node_name = "ClampMinBackward0"


class ClampMax(Clamp):
    """y = min(x, high) (clamp_max);  dy/dx = 1 where x ≤ high, else 0."""

    node_name = "ClampMaxBackward0"


class ClampToTensors(Function):
    """y = min(max(x, low), high) for tensor bounds (None: no bound);  dy/dx = 1 where low ≤ x ≤ high,
    dy/dlow = 1 where x < low < high, dy/dhigh = 1 where x > high or high < low (then y is high)."""

    node_name = "ClampBackward0"

    @staticmethod
    def forward(ctx, x, low, high):
        ctx.save_for_backward(x, low, high)
        xp = x._device.xp
        result = x._array if low is None else xp.maximum(x._array, low._array)
        return result if high is None else xp.minimum(result, high._array)

    @staticmethod
    def backward(ctx, grad_output):
        x, low, high = ctx.saved_tensors
        zero = grad_output.new_zeros(())
        inside = x == x  # all True but nan, then narrowed by each bound
        if low is not None:
            inside = inside & (x >= low)
        if high is not None:
            inside = inside & (x <= high)
        grad_low = grad_high = None
        if low is not None and ctx.needs_input_grad[1]:
            below = (x < low) if high is None else (x < low) & (low < high)
            grad_low = elementwise.where(below, grad_output, zero)
        if high is not None and ctx.needs_input_grad[2]:
            above = (x > high) if low is None else (x > high) | (high < low)
            grad_high = elementwise.where(above, grad_output, zero)
        return elementwise.where(inside, grad_output, zero), grad_low, grad_high


class ClampMinToTensor(ClampToTensors):
    """y = max(x, low) (clamp_min by a tensor);  dy/dx = 1 where x ≥ low, dy/dlow = 1 where x < low."""

    node_name = "ClampMinBackward1"


class ClampMaxToTensor(ClampToTensors):
    """y = min(x, high) (clamp_max by a tensor);  dy/dx = 1 where x ≤ high, dy/dhigh = 1 where x > high."""

    node_name = "ClampMaxBackward1"


def _clamp_to_tensors(op: type, x: Tensor, low: Any, high: Any) -> Tensor:
    """op (a ClampToTensors) on x and its tensor bounds, all in their result dtype and broadcast shape."""
    operands = [value for value in (x, low, high) if value is not None]
    dtype = dtypes.result_type(*operands)
    shape = ()
    for value in operands:  # (PyTorch's error if the shapes do not broadcast)
        shape = broadcast_shape(shape, value.shape)
    low, high = (None if bound is None else as_dtype(bound, dtype, x._device) for bound in (low, high))
    return op.apply(as_dtype(x, dtype, x._device), low, high)


def neg(x: Tensor) -> Tensor:
    if x.dtype is dtypes.bool:
        raise RuntimeError(
            "Negation, the `-` operator, on a bool tensor is not supported. "
            "If you are trying to invert a mask, use the `~` or `logical_not()` operator instead."
        )
    return Neg.apply(x)


def exp(x: Tensor) -> Tensor:
    return Exp.apply(x)


def log(x: Tensor) -> Tensor:
    return Log.apply(x)


def sqrt(x: Tensor) -> Tensor:
    return Sqrt.apply(x)


def abs(x: Tensor) -> Tensor:  # noqa: A001  (torch.abs)
    return Abs.apply(x)


def positive(x: Tensor) -> Tensor:
    """+x: x itself, as in PyTorch (no copy, no node); PyTorch's error for a bool tensor."""
    if x.dtype is dtypes.bool:
        raise RuntimeError("The `+` operator, on a bool tensor is not supported.")
    return x


def sin(x: Tensor) -> Tensor:
    return Sin.apply(x)


def cos(x: Tensor) -> Tensor:
    return Cos.apply(x)


def tanh(x: Tensor) -> Tensor:
    return Tanh.apply(x)


def sigmoid(x: Tensor) -> Tensor:
    return Sigmoid.apply(x)


def relu(x: Tensor) -> Tensor:
    return Relu.apply(x)


def clamp(x: Tensor, min: float | None = None, max: float | None = None) -> Tensor:  # noqa: A002
    if min is None and max is None:
        raise RuntimeError("torch.clamp: At least one of 'min' or 'max' must not be None")
    min = None if min is None else _bound("clamp", "min", min)  # noqa: A001
    max = None if max is None else _bound("clamp", "max", max)  # noqa: A001
    if isinstance(min, Tensor) != isinstance(max, Tensor) and min is not None and max is not None:
        min, max = (_bound_as_number(x, min, max, bound) for bound in (min, max))  # noqa: A001
    if isinstance(min, Tensor) or isinstance(max, Tensor):
        return _clamp_to_tensors(ClampToTensors, x, min, max)
    return _clamp_with(Clamp, x, min, max)


def _bound_as_number(x: Tensor, low: Any, high: Any, bound: Any) -> Any:
    """clamp(x, tensor, number): PyTorch takes a 0-d tensor that needs no gradient for its number,
    and refuses any other mix."""
    if not isinstance(bound, Tensor):
        return bound
    if bound.ndim == 0 and not bound.requires_grad:
        return bound.item()
    signatures = [
        "(Tensor input, Tensor min = None, Tensor max = None)",
        "(Tensor input, Number min = None, Number max = None)",
    ]
    raise invalid_combination("clamp", (x, low, high), signatures)


def clamp_min(x: Tensor, min: Any) -> Tensor:  # noqa: A002
    """max(x, min), recorded as PyTorch records it (ClampMinBackward0; a tensor bound: ClampMinBackward1)."""
    min = _bound("clamp_min", "min", min)  # noqa: A001
    if isinstance(min, Tensor):
        return _clamp_to_tensors(ClampMinToTensor, x, min, None)
    return _clamp_with(ClampMin, x, min, None)


def clamp_max(x: Tensor, max: Any) -> Tensor:  # noqa: A002
    """min(x, max), recorded as PyTorch records it (ClampMaxBackward0; a tensor bound: ClampMaxBackward1)."""
    max = _bound("clamp_max", "max", max)  # noqa: A001
    if isinstance(max, Tensor):
        return _clamp_to_tensors(ClampMaxToTensor, x, None, max)
    return _clamp_with(ClampMax, x, None, max)


def _bound(function: str, name: str, bound: Any) -> Any:
    """A clamp bound: a tensor or a number (a NumPy scalar becomes a Python one); PyTorch's TypeError if not."""
    if not isinstance(bound, OPERAND_TYPES):
        raise TypeError(f"{function}(): argument '{name}' must be Number or Tensor, not {type(bound).__name__}")
    return operand(bound)


def _clamp_with(op: type, x: Tensor, low: Any, high: Any) -> Tensor:
    """op (Clamp, ClampMin or ClampMax) on x in the bounds' result dtype: clamp(ints, 2.5) is float."""
    dtype = dtypes.result_type(x, *(bound for bound in (low, high) if bound is not None))
    return op.apply(x if dtype is x.dtype else x.to(dtype), low, high)


def square(x: Tensor) -> Tensor:
    return arithmetic.pow(x, 2)


def rsqrt(x: Tensor) -> Tensor:
    return Rsqrt.apply(x)


def reciprocal(x: Tensor) -> Tensor:
    return Reciprocal.apply(x)


def log1p(x: Tensor) -> Tensor:
    return Log1p.apply(x)


def expm1(x: Tensor) -> Tensor:
    return Expm1.apply(x)


def log2(x: Tensor) -> Tensor:
    return Log2.apply(x)


def log10(x: Tensor) -> Tensor:
    return Log10.apply(x)


def exp2(x: Tensor) -> Tensor:
    return Exp2.apply(x)


def erf(x: Tensor) -> Tensor:
    return Erf.apply(x)
