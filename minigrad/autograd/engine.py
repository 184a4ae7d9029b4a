"""
The backward engine: walks the graph from the output back to the leaves, once, in order.

    1. start at the roots; run the newest node that a gradient has reached (a heap keeps them
       in order). A node's inputs were made before it, so every node that sends it a gradient
       is newer and has run already: its gradient is complete. This is PyTorch's order;
    2. a node's backward gives one gradient per input; the engine sums it back to the input's
       shape where the forward broadcast (`sum_to`, the one place this happens), casts it to
       the input's dtype, and adds it to what is pending for the input's node, which then
       joins the heap if it was not there already;
    3. AccumulateGrad nodes add what reaches them into `leaf.grad`;
    4. without `retain_graph`, each node's saved tensors are released once it has run.

The walk is a loop, not recursion: a 100,000-op chain is fine.
"""

from __future__ import annotations

import heapq
from collections.abc import Sequence
from typing import Any

from minigrad.autograd import grad_mode
from minigrad.autograd.function import _FREED, AccumulateGrad, Node, _nobody_else_holds

observers: list = []  # trace() and anomaly mode watch each step through this list


def run_backward(
    roots: Sequence[tuple[Any, Any]],
    retain_graph: bool,
    create_graph: bool,
    capture: Sequence[tuple[Node, int]] | None = None,
) -> list | None:
    """Propagate gradients from `roots`, pairs of (gradient edge, gradient Tensor).

    With `capture` (the edges of autograd.grad's inputs) the gradients reaching those edges are
    returned instead of being accumulated into `.grad`.
    """
    pending: dict[Node, list] = {}  # node -> the gradient summed so far for each of its outputs
    ready: list = []  # (-sequence number, node) of every node with a pending gradient: newest first
    for (node, nr), grad in roots:
        _add_pending(pending, ready, node, nr, grad)

    wanted = None
    captured = None
    accumulate = capture is None  # autograd.grad returns the gradients instead of filling .grad
    if capture is not None:
        wanted = _nodes_leading_to({node for node, _ in capture}, set(pending))
        captured = [None] * len(capture)

    state = grad_mode._state  # backward records a graph only with create_graph
    grad_mode_before, state.enabled = state.enabled, create_graph
    in_backward_before, state.in_backward = state.in_backward, True
    try:
        while ready:
            node = heapq.heappop(ready)[1]
            grad_outputs = pending.pop(node)
            if wanted is not None and node not in wanted:
                continue  # autograd.grad's inputs cannot be reached from here
            if node._has_tensor_hooks:
                grad_outputs = _run_hooks(node, grad_outputs)  # hooks see (and may replace) it first
            if captured is not None:
                _capture(node, grad_outputs, capture, captured)
            grad_inputs = _run_node(node, grad_outputs, create_graph, accumulate)
            if not retain_graph and node._saved:
                node._saved = _FREED  # release the saved tensors: this node will not run again
            # the chain rule's last step: each input's node gets its share of the gradient
            for edge, grad, meta in zip(node._edges, grad_inputs, node._input_meta):
                if edge is None or grad is None:
                    continue
                if type(grad) is not Tensor or (grad._array.shape, grad._array.dtype) != meta:
                    grad = _fit_to_input(grad, meta)  # sum a broadcast back, or cast
                _add_pending(pending, ready, edge[0], edge[1], grad)
            # let go of this node's gradients: a leaf that gets one of them may then keep its
            # buffer without a copy (AccumulateGrad asks whether anyone else still holds it)
            grad_inputs = grad = None
    finally:
        state.enabled, state.in_backward = grad_mode_before, in_backward_before
    return captured


def _add_pending(pending: dict, ready: list, node: Node, nr: int, grad: Any) -> None:
    """Add a gradient to what is pending for one of the node's outputs."""
    grads = pending.get(node)
    if grads is None:  # the first gradient to reach the node: it will run, in its turn
        pending[node] = (
            [grad] if node._num_outputs == 1 else [grad if i == nr else None for i in range(node._num_outputs)]
        )
        heapq.heappush(ready, (-node._sequence_nr, node))
        return
    earlier = grads[nr]
    if earlier is None:
        grads[nr] = grad
    elif not grad_mode._state.enabled and _nobody_else_holds(earlier):
        earlier._array += grad._array  # a buffer only the engine holds can take the sum in place
    else:
        grads[nr] = earlier + grad


