"""Cross-entropy from logits: -log_softmax(x)[target], stable at any scale.

For class-index targets on (N, C) or (C,) logits it is one fused primitive (for
speed: one node, one softmax, and a backward of softmax - one_hot); other forms
(class probabilities, (N, C, d...) inputs) are the composition log_softmax, then
the target entries, which is also the fused form's test reference.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from autograd.function import Function
from autograd.ops import reduce
from autograd.ops.registry import Sample, register
from autograd.ops.samples import uniform
from autograd.ops.softmax import _shifted, log_softmax, softmax
from autograd.tensor import Tensor

__all__ = ["cross_entropy"]

REDUCTIONS = ("mean", "sum", "none")


class CrossEntropy(Function):
    """Fused cross-entropy of (N, C) logits and N class indices: dx = (softmax(x) - one_hot) * gy."""

    @staticmethod
    def forward(ctx: Function, x: Any, target: Any, ignore_index: int, reduction: str) -> Any:
        keep = target != ignore_index
        ctx.count = int(keep.sum())
        ctx.ignored = ctx.count < target.size
        ctx.rows = np.arange(target.size)
        ctx.columns = np.where(keep, target, 0).reshape(-1) if ctx.ignored else target.reshape(-1)
        z = _shifted(x, (x.ndim - 1,))
        with np.errstate(divide="ignore"):
            log_p = z - np.log(np.exp(z).sum(axis=-1, keepdims=True))
        losses = -log_p.reshape(-1, x.shape[-1])[ctx.rows, ctx.columns].reshape(target.shape)
        if ctx.ignored:
            losses = np.where(keep, losses, 0)
        ctx.log_p, ctx.keep, ctx.reduction = log_p, keep, reduction
        ctx.save_for_backward(x)
        if reduction == "none":
            return losses
        total = losses.sum()
        if reduction == "sum":
            return total
        with np.errstate(divide="ignore", invalid="ignore"):  # an empty batch gives nan, as in PyTorch
            return np.asarray(total / ctx.count)

    @staticmethod
    def backward(ctx: Function, gy: Any) -> Any:
        (x,) = ctx.saved_tensors
        reduction = ctx.reduction
        scale = np.expand_dims(gy, -1) if reduction == "none" else gy if reduction == "sum" else gy / max(ctx.count, 1)
        if type(x) is np.ndarray:
            # First order: softmax from forward's log-probabilities, one_hot subtracted in place.
            g = np.exp(ctx.log_p)
            g.reshape(-1, g.shape[-1])[ctx.rows, ctx.columns] -= 1
            if ctx.ignored:
                g *= np.expand_dims(ctx.keep, -1)
            g *= scale
            return g, None, None, None
        # Under create_graph the softmax is recomputed from the saved logits, so it is differentiable too.
        one_hot = np.zeros(ctx.log_p.shape, ctx.log_p.dtype)
        one_hot.reshape(-1, one_hot.shape[-1])[ctx.rows, ctx.columns] = 1
        return (softmax(x, -1) - one_hot) * np.expand_dims(ctx.keep, -1) * scale, None, None, None


class PickTarget(Function):
    """``x[..., target, ...]`` along ``axis`` (the gather of the NLL loss); 0 where target is ignored."""

    @staticmethod
    def forward(ctx: Function, x: Any, target: Any, axis: int, ignore_index: int) -> Any:
        keep = target != ignore_index
        index = np.expand_dims(np.where(keep, target, 0), axis)
        n = x.shape[axis]
        classes = np.arange(n).reshape([n if i == axis else 1 for i in range(x.ndim)])
        ctx.hit, ctx.kept = (classes == index) & np.expand_dims(keep, axis), index.shape
        picked = np.take_along_axis(x, index, axis).reshape(target.shape)
        return np.where(keep, picked, 0)

    @staticmethod
    def backward(ctx: Function, gy: Any) -> Any:
        return gy.reshape(ctx.kept) * ctx.hit, None, None, None


def _check_target(input: Tensor, target: Tensor, axis: int, ignore_index: int) -> None:
    expected = input.shape[:axis] + input.shape[axis + 1 :]
    if target.shape != expected:
        raise ValueError(
            f"cross_entropy: target shape {target.shape} does not match input shape {input.shape} "
            f"(expected {expected}: the input without its class dim {axis})"
        )
    t = target._data
    if t.size == 0 or (t.min() >= 0 and t.max() < input.shape[axis]):
        return
    bad = (t != ignore_index) & ((t < 0) | (t >= input.shape[axis]))
    if bad.any():
        raise IndexError(f"cross_entropy: Target {t[bad].flat[0]} is out of bounds for {input.shape[axis]} classes")


def cross_entropy_samples(rng: np.random.Generator) -> Any:
    """Every reduction, a 0-d target, (N, C, d) inputs, ignore_index, large logits, no rows, probabilities."""

    def classes(shape: tuple[int, ...], n: int) -> np.ndarray:
        return rng.integers(0, n, size=shape).astype(np.int64)

    for reduction in ("mean", "sum", "none"):
        yield Sample((uniform(rng, (4, 5)), classes((4,), 5)), {"reduction": reduction}, note=reduction)
    yield Sample((uniform(rng, (5,)), classes((), 5)), note="one sample, 0-d target")
    yield Sample((uniform(rng, (2, 3, 4)), classes((2, 4), 3)), note="classes on dim 1 of (N, C, d)")
    yield Sample((uniform(rng, (3, 4)), np.array([2, -100, 0])), note="ignore_index")
    yield Sample((uniform(rng, (3, 4), -500.0, 500.0), classes((3,), 4)), note="large logits")
    yield Sample((uniform(rng, (0, 4)), classes((0,), 4)), {"reduction": "sum"}, note="empty batch")
    yield Sample((uniform(rng, (3, 4)), rng.dirichlet(np.ones(4), 3)), note="probabilities as target")


@register(cross_entropy_samples, torch=lambda t, *a, **k: t.nn.functional.cross_entropy(*a, **k))
def cross_entropy(input: Tensor, target: Tensor, *, ignore_index: int = -100, reduction: str = "mean") -> Tensor:
    """-log_softmax(input)[target], averaged over the targets not equal to ``ignore_index``.

    ``input`` is (N, C), (N, C, d...) or (C,); ``target`` holds class indices of the
    input's shape without the class dim, or class probabilities of the input's shape.

    >>> import autograd as torch
    >>> torch.cross_entropy(torch.tensor([[1000.0, 0.0]]), torch.tensor([1]))
    tensor(1000.)
    """
    if reduction not in REDUCTIONS:
        raise ValueError(f"cross_entropy: reduction={reduction!r} is not one of {REDUCTIONS}")
    target = target if isinstance(target, Tensor) else Tensor(target)
    axis = 1 if input.ndim >= 2 else 0
    if target.dtype.kind == "f":
        if target.shape != input.shape:
            raise ValueError(f"cross_entropy: probabilities {target.shape} must have the input's shape {input.shape}")
        loss = -reduce.sum(target * log_softmax(input, axis), axis)
        count = loss.numel()
    else:
        _check_target(input, target, axis, ignore_index)
        if input.ndim <= 2:
            return CrossEntropy.apply(input, target, ignore_index, reduction)
        loss = -PickTarget.apply(log_softmax(input, axis), target, axis, ignore_index)
        count = int(np.sum(target._data != ignore_index))
    if reduction == "none":
        return loss
    total = reduce.sum(loss)
    return total if reduction == "sum" else total / count
