"""Binary cross-entropy, from probabilities and from logits.

Both are primitives for numerical stability. From probabilities, each log is clamped at -100 and
the gradient's denominator x (1 - x) at 1e-12, as torch, so p = 0 or 1 gives finite values. From
logits, the log-sum-exp form ``(1 - y) x - log_sigmoid(x)`` never overflows (finite at +-1000) and
the gradient is exactly ``sigmoid(x) - y``. Both reduce afterwards with ordinary sum and mean.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from autograd.function import Function, Node
from autograd.ops.activation import _stable_sigmoid
from autograd.ops.loss import REDUCTIONS, not_differentiable, reduce_loss, reduction_mode
from autograd.ops.registry import Sample, register
from autograd.ops.samples import uniform
from autograd.tensor import Tensor

__all__: list[str] = []  # reached through nn.functional (torch's top-level forms take other arguments)

#: torch's floor on x (1 - x) in the gradient of binary_cross_entropy.
EPSILON = 1e-12


def _log_sigmoid(x: Any) -> Any:
    """log(sigmoid(x)) = min(x, 0) - log1p(e**-|x|), which never overflows; NumPy ops only (arrays and Tensors)."""
    return np.minimum(x, 0) - np.log1p(np.exp(-np.abs(x)))


class BinaryCrossEntropy(Function):
    @staticmethod
    def forward(ctx: Node, x: Any, y: Any, w: Any) -> Any:
        with np.errstate(divide="ignore"):
            log_x, log_1mx = np.maximum(np.log(x), -100), np.maximum(np.log1p(-x), -100)
        ctx.w = w
        ctx.save_for_backward(x, y)
        loss = (y - 1) * log_1mx - y * log_x
        return loss if w is None else loss * w

    @staticmethod
    def backward(ctx: Node, gy: Any) -> Any:
        x, y = ctx.saved_tensors
        g = gy if ctx.w is None else gy * ctx.w
        gx = g * (x - y) / np.maximum((1 - x) * x, EPSILON) if ctx.needs_input_grad[0] else None
        if not ctx.needs_input_grad[1]:
            return gx, None, None
        with np.errstate(divide="ignore", invalid="ignore"):  # -logit(x): infinite at x = 0 or 1, as in torch
            return gx, g * (np.log1p(-x) - np.log(x)), None


class BinaryCrossEntropyWithLogits(Function):
    @staticmethod
    def forward(ctx: Node, x: Any, y: Any, w: Any, pw: Any) -> Any:
        log_sig = _log_sigmoid(x)
        loss = (1 - y) * x - (log_sig if pw is None else log_sig * ((pw - 1) * y + 1))
        ctx.w, ctx.pw = w, pw
        ctx.save_for_backward(x, y)
        return loss if w is None else loss * w

    @staticmethod
    def backward(ctx: Node, gy: Any) -> Any:
        x, y = ctx.saved_tensors
        g, pw = (gy if ctx.w is None else gy * ctx.w), ctx.pw
        gx = gt = None
        if ctx.needs_input_grad[0]:
            s = _stable_sigmoid(x)
            gx = g * (s - y if pw is None else (pw * y + 1 - y) * s - pw * y)
        if ctx.needs_input_grad[1]:
            gt = g * (-x if pw is None else _log_sigmoid(-x) - pw * _log_sigmoid(x))
        return gx, gt, None, None


def _constant(value: Any, name: str, input: Tensor, op: str) -> np.ndarray | None:
    """``weight`` or ``pos_weight`` as an array of the input's dtype that broadcasts to the input's shape."""
    if value is None:
        return None
    not_differentiable(op, name, value)
    array = np.asarray(value._data if isinstance(value, Tensor) else value, dtype=input.dtype)
    try:
        fits = np.broadcast_shapes(array.shape, input.shape) == input.shape
    except ValueError:
        fits = False
    if not fits:
        raise RuntimeError(f"{op}: {name} of shape {array.shape} does not broadcast to the input's shape {input.shape}")
    return array


def _bce_samples(rng: np.random.Generator) -> Any:
    for reduction in REDUCTIONS:
        p, y = uniform(rng, (3, 4), 0.05, 0.95), uniform(rng, (3, 4), 0.0, 1.0)
        yield Sample((p, y), {"reduction": reduction}, note=reduction)
        yield Sample((p, y, rng.uniform(0.5, 2, 4)), {"reduction": reduction}, (True, True, False), "weight (4,)")
    yield Sample((uniform(rng, (), 0.05, 0.95), np.array(0.7)), note="0-d")
    yield Sample((uniform(rng, (0, 3), 0.05, 0.95), np.zeros((0, 3))), {"reduction": "sum"}, note="empty")


def _bce_logits_samples(rng: np.random.Generator) -> Any:
    for reduction in REDUCTIONS:
        x, y = uniform(rng, (3, 4), -4.0, 4.0), uniform(rng, (3, 4), 0.0, 1.0)
        yield Sample((x, y), {"reduction": reduction}, note=reduction)
        weights = {"weight": rng.uniform(0.5, 2, (3, 1)), "pos_weight": rng.uniform(0.5, 3, 4)}
        yield Sample((x, y), {"reduction": reduction, **weights}, note=f"weight and pos_weight, {reduction}")
    yield Sample((uniform(rng, (2, 3), -500.0, 500.0), rng.integers(0, 2, (2, 3)) * 1.0), note="large logits")
    yield Sample((uniform(rng, (), -4.0, 4.0), np.array(0.0)), {"pos_weight": np.array(2.0)}, note="0-d")


@register(_bce_samples, torch=lambda t, *a, **k: t.nn.functional.binary_cross_entropy(*a, **k))
def binary_cross_entropy(
    input: Tensor,
    target: Tensor,
    weight: Tensor | None = None,
    size_average: bool | None = None,
    reduce: bool | None = None,
    reduction: str = "mean",
) -> Tensor:
    """-weight (y log(x) + (1 - y) log(1 - x)), each log clamped at -100: d/dx = (x - y) / max(x (1 - x), 1e-12).

    ``input`` holds probabilities in [0, 1] and ``target`` has its shape; ``weight`` broadcasts to
    it. ``size_average`` and ``reduce`` are torch's deprecated spelling of ``reduction``.

    >>> import autograd as torch
    >>> from autograd.ops.loss_bce import binary_cross_entropy
    >>> round(binary_cross_entropy(torch.tensor([0.8]), torch.tensor([1.0])).item(), 4)
    0.2231
    """
    reduction = reduction_mode(reduction, "binary_cross_entropy", size_average, reduce)
    target = target if isinstance(target, Tensor) else Tensor(target)
    if target.shape != input.shape:
        raise ValueError(
            f"binary_cross_entropy: Using a target size ({target.shape}) that is different to the input size "
            f"({input.shape}) is deprecated. Please ensure they have the same size."
        )
    for name, values in (("input", input._data), ("target", target._data)):
        if not np.all((values >= 0) & (values <= 1)):
            raise RuntimeError(f"binary_cross_entropy: all elements of {name} should be between 0 and 1")
    w = _constant(weight, "weight", input, "binary_cross_entropy")
    return reduce_loss(BinaryCrossEntropy.apply(input, target, w), reduction)


@register(_bce_logits_samples, torch=lambda t, *a, **k: t.nn.functional.binary_cross_entropy_with_logits(*a, **k))
def binary_cross_entropy_with_logits(
    input: Tensor,
    target: Tensor,
    weight: Tensor | None = None,
    size_average: bool | None = None,
    reduce: bool | None = None,
    reduction: str = "mean",
    pos_weight: Tensor | None = None,
) -> Tensor:
    """weight ((1 - y) x - (1 + (pos_weight - 1) y) log(sigmoid(x))): d/dx = sigmoid(x) - y without pos_weight.

    The stable form of ``binary_cross_entropy(sigmoid(x), y)``: finite at x = +-1000, with
    ``pos_weight`` (broadcast along the last dim: one per class) scaling the positive term.
    ``size_average`` and ``reduce`` are torch's deprecated spelling of ``reduction``.

    >>> import autograd as torch
    >>> from autograd.ops.loss_bce import binary_cross_entropy_with_logits as bce
    >>> bce(torch.tensor([40.0, -1000.0]), torch.tensor([0.0, 1.0]), reduction="none")
    tensor([  40., 1000.])
    """
    op = "binary_cross_entropy_with_logits"
    reduction = reduction_mode(reduction, op, size_average, reduce)
    target = target if isinstance(target, Tensor) else Tensor(target)
    if target.shape != input.shape:
        raise ValueError(f"{op}: Target size ({target.shape}) must be the same as input size ({input.shape})")
    w, pw = _constant(weight, "weight", input, op), _constant(pos_weight, "pos_weight", input, op)
    return reduce_loss(BinaryCrossEntropyWithLogits.apply(input, target, w, pw), reduction)
