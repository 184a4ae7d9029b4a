"""The hypothesis H(x) = Wx (+ b) and its MSE cost (seed 000, "Hypothesis", "Cost function: MSE"; seed 002)."""

import minigrad as torch

# Dummy data : Input = Output
x_train = torch.FloatTensor([[1], [2], [3]])
y_train = torch.FloatTensor([[1], [2], [3]])

# Hypothesis (Linear Regression): H(x) = Wx + b
W = torch.zeros(1, requires_grad=True)
b = torch.zeros(1, requires_grad=True)
hypothesis = x_train * W + b
print(hypothesis)

# Simpler Hypothesis Function: H(x) = Wx, no bias
W = torch.zeros(1, requires_grad=True)
# b = torch.zeros(1, requires_grad=True)
hypothesis = x_train * W
print(hypothesis)

# Cost function: MSE
cost = torch.mean((hypothesis - y_train) ** 2)
print(cost)
