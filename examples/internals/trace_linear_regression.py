"""Trace the backward pass of the lecture's cost for H(x) = Wx, and check it by hand.

The lecture derives  ∇W = d cost / dW = 2/m · Σ (W·x⁽ⁱ⁾ − y⁽ⁱ⁾) · x⁽ⁱ⁾  (seed 000, "The Math").
`minigrad.autograd.trace()` records each node the backward pass visits, the gradient that
reached it and what it sent on, so we can watch that formula being assembled one factor at
a time: MeanBackward0 gives 1/m, PowBackward0 multiplies by 2·(Wx − y), SubBackward0 passes it
through, MulBackward0 multiplies by x, and the broadcast W (shape (1,)) sums over the m rows.

minigrad only: PyTorch has no trace(). Run:  python examples/internals/trace_linear_regression.py
"""

import minigrad

x_train = minigrad.FloatTensor([[1], [2], [3]])
y_train = minigrad.FloatTensor([[1], [2], [3]])
W = minigrad.tensor([0.5], requires_grad=True)  # not the optimum (W = 1), so the gradient is not 0

hypothesis = x_train * W
cost = minigrad.mean((hypothesis - y_train) ** 2)

with minigrad.autograd.trace() as t:
    cost.backward()
print(t)
print()

m = x_train.shape[0]
by_hand = 2 / m * minigrad.sum((W * x_train - y_train) * x_train)
print("traced gradient reaching W :", t.steps[-1].grad_output.item())
print("W.grad                     :", W.grad.item())
print("lecture: 2/m·Σ(Wx − y)·x   :", by_hand.item())
assert abs(W.grad.item() - by_hand.item()) < 1e-6

# each factor of the formula, read off the trace
mean_step, pow_step, sub_step, mul_step, leaf_step = t.steps
print()
print("MeanBackward0 sends 1/m          :", mean_step.sent[0].grad.flatten().tolist())
print("PowBackward0 times 2·(Wx − y)    :", pow_step.sent[0].grad.flatten().tolist())
print("MulBackward0 times x             :", mul_step.grad_output.mul(x_train).flatten().tolist())
print("then, W being (1,), the engine   :", mul_step.sent[0].summed)
