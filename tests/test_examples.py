"""
Every example prints, on minigrad, the numbers the same script prints on PyTorch.

Each script runs twice in a subprocess: once on real torch and once on minigrad
(tests/example_harness.py explains how the two share random numbers). The outputs are
compared line by line: the text with numbers masked must be equal (after writing
"minigrad" as "torch"), and the numbers must agree to float32 precision. Nothing here is
compared with numbers written down from an earlier run.
"""

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
import torch  # noqa: F401  (the reference; a missing torch must fail this file, not skip it)

ROOT = Path(__file__).resolve().parent.parent
EXAMPLES = ROOT / "examples"
HARNESS = Path(__file__).resolve().parent / "example_harness.py"

LECTURE_SCRIPTS = sorted(EXAMPLES.glob("*.py"))
TUTORIAL_SCRIPTS = sorted((EXAMPLES / "pytorch_tutorial").glob("*.py"))

NUMBER = re.compile(r"[-+]?(?:\d+\.\d*|\.\d+|\d+)(?:[eE][-+]?\d+)?")

# minigrad builds these from primitive ops (see nn/functional.py), so the node that
# finishes them is the primitive's; PyTorch has one fused node. Only the name differs.
FUSED_GRAD_FN_NAMES = {
    "MseLossBackward0": "MeanBackward0",
    "AddmmBackward0": "AddBackward0",
}


# minigrad importable from the checkout, as if installed (`pip install -e .`)
ENV = {**os.environ, "PYTHONPATH": os.pathsep.join([str(ROOT), os.environ.get("PYTHONPATH", "")])}


def run_python(args: list[str], cwd: Path = ROOT) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, *args], capture_output=True, text=True, cwd=cwd, env=ENV, timeout=600)


def run(args: list[str], cwd: Path = ROOT) -> str:
    result = run_python(args, cwd)
    assert result.returncode == 0, f"{args} failed:\n{result.stdout}\n{result.stderr}"
    return result.stdout


def normalise(output: str) -> str:
    output = output.replace("minigrad", "torch")
    for fused, composite in FUSED_GRAD_FN_NAMES.items():
        output = output.replace(fused, composite)
    return output


def assert_same_output(ours: str, theirs: str, rtol: float, atol: float) -> None:
    """Same text around the numbers, and numbers equal within rtol/atol."""
    ours_lines = normalise(ours).splitlines()
    theirs_lines = normalise(theirs).splitlines()
    assert len(ours_lines) == len(theirs_lines), f"\n{ours}\n--- torch printed ---\n{theirs}"
    for our_line, their_line in zip(ours_lines, theirs_lines):
        assert NUMBER.sub("#", our_line) == NUMBER.sub("#", their_line), (
            f"text differs:\n  minigrad: {our_line!r}\n  torch:    {their_line!r}"
        )
        our_numbers = [float(n) for n in NUMBER.findall(our_line)]
        their_numbers = [float(n) for n in NUMBER.findall(their_line)]
        for ours_value, theirs_value in zip(our_numbers, their_numbers):
            assert abs(ours_value - theirs_value) <= atol + rtol * abs(theirs_value), (
                f"numbers differ:\n  minigrad: {our_line!r}\n  torch:    {their_line!r}"
            )


def test_there_are_examples():
    assert len(LECTURE_SCRIPTS) >= 15
    assert len(TUTORIAL_SCRIPTS) == 4


@pytest.mark.parametrize("script", LECTURE_SCRIPTS, ids=lambda p: p.name)
def test_lecture_example_prints_torchs_numbers(script):
    theirs = run([str(HARNESS), "torch", str(script)])
    ours = run([str(HARNESS), "minigrad", str(script)])
    assert_same_output(ours, theirs, rtol=1e-4, atol=1e-5)


@pytest.mark.parametrize("script", LECTURE_SCRIPTS, ids=lambda p: p.name)
def test_lecture_example_runs_as_a_user_runs_it(script):
    # No harness: `python examples/x.py` from another directory, as a student would.
    output = run([str(script)], cwd=EXAMPLES)
    assert output.strip()


@pytest.mark.parametrize("script", TUTORIAL_SCRIPTS, ids=lambda p: p.name)
def test_pytorch_tutorial_prints_torchs_numbers(script):
    # float32 sums over 2000 points, 2000 steps: agreement to about 1e-3 is float32's limit.
    theirs = run([str(script)])
    ours = run([str(HARNESS), "minigrad", str(script)])
    assert_same_output(ours, theirs, rtol=1e-3, atol=1e-4)


@pytest.mark.parametrize("script", TUTORIAL_SCRIPTS, ids=lambda p: p.name)
def test_pytorch_tutorial_runs_unchanged_with_minigrad_run(script):
    output = run(["-m", "minigrad.run", str(script)])
    assert output.strip().splitlines()[-1].startswith("Result: y = ")
    if "randn" not in script.read_text() and "nn.Linear" not in script.read_text():
        # Nothing random: the plain command must print torch's numbers by itself.
        assert_same_output(output, run([str(script)]), rtol=1e-3, atol=1e-4)


def test_minigrad_run_names_the_missing_part_of_torch(tmp_path):
    script = tmp_path / "uses_fft.py"
    script.write_text("import torch\nprint(torch.ones(2).sum().item())\ntorch.fft.fft(torch.ones(2))\n")
    result = run_python(["-m", "minigrad.run", str(script)])
    assert result.returncode != 0
    assert result.stdout.strip() == "2.0"
    assert result.stderr.strip().splitlines()[-1].endswith("minigrad has no torch.fft")


def test_minigrad_run_names_a_missing_torch_module(tmp_path):
    script = tmp_path / "uses_data.py"
    script.write_text("import torch.utils.data\n")
    result = run_python(["-m", "minigrad.run", str(script)])
    assert result.returncode != 0
    assert result.stderr.strip().splitlines()[-1] == "ModuleNotFoundError: minigrad has no torch.utils"


def test_minigrad_run_passes_arguments_and_runs_as_main(tmp_path):
    script = tmp_path / "args.py"
    script.write_text(
        "import sys\nimport torch\nimport torch.nn as nn\nfrom torch import optim\n"
        "print(__name__, sys.argv[1:], torch.__name__, nn.Linear.__module__, optim.SGD.__name__)\n"
    )
    output = run(["-m", "minigrad.run", str(script), "a", "--b"])
    assert output.split() == ["__main__", "['a',", "'--b']", "torch", "minigrad.nn.modules", "SGD"]
