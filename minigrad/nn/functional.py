"""
minigrad.nn.functional: losses and activations as plain functions, like torch.nn.functional.

Most functions here are composites of tensor ops, so need no backward of its own: autograd
differentiates the ops they are made of. mse_loss is a primitive like PyTorch's, so that its node
prints as MseLossBackward0, and so are softplus, silu, gelu, elu, leaky_relu and logsigmoid (their
Functions are in ops/activation.py).
"""

import warnings
from typing import Any

from minigrad import Tensor, dtypes
from minigrad.autograd import Function
from minigrad.creation import arange
from minigrad.nn import classification, normalization, robust
from minigrad.ops import activation, addmm, reduce
from minigrad.ops._common import check_tensor_arguments, promote
from minigrad.ops.indexing import IndexPut

_REDUCTIONS = ("none", "mean", "sum")


class MseLoss(Function):
    """L = mean((x - y)²) (or the sum);  dL/dx = 2(x - y)/n, dL/dy = -2(x - y)/n.

    A primitive, as in PyTorch, so that `print(cost)` shows grad_fn=<MseLossBackward0> as in the
    lectures; with reduction='none' mse_loss is a composite of tensor ops instead.
    """

    node_name = "MseLossBackward0"

    @staticmethod
    def forward(ctx, input, target, reduction):  # (promote checked that the shapes broadcast)
        # (the mean of nothing is nan, silently as in PyTorch: backend's warnings filter)
        ctx.save_for_backward(input, target)
        difference = input._array - target._array
        squared = difference * difference
        total = input._device.sum(squared)
        if reduction == "sum":
            ctx.scale = 2
            return total
        ctx.scale = 2 / squared.size if squared.size else float("nan")
        return total / squared.size  # the mean (of nothing: nan)

    @staticmethod
    def backward(ctx, grad_output):
        input, target = ctx.saved_tensors
        grad = MseLossGrad.apply(grad_output, input, target, ctx.scale)  # g · scale · (x - y), one op
        return grad if ctx.needs_input_grad[0] else None, -grad if ctx.needs_input_grad[1] else None, None


class MseLossGrad(Function):
    """z = g·s·(x - y), the MSE gradient in one op (PyTorch's mse_loss_backward), itself
    differentiable:  dz/dg = s·(x - y) (summed back to g's shape by the engine),  dz/dx = g·s,
    dz/dy = -g·s."""

    node_name = "MseLossBackwardBackward0"

    @staticmethod
    def forward(ctx, grad, input, target, scale):
        ctx.save_for_backward(grad, input, target)
        ctx.scale = scale
        return grad._array * scale * (input._array - target._array)

    @staticmethod
    def backward(ctx, grad_output):
        grad, input, target = ctx.saved_tensors
        needs = ctx.needs_input_grad
        grad_grad = grad_output * ctx.scale * (input - target) if needs[0] else None
        grad_input = grad_output * grad * ctx.scale if needs[1] or needs[2] else None
        return grad_grad, grad_input, -grad_input if needs[2] else None, None


def _reduce(loss: Tensor, reduction: str) -> Tensor:
    """Apply a loss's `reduction`: 'none' keeps every element, 'mean' or 'sum' fold them."""
    if reduction == "none":
        return loss
    if reduction == "mean":
        return loss.mean()
    if reduction == "sum":
        return loss.sum()
    raise ValueError(f"{reduction} is not a valid value for reduction")


def _warn_if_sizes_differ(input: Tensor, target: Tensor) -> None:
    # Broadcasting a (3,) target against a (3, 1) input silently makes a 3×3 loss;
    # PyTorch warns about it in these words, and so do we.
    if target._array.shape != input._array.shape:
        warnings.warn(
            f"Using a target size ({target.size()}) that is different to the input size "
            f"({input.size()}). This will likely lead to incorrect results due to "
            "broadcasting. Please ensure they have the same size.",
            stacklevel=3,
        )


