"""Loss modules, with torch.nn's names, arguments (positional order too), defaults and reprs.

Each holds its options and calls its ``nn.functional`` form. Per-class weights (and
``pos_weight``) are buffers, as in torch, so they follow ``.to()`` and appear in ``state_dict``.
A bad ``reduction`` is rejected at construction (torch: at the first call).

>>> import autograd as torch
>>> import nn
>>> loss = nn.CrossEntropyLoss()
>>> loss
CrossEntropyLoss()
>>> round(loss(torch.tensor([[0.0, 0.0]]), torch.tensor([1])).item(), 4)
0.6931
"""

from __future__ import annotations

from autograd.ops.loss import reduction_mode
from autograd.tensor import Tensor
from nn.functional import loss as F
from nn.module import Module

__all__ = [
    "MSELoss",
    "L1Loss",
    "HuberLoss",
    "SmoothL1Loss",
    "BCELoss",
    "BCEWithLogitsLoss",
    "CrossEntropyLoss",
    "NLLLoss",
    "HingeEmbeddingLoss",
    "HingeLoss",
    "MultiMarginLoss",
]


class _Loss(Module):
    """A loss's reduction, from ``reduction`` or torch's deprecated ``size_average``/``reduce`` pair."""

    def __init__(self, size_average: bool | None = None, reduce: bool | None = None, reduction: str = "mean") -> None:
        super().__init__()
        self.reduction = reduction_mode(reduction, type(self).__name__, size_average, reduce)


class _WeightedLoss(_Loss):
    """A loss with an optional per-class ``weight`` buffer."""

    def __init__(
        self,
        weight: Tensor | None = None,
        size_average: bool | None = None,
        reduce: bool | None = None,
        reduction: str = "mean",
    ) -> None:
        super().__init__(size_average, reduce, reduction)
        self.register_buffer("weight", weight)


class MSELoss(_Loss):
    """(x - y)**2, reduced.

    >>> import autograd as torch
    >>> import nn
    >>> nn.MSELoss(reduction="sum")(torch.tensor([1.0, 2.0]), torch.tensor([0.0, 0.0]))
    tensor(5.)
    """

    def forward(self, input: Tensor, target: Tensor) -> Tensor:
        return F.mse_loss(input, target, reduction=self.reduction)


class L1Loss(_Loss):
    """|x - y| (mean absolute error), reduced.

    >>> import autograd as torch
    >>> import nn
    >>> nn.L1Loss()(torch.tensor([1.0, -3.0]), torch.tensor([0.0, 0.0]))
    tensor(2.)
    """

    def forward(self, input: Tensor, target: Tensor) -> Tensor:
        return F.l1_loss(input, target, reduction=self.reduction)


class HuberLoss(_Loss):
    """0.5 d**2 where |d| < delta, else delta (|d| - 0.5 delta), d = x - y.

    >>> import autograd as torch
    >>> import nn
    >>> nn.HuberLoss(delta=2.0)(torch.tensor([3.0]), torch.tensor([0.0]))
    tensor(4.)
    """

    def __init__(self, reduction: str = "mean", delta: float = 1.0) -> None:
        super().__init__(reduction=reduction)
        self.delta = delta

    def forward(self, input: Tensor, target: Tensor) -> Tensor:
        return F.huber_loss(input, target, reduction=self.reduction, delta=self.delta)


class SmoothL1Loss(_Loss):
    """0.5 d**2 / beta where |d| < beta, else |d| - 0.5 beta, d = x - y.

    >>> import autograd as torch
    >>> import nn
    >>> nn.SmoothL1Loss(beta=2.0)(torch.tensor([3.0]), torch.tensor([0.0]))
    tensor(2.)
    """

    def __init__(
        self, size_average: bool | None = None, reduce: bool | None = None, reduction: str = "mean", beta: float = 1.0
    ) -> None:
        super().__init__(size_average, reduce, reduction)
        self.beta = beta

    def forward(self, input: Tensor, target: Tensor) -> Tensor:
        return F.smooth_l1_loss(input, target, reduction=self.reduction, beta=self.beta)


class BCELoss(_WeightedLoss):
    """-weight (y log(x) + (1 - y) log(1 - x)) for probabilities x, each log clamped at -100.

    >>> import autograd as torch
    >>> import nn
    >>> round(nn.BCELoss()(torch.tensor([0.8]), torch.tensor([1.0])).item(), 3)
    0.223
    """

    def forward(self, input: Tensor, target: Tensor) -> Tensor:
        return F.binary_cross_entropy(input, target, weight=self.weight, reduction=self.reduction)


