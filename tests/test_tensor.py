"""
The Tensor itself, compared with PyTorch: factories and dtype inference, dtypes and type
promotion, conversions, shape queries, comparisons, in-place ops (values and autograd through
them), `.data`, and printing. Every expected value comes from running the same code on torch.
"""

from __future__ import annotations

import math
import warnings

import numpy as np
import pytest
import torch
from conftest import assert_matches, dtype_name, to_host

import minigrad

# ---- helpers ----


def torch_repr(t) -> str:
    return repr(t).replace("torch.", "minigrad.")


def same_error(build):
    """Run `build(torch)` and `build(minigrad)`; both must raise the same type with the same words."""
    with pytest.raises(Exception) as expected:  # noqa: PT011 - whatever torch raises
        build(torch)
    with pytest.raises(type(expected.value)) as actual:
        build(minigrad)
    assert str(actual.value) == str(expected.value).replace("torch.", "minigrad.")


# ---- factories and dtype inference ----

DATA = [
    [1, 2, 3],
    [1.0, 2, 3],
    [True, False],
    [True, 2],
    [[1, 2], [3, 4]],
    [[1.5], [2.5]],
    3,
    3.5,
    True,
    [],
    [[], []],
    np.arange(6, dtype=np.float64).reshape(2, 3),
    np.arange(6, dtype=np.int32),
    np.array([True, False]),
    np.float64(2.5),
    np.int32(7),
]


@pytest.mark.parametrize("data", DATA, ids=repr)
def test_tensor_infers_dtype_and_shape_like_torch(data, device):
    assert_matches(minigrad.tensor(data, device=device), torch.tensor(data))


@pytest.mark.parametrize("dtype", ["float32", "float64", "int64", "int32", "bool"])
def test_tensor_with_explicit_dtype(dtype, device):
    data = [[0, 1.5], [-2, 3]]
    assert_matches(
        minigrad.tensor(data, dtype=getattr(minigrad, dtype), device=device),
        torch.tensor(data, dtype=getattr(torch, dtype)),
    )


def test_tensor_copies_its_data():
    array = np.zeros(3)
    x = minigrad.tensor(array)
    array[0] = 5
    assert x.tolist() == [0.0, 0.0, 0.0]


def test_tensor_from_tensor_list_and_tensors():
    parts = [[1.0, 2.0], [3.0, 4.0]]
    m = minigrad.tensor([minigrad.tensor(p) for p in parts])
    assert_matches(m, torch.tensor(parts))


def test_legacy_constructors():
    assert_matches(minigrad.FloatTensor([[1], [2]]), torch.FloatTensor([[1], [2]]))
    assert_matches(minigrad.LongTensor([1, 2]), torch.LongTensor([1, 2]))
    assert_matches(minigrad.Tensor([1, 2]), torch.Tensor([1, 2]))
    assert minigrad.FloatTensor(2, 3).shape == torch.FloatTensor(2, 3).shape
    assert minigrad.Tensor(2, 3).dtype == minigrad.float32


FACTORIES = [
    ("zeros(2, 3)", lambda lib, dev: lib.zeros(2, 3, device=dev)),
    ("zeros((2, 3))", lambda lib, dev: lib.zeros((2, 3), device=dev)),
    ("zeros([2, 3])", lambda lib, dev: lib.zeros([2, 3], device=dev)),
    ("zeros()", lambda lib, dev: lib.zeros((), device=dev)),
    ("zeros(0, 2)", lambda lib, dev: lib.zeros(0, 2, device=dev)),
    ("ones int64", lambda lib, dev: lib.ones(4, dtype=lib.int64, device=dev)),
    ("ones bool", lambda lib, dev: lib.ones(2, 2, dtype=lib.bool, device=dev)),
    ("full float", lambda lib, dev: lib.full((2, 2), 1.5, device=dev)),
    ("full int", lambda lib, dev: lib.full((3,), 7, device=dev)),
    ("full bool", lambda lib, dev: lib.full((3,), True, device=dev)),
    ("full dtype", lambda lib, dev: lib.full((3,), 7, dtype=lib.float64, device=dev)),
    ("empty shape", lambda lib, dev: lib.empty(2, 5, device=dev).zero_()),
    ("arange(5)", lambda lib, dev: lib.arange(5, device=dev)),
    ("arange(2, 9, 3)", lambda lib, dev: lib.arange(2, 9, 3, device=dev)),
    ("arange(5.)", lambda lib, dev: lib.arange(5.0, device=dev)),
    ("arange(0, 1, 0.1)", lambda lib, dev: lib.arange(0, 1, 0.1, device=dev)),
    ("arange(1, -1, -0.25)", lambda lib, dev: lib.arange(1, -1, -0.25, device=dev)),
    ("arange dtype", lambda lib, dev: lib.arange(4, dtype=lib.float64, device=dev)),
    ("linspace", lambda lib, dev: lib.linspace(-1, 1, 7, device=dev)),
    ("linspace(0, 1, 1)", lambda lib, dev: lib.linspace(0, 1, 1, device=dev)),
    ("linspace float64", lambda lib, dev: lib.linspace(0, 10, 11, dtype=lib.float64, device=dev)),
    ("eye(3)", lambda lib, dev: lib.eye(3, device=dev)),
    ("eye(2, 4)", lambda lib, dev: lib.eye(2, 4, device=dev)),
    ("eye int", lambda lib, dev: lib.eye(2, dtype=lib.int64, device=dev)),
]


@pytest.mark.parametrize("build", [f for _, f in FACTORIES], ids=[name for name, _ in FACTORIES])
def test_factories_match_torch(build, device):
    assert_matches(build(minigrad, device), build(torch, "cpu"))


RANDOM = [
    ("rand", lambda lib, dev: lib.rand(3, 4, device=dev)),
    ("randn", lambda lib, dev: lib.randn((2, 5), device=dev)),
    ("randn float64", lambda lib, dev: lib.randn(3, dtype=lib.float64, device=dev)),
    ("randint(10, (3,))", lambda lib, dev: lib.randint(10, (3,), device=dev)),
    ("randint(2, 5, (2, 2))", lambda lib, dev: lib.randint(2, 5, (2, 2), device=dev)),
]


@pytest.mark.parametrize("build", [f for _, f in RANDOM], ids=[name for name, _ in RANDOM])
def test_random_factories_have_torchs_shape_dtype_and_range(build, device):
    m, t = build(minigrad, device), build(torch, "cpu")
    assert tuple(m.shape) == tuple(t.shape)
    assert dtype_name(m.dtype) == dtype_name(t.dtype)
    assert str(m.device) == device


def test_random_ranges_and_seed(device):
    minigrad.manual_seed(3)
    u = to_host(minigrad.rand(1000, device=device))
    assert 0 <= u.min() and u.max() < 1
    k = to_host(minigrad.randint(2, 5, (1000,), device=device))
    assert set(k.tolist()) == {2, 3, 4}
    n = to_host(minigrad.randn(10000, dtype=minigrad.float64, device=device))
    assert abs(n.mean()) < 0.05 and abs(n.std() - 1) < 0.05
    minigrad.manual_seed(3)
    np.testing.assert_array_equal(to_host(minigrad.rand(1000, device=device)), u)


