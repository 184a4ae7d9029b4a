"""
Checking gradients by finite differences, with torch.autograd.gradcheck's meaning.

For f: inputs -> outputs, backward computes the Jacobian J = d output / d input one row
at a time (one backward per output element, seeded with a one-hot grad_output). The
central difference (f(x + eps·e_k) - f(x - eps·e_k)) / 2eps gives the same Jacobian one
column at a time, without using any backward at all. gradcheck builds both and compares.

fast_mode compares a single number per (output, input) pair instead: upstreamᵀ·J·direction,
for a random upstream gradient and a random input direction (autograd's test_util trick).
It costs two forwards and one backward per pair and only moves scalars off the device.

Read `gradcheck` first; `gradgradcheck` is gradcheck applied to the backward pass.
"""

import warnings
from collections.abc import Callable, Sequence
from typing import Any

import numpy as np

import minigrad
from minigrad import backend


class GradcheckError(RuntimeError):
    """Error raised by `gradcheck` and `gradgradcheck` (as in PyTorch)."""


# ---- small helpers ----


def _as_tuple(value: Any) -> tuple:
    return tuple(value) if isinstance(value, tuple | list) else (value,)


def _is_float(tensor: Any) -> bool:
    return isinstance(tensor, minigrad.Tensor) and str(tensor.dtype).rsplit(".", 1)[-1].startswith("float")


def _needs_grad(value: Any) -> bool:
    return isinstance(value, minigrad.Tensor) and value.requires_grad


def _with_array(tensor: "minigrad.Tensor", array: Any) -> "minigrad.Tensor":
    """A new leaf tensor like `tensor` (same device, dtype) holding `array` instead.

    The caller's tensor is never modified, so perturbing an input cannot corrupt it.
    """
    copy = tensor.detach()
    copy._array = array
    return copy


def _host(array: Any) -> np.ndarray:
    """A float64 numpy copy of a device array: the only way numbers leave the device."""
    if isinstance(array, np.generic):  # NumPy reductions return scalars, not 0-d arrays
        array = np.asarray(array)
    return np.asarray(backend.to_numpy(array), dtype=np.float64)


def _one_hot(tensor: "minigrad.Tensor", flat_index: int, value: float) -> Any:
    """A device array shaped like `tensor`: zeros with `value` at `flat_index`."""
    xp = tensor.device.xp
    array = xp.zeros(tuple(tensor.shape), dtype=tensor._array.dtype, device=tensor._array.device)
    array[tuple(int(i) for i in np.unravel_index(flat_index, tuple(tensor.shape)))] = value
    return array


def _random_unit(tensor: "minigrad.Tensor", rng: np.random.Generator) -> "minigrad.Tensor":
    """A random non-negative unit vector shaped like `tensor`, on its device (PyTorch's choice)."""
    values = rng.random(tuple(tensor.shape))
    norm = np.linalg.norm(values)
    if norm > 0:
        values = values / norm
    return minigrad.tensor(values, dtype=tensor.dtype, device=tensor.device)


def _check_inputs(inputs: Sequence[Any]) -> None:
    """Warn about inputs that are not float64, refuse when no input requires grad."""
    if not any(_needs_grad(x) for x in inputs):
        raise ValueError(
            "gradcheck expects at least one input tensor to require gradient, but none of them have requires_grad=True."
        )
    for index, x in enumerate(inputs):
        if _needs_grad(x) and x.dtype != minigrad.float64:
            warnings.warn(
                f"Input #{index} requires gradient and "
                "is not a double precision floating point or complex. "
                "This check will likely fail if all the inputs are "
                "not of double precision floating point or complex. ",
                stacklevel=4,
            )


def _differentiable(outputs: Sequence[Any]) -> list[int]:
    """Positions of the outputs that carry a gradient."""
    return [j for j, out in enumerate(outputs) if _is_float(out) and out.requires_grad]


def _evaluate(fn: Callable, inputs: Sequence[Any], position: int, array: Any) -> tuple:
    """fn(*inputs) with input `position` replaced by a leaf holding `array`."""
    replaced = list(inputs)
    replaced[position] = _with_array(inputs[position], array)
    return _as_tuple(fn(*replaced))


