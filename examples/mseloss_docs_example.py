"""The nn.MSELoss example from PyTorch's documentation, shown on the slide (seed 004, "MSELoss")."""

import minigrad as torch
import minigrad.nn as nn

torch.manual_seed(1)

loss = nn.MSELoss()
input = torch.randn(3, 5, requires_grad=True)
target = torch.randn(3, 5)
output = loss(input, target)
output.backward()
print(output)
print(input.grad)

# reduction='none' keeps every element; 'sum' adds them up
print(nn.MSELoss(reduction="sum")(input, target))
print(nn.MSELoss(reduction="none")(input, target).shape)
