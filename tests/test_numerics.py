"""
Numerics against PyTorch: stability for large inputs, no overflow warnings, and NaN/inf
propagation through values and gradients.

  * softmax and log_softmax of ±1e4 are finite where PyTorch's are, and equal to PyTorch's;
  * sigmoid and tanh of huge inputs raise no warning (warnings are errors in this module), and
    minigrad never leaves NumPy's error state changed (`np.errstate` does not leak);
  * for every elementwise op, reduction and matmul, inputs holding nan, ±inf, ±0 give the same
    values and the same gradients as PyTorch (compared with equal_nan; inf must match inf).

Where an op *creates* a nan or an inf from ordinary inputs (inf - inf, 0 · inf, sin(inf)),
NumPy emits a RuntimeWarning and PyTorch is silent. The ops whose ordinary inputs overflow (exp,
log, sqrt, div, pow) run under `np.errstate`; for add, mul, sum and matmul an errstate per call
would cost more than the op itself, so a warnings filter scoped to minigrad's modules silences
them instead (backend.py). A test that turns every warning into an error goes around that
filter, so the propagation tests below ignore NumPy's RuntimeWarning (and only that); a script
run as a student runs it, with `-W error`, shows none (test_scripts_see_no_numpy_warnings).
"""

from __future__ import annotations

import contextlib
import math
import subprocess
import sys
import warnings

import numpy as np
import pytest

import minigrad

torch = pytest.importorskip("torch")

# NumPy's floating-point RuntimeWarnings: "invalid value / overflow / divide by zero encountered in ..."
NUMPY_FP_WARNING = r"(invalid value|overflow|divide by zero|underflow) encountered"

SPECIAL = [float("nan"), float("inf"), -float("inf"), 0.0, -0.0, 1.0, -2.5, 3.0]


def to_numpy(t):
    return t.detach().cpu().numpy() if isinstance(t, torch.Tensor) else minigrad.backend.to_numpy(t.detach()._array)


def assert_same(actual, expected, rtol=1e-7, atol=0.0):
    """Same shape, and values equal up to rounding, nan where PyTorch has nan, inf where it has inf."""
    actual, expected = to_numpy(actual), to_numpy(expected)
    assert actual.shape == expected.shape
    np.testing.assert_allclose(actual, expected, rtol=rtol, atol=atol, equal_nan=True)


def run_both(fn, *arrays, dtype="float64", seed=0):
    """fn on minigrad and on torch, from the same arrays; returns (outputs, input grads) for each.

    The upstream gradient is random (never ones), so a backward that drops grad_output is caught.
    """
    upstream = None
    results = []
    for lib in (minigrad, torch):
        inputs = [lib.tensor(a, dtype=getattr(lib, dtype), requires_grad=True) for a in arrays]
        out = fn(lib, *inputs)
        if upstream is None:
            upstream = np.random.default_rng(seed).standard_normal(tuple(out.shape))
        grads = lib.autograd.grad(out, inputs, lib.tensor(upstream, dtype=getattr(lib, dtype)), allow_unused=True)
        results.append((out, grads))
    return results


@contextlib.contextmanager
def warnings_are_errors(allow_numpy_fp_warnings=False):
    """Every warning raises, except NumPy's floating-point ones where they are allowed (see above)."""
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        if allow_numpy_fp_warnings:
            warnings.filterwarnings("ignore", message=NUMPY_FP_WARNING, category=RuntimeWarning)
        yield


def check_against_torch(fn, *arrays, dtype="float64", rtol=1e-7, atol=0.0, allow_numpy_fp_warnings=False):
    """Values and gradients equal to PyTorch's, with no warning from minigrad (or torch)."""
    with warnings_are_errors(allow_numpy_fp_warnings):
        (m_out, m_grads), (t_out, t_grads) = run_both(fn, *arrays, dtype=dtype)
    assert_same(m_out, t_out, rtol=rtol, atol=atol)
    for m_grad, t_grad in zip(m_grads, t_grads):
        if t_grad is None:
            assert m_grad is None or not to_numpy(m_grad).any()
        else:
            assert_same(m_grad, t_grad, rtol=rtol, atol=atol)


# ---- stability for large inputs ----

