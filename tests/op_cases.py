"""
The op table: one OpCase per way of calling an op. tests/test_ops.py runs every case on
every device, against PyTorch (float64 and float32, values and gradients) and against
finite differences (float64 gradcheck, and gradgradcheck where the op is twice
differentiable). test_every_op_has_a_case fails when an op in minigrad.ops.__all__ has none.

A case is data: a function `fn(m, *tensors, **params)` written once for both libraries
(`m` is minigrad or torch) and a hypothesis strategy of Examples (the input arrays, drawn
inside the op's domain, and the op's parameters, drawn to fit the shapes). Float arrays
become inputs that require grad; int and bool arrays become index/mask tensors.
"""

import math
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import numpy as np
from hypothesis import assume
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp

from minigrad.testing.strategies import arrays, away_from, floats, grid, nonzero, positive, shapes

MAX_SIDE = 3  # small: gradcheck costs one forward per input element


def any_shape(min_dims: int = 0, max_dims: int = 3, nonempty: bool = False) -> st.SearchStrategy:
    """Shapes with sides 1..3, and (unless `nonempty`) sometimes a size-0 side."""
    full = shapes(min_dims, max_dims, 1, MAX_SIDE)
    return full if nonempty else st.one_of(full, shapes(min_dims, max_dims, 0, MAX_SIDE))


@dataclass(frozen=True)
class Example:
    """Inputs of one call: arrays (float: differentiable inputs; int/bool: indices) and params."""

    arrays: tuple[np.ndarray, ...]
    params: dict

    def __repr__(self) -> str:
        with np.printoptions(precision=17, threshold=200):
            shown = ", ".join(f"np.{a!r}" for a in self.arrays)
        return f"Example(arrays=({shown},), params={self.params!r})"


@dataclass(frozen=True)
class OpCase:
    """One row of the table.

    Attributes:
        name: the test id.
        fn: fn(m, *tensors, **params) with m = minigrad or torch.
        examples: strategy of Examples inside the op's domain.
        ops: the minigrad.ops functions this case covers (default: (name,)).
        twice: run gradgradcheck (the op's backward is itself differentiable).
        differentiable: compare gradients at all (False for argmax, comparisons).
        finite_differences: run gradcheck (False where the inputs sit on a kink, e.g. ties).
        tol32: (rtol, atol) for float32 comparisons with torch (default: assert_close's).
    """

    name: str
    fn: Callable[..., Any]
    examples: st.SearchStrategy[Example]
    ops: tuple[str, ...] = ()
    twice: bool = True
    differentiable: bool = True
    finite_differences: bool = True
    tol32: tuple[float, float] | None = None

    @property
    def covers(self) -> tuple[str, ...]:
        return self.ops or (self.name,)


# ---- example builders ----


def unary(
    elements: st.SearchStrategy | None = None, shape: st.SearchStrategy | None = None, **params
) -> st.SearchStrategy:
    """One float array of any shape."""
    return arrays("float64", any_shape() if shape is None else shape, elements).map(lambda x: Example((x,), params))


@st.composite
def binary(draw, x_elements=None, y_elements=None, **params) -> Example:
    """Two float arrays whose shapes broadcast together."""
    min_side = draw(st.sampled_from([1, 0]))
    pair = draw(hnp.mutually_broadcastable_shapes(num_shapes=2, max_dims=3, min_side=min_side, max_side=MAX_SIDE))
    x = draw(arrays("float64", pair.input_shapes[0], floats() if x_elements is None else x_elements))
    y = draw(arrays("float64", pair.input_shapes[1], floats() if y_elements is None else y_elements))
    return Example((x, y), params)


@st.composite
def where_example(draw) -> Example:
    pair = draw(hnp.mutually_broadcastable_shapes(num_shapes=3, max_dims=3, max_side=MAX_SIDE))
    condition = draw(arrays("bool", pair.input_shapes[0]))
    x = draw(arrays("float64", pair.input_shapes[1]))
    y = draw(arrays("float64", pair.input_shapes[2]))
    return Example((x, y, condition), {})


@st.composite
def ternary(draw, third_elements=None, **params) -> Example:
    """Three float arrays whose shapes broadcast together (the third drawn from `third_elements`)."""
    shapes_ = draw(hnp.mutually_broadcastable_shapes(num_shapes=3, max_dims=3, max_side=MAX_SIDE)).input_shapes
    x, y = (draw(arrays("float64", shape)) for shape in shapes_[:2])
    z = draw(arrays("float64", shapes_[2], floats() if third_elements is None else third_elements))
    return Example((x, y, z), params)


def _dim(draw, ndim: int) -> int:
    """A dimension index, positive or negative; 0-d tensors accept 0 and -1 as in PyTorch."""
    size = max(ndim, 1)
    return draw(st.integers(-size, size - 1))


def _dims(draw, ndim: int, allow_none: bool = True, allow_tuple: bool = True) -> dict:
    """{'dim': int | tuple} or {} (reduce everything)."""
    kinds = ["int"] + (["none"] if allow_none else []) + (["tuple"] if allow_tuple and ndim else [])
    kind = draw(st.sampled_from(kinds))
    if kind == "none":
        return {}
    if kind == "int":
        return {"dim": _dim(draw, ndim)}
    chosen = draw(st.lists(st.integers(0, ndim - 1), min_size=1, max_size=ndim, unique=True))
    return {"dim": tuple(d - ndim if draw(st.booleans()) else d for d in chosen)}


@st.composite
def reduction(
    draw, elements=None, unique=False, allow_none=True, allow_tuple=True, keepdim=True, nonempty=False, correction=False
) -> Example:
    """One array, a dim (int, tuple or none) and keepdim; with `correction` also that
    (kept below the number of reduced elements, where var/std are finite)."""
    shape = draw(any_shape(nonempty=nonempty))
    x = draw(arrays("float64", shape, floats() if elements is None else elements, unique=unique))
    params = _dims(draw, len(shape), allow_none, allow_tuple)
    if keepdim and "dim" in params:
        params["keepdim"] = draw(st.booleans())
    if correction:
        dims = params.get("dim", tuple(range(len(shape))))
        dims = (dims,) if isinstance(dims, int) else dims
        count = math.prod(shape[d] for d in dims) if shape else 1
        assume(count >= 2)
        params["correction"] = draw(st.integers(0, min(2, count - 1)))
    return Example((x,), params)


UNIQUE = grid(0.125)  # distinct values, no ties for max/min/argmax
TIES = st.sampled_from([0.0, 1.0])  # many ties


def _unique(shape_strategy=None) -> st.SearchStrategy:
    return arrays(
        "float64", any_shape(nonempty=True) if shape_strategy is None else shape_strategy, UNIQUE, unique=True
    )


