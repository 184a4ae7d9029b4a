"""The MSE of a line y = w[0]·x + w[1], in NumPy and with tensors (seed 003, "Loss Function: MSE")."""

import numpy as np

import minigrad as torch


def mse_line(x, t, w):
    y = w[0] * x + w[1]  # y = wx + b
    mse = np.mean((y - t) ** 2)
    return mse


# The data of Exercise 1 (seed 004): (0, 0), (1, 1), (1, 2)
x = np.array([0.0, 1.0, 1.0])
t = np.array([0.0, 1.0, 2.0])
for w in ([1.0, 0.0], [1.5, 0.0], [1.5, 0.5]):
    print("w =", w, "numpy mse:", round(float(mse_line(x, t, w)), 6))

# The same loss with tensors, as the lecture's cost = torch.mean((hypothesis - y) ** 2)
x_train = torch.from_numpy(x)
t_train = torch.from_numpy(t)
w = torch.tensor([1.5, 0.0], dtype=torch.float64)
print(torch.mean((w[0] * x_train + w[1] - t_train) ** 2))
