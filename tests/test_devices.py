"""
Devices: where a tensor's data lives, and the proof that it never leaves silently.

"strict" is array_api_strict on a non-CPU device: like CuPy it refuses implicit conversion
to NumPy and refuses to mix devices, so everything here that runs on "strict" would run the
same way on a GPU. The `device` fixture (conftest.py) gives cpu, strict, and cuda where CuPy
and a GPU exist.
"""

import ast
import importlib
import os
import pickle
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

import minigrad
from minigrad import backend, nn, optim

ROOT = Path(__file__).resolve().parent.parent
HAVE_CUDA = minigrad.cuda.is_available()
needs_no_cuda = pytest.mark.skipif(HAVE_CUDA, reason="this machine has CUDA: the no-GPU error cannot happen")
needs_cuda = pytest.mark.skipif(not HAVE_CUDA, reason="no CUDA device: CuPy and an NVIDIA GPU are needed")
STRICT = minigrad.device("strict")


def host(x: minigrad.Tensor) -> np.ndarray:
    """A tensor's values on the host, copied off its device explicitly."""
    return x.detach().cpu().numpy()


# ---- device objects, as torch.device ----


def test_device_str_repr_and_type():
    cpu = minigrad.device("cpu")
    assert (str(cpu), repr(cpu), cpu.type, cpu.index) == ("cpu", "device(type='cpu')", "cpu", None)
    assert (str(STRICT), repr(STRICT), STRICT.type) == ("strict", "device(type='strict')", "strict")


def test_devices_compare_with_devices_and_strings():
    assert minigrad.device("cpu") == minigrad.device("cpu") == "cpu"
    assert minigrad.device("cpu") != STRICT
    assert hash(minigrad.device("cpu")) == hash(minigrad.device("cpu"))
    assert minigrad.device(STRICT) is STRICT
    assert pickle.loads(pickle.dumps(STRICT)) == STRICT


def test_an_unknown_device_type_is_named_in_the_error():
    with pytest.raises(RuntimeError, match="Expected one of cpu, cuda.* device string: tpu"):
        minigrad.device("tpu")


def test_each_device_holds_its_array_namespace():
    assert minigrad.device("cpu").xp is np
    assert STRICT.xp is importlib.import_module("array_api_strict")


# ---- Tensor.device, to, cpu, cuda ----


def test_a_tensor_is_on_cpu_unless_told(device):
    assert minigrad.tensor([1.0]).device == "cpu"
    assert minigrad.tensor([1.0], device=device).device == minigrad.device(device)


def test_to_device_moves_the_values(device):
    x = minigrad.tensor([[1.0, 2.0], [3.0, 4.0]])
    moved = x.to(device)
    assert moved.device == device and moved.dtype == minigrad.float32
    np.testing.assert_array_equal(host(moved), host(x))
    assert moved.cpu().device == "cpu"


def test_to_dtype_keeps_the_device(device):
    x = minigrad.tensor([1.5, -2.5], device=device)
    converted = x.to(minigrad.float64)
    assert converted.device == device and converted.dtype == minigrad.float64
    assert x.to(minigrad.int64).tolist() == [1, -2]  # truncation toward zero, as in PyTorch


def test_to_device_and_dtype_at_once(device):
    x = minigrad.tensor([1, 2, 3])
    for converted in (x.to(device, minigrad.float64), x.to(device=device, dtype=minigrad.float64)):
        assert converted.device == device and converted.dtype == minigrad.float64
        assert converted.tolist() == [1.0, 2.0, 3.0]


def test_to_another_tensor_takes_its_device_and_dtype(device):
    other = minigrad.zeros(1, dtype=minigrad.float64, device=device)
    converted = minigrad.tensor([1, 2]).to(other)
    assert (converted.device, converted.dtype) == (other.device, minigrad.float64)


def test_to_returns_the_same_tensor_when_nothing_changes(device):
    x = minigrad.ones(2, device=device)
    assert x.to(device) is x and x.to(minigrad.float32) is x
    assert x.to(device, copy=True) is not x


@needs_no_cuda
def test_cuda_without_a_gpu_says_why_and_how_to_install():
    for ask in (lambda: minigrad.ones(2).cuda(), lambda: minigrad.ones(2).to("cuda"), lambda: minigrad.device("cuda")):
        with pytest.raises(RuntimeError, match=r"CUDA is not available: CuPy .*pip install minigrad\[gpu\]"):
            ask()


