"""Elementwise maths: abs, exp, log, log1p, sqrt, sin, cos, sign, clamp, maximum, minimum, where.

Each op also answers the NumPy function of the same meaning (``np.exp``, ``np.maximum``,
``np.where``, ``np.clip``...), so backward formulas that call them on Tensors build a graph.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from autograd import numpy_dispatch
from autograd.function import Function, Node
from autograd.ops.registry import Sample, register
from autograd.ops.samples import binary, explicit, unary, uniform
from autograd.shapes import broadcast_shapes
from autograd.tensor import Tensor

__all__ = ["abs", "absolute", "exp", "log", "log1p", "sqrt", "sin", "cos", "sign", "clamp", "clip"]
__all__ += ["maximum", "minimum", "where"]


def _data(value: Any) -> Any:
    return value._data if isinstance(value, Tensor) else value


def _broadcast(op: str, fn: Any, *args: Any) -> Any:
    """``fn(*args)``, re-raising a broadcasting failure with the op's name and every shape."""
    try:
        return fn(*args)
    except ValueError:
        broadcast_shapes(op, *[np.shape(a) for a in args])
        raise


class Abs(Function):
    @staticmethod
    def forward(ctx: Node, x: Any) -> Any:
        ctx.save_for_backward(x)
        return np.abs(x)

    @staticmethod
    def backward(ctx: Node, gy: Any) -> Any:
        (x,) = ctx.saved_tensors
        return gy * np.sign(x)


class Exp(Function):
    @staticmethod
    def forward(ctx: Node, x: Any) -> Any:
        with np.errstate(over="ignore"):
            y = np.asarray(np.exp(x))  # an array, not a NumPy scalar: the saved output must be the output
        ctx.save_for_backward(y)
        return y

    @staticmethod
    def backward(ctx: Node, gy: Any) -> Any:
        (y,) = ctx.saved_tensors
        return gy * y


class Log(Function):
    @staticmethod
    def forward(ctx: Node, x: Any) -> Any:
        ctx.save_for_backward(x)
        with np.errstate(divide="ignore", invalid="ignore"):
            return np.log(x)

    @staticmethod
    def backward(ctx: Node, gy: Any) -> Any:
        (x,) = ctx.saved_tensors
        with np.errstate(divide="ignore", invalid="ignore"):
            return gy / x


class Log1p(Function):
    @staticmethod
    def forward(ctx: Node, x: Any) -> Any:
        ctx.save_for_backward(x)
        with np.errstate(divide="ignore", invalid="ignore"):
            return np.log1p(x)

    @staticmethod
    def backward(ctx: Node, gy: Any) -> Any:
        (x,) = ctx.saved_tensors
        with np.errstate(divide="ignore", invalid="ignore"):
            return gy / (x + 1)


class Sqrt(Function):
    @staticmethod
    def forward(ctx: Node, x: Any) -> Any:
        with np.errstate(invalid="ignore"):
            y = np.asarray(np.sqrt(x))
        ctx.save_for_backward(y)
        return y

    @staticmethod
    def backward(ctx: Node, gy: Any) -> Any:
        (y,) = ctx.saved_tensors
        with np.errstate(divide="ignore", invalid="ignore"):
            return gy / (y * 2)


class Sin(Function):
    @staticmethod
    def forward(ctx: Node, x: Any) -> Any:
        ctx.save_for_backward(x)
        return np.sin(x)

    @staticmethod
    def backward(ctx: Node, gy: Any) -> Any:
        (x,) = ctx.saved_tensors
        return gy * np.cos(x)


class Cos(Function):
    @staticmethod
    def forward(ctx: Node, x: Any) -> Any:
        ctx.save_for_backward(x)
        return np.cos(x)

    @staticmethod
    def backward(ctx: Node, gy: Any) -> Any:
        (x,) = ctx.saved_tensors
        return -gy * np.sin(x)


