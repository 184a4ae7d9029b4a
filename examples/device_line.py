"""Pick 'cuda' when there is a GPU, else 'cpu', and move a model and its inputs there (seed 004, "GPU")."""

import minigrad as torch
import minigrad.nn as nn

torch.manual_seed(1)

device = torch.device("cuda" if torch.cuda.is_available() else "cpu")

print(device)

# The lecture's commented lines, made concrete with a small model and input:
# net = Model.to(device); inputs = data.to(device)
net = nn.Linear(3, 1).to(device)
inputs = torch.FloatTensor([[73, 80, 75], [93, 88, 93]]).to(device)
outputs = net(inputs)
print(outputs.shape, outputs.device.type == device.type)
print(outputs.detach().cpu())