def test_cuda_is_available_agrees_with_device_count():
    assert isinstance(minigrad.cuda.is_available(), bool)
    assert minigrad.cuda.is_available() == (minigrad.cuda.device_count() > 0)
    if importlib.util.find_spec("cupy") is None:
        assert minigrad.cuda.device_count() == 0


@needs_cuda
def test_cuda_tensors_live_on_cuda_0():
    x = minigrad.ones(2).cuda()
    assert str(x.device) == "cuda:0" and x.is_cuda
    assert x.cpu().tolist() == [1.0, 1.0]


# ---- factories take device= ----

FACTORIES = {
    "zeros": lambda device: minigrad.zeros(2, 3, device=device),
    "ones": lambda device: minigrad.ones(2, 3, device=device),
    "full": lambda device: minigrad.full((2, 3), 7.0, device=device),
    "empty": lambda device: minigrad.empty(2, 3, device=device),
    "arange": lambda device: minigrad.arange(6, device=device),
    "linspace": lambda device: minigrad.linspace(0, 1, 5, device=device),
    "eye": lambda device: minigrad.eye(3, device=device),
    "rand": lambda device: minigrad.rand(2, 3, device=device),
    "randn": lambda device: minigrad.randn(2, 3, device=device),
    "randint": lambda device: minigrad.randint(0, 10, (2, 3), device=device),
    "tensor": lambda device: minigrad.tensor([[1.0, 2.0]], device=device),
    "zeros_like": lambda device: minigrad.zeros_like(minigrad.ones(2), device=device),
    "ones_like": lambda device: minigrad.ones_like(minigrad.ones(2), device=device),
    "full_like": lambda device: minigrad.full_like(minigrad.ones(2), 3.0, device=device),
    "empty_like": lambda device: minigrad.empty_like(minigrad.ones(2), device=device),
    "rand_like": lambda device: minigrad.rand_like(minigrad.ones(2), device=device),
    "randn_like": lambda device: minigrad.randn_like(minigrad.ones(2), device=device),
}


@pytest.mark.parametrize("name", list(FACTORIES))
def test_every_factory_makes_its_tensor_on_the_requested_device(name, device):
    made = FACTORIES[name](device)
    assert made.device == device
    assert made.device.xp is minigrad.device(device).xp  # the data itself, not just the label


def test_like_factories_keep_the_source_device(device):
    source = minigrad.ones(2, 2, device=device)
    for like in (minigrad.zeros_like, minigrad.ones_like, minigrad.rand_like, minigrad.randn_like):
        assert like(source).device == device


def test_manual_seed_gives_the_same_numbers_on_every_device(device):
    draws = {}
    for where in ("cpu", device):
        minigrad.manual_seed(42)
        draws[where] = [host(minigrad.rand(3, device=where)), host(minigrad.randn(2, 2, device=where)),
                        host(minigrad.randint(0, 100, (4,), device=where))]  # fmt: skip
    for on_cpu, on_device in zip(draws["cpu"], draws[device]):
        np.testing.assert_array_equal(on_cpu, on_device)


# ---- data never leaves its device silently ----


def test_ops_on_two_devices_raise_pytorchs_error():
    a, b = minigrad.ones(2), minigrad.ones(2, device="strict")
    message = "Expected all tensors to be on the same device, but found at least two devices, cpu and strict!"
    with pytest.raises(RuntimeError, match=message):
        a + b
    with pytest.raises(RuntimeError, match="Expected all tensors to be on the same device"):
        minigrad.matmul(b, a)


def test_numpy_of_a_strict_tensor_asks_for_cpu_first():
    x = minigrad.ones(2, device="strict")
    message = (
        "can't convert strict device type tensor to numpy. Use Tensor.cpu() to copy the tensor to host memory first."
    )
    with pytest.raises(TypeError) as error:
        x.numpy()
    assert str(error.value) == message
    with pytest.raises(TypeError, match="can't convert strict device type tensor to numpy"):
        np.asarray(x)  # the same refusal through NumPy's __array__ protocol
    assert x.cpu().numpy().tolist() == [1.0, 1.0]


@needs_cuda
def test_numpy_of_a_cuda_tensor_asks_for_cpu_first():
    with pytest.raises(TypeError, match=r"can't convert cuda:0 device type tensor to numpy\. Use Tensor\.cpu\(\)"):
        minigrad.ones(2).cuda().numpy()


