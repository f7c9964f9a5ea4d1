"""Reductions: sum, mean, var, std, prod, norm (max/min, amax/amin and argmax/argmin are in ``minmax.py``).

``dim`` is None (every axis), an int or a tuple, with ``keepdim``, as in PyTorch.
Each backward restores the reduced axes (``_kept``) and broadcasts back to the
input; masks and counts are constants computed in forward, so every formula
stays differentiable. The NumPy reductions (``np.sum``, ``np.mean``, ``np.prod``)
dispatch here, which is what lets backward formulas elsewhere build graphs.
"""

from __future__ import annotations

import builtins
import math
from typing import Any

import numpy as np

from autograd import numpy_dispatch
from autograd.constants import float_constant
from autograd.function import Function, Node
from autograd.ops.minmax import AMax
from autograd.ops.reduce_dims import INT_DIMS, Dim, _axes, _kept, _nonempty, _numpy_axes, _sample
from autograd.ops.registry import Sample, register
from autograd.ops.samples import combine, distinct, explicit, reduction, uniform
from autograd.shapes import broadcast_to
from autograd.tensor import Tensor

__all__ = ["sum", "mean", "var", "std", "prod", "norm"]

EMPTY = explicit(_sample((0, 3)), _sample((0, 3), dim=0), _sample((0, 3), dim=1, keepdim=True))


class Sum(Function):
    @staticmethod
    def forward(ctx: Node, x: Any, axes: tuple[int, ...], keepdim: bool, dtype: Any) -> Any:
        shape = ctx.shape = x.shape
        ctx.kept = _kept(shape, axes)
        if dtype is None and x.dtype.kind in "biu":
            dtype = np.int64
        return np.add.reduce(x, axes, dtype, None, keepdim)

    @staticmethod
    def backward(ctx: Node, gy: Any) -> Any:
        return broadcast_to(gy.reshape(ctx.kept), ctx.shape), None, None, None


class Mean(Function):
    @staticmethod
    def forward(ctx: Node, x: Any, axes: tuple[int, ...], keepdim: bool, dtype: Any) -> Any:
        shape = ctx.shape = x.shape
        ctx.kept = _kept(shape, axes)
        ctx.n = n = x.size if len(axes) == len(shape) else math.prod([shape[a] for a in axes])
        total = np.add.reduce(x, axes, dtype, None, keepdim)
        if n:
            return total / n
        with np.errstate(divide="ignore", invalid="ignore"):  # an empty mean is nan, quietly
            return total / n

    @staticmethod
    def backward(ctx: Node, gy: Any) -> Any:
        # An empty reduction has an empty gradient: the scale is never used.
        scale = float_constant(1 / ctx.n, gy) if ctx.n else 0.0
        return broadcast_to(gy.reshape(ctx.kept) * scale, ctx.shape), None, None, None


@register(combine(reduction(), EMPTY), methods=("sum",))
def sum(input: Tensor, dim: Dim = None, keepdim: bool = False, *, dtype: Any = None) -> Tensor:
    """Sum over ``dim`` (every axis by default): d/dx = 1.

    >>> import autograd as torch
    >>> torch.tensor([[1.0, 2.0], [3.0, 4.0]]).sum(1)
    tensor([3., 7.])
    """
    return Sum.apply(input, _axes(dim, input.ndim, "sum"), keepdim, dtype)


@register(combine(reduction(), EMPTY), methods=("mean",))
def mean(input: Tensor, dim: Dim = None, keepdim: bool = False, *, dtype: Any = None) -> Tensor:
    """Mean over ``dim``: d/dx = 1/n. An empty mean is nan, with no warning.

    >>> import autograd as torch
    >>> torch.tensor([[1.0, 2.0], [3.0, 4.0]]).mean(0)
    tensor([2., 3.])
    """
    if dtype is None and input.dtype.kind != "f":
        raise RuntimeError(
            f"mean(): could not infer output dtype. Input dtype must be floating point. Got: {input.dtype}"
        )
    return Mean.apply(input, _axes(dim, input.ndim, "mean"), keepdim, dtype)


def _var_samples(rng: np.random.Generator) -> Any:
    """The default correction where n > 1 (PyTorch warns about n - correction <= 0), and the older forms."""
    for kwargs in ({}, {"dim": 1}, {"dim": (0, 2), "keepdim": True}, {"dim": 1, "unbiased": False}):
        yield Sample((uniform(rng, (2, 3, 4)),), kwargs, note=str(kwargs))


