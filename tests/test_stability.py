"""Numerical stability at the extremes, with NumPy set to raise on overflow, invalid and divide."""

import warnings

import numpy as np
import pytest

import autograd as torch


@pytest.fixture(autouse=True)
def numpy_raises():
    with np.errstate(over="raise", invalid="raise", divide="raise"), warnings.catch_warnings():
        warnings.simplefilter("error")
        yield


def grad_of(fn, values, dtype=torch.float64):
    x = torch.tensor(values, dtype=dtype, requires_grad=True)
    y = fn(x)
    y.backward(torch.ones_like(y))
    return y, x.grad


def test_sigmoid_at_plus_minus_1000_saturates_without_overflow():
    y, g = grad_of(torch.sigmoid, [-1000.0, 1000.0])
    assert y.tolist() == [0.0, 1.0]
    assert g.tolist() == [0.0, 0.0]


def test_sigmoid_gradient_at_300_is_tiny_and_never_nan():
    _, g = grad_of(torch.sigmoid, [-300.0, 300.0])
    assert np.all(g.numpy() <= 1e-100) and not np.any(np.isnan(g.numpy()))


def test_sigmoid_and_tanh_over_the_whole_range_raise_nothing():
    values = np.linspace(-1000, 1000, 2001)
    for fn in (torch.sigmoid, torch.tanh):
        for dtype in (torch.float32, torch.float64):
            y, g = grad_of(fn, values, dtype)
            assert np.all(np.isfinite(y.detach().numpy())) and np.all(np.isfinite(g.numpy()))


def test_tanh_at_plus_minus_1000():
    y, g = grad_of(torch.tanh, [-1000.0, 1000.0])
    assert y.tolist() == [-1.0, 1.0] and g.tolist() == [0.0, 0.0]


def test_log_of_zero_is_minus_inf_with_infinite_gradient():
    y, g = grad_of(torch.log, [0.0])
    assert y.tolist() == [-np.inf] and g.tolist() == [np.inf]


def test_exp_709_is_finite_and_exp_710_is_inf():
    with np.errstate(over="ignore"):
        y, _ = grad_of(torch.exp, [709.0, 710.0])
    assert np.isfinite(y.tolist()[0]) and y.tolist()[1] == np.inf


def test_softplus_of_1000_is_1000():
    y, g = grad_of(torch.softplus, [1000.0, -1000.0])
    assert y.tolist() == [1000.0, 0.0] and g.tolist() == [1.0, 0.0]
