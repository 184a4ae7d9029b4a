"""Standardise each feature with mean(dim=0) and std(dim=0) (seed 004, "Tip: Data Preprocessing")."""

import minigrad as torch

# 데이터 (data)
x_train = torch.FloatTensor([[73, 80, 75], [93, 88, 93], [89, 91, 90], [96, 98, 100], [73, 66, 70]])

mu = x_train.mean(dim=0)
sigma = x_train.std(dim=0)
norm_x_train = (x_train - mu) / sigma
print(norm_x_train)
