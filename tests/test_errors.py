"""
Bad input, and the error it gets: one row per case, checked against what PyTorch raises.

Each `ErrorCase` is a call written once for both libraries (`call(lib)` with lib = torch or
minigrad, as lecture code is). The test runs it on both and requires:

  * the same exception type, and
  * the same message, after one normalisation: "minigrad" in our message reads "torch"
    (`minigrad.Size([3])` is `torch.Size([3])`). Where an exact match is impossible (a device
    PyTorch does not have), the row gives `match`: a stable substring both messages contain.

docs/errors.md is generated from CASES (`PYTHONPATH=. python tests/test_errors.py > docs/errors.md`), and
`test_errors_md_is_up_to_date` fails when the table and the code drift apart.
"""

from __future__ import annotations

import math
import pathlib
import sys
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import numpy as np
import pytest

import minigrad

torch = pytest.importorskip("torch")

DOC = pathlib.Path(__file__).resolve().parent.parent / "docs" / "errors.md"


@dataclass(frozen=True)
class ErrorCase:
    id: str  # the test id and the table's first column
    bad_input: str  # what the user did, in words
    call: Callable[[Any], Any]  # call(lib): the same code for torch and for minigrad
    match: str | None = None  # None: whole messages equal; else a substring both must contain
    torch_error: Exception | None = None  # what PyTorch raises where this machine's PyTorch can't run the call


def other_device(lib: Any) -> str:
    """A device that is not the CPU: minigrad's strict stand-in (PyTorch's answer is `torch_error`)."""
    return "strict" if lib is minigrad else "cuda"


# PyTorch on a CUDA machine (the CPU build here can't make a cuda tensor to run the call)
DEVICE_MIX = RuntimeError(
    "Expected all tensors to be on the same device, but found at least two devices, cuda:0 and cpu!"
)


# ---- the calls (small helpers where one line is not enough) ----


def _binary_mismatch(name: str) -> Callable[[Any], Any]:
    def call(lib: Any) -> Any:
        return getattr(lib, name)(lib.ones(2, 3), lib.ones(4))

    return call


def _backward_twice(lib: Any) -> None:
    x = lib.ones(3, requires_grad=True)
    y = (x * x).sum()
    y.backward()
    y.backward()


def _inplace_on_saved(lib: Any) -> None:
    x = lib.ones(3, requires_grad=True)
    y = x * 2
    z = y * y  # saves y
    y.add_(1)
    z.sum().backward()


def _inplace_on_saved_leaf(lib: Any) -> None:
    x = lib.ones(3, requires_grad=True)
    z = (x * x).sum()
    with lib.no_grad():
        x.mul_(2)
    z.backward()


def _inplace_on_leaf(lib: Any) -> None:
    x = lib.ones(3, requires_grad=True)
    x.add_(1)


def _setitem_on_leaf(lib: Any) -> None:
    x = lib.ones(3, requires_grad=True)
    x[0] = 5.0


def _inplace_on_view_of_leaf(lib: Any) -> None:
    lib.ones(3, requires_grad=True)[1:].add_(1)


def _inplace_on_view_made_without_grad(lib: Any) -> None:
    y = lib.ones(3, requires_grad=True) * 2
    with lib.no_grad():
        view = y[1:]
    view.mul_(2)


def _no_grad_view_used_after_its_base_changed(lib: Any) -> None:
    weight = lib.ones(3, requires_grad=True)
    with lib.no_grad():
        first = weight[:1]
        weight -= 0.1  # an optimizer step
    (first * 2).sum()


def _backward_of_no_grad_view(lib: Any) -> None:
    weight = lib.ones(3, requires_grad=True)
    with lib.no_grad():
        first = weight[0]
    first.backward()


def _inplace_on_expanded(lib: Any) -> None:
    (lib.ones(2, requires_grad=True) * 2).expand(3, 2).add_(1)


def _inplace_on_split_piece(lib: Any) -> None:
    (lib.ones(4, requires_grad=True) * 2).chunk(2)[1].add_(1)


def _inplace_on_unbind_piece(lib: Any) -> None:
    (lib.ones(2, requires_grad=True) * 2).unbind()[0].mul_(2)


def _split_piece_used_after_base_changed(lib: Any) -> None:
    y = lib.ones(4, requires_grad=True) * 2
    piece = y.chunk(2)[1]
    y.mul_(2)
    return piece * 1


def _view_of_split_piece_changed(lib: Any) -> None:
    (lib.ones(2, 2, requires_grad=True) * 2).chunk(2)[0].t().add_(1)


def _narrow_past_the_end(lib: Any) -> Any:
    return lib.ones(3).narrow(0, 2, 2)


def _narrow_start_out_of_range(lib: Any) -> Any:
    return lib.ones(3).narrow(0, 4, 0)


def _gather_with_an_int_index(lib: Any) -> Any:
    return lib.gather(lib.tensor([1, 2, 3]), -1, -1)


def _detach_view_in_place(lib: Any) -> None:
    (lib.ones(3, requires_grad=True) * 2)[1:].detach_()


def _grad_unused(lib: Any) -> Any:
    x = lib.ones(2, requires_grad=True)
    unused = lib.ones(2, requires_grad=True)
    return lib.autograd.grad((x * 2).sum(), [x, unused])


def _model(lib: Any) -> Any:
    return lib.nn.Sequential(lib.nn.Linear(3, 2), lib.nn.ReLU(), lib.nn.Linear(2, 1))


def _load_missing(lib: Any) -> Any:
    state = _model(lib).state_dict()
    del state["2.bias"]
    return _model(lib).load_state_dict(state)


def _load_unexpected(lib: Any) -> Any:
    state = _model(lib).state_dict()
    state["3.weight"] = lib.ones(1)
    return _model(lib).load_state_dict(state)


def _load_wrong_shape(lib: Any) -> Any:
    state = _model(lib).state_dict()
    state["0.weight"] = lib.ones(3, 3)
    return _model(lib).load_state_dict(state)


def _load_not_tensor(lib: Any) -> Any:
    state = _model(lib).state_dict()
    state["0.bias"] = [1.0, 2.0]
    return _model(lib).load_state_dict(state)


def _params(lib: Any) -> list:
    return [lib.nn.Parameter(lib.ones(2))]


def _nonfinite_lr_step(lib: Any, lr: float) -> Any:
    """A non-finite learning rate is accepted by PyTorch (no check); one step makes the weights nan."""
    (param,) = _params(lib)
    optimizer = lib.optim.SGD([param], lr=lr)
    param.grad = lib.ones(2)
    optimizer.step()
    if not math.isnan(param[0].item()):
        raise AssertionError(f"expected nan weights after a step with lr={lr}")
    raise ValueError("the weights became nan")  # a marker, so the row has one expected outcome


