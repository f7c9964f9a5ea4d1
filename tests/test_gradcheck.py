"""gradcheck, gradgradcheck and check_gradients: they pass correct gradients and catch wrong ones."""

from __future__ import annotations

from typing import Any

import numpy as np
import pytest

import autograd
from autograd.gradcheck import GradcheckError, check_gradients, gradcheck, gradgradcheck


class WrongSquare(autograd.Function):
    """x**2 with a planted wrong backward: 2.1 * x instead of 2 * x."""

    @staticmethod
    def forward(ctx: Any, x: np.ndarray) -> np.ndarray:
        ctx.save_for_backward(x)
        return x**2

    @staticmethod
    def backward(ctx: Any, gy: Any) -> Any:
        (x,) = ctx.saved_tensors
        return 2.1 * x * gy


class WrongAtOneElement(autograd.Function):
    """x**2 whose gradient is off by 1 at one element (flat index 4) only."""

    @staticmethod
    def forward(ctx: Any, x: np.ndarray) -> np.ndarray:
        ctx.save_for_backward(x)
        ctx.offset = np.zeros(x.shape)
        ctx.offset.flat[4] = 1.0
        return x**2

    @staticmethod
    def backward(ctx: Any, gy: Any) -> Any:
        (x,) = ctx.saved_tensors
        return 2 * x * gy + ctx.offset


class FrozenSlope(autograd.Function):
    """x**2 with a right first derivative whose own derivative is lost (2x kept as a constant)."""

    @staticmethod
    def forward(ctx: Any, x: np.ndarray) -> np.ndarray:
        ctx.slope = 2 * x
        return x**2

    @staticmethod
    def backward(ctx: Any, gy: Any) -> Any:
        return gy * ctx.slope


def leaf(rng: np.random.Generator, *shape: int, low: float = 0.5, high: float = 2.0) -> autograd.Tensor:
    return autograd.Tensor(rng.uniform(low, high, size=shape), requires_grad=True)


CORRECT = {
    "mul": (lambda a, b: a * b, [(2, 3), (3,)]),
    "div": (lambda a, b: a / (b + 3), [(3, 1), (1, 4)]),
    "pow": (lambda a, b: a**b, [(2, 2), (2, 2)]),
    "chain": (lambda a, b: -(a * a - b) * (a / b), [(4,), (4,)]),
    "two outputs": (lambda a, b: (a * b, a - b), [(3,), (3,)]),
}


@pytest.mark.parametrize("name", sorted(CORRECT))
def test_gradcheck_passes_correct_gradients(name: str, rng: np.random.Generator) -> None:
    fn, shapes = CORRECT[name]
    inputs = [leaf(rng, *s) for s in shapes]
    assert gradcheck(fn, inputs)


def test_wrong_backward_raises_naming_op_input_output_and_jacobians(rng: np.random.Generator) -> None:
    x = leaf(rng, 3)
    with pytest.raises(GradcheckError) as info:
        gradcheck(WrongSquare.apply, (x,))
    message = str(info.value)
    for part in ("WrongSquare", "output 0", "input 0", "numeric Jacobian", "analytic Jacobian", "max abs difference"):
        assert part in message
    numeric = np.diag(2 * x._data)
    assert np.array2string(numeric, precision=6, suppress_small=True, max_line_width=120) in message


def test_check_gradients_reports_the_wrong_input_and_element(rng: np.random.Generator) -> None:
    a, x = leaf(rng, 2, 3), leaf(rng, 2, 3)
    report = check_gradients(lambda a, x: a * 3 + WrongAtOneElement.apply(x), (a, x))
    assert not report.passed
    good, bad = report.rows
    assert (good.name, good.passed) == ("input 0", True)
    assert (bad.name, bad.output, bad.passed, bad.index) == ("input 1", 0, False, (1, 1))
    assert bad.analytic - bad.numeric == pytest.approx(1.0, abs=1e-6)
    assert bad.max_abs_err == pytest.approx(1.0, abs=1e-6)


