"""The hand-written gradient loop again, renamed data and 20 epochs (seed 002, last listing)."""

import minigrad as torch

# 데이터 (data)
a_train = torch.FloatTensor([[1], [2], [3]])
b_train = torch.FloatTensor([[1], [2], [3]])
# 모델 초기화 (model initialisation)
w = torch.zeros(1)
# lr 설정
lr = 0.1
nb_epochs = 20  # 데이터 학습 횟수 (number of passes over the data)

for epoch in range(nb_epochs + 1):
    # 학습하면서, 1에 수렴하는 w와 줄어드는 cost (w goes to 1, cost goes down)
    # H(x) 계산
    hypothesis = a_train * w
    # cost gradient 계산
    cost = torch.mean((hypothesis - b_train) ** 2)
    gradient = torch.sum((w * a_train - b_train) * a_train)
    print("Epoch {:4d}/{} w: {:.3f}, Cost: {:.6f}".format(epoch, nb_epochs, w.item(), cost.item()))
    # cost gradient로 H(x) 계산
    w -= lr * gradient
