"""
trace(): watch a backward pass, one node at a time.

    with minigrad.autograd.trace() as t:
        loss.backward()
    print(t)            # a table: each node, the gradient that reached it, what it sent on
    t.steps[0].name     # "MeanBackward0": the same records, as data

The engine calls every function in `engine.observers` after a node's backward with
(node, grad_outputs, grad_inputs); the tracer is one such observer. For each gradient a node
sends, it also records what the engine does to it on the way (`sum_to` where the forward
broadcast), so the table shows where a gradient was summed and over which dimensions.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from minigrad.autograd import engine, grad_mode
from minigrad.autograd.function import AccumulateGrad, Node


@dataclass
class Sent:
    """One gradient a node sent to one of its inputs."""

    to: str  # the input's node: "MulBackward0", or "AccumulateGrad" for a leaf
    grad: Any  # the Tensor that arrived there, already summed back to the input's shape
    summed: str | None = None  # "sum over dim 0 of (3, 1)" where broadcasting was undone


@dataclass
class Step:
    """One node of the backward pass: what reached it and what it sent on."""

    index: int
    name: str
    node: Node
    grad_outputs: tuple  # the gradient(s) that reached the node, one per forward output
    sent: list[Sent] = field(default_factory=list)  # one per input that needs a gradient

    @property
    def grad_output(self) -> Any:
        return self.grad_outputs[0]

    @property
    def variable(self) -> Any:
        """For an AccumulateGrad step: the leaf tensor whose .grad was filled."""
        return getattr(self.node, "variable", None)


class trace:  # noqa: N801 - a context manager, named like no_grad
    """Record every step of the backward passes run inside the `with` block."""

    def __init__(self) -> None:
        self.steps: list[Step] = []

    def __enter__(self) -> trace:
        engine.observers.append(self._observe)
        return self

    def __exit__(self, *exc_info: Any) -> None:
        engine.observers.remove(self._observe)

    def _observe(self, node: Node, grad_outputs: list, grad_inputs: tuple) -> None:
        step = Step(len(self.steps) + 1, node.name(), node, tuple(_detached(g) for g in grad_outputs))
        with grad_mode.no_grad():
            for i, edge in enumerate(node._edges):
                grad = grad_inputs[i] if i < len(grad_inputs) else None
                if edge is None or grad is None:
                    continue
                arrived = engine._fit_to_input(grad, node._input_meta[i])  # what the engine passes on
                summed = describe_sum(grad.shape, arrived.shape)
                step.sent.append(Sent(edge[0].name(), _detached(arrived), summed))
        self.steps.append(step)

    def __getitem__(self, index: int) -> Step:
        return self.steps[index]

    def __len__(self) -> int:
        return len(self.steps)

    def __str__(self) -> str:
        rows = [("step", "node", "gradient that reached it", "gradients sent to its inputs")]
        for step in self.steps:
            reached = ", ".join(_short(g) for g in step.grad_outputs)
            if isinstance(step.node, AccumulateGrad):
                sent = [f"-> .grad of leaf {tuple(step.variable.shape)}"]
            else:
                sent = [f"-> {s.to}: {_short(s.grad)}" + (f"  ({s.summed})" if s.summed else "") for s in step.sent]
            rows.append((str(step.index), step.name, reached, sent[0] if sent else "(none)"))
            rows.extend(("", "", "", more) for more in sent[1:])
        widths = [max(len(row[col]) for row in rows) for col in range(3)]
        lines = ["  ".join(cell.ljust(width) for cell, width in zip(row, widths)) + "  " + row[3] for row in rows]
        lines.insert(1, "-" * len(lines[0]))
        return "\n".join(line.rstrip() for line in lines)

    def __repr__(self) -> str:
        return f"<trace of {len(self.steps)} backward steps>"


def describe_sum(grad_shape: tuple, input_shape: tuple) -> str | None:
    """How `sum_to` turned a gradient of `grad_shape` into one of `input_shape`, in words.

    >>> describe_sum((3, 4), (3, 1))
    'sum over dim 1 of (3, 4)'
    """
    grad_shape, input_shape = tuple(grad_shape), tuple(input_shape)
    if grad_shape == input_shape:
        return None
    lead = len(grad_shape) - len(input_shape)
    dims = list(range(lead)) + [
        lead + i for i, size in enumerate(input_shape) if size == 1 and grad_shape[lead + i] != 1
    ]
    if not dims:
        return f"reshape of {grad_shape}"
    word = "dim" if len(dims) == 1 else "dims"
    return f"sum over {word} {', '.join(map(str, dims))} of {grad_shape}"


def _detached(grad: Any) -> Any:
    return None if grad is None else grad.detach()


def _short(tensor: Any, max_items: int = 4, with_shape: bool = True) -> str:
    """A tensor in one short line: its values (the first few) and, if not a scalar, its shape."""
    if tensor is None:
        return "None"
    values = tensor.detach().cpu().reshape(-1).tolist()
    shown = ", ".join(f"{v:.4g}" for v in values[:max_items]) + (", ..." if len(values) > max_items else "")
    if tensor.ndim == 0 or not with_shape:
        return shown if tensor.ndim == 0 else f"[{shown}]"
    return f"[{shown}] {tuple(tensor.shape)}"
