"""
Instructions and cache misses per step, counted rather than timed (issue 7):

    python -m benchmarks.instructions [--only ID] [--engines numpy,minigrad] [--steps 5,25]

This machine's speed drifts by up to 2x within minutes, so a change worth 5% of a step cannot
be seen in a timing. Valgrind's callgrind counts the instructions a process runs and simulates
its caches. With Python's string hashing fixed (PYTHONHASHSEED=0, set here) two runs of the same
code agree within a few hundredths of a percent; without it, dict layouts differ and counts
move by 1-2%. Each engine
runs its workload step (the code `python -m benchmarks` times) in two fresh processes under
callgrind, one doing more steps than the other; the difference, over the difference in steps,
is what one step costs, with the imports and the set-up left out.

The columns: instructions, first-level instruction-cache misses (the interpreter's code pushed
out by, say, a big matrix product's kernel, and fetched again) and first-level data-cache
misses, each per step and as a ratio to the NumPy floor. Counts are not times: an instruction
of a BLAS kernel does eight multiply-adds, one of the interpreter a fraction of a bytecode, and
a cache miss costs tens of instructions' time. Compare a count with the same count before and
after a change.

Needs valgrind (`apt install valgrind`). PyTorch runs about a hundred times slower under it (a
few minutes per workload), so it is left out unless --engines names it.
"""

import argparse
import os
import re
import shutil
import subprocess
import sys
import tempfile

from benchmarks import worker
from benchmarks.workloads import WORKLOADS

EVENTS = {"Ir": "instructions", "I1mr": "I1 misses", "D1mr": "D1 read misses", "D1mw": "D1 write misses"}


def parse_args(argv):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--only", action="append", choices=list(WORKLOADS), help="run only this workload (repeatable)")
    parser.add_argument("--engines", default="numpy,minigrad", help="comma-separated (default: numpy,minigrad)")
    parser.add_argument("--steps", default="5,25", help="the two step counts whose difference is measured")
    parser.add_argument("--child", nargs=3, metavar=("ENGINE", "WORKLOAD", "STEPS"), help=argparse.SUPPRESS)
    return parser.parse_args(argv)


def run_steps(engine, workload_id, steps):
    """The process callgrind watches: build the step, warm it up, run `steps` steps."""
    step, sync, _ = worker.build(engine, workload_id, "cpu")
    for _ in range(3 + steps):
        step()
    sync()


def count_events(engine, workload_id, steps):
    """Callgrind's totals for one process running `steps` steps: {event name: count}."""
    with tempfile.TemporaryDirectory() as folder:
        command = [
            "valgrind",
            "--tool=callgrind",
            "--cache-sim=yes",
            f"--callgrind-out-file={os.path.join(folder, 'callgrind.out')}",
            sys.executable,
            "-m",
            "benchmarks.instructions",
            "--child",
            engine,
            workload_id,
            str(steps),
        ]
        threads = {name: "1" for name in ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS")}
        env = {**os.environ, **threads, "PYTHONHASHSEED": "0"}  # (string hashes, so dict layouts, alike)
        finished = subprocess.run(command, capture_output=True, text=True, env=env, check=False)
    if finished.returncode != 0:
        raise RuntimeError(f"{engine} {workload_id} failed under valgrind:\n{finished.stderr[-2000:]}")
    return parse_totals(finished.stderr)


def parse_totals(report):
    """{event: count} from callgrind's closing lines ("Events : Ir ..." and "Collected : 123 ...")."""
    names = re.search(r"Events\s*:\s*(.+)", report).group(1).split()
    counts = re.search(r"Collected\s*:\s*(.+)", report).group(1).split()
    return dict(zip(names, map(int, counts)))


def per_step(engine, workload_id, fewer, more):
    """Each event's count for one step: the difference between two runs, over their steps."""
    low, high = count_events(engine, workload_id, fewer), count_events(engine, workload_id, more)
    return {event: (high[event] - low[event]) / (more - fewer) for event in EVENTS}


def table(results, workload_ids, engines):
    header = ["workload", "engine"]
    for name in EVENTS.values():
        header += [f"{name}/step", "/ floor"]
    lines = ["| " + " | ".join(header) + " |", "| --- | --- |" + " ---: | ---: |" * len(EVENTS)]
    for workload_id in workload_ids:
        floor = results.get((workload_id, "numpy"))
        for engine in engines:
            counts = results[(workload_id, engine)]
            cells = [workload_id, engine]
            for event in EVENTS:
                ratio = f"{counts[event] / floor[event]:.2f}x" if floor and floor[event] else "-"
                cells += [f"{counts[event]:,.0f}", ratio]
            lines.append("| " + " | ".join(cells) + " |")
    return "\n".join(lines)


def main(argv=None):
    args = parse_args(argv)
    if args.child:
        engine, workload_id, steps = args.child
        run_steps(engine, workload_id, int(steps))
        return 0
    if shutil.which("valgrind") is None:
        print("benchmarks.instructions needs valgrind (apt install valgrind)", file=sys.stderr)
        return 1
    fewer, more = (int(n) for n in args.steps.split(","))
    workload_ids = args.only or list(WORKLOADS)
    engines = args.engines.split(",")
    results = {}
    for workload_id in workload_ids:
        for engine in engines:
            print(f"  {workload_id:12} {engine:9} under callgrind ...", file=sys.stderr, flush=True)
            results[(workload_id, engine)] = per_step(engine, workload_id, fewer, more)
    print(f"# Per step, counted by callgrind (steps {fewer} and {more}, one BLAS thread)\n")
    print(table(results, workload_ids, engines))
    return 0


if __name__ == "__main__":
    sys.exit(main())
