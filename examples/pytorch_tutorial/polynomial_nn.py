"""PyTorch tutorial "nn": the polynomial fit as nn.Sequential(nn.Linear(3, 1), nn.Flatten(0, 1))."""

import math

import torch

torch.manual_seed(1)

x = torch.linspace(-math.pi, math.pi, 2000)
y = torch.sin(x)

# The model is linear in (x, x^2, x^3): build that (2000, 3) input by broadcasting
# x.unsqueeze(-1), shape (2000, 1), against p, shape (3,).
p = torch.tensor([1, 2, 3])
xx = x.unsqueeze(-1).pow(p)

# Linear maps (2000, 3) -> (2000, 1); Flatten(0, 1) makes that (2000,) to match y.
model = torch.nn.Sequential(torch.nn.Linear(3, 1), torch.nn.Flatten(0, 1))
print(model)

loss_fn = torch.nn.MSELoss(reduction="sum")

learning_rate = 1e-6
for t in range(2000):
    y_pred = model(xx)

    loss = loss_fn(y_pred, y)
    if t % 100 == 99:
        print(t, loss.item())

    model.zero_grad()
    loss.backward()

    # Each parameter is a Tensor; update it in place without recording a graph.
    with torch.no_grad():
        for param in model.parameters():
            param -= learning_rate * param.grad

# Sequential can be indexed like a list.
linear_layer = model[0]

print(
    f"Result: y = {linear_layer.bias.item()} + {linear_layer.weight[:, 0].item()} x + "
    f"{linear_layer.weight[:, 1].item()} x^2 + {linear_layer.weight[:, 2].item()} x^3"
)
