"""
optimizer.explain(): the update rule each parameter just went through, with its numbers.

Call it right after `optimizer.step()` and before `zero_grad()`: it reads what the step left
behind (the parameter, its `.grad`, the optimizer's state) and works the step backwards to
the values it started from, then prints each line of the rule with those numbers:

    SGD, group 0 (lr=0.1, momentum=0.9, dampening=0.5, weight_decay=0.01, nesterov=False)
    parameter 0, shape (1,)
      g = p.grad                       = [-9.333]
      g = g + weight_decay·p           = [-9.333] + 0.01·[0.5] = [-9.328]
      b = μ·b + (1 − dampening)·g      = 0.9·[-8] + 0.5·[-9.328] = [-11.86]   (later step: dampening applied)
      p = p − lr·b                     = [0.5] − 0.1·[-11.86] = [1.686]

One function per optimizer (`explain_sgd`, `explain_adam`); others get their state listed.
"""

from __future__ import annotations

from typing import Any

import minigrad


def describe(optimizer: Any) -> str:
    """The text `optimizer.explain()` prints."""
    explain_group = _EXPLAINERS.get(type(optimizer).__name__, explain_other)
    blocks = []
    for index, group in enumerate(optimizer.param_groups):
        options = ", ".join(f"{key}={value}" for key, value in group.items() if key != "params")
        lines = [f"{type(optimizer).__name__}, group {index} ({options})"]
        for number, param in enumerate(group["params"]):
            lines.append(f"parameter {number}, shape {tuple(param.shape)}")
            if param.grad is None:
                lines.append("  no gradient: not updated (call explain() after step(), before zero_grad())")
                continue
            with minigrad.no_grad():
                rows = explain_group(optimizer, param, group)
            lines.extend(_align(rows))
        blocks.append("\n".join(lines))
    return "\n\n".join(blocks)


def explain_sgd(optimizer: Any, param: Any, group: dict) -> list[tuple[str, str]]:
    """SGD: undo the step to find p and the momentum buffer before it, then show each line."""
    lr, momentum, dampening = group["lr"], group["momentum"], group["dampening"]
    weight_decay, nesterov = group["weight_decay"], group["nesterov"]
    raw_grad = param.grad
    grad = -raw_grad if group["maximize"] else raw_grad
    buffer = optimizer.state.get(param, {}).get("momentum_buffer")

    # The step was p_new = p_old − lr·d. With weight decay, d contains weight_decay·p_old
    # too, so p_old = (p_new + lr·(d without that term)) / (1 − lr·weight_decay).
    if momentum != 0 and not nesterov:
        p_old = param + lr * buffer
    else:
        rest = grad + momentum * buffer if nesterov else grad
        p_old = (param + lr * rest) / (1 - lr * weight_decay)
    rows = [("g = p.grad", _fmt(raw_grad))]
    if group["maximize"]:
        rows.append(("g = −g  (maximize)", _fmt(grad)))
    if weight_decay != 0:
        decayed = grad + weight_decay * p_old
        rows.append(("g = g + weight_decay·p", f"{_fmt(grad)} + {weight_decay}·{_fmt(p_old)} = {_fmt(decayed)}"))
        grad = decayed
    step = grad
    if momentum != 0:
        first_step = bool(minigrad.allclose(buffer, grad))
        if first_step:
            rows.append(("b = g", f"{_fmt(buffer)}   (first step: the buffer starts at g, no dampening)"))
        else:
            b_old = (buffer - (1 - dampening) * grad) / momentum
            rows.append(
                (
                    "b = μ·b + (1 − dampening)·g",
                    f"{momentum}·{_fmt(b_old)} + {1 - dampening:g}·{_fmt(grad)} = {_fmt(buffer)}"
                    + ("   (later step: dampening applied)" if dampening != 0 else ""),
                )
            )
        if nesterov:
            step = grad + momentum * buffer
            rows.append(("g = g + μ·b  (nesterov)", f"{_fmt(grad)} + {momentum}·{_fmt(buffer)} = {_fmt(step)}"))
        else:
            step = buffer
    name = "g" if momentum == 0 or nesterov else "b"
    rows.append((f"p = p − lr·{name}", f"{_fmt(p_old)} − {lr}·{_fmt(step)} = {_fmt(param)}"))
    return rows


