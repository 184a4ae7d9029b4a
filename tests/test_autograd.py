"""
The autograd engine, compared with PyTorch: custom Functions, the recorded graph (node names,
next_functions, AccumulateGrad), the iterative backward walk, accumulation, retain_graph,
create_graph, hooks, retain_grad, autograd.grad, grad mode, the version counter, and the
errors bad input gets. Expected values come from running the same code on torch.
"""

from __future__ import annotations

import sys
import threading
import warnings

import numpy as np
import pytest
import torch
from conftest import assert_matches, to_host

import minigrad
from minigrad.testing import assert_close

# ---- helpers ----


@pytest.fixture(autouse=True)
def _grad_mode_restored():
    """A test that fails inside no_grad must not leave grad mode off for the next one."""
    yield
    minigrad.set_grad_enabled(True)
    torch.set_grad_enabled(True)


def version(t) -> int:
    """The in-place version counter (an int in both; minigrad's is a one-item list shared with views)."""
    return t._version


def same_error(build, *, prefix_only=False):
    """`build(torch)` and `build(minigrad)` raise the same exception type with the same words."""
    with pytest.raises(Exception) as expected:  # noqa: PT011 - whatever torch raises
        build(torch)
    with pytest.raises(type(expected.value)) as actual:
        build(minigrad)
    want = str(expected.value).replace("torch.", "minigrad.")
    if prefix_only:  # torch appends details (C++ names, hints) that have no minigrad meaning
        want = want.split(":")[0]
        assert str(actual.value).startswith(want), (str(actual.value), want)
    else:
        assert str(actual.value) == want


def both(build, device):
    """Run `build(lib, device)` for minigrad and torch; returns (minigrad result, torch result)."""
    return build(minigrad, device), build(torch, "cpu")


def graph(node, depth=0):
    """A node's name and, recursively, its next_functions: the structure PyTorch shows."""
    if node is None:
        return None
    children = tuple((graph(child, depth + 1), nr) for child, nr in node.next_functions)
    return (node.name().removeprefix("torch::autograd::"), children)


# ---- custom Function, written as a user writes it ----


def make_functions(lib):
    """The same user-written Functions for torch and for minigrad."""

    class MyExp(lib.autograd.Function):
        @staticmethod
        def forward(ctx, x):
            y = x.exp()
            ctx.save_for_backward(y)  # saves the output, as the PyTorch docs' example does
            return y

        @staticmethod
        def backward(ctx, grad_output):
            (y,) = ctx.saved_tensors
            return grad_output * y

    class ScaledMul(lib.autograd.Function):
        """z = scale * x * y, with a non-tensor argument and needs_input_grad."""

        @staticmethod
        def forward(ctx, x, y, scale):
            ctx.save_for_backward(x, y)
            ctx.scale = scale
            ctx.seen_needs_input_grad = ctx.needs_input_grad
            return x * y * scale

        @staticmethod
        def backward(ctx, grad_output):
            x, y = ctx.saved_tensors
            grad_x = grad_y = None
            if ctx.needs_input_grad[0]:
                grad_x = grad_output * y * ctx.scale
            if ctx.needs_input_grad[1]:
                grad_y = grad_output * x * ctx.scale
            return grad_x, grad_y, None

    class SplitSum(lib.autograd.Function):
        """Two outputs; the backward gets one gradient per output."""

        @staticmethod
        def forward(ctx, x):
            return x.sum(0), x.sum(1)

        @staticmethod
        def backward(ctx, grad_rows, grad_cols):
            return grad_rows.unsqueeze(0) + grad_cols.unsqueeze(1)

    class Cube(lib.autograd.Function):
        """Backward written with tensor ops, so create_graph gives the second derivative."""

        @staticmethod
        def forward(ctx, x):
            ctx.save_for_backward(x)
            return x**3

        @staticmethod
        def backward(ctx, grad_output):
            (x,) = ctx.saved_tensors
            return grad_output * 3 * x**2

    return MyExp, ScaledMul, SplitSum, Cube


M_FUNCTIONS, T_FUNCTIONS = make_functions(minigrad), make_functions(torch)


def test_custom_function_forward_backward_and_node(device):
    m_exp, t_exp = M_FUNCTIONS[0], T_FUNCTIONS[0]
    data = [0.5, -1.0, 2.0]
    m_x = minigrad.tensor(data, requires_grad=True, device=device)
    t_x = torch.tensor(data, requires_grad=True)
    m_y, t_y = m_exp.apply(m_x), t_exp.apply(t_x)
    assert_matches(m_y, t_y)
    assert m_y.grad_fn.name() == t_y.grad_fn.name() == "MyExpBackward"
    assert graph(m_y.grad_fn) == graph(t_y.grad_fn)
    assert m_y.grad_fn.next_functions[0][0].variable is m_x
    (m_y * m_y).sum().backward()
    (t_y * t_y).sum().backward()
    assert_matches(m_x.grad, t_x.grad)


@pytest.mark.parametrize(("x_grad", "y_grad"), [(True, True), (True, False), (False, True)])
def test_custom_function_needs_input_grad_and_non_tensor_args(x_grad, y_grad, device):
    results = []
    for lib, dev, functions in ((minigrad, device, M_FUNCTIONS), (torch, "cpu", T_FUNCTIONS)):
        x = lib.tensor([1.0, 2.0], requires_grad=x_grad, device=dev)
        y = lib.tensor([3.0, -4.0], requires_grad=y_grad, device=dev)
        z = functions[1].apply(x, y, 0.5)
        z.sum().backward()
        results.append(
            (z, x.grad, y.grad, tuple(z.grad_fn.seen_needs_input_grad if lib is torch else z.grad_fn.needs_input_grad))
        )
    (m_z, m_gx, m_gy, m_needs), (t_z, t_gx, t_gy, t_needs) = results
    assert_matches(m_z, t_z)
    assert m_needs == t_needs == (x_grad, y_grad, False)
    for m_g, t_g in ((m_gx, t_gx), (m_gy, t_gy)):
        assert (m_g is None) == (t_g is None)
        if t_g is not None:
            assert_matches(m_g, t_g)


def test_needs_input_grad_is_visible_in_forward():
    m_x = minigrad.tensor([1.0], requires_grad=True)
    m_z = M_FUNCTIONS[1].apply(m_x, minigrad.tensor([2.0]), 1.0)
    t_x = torch.tensor([1.0], requires_grad=True)
    t_z = T_FUNCTIONS[1].apply(t_x, torch.tensor([2.0]), 1.0)
    assert tuple(m_z.grad_fn.seen_needs_input_grad) == tuple(t_z.grad_fn.seen_needs_input_grad)


def test_custom_function_with_two_outputs(device):
    data = np.arange(6.0).reshape(2, 3)
    results = []
    for lib, dev, functions in ((minigrad, device, M_FUNCTIONS), (torch, "cpu", T_FUNCTIONS)):
        x = lib.tensor(data, requires_grad=True, device=dev)
        rows, cols = functions[2].apply(x)
        assert rows.grad_fn is cols.grad_fn
        (rows * lib.tensor([1.0, 2.0, 3.0], device=dev)).sum().backward(retain_graph=True)
        first = x.grad.clone()
        (cols.sum() * 2).backward()  # only the second output gets a gradient: the first counts as zero
        results.append((rows, cols, first, x.grad))
    for m, t in zip(*results):
        assert_matches(m, t)


def test_custom_function_second_derivative(device):
    results = []
    for lib, dev, functions in ((minigrad, device, M_FUNCTIONS), (torch, "cpu", T_FUNCTIONS)):
        x = lib.tensor([0.5, -2.0], requires_grad=True, device=dev)
        (first,) = lib.autograd.grad(functions[3].apply(x).sum(), x, create_graph=True)
        (second,) = lib.autograd.grad(first.sum(), x)
        results.append((first, second))
    for m, t in zip(*results):
        assert_matches(m, t)


