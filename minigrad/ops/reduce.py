"""
Reductions: sum, mean, max/min (with and without dim), amax, and the softmax family
(softmax, log_softmax, logsumexp), each with its backward. var and std are composites whose
gradients come from the ops they are made of.
"""

from __future__ import annotations

import math
from collections import namedtuple
from typing import Any

from minigrad import backend, dtypes, softmax_order
from minigrad._warnings import warn_at_caller
from minigrad.autograd.function import Function
from minigrad.backend import quiet
from minigrad.ops._common import normalize_dim, normalize_dims
from minigrad.ops.elementwise import where
from minigrad.ops.shape import Expand, Reshape
from minigrad.tensor import Tensor


class _ValuesIndices(namedtuple("values_indices", ["values", "indices"])):
    """What max(dim) and min(dim) return: a (values, indices) pair that prints like PyTorch's."""

    __slots__ = ()
    name = "max"

    def __repr__(self) -> str:
        return f"{dtypes.display_name}.return_types.{self.name}(\nvalues={self.values!r},\nindices={self.indices!r})"


class max_result(_ValuesIndices):  # noqa: N801  (torch.return_types.max)
    __slots__ = ()
    name = "max"


class min_result(_ValuesIndices):  # noqa: N801  (torch.return_types.min)
    __slots__ = ()
    name = "min"


def _restore_reduced_dims(grad: Tensor, dims: tuple, keepdim: bool, shape: tuple) -> Tensor:
    """Put back the dimensions a reduction removed, then broadcast: each input gets its share."""
    if not keepdim and grad._array.ndim > 0:  # a 0-d gradient broadcasts to any shape as it is
        grad = Reshape.apply(grad, tuple(1 if d in dims else size for d, size in enumerate(shape)))
    return grad if grad._array.shape == shape else Expand.apply(grad, shape)


# ---- sum and mean ----


class Sum(Function):
    """y = Σ x over dims;  dy/dx = 1 for every summed element."""

    node_name = "SumBackward0"

    @staticmethod
    def forward(ctx, x, dims, keepdim):
        ctx.dims, ctx.keepdim, ctx.shape = dims, keepdim, x._array.shape
        array = x._array
        xp = x._device.xp
        if not x.dtype.is_floating_point:  # integer and bool sums are int64, as in PyTorch
            array = xp.astype(array, xp.int64)
        return x._device.sum(array, axis=dims, keepdims=keepdim)

    @staticmethod
    def backward(ctx, grad_output):
        return _restore_reduced_dims(grad_output, ctx.dims, ctx.keepdim, ctx.shape), None, None


class SumDim(Sum):
    node_name = "SumBackward1"


class Mean(Function):
    """y = Σ x / n over dims;  dy/dx = 1/n."""

    node_name = "MeanBackward0"

    @staticmethod
    def forward(ctx, x, dims, keepdim):
        ctx.dims, ctx.keepdim, ctx.shape = dims, keepdim, x.shape
        ctx.count = _count(x.shape, dims)
        return x._device.mean(x._array, axis=dims, keepdims=keepdim)

    @staticmethod
    def backward(ctx, grad_output):
        return _restore_reduced_dims(grad_output / ctx.count, ctx.dims, ctx.keepdim, ctx.shape), None, None


class MeanDim(Mean):
    node_name = "MeanBackward1"


def _count(shape: tuple, dims: tuple) -> int:
    count = 1
    for d in dims:
        count *= shape[d]
    return count


def sum(x: Tensor, dim: Any = None, keepdim: bool = False, *, dtype: Any = None) -> Tensor:  # noqa: A001
    if dtype is not None:
        x = x.to(dtype)
    if dim is None or type(dim) is tuple and not dim:  # (not dim == (): dim may be a NumPy integer)
        return Sum.apply(x, tuple(range(x.ndim)), keepdim)
    return SumDim.apply(x, normalize_dims(dim, x.ndim), keepdim)


