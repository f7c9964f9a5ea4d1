"""Activations as functions, with torch.nn.functional's names, signatures and defaults.

``inplace=True`` writes the result into the input and returns it, as torch: the input's version
is bumped and, inside a graph, its ``grad_fn`` becomes the activation's node. As in torch, a leaf
that requires grad cannot be changed in place. The result is computed out of place and then
copied in, so ``inplace`` saves no memory here.

>>> import autograd as torch
>>> import nn.functional as F
>>> F.relu(torch.tensor([-1.0, 2.0]))
tensor([0., 2.])
"""

from __future__ import annotations

import warnings
from collections.abc import Callable
from typing import Any

from autograd import ops
from autograd.inplace import apply_inplace
from autograd.ops.activation import sigmoid, tanh
from autograd.ops.activation_extra import prelu
from autograd.ops.elementwise import where
from autograd.tensor import Tensor

__all__ = [
    "relu",
    "relu6",
    "hardtanh",
    "sigmoid",
    "tanh",
    "leaky_relu",
    "prelu",
    "elu",
    "gelu",
    "silu",
    "swish",
    "mish",
    "softplus",
    "softmax",
    "log_softmax",
]


def _apply(input: Tensor, inplace: bool, name: str, fn: Callable[..., Tensor], *args: Any) -> Tensor:
    """``fn(input, *args)``, written into ``input`` when ``inplace``."""
    if inplace:
        return apply_inplace(input, name + "_", fn, *args)
    return fn(input, *args)


def relu(input: Tensor, inplace: bool = False) -> Tensor:
    """max(x, 0): d/dx = 1 where x > 0, else 0.

    >>> import autograd as torch
    >>> import nn.functional as F
    >>> x = torch.tensor([-1.0, 2.0])
    >>> F.relu(x, inplace=True) is x, x
    (True, tensor([0., 2.]))
    """
    return _apply(input, inplace, "relu", ops.relu)


def _hardtanh(input: Tensor, min_val: float, max_val: float) -> Tensor:
    # Two wheres, not clamp: torch's gradient is 0 at the bounds themselves (clamp's is 1).
    return where(input <= min_val, min_val, where(input >= max_val, max_val, input))


def hardtanh(input: Tensor, min_val: float = -1.0, max_val: float = 1.0, inplace: bool = False) -> Tensor:
    """min(max(x, min_val), max_val): d/dx = 1 strictly inside (min_val, max_val), else 0 (as torch).

    >>> import autograd as torch
    >>> import nn.functional as F
    >>> F.hardtanh(torch.tensor([-3.0, 0.5, 3.0]))
    tensor([-1.0000,  0.5000,  1.0000])
    """
    return _apply(input, inplace, "hardtanh", _hardtanh, min_val, max_val)


def relu6(input: Tensor, inplace: bool = False) -> Tensor:
    """min(max(x, 0), 6), that is hardtanh(x, 0, 6).

    >>> import autograd as torch
    >>> import nn.functional as F
    >>> F.relu6(torch.tensor([-1.0, 3.0, 9.0]))
    tensor([0., 3., 6.])
    """
    return _apply(input, inplace, "relu6", _hardtanh, 0.0, 6.0)


def leaky_relu(input: Tensor, negative_slope: float = 0.01, inplace: bool = False) -> Tensor:
    """x where x > 0, else negative_slope * x.

    >>> import autograd as torch
    >>> import nn.functional as F
    >>> F.leaky_relu(torch.tensor([-1.0, 2.0]), 0.1)
    tensor([-0.1000,  2.0000])
    """
    return _apply(input, inplace, "leaky_relu", ops.leaky_relu, negative_slope)


def elu(input: Tensor, alpha: float = 1.0, inplace: bool = False) -> Tensor:
    """x where x > 0, else alpha (e**x - 1).

    >>> import autograd as torch
    >>> import nn.functional as F
    >>> F.elu(torch.tensor([-1.0, 2.0]))
    tensor([-0.6321,  2.0000])
    """
    return _apply(input, inplace, "elu", ops.elu, alpha)


