"""
Elementwise ops that pick, cast or compare: maximum, minimum, where; casts, copies and fills;
sign (a zero gradient) and the comparisons and logical ops (no gradient). Arithmetic is in
arithmetic.py, unary math in unary.py.
"""

from __future__ import annotations

from typing import Any

from minigrad import backend, dtypes
from minigrad.autograd.function import Function
from minigrad.ops._common import as_dtype, broadcast_shape, check_fill_representable, check_tensor_arguments, promote
from minigrad.tensor import Tensor

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
        # all of the gradient, less what goes to the other side (PyTorch's rule: a nan gets it all;
        # bools have no `-`, so the comparisons are cast first)
        share_x = 1 - (x < y).to(x.dtype) - (x == y) * 0.5
        share_y = 1 - (y < x).to(x.dtype) - (x == y) * 0.5
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
        share_x = 1 - (x > y).to(x.dtype) - (x == y) * 0.5
        share_y = 1 - (y > x).to(x.dtype) - (x == y) * 0.5
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
    check_tensor_arguments("maximum", ("input", "other"), x, y)  # (no numbers: clamp_min is for those)
    return Maximum.apply(*promote(x, y))


def minimum(x: Tensor, y: Tensor) -> Tensor:
    check_tensor_arguments("minimum", ("input", "other"), x, y)
    return Minimum.apply(*promote(x, y))


def where(condition: Tensor, x: Any = None, y: Any = None) -> Tensor:
    if x is None and y is None:  # where(condition): the indices of its nonzero elements
        from minigrad.ops.indexing import nonzero

        check_tensor_arguments("where", ("condition",), condition)
        return nonzero(condition, as_tuple=True)
    if not isinstance(condition, Tensor):
        raise RuntimeError("where expected condition to be a boolean tensor")
    if condition.dtype is not dtypes.bool:
        raise RuntimeError(
            "where expected condition to be a boolean tensor, but got a tensor with dtype "
            + dtypes.torch_type_name(condition.dtype)
        )
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
    @backend.quiet  # nan or inf cast to an integer: some number, silently, as in PyTorch
    def forward(ctx, x, dtype, device):
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
    check_fill_representable(value, x.dtype)
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
    """logical_and/or/xor: each element's truth (nonzero, nan included) combined, as bools."""
    check_tensor_arguments(f"logical_{name}", ("input", "other"), x, y)
    x, y = promote(x, y)  # (only for the shape and device checks: promotion keeps which are nonzero)
    xp = x._device.xp
    return Tensor._make(getattr(xp, "logical_" + name)(_truth(x), _truth(y)), x._device)


def _truth(x: Tensor) -> Any:
    return x._array if x.dtype is dtypes.bool else x._array != 0


def logical_and(x: Tensor, y: Tensor) -> Tensor:
    return _logical("and", x, y)


def logical_or(x: Tensor, y: Tensor) -> Tensor:
    return _logical("or", x, y)


def logical_xor(x: Tensor, y: Tensor) -> Tensor:
    return _logical("xor", x, y)


def _bitwise(name: str, x: Any, y: Any) -> Tensor:
    """&, |, ^: bit by bit on integers, logical on bools; PyTorch has no float kernel."""
    x, y = promote(x, y)
    xp = x._device.xp
    if x.dtype is dtypes.bool:
        return Tensor._make(getattr(xp, "logical_" + name)(x._array, y._array), x._device)
    if x.dtype.is_floating_point:
        raise NotImplementedError(f"\"bitwise_{name}_cpu\" not implemented for '{dtypes.torch_type_name(x.dtype)}'")
    return Tensor._make(getattr(xp, "bitwise_" + name)(x._array, y._array), x._device)


def bitwise_and(x: Any, y: Any) -> Tensor:
    return _bitwise("and", x, y)


def bitwise_or(x: Any, y: Any) -> Tensor:
    return _bitwise("or", x, y)


def bitwise_xor(x: Any, y: Any) -> Tensor:
    return _bitwise("xor", x, y)


def logical_not(x: Tensor) -> Tensor:
    xp = x._device.xp
    return Tensor._make(xp.logical_not(xp.astype(x._array, xp.bool)), x._device)


def isnan(x: Tensor) -> Tensor:
    return Tensor._make(x._device.xp.isnan(x._array), x._device)


def isinf(x: Tensor) -> Tensor:
    return Tensor._make(x._device.xp.isinf(x._array), x._device)


def isfinite(x: Tensor) -> Tensor:
    return Tensor._make(x._device.xp.isfinite(x._array), x._device)
