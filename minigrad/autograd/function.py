"""
Function and Node: how the graph is recorded.

A `Function` is an op with a `forward` (Tensors in, array or Tensor out) and a `backward`
(gradients in, gradients out, written with Tensor ops so that it can be differentiated again).
`Function.apply` is the only place in minigrad that records the graph: when grad mode is on and
an input requires grad, it gives the output a `grad_fn`, a Node that remembers the backward, the
tensors `forward` saved, and the edges (`next_functions`) to its inputs' nodes.

As in PyTorch, the `ctx` that forward and backward receive *is* that node: `MulBackward0` for
`Mul`, `MyOpBackward` for a user's `MyOp`. Leaves get an `AccumulateGrad` node that adds the
gradient into `tensor.grad`.
"""

from __future__ import annotations

import itertools
import sys
from typing import Any

from minigrad.autograd import grad_mode

_next_sequence_nr = itertools.count().__next__  # creation order; backward runs newest first
_FREED = object()  # marks saved tensors released after backward


class Node:
    """One step of the backward pass (a tensor's `grad_fn`)."""

    _sequence_nr: int
    next_functions: tuple
    _saved: Any = ()
    _saved_versions: list | tuple = ()
    _saved_outputs: dict | None = None  # position in _saved -> output index, for saved outputs
    _hooks: dict | None = None  # output index -> hooks on the tensor that output became
    _retained: dict | None = None  # output index -> weakref to a tensor that called retain_grad()
    _has_tensor_hooks: bool = False  # whether either of the two above is set: the engine asks this
    _post_hooks: list | None = None
    _forward_trace: Any = None  # set by anomaly mode: where in the forward this node was made
    _num_outputs: int = 1
    _recording: bool = False  # True once Function.apply records this node in the graph
    _non_differentiable: tuple | set = ()
    _edges: list | tuple = ()  # per forward argument: (node, output index) its gradient goes to, or None
    _input_meta: list | tuple = ()  # per forward argument: (shape, array dtype) of a tensor, or None

    def name(self) -> str:
        return type(self).__name__

    def __repr__(self) -> str:
        return f"<{self.name()} object at {id(self):#x}>"

    # ---- saved tensors ----

    def save_for_backward(self, *tensors: Tensor | None) -> None:
        if self._recording is False:
            return  # grad mode is off or no input requires grad: no backward will read them
        self._saved = tensors
        versions = self._saved_versions = []  # backward checks that these are unchanged
        for tensor in tensors:
            versions.append(None if tensor is None else tensor._version_counter[0])

    @property
    def saved_tensors(self) -> tuple:
        if self._saved is _FREED:
            raise RuntimeError(
                "Trying to backward through the graph a second time (or directly access saved "
                "tensors after they have already been freed). Saved intermediate values of the "
                "graph are freed when you call .backward() or autograd.grad(). Specify "
                "retain_graph=True if you need to backward through the graph a second time or "
                "if you need to access saved tensors after calling backward."
            )
        for tensor, version in zip(self._saved, self._saved_versions):
            if tensor is not None and tensor._version_counter[0] != version:
                position = next(i for i, saved in enumerate(self._saved) if saved is tensor)
                raise RuntimeError(_modified_inplace_message(self, position, tensor, version))
        if self._saved_outputs and grad_mode._state.enabled:
            return self._outputs_reconnected()
        return self._saved

    def _outputs_reconnected(self) -> tuple:
        """The saved tensors, with each saved *output* of forward made this node's output again.

        A node cannot hold its own output with the output's grad_fn (that would be a reference
        cycle), so an output is saved detached, sharing its storage and version counter. When
        a backward is itself recorded (create_graph=True) its gradient must flow back through
        this node, so it gets its grad_fn back here, as PyTorch's SavedVariable does.
        """
        saved = list(self._saved)
        for position, output_nr in self._saved_outputs.items():
            output = saved[position]
            saved[position] = reconnected = Tensor._make(output._array, output._device, output._version_counter)
            reconnected._requires_grad, reconnected.grad_fn, reconnected._output_nr = True, self, output_nr
        return tuple(saved)

    # PyTorch's names for saved tensors: `_saved_self` is the first tensor forward saved,
    # `_saved_other` (`_saved_mat2` for a matrix product) the second.
    @property
    def _saved_self(self) -> Tensor:
        return self._saved_at(0, "_saved_self")

    @property
    def _saved_other(self) -> Tensor:
        return self._saved_at(1, "_saved_other")

    _saved_mat2 = _saved_other

    @property
    def _saved_result(self) -> Tensor:  # the output of forward, for ops that save it (exp, tanh, ...)
        return self._saved_at(0, "_saved_result")

    def _saved_at(self, position: int, name: str) -> Tensor:
        if self._saved is not _FREED and position >= len(self._saved):
            raise AttributeError(f"'{self.name()}' object has no attribute '{name}'")
        return self.saved_tensors[position]

    # ---- PyTorch's ctx helpers ----

    def mark_non_differentiable(self, *tensors: Tensor) -> None:
        self._non_differentiable = {id(t) for t in tensors}

    def mark_dirty(self, *tensors: Tensor) -> None:
        """Accepted for compatibility; minigrad's in-place bookkeeping is done by the tensor."""

    def set_materialize_grads(self, value: bool) -> None:
        self._materialize_grads = value

    # ---- hooks on the node itself ----

    def register_hook(self, hook: Any) -> Any:
        """hook(grad_inputs, grad_outputs) runs after this node's backward."""
        if self._post_hooks is None:
            self._post_hooks = []
        self._post_hooks.append(hook)
        return _RemovableHandle(self._post_hooks, hook)

    def register_prehook(self, hook: Any) -> Any:
        """hook(grad_outputs) runs before this node's backward."""
        return self._add_tensor_hook(0, lambda grad: hook((grad,)))

    def _add_tensor_hook(self, output_nr: int, hook: Any) -> Any:
        if self._hooks is None:
            self._hooks = {}
            self._has_tensor_hooks = True
        hooks = self._hooks.setdefault(output_nr, [])
        hooks.append(hook)
        return _RemovableHandle(hooks, hook)