def test_the_failing_output_is_named(rng: np.random.Generator) -> None:
    x = leaf(rng, 3)
    report = check_gradients(lambda x: (x * 2, WrongSquare.apply(x)), x)
    assert [(r.output, r.passed) for r in report.rows] == [(0, True), (1, False)]
    assert "gradient of output 1 with respect to input 0 is wrong" in str(report)


def test_report_prints_a_table(rng: np.random.Generator) -> None:
    text = str(check_gradients(WrongSquare.apply, leaf(rng, 2)))
    header = text.splitlines()[1].split()
    assert header[:3] == ["input", "output", "shape"]
    assert "FAILED" in text.splitlines()[0] and "FAIL" in text.splitlines()[2]


def test_raise_exception_false_returns_false(rng: np.random.Generator) -> None:
    assert gradcheck(WrongSquare.apply, (leaf(rng, 3),), raise_exception=False) is False


def test_float32_inputs_warn(rng: np.random.Generator) -> None:
    x = autograd.Tensor(rng.uniform(1, 2, 3).astype(np.float32), requires_grad=True)
    with pytest.warns(UserWarning, match="float32, not float64"):
        check_gradients(lambda x: x * x, x, eps=1e-3, atol=1e-2)


def test_no_input_requiring_grad_raises(rng: np.random.Generator) -> None:
    x = autograd.Tensor(rng.uniform(size=3))
    with pytest.raises(ValueError, match="no input requires grad"):
        gradcheck(lambda x: x * 2, (x,))


def test_broadcast_views_are_rejected() -> None:
    base = np.arange(3.0)
    view = np.lib.stride_tricks.as_strided(base, shape=(2, 3), strides=(0, 8), writeable=True)
    with pytest.raises(ValueError, match=r"input 0 \(shape \(2, 3\), strides \(0, 8\)\) is a broadcast view"):
        gradcheck(lambda x: x * 2, (autograd.Tensor(view, requires_grad=True),))


def test_read_only_inputs_are_rejected() -> None:
    array = np.arange(3.0)
    array.flags.writeable = False
    with pytest.raises(ValueError, match="read-only"):
        gradcheck(lambda x: x * 2, (autograd.Tensor(array, requires_grad=True),))


@pytest.mark.parametrize("name", sorted(CORRECT))
def test_random_mode_agrees_with_full_mode(name: str, rng: np.random.Generator) -> None:
    fn, shapes = CORRECT[name]
    inputs = [leaf(rng, *s) for s in shapes]
    full = check_gradients(fn, inputs, mode="full")
    fast = check_gradients(fn, inputs, mode="random")
    assert full.passed and fast.passed
    assert [(r.name, r.output) for r in full.rows] == [(r.name, r.output) for r in fast.rows]


def test_random_mode_catches_a_wrong_backward_and_recomputes_the_jacobians(rng: np.random.Generator) -> None:
    x = leaf(rng, 4)
    with pytest.raises(GradcheckError, match="random mode") as info:
        gradcheck(WrongSquare.apply, (x,), fast_mode=True)
    assert "recomputed element by element" in str(info.value)
    assert "analytic Jacobian" in str(info.value)


def test_random_mode_evaluates_twice_per_input(rng: np.random.Generator) -> None:
    calls = []

    def fn(a: autograd.Tensor, b: autograd.Tensor) -> autograd.Tensor:
        calls.append(1)
        return a * b

    check_gradients(fn, (leaf(rng, 5, 5), leaf(rng, 5)), mode="random")
    assert len(calls) == 1 + 2 * 2  # the analytic pass, then two evaluations per input


class Affine:
    """A model-like object: parameters found through named_parameters()."""

    def __init__(self, rng: np.random.Generator, wrong_bias: bool = False) -> None:
        self.weight = leaf(rng, 3)
        self.bias = leaf(rng, 3)
        self.wrong_bias = wrong_bias

    def named_parameters(self) -> list[tuple[str, autograd.Tensor]]:
        return [("weight", self.weight), ("bias", self.bias)]

    def __call__(self, x: autograd.Tensor) -> autograd.Tensor:
        bias = WrongSquare.apply(self.bias) if self.wrong_bias else self.bias * self.bias
        return x * self.weight + bias


