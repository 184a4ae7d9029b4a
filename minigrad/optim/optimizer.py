"""
The Optimizer base class: parameter groups, per-parameter state, zero_grad and state_dict.

An optimizer holds `param_groups`, a list of dicts that each carry a list of parameters
("params") and the options for them ("lr", "momentum", ...), and `state`, a dict from
parameter to whatever that optimizer remembers between steps (a momentum buffer, running
averages). Subclasses (sgd.py, adam.py, rmsprop.py, adagrad.py) add only their defaults,
their argument checks and `update(param, grad, group)`, which changes one parameter in
place. Start reading at `Optimizer.__init__`, then `Optimizer.step`, then `SGD.update`.
"""

from collections import defaultdict
from collections.abc import Callable, Iterable
from copy import deepcopy
from itertools import chain
from typing import Any

import minigrad
from minigrad import Tensor
from minigrad._warnings import warn_at_caller
from minigrad.nn.module import reset_grads

ParamsT = Iterable[Tensor] | Iterable[dict[str, Any]]


def typename(obj: Any) -> str:
    """The name PyTorch's error messages use for `obj` ('torch.FloatTensor', 'int')."""
    if isinstance(obj, Tensor):
        return obj.type()
    module = type(obj).__module__
    name = type(obj).__qualname__
    return name if module == "builtins" else f"{module}.{name}"


class _RequiredParameter:
    """Marks an option that each param group must give (no default)."""

    def __repr__(self) -> str:
        return "<required parameter>"


required = _RequiredParameter()


