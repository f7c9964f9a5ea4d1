"""Cross-entropy from logits, and what every loss shares: reduction modes and class-index targets.

With class-index targets, cross-entropy is one fused primitive, for speed (one node, one softmax)
and stability (the max is subtracted before exp). Its backward is ``softmax(x) * sum(q) - q``, q
the weighted, smoothed target distribution; first order it works in place on a fresh array. With
class-probability targets it is the composition ``-sum(q * log_softmax(x))``, differentiable in the
target too; the same composition is the fused form's test reference.
"""

from __future__ import annotations

import math
import warnings
from dataclasses import dataclass
from typing import Any

import numpy as np

from autograd.function import Function, Node
from autograd.ops import reduce
from autograd.ops.registry import Sample, register
from autograd.ops.samples import uniform
from autograd.ops.softmax import _shifted, log_softmax, softmax
from autograd.tensor import Tensor

__all__ = ["cross_entropy"]

REDUCTIONS = ("mean", "sum", "none")
# The unsigned dtype of each integer dtype (itself for unsigned ones), for check_class_target's one-max bounds check.
_UNSIGNED = {np.dtype(c): np.dtype(c.upper()) for c in "bhilqBHILQ"}
_max_of = np.maximum.reduce
_sum_of = np.add.reduce
# Where each target's row starts in the flattened input, by (targets, classes, inner size); see _row_starts.
_ROW_STARTS: dict[tuple[int, int, int], np.ndarray] = {}


def reduction_mode(reduction: str, op: str, size_average: bool | None = None, reduce: bool | None = None) -> str:
    """The checked reduction; the deprecated ``size_average``/``reduce`` pair overrides it with a warning, as torch."""
    if size_average is not None or reduce is not None:
        reduction = "none" if reduce is False else "sum" if size_average is False else "mean"
        warnings.warn(
            f"size_average and reduce args will be deprecated, please use reduction='{reduction}' instead.",
            UserWarning,
            stacklevel=3,
        )
    if reduction not in REDUCTIONS:
        raise ValueError(f"{op}: {reduction!r} is not a valid value for reduction (expected one of {REDUCTIONS})")
    return reduction


def reduce_loss(loss: Tensor, reduction: str) -> Tensor:
    """Elementwise losses reduced by ``reduction``: as they are, their sum or their mean."""
    if reduction == "none":
        return loss
    return reduce.sum(loss) if reduction == "sum" else reduce.mean(loss)


def not_differentiable(op: str, name: str, value: Any) -> None:
    """Raise as torch does when an argument it treats as a constant requires grad."""
    if isinstance(value, Tensor) and value.requires_grad:
        raise RuntimeError(
            f"The function '{op}' is not differentiable with respect to argument '{name}'. "
            "This input cannot have requires_grad True."
        )


def class_weight(weight: Any, classes: int, dtype: np.dtype, op: str, constant: bool = True) -> np.ndarray | None:
    """A per-class ``weight`` as an array of ``dtype`` with one entry per class (not requiring grad if constant)."""
    if weight is None:
        return None
    if constant:
        not_differentiable(op, "weight", weight)
    w = weight._data if isinstance(weight, Tensor) else np.asarray(weight)
    if w.shape != (classes,):
        raise RuntimeError(
            f"{op}: weight tensor should be defined either for all {classes} classes or no classes "
            f"but got weight tensor of shape: {list(w.shape)}"
        )
    return w.astype(dtype, copy=False)


def check_class_target(input: Tensor, target: Tensor, axis: int, ignore_index: int, op: str) -> bool:
    """Integer class indices, shaped as the input without its class dim ``axis``, each in range or ignored.

    Returns whether some target may equal ``ignore_index`` (False lets the loss skip looking for them).
    """
    x, t = input._data, target._data
    shape = x.shape
    expected = shape[:axis] + shape[axis + 1 :]
    if t.dtype.kind not in "iu":
        raise RuntimeError(
            f"{op}: expected class indices of an integer dtype (Long), but the target {t.shape} is {t.dtype}"
            f" (class probabilities must have the input's shape {shape})"
        )
    if t.shape != expected:
        raise ValueError(
            f"{op}: target shape {t.shape} does not match input shape {shape} "
            f"(expected {expected}: the input without its class dim {axis})"
        )
    classes = shape[axis]
    # Read as unsigned, a negative index is huge: one max checks both bounds.
    if t.size == 0 or _max_of(t.view(_UNSIGNED[t.dtype]), None) < classes:
        return 0 <= ignore_index < classes
    bad = (t != ignore_index) & ((t < 0) | (t >= classes))
    if bad.any():
        raise IndexError(f"{op}: Target {t[bad].flat[0]} is out of bounds for {classes} classes")
    return True


