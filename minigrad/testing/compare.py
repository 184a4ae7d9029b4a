"""
Comparing numbers: `assert_close` (torch.testing.assert_close's rules and report) and
`compare_with_torch`, which runs one function on minigrad and on PyTorch and compares the
outputs and every input gradient. Start with `compare_with_torch`; it is what a user
checking a new op calls.
"""

import functools
import math
import sys
from collections.abc import Callable, Sequence
from typing import Any

import numpy as np

import minigrad
from minigrad import backend

# torch.testing.assert_close's default tolerances, (rtol, atol) by dtype name.
# Integer and bool dtypes are compared exactly.
DEFAULT_TOLERANCES = {
    "float16": (1e-3, 1e-5),
    "bfloat16": (1.6e-2, 1e-5),
    "float32": (1.3e-6, 1e-5),
    "float64": (1e-7, 1e-7),
}


# ---- turning anything tensor-like into (numpy array, dtype name, device name) ----


def _torch_module():
    """PyTorch if it is already imported, else None: a torch tensor can only exist then."""
    return sys.modules.get("torch")


def _is_torch_tensor(value: Any) -> bool:
    torch = _torch_module()
    return torch is not None and isinstance(value, torch.Tensor)


def _dtype_name(dtype: Any) -> str:
    """'float32' for minigrad.float32, torch.float32 and np.dtype('float32') alike."""
    if isinstance(dtype, np.dtype):
        return dtype.name
    return str(dtype).rsplit(".", 1)[-1]


def _unpack(value: Any) -> tuple[np.ndarray, str, str, bool]:
    """(host array, dtype name, device name, is_scalar) for a tensor, array or number."""
    if isinstance(value, minigrad.Tensor):
        array = np.asarray(backend.to_numpy(value.detach()._array))
        return array, _dtype_name(value.dtype), str(value.device), False
    if _is_torch_tensor(value):
        array = value.detach().cpu().numpy()
        return array, _dtype_name(value.dtype), str(value.device), False
    if isinstance(value, np.ndarray | np.generic):
        array = np.asarray(value)
        return array, array.dtype.name, "cpu", False
    if isinstance(value, bool | int | float):
        array = np.asarray(value)
        return array, array.dtype.name, "cpu", True
    raise TypeError(f"assert_close expects tensors, numpy arrays or numbers, got {type(value).__name__}")


def _tolerances(dtype_names: Sequence[str]) -> tuple[float, float]:
    """The loosest default tolerances among the dtypes compared (PyTorch's rule)."""
    pairs = [DEFAULT_TOLERANCES.get(name, (0.0, 0.0)) for name in dtype_names]
    return max(rtol for rtol, _ in pairs), max(atol for _, atol in pairs)


# ---- assert_close ----


def assert_close(
    actual: Any,
    expected: Any,
    *,
    rtol: float | None = None,
    atol: float | None = None,
    equal_nan: bool = False,
    check_device: bool = True,
    check_dtype: bool = True,
    msg: str | None = None,
) -> None:
    """Assert that `actual` and `expected` are close, with torch.testing.assert_close's rules.

    Checks shape, then dtype, then device, then values: each element must satisfy
    ``|actual - expected| <= atol + rtol * |expected|``. Default tolerances depend on the
    dtype (float32: rtol=1.3e-6, atol=1e-5; float64: rtol=1e-7, atol=1e-7; integers and
    bools: exact). Pass both `rtol` and `atol` or neither.

    Args:
        actual, expected: minigrad tensors, torch tensors, numpy arrays or Python numbers.
        rtol, atol: relative and absolute tolerance.
        equal_nan: whether two NaNs in the same place count as equal.
        check_device: compare devices ("cpu", "strict", ...) too.
        check_dtype: compare dtypes by name (minigrad.float32 equals torch.float32).
        msg: text put in front of the report.

    Raises:
        AssertionError: with a report naming the mismatched elements and the greatest
            absolute and relative differences with their index.

    Example:
        >>> assert_close(minigrad.tensor([1.0, 2.0]), np.array([1.0, 2.0], dtype="float32"))
    """
    if (rtol is None) != (atol is None):
        raise ValueError("Both 'rtol' and 'atol' must be either specified or omitted")
    actual_array, actual_dtype, actual_device, actual_scalar = _unpack(actual)
    expected_array, expected_dtype, expected_device, expected_scalar = _unpack(expected)
    prefix = f"{msg}\n\n" if msg else ""

    def fail(text: str) -> None:
        raise AssertionError(prefix + text)

    scalars = actual_scalar and expected_scalar
    if not (actual_scalar or expected_scalar) or scalars:
        if actual_array.shape != expected_array.shape:
            fail(f"The values for attribute 'shape' do not match: {actual_array.shape} != {expected_array.shape}.")
        if check_dtype and actual_dtype != expected_dtype and not scalars:
            fail(f"The values for attribute 'dtype' do not match: {actual_dtype} != {expected_dtype}.")
        if check_device and actual_device != expected_device:
            fail(f"The values for attribute 'device' do not match: {actual_device} != {expected_device}.")
    elif actual_array.size != 1 or expected_array.size != 1:
        # A number compared with a tensor: the tensor must hold exactly one value.
        fail(f"Cannot compare a number with a tensor of shape {actual_array.shape or expected_array.shape}.")

    if rtol is None:
        rtol, atol = _tolerances([actual_dtype, expected_dtype])
    report = _mismatch_report(actual_array, expected_array, rtol, atol, equal_nan)
    if report:
        fail(report)


