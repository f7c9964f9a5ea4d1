"""Closed-form checks of the update rules on their first steps (RELIABILITY B7 O3-O5)."""

import numpy as np
import pytest
import torch as pt

import autograd
import optim


def one_step(name, g, start=0.0, **kwargs):
    """The parameter after one step from ``start`` with gradient ``g`` (float64), and the optimizer."""
    w = autograd.tensor(np.full(np.shape(g), start), requires_grad=True)
    w.grad = autograd.tensor(np.asarray(g, dtype=np.float64))
    opt = getattr(optim, name)([w], **kwargs)
    opt.step()
    return w.detach().numpy(), opt


def test_adam_first_step_moves_each_coordinate_by_lr_times_sign_of_g():
    g = np.array([3.0, -0.02, 1e-2, -50.0])
    w, _ = one_step("Adam", g, lr=1e-3)
    np.testing.assert_allclose(w, -1e-3 * np.sign(g), rtol=1e-5)


@pytest.mark.parametrize("g, expected", [(1e-8, 5.0e-4), (1e-4, 1e-3 * 1e-4 / (1e-4 + 1e-8))])
def test_adam_eps_sits_outside_the_square_root(g, expected):
    w, _ = one_step("Adam", [g], lr=1e-3)
    assert -w[0] == pytest.approx(expected, rel=1e-9)


def test_adam_bias_correction_starts_at_step_one():
    g = np.array([2.0, -1.0])
    _, opt = one_step("Adam", g, lr=1e-3)
    state = next(iter(opt.state.values()))
    assert state["step"].item() == 1.0
    np.testing.assert_allclose(state["exp_avg"].numpy(), 0.1 * g, rtol=1e-15)
    np.testing.assert_allclose(state["exp_avg_sq"].numpy(), 0.001 * g**2, rtol=1e-12)


def test_rmsprop_eps_sits_outside_the_square_root():
    w, _ = one_step("RMSprop", [1e-8], lr=0.01, alpha=0.99, eps=1e-8)
    assert -w[0] == pytest.approx(0.01 * 1e-8 / (0.1 * 1e-8 + 1e-8), rel=1e-9)


def test_sgd_momentum_buffer_is_the_gradient_on_step_one_despite_dampening():
    g1, g2 = np.array([1.0, -2.0]), np.array([0.5, 0.5])
    w = autograd.tensor([0.0, 0.0], dtype=autograd.float64, requires_grad=True)
    opt = optim.SGD([w], lr=0.1, momentum=0.9, dampening=0.5)
    w.grad = autograd.tensor(g1)
    opt.step()
    np.testing.assert_array_equal(opt.state[w]["momentum_buffer"].numpy(), g1)
    w.grad = autograd.tensor(g2)
    opt.step()
    np.testing.assert_allclose(opt.state[w]["momentum_buffer"].numpy(), 0.9 * g1 + 0.5 * g2, rtol=1e-15)


def test_sgd_nesterov_first_step_uses_g_plus_momentum_times_g():
    w, _ = one_step("SGD", [2.0], lr=0.1, momentum=0.9, nesterov=True)
    assert w[0] == pytest.approx(-0.1 * (2.0 + 0.9 * 2.0), rel=1e-15)


def test_sgd_weight_decay_adds_lambda_theta_to_the_gradient():
    w, _ = one_step("SGD", [1.0], start=2.0, lr=0.1, weight_decay=0.5)
    assert w[0] == pytest.approx(2.0 - 0.1 * (1.0 + 0.5 * 2.0), rel=1e-15)


def test_adagrad_first_step_with_empty_accumulator_is_lr_times_sign():
    w, _ = one_step("Adagrad", [4.0, -0.5], lr=0.1)
    np.testing.assert_allclose(w, [-0.1, 0.1], rtol=1e-9)


def test_adagrad_lr_decay_divides_the_rate_by_one_plus_decayed_steps():
    w = autograd.tensor([0.0], dtype=autograd.float64, requires_grad=True)
    opt = optim.Adagrad([w], lr=0.1, lr_decay=0.5, initial_accumulator_value=1.0, eps=0.0)
    moves = []
    for _ in range(3):
        before = w.item()
        w.grad = autograd.tensor([1.0], dtype=autograd.float64)
        opt.step()
        moves.append(before - w.item())
    expected = [0.1 / (1 + t * 0.5) / np.sqrt(1 + (t + 1)) for t in range(3)]
    np.testing.assert_allclose(moves, expected, rtol=1e-12)


def test_adadelta_first_step_is_the_ratio_of_rms_values():
    w, _ = one_step("Adadelta", [2.0], lr=1.0, rho=0.9, eps=1e-6)
    assert -w[0] == pytest.approx(np.sqrt(1e-6) / np.sqrt(0.1 * 4.0 + 1e-6) * 2.0, rel=1e-12)


def test_adamw_with_zero_gradient_only_shrinks_the_weights():
    w, _ = one_step("AdamW", [0.0, 0.0], start=3.0, lr=0.1, weight_decay=0.2)
    np.testing.assert_array_equal(w, [3.0 * (1 - 0.1 * 0.2)] * 2)


@pytest.mark.parametrize("name", ["SGD", "Adagrad", "Adadelta", "RMSprop", "Adam", "AdamW"])
def test_maximize_steps_as_the_negated_gradient_would(name):
    up, _ = one_step(name, [0.3, -2.0], start=1.0, lr=0.1, maximize=True, weight_decay=0.1)
    down, _ = one_step(name, [-0.3, 2.0], start=1.0, lr=0.1, weight_decay=0.1)
    np.testing.assert_array_equal(up, down)


def test_zero_grad_still_steps_on_momentum_and_none_grad_changes_nothing():
    """torch, Adam lr=0.1: grad 1 then grad 0 moves -0.1 then -0.0670; a None-grad step changes nothing."""
    ours = autograd.tensor(0.0, dtype=autograd.float64, requires_grad=True)
    theirs = pt.tensor(0.0, dtype=pt.float64, requires_grad=True)
    our_opt, their_opt = optim.Adam([ours], lr=0.1), pt.optim.Adam([theirs], lr=0.1)
    positions = []
    for g in [1.0, 0.0]:
        ours.grad, theirs.grad = autograd.tensor(g, dtype=autograd.float64), pt.tensor(g, dtype=pt.float64)
        our_opt.step()
        their_opt.step()
        positions.append(ours.item())
        assert ours.item() == pytest.approx(theirs.item(), rel=1e-14)
    assert positions[0] == pytest.approx(-0.1, rel=1e-7)
    assert positions[1] - positions[0] == pytest.approx(-0.0670, abs=1e-4)
    ours.grad = None
    saved = {k: v.numpy().copy() for k, v in our_opt.state[ours].items()}
    our_opt.step()
    assert ours.item() == positions[1]
    assert all(np.array_equal(v.numpy(), saved[k]) for k, v in our_opt.state[ours].items())
