"""Activation functions: tanh, sigmoid, relu, leaky_relu, elu, gelu, silu, softplus.

silu and gelu are compositions of other ops; the rest are primitives, each for a reason its
docstring gives (stability at large |x|, or saving the output so backward reuses it).
"""

from __future__ import annotations

import math
from typing import Any

import numpy as np

from autograd.constants import zero_of
from autograd.function import Function, Node
from autograd.ops.registry import register
from autograd.ops.samples import combine, unary
from autograd.tensor import Tensor

__all__ = ["tanh", "sigmoid", "relu", "leaky_relu", "elu", "gelu", "silu", "softplus"]


def _functional(name: str) -> Any:
    """PyTorch's ``torch.nn.functional.<name>``, for the registry's oracle."""
    return lambda torch, *args, **kwargs: getattr(torch.nn.functional, name)(*args, **kwargs)


def _stable_sigmoid(x: Any) -> Any:
    """1 / (1 + e**-x) through e**-|x|, which never overflows; NumPy ops only, so it runs on arrays and Tensors."""
    positive = np.asarray(x > 0)
    e = np.exp(np.where(positive, -x, x))
    return np.where(positive, 1 / (1 + e), e / (1 + e))


class Tanh(Function):
    @staticmethod
    def forward(ctx: Node, x: Any) -> Any:
        y = np.asarray(np.tanh(x))  # an array, not a NumPy scalar: the saved output must be the output
        ctx.save_for_backward(y)
        return y

    @staticmethod
    def backward(ctx: Node, gy: Any) -> Any:
        (y,) = ctx.saved_tensors
        return gy * (1 - y * y)


class Sigmoid(Function):
    @staticmethod
    def forward(ctx: Node, x: Any) -> Any:
        y = _stable_sigmoid(x)
        ctx.save_for_backward(y)
        return y

    @staticmethod
    def backward(ctx: Node, gy: Any) -> Any:
        (y,) = ctx.saved_tensors
        return gy * y * (1 - y)


@register(unary(low=-4.0, high=4.0), methods=("tanh",), ufuncs=(np.tanh,))
def tanh(input: Tensor) -> Tensor:
    """Elementwise hyperbolic tangent: d/dx = 1 - tanh(x)**2 (a primitive: backward reuses the saved output).

    >>> import autograd as torch
    >>> torch.tanh(torch.tensor([0.0, 1000.0]))
    tensor([0., 1.])
    """
    return Tanh.apply(input)


@register(unary(low=-6.0, high=6.0), methods=("sigmoid",))
def sigmoid(input: Tensor) -> Tensor:
    """Elementwise 1 / (1 + e**-x): d/dx = y (1 - y).

    Fused for stability: computed through e**-|x|, so it never overflows (sigmoid(-1000) = 0);
    backward reuses the saved output.

    >>> import autograd as torch
    >>> torch.sigmoid(torch.tensor([0.0, -1000.0]))
    tensor([0.5000, 0.0000])
    """
    return Sigmoid.apply(input)


class Relu(Function):
    @staticmethod
    def forward(ctx: Node, x: Any) -> Any:
        y = np.maximum(x, zero_of(x))  # a NumPy scalar for 0-d input: apply makes it (and the saved copy) an array
        ctx.save_for_backward(y)
        return y

    @staticmethod
    def backward(ctx: Node, gy: Any) -> Any:
        (y,) = ctx.saved_tensors
        # A mask multiply is 3-4x faster than np.where. It differs from PyTorch only around NaN and inf:
        # an inf/NaN upstream gradient at a unit that is off gives NaN (PyTorch: 0), and a NaN output gets 0.
        return gy * (y > zero_of(y))


@register(unary(away=0.1))
def relu(input: Tensor) -> Tensor:
    """Elementwise max(x, 0): d/dx = 1 where x > 0, else 0 (also at 0, as PyTorch).

    A primitive for speed: one node instead of maximum's tie bookkeeping.

    >>> import autograd as torch
    >>> torch.relu(torch.tensor([-1.0, 2.0]))
    tensor([0., 2.])
    """
    return Relu.apply(input)


# x.relu() takes no arguments, so the method is apply itself: a Python call less than the wrapper.
Tensor.relu = Relu.apply  # type: ignore[attr-defined]


class LeakyRelu(Function):
    @staticmethod
    def forward(ctx: Node, x: Any, negative_slope: float) -> Any:
        ctx.positive, ctx.slope = x > 0, negative_slope
        return np.where(ctx.positive, x, x * negative_slope)

    @staticmethod
    def backward(ctx: Node, gy: Any) -> Any:
        return np.where(ctx.positive, gy, gy * ctx.slope), None


@register(combine(unary(away=0.1), unary(away=0.1, negative_slope=0.2)), torch=_functional("leaky_relu"))
def leaky_relu(input: Tensor, negative_slope: float = 0.01) -> Tensor:
    """Elementwise x where x > 0, else negative_slope * x: d/dx = 1 or negative_slope (the slope at 0, as PyTorch).

    >>> import autograd as torch
    >>> torch.leaky_relu(torch.tensor([-1.0, 2.0]), 0.1)
    tensor([-0.1000,  2.0000])
    """
    return LeakyRelu.apply(input, negative_slope)


