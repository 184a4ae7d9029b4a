"""RMSprop: divide each step by a running root-mean-square of recent gradients."""

from typing import Any

import minigrad
from minigrad import Tensor
from minigrad.optim.optimizer import Optimizer, ParamsT, check_numbers


class RMSprop(Optimizer):
    r"""RMSprop (Hinton's lecture 6e), optionally centered and with momentum.

    For each parameter p with gradient g (negated when maximize):

        g = g + weight_decay · p
        v = α·v + (1 − α)·g²
        d = sqrt(v − ḡ²) + eps  with ḡ = α·ḡ + (1 − α)·g   if centered
        d = sqrt(v) + eps                                 otherwise
        b = μ·b + g/d;  p = p − lr·b                      if momentum μ > 0
        p = p − lr · g/d                                  otherwise

    Args:
        params: iterable of Tensors or dicts of parameter groups
        lr (float): learning rate (default: 1e-2)
        alpha (float): smoothing constant α (default: 0.99)
        eps (float): added to the denominator for stability (default: 1e-8)
        weight_decay (float): L2 penalty (default: 0)
        momentum (float): momentum factor μ (default: 0)
        centered (bool): normalise by the variance of g instead of its second moment (default: False)
        maximize (bool): climb the objective instead of descending it (default: False)

    Example:
        >>> optimizer = optim.RMSprop(model.parameters(), lr=1e-3)
    """

    def __init__(
        self,
        params: ParamsT,
        lr: float = 1e-2,
        alpha: float = 0.99,
        eps: float = 1e-8,
        weight_decay: float = 0,
        momentum: float = 0,
        centered: bool = False,
        capturable: bool = False,
        foreach: bool | None = None,
        maximize: bool = False,
        differentiable: bool = False,
    ) -> None:
        check_numbers(lr=lr, alpha=alpha, eps=eps, weight_decay=weight_decay, momentum=momentum)
        if not 0.0 <= lr:
            raise ValueError(f"Invalid learning rate: {lr}")
        if not 0.0 <= eps:
            raise ValueError(f"Invalid epsilon value: {eps}")
        if not 0.0 <= momentum:
            raise ValueError(f"Invalid momentum value: {momentum}")
        if not 0.0 <= weight_decay:
            raise ValueError(f"Invalid weight_decay value: {weight_decay}")
        if not 0.0 <= alpha:
            raise ValueError(f"Invalid alpha value: {alpha}")
        defaults = dict(
            lr=lr,
            momentum=momentum,
            alpha=alpha,
            eps=eps,
            centered=centered,
            weight_decay=weight_decay,
            # PyTorch's implementation switches, recorded for repr/state_dict; no effect here.
            capturable=capturable,
            foreach=foreach,
            maximize=maximize,
            differentiable=differentiable,
        )
        super().__init__(params, defaults)

    def update(self, param: Tensor, grad: Tensor, group: dict[str, Any]) -> None:
        alpha, momentum = group["alpha"], group["momentum"]
        state = self.state[param]
        if len(state) == 0:
            state["step"] = minigrad.tensor(0.0)
            state["square_avg"] = minigrad.zeros_like(param)
            if momentum > 0:
                state["momentum_buffer"] = minigrad.zeros_like(param)
            if group["centered"]:
                state["grad_avg"] = minigrad.zeros_like(param)

        if group["maximize"]:
            grad = -grad
        state["step"].add_(1)
        if group["weight_decay"] != 0:
            grad = grad + group["weight_decay"] * param

        square_avg = state["square_avg"]
        square_avg.mul_(alpha).addcmul_(grad, grad, value=1 - alpha)
        if group["centered"]:
            grad_avg = state["grad_avg"]
            grad_avg.mul_(alpha).add_(grad, alpha=1 - alpha)
            avg = (square_avg - grad_avg * grad_avg).sqrt()
        else:
            avg = square_avg.sqrt()
        avg = avg.add_(group["eps"])

        if momentum > 0:
            buffer = state["momentum_buffer"]
            buffer.mul_(momentum).addcdiv_(grad, avg)
            param.add_(buffer, alpha=-group["lr"])
        else:
            param.addcdiv_(grad, avg, value=-group["lr"])
