"""
minigrad.autograd.functional: whole derivatives of a function, as torch.autograd.functional.

vjp(f, x, v) is vᵀ·J, one backward pass; jvp(f, x, v) is J·v, by differentiating that backward
pass again (the double-backward trick); vhp and hvp do the same to the gradient.

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
    outputs_are_tuple, outputs = _as_tuple(outputs)
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
    inputs_are_tuple, inputs = _as_tuple(inputs)

    def gradient(*xs: Tensor) -> Any:
        return jacobian(_single_output(func), xs, create_graph=True, strict=strict)

    blocks = jacobian(gradient, inputs, create_graph=create_graph, strict=strict)
    return blocks if inputs_are_tuple else blocks[0][0]


def vjp(
    func: Callable[..., Any], inputs: Any, v: Any = None, create_graph: bool = False, strict: bool = False
) -> tuple:
    """(func(inputs), vᵀ·J): the vector-Jacobian product, one backward pass with v as the
    output's gradient (v may be left out for an output of one element)."""
    inputs_are_tuple, prepared = _prepare_inputs(inputs, create_graph, "vjp")
    with minigrad.enable_grad():
        outputs_are_tuple, outs = _as_tuple(func(*prepared))
    vs = _vectors(v, outs, "the user-provided function returns")
    products = _grads(outs, prepared, vs, create_graph, strict)
    values = _finished(outs, outs, create_graph)
    return (values if outputs_are_tuple else values[0]), (products if inputs_are_tuple else products[0])


def jvp(
    func: Callable[..., Any], inputs: Any, v: Any = None, create_graph: bool = False, strict: bool = False
) -> tuple:
    """(func(inputs), J·v): the Jacobian-vector product, by the double-backward trick: u ↦ uᵀ·J
    is linear in u, so differentiating it with respect to u, against v, gives J·v."""
    inputs_are_tuple, prepared = _prepare_inputs(inputs, create_graph, "jvp")
    vs = _vectors(v, prepared, "the input to the user-provided function is")
    with minigrad.enable_grad():
        outputs_are_tuple, outs = _as_tuple(func(*prepared))
        dummies = tuple(minigrad.zeros_like(out).requires_grad_() for out in outs)  # u, any value will do
        uj = _grads(outs, prepared, dummies, create_graph=True, strict=strict, zeros=False)
        pairs = [(g, w) for g, w in zip(uj, vs) if g is not None]
        products = minigrad.autograd.grad(
            [g for g, _ in pairs], dummies, [w for _, w in pairs], create_graph=create_graph, allow_unused=True
        )
    products, values = _finished(products, outs, create_graph), _finished(outs, outs, create_graph)
    return (values if outputs_are_tuple else values[0]), (products if outputs_are_tuple else products[0])


def vhp(
    func: Callable[..., Any], inputs: Any, v: Any = None, create_graph: bool = False, strict: bool = False
) -> tuple:
    """(func(inputs), vᵀ·H) for a function of one output element: the vjp of its gradient."""
    inputs_are_tuple, inputs = _as_tuple(inputs)
    values = []  # func's value, kept from the one call vjp makes

    def gradient(*xs: Tensor) -> Any:  # (zeros for an input the function does not use, as in PyTorch)
        output = _single_output(func, "vhp")(*xs)
        values.append(output if create_graph else output.detach())
        return _grads((output,), xs, (minigrad.ones_like(output),), create_graph=True, strict=strict)

    _, product = vjp(
        gradient,
        inputs,
        v if inputs_are_tuple or v is None else (v,),
        create_graph,
        strict,
    )
    return values[0], product if inputs_are_tuple else product[0]


def hvp(
    func: Callable[..., Any], inputs: Any, v: Any = None, create_graph: bool = False, strict: bool = False
) -> tuple:
    """(func(inputs), H·v): the Hessian is symmetric, so this is vhp's vector (PyTorch computes it
    by another route, to the same numbers up to rounding)."""
    return vhp(func, inputs, v, create_graph, strict)


def _vectors(v: Any, like: tuple, what: str) -> tuple:
    """v as a tuple matching `like` in shape; v may be None only for one tensor of one element."""
    if v is None:
        if len(like) != 1 or like[0].numel() != 1:
            raise RuntimeError(f"The vector v can only be None if {what} a single Tensor with a single element.")
        return (minigrad.ones_like(like[0]),)
    vs = v if isinstance(v, tuple) else (v,)
    for vector, target in zip(vs, like):
        if vector.shape != target.shape:
            raise RuntimeError(f"v has invalid size: should be {target.shape} but got {vector.shape}.")
    return vs


def _grads(
    outputs: tuple, inputs: tuple, vectors: tuple, create_graph: bool, strict: bool, zeros: bool = True
) -> tuple:
    """Σ_k vector_kᵀ·∂output_k/∂input for each input (zeros, or None, where there is no path)."""
    differentiable = [(out, vector) for out, vector in zip(outputs, vectors) if out.requires_grad]
    grads = (None,) * len(inputs)
    if differentiable:
        grads = minigrad.autograd.grad(
            [out for out, _ in differentiable], inputs, [vector for _, vector in differentiable],
            create_graph=create_graph, allow_unused=True,
        )  # fmt: skip
    if strict and any(g is None for g in grads):
        raise RuntimeError(
            "The output of the user-provided function is independent of an input. This is not allowed in strict mode."
        )
    return grads if not zeros else _finished(grads, inputs, create_graph)


def _as_tuple(value: Any) -> tuple[bool, tuple]:
    """Whether `value` is a tuple, and it as one."""
    return isinstance(value, tuple), value if isinstance(value, tuple) else (value,)


def _finished(tensors: tuple, like: tuple, create_graph: bool) -> tuple:
    """Results for the caller: zeros (of `like`'s shapes) for None, cut from the graph unless
    create_graph asked to differentiate them again."""
    return tuple(
        minigrad.zeros_like(x) if t is None else (t if create_graph else t.detach()) for t, x in zip(tensors, like)
    )


def _prepare_inputs(inputs: Any, create_graph: bool, name: str) -> tuple[bool, tuple[Tensor, ...]]:
    """The inputs as a tuple of tensors that require grad: detached copies of the caller's, unless
    create_graph asks for a result that can itself be differentiated back to them."""
    inputs_are_tuple, inputs = _as_tuple(inputs)
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


def _single_output(func: Callable[..., Any], name: str = "hessian") -> Callable[..., Tensor]:
    """func, checked to return one tensor of one element (hessian's and vhp's condition)."""

    def checked(*xs: Tensor) -> Tensor:
        output = func(*xs)
        if isinstance(output, tuple) and len(output) == 1:
            output = output[0]
        if not isinstance(output, Tensor):
            raise RuntimeError(f"The function given to {name} should return a single Tensor")
        if output.numel() != 1:
            raise RuntimeError(f"The Tensor returned by the function given to {name} should contain a single element")
        return output.squeeze()

    return checked
