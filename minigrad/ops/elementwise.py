"""
Elementwise ops. Each op is a Function whose forward (Tensors in, raw array out) and backward
(Tensors in, Tensors out) sit side by side, followed by its functional form.

Broadcasting is undone by the engine, not here (see autograd/engine.py: `_fit_to_input`), so a
backward returns gradients of the broadcast shape. Backwards use Tensor ops only, so they can be
differentiated again (`create_graph=True`).
"""

from __future__ import annotations

from typing import Any

from minigrad import backend, dtypes
from minigrad.autograd.function import Function
from minigrad.backend import quiet
from minigrad.ops._common import as_dtype, broadcast_shape, floating, promote
from minigrad.tensor import Tensor

# ---- binary arithmetic ----


class Add(Function):
    """z = x + y;  dz/dx = 1, dz/dy = 1."""

    node_name = "AddBackward0"

    @staticmethod
    def forward(ctx, x, y):
        return x._array + y._array

    @staticmethod
    def backward(ctx, grad_output):
        return grad_output, grad_output


class Sub(Function):
    """z = x - y;  dz/dx = 1, dz/dy = -1."""

    node_name = "SubBackward0"

    @staticmethod
    def forward(ctx, x, y):
        return x._array - y._array

    @staticmethod
    def backward(ctx, grad_output):
        return grad_output, -grad_output if ctx.needs_input_grad[1] else None


class Mul(Function):
    """z = x * y;  dz/dx = y, dz/dy = x."""

    node_name = "MulBackward0"

    @staticmethod
    def forward(ctx, x, y):
        ctx.save_for_backward(x, y)
        return x._array * y._array

    @staticmethod
    def backward(ctx, grad_output):
        x, y = ctx.saved_tensors
        grad_x = grad_output * y if ctx.needs_input_grad[0] else None
        grad_y = grad_output * x if ctx.needs_input_grad[1] else None
        return grad_x, grad_y


class Div(Function):
    """z = x / y;  dz/dx = 1/y, dz/dy = -x/y²."""

    node_name = "DivBackward0"

    @staticmethod
    @quiet
    def forward(ctx, x, y):
        ctx.save_for_backward(x, y)
        return x._array / y._array

    @staticmethod
    def backward(ctx, grad_output):
        x, y = ctx.saved_tensors
        grad_x = grad_output / y if ctx.needs_input_grad[0] else None
        grad_y = -grad_output * x / (y * y) if ctx.needs_input_grad[1] else None
        return grad_x, grad_y


def add(x: Any, y: Any, *, alpha: float = 1) -> Tensor:
    x, y = promote(x, y if alpha == 1 else y * alpha)
    return Add.apply(x, y)


def sub(x: Any, y: Any, *, alpha: float = 1) -> Tensor:
    x, y = promote(x, y if alpha == 1 else y * alpha)
    if x.dtype is dtypes.bool:
        raise RuntimeError(
            "Subtraction, the `-` operator, with two bool tensors is not supported. "
            "Use the `^` or `logical_xor()` operator instead."
        )
    return Sub.apply(x, y)


def mul(x: Any, y: Any) -> Tensor:
    return Mul.apply(*promote(x, y))


def div(x: Any, y: Any, *, rounding_mode: str | None = None) -> Tensor:
    x, y = promote(x, y)
    if rounding_mode is not None:
        return _rounded_division(x, y, rounding_mode)
    if not x.dtype.is_floating_point:  # true division of integers gives floats, as in PyTorch
        float_dtype = dtypes.get_default_dtype()
        x, y = x.to(float_dtype), y.to(float_dtype)
    return Div.apply(x, y)


@quiet
def _rounded_division(x: Tensor, y: Tensor, rounding_mode: str) -> Tensor:
    """div(..., rounding_mode='floor' or 'trunc'): not differentiable (its gradient is zero)."""
    xp = x._device.xp
    if rounding_mode == "floor":
        result = xp.floor_divide(x._array, y._array)
    elif rounding_mode == "trunc":
        quotient = x._array / y._array
        result = (
            xp.astype(xp.trunc(quotient), x._array.dtype)
            if x.dtype.is_floating_point
            else _trunc_int(xp, x._array, y._array)
        )
    else:
        raise ValueError(
            f"div expected rounding_mode to be one of None, 'trunc', or 'floor' but found '{rounding_mode}'"
        )
    return Tensor._make(result, x._device)


def _trunc_int(xp: Any, a: Any, b: Any) -> Any:
    quotient = xp.floor_divide(a, b)
    remainder = a - quotient * b
    needs_fix = (remainder != 0) & ((a < 0) != (b < 0))
    return quotient + xp.astype(needs_fix, quotient.dtype)


