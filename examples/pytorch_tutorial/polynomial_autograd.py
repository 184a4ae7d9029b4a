"""PyTorch tutorial "Tensors and autograd": fit y = sin(x) with a + b·x + c·x² + d·x³.

Written in `import torch` form, as in the PyTorch beginner tutorials; run it on
minigrad unchanged with `python -m minigrad.run polynomial_autograd.py`.
"""

import math

import torch

dtype = torch.float
device = torch.device("cpu")
torch.manual_seed(1)

# Inputs and targets; they need no gradient.
x = torch.linspace(-math.pi, math.pi, 2000, device=device, dtype=dtype)
y = torch.sin(x)

# Four random weights, y ≈ a + b x + c x^2 + d x^3, each tracked by autograd.
a = torch.randn((), device=device, dtype=dtype, requires_grad=True)
b = torch.randn((), device=device, dtype=dtype, requires_grad=True)
c = torch.randn((), device=device, dtype=dtype, requires_grad=True)
d = torch.randn((), device=device, dtype=dtype, requires_grad=True)

learning_rate = 1e-6
for t in range(2000):
    y_pred = a + b * x + c * x**2 + d * x**3

    # Sum of squared errors; loss.item() is its Python number.
    loss = (y_pred - y).pow(2).sum()
    if t % 100 == 99:
        print(t, loss.item())

    # Fills a.grad, b.grad, c.grad and d.grad.
    loss.backward()

    # The update itself must not be recorded by autograd.
    with torch.no_grad():
        a -= learning_rate * a.grad
        b -= learning_rate * b.grad
        c -= learning_rate * c.grad
        d -= learning_rate * d.grad

        # Gradients accumulate, so clear them before the next backward.
        a.grad = None
        b.grad = None
        c.grad = None
        d.grad = None

print(f"Result: y = {a.item()} + {b.item()} x + {c.item()} x^2 + {d.item()} x^3")