def _modified_inplace_message(node: Node, position: int, tensor: Tensor, saved_version: int) -> str:
    # PyTorch names the op that made the tensor (its grad_fn's name without "Backward0"), if any;
    # for a saved output of this very node, this node
    maker, output_nr = None, 0
    if node._saved_outputs and position in node._saved_outputs:
        maker, output_nr = node, node._saved_outputs[position]
    elif tensor.grad_fn is not None:
        maker, output_nr = tensor.grad_fn, tensor._output_nr
    made_by = ""
    if maker is not None:
        made_by = f", which is output {output_nr} of {_op_name(maker.name())},"
    return (
        "one of the variables needed for gradient computation has been modified by an inplace "
        f"operation: [{tensor.type()} {list(tensor.shape)}]{made_by} is at version {tensor._version_counter[0]}; "
        f"expected version {saved_version} instead. Hint: enable anomaly detection to find the "
        "operation that failed to compute its gradient, with "
        "minigrad.autograd.set_detect_anomaly(True, check_nan=False)."
    )


def _op_name(node_name: str) -> str:
    """The op a node's name belongs to, as PyTorch's messages name it: MulBackward0 -> Mul."""
    return node_name.rstrip("0123456789").removesuffix("Backward")


class _RemovableHandle:
    """What register_hook returns: `.remove()` takes the hook away again."""

    def __init__(self, hooks: list, hook: Any) -> None:
        self._hooks, self._hook = hooks, hook

    def remove(self) -> None:
        if self._hook in self._hooks:
            self._hooks.remove(self._hook)


