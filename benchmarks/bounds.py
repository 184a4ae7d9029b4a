"""
How cheap could a Python autograd be? `python -m benchmarks.bounds`

Issue 7 asks minigrad for at most PyTorch's time per op on 20 elementwise ops of shape (4,),
and for at most 1.3x the NumPy floor on the MLP. This module times, in one process, with their
repeats taking turns, engines that do the same arithmetic (checked) with less and less around it:

- bare closures (op-overhead only): the least an engine in Python can do, micrograd's design.
  Each op stores a backward closure over raw arrays; no Tensor in the backward pass, no checks;
- bare Function idiom: minigrad's design and nothing else. Each op is a Function class whose
  `apply` makes a ctx node, and whose backward is written with Tensor ops (run unrecorded) so
  that it could be differentiated again. No dtype, shape, device or version checks, no
  broadcasting undone, no views, no hooks;
- minigrad and PyTorch, running the benchmark's own steps (benchmarks/torch_code.py), and for
  the MLP the NumPy floor (benchmarks/floor.py).

Everything minigrad adds to the bare Function idiom (PyTorch's type promotion and errors,
broadcasting undone, version counters, views, hooks, create_graph) can only add time, so the
idiom's figure bounds what minigrad can reach without leaving its design.
"""

import heapq
import itertools
import statistics
import timeit

import numpy as np

from benchmarks import floor
from benchmarks.torch_code import load_engine, make_step
from benchmarks.workloads import OP_CHAIN_REPEATS, make_inputs

# ---- bare closures: a node is (inputs, backward closure over arrays) ----


class ClosureValue:
    __slots__ = ("data", "grad", "parents", "backward", "order")

    def __init__(self, data, parents=(), backward=None):
        self.data, self.grad, self.parents, self.backward = data, None, parents, backward
        self.order = next(_order)


_order = itertools.count()


def closure_mul(x, y):
    return ClosureValue(x.data * y.data, (x, y), lambda g: (g * y.data, g * x.data))


def closure_add(x, y):
    return ClosureValue(x.data + y.data, (x, y), lambda g: (g, g))


def closure_sub(x, y):
    return ClosureValue(x.data - y.data, (x, y), lambda g: (g, -g))


def closure_tanh(x):
    result = np.tanh(x.data)
    return ClosureValue(result, (x,), lambda g: (g * (1 - result * result),))


def closure_exp(x):
    result = np.exp(x.data)
    return ClosureValue(result, (x,), lambda g: (g * result,))


def closure_sum(x):
    return ClosureValue(x.data.sum(), (x,), lambda g: (np.broadcast_to(g, x.data.shape),))


def closure_backward(root):
    """Newest value first (a heap on creation order), summing what reaches each value."""
    pending = {root: np.ones((), np.float32)}
    ready = [(-root.order, root)]
    while ready:
        value = heapq.heappop(ready)[1]
        grad = pending.pop(value)
        if value.backward is None:  # a leaf
            value.grad = grad if value.grad is None else value.grad + grad
            continue
        for parent, parent_grad in zip(value.parents, value.backward(grad)):
            if parent in pending:
                pending[parent] = pending[parent] + parent_grad
            else:
                pending[parent] = parent_grad
                heapq.heappush(ready, (-parent.order, parent))


def closure_step(x, y):
    def step():
        x.grad = y.grad = None
        h = x
        for _ in range(OP_CHAIN_REPEATS):
            h = closure_sub(closure_exp(closure_tanh(closure_add(closure_mul(h, y), y))), y)
        loss = closure_sum(h)
        closure_backward(loss)
        return loss.data

    return step


# ---- bare Function idiom: minigrad's shape, none of its checks ----

_recording = [True]  # grad mode: off during the backward pass


class Node:
    """ctx and grad_fn in one, as in minigrad: its Function's backward runs on it."""

    __slots__ = ("edges", "saved", "order", "__dict__")

    def save_for_backward(self, *tensors):
        self.saved = tensors


class Leaf(Node):
    __slots__ = ("variable",)


class BareTensor:
    __slots__ = ("array", "grad_fn", "requires_grad", "grad", "leaf_node")

    def __init__(self, array, requires_grad=False):
        self.array, self.grad_fn, self.requires_grad = array, None, requires_grad
        self.grad = self.leaf_node = None

    def edge(self):
        if self.grad_fn is not None:
            return self.grad_fn
        if self.leaf_node is None:
            self.leaf_node = Leaf()
            self.leaf_node.variable = self
            self.leaf_node.order = -next(_order)  # leaves run last, each in its turn
        return self.leaf_node

    def __mul__(self, other):
        return Mul.apply(self, other)

    def __add__(self, other):
        return Add.apply(self, other)

    def __sub__(self, other):
        return Sub.apply(self, other)

    def __neg__(self):
        return Neg.apply(self)

    def tanh(self):
        return Tanh.apply(self)

    def exp(self):
        return Exp.apply(self)

    def sum(self):
        return Sum.apply(self)

    def t(self):
        return Transpose.apply(self)

    def __matmul__(self, other):
        return Matmul.apply(self, other)

    def add_(self, other, alpha=1):  # in-place updates work on the arrays (the optimizer's)
        self.array += other.array if alpha == 1 else other.array * alpha
        return self

    def mul_(self, factor):
        self.array *= factor
        return self