def test_custom_function_without_grad_records_nothing():
    x = minigrad.tensor([1.0], requires_grad=True)
    with minigrad.no_grad():
        y = M_FUNCTIONS[0].apply(x)
    assert y.grad_fn is None and not y.requires_grad
    z = M_FUNCTIONS[0].apply(minigrad.tensor([1.0]))
    assert z.grad_fn is None and not z.requires_grad


def test_saved_tensors_freed_after_backward_like_torch():
    for lib, functions in ((minigrad, M_FUNCTIONS), (torch, T_FUNCTIONS)):
        y = functions[0].apply(lib.tensor([1.0], requires_grad=True))
        y.sum().backward()
        with pytest.raises(RuntimeError, match="Trying to backward through the graph a second time"):
            y.grad_fn.saved_tensors  # noqa: B018 - the access is what raises


# ---- the recorded graph: node names and next_functions ----

EXPRESSIONS = [
    "x * y",
    "x + y",
    "x - y",
    "x / y",
    "x * 2",
    "2 * x",
    "x + 1",
    "x - 1",
    "x / 3",
    "-x",
    "x * x",
    "x ** 2",
    "x ** 0.5",
    "2 ** x",
    "x ** y",
    "x.exp()",
    "x.log()",
    "x.sqrt()",
    "x.sin()",
    "x.cos()",
    "x.tanh()",
    "x.sigmoid()",
    "x.relu()",
    "x.abs()",
    "x.log1p()",
    "x.expm1()",
    "x.rsqrt()",
    "x.reciprocal()",
    "x.log2() + x.log10() + x.exp2()",
    "x.tan() + x.asin() + x.acos() + x.atan()",
    "lib.atan2(x, y)",
    "lib.atan2(x, c)",
    "x.sinh() * x.cosh()",
    "x.floor() + x.ceil() + x.trunc() + x.frac()",
    "x.round()",
    "x.round(decimals=1)",
    "x // 2",
    "x // y",
    "x % y",
    "x.div(y, rounding_mode='floor')",
    "x.div(2, rounding_mode='trunc')",
    "lib.nn.functional.softplus(x) + lib.nn.functional.silu(x)",
    "lib.nn.functional.elu(x) + lib.nn.functional.leaky_relu(x, 0.2)",
    "lib.nn.functional.logsigmoid(x)",
    "x.erf() + lib.nn.functional.gelu(x) + lib.nn.functional.gelu(x, approximate='tanh')",
    "x.flip(0) + x.tril() + x.triu(1)",
    "x.cumsum(1)",
    "x.amin(1) + x.amax(0).sum()",
    "x.movedim(0, 1)",
    "x.swapaxes(0, 1)",
    "x.sort(1)[0] + x.sort(0, descending=True).values.sum()",
    "x.topk(2).values",
    "x.clamp(0.2, 0.8)",
    "x.clamp(min=0.5)",
    "lib.maximum(x, y)",
    "lib.minimum(x, y)",
    "lib.where(x > 0.5, x, y)",
    "x.sum()",
    "x.sum(0)",
    "x.sum(1, keepdim=True)",
    "x.mean()",
    "x.mean(0)",
    "x.norm()",
    "x.norm(1, 0)",
    "x.max()",
    "x.max(1)[0]",
    "x @ w",
    "x.mm(w)",
    "x.matmul(w)",
    "x @ w[:, 0]",
    "x[0] @ w[:, 0]",
    "x.T",
    "x.t()",
    "x.transpose(0, 1)",
    "x.permute(1, 0)",
    "x.reshape(6)",
    "x.view(3, 2)",
    "x.unsqueeze(0)",
    "x.unsqueeze(0).squeeze(0)",
    "x.unsqueeze(0).squeeze()",
    "x[:1].expand(4, 3)",
    "x[0]",
    "x[:, 1]",
    "x[:, 1:]",
    "lib.cat([x, y])",
    "lib.stack([x, y])",
    "x.clone()",
    "x.to(lib.float64)",
    "(x * y).sum() + x.mean()",
    "(x * w.T).exp().sum(1)",
    "(x @ w).relu().sum()",
    "x * y + x * c",
    "(x * c).sum()",
    "x.exp().exp()",
]


@pytest.mark.parametrize("expression", EXPRESSIONS)
def test_graph_structure_matches_torch(expression):
    """Node names and next_functions (including None for inputs that need no grad) as in torch."""
    structures = []
    for lib in (minigrad, torch):
        x = lib.tensor([[0.1, 0.7, 0.9], [0.4, 0.2, 0.6]], requires_grad=True)
        y = lib.tensor([[0.3, 0.5, 0.8], [0.9, 0.1, 0.4]], requires_grad=True)
        w = lib.tensor([[1.0, -1.0], [0.5, 2.0], [-0.3, 0.2]], requires_grad=True)
        c = lib.tensor([[2.0, 3.0, 4.0], [5.0, 6.0, 7.0]])  # a constant: None in next_functions
        out = eval(expression, {"lib": lib, "x": x, "y": y, "w": w, "c": c})
        structures.append(graph(out.grad_fn))
    assert structures[0] == structures[1]


def test_leaf_and_constant_have_no_grad_fn():
    for lib in (minigrad, torch):
        x = lib.tensor([1.0], requires_grad=True)
        c = lib.tensor([1.0])
        assert x.grad_fn is None and x.is_leaf and c.grad_fn is None and c.is_leaf
        y = x * 2
        assert not y.is_leaf and y.grad_fn is not None
        assert (c * 2).grad_fn is None and (c * 2).is_leaf


def test_ops_on_tensors_that_need_no_grad_do_no_graph_work(monkeypatch):
    """Issue 7: with no input that requires grad, apply does not build edges it would throw away."""
    from minigrad.autograd import function

    recorded = []  # each node's place in backward's order is drawn when its edges are recorded
    next_number = function._next_sequence_nr
    monkeypatch.setattr(function, "_next_sequence_nr", lambda: recorded.append(1) or next_number())
    c = minigrad.tensor([1.0, 2.0])
    ((c * 2 + c).exp() - c).sum()
    assert recorded == []
    (minigrad.tensor([1.0], requires_grad=True) * c[:1]).sum()
    assert recorded != []


def test_view_of_a_base_changed_in_place_by_a_grad_op_is_recorded_as_in_torch():
    """A view made before its base required grad: the next op on it must still be recorded."""
    results = []
    for lib in (minigrad, torch):
        w = lib.tensor([2.0, 3.0, 4.0], requires_grad=True)
        base = lib.zeros(3)
        view = base[:2]
        base.add_(w)  # base now requires grad, and so does the view, once its history is derived again
        out = view * 3
        out.sum().backward()
        results.append((out.requires_grad, out.grad_fn.name(), np.array(w.grad.tolist())))
    assert results[0][:2] == results[1][:2]
    np.testing.assert_array_equal(results[0][2], results[1][2])


def test_accumulate_grad_node_is_shared_and_points_at_the_leaf():
    x = minigrad.tensor([1.0, 2.0], requires_grad=True)
    a, b = x * 2, x.exp()
    node_a, node_b = a.grad_fn.next_functions[0][0], b.grad_fn.next_functions[0][0]
    assert node_a.name() == "AccumulateGrad" and node_a.variable is x
    assert node_a is node_b  # one AccumulateGrad per leaf while the graph holds it, as in torch
    assert node_a.next_functions == ()
    t = torch.tensor([1.0, 2.0], requires_grad=True)
    assert (t * 2).grad_fn.next_functions[0][0] is t.exp().grad_fn.next_functions[0][0]


def test_multi_output_nodes_give_output_numbers():
    structures = []
    for lib in (minigrad, torch):
        x = lib.tensor([[1.0, 5.0], [7.0, 2.0]], requires_grad=True)
        values, indices = x.max(1)
        structures.append((graph(values.grad_fn), indices.grad_fn, indices.requires_grad))
    assert structures[0] == structures[1]