@st.composite
def dim_of(draw, x_strategy, keepdim=True, offset=0, nonempty_dim=False) -> Example:
    """One array and a single dim (plus keepdim). `offset=1` allows ndim + 1 dims (unsqueeze, stack)."""
    x = draw(x_strategy)
    ndim = x.ndim + offset
    if nonempty_dim:
        assume(x.ndim > 0)
        dims = [d for d in range(x.ndim) if x.shape[d] > 0]
        assume(dims)
        d = draw(st.sampled_from(dims))
        dim = d - x.ndim if draw(st.booleans()) else d
    else:
        dim = _dim(draw, ndim)
    params = {"dim": dim}
    if keepdim:
        params["keepdim"] = draw(st.booleans())
    return Example((x,), params)


# ---- matmul ----


@st.composite
def matmul_example(draw, x_dims: int, y_dims: int, batch: bool = False) -> Example:
    """x @ y with x of x_dims dims and y of y_dims dims (batch dims broadcast)."""
    n, k, m = (draw(st.integers(0, MAX_SIDE)) for _ in range(3))
    x_shape = {1: (k,), 2: (n, k)}.get(x_dims)
    y_shape = {1: (k,), 2: (k, m)}.get(y_dims)
    if batch:
        pair = draw(hnp.mutually_broadcastable_shapes(num_shapes=2, min_dims=1, max_dims=2, max_side=MAX_SIDE))
        x_shape = pair.input_shapes[0] + (n, k) if x_dims > 2 else x_shape
        y_shape = pair.input_shapes[1] + (k, m) if y_dims > 2 else y_shape
    x = draw(arrays("float64", x_shape))
    y = draw(arrays("float64", y_shape))
    return Example((x, y), {})


@st.composite
def bmm_example(draw) -> Example:
    b, n, k, m = (draw(st.integers(0, MAX_SIDE)) for _ in range(4))
    return Example((draw(arrays("float64", (b, n, k))), draw(arrays("float64", (b, k, m)))), {})


@st.composite
def addmm_example(draw) -> Example:
    """bias + x @ y, with bias of shape (m,), (1, m) or (n, m)."""
    n, k, m = (draw(st.integers(0, MAX_SIDE)) for _ in range(3))
    bias_shape = draw(st.sampled_from([(m,), (1, m), (n, m)]))
    arrays_ = (draw(arrays("float64", s)) for s in (bias_shape, (n, k), (k, m)))
    return Example(tuple(arrays_), {})


# ---- shape ops ----


def _factorizations(total: int, max_dims: int = 3) -> list[tuple[int, ...]]:
    """Every shape with up to max_dims sides (each <= 9) whose product is `total`."""
    sides = range(0 if total == 0 else 1, 10)
    found = [()] if total == 1 else []
    frontier = [()]
    for _ in range(max_dims):
        frontier = [
            s + (side,) for s in frontier for side in sides if math.prod(s + (side,)) <= max(total, 1) or side == 0
        ]
        found += [s for s in frontier if math.prod(s) == total]
    return found


@st.composite
def reshape_example(draw) -> Example:
    x = draw(arrays("float64", any_shape()))
    shape = draw(st.sampled_from(_factorizations(x.size)))
    if shape and x.size and draw(st.booleans()):  # PyTorch infers one side given as -1
        i = draw(st.integers(0, len(shape) - 1))
        shape = shape[:i] + (-1,) + shape[i + 1 :]
    return Example((x,), {"shape": shape})


@st.composite
def flatten_example(draw) -> Example:
    x = draw(arrays("float64", any_shape()))
    size = max(x.ndim, 1)
    start = draw(st.integers(0, size - 1))
    end = draw(st.integers(start, size - 1))
    return Example((x,), {"start_dim": start, "end_dim": end - size if draw(st.booleans()) else end})


@st.composite
def transpose_example(draw) -> Example:
    x = draw(arrays("float64", any_shape()))
    return Example((x,), {"dim0": _dim(draw, x.ndim), "dim1": _dim(draw, x.ndim)})


@st.composite
def permute_example(draw) -> Example:
    x = draw(arrays("float64", any_shape()))
    return Example((x,), {"dims": tuple(draw(st.permutations(range(x.ndim))))})


@st.composite
def squeeze_example(draw, with_dim: bool) -> Example:
    x = draw(arrays("float64", any_shape().map(lambda s: s + (1,)).flatmap(st.permutations).map(tuple)))
    return Example((x,), {"dim": _dim(draw, x.ndim)} if with_dim else {})


@st.composite
def expand_example(draw) -> Example:
    x = draw(arrays("float64", shapes(0, 3, 1, 2)))
    target = tuple(
        draw(st.sampled_from([-1, 0, 2, 3])) if side == 1 else draw(st.sampled_from([side, -1])) for side in x.shape
    )
    leading = tuple(draw(st.lists(st.integers(0, 2), max_size=1)))
    return Example((x,), {"size": leading + target})


@st.composite
def cat_example(draw, count_range=(1, 3)) -> Example:
    """Tensors equal in shape except along `dim`."""
    shape = draw(any_shape(min_dims=1))
    dim = _dim(draw, len(shape))
    count = draw(st.integers(*count_range))
    xs = []
    for _ in range(count):
        side = draw(st.integers(0, MAX_SIDE))
        this = shape[: dim % len(shape)] + (side,) + shape[dim % len(shape) + 1 :]
        xs.append(draw(arrays("float64", this)))
    return Example(tuple(xs), {"dim": dim})


@st.composite
def stack_example(draw) -> Example:
    shape = draw(any_shape())
    count = draw(st.integers(1, 3))
    xs = tuple(draw(arrays("float64", shape)) for _ in range(count))
    return Example(xs, {"dim": draw(st.integers(-len(shape) - 1, len(shape)))})


@st.composite
def split_example(draw, sections: bool) -> Example:
    x = draw(arrays("float64", any_shape(min_dims=1)))
    dim = _dim(draw, x.ndim)
    size = x.shape[dim]
    if sections:
        cuts = sorted(draw(st.lists(st.integers(0, size), max_size=3)))
        split = [b - a for a, b in zip([0] + cuts, cuts + [size])]
    else:
        split = draw(st.integers(1, max(size, 1) + 1))
    return Example((x,), {"split": split, "dim": dim})


@st.composite
def chunk_example(draw) -> Example:
    x = draw(arrays("float64", any_shape(min_dims=1)))
    return Example((x,), {"chunks": draw(st.integers(1, 4)), "dim": _dim(draw, x.ndim)})


