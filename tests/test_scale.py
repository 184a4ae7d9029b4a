"""
Scale, memory and threads: deep and wide graphs, what backward frees, and grad mode per thread.

  * a 100,000-op chain and a tensor used 10,000 times give the closed-form gradient, with no
    RecursionError (the engine's walk is a loop);
  * after backward the saved tensors are gone, and once the output is dropped so is the graph:
    weak references prove it, with the cycle collector switched off (reference counting alone
    must free everything, so the graph holds no reference cycles);
  * `no_grad` in one thread leaves another thread recording, and two models trained in two
    threads end up exactly where the same training run serially ends up.
"""

from __future__ import annotations

import contextlib
import copy
import gc
import sys
import threading
import weakref

import pytest

import minigrad
from minigrad import nn

CHAIN_LENGTH = 100_000
FAN_OUT = 10_000


@contextlib.contextmanager
def cycle_collector_off():
    """Only reference counting frees objects inside this block."""
    was_enabled = gc.isenabled()
    gc.collect()  # start clean: nothing left over from earlier tests
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


@contextlib.contextmanager
def low_recursion_limit(limit: int = 200):
    """A recursive walk over a long chain would fail at once under this limit."""
    previous = sys.getrecursionlimit()
    sys.setrecursionlimit(limit)
    try:
        yield
    finally:
        sys.setrecursionlimit(previous)


# ---- deep and wide graphs ----