class Sign(Function):
    @staticmethod
    def forward(ctx: Node, x: Any) -> Any:
        return np.sign(x)

    @staticmethod
    def backward(ctx: Node, gy: Any) -> Any:
        # A constant, as PyTorch's zeros_like(grad): no graph, and no nan from 0 * inf.
        return np.zeros(gy.shape, gy.dtype)


@register(unary(away=0.1), methods=("abs", "__abs__", "absolute"), ufuncs=(np.absolute,))
def abs(input: Tensor) -> Tensor:
    """Elementwise |x|: d/dx = sign(x), which is 0 at 0 (as PyTorch).

    >>> import autograd as torch
    >>> torch.abs(torch.tensor([-1.5, 2.0]))
    tensor([1.5000, 2.0000])
    """
    return Abs.apply(input)


@register(unary(), methods=("exp",), ufuncs=(np.exp,))
def exp(input: Tensor) -> Tensor:
    """Elementwise e**x: d/dx = e**x.

    >>> import autograd as torch
    >>> torch.exp(torch.tensor([0.0]))
    tensor([1.])
    """
    return Exp.apply(input)


@register(unary(low=0.1, high=3.0), methods=("log",), ufuncs=(np.log,))
def log(input: Tensor) -> Tensor:
    """Elementwise natural log: d/dx = 1/x (log(0) = -inf with gradient inf).

    >>> import autograd as torch
    >>> torch.log(torch.tensor([1.0, 0.0]))
    tensor([0., -inf])
    """
    return Log.apply(input)


@register(unary(low=-0.9, high=3.0), methods=("log1p",), ufuncs=(np.log1p,))
def log1p(input: Tensor) -> Tensor:
    """Elementwise log(1 + x), accurate for small x: d/dx = 1/(1 + x).

    >>> import autograd as torch
    >>> torch.log1p(torch.tensor([0.0]))
    tensor([0.])
    """
    return Log1p.apply(input)


@register(unary(low=0.1, high=3.0), methods=("sqrt",), ufuncs=(np.sqrt,))
def sqrt(input: Tensor) -> Tensor:
    """Elementwise square root: d/dx = 1/(2 sqrt(x)) (inf at 0).

    >>> import autograd as torch
    >>> torch.sqrt(torch.tensor([4.0, 9.0]))
    tensor([2., 3.])
    """
    return Sqrt.apply(input)


@register(unary(low=-4.0, high=4.0), methods=("sin",), ufuncs=(np.sin,))
def sin(input: Tensor) -> Tensor:
    """Elementwise sine: d/dx = cos(x).

    >>> import autograd as torch
    >>> torch.sin(torch.tensor([0.0]))
    tensor([0.])
    """
    return Sin.apply(input)


@register(unary(low=-4.0, high=4.0), methods=("cos",), ufuncs=(np.cos,))
def cos(input: Tensor) -> Tensor:
    """Elementwise cosine: d/dx = -sin(x).

    >>> import autograd as torch
    >>> torch.cos(torch.tensor([0.0]))
    tensor([1.])
    """
    return Cos.apply(input)


@register(unary(away=0.1), methods=("sign",), ufuncs=(np.sign,))
def sign(input: Tensor) -> Tensor:
    """Elementwise -1, 0 or 1: d/dx = 0 (a gradient of zeros, as PyTorch).

    >>> import autograd as torch
    >>> torch.sign(torch.tensor([-2.0, 0.0, 3.0]))
    tensor([-1.,  0.,  1.])
    """
    return Sign.apply(input)


absolute = abs


class Clamp(Function):
    @staticmethod
    def forward(ctx: Node, x: Any, lo: Any, hi: Any) -> Any:
        y = x if lo is None else _broadcast("clamp", np.maximum, x, lo)
        y = y if hi is None else _broadcast("clamp", np.minimum, y, hi)
        if any(ctx.needs_input_grad):
            _clamp_masks(ctx, x, lo, hi)
        return y

    @staticmethod
    def backward(ctx: Node, gy: Any) -> Any:
        need_x, need_lo, need_hi = ctx.needs_input_grad
        return (
            np.where(ctx.inside, gy, 0) if need_x else None,
            np.where(ctx.below, gy, 0) if need_lo else None,
            np.where(ctx.above, gy, 0) if need_hi else None,
        )


