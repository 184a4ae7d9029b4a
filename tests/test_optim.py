"""
minigrad.optim against torch.optim: the same problem, the same starting point, float64,
and the parameters must stay together for 50 steps, for every option combination.
"""

import itertools
import warnings

import numpy as np
import pytest
import torch

import minigrad
import minigrad.optim as optim

STEPS = 50
TOLERANCE = dict(rtol=1e-5, atol=1e-5)

rng = np.random.default_rng(0)
X = rng.standard_normal((8, 3))
Y = rng.standard_normal((8, 2))
W0 = rng.standard_normal((3, 2))
B0 = rng.standard_normal(2)


def make_params(lib):
    weight = lib.tensor(W0.copy(), dtype=lib.float64, requires_grad=True)
    bias = lib.tensor(B0.copy(), dtype=lib.float64, requires_grad=True)
    return [weight, bias]


def loss_of(lib, params):
    """A small non-quadratic loss, so that adaptive optimizers do something interesting."""
    weight, bias = params
    x = lib.tensor(X, dtype=lib.float64)
    y = lib.tensor(Y, dtype=lib.float64)
    prediction = (x.matmul(weight) + bias).tanh()
    return ((prediction - y) ** 2).mean()


def numpy_of(tensor):
    return tensor.detach().numpy().copy()


def train(lib, optimizer_class, steps=STEPS, **options):
    params = make_params(lib)
    optimizer = optimizer_class(params, **options)
    # With maximize, climb -loss: the same well-conditioned problem. (Climbing the loss
    # itself saturates tanh, and then tiny rounding differences grow exponentially.)
    sign = -1 if options.get("maximize") else 1
    history = []
    for _ in range(steps):
        optimizer.zero_grad()
        (sign * loss_of(lib, params)).backward()
        optimizer.step()
        history.append([numpy_of(p) for p in params])
    return history


def assert_tracks_torch(name, **options):
    ours = train(minigrad, getattr(optim, name), **options)
    theirs = train(torch, getattr(torch.optim, name), **options)
    for step, (our_params, their_params) in enumerate(zip(ours, theirs)):
        for ours_p, theirs_p in zip(our_params, their_params):
            np.testing.assert_allclose(ours_p, theirs_p, **TOLERANCE, err_msg=f"{name}{options} step {step}")


def error_text(make):
    try:
        make()
    except Exception as error:  # noqa: BLE001 (we compare whatever was raised)
        return type(error).__name__, str(error).replace("minigrad", "torch")
    return None


# ---- trajectories ----

SGD_OPTIONS = [
    dict(momentum=m, dampening=d, weight_decay=wd, nesterov=n, maximize=mx)
    for m, d, wd, n, mx in itertools.product((0, 0.9), (0, 0.5), (0, 0.1), (False, True), (False, True))
]


@pytest.mark.parametrize("options", SGD_OPTIONS, ids=str)
def test_sgd_tracks_torch_for_every_option_combination(options):
    invalid = error_text(lambda: torch.optim.SGD(make_params(torch), lr=0.1, **options))
    if invalid:  # e.g. nesterov without momentum: we must refuse it the same way
        assert error_text(lambda: optim.SGD(make_params(minigrad), lr=0.1, **options)) == invalid
    else:
        assert_tracks_torch("SGD", lr=0.1, **options)


def test_sgd_default_learning_rate_is_torchs():
    assert_tracks_torch("SGD")


ADAM_OPTIONS = [
    dict(amsgrad=a, weight_decay=wd, maximize=mx)
    for a, wd, mx in itertools.product((False, True), (0, 0.1), (False, True))
]


@pytest.mark.parametrize("name", ["Adam", "AdamW"])
@pytest.mark.parametrize("options", ADAM_OPTIONS, ids=str)
def test_adam_and_adamw_track_torch(name, options):
    assert_tracks_torch(name, lr=0.01, **options)


@pytest.mark.parametrize("name", ["Adam", "AdamW", "RMSprop", "Adagrad"])
def test_adaptive_optimizers_with_default_options_track_torch(name):
    assert_tracks_torch(name)


def test_adam_with_custom_betas_and_eps_tracks_torch():
    assert_tracks_torch("Adam", lr=0.05, betas=(0.5, 0.9), eps=1e-3)