def test_backward_through_a_100k_op_chain_then_free_it():
    """The gradient is the closed form; backward frees what the chain saved; dropping the output
    frees the chain itself, by reference counting alone and without recursing through it."""
    factor = 1.00001
    with cycle_collector_off():
        x = minigrad.tensor(0.5, dtype=minigrad.float64, requires_grad=True)
        y = x
        for step in range(CHAIN_LENGTH // 2):
            y = y * factor + 0.25  # two ops per step: d(y)/d(previous y) = factor
            if step == CHAIN_LENGTH // 4:
                middle = weakref.ref(y)  # the next multiplication saves it
                middle_node = weakref.ref(y.grad_fn)
        assert middle() is not None
        with low_recursion_limit():
            y.backward()
        assert middle() is None, "backward released the saved tensor"
        assert middle_node() is not None  # the graph's structure lives as long as its output
        del y
        assert middle_node() is None, "dropping the output freed the chain"
    assert x.grad.item() == pytest.approx(factor ** (CHAIN_LENGTH // 2), rel=1e-9)


def test_backward_through_a_tensor_reused_10k_times():
    x = minigrad.tensor([1.0, -2.0], dtype=minigrad.float64, requires_grad=True)
    total = x * 0.0
    for i in range(FAN_OUT):
        total = total + x * float(i)  # x feeds 10,000 multiplications
    with low_recursion_limit():
        total.sum().backward()
    expected = sum(range(FAN_OUT))  # d/dx Σ i·x = Σ i
    assert x.grad.tolist() == [expected, expected]


def test_backward_through_a_10k_wide_fan_out():
    """One leaf, 10,000 parallel branches joined by one stack: its AccumulateGrad has 10,000 edges in."""
    x = minigrad.tensor(3.0, dtype=minigrad.float64, requires_grad=True)
    minigrad.stack([x * float(i) for i in range(FAN_OUT)]).sum().backward()
    assert x.grad.item() == sum(range(FAN_OUT))  # d/dx Σ i·x = Σ i


def test_deep_chain_with_create_graph_gives_second_derivative():
    x = minigrad.tensor(0.3, dtype=minigrad.float64, requires_grad=True)
    y = x
    for _ in range(2_000):
        y = y * 1.001
    y = y * y  # y = (c·x)², c = 1.001^2000
    (grad,) = minigrad.autograd.grad(y, x, create_graph=True)
    (second,) = minigrad.autograd.grad(grad, x)
    c = 1.001**2_000
    assert grad.item() == pytest.approx(2 * c * c * 0.3)
    assert second.item() == pytest.approx(2 * c * c)


# ---- memory: what backward frees ----


def test_backward_frees_saved_tensors():
    x = minigrad.randn(3, requires_grad=True)
    hidden = x * 2
    saved = weakref.ref(hidden)  # sin saves its input
    y = hidden.sin().sum()
    del hidden
    assert saved() is not None, "the graph keeps what backward will need"
    y.backward()
    assert saved() is None, "backward released the saved tensor"
    assert y.grad_fn is not None  # the graph's structure stays while y is alive, as in PyTorch


def test_retain_graph_keeps_saved_tensors_until_the_last_backward():
    x = minigrad.randn(3, requires_grad=True)
    hidden = x * 2
    saved = weakref.ref(hidden)
    y = (hidden * hidden).sum()
    del hidden
    y.backward(retain_graph=True)
    assert saved() is not None
    y.backward()
    assert saved() is None


def _graph_and_weakrefs(x):
    """A small network's forward: the loss, and weak references to every node and intermediate."""
    h = (x * 2).tanh()
    z = h.matmul(minigrad.ones(3, 2)).sigmoid()
    loss = (z.log_softmax(1) ** 2).mean()
    nodes = []
    stack = [loss.grad_fn]
    while stack:
        node = stack.pop()
        nodes.append(weakref.ref(node))
        stack.extend(next_node for next_node, _ in node.next_functions if next_node is not None)
    return loss, [weakref.ref(h)] + nodes  # h is saved by matmul; z by nothing (not kept)


@pytest.mark.parametrize("run_backward", [True, False], ids=["after-backward", "without-backward"])
def test_graph_is_freed_by_reference_counting_alone(run_backward):
    """No reference cycles: with the cycle collector off, dropping the output frees the graph."""
    with cycle_collector_off():
        x = minigrad.randn(4, 3, requires_grad=True)
        loss, refs = _graph_and_weakrefs(x)
        assert len(refs) > 8 and all(ref() is not None for ref in refs)
        if run_backward:
            loss.backward()
        del loss
        alive = [ref() for ref in refs if ref() is not None]
        assert alive == [], f"kept alive without the cycle collector: {alive}"
        if run_backward:
            assert x.grad is not None  # the leaf and its gradient stay


def test_leaf_and_model_are_freed_by_reference_counting_alone():
    with cycle_collector_off():
        model = nn.Sequential(nn.Linear(3, 4), nn.Tanh(), nn.Linear(4, 1))
        optimizer = minigrad.optim.SGD(model.parameters(), lr=0.1, momentum=0.9)
        x = minigrad.randn(8, 3)
        for _ in range(3):
            optimizer.zero_grad()
            nn.functional.mse_loss(model(x), minigrad.zeros(8, 1)).backward()
            optimizer.step()
        refs = [weakref.ref(p) for p in model.parameters()] + [weakref.ref(model), weakref.ref(optimizer)]
        del model, optimizer
        assert [ref() for ref in refs if ref() is not None] == []


class SquareSavingOutput(minigrad.autograd.Function):
    """A user Function that saves its own output, as PyTorch users often do (exp, tanh, sigmoid)."""

    @staticmethod
    def forward(ctx, x):
        out = x * x
        ctx.save_for_backward(x, out)
        return out

    @staticmethod
    def backward(ctx, grad_output):
        x, out = ctx.saved_tensors
        return grad_output * 2 * x


def test_function_saving_its_output_makes_no_cycle():
    with cycle_collector_off():
        x = minigrad.randn(3, requires_grad=True)
        y = SquareSavingOutput.apply(x)
        node = weakref.ref(y.grad_fn)
        output = weakref.ref(y)
        del y
        assert node() is None and output() is None


# ---- threads ----


def test_grad_mode_is_per_thread():
    inside_no_grad = threading.Event()
    other_thread_done = threading.Event()
    results = {}

    def no_grad_thread():
        with minigrad.no_grad():
            inside_no_grad.set()
            other_thread_done.wait(timeout=10)  # stay in no_grad while the other thread records
            results["no_grad"] = (minigrad.ones(2, requires_grad=True) * 2).requires_grad
            results["no_grad_mode"] = minigrad.is_grad_enabled()

    def recording_thread():
        inside_no_grad.wait(timeout=10)
        x = minigrad.ones(2, requires_grad=True)
        y = (x * 3).sum()
        results["recording"] = y.requires_grad
        results["recording_mode"] = minigrad.is_grad_enabled()
        y.backward()
        results["grad"] = x.grad.tolist()
        other_thread_done.set()

    threads = [threading.Thread(target=no_grad_thread), threading.Thread(target=recording_thread)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=20)
    assert results == {
        "no_grad": False,
        "no_grad_mode": False,
        "recording": True,
        "recording_mode": True,
        "grad": [3.0, 3.0],
    }
    assert minigrad.is_grad_enabled()  # the main thread was never touched


def test_a_new_thread_starts_with_grad_enabled():
    seen = []
    with minigrad.no_grad():
        thread = threading.Thread(target=lambda: seen.append(minigrad.is_grad_enabled()))
        thread.start()
        thread.join()
    assert seen == [True]


def _train(model, x, target, steps, start=None):
    if start is not None:
        start.wait(timeout=10)
    optimizer = minigrad.optim.SGD(model.parameters(), lr=0.05, momentum=0.9)
    losses = []
    for step in range(steps):
        optimizer.zero_grad()
        loss = nn.functional.mse_loss(model(x), target)
        loss.backward()
        optimizer.step()
        if step % 10 == 0:
            with minigrad.no_grad():  # switches grad mode in this thread only
                losses.append(nn.functional.mse_loss(model(x), target).item())
    return losses


def test_two_threads_train_like_serial():
    minigrad.manual_seed(0)  # models and data are made here: the random generator is shared
    models = [nn.Sequential(nn.Linear(4, 8), nn.Tanh(), nn.Linear(8, 1)) for _ in range(2)]
    data = [(minigrad.randn(16, 4), minigrad.randn(16, 1)) for _ in range(2)]
    serial_models = copy.deepcopy(models)

    serial = [_train(model, x, y, steps=200) for model, (x, y) in zip(serial_models, data)]

    threaded = [None, None]
    start = threading.Barrier(2)

    def run(i):
        threaded[i] = _train(models[i], *data[i], steps=200, start=start)

    threads = [threading.Thread(target=run, args=(i,)) for i in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert threaded == serial
    for model, serial_model in zip(models, serial_models):
        for p, q in zip(model.parameters(), serial_model.parameters()):
            assert p.tolist() == q.tolist()