def _clamp_masks(ctx: Node, x: Any, lo: Any, hi: Any) -> None:
    """Where the gradient goes, as PyTorch: to x inside [lo, hi] (inclusive), else to the bound used."""
    with np.errstate(invalid="ignore"):
        if hi is None:
            ctx.inside, ctx.below = x >= lo, x < lo
        elif lo is None:
            ctx.inside, ctx.above = x <= hi, x > hi
        else:
            ctx.inside = (x >= lo) & (x <= hi)
            ctx.below = (x < lo) & (lo < hi)
            ctx.above = (x > hi) | (hi < lo)


def _clamp_samples(rng: np.random.Generator) -> Any:
    # Inputs are multiples of 0.25 plus a small offset; bounds are odd multiples of 0.125: no ties.
    def x(shape: tuple[int, ...]) -> np.ndarray:
        return np.asarray(np.round(uniform(rng, shape) * 4) / 4 + 0.01)

    def bound(shape: tuple[int, ...], low: float, high: float) -> np.ndarray:
        return np.asarray(np.round(uniform(rng, shape, low, high) * 4) / 4 + 0.125)

    for shape in ((), (4,), (2, 3), (0, 3)):
        yield Sample((x(shape),), {"min": -0.875, "max": 0.625}, note=f"number bounds, shape {shape}")
    yield Sample((x((2, 3)),), {"min": -0.375}, note="min only")
    yield Sample((x((2, 3)),), {"max": 0.375}, note="max only")
    yield Sample((x((3, 4)), bound((4,), -2, 0), bound((3, 1), 0, 2)), note="tensor bounds, broadcasting")
    yield Sample((x((2, 3)), bound((2, 3), -1, 1), bound((2, 3), -1, 1)), note="tensor bounds, some min > max")
    yield Sample((x((2, 3)), bound((3,), -1, 1)), note="tensor min only")
    yield Sample((x((2, 3)),), {"max": bound((2, 1), -1, 1)}, note="tensor max only")


@register(_clamp_samples, methods=("clamp", "clip"))
def clamp(input: Tensor, min: Any = None, max: Any = None) -> Tensor:
    """Elementwise min(max(x, min), max); numbers or tensors as bounds. d/dx = 1 where min <= x <= max, else 0.

    >>> import autograd as torch
    >>> torch.clamp(torch.tensor([-2.0, 0.5, 3.0]), min=-1, max=1)
    tensor([-1.0000,  0.5000,  1.0000])
    """
    if min is None and max is None:
        raise ValueError("clamp: at least one of 'min' or 'max' must not be None")
    return Clamp.apply(input, min, max)


clip = clamp


@numpy_dispatch.implements(np.clip)
def _np_clip(a: Any, a_min: Any = None, a_max: Any = None) -> Tensor:
    return clamp(a, a_min, a_max)


class Maximum(Function):
    @staticmethod
    def forward(ctx: Node, a: Any, b: Any) -> Any:
        if any(ctx.needs_input_grad):
            _tie_masks(ctx, a, b)
        return _broadcast("maximum", np.maximum, a, b)

    @staticmethod
    def backward(ctx: Node, gy: Any) -> Any:
        return _split(ctx, gy, ctx.less, ctx.greater)


class Minimum(Function):
    @staticmethod
    def forward(ctx: Node, a: Any, b: Any) -> Any:
        if any(ctx.needs_input_grad):
            _tie_masks(ctx, a, b)
        return _broadcast("minimum", np.minimum, a, b)

    @staticmethod
    def backward(ctx: Node, gy: Any) -> Any:
        return _split(ctx, gy, ctx.greater, ctx.less)


def _tie_masks(ctx: Node, a: Any, b: Any) -> None:
    with np.errstate(invalid="ignore"):
        ctx.less, ctx.greater, ctx.tie = a < b, a > b, a == b


