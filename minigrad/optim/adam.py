"""Adam and AdamW: per-parameter step sizes from running averages of g and g²."""

from typing import Any

import minigrad
from minigrad import Tensor
from minigrad.optim.optimizer import Optimizer, ParamsT, check_numbers


class Adam(Optimizer):
    r"""Adam (Kingma & Ba, 2014), with optional AMSGrad.

    For each parameter p with gradient g at step t (g negated when maximize):

        g = g + weight_decay · p          (AdamW instead shrinks p: p = p·(1 − lr·weight_decay))
        m = β1·m + (1 − β1)·g             running mean of gradients
        v = β2·v + (1 − β2)·g²            running mean of squared gradients
        v̂ = max(v̂, v) if amsgrad else v
        p = p − lr/(1 − β1^t) · m / (sqrt(v̂)/sqrt(1 − β2^t) + eps)

    Args:
        params: iterable of Tensors or dicts of parameter groups
        lr (float): learning rate (default: 1e-3)
        betas (tuple[float, float]): β1, β2 (default: (0.9, 0.999))
        eps (float): added to the denominator for stability (default: 1e-8)
        weight_decay (float): L2 penalty (default: 0)
        amsgrad (bool): use the running maximum of v (default: False)
        maximize (bool): climb the objective instead of descending it (default: False)

    Example:
        >>> optimizer = optim.Adam(model.parameters(), lr=1e-3)
    """

    def __init__(
        self,
        params: ParamsT,
        lr: float = 1e-3,
        betas: tuple[float, float] = (0.9, 0.999),
        eps: float = 1e-8,
        weight_decay: float = 0,
        amsgrad: bool = False,
        *,
        foreach: bool | None = None,
        maximize: bool = False,
        capturable: bool = False,
        differentiable: bool = False,
        fused: bool | None = None,
        decoupled_weight_decay: bool = False,
    ) -> None:
        check_numbers(lr=lr, betas=tuple(betas), eps=eps, weight_decay=weight_decay)
        if not 0.0 <= lr:
            raise ValueError(f"Invalid learning rate: {lr}")
        if not 0.0 <= eps:
            raise ValueError(f"Invalid epsilon value: {eps}")
        if not 0.0 <= betas[0] < 1.0:
            raise ValueError(f"Invalid beta parameter at index 0: {betas[0]}")
        if not 0.0 <= betas[1] < 1.0:
            raise ValueError(f"Invalid beta parameter at index 1: {betas[1]}")
        if not 0.0 <= weight_decay:
            raise ValueError(f"Invalid weight_decay value: {weight_decay}")
        defaults = dict(
            lr=lr,
            betas=betas,
            eps=eps,
            weight_decay=weight_decay,
            amsgrad=amsgrad,
            maximize=maximize,
            # PyTorch's implementation switches, recorded for repr/state_dict; no effect here.
            foreach=foreach,
            capturable=capturable,
            differentiable=differentiable,
            fused=fused,
            decoupled_weight_decay=decoupled_weight_decay,
        )
        super().__init__(params, defaults)

    def update(self, param: Tensor, grad: Tensor, group: dict[str, Any]) -> None:
        beta1, beta2 = group["betas"]
        lr, weight_decay = group["lr"], group["weight_decay"]
        state = self.state[param]
        if len(state) == 0:
            state["step"] = minigrad.tensor(0.0)
            state["exp_avg"] = minigrad.zeros_like(param)
            state["exp_avg_sq"] = minigrad.zeros_like(param)
            if group["amsgrad"]:
                state["max_exp_avg_sq"] = minigrad.zeros_like(param)
        exp_avg, exp_avg_sq = state["exp_avg"], state["exp_avg_sq"]

        if group["maximize"]:
            grad = -grad
        state["step"].add_(1)
        step = state["step"].item()
        if weight_decay != 0:
            if group["decoupled_weight_decay"]:
                param.mul_(1 - lr * weight_decay)
            else:
                grad = grad + weight_decay * param

        exp_avg.mul_(beta1).add_(grad, alpha=1 - beta1)
        exp_avg_sq.mul_(beta2).addcmul_(grad, grad, value=1 - beta2)
        bias_correction1 = 1 - beta1**step
        bias_correction2_sqrt = (1 - beta2**step) ** 0.5
        if group["amsgrad"]:
            max_exp_avg_sq = state["max_exp_avg_sq"]
            max_exp_avg_sq.copy_(minigrad.maximum(max_exp_avg_sq, exp_avg_sq))
            denom = (max_exp_avg_sq.sqrt() / bias_correction2_sqrt).add_(group["eps"])
        else:
            denom = (exp_avg_sq.sqrt() / bias_correction2_sqrt).add_(group["eps"])
        param.addcdiv_(exp_avg, denom, value=-lr / bias_correction1)


class AdamW(Adam):
    r"""Adam with decoupled weight decay (Loshchilov & Hutter, 2017).

    The same update as Adam, except that weight decay shrinks the parameter directly,
    p = p·(1 − lr·weight_decay), instead of being added to the gradient.

    Args:
        params: iterable of Tensors or dicts of parameter groups
        lr (float): learning rate (default: 1e-3)
        betas (tuple[float, float]): β1, β2 (default: (0.9, 0.999))
        eps (float): added to the denominator for stability (default: 1e-8)
        weight_decay (float): decoupled weight decay (default: 1e-2)
        amsgrad (bool): use the running maximum of v (default: False)
        maximize (bool): climb the objective instead of descending it (default: False)

    Example:
        >>> optimizer = optim.AdamW(model.parameters(), lr=1e-3, weight_decay=1e-2)
    """

    def __init__(
        self,
        params: ParamsT,
        lr: float = 1e-3,
        betas: tuple[float, float] = (0.9, 0.999),
        eps: float = 1e-8,
        weight_decay: float = 1e-2,
        amsgrad: bool = False,
        *,
        maximize: bool = False,
        foreach: bool | None = None,
        capturable: bool = False,
        differentiable: bool = False,
        fused: bool | None = None,
    ) -> None:
        super().__init__(
            params,
            lr,
            betas,
            eps,
            weight_decay,
            amsgrad,
            foreach=foreach,
            maximize=maximize,
            capturable=capturable,
            differentiable=differentiable,
            fused=fused,
            decoupled_weight_decay=True,
        )