class AccumulateGrad(Node):
    """The node of a leaf tensor: adds the gradient that reaches it into `variable.grad`."""

    _has_tensor_hooks = True  # its hooks are the leaf's (register_hook may add one at any time): always look

    def __init__(self, variable: Tensor, first_user: int | None = None, position: int = 0) -> None:
        self.variable = variable
        self.next_functions = ()
        self._edges = ()
        # Backward runs nodes newest first. A leaf's gradient is complete once the first op that
        # used it (the oldest node sending it a gradient) has run, so its number falls just below
        # that op's, in argument order: it runs right after it, as in PyTorch. (A node that outlives
        # its graph keeps its number, so in a newer graph it runs last: same values, later hooks.)
        if first_user is None:
            self._sequence_nr = _next_sequence_nr()
        else:
            self._sequence_nr = first_user - 1 + 0.5 ** (position + 1)

    def run_hooks(self, grad: Tensor) -> Tensor:
        """The leaf's register_hook hooks, in order; each may return a replacement gradient."""
        for hook in self.variable._hooks or ():
            replaced = hook(grad)
            if replaced is not None:
                grad = replaced
        return grad

    def accumulate(self, grad: Tensor, create_graph: bool) -> None:
        variable = self.variable  # the engine's gradients have the leaf's shape: set ._grad directly
        if variable._grad is None:
            if create_graph or _nobody_else_holds(grad):
                variable._grad = grad  # keep the buffer: no copy
            else:  # shared with another leaf, a view or the caller: later += must not reach them
                variable._grad = grad._fresh_copy()
        elif create_graph or grad_mode._state.enabled:
            variable._grad = variable._grad + grad
        else:
            variable._grad._array += grad._array
            variable._grad._version_counter[0] += 1


def _nobody_else_holds(grad: Tensor) -> bool:
    """Whether only the engine holds a gradient, so that it may be kept as `leaf.grad` without a
    copy, or take a sum in place (PyTorch asks its reference count the same question).

    CPython's counts answer it. The Tensor: the engine's list of pending gradients, the caller's
    variable, ours and getrefcount's own (4). Its array: the Tensor, our `array` and getrefcount's
    own (3); a view of it or another Tensor on it would add one. The array must own its memory,
    or be a whole-buffer view (such as the transposed gradient of `weight.t()`) of a buffer that
    nothing else references either; arrays that do not say are never reused.
    """
    array = grad._array
    if sys.getrefcount(grad) > 4 or sys.getrefcount(array) > 3:
        return False
    owner = getattr(array, "base", 0)
    if owner is None:
        return True
    return (
        getattr(owner, "base", 0) is None  # the view's buffer owns its memory ...
        and sys.getrefcount(owner) <= 3  # ... only this view refers to it (its .base, `owner`, getrefcount)
        and owner.size == array.size  # ... and the view covers it once (not a broadcast)
        and getattr(getattr(array, "flags", None), "writeable", False)
    )


class BackwardNode(Node):
    """Base of the node classes that `Function` subclasses get (`MulBackward0`, ...)."""

    _forward_cls: type

    @property
    def next_functions(self) -> tuple:
        """PyTorch's view of the edges: (node, output index) per floating-point tensor input,
        (None, 0) for one that needs no gradient; bool and integer inputs get no entry."""
        return tuple(
            (None, 0) if edge is None else edge
            for edge, meta in zip(self._edges, self._input_meta)
            if edge is not None or (meta is not None and dtypes.of_array_dtype(meta[1]).is_floating_point)
        )


class FunctionMeta(type):
    """Gives each Function subclass its node class, named as PyTorch names it."""

    def __init__(cls, name: str, bases: tuple, namespace: dict) -> None:
        super().__init__(name, bases, namespace)
        node_name = namespace.get("node_name", f"{name}Backward")
        cls._backward_cls = type(node_name, (BackwardNode,), {"_forward_cls": cls, "__module__": cls.__module__})


