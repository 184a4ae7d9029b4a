"""
Making tensors: from data (`tensor`, `from_numpy`), filled (`zeros`, `ones`, `full`, `eye`,
`arange`, `linspace`), random (`rand`, `randn`, `randint`) and `*_like`. Data is built on the
host with NumPy and then placed on the requested device.
"""

from __future__ import annotations

import math
from typing import Any

import numpy as np

from minigrad import _cpu, backend, dtypes, random, serialization
from minigrad.ops._common import (
    as_index,
    check_fill_representable,
    check_number_argument,
    check_representable,
    invalid_combination,
    wrong_argument,
)
from minigrad.tensor import Tensor


def _device(device: Any) -> backend.device:
    return backend.CPU if device is None else backend.get_device(device)


def _finish(array: Any, device: backend.device, requires_grad: bool) -> Tensor:
    tensor = Tensor._make(array, device)
    if requires_grad:
        if not tensor.dtype.is_floating_point:
            raise RuntimeError("Only Tensors of floating point and complex dtype can require gradients")
        tensor.requires_grad = True
    return tensor


def _unpacked(size: tuple) -> tuple:
    """zeros(2, 3), zeros((2, 3)) and zeros([2, 3]) all mean shape (2, 3)."""
    return tuple(size[0]) if len(size) == 1 and isinstance(size[0], (tuple, list)) else size


def _size(size: tuple) -> tuple[int, ...]:
    """The shape a creation function was given, checked: ints of at least 0."""
    size = _unpacked(size)
    for s in size:
        if isinstance(s, bool) or not isinstance(s, (int, np.integer)) and not hasattr(s, "__index__"):
            raise TypeError(
                f"zeros(): argument 'size' must be tuple of ints, but found element of type {type(s).__name__}"
            )
        if int(s) < 0:
            raise RuntimeError(f"Trying to create tensor with negative dimension {int(s)}: {list(size)}")
    return tuple(int(s) for s in size)


# ---- from data ----


def _infer_dtype(data: Any) -> dtypes.dtype:
    """PyTorch's inference: bools -> bool, ints -> int64, any float -> the default float dtype."""
    if isinstance(data, np.ndarray):
        return dtypes.of_array(data)
    if isinstance(data, np.generic):
        return dtypes.of_array(np.asarray(data))
    first = data
    while isinstance(first, (list, tuple)) and first:
        first = first[0]
    if isinstance(first, str):  # PyTorch reads a leading string as one more dimension
        raise ValueError("too many dimensions 'str'")
    kinds = set()
    too_big = False  # an int beyond int64
    stack = [data]
    while stack:
        item = stack.pop()
        if isinstance(item, (list, tuple)):
            stack.extend(item)
        elif isinstance(item, Tensor):
            kinds.add(item.dtype.category)
        elif isinstance(item, bool):
            kinds.add(0)
        elif isinstance(item, (int, np.integer)):
            kinds.add(1)
            too_big = too_big or not -(2**63) <= item < 2**63
        elif isinstance(item, (float, np.floating)):
            kinds.add(2)
        elif isinstance(item, str):
            raise TypeError("new(): invalid data type 'str'")
        else:
            raise RuntimeError(f"Could not infer dtype of {type(item).__name__}")
    category = max(kinds, default=2)
    if category < 2 and too_big:  # an integer tensor cannot hold it (NumPy would make an object array)
        raise ValueError("Overflow when unpacking long long")
    return {0: dtypes.bool, 1: dtypes.int64, 2: dtypes.get_default_dtype()}[category]


def _host_array(data: Any) -> np.ndarray:
    """Nested lists (of numbers or tensors) as a NumPy array, with PyTorch's error for ragged data."""
    if isinstance(data, Tensor):
        return backend.to_numpy(data._array)
    if isinstance(data, (list, tuple)):
        _check_rectangular(data)
        data = (
            [_host_array(item) if isinstance(item, Tensor) else item for item in data]
            if any(isinstance(item, Tensor) for item in data)
            else data
        )
    if isinstance(data, str) or (isinstance(data, (list, tuple)) and _contains_str(data)):
        raise TypeError(f"new(): invalid data type '{type(data).__name__ if isinstance(data, str) else 'str'}'")
    return np.asarray(data)


def _contains_str(data: Any) -> bool:
    stack = [data]
    while stack:
        item = stack.pop()
        if isinstance(item, str):
            return True
        if isinstance(item, (list, tuple)):
            stack.extend(item)
    return False