def mean(x: Tensor, dim: Any = None, keepdim: bool = False, *, dtype: Any = None) -> Tensor:
    if dtype is not None:
        x = x.to(dtype)
    if not x.dtype.is_floating_point:
        raise RuntimeError(
            "mean(): could not infer output dtype. Input dtype must be either a floating point or "
            f"complex dtype. Got: {dtypes.torch_type_name(x.dtype)}"
        )
    if dim is None:
        return Mean.apply(x, tuple(range(x.ndim)), keepdim)
    return MeanDim.apply(x, normalize_dims(dim, x.ndim), keepdim)


class Var(Function):
    """v = Σ (x - mean)² / (n - correction) over dims;  dv/dx = 2 (x - mean) / (n - correction)."""

    node_name = "VarBackward0"

    @staticmethod
    def forward(ctx, x, dims, correction, keepdim):
        ctx.save_for_backward(x)
        _remember_reduction(ctx, x, dims, correction, keepdim)
        return backend.variance(x._device, x._array, dims, ctx.divisor, False, keepdim)

    @staticmethod
    def backward(ctx, grad_output):
        (x,) = ctx.saved_tensors
        return _var_grad(ctx, x, grad_output), None, None, None


class Std(Function):
    """s = √var over dims;  ds/dx = dv/dx / (2s), and 0 where s = 0 (as PyTorch)."""

    node_name = "StdBackward0"

    @staticmethod
    def forward(ctx, x, dims, correction, keepdim):
        _remember_reduction(ctx, x, dims, correction, keepdim)
        result = Tensor._make(backend.variance(x._device, x._array, dims, ctx.divisor, True, keepdim), x._device)
        ctx.save_for_backward(x, result)  # the output, as PyTorch: backward divides by it
        return result

    @staticmethod
    def backward(ctx, grad_output):
        x, result = ctx.saved_tensors
        grad_var = where(result == 0, 0.0, grad_output / (result * 2))
        return _var_grad(ctx, x, grad_var), None, None, None


def _remember_reduction(ctx: Any, x: Tensor, dims: tuple, correction: float, keepdim: bool) -> None:
    ctx.dims, ctx.correction, ctx.keepdim = dims, correction, keepdim
    count = _count(x.shape, dims)
    ctx.divisor = count - correction if count > correction else 0


def _var_grad(ctx: Any, x: Tensor, grad: Tensor) -> Tensor:
    """The gradient of the variance: 2 (x - mean) / (n - correction), times the incoming gradient."""
    centered = x - x.mean(ctx.dims, keepdim=True)
    share = _restore_reduced_dims(grad, ctx.dims, ctx.keepdim, x.shape)
    scale = 2 / ctx.divisor if ctx.divisor else float("inf")
    return share * scale * centered


def var(
    x: Tensor, dim: Any = None, unbiased: bool | None = None, keepdim: bool = False, *, correction: float | None = None
) -> Tensor:
    """Σ (x - mean)² / (n - correction); unbiased (correction=1) by default, as in PyTorch."""
    return Var.apply(*_variance_args("var", x, dim, unbiased, keepdim, correction))


def std(
    x: Tensor, dim: Any = None, unbiased: bool | None = None, keepdim: bool = False, *, correction: float | None = None
) -> Tensor:
    """√var, as one op (PyTorch's StdBackward0), its square root taken before rounding to float32."""
    return Std.apply(*_variance_args("std", x, dim, unbiased, keepdim, correction))


def _variance_args(
    name: str, x: Tensor, dim: Any, unbiased: bool | None, keepdim: bool, correction: float | None
) -> tuple:
    if isinstance(dim, bool):  # var(x, False) is the old positional `unbiased`
        dim, unbiased = None, dim
    if correction is None:
        correction = 0 if unbiased is False else 1
    if not x.dtype.is_floating_point:
        raise RuntimeError("std and var only support floating point and complex dtypes")
    dims = normalize_dims(dim, x.ndim)
    if _count(x.shape, dims) - correction <= 0:  # the result is nan or inf: PyTorch warns, in these words
        warn_at_caller(
            f"{name}(): degrees of freedom is <= 0. Correction should be strictly less than the reduction "
            "factor (input numel divided by output numel)."
        )
    return x, dims, correction, keepdim


