"""
Devices are array libraries. A tensor's data lives in the array namespace of its device:
NumPy for "cpu", CuPy for "cuda", and array_api_strict for "strict", a testing stand-in for a
GPU that, like CuPy, refuses to turn into a NumPy array behind your back.

Ops call only Array API standard functions through `tensor.device.xp`. The few things the
standard lacks (scatter-add, random numbers, copies to the host) live here, one branch per library.
"""

from __future__ import annotations

import functools
import importlib
import math
import warnings
from typing import Any

import numpy as np

from minigrad import _cpu, dtypes, expf, random, sum_order, var_order

CUDA_INSTALL_HINT = "install the GPU extra with `pip install minigrad[gpu]` (CuPy) on a machine with an NVIDIA GPU"


class device:  # noqa: N801  (lower case, as torch.device)
    """Where a tensor's data lives: `minigrad.device("cpu")`, `device("cuda:0")`, `device("strict")`.

    Each device holds its array namespace (`xp`) and the library's own device object (`native`),
    looked up once here so that ops pay nothing for them.
    """

    __slots__ = (
        "type",
        "index",
        "xp",
        "native",
        "on_device",
        "sum",
        "mean",
        "reshape",
        "permute_dims",
        "matmul",
        "_dtype_map",
    )

    def __new__(cls, spec: Any = "cpu", index: int | None = None) -> device:
        if isinstance(spec, device):
            return spec
        return get_device(spec if index is None else f"{spec}:{index}")

    def __repr__(self) -> str:
        if self.index is None:
            return f"device(type='{self.type}')"
        return f"device(type='{self.type}', index={self.index})"

    def __str__(self) -> str:
        return self.type if self.index is None else f"{self.type}:{self.index}"

    def __eq__(self, other: object) -> bool:
        if isinstance(other, str):
            other = get_device(other)
        return isinstance(other, device) and (self.type, self.index) == (other.type, other.index)

    def __hash__(self) -> int:
        return hash((self.type, self.index))

    def __reduce__(self):
        return (get_device, (str(self),))

    def dtype_of(self, d: dtypes.dtype) -> Any:
        """This library's dtype object for a minigrad dtype."""
        try:
            return self._dtype_map[d]
        except KeyError:
            raise TypeError(f"{d} is not supported on the {self} device") from None


def _make_device(type_: str, index: int | None, xp: Any, native: Any) -> device:
    dev = object.__new__(device)
    dev.type, dev.index, dev.xp, dev.native = type_, index, xp, native
    # keyword arguments that make xp.zeros / xp.arange / xp.asarray create on this device:
    # array_api_strict needs device=; NumPy has one device and CuPy uses the current one
    dev.on_device = {"device": native} if type_ == "strict" else {}
    # array_api_strict has no float16 (the standard leaves it out), so map only what xp has
    dev._dtype_map = {d: getattr(xp, d.name) for d in dtypes.ALL_DTYPES if hasattr(xp, d.name)}
    if xp is np:
        dev.sum, dev.mean, dev.reshape, dev.permute_dims = _numpy_sum, _numpy_mean, _numpy_reshape, _numpy_permute
        dev.matmul = _numpy_matmul
    else:
        dev.sum, dev.mean, dev.reshape, dev.permute_dims = xp.sum, xp.mean, xp.reshape, xp.permute_dims
        dev.matmul = xp.matmul
    return dev


# NumPy's np.sum, np.mean, np.reshape and np.permute_dims are Python wrappers (array-function
# dispatch, keyword handling, for mean a division step in Python) that cost several times the
# work itself on the small tensors of a lecture. The cpu device calls what they call in the end,
# the ufunc's own reduce and the array's methods: same results, a fraction of the time. Likewise
# np.matmul, a generalized ufunc, spends ~2 µs choosing its loop where ndarray.dot, the same BLAS
# call with the same numbers for vectors and matrices, spends well under one; but dot first copies
# an operand that is not row-major (a transposed weight), which costs more than that on big
# matrices, so only small ones take it. Other devices use their namespace's functions.


