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


def test_a_row_of_minus_infinity_gives_nan_as_torch_and_no_warning():
    import torch as reference

    logits = np.array([[-np.inf, -np.inf, -np.inf], [1.0, 2.0, 0.5]])
    target = np.array([0, 1])
    x = torch.tensor(logits, requires_grad=True)
    with np.errstate(all="raise"):  # pytest also turns warnings into errors
        loss = torch.cross_entropy(x, torch.tensor(target), reduction="none")
        loss.sum().backward()
    xr = reference.tensor(logits, requires_grad=True)
    expected = reference.nn.functional.cross_entropy(xr, reference.tensor(target), reduction="none")
    expected.sum().backward()
    np.testing.assert_allclose(loss.detach().numpy(), expected.detach().numpy(), rtol=1e-12)
    np.testing.assert_allclose(x.grad.numpy(), xr.grad.numpy(), rtol=1e-12)
    assert np.isnan(loss.detach().numpy()[0]) and np.isnan(x.grad.numpy()[0]).all()


def test_small_integer_targets_index_wide_spatial_inputs():
    """(N, C, d) with d > 255 and uint8 targets: the flat index must not overflow the target dtype."""
    rng = np.random.default_rng(2)
    logits = rng.normal(size=(2, 3, 300))
    target = rng.integers(0, 3, (2, 300))
    small = torch.cross_entropy(torch.tensor(logits), torch.tensor(target.astype(np.uint8)))
    wide = torch.cross_entropy(torch.tensor(logits), torch.tensor(target))
    assert small.item() == wide.item()
