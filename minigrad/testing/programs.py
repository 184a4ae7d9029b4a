"""
Random programs: a hypothesis strategy that draws a short straight-line program (1 to 12
ops over 1 to 3 input tensors), which runs unchanged on minigrad and on PyTorch.

A program prints as the code it runs, so a failing example shrinks to something like

    def program(m, v0, v1):
        v2 = v0 * v1
        v3 = v2.sum(dim=0, keepdim=False)
        return v3

where `m` is the library (minigrad or torch). Each op knows when it applies (which operand
shapes it accepts) and the shape it produces; PROGRAM_OPS is the catalogue.
"""

import math
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import numpy as np
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp

Shape = tuple[int, ...]


@dataclass(frozen=True)
class ProgramOp:
    """One kind of step: how to run it, how to print it, and which shapes it accepts.

    `params(shapes)` returns a strategy for the op's keyword parameters, or None when the op
    does not apply to operands of these shapes; `shape(shapes, **params)` is the result shape.
    """

    name: str
    arity: int
    run: Callable[..., Any]  # run(m, *operands, **params)
    text: str  # format string over the operand names and params
    shape: Callable[..., Shape]
    params: Callable[..., st.SearchStrategy[dict] | None] = lambda *shapes: st.just({})


def _same(*shapes: Shape, **params: Any) -> Shape:
    return shapes[0]


def _broadcast(*shapes: Shape, **params: Any) -> Shape | None:
    try:
        return tuple(np.broadcast_shapes(*shapes))
    except ValueError:
        return None


def _binary_params(a: Shape, b: Shape) -> st.SearchStrategy[dict] | None:
    return st.just({}) if _broadcast(a, b) is not None else None


def _dim_params(
    a: Shape, keepdim: bool = True, nonempty: bool = False, min_size: int = 0
) -> st.SearchStrategy[dict] | None:
    """A `dim` (and `keepdim`) for a reduction over one dimension of a shape-`a` tensor."""
    min_size = max(min_size, 1 if nonempty else 0)
    dims = [d for d in range(len(a)) if a[d] >= min_size]
    if not dims:
        return None
    dim = st.sampled_from(dims).flatmap(lambda d: st.sampled_from([d, d - len(a)]))
    if not keepdim:
        return st.fixed_dictionaries({"dim": dim})
    return st.fixed_dictionaries({"dim": dim, "keepdim": st.booleans()})


def _reduced(a: Shape, dim: int, keepdim: bool = False) -> Shape:
    dim %= len(a)
    return a[:dim] + ((1,) if keepdim else ()) + a[dim + 1 :]


def _matmul_shape(a: Shape, b: Shape) -> Shape | None:
    """The shape of a @ b.mT, or None when the inner sizes or batch dims disagree."""
    if len(a) < 2 or len(b) < 2 or a[-1] != b[-1]:
        return None
    batch = _broadcast(a[:-2], b[:-2])
    return None if batch is None else batch + (a[-2], b[-2])


def _cat_params(a: Shape, b: Shape) -> st.SearchStrategy[dict] | None:
    if len(a) != len(b) or not a:
        return None
    dims = [d for d in range(len(a)) if a[:d] + a[d + 1 :] == b[:d] + b[d + 1 :]]
    return st.fixed_dictionaries({"dim": st.sampled_from(dims)}) if dims else None


def _cat_shape(a: Shape, b: Shape, dim: int) -> Shape:
    return a[:dim] + (a[dim] + b[dim],) + a[dim + 1 :]


def _transpose_params(a: Shape) -> st.SearchStrategy[dict] | None:
    if len(a) < 2:
        return None
    pairs = [(d0, d1) for d0 in range(len(a)) for d1 in range(d0 + 1, len(a))]
    return st.sampled_from(pairs).map(lambda pair: {"dim0": pair[0], "dim1": pair[1]})


def _transposed(a: Shape, dim0: int, dim1: int) -> Shape:
    swapped = list(a)
    swapped[dim0], swapped[dim1] = a[dim1], a[dim0]
    return tuple(swapped)


def _unary(name: str, run: Callable, text: str) -> ProgramOp:
    return ProgramOp(name, 1, run, text, _same)


def _binary(name: str, run: Callable, text: str) -> ProgramOp:
    return ProgramOp(name, 2, run, text, _broadcast, _binary_params)


