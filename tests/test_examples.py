"""
Every example prints, on minigrad, the numbers the same script prints on PyTorch.

All scripts run once on real torch and once on minigrad, each side in one subprocess
(tests/example_harness.py; it also explains how the two sides share random numbers).
The outputs are compared line by line: the text with numbers masked must be equal (after
writing "minigrad" as "torch"), and the numbers must agree to float32 precision. Nothing
here is compared with numbers written down from an earlier run.

Then each script also runs as a user runs it, with no harness: `python examples/x.py`, or
`python -m minigrad.run tutorial.py`; where a script draws no random numbers, that plain
run must print PyTorch's numbers too.
"""

import json
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
ALL_SCRIPTS = LECTURE_SCRIPTS + TUTORIAL_SCRIPTS

# minigrad importable from the checkout, as if installed (`pip install -e .`)
ENV = {**os.environ, "PYTHONPATH": os.pathsep.join([str(ROOT), os.environ.get("PYTHONPATH", "")])}

NUMBER = re.compile(r"[-+]?(?:\d+\.\d*|\.\d+|\d+)(?:[eE][-+]?\d+)?")
GRAD_FN = re.compile(r"grad_fn=<\w+>")

# PyTorch computes l1_loss in one fused op; minigrad builds it from primitive ops
# (nn/functional.py), so the last node of the graph has the primitive's name instead.
# (mse_loss and linear's addmm are primitives here too, so their names must match.)
FUSED_IN_TORCH = ("L1LossBackward0",)

LECTURE_TOLERANCE = dict(rtol=1e-4, atol=1e-5)
# float32 sums over 2000 points for 2000 steps: about 1e-3 is what float32 allows.
TUTORIAL_TOLERANCE = dict(rtol=1e-3, atol=1e-4)
# Once RMSprop (lr=1e-3) has converged, each step moves a weight by about ±lr whatever
# the gradient's size, so the last digits are noise of that width, in torch as here.
# The loss then wanders by a few percent (8.98 here, 9.17 there, both at the floor).
SPECIAL_TOLERANCE = {"polynomial_optim_rmsprop.py": dict(rtol=5e-2, atol=2e-3)}


def run_python(args: list[str], cwd: Path = ROOT) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, *args], capture_output=True, text=True, cwd=cwd, env=ENV, timeout=900)


def run(args: list[str], cwd: Path = ROOT) -> str:
    result = run_python(args, cwd)
    assert result.returncode == 0, f"{args} failed:\n{result.stdout}\n{result.stderr}"
    return result.stdout


def run_all_with_harness(library: str, scripts: list[Path], tmp_path_factory) -> dict:
    out = tmp_path_factory.mktemp(library) / "outputs.json"
    run([str(HARNESS), library, str(out), *map(str, scripts)])
    return json.loads(out.read_text())


def in_torch_form(script: Path, folder: Path) -> Path:
    """A copy of a lecture script with its imports as the lecture has them: `import torch`."""
    source = script.read_text()
    lines = [
        re.sub(r"\bminigrad\b", "torch", line) if line.startswith(("import ", "from ")) else line
        for line in source.splitlines()
    ]
    copy = folder / script.name
    copy.write_text("\n".join(lines) + "\n")
    return copy


@pytest.fixture(scope="module")
def torch_form_scripts(tmp_path_factory) -> dict:
    folder = tmp_path_factory.mktemp("torch_form")
    return {script: in_torch_form(script, folder) for script in LECTURE_SCRIPTS}


@pytest.fixture(scope="module")
def torch_outputs(tmp_path_factory):
    return run_all_with_harness("torch", ALL_SCRIPTS, tmp_path_factory)


@pytest.fixture(scope="module")
def minigrad_outputs(tmp_path_factory, torch_form_scripts):
    scripts = ALL_SCRIPTS + list(torch_form_scripts.values())
    return run_all_with_harness("minigrad", scripts, tmp_path_factory)


def printed(outputs: dict, script: Path) -> str:
    result = outputs[str(script)]
    assert result["error"] is None, f"{script.name} raised:\n{result['error']}"
    return result["stdout"]


def last_digit_unit(token: str) -> float:
    """One unit in the last printed place: '1.320' -> 0.001 (rounding can flip it)."""
    mantissa = token.lower().split("e")[0]
    decimals = len(mantissa.split(".")[1]) if "." in mantissa else 0
    exponent = int(token.lower().split("e")[1]) if "e" in token.lower() else 0
    return 10.0 ** (exponent - decimals)