RMSPROP_OPTIONS = [
    dict(centered=c, momentum=m, weight_decay=wd, maximize=mx)
    for c, m, wd, mx in itertools.product((False, True), (0, 0.9), (0, 0.1), (False, True))
]


@pytest.mark.parametrize("options", RMSPROP_OPTIONS, ids=str)
def test_rmsprop_tracks_torch(options):
    assert_tracks_torch("RMSprop", lr=0.01, alpha=0.9, **options)


ADAGRAD_OPTIONS = [
    dict(lr_decay=ld, weight_decay=wd, initial_accumulator_value=iv, maximize=mx)
    for ld, wd, iv, mx in itertools.product((0, 0.01), (0, 0.1), (0, 0.1), (False, True))
]


@pytest.mark.parametrize("options", ADAGRAD_OPTIONS, ids=str)
def test_adagrad_tracks_torch(options):
    assert_tracks_torch("Adagrad", lr=0.1, **options)


def test_param_groups_with_their_own_options_track_torch():
    def run(lib, optim_module):
        weight, bias = make_params(lib)
        optimizer = optim_module.SGD(
            [{"params": [weight]}, {"params": bias, "lr": 0.5, "momentum": 0.5}], lr=0.1, momentum=0.9
        )
        for _ in range(STEPS):
            optimizer.zero_grad()
            loss_of(lib, [weight, bias]).backward()
            optimizer.step()
        return [numpy_of(weight), numpy_of(bias)], optimizer.param_groups

    ours, our_groups = run(minigrad, optim)
    theirs, their_groups = run(torch, torch.optim)
    for ours_p, theirs_p in zip(ours, theirs):
        np.testing.assert_allclose(ours_p, theirs_p, **TOLERANCE)
    assert [(g["lr"], g["momentum"]) for g in our_groups] == [(0.1, 0.9), (0.5, 0.5)]
    assert [(g["lr"], g["momentum"]) for g in their_groups] == [(0.1, 0.9), (0.5, 0.5)]


def test_add_param_group_fills_in_defaults():
    weight, bias = make_params(minigrad)
    optimizer = optim.Adam([weight], lr=0.01)
    optimizer.add_param_group({"params": [bias], "lr": 0.1})
    assert optimizer.param_groups[1]["lr"] == 0.1
    assert optimizer.param_groups[1]["betas"] == (0.9, 0.999)


def test_step_returns_the_closures_loss_like_torch():
    def run(lib, optim_module):
        params = make_params(lib)
        optimizer = optim_module.SGD(params, lr=0.1)

        def closure():
            optimizer.zero_grad()
            loss = loss_of(lib, params)
            loss.backward()
            return loss

        return [optimizer.step(closure).item() for _ in range(5)]

    np.testing.assert_allclose(run(minigrad, optim), run(torch, torch.optim), **TOLERANCE)


def test_parameters_without_grad_are_left_alone():
    weight, bias = make_params(minigrad)
    optimizer = optim.SGD([weight, bias], lr=0.1, momentum=0.9)
    (weight.sum() * 2).backward()
    optimizer.step()
    np.testing.assert_allclose(numpy_of(bias), B0)
    np.testing.assert_allclose(numpy_of(weight), W0 - 0.2)
    assert set(map(id, optimizer.state)) == {id(weight)}


# ---- zero_grad ----


def test_zero_grad_sets_grads_to_none_by_default():
    params = make_params(minigrad)
    optimizer = optim.SGD(params, lr=0.1)
    loss_of(minigrad, params).backward()
    optimizer.zero_grad()
    assert all(p.grad is None for p in params)


def test_zero_grad_can_keep_zeroed_tensors():
    params = make_params(minigrad)
    optimizer = optim.SGD(params, lr=0.1)
    loss_of(minigrad, params).backward()
    optimizer.zero_grad(set_to_none=False)
    for p in params:
        assert p.grad is not None and not p.grad.requires_grad
        np.testing.assert_array_equal(numpy_of(p.grad), np.zeros(tuple(p.shape)))


# ---- state_dict ----


