"""
minigrad.nn against torch.nn: functional values and gradients, Module behaviour,
repr, state_dict exchange between the two libraries, init, and bad input.
"""

import math
import warnings
import zlib
from collections import OrderedDict

import numpy as np
import pytest
import torch
from conftest import assert_matches

import minigrad
import minigrad.nn as nn
import minigrad.nn.functional as F  # noqa: N812 (PyTorch's alias)

rng = np.random.default_rng(0)


def numpy_of(tensor):
    return tensor.detach().numpy()


def pair(array, requires_grad=False):
    """The same float64 values as a minigrad tensor and a torch tensor."""
    ours = minigrad.tensor(array, dtype=minigrad.float64, requires_grad=requires_grad)
    theirs = torch.tensor(array, dtype=torch.float64, requires_grad=requires_grad)
    return ours, theirs


def error_text(make):
    try:
        make()
    except Exception as error:  # noqa: BLE001 (we compare whatever was raised)
        return type(error).__name__, str(error).replace("minigrad", "torch")
    return None


# ---- functional: values and gradients, with a random upstream gradient ----

FUNCTIONAL_CASES = {
    "relu": lambda lib, x: lib.nn.functional.relu(x),
    "sigmoid": lambda lib, x: lib.nn.functional.sigmoid(x),
    "tanh": lambda lib, x: lib.nn.functional.tanh(x),
    "softmax_dim0": lambda lib, x: lib.nn.functional.softmax(x, dim=0),
    "softmax_dim1": lambda lib, x: lib.nn.functional.softmax(x, dim=1),
    "softmax_dim-1": lambda lib, x: lib.nn.functional.softmax(x, dim=-1),
    "log_softmax_dim0": lambda lib, x: lib.nn.functional.log_softmax(x, dim=0),
    "log_softmax_dim1": lambda lib, x: lib.nn.functional.log_softmax(x, dim=1),
    "log_softmax_large_values": lambda lib, x: lib.nn.functional.log_softmax(x * 1000, dim=1),
    "softmax_large_values": lambda lib, x: lib.nn.functional.softmax(x * 1000, dim=1),
    "softmax_module": lambda lib, x: lib.nn.Softmax(dim=1)(x),
    "log_softmax_module": lambda lib, x: lib.nn.LogSoftmax(dim=0)(x),
}


@pytest.mark.parametrize("name", FUNCTIONAL_CASES)
def test_functional_matches_torch_values_and_grads(name):
    function = FUNCTIONAL_CASES[name]
    ours_x, theirs_x = pair(rng.standard_normal((4, 5)), requires_grad=True)
    ours_y, theirs_y = function(minigrad, ours_x), function(torch, theirs_x)
    np.testing.assert_allclose(numpy_of(ours_y), numpy_of(theirs_y), rtol=1e-10, atol=1e-12)
    upstream = rng.standard_normal(tuple(theirs_y.shape))
    ours_y.backward(minigrad.tensor(upstream, dtype=minigrad.float64))
    theirs_y.backward(torch.tensor(upstream))
    np.testing.assert_allclose(numpy_of(ours_x.grad), numpy_of(theirs_x.grad), rtol=1e-10, atol=1e-12)


@pytest.mark.parametrize("loss_name", ["mse_loss", "l1_loss", "huber_loss", "smooth_l1_loss"])
@pytest.mark.parametrize("reduction", ["mean", "sum", "none"])
def test_losses_match_torch_values_and_grads(loss_name, reduction):
    ours_input, theirs_input = pair(2 * rng.standard_normal((5, 3)), requires_grad=True)  # (both pieces of huber)
    ours_target, theirs_target = pair(rng.standard_normal((5, 3)), requires_grad=True)
    ours = getattr(F, loss_name)(ours_input, ours_target, reduction=reduction)
    theirs = getattr(torch.nn.functional, loss_name)(theirs_input, theirs_target, reduction=reduction)
    assert tuple(ours.shape) == tuple(theirs.shape)
    np.testing.assert_allclose(numpy_of(ours), numpy_of(theirs), rtol=1e-12)
    upstream = rng.standard_normal(tuple(theirs.shape))
    ours.backward(minigrad.tensor(upstream, dtype=minigrad.float64))
    theirs.backward(torch.tensor(upstream))
    for ours_t, theirs_t in [(ours_input, theirs_input), (ours_target, theirs_target)]:
        np.testing.assert_allclose(numpy_of(ours_t.grad), numpy_of(theirs_t.grad), rtol=1e-12)


@pytest.mark.parametrize("loss_class", ["MSELoss", "L1Loss", "HuberLoss", "SmoothL1Loss"])
@pytest.mark.parametrize("reduction", ["mean", "sum", "none"])
def test_loss_modules_match_torch(loss_class, reduction):
    ours_input, theirs_input = pair(rng.standard_normal((4, 2)))
    ours_target, theirs_target = pair(rng.standard_normal((4, 2)))
    ours = getattr(nn, loss_class)(reduction=reduction)(ours_input, ours_target)
    theirs = getattr(torch.nn, loss_class)(reduction=reduction)(theirs_input, theirs_target)
    np.testing.assert_allclose(numpy_of(ours), numpy_of(theirs), rtol=1e-12)


@pytest.mark.parametrize("with_bias", [True, False])
@pytest.mark.parametrize("input_shape", [(3,), (5, 3), (2, 5, 3)])
def test_linear_functional_matches_torch(with_bias, input_shape):
    ours_x, theirs_x = pair(rng.standard_normal(input_shape), requires_grad=True)
    ours_w, theirs_w = pair(rng.standard_normal((4, 3)), requires_grad=True)
    ours_b, theirs_b = pair(rng.standard_normal(4), requires_grad=True)
    ours = F.linear(ours_x, ours_w, ours_b if with_bias else None)
    theirs = torch.nn.functional.linear(theirs_x, theirs_w, theirs_b if with_bias else None)
    np.testing.assert_allclose(numpy_of(ours), numpy_of(theirs), rtol=1e-12)
    upstream = rng.standard_normal(tuple(theirs.shape))
    ours.backward(minigrad.tensor(upstream, dtype=minigrad.float64))
    theirs.backward(torch.tensor(upstream))
    pairs = [(ours_x, theirs_x), (ours_w, theirs_w)] + ([(ours_b, theirs_b)] if with_bias else [])
    for ours_t, theirs_t in pairs:
        np.testing.assert_allclose(numpy_of(ours_t.grad), numpy_of(theirs_t.grad), rtol=1e-10)


def test_mse_loss_default_dtype_is_float32_like_torch():
    ours = F.mse_loss(minigrad.tensor([1.0, 2.0]), minigrad.tensor([1.0, 4.0]))
    theirs = torch.nn.functional.mse_loss(torch.tensor([1.0, 2.0]), torch.tensor([1.0, 4.0]))
    assert repr(ours) == repr(theirs) == "tensor(2.)"


# ---- losses: bad input ----


@pytest.mark.parametrize("loss_name", ["mse_loss", "l1_loss", "huber_loss", "smooth_l1_loss"])
def test_loss_on_mismatched_shapes_warns_in_torchs_words(loss_name):
    def warning_of(lib):
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            loss = getattr(lib.nn.functional, loss_name)(lib.zeros(3, 1), lib.ones(3))
        assert len(caught) == 1 and caught[0].category is UserWarning
        return str(caught[0].message).replace("minigrad", "torch"), loss.item()

    ours, theirs = warning_of(minigrad), warning_of(torch)
    assert ours == theirs
    assert "Using a target size (torch.Size([3])) that is different to the input size" in ours[0]


def test_loss_warning_points_at_the_callers_line():
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        F.mse_loss(minigrad.zeros(2, 1), minigrad.zeros(2))
    assert caught[0].filename == __file__


def test_loss_module_on_mismatched_shapes_warns_too():
    with pytest.warns(UserWarning, match="Please ensure they have the same size"):
        nn.MSELoss()(minigrad.zeros(3, 1), minigrad.zeros(3))


def test_equal_shapes_do_not_warn():
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        F.mse_loss(minigrad.zeros(3, 1), minigrad.zeros(3, 1))