def assert_same_output(ours: str, theirs: str, rtol: float, atol: float) -> None:
    """Same text around the numbers, and numbers equal within rtol/atol."""
    ours_lines = ours.replace("minigrad", "torch").splitlines()
    theirs_lines = theirs.splitlines()
    assert len(ours_lines) == len(theirs_lines), f"\n{ours}\n--- torch printed ---\n{theirs}"
    for our_line, their_line in zip(ours_lines, theirs_lines):
        if any(name in their_line for name in FUSED_IN_TORCH):
            our_line, their_line = GRAD_FN.sub("grad_fn=<...>", our_line), GRAD_FN.sub("grad_fn=<...>", their_line)
        assert NUMBER.sub("#", our_line) == NUMBER.sub("#", their_line), (
            f"text differs:\n  minigrad: {our_line!r}\n  torch:    {their_line!r}"
        )
        for our_token, their_token in zip(NUMBER.findall(our_line), NUMBER.findall(their_line)):
            ours_value, theirs_value = float(our_token), float(their_token)
            allowed = max(atol + rtol * abs(theirs_value), last_digit_unit(their_token) * 1.001)
            assert abs(ours_value - theirs_value) <= allowed, (
                f"numbers differ:\n  minigrad: {our_line!r}\n  torch:    {their_line!r}"
            )


def tolerance_for(script: Path) -> dict:
    default = TUTORIAL_TOLERANCE if script in TUTORIAL_SCRIPTS else LECTURE_TOLERANCE
    return SPECIAL_TOLERANCE.get(script.name, default)


def test_there_are_examples():
    assert len(LECTURE_SCRIPTS) >= 15
    assert len(TUTORIAL_SCRIPTS) == 5


@pytest.mark.parametrize("script", ALL_SCRIPTS, ids=lambda p: p.name)
def test_example_prints_torchs_numbers(script, torch_outputs, minigrad_outputs):
    theirs = printed(torch_outputs, script)
    ours = printed(minigrad_outputs, script)
    assert theirs.strip()
    assert_same_output(ours, theirs, **tolerance_for(script))


@pytest.mark.parametrize("script", LECTURE_SCRIPTS, ids=lambda p: p.name)
def test_lecture_code_with_import_torch_runs_on_minigrad(script, torch_form_scripts, torch_outputs, minigrad_outputs):
    # The lecture's own imports (`import torch`, `torch.nn`, ...), resolved by minigrad.run.
    source = torch_form_scripts[script].read_text()
    assert "minigrad" not in "\n".join(line for line in source.splitlines() if line.startswith(("import", "from")))
    ours = printed(minigrad_outputs, torch_form_scripts[script])
    assert_same_output(ours, printed(torch_outputs, script), **tolerance_for(script))


@pytest.mark.parametrize("script", LECTURE_SCRIPTS, ids=lambda p: p.name)
def test_lecture_example_runs_as_a_user_runs_it(script, torch_outputs):
    # No harness: `python x.py` from the examples folder, as a student would.
    output = run([str(script)], cwd=EXAMPLES)
    assert_same_output(output, printed(torch_outputs, script), **tolerance_for(script))


@pytest.mark.parametrize("script", TUTORIAL_SCRIPTS, ids=lambda p: p.name)
def test_pytorch_tutorial_runs_unchanged_with_minigrad_run(script, torch_outputs):
    output = run(["-m", "minigrad.run", str(script)])
    assert output.strip().splitlines()[-1].startswith("Result: y = ")
    assert_same_output(output, printed(torch_outputs, script), **tolerance_for(script))


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


def test_minigrad_run_without_a_script_prints_usage():
    result = run_python(["-m", "minigrad.run"])
    assert result.returncode == 2
    assert "usage: python -m minigrad.run script.py" in result.stdout


def test_missing_torch_features_read_as_absent_to_hasattr(tmp_path):
    script = tmp_path / "probe.py"
    script.write_text(
        "import torch\nimport torch.nn as nn\n"
        "print(hasattr(torch, 'fft'), hasattr(torch, 'tensor'), hasattr(nn, 'Conv2d'), hasattr(nn, 'Linear'))\n"
        "try:\n    nn.Conv2d(1, 1, 3)\nexcept AttributeError as error:\n    print(error)\n"
    )
    output = run(["-m", "minigrad.run", str(script)])
    assert output.splitlines() == ["False True False True", "minigrad has no torch.nn.Conv2d"]
