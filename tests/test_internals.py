"""
The engine explains itself: graph inspection, backward trace, second derivatives, anomaly
detection and optimizer.explain(), each checked against PyTorch or a hand computation.
"""

import warnings

import numpy as np
import pytest
import torch

import minigrad
from minigrad.optim.explain import _fmt, describe

# ---- graph inspection: names and next_functions as in PyTorch ----


def graph_signature(grad_fn, leaves):
    """(name, [signature of each next function]) down to the leaves, named by position in `leaves`."""
    if grad_fn is None:
        return None
    if grad_fn.name() == "AccumulateGrad" or type(grad_fn).__name__ == "AccumulateGrad":
        return ("AccumulateGrad", next(i for i, leaf in enumerate(leaves) if leaf is grad_fn.variable))
    return (grad_fn.name(), [graph_signature(fn, leaves) for fn, _ in grad_fn.next_functions])


EXPRESSIONS = {
    "linear_regression": lambda lib, x, w, b: lib.mean((x * w + b - 2 * x) ** 2),
    "matmul_sum": lambda lib, x, w, b: (x.T @ x * w).sum() - b.sum(),
    "exp_tanh_div": lambda lib, x, w, b: (lib.exp(w) / (lib.tanh(x * b) + 1)).mean(),
    "sigmoid_relu_neg": lambda lib, x, w, b: -(lib.sigmoid(x) * lib.relu(w - b)).sum(),
    "reuse": lambda lib, x, w, b: (w * w + w).sum(),
}


@pytest.mark.parametrize("name", sorted(EXPRESSIONS))
def test_node_names_and_next_functions_match_torch(name):
    data = {"x": [[1.0], [2.0], [3.0]], "w": [0.5], "b": [-0.25]}
    results = []
    for lib in (minigrad, torch):
        x = lib.tensor(data["x"])  # a constant: its slot in next_functions is (None, 0)
        w = lib.tensor(data["w"], requires_grad=True)
        b = lib.tensor(data["b"], requires_grad=True)
        out = EXPRESSIONS[name](lib, x, w, b)
        results.append(graph_signature(out.grad_fn, [w, b]))
    assert results[0] == results[1]


def test_reflected_operator_argument_order_matches_torch():
    signatures = []
    for lib in (minigrad, torch):
        w = lib.tensor([0.5], requires_grad=True)
        signatures.append(graph_signature((2 * w).grad_fn, [w]))
    assert signatures[0] == signatures[1]


def test_accumulate_grad_variable_and_saved_tensors():
    x = minigrad.tensor([[1.0], [2.0]])
    w = minigrad.tensor([3.0], requires_grad=True)
    y = x * w
    assert y.grad_fn.name() == "MulBackward0"
    assert y.grad_fn.next_functions[0] == (None, 0)
    accumulate, nr = y.grad_fn.next_functions[1]
    assert accumulate.name() == "AccumulateGrad" and nr == 0 and accumulate.variable is w
    assert y.grad_fn._saved_self is x and y.grad_fn._saved_other is w
    assert y.grad_fn.saved_tensors == (x, w)
    z = x @ w.reshape(1, 1)
    assert z.grad_fn._saved_mat2.shape == (1, 1)
    assert not hasattr((w + 1).grad_fn, "_saved_self")  # AddBackward0 saves nothing


def test_saved_tensors_values_match_torch_and_are_freed_after_backward():
    values = []
    for lib in (minigrad, torch):
        a = lib.tensor([1.0, -2.0], requires_grad=True)
        b = lib.tensor([0.5, 4.0], requires_grad=True)
        out = a / b
        values.append((out.grad_fn._saved_self.tolist(), out.grad_fn._saved_other.tolist()))
        out.sum().backward()
        with pytest.raises(RuntimeError, match="after they have already been freed"):
            out.grad_fn._saved_self  # noqa: B018
    assert values[0] == values[1]


# ---- trace() ----


def lecture_cost(lib, w_value=0.5):
    x_train = lib.tensor([[1.0], [2.0], [3.0]])
    y_train = lib.tensor([[1.0], [2.0], [3.0]])
    W = lib.tensor([w_value], requires_grad=True)
    hypothesis = x_train * W
    diff = hypothesis - y_train
    square = diff**2
    cost = lib.mean(square)
    return x_train, y_train, W, (hypothesis, diff, square, cost)


