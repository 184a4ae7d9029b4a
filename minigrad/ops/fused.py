"""
Three-operand ops that PyTorch computes in one kernel, and records as one node: lerp (start +
weight·(end - start)), addcmul (x + value·t1·t2) and addcdiv (x + value·t1/t2). Optimizers use
them (Adam's update is an addcdiv); written out as separate ops they would give the same values
with more nodes. The operands broadcast together; the engine sums each gradient back to its
operand's shape.
"""

from __future__ import annotations

from typing import Any

from minigrad import backend, dtypes
from minigrad.autograd.function import Function
from minigrad.backend import quiet
from minigrad.ops._common import as_dtype, broadcast_shape, check_tensor_argument
from minigrad.tensor import Tensor


class Lerp(Function):
    """z = start + w·(end - start), for a number w;  dz/dstart = 1 - w, dz/dend = w."""

    node_name = "LerpBackward0"

    @staticmethod
    def forward(ctx, start, end, weight):
        ctx.weight = weight
        return _lerp(start._device, start._array, end._array, weight)

    @staticmethod
    def backward(ctx, grad_output):
        weight = ctx.weight
        grad_start = grad_output * (1 - weight) if ctx.needs_input_grad[0] else None
        grad_end = grad_output * weight if ctx.needs_input_grad[1] else None
        return grad_start, grad_end, None


class LerpTensor(Function):
    """z = start + w·(end - start), for a tensor w;  dz/dstart = 1 - w, dz/dend = w, dz/dw = end - start."""

    node_name = "LerpBackward1"

    @staticmethod
    def forward(ctx, start, end, weight):
        ctx.save_for_backward(start, end, weight)
        return _lerp(start._device, start._array, end._array, weight._array)

    @staticmethod
    def backward(ctx, grad_output):
        start, end, weight = ctx.saved_tensors
        grad_start = grad_output * (1 - weight) if ctx.needs_input_grad[0] else None
        grad_end = grad_output * weight if ctx.needs_input_grad[1] else None
        grad_weight = grad_output * (end - start) if ctx.needs_input_grad[2] else None
        return grad_start, grad_end, grad_weight


def _lerp(device: Any, start: Any, end: Any, weight: Any) -> Any:
    """PyTorch's formula, each branch one fused multiply-add: start + w·(end - start) where |w| < 1/2,
    end - (end - start)·(1 - w) elsewhere (which keeps lerp(a, b, 1) exactly b)."""
    xp = device.xp
    difference = end - start
    weight = xp.asarray(weight, dtype=start.dtype, **device.on_device)  # (a number: in the tensors' dtype)
    from_start = backend.fused_multiply_add(device, difference, weight, start)
    from_end = backend.fused_multiply_add(device, -difference, 1 - weight, end)
    return xp.where(xp.abs(weight) < 0.5, from_start, from_end)


class Addcmul(Function):
    """z = x + v·t1·t2 ((v·t1)·t2 + x fused, as PyTorch's kernel);  dz/dx = 1, dz/dt1 = v·t2, dz/dt2 = v·t1."""

    node_name = "AddcmulBackward0"

    @staticmethod
    def forward(ctx, x, tensor1, tensor2, value):
        ctx.save_for_backward(tensor1, tensor2)
        ctx.value = value
        return backend.fused_multiply_add(x._device, value * tensor1._array, tensor2._array, x._array)

    @staticmethod
    def backward(ctx, grad_output):
        tensor1, tensor2 = ctx.saved_tensors
        value = ctx.value
        grad_1 = grad_output * value * tensor2 if ctx.needs_input_grad[1] else None
        grad_2 = grad_output * value * tensor1 if ctx.needs_input_grad[2] else None
        return grad_output, grad_1, grad_2, None


class Addcdiv(Function):
    """z = x + v·t1/t2;  dz/dx = 1, dz/dt1 = v/t2, dz/dt2 = -v·t1/t2²."""

    node_name = "AddcdivBackward0"

    @staticmethod
    @quiet
    def forward(ctx, x, tensor1, tensor2, value):
        ctx.save_for_backward(tensor1, tensor2)
        ctx.value = value
        return x._array + value * tensor1._array / tensor2._array

    @staticmethod
    def backward(ctx, grad_output):
        tensor1, tensor2 = ctx.saved_tensors
        value = ctx.value
        grad_1 = grad_output * value / tensor2 if ctx.needs_input_grad[1] else None
        grad_2 = -grad_output * value * tensor1 / (tensor2 * tensor2) if ctx.needs_input_grad[2] else None
        return grad_output, grad_1, grad_2, None


