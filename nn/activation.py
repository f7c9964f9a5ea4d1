"""Activation modules, with torch.nn's names, arguments, defaults and reprs; each calls its ``nn.functional`` form.

``inplace=True`` writes into the input as torch does (see nn.functional.activation).

>>> import autograd as torch
>>> import nn
>>> nn.Sequential(nn.Linear(2, 3), nn.LeakyReLU(0.2))
Sequential(
  (0): Linear(in_features=2, out_features=3, bias=True)
  (1): LeakyReLU(negative_slope=0.2)
)
"""

from __future__ import annotations

import warnings
from typing import Any

from autograd.creation import empty
from autograd.tensor import Tensor
from nn.functional import activation as F
from nn.init import constant_
from nn.module import Module
from nn.parameter import Parameter, factory_dtype

__all__ = [
    "Sigmoid",
    "Tanh",
    "ReLU",
    "ReLU6",
    "Hardtanh",
    "LeakyReLU",
    "PReLU",
    "ELU",
    "GELU",
    "SiLU",
    "Swish",
    "Mish",
    "Softplus",
    "Softmax",
    "LogSoftmax",
]


class _Inplace(Module):
    """An activation whose only option is ``inplace`` (shown in the repr only when True, as torch)."""

    def __init__(self, inplace: bool = False) -> None:
        super().__init__()
        self.inplace = inplace

    def extra_repr(self) -> str:
        return "inplace=True" if self.inplace else ""


class Sigmoid(Module):
    """1 / (1 + e**-x), stable at any scale.

    >>> import autograd as torch
    >>> import nn
    >>> nn.Sigmoid()(torch.tensor([0.0, -1000.0]))
    tensor([0.5000, 0.0000])
    """

    def forward(self, input: Tensor) -> Tensor:
        return F.sigmoid(input)


class Tanh(Module):
    """tanh(x).

    >>> import autograd as torch
    >>> import nn
    >>> nn.Tanh()(torch.tensor([0.0]))
    tensor([0.])
    """

    def forward(self, input: Tensor) -> Tensor:
        return F.tanh(input)


class ReLU(_Inplace):
    """max(x, 0).

    >>> import nn
    >>> nn.ReLU(inplace=True)
    ReLU(inplace=True)
    """

    def forward(self, input: Tensor) -> Tensor:
        return F.relu(input, self.inplace)


class Hardtanh(Module):
    """min(max(x, min_val), max_val); ``min_value``/``max_value`` are torch's deprecated names.

    >>> import nn
    >>> nn.Hardtanh(-2.0, 2.0)
    Hardtanh(min_val=-2.0, max_val=2.0)
    """

    def __init__(
        self,
        min_val: float = -1.0,
        max_val: float = 1.0,
        inplace: bool = False,
        min_value: float | None = None,
        max_value: float | None = None,
    ) -> None:
        super().__init__()
        for old, new, value in (("min_value", "min_val", min_value), ("max_value", "max_val", max_value)):
            if value is not None:
                warnings.warn(f"keyword argument `{old}` is deprecated and renamed to `{new}`", FutureWarning, 2)
        self.min_val = min_val if min_value is None else min_value
        self.max_val = max_val if max_value is None else max_value
        self.inplace = inplace
        if self.max_val <= self.min_val:
            raise AssertionError(f"max_val ({self.max_val}) must be greater than min_val ({self.min_val})")

    def forward(self, input: Tensor) -> Tensor:
        return F.hardtanh(input, self.min_val, self.max_val, self.inplace)

    def extra_repr(self) -> str:
        inplace = ", inplace=True" if self.inplace else ""
        return f"min_val={self.min_val}, max_val={self.max_val}{inplace}"


class ReLU6(Hardtanh):
    """min(max(x, 0), 6).

    >>> import autograd as torch
    >>> import nn
    >>> nn.ReLU6()(torch.tensor([-1.0, 7.0]))
    tensor([0., 6.])
    """

    def __init__(self, inplace: bool = False) -> None:
        super().__init__(0.0, 6.0, inplace)

    extra_repr = _Inplace.extra_repr


class LeakyReLU(Module):
    """x where x > 0, else negative_slope * x.

    >>> import nn
    >>> nn.LeakyReLU()
    LeakyReLU(negative_slope=0.01)
    """

    def __init__(self, negative_slope: float = 0.01, inplace: bool = False) -> None:
        super().__init__()
        self.negative_slope = negative_slope
        self.inplace = inplace

    def forward(self, input: Tensor) -> Tensor:
        return F.leaky_relu(input, self.negative_slope, self.inplace)

    def extra_repr(self) -> str:
        return f"negative_slope={self.negative_slope}" + (", inplace=True" if self.inplace else "")


