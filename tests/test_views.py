"""
Views and in-place ops, drawn by hypothesis and compared with PyTorch: a chain of view ops cut
from a tensor with a history, an in-place op through the last view, perhaps a change to the base
afterwards and a second view of the same base. The loss and the input's gradient must be
torch's, or both libraries must refuse the program (minigrad refuses every write through an
expanded view, where NumPy's broadcast arrays are read-only; PyTorch allows some).
"""

from __future__ import annotations

from typing import Any

import numpy as np
import torch
from hypothesis import given
from hypothesis import strategies as st

import minigrad

VIEWS = {  # name -> how to cut a view from v (the same code for torch and minigrad)
    "t": lambda v: v.t() if v.dim() == 2 else v.permute(*reversed(range(v.dim()))),
    "rows from 1": lambda v: v[1:],
    "every other": lambda v: v[::2],
    "last dim, every other": lambda v: v[..., ::2],
    "first": lambda v: v[0] if v.dim() > 1 else v[:1],
    "unsqueeze": lambda v: v.unsqueeze(0),
    "flatten": lambda v: v.reshape(-1),
    "narrow": lambda v: v.narrow(-1, 0, 1),
    "matrix": lambda v: v.reshape(v.shape[0], -1),
    "chunk": lambda v: v.chunk(2)[0],
    "expand": lambda v: v.unsqueeze(0).expand(2, *v.shape),
}


def _values_like(view: Any, x: Any) -> Any:
    """Values that depend on x, in the view's shape (so the in-place op sends x a gradient too)."""
    flat = x.reshape(-1)
    repeats = -(-view.numel() // flat.numel())
    return (flat.repeat(repeats)[: view.numel()] * 0.5 + 1).reshape(view.shape)


IN_PLACE = {  # name -> in-place op on the view
    "mul_": lambda view, x: view.mul_(_values_like(view, x)),
    "div_": lambda view, x: view.div_(_values_like(view, x) ** 2 + 1),
    "add_": lambda view, x: view.add_(1.5),
    "copy_": lambda view, x: view.copy_(_values_like(view, x).tanh()),
    "fill": lambda view, x: view.__setitem__(..., 2.0),
    "zero_": lambda view, x: view.zero_(),
    "exp_": lambda view, x: view.exp_(),
    "tanh_": lambda view, x: view.tanh_(),
    "relu_": lambda view, x: view.relu_(),
}


def run(lib: Any, values: np.ndarray, chain: list, op: str, change_base: bool, sibling: str | None) -> tuple:
    x = lib.tensor(values, requires_grad=True)
    base = x * 2
    view = base
    for name in chain:
        view = VIEWS[name](view)
    other = VIEWS[sibling](base) if sibling else None
    IN_PLACE[op](view, x)
    if change_base:
        base.mul_(1.25)
    loss = (base * base).sum() + (view * view * 3).sum()
    if other is not None:
        loss = loss + (other * other).sum()
    loss.backward()
    return loss.detach().numpy(), x.grad.numpy()


@given(
    shape=st.lists(st.integers(2, 4), min_size=1, max_size=3),
    chain=st.lists(st.sampled_from(sorted(VIEWS)), min_size=1, max_size=3),
    op=st.sampled_from(sorted(IN_PLACE)),
    change_base=st.booleans(),
    sibling=st.none() | st.sampled_from(sorted(VIEWS)),
    seed=st.integers(0, 3),
)
def test_in_place_through_drawn_views_matches_torch(shape, chain, op, change_base, sibling, seed) -> None:
    values = np.random.default_rng(seed).standard_normal(shape)
    program = (values, chain, op, change_base, sibling)
    try:
        expected = run(torch, *program)
    except (RuntimeError, IndexError) as torch_error:  # (a chain can cut nothing: x[1:][0] of 2 rows)
        try:
            run(minigrad, *program)
        except type(torch_error):
            return  # both refuse it (test_autograd and test_errors compare the messages)
        raise AssertionError(f"torch raised {torch_error!r}; minigrad did not") from None
    try:
        actual = run(minigrad, *program)
    except RuntimeError as error:
        if "expand" in chain and "single memory location" in str(error):
            return  # a write through an expanded view: refused by minigrad, allowed by torch
        raise
    np.testing.assert_allclose(actual[0], expected[0], rtol=1e-10, atol=1e-10)
    np.testing.assert_allclose(actual[1], expected[1], rtol=1e-10, atol=1e-10)


# ---- views made under no_grad ----
# PyTorch gives such a view of a tensor that requires grad `requires_grad=True` (it prints so),
# but no gradient edge: ops on it are recorded, their gradients go nowhere. Once its base
# changes, it prints `grad_fn=<Invalid>` and may not be used with grad mode on.


def observe_no_grad_view(lib: Any, values: np.ndarray, chain: list, from_leaf: bool, change_base: bool) -> list:
    """What a user can see of a view cut under no_grad: flags, printout, what backward does."""
    x = lib.tensor(values, requires_grad=True)
    base = x if from_leaf else x * 2
    with lib.no_grad():
        view = base
        for name in chain:
            view = VIEWS[name](view)
        if change_base:
            base.mul_(1.5)  # an optimizer step
    printed = " ".join(repr(view).replace("torch.", "minigrad.").split())  # (longer names wrap sooner)
    seen = [view.requires_grad, printed]
    try:
        seen.append(view.is_leaf)  # (PyTorch raises for a view whose base changed)
        result = (view * 3).sum()
        node = result.grad_fn
        seen += [result.requires_grad, node and [edge[0] is None for edge in node.next_functions]]
        result.backward()
        seen += [x.grad is None, view.grad is None]
    except RuntimeError as error:
        seen.append(str(error))
    return seen


@given(
    shape=st.lists(st.integers(2, 4), min_size=1, max_size=3),
    chain=st.lists(st.sampled_from(sorted(VIEWS)), min_size=1, max_size=3),
    from_leaf=st.booleans(),
    change_base=st.booleans(),
)
def test_views_made_under_no_grad_behave_as_in_torch(shape, chain, from_leaf, change_base) -> None:
    values = np.random.default_rng(0).standard_normal(shape)
    program = (values, chain, from_leaf, change_base)
    assert _outcome(observe_no_grad_view, minigrad, *program) == _outcome(observe_no_grad_view, torch, *program)


def _outcome(function: Any, lib: Any, *args: Any) -> Any:
    """What `function(lib, *args)` returns, or the error it raises (a chain can cut nothing: x[1:][0])."""
    try:
        return function(lib, *args)
    except (IndexError, RuntimeError) as error:
        return type(error).__name__, str(error)
