"""
save and load: a checkpoint written mid-training and read back resumes training exactly where
it stopped, as the same workflow does in PyTorch (same seed, same data, so the same numbers);
a weights-only load refuses what is not tensors and containers; map_location moves tensors.
"""

from __future__ import annotations

import io
import os
import pickle

import pytest
from conftest import assert_matches

import minigrad

torch = pytest.importorskip("torch")


def _model(lib):
    return lib.nn.Sequential(lib.nn.Linear(3, 4), lib.nn.BatchNorm1d(4), lib.nn.ReLU(), lib.nn.Linear(4, 1))


def _train(lib, model, optimizer, steps):
    # (data in general position: with collinear rows, batch norm puts some rows at 0 +- 1 ulp,
    # and ReLU's choice there would follow last-bit differences of the two libraries)
    x = lib.tensor([[0.3, -1.2, 2.0], [1.5, 0.7, -0.4], [-0.9, 0.25, 1.1], [2.2, -0.6, 0.05], [0.4, 1.9, -1.3]])
    y = lib.tensor([[1.0], [-0.5], [2.0], [0.25], [-1.5]])
    for _ in range(steps):
        optimizer.zero_grad()
        lib.nn.functional.mse_loss(model(x), y).backward()
        optimizer.step()


def _resumed(lib, path):
    """Train 3 steps, save model and optimizer, load both into fresh objects, train 3 more."""
    lib.manual_seed(7)
    model = _model(lib)
    optimizer = lib.optim.SGD(model.parameters(), lr=0.05, momentum=0.9)
    _train(lib, model, optimizer, 3)
    lib.save({"model": model.state_dict(), "optimizer": optimizer.state_dict(), "epoch": 3}, path)
    checkpoint = lib.load(path)
    fresh = _model(lib)
    fresh.load_state_dict(checkpoint["model"])
    fresh_optimizer = lib.optim.SGD(fresh.parameters(), lr=0.05, momentum=0.9)
    fresh_optimizer.load_state_dict(checkpoint["optimizer"])
    _train(lib, fresh, fresh_optimizer, 3)
    return checkpoint["epoch"], list(fresh.state_dict().values())


def test_training_resumes_from_a_checkpoint_as_in_pytorch(tmp_path):
    our_epoch, ours = _resumed(minigrad, tmp_path / "minigrad.pt")
    their_epoch, theirs = _resumed(torch, tmp_path / "torch.pt")
    assert our_epoch == their_epoch
    assert len(ours) == len(theirs)
    for our_tensor, their_tensor in zip(ours, theirs):
        assert_matches(our_tensor, their_tensor)


def test_a_whole_model_loads_only_with_weights_only_false():
    model = _model(minigrad)
    buffer = io.BytesIO()
    minigrad.save(model, buffer)
    with pytest.raises(pickle.UnpicklingError, match="Weights only load failed"):
        minigrad.load(io.BytesIO(buffer.getvalue()))
    loaded = minigrad.load(io.BytesIO(buffer.getvalue()), weights_only=False)
    assert type(loaded) is type(model)
    x = minigrad.ones(2, 3)
    assert minigrad.equal(loaded(x), model(x))


class _RunsACommand:
    def __reduce__(self):
        return (os.system, ("echo this must not run",))


def test_a_weights_only_load_builds_no_arbitrary_object():
    buffer = io.BytesIO()
    minigrad.save({"weights": minigrad.ones(2), "payload": _RunsACommand()}, buffer)
    with pytest.raises(pickle.UnpicklingError, match="GLOBAL posix.system|GLOBAL nt.system"):
        minigrad.load(io.BytesIO(buffer.getvalue()))


def test_parameters_sizes_dtypes_and_containers_come_back():
    saved = {
        "parameter": minigrad.nn.Parameter(minigrad.ones(2)),
        "requires_grad": minigrad.zeros(3, requires_grad=True),
        "ints": minigrad.arange(4),
        "size": minigrad.ones(2, 5).shape,
        "dtype": minigrad.float64,
        "nested": [(1, "a"), {"b": None, "c": 2.5}],
    }
    buffer = io.BytesIO()
    minigrad.save(saved, buffer)
    buffer.seek(0)
    loaded = minigrad.load(buffer)
    assert type(loaded["parameter"]) is minigrad.nn.Parameter and loaded["parameter"].requires_grad
    assert loaded["requires_grad"].requires_grad and loaded["requires_grad"].is_leaf
    assert minigrad.equal(loaded["ints"], saved["ints"]) and loaded["ints"].dtype is minigrad.int64
    assert loaded["size"] == (2, 5) and type(loaded["size"]) is minigrad.Size
    assert loaded["dtype"] is minigrad.float64 and loaded["nested"] == saved["nested"]


def test_map_location_puts_every_tensor_on_that_device():
    buffer = io.BytesIO()
    minigrad.save({"w": minigrad.ones(2, device="strict"), "b": minigrad.zeros(1, device="strict")}, buffer)
    assert minigrad.load(io.BytesIO(buffer.getvalue()))["w"].device.type == "strict"
    moved = minigrad.load(io.BytesIO(buffer.getvalue()), map_location="cpu")
    assert [t.device.type for t in moved.values()] == ["cpu", "cpu"]