def test_item_and_tolist_copy_to_the_host_explicitly(device):
    x = minigrad.tensor([1.5, 2.5], device=device)
    assert x.tolist() == [1.5, 2.5] and x[1].item() == 2.5


def test_gradients_flow_through_to_back_to_the_source_device(device):
    x = minigrad.tensor([1.0, 2.0, 3.0], requires_grad=True)  # on cpu
    y = (x.to(device) ** 2).sum()  # computed on `device`
    y.backward()
    assert x.grad.device == "cpu"
    np.testing.assert_allclose(host(x.grad), [2.0, 4.0, 6.0])

    w = minigrad.tensor([1.0, -1.0], device=device, requires_grad=True)
    (w.cpu() * minigrad.tensor([3.0, 4.0])).sum().backward()  # and the other way round
    assert w.grad.device == device
    np.testing.assert_allclose(host(w.grad), [3.0, 4.0])


# ---- models and optimizers ----


def make_model() -> nn.Module:
    minigrad.manual_seed(0)
    return nn.Sequential(nn.Linear(3, 4), nn.Tanh(), nn.Linear(4, 1))


def train(device: str, make_optimizer) -> tuple[nn.Module, optim.Optimizer, list[float]]:
    """Ten steps of full-batch regression on `device`; the model is built on the cpu and moved."""
    model = make_model().to(device)
    optimizer = make_optimizer(model.parameters())
    inputs = minigrad.linspace(-1, 1, 24).reshape(8, 3).to(device)
    targets = inputs.sum(dim=1, keepdim=True).sin()
    losses = []
    for _ in range(10):
        optimizer.zero_grad()
        loss = nn.functional.mse_loss(model(inputs), targets)
        loss.backward()
        optimizer.step()
        losses.append(loss.item())
    return model, optimizer, losses


OPTIMIZERS = {
    "sgd_momentum": lambda params: optim.SGD(params, lr=0.1, momentum=0.9),
    "adam": lambda params: optim.Adam(params, lr=0.01),
}


def test_module_to_moves_every_parameter_in_place(device):
    model = make_model()
    params_before = list(model.parameters())
    assert model.to(device) is model
    assert list(model.parameters()) == params_before  # the same Parameter objects, moved
    assert all(p.device == device and isinstance(p, nn.Parameter) for p in model.parameters())


@pytest.mark.parametrize("name", list(OPTIMIZERS))
def test_training_on_strict_stays_on_strict_and_matches_cpu(name):
    model, optimizer, losses = train("strict", OPTIMIZERS[name])
    cpu_model, cpu_optimizer, cpu_losses = train("cpu", OPTIMIZERS[name])

    for param, cpu_param in zip(model.parameters(), cpu_model.parameters()):
        assert param.device == "strict" and param.grad.device == "strict"
        np.testing.assert_allclose(host(param), host(cpu_param), rtol=1e-5, atol=1e-6)
        np.testing.assert_allclose(host(param.grad), host(cpu_param.grad), rtol=1e-5, atol=1e-6)
        state, cpu_state = optimizer.state[param], cpu_optimizer.state[cpu_param]
        assert state.keys() == cpu_state.keys() and state
        for key, value in state.items():
            if not isinstance(value, minigrad.Tensor):
                continue
            # PyTorch keeps Adam's step counter on the CPU (it is read on the host every step)
            assert value.device == ("cpu" if key == "step" else "strict"), key
            np.testing.assert_allclose(host(value), host(cpu_state[key]), rtol=1e-5, atol=1e-6)
    np.testing.assert_allclose(losses, cpu_losses, rtol=1e-5)
    assert losses[-1] < losses[0]


# ---- the engine calls only functions the array libraries have ----


# names the engine builds at run time, as getattr(xp, name): comparisons, logical and bitwise
# ops (ops/elementwise.py), max/min/argmax/argmin (ops/reduce.py), any/all (tensor.py)
RUNTIME_NAMES = ["equal", "not_equal", "less", "less_equal", "greater", "greater_equal", "any", "all",
                 "logical_and", "logical_or", "logical_xor", "bitwise_and", "bitwise_or", "bitwise_xor",
                 "max", "min", "argmax", "argmin"]  # fmt: skip


