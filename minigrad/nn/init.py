"""
minigrad.nn.init: fill a parameter in place with starting values, as torch.nn.init.

Each function changes its tensor without recording a graph and returns it. Linear's
default (kaiming_uniform_ with a=sqrt(5), then a bias uniform in ±1/sqrt(fan_in)) is
PyTorch's, so a model here starts from the same distribution as there.
"""

import math

import minigrad
from minigrad import Tensor
from minigrad._warnings import warn_at_caller


def calculate_fan_in_and_fan_out(tensor: Tensor) -> tuple[int, int]:
    """(inputs, outputs) feeding each unit of a weight of shape (out, in, *kernel)."""
    if tensor.dim() < 2:
        raise ValueError("Fan in and fan out can not be computed for tensor with fewer than 2 dimensions")
    receptive_field_size = math.prod(tensor.shape[2:])
    fan_in = tensor.shape[1] * receptive_field_size
    fan_out = tensor.shape[0] * receptive_field_size
    return fan_in, fan_out


def calculate_gain(nonlinearity: str, param: float | None = None) -> float:
    """The factor that keeps activations' variance steady through `nonlinearity`."""
    if nonlinearity in ("linear", "sigmoid", "identity"):
        return 1.0
    if nonlinearity == "tanh":
        return 5.0 / 3
    if nonlinearity == "relu":
        return math.sqrt(2.0)
    if nonlinearity == "leaky_relu":
        negative_slope = 0.01 if param is None else param
        return math.sqrt(2.0 / (1 + negative_slope**2))
    raise ValueError(f"Unsupported nonlinearity {nonlinearity}")


def zeros_(tensor: Tensor) -> Tensor:
    """Fill with 0."""
    with minigrad.no_grad():
        tensor.zero_()
    return tensor


def ones_(tensor: Tensor) -> Tensor:
    """Fill with 1."""
    return constant_(tensor, 1.0)


def constant_(tensor: Tensor, val: float) -> Tensor:
    """Fill with `val`."""
    with minigrad.no_grad():
        tensor.fill_(val)
    return tensor


def uniform_(tensor: Tensor, a: float = 0.0, b: float = 1.0) -> Tensor:
    """Fill with draws from U(a, b)."""
    with minigrad.no_grad():
        return tensor.uniform_(a, b)


def normal_(tensor: Tensor, mean: float = 0.0, std: float = 1.0) -> Tensor:
    """Fill with draws from N(mean, std²)."""
    with minigrad.no_grad():
        return tensor.normal_(mean, std)


def xavier_normal_(tensor: Tensor, gain: float = 1.0) -> Tensor:
    """Glorot initialisation: N(0, std²) with std = gain·sqrt(2 / (fan_in + fan_out))."""
    fan_in, fan_out = calculate_fan_in_and_fan_out(tensor)
    return normal_(tensor, 0.0, gain * math.sqrt(2.0 / float(fan_in + fan_out)))


def xavier_uniform_(tensor: Tensor, gain: float = 1.0) -> Tensor:
    """Glorot initialisation: U(−bound, bound) with bound = gain·sqrt(6 / (fan_in + fan_out))."""
    fan_in, fan_out = calculate_fan_in_and_fan_out(tensor)
    std = gain * math.sqrt(2.0 / float(fan_in + fan_out))
    bound = math.sqrt(3.0) * std  # a uniform on ±bound has standard deviation bound/sqrt(3)
    return uniform_(tensor, -bound, bound)


def kaiming_uniform_(tensor: Tensor, a: float = 0, mode: str = "fan_in", nonlinearity: str = "leaky_relu") -> Tensor:
    """He initialisation: U(−bound, bound) with bound = gain·sqrt(3 / fan).

    Args:
        tensor (Tensor): the weight to fill, shape (out_features, in_features, ...)
        a (float): negative slope of the leaky_relu that follows (default: 0)
        mode (str): 'fan_in' keeps the forward pass's variance, 'fan_out' the backward's
        nonlinearity (str): the activation after this layer (default: 'leaky_relu')
    """
    if 0 in tensor.shape:  # nn.Linear(0, n): nothing to fill (fan_in is 0)
        warn_at_caller("Initializing zero-element tensors is a no-op")
        return tensor
    bound = math.sqrt(3.0) * _kaiming_std(tensor, a, mode, nonlinearity)  # a uniform on ±bound has std bound/sqrt(3)
    return uniform_(tensor, -bound, bound)


def kaiming_normal_(tensor: Tensor, a: float = 0, mode: str = "fan_in", nonlinearity: str = "leaky_relu") -> Tensor:
    """He initialisation: N(0, std²) with std = gain/sqrt(fan) (arguments as kaiming_uniform_)."""
    if 0 in tensor.shape:
        warn_at_caller("Initializing zero-element tensors is a no-op")
        return tensor
    return normal_(tensor, 0.0, _kaiming_std(tensor, a, mode, nonlinearity))


def _kaiming_std(tensor: Tensor, a: float, mode: str, nonlinearity: str) -> float:
    """gain/sqrt(fan): the standard deviation that keeps each layer's variance (He et al., 2015)."""
    if mode not in ("fan_in", "fan_out"):
        raise ValueError(f"Mode {mode} not supported, please use one of fan_in, fan_out")
    fan_in, fan_out = calculate_fan_in_and_fan_out(tensor)
    fan = fan_in if mode == "fan_in" else fan_out
    return calculate_gain(nonlinearity, a) / math.sqrt(fan)
