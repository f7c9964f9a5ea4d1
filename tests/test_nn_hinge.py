"""The SVM hinge (nn.HingeLoss, F.hinge_loss), which torch lacks: checked against torch's hinge_embedding_loss."""

import numpy as np
import pytest
import torch

import autograd
import nn
import nn.functional as F


@pytest.mark.parametrize("reduction", ["mean", "sum", "none"])
@pytest.mark.parametrize("margin", [1.0, 0.5])
def test_hinge_loss_value_and_gradient_match_torchs_hinge_embedding_of_label_times_score(reduction, margin):
    rng = np.random.default_rng(0)
    s, y = rng.normal(size=(6, 3)), rng.choice([-1.0, 1.0], size=(6, 3))
    ours_s = autograd.tensor(s, requires_grad=True)
    ours = F.hinge_loss(ours_s, autograd.tensor(y), margin=margin, reduction=reduction)
    ours.sum().backward()
    theirs_s = torch.tensor(s, requires_grad=True)
    theirs = torch.nn.functional.hinge_embedding_loss(
        torch.tensor(y) * theirs_s, -torch.ones(6, 3, dtype=torch.float64), margin=margin, reduction=reduction
    )
    theirs.sum().backward()
    np.testing.assert_allclose(ours.detach().numpy(), theirs.detach().numpy(), rtol=1e-12)
    np.testing.assert_allclose(ours_s.grad.numpy(), theirs_s.grad.numpy(), rtol=1e-12)


def test_hinge_loss_is_zero_beyond_the_margin_and_linear_inside_it():
    loss = F.hinge_loss(
        autograd.tensor([3.0, 1.0, 0.25, -2.0]), autograd.tensor([1.0, 1.0, 1.0, -1.0]), reduction="none"
    )
    assert loss.tolist() == [0.0, 0.0, 0.75, 0.0]


def test_hinge_loss_passes_gradcheck():
    s = autograd.tensor([0.3, -0.7, 1.6, 0.1], dtype=autograd.float64, requires_grad=True)
    y = autograd.tensor([1.0, -1.0, 1.0, -1.0], dtype=autograd.float64)
    assert autograd.gradcheck(lambda s: F.hinge_loss(s, y, margin=0.9), (s,))


def test_hinge_loss_module_repr_and_bad_reduction():
    assert repr(nn.HingeLoss(margin=2.0)) == "HingeLoss()"
    with pytest.raises(ValueError, match="reduction"):
        nn.HingeLoss(reduction="average")


def test_svm_hinge_for_plus_minus_1_labels_is_hinge_embedding_of_label_times_score():
    scores, labels = autograd.tensor([0.3, -2.0, 1.5, -0.2]), autograd.tensor([1.0, -1.0, -1.0, 1.0])
    svm = F.hinge_embedding_loss(labels * scores, -autograd.ones(4), margin=1.0, reduction="none")
    assert svm.tolist() == pytest.approx(np.maximum(0, 1 - labels.numpy() * scores.numpy()).tolist())