def test_trace_records_each_step_in_order_with_torch_values():
    x_train, y_train, W, (hypothesis, diff, square, cost) = lecture_cost(minigrad)
    with minigrad.autograd.trace() as t:
        cost.backward()

    _, _, t_W, t_tensors = lecture_cost(torch)
    for tensor in t_tensors:
        tensor.retain_grad()
    t_tensors[-1].backward()
    t_hypothesis, t_diff, t_square, t_cost = t_tensors

    assert [step.name for step in t.steps] == [
        "MeanBackward0",
        "PowBackward0",
        "SubBackward0",
        "MulBackward0",
        "AccumulateGrad",
    ]
    # the gradient that reached each node is the gradient of the tensor it made
    for step, t_tensor in zip(t.steps[:4], [t_cost, t_square, t_diff, t_hypothesis]):
        np.testing.assert_allclose(step.grad_output.numpy(), t_tensor.grad.numpy(), rtol=1e-6)
    # what each node sent is the next tensor's gradient; the last one was summed to W's shape
    for step, t_tensor in zip(t.steps[:3], [t_square, t_diff, t_hypothesis]):
        assert len(step.sent) == 1
        np.testing.assert_allclose(step.sent[0].grad.numpy(), t_tensor.grad.numpy(), rtol=1e-6)
    mul_step = t.steps[3]
    assert [s.to for s in mul_step.sent] == ["AccumulateGrad"]
    assert mul_step.sent[0].summed == "sum over dim 0 of (3, 1)"
    assert mul_step.sent[0].grad.shape == (1,)
    assert t.steps[4].variable is W
    np.testing.assert_allclose(t.steps[4].grad_output.numpy(), t_W.grad.numpy(), rtol=1e-6)


def test_trace_equals_the_lecture_hand_formula():
    x_train, y_train, W, (*_, cost) = lecture_cost(minigrad, w_value=0.25)
    with minigrad.autograd.trace() as t:
        cost.backward()
    x, y, w = np.array([1.0, 2.0, 3.0]), np.array([1.0, 2.0, 3.0]), 0.25
    by_hand = 2 / 3 * np.sum((w * x - y) * x)  # 2/m · Σ (Wx − y)·x
    assert t.steps[-1].grad_output.item() == pytest.approx(by_hand, rel=1e-6)
    assert W.grad.item() == pytest.approx(by_hand, rel=1e-6)


def test_trace_table_text_and_observer_removed():
    *_, (*_, cost) = lecture_cost(minigrad)
    with minigrad.autograd.trace() as t:
        cost.backward()
    text = str(t)
    assert text.splitlines()[0].split()[:2] == ["step", "node"]
    assert "MulBackward0" in text and "-> AccumulateGrad" in text and "(sum over dim 0 of (3, 1))" in text
    assert len(t) == 5
    assert minigrad.autograd.engine.observers == []


# ---- second derivatives against torch ----

UNARY = {
    "tanh": lambda lib, x: lib.tanh(x),
    "sigmoid": lambda lib, x: lib.sigmoid(x),
    "exp_sin": lambda lib, x: lib.exp(lib.sin(x)),
    "log_sqrt": lambda lib, x: lib.log(lib.sqrt(x + 3)),
    "pow_div": lambda lib, x: x**3 / (1 + x * x),
}


@pytest.mark.parametrize("name", sorted(UNARY))
def test_second_derivative_matches_torch(name):
    data = np.array([-1.5, -0.25, 0.5, 2.0])
    seconds = []
    for lib in (minigrad, torch):
        x = lib.tensor(data, requires_grad=True)
        (first,) = lib.autograd.grad(UNARY[name](lib, x).sum(), x, create_graph=True)
        (second,) = lib.autograd.grad(first.sum(), x)
        seconds.append(second.detach().numpy())
    np.testing.assert_allclose(seconds[0], seconds[1], rtol=1e-10, atol=1e-12)