def _mismatch_message(output_index, input_index, numerical, analytical) -> str:
    """PyTorch's wording, so a search for the message finds PyTorch's explanation too."""
    with np.printoptions(precision=4, suppress=True, linewidth=100):
        return (
            f"Jacobian mismatch for output {output_index:d} with respect to input {input_index:d},\n"
            f"numerical:{numerical}\nanalytical:{analytical}\n"
        )


# ---- the full (slow) check: whole Jacobians ----


def numerical_jacobians(
    fn: Callable,
    inputs: Sequence[Any],
    input_index: int,
    outputs: Sequence[Any],
    output_indices: Sequence[int],
    eps: float,
) -> list[np.ndarray]:
    """d output / d input by central differences, one (input.numel(), output.numel()) matrix
    per output in `output_indices` (rows: input elements, columns: output elements)."""
    x = inputs[input_index]
    base = x.detach()._array
    rows: list[list[np.ndarray]] = [[] for _ in output_indices]  # per output: one row per element of x
    for k in range(x.numel()):
        step = _one_hot(x, k, eps)
        plus = _evaluate(fn, inputs, input_index, base + step)
        minus = _evaluate(fn, inputs, input_index, base - step)
        for row, j in zip(rows, output_indices):
            difference = _host(plus[j].detach()._array) - _host(minus[j].detach()._array)
            row.append(difference.reshape(-1) / (2 * eps))  # d output[:] / d x[k]
    return [np.stack(row) if row else np.zeros((0, outputs[j].numel())) for row, j in zip(rows, output_indices)]


def analytical_jacobians(
    inputs: Sequence[Any], input_indices: Sequence[int], output: "minigrad.Tensor"
) -> list[np.ndarray]:
    """d output / d input from backward, one matrix per input in `input_indices`: column r
    is the input's gradient when grad_output is one-hot at output element r."""
    targets = [inputs[i] for i in input_indices]
    columns: list[list[np.ndarray]] = [[] for _ in targets]  # per input: one column per output element
    for r in range(output.numel()):
        grad_output = _with_array(output, _one_hot(output, r, 1.0))
        grads = minigrad.autograd.grad([output], targets, [grad_output], retain_graph=True, allow_unused=True)
        for column, x, i, grad in zip(columns, targets, input_indices, grads):
            if grad is None:  # the output does not depend on this input
                column.append(np.zeros(x.numel()))
                continue
            if tuple(grad.shape) != tuple(x.shape):
                raise GradcheckError(
                    f"Analytical gradient has incorrect size: input {i} has shape "
                    f"{tuple(x.shape)} but its gradient has shape {tuple(grad.shape)}"
                )
            if grad.dtype != x.dtype:
                raise GradcheckError(f"Gradient has dtype mismatch: input {i} is {x.dtype}, its gradient {grad.dtype}")
            column.append(_host(grad.detach()._array).reshape(-1))  # d output[r] / d x[:]
    return [np.stack(column, axis=1) if column else np.zeros((x.numel(), 0)) for column, x in zip(columns, targets)]


def _worst_element(numerical, analytical, x_shape, out_shape, atol, rtol) -> str:
    """One line naming the element whose analytic and numerical gradients differ most."""
    excess = np.abs(analytical - numerical) - (atol + rtol * np.abs(numerical))
    excess = np.nan_to_num(excess, nan=np.inf)
    k, r = np.unravel_index(np.argmax(excess), excess.shape)
    x_index = tuple(int(i) for i in np.unravel_index(k, x_shape))
    out_index = tuple(int(i) for i in np.unravel_index(r, out_shape))
    return (
        f"Worst element: d output{list(out_index)} / d input{list(x_index)} is "
        f"{float(analytical[k, r])!r} analytically but {float(numerical[k, r])!r} numerically "
        f"(allowed difference: atol + rtol * |numerical| = {atol + rtol * abs(numerical[k, r]):.3g}).\n"
        "Each Jacobian has one row per input element and one column per output element."
    )