@dataclass
class Picks:
    """Where each class-index target sits in the flattened (C-order) input, and its weight."""

    flat: np.ndarray  # index of each target's entry in input.reshape(-1)
    keep: np.ndarray | None  # False where the target is ignore_index; None when none is
    wt: np.ndarray | float  # the weight of each target's class, 0 where ignored (1.0 without weights or ignores)
    total: float  # sum of wt: the divisor of reduction="mean"


def pick_targets(x: np.ndarray, target: np.ndarray, axis: int, weight: Any, ignore_index: int | None) -> Picks:
    """The entries ``x[n, target[n, d...], d...]`` of ``x`` (classes on ``axis``), and their weights.

    ``ignore_index`` is None when no target can be ignored (``check_class_target`` says so).
    """
    shape, t = x.shape, target.reshape(-1)
    keep, kept = None, t.size
    if ignore_index is not None:
        keep = t != ignore_index
        kept = np.count_nonzero(keep)
        keep = None if kept == t.size else keep
    cols = t if keep is None else np.where(keep, t, 0)
    inner = math.prod(shape[axis + 1 :])
    starts = _row_starts(t.size, shape[axis], inner)
    flat = starts + cols if inner == 1 else starts + cols.astype(np.intp, copy=False) * inner  # no uint8 overflow
    if weight is None:
        return Picks(flat, keep, 1.0 if keep is None else keep.astype(x.dtype), float(kept))
    wt = weight[cols] if keep is None else weight[cols] * keep
    return Picks(flat, keep, wt, float(wt.sum()))


def _row_starts(size: int, classes: int, inner: int) -> np.ndarray:
    """Where target m's entry for class 0 sits in the flattened input (add ``class * inner`` for its own).

    Cached (read-only): a training loop asks for the same few batch shapes at every step.
    """
    key = (size, classes, inner)
    starts = _ROW_STARTS.get(key)
    if starts is None:
        m = np.arange(size)
        starts = m // inner * (classes * inner) + m % inner
        starts.flags.writeable = False
        if len(_ROW_STARTS) >= 64:
            _ROW_STARTS.clear()
        _ROW_STARTS[key] = starts
    return starts


def scale_of(gy: Any, reduction: str, axis: int, picks: Picks) -> Any:
    """The upstream gradient of each target, broadcastable along the class ``axis``."""
    if reduction == "none":
        return np.expand_dims(gy, axis)
    if reduction == "sum":
        return gy
    if picks.total:
        return gy / picks.total
    # No weight to divide by. With every target ignored each gradient is 0, as in torch; with kept
    # targets of weight 0 it is nan, as in torch (nan * 0 raises no floating-point warning; inf * 0 would).
    return gy if picks.keep is not None and not picks.keep.any() else gy * math.nan


def reduced(losses: np.ndarray, reduction: str, total: float) -> np.ndarray:
    """Per-target losses (arrays) reduced: as they are, their sum, or their sum over ``total``."""
    if reduction == "none":
        return losses
    if reduction == "sum" or total:
        return np.asarray(_sum_of(losses, None) if reduction == "sum" else _sum_of(losses, None) / total)
    with np.errstate(divide="ignore", invalid="ignore"):  # no target counted: 0 / 0 = nan, as in PyTorch
        return np.asarray(_sum_of(losses, None) / total)


def along(w: np.ndarray, axis: int, ndim: int) -> np.ndarray:
    """A per-class vector shaped to broadcast along ``axis`` of an ``ndim``-d array."""
    return w.reshape([-1 if i == axis else 1 for i in range(ndim)])