# ---- the backward walk ----


def test_a_100000_op_chain_backward_has_no_recursion_error():
    x = minigrad.tensor(1.0, dtype=minigrad.float64, requires_grad=True)
    y = x
    for _ in range(100_000):
        y = y * 1.00001
    limit = sys.getrecursionlimit()
    y.backward()
    assert sys.getrecursionlimit() == limit
    np.testing.assert_allclose(to_host(x.grad), 1.00001**100_000, rtol=1e-9)
    del y  # freeing a deep graph must not recurse either


def test_deep_chain_with_create_graph():
    """y = x^(n+1) built one multiplication at a time; dy/dx and d2y/dx2 at x = 1."""
    n = 2_000
    x = minigrad.tensor(1.0, dtype=minigrad.float64, requires_grad=True)
    y = x
    for _ in range(n):
        y = y * x
    (grad,) = minigrad.autograd.grad(y, x, create_graph=True)
    assert grad.requires_grad and grad.item() == n + 1
    (second,) = minigrad.autograd.grad(grad, x)
    assert second.item() == (n + 1) * n


def test_diamond_graph_sums_both_paths(device):
    def build(lib, dev):
        x = lib.tensor([1.0, 2.0, 3.0], requires_grad=True, device=dev)
        a = x * 2
        b = a.exp() + a.sin() * a  # a reaches the output along three paths
        (b.sum() + a.sum()).backward()
        return x.grad

    assert_matches(*both(build, device))


def test_gradients_accumulate_across_backward_calls(device):
    def build(lib, dev):
        x = lib.tensor([1.0, -2.0], requires_grad=True, device=dev)
        (x * x).sum().backward()
        first = x.grad.clone()
        (x * 3).sum().backward()
        second = x.grad.clone()
        x.grad.zero_()
        (x**3).sum().backward()
        return first, second, x.grad

    m, t = both(build, device)
    for m_g, t_g in zip(m, t):
        assert_matches(m_g, t_g)


def test_grad_is_a_fresh_tensor_not_an_alias(device):
    x = minigrad.tensor([1.0, 2.0], requires_grad=True, device=device)
    upstream = minigrad.tensor([5.0, 6.0], device=device)
    (x * 1).backward(upstream)
    x.grad.add_(1)
    np.testing.assert_array_equal(to_host(upstream), [5.0, 6.0])
    assert not x.grad.requires_grad and x.grad.grad_fn is None


def test_grad_has_the_leafs_shape_after_broadcasting(device):
    def build(lib, dev):
        bias = lib.tensor([0.5], requires_grad=True, device=dev)
        row = lib.tensor([[1.0, 2.0, 3.0]], requires_grad=True, device=dev)
        x = lib.tensor([[1.0], [2.0]], requires_grad=True, device=dev)
        ((x * row + bias) ** 2).sum().backward()
        return bias.grad, row.grad, x.grad

    for m_g, t_g in zip(*both(build, device)):
        assert_matches(m_g, t_g)


@pytest.mark.parametrize("dtype", ["float32", "float64"])
def test_grad_has_the_leafs_dtype(dtype, device):
    def build(lib, dev):
        x = lib.tensor([1.0, 2.0], dtype=getattr(lib, dtype), requires_grad=True, device=dev)
        other = lib.tensor([3.0, 4.0], dtype=lib.float64, requires_grad=True, device=dev)
        (x * other).sum().backward()
        return x.grad, other.grad

    for m_g, t_g in zip(*both(build, device)):
        assert_matches(m_g, t_g)


def test_backward_with_gradient_for_non_scalar_outputs(device):
    def build(lib, dev):
        x = lib.tensor([[1.0, 2.0], [3.0, 4.0]], requires_grad=True, device=dev)
        y = x * x + x
        y.backward(gradient=lib.tensor([[1.0, 0.5], [-1.0, 2.0]], device=dev))
        return x.grad

    assert_matches(*both(build, device))


def test_backward_of_a_scalar_with_explicit_gradient(device):
    def build(lib, dev):
        x = lib.tensor([1.0, 2.0], requires_grad=True, device=dev)
        (x**2).sum().backward(lib.tensor(3.0, device=dev))
        return x.grad

    assert_matches(*both(build, device))


def test_backward_with_inputs_fills_only_those():
    def build(lib, dev):
        x = lib.tensor([1.0, 2.0], requires_grad=True)
        y = lib.tensor([3.0, 4.0], requires_grad=True)
        (x * y).sum().backward(inputs=[y])
        return x.grad, y.grad

    (m_x, m_y), (t_x, t_y) = both(build, "cpu")
    assert m_x is None and t_x is None
    assert_matches(m_y, t_y)


def test_torch_autograd_backward_function_form(device):
    def build(lib, dev):
        x = lib.tensor([1.0, 2.0], requires_grad=True, device=dev)
        a, b = x * 2, x.exp()
        lib.autograd.backward([a.sum(), b], [None, lib.tensor([1.0, -1.0], device=dev)])
        return x.grad

    assert_matches(*both(build, device))


# ---- retain_graph ----


def test_second_backward_through_freed_graph_is_torchs_error():
    def build(lib):
        x = lib.tensor([1.0, 2.0], requires_grad=True)
        y = (x * x).sum()
        y.backward()
        y.backward()

    same_error(build)


def test_second_autograd_grad_through_freed_graph_is_an_error():
    def build(lib):
        x = lib.tensor([1.0, 2.0], requires_grad=True)
        y = x.exp().sum()
        lib.autograd.grad(y, x)
        lib.autograd.grad(y, x)

    same_error(build)


def test_retain_graph_allows_a_second_backward(device):
    def build(lib, dev):
        x = lib.tensor([1.0, 2.0], requires_grad=True, device=dev)
        y = (x * x.exp()).sum()
        y.backward(retain_graph=True)
        first = x.grad.clone()
        y.backward()
        return first, x.grad

    for m_g, t_g in zip(*both(build, device)):
        assert_matches(m_g, t_g)


def test_graph_without_saved_tensors_can_be_walked_twice(device):
    def build(lib, dev):
        x = lib.tensor([1.0, 2.0], requires_grad=True, device=dev)
        y = (x + 1).sum()
        y.backward()
        y.backward()  # nothing was saved, so nothing was freed (as in torch)
        return x.grad

    assert_matches(*both(build, device))


def test_shared_subgraph_freed_after_first_backward():
    def build(lib):
        x = lib.tensor([1.0, 2.0], requires_grad=True)
        shared = x.exp()
        shared.sum().backward()
        (shared * 2).sum().backward()  # reaches ExpBackward0, whose saved result is gone

    same_error(build)


# ---- create_graph and higher derivatives ----

SECOND_DERIVATIVES = [
    lambda lib, x, y: (x**3).sum(),
    lambda lib, x, y: x.sin().sum(),
    lambda lib, x, y: x.cos().sum(),
    lambda lib, x, y: x.exp().sum(),
    lambda lib, x, y: x.log().sum(),
    lambda lib, x, y: x.sqrt().sum(),
    lambda lib, x, y: x.tanh().sum(),
    lambda lib, x, y: x.sigmoid().sum(),
    lambda lib, x, y: (1 / x).sum(),
    lambda lib, x, y: (x / y).sum(),
    lambda lib, x, y: (x * y * x).sum(),
    lambda lib, x, y: (x**y).sum(),
    lambda lib, x, y: (2**x).sum(),
    lambda lib, x, y: (x.unsqueeze(1) @ y.unsqueeze(0)).pow(2).sum(),
    lambda lib, x, y: (x * y).sum() ** 2,
    lambda lib, x, y: x.softmax(0)[0],
    lambda lib, x, y: x.log_softmax(0).sum() + x.max() * x.mean(),
    lambda lib, x, y: ((x - y) ** 2).mean(),
    lambda lib, x, y: x.abs().pow(3).sum(),
    lambda lib, x, y: lib.where(x > 1, x * x, x * y).sum(),
    lambda lib, x, y: x.var() + x.std(),
    lambda lib, x, y: (x.unsqueeze(0) * y.unsqueeze(1)).sum(1).pow(2).sum(),
    lambda lib, x, y: lib.stack([x, y]).exp().sum() + lib.cat([x * y, x]).pow(2).sum(),
]


