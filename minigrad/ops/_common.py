"""
What every op file shares: preparing the two operands of a binary op (PyTorch's type promotion,
Python scalars as 0-d tensors, shapes that broadcast, with PyTorch's message when they don't),
and float casts.
"""

from __future__ import annotations

import math
import numbers
import operator
from typing import Any

import numpy as np

from minigrad import dtypes
from minigrad.tensor import OPERAND_TYPES, Tensor


def promote(x: Any, y: Any) -> tuple[Tensor, Tensor]:
    """The operands of a binary op, ready for its forward: two tensors of one dtype (torch.result_type;
    a Python scalar becomes a 0-d tensor) whose shapes broadcast. Like PyTorch's TensorIterator,
    this is the one place that checks it, so forwards can compute straight away."""
    if type(x) is type(y) is Tensor:
        a, b = x._array, y._array
        if x._device is y._device and a.dtype == b.dtype:  # the common case, kept cheap
            if a.shape != b.shape:
                broadcast_shape(a.shape, b.shape)
            return x, y
    if isinstance(x, Tensor) and type(y) in (int, float) and x.dtype.is_floating_point:
        return x, _scalar_like(y, x)  # x * 0.5: a Python number takes x's float dtype
    if isinstance(y, Tensor) and type(x) in (int, float) and y.dtype.is_floating_point:
        return _scalar_like(x, y), y
    x, y = operand(x), operand(y)
    x_is_tensor, y_is_tensor = isinstance(x, Tensor), isinstance(y, Tensor)
    if not x_is_tensor and not y_is_tensor:
        raise TypeError(f"expected at least one Tensor, got {type(x).__name__} and {type(y).__name__}")
    dtype = dtypes.result_type(x, y)
    device = x._device if x_is_tensor else y._device
    x, y = as_dtype(x, dtype, device), as_dtype(y, dtype, device)
    broadcast_shape(x._array.shape, y._array.shape)
    return x, y


def operand(value: Any) -> Any:
    """A binary op's operand: a tensor or a Python number (a NumPy scalar becomes the Python number
    it holds). The operators and the functional forms check their operands first, with PyTorch's
    messages; this one is for what gets past them (a NumPy array, through an operator)."""
    if isinstance(value, (Tensor, int, float)):
        return value
    if isinstance(value, OPERAND_TYPES):
        return value.item()
    if isinstance(value, np.ndarray):  # PyTorch lets NumPy compute it, and the graph is lost
        raise TypeError(
            "a NumPy array can't be an operand of a Tensor op; make it a tensor first "
            f"({dtypes.display_name}.from_numpy(array))"
        )
    raise TypeError(f"unsupported operand type for a Tensor op: '{type(value).__name__}'")


def _scalar_like(value: int | float, like: Tensor) -> Tensor:
    """A 0-d tensor of `like`'s dtype and device holding a Python number."""
    device = like._device
    return Tensor._make(device.xp.asarray(value, dtype=like._array.dtype, **device.on_device), device)


def as_dtype(value: Any, dtype: dtypes.dtype, device: Any) -> Tensor:
    """A tensor of `dtype`: a Python scalar becomes a 0-d tensor; a tensor is cast if needed."""
    if isinstance(value, Tensor):
        return value if value.dtype is dtype else value.to(dtype)
    return Tensor._make(device.xp.asarray(value, dtype=device.dtype_of(dtype), **device.on_device), device)


def broadcast_shape(a: tuple, b: tuple) -> tuple:
    """The shape two operands broadcast to, or PyTorch's error naming both sizes."""
    if a == b or not b:  # equal shapes, or a 0-d operand: nothing to check
        return a
    if not a:
        return b
    if len(b) < len(a) and a[len(a) - len(b) :] == b:  # b matches a's last dimensions (a bias)
        return a
    if len(a) < len(b) and b[len(b) - len(a) :] == a:
        return b
    ndim = max(len(a), len(b))
    a_full = (1,) * (ndim - len(a)) + tuple(a)
    b_full = (1,) * (ndim - len(b)) + tuple(b)
    result = []
    for dim in reversed(range(ndim)):  # from the last dimension, so the error names the one PyTorch names
        size_a, size_b = a_full[dim], b_full[dim]
        if size_a != size_b and size_a != 1 and size_b != 1:
            raise RuntimeError(
                f"The size of tensor a ({size_a}) must match the size of tensor b ({size_b}) "
                f"at non-singleton dimension {dim}"
            )
        result.append(size_b if size_a == 1 else size_a)
    return tuple(reversed(result))


