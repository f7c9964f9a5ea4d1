"""Every optimizer trains: a small MLP on a toy regression, and convex quadratics on strided parameters."""

import numpy as np
import pytest

import autograd as torch
import optim

SETTINGS = {
    "SGD": dict(lr=0.1, momentum=0.9),
    "SGD-nesterov": dict(lr=0.1, momentum=0.9, nesterov=True),
    "Adagrad": dict(lr=0.1),
    "Adadelta": dict(lr=1.0),
    "RMSprop": dict(lr=0.01),
    "Adam": dict(lr=0.01),
    "AdamW": dict(lr=0.01),
}


def optimizer(name, params):
    return getattr(optim, name.split("-")[0])(params, **SETTINGS[name])


def mlp_params(rng, hidden=16):
    shapes = [(1, hidden), (hidden,), (hidden, 1), (1,)]
    scales = [1.0, 0.1, 1 / np.sqrt(hidden), 0.0]
    return [
        torch.tensor(s * rng.standard_normal(shape), dtype=torch.float32, requires_grad=True)
        for shape, s in zip(shapes, scales)
    ]


@pytest.mark.parametrize("name", SETTINGS)
def test_an_mlp_learns_a_toy_regression(name):
    rng = np.random.default_rng(0)
    x = torch.tensor(np.linspace(-2, 2, 64).reshape(-1, 1), dtype=torch.float32)
    y = torch.sin(2 * x)
    W1, b1, W2, b2 = params = mlp_params(rng)
    opt = optimizer(name, params)
    losses = []
    for _ in range(150):
        opt.zero_grad()
        loss = ((torch.tanh(x @ W1 + b1) @ W2 + b2 - y) ** 2).mean()
        loss.backward()
        opt.step()
        losses.append(loss.item())
    assert losses[-1] < 0.2 * losses[0]
    assert all(p.is_leaf and p.dtype == np.float32 for p in params)


@pytest.mark.parametrize("contiguous", [True, False], ids=["contiguous", "strided"])
@pytest.mark.parametrize("name", SETTINGS)
def test_each_optimizer_lowers_a_convex_quadratic_within_20_steps(name, contiguous):
    base = np.arange(1.0, 25.0).reshape(3, 8)
    w = torch.from_numpy(base[:, :4].copy() if contiguous else base[:, ::2]).requires_grad_()
    assert w.detach().numpy().flags.c_contiguous == contiguous
    opt = optimizer(name, [w])
    first = None
    for _ in range(20):
        opt.zero_grad()
        loss = (w * w).sum()
        loss.backward()
        opt.step()
        first = loss.item() if first is None else first
    assert (w * w).sum().item() < first
    if not contiguous:
        np.testing.assert_array_equal(base[:, ::2], w.detach().numpy())  # the update wrote through the view
