"""
Arithmetic: add, sub, mul, div and powers. Each op is a Function whose forward (Tensors in, raw
array out) and backward (Tensors in, Tensors out) sit side by side, followed by its functional form.

Broadcasting is undone by the engine, not here (see autograd/engine.py: `_fit_to_input`), so a
backward returns gradients of the broadcast shape. Backwards use Tensor ops only, so they can be
differentiated again (`create_graph=True`).
"""

from __future__ import annotations

from typing import Any

from minigrad import dtypes
from minigrad.autograd.function import Function
from minigrad.backend import quiet
from minigrad.ops import elementwise, unary  # where and log: for pow's backward
from minigrad.ops._common import as_dtype, operand, promote
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
    if type(alpha) is not int or alpha != 1:  # (True == 1, but is no int)
        y = y * _checked_alpha(promote(x, y)[0].dtype, alpha)
    return Add.apply(*promote(x, y))


def sub(x: Any, y: Any, *, alpha: float = 1) -> Tensor:
    x_promoted, y_promoted = promote(x, y)
    if x_promoted is not x or y_promoted is not y or x_promoted.dtype is dtypes.bool:  # (a cast may hide a bool)
        _check_no_bool_subtraction(x, y)
    if type(alpha) is not int or alpha != 1:
        x_promoted, y_promoted = promote(x, y * _checked_alpha(x_promoted.dtype, alpha))
    return Sub.apply(x_promoted, y_promoted)


def _is_bool(value: Any) -> bool:
    return type(value) is bool or (isinstance(value, Tensor) and value.dtype is dtypes.bool)


def _check_no_bool_subtraction(x: Any, y: Any) -> None:
    """PyTorch has no `-` for bools: 1 - mask raises, rather than giving the inverted mask as integers."""
    if _is_bool(x) and _is_bool(y):
        raise RuntimeError(
            "Subtraction, the `-` operator, with two bool tensors is not supported. "
            "Use the `^` or `logical_xor()` operator instead."
        )
    if _is_bool(x) or _is_bool(y):
        raise RuntimeError(
            "Subtraction, the `-` operator, with a bool tensor is not supported. "
            "If you are trying to invert a mask, use the `~` or `logical_not()` operator instead."
        )


def _checked_alpha(result_dtype: dtypes.dtype, alpha: Any) -> Any:
    """add's and sub's `alpha`, if it fits the result's kind, as in PyTorch: no silent float result
    of integers. For a bool result it is a bool, so that the result stays bool."""
    if type(alpha) is bool and result_dtype is not dtypes.bool:
        raise RuntimeError("Boolean alpha only supported for Boolean results.")
    if isinstance(alpha, float) and not result_dtype.is_floating_point:
        raise RuntimeError("For integral input tensors, argument alpha must not be a floating point number.")
    return bool(alpha) if result_dtype is dtypes.bool else alpha


def mul(x: Any, y: Any) -> Tensor:
    return Mul.apply(*promote(x, y))


def div(x: Any, y: Any, *, rounding_mode: str | None = None) -> Tensor:
    x, y = promote(x, y)
    if rounding_mode is not None:
        _check_rounding(x, y, rounding_mode)
        return RoundedDiv.apply(x, y, rounding_mode)
    if not x.dtype.is_floating_point:  # true division of integers gives floats, as in PyTorch
        float_dtype = dtypes.get_default_dtype()
        x, y = x.to(float_dtype), y.to(float_dtype)
    return Div.apply(x, y)


class RoundedDiv(Function):
    """z = floor(x / y) or trunc(x / y) (div with rounding_mode): a step function of x and y,
    so dz/dx = dz/dy = 0; PyTorch records it all the same."""

    node_name = "DivBackward2"

    @staticmethod
    @quiet
    def forward(ctx, x, y, rounding_mode):
        xp = x._device.xp
        if rounding_mode == "floor":
            return xp.floor_divide(x._array, y._array)
        if not x.dtype.is_floating_point:
            return _trunc_int(xp, x._array, y._array)
        return xp.astype(xp.trunc(x._array / y._array), x._array.dtype)

    @staticmethod
    def backward(ctx, grad_output):
        zeros = grad_output.new_zeros(grad_output.shape)
        return zeros, zeros, None


class FloorDivide(Function):
    """z = x // y (floor_divide). PyTorch has no derivative for it: the result requires grad,
    and a backward through it fails, as here."""

    node_name = "NotImplemented"

    @staticmethod
    @quiet
    def forward(ctx, x, y):
        return x._device.xp.floor_divide(x._array, _array_or_number(y))

    @staticmethod
    def backward(ctx, grad_output):
        raise RuntimeError("derivative for aten::floor_divide is not implemented")


class Remainder(Function):
    """z = x mod y, with y's sign as Python's %: x - floor(x/y)·y;  dz/dx = 1,  dz/dy = -floor(x/y)."""

    node_name = "RemainderBackward1"

    @staticmethod
    @quiet
    def forward(ctx, x, y):
        ctx.save_for_backward(x, y if isinstance(y, Tensor) else None)
        xp, a, b = x._device.xp, x._array, _array_or_number(y)
        mod = xp.remainder(a, b)  # C's fmod(x, y), plus y where the two signs differ
        if not x.dtype.is_floating_point:
            return mod
        return xp.where(mod == 0, a * 0, mod)  # a zero has x's sign, as fmod and PyTorch give it

    @staticmethod
    def backward(ctx, grad_output):
        x, y = ctx.saved_tensors
        grad_y = -grad_output * x.div(y, rounding_mode="floor") if ctx.needs_input_grad[1] else None
        return grad_output, grad_y