def _numpy_sum(array: np.ndarray, axis: Any = None, keepdims: bool = False) -> Any:
    sums = sum_order.pytorch_sum(array, axis)  # PyTorch's order, for its last digit, where it applies
    if sums is None:
        return np.add.reduce(array, axis=axis, keepdims=keepdims)
    if axis is None and not keepdims:
        return sums
    return sums.reshape(_reduced_shape(array.shape, axis, keepdims))


@functools.lru_cache(maxsize=256)
def _reduced_shape(shape: tuple, axis: int | tuple, keepdims: bool) -> tuple:
    """The shape of a reduction's result: the reduced dimensions dropped, or kept as size 1."""
    axes = axis if isinstance(axis, tuple) else (axis,)
    return tuple(1 if i in axes else size for i, size in enumerate(shape) if keepdims or i not in axes)


def transcendental(dev: device, name: str, array: Any, other: Any = None) -> Any:
    """xp.<name>(array) for exp, log, sin, tanh and the other elementwise functions of the math
    library (the Array API's names: asin, not NumPy's older arcsin). On the cpu a float32 array
    of up to 32768 numbers is computed in float64 and rounded once, to the float32 nearest the true
    value, which is what PyTorch's kernels (MKL's) nearly always give: NumPy's own float32 kernels
    differ from them in the last place in 8-40% of values, this way in 0.1-8%. Bigger arrays keep
    NumPy's float32 kernels, several times quicker. `other` is atan2's second array."""
    function = getattr(dev.xp, name, None) or getattr(dev.xp, "arc" + name[1:])  # (CuPy: arcsin)
    if other is not None:  # atan2: the two arrays have one dtype and broadcast together
        if dev.xp is np and array.dtype == np.float32 and max(array.size, other.size) <= _cpu.PARALLEL_GRAIN:
            return function(array.astype(np.float64), other).astype(np.float32)
        return function(array, other)
    if dev.xp is np and array.dtype == np.float32 and array.size <= _cpu.PARALLEL_GRAIN:
        return function(array.astype(np.float64)).astype(np.float32)
    return function(array)


def sigmoid(dev: device, array: Any) -> Any:
    """1 / (1 + e^-x), as PyTorch writes it; on the cpu a float32 e^x is PyTorch's own (expf.py).
    (For x far below 0, e^-x overflows to inf and the result is 0, silently, as in PyTorch.)"""
    if dev.xp is np and array.dtype == np.float32:
        exp = expf.pytorch_expf(-array)
    else:
        with np.errstate(over="ignore"):
            exp = dev.xp.exp(-array)
    return 1 / (1 + exp)


def softmax_kernel(dev: device, kernel: Any, dim: int, *arrays: Any) -> Any:
    """kernel(*arrays), one of softmax_order.py's PyTorch kernels, where it follows PyTorch:
    float32 arrays on the cpu, along their last dimension; None elsewhere (empty arrays too), for the op's own formula."""
    last = arrays[-1].ndim - 1
    if dev.xp is np and all(a.dtype == np.float32 for a in arrays) and last >= 0 and dim == last and arrays[-1].size:
        return kernel(*arrays)
    return None


