"""
The four workloads of issue 7, described once: what each step does, the unit it is reported
in, and the input data every engine starts from (the same float32 NumPy arrays, so every
engine does exactly the same arithmetic and can be checked against the others).
"""

from dataclasses import dataclass

import numpy as np

# The lecture's Quiz 1 data (five students, three quiz scores, one final score).
QUIZ1_X = [[73, 80, 75], [93, 88, 93], [89, 91, 90], [96, 98, 100], [73, 66, 70]]
QUIZ1_Y = [[152], [185], [180], [196], [142]]

OP_CHAIN_REPEATS = 4  # (mul, add, tanh, exp, sub) x 4 = 20 elementwise ops
OP_CHAIN_OPS = 5 * OP_CHAIN_REPEATS


@dataclass(frozen=True)
class Workload:
    id: str
    description: str
    unit: str  # what one reported number means
    scale: float  # seconds per step -> unit
    ops_per_step: int = 1  # op-overhead reports per op, not per step


WORKLOADS = {
    w.id: w
    for w in [
        Workload(
            "lecture",
            "Quiz 1 linear regression: x 5x3 @ W 3x1 + b, MSE, zero_grad, backward, SGD lr 1e-5",
            "µs/epoch",
            1e6,
        ),
        Workload(
            "op-overhead",
            f"x, y of shape (4,): {OP_CHAIN_OPS} elementwise ops (mul add tanh exp sub)"
            f" x{OP_CHAIN_REPEATS}, sum, backward",
            "µs/op",
            1e6,
            OP_CHAIN_OPS,
        ),
        Workload(
            "mlp",
            "784-256-10 ReLU MLP, MSE vs one-hot, batch 64, SGD lr 0.01 momentum 0.9",
            "ms/step",
            1e3,
        ),
        Workload(
            "big-matmul",
            "(A @ B).sum() forward and backward, A and B 1024x1024 float32",
            "ms/iter",
            1e3,
        ),
    ]
}


def make_inputs(workload_id):
    """The starting arrays of a workload, float32, the same for every engine."""
    rng = np.random.default_rng(0)
    if workload_id == "lecture":
        return {
            "x": np.array(QUIZ1_X, dtype=np.float32),
            "y": np.array(QUIZ1_Y, dtype=np.float32),
        }
    if workload_id == "op-overhead":
        return {
            "x": rng.uniform(-1, 1, size=4).astype(np.float32),
            "y": rng.uniform(0.5, 1, size=4).astype(np.float32),
        }
    if workload_id == "mlp":
        batch, n_in, n_hidden, n_out = 64, 784, 256, 10
        bound1, bound2 = (
            1 / np.sqrt(n_in),
            1 / np.sqrt(n_hidden),
        )  # nn.Linear's default init
        labels = rng.integers(0, n_out, size=batch)
        return {
            "x": rng.uniform(0, 1, size=(batch, n_in)).astype(np.float32),
            "y": np.eye(n_out, dtype=np.float32)[labels],  # one-hot targets
            "weight1": rng.uniform(-bound1, bound1, size=(n_hidden, n_in)).astype(np.float32),
            "bias1": rng.uniform(-bound1, bound1, size=n_hidden).astype(np.float32),
            "weight2": rng.uniform(-bound2, bound2, size=(n_out, n_hidden)).astype(np.float32),
            "bias2": rng.uniform(-bound2, bound2, size=n_out).astype(np.float32),
        }
    if workload_id == "big-matmul":
        n = 1024
        return {
            "a": rng.uniform(0, 1, size=(n, n)).astype(np.float32),
            "b": rng.uniform(0, 1, size=(n, n)).astype(np.float32),
        }
    raise ValueError(f"unknown workload {workload_id!r}; choose from {list(WORKLOADS)}")