def test_model_rows_are_per_named_parameter(rng: np.random.Generator) -> None:
    x = autograd.Tensor(rng.uniform(size=(2, 3)))
    report = check_gradients(Affine(rng), x)
    assert [(r.name, r.passed) for r in report.rows] == [("weight", True), ("bias", True)]
    assert gradcheck(Affine(rng), x)


def test_model_failure_names_the_parameter(rng: np.random.Generator) -> None:
    x = autograd.Tensor(rng.uniform(size=(2, 3)))
    with pytest.raises(GradcheckError, match="gradient of output 0 with respect to bias is wrong"):
        gradcheck(Affine(rng, wrong_bias=True), x)


@pytest.mark.parametrize("fast_mode", [False, True])
@pytest.mark.parametrize("fn", [lambda a, b: a * b, lambda a, b: WrongSquare.apply(a) + b], ids=["right", "wrong"])
def test_inputs_are_unchanged_after_checking(fn: Any, fast_mode: bool, rng: np.random.Generator) -> None:
    a, b = leaf(rng, 2, 3), leaf(rng, 3)
    base = np.arange(6.0)
    view = autograd.Tensor(base[::2], requires_grad=True)  # a non-contiguous view into another array
    before = [t._data.tobytes() for t in (a, b, view)] + [base.tobytes()]
    gradcheck(lambda a, b, v: fn(a, b) * v, (a, b, view), fast_mode=fast_mode, raise_exception=False)
    assert [t._data.tobytes() for t in (a, b, view)] + [base.tobytes()] == before
    assert all(t.grad is None and t._version == 0 for t in (a, b, view))


def test_inputs_are_restored_when_the_function_raises(rng: np.random.Generator) -> None:
    x = leaf(rng, 3)
    before = x._data.copy()
    calls = []

    def fails_on_third_call(x: autograd.Tensor) -> autograd.Tensor:
        calls.append(1)
        if len(calls) == 3:
            raise ArithmeticError("boom")
        return x * x

    with pytest.raises(ArithmeticError):
        gradcheck(fails_on_third_call, (x,))
    assert np.array_equal(x._data, before)


def test_gradgradcheck_passes_second_derivatives(rng: np.random.Generator) -> None:
    a, b = leaf(rng, 3), leaf(rng, 3)
    assert gradgradcheck(lambda a, b: a * a * b / (b + 1), (a, b))
    assert gradgradcheck(lambda a, b: a * a * b / (b + 1), (a, b), fast_mode=True)


def test_gradgradcheck_catches_a_lost_second_derivative(rng: np.random.Generator) -> None:
    x = leaf(rng, 3)
    assert gradcheck(FrozenSlope.apply, (x,))
    with pytest.raises(GradcheckError, match="input 0"):
        gradgradcheck(FrozenSlope.apply, (x,))


def test_unknown_mode_is_rejected(rng: np.random.Generator) -> None:
    with pytest.raises(ValueError, match="'full' or 'random'"):
        check_gradients(lambda x: x, leaf(rng, 2), mode="fast")


def test_integer_outputs_are_skipped_and_output_indices_kept(rng: np.random.Generator) -> None:
    x = leaf(rng, 3)
    report = check_gradients(lambda x: (autograd.Tensor(np.arange(2)), WrongSquare.apply(x)), x)
    assert [(r.output, r.passed) for r in report.rows] == [(1, False)]
    assert "gradient of output 1 with respect to input 0 is wrong" in str(report)
    assert "analytic Jacobian" in str(report)


@pytest.mark.parametrize("fast_mode", [False, True])
def test_an_output_may_be_the_input_itself(fast_mode: bool, rng: np.random.Generator) -> None:
    x = leaf(rng, 2, 2)
    assert gradcheck(lambda x: (x, x * x), (x,), fast_mode=fast_mode)


def test_a_function_without_floating_outputs_is_rejected(rng: np.random.Generator) -> None:
    with pytest.raises(ValueError, match="no floating-point tensor"):
        gradcheck(lambda x: autograd.Tensor(np.arange(2)), (leaf(rng, 2),))
