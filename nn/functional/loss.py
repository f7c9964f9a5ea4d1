"""Losses as functions, with torch.nn.functional's names, signatures, defaults and reductions.

Every loss takes ``reduction="mean" | "sum" | "none"``; most also take torch's deprecated
``size_average``/``reduce`` pair (which overrides ``reduction``, with torch's warning). The
cross-entropy family and the binary cross-entropies are fused primitives (autograd/ops/loss*.py);
the others are compositions of elementwise ops.

>>> import autograd as torch
>>> import nn.functional as F
>>> F.mse_loss(torch.tensor([1.0, 2.0]), torch.tensor([1.0, 4.0]))
tensor(2.)
"""

from __future__ import annotations

import warnings
from typing import Any

import numpy as np

from autograd import ops
from autograd.ops.loss import cross_entropy, not_differentiable, reduce_loss, reduction_mode
from autograd.ops.loss_bce import binary_cross_entropy, binary_cross_entropy_with_logits
from autograd.ops.loss_nll import nll_loss
from autograd.shapes import broadcast_shapes
from autograd.tensor import Tensor

__all__ = [
    "mse_loss",
    "l1_loss",
    "huber_loss",
    "smooth_l1_loss",
    "binary_cross_entropy",
    "binary_cross_entropy_with_logits",
    "cross_entropy",
    "nll_loss",
    "hinge_embedding_loss",
    "hinge_loss",
    "multi_margin_loss",
]


def _difference(input: Tensor, target: Any, op: str) -> Tensor:
    """input - target; torch's warning when the sizes differ, and an error naming both when they do not broadcast."""
    shape = getattr(target, "shape", ())
    if shape != input.shape:
        broadcast_shapes(op, input.shape, shape)
        warnings.warn(
            f"{op}: Using a target size ({shape}) that is different to the input size ({input.shape}). "
            "This will likely lead to incorrect results due to broadcasting. Please ensure they have the same size.",
            UserWarning,
            stacklevel=3,
        )
    return input - target


def _weighted(loss: Tensor, weight: Tensor | None, input: Tensor, reduction: str, mean_by_weight: bool) -> Tensor:
    """``loss * weight`` reduced; ``"mean"`` divides by sum(weight) or by the element count, as torch's loss does."""
    if weight is None:
        return reduce_loss(loss, reduction)
    if weight.shape != input.shape:
        raise ValueError(f"Weights and input must have the same size: weight {weight.shape}, input {input.shape}")
    loss = loss * weight
    if reduction == "mean" and mean_by_weight:
        return ops.sum(loss) / ops.sum(weight)
    return reduce_loss(loss, reduction)


def mse_loss(
    input: Tensor,
    target: Tensor,
    size_average: bool | None = None,
    reduce: bool | None = None,
    reduction: str = "mean",
    weight: Tensor | None = None,
) -> Tensor:
    """(x - y)**2, times ``weight`` if given (then ``"mean"`` divides by sum(weight), as torch).

    >>> import autograd as torch
    >>> import nn.functional as F
    >>> F.mse_loss(torch.tensor([0.0, 3.0]), torch.tensor([1.0, 1.0]), reduction="none")
    tensor([1., 4.])
    """
    reduction = reduction_mode(reduction, "mse_loss", size_average, reduce)
    d = _difference(input, target, "mse_loss")
    return _weighted(d * d, weight, input, reduction, mean_by_weight=True)


def l1_loss(
    input: Tensor,
    target: Tensor,
    size_average: bool | None = None,
    reduce: bool | None = None,
    reduction: str = "mean",
    weight: Tensor | None = None,
) -> Tensor:
    """|x - y| (mean absolute error), times ``weight`` if given (then ``"mean"`` divides by sum(weight)).

    >>> import autograd as torch
    >>> import nn.functional as F
    >>> F.l1_loss(torch.tensor([0.0, 3.0]), torch.tensor([1.0, 1.0]))
    tensor(1.5000)
    """
    reduction = reduction_mode(reduction, "l1_loss", size_average, reduce)
    d = _difference(input, target, "l1_loss")
    return _weighted(ops.abs(d), weight, input, reduction, mean_by_weight=True)