# The catalogue. log, sqrt and div are guarded (|x| + 1 > 0) so that programs stay inside
# their domains whatever values earlier steps produce.
PROGRAM_OPS: list[ProgramOp] = [
    _unary("neg", lambda m, x: -x, "-{0}"),
    _unary("exp", lambda m, x: x.exp(), "{0}.exp()"),
    _unary("log", lambda m, x: (x.abs() + 1).log(), "({0}.abs() + 1).log()"),
    _unary("sqrt", lambda m, x: (x * x + 1).sqrt(), "({0} * {0} + 1).sqrt()"),
    _unary("tanh", lambda m, x: x.tanh(), "{0}.tanh()"),
    _unary("sigmoid", lambda m, x: x.sigmoid(), "{0}.sigmoid()"),
    _unary("sin", lambda m, x: x.sin(), "{0}.sin()"),
    _unary("cos", lambda m, x: x.cos(), "{0}.cos()"),
    _unary("relu", lambda m, x: x.relu(), "{0}.relu()"),
    _unary("abs", lambda m, x: x.abs(), "{0}.abs()"),
    _unary("square", lambda m, x: x**2, "{0} ** 2"),
    _unary("clamp", lambda m, x: x.clamp(min=-1.0, max=1.0), "{0}.clamp(min=-1.0, max=1.0)"),
    _unary("scale", lambda m, x: 0.5 * x - 1.5, "0.5 * {0} - 1.5"),
    _unary("atan", lambda m, x: x.atan(), "{0}.atan()"),
    _unary("softplus", lambda m, x: m.nn.functional.softplus(x), "m.nn.functional.softplus({0})"),
    _unary("silu", lambda m, x: m.nn.functional.silu(x), "m.nn.functional.silu({0})"),
    _unary("logsigmoid", lambda m, x: m.nn.functional.logsigmoid(x), "m.nn.functional.logsigmoid({0})"),
    _binary("add", lambda m, x, y: x + y, "{0} + {1}"),
    _binary("sub", lambda m, x, y: x - y, "{0} - {1}"),
    _binary("mul", lambda m, x, y: x * y, "{0} * {1}"),
    _binary("div", lambda m, x, y: x / (y.abs() + 1), "{0} / ({1}.abs() + 1)"),
    _binary("maximum", lambda m, x, y: m.maximum(x, y), "m.maximum({0}, {1})"),
    _binary("where", lambda m, x, y: m.where(x > y, x, y * 2), "m.where({0} > {1}, {0}, {1} * 2)"),
    ProgramOp("sum_all", 1, lambda m, x: x.sum(), "{0}.sum()", lambda a: ()),
    ProgramOp(
        "sum",
        1,
        lambda m, x, **p: x.sum(**p),
        "{0}.sum(dim={dim}, keepdim={keepdim})",
        _reduced,
        lambda a: _dim_params(a),
    ),
    ProgramOp(
        "mean",
        1,
        lambda m, x, **p: x.mean(**p),
        "{0}.mean(dim={dim}, keepdim={keepdim})",
        _reduced,
        lambda a: _dim_params(a, nonempty=True),
    ),
    ProgramOp(
        "max",
        1,
        lambda m, x, **p: x.max(**p).values,
        "{0}.max(dim={dim}, keepdim={keepdim}).values",
        _reduced,
        lambda a: _dim_params(a, nonempty=True),
    ),
    ProgramOp(
        "cumsum",
        1,
        lambda m, x, dim: x.cumsum(dim),
        "{0}.cumsum({dim})",
        _same,
        lambda a: _dim_params(a, keepdim=False),
    ),
    ProgramOp(
        "flip", 1, lambda m, x, dim: x.flip(dim), "{0}.flip({dim})", _same, lambda a: _dim_params(a, keepdim=False)
    ),
    ProgramOp(
        "softmax",
        1,
        lambda m, x, dim: x.softmax(dim=dim),
        "{0}.softmax(dim={dim})",
        _same,
        lambda a: _dim_params(a, keepdim=False),
    ),
    ProgramOp(
        "log_softmax",
        1,
        lambda m, x, dim: x.log_softmax(dim=dim),
        "{0}.log_softmax(dim={dim})",
        _same,
        lambda a: _dim_params(a, keepdim=False, nonempty=True),
    ),
    ProgramOp(
        "transpose",
        1,
        lambda m, x, dim0, dim1: x.transpose(dim0, dim1),
        "{0}.transpose({dim0}, {dim1})",
        _transposed,
        _transpose_params,
    ),
    ProgramOp(
        "unsqueeze",
        1,
        lambda m, x, dim: x.unsqueeze(dim),
        "{0}.unsqueeze({dim})",
        lambda a, dim: a[:dim] + (1,) + a[dim:],
        lambda a: st.fixed_dictionaries({"dim": st.integers(0, len(a))}) if len(a) < 4 else None,
    ),
    ProgramOp("flatten", 1, lambda m, x: x.reshape(-1), "{0}.reshape(-1)", lambda a: (math.prod(a),)),
    ProgramOp(
        "slice",
        1,
        lambda m, x: x[1:],
        "{0}[1:]",
        lambda a: (max(a[0] - 1, 0),) + a[1:],
        lambda a: st.just({}) if a else None,
    ),
    ProgramOp(
        "index",
        1,
        lambda m, x: x[-1],
        "{0}[-1]",
        lambda a: a[1:],
        lambda a: st.just({}) if a and a[0] > 0 else None,
    ),
    ProgramOp(
        "matmul",
        2,
        lambda m, x, y: x @ y.mT,
        "{0} @ {1}.mT",
        _matmul_shape,
        lambda a, b: st.just({}) if _matmul_shape(a, b) is not None else None,
    ),
    ProgramOp(
        "cat",
        2,
        lambda m, x, y, dim: m.cat([x, y], dim=dim),
        "m.cat([{0}, {1}], dim={dim})",
        _cat_shape,
        _cat_params,
    ),
    ProgramOp(
        "stack",
        2,
        lambda m, x, y: m.stack([x, y]),
        "m.stack([{0}, {1}])",
        lambda a, b: (2,) + a,
        lambda a, b: st.just({}) if a == b and len(a) < 4 else None,
    ),
]
PROGRAM_OPS += [
    _binary("minimum", lambda m, x, y: m.minimum(x, y), "m.minimum({0}, {1})"),
    _binary("pow", lambda m, x, y: (x.abs() + 0.5) ** y.tanh(), "({0}.abs() + 0.5) ** {1}.tanh()"),
    ProgramOp(
        "mul_",
        2,
        lambda m, x, y: _mul_on_copy(x, y),
        "{0}.clone().mul_({1})",
        lambda a, b: a,
        lambda a, b: st.just({}) if _broadcast(a, b) == a else None,  # in place: y broadcasts *to* x
    ),
    ProgramOp(
        "mul_ through a view",
        1,
        lambda m, x: _mul_through_view(x),
        "(c := {0}.clone(), c.permute(tuple(reversed(range(c.dim()))))[:1].mul_({0}.mT[:1].tanh()))[0]",
        lambda a: a,
        lambda a: st.just({}) if len(a) == 2 and a[-1] > 0 else None,  # mT: the reversed dims of a matrix
    ),
    _unary("masked_fill", lambda m, x: x.masked_fill(x > 0.5, 0.5), "{0}.masked_fill({0} > 0.5, 0.5)"),
    ProgramOp(
        "var",
        1,
        lambda m, x, **p: x.var(**p),
        "{0}.var(dim={dim}, keepdim={keepdim})",
        _reduced,
        lambda a: _dim_params(a, min_size=2),
    ),
    ProgramOp(
        "logsumexp",
        1,
        lambda m, x, **p: m.logsumexp(x, **p),
        "m.logsumexp({0}, dim={dim}, keepdim={keepdim})",
        _reduced,
        lambda a: _dim_params(a, nonempty=True),
    ),
    ProgramOp(
        "permute",
        1,
        lambda m, x: x.permute(tuple(reversed(range(x.dim())))),
        "{0}.permute(tuple(reversed(range({0}.dim()))))",
        lambda a: tuple(reversed(a)),
    ),
    ProgramOp(
        "expand",
        1,
        lambda m, x: x.unsqueeze(0).expand(2, *x.shape),
        "{0}.unsqueeze(0).expand(2, *{0}.shape)",
        lambda a: (2,) + a,
        lambda a: st.just({}) if len(a) < 4 else None,
    ),
    ProgramOp(
        "take",
        1,
        lambda m, x: x[..., [0, 0]],
        "{0}[..., [0, 0]]",  # a repeated index: backward adds twice
        lambda a: a[:-1] + (2,),
        lambda a: st.just({}) if a and a[-1] > 0 else None,
    ),
]
OPS_BY_NAME = {op.name: op for op in PROGRAM_OPS}