LIKE = [
    ("zeros_like", {}),
    ("zeros_like", {"dtype": "float64"}),
    ("ones_like", {}),
    ("ones_like", {"dtype": "int64"}),
    ("ones_like", {"dtype": "bool"}),
    ("empty_like", {"dtype": "int32"}),
    ("rand_like", {}),
    ("rand_like", {"dtype": "float64"}),
    ("randn_like", {}),
]


@pytest.mark.parametrize("source_dtype", ["float32", "int64", "float64"])
@pytest.mark.parametrize(("name", "kwargs"), LIKE, ids=[f"{n}-{kw}" for n, kw in LIKE])
def test_like_factories_keep_shape_and_dtype_unless_overridden(name, kwargs, source_dtype, device):
    m_source = minigrad.zeros(2, 3, dtype=getattr(minigrad, source_dtype), device=device)
    t_source = torch.zeros(2, 3, dtype=getattr(torch, source_dtype))
    m_kwargs = {k: getattr(minigrad, v) for k, v in kwargs.items()}
    t_kwargs = {k: getattr(torch, v) for k, v in kwargs.items()}
    try:
        t = getattr(torch, name)(t_source, **t_kwargs)
    except RuntimeError as error:  # rand_like of an int tensor: same error here
        with pytest.raises(RuntimeError, match=str(error)[:20]):
            getattr(minigrad, name)(m_source, **m_kwargs)
        return
    m = getattr(minigrad, name)(m_source, **m_kwargs)
    assert tuple(m.shape) == tuple(t.shape) and dtype_name(m.dtype) == dtype_name(t.dtype)
    assert m.device == m_source.device
    if name in ("zeros_like", "ones_like"):
        assert_matches(m, t)


def test_full_like_and_like_requires_grad(device):
    m_source, t_source = minigrad.zeros(2, device=device), torch.zeros(2)
    assert_matches(minigrad.full_like(m_source, 7), torch.full_like(t_source, 7))
    assert_matches(
        minigrad.full_like(m_source, 7, dtype=minigrad.int64), torch.full_like(t_source, 7, dtype=torch.int64)
    )
    x = minigrad.ones_like(m_source, requires_grad=True)
    assert x.requires_grad and x.is_leaf


def test_factories_with_requires_grad(device):
    for x in [
        minigrad.zeros(2, requires_grad=True, device=device),
        minigrad.tensor([1.0], requires_grad=True, device=device),
        minigrad.randn(2, requires_grad=True, device=device),
        minigrad.full((2,), 3.0, requires_grad=True, device=device),
    ]:
        assert x.requires_grad and x.is_leaf and x.grad is None and x.grad_fn is None


# ---- from_numpy ----


def test_from_numpy_shares_memory_both_ways():
    array = np.arange(6, dtype=np.float64).reshape(2, 3)
    x = minigrad.from_numpy(array)
    t = torch.from_numpy(array.copy())
    assert_matches(x, t)
    array[0, 0] = 100.0  # numpy -> tensor
    assert x[0, 0].item() == 100.0
    x.add_(1)  # tensor -> numpy
    t.add_(1)
    assert array[0, 0] == 101.0 and array[1, 2] == 6.0
    x[1, 1] = -1.0
    assert array[1, 1] == -1.0
    assert np.shares_memory(x.numpy(), array)


@pytest.mark.parametrize("np_dtype", ["float32", "float64", "int64", "int32", "bool", "uint8"])
def test_from_numpy_keeps_dtype(np_dtype):
    array = np.ones(3, dtype=np_dtype)
    assert_matches(minigrad.from_numpy(array), torch.from_numpy(array))


def test_numpy_shares_memory_on_cpu():
    x = minigrad.zeros(3)
    x.numpy()[1] = 5.0
    assert x.tolist() == [0.0, 5.0, 0.0]


# ---- dtypes: names, aliases, properties ----


@pytest.mark.parametrize(
    "name", ["float32", "float", "float64", "double", "int64", "long", "int32", "int", "bool", "float16", "half"]
)
def test_dtype_names_and_aliases(name):
    m, t = getattr(minigrad, name), getattr(torch, name)
    assert repr(m) == torch_repr(t)
    assert m.is_floating_point == t.is_floating_point
    assert m.itemsize == t.itemsize
    assert minigrad.zeros(1, dtype=m).element_size() == torch.zeros(1, dtype=t).element_size()


def test_dtype_aliases_are_the_same_objects():
    assert minigrad.float is minigrad.float32 and minigrad.double is minigrad.float64
    assert minigrad.long is minigrad.int64 and minigrad.int is minigrad.int32
    assert minigrad.get_default_dtype() is minigrad.float32


@pytest.mark.parametrize("spec", [float, int, bool])
def test_dtype_accepts_python_types(spec):
    assert dtype_name(minigrad.zeros(2, dtype=spec).dtype) == dtype_name(torch.zeros(2, dtype=spec).dtype)
    assert dtype_name(minigrad.ones(2).to(spec).dtype) == dtype_name(torch.ones(2).to(spec).dtype)


@pytest.mark.parametrize("spec", ["float64", np.float64, np.dtype("int32"), "torch.int64"])
def test_dtype_also_accepts_names_and_numpy_dtypes(spec):
    expected = {"float64": "float64", np.float64: "float64", "torch.int64": "int64"}.get(spec, "int32")
    assert dtype_name(minigrad.zeros(2, dtype=spec).dtype) == expected


@pytest.mark.parametrize("dtype", ["float32", "float64", "int64", "int32", "bool"])
def test_conversion_methods(dtype, device):
    data = [[0.0, 1.7], [-2.5, 3.0]]
    m, t = minigrad.tensor(data, device=device), torch.tensor(data)
    assert_matches(m.to(getattr(minigrad, dtype)), t.to(getattr(torch, dtype)))
    method = {"float32": "float", "float64": "double", "int64": "long", "int32": "int", "bool": "bool"}[dtype]
    assert_matches(getattr(m, method)(), getattr(t, method)())
    assert m.to(m.dtype) is m


# ---- type promotion ----

PROMOTION_DTYPES = ["bool", "uint8", "int8", "int16", "int32", "int64", "float16", "float32", "float64"]


def _operand(lib, kind, dtype, device):
    """A 1-d tensor, a 0-d tensor, or a Python scalar."""
    if kind == "scalar":
        return {"bool": True, "int": 2, "float": 2.5}[dtype]
    shape = (2,) if kind == "tensor" else ()
    if lib is minigrad:
        return minigrad.ones(shape, dtype=getattr(minigrad, dtype), device=device)
    return torch.ones(shape, dtype=getattr(torch, dtype))


OPERANDS = (
    [("tensor", d) for d in PROMOTION_DTYPES]
    + [("0-d", d) for d in PROMOTION_DTYPES]
    + [("scalar", s) for s in ["bool", "int", "float"]]
)
PAIRS = [(a, b) for a in OPERANDS for b in OPERANDS if not (a[0] == b[0] == "scalar")]


