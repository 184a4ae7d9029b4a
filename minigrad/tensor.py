"""
Tensor: an array, the gradient that backward fills in, and the node (`grad_fn`) that made it.

Every operator and method here is a one-line call to a functional op in minigrad/ops/, where
the math lives. What is left in this file is the bookkeeping PyTorch users know: `requires_grad`
and leaves, `.grad`, `.data` and `detach()`, hooks, in-place ops with their version counter and
leaf rule, conversions (`item`, `tolist`, `numpy`, `to`) and printing.
"""

from __future__ import annotations

import warnings
import weakref
from collections.abc import Callable
from typing import Any

import numpy as np

from minigrad import backend, dtypes
from minigrad.autograd import grad_mode
from minigrad.autograd.function import AccumulateGrad


class Size(tuple):
    """A tensor's shape: a tuple that prints as `minigrad.Size([3, 4])`."""

    def __repr__(self) -> str:
        return f"{dtypes.display_name}.Size({list(self)})"

    def numel(self) -> int:
        count = 1
        for size in self:
            count *= size
        return count


class Tensor:
    """A multi-dimensional array that can record the ops applied to it for autograd."""

    __slots__ = (  # the fields every tensor sets (Tensor._make)
        "_array",  # the raw array (numpy / array_api_strict / cupy); only ops/ and backend touch it
        "_device",
        "_requires_grad",
        "grad_fn",
        "_version_counter",  # [count], shared with views and detached aliases: bumped by in-place ops
        "_output_nr",  # which output of grad_fn this tensor is
        "_base",  # for a view (reshape, t(), x[1:], ...): the tensor whose storage it shares, else None
        "__weakref__",
        "__dict__",  # the fields below once set, subclasses' (nn.Parameter's) and users' attributes
    )
    # Fields that only leaves and a few tensors set: until then, every tensor reads these defaults.
    _grad: Tensor | None = None
    _hooks: list | None = None  # leaf hooks, run before the gradient is accumulated
    _accumulator: Any = None  # weakref to this leaf's AccumulateGrad node
    _retains_grad: bool = False
    _inplace_forbidden: str | None = None  # for some views: PyTorch's error for changing them in place
    _no_grad_view: bool = False  # made under no_grad from a tensor that requires grad: no gradient edge
    __array_ufunc__ = None  # ndarray * Tensor -> Tensor.__rmul__, not a NumPy object array

    def __new__(cls, *args: Any, device: Any = None) -> Tensor:
        """Legacy constructor: `Tensor([1, 2])` is a float tensor, `Tensor(2, 3)` an uninitialized one."""
        from minigrad import creation

        if len(args) == 1 and not isinstance(args[0], int):
            made = creation.tensor(args[0], dtype=dtypes.get_default_dtype(), device=device)
        else:
            made = creation.empty(*args, device=device)
        return Tensor._make(made._array, made._device, kind=cls)

    @staticmethod
    def _make(array: Any, device: Any, version: list | None = None, kind: type | None = None) -> Tensor:
        """Wrap a raw array: the one place a tensor's fields are set (every op's output comes here)."""
        if isinstance(array, np.generic):  # NumPy reductions return scalars; keep 0-d arrays instead
            array = np.asarray(array)
        tensor = _new_object(kind or Tensor)
        tensor._array = array
        tensor._device = device
        tensor._version_counter = [0] if version is None else version  # shared with views and detached aliases
        tensor._requires_grad = False
        tensor.grad_fn = None
        tensor._output_nr = 0
        tensor._base = None
        return tensor

    # ---- autograd bookkeeping ----

    @property
    def requires_grad(self) -> bool:
        return self._requires_grad

    @requires_grad.setter
    def requires_grad(self, value: bool) -> None:
        if value and not self.dtype.is_floating_point:
            raise RuntimeError("only Tensors of floating point and complex dtype can require gradients")
        if not value and self.grad_fn is not None:
            raise RuntimeError(
                "you can only change requires_grad flags of leaf variables. If you want to use a "
                "computed variable in a subgraph that doesn't require differentiation use "
                "var_no_grad = var.detach()."
            )
        self._requires_grad = bool(value)

    def requires_grad_(self, requires_grad: bool = True) -> Tensor:
        if not isinstance(requires_grad, (bool, np.bool_)):
            raise ops._common.wrong_argument("requires_grad_", "requires_grad", 1, "bool", requires_grad)
        if self.grad_fn is not None and not requires_grad:
            raise RuntimeError(
                "you can only change requires_grad flags of leaf variables. If you want to use a "
                "computed variable in a subgraph that doesn't require differentiation use "
                "var_no_grad = var.detach()."
            )
        if requires_grad and not self.dtype.is_floating_point:  # PyTorch words this one differently
            raise RuntimeError("only Tensors of floating point dtype can require gradients")
        self.requires_grad = requires_grad
        return self

    @property
    def grad(self) -> Tensor | None:
        """The gradient backward accumulated into this tensor (leaves, and retain_grad() tensors)."""
        if self.grad_fn is not None and not self._retains_grad:  # y.grad of y = w * 2: always None
            warnings.warn(_NON_LEAF_GRAD, UserWarning, stacklevel=2)
        return self._grad

    @grad.setter
    def grad(self, value: Tensor | None) -> None:
        if value is not None:
            if not isinstance(value, Tensor):
                raise TypeError(
                    f"assigned grad expected to be a Tensor or None but got grad of type {type(value).__name__}"
                )
            if value._array.shape != self._array.shape:
                raise RuntimeError(
                    f"attempting to assign a gradient of size '{list(value.shape)}' to a tensor of size "
                    f"'{list(self.shape)}'. Please ensure that the gradient and the tensor are the same size"
                )
            if value.dtype is not self.dtype:
                raise RuntimeError(
                    f"attempting to assign a gradient with dtype '{dtypes.cpp_type_name(value.dtype)}' to a tensor "
                    f"with grad_dtype '{dtypes.torch_type_name(self.dtype)}'. The gradient must match the tensor's "
                    "grad_dtype (defaults to the tensor's dtype). You can set the tensor's grad_dtype attribute "
                    "with a specific dtype, or None to allow any dtype. Set grad_dtype with caution. Diverging "
                    "the dtypes of a tensor and its gradient may break downstream systems that assume they match."
                )
        self._grad = value

    @property
    def _version(self) -> int:
        """How many times the data was changed in place (PyTorch's saved-tensor check reads it)."""
        return self._version_counter[0]

    @property
    def is_leaf(self) -> bool:
        if inplace.is_stale_no_grad_view(self):  # PyTorch cannot tell either
            raise RuntimeError(inplace.STALE_NO_GRAD_VIEW)
        return self.grad_fn is None

    @property
    def retains_grad(self) -> bool:
        return self._retains_grad

    def _gradient_edge(self, user: int | None = None, position: int = 0) -> tuple | None:
        """Where this tensor's gradient goes: (grad_fn, output index), or its AccumulateGrad
        (made if needed, for the op numbered `user`, whose argument `position` this leaf is);
        None for a view made under no_grad, whose gradient goes nowhere, as in PyTorch."""
        if self.grad_fn is not None:
            return (self.grad_fn, self._output_nr)
        if self._no_grad_view:  # it requires grad as its base does, but nothing leads back to either
            return None
        node = self._accumulator() if self._accumulator is not None else None
        if node is None:  # the graph holds the node; the leaf only remembers it weakly
            node = AccumulateGrad(self, user, position)
            self._accumulator = weakref.ref(node)
        return (node, 0)

    def backward(
        self, gradient: Tensor | None = None, retain_graph: bool | None = None,
        create_graph: bool = False, inputs: Any = None,
    ) -> None:  # fmt: skip
        """Compute d(self)/d(leaf) for every leaf that requires grad, and add it into leaf.grad."""
        autograd.backward(self, gradient, retain_graph, create_graph, inputs)

    def register_hook(self, hook: Callable[[Tensor], Tensor | None]) -> Any:
        """hook(grad) runs when this tensor's gradient is computed; it may return a replacement."""
        if not self.requires_grad:
            raise RuntimeError("cannot register a hook on a tensor that doesn't require gradient")
        if self.grad_fn is not None:
            return self.grad_fn._add_tensor_hook(self._output_nr, hook)
        from minigrad.autograd.function import _RemovableHandle

        if self._hooks is None:
            self._hooks = []
        self._hooks.append(hook)
        return _RemovableHandle(self._hooks, hook)

    def retain_grad(self) -> None:
        """Keep this non-leaf tensor's gradient in `.grad` (leaves always keep theirs)."""
        if not self.requires_grad:
            raise RuntimeError("can't retain_grad on Tensor that has requires_grad=False")
        if self.grad_fn is None or self._retains_grad:
            return
        node = self.grad_fn
        if node._retained is None:
            node._retained = {}
            node._has_tensor_hooks = True
        node._retained[self._output_nr] = weakref.ref(self)
        self._retains_grad = True

    def detach(self) -> Tensor:
        """The same data, cut from the graph (shares storage and version counter)."""
        return Tensor._make(self._array, self._device, self._version_counter)

    def _fresh_copy(self) -> Tensor:
        """A detached copy with its own storage (no graph, no op: the engine's cheap clone)."""
        return Tensor._make(self._device.xp.asarray(self._array, copy=True), self._device)

    def detach_(self) -> Tensor:
        if self._base is not None:  # its history comes from its base's, so it cannot be cut alone
            raise RuntimeError("Can't detach views in-place. Use detach() instead.")
        self.grad_fn = None
        self._requires_grad = False
        return self

    @property
    def data(self) -> Tensor:
        """A tensor sharing this one's storage, outside autograd's view (in-place changes to it
        are not seen by the version counter, as in PyTorch: prefer detach())."""
        return Tensor._make(self._array, self._device)

    @data.setter
    def data(self, value: Tensor) -> None:
        self._array, self._device = value._array, value._device

    # ---- shape, dtype, device ----

    @property
    def shape(self) -> Size:
        return Size(self._array.shape)

    def size(self, dim: int | None = None) -> Any:
        if dim is None:
            return Size(self._array.shape)
        from minigrad.ops._common import normalize_dim

        return self._array.shape[normalize_dim(dim, self.ndim)]

    @property
    def ndim(self) -> int:
        return self._array.ndim

    def dim(self) -> int:
        return self._array.ndim

    ndimension = dim

    def numel(self) -> int:
        count = 1
        for size in self._array.shape:
            count *= size
        return count

    nelement = numel

    @property
    def dtype(self) -> dtypes.dtype:
        array = self._array
        known = _dtype_of_array.get((type(array), array.dtype))  # hot path: one dict lookup
        return known if known is not None else dtypes.of_array(array)

    @property
    def device(self) -> backend.device:
        return self._device

    @property
    def is_cuda(self) -> bool:
        return self._device.type == "cuda"

    def is_floating_point(self) -> bool:
        return self.dtype.is_floating_point

    def element_size(self) -> int:
        return self.dtype.itemsize

    def type(self, dtype: Any = None) -> Any:
        """x.type() is 'torch.FloatTensor'; x.type(minigrad.FloatTensor) or x.type('torch.LongTensor') casts."""
        if dtype is None:
            return f"torch.{_LEGACY_TYPE_NAMES.get(self.dtype.name, self.dtype.name)}Tensor"
        legacy_name = getattr(dtype, "__name__", dtype if isinstance(dtype, str) else "")
        legacy_name = legacy_name.rsplit(".", 1)[-1].removesuffix("Tensor")
        for dtype_name, short in _LEGACY_TYPE_NAMES.items():
            if legacy_name == short:
                return self.to(dtypes.BY_NAME[dtype_name])
        return self.to(dtype)

    def to(self, *args: Any, **kwargs: Any) -> Tensor:
        """to(dtype), to(device), to(device, dtype), to(other): a converted copy, or self if nothing changes."""
        dtype, device = self.dtype, self._device
        for arg in list(args) + [kwargs.get("device"), kwargs.get("dtype")]:
            if arg is None:
                continue
            if isinstance(arg, Tensor):
                dtype, device = arg.dtype, arg._device
            elif isinstance(arg, (str, backend.device)):
                device = backend.get_device(arg)
            else:
                dtype = dtypes.to_dtype(arg)
        if dtype is self.dtype and device == self._device and not kwargs.get("copy", False):
            return self
        from minigrad.ops.elementwise import to_copy

        return to_copy(self, dtype, backend.get_device(device))

    def cpu(self) -> Tensor:
        return self.to("cpu")

    def cuda(self, device: Any = None) -> Tensor:
        return self.to("cuda" if device is None else device if isinstance(device, str) else f"cuda:{device}")

    def float(self) -> Tensor:
        return self.to(dtypes.float32)

    def double(self) -> Tensor:
        return self.to(dtypes.float64)

    def long(self) -> Tensor:
        return self.to(dtypes.int64)

    def int(self) -> Tensor:
        return self.to(dtypes.int32)

    def bool(self) -> Tensor:
        return self.to(dtypes.bool)

    def half(self) -> Tensor:
        return self.to(dtypes.float16)

    # ---- leaving the tensor world ----

    def item(self) -> Any:
        if self.numel() != 1:
            raise RuntimeError(f"a Tensor with {self.numel()} elements cannot be converted to Scalar")
        return backend.to_numpy(self._array).item()

    def tolist(self) -> Any:
        return backend.to_numpy(self._array).tolist()

    def numpy(self, *, force: bool = False) -> Any:
        if self.requires_grad and not force:
            raise RuntimeError("Can't call numpy() on Tensor that requires grad. Use tensor.detach().numpy() instead.")
        if self._device.type != "cpu" and not force:
            raise TypeError(
                f"can't convert {self._device} device type tensor to numpy. Use Tensor.cpu() to "
                "copy the tensor to host memory first."
            )
        return backend.to_numpy(self._array)

    def __array__(self, dtype: Any = None, copy: Any = None) -> Any:
        array = self.numpy()
        return array if dtype is None else array.astype(dtype)

    def __float__(self) -> float:
        return float(self.item())

    def __int__(self) -> int:
        return int(self.item())

    def __index__(self) -> int:
        if self.dtype.is_floating_point or self.numel() != 1:
            raise TypeError("only integer tensors of a single element can be converted to an index")
        return int(self.item())

    def __bool__(self) -> bool:
        if self.numel() != 1:
            raise RuntimeError("Boolean value of Tensor with more than one value is ambiguous")
        return bool(self.item())

    def __len__(self) -> int:
        if self.ndim == 0:
            raise TypeError("len() of a 0-d tensor")
        return self._array.shape[0]

    def __iter__(self) -> Any:
        if self.ndim == 0:
            raise TypeError("iteration over a 0-d tensor")
        return iter(self.unbind(0))

    def __format__(self, spec: str) -> str:
        if self.ndim == 0:
            return self.item().__format__(spec)
        return object.__format__(self, spec) if spec else str(self)

    # hashed by identity, as in PyTorch (== compares elementwise); object's own hash is this, in C
    __hash__ = object.__hash__

    def __repr__(self) -> str:
        from minigrad._tensor_str import tensor_repr

        return tensor_repr(self)

    def __reduce_ex__(self, protocol: int) -> Any:
        from minigrad import creation

        return (creation._rebuild, (backend.to_numpy(self._array), str(self._device), self.requires_grad))

    def __deepcopy__(self, memo: dict) -> Tensor:
        if self.grad_fn is not None:
            raise RuntimeError(
                "Only Tensors created explicitly by the user (graph leaves) support the deepcopy protocol at the moment."
            )
        copy = Tensor._make(self._device.xp.asarray(self._array, copy=True), self._device, kind=type(self))
        copy._requires_grad = self._requires_grad
        # a user's attributes are copied; the autograd fields stay this tensor's own (hooks,
        # its AccumulateGrad), except the gradient, which is copied too
        copy.__dict__.update({k: v for k, v in self.__dict__.items() if k not in _OWN_FIELDS})
        if self._grad is not None:
            copy.grad = self._grad.__deepcopy__(memo)
        memo[id(self)] = copy
        return copy

    # ---- new tensors like this one ----

    def new_tensor(self, data: Any, dtype: Any = None, device: Any = None, requires_grad: bool = False) -> Tensor:
        from minigrad import creation

        return creation.tensor(
            data, dtype=dtype or self.dtype, device=device or self._device, requires_grad=requires_grad
        )

    def new_zeros(self, *size: Any, dtype: Any = None, device: Any = None, requires_grad: bool = False) -> Tensor:
        from minigrad import creation

        return creation.zeros(
            *size, dtype=dtype or self.dtype, device=device or self._device, requires_grad=requires_grad
        )

    def new_ones(self, *size: Any, dtype: Any = None, device: Any = None, requires_grad: bool = False) -> Tensor:
        from minigrad import creation

        return creation.ones(
            *size, dtype=dtype or self.dtype, device=device or self._device, requires_grad=requires_grad
        )

    def new_full(
        self, size: Any, fill_value: Any, dtype: Any = None, device: Any = None, requires_grad: bool = False
    ) -> Tensor:
        from minigrad import creation

        return creation.full(
            size, fill_value, dtype=dtype or self.dtype, device=device or self._device, requires_grad=requires_grad
        )

    def new_empty(self, *size: Any, dtype: Any = None, device: Any = None, requires_grad: bool = False) -> Tensor:
        return self.new_zeros(*size, dtype=dtype, device=device, requires_grad=requires_grad)

    def clone(self) -> Tensor:
        return ops.clone(self)

    def is_contiguous(self) -> bool:
        return backend.is_contiguous(self._array)

    def contiguous(self) -> Tensor:
        """self if its elements lie in row-major order in memory, else a copy that does (CloneBackward0)."""
        return self if backend.is_contiguous(self._array) else ops.elementwise.contiguous_copy(self)

    # ---- operators: each one line over the functional ops ----
    # An operand that is no tensor or number gets NotImplemented, so Python tries the other side and
    # then raises its own TypeError naming the operator ("unsupported operand type(s) for +: 'Tensor'
    # and 'str'"), as for PyTorch; x == "a" is False.
    # fmt: off

    def __add__(self, other: Any) -> Tensor: return ops.add(self, other) if isinstance(other, _OPERATOR_TYPES) else NotImplemented
    def __radd__(self, other: Any) -> Tensor: return ops.add(self, other) if isinstance(other, _OPERATOR_TYPES) else NotImplemented  # 1 + x records add(x, 1), as PyTorch
    def __sub__(self, other: Any) -> Tensor: return ops.sub(self, other) if isinstance(other, _OPERATOR_TYPES) else NotImplemented
    def __rsub__(self, other: Any) -> Tensor: return ops.sub(other, self) if isinstance(other, _OPERATOR_TYPES) else NotImplemented  # 1 - x
    def __mul__(self, other: Any) -> Tensor: return ops.mul(self, other) if isinstance(other, _OPERATOR_TYPES) else NotImplemented
    def __rmul__(self, other: Any) -> Tensor: return ops.mul(self, other) if isinstance(other, _OPERATOR_TYPES) else NotImplemented  # 2 * x records mul(x, 2)
    def __truediv__(self, other: Any) -> Tensor: return ops.div(self, other) if isinstance(other, _OPERATOR_TYPES) else NotImplemented
    def __rtruediv__(self, other: Any) -> Tensor: return ops.div(other, self) if isinstance(other, _OPERATOR_TYPES) else NotImplemented  # 1 / x
    def __floordiv__(self, other: Any) -> Tensor: return ops.floor_divide(self, other) if isinstance(other, _OPERATOR_TYPES) else NotImplemented
    def __rfloordiv__(self, other: Any) -> Tensor: return ops.floor_divide(other, self) if isinstance(other, _OPERATOR_TYPES) else NotImplemented
    def __mod__(self, other: Any) -> Tensor: return ops.remainder(self, other) if isinstance(other, _OPERATOR_TYPES) else NotImplemented
    def __rmod__(self, other: Any) -> Tensor: return ops.remainder(other, self) if isinstance(other, _OPERATOR_TYPES) else NotImplemented
    def __pow__(self, exponent: Any) -> Tensor: return ops.pow(self, exponent) if isinstance(exponent, _OPERATOR_TYPES) else NotImplemented
    def __rpow__(self, base: Any) -> Tensor: return ops.pow(base, self) if isinstance(base, _OPERATOR_TYPES) else NotImplemented  # 2 ** x
    def __matmul__(self, other: Tensor) -> Tensor: return ops.matmul(self, other) if isinstance(other, Tensor) else NotImplemented
    def __rmatmul__(self, other: Tensor) -> Tensor: return ops.matmul(other, self) if isinstance(other, Tensor) else NotImplemented
    def __neg__(self) -> Tensor: return ops.neg(self)
    def __pos__(self) -> Tensor: return ops.positive(self)
    def __abs__(self) -> Tensor: return ops.abs(self)
    def __invert__(self) -> Tensor: return ops.logical_not(self) if self.dtype is dtypes.bool else -self - 1
    def __eq__(self, other: Any) -> Any: return ops.eq(self, other) if isinstance(other, _OPERATOR_TYPES) else NotImplemented  # type: ignore[override]
    def __ne__(self, other: Any) -> Any: return ops.ne(self, other) if isinstance(other, _OPERATOR_TYPES) else NotImplemented  # type: ignore[override]
    def __lt__(self, other: Any) -> Tensor: return ops.lt(self, other) if isinstance(other, _OPERATOR_TYPES) else NotImplemented
    def __le__(self, other: Any) -> Tensor: return ops.le(self, other) if isinstance(other, _OPERATOR_TYPES) else NotImplemented
    def __gt__(self, other: Any) -> Tensor: return ops.gt(self, other) if isinstance(other, _OPERATOR_TYPES) else NotImplemented
    def __ge__(self, other: Any) -> Tensor: return ops.ge(self, other) if isinstance(other, _OPERATOR_TYPES) else NotImplemented
    def __and__(self, other: Any) -> Tensor: return ops.bitwise_and(self, other) if isinstance(other, _OPERATOR_TYPES) else NotImplemented
    def __or__(self, other: Any) -> Tensor: return ops.bitwise_or(self, other) if isinstance(other, _OPERATOR_TYPES) else NotImplemented
    def __xor__(self, other: Any) -> Tensor: return ops.bitwise_xor(self, other) if isinstance(other, _OPERATOR_TYPES) else NotImplemented
    def __getitem__(self, key: Any) -> Tensor: return ops.getitem(self, key)

    # ---- methods: each one line over the functional ops ----

    def add(self, other: Any, *, alpha: float = 1) -> Tensor: return ops.add(self, _operand("add", other), alpha=alpha)
    def sub(self, other: Any, *, alpha: float = 1) -> Tensor: return ops.sub(self, _operand("sub", other), alpha=alpha)
    def mul(self, other: Any) -> Tensor: return ops.mul(self, _operand("mul", other))
    def div(self, other: Any, *, rounding_mode: str | None = None) -> Tensor: return ops.div(self, _operand("div", other), rounding_mode=rounding_mode)
    def pow(self, exponent: Any) -> Tensor: return ops.pow(self, _operand("pow", exponent))
    def neg(self) -> Tensor: return ops.neg(self)
    def exp(self) -> Tensor: return ops.exp(self)
    def log(self) -> Tensor: return ops.log(self)
    def log1p(self) -> Tensor: return ops.log1p(self)
    def expm1(self) -> Tensor: return ops.expm1(self)
    def log2(self) -> Tensor: return ops.log2(self)
    def log10(self) -> Tensor: return ops.log10(self)
    def exp2(self) -> Tensor: return ops.exp2(self)
    def erf(self) -> Tensor: return ops.erf(self)
    def sqrt(self) -> Tensor: return ops.sqrt(self)
    def rsqrt(self) -> Tensor: return ops.rsqrt(self)
    def square(self) -> Tensor: return ops.square(self)
    def reciprocal(self) -> Tensor: return ops.reciprocal(self)
    def abs(self) -> Tensor: return ops.abs(self)
    def positive(self) -> Tensor: return ops.positive(self)
    def sign(self) -> Tensor: return ops.sign(self)
    def sin(self) -> Tensor: return ops.sin(self)
    def cos(self) -> Tensor: return ops.cos(self)
    def tan(self) -> Tensor: return ops.tan(self)
    def asin(self) -> Tensor: return ops.asin(self)
    def acos(self) -> Tensor: return ops.acos(self)
    def atan(self) -> Tensor: return ops.atan(self)
    def atan2(self, other: Tensor) -> Tensor: return ops.atan2(self, _tensor_arg("atan2", "other", other))
    arcsin, arccos, arctan, arctan2 = asin, acos, atan, atan2
    def sinh(self) -> Tensor: return ops.sinh(self)
    def cosh(self) -> Tensor: return ops.cosh(self)
    def floor(self) -> Tensor: return ops.floor(self)
    def ceil(self) -> Tensor: return ops.ceil(self)
    def round(self, *, decimals: int | None = None) -> Tensor: return ops.round(self, decimals=decimals)
    def trunc(self) -> Tensor: return ops.trunc(self)
    fix = trunc
    def frac(self) -> Tensor: return ops.frac(self)
    def floor_divide(self, other: Any) -> Tensor: return ops.floor_divide(self, _operand("floor_divide", other))
    def flip(self, *dims: Any) -> Tensor: return ops.flip(self, ops.shape.dims_of_flip_method(dims))
    def tril(self, diagonal: int = 0) -> Tensor: return ops.tril(self, diagonal)
    def triu(self, diagonal: int = 0) -> Tensor: return ops.triu(self, diagonal)
    def cumsum(self, dim: int, *, dtype: Any = None) -> Tensor: return ops.cumsum(self, dim, dtype=dtype)
    def remainder(self, other: Any) -> Tensor: return ops.remainder(self, _operand("remainder", other))
    def tanh(self) -> Tensor: return ops.tanh(self)
    def sigmoid(self) -> Tensor: return ops.sigmoid(self)
    def relu(self) -> Tensor: return ops.relu(self)
    def clamp(self, min: Any = None, max: Any = None) -> Tensor: return ops.clamp(self, min, max)  # noqa: A002
    clip = clamp
    def clamp_min(self, min: Any) -> Tensor: return ops.clamp_min(self, min)  # noqa: A002
    def clamp_max(self, max: Any) -> Tensor: return ops.clamp_max(self, max)  # noqa: A002
    def maximum(self, other: Tensor) -> Tensor: return ops.maximum(self, _tensor_arg("maximum", "other", other))
    def minimum(self, other: Tensor) -> Tensor: return ops.minimum(self, _tensor_arg("minimum", "other", other))
    def where(self, condition: Tensor, other: Any) -> Tensor: return ops.where(condition, self, other)
    def masked_fill(self, mask: Tensor, value: Any) -> Tensor: return ops.masked_fill(self, mask, value)
    def lerp(self, end: Tensor, weight: Any) -> Tensor: return ops.lerp(self, end, weight)
    def addcmul(self, tensor1: Tensor, tensor2: Tensor, *, value: Any = 1) -> Tensor: return ops.addcmul(self, tensor1, tensor2, value=value)
    def addcdiv(self, tensor1: Tensor, tensor2: Tensor, *, value: Any = 1) -> Tensor: return ops.addcdiv(self, tensor1, tensor2, value=value)
    def eq(self, other: Any) -> Tensor: return ops.eq(self, _operand("eq", other))
    def ne(self, other: Any) -> Tensor: return ops.ne(self, _operand("ne", other))
    def lt(self, other: Any) -> Tensor: return ops.lt(self, _operand("lt", other))
    def le(self, other: Any) -> Tensor: return ops.le(self, _operand("le", other))
    def gt(self, other: Any) -> Tensor: return ops.gt(self, _operand("gt", other))
    def ge(self, other: Any) -> Tensor: return ops.ge(self, _operand("ge", other))
    def isnan(self) -> Tensor: return ops.isnan(self)
    def isinf(self) -> Tensor: return ops.isinf(self)
    def isfinite(self) -> Tensor: return ops.isfinite(self)
    def logical_not(self) -> Tensor: return ops.logical_not(self)
    def logical_and(self, other: Tensor) -> Tensor: return ops.logical_and(self, _tensor_arg("logical_and", "other", other))
    def logical_or(self, other: Tensor) -> Tensor: return ops.logical_or(self, _tensor_arg("logical_or", "other", other))
    def logical_xor(self, other: Tensor) -> Tensor: return ops.logical_xor(self, _tensor_arg("logical_xor", "other", other))
    def bitwise_and(self, other: Any) -> Tensor: return ops.bitwise_and(self, _operand("bitwise_and", other))
    def bitwise_or(self, other: Any) -> Tensor: return ops.bitwise_or(self, _operand("bitwise_or", other))
    def bitwise_xor(self, other: Any) -> Tensor: return ops.bitwise_xor(self, _operand("bitwise_xor", other))
    def equal(self, other: Tensor) -> bool:
        _check_tensor_args("equal", other=other)
        return self.shape == other.shape and bool((self == other).all())
    def allclose(self, other: Tensor, rtol: float = 1e-5, atol: float = 1e-8) -> bool:
        return bool(((self - other).abs() <= atol + rtol * other.abs()).all())

    def sum(self, dim: Any = None, keepdim: bool = False, *, dtype: Any = None) -> Tensor: return ops.sum(self, dim, keepdim, dtype=dtype)
    def mean(self, dim: Any = None, keepdim: bool = False, *, dtype: Any = None) -> Tensor: return ops.mean(self, dim, keepdim, dtype=dtype)
    def var(self, dim: Any = None, unbiased: Any = None, keepdim: bool = False, *, correction: Any = None) -> Tensor:
        return ops.var(self, dim, unbiased, keepdim, correction=correction)
    def std(self, dim: Any = None, unbiased: Any = None, keepdim: bool = False, *, correction: Any = None) -> Tensor:
        return ops.std(self, dim, unbiased, keepdim, correction=correction)
    def max(self, dim: Any = None, keepdim: bool = False) -> Any: return ops.max(self, dim, keepdim)
    def min(self, dim: Any = None, keepdim: bool = False) -> Any: return ops.min(self, dim, keepdim)
    def amax(self, dim: Any = (), keepdim: bool = False) -> Tensor: return ops.amax(self, dim, keepdim)
    def amin(self, dim: Any = (), keepdim: bool = False) -> Tensor: return ops.amin(self, dim, keepdim)
    def sort(self, dim: int = -1, descending: bool = False, stable: bool = False) -> Any: return ops.sort(self, dim, descending, stable)
    def argsort(self, dim: int = -1, descending: bool = False, stable: bool = False) -> Tensor: return ops.argsort(self, dim, descending, stable)
    def topk(self, k: int, dim: int = -1, largest: bool = True, sorted: bool = True) -> Any: return ops.topk(self, k, dim, largest, sorted)  # noqa: A002
    def argmax(self, dim: Any = None, keepdim: bool = False) -> Tensor: return ops.argmax(self, dim, keepdim)
    def argmin(self, dim: Any = None, keepdim: bool = False) -> Tensor: return ops.argmin(self, dim, keepdim)
    def all(self, dim: Any = None, keepdim: bool = False) -> Tensor: return _logical_reduce(self, "all", dim, keepdim)
    def any(self, dim: Any = None, keepdim: bool = False) -> Tensor: return _logical_reduce(self, "any", dim, keepdim)
    def softmax(self, dim: int, dtype: Any = None) -> Tensor: return ops.softmax(self, dim, dtype)
    def log_softmax(self, dim: int, dtype: Any = None) -> Tensor: return ops.log_softmax(self, dim, dtype)
    def logsumexp(self, dim: Any, keepdim: bool = False) -> Tensor: return ops.logsumexp(self, dim, keepdim)
    def norm(self, p: Any = 2, dim: Any = None, keepdim: bool = False) -> Tensor: return ops.norm(self, p, dim, keepdim)

    def matmul(self, other: Tensor) -> Tensor:
        if not isinstance(other, Tensor):  # (inline: x.matmul(W) is the lecture's hot path)
            _check_tensor_args("matmul", other=other)
        return ops.matmul(self, other)
    def mm(self, other: Tensor) -> Tensor: return ops.mm(self, _tensor_arg("mm", "mat2", other))
    def bmm(self, other: Tensor) -> Tensor: return ops.bmm(self, _tensor_arg("bmm", "mat2", other))
    def dot(self, other: Tensor) -> Tensor: return ops.dot(self, _tensor_arg("dot", "tensor", other))
    def mv(self, other: Tensor) -> Tensor: return ops.mv(self, _tensor_arg("mv", "vec", other))
    def outer(self, other: Tensor) -> Tensor: return ops.outer(self, _tensor_arg("outer", "vec2", other))
    def ger(self, other: Tensor) -> Tensor: return ops.outer(self, _tensor_arg("ger", "vec2", other))
    def addmm(self, mat1: Tensor, mat2: Tensor, *, beta: float = 1, alpha: float = 1) -> Tensor:
        _check_tensor_args("addmm", mat1=mat1, mat2=mat2)
        return ops.addmm(self, mat1, mat2, beta=beta, alpha=alpha)

    def reshape(self, *shape: Any) -> Tensor: return ops.reshape(self, *shape)
    def view(self, *shape: Any) -> Tensor: return ops.view(self, *shape)
    def view_as(self, other: Tensor) -> Tensor: return ops.view(self, _tensor_arg("view_as", "other", other).shape)
    def reshape_as(self, other: Tensor) -> Tensor: return ops.reshape(self, _tensor_arg("reshape_as", "other", other).shape)
    def flatten(self, start_dim: int = 0, end_dim: int = -1) -> Tensor: return ops.flatten(self, start_dim, end_dim)
    def unflatten(self, dim: int, sizes: Any) -> Tensor: return ops.unflatten(self, dim, sizes)
    def squeeze(self, dim: Any = None) -> Tensor: return ops.squeeze(self, dim)
    def unsqueeze(self, dim: int) -> Tensor: return ops.unsqueeze(self, dim)
    def permute(self, *dims: Any) -> Tensor: return ops.permute(self, *dims)
    def transpose(self, dim0: int, dim1: int) -> Tensor: return ops.transpose(self, dim0, dim1)
    swapaxes = swapdims = transpose
    def movedim(self, source: Any, destination: Any) -> Tensor: return ops.movedim(self, source, destination)
    moveaxis = movedim
    def t(self) -> Tensor: return ops.t(self)
    def expand(self, *sizes: Any) -> Tensor: return ops.expand(self, *sizes)
    def expand_as(self, other: Tensor) -> Tensor: return ops.expand(self, _tensor_arg("expand_as", "other", other).shape)
    def broadcast_to(self, shape: Any) -> Tensor: return ops.broadcast_to(self, shape)
    def type_as(self, other: Tensor) -> Tensor: return self.to(_tensor_arg("type_as", "other", other).dtype)
    def repeat(self, *sizes: Any) -> Tensor: return ops.repeat(self, *sizes)
    def split(self, split_size: Any, dim: int = 0) -> tuple: return ops.split(self, split_size, dim)
    def chunk(self, chunks: int, dim: int = 0) -> tuple: return ops.chunk(self, chunks, dim)
    def unbind(self, dim: int = 0) -> tuple: return ops.unbind(self, dim)
    def narrow(self, dim: int, start: int, length: int) -> Tensor: return ops.narrow(self, dim, start, length)
    def select(self, dim: int, index: int) -> Tensor: return ops.select(self, dim, index)
    def gather(self, dim: int, index: Tensor) -> Tensor: return ops.gather(self, dim, index)
    def index_select(self, dim: int, index: Tensor) -> Tensor: return ops.index_select(self, dim, index)
    def nonzero(self, *, as_tuple: bool = False) -> Any: return ops.nonzero(self, as_tuple=as_tuple)
    def argwhere(self) -> Tensor: return ops.argwhere(self)

    # fmt: on

    @property
    def T(self) -> Tensor:  # noqa: N802
        return ops.permute(self, tuple(reversed(range(self.ndim))))

    @property
    def mT(self) -> Tensor:  # noqa: N802
        return ops.shape.matrix_transpose(self)

    # ---- in place: computed out of place, then written into this tensor's storage (autograd/inplace.py) ----

    def add_(self, other: Any, *, alpha: float = 1) -> Tensor:
        if inplace.raw_update_allowed(self, other) and _raw_alpha_allowed(self, alpha):
            other = other._array if isinstance(other, Tensor) else other
            if alpha == 1:
                self._array += other
            else:  # self + alpha·other, rounded once where PyTorch's kernel fuses it (the SGD step)
                backend.add_scaled_(self._array, other, alpha)
            self._version_counter[0] += 1
            return self
        return inplace.apply(self, ops.add, other, alpha=alpha)

    def mul_(self, other: Any) -> Tensor:
        if inplace.raw_update_allowed(self, other):
            self._array *= other._array if isinstance(other, Tensor) else other
            self._version_counter[0] += 1
            return self
        return inplace.apply(self, ops.mul, other)

    def sub_(self, other: Any, *, alpha: float = 1) -> Tensor:
        if (
            inplace.raw_update_allowed(self, other)
            and _raw_alpha_allowed(self, alpha)
            and self.dtype is not dtypes.bool
        ):
            return self.add_(other, alpha=-alpha)
        return inplace.apply(self, ops.sub, other, alpha=alpha)

    def div_(self, other: Any, *, rounding_mode: str | None = None) -> Tensor:
        return inplace.apply(self, ops.div, other, rounding_mode=rounding_mode)

    def pow_(self, exponent: Any) -> Tensor:
        return inplace.apply(self, ops.pow, exponent)

    def neg_(self) -> Tensor:
        return inplace.apply(self, ops.neg)

    def exp_(self) -> Tensor:
        return inplace.apply(self, ops.exp)

    def log_(self) -> Tensor:
        return inplace.apply(self, ops.log)

    def sqrt_(self) -> Tensor:
        return inplace.apply(self, ops.sqrt)

    def abs_(self) -> Tensor:
        return inplace.apply(self, ops.abs)

    def relu_(self) -> Tensor:
        return inplace.apply(self, ops.relu)

    def sigmoid_(self) -> Tensor:
        return inplace.apply(self, ops.sigmoid)

    def tanh_(self) -> Tensor:
        return inplace.apply(self, ops.tanh)

    def clamp_(self, min: Any = None, max: Any = None) -> Tensor:
        return inplace.apply(self, ops.clamp, min, max)  # noqa: A002

    clip_ = clamp_

    # PyTorch's other names for the same methods
    multiply, subtract, divide, true_divide, negative, absolute = mul, sub, div, div, neg, abs  # noqa: A003
    multiply_, subtract_, divide_, true_divide_, negative_, absolute_ = mul_, sub_, div_, div_, neg_, abs_

    def clamp_min_(self, min: Any) -> Tensor:
        return inplace.apply(self, ops.clamp_min, min)  # noqa: A002

    def clamp_max_(self, max: Any) -> Tensor:
        return inplace.apply(self, ops.clamp_max, max)  # noqa: A002

    def masked_fill_(self, mask: Tensor, value: Any) -> Tensor:
        return inplace.apply(self, ops.masked_fill, mask, value)

    def addcmul_(self, tensor1: Tensor, tensor2: Tensor, *, value: float = 1) -> Tensor:
        _check_tensor_args("addcmul_", tensor1=tensor1, tensor2=tensor2)
        return inplace.apply(self, ops.addcmul, tensor1, tensor2, value=value)

    def addcdiv_(self, tensor1: Tensor, tensor2: Tensor, *, value: float = 1) -> Tensor:
        _check_tensor_args("addcdiv_", tensor1=tensor1, tensor2=tensor2)
        return inplace.apply(self, ops.addcdiv, tensor1, tensor2, value=value)

    def lerp_(self, end: Tensor, weight: Any) -> Tensor:
        _check_tensor_args("lerp_", end=end)
        return inplace.apply(self, ops.lerp, end, weight)

    def zero_(self) -> Tensor:
        return inplace.apply(self, inplace.fill, 0)

    def fill_(self, value: Any) -> Tensor:
        if not isinstance(value, Tensor):  # (a tensor value gets its own checks: 0-d only)
            ops._common.check_number_argument("fill_", "value", 1, value)
        return inplace.apply(self, inplace.fill, value)

    def copy_(self, source: Tensor, non_blocking: bool = False) -> Tensor:
        """Copy `source` (broadcast, cast and moved as needed; a number fills) into this tensor."""
        if isinstance(source, OPERAND_TYPES) and not isinstance(source, Tensor):  # a number, as in PyTorch
            source = ops._common.as_dtype(ops._common.operand(source), self.dtype, self._device)
        _check_tensor_args("copy_", other=source)
        return inplace.apply(self, inplace.copy_from, source)

    def uniform_(self, a: float = 0.0, b: float = 1.0) -> Tensor:
        ops._common.check_number_argument("uniform_", "from", 1, a, "float")
        ops._common.check_number_argument("uniform_", "to", 2, b, "float")
        if a > b:
            raise RuntimeError(f"uniform_ expects to return a [from, to) range, but found from={a} > to={b}")
        return self._fill_random("uniform", low=a, high=b)

    def normal_(self, mean: float = 0.0, std: float = 1.0) -> Tensor:
        ops._common.check_number_argument("normal_", "mean", 1, mean, "float")
        ops._common.check_number_argument("normal_", "std", 2, std, "float")
        return self._fill_random("normal", mean=mean, std=std)

    def bernoulli_(self, p: float = 0.5) -> Tensor:
        """Fill with 1 (with probability p) or 0."""
        if not 0 <= p <= 1:
            raise RuntimeError(f"bernoulli_ expects p to be in [0, 1], but got p={p:g}")  # (C++ prints 2.0 as 2)
        return self._fill_random("bernoulli", p=p)

    def _fill_random(self, kind: str, **kw: Any) -> Tensor:
        array = backend.random_array(kind, self.shape, self.dtype, self._device, **kw)
        return inplace.apply(self, lambda x: inplace.overwritten(x, Tensor._make(array, x._device)))

    def __setitem__(self, key: Any, value: Any) -> None:
        if self._requires_grad and self.grad_fn is None and grad_mode._state.enabled and inplace.is_view_key(key):
            # in PyTorch x[0] = v writes into a view of x, so the leaf rule names the view
            raise RuntimeError("a view of a leaf Variable that requires grad is being used in an in-place operation.")
        inplace.apply(self, ops.setitem, key, value)

    def __iadd__(self, other: Any) -> Tensor:
        return self.add_(other)

    def __isub__(self, other: Any) -> Tensor:
        return self.sub_(other)  # W -= lr * gradient

    def __imul__(self, other: Any) -> Tensor:
        return self.mul_(other)

    def __itruediv__(self, other: Any) -> Tensor:
        return self.div_(other)


