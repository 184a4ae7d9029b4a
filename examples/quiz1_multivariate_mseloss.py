"""Quiz 1 again with the nn.MSELoss class instead of F.mse_loss (seed 004, "Answer 1", second listing)."""

import minigrad as torch
import minigrad.nn as nn
import minigrad.optim as optim

x_train = torch.FloatTensor([[73, 80, 75], [93, 88, 93], [89, 91, 90], [96, 98, 100], [73, 66, 70]])
y_train = torch.FloatTensor([[152], [185], [180], [196], [142]])

w = torch.zeros((3, 1), requires_grad=True)
b = torch.zeros(1, requires_grad=True)

optimizer = optim.SGD([w, b], lr=1e-5)

loss = nn.MSELoss()

nb_epochs = 1000

for epoch in range(nb_epochs + 1):
    # hypothesis = x_train * w + b
    hypothesis = x_train.matmul(w) + b

    # cost = torch.mean((hypothesis - y_train) ** 2)
    # cost = F.mse_loss(hypothesis, y_train)
    cost = loss(hypothesis, y_train)

    optimizer.zero_grad()
    cost.backward()
    optimizer.step()

    if epoch % 100 == 0:
        print("Epoch {:5d}/{:} cost: {:.3f}".format(epoch, nb_epochs, cost.item()))
        print(w.squeeze())