class CrossEntropy(Function):
    """Fused cross-entropy of logits (classes on ``axis``) and class indices.

    loss = -sum_c q_c log_softmax(x)_c with q = (1 - eps) w_t one_hot(t) + (eps / C) w, so dx = softmax(x) sum(q) - q.
    """

    @staticmethod
    def forward(ctx: Node, x: Any, target: Any, options: tuple[Any, int | None, str, float, int]) -> Any:
        weight, ignore, reduction, eps, axis = options
        picks = pick_targets(x, target, axis, weight, ignore)
        z = _shifted(np.ascontiguousarray(x), (axis,))
        sums = _sum_of(np.exp(z), axis, None, None, True)
        if 0 in sums:  # a row all -inf: -inf - log(0) is nan, as in PyTorch (no warning)
            with np.errstate(divide="ignore", invalid="ignore"):
                log_p = z - np.log(sums)
        else:
            log_p = z - np.log(sums)
        losses = -log_p.reshape(-1)[picks.flat]
        if picks.keep is not None:  # before weighting: an ignored row's stand-in class may have log p = -inf
            losses = np.where(picks.keep, losses, 0)
        if weight is not None or picks.keep is not None:  # otherwise every weight is 1
            losses *= picks.wt
        ctx.smooth = None
        if eps:
            ctx.smooth = (eps / x.shape[axis]) * (1.0 if weight is None else along(weight, axis, x.ndim))
            smooth = (log_p * ctx.smooth).sum(axis=axis).reshape(-1)
            losses = (1 - eps) * losses - (smooth if picks.keep is None else np.where(picks.keep, smooth, 0))
        ctx.log_p, ctx.picks, ctx.eps, ctx.axis, ctx.reduction = log_p, picks, eps, axis, reduction
        ctx.row_sums = None if weight is None and picks.keep is None else _row_sums(picks, weight, eps, target.shape)
        ctx.save_for_backward(x)
        return reduced(losses.reshape(target.shape), reduction, picks.total)

    @staticmethod
    def backward(ctx: Node, gy: Any) -> Any:
        (x,) = ctx.saved_tensors
        picks, axis, eps = ctx.picks, ctx.axis, ctx.eps
        s = None if ctx.row_sums is None else np.expand_dims(ctx.row_sums, axis)
        smooth = None if ctx.smooth is None else ctx.smooth * _kept(picks, axis, ctx.log_p.shape)
        scale = scale_of(gy, ctx.reduction, axis, picks)
        if type(x) is np.ndarray:
            # First order: softmax from forward's log-probabilities, q subtracted in place.
            g = np.exp(ctx.log_p)
            if s is not None:
                g *= s
            g.reshape(-1)[picks.flat] -= (1 - eps) * picks.wt
            if smooth is not None:
                g -= smooth
            g *= scale
            return g, None, None
        # Under create_graph the softmax is recomputed from the saved logits, so it is differentiable too.
        q = np.zeros(ctx.log_p.shape, ctx.log_p.dtype)
        q.reshape(-1)[picks.flat] = (1 - eps) * picks.wt
        if smooth is not None:
            q += smooth
        p = softmax(x, axis)
        return (p - q if s is None else p * s - q) * scale, None, None


def _row_sums(picks: Picks, weight: Any, eps: float, shape: tuple[int, ...]) -> np.ndarray:
    """sum_c q_c for each target: (1 - eps) w_t + eps mean(w), 0 where ignored."""
    mean_w = 1.0 if weight is None else float(weight.mean())
    kept = 1.0 if picks.keep is None else picks.keep
    return ((1 - eps) * picks.wt + eps * mean_w * kept).reshape(shape)


def _kept(picks: Picks, axis: int, shape: tuple[int, ...]) -> Any:
    """1 for each kept target, 0 for each ignored one, broadcastable along the class ``axis``."""
    if picks.keep is None:
        return 1.0
    return np.expand_dims(picks.keep.reshape(shape[:axis] + shape[axis + 1 :]), axis)


def _probability_target(input: Tensor, target: Tensor, weight: Any, reduction: str, eps: float, axis: int) -> Tensor:
    """-sum_c q_c log_softmax(x)_c with q = (target (1 - eps) + eps / C) w; mean divides by the number of rows."""
    if target.dtype.kind != "f":
        raise RuntimeError(
            f"cross_entropy: Expected floating point type for target with class probabilities, got {target.dtype}"
        )
    classes = input.shape[axis]
    q = target if not eps else target * (1 - eps) + eps / classes
    if weight is not None:
        class_weight(weight, classes, input.dtype, "cross_entropy", constant=False)
        q = q * weight.reshape([-1 if i == axis else 1 for i in range(input.ndim)])
    loss = -reduce.sum(q * log_softmax(input, axis), axis)
    if reduction == "none":
        return loss
    total = reduce.sum(loss)
    return total if reduction == "sum" else total / (input.numel() / max(classes, 1))