# ---- max and min ----


class MaxAll(Function):
    """y = max of all x;  the gradient is shared evenly among the elements equal to y (as PyTorch)."""

    node_name = "MaxBackward1"
    reduce = "max"

    @staticmethod
    def forward(ctx, x):
        if x.numel() == 0:
            raise RuntimeError(
                f"{ctx._forward_cls.reduce}(): Expected reduction dim to be specified for input.numel() == 0. "
                "Specify the reduction dim with the 'dim' argument."
            )
        ctx.save_for_backward(x)
        return getattr(x._device.xp, ctx._forward_cls.reduce)(x._array)

    @staticmethod
    def backward(ctx, grad_output):
        (x,) = ctx.saved_tensors
        value = getattr(x, ctx._forward_cls.reduce)().detach()
        chosen = (x == value) | (x.isnan() & value.isnan())  # a nan max came from the nans
        return grad_output * chosen / chosen.sum()


class MinAll(MaxAll):
    node_name = "MinBackward1"
    reduce = "min"


class MaxDim(Function):
    """(values, indices) along dim;  the gradient goes to the element each index points at."""

    node_name = "MaxBackward0"
    reduce = "max"

    @staticmethod
    def forward(ctx, x, dim, keepdim):
        xp = x._device.xp
        if x.shape[dim] == 0:
            raise IndexError(f"{ctx._forward_cls.reduce}(): Expected reduction dim {dim} to have non-zero size.")
        arg = xp.argmax if ctx._forward_cls.reduce == "max" else xp.argmin
        indices = arg(x._array, axis=dim, keepdims=True)
        values = xp.take_along_axis(x._array, indices, axis=dim)
        if not keepdim:
            values, indices = xp.squeeze(values, axis=dim), xp.squeeze(indices, axis=dim)
        ctx.dim, ctx.keepdim, ctx.shape = dim, keepdim, x.shape
        indices = Tensor._make(xp.astype(indices, xp.int64), x._device)
        ctx.save_for_backward(indices)
        ctx.mark_non_differentiable(indices)
        return values, indices

    @staticmethod
    def backward(ctx, grad_values, grad_indices):
        (indices,) = ctx.saved_tensors
        if not ctx.keepdim:
            grad_values, indices = grad_values.unsqueeze(ctx.dim), indices.unsqueeze(ctx.dim)
        positions = _arange_along(ctx.shape, ctx.dim, indices)
        return grad_values * (positions == indices), None, None


class MinDim(MaxDim):
    node_name = "MinBackward0"
    reduce = "min"


def _arange_along(shape: tuple, dim: int, like: Tensor) -> Tensor:
    """0, 1, 2, ... along `dim`, shaped to broadcast against a tensor of `shape`."""
    xp = like._device.xp
    view = [1] * len(shape)
    view[dim] = shape[dim]
    return Tensor._make(
        xp.reshape(xp.arange(shape[dim], dtype=xp.int64, **like._device.on_device), tuple(view)), like._device
    )


def _max_or_min(x: Tensor, dim: Any, keepdim: bool, other: Any, which: str) -> Any:
    from minigrad.ops import elementwise

    if isinstance(dim, Tensor):  # torch.max(a, b) is the elementwise maximum
        return elementwise.maximum(x, dim) if which == "max" else elementwise.minimum(x, dim)
    if dim is None:
        return (MaxAll if which == "max" else MinAll).apply(x)
    dim = normalize_dim(dim, x.ndim)
    if x.ndim == 0:
        result = max_result if which == "max" else min_result
        return result(x.clone(), x.new_zeros((), dtype=dtypes.int64))
    values, indices = (MaxDim if which == "max" else MinDim).apply(x, dim, keepdim)
    return (max_result if which == "max" else min_result)(values, indices)


def max(x: Tensor, dim: Any = None, keepdim: bool = False) -> Any:  # noqa: A001
    return _max_or_min(x, dim, keepdim, None, "max")


def min(x: Tensor, dim: Any = None, keepdim: bool = False) -> Any:  # noqa: A001
    return _max_or_min(x, dim, keepdim, None, "min")