def variance(dev: device, array: Any, axes: tuple, divisor: float, take_sqrt: bool, keepdims: bool) -> Any:
    """The variance over `axes` (the standard deviation with `take_sqrt`): the sum of squared
    distances from the mean over `divisor` (n - correction, or 0: inf or nan, silently). On the
    cpu with PyTorch's own steps (var_order.py) where they are followed."""
    result = var_order.pytorch_var(array, axes, divisor, take_sqrt) if dev.xp is np else None
    if result is None and array.size == 0:  # the variance of nothing is nan (var() has warned)
        result = dev.xp.full(_reduced_shape(array.shape, axes, True), float("nan"), dtype=array.dtype, **dev.on_device)
    elif result is None:
        xp = dev.xp
        with np.errstate(divide="ignore", invalid="ignore"):  # (a divisor of 0 gives inf or nan, silently)
            centered = array - xp.mean(array, axis=axes, keepdims=True)
            result = xp.sum(centered * centered, axis=axes, keepdims=True) / divisor
        if take_sqrt:
            result = xp.sqrt(result)
    return dev.xp.reshape(result, _reduced_shape(array.shape, axes, keepdims))


def fused_multiply_add(dev: device, a: Any, b: Any, c: Any) -> Any:
    """a·b + c, as PyTorch's cpu kernels compute it where their compiler fuses it into one rounding
    (lerp, addcmul): _cpu.multiply_add for NumPy float arrays; elsewhere two roundings (a last bit)."""
    if dev.xp is np and a.dtype.kind == "f":
        return _cpu.multiply_add(a, b, c)
    return a * b + c


def add_scaled_(a: Any, b: Any, alpha: float) -> None:
    """a += alpha·b in place (add_ with alpha, the SGD step). On the cpu a float array of up to
    16384 numbers is rounded once, as PyTorch's fused kernel rounds it; a bigger one, whose exact
    rounding would cost several times the update, twice, as the NumPy floor does (a last bit)."""
    exact = type(a) is np.ndarray and a.size <= _EXACT_UPDATE_SIZE and _cpu.FUSED_MULTIPLY_ADD
    if exact and a.dtype == np.float32 and a.size <= 8 and type(b) is np.ndarray and b.shape == a.shape:
        flat, alpha = a.reshape(-1), _as_float32(alpha)  # a few numbers: Python's floats are quicker
        for i, (x, y) in enumerate(zip(flat.tolist(), b.reshape(-1).tolist())):
            flat[i] = x + alpha * y  # (alpha·y is exact in float64, then one rounding to float32)
    elif exact and a.dtype == np.float32:  # b·alpha is exact in float64; the sum is rounded once, to a
        np.add(a, b * _as_float32(alpha), out=a, casting="unsafe")
    elif exact and a.dtype == np.float64:
        a[...] = _cpu.multiply_add(np.broadcast_to(b, a.shape), alpha, a)
    else:
        a += b * alpha


_EXACT_UPDATE_SIZE = 16384


@functools.lru_cache(maxsize=64)
def _as_float32(number: float) -> np.float64:
    """A number as PyTorch's float32 kernels see it (rounded to float32), held as a float64."""
    return np.float64(np.float32(number))


def _numpy_reshape(array: np.ndarray, shape: tuple) -> np.ndarray:
    return array.reshape(shape)


def _numpy_permute(array: np.ndarray, axes: tuple) -> np.ndarray:
    return array.transpose(axes)


def _numpy_matmul(a: np.ndarray, b: np.ndarray) -> Any:
    if a.ndim <= 2 and b.ndim <= 2 and a.size + b.size <= _SMALL_PRODUCT:
        return a.dot(b)
    return np.matmul(a, b)


_SMALL_PRODUCT = 4096  # elements in both operands: below this, copying one costs less than matmul's dispatch


def _numpy_mean(array: np.ndarray, axis: Any = None, keepdims: bool = False) -> Any:
    if array.dtype == np.float16:  # np.mean adds float16 in float32: keep its more accurate sum
        return np.mean(array, axis=axis, keepdims=keepdims)
    total = _numpy_sum(array, axis=axis, keepdims=keepdims)
    count = array.size // max(np.size(total), 1) if array.size else 0
    if count == 0:
        with np.errstate(invalid="ignore"):  # the mean of nothing is nan, silently, as in PyTorch
            return total / count
    return total / count


_devices: dict[str, device] = {}


