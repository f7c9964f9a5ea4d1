"""``Perceptron``: Rosenblatt's unit, z = w·x + b with prediction step(z), trained by his rule or by SGD.

Labels are (negative, positive) = (-1, +1) by default, or (0, 1) with ``labels=(0, 1)``. The step
maps z >= 0 to the positive label. The two ways to train give identical weights on the same data
in the same order (a test checks it):

- the perceptron rule, ``rule_update``: for each sample in turn, w += lr * (y - ŷ) * x, b += lr * (y - ŷ);
- SGD, one sample at a time, on the perceptron criterion max(0, -y·z) with y in {-1, +1}
  (``perceptron_criterion``), with learning rate lr * (positive - negative label): 2 * lr for labels
  (-1, +1), lr for labels (0, 1).

The rule moves by (y - ŷ) = ±2 on a mistake with ±1 labels, ±1 with 0/1 labels; the criterion's
gradient on a mistake is -y·x. At z = 0 the criterion has a kink; its subgradient is taken to agree
with the step: a sample at z = 0 counts as a mistake exactly when its label is the negative one.

>>> import autograd as torch
>>> import nn
>>> unit = nn.Perceptron(2)
>>> x = torch.tensor([[2.0, 1.0], [-1.0, -2.0]])
>>> y = torch.tensor([1, -1])
>>> unit.rule_update(x, y), unit.rule_update(x, y)
(1, 0)
>>> unit.predict(x)
tensor([ 1, -1])
"""

from __future__ import annotations

from typing import Any

import numpy as np

from autograd.creation import zeros
from autograd.ops.linalg import linear
from autograd.tensor import Tensor, bump_version
from nn.module import Module
from nn.parameter import Parameter, factory_dtype

__all__ = ["Perceptron", "perceptron_criterion"]


def _signs(y: Tensor | np.ndarray, labels: tuple[int, int]) -> np.ndarray:
    """Labels mapped to -1/+1, after checking each is one of ``labels``."""
    values = np.asarray(y._data if isinstance(y, Tensor) else y)
    bad = values[(values != labels[0]) & (values != labels[1])]
    if bad.size:
        raise ValueError(f"perceptron: labels must be {labels[0]} or {labels[1]}, got {bad.ravel()[:5].tolist()}")
    return np.where(values == labels[1], 1, -1)


def perceptron_criterion(z: Tensor, y: Tensor, labels: tuple[int, int] = (-1, 1)) -> Tensor:
    """Sum over samples of max(0, -y·z), y the label mapped to -1/+1; gradient -y on the step's mistakes.

    At the kink z = 0 the subgradient follows the step: a mistake exactly when y = -1.

    >>> import autograd as torch
    >>> import nn
    >>> nn.perceptron_criterion(torch.tensor([0.5, -2.0, 0.0]), torch.tensor([-1, -1, -1]))
    tensor(0.5000)
    """
    signs = _signs(y, labels)
    mistakes = (np.where(z._data >= 0, 1, -1) != signs).astype(z.dtype)
    return (z * Tensor((-signs * mistakes).astype(z.dtype))).sum()


class Perceptron(Module):
    """One Rosenblatt unit over ``in_features`` inputs; weights start at zero, the classic start.

    ``forward`` returns the score z (differentiable), ``predict`` the label step(z). ``weight`` has shape
    (1, in_features) and ``bias`` (1,), so ``state_dict`` loads into ``torch.nn.Linear(in_features, 1)``.

    >>> import nn
    >>> nn.Perceptron(3)
    Perceptron(in_features=3, bias=True, labels=(-1, 1))
    """

    def __init__(
        self,
        in_features: int,
        bias: bool = True,
        labels: tuple[int, int] = (-1, 1),
        device: Any = None,
        dtype: Any = None,
    ) -> None:
        super().__init__()
        if len(labels) != 2 or not labels[0] < labels[1]:
            raise ValueError(f"Perceptron: labels must be (negative, positive) with negative < positive, got {labels}")
        dtype = factory_dtype(device, dtype)
        self.in_features = in_features
        self.labels = tuple(labels)
        self.weight = Parameter(zeros(1, in_features, dtype=dtype))
        if bias:
            self.bias = Parameter(zeros(1, dtype=dtype))
        else:
            self.register_parameter("bias", None)

    def forward(self, input: Tensor) -> Tensor:
        """The score z = w·x + b, one per sample: shape (N,) for input (N, in_features)."""
        return linear(input, self.weight, self.bias).squeeze(-1)

    def predict(self, input: Tensor) -> Tensor:
        """step(z): the positive label where z >= 0, else the negative one (int64)."""
        z = linear(Tensor(input._data), self.weight.detach(), None if self.bias is None else self.bias.detach())
        return Tensor(np.where(z._data[..., 0] >= 0, self.labels[1], self.labels[0]).astype(np.int64))

    def criterion(self, input: Tensor, target: Tensor) -> Tensor:
        """The perceptron criterion of this unit's scores, summed over the samples (see ``perceptron_criterion``)."""
        return perceptron_criterion(self(input), target, self.labels)

    def rule_update(self, input: Tensor, target: Tensor, lr: float = 1.0) -> int:
        """One pass of the perceptron rule over the rows in order: w += lr*(y - ŷ)*x. Returns the mistakes made."""
        x = np.atleast_2d(input._data)
        signs = _signs(target, self.labels).reshape(-1)
        if x.shape != (signs.size, self.in_features):
            raise ValueError(
                f"rule_update: input of shape {input.shape} does not match {signs.size} targets "
                f"and in_features={self.in_features}"
            )
        w, b = self.weight._data[0], None if self.bias is None else self.bias._data
        step = lr * (self.labels[1] - self.labels[0])  # y - ŷ on a mistake is ±(positive - negative label)
        mistakes = 0
        for xi, yi in zip(x, signs.tolist()):
            z = xi @ w + (b[0] if b is not None else 0)
            if (1 if z >= 0 else -1) != yi:
                mistakes += 1
                w += step * yi * xi
                if b is not None:
                    b += step * yi
        bump_version(self.weight)
        if self.bias is not None:
            bump_version(self.bias)
        return mistakes

    def extra_repr(self) -> str:
        return f"in_features={self.in_features}, bias={self.bias is not None}, labels={self.labels}"
