"""Adagrad: each coordinate's step shrinks with the sum of its past squared gradients."""

from typing import Any

import minigrad
from minigrad import Tensor
from minigrad.optim.optimizer import Optimizer, ParamsT, check_numbers


class Adagrad(Optimizer):
    r"""Adagrad (Duchi et al., 2011).

    For each parameter p with gradient g at step t (g negated when maximize):

        g = g + weight_decay · p
        s = s + g²                         s starts at initial_accumulator_value
        p = p − lr/(1 + (t − 1)·lr_decay) · g / (sqrt(s) + eps)

    Args:
        params: iterable of Tensors or dicts of parameter groups
        lr (float): learning rate (default: 1e-2)
        lr_decay (float): learning rate decay (default: 0)
        weight_decay (float): L2 penalty (default: 0)
        initial_accumulator_value (float): starting value of s (default: 0)
        eps (float): added to the denominator for stability (default: 1e-10)
        maximize (bool): climb the objective instead of descending it (default: False)

    Example:
        >>> optimizer = optim.Adagrad(model.parameters(), lr=1e-2)
    """

    def __init__(
        self,
        params: ParamsT,
        lr: float = 1e-2,
        lr_decay: float = 0,
        weight_decay: float = 0,
        initial_accumulator_value: float = 0,
        eps: float = 1e-10,
        foreach: bool | None = None,
        *,
        maximize: bool = False,
        differentiable: bool = False,
        fused: bool | None = None,
    ) -> None:
        check_numbers(
            lr=lr,
            lr_decay=lr_decay,
            weight_decay=weight_decay,
            initial_accumulator_value=initial_accumulator_value,
            eps=eps,
        )
        if not 0.0 <= lr:
            raise ValueError(f"Invalid learning rate: {lr}")
        if not 0.0 <= lr_decay:
            raise ValueError(f"Invalid lr_decay value: {lr_decay}")
        if not 0.0 <= weight_decay:
            raise ValueError(f"Invalid weight_decay value: {weight_decay}")
        if not 0.0 <= initial_accumulator_value:
            raise ValueError(f"Invalid initial_accumulator_value value: {initial_accumulator_value}")
        if not 0.0 <= eps:
            raise ValueError(f"Invalid epsilon value: {eps}")
        defaults = dict(
            lr=lr,
            lr_decay=lr_decay,
            eps=eps,
            weight_decay=weight_decay,
            initial_accumulator_value=initial_accumulator_value,
            # PyTorch's implementation switches, recorded for repr/state_dict; no effect here.
            foreach=foreach,
            maximize=maximize,
            differentiable=differentiable,
            fused=fused,
        )
        super().__init__(params, defaults)
        # Unlike the other optimizers, PyTorch's Adagrad creates its state up front.
        for group in self.param_groups:
            for param in group["params"]:
                state = self.state[param]
                state["step"] = minigrad.tensor(0.0)
                state["sum"] = minigrad.full_like(param, initial_accumulator_value)

    def update(self, param: Tensor, grad: Tensor, group: dict[str, Any]) -> None:
        state = self.state[param]
        state["step"].add_(1)
        step = state["step"].item()
        if group["maximize"]:
            grad = -grad
        if group["weight_decay"] != 0:
            grad = grad + group["weight_decay"] * param
        decayed_lr = group["lr"] / (1 + (step - 1) * group["lr_decay"])
        state["sum"].addcmul_(grad, grad, value=1)
        std = state["sum"].sqrt().add_(group["eps"])
        param.addcdiv_(grad, std, value=-decayed_lr)
