"""
Run a script written for PyTorch on minigrad, unchanged:

    python -m minigrad.run script.py [args ...]      (or: minigrad script.py [args ...])

Inside the script, `import torch`, `torch.nn`, `torch.nn.functional`, `torch.nn.init`,
`torch.optim` and `torch.autograd` are minigrad's modules. Reaching for a part of PyTorch
that minigrad does not have (torch.utils.data, torch.fft, torch.nn.Conv2d, ...) stops with
one clear error, "minigrad has no torch.utils.data", instead of a confusing one later on.

How: a finder at the front of `sys.meta_path` answers every import of `torch` or
`torch.*`. For the supported names it returns a small stand-in module whose module-level
`__getattr__` (PEP 562) forwards each attribute to the minigrad module, and raises
`MissingTorchFeatureError` for attributes minigrad lacks.
"""

import importlib
import importlib.abc
import importlib.machinery
import os
import runpy
import sys
import types
from typing import Any

from minigrad import dtypes

# torch module name -> the minigrad module that stands in for it
TORCH_ALIASES = {
    "torch": "minigrad",
    "torch.nn": "minigrad.nn",
    "torch.nn.functional": "minigrad.nn.functional",
    "torch.nn.init": "minigrad.nn.init",
    "torch.optim": "minigrad.optim",
    "torch.autograd": "minigrad.autograd",
    "torch.cuda": "minigrad.cuda",
}

USAGE = "usage: python -m minigrad.run script.py [args ...]"


class MissingTorchFeatureError(AttributeError):
    """A script used a part of torch that minigrad does not provide."""


def _torch_stand_in(torch_name: str) -> types.ModuleType:
    """A module named `torch_name` that forwards attribute lookups to its minigrad module."""
    target = importlib.import_module(TORCH_ALIASES[torch_name])
    module = types.ModuleType(torch_name, target.__doc__)
    module.__path__ = []  # a package, so `import torch.nn` can find submodules

    def __getattr__(name: str) -> Any:
        full_name = f"{torch_name}.{name}"
        if full_name in TORCH_ALIASES:
            return importlib.import_module(full_name)  # torch.nn -> the torch.nn stand-in
        if name.startswith("__") or hasattr(target, name):
            return getattr(target, name)
        raise MissingTorchFeatureError(f"minigrad has no {full_name}")

    def __dir__() -> list[str]:
        return sorted(set(dir(target)))

    module.__getattr__ = __getattr__
    module.__dir__ = __dir__
    return module


class _TorchLoader(importlib.abc.Loader):
    def create_module(self, spec: importlib.machinery.ModuleSpec) -> types.ModuleType:
        return _torch_stand_in(spec.name)

    def exec_module(self, module: types.ModuleType) -> None:
        pass  # the stand-in is complete once created


class TorchAliasFinder(importlib.abc.MetaPathFinder):
    """Answers imports of torch and torch.* with minigrad stand-ins, or a clear error."""

    def find_spec(self, fullname: str, path: Any = None, target: Any = None) -> Any:
        if fullname != "torch" and not fullname.startswith("torch."):
            return None
        if fullname not in TORCH_ALIASES:
            raise ModuleNotFoundError(f"minigrad has no {fullname}", name=fullname)
        return importlib.machinery.ModuleSpec(fullname, _TorchLoader(), is_package=True)


def install_torch_alias() -> None:
    """Make `import torch` (and its supported submodules) import minigrad from now on."""
    for name in list(sys.modules):
        if name == "torch" or name.startswith("torch."):
            del sys.modules[name]  # forget a real torch imported earlier
    if not any(isinstance(finder, TorchAliasFinder) for finder in sys.meta_path):
        sys.meta_path.insert(0, TorchAliasFinder())


def run_script(script: str, args: list[str]) -> None:
    """Run `script` as __main__ with sys.argv = [script, *args], torch aliased to minigrad."""
    install_torch_alias()
    dtypes.display_name = "torch"  # print torch.float32 and torch.Size([3]), as the script expects
    sys.argv = [script, *args]
    sys.path.insert(0, os.path.dirname(os.path.abspath(script)))
    runpy.run_path(script, run_name="__main__")


def main(argv: list[str] | None = None) -> int:
    """Command-line entry point: `minigrad script.py [args ...]`."""
    argv = sys.argv[1:] if argv is None else argv
    if not argv or argv[0] in ("-h", "--help"):
        print(USAGE)
        return 0 if argv else 2
    run_script(argv[0], argv[1:])
    return 0


if __name__ == "__main__":
    sys.exit(main())
