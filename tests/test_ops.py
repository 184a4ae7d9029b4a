"""
Every op, on every device, proven two ways on hypothesis-drawn inputs (broadcasting,
size-1 and size-0 dims included):

1. against PyTorch: values and gradients (random upstream gradient), float64 and float32;
2. against finite differences: gradcheck in float64, and gradgradcheck where the op is
   twice differentiable (random projections, i.e. fast_mode, where noted below).

The table of cases is tests/op_cases.py; a new op needs a row there or
test_every_op_has_a_case fails.
"""

import functools
import math

import numpy as np
import pytest
import torch
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from op_cases import OP_CASES, Example, OpCase

import minigrad
import minigrad.ops
import minigrad.ops.activation
from minigrad.testing import assert_close, compare_with_torch, gradcheck, gradgradcheck

DTYPES = {"float64": (minigrad.float64, torch.float64), "float32": (minigrad.float32, torch.float32)}
# Each op test costs a forward and backward per element (gradcheck), and there are a few
# hundred of them, so they draw a third of the profile's examples: ci 5, dev 10, thorough 166.
OP_EXAMPLES = max(3, settings.default.max_examples // 3)
# `device` is a plain string, so sharing it across examples is safe.
OP_SETTINGS = settings(max_examples=OP_EXAMPLES, suppress_health_check=[HealthCheck.function_scoped_fixture])
# Core bugs these tests found and that are not fixed yet: the case still runs, as a
# non-strict xfail naming the bug. Delete the entry when the bug is fixed.
KNOWN_BUGS: dict[str, str] = {}  # op name -> reason, for a core bug awaiting its fix (non-strict xfail)
GRAD_CASES = [
    pytest.param(case, marks=pytest.mark.xfail(reason=KNOWN_BUGS[case.name], strict=False))
    if case.name in KNOWN_BUGS
    else case
    for case in OP_CASES
    if case.differentiable and case.finite_differences
]


def make_inputs(example: Example, device: str, dtype) -> list:
    """minigrad tensors for an example: float arrays require grad, index arrays do not."""
    inputs = []
    for array in example.arrays:
        if array.dtype.kind == "f":
            inputs.append(minigrad.tensor(array, dtype=dtype, device=device, requires_grad=True))
        else:
            inputs.append(minigrad.tensor(array, device=device))
    return inputs


def check_against_torch(case: OpCase, example: Example, device: str, dtype_name: str) -> None:
    """Outputs and every input gradient equal PyTorch's for the same inputs."""
    minigrad_dtype, _ = DTYPES[dtype_name]
    rtol, atol = case.tol32 if dtype_name == "float32" and case.tol32 else (None, None)
    compare_with_torch(
        functools.partial(case.fn, minigrad, **example.params),
        *make_inputs(example, device, minigrad_dtype),
        torch_fn=functools.partial(case.fn, torch, **example.params),
        grad=case.differentiable,
        rtol=rtol,
        atol=atol,
    )


def check_by_finite_differences(case: OpCase, example: Example, device: str) -> None:
    """gradcheck element by element on the CPU (random projections elsewhere, where each
    element would cost a copy off the device); gradgradcheck always by random projections,
    since its full Jacobian costs a forward and backward per input and output element."""
    fn = functools.partial(case.fn, minigrad, **example.params)
    inputs = make_inputs(example, device, minigrad.float64)
    assert gradcheck(fn, inputs, fast_mode=device != "cpu")
    if case.twice:
        assert gradgradcheck(fn, inputs, fast_mode=True)


@pytest.mark.parametrize("dtype_name", list(DTYPES))
@pytest.mark.parametrize("case", OP_CASES, ids=lambda case: case.name)
@OP_SETTINGS
@given(data=st.data())
def test_op_matches_torch(case: OpCase, dtype_name: str, device: str, data: st.DataObject) -> None:
    check_against_torch(case, data.draw(case.examples, label="example"), device, dtype_name)


@pytest.mark.parametrize("case", GRAD_CASES, ids=lambda case: case.name)
@OP_SETTINGS
@given(data=st.data())
def test_op_gradients_match_finite_differences(case: OpCase, device: str, data: st.DataObject) -> None:
    check_by_finite_differences(case, data.draw(case.examples, label="example"), device)


ALL_OPS = set(minigrad.ops.__all__) | set(minigrad.ops.activation.__all__)  # (activations: nn.functional's)


def test_every_op_has_a_case() -> None:
    covered = {name for case in OP_CASES for name in case.covers}
    missing = sorted(ALL_OPS - covered)
    assert not missing, f"ops with no case in tests/op_cases.py: {missing}"


def test_every_case_names_a_real_op() -> None:
    unknown = sorted({name for case in OP_CASES for name in case.covers} - ALL_OPS)
    assert not unknown, f"cases in tests/op_cases.py cover ops minigrad.ops does not export: {unknown}"


def test_case_names_are_unique() -> None:
    names = [case.name for case in OP_CASES]
    assert len(names) == len(set(names))


@pytest.mark.parametrize(
    "call",
    [
        lambda lib: lib.tensor([0, 1, -1, 2, -2, -1, 3]) ** lib.tensor([-1, -1, -1, -2, -3, -2, 2]),
        lambda lib: lib.tensor([1, 5]).clamp(min=2.5),
        lambda lib: lib.tensor([1, 5], dtype=lib.int32).clamp(max=2.5),
        lambda lib: lib.tensor([1, 5]).clamp(min=2),
        lambda lib: lib.tensor([1.0, 2**70]),
    ],
)
def test_integer_edge_cases_give_pytorchs_values_and_dtypes(call) -> None:
    """Negative integer powers (0, or ±1 for a base of ±1), clamp of integers by a float bound
    (floats), and floats beside an int too big for int64: as torch computes them."""
    ours, theirs = call(minigrad), call(torch)
    assert str(ours.dtype).split(".")[-1] == str(theirs.dtype).split(".")[-1]
    assert ours.tolist() == theirs.tolist()


@pytest.mark.parametrize(
    "key",
    [
        (0, slice(None), [1, 2]),
        (slice(None), 1, [0, 1]),
        (1, [0, 1], slice(None)),
        (Ellipsis, 0, [1, 2]),
        (0, [[0, 1]], slice(1, 3)),
        (0, Ellipsis, [1]),
        (1, None, [True, False, True]),
    ],
)
def test_integers_with_index_lists_select_first_as_in_pytorch(key) -> None:
    """x[0, :, [1, 2]]: PyTorch takes the integer as a select and then the list, so the result is
    (3, 2), where NumPy's rule gives (2, 3). Reading, writing and both gradients follow it."""
    values = np.arange(24.0, dtype=np.float32).reshape(2, 3, 4)
    results = []
    for lib in (minigrad, torch):
        key_here = tuple(lib.tensor(k) if isinstance(k, list) else k for k in key)
        x = lib.tensor(values, requires_grad=True)
        picked = x[key_here]
        value = lib.arange(float(picked.numel())).reshape(picked.shape).requires_grad_()
        written = x * 1
        written[key_here] = value
        (written * lib.tensor(values)).sum().backward()
        results.append([picked.detach().numpy(), written.detach().numpy(), x.grad.numpy(), value.grad.numpy()])
    for ours, theirs in zip(*results):
        np.testing.assert_array_equal(ours, theirs)


@pytest.mark.parametrize("p", [2, 1, 0, 3, 1.5, 0.5, -1, math.inf, -math.inf, "fro"])
@pytest.mark.parametrize("dim, keepdim", [(None, False), (1, False), ((0, 1), True), (0, True)])
def test_norm_where_the_norm_or_an_element_is_zero_is_pytorchs(p, dim, keepdim) -> None:
    """A zero row has norm 0 and, as in PyTorch, gradient 0 (not 0/0 = nan); so does a zero
    element for p < 1; ties of the largest |x| share p = inf's gradient; p = 0 has none."""
    values = np.array([[0.0, 2.0, -2.0], [0.0, 0.0, 0.0], [1.0, -3.0, 3.0]])
    results = []
    for lib in (minigrad, torch):
        x = lib.tensor(values, requires_grad=True)
        y = x.norm(p, dim, keepdim)
        y.backward(lib.tensor(np.arange(1.0, y.numel() + 1).reshape(tuple(y.shape))))
        results.append((y, x.grad))
    (ours, our_grad), (theirs, their_grad) = results
    assert_close(ours, theirs)
    assert (our_grad is None) == (their_grad is None)
    if their_grad is not None:
        assert_close(our_grad, their_grad)


@pytest.mark.parametrize("name", ["softmax", "log_softmax"])
@pytest.mark.parametrize("shape, dim", [((0,), 0), ((2, 0), 1), ((2, 0), -1), ((0, 3), 1), ((2, 0), 0)])
@pytest.mark.parametrize("dtype", ["float32", "float64"])
def test_softmax_of_an_empty_tensor_is_pytorchs(name, shape, dim, dtype) -> None:
    """An empty tensor has an empty softmax and an empty gradient (PyTorch's float32 kernel path
    is for rows with numbers in them)."""
    results = []
    for lib in (minigrad, torch):
        x = lib.zeros(shape, dtype=getattr(lib, dtype), requires_grad=True)
        y = getattr(lib, name)(x, dim)
        y.sum().backward()
        results.append((y, x.grad))
    (ours, our_grad), (theirs, their_grad) = results
    assert_close(ours, theirs)
    assert_close(our_grad, their_grad)


CLAMP_BY_TENSORS = [
    ("clamp both", lambda lib, x, low, high: x.clamp(low, high)),
    ("clamp min", lambda lib, x, low, high: x.clamp(min=low)),
    ("clamp max", lambda lib, x, low, high: lib.clamp(x, max=high)),
    ("clamp_min", lambda lib, x, low, high: lib.clamp_min(x, low)),
    ("clamp_max", lambda lib, x, low, high: x.clamp_max(high)),
    ("row bounds", lambda lib, x, low, high: x.reshape(7, 1).clamp(low[:3], high[:3])),
    ("float64 bounds", lambda lib, x, low, high: x.clamp(low.double(), high.double())),
]


@pytest.mark.parametrize("call", [f for _, f in CLAMP_BY_TENSORS], ids=[n for n, _ in CLAMP_BY_TENSORS])
def test_clamp_by_tensors_is_pytorchs_at_ties_nan_and_crossed_bounds(call) -> None:
    """Tensor bounds: x's gradient where low <= x <= high (ties included, not split as maximum's),
    low's where x < low < high, high's where x > high or high < low; the node names are PyTorch's."""
    values = [1.5, -2.0, 0.5, 1.0, 0.0, 0.6, math.nan]
    lows, highs = [0.0, 0.0, 0.6, 0.0, 0.0, 2.0, 0.0], [1.0, -3.0, 1.0, 1.0, 1.0, 1.0, 1.0]
    results = []
    for lib in (minigrad, torch):
        x, low, high = (lib.tensor(v, requires_grad=True) for v in (values, lows, highs))
        y = call(lib, x, low, high)
        y.backward(lib.arange(1.0, y.numel() + 1).reshape(y.shape).to(y.dtype))
        results.append((y, y.grad_fn.name(), [t.grad for t in (x, low, high)]))
    (ours, our_node, our_grads), (theirs, their_node, their_grads) = results
    assert our_node == their_node
    assert_close(ours, theirs, equal_nan=True)
    for our_grad, their_grad in zip(our_grads, their_grads):
        assert (our_grad is None) == (their_grad is None)
        if their_grad is not None:
            assert_close(our_grad, their_grad)
