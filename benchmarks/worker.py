"""
One engine, one workload, one measurement, in a process of its own:

    python -m benchmarks.worker ENGINE WORKLOAD --mode time|interleaved|memory [--device cpu] ...

ENGINE is numpy (the floor), minigrad or torch. The result is one JSON line on stdout, read
by run.py (with --mode interleaved, one line per repeat run.py asks for). Timing and memory
run in separate fresh processes so neither sees the other's imports, caches or allocations.
"""

import argparse
import ctypes
import ctypes.util
import gc
import json
import statistics
import sys
import time

from benchmarks import floor, torch_code

ENGINES = ("numpy", "minigrad", "torch")


def build(engine_name, workload_id, device):
    """(step, sync, version): the workload's step function on this engine and device."""
    if engine_name == "numpy":
        step = floor.make_step(workload_id, device)
        xp = floor.namespace(device)
        version = xp.__version__
        if device == "cuda":
            return step, xp.cuda.Device().synchronize, version
        return step, lambda: None, version

    if engine_name == "torch" and device not in ("cpu", "cuda"):
        raise floor.UnavailableError(f"PyTorch has no {device!r} device")
    engine = torch_code.load_engine(engine_name)
    torch = engine.torch
    if device == "cuda" and not torch.cuda.is_available():
        raise floor.UnavailableError(f"{engine_name} sees no CUDA device")
    step = torch_code.make_step(engine, workload_id, device)
    version = getattr(torch, "__version__", "unknown")
    if device != "cuda":
        return step, lambda: None, version
    if engine_name == "torch":
        return step, torch.cuda.synchronize, version
    import cupy  # minigrad's cuda device is CuPy

    return step, cupy.cuda.Device().synchronize, version


def warm_up(step, sync, warmup_s, repeat_s):
    """Run the step for warmup_s seconds; return how many steps fill one timed repeat."""
    start = time.perf_counter()
    warmup_steps = 0
    while warmup_steps < 3 or time.perf_counter() - start < warmup_s:
        step()
        warmup_steps += 1
    sync()

    start = time.perf_counter()
    for _ in range(3):
        step()
    sync()
    seconds_per_step = (time.perf_counter() - start) / 3
    return max(1, round(repeat_s / seconds_per_step))


def time_repeat(step, sync, number):
    """Seconds per step over one repeat of `number` steps."""
    start = time.perf_counter()
    for _ in range(number):
        step()
    sync()
    return (time.perf_counter() - start) / number


def measure_time(step, sync, repeats, warmup_s, repeat_s):
    """Median seconds per step: warm up, pick how many steps fill one repeat, time repeats."""
    number = warm_up(step, sync, warmup_s, repeat_s)
    samples = [time_repeat(step, sync, number) for _ in range(repeats)]
    return {"seconds": statistics.median(samples), "samples": samples, "number": number}


def serve_repeats(step, sync, result, warmup_s, repeat_s):
    """Interleaved timing: warm up, say "ready", then time one repeat per "go" line on stdin.

    run.py drives one such process per engine and sends "go" to each in turn, so that every
    engine's repeats are spread over the same seconds: a machine that slows down for a while
    slows every engine alike, and the ratios stay steady.
    """
    number = warm_up(step, sync, warmup_s, repeat_s)
    print(json.dumps({**result, "status": "ready", "number": number}), flush=True)
    for line in sys.stdin:
        if line.strip() != "go":
            break
        print(json.dumps({"seconds": time_repeat(step, sync, number)}), flush=True)


def read_status_kib(field):
    """A memory figure of this process from /proc/self/status (Linux), in KiB."""
    with open("/proc/self/status") as status:
        for line in status:
            if line.startswith(field + ":"):
                return int(line.split()[1])
    raise KeyError(field)


def reset_peak_rss():
    """Make VmHWM start again from the current RSS (Linux >= 4.0); False if not allowed."""
    try:
        with open("/proc/self/clear_refs", "w") as clear_refs:
            clear_refs.write("5")
        return True
    except OSError:
        return False


def release_free_memory():
    """Give memory that is free but still resident back to the OS (glibc's malloc_trim).

    Setup frees temporaries (initial weights, copies); without this, later allocations
    reuse those resident pages and the RSS delta under-counts by however much setup freed.
    """
    libc_name = ctypes.util.find_library("c")
    try:
        ctypes.CDLL(libc_name).malloc_trim(0)
    except (OSError, AttributeError, TypeError):  # not glibc: nothing to trim
        pass


def measure_memory(step, sync, steps):
    """Peak RSS during `steps` steps minus the RSS just before them, and the last loss.

    Inputs and parameters already exist at the baseline, so the figure is what training
    itself costs: activations, saved tensors, gradients, optimizer state and temporaries.
    RSS sees every allocator (NumPy's, PyTorch's, Python's), unlike tracemalloc.
    """
    gc.collect()
    release_free_memory()
    if reset_peak_rss():
        baseline_kib, method = (
            read_status_kib("VmRSS"),
            "VmHWM after clear_refs, minus VmRSS",
        )
    else:  # the peak so far stands in for the baseline: under-counts if imports peaked higher
        baseline_kib, method = read_status_kib("VmHWM"), "VmHWM growth"
    for _ in range(steps):
        loss = step()
    sync()
    peak_kib = read_status_kib("VmHWM")
    return {
        "peak_bytes": max(0, peak_kib - baseline_kib) * 1024,
        "loss": loss.item(),
        "memory_method": method,
    }


def parse_args(argv):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("engine", choices=ENGINES)
    parser.add_argument("workload")
    parser.add_argument("--mode", choices=("time", "interleaved", "memory"), required=True)
    parser.add_argument("--device", default="cpu")
    parser.add_argument("--repeats", type=int, default=15)
    parser.add_argument("--warmup-s", type=float, default=0.3)
    parser.add_argument("--repeat-s", type=float, default=0.1)
    parser.add_argument("--memory-steps", type=int, default=5)
    return parser.parse_args(argv)


def main(argv=None):
    args = parse_args(argv)
    result = {"engine": args.engine, "workload": args.workload, "mode": args.mode}
    try:
        step, sync, result["version"] = build(args.engine, args.workload, args.device)
    except floor.UnavailableError as reason:
        result.update(status="n/a", message=str(reason))
    else:
        if args.engine == "torch":
            result["threads"] = torch_code.load_engine("torch").torch.get_num_threads()
        if args.mode == "interleaved":
            serve_repeats(step, sync, result, args.warmup_s, args.repeat_s)
            return
        if args.mode == "time":
            result.update(measure_time(step, sync, args.repeats, args.warmup_s, args.repeat_s))
        else:
            result.update(measure_memory(step, sync, args.memory_steps))
        result["status"] = "ok"
    print(json.dumps(result))


if __name__ == "__main__":
    sys.exit(main())
