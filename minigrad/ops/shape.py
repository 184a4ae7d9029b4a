"""
Shape ops: they move or copy elements without changing them, so each backward moves the
gradient back: reshape undoes reshape, permute applies the inverse permutation, indexing
scatters the gradient back into zeros (adding where an index repeats), cat splits it.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from typing import Any

from minigrad import backend, dtypes
from minigrad.autograd.function import Function, ViewFunction
from minigrad.autograd.inplace import replay_view
from minigrad.ops._common import as_index, normalize_dim
from minigrad.tensor import Tensor

# ---- reshaping ----


class Reshape(ViewFunction):
    """y = x with a new shape;  the gradient is reshaped back."""

    node_name = "ViewBackward0"

    @staticmethod
    def forward(ctx, x, shape):
        ctx.input_shape = x._array.shape
        return x._device.reshape(x._array, shape)

    @staticmethod
    def backward(ctx, grad_output):
        return Reshape.apply(grad_output, ctx.input_shape), None  # back to the input's (valid) shape


class Squeeze(Reshape):
    node_name = "SqueezeBackward0"


class SqueezeDim(Reshape):
    node_name = "SqueezeBackward1"


class Unsqueeze(Reshape):
    node_name = "UnsqueezeBackward0"


def _infer_shape(shape: Sequence[int], numel: int) -> tuple[int, ...]:
    """Fill in one -1 and check the element count, with PyTorch's message."""
    shape = tuple(as_index(s, "size") for s in shape)
    if shape.count(-1) > 1:
        raise RuntimeError("only one dimension can be inferred")
    known = math.prod(s for s in shape if s != -1)
    if -1 in shape:
        if known == 0 or numel % known:
            raise RuntimeError(f"shape '{list(shape)}' is invalid for input of size {numel}")
        shape = tuple(numel // known if s == -1 else s for s in shape)
    if math.prod(shape) != numel or any(s < 0 for s in shape):
        raise RuntimeError(f"shape '{list(shape)}' is invalid for input of size {numel}")
    return shape


def _shape_args(shape: tuple) -> tuple:
    """reshape(2, 3) and reshape((2, 3)) both mean the shape (2, 3)."""
    if len(shape) == 1 and isinstance(shape[0], (tuple, list)):
        return tuple(shape[0])
    return shape


def reshape(x: Tensor, *shape: Any) -> Tensor:
    return Reshape.apply(x, _infer_shape(_shape_args(shape), x.numel()))


def view(x: Tensor, *shape: Any) -> Tensor:
    shape = _shape_args(shape)
    if len(shape) == 1 and isinstance(shape[0], dtypes.dtype):
        raise RuntimeError("view(dtype) is not supported by minigrad")
    return Reshape.apply(x, _infer_shape(shape, x.numel()))


def flatten(x: Tensor, start_dim: int = 0, end_dim: int = -1) -> Tensor:
    if x.ndim == 0:
        return reshape(x, 1)
    start, end = normalize_dim(start_dim, x.ndim), normalize_dim(end_dim, x.ndim)
    if start > end:
        raise RuntimeError("flatten() has invalid args: start_dim cannot come after end_dim")
    shape = x.shape[:start] + (math.prod(x.shape[start : end + 1]),) + x.shape[end + 1 :]
    return reshape(x, shape)


def unflatten(x: Tensor, dim: int, sizes: Sequence[int]) -> Tensor:
    dim = normalize_dim(dim, x.ndim)
    return reshape(x, x.shape[:dim] + tuple(sizes) + x.shape[dim + 1 :])


def squeeze(x: Tensor, dim: Any = None) -> Tensor:
    if dim is None:
        return Squeeze.apply(x, tuple(s for s in x.shape if s != 1))
    dims = (dim,) if isinstance(dim, int) else tuple(dim)
    dims = {normalize_dim(d, x.ndim) for d in dims}
    shape = tuple(s for i, s in enumerate(x.shape) if not (i in dims and s == 1))
    return SqueezeDim.apply(x, shape)


def unsqueeze(x: Tensor, dim: int) -> Tensor:
    dim = normalize_dim(dim, x.ndim + 1)
    return Unsqueeze.apply(x, x.shape[:dim] + (1,) + x.shape[dim:])


# ---- reordering dimensions ----


class Permute(ViewFunction):
    """y = x with its dimensions reordered;  the gradient is put back in the inverse order."""

    node_name = "PermuteBackward0"

    @staticmethod
    def forward(ctx, x, dims):
        ctx.dims = dims
        return x._device.permute_dims(x._array, dims)

    @staticmethod
    def backward(ctx, grad_output):
        inverse = [0] * len(ctx.dims)
        for position, d in enumerate(ctx.dims):
            inverse[d] = position
        return ctx._forward_cls.apply(grad_output, tuple(inverse)), None  # (a transpose undoes itself)


class Transpose(Permute):
    node_name = "TransposeBackward0"


class TransposeMatrix(Permute):
    node_name = "TBackward0"


def permute(x: Tensor, *dims: Any) -> Tensor:
    dims = tuple(normalize_dim(d, x.ndim) for d in _shape_args(dims))
    if sorted(dims) != list(range(x.ndim)):
        raise RuntimeError(
            f"permute(sparse_coo): number of dimensions in the tensor input does not match the length "
            f"of the desired ordering of dimensions i.e. input.dim() = {x.ndim} is not equal to len(dims) = {len(dims)}"
            if len(dims) != x.ndim
            else "permute(): duplicate dims are not allowed."
        )
    return Permute.apply(x, dims)


def _swapped(ndim: int, dim0: int, dim1: int) -> tuple[int, ...]:
    dims = list(range(ndim))
    a, b = normalize_dim(dim0, ndim), normalize_dim(dim1, ndim)
    if ndim == 0:  # a 0-d tensor accepts dims 0 and -1, as in PyTorch: nothing to swap
        return ()
    dims[a], dims[b] = dims[b], dims[a]
    return tuple(dims)


def transpose(x: Tensor, dim0: int, dim1: int) -> Tensor:
    return Transpose.apply(x, _swapped(x.ndim, dim0, dim1))


def matrix_transpose(x: Tensor) -> Tensor:
    """x.mT: the last two dimensions swapped."""
    ndim = x._array.ndim
    if ndim < 2:
        raise RuntimeError(f"tensor.mT is only supported on matrices or batches of matrices. Got {ndim}-D tensor.")
    return Transpose.apply(x, (1, 0) if ndim == 2 else (*range(ndim - 2), ndim - 1, ndim - 2))


def t(x: Tensor) -> Tensor:
    ndim = x._array.ndim
    if ndim > 2:
        raise RuntimeError(f"t() expects a tensor with <= 2 dimensions, but self is {ndim}D")
    return TransposeMatrix.apply(x, _REVERSED_DIMS[ndim])


_REVERSED_DIMS = ((), (0,), (1, 0))  # t() of a 0-d, 1-d and 2-d tensor


# ---- broadcasting explicitly ----


class Expand(ViewFunction):
    """y = x repeated along its size-1 dimensions;  the gradient is summed back (sum_to)."""

    node_name = "ExpandBackward0"

    @staticmethod
    def forward(ctx, x, shape):
        ctx.input_shape = x.shape
        return x._device.xp.broadcast_to(x._array, shape)

    @staticmethod
    def backward(ctx, grad_output):
        from minigrad.ops._shape import sum_to

        return sum_to(grad_output, ctx.input_shape), None


def expand(x: Tensor, *sizes: Any) -> Tensor:
    sizes = tuple(_shape_args(sizes))
    if len(sizes) < x.ndim:
        raise RuntimeError(
            f"expand(torch.FloatTensor{{{list(x.shape)}}}, size=[{', '.join(map(str, sizes))}]): the number "
            f"of sizes provided ({len(sizes)}) must be greater or equal to the number of dimensions in the tensor ({x.ndim})"
        )
    lead = len(sizes) - x.ndim
    shape = []
    for i, size in enumerate(sizes):
        current = x.shape[i - lead] if i >= lead else None
        if size == -1:
            if current is None:
                raise RuntimeError(
                    "The expanded size of the tensor (-1) isn't allowed in a leading, non-existing dimension 0"
                )
            size = current
        elif current is not None and current != 1 and current != size:
            raise RuntimeError(
                f"The expanded size of the tensor ({size}) must match the existing size ({current}) at "
                f"non-singleton dimension {i}.  Target sizes: {list(sizes)}.  Tensor sizes: {list(x.shape)}"
            )
        shape.append(size)
    shape = tuple(shape)
    if shape == x.shape:
        return Expand.apply(x, shape) if x.requires_grad else x
    return Expand.apply(x, shape)


def expand_as(x: Tensor, other: Tensor) -> Tensor:
    return expand(x, other.shape)


def broadcast_to(x: Tensor, shape: Sequence[int]) -> Tensor:
    return expand(x, tuple(shape))


def broadcast_tensors(*tensors: Tensor) -> tuple[Tensor, ...]:
    from minigrad.ops._common import broadcast_shape

    shape: tuple = ()
    for tensor in tensors:
        shape = broadcast_shape(shape, tensor.shape)
    return tuple(expand(tensor, shape) for tensor in tensors)


# ---- joining and splitting ----


class Cat(Function):
    """y = x₁, x₂, ... joined along dim;  each input gets its slice of the gradient."""

    node_name = "CatBackward0"

    @staticmethod
    def forward(ctx, dim, *tensors):
        ctx.dim, ctx.sizes = dim, [t.shape[dim] for t in tensors]
        return tensors[0]._device.xp.concat([t._array for t in tensors], axis=dim)

    @staticmethod
    def backward(ctx, grad_output):
        grads = []
        start = 0
        for size in ctx.sizes:
            grads.append(grad_output.narrow(ctx.dim, start, size))
            start += size
        return (None, *grads)


class Stack(Function):
    """y = x₁, x₂, ... stacked along a new dim;  each input gets its slice of the gradient."""

    node_name = "StackBackward0"

    @staticmethod
    def forward(ctx, dim, *tensors):
        ctx.dim, ctx.count = dim, len(tensors)
        return tensors[0]._device.xp.stack([t._array for t in tensors], axis=dim)

    @staticmethod
    def backward(ctx, grad_output):
        return (None, *(grad_output.select(ctx.dim, i) for i in range(ctx.count)))


def _same_dtype(tensors: Sequence[Tensor], name: str) -> list[Tensor]:
    tensors = list(tensors)
    if not tensors:
        raise RuntimeError(f"{name}(): expected a non-empty list of Tensors")
    for t in tensors:
        if not isinstance(t, Tensor):
            raise TypeError(f"{name}(): argument 'tensors' must be tuple of Tensors, not {type(t).__name__}")
    dtype = tensors[0].dtype
    for t in tensors[1:]:
        dtype = dtypes.promote_types(dtype, t.dtype)
    return [t if t.dtype is dtype else t.to(dtype) for t in tensors]


def cat(tensors: Sequence[Tensor], dim: int = 0) -> Tensor:
    tensors = _same_dtype(tensors, "cat")
    tensors = [t for t in tensors if not (t.ndim == 1 and t.shape[0] == 0)] or tensors[:1]  # legacy: skip empty 1-D
    dim = normalize_dim(dim, tensors[0].ndim)
    reference = tensors[0].shape
    for i, t in enumerate(tensors):
        if t.ndim != len(reference):
            raise RuntimeError(f"Tensors must have same number of dimensions: got {len(reference)} and {t.ndim}")
        for d in range(t.ndim):
            if d != dim and t.shape[d] != reference[d]:
                raise RuntimeError(
                    f"Sizes of tensors must match except in dimension {dim}. Expected size {reference[d]} "
                    f"but got size {t.shape[d]} for tensor number {i} in the list."
                )
    return Cat.apply(dim, *tensors)


concat = cat
concatenate = cat


def stack(tensors: Sequence[Tensor], dim: int = 0) -> Tensor:
    tensors = _same_dtype(tensors, "stack")
    for i, t in enumerate(tensors):
        if t.shape != tensors[0].shape:
            raise RuntimeError(
                f"stack expects each tensor to be equal size, but got {list(tensors[0].shape)} at entry 0 "
                f"and {list(t.shape)} at entry {i}"
            )
    return Stack.apply(normalize_dim(dim, tensors[0].ndim + 1), *tensors)


def narrow(x: Tensor, dim: int, start: int, length: int) -> Tensor:
    dim = normalize_dim(dim, x.ndim)
    key = (slice(None),) * dim + (slice(start, start + length),)
    return getitem(x, key)


def select(x: Tensor, dim: int, index: int) -> Tensor:
    dim = normalize_dim(dim, x.ndim)
    return getitem(x, (slice(None),) * dim + (index,))


def split(x: Tensor, split_size_or_sections: Any, dim: int = 0) -> tuple[Tensor, ...]:
    dim = normalize_dim(dim, x.ndim)
    size = x.shape[dim]
    if not isinstance(split_size_or_sections, (list, tuple)):
        step = as_index(split_size_or_sections, "split_size")
        if step <= 0 and size > 0:
            raise RuntimeError(f"split_size can only be 0 if dimension size is 0, but got dimension size of {size}")
        sections = [min(step, size - start) for start in range(0, size, step)] if size else [0]
    else:
        sections = [as_index(s, "split_size") for s in split_size_or_sections]
        if sum(sections) != size:
            raise RuntimeError(
                f"split_with_sizes expects split_sizes to sum exactly to {size} (input tensor's size at "
                f"dimension {dim}), but got split_sizes={sections}"
            )
    pieces, start = [], 0
    for length in sections:
        pieces.append(narrow(x, dim, start, length))
        start += length
    return _several_views(pieces, "Split")


def chunk(x: Tensor, chunks: int, dim: int = 0) -> tuple[Tensor, ...]:
    chunks = as_index(chunks, "chunks")
    if chunks <= 0:
        raise RuntimeError("chunk expects `chunks` to be greater than 0, got: " + str(chunks))
    size = x.shape[normalize_dim(dim, x.ndim)]
    if size == 0:  # PyTorch gives `chunks` empty pieces here
        return split(x, [0] * chunks, dim)
    return split(x, max(math.ceil(size / chunks), 1), dim)


def unbind(x: Tensor, dim: int = 0) -> tuple[Tensor, ...]:
    dim = normalize_dim(dim, x.ndim)
    return _several_views([select(x, dim, i) for i in range(x.shape[dim])], "Unbind")


def _several_views(pieces: list, op_name: str) -> tuple[Tensor, ...]:
    """The outputs of an op that returns several views: as in PyTorch, none may be changed in place
    where autograd would see it (the base's CopySlices could not say which output changed)."""
    for i, piece in enumerate(pieces):
        if piece._base is not None:
            piece._inplace_forbidden = (
                f"Output {i} of {op_name} is a view and is being modified inplace. This view is the output of a "
                "function that returns multiple views. Such functions do not allow the output views to be "
                "modified inplace. You should replace the inplace operation by an out-of-place one."
            )
    return tuple(pieces)


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
        backend.setitem(x._device, out, key, value._array)
        return out

    @staticmethod
    def backward(ctx, grad_output):
        grad_x = grad_value = None
        if ctx.needs_input_grad[0]:
            grad_x = SetItem.apply(grad_output, ctx.key, grad_output.new_zeros(()))
        if ctx.needs_input_grad[2]:
            grad_value = Index.apply(grad_output, ctx.key)
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


def raw_key(x: Tensor, key: Any) -> tuple:
    """A tensor index turned into an index for the raw array: tensors become arrays, lists
    become integer arrays, and a trailing `...` is added (the Array API asks for it)."""
    if not isinstance(key, tuple):
        key = (key,)
    converted = []
    for k in key:
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
    return Index.apply(x, key)


def setitem(x: Tensor, key: Any, value: Any) -> Tensor:
    """The out-of-place form of `x[key] = value` (Tensor.__setitem__ writes it back in place)."""
    key = raw_key(x, key)
    if not isinstance(value, Tensor):
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
    return SetItem.apply(x, key, value)


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
    dim = normalize_dim(dim, x.ndim)
    if index.dtype is not dtypes.int64:
        raise RuntimeError("gather(): Expected dtype int64 for index")
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
    if not isinstance(index, Tensor):
        raise TypeError(f"index_select(): argument 'index' (position 2) must be Tensor, not {type(index).__name__}")
    if index.ndim > 1:
        raise IndexError("index_select(): Index is supposed to be a vector")
    if index.dtype not in (dtypes.int64, dtypes.int32):
        raise RuntimeError("index_select(): Expected dtype int32 or int64 for index")
    if index.numel() and not -x.shape[dim] <= int(index.min().item()) <= int(index.max().item()) < x.shape[dim]:
        raise IndexError("index out of range in self")
    return getitem(x, (slice(None),) * dim + (index.reshape(-1),))


def masked_fill(x: Tensor, mask: Tensor, value: Any) -> Tensor:
    from minigrad.ops.elementwise import where

    if not isinstance(mask, Tensor):
        raise TypeError(f"masked_fill(): argument 'mask' (position 1) must be Tensor, not {type(mask).__name__}")
    if mask.dtype is not dtypes.bool:
        raise RuntimeError(f"masked_fill_ only supports boolean masks, but got mask with dtype {mask.dtype}")
    return where(mask, value if isinstance(value, Tensor) else x.new_tensor(value), x)


def repeat(x: Tensor, *sizes: Any) -> Tensor:
    sizes = tuple(_shape_args(sizes))
    if len(sizes) < x.ndim:
        raise RuntimeError("Number of dimensions of repeat dims can not be smaller than number of dimensions of tensor")
    x = x.reshape((1,) * (len(sizes) - x.ndim) + x.shape)
    expanded_shape, final_shape = [], []
    view_shape = []
    for size, repeat_count in zip(x.shape, sizes):
        view_shape += [1, size]
        expanded_shape += [repeat_count, size]
        final_shape.append(size * repeat_count)
    return x.reshape(view_shape).expand(expanded_shape).reshape(final_shape)


def contiguous(x: Tensor) -> Tensor:
    return x