@pytest.mark.parametrize(("left", "right"), PAIRS, ids=[f"{a[0]}-{a[1]}*{b[0]}-{b[1]}" for a, b in PAIRS])
def test_type_promotion_matches_torch_result_type(left, right):
    m_operands = [_operand(minigrad, *o, "cpu") for o in (left, right)]
    t_operands = [_operand(torch, *o, "cpu") for o in (left, right)]
    expected = torch.result_type(*t_operands)
    assert dtype_name(minigrad.result_type(*m_operands)) == dtype_name(expected)
    assert dtype_name((m_operands[0] * m_operands[1]).dtype) == dtype_name((t_operands[0] * t_operands[1]).dtype)
    assert dtype_name((m_operands[0] + m_operands[1]).dtype) == dtype_name((t_operands[0] + t_operands[1]).dtype)


@pytest.mark.parametrize("a", PROMOTION_DTYPES)
@pytest.mark.parametrize("b", PROMOTION_DTYPES)
def test_promote_types_matches_torch(a, b):
    expected = torch.promote_types(getattr(torch, a), getattr(torch, b))
    assert dtype_name(minigrad.promote_types(getattr(minigrad, a), getattr(minigrad, b))) == dtype_name(expected)


@pytest.mark.parametrize(
    "expression",
    [
        lambda lib, dev: lib.tensor([1, 2], device=dev) * 0.5,  # int tensor * Python float is float32
        lambda lib, dev: lib.tensor([1, 2], device=dev) / 2,  # true division of ints gives floats
        lambda lib, dev: lib.tensor([1, 2], device=dev) / lib.tensor([2, 4], device=dev),
        lambda lib, dev: 1 / lib.tensor([1, 2], device=dev),
        lambda lib, dev: lib.tensor([1, 2], device=dev) + True,
        lambda lib, dev: lib.tensor([True, False], device=dev) + 1,
        lambda lib, dev: lib.tensor([True, False], device=dev) * 1.5,
        lambda lib, dev: lib.tensor([1.0, 2.0], dtype=lib.float64, device=dev) * lib.tensor(3.0, device=dev),
        lambda lib, dev: lib.tensor([1, 2], dtype=lib.int32, device=dev) + lib.tensor(3, device=dev),
        lambda lib, dev: (
            lib.tensor([1, 2], dtype=lib.int32, device=dev) + lib.tensor(3.0, dtype=lib.float64, device=dev)
        ),
        lambda lib, dev: lib.tensor([1, 2], device=dev) - 7,
        lambda lib, dev: 2 ** lib.tensor([1, 2], device=dev),
        lambda lib, dev: lib.tensor([1, 2], device=dev) ** 2,
        lambda lib, dev: lib.tensor([1, 2], device=dev) ** 0.5,
        lambda lib, dev: lib.tensor([5, -7], device=dev) // 2,
        lambda lib, dev: lib.tensor([5, -7], device=dev) % 3,
        lambda lib, dev: lib.tensor([5.5, -7.0], device=dev) % 3,
        lambda lib, dev: lib.tensor([1, 2], device=dev).exp(),  # float ops on ints give float32
        lambda lib, dev: lib.tensor([1, 2], device=dev).sum(),
        lambda lib, dev: lib.tensor([True, True], device=dev).sum(),
    ],
)
def test_promotion_in_expressions_values_and_dtypes(expression, device):
    assert_matches(expression(minigrad, device), expression(torch, "cpu"))


# ---- requires_grad ----


@pytest.mark.parametrize("dtype", ["int64", "int32", "bool"])
def test_only_floating_tensors_may_require_grad(dtype):
    same_error(lambda lib: lib.tensor([1, 2], dtype=getattr(lib, dtype), requires_grad=True))
    same_error(lambda lib: lib.zeros(2, dtype=getattr(lib, dtype), requires_grad=True))
    same_error(lambda lib: lib.ones(2, dtype=getattr(lib, dtype)).requires_grad_())
    same_error(lambda lib: setattr(lib.ones(2, dtype=getattr(lib, dtype)), "requires_grad", True))


@pytest.mark.parametrize("dtype", ["float32", "float64", "float16"])
def test_floating_tensors_may_require_grad(dtype):
    x = minigrad.ones(2, dtype=getattr(minigrad, dtype)).requires_grad_()
    assert x.requires_grad and x.is_leaf


def test_results_of_int_ops_do_not_require_grad():
    x = minigrad.tensor([1.5, 2.5], requires_grad=True)
    assert not (x > 2).requires_grad and (x > 2).grad_fn is None
    assert not x.argmax().requires_grad
    t = torch.tensor([1.5, 2.5], requires_grad=True)
    assert x.long().requires_grad == t.long().requires_grad


def test_requires_grad_of_non_leaf_cannot_be_switched_off():
    same_error(lambda lib: setattr(lib.ones(2, requires_grad=True) * 2, "requires_grad", False))


# ---- item, tolist, numpy ----


@pytest.mark.parametrize("data", [3.5, [2.0], [[7]], True, -4, [[[1.25]]]], ids=repr)
def test_item(data, device):
    m, t = minigrad.tensor(data, device=device).item(), torch.tensor(data).item()
    assert m == t and type(m) is type(t)


def test_item_of_many_elements_is_an_error():
    same_error(lambda lib: lib.tensor([1.0, 2.0]).item())


@pytest.mark.parametrize("data", [[[1.5, 2.0], [3.0, 4.0]], [1, 2, 3], [True, False], 2.5, 7, [[]], []], ids=repr)
def test_tolist(data, device):
    m, t = minigrad.tensor(data, device=device).tolist(), torch.tensor(data).tolist()
    assert m == t
    assert [type(v) for v in np.ravel(m).tolist()] == [type(v) for v in np.ravel(t).tolist()]


def test_float32_item_and_tolist_are_python_floats_of_the_float32_value():
    m, t = minigrad.tensor([0.1, 1 / 3]), torch.tensor([0.1, 1 / 3])
    assert m.tolist() == t.tolist()
    assert m[1].item() == t[1].item()
    assert float(m[0]) == float(t[0]) and int(minigrad.tensor(3.9)) == int(torch.tensor(3.9))


def test_numpy():
    m, t = minigrad.tensor([[1.0, 2.0]]), torch.tensor([[1.0, 2.0]])
    array = m.numpy()
    assert isinstance(array, np.ndarray) and array.dtype == t.numpy().dtype
    np.testing.assert_array_equal(array, t.numpy())
    assert minigrad.tensor([1, 2]).numpy().dtype == np.int64


def test_numpy_of_tensor_that_requires_grad_is_an_error():
    same_error(lambda lib: lib.ones(2, requires_grad=True).numpy())
    assert minigrad.ones(2, requires_grad=True).detach().numpy().tolist() == [1.0, 1.0]


def test_numpy_of_device_tensor_asks_for_cpu_first():
    x = minigrad.ones(2, device="strict")
    with pytest.raises(TypeError, match=r"Use Tensor.cpu\(\) to copy the tensor to host memory first"):
        x.numpy()
    assert x.cpu().numpy().tolist() == [1.0, 1.0]


# ---- shape, size, dim, numel, T, mT ----

SHAPES = [(), (0,), (3,), (2, 3), (2, 1, 4), (2, 0, 3), (1, 2, 3, 4)]


