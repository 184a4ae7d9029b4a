"""optim.SGD only moves tensors whose gradient backward() filled (seed 002, "GD with torch.optim")."""

import minigrad as torch

x_train = torch.FloatTensor([[1], [2], [3]])
y_train = torch.FloatTensor([[1], [2], [3]])
W_model = torch.zeros(1, requires_grad=True)
hypothesis = x_train * W_model
cost = torch.mean((hypothesis - y_train) ** 2)

# optimizer 설정 (학습 가능한 변수와 learning rate를 알아야 함)
W = torch.tensor([1.0, 2.0, 3.0])  # leaf variable, but cost does not depend on it
optimizer = torch.optim.SGD([W], lr=0.15)

optimizer.zero_grad()  # optimizer에 저장된 모든 학습 가능한 변수의 gradient를 0으로 초기화
cost.backward()  # cost function 미분 후 각 변수의 gradient 채우기
optimizer.step()  # 저장된 gradient 값으로 gradient descent 실행
print(W)  # unchanged: W has no gradient
print(W.grad)

# PyTorch는 leaf variable이 없으면 optimizer도 안된다: give it the tensor cost depends on.
optimizer = torch.optim.SGD([W_model], lr=0.15)
optimizer.step()
print(W_model)