def test_invalid_reduction_is_refused_like_torch():
    theirs = error_text(lambda: torch.nn.functional.mse_loss(torch.zeros(2), torch.zeros(2), reduction="avg"))
    assert error_text(lambda: F.mse_loss(minigrad.zeros(2), minigrad.zeros(2), reduction="avg")) == theirs


# ---- Parameter ----


def test_parameter_is_a_tensor_that_requires_grad_and_prints_like_torch():
    ours = nn.Parameter(minigrad.tensor([1.0, 2.0]))
    theirs = torch.nn.Parameter(torch.tensor([1.0, 2.0]))
    assert isinstance(ours, minigrad.Tensor) and isinstance(ours, nn.Parameter)
    assert ours.requires_grad and ours.is_leaf and ours.grad is None
    assert repr(ours) == repr(theirs) == "Parameter containing:\ntensor([1., 2.], requires_grad=True)"


def test_parameter_can_be_frozen_and_shares_data():
    data = minigrad.tensor([1.0, 2.0])
    param = nn.Parameter(data, requires_grad=False)
    assert not param.requires_grad
    with minigrad.no_grad():
        param.add_(1.0)
    assert data.tolist() == [2.0, 3.0]


def test_ops_on_a_parameter_give_plain_tensors():
    param = nn.Parameter(minigrad.ones(2))
    assert type(param * 2) is minigrad.Tensor
    assert type(param.detach()) is minigrad.Tensor


# ---- Module: registration, traversal, modes ----


def build_model(lib):
    """One architecture written once for both libraries."""

    class Block(lib.nn.Module):
        def __init__(self):
            super().__init__()
            self.linear = lib.nn.Linear(3, 4)
            self.activation = lib.nn.ReLU()
            self.register_buffer("running", lib.zeros(4))
            self.register_buffer("scratch", lib.zeros(1), persistent=False)

        def forward(self, x):
            return self.activation(self.linear(x)) + self.running

    class Model(lib.nn.Module):
        def __init__(self):
            super().__init__()
            self.block = Block()
            self.head = lib.nn.Sequential(lib.nn.Linear(4, 2), lib.nn.Tanh(), lib.nn.Linear(2, 1, bias=False))
            self.scale = lib.nn.Parameter(lib.ones(1))

        def forward(self, x):
            return self.head(self.block(x)) * self.scale

    return Model()


def test_named_parameters_children_modules_match_torch():
    ours, theirs = build_model(minigrad), build_model(torch)
    assert [n for n, _ in ours.named_parameters()] == [n for n, _ in theirs.named_parameters()]
    assert [n for n, _ in ours.named_parameters(recurse=False)] == ["scale"]
    assert [n for n, _ in ours.named_buffers()] == [n for n, _ in theirs.named_buffers()]
    assert [n for n, _ in ours.named_children()] == [n for n, _ in theirs.named_children()]
    assert [n for n, _ in ours.named_modules()] == [n for n, _ in theirs.named_modules()]
    assert [type(m).__name__ for m in ours.modules()] == [type(m).__name__ for m in theirs.modules()]
    assert all(isinstance(p, nn.Parameter) for p in ours.parameters())


def test_shared_modules_and_parameters_are_listed_once_like_torch():
    def build(lib):
        shared = lib.nn.Linear(2, 2)
        model = lib.nn.Sequential(shared, lib.nn.ReLU(), shared)
        return model

    ours, theirs = build(minigrad), build(torch)
    assert (
        [n for n, _ in ours.named_parameters()] == [n for n, _ in theirs.named_parameters()] == ["0.weight", "0.bias"]
    )
    assert len(list(ours.modules())) == len(list(theirs.modules())) == 3
    assert list(ours.state_dict()) == list(theirs.state_dict())


def test_train_and_eval_set_the_flag_everywhere():
    model = build_model(minigrad)
    assert all(m.training for m in model.modules())
    assert model.eval() is model
    assert not any(m.training for m in model.modules())
    model.train()
    assert all(m.training for m in model.modules())
    with pytest.raises(ValueError, match="training mode is expected to be boolean"):
        model.train("yes")


def test_module_call_runs_forward_and_matches_torch():
    ours, theirs = build_model(minigrad), build_model(torch)
    load_torch_weights_into_minigrad(theirs, ours)
    x = rng.standard_normal((6, 3)).astype(np.float32)
    np.testing.assert_allclose(
        numpy_of(ours(minigrad.tensor(x))), numpy_of(theirs(torch.tensor(x))), rtol=1e-5, atol=1e-6
    )


def test_zero_grad_clears_every_parameter():
    model = build_model(minigrad)
    model(minigrad.ones(2, 3)).sum().backward()
    assert all(p.grad is not None for p in model.parameters())
    model.zero_grad(set_to_none=False)
    assert all(float(p.grad.abs().sum().item()) == 0.0 for p in model.parameters())
    model.zero_grad()
    assert all(p.grad is None for p in model.parameters())


def test_apply_visits_children_first_like_torch():
    def order(lib):
        visited = []
        build_model(lib).apply(lambda m: visited.append(type(m).__name__))
        return visited

    assert order(minigrad) == order(torch)


def test_reassigning_and_deleting_attributes():
    model = build_model(minigrad)
    model.head = nn.Identity()
    assert [n for n, _ in model.named_children()] == ["block", "head"]
    assert "head.0.weight" not in model.state_dict()
    del model.scale
    assert "scale" not in dict(model.named_parameters())
    model.block.linear.bias = None
    assert "block.linear.bias" not in model.state_dict()
    assert model.block.linear.bias is None


def test_assigning_a_plain_tensor_to_a_parameter_is_refused_like_torch():
    def assign(lib):
        layer = lib.nn.Linear(2, 2)
        return lambda: setattr(layer, "weight", lib.zeros(2, 2))

    theirs = error_text(assign(torch))
    assert theirs[0] == "TypeError"
    assert error_text(assign(minigrad)) == theirs


def test_registering_before_init_is_refused():
    class Broken(nn.Module):
        def __init__(self):
            self.linear = nn.Linear(2, 2)
            super().__init__()

    with pytest.raises(AttributeError, match="cannot assign module before Module.__init__\\(\\) call"):
        Broken()


@pytest.mark.parametrize("name", ["a.b", ""])
def test_bad_parameter_names_are_refused_like_torch(name):
    theirs = error_text(lambda: torch.nn.Module().register_parameter(name, None))
    assert error_text(lambda: nn.Module().register_parameter(name, None)) == theirs


def test_missing_forward_is_reported_like_torch():
    theirs = error_text(lambda: torch.nn.Module()(1))
    assert error_text(lambda: nn.Module()(1)) == theirs


def test_unknown_attribute_error_names_the_module():
    theirs = error_text(lambda: torch.nn.Linear(2, 2).nothing)
    assert error_text(lambda: nn.Linear(2, 2).nothing) == theirs


# ---- Sequential ----


def test_sequential_indexing_len_iteration_and_slicing():
    first, second, third = nn.Linear(3, 2), nn.ReLU(), nn.Linear(2, 1)
    model = nn.Sequential(first, second, third)
    assert len(model) == 3
    assert model[0] is first and model[-1] is third
    assert list(model) == [first, second, third]
    assert isinstance(model[1:], nn.Sequential) and list(model[1:]) == [second, third]
    with pytest.raises(IndexError):
        model[3]
    named = nn.Sequential(OrderedDict([("hidden", nn.Linear(3, 2)), ("out", nn.Linear(2, 1))]))
    assert list(named.state_dict()) == ["hidden.weight", "hidden.bias", "out.weight", "out.bias"]
    assert model.append(nn.Sigmoid()) is model and len(model) == 4


def test_flatten_and_identity_match_torch():
    x = rng.standard_normal((2, 3, 4))
    for args in [(), (0, 1), (1, -1), (0, -1)]:
        ours = nn.Flatten(*args)(minigrad.tensor(x))
        theirs = torch.nn.Flatten(*args)(torch.tensor(x))
        np.testing.assert_array_equal(numpy_of(ours), numpy_of(theirs))
    np.testing.assert_array_equal(numpy_of(nn.Identity(54, unused=1)(minigrad.tensor(x))), x)


# ---- repr ----