@pytest.mark.parametrize("function", SECOND_DERIVATIVES)
def test_second_derivatives_match_torch(function, device):
    """grad(grad(f)) with create_graph, and the Hessian-vector product, for both inputs."""

    def build(lib, dev):
        x = lib.tensor([0.5, 1.5, 2.0], dtype=lib.float64, requires_grad=True, device=dev)
        y = lib.tensor([1.2, 0.7, 1.9], dtype=lib.float64, requires_grad=True, device=dev)
        grad_x, grad_y = lib.autograd.grad(function(lib, x, y), (x, y), create_graph=True, materialize_grads=True)
        v = lib.tensor([1.0, -2.0, 0.5], dtype=lib.float64, device=dev)
        hvp = lib.autograd.grad((grad_x * v).sum() + (grad_y * v).sum(), (x, y), allow_unused=True)
        hvp = tuple(lib.zeros_like(x) if h is None else h for h in hvp)
        return (grad_x, grad_y) + hvp

    for m, t in zip(*both(build, device)):
        assert_matches(m, t, atol=1e-10, rtol=1e-9)


def test_third_derivative(device):
    def build(lib, dev):
        x = lib.tensor([0.3, -1.1], dtype=lib.float64, requires_grad=True, device=dev)
        y = (x.sin() * x**2).sum()
        (d1,) = lib.autograd.grad(y, x, create_graph=True)
        (d2,) = lib.autograd.grad(d1.sum(), x, create_graph=True)
        (d3,) = lib.autograd.grad(d2.sum(), x)
        return d1, d2, d3

    for m, t in zip(*both(build, device)):
        assert_matches(m, t, atol=1e-10, rtol=1e-9)


def test_backward_with_create_graph_makes_grad_differentiable(device):
    def build(lib, dev):
        x = lib.tensor([1.0, 2.0], dtype=lib.float64, requires_grad=True, device=dev)
        (x**3).sum().backward(create_graph=True)
        first = x.grad
        assert first.requires_grad and first.grad_fn is not None
        x.grad = None
        first.sum().backward()
        return first, x.grad

    (m_first, m_second), (t_first, t_second) = both(build, device)
    assert_matches(m_first, t_first)
    assert_matches(m_second, t_second)


def test_without_create_graph_gradients_are_constants():
    x = minigrad.tensor([1.0, 2.0], requires_grad=True)
    (g,) = minigrad.autograd.grad((x**3).sum(), x)
    assert not g.requires_grad and g.grad_fn is None
    (x**3).sum().backward()
    assert not x.grad.requires_grad


def test_gradient_of_gradient_norm(device):
    """A gradient penalty: d/dw ||d loss/d x||², as in WGAN-GP."""

    def build(lib, dev):
        w = lib.tensor([[0.5, -1.0], [2.0, 0.3]], dtype=lib.float64, requires_grad=True, device=dev)
        x = lib.tensor([[1.0, 2.0]], dtype=lib.float64, requires_grad=True, device=dev)
        out = (x @ w).tanh().sum()
        (grad_x,) = lib.autograd.grad(out, x, create_graph=True)
        penalty = (grad_x**2).sum()
        penalty.backward()
        return w.grad, x.grad

    for m, t in zip(*both(build, device)):
        assert_matches(m, t, atol=1e-10, rtol=1e-9)


# ---- hooks ----


def test_leaf_hook_can_replace_the_gradient(device):
    def build(lib, dev):
        x = lib.tensor([1.0, 2.0], requires_grad=True, device=dev)
        seen = []
        x.register_hook(lambda grad: seen.append(grad.clone()))  # returns None: observe only
        x.register_hook(lambda grad: grad * 10)  # replaces
        (x * x).sum().backward()
        return seen[0], x.grad

    for m, t in zip(*both(build, device)):
        assert_matches(m, t)


def test_non_leaf_hook_changes_what_flows_upstream(device):
    def build(lib, dev):
        x = lib.tensor([1.0, -2.0, 3.0], requires_grad=True, device=dev)
        hidden = x * 2
        seen = []
        hidden.register_hook(lambda grad: seen.append(grad.clone()))
        hidden.register_hook(lambda grad: grad.clamp(min=0.0))
        (hidden * hidden.detach()).sum().backward()
        return seen[0], x.grad

    for m, t in zip(*both(build, device)):
        assert_matches(m, t)


def test_hook_handle_remove(device):
    def build(lib, dev):
        x = lib.tensor([1.0, 2.0], requires_grad=True, device=dev)
        handle = x.register_hook(lambda grad: grad * 100)
        handle.remove()
        (x * 3).sum().backward()
        return x.grad

    assert_matches(*both(build, device))


def test_hook_runs_once_with_the_summed_gradient(device):
    def build(lib, dev):
        x = lib.tensor([1.0, 2.0], requires_grad=True, device=dev)
        hidden = x * 1
        calls = []
        hidden.register_hook(lambda grad: calls.append(grad.clone()))
        (hidden * 2 + hidden.exp()).sum().backward()
        return len(calls), calls[0], x.grad

    (m_n, m_g, m_x), (t_n, t_g, t_x) = both(build, device)
    assert m_n == t_n == 1
    assert_matches(m_g, t_g)
    assert_matches(m_x, t_x)


def _hook_order(lib, graph):
    """The order in which backward reaches tensors, as hooks on leaves and intermediates see it."""
    order = []
    named, loss = graph(lib)
    for name, tensor in named.items():
        tensor.register_hook(lambda grad, name=name: order.append(name))
    loss.backward()
    return order


def _shared_leaves(lib):
    """Leaves used by several ops, a diamond, a branch that ends at an early leaf."""
    a = lib.tensor([1.0, 2.0], requires_grad=True)
    b = lib.tensor([0.5, -1.0], requires_grad=True)
    c = lib.tensor([3.0, 1.0], requires_grad=True)
    ab = a * b
    abc = ab + c
    t = abc.tanh()
    e = (t * a).exp()
    f = e + ab * c
    return {"a": a, "b": b, "c": c, "ab": ab, "abc": abc, "t": t, "e": e, "f": f}, f.sum()


def _linear_layers(lib):
    """Two nn.Linear layers and the lecture's cost: addmm, t(), a bias that broadcasts."""
    lib.manual_seed(0)
    first, second = lib.nn.Linear(3, 4), lib.nn.Linear(4, 1)
    x = lib.ones(5, 3)
    hidden = first(x).relu()
    out = second(hidden)
    named = {"w1": first.weight, "b1": first.bias, "w2": second.weight, "b2": second.bias}
    named |= {"hidden": hidden, "out": out}
    return named, ((out - 1) ** 2).mean()


@pytest.mark.parametrize("graph", [_shared_leaves, _linear_layers])
def test_backward_reaches_tensors_in_torchs_order(graph):
    """Newest node first, and a leaf's hooks as soon as its gradient is complete, as in torch."""
    assert _hook_order(minigrad, graph) == _hook_order(torch, graph)


def test_leaf_hook_runs_on_autograd_grad_result(device):
    def build(lib, dev):
        x = lib.tensor([1.0, 2.0], requires_grad=True, device=dev)
        x.register_hook(lambda grad: grad + 1)
        return lib.autograd.grad((x * x).sum(), x)[0]

    assert_matches(*both(build, device))


def test_register_hook_on_tensor_that_does_not_require_grad():
    same_error(lambda lib: lib.tensor([1.0]).register_hook(lambda grad: grad))


# ---- retain_grad ----