def huber_loss(
    input: Tensor, target: Tensor, reduction: str = "mean", delta: float = 1.0, weight: Tensor | None = None
) -> Tensor:
    """0.5 d**2 where |d| < delta, else delta (|d| - 0.5 delta), d = x - y; ``weight`` as torch (mean over elements).

    >>> import autograd as torch
    >>> import nn.functional as F
    >>> F.huber_loss(torch.tensor([0.5, 3.0]), torch.tensor([0.0, 0.0]), reduction="none")
    tensor([0.1250, 2.5000])
    """
    reduction = reduction_mode(reduction, "huber_loss", None, None)
    if delta <= 0:
        raise RuntimeError(f"huber_loss does not support non-positive values for delta (got delta={delta}).")
    d = _difference(input, target, "huber_loss")
    a = ops.abs(d)
    loss = ops.where(a < delta, d * d * 0.5, (a - 0.5 * delta) * delta)
    return _weighted(loss, weight, input, reduction, mean_by_weight=False)


def smooth_l1_loss(
    input: Tensor,
    target: Tensor,
    size_average: bool | None = None,
    reduce: bool | None = None,
    reduction: str = "mean",
    beta: float = 1.0,
) -> Tensor:
    """0.5 d**2 / beta where |d| < beta, else |d| - 0.5 beta, d = x - y (huber_loss / beta); beta = 0 is l1_loss.

    >>> import autograd as torch
    >>> import nn.functional as F
    >>> F.smooth_l1_loss(torch.tensor([0.5, 3.0]), torch.tensor([0.0, 0.0]), reduction="none", beta=2.0)
    tensor([0.0625, 2.0000])
    """
    reduction = reduction_mode(reduction, "smooth_l1_loss", size_average, reduce)
    if beta < 0:
        raise RuntimeError(f"smooth_l1_loss does not support negative values for beta (got beta={beta}).")
    d = _difference(input, target, "smooth_l1_loss")
    a = ops.abs(d)
    if beta == 0:
        return reduce_loss(a, reduction)
    return reduce_loss(ops.where(a < beta, d * d * (0.5 / beta), a - 0.5 * beta), reduction)


def hinge_embedding_loss(
    input: Tensor,
    target: Tensor,
    margin: float = 1.0,
    size_average: bool | None = None,
    reduce: bool | None = None,
    reduction: str = "mean",
) -> Tensor:
    """x where y = 1, max(0, margin - x) where y = -1 (both terms for any other y, as torch).

    ``input`` is typically a distance. The SVM hinge max(0, margin - y s) for scores s and labels
    y in {-1, 1} is ``hinge_embedding_loss(y * s, -ones, margin)``.

    >>> import autograd as torch
    >>> import nn.functional as F
    >>> F.hinge_embedding_loss(torch.tensor([0.3, 0.3]), torch.tensor([1.0, -1.0]), reduction="none")
    tensor([0.3000, 0.7000])
    """
    reduction = reduction_mode(reduction, "hinge_embedding_loss", size_average, reduce)
    target = target if isinstance(target, Tensor) else Tensor(target)
    broadcast_shapes("hinge_embedding_loss", input.shape, target.shape)
    below_margin = ops.where(target != 1, ops.clamp(margin - input, min=0), 0.0)
    return reduce_loss(below_margin + ops.where(target != -1, input, 0.0), reduction)