REPR_CASES = {
    "softmin": lambda lib: lib.nn.Softmin(1),
    "softsign": lambda lib: lib.nn.Softsign(),
    "tanhshrink": lambda lib: lib.nn.Tanhshrink(),
    "threshold": lambda lib: lib.nn.Threshold(0.1, 20),
    "threshold-inplace": lambda lib: lib.nn.Threshold(0.1, 20.0, inplace=True),
    "prelu": lambda lib: lib.nn.PReLU(),
    "prelu-3": lambda lib: lib.nn.PReLU(3, init=0.1),
    "linear": lambda lib: lib.nn.Linear(3, 1),
    "linear_no_bias": lambda lib: lib.nn.Linear(3, 1, bias=False),
    "activations": lambda lib: lib.nn.Sequential(
        lib.nn.ReLU(), lib.nn.ReLU(inplace=True), lib.nn.Sigmoid(), lib.nn.Tanh()
    ),
    "more_activations": lambda lib: lib.nn.Sequential(
        lib.nn.Softplus(),
        lib.nn.Softplus(beta=2, threshold=10),
        lib.nn.SiLU(),
        lib.nn.SiLU(inplace=True),
        lib.nn.ELU(),
        lib.nn.ELU(alpha=0.5, inplace=True),
        lib.nn.LeakyReLU(),
        lib.nn.LeakyReLU(0.2, inplace=True),
        lib.nn.LogSigmoid(),
        lib.nn.GELU(),
        lib.nn.GELU(approximate="tanh"),
        lib.nn.Softmax(dim=1),
        lib.nn.Softmax(),
        lib.nn.LogSoftmax(-1),
    ),
    "piecewise_activations": lambda lib: lib.nn.Sequential(
        lib.nn.SELU(),
        lib.nn.SELU(inplace=True),
        lib.nn.CELU(),
        lib.nn.CELU(alpha=0.5, inplace=True),
        lib.nn.Hardtanh(),
        lib.nn.Hardtanh(-2, 2),
        lib.nn.Hardtanh(min_val=0.0, max_val=6.0, inplace=True),
        lib.nn.ReLU6(),
        lib.nn.ReLU6(inplace=True),
        lib.nn.Hardsigmoid(),
        lib.nn.Hardswish(),
        lib.nn.Mish(),
    ),
    "losses": lambda lib: lib.nn.Sequential(lib.nn.MSELoss(), lib.nn.L1Loss(reduction="sum")),
    "flatten_identity": lambda lib: lib.nn.Sequential(lib.nn.Flatten(), lib.nn.Flatten(0, 1), lib.nn.Identity()),
    "nested": build_model,
    "empty_module": lambda lib: lib.nn.Module(),
    "empty_sequential": lambda lib: lib.nn.Sequential(),
}


@pytest.mark.parametrize(
    "make",
    [
        lambda lib: lib.nn.SELU(),
        lambda lib: lib.nn.CELU(0.5),
        lambda lib: lib.nn.Hardtanh(-2, 2),
        lambda lib: lib.nn.ReLU6(),
        lambda lib: lib.nn.Hardsigmoid(),
        lambda lib: lib.nn.Hardswish(),
        lambda lib: lib.nn.Mish(),
    ],
    ids=["selu", "celu", "hardtanh", "relu6", "hardsigmoid", "hardswish", "mish"],
)
def test_activation_modules_compute_what_torchs_do(make):
    """Each module on values at and around its kinks (-3, 0, 3, 6), forward and gradient, against torch."""
    values = [-7.0, -3.0, -2.0, -0.5, 0.0, 0.5, 2.0, 3.0, 5.5, 6.0, 9.0]
    results = []
    for lib in (minigrad, torch):
        x = lib.tensor(values, requires_grad=True)
        y = make(lib)(x)
        y.backward(lib.linspace(0.5, 1.5, len(values)))
        results.append((y.grad_fn.name(), y.detach().numpy(), x.grad.numpy()))
    assert results[0][0] == results[1][0]
    np.testing.assert_allclose(results[0][1], results[1][1], rtol=1e-6, atol=1e-7)
    np.testing.assert_allclose(results[0][2], results[1][2], rtol=1e-6, atol=1e-7)


def test_hardtanh_with_its_bounds_reversed_is_torchs_error():
    for lib in (minigrad, torch):
        with pytest.raises(AssertionError, match=r"max_val \(1.0\) must be greater than min_val \(2.0\)"):
            lib.nn.Hardtanh(2.0, 1.0)
        with pytest.raises(ValueError, match="min_val cannot be greater than max_val"):
            lib.nn.functional.hardtanh(lib.ones(2), 2.0, 1.0)


@pytest.mark.parametrize("name", REPR_CASES)
def test_repr_matches_torch(name):
    assert repr(REPR_CASES[name](minigrad)) == repr(REPR_CASES[name](torch))


def test_repr_of_the_lecture_model():
    assert repr(nn.Linear(3, 1)) == "Linear(in_features=3, out_features=1, bias=True)"


# ---- init ----


def test_linear_default_init_uses_torchs_bounds():
    minigrad.manual_seed(0)
    layer = nn.Linear(50, 40)
    bound = 1 / math.sqrt(50)
    weight, bias = numpy_of(layer.weight), numpy_of(layer.bias)
    assert weight.shape == (40, 50) and bias.shape == (40,)
    assert weight.dtype == np.float32
    assert np.abs(weight).max() <= bound and np.abs(bias).max() <= bound
    assert np.abs(weight).max() > 0.9 * bound  # spread over the whole range, not a tiny one
    assert abs(weight.std() - bound / math.sqrt(3)) < 0.1 * bound  # the std of U(-bound, bound)


def test_linear_accepts_dtype():
    layer = nn.Linear(2, 3, dtype=minigrad.float64)
    assert layer.weight.dtype == minigrad.float64 and layer.bias.dtype == minigrad.float64


def test_fan_in_and_fan_out_match_torch():
    for shape in [(4, 3), (5, 2, 3, 3)]:
        ours = nn.init.calculate_fan_in_and_fan_out(minigrad.empty(shape))
        theirs = torch.nn.init._calculate_fan_in_and_fan_out(torch.empty(shape))
        assert ours == theirs
    theirs = error_text(lambda: torch.nn.init._calculate_fan_in_and_fan_out(torch.empty(3)))
    assert error_text(lambda: nn.init.calculate_fan_in_and_fan_out(minigrad.empty(3))) == theirs


@pytest.mark.parametrize(
    "function, expected",
    [(nn.init.zeros_, 0.0), (nn.init.ones_, 1.0), (lambda t: nn.init.constant_(t, 2.5), 2.5)],
)
def test_constant_fills(function, expected):
    param = nn.Parameter(minigrad.empty(3, 2))
    assert function(param) is param
    assert param.requires_grad and param.grad_fn is None
    np.testing.assert_array_equal(numpy_of(param), np.full((3, 2), expected, dtype=np.float32))


def test_random_fills_have_the_right_ranges():
    minigrad.manual_seed(0)
    weight = nn.Parameter(minigrad.empty(200, 300))
    nn.init.uniform_(weight, -2.0, 3.0)
    values = numpy_of(weight)
    assert values.min() >= -2.0 and values.max() < 3.0 and abs(values.mean() - 0.5) < 0.05
    nn.init.normal_(weight, mean=1.0, std=2.0)
    values = numpy_of(weight)
    assert abs(values.mean() - 1.0) < 0.05 and abs(values.std() - 2.0) < 0.05
    nn.init.xavier_uniform_(weight, gain=2.0)
    assert np.abs(numpy_of(weight)).max() <= 2.0 * math.sqrt(6 / 500)
    nn.init.kaiming_uniform_(weight, nonlinearity="relu")
    assert np.abs(numpy_of(weight)).max() <= math.sqrt(2) * math.sqrt(3 / 300)
    nn.init.kaiming_uniform_(weight, mode="fan_out", nonlinearity="relu")
    assert np.abs(numpy_of(weight)).max() <= math.sqrt(2) * math.sqrt(3 / 200)
    assert weight.grad_fn is None and weight.requires_grad


def test_calculate_gain_matches_torch():
    for nonlinearity, param in [
        ("linear", None),
        ("tanh", None),
        ("relu", None),
        ("leaky_relu", None),
        ("leaky_relu", math.sqrt(5)),
    ]:
        assert nn.init.calculate_gain(nonlinearity, param) == pytest.approx(
            torch.nn.init.calculate_gain(nonlinearity, param)
        )