@pytest.mark.parametrize("shape", SHAPES, ids=str)
def test_shape_queries(shape, device):
    m, t = minigrad.zeros(shape, device=device), torch.zeros(shape)
    assert m.shape == t.shape and m.size() == t.size()
    assert isinstance(m.shape, tuple) and repr(m.shape) == torch_repr(t.shape)
    assert m.dim() == t.dim() == m.ndim
    assert m.numel() == t.numel() and minigrad.numel(m) == t.numel()
    for d in range(-len(shape), len(shape)):
        assert m.size(d) == t.size(d) and m.shape[d] == t.shape[d]
    if shape:
        assert len(m) == len(t)


def test_size_out_of_range():
    same_error(lambda lib: lib.zeros(2, 3).size(2))
    same_error(lambda lib: lib.zeros(2, 3).size(-3))


@pytest.mark.parametrize("shape", [(3,), (2, 3), (2, 3, 4), ()], ids=str)
def test_T(shape, device):
    data = np.arange(int(np.prod(shape)), dtype=np.float32).reshape(shape)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # torch deprecates .T on non-matrices; the result is still defined
        assert_matches(minigrad.tensor(data, device=device).T, torch.tensor(data).T)


@pytest.mark.parametrize("shape", [(2, 3), (4, 2, 3), (2, 1, 2, 3)], ids=str)
def test_mT(shape, device):
    data = np.arange(int(np.prod(shape)), dtype=np.float32).reshape(shape)
    assert_matches(minigrad.tensor(data, device=device).mT, torch.tensor(data).mT)


def test_mT_of_vector_is_an_error():
    same_error(lambda lib: lib.tensor([1.0, 2.0]).mT)


def test_T_and_mT_gradients(device):
    data = np.arange(24, dtype=np.float64).reshape(2, 3, 4)
    weight = np.linspace(-1, 1, 24).reshape(4, 3, 2)
    m = minigrad.tensor(data, requires_grad=True, device=device)
    t = torch.tensor(data, requires_grad=True)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        (m.T * minigrad.tensor(weight, device=device)).sum().backward()
        (t.T * torch.tensor(weight)).sum().backward()
    assert_matches(m.grad, t.grad)
    m.grad = None
    t.grad = None
    (m.mT * minigrad.tensor(weight.reshape(2, 4, 3), device=device)).sum().backward()
    (t.mT * torch.tensor(weight.reshape(2, 4, 3))).sum().backward()
    assert_matches(m.grad, t.grad)


# ---- comparisons ----

COMPARISONS = [
    lambda a, b: a == b,
    lambda a, b: a != b,
    lambda a, b: a < b,
    lambda a, b: a <= b,
    lambda a, b: a > b,
    lambda a, b: a >= b,
]


@pytest.mark.parametrize("compare", COMPARISONS, ids=["eq", "ne", "lt", "le", "gt", "ge"])
@pytest.mark.parametrize(
    "right",
    [[[1.0, 5.0, 3.0]], 2, 2.5, True, "0-d", "int"],
    ids=["broadcast", "int", "float", "bool", "0-d", "int-tensor"],
)
def test_comparisons_return_bool_tensors(compare, right, device):
    left_data = [[1.0, 2.0, 3.0], [4.0, 2.0, -1.0]]
    m_left = minigrad.tensor(left_data, requires_grad=True, device=device)
    t_left = torch.tensor(left_data, requires_grad=True)
    if right == "0-d":
        m_right, t_right = minigrad.tensor(2.0, device=device), torch.tensor(2.0)
    elif right == "int":
        m_right, t_right = minigrad.tensor([1, 2, 3], device=device), torch.tensor([1, 2, 3])
    elif isinstance(right, list):
        m_right, t_right = minigrad.tensor(right, device=device), torch.tensor(right)
    else:
        m_right, t_right = right, right
    m, t = compare(m_left, m_right), compare(t_left, t_right)
    assert_matches(m, t)
    assert m.dtype is minigrad.bool and not m.requires_grad
    reflected_m, reflected_t = compare(m_right, m_left), compare(t_right, t_left)
    assert_matches(reflected_m, reflected_t)


def test_comparison_with_none_and_bool_of_tensor():
    x = minigrad.tensor([1.0])
    assert (x == None) is False and (x != None) is True  # noqa: E711 - as torch
    assert bool(minigrad.tensor([2.0]) > 1) is True
    same_error(lambda lib: bool(lib.tensor([1.0, 2.0]) > 0))


# A NumPy scalar is a number (x.max() of a float32 array is np.float32), and a number may come first
# where PyTorch allows it
NUMBER_OPERANDS = [
    ("x * np.float32", lambda lib: lib.tensor([1.5, -2.0]) * np.float32(0.1)),
    ("np.float32 * x", lambda lib: np.float32(0.1) * lib.tensor([1.5, -2.0])),
    ("x + np.int64", lambda lib: lib.tensor([1, 2]) + np.int64(3)),
    ("x / np.float64", lambda lib: lib.tensor([1.0, 3.0]) / np.float64(3.0)),
    ("x ** np.int32", lambda lib: lib.tensor([1.5, -2.0]) ** np.int32(2)),
    ("x > np.float32", lambda lib: lib.tensor([1.5, -2.0]) > np.float32(0)),
    ("x * np.bool_", lambda lib: lib.tensor([1.5, -2.0]) * np.bool_(True)),
    ("add(x, np.float32)", lambda lib: lib.add(lib.tensor([1.5, -2.0]), np.float32(0.25))),
    ("x.mul(np.float32)", lambda lib: lib.tensor([1.5, -2.0]).mul(np.float32(3))),
    ("remainder(7, x)", lambda lib: lib.remainder(7, lib.tensor([2, -3]))),
    ("floor_divide(7.5, x)", lambda lib: lib.floor_divide(7.5, lib.tensor([2, -3]))),
    ("bitwise_and(6, x)", lambda lib: lib.bitwise_and(6, lib.tensor([3, 5]))),
    ("multiply(2, x)", lambda lib: lib.multiply(2, lib.tensor([1.5, -2.0]))),
    ("true_divide(1, x)", lambda lib: lib.true_divide(1, lib.tensor([2, 4]))),
    ("pow(2, x)", lambda lib: lib.pow(2, lib.tensor([1.5, -2.0]))),
    ("x.copy_(2.5)", lambda lib: lib.ones(2).copy_(2.5)),
    ("int x.copy_(-2.5)", lambda lib: lib.ones(2, dtype=lib.long).copy_(-2.5)),
    ("x.copy_(np.float32)", lambda lib: lib.ones(2).copy_(np.float32(0.1))),
    ("clamp(x, np.float32)", lambda lib: lib.tensor([1.5, -2.0]).clamp(np.float32(0))),
    ("x.clamp_max(np.float64)", lambda lib: lib.tensor([1.5, -2.0]).clamp_max(np.float64(0.7))),
    ("clamp(x, 0-d tensor, number)", lambda lib: lib.tensor([1.5, -2.0]).clamp(lib.tensor(0.0), 1.0)),
    ("x.sum(np.int64)", lambda lib: lib.ones(2, 3).sum(np.int64(1))),
    ("x.amax(np.int64)", lambda lib: lib.tensor([[1.0, 3.0], [2.0, 0.5]]).amax(np.int64(0))),
    ("arange(np.int64)", lambda lib: lib.arange(np.int64(3))),
    ("arange(np.float32, 3)", lambda lib: lib.arange(np.float32(0.5), 3)),
    ("linspace(np.float32, 1, 3)", lambda lib: lib.linspace(np.float32(0), 1, 3)),
]


