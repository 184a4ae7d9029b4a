"""
In-place ops and views: what autograd must do when a tensor's storage changes under it.

An in-place op (`add_`, `x[0] = 5`, `copy_`, ...) is computed out of place, then written into
the tensor's storage, with PyTorch's rules:

- every write bumps the storage's version counter, which a tensor shares with its views and
  detached aliases, so that backward can tell a tensor it saved was overwritten;
- a leaf that requires grad, or a view of one, may not be changed while grad mode is on;
- the tensor takes the op's history (`grad_fn`). Written through a view, the change reaches the
  base too: the base's history becomes CopySlices (its old value with the view's elements
  replaced) and the view's is derived again from the base's. A view whose base changed since it
  was cut is derived again before it is used (`refresh_view`, called by Function.apply).

Views are made by ViewFunction (function.py): each remembers its base and the steps that cut it.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from minigrad import backend, dtypes
from minigrad.autograd import grad_mode


def apply(tensor: Tensor, op: Callable[..., Tensor], *args: Any, **kwargs: Any) -> Tensor:
    """Run `op(tensor, *args)` and make `tensor` hold the result, by the rules above."""
    recording = grad_mode._state.enabled and (
        tensor._requires_grad or any(isinstance(a, Tensor) and a._requires_grad for a in args)
    )
    check_writable(tensor, recording)
    if not recording:
        with grad_mode.no_grad():
            result = op(tensor, *args, **kwargs)
        write(tensor, result)
        return tensor
    if tensor._base is not None:
        return apply_on_view(tensor, op, *args, **kwargs)
    if tensor.grad_fn is None and tensor._requires_grad:
        raise RuntimeError("a leaf Variable that requires grad is being used in an in-place operation.")
    result = op(old_value(tensor), *args, **kwargs)
    write(tensor, result)
    take_history(tensor, result)
    keep_saved_output(tensor, result.grad_fn)
    return tensor


def check_writable(tensor: Tensor, recording: bool) -> None:
    expanded = tensor._base is not None and not all(function.writable for function, _ in tensor._view_steps)
    if expanded or backend.has_internal_overlap(tensor._array):  # (minigrad forbids all writes through expand)
        raise RuntimeError(
            "unsupported operation: more than one element of the written-to tensor refers to a single "
            "memory location. Please clone() the tensor before performing the operation."
        )
    # a view made under no_grad, or one of split's pieces, may not be changed where autograd sees it
    forbidden = tensor._inplace_forbidden
    if forbidden is not None and (recording or grad_mode._state.enabled and tensor._base._requires_grad):
        raise RuntimeError(forbidden)


NO_GRAD_VIEW = (
    "A view was created in no_grad mode and is being modified inplace with grad mode enabled. Given that this "
    "use case is ambiguous and error-prone, it is forbidden. You can clarify your code by moving both the view "
    "and the inplace either both inside the no_grad block (if you don't want the inplace to be tracked) or "
    "both outside (if you want the inplace to be tracked)."
)


MODIFIED_THROUGH_BASE = "its base or another view of its base has been modified inplace."


STALE_NO_GRAD_VIEW = NO_GRAD_VIEW.replace("is being modified inplace", MODIFIED_THROUGH_BASE[:-1], 1)


def is_stale_no_grad_view(tensor: Tensor) -> bool:
    """A view made under no_grad, of a tensor that requires grad, whose base changed since: it
    prints `grad_fn=<Invalid>` and may not be used where autograd sees it, as in PyTorch."""
    return tensor._no_grad_view and tensor._view_version != tensor._version_counter[0]


def multiple_views(op_name: str, output_nr: int) -> str:
    """PyTorch's error for changing in place a piece of split/chunk/unbind (or a view of one)."""
    return (
        f"Output {output_nr} of {op_name} is a view and is being modified inplace. This view is the output of a "
        "function that returns multiple views. Such functions do not allow the output views to be modified "
        "inplace. You should replace the inplace operation by an out-of-place one."
    )


def apply_on_view(view: Tensor, op: Callable[..., Tensor], *args: Any, **kwargs: Any) -> Tensor:
    """An in-place op on a view changes its base: as in PyTorch, the base's history becomes
    CopySlices (its old value with this view's elements replaced by the op's result), and the
    view's history is derived again from the base's."""
    base = view._base
    if base.grad_fn is None and base._requires_grad:
        raise RuntimeError("a view of a leaf Variable that requires grad is being used in an in-place operation.")
    refresh_view(view)  # start from its current history
    result = fitted(view, op(old_value(view), *args, **kwargs))
    old_base = Tensor._make(base._array, base._device, base._version_counter)
    take_history(old_base, base)
    new_base = ops.indexing.copy_slices(old_base, result, view._view_steps)
    write(base, new_base)
    take_history(base, new_base)
    keep_saved_output(view, result.grad_fn)
    regenerate_view(view)
    return view


def keep_saved_output(tensor: Tensor, node: Any) -> None:
    """An op that saves its output (exp_, tanh_, relu_, ...) saved the copy it computed. As in
    PyTorch, its output is `tensor` itself, so a later change to `tensor` must fail backward's
    check: the node saves `tensor` (detached, sharing its storage and version counter) instead."""
    if node is None or not node._saved_outputs:
        return
    saved = list(node._saved)
    for position in node._saved_outputs:
        saved[position] = tensor.detach()
        node._saved_versions[position] = tensor._version_counter[0]
    node._saved = tuple(saved)