LARGE = [
    [1e4, -1e4, 0.0],
    [1e4, 1e4 + 1, 1e4 - 1],
    [-1e4, -1e4 - 1, -1e4 + 2],
    [1e4, 1e4, 1e4],
    [88.8, 89.0, -103.0],  # around float32's exp overflow and underflow
]


@pytest.mark.parametrize("dtype", ["float32", "float64"])
@pytest.mark.parametrize("name", ["softmax", "log_softmax"])
def test_softmax_family_is_stable_for_large_inputs(name, dtype):
    rtol = 1e-5 if dtype == "float32" else 1e-10
    check_against_torch(lambda lib, x: getattr(x, name)(dim=1), np.array(LARGE), dtype=dtype, rtol=rtol)
    m_out = getattr(minigrad.tensor(LARGE), name)(dim=1)
    assert np.isfinite(to_numpy(m_out)).all()


@pytest.mark.parametrize("dtype", ["float32", "float64"])
def test_logsumexp_is_stable_for_large_inputs(dtype):
    # PyTorch's backward is exp(x - result) with the result rounded to float32 near 1e4 (ulp 1e-3),
    # so its float32 gradient is itself off by up to ~1e-3 (relative); minigrad's is exact there.
    rtol = 2e-3 if dtype == "float32" else 1e-12
    check_against_torch(lambda lib, x: x.logsumexp(dim=1), np.array(LARGE), dtype=dtype, rtol=rtol)


def test_log_softmax_of_a_row_with_minus_inf_is_like_torch():
    rows = np.array([[-np.inf, 0.0, 1.0], [-np.inf, -np.inf, -np.inf]])
    for name in ["softmax", "log_softmax"]:  # an all -inf row is nan in both: -inf - (-inf)
        with warnings_are_errors(allow_numpy_fp_warnings=True):
            m = getattr(minigrad.tensor(rows), name)(1)
        t = getattr(torch.tensor(rows), name)(1)
        assert_same(m, t)


HUGE = [-1e4, -800.0, -100.0, -88.8, -20.0, -1e-8, 0.0, 1e-8, 20.0, 88.8, 100.0, 800.0, 1e4]


@pytest.mark.parametrize("dtype", ["float32", "float64"])
@pytest.mark.parametrize("name", ["sigmoid", "tanh", "exp", "relu"])
def test_activations_raise_no_overflow_warning(name, dtype):
    """Warnings are errors here: a NumPy overflow warning fails the test."""
    rtol = 1e-6 if dtype == "float32" else 1e-12
    atol = np.finfo(dtype).tiny  # PyTorch flushes float32 sigmoid(-100) to 0; minigrad keeps the denormal
    check_against_torch(lambda lib, x: getattr(x, name)(), np.array(HUGE), dtype=dtype, rtol=rtol, atol=atol)


@pytest.mark.parametrize("name", ["sigmoid", "tanh"])
def test_saturated_activations_are_exact(name):
    x = minigrad.tensor([-1e4, 1e4])
    expected = {"sigmoid": [0.0, 1.0], "tanh": [-1.0, 1.0]}[name]
    assert getattr(x, name)().tolist() == expected


def test_numpy_error_state_does_not_leak():
    before = np.geterr()
    x = minigrad.tensor([0.0, 1e4, -1e4, 1.0], requires_grad=True)
    with warnings_are_errors(allow_numpy_fp_warnings=True):  # inf + -inf below: see the module's note
        y = (x.exp() + (1 / x) + x.log() + x.sqrt() + x.sigmoid() + x**-2.0 + 2.0**x).sum()
        y.backward()
    with pytest.raises(RuntimeError):
        minigrad.ones(2) / minigrad.ones(3)  # an error inside an op that silences NumPy
    assert np.geterr() == before


# ---- NaN and inf propagation: values and gradients as in PyTorch ----


def _pairs():
    """Every pair of special values: x and y of shape (64,)."""
    x, y = np.meshgrid(SPECIAL, SPECIAL, indexing="ij")
    return x.ravel(), y.ravel()


# Known differences from PyTorch, each a test marked xfail (strict: fixing one makes it fail loudly)
KNOWN_DIFFERENCES: dict[str, str] = {}


def known(name):
    if name in KNOWN_DIFFERENCES:
        return pytest.param(name, marks=pytest.mark.xfail(reason=KNOWN_DIFFERENCES[name], strict=True))
    return name