class Function:
    def __init_subclass__(cls):
        cls.node_class = type(f"{cls.__name__}Backward", (Node,), {"function": cls})

    @classmethod
    def apply(cls, *args):
        ctx = cls.node_class()
        edges = None
        if _recording[0]:
            edges = [a.edge() if a.requires_grad else None for a in args if isinstance(a, BareTensor)]
            if not any(edges):
                edges = None
        ctx.edges = edges
        output = BareTensor(cls.forward(ctx, *args))
        if edges is not None:
            ctx.order = next(_order)
            output.grad_fn, output.requires_grad = ctx, True
        return output


class Mul(Function):
    @staticmethod
    def forward(ctx, x, y):
        ctx.save_for_backward(x, y)
        return x.array * y.array

    @staticmethod
    def backward(ctx, grad):
        x, y = ctx.saved
        return grad * y, grad * x


class Add(Function):
    @staticmethod
    def forward(ctx, x, y):
        return x.array + y.array

    @staticmethod
    def backward(ctx, grad):
        return grad, grad


class Sub(Function):
    @staticmethod
    def forward(ctx, x, y):
        return x.array - y.array

    @staticmethod
    def backward(ctx, grad):
        return grad, -grad


class Neg(Function):
    @staticmethod
    def forward(ctx, x):
        return -x.array


class Tanh(Function):
    @staticmethod
    def forward(ctx, x):
        result = BareTensor(np.tanh(x.array))
        ctx.save_for_backward(result)
        return result.array

    @staticmethod
    def backward(ctx, grad):
        (result,) = ctx.saved
        return (TanhGrad.apply(grad, result),)


class TanhGrad(Function):
    @staticmethod
    def forward(ctx, grad, result):
        return grad.array * (1 - result.array * result.array)


class Exp(Function):
    @staticmethod
    def forward(ctx, x):
        result = BareTensor(np.exp(x.array))
        ctx.save_for_backward(result)
        return result.array

    @staticmethod
    def backward(ctx, grad):
        (result,) = ctx.saved
        return (grad * result,)


class Expand(Function):
    @staticmethod
    def forward(ctx, x, shape):
        return np.broadcast_to(x.array, shape)


class Sum(Function):
    @staticmethod
    def forward(ctx, x):
        ctx.shape = x.array.shape
        return x.array.sum()

    @staticmethod
    def backward(ctx, grad):
        return (Expand.apply(grad, ctx.shape),)


def function_backward(root):
    """minigrad's walk: the newest node first, summing what reaches each node with Tensor ops."""
    _recording[0] = False
    pending = {root.grad_fn: BareTensor(np.ones((), np.float32))}
    ready = [(-root.grad_fn.order, root.grad_fn)]
    while ready:
        node = heapq.heappop(ready)[1]
        grad = pending.pop(node)
        if type(node) is Leaf:
            leaf = node.variable
            leaf.grad = grad if leaf.grad is None else leaf.grad + grad
            continue
        for edge, edge_grad in zip(node.edges, node.function.backward(node, grad)):
            if edge is None:
                continue
            if edge in pending:
                pending[edge] = pending[edge] + edge_grad
            else:
                pending[edge] = edge_grad
                heapq.heappush(ready, (-edge.order, edge))
    _recording[0] = True


def function_step(x, y):
    def step():
        x.grad = y.grad = None
        h = x
        for _ in range(OP_CHAIN_REPEATS):
            h = ((h * y + y).tanh().exp()) - y
        loss = h.sum()
        function_backward(loss)
        return loss.array

    return step


# ---- the MLP's ops in the bare Function idiom ----


class Linear(Function):
    """Y = X @ Wᵀ + b in one node, as minigrad's addmm: dX = G @ W, dW = Gᵀ @ X, db = G summed over rows."""

    @staticmethod
    def forward(ctx, x, weight, bias):
        ctx.save_for_backward(x, weight)
        return x.array @ weight.array.T + bias.array

    @staticmethod
    def backward(ctx, grad):
        x, weight = ctx.saved
        grad_x = grad @ weight if ctx.edges[0] is not None else None  # the MLP's input needs none
        return grad_x, grad.t() @ x, SumRows.apply(grad)


class Matmul(Function):
    @staticmethod
    def forward(ctx, x, y):
        ctx.save_for_backward(x, y)
        return x.array @ y.array


class Transpose(Function):
    @staticmethod
    def forward(ctx, x):
        return x.array.T


class SumRows(Function):
    @staticmethod
    def forward(ctx, x):
        return x.array.sum(axis=0)