def replay_view(tensor: Tensor, steps: tuple) -> Tensor:
    """The view of `tensor` that `steps` cut ((view op, its other arguments), in order), recorded."""
    for function, args in steps:
        tensor = function.apply(tensor, *args)
    return tensor


def refresh_view(tensor: Tensor) -> bool:
    """If `tensor` is a view whose base was changed in place since its history was derived,
    derive it again (with new nodes); returns whether it did."""
    if tensor._base is None or tensor._view_version == tensor._version_counter[0]:
        return False
    regenerate_view(tensor)
    return True


def regenerate_view(view: Tensor) -> None:
    """Derive a view's history again from its base's, which an in-place op changed since."""
    forbidden = view._inplace_forbidden
    if forbidden is not None and forbidden is not NO_GRAD_VIEW:  # a piece of split: PyTorch refuses
        raise RuntimeError(forbidden.replace("is being modified inplace.", MODIFIED_THROUGH_BASE, 1))
    if view._no_grad_view:  # it never had a history to derive: PyTorch refuses to guess one
        raise RuntimeError(STALE_NO_GRAD_VIEW)
    take_history(view, replay_view(view._base, view._view_steps))
    view._view_version = view._version_counter[0]


def old_value(tensor: Tensor) -> Tensor:
    """A copy of the tensor's value with its history: what an in-place op's backward sees."""
    before = Tensor._make(tensor._device.xp.asarray(tensor._array, copy=True), tensor._device)
    take_history(before, tensor)
    return before


def take_history(tensor: Tensor, source: Tensor) -> None:
    """Give `tensor` the place in the graph of `source` (whose value it now holds)."""
    tensor.grad_fn, tensor._output_nr, tensor._requires_grad = source.grad_fn, source._output_nr, source._requires_grad


def write(tensor: Tensor, result: Tensor) -> None:
    """Copy an op's result into the tensor's storage (its views and from_numpy arrays see it)."""
    tensor._array[...] = fitted(tensor, result)._array
    tensor._version_counter[0] += 1


def fitted(tensor: Tensor, result: Tensor) -> Tensor:
    """An in-place op's result, checked to fit the tensor's shape and cast to its dtype."""
    if result.shape != tensor.shape:
        raise RuntimeError(
            f"output with shape {list(tensor.shape)} doesn't match the broadcast shape {list(result.shape)}"
        )
    if result.dtype is not tensor.dtype:
        if result.dtype.category > tensor.dtype.category:
            raise RuntimeError(
                f"result type {dtypes.torch_type_name(result.dtype)} can't be cast to the desired output type "
                f"{dtypes.torch_type_name(tensor.dtype)}"
            )
        result = result.to(tensor.dtype)
    return result


def raw_update_allowed(tensor: Tensor, other: Any) -> bool:
    """Whether an in-place update may work on the raw arrays directly (the optimizer's hot path):
    outside autograd, not a view, a floating tensor, and an operand that needs no promotion."""
    if tensor._base is not None:  # a view's rules (and its base's history) are apply()'s
        return False
    if grad_mode._state.enabled and (tensor._requires_grad or getattr(other, "_requires_grad", False)):
        return False
    if isinstance(other, Tensor):  # the same dtype and shape (or 0-d): nothing to promote or broadcast
        a, b = tensor._array, other._array
        return other._device is tensor._device and a.dtype == b.dtype and (a.shape == b.shape or b.ndim == 0)
    # a Python number keeps a float tensor's dtype; an integer tensor may need PyTorch's cast error
    return type(other) in (float, int) and (tensor._requires_grad or tensor.dtype.is_floating_point)


def is_view_key(key: Any) -> bool:
    """Whether x[key] is a view in PyTorch: only ints, slices and None (x[...] alone is x itself)."""
    keys = key if isinstance(key, tuple) else (key,)
    basic = all(k is None or k is Ellipsis or isinstance(k, (int, slice)) for k in keys)
    return basic and any(k is not Ellipsis for k in keys)


# ---- the out-of-place ops behind in-place methods that have no functional form ----


def fill(x: Tensor, value: Any) -> Tensor:
    if isinstance(value, Tensor):
        if value.ndim != 0:
            raise RuntimeError(
                f"fill_ only supports 0-dimension value tensor but got tensor with {value.ndim} dimensions."
            )
        return overwritten(x, ops.expand(value.to(x.dtype), x.shape))  # the gradient reaches value, not x
    from minigrad.ops.elementwise import fill

    return fill(x, value)


def copy_from(x: Tensor, source: Tensor) -> Tensor:
    source = source.to(x._device).to(x.dtype)
    from minigrad.ops._common import broadcast_shape

    if broadcast_shape(source.shape, x.shape) != x.shape:
        raise RuntimeError(
            f"The size of tensor a ({x.shape[-1] if x.ndim else 1}) must match the size of tensor b "
            f"({source.shape[-1] if source.ndim else 1}) at non-singleton dimension {max(x.ndim - 1, 0)}"
        )
    result = ops.expand(source, x.shape)
    return overwritten(x, ops.clone(result) if result is source else result)


def overwritten(x: Tensor, new: Tensor) -> Tensor:
    """`new` in place of all of x. A non-leaf x stays in the graph with a zero gradient (every
    element is overwritten), so the result still requires grad, as after PyTorch's copy_/fill_."""
    if not x.requires_grad:
        return new
    return ops.where(x.new_ones(x.shape, dtype=dtypes.bool), new, x)


# imported last: they import the autograd package, which imports this module
from minigrad import ops  # noqa: E402
from minigrad.tensor import Tensor  # noqa: E402
