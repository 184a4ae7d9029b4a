"""Tensors: creation, attributes, device, indexing, elementwise and matrix products (seed 003, "Tensor with PyTorch")."""

import numpy as np

import minigrad as torch

torch.manual_seed(1)

# i. 데이터로부터 직접 생성 (from data)
data = [[1, 2], [3, 4]]
x_data = torch.tensor(data)

# ii. Numpy 배열로부터 생성 (from a NumPy array)
np_array = np.array(data)
x_np = torch.from_numpy(np_array)
print(x_np)

# iii. 다른 Tensor로부터 생성 (from another tensor)
x_ones = torch.ones_like(x_data)  # retains the properties of x_data
print(f"Ones Tensor: \n {x_ones} \n")

x_rand = torch.rand_like(x_data, dtype=torch.float)  # overrides the datatype of x_data
print(f"Random Tensor: \n {x_rand} \n")

# Attributes of a Tensor
tensor = torch.rand(3, 4)

print(f"Shape of tensor: {tensor.shape}")
print(f"Datatype of tensor: {tensor.dtype}")
print(f"Device tensor is stored on: {tensor.device}")

# We move our tensor to the GPU if available
if torch.cuda.is_available():
    tensor = tensor.to("cuda")

# Numpy 방식의 인덱싱과 슬라이싱 (NumPy-style indexing and slicing)
tensor = torch.ones(4, 4)
tensor[:, 1] = 0
print(tensor)

# Element-wise Multiplication
# This computes the element-wise product
print(f"tensor.mul(tensor) \n {tensor.mul(tensor)} \n")
# Alternative syntax:
print(f"tensor * tensor \n {tensor * tensor}")

# Matrix Multiplication
print(f"tensor.matmul(tensor.T) \n {tensor.matmul(tensor.T)} \n")
# Alternative syntax:
print(f"tensor @ tensor.T \n {tensor @ tensor.T}")
