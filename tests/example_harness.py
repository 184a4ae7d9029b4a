"""
Run example scripts on real PyTorch or on minigrad, for tests/test_examples.py.

    python tests/example_harness.py torch    OUT.json SCRIPT...  # `minigrad` imports mean real torch
    python tests/example_harness.py minigrad OUT.json SCRIPT...  # `torch` imports mean minigrad

Each script runs as __main__ in a fresh namespace, and what it prints is saved in OUT.json
as {script: {"stdout": ..., "error": traceback or null}}. One process runs them all,
because importing torch costs seconds.

Random numbers are the one thing the two libraries cannot share by themselves: minigrad's
generator is NumPy's, so `manual_seed(1)` gives different draws. In minigrad mode this
harness therefore makes minigrad's random functions (and nn.init's uniform_/normal_) take
their numbers from PyTorch's generator, converted through NumPy. Every other computation
is minigrad's own, so the two runs print the same numbers only if minigrad computes what
PyTorch computes.
"""

import contextlib
import importlib
import io
import json
import runpy
import sys
import traceback

import torch as real_torch

# real torch's own modules, kept to be put back while we draw numbers from it
REAL_TORCH_MODULES = {name: module for name, module in sys.modules.items() if name.split(".")[0] == "torch"}

TORCH_MODULES = {
    "minigrad": "torch",
    "minigrad.nn": "torch.nn",
    "minigrad.nn.functional": "torch.nn.functional",
    "minigrad.nn.init": "torch.nn.init",
    "minigrad.optim": "torch.optim",
    "minigrad.autograd": "torch.autograd",
}


def alias_minigrad_to_torch() -> None:
    """From now on `import minigrad ...` lines import real torch instead."""
    for minigrad_name, torch_name in TORCH_MODULES.items():
        sys.modules[minigrad_name] = importlib.import_module(torch_name)


@contextlib.contextmanager
def real_torch_in_sys_modules():
    """Inside a minigrad run `torch` means minigrad; real torch needs its own name back."""
    aliased = {name: sys.modules.get(name) for name in REAL_TORCH_MODULES}
    sys.modules.update(REAL_TORCH_MODULES)
    try:
        yield
    finally:
        for name, module in aliased.items():
            if module is None:
                sys.modules.pop(name, None)
            else:
                sys.modules[name] = module


def _torch_dtype(minigrad_dtype):
    return getattr(real_torch, str(minigrad_dtype).rsplit(".", 1)[-1])


def _shape_of(size):
    if len(size) == 1 and isinstance(size[0], (tuple, list)):
        return tuple(size[0])
    return tuple(size)


def share_torch_random_numbers(minigrad) -> None:
    """Make minigrad's random draws come from PyTorch's generator (see module docstring)."""
    import minigrad.nn.init as init

    own_manual_seed = minigrad.manual_seed

    def draw(sampler, shape, dtype):
        with real_torch_in_sys_modules():
            return sampler(shape, _torch_dtype(dtype)).numpy()

    def manual_seed(seed):
        with real_torch_in_sys_modules():
            real_torch.manual_seed(seed)
        return own_manual_seed(seed)

    def make_sampler(torch_function):
        def sample(*size, dtype=None, device=None, requires_grad=False, **kwargs):
            dtype = dtype if dtype is not None else minigrad.float32
            values = draw(lambda shape, dt: torch_function(shape, dtype=dt), _shape_of(size), dtype)
            return minigrad.tensor(values, dtype=dtype, device=device, requires_grad=requires_grad)

        return sample

    def make_like_sampler(torch_function):
        def sample_like(like, dtype=None, device=None, requires_grad=False, **kwargs):
            dtype = dtype if dtype is not None else like.dtype
            values = draw(lambda shape, dt: torch_function(shape, dtype=dt), tuple(like.shape), dtype)
            return minigrad.tensor(values, dtype=dtype, device=device or like.device, requires_grad=requires_grad)

        return sample_like

    def fill(tensor, values):
        with minigrad.no_grad():
            tensor.copy_(minigrad.tensor(values, dtype=tensor.dtype, device=tensor.device))
        return tensor

    def uniform_(tensor, a=0.0, b=1.0):
        sampler = lambda shape, dt: real_torch.empty(shape, dtype=dt).uniform_(a, b)  # noqa: E731
        return fill(tensor, draw(sampler, tuple(tensor.shape), tensor.dtype))

    def normal_(tensor, mean=0.0, std=1.0):
        sampler = lambda shape, dt: real_torch.empty(shape, dtype=dt).normal_(mean, std)  # noqa: E731
        return fill(tensor, draw(sampler, tuple(tensor.shape), tensor.dtype))

    minigrad.manual_seed = manual_seed
    minigrad.rand = make_sampler(real_torch.rand)
    minigrad.randn = make_sampler(real_torch.randn)
    minigrad.rand_like = make_like_sampler(real_torch.rand)
    minigrad.randn_like = make_like_sampler(real_torch.randn)
    init.uniform_ = uniform_
    init.normal_ = normal_


def run_captured(script: str) -> dict:
    """Run one script as __main__; return what it printed and its traceback, if any."""
    output = io.StringIO()
    error = None
    sys.argv = [script]
    with contextlib.redirect_stdout(output):
        try:
            runpy.run_path(script, run_name="__main__")
        except BaseException:  # noqa: BLE001 (report any failure of the script, SystemExit too)
            error = traceback.format_exc()
    return {"stdout": output.getvalue(), "error": error}


def main(library: str, out_path: str, scripts: list[str]) -> None:
    if library == "torch":
        alias_minigrad_to_torch()
    else:
        import minigrad
        from minigrad.run import install_torch_alias

        share_torch_random_numbers(minigrad)
        install_torch_alias()
    results = {script: run_captured(script) for script in scripts}
    with open(out_path, "w") as out:
        json.dump(results, out)


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2], sys.argv[3:])