class Amax(Function):
    """y = max of x over dims;  the gradient is shared evenly among the elements equal to y
    (ties split), as PyTorch's amax."""

    node_name = "AmaxBackward0"
    extreme = "max"  # the array library's reduction

    @classmethod
    def forward(cls, ctx, x, dims, keepdim):
        ctx.save_for_backward(x)
        ctx.dims, ctx.keepdim = dims, keepdim
        xp = x._device.xp
        if x.ndim == 0:
            return x._array
        result = getattr(xp, cls.extreme)(x._array, axis=dims, keepdims=True)
        result = xp.where(xp.any(xp.isnan(x._array), axis=dims, keepdims=True), xp.nan, result)
        return result if keepdim else xp.squeeze(result, axis=dims)

    @staticmethod
    def backward(ctx, grad_output):
        (x,) = ctx.saved_tensors
        extreme = ctx._forward_cls.apply(x, ctx.dims, True).detach()
        chosen = x == extreme  # a nan row chooses none: nan, as PyTorch
        share = _restore_reduced_dims(grad_output, ctx.dims, ctx.keepdim, x.shape)
        return share * chosen / chosen.sum(ctx.dims, keepdim=True), None, None


class Amin(Amax):
    """y = min of x over dims;  the gradient is shared evenly among the elements equal to y."""

    node_name = "AminBackward0"
    extreme = "min"


def amax(x: Tensor, dim: Any = (), keepdim: bool = False) -> Tensor:
    return _extreme(Amax, "amax", x, dim, keepdim)


def amin(x: Tensor, dim: Any = (), keepdim: bool = False) -> Tensor:
    return _extreme(Amin, "amin", x, dim, keepdim)


def _extreme(op: type[Function], name: str, x: Tensor, dim: Any, keepdim: bool) -> Tensor:
    every = dim is None or type(dim) is tuple and not dim  # amax(x, dim=()) is over every dimension
    dims = normalize_dims(None if every else dim, x.ndim)
    if x.numel() == 0:  # an extreme of nothing: PyTorch's errors
        if every:
            raise RuntimeError(
                f"{name}(): Expected reduction dim to be specified for input.numel() == 0. "
                "Specify the reduction dim with the 'dim' argument."
            )
        empty = _first_empty_dim(x, dim)
        if empty is not None:
            raise IndexError(f"{name}(): Expected reduction dim {empty} to have non-zero size.")
    return op.apply(x, dims, keepdim)


def _first_empty_dim(x: Tensor, dim: Any) -> Any:
    """The first of the given dims (as the caller wrote it) along which x has no elements, or None."""
    for d in dim if isinstance(dim, (tuple, list)) else (dim,):
        if x.shape[normalize_dim(d, x.ndim)] == 0:
            return d
    return None


def argmax(x: Tensor, dim: int | None = None, keepdim: bool = False) -> Tensor:
    return _arg(x, dim, keepdim, "argmax")


def argmin(x: Tensor, dim: int | None = None, keepdim: bool = False) -> Tensor:
    return _arg(x, dim, keepdim, "argmin")


def _arg(x: Tensor, dim: int | None, keepdim: bool, name: str) -> Tensor:
    xp = x._device.xp
    if x.numel() == 0:
        raise IndexError(f"{name}(): Expected reduction dim to be specified for input.numel() == 0.")
    if dim is None:
        flat = xp.reshape(x._array, (-1,))
        result = getattr(xp, name)(flat)
        if keepdim:
            result = xp.reshape(result, (1,) * x.ndim)
    else:
        result = getattr(xp, name)(x._array, axis=normalize_dim(dim, x.ndim), keepdims=keepdim)
    return Tensor._make(xp.astype(result, xp.int64), x._device)


# ---- composites: softmax family ----