_dtype_of_array = dtypes._by_array_dtype
_new_object = object.__new__
_OWN_FIELDS = (
    "_grad",
    "_hooks",
    "_accumulator",
    "_retains_grad",
    "_view_steps",
    "_view_version",
    "_inplace_forbidden",
    "_no_grad_view",
)
_LEGACY_TYPE_NAMES = {"float32": "Float", "float64": "Double", "int64": "Long", "int32": "Int", "bool": "Bool"}


def _check_tensor_args(name: str, **arguments: Any) -> None:
    """PyTorch's TypeError for a method's arguments that must be tensors (position 1: the first after self)."""
    ops._common.check_tensor_arguments(name, tuple(arguments), *arguments.values())


# What the binary operators and ops take besides tensors: Python numbers (bool is an int) and
# NumPy's scalars (x.max() of a float32 array is a number to PyTorch).
OPERAND_TYPES = (Tensor, int, float, np.number, np.bool_)
# The operators also let a NumPy array through, to ops' error that says what to do (NumPy's own,
# once it got NotImplemented, would be "operand 'Tensor' does not support ufuncs").
_OPERATOR_TYPES = (*OPERAND_TYPES, np.ndarray)


_NON_LEAF_GRAD = (
    "The .grad attribute of a Tensor that is not a leaf Tensor is being accessed. Its .grad attribute won't be "
    "populated during autograd.backward(). If you indeed want the .grad field to be populated for a non-leaf "
    "Tensor, use .retain_grad() on the non-leaf Tensor. If you access the non-leaf Tensor by mistake, make sure "
    "you access the leaf Tensor instead. See github.com/pytorch/pytorch/pull/30531 for more information."
)


