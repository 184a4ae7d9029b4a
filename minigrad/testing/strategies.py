"""
Hypothesis strategies for testing minigrad: shapes, broadcastable shapes, element values
that respect an op's domain, tensors, and small random programs (see programs.py).

They are thin layers over hypothesis.extra.numpy (array_shapes,
mutually_broadcastable_shapes, arrays), so everything hypothesis knows about drawing and
shrinking arrays applies. A property test of a new op reads:

    @given(x=tensors(dtype=minigrad.float64, elements=positive(), requires_grad=True))
    def test_log_gradient(x):
        assert gradcheck(minigrad.log, (x,))
"""

import math
from typing import Any

import numpy as np
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp

import minigrad
from minigrad.testing.programs import Program, graphs, programs  # noqa: F401  (random programs)

# ---- shapes ----


def shapes(
    min_dims: int = 0, max_dims: int = 3, min_side: int = 1, max_side: int = 4
) -> st.SearchStrategy[tuple[int, ...]]:
    """Array shapes such as (), (3,), (2, 1, 4); use min_side=0 to include empty dims."""
    return hnp.array_shapes(min_dims=min_dims, max_dims=max_dims, min_side=min_side, max_side=max_side)


def broadcastable_shapes(
    num_shapes: int = 2, min_dims: int = 0, max_dims: int = 3, min_side: int = 1, max_side: int = 4
) -> st.SearchStrategy[hnp.BroadcastableShapes]:
    """`num_shapes` shapes that broadcast together, e.g. ((3, 1), (4,)).

    Draws hypothesis' BroadcastableShapes: `.input_shapes` and `.result_shape`.
    """
    return hnp.mutually_broadcastable_shapes(
        num_shapes=num_shapes, min_dims=min_dims, max_dims=max_dims, min_side=min_side, max_side=max_side
    )


# ---- element values, one strategy per kind of domain ----


def floats(low: float = -2.0, high: float = 2.0) -> st.SearchStrategy[float]:
    """Finite floats in [low, high]: the default domain of smooth ops."""
    return st.floats(low, high, allow_nan=False, allow_infinity=False)


def positive(low: float = 0.1, high: float = 3.0) -> st.SearchStrategy[float]:
    """Floats safely inside the domain of log, sqrt and x ** fractional."""
    return floats(low, high)


def nonzero(min_abs: float = 0.5, max_abs: float = 3.0) -> st.SearchStrategy[float]:
    """Floats with |v| >= min_abs: denominators, where 1/v must stay well behaved."""
    return st.one_of(floats(min_abs, max_abs), floats(-max_abs, -min_abs))


def away_from(*kinks: float, low: float = -2.0, high: float = 2.0, margin: float = 0.05) -> st.SearchStrategy[float]:
    """Floats in [low, high] at least `margin` from every kink.

    At a kink (0 for abs and relu, the bounds of clamp) the function has no derivative,
    so finite differences straddling it measure the average of two slopes. A value near
    a kink is pushed `margin` away from it, to the side it was on.
    """

    def push_away(value: float) -> float:
        for kink in kinks:
            if abs(value - kink) < margin:
                value = kink + margin if value >= kink else kink - margin
        return value

    if len(kinks) > 1 and min(abs(a - b) for a in kinks for b in kinks if a != b) < 2 * margin:
        raise ValueError("kinks closer than 2 * margin cannot all be avoided")
    return floats(low, high).map(push_away)


def grid(step: float = 0.125, low: float = -4.0, high: float = 4.0, offset: float = 0.0) -> st.SearchStrategy[float]:
    """Multiples of `step` (plus `offset`) in [low, high].

    Drawn with `unique=True`, values are then at least `step` apart: no ties for max,
    min and argmax, and no two values close enough to swap under a perturbation.
    Two grids offset by step / 2 never share a value: use them for maximum(x, y).
    """
    return st.integers(math.ceil((low - offset) / step), math.floor((high - offset) / step)).map(
        lambda k: k * step + offset
    )


# ---- tensors ----


def numpy_dtype(dtype: Any) -> np.dtype:
    """numpy's dtype for minigrad.float32, torch.float32, 'float32' or np.float32 alike."""
    if isinstance(dtype, np.dtype):
        return dtype
    if isinstance(dtype, type) and issubclass(dtype, np.generic):
        return np.dtype(dtype)
    return np.dtype(str(dtype).rsplit(".", 1)[-1])


def arrays(
    dtype: Any = "float64",
    shape: tuple[int, ...] | st.SearchStrategy[tuple[int, ...]] | None = None,
    elements: st.SearchStrategy | None = None,
    unique: bool = False,
) -> st.SearchStrategy[np.ndarray]:
    """numpy arrays of `dtype`; floats are drawn in float64 (default: floats()) and cast."""
    target = numpy_dtype(dtype)
    if shape is None:
        shape = shapes()
    if target.kind == "f":
        drawn = hnp.arrays(np.float64, shape, elements=floats() if elements is None else elements, unique=unique)
        return drawn.map(lambda array: array.astype(target))
    if target.kind == "b":
        return hnp.arrays(target, shape, elements=st.booleans() if elements is None else elements)
    return hnp.arrays(target, shape, elements=st.integers(-5, 5) if elements is None else elements, unique=unique)


@st.composite
def tensors(
    draw: st.DrawFn,
    dtype: Any = None,
    shape: tuple[int, ...] | st.SearchStrategy[tuple[int, ...]] | None = None,
    elements: st.SearchStrategy | None = None,
    requires_grad: bool = False,
    device: Any = "cpu",
    unique: bool = False,
) -> "minigrad.Tensor":
    """minigrad tensors with the given dtype (default float32, as in PyTorch), shape
    (a tuple or a strategy; default shapes()), element strategy (default floats()),
    requires_grad and device. `unique=True` makes all elements distinct."""
    dtype = minigrad.float32 if dtype is None else dtype
    if isinstance(dtype, str):
        dtype = getattr(minigrad, dtype)
    array = draw(arrays(dtype, shape, elements, unique))
    return minigrad.tensor(array, dtype=dtype, device=device, requires_grad=requires_grad)
