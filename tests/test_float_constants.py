"""Python floats beside float tensors become cached 0-d arrays (autograd.constants): same results, no state."""

import numpy as np
import pytest
import torch as pt

import autograd as torch
from autograd import constants

OPS = {
    "add": (lambda t, c: t + c, lambda a, c: a + c),
    "radd": (lambda t, c: c + t, lambda a, c: c + a),
    "sub": (lambda t, c: t - c, lambda a, c: a - c),
    "rsub": (lambda t, c: c - t, lambda a, c: c - a),
    "mul": (lambda t, c: t * c, lambda a, c: a * c),
    "rmul": (lambda t, c: c * t, lambda a, c: c * a),
    "div": (lambda t, c: t / c, lambda a, c: a / c),
    "rdiv": (lambda t, c: c / t, lambda a, c: c / a),
}
AWKWARD = [0.0, -0.0, 1e-45, -3e-39, 1 / 3, 16777217.0, 3.4e38, 3.5e38, 1e300, float("inf"), -float("inf")]


@pytest.mark.parametrize("dtype", [np.float32, np.float64])
@pytest.mark.parametrize("op", list(OPS))
def test_results_are_bit_identical_to_numpy_with_the_python_float(op, dtype):
    ours, numpys = OPS[op]
    rng = np.random.default_rng(0)
    a = np.concatenate([rng.normal(size=6), [0.0, -0.0, 1.0, 3e38]]).astype(dtype)
    floats = [*(rng.normal(size=20) * 10.0 ** rng.integers(-20, 20, size=20)).tolist(), *AWKWARD]
    with np.errstate(all="ignore"):
        for c in floats + floats:  # twice: the second time from the cache
            got = ours(torch.tensor(a), c).numpy()
            want = numpys(a, c)
            assert got.dtype == want.dtype == dtype
            np.testing.assert_array_equal(got, want, strict=True)
            assert (np.signbit(got) == np.signbit(want)).all(), f"{op} {c!r}: the sign of a zero"


def test_gradients_through_constants_match_pytorch():
    x = np.array([0.5, -1.25, 3.0], dtype=np.float32)
    ours = torch.tensor(x, requires_grad=True)
    theirs = pt.tensor(x, requires_grad=True)
    for t in (ours, theirs):
        y = (2.5 - t * 1.5 + 0.25) / 3.0 + 1.75 / (t + 4.0)
        y.sum().backward()
    np.testing.assert_allclose(ours.grad.numpy(), theirs.grad.numpy(), rtol=1e-6)


def test_second_order_gradients_through_constants():
    x = torch.tensor([0.5, 2.0], dtype=torch.float64, requires_grad=True)
    y = (1.5 / x * 2.5).sum()
    (g,) = torch.grad(y, x, create_graph=True)
    g.sum().backward()
    np.testing.assert_allclose(g.detach().numpy(), -3.75 / x.detach().numpy() ** 2)
    np.testing.assert_allclose(x.grad.numpy(), 7.5 / x.detach().numpy() ** 3)


def test_a_tensor_saved_beside_a_constant_is_still_version_checked():
    x = torch.tensor([1.0, 2.0], requires_grad=True)
    y = x * 1.0
    z = 2.0 / y  # saves y's data and the constant 2.0
    y.add_(1.0)
    with pytest.raises(RuntimeError, match="modified by an inplace operation"):
        z.sum().backward()


def test_constants_are_read_only_and_shared():
    a = np.ones(3, np.float32)
    c = constants.float_constant(0.75, a)
    assert c is constants.float_constant(0.75, a)
    with pytest.raises(ValueError, match="read-only"):
        c[...] = 2.0


def test_only_float32_and_float64_convert_and_zeros_stay_python_floats():
    assert constants.float_constant(0.5, np.ones(2, np.float16)) == 0.5
    assert type(constants.float_constant(0.5, np.ones(2, np.int64))) is float
    assert type(constants.float_constant(-0.0, np.ones(2, np.float32))) is float
    assert type(constants.float_constant(1e39, np.ones(2, np.float32))) is float
    assert type(constants.float_constant(1e39, np.ones(2, np.float64))) is np.ndarray


def test_the_cache_stays_bounded():
    a = np.ones(2)
    for i in range(3 * constants.CACHE_SIZE):
        constants.float_constant(i + 0.5, a)
    assert len(constants._cache_64) <= constants.CACHE_SIZE


def test_integer_tensors_and_custom_functions_see_python_floats():
    seen = []

    class Scale(torch.Function):
        @staticmethod
        def forward(ctx, x, c):
            seen.append(type(c))
            return x * c

        @staticmethod
        def backward(ctx, gy):
            return gy, None

    Scale.apply(torch.ones(2, requires_grad=True), 1.5)
    assert seen == [float]
    assert (torch.tensor([1, 2]) * 1.5).tolist() == [1.5, 3.0]