def test_retain_grad_keeps_non_leaf_gradients(device):
    def build(lib, dev):
        x = lib.tensor([1.0, 2.0], requires_grad=True, device=dev)
        hidden = x.exp()
        hidden.retain_grad()
        other = x * 3
        out = (hidden * other).sum()
        out.backward(retain_graph=True)
        first = hidden.grad.clone()
        out.backward()  # retained gradients accumulate too
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # torch warns when reading a non-leaf's .grad
            unretained = other.grad
        return first, hidden.grad, unretained, hidden.retains_grad, other.retains_grad

    (m_first, m_hidden, m_other, m_r1, m_r2), (t_first, t_hidden, t_other, t_r1, t_r2) = both(build, device)
    assert_matches(m_first, t_first)
    assert_matches(m_hidden, t_hidden)
    assert m_other is None and t_other is None
    assert (m_r1, m_r2) == (t_r1, t_r2) == (True, False)


def test_retain_grad_sees_the_gradient_after_hooks(device):
    def build(lib, dev):
        x = lib.tensor([1.0, 2.0], requires_grad=True, device=dev)
        hidden = x * 2
        hidden.retain_grad()
        hidden.register_hook(lambda grad: grad * 5)
        (hidden**2).sum().backward()
        return hidden.grad, x.grad

    for m, t in zip(*both(build, device)):
        assert_matches(m, t)


def test_retain_grad_on_a_leaf_is_a_no_op():
    x = minigrad.tensor([1.0], requires_grad=True)
    x.retain_grad()
    (x * 2).sum().backward()
    assert x.grad.tolist() == torch.tensor([2.0]).tolist()


# ---- autograd.grad ----


def test_autograd_grad_values_and_no_side_effects(device):
    def build(lib, dev):
        x = lib.tensor([1.0, 2.0], requires_grad=True, device=dev)
        y = lib.tensor([[0.5], [-1.0]], requires_grad=True, device=dev)
        out = (x * y).exp().sum()
        grads = lib.autograd.grad(out, [x, y])
        assert x.grad is None and y.grad is None  # grad() returns, backward() stores
        return grads

    for m, t in zip(*both(build, device)):
        assert_matches(m, t)


def test_autograd_grad_with_grad_outputs_and_several_outputs(device):
    def build(lib, dev):
        x = lib.tensor([1.0, 2.0, 3.0], requires_grad=True, device=dev)
        a, b = x * x, x.sin().sum()
        return lib.autograd.grad([a, b], x, grad_outputs=[lib.tensor([1.0, 0.0, -1.0], device=dev), None])

    for m, t in zip(*both(build, device)):
        assert_matches(m, t)


def test_autograd_grad_of_an_intermediate(device):
    def build(lib, dev):
        x = lib.tensor([1.0, 2.0], requires_grad=True, device=dev)
        hidden = x * 3
        out = (hidden**2).sum()
        return lib.autograd.grad(out, hidden)

    for m, t in zip(*both(build, device)):
        assert_matches(m, t)


def test_autograd_grad_allow_unused(device):
    def build(lib, dev):
        x = lib.tensor([1.0], requires_grad=True, device=dev)
        unused = lib.tensor([2.0], requires_grad=True, device=dev)
        return lib.autograd.grad((x * 2).sum(), [x, unused], allow_unused=True)

    (m_x, m_unused), (t_x, t_unused) = both(build, device)
    assert_matches(m_x, t_x)
    assert m_unused is None and t_unused is None


def test_autograd_grad_unused_input_is_torchs_error():
    def build(lib):
        x = lib.tensor([1.0], requires_grad=True)
        unused = lib.tensor([2.0], requires_grad=True)
        lib.autograd.grad((x * 2).sum(), [x, unused])

    same_error(build)


def test_autograd_grad_materialize_grads():
    def build(lib, dev):
        x = lib.tensor([1.0], requires_grad=True)
        unused = lib.tensor([2.0, 3.0], requires_grad=True)
        return lib.autograd.grad((x * 2).sum(), [x, unused], materialize_grads=True)

    for m, t in zip(*both(build, "cpu")):
        assert_matches(m, t)


def test_autograd_grad_input_that_does_not_require_grad():
    same_error(lambda lib: lib.autograd.grad((lib.ones(1, requires_grad=True) * 2).sum(), lib.ones(1)))


def test_autograd_grad_output_that_does_not_require_grad():
    same_error(lambda lib: lib.autograd.grad(lib.ones(1).sum(), lib.ones(1, requires_grad=True)))


def test_backward_on_tensor_that_does_not_require_grad():
    same_error(lambda lib: lib.ones(2).sum().backward())


# ---- grad mode ----


def test_no_grad_context():
    for lib in (minigrad, torch):
        x = lib.ones(2, requires_grad=True)
        with lib.no_grad():
            assert not lib.is_grad_enabled()
            y = x * 2
            with lib.enable_grad():
                assert lib.is_grad_enabled()
                z = x * 2
            w = x * 2
        assert lib.is_grad_enabled()
        assert (y.requires_grad, z.requires_grad, w.requires_grad) == (False, True, False)
        assert y.grad_fn is None and z.grad_fn is not None


def test_no_grad_restores_mode_after_an_exception():
    for lib in (minigrad, torch):
        with pytest.raises(ValueError), lib.no_grad():
            raise ValueError
        assert lib.is_grad_enabled()


def test_set_grad_enabled_as_function_and_context():
    for lib in (minigrad, torch):
        x = lib.ones(2, requires_grad=True)
        with lib.set_grad_enabled(False):
            assert not (x * 2).requires_grad
        assert lib.is_grad_enabled()
        lib.set_grad_enabled(False)
        try:
            assert not lib.is_grad_enabled() and not (x * 2).requires_grad
        finally:
            lib.set_grad_enabled(True)
        assert lib.is_grad_enabled() and (x * 2).requires_grad
        with lib.no_grad(), lib.set_grad_enabled(True):
            assert (x * 2).requires_grad


def test_grad_mode_decorators():
    for lib in (minigrad, torch):
        x = lib.ones(2, requires_grad=True)

        @lib.no_grad()
        def double(t):
            return t * 2

        @lib.no_grad
        def triple(t):
            return t * 3

        @lib.enable_grad()
        def quadruple(t):
            return t * 4

        @lib.set_grad_enabled(False)
        def quintuple(t):
            return t * 5

        assert lib.is_grad_enabled()  # making the decorator switched nothing
        assert not double(x).requires_grad and not triple(x).requires_grad and not quintuple(x).requires_grad
        assert double.__name__ == "double"
        with lib.no_grad():
            assert quadruple(x).requires_grad
        assert lib.is_grad_enabled()


def test_grad_mode_is_thread_local():
    """no_grad in one thread switches recording off in that thread only (as in torch)."""
    for lib in (minigrad, torch):
        x = lib.ones(2, requires_grad=True)
        entered, release = threading.Event(), threading.Event()
        seen = {}

        def worker(lib=lib, x=x, entered=entered, release=release, seen=seen):
            seen["start"] = lib.is_grad_enabled()
            with lib.no_grad():
                entered.set()
                release.wait(5)
                seen["inside"] = (x * 2).requires_grad

        with lib.no_grad():  # a new thread starts with grad mode on, whatever this thread does
            thread = threading.Thread(target=worker)
            thread.start()
            entered.wait(5)
        assert lib.is_grad_enabled() and (x * 2).requires_grad  # the worker's no_grad is not ours
        release.set()
        thread.join(5)
        assert seen == {"start": True, "inside": False}


def test_in_place_update_under_no_grad_is_not_recorded():
    x = minigrad.tensor([1.0, 2.0], requires_grad=True)
    with minigrad.no_grad():
        x.mul_(2)
    assert x.is_leaf and x.grad_fn is None and x.requires_grad


# ---- version counter: saved tensors modified in place ----

