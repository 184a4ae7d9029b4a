"""
minigrad.nn.functional: losses and activations as plain functions, like torch.nn.functional.

Most functions here are composites of tensor ops, so need no backward of its own: autograd
differentiates the ops they are made of. mse_loss is a primitive like PyTorch's, so that its node
prints as MseLossBackward0, and so are softplus, silu, elu, leaky_relu and logsigmoid (their
Functions are in ops/activation.py).
"""

import warnings
from typing import Any

from minigrad import Tensor
from minigrad.autograd import Function
from minigrad.ops import activation, addmm
from minigrad.ops._common import promote

_REDUCTIONS = ("none", "mean", "sum")


def _check_tensors(function: str, names: tuple[str, ...], *values: Any) -> None:
    """PyTorch's TypeError for a non-Tensor argument, instead of an AttributeError later on."""
    for position, value in enumerate(values, start=1):
        if not isinstance(value, Tensor):
            raise TypeError(
                f"{function}(): argument '{names[position - 1]}' (position {position}) must be Tensor, "
                f"not {type(value).__name__}"
            )


class MseLoss(Function):
    """L = mean((x - y)²) (or the sum);  dL/dx = 2(x - y)/n, dL/dy = -2(x - y)/n.

    A primitive, as in PyTorch, so that `print(cost)` shows grad_fn=<MseLossBackward0> as in the
    lectures; with reduction='none' mse_loss is a composite of tensor ops instead.
    """

    node_name = "MseLossBackward0"

    @staticmethod
    def forward(ctx, input, target, reduction):  # (promote checked that the shapes broadcast)
        # (the mean of nothing is nan, silently as in PyTorch: backend's warnings filter)
        ctx.save_for_backward(input, target)
        difference = input._array - target._array
        squared = difference * difference
        total = input._device.sum(squared)
        if reduction == "sum":
            ctx.scale = 2
            return total
        ctx.scale = 2 / squared.size if squared.size else float("nan")
        return total / squared.size  # the mean (of nothing: nan)

    @staticmethod
    def backward(ctx, grad_output):
        input, target = ctx.saved_tensors
        grad = MseLossGrad.apply(grad_output, input, target, ctx.scale)  # g · scale · (x - y), one op
        return grad if ctx.needs_input_grad[0] else None, -grad if ctx.needs_input_grad[1] else None, None


class MseLossGrad(Function):
    """z = g·s·(x - y), the MSE gradient in one op (PyTorch's mse_loss_backward), itself
    differentiable:  dz/dg = s·(x - y) (summed back to g's shape by the engine),  dz/dx = g·s,
    dz/dy = -g·s."""

    node_name = "MseLossBackwardBackward0"

    @staticmethod
    def forward(ctx, grad, input, target, scale):
        ctx.save_for_backward(grad, input, target)
        ctx.scale = scale
        return grad._array * scale * (input._array - target._array)

    @staticmethod
    def backward(ctx, grad_output):
        grad, input, target = ctx.saved_tensors
        needs = ctx.needs_input_grad
        grad_grad = grad_output * ctx.scale * (input - target) if needs[0] else None
        grad_input = grad_output * grad * ctx.scale if needs[1] or needs[2] else None
        return grad_grad, grad_input, -grad_input if needs[2] else None, None


def _reduce(loss: Tensor, reduction: str) -> Tensor:
    """Apply a loss's `reduction`: 'none' keeps every element, 'mean' or 'sum' fold them."""
    if reduction == "none":
        return loss
    if reduction == "mean":
        return loss.mean()
    if reduction == "sum":
        return loss.sum()
    raise ValueError(f"{reduction} is not a valid value for reduction")


def _warn_if_sizes_differ(input: Tensor, target: Tensor) -> None:
    # Broadcasting a (3,) target against a (3, 1) input silently makes a 3×3 loss;
    # PyTorch warns about it in these words, and so do we.
    if target._array.shape != input._array.shape:
        warnings.warn(
            f"Using a target size ({target.size()}) that is different to the input size "
            f"({input.size()}). This will likely lead to incorrect results due to "
            "broadcasting. Please ensure they have the same size.",
            stacklevel=3,
        )


