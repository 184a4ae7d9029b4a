"""
minigrad: an autograd engine to read and learn from, with PyTorch's API.

    import minigrad as torch      # lecture code written for PyTorch runs unchanged

Where to start reading: tensor.py (the Tensor), autograd/function.py (how ops record the
graph), autograd/engine.py (how backward walks it), ops/ (every op's forward and backward).
"""

from __future__ import annotations

import builtins
import functools

from minigrad import autograd, backend, cuda, dtypes
from minigrad import ops as _ops
from minigrad._tensor_str import set_printoptions
from minigrad.autograd.grad_mode import (
    enable_grad,
    inference_mode,
    is_grad_enabled,
    no_grad,
    set_grad_enabled,
)
from minigrad.backend import device
from minigrad.creation import (
    BoolTensor,
    DoubleTensor,
    FloatTensor,
    LongTensor,
    arange,
    as_tensor,
    empty,
    empty_like,
    eye,
    from_numpy,
    full,
    full_like,
    initial_seed,
    linspace,
    manual_seed,
    ones,
    ones_like,
    rand,
    rand_like,
    randint,
    randint_like,
    randn,
    randn_like,
    randperm,
    seed,
    tensor,
    zeros,
    zeros_like,
)
from minigrad.dtypes import (
    bool,  # noqa: A004
    float16,
    float32,
    float64,
    get_default_dtype,
    int8,
    int16,
    int32,
    int64,
    set_default_dtype,
    uint8,
)
from minigrad.ops import *  # noqa: F403  (the functional forms: minigrad.exp, minigrad.matmul, ...)
from minigrad.ops import __all__ as _op_names
from minigrad.ops import _common
from minigrad.random import Generator
from minigrad.serialization import load, save
from minigrad.tensor import OPERAND_TYPES as _OPERAND_TYPES
from minigrad.tensor import Size, Tensor

dtype = dtypes.dtype
float = float32  # noqa: A001  (torch.float)
double = float64
half = float16
long = int64
int = int32  # noqa: A001  (torch.int)
short = int16

__version__ = "0.1.0"


def is_tensor(obj: object) -> builtins.bool:
    return isinstance(obj, Tensor)


def numel(x: Tensor) -> builtins.int:
    return x.numel()


def result_type(a: object, b: object) -> dtypes.dtype:
    return dtypes.result_type(a, b)


def promote_types(a: dtypes.dtype, b: dtypes.dtype) -> dtypes.dtype:
    for position, (argument, value) in enumerate((("type1", a), ("type2", b)), start=1):
        if not isinstance(value, dtypes.dtype):
            raise _common.wrong_argument("promote_types", argument, position, f"{dtypes.display_name}.dtype", value)
    return dtypes.promote_types(a, b)


def is_floating_point(x: Tensor) -> builtins.bool:
    return x.is_floating_point()


def allclose(a: Tensor, b: Tensor, rtol: builtins.float = 1e-05, atol: builtins.float = 1e-08) -> builtins.bool:
    _common.check_tensor_arguments("allclose", ("input", "other"), a, b)
    return a.allclose(b, rtol, atol)


def equal(a: Tensor, b: Tensor) -> builtins.bool:
    _common.check_tensor_arguments("equal", ("input", "other"), a, b)
    return a.equal(b)


def all(x: Tensor, dim: object = None, keepdim: builtins.bool = False) -> Tensor:  # noqa: A001
    _common.check_tensor_argument("all", "input", 1, x)
    return x.all(dim, keepdim)


def any(x: Tensor, dim: object = None, keepdim: builtins.bool = False) -> Tensor:  # noqa: A001
    _common.check_tensor_argument("any", "input", 1, x)
    return x.any(dim, keepdim)


def norm(x: Tensor, p: object = 2, dim: object = None, keepdim: builtins.bool = False) -> Tensor:
    return x.norm(p, dim, keepdim)


def clip(x: Tensor, min: object = None, max: object = None) -> Tensor:  # noqa: A002
    return clamp(x, min, max)  # noqa: F405


def _tensor_first(op):  # noqa: ANN001, ANN202
    """`minigrad.exp([1.])` gets PyTorch's TypeError, not an AttributeError from inside the op.

    Only the public functional forms below are checked; Tensor methods call the ops directly
    (their first argument is always a Tensor), so the hot path pays nothing."""

    @functools.wraps(op)
    def checked(input, *args, **kwargs):  # noqa: ANN001, ANN002, ANN003, ANN202
        if not isinstance(input, Tensor):
            _common.check_tensor_argument(op.__name__, "input", 1, input)
        return op(input, *args, **kwargs)

    return checked


def _binary(op, name=None):  # noqa: ANN001, ANN202
    """`minigrad.add(x, "a")` gets PyTorch's TypeError, naming the argument or listing the signatures
    (ops/_common.py: check_operands), not one from inside the op. Only the functional forms pay."""
    name = name or op.__name__

    @functools.wraps(op)
    def checked(input, other, *args, **kwargs):  # noqa: ANN001, ANN002, ANN003, ANN202
        if not (isinstance(input, Tensor) and isinstance(other, _OPERAND_TYPES)):  # (two isinstance, if all is well)
            _common.check_operands(name, input, other)
        return op(input, other, *args, **kwargs)

    return checked


# The binary ops: a tensor or a number on either side (PyTorch's rules: _binary).
_BINARY = {
    "add", "sub", "mul", "div", "pow", "remainder", "floor_divide", "eq", "ne", "lt", "le", "gt", "ge",
    "bitwise_and", "bitwise_or", "bitwise_xor",
}  # fmt: skip
# Every other functional op checks that its first argument is a tensor, except those that check it
# themselves (they take sequences there, cat([x, y]), or name more arguments).
_CHECKED_BY_THE_OP = {
    "maximum", "minimum", "where", "logical_and", "logical_or", "logical_xor", "cat", "concat", "concatenate",
    "stack", "broadcast_tensors", "matmul", "addmm",
}  # fmt: skip
for _name in _op_names:
    if _name in _BINARY:
        globals()[_name] = _binary(globals()[_name])
    elif _name not in _CHECKED_BY_THE_OP:
        globals()[_name] = _tensor_first(globals()[_name])


arcsin, arccos, arctan, arctan2, fix = asin, acos, atan, atan2, trunc  # noqa: F405  (PyTorch's other names)
moveaxis, swapaxes, swapdims = movedim, transpose, transpose  # noqa: F405
multiply, subtract = _binary(_ops.mul, "multiply"), _binary(_ops.sub, "subtract")
divide, true_divide = _binary(_ops.div, "divide"), _binary(_ops.div, "true_divide")
negative, absolute = neg, abs  # noqa: F405
zeros_like, ones_like, rand_like = _tensor_first(zeros_like), _tensor_first(ones_like), _tensor_first(rand_like)
randn_like, full_like = _tensor_first(randn_like), _tensor_first(full_like)
empty_like = _tensor_first(empty_like)


import minigrad.autograd.functional  # noqa: E402  (minigrad.autograd.functional.jacobian; it needs Tensor first)
from minigrad import nn, optim  # noqa: E402  (they build on everything above)