VERSION_CASES = [
    # (name, build): build(lib, x) makes a graph, modifies something in place, returns the loss
    ("input saved by mul", lambda lib, x: _mul_saved_input(lib, x)),
    ("input saved by pow", lambda lib, x: _pow_saved_input(lib, x)),
    ("input saved by sin", lambda lib, x: _then_loss(x * 1, lambda a: (a.sin(), a.mul_(2))[0])),
    ("both inputs of div", lambda lib, x: _then_loss(x + 1, lambda a: (x / a, a.sub_(0.5))[0])),
    ("not saved by add", lambda lib, x: _add_unsaved(lib, x)),
    ("modified before use", lambda lib, x: _modified_before_use(lib, x)),
    ("detach shares version", lambda lib, x: _detach_shares_version(lib, x)),
    ("setitem on saved input", lambda lib, x: _then_loss(x * 2, lambda a: (a.exp() * a, a.__setitem__(1, 0.0))[0])),
    ("saved output changed through a slice", lambda lib, x: _then_loss(x * 1, lambda a: _changed_view(a.exp(), 1))),
    ("saved input changed through t()", lambda lib, x: _saved_then_changed_through(x, lambda a: a.reshape(1, 3).t())),
    ("saved input changed through reshape", lambda lib, x: _saved_then_changed_through(x, lambda a: a.reshape(3, 1))),
    ("saved base of a changed view", lambda lib, x: _saved_then_changed_through(x, lambda a: a[0])),
    ("output of exp_ changed after", lambda lib, x: _changed_after_in_place(x * 1, lambda a: a)),
    (
        "output of tanh_ on a view, base changed",
        lambda lib, x: _changed_after_in_place(x * 1, lambda a: a[1:], "tanh_"),
    ),
    (
        "sigmoid_ on a view, then unchanged",
        lambda lib, x: _changed_after_in_place(x * 1, lambda a: a[:2], "sigmoid_", 0),
    ),
]


def _changed_after_in_place(a, view_of, name="exp_", factor=2.0):
    """An op that saves its output, run in place: its output *is* the tensor it changed, so a
    later change to that tensor is backward's error, as in PyTorch (unless nothing changes)."""
    getattr(view_of(a), name)()
    if factor:
        a.mul_(factor)
    return (a * a).sum()


def _changed_view(y, start):
    y[start:].add_(1)  # a view of y: changes y's storage and version
    return y


def _saved_then_changed_through(x, view_of):
    a = x * 1
    out = (a * a).sum()  # saves a
    view_of(a).mul_(2)
    return out


def _then_loss(a, use_then_modify):
    return use_then_modify(a).sum()


def _mul_saved_input(lib, x):
    a = x * 1
    out = (a * a).sum()
    a.mul_(2)
    return out


def _pow_saved_input(lib, x):
    a = x + 0
    out = (a**2).sum()
    a[0] = 5.0
    return out


def _add_unsaved(lib, x):
    a = x * 1
    out = (a + 1).sum()  # add saves nothing, so changing a afterwards is fine
    a.add_(1)
    return out


def _modified_before_use(lib, x):
    a = x * 1
    a.add_(1)
    return (a * a).sum()  # saved after the change: fine


def _detach_shares_version(lib, x):
    a = x * 1
    out = (a * a).sum()
    a.detach().zero_()  # detach() shares storage and version with a
    return out


@pytest.mark.parametrize("build", [b for _, b in VERSION_CASES], ids=[n for n, _ in VERSION_CASES])
def test_version_counter_like_torch(build, device):
    t_x = torch.tensor([1.0, 2.0, 3.0], requires_grad=True)
    m_x = minigrad.tensor([1.0, 2.0, 3.0], requires_grad=True, device=device)
    t_loss, m_loss = build(torch, t_x), build(minigrad, m_x)
    try:
        t_loss.backward()
    except RuntimeError as error:
        assert "modified by an inplace operation" in str(error)
        with pytest.raises(
            RuntimeError,
            match=r"^one of the variables needed for gradient computation has been modified by an inplace operation: "
            r"\[.*\], which is output 0 of \w+, is at version \d+; expected version \d+ instead",
        ):
            m_loss.backward()
        return
    m_loss.backward()
    assert_matches(m_x.grad, t_x.grad)


def test_version_counter_message_names_versions_like_torch():
    messages = []
    for lib in (minigrad, torch):
        x = lib.tensor([1.0, 2.0, 3.0], requires_grad=True)
        a = x * 1
        out = (a * a).sum()
        a.add_(1)
        a.mul_(2)
        with pytest.raises(RuntimeError) as error:
            out.backward()
        messages.append(str(error.value))
    assert "is at version 2; expected version 0 instead" in messages[1]
    assert messages[0] == messages[1].replace("torch.autograd", "minigrad.autograd")


@pytest.mark.parametrize("name", ["exp", "tanh", "sigmoid", "relu"])
def test_modifying_a_saved_output_in_place_is_torchs_error(name, device):
    """exp, tanh, sigmoid and relu save their output, as PyTorch's do, so changing it in place
    before backward is an error, named after the op that made it."""
    messages = []
    for lib, dev in ((minigrad, device), (torch, "cpu")):
        x = lib.tensor([0.5, -1.0], requires_grad=True, device=dev)
        y = getattr(x, name)()
        y.add_(1)
        with pytest.raises(RuntimeError) as error:
            y.sum().backward()
        messages.append(str(error.value).split(" Hint")[0])
    assert messages[0] == messages[1]


@pytest.mark.parametrize("name", ["exp", "tanh", "sigmoid"])
def test_saved_outputs_give_second_derivatives_like_torch(name, device):
    """A saved output is saved detached (no reference cycle); with create_graph it is reconnected
    to its node, so the gradient of the gradient still reaches x."""
    results = []
    for lib, dev in ((minigrad, device), (torch, "cpu")):
        x = lib.tensor([0.5, -1.0, 2.0], requires_grad=True, device=dev)
        (grad,) = lib.autograd.grad(getattr(x, name)().sum(), x, create_graph=True)
        (grad_of_grad,) = lib.autograd.grad(grad.sum(), x)
        results.append((grad, grad_of_grad))
    for m, t in zip(*results):
        assert_matches(m.detach(), t.detach())


def test_a_saved_output_is_exposed_as_torchs_saved_result_without_a_reference_cycle():
    import gc
    import weakref

    x = minigrad.tensor([0.5, -1.0], requires_grad=True)
    y = x.exp()
    saved = y.grad_fn._saved_result
    assert saved.tolist() == y.tolist()
    assert saved.grad_fn is y.grad_fn  # as torch: unpacked, it is the node's output again
    node = weakref.ref(y.grad_fn)
    del saved
    gc.disable()
    try:
        del y  # node -> saved output -> node would be a cycle only the garbage collector frees
        assert node() is None
    finally:
        gc.enable()


# ---- leaf.grad without needless copies (issue 7), and never an alias ----


def test_first_gradient_keeps_the_engines_buffer_without_a_copy():
    """A gradient only the engine holds becomes leaf.grad as it is (PyTorch steals it too)."""
    x = minigrad.tensor([1.0, 2.0], requires_grad=True)
    made = []
    y = x * 3
    y.grad_fn.register_hook(lambda grad_inputs, grad_outputs: made.append(id(grad_inputs[0]._array)))
    y.backward(minigrad.ones(2))
    assert id(x.grad._array) == made[0]  # the array MulBackward0 made, not a copy of it


def test_a_transposed_weight_gradient_is_kept_without_a_copy():
    """nn.Linear's weight gradient arrives as a transposed view of a fresh product; the view is
    kept (its buffer is seen by nobody else), and it is row-major like the weight."""
    layer = minigrad.nn.Linear(4, 3)
    made = []
    out = layer(minigrad.ones(2, 4))
    out.grad_fn.register_hook(lambda grad_inputs, grad_outputs: made.append(id(grad_inputs[2]._array.base)))
    out.sum().backward()
    assert id(layer.weight.grad._array.base) == made[0]
    assert layer.weight.grad._array.flags.c_contiguous