# ---- powers ----


class PowScalar(Function):
    """z = x^n for a number n;  dz/dx = n·x^(n-1)."""

    node_name = "PowBackward0"

    @staticmethod
    @quiet
    def forward(ctx, x, exponent):
        ctx.save_for_backward(x)
        ctx.exponent = exponent
        a, xp = x._array, x._device.xp
        # PyTorch computes these exponents with sqrt and division, not pow; at -0 and -inf
        # the two differ (rsqrt(-0) = -inf, pow(-0, -0.5) = inf), so we do the same
        if exponent == 0.5:
            return xp.sqrt(a)
        if exponent == -0.5:
            return 1 / xp.sqrt(a)
        return a**exponent

    @staticmethod
    def backward(ctx, grad_output):
        (x,) = ctx.saved_tensors
        n = ctx.exponent
        if n == 0:
            return grad_output * 0, None
        return grad_output * n * x ** (n - 1), None


class Pow(Function):
    """z = x^y for tensors;  dz/dx = y·x^(y-1), dz/dy = x^y·ln(x)."""

    node_name = "PowBackward1"

    @staticmethod
    @quiet
    def forward(ctx, x, y):
        ctx.save_for_backward(x, y)
        return x._array**y._array

    @staticmethod
    def backward(ctx, grad_output):
        x, y = ctx.saved_tensors
        grad_x = grad_output * y * x ** (y - 1) if ctx.needs_input_grad[0] else None
        # where x == 0 and y >= 0 PyTorch defines the y-gradient as 0 (0^y·ln 0 would be nan)
        grad_y = grad_output * where((x == 0) & (y >= 0), 0.0, x**y * log(x)) if ctx.needs_input_grad[1] else None
        return grad_x, grad_y


class RPow(Function):
    """z = a^y for a number a;  dz/dy = a^y·ln(a)."""

    node_name = "PowBackward2"

    @staticmethod
    @quiet
    def forward(ctx, base, y):
        ctx.save_for_backward(y)
        ctx.base = base
        return base**y._array

    @staticmethod
    def backward(ctx, grad_output):
        (y,) = ctx.saved_tensors
        import math

        log_base = math.log(ctx.base) if ctx.base > 0 else float("nan")
        return None, grad_output * ctx.base**y * log_base


def pow(x: Any, exponent: Any) -> Tensor:  # noqa: A001  (torch.pow)
    if isinstance(x, Tensor) and not isinstance(exponent, Tensor):
        _check_number(exponent)
        dtype = dtypes.result_type(x, exponent)
        return PowScalar.apply(as_dtype(x, dtype, x._device), exponent)
    if not isinstance(x, Tensor):
        _check_number(x)
        if not isinstance(exponent, Tensor):
            raise TypeError(f"pow(): argument 'exponent' must be Tensor, not {type(exponent).__name__}")
        dtype = dtypes.result_type(x, exponent)
        return RPow.apply(x, as_dtype(exponent, dtype, exponent._device))
    return Pow.apply(*promote(x, exponent))


def _check_number(value: Any) -> None:
    if not isinstance(value, (int, float, bool)):
        raise TypeError(f"unsupported operand type for pow: '{type(value).__name__}'")


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
        result = Tensor._make(x._device.xp.exp(floating(x)), x._device)
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
        return x._device.xp.log(floating(x))

    @staticmethod
    def backward(ctx, grad_output):
        (x,) = ctx.saved_tensors
        return grad_output / x


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
        return grad_output * sign(x)


class Sin(Function):
    """y = sin x;  dy/dx = cos x."""

    node_name = "SinBackward0"

    @staticmethod
    def forward(ctx, x):
        ctx.save_for_backward(x)
        return x._device.xp.sin(floating(x))

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
        return x._device.xp.cos(floating(x))

    @staticmethod
    def backward(ctx, grad_output):
        (x,) = ctx.saved_tensors
        return -grad_output * x.sin()