def _correction(op: str, unbiased: bool | None, correction: float | None) -> float:
    if unbiased is not None and correction is not None:
        raise TypeError(f"{op}(): pass either unbiased={unbiased} or correction={correction}, not both")
    if correction is not None:
        return correction
    return 0 if unbiased is False else 1


@register(combine(reduction(correction=0), _var_samples), methods=("var",))
def var(
    input: Tensor,
    dim: Dim | bool = None,
    unbiased: bool | None = None,
    keepdim: bool = False,
    *,
    correction: float | None = None,
) -> Tensor:
    """Variance over ``dim``: sum((x - mean)**2) / (n - correction); a composition of mean and sum.

    ``var(x, True)`` and ``var(x, dim, unbiased)`` are PyTorch's older forms.

    >>> import autograd as torch
    >>> torch.tensor([1.0, 2.0, 3.0, 4.0]).var()
    tensor(1.6667)
    """
    if isinstance(dim, bool):
        dim, unbiased = None, dim
    return _var(input, _axes(dim, input.ndim, "var"), _correction("var", unbiased, correction), keepdim)


def _var(input: Tensor, axes: tuple[int, ...], correction: float, keepdim: bool) -> Tensor:
    dof = builtins.max(math.prod(input.shape[a] for a in axes) - correction, 0)
    d = input - Mean.apply(input, axes, True, None)
    return Sum.apply(d * d, axes, keepdim, None) / dof


class SafeRoot(Function):
    """``s ** (1/p)`` for s >= 0, with gradient 0 where s == 0 (as PyTorch's std and norm backward)."""

    @staticmethod
    def forward(ctx: Node, s: Any, p: float) -> Any:
        y = np.asarray(np.sqrt(s) if p == 2 else s ** (1 / p))  # saved: an array, not a scalar
        ctx.p, ctx.zero = p, s == 0
        ctx.save_for_backward(s, y)
        return y

    @staticmethod
    def backward(ctx: Node, gy: Any) -> Any:
        s, y = ctx.saved_tensors
        return gy * y / (ctx.p * (s + ctx.zero)) * ~ctx.zero, None


# Not 0-d: there std is 0 and PyTorch's second-order gradient is nan (ours is 0; see tests/test_reduce_ties.py).
STD_SAMPLES = combine(lambda rng: (s for s in reduction(correction=0)(rng) if s.args[0].ndim), _var_samples)


@register(STD_SAMPLES, methods=("std",))
def std(
    input: Tensor,
    dim: Dim | bool = None,
    unbiased: bool | None = None,
    keepdim: bool = False,
    *,
    correction: float | None = None,
) -> Tensor:
    """Standard deviation, sqrt(var); its gradient is 0 where it is 0, as in PyTorch.

    >>> import autograd as torch
    >>> torch.tensor([1.0, 3.0]).std()
    tensor(1.4142)
    """
    return SafeRoot.apply(var(input, dim, unbiased, keepdim, correction=correction), 2)


class Prod(Function):
    """Product; zeros in the input are handled exactly, to second order.

    The gradient is the product of the others: ``y / x`` without zeros. With zeros,
    ``x_safe`` (zeros replaced by 1, their derivative cut) gives ``q``, the product of
    the non-zeros: a lone zero gets ``q``, each of two zeros gets ``q`` times the other
    one, and with three or more every entry gets 0, which is right to second order.
    """

    @staticmethod
    def forward(ctx: Node, x: Any, axes: tuple[int, ...], keepdim: bool, dtype: Any) -> Any:
        if dtype is None and x.dtype.kind in "biu":
            dtype = np.int64
        y = np.asarray(np.prod(x, axis=axes, keepdims=keepdim, dtype=dtype))  # saved: an array, not a scalar
        ctx.axes, ctx.kept, ctx.zero = axes, _kept(x.shape, axes), None
        if ctx.needs_input_grad[0]:
            ctx.save_for_backward(x, y)
            zero = x == 0
            if zero.any():
                count = np.sum(zero, axis=axes, keepdims=True)
                ctx.zero, ctx.one, ctx.two = zero, count == 1, count == 2
        return y

    @staticmethod
    def backward(ctx: Node, gy: Any) -> Any:
        x, y = ctx.saved_tensors
        gy, y, zero = gy.reshape(ctx.kept), y.reshape(ctx.kept), ctx.zero
        if zero is None:
            return gy * y / x, None, None, None
        nonzero = ~zero
        x_safe = x * nonzero + zero
        q = np.prod(x_safe, axis=ctx.axes, keepdims=True)
        other_zero = np.sum(x * zero, axis=ctx.axes, keepdims=True) - x
        others = y / x_safe * nonzero + zero * q * (ctx.one + ctx.two * other_zero)
        return gy * others, None, None, None


