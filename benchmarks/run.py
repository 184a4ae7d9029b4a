"""
The benchmark harness: `python -m benchmarks [--device cpu] [--only ID] [--repeats N]
[--threads N] [--quick] [--engines numpy,minigrad,torch] [--json PATH]`.

For every workload (workloads.py) it starts one fresh timing process per engine (worker.py),
warms each up, then asks them for one timed repeat at a time, in turn, so that every engine's
repeats are spread over the same seconds and a machine that slows down for a while slows them
all alike; each figure is the median of its engine's repeats. Then one fresh process per engine
measures the peak memory of a few steps and the loss they reach. Then it prints a Markdown table: each engine's figure,
the ratios to the NumPy floor and to PyTorch, and whether issue 7's targets are met.
"""

import argparse
import json
import os
import shlex
import statistics
import subprocess
import sys

from benchmarks.environment import REPO_ROOT, describe
from benchmarks.worker import ENGINES
from benchmarks.workloads import WORKLOADS

ENGINE_NAMES = {"numpy": "NumPy floor", "minigrad": "minigrad", "torch": "PyTorch"}

# Issue 7's targets: minigrad's figure at most this many times the engine's.
TARGETS = {
    "lecture": [("torch", 0.5)],
    "op-overhead": [("torch", 1.0)],
    "mlp": [("torch", 1.0), ("numpy", 1.3)],
    "big-matmul": [("numpy", 1.05)],
}
MEMORY_WORKLOADS = ("mlp", "big-matmul")
MEMORY_TARGETS = [("numpy", 1.3)]

# The losses every engine reaches after the memory run's steps must agree this closely,
# or the engines are not doing the same work.
CHECK_RTOL = 1e-3


def parse_args(argv):
    parser = argparse.ArgumentParser(prog="python -m benchmarks", description=__doc__.strip().split("\n\n")[1])
    parser.add_argument("--device", default="cpu", help="cpu (default), strict or cuda")
    parser.add_argument(
        "--only",
        action="append",
        choices=list(WORKLOADS),
        metavar="ID",
        help=f"run only this workload (repeatable): {', '.join(WORKLOADS)}",
    )
    parser.add_argument(
        "--engines",
        default=",".join(ENGINES),
        help="comma-separated engines to run (default: numpy,minigrad,torch)",
    )
    parser.add_argument("--repeats", type=int, help="timed repeats per figure (default 15)")
    parser.add_argument(
        "--threads",
        type=int,
        help="BLAS/OpenMP threads for every engine (sets OPENBLAS_NUM_THREADS, OMP_NUM_THREADS,"
        " MKL_NUM_THREADS); default: each library's own choice. On a shared, busy machine"
        " --threads 1 avoids BLAS threads waiting on each other and gives steadier figures",
    )
    parser.add_argument("--quick", action="store_true", help="tiny repeats: checks that everything runs")
    parser.add_argument("--json", metavar="PATH", help="also save the results as JSON")
    args = parser.parse_args(argv)
    args.engines = [name.strip() for name in args.engines.split(",") if name.strip()]
    unknown = set(args.engines) - set(ENGINES)
    if unknown:
        parser.error(f"unknown engine(s) {sorted(unknown)}; choose from {list(ENGINES)}")
    return args


def worker_options(args):
    if args.quick:
        options = {"repeats": 3, "warmup-s": 0.0, "repeat-s": 0.002, "memory-steps": 2}
    else:
        options = {"repeats": 30, "warmup-s": 0.3, "repeat-s": 0.1, "memory-steps": 5}
    if args.repeats is not None:
        options["repeats"] = args.repeats
    return options


def worker_command(engine, workload_id, mode, device, options):
    command = [sys.executable, "-m", "benchmarks.worker", engine, workload_id]
    command += ["--mode", mode, "--device", device]
    if mode == "memory":
        return command + [f"--memory-steps={options['memory-steps']}"]
    return command + [f"--warmup-s={options['warmup-s']}", f"--repeat-s={options['repeat-s']}"]


def worker_env():
    env = dict(os.environ)
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(REPO_ROOT), env.get("PYTHONPATH")]))
    return env