def _check_rectangular(data: Any) -> None:
    """Every list at one depth must have the same length (PyTorch's ValueError if not)."""
    level = [data]
    depth = 0
    while level:
        sequences = [item for item in level if isinstance(item, (list, tuple))]
        if not sequences:
            return
        if len(sequences) != len(level):
            raise TypeError(f"not a sequence: found a number where a sequence belongs, at dim {depth}")
        first = len(sequences[0])
        for item in sequences:
            if len(item) != first:
                raise ValueError(f"expected sequence of length {first} at dim {depth} (got {len(item)})")
        level = [element for item in sequences for element in item]
        depth += 1


def tensor(data: Any, *, dtype: Any = None, device: Any = None, requires_grad: bool = False) -> Tensor:
    """A new tensor holding a copy of `data` (numbers, nested lists, a NumPy array or a tensor).

    Example:
        >>> minigrad.tensor([[1., 0.], [2., 3.]], requires_grad=True)
    """
    if isinstance(data, Tensor):
        device = device or data._device
    if isinstance(data, str):
        raise TypeError("new(): invalid data type 'str'")
    if not isinstance(data, (list, tuple, int, float, bool, np.ndarray, np.generic, Tensor)):
        raise RuntimeError(f"Could not infer dtype of {type(data).__name__}")
    dtype = (
        dtypes.to_dtype(dtype)
        if dtype is not None
        else (data.dtype if isinstance(data, Tensor) else _infer_dtype(data))
    )
    host = _host_array(data)
    python_numbers = not isinstance(data, (np.ndarray, np.generic, Tensor))
    if python_numbers and dtype.category == 1 and host.dtype.kind in "uOf" and _int_beyond_int64(data):
        raise ValueError("Overflow when unpacking long long")  # (PyTorch reads each int as a C long long)
    if host.dtype == object and dtype.is_floating_point:  # floats beside ints too big for int64 (NumPy keeps objects)
        host = host.astype(np.float64)
    if host.dtype == object:
        raise TypeError(
            "can't convert np.ndarray of type numpy.object_. The only supported types are: float64, float32, float16, int64, int32, int16, int8, uint8, and bool."
        )
    if python_numbers:  # Python numbers must fit (arrays are cast)
        check_representable(host, dtype, dtype.name)
    return _finish(backend.asarray(np.array(host, copy=True), dtype, _device(device)), _device(device), requires_grad)


def _int_beyond_int64(data: Any) -> bool:
    """Whether nested lists hold a Python int outside int64 (NumPy then makes uint64, objects or floats)."""
    if isinstance(data, (list, tuple)):
        return any(_int_beyond_int64(item) for item in data)
    return type(data) is int and not -(2**63) <= data < 2**63


def as_tensor(data: Any, dtype: Any = None, device: Any = None) -> Tensor:
    if isinstance(data, Tensor) and dtype is None and device is None:
        return data
    if isinstance(data, np.ndarray) and dtype is None and device in (None, "cpu"):
        return from_numpy(data)
    return tensor(data, dtype=dtype, device=device)


def FloatTensor(*args: Any) -> Tensor:  # noqa: N802  (PyTorch's legacy constructor)
    """`FloatTensor([[1], [2]])`: a float32 tensor from data (or `FloatTensor(2, 3)`, uninitialized)."""
    if len(args) == 1 and not isinstance(args[0], int):
        return tensor(args[0], dtype=dtypes.float32)
    return zeros(*args, dtype=dtypes.float32)


def LongTensor(*args: Any) -> Tensor:  # noqa: N802
    if len(args) == 1 and not isinstance(args[0], int):
        return tensor(args[0], dtype=dtypes.int64)
    return zeros(*args, dtype=dtypes.int64)


def DoubleTensor(*args: Any) -> Tensor:  # noqa: N802
    if len(args) == 1 and not isinstance(args[0], int):
        return tensor(args[0], dtype=dtypes.float64)
    return zeros(*args, dtype=dtypes.float64)


def BoolTensor(*args: Any) -> Tensor:  # noqa: N802
    if len(args) == 1 and not isinstance(args[0], int):
        return tensor(args[0], dtype=dtypes.bool)
    return zeros(*args, dtype=dtypes.bool)


