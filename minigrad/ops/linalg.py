"""
Matrix products. `matmul` follows PyTorch (and NumPy): 1-D operands become a row or a column,
leading dimensions broadcast. Its backward is the two products of the chain rule:

    Z = X @ Y   ->   dL/dX = dL/dZ @ Yᵀ,   dL/dY = Xᵀ @ dL/dZ

and the engine sums broadcast batch dimensions back (sum_to).
"""

from __future__ import annotations

from minigrad import backend, dtypes
from minigrad.autograd.function import Function
from minigrad.ops._common import broadcast_shape, check_tensor_arguments
from minigrad.tensor import Tensor


class Matmul(Function):
    """Z = X @ Y;  dZ/dX = grad @ Yᵀ, dZ/dY = Xᵀ @ grad (1-D operands handled as row/column)."""

    node_name = "MmBackward0"

    @staticmethod
    def forward(ctx, x, y):
        ctx.save_for_backward(x, y)
        return x._device.matmul(x._array, y._array)

    @staticmethod
    def backward(ctx, grad_output):
        x, y = ctx.saved_tensors
        x_is_vector, y_is_vector = x._array.ndim == 1, y._array.ndim == 1
        if x_is_vector and y_is_vector:  # dot product: grad is a scalar
            return grad_output * y, grad_output * x
        # a broadcast gradient (sum's backward gives one) would be copied by each product: copy it once
        grad = grad_output.contiguous()
        x_matrix = x.unsqueeze(0) if x_is_vector else x  # (k,) -> (1, k)
        y_matrix = y.unsqueeze(-1) if y_is_vector else y  # (k,) -> (k, 1)
        if x_is_vector:
            grad = grad.unsqueeze(-2)
        if y_is_vector:
            grad = grad.unsqueeze(-1)
        grad_x = grad_y = None
        if ctx.needs_input_grad[0]:
            grad_x = grad @ y_matrix.mT  # (..., n, m) @ (..., m, k) -> (..., n, k)
            if x_is_vector:
                grad_x = grad_x.squeeze(-2)
        if ctx.needs_input_grad[1]:
            grad_y = _second_operand_grad(x_matrix, grad, y)  # (..., k, n) @ (..., n, m) -> (..., k, m)
            if y_is_vector:
                grad_y = grad_y.squeeze(-1)
        return grad_x, grad_y


class Dot(Matmul):
    node_name = "DotBackward0"


class Mv(Matmul):
    node_name = "MvBackward0"


class Bmm(Matmul):
    node_name = "BmmBackward0"


class BatchedMatmul(Matmul):
    node_name = "MatmulBackward0"


def matmul(x: Tensor, y: Tensor) -> Tensor:
    if not isinstance(x, Tensor) or not isinstance(y, Tensor):
        check_tensor_arguments("matmul", ("input", "other"), x, y)
    a, b = x._array, y._array
    if a.ndim == 2 and b.ndim == 2 and a.shape[1] == b.shape[0] and type(a) is type(b) and a.dtype == b.dtype:
        return Matmul.apply(x, y)  # the common case, checked cheaply; the rest below, with PyTorch's errors
    different = type(a) is not type(b) or a.dtype != b.dtype  # (arrays of two devices compare by dtype)
    if different and x.dtype is not y.dtype:  # matmul does not promote, as in PyTorch
        raise RuntimeError(f"expected m1 and m2 to have the same dtype, but got: {_name(x)} != {_name(y)}")
    if a.ndim == 0 or b.ndim == 0 or a.shape[-1] != b.shape[0 if b.ndim == 1 else -2] or a.ndim > 2 or b.ndim > 2:
        _check_matmul_shapes(x, y)  # PyTorch's message if the sizes do not fit (batched: always checked)
    if a.ndim == 1 and b.ndim == 1:
        return Dot.apply(x, y)
    if a.ndim == 2 and b.ndim == 1:
        return Mv.apply(x, y)
    if a.ndim <= 2 and b.ndim <= 2:
        return Matmul.apply(x, y)
    return BatchedMatmul.apply(x, y)


def _name(x: Tensor) -> str:
    """x's dtype as C++ names it, which is how PyTorch's matmul names it: "long int != float"."""
    return dtypes.cpp_type_name(x.dtype)


def _type(x: Tensor) -> str:
    return dtypes.torch_type_name(x.dtype)