def _raw_alpha_allowed(x: Tensor, alpha: Any) -> bool:
    """Whether add_/sub_ may scale by `alpha` on the raw arrays: not a bool alpha, and not
    alpha != 1 on an integer tensor (ops.add and ops.sub give PyTorch's errors for those)."""
    return type(alpha) is not bool and (alpha == 1 or x.dtype.is_floating_point)


def _operand(name: str, value: Any) -> Any:
    """`value`, the binary method's operand, if it is a tensor or a number; else PyTorch's TypeError."""
    if not isinstance(value, OPERAND_TYPES):
        ops._common.check_method_operand(name, value)
    return value


def _tensor_arg(name: str, argument: str, value: Any) -> Tensor:
    """`value`, the method's first argument, if it is a tensor; else PyTorch's TypeError."""
    if not isinstance(value, Tensor):
        _check_tensor_args(name, **{argument: value})
    return value


def _logical_reduce(x: Tensor, name: str, dim: Any, keepdim: bool) -> Tensor:
    from minigrad.ops._common import normalize_dims

    xp = x._device.xp
    axis = None if dim is None else normalize_dims(dim, x.ndim)
    return Tensor._make(getattr(xp, name)(xp.astype(x._array, xp.bool), axis=axis, keepdims=keepdim), x._device)


from minigrad import autograd, ops  # noqa: E402  (they import Tensor from this module)
from minigrad.autograd import inplace  # noqa: E402