@pytest.mark.parametrize(
    "build",
    [
        lambda lib, x, y: ((x + y) * 2).sum(),  # AddBackward0 hands one tensor to both leaves
        lambda lib, x, y: (x * 1 + x * 1).sum() + y.sum(),  # two gradients for one leaf
        lambda lib, x, y: lib.stack([x, y]).sum(),  # slices of one gradient buffer
        lambda lib, x, y: (x.view(2, 1) * 2).sum() + (y.clone() * 3).sum(),  # views and pass-throughs
        lambda lib, x, y: (x.view(1, 2).t() * 2).sum() + y.expand(3, 2).sum(),  # transposed views, broadcasts
        lambda lib, x, y: (x * y).sum() + (x * y).sum(),  # pending sums taken in place
        lambda lib, x, y: x.sum() + y.mean(),  # a broadcast (read-only, one element) reaches each leaf
    ],
)
def test_leaf_gradients_never_share_memory_and_accumulate_like_torch(build, device):
    """Whatever the engine hands a leaf, a second backward's in-place accumulation must not
    reach another leaf's .grad or the caller's tensors."""
    results = []
    for lib, dev in ((minigrad, device), (torch, "cpu")):
        x = lib.tensor([1.0, -2.0], requires_grad=True, device=dev)
        y = lib.tensor([0.5, 3.0], requires_grad=True, device=dev)
        build(lib, x, y).backward()
        first = (x.grad.clone(), y.grad.clone())
        build(lib, x, y).backward()
        results.append((first, (x.grad, y.grad)))
        if lib is minigrad and device == "cpu":
            assert not np.shares_memory(x.grad._array, y.grad._array)
    (m_first, m_second), (t_first, t_second) = results
    for m, t in zip(m_first + m_second, t_first + t_second):
        assert_matches(m, t)


def test_a_gradient_the_caller_holds_is_copied_into_grad():
    x = minigrad.tensor([1.0, 2.0], requires_grad=True)
    upstream = minigrad.tensor([1.0, 1.0])
    x.clone().backward(upstream)  # CloneBackward0 passes the caller's tensor through unchanged
    x.clone().backward(upstream)  # ...and accumulating into x.grad must not change it
    assert upstream.tolist() == [1.0, 1.0]
    assert x.grad.tolist() == [2.0, 2.0]


def test_relu_backward_stops_even_infinite_gradients_like_torch():
    """ReluBackward0 runs one masking op (PyTorch's threshold_backward); where it stops the
    gradient the result is 0 even for an inf or nan upstream gradient (inf·0 would be nan)."""
    results = []
    for lib in (minigrad, torch):
        x = lib.tensor([-1.0, 0.0, 2.0, float("nan"), -3.0], requires_grad=True)
        x.relu().backward(lib.tensor([float("inf"), 1.0, float("nan"), 3.0, float("nan")]))
        (grad_of_grad,) = lib.autograd.grad(lib.autograd.grad(x.relu().pow(2).sum(), x, create_graph=True)[0].sum(), x)
        results.append((x.grad, grad_of_grad))
    for m, t in zip(*results):
        np.testing.assert_array_equal(m.numpy(), t.numpy())


def test_a_saved_second_output_is_recognised_as_an_output():
    """A Function whose first output is an array and whose second, a Tensor, is saved: that
    tensor is still saved as an output (reconnected under create_graph, named in the error)."""

    class Two(minigrad.autograd.Function):
        @staticmethod
        def forward(ctx, x):
            doubled = minigrad.tensor(x.detach().numpy() * 2)
            tripled = minigrad.tensor(x.detach().numpy() * 3)
            ctx.save_for_backward(tripled)
            return doubled._array, tripled

        @staticmethod
        def backward(ctx, grad_doubled, grad_tripled):
            (tripled,) = ctx.saved_tensors
            return grad_doubled * 2 + grad_tripled * tripled

    x = minigrad.tensor([1.0, 2.0], requires_grad=True)
    doubled, tripled = Two.apply(x)
    tripled.add_(1)
    with pytest.raises(RuntimeError, match="which is output 1 of Two, is at version 1"):
        (doubled.sum() + tripled.sum()).backward()


# ---- views: an in-place change through a view reaches its base, as in PyTorch ----
#
# Each build(lib, x) changes a view in place (or the base of a live view) and returns a loss; the
# loss and x.grad must be torch's. Without view tracking these give silently wrong gradients.


def _slice_scaled(lib, x):
    y = x * 2
    y[1:].mul_(3)
    return (y * y).sum()


def _row_of_reshape_scaled(lib, x):
    y = x * 2
    y.reshape(2, 2)[0].mul_(3)
    return (y * y).sum()


def _view_of_a_view(lib, x):
    y = x * 2
    y.view(2, 2).t().mul_(lib.tensor([[1.0, 2.0], [3.0, 4.0]], device=x.device))
    return (y * y).sum()


def _element_shifted(lib, x):
    y = x * 2
    y[0].add_(x[1])  # the value written depends on x too
    return (y * y).sum()


def _base_changed_view_used(lib, x):
    y = x * 2
    view = y[1:]
    y.mul_(3)  # the view now holds 6x: its history must say so
    return (view * view).sum()


def _sibling_view_changed(lib, x):
    y = x * 2
    first, last = y[:2], y[1:]
    first.mul_(x[:2])  # changes y[1], which `last` sees
    return (last * last).sum() + (first * first).sum()


def _copied_into_plain_base(lib, x):
    y = lib.zeros(4, device=x.device)
    y[1:].copy_(x[1:] * 2)  # y had no history: now it does
    return (y * y).sum()


def _setitem_on_a_view(lib, x):
    y = x * 2
    y.view(2, 2)[0, 1] = x[0] * 5
    return (y * y).sum()


def _squeezed_view_changed(lib, x):
    y = (x * 2).reshape(1, 4)
    y.squeeze(0).unsqueeze(1).exp_()
    return (y * y).sum()


VIEW_CASES = [
    _slice_scaled,
    _row_of_reshape_scaled,
    _view_of_a_view,
    _element_shifted,
    _base_changed_view_used,
    _sibling_view_changed,
    _copied_into_plain_base,
    _setitem_on_a_view,
    _squeezed_view_changed,
]


@pytest.mark.parametrize("build", VIEW_CASES, ids=[b.__name__.strip("_") for b in VIEW_CASES])
def test_in_place_through_a_view_gives_torchs_gradients(build, device):
    results = []
    for lib, dev in ((minigrad, device), (torch, "cpu")):
        x = lib.tensor([1.0, 2.0, 3.0, 4.0], requires_grad=True, device=dev)
        loss = build(lib, x)
        loss.backward()
        results.append((loss, x.grad))
    (m_loss, m_grad), (t_loss, t_grad) = results
    assert_matches(m_loss, t_loss)
    assert_matches(m_grad, t_grad)


@pytest.mark.parametrize("build", VIEW_CASES[:4], ids=[b.__name__.strip("_") for b in VIEW_CASES[:4]])
def test_in_place_through_a_view_gives_torchs_second_derivatives(build, device):
    """CopySlices' backward is itself differentiable (create_graph=True)."""
    results = []
    for lib, dev in ((minigrad, device), (torch, "cpu")):
        x = lib.tensor([1.0, 2.0, 3.0, 4.0], requires_grad=True, device=dev)
        (grad,) = lib.autograd.grad(build(lib, x), x, create_graph=True)
        (grad_of_grad,) = lib.autograd.grad((grad * grad).sum(), x)
        results.append((grad, grad_of_grad))
    for m, t in zip(*results):
        assert_matches(m, t)


