"""
minigrad.nn.functional: losses and activations as plain functions, like torch.nn.functional.

Every function here is a composite of tensor ops, so none needs a backward of its own:
autograd differentiates the ops it is made of.
"""

import warnings
from typing import Any

from minigrad import Tensor

_REDUCTIONS = ("none", "mean", "sum")


def _check_tensors(function: str, **arguments: Any) -> None:
    """PyTorch's TypeError for a non-Tensor argument, instead of an AttributeError later on."""
    for position, (name, value) in enumerate(arguments.items(), start=1):
        if not isinstance(value, Tensor):
            raise TypeError(
                f"{function}(): argument '{name}' (position {position}) must be Tensor, not {type(value).__name__}"
            )


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
    if target.size() != input.size():
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
    _check_tensors("mse_loss", input=input, target=target)
    _warn_if_sizes_differ(input, target)
    if reduction not in _REDUCTIONS:
        raise ValueError(f"{reduction} is not a valid value for reduction")
    difference = input - target
    return _reduce(difference * difference, reduction)


def l1_loss(input: Tensor, target: Tensor, reduction: str = "mean") -> Tensor:
    """Mean absolute error: mean(|input - target|), or the sum, or every element.

    Args:
        input (Tensor): predictions
        target (Tensor): true values, the same shape as input
        reduction (str): 'none' | 'mean' | 'sum' (default: 'mean')
    """
    _check_tensors("l1_loss", input=input, target=target)
    _warn_if_sizes_differ(input, target)
    if reduction not in _REDUCTIONS:
        raise ValueError(f"{reduction} is not a valid value for reduction")
    return _reduce((input - target).abs(), reduction)


def linear(input: Tensor, weight: Tensor, bias: Tensor | None = None) -> Tensor:
    """y = x Wᵀ + b, with weight of shape (out_features, in_features)."""
    _check_tensors("linear", input=input, weight=weight)
    output = input.matmul(weight.T)  # (batch, in) @ (in, out) -> (batch, out)
    return output + bias if bias is not None else output


def relu(input: Tensor) -> Tensor:
    """max(0, x), elementwise."""
    _check_tensors("relu", input=input)
    return input.relu()


def sigmoid(input: Tensor) -> Tensor:
    """1 / (1 + e^-x), elementwise."""
    _check_tensors("sigmoid", input=input)
    return input.sigmoid()


def tanh(input: Tensor) -> Tensor:
    """(e^x - e^-x) / (e^x + e^-x), elementwise."""
    _check_tensors("tanh", input=input)
    return input.tanh()


def softmax(input: Tensor, dim: int, dtype: Any = None) -> Tensor:
    """e^x / sum(e^x) along `dim`; each slice along dim sums to 1.

    The tensor op is itself a composite (shift by the max, exp, divide by the sum), so the
    shift that prevents overflow and the rules for inf and nan live in one place: ops/reduce.py.
    """
    _check_tensors("softmax", input=input)
    return input.softmax(dim, dtype=dtype)


def log_softmax(input: Tensor, dim: int, dtype: Any = None) -> Tensor:
    """x - log(sum(e^x)) along `dim`, computed without overflow (see softmax)."""
    _check_tensors("log_softmax", input=input)
    return input.log_softmax(dim, dtype=dtype)