# NumPy integers (len(array) is an int, array.shape[0] and array.argmax() are not) as dims, sizes and indices
_I = np.int64
NUMPY_INTEGERS = [
    ("reshape", lambda lib, t: t.reshape(_I(4), _I(6))),
    ("view", lambda lib, t: t.view((_I(6), _I(4)))),
    ("index", lambda lib, t: t[_I(1), _I(2)]),
    ("slice", lambda lib, t: t[_I(0) : _I(1)]),
    ("transpose", lambda lib, t: t.transpose(_I(0), _I(2))),
    ("permute", lambda lib, t: t.permute(_I(2), _I(0), _I(1))),
    ("squeeze", lambda lib, t: t[:1].squeeze(_I(0))),
    ("unsqueeze", lambda lib, t: t.unsqueeze(_I(0))),
    ("mean", lambda lib, t: t.mean(_I(1))),
    ("max", lambda lib, t: t.max(_I(1))[0]),
    ("softmax", lambda lib, t: t.softmax(_I(1))),
    ("cat", lambda lib, t: lib.cat([t, t], _I(0))),
    ("narrow", lambda lib, t: t.narrow(_I(2), _I(1), _I(2))),
    ("expand", lambda lib, t: t[:, :1].expand(_I(2), _I(5), _I(4))),
    ("zeros", lambda lib, t: lib.zeros(_I(2), _I(3))),
    ("eye", lambda lib, t: lib.eye(_I(3))),
    ("topk", lambda lib, t: t.topk(_I(2))[0]),
    ("gather", lambda lib, t: t.gather(_I(2), lib.zeros(2, 3, 1, dtype=lib.long))),
]


@pytest.mark.parametrize("call", [f for _, f in NUMPY_INTEGERS], ids=[n for n, _ in NUMPY_INTEGERS])
def test_numpy_integers_are_ints_as_in_pytorch(call):
    assert_matches(
        call(minigrad, minigrad.arange(24.0).reshape(2, 3, 4)), call(torch, torch.arange(24.0).reshape(2, 3, 4))
    )


@pytest.mark.parametrize("call", [f for _, f in NUMBER_OPERANDS], ids=[n for n, _ in NUMBER_OPERANDS])
def test_numbers_and_numpy_scalars_are_operands_as_in_pytorch(call):
    assert_matches(call(minigrad), call(torch), atol=0, rtol=0)


def test_a_tensor_equals_no_string_and_a_numpy_array_is_no_operand():
    """x == "a" is False (Python's answer once the tensor declines), as in PyTorch. x + array: PyTorch
    lets NumPy compute it and loses the graph; minigrad says to make a tensor first."""
    x = minigrad.ones(2)
    assert (x == "a") is False and (x != "a") is True
    with pytest.raises(TypeError, match="make it a tensor first"):
        x + np.ones(2)
    with pytest.raises(TypeError, match="make it a tensor first"):
        np.ones(2) - x


def test_comparison_shape_mismatch():
    same_error(lambda lib: lib.ones(2, 3) < lib.ones(4, 3))


# ---- in-place ops ----

IN_PLACE = [
    ("add_", lambda x, o: x.add_(o)),
    ("add_ alpha", lambda x, o: x.add_(o, alpha=-0.5)),
    ("add_ scalar", lambda x, o: x.add_(2.0)),
    ("sub_", lambda x, o: x.sub_(o)),
    ("sub_ alpha", lambda x, o: x.sub_(o, alpha=3)),
    ("mul_", lambda x, o: x.mul_(o)),
    ("mul_ scalar", lambda x, o: x.mul_(-3)),
    ("div_", lambda x, o: x.div_(o)),
    ("div_ scalar", lambda x, o: x.div_(4)),
    ("zero_", lambda x, o: x.zero_()),
    ("fill_", lambda x, o: x.fill_(1.5)),
    ("fill_ 0-d tensor", lambda x, o: x.fill_(o[0, 1])),
    ("copy_", lambda x, o: x.copy_(o)),
    ("clamp_", lambda x, o: x.clamp_(-0.5, 0.5)),
    ("clamp_ min", lambda x, o: x.clamp_(min=0.0)),
    ("clamp_ max", lambda x, o: x.clamp_(max=0.1)),
    ("+=", lambda x, o: x.__iadd__(o)),
    ("-=", lambda x, o: x.__isub__(o)),
    ("*=", lambda x, o: x.__imul__(o)),
    ("/=", lambda x, o: x.__itruediv__(o)),
    ("setitem int", lambda x, o: x.__setitem__(0, 9.0)),
    ("setitem slice", lambda x, o: x.__setitem__((slice(None), slice(1, 3)), 0.0)),
    ("setitem row tensor", lambda x, o: x.__setitem__(1, o[0])),
    ("setitem mask", lambda x, o: x.__setitem__(x > 0, 0.0)),
    ("setitem index list", lambda x, o: x.__setitem__([0, 1], o)),
    ("setitem ellipsis", lambda x, o: x.__setitem__(..., o)),
]
# alpha scales the other operand without taking part in type promotion: bools stay bools, ints ints
ALPHA = [
    ("bool add alpha 2", lambda lib: lib.add(lib.tensor([True, False]), lib.tensor([False, False]), alpha=2)),
    ("bool add alpha 0", lambda lib: lib.add(lib.tensor([True, False]), lib.tensor([True, True]), alpha=0)),
    ("bool add_ alpha 0", lambda lib: lib.tensor([True, False]).add_(lib.tensor([True, True]), alpha=0)),
    ("bool add alpha True", lambda lib: lib.add(lib.tensor([True, False]), lib.tensor([False, True]), alpha=True)),
    ("int add_ alpha 2", lambda lib: lib.tensor([1, 2]).add_(lib.tensor([3, 4]), alpha=2)),
    ("int sub_ alpha -3", lambda lib: lib.tensor([1, 2]).sub_(lib.tensor([3, 4]), alpha=-3)),
    ("int sub number alpha 2", lambda lib: lib.sub(lib.tensor([1, 2]), 5, alpha=2)),
    ("float add int alpha 2.5", lambda lib: lib.add(lib.ones(2), lib.tensor([1, 2]), alpha=2.5)),
]


@pytest.mark.parametrize("call", [f for _, f in ALPHA], ids=[n for n, _ in ALPHA])
def test_add_and_sub_alpha_keep_pytorchs_dtype(call):
    assert_matches(call(minigrad), call(torch))


BASE = [[0.3, -1.2, 2.0], [1.5, 0.7, -0.4]]
OTHER = [[1.1, 2.0, -0.5], [0.25, -3.0, 4.0]]


@pytest.mark.parametrize("apply", [f for _, f in IN_PLACE], ids=[n for n, _ in IN_PLACE])
def test_in_place_values_match_torch(apply, device):
    m, t = minigrad.tensor(BASE, device=device), torch.tensor(BASE)
    version = m._version_counter[0]
    result = apply(m, minigrad.tensor(OTHER, device=device))
    apply(t, torch.tensor(OTHER))
    assert_matches(m, t)
    assert m._version_counter[0] > version
    if result is not None:
        assert result is m  # in-place ops return self