class Elu(Function):
    @staticmethod
    def forward(ctx: Node, x: Any, alpha: float) -> Any:
        ctx.positive, ctx.alpha = x > 0, alpha
        ctx.save_for_backward(x)
        return np.where(ctx.positive, x, alpha * np.expm1(np.where(ctx.positive, 0, x)))

    @staticmethod
    def backward(ctx: Node, gy: Any) -> Any:
        (x,) = ctx.saved_tensors
        return np.where(ctx.positive, gy, gy * ctx.alpha * np.exp(np.where(ctx.positive, 0, x))), None


@register(combine(unary(away=0.1), unary(away=0.1, alpha=0.5)), torch=_functional("elu"))
def elu(input: Tensor, alpha: float = 1.0) -> Tensor:
    """Elementwise x where x > 0, else alpha (e**x - 1): d/dx = 1 or alpha e**x.

    A primitive for accuracy: expm1 keeps small negative inputs exact (and no exp overflows for large x).

    >>> import autograd as torch
    >>> torch.elu(torch.tensor([-1.0, 2.0]))
    tensor([-0.6321,  2.0000])
    """
    return Elu.apply(input, alpha)


_erfc = np.vectorize(math.erfc, otypes=[np.float64])
_INV_SQRT_2PI = 1 / math.sqrt(2 * math.pi)


class NormalCdf(Function):
    @staticmethod
    def forward(ctx: Node, x: Any) -> Any:
        ctx.save_for_backward(x)
        return (0.5 * _erfc(-x / math.sqrt(2))).astype(x.dtype)

    @staticmethod
    def backward(ctx: Node, gy: Any) -> Any:
        (x,) = ctx.saved_tensors
        with np.errstate(over="ignore"):
            return gy * _INV_SQRT_2PI * np.exp(-(x * x) / 2)


@register(combine(unary(low=-4.0, high=4.0), unary(low=-4.0, high=4.0, approximate="tanh")), torch=_functional("gelu"))
def gelu(input: Tensor, approximate: str = "none") -> Tensor:
    """Elementwise x Phi(x), Phi the standard normal CDF; ``approximate="tanh"`` uses PyTorch's tanh formula.

    A composite: x times a normal-CDF primitive (d Phi/dx = e**(-x**2/2) / sqrt(2 pi)), or, for the
    tanh form 0.5 x (1 + tanh(u)), the equal x sigmoid(2u), which keeps float32 accurate for large negative x.

    >>> import autograd as torch
    >>> torch.gelu(torch.tensor([-1.0, 0.0, 1.0]))
    tensor([-0.1587,  0.0000,  0.8413])
    """
    if approximate == "none":
        return input * NormalCdf.apply(input)
    if approximate == "tanh":
        # 0.5 (1 + tanh(u)) = sigmoid(2u) exactly, and sigmoid has no cancellation in the far-negative tail.
        inner = (input + input * input * input * 0.044715) * math.sqrt(8 / math.pi)
        return input * sigmoid(inner)
    raise ValueError(f"gelu: approximate must be 'none' or 'tanh', got {approximate!r}")


@register(unary(low=-6.0, high=6.0), torch=_functional("silu"))
def silu(input: Tensor) -> Tensor:
    """Elementwise x sigmoid(x) (a composite): d/dx = s (1 + x (1 - s)) with s = sigmoid(x).

    >>> import autograd as torch
    >>> torch.silu(torch.tensor([0.0, 1.0]))
    tensor([0.0000, 0.7311])
    """
    return input * sigmoid(input)


class Softplus(Function):
    @staticmethod
    def forward(ctx: Node, x: Any, beta: float, threshold: float) -> Any:
        bx = x * beta
        ctx.linear, ctx.beta = bx > threshold, beta
        ctx.save_for_backward(x)
        smooth = (np.maximum(bx, 0) + np.log1p(np.exp(-np.abs(bx)))) / beta
        return np.where(ctx.linear, x, smooth)

    @staticmethod
    def backward(ctx: Node, gy: Any) -> Any:
        (x,) = ctx.saved_tensors
        return np.where(ctx.linear, gy, gy * _stable_sigmoid(x * ctx.beta)), None, None


@register(
    combine(
        unary(low=-5.0, high=5.0),
        unary(low=-5.0, high=5.0, beta=2.0, threshold=5.0),
        unary(low=25.0, high=30.0, shapes=((3,),)),
    ),
    torch=_functional("softplus"),
)
def softplus(input: Tensor, beta: float = 1.0, threshold: float = 20.0) -> Tensor:
    """Elementwise log(1 + e**(beta x)) / beta, and x itself where beta x > threshold: d/dx = sigmoid(beta x).

    Fused for stability: max(bx, 0) + log1p(e**-|bx|) never overflows, so softplus(1000) = 1000 exactly.
    The composite reference is ``(1 + (input * beta).exp()).log() / beta``.

    >>> import autograd as torch
    >>> torch.softplus(torch.tensor([0.0, 1.0]))
    tensor([0.6931, 1.3133])
    >>> torch.softplus(torch.tensor(1000.0)).item()
    1000.0
    """
    return Softplus.apply(input, beta, threshold)