def from_numpy(array: np.ndarray) -> Tensor:
    """A CPU tensor sharing memory with a NumPy array: changing one changes the other."""
    if not isinstance(array, np.ndarray):
        raise TypeError(f"expected np.ndarray (got {type(array).__name__})")
    dtypes.of_array(array)  # PyTorch's error for unsupported dtypes
    return Tensor._make(array, backend.CPU)


def _rebuild(host: np.ndarray, device: str, requires_grad: bool) -> Tensor:
    """Unpickling (copy.deepcopy, pickle, minigrad.load) a tensor: on its device, or on load's map_location."""
    dev = serialization.load_device.get() or backend.get_device(device)
    return _finish(backend.asarray(host, dtypes.of_array(host), dev), dev, requires_grad)


# ---- filled ----


def _filled(size: tuple, value: Any, dtype: Any, device: Any, requires_grad: bool) -> Tensor:
    dev = _device(device)
    dtype = dtypes.to_dtype(dtype) if dtype is not None else dtypes.get_default_dtype()
    shape = _size(size)
    try:
        return _finish(backend.asarray(np.full(shape, value), dtype, dev), dev, requires_grad)
    except MemoryError:
        raise _out_of_memory(shape, dtype) from None


def _out_of_memory(shape: tuple, dtype: dtypes.dtype) -> RuntimeError:
    """PyTorch's error when a tensor of this size cannot be allocated."""
    nbytes = math.prod(shape) * dtype.itemsize
    return RuntimeError(
        f"DefaultCPUAllocator: can't allocate memory: you tried to allocate {nbytes} bytes. "
        "Error code 12 (Cannot allocate memory)"
    )


def zeros(*size: Any, dtype: Any = None, device: Any = None, requires_grad: bool = False) -> Tensor:
    if any(isinstance(s, int) and s < 0 for s in _unpacked(size)):  # PyTorch words this one apart from the others
        raise RuntimeError("zeros: Dimension size must be non-negative.")
    return _filled(size, 0, dtype, device, requires_grad)


def ones(*size: Any, dtype: Any = None, device: Any = None, requires_grad: bool = False) -> Tensor:
    return _filled(size, 1, dtype, device, requires_grad)


def empty(*size: Any, dtype: Any = None, device: Any = None, requires_grad: bool = False) -> Tensor:
    """Uninitialized in PyTorch; zeros here (reading it is a bug either way)."""
    return _filled(size, 0, dtype, device, requires_grad)


def full(size: Any, fill_value: Any, *, dtype: Any = None, device: Any = None, requires_grad: bool = False) -> Tensor:
    check_number_argument("full", "fill_value", 2, fill_value)
    if dtype is None:
        dtype = dtypes.of_scalar(fill_value)
    if not isinstance(fill_value, Tensor):
        check_fill_representable(fill_value, dtypes.to_dtype(dtype))
    return _filled((size,) if isinstance(size, int) else tuple(size), fill_value, dtype, device, requires_grad)


def eye(n: int, m: int | None = None, *, dtype: Any = None, device: Any = None, requires_grad: bool = False) -> Tensor:
    dev = _device(device)
    dtype = dtypes.to_dtype(dtype) if dtype is not None else dtypes.get_default_dtype()
    return _finish(backend.asarray(np.eye(n, n if m is None else m), dtype, dev), dev, requires_grad)


def arange(
    start: Any, end: Any = None, step: Any = 1, *, dtype: Any = None, device: Any = None, requires_grad: bool = False
) -> Tensor:
    """arange(5) = [0, 1, 2, 3, 4]; integer arguments give int64, any float gives float32."""
    if end is None:
        start, end = 0, start
    start, end, step = (_range_number(name, value) for name, value in (("start", start), ("end", end), ("step", step)))
    if not all(math.isfinite(value) for value in (start, end, step)):
        raise RuntimeError(f"unsupported range: {start} -> {end}")
    if step == 0:
        raise RuntimeError("step must be nonzero")
    if (end - start) / step < 0:
        raise RuntimeError("upper bound and lower bound inconsistent with step sign")
    if dtype is None:
        dtype = dtypes.result_type(start, end, step)
    dtype = dtypes.to_dtype(dtype)
    count = math.ceil((end - start) / step)
    try:
        values = start + np.arange(count) * step  # PyTorch computes start + i * step
    except MemoryError:
        raise _out_of_memory((count,), dtype) from None
    dev = _device(device)
    return _finish(backend.asarray(values, dtype, dev), dev, requires_grad)