def get_device(spec: Any) -> device:
    """The device for "cpu", "cuda", "cuda:N", "strict", or a device object."""
    if isinstance(spec, device):
        return spec
    if not isinstance(spec, str):
        raise TypeError(f"device() received an invalid combination of arguments - got ({type(spec).__name__})")
    if spec in _devices:
        return _devices[spec]
    type_, _, index_text = spec.partition(":")
    if type_ == "cpu":
        dev = _make_device("cpu", None, np, None)
    elif type_ == "cuda":
        dev = _make_cuda_device(int(index_text or 0))
    elif type_ == "strict":
        dev = _make_strict_device()
    else:
        raise RuntimeError("Expected one of cpu, cuda, strict device type at start of device string: " + spec)
    _devices[spec] = dev
    return dev


def _make_cuda_device(index: int) -> device:
    try:
        cupy = importlib.import_module("cupy")
    except ImportError:
        raise RuntimeError(f"CUDA is not available: CuPy is not installed; {CUDA_INSTALL_HINT}") from None
    count = cuda_device_count()
    if count == 0:
        raise RuntimeError(f"CUDA is not available: CuPy found no GPU; {CUDA_INSTALL_HINT}")
    if index >= count:
        raise RuntimeError(f"CUDA error: invalid device ordinal (cuda:{index}, {count} device(s) present)")
    return _make_device("cuda", index, cupy, cupy.cuda.Device(index))


def _make_strict_device() -> device:
    """A testing device: array_api_strict arrays on a non-CPU device (not a real accelerator).

    Like CuPy, it refuses implicit conversion to NumPy and refuses to mix devices, so running the
    test suite on it proves that no op slips out of the array namespace of its inputs.
    """
    try:
        strict = importlib.import_module("array_api_strict")
    except ImportError:
        raise RuntimeError("the 'strict' testing device needs array-api-strict: pip install minigrad[test]") from None
    return _make_device("strict", None, strict, strict.Device("device1"))


def cuda_device_count() -> int:
    try:
        cupy = importlib.import_module("cupy")
        return cupy.cuda.runtime.getDeviceCount()
    except Exception:  # no CuPy, no driver or no GPU: all mean "no CUDA device"
        return 0


CPU = get_device("cpu")


# ---- moving data ----


def asarray(data: Any, dtype: dtypes.dtype, dev: device) -> Any:
    """A new array of `dtype` on `dev` from host data (a NumPy array, a list or a scalar)."""
    if dev.type == "cpu":
        return np.asarray(data, dtype=dev.dtype_of(dtype))
    host = np.asarray(data, dtype=np.dtype(dtype.name))
    if dev.type == "cuda":
        with dev.native:
            return dev.xp.asarray(host)
    return dev.xp.asarray(host, device=dev.native)


def to_numpy(array: Any) -> np.ndarray:
    """A host (NumPy) view or copy of an array from any supported library."""
    if isinstance(array, (np.ndarray, np.generic)):
        return np.asarray(array)
    if hasattr(array, "get"):  # CuPy
        return array.get()
    strict = importlib.import_module("array_api_strict")
    return np.asarray(array.to_device(strict.Device("CPU_DEVICE")))


def move(array: Any, dev: device) -> Any:
    """The same values on another device (a copy unless the device is the same)."""
    return asarray(to_numpy(array), dtypes.of_array(array), dev)


# ---- what the Array API standard lacks ----


def scatter_add(dev: device, shape: tuple[int, ...], key: Any, values: Any) -> Any:
    """zeros(shape) with `values` added at `key`; repeated indices add up (indexing's backward)."""
    xp = dev.xp
    if dev.type == "cpu":
        out = np.zeros(shape, dtype=values.dtype)
        np.add.at(out, key, values)
        return out
    if dev.type == "cuda":
        cupyx = importlib.import_module("cupyx")
        out = xp.zeros(shape, dtype=values.dtype)
        cupyx.scatter_add(out, key, values)
        return out
    # strict: compute on the host explicitly (a real device would do this in a kernel)
    out = np.zeros(shape, dtype=np.dtype(dtypes.of_array(values).name))
    np.add.at(out, _host_key(key), to_numpy(values))
    return xp.asarray(out, device=dev.native)