def _mul_on_copy(x: Any, y: Any) -> Any:
    out = x.clone()
    out.mul_(y)  # y broadcasts to out's shape (checked by the op's params)
    return out


def _mul_through_view(x: Any) -> Any:
    out = x.clone()
    out.permute(tuple(reversed(range(out.dim()))))[:1].mul_(x.mT[:1].tanh())  # changes out's last column
    return out


@dataclass(frozen=True)
class Step:
    """`values[target] = op(values[args[0]], ..., **params)`."""

    op: str
    args: tuple[int, ...]
    params: tuple[tuple[str, Any], ...] = ()


@dataclass(frozen=True)
class Program:
    """A straight-line program over `len(input_shapes)` inputs; outputs are its sinks
    (values no later step uses)."""

    input_shapes: tuple[Shape, ...]
    steps: tuple[Step, ...]
    outputs: tuple[int, ...] = ()
    shapes: tuple[Shape, ...] = ()  # every value's shape, as the strategy worked it out

    def __call__(self, m: Any, *inputs: Any) -> tuple:
        """Run on library `m` (minigrad or torch); returns the output tensors."""
        values = self.run_all(m, *inputs)
        return tuple(values[i] for i in self.outputs)

    def run_all(self, m: Any, *inputs: Any) -> list:
        """Every value: the inputs, then one per step."""
        values = list(inputs)
        for step in self.steps:
            op = OPS_BY_NAME[step.op]
            values.append(op.run(m, *(values[i] for i in step.args), **dict(step.params)))
        return values

    def _repr_pretty_(self, printer: Any, cycle: bool) -> None:
        """Hypothesis prints a failing example through this hook: show the code."""
        printer.text(repr(self))

    def __repr__(self) -> str:
        names = [f"v{i}" for i in range(len(self.input_shapes))]
        shapes = ", ".join(f"v{i}: {shape}" for i, shape in enumerate(self.input_shapes))
        lines = [f"def program(m, {', '.join(names)}):  # {shapes}"]
        for index, step in enumerate(self.steps, start=len(names)):
            code = OPS_BY_NAME[step.op].text.format(*(f"v{i}" for i in step.args), **dict(step.params))
            lines.append(f"    v{index} = {code}")
        lines.append(f"    return {', '.join(f'v{i}' for i in self.outputs)}")
        return "\n".join(lines)


