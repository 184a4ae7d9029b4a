"""
minigrad.optim: optimizers that update parameters from their gradients, as torch.optim.

Read optimizer.py first (param groups, state, zero_grad, state_dict), then sgd.py;
lr_scheduler.py changes the learning rate from epoch to epoch.
"""

from minigrad.optim import lr_scheduler
from minigrad.optim.adagrad import Adagrad
from minigrad.optim.adam import Adam, AdamW
from minigrad.optim.optimizer import Optimizer
from minigrad.optim.rmsprop import RMSprop
from minigrad.optim.sgd import SGD

__all__ = ["Optimizer", "SGD", "Adam", "AdamW", "RMSprop", "Adagrad", "lr_scheduler"]
