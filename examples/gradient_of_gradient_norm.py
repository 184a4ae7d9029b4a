"""The gradient of a gradient's norm (a "gradient penalty"), by double backward.

penalty(w) = ||∇L(w)||².  Its gradient is 2·H·∇L, where H is the Hessian of L: backward through
the backward. We compute it twice, by calling backward on the penalty (create_graph=True keeps
the first gradient differentiable) and as a Hessian-vector product with v = ∇L, and print both.
"""

import minigrad as torch

x = torch.tensor([[0.5, -1.0, 2.0], [1.5, 0.5, -0.5], [-1.0, 2.0, 1.0], [0.0, 1.0, 1.0]])
y = torch.tensor([1.0, -1.0, 0.5, 0.0])
w = torch.tensor([0.1, -0.2, 0.3], requires_grad=True)

loss = torch.mean((torch.tanh(x @ w) - y) ** 2)
(grad,) = torch.autograd.grad(loss, w, create_graph=True)
penalty = (grad**2).sum()
penalty.backward()
print("loss:", round(loss.item(), 6), " penalty ||grad||^2:", round(penalty.item(), 6))
print("d penalty / dw by backward:", [round(v, 6) for v in w.grad.tolist()])

loss = torch.mean((torch.tanh(x @ w) - y) ** 2)
(grad,) = torch.autograd.grad(loss, w, create_graph=True)
(hessian_times_grad,) = torch.autograd.grad((grad * grad.detach()).sum(), w)
print("2 * H @ grad (Hessian-vector product):", [round(v, 6) for v in (2 * hessian_times_grad).tolist()])
