"""
save and load, as torch.save and torch.load: any object holding tensors (a state_dict, an
optimizer's state_dict, a whole model) pickled to a file, and read back.

The file is minigrad's own (a pickle), not PyTorch's zip format: torch.load cannot read it,
nor minigrad.load a file of PyTorch's. As in PyTorch, `load` reads only tensors, numbers,
strings and containers unless told `weights_only=False`: unpickling anything else can run any
code the file's author chose, so it is for files you trust.
"""

from __future__ import annotations

import contextlib
import contextvars
import os
import pickle
from typing import IO, Any

from minigrad import backend, dtypes

# The device that load's map_location puts every tensor on (None: the one it was saved from)
load_device: contextvars.ContextVar[Any] = contextvars.ContextVar("load_device", default=None)

# What a weights-only load may build: tensors, parameters, sizes, dtypes and plain containers
_SAFE_GLOBALS = {
    ("minigrad.creation", "_rebuild"),
    ("minigrad.nn.module", "Parameter"),
    ("minigrad.tensor", "Size"),
    ("collections", "OrderedDict"),
    ("numpy", "ndarray"),
    ("numpy", "dtype"),
    ("numpy._core.multiarray", "_reconstruct"),
    ("numpy.core.multiarray", "_reconstruct"),
    ("numpy._core.multiarray", "scalar"),
    ("numpy.core.multiarray", "scalar"),
    ("builtins", "set"),
    ("builtins", "frozenset"),
    ("builtins", "slice"),
    *(("minigrad.dtypes", d.name) for d in dtypes.ALL_DTYPES),
    *(
        ("numpy.dtypes", f"{name}DType")
        for name in ("Float64", "Float32", "Float16", "Int64", "Int32", "Int16", "Int8", "UInt8", "Bool")
    ),  # fmt: skip
}


class _WeightsOnlyUnpickler(pickle.Unpickler):
    """An unpickler that builds nothing but what _SAFE_GLOBALS names."""

    def find_class(self, module: str, name: str) -> Any:
        if (module, name) not in _SAFE_GLOBALS:
            raise pickle.UnpicklingError(
                f"Weights only load failed. Unsupported global: GLOBAL {module}.{name} was not an allowed "
                "global by default. Load with weights_only=False if you trust the file: it can then run "
                "arbitrary code."
            )
        return super().find_class(module, name)


def save(obj: Any, f: str | os.PathLike | IO[bytes]) -> None:
    """Write `obj` (tensors, state_dicts, models, ...) to the file `f` (a path or a binary file)."""
    with _opened(f, "wb") as file:
        pickle.dump(obj, file, protocol=pickle.DEFAULT_PROTOCOL)


def load(f: str | os.PathLike | IO[bytes], map_location: Any = None, *, weights_only: bool = True) -> Any:
    """Read back what `save` wrote. `map_location` ('cpu', 'cuda', a device) puts every tensor
    there instead of on the device it was saved from; `weights_only=False` allows any object."""
    device = None if map_location is None else backend.get_device(map_location)
    token = load_device.set(device)
    try:
        with _opened(f, "rb") as file:
            unpickler = _WeightsOnlyUnpickler(file) if weights_only else pickle.Unpickler(file)
            return unpickler.load()
    finally:
        load_device.reset(token)


@contextlib.contextmanager
def _opened(f: Any, mode: str) -> Any:
    """A path is opened (and closed after); a file object is used as it is. Anything else gets
    PyTorch's error."""
    if isinstance(f, (str, os.PathLike)):
        with open(f, mode) as file:
            yield file
    elif "w" in mode and hasattr(f, "write"):
        yield f
    elif "r" in mode and hasattr(f, "read") and hasattr(f, "seek"):
        yield f
    elif "w" in mode:
        raise AttributeError("expected 'f' to be string, path, or a file-like object with a 'write' attribute")
    else:
        raise AttributeError(
            f"'{type(f).__name__}' object has no attribute 'seek'. You can only {dtypes.display_name}.load from a "
            "file that is seekable. Please pre-load the data into a buffer like io.BytesIO and try to load from it instead."
        )
