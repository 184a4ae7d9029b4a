"""
Run example scripts on real PyTorch or on minigrad, for tests/test_examples.py.

    python tests/example_harness.py torch    OUT.json SCRIPT...  # `minigrad` imports mean real torch
    python tests/example_harness.py minigrad OUT.json SCRIPT...  # `torch` imports mean minigrad

Each script runs as __main__ in a fresh namespace, and what it prints is saved in OUT.json
as {script: {"stdout": ..., "error": traceback or null}}. One process runs them all,
because importing torch costs seconds.

Nothing is shared between the two runs: minigrad draws PyTorch's random numbers itself
(minigrad/random.py), so a script that calls `manual_seed(1)` prints the same numbers on both.
"""

import contextlib
import importlib
import io
import json
import runpy
import sys
import traceback

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
        from minigrad.run import install_torch_alias

        install_torch_alias()
    results = {script: run_captured(script) for script in scripts}
    with open(out_path, "w") as out:
        json.dump(results, out)


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2], sys.argv[3:])
