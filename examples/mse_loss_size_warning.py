"""F.mse_loss warns when target and input shapes differ, as the slide's source shows (seed 004, "MSE Loss")."""

import warnings

import minigrad as torch
import minigrad.nn.functional as F

prediction = torch.FloatTensor([[1], [2], [3]])  # shape (3, 1)
target = torch.FloatTensor([1, 2, 3])  # shape (3,): broadcasts to (3, 3)

with warnings.catch_warnings(record=True) as caught:
    warnings.simplefilter("always")
    cost = F.mse_loss(prediction, target)
print(caught[0].category.__name__ + ":", caught[0].message)
print(cost)  # not 0: every prediction was compared with every target
print(F.mse_loss(prediction, target.unsqueeze(1)))  # matching shapes give 0