def namespace_calls() -> dict[str, list[str]]:
    """Every `xp.NAME` in minigrad/: attribute accesses on `xp`, `device.xp`, `x._device.xp`, ...

    Returns {name: ["file:line", ...]}, with RUNTIME_NAMES added as "looked up at run time".
    """
    found: dict[str, list[str]] = {name: ["looked up at run time"] for name in RUNTIME_NAMES}
    for path in sorted((ROOT / "minigrad").rglob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(), filename=str(path))):
            if not isinstance(node, ast.Attribute):
                continue
            owner = node.value
            is_namespace = (isinstance(owner, ast.Name) and owner.id == "xp") or (
                isinstance(owner, ast.Attribute) and owner.attr == "xp"
            )
            if is_namespace:
                found.setdefault(node.attr, []).append(f"{path.relative_to(ROOT)}:{node.lineno}")
    return found


def missing_from(library) -> list[str]:
    return [f"{name} (used at {', '.join(places)})" for name, places in sorted(namespace_calls().items())
            if not hasattr(library, name)]  # fmt: skip


def test_the_scan_finds_the_engines_namespace_calls():
    calls = namespace_calls()
    assert {"exp", "matmul", "sum", "asarray", "astype"} <= calls.keys(), sorted(calls)


def test_every_namespace_function_exists_in_array_api_strict():
    missing = missing_from(importlib.import_module("array_api_strict"))
    assert not missing, "not in array_api_strict (so not Array API standard):\n" + "\n".join(missing)


def test_every_namespace_function_exists_in_cupy():
    cupy = pytest.importorskip("cupy", reason="CuPy is not installed (pip install minigrad[gpu])")
    missing = missing_from(cupy)
    assert not missing, "not in cupy:\n" + "\n".join(missing)


# ---- the lecture's device line ----

DEVICE_LINE = 'device = torch.device("cuda" if torch.cuda.is_available() else "cpu")'
SCRIPT = ROOT / "examples" / "device_line.py"


def test_the_lecture_device_line_script_runs_unchanged():
    assert DEVICE_LINE in SCRIPT.read_text()
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    result = subprocess.run([sys.executable, str(SCRIPT)], capture_output=True, text=True, env=env, timeout=120)
    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    assert lines[0] == ("cuda:0" if HAVE_CUDA else "cpu")
    assert lines[1].endswith("True")  # the model's output is on the chosen device


def test_the_lecture_device_line_script_runs_on_a_non_cpu_device(capsys):
    """The same script with the device line pointing at "strict": model.to / data.to move everything."""
    source = SCRIPT.read_text().replace(DEVICE_LINE, 'device = torch.device("strict")')
    exec(compile(source, str(SCRIPT), "exec"), {"__name__": "__main__"})
    lines = capsys.readouterr().out.splitlines()
    assert lines[0] == "strict" and lines[1].endswith("True")


def test_backend_to_numpy_is_the_one_explicit_way_off_a_device(device):
    x = minigrad.arange(3, device=device)
    assert isinstance(backend.to_numpy(x._array), np.ndarray)
    assert backend.to_numpy(x._array).tolist() == [0, 1, 2]


# ---- indexing beyond the Array API's forms (backend.getitem / setitem) ----

KEYS = {
    "mask": lambda mask, index: mask,
    "index": lambda mask, index: index,
    "slice_then_index": lambda mask, index: (slice(1, None), index),
    "index_next_to_int": lambda mask, index: (index, 2),
    "mask_then_int": lambda mask, index: (mask, 1),
    "new_axis_and_index": lambda mask, index: (slice(None), None, index),
    "slices_past_the_end": lambda mask, index: (slice(2, 9), slice(5, None)),
}


@pytest.mark.parametrize("name", list(KEYS))
def test_every_indexing_form_reads_and_writes_as_on_cpu(name, device):
    results = {}
    for where in ("cpu", device):
        x = minigrad.arange(12.0, device=where).reshape(3, 4).requires_grad_()
        key = KEYS[name](minigrad.tensor([True, False, True], device=where), minigrad.tensor([0, 2, 0], device=where))
        picked = x[key]
        (picked * minigrad.arange(picked.numel(), device=where).reshape(picked.shape)).sum().backward()
        written = x.detach().clone()
        written[key] = -1.0
        results[where] = [host(picked), host(x.grad), host(written)]
    for on_cpu, on_device in zip(results["cpu"], results[device]):
        np.testing.assert_array_equal(on_cpu, on_device)
