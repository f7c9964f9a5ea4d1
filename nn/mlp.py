"""``MLP``: a multilayer perceptron, Linear layers with an activation (and dropout) between them.

>>> import autograd as torch
>>> import nn
>>> model = nn.MLP([2, 16, 16, 1], activation=torch.tanh)
>>> model(torch.ones(5, 2)).shape, [k for k in model.state_dict() if k.endswith("weight")]
((5, 1), ['0.weight', '2.weight', '4.weight'])
"""

from __future__ import annotations

import copy
import itertools
from collections.abc import Callable, Sequence
from typing import Any

from autograd.tensor import Tensor
from nn.container import Sequential
from nn.dropout import Dropout
from nn.linear import Linear
from nn.module import Module

__all__ = ["MLP"]

#: Activation names accepted by MLP, and the nn class each one names.
ACTIVATIONS = {
    "relu": "ReLU",
    "relu6": "ReLU6",
    "hardtanh": "Hardtanh",
    "leaky_relu": "LeakyReLU",
    "prelu": "PReLU",
    "tanh": "Tanh",
    "sigmoid": "Sigmoid",
    "gelu": "GELU",
    "elu": "ELU",
    "silu": "SiLU",
    "swish": "Swish",
    "mish": "Mish",
    "softplus": "Softplus",
    "identity": "Identity",
}


class _Lambda(Module):
    """A module around a plain function such as ``autograd.tanh`` (no parameters)."""

    def __init__(self, fn: Callable[[Tensor], Tensor]) -> None:
        super().__init__()
        self.fn = fn

    def forward(self, input: Tensor) -> Tensor:
        return self.fn(input)

    def extra_repr(self) -> str:
        return getattr(self.fn, "__name__", repr(self.fn))


def _activation(activation: Any) -> Callable[[], Module]:
    """A maker of one fresh activation module from a name, a Module class, a Module instance or a function."""
    if isinstance(activation, str):
        import nn

        name = ACTIVATIONS.get(activation.lower())
        if name is None or not hasattr(nn, name):
            raise ValueError(f"MLP: unknown activation {activation!r}; use one of {sorted(ACTIVATIONS)}")
        return getattr(nn, name)
    if isinstance(activation, type) and issubclass(activation, Module):
        return activation
    if isinstance(activation, Module):
        return lambda: copy.deepcopy(activation)  # a learnable activation (PReLU) is not shared between layers
    if callable(activation):
        return lambda: _Lambda(activation)
    raise TypeError(f"MLP: activation must be a name, a Module class or instance, or a function, got {activation!r}")


class MLP(Sequential):
    """Linear(sizes[0], sizes[1]), activation, [Dropout], ..., Linear(sizes[-2], sizes[-1]): no activation at the end.

    ``activation`` is a name (``"relu"``, ``"tanh"``, ...), an ``nn`` activation class, an instance (copied per
    layer) or a function. ``dropout > 0`` adds a Dropout after each hidden activation. As a Sequential, its
    ``state_dict`` loads into the same ``torch.nn.Sequential`` (e.g. keys ``0.weight``, ``2.weight``).

    >>> import nn
    >>> nn.MLP([4, 8, 3], activation="relu", dropout=0.1)
    MLP(
      (0): Linear(in_features=4, out_features=8, bias=True)
      (1): ReLU()
      (2): Dropout(p=0.1, inplace=False)
      (3): Linear(in_features=8, out_features=3, bias=True)
    )
    """

    def __init__(
        self,
        sizes: Sequence[int],
        activation: Any = "relu",
        dropout: float = 0.0,
        bias: bool = True,
        device: Any = None,
        dtype: Any = None,
    ) -> None:
        if len(sizes) < 2:
            raise ValueError(f"MLP: sizes needs at least an input and an output size, got {list(sizes)}")
        if not 0.0 <= dropout <= 1.0:
            raise ValueError(f"dropout probability has to be between 0 and 1, but got {dropout}")
        make = _activation(activation)
        layers: list[Module] = []
        for i, (n_in, n_out) in enumerate(itertools.pairwise(sizes)):
            layers.append(Linear(n_in, n_out, bias=bias, device=device, dtype=dtype))
            if i < len(sizes) - 2:
                layers.append(make())
                if dropout > 0:
                    layers.append(Dropout(dropout))
        super().__init__(*layers)
        self.sizes = list(sizes)
