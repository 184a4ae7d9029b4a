"""
Data types with PyTorch's names, and PyTorch's type-promotion rule in one place.

A dtype here is a small object (`minigrad.float32`) that each array library maps to its own
dtype by name, so the same `minigrad.float32` means numpy.float32 on the CPU and cupy.float32
on a GPU. Promotion follows torch.result_type: category (bool < integer < floating) decides
first, then dimensioned tensors outrank 0-d tensors, which outrank Python scalars.
"""

from __future__ import annotations

from typing import Any


class dtype:  # noqa: N801  (lower case, as torch.dtype)
    """A tensor element type: `minigrad.float32`, `minigrad.int64`, ..."""

    __slots__ = ("name", "itemsize", "is_floating_point", "category")

    def __init__(self, name: str, itemsize: int, category: int) -> None:
        self.name = name
        self.itemsize = itemsize
        self.category = category  # 0 bool, 1 integer, 2 floating
        self.is_floating_point = category == 2

    @property
    def is_signed(self) -> bool:
        return self.name not in ("bool", "uint8")

    def __repr__(self) -> str:
        return f"{display_name}.{self.name}"

    def __reduce__(self) -> str:
        return self.name  # pickles as the module-level singleton


_py_bool = bool  # the builtin bool, which `bool` below shadows
display_name = "minigrad"  # `python -m minigrad.run` sets this to "torch"

bool = dtype("bool", 1, 0)  # noqa: A001  (shadows the builtin inside this module only)
uint8 = dtype("uint8", 1, 1)
int8 = dtype("int8", 1, 1)
int16 = dtype("int16", 2, 1)
int32 = dtype("int32", 4, 1)
int64 = dtype("int64", 8, 1)
float16 = dtype("float16", 2, 2)
float32 = dtype("float32", 4, 2)
float64 = dtype("float64", 8, 2)

ALL_DTYPES = (bool, uint8, int8, int16, int32, int64, float16, float32, float64)
BY_NAME = {d.name: d for d in ALL_DTYPES}

_default_dtype = float32


def get_default_dtype() -> dtype:
    return _default_dtype


def set_default_dtype(d: dtype) -> None:
    global _default_dtype
    if not isinstance(d, dtype) or not d.is_floating_point:
        raise TypeError("only floating-point types are supported as the default type")
    _default_dtype = d


def to_dtype(value: Any) -> dtype:
    """Accept a minigrad dtype, a NumPy dtype, a Python type or a name; return a minigrad dtype."""
    if isinstance(value, dtype):
        return value
    if value is float:
        return float64  # torch: dtype=float is float64 (a Python float is a double)
    if value is int:
        return int64
    if value is _py_bool:
        return bool
    name = getattr(value, "name", None)
    if not isinstance(name, str):  # a NumPy scalar type (np.float64) has a __name__ instead
        name = getattr(value, "__name__", str(value))
    name = {"float": "float32", "double": "float64", "long": "int64", "int": "int32"}.get(name, name)
    name = name.removeprefix("torch.").removeprefix("minigrad.").removeprefix("array_api_strict.")
    if name in BY_NAME:
        return BY_NAME[name]
    raise TypeError(f"unsupported dtype: {value!r}")


# (array type, that library's dtype object) -> minigrad dtype, filled on first sight. The array type
# comes first so that a strict dtype is never compared with a NumPy one (array_api_strict warns).
_by_array_dtype: dict = {}


def of_array_dtype(array_dtype: Any) -> dtype:
    """The minigrad dtype of an array library's dtype object (NumPy's, CuPy's or the standard's)."""
    return BY_NAME[str(array_dtype).removeprefix("array_api_strict.")]


def of_array(array: Any) -> dtype:
    """The minigrad dtype of a raw array from any of the supported array libraries."""
    key = (type(array), array.dtype)
    found = _by_array_dtype.get(key)
    if found is not None:
        return found
    try:
        found = _by_array_dtype[key] = of_array_dtype(array.dtype)
        return found
    except KeyError:
        raise TypeError(
            f"can't convert np.ndarray of type numpy.{array.dtype.type.__name__}. The only supported types are: "
            "float64, float32, float16, int64, int32, int16, int8, uint8, and bool."
        ) from None


def of_scalar(value: Any) -> dtype:
    """The dtype PyTorch gives a tensor made from this Python scalar."""
    if isinstance(value, _py_bool):
        return bool
    if isinstance(value, int):
        return int64
    return _default_dtype


def promote_types(a: dtype, b: dtype) -> dtype:
    """The smallest dtype that holds both (torch.promote_types)."""
    if a is b:
        return a
    if a.category != b.category:
        return a if a.category > b.category else b
    if a.category == 1 and "uint8" in (a.name, b.name):
        other = b if a.name == "uint8" else a
        return other if other.itemsize > 1 else int16
    return a if a.itemsize >= b.itemsize else b


def result_type(*operands: Any) -> dtype:
    """torch.result_type for tensors and Python scalars.

    The highest category present wins. Within it, dimensioned tensors decide before 0-d tensors,
    which decide before Python scalars (a Python float alone gives the default float dtype).
    """
    best_category = -1
    best_priority = -1
    result = None
    for operand in operands:
        if hasattr(operand, "_array"):
            d = operand.dtype
            priority = 2 if operand.ndim > 0 else 1
        else:
            d = of_scalar(operand)
            priority = 0
        category = d.category
        if category > best_category or (category == best_category and priority > best_priority):
            best_category, best_priority, result = category, priority, d
        elif category == best_category and priority == best_priority:
            result = promote_types(result, d)
    return result


def cpp_type_name(d: dtype) -> str:
    """The element type as C++ names it, as some of PyTorch's messages do: "long int", "float"."""
    return {
        "int64": "long int", "int32": "int", "int16": "short int", "int8": "signed char", "uint8": "unsigned char",
        "bool": "bool", "float16": "c10::Half", "float32": "float", "float64": "double",
    }[d.name]  # fmt: skip


def torch_type_name(d: dtype) -> str:
    """PyTorch's scalar type names used in its messages: Long, Int, Bool, Float, Double."""
    return {
        "int64": "Long",
        "int32": "Int",
        "int16": "Short",
        "int8": "Char",
        "uint8": "Byte",
        "bool": "Bool",
        "float32": "Float",
        "float64": "Double",
        "float16": "Half",
    }[d.name]
