"""
Grad mode: whether ops record the graph. It is per thread, as in PyTorch, so `no_grad()` in one
thread never switches recording off in another. Each switch is a context manager that also works
as a decorator.
"""

from __future__ import annotations

import functools
import threading
from collections.abc import Callable
from typing import Any


class _GradState(threading.local):
    enabled = True  # each thread starts with grad mode on
    in_backward = False  # True while the engine runs backward formulas (see ViewFunction.apply)


_state = _GradState()


def is_grad_enabled() -> bool:
    return _state.enabled


class _GradModeSwitch:
    """Base of no_grad / enable_grad / set_grad_enabled: `with` block or decorator."""

    mode = True

    def __new__(cls, *args: Any) -> Any:
        if len(args) == 1 and callable(args[0]) and cls is not set_grad_enabled:
            return cls()(args[0])  # `@no_grad` without parentheses decorates directly
        return super().__new__(cls)

    def __enter__(self) -> None:
        self._previous = _state.enabled
        _state.enabled = self.mode

    def __exit__(self, *exc_info: Any) -> None:
        _state.enabled = self._previous

    def __call__(self, function: Callable) -> Callable:
        @functools.wraps(function)
        def with_grad_mode(*args: Any, **kwargs: Any) -> Any:
            with _fresh_switch(self.mode):  # a new one per call: safe to re-enter and across threads
                return function(*args, **kwargs)

        return with_grad_mode


def _fresh_switch(mode: bool) -> _GradModeSwitch:
    switch = _GradModeSwitch()
    switch.mode = mode
    return switch


class no_grad(_GradModeSwitch):  # noqa: N801
    """Ops inside record no graph (for updates, evaluation and hand-written gradient steps)."""

    mode = False


class enable_grad(_GradModeSwitch):  # noqa: N801
    """Turn recording back on inside a `no_grad` block."""

    mode = True


class set_grad_enabled(_GradModeSwitch):  # noqa: N801
    """`set_grad_enabled(False)` switches at once when called, and restores on `with` exit."""

    def __init__(self, mode: bool) -> None:
        self._previous = _state.enabled
        self.mode = bool(mode)
        _state.enabled = self.mode

    def __enter__(self) -> None:
        _state.enabled = self.mode

    def __exit__(self, *exc_info: Any) -> None:
        _state.enabled = self._previous

    def __call__(self, function: Callable) -> Callable:
        _state.enabled = self._previous  # as a decorator it switches on each call, not now (as PyTorch)
        return super().__call__(function)


class inference_mode(no_grad):  # noqa: N801
    """Like no_grad (minigrad has no separate inference tensors)."""

    def __init__(self, mode: bool = True) -> None:
        self.mode = not mode
