"""The fused cross-entropy agrees with its composite reference: log_softmax, then the target entries."""

import numpy as np
import pytest

import autograd as torch


@pytest.mark.parametrize("reduction", ["mean", "sum", "none"])
def test_fused_cross_entropy_matches_the_composition(reduction):
    rng = np.random.default_rng(0)
    logits = rng.normal(size=(6, 5)) * 3
    target = np.array([0, 4, -100, 2, 2, 1])
    x1 = torch.tensor(logits, requires_grad=True)
    x2 = torch.tensor(logits, requires_grad=True)
    fused = torch.cross_entropy(x1, torch.tensor(target), reduction=reduction)
    keep = target != -100
    picked = -torch.log_softmax(x2, 1)[np.arange(6)[keep], target[keep]]
    composite = {"mean": picked.mean(), "sum": picked.sum(), "none": None}[reduction]
    if reduction == "none":
        composite = torch.zeros(6, dtype=torch.float64)
        composite[np.flatnonzero(keep)] = picked
    assert np.allclose(fused.detach().numpy(), composite.detach().numpy(), rtol=1e-12, atol=0)
    upstream = torch.tensor(rng.normal(size=fused.shape))
    fused.backward(upstream)
    composite.backward(upstream)
    assert np.allclose(x1.grad.numpy(), x2.grad.numpy(), rtol=1e-12, atol=1e-15)


def test_fused_cross_entropy_is_twice_differentiable():
    x = torch.tensor(np.random.default_rng(1).normal(size=(3, 4)), requires_grad=True)
    assert torch.gradgradcheck(lambda t: torch.cross_entropy(t, torch.tensor([0, 3, 1])), [x])
