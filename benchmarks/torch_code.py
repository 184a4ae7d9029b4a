"""
The workloads as PyTorch code. minigrad runs this very code: `load_engine("minigrad")`
imports minigrad, minigrad.nn and minigrad.optim in place of torch, torch.nn and
torch.optim, exactly what `import minigrad as torch` does for a lecture script.
"""

import importlib
from types import SimpleNamespace

from benchmarks.workloads import OP_CHAIN_REPEATS, make_inputs


def load_engine(name):
    """torch or minigrad, with the submodules the workloads use."""
    torch = importlib.import_module(name)
    return SimpleNamespace(
        torch=torch,
        nn=importlib.import_module(f"{name}.nn"),
        functional=importlib.import_module(f"{name}.nn.functional"),
        optim=importlib.import_module(f"{name}.optim"),
    )


def make_step(engine, workload_id, device):
    """One step of a workload as a function that returns the step's loss tensor."""
    inputs = make_inputs(workload_id)
    makers = {
        "lecture": lecture,
        "op-overhead": op_overhead,
        "mlp": mlp,
        "big-matmul": big_matmul,
    }
    return makers[workload_id](engine, device, **inputs)


def lecture(engine, device, x, y):
    torch, functional, optim = engine.torch, engine.functional, engine.optim
    x_train = torch.tensor(x, device=device)
    y_train = torch.tensor(y, device=device)
    w = torch.zeros((3, 1), requires_grad=True, device=device)
    b = torch.zeros(1, requires_grad=True, device=device)
    optimizer = optim.SGD([w, b], lr=1e-5)

    def epoch():
        hypothesis = x_train.matmul(w) + b
        cost = functional.mse_loss(hypothesis, y_train)
        optimizer.zero_grad()
        cost.backward()
        optimizer.step()
        return cost

    return epoch


def op_overhead(engine, device, x, y):
    torch = engine.torch
    x = torch.tensor(x, requires_grad=True, device=device)
    y = torch.tensor(y, requires_grad=True, device=device)

    def step():
        x.grad = None
        y.grad = None
        h = x
        for _ in range(OP_CHAIN_REPEATS):
            h = h * y
            h = h + y
            h = h.tanh()
            h = h.exp()
            h = h - y
        loss = h.sum()
        loss.backward()
        return loss

    return step


def mlp(engine, device, x, y, weight1, bias1, weight2, bias2):
    torch, nn, functional, optim = engine.torch, engine.nn, engine.functional, engine.optim
    model = nn.Sequential(nn.Linear(784, 256), nn.ReLU(), nn.Linear(256, 10)).to(device)
    with torch.no_grad():  # start from the same weights as every other engine
        for param, value in zip(model.parameters(), [weight1, bias1, weight2, bias2]):
            param.copy_(torch.tensor(value, device=device))
    x = torch.tensor(x, device=device)
    target = torch.tensor(y, device=device)
    optimizer = optim.SGD(model.parameters(), lr=0.01, momentum=0.9)

    def step():
        loss = functional.mse_loss(model(x), target)
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()
        return loss

    return step


def big_matmul(engine, device, a, b):
    torch = engine.torch
    a = torch.tensor(a, requires_grad=True, device=device)
    b = torch.tensor(b, requires_grad=True, device=device)

    def step():
        a.grad = None
        b.grad = None
        total = (a @ b).sum()
        total.backward()
        return total

    return step