def _slow_check(fn, inputs, outputs, input_indices, output_indices, eps, atol, rtol) -> None:
    numerical = {i: numerical_jacobians(fn, inputs, i, outputs, output_indices, eps) for i in input_indices}
    for out_position, j in enumerate(output_indices):
        analytical = analytical_jacobians(inputs, input_indices, outputs[j])
        for i, a in zip(input_indices, analytical):
            n = numerical[i][out_position]
            if not np.allclose(a, n, rtol=rtol, atol=atol):
                raise GradcheckError(
                    _mismatch_message(j, i, n, a)
                    + _worst_element(n, a, tuple(inputs[i].shape), tuple(outputs[j].shape), atol, rtol)
                )


# ---- the fast check: random projections ----


def _fast_check(fn, inputs, outputs, input_indices, output_indices, eps, atol, rtol) -> None:
    rng = np.random.default_rng(0)  # our own generator: the user's RNG state is untouched
    directions = {i: _random_unit(inputs[i], rng) for i in input_indices}
    upstreams = {j: _random_unit(outputs[j], rng) for j in output_indices}

    # numerical: upstreamᵀ · (J · direction), J · direction by one central difference.
    numerical = {}
    for i in input_indices:
        if inputs[i].numel() == 0:  # an empty Jacobian: nothing to perturb
            numerical.update({(j, i): 0.0 for j in output_indices})
            continue
        base, step = inputs[i].detach()._array, eps * directions[i]._array
        plus = _evaluate(fn, inputs, i, base + step)
        minus = _evaluate(fn, inputs, i, base - step)
        for j in output_indices:
            xp = outputs[j].device.xp
            slope = (plus[j].detach()._array - minus[j].detach()._array) / (2 * eps)
            numerical[j, i] = float(_host(xp.sum(upstreams[j]._array * slope)))

    # analytical: (upstreamᵀ · J) · direction, upstreamᵀ · J by one backward.
    for j in output_indices:
        targets = [inputs[i] for i in input_indices]
        grads = minigrad.autograd.grad([outputs[j]], targets, [upstreams[j]], retain_graph=True, allow_unused=True)
        for i, grad in zip(input_indices, grads):
            xp = inputs[i].device.xp
            a = 0.0 if grad is None else float(_host(xp.sum(grad.detach()._array * directions[i]._array)))
            n = numerical[j, i]
            # Each entry may be off by atol, so the projection may be off by
            # atol · sum(upstream) · sum(direction) (PyTorch's _adjusted_atol).
            total = float(_host(xp.sum(upstreams[j]._array))) * float(_host(xp.sum(directions[i]._array)))
            if not abs(a - n) <= atol * total + rtol * abs(n):
                raise GradcheckError(
                    _mismatch_message(j, i, n, a)
                    + "\nThe numbers above are upstreamᵀ·J·direction for a random upstream gradient "
                    "and a random input direction (fast mode). The full Jacobians:\n\n"
                    + _slow_report(fn, inputs, outputs, i, j, eps, atol, rtol)
                )


def _slow_report(fn, inputs, outputs, i, j, eps, atol, rtol) -> str:
    """The full Jacobians for one (output, input) pair, to explain a fast-mode failure."""
    n = numerical_jacobians(fn, inputs, i, outputs, [j], eps)[0]
    a = analytical_jacobians(inputs, [i], outputs[j])[0]
    with np.printoptions(precision=4, suppress=True, linewidth=100):
        text = f"Numerical:\n{n}\nAnalytical:\n{a}\n"
    if a.size and not np.allclose(a, n, rtol=rtol, atol=atol):
        text += _worst_element(n, a, tuple(inputs[i].shape), tuple(outputs[j].shape), atol, rtol)
    else:
        text += "Element-wise the Jacobians agree: slow mode (fast_mode=False) would pass."
    return text


# ---- public API ----