@pytest.mark.parametrize("apply", [f for _, f in IN_PLACE], ids=[n for n, _ in IN_PLACE])
@pytest.mark.parametrize("other_requires_grad", [False, True])
def test_autograd_through_in_place_ops_matches_torch(apply, other_requires_grad, device):
    """The in-place op acts on a non-leaf; gradients reach the leaves as in torch."""
    weight = [[1.0, -2.0, 0.5], [3.0, 0.25, -1.0]]
    results = []
    for lib, dev in ((minigrad, device), (torch, "cpu")):
        x = lib.tensor(BASE, dtype=lib.float64, requires_grad=True, device=dev)
        other = lib.tensor(OTHER, dtype=lib.float64, requires_grad=other_requires_grad, device=dev)
        y = x * 1.5
        out = apply(y, other * 1.0)
        if out is not None:
            assert out is y
        loss = (y * lib.tensor(weight, dtype=lib.float64, device=dev)).sum()
        loss.backward()
        results.append((y, x.grad, other.grad, type(y.grad_fn).__name__ if lib is torch else y.grad_fn.name()))
    (m_y, m_x_grad, m_other_grad, m_name), (t_y, t_x_grad, t_other_grad, t_name) = results
    assert_matches(m_y.detach(), t_y.detach())
    assert_matches(m_x_grad, t_x_grad)
    assert (m_other_grad is None) == (t_other_grad is None)
    if t_other_grad is not None:
        assert_matches(m_other_grad, t_other_grad)


def test_in_place_on_leaf_that_requires_grad_is_an_error():
    same_error(lambda lib: lib.ones(3, requires_grad=True).add_(1))
    same_error(lambda lib: lib.ones(3, requires_grad=True).zero_())
    same_error(lambda lib: lib.ones(3, requires_grad=True).__imul__(2))
    with pytest.raises(RuntimeError, match="leaf Variable that requires grad is being used in an in-place operation"):
        minigrad.ones(3, requires_grad=True)[0] = 2.0


def test_in_place_on_leaf_under_no_grad_is_the_sgd_update(device):
    """W -= lr * W.grad inside no_grad: allowed, keeps the leaf a leaf, and changes its values."""
    for lib, dev in ((minigrad, device), (torch, "cpu")):
        w = lib.tensor([1.0, -2.0], requires_grad=True, device=dev)
        (w * w).sum().backward()
        with lib.no_grad():
            w -= 0.1 * w.grad
            w.grad.zero_()
        assert w.is_leaf and w.requires_grad and w.grad_fn is None
        if lib is minigrad:
            m_w, m_grad = w, w.grad
        else:
            assert_matches(m_w.detach(), w.detach())
            assert_matches(m_grad, w.grad)


def test_in_place_keeps_dtype_and_refuses_float_into_int():
    same_error(lambda lib: lib.tensor([1, 2]).add_(0.5))
    same_error(lambda lib: lib.tensor([1, 2]).mul_(lib.tensor([1.5, 2.0])))
    m, t = minigrad.tensor([1.0, 2.0]), torch.tensor([1.0, 2.0])
    m.add_(minigrad.tensor([1, 2]))
    t.add_(torch.tensor([1, 2]))
    assert_matches(m, t)
    m, t = minigrad.tensor([1, 2]), torch.tensor([1, 2])
    m[0] = 7.9
    t[0] = 7.9
    assert_matches(m, t)


def test_in_place_broadcast_rules():
    m, t = minigrad.zeros(2, 3), torch.zeros(2, 3)
    m.add_(minigrad.tensor([1.0, 2.0, 3.0]))
    t.add_(torch.tensor([1.0, 2.0, 3.0]))
    assert_matches(m, t)
    m.copy_(minigrad.tensor([[5.0], [6.0]]))
    t.copy_(torch.tensor([[5.0], [6.0]]))
    assert_matches(m, t)
    same_error(lambda lib: lib.zeros(3).add_(lib.ones(2, 3)))


def test_fill_with_0d_tensor_and_copy_casts(device):
    m, t = minigrad.zeros(2, 2, device=device), torch.zeros(2, 2)
    m.fill_(minigrad.tensor(2.5, device=device))
    t.fill_(torch.tensor(2.5))
    assert_matches(m, t)
    m.copy_(minigrad.tensor([[1, 2], [3, 4]], device=device))
    t.copy_(torch.tensor([[1, 2], [3, 4]]))
    assert_matches(m, t)


def test_random_fill_of_a_non_leaf_keeps_it_in_the_graph(device):
    for lib, dev in ((minigrad, device), (torch, "cpu")):
        x = lib.tensor([1.0, 2.0], requires_grad=True, device=dev)
        y = x * 2
        y.normal_()
        y.uniform_(-1, 1)
        assert y.requires_grad and not y.is_leaf
        (y * 3).sum().backward()
        assert to_host(x.grad).tolist() == [0.0, 0.0] if lib is minigrad else x.grad.tolist() == [0.0, 0.0]


def test_in_place_is_seen_through_views_of_detach(device):
    x = minigrad.tensor([1.0, 2.0], requires_grad=True, device=device)
    d = x.detach()
    d.add_(1)
    np.testing.assert_array_equal(to_host(x), [2.0, 3.0])
    assert x._version_counter[0] == d._version_counter[0] == 1


def test_setitem_gradient_to_value_and_target(device):
    for lib, dev in ((minigrad, device), (torch, "cpu")):
        x = lib.tensor([[1.0, 2.0, 3.0], [4.0, 5.0, 6.0]], requires_grad=True, device=dev)
        value = lib.tensor([10.0, 20.0], requires_grad=True, device=dev)
        y = x.clone()
        y[:, 1] = value * 2
        y[0, 0] = 0.0
        (y * y).sum().backward()
        if lib is minigrad:
            m_grads = (x.grad, value.grad)
        else:
            assert_matches(m_grads[0], x.grad)
            assert_matches(m_grads[1], value.grad)


# ---- .data and detach ----


def test_data_shares_storage_and_is_outside_autograd(device):
    x = minigrad.tensor([1.0, 2.0, 3.0], requires_grad=True, device=device)
    data = x.data
    assert data is not x and not data.requires_grad and data.is_leaf
    data.mul_(2)  # allowed: .data is how old code updated weights
    np.testing.assert_array_equal(to_host(x), [2.0, 4.0, 6.0])
    assert x.requires_grad and x.is_leaf
    x.data[0] = -1.0
    np.testing.assert_array_equal(to_host(x), [-1.0, 4.0, 6.0])


def test_data_assignment_replaces_values(device):
    x = minigrad.tensor([1.0, 2.0], requires_grad=True, device=device)
    x.data = minigrad.tensor([5.0, 6.0, 7.0], device=device)
    assert x.shape == (3,) and x.requires_grad
    np.testing.assert_array_equal(to_host(x), [5.0, 6.0, 7.0])


def test_data_update_matches_torch_training_step(device):
    for lib, dev in ((minigrad, device), (torch, "cpu")):
        w = lib.tensor([0.5, -1.5], requires_grad=True, device=dev)
        for _ in range(3):
            loss = ((w * lib.tensor([1.0, 2.0], device=dev) - 1) ** 2).sum()
            loss.backward()
            w.data -= 0.1 * w.grad.data
            w.grad.data.zero_()
        if lib is minigrad:
            m_w = w
        else:
            assert_matches(m_w.detach(), w.detach())


