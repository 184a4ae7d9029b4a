"""Stochastic gradient descent, with PyTorch's momentum, dampening, Nesterov and weight decay."""

from typing import Any

from minigrad import Tensor
from minigrad.optim.optimizer import Optimizer, ParamsT, check_numbers


class SGD(Optimizer):
    r"""Stochastic gradient descent, optionally with momentum.

    For each parameter p with gradient g (negated when maximize):

        g = g + weight_decay · p                        if weight_decay ≠ 0
        b = g  (first step);  b = μ·b + (1 − dampening)·g  (later steps)
        g = g + μ·b  if nesterov,  else  g = b           if momentum μ ≠ 0
        p = p − lr · g

    Args:
        params: iterable of Tensors or dicts of parameter groups
        lr (float): learning rate (default: 1e-3)
        momentum (float): momentum factor μ (default: 0)
        dampening (float): dampening for momentum (default: 0)
        weight_decay (float): L2 penalty (default: 0)
        nesterov (bool): use Nesterov momentum (default: False)
        maximize (bool): climb the objective instead of descending it (default: False)

    Example:
        >>> optimizer = optim.SGD(model.parameters(), lr=0.1, momentum=0.9)
        >>> optimizer.zero_grad()
        >>> loss_fn(model(input), target).backward()
        >>> optimizer.step()
    """

    def __init__(
        self,
        params: ParamsT,
        lr: float = 1e-3,
        momentum: float = 0,
        dampening: float = 0,
        weight_decay: float = 0,
        nesterov: bool = False,
        *,
        maximize: bool = False,
        foreach: bool | None = None,
        differentiable: bool = False,
        fused: bool | None = None,
    ) -> None:
        check_numbers(lr=lr, momentum=momentum, dampening=dampening, weight_decay=weight_decay)
        if lr < 0.0:
            raise ValueError(f"Invalid learning rate: {lr}")
        if momentum < 0.0:
            raise ValueError(f"Invalid momentum value: {momentum}")
        if weight_decay < 0.0:
            raise ValueError(f"Invalid weight_decay value: {weight_decay}")
        if nesterov and (momentum <= 0 or dampening != 0):
            raise ValueError("Nesterov momentum requires a momentum and zero dampening")
        defaults = dict(
            lr=lr,
            momentum=momentum,
            dampening=dampening,
            weight_decay=weight_decay,
            nesterov=nesterov,
            maximize=maximize,
            # PyTorch's implementation switches: recorded so that repr and state_dict read
            # as PyTorch's do; minigrad has one implementation, so they change nothing.
            foreach=foreach,
            differentiable=differentiable,
            fused=fused,
        )
        super().__init__(params, defaults)

    def update(self, param: Tensor, grad: Tensor, group: dict[str, Any]) -> None:
        momentum = group["momentum"]
        if group["maximize"]:
            grad = -grad
        if group["weight_decay"] != 0:
            grad = grad + group["weight_decay"] * param
        if momentum != 0:
            state = self.state[param]
            if "momentum_buffer" not in state:
                # PyTorch starts the buffer at the first gradient, not at zero, so the
                # first step is plain SGD; matching that keeps lecture numbers identical.
                state["momentum_buffer"] = grad.detach().clone()
            else:
                buffer = state["momentum_buffer"]
                buffer.mul_(momentum).add_(grad, alpha=1 - group["dampening"])
            buffer = state["momentum_buffer"]
            grad = grad + momentum * buffer if group["nesterov"] else buffer
        param.add_(grad, alpha=-group["lr"])
