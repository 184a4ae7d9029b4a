"""Gradient descent on y = 2x in plain Python, gradient derived by hand (seed 001, "Code 구현")."""

x_data = [1.0, 2.0, 3.0]
y_data = [2.0, 4.0, 6.0]

w = 1.0  # random value로 부여 (a starting guess)


# forward pass
def forward(x):
    return x * w


# loss function 계산식
def loss(x, y):
    y_pred = forward(x)
    return (y_pred - y) * (y_pred - y)


# d(loss)/dw = 2x(xw - y)
def gradient(x, y):
    return 2 * x * (x * w - y)


# Before training
print("Prediction (before training)", 4, forward(4))

# Training loop
for epoch in range(10):
    for x_val, y_val in zip(x_data, y_data):
        # Compute derivative w.r.t to the learned weights
        # Update the weights
        # Compute the loss and print progress
        grad = gradient(x_val, y_val)
        w = w - 0.01 * grad
        print("\tgrad: ", x_val, y_val, round(grad, 2))
        l = loss(x_val, y_val)  # noqa: E741 (the lecture's name)
    print("progress:", epoch, "w=", round(w, 2), "loss=", round(l, 2))

# After training
print("Predicted score (after training)", "4 hours of studying: ", forward(4))