def getitem(dev: device, array: Any, key: tuple) -> Any:
    """array[key] with NumPy's indexing rules (integer arrays next to slices, masks next to `...`).

    NumPy and CuPy index this way natively. The Array API allows advanced indexing only in
    narrow forms, so on the strict device the other forms run on the host, explicitly.
    """
    if dev.type == "strict":
        standard = _standard_key(key, array.shape)
        if standard is None:
            return dev.xp.asarray(to_numpy(array)[_host_key(key)], device=dev.native)
        key = standard
    return array[key]


def setitem(dev: device, array: Any, key: tuple, values: Any) -> None:
    """array[key] = values, in place, with NumPy's indexing rules (see getitem)."""
    if dev.type == "strict":
        standard = _standard_key(key, array.shape)
        is_mask = hasattr(standard, "dtype")
        is_plain = isinstance(standard, tuple) and not any(k is None or hasattr(k, "dtype") for k in standard)
        if not (is_mask or is_plain):  # strict assigns only through a sole mask, or ints and slices
            host = np.array(to_numpy(array))
            host[_host_key(key)] = to_numpy(values)
            array[...] = dev.xp.asarray(host, device=dev.native)
            return
        key = standard
    array[key] = values


def _standard_key(key: tuple, shape: tuple) -> Any:
    """The key in a form the Array API allows, or None if it has none.

    Basic keys (ints, slices, None, ...) are allowed as they are. Index arrays are allowed only
    as one boolean mask alone (passed bare: array_api_strict assigns through `(mask,)` by
    converting it to NumPy), or as integer arrays next to plain integers covering every
    dimension; there the trailing `...` that ops/shape.py's raw_key adds must go.
    """
    if not any(hasattr(k, "dtype") for k in key):
        return _clamp_slices(key, shape)
    rest = key[:-1] if key[-1] is Ellipsis else key
    if len(rest) == 1 and _is_mask(rest[0]):
        return rest[0]
    if len(rest) == len(shape) and all(isinstance(k, int) or hasattr(k, "dtype") and not _is_mask(k) for k in rest):
        return rest
    return None


def _clamp_slices(key: tuple, shape: tuple) -> tuple:
    """A basic key whose slices start and stop inside their dimension: x[5:] of a size-3 dimension
    is empty in NumPy and PyTorch, but the Array API leaves out-of-range slice bounds unspecified."""
    clamped, dim = [], 0
    for k in key:
        if isinstance(k, slice):
            start, stop, step = k.indices(shape[dim])
            k = slice(start, None if stop < 0 else stop, step)  # stop -1: a reversed slice runs to 0
        clamped.append(k)
        if k is Ellipsis:
            dim += len(shape) - sum(isinstance(j, (int, slice)) for j in key)
        elif k is not None:
            dim += 1
    return tuple(clamped)


def _is_mask(k: Any) -> bool:
    return hasattr(k, "dtype") and str(k.dtype).endswith("bool")


def _host_key(key: tuple) -> tuple:
    return tuple(to_numpy(k) if hasattr(k, "__array_namespace__") else k for k in key)