def lerp(input: Tensor, end: Tensor, weight: Any) -> Tensor:
    """start + weight·(end - start): `weight` a number or a tensor, all of one float dtype."""
    check_tensor_argument("lerp", "end", 2, end)
    kernel = "lerp_kernel_tensor" if isinstance(weight, Tensor) else "lerp_kernel_scalar"
    if not input.dtype.is_floating_point:
        raise NotImplementedError(f"\"{kernel}\" not implemented for '{dtypes.torch_type_name(input.dtype)}'")
    _check_same_dtype(input, end, "end")
    if isinstance(weight, Tensor):
        _check_same_dtype(input, weight, "weight")
        _broadcast(input, end, weight)
        return LerpTensor.apply(input, end, weight)
    _broadcast(input, end)
    return Lerp.apply(input, end, weight)


def addcmul(input: Tensor, tensor1: Tensor, tensor2: Tensor, *, value: Any = 1) -> Tensor:
    """input + value·tensor1·tensor2, elementwise."""
    input, tensor1, tensor2, value = _prepare("addcmul", input, tensor1, tensor2, value)
    return Addcmul.apply(input, tensor1, tensor2, value)


def addcdiv(input: Tensor, tensor1: Tensor, tensor2: Tensor, *, value: Any = 1) -> Tensor:
    """input + value·tensor1/tensor2, elementwise."""
    input, tensor1, tensor2, value = _prepare("addcdiv", input, tensor1, tensor2, value)
    if not tensor1.dtype.is_floating_point:
        raise RuntimeError(
            "Integer division with addcdiv is no longer supported, and in a future  release addcdiv will "
            "perform a true division of tensor1 and tensor2. The historic addcdiv behavior can be "
            "implemented as (input + value * torch.trunc(tensor1 / tensor2)).to(input.dtype) for integer "
            "inputs and as (input + value * tensor1 / tensor2) for float inputs. The future addcdiv "
            "behavior is just the latter implementation: (input + value * tensor1 / tensor2), for all dtypes."
        )
    return Addcdiv.apply(input, tensor1, tensor2, value)


def _prepare(name: str, input: Tensor, tensor1: Any, tensor2: Any, value: Any) -> tuple:
    """The three operands in their common dtype (PyTorch's type promotion), shapes checked, and
    `value` as a number of that dtype's kind (an integer tensor takes int(value), as in PyTorch)."""
    check_tensor_argument(name, "tensor1", 2, tensor1)
    check_tensor_argument(name, "tensor2", 3, tensor2)
    if not isinstance(value, (int, float)):
        raise TypeError(f"{name}(): argument 'value' must be Number, not {type(value).__name__}")
    dtype = dtypes.promote_types(dtypes.result_type(input, tensor1), dtypes.result_type(input, tensor2))
    input, tensor1, tensor2 = (as_dtype(t, dtype, input._device) for t in (input, tensor1, tensor2))
    _broadcast(input, tensor1, tensor2)
    return input, tensor1, tensor2, value if dtype.is_floating_point else int(value)


def _check_same_dtype(input: Tensor, other: Tensor, argument: str) -> None:
    if other.dtype is not input.dtype:
        raise RuntimeError(
            f"expected dtype {_c_type_name(input.dtype)} for `{argument}` but got dtype {_c_type_name(other.dtype)}"
        )


def _c_type_name(dtype: dtypes.dtype) -> str:
    """The C++ type names of PyTorch's dtype-check messages: float, double, c10::Half."""
    return {"float32": "float", "float64": "double", "float16": "c10::Half"}.get(dtype.name, dtype.name)


def _broadcast(*tensors: Tensor) -> None:
    """PyTorch's error if the operands' shapes do not broadcast together."""
    shape = tensors[0].shape
    for tensor in tensors[1:]:
        shape = broadcast_shape(tuple(shape), tuple(tensor.shape))
