"""
The benchmarks run and print their table. Never a timing assertion: timings belong to
`python -m benchmarks`, not to tests (a loaded CI machine must not fail a test).
"""

import json
import subprocess
import sys
from pathlib import Path

import pytest

REPO_ROOT = Path(__file__).resolve().parent.parent


def test_quick_lecture_benchmark_prints_a_table(tmp_path):
    saved = tmp_path / "bench.json"
    done = subprocess.run(
        [sys.executable, "-m", "benchmarks", "--quick", "--only", "lecture"]
        + ["--engines", "numpy,minigrad", "--json", str(saved)],
        cwd=REPO_ROOT,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    table = [line for line in done.stdout.splitlines() if line.startswith("| lecture |")]
    assert len(table) == 1, done.stdout
    cells = [cell.strip() for cell in table[0].strip("|").split("|")]
    unit, floor, minigrad = cells[1:4]
    assert unit == "µs/epoch"
    for figure in (floor, minigrad):  # a number (with its spread), not "error" or "n/a"
        float(figure.split()[0])
    assert "WARNING" not in done.stdout and "error:" not in done.stdout, done.stdout

    results = json.loads(saved.read_text())["results"]
    assert {(r["engine"], r["mode"]) for r in results if r["status"] == "ok"} == {
        (engine, mode) for engine in ("numpy", "minigrad") for mode in ("time", "memory")
    }


@pytest.mark.parametrize("workload_id", ["op-overhead", "mlp"])
def test_the_bare_engines_of_benchmarks_bounds_do_the_benchmarks_arithmetic(workload_id):
    """benchmarks/bounds.py's bare engines bound minigrad's cost only if they do the same work:
    the same loss after the same steps as PyTorch, and on op-overhead the same gradients."""
    from benchmarks import bounds

    steps = bounds.engine_steps(workload_id)
    bounds.check_same_results(steps, with_gradients=workload_id == "op-overhead")
    assert len(steps) == 4


def test_benchmarks_bounds_check_notices_a_wrong_gradient():
    from benchmarks import bounds

    steps = bounds.engine_steps("op-overhead")
    right = steps["bare Function idiom"]
    x, y = (cell.cell_contents for cell in right.__closure__ if hasattr(cell.cell_contents, "grad"))

    def doubled():  # the same loss, x's gradient twice what it should be
        loss = right()
        x.grad, y.grad = bounds.BareTensor(x.grad.array * 2), y.grad
        return loss

    steps["bare Function idiom"] = doubled
    with pytest.raises(AssertionError, match="bare Function idiom"):
        bounds.check_same_results(steps, with_gradients=True)


def test_benchmarks_instructions_reads_callgrinds_totals_and_runs_a_step():
    """benchmarks/instructions.py: the counts it reads off callgrind's report, per event, and the
    step its child process runs (valgrind itself is not needed here)."""
    from benchmarks import instructions

    report = (
        "==7== Events    : Ir Dr Dw I1mr D1mr D1mw ILmr DLmr DLmw\n"
        "==7== Collected : 1112620936 328459434 188206818 10352748 10248098 3142913 30031 95836 372804\n"
    )
    totals = instructions.parse_totals(report)
    assert (totals["Ir"], totals["I1mr"], totals["D1mr"], totals["D1mw"]) == (1112620936, 10352748, 10248098, 3142913)
    assert instructions.main(["--child", "minigrad", "lecture", "2"]) == 0