def hinge_loss(input: Tensor, target: Tensor, margin: float = 1.0, reduction: str = "mean") -> Tensor:
    """The SVM hinge for labels y in {-1, 1} and scores s: max(0, margin - y s). Not in torch.

    torch's nearest is ``hinge_embedding_loss``, which takes a distance rather than a score:
    ``hinge_loss(s, y)`` equals ``hinge_embedding_loss(y * s, -ones, margin)``.

    >>> import autograd as torch
    >>> import nn.functional as F
    >>> F.hinge_loss(torch.tensor([2.0, 0.5, -1.0]), torch.tensor([1.0, 1.0, 1.0]), reduction="none")
    tensor([0.0000, 0.5000, 2.0000])
    """
    reduction = reduction_mode(reduction, "hinge_loss", None, None)
    target = target if isinstance(target, Tensor) else Tensor(target)
    broadcast_shapes("hinge_loss", input.shape, target.shape)
    return reduce_loss(ops.clamp(margin - target * input, min=0), reduction)


def multi_margin_loss(
    input: Tensor,
    target: Tensor,
    p: int = 1,
    margin: float = 1.0,
    weight: Tensor | None = None,
    size_average: bool | None = None,
    reduce: bool | None = None,
    reduction: str = "mean",
) -> Tensor:
    """sum over i != y of weight[y] max(0, margin - x[y] + x[i])**p / C, for each row x and class index y.

    ``input`` is (N, C) or (C,); ``target`` holds one class index per row.

    >>> import autograd as torch
    >>> import nn.functional as F
    >>> F.multi_margin_loss(torch.tensor([[0.1, 0.2, 0.4, 0.8]]), torch.tensor([3]))
    tensor(0.3250)
    """
    reduction = reduction_mode(reduction, "multi_margin_loss", size_average, reduce)
    if p not in (1, 2):
        raise ValueError(f"multi_margin_loss: only p == 1 and p == 2 supported (got p={p})")
    target = target if isinstance(target, Tensor) else Tensor(target)
    w = _margin_checks(input, target, weight)
    rows = input.reshape(-1, input.shape[-1])
    t = target.reshape(-1, 1)
    z = ops.relu(rows - ops.gather(rows, 1, t) + margin)
    z = ops.where(t._data == np.arange(rows.shape[1]), 0.0, z if p == 1 else z * z)
    if w is not None:
        z = z * w[t._data]
    return reduce_loss(ops.sum(z, 1).reshape(target.shape) / input.shape[-1], reduction)


def _margin_checks(input: Tensor, target: Tensor, weight: Any) -> Any:
    """multi_margin_loss's argument checks, as torch's; the weight as a constant array."""
    if input.ndim not in (1, 2) or input.shape[-1] == 0:
        raise RuntimeError(
            f"multi_margin_loss: Expected non-empty vector or matrix with optional 0-dim batch size, "
            f"but got: {list(input.shape)}"
        )
    rows = input.shape[0] if input.ndim == 2 else 1
    if target.numel() != rows or target.ndim > 1:
        raise RuntimeError(
            f"multi_margin_loss: target tensor should be 1-D with size equal to the number of input samples "
            f"(batch size). Expected target size [{rows}], but got {list(target.shape)}. Input has shape "
            f"{list(input.shape)}."
        )
    if target.dtype.kind not in "iu":
        raise RuntimeError(f"multi_margin_loss: expected class indices of an integer dtype, got {target.dtype}")
    t = target._data
    if t.size and (t.min() < 0 or t.max() >= input.shape[-1]):
        bad = t[(t < 0) | (t >= input.shape[-1])].flat[0]
        raise RuntimeError(f"multi_margin_loss: target {bad} out of range for {input.shape[-1]} classes")
    if weight is None:
        return None
    not_differentiable("multi_margin_loss", "weight", weight)
    if weight.ndim != 1:
        raise ValueError(f"multi_margin_loss: weight must be one-dimensional, got shape {weight.shape}")
    if weight.shape[0] != input.shape[-1]:
        raise RuntimeError(
            f"multi_margin_loss: inconsistent weight size, expected {input.shape[-1]} but got {list(weight.shape)}"
        )
    return weight._data.astype(input.dtype, copy=False)