class LogSumExp(Function):
    """y = log Σ e^x over dims;  dy/dx = e^(x - y), the softmax of x.

    Computed as m + log Σ e^(x - m) with m = max x, so that e^ never overflows. A primitive (not a
    composite of exp, sum and log) so that its derivatives stay finite over an empty dimension,
    where Σ e^x = 0 and the composite's backward would divide by it.
    """

    node_name = "LogsumexpBackward0"

    @staticmethod
    @quiet
    def forward(ctx, x, dims, keepdim):
        ctx.save_for_backward(x)
        ctx.dims, ctx.keepdim = dims, keepdim
        xp = x._device.xp
        shift = _detached_max(x, dims)._array
        exps = backend.transcendental(x._device, "exp", x._array - shift)  # PyTorch's steps: e^(x - max),
        total = x._device.sum(exps, axis=dims, keepdims=True)  # its sum (in its order), the log, + max
        result = backend.transcendental(x._device, "log", total) + shift
        return result if keepdim else xp.reshape(result, tuple(s for d, s in enumerate(result.shape) if d not in dims))

    @staticmethod
    def backward(ctx, grad_output):
        (x,) = ctx.saved_tensors
        result = logsumexp(x, ctx.dims, keepdim=True)  # recomputed: differentiable again
        grad = _restore_reduced_dims(grad_output, ctx.dims, ctx.keepdim, x.shape)
        return grad * (x - result).exp(), None, None


class VectorNorm(Function):
    """n = (Σ|x|^p)^(1/p) over dims;  dn/dx = sign(x)·|x|^(p-1)/n^(p-1), which is x/n for p = 2
    and sign(x) for p = 1; for p = ±inf, sign(x) at the |x| equal to n, shared among ties; none for
    p = 0 (a count of non-zeros). Where n = 0 or (for p < 1) x = 0 the gradient is 0, as in
    PyTorch, not 0/0."""

    node_name = "LinalgVectorNormBackward0"

    @staticmethod
    def forward(ctx, x, p, dims, keepdim):
        ctx.p, ctx.dims, ctx.keepdim = p, dims, keepdim
        result = _norm_of(x, p, dims, keepdim)
        ctx.save_for_backward(x, result)  # the output, as PyTorch
        return result

    @staticmethod
    def backward(ctx, grad_output):
        x, n = ctx.saved_tensors  # n: the norm, as in the docstring
        p = ctx.p
        if p == 0:  # a count: no gradient (PyTorch leaves x.grad None too)
            return None, None, None, None
        grad = _restore_reduced_dims(grad_output, ctx.dims, ctx.keepdim, x.shape)
        if p == 1:
            return x.sign() * grad, None, None, None
        n = _restore_reduced_dims(n, ctx.dims, ctx.keepdim, x.shape)
        if p in (math.inf, -math.inf):
            reached = x.abs() == n  # the elements whose |x| is the norm share its gradient
            ties = reached.sum(ctx.dims, keepdim=True)
            return x.sign() * ((grad / ties) * reached), None, None, None
        if p == 2:
            return x * (grad / n).masked_fill(n == 0, 0), None, None, None
        if p < 1:  # |x|^(p-1) is inf at x = 0, where the gradient is 0
            scaled = x.sign() * (x.abs() ** (p - 1)).masked_fill(x == 0, 0)
            return scaled * grad * n ** (1 - p), None, None, None
        scaled = x.sign() * x.abs() ** (p - 1) if p < 2 else x * x.abs() ** (p - 2)  # (PyTorch's two forms)
        return scaled * (grad / n ** (p - 1)).masked_fill(n == 0, 0), None, None, None


def _norm_of(x: Tensor, p: Any, dims: tuple, keepdim: bool) -> Tensor:
    """The norm's value, from sums and maxima (the sums in PyTorch's order)."""
    if p == 2:
        return (x * x).sum(dims, keepdim).sqrt()
    if p == 1:
        return x.abs().sum(dims, keepdim)
    if p == 0:
        return x.sign().abs().sum(dims, keepdim)  # 1 per non-zero
    if p == math.inf:
        return amax(x.abs(), dims, keepdim)
    if p == -math.inf:
        return -amax(-x.abs(), dims, keepdim)  # the smallest |x|
    return (x.abs() ** p).sum(dims, keepdim) ** (1.0 / p)