def test_hessian_of_a_small_network_matches_torch():
    rng = np.random.default_rng(0)
    x_data, w_data = rng.standard_normal((5, 3)), rng.standard_normal(3)
    y_data = rng.standard_normal(5)

    def loss(lib, w):
        x, y = lib.tensor(x_data), lib.tensor(y_data)
        return lib.mean((lib.tanh(x @ w) - y) ** 2)

    w = minigrad.tensor(w_data, requires_grad=True)
    (grad,) = minigrad.autograd.grad(loss(minigrad, w), w, create_graph=True)
    rows = [minigrad.autograd.grad(grad[i], w, retain_graph=True)[0].numpy() for i in range(3)]
    expected = torch.autograd.functional.hessian(lambda v: loss(torch, v), torch.tensor(w_data)).numpy()
    np.testing.assert_allclose(np.stack(rows), expected, rtol=1e-9, atol=1e-12)


def test_gradient_of_gradient_norm_matches_torch():
    results = []
    for lib in (minigrad, torch):
        w = lib.tensor([0.3, -0.7], requires_grad=True)
        x = lib.tensor([[1.0, 2.0], [-1.0, 0.5], [0.0, 1.5]])
        (grad,) = lib.autograd.grad((lib.sigmoid(x @ w) ** 2).sum(), w, create_graph=True)
        (grad * grad).sum().backward()
        results.append(w.grad.numpy().copy())
    np.testing.assert_allclose(results[0], results[1], rtol=1e-5)


# ---- anomaly detection ----


def test_anomaly_detection_names_the_node_like_torch():
    messages = []
    for lib in (minigrad, torch):
        x = lib.tensor([0.0, 4.0], requires_grad=True)
        with lib.autograd.detect_anomaly(), pytest.warns(UserWarning, match="Error detected in SqrtBackward0"):
            loss = (lib.sqrt(x) * 0).sum()  # sqrt's backward at 0 is 0 · inf = nan
            with pytest.raises(RuntimeError) as error:
                loss.backward()
        messages.append(str(error.value))
    assert messages[0] == "Function 'SqrtBackward0' returned nan values in its 0th output."
    assert messages[0] == messages[1]


def test_anomaly_detection_points_at_the_forward_line():
    minigrad.autograd.set_detect_anomaly(True)
    try:
        a = minigrad.tensor([0.0, 1.0], requires_grad=True)
        b = minigrad.tensor([0.0, 2.0], requires_grad=True)
        ok = a * 2
        ratio = ok / b  # the line anomaly mode must point at
        with pytest.warns(UserWarning), pytest.raises(RuntimeError, match="DivBackward0") as error:
            ratio.sum().backward()
    finally:
        minigrad.autograd.set_detect_anomaly(False)
    assert error.value.node is ratio.grad_fn
    note = "".join(error.value.__notes__)
    assert "test_internals.py" in note and "ratio = ok / b" in note
    assert minigrad.autograd.engine.observers == [] and not minigrad.autograd.is_anomaly_enabled()


def test_without_anomaly_mode_nan_passes_silently():
    x = minigrad.tensor([0.0], requires_grad=True)
    (minigrad.sqrt(x) * 0).sum().backward()
    assert np.isnan(x.grad.numpy()).all()


# ---- optimizer.explain() ----


def run_sgd(lib, steps, **options):
    x = lib.tensor([[1.0], [2.0], [3.0]])
    y = lib.tensor([[1.0], [2.0], [3.0]])
    W = lib.tensor([0.5], requires_grad=True)
    optimizer = lib.optim.SGD([W], **options)
    texts = []
    for _ in range(steps):
        optimizer.zero_grad()
        lib.mean((x * W - y) ** 2).backward()
        optimizer.step()
        if lib is minigrad:
            texts.append(describe(optimizer))
    return W, optimizer, texts


