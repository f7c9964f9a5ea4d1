"""``Dropout``: inverted dropout, scaled by 1/(1-p) in training and the identity in eval.

>>> import autograd as torch
>>> import nn
>>> layer = nn.Dropout(0.5).eval()
>>> layer(torch.ones(3))
tensor([1., 1., 1.])
"""

from __future__ import annotations

from autograd.tensor import Tensor
from nn.functional.layers import dropout
from nn.module import Module

__all__ = ["Dropout"]


class Dropout(Module):
    """Zero each element with probability p and scale the survivors by 1/(1-p) while training; identity in eval.

    >>> import nn
    >>> nn.Dropout(p=0.1)
    Dropout(p=0.1, inplace=False)
    """

    def __init__(self, p: float = 0.5, inplace: bool = False) -> None:
        super().__init__()
        if not 0.0 <= p <= 1.0:
            raise ValueError(f"dropout probability has to be between 0 and 1, but got {p}")
        self.p = p
        self.inplace = inplace

    def forward(self, input: Tensor) -> Tensor:
        return dropout(input, self.p, self.training, self.inplace)

    def extra_repr(self) -> str:
        return f"p={self.p}, inplace={self.inplace}"
