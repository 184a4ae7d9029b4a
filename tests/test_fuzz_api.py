"""
Fuzzing the public API with arbitrary and ill-formed arguments: minigrad may refuse them, but only
with the exceptions PyTorch itself uses for bad input.

Allowed: TypeError, ValueError, RuntimeError, IndexError, and NotImplementedError (PyTorch's
type for a kernel that does not exist for a dtype: `"softmax_lastdim_kernel_impl" not
implemented for 'Long'`). Never allowed: AttributeError, KeyError, ZeroDivisionError,
OverflowError, MemoryError, or any exception defined by NumPy or array_api_strict, even where
NumPy's class also derives from an allowed one (numpy.exceptions.AxisError is a ValueError and
an IndexError): a NumPy exception escaping means an op did not check its input and the user
gets NumPy's words, not PyTorch's.

Sizes are drawn small, negative or impossibly huge (2**40 and more), never in between, so that
an unchecked size fails at once in the allocator instead of filling the machine's memory.
Each target is its own test; HYPOTHESIS_PROFILE=ci keeps the whole file to a few seconds.
"""

from __future__ import annotations

import math
import warnings

import numpy as np
import pytest
from hypothesis import Phase, given, settings
from hypothesis import strategies as st

import minigrad
from minigrad import nn, optim

# OverflowError too: PyTorch itself raises it for Python ints too big for C (x.norm(10**20))
ALLOWED = (TypeError, ValueError, RuntimeError, IndexError, NotImplementedError, OverflowError)
no_shrinking = settings(phases=[Phase.explicit, Phase.reuse, Phase.generate])  # keeps failures cheap

# Targets that still let bad input through: each is xfail (not strict) with its reason until
# fixed. Empty now; the file found and fixed, among others, non-Tensor arguments to the
# functional forms, string dims and sizes, and string learning rates.
KNOWN_GAPS: dict[str, str] = {}


def targets(names, gaps=KNOWN_GAPS):
    return [pytest.param(n, marks=pytest.mark.xfail(reason=gaps[n], strict=False)) if n in gaps else n for n in names]


# ---- ill-formed arguments ----

sizes = st.sampled_from([0, 1, 2, 3, -1, -7, 2**40, 2**62, 10**20])
numbers = st.one_of(
    sizes,
    st.sampled_from([0.5, -1.5, math.nan, math.inf, -math.inf, 1e308, True, False]),
)
small_tensors = st.builds(
    lambda shape, dtype, requires_grad: _make_tensor(shape, dtype, requires_grad),
    st.sampled_from([(), (0,), (1,), (3,), (2, 3), (3, 2), (2, 1, 3)]),
    st.sampled_from(["float32", "float64", "int64", "bool"]),
    st.booleans(),
)
leaves = st.one_of(
    st.none(),
    numbers,
    st.text(max_size=3),
    st.just(object()),
    st.just({"a": 1}),
    st.just(np.zeros((2, 2))),
    st.just(np.array(["a"])),
    st.just(np.array([1, "a"], dtype=object)),
    st.sampled_from([slice(None), Ellipsis, minigrad.float32, minigrad.int64, "cpu", "cuda:7", "nope"]),
    small_tensors,
)
arguments = st.recursive(leaves, lambda inner: st.lists(inner, max_size=3) | st.tuples(inner, inner), max_leaves=6)
argument_lists = st.lists(arguments, max_size=4)


def _make_tensor(shape, dtype, requires_grad):
    x = minigrad.zeros(shape, dtype=getattr(minigrad, dtype)) + 1
    if requires_grad and x.dtype.is_floating_point:
        x.requires_grad_()
    return x


