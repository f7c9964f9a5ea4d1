"""nn.utils: gradient clipping and parameter vectors, against torch.nn.utils."""

import math

import numpy as np
import pytest
import torch

import autograd
import nn


def _pair(seed=0):
    """The same three-parameter model in both libraries, with the same gradients."""
    rng = np.random.default_rng(seed)
    values = [rng.normal(size=s) * 3 for s in ((3, 2), (3,), (2, 2))]
    ours = [nn.Parameter(autograd.tensor(v)) for v in values]
    theirs = [torch.nn.Parameter(torch.tensor(v)) for v in values]
    for p, tp in zip(ours, theirs):
        (p * p * p).sum().backward()
        (tp * tp * tp).sum().backward()
    return ours, theirs


@pytest.mark.parametrize("norm_type", [2.0, 1.0, math.inf, 3])
@pytest.mark.parametrize("max_norm", [1.0, 1e6])
def test_clip_grad_norm_matches_torch(norm_type, max_norm):
    ours, theirs = _pair()
    total = nn.utils.clip_grad_norm_(ours, max_norm, norm_type)
    expected = torch.nn.utils.clip_grad_norm_(theirs, max_norm, norm_type)
    assert total.item() == pytest.approx(expected.item(), rel=1e-12)
    for p, tp in zip(ours, theirs):
        np.testing.assert_allclose(p.grad.numpy(), tp.grad.numpy(), rtol=1e-12)


def test_clip_grad_norm_returns_a_nonfinite_norm_instead_of_crashing():
    p = nn.Parameter(autograd.ones(2))
    p.grad = autograd.tensor([np.inf, 1.0])
    assert math.isinf(nn.utils.clip_grad_norm_([p], 1.0).item())


def test_clip_grad_norm_can_raise_on_a_nonfinite_norm():
    p = nn.Parameter(autograd.ones(2))
    p.grad = autograd.tensor([np.nan, 1.0])
    with pytest.raises(RuntimeError, match="non-finite"):
        nn.utils.clip_grad_norm_(p, 1.0, error_if_nonfinite=True)


def test_clip_grad_norm_of_no_gradients_is_zero():
    assert nn.utils.clip_grad_norm_([nn.Parameter(autograd.ones(2))], 1.0).item() == 0.0


def test_clip_grad_value_matches_torch():
    ours, theirs = _pair()
    nn.utils.clip_grad_value_(ours, 2.5)
    torch.nn.utils.clip_grad_value_(theirs, 2.5)
    for p, tp in zip(ours, theirs):
        assert np.array_equal(p.grad.numpy(), tp.grad.numpy())


def test_parameters_to_vector_matches_torch_and_is_differentiable():
    ours, theirs = _pair()
    vec = nn.utils.parameters_to_vector(ours)
    assert np.array_equal(vec.detach().numpy(), torch.nn.utils.parameters_to_vector(theirs).detach().numpy())
    (vec * 2).sum().backward()
    assert vec.requires_grad


def test_vector_to_parameters_fills_in_order():
    layer = nn.Linear(2, 2)
    nn.utils.vector_to_parameters(autograd.arange(6, dtype=np.float32), layer.parameters())
    assert layer.weight.detach().numpy().tolist() == [[0, 1], [2, 3]] and layer.bias.detach().numpy().tolist() == [4, 5]


def test_vector_to_parameters_rejects_a_wrong_length():
    with pytest.raises(RuntimeError, match="vec has 5 elements, the parameters 6"):
        nn.utils.vector_to_parameters(autograd.zeros(5), nn.Linear(2, 2).parameters())