@pytest.mark.parametrize(
    "name, options",
    [
        ("SGD", dict(lr=0.1, momentum=0.9)),
        ("Adam", dict(lr=0.01, amsgrad=True)),
        ("RMSprop", dict(centered=True, momentum=0.5)),
        ("Adagrad", dict(lr=0.1)),
    ],
)
def test_state_dict_resumes_training_exactly(name, options):
    optimizer_class = getattr(optim, name)
    uninterrupted = train(minigrad, optimizer_class, steps=20, **options)[-1]

    params = make_params(minigrad)
    optimizer = optimizer_class(params, **options)
    for _ in range(10):
        optimizer.zero_grad()
        loss_of(minigrad, params).backward()
        optimizer.step()
    saved_state = optimizer.state_dict()
    saved_values = [numpy_of(p) for p in params]

    resumed = [minigrad.tensor(v, dtype=minigrad.float64, requires_grad=True) for v in saved_values]
    optimizer = optimizer_class(resumed, **{**options, "lr": 123.0})
    optimizer.load_state_dict(saved_state)
    assert optimizer.param_groups[0]["lr"] == saved_state["param_groups"][0]["lr"] != 123.0
    for _ in range(10):
        optimizer.zero_grad()
        loss_of(minigrad, resumed).backward()
        optimizer.step()
    for ours, expected in zip(resumed, uninterrupted):
        np.testing.assert_allclose(numpy_of(ours), expected, rtol=1e-12, atol=1e-12)


def test_state_dict_has_torchs_layout():
    def state_dict_of(lib, optim_module):
        params = make_params(lib)
        optimizer = optim_module.SGD(params, lr=0.1, momentum=0.9)
        loss_of(lib, params).backward()
        optimizer.step()
        return optimizer.state_dict()

    ours = state_dict_of(minigrad, optim)
    theirs = state_dict_of(torch, torch.optim)
    assert list(ours) == ["state", "param_groups"] == list(theirs)
    assert list(ours["state"]) == list(theirs["state"]) == [0, 1]
    assert list(ours["state"][0]) == list(theirs["state"][0]) == ["momentum_buffer"]
    assert ours["param_groups"][0]["params"] == theirs["param_groups"][0]["params"] == [0, 1]
    for key in ("lr", "momentum", "dampening", "weight_decay", "nesterov", "maximize"):
        assert ours["param_groups"][0][key] == theirs["param_groups"][0][key]
    for index in (0, 1):
        np.testing.assert_allclose(
            numpy_of(ours["state"][index]["momentum_buffer"]),
            numpy_of(theirs["state"][index]["momentum_buffer"]),
            **TOLERANCE,
        )


def test_load_state_dict_rejects_a_different_layout():
    weight, bias = make_params(minigrad)
    saved = optim.SGD([weight, bias], lr=0.1).state_dict()
    with pytest.raises(ValueError, match="different number of parameter groups"):
        optim.SGD([{"params": [weight]}, {"params": [bias]}], lr=0.1).load_state_dict(saved)
    with pytest.raises(ValueError, match="doesn't match the size of optimizer's group"):
        optim.SGD([weight], lr=0.1).load_state_dict(saved)


# ---- bad input: the same exception and message as PyTorch ----

BAD_ARGUMENTS = [
    ("SGD", dict(lr=-1)),
    ("SGD", dict(lr=0.1, momentum=-0.5)),
    ("SGD", dict(lr=0.1, weight_decay=-1e-4)),
    ("SGD", dict(lr=0.1, nesterov=True)),
    ("SGD", dict(lr=0.1, momentum=0.9, dampening=0.1, nesterov=True)),
    ("Adam", dict(lr=-0.01)),
    ("Adam", dict(eps=-1.0)),
    ("Adam", dict(betas=(1.0, 0.999))),
    ("Adam", dict(betas=(0.9, -0.1))),
    ("Adam", dict(weight_decay=-1.0)),
    ("AdamW", dict(lr=-1.0)),
    ("RMSprop", dict(alpha=-0.5)),
    ("RMSprop", dict(momentum=-0.5)),
    ("RMSprop", dict(eps=-1.0)),
    ("Adagrad", dict(lr_decay=-1.0)),
    ("Adagrad", dict(initial_accumulator_value=-1.0)),
    ("Adagrad", dict(eps=-1.0)),
]


