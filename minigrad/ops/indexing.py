"""
Indexing: x[key] and x[key] = value, gather, index_select, masked_fill. Each backward puts the
gradient back where its elements came from: scattered into zeros (adding where an index
repeats) for a read, and, for a write, zeros at the written places for the old value and the
written places' gradient for the new one. CopySlices is the same write through a view.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from minigrad import backend, dtypes
from minigrad._warnings import warn_at_caller
from minigrad.autograd.function import Function, ViewFunction
from minigrad.autograd.inplace import replay_view
from minigrad.ops._common import check_fill_representable, check_tensor_argument, normalize_dim, type_name
from minigrad.tensor import Tensor

# ---- indexing ----


class Index(Function):
    """y = x[key];  the gradient is scattered back into zeros of x's shape (adding on repeats)."""

    node_name = "IndexBackward0"

    @staticmethod
    def forward(ctx, x, key):
        ctx.key, ctx.shape = key, x.shape
        return _index_array(x, key)

    @staticmethod
    def backward(ctx, grad_output):
        return IndexPut.apply(grad_output, ctx.key, ctx.shape), None


class Select(ViewFunction, Index):
    node_name = "SelectBackward0"


class Slice(ViewFunction, Index):
    node_name = "SliceBackward0"


class IndexPut(Function):
    """y = zeros(shape) with x added at key (indexing's backward);  dy/dx = y[key]."""

    node_name = "IndexPutBackward0"

    @staticmethod
    def forward(ctx, x, key, shape):
        ctx.key = key
        device = x._device
        if _is_basic(key):  # no index arrays: no repeats, so plain assignment is enough
            out = device.xp.zeros(shape, dtype=x._array.dtype, **device.on_device)
            backend.setitem(device, out, key, x._array)
            return out
        return backend.scatter_add(device, shape, key, x._array)

    @staticmethod
    def backward(ctx, grad_output):
        return Index.apply(grad_output, ctx.key), None, None


class SetItem(Function):
    """y = x with y[key] = value;  dy/dx is the gradient with zeros at key, dy/dvalue = grad[key]."""

    node_name = "CopySlices"

    @staticmethod
    def forward(ctx, x, key, value):
        ctx.key = key
        xp = x._device.xp
        out = xp.asarray(x._array, copy=True)
        if _mixes_integers_and_arrays(key):  # PyTorch's layout for the value
            first, key = _integers_first(key)
            target = backend.getitem(x._device, out, first)  # a view of out (basic indexing)
            backend.setitem(x._device, target, key, value._array)
        else:
            backend.setitem(x._device, out, key, value._array)
        return out

    @staticmethod
    def backward(ctx, grad_output):
        grad_x = grad_value = None
        if ctx.needs_input_grad[0]:
            grad_x = SetItem.apply(grad_output, ctx.key, grad_output.new_zeros(()))
        if ctx.needs_input_grad[2]:
            grad_value = _advanced_index(grad_output, ctx.key)
        return grad_x, None, grad_value


class CopySlices(Function):
    """y = base with its view (the one `steps` cut, see ViewFunction) replaced by value: an in-place
    op on a view, as its base sees it;  dy/dbase is the gradient with zeros in that view, and
    dy/dvalue the gradient's view."""

    node_name = "CopySlices"

    @staticmethod
    def forward(ctx, base, value, steps):
        ctx.steps = steps
        out = Tensor._make(base._device.xp.asarray(base._array, copy=True), base._device)
        view = replay_view(out, steps)  # grad mode is off here: the plain view, on out's storage
        backend.setitem(out._device, view._array, (Ellipsis,), value._array)
        return out._array

    @staticmethod
    def backward(ctx, grad_output):
        grad_base = grad_value = None
        if ctx.needs_input_grad[0]:
            grad_base = CopySlices.apply(grad_output, grad_output.new_zeros(()), ctx.steps)
        if ctx.needs_input_grad[1]:
            grad_value = replay_view(grad_output, ctx.steps)
        return grad_base, grad_value, None


def copy_slices(base: Tensor, value: Tensor, steps: tuple) -> Tensor:
    return CopySlices.apply(base, value, steps)


def _is_basic(key: tuple) -> bool:
    return all(k is None or k is Ellipsis or isinstance(k, (int, slice)) for k in key)


def _check_mask_shape(shape: list, mask: Tensor, dim: int) -> None:
    """PyTorch's IndexError for a boolean mask whose shape does not match the dimensions it covers."""
    for j, size in enumerate(mask.shape):
        if dim + j >= len(shape) or shape[dim + j] != size:
            raise IndexError(
                f"The shape of the mask {list(mask.shape)} at index {j} does not match the shape of the "
                f"indexed tensor {shape} at index {dim + j}"
            )