def mse_loss(input: Tensor, target: Tensor, reduction: str = "mean") -> Tensor:
    """Mean squared error: mean((input - target)²), or the sum, or every element.

    Args:
        input (Tensor): predictions
        target (Tensor): true values, the same shape as input
        reduction (str): 'none' | 'mean' | 'sum' (default: 'mean')

    Example:
        >>> F.mse_loss(minigrad.tensor([1., 2.]), minigrad.tensor([1., 4.]))
        tensor(2.)
    """
    check_tensor_arguments("mse_loss", ("input", "target"), input, target)
    _warn_if_sizes_differ(input, target)
    if reduction not in _REDUCTIONS:
        raise ValueError(f"{reduction} is not a valid value for reduction")
    if reduction == "none":
        difference = input - target
        return difference * difference
    return MseLoss.apply(*promote(input, target), reduction)


def l1_loss(input: Tensor, target: Tensor, reduction: str = "mean") -> Tensor:
    """Mean absolute error: mean(|input - target|), or the sum, or every element.

    Args:
        input (Tensor): predictions
        target (Tensor): true values, the same shape as input
        reduction (str): 'none' | 'mean' | 'sum' (default: 'mean')
    """
    check_tensor_arguments("l1_loss", ("input", "target"), input, target)
    _warn_if_sizes_differ(input, target)
    if reduction not in _REDUCTIONS:
        raise ValueError(f"{reduction} is not a valid value for reduction")
    return _reduce((input - target).abs(), reduction)


class Embedding(Function):
    """y[..., :] = weight[index[...], :], a lookup of rows;  dy/dweight adds each gradient row into
    the weight row it was read from (none into padding_idx's row)."""

    node_name = "EmbeddingBackward0"

    @staticmethod
    def forward(ctx, indices, weight, padding_idx):
        ctx.indices, ctx.shape, ctx.padding_idx = indices, weight.shape, padding_idx
        xp, rows = weight._device.xp, indices._array
        looked_up = xp.take(weight._array, xp.reshape(rows, (-1,)), axis=0)  # (the Array API's lookup: 1-d)
        return xp.reshape(looked_up, (*rows.shape, weight.shape[1]))

    @staticmethod
    def backward(ctx, grad_output):
        if ctx.padding_idx is not None:  # that row's gradient stays zero
            grad_output = grad_output.masked_fill((ctx.indices == ctx.padding_idx).unsqueeze(-1), 0.0)
        return None, IndexPut.apply(grad_output, (ctx.indices._array,), ctx.shape), None


def embedding(input: Tensor, weight: Tensor, padding_idx: int | None = None, max_norm: float | None = None,
              norm_type: float = 2.0, scale_grad_by_freq: bool = False, sparse: bool = False) -> Tensor:  # fmt: skip
    """The rows of `weight` that `input`'s integer indices name: (*input.shape, embedding_dim).
    With max_norm, the rows looked up are first scaled down in place to that norm, as in PyTorch."""
    check_tensor_arguments("embedding", ("input", "weight"), input, weight)
    if input.dtype not in (dtypes.int64, dtypes.int32):
        raise RuntimeError(
            "Expected tensor for argument #1 'indices' to have one of the following scalar types: Long, Int; "
            f"but got {input.type()} instead (while checking arguments for embedding)"
        )
    if scale_grad_by_freq or sparse:
        raise NotImplementedError("embedding: scale_grad_by_freq and sparse gradients are not supported in minigrad")
    if input.numel() and not 0 <= int(input.min().item()) <= int(input.max().item()) < weight.shape[0]:
        raise IndexError("index out of range in self")
    if padding_idx is not None and padding_idx < 0:
        padding_idx += weight.shape[0]
    if max_norm is not None:
        _renormalize_rows(weight, input, max_norm, norm_type)
    return Embedding.apply(input, weight, padding_idx)