def explain_adam(optimizer: Any, param: Any, group: dict) -> list[tuple[str, str]]:
    """Adam and AdamW: moments, bias corrections, then the step, from the state the step left."""
    state = optimizer.state[param]
    lr, eps, weight_decay = group["lr"], group["eps"], group["weight_decay"]
    beta1, beta2 = group["betas"]
    decoupled = group.get("decoupled_weight_decay", False)
    t = int(state["step"].item())
    m, v = state["exp_avg"], state["exp_avg_sq"]
    grad = -param.grad if group["maximize"] else param.grad
    correction1, correction2 = 1 - beta1**t, 1 - beta2**t
    v_used = state["max_exp_avg_sq"] if group["amsgrad"] else v
    update = (m / correction1) / ((v_used / correction2).sqrt() + eps)
    p_old = param + lr * update  # undo p = p − lr·m_hat/(√v_hat + ε)
    if weight_decay != 0 and decoupled:
        p_old = p_old / (1 - lr * weight_decay)

    rows = [("g = p.grad" + ("  (negated: maximize)" if group["maximize"] else ""), _fmt(grad))]
    if weight_decay != 0 and not decoupled:
        grad = grad + weight_decay * p_old
        rows.append(("g = g + weight_decay·p", _fmt(grad)))
    m_old = (m - (1 - beta1) * grad) / beta1
    v_old = (v - (1 - beta2) * grad * grad) / beta2
    rows += [
        ("t = t + 1", str(t)),
        ("m = β1·m + (1 − β1)·g", f"{beta1}·{_fmt(m_old)} + {1 - beta1:g}·{_fmt(grad)} = {_fmt(m)}"),
        ("v = β2·v + (1 − β2)·g²", f"{beta2}·{_fmt(v_old)} + {1 - beta2:g}·{_fmt(grad * grad)} = {_fmt(v)}"),
        ("m_hat = m / (1 − β1^t)", f"{_fmt(m)} / {correction1:.4g} = {_fmt(m / correction1)}"),
        ("v_hat = v / (1 − β2^t)", f"{_fmt(v_used)} / {correction2:.4g} = {_fmt(v_used / correction2)}"),
    ]
    p_before_step = p_old
    if weight_decay != 0 and decoupled:
        p_before_step = p_old * (1 - lr * weight_decay)
        rows.append(
            ("p = p·(1 − lr·weight_decay)", f"{_fmt(p_old)}·{1 - lr * weight_decay:.6g} = {_fmt(p_before_step)}")
        )
    rows.append(("p = p − lr·m_hat/(√v_hat + ε)", f"{_fmt(p_before_step)} − {lr}·{_fmt(update)} = {_fmt(param)}"))
    return rows


def explain_other(optimizer: Any, param: Any, group: dict) -> list[tuple[str, str]]:
    """Optimizers without their own explainer: the gradient and the state, as numbers."""
    rows = [("g = p.grad", _fmt(param.grad)), ("p (after the step)", _fmt(param))]
    for key, value in optimizer.state.get(param, {}).items():
        rows.append((f"state[{key!r}]", _fmt(value) if isinstance(value, minigrad.Tensor) else repr(value)))
    return rows


_EXPLAINERS = {"SGD": explain_sgd, "Adam": explain_adam, "AdamW": explain_adam}


def _fmt(tensor: Any, max_items: int = 4) -> str:
    """A tensor's first few values, e.g. [0.5, -1.25, ...]."""
    values = tensor.detach().cpu().reshape(-1).tolist()
    shown = ", ".join(f"{value:.4g}" for value in values[:max_items])
    return f"[{shown}{', ...' if len(values) > max_items else ''}]"


def _align(rows: list[tuple[str, str]]) -> list[str]:
    width = max(len(rule) for rule, _ in rows)
    return [f"  {rule.ljust(width)}  = {numbers}" for rule, numbers in rows]
