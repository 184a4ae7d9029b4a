"""
Anomaly detection, as torch.autograd.set_detect_anomaly / detect_anomaly.

When it is on, two observers are installed:
  - at node creation (function._on_node_created) the forward stack trace is saved on the
    node, so that a failing backward can say which line of *your* forward made that node;
  - after each node's backward (engine.observers) its gradients are checked for NaN, and
    the first one raises RuntimeError("Function 'MulBackward0' returned nan values in its
    0th output."), after warning with the forward traceback, as PyTorch does.

Recording a stack trace for every op is slow, which is why this is off by default.
"""

from __future__ import annotations

import os
import traceback
import warnings
from typing import Any

from minigrad.autograd import engine, function
from minigrad.autograd.function import Node

_state = {"enabled": False, "check_nan": True}

_MINIGRAD_DIR = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
# frames inside these files are the machinery of recording an op, not the user's forward
_INTERNAL = tuple(os.path.join(_MINIGRAD_DIR, part) for part in ("autograd", "ops", "tensor.py"))


def set_detect_anomaly(mode: bool, check_nan: bool = True) -> None:
    """Turn anomaly detection on or off for every backward that follows."""
    _state["check_nan"] = check_nan
    if mode and not _state["enabled"]:
        function._on_node_created.append(_record_forward_trace)
        engine.observers.append(_check_gradients)
    elif not mode and _state["enabled"]:
        function._on_node_created.remove(_record_forward_trace)
        engine.observers.remove(_check_gradients)
    _state["enabled"] = bool(mode)


def is_anomaly_enabled() -> bool:
    return _state["enabled"]


def is_anomaly_check_nan_enabled() -> bool:
    return _state["check_nan"]


class detect_anomaly:  # noqa: N801 - a context manager, named like torch.autograd.detect_anomaly
    """Anomaly detection inside a `with` block (or for a decorated function).

    Example:
        >>> with minigrad.autograd.detect_anomaly():
        ...     loss = (x.sqrt() * 0).sum()      # sqrt at 0: its backward divides by zero
        ...     loss.backward()                  # RuntimeError naming SqrtBackward0
    """

    def __init__(self, check_nan: bool = True) -> None:
        self.check_nan = check_nan
        warnings.warn(
            "Anomaly Detection has been enabled. This mode will increase the runtime and should only be "
            "enabled for debugging.",
            stacklevel=2,
        )

    def __enter__(self) -> None:
        self._previous = (_state["enabled"], _state["check_nan"])
        set_detect_anomaly(True, self.check_nan)

    def __exit__(self, *exc_info: Any) -> None:
        set_detect_anomaly(*self._previous)

    def __call__(self, fn: Any) -> Any:
        def wrapper(*args: Any, **kwargs: Any) -> Any:
            with self:
                return fn(*args, **kwargs)

        return wrapper


def _record_forward_trace(node: Node) -> None:
    stack = traceback.extract_stack()
    while stack and stack[-1].filename.startswith(_INTERNAL):  # drop the recording machinery
        stack.pop()
    node._forward_trace = stack


def forward_traceback(node: Node) -> str:
    """Where in the forward `node` was created (empty when anomaly mode was off then)."""
    if node._forward_trace is None:
        return ""
    return "".join(traceback.format_list(node._forward_trace))


def _check_gradients(node: Node, grad_outputs: list, grad_inputs: tuple) -> None:
    if not _state["check_nan"]:
        return
    for i, grad in enumerate(grad_inputs):
        if grad is not None and bool(grad.isnan().any()):
            message = f"Function '{node.name()}' returned nan values in its {i}th output."
            where = forward_traceback(node)
            if where:
                note = f"Error detected in {node.name()}. Traceback of forward call that caused the error:\n{where}"
                warnings.warn(note, stacklevel=2)
            error = RuntimeError(message)
            error.node = node
            if where:
                error.add_note(f"Forward call that created {node.name()}:\n{where}")
            raise error