# ---- state_dict and load_state_dict ----


def to_torch_state(state):
    return OrderedDict((key, torch.from_numpy(numpy_of(value).copy())) for key, value in state.items())


def to_minigrad_state(state):
    return OrderedDict((key, minigrad.tensor(numpy_of(value).copy())) for key, value in state.items())


def load_torch_weights_into_minigrad(torch_model, minigrad_model):
    minigrad_model.load_state_dict(to_minigrad_state(torch_model.state_dict()))


def test_state_dict_keys_and_shapes_match_torch():
    ours, theirs = build_model(minigrad).state_dict(), build_model(torch).state_dict()
    assert list(ours) == list(theirs)
    assert [tuple(v.shape) for v in ours.values()] == [tuple(v.shape) for v in theirs.values()]
    assert isinstance(ours, OrderedDict)
    assert all(not v.requires_grad for v in ours.values())
    kept = build_model(minigrad).state_dict(keep_vars=True)
    assert kept["scale"].requires_grad


def test_state_dict_shares_memory_with_the_model():
    model = nn.Linear(2, 1)
    state = model.state_dict()
    with minigrad.no_grad():
        model.weight.fill_(7.0)
    assert numpy_of(state["weight"]).tolist() == [[7.0, 7.0]]


def test_trained_minigrad_model_loads_into_torch_and_predicts_the_same():
    ours, theirs = build_model(minigrad), build_model(torch)
    optimizer = minigrad.optim.SGD(ours.parameters(), lr=0.1, momentum=0.9)
    x = rng.standard_normal((8, 3)).astype(np.float32)
    y = rng.standard_normal((8, 1)).astype(np.float32)
    for _ in range(5):
        optimizer.zero_grad()
        F.mse_loss(ours(minigrad.tensor(x)), minigrad.tensor(y)).backward()
        optimizer.step()
    with minigrad.no_grad():
        ours.block.running.add_(0.5)  # a buffer must travel too

    result = theirs.load_state_dict(to_torch_state(ours.state_dict()))
    assert not result.missing_keys and not result.unexpected_keys
    with torch.no_grad():
        expected = theirs(torch.tensor(x)).numpy()
    np.testing.assert_allclose(numpy_of(ours(minigrad.tensor(x))), expected, rtol=1e-5, atol=1e-6)


def test_trained_torch_model_loads_into_minigrad_and_predicts_the_same():
    ours, theirs = build_model(minigrad), build_model(torch)
    optimizer = torch.optim.Adam(theirs.parameters(), lr=0.01)
    x = rng.standard_normal((8, 3)).astype(np.float32)
    y = rng.standard_normal((8, 1)).astype(np.float32)
    for _ in range(5):
        optimizer.zero_grad()
        torch.nn.functional.mse_loss(theirs(torch.tensor(x)), torch.tensor(y)).backward()
        optimizer.step()

    result = ours.load_state_dict(to_minigrad_state(theirs.state_dict()))
    assert repr(result) == "<All keys matched successfully>"
    with torch.no_grad():
        expected = theirs(torch.tensor(x)).numpy()
    np.testing.assert_allclose(numpy_of(ours(minigrad.tensor(x))), expected, rtol=1e-5, atol=1e-6)
    # Loading copies values into the existing Parameters: an optimizer holding them still works.
    assert all(isinstance(p, nn.Parameter) for p in ours.parameters())


def test_lecture_model_round_trips_through_torch():
    class MultivariateLinearRegressionModel(nn.Module):
        def __init__(self):
            super().__init__()
            self.linear = nn.Linear(3, 1)

        def forward(self, x):
            return self.linear(x)

    class TorchMultivariateLinearRegressionModel(torch.nn.Module):
        def __init__(self):
            super().__init__()
            self.linear = torch.nn.Linear(3, 1)

        def forward(self, x):
            return self.linear(x)

    ours, theirs = MultivariateLinearRegressionModel(), TorchMultivariateLinearRegressionModel()
    theirs.load_state_dict(to_torch_state(ours.state_dict()))
    again = MultivariateLinearRegressionModel()
    again.load_state_dict(to_minigrad_state(theirs.state_dict()))
    x = [[73.0, 80.0, 75.0], [93.0, 88.0, 93.0]]
    np.testing.assert_allclose(numpy_of(again(minigrad.tensor(x))), numpy_of(theirs(torch.tensor(x))), rtol=1e-6)


def state_dict_error(lib, change):
    """The error (type, text) each library gives for the same broken state_dict."""
    model = build_model(lib)
    state = OrderedDict(model.state_dict())
    change(state, lib)
    return error_text(lambda: model.load_state_dict(state))


BROKEN_STATE_DICTS = {
    "missing": lambda state, lib: state.pop("block.linear.bias"),
    "unexpected": lambda state, lib: state.update({"block.linear.extra": lib.zeros(1), "head.9.weight": lib.zeros(1)}),
    "missing_and_unexpected": lambda state, lib: state.update({"headd.0.weight": state.pop("head.0.weight")}),
    "size_mismatch": lambda state, lib: state.update({"head.0.weight": lib.zeros(3, 4)}),
    "size_mismatch_and_missing": lambda state, lib: (state.update({"scale": lib.zeros(2)}), state.pop("block.running")),
    "not_a_tensor": lambda state, lib: state.update({"scale": [1.0]}),
}


@pytest.mark.parametrize("name", BROKEN_STATE_DICTS)
def test_broken_state_dict_is_refused_in_torchs_words(name):
    theirs = state_dict_error(torch, BROKEN_STATE_DICTS[name])
    ours = state_dict_error(minigrad, BROKEN_STATE_DICTS[name])
    assert theirs is not None and theirs[0] == "RuntimeError"
    assert theirs[1].startswith("Error(s) in loading state_dict for Model:\n\t")
    assert ours == theirs


def test_size_mismatch_message_names_both_shapes():
    model = nn.Linear(3, 1)
    with pytest.raises(RuntimeError) as error:
        model.load_state_dict({"weight": minigrad.zeros(1, 4), "bias": minigrad.zeros(1)})
    assert str(error.value) == (
        "Error(s) in loading state_dict for Linear:\n\tsize mismatch for weight: copying a param with shape "
        f"{minigrad.zeros(1, 4).shape} from checkpoint, the shape in current model is {minigrad.zeros(1, 3).shape}."
    )


def test_non_strict_loading_reports_keys_like_torch():
    def load(lib):
        model = build_model(lib)
        state = model.state_dict()
        state.pop("scale")
        state["bogus"] = lib.zeros(1)
        result = model.load_state_dict(state, strict=False)
        return result.missing_keys, result.unexpected_keys

    assert load(minigrad) == load(torch) == (["scale"], ["bogus"])


def test_a_failed_strict_load_reports_but_a_matching_one_copies():
    source, target = nn.Linear(3, 1), nn.Linear(3, 1)
    weight_object = target.weight
    target.load_state_dict(source.state_dict())
    assert target.weight is weight_object  # copied in place, not replaced
    np.testing.assert_array_equal(numpy_of(target.weight), numpy_of(source.weight))


def test_load_state_dict_needs_a_mapping():
    theirs = error_text(lambda: torch.nn.Linear(1, 1).load_state_dict([1]))
    assert error_text(lambda: nn.Linear(1, 1).load_state_dict([1])) == theirs


# ---- buffers ----


def test_buffers_persistent_and_not_like_torch():
    ours, theirs = build_model(minigrad), build_model(torch)
    assert [n for n, _ in ours.named_buffers()] == [n for n, _ in theirs.named_buffers()]
    assert "block.scratch" not in ours.state_dict() and "block.running" in ours.state_dict()
    assert "block.running" not in dict(ours.named_parameters())


def test_register_buffer_refuses_non_tensors_like_torch():
    theirs = error_text(lambda: torch.nn.Module().register_buffer("b", [1.0]))
    ours = error_text(lambda: nn.Module().register_buffer("b", [1.0]))
    assert ours == theirs


# ---- devices ----


