"""
Shape ops: they move or copy elements without changing them, so each backward moves the
gradient back: reshape undoes reshape, permute applies the inverse permutation, expand sums,
cat splits it. Indexing is in indexing.py.
"""

from __future__ import annotations

import math
import operator
from collections.abc import Sequence
from typing import Any

from minigrad import dtypes
from minigrad.autograd import inplace
from minigrad.autograd.function import Function, ViewFunction
from minigrad.ops._common import as_index, normalize_dim, normalize_dims
from minigrad.ops.indexing import getitem
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
    dims = tuple(dim) if isinstance(dim, (tuple, list)) else (dim,)  # (an int, or a NumPy integer)
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


def movedim(x: Tensor, source: Any, destination: Any) -> Tensor:
    """x with the dims in `source` moved to the places in `destination`; the others keep their order."""
    sources = list(source) if isinstance(source, (tuple, list)) else [source]
    destinations = list(destination) if isinstance(destination, (tuple, list)) else [destination]
    if len(sources) != len(destinations):
        raise RuntimeError(
            f"movedim: Invalid source or destination dims: source ({sources} dims) should contain the same "
            f"number of dims as destination ({destinations} dims)"
        )
    sources = [normalize_dim(d, x.ndim) for d in sources]
    destinations = [normalize_dim(d, x.ndim) for d in destinations]
    for name, dims in (("source", sources), ("destination", destinations)):
        for d in dims:
            if dims.count(d) > 1:
                raise RuntimeError(f"movedim: repeated dim in `{name}` ({dims})")
    order: list[int | None] = [None] * x.ndim
    for s, d in zip(sources, destinations):
        order[d] = s
    rest = iter(d for d in range(x.ndim) if d not in sources)
    return permute(x, *[next(rest) if d is None else d for d in order])


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
    writable = False

    @staticmethod
    def forward(ctx, x, shape):
        ctx.input_shape = x.shape
        return x._device.xp.broadcast_to(x._array, shape)

    @staticmethod
    def backward(ctx, grad_output):
        from minigrad.ops._shape import sum_to

        return sum_to(grad_output, ctx.input_shape), None


def expand(x: Tensor, *sizes: Any) -> Tensor:
    sizes = _expand_sizes(_shape_args(sizes))
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


def _expand_sizes(sizes: tuple) -> tuple[int, ...]:
    """expand's sizes as ints, with PyTorch's TypeErrors for anything else."""
    if len(sizes) == 1 and (isinstance(sizes[0], bool) or not _is_int_like(sizes[0])):
        kind = type(sizes[0])
        name = kind.__name__ if kind.__module__ == "builtins" else f"{kind.__module__}.{kind.__name__}"
        raise TypeError(f"expand(): argument 'size' (position 1) must be tuple of ints, not {name}")
    for position, size in enumerate(sizes, start=1):
        if isinstance(size, bool) or not _is_int_like(size):
            raise TypeError(
                f"expand(): argument 'size' failed to unpack the object at pos {position} with error "
                f'"type must be tuple of ints,but got {type(size).__name__}"'
            )
    return tuple(operator.index(size) for size in sizes)


def _is_int_like(value: Any) -> bool:
    try:
        operator.index(value)
    except TypeError:
        return False
    return True


def expand_as(x: Tensor, other: Tensor) -> Tensor:
    return expand(x, other.shape)


def broadcast_to(x: Tensor, shape: Sequence[int]) -> Tensor:
    return expand(x, tuple(shape))


def broadcast_tensors(*tensors: Tensor) -> tuple[Tensor, ...]:
    from minigrad.ops._common import broadcast_shape

    shape: tuple = ()
    for position, tensor in enumerate(tensors):
        if not isinstance(tensor, Tensor):
            raise TypeError(f"expected Tensor as element {position} in argument 0, but got {type(tensor).__name__}")
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
        if name == "stack":
            raise RuntimeError("stack expects a non-empty TensorList")
        raise ValueError(f"minigrad.{name}(): expected a non-empty list of Tensors")
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
    """x[..., start : start + length, ...] along dim; a negative start counts from the end."""
    dim = normalize_dim(dim, x.ndim)
    size, start, length = x.shape[dim], as_index(start, "start"), as_index(length, "length")
    if not -size <= start <= size:
        raise IndexError(f"start out of range (expected to be in range of [{-size}, {size}], but got {start})")
    if length < 0:
        raise RuntimeError("narrow(): length must be non-negative.")
    if start < 0:
        start += size
    if start + length > size:
        raise RuntimeError(f"start ({start}) + length ({length}) exceeds dimension size ({size}).")
    return getitem(x, (slice(None),) * dim + (slice(start, start + length),))


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
            piece._inplace_forbidden = inplace.multiple_views(op_name, i)
    return tuple(pieces)


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


class Flip(Function):
    """y = x with the order of its elements reversed along dims (a copy, as in PyTorch);  the
    gradient is flipped back the same way."""

    node_name = "FlipBackward0"

    @staticmethod
    def forward(ctx, x, dims):
        ctx.dims = dims
        return x._device.xp.flip(x._array, axis=dims) if dims else x._device.xp.asarray(x._array, copy=True)

    @staticmethod
    def backward(ctx, grad_output):
        return Flip.apply(grad_output, ctx.dims), None


def dims_of_flip_method(dims: tuple) -> list:
    """x.flip(0, 1) and x.flip((0, 1)) both mean dims [0, 1]; x.flip() is PyTorch's TypeError."""
    if not dims:
        raise TypeError('flip() missing 1 required positional arguments: "dims"')
    return list(dims[0]) if len(dims) == 1 and isinstance(dims[0], (tuple, list)) else list(dims)


def flip(x: Tensor, dims: Sequence[int]) -> Tensor:
    if not isinstance(dims, (tuple, list)):
        raise TypeError(f"flip(): argument 'dims' (position 2) must be tuple of ints, not {type(dims).__name__}")
    return Flip.apply(x, normalize_dims(dims, x.ndim))


def contiguous(x: Tensor) -> Tensor:
    return x
