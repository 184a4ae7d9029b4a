"""Newton's method on a 1-D function, with the second derivative from autograd (create_graph=True).

To minimise f, Newton steps to where the tangent of f' crosses zero:  x <- x - f'(x) / f''(x).
autograd gives f'(x) as a tensor that still has a graph, so differentiating it again gives f''(x).
Here f(x) = x^4 - 3x^2 + x, so f'(x) = 4x^3 - 6x + 1 and f''(x) = 12x^2 - 6 (printed alongside).
"""

import minigrad as torch


def f(x):
    return x**4 - 3 * x**2 + x


x = torch.tensor(2.0, requires_grad=True)
for step in range(6):
    y = f(x)
    (dy_dx,) = torch.autograd.grad(y, x, create_graph=True)  # f'(x), itself differentiable
    (d2y_dx2,) = torch.autograd.grad(dy_dx, x)  # f''(x)
    by_hand = 12 * x.item() ** 2 - 6
    print(
        f"step {step}: x = {x.item():.6f}  f(x) = {y.item():.6f}  f'(x) = {dy_dx.item():.6f}  "
        f"f''(x) = {d2y_dx2.item():.6f} (by hand {by_hand:.6f})"
    )
    with torch.no_grad():
        x -= dy_dx / d2y_dx2
print(f"minimum near x = {x.item():.6f}, f'(x) = {4 * x.item() ** 3 - 6 * x.item() + 1:.2e}")