class PReLU(Module):
    """x where x > 0, else a * x, with a learnable ``weight`` a: one value, or one per channel (dim 1).

    ``weight`` is a Parameter of shape (num_parameters,), filled with ``init``.

    >>> import autograd as torch
    >>> import nn
    >>> m = nn.PReLU(2)
    >>> m, m.weight.tolist()
    (PReLU(num_parameters=2), [0.25, 0.25])
    >>> m(torch.tensor([[-4.0, 4.0]]))
    tensor([[-1.,  4.]], grad_fn=<PreluBackward>)
    """

    def __init__(self, num_parameters: int = 1, init: float = 0.25, device: Any = None, dtype: Any = None) -> None:
        super().__init__()
        dtype = factory_dtype(device, dtype)
        self.num_parameters = num_parameters
        self.init = init
        self.weight = Parameter(empty(num_parameters, dtype=dtype))
        self.reset_parameters()

    def reset_parameters(self) -> None:
        """Fill ``weight`` with ``init`` again."""
        constant_(self.weight, self.init)

    def forward(self, input: Tensor) -> Tensor:
        return F.prelu(input, self.weight)

    def extra_repr(self) -> str:
        return f"num_parameters={self.num_parameters}"


class ELU(Module):
    """x where x > 0, else alpha (e**x - 1).

    >>> import nn
    >>> nn.ELU(alpha=0.5)
    ELU(alpha=0.5)
    """

    def __init__(self, alpha: float = 1.0, inplace: bool = False) -> None:
        super().__init__()
        self.alpha = alpha
        self.inplace = inplace

    def forward(self, input: Tensor) -> Tensor:
        return F.elu(input, self.alpha, self.inplace)

    def extra_repr(self) -> str:
        return f"alpha={self.alpha}" + (", inplace=True" if self.inplace else "")


class GELU(Module):
    """x Phi(x), or torch's tanh approximation with ``approximate="tanh"``.

    >>> import nn
    >>> nn.GELU(approximate="tanh")
    GELU(approximate='tanh')
    """

    def __init__(self, approximate: str = "none") -> None:
        super().__init__()
        self.approximate = approximate

    def forward(self, input: Tensor) -> Tensor:
        return F.gelu(input, approximate=self.approximate)

    def extra_repr(self) -> str:
        return f"approximate={self.approximate!r}"


class SiLU(_Inplace):
    """x sigmoid(x).

    >>> import nn
    >>> nn.SiLU()
    SiLU()
    """

    def forward(self, input: Tensor) -> Tensor:
        return F.silu(input, inplace=self.inplace)


class Swish(Module):
    """x sigmoid(beta x), beta a constant; beta = 1 is SiLU. torch has no Swish class (only SiLU).

    >>> import autograd as torch
    >>> import nn
    >>> nn.Swish(beta=2.0)
    Swish(beta=2.0)
    >>> nn.Swish()(torch.tensor([1.0])).item() == nn.SiLU()(torch.tensor([1.0])).item()
    True
    """

    def __init__(self, beta: float = 1.0) -> None:
        super().__init__()
        self.beta = beta

    def forward(self, input: Tensor) -> Tensor:
        return F.swish(input, self.beta)

    def extra_repr(self) -> str:
        return f"beta={self.beta}"


class Mish(_Inplace):
    """x tanh(softplus(x)).

    >>> import nn
    >>> nn.Mish()
    Mish()
    """

    def forward(self, input: Tensor) -> Tensor:
        return F.mish(input, inplace=self.inplace)


class Softplus(Module):
    """log(1 + e**(beta x)) / beta, and x where beta x > threshold.

    >>> import nn
    >>> nn.Softplus()
    Softplus(beta=1.0, threshold=20.0)
    """

    def __init__(self, beta: float = 1.0, threshold: float = 20.0) -> None:
        super().__init__()
        self.beta = beta
        self.threshold = threshold

    def forward(self, input: Tensor) -> Tensor:
        return F.softplus(input, self.beta, self.threshold)

    def extra_repr(self) -> str:
        return f"beta={self.beta}, threshold={self.threshold}"


class _AlongDim(Module):
    """An activation along one ``dim``; ``dim=None`` is torch's deprecated implicit choice, with its warning."""

    def __init__(self, dim: int | None = None) -> None:
        super().__init__()
        self.dim = dim

    def extra_repr(self) -> str:
        return f"dim={self.dim}"


class Softmax(_AlongDim):
    """exp(x) / sum(exp(x)) along ``dim``.

    >>> import autograd as torch
    >>> import nn
    >>> nn.Softmax(dim=1)(torch.tensor([[1000.0, 0.0]]))
    tensor([[1., 0.]])
    """

    def forward(self, input: Tensor) -> Tensor:
        return F.softmax(input, self.dim, _stacklevel=5)


class LogSoftmax(_AlongDim):
    """x - logsumexp(x) along ``dim``.

    >>> import nn
    >>> nn.LogSoftmax(dim=-1)
    LogSoftmax(dim=-1)
    """

    def forward(self, input: Tensor) -> Tensor:
        return F.log_softmax(input, self.dim, _stacklevel=5)