def norm(x: Tensor, p: Any = 2, dim: Any = None, keepdim: bool = False) -> Tensor:
    """(Σ|x|^p)^(1/p) over dim (all by default); p=0 counts the non-zeros, p=±inf is the
    largest/smallest |x|. 'fro' is p=2."""
    if p == "fro":
        p = 2
    dims = normalize_dims(dim, x.ndim)
    if p in (math.inf, -math.inf) and x.numel() == 0:  # a largest |x| of nothing: PyTorch's error (sic: "0because")
        if dim is None:
            raise RuntimeError(
                f"linalg.vector_norm cannot compute the {p} norm on an empty tensor because the operation "
                "does not have an identity"
            )
        empty = _first_empty_dim(x, dim)
        if empty is not None:
            raise RuntimeError(
                f"linalg.vector_norm cannot compute the {p} norm on the dimension {empty}because this dimension "
                "is empty and the operation does not have an identity"
            )
    return VectorNorm.apply(x, p, dims, keepdim)


def logsumexp(x: Tensor, dim: Any, keepdim: bool = False) -> Tensor:
    """log Σ e^x along dim, without overflow."""
    return LogSumExp.apply(x, normalize_dims(dim, x.ndim), keepdim)


class Softmax(Function):
    """y = e^x / Σ e^x along dim;  dL/dx = (g - Σ g·y)·y, with g = dL/dy.

    The forward subtracts the max first (m = max x), so e^ never overflows.
    """

    node_name = "SoftmaxBackward0"

    @staticmethod
    @quiet
    def forward(ctx, x, dim):
        ctx.dim = dim
        array = backend.softmax_kernel(x._device, softmax_order.softmax_lastdim, dim, x._array)  # PyTorch's steps
        if array is None:
            xp = x._device.xp
            e = xp.exp(x._array - _detached_max(x, (dim,), zero_if_infinite=False)._array)
            array = e / xp.sum(e, axis=dim, keepdims=True)
        result = Tensor._make(array, x._device)
        ctx.save_for_backward(result)  # the output, as PyTorch: backward needs y, not x
        return result

    @staticmethod
    def backward(ctx, grad_output):
        (y,) = ctx.saved_tensors
        return SoftmaxGrad.apply(grad_output, y, ctx.dim), None


class SoftmaxGrad(Function):
    """z = (g - Σ g·y)·y along dim, softmax's backward in one op (PyTorch's _softmax_backward_data),
    itself differentiable, with v = dL/dz:  dL/dg = (v - Σ v·y)·y,  dL/dy = v·(g - Σ g·y) - g·Σ v·y."""

    node_name = "SoftmaxBackwardDataBackward0"

    @staticmethod
    def forward(ctx, grad, y, dim):
        ctx.save_for_backward(grad, y)
        ctx.dim = dim
        array = backend.softmax_kernel(y._device, softmax_order.softmax_grad_lastdim, dim, grad._array, y._array)
        if array is None:
            xp = y._device.xp
            array = (grad._array - xp.sum(grad._array * y._array, axis=dim, keepdims=True)) * y._array
        return array

    @staticmethod
    def backward(ctx, grad_output):
        grad, y = ctx.saved_tensors
        dim, needs = ctx.dim, ctx.needs_input_grad
        v_dot_y = (grad_output * y).sum(dim, keepdim=True)
        grad_grad = (grad_output - v_dot_y) * y if needs[0] else None
        grad_y = grad_output * (grad - (grad * y).sum(dim, keepdim=True)) - grad * v_dot_y if needs[1] else None
        return grad_grad, grad_y, None