class RemainderScalar(Remainder):
    """x % 2: the number is no input of the graph, as in PyTorch (its node has one edge)."""

    node_name = "RemainderBackward0"


def _array_or_number(y: Any) -> Any:
    return y._array if isinstance(y, Tensor) else y


def _check_rounding(x: Tensor, y: Tensor, rounding_mode: str) -> None:
    if rounding_mode not in ("floor", "trunc"):
        raise ValueError(
            f"div expected rounding_mode to be one of None, 'trunc', or 'floor' but found '{rounding_mode}'"
        )
    _check_integer_divisor(x, y)


def _check_integer_divisor(x: Tensor, y: Tensor) -> None:
    """Integers have no inf or nan for a division by 0: PyTorch raises (NumPy would give 0)."""
    if not x.dtype.is_floating_point and bool(x._device.xp.any(y._array == 0)):
        raise RuntimeError("ZeroDivisionError")


def floor_divide(x: Any, y: Any) -> Tensor:
    """x // y: the quotient rounded down, as div(x, y, rounding_mode='floor'), but not differentiable."""
    number = None if isinstance(y, Tensor) else y  # x // 2: the number is no input of the graph
    x, y = promote(x, y)
    _check_rounding(x, y, "floor")
    return FloorDivide.apply(x, y if number is None else number)


def remainder(x: Any, y: Any) -> Tensor:
    """x % y: what is left of x after taking away floor(x/y) times y; it has y's sign."""
    number = None if isinstance(y, Tensor) else y
    x, y = promote(x, y)
    _check_integer_divisor(x, y)
    return Remainder.apply(x, y) if number is None else RemainderScalar.apply(x, number)


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
        if x.dtype in _MULTIPLIED_POWERS:  # and these with products, whose last digit can differ from pow's
            if exponent == 2:
                return a * a
            if exponent == 3:
                return a * a * a
            if exponent == -1:
                return 1 / a
            if exponent == -2:
                return 1 / (a * a)
        return a**exponent

    @staticmethod
    def backward(ctx, grad_output):
        (x,) = ctx.saved_tensors
        n = ctx.exponent
        if n == 0:
            return grad_output * 0, None
        return grad_output * n * x ** (n - 1), None


_MULTIPLIED_POWERS = (dtypes.float32, dtypes.float64)  # PyTorch's float16 calls pow


class Pow(Function):
    """z = x^y for tensors;  dz/dx = y·x^(y-1), dz/dy = x^y·ln(x)."""

    node_name = "PowBackward1"

    @staticmethod
    @quiet
    def forward(ctx, x, y):
        ctx.save_for_backward(x, y)
        if x.dtype.category == 1:  # (integers; bool ** bool is NumPy's)
            return _integer_power(x._device.xp, x._array, y._array)
        return x._array**y._array

    @staticmethod
    def backward(ctx, grad_output):
        x, y = ctx.saved_tensors
        grad_x = None
        if ctx.needs_input_grad[0]:  # where y == 0 PyTorch defines it as 0, even at x = 0 (0·0^-1 is nan)
            grad_x = elementwise.where(y == 0, 0.0, grad_output * y * x ** (y - 1))
        # where x == 0 and y >= 0 PyTorch defines the y-gradient as 0 (0^y·ln 0 would be nan)
        grad_y = (
            grad_output * elementwise.where((x == 0) & (y >= 0), 0.0, x**y * unary.log(x))
            if ctx.needs_input_grad[1]
            else None
        )
        return grad_x, grad_y


def _integer_power(xp: Any, a: Any, b: Any) -> Any:
    """a ** b of integers, as PyTorch computes it: where b < 0, 1 / a^|b| cut to an integer, which
    is 0 except for a = 1 (1) and a = -1 (±1); NumPy refuses negative integer powers."""
    negative = b < 0
    power = a ** xp.where(negative, xp.zeros_like(b), b)
    reciprocal = xp.where(a == 1, xp.ones_like(a), xp.zeros_like(a))
    reciprocal = xp.where((a == -1) & (b % 2 == 0), xp.ones_like(a), reciprocal)
    reciprocal = xp.where((a == -1) & (b % 2 != 0), -xp.ones_like(a), reciprocal)
    return xp.where(negative, reciprocal, power)


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
    x, exponent = operand(x), operand(exponent)
    if isinstance(x, Tensor) and not isinstance(exponent, Tensor):
        dtype = dtypes.result_type(x, exponent)
        if not dtype.is_floating_point and exponent < 0:
            raise RuntimeError("Integers to negative integer powers are not allowed.")
        return PowScalar.apply(as_dtype(x, dtype, x._device), exponent)
    if not isinstance(x, Tensor):
        if not isinstance(exponent, Tensor):
            raise TypeError(f"pow(): argument 'exponent' must be Tensor, not {type(exponent).__name__}")
        dtype = dtypes.result_type(x, exponent)
        return RPow.apply(x, as_dtype(exponent, dtype, exponent._device))
    return Pow.apply(*promote(x, exponent))
