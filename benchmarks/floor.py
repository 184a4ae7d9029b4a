"""
The NumPy floor: each workload written by hand with NumPy (CuPy on cuda), float32, forward
pass and hand-derived gradients, no autograd.

"Floor" means the least work an autograd engine could do on the same graph: every op's
backward is applied one by one, as the chain rule says (no algebraic shortcuts such as
collapsing the MSE gradient into one closed form), and every gradient an engine would
materialise is materialised here too (the ones of a sum's backward, the gradient of every
leaf that requires grad). What an engine adds on top of this is its overhead.
"""

from benchmarks.workloads import OP_CHAIN_REPEATS, make_inputs


class UnavailableError(Exception):
    """This engine cannot run on this device (the harness shows "n/a")."""


def namespace(device):
    """NumPy on cpu, CuPy on cuda; no floor on other devices."""
    if device == "cpu":
        import numpy

        return numpy
    if device == "cuda":
        try:
            import cupy
        except ImportError as error:
            raise UnavailableError("the cuda floor needs CuPy") from error
        return cupy
    raise UnavailableError(f"no NumPy floor on device {device!r}")


def make_step(workload_id, device):
    """One step of a workload as a function that returns the step's loss."""
    xp = namespace(device)
    inputs = {name: xp.asarray(array) for name, array in make_inputs(workload_id).items()}
    makers = {
        "lecture": lecture,
        "op-overhead": op_overhead,
        "mlp": mlp,
        "big-matmul": big_matmul,
    }
    return makers[workload_id](xp, **inputs)


def lecture(xp, x, y):
    weight = xp.zeros((3, 1), dtype=xp.float32)
    bias = xp.zeros(1, dtype=xp.float32)
    lr = 1e-5

    def epoch():
        # forward: hypothesis = x.matmul(W) + b; cost = mean((hypothesis - y) ** 2)
        xw = x @ weight  # (5, 3) @ (3, 1) -> (5, 1)
        hypothesis = xw + bias  # bias (1,) broadcast to (5, 1)
        diff = hypothesis - y
        squared = diff**2
        cost = squared.mean()

        # backward, one op at a time from the cost down
        # d mean(s)/ds = 1/n, spread over every element
        grad_squared = xp.full(squared.shape, 1.0 / squared.size, dtype=xp.float32)
        grad_diff = grad_squared * 2 * diff  # d(d²)/dd = 2d
        grad_hypothesis = grad_diff  # d(h - y)/dh = 1
        grad_bias = grad_hypothesis.sum(axis=0)  # undo the broadcast: (5, 1) -> (1,)
        grad_weight = x.T @ grad_hypothesis  # (3, 5) @ (5, 1) -> (3, 1)

        # SGD step (zero_grad is free here: the gradients above are fresh arrays)
        weight[...] -= lr * grad_weight
        bias[...] -= lr * grad_bias
        return cost

    return epoch


def op_overhead(xp, x, y):
    def step():
        # forward, keeping what each backward needs: h for mul, tanh's and exp's outputs
        saved = []
        h = x
        for _ in range(OP_CHAIN_REPEATS):
            product = h * y
            total = product + y
            t = xp.tanh(total)
            e = xp.exp(t)
            saved.append((h, t, e))
            h = e - y
        loss = h.sum()

        # backward: both x and y require grad; y's gradient accumulates over its 12 uses
        grad_h = xp.ones(h.shape, dtype=xp.float32)  # d sum / dh
        grad_y = None
        for h_in, t, e in reversed(saved):
            grad_e = grad_h  # d(e - y)/de = 1
            grad_y = -grad_h if grad_y is None else grad_y - grad_h  # d(e - y)/dy = -1
            grad_t = grad_e * e  # d e^t/dt = e^t
            grad_total = grad_t * (1 - t * t)  # d tanh(u)/du = 1 - tanh²(u)
            grad_product = grad_total  # d(p + y)/dp = 1
            grad_y = grad_y + grad_total  # d(p + y)/dy = 1
            grad_y = grad_y + grad_product * h_in  # d(h * y)/dy = h
            grad_h = grad_product * y  # d(h * y)/dh = y
        grad_x = grad_h
        del grad_x, grad_y  # an engine would store these in x.grad and y.grad
        return loss

    return step


def mlp(xp, x, y, weight1, bias1, weight2, bias2):
    params = [weight1, bias1, weight2, bias2]
    momentum_buffers = [None] * len(params)
    lr, momentum = 0.01, 0.9

    def step():
        # forward: Linear(784, 256), ReLU, Linear(256, 10), MSE against one-hot targets
        hidden = x @ weight1.T + bias1  # (64, 784) @ (784, 256) -> (64, 256)
        activated = xp.maximum(hidden, 0)
        out = activated @ weight2.T + bias2  # (64, 256) @ (256, 10) -> (64, 10)
        diff = out - y
        squared = diff**2
        loss = squared.mean()

        # backward
        grad_squared = xp.full(squared.shape, 1.0 / squared.size, dtype=xp.float32)
        grad_out = grad_squared * 2 * diff  # d(d²)/dd = 2d, and d(out - y)/dout = 1
        grad_bias2 = grad_out.sum(axis=0)  # (64, 10) -> (10,)
        grad_weight2 = grad_out.T @ activated  # (10, 64) @ (64, 256) -> (10, 256)
        grad_activated = grad_out @ weight2  # (64, 10) @ (10, 256) -> (64, 256)
        grad_hidden = grad_activated * (hidden > 0)  # ReLU passes it where input > 0
        grad_bias1 = grad_hidden.sum(axis=0)  # (64, 256) -> (256,)
        grad_weight1 = grad_hidden.T @ x  # (256, 64) @ (64, 784) -> (256, 784)
        grads = [grad_weight1, grad_bias1, grad_weight2, grad_bias2]

        # SGD with momentum, PyTorch's rule: the buffer starts at the first gradient
        for i, (param, grad) in enumerate(zip(params, grads)):
            if momentum_buffers[i] is None:
                momentum_buffers[i] = grad.copy()
            else:
                momentum_buffers[i] *= momentum
                momentum_buffers[i] += grad
            param -= lr * momentum_buffers[i]
        return loss

    return step


def big_matmul(xp, a, b):
    def step():
        product = a @ b  # (1024, 1024) @ (1024, 1024)
        total = product.sum()
        grad_product = xp.ones(product.shape, dtype=xp.float32)  # d sum / d product
        grad_a = grad_product @ b.T  # d(AB)/dA: G @ Bᵀ
        grad_b = a.T @ grad_product  # d(AB)/dB: Aᵀ @ G
        del grad_a, grad_b  # an engine would store these in a.grad and b.grad
        return total

    return step