class Optimizer:
    """Base class for all optimizers.

    Args:
        params: an iterable of Tensors, or of dicts that define parameter groups
            (each dict has a "params" entry and may override any default)
        defaults (dict): the options used by groups that don't set them
    """

    def __init__(self, params: ParamsT, defaults: dict[str, Any]) -> None:
        self.defaults = defaults
        if isinstance(params, Tensor):
            raise TypeError(
                "params argument given to the optimizer should be "
                "an iterable of Tensors or dicts, but got " + typename(params)
            )
        self.state: defaultdict[Tensor, dict[str, Any]] = defaultdict(dict)
        self.param_groups: list[dict[str, Any]] = []

        param_groups = list(params)
        if len(param_groups) == 0:
            raise ValueError("optimizer got an empty parameter list")
        if not isinstance(param_groups[0], dict):
            param_groups = [{"params": param_groups}]
        for param_group in param_groups:
            self.add_param_group(param_group)

    def __repr__(self) -> str:
        lines = [self.__class__.__name__ + " ("]
        for i, group in enumerate(self.param_groups):
            lines.append(f"Parameter Group {i}")
            for key in sorted(group):
                if key != "params":
                    lines.append(f"    {key}: {group[key]}")
        lines.append(")")
        return "\n".join(lines)

    def add_param_group(self, param_group: dict[str, Any]) -> None:
        """Add a group of parameters with its own options (missing ones come from defaults)."""
        if not isinstance(param_group, dict):
            raise TypeError(f"param_group must be a dict, but got {type(param_group)}")
        if "params" not in param_group:
            raise ValueError(f"a parameter group needs a 'params' entry, got keys {sorted(map(str, param_group))}")
        params = param_group["params"]
        if isinstance(params, Tensor):
            param_group["params"] = [params]
        elif isinstance(params, set):
            raise TypeError(
                "optimizer parameters need to be organized in ordered collections, but "
                "the ordering of tensors in sets will change between runs. "
                "Please use a list instead."
            )
        else:
            param_group["params"] = list(params)

        for param in param_group["params"]:
            if not isinstance(param, Tensor):
                raise TypeError("optimizer can only optimize Tensors, but one of the params is " + typename(param))
            if not param.is_leaf:
                raise ValueError("can't optimize a non-leaf Tensor")

        for name, default in self.defaults.items():
            if default is required and name not in param_group:
                raise ValueError(f"parameter group didn't specify a value of required optimization parameter {name}")
            param_group.setdefault(name, default)

        # Tensors compare elementwise with ==, so identity (id) is how we spot repeats.
        new_ids = {id(p) for p in param_group["params"]}
        if len(new_ids) < len(param_group["params"]):  # (each step then updates it twice)
            warn_at_caller(
                "optimizer contains a parameter group with duplicate parameters; in future, this will cause "
                "an error; see github.com/pytorch/pytorch/issues/40967 for more information"
            )
        seen_ids = {id(p) for group in self.param_groups for p in group["params"]}
        if not seen_ids.isdisjoint(new_ids):
            raise ValueError("some parameters appear in more than one parameter group")
        self.param_groups.append(param_group)

    def zero_grad(self, set_to_none: bool = True) -> None:
        """Reset the gradients of all optimized parameters (to None by default, as PyTorch)."""
        for group in self.param_groups:
            reset_grads(group["params"], set_to_none)

    def step(self, closure: Callable[[], Any] | None = None) -> Any:
        """Update every parameter that has a gradient; return closure()'s loss if given.

        The update itself is each optimizer's `update`, run without recording a graph.
        """
        loss = None
        if closure is not None:
            with minigrad.enable_grad():
                loss = closure()
        with minigrad.no_grad():
            for group in self.param_groups:
                for param in group["params"]:
                    grad = param.grad
                    if grad is not None:
                        self.update(param, grad, group)
        return loss

    def update(self, param: Tensor, grad: Tensor, group: dict[str, Any]) -> None:
        """Change `param` in place given its gradient and its group's options."""
        raise NotImplementedError

    def explain(self) -> None:
        """Print the update rule each parameter just went through, with its numbers (see explain.py)."""
        from minigrad.optim.explain import describe

        print(describe(self))

    # ---- saving and loading ----

    def state_dict(self) -> dict[str, Any]:
        """The optimizer's state in PyTorch's format.

        {"state": {index: {...}}, "param_groups": [{..options.., "params": [indices]}]};
        parameters are replaced by their position across all groups, so the dict can be
        loaded into an optimizer built the same way over a different model instance.
        """
        index_of: dict[int, int] = {}
        packed_groups = []
        for group in self.param_groups:
            packed = {key: value for key, value in group.items() if key != "params"}
            for param in group["params"]:
                index_of.setdefault(id(param), len(index_of))
            packed["params"] = [index_of[id(param)] for param in group["params"]]
            packed_groups.append(packed)
        packed_state = {
            (index_of[id(key)] if isinstance(key, Tensor) else key): state for key, state in self.state.items()
        }
        return {"state": packed_state, "param_groups": packed_groups}

    def load_state_dict(self, state_dict: dict[str, Any]) -> None:
        """Load options and state saved by `state_dict` (tensors are copied)."""
        if not isinstance(state_dict, dict) or not {"state", "param_groups"} <= state_dict.keys():
            raise ValueError(
                "an optimizer state_dict is a dict with 'state' and 'param_groups' (as returned by "
                f"optimizer.state_dict()), got {type(state_dict).__name__}"
                + (f" with keys {sorted(map(str, state_dict))}" if isinstance(state_dict, dict) else "")
            )
        groups = self.param_groups
        saved_groups = deepcopy(state_dict["param_groups"])
        if len(groups) != len(saved_groups):
            raise ValueError("loaded state dict has a different number of parameter groups")
        if any(len(g["params"]) != len(s["params"]) for g, s in zip(groups, saved_groups)):
            raise ValueError(
                "loaded state dict contains a parameter group that doesn't match the size of optimizer's group"
            )
        param_of_index = dict(
            zip(
                chain.from_iterable(s["params"] for s in saved_groups),
                chain.from_iterable(g["params"] for g in groups),
            )
        )
        state: defaultdict[Tensor, dict[str, Any]] = defaultdict(dict)
        for index, saved in state_dict["state"].items():
            if index in param_of_index:
                param = param_of_index[index]
                state[param] = {key: _copy_state_value(param, key, v) for key, v in saved.items()}
            else:
                state[index] = deepcopy(saved)
        for group, saved in zip(groups, saved_groups):
            saved["params"] = group["params"]
        self.state = state
        self.param_groups = saved_groups


def _copy_state_value(param: Tensor, key: str, value: Any) -> Any:
    """A copy of one saved state entry, moved to the parameter's device (and dtype)."""
    if not isinstance(value, Tensor):
        return deepcopy(value)
    value = value.detach().clone()
    if key == "step":  # step counts keep their own dtype, as in PyTorch
        return value
    if param.is_floating_point():
        return value.to(device=param.device, dtype=param.dtype)
    return value.to(device=param.device)


def check_numbers(**hyperparameters: Any) -> None:
    """TypeError for an option that is not a number (lr="0.1"), before any comparison is tried."""
    for name, value in hyperparameters.items():
        values = value if isinstance(value, tuple) else (value,)
        for v in values:
            if isinstance(v, Tensor) and v.numel() == 1:
                continue
            if isinstance(v, bool) or not isinstance(v, (int, float)):
                raise TypeError(f"{name} must be a number, got {type(v).__name__}")