def _check_matmul_shapes(x: Tensor, y: Tensor) -> None:
    """PyTorch's messages for products whose inner sizes differ."""
    if x.ndim == 0 or y.ndim == 0:
        raise RuntimeError(f"both arguments to matmul need to be at least 1D, but they are {x.ndim}D and {y.ndim}D")
    inner_x = x.shape[-1]
    inner_y = y.shape[0] if y.ndim == 1 else y.shape[-2]
    if inner_x == inner_y:
        if x.ndim > 2 or y.ndim > 2:
            _check_batch_shapes(x, y)
        return
    if x.ndim == 1 and y.ndim == 1:
        raise RuntimeError(
            f"inconsistent tensor size, expected tensor [{inner_x}] and src [{inner_y}] to have the same "
            f"number of elements, but got {inner_x} and {inner_y} elements respectively"
        )
    if x.ndim == 2 and y.ndim == 1:
        raise RuntimeError(f"size mismatch, got input ({x.shape[0]}), mat ({x.shape[0]}x{inner_x}), vec ({inner_y})")
    rows_x = "x".join(map(str, (x.shape if x.ndim == 2 else (1, inner_x) if x.ndim == 1 else (-1, inner_x))))
    if x.ndim <= 2 and y.ndim <= 2:
        y_shape = y.shape if y.ndim == 2 else (inner_y, 1)
        raise RuntimeError(f"mat1 and mat2 shapes cannot be multiplied ({rows_x} and {y_shape[0]}x{y_shape[1]})")
    raise RuntimeError(
        f"Expected size for first two dimensions of batch2 tensor to be: [{_batch(x)}, {inner_x}] but got: "
        f"[{_batch(y)}, {inner_y}]."
    )


def _batch(t: Tensor) -> int:
    return t.shape[0] if t.ndim >= 3 else 1


def _check_batch_shapes(x: Tensor, y: Tensor) -> None:
    broadcast_shape(x.shape[:-2], y.shape[:-2] if y.ndim > 1 else ())


class Addmm(Function):
    """Y = bias + X @ W;  dY/dbias = grad (summed back to bias's shape by the engine),
    dY/dX = grad @ Wᵀ, dY/dW = Xᵀ @ grad. What nn.Linear computes, in one node as in PyTorch."""

    node_name = "AddmmBackward0"

    @staticmethod
    def forward(ctx, bias, x, w):
        ctx.save_for_backward(x, w)
        return bias._array + x._device.matmul(x._array, w._array)  # (n, k) @ (k, m) -> (n, m)

    @staticmethod
    def backward(ctx, grad_output):
        x, w = ctx.saved_tensors
        grad_x = grad_output @ w.mT if ctx.needs_input_grad[1] else None
        grad_w = _second_operand_grad(x, grad_output, w) if ctx.needs_input_grad[2] else None
        return grad_output, grad_x, grad_w


def _second_operand_grad(x: Tensor, grad: Tensor, y: Tensor) -> Tensor:
    """Xᵀ @ grad, the gradient of Y in X @ Y, laid out in memory as Y is.

    nn.Linear multiplies by `weight.t()`, a transposed view. Computing (gradᵀ @ X)ᵀ instead of
    Xᵀ @ grad gives the same numbers, transposed in memory, so that once the t() node transposes
    them back `weight.grad` is row-major like `weight` and the optimizer's updates run over
    contiguous memory (PyTorch's mm_mat2_backward does the same).
    """
    if backend.is_transposed(y._array):
        return (grad.mT @ x).mT
    return x.mT @ grad


