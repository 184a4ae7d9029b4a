"""
Tests of the testing tools themselves: gradcheck must catch wrong backwards (and pass
right ones), assert_close must report like PyTorch, and the strategies must draw what
they promise.
"""

import math

import numpy as np
import pytest
import torch
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import minigrad
from minigrad.autograd import Function
from minigrad.testing import (
    GradcheckError,
    assert_close,
    compare_with_torch,
    gradcheck,
    gradgradcheck,
)
from minigrad.testing import strategies as mst

# ---- custom Functions with right and deliberately wrong backwards ----


class Cube(Function):
    """y = x³;  dy/dx = 3x²."""

    @staticmethod
    def forward(ctx, x):
        ctx.save_for_backward(x)
        return x._array**3

    @staticmethod
    def backward(ctx, grad_output):
        (x,) = ctx.saved_tensors
        return grad_output * 3 * x * x


class CubeOffByAFactor(Cube):
    @staticmethod
    def backward(ctx, grad_output):
        (x,) = ctx.saved_tensors
        return grad_output * 2 * x * x  # wrong: 2 instead of 3


class CubeIgnoringGradOutput(Cube):
    @staticmethod
    def backward(ctx, grad_output):
        (x,) = ctx.saved_tensors
        return 3 * x * x  # wrong: as if grad_output were ones


class MatMul(Function):
    """z = x @ w;  dz/dx = grad_output @ wᵀ, dz/dw = xᵀ @ grad_output."""

    @staticmethod
    def forward(ctx, x, w):
        ctx.save_for_backward(x, w)
        return x._array @ w._array

    @staticmethod
    def backward(ctx, grad_output):
        x, w = ctx.saved_tensors
        return grad_output @ w.T, x.T @ grad_output


class MatMulTransposedGrad(MatMul):
    @staticmethod
    def backward(ctx, grad_output):
        x, w = ctx.saved_tensors
        return grad_output @ w.T, (x.T @ grad_output).T.reshape(w.shape)  # wrong: transposed


def double(*shape, device="cpu"):
    return minigrad.tensor(
        np.random.default_rng(1).standard_normal(shape), dtype=minigrad.float64, device=device, requires_grad=True
    )


@pytest.mark.parametrize("fast_mode", [False, True])
def test_gradcheck_passes_a_right_backward(fast_mode: bool, device: str) -> None:
    assert gradcheck(Cube.apply, (double(2, 3, device=device),), fast_mode=fast_mode)
    assert gradcheck(MatMul.apply, (double(2, 3, device=device), double(3, 3, device=device)), fast_mode=fast_mode)


@pytest.mark.parametrize("fast_mode", [False, True])
@pytest.mark.parametrize("wrong", [CubeOffByAFactor, CubeIgnoringGradOutput], ids=["factor", "grad_output"])
def test_gradcheck_catches_a_wrong_backward(wrong, fast_mode: bool, device: str) -> None:
    with pytest.raises(GradcheckError, match="Jacobian mismatch for output 0 with respect to input 0"):
        gradcheck(wrong.apply, (double(2, 3, device=device),), fast_mode=fast_mode)
    assert not gradcheck(wrong.apply, (double(2, 3, device=device),), fast_mode=fast_mode, raise_exception=False)


@pytest.mark.parametrize("fast_mode", [False, True])
def test_gradcheck_catches_a_transposed_gradient(fast_mode: bool, device: str) -> None:
    x, w = double(3, 3, device=device), double(3, 3, device=device)
    with pytest.raises(GradcheckError, match="with respect to input 1"):
        gradcheck(MatMulTransposedGrad.apply, (x, w), fast_mode=fast_mode)


def test_gradcheck_report_shows_both_jacobians_and_the_worst_element() -> None:
    x = minigrad.tensor([1.0, 2.0], dtype=minigrad.float64, requires_grad=True)
    with pytest.raises(GradcheckError) as error:
        gradcheck(CubeOffByAFactor.apply, (x,))
    report = str(error.value)
    assert report.startswith("Jacobian mismatch for output 0 with respect to input 0,\nnumerical:")
    assert "\nanalytical:" in report
    # d y[1] / d x[1] is 12 but the wrong backward says 8: the worst element.
    assert "Worst element: d output[1] / d input[1] is 8.0 analytically" in report


