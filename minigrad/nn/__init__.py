"""
minigrad.nn: building blocks for models, as torch.nn.

Read module.py first (Module, Parameter), then modules.py (Linear, Sequential, losses),
functional.py (the math they call) and init.py (starting values).
"""

from minigrad.nn import functional, init
from minigrad.nn.module import Module, Parameter
from minigrad.nn.modules import (
    ELU,
    GELU,
    BCELoss,
    BCEWithLogitsLoss,
    CrossEntropyLoss,
    Flatten,
    Identity,
    L1Loss,
    LeakyReLU,
    Linear,
    LogSigmoid,
    LogSoftmax,
    ModuleDict,
    ModuleList,
    MSELoss,
    NLLLoss,
    ReLU,
    Sequential,
    Sigmoid,
    SiLU,
    Softmax,
    Softplus,
    Tanh,
)

__all__ = [
    "Module",
    "Parameter",
    "Linear",
    "Sequential",
    "ModuleList",
    "ModuleDict",
    "Identity",
    "Flatten",
    "ReLU",
    "Sigmoid",
    "Tanh",
    "Softplus",
    "SiLU",
    "ELU",
    "GELU",
    "LeakyReLU",
    "LogSigmoid",
    "Softmax",
    "LogSoftmax",
    "MSELoss",
    "L1Loss",
    "NLLLoss",
    "CrossEntropyLoss",
    "BCELoss",
    "BCEWithLogitsLoss",
    "functional",
    "init",
]