class LogSoftmax(Function):
    """y = x - log Σ e^x along dim;  dL/dx = g - e^y · Σ g, with g = dL/dy.

    Computed as (x - m) - log Σ e^(x - m), m = max x: subtracting m first keeps the digits that
    x - logsumexp(x) would round away when x is large (1e4 in float32).
    """

    node_name = "LogSoftmaxBackward0"

    @staticmethod
    @quiet
    def forward(ctx, x, dim):
        ctx.dim = dim
        array = backend.softmax_kernel(x._device, softmax_order.log_softmax_lastdim, dim, x._array)  # PyTorch's steps
        if array is None:
            xp = x._device.xp
            shifted = x._array - _detached_max(x, (dim,), zero_if_infinite=False)._array
            array = shifted - xp.log(xp.sum(xp.exp(shifted), axis=dim, keepdims=True))
        result = Tensor._make(array, x._device)
        ctx.save_for_backward(result)  # the output, as PyTorch: backward needs y, not x
        return result

    @staticmethod
    def backward(ctx, grad_output):
        (y,) = ctx.saved_tensors
        return LogSoftmaxGrad.apply(grad_output, y, ctx.dim), None


class LogSoftmaxGrad(Function):
    """z = g - e^y·Σ g along dim, log_softmax's backward in one op (PyTorch's
    _log_softmax_backward_data), itself differentiable, with v = dL/dz:
    dL/dg = v - Σ v·e^y,  dL/dy = -v·e^y·Σ g."""

    node_name = "LogSoftmaxBackwardDataBackward0"

    @staticmethod
    @quiet
    def forward(ctx, grad, y, dim):
        ctx.save_for_backward(grad, y)
        ctx.dim = dim
        array = backend.softmax_kernel(y._device, softmax_order.log_softmax_grad_lastdim, dim, grad._array, y._array)
        if array is None:
            xp = y._device.xp
            array = grad._array - xp.exp(y._array) * xp.sum(grad._array, axis=dim, keepdims=True)
        return array

    @staticmethod
    def backward(ctx, grad_output):
        grad, y = ctx.saved_tensors
        dim, needs = ctx.dim, ctx.needs_input_grad
        exp_y = y.exp()
        grad_grad = grad_output - (grad_output * exp_y).sum(dim, keepdim=True) if needs[0] else None
        grad_y = -grad_output * exp_y * grad.sum(dim, keepdim=True) if needs[1] else None
        return grad_grad, grad_y, None


def softmax(x: Tensor, dim: int | None, dtype: Any = None) -> Tensor:  # (F.softmax may pass None)
    if dtype is not None:
        x = x.to(dtype)
    return Softmax.apply(x, _softmax_dim(x, dim))


def log_softmax(x: Tensor, dim: int | None, dtype: Any = None) -> Tensor:
    if dtype is not None:
        x = x.to(dtype)
    return LogSoftmax.apply(x, _softmax_dim(x, dim, "log_softmax"))


def _detached_max(x: Tensor, dims: tuple, zero_if_infinite: bool = True) -> Tensor:
    """The max over dims (kept), outside the graph: a shift that changes no gradient.

    For logsumexp, where the max is ±inf the shift is 0, so such rows give ±inf, not nan (as
    PyTorch). softmax keeps an infinite shift: a row holding inf is nan there, as in PyTorch.
    """
    xp = x._device.xp
    if x.numel() == 0:
        return x.new_zeros(())
    dims = dims if x.ndim else ()  # a 0-d tensor accepts dim 0 (as PyTorch): nothing to reduce
    shift = xp.max(x._array, axis=dims, keepdims=True)
    if zero_if_infinite:
        shift = xp.where(xp.isinf(shift), xp.zeros_like(shift), shift)
    return Tensor._make(shift, x._device)


def implicit_softmax_dim(ndim: int, name: str) -> int:
    """PyTorch's legacy dim for softmax-like ops called without one, with its deprecation warning."""
    warn_at_caller(
        f"Implicit dimension choice for {name} has been deprecated. Change the call to include dim=X as an argument."
    )
    return 0 if ndim in (0, 1, 3) else 1


def _softmax_dim(x: Tensor, dim: int | None, kernel: str = "softmax") -> int:
    if dim is None:
        dim = implicit_softmax_dim(x.ndim, kernel)
    if not x.dtype.is_floating_point:
        raise NotImplementedError(
            f"\"{kernel}_lastdim_kernel_impl\" not implemented for '{dtypes.torch_type_name(x.dtype)}'"
        )
    return normalize_dim(dim, x.ndim)