@pytest.mark.parametrize("name, options", BAD_ARGUMENTS, ids=str)
def test_invalid_arguments_raise_torchs_error(name, options):
    theirs = error_text(lambda: getattr(torch.optim, name)(make_params(torch), **options))
    ours = error_text(lambda: getattr(optim, name)(make_params(minigrad), **options))
    assert theirs is not None
    assert ours == theirs


def test_a_parameter_in_two_groups_is_refused_like_torch():
    def make(lib, optim_module):
        weight, bias = make_params(lib)
        return lambda: optim_module.SGD([{"params": [weight, bias]}, {"params": [bias]}], lr=0.1)

    theirs = error_text(make(torch, torch.optim))
    assert theirs == ("ValueError", "some parameters appear in more than one parameter group")
    assert error_text(make(minigrad, optim)) == theirs


def test_add_param_group_refuses_a_parameter_already_there():
    weight, bias = make_params(minigrad)
    optimizer = optim.SGD([weight, bias], lr=0.1)
    with pytest.raises(ValueError, match="some parameters appear in more than one parameter group"):
        optimizer.add_param_group({"params": [weight]})


@pytest.mark.parametrize(
    "make_params_argument",
    [
        lambda lib: [],
        lambda lib: lib.zeros(3, requires_grad=True),  # a Tensor, not an iterable of them
        lambda lib: [1.0, 2.0],
        lambda lib: [lib.zeros(3, requires_grad=True) * 2],  # not a leaf
        lambda lib: [{"params": {lib.zeros(3, requires_grad=True)}}],
    ],
    ids=["empty", "tensor", "floats", "non-leaf", "set-in-group"],
)
def test_bad_params_argument_is_refused_like_torch(make_params_argument):
    theirs = error_text(lambda: torch.optim.SGD(make_params_argument(torch), lr=0.1))
    ours = error_text(lambda: optim.SGD(make_params_argument(minigrad), lr=0.1))
    assert theirs is not None
    assert ours == theirs


# ---- what a user sees ----


@pytest.mark.parametrize(
    "name, options",
    [
        ("SGD", dict(lr=0.1, momentum=0.9)),
        ("Adam", {}),
        ("AdamW", dict(amsgrad=True)),
        ("RMSprop", {}),
        ("Adagrad", {}),
    ],
)
def test_repr_and_param_group_keys_match_torch(name, options):
    ours = getattr(optim, name)(make_params(minigrad), **options)
    theirs = getattr(torch.optim, name)(make_params(torch), **options)
    assert repr(ours) == repr(theirs)
    assert list(ours.state_dict()["param_groups"][0]) == list(theirs.state_dict()["param_groups"][0])


# ---- learning-rate schedules ----

SCHEDULES = {
    "StepLR": lambda m, o: m.StepLR(o, 3, 0.5),
    "MultiStepLR": lambda m, o: m.MultiStepLR(o, [2, 5, 5, 9], 0.3),
    "ExponentialLR": lambda m, o: m.ExponentialLR(o, 0.9),
    "LambdaLR": lambda m, o: m.LambdaLR(o, lambda epoch: 0.95**epoch),
    "LambdaLR_per_group": lambda m, o: m.LambdaLR(o, [lambda e: 1 / (e + 1), lambda e: 0.9**e]),
    "MultiplicativeLR": lambda m, o: m.MultiplicativeLR(o, lambda epoch: 0.97),
    "ConstantLR": lambda m, o: m.ConstantLR(o, 0.5, 4),
    "LinearLR_warm_up": lambda m, o: m.LinearLR(o, 0.25, 1.0, 7),
    "LinearLR_decay": lambda m, o: m.LinearLR(o, 1.0, 0.1, 10),
    "CosineAnnealingLR": lambda m, o: m.CosineAnnealingLR(o, 6, 0.01),
    "CosineAnnealingLR_T_max_1": lambda m, o: m.CosineAnnealingLR(o, 1),
}