def test_to_and_cpu_keep_parameter_objects():
    model = build_model(minigrad)
    params = list(model.parameters())
    assert model.to("cpu") is model and model.cpu() is model
    assert list(model.parameters()) == params or all(a is b for a, b in zip(model.parameters(), params))
    assert all(p.device.type == "cpu" for p in model.parameters())
    assert all(b.device.type == "cpu" for b in model.buffers())


def test_to_dtype_converts_parameters_in_place():
    model = nn.Linear(2, 1)
    weight = model.weight
    model.to(minigrad.float64)
    assert model.weight is weight and weight.dtype == minigrad.float64
    assert model.double() is model and model.float().weight.dtype == minigrad.float32


def test_to_device_moves_parameters_and_training_still_works(device):
    model = nn.Sequential(nn.Linear(3, 2), nn.Tanh(), nn.Linear(2, 1))
    params = list(model.parameters())
    model.to(device)
    assert all(a is b for a, b in zip(model.parameters(), params))
    assert all(p.device == minigrad.device(device) for p in model.parameters())
    optimizer = minigrad.optim.SGD(model.parameters(), lr=0.1, momentum=0.9)
    x = minigrad.ones(4, 3, device=device)
    for _ in range(2):
        optimizer.zero_grad()
        loss = F.mse_loss(model(x), minigrad.zeros(4, 1, device=device))
        loss.backward()
        optimizer.step()
    assert all(p.grad.device == minigrad.device(device) for p in model.parameters())
    model.cpu()
    assert all(p.device.type == "cpu" for p in model.parameters())


# ---- copying ----


def test_deepcopy_and_pickle_give_independent_equal_models():
    import copy
    import pickle

    model = nn.Sequential(nn.Linear(3, 4), nn.Sequential(nn.Tanh(), nn.Linear(4, 1)))
    model.register_buffer("running", minigrad.ones(2))
    for clone in (copy.deepcopy(model), pickle.loads(pickle.dumps(model))):
        assert repr(clone) == repr(model)
        assert all(isinstance(p, nn.Parameter) and p.requires_grad for p in clone.parameters())
        for (name, ours), (_, original) in zip(clone.state_dict().items(), model.state_dict().items()):
            np.testing.assert_array_equal(numpy_of(ours), numpy_of(original), err_msg=name)
        with minigrad.no_grad():
            clone[0].bias.fill_(5.0)
            clone.running.fill_(5.0)
        assert 5.0 not in model[0].bias.tolist() and model.running.tolist() == [1.0, 1.0]


@pytest.mark.parametrize(
    "call",
    [
        lambda lib: lib.nn.functional.linear([1.0, 2.0, 3.0], lib.ones(2, 3)),
        lambda lib: lib.nn.functional.relu([1.0]),
        lambda lib: lib.nn.ReLU()([1.0]),
        lambda lib: lib.nn.Linear(3, 2)([1.0, 2.0, 3.0]),
    ],
    ids=["linear", "relu", "ReLU", "Linear"],
)
def test_non_tensor_input_is_refused_like_torch(call):
    theirs = error_text(lambda: call(torch))
    assert theirs[0] == "TypeError"
    assert error_text(lambda: call(minigrad)) == theirs


@pytest.mark.parametrize(
    "name", ["mse_loss", "l1_loss", "huber_loss", "smooth_l1_loss", "sigmoid", "tanh", "softmax", "log_softmax"]
)
def test_non_tensor_input_to_functional_is_a_type_error(name):
    arguments = ([1.0], minigrad.ones(1)) if name.endswith("loss") else ([1.0],)
    keywords = {"dim": 0} if "softmax" in name else {}
    with pytest.raises(TypeError, match=rf"{name}\(\): argument 'input' \(position 1\) must be Tensor, not list"):
        getattr(F, name)(*arguments, **keywords)


def test_parameter_of_a_non_tensor_is_a_type_error():
    with pytest.raises(TypeError, match="must be Tensor, not list"):
        nn.Parameter([1.0])


def test_linear_weight_grad_is_laid_out_like_the_weight():
    """Linear multiplies by weight.t(); its gradient must still come out row-major like the weight
    (as PyTorch's), or every optimizer update strides through memory (issue 7)."""
    torch.manual_seed(0)
    t_layer = torch.nn.Linear(5, 3)
    m_layer = minigrad.nn.Linear(5, 3)
    m_layer.load_state_dict({k: minigrad.tensor(v.detach().numpy()) for k, v in t_layer.state_dict().items()})
    x = np.random.default_rng(0).standard_normal((4, 5)).astype(np.float32)
    t_layer(torch.tensor(x)).square().sum().backward()
    m_layer(minigrad.tensor(x)).square().sum().backward()
    assert m_layer.weight.grad._array.flags.c_contiguous
    np.testing.assert_allclose(m_layer.weight.grad.numpy(), t_layer.weight.grad.numpy(), rtol=1e-5, atol=1e-6)


@pytest.mark.parametrize("reduction", ["mean", "sum"])
def test_mse_loss_second_derivatives(reduction):
    """MseLossBackward0 runs one op (MseLossBackwardBackward0, as PyTorch's mse_loss_backward);
    that op must itself be differentiable: checked by finite differences and against torch."""
    rng = np.random.default_rng(0)
    x = minigrad.tensor(rng.standard_normal((5, 3)), requires_grad=True)
    y = minigrad.tensor(rng.standard_normal((5, 3)), requires_grad=True)
    loss = lambda a, b: minigrad.nn.functional.mse_loss(a, b, reduction=reduction)  # noqa: E731
    assert minigrad.autograd.gradgradcheck(loss, (x, y))
    results = []
    for lib in (minigrad, torch):
        a = lib.tensor([0.3, -1.2, 2.0], dtype=lib.float64, requires_grad=True)
        b = lib.tensor([1.0, 2.0, 0.0], dtype=lib.float64, requires_grad=True)
        grads = lib.autograd.grad(lib.nn.functional.mse_loss(a * 2, b, reduction=reduction), (a, b), create_graph=True)
        results.append(lib.autograd.grad(grads[0].sum() + grads[1].pow(2).sum(), (a, b)))
    for m, t in zip(*results):
        np.testing.assert_allclose(m.numpy(), t.numpy(), rtol=1e-12)


@pytest.mark.parametrize("name", ["softmax", "log_softmax"])
def test_functional_softmax_without_dim_warns_and_picks_pytorchs_dim(name) -> None:
    """F.softmax(x) without dim: PyTorch's legacy choice (dim 1 of a matrix), its warning naming
    the function, pointing at the caller's line; torch.softmax(x) without dim is a TypeError."""
    import torch

    values = [[1.0, 2.0, 3.0], [1.0, 1.0, 1.0]]
    results = []
    for lib in (torch, minigrad):
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            result = getattr(lib.nn.functional, name)(lib.tensor(values))
        assert [w.filename for w in caught] == [__file__]
        results.append((result.tolist(), [str(w.message) for w in caught]))
        with pytest.raises(TypeError):
            getattr(lib, name)(lib.tensor(values))
    assert results[0] == results[1]


# ---- classification losses: values and gradients against torch, and finite differences ----


def _classification_inputs(rng, shape, classes, dtype):
    logits = rng.standard_normal(shape)
    batch = (shape[0], *shape[2:]) if len(shape) > 1 else ()
    return logits, rng.integers(0, classes, batch)


CLASSIFICATION_CASES = {
    "cross_entropy": lambda lib, x, t, w: lib.nn.functional.cross_entropy(x, t),
    "cross_entropy_sum": lambda lib, x, t, w: lib.nn.functional.cross_entropy(x, t, reduction="sum"),
    "cross_entropy_none": lambda lib, x, t, w: lib.nn.functional.cross_entropy(x, t, reduction="none"),
    "cross_entropy_weight": lambda lib, x, t, w: lib.nn.functional.cross_entropy(x, t, weight=w),
    "cross_entropy_ignore": lambda lib, x, t, w: lib.nn.functional.cross_entropy(x, t, ignore_index=1),
    "cross_entropy_smoothing": lambda lib, x, t, w: lib.nn.functional.cross_entropy(x, t, label_smoothing=0.2),
    "cross_entropy_smoothing_weight_sum": lambda lib, x, t, w: lib.nn.functional.cross_entropy(
        x, t, weight=w, label_smoothing=0.1, reduction="sum"
    ),
    "cross_entropy_smoothing_weight_ignore": lambda lib, x, t, w: lib.nn.functional.cross_entropy(
        x, t, weight=w, ignore_index=0, label_smoothing=0.3
    ),
    "nll_loss_module": lambda lib, x, t, w: lib.nn.NLLLoss(weight=w)(x.log_softmax(1), t),
    "cross_entropy_module": lambda lib, x, t, w: lib.nn.CrossEntropyLoss(reduction="none", weight=w)(x, t),
    "cross_entropy_probabilities": lambda lib, x, t, w: lib.nn.functional.cross_entropy(
        x, _class_dim_second(lib.nn.functional.one_hot(t, x.shape[1]).to(x.dtype) * 0.7 + 0.1), label_smoothing=0.1
    ),
}


