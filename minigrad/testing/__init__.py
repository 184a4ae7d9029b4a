"""
Tools for testing gradients, for minigrad's own tests and for yours.

- `gradcheck`, `gradgradcheck`: backward against finite differences (torch.autograd's meaning).
- `assert_close`: torch.testing.assert_close's rules and report, for any tensor-like.
- `compare_with_torch`: one function, run on minigrad and on PyTorch, outputs and gradients compared.
- `strategies`: hypothesis strategies for shapes, domains, tensors and random programs.

Testing a new op takes three lines:

    @given(x=strategies.tensors(dtype=minigrad.float64, elements=strategies.positive(), requires_grad=True))
    def test_my_op(x):
        assert gradcheck(my_op, (x,))
"""

import importlib
from typing import Any

from minigrad.testing.compare import assert_close, compare_with_torch
from minigrad.testing.gradcheck import GradcheckError, gradcheck, gradgradcheck

__all__ = [
    "GradcheckError",
    "assert_close",
    "compare_with_torch",
    "gradcheck",
    "gradgradcheck",
    "strategies",
]


def __getattr__(name: str) -> Any:
    """`strategies` needs hypothesis (a test dependency), so it is imported on first use;
    gradcheck and assert_close work with numpy alone."""
    if name == "strategies":
        return importlib.import_module("minigrad.testing.strategies")
    raise AttributeError(f"module 'minigrad.testing' has no attribute '{name}'")