def _prod_samples(rng: np.random.Generator) -> Any:
    for zeros in (1, 2, 3):
        x = uniform(rng, (3, 4), away=0.2)
        x[0, :zeros] = 0.0
        x[1, 1 : 1 + zeros] = 0.0
        for dim in (None, 1, 0):
            yield Sample((x.copy(),), {} if dim is None else {"dim": dim}, note=f"{zeros} zeros, dim={dim}")


@register(combine(reduction(dims=INT_DIMS), EMPTY, _prod_samples), methods=("prod",))
def prod(input: Tensor, dim: int | None = None, keepdim: bool = False, *, dtype: Any = None) -> Tensor:
    """Product over ``dim``: d/dx_i = prod of the others (exact with zeros, to second order).

    >>> import autograd as torch
    >>> torch.tensor([[1.0, 2.0], [3.0, 4.0]]).prod(0)
    tensor([3., 8.])
    """
    return Prod.apply(input, _axes(dim, input.ndim, "prod"), keepdim, dtype)


def _away(rng: np.random.Generator, shape: tuple[int, ...]) -> np.ndarray:
    return uniform(rng, shape, away=0.2)


NORM_DIMS = (None, 1, (0, 2))
NORM_SAMPLES = combine(
    reduction(p=2),
    *(reduction(_away, dims=NORM_DIMS, p=p) for p in (1, 3, 0.5, "fro")),
    *(reduction(distinct, dims=NORM_DIMS, p=p) for p in (math.inf, -math.inf)),
    explicit(_sample((0, 3), dim=1)),
)


@register(NORM_SAMPLES, methods=("norm",))
def norm(input: Tensor, p: float | str = "fro", dim: Dim = None, keepdim: bool = False) -> Tensor:
    """Vector p-norm over ``dim``, (sum |x|**p) ** (1/p); its gradient is 0 where it is 0.

    ``p`` may be any number, ``inf``, ``-inf``, 0 (count of non-zeros) or ``"fro"`` (= 2).

    >>> import autograd as torch
    >>> torch.tensor([3.0, -4.0]).norm(), torch.tensor([3.0, -4.0]).norm(1)
    (tensor(5.), tensor(7.))
    """
    axes = _axes(dim, input.ndim, "norm")
    p = 2 if p == "fro" else p
    if isinstance(p, str):
        raise ValueError(f"norm: p={p!r} is not supported (use a number, inf, -inf or 'fro')")
    if p == 0:
        return Tensor(np.sum(input._data != 0, axis=axes, keepdims=keepdim).astype(input.dtype))
    if p == 2:
        return SafeRoot.apply(Sum.apply(input * input, axes, keepdim, None), 2)
    size = np.abs(input)
    if p in (math.inf, -math.inf):
        _nonempty("norm", input.shape, axes)
        return AMax.apply(size, axes, keepdim, p > 0)
    if p == 1:
        return Sum.apply(size, axes, keepdim, None)
    return SafeRoot.apply(Sum.apply(size**p, axes, keepdim, None), p)


# NumPy's reductions on tensors, with NumPy's signatures (axis=() reduces nothing).
# Backward formulas call these; under create_graph they record our ops.


@numpy_dispatch.implements(np.sum)
def _np_sum(
    a: Tensor, axis: Any = None, dtype: Any = None, out: Any = None, keepdims: bool = False, **extra: Any
) -> Tensor:
    return Sum.apply(a, _numpy_axes("sum", a, axis, out, extra), keepdims, dtype)


@numpy_dispatch.implements(np.mean)
def _np_mean(
    a: Tensor, axis: Any = None, dtype: Any = None, out: Any = None, keepdims: bool = False, **extra: Any
) -> Tensor:
    return Mean.apply(a, _numpy_axes("mean", a, axis, out, extra), keepdims, dtype)


@numpy_dispatch.implements(np.prod)
def _np_prod(
    a: Tensor, axis: Any = None, dtype: Any = None, out: Any = None, keepdims: bool = False, **extra: Any
) -> Tensor:
    return Prod.apply(a, _numpy_axes("prod", a, axis, out, extra), keepdims, dtype)
