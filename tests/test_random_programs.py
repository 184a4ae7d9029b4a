"""
Random programs: hypothesis draws a straight-line program of 1 to 12 ops over 1 to 3
tensors (minigrad.testing.programs), runs it on minigrad and on PyTorch, and compares
every output and every leaf gradient. A failure shrinks to a minimal program, printed as
the Python code that fails.
"""

import functools

import torch
from hypothesis import HealthCheck, find, given, settings
from hypothesis import strategies as st

import minigrad
from minigrad.testing import compare_with_torch
from minigrad.testing.programs import Program, programs
from minigrad.testing.strategies import arrays

# Programs are cheap (no finite differences), so each profile runs five times as many.
PROGRAM_EXAMPLES = settings.default.max_examples * 5


@settings(max_examples=PROGRAM_EXAMPLES, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(program=programs(), data=st.data())
def test_random_program_matches_torch(program: Program, data: st.DataObject, device: str) -> None:
    leaves = [
        minigrad.tensor(data.draw(arrays("float64", shape), label=f"v{i}"), device=device, requires_grad=True)
        for i, shape in enumerate(program.input_shapes)
    ]
    compare_with_torch(
        functools.partial(program, minigrad),
        *leaves,
        torch_fn=functools.partial(program, torch),
        equal_nan=True,  # exp of exp may overflow: both libraries must then agree on inf/nan
    )


@settings(max_examples=5)
@given(program=programs())
def test_programs_print_as_code(program: Program) -> None:
    text = repr(program)
    assert text.startswith("def program(m, v0")
    assert "return" in text.splitlines()[-1]


@settings(max_examples=PROGRAM_EXAMPLES, database=None)
@given(program=programs())
def test_program_shapes_are_what_torch_computes(program: Program) -> None:
    """The strategy's shape bookkeeping (which decides where each op applies) is right."""
    inputs = [torch.zeros(shape, dtype=torch.float64) for shape in program.input_shapes]
    values = program.run_all(torch, *inputs)
    assert [tuple(value.shape) for value in values] == list(program.shapes)


def test_programs_shrink_to_the_step_that_matters() -> None:
    """A property that fails whenever a softmax appears shrinks to a one-step program."""
    smallest = find(
        programs(max_ops=4),
        lambda program: any(step.op == "softmax" for step in program.steps),
        settings=settings(database=None, max_examples=500),
    )
    ops = [step.op for step in smallest.steps]
    # softmax is only drawn for inputs with a dimension, so when every drawn input is 0-d the
    # smallest program needs one shape step first (reshape(-1), unsqueeze, ...) to give it one
    assert ops == ["softmax"] or (len(ops) == 2 and ops[1] == "softmax" and ops[0] != "softmax"), ops