def _class_dim_second(one_hot):
    """one_hot puts the classes last; the losses want them in dim 1."""
    return one_hot if one_hot.ndim <= 2 else one_hot.permute(0, one_hot.ndim - 1, *range(1, one_hot.ndim - 1))


@pytest.mark.parametrize("name", CLASSIFICATION_CASES)
@pytest.mark.parametrize("shape", [(5, 3), (4, 3, 2), (1, 4)])
@pytest.mark.parametrize("dtype", ["float64", "float32"])
def test_classification_losses_match_torch(name, shape, dtype):
    local = np.random.default_rng(zlib.crc32(f"{name}{shape}".encode()))
    logits, target = _classification_inputs(local, shape, shape[1], dtype)
    if target.size == 1:
        target[...] = 2  # (a single target equal to the ignore_index leaves nothing to average: nan)
    weights = local.uniform(0.5, 2.0, shape[1])
    x = minigrad.tensor(logits, dtype=getattr(minigrad, dtype), requires_grad=True)
    w = minigrad.tensor(weights, dtype=getattr(minigrad, dtype))
    minigrad.testing.compare_with_torch(
        lambda x, t, w: CLASSIFICATION_CASES[name](minigrad, x, t, w),
        x,
        minigrad.tensor(target),
        w,
        torch_fn=lambda x, t, w: CLASSIFICATION_CASES[name](torch, x, t, w),
    )
    x64 = minigrad.tensor(logits, dtype=minigrad.float64, requires_grad=True)
    w64 = minigrad.tensor(weights, dtype=minigrad.float64)
    assert minigrad.testing.gradcheck(
        lambda x: CLASSIFICATION_CASES[name](minigrad, x, minigrad.tensor(target), w64), [x64]
    )


BINARY_CASES = {
    "bce": lambda lib, p, t, w: lib.nn.functional.binary_cross_entropy(p, t),
    "bce_sum_weight": lambda lib, p, t, w: lib.nn.functional.binary_cross_entropy(p, t, weight=w, reduction="sum"),
    "bce_none": lambda lib, p, t, w: lib.nn.functional.binary_cross_entropy(p, t, reduction="none"),
    "bce_module": lambda lib, p, t, w: lib.nn.BCELoss()(p, t),
    "bce_logits": lambda lib, p, t, w: lib.nn.functional.binary_cross_entropy_with_logits(p, t),
    "bce_logits_pos_weight": lambda lib, p, t, w: lib.nn.BCEWithLogitsLoss(pos_weight=w, reduction="sum")(p, t),
}


@pytest.mark.parametrize("name", BINARY_CASES)
@pytest.mark.parametrize("dtype", ["float64", "float32"])
def test_binary_losses_match_torch(name, dtype):
    local = np.random.default_rng(zlib.crc32(name.encode()))
    values = local.uniform(0.05, 0.95, (4, 3))
    targets = local.uniform(0, 1, (4, 3))
    weights = local.uniform(0.5, 2.0, 3)
    mg = getattr(minigrad, dtype)
    p = minigrad.tensor(values, dtype=mg, requires_grad=True)
    t = minigrad.tensor(targets, dtype=mg, requires_grad=True)
    w = minigrad.tensor(weights, dtype=mg)
    minigrad.testing.compare_with_torch(
        lambda p, t, w: BINARY_CASES[name](minigrad, p, t, w),
        p,
        t,
        w,
        torch_fn=lambda p, t, w: BINARY_CASES[name](torch, p, t, w),
    )
    p64 = minigrad.tensor(values, dtype=minigrad.float64, requires_grad=True)
    t64 = minigrad.tensor(targets, dtype=minigrad.float64, requires_grad=True)
    w64 = minigrad.tensor(weights, dtype=minigrad.float64)
    assert minigrad.testing.gradcheck(lambda p, t: BINARY_CASES[name](minigrad, p, t, w64), [p64, t64])


def test_classification_loss_nodes_are_pytorchs():
    names = []
    for lib in (minigrad, torch):
        x = lib.tensor([[0.2, -1.0, 0.5], [1.5, 0.3, -0.2]], requires_grad=True)
        p = lib.tensor([0.3, 0.8], requires_grad=True)
        losses = [
            lib.nn.functional.cross_entropy(x, lib.tensor([2, 0])),
            lib.nn.functional.nll_loss(x, lib.tensor([1, 1])),
            lib.nn.functional.binary_cross_entropy(p, lib.tensor([0.0, 1.0])),
        ]
        names.append(
            [(loss.grad_fn.name(), loss.grad_fn.next_functions[0][0].name().split("::")[-1]) for loss in losses]
        )
    assert names[0] == names[1]


def test_nll_loss_with_every_target_ignored_is_nan_as_pytorchs():
    for lib in (minigrad, torch):
        x = lib.zeros(2, 3, requires_grad=True)
        loss = lib.nn.functional.nll_loss(x, lib.tensor([-100, -100]))
        assert math.isnan(loss.item())


def test_one_hot_matches_torch():
    for call in [
        lambda lib: lib.nn.functional.one_hot(lib.tensor([0, 2, 1])),
        lambda lib: lib.nn.functional.one_hot(lib.tensor([[0], [3]]), 5),
        lambda lib: lib.nn.functional.one_hot(lib.tensor([], dtype=lib.int64), 2),
    ]:
        ours, theirs = call(minigrad), call(torch)
        assert ours.tolist() == theirs.tolist() and str(ours.dtype)[-5:] == str(theirs.dtype)[-5:]


@pytest.mark.parametrize(
    "loss",
    [
        lambda m, a, b: m.nn.functional.huber_loss(a, b, delta=0.7),
        lambda m, a, b: m.nn.functional.huber_loss(a, b, reduction="none"),
        lambda m, a, b: m.nn.functional.smooth_l1_loss(a, b, beta=0.5),
        lambda m, a, b: m.nn.functional.smooth_l1_loss(a, b, reduction="sum"),
    ],
    ids=["huber_delta", "huber_none", "smooth_l1_beta", "smooth_l1_sum"],
)
def test_huber_and_smooth_l1_second_derivatives(loss):
    """Their backward is one op (HuberLossBackwardBackward0, SmoothL1LossBackwardBackward0), itself
    differentiable: finite differences, and torch's values and node names."""
    values = np.random.default_rng(3).uniform(-3, 3, (2, 2, 4, 3))
    for c in (0.5, 0.7, 1.0):  # away from the kinks, where |input - target| = delta or beta
        near = np.abs(np.abs(values[0] - values[1]) - c) < 0.05
        values[0] += np.where(near, 0.1 * np.sign(values[0] - values[1]), 0.0)
    x, y = (minigrad.tensor(v, requires_grad=True) for v in values)
    assert minigrad.autograd.gradgradcheck(lambda a, b: loss(minigrad, a, b).sum(), (x, y))
    results = []
    for lib in (minigrad, torch):
        a, b = (lib.tensor(v, requires_grad=True) for v in values)
        grad_a, grad_b = lib.autograd.grad(loss(lib, a, b).sum(), (a, b), create_graph=True)
        second = lib.autograd.grad((grad_a * grad_a).sum() + (grad_b * a).sum(), (a, b))
        results.append((grad_a.grad_fn.name(), [t.detach().numpy() for t in (grad_a, grad_b, *second)]))
    assert results[0][0] == results[1][0]
    for ours, theirs in zip(results[0][1], results[1][1]):
        np.testing.assert_allclose(ours, theirs, rtol=1e-12, atol=1e-14)