def gelu(input: Tensor, approximate: str = "none") -> Tensor:
    """x Phi(x), Phi the standard normal CDF; ``approximate="tanh"`` uses torch's tanh formula.

    >>> import autograd as torch
    >>> import nn.functional as F
    >>> F.gelu(torch.tensor([1.0]), approximate="tanh")
    tensor([0.8412])
    """
    return ops.gelu(input, approximate)


def silu(input: Tensor, inplace: bool = False) -> Tensor:
    """x sigmoid(x) (Swish with beta = 1).

    >>> import autograd as torch
    >>> import nn.functional as F
    >>> F.silu(torch.tensor([0.0, 1.0]))
    tensor([0.0000, 0.7311])
    """
    return _apply(input, inplace, "silu", ops.silu)


def swish(input: Tensor, beta: float = 1.0) -> Tensor:
    """x sigmoid(beta x) (Ramachandran et al., 2017); beta = 1 is silu.

    torch has no swish: ``x * torch.sigmoid(beta * x)`` is its spelling there.

    >>> import autograd as torch
    >>> import nn.functional as F
    >>> F.swish(torch.tensor([1.0]), beta=2.0)
    tensor([0.8808])
    """
    return ops.silu(input) if beta == 1.0 else input * sigmoid(input * beta)


def _mish(input: Tensor) -> Tensor:
    return input * tanh(ops.softplus(input))


def mish(input: Tensor, inplace: bool = False) -> Tensor:
    """x tanh(softplus(x)), a composite of stable ops: d/dx = tanh(sp) + x sigmoid(x) (1 - tanh(sp)**2).

    >>> import autograd as torch
    >>> import nn.functional as F
    >>> F.mish(torch.tensor([0.0, 1.0]))
    tensor([0.0000, 0.8651])
    """
    if inplace:  # on a clone, so the softplus node does not save the input that the write then changes
        return apply_inplace(input, "mish_", lambda x: _mish(x.clone()))
    return _mish(input)


def softplus(input: Tensor, beta: float = 1.0, threshold: float = 20.0) -> Tensor:
    """log(1 + e**(beta x)) / beta, and x itself where beta x > threshold.

    >>> import autograd as torch
    >>> import nn.functional as F
    >>> F.softplus(torch.tensor([0.0]), beta=2.0)
    tensor([0.3466])
    """
    return ops.softplus(input, beta, threshold)


def _softmax_dim(name: str, ndim: int, stacklevel: int) -> int:
    """torch's implicit dim (deprecated, with its warning): 0 for 0-, 1- and 3-d inputs, else 1."""
    warnings.warn(
        f"Implicit dimension choice for {name} has been deprecated. Change the call to include dim=X as an argument.",
        UserWarning,
        stacklevel=stacklevel,
    )
    return 0 if ndim in (0, 1, 3) else 1


def softmax(input: Tensor, dim: int | None = None, _stacklevel: int = 3, dtype: Any = None) -> Tensor:
    """exp(x) / sum(exp(x)) along ``dim``, max-subtracted so it never overflows.

    >>> import autograd as torch
    >>> import nn.functional as F
    >>> F.softmax(torch.tensor([[1000.0, 0.0]]), dim=1)
    tensor([[1., 0.]])
    """
    dim = _softmax_dim("softmax", input.ndim, _stacklevel) if dim is None else dim
    return ops.softmax(input, dim, dtype)


def log_softmax(input: Tensor, dim: int | None = None, _stacklevel: int = 3, dtype: Any = None) -> Tensor:
    """x - logsumexp(x) along ``dim``, max-subtracted so it never overflows.

    >>> import autograd as torch
    >>> import nn.functional as F
    >>> F.log_softmax(torch.tensor([1000.0, 1000.0]), dim=0)
    tensor([-0.6931, -0.6931])
    """
    dim = _softmax_dim("log_softmax", input.ndim, _stacklevel) if dim is None else dim
    return ops.log_softmax(input, dim, dtype)
