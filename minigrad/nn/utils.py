"""
minigrad.nn.utils: helpers around a model's gradients and parameters, as torch.nn.utils.

    loss.backward()
    nn.utils.clip_grad_norm_(model.parameters(), max_norm=1.0)   # before optimizer.step()
    optimizer.step()
"""

from __future__ import annotations

from collections.abc import Iterable

import minigrad
from minigrad import Tensor

__all__ = ["clip_grad_norm_", "clip_grad_value_", "parameters_to_vector", "vector_to_parameters"]


def _as_list(parameters: Tensor | Iterable[Tensor]) -> list[Tensor]:
    return [parameters] if isinstance(parameters, Tensor) else list(parameters)


def clip_grad_norm_(
    parameters: Tensor | Iterable[Tensor],
    max_norm: float,
    norm_type: float = 2.0,
    error_if_nonfinite: bool = False,
    foreach: bool | None = None,
) -> Tensor:
    """Scale all the gradients together, in place, so that their joint norm (the norm of each
    gradient's norm) is at most max_norm: each is multiplied by min(1, max_norm / (norm + 1e-6)).
    Returns the joint norm before clipping. (`foreach` is accepted and ignored.)"""
    grads = [p.grad for p in _as_list(parameters) if p.grad is not None]
    if not grads:
        return minigrad.tensor(0.0)
    with minigrad.no_grad():
        norms = [grad.norm(norm_type) for grad in grads]
        total = minigrad.stack(norms).norm(norm_type) if len(norms) > 1 else norms[0]
        if error_if_nonfinite and not bool(total.isfinite().item()):
            raise RuntimeError(
                f"The total norm of order {float(norm_type)} for gradients from `parameters` is non-finite, so it "
                "cannot be clipped. To disable this error and scale the gradients by the non-finite norm anyway, "
                "set `error_if_nonfinite=False`"
            )
        factor = (max_norm / (total + 1e-6)).clamp(max=1.0)
        for grad in grads:
            grad.mul_(factor)
    return total


def clip_grad_value_(parameters: Tensor | Iterable[Tensor], clip_value: float, foreach: bool | None = None) -> None:
    """Clamp every gradient, in place, to [-clip_value, clip_value]. (`foreach` is accepted and ignored.)"""
    with minigrad.no_grad():
        for p in _as_list(parameters):
            if p.grad is not None:
                p.grad.clamp_(-clip_value, clip_value)


def parameters_to_vector(parameters: Iterable[Tensor]) -> Tensor:
    """All the parameters, flattened and joined end to end, in one 1-d tensor."""
    return minigrad.cat([p.reshape(-1) for p in parameters])


def vector_to_parameters(vec: Tensor, parameters: Iterable[Tensor]) -> None:
    """The inverse: copy consecutive slices of `vec` into the parameters' data."""
    if not isinstance(vec, Tensor):
        raise TypeError(f"expected torch.Tensor, but got: {type(vec).__name__}")
    start = 0
    for p in parameters:
        count = p.numel()
        p.data = vec[start : start + count].view_as(p).data
        start += count