def _range_number(name: str, value: Any) -> int | float:
    """arange's bound or step as a Python number (from a 0-d tensor or a NumPy scalar too)."""
    if isinstance(value, (Tensor, np.number)):
        value = value.item()
    if not isinstance(value, (int, float)) or isinstance(value, bool) and name == "step":
        raise TypeError(f"arange(): argument '{name}' must be Number, not {type(value).__name__}")
    return value


def linspace(
    start: float, end: float, steps: int, *, dtype: Any = None, device: Any = None, requires_grad: bool = False
) -> Tensor:
    steps = as_index(steps, "steps")
    if steps < 0:
        raise RuntimeError("number of steps must be non-negative")
    start, end = _number(start, "start"), _number(end, "end")
    dtype = dtypes.to_dtype(dtype) if dtype is not None else dtypes.get_default_dtype()
    dev = _device(device)
    return _finish(backend.asarray(_linspace_like_torch(start, end, steps, dtype), dtype, dev), dev, requires_grad)


def _number(value: Any, name: str) -> float:
    """A Python number from a number or a one-element tensor; PyTorch's TypeError for anything else."""
    if isinstance(value, Tensor) and value.numel() == 1:
        return value.item()
    if isinstance(value, (int, float, np.number)):
        return value.item() if isinstance(value, np.number) else value
    raise TypeError(f"linspace(): argument '{name}' must be Number, not {type(value).__name__}")


def _linspace_like_torch(start: float, end: float, steps: int, dtype: dtypes.dtype) -> np.ndarray:
    """PyTorch fills the first half from `start` and the second half from `end` (same rounding):
    value i is start + i·step, or end - (steps-1-i)·step. For float32 and float64 it computes in
    that dtype, each value one fused multiply-add (_cpu.multiply_add)."""
    if steps == 1:
        return np.array([start], dtype=np.float64)
    i = np.arange(steps)
    from_start = i < steps // 2
    count = np.where(from_start, i, steps - 1 - i)
    if dtype is dtypes.float16:  # float16: each step rounded to float16, computed in float32
        half = np.float16
        start, end = half(start), half(end)
        step = half(np.float32(end) - np.float32(start)) / half(steps - 1)
        count = count.astype(half)
        return np.where(from_start, start + step * count, end - step * count)
    if dtype.is_floating_point:
        kind = np.dtype(dtype.name).type
        start, end = kind(start), kind(end)
    else:  # integers: the ends truncated, the steps in float64
        kind, start, end = np.float64, int(start), int(end)
    step = (end - start) / kind(steps - 1)
    count = count.astype(kind)
    return np.where(from_start, _cpu.multiply_add(count, step, start), _cpu.multiply_add(count, -step, end))


# ---- random ----


def manual_seed(seed: Any) -> random.Generator:
    """Seed the random numbers: the same seed gives PyTorch's numbers (minigrad/random.py)."""
    return random.manual_seed(seed)


def seed() -> int:
    return random.seed()


def initial_seed() -> int:
    return random.initial_seed()


def _random(kind: str, size: tuple, dtype: Any, device: Any, requires_grad: bool, **kw: Any) -> Tensor:
    dev = _device(device)
    dtype = dtypes.to_dtype(dtype) if dtype is not None else dtypes.get_default_dtype()
    shape = _size(size)
    try:
        return _finish(backend.random_array(kind, shape, dtype, dev, **kw), dev, requires_grad)
    except MemoryError:
        raise _out_of_memory(shape, dtype) from None


def rand(
    *size: Any, dtype: Any = None, device: Any = None, requires_grad: bool = False, generator: Any = None
) -> Tensor:
    return _random("rand", size, dtype, device, requires_grad, generator=generator)


def randn(
    *size: Any, dtype: Any = None, device: Any = None, requires_grad: bool = False, generator: Any = None
) -> Tensor:
    return _random("randn", size, dtype, device, requires_grad, generator=generator)