class Function(metaclass=FunctionMeta):
    """Base class for differentiable ops, built-in and user-written, as torch.autograd.Function.

    Subclasses define two static methods:
        forward(ctx, *args) -> Tensor or array (or a tuple of them); runs with grad mode off.
        backward(ctx, *grad_outputs) -> one gradient (Tensor or None) per forward argument.
    and are called with `MyOp.apply(*args)`.

    Example:
        >>> class Square(Function):
        ...     @staticmethod
        ...     def forward(ctx, x):
        ...         ctx.save_for_backward(x)
        ...         return x * x
        ...     @staticmethod
        ...     def backward(ctx, grad_output):
        ...         x, = ctx.saved_tensors
        ...         return 2 * x * grad_output
    """

    node_name: str  # the grad_fn's name; PyTorch's built-ins end in "Backward0"

    @staticmethod
    def forward(ctx: Any, *args: Any) -> Any:
        raise NotImplementedError("You must implement the forward function for custom autograd.Function.")

    @staticmethod
    def backward(ctx: Any, *grad_outputs: Any) -> Any:
        raise NotImplementedError(
            "You must implement either the backward or vjp method for your custom autograd.Function to use it with backward mode AD."
        )

    @classmethod
    def apply(cls, *args: Any) -> Any:
        """Run forward on `args`; record the node if grad mode is on and an input requires grad."""
        ctx = cls._backward_cls()
        state = grad_mode._state
        if state.enabled:
            device = _record_inputs(ctx, args)  # the edges, if some input requires grad
        else:  # no_grad, or a backward pass
            device = _device_of(args)
            ctx.needs_input_grad = (False,) * len(args)
        if not ctx._recording:  # nothing to record: forward is all there is
            raw_output = cls.forward(ctx, *args)
            if type(raw_output) is tuple or isinstance(raw_output, Tensor):
                return _wrap(raw_output, device)
            # a built-in op's array: _wrap's last case, inline because every op of a backward pass comes here
            return Tensor._make(raw_output, device or backend.CPU)
        state.enabled = False  # forward runs with grad mode off (no_grad, without its overhead)
        try:
            raw_output = cls.forward(ctx, *args)
        finally:
            state.enabled = True
        if type(raw_output) is tuple:  # several outputs
            outputs = _wrap(raw_output, device)
            _record_outputs(ctx, outputs, raw_output)
            return outputs
        if isinstance(raw_output, Tensor):  # a Tensor forward made (and may have saved): new, on its storage
            output = _wrap(raw_output, device)
            if ctx._saved:
                _find_saved_outputs(ctx, (raw_output,))
            if id(raw_output) in ctx._non_differentiable:
                return output
        else:  # a built-in op's array
            output = Tensor._make(raw_output, device or backend.CPU)
        if output.dtype.is_floating_point:
            output._requires_grad, output.grad_fn = True, ctx  # the node becomes the output's grad_fn
            if _on_node_created:
                _notify_node_created(ctx)
        return output


class ViewFunction(Function):
    """A view op (reshape, permute, expand, basic indexing): its output shares its input's storage.

    As in PyTorch, the output then remembers its base (`view._base`, the first tensor that is no
    view) and the steps that cut it from there (`_view_steps`), and shares the base's version
    counter. So an in-place change through either one is seen by both: backward's saved-tensor
    check catches it, an in-place op on the view rewrites the base's history, and a view whose
    base changed derives its own again before it is used (autograd/inplace.py).
    """

    writable = True  # False for expand: its elements repeat, so no write through it is allowed

    @classmethod
    def apply(cls, x: Tensor, *args: Any) -> Tensor:
        view = super().apply(x, *args)
        state = grad_mode._state
        # Not the views a backward pass makes of gradients that need none (without create_graph):
        # nobody changes those, and a base they kept alive would make the engine copy buffers.
        untracked = state.in_backward and not state.enabled and not x._requires_grad
        if not untracked and (view._array.size == 0 or backend.shares_memory(view._array, x._array)):
            _track_view(view, x, (cls, args))
            if not state.enabled:
                view._inplace_forbidden = inplace.NO_GRAD_VIEW
                if x._requires_grad:  # as in PyTorch: it requires grad, but no gradient reaches it or x
                    view._requires_grad = view._no_grad_view = True
        return view


def _track_view(view: Tensor, x: Tensor, step: tuple) -> None:
    base, steps = (x._base, x._view_steps) if x._base is not None else (x, ())
    view._base, view._view_steps = base, steps + (step,)
    view._version_counter = base._version_counter  # one counter for the base and all its views
    view._view_version = base._version_counter[0]  # the base's version this view's history was derived at
    forbidden = x._inplace_forbidden
    if forbidden is not None:  # a view of a view that may not be changed in place may not be either
        if forbidden is not inplace.NO_GRAD_VIEW:
            forbidden = inplace.multiple_views(_op_name(step[0].node_name), 0)
        view._inplace_forbidden = forbidden


def _device_of(args: tuple) -> Any:
    """The one device of the tensor arguments, or PyTorch's error if there are two."""
    device = None
    for a in args:
        if isinstance(a, Tensor):
            if device is None:
                device = a._device
            elif a._device is not device:
                _check_same_device(device, a._device)
    return device


def _check_same_device(first: Any, second: Any) -> None:
    if second != first:
        raise RuntimeError(
            f"Expected all tensors to be on the same device, but found at least two devices, {first} and {second}!"
        )