def _renormalize_rows(weight: Tensor, indices: Tensor, max_norm: float, norm_type: float) -> None:
    """PyTorch's embedding_renorm_: each row looked up whose norm is above max_norm is scaled, in
    place and unrecorded, by max_norm / (norm + 1e-7)."""
    from minigrad.autograd import no_grad

    with no_grad():
        for row in sorted(set(indices.reshape(-1).tolist())):
            norm = weight[row].norm(norm_type).item()
            if norm > max_norm:
                weight[row].mul_(max_norm / (norm + 1e-7))


def layer_norm(input: Tensor, normalized_shape: Any, weight: Tensor | None = None, bias: Tensor | None = None,
               eps: float = 1e-5) -> Tensor:  # fmt: skip
    """Each sample's last dimensions (normalized_shape) to mean 0 and variance 1, then ·weight + bias."""
    check_tensor_arguments("layer_norm", ("input",), input)
    return normalization.layer_norm(input, normalized_shape, weight, bias, eps)


def dropout(input: Tensor, p: float = 0.5, training: bool = True, inplace: bool = False) -> Tensor:
    """In training, each element zeroed with probability p and the others scaled by 1/(1 - p), so
    that the expected value is unchanged; in evaluation, the input itself. As PyTorch computes it:
    input · (bernoulli(1 - p) mask / (1 - p)), recorded as a MulBackward0 (the mask a constant)."""
    check_tensor_arguments("dropout", ("input",), input)
    if not 0 <= p <= 1:
        raise ValueError(f"dropout probability has to be between 0 and 1, but got {p}")
    if p == 0 or not training or input.numel() == 0:
        return input
    if p == 1:  # (no mask drawn: everything is dropped)
        noise = input.new_zeros(())
    else:
        noise = input.new_empty(input.shape).bernoulli_(1 - p).div_(1 - p)
    return input.mul_(noise) if inplace else input * noise


def batch_norm(input: Tensor, running_mean: Tensor | None, running_var: Tensor | None, weight: Tensor | None = None,
               bias: Tensor | None = None, training: bool = False, momentum: float = 0.1, eps: float = 1e-5) -> Tensor:  # fmt: skip
    """Each channel (dim 1) to mean 0 and variance 1 over the batch (see nn/normalization.py), then ·weight + bias."""
    check_tensor_arguments("batch_norm", ("input",), input)
    return normalization.batch_norm(input, running_mean, running_var, weight, bias, training, momentum, eps)


def huber_loss(input: Tensor, target: Tensor, reduction: str = "mean", delta: float = 1.0) -> Tensor:
    """½(input - target)² where |input - target| < delta, delta·(|input - target| - ½delta) elsewhere:
    squared near the target, absolute far from it (see nn/robust.py)."""
    check_tensor_arguments("huber_loss", ("input", "target"), input, target)
    _warn_if_sizes_differ(input, target)
    if reduction not in _REDUCTIONS:
        raise ValueError(f"{reduction} is not a valid value for reduction")
    if delta <= 0:
        raise RuntimeError("huber_loss does not support non-positive values for delta.")
    return robust.HuberLoss.apply(*promote(input, target), reduction, delta)


def smooth_l1_loss(input: Tensor, target: Tensor, reduction: str = "mean", beta: float = 1.0) -> Tensor:
    """huber_loss divided by beta: ½d²/beta where |d| < beta, |d| - ½beta elsewhere (d = input - target);
    beta 0 is l1_loss."""
    check_tensor_arguments("smooth_l1_loss", ("input", "target"), input, target)
    if beta < 0:
        raise RuntimeError("smooth_l1_loss does not support negative values for beta.")
    if beta == 0:  # as in PyTorch: the l1 loss itself (a MeanBackward0, not a SmoothL1LossBackward0)
        return l1_loss(input, target, reduction)
    _warn_if_sizes_differ(input, target)
    if reduction not in _REDUCTIONS:
        raise ValueError(f"{reduction} is not a valid value for reduction")
    return robust.SmoothL1Loss.apply(*promote(input, target), reduction, beta)