def call_and_check(function, *args, **kwargs):
    """Run one call; fail the test on an exception type that bad input must never produce."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # warnings are another test's business (test_numerics.py)
        try:
            function(*args, **kwargs)
        except ALLOWED as error:
            module = type(error).__module__
            assert not module.startswith(("numpy", "array_api_strict")), (
                f"{type(error).__name__} from {module}: {error}"
            )


# ---- targets: factories, functional ops, Tensor methods, nn, optim ----

FACTORIES = [
    "tensor", "as_tensor", "zeros", "ones", "empty", "full", "arange", "linspace", "eye",
    "rand", "randn", "randint", "zeros_like", "ones_like", "rand_like", "randn_like", "full_like",
    "from_numpy", "FloatTensor", "LongTensor", "Tensor", "device",
]  # fmt: skip

FUNCTIONS = [
    "add", "sub", "mul", "div", "pow", "neg", "exp", "log", "sqrt", "abs", "sin", "cos", "tanh",
    "sigmoid", "relu", "clamp", "maximum", "minimum", "where", "matmul", "mm", "bmm", "dot",
    "sum", "mean", "var", "std", "max", "min", "argmax", "argmin", "softmax", "log_softmax",
    "logsumexp", "reshape", "flatten", "transpose", "permute", "squeeze", "unsqueeze", "cat",
    "stack", "split", "chunk", "gather", "index_select", "eq", "lt", "isnan", "allclose",
]  # fmt: skip

METHODS = [
    "__add__", "__radd__", "__sub__", "__mul__", "__truediv__", "__rtruediv__", "__pow__",
    "__rpow__", "__matmul__", "__neg__", "__getitem__", "__setitem__", "__eq__", "__lt__", "__and__",
    "__bool__", "__float__", "__int__", "__index__", "__len__", "__iter__", "__format__",
    "add_", "sub_", "mul_", "div_", "zero_", "fill_", "copy_", "clamp_", "addcmul_",
    "addcdiv_", "backward", "register_hook", "retain_grad", "requires_grad_", "detach", "item",
    "tolist", "numpy", "size", "to", "view", "reshape", "expand", "repeat", "sum", "mean",
    "max", "min", "softmax", "norm", "transpose", "permute", "squeeze", "unsqueeze", "narrow",
    "select", "split", "chunk", "gather", "index_select", "masked_fill", "new_zeros", "new_tensor",
    "type", "float", "long", "T", "mT",
]  # fmt: skip


@pytest.mark.parametrize("name", targets(FACTORIES))
@no_shrinking
@given(args=argument_lists)
def test_factories_refuse_bad_arguments_cleanly(name, args):
    call_and_check(getattr(minigrad, name), *args)


@pytest.mark.parametrize("name", ["zeros", "full", "tensor", "arange", "randn"])
@no_shrinking
@given(args=argument_lists, dtype=leaves, device=leaves, requires_grad=leaves)
def test_factory_keywords_refuse_bad_values_cleanly(name, args, dtype, device, requires_grad):
    call_and_check(getattr(minigrad, name), *args, dtype=dtype, device=device, requires_grad=requires_grad)


@pytest.mark.parametrize("name", FUNCTIONS)
@no_shrinking
@given(args=argument_lists)
def test_functional_ops_refuse_bad_arguments_cleanly(name, args):
    call_and_check(getattr(minigrad, name), *args)


@pytest.mark.parametrize("name", targets(FUNCTIONS))
@no_shrinking
@given(x=small_tensors, args=argument_lists)
def test_functional_ops_on_a_tensor_refuse_bad_arguments_cleanly(name, x, args):
    call_and_check(getattr(minigrad, name), x, *args)


@pytest.mark.parametrize("name", targets(METHODS))
@no_shrinking
@given(x=small_tensors, args=argument_lists)
def test_tensor_methods_refuse_bad_arguments_cleanly(name, x, args):
    if name in ("T", "mT"):
        call_and_check(getattr, x, name)
    else:
        call_and_check(lambda: getattr(x, name)(*args))


NN_CALLS = {
    "Linear": lambda args: nn.Linear(*args),
    "Linear-forward": lambda args: nn.Linear(3, 2)(*args),
    "Sequential": lambda args: nn.Sequential(*args),
    "MSELoss": lambda args: nn.MSELoss()(*args),
    "L1Loss": lambda args: nn.L1Loss()(*args),
    "ReLU": lambda args: nn.ReLU()(*args),
    "Parameter": lambda args: nn.Parameter(*args),
    "functional.mse_loss": lambda args: nn.functional.mse_loss(*args),
    "functional.linear": lambda args: nn.functional.linear(*args),
    "functional.softmax": lambda args: nn.functional.softmax(*args),
    "load_state_dict": lambda args: nn.Linear(3, 2).load_state_dict(*args),
    "state_dict-keys": lambda args: nn.Linear(3, 2).load_state_dict(dict.fromkeys(["weight", "bias"], *args[:1])),
    "to": lambda args: nn.Linear(3, 2).to(*args),
    "train": lambda args: nn.Linear(3, 2).train(*args),
}


@pytest.mark.parametrize("name", targets(NN_CALLS))
@no_shrinking
@given(args=argument_lists)
def test_nn_refuses_bad_arguments_cleanly(name, args):
    call_and_check(NN_CALLS[name], args)


def _params():
    return [nn.Parameter(minigrad.ones(2))]


OPTIM_CALLS = {
    "SGD-params": lambda args: optim.SGD(*args),
    "SGD-options": lambda args: optim.SGD(_params(), *args),
    "Adam-options": lambda args: optim.Adam(_params(), *args),
    "param-groups": lambda args: optim.SGD([{"params": _params(), "lr": args[0] if args else None}]),
    "step-after-bad-grad": lambda args: _step_with_grad(args),
    "load_state_dict": lambda args: optim.SGD(_params(), lr=0.1).load_state_dict(*args),
}


def _step_with_grad(args):
    params = _params()
    optimizer = optim.SGD(params, lr=0.1, momentum=0.9)
    params[0].grad = args[0] if args else None
    optimizer.step()


@pytest.mark.parametrize("name", targets(OPTIM_CALLS))
@no_shrinking
@given(args=argument_lists)
def test_optim_refuses_bad_arguments_cleanly(name, args):
    call_and_check(OPTIM_CALLS[name], args)