CASES = [
    # ---- shapes ----
    *[
        ErrorCase(f"shape-{name}", f"`{name}` of shapes (2, 3) and (4,)", _binary_mismatch(name))
        for name in ["add", "sub", "mul", "div", "pow", "maximum", "minimum", "eq", "lt"]
    ],
    ErrorCase("shape-operator", "`a + b` with shapes (2, 3) and (2, 4)", lambda lib: lib.ones(2, 3) + lib.ones(2, 4)),
    ErrorCase(
        "shape-where",
        "`where(c, a, b)` with shapes (2,), (3,) and (3,)",
        lambda lib: lib.where(lib.ones(2, dtype=lib.bool), lib.ones(3), lib.ones(3)),
    ),
    ErrorCase(
        "shape-inplace-broadcast",
        "`a.add_(b)` where b would broadcast a to a bigger shape",
        lambda lib: lib.ones(3).add_(lib.ones(2, 3)),
    ),
    ErrorCase("int-pow-negative", "`a ** -1` of an integer tensor", lambda lib: lib.tensor([2, 3]) ** -1),
    ErrorCase("argmax-empty", "`argmax()` of an empty tensor", lambda lib: lib.tensor([]).argmax()),
    ErrorCase("floor-bool", "`floor()` of a bool tensor", lambda lib: lib.tensor([True, False]).floor()),
    ErrorCase(
        "round-int-decimals", "`round(decimals=1)` of an int tensor", lambda lib: lib.tensor([1, 2]).round(decimals=1)
    ),
    ErrorCase("round-decimals-float", "`round(decimals=2.5)`", lambda lib: lib.tensor([1.5]).round(decimals=2.5)),
    ErrorCase("frac-int", "`frac()` of an int tensor", lambda lib: lib.tensor([1, 2]).frac()),
    ErrorCase("atan2-number", "`atan2(x, 2)`: a number, not a tensor", lambda lib: lib.atan2(lib.ones(2), 2)),
    ErrorCase(
        "floor-divide-backward",
        "backward through `x // 2`",
        lambda lib: (lib.ones(2, requires_grad=True) // 2).sum().backward(),
    ),
    ErrorCase("flip-repeated-dim", "`flip(0, 0)`: a dim twice", lambda lib: lib.ones(2, 3).flip(0, 0)),
    ErrorCase("sum-repeated-dim", "`sum((1, -1))`: one dim twice", lambda lib: lib.ones(2, 3).sum((1, -1))),
    ErrorCase("flip-no-dims", "`x.flip()`: no dims", lambda lib: lib.ones(2).flip()),
    ErrorCase("flip-int-dims", "`flip(x, 0)`: dims not a sequence", lambda lib: lib.flip(lib.ones(2), 0)),
    ErrorCase("tril-vector", "`tril()` of a vector", lambda lib: lib.ones(3).tril()),
    ErrorCase("cumsum-bad-dim", "`cumsum(2)` of a matrix", lambda lib: lib.ones(2, 3).cumsum(2)),
    ErrorCase(
        "cross-entropy-class-out-of-range",
        "`cross_entropy` with a class index >= the number of classes",
        lambda lib: lib.nn.functional.cross_entropy(lib.zeros(2, 3), lib.tensor([0, 3])),
    ),
    ErrorCase(
        "nll-loss-several-classes-out-of-range",
        "`nll_loss` with two class indices out of range: the first is named",
        lambda lib: lib.nn.functional.nll_loss(lib.zeros(3, 3), lib.tensor([0, 5, -7])),
    ),
    ErrorCase(
        "cross-entropy-batch-mismatch",
        "`cross_entropy` with 3 targets for 2 rows",
        lambda lib: lib.nn.functional.cross_entropy(lib.zeros(2, 3), lib.tensor([0, 1, 2])),
    ),
    ErrorCase(
        "cross-entropy-float-class-target",
        "`nll_loss` with float class indices",
        lambda lib: lib.nn.functional.nll_loss(lib.zeros(2, 3), lib.tensor([0.0, 1.0])),
    ),
    ErrorCase(
        "lerp-dtype-mismatch",
        "`lerp` of a float32 start and a float64 end",
        lambda lib: lib.lerp(lib.ones(2), lib.ones(2, dtype=lib.float64), 0.5),
    ),
    ErrorCase(
        "lerp-integers",
        "`lerp` of integer tensors",
        lambda lib: lib.lerp(lib.ones(2, dtype=lib.long), lib.ones(2, dtype=lib.long), 0.5),
    ),
    ErrorCase(
        "lerp-shape-mismatch",
        "`lerp` of shapes (2,) and (3,)",
        lambda lib: lib.lerp(lib.ones(2), lib.ones(3), 0.5),
    ),
    ErrorCase(
        "addcdiv-integers",
        "`addcdiv` of integer tensors",
        lambda lib: lib.addcdiv(lib.ones(2, dtype=lib.long), lib.ones(2, dtype=lib.long), lib.ones(2, dtype=lib.long)),
    ),
    ErrorCase(
        "addcmul-tensor-value",
        "`addcmul` with a tensor as value",
        lambda lib: lib.addcmul(lib.ones(2), lib.ones(2), lib.ones(2), value=lib.ones(1)),
    ),
    ErrorCase(
        "addcmul-number-operand",
        "`addcmul` with a number as tensor1",
        lambda lib: lib.addcmul(lib.ones(2), 2.0, lib.ones(2)),
    ),
    ErrorCase(
        "embedding-index-out-of-range",
        "`nn.Embedding(5, 3)` looking up row 5",
        lambda lib: lib.nn.Embedding(5, 3)(lib.tensor([1, 5])),
    ),
    ErrorCase(
        "embedding-float-indices",
        "`nn.Embedding` looking up float indices",
        lambda lib: lib.nn.Embedding(5, 3)(lib.tensor([0.0, 1.0])),
    ),
    ErrorCase(
        "embedding-padding-out-of-range",
        "`nn.Embedding(5, 3, padding_idx=7)`",
        lambda lib: lib.nn.Embedding(5, 3, padding_idx=7),
    ),
    ErrorCase(
        "layer-norm-shape-mismatch",
        "`layer_norm` over (3,) of a (2, 4) input",
        lambda lib: lib.nn.functional.layer_norm(lib.zeros(2, 4), (3,)),
    ),
    ErrorCase(
        "layer-norm-weight-shape",
        "`layer_norm` with a weight of shape (4,) for normalized_shape (3,)",
        lambda lib: lib.nn.functional.layer_norm(lib.zeros(2, 3), (3,), weight=lib.ones(4)),
    ),
    ErrorCase(
        "layer-norm-int-shape",
        "`layer_norm` with normalized_shape 3, not (3,)",
        lambda lib: lib.nn.functional.layer_norm(lib.zeros(2, 3), 3),
    ),
    ErrorCase(
        "dropout-p-above-one",
        "`F.dropout` with p=1.5",
        lambda lib: lib.nn.functional.dropout(lib.ones(2), 1.5),
    ),
    ErrorCase("dropout-module-p-negative", "`nn.Dropout(-0.1)`", lambda lib: lib.nn.Dropout(-0.1)),
    ErrorCase("bernoulli-p-above-one", "`x.bernoulli_(2.0)`", lambda lib: lib.ones(3).bernoulli_(2.0)),
    ErrorCase(
        "batch-norm-one-value-per-channel",
        "`nn.BatchNorm1d(3)` training on a batch of one",
        lambda lib: lib.nn.BatchNorm1d(3)(lib.ones(1, 3)),
    ),
    ErrorCase(
        "batch-norm-1d-of-4d",
        "`nn.BatchNorm1d` of a 4-D input",
        lambda lib: lib.nn.BatchNorm1d(3)(lib.ones(2, 3, 4, 5)),
    ),
    ErrorCase(
        "batch-norm-2d-of-2d", "`nn.BatchNorm2d` of a 2-D input", lambda lib: lib.nn.BatchNorm2d(3)(lib.ones(2, 3))
    ),
    ErrorCase(
        "batch-norm-channels",
        "`nn.BatchNorm1d(3)` of an input with 4 channels",
        lambda lib: lib.nn.BatchNorm1d(3)(lib.ones(2, 4)),
    ),
    ErrorCase("positive-of-bool", "`+x` of a bool tensor", lambda lib: +lib.tensor([True, False])),
    ErrorCase(
        "huber-delta-zero",
        "`huber_loss` with delta 0",
        lambda lib: lib.nn.functional.huber_loss(lib.zeros(2), lib.ones(2), delta=0.0),
    ),
    ErrorCase(
        "smooth-l1-negative-beta",
        "`smooth_l1_loss` with a negative beta",
        lambda lib: lib.nn.functional.smooth_l1_loss(lib.zeros(2), lib.ones(2), beta=-1.0),
    ),
    ErrorCase(
        "huber-bad-reduction",
        "`huber_loss` with reduction='average'",
        lambda lib: lib.nn.functional.huber_loss(lib.zeros(2), lib.ones(2), reduction="average"),
    ),
    ErrorCase(
        "hardtanh-bounds-reversed",
        "`hardtanh` with min_val above max_val",
        lambda lib: lib.nn.functional.hardtanh(lib.zeros(2), 1.0, -1.0),
    ),
    ErrorCase(
        "hardtanh-module-bounds-reversed",
        "`nn.Hardtanh(1, -1)`",
        lambda lib: lib.nn.Hardtanh(1.0, -1.0),
    ),
    ErrorCase("celu-alpha-zero", "`celu` with alpha 0", lambda lib: lib.nn.functional.celu(lib.zeros(2), alpha=0.0)),
    ErrorCase(
        "bce-outside-0-1",
        "`binary_cross_entropy` of a logit, not a probability",
        lambda lib: lib.nn.functional.binary_cross_entropy(lib.tensor([1.5]), lib.tensor([1.0])),
    ),
    ErrorCase(
        "bce-size-mismatch",
        "`binary_cross_entropy` with target (2,) for input (2, 1)",
        lambda lib: lib.nn.functional.binary_cross_entropy(lib.full((2, 1), 0.5), lib.ones(2)),
    ),
    ErrorCase(
        "bce-logits-size-mismatch",
        "`binary_cross_entropy_with_logits` with target (2,) for input (2, 1)",
        lambda lib: lib.nn.functional.binary_cross_entropy_with_logits(lib.zeros(2, 1), lib.ones(2)),
    ),
    ErrorCase(
        "one-hot-negative", "`one_hot` of a negative index", lambda lib: lib.nn.functional.one_hot(lib.tensor([-1, 0]))
    ),
    ErrorCase(
        "one-hot-too-few-classes",
        "`one_hot(t, 2)` with an index 2",
        lambda lib: lib.nn.functional.one_hot(lib.tensor([2]), 2),
    ),
    ErrorCase("movedim-lengths", "`movedim([0], [0, 1])`", lambda lib: lib.zeros(2, 3, 4).movedim([0], [0, 1])),
    ErrorCase("movedim-repeated", "`movedim([0, 0], [1, 2])`", lambda lib: lib.zeros(2, 3, 4).movedim([0, 0], [1, 2])),
    ErrorCase("amin-empty-dim", "`amin(0)` along an empty dim", lambda lib: lib.zeros(0, 3).amin(0)),
    ErrorCase("topk-too-many", "`topk(4)` of 3 numbers", lambda lib: lib.ones(3).topk(4)),
    ErrorCase("amax-empty", "`amax()` of an empty tensor", lambda lib: lib.zeros(0, 3).amax()),
    ErrorCase("amax-empty-dim", "`amax(0)` along an empty dim", lambda lib: lib.zeros(0, 3).amax(0)),
    ErrorCase("norm-inf-empty", "`norm(inf)` of an empty tensor", lambda lib: lib.zeros(0).norm(float("inf"))),
    ErrorCase(
        "norm-inf-empty-dim", "`norm(inf, -1)` along an empty dim", lambda lib: lib.zeros(2, 0).norm(float("inf"), -1)
    ),
    ErrorCase("zeros-negative", "`zeros(2, -1)`", lambda lib: lib.zeros(2, -1)),
    ErrorCase("cat-empty", "`cat([])`", lambda lib: lib.cat([])),
    ErrorCase("stack-empty", "`stack([])`", lambda lib: lib.stack([])),
    ErrorCase("arange-step-sign", "`arange(0, 5, -1)`", lambda lib: lib.arange(0, 5, -1)),
    ErrorCase("tensor-int-overflow", "`tensor([2**64])`: an integer beyond int64", lambda lib: lib.tensor([2**64])),
    ErrorCase(
        "mask-shape",
        "`x[mask]` with a (2,) mask on a (3, 4) tensor",
        lambda lib: lib.ones(3, 4)[lib.tensor([True, False])],
    ),
    ErrorCase(
        "mask-shape-after-none",
        "`x[None, :, mask]` with a (3,) mask on a (3, 4) tensor",
        lambda lib: lib.ones(3, 4)[None, :, lib.tensor([True, False, True])],
    ),
    ErrorCase(
        "setitem-shape",
        "`x[0] = value` with a (5,) value for a row of 3",
        lambda lib: lib.zeros(2, 3).__setitem__(0, lib.ones(5)),
    ),
    ErrorCase(
        "setitem-more-dims",
        "`x[0] = value` with a (2, 3) value for a row of 3",
        lambda lib: lib.zeros(2, 3).__setitem__(0, lib.ones(2, 3)),
    ),
    ErrorCase(
        "setitem-index-shape",
        "`x[:, [0, 1]] = value` with a (3,) value for a (2, 2) selection",
        lambda lib: lib.zeros(2, 3).__setitem__((slice(None), [0, 1]), lib.ones(3)),
    ),
    ErrorCase(
        "setitem-integers-first",
        "`x[0, :, [1, 2]] = value` with a (2, 3) value for PyTorch's (3, 2) selection",
        lambda lib: lib.zeros(2, 3, 4).__setitem__((0, slice(None), [1, 2]), lib.ones(2, 3)),
    ),
    ErrorCase(
        "int-floordiv-zero",
        "`a // b` of integer tensors where b holds a 0",
        lambda lib: lib.tensor([7, 1]) // lib.tensor([2, 0]),
    ),
    ErrorCase(
        "int-trunc-div-zero",
        "`div(a, b, rounding_mode='trunc')` of integers where b holds a 0",
        lambda lib: lib.div(lib.tensor([-7]), lib.tensor([0]), rounding_mode="trunc"),
    ),
    ErrorCase("int-remainder-zero", "`a % 0` of an integer tensor", lambda lib: lib.tensor([7, -3]) % 0),
    ErrorCase("matmul-2d", "`a @ b` with shapes (2, 3) and (4, 5)", lambda lib: lib.ones(2, 3) @ lib.ones(4, 5)),
    ErrorCase("matmul-1d-2d", "`a @ b` with shapes (3,) and (4, 5)", lambda lib: lib.ones(3) @ lib.ones(4, 5)),
    ErrorCase("matmul-2d-1d", "`a @ b` with shapes (2, 3) and (4,)", lambda lib: lib.ones(2, 3) @ lib.ones(4)),
    ErrorCase("matmul-1d-1d", "`a @ b` with shapes (3,) and (4,)", lambda lib: lib.ones(3) @ lib.ones(4)),
    ErrorCase("matmul-0d", "`matmul` of a 0-d tensor", lambda lib: lib.matmul(lib.tensor(1.0), lib.ones(3))),
    ErrorCase("mm-shapes", "`mm` with shapes (2, 3) and (4, 5)", lambda lib: lib.mm(lib.ones(2, 3), lib.ones(4, 5))),
    ErrorCase(
        "bmm-shapes",
        "`bmm` with shapes (2, 2, 3) and (2, 4, 5)",
        lambda lib: lib.bmm(lib.ones(2, 2, 3), lib.ones(2, 4, 5)),
    ),
    ErrorCase(
        "linear-in-features",
        "`nn.Linear(4, 5)` called on a (2, 3) input",
        lambda lib: lib.nn.Linear(4, 5)(lib.ones(2, 3)),
    ),
    ErrorCase("view-size", "`view(5)` of 6 elements", lambda lib: lib.ones(2, 3).view(5)),
    ErrorCase("reshape-two-minus-one", "`reshape(-1, -1)`", lambda lib: lib.ones(2, 3).reshape(-1, -1)),
    ErrorCase("expand-size", "`expand(2, 4)` of shape (2, 3)", lambda lib: lib.ones(2, 3).expand(2, 4)),
    ErrorCase(
        "cat-shapes",
        "`cat` of shapes (2, 3) and (2, 4) along dim 0",
        lambda lib: lib.cat([lib.ones(2, 3), lib.ones(2, 4)]),
    ),
    ErrorCase("stack-shapes", "`stack` of shapes (2,) and (3,)", lambda lib: lib.stack([lib.ones(2), lib.ones(3)])),
    ErrorCase("negative-size", "`ones(-1)`", lambda lib: lib.ones(-1)),
    ErrorCase("negative-size-random", "`randn(2, -3)`", lambda lib: lib.randn(2, -3)),
    # ---- dtypes ----
    ErrorCase(
        "requires-grad-int",
        "`tensor([1, 2], requires_grad=True)` (an int tensor)",
        lambda lib: lib.tensor([1, 2], requires_grad=True),
    ),
    ErrorCase(
        "requires-grad-int-factory",
        "`zeros(2, dtype=long, requires_grad=True)`",
        lambda lib: lib.zeros(2, dtype=lib.long, requires_grad=True),
    ),
    ErrorCase(
        "requires-grad-int-method", "`t.requires_grad_()` on an int tensor", lambda lib: lib.arange(3).requires_grad_()
    ),
    ErrorCase(
        "requires-grad-int-setter",
        "`t.requires_grad = True` on an int tensor",
        lambda lib: setattr(lib.arange(3), "requires_grad", True),
    ),
    ErrorCase("mean-int", "`mean()` of an int tensor", lambda lib: lib.tensor([1, 2]).mean()),
    ErrorCase(
        "matmul-dtypes",
        "`a @ b` with float32 and float64",
        lambda lib: lib.ones(2, 2) @ lib.ones(2, 2, dtype=lib.float64),
    ),
    ErrorCase(
        "prelu-slopes-mismatch",
        "`prelu(x, w)` with 2 slopes for 3 channels",
        lambda lib: lib.nn.functional.prelu(lib.ones(2, 3), lib.ones(2)),
    ),
    ErrorCase("save-to-a-number", "`save(x, 3)`", lambda lib: lib.save(lib.ones(1), 3)),
    ErrorCase("load-from-a-number", "`load(3)`", lambda lib: lib.load(3)),
    ErrorCase(
        "vjp-no-v",
        "`vjp(f, x)` with f of 2 outputs",
        lambda lib: lib.autograd.functional.vjp(lambda x: x**2, lib.ones(2)),
    ),
    ErrorCase(
        "jvp-no-v",
        "`jvp(f, x)` with x of 2 elements",
        lambda lib: lib.autograd.functional.jvp(lambda x: x**2, lib.ones(2)),
    ),
    ErrorCase(
        "vjp-wrong-size",
        "`vjp(f, x, v)` with v of the wrong size",
        lambda lib: lib.autograd.functional.vjp(lambda x: x**2, lib.ones(2), lib.ones(3)),
    ),
    ErrorCase(
        "hessian-of-a-vector",
        "`hessian(f, x)` with f of 2 outputs",
        lambda lib: lib.autograd.functional.hessian(lambda x: x**2, lib.ones(2)),
    ),
    ErrorCase(
        "grad-assign-size",
        "`w.grad = ones(2)` for w of shape (3,)",
        lambda lib: setattr(lib.ones(3, requires_grad=True), "grad", lib.ones(2)),
    ),
    ErrorCase(
        "grad-assign-dtype",
        "`w.grad = float64 tensor` for a float32 w",
        lambda lib: setattr(lib.ones(3, requires_grad=True), "grad", lib.ones(3, dtype=lib.float64)),
    ),
    ErrorCase("index-negative-step", "`x[::-1]`", lambda lib: lib.arange(4.0)[::-1]),
    ErrorCase("setitem-list", "`x[0] = [1.0, 2.0]`", lambda lib: lib.zeros(2, 2).__setitem__(0, [1.0, 2.0])),
    ErrorCase("setitem-numpy-number", "`x[0] = np.float32(2)`", lambda lib: lib.zeros(2).__setitem__(0, np.float32(2))),
    ErrorCase("setitem-str-long", "`long_x[0] = 'a'`", lambda lib: lib.zeros(2, dtype=lib.long).__setitem__(0, "a")),
    ErrorCase(
        "setitem-nan-into-long", "`long_x[0] = nan`", lambda lib: lib.zeros(2, dtype=lib.long).__setitem__(0, math.nan)
    ),
    ErrorCase(
        "setitem-300-into-uint8", "`uint8_x[0] = 300`", lambda lib: lib.zeros(2, dtype=lib.uint8).__setitem__(0, 300)
    ),
    ErrorCase(
        "gather-float-index", "`gather(x, 1, float_index)`", lambda lib: lib.ones(2, 2).gather(1, lib.zeros(2, 1))
    ),
    ErrorCase(
        "masked-fill-long-mask",
        "`masked_fill` with an int64 mask",
        lambda lib: lib.ones(2).masked_fill(lib.ones(2, dtype=lib.long), 0.0),
    ),
    ErrorCase(
        "masked-fill-vector-value",
        "`masked_fill(mask, tensor([1.0]))`: the value must be 0-d",
        lambda lib: lib.ones(2).masked_fill(lib.ones(2) > 0, lib.tensor([1.0])),
    ),
    ErrorCase("where-float-condition", "`where(x, a, b)` with x float", lambda lib: lib.where(lib.ones(2), 1.0, 0.0)),
    ErrorCase(
        "tensor-nan-to-long",
        "`tensor([nan, 1.0], dtype=long)`",
        lambda lib: lib.tensor([math.nan, 1.0], dtype=lib.long),
    ),
    ErrorCase(
        "tensor-int-beyond-int64", "`tensor([2**63], dtype=long)`", lambda lib: lib.tensor([2**63], dtype=lib.long)
    ),
    ErrorCase(
        "tensor-int-beyond-int64-mixed",
        "`tensor([2**63, 1], dtype=int32)`",
        lambda lib: lib.tensor([2**63, 1], dtype=lib.int32),
    ),
    ErrorCase("tensor-300-to-uint8", "`tensor([300], dtype=uint8)`", lambda lib: lib.tensor([300], dtype=lib.uint8)),
    ErrorCase(
        "tensor-negative-to-uint8", "`tensor([[-1.0]], dtype=uint8)`", lambda lib: lib.tensor([[-1.0]], dtype=lib.uint8)
    ),
    ErrorCase("tensor-big-to-int32", "`tensor(3e9, dtype=int32)`", lambda lib: lib.tensor(3e9, dtype=lib.int32)),
    ErrorCase("full-nan-long", "`full((2,), nan, dtype=long)`", lambda lib: lib.full((2,), math.nan, dtype=lib.long)),
    ErrorCase(
        "full-like-big-int16",
        "`full_like(int16_x, 1e10)`",
        lambda lib: lib.full_like(lib.ones(2, dtype=lib.int16), 1e10),
    ),
    ErrorCase("fill-big-uint8", "`uint8_x.fill_(1e10)`", lambda lib: lib.ones(2, dtype=lib.uint8).fill_(1e10)),
    ErrorCase(
        "full-big-half", "`full((2,), 1e10, dtype=float16)`", lambda lib: lib.full((2,), 1e10, dtype=lib.float16)
    ),
    ErrorCase("parameter-int", "`nn.Parameter(int_tensor)`", lambda lib: lib.nn.Parameter(lib.ones(2, dtype=lib.long))),
    ErrorCase("matmul-long-float", "`long_x @ w`", lambda lib: lib.ones(2, 3, dtype=lib.long) @ lib.ones(3, 1)),
    ErrorCase(
        "linear-long-input",
        "`nn.Linear(3, 1)(x)` with x an int64 tensor",
        lambda lib: lib.nn.Linear(3, 1)(lib.ones(2, 3, dtype=lib.long)),
    ),
    ErrorCase(
        "addmm-self-dtype",
        "`addmm(bias, x, w)` with a float64 bias",
        lambda lib: lib.addmm(lib.ones(1, dtype=lib.float64), lib.ones(2, 3), lib.ones(3, 1)),
    ),
    ErrorCase(
        "bmm-dtypes",
        "`bmm` of int32 and float32",
        lambda lib: lib.bmm(lib.ones(1, 2, 3, dtype=lib.int32), lib.ones(1, 3, 1)),
    ),
    ErrorCase(
        "dot-dtypes", "`dot` of int64 and float32", lambda lib: lib.dot(lib.ones(3, dtype=lib.long), lib.ones(3))
    ),
    ErrorCase(
        "mv-dtypes", "`mv` of float64 and float32", lambda lib: lib.mv(lib.ones(2, 3, dtype=lib.float64), lib.ones(3))
    ),
    ErrorCase(
        "bce-long-target",
        "`BCELoss()(p, y)` with y an int64 tensor of 0s and 1s",
        lambda lib: lib.nn.BCELoss()(lib.tensor([0.3, 0.6]), lib.tensor([1, 0])),
    ),
    ErrorCase(
        "bce-double-target",
        "`binary_cross_entropy(p, y)` with y float64",
        lambda lib: lib.nn.functional.binary_cross_entropy(lib.tensor([0.3]), lib.tensor([1.0], dtype=lib.float64)),
    ),
    ErrorCase(
        "bce-logits-long-target",
        "`BCEWithLogitsLoss()(z, y)` with y an int64 tensor",
        lambda lib: lib.nn.BCEWithLogitsLoss()(lib.tensor([0.3, -2.0]), lib.tensor([1, 0])),
    ),
    ErrorCase(
        "cross-entropy-long-probabilities",
        "`cross_entropy(z, y)` with y int64 of z's shape",
        lambda lib: lib.nn.functional.cross_entropy(lib.ones(2, 3), lib.zeros(2, 3, dtype=lib.long)),
    ),
    ErrorCase("inplace-float-into-int", "`int_tensor.add_(0.5)`", lambda lib: lib.tensor([1, 2]).add_(0.5)),
    ErrorCase("var-int", "`var()` of an int tensor", lambda lib: lib.tensor([1, 2]).var()),
    ErrorCase("softmax-int", "`softmax` of an int tensor", lambda lib: lib.tensor([1, 2]).softmax(0)),
    ErrorCase("log-softmax-int", "`log_softmax` of an int tensor", lambda lib: lib.tensor([1, 2]).log_softmax(0)),
    ErrorCase("rand-like-int", "`rand_like` of an int tensor", lambda lib: lib.rand_like(lib.tensor([1, 2]))),
    ErrorCase("rand-int", "`rand(3, dtype=int64)`", lambda lib: lib.rand(3, dtype=lib.int64)),
    ErrorCase("randn-int", "`randn(3, dtype=int32)`", lambda lib: lib.randn(3, dtype=lib.int32)),
    ErrorCase("normal-int", "`normal_()` of an int tensor", lambda lib: lib.zeros(3, dtype=lib.int64).normal_()),
    ErrorCase("randint-empty-range", "`randint(5, 5, (3,))`", lambda lib: lib.randint(5, 5, (3,))),
    ErrorCase(
        "randint-bool", "`randint(0, 10, (3,), dtype=bool)`", lambda lib: lib.randint(0, 10, (3,), dtype=lib.bool)
    ),
    ErrorCase("manual-seed-overflow", "`manual_seed(2**64)`", lambda lib: lib.manual_seed(2**64)),
    ErrorCase("bitwise-float", "`a & b` for float tensors", lambda lib: lib.ones(2) & lib.ones(2)),
    ErrorCase("bool-negation", "`-t` for a bool tensor", lambda lib: -lib.tensor([True])),
    ErrorCase("uniform-from-above-to", "`x.uniform_(2, 1)`", lambda lib: lib.ones(2).uniform_(2, 1)),
    ErrorCase(
        "init-uniform-from-above-to",
        "`init.uniform_(x, 2.5, 1)`",
        lambda lib: lib.nn.init.uniform_(lib.ones(2), 2.5, 1),
    ),
    ErrorCase("bool-minus-bool", "`mask - mask`", lambda lib: lib.tensor([True]) - lib.tensor([False])),
    ErrorCase(
        "one-minus-mask", "`1 - mask`: no mask inversion by arithmetic", lambda lib: 1 - lib.tensor([True, False])
    ),
    ErrorCase("float-minus-mask", "`x - mask`", lambda lib: lib.ones(2) - lib.tensor([True, False])),
    ErrorCase("float-minus-true", "`x - True`", lambda lib: lib.ones(2) - True),
    ErrorCase("mask-minus-true", "`mask - True`", lambda lib: lib.tensor([True]) - True),
    ErrorCase("sub-true-first", "`sub(True, x)`", lambda lib: lib.sub(True, lib.ones(2))),
    ErrorCase("mask-sub-inplace", "`mask.sub_(mask)`", lambda lib: lib.tensor([True]).sub_(lib.tensor([True]))),
    ErrorCase("int-sub-inplace-true", "`i.sub_(True)`", lambda lib: lib.tensor([1, 2]).sub_(True)),
    ErrorCase(
        "add-bool-alpha", "`add(x, y, alpha=True)` of floats", lambda lib: lib.add(lib.ones(2), lib.ones(2), alpha=True)
    ),
    ErrorCase(
        "add-inplace-bool-alpha", "`x.add_(y, alpha=True)`", lambda lib: lib.ones(2).add_(lib.ones(2), alpha=True)
    ),
    ErrorCase(
        "sub-float-alpha-int",
        "`sub(i, j, alpha=1.0)` of ints",
        lambda lib: lib.sub(lib.ones(2, dtype=lib.long), 1, alpha=1.0),
    ),
    ErrorCase(
        "add-inplace-float-alpha-int",
        "`i.add_(j, alpha=2.5)` of ints",
        lambda lib: lib.ones(2, dtype=lib.long).add_(lib.ones(2, dtype=lib.long), alpha=2.5),
    ),
    # ---- autograd ----
    ErrorCase(
        "backward-non-scalar",
        "`y.backward()` with y of shape (3,) and no `gradient`",
        lambda lib: (lib.ones(3, requires_grad=True) * 2).backward(),
    ),
    ErrorCase(
        "backward-no-grad-fn",
        "`backward()` on a tensor that does not require grad",
        lambda lib: lib.ones(()).backward(),
    ),
    ErrorCase(
        "backward-twice", "a second `backward()` through a graph whose saved tensors were freed", _backward_twice
    ),
    ErrorCase(
        "backward-gradient-shape",
        "`y.backward(gradient)` with a gradient of the wrong shape",
        lambda lib: (lib.ones(2, requires_grad=True) * 2).backward(lib.ones(3)),
    ),
    ErrorCase("grad-unused-input", "`autograd.grad(y, [x, unused])` without `allow_unused=True`", _grad_unused),
    ErrorCase("inplace-leaf", "`x.add_(1)` on a leaf that requires grad", _inplace_on_leaf),
    ErrorCase("setitem-leaf", "`x[0] = 5` on a leaf that requires grad", _setitem_on_leaf),
    ErrorCase("inplace-saved", "changing in place a tensor that backward needs (non-leaf)", _inplace_on_saved),
    ErrorCase("narrow-past-end", "`narrow(0, 2, 2)` of 3 elements", _narrow_past_the_end),
    ErrorCase("gather-index-type", "`gather(x, -1, -1)`: an int for the index", _gather_with_an_int_index),
    ErrorCase("expand-size-type", "`x.expand('a')`", lambda lib: lib.ones(1).expand("a")),
    ErrorCase("expand-size-element-type", "`x.expand((2, 'a'))`", lambda lib: lib.ones(1).expand((2, "a"))),
    ErrorCase(
        "randn-too-big",
        "`randn(2**40)`: more memory than the machine has",
        lambda lib: lib.randn(2**40),
        match="DefaultCPUAllocator: can't allocate memory: you tried to allocate 4398046511104 bytes",
    ),
    ErrorCase(
        "arange-too-big",
        "`arange(2**40)`",
        lambda lib: lib.arange(2**40),
        match="DefaultCPUAllocator: can't allocate memory: you tried to allocate 8796093022208 bytes",
    ),
    ErrorCase("narrow-start", "`narrow(0, 4, 0)` of 3 elements", _narrow_start_out_of_range),
    ErrorCase("inplace-view-of-leaf", "`x[1:].add_(1)` on a leaf that requires grad", _inplace_on_view_of_leaf),
    ErrorCase(
        "inplace-no-grad-view",
        "changing in place, with grad mode on, a view made under `no_grad`",
        _inplace_on_view_made_without_grad,
    ),
    ErrorCase(
        "stale-no-grad-view",
        "using, with grad mode on, a view made under `no_grad` whose base changed since",
        _no_grad_view_used_after_its_base_changed,
    ),
    ErrorCase(
        "backward-no-grad-view",
        "`backward()` of a view made under `no_grad` (it requires grad, but leads nowhere)",
        _backward_of_no_grad_view,
    ),
    ErrorCase("inplace-expanded", "`y.expand(3, 2).add_(1)`: elements that share memory", _inplace_on_expanded),
    ErrorCase("inplace-split-piece", "`y.chunk(2)[1].add_(1)` where y requires grad", _inplace_on_split_piece),
    ErrorCase("inplace-unbind-piece", "`y.unbind()[0].mul_(2)` where y requires grad", _inplace_on_unbind_piece),
    ErrorCase("inplace-view-of-split-piece", "`y.chunk(2)[0].t().add_(1)`", _view_of_split_piece_changed),
    ErrorCase(
        "split-piece-after-base-changed",
        "using `y.chunk(2)[1]` after `y.mul_(2)`",
        _split_piece_used_after_base_changed,
    ),
    ErrorCase(
        "detach-view-in-place",
        "`y[1:].detach_()`",
        _detach_view_in_place,
        match="Can't detach views in-place. Use detach() instead.",  # torch adds a hint about DDP
    ),
    ErrorCase(
        "inplace-saved-leaf", "changing in place (under no_grad) a leaf that backward needs", _inplace_on_saved_leaf
    ),
    ErrorCase(
        "requires-grad-false-non-leaf",
        "`y.requires_grad = False` on a non-leaf",
        lambda lib: setattr(lib.ones(2, requires_grad=True) * 2, "requires_grad", False),
    ),
    ErrorCase(
        "numpy-requires-grad",
        "`x.numpy()` on a tensor that requires grad",
        lambda lib: lib.ones(2, requires_grad=True).numpy(),
    ),
    ErrorCase("item-many", "`item()` of a 3-element tensor", lambda lib: lib.ones(3).item()),
    ErrorCase("bool-many", "`if t:` with a 3-element tensor", lambda lib: bool(lib.ones(3))),
    ErrorCase(
        "hook-no-grad",
        "`register_hook` on a tensor that does not require grad",
        lambda lib: lib.ones(2).register_hook(lambda grad: grad),
    ),
    # ---- devices ----
    ErrorCase(
        "device-mix",
        "`a + b` with a on another device than b (strict vs cpu; PyTorch: cuda:0 vs cpu)",
        lambda lib: lib.ones(2, device=other_device(lib)) + lib.ones(2),
        match="Expected all tensors to be on the same device, but found at least two devices",
        torch_error=DEVICE_MIX,
    ),
    ErrorCase(
        "device-mix-matmul",
        "`a @ b` with a on another device than b",
        lambda lib: lib.ones(2, 2, device=other_device(lib)) @ lib.ones(2, 2),
        match="Expected all tensors to be on the same device, but found at least two devices",
        torch_error=DEVICE_MIX,
    ),
    ErrorCase(
        "device-unknown",
        "`tensor(..., device='tpu')`",
        lambda lib: lib.ones(2, device="tpu"),
        match="device type at start of device string: tpu",
    ),
    # ---- data given to tensor() ----
    ErrorCase("tensor-ragged", "`tensor([[1, 2], [3]])`", lambda lib: lib.tensor([[1, 2], [3]])),
    ErrorCase(
        "tensor-ragged-3d",
        "`tensor([[[1, 2], [3, 4]], [[1, 2], [3]]])`",
        lambda lib: lib.tensor([[[1, 2], [3, 4]], [[1, 2], [3]]]),
    ),
    ErrorCase(
        "tensor-ragged-mixed", "`tensor([[1, 2], 3])`", lambda lib: lib.tensor([[1, 2], 3]), match="not a sequence"
    ),
    ErrorCase("tensor-string", "`tensor('abc')`", lambda lib: lib.tensor("abc")),
    ErrorCase("tensor-string-list", "`tensor(['a', 'b'])`", lambda lib: lib.tensor(["a", "b"])),
    ErrorCase("tensor-none", "`tensor(None)`", lambda lib: lib.tensor(None)),
    ErrorCase("tensor-object", "`tensor(object())`", lambda lib: lib.tensor(object())),
    ErrorCase("tensor-object-list", "`tensor([1, object()])`", lambda lib: lib.tensor([1, object()])),
    ErrorCase("tensor-dict", "`tensor({'a': 1})`", lambda lib: lib.tensor({"a": 1})),
    ErrorCase("tensor-string-in-list", "`tensor([1, 'a'])`", lambda lib: lib.tensor([1, "a"])),
    ErrorCase(
        "tensor-numpy-object",
        "`tensor(np.array([1, 'a'], dtype=object))`",
        lambda lib: lib.tensor(np.array([1, "a"], dtype=object)),
        match="can't convert np.ndarray of type numpy.object_. The only supported types are: float64",
    ),
    ErrorCase(
        "tensor-numpy-str",
        "`tensor(np.array(['a']))`",
        lambda lib: lib.tensor(np.array(["a"])),
        match="can't convert np.ndarray of type numpy.str_. The only supported types are: float64",
    ),
    # ---- indices ----
    ErrorCase("index-int", "`x[5]` with x of shape (3,)", lambda lib: lib.ones(3)[5]),
    ErrorCase("index-negative", "`x[-4]` with x of shape (3,)", lambda lib: lib.ones(3)[-4]),
    ErrorCase("index-second-dim", "`x[:, 4]` with x of shape (2, 3)", lambda lib: lib.ones(2, 3)[:, 4]),
    ErrorCase("index-too-many", "`x[0, 0]` with x of shape (3,)", lambda lib: lib.ones(3)[0, 0]),
    ErrorCase("index-tensor", "`x[tensor([0, 7])]` with x of shape (3,)", lambda lib: lib.ones(3)[lib.tensor([0, 7])]),
    ErrorCase("index-float", "`x[1.5]`", lambda lib: lib.ones(3)[1.5]),
    ErrorCase("index-setitem", "`x[5] = 1` with x of shape (3,)", lambda lib: lib.ones(3).__setitem__(5, 1.0)),
    ErrorCase("dim-out-of-range", "`x.sum(2)` with x of shape (2, 3)", lambda lib: lib.ones(2, 3).sum(2)),
    ErrorCase(
        "dim-out-of-range-softmax", "`x.softmax(-3)` with x of shape (2, 3)", lambda lib: lib.ones(2, 3).softmax(-3)
    ),
    ErrorCase(
        "gather-index",
        "`gather` with an index past the end",
        lambda lib: lib.ones(2, 3).gather(1, lib.tensor([[0, 5], [1, 2]])),
    ),
    ErrorCase(
        "index-select-index",
        "`index_select` with an index past the end",
        lambda lib: lib.ones(3).index_select(0, lib.tensor([4])),
    ),
    # ---- nn ----
    ErrorCase("load-missing-key", "`load_state_dict` without one of the model's keys", _load_missing),
    ErrorCase("load-unexpected-key", "`load_state_dict` with a key the model does not have", _load_unexpected),
    ErrorCase("load-wrong-shape", "`load_state_dict` with a weight of the wrong shape", _load_wrong_shape),
    ErrorCase("load-not-tensor", "`load_state_dict` with a list where a tensor belongs", _load_not_tensor),
    ErrorCase("load-not-dict", "`load_state_dict([1, 2])`", lambda lib: _model(lib).load_state_dict([1, 2])),
    # ---- optim ----
    ErrorCase("sgd-negative-lr", "`SGD(params, lr=-0.1)`", lambda lib: lib.optim.SGD(_params(lib), lr=-0.1)),
    ErrorCase(
        "sgd-negative-momentum",
        "`SGD(params, lr=0.1, momentum=-1)`",
        lambda lib: lib.optim.SGD(_params(lib), lr=0.1, momentum=-1),
    ),
    ErrorCase(
        "sgd-negative-weight-decay",
        "`SGD(params, lr=0.1, weight_decay=-1)`",
        lambda lib: lib.optim.SGD(_params(lib), lr=0.1, weight_decay=-1),
    ),
    ErrorCase(
        "sgd-nesterov",
        "`SGD(params, lr=0.1, nesterov=True)` without momentum",
        lambda lib: lib.optim.SGD(_params(lib), lr=0.1, nesterov=True),
    ),
    ErrorCase("sgd-empty-params", "`SGD([], lr=0.1)`", lambda lib: lib.optim.SGD([], lr=0.1)),
    ErrorCase(
        "sgd-tensor-params",
        "`SGD(tensor, lr=0.1)` (a tensor, not an iterable of them)",
        lambda lib: lib.optim.SGD(lib.ones(2, requires_grad=True), lr=0.1),
    ),
    ErrorCase(
        "sgd-lr-nan",
        "`SGD(params, lr=nan)`: accepted, as in PyTorch; a step makes the weights nan",
        lambda lib: _nonfinite_lr_step(lib, float("nan")),
    ),
    ErrorCase(
        "sgd-lr-inf",
        "`SGD(params, lr=inf)`: accepted, as in PyTorch; a step makes the weights nan",
        lambda lib: _nonfinite_lr_step(lib, float("inf")),
    ),
    ErrorCase("adam-negative-lr", "`Adam(params, lr=-1)`", lambda lib: lib.optim.Adam(_params(lib), lr=-1)),
    ErrorCase(
        "adam-beta", "`Adam(params, betas=(1.0, 0.999))`", lambda lib: lib.optim.Adam(_params(lib), betas=(1.0, 0.999))
    ),
    ErrorCase("adam-eps", "`Adam(params, eps=-1)`", lambda lib: lib.optim.Adam(_params(lib), eps=-1)),
    ErrorCase("adam-lr-nan", "`Adam(params, lr=nan)`", lambda lib: lib.optim.Adam(_params(lib), lr=float("nan"))),
]


# ---- an argument of the wrong kind (a list or a string where a tensor or a number belongs) ----
# Functional forms count the input as position 1, methods count from the first argument after self.


def _m(lib: Any) -> Any:
    return lib.ones(2, 2)


def _v(lib: Any) -> Any:
    return lib.ones(2)


WRONG_KIND = [  # (id, what the user wrote, call)
    ("matmul-first", "`matmul([[1.0]], m)`", lambda lib: lib.matmul([[1.0]], _m(lib))),
    ("matmul-second", "`matmul(m, 'x')`", lambda lib: lib.matmul(_m(lib), "x")),
    ("matmul-method", "`m.matmul([[1.0]])`", lambda lib: _m(lib).matmul([[1.0]])),
    ("matmul-operator", "`m @ 2`", lambda lib: _m(lib) @ 2),
    ("rmatmul-operator", "`[[1.0]] @ m`", lambda lib: [[1.0]] @ _m(lib)),
    ("mm-first", "`mm(1, m)`", lambda lib: lib.mm(1, _m(lib))),
    ("mm-method", "`m.mm(1)`", lambda lib: _m(lib).mm(1)),
    ("bmm-second", "`bmm(m, 1)`", lambda lib: lib.bmm(_m(lib), 1)),
    ("bmm-method", "`m.bmm(1)`", lambda lib: _m(lib).bmm(1)),
    ("dot-second", "`dot(v, [1.0])`", lambda lib: lib.dot(_v(lib), [1.0])),
    ("dot-method", "`v.dot([1.0])`", lambda lib: _v(lib).dot([1.0])),
    ("mv-second", "`mv(m, [1.0])`", lambda lib: lib.mv(_m(lib), [1.0])),
    ("mv-method", "`m.mv([1.0])`", lambda lib: _m(lib).mv([1.0])),
    ("outer-second", "`outer(v, [1.0])`", lambda lib: lib.outer(_v(lib), [1.0])),
    ("outer-method", "`v.outer([1.0])`", lambda lib: _v(lib).outer([1.0])),
    ("ger-method", "`v.ger([1.0])`", lambda lib: _v(lib).ger([1.0])),
    ("addmm-method", "`m.addmm(m, 1)`", lambda lib: _m(lib).addmm(_m(lib), 1)),
    ("addmm-mat1", "`addmm(m, 1, m)`", lambda lib: lib.addmm(_m(lib), 1, _m(lib))),
    ("equal-first", "`equal([1.0], m)`", lambda lib: lib.equal([1.0], _m(lib))),
    ("equal-second", "`equal(m, 'x')`", lambda lib: lib.equal(_m(lib), "x")),
    ("equal-method", "`m.equal('x')`", lambda lib: _m(lib).equal("x")),
    ("allclose-second", "`allclose(m, 1.0)`", lambda lib: lib.allclose(_m(lib), 1.0)),
    ("expand-as-list", "`m.expand_as([1.0])`", lambda lib: _m(lib).expand_as([1.0])),
    ("view-as-list", "`m.view_as([1.0])`", lambda lib: _m(lib).view_as([1.0])),
    ("reshape-as-list", "`m.reshape_as([1.0])`", lambda lib: _m(lib).reshape_as([1.0])),
    ("type-as-str", "`m.type_as('x')`", lambda lib: _m(lib).type_as("x")),
    ("copy-list", "`m.copy_([1.0])`", lambda lib: _m(lib).copy_([1.0])),
    ("addcmul-list", "`m.addcmul_([1.0], m)`", lambda lib: _m(lib).addcmul_([1.0], _m(lib))),
    ("broadcast-tensors-str", "`broadcast_tensors(m, 'x')`", lambda lib: lib.broadcast_tensors(_m(lib), "x")),
    ("promote-types-str", "`promote_types(float32, 'x')`", lambda lib: lib.promote_types(lib.float32, "x")),
    ("full-list", "`full((2, 2), [1.0, 2.0])`: no fill by broadcasting", lambda lib: lib.full((2, 2), [1.0, 2.0])),
    ("full-like-list", "`full_like(m, [1.0, 2.0])`", lambda lib: lib.full_like(_m(lib), [1.0, 2.0])),
    ("normal-str", "`m.normal_('x')`", lambda lib: _m(lib).normal_("x")),
    ("normal-std-list", "`m.normal_(0, [1.0, 2.0])`: no broadcast", lambda lib: _m(lib).normal_(0, [1.0, 2.0])),
    ("uniform-list", "`m.uniform_([0.0, 1.0])`: no broadcast", lambda lib: _m(lib).uniform_([0.0, 1.0])),
    ("uniform-to-str", "`m.uniform_(0, 'x')`", lambda lib: _m(lib).uniform_(0, "x")),
    ("requires-grad-int", "`m.requires_grad_(1)`", lambda lib: _m(lib).requires_grad_(1)),
    ("backward-str", "`y.backward('x')`", lambda lib: (_m(lib).requires_grad_() * 2).backward("x")),
    ("backward-list", "`y.backward([1.0, 2.0])`", lambda lib: (_m(lib).requires_grad_() * 2).backward([1.0, 2.0])),
    ("gather-list", "`gather(m, 0, [[0]])`", lambda lib: lib.gather(_m(lib), 0, [[0]])),
    ("logical-and-number", "`logical_and(m, 1)`", lambda lib: lib.logical_and(_m(lib), 1)),
    ("logical-or-method-number", "`m.logical_or(1)`", lambda lib: _m(lib).logical_or(1)),
    ("bitwise-and-floats", "`m & m` of float tensors", lambda lib: _m(lib) & _m(lib)),
    ("maximum-number", "`maximum(m, 2)`: numbers are clamp_min's", lambda lib: lib.maximum(_m(lib), 2)),
    ("minimum-number-first", "`minimum(2.5, m)`", lambda lib: lib.minimum(2.5, _m(lib))),
    ("maximum-method-number", "`m.maximum(True)`", lambda lib: _m(lib).maximum(True)),
    ("atan2-method-str", "`m.atan2('x')`", lambda lib: _m(lib).atan2("x")),
    ("add-str", "`add(m, 'x')`", lambda lib: lib.add(_m(lib), "x")),
    ("add-list-first", "`add([1.0], m)`", lambda lib: lib.add([1.0], _m(lib))),
    ("mul-method-none", "`m.mul(None)`", lambda lib: _m(lib).mul(None)),
    ("sub-method-list", "`m.sub([1.0])`", lambda lib: _m(lib).sub([1.0])),
    ("div-ndarray", "`div(m, np.ones(2))`", lambda lib: lib.div(_m(lib), np.ones(2))),
    ("plus-str", "`m + 'x'`", lambda lib: _m(lib) + "x"),
    ("str-minus", "`'x' - m`", lambda lib: "x" - _m(lib)),
    ("less-than-list", "`m < [1.0]`", lambda lib: _m(lib) < [1.0]),
    ("power-str", "`m ** 'x'`", lambda lib: _m(lib) ** "x"),
    ("and-none", "`m & None`", lambda lib: _m(lib) & None),
    ("floordiv-dict", "`m // {}`", lambda lib: _m(lib) // {}),
    ("randint-float-high", "`randint(2.5, (2,))`", lambda lib: lib.randint(2.5, (2,))),
    ("randint-bool-high", "`randint(True, (2,))`", lambda lib: lib.randint(True, (2,))),
]
CASES += [ErrorCase(f"wrong-kind-{id_}", bad_input, call) for id_, bad_input, call in WRONG_KIND]

# Where PyTorch lists its overloads ("received an invalid combination of arguments"), a TypeError
# naming the function and the argument, with no fill or clamp by broadcasting a list
WRONG_KIND_OVERLOADED = [
    ("fill-list", "`m.fill_([1.0, 2.0])`", lambda lib: _m(lib).fill_([1.0, 2.0]), "fill_()"),
    ("clamp-min-list", "`m.clamp_min([1.0, 2.0])`", lambda lib: _m(lib).clamp_min([1.0, 2.0]), "clamp_min()"),
    ("clamp-max-list", "`clamp_max(m, [1.0, 2.0])`", lambda lib: lib.clamp_max(_m(lib), [1.0, 2.0]), "clamp_max()"),
    ("clamp-max-inplace-str", "`m.clamp_max_('x')`", lambda lib: _m(lib).clamp_max_("x"), "clamp_max"),
    ("all-list", "`all([True, False])`", lambda lib: lib.all([True, False]), "all()"),
    ("any-list", "`any([True, False])`", lambda lib: lib.any([True, False]), "any()"),
]
# ... and where the messages' first lines are equal (PyTorch then lists its signatures, with notes
# on why each did not match; minigrad lists its own)
_INVALID = "received an invalid combination of arguments - got"
WRONG_KIND_OVERLOADED += [
    (
        "clamp-tensor-and-number",
        "`clamp(x, tensor([0.0, 0.0]), 1.0)`: a tensor bound with a number",
        lambda lib: lib.clamp(lib.ones(2), lib.zeros(2), 1.0),
        f"clamp() {_INVALID} (Tensor, Tensor, float), but expected one of:",
    ),
    (
        "eq-number-first",
        "`eq(2, m)`",
        lambda lib: lib.eq(2, _m(lib)),
        f"eq() {_INVALID} (int, Tensor), but expected one of:",
    ),
    (
        "lt-str",
        "`lt(m, 'x')`",
        lambda lib: lib.lt(_m(lib), "x"),
        f"lt() {_INVALID} (Tensor, str), but expected one of:",
    ),
    ("ge-method-list", "`m.ge([1.0])`", lambda lib: _m(lib).ge([1.0]), f"ge() {_INVALID} (list), but expected one of:"),
    (
        "pow-str",
        "`pow(m, 'x')`",
        lambda lib: lib.pow(_m(lib), "x"),
        f"pow() {_INVALID} (Tensor, str), but expected one of:",
    ),
    (
        "pow-method-none",
        "`m.pow(None)`",
        lambda lib: _m(lib).pow(None),
        f"pow() {_INVALID} (NoneType), but expected one of:",
    ),
    (
        "remainder-list-first",
        "`remainder([2], m)`",
        lambda lib: lib.remainder([2], _m(lib)),
        f"remainder() {_INVALID} (list, Tensor)",
    ),
    (
        "bitwise-or-str",
        "`bitwise_or(m, 'x')`",
        lambda lib: lib.bitwise_or(_m(lib), "x"),
        f"bitwise_or() {_INVALID} (Tensor, str)",
    ),
    (
        "multiply-str",
        "`multiply(m, 'x')`",
        lambda lib: lib.multiply(_m(lib), "x"),
        f"multiply() {_INVALID} (Tensor, str)",
    ),
    (
        "randint-float-low",
        "`randint(0, 2.5, (2,))`",
        lambda lib: lib.randint(0, 2.5, (2,)),
        f"randint() {_INVALID} (int, float, tuple)",
    ),
    (
        "randint-like-float",
        "`randint_like(m, 0, 2.5)`",
        lambda lib: lib.randint_like(_m(lib), 0, 2.5),
        f"randint_like() {_INVALID} (Tensor, int, float)",
    ),
]
CASES += [
    ErrorCase(f"wrong-kind-{id_}", bad_input, call, match=match)
    for id_, bad_input, call, match in WRONG_KIND_OVERLOADED
]


def _raised(call: Callable[[Any], Any], lib: Any) -> BaseException:
    try:
        call(lib)
    except Exception as error:  # noqa: BLE001  (any exception is a result here)
        return error
    raise AssertionError(f"{lib.__name__} raised nothing")


def _message(error: BaseException) -> str:
    text = str(error.args[0]) if isinstance(error, KeyError) and error.args else str(error)
    return text.replace("minigrad", "torch")


@pytest.mark.parametrize("case", CASES, ids=lambda case: case.id)
def test_error_matches_torch(case: ErrorCase) -> None:
    expected = case.torch_error or _raised(case.call, torch)
    actual = _raised(case.call, minigrad)
    assert type(actual).__name__ == type(expected).__name__, (actual, expected)
    if case.match is None:
        assert _message(actual) == _message(expected)
    else:
        assert case.match in _message(actual)
        assert case.match in _message(expected)


def test_case_ids_are_unique() -> None:
    ids = [case.id for case in CASES]
    assert len(ids) == len(set(ids))


# ---- docs/errors.md ----


def render_table() -> str:
    """docs/errors.md: the table of CASES, with the error minigrad raises for each."""
    lines = [
        "# Errors: bad input and what it gets",
        "",
        "Every row is a test in `tests/test_errors.py` (the id is the test id), which runs the same",
        "call on PyTorch 2.13 and on minigrad and requires the same exception type and the same",
        'message. Before comparing, "minigrad" in our message is read as "torch". Where the',
        "column *compared* says `contains: ...`, only that substring is compared (the call involves",
        "a device PyTorch's CPU build cannot make: minigrad's `strict` stand-in is checked against",
        "PyTorch's message for `cuda:0` and `cpu`, or a dtype PyTorch supports and minigrad does not).",
        "This file is generated: `PYTHONPATH=. python tests/test_errors.py > docs/errors.md`.",
        "",
        "A learning rate of nan or inf is accepted by `SGD`, as in PyTorch (its check is `lr < 0`,",
        "which nan passes); the rows `sgd-lr-nan` and `sgd-lr-inf` show that one step then turns",
        "the weights into nan in both libraries (the ValueError is raised by the test, as a marker).",
        "",
        "| id | bad input | error | message | compared |",
        "|---|---|---|---|---|",
    ]
    display_name, minigrad.dtypes.display_name = minigrad.dtypes.display_name, "minigrad"  # as imported
    try:
        errors = [_raised(case.call, minigrad) for case in CASES]
    finally:
        minigrad.dtypes.display_name = display_name
    for case, error in zip(CASES, errors):
        message = str(error).replace("|", "\\|").replace("\n", "<br>")
        compared = "whole message" if case.match is None else f"contains: `{case.match}`"
        lines.append(f"| `{case.id}` | {case.bad_input} | {type(error).__name__} | {message} | {compared} |")
    return "\n".join(lines) + "\n"


def test_errors_md_is_up_to_date() -> None:
    assert DOC.read_text() == render_table(), "regenerate: PYTHONPATH=. python tests/test_errors.py > docs/errors.md"


if __name__ == "__main__":
    sys.stdout.write(render_table())