def nll_loss(
    input: Tensor, target: Tensor, weight: Tensor | None = None, ignore_index: int = -100, reduction: str = "mean"
) -> Tensor:
    """Negative log likelihood: -input[i, target[i]] averaged over i (weighted by weight[target[i]]).

    Args:
        input (Tensor): log-probabilities, (N, C) or (C,) or (N, C, d1, ...)
        target (Tensor): class indices (int64), (N,) or () or (N, d1, ...)
        weight (Tensor, optional): one weight per class
        ignore_index (int): targets equal to it add nothing, not even to the mean's count
        reduction (str): 'none' | 'mean' | 'sum' (default: 'mean')
    """
    check_tensor_arguments("nll_loss", ("input", "target"), input, target)
    if reduction not in _REDUCTIONS:
        raise ValueError(f"{reduction} is not a valid value for reduction")
    if input.ndim == 0:
        raise ValueError("Expected 1 or more dimensions (got 0)")
    classification.check_class_target(input, target)
    return classification.NllLoss.apply(input, target, weight, reduction, ignore_index)


def cross_entropy(
    input: Tensor,
    target: Tensor,
    weight: Tensor | None = None,
    ignore_index: int = -100,
    reduction: str = "mean",
    label_smoothing: float = 0.0,
) -> Tensor:
    """Cross entropy of softmax(input) against the target classes: nll_loss(log_softmax(input, 1), target).

    `target` holds class indices (int64), or class probabilities (floats, input's shape). With
    `label_smoothing` ε the target is mixed with the uniform distribution: (1 - ε)·target + ε/C.
    """
    check_tensor_arguments("cross_entropy", ("input", "target"), input, target)
    if reduction not in _REDUCTIONS:
        raise ValueError(f"{reduction} is not a valid value for reduction")
    if not 0.0 <= label_smoothing <= 1.0:
        raise RuntimeError(f"label_smoothing must be between 0.0 and 1.0. Got: {label_smoothing}")
    class_dim = 0 if input.ndim == 1 else 1
    log_probabilities = input.log_softmax(class_dim)
    classes = input.shape[class_dim]
    weight_along_classes = None if weight is None else weight.reshape(-1, *([1] * (input.ndim - class_dim - 1)))
    if target.shape == input.shape:  # class probabilities
        if not target.dtype.is_floating_point:
            raise RuntimeError(
                "Expected floating point type for target with class probabilities, got "
                + dtypes.torch_type_name(target.dtype)
            )
        if label_smoothing > 0:
            target = target * (1 - label_smoothing) + label_smoothing / classes
        terms = log_probabilities * target
        if weight_along_classes is not None:
            terms = terms * weight_along_classes
        losses = -terms.sum(class_dim)
        if reduction == "mean":
            return losses.sum() / (input.numel() // classes) if input.numel() else losses.sum() / 0
        return _reduce(losses, reduction)
    loss = nll_loss(log_probabilities, target, weight, ignore_index, reduction)
    if label_smoothing == 0:
        return loss
    return (1 - label_smoothing) * loss + _smoothing_term(
        log_probabilities, target, weight, weight_along_classes, ignore_index, reduction, class_dim
    ) * (label_smoothing / classes)


def _smoothing_term(
    log_probabilities: Tensor,
    target: Tensor,
    weight: Tensor | None,
    weight_along_classes: Tensor | None,
    ignore_index: int,
    reduction: str,
    class_dim: int,
) -> Tensor:
    """label_smoothing's share: -Σ_c w_c·log p_c for each kept row, reduced as nll_loss reduces."""
    terms = log_probabilities if weight_along_classes is None else log_probabilities * weight_along_classes
    ignored = target == ignore_index
    smooth = (-terms.sum(class_dim)).masked_fill(ignored, 0.0)
    if reduction == "none":
        return smooth
    if reduction == "sum":
        return smooth.sum()
    if weight is None:
        return smooth.sum() / (~ignored).sum()
    kept_weights = weight[target.masked_fill(ignored, 0)].masked_fill(ignored, 0.0)
    return smooth.sum() / kept_weights.sum()


def binary_cross_entropy(
    input: Tensor, target: Tensor, weight: Tensor | None = None, reduction: str = "mean"
) -> Tensor:
    """-(target·ln(input) + (1 - target)·ln(1 - input)), input a probability (after a sigmoid)."""
    check_tensor_arguments("binary_cross_entropy", ("input", "target"), input, target)
    if reduction not in _REDUCTIONS:
        raise ValueError(f"{reduction} is not a valid value for reduction")
    if target.shape != input.shape:
        raise ValueError(
            f"Using a target size ({target.size()}) that is different to the input size ({input.size()}) "
            "is deprecated. Please ensure they have the same size."
        )
    if target.dtype is not input.dtype:  # (no promotion: a target of 0s and 1s as ints is refused, as in PyTorch)
        raise RuntimeError(
            f"Found dtype {dtypes.torch_type_name(target.dtype)} but expected {dtypes.torch_type_name(input.dtype)}"
        )
    if weight is not None:
        weight = weight.expand(*input.shape)
    return classification.BinaryCrossEntropy.apply(*promote(input, target), weight, reduction)


def binary_cross_entropy_with_logits(
    input: Tensor,
    target: Tensor,
    weight: Tensor | None = None,
    reduction: str = "mean",
    pos_weight: Tensor | None = None,
) -> Tensor:
    """binary_cross_entropy(sigmoid(input), target), computed from the logits without overflow:
    (1 - target)·x - ln σ(x), PyTorch's form (pos_weight scales the positive term)."""
    check_tensor_arguments("binary_cross_entropy_with_logits", ("input", "target"), input, target)
    if reduction not in _REDUCTIONS:
        raise ValueError(f"{reduction} is not a valid value for reduction")
    if target.shape != input.shape:
        raise ValueError(f"Target size ({target.size()}) must be the same as input size ({input.size()})")
    if target.dtype is not dtypes.bool and not target.dtype.is_floating_point:  # (PyTorch's formula works in it)
        result = dtypes.result_type(input, target)
        raise RuntimeError(
            f"result type {dtypes.torch_type_name(result)} can't be cast to the desired output type "
            f"{dtypes.torch_type_name(target.dtype)}"
        )
    log_sigmoid = logsigmoid(input)
    if pos_weight is not None:
        log_sigmoid = log_sigmoid * ((pos_weight - 1) * target + 1)
    loss = (1 - target) * input - log_sigmoid
    if weight is not None:
        loss = loss * weight
    return _reduce(loss, reduction)


def one_hot(tensor: Tensor, num_classes: int = -1) -> Tensor:
    """(..., num_classes) int64 with a 1 at each index of `tensor` and 0 elsewhere."""
    check_tensor_arguments("one_hot", ("input",), tensor)
    if tensor.dtype is not dtypes.int64:
        raise RuntimeError("one_hot is only applicable to index tensor of type LongTensor.")
    if tensor.numel() and int(tensor.min().item()) < 0:
        raise RuntimeError("Class values must be non-negative.")
    if num_classes == -1:
        num_classes = int(tensor.max().item()) + 1 if tensor.numel() else 0
    elif tensor.numel() and int(tensor.max().item()) >= num_classes:
        raise RuntimeError("Class values must be smaller than num_classes.")
    classes = arange(num_classes, device=tensor.device)
    return (tensor.unsqueeze(-1) == classes).to(dtypes.int64)


def linear(input: Tensor, weight: Tensor, bias: Tensor | None = None) -> Tensor:
    """y = x Wᵀ + b, with weight of shape (out_features, in_features)."""
    check_tensor_arguments("linear", ("input", "weight"), input, weight)
    if input.ndim == 2 and bias is not None:  # one AddmmBackward0 node, as in PyTorch
        return addmm(bias, input, weight.t())  # (batch, in) @ (in, out) + (out,) -> (batch, out)
    output = input.matmul(weight.t())  # (..., in) @ (in, out) -> (..., out)
    return output + bias if bias is not None else output


def relu(input: Tensor) -> Tensor:
    """max(0, x), elementwise."""
    check_tensor_arguments("relu", ("input",), input)
    return input.relu()


def sigmoid(input: Tensor) -> Tensor:
    """1 / (1 + e^-x), elementwise."""
    check_tensor_arguments("sigmoid", ("input",), input)
    return input.sigmoid()


def tanh(input: Tensor) -> Tensor:
    """(e^x - e^-x) / (e^x + e^-x), elementwise."""
    check_tensor_arguments("tanh", ("input",), input)
    return input.tanh()


def softplus(input: Tensor, beta: float = 1.0, threshold: float = 20.0) -> Tensor:
    """ln(1 + e^(βx))/β, a smooth relu; x itself where βx > threshold."""
    check_tensor_arguments("softplus", ("input",), input)
    return activation.softplus(input, beta, threshold)


def silu(input: Tensor, inplace: bool = False) -> Tensor:
    """x·σ(x), elementwise (also called swish). (`inplace` is accepted and ignored.)"""
    check_tensor_arguments("silu", ("input",), input)
    return activation.silu(input)


def gelu(input: Tensor, approximate: str = "none") -> Tensor:
    """x·Φ(x), Φ the standard normal distribution function (approximate='tanh': its tanh form)."""
    check_tensor_arguments("gelu", ("input",), input)
    return activation.gelu(input, approximate)


def elu(input: Tensor, alpha: float = 1.0, inplace: bool = False) -> Tensor:
    """x for x > 0, α·(e^x - 1) below. (`inplace` is accepted and ignored.)"""
    check_tensor_arguments("elu", ("input",), input)
    return activation.elu(input, alpha)


def leaky_relu(input: Tensor, negative_slope: float = 0.01, inplace: bool = False) -> Tensor:
    """x for x > 0, negative_slope·x below. (`inplace` is accepted and ignored.)"""
    check_tensor_arguments("leaky_relu", ("input",), input)
    return activation.leaky_relu(input, negative_slope)


def selu(input: Tensor, inplace: bool = False) -> Tensor:
    """scale·elu(x, α), with PyTorch's self-normalizing α and scale. (`inplace` is accepted and ignored.)"""
    check_tensor_arguments("selu", ("input",), input)
    return activation.selu(input)


def celu(input: Tensor, alpha: float = 1.0, inplace: bool = False) -> Tensor:
    """x for x > 0, α·(e^(x/α) - 1) below. (`inplace` is accepted and ignored.)"""
    check_tensor_arguments("celu", ("input",), input)
    return activation.celu(input, alpha)


def hardtanh(input: Tensor, min_val: float = -1.0, max_val: float = 1.0, inplace: bool = False) -> Tensor:
    """x clamped to [min_val, max_val]. (`inplace` is accepted and ignored.)"""
    check_tensor_arguments("hardtanh", ("input",), input)
    return activation.hardtanh(input, min_val, max_val)


def relu6(input: Tensor, inplace: bool = False) -> Tensor:
    """min(max(x, 0), 6). (`inplace` is accepted and ignored.)"""
    check_tensor_arguments("relu6", ("input",), input)
    return activation.relu6(input)


def hardsigmoid(input: Tensor, inplace: bool = False) -> Tensor:
    """min(max(x + 3, 0), 6)/6. (`inplace` is accepted and ignored.)"""
    check_tensor_arguments("hardsigmoid", ("input",), input)
    return activation.hardsigmoid(input)


def hardswish(input: Tensor, inplace: bool = False) -> Tensor:
    """x·min(max(x + 3, 0), 6)/6. (`inplace` is accepted and ignored.)"""
    check_tensor_arguments("hardswish", ("input",), input)
    return activation.hardswish(input)


def mish(input: Tensor, inplace: bool = False) -> Tensor:
    """x·tanh(ln(1 + e^x)). (`inplace` is accepted and ignored.)"""
    check_tensor_arguments("mish", ("input",), input)
    return activation.mish(input)


def logsigmoid(input: Tensor) -> Tensor:
    """ln σ(x) = -softplus(-x), without overflow for large |x|."""
    check_tensor_arguments("logsigmoid", ("input",), input)
    return activation.logsigmoid(input)


def softmax(input: Tensor, dim: int | None = None, dtype: Any = None) -> Tensor:
    """e^x / sum(e^x) along `dim`; each slice along dim sums to 1.

    The tensor op is itself a composite (shift by the max, exp, divide by the sum), so the
    shift that prevents overflow and the rules for inf and nan live in one place: ops/reduce.py.
    """
    check_tensor_arguments("softmax", ("input",), input)
    return input.softmax(dim, dtype=dtype)


def softmin(input: Tensor, dim: int | None = None, dtype: Any = None) -> Tensor:
    """softmax(-x) along `dim`: the smallest numbers get the largest shares."""
    check_tensor_arguments("softmin", ("input",), input)
    if dim is None:  # PyTorch's legacy choice, with its warning naming softmin
        dim = reduce.implicit_softmax_dim(input.ndim, "softmin")
    return (-input).softmax(dim, dtype=dtype)


def softsign(input: Tensor) -> Tensor:
    """x / (1 + |x|): a sigmoid-like curve from -1 to 1 that saturates slowly."""
    check_tensor_arguments("softsign", ("input",), input)
    return input / (input.abs() + 1)


def tanhshrink(input: Tensor) -> Tensor:
    """x - tanh(x)."""
    check_tensor_arguments("tanhshrink", ("input",), input)
    return input - input.tanh()


def threshold(input: Tensor, threshold: float, value: float, inplace: bool = False) -> Tensor:
    """x where x > threshold, else `value`;  dy/dx = 1 above the threshold, 0 at and below it."""
    check_tensor_arguments("threshold", ("input",), input)
    return activation.Threshold.apply(input, threshold, value)


def prelu(input: Tensor, weight: Tensor) -> Tensor:
    """x for x > 0, a·x below, with a learned slope a: one for all channels or one per channel (dim 1)."""
    check_tensor_arguments("prelu", ("input", "weight"), input, weight)
    if weight.numel() != 1 and (input.ndim < 2 or weight.numel() != input.shape[1]):
        channels = input.shape[1] if input.ndim >= 2 else 1
        raise RuntimeError(
            f"Mismatch of parameter numbers and input channel size. Found parameter numbers = {weight.numel()} "
            f"and channel size = {channels}."
        )
    slope = weight.reshape((-1,) + (1,) * (input.ndim - 2)) if input.ndim >= 2 else weight.reshape(-1)
    return activation.PreluKernel.apply(input, slope)


def normalize(input: Tensor, p: float = 2.0, dim: int = 1, eps: float = 1e-12) -> Tensor:
    """x / max(‖x‖_p, eps) along `dim`: each slice scaled to norm 1 (eps keeps a zero slice finite)."""
    check_tensor_arguments("normalize", ("input",), input)
    return input / input.norm(p, dim, keepdim=True).clamp_min(eps).expand_as(input)


def log_softmax(input: Tensor, dim: int | None = None, dtype: Any = None) -> Tensor:
    """x - log(sum(e^x)) along `dim`, computed without overflow (see softmax)."""
    check_tensor_arguments("log_softmax", ("input",), input)
    return input.log_softmax(dim, dtype=dtype)