def _mismatch_report(actual: np.ndarray, expected: np.ndarray, rtol: float, atol: float, equal_nan: bool) -> str:
    """An empty string if every element is close, else PyTorch's style of report."""
    exact = rtol == 0 and atol == 0
    if actual.dtype == np.bool_ or expected.dtype == np.bool_:
        actual, expected = actual.astype(np.int64), expected.astype(np.int64)
    use_float = not exact or actual.dtype.kind == "f" or expected.dtype.kind == "f"
    a = actual.astype(np.float64) if use_float else actual.astype(np.int64)
    e = expected.astype(np.float64) if use_float else expected.astype(np.int64)
    a, e = np.broadcast_arrays(a, e)
    with np.errstate(invalid="ignore", over="ignore"):
        close = np.isclose(a, e, rtol=rtol, atol=atol, equal_nan=equal_nan) if use_float else a == e
    if close.all():
        return ""

    with np.errstate(invalid="ignore", divide="ignore", over="ignore"):
        abs_diff = np.abs(a - e).astype(np.float64)
        rel_diff = abs_diff / np.abs(e)
    # NaN != NaN counts as the largest difference, so the report points at it.
    abs_diff = np.where(close, 0.0, np.nan_to_num(abs_diff, nan=np.inf))
    rel_diff = np.where(close, 0.0, np.nan_to_num(rel_diff, nan=np.inf))
    worst_abs = np.unravel_index(np.argmax(abs_diff), a.shape)
    worst_rel = np.unravel_index(np.argmax(rel_diff), a.shape)

    def show(number: float) -> str:
        return str(int(number)) if not use_float and math.isfinite(number) else str(float(number))

    mismatched = int((~close).sum())
    total = close.size
    if a.ndim == 0:
        return (
            f"Scalars are not {'equal' if exact else 'close'}!\n\n"
            f"Expected {e.item()} but got {a.item()}.\n"
            f"Absolute difference: {show(abs_diff.item())} (up to {atol} allowed)\n"
            f"Relative difference: {float(rel_diff.item())} (up to {rtol} allowed)"
        )
    allowed_abs = "" if exact else f" (up to {atol} allowed)"
    allowed_rel = "" if exact else f" (up to {rtol} allowed)"
    return (
        f"Tensor-likes are not {'equal' if exact else 'close'}!\n\n"
        f"Mismatched elements: {mismatched} / {total} ({100 * mismatched / total:.1f}%)\n"
        f"Greatest absolute difference: {show(abs_diff[worst_abs])} at index "
        f"{tuple(int(i) for i in worst_abs)}{allowed_abs}\n"
        f"Greatest relative difference: {float(rel_diff[worst_rel])} at index "
        f"{tuple(int(i) for i in worst_rel)}{allowed_rel}\n"
        f"(actual {a[worst_abs].item()}, expected {e[worst_abs].item()} at the first index)"
    )


# ---- compare_with_torch ----


def _flatten(outputs: Any) -> list[Any]:
    """A function's result as a flat list: one tensor, or nested tuples/lists of them."""
    if isinstance(outputs, tuple | list):
        return [leaf for item in outputs for leaf in _flatten(item)]
    return [outputs]


def _to_torch(value: Any, torch: Any) -> Any:
    """A torch copy of a minigrad tensor (via numpy), keeping dtype and requires_grad."""
    if isinstance(value, minigrad.Tensor):
        array = np.array(backend.to_numpy(value.detach()._array), copy=True)
        return torch.from_numpy(array).requires_grad_(value.requires_grad)
    if isinstance(value, list | tuple):
        return type(value)(_to_torch(item, torch) for item in value)
    return value


def _is_float(dtype: Any) -> bool:
    return _dtype_name(dtype).startswith(("float", "bfloat"))