def floating(x: Tensor) -> Any:
    """x's array, cast to the default float dtype if it is an integer or bool array (as torch.exp)."""
    if x.dtype.is_floating_point:
        return x._array
    device = x._device
    return device.xp.astype(x._array, device.dtype_of(dtypes.get_default_dtype()))


def as_index(value: Any, name: str) -> int:
    """A Python int from an int-like argument (dims, sizes); PyTorch's TypeError for anything else."""
    if isinstance(value, bool):
        raise TypeError(f"argument '{name}' must be int, not bool")
    try:
        return operator.index(value)
    except TypeError:
        raise TypeError(f"argument '{name}' must be int, not {type(value).__name__}") from None


def normalize_dim(dim: int, ndim: int) -> int:
    """A dimension index in range(ndim), counting negatives from the end; PyTorch's IndexError if not."""
    dim = as_index(dim, "dim")
    size = max(ndim, 1)
    if not -size <= dim < size:
        raise IndexError(f"Dimension out of range (expected to be in range of [{-size}, {size - 1}], but got {dim})")
    return dim % size


def normalize_dims(dim: Any, ndim: int) -> tuple[int, ...]:
    """`dim=None` means every dimension; an int or a tuple is normalized and checked."""
    if dim is None:
        return tuple(range(ndim))
    if not isinstance(dim, (tuple, list)):
        dim = (dim,)
    dims = tuple(normalize_dim(d, ndim) for d in dim)
    if ndim == 0:  # a 0-d tensor accepts dim 0 or -1, and there is nothing to reduce
        return ()
    check_no_repeated_dims(dims)
    return dims


def check_no_repeated_dims(dims: tuple[int, ...]) -> None:
    """PyTorch's error, naming the first dim that is given twice (after normalizing)."""
    for d in dims:
        if dims.count(d) > 1:
            raise RuntimeError(f"dim {d} appears multiple times in the list of dims")


# The C++ names PyTorch's fills use in their overflow message
_C_TYPE_NAMES = {"int64": "int64_t", "int32": "int", "int16": "int16_t", "int8": "int8_t", "uint8": "uint8_t"}


def check_representable(values: Any, dtype: dtypes.dtype, named: str) -> None:
    """PyTorch's error for Python numbers that an integer dtype can't hold (nan, inf, too big),
    where NumPy would wrap them around silently: tensor([300], dtype=uint8) is not 44. The message
    calls the dtype `named` (tensor() says "uint8", a fill C++'s "uint8_t").
    (float16 holds them all, as inf if need be, except in a fill: see check_fill_representable.)"""
    if dtype.is_floating_point or dtype is dtypes.bool:
        return
    array = np.asarray(values)
    if array.size == 0 or array.dtype.kind not in "iuf":
        return
    limits = np.iinfo(np.dtype(dtype.name))
    if not (np.isfinite(array).all() and limits.min <= array.min() and array.max() <= limits.max):
        raise RuntimeError(f"value cannot be converted to type {named} without overflow")


def check_fill_representable(value: Any, dtype: dtypes.dtype) -> None:
    """check_representable for full's and fill_'s number, which PyTorch also checks against float16's range."""
    if dtype is dtypes.float16 and isinstance(value, (int, float)) and math.isfinite(value) and abs(value) > 65504:
        raise RuntimeError("value cannot be converted to type c10::Half without overflow")
    check_representable(value, dtype, _C_TYPE_NAMES.get(dtype.name, dtype.name))


def type_name(value: Any) -> str:
    """A value's type as PyTorch's messages name it: `str`, `Tensor`, but `numpy.ndarray`."""
    kind = type(value)
    return (
        kind.__name__
        if kind.__module__ == "builtins" or isinstance(value, Tensor)
        else f"{kind.__module__}.{kind.__qualname__}"
    )