def time_interleaved(workload_id, engines, device, options):
    """{engine: result}: one process per engine, asked for one timed repeat at a time, in turn."""
    results, workers = {}, {}
    for engine in engines:
        process = subprocess.Popen(
            worker_command(engine, workload_id, "interleaved", device, options),
            cwd=REPO_ROOT,
            env=worker_env(),
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        first = _read_result(process)
        if first["status"] == "ready":
            workers[engine] = process
            results[engine] = {**first, "mode": "time", "status": "ok", "samples": []}
        else:
            results[engine] = first
            _stop(process)
    for repeat in range(options["repeats"]):
        order = list(workers)
        order = order[repeat % len(order) :] + order[: repeat % len(order)] if order else order
        for engine in order:  # who goes first changes every repeat
            workers[engine].stdin.write("go\n")
            workers[engine].stdin.flush()
            results[engine]["samples"].append(_read_result(workers[engine])["seconds"])
    for engine, process in workers.items():
        _stop(process)
        results[engine]["seconds"] = statistics.median(results[engine]["samples"])
    return results


def _read_result(process):
    line = process.stdout.readline()
    if not line:
        stderr = process.stderr.read().strip().splitlines()
        return {"status": "error", "message": stderr[-1] if stderr else f"exit {process.wait()}"}
    return json.loads(line)


def _stop(process):
    if process.stdin:
        process.stdin.close()
    process.wait(timeout=60)


def run_worker(engine, workload_id, mode, device, options):
    """Start one worker process and return its JSON result (status "error" if it failed)."""
    command = worker_command(engine, workload_id, mode, device, options)
    env = worker_env()
    try:
        done = subprocess.run(
            command,
            cwd=REPO_ROOT,
            env=env,
            capture_output=True,
            text=True,
            timeout=900,
            check=False,
        )
    except subprocess.TimeoutExpired:
        return {"status": "error", "message": "timed out after 900 s"}
    lines = done.stdout.strip().splitlines()
    if done.returncode != 0 or not lines:
        stderr = done.stderr.strip().splitlines()
        return {
            "status": "error",
            "message": stderr[-1] if stderr else f"exit {done.returncode}",
        }
    return json.loads(lines[-1])


def format_value(value):
    if value >= 100:
        return f"{value:.0f}"
    if value >= 10:
        return f"{value:.1f}"
    return f"{value:.2f}"


def format_ratio(numerator, denominator):
    if numerator is None or denominator is None or denominator == 0:
        return "–"
    return f"{numerator / denominator:.2f}x"


def status_of(figures, targets):
    """PASS if minigrad meets every target, MISS if it misses one, n/a without the figures."""
    mine = figures.get("minigrad")
    verdicts = []
    for engine, limit in targets:
        if mine is None or figures.get(engine) is None:
            return "n/a"
        verdicts.append(mine <= limit * figures[engine])
    return "PASS" if all(verdicts) else "MISS"


def describe_target(targets):
    return ", ".join(f"<={limit}x {ENGINE_NAMES[engine]}" for engine, limit in targets)


def cell(result, value, spread=None):
    if result is None:
        return "–"
    if result["status"] != "ok":
        return result["status"]
    text = format_value(value)
    return f"{text} ±{spread:.0%}" if spread is not None else text


def relative_spread(samples):
    """Interquartile range over the median: how noisy a figure was."""
    if len(samples) < 4:
        return None
    q1, _, q3 = statistics.quantiles(samples, n=4)
    return (q3 - q1) / statistics.median(samples)


def table_rows(results, workload_ids, engines):
    """Markdown rows: one per workload for time, one per memory workload for peak memory."""
    columns = [ENGINE_NAMES[e] for e in engines]
    header = ["workload", "unit", *columns, "minigrad / floor", "minigrad / PyTorch"]
    header += ["PyTorch / floor", "target", "status"]
    rows = [header, ["---"] * 2 + ["---:"] * (len(header) - 4) + ["---"] * 2]

    def add_row(label, unit, figures, cells, targets):
        rows.append(
            [label, unit, *cells]
            + [format_ratio(figures.get("minigrad"), figures.get("numpy"))]
            + [format_ratio(figures.get("minigrad"), figures.get("torch"))]
            + [format_ratio(figures.get("torch"), figures.get("numpy"))]
            + [describe_target(targets), status_of(figures, targets)]
        )

    for workload_id in workload_ids:
        workload = WORKLOADS[workload_id]
        figures, cells = {}, []
        for engine in engines:
            result = results.get((workload_id, engine, "time"))
            value = None
            if result and result["status"] == "ok":
                value = result["seconds"] * workload.scale / workload.ops_per_step
                figures[engine] = value
            spread = relative_spread(result["samples"]) if value is not None else None
            cells.append(cell(result, value, spread))
        add_row(workload_id, workload.unit, figures, cells, TARGETS[workload_id])

    for workload_id in workload_ids:
        if workload_id not in MEMORY_WORKLOADS:
            continue
        figures, cells = {}, []
        for engine in engines:
            result = results.get((workload_id, engine, "memory"))
            value = None
            if result and result["status"] == "ok":
                value = figures[engine] = result["peak_bytes"] / 2**20
            cells.append(cell(result, value))
        add_row(f"{workload_id} peak memory", "MiB", figures, cells, MEMORY_TARGETS)
    return rows


def check_losses(results, workload_ids, engines):
    """Lines saying whether every engine reached the same loss after the same steps."""
    lines, compared = [], 0
    for workload_id in workload_ids:
        losses = {
            engine: result["loss"]
            for engine in engines
            if (result := results.get((workload_id, engine, "memory"))) and "loss" in result
        }
        if len(losses) < 2:
            continue
        compared += 1
        reference = losses.get("numpy", next(iter(losses.values())))
        off = {e: v for e, v in losses.items() if abs(v - reference) > CHECK_RTOL * max(abs(reference), 1e-12)}
        if off:
            shown = ", ".join(f"{ENGINE_NAMES[e]} {v:.6g}" for e, v in losses.items())
            lines.append(f"WARNING: {workload_id}: engines disagree on the loss: {shown}")
    if not compared:
        return ["check: skipped (fewer than two engines ran a workload)"]
    return lines or ["check: every engine reached the same loss after the same steps"]


def run_all(args, workload_ids, options):
    """Every measurement, as {(workload, engine, mode): result}; progress goes to stderr."""
    results = {}

    def record(workload_id, engine, mode, result):
        results[(workload_id, engine, mode)] = result
        print(
            f"  {workload_id:<12} {ENGINE_NAMES[engine]:<12} {mode:<7} {result['status']} {result.get('message', '')}",
            file=sys.stderr,
            flush=True,
        )

    for workload_id in workload_ids:
        for engine, result in time_interleaved(workload_id, args.engines, args.device, options).items():
            record(workload_id, engine, "time", result)
        for engine in args.engines:
            record(workload_id, engine, "memory", run_worker(engine, workload_id, "memory", args.device, options))
    return results


def main(argv=None):
    args = parse_args(argv)
    if args.threads is not None:  # the workers inherit these; the header shows them
        for name in ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS"):
            os.environ[name] = str(args.threads)
    workload_ids = args.only or list(WORKLOADS)
    options = worker_options(args)
    load_before = os.getloadavg()[0]
    results = run_all(args, workload_ids, options)
    load_after = os.getloadavg()[0]

    versions = {e: r["version"] for (_, e, _), r in results.items() if "version" in r}
    torch_threads = next((r["threads"] for r in results.values() if "threads" in r), None)
    command = "python -m benchmarks " + shlex.join(sys.argv[1:] if argv is None else argv)
    header = describe(command.strip(), versions, torch_threads)
    header.append(
        f"device: {args.device}; each figure the median of {options['repeats']} timed repeats"
        " after a warm-up, the engines' repeats taking turns (±: interquartile range / median);"
        " each engine and each measurement in its own fresh process;"
        f" load average {load_before:.2f} before, {load_after:.2f} after"
    )
    header.append(
        f"peak memory: peak RSS over {options['memory-steps']} steps minus RSS before them"
        " (inputs and parameters allocated, free memory trimmed), same method for every engine"
    )
    rows = table_rows(results, workload_ids, args.engines)
    print("# minigrad benchmarks\n")
    print("\n".join(f"- {line}" for line in header))
    print()
    print("\n".join("| " + " | ".join(row) + " |" for row in rows))
    warnings = check_losses(results, workload_ids, args.engines)
    print()
    print("\n".join(warnings))
    for (workload_id, engine, mode), result in results.items():
        if result["status"] == "error":
            print(f"error: {workload_id} / {ENGINE_NAMES[engine]} / {mode}: {result['message']}")

    if args.json:
        saved = {
            "header": header,
            "results": [{"workload": w, "engine": e, "mode": m, **r} for (w, e, m), r in results.items()],
        }
        with open(args.json, "w") as out:
            json.dump(saved, out, indent=2)
