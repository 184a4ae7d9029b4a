"""
minigrad.nn: building blocks for models, as torch.nn.

Read module.py first (Module, Parameter), then modules.py (Linear, Sequential, losses),
functional.py (the math they call) and init.py (starting values).
"""

from minigrad.nn import functional, init
from minigrad.nn.module import Module, Parameter
from minigrad.nn.modules import (
    ELU,
    Flatten,
    Identity,
    L1Loss,
    LeakyReLU,
    Linear,
    LogSigmoid,
    MSELoss,
    ReLU,
    Sequential,
    Sigmoid,
    SiLU,
    Softplus,
    Tanh,
)

__all__ = [
    "Module",
    "Parameter",
    "Linear",
    "Sequential",
    "Identity",
    "Flatten",
    "ReLU",
    "Sigmoid",
    "Tanh",
    "Softplus",
    "SiLU",
    "ELU",
    "LeakyReLU",
    "LogSigmoid",
    "MSELoss",
    "L1Loss",
    "functional",
    "init",
]
