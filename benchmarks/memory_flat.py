"""
Does memory stay flat over a long training run? (issue 8)

    python -m benchmarks.memory_flat [--engine minigrad|torch] [--steps 10000] [--device cpu]

Trains a small model (Quiz 1 data, Linear(3, 16), Tanh, Linear(16, 1), MSE, SGD with
momentum) and measures at step 1,000 and at the last step: memory traced by tracemalloc
(Python objects and NumPy buffers), the process's RSS, and the number of objects the cycle
collector tracks. It runs twice: once as usual, and once with the cycle collector switched
off, where any reference cycle in the graph (a node holding its output, a tensor holding its
node holding the tensor) shows up as growth because only reference counting frees memory.
"""

import argparse
import gc
import tracemalloc

import numpy as np

from benchmarks.torch_code import load_engine
from benchmarks.worker import read_status_kib
from benchmarks.workloads import QUIZ1_X, QUIZ1_Y

FIRST_CHECKPOINT = 1_000
FLAT_BYTES = 64 * 1024  # growth below this between the checkpoints counts as flat


def make_training_step(engine, device):
    torch, nn, functional, optim = engine.torch, engine.nn, engine.functional, engine.optim
    torch.manual_seed(0)
    x = torch.tensor(np.array(QUIZ1_X, dtype=np.float32) / 100, device=device)
    y = torch.tensor(np.array(QUIZ1_Y, dtype=np.float32) / 100, device=device)
    model = nn.Sequential(nn.Linear(3, 16), nn.Tanh(), nn.Linear(16, 1)).to(device)
    optimizer = optim.SGD(model.parameters(), lr=0.01, momentum=0.9)

    def step():
        loss = functional.mse_loss(model(x), y)
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()
        return loss

    return step


def snapshot(collect):
    if collect:
        gc.collect()
    traced, _ = tracemalloc.get_traced_memory()
    return {
        "traced": traced,
        "rss": read_status_kib("VmRSS") * 1024,
        "gc_objects": len(gc.get_objects()),
    }


def run_phase(engine, device, steps, cycle_collector):
    """Train for `steps` steps; return the snapshots at the first checkpoint and at the end."""
    step = make_training_step(engine, device)
    gc.collect()
    if not cycle_collector:
        gc.disable()
    tracemalloc.start()
    try:
        for i in range(1, steps + 1):
            loss = step()
            if i == FIRST_CHECKPOINT:
                first = snapshot(collect=cycle_collector)
        last = snapshot(collect=cycle_collector)
    finally:
        tracemalloc.stop()
        gc.enable()
    return first, last, loss.item()


def format_bytes(n):
    return f"{n / 1024:+,.1f} KiB" if abs(n) < 2**20 else f"{n / 2**20:+,.2f} MiB"


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.strip().split("\n\n")[1])
    parser.add_argument("--engine", default="minigrad", choices=("minigrad", "torch"))
    parser.add_argument("--steps", type=int, default=10_000)
    parser.add_argument("--device", default="cpu")
    args = parser.parse_args(argv)
    if args.steps <= FIRST_CHECKPOINT:
        parser.error(f"--steps must be more than {FIRST_CHECKPOINT}")

    engine = load_engine(args.engine)
    print(f"{args.engine} on {args.device}: {args.steps:,} training steps of a small MLP")
    print(f"growth between step {FIRST_CHECKPOINT:,} and step {args.steps:,}:")
    all_flat = True
    for cycle_collector in (True, False):
        first, last, loss = run_phase(engine, args.device, args.steps, cycle_collector)
        traced_growth = last["traced"] - first["traced"]
        flat = traced_growth < FLAT_BYTES
        all_flat &= flat
        label = "gc on (collected at checkpoints)" if cycle_collector else "gc off"
        print(
            f"  {label:<33} tracemalloc {format_bytes(traced_growth):>13}"
            f" (at step {FIRST_CHECKPOINT:,}: {first['traced'] / 1024:,.0f} KiB)"
            f"   RSS {format_bytes(last['rss'] - first['rss']):>13}"
            f"   gc objects {last['gc_objects'] - first['gc_objects']:+,}"
            f"   final loss {loss:.4g}   {'flat' if flat else 'GROWS'}"
        )
    print("memory is flat" if all_flat else "memory GROWS: something keeps graphs alive")
    return 0 if all_flat else 1


if __name__ == "__main__":
    raise SystemExit(main())