def mse_loss(input: Tensor, target: Tensor, reduction: str = "mean") -> Tensor:
    """Mean squared error: mean((input - target)²), or the sum, or every element.

    Args:
        input (Tensor): predictions
        target (Tensor): true values, the same shape as input
        reduction (str): 'none' | 'mean' | 'sum' (default: 'mean')

    Example:
        >>> F.mse_loss(minigrad.tensor([1., 2.]), minigrad.tensor([1., 4.]))
        tensor(2.)
    """
    _check_tensors("mse_loss", ("input", "target"), input, target)
    _warn_if_sizes_differ(input, target)
    if reduction not in _REDUCTIONS:
        raise ValueError(f"{reduction} is not a valid value for reduction")
    if reduction == "none":
        difference = input - target
        return difference * difference
    return MseLoss.apply(*promote(input, target), reduction)


def l1_loss(input: Tensor, target: Tensor, reduction: str = "mean") -> Tensor:
    """Mean absolute error: mean(|input - target|), or the sum, or every element.

    Args:
        input (Tensor): predictions
        target (Tensor): true values, the same shape as input
        reduction (str): 'none' | 'mean' | 'sum' (default: 'mean')
    """
    _check_tensors("l1_loss", ("input", "target"), input, target)
    _warn_if_sizes_differ(input, target)
    if reduction not in _REDUCTIONS:
        raise ValueError(f"{reduction} is not a valid value for reduction")
    return _reduce((input - target).abs(), reduction)


def linear(input: Tensor, weight: Tensor, bias: Tensor | None = None) -> Tensor:
    """y = x Wᵀ + b, with weight of shape (out_features, in_features)."""
    _check_tensors("linear", ("input", "weight"), input, weight)
    if input.ndim == 2 and bias is not None:  # one AddmmBackward0 node, as in PyTorch
        return addmm(bias, input, weight.t())  # (batch, in) @ (in, out) + (out,) -> (batch, out)
    output = input.matmul(weight.t())  # (..., in) @ (in, out) -> (..., out)
    return output + bias if bias is not None else output


def relu(input: Tensor) -> Tensor:
    """max(0, x), elementwise."""
    _check_tensors("relu", ("input",), input)
    return input.relu()


def sigmoid(input: Tensor) -> Tensor:
    """1 / (1 + e^-x), elementwise."""
    _check_tensors("sigmoid", ("input",), input)
    return input.sigmoid()


def tanh(input: Tensor) -> Tensor:
    """(e^x - e^-x) / (e^x + e^-x), elementwise."""
    _check_tensors("tanh", ("input",), input)
    return input.tanh()


def softplus(input: Tensor, beta: float = 1.0, threshold: float = 20.0) -> Tensor:
    """ln(1 + e^(βx))/β, a smooth relu; x itself where βx > threshold."""
    _check_tensors("softplus", ("input",), input)
    return activation.softplus(input, beta, threshold)


def silu(input: Tensor, inplace: bool = False) -> Tensor:
    """x·σ(x), elementwise (also called swish). (`inplace` is accepted and ignored.)"""
    _check_tensors("silu", ("input",), input)
    return activation.silu(input)


def elu(input: Tensor, alpha: float = 1.0, inplace: bool = False) -> Tensor:
    """x for x > 0, α·(e^x - 1) below. (`inplace` is accepted and ignored.)"""
    _check_tensors("elu", ("input",), input)
    return activation.elu(input, alpha)


def leaky_relu(input: Tensor, negative_slope: float = 0.01, inplace: bool = False) -> Tensor:
    """x for x > 0, negative_slope·x below. (`inplace` is accepted and ignored.)"""
    _check_tensors("leaky_relu", ("input",), input)
    return activation.leaky_relu(input, negative_slope)


def logsigmoid(input: Tensor) -> Tensor:
    """ln σ(x) = -softplus(-x), without overflow for large |x|."""
    _check_tensors("logsigmoid", ("input",), input)
    return activation.logsigmoid(input)


def softmax(input: Tensor, dim: int | None = None, dtype: Any = None) -> Tensor:
    """e^x / sum(e^x) along `dim`; each slice along dim sums to 1.

    The tensor op is itself a composite (shift by the max, exp, divide by the sum), so the
    shift that prevents overflow and the rules for inf and nan live in one place: ops/reduce.py.
    """
    _check_tensors("softmax", ("input",), input)
    return input.softmax(dim, dtype=dtype)


def log_softmax(input: Tensor, dim: int | None = None, dtype: Any = None) -> Tensor:
    """x - log(sum(e^x)) along `dim`, computed without overflow (see softmax)."""
    _check_tensors("log_softmax", ("input",), input)
    return input.log_softmax(dim, dtype=dtype)
