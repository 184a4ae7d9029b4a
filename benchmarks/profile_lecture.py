"""
Where does an epoch of the lecture loop spend its time? (issue 7)

    python -m benchmarks.profile_lecture [--workload lecture|op-overhead|mlp|big-matmul] [--steps 5000]
                                         [--profiler pyinstrument|cprofile] [--top 15]

Runs the benchmark's step function (the same code run.py times) under a profiler and
prints the functions with the most time of their own, then pyinstrument's call tree.
pyinstrument is used when installed; otherwise, or with --profiler cprofile, cProfile.
"""

import argparse
import cProfile
import io
import pstats
from collections import defaultdict

from benchmarks.torch_code import load_engine, make_step
from benchmarks.workloads import WORKLOADS


def profile_with_cprofile(step, steps, top):
    profiler = cProfile.Profile()
    profiler.enable()
    for _ in range(steps):
        step()
    profiler.disable()
    out = io.StringIO()
    stats = pstats.Stats(profiler, stream=out).strip_dirs()
    stats.sort_stats("tottime").print_stats(top)
    print(out.getvalue())
    out = io.StringIO()
    stats.stream = out
    stats.sort_stats("cumulative").print_stats(top)
    print(out.getvalue())


def own_times(session):
    """Seconds spent in each function itself (the leaf of each sample), summed."""
    totals = defaultdict(float)
    for stack, seconds in session.frame_records:
        function, path, line = stack[-1].split("\x01")[0].split("\x00")
        short_path = "/".join(path.split("/")[-2:])
        totals[f"{function}  {short_path}:{line}"] += seconds
    return totals


def profile_with_pyinstrument(step, steps, top):
    from pyinstrument import Profiler

    profiler = Profiler(interval=0.0001)
    profiler.start()
    for _ in range(steps):
        step()
    profiler.stop()
    session = profiler.last_session
    totals = own_times(session)
    print(f"top {top} by own time ({session.duration:.3f} s in {steps} steps):")
    for key, seconds in sorted(totals.items(), key=lambda item: -item[1])[:top]:
        per_step_us = seconds / steps * 1e6
        print(f"  {seconds / session.duration:6.1%}  {per_step_us:7.2f} µs/step  {key}")
    print()
    print(profiler.output_text(unicode=True, color=False))


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.strip().split("\n\n")[1])
    parser.add_argument("--workload", default="lecture", choices=list(WORKLOADS))
    parser.add_argument("--engine", default="minigrad", choices=("minigrad", "torch"))
    parser.add_argument("--device", default="cpu")
    parser.add_argument("--steps", type=int, default=5000)
    parser.add_argument("--profiler", choices=("pyinstrument", "cprofile"))
    parser.add_argument("--top", type=int, default=15)
    args = parser.parse_args(argv)

    step = make_step(load_engine(args.engine), args.workload, args.device)
    for _ in range(100):  # warm-up: first calls fill caches and import lazily
        step()
    profiler = args.profiler
    if profiler is None:
        try:
            import pyinstrument  # noqa: F401
        except ImportError:
            profiler = "cprofile"
        else:
            profiler = "pyinstrument"
    print(f"{args.engine} {args.workload} on {args.device}, {args.steps} steps, {profiler}\n")
    if profiler == "pyinstrument":
        profile_with_pyinstrument(step, args.steps, args.top)
    else:
        profile_with_cprofile(step, args.steps, args.top)


if __name__ == "__main__":
    main()
