"""
The benchmarks run and print their table. Never a timing assertion: timings belong to
`python -m benchmarks`, not to tests (a loaded CI machine must not fail a test).
"""

import json
import subprocess
import sys
from pathlib import Path

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