def test_gradcheck_warns_on_float32_and_needs_a_grad_input() -> None:
    x = minigrad.tensor([1.0, 2.0], requires_grad=True)
    with pytest.warns(UserWarning, match="Input #0 requires gradient and is not a double precision"):
        gradcheck(lambda x: x * 2, (x,), atol=1e-2, rtol=1e-2, eps=1e-3)
    with pytest.raises(ValueError, match="at least one input tensor to require gradient"):
        gradcheck(lambda x: x * 2, (minigrad.tensor([1.0], dtype=minigrad.float64),))


def test_gradcheck_handles_several_outputs_and_unused_inputs() -> None:
    x, y, unused = double(3), double(3), double(2)
    assert gradcheck(lambda x, y, unused: (x * y, (x - y).exp(), x.sum()), (x, y, unused))
    assert gradcheck(
        lambda x: x.max(dim=0), (minigrad.tensor([1.0, 3.0, 2.0], dtype=minigrad.float64, requires_grad=True),)
    )


def test_gradcheck_matches_torch_on_empty_inputs() -> None:
    assert gradcheck(lambda x: x * 2, (double(0, 3),))
    assert gradcheck(lambda x: x.sum(), (double(0),), fast_mode=True)


def test_gradgradcheck_checks_second_derivatives() -> None:
    assert gradgradcheck(lambda x: (x * x).tanh(), (double(2, 2),))
    assert gradgradcheck(Cube.apply, (double(3),))

    class CubeWithFirstOrderBackward(Cube):
        """Right first derivative, but built from x's value, not from x: no second derivative."""

        @staticmethod
        def backward(ctx, grad_output):
            (x,) = ctx.saved_tensors
            return grad_output * 3 * x.detach() ** 2

    x = double(3)
    assert gradcheck(CubeWithFirstOrderBackward.apply, (x,))
    with pytest.raises(GradcheckError):
        gradgradcheck(CubeWithFirstOrderBackward.apply, (x,))


def test_gradcheck_is_exposed_in_autograd() -> None:
    assert minigrad.autograd.gradcheck is gradcheck
    assert minigrad.autograd.gradgradcheck is gradgradcheck


# ---- assert_close ----


def test_assert_close_accepts_every_kind_of_value() -> None:
    assert_close(minigrad.tensor([1.0, 2.0]), torch.tensor([1.0, 2.0]))
    assert_close(minigrad.tensor([1.0, 2.0]), np.array([1.0, 2.0], dtype=np.float32))
    assert_close(1.0, 1.0 + 1e-9)
    assert_close(minigrad.tensor([1, 2]), torch.tensor([1, 2]))


def test_assert_close_uses_torch_default_tolerances() -> None:
    assert_close(torch.tensor([1.0]), torch.tensor([1.0 + 1e-6]))  # float32: rtol 1.3e-6
    with pytest.raises(AssertionError):
        assert_close(torch.tensor([1.0], dtype=torch.float64), torch.tensor([1.0 + 1e-6], dtype=torch.float64))
    assert_close(np.array([1.0]), np.array([1.1]), rtol=0.2, atol=0.0)


def test_assert_close_reports_like_torch() -> None:
    with pytest.raises(AssertionError) as error:
        assert_close(minigrad.tensor([[1.0, 2.0, 3.0]]), torch.tensor([[1.0, 2.5, 3.0]]))
    report = str(error.value)
    assert "Tensor-likes are not close!" in report
    assert "Mismatched elements: 1 / 3 (33.3%)" in report
    assert "Greatest absolute difference: 0.5 at index (0, 1) (up to 1e-05 allowed)" in report
    assert "Greatest relative difference: 0.2 at index (0, 1) (up to 1.3e-06 allowed)" in report