@st.composite
def programs(draw: st.DrawFn, min_ops: int = 1, max_ops: int = 12, max_inputs: int = 3) -> Program:
    """A random Program of `min_ops` to `max_ops` steps over 1 to `max_inputs` inputs whose
    shapes broadcast together (sides up to 3, sometimes 0)."""
    count = draw(st.integers(1, max_inputs))
    min_side = draw(st.sampled_from([1, 0]))
    drawn = draw(hnp.mutually_broadcastable_shapes(num_shapes=count, max_dims=3, min_side=min_side, max_side=3))
    shapes: list[Shape] = list(drawn.input_shapes)
    steps = []
    used: set[int] = set()
    for _ in range(draw(st.integers(min_ops, max_ops))):
        op = draw(st.sampled_from(PROGRAM_OPS))
        # Operands, most recent value first, so programs shrink towards chains.
        recent = list(reversed(range(len(shapes))))
        candidates = [
            args for args in _operand_tuples(recent, op.arity) if op.params(*(shapes[i] for i in args)) is not None
        ]
        if not candidates:
            op, candidates = OPS_BY_NAME["tanh"], [(recent[0],)]
        args = draw(st.sampled_from(candidates[:24]))
        operand_shapes = [shapes[i] for i in args]
        params = draw(op.params(*operand_shapes))
        shapes.append(tuple(op.shape(*operand_shapes, **params)))
        steps.append(Step(op.name, args, tuple(sorted(params.items()))))
        used.update(args)
    outputs = tuple(i for i in range(count, len(shapes)) if i not in used)
    return Program(tuple(drawn.input_shapes), tuple(steps), outputs, tuple(shapes))


def _operand_tuples(recent: list[int], arity: int) -> list[tuple[int, ...]]:
    if arity == 1:
        return [(i,) for i in recent]
    return [(i, j) for i in recent for j in recent]


graphs = programs  # the other name for the same strategy