@st.composite
def gather_example(draw) -> Example:
    x = draw(arrays("float64", any_shape(min_dims=1, nonempty=True)))
    dim = _dim(draw, x.ndim)
    index_shape = tuple(
        draw(st.integers(0, MAX_SIDE)) if d == dim % x.ndim else draw(st.integers(0, side))
        for d, side in enumerate(x.shape)
    )
    index = draw(arrays("int64", index_shape, st.integers(0, x.shape[dim] - 1)))
    return Example((x, index), {"dim": dim})


@st.composite
def index_select_example(draw) -> Example:
    x = draw(arrays("float64", any_shape(min_dims=1, nonempty=True)))
    dim = _dim(draw, x.ndim)
    index = draw(arrays("int64", shapes(1, 1, 0, 5), st.integers(0, x.shape[dim] - 1)))  # repeats allowed
    return Example((x, index), {"dim": dim})


def _positive_steps(index: Any) -> Any:
    """PyTorch slices need positive steps; hypothesis' basic_indices draws negative ones too."""

    def fix(item):
        if isinstance(item, slice) and item.step is not None and item.step < 0:
            return slice(None, None, -item.step)
        return item

    return tuple(fix(item) for item in index) if isinstance(index, tuple) else fix(index)


@st.composite
def basic_index_example(draw) -> Example:
    """Ints, slices, None and ... (hypothesis' basic_indices)."""
    x = draw(arrays("float64", any_shape()))
    index = draw(hnp.basic_indices(x.shape, allow_newaxis=True, allow_ellipsis=True))
    return Example((x,), {"index": _positive_steps(index)})


@st.composite
def mask_index_example(draw) -> Example:
    """x[mask] with a bool mask over the leading dims."""
    x = draw(arrays("float64", any_shape(min_dims=1)))
    lead = draw(st.integers(1, x.ndim))
    mask = draw(arrays("bool", x.shape[:lead]))
    return Example((x, mask), {})


@st.composite
def int_tensor_index_example(draw) -> Example:
    """x[index] and x[index, 1:] with an int tensor index; repeated indices scatter-add."""
    x = draw(arrays("float64", any_shape(min_dims=1, nonempty=True)))
    index = draw(arrays("int64", shapes(0, 2, 0, 4), st.integers(-x.shape[0], x.shape[0] - 1)))
    return Example((x, index), {"rest": draw(st.booleans()) and x.ndim > 1})


@st.composite
def shapes_broadcasting_to(draw, target: tuple[int, ...]) -> tuple[int, ...]:
    """A shape that broadcasts *to* `target` (a suffix of it, some sides set to 1)."""
    kept = draw(st.integers(0, len(target)))
    suffix = target[len(target) - kept :]
    return tuple(1 if draw(st.booleans()) else side for side in suffix)


@st.composite
def setitem_example(draw) -> Example:
    """y = x.clone(); y[index] = value, for a basic index, and value broadcast into place."""
    x = draw(arrays("float64", any_shape(min_dims=1)))
    index = _positive_steps(draw(hnp.basic_indices(x.shape, allow_ellipsis=True)))
    target = np.empty(x.shape)[index].shape
    value_shape = draw(shapes_broadcasting_to(target))
    value = draw(arrays("float64", value_shape))
    return Example((x, value), {"index": index})


@st.composite
def setitem_mask_example(draw) -> Example:
    x = draw(arrays("float64", any_shape(min_dims=1)))
    mask = draw(arrays("bool", x.shape))
    value = draw(arrays("float64", ()))
    return Example((x, value, mask), {})


def _setitem(x, value, index):
    y = x.clone()  # a non-leaf copy: writing into it is recorded by autograd
    y[index] = value
    return y


# ---- builders for the remaining ops ----


@st.composite
def unflatten_example(draw) -> Example:
    x = draw(arrays("float64", any_shape(min_dims=1)))
    dim = _dim(draw, x.ndim)
    sizes = draw(st.sampled_from([s for s in _factorizations(x.shape[dim]) if s]))
    if x.size and draw(st.booleans()):  # -1 is ambiguous when there are no elements
        i = draw(st.integers(0, len(sizes) - 1))
        sizes = sizes[:i] + (-1,) + sizes[i + 1 :]
    return Example((x,), {"dim": dim, "sizes": sizes})


@st.composite
def broadcast_tensors_example(draw) -> Example:
    count = draw(st.integers(1, 3))
    drawn = draw(hnp.mutually_broadcastable_shapes(num_shapes=count, max_dims=3, max_side=MAX_SIDE))
    return Example(tuple(draw(arrays("float64", shape)) for shape in drawn.input_shapes), {})


@st.composite
def narrow_example(draw) -> Example:
    x = draw(arrays("float64", any_shape(min_dims=1)))
    dim = _dim(draw, x.ndim)
    size = x.shape[dim]
    start = draw(st.integers(-size, size))  # a negative start counts from the end
    rest = size - (start + size if start < 0 else start)  # elements from start to the end
    return Example((x,), {"dim": dim, "start": start, "length": draw(st.integers(0, rest))})


@st.composite
def select_example(draw) -> Example:
    x = draw(arrays("float64", any_shape(min_dims=1, nonempty=True)))
    dim = _dim(draw, x.ndim)
    return Example((x,), {"dim": dim, "index": draw(st.integers(-x.shape[dim], x.shape[dim] - 1))})


@st.composite
def masked_fill_example(draw) -> Example:
    x = draw(arrays("float64", any_shape()))
    mask = draw(arrays("bool", shapes_broadcasting_to(x.shape)))
    return Example((x, mask), {"value": draw(floats())})


@st.composite
def repeat_example(draw) -> Example:
    x = draw(arrays("float64", any_shape()))
    extra = draw(st.integers(0, 1))
    return Example((x,), {"sizes": tuple(draw(st.integers(0, 2)) for _ in range(x.ndim + extra))})


@st.composite
def vectors_example(draw, same_size: bool, matrix_first: bool = False) -> Example:
    n = draw(st.integers(0, MAX_SIDE))
    m = n if same_size else draw(st.integers(0, MAX_SIDE))
    first = (draw(st.integers(0, MAX_SIDE)), n) if matrix_first else (n,)
    return Example((draw(arrays("float64", first)), draw(arrays("float64", (m,)))), {})


@st.composite
def flip_example(draw) -> Example:
    x = draw(arrays("float64", any_shape()))
    dims = draw(st.lists(st.integers(0, max(x.ndim - 1, 0)), unique=True, max_size=x.ndim))
    return Example((x,), {"dims": [d - x.ndim if draw(st.booleans()) else d for d in dims]})