def test_explain_sgd_momentum_shows_torch_numbers():
    options = dict(lr=0.01, momentum=0.9, dampening=0.5, weight_decay=0.01)
    W, optimizer, texts = run_sgd(minigrad, 3, **options)
    t_W, t_optimizer, _ = run_sgd(torch, 3, **options)
    for step, text in enumerate(texts):
        assert ("first step" in text) == (step == 0)
        assert ("later step: dampening applied" in text) == (step > 0)
    last = texts[-1]
    t_buffer = t_optimizer.state[t_W]["momentum_buffer"]
    assert f"= {_fmt(t_buffer)}" in last  # the new buffer, as torch has it
    assert last.rstrip().endswith(f"= {_fmt(t_W.detach())}")  # the parameter after the step
    assert "0.5·" in last and "weight_decay·p" in last  # (1 − dampening) and the decay term

    # the buffer before the step and the gradient, worked by hand from the lecture's formula
    W_before = t_W.detach() + 0.01 * t_buffer
    grad = (
        2 / 3 * ((W_before * torch.tensor([1.0, 2, 3]) - torch.tensor([1.0, 2, 3])) * torch.tensor([1.0, 2, 3])).sum()
    )
    decayed = grad + 0.01 * W_before
    buffer_before = (t_buffer - 0.5 * decayed) / 0.9
    assert f"0.9·{_fmt(buffer_before.reshape(1))}" in last
    assert f"= {_fmt(decayed.reshape(1))}" in last


def test_explain_plain_sgd_and_printing(capsys):
    W, optimizer, texts = run_sgd(minigrad, 1, lr=0.1)
    assert "p = p − lr·g" in texts[0] and "momentum" not in texts[0].split("\n", 1)[1]
    assert texts[0].rstrip().endswith(f"= {_fmt(W)}")
    if hasattr(optimizer, "explain"):
        optimizer.explain()
        assert capsys.readouterr().out.strip() == texts[0].strip()


def test_explain_adam_shows_torch_state():
    results = []
    for lib in (minigrad, torch):
        w = lib.tensor([0.5, -1.0], requires_grad=True)
        optimizer = lib.optim.Adam([w], lr=0.1, weight_decay=0.1)
        for _ in range(2):
            optimizer.zero_grad()
            ((w * w - 1) ** 2).sum().backward()
            optimizer.step()
        results.append((w, optimizer))
    text = describe(results[0][1])
    t_w, t_optimizer = results[1]
    state = t_optimizer.state[t_w]
    assert "t = t + 1" in text and "= 2" in text
    assert f"= {_fmt(state['exp_avg'])}" in text and f"= {_fmt(state['exp_avg_sq'])}" in text
    assert text.rstrip().endswith(f"= {_fmt(t_w.detach())}")


# ---- the guided tour's code links ----


def test_doc_links_point_at_the_lines_they_name():
    """Each [`text`](../path#L12) in how-autograd-works.md lands on a line containing `text`
    (python docs/make_figures.py renumbers them after the code moves)."""
    import re
    from pathlib import Path

    root = Path(__file__).resolve().parent.parent
    doc = (root / "docs" / "how-autograd-works.md").read_text()
    links = re.findall(r"\[`([^`]+)`\]\(\.\./([^)#]+)#L(\d+)\)", doc)
    assert len(links) > 20
    for text, path, number in links:
        line = (root / path).read_text().splitlines()[int(number) - 1]
        assert text in line, f"{path}#L{number} should contain {text!r}, has {line.strip()!r}"


WARNED_CALLS = {
    "F.softmax without dim": lambda: minigrad.nn.functional.softmax(minigrad.ones(2, 3)),
    "x.softmax(None)": lambda: minigrad.ones(2, 3).softmax(None),
    "nn.Softmin()": lambda: minigrad.nn.Softmin()(minigrad.ones(2, 3)),
    "x.var() of one number": lambda: minigrad.ones(1).var(),
    "minigrad.std of one number": lambda: minigrad.std(minigrad.ones(1)),
    "x[list of lists]": lambda: minigrad.ones(2, 3)[[0, [1, 2]]],
    "x[list of lists] = v": lambda: minigrad.ones(2, 3).__setitem__([0, [1, 2]], 1.0),
    "nn.Linear(0, 2)": lambda: minigrad.nn.Linear(0, 2),
    "SGD([w, w])": lambda: minigrad.optim.SGD([minigrad.ones(1, requires_grad=True)] * 2, lr=0.1),
}


@pytest.mark.parametrize("call", list(WARNED_CALLS.values()), ids=list(WARNED_CALLS))
def test_warnings_name_the_users_line_whatever_the_path_through_minigrad(call):
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        call()
    assert [w.filename for w in caught] == [__file__], [(w.filename, str(w.message)) for w in caught]