def random_array(
    kind: str, shape: tuple[int, ...], dtype: dtypes.dtype, dev: device, generator: Any = None, **kw: Any
) -> Any:
    """rand / randn / randint / uniform / normal / bernoulli: PyTorch's CPU numbers (minigrad/random.py),
    drawn on the host and moved to `dev`."""
    generator, count = generator or random.default_generator, math.prod(shape)
    if kind == "randint":
        host = generator.integers(count, kw["low"], kw["high"])
    elif kind == "bernoulli":  # (any dtype: 0s and 1s)
        host = generator.bernoulli(count, kw["p"])
    elif not dtype.is_floating_point:  # PyTorch's kernels are for floats only
        kernel = "normal_kernel_cpu" if kind in ("randn", "normal") else "check_uniform_bounds"
        raise NotImplementedError(f"\"{kernel}\" not implemented for '{dtypes.torch_type_name(dtype)}'")
    elif kind in ("rand", "uniform"):
        host = generator.uniform(count, dtype.name, kw.get("low", 0.0), kw.get("high", 1.0))
    elif kind in ("randn", "normal"):
        host = generator.normal(count, dtype.name, kw.get("mean", 0.0), kw.get("std", 1.0))
    else:
        raise ValueError(kind)
    return asarray(host.reshape(shape), dtype, dev)


# `@quiet` on a function silences NumPy's floating-point warnings inside it: PyTorch gives inf and
# nan without a warning. NumPy's errstate used as a decorator sets its state afresh on each call,
# so it is safe across threads and when one quiet function calls another; it is cheaper than
# entering a new errstate each time. (array_api_strict computes with NumPy; CuPy never warns.)
quiet = np.errstate(all="ignore")

# The cheap ops (add, sub, mul, sum, matmul, ...) do not run under `quiet`: an errstate per call
# would cost more than the op. Their warnings ("invalid value encountered in multiply" for
# inf * 0, ...) are silenced by this filter instead, which costs nothing until a warning comes.
# It matches only NumPy's floating-point warnings raised from minigrad's own modules, so a
# user's NumPy code keeps its warnings. (`quiet` stays where inputs commonly overflow: a user's
# warnings.simplefilter("error") comes before this filter, but cannot reach an errstate.)
warnings.filterwarnings("ignore", message=".* encountered in ", category=RuntimeWarning, module=r"minigrad\.")


def is_contiguous(array: Any) -> bool:
    """Whether an array's elements lie in row-major order with no gaps or repeats (a broadcast
    or transposed view does not). Arrays that do not say how they are laid out count as contiguous."""
    flags = getattr(array, "flags", None)
    return flags is None or flags.c_contiguous


def shares_memory(a: Any, b: Any) -> bool:
    """Whether two arrays may lie on the same memory (a view and its base do): NumPy's bounds check,
    on the NumPy array inside an array_api_strict one; CuPy has its own."""
    a, b = _numpy_inside(a), _numpy_inside(b)
    if isinstance(a, np.ndarray):
        return np.may_share_memory(a, b)
    return importlib.import_module("cupy").may_share_memory(a, b)


def has_internal_overlap(array: Any) -> bool:
    """Whether some elements share one memory location (an expanded view: a stride of 0)."""
    array = _numpy_inside(array)
    strides = getattr(array, "strides", None)
    if strides is None or array.size == 0:
        return False
    return any(stride == 0 and size > 1 for stride, size in zip(strides, array.shape))


def _numpy_inside(array: Any) -> Any:
    """The NumPy array an array_api_strict array keeps (its memory layout); other arrays as they are."""
    return getattr(array, "_array", array)


def contiguous_copy(dev: device, array: Any) -> Any:
    """A copy laid out row by row (NumPy and CuPy keep a transposed array's layout on copy)."""
    row_major = getattr(dev.xp, "ascontiguousarray", None)
    if row_major is None or array.ndim == 0:  # (ascontiguousarray would make a 0-d array 1-d)
        return dev.xp.asarray(array, copy=True)
    return row_major(array)


def is_transposed(array: Any) -> bool:
    """Whether a matrix is stored column by column (a transposed view such as `weight.t()`).

    Only NumPy and CuPy arrays say how they are laid out; the standard's arrays never are.
    """
    flags = getattr(array, "flags", None)
    return flags is not None and array.ndim == 2 and flags.f_contiguous and not flags.c_contiguous