class Relu(Function):
    @staticmethod
    def forward(ctx, x):
        result = BareTensor(np.maximum(x.array, 0))
        ctx.save_for_backward(result)
        return result.array

    @staticmethod
    def backward(ctx, grad):
        (result,) = ctx.saved
        return (ReluGrad.apply(grad, result),)


class ReluGrad(Function):
    @staticmethod
    def forward(ctx, grad, result):
        return grad.array * (result.array > 0)


class MseLoss(Function):
    @staticmethod
    def forward(ctx, input, target):
        ctx.save_for_backward(input, target)
        difference = input.array - target.array
        return (difference * difference).mean()

    @staticmethod
    def backward(ctx, grad):
        input, target = ctx.saved
        return MseLossGrad.apply(grad, input, target), None


class MseLossGrad(Function):
    @staticmethod
    def forward(ctx, grad, input, target):
        return grad.array * (2 / input.array.size) * (input.array - target.array)


def function_mlp_step(x, y, weight1, bias1, weight2, bias2):
    x, target = BareTensor(x), BareTensor(y)
    params = [BareTensor(p.copy(), True) for p in (weight1, bias1, weight2, bias2)]
    weight1, bias1, weight2, bias2 = params
    buffers = [None] * len(params)

    def step():
        hidden = Relu.apply(Linear.apply(x, weight1, bias1))
        loss = MseLoss.apply(Linear.apply(hidden, weight2, bias2), target)
        for param in params:
            param.grad = None
        function_backward(loss)
        for i, param in enumerate(params):  # SGD, lr 0.01, momentum 0.9 (PyTorch's rule)
            if buffers[i] is None:
                buffers[i] = BareTensor(param.grad.array.copy())
            else:
                buffers[i].mul_(0.9).add_(param.grad)
            param.add_(buffers[i], alpha=-0.01)
        return float(loss.array)

    return step


# ---- timing ----


def engine_steps(workload_id):
    """name -> step, for each engine compared on the workload; every step returns its loss."""
    inputs = make_inputs(workload_id)
    steps = {}
    if workload_id == "op-overhead":
        steps["bare closures"] = closure_step(ClosureValue(inputs["x"]), ClosureValue(inputs["y"]))
        steps["bare Function idiom"] = function_step(BareTensor(inputs["x"], True), BareTensor(inputs["y"], True))
    else:
        steps["NumPy floor"] = floor.mlp(np, **{k: v.copy() for k, v in inputs.items()})
        steps["bare Function idiom"] = function_mlp_step(**inputs)
    for name in ("minigrad", "torch"):
        steps[name] = make_step(load_engine(name), workload_id, "cpu")
    return steps


def _loss(result):
    return float(result.item() if hasattr(result, "item") else result)


def check_same_results(steps, with_gradients, count=3):
    """After `count` steps from the same inputs, every engine's loss agrees with PyTorch's, and
    on op-overhead (whose loss does not change from step to step) so do the gradients."""
    results = {}
    for name, step in steps.items():
        for _ in range(count):
            loss = _loss(step())
        results[name] = [loss] + (_leaf_gradients(step) if with_gradients else [])
    for name, result in results.items():
        for got, expected in zip(result, results["torch"]):
            np.testing.assert_allclose(got, expected, rtol=1e-4, atol=1e-6, err_msg=name)


def _leaf_gradients(step):
    """The gradients of the leaves an op-overhead step closes over (x and y), as NumPy arrays."""
    leaves = [cell.cell_contents for cell in step.__closure__ if hasattr(cell.cell_contents, "grad")]
    assert len(leaves) == 2, leaves
    return [_as_numpy(leaf.grad) for leaf in leaves]


def _as_numpy(grad):
    if isinstance(grad, np.ndarray):
        return grad
    if isinstance(grad, BareTensor):
        return grad.array
    return grad.detach().numpy()


def measure(workload_id, repeats=15):
    steps = engine_steps(workload_id)
    check_same_results(steps, with_gradients=workload_id == "op-overhead")
    number = max(1, round(0.05 / _seconds_per_step(steps["minigrad"])))  # about 50 ms per repeat
    times = {name: [] for name in steps}
    for _ in range(repeats):  # the engines' repeats take turns, so a slow second slows them all
        for name, step in steps.items():
            times[name].append(timeit.timeit(step, number=number) / number)
    return {name: statistics.median(samples) for name, samples in times.items()}


def _seconds_per_step(step):
    timeit.timeit(step, number=20)  # warm up
    return timeit.timeit(step, number=20) / 20


def main():
    print("| workload | engine | time per step | / PyTorch | / NumPy floor |\n| --- | --- | ---: | ---: | ---: |")
    for workload_id in ("op-overhead", "mlp"):
        medians = measure(workload_id)
        for name, seconds in medians.items():
            versus_floor = f"{seconds / medians['NumPy floor']:.2f}x" if "NumPy floor" in medians else ""
            print(
                f"| {workload_id} | {name} | {seconds * 1e6:.1f} µs | {seconds / medians['torch']:.2f}x | {versus_floor} |"
            )


if __name__ == "__main__":
    main()