@st.composite
def sort_example(draw) -> Example:
    x = draw(arrays("float64", any_shape(), UNIQUE, unique=True))  # (ties may take either order)
    return Example((x,), {"dim": _dim(draw, x.ndim), "descending": draw(st.booleans())})


@st.composite
def topk_example(draw) -> Example:
    x = draw(arrays("float64", any_shape(), UNIQUE, unique=True))
    dim = _dim(draw, x.ndim)
    size = x.shape[dim] if x.ndim else 1
    return Example((x,), {"k": draw(st.integers(0, size)), "dim": dim, "largest": draw(st.booleans())})


@st.composite
def movedim_example(draw) -> Example:
    x = draw(arrays("float64", any_shape(min_dims=1)))
    count = draw(st.integers(1, x.ndim))
    source = draw(st.permutations(range(x.ndim)))[:count]
    destination = draw(st.permutations(range(x.ndim)))[:count]
    if count == 1 and draw(st.booleans()):  # a single dim as an int, and counted from the end
        return Example((x,), {"source": source[0] - x.ndim, "destination": destination[0]})
    return Example((x,), {"source": list(source), "destination": list(destination)})


@st.composite
def triangle_example(draw) -> Example:
    x = draw(arrays("float64", any_shape(min_dims=2)))
    return Example((x,), {"diagonal": draw(st.integers(-3, 3))})


BETWEEN_STEPS = grid(0.25, offset=0.125)  # never an integer or a half: floor and round are flat there
ONE_OR_TWO = st.sampled_from([1.0, -2.0])  # x / y then is never whole either (x is k/4 + 1/8)
SPECIAL = st.sampled_from([0.0, 1.5, -2.0, float("nan"), float("inf"), float("-inf")])
SMALL_GRID = grid(0.5, -1.0, 1.0)  # few values: comparisons see equal elements too


@st.composite
def bool_pair(draw) -> Example:
    pair = draw(hnp.mutually_broadcastable_shapes(num_shapes=2, max_dims=3, max_side=MAX_SIDE))
    return Example(tuple(draw(arrays("bool", shape)) for shape in pair.input_shapes), {})


@st.composite
def truth_pair(draw) -> Example:
    """Two arrays of any of bool, int64 and float64 (zeros, -0.0, nan among them): logical ops' inputs."""
    pair = draw(hnp.mutually_broadcastable_shapes(num_shapes=2, max_dims=3, max_side=MAX_SIDE))
    elements = {"bool": None, "int64": st.integers(-3, 3), "float64": st.sampled_from([0.0, -0.0, 1.5, math.nan])}
    kinds = [draw(st.sampled_from(sorted(elements))) for _ in pair.input_shapes]
    return Example(tuple(draw(arrays(k, shape, elements[k])) for k, shape in zip(kinds, pair.input_shapes)), {})


@st.composite
def integer_pair(draw) -> Example:
    pair = draw(hnp.mutually_broadcastable_shapes(num_shapes=2, max_dims=3, max_side=MAX_SIDE))
    return Example(tuple(draw(arrays("int64", shape, st.integers(-9, 9))) for shape in pair.input_shapes), {})


# ---- in-place methods, applied to a copy so that autograd records them ----


@st.composite
def inplace_example(draw, *other_elements, x_elements=None) -> Example:
    """x of any shape, and one array per `other_elements` whose shape broadcasts *to* x's."""
    x = draw(arrays("float64", any_shape(), floats() if x_elements is None else x_elements))
    others = tuple(draw(arrays("float64", shapes_broadcasting_to(x.shape), e)) for e in other_elements)
    return Example((x, *others), {})


def _on_copy(x, method: str, *args, **kwargs):
    """out = x.clone(); out.<method>(*args, **kwargs): an in-place op on a non-leaf."""
    out = x.clone()
    getattr(out, method)(*args, **kwargs)
    return out


def _iadd(x, y):
    out = x.clone()
    out += y
    return out


COMPARED = binary(SMALL_GRID, SMALL_GRID)

# ---- the table ----

UNIQUE_ONE = _unique().map(lambda x: Example((x,), {}))