class BCEWithLogitsLoss(_Loss):
    """BCE of sigmoid(x), in the stable log-sum-exp form; ``pos_weight`` scales the positive term.

    >>> import autograd as torch
    >>> import nn
    >>> nn.BCEWithLogitsLoss()(torch.tensor([1000.0]), torch.tensor([0.0]))
    tensor(1000.)
    """

    def __init__(
        self,
        weight: Tensor | None = None,
        size_average: bool | None = None,
        reduce: bool | None = None,
        reduction: str = "mean",
        pos_weight: Tensor | None = None,
    ) -> None:
        super().__init__(size_average, reduce, reduction)
        self.register_buffer("weight", weight)
        self.register_buffer("pos_weight", pos_weight)

    def forward(self, input: Tensor, target: Tensor) -> Tensor:
        return F.binary_cross_entropy_with_logits(
            input, target, self.weight, pos_weight=self.pos_weight, reduction=self.reduction
        )


class CrossEntropyLoss(_WeightedLoss):
    """-sum_c q_c log_softmax(x)_c for logits x and class indices or class probabilities (see F.cross_entropy).

    >>> import autograd as torch
    >>> import nn
    >>> nn.CrossEntropyLoss(label_smoothing=0.1, ignore_index=0)
    CrossEntropyLoss()
    """

    def __init__(
        self,
        weight: Tensor | None = None,
        size_average: bool | None = None,
        ignore_index: int = -100,
        reduce: bool | None = None,
        reduction: str = "mean",
        label_smoothing: float = 0.0,
    ) -> None:
        super().__init__(weight, size_average, reduce, reduction)
        self.ignore_index = ignore_index
        self.label_smoothing = label_smoothing

    def forward(self, input: Tensor, target: Tensor) -> Tensor:
        return F.cross_entropy(
            input,
            target,
            weight=self.weight,
            ignore_index=self.ignore_index,
            reduction=self.reduction,
            label_smoothing=self.label_smoothing,
        )


class NLLLoss(_WeightedLoss):
    """-weight[t] x[t] for log-probabilities x and class indices t.

    >>> import autograd as torch
    >>> import nn
    >>> nn.NLLLoss()(torch.tensor([[-0.1, -2.0]]), torch.tensor([1]))
    tensor(2.)
    """

    def __init__(
        self,
        weight: Tensor | None = None,
        size_average: bool | None = None,
        ignore_index: int = -100,
        reduce: bool | None = None,
        reduction: str = "mean",
    ) -> None:
        super().__init__(weight, size_average, reduce, reduction)
        self.ignore_index = ignore_index

    def forward(self, input: Tensor, target: Tensor) -> Tensor:
        return F.nll_loss(input, target, weight=self.weight, ignore_index=self.ignore_index, reduction=self.reduction)


class HingeEmbeddingLoss(_Loss):
    """x where y = 1, max(0, margin - x) where y = -1.

    >>> import autograd as torch
    >>> import nn
    >>> nn.HingeEmbeddingLoss(margin=2.0)(torch.tensor([0.5]), torch.tensor([-1.0]))
    tensor(1.5000)
    """

    def __init__(
        self, margin: float = 1.0, size_average: bool | None = None, reduce: bool | None = None, reduction: str = "mean"
    ) -> None:
        super().__init__(size_average, reduce, reduction)
        self.margin = margin

    def forward(self, input: Tensor, target: Tensor) -> Tensor:
        return F.hinge_embedding_loss(input, target, margin=self.margin, reduction=self.reduction)


class HingeLoss(_Loss):
    """The SVM hinge max(0, margin - y s) for scores s and labels y in {-1, 1}. Not in torch.

    ``HingeEmbeddingLoss`` is torch's nearest: it takes a distance, not a score (see ``F.hinge_loss``).

    >>> import autograd as torch
    >>> import nn
    >>> nn.HingeLoss()(torch.tensor([2.0, 0.5]), torch.tensor([1.0, -1.0]))
    tensor(0.7500)
    """

    def __init__(self, margin: float = 1.0, reduction: str = "mean") -> None:
        super().__init__(None, None, reduction)
        self.margin = margin

    def forward(self, input: Tensor, target: Tensor) -> Tensor:
        return F.hinge_loss(input, target, margin=self.margin, reduction=self.reduction)


class MultiMarginLoss(_WeightedLoss):
    """sum over i != y of weight[y] max(0, margin - x[y] + x[i])**p / C (the multi-class SVM hinge).

    >>> import autograd as torch
    >>> import nn
    >>> nn.MultiMarginLoss()(torch.tensor([[0.1, 0.2, 0.4, 0.8]]), torch.tensor([3]))
    tensor(0.3250)
    """

    def __init__(
        self,
        p: int = 1,
        margin: float = 1.0,
        weight: Tensor | None = None,
        size_average: bool | None = None,
        reduce: bool | None = None,
        reduction: str = "mean",
    ) -> None:
        if p not in (1, 2):
            raise ValueError(f"only p == 1 and p == 2 supported (got p={p})")
        if weight is not None and weight.ndim != 1:
            raise ValueError(f"MultiMarginLoss: weight must be one-dimensional, got shape {weight.shape}")
        super().__init__(weight, size_average, reduce, reduction)
        self.p = p
        self.margin = margin

    def forward(self, input: Tensor, target: Tensor) -> Tensor:
        return F.multi_margin_loss(
            input, target, p=self.p, margin=self.margin, weight=self.weight, reduction=self.reduction
        )
