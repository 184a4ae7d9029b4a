"""A Hessian-vector product by double backward, on the lecture's cost with H(x) = Wx + b.

Hv = d/dw (∇f(w) · v): take the gradient with create_graph=True, dot it with v, and take the
gradient of that. It costs two backward passes and never forms the Hessian. For the lecture's
cost(W, b) = mean((W·x + b - y)^2) the Hessian is constant, 2/m·[[Σx², Σx], [Σx, m]], so the
product can be checked by hand.
"""

import minigrad as torch

x_train = torch.FloatTensor([[1], [2], [3]])
y_train = torch.FloatTensor([[1], [2], [3]])
W = torch.zeros(1, requires_grad=True)
b = torch.zeros(1, requires_grad=True)

cost = torch.mean((x_train * W + b - y_train) ** 2)
grad_W, grad_b = torch.autograd.grad(cost, (W, b), create_graph=True)
print("gradient:", grad_W.item(), grad_b.item())

v = (torch.tensor([1.0]), torch.tensor([-2.0]))
grad_dot_v = (grad_W * v[0]).sum() + (grad_b * v[1]).sum()
hv_W, hv_b = torch.autograd.grad(grad_dot_v, (W, b))
print("Hv by double backward:", hv_W.item(), hv_b.item())

m = x_train.shape[0]
sum_x, sum_x2 = x_train.sum().item(), (x_train**2).sum().item()
hessian = [[2 / m * sum_x2, 2 / m * sum_x], [2 / m * sum_x, 2.0]]
v_list = [v[0].item(), v[1].item()]
by_hand = [sum(hessian[i][j] * v_list[j] for j in range(2)) for i in range(2)]
print("Hv by hand:           ", by_hand[0], by_hand[1])