def gradcheck(
    fn: Callable[..., Any],
    inputs: Any,
    *,
    eps: float = 1e-6,
    atol: float = 1e-5,
    rtol: float = 1e-3,
    raise_exception: bool = True,
    fast_mode: bool = False,
) -> bool:
    """Check the gradients computed by backward against central finite differences.

    For every input x that requires grad and every floating output y of ``fn(*inputs)``,
    the Jacobian dy/dx from backward must satisfy, element by element,
    ``|analytical - numerical| <= atol + rtol * |numerical|`` where
    ``numerical[k] = (fn(x + eps·e_k) - fn(x - eps·e_k)) / (2·eps)``.

    Use float64 inputs: in float32, eps=1e-6 is below the rounding error and the
    numerical Jacobian is noise (a warning says so, as in PyTorch).

    Args:
        fn: a function of Tensors returning a Tensor or a tuple of Tensors.
        inputs: a Tensor or a tuple of arguments for `fn`; Tensors with
            ``requires_grad=True`` are checked.
        eps: the finite-difference step.
        atol, rtol: absolute and relative tolerance.
        raise_exception: raise GradcheckError on failure (else return False).
        fast_mode: compare upstreamᵀ·J·direction for random vectors instead of whole
            Jacobians: O(1) forwards per input instead of O(numel), and no per-element
            copies off the device. Use it for large inputs and for non-CPU devices.

    Returns:
        True if every Jacobian matches.

    Raises:
        GradcheckError: naming the output and input (positions in fn's result and in
            `inputs`), the worst element, and showing both Jacobians.

    Example:
        >>> x = minigrad.randn(3, dtype=minigrad.float64, requires_grad=True)
        >>> gradcheck(lambda x: (x * x).sin(), (x,))
        True
    """
    inputs = _as_tuple(inputs)
    _check_inputs(inputs)
    with minigrad.enable_grad():
        outputs = _as_tuple(fn(*inputs))
        input_indices = [i for i, x in enumerate(inputs) if _needs_grad(x)]
        output_indices = _differentiable(outputs)
        check = _fast_check if fast_mode else _slow_check
        try:
            check(fn, inputs, outputs, input_indices, output_indices, eps, atol, rtol)
        except GradcheckError:
            if raise_exception:
                raise
            return False
    return True


def gradgradcheck(
    fn: Callable[..., Any],
    inputs: Any,
    grad_outputs: Any = None,
    *,
    eps: float = 1e-6,
    atol: float = 1e-5,
    rtol: float = 1e-3,
    raise_exception: bool = True,
    fast_mode: bool = False,
) -> bool:
    """Check second derivatives: gradcheck applied to the function that backward computes.

    The checked function maps (inputs, grad_outputs) to the input gradients
    ``autograd.grad(fn(inputs), inputs, grad_outputs, create_graph=True)``. Its Jacobian
    is the second derivative of `fn`, computed by backward-of-backward; finite differences
    of the first derivatives give it independently.

    Args:
        fn, inputs, eps, atol, rtol, raise_exception, fast_mode: as for `gradcheck`.
        grad_outputs: upstream gradients for fn's differentiable outputs (default: random
            values in [-1, 1] that require grad, so they are checked too).

    Example:
        >>> x = minigrad.randn(3, dtype=minigrad.float64, requires_grad=True)
        >>> gradgradcheck(lambda x: x.tanh(), (x,))
        True
    """
    inputs = _as_tuple(inputs)
    if grad_outputs is None:
        rng = np.random.default_rng(0)
        with minigrad.enable_grad():
            outputs = _as_tuple(fn(*inputs))
        grad_outputs = tuple(
            minigrad.tensor(
                rng.uniform(-1, 1, tuple(outputs[j].shape)),
                dtype=outputs[j].dtype,
                device=outputs[j].device,
                requires_grad=True,
            )
            for j in _differentiable(outputs)
        )
    grad_outputs = _as_tuple(grad_outputs)
    count = len(grad_outputs)
    needs_grad = [_needs_grad(x) for x in inputs + grad_outputs]

    def first_derivatives(*args):
        # gradcheck passes perturbed copies that do not require grad; restore the flag.
        args = [x.requires_grad_() if flag else x for x, flag in zip(args, needs_grad)]
        xs, upstream = args[: len(args) - count], args[len(args) - count :]
        outputs = _as_tuple(fn(*xs))
        outputs = [outputs[j] for j in _differentiable(outputs)]
        diff_xs = [x for x in xs if _needs_grad(x)]
        grads = minigrad.autograd.grad(outputs, diff_xs, upstream, create_graph=True, allow_unused=True)
        return tuple(g for g in grads if g is not None)

    return gradcheck(
        first_derivatives,
        inputs + grad_outputs,
        eps=eps,
        atol=atol,
        rtol=rtol,
        raise_exception=raise_exception,
        fast_mode=fast_mode,
    )
