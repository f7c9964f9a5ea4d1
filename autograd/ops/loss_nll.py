"""The negative log-likelihood loss: -weight[t] * input[t] for log-probabilities and class indices.

A primitive for speed (one gather and one scatter, not an indexing op and a masked copy per call);
its backward is a constant scatter times the upstream gradient, so it stays differentiable.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from autograd.function import Function, Node
from autograd.ops.loss import (
    REDUCTIONS,
    check_class_target,
    class_weight,
    pick_targets,
    reduced,
    reduction_mode,
    scale_of,
)
from autograd.ops.registry import Sample, register
from autograd.ops.samples import uniform
from autograd.tensor import Tensor

__all__: list[str] = []  # reached as nn.functional.nll_loss (torch has no top-level nll_loss)


class NllLoss(Function):
    @staticmethod
    def forward(ctx: Node, x: Any, target: Any, weight: Any, ignore: int | None, reduction: str, axis: int) -> Any:
        picks = pick_targets(x, target, axis, weight, ignore)
        losses = -np.ascontiguousarray(x).reshape(-1)[picks.flat]
        if picks.keep is not None:  # before weighting: an ignored row's stand-in entry may be -inf
            losses = np.where(picks.keep, losses, 0)
        if weight is not None or picks.keep is not None:  # otherwise every weight is 1
            losses *= picks.wt
        ctx.picks, ctx.shape, ctx.dtype, ctx.axis, ctx.reduction = picks, x.shape, x.dtype, axis, reduction
        return reduced(losses.reshape(target.shape), reduction, picks.total)

    @staticmethod
    def backward(ctx: Node, gy: Any) -> Any:
        picks = ctx.picks
        g = np.zeros(ctx.shape, ctx.dtype)
        g.reshape(-1)[picks.flat] = -picks.wt
        return g * scale_of(gy, ctx.reduction, ctx.axis, picks), None, None, None, None, None


def _nll_samples(rng: np.random.Generator) -> Any:
    """Every reduction with weights and an ignored target, (C,) and (N, C, d) inputs, an empty batch."""

    def log_probs(shape: tuple[int, ...], axis: int) -> np.ndarray:
        x = uniform(rng, shape)
        return x - np.log(np.exp(x).sum(axis=axis, keepdims=True))

    for reduction in REDUCTIONS:
        yield Sample((log_probs((4, 5), 1), rng.integers(0, 5, 4)), {"reduction": reduction}, note=reduction)
        yield Sample(
            (log_probs((4, 3), 1), np.array([2, -100, 0, 2]), rng.uniform(0.5, 2, 3)),
            {"reduction": reduction},
            grad=(True, False, False),
            note=f"weight and ignore_index, {reduction}",
        )
    yield Sample((log_probs((5,), 0), np.array(3)), note="one sample, 0-d target")
    yield Sample((log_probs((2, 3, 4), 1), rng.integers(0, 3, (2, 4))), {"ignore_index": 0}, note="(N, C, d)")
    yield Sample((log_probs((0, 4), 1), np.zeros(0, np.int64)), {"reduction": "sum"}, note="empty batch")


@register(_nll_samples, torch=lambda t, *a, **k: t.nn.functional.nll_loss(*a, **k))
def nll_loss(
    input: Tensor,
    target: Tensor,
    weight: Tensor | None = None,
    size_average: bool | None = None,
    ignore_index: int = -100,
    reduce: bool | None = None,
    reduction: str = "mean",
) -> Tensor:
    """-weight[t] * input[t] for each target t; ``"mean"`` divides by the summed weight of non-ignored targets.

    ``input`` holds log-probabilities: (N, C), (N, C, d...) or (C,); ``target`` the class indices
    (the input's shape without the class dim). Index targets of any integer dtype are accepted
    (torch: only int64 and uint8). ``size_average`` and ``reduce`` are torch's deprecated spelling
    of ``reduction``.

    >>> import autograd as torch
    >>> from autograd.ops.loss_nll import nll_loss
    >>> nll_loss(torch.tensor([[-0.5, -2.0], [-1.0, -0.25]]), torch.tensor([0, 1]))
    tensor(0.3750)
    """
    reduction = reduction_mode(reduction, "nll_loss", size_average, reduce)
    if input.ndim == 0:
        raise ValueError("nll_loss: input must have a class dimension, got a 0-d tensor")
    target = target if isinstance(target, Tensor) else Tensor(target)
    axis = 1 if input.ndim >= 2 else 0
    may_ignore = check_class_target(input, target, axis, ignore_index, "nll_loss")
    w = class_weight(weight, input.shape[axis], input.dtype, "nll_loss")
    return NllLoss.apply(input, target, w, ignore_index if may_ignore else None, reduction, axis)