UNARY = {
    "neg": lambda lib, x: -x,
    "exp": lambda lib, x: x.exp(),
    "log": lambda lib, x: x.log(),
    "sqrt": lambda lib, x: x.sqrt(),
    "abs": lambda lib, x: x.abs(),
    "sin": lambda lib, x: x.sin(),
    "cos": lambda lib, x: x.cos(),
    "tanh": lambda lib, x: x.tanh(),
    "sigmoid": lambda lib, x: x.sigmoid(),
    "relu": lambda lib, x: x.relu(),
    "square": lambda lib, x: x**2,
    "pow-half": lambda lib, x: x**0.5,
    "pow-minus-one": lambda lib, x: x**-1.0,
    "reciprocal": lambda lib, x: x.reciprocal(),
    "clamp": lambda lib, x: x.clamp(-1.0, 1.0),
    "scalar-mul": lambda lib, x: x * 2.0,
    "scalar-div": lambda lib, x: 1.0 / x,
    "scalar-rpow": lambda lib, x: 2.0**x,
}

BINARY = {
    "add": lambda lib, x, y: x + y,
    "sub": lambda lib, x, y: x - y,
    "mul": lambda lib, x, y: x * y,
    "div": lambda lib, x, y: x / y,
    "pow": lambda lib, x, y: x**y,
    "maximum": lambda lib, x, y: lib.maximum(x, y),
    "minimum": lambda lib, x, y: lib.minimum(x, y),
    "where": lambda lib, x, y: lib.where(x > y, x, y),
}

ROWS = np.array(
    [
        [np.nan, 1.0, 2.0],
        [np.inf, 1.0, 2.0],
        [-np.inf, 1.0, 2.0],
        [np.inf, -np.inf, 1.0],
        [np.inf, np.inf, 1.0],
        [np.nan, np.inf, -np.inf],
        [1.0, 3.0, 3.0],
        [0.0, -0.0, -1.0],
    ]
)

REDUCTIONS = {
    "sum": lambda lib, x: x.sum(),
    "sum-dim": lambda lib, x: x.sum(1),
    "mean": lambda lib, x: x.mean(),
    "mean-dim": lambda lib, x: x.mean(1),
    "max": lambda lib, x: x.max(),
    "min": lambda lib, x: x.min(),
    "max-dim": lambda lib, x: x.max(1).values,
    "min-dim": lambda lib, x: x.min(1).values,
    "amax": lambda lib, x: x.amax(1),
    "var-dim": lambda lib, x: x.var(1),
    "softmax": lambda lib, x: x.softmax(1),
    "log_softmax": lambda lib, x: x.log_softmax(1),
    "logsumexp": lambda lib, x: x.logsumexp(1),
}


@pytest.mark.parametrize("name", [known(name) for name in UNARY])
def test_unary_ops_propagate_nan_and_inf_like_torch(name):
    check_against_torch(UNARY[name], np.array(SPECIAL), allow_numpy_fp_warnings=True)


@pytest.mark.parametrize("name", [known(name) for name in BINARY])
def test_binary_ops_propagate_nan_and_inf_like_torch(name):
    check_against_torch(BINARY[name], *_pairs(), allow_numpy_fp_warnings=True)


@pytest.mark.parametrize("name", [known(name) for name in REDUCTIONS])
def test_reductions_propagate_nan_and_inf_like_torch(name):
    if name in ("max", "min"):  # one row at a time: a full reduction over all rows is all nan
        for row in ROWS:
            check_against_torch(REDUCTIONS[name], row[None, :], allow_numpy_fp_warnings=True)
    else:
        check_against_torch(REDUCTIONS[name], ROWS, allow_numpy_fp_warnings=True)


@pytest.mark.parametrize("which", ["left", "right"])
def test_matmul_propagates_nan_and_inf_like_torch(which):
    special = ROWS[:, :3]  # (8, 3) with nan and inf
    plain = np.arange(6.0).reshape(3, 2) - 2.0  # holds a 0, so 0 · inf appears
    if which == "left":
        check_against_torch(lambda lib, a, b: a @ b, special, plain, allow_numpy_fp_warnings=True)
    else:
        check_against_torch(lambda lib, a, b: a @ b, plain.T, special.T, allow_numpy_fp_warnings=True)