def compare_with_torch(
    fn: Callable[..., Any],
    *inputs: Any,
    torch_fn: Callable[..., Any] | None = None,
    rtol: float | None = None,
    atol: float | None = None,
    grad: bool = True,
    equal_nan: bool = False,
    seed: int = 0,
) -> None:
    """Run `fn` on minigrad tensors and on PyTorch copies of them; assert that outputs and
    every input gradient agree.

    Because minigrad mirrors PyTorch, one function written with tensor methods and
    operators serves both libraries. If it needs functional forms (``minigrad.cat`` vs
    ``torch.cat``), pass the torch version as `torch_fn`.

    Gradients are taken with a random upstream gradient (not ones), so a backward that
    ignores its ``grad_output`` is caught. Every mismatch is collected into one report.

    Args:
        fn: maps the inputs to a tensor or a (nested) tuple/list of tensors.
        *inputs: minigrad tensors (any device; those with requires_grad are
            differentiated) or plain Python values passed through unchanged.
        torch_fn: the PyTorch version of `fn` (default: `fn` itself).
        rtol, atol: tolerances (default: assert_close's, by dtype).
        grad: also compare gradients of every input that requires grad.
        equal_nan: count NaN == NaN as equal.
        seed: seed of the random upstream gradients.

    Raises:
        AssertionError: listing each output and gradient that differs.

    Example:
        >>> x = minigrad.randn(3, 4, dtype=minigrad.float64, requires_grad=True)
        >>> compare_with_torch(lambda x: (x * x).sum(dim=1).sqrt(), x)
    """
    import torch  # imported here so minigrad itself never needs PyTorch

    torch_fn = torch_fn or fn
    torch_inputs = [_to_torch(value, torch) for value in inputs]
    with torch.enable_grad(), minigrad.enable_grad():
        ours = _flatten(fn(*inputs))
        theirs = _flatten(torch_fn(*torch_inputs))
    close = functools.partial(assert_close, rtol=rtol, atol=atol, equal_nan=equal_nan, check_device=False)
    problems: list[str] = []

    def check(what: str, actual: Any, expected: Any) -> None:
        try:
            close(actual, expected)
        except AssertionError as error:
            problems.append(f"{what}: {error}")

    if len(ours) != len(theirs):
        raise AssertionError(f"minigrad gave {len(ours)} outputs, torch gave {len(theirs)}")
    for index, (mine, reference) in enumerate(zip(ours, theirs)):
        check(f"output {index}", mine, reference)

    if grad:
        _compare_gradients(inputs, torch_inputs, ours, theirs, seed, check, problems)
    if problems:
        raise AssertionError("minigrad and torch disagree\n\n" + "\n\n".join(problems))


def _compare_gradients(inputs, torch_inputs, ours, theirs, seed, check, problems) -> None:
    """Backpropagate the same random upstream gradient through both results."""
    import torch

    leaves = [i for i, value in enumerate(inputs) if isinstance(value, minigrad.Tensor) and value.requires_grad]
    if not leaves:
        return
    pairs = []
    for index, (mine, reference) in enumerate(zip(ours, theirs)):
        if not isinstance(mine, minigrad.Tensor):
            continue
        if mine.requires_grad != reference.requires_grad:
            problems.append(
                f"output {index}: requires_grad is {mine.requires_grad} in minigrad, {reference.requires_grad} in torch"
            )
        elif mine.requires_grad and _is_float(mine.dtype):
            pairs.append((mine, reference))
    if not pairs:
        return

    rng = np.random.default_rng(seed)
    upstream = [rng.standard_normal(tuple(reference.shape)) for _, reference in pairs]
    torch_grads = torch.autograd.grad(
        [reference for _, reference in pairs],
        [torch_inputs[i] for i in leaves],
        [torch.from_numpy(u).to(reference.dtype) for u, (_, reference) in zip(upstream, pairs)],
        allow_unused=True,
    )
    our_grads = minigrad.autograd.grad(
        [mine for mine, _ in pairs],
        [inputs[i] for i in leaves],
        [minigrad.tensor(u, dtype=mine.dtype, device=mine.device) for u, (mine, _) in zip(upstream, pairs)],
        allow_unused=True,
    )
    for i, mine, reference in zip(leaves, our_grads, torch_grads):
        # An unused input gets None in one library and may get zeros in the other.
        if mine is None and reference is None:
            continue
        if mine is None:
            mine = np.zeros(tuple(reference.shape), dtype=reference.detach().numpy().dtype)
        if reference is None:
            reference = np.zeros(tuple(mine.shape), dtype=_dtype_name(mine.dtype))
        check(f"gradient of input {i}", mine, reference)