def test_detach_shares_storage_and_cuts_the_graph(device):
    x = minigrad.tensor([1.0, 2.0], requires_grad=True, device=device)
    y = (x * 2).detach()
    assert not y.requires_grad and y.grad_fn is None and y.is_leaf
    z = x.detach()
    z[0] = 7.0
    assert to_host(x)[0] == 7.0


# ---- repr and str ----

REPRS = [
    "lib.tensor([[1., 0., 1.]])",
    "lib.tensor([1.5, 2.25, -3.])",
    "lib.tensor([0.1, 0.25, 100.5])",
    "lib.tensor([1, 2, 3])",
    "lib.tensor([[1, -200], [3, 4]])",
    "lib.tensor([True, False])",
    "lib.tensor(3.5)",
    "lib.tensor(7)",
    "lib.tensor(True)",
    "lib.tensor(-0.0)",
    "lib.tensor([1e-5, 1.0])",
    "lib.tensor([1e10, 1.0])",
    "lib.tensor([123456789.0, 1.0])",
    "lib.tensor([0.1, 100000.0])",
    "lib.tensor([0.001, 0.5])",
    "lib.tensor([1e-10])",
    "lib.tensor([1e-10, 3e-11])",
    "lib.tensor([12345.678])",
    "lib.tensor([float('nan'), 1.0, float('inf')])",
    "lib.tensor([float('nan'), 1.5])",
    "lib.tensor([float('inf'), -float('inf')])",
    "lib.tensor([0.0, 0.0])",
    "lib.tensor([1.0, 2.0], dtype=lib.float64)",
    "lib.tensor([1.5, 2.0], dtype=lib.float64)",
    "lib.tensor(2.5, dtype=lib.float64)",
    "lib.tensor([1, 2], dtype=lib.int32)",
    "lib.tensor([1.5, 2.0], dtype=lib.float16)",
    "lib.tensor([1, 2], dtype=lib.uint8)",
    "lib.tensor([])",
    "lib.tensor([], dtype=lib.int64)",
    "lib.tensor([], dtype=lib.float64)",
    "lib.zeros(0, 3)",
    "lib.zeros(2, 0, 4, dtype=lib.int64)",
    "lib.zeros(0, requires_grad=True)",
    "lib.tensor([1.0, 2.0], requires_grad=True)",
    "lib.tensor(1.0, requires_grad=True)",
    "lib.tensor([1.0, 2.0], dtype=lib.float64, requires_grad=True)",
    "lib.tensor([1.0, 2.0], requires_grad=True) * 2",
    "lib.tensor([1.0, 2.0], requires_grad=True).sum()",
    "lib.tensor([1.0, 2.0], requires_grad=True).mean()",
    "lib.tensor([1.0, 2.0], requires_grad=True).exp()",
    "lib.tensor([1.0, 2.0], requires_grad=True) + 1",
    "lib.tensor([1.0, 2.0], requires_grad=True) - 1",
    "lib.tensor([1.0, 2.0], requires_grad=True) / 3",
    "lib.tensor([1.0, 2.0], requires_grad=True) ** 2",
    "lib.tensor([1.0, 2.0], dtype=lib.float64, requires_grad=True) * 2",
    "lib.tensor([[1.0, 2.0]], requires_grad=True) @ lib.ones(2, 2)",
    "lib.tensor([[1.0, 2.0]], requires_grad=True).T",
    "lib.tensor([[1.0, 2.0]], requires_grad=True).reshape(2)",
    "lib.tensor([[1.0, 2.0]], requires_grad=True)[0]",
    "lib.tensor([[1.0, 2.0]], requires_grad=True)[:, :1]",
    "lib.tensor([1.0, 2.0], requires_grad=True).detach()",
    "lib.arange(12).reshape(3, 4)",
    "lib.arange(24.0).reshape(2, 3, 4)",
    "lib.arange(24.0).reshape(2, 3, 4) / 7",
    "lib.arange(100.0) / 3",
    "lib.arange(100)",
    "lib.arange(2000)",
    "lib.arange(2000.0) / 7",
    "lib.arange(2000.0).reshape(40, 50)",
    "lib.arange(3000.0).reshape(10, 15, 20) * 1.5",
    "lib.arange(1001) * 1000000",
    "lib.linspace(-1e6, 1e6, 9)",
    "lib.linspace(-1, 1, 30, dtype=lib.float64)",
    "lib.eye(3)",
    "lib.ones(2, 3, dtype=lib.bool)",
    "lib.zeros(1, 1, 1)",
    "lib.zeros(3, 1)",
    "lib.full((2, 2), -7.25)",
    "lib.full((50,), 1e-3)",
    "lib.ones(1200, dtype=lib.bool)",
    "lib.arange(1500.0, requires_grad=True) * 2",
]


@pytest.mark.parametrize("expression", REPRS)
def test_repr_and_str_match_torch(expression):
    m, t = eval(expression, {"lib": minigrad}), eval(expression, {"lib": torch})
    expected = torch_repr(t)
    assert repr(m) == expected
    assert str(m) == expected


@pytest.mark.parametrize("scale", [1.0, 1e-6, 1e-3, 1e4, 1e6, 1e9])
@pytest.mark.parametrize("shape", [(7,), (3, 5), (2, 3, 4), (1500,), (40, 40), (10, 10, 11)], ids=str)
@pytest.mark.parametrize("dtype", ["float32", "float64"])
def test_repr_of_random_tensors_matches_torch(scale, shape, dtype):
    array = np.random.default_rng(len(shape) * 31 + int(np.log10(scale) + 10)).standard_normal(shape) * scale
    m = minigrad.tensor(array, dtype=getattr(minigrad, dtype))
    t = torch.tensor(array, dtype=getattr(torch, dtype))
    assert repr(m) == torch_repr(t)


@pytest.mark.parametrize("shape", [(5,), (4, 6), (1500,), (30, 40)], ids=str)
def test_repr_of_random_int_tensors_matches_torch(shape):
    array = np.random.default_rng(1).integers(-100000, 100000, shape)
    assert repr(minigrad.tensor(array)) == torch_repr(torch.tensor(array))


def test_repr_on_a_device_names_it():
    assert repr(minigrad.tensor([1.0, 2.0], device="strict")) == "tensor([1., 2.], device='strict')"
    assert repr(minigrad.tensor([1, 2], dtype=minigrad.int32, device="strict", requires_grad=False)) == (
        "tensor([1, 2], device='strict', dtype=minigrad.int32)"
    )


def test_format_of_0d_tensor_like_torch():
    m, t = minigrad.tensor(2.34567), torch.tensor(2.34567)
    assert f"{m:.2f}" == f"{t:.2f}" and f"{m}" == f"{t}"
    assert f"{minigrad.tensor([1.0])}" == f"{torch.tensor([1.0])}"


