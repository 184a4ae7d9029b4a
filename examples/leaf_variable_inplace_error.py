"""`W -= lr * gradient` on a W that requires grad is an error; on a plain tensor it works (seed 000, "Gradient Descent: Code"; seed 002)."""

import minigrad as torch

x_train = torch.FloatTensor([[1], [2], [3]])
y_train = torch.FloatTensor([[1], [2], [3]])
W = torch.zeros(1, requires_grad=True)

gradient = 2 * torch.mean((W * x_train - y_train) * x_train)
lr = 0.1
print(gradient)

# 에러 (error): W is a leaf that requires grad, so autograd forbids changing it in place.
try:
    W -= lr * gradient
except RuntimeError as error:
    print("RuntimeError:", error)

# 해결 (fix) as in the lecture: a fresh W that does not require grad can be updated in place.
W = torch.tensor([1.0, 2.0, 3.0])  # leaf variable
W -= lr * gradient
print(W)

# The usual fix in a training loop: update under no_grad, where nothing is recorded.
W = torch.zeros(1, requires_grad=True)
with torch.no_grad():
    W -= lr * gradient
print(W)