OP_CASES: list[OpCase] = [
    # elementwise, two operands, broadcasting
    OpCase("add", lambda m, x, y: m.add(x, y), binary()),
    OpCase("add_alpha", lambda m, x, y: m.add(x, y, alpha=2.5), binary(), ops=("add",)),
    OpCase("add_operator_scalar", lambda m, x: 2 + x + 1.5, unary(), ops=("add",)),
    OpCase("sub", lambda m, x, y: m.sub(x, y), binary()),
    OpCase("sub_alpha", lambda m, x, y: m.sub(x, y, alpha=-0.5), binary(), ops=("sub",)),
    OpCase("rsub_operator", lambda m, x: 3 - x, unary(), ops=("sub",)),
    OpCase("mul", lambda m, x, y: m.mul(x, y), binary()),
    OpCase("div", lambda m, x, y: m.div(x, y), binary(floats(), nonzero())),
    OpCase("rdiv_operator", lambda m, x: 2 / x, unary(nonzero()), ops=("div",)),
    OpCase("pow_tensor_scalar", lambda m, x, exponent: x**exponent, unary(positive(), exponent=2.5), ops=("pow",)),
    OpCase("pow_tensor_int", lambda m, x: m.pow(x, 3), unary(), ops=("pow",)),
    OpCase("pow_tensor_negative", lambda m, x: x**-2, unary(nonzero()), ops=("pow",)),
    OpCase("pow_scalar_tensor", lambda m, x: 2.0**x, unary(), ops=("pow",)),
    # (y == 0 exactly is PyTorch's convention, d/dx = 0, whose own y-derivative is then 0, not the
    # 1/x that finite differences measure there: second derivatives are checked away from it)
    OpCase("pow_tensor_tensor", lambda m, x, y: m.pow(x, y), binary(positive(), away_from(0.0)), ops=("pow",)),
    OpCase("maximum", lambda m, x, y: m.maximum(x, y), binary(grid(0.25), grid(0.25, offset=0.125))),
    OpCase("minimum", lambda m, x, y: m.minimum(x, y), binary(grid(0.25), grid(0.25, offset=0.125))),
    OpCase(
        "maximum_ties", lambda m, x, y: m.maximum(x, y), binary(TIES, TIES), ops=("maximum",), finite_differences=False
    ),
    OpCase(
        "minimum_ties", lambda m, x, y: m.minimum(x, y), binary(TIES, TIES), ops=("minimum",), finite_differences=False
    ),
    OpCase("where", lambda m, x, y, condition: m.where(condition, x, y), where_example()),
    # three operands in one node (ops/fused.py)
    OpCase("lerp", lambda m, x, y, **p: m.lerp(x, y, **p), binary(weight=0.3)),
    OpCase("lerp_from_end", lambda m, x, y, **p: m.lerp(x, y, **p), binary(weight=0.8), ops=("lerp",)),
    OpCase("lerp_tensor_weight", lambda m, x, y, w: m.lerp(x, y, w), ternary(), ops=("lerp",)),
    OpCase("lerp_method", lambda m, x, y: x.lerp(y, 0.5), binary(), ops=("lerp",)),
    OpCase("addcmul", lambda m, x, y, z: m.addcmul(x, y, z, value=-0.5), ternary()),
    OpCase("addcmul_method", lambda m, x, y, z: x.addcmul(y, z), ternary(), ops=("addcmul",)),
    OpCase("addcdiv", lambda m, x, y, z: m.addcdiv(x, y, z, value=2.0), ternary(nonzero())),
    OpCase("addcdiv_method", lambda m, x, y, z: x.addcdiv(y, z), ternary(nonzero()), ops=("addcdiv",)),
    # elementwise, one operand
    OpCase("neg", lambda m, x: m.neg(x), unary()),
    OpCase("neg_operator", lambda m, x: -x, unary(), ops=("neg",)),
    OpCase("exp", lambda m, x: m.exp(x), unary()),
    OpCase("sin", lambda m, x: m.sin(x), unary()),
    OpCase("cos", lambda m, x: m.cos(x), unary()),
    OpCase("tanh", lambda m, x: m.tanh(x), unary()),
    OpCase("sigmoid", lambda m, x: m.sigmoid(x), unary()),
    OpCase("log", lambda m, x: m.log(x), unary(positive())),
    OpCase("sqrt", lambda m, x: m.sqrt(x), unary(positive())),
    OpCase("abs", lambda m, x: m.abs(x), unary(away_from(0.0))),
    OpCase("relu", lambda m, x: m.relu(x), unary(away_from(0.0))),
    OpCase("clamp", lambda m, x: m.clamp(x, min=-0.5, max=1.0), unary(away_from(-0.5, 1.0))),
    OpCase("clamp_only_min", lambda m, x: x.clamp(min=0.25), unary(away_from(0.25)), ops=("clamp",)),
    OpCase("clamp_only_max", lambda m, x: x.clamp(max=0.25), unary(away_from(0.25)), ops=("clamp",)),
    OpCase("clamp_min", lambda m, x: m.clamp_min(x, 0.25), unary(away_from(0.25))),
    OpCase("clamp_min_method", lambda m, x: x.clamp_min(-0.5), unary(away_from(-0.5)), ops=("clamp_min",)),
    OpCase("clamp_max", lambda m, x: m.clamp_max(x, 0.25), unary(away_from(0.25))),
    OpCase("clamp_max_method", lambda m, x: x.clamp_max(-0.5), unary(away_from(-0.5)), ops=("clamp_max",)),
    OpCase("positive", lambda m, x: m.positive(x) * 2, unary()),  # (x itself: times 2 makes a node to compare)
    OpCase("positive_operator", lambda m, x: +x * 2, unary(), ops=("positive",)),
    # PyTorch's other names: the same ops, the same nodes
    OpCase("multiply", lambda m, x, y: m.multiply(x, y), binary(), ops=("mul",)),
    OpCase("subtract_alpha", lambda m, x, y: m.subtract(x, y, alpha=2), binary(), ops=("sub",)),
    OpCase("divide", lambda m, x, y: m.divide(x, y), binary(floats(), nonzero()), ops=("div",)),
    OpCase("true_divide_method", lambda m, x, y: x.true_divide(y), binary(floats(), nonzero()), ops=("div",)),
    OpCase("negative", lambda m, x: m.negative(x), unary(), ops=("neg",)),
    OpCase("absolute_method", lambda m, x: x.absolute(), unary(away_from(0.0)), ops=("abs",)),
    OpCase("square", lambda m, x: m.square(x), unary()),
    OpCase("rsqrt", lambda m, x: m.rsqrt(x), unary(positive())),
    OpCase("reciprocal", lambda m, x: m.reciprocal(x), unary(nonzero())),
    OpCase("log1p", lambda m, x: m.log1p(x), unary(floats(-0.5, 2.0))),
    OpCase("expm1", lambda m, x: m.expm1(x), unary()),
    OpCase("log2", lambda m, x: m.log2(x), unary(positive())),
    OpCase("log10", lambda m, x: x.log10(), unary(positive())),
    OpCase("erf", lambda m, x: m.erf(x), unary(floats(-4.0, 4.0))),
    OpCase("exp2", lambda m, x: m.exp2(x), unary()),
    OpCase("tan", lambda m, x: m.tan(x), unary(floats(-1.2, 1.2))),
    OpCase("asin", lambda m, x: m.asin(x), unary(floats(-0.9, 0.9))),
    OpCase("acos", lambda m, x: x.acos(), unary(floats(-0.9, 0.9))),
    OpCase("atan", lambda m, x: m.atan(x), unary()),
    # (y and x away from 0: atan2 jumps by 2π where y crosses 0 left of the origin)
    OpCase("atan2", lambda m, y, x: m.atan2(y, x), binary(nonzero(), nonzero())),
    OpCase("sinh", lambda m, x: m.sinh(x), unary()),
    OpCase("cosh", lambda m, x: x.cosh(), unary()),
    # rounding: steps with a zero gradient, drawn away from the jumps at integers and halves
    OpCase("floor", lambda m, x: m.floor(x), unary(BETWEEN_STEPS)),
    OpCase("ceil", lambda m, x: x.ceil(), unary(BETWEEN_STEPS)),
    OpCase("round", lambda m, x: m.round(x), unary(BETWEEN_STEPS)),
    OpCase("round_decimals", lambda m, x: x.round(decimals=1), unary(grid(0.25, offset=0.03)), ops=("round",)),
    OpCase("round_negative_decimals", lambda m, x: m.round(x, decimals=-1), unary(), ops=("round",)),
    OpCase("trunc", lambda m, x: m.trunc(x), unary(BETWEEN_STEPS)),
    OpCase("frac", lambda m, x: m.frac(x), unary(BETWEEN_STEPS)),
    OpCase(
        "div_floor", lambda m, x, y: m.div(x, y, rounding_mode="floor"), binary(BETWEEN_STEPS, ONE_OR_TWO), ops=("div",)
    ),
    OpCase(
        "div_trunc", lambda m, x, y: x.div(y, rounding_mode="trunc"), binary(BETWEEN_STEPS, ONE_OR_TWO), ops=("div",)
    ),
    OpCase("remainder", lambda m, x, y: m.remainder(x, y), binary(BETWEEN_STEPS, ONE_OR_TWO)),
    OpCase("remainder_operator_scalar", lambda m, x: x % -1.5, unary(BETWEEN_STEPS), ops=("remainder",)),
    # (no derivative in PyTorch: values only; test_tensor checks that backward fails as PyTorch's)
    OpCase("floor_divide", lambda m, x, y: x // y, binary(floats(), nonzero()), differentiable=False),
    OpCase("flip", lambda m, x, dims: m.flip(x, dims), flip_example()),
    OpCase("flip_method", lambda m, x, dims: x.flip(*dims) if dims else x.flip(dims), flip_example(), ops=("flip",)),
    OpCase("movedim", lambda m, x, source, destination: m.movedim(x, source, destination), movedim_example()),
    OpCase(
        "moveaxis_method",
        lambda m, x, source, destination: x.moveaxis(source, destination),
        movedim_example(),
        ops=("movedim",),
    ),
    OpCase("tril", lambda m, x, diagonal: m.tril(x, diagonal), triangle_example()),
    OpCase("triu", lambda m, x, diagonal: x.triu(diagonal=diagonal), triangle_example()),
    OpCase("cumsum", lambda m, x, dim: m.cumsum(x, dim), dim_of(arrays("float64", any_shape()), keepdim=False)),
    OpCase(
        "cumsum_method_dtype",
        lambda m, x, dim: x.cumsum(dim, dtype=m.float64),
        dim_of(arrays("float64", any_shape()), keepdim=False),
        ops=("cumsum",),
    ),
    # activations of minigrad.nn.functional (ops/activation.py)
    OpCase("softplus", lambda m, x: m.nn.functional.softplus(x), unary()),
    OpCase(
        "softplus_beta_threshold",
        lambda m, x: m.nn.functional.softplus(x, beta=2.0, threshold=1.5),
        unary(away_from(0.75)),  # (βx = threshold: where softplus switches to x)
        ops=("softplus",),
    ),
    OpCase("gelu", lambda m, x: m.nn.functional.gelu(x), unary(floats(-4.0, 4.0))),
    OpCase("gelu_tanh", lambda m, x: m.nn.functional.gelu(x, approximate="tanh"), unary(), ops=("gelu",)),
    OpCase("silu", lambda m, x: m.nn.functional.silu(x), unary()),
    OpCase("elu", lambda m, x: m.nn.functional.elu(x), unary(away_from(0.0))),
    OpCase("elu_alpha", lambda m, x: m.nn.functional.elu(x, alpha=0.5), unary(away_from(0.0)), ops=("elu",)),
    OpCase("leaky_relu", lambda m, x: m.nn.functional.leaky_relu(x), unary(away_from(0.0))),
    OpCase(
        "leaky_relu_slope",
        lambda m, x: m.nn.functional.leaky_relu(x, negative_slope=0.2),
        unary(away_from(0.0)),
        ops=("leaky_relu",),
    ),
    OpCase("logsigmoid", lambda m, x: m.nn.functional.logsigmoid(x), unary(floats(-30.0, 30.0))),
    OpCase("selu", lambda m, x: m.nn.functional.selu(x), unary(away_from(0.0))),
    OpCase("celu", lambda m, x: m.nn.functional.celu(x, alpha=0.5), unary(away_from(0.0))),
    OpCase("hardtanh", lambda m, x: m.nn.functional.hardtanh(x), unary(away_from(-1.0, 1.0))),
    OpCase(
        "hardtanh_bounds",
        lambda m, x: m.nn.functional.hardtanh(x, min_val=-0.5, max_val=1.5),
        unary(away_from(-0.5, 1.5)),
        ops=("hardtanh",),
    ),
    OpCase("relu6", lambda m, x: m.nn.functional.relu6(x), unary(away_from(0.0, 6.0, low=-2.0, high=8.0))),
    OpCase(
        "hardsigmoid",
        lambda m, x: m.nn.functional.hardsigmoid(x),
        unary(away_from(-3.0, 3.0, low=-5.0, high=5.0)),
        twice=False,  # (PyTorch has no second derivative of hardsigmoid)
    ),
    OpCase("hardswish", lambda m, x: m.nn.functional.hardswish(x), unary(away_from(-3.0, 3.0, low=-5.0, high=5.0))),
    OpCase("mish", lambda m, x: m.nn.functional.mish(x), unary(floats(-20.0, 20.0))),
    # reductions
    OpCase("sum", lambda m, x, **p: m.sum(x, **p), reduction()),
    OpCase("mean", lambda m, x, **p: m.mean(x, **p), reduction(nonempty=True)),
    OpCase("var", lambda m, x, **p: m.var(x, **p), reduction(UNIQUE, unique=True, correction=True)),
    OpCase(
        "var_default",
        lambda m, x: x.var(),
        unary(UNIQUE, any_shape(min_dims=1, nonempty=True).filter(lambda s: math.prod(s) > 1)),
        ops=("var",),
    ),
    OpCase("std", lambda m, x, **p: m.std(x, **p), reduction(UNIQUE, unique=True, correction=True)),
    OpCase("max", lambda m, x: m.max(x), UNIQUE_ONE),
    OpCase("min", lambda m, x: m.min(x), UNIQUE_ONE),
    OpCase(
        "max_ties", lambda m, x: x.max(), unary(TIES, any_shape(nonempty=True)), ops=("max",), finite_differences=False
    ),
    OpCase(
        "min_ties", lambda m, x: x.min(), unary(TIES, any_shape(nonempty=True)), ops=("min",), finite_differences=False
    ),
    OpCase("max_dim", lambda m, x, **p: m.max(x, **p), dim_of(_unique(), nonempty_dim=True), ops=("max",)),
    OpCase("min_dim", lambda m, x, **p: m.min(x, **p), dim_of(_unique(), nonempty_dim=True), ops=("min",)),
    OpCase(
        "argmax",
        lambda m, x, **p: m.argmax(x, **p),
        reduction(UNIQUE, unique=True, allow_tuple=False, nonempty=True),
        differentiable=False,
    ),
    OpCase(
        "argmin",
        lambda m, x, **p: m.argmin(x, **p),
        reduction(UNIQUE, unique=True, allow_tuple=False, nonempty=True),
        differentiable=False,
    ),
    OpCase("softmax", lambda m, x, dim: m.softmax(x, dim=dim), dim_of(arrays("float64", any_shape()), keepdim=False)),
    OpCase(
        "log_softmax",
        lambda m, x, dim: m.log_softmax(x, dim=dim),
        dim_of(arrays("float64", any_shape()), keepdim=False),
    ),
    # linear algebra
    OpCase("matmul_1d_1d", lambda m, x, y: m.matmul(x, y), matmul_example(1, 1), ops=("matmul",)),
    OpCase("matmul_2d_1d", lambda m, x, y: m.matmul(x, y), matmul_example(2, 1), ops=("matmul",)),
    OpCase("matmul_1d_2d", lambda m, x, y: m.matmul(x, y), matmul_example(1, 2), ops=("matmul",)),
    OpCase("matmul_2d_2d", lambda m, x, y: x @ y, matmul_example(2, 2), ops=("matmul",)),
    OpCase("matmul_batched", lambda m, x, y: m.matmul(x, y), matmul_example(3, 3, batch=True), ops=("matmul",)),
    OpCase("matmul_batched_1d", lambda m, x, y: m.matmul(x, y), matmul_example(3, 1, batch=True), ops=("matmul",)),
    OpCase("matmul_1d_batched", lambda m, x, y: m.matmul(x, y), matmul_example(1, 3, batch=True), ops=("matmul",)),
    OpCase("mm", lambda m, x, y: m.mm(x, y), matmul_example(2, 2)),
    OpCase("bmm", lambda m, x, y: m.bmm(x, y), bmm_example()),
    OpCase("addmm", lambda m, bias, x, y: m.addmm(bias, x, y), addmm_example()),
    OpCase("addmm_method", lambda m, bias, x, y: bias.addmm(x, y), addmm_example(), ops=("addmm",)),
    # shapes
    OpCase("reshape", lambda m, x, shape: m.reshape(x, shape), reshape_example()),
    OpCase("view", lambda m, x, shape: x.view(shape), reshape_example()),
    OpCase("flatten", lambda m, x, **p: m.flatten(x, **p), flatten_example()),
    OpCase("transpose", lambda m, x, **p: m.transpose(x, **p), transpose_example()),
    OpCase("permute", lambda m, x, dims: m.permute(x, dims), permute_example()),
    OpCase("squeeze", lambda m, x: m.squeeze(x), squeeze_example(with_dim=False)),
    OpCase("squeeze_dim", lambda m, x, dim: m.squeeze(x, dim), squeeze_example(with_dim=True), ops=("squeeze",)),
    OpCase(
        "unsqueeze",
        lambda m, x, dim: m.unsqueeze(x, dim),
        dim_of(arrays("float64", any_shape()), keepdim=False, offset=1),
    ),
    OpCase("expand", lambda m, x, size: x.expand(*size) if size else x.expand(size), expand_example()),
    OpCase("cat", lambda m, *xs, dim: m.cat(list(xs), dim=dim), cat_example()),
    OpCase("stack", lambda m, *xs, dim: m.stack(xs, dim=dim), stack_example()),
    OpCase("split", lambda m, x, split, dim: m.split(x, split, dim=dim), split_example(sections=False)),
    OpCase(
        "split_sections", lambda m, x, split, dim: x.split(split, dim), split_example(sections=True), ops=("split",)
    ),
    OpCase("chunk", lambda m, x, chunks, dim: m.chunk(x, chunks, dim=dim), chunk_example()),
    OpCase("gather", lambda m, x, index, dim: m.gather(x, dim, index), gather_example()),
    OpCase("index_select", lambda m, x, index, dim: m.index_select(x, dim, index), index_select_example()),
    # indexing
    OpCase("getitem", lambda m, x, index: x[index], basic_index_example()),
    OpCase("getitem_mask", lambda m, x, mask: x[mask], mask_index_example(), ops=("getitem",)),
    OpCase(
        "getitem_int_tensor",
        lambda m, x, index, rest: x[index, 1:] if rest else x[index],
        int_tensor_index_example(),
        ops=("getitem",),
    ),
    OpCase("setitem", lambda m, x, value, index: _setitem(x, value, index), setitem_example()),
    OpCase(
        "setitem_mask", lambda m, x, value, mask: _setitem(x, value, mask), setitem_mask_example(), ops=("setitem",)
    ),
    # the rest of minigrad.ops
    OpCase("clone", lambda m, x: m.clone(x), unary()),
    OpCase("sign", lambda m, x: m.sign(x), unary(away_from(0.0))),
    OpCase("eq", lambda m, x, y: m.eq(x, y), COMPARED, differentiable=False),
    OpCase("ne", lambda m, x, y: m.ne(x, y), COMPARED, differentiable=False),
    OpCase("lt", lambda m, x, y: x < y, COMPARED, differentiable=False),
    OpCase("le", lambda m, x, y: x <= y, COMPARED, differentiable=False),
    OpCase("gt", lambda m, x, y: m.gt(x, y), COMPARED, differentiable=False),
    OpCase("ge", lambda m, x, y: m.ge(x, y), COMPARED, differentiable=False),
    OpCase("logical_and", lambda m, x, y: m.logical_and(x, y), bool_pair(), differentiable=False),
    OpCase("logical_or", lambda m, x, y: m.logical_or(x, y), bool_pair(), differentiable=False),
    OpCase("logical_xor", lambda m, x, y: m.logical_xor(x, y), bool_pair(), differentiable=False),
    OpCase(
        "logical_and_mixed", lambda m, x, y: x.logical_and(y), truth_pair(), differentiable=False, ops=("logical_and",)
    ),
    OpCase(
        "logical_or_mixed", lambda m, x, y: m.logical_or(x, y), truth_pair(), differentiable=False, ops=("logical_or",)
    ),
    OpCase(
        "logical_xor_mixed",
        lambda m, x, y: m.logical_xor(x, y),
        truth_pair(),
        differentiable=False,
        ops=("logical_xor",),
    ),
    OpCase("bitwise_and", lambda m, x, y: x & y, integer_pair(), differentiable=False),
    OpCase("bitwise_or", lambda m, x, y: m.bitwise_or(x, y), integer_pair(), differentiable=False),
    OpCase("bitwise_xor", lambda m, x, y: x.bitwise_xor(y), integer_pair(), differentiable=False),
    OpCase("bitwise_and_bool", lambda m, x, y: x & y, bool_pair(), differentiable=False, ops=("bitwise_and",)),
    OpCase(
        "logical_not",
        lambda m, x: m.logical_not(x),
        arrays("bool", any_shape()).map(lambda x: Example((x,), {})),
        differentiable=False,
    ),
    OpCase("nonzero", lambda m, x: m.nonzero(x > 0), unary(SMALL_GRID), differentiable=False),
    OpCase(
        "nonzero_tuple",
        lambda m, x: x.nonzero(as_tuple=True),
        unary(SMALL_GRID),
        ops=("nonzero",),
        differentiable=False,
    ),
    OpCase(
        "where_condition_only", lambda m, x: m.where(x > 0), unary(SMALL_GRID), ops=("where",), differentiable=False
    ),
    OpCase("argwhere", lambda m, x: m.argwhere(x), unary(SMALL_GRID), differentiable=False),
    OpCase("isnan", lambda m, x: m.isnan(x), unary(SPECIAL), differentiable=False),
    OpCase("isinf", lambda m, x: m.isinf(x), unary(SPECIAL), differentiable=False),
    OpCase("isfinite", lambda m, x: m.isfinite(x), unary(SPECIAL), differentiable=False),
    OpCase("amax", lambda m, x, **p: m.amax(x, **p), reduction(UNIQUE, unique=True, allow_none=False, nonempty=True)),
    OpCase("amin", lambda m, x, **p: m.amin(x, **p), reduction(UNIQUE, unique=True, allow_none=False, nonempty=True)),
    OpCase(
        "amin_ties",
        lambda m, x: x.amin(),
        unary(TIES, any_shape(nonempty=True)),
        ops=("amin",),
        finite_differences=False,
    ),
    OpCase("sort", lambda m, x, dim, descending: m.sort(x, dim, descending), sort_example()),
    OpCase(
        "sort_indices",
        lambda m, x, dim, descending: x.sort(dim, descending)[1],
        sort_example(),
        ops=("sort",),
        differentiable=False,
    ),
    OpCase("argsort", lambda m, x, dim, descending: x.argsort(dim, descending), sort_example(), differentiable=False),
    OpCase("topk", lambda m, x, k, dim, largest: m.topk(x, k, dim, largest), topk_example()),
    OpCase(
        "topk_indices",
        lambda m, x, k, dim, largest: x.topk(k, dim, largest).indices,
        topk_example(),
        ops=("topk",),
        differentiable=False,
    ),
    OpCase("logsumexp", lambda m, x, **p: m.logsumexp(x, **p), reduction(allow_none=False)),
    OpCase("norm", lambda m, x, **p: m.norm(x, 2, **p), reduction(away_from(0.0))),
    OpCase("norm_p1", lambda m, x, **p: m.norm(x, 1, **p), reduction(away_from(0.0)), ops=("norm",)),
    OpCase("norm_p3", lambda m, x, **p: x.norm(3, **p), reduction(away_from(0.0)), ops=("norm",)),
    OpCase(
        "norm_inf",
        lambda m, x, **p: x.norm(math.inf, **p),
        reduction(away_from(0.0), unique=True, nonempty=True),
        ops=("norm",),
    ),
    OpCase("unflatten", lambda m, x, dim, sizes: m.unflatten(x, dim, sizes), unflatten_example()),
    OpCase("t", lambda m, x: m.t(x), unary(shape=any_shape(max_dims=2))),
    OpCase("broadcast_to", lambda m, x, size: m.broadcast_to(x, size), expand_example()),
    OpCase("broadcast_tensors", lambda m, *xs: m.broadcast_tensors(*xs), broadcast_tensors_example()),
    OpCase("concat", lambda m, *xs, dim: m.concat(list(xs), dim=dim), cat_example()),
    OpCase("concatenate", lambda m, *xs, dim: m.concatenate(list(xs), dim=dim), cat_example()),
    OpCase(
        "unbind", lambda m, x, dim: m.unbind(x, dim), dim_of(arrays("float64", any_shape(min_dims=1)), keepdim=False)
    ),
    OpCase("narrow", lambda m, x, **p: m.narrow(x, **p), narrow_example()),
    OpCase("select", lambda m, x, **p: m.select(x, **p), select_example()),
    OpCase("masked_fill", lambda m, x, mask, value: m.masked_fill(x, mask, value), masked_fill_example()),
    OpCase("repeat", lambda m, x, sizes: x.repeat(*sizes) if sizes else x.repeat(()), repeat_example()),
    OpCase("dot", lambda m, x, y: m.dot(x, y), vectors_example(same_size=True)),
    OpCase("mv", lambda m, x, y: m.mv(x, y), vectors_example(same_size=True, matrix_first=True)),
    OpCase("outer", lambda m, x, y: m.outer(x, y), vectors_example(same_size=False)),
    OpCase("ger_method", lambda m, x, y: x.ger(y), vectors_example(same_size=False), ops=("outer",)),
    # in-place methods (on a copy, so the graph records them)
    OpCase("add_", lambda m, x, y: _on_copy(x, "add_", y, alpha=2.0), inplace_example(floats()), ops=("add",)),
    OpCase("iadd", lambda m, x, y: _iadd(x, y), inplace_example(floats()), ops=("add",)),
    OpCase("sub_", lambda m, x, y: _on_copy(x, "sub_", y), inplace_example(floats()), ops=("sub",)),
    OpCase("mul_", lambda m, x, y: _on_copy(x, "mul_", y), inplace_example(floats()), ops=("mul",)),
    OpCase("div_", lambda m, x, y: _on_copy(x, "div_", y), inplace_example(nonzero()), ops=("div",)),
    OpCase("pow_", lambda m, x: _on_copy(x, "pow_", 2.5), inplace_example(x_elements=positive()), ops=("pow",)),
    OpCase("exp_", lambda m, x: _on_copy(x, "exp_"), inplace_example(), ops=("exp",)),
    OpCase(
        "clamp_",
        lambda m, x: _on_copy(x, "clamp_", -0.5, 1.0),
        inplace_example(x_elements=away_from(-0.5, 1.0)),
        ops=("clamp",),
    ),
    OpCase(
        "addcmul_",
        lambda m, x, y, z: _on_copy(x, "addcmul_", y, z, value=0.5),
        inplace_example(floats(), floats()),
        ops=("mul", "add"),
    ),
    OpCase(
        "addcdiv_",
        lambda m, x, y, z: _on_copy(x, "addcdiv_", y, z, value=-2.0),
        inplace_example(floats(), nonzero()),
        ops=("div", "add"),
    ),
    OpCase(
        "masked_fill_",
        lambda m, x, mask: _on_copy(x, "masked_fill_", mask, 0.5),
        masked_fill_example().map(lambda e: Example(e.arrays, {})),
        ops=("masked_fill",),
    ),
    OpCase("copy_", lambda m, x, y: _on_copy(x, "copy_", y), inplace_example(floats()), ops=("clone",)),
    OpCase("zero_", lambda m, x: _on_copy(x, "zero_"), inplace_example(), ops=("clone",)),
    OpCase("fill_", lambda m, x: _on_copy(x, "fill_", 1.5), inplace_example(), ops=("clone",)),
]