def wrong_argument(function: str, argument: str, position: int, kind: str, value: Any) -> TypeError:
    """PyTorch's TypeError for an argument of the wrong kind: "lerp(): argument 'end' (position 2)
    must be Tensor, not int" (methods count from the first argument after self)."""
    return TypeError(
        f"{function}(): argument '{argument}' (position {position}) must be {kind}, not {type_name(value)}"
    )


def invalid_combination(function: str, values: tuple, signatures: list[str]) -> TypeError:
    """PyTorch's TypeError for arguments that fit none of a function's signatures, which it lists:
    "eq() received an invalid combination of arguments - got (Tensor, str), but expected one of: ..."."""
    got = ", ".join(type_name(value) for value in values)
    listed = "".join(f" * {signature}\n" for signature in signatures)
    return TypeError(
        f"{function}() received an invalid combination of arguments - got ({got}), but expected one of:\n{listed}"
    )


# The binary ops PyTorch overloads on Tensor and Number, so that for an operand of the wrong kind
# it lists signatures: whether a number may come first, and the second argument's name. The others
# (add, sub, mul, div) name the argument instead.
OVERLOADED_BINARY_OPS = {
    "pow": (True, "exponent"),
    **dict.fromkeys(["remainder", "floor_divide", "bitwise_and", "bitwise_or", "bitwise_xor"], (True, "other")),
    **dict.fromkeys(["eq", "ne", "lt", "le", "gt", "ge"], (False, "other")),
    **dict.fromkeys(["multiply", "subtract", "divide", "true_divide"], (True, "other")),
}


def _is_number(value: Any) -> bool:
    return isinstance(value, OPERAND_TYPES) and not isinstance(value, Tensor)


def check_operands(function: str, x: Any, y: Any) -> None:
    """A binary op's functional form: PyTorch's TypeError unless x and y are tensors or numbers,
    at least one of them a tensor (x a tensor, where PyTorch allows no number first)."""
    number_first, second = OVERLOADED_BINARY_OPS.get(function, (True, None))
    x_fits = isinstance(x, Tensor) or (number_first and _is_number(x) and isinstance(y, Tensor))
    if x_fits and isinstance(y, OPERAND_TYPES):
        return
    if second is None:
        raise (
            wrong_argument(function, "other", 2, "Tensor", y)
            if x_fits
            else wrong_argument(function, "input", 1, "Tensor", x)
        )
    number_self = [f"(Number self, Tensor {second})"] if number_first else []
    signatures = [f"(Tensor input, Tensor {second})", *number_self, f"(Tensor input, Number {second})"]
    raise invalid_combination(function, (x, y), signatures)


def check_method_operand(function: str, value: Any) -> None:
    """The same for a method's operand (x.add(value)): a tensor or a number."""
    if isinstance(value, OPERAND_TYPES):
        return
    second = OVERLOADED_BINARY_OPS.get(function, (True, None))[1]
    if second is None:
        raise wrong_argument(function, "other", 1, "Tensor", value)
    raise invalid_combination(function, (value,), [f"(Tensor {second})", f"(Number {second})"])


def check_tensor_argument(function: str, argument: str, position: int, value: Any) -> None:
    if not isinstance(value, Tensor):
        raise wrong_argument(function, argument, position, "Tensor", value)


def check_tensor_arguments(function: str, names: tuple[str, ...], *values: Any) -> None:
    """check_tensor_argument for each of `values`, the arguments named `names`, from position 1."""
    for position, value in enumerate(values, start=1):
        if not isinstance(value, Tensor):  # (the common case costs one isinstance per argument)
            check_tensor_argument(function, names[position - 1], position, value)


def check_number_argument(function: str, argument: str, position: int, value: Any, kind: str = "Number") -> None:
    """Where a number belongs (a 0-d tensor will do), PyTorch's TypeError for anything else, such as
    a list, rather than a fill by broadcasting: "full(): argument 'fill_value' (position 2) must be Number, not list"."""
    if not isinstance(value, numbers.Number) and not (isinstance(value, Tensor) and value.ndim == 0):
        raise wrong_argument(function, argument, position, kind, value)