def _schedule_rates(lib, make_schedules, epochs=25):
    """Each epoch's rates of a two-group SGD driven by the schedules (one or more, chained)."""
    weight, bias = lib.zeros(2, requires_grad=True), lib.zeros(1, requires_grad=True)
    optimizer = lib.optim.SGD([{"params": [weight]}, {"params": [bias], "lr": 0.5}], lr=0.1)
    schedules = make_schedules(lib.optim.lr_scheduler, optimizer)
    rates = [schedules[-1].get_last_lr()]
    for _ in range(epochs):
        optimizer.step()
        for schedule in schedules:
            schedule.step()
        rates.append([group["lr"] for group in optimizer.param_groups])
    return rates


@pytest.mark.parametrize("name", SCHEDULES)
def test_learning_rate_schedules_are_pytorchs_to_the_last_digit(name):
    make = SCHEDULES[name]
    assert _schedule_rates(minigrad, lambda m, o: [make(m, o)]) == _schedule_rates(torch, lambda m, o: [make(m, o)])


def test_chained_schedules_and_a_resumed_one_are_pytorchs():
    chained = lambda m, o: [m.LinearLR(o, 0.5, 1.0, 4), m.ExponentialLR(o, 0.9)]  # noqa: E731
    assert _schedule_rates(minigrad, chained) == _schedule_rates(torch, chained)
    resumed = []
    for lib in (minigrad, torch):
        weight = lib.zeros(2, requires_grad=True)
        optimizer = lib.optim.SGD([weight], lr=0.1)
        first = lib.optim.lr_scheduler.CosineAnnealingLR(optimizer, 5)
        for _ in range(3):
            optimizer.step()
            first.step()
        second = lib.optim.lr_scheduler.CosineAnnealingLR(optimizer, 5, last_epoch=first.last_epoch)
        second.load_state_dict(first.state_dict())
        rates = []
        for _ in range(6):
            optimizer.step()
            second.step()
            rates.append(second.get_last_lr())
        resumed.append(rates)
    assert resumed[0] == resumed[1]


def test_schedule_errors_are_pytorchs():
    for lib in (minigrad, torch):
        optimizer = lib.optim.SGD([lib.zeros(1, requires_grad=True)], lr=0.1)
        with pytest.raises(TypeError, match="is not an Optimizer"):
            lib.optim.lr_scheduler.StepLR("sgd", 2)
        with pytest.raises(KeyError, match="param 'initial_lr' is not specified in param_groups\\[0\\]"):
            lib.optim.lr_scheduler.StepLR(optimizer, 2, last_epoch=3)
        with pytest.raises(ValueError, match="Constant multiplicative factor expected to be between 0 and 1"):
            lib.optim.lr_scheduler.ConstantLR(optimizer, factor=2.0)


def test_stepping_the_schedule_before_the_optimizer_warns_as_pytorch():
    messages = []
    for lib in (minigrad, torch):
        optimizer = lib.optim.SGD([lib.zeros(1, requires_grad=True)], lr=0.1)
        schedule = lib.optim.lr_scheduler.StepLR(optimizer, 2)
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            schedule.step()  # before any optimizer.step(): PyTorch's warning
            optimizer.step()
            schedule.step()  # the right order from now on: no more warnings
        messages.append([str(w.message) for w in caught])
        right_order = lib.optim.SGD([lib.zeros(1, requires_grad=True)], lr=0.1)
        schedule = lib.optim.lr_scheduler.ExponentialLR(right_order, 0.5)
        with warnings.catch_warnings():
            warnings.simplefilter("error")
            right_order.step()
            schedule.step()
    assert messages[0] == messages[1] and len(messages[0]) == 1


def test_a_parameter_given_twice_warns_as_pytorch_and_adam_steps_as_pytorch():
    """PyTorch warns (it may become an error) and updates such a parameter twice per step. The
    warning points at the user's line. (SGD with momentum differs from PyTorch here: PyTorch
    gives each copy a buffer of its own on the first step, minigrad shares one from the start.)"""
    results = []
    for lib in (minigrad, torch):
        w = lib.tensor([1.0, -2.0], requires_grad=True)
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            optimizer = lib.optim.Adam([w, w], lr=0.1)
        for _ in range(3):
            optimizer.zero_grad()
            (w * w).sum().backward()
            optimizer.step()
        results.append(([str(c.message) for c in caught], w.tolist()))
        if lib is minigrad:
            assert [c.filename for c in caught] == [__file__]
    assert results[0] == results[1]