def raw_key(x: Tensor, key: Any) -> tuple:
    """A tensor index turned into an index for the raw array: tensors become arrays, lists
    become integer arrays, and a trailing `...` is added (the Array API asks for it)."""
    key = _as_tuple(key)
    converted = []
    shape, dim = list(x.shape), 0  # x's shape with the None keys' new dims, and the dim the next key
    for k in key:  # indexes there (None after `...`: masks are then left to the array library)
        if isinstance(k, Tensor) and k.dtype is dtypes.bool and k.ndim > 0 and dim is not None:
            _check_mask_shape(shape, k, dim)
        if k is None and dim is not None:
            shape.insert(dim, 1)
        dim = None if dim is None or k is Ellipsis else dim + (getattr(k, "ndim", 1) or 1)
        if isinstance(k, Tensor):
            if k._device != x._device and k.ndim > 0:
                raise RuntimeError(
                    f"indices should be either on cpu or on the same device as the indexed tensor ({x._device})"
                )
            if k.dtype.is_floating_point:
                raise IndexError("tensors used as indices must be long, int, byte or bool tensors")
            if k.ndim == 0 and k.dtype is not dtypes.bool:
                k = int(k.item())
            else:
                k = k._array if k._device == x._device else backend.move(k._array, x._device)
        elif isinstance(k, (list, range)):
            k = backend.asarray(
                list(k), dtypes.bool if k and all(isinstance(v, bool) for v in k) else dtypes.int64, x._device
            )
        elif isinstance(k, np.ndarray) and k.dtype.kind in "biu":  # a NumPy index array, as a tensor would be
            k = int(k) if k.ndim == 0 and k.dtype.kind != "b" else backend.asarray(k, _index_dtype(k), x._device)
        elif isinstance(k, slice) and k.step is not None and k.step < 0:
            raise ValueError("step must be greater than zero")
        elif isinstance(k, bool):
            k = None if k else slice(0, 0)  # x[True] adds a dim; x[False] an empty one (rare)
        elif not (k is None or k is Ellipsis or isinstance(k, (int, slice))):
            if hasattr(k, "__index__"):
                k = k.__index__()
            else:
                raise IndexError(
                    "only integers, slices (`:`), ellipsis (`...`), None and long or byte Variables are valid indices "
                    f"(got {type(k).__name__})"
                )
        converted.append(k)
    if not any(k is Ellipsis for k in converted):  # `in` would compare index arrays with ==
        converted.append(Ellipsis)
    return tuple(converted)


def _as_tuple(key: Any) -> tuple:
    """The key as a tuple of indices. PyTorch still reads a short list holding a list, a tensor,
    a slice, None or `...` as such a tuple (NumPy's old rule: x[[[0, 1], [1, 2]]] is x[[0, 1], [1, 2]]),
    with a warning that this will change."""
    if isinstance(key, tuple):
        return key
    if isinstance(key, list) and len(key) < 32 and any(_spans_dims(k) for k in key):
        warn_at_caller(
            "Using a non-tuple sequence for multidimensional indexing is deprecated and will be changed in "
            "pytorch 2.9; use x[tuple(seq)] instead of x[seq]. In pytorch 2.9 this will be interpreted as "
            f"tensor index, x[{dtypes.display_name}.tensor(seq)], which will result either in an error or a "
            "different result"
        )
        return tuple(key)
    return (key,)


def _spans_dims(k: Any) -> bool:
    return isinstance(k, (list, tuple, range, np.ndarray, Tensor, slice)) or k is None or k is Ellipsis


def _index_dtype(array: np.ndarray) -> dtypes.dtype:
    return dtypes.bool if array.dtype.kind == "b" else dtypes.int64


def _index_array(x: Tensor, key: tuple) -> Any:
    """x's array indexed by key, with PyTorch's wording when an index is out of range."""
    _check_bounds(x, key)
    try:
        return backend.getitem(x._device, x._array, key)
    except IndexError as error:
        raise IndexError(str(error).replace("axis", "dimension")) from None


def _check_bounds(x: Tensor, key: tuple) -> None:
    """Integers out of range raise IndexError naming the dimension, as in PyTorch."""
    dim = 0
    for k in key:
        if k is Ellipsis:
            return  # dimensions after an ellipsis are counted from the end; the array checks those
        if k is None:
            continue
        if dim >= x.ndim:
            raise IndexError(f"too many indices for tensor of dimension {x.ndim}")
        if isinstance(k, int) and not -x.shape[dim] <= k < x.shape[dim]:
            raise IndexError(f"index {k} is out of bounds for dimension {dim} with size {x.shape[dim]}")
        dim += getattr(k, "ndim", 1) if getattr(k, "dtype", None) is not None and "bool" in str(k.dtype) else 1


