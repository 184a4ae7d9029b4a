"""The optim.SGD example from PyTorch's documentation, on the slide (seed 004, "optimizer: SGD")."""

import minigrad as torch
import minigrad.nn as nn

torch.manual_seed(1)

model = nn.Linear(3, 1)
loss_fn = nn.MSELoss()
input = torch.FloatTensor([[0.1, 0.2, 0.3], [0.4, 0.5, 0.6]])
target = torch.FloatTensor([[1], [2]])

optimizer = torch.optim.SGD(model.parameters(), lr=0.01, momentum=0.9)
for step in range(5):
    optimizer.zero_grad()
    loss = loss_fn(model(input), target)
    loss.backward()
    optimizer.step()
    print(step, loss.item())
print(model.weight)