@pytest.mark.parametrize(
    "make, indices",
    [
        (lambda lib: lib.nn.Embedding(6, 3), [[0, 2, 5], [2, 2, 1]]),
        (lambda lib: lib.nn.Embedding(6, 4, padding_idx=2), [0, 2, 2, 4]),
        (lambda lib: lib.nn.Embedding(6, 4, padding_idx=-1), [[5], [0]]),
        (lambda lib: lib.nn.Embedding(5, 3, max_norm=1.0), [0, 3, 0, 4]),
        (lambda lib: lib.nn.Embedding(5, 2, max_norm=0.5, norm_type=1.0), [[1, 1], [2, 0]]),
    ],
    ids=["plain", "padding", "negative_padding", "max_norm", "max_norm_l1"],
)
@pytest.mark.parametrize("device", ["cpu", "strict"])
def test_embedding_matches_torch(make, indices, device):
    """The same starting table after the same seed, rows looked up, rows renormalized (max_norm),
    and gradients added into the rows they came from (none into padding_idx's)."""
    results = []
    for lib in (minigrad, torch):
        lib.manual_seed(0)
        on = device if lib is minigrad else "cpu"
        table = make(lib).to(on)
        out = table(lib.tensor(indices, device=on))
        upstream = lib.linspace(-1.0, 1.0, out.numel(), device=on).reshape(out.shape)
        (out * upstream).sum().backward()
        arrays = [t.detach().cpu().numpy() for t in (out, table.weight, table.weight.grad)]
        results.append((repr(table), out.grad_fn.name(), *arrays))
    assert results[0][:2] == results[1][:2]
    for ours, theirs in zip(results[0][2:], results[1][2:]):
        np.testing.assert_allclose(ours, theirs, rtol=1e-6, atol=1e-7)


def test_embedding_from_pretrained_and_second_derivatives():
    for lib in (minigrad, torch):
        frozen = lib.nn.Embedding.from_pretrained(lib.ones(3, 2))
        trained = lib.nn.Embedding.from_pretrained(lib.ones(3, 2), freeze=False, padding_idx=0)
        assert (frozen.weight.requires_grad, trained.weight.requires_grad) == (False, True)
        assert repr(trained) == "Embedding(3, 2, padding_idx=0)"
    weight = minigrad.tensor(np.random.default_rng(0).standard_normal((4, 3)), requires_grad=True)
    lookup = lambda w: minigrad.nn.functional.embedding(minigrad.tensor([[0, 3], [3, 1]]), w)  # noqa: E731
    assert minigrad.autograd.gradcheck(lookup, (weight,))
    assert minigrad.autograd.gradgradcheck(lookup, (weight,))


@pytest.mark.parametrize(
    "make, shape",
    [
        (lambda lib: lib.nn.LayerNorm(3), (2, 3)),
        (lambda lib: lib.nn.LayerNorm([2, 3], eps=1e-3), (4, 2, 3)),
        (lambda lib: lib.nn.LayerNorm(4, elementwise_affine=False), (3, 4)),
        (lambda lib: lib.nn.LayerNorm(4, bias=False), (2, 5, 4)),
    ],
    ids=["one_dim", "two_dims", "no_affine", "no_bias"],
)
@pytest.mark.parametrize("dtype", ["float32", "float64"])
@pytest.mark.parametrize("device", ["cpu", "strict"])
def test_layer_norm_matches_torch(make, shape, dtype, device):
    """Values, the gradients of input, weight and bias, and a second derivative, against torch."""
    rng = np.random.default_rng(0)
    values, upstream = rng.standard_normal(shape).astype(dtype), rng.standard_normal(shape).astype(dtype)
    results = []
    for lib in (minigrad, torch):
        on = device if lib is minigrad else "cpu"
        layer = make(lib).to(getattr(lib, dtype)).to(on)
        if layer.weight is not None:  # (a weight other than ones, so that its part of the gradient shows)
            with lib.no_grad():
                layer.weight.copy_(
                    lib.linspace(0.5, 1.5, layer.weight.numel(), dtype=getattr(lib, dtype), device=on).reshape(
                        layer.weight.shape
                    )
                )
        x = lib.tensor(values, requires_grad=True, device=on)
        y = layer(x)
        (y * lib.tensor(upstream, device=on)).sum().backward()
        (grad_x,) = lib.autograd.grad((layer(x) ** 3).sum(), x, create_graph=True)
        (second,) = lib.autograd.grad((grad_x * grad_x).sum(), x)
        tensors = [y, x.grad, second] + [p.grad for p in (layer.weight, layer.bias) if p is not None]
        results.append((repr(layer), y.grad_fn.name(), [t.detach().cpu().numpy() for t in tensors]))
    assert results[0][:2] == results[1][:2]
    tolerance = 1e-4 if dtype == "float32" else 1e-10  # (float32: the second derivative cancels digits)
    for ours, theirs in zip(results[0][2], results[1][2]):
        np.testing.assert_allclose(ours, theirs, rtol=tolerance, atol=tolerance)


def test_layer_norm_passes_gradcheck_and_gradgradcheck():
    rng = np.random.default_rng(1)
    x, weight, bias = (
        minigrad.tensor(rng.standard_normal(shape), requires_grad=True) for shape in [(3, 4), (4,), (4,)]
    )
    normalize = lambda a, w, b: minigrad.nn.functional.layer_norm(a, (4,), w, b)  # noqa: E731
    assert minigrad.autograd.gradcheck(normalize, (x, weight, bias))
    assert minigrad.autograd.gradgradcheck(normalize, (x, weight, bias))


@pytest.mark.parametrize(
    "make, shape",
    [
        (lambda lib: lib.nn.BatchNorm1d(3), (4, 3)),
        (lambda lib: lib.nn.BatchNorm1d(3, momentum=None), (5, 3, 2)),
        (lambda lib: lib.nn.BatchNorm1d(3, momentum=0.3, bias=False), (4, 3)),
        (lambda lib: lib.nn.BatchNorm2d(2, affine=False), (3, 2, 2, 2)),
        (lambda lib: lib.nn.BatchNorm1d(3, track_running_stats=False), (6, 3)),
    ],
    ids=["1d", "1d_cumulative", "1d_no_bias", "2d_no_affine", "1d_untracked"],
)
@pytest.mark.parametrize("device", ["cpu", "strict"])
def test_batch_norm_matches_torch(make, shape, device):
    """Three training steps (outputs, input gradients, running statistics), then evaluation with
    the running statistics, the state_dict's keys and the repr, against torch."""
    batches = [np.random.default_rng(s).standard_normal(shape).astype(np.float32) * (s + 1) + s for s in range(3)]
    results = []
    for lib in (minigrad, torch):
        on = device if lib is minigrad else "cpu"
        layer = make(lib).to(on)
        if layer.weight is not None:  # (a weight other than ones, so that its part of the gradient shows)
            with lib.no_grad():
                layer.weight.copy_(lib.tensor([0.5, 1.5, 2.0][: layer.num_features], device=on))
        arrays = []
        for values in batches + [batches[0]]:
            if len(arrays) == 6:
                layer.eval()
            x = lib.tensor(values, requires_grad=True, device=on)
            y = layer(x)
            (y * y * y).sum().backward()
            arrays += [y, x.grad]
        arrays += [buffer for buffer in layer.buffers()] + [p.grad for p in layer.parameters()]
        results.append((repr(layer), list(layer.state_dict()), [a.detach().cpu().numpy() for a in arrays]))
    assert results[0][:2] == results[1][:2]
    for ours, theirs in zip(results[0][2], results[1][2]):
        np.testing.assert_allclose(ours, theirs, rtol=1e-5, atol=1e-5)


def test_batch_norm_passes_gradcheck_and_gradgradcheck():
    rng = np.random.default_rng(2)
    x, weight, bias = (
        minigrad.tensor(rng.standard_normal(shape), requires_grad=True) for shape in [(4, 3, 2), (3,), (3,)]
    )
    normalize = lambda a, w, b: minigrad.nn.functional.batch_norm(a, None, None, w, b, training=True)  # noqa: E731
    assert minigrad.autograd.gradcheck(normalize, (x, weight, bias))
    assert minigrad.autograd.gradgradcheck(normalize, (x, weight, bias))