def getitem(x: Tensor, key: Any) -> Tensor:
    key = raw_key(x, key)
    if _is_basic(key):
        # PyTorch indexes one component at a time; its grad_fn is named after the last one that acts
        acting = [k for k in key if k is not Ellipsis and k != slice(None)]
        node = Select if acting and isinstance(acting[-1], int) else Slice
        return node.apply(x, key)
    return _advanced_index(x, key)


def _advanced_index(x: Tensor, key: tuple) -> Tensor:
    """x[key] for a raw key, in PyTorch's layout (see _integers_first)."""
    if _mixes_integers_and_arrays(key):
        first, rest = _integers_first(key)
        return Index.apply(getitem(x, first), rest)
    return Index.apply(x, key)


def _mixes_integers_and_arrays(key: tuple) -> bool:
    return not _is_basic(key) and any(type(k) is int for k in key)


def _integers_first(key: tuple) -> tuple[tuple, tuple]:
    """A key of integers and index arrays together, split as PyTorch reads it: first the integers
    (each a select) with the slices and None, then the arrays on what is left. NumPy instead
    reads the integers as index arrays too, and where they stand apart from the arrays
    (x[0, :, [1, 2]] of a (2, 3, 4) tensor) moves the indexed dimensions first: (2, 3) where
    PyTorch gives (3, 2)."""
    first = tuple(k if k is None or k is Ellipsis or isinstance(k, (int, slice)) else slice(None) for k in key)
    rest = tuple(slice(None) if k is None or isinstance(k, slice) else k for k in key if type(k) is not int)
    return first, rest


def setitem(x: Tensor, key: Any, value: Any) -> Tensor:
    """The out-of-place form of `x[key] = value` (Tensor.__setitem__ writes it back in place)."""
    key = raw_key(x, key)
    if not isinstance(value, Tensor):
        if type(value) not in (int, float, bool):  # (not even a list or a NumPy number, as in PyTorch)
            raise TypeError(f"can't assign a {type_name(value)} to a {x.type()}")
        check_fill_representable(value, x.dtype)
        value = x.new_tensor(value)
    elif value.dtype is not x.dtype:
        value = value.to(x.dtype)
    if value._device != x._device:
        if value.ndim == 0:
            value = value.to(x._device)
        else:
            raise RuntimeError(
                f"Expected all tensors to be on the same device, but found at least two devices, {x._device} and {value._device}!"
            )
    _check_bounds(x, key)
    try:
        return SetItem.apply(x, key, value)
    except ValueError:  # the array library's "could not broadcast": PyTorch's words instead
        _check_value_fits(x, key, value)
        raise


def _check_value_fits(x: Tensor, key: tuple, value: Tensor) -> None:
    """PyTorch's error for `x[key] = value` where value does not broadcast to what x[key] selects."""
    probe = np.broadcast_to(np.zeros((), np.int8), x.shape)  # x's shape, no data: indexing it costs nothing
    basic = _is_basic(key)
    if _mixes_integers_and_arrays(key):
        first, rest = _integers_first(key)
        probe, key = probe[backend._host_key(first)], rest
    target = list(probe[backend._host_key(key)].shape)
    sizes = list(value.shape)
    while len(sizes) > len(target) and sizes[0] == 1:  # leading 1s of the value are dropped
        sizes.pop(0)
    fits = len(sizes) <= len(target) and all(s in (1, t) for s, t in zip(reversed(sizes), reversed(target)))
    if fits:
        return
    if not basic:
        raise RuntimeError(
            f"shape mismatch: value tensor of shape {list(value.shape)} cannot be broadcast to indexing result of shape {target}"
        )
    if len(sizes) > len(target):
        raise RuntimeError(
            f"expand({value.type()}{{{list(value.shape)}}}, size={target}): the number of sizes provided "
            f"({len(target)}) must be greater or equal to the number of dimensions in the tensor ({len(sizes)})"
        )
    offset = len(target) - len(sizes)  # the value's sizes line up with the target's last ones
    dim = next(offset + i for i, (s, t) in enumerate(zip(sizes, target[offset:])) if s not in (1, t))
    raise RuntimeError(
        f"The expanded size of the tensor ({target[dim]}) must match the existing size ({sizes[dim - offset]}) "
        f"at non-singleton dimension {dim}.  Target sizes: {target}.  Tensor sizes: {list(value.shape)}"
    )


