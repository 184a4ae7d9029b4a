"""
minigrad.autograd.functional: whole derivatives of a function, as torch.autograd.functional.

jacobian(f, x) is every partial derivative ∂f_i/∂x_j, found the way reverse mode finds them:
one backward pass per output element i, each giving row i (autograd.grad of f_i). hessian(f, x)
is the jacobian of the gradient, so it runs the same loop over a graph built with create_graph.
For a function of n outputs that is n backward passes: fine for learning, slow for big outputs.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import minigrad
from minigrad.tensor import Tensor


def jacobian(
    func: Callable[..., Any],
    inputs: Tensor | tuple[Tensor, ...],
    create_graph: bool = False,
    strict: bool = False,
    vectorize: bool = False,
    strategy: str = "reverse-mode",
) -> Any:
    """∂func(inputs)/∂inputs: for an output of shape S and an input of shape T, a tensor of shape
    S + T. With several inputs (a tuple), a tuple of those; with several outputs, a tuple per output.
    An input an output does not depend on gets zeros (with strict, an error instead).
    (`vectorize` and `strategy` are accepted for PyTorch's signature; the rows are always
    found one by one, in reverse mode.)"""
    if strategy != "reverse-mode":
        raise NotImplementedError("minigrad's jacobian computes in reverse mode only (strategy='reverse-mode')")
    inputs_are_tuple, prepared = _prepare_inputs(inputs, create_graph, "jacobian")
    with minigrad.enable_grad():
        outputs = func(*prepared)
    outputs_are_tuple = isinstance(outputs, tuple)
    outputs = outputs if outputs_are_tuple else (outputs,)
    for position, output in enumerate(outputs):
        if not isinstance(output, Tensor):
            raise TypeError(
                f"The outputs of the user-provided function given to jacobian must be either a Tensor or a tuple "
                f"of Tensors but the given outputs of the user-provided function has an element of invalid type "
                f"{type(output)} at index {position}."
            )
    blocks = tuple(
        tuple(_block(output, x, j, prepared, create_graph, strict) for j, x in enumerate(prepared))
        for output in outputs
    )
    return _unpack(blocks, outputs_are_tuple, inputs_are_tuple)


def hessian(
    func: Callable[..., Any],
    inputs: Tensor | tuple[Tensor, ...],
    create_graph: bool = False,
    strict: bool = False,
    vectorize: bool = False,
    outer_jacobian_strategy: str = "reverse-mode",
) -> Any:
    """∂²func/∂inputs² of a function with one output element: the jacobian of its gradient. For an
    input of shape T, a tensor of shape T + T; with several inputs, a tuple of tuples (block i, j
    is ∂²f/∂x_i∂x_j)."""
    inputs_are_tuple = isinstance(inputs, tuple)

    def gradient(*xs: Tensor) -> Any:
        return jacobian(_single_output(func), xs, create_graph=True, strict=strict)

    blocks = jacobian(gradient, inputs if inputs_are_tuple else (inputs,), create_graph=create_graph, strict=strict)
    return blocks if inputs_are_tuple else blocks[0][0]


def _prepare_inputs(inputs: Any, create_graph: bool, name: str) -> tuple[bool, tuple[Tensor, ...]]:
    """The inputs as a tuple of tensors that require grad: detached copies of the caller's, unless
    create_graph asks for a result that can itself be differentiated back to them."""
    inputs_are_tuple = isinstance(inputs, tuple)
    inputs = inputs if inputs_are_tuple else (inputs,)
    for position, x in enumerate(inputs):
        if not isinstance(x, Tensor):
            raise TypeError(
                f"The inputs given to {name} must be either a Tensor or a tuple of Tensors but the value at index "
                f"{position} has type {type(x)}."
            )
    prepared = tuple(x.view_as(x) if create_graph and x.requires_grad else x.detach().requires_grad_() for x in inputs)
    return inputs_are_tuple, prepared


def _block(output: Tensor, x: Tensor, j: int, inputs: tuple, create_graph: bool, strict: bool) -> Tensor:
    """∂output/∂x as a tensor of shape output.shape + x.shape: row i from one backward pass of output_i."""
    rows = []
    flat = output.reshape(-1)
    for i in range(flat.numel()):
        grad = None
        if flat.requires_grad:
            grad = minigrad.autograd.grad(flat[i], x, retain_graph=True, create_graph=create_graph, allow_unused=True)[
                0
            ]
        if grad is None:
            if strict:
                raise RuntimeError(
                    f"Output {i} of the user-provided function is independent of input {j}. This is not allowed in "
                    "strict mode."
                )
            grad = minigrad.zeros_like(x)
        rows.append(grad)
    if not rows:
        return minigrad.zeros(tuple(output.shape) + tuple(x.shape), dtype=x.dtype, device=x.device)
    block = minigrad.stack(rows).reshape(tuple(output.shape) + tuple(x.shape))
    return block if create_graph else block.detach()


def _unpack(blocks: tuple, outputs_are_tuple: bool, inputs_are_tuple: bool) -> Any:
    """PyTorch's nesting: a tuple per output only if func returned a tuple, per input only if given one."""
    per_output = [row if inputs_are_tuple else row[0] for row in blocks]
    return tuple(per_output) if outputs_are_tuple else per_output[0]


def _single_output(func: Callable[..., Any]) -> Callable[..., Tensor]:
    """func, checked to return one tensor of one element (hessian's condition)."""

    def checked(*xs: Tensor) -> Tensor:
        output = func(*xs)
        if isinstance(output, tuple) and len(output) == 1:
            output = output[0]
        if not isinstance(output, Tensor):
            raise RuntimeError("The function given to hessian should return a single Tensor")
        if output.numel() != 1:
            raise RuntimeError("The Tensor returned by the function given to hessian should contain a single element")
        return output.squeeze()

    return checked
