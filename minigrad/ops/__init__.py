"""
Every differentiable op, as a function: `minigrad.ops.mul(x, y)` is what `x * y` calls.

Families, one file each: arithmetic.py (add, sub, mul, div, pow), unary.py (exp, tanh, relu, ...),
trigonometric.py (tan, asin, atan2, sinh, ...), rounding.py (floor, round, ...), cumulative.py
(cumsum), triangular.py (tril, triu), sorting.py (sort, topk), fused.py (lerp, addcmul, addcdiv),
elementwise.py (where, casts, comparisons),
reduce.py (sum, mean, max, softmax, ...), shape.py (reshape, permute, cat, ...), indexing.py
(x[key], x[key] = v, gather, ...),
linalg.py (matmul). `_shape.py` holds sum_to, the one place broadcasting is undone.
"""

from minigrad.ops.arithmetic import (
    add,
    div,
    floor_divide,
    mul,
    pow,
    remainder,
    sub,
)
from minigrad.ops.cumulative import cumsum
from minigrad.ops.elementwise import (
    bitwise_and,
    bitwise_or,
    bitwise_xor,
    clone,
    eq,
    ge,
    gt,
    isfinite,
    isinf,
    isnan,
    le,
    logical_and,
    logical_not,
    logical_or,
    logical_xor,
    lt,
    maximum,
    minimum,
    ne,
    sign,
    where,
)
from minigrad.ops.fused import addcdiv, addcmul, lerp
from minigrad.ops.indexing import (
    argwhere,
    gather,
    getitem,
    index_select,
    masked_fill,
    nonzero,
    setitem,
)
from minigrad.ops.linalg import addmm, bmm, dot, matmul, mm, mv, outer
from minigrad.ops.reduce import (
    amax,
    amin,
    argmax,
    argmin,
    log_softmax,
    logsumexp,
    max,
    mean,
    min,
    norm,
    softmax,
    std,
    sum,
    var,
)
from minigrad.ops.rounding import ceil, floor, frac, round, trunc
from minigrad.ops.shape import (
    broadcast_tensors,
    broadcast_to,
    cat,
    chunk,
    concat,
    concatenate,
    expand,
    flatten,
    flip,
    movedim,
    narrow,
    permute,
    repeat,
    reshape,
    select,
    split,
    squeeze,
    stack,
    t,
    transpose,
    unbind,
    unflatten,
    unsqueeze,
    view,
)
from minigrad.ops.sorting import argsort, sort, topk
from minigrad.ops.triangular import tril, triu
from minigrad.ops.trigonometric import acos, asin, atan, atan2, cosh, sinh, tan
from minigrad.ops.unary import (
    abs,
    clamp,
    clamp_max,
    clamp_min,
    cos,
    erf,
    exp,
    exp2,
    expm1,
    log,
    log1p,
    log2,
    log10,
    neg,
    positive,
    reciprocal,
    relu,
    rsqrt,
    sigmoid,
    sin,
    sqrt,
    square,
    tanh,
)

# Every public op. The test suite checks that each one has a test case.
__all__ = [
    # elementwise
    "add", "sub", "mul", "div", "neg", "positive", "pow", "exp", "log", "sqrt", "abs", "sin", "cos", "tanh",
    "sigmoid", "relu", "clamp", "clamp_min", "clamp_max", "maximum", "minimum", "where", "square", "rsqrt", "reciprocal",
    "log1p", "expm1", "log2", "log10", "exp2", "erf", "tan", "asin", "acos", "atan", "atan2", "sinh",
    "cosh", "floor", "ceil", "round", "trunc", "frac", "floor_divide", "remainder",
    "clone", "sign", "eq", "ne", "lt", "le", "gt", "ge", "logical_and", "bitwise_and", "bitwise_or", "bitwise_xor",
    "logical_or", "logical_xor", "logical_not", "isnan", "isinf", "isfinite", "lerp", "addcmul",
    "addcdiv",
    # reductions
    "sum", "mean", "var", "std", "max", "min", "amax", "amin", "argmax", "argmin", "softmax",
    "log_softmax", "logsumexp", "norm", "cumsum", "sort", "argsort", "topk",
    # shape
    "reshape", "view", "flatten", "unflatten", "squeeze", "unsqueeze", "permute", "transpose", "t",
    "expand", "broadcast_to", "broadcast_tensors", "cat", "concat", "concatenate", "stack", "split",
    "chunk", "unbind", "narrow", "select", "getitem", "setitem", "gather", "index_select",
    "masked_fill", "nonzero", "argwhere", "repeat", "flip", "tril", "triu", "movedim",
    # linear algebra
    "matmul", "mm", "bmm", "dot", "mv", "outer", "addmm",
]  # fmt: skip
