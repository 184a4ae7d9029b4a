"""
Shared test set-up: the `device` fixture every op/nn/optim test is parametrised over, the
hypothesis profiles, and the rule that PyTorch cross-checks never skip silently in CI.
"""

from __future__ import annotations

import os

import numpy as np
import pytest
from hypothesis import HealthCheck, settings

import minigrad
from minigrad import backend

# ---- PyTorch is a test dependency: in CI its absence is a failure, not a skip ----

try:
    import torch  # noqa: F401

    HAVE_TORCH = True
except ImportError:  # pragma: no cover - depends on the environment
    HAVE_TORCH = False
    if os.environ.get("CI"):
        raise RuntimeError(
            "PyTorch is required in CI for the cross-checks: pip install -e '.[test]' (torch==2.13.0)"
        ) from None

# ---- hypothesis profiles: HYPOTHESIS_PROFILE=ci|dev|thorough ----

settings.register_profile(
    "ci",
    max_examples=15,
    derandomize=True,
    deadline=None,
    print_blob=True,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
settings.register_profile("dev", max_examples=30, deadline=None, suppress_health_check=[HealthCheck.too_slow])
settings.register_profile("thorough", max_examples=500, deadline=None, suppress_health_check=[HealthCheck.too_slow])
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "dev"))


# ---- devices ----


def _strict_available() -> bool:
    try:
        import array_api_strict  # noqa: F401

        return True
    except ImportError:
        return False


DEVICES = [
    "cpu",
    pytest.param(
        "strict",
        marks=pytest.mark.skipif(
            not _strict_available() and not os.environ.get("CI"),
            reason="array-api-strict is not installed (pip install -e '.[test]')",
        ),
    ),
    pytest.param(
        "cuda",
        marks=pytest.mark.skipif(
            not minigrad.cuda.is_available(), reason="no CUDA device: CuPy and an NVIDIA GPU are needed"
        ),
    ),
]


@pytest.fixture(params=DEVICES)
def device(request: pytest.FixtureRequest) -> str:
    """Each test that takes `device` runs on cpu, on the strict stand-in device, and on cuda if present."""
    return request.param


@pytest.fixture(autouse=True)
def _seeded() -> None:
    minigrad.manual_seed(0)


def to_host(x):  # noqa: ANN001, ANN201 - a test helper
    """Any tensor's values as a NumPy array (copies off the device explicitly)."""
    return backend.to_numpy(x._array)


def dtype_name(d) -> str:  # noqa: ANN001
    """'float32' for minigrad.float32 and for torch.float32."""
    return str(d).split(".")[-1]


def assert_matches(m, t, *, atol=1e-6, rtol=1e-5) -> None:  # noqa: ANN001
    """A minigrad tensor equals a torch tensor: shape, dtype, then values."""
    assert isinstance(m, minigrad.Tensor), type(m)
    assert tuple(m.shape) == tuple(t.shape), (m.shape, t.shape)
    assert dtype_name(m.dtype) == dtype_name(t.dtype), (m.dtype, t.dtype)
    np.testing.assert_allclose(to_host(m), t.detach().numpy(), atol=atol, rtol=rtol)
