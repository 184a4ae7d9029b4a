"""
minigrad.autograd: record ops as a graph (`Function`), walk it backward (`backward`, `grad`).

Start reading at function.py (how a node is recorded), then engine.py (how backward walks).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from minigrad.autograd import engine, inplace
from minigrad.autograd.anomaly import detect_anomaly, is_anomaly_enabled, set_detect_anomaly
from minigrad.autograd.function import AccumulateGrad, Function, Node
from minigrad.autograd.grad_mode import (
    enable_grad,
    inference_mode,
    is_grad_enabled,
    no_grad,
    set_grad_enabled,
)
from minigrad.autograd.trace import trace

__all__ = [
    "AccumulateGrad",
    "Function",
    "GradcheckError",
    "Node",
    "backward",
    "detect_anomaly",
    "enable_grad",
    "grad",
    "gradcheck",
    "gradgradcheck",
    "inference_mode",
    "is_anomaly_enabled",
    "is_grad_enabled",
    "no_grad",
    "set_detect_anomaly",
    "set_grad_enabled",
    "trace",
]


def _as_tuple(x: Any) -> tuple:
    if x is None:
        return (None,)
    return tuple(x) if isinstance(x, (list, tuple)) else (x,)


def _type_name(value: Any) -> str:
    """How PyTorch names a Python value's type in messages: `int`, `numpy.str_`."""
    kind = type(value)
    return kind.__name__ if kind.__module__ == "builtins" else f"{kind.__module__.split('.')[0]}.{kind.__name__}"


def _check_gradient(grad: Any) -> None:
    from minigrad.tensor import Tensor

    if grad is not None and not isinstance(grad, Tensor):
        raise TypeError(f"gradients can be either Tensors or None, but got {_type_name(grad)}")


def _make_roots(outputs: tuple, grad_outputs: tuple) -> list:
    """Pair each output's gradient edge with its starting gradient (ones for a scalar)."""
    from minigrad.tensor import Tensor

    if len(grad_outputs) != len(outputs):
        for grad in grad_outputs:  # PyTorch names a gradient of the wrong kind before the wrong count
            _check_gradient(grad)
        raise RuntimeError(f"grad requires one gradient per output: got {len(grad_outputs)} for {len(outputs)} outputs")
    roots = []
    for i, (output, grad) in enumerate(zip(outputs, grad_outputs)):
        if not isinstance(output, Tensor):
            raise TypeError(f"outputs must be Tensors, got {type(output).__name__}")
        inplace.refresh_view(output)  # a view whose base was changed in place since: its current history
        if not output.requires_grad:
            raise RuntimeError(f"element {i} of tensors does not require grad and does not have a grad_fn")
        if grad is None:
            if output._array.size != 1:
                raise RuntimeError("grad can be implicitly created only for scalar outputs")
            if not output.dtype.is_floating_point:
                raise RuntimeError(
                    f"grad can be implicitly created only for real scalar outputs but got {output.dtype}"
                )
            device, array, xp = output._device, output._array, output._device.xp  # the root gradient: ones
            if array.ndim == 0:  # a loss: asarray is several times cheaper than ones()
                ones = xp.asarray(1, dtype=array.dtype, **device.on_device)
            else:
                ones = xp.ones(array.shape, dtype=array.dtype, **device.on_device)
            grad = Tensor._make(ones, device)
        else:
            _check_gradient(grad)
            if grad.shape != output.shape:
                raise RuntimeError(
                    f"Mismatch in shape: grad_output[{i}] has a shape of {grad.shape} and output[{i}] "
                    f"has a shape of {output.shape}."
                )
        edge = output._gradient_edge()
        if edge is None:  # a view made under no_grad: it requires grad, but leads nowhere (PyTorch's words)
            raise RuntimeError(f"element {i} of tensors does not require grad and does not have a grad_fn")
        roots.append((edge, grad))
    return roots


def _input_edges(inputs: tuple) -> list:
    """The gradient edges of autograd.grad's (or backward's) inputs. A view made under no_grad has
    none; a node of its own, which nothing reaches, makes it an input the graph did not use."""
    for tensor in inputs:
        inplace.refresh_view(tensor)  # its current history, as for the outputs
    return [t._gradient_edge() or (AccumulateGrad(t), 0) for t in inputs]


def backward(
    tensors: Any,
    grad_tensors: Any = None,
    retain_graph: bool | None = None,
    create_graph: bool = False,
    inputs: Any = None,
) -> None:
    """Accumulate d(tensors)/d(leaf) into the `.grad` of every leaf that requires grad."""
    outputs = _as_tuple(tensors)
    grads = _as_tuple(grad_tensors) if grad_tensors is not None else (None,) * len(outputs)
    if retain_graph is None:
        retain_graph = create_graph
    if inputs is not None:
        from minigrad.tensor import Tensor

        inputs = _as_tuple(inputs)
        for tensor in inputs:
            if not isinstance(tensor, Tensor):
                raise RuntimeError(f"all inputs have to be Tensors or GradientEdges, but got {_type_name(tensor)}")
        results = engine.run_backward(_make_roots(outputs, grads), retain_graph, create_graph, _input_edges(inputs))
        for tensor, grad in zip(inputs, results):
            if grad is not None and tensor.is_leaf:
                tensor._gradient_edge()[0].accumulate(grad, create_graph)
        return
    engine.run_backward(_make_roots(outputs, grads), retain_graph, create_graph)


def grad(
    outputs: Any,
    inputs: Any,
    grad_outputs: Any = None,
    retain_graph: bool | None = None,
    create_graph: bool = False,
    allow_unused: bool | None = None,
    materialize_grads: bool = False,
) -> tuple:
    """The gradients of `outputs` with respect to `inputs`, returned instead of stored in `.grad`.

    Example:
        >>> x = minigrad.tensor(3.0, requires_grad=True)
        >>> (dy_dx,) = minigrad.autograd.grad(x ** 2, x, create_graph=True)   # 6
        >>> minigrad.autograd.grad(dy_dx, x)                                    # (2,)
    """
    outputs = _as_tuple(outputs)
    inputs = _as_tuple(inputs)
    grads = _as_tuple(grad_outputs) if grad_outputs is not None else (None,) * len(outputs)
    if retain_graph is None:
        retain_graph = create_graph
    for tensor in inputs:
        if not tensor.requires_grad:
            raise RuntimeError("One of the differentiated Tensors does not require grad")
    results = engine.run_backward(_make_roots(outputs, grads), retain_graph, create_graph, _input_edges(inputs))
    for i, (tensor, result) in enumerate(zip(inputs, results)):
        if result is None:
            if materialize_grads:
                results[i] = tensor.new_zeros(tensor.shape)
            elif not allow_unused:
                raise RuntimeError(
                    f"The differentiated Tensor at index {i} appears to not have been used in the graph. "
                    "Set allow_unused=True if this is the desired behavior."
                )
    return tuple(results)


# gradcheck lives with the other testing tools; it is re-exported here as in torch.autograd.
from minigrad.testing.gradcheck import GradcheckError, gradcheck, gradgradcheck  # noqa: E402, F401
