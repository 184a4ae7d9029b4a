"""
minigrad benchmarks: minigrad against a hand-written NumPy floor and against PyTorch.

Run everything with `python -m benchmarks` (see `python -m benchmarks --help`).
Start reading at run.py (the harness and the table); worker.py runs one engine on one
workload in a fresh process; floor.py is the NumPy floor with hand-derived gradients;
torch_code.py is the PyTorch code that also runs on minigrad (`import minigrad as torch`).
memory_flat.py and profile_lecture.py are standalone scripts for issues 8 and 7.
Benchmarks are never timed tests: tests/test_benchmarks_smoke.py only checks that they run.
"""