def test_loss_module_reprs_match_torch():
    for make in [
        lambda lib: lib.nn.HuberLoss(),
        lambda lib: lib.nn.HuberLoss(reduction="sum", delta=2.0),
        lambda lib: lib.nn.SmoothL1Loss(beta=0.5),
        lambda lib: lib.nn.CrossEntropyLoss(),
        lambda lib: lib.nn.NLLLoss(),
        lambda lib: lib.nn.BCELoss(),
        lambda lib: lib.nn.BCEWithLogitsLoss(),
    ]:
        assert repr(make(minigrad)) == repr(make(torch))


def _containers(lib):
    layers = lib.nn.ModuleList([lib.nn.Linear(2, 3), lib.nn.ReLU()])
    layers.append(lib.nn.Tanh())
    layers.extend([lib.nn.Sigmoid()])
    layers.insert(1, lib.nn.Identity())
    named = lib.nn.ModuleDict({"encoder": lib.nn.Linear(1, 2), "act": lib.nn.ReLU()})
    named["decoder"] = lib.nn.Linear(2, 1)
    return lib.nn.Sequential(layers, lib.nn.ModuleList([lib.nn.ReLU()])[0:1]), named


def test_module_list_and_dict_behave_as_torchs():
    (ours, ours_named), (theirs, theirs_named) = _containers(minigrad), _containers(torch)
    assert repr(ours) == repr(theirs) and repr(ours_named) == repr(theirs_named)
    assert [n for n, _ in ours.named_parameters()] == [n for n, _ in theirs.named_parameters()]
    assert [n for n, _ in ours_named.named_parameters()] == [n for n, _ in theirs_named.named_parameters()]
    assert list(ours_named.keys()) == list(theirs_named.keys()) and ("act" in ours_named) == ("act" in theirs_named)
    assert len(ours[0]) == len(theirs[0]) and repr(ours[0][-1]) == repr(theirs[0][-1])
    for lib, model in ((minigrad, ours), (torch, theirs)):
        with pytest.raises(IndexError, match="index 10 is out of range"):
            model[0][10]
        with pytest.raises(NotImplementedError, match='missing the required "forward" function'):
            model[0](lib.ones(2))


# ---- nn.utils ----


@pytest.mark.parametrize("norm_type, max_norm", [(2.0, 0.5), (1.0, 3.0), (float("inf"), 0.1), (2.0, 100.0)])
def test_clip_grad_norm_matches_torch(norm_type, max_norm):
    results = []
    for lib in (minigrad, torch):
        lib.manual_seed(0)
        model = lib.nn.Sequential(lib.nn.Linear(3, 4), lib.nn.Tanh(), lib.nn.Linear(4, 2))
        model(lib.tensor(np.linspace(-1, 1, 15).reshape(5, 3).astype(np.float32))).pow(2).sum().backward()
        total = lib.nn.utils.clip_grad_norm_(model.parameters(), max_norm, norm_type)
        results.append((total.item(), [p.grad.numpy() for p in model.parameters()]))
    np.testing.assert_allclose(results[0][0], results[1][0], rtol=1e-6)
    for ours, theirs in zip(results[0][1], results[1][1]):
        np.testing.assert_allclose(ours, theirs, rtol=1e-5, atol=1e-7)


def test_clip_grad_value_and_parameter_vectors_match_torch():
    results = []
    for lib in (minigrad, torch):
        weight = lib.tensor([1.0, -5.0, 3.0], requires_grad=True)
        (weight * lib.tensor([2.0, -3.0, 1.0])).sum().backward()
        lib.nn.utils.clip_grad_value_([weight], 1.5)
        parameters = [lib.zeros(2, 2), lib.zeros(2)]
        lib.nn.utils.vector_to_parameters(lib.arange(6.0), parameters)
        vector = lib.nn.utils.parameters_to_vector(parameters)
        nothing = lib.nn.utils.clip_grad_norm_([lib.zeros(2, requires_grad=True)], 1.0)
        results.append((weight.grad.tolist(), [p.tolist() for p in parameters], vector.tolist(), nothing.item()))
    assert results[0] == results[1]


TARGET_SHAPES = [(), (1,), (2,), (3,), (2, 3), (2, 4), (3, 3), (2, 4, 5), (2, 4, 6), (1, 4), (2, 1, 2), (0,)]


@pytest.mark.parametrize("input_shape", [(3,), (2, 3), (2, 3, 4), (2, 3, 4, 5), (2, 3, 1, 1, 2), (0, 3)])
@pytest.mark.parametrize("dtype", ["long", "uint8", "float32", "int32", "bool"])
def test_class_targets_of_every_shape_and_dtype_get_pytorchs_answer(input_shape, dtype):
    """nll_loss and cross_entropy against targets of many shapes and dtypes, most of them wrong:
    the same loss, or the same exception and message as PyTorch (its checks come in a fixed order)."""
    for target_shape in TARGET_SHAPES:
        answers = []
        for lib in (minigrad, torch):
            x, target = lib.ones(input_shape), lib.zeros(target_shape, dtype=getattr(lib, dtype))
            for loss in (lib.nn.functional.nll_loss, lib.nn.functional.cross_entropy):
                try:
                    answers.append(f"{loss(x, target).sum().item():.5f}")  # (nan reads 'nan' on both sides)
                except (RuntimeError, ValueError, IndexError) as error:
                    answers.append((type(error).__name__, str(error).splitlines()[0]))
        assert answers[:2] == answers[2:], (target_shape, answers)


def test_a_linear_layer_of_no_inputs_is_pytorchs():
    """nn.Linear(0, 2): kaiming's init warns that there is nothing to fill, the bias bound is 0,
    and the output is the bias (0s), as in PyTorch."""
    results = []
    for lib in (minigrad, torch):
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            layer = lib.nn.Linear(0, 2)
        results.append(([str(w.message) for w in caught], layer(lib.ones(3, 0)).tolist()))
    assert results[0] == results[1]


MORE_ACTIVATIONS = {
    "softsign": lambda lib, x: lib.nn.functional.softsign(x),
    "tanhshrink": lambda lib, x: lib.nn.Tanhshrink()(x),
    "threshold": lambda lib, x: lib.nn.functional.threshold(x, 0.5, -1.0),
    "threshold module": lambda lib, x: lib.nn.Threshold(-0.25, 7.0)(x),
    "prelu shared": lambda lib, x: lib.nn.functional.prelu(x, lib.tensor([0.25])),
    "prelu per channel": lambda lib, x: lib.nn.functional.prelu(x, lib.tensor([0.1, 0.2, 0.3])),
    "softmin": lambda lib, x: lib.nn.Softmin(dim=1)(x),
    "normalize": lambda lib, x: lib.nn.functional.normalize(x, dim=1),
    "normalize p=1 dim 0": lambda lib, x: lib.nn.functional.normalize(x, p=1.0, dim=0),
}


@pytest.mark.parametrize("activation", list(MORE_ACTIVATIONS.values()), ids=list(MORE_ACTIVATIONS))
def test_more_activations_match_torch(activation):
    """Values, gradients (of x, and of prelu's slopes) and node names, against torch."""
    data = [[0.3, -1.2, 2.0], [0.5, -0.0, -4.0], [0.0, 1e-8, 3.5], [-0.25, 0.5, 6.0]]
    results = []
    for lib in (minigrad, torch):
        x = lib.tensor(data, requires_grad=True)
        y = activation(lib, x)
        y.backward(lib.arange(1.0, y.numel() + 1).reshape(y.shape))
        results.append((y, x.grad, y.grad_fn.name()))
    (ours, our_grad, our_node), (theirs, their_grad, their_node) = results
    assert our_node == their_node
    assert_matches(ours, theirs)
    assert_matches(our_grad, their_grad)


def test_prelu_learns_its_slopes_as_in_pytorch():
    grads = []
    for lib in (minigrad, torch):
        layer = lib.nn.PReLU(3)
        layer(lib.tensor([[1.0, -2.0, 3.0], [-0.5, 0.5, -4.0]])).sum().backward()
        grads.append(layer.weight.grad)
    assert_matches(*grads)