@pytest.mark.parametrize("p", [0, 1, 2, 3, 0.5, math.inf, -math.inf, "fro"])
@pytest.mark.parametrize("dim", [None, 1])
def test_norm_matches_torch(p, dim):
    """Every p PyTorch accepts: p=0 counts non-zeros, ±inf take the largest/smallest |x|."""
    if p == "fro" and dim is not None:
        pytest.skip("torch's 'fro' with a dim is a matrix-norm question")
    data = [[1.0, -2.0, 0.25], [3.0, 0.5, -4.0]]
    t = torch.tensor(data, requires_grad=True)
    m = minigrad.tensor(data, requires_grad=True)
    t.norm(p, dim).sum().backward()
    m.norm(p, dim).sum().backward()
    np.testing.assert_allclose(m.norm(p, dim).detach().numpy(), t.norm(p, dim).detach().numpy(), rtol=1e-5)
    assert (m.grad is None) == (t.grad is None)  # p=0: no gradient, in either
    if t.grad is not None:
        np.testing.assert_allclose(m.grad.numpy(), t.grad.numpy(), rtol=1e-5, atol=1e-6)


@pytest.mark.parametrize(
    "build",
    [
        lambda lib: lib.ones(2, 3),
        lambda lib: lib.ones(2, 3).t(),
        lambda lib: lib.ones(3, 1).expand(3, 4),
        lambda lib: lib.ones(4, 5)[:, 1:3],
        lambda lib: lib.ones(()),
    ],
)
def test_is_contiguous_and_contiguous_match_torch(build):
    for lib in (minigrad, torch):
        x = build(lib)
        assert x.contiguous().is_contiguous()
    assert build(minigrad).is_contiguous() == build(torch).is_contiguous()
    m = build(minigrad).requires_grad_()
    t = build(torch).requires_grad_()
    same_node = (m.contiguous() is m) == (t.contiguous() is t)
    assert same_node


@pytest.mark.parametrize(
    "call",
    [
        lambda lib: lib.tensor([True, False, True]).logical_and(lib.tensor([True, True, False])),
        lambda lib: lib.tensor([True, False]).logical_or(lib.tensor([False, False])),
        lambda lib: lib.tensor([True, False]).logical_xor(lib.tensor([True, True])),
        lambda lib: lib.tensor([1.0, 2.0]).broadcast_to((3, 2)),
        lambda lib: lib.tensor([1, 2]).type_as(lib.tensor([0.5])),
        lambda lib: lib.arange(6).reshape(2, 3).swapaxes(0, 1),
        lambda lib: lib.moveaxis(lib.arange(24).reshape(2, 3, 4), 0, -1),
    ],
)
def test_small_tensor_methods_give_pytorchs_values_and_dtypes(call) -> None:
    ours, theirs = call(minigrad), call(torch)
    assert ours.tolist() == theirs.tolist()
    assert str(ours.dtype).split(".")[-1] == str(theirs.dtype).split(".")[-1]


@pytest.mark.parametrize("descending", [False, True])
@pytest.mark.parametrize(
    "values",
    [[1.0, 1.0, 0.0, 1.0, 2.0, 0.0], [float("nan"), 1.0, float("nan"), -1.0, float("inf")], [3.0, -0.0, 0.0, -0.0]],
)
def test_sort_of_ties_and_nans_is_pytorchs_stable_order(values, descending) -> None:
    """Equal values keep their order (PyTorch's stable sort) and NaN is the largest value."""
    ours = minigrad.tensor(values).sort(descending=descending, stable=True)
    theirs = torch.tensor(values).sort(descending=descending, stable=True)
    assert ours.indices.tolist() == theirs.indices.tolist()
    np.testing.assert_array_equal(ours.values.numpy(), theirs.values.numpy())
    assert repr(ours).replace("minigrad", "torch") == repr(theirs)


# Keys PyTorch reads in ways of its own: a short list holding a list (or a tensor, a slice, None, ...)
# is a tuple of indices, with a deprecation warning; NumPy index arrays are index tensors
KEYS = [
    ("list of lists", lambda lib: [[0, 1], [1, 2]]),
    ("list with a tensor", lambda lib: [lib.tensor(0), 1]),
    ("list holding one list", lambda lib: [[0, 2]]),
    ("list with a slice", lambda lib: [slice(0, 2)]),
    ("list with None", lambda lib: [None]),
    ("list of an int and a list", lambda lib: [0, [1, 2]]),
    ("nested three deep", lambda lib: [[[0, 1], [1, 2]]]),
    ("plain list", lambda lib: [0, 2]),
    ("NumPy ints", lambda lib: np.array([0, 2])),
    ("NumPy bools", lambda lib: np.array([True, False, True])),
    ("NumPy 2-D ints", lambda lib: np.array([[0, 1], [1, 2]])),
    ("NumPy 0-d", lambda lib: np.array(1)),
]


@pytest.mark.parametrize("key", [f for _, f in KEYS], ids=[n for n, _ in KEYS])
def test_list_and_numpy_keys_index_as_in_pytorch(key):
    results = []
    for lib in (minigrad, torch):
        x = lib.arange(12.0).reshape(3, 4)
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            picked = x[key(lib)]
            x[key(lib)] = -1.0
        results.append(
            (picked, x, [str(w.message).split(" (Triggered")[0].replace("minigrad", "torch") for w in caught])
        )
    (picked, written, our_warnings), (their_picked, their_written, their_warnings) = results
    assert_matches(picked, their_picked)
    assert_matches(written, their_written)
    assert our_warnings == their_warnings


def test_gather_and_index_select_take_int32_indices():
    for call in (
        lambda lib, x: x.gather(1, lib.tensor([[1], [0]], dtype=lib.int32)),
        lambda lib, x: x.index_select(0, lib.tensor([1], dtype=lib.int32)),
    ):
        assert_matches(call(minigrad, minigrad.arange(4.0).reshape(2, 2)), call(torch, torch.arange(4.0).reshape(2, 2)))


PRINT_OPTIONS = [
    {"precision": 2},
    {"precision": 8},
    {"threshold": 5},
    {"edgeitems": 1, "threshold": 3},
    {"linewidth": 40},
    {"profile": "short"},
    {"profile": "full"},
    {"sci_mode": True},
    {"sci_mode": False},
    {"precision": 1, "sci_mode": True},
    {"profile": "short", "precision": 6},
    {"linewidth": 20, "precision": 3},
]
PRINTED = [
    lambda lib: lib.tensor([1.12345, -2.5, 1e-5]),
    lambda lib: lib.arange(10),
    lambda lib: lib.arange(2000.0).reshape(40, 50) / 7,
    lambda lib: lib.tensor([[1.0, 2.0], [3.0, 4.0]]),
    lambda lib: lib.tensor([1e9, 1.0]),
    lambda lib: lib.tensor(3.14159),
    lambda lib: lib.tensor([0.1, 0.2, 0.3], requires_grad=True) * 2,
    lambda lib: lib.arange(30.0) / 3,
    lambda lib: lib.tensor([math.nan, math.inf, 1.5]),
    lambda lib: lib.zeros(3),
]


@pytest.mark.parametrize("options", PRINT_OPTIONS, ids=str)
def test_set_printoptions_prints_as_pytorch(options):
    for make in PRINTED:
        printed = []
        for lib in (minigrad, torch):
            lib.set_printoptions(**options)
            try:
                printed.append(repr(make(lib)).replace("minigrad", "torch"))
            finally:
                lib.set_printoptions(profile="default")
        assert printed[0] == printed[1]