@pytest.mark.parametrize(
    ("actual", "expected", "message"),
    [
        (torch.zeros(3), torch.zeros(2), "'shape' do not match: (3,) != (2,)"),
        (torch.zeros(3), torch.zeros(3, dtype=torch.float64), "'dtype' do not match: float32 != float64"),
        (torch.tensor([1, 2]), torch.tensor([1, 3]), "Tensor-likes are not equal!"),
        (torch.tensor([float("nan")]), torch.tensor([float("nan")]), "Mismatched elements: 1 / 1"),
    ],
)
def test_assert_close_names_what_differs(actual, expected, message) -> None:
    with pytest.raises(AssertionError) as error:
        assert_close(actual, expected)
    assert message in str(error.value)


def test_assert_close_checks_devices() -> None:
    with pytest.raises(AssertionError, match="'device' do not match: strict != cpu"):
        assert_close(minigrad.tensor([1.0], device="strict"), minigrad.tensor([1.0]))
    assert_close(minigrad.tensor([1.0], device="strict"), minigrad.tensor([1.0]), check_device=False)


def test_compare_with_torch_reports_a_wrong_gradient() -> None:
    x = double(2, 3)
    compare_with_torch(lambda x: (x * x).sum(dim=1).sqrt(), x)
    with pytest.raises(AssertionError, match="gradient of input 0"):
        compare_with_torch(CubeIgnoringGradOutput.apply, x, torch_fn=lambda x: x**3)
    with pytest.raises(AssertionError, match="output 0"):
        compare_with_torch(lambda x: x * 2, x, torch_fn=lambda x: x * 3)


# ---- strategies ----


@settings(max_examples=30)
@given(shape=mst.shapes(min_dims=1, max_dims=2, min_side=0, max_side=3))
def test_shapes_respect_their_bounds(shape) -> None:
    assert 1 <= len(shape) <= 2 and all(0 <= side <= 3 for side in shape)


@settings(max_examples=30)
@given(shapes=mst.broadcastable_shapes(num_shapes=3))
def test_broadcastable_shapes_broadcast(shapes) -> None:
    assert np.broadcast_shapes(*shapes.input_shapes) == shapes.result_shape


@settings(max_examples=30)
@given(
    x=mst.tensors(dtype=minigrad.float64, elements=mst.positive(), requires_grad=True),
    y=mst.tensors(shape=(2, 3), elements=mst.nonzero()),
    z=mst.tensors(dtype=minigrad.float64, elements=mst.away_from(0.0, 1.0), unique=True),
    w=mst.tensors(dtype=minigrad.int64, shape=mst.shapes(max_side=2)),
)
def test_tensors_respect_dtype_shape_and_domain(x, y, z, w) -> None:
    assert x.dtype == minigrad.float64 and x.requires_grad and (x.detach().numpy() >= 0.1).all()
    assert y.dtype == minigrad.float32 and tuple(y.shape) == (2, 3) and (np.abs(y.numpy()) >= 0.5).all()
    values = z.numpy().ravel()
    assert len(set(values)) == len(values)
    assert all(abs(v) >= 0.05 - 1e-12 and abs(v - 1.0) >= 0.05 - 1e-12 for v in values)
    assert w.dtype == minigrad.int64


@settings(max_examples=30)
@given(value=mst.grid(0.25, -1.0, 1.0, offset=0.125))
def test_grid_values_sit_on_the_grid(value) -> None:
    assert -1.0 <= value <= 1.0 and math.isclose((value - 0.125) / 0.25, round((value - 0.125) / 0.25))


@settings(max_examples=5, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(data=st.data())
def test_tensors_on_a_device(data: st.DataObject, device: str) -> None:
    x = data.draw(mst.tensors(shape=(2,), device=device))
    assert x.device == minigrad.device(device)


# ---- the README's "Testing a new op" example, exactly as a user writes it ----


@settings(max_examples=10)
@given(x=mst.tensors(dtype=minigrad.float64, shape=mst.shapes(), elements=mst.positive(), requires_grad=True))
def test_readme_example(x) -> None:
    assert gradcheck(minigrad.log, (x,))
    compare_with_torch(minigrad.log, x, torch_fn=torch.log)