class Tanh(Function):
    """y = tanh x;  dy/dx = 1 - tanh²x."""

    node_name = "TanhBackward0"

    @staticmethod
    def forward(ctx, x):
        result = Tensor._make(x._device.xp.tanh(floating(x)), x._device)
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
    """y = 1 / (1 + e^-x);  dy/dx = y·(1 - y)."""

    node_name = "SigmoidBackward0"

    @staticmethod
    def forward(ctx, x):
        xp = x._device.xp
        a = floating(x)
        e = xp.exp(-xp.abs(a))  # e^-|x| never overflows; pick the form that is stable for the sign
        result = Tensor._make(xp.where(a >= 0, 1 / (1 + e), e / (1 + e)), x._device)
        ctx.save_for_backward(result)  # the output, as PyTorch: backward needs y, not x
        return result

    @staticmethod
    def backward(ctx, grad_output):
        (y,) = ctx.saved_tensors
        return grad_output * y * (1 - y)


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
    for name, bound in (("min", min), ("max", max)):
        if bound is not None and not isinstance(bound, (Tensor, int, float)):
            raise TypeError(f"clamp(): argument '{name}' must be Number or Tensor, not {type(bound).__name__}")
    if isinstance(min, Tensor) or isinstance(max, Tensor):  # tensor bounds: clamp is max then min
        result = x if min is None else maximum(x, min)
        return result if max is None else minimum(result, max)
    return Clamp.apply(x, min, max)


def square(x: Tensor) -> Tensor:
    return pow(x, 2)


def rsqrt(x: Tensor) -> Tensor:
    return pow(x, -0.5)


def reciprocal(x: Tensor) -> Tensor:
    return div(1.0, x)


def log1p(x: Tensor) -> Tensor:
    return log(1 + x)


def expm1(x: Tensor) -> Tensor:
    return exp(x) - 1


# ---- choosing between two tensors ----


class Maximum(Function):
    """z = max(x, y);  the gradient goes to the larger input, split in half on ties (as PyTorch)."""

    node_name = "MaximumBackward0"

    @staticmethod
    def forward(ctx, x, y):
        ctx.save_for_backward(x, y)
        return x._device.xp.maximum(x._array, y._array)

    @staticmethod
    def backward(ctx, grad_output):
        x, y = ctx.saved_tensors
        # all of the gradient, less what goes to the other side (PyTorch's rule: a nan gets it all)
        share_x = 1 - (x < y) - (x == y) * 0.5
        share_y = 1 - (y < x) - (x == y) * 0.5
        return grad_output * share_x, grad_output * share_y


class Minimum(Function):
    """z = min(x, y);  the gradient goes to the smaller input, split in half on ties."""

    node_name = "MinimumBackward0"

    @staticmethod
    def forward(ctx, x, y):
        ctx.save_for_backward(x, y)
        return x._device.xp.minimum(x._array, y._array)

    @staticmethod
    def backward(ctx, grad_output):
        x, y = ctx.saved_tensors
        share_x = 1 - (x > y) - (x == y) * 0.5
        share_y = 1 - (y > x) - (x == y) * 0.5
        return grad_output * share_x, grad_output * share_y


class Where(Function):
    """z = x where condition else y;  the gradient follows the same choice."""

    node_name = "WhereBackward0"

    @staticmethod
    def forward(ctx, condition, x, y):
        ctx.save_for_backward(condition)
        return x._device.xp.where(condition._array, x._array, y._array)

    @staticmethod
    def backward(ctx, grad_output):
        (condition,) = ctx.saved_tensors
        zero = grad_output.new_zeros(())
        grad_x = where(condition, grad_output, zero) if ctx.needs_input_grad[1] else None
        grad_y = where(condition, zero, grad_output) if ctx.needs_input_grad[2] else None
        return None, grad_x, grad_y


def maximum(x: Tensor, y: Tensor) -> Tensor:
    return Maximum.apply(*promote(x, y))


def minimum(x: Tensor, y: Tensor) -> Tensor:
    return Minimum.apply(*promote(x, y))


def where(condition: Tensor, x: Any, y: Any) -> Tensor:
    if not isinstance(condition, Tensor) or condition.dtype is not dtypes.bool:
        raise RuntimeError("where expected condition to be a boolean tensor")
    if not isinstance(x, Tensor) and not isinstance(y, Tensor):
        x = as_dtype(x, dtypes.result_type(x, y), condition._device)
    # the three shapes broadcast together (in PyTorch's order, so that its message names the same sizes)
    broadcast_shape(broadcast_shape(condition.shape, getattr(x, "shape", ())), getattr(y, "shape", ()))
    x, y = promote(x, y)
    return Where.apply(condition, x, y)


# ---- casts, copies and fills ----


class ToCopy(Function):
    """y = x in another dtype or on another device;  dy/dx = 1 (cast back by the engine)."""

    node_name = "ToCopyBackward0"

    @staticmethod
    def forward(ctx, x, dtype, device):
        from minigrad import backend

        ctx.source_device = x._device
        array = x._array
        if device is not x._device:
            array = backend.move(array, device)
        if dtype is not x.dtype:
            array = device.xp.astype(array, device.dtype_of(dtype))
        return Tensor._make(array, device)

    @staticmethod
    def backward(ctx, grad_output):
        if grad_output._device is not ctx.source_device:
            grad_output = grad_output.to(ctx.source_device)
        return grad_output, None, None