def _reachable(roots: set[Node]) -> set[Node]:
    """Every node reachable from the roots (an iterative depth-first walk)."""
    seen = set(roots)
    stack = list(roots)
    while stack:
        for edge in stack.pop()._edges:
            if edge is not None and edge[0] not in seen:
                seen.add(edge[0])
                stack.append(edge[0])
    return seen


def _nodes_leading_to(targets: set[Node], roots: set[Node]) -> set[Node]:
    """The nodes from which some target can be reached: the only ones autograd.grad must run."""
    parents: dict[Node, list[Node]] = {}
    for node in _reachable(roots):
        for edge in node._edges:
            if edge is not None:
                parents.setdefault(edge[0], []).append(node)
    wanted = set()
    stack = list(targets)
    while stack:
        node = stack.pop()
        if node in wanted:
            continue
        wanted.add(node)
        stack.extend(parents.get(node, ()))
    return wanted


def _capture(node: Node, grad_outputs: list, capture: Sequence, captured: list) -> None:
    for k, (target, nr) in enumerate(capture):
        if target is node and grad_outputs[nr] is not None:
            grad = grad_outputs[nr]
            captured[k] = grad if captured[k] is None else captured[k] + grad


def _run_node(node: Node, grad_outputs: list, create_graph: bool, accumulate: bool) -> tuple:
    """The node's backward; returns one gradient per forward argument."""
    if type(node) is AccumulateGrad:
        if accumulate:
            node.accumulate(grad_outputs[0], create_graph)
        for observer in observers:  # trace() shows the leaves' steps too
            observer(node, grad_outputs, ())
        return ()
    if node._num_outputs > 1 and any(grad is None for grad in grad_outputs):  # one output: never None
        grad_outputs = _materialize(node, grad_outputs)
    grad_inputs = node._forward_cls.backward(node, *grad_outputs)
    if type(grad_inputs) is not tuple:
        grad_inputs = (grad_inputs,)
    if len(grad_inputs) < len(node._edges):
        raise RuntimeError(
            f"function {node.name()} returned an incorrect number of gradients "
            f"(expected {len(node._edges)}, got {len(grad_inputs)})"
        )
    if node._post_hooks:
        for hook in node._post_hooks:
            hook(grad_inputs, tuple(grad_outputs))
    if observers:
        for observer in observers:
            observer(node, grad_outputs, grad_inputs)
    return grad_inputs


def _run_hooks(node: Node, grad_outputs: list) -> list:
    """The register_hook hooks of the tensors this node's gradients belong to (leaf or not)."""
    if type(node) is AccumulateGrad:
        return [node.run_hooks(grad_outputs[0])] if node.variable._hooks else grad_outputs
    return _run_tensor_hooks(node, grad_outputs)


def _run_tensor_hooks(node: Node, grad_outputs: list) -> list:
    grad_outputs = list(grad_outputs)
    for nr, grad in enumerate(grad_outputs):
        for hook in (node._hooks or {}).get(nr, ()):
            replaced = hook(grad)
            if replaced is not None:
                grad = replaced
        grad_outputs[nr] = grad
        retained = (node._retained or {}).get(nr)
        tensor = retained() if retained is not None else None
        if tensor is not None and grad is not None:  # retain_grad() runs after the other hooks
            tensor.grad = grad.detach().clone() if tensor.grad is None else tensor.grad + grad.detach()
    return grad_outputs


def _materialize(node: Node, grad_outputs: list) -> list:
    """Outputs that no gradient reached count as zeros (PyTorch's materialize_grads)."""
    if getattr(node, "_materialize_grads", True) is False:
        return grad_outputs
    from minigrad.creation import zeros

    shapes = getattr(node, "_output_meta", None)
    result = []
    for nr, grad in enumerate(grad_outputs):
        if grad is None and shapes is not None:
            shape, dtype, device = shapes[nr]
            grad = zeros(shape, dtype=dtype, device=device)
        result.append(grad)
    return result


def _fit_to_input(grad: Any, meta: tuple) -> Any:
    """Sum a gradient back to its input's shape (undoing broadcasting) and cast it to its dtype."""
    if not isinstance(grad, Tensor):
        raise TypeError(f"backward must return Tensors or None, got {type(grad).__name__}")
    shape, array_dtype = meta  # the input's shape and its array's dtype
    if grad._array.shape != shape:
        grad = sum_to(grad, shape)
    if grad._array.dtype != array_dtype:
        grad = grad.to(dtypes.of_array_dtype(array_dtype))
    return grad


# imported last: they import the autograd package, which imports this module
from minigrad import dtypes  # noqa: E402
from minigrad.ops._shape import sum_to  # noqa: E402
from minigrad.tensor import Tensor  # noqa: E402
