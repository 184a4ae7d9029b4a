"""Gradient descent with a hand-written gradient (seed 000, "Full Code"; seed 002, full code)."""

import minigrad as torch

# 데이터 (data)
x_train = torch.FloatTensor([[1], [2], [3]])
y_train = torch.FloatTensor([[1], [2], [3]])
# 모델 초기화 (model initialisation)
W = torch.zeros(1)
# Learning rate 설정
lr = 0.1

nb_epochs = 10
for epoch in range(nb_epochs + 1):
    # H(x) 계산
    hypothesis = x_train * W

    # cost gradient 계산
    cost = torch.mean((hypothesis - y_train) ** 2)
    gradient = torch.sum((W * x_train - y_train) * x_train)

    print("Epoch {:4d}/{} W: {:.3f}, Cost: {:.6f}".format(epoch, nb_epochs, W.item(), cost.item()))

    # cost gradient로 H(x) 개선
    W -= lr * gradient