def addmm(input: Tensor, mat1: Tensor, mat2: Tensor, *, beta: float = 1, alpha: float = 1) -> Tensor:
    """beta·input + alpha·(mat1 @ mat2), with input broadcast to the product's shape."""
    check_tensor_arguments("addmm", ("input", "mat1", "mat2"), input, mat1, mat2)
    if _is_plain_linear(input, mat1, mat2) and beta == 1 and alpha == 1:
        return Addmm.apply(input, mat1, mat2)
    if mat1.ndim != 2 or mat2.ndim != 2:
        raise RuntimeError(
            f"mat1 must be a matrix, got {mat1.ndim}-D tensor"
            if mat1.ndim != 2
            else f"mat2 must be a matrix, got {mat2.ndim}-D tensor"
        )
    if input.dtype is not mat2.dtype:  # (in PyTorch's order)
        raise RuntimeError(f"self and mat2 must have the same dtype, but got {_type(input)} and {_type(mat2)}")
    if mat1.dtype is not mat2.dtype:  # (nn.Linear of integer input comes here)
        raise RuntimeError(f"mat1 and mat2 must have the same dtype, but got {_type(mat1)} and {_type(mat2)}")
    if (beta, alpha) != (1, 1):
        return beta * input + alpha * matmul(mat1, mat2)
    _check_matmul_shapes(mat1, mat2)
    out_shape = (mat1.shape[0], mat2.shape[1])
    if broadcast_shape(input.shape, out_shape) != out_shape:
        raise RuntimeError(
            f"The expanded size of the tensor ({out_shape[-1]}) must match the existing size "
            f"({input.shape[-1]}) at non-singleton dimension 1.  Target sizes: {list(out_shape)}.  "
            f"Tensor sizes: {list(input.shape)}"
        )
    return Addmm.apply(input, mat1, mat2)


def _is_plain_linear(bias: Tensor, x: Tensor, w: Tensor) -> bool:
    """Whether addmm's arguments are nn.Linear's common case: matrices that fit, one dtype, and a
    bias of shape (out,) or (n, out). Checked on the raw arrays, cheaply; any other case goes
    through addmm's full checks and PyTorch's messages."""
    b, a, c = bias._array, x._array, w._array
    if a.ndim != 2 or c.ndim != 2 or type(a) is not type(b) or type(a) is not type(c):
        return False
    (rows, inner), (inner_w, columns) = a.shape, c.shape
    bias_shape = b.shape
    return (
        inner == inner_w
        and a.dtype == b.dtype == c.dtype
        and (bias_shape == (columns,) or bias_shape == (rows, columns))
    )


def mm(x: Tensor, y: Tensor) -> Tensor:
    check_tensor_arguments("mm", ("input", "mat2"), x, y)
    if x.ndim != 2:
        raise RuntimeError("self must be a matrix")
    if y.ndim != 2:
        raise RuntimeError("mat2 must be a matrix")
    return matmul(x, y)


def bmm(x: Tensor, y: Tensor) -> Tensor:
    check_tensor_arguments("bmm", ("input", "mat2"), x, y)
    if x.ndim != 3:
        raise RuntimeError("batch1 must be a 3D tensor")
    if y.ndim != 3:
        raise RuntimeError("batch2 must be a 3D tensor")
    if x.dtype is not y.dtype:
        raise RuntimeError(f"expected scalar type {_type(x)} but found {_type(y)}")
    if x.shape[0] != y.shape[0] or x.shape[2] != y.shape[1]:
        raise RuntimeError(
            f"Expected size for first two dimensions of batch2 tensor to be: [{x.shape[0]}, {x.shape[2]}] "
            f"but got: [{y.shape[0]}, {y.shape[1]}]."
        )
    return Bmm.apply(x, y)


def dot(x: Tensor, y: Tensor) -> Tensor:
    check_tensor_arguments("dot", ("input", "tensor"), x, y)
    if x.ndim != 1 or y.ndim != 1:
        raise RuntimeError(f"1D tensors expected, but got {x.ndim}D and {y.ndim}D tensors")
    if x.dtype is not y.dtype:
        raise RuntimeError(f"dot : expected both vectors to have same dtype, but found {_type(x)} and {_type(y)}")
    return matmul(x, y)


def mv(x: Tensor, y: Tensor) -> Tensor:
    check_tensor_arguments("mv", ("input", "vec"), x, y)
    if x.ndim != 2 or y.ndim != 1:
        raise RuntimeError(f"vector + matrix @ vector expected, got {x.ndim}, {y.ndim}")
    if x.dtype is not y.dtype:  # (PyTorch's mv is addmv into a result of the vector's dtype)
        raise RuntimeError(
            f"addmv input tensors must have the same dtype, but got {_type(y)}, {_type(x)}, and {_type(y)}"
        )
    return matmul(x, y)


def outer(x: Tensor, y: Tensor) -> Tensor:
    check_tensor_arguments("outer", ("input", "vec2"), x, y)
    return x.unsqueeze(1) * y.unsqueeze(0)
