"""
Rounding: floor, ceil, round, trunc and frac. The first four are steps, flat between the
integers, so their gradient is 0 everywhere (PyTorch's choice at the jumps too), yet PyTorch
records them: `x.floor().requires_grad` follows x, and a gradient of zeros reaches x. frac,
x - trunc(x), has slope 1. Integer tensors are already whole: floor, ceil, round and trunc
give a copy; bool tensors, frac of integers and round of integers with decimals are errors,
as in PyTorch.
"""

from __future__ import annotations

from minigrad import dtypes
from minigrad.autograd.function import Function
from minigrad.backend import quiet
from minigrad.tensor import Tensor


class _Step(Function):
    """A rounding step function: y = f(x) with f flat between integers;  dy/dx = 0."""

    xp_name: str  # the array library's function

    @classmethod
    def forward(cls, ctx, x):
        if not x.dtype.is_floating_point:  # already whole
            return x._device.xp.asarray(x._array, copy=True)
        return getattr(x._device.xp, cls.xp_name)(x._array)

    @staticmethod
    def backward(ctx, grad_output):
        return grad_output.new_zeros(grad_output.shape)


class Floor(_Step):
    node_name, xp_name = "FloorBackward0", "floor"


class Ceil(_Step):
    node_name, xp_name = "CeilBackward0", "ceil"


class Trunc(_Step):
    node_name, xp_name = "TruncBackward0", "trunc"


class Round(_Step):
    """Rounds half to even (round(0.5) is 0, round(2.5) is 2), as PyTorch and NumPy."""

    node_name, xp_name = "RoundBackward0", "round"


class RoundDecimals(Function):
    """y = x rounded to `decimals` decimal places, PyTorch's way: nearbyint(x·10^d)/10^d, or
    nearbyint(x/10^-d)·10^-d for negative d, in x's dtype;  dy/dx = 0."""

    node_name = "RoundBackward1"

    @staticmethod
    @quiet
    def forward(ctx, x, decimals):
        xp, array = x._device.xp, x._array
        scale = xp.asarray(10.0 ** abs(decimals), dtype=array.dtype, **x._device.on_device)
        if decimals < 0:
            return xp.round(array / scale) * scale
        return xp.round(array * scale) / scale

    @staticmethod
    def backward(ctx, grad_output):
        return grad_output.new_zeros(grad_output.shape), None


class Frac(Function):
    """y = x - trunc(x), the fractional part, with x's sign;  dy/dx = 1."""

    node_name = "FracBackward0"

    @staticmethod
    @quiet
    def forward(ctx, x):
        return x._array - x._device.xp.trunc(x._array)

    @staticmethod
    def backward(ctx, grad_output):
        return grad_output


def _check_kernel(name: str, x: Tensor, allow_integers: bool = True) -> None:
    """PyTorch's error for a dtype its kernel does not handle (bool, or integers where not allowed)."""
    if x.dtype is dtypes.bool or not (allow_integers or x.dtype.is_floating_point):
        raise NotImplementedError(f"\"{name}\" not implemented for '{dtypes.torch_type_name(x.dtype)}'")


def floor(x: Tensor) -> Tensor:
    _check_kernel("floor_vml_cpu", x)
    return Floor.apply(x)


def ceil(x: Tensor) -> Tensor:
    _check_kernel("ceil_vml_cpu", x)
    return Ceil.apply(x)


def trunc(x: Tensor) -> Tensor:
    _check_kernel("trunc_vml_cpu", x)
    return Trunc.apply(x)


def round(x: Tensor, *, decimals: int | None = None) -> Tensor:  # noqa: A001  (torch.round)
    """x rounded to whole numbers, or to `decimals` places. As in PyTorch, naming `decimals` at
    all (even 0) picks the other overload: its node is RoundBackward1 and integers are refused."""
    if decimals is None:
        _check_kernel("round_vml_cpu", x)
        return Round.apply(x)
    if type(decimals) is not int:
        raise TypeError(f"round(): argument 'decimals' must be int, not {type(decimals).__name__}")
    _check_kernel("round_vml_cpu" if decimals == 0 else "round_cpu", x, allow_integers=False)
    return RoundDecimals.apply(x, decimals)


def frac(x: Tensor) -> Tensor:
    _check_kernel("frac_cpu", x, allow_integers=False)
    return Frac.apply(x)