class Clone(Function):
    """y = a copy of x;  dy/dx = 1."""

    node_name = "CloneBackward0"

    @staticmethod
    def forward(ctx, x, row_major):
        if row_major:  # x.contiguous(): the copy is laid out row by row, whatever x's layout
            return backend.contiguous_copy(x._device, x._array)
        return x._device.xp.asarray(x._array, copy=True)  # x.clone() keeps x's layout, as PyTorch's

    @staticmethod
    def backward(ctx, grad_output):
        return grad_output, None


class Fill(Function):
    """y = value everywhere (x.fill_(value));  dy/dx = 0."""

    node_name = "FillBackward0"

    @staticmethod
    def forward(ctx, x, value):
        xp = x._device.xp
        return xp.full_like(x._array, value)

    @staticmethod
    def backward(ctx, grad_output):
        return grad_output.new_zeros(grad_output.shape), None


def to_copy(x: Tensor, dtype: dtypes.dtype, device: Any) -> Tensor:
    return ToCopy.apply(x, dtype, device)


def clone(x: Tensor) -> Tensor:
    return Clone.apply(x, False)


def contiguous_copy(x: Tensor) -> Tensor:
    """What x.contiguous() returns when x is not laid out row by row: a row-major copy."""
    return Clone.apply(x, True)


def fill(x: Tensor, value: float) -> Tensor:
    return Fill.apply(x, value)


# ---- sign (a zero gradient) and comparisons (no gradient) ----


class Sign(Function):
    """y = sign(x);  dy/dx = 0. PyTorch records it anyway: sign(x).requires_grad follows x."""

    node_name = "SignBackward0"

    @staticmethod
    def forward(ctx, x):
        xp = x._device.xp
        result = xp.sign(x._array)
        if x.dtype.is_floating_point:  # PyTorch's sign(nan) is 0
            result = xp.where(xp.isnan(result), xp.zeros_like(result), result)
        return result

    @staticmethod
    def backward(ctx, grad_output):
        return grad_output.new_zeros(grad_output.shape)


def sign(x: Tensor) -> Tensor:
    return Sign.apply(x)


def _compare(name: str, x: Any, y: Any) -> Tensor:
    x, y = promote(x, y)
    xp = x._device.xp
    return Tensor._make(getattr(xp, name)(x._array, y._array), x._device)


def eq(x: Any, y: Any) -> Tensor:
    return _compare("equal", x, y)


def ne(x: Any, y: Any) -> Tensor:
    return _compare("not_equal", x, y)


def lt(x: Any, y: Any) -> Tensor:
    return _compare("less", x, y)


def le(x: Any, y: Any) -> Tensor:
    return _compare("less_equal", x, y)


def gt(x: Any, y: Any) -> Tensor:
    return _compare("greater", x, y)


def ge(x: Any, y: Any) -> Tensor:
    return _compare("greater_equal", x, y)


def _logical(name: str, x: Any, y: Any) -> Tensor:
    x, y = promote(x, y)
    xp = x._device.xp
    if x.dtype is dtypes.bool:
        return Tensor._make(getattr(xp, "logical_" + name)(x._array, y._array), x._device)
    if x.dtype.is_floating_point:
        from minigrad.ops.reduce import _torch_type_name

        raise NotImplementedError(f"\"bitwise_{name}_cpu\" not implemented for '{_torch_type_name(x.dtype)}'")
    return Tensor._make(getattr(xp, "bitwise_" + name)(x._array, y._array), x._device)


def logical_and(x: Any, y: Any) -> Tensor:
    return _logical("and", x, y)


def logical_or(x: Any, y: Any) -> Tensor:
    return _logical("or", x, y)


def logical_xor(x: Any, y: Any) -> Tensor:
    return _logical("xor", x, y)


def logical_not(x: Tensor) -> Tensor:
    xp = x._device.xp
    return Tensor._make(xp.logical_not(xp.astype(x._array, xp.bool)), x._device)


def isnan(x: Tensor) -> Tensor:
    return Tensor._make(x._device.xp.isnan(x._array), x._device)


def isinf(x: Tensor) -> Tensor:
    return Tensor._make(x._device.xp.isinf(x._array), x._device)


def isfinite(x: Tensor) -> Tensor:
    return Tensor._make(x._device.xp.isfinite(x._array), x._device)