def _wrap(out: Any, device: Any) -> Any:
    """Tensors for what forward returned: a raw array (the built-in ops), a Tensor, or a tuple."""
    if isinstance(out, Tensor):  # a user's forward may return a Tensor: keep its storage and version
        return Tensor._make(out._array, out._device, out._version_counter)
    if type(out) is tuple:
        return tuple([_wrap(each, device) for each in out])
    return Tensor._make(out, device or backend.CPU)


def _record_inputs(ctx: Node, args: tuple) -> Any:
    """The node's side of the graph, before forward runs: one edge per argument to the node its
    gradient goes to (None if it needs none), and the shape and dtype that gradient must have.
    Returns the arguments' one device; leaves `ctx._recording` False if no argument requires grad."""
    for a in args:  # first a look: with no argument that requires grad there is nothing to record
        if isinstance(a, Tensor) and (a._requires_grad or a._base is not None):  # (a view may, once refreshed)
            break
    else:
        ctx.needs_input_grad = (False,) * len(args)
        return _device_of(args)
    device = None
    sequence_nr = _next_sequence_nr()  # the node's place in backward's order: newer nodes run first
    edges = []  # (node, output index) or None
    input_meta = []  # (shape, array dtype) of a tensor argument, or None
    needs_input_grad = []
    for a in args:
        if isinstance(a, Tensor):
            if device is None:
                device = a._device
            elif a._device is not device:
                _check_same_device(device, a._device)
            if a._base is not None and inplace.refresh_view(a):  # (the slot test keeps non-views cheap)
                sequence_nr = _next_sequence_nr()  # its history was derived again: this node follows it
            requires_grad = a._requires_grad  # (a view made under no_grad requires grad but has no edge)
            needs_input_grad.append(requires_grad)
            if a.grad_fn is not None:  # an op's output: its gradient goes to the op's node
                edges.append((a.grad_fn, a._output_nr))
            else:  # a leaf's AccumulateGrad (or None)
                edges.append(a._gradient_edge(sequence_nr, len(edges)) if requires_grad else None)
            array = a._array
            input_meta.append((array.shape, array.dtype))
        else:
            needs_input_grad.append(False)
            edges.append(None)
            input_meta.append(None)
    ctx.needs_input_grad = needs_input_grad = tuple(needs_input_grad)
    if True in needs_input_grad:
        ctx._recording = True
        ctx._edges = edges
        ctx._input_meta = input_meta
        ctx._sequence_nr = sequence_nr
    return device


def _record_outputs(ctx: Node, outputs: tuple, raw_outputs: tuple) -> None:
    """After a forward that returned several outputs: the node becomes the grad_fn of each
    floating-point output that forward did not mark non-differentiable."""
    ctx._num_outputs = len(outputs)  # so that outputs no gradient reached can count as zeros
    ctx._output_meta = tuple((out.shape, out.dtype, out._device) for out in outputs)
    if ctx._saved:  # a saved tensor that forward also returned is a saved *output*
        _find_saved_outputs(ctx, raw_outputs)
    non_differentiable = ctx._non_differentiable
    for nr, out in enumerate(outputs):
        if out.dtype.is_floating_point and id(raw_outputs[nr]) not in non_differentiable:
            out._requires_grad = True
            out.grad_fn = ctx
            out._output_nr = nr
    if _on_node_created:
        _notify_node_created(ctx)


def _notify_node_created(ctx: Node) -> None:
    for observer in _on_node_created:
        observer(ctx)


def _find_saved_outputs(ctx: Node, raw_outputs: tuple) -> None:
    """Note which saved tensors are outputs forward returned (`ctx.save_for_backward(result)`)."""
    for output_nr, output in enumerate(raw_outputs):
        if isinstance(output, Tensor):  # (built-in ops return arrays)
            for position, tensor in enumerate(ctx._saved):
                if tensor is output:
                    if ctx._saved_outputs is None:
                        ctx._saved_outputs = {}
                    ctx._saved_outputs[position] = output_nr


_on_node_created: list = []  # anomaly mode records forward stack traces through this


# Tensor imports this module (for AccumulateGrad), so it is imported last, once this module's
# names exist; apply() then finds it as a plain global instead of importing on every call.
from minigrad import backend, dtypes  # noqa: E402
from minigrad.autograd import inplace  # noqa: E402
from minigrad.tensor import Tensor  # noqa: E402