def randint(
    low: int,
    high: int | None = None,
    size: Any = None,
    *,
    dtype: Any = None,
    device: Any = None,
    requires_grad: bool = False,
) -> Tensor:
    if size is None:
        if not isinstance(high, (tuple, list)):
            raise TypeError("randint() missing 1 required positional argument: 'size'")
        low, high, size = 0, low, high
        if not _is_int(high):
            raise wrong_argument("randint", "high", 1, "int", high)
    elif high is None:
        low, high = 0, low
    if not (_is_int(low) and _is_int(high)):
        raise invalid_combination("randint", (low, high, size), _RANDINT_SIGNATURES)
    if low >= high:
        raise RuntimeError(f"random_ expects 'from' to be less than 'to', but got from={low} >= to={high}")
    if dtype is dtypes.bool and high > 2:
        raise RuntimeError("to - 1 is out of bounds for bool")
    return _random("randint", tuple(size), dtype or dtypes.int64, device, requires_grad, low=low, high=high)


def randperm(n: int, *, dtype: Any = None, device: Any = None) -> Tensor:
    dev = _device(device)
    values = random.default_generator.permutation(as_index(n, "n"))
    return Tensor._make(backend.asarray(values, dtypes.to_dtype(dtype or dtypes.int64), dev), dev)


# ---- *_like ----


def _like(name: str, x: Tensor, dtype: Any, device: Any, requires_grad: bool, *args: Any) -> Tensor:
    dtype = dtype if dtype is not None else x.dtype
    device = device if device is not None else x._device
    maker = {"zeros": zeros, "ones": ones, "empty": empty, "rand": rand, "randn": randn}[name]
    return maker(*x.shape, dtype=dtype, device=device, requires_grad=requires_grad)


def zeros_like(x: Tensor, *, dtype: Any = None, device: Any = None, requires_grad: bool = False) -> Tensor:
    return _like("zeros", x, dtype, device, requires_grad)


def ones_like(x: Tensor, *, dtype: Any = None, device: Any = None, requires_grad: bool = False) -> Tensor:
    return _like("ones", x, dtype, device, requires_grad)


def empty_like(x: Tensor, *, dtype: Any = None, device: Any = None, requires_grad: bool = False) -> Tensor:
    return _like("empty", x, dtype, device, requires_grad)


def rand_like(x: Tensor, *, dtype: Any = None, device: Any = None, requires_grad: bool = False) -> Tensor:
    dtype = dtype if dtype is not None else x.dtype
    if not dtypes.to_dtype(dtype).is_floating_point:
        raise NotImplementedError(f"\"check_uniform_bounds\" not implemented for '{_type_name(dtype)}'")
    return _like("rand", x, dtype, device, requires_grad)


def randn_like(x: Tensor, *, dtype: Any = None, device: Any = None, requires_grad: bool = False) -> Tensor:
    dtype = dtype if dtype is not None else x.dtype
    if not dtypes.to_dtype(dtype).is_floating_point:
        raise NotImplementedError(f"\"normal_kernel_cpu\" not implemented for '{_type_name(dtype)}'")
    return _like("randn", x, dtype, device, requires_grad)


def full_like(
    x: Tensor, fill_value: Any, *, dtype: Any = None, device: Any = None, requires_grad: bool = False
) -> Tensor:
    check_number_argument("full_like", "fill_value", 2, fill_value)
    return full(x.shape, fill_value, dtype=dtype or x.dtype, device=device or x._device, requires_grad=requires_grad)


def randint_like(x: Tensor, low: int = 0, high: int | None = None, *, dtype: Any = None, device: Any = None) -> Tensor:
    """Random integers in [low, high) (or [0, low) with one bound) in a tensor of x's shape."""
    if not (_is_int(low) and (high is None or _is_int(high))):
        bounds = (low,) if high is None else (low, high)
        raise invalid_combination("randint_like", (x, *bounds), _RANDINT_LIKE_SIGNATURES)
    return randint(low, high, x.shape, dtype=dtype or x.dtype, device=device or x._device)


def _is_int(value: Any) -> bool:
    """An int bound of randint: an int (or NumPy integer), not a bool or a float."""
    return isinstance(value, (int, np.integer)) and not isinstance(value, bool)


_OPTIONS = "*, dtype = None, device = None, bool requires_grad = False"
_RANDINT_SIGNATURES = [
    f"(int high, tuple of ints size, {_OPTIONS})",
    f"(int low, int high, tuple of ints size, {_OPTIONS})",
]
_RANDINT_LIKE_SIGNATURES = [
    "(Tensor input, int high, *, dtype = None, device = None)",
    "(Tensor input, int low, int high, *, dtype = None, device = None)",
]


def _type_name(dtype: Any) -> str:
    return dtypes.torch_type_name(dtypes.to_dtype(dtype))
