"""
Run one example script on real PyTorch or on minigrad, for tests/test_examples.py.

    python tests/example_harness.py torch    SCRIPT   # `minigrad` imports mean real torch
    python tests/example_harness.py minigrad SCRIPT   # `torch` imports mean minigrad

Random numbers are the one thing the two libraries cannot share by themselves: minigrad's
generator is NumPy's, so `manual_seed(1)` gives different draws. In minigrad mode this
harness therefore makes minigrad's random functions (and nn.init's uniform_/normal_) take
their numbers from PyTorch's generator, converted through NumPy. Every other computation
is minigrad's own, so the two runs print the same numbers only if minigrad computes what
PyTorch computes.
"""

import runpy
import sys

import torch as real_torch

TORCH_MODULES = {
    "minigrad": "torch",
    "minigrad.nn": "torch.nn",
    "minigrad.nn.functional": "torch.nn.functional",
    "minigrad.nn.init": "torch.nn.init",
    "minigrad.optim": "torch.optim",
    "minigrad.autograd": "torch.autograd",
}


def run_on_torch(script: str) -> None:
    """Run `script` with `import minigrad ...` lines importing real torch instead."""
    import importlib

    for minigrad_name, torch_name in TORCH_MODULES.items():
        sys.modules[minigrad_name] = importlib.import_module(torch_name)
    sys.argv = [script]
    runpy.run_path(script, run_name="__main__")


def _torch_dtype(minigrad_dtype):
    name = str(minigrad_dtype if minigrad_dtype is not None else "float32").rsplit(".", 1)[-1]
    return getattr(real_torch, name)


def _from_torch(minigrad, sample, dtype, device, requires_grad=False):
    tensor = minigrad.tensor(sample.numpy(), dtype=dtype, device=device)
    return tensor.requires_grad_(requires_grad) if requires_grad else tensor


def _shape_of(size):
    if len(size) == 1 and isinstance(size[0], (tuple, list)):
        return tuple(size[0])
    return tuple(size)


def share_torch_random_numbers(minigrad) -> None:
    """Make minigrad's random draws come from PyTorch's generator (see module docstring)."""
    import minigrad.nn.init as init

    own_manual_seed = minigrad.manual_seed

    def manual_seed(seed):
        # torch's default (CPU) generator directly: torch.manual_seed itself imports
        # torch.cuda, which inside a minigrad run is no longer real torch's.
        real_torch.default_generator.manual_seed(seed)
        return own_manual_seed(seed)

    def make_sampler(torch_sampler):
        def sample(*size, dtype=None, device=None, requires_grad=False, **kwargs):
            dtype = dtype if dtype is not None else minigrad.float32
            drawn = torch_sampler(_shape_of(size), dtype=_torch_dtype(dtype))
            return _from_torch(minigrad, drawn, dtype, device, requires_grad)

        return sample

    def make_like_sampler(torch_sampler):
        def sample_like(like, dtype=None, device=None, requires_grad=False, **kwargs):
            dtype = dtype if dtype is not None else like.dtype
            drawn = torch_sampler(tuple(like.shape), dtype=_torch_dtype(dtype))
            return _from_torch(minigrad, drawn, dtype, device or like.device, requires_grad)

        return sample_like

    def uniform_(tensor, a=0.0, b=1.0):
        drawn = real_torch.empty(tuple(tensor.shape), dtype=_torch_dtype(tensor.dtype)).uniform_(a, b)
        with minigrad.no_grad():
            tensor.copy_(minigrad.tensor(drawn.numpy(), dtype=tensor.dtype, device=tensor.device))
        return tensor

    def normal_(tensor, mean=0.0, std=1.0):
        drawn = real_torch.empty(tuple(tensor.shape), dtype=_torch_dtype(tensor.dtype)).normal_(mean, std)
        with minigrad.no_grad():
            tensor.copy_(minigrad.tensor(drawn.numpy(), dtype=tensor.dtype, device=tensor.device))
        return tensor

    minigrad.manual_seed = manual_seed
    minigrad.rand = make_sampler(real_torch.rand)
    minigrad.randn = make_sampler(real_torch.randn)
    minigrad.rand_like = make_like_sampler(real_torch.rand)
    minigrad.randn_like = make_like_sampler(real_torch.randn)
    init.uniform_ = uniform_
    init.normal_ = normal_


def run_on_minigrad(script: str) -> None:
    """Run `script` on minigrad (torch imports aliased), drawing random numbers from torch."""
    import minigrad
    from minigrad.run import run_script

    share_torch_random_numbers(minigrad)
    run_script(script, [])


if __name__ == "__main__":
    library, script = sys.argv[1], sys.argv[2]
    if library == "torch":
        run_on_torch(script)
    else:
        run_on_minigrad(script)