def test_nan_gradient_reaches_the_leaf_like_torch():
    """A nan in the upstream path reaches .grad through backward() as in PyTorch (no masking)."""
    grads = []
    for lib in (minigrad, torch):
        x = lib.tensor([1.0, 0.0, -1.0], requires_grad=True)
        with warnings_are_errors(allow_numpy_fp_warnings=True):
            (x.log() * x).sum().backward()  # d/dx x·log x = log x + 1: nan at -1, -inf at 0
        grads.append(to_numpy(x.grad))
    np.testing.assert_array_equal(*grads)


NUMPY_WARNINGS_SCRIPT = """
import numpy as np
import minigrad

inf = minigrad.tensor([float("inf"), 1.0, 0.0], requires_grad=True)
values = [inf * 0, inf - inf, inf / 0, (inf * 1e38) * 10, inf.sin(), inf @ inf, (inf * 0).sum()]
(inf * 0).sum().backward()
print(len(values), inf.grad.tolist())
np.array([np.inf]) * 0  # the user's own NumPy code: its warning must still come
"""


def test_scripts_see_no_numpy_warnings():
    """A script's minigrad ops that create nan or inf are silent, as PyTorch's (even under -W error),
    while the script's own NumPy code still warns."""
    done = subprocess.run(
        [sys.executable, "-W", "error", "-c", NUMPY_WARNINGS_SCRIPT], capture_output=True, text=True, timeout=120
    )
    assert done.stdout == "7 [0.0, 0.0, 0.0]\n", done.stderr
    assert "RuntimeWarning: invalid value encountered in multiply" in done.stderr
    assert done.stderr.count("Warning") == 1, done.stderr  # only the user's NumPy line


ACTIVATION_POINTS = [-3.0, -1.0, -0.5, -0.0, 0.0, 0.5, 1.0, 3.0, 6.0, 20.0, -20.0, 1e-8, math.nan, math.inf, -math.inf]
ACTIVATIONS = {
    "relu": lambda functional, x: functional.relu(x),
    "leaky_relu": lambda functional, x: functional.leaky_relu(x, 0.1),
    "elu": lambda functional, x: functional.elu(x),
    "selu": lambda functional, x: functional.selu(x),
    "celu": lambda functional, x: functional.celu(x, 0.5),
    "gelu_tanh": lambda functional, x: functional.gelu(x, approximate="tanh"),
    "silu": lambda functional, x: functional.silu(x),
    "mish": lambda functional, x: functional.mish(x),
    "softplus": lambda functional, x: functional.softplus(x),
    "softplus_beta": lambda functional, x: functional.softplus(x, beta=2.0, threshold=5.0),
    "hardtanh": lambda functional, x: functional.hardtanh(x),
    "relu6": lambda functional, x: functional.relu6(x),
    "hardsigmoid": lambda functional, x: functional.hardsigmoid(x),
    "hardswish": lambda functional, x: functional.hardswish(x),
    "logsigmoid": lambda functional, x: functional.logsigmoid(x),
    "sigmoid": lambda functional, x: functional.sigmoid(x),
    "tanh": lambda functional, x: functional.tanh(x),
}


@pytest.mark.parametrize("activation", list(ACTIVATIONS.values()), ids=list(ACTIVATIONS))
def test_activations_and_their_gradients_at_edges_nan_and_inf_are_pytorchs(activation):
    """At their kinks (0, ±1, 6, ±3), at ±0, huge, nan and ±inf: PyTorch's values and gradients
    (a nan input takes whichever side PyTorch's comparison sends it to)."""
    results = []
    for lib in (minigrad, torch):
        x = lib.tensor(ACTIVATION_POINTS, requires_grad=True)
        y = activation(lib.nn.functional, x)
        y.backward(lib.ones_like(y))
        results.append((to_numpy(y.detach()), to_numpy(x.grad)))
    (ours, our_grad), (theirs, their_grad) = results
    np.testing.assert_allclose(ours, theirs, rtol=1e-6, atol=1e-7, equal_nan=True)
    np.testing.assert_allclose(our_grad, their_grad, rtol=1e-6, atol=1e-7, equal_nan=True)
