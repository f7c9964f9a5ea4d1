"""The perceptron: its rule and SGD on its criterion give identical weights; it learns separable data."""

import numpy as np
import pytest
import torch

import autograd
import nn


def _separable(n=40, seed=0, labels=(-1, 1)):
    """Integer points (so some land exactly on z = 0 during training) labelled by a line."""
    rng = np.random.default_rng(seed)
    x = rng.integers(-5, 6, size=(n, 2)).astype(np.float64)
    x = x[x[:, 0] + 2 * x[:, 1] != 1]  # keep a margin around the true boundary x0 + 2 x1 = 1
    y = np.where(x[:, 0] + 2 * x[:, 1] > 1, labels[1], labels[0])
    return autograd.tensor(x), autograd.tensor(y)


def _sgd_on_criterion(unit, x, y, lr, epochs):
    """One sample at a time, in order: w -= lr * d criterion / dw (the SGD step written by hand)."""
    for _ in range(epochs):
        for i in range(len(y)):
            unit.zero_grad()
            unit.criterion(x[i : i + 1], y[i : i + 1]).backward()
            with autograd.no_grad():
                for p in unit.parameters():
                    p.sub_(lr * p.grad)


@pytest.mark.parametrize(("labels", "sgd_lr_factor"), [((-1, 1), 2.0), ((0, 1), 1.0)])
def test_rule_and_sgd_on_the_criterion_give_identical_weights(labels, sgd_lr_factor):
    x, y = _separable(labels=labels)
    by_rule = nn.Perceptron(2, labels=labels).double()
    by_sgd = nn.Perceptron(2, labels=labels).double()
    lr = 0.5
    for _ in range(4):
        by_rule.rule_update(x, y, lr=lr)
    _sgd_on_criterion(by_sgd, x, y, lr * sgd_lr_factor, epochs=4)
    assert np.array_equal(by_rule.weight.detach().numpy(), by_sgd.weight.detach().numpy())
    assert np.array_equal(by_rule.bias.detach().numpy(), by_sgd.bias.detach().numpy())
    assert by_rule.weight.detach().numpy().any()


def test_rule_converges_on_separable_data():
    x, y = _separable(seed=1)
    unit = nn.Perceptron(2).double()
    mistakes = [unit.rule_update(x, y) for _ in range(50)]
    assert mistakes[-1] == 0
    assert np.array_equal(unit.predict(x).numpy(), y.numpy())


def test_predict_uses_step_with_zero_mapped_to_the_positive_label():
    unit = nn.Perceptron(2, labels=(0, 1))
    assert unit.predict(autograd.tensor([[1.0, 2.0]])).tolist() == [1]
    unit.bias.data.fill_(-1.0)
    assert unit.predict(autograd.tensor([[0.0, 0.0]])).tolist() == [0]


def test_criterion_value_is_max_0_minus_y_z():
    z = autograd.tensor([2.0, -1.0, 0.0, 3.0])
    y = autograd.tensor([-1, -1, -1, 1])
    assert nn.perceptron_criterion(z, y).item() == 2.0


def test_bad_labels_are_named():
    with pytest.raises(ValueError, match=r"labels must be -1 or 1, got \[2\]"):
        nn.Perceptron(2).rule_update(autograd.ones(1, 2), autograd.tensor([2]))


def test_state_dict_loads_into_torch_linear():
    x, y = _separable()
    unit = nn.Perceptron(2).double()
    unit.rule_update(x, y)
    theirs = torch.nn.Linear(2, 1).double()
    theirs.load_state_dict({k: torch.tensor(v.numpy()) for k, v in unit.state_dict().items()})
    np.testing.assert_allclose(theirs(torch.tensor(x.numpy())).detach().numpy()[:, 0], unit(x).detach().numpy())