def test_a_view_shares_its_base_and_version_like_torch(device):
    for lib, dev in ((minigrad, device), (torch, "cpu")):
        x = lib.tensor([[1.0, 2.0], [3.0, 4.0]], requires_grad=True, device=dev)
        y = x * 1
        view = y.t()[1:]
        assert view._base is y and y._base is None
        view.add_(1)
        assert version(view) == version(y) == 1
        assert y.grad_fn.name().removeprefix("torch::autograd::") == "CopySlices"


def test_in_place_through_views_that_autograd_does_not_see_is_allowed_like_torch():
    results = []
    for lib in (minigrad, torch):
        plain = lib.zeros(4)
        with lib.no_grad():
            view = plain[1:]
        view.add_(1)  # nothing requires grad: no error
        pieces = plain.split(2)
        pieces[0].add_(1)
        y = lib.tensor([1.0, 2.0], requires_grad=True) * 1
        with lib.no_grad():
            y.unbind()[0].mul_(3)  # not recorded: allowed
        results.append((plain, y.detach()))
    for m, t in zip(*results):
        assert_matches(m, t)


def test_reading_a_non_leafs_grad_warns_as_pytorch():
    """y.grad of y = w * 2 is None, with PyTorch's warning; after retain_grad(), and for leaves, none."""
    caught_by_lib = []
    for lib in (minigrad, torch):
        w = lib.tensor([1.0, 2.0], requires_grad=True)
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            y = w * 2
            assert y.grad is None
            y.retain_grad()
            (y * y).sum().backward()
            assert w.grad is not None and y.grad is not None and lib.ones(2).grad is None
        caught_by_lib.append([str(c.message).split(" (Triggered internally")[0] for c in caught])
    assert caught_by_lib[0] == caught_by_lib[1] and len(caught_by_lib[0]) == 1


def test_the_version_counter_reads_as_in_pytorch():
    versions = []
    for lib in (minigrad, torch):
        x = lib.ones(3)
        view = x[1:]
        counts = [x._version]
        x.add_(1)
        view.mul_(2)
        x[0] = 5.0
        counts += [x._version, view._version]
        versions.append(counts)
    assert versions[0] == versions[1]


def _assert_nested_close(ours, theirs):
    """Tensors, or tuples of them (nested as PyTorch nests them), equal to PyTorch's."""
    assert isinstance(ours, tuple) == isinstance(theirs, tuple), (type(ours), type(theirs))
    if isinstance(theirs, tuple):
        assert len(ours) == len(theirs)
        for our_part, their_part in zip(ours, theirs):
            _assert_nested_close(our_part, their_part)
    else:
        assert_close(ours, theirs)


JACOBIAN_CASES = [
    ("elementwise", lambda lib: (lambda x: x**2 * x.sin(), lib.tensor([1.0, 2.0, -0.5]))),
    (
        "matrix product",
        lambda lib: (lambda a, b: a @ b, (lib.tensor([[1.0, 2.0], [3.0, -1.0]]), lib.tensor([0.5, -2.0]))),
    ),
    ("two outputs", lambda lib: (lambda x: (x.exp(), x.sum()), lib.tensor([0.1, 0.2]))),
    ("unused input", lambda lib: (lambda x, y: x * 3, (lib.tensor([1.0, 2.0]), lib.tensor([5.0])))),
    ("constant output", lambda lib: (lambda x: lib.ones(2), lib.tensor([1.0, 2.0]))),
    ("matrix to scalar", lambda lib: (lambda w: (w.tanh() ** 2).mean(), lib.tensor([[0.1, -0.4], [1.2, 0.3]]))),
]


@pytest.mark.parametrize("case", [c for _, c in JACOBIAN_CASES], ids=[n for n, _ in JACOBIAN_CASES])
@pytest.mark.parametrize("create_graph", [False, True])
def test_jacobian_is_pytorchs(case, create_graph):
    results = []
    for lib in (minigrad, torch):
        func, inputs = case(lib)
        results.append(lib.autograd.functional.jacobian(func, inputs, create_graph=create_graph))
    _assert_nested_close(*results)


HESSIAN_CASES = [
    ("cubic", lambda lib: (lambda x: (x**3).sum(), lib.tensor([1.0, 2.0]))),
    (
        "two inputs",
        lambda lib: (lambda x, y: (x * y.exp()).sum() + (x**2).sum(), (lib.tensor([1.0, -1.0]), lib.tensor([0.5]))),
    ),
    (
        "softplus of a matrix",
        lambda lib: (lambda w: lib.nn.functional.softplus(w).sum(), lib.tensor([[0.3, -1.0], [2.0, 0.1]])),
    ),
]


@pytest.mark.parametrize("case", [c for _, c in HESSIAN_CASES], ids=[n for n, _ in HESSIAN_CASES])
def test_hessian_is_pytorchs(case):
    results = []
    for lib in (minigrad, torch):
        func, inputs = case(lib)
        results.append(lib.autograd.functional.hessian(func, inputs))
    _assert_nested_close(*results)


def test_jacobian_with_create_graph_can_be_differentiated_again():
    """create_graph=True keeps the jacobian in the graph: its sum's gradient is the Hessian's row sums."""
    grads = []
    for lib in (minigrad, torch):
        x = lib.tensor([0.5, -1.5, 2.0], requires_grad=True)
        jac = lib.autograd.functional.jacobian(lambda v: v.sin() * v, x, create_graph=True)
        jac.sum().backward()
        grads.append(x.grad)
    _assert_nested_close(*grads)


PRODUCT_CASES = [  # (name, product, case(lib) -> (func, inputs, v))
    ("vjp", "vjp", lambda lib: (lambda x: x**2 * x.cos(), lib.tensor([1.0, 2.0, -0.5]), lib.tensor([1.0, -1.0, 0.5]))),
    (
        "vjp tuple",
        "vjp",
        lambda lib: (
            lambda a, b: a @ b,
            (lib.tensor([[1.0, 2.0], [3.0, -1.0]]), lib.tensor([0.5, -2.0])),
            lib.tensor([1.0, 2.0]),
        ),
    ),
    ("vjp scalar, no v", "vjp", lambda lib: (lambda x: (x.exp() * x).sum(), lib.tensor([0.1, -0.3]), None)),
    ("jvp", "jvp", lambda lib: (lambda x: x.tanh() * x, lib.tensor([0.5, -1.5, 2.0]), lib.tensor([1.0, 0.0, -2.0]))),
    (
        "jvp two outputs",
        "jvp",
        lambda lib: (lambda x: (x.exp(), x.sum()), lib.tensor([0.1, 0.2]), lib.tensor([1.0, 3.0])),
    ),
    ("vhp", "vhp", lambda lib: (lambda x: (x**3).sum(), lib.tensor([1.0, 2.0]), lib.tensor([1.0, -1.0]))),
    ("hvp", "hvp", lambda lib: (lambda x: (x.sin() * x).sum(), lib.tensor([0.3, 1.2]), lib.tensor([2.0, 0.5]))),
    (
        "vhp unused input",
        "vhp",
        lambda lib: (
            lambda x, y: (x**3).sum(),
            (lib.tensor([1.0, 2.0]), lib.tensor([3.0])),
            (lib.ones(2), lib.ones(1)),
        ),
    ),
    (
        "vhp tuple",
        "vhp",
        lambda lib: (
            lambda x, y: (x * y.exp()).sum(),
            (lib.tensor([1.0, -1.0]), lib.tensor([0.5, 0.2])),
            (lib.tensor([1.0, 0.0]), lib.tensor([0.0, 1.0])),
        ),
    ),
]


@pytest.mark.parametrize("product, case", [(p, c) for _, p, c in PRODUCT_CASES], ids=[n for n, _, _ in PRODUCT_CASES])
def test_vector_products_are_pytorchs(product, case):
    results = []
    for lib in (minigrad, torch):
        func, inputs, v = case(lib)
        results.append(getattr(lib.autograd.functional, product)(func, inputs, v))
    _assert_nested_close(*results)