class Gather(Function):
    """y[i][j] = x[i][index[i][j]] (dim=1);  the gradient is scatter-added back to those places."""

    node_name = "GatherBackward0"

    @staticmethod
    def forward(ctx, x, dim, index):
        ctx.key, ctx.shape = _gather_key(x, dim, index), x.shape
        return x._array[ctx.key]

    @staticmethod
    def backward(ctx, grad_output):
        return IndexPut.apply(grad_output, ctx.key, ctx.shape), None, None


def _gather_key(x: Tensor, dim: int, index: Tensor) -> tuple:
    """An advanced-index key that picks x[..., index, ...] along dim, elementwise."""
    xp = x._device.xp
    key = []
    for d in range(index.ndim):
        if d == dim:
            key.append(index._array)
        else:
            view = [1] * index.ndim
            view[d] = index.shape[d]
            key.append(xp.reshape(xp.arange(index.shape[d], **x._device.on_device), tuple(view)))
    return tuple(key)


def gather(x: Tensor, dim: int, index: Tensor) -> Tensor:
    check_tensor_argument("gather", "index", 3, index)
    dim = normalize_dim(dim, x.ndim)
    if index.dtype not in (dtypes.int64, dtypes.int32):
        raise RuntimeError("gather(): Expected dtype int32/int64 for index")
    if index.ndim != x.ndim:
        raise RuntimeError("Index tensor must have the same number of dimensions as input tensor")
    for d in range(x.ndim):
        if d != dim and index.shape[d] > x.shape[d]:
            raise RuntimeError(
                f"Size does not match at dimension {d} expected index {list(index.shape)} to be no larger "
                f"than self {list(x.shape)} apart from dimension {dim}"
            )
    if index.numel():
        low, high = int(index.min().item()), int(index.max().item())
        if low < -x.shape[dim] or high >= x.shape[dim]:
            raise RuntimeError(
                f"index {high if high >= x.shape[dim] else low} is out of bounds for dimension {dim} with size {x.shape[dim]}"
            )
    return Gather.apply(x, dim, index)


def index_select(x: Tensor, dim: int, index: Tensor) -> Tensor:
    dim = normalize_dim(dim, x.ndim)
    check_tensor_argument("index_select", "index", 2, index)
    if index.ndim > 1:
        raise IndexError("index_select(): Index is supposed to be a vector")
    if index.dtype not in (dtypes.int64, dtypes.int32):
        raise RuntimeError("index_select(): Expected dtype int32 or int64 for index")
    if index.numel() and not -x.shape[dim] <= int(index.min().item()) <= int(index.max().item()) < x.shape[dim]:
        raise IndexError("index out of range in self")
    return getitem(x, (slice(None),) * dim + (index.reshape(-1),))


def masked_fill(x: Tensor, mask: Tensor, value: Any) -> Tensor:
    from minigrad.ops.elementwise import where

    check_tensor_argument("masked_fill", "mask", 1, mask)
    if mask.dtype is not dtypes.bool:
        raise RuntimeError(
            f"masked_fill_ only supports boolean masks, but got mask with dtype {dtypes.cpp_type_name(mask.dtype)}"
        )
    if isinstance(value, Tensor) and value.ndim != 0:
        raise RuntimeError(
            f"masked_fill_ only supports a 0-dimensional value tensor, but got tensor with {value.ndim} dimension(s)."
        )
    return where(mask, value if isinstance(value, Tensor) else x.new_tensor(value), x)


def nonzero(x: Tensor, *, as_tuple: bool = False) -> Any:
    """The indices of x's nonzero elements: an int64 (n, x.ndim) tensor, one row per element in
    row-major order; with as_tuple, one int64 vector per dimension (x[x.nonzero(as_tuple=True)]
    is x's nonzero elements). A 0-d x counts as a 1-element vector there."""
    xp = x._device.xp
    array = x._array if x.ndim else xp.reshape(x._array, (1,))
    columns = xp.nonzero(array)
    if as_tuple:
        return tuple(Tensor._make(xp.astype(column, xp.int64), x._device) for column in columns)
    if x.ndim == 0:  # (1, 0) or (0, 0): a row per nonzero element, no columns
        return Tensor._make(xp.zeros((int(columns[0].shape[0]), 0), dtype=xp.int64, **x._device.on_device), x._device)
    return Tensor._make(xp.astype(xp.stack(columns, axis=-1), xp.int64), x._device)


def argwhere(x: Tensor) -> Tensor:
    return nonzero(x)