def cross_entropy_samples(rng: np.random.Generator) -> Any:
    """Index and probability targets over (N, C), (C,) and (N, C, d) inputs, with every option."""

    def classes(shape: tuple[int, ...], n: int) -> np.ndarray:
        return rng.integers(0, n, size=shape).astype(np.int64)

    for reduction in REDUCTIONS:
        yield Sample((uniform(rng, (4, 5)), classes((4,), 5)), {"reduction": reduction}, note=reduction)
        yield Sample(
            (uniform(rng, (3, 4)), np.array([2, -100, 0]), rng.uniform(0.5, 2, 4)),
            {"reduction": reduction, "label_smoothing": 0.2},
            grad=(True, False, False),
            note=f"weight, ignore_index and smoothing, {reduction}",
        )
        yield Sample(
            (uniform(rng, (2, 3, 4)), rng.dirichlet(np.ones(3), (2, 4)).transpose(0, 2, 1), rng.uniform(0.5, 2, 3)),
            {"reduction": reduction, "label_smoothing": 0.1},
            grad=(True, True, False),
            note=f"probabilities on dim 1, weight and smoothing, {reduction}",
        )
    yield Sample((uniform(rng, (5,)), classes((), 5)), {"label_smoothing": 0.3}, note="one sample, 0-d target")
    yield Sample((uniform(rng, (2, 3, 4)), classes((2, 4), 3)), {"ignore_index": 1}, note="(N, C, d), ignore class 1")
    yield Sample((uniform(rng, (3, 4), -500.0, 500.0), classes((3,), 4)), note="large logits")
    yield Sample((uniform(rng, (0, 4)), classes((0,), 4)), {"reduction": "sum"}, note="empty batch")
    yield Sample((uniform(rng, (3, 4)), rng.dirichlet(np.ones(4), 3)), note="probabilities as target")


@register(cross_entropy_samples, torch=lambda t, *a, **k: t.nn.functional.cross_entropy(*a, **k))
def cross_entropy(
    input: Tensor,
    target: Tensor,
    weight: Tensor | None = None,
    size_average: bool | None = None,
    ignore_index: int = -100,
    reduce: bool | None = None,
    reduction: str = "mean",
    label_smoothing: float = 0.0,
) -> Tensor:
    """-sum_c q_c log_softmax(input)_c, q the target distribution (one-hot for class indices), weighted and smoothed.

    ``input`` is (N, C), (N, C, d...) or (C,). ``target`` holds class indices (the input's shape without
    the class dim, integer dtype) or class probabilities (the input's shape). With ``label_smoothing``
    eps, q becomes (1 - eps) q + eps / C; with ``weight``, q_c is scaled by weight[c]. ``"mean"``
    divides by the summed weight of the non-ignored targets (index targets) or by the number of rows
    (probability targets), as torch. Index targets of any integer dtype are accepted (torch: only int64
    and uint8). ``size_average`` and ``reduce`` are torch's deprecated spelling of ``reduction``.

    >>> import autograd as torch
    >>> torch.cross_entropy(torch.tensor([[1000.0, 0.0]]), torch.tensor([1]))
    tensor(1000.)
    >>> round(torch.cross_entropy(torch.tensor([0.0, 1.0]), torch.tensor([0.5, 0.5])).item(), 4)
    0.8133
    """
    reduction = reduction_mode(reduction, "cross_entropy", size_average, reduce)
    if not 0.0 <= label_smoothing <= 1.0:
        raise RuntimeError(f"cross_entropy: label_smoothing must be between 0.0 and 1.0. Got: {label_smoothing}")
    ndim = input._data.ndim
    if ndim == 0:
        raise ValueError("cross_entropy: input must have a class dimension, got a 0-d tensor")
    target = target if isinstance(target, Tensor) else Tensor(target)
    axis = 1 if ndim >= 2 else 0
    if target._data.shape == input._data.shape:
        if ignore_index >= 0:
            raise RuntimeError(f"cross_entropy: ignore_index={ignore_index} is not supported for probability targets")
        return _probability_target(input, target, weight, reduction, label_smoothing, axis)
    may_ignore = check_class_target(input, target, axis, ignore_index, "cross_entropy")
    w = class_weight(weight, input.shape[axis], input.dtype, "cross_entropy")
    options = (w, ignore_index if may_ignore else None, reduction, label_smoothing, axis)
    return CrossEntropy.apply(input, target, options)