def _split(ctx: Node, gy: Any, a_loses: Any, b_loses: Any) -> tuple[Any, Any]:
    """PyTorch's rule: the winner takes the gradient, a tie splits it half and half."""
    need_a, need_b = ctx.needs_input_grad
    shared = np.where(ctx.tie, gy / 2, gy)
    return (np.where(a_loses, 0, shared) if need_a else None), (np.where(b_loses, 0, shared) if need_b else None)


@register(binary(scalars=False), methods=("maximum",), ufuncs=(np.maximum,))
def maximum(input: Any, other: Any) -> Tensor:
    """Elementwise larger value, broadcasting: the larger input gets the gradient; a tie splits it in half.

    >>> import autograd as torch
    >>> torch.maximum(torch.tensor([1.0, 5.0]), torch.tensor([3.0, 2.0]))
    tensor([3., 5.])
    """
    return Maximum.apply(input, other)


@register(binary(scalars=False), methods=("minimum",), ufuncs=(np.minimum,))
def minimum(input: Any, other: Any) -> Tensor:
    """Elementwise smaller value, broadcasting: the smaller input gets the gradient; a tie splits it in half.

    >>> import autograd as torch
    >>> torch.minimum(torch.tensor([1.0, 5.0]), torch.tensor([3.0, 2.0]))
    tensor([1., 2.])
    """
    return Minimum.apply(input, other)


class Where(Function):
    @staticmethod
    def forward(ctx: Node, condition: Any, a: Any, b: Any) -> Any:
        ctx.condition = condition
        return _broadcast("where", np.where, condition, a, b)

    @staticmethod
    def backward(ctx: Node, gy: Any) -> Any:
        _, need_a, need_b = ctx.needs_input_grad
        condition = ctx.condition
        return None, (np.where(condition, gy, 0) if need_a else None), (np.where(condition, 0, gy) if need_b else None)


def _where_sample(cond_shape: tuple[int, ...], a_shape: tuple[int, ...], b_shape: tuple[int, ...] | None) -> Any:
    def make(rng: np.random.Generator) -> Sample:
        condition = np.asarray(rng.uniform(size=cond_shape) < 0.5)
        b = 0.5 if b_shape is None else uniform(rng, b_shape)
        return Sample((condition, uniform(rng, a_shape), b), note=f"condition {cond_shape}, {a_shape}, {b_shape}")

    return make


@register(
    explicit(
        _where_sample((2, 3), (2, 3), (2, 3)),
        _where_sample((3, 1), (1, 4), (4,)),
        _where_sample((), (2, 3), ()),
        _where_sample((0, 3), (3,), (0, 1)),
        _where_sample((2, 3), (2, 3), None),
    )
)
def where(condition: Any, input: Any, other: Any) -> Tensor:
    """Elementwise ``input`` where ``condition`` else ``other``, broadcasting: each branch gets gy where chosen.

    >>> import autograd as torch
    >>> x = torch.tensor([-1.0, 2.0])
    >>> torch.where(x > 0, x, 0.0)
    tensor([0., 2.])
    """
    dtype = np.result_type(_data(condition))
    if dtype != np.bool_:
        raise TypeError(f"where: expected condition to be a boolean tensor, but got a tensor with dtype {dtype}")
    return Where.apply(_data(condition), input, other)


def _where_method(self: Tensor, condition: Any, other: Any) -> Tensor:
    """``self`` where ``condition`` else ``other`` (``torch.where(condition, self, other)``).

    >>> import autograd as torch
    >>> torch.tensor([1.0, 2.0]).where(torch.tensor([True, False]), 0.0)
    tensor([1., 0.])
    """
    return where(condition, self, other)


Tensor.where = _where_method  # type: ignore[attr-defined]


@numpy_dispatch.implements(np.where)
def _np_where(condition: Any, x: Any, y: Any) -> Tensor:
    return Where.apply(np.asarray(_data(condition), dtype=bool), x, y)
