"""Fit f(x) = w·x + b to (0,0), (1,1), (1,2) with optim.SGD, 1000 epochs (seed 004, "Exercise 1")."""

import minigrad as torch
import minigrad.optim as optim

x_train = torch.FloatTensor([[0], [1], [1]])
y_train = torch.FloatTensor([[0], [1], [2]])

w = torch.zeros(1, requires_grad=True)
b = torch.zeros(1, requires_grad=True)

optimizer = optim.SGD([w, b], lr=0.01)

nb_epochs = 1000

for epoch in range(nb_epochs + 1):
    hypothesis = x_train * w + b

    cost = torch.mean((hypothesis - y_train) ** 2)

    optimizer.zero_grad()
    cost.backward()
    optimizer.step()

    if epoch % 100 == 0:
        print(
            "Epoch {:5d}/{:} w:{:.3f} b:{:.3f} cost: {:.3f}".format(epoch, nb_epochs, w.item(), b.item(), cost.item())
        )
