"""
Tools for testing gradients, for minigrad's own tests and for yours.

- `gradcheck`, `gradgradcheck`: backward against finite differences (torch.autograd's meaning).
- `assert_close`: torch.testing.assert_close's rules and report, for any tensor-like.
- `compare_with_torch`: one function, run on minigrad and on PyTorch, outputs and gradients compared.
- `strategies`: hypothesis strategies for shapes, domains and tensors; `programs`: random programs.

Testing a new op takes three lines:

    @given(x=strategies.tensors(dtype=minigrad.float64, elements=strategies.positive(), requires_grad=True))
    def test_my_op(x):
        assert gradcheck(my_op, (x,))
"""

from minigrad.testing import strategies
from minigrad.testing.compare import assert_close, compare_with_torch
from minigrad.testing.gradcheck import GradcheckError, gradcheck, gradgradcheck
from minigrad.testing.programs import programs

__all__ = [
    "GradcheckError",
    "assert_close",
    "compare_with_torch",
    "gradcheck",
    "gradgradcheck",
    "programs",
    "strategies",
]
