"""What the table was measured on: date, machine, versions and the BLAS NumPy uses."""

import datetime
import os
import platform
import subprocess
import sys
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parent.parent

# Variables that change how BLAS and PyTorch use the cores; shown when set.
THREAD_VARIABLES = (
    "OPENBLAS_CORETYPE",
    "OPENBLAS_NUM_THREADS",
    "OMP_NUM_THREADS",
    "MKL_NUM_THREADS",
)


def cpu_model():
    try:
        with open("/proc/cpuinfo") as cpuinfo:
            for line in cpuinfo:
                if line.startswith("model name"):
                    return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or platform.machine()


def numpy_blas():
    """NumPy's BLAS: threadpoolctl's live view if installed, else NumPy's build config."""
    import numpy

    try:
        from threadpoolctl import threadpool_info
    except ImportError:
        blas = numpy.show_config(mode="dicts")["Build Dependencies"]["blas"]
        config = blas.get("openblas configuration", "").split()
        return f"{blas['name']} {blas['version']} {' '.join(config[2:])}".strip()
    pools = [p for p in threadpool_info() if p["user_api"] == "blas"]
    return "; ".join(
        f"{p['internal_api']} {p['version']} {p.get('architecture', '')} {p['num_threads']} threads".replace("  ", " ")
        for p in pools
    )


def git(*args):
    try:
        out = subprocess.run(
            ["git", "-C", str(REPO_ROOT), *args], capture_output=True, text=True, timeout=10, check=False
        )
    except (OSError, subprocess.SubprocessError):
        return ""
    return out.stdout.strip()


def git_commit():
    """The commit measured, and whether minigrad/ differs from it in the working tree."""
    commit = git("log", "-1", "--format=%h %s") or "unknown"
    if git("status", "--porcelain", "--", "minigrad"):
        commit += " (+ uncommitted changes in minigrad/)"
    return commit


def describe(command, versions, torch_threads=None):
    """Header lines for the table. versions: engine -> version string, as the workers saw."""
    import numpy

    now = datetime.datetime.now(datetime.UTC).strftime("%Y-%m-%d %H:%M UTC")
    torch_version = versions.get("torch", "not run")
    if torch_threads is not None:
        torch_version += f" (intra-op threads: {torch_threads})"
    thread_env = [f"{name}={os.environ[name]}" for name in THREAD_VARIABLES if name in os.environ]
    lines = [
        f"command: {command}",
        f"date: {now}",
        f"machine: {platform.system()} {platform.machine()}, {os.cpu_count()} CPUs (nproc), " + cpu_model(),
        f"python {platform.python_version()}; numpy {numpy.__version__} "
        + f"(BLAS: {numpy_blas()}); torch {torch_version}; "
        + f"minigrad {versions.get('minigrad', 'not run')}",
        f"minigrad commit: {git_commit()}",
        f"environment: {', '.join(thread_env) or 'no BLAS/OpenMP thread variables set'}",
        f"interpreter: {sys.executable}",
    ]
    return lines
